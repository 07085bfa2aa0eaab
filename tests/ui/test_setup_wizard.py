"""First start: the set-up wizard creates the desk and the administrator, who is then logged in."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLineEdit, QWizard

from mediation.db import Database
from mediation.permissions import ADMIN
from mediation.services import setup
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.setup_wizard import PAGE_ADMIN, PAGE_DESK, PAGE_FINISH, SetupWizard
from mediation.ui.state import UiState


def set_chinese(edit: QLineEdit, text: str) -> None:
    """Set the text and emit the edit signal, as typing through an input method would."""
    edit.setFocus()
    edit.setText(text)
    edit.textEdited.emit(text)


def fill_desk_page(qtbot, wizard: SetupWizard, *, prefix: str = "X警校调字") -> None:
    page = wizard.desk_page
    set_chinese(page.desk_name_edit, "某某大学警校联调中心")
    set_chinese(page.prefix_edit, prefix)


def fill_admin_page(qtbot, wizard: SetupWizard, *, confirm: str = "Lanting-Xu-1987") -> None:
    page = wizard.admin_page
    qtbot.keyClicks(page.username_edit, "chief")
    set_chinese(page.display_name_edit, "周管理")
    qtbot.keyClicks(page.password_edit, "Lanting-Xu-1987")
    qtbot.keyClicks(page.confirm_edit, confirm)


def test_first_start_creates_desk_and_logs_admin_in(qtbot, sqlite_db: Database, ui_state: UiState) -> None:
    wizard = SetupWizard(sqlite_db)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == PAGE_DESK
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # mandatory fields first
    fill_desk_page(qtbot, wizard, prefix="Y警校调字")
    assert "（" in wizard.desk_page.example_label.text() and "Y警校调字第001号" in wizard.desk_page.example_label.text()
    assert next_button.isEnabled()
    next_button.click()
    assert wizard.currentId() == PAGE_ADMIN
    fill_admin_page(qtbot, wizard)
    next_button.click()
    assert wizard.currentId() == PAGE_FINISH
    assert "某某大学警校联调中心" in wizard.finish_page.summary.text()
    # Practice data is offered, not forced (and never in the live desk, which starts empty).
    assert wizard.finish_page.demo_check.isVisibleTo(wizard)
    assert not wizard.finish_page.demo_check.isChecked()
    with qtbot.waitSignal(wizard.accepted, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.actor is not None and wizard.actor.role == ADMIN and wizard.actor.username == "chief"
    with sqlite_db.read() as s:
        assert setup.is_initialised(s)
        assert [d.number_prefix for d in setup.list_desks(s)] == ["Y警校调字"]

    # ... and the administrator is the one at the main window.
    window = MainWindow(AppContext(sqlite_db, wizard.actor), ui_state)
    qtbot.addWidget(window)
    assert "周管理" in window.user_label.text()
    assert window.admin_menu.menuAction().isVisible()
    qtbot.waitUntil(lambda: window.model.total == 0 and not window.model.loading, timeout=10_000)


def test_password_rules_and_mismatch_are_shown_beside_the_fields(qtbot, sqlite_db: Database) -> None:
    wizard = SetupWizard(sqlite_db)
    qtbot.addWidget(wizard)
    wizard.show()
    fill_desk_page(qtbot, wizard)
    wizard.next()
    fill_admin_page(qtbot, wizard, confirm="admin2027")
    assert wizard.admin_page.errors["confirm"].isVisible()
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN
    wizard.admin_page.password_edit.setText("short")
    wizard.admin_page.confirm_edit.setText("short")
    wizard.next()
    assert wizard.currentId() == PAGE_ADMIN
    assert "8" in wizard.admin_page.errors["password"].text()


def test_service_error_sends_the_user_back_to_the_field(qtbot, sqlite_db: Database) -> None:
    wizard = SetupWizard(sqlite_db)
    qtbot.addWidget(wizard)
    wizard.show()
    fill_desk_page(qtbot, wizard, prefix="（X警校调字）")  # brackets belong to the number, not the prefix
    wizard.next()
    fill_admin_page(qtbot, wizard)
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.busy and wizard.currentId() == PAGE_DESK, timeout=10_000)
    assert wizard.desk_page.errors["number_prefix"].isVisible()
    assert "前缀" in wizard.desk_page.errors["number_prefix"].text()
    assert wizard.actor is None and wizard.isVisible()
    with sqlite_db.read() as s:
        assert not setup.is_initialised(s)
    QApplication.instance()


def _to_finish_page(qtbot, wizard: SetupWizard) -> None:
    fill_desk_page(qtbot, wizard)
    wizard.next()
    fill_admin_page(qtbot, wizard)
    wizard.next()
    assert wizard.currentId() == PAGE_FINISH


def test_practice_data_goes_into_its_own_database_not_the_live_desk(qtbot, sqlite_db: Database,  # type: ignore[no-untyped-def]
                                                                      monkeypatch) -> None:
    """Issue 12 item 1: the wizard's generated cases land in the practice database beside the
    live one; the live desk starts empty (its first case will be 第001号)."""
    from sqlalchemy import select

    from mediation import practice
    from mediation.db import sqlite_path
    from mediation.models import User
    from mediation.services import accounts, caselist
    from mediation.ui import setup_wizard

    monkeypatch.setattr(setup_wizard, "DEMO_CASES", 40)
    wizard = SetupWizard(sqlite_db)
    qtbot.addWidget(wizard)
    wizard.show()
    _to_finish_page(qtbot, wizard)
    assert wizard.finish_page.demo_check.isVisibleTo(wizard)
    assert "练习数据库" in wizard.finish_page.demo_check.text()
    wizard.finish_page.demo_check.setChecked(True)
    with qtbot.waitSignal(wizard.accepted, timeout=60_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.actor is not None
    with sqlite_db.read() as s:
        assert caselist.count_cases(s, wizard.actor, caselist.CaseQuery()) == 0
        assert not practice.is_practice(s)
    live = sqlite_path(sqlite_db.url)
    assert live is not None
    beside = Database(f"sqlite:///{live.parent / practice.FILE_NAME}")
    with beside.read() as s:
        assert practice.is_practice(s)
        officer = practice.ACCOUNTS[1][0]
        user = s.scalar(select(User).where(User.username == officer))
        assert user is not None
        assert caselist.count_cases(s, accounts.actor_for(user), caselist.CaseQuery()) == 40
    beside.dispose()


def test_practice_data_can_be_cancelled(qtbot, sqlite_db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from mediation.services import caselist
    from mediation.ui import setup_wizard

    monkeypatch.setattr(setup_wizard, "DEMO_CASES", 5_000)  # long enough to be caught running
    wizard = SetupWizard(sqlite_db)
    qtbot.addWidget(wizard)
    wizard.show()
    _to_finish_page(qtbot, wizard)
    wizard.finish_page.demo_check.setChecked(True)
    cancel = wizard.button(QWizard.WizardButton.CancelButton)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.demo_running, timeout=10_000)
    assert cancel.isEnabled()
    with qtbot.waitSignal(wizard.accepted, timeout=60_000):
        cancel.click()
    assert wizard.actor is not None  # the desk and the administrator stay
    with sqlite_db.read() as s:
        assert setup.is_initialised(s)
        assert caselist.count_cases(s, wizard.actor, caselist.CaseQuery()) == 0
    from mediation import practice
    from mediation.db import sqlite_path

    live = sqlite_path(sqlite_db.url)
    assert live is not None and not (live.parent / practice.FILE_NAME).exists()
    assert not list(live.parent.glob("*.building*"))
