"""The consultations a search finds, beside the case count (issue 12, item 7).

The case list stays a list of cases (its model pages cases only); when the search box
holds text, this button says how many consultations match too and lists them: one
already turned into a case opens that case, another opens the intake pre-filled from
it (转为案件).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from mediation.services import search
from mediation.services.consultations import ConsultationView
from mediation.timeutil import desk_tz
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp

LIMIT = 20
"""At most this many are listed (the count says "20+" beyond)."""


class ConsultationHits(QToolButton):
    consultation_chosen = Signal(int)
    """A consultation not yet turned into a case (its id)."""
    case_chosen = Signal(int)
    """The case a chosen consultation became (its id)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.hits: list[ConsultationView] = []
        self._generation = 0
        self._text = ""
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self.hide()

    def search(self, text: str) -> None:
        """Look for ``text`` among the consultations (in a worker); hidden while there is none."""
        self._generation += 1
        generation = self._generation
        self._text = text
        if not text.strip() or not self.ctx.has_actor:
            self.hits = []
            self.hide()
            return
        (ReadOp(self, lambda s, a: search.find_consultations(s, a, text, limit=LIMIT + 1))
         .success(lambda hits: self._show(generation, hits)).run())

    def _show(self, generation: int, hits: list[ConsultationView]) -> None:
        if generation != self._generation:  # typed on meanwhile
            return
        self.hits = hits[:LIMIT]
        menu = self.menu()
        menu.clear()
        tz = desk_tz()
        for c in self.hits:
            label = "  ".join(p for p in (c.asked_at.astimezone(tz).strftime("%Y-%m-%d"), c.person_name or "—",
                                          c.phone_masked, c.topic) if p)
            if c.converted_case_id is not None:
                label += self.tr("（已转为案件）")
            action = menu.addAction(label)
            action.setData(c.id)
            action.triggered.connect(partial(self._choose, c))
        if not hits:
            self.hide()
            return
        more = "+" if len(hits) > LIMIT else ""
        self.setText(self.tr("另有咨询记录 {n}{more} 条").format(n=len(self.hits), more=more))
        self.setToolTip(self.tr("与“{text}”相符的法律咨询；选择一条：已转为案件的打开案件，其余转为案件").format(
            text=self._text.strip()))
        self.show()

    def _choose(self, c: ConsultationView, _checked: bool = False) -> None:
        if c.converted_case_id is not None:
            self.case_chosen.emit(c.converted_case_id)
        else:
            self.consultation_chosen.emit(c.id)
