"""Settings: the administrator's idle-lock minutes reach the open main window; a refused password is shown beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mediation.db import Database
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.settings_dialog import SettingsDialog
from mediation.ui.state import UiState
from tests.conftest import Desk


def test_administrator_sets_the_idle_minutes(qtbot, sqlite_db: Database, desk: Desk, ui_state: UiState) -> None:
    w = MainWindow(AppContext(sqlite_db, desk.admin), ui_state)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.model.total is not None and not w.model.loading, timeout=10_000)
    dialog = SettingsDialog(w.ctx, ui_state, w)
    qtbot.addWidget(dialog)
    assert dialog.tabs.count() == 5  # the desk, list and backup tabs are there for administrators only
    dialog.idle_spin.setValue(3)
    qtbot.mouseClick(dialog.save_idle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.idle.timeout_ms == 3 * 60_000, timeout=10_000)
    assert dialog.idle_result.text() == "已保存。"
    volunteer = SettingsDialog(AppContext(sqlite_db, desk.volunteer), ui_state)
    qtbot.addWidget(volunteer)
    assert volunteer.tabs.count() == 2


def test_a_wrong_old_password_is_shown_beside_it(qtbot, sqlite_db: Database, desk: Desk,
                                                 ui_state: UiState) -> None:
    dialog = SettingsDialog(AppContext(sqlite_db, desk.volunteer), ui_state)
    qtbot.addWidget(dialog)
    dialog.show()
    bar = dialog.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())  # 修改密码
    assert dialog.tabs.currentWidget() is dialog.password_tab
    qtbot.keyClicks(dialog.old_password, "notmine123")
    qtbot.keyClicks(dialog.new_password, "newpass2026")
    qtbot.keyClicks(dialog.confirm_password, "newpass2026")
    qtbot.mouseClick(dialog.change_password_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.old_password_error.isVisible, timeout=10_000)
    assert "原密码不正确" in dialog.old_password_error.text()
    assert dialog.change_password_button.isEnabled() and not dialog.password_result.isVisible()
