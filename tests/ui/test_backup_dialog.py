"""Back up now: off the UI thread, with progress; 取消 leaves no file behind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from mediation.db import Database
from mediation.ui.backup_dialog import start_backup
from mediation.ui.context import AppContext
from tests.conftest import Desk


def test_backup_now_runs_off_the_ui_thread(qtbot, sqlite_db: Database, desk: Desk, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "backup.sqlite3"
    op = start_backup(AppContext(sqlite_db, desk.admin), parent, target)
    assert op is not None
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "backupDoneBox") is not None, timeout=20_000)
    assert str(target) in parent.findChild(QMessageBox, "backupDoneBox").text()
    assert target.exists() and target.read_bytes()[:15] == b"SQLite format 3"


def test_backup_can_be_cancelled_and_leaves_no_file(qtbot, sqlite_db: Database, desk: Desk, tmp_path: Path,
                                                    monkeypatch) -> None:
    from mediation.services import backup

    monkeypatch.setattr(backup.copy, "BACKUP_STEP_PAGES", 1)  # many small steps: room to press 取消
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "backup.sqlite3"
    op = start_backup(AppContext(sqlite_db, desk.admin), parent, target)
    assert op is not None and op.progress_dialog is not None
    button = op.progress_dialog.findChild(QPushButton)
    assert button is not None and button.text() == "取消"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: op.finished, timeout=20_000)
    assert op.token.cancelled
    assert parent.findChild(QMessageBox) is None  # 取消 was the person's choice: nothing more to say
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_backup_now_is_encrypted_when_the_administrator_chose_so(qtbot, sqlite_db: Database, desk: Desk,
                                                                 tmp_path: Path) -> None:
    from mediation import keys
    from mediation.config import Config, save_config

    saved = keys.key_file_path().read_bytes()
    try:
        keys.set_backup_passphrase("ABCDE-FGHJK-LMNPQ")
        save_config(Config(backup_folder=str(tmp_path), backup_encrypt=True))
        parent = QWidget()
        qtbot.addWidget(parent)
        op = start_backup(AppContext(sqlite_db, desk.admin), parent, tmp_path / "backup.sqlite3")
        assert op is not None
        qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "backupDoneBox") is not None, timeout=20_000)
        made = tmp_path / "backup.sqlite3.mdbk"
        assert str(made) in parent.findChild(QMessageBox, "backupDoneBox").text()
        assert made.read_bytes().startswith(b"MEDIATION-BACKUP\n")
    finally:
        keys.key_file_path().write_bytes(saved)
