"""Several desks in the administrator's window (issue 11, issue 12 item 14's desk part):
the installation's administrator adds a desk; a desk's administrator edits only their own
desk's name, committee and case-number prefix (audited, numbers kept); the set-up wizard
joins a shared database as a desk that is waiting for its PC."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard
from sqlalchemy import select

from mediation import workflow
from mediation.db import Database
from mediation.models import AuditLog, Case
from mediation.services import accounts, cases, desks
from mediation.ui.context import AppContext
from mediation.ui.desks_dialog import AddDeskDialog, DesksDialog
from mediation.ui.setup_wizard import PAGE_ADMIN, SetupWizard
from tests.conftest import Desk
from tests.factories import dispute
from tests.ui.test_setup_wizard import fill_admin_page, set_chinese


def _add_second_desk(qtbot, dialog: DesksDialog) -> None:  # type: ignore[no-untyped-def]
    add = AddDeskDialog(dialog.ctx, dialog)
    qtbot.addWidget(add)
    add.show()
    set_chinese(add.edits["desk_name"], "第二大学警校联调中心")
    set_chinese(add.edits["number_prefix"], "X警校调字")  # desk 1's
    qtbot.keyClicks(add.username_edit, "admin_y")
    set_chinese(add.display_name_edit, "乙管理员")
    qtbot.keyClicks(add.password_edit, "password1")
    save = add.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: add.errors["number_prefix"].isVisible(), timeout=10_000)
    assert "已被其他调解点使用" in add.errors["number_prefix"].text()
    assert "常见" in add.errors["password"].text()  # the password policy, beside its field
    set_chinese(add.edits["number_prefix"], "Y警校调字")
    add.password_edit.setText("Fresh-Lantern-77")
    with qtbot.waitSignal(add.accepted, timeout=10_000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


def test_the_installations_administrator_adds_a_desk_and_its_administrator_renames_it(
        qtbot, sqlite_db: Database, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    dialog = DesksDialog(AppContext(sqlite_db, desk.admin))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert dialog.add_button.isVisible()
    _add_second_desk(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)

    # The new desk's administrator: their desk only, no "add".
    admin_y = accounts.login(sqlite_db, "admin_y", "Fresh-Lantern-77")
    assert admin_y.desk_id is not None and not admin_y.writes_every_desk
    with sqlite_db.write() as s:
        officer = accounts.create_user(s, admin_y, username="off_y", display_name="乙警官", role="officer",
                                       password="Qiushi-Lake-42", desk_id=admin_y.desk_id)
    officer_y = accounts.login(sqlite_db, "off_y", "Qiushi-Lake-42")
    with sqlite_db.write() as s:
        ref = cases.register_case(s, officer_y, dispute())
        cases.choose_track(s, officer_y, ref.id, workflow.PEOPLE)
        old_number = cases.accept_case(s, officer_y, ref.id).number
    assert officer and old_number is not None and "Y警校调字" in old_number

    own = DesksDialog(AppContext(sqlite_db, admin_y))
    qtbot.addWidget(own)
    own.show()
    qtbot.waitUntil(lambda: own.table.rowCount() == 1, timeout=10_000)
    assert not own.add_button.isVisible()
    assert own.edits["desk_name"].text() == "第二大学警校联调中心"
    set_chinese(own.edits["number_prefix"], "X警校调字")  # desk 1's: refused beside the field
    qtbot.mouseClick(own.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: own.errors["number_prefix"].isVisible(), timeout=10_000)
    set_chinese(own.edits["desk_name"], "乙大学警校联调中心")
    set_chinese(own.edits["committee_name"], "乙大学人民调解委员会")
    set_chinese(own.edits["number_prefix"], "乙警校调字")
    qtbot.mouseClick(own.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: own.table.item(0, 1) is not None and own.table.item(0, 1).text() == "乙警校调字",
                    timeout=10_000)
    with sqlite_db.write() as s:
        ref2 = cases.register_case(s, officer_y, dispute())
        cases.choose_track(s, officer_y, ref2.id, workflow.PEOPLE)
        new_number = cases.accept_case(s, officer_y, ref2.id).number
    with sqlite_db.read() as s:
        assert s.scalar(select(Case.number).where(Case.id == ref.id)) == old_number  # never renumbered
        row = s.scalars(select(AuditLog).where(AuditLog.action == "desk.update")).one()
        assert row.user_id == admin_y.user_id and row.after is not None
        assert row.after["number_prefix"] == "乙警校调字" and row.before["number_prefix"] == "Y警校调字"
        assert [d.name for d in desks.list_desks(s, admin_y)] == ["乙大学警校联调中心"]
    assert new_number is not None and "乙警校调字第002号" in new_number  # the year's sequence goes on


def test_the_wizard_joins_a_shared_database_as_the_desk_waiting_for_its_pc(
        qtbot, sqlite_db: Database, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    with sqlite_db.write() as s:  # the database's owner added a desk, without an administrator yet
        waiting = desks.add_desk(s, None, name="丙大学警校联调中心", number_prefix="丙警校调字")
    wizard = SetupWizard(sqlite_db)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.desk_page.joining, timeout=10_000)
    page = wizard.desk_page
    assert page.join_combo.count() == 1 and page.joined_desk() == waiting  # desk 1 has its people
    assert page.desk_name_edit.text() == "丙大学警校联调中心" and page.desk_name_edit.isReadOnly()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()
    assert wizard.currentId() == PAGE_ADMIN
    fill_admin_page(qtbot, wizard)
    next_button.click()
    with qtbot.waitSignal(wizard.accepted, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.actor is not None and wizard.actor.desk_id == waiting and not wizard.actor.writes_every_desk
    with sqlite_db.read() as s:
        assert desks.desks_without_admin(s) == []
