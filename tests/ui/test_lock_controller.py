"""Idle lock: covers the window after the timeout, keeps unsaved input, unlocks with the password;
switching user puts the first user's windows aside as drafts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout, QWidget

from mediation.db import Database
from mediation.ui import intake_dialog
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.state import UiState
from tests.conftest import Desk
from mediation.ui.operations import wait_for_all
from tests.ui.conftest import process_events


class DraftDialog(QDialog):
    """Stands in for the intake form: unsaved text, and the draft protocol."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        QVBoxLayout(self).addWidget(self.edit)
        self.drafts: list[str] = []

    def save_draft(self) -> None:
        self.drafts.append(self.edit.text())


@pytest.fixture
def window(qtbot, sqlite_db: Database, desk: Desk, ui_state: UiState) -> Iterator[MainWindow]:
    ctx = AppContext(sqlite_db, desk.volunteer)
    w = MainWindow(ctx, ui_state)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.model.total is not None, timeout=10_000)
    yield w
    wait_for_all()
    process_events()


def _type_password(qtbot, window: MainWindow, password: str) -> None:
    lock = window.lock_screen
    lock.password_edit.clear()
    qtbot.keyClicks(lock.password_edit, password)
    qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lock.unlock_button.isEnabled, timeout=10_000)


def test_idle_lock_appears_and_unlocks_with_the_password(qtbot, window: MainWindow) -> None:
    dialog = DraftDialog(window)
    dialog.show()
    dialog.edit.setText("张三说押金两千五")
    window.idle.set_timeout_ms(300)
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    lock = window.lock_screen
    assert lock.isVisible() and lock.geometry() == window.rect()
    assert "自动锁定" in lock.reason_label.text()
    assert not dialog.isVisible()  # hidden, not closed
    assert dialog.drafts == ["张三说押金两千五"]  # and its input was put aside as a draft too
    assert not window.new_case_action.isEnabled()  # Ctrl+N does nothing while locked
    assert not window.centralWidget().isEnabled()

    _type_password(qtbot, window, "wrongpass1")
    assert window.locked and lock.isVisible()
    assert lock.message_label.text() == "密码不正确，屏幕仍然锁定。"

    _type_password(qtbot, window, "pass1234")
    assert not window.locked and not lock.isVisible()
    assert dialog.isVisible() and dialog.edit.text() == "张三说押金两千五"
    assert window.new_case_action.isEnabled()
    assert window.idle.active


def test_input_keeps_the_screen_unlocked(qtbot, window: MainWindow) -> None:
    window.idle.set_timeout_ms(400)
    window.idle.start()
    for _ in range(6):
        qtbot.wait(100)
        qtbot.keyClick(window.filter_bar.search_edit, Qt.Key.Key_A)
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)


def test_manual_lock_and_switch_user_puts_drafts_aside(qtbot, window: MainWindow, desk: Desk) -> None:
    dialog = DraftDialog(window)
    dialog.show()
    dialog.edit.setText("未保存的案情")
    window.lock_action.trigger()
    assert window.locked and "手动锁定" in window.lock_screen.reason_label.text()
    lock = window.lock_screen
    qtbot.mouseClick(lock.switch_button, Qt.MouseButton.LeftButton)
    assert lock.switch_box.isVisible()
    form = lock.switch_form
    qtbot.keyClicks(form.username_edit, "officer")
    qtbot.keyClicks(form.password_edit, "pass1234")
    with qtbot.waitSignal(window.ctx.actor_changed, timeout=10_000):
        qtbot.mouseClick(form.login_button, Qt.MouseButton.LeftButton)
    assert window.ctx.actor.username == "officer"
    assert not window.locked
    assert dialog.drafts[-1] == "未保存的案情"
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2_000)
    assert not dialog.isVisible()  # the officer never sees the volunteer's form
    assert "王警官" in window.user_label.text()


def test_switch_user_with_wrong_password_stays_locked(qtbot, window: MainWindow) -> None:
    window.lock()
    lock = window.lock_screen
    qtbot.mouseClick(lock.switch_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(lock.switch_form.username_edit, "officer")
    qtbot.keyClicks(lock.switch_form.password_edit, "nope12345")
    qtbot.mouseClick(lock.switch_form.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not lock.switch_form.busy, timeout=10_000)
    assert window.locked and lock.switch_form.error_reason == "bad_password"
    assert window.ctx.actor.username == "volunteer"


def test_switch_user_keeps_the_intake_as_the_first_users_draft(qtbot, window: MainWindow, desk: Desk) -> None:
    """The real intake form under the draft protocol: saved for its author, closed for the next user."""
    dialog = window.open_intake()
    assert dialog is not None
    qtbot.waitUntil(dialog.is_ready, timeout=10_000)
    edit = next(e for e in dialog.findChildren(QLineEdit) if e.isVisible() and e.isEnabled()
                and not e.isReadOnly())
    qtbot.keyClicks(edit, "13912345678")
    window.lock()
    assert not dialog.isVisible()
    lock = window.lock_screen
    qtbot.mouseClick(lock.switch_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(lock.switch_form.username_edit, "officer")
    qtbot.keyClicks(lock.switch_form.password_edit, "pass1234")
    with qtbot.waitSignal(window.ctx.actor_changed, timeout=10_000):
        qtbot.mouseClick(lock.switch_form.login_button, Qt.MouseButton.LeftButton)
    drafts = list(intake_dialog.drafts_dir("volunteer").glob("*.json"))
    assert drafts and "13912345678" in drafts[0].read_text(encoding="utf-8")
    assert not list(intake_dialog.drafts_dir("officer").glob("*.json"))
    qtbot.waitUntil(lambda: not any(type(w).__name__ == "IntakeDialog" and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=5_000)
