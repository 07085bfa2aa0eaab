"""The today panel: my cases, check-in, and a section added by a later feature."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation.db import Database
from mediation.models import Case
from mediation.permissions import Actor
from mediation.services import documents as docs
from mediation.services import roster
from mediation.timeutil import local_today
from mediation.ui.approval_dialog import ApprovalDialog
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.state import UiState
from mediation.ui.today_panel import TodaySection
from tests.conftest import Desk
from tests.factories import agreed_case, document_on


def test_today_panel_shows_my_cases_and_check_in(qtbot, window: MainWindow, populated) -> None:
    qtbot.waitUntil(lambda: window.today_panel.mine.list.count() > 1, timeout=10_000)
    assert "12" in window.today_panel.mine.title()
    db, pop = populated
    qtbot.mouseClick(window.today_panel.duty.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.today_panel.duty.list.count() == 1
                    and window.today_panel.duty.list.item(0).text().startswith("在岗"), timeout=10_000)
    assert "（" in window.today_panel.duty.list.item(0).toolTip()  # the role, in the tooltip
    assert window.today_panel.duty.check_button.text() == "签退"
    with db.read() as s:
        shifts = roster.shifts_on(s, pop.desk.volunteer, local_today())
    assert shifts and shifts[0].present


def test_the_officer_finds_a_submitted_draft_in_the_today_panel(qtbot: QtBot, sqlite_db: Database, desk: Desk,
                                                                 tmp_path: Path) -> None:
    with sqlite_db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(sqlite_db, desk, case_id, status="submitted")

    window = MainWindow(AppContext(sqlite_db, desk.officer), UiState(tmp_path / "ui.ini"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    panel = window.today_panel
    docs_list = panel.documents.list
    qtbot.waitUntil(lambda: docs_list.count() == 1
                    and docs_list.item(0).data(Qt.ItemDataRole.UserRole) is not None, timeout=10_000)
    assert panel.documents.isVisible() and "（1）" in panel.documents.title()
    item = docs_list.item(0)
    assert item.text().startswith("待审批：人民调解协议书")
    rect = docs_list.visualItemRect(item)
    # A double click as the hand makes it: press and release, then the second press.
    qtbot.mouseClick(docs_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(docs_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: case_id in window.case_windows(), timeout=5_000)
    case_window = window.case_windows()[case_id]
    assert case_window.tabs.currentWidget() is case_window.documents_tab
    qtbot.waitUntil(lambda: case_window.documents_tab.selected_id() == doc_id, timeout=10_000)
    # Straight to the review, with what changed since the officer last looked.
    review = case_window.documents_tab.current_dialog
    assert isinstance(review, ApprovalDialog)
    qtbot.waitUntil(lambda: review.loaded, timeout=10_000)
    assert "审批" in case_window.documents_tab.hint_label.text() and "等您" in case_window.documents_tab.hint_label.text()
    review.close()

    # Returned for changes: it is the volunteer's task now, and off the officer's list.
    with sqlite_db.write() as s:
        docs.return_for_changes(s, desk.officer, doc_id, comment="请写明履行期限。")
    with sqlite_db.read() as s:
        from mediation.services import roster

        assert roster.document_tasks(s, desk.officer) == []
        mine = roster.document_tasks(s, desk.volunteer)
    assert [(t.document_id, t.status) for t in mine] == [(doc_id, "returned")]
    case_window.close()


class NumberedSection(TodaySection):
    """What a later feature adds: data of its own, read in the panel's one read operation."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.list = QListWidget()
        self.list.itemActivated.connect(lambda item: self.case_activated.emit(item.data(Qt.ItemDataRole.UserRole)))
        QVBoxLayout(self).addWidget(self.list)

    def load(self, session: Session, actor: Actor, overview: roster.TodayOverview) -> object:
        return list(session.execute(select(Case.id, Case.number).where(Case.number.is_not(None))
                                    .order_by(Case.id).limit(3)))

    def present(self, data: object) -> None:
        assert isinstance(data, list)
        self.setTitle(f"已编号（{len(data)}）")
        self.list.clear()
        for case_id, number in data:
            item = QListWidgetItem(number)
            item.setData(Qt.ItemDataRole.UserRole, case_id)
            self.list.addItem(item)


def test_a_later_feature_adds_a_section(qtbot, window: MainWindow, populated) -> None:
    _db, pop = populated
    panel = window.today_panel
    section = NumberedSection(window.ctx)
    panel.add_section(section, index=1)
    assert panel.sections[:2] == [panel.duty, section]
    panel.reload()  # after the refresh under way, if any
    qtbot.waitUntil(lambda: section.title() == "已编号（3）", timeout=10_000)
    assert section.list.count() == 3
    assert panel.mine.list.count() > 1  # the built-in sections were read in the same operation
    # Its cases open like the others.
    item = section.list.item(0)
    section.list.setCurrentItem(item)
    qtbot.keyClick(section.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: item.data(Qt.ItemDataRole.UserRole) in window.case_windows(), timeout=5_000)
    assert item.data(Qt.ItemDataRole.UserRole) in pop.accepted
    # More sections make the panel scroll, not the window grow past a 1366×768 screen.
    window.resize(1366, 768)
    assert window.minimumSizeHint().height() <= 768
    assert panel.minimumSizeHint().height() < panel.widget().sizeHint().height()
    window.case_windows()[item.data(Qt.ItemDataRole.UserRole)].close()
