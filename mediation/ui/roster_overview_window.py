"""值班与工时总览 (the faculty adviser; officers and administrators read it too): per student the
shifts kept, late and missed, hours by kind, casework; who has had no shift for 30 days; late
and missed shifts; what waits for the adviser (extra time, hours added afterwards, swaps);
unacknowledged handovers; and the certificates each student takes away."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation import volunteering
from mediation.changes import Changes
from mediation.permissions import Actor
from mediation.services.roster import certificates, hours, overview, swaps, terms
from mediation.timeutil import local
from mediation.ui.certificate_dialog import CertificateDialog
from mediation.ui.context import AppContext
from mediation.ui.handover_dialog import item_text
from mediation.ui.lock_dialog import LockDialog
from mediation.ui.operations import ReadOp, WriteOp
from mediation.ui.widgets import Banner, Retranslating, hbox, record_table, section_title, table_cell

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

IDLE = QColor("#fff4e5")
h = volunteering.hours_text


def _table(columns: int) -> QTableWidget:
    table = record_table(columns)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: list[tuple[int, list[str]]], *, shade: set[int] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, (ident, texts) in enumerate(rows):
        for c, text in enumerate(texts):
            item = table_cell(text, ident)
            if shade and ident in shade:
                item.setBackground(IDLE)
            table.setItem(r, c, item)


def _selected(table: QTableWidget) -> int | None:
    item = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
    data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
    return int(data) if data is not None else None


class RosterOverviewWindow(Retranslating, QDialog):
    """The overview of one term."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("RosterOverviewWindow")
        self.ctx = ctx
        self.terms: list[terms.TermView] = []
        self.data: overview.TermOverview | None = None
        self.certificate_dialog: CertificateDialog | None = None
        self.certs: list[certificates.CertificateView] = []
        self.banner = Banner(self)
        self.term_label = QLabel()
        self.term_combo = QComboBox()
        self.term_combo.setMinimumWidth(220)
        self.term_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.summary = QLabel()
        self.lock_button = QPushButton()
        self.lock_button.clicked.connect(self._on_lock_clicked)
        self.students = _table(15)
        self.idle_label = QLabel()
        self.idle_label.setWordWrap(True)
        students_page = QWidget()
        lay = QVBoxLayout(students_page)
        lay.addWidget(self.students, 1)
        lay.addWidget(self.idle_label)
        self.attendance = _table(3)
        # Approvals
        self.extras, self.claims, self.swaps = _table(5), _table(6), _table(4)
        self.extras_title, self.claims_title, self.swaps_title = section_title(""), section_title(""), section_title("")
        self.approve_extra, self.reject_extra = QPushButton(), QPushButton()
        self.approve_claim, self.reject_claim = QPushButton(), QPushButton()
        self.approve_swap, self.reject_swap = QPushButton(), QPushButton()
        approvals = QWidget()
        lay = QVBoxLayout(approvals)
        for title, table, ok, no in ((self.extras_title, self.extras, self.approve_extra, self.reject_extra),
                                     (self.claims_title, self.claims, self.approve_claim, self.reject_claim),
                                     (self.swaps_title, self.swaps, self.approve_swap, self.reject_swap)):
            lay.addLayout(hbox((title, 1), ok, no))
            lay.addWidget(table, 1)
        # Handovers
        self.handovers = _table(4)
        # Certificates
        self.certificates = _table(6)
        self.draft_service, self.draft_report, self.open_cert = QPushButton(), QPushButton(), QPushButton()
        cert_page = QWidget()
        lay = QVBoxLayout(cert_page)
        lay.addWidget(self.certificates, 1)
        lay.addLayout(hbox(self.draft_service, self.draft_report, None, self.open_cert))
        self.tabs = QTabWidget()
        for page in (students_page, self.attendance, approvals, self.handovers, cert_page):
            self.tabs.addTab(page, "")
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)
        root = QVBoxLayout(self)
        root.addWidget(self.banner)
        root.addLayout(hbox(self.term_label, self.term_combo, (self.summary, 1), self.lock_button))
        root.addWidget(self.tabs, 1)
        root.addWidget(self.close_buttons)
        approver = ctx.has_actor and ctx.actor.can("roster.approve")
        certifier = ctx.has_actor and ctx.actor.can("roster.certify")
        for button, slot in (
                (self.approve_extra, lambda: self._decide_extra(True)), (self.reject_extra, lambda: self._decide_extra(False)),
                (self.approve_claim, lambda: self._decide_claim(True)), (self.reject_claim, lambda: self._decide_claim(False)),
                (self.approve_swap, lambda: self._decide_swap(True)), (self.reject_swap, lambda: self._decide_swap(False))):
            button.clicked.connect(slot)
            button.setVisible(approver)
        self.lock_button.setVisible(approver)
        self.draft_service.clicked.connect(lambda: self._draft(volunteering.SERVICE_RECORD))
        self.draft_report.clicked.connect(lambda: self._draft(volunteering.PRACTICE_REPORT))
        self.open_cert.clicked.connect(self._on_open_cert_clicked)
        self.certificates.doubleClicked.connect(lambda _i: self._on_open_cert_clicked())
        for b in (self.draft_service, self.draft_report):
            b.setVisible(certifier)
        ctx.operation_did_execute.connect(self._on_operation_did_execute)
        self.resize(1240, 700)
        self.retranslate()
        self.load_terms()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("值班与工时总览"))
        self.term_label.setText(self.tr("学期："))
        self.lock_button.setText(self.tr("锁定工时…"))
        for i, text in enumerate((self.tr("学生"), self.tr("迟到与缺勤"), self.tr("待审核"), self.tr("交接班"),
                                  self.tr("证明"))):
            self.tabs.setTabText(i, text)
        self.students.setHorizontalHeaderLabels([
            self.tr("学号"), self.tr("姓名"), self.tr("状态"), self.tr("已值班"), self.tr("迟到"), self.tr("缺勤"),
            self.tr("值班（小时）"), self.tr("办案（小时）"), self.tr("培训（小时）"), self.tr("待确认"),
            self.tr("案件"), self.tr("调解记录"), self.tr("咨询"), self.tr("文书（退回）"), self.tr("回访")])
        self.attendance.setHorizontalHeaderLabels([self.tr("班次"), self.tr("姓名"), self.tr("情况")])
        self.extras.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("班次"), self.tr("签退"), self.tr("待确认（小时）"),
                                               self.tr("类别")])
        self.claims.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("日期"), self.tr("类别"), self.tr("时长（小时）"),
                                               self.tr("理由"), self.tr("状态")])
        self.swaps.setHorizontalHeaderLabels([self.tr("班次"), self.tr("申请人"), self.tr("代班/换班同学"), self.tr("说明")])
        self.handovers.setHorizontalHeaderLabels([self.tr("交班人"), self.tr("时间"), self.tr("事项"), self.tr("补充说明")])
        self.certificates.setHorizontalHeaderLabels([self.tr("学号"), self.tr("姓名"), self.tr("证明"), self.tr("状态"),
                                                     self.tr("编号"), self.tr("合计（小时）")])
        self.extras_title.setText(self.tr("超时与临时到岗"))
        self.claims_title.setText(self.tr("补记工时"))
        self.swaps_title.setText(self.tr("换班（同学已接受）"))
        for ok, no in ((self.approve_extra, self.reject_extra), (self.approve_claim, self.reject_claim),
                       (self.approve_swap, self.reject_swap)):
            ok.setText(self.tr("批准"))
            no.setText(self.tr("不批准"))
        self.draft_service.setText(self.tr("起草志愿服务记录证明"))
        self.draft_report.setText(self.tr("起草课外实践表现报告"))
        self.open_cert.setText(self.tr("打开…"))
        self._show()

    def show_message(self, text: str, level: str) -> None:
        self.banner.show_message(text, level)

    # ---------------------------------------------------------------- loading

    def load_terms(self) -> None:
        def load(s: Session, a: Actor) -> tuple[list[terms.TermView], int | None]:
            current = terms.current_term(s, a)
            return terms.list_terms(s, a), current.id if current else None

        ReadOp(self, load).success(lambda r: self._on_terms_loaded(*r)).run()

    def _on_terms_loaded(self, found: list[terms.TermView], current: int | None) -> None:
        self.terms = found
        self.term_combo.blockSignals(True)
        self.term_combo.clear()
        for t in found:
            self.term_combo.addItem(t.name, t.id)
        self.term_combo.setCurrentIndex(max(0, self.term_combo.findData(current)) if found else -1)
        self.term_combo.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        term_id = self.term_combo.currentData()
        if term_id is None:
            return
        tid = int(term_id)

        def load(s: Session, a: Actor) -> tuple[overview.TermOverview, list[certificates.CertificateView]]:
            return overview.term_overview(s, a, tid), certificates.list_certificates(s, a, tid)

        ReadOp(self, load).success(lambda r: self._on_loaded(*r)).run()

    def _on_loaded(self, data: overview.TermOverview, certs: list[certificates.CertificateView]) -> None:
        self.data, self.certs = data, certs
        self._show()

    def _show(self) -> None:
        data = self.data
        if data is None:
            return
        idle = {f.volunteer_id for f in data.idle}
        _fill(self.students, [(f.volunteer_id, [
            f.student_no, f.name, f.status_label, str(f.kept), str(f.late), str(f.missed), h(f.duty_minutes),
            h(f.case_minutes), h(f.training_minutes), h(f.pending_minutes) if f.pending_minutes else "",
            str(f.cases_handled), str(f.sessions), str(f.consultations),
            f"{f.documents_drafted}（{f.documents_returned}）", str(f.follow_ups)]) for f in data.students],
            shade=idle)
        self.summary.setText(self.tr("{n} 名学生；待审核 {p} 项；未确认的交接班 {k} 份").format(
            n=len(data.students), p=len(data.pending.extras) + len(data.pending.claims) + len(data.swaps),
            k=len(data.handovers)))
        self.idle_label.setText(self.tr("近 30 天没有值班：{names}").format(names="、".join(f.name for f in data.idle))
                                if data.idle else self.tr("每位在岗学生近 30 天都有值班。"))
        _fill(self.attendance, [(i.shift_id, [f"{local(i.starts_at):%m-%d %H:%M}–{local(i.ends_at):%H:%M}", i.name,
                                              i.label]) for i in data.attendance])
        _fill(self.extras, [(e.shift_id, [e.name, f"{local(e.starts_at):%m-%d %H:%M}–{local(e.ends_at):%H:%M}",
                                          f"{local(e.checked_out_at):%H:%M}" if e.checked_out_at else "",
                                          h(e.minutes), self.tr("超时") if e.scheduled else self.tr("临时到岗")])
                            for e in data.pending.extras])
        _fill(self.claims, [(c.id, [c.name, c.worked_on.isoformat(), volunteering.hours_label(c.kind), h(c.minutes),
                                    c.reason, self.tr("待确认")]) for c in data.pending.claims])
        _fill(self.swaps, [(w.id, [f"{local(w.starts_at):%m-%d %H:%M}", w.requester, w.colleague, w.note])
                           for w in data.swaps])
        _fill(self.handovers, [(x.id, [x.author, f"{local(x.written_at):%m-%d %H:%M}",
                                       "；".join(item_text(i) for i in x.items) or self.tr("（无）"), x.note])
                               for x in data.handovers])
        _fill(self.certificates, [(c.id, [c.figures.student_no, c.figures.name, c.title,
                                          self.tr("已审批") if c.approved else self.tr("待审批"), c.number or "",
                                          h(c.figures.total_minutes)]) for c in self.certs])
        self.tabs.setTabText(2, self.tr("待审核（{n}）").format(
            n=len(data.pending.extras) + len(data.pending.claims) + len(data.swaps)))
        self.tabs.setTabText(3, self.tr("交接班（{n}）").format(n=len(data.handovers)))

    # ---------------------------------------------------------------- decisions

    def _decide_extra(self, approve: bool) -> None:
        shift = _selected(self.extras)
        if shift is not None:
            WriteOp(self, lambda s, a: hours.decide_extra(s, a, shift, approve=approve)).run()

    def _decide_claim(self, confirm: bool) -> None:
        claim = _selected(self.claims)
        if claim is not None:
            WriteOp(self, lambda s, a: hours.decide_claim(s, a, claim, confirm=confirm)).run()

    def _decide_swap(self, approve: bool) -> None:
        swap = _selected(self.swaps)
        if swap is not None:
            WriteOp(self, lambda s, a: swaps.decide_swap(s, a, swap, approve=approve)).run()

    def _on_lock_clicked(self) -> None:
        dialog = LockDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    # ---------------------------------------------------------------- certificates

    def _draft(self, kind: str) -> None:
        vid = _selected(self.students)
        if vid is None:
            self.banner.show_message(self.tr("请先在“学生”中选中一位学生。"), "info")
            return
        (WriteOp(self, lambda s, a: certificates.draft_certificate(s, a, vid, kind)).changes(Changes(roster=True))
         .success(self.open_certificate).run())

    def _on_open_cert_clicked(self) -> None:
        cid = _selected(self.certificates)
        if cid is not None:
            self.open_certificate(cid)

    def open_certificate(self, certificate_id: int) -> CertificateDialog:
        self.tabs.setCurrentIndex(4)
        dialog = CertificateDialog(self.ctx, certificate_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        self.certificate_dialog = dialog
        return dialog

    def _on_operation_did_execute(self, changes: object) -> None:
        if isinstance(changes, Changes) and (changes.roster or changes.cases_list or changes.case_ids):
            self.reload()
