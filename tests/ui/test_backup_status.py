"""Automatic backups in the desktop program (issue 11 item 15): the status bar, the
administrator's today-panel section, the day's backup off the UI thread, and Settings → 备份."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from PySide6.QtCore import Qt

from mediation import keys
from mediation.config import Config, load_config, save_config
from mediation.db import Database
from mediation.services.backup import auto
from mediation.ui.backup_status import BackupSection
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.settings_dialog import SettingsDialog
from mediation.ui.state import UiState
from mediation.ui.widgets import WARNING_STYLE
from tests.conftest import Desk
from tests.ui.conftest import type_text, wait_ops


def _window(qtbot, db: Database, actor, ui_state: UiState) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(AppContext(db, actor), ui_state)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.model.total is not None and not w.model.loading, timeout=10_000)
    wait_ops(qtbot)
    return w


def _section(w: MainWindow) -> BackupSection:
    return next(s for s in w.today_panel.sections if isinstance(s, BackupSection))


def test_without_a_good_backup_the_window_warns_and_the_administrator_is_told(
        qtbot, sqlite_db: Database, desk: Desk, ui_state: UiState) -> None:  # type: ignore[no-untyped-def]
    w = _window(qtbot, sqlite_db, desk.admin, ui_state)
    qtbot.waitUntil(lambda: w.backup_label.text() != "", timeout=10_000)
    assert w.backup_label.text() == "尚无成功的备份 ⚠"
    assert "尚未设置自动备份的文件夹" in w.backup_label.toolTip()
    assert w.backup_label.styleSheet() == WARNING_STYLE
    section = _section(w)
    qtbot.waitUntil(section.isVisible, timeout=10_000)
    assert "尚未设置自动备份的文件夹" in section.label.text()
    volunteer = _window(qtbot, sqlite_db, desk.volunteer, ui_state)
    qtbot.waitUntil(lambda: volunteer.backup_label.text() != "", timeout=10_000)
    assert not _section(volunteer).isVisible()  # the administrator's business


def test_the_days_backup_runs_off_the_ui_thread_and_the_warning_goes(
        qtbot, sqlite_db: Database, desk: Desk, ui_state: UiState, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "usb"
    folder.mkdir()
    save_config(Config(backup_folder=str(folder)))
    w = _window(qtbot, sqlite_db, desk.admin, ui_state)
    w.run_daily_backup()
    qtbot.waitUntil(lambda: w.backup_label.text().startswith("最近备份："), timeout=20_000)
    assert list(folder.glob("mediation-auto-*.sqlite3"))
    assert w.backup_label.toolTip().startswith(str(folder)) and w.backup_label.styleSheet() != WARNING_STYLE
    section = _section(w)
    qtbot.waitUntil(lambda: section.label.text().startswith("最近备份："), timeout=10_000)
    assert "\n" not in section.label.text()  # no warning under it


def test_a_backup_older_than_two_days_is_a_warning(qtbot, sqlite_db: Database, desk: Desk, ui_state: UiState,
                                                   tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "usb"
    folder.mkdir()
    save_config(Config(backup_folder=str(folder)))
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    auto.status_file().parent.mkdir(parents=True, exist_ok=True)
    auto.status_file().write_text(json.dumps({"last_ok_at": old.isoformat(), "last_path": "x"}), encoding="utf-8")
    w = _window(qtbot, sqlite_db, desk.admin, ui_state)
    section = _section(w)
    qtbot.waitUntil(lambda: "已超过两天" in section.label.text(), timeout=10_000)
    qtbot.waitUntil(lambda: "已超过两天" in w.backup_label.toolTip(), timeout=10_000)


def test_the_administrator_sets_the_folder_and_prints_the_recovery_sheet(
        qtbot, sqlite_db: Database, desk: Desk, ui_state: UiState, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    saved = keys.key_file_path().read_bytes()
    try:
        dialog = SettingsDialog(AppContext(sqlite_db, desk.admin), ui_state)
        qtbot.addWidget(dialog)
        dialog.show()
        tab = dialog.backup_tab
        assert tab is not None
        bar = dialog.tabs.tabBar()
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(dialog.tabs.indexOf(tab)).center())
        # A folder that is not there: said beside the field, nothing saved.
        tab.folder_edit.clear()
        type_text(tab.folder_edit, str(tmp_path / "没有这个文件夹"))
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(tab.folder_error.isVisible, timeout=10_000)
        assert "不存在" in tab.folder_error.text() and load_config().backup_folder == ""
        # Encryption needs a passphrase first.
        keys.set_backup_passphrase("")
        folder = tmp_path / "usb"
        folder.mkdir()
        tab.folder_edit.clear()
        type_text(tab.folder_edit, str(folder))
        tab.encrypt_check.setChecked(True)
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(tab.encrypt_error.isVisible, timeout=10_000)
        qtbot.mouseClick(tab.passphrase_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.passphrase_value.text().count("-") == 5, timeout=10_000)
        passphrase = tab.passphrase_value.text()
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.result.text().startswith("已保存"), timeout=10_000)
        assert not tab.folder_error.isVisible() and not tab.encrypt_error.isVisible()
        cfg = load_config()
        assert cfg.backup_folder == str(folder) and cfg.backup_encrypt
        sheet = tmp_path / "恢复单.pdf"
        tab._on_sheet_clicked(sheet)  # what the save dialog would hand over
        qtbot.waitUntil(sheet.exists, timeout=20_000)
        assert sheet.read_bytes().startswith(b"%PDF") and passphrase
    finally:
        keys.key_file_path().write_bytes(saved)
