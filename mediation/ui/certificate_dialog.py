"""A certificate: its figures (the overview's), the content of the service and the adviser's
evaluation; saved as a draft, approved by the adviser, previewed, printed and exported."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QWidget

from mediation import volunteering
from mediation.changes import Changes
from mediation.permissions import Actor
from mediation.services.roster import certificates
from mediation.services.roster.overview import StudentFigures
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp, SessionFn, WriteOp
from mediation.ui.pdf_preview import PdfPreviewDialog
from mediation.ui.roster_form import RosterForm

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def figures_text(f: StudentFigures) -> str:
    h = volunteering.hours_text
    return (f"{f.name}（{f.student_no}）{f.period_start.isoformat()} 至 {f.period_end.isoformat()}\n"
            f"值班 {h(f.duty_minutes)} 小时（{f.kept} 次，迟到 {f.late}，缺勤 {f.missed}），办案 {h(f.case_minutes)} 小时，"
            f"培训 {h(f.training_minutes)} 小时，合计 {h(f.total_minutes)} 小时\n"
            f"案件 {f.cases_handled} 件，调解记录 {f.sessions}，调查 {f.investigations}，回访 {f.follow_ups}，"
            f"咨询 {f.consultations}，起草文书 {f.documents_drafted}（退回 {f.documents_returned}）")


class CertificateDialog(RosterForm):
    """One certificate (``certificate_id``)."""

    def __init__(self, ctx: AppContext, certificate_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("CertificateDialog")
        self.certificate_id = certificate_id
        self.view: certificates.CertificateView | None = None
        self.preview_dialog: PdfPreviewDialog | None = None
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.content_edit = QPlainTextEdit()
        self.content_edit.setFixedHeight(90)
        self.evaluation_edit = QPlainTextEdit()
        self.evaluation_edit.setFixedHeight(110)
        self.body.insertWidget(0, self.figures)
        self.row("content", self.content_edit)
        self.row("evaluation", self.evaluation_edit)
        self.approve_button = QPushButton()
        self.preview_button = QPushButton()
        self.buttons.addButton(self.approve_button, self.buttons.ButtonRole.ActionRole)
        self.buttons.addButton(self.preview_button, self.buttons.ButtonRole.ActionRole)
        self.approve_button.clicked.connect(self.approve)
        self.preview_button.clicked.connect(self.preview)
        self.approve_button.setVisible(ctx.has_actor and ctx.actor.can("roster.approve"))
        self.resize(640, 520)
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        title = self.view.title if self.view else self.tr("志愿服务证明")
        self.setWindowTitle(title)
        self.set_labels(content=self.tr("服务内容"), evaluation=self.tr("指导老师评价"))
        self.set_buttons(self.tr("保存草稿"), self.tr("关闭"))
        self.approve_button.setText(self.tr("审批通过"))
        self.preview_button.setText(self.tr("预览 / 打印…"))

    def load(self) -> None:
        if self.certificate_id is None:
            return
        cid = self.certificate_id
        ReadOp(self, lambda s, a: certificates.get_certificate(s, a, cid)).success(self._on_loaded).run()

    def _on_loaded(self, view: certificates.CertificateView) -> None:
        self.view = view
        self.retranslate()
        self.figures.setText(figures_text(view.figures) + (
            "\n" + self.tr("编号：{n}（{who} 于 {day} 审批）").format(
                n=view.number or "—", who=view.approved_by or "", day=view.issued_on.isoformat() if view.issued_on else "")
            if view.approved else "\n" + self.tr("草稿：审批后才能打印和导出。")))
        self.content_edit.setPlainText(view.content)
        self.evaluation_edit.setPlainText(view.evaluation)
        for w in (self.content_edit, self.evaluation_edit):
            w.setReadOnly(view.approved)
        self.ok_button.setVisible(not view.approved)
        self.approve_button.setEnabled(not view.approved)

    def submit(self) -> None:
        if self.view is None:
            return
        cid, version = self.view.id, self.view.version
        content, evaluation = self.content_edit.toPlainText(), self.evaluation_edit.toPlainText()
        self.write(lambda s, a: certificates.update_certificate(s, a, cid, content=content, evaluation=evaluation,
                                                                expected_version=version))

    def approve(self) -> None:
        if self.view is None:
            return
        cid, version = self.view.id, self.view.version
        content, evaluation = self.content_edit.toPlainText(), self.evaluation_edit.toPlainText()

        def approve(s: Session, a: Actor) -> Changes:
            certificates.update_certificate(s, a, cid, content=content, evaluation=evaluation, expected_version=version)
            return certificates.approve_certificate(s, a, cid)

        self.clear_messages()
        WriteOp(self, approve).success(lambda _r: self.load()).run()

    def preview(self) -> None:
        if self.view is None:
            return
        cid, title, approved = self.view.id, self.view.title, self.view.approved
        stem = f"{title}-{self.view.figures.name}"

        def docx(s: Session, a: Actor) -> bytes:
            return certificates.render_certificate(s, a, cid, fmt="docx")

        (ReadOp(self, lambda s, a: certificates.render_certificate(s, a, cid))
         .success(lambda pdf: self._show(pdf, title, stem, docx if approved else None)).run())

    def _show(self, pdf: bytes, title: str, stem: str, docx: SessionFn[bytes] | None) -> None:
        """The PDF with 打印 and 导出 once approved; a draft is only looked at (marked 草稿)."""
        dialog = PdfPreviewDialog(pdf, title=title, file_stem=stem, parent=self, ctx=self.ctx, docx=docx)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        if docx is None:
            dialog.print_button.setEnabled(False)
            dialog.export_pdf_button.setEnabled(False)
            dialog.banner.show_message(self.tr("草稿：指导老师审批后才能打印和导出。"), "warning")
        dialog.show()
        self.preview_dialog = dialog
