"""The documents tab of a case (from tests.factories.agreed_case); a signature drawn by hand."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from mediation.ui.context import AppContext
from mediation.ui.documents_tab import DocumentsTab
from mediation.ui.signature_pad import SignaturePad
from tests.factories import AGREED_TERM

OLD_TERM = AGREED_TERM
NEW_TERM = "被申请人于七日内退还押金人民币贰仟元整（¥2,000.00）。"
ADDED_TERM = "款项通过微信转账至申请人账户。"


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
