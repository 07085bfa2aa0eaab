"""The "today" panel beside the case list: one scrollable column of sections.

Built in: who is on duty (with 签到/签退), documents waiting for approval or returned,
my open cases, deadlines due and follow-ups due. A later feature (reviews, backups,
handovers) adds its own section with :meth:`TodayPanel.add_section`: a
:class:`TodaySection` reads its data in :meth:`~TodaySection.load` — in the panel's one
read operation, beside ``roster.today_overview`` which every section may use — and shows
it in :meth:`~TodaySection.present`. Lists have a fixed height, so the panel scrolls
instead of growing past a 1366×768 screen.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediation import workflow
from mediation.changes import Changes
from mediation.errors import MediationError
from mediation.permissions import Actor
from mediation.services import caselist, roster
from mediation.timeutil import local, local_today
from mediation.ui.context import AppContext
from mediation.ui.handover_dialog import HandoverDialog
from mediation.ui.models.case_table_model import DUE_SOON_BACKGROUND, OVERDUE_BACKGROUND
from mediation.ui.operations import ReadOp, ReadsOneAtATime, WriteOp
from mediation.ui.widgets import ERROR_STYLE, Retranslating

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

REFRESH_MS = 5 * 60_000
"""The panel reads itself again this often (deadlines and check-ins change during a shift)."""
LIST_ROWS = 4


def _list(rows: int = LIST_ROWS) -> QListWidget:
    lst = QListWidget()
    lst.setUniformItemSizes(True)
    lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    lst.setTextElideMode(Qt.TextElideMode.ElideRight)
    lst.setFixedHeight(lst.fontMetrics().height() * rows + 16)
    return lst


def _placeholder(lst: QListWidget, text: str) -> None:
    item = QListWidgetItem(text)
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    lst.addItem(item)


class TodaySection(Retranslating, QGroupBox):
    """One section of the today panel: a titled box, usually with a short list.

    ``load`` runs in a worker thread (no widgets there) inside the panel's read session;
    ``present`` shows its result on the UI thread. ``case_activated`` opens a case.
    """

    case_activated = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def load(self, session: Session, actor: Actor, overview: roster.TodayOverview) -> object:
        """What :meth:`present` shows (default: the overview every section shares)."""
        return overview

    def present(self, data: object) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        """Texts that do not depend on the data (titles are set by :meth:`present`)."""



class DutySection(TodaySection):
    """Who is on duty today, and the 签到/签退 button of the person at the desk."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._overview: roster.TodayOverview | None = None
        self._my_shift_id: int | None = None
        self._my_present = False
        self.list = _list()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.now_label = QLabel()
        self.now_label.setWordWrap(True)
        self.check_button = QPushButton()
        self.check_button.setEnabled(False)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.handover_dialog: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.now_label)
        layout.addWidget(self.list)
        layout.addWidget(self.check_button)
        self.retranslate()

    @property
    def on_duty_shift(self) -> int | None:
        """The shift the person at the desk is checked in to, as last read (None: not on duty)."""
        return self._my_shift_id if self._my_present else None

    def retranslate(self) -> None:
        self.setTitle(self.tr("今日值班"))
        if self._overview is not None:
            self.present(self._overview)
        else:
            self.check_button.setText(self.tr("签到（我已到岗）"))

    def present(self, data: object) -> None:
        assert isinstance(data, roster.TodayOverview)
        self._overview = data
        user_id = self.ctx.actor.user_id if self.ctx.has_actor else None
        self.list.clear()
        self._my_shift_id, self._my_present = None, False
        for s in data.shifts:
            start, end = local(s.starts_at), local(s.ends_at)
            if s.present:
                status = self.tr("在岗")
            elif s.checked_out_at is not None:
                status = self.tr("已签退")
            else:
                status = self.tr("未签到")
            # The status first: in the narrow panel the end of a line is what gets cut off.
            item = QListWidgetItem(self.tr("{status} · {name} {start}–{end}").format(
                name=s.user_name, start=start.strftime("%H:%M"), end=end.strftime("%H:%M"), status=status))
            item.setToolTip(self.tr("{name}（{role}）").format(name=s.user_name, role=s.role_label))
            self.list.addItem(item)
            if s.user_id == user_id and (s.present or self._my_shift_id is None) and s.checked_out_at is None:
                self._my_shift_id, self._my_present = s.id, s.present
        if not data.shifts:
            _placeholder(self.list, self.tr("今天没有排班"))
        present = [s.user_name for s in data.shifts if s.present]
        self.now_label.setText(self.tr("现在在岗：{names}").format(names="、".join(present)) if present
                               else self.tr("现在没有人签到在岗"))
        self.check_button.setText(self.tr("签退") if self._my_present else self.tr("签到（我已到岗）"))
        self.check_button.setEnabled(True)

    def _on_check_button_clicked(self) -> None:
        if self._my_present and self._my_shift_id is not None:
            self.open_handover(self._my_shift_id)  # 签退 is with the handover (交接班)
        else:
            WriteOp(self, roster.check_in).changes(Changes(roster=True)).run()

    def open_handover(self, shift_id: int | None, *, logout: bool = False) -> QWidget:
        """The 签退与交接班 dialog of the person at the desk (non-modal: the work stays reachable)."""
        dialog = HandoverDialog(self.ctx, shift_id, self.window(), logout=logout)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.handover_dialog = dialog
        dialog.open()
        return dialog


