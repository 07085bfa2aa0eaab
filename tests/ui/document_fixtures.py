"""A case with an agreement reached, ready for its documents; the documents tab; a signature drawn by hand."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from mediation import workflow
from mediation.db import Database
from mediation.services import case_records, cases
from mediation.services.case_records import SessionInput
from mediation.services.cases import AgreementInput
from mediation.timeutil import utcnow
from mediation.ui.context import AppContext
from mediation.ui.documents_tab import DocumentsTab
from mediation.ui.signature_pad import SignaturePad
from tests.conftest import Desk
from tests.factories import dispute

OLD_TERM = "被申请人退还押金2000元。"
NEW_TERM = "被申请人于七日内退还押金人民币贰仟元整（¥2,000.00）。"
ADDED_TERM = "款项通过微信转账至申请人账户。"


def agreed_case(db: Database, desk: Desk) -> int:
    with db.write() as s:
        ref = cases.register_case(s, desk.volunteer, dispute())
        cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
        cases.assign_mediator(s, desk.officer, ref.id, desk.volunteer.user_id)
        cases.accept_case(s, desk.officer, ref.id)
        case_records.add_session_record(s, desk.volunteer, ref.id, SessionInput(
            held_at=utcnow(), content="双方同意退还押金2000元。", place="调解室", attendees="张三、李四"))
        cases.record_agreement(s, desk.volunteer, ref.id, AgreementInput(
            kind="written", terms=f"{OLD_TERM}\n双方就本纠纷再无其他争议。", amount="2000",
            performance_manner="微信转账", performance_place="联调中心",
            performance_deadline=dt.date.today() + dt.timedelta(days=7)))
    return ref.id


def open_tab(qtbot: QtBot, ctx: AppContext, case_id: int) -> DocumentsTab:
    tab = DocumentsTab(ctx, case_id)
    qtbot.addWidget(tab)
    tab.resize(1000, 700)
    tab.show()
    qtbot.waitUntil(lambda: tab.loaded, timeout=10_000)
    return tab


def wait_status(qtbot: QtBot, tab: DocumentsTab, doc_id: int, status: str) -> None:
    qtbot.mouseClick(tab.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(d.id == doc_id and d.status == status for d in tab.documents), timeout=10_000)
    tab.select_document(doc_id)


def sign(qtbot: QtBot, pad: SignaturePad, offset: int = 0) -> None:
    """A short scribble with press, moves and release, as a hand would make it."""
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30 + offset, 70))
    for x, y in [(50, 40), (80, 90), (110, 45), (150, 85), (190, 55)]:
        qtbot.mouseMove(pad, QPoint(x + offset, y))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(220 + offset, 60))
