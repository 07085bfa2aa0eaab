"""Practice mode (issue 12 item 1): the login dialog opens a practice database of its own
(generated, with its own desk and accounts, shown on the dialog), which can be reset; every
window then says 练习模式; the live desk never receives a generated case."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy import func, select

from mediation import practice
from mediation.db import Database, sqlite_path
from mediation.models import Case
from mediation.services import cases
from mediation.ui import practice_mark
from mediation.ui.context import AppContext
from mediation.ui.login_dialog import PRACTICE, LoginDialog
from mediation.ui.main_window import MainWindow
from mediation.ui.practice_login import BACK, PracticeLoginDialog
from mediation.ui.settings_dialog import SettingsDialog
from mediation.ui.state import UiState
from tests.conftest import Desk
from tests.factories import dispute
from tests.ui.conftest import on_modal, wait_loaded, wait_ops


@pytest.fixture
def mark() -> Iterator[None]:
    yield
    practice_mark.uninstall()


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


def _answer(button_text: str) -> Any:
    def step(widget: QWidget) -> bool:
        if isinstance(widget, QMessageBox):
            for b in widget.buttons():
                if b.text() == button_text:
                    b.click()
                    return True
        return False
    return step


def test_practice_database_from_the_login_dialog_reset_and_marked_everywhere(  # type: ignore[no-untyped-def]
        qtbot, sqlite_db: Database, desk: Desk, ui_state: UiState, mark: None) -> None:
    live = LoginDialog(sqlite_db)
    qtbot.addWidget(live)
    live.show()
    assert live.practice_button.text() == "练习模式…"
    with qtbot.waitSignal(live.finished, timeout=5_000) as done:
        qtbot.mouseClick(live.practice_button, Qt.MouseButton.LeftButton)
    assert done.args == [PRACTICE]

    dialog = PracticeLoginDialog(sqlite_db.url, cases=15)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.banner.isVisible() and "虚构" in dialog.banner.text()
    assert "lianxi" in dialog.hint_label.text() and practice.PASSWORD in dialog.hint_label.text()
    qtbot.waitUntil(lambda: dialog.ready, timeout=60_000)
    live_path = sqlite_path(sqlite_db.url)
    assert live_path is not None and dialog.path == live_path.parent / practice.FILE_NAME
    assert dialog.form.username_edit.text() == "lianxi"
    qtbot.keyClicks(dialog.form.password_edit, practice.PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.actor is not None and dialog.actor.username == "lianxi" and dialog.database is not None
    pdb = dialog.database
    with pdb.read() as s:
        assert practice.is_practice(s)
    generated = _count(pdb)
    assert generated == 15

    # The main window on it: the banner, and the mark on every top-level window.
    practice_mark.install()
    window = MainWindow(AppContext(pdb, dialog.actor, practice=True), ui_state)
    qtbot.addWidget(window)
    window.show()
    wait_loaded(qtbot, window)
    assert window.practice_banner is not None and window.practice_banner.isVisible()
    assert window.windowTitle().startswith("【练习模式】")
    settings = SettingsDialog(window.ctx, ui_state, window)
    qtbot.addWidget(settings)
    settings.show()
    assert settings.windowTitle() == "【练习模式】设置"
    window.open_case(window.model.case_id(0) or 0)
    case_window = next(iter(window.case_windows().values()))
    qtbot.waitUntil(lambda: "案件" in case_window.windowTitle() and "—" in case_window.windowTitle(),
                    timeout=10_000)
    assert case_window.windowTitle().startswith("【练习模式】")  # retitled after loading: marked again
    with pdb.write() as s:
        cases.register_case(s, dialog.actor, dispute())
    assert _count(pdb) == generated + 1
    settings.close()
    window.close()
    wait_ops(qtbot)

    # 重置练习数据: after asking, the practice database is generated again from scratch.
    again = PracticeLoginDialog(sqlite_db.url, cases=15)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.ready, timeout=60_000)
    pdb.dispose()
    with on_modal(_answer("重置")):
        qtbot.mouseClick(again.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.ready, timeout=60_000)
    assert again.database is not None and _count(again.database) == 15
    with qtbot.waitSignal(again.finished, timeout=5_000) as back:
        qtbot.mouseClick(again.back_button, Qt.MouseButton.LeftButton)
    assert back.args == [BACK] and again.database is None

    # The live desk never saw a generated case.
    assert _count(sqlite_db) == 0
    with sqlite_db.read() as s:
        assert not practice.is_practice(s)