class DocumentsSection(TodaySection):
    """Documents waiting for this officer's approval, or returned to their drafter."""

    document_activated = Signal(int, int)
    """(case id, document id) of a document waiting for revision."""
    review_requested = Signal(int, int)
    """(case id, document id) of a submitted document the officer chose to review."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.list = _list()
        self.list.itemActivated.connect(self._on_item_activated)
        QVBoxLayout(self).addWidget(self.list)

    def present(self, data: object) -> None:
        assert isinstance(data, roster.TodayOverview)
        tasks = data.documents
        self.list.clear()
        self.setTitle(self.tr("待处理文书（{n}）").format(n=len(tasks)))
        # Shown to those who approve (waiting for them) and drafters (returned to them).
        can_approve = self.ctx.has_actor and self.ctx.actor.can("document.approve")
        self.setVisible(bool(tasks) or can_approve)
        if not tasks:
            _placeholder(self.list, self.tr("没有待审批或退回修改的文书"))
            return
        for t in tasks:
            what = self.tr("待审批") if t.status == "submitted" else self.tr("退回修改")
            item = QListWidgetItem(f"{what}：{t.title} · {t.parties}")
            item.setToolTip("\n".join([t.case_number or self.tr("待受理"), t.title, t.parties,
                                       local(t.since).strftime("%Y-%m-%d %H:%M")]))
            if t.status == "returned":
                item.setBackground(DUE_SOON_BACKGROUND)
            item.setData(Qt.ItemDataRole.UserRole, [t.case_id, t.document_id, t.status])
            self.list.addItem(item)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(data, (list, tuple)) and len(data) == 3:
            if data[2] == "submitted":  # waiting for this officer: straight to the review
                self.review_requested.emit(int(data[0]), int(data[1]))
            else:
                self.document_activated.emit(int(data[0]), int(data[1]))


class CaseListSection(TodaySection):
    """A short list of cases from the overview: mine, deadlines due, or follow-ups due."""

    MINE, DUE, FOLLOW_UP = "mine", "due", "follow_up"

    def __init__(self, ctx: AppContext, which: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.which = which
        self._overview: roster.TodayOverview | None = None
        self.list = _list()
        self.list.itemActivated.connect(self._on_item_activated)
        QVBoxLayout(self).addWidget(self.list)
        self.retranslate()

    def retranslate(self) -> None:
        tips = {self.MINE: self.tr("您担任调解员、尚未结案的案件"),
                self.DUE: self.tr("已逾期（红色）和 2 个工作日内到期（黄色）的期限"),
                self.FOLLOW_UP: self.tr("处于“履行/回访”阶段的案件，按履行期限排序")}
        self.setToolTip(tips[self.which])
        self._show()

    def present(self, data: object) -> None:
        assert isinstance(data, roster.TodayOverview)
        self._overview = data
        self._show()

    def _show(self) -> None:
        ov = self._overview
        if self.which == self.MINE:
            rows = ov.my_open if ov else []
            self.setTitle(self.tr("我的在办案件（{n}）").format(n=ov.my_open_count if ov else 0))
            empty = self.tr("没有由您调解的在办案件")
        elif self.which == self.DUE:
            rows = ov.deadlines_due if ov else []
            self.setTitle(self.tr("期限将到或已逾期（{n}）").format(n=len(rows)))
            empty = self.tr("近两个工作日没有到期的期限")
        else:
            rows = ov.follow_ups_due if ov else []
            self.setTitle(self.tr("待回访（{n}）").format(n=len(rows)))
            empty = self.tr("没有待回访的案件")
        self.list.clear()
        if ov is None:
            return
        if not rows:
            _placeholder(self.list, empty)
            return
        for r in rows:
            self.list.addItem(self._item(r, ov))

    def _item(self, r: caselist.CaseRow, ov: roster.TodayOverview) -> QListWidgetItem:
        # Names first: the volunteer recognises people, not numbers (those are in the tooltip).
        if self.which != self.MINE and r.deadline is not None:
            text = f"{r.deadline:%m-%d}  {r.parties}"
        else:
            text = f"{r.parties} · {workflow.stage_label(r.stage)}"
        tip = [r.number or self.tr("待受理"), r.parties, workflow.stage_label(r.stage)]
        item = QListWidgetItem(text)
        level = roster.urgency(r.deadline, ov.today, ov.due_until)
        if r.deadline is not None:
            tip.append(self.tr("{label}：{date}").format(label=r.deadline_label or self.tr("期限"),
                                                        date=r.deadline.isoformat()))
            if level == 2:
                item.setBackground(OVERDUE_BACKGROUND)
            elif level == 1:
                item.setBackground(DUE_SOON_BACKGROUND)
            if level:
                item.setForeground(QColor("#3b1f00"))
        item.setToolTip("\n".join(tip))
        item.setData(Qt.ItemDataRole.UserRole, r.id)
        return item

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(case_id, int):
            self.case_activated.emit(case_id)


class TodayPanel(ReadsOneAtATime, Retranslating, QScrollArea):
    """What the person at the desk needs today, one section under the other."""

    case_activated = Signal(int)
    document_activated = Signal(int, int)
    """(case id, document id) of a document waiting for revision."""
    review_requested = Signal(int, int)
    """(case id, document id) of a submitted document the officer chose to review."""
    refreshed = Signal()
    """Every section shows what was just read."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sections: list[TodaySection] = []
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(4, 0, 4, 4)
        self.date_label = QLabel()
        font = self.date_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.date_label.setFont(font)
        self._layout.addWidget(self.date_label)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.hide()
        self._layout.addWidget(self.message_label)
        self._layout.addStretch(1)
        self.setWidget(body)

        self.duty = DutySection(ctx)
        self.documents = DocumentsSection(ctx)
        self.documents.document_activated.connect(self.document_activated)
        self.documents.review_requested.connect(self.review_requested)
        self.documents.hide()  # until it knows whether there is anything for this person
        self.mine = CaseListSection(ctx, CaseListSection.MINE)
        self.due = CaseListSection(ctx, CaseListSection.DUE)
        self.follow_ups = CaseListSection(ctx, CaseListSection.FOLLOW_UP)
        for section in (self.duty, self.documents, self.mine, self.due, self.follow_ups):
            self.add_section(section)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.reload)
        self._timer.start()
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(80)
        self._soon.timeout.connect(self.reload)
        ctx.operation_did_execute.connect(self._on_operation_did_execute)
        self.retranslate()

    def add_section(self, section: TodaySection, *, index: int | None = None) -> None:
        """Add ``section`` (at ``index`` among the sections, default last); it shows at the next refresh."""
        at = len(self.sections) if index is None else max(0, min(index, len(self.sections)))
        self.sections.insert(at, section)
        # After the date and message lines; the stretch stays last.
        self._layout.insertWidget(2 + at, section)
        section.case_activated.connect(self.case_activated)

    def retranslate(self) -> None:
        self.date_label.setText(self.tr("今天 {date}").format(date=local_today().isoformat()))

    def read_op(self) -> ReadOp[tuple[roster.TodayOverview, list[object]]] | None:
        """Every section's data in one read operation (``reload()`` runs it)."""
        if not self.ctx.has_actor:
            return None
        sections = list(self.sections)

        def load(s: Session, actor: Actor) -> tuple[roster.TodayOverview, list[object]]:
            overview = roster.today_overview(s, actor)
            return overview, [section.load(s, actor, overview) for section in sections]

        return ReadOp(self, load).success(lambda r: self._on_loaded(sections, *r)).failure(self._on_failed)

    def _on_loaded(self, sections: list[TodaySection], overview: roster.TodayOverview, data: list[object]) -> None:
        self.message_label.hide()
        self.date_label.setText(self.tr("今天 {date}").format(date=overview.today.isoformat()))
        for section, value in zip(sections, data, strict=True):
            section.present(value)
        self.refreshed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        # A panel beside the work: it says so and tries again later (the log has the details).
        reason = exc.message if isinstance(exc, MediationError) else type(exc).__name__
        self.message_label.setText(self.tr("今日面板载入失败：{msg}").format(msg=reason))
        self.message_label.show()

    def _on_operation_did_execute(self, changes: object) -> None:
        # Everything but accounts may show here: cases, documents, the roster, deadlines.
        if isinstance(changes, Changes) and changes != Changes(users=True):
            self._soon.start()
