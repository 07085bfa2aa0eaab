"""The case's "文书" tab: its documents, what each one's state allows, and the judicial-confirmation countdown."""

from __future__ import annotations

import datetime as dt
import html
import logging
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mediation import workflow
from mediation.changes import Changes
from mediation.documents import render
from mediation.errors import StorageError, ValidationError
from mediation.permissions import Actor
from mediation.services import case_detail
from mediation.services import documents as docs
from mediation.services.case_detail import CaseDetail
from mediation.services.documents import DocumentInfo, Problem
from mediation.timeutil import fmt_local, local_today
from mediation.ui.approval_dialog import ApprovalDialog
from mediation.ui.context import AppContext
from mediation.ui.document_editor import EDITABLE, DocumentEditor, print_copies, status_text
from mediation.ui.pdf_preview import PdfPreviewDialog, ask_save_path, write_file
from mediation.ui.signature_pad import SignatureDialog, role_label
from mediation.ui.errors import present_failure
from mediation.ui.operations import Job, ReadOp, ReadsOneAtATime, SessionFn, Task, WriteOp
from mediation.ui.widgets import QT_TRANSLATE_NOOP, ERROR_COLOR, HINT_COLOR, WARN_COLOR, Banner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

JC_FORM = "judicial_confirmation"
JC_SOON_DAYS = 7

# Action code → button label (translated in the "DocumentsTab" context).
ACTIONS: dict[str, str] = {
    "edit": QT_TRANSLATE_NOOP("DocumentsTab", "编辑"),
    "check": QT_TRANSLATE_NOOP("DocumentsTab", "检查"),
    "submit": QT_TRANSLATE_NOOP("DocumentsTab", "提交审批"),
    "approve": QT_TRANSLATE_NOOP("DocumentsTab", "审批"),
    "sign": QT_TRANSLATE_NOOP("DocumentsTab", "签名"),
    "finalize": QT_TRANSLATE_NOOP("DocumentsTab", "定稿"),
    "scan": QT_TRANSLATE_NOOP("DocumentsTab", "上传签字扫描件"),
    "supersede": QT_TRANSLATE_NOOP("DocumentsTab", "更正（新版本）"),
    "preview": QT_TRANSLATE_NOOP("DocumentsTab", "预览"),
    "print": QT_TRANSLATE_NOOP("DocumentsTab", "打印"),
    "export_docx": QT_TRANSLATE_NOOP("DocumentsTab", "导出 DOCX"),
    "export_pdf": QT_TRANSLATE_NOOP("DocumentsTab", "导出 PDF"),
}
_GROUPS = (
    (QT_TRANSLATE_NOOP("DocumentsTab", "起草："), ("edit", "check", "submit")),
    (QT_TRANSLATE_NOOP("DocumentsTab", "审批："), ("approve",)),
    (QT_TRANSLATE_NOOP("DocumentsTab", "签署："), ("sign", "finalize", "scan", "supersede")),
    (QT_TRANSLATE_NOOP("DocumentsTab", "输出："), ("preview", "print", "export_docx", "export_pdf")),
)
COL_TITLE, COL_VERSION, COL_STATUS, COL_CODE, COL_NOTE = range(5)
STATUS_COLORS = {"returned": ERROR_COLOR, "submitted": WARN_COLOR, "approved": "#1a4f8b", "final": "#2e7d32"}


@dataclass(frozen=True)
class _Loaded:
    documents: list[DocumentInfo]
    detail: CaseDetail
    missing: dict[int, list[str]]
    """For approved documents: who still has to sign on screen."""
    scans: dict[int, bool]
    """For final documents signed on paper: whether the scan is attached."""


def _has_scan(info: DocumentInfo) -> bool:
    """Whether the signed scan of the current (final) version is attached."""
    return info.versions[-1].scan_attachment_id is not None


def days_left(deadline: dt.date, today: dt.date | None = None) -> int:
    return (deadline - (today or local_today())).days


class DocumentsTab(ReadsOneAtATime, QWidget):
    """Documents of one case: create, edit, check, submit, approve, sign, finalise, print, correct."""

    documents_loaded = Signal(list)
    """Emitted with the list of DocumentInfo after each load."""

    def __init__(self, ctx: AppContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        self.documents: list[DocumentInfo] = []
        self.missing: dict[int, list[str]] = {}
        self.scans: dict[int, bool] = {}
        self.current_dialog: QWidget | None = None
        self.preview_dialog: PdfPreviewDialog | None = None
        self.last_problems: list[Problem] = []
        self._problems_for: int | None = None
        self.last_export: Path | None = None
        self.loaded = False
        self._select_after_load: int | None = None
        self.buttons: dict[str, QPushButton] = {}
        self._group_labels: list[tuple[QLabel, str]] = []
        self.group_labels: dict[str, QLabel] = {}

        root = QVBoxLayout(self)
        # -- judicial confirmation
        self.jc_frame = QFrame(self)
        self.jc_frame.setObjectName("jcFrame")
        self.jc_frame.setStyleSheet("#jcFrame { background: #fff8e1; border: 1px solid #f0c36d; border-radius: 3px; }")
        jl = QHBoxLayout(self.jc_frame)
        jl.setContentsMargins(8, 4, 8, 4)
        self.jc_label = QLabel(self.jc_frame)
        self.jc_label.setObjectName("jcCountdown")
        self.jc_label.setWordWrap(True)
        jl.addWidget(self.jc_label, 1)
        self.jc_button = QPushButton(self.jc_frame)
        self.jc_button.setAutoDefault(False)
        self.jc_button.clicked.connect(self._on_jc_button_clicked)
        jl.addWidget(self.jc_button)
        self.jc_frame.hide()
        root.addWidget(self.jc_frame)

        # -- top row
        top = QHBoxLayout()
        self.new_button = QPushButton(self)
        self.new_button.setAutoDefault(False)
        self.new_menu = QMenu(self.new_button)
        self.new_menu.triggered.connect(self._on_new_menu_triggered)
        self.new_button.setMenu(self.new_menu)
        self.new_button.setEnabled(False)  # until the forms are read (≈0.4 s the first time)
        top.addWidget(self.new_button)
        top.addStretch(1)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.reload)
        top.addWidget(self.refresh_button)
        root.addLayout(top)
        self.banner = Banner(self)
        root.addWidget(self.banner)

        split = QSplitter(Qt.Orientation.Vertical, self)
        upper = QWidget(split)
        ul = QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 5, upper)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.table.itemDoubleClicked.connect(self._on_table_item_double_clicked)
        ul.addWidget(self.table, 1)
        self.empty_label = QLabel(upper)
        self.empty_label.setStyleSheet(f"color: {HINT_COLOR};")
        ul.addWidget(self.empty_label)
        for title, codes in _GROUPS:
            row = QHBoxLayout()
            label = QLabel(upper)
            f = label.font()
            f.setBold(True)
            label.setFont(f)
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance("签署：") + 8)
            self._group_labels.append((label, title))
            self.group_labels[codes[0]] = label
            row.addWidget(label)
            for code in codes:
                b = QPushButton(upper)
                b.setAutoDefault(False)
                b.setObjectName(f"doc_{code}")
                b.clicked.connect(lambda _c=False, a=code: self.trigger(a))
                row.addWidget(b)
                self.buttons[code] = b
            row.addStretch(1)
            ul.addLayout(row)
        self.hint_label = QLabel(upper)
        self.hint_label.setObjectName("documentHint")
        self.hint_label.setWordWrap(True)
        ul.addWidget(self.hint_label)
        self.detail_view = QTextBrowser(split)
        self.detail_view.setOpenLinks(False)
        split.addWidget(upper)
        split.addWidget(self.detail_view)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        root.addWidget(split, 1)

        self._retranslate()
        officer = ctx.actor.can("document.approve")
        self.buttons["approve"].setVisible(officer)
        self.group_labels["approve"].setVisible(officer)
        self._update_actions()
        ctx.operation_did_execute.connect(self._on_operation_did_execute)
        Task(self, render.list_forms).success(self._on_forms_loaded).run()
        self.reload()

    def _on_forms_loaded(self, forms: list[render.FormInfo]) -> None:
        self.new_menu.clear()
        for info in forms:
            action = self.new_menu.addAction(info.label)
            action.setData(info.form)
        self.new_button.setEnabled(bool(forms))

    # ---------------------------------------------------------------- texts

    def _retranslate(self) -> None:
        self.new_button.setText(self.tr("新建文书"))
        self.new_button.setToolTip(self.tr("选择文书类型；内容从案件记录预先填好"))
        self.refresh_button.setText(self.tr("刷新"))
        self.jc_button.setText(self.tr("起草司法确认申请书"))
        self.table.setHorizontalHeaderLabels([self.tr("文书"), self.tr("版本"), self.tr("状态"), self.tr("校验码"),
                                              self.tr("说明")])
        self.empty_label.setText(self.tr("还没有文书。点“新建文书”选择要起草的文书。"))
        for label, title in self._group_labels:
            label.setText(self.tr(title))
        for code, b in self.buttons.items():
            b.setText(self.tr(ACTIONS[code]))
        if self.detail is not None:
            self.set_case_detail(self.detail)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._show_documents()
        super().changeEvent(event)

    # ---------------------------------------------------------------- loading

    def read_op(self) -> ReadOp[_Loaded]:
        case_id = self.case_id

        def _fetch(s: Session, actor: Actor) -> _Loaded:
            detail = case_detail.get_case(s, actor, case_id)
            infos = docs.list_documents(s, actor, case_id)
            missing: dict[int, list[str]] = {}
            for info in infos:
                if info.status == "approved":
                    signed = {(sig.signer_role, sig.signer_name) for sig in info.signatures}
                    missing[info.id] = [docs.line_name(line) for line in docs.sign_lines_for(s, actor, info.id)
                                        if not line.name or line.key not in signed]
            scans = {i.id: _has_scan(i) for i in infos
                     if i.status == "final" and i.versions and i.versions[-1].signed_on_paper}
            return _Loaded(infos, detail, missing, scans)

        return ReadOp(self, _fetch).success(self._on_loaded)

    def _on_loaded(self, loaded: _Loaded) -> None:
        keep = self._select_after_load or self.selected_id()
        self._select_after_load = None
        self.documents = loaded.documents
        self.missing = loaded.missing
        self.scans = loaded.scans
        self.set_case_detail(loaded.detail)
        self._show_documents(select=keep)
        self.loaded = True
        self.documents_loaded.emit(self.documents)

    def _on_operation_did_execute(self, changes: Changes) -> None:
        if self.case_id in changes.case_ids:
            self.reload()

    def set_case_detail(self, detail: CaseDetail) -> None:
        """Called by the case window after each load: the countdown follows the case."""
        self.detail = detail
        deadline = detail.judicial_confirmation_deadline
        if deadline is None:
            self.jc_frame.hide()
            return
        left = days_left(deadline)
        if left >= 0:
            text = self.tr("司法确认：双方当事人可在 {date} 前（协议生效起 30 日内）共同向人民法院申请司法确认，还剩 {n} 天。").format(
                date=deadline.isoformat(), n=left)
            color = ERROR_COLOR if left <= JC_SOON_DAYS else "#5d4200"
        else:
            text = self.tr("司法确认：申请期限已于 {date} 届满。").format(date=deadline.isoformat())
            color = HINT_COLOR
        self.jc_label.setText(text)
        self.jc_label.setStyleSheet(f"color: {color};")
        existing = self._find_form(JC_FORM)
        self.jc_button.setText(self.tr("打开司法确认申请书") if existing else self.tr("起草司法确认申请书"))
        self.jc_button.setEnabled(left >= 0 or existing is not None)
        self.jc_frame.show()

    def _find_form(self, form: str) -> DocumentInfo | None:
        found = [d for d in self.documents if d.form == form]
        return found[-1] if found else None

    # ---------------------------------------------------------------- list

    def _show_documents(self, select: int | None = None) -> None:
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(self.documents))
            for r, info in enumerate(self.documents):
                code = info.versions[-1].verification_code if info.versions and info.status == "final" else ""
                values = [info.title, self.tr("第{n}版").format(n=info.version_number), status_text(info.status),
                          code or "", self._note(info)]
                for c, v in enumerate(values):
                    item = QTableWidgetItem(v)
                    item.setToolTip(v)
                    item.setData(Qt.ItemDataRole.UserRole, info.id)
                    if c == COL_STATUS and info.status in STATUS_COLORS:
                        item.setForeground(QBrush(QColor(STATUS_COLORS[info.status])))
                    self.table.setItem(r, c, item)
        finally:
            self.table.blockSignals(False)
        self.empty_label.setVisible(not self.documents)
        ids = [d.id for d in self.documents]
        if select in ids:
            self.table.selectRow(ids.index(select))
        elif self.documents and self.selected_id() is None:
            self.table.selectRow(len(self.documents) - 1)
        self._on_table_item_selection_changed()

    def _note(self, info: DocumentInfo) -> str:
        if info.status == "returned":
            returned = [r for r in info.reviews if r.decision == "returned"]
            return self.tr("退回意见：{c}").format(c=returned[-1].comment) if returned else ""
        if info.status == "submitted":
            return self.tr("等待督导民警审批")
        if info.status == "approved":
            missing = self.missing.get(info.id, [])
            return self.tr("待签名：{names}").format(names="、".join(missing)) if missing else self.tr("各方已签名，可以定稿")
        if info.status == "final":
            v = info.versions[-1] if info.versions else None
            if v is not None and v.signed_on_paper:
                return self.tr("纸质签字；已上传扫描件") if self.scans.get(info.id) else self.tr("纸质签字；请打印签字后上传扫描件")
            return self.tr("屏幕签名；定稿于 {t}").format(t=fmt_local(v.finalized_at)) if v else ""
        if info.version_number > 1 and info.versions:
            return self.tr("更正理由：{r}").format(r=info.versions[-1].reason)
        return ""

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def select_document(self, document_id: int) -> None:
        if not self.loaded:
            self._select_after_load = document_id
            return
        for r, info in enumerate(self.documents):
            if info.id == document_id:
                self.table.selectRow(r)
                return

    def selected(self) -> DocumentInfo | None:
        doc_id = self.selected_id()
        return next((d for d in self.documents if d.id == doc_id), None)

    def _on_table_item_selection_changed(self) -> None:
        self._update_actions()
        self._show_detail(self.selected())

    def _on_table_item_double_clicked(self, _item: QTableWidgetItem) -> None:
        info = self.selected()
        if info is None:
            return
        action = "edit" if info.status in EDITABLE else ("approve" if info.status == "submitted" else "preview")
        if self.allowed(action, info)[0]:
            self.trigger(action)

    # ---------------------------------------------------------------- what the state allows

    def allowed(self, action: str, info: DocumentInfo | None) -> tuple[bool, str]:
        """Whether ``action`` applies to ``info`` now, and if not, why (in words)."""
        if info is None:
            return False, self.tr("请先在列表中选择一份文书。")
        actor = self.ctx.actor
        s = info.status
        drafter = actor.can("document.draft")
        if action in ("edit", "submit"):
            if s not in EDITABLE:
                return False, (self.tr("已定稿的文书不能修改；请用“更正（新版本）”。") if s == "final"
                               else self.tr("文书{status}，不能修改。").format(status=status_text(s)))
            return (drafter, "" if drafter else self.tr("您的角色不能起草文书。"))
        if action == "check":
            return (s != "final", self.tr("已定稿，无需检查。") if s == "final" else "")
        if action == "approve":
            if not actor.can("document.approve"):
                return False, self.tr("需要督导民警审批。")
            return (s in ("submitted", "draft"), "" if s in ("submitted", "draft")
                    else self.tr("文书{status}，无需审批。").format(status=status_text(s)))
        if action in ("sign", "finalize"):
            if s != "approved":
                return False, self.tr("文书须经督导民警审批通过后才能签名、定稿。")
            if action == "sign" and not self.missing.get(info.id):
                return False, self.tr("各方已签名。")
            return (drafter, "" if drafter else self.tr("您的角色不能办理签署。"))
        if action == "scan":
            if s != "final":
                return False, self.tr("请先定稿并打印，双方签字后再上传扫描件。")
            return True, ""
        if action == "supersede":
            if s != "final":
                return False, self.tr("只有定稿的文书需要更正；草稿可以直接编辑。")
            return (drafter, "" if drafter else self.tr("您的角色不能更正文书。"))
        return True, ""  # preview, print, export

    def _update_actions(self) -> None:
        info = self.selected()
        for code, b in self.buttons.items():
            ok, why = self.allowed(code, info)
            b.setEnabled(ok)
            b.setToolTip(why)
        self.hint_label.setText(self._next_step(info))

    def _next_step(self, info: DocumentInfo | None) -> str:
        if info is None:
            return ""
        s = info.status
        if s == "draft":
            return self.tr("下一步：“编辑”内容，点“检查”核对，没有错误即可“提交审批”。")
        if s == "returned":
            return self.tr("已退回：请按退回意见修改后重新“提交审批”。")
        if s == "submitted":
            if self.ctx.actor.can("document.approve"):
                return self.tr("已提交，等您审批：点“审批”查看与您上次所见相比改了什么，然后批准或退回。")
            return self.tr("已提交，等待督导民警“审批”。")
        if s == "approved":
            return self.tr("已审批：请各方在屏幕上“签名”后“定稿”；也可直接“定稿”为纸质签字版，打印签字后“上传签字扫描件”。")
        if s == "final":
            return self.tr("已定稿，内容不能再改。打印件页脚有校验码；如需更正，请点“更正（新版本）”并写明理由。")
        return ""

    def _show_detail(self, info: DocumentInfo | None) -> None:
        if info is None:
            self.detail_view.clear()
            return
        e = html.escape
        parts = [f"<h3>{e(info.title)}</h3>"]
        rows = []
        for v in info.versions:
            bits = [self.tr("第{n}版").format(n=v.number), status_text(v.status),
                    self.tr("{who} 起草于 {when}").format(who=v.created_by, when=fmt_local(v.created_at))]
            if v.reason:
                bits.append(self.tr("更正理由：{r}").format(r=v.reason))
            if v.approved_by:
                bits.append(self.tr("{who} 审批于 {when}").format(who=v.approved_by, when=fmt_local(v.approved_at)))
            if v.finalized_at:
                bits.append(self.tr("定稿于 {when}，校验码 {code}").format(when=fmt_local(v.finalized_at),
                                                                        code=v.verification_code or ""))
                bits.append(self.tr("纸质签字") if v.signed_on_paper else self.tr("屏幕签名"))
            rows.append("<li>" + e("；".join(bits)) + "</li>")
        parts.append(f"<b>{e(self.tr('版本'))}</b><ul>{''.join(rows)}</ul>")
        if info.reviews:
            items = "".join("<li>" + e(self.tr("{when} {who} {decision}（第{n}版）{comment}").format(
                when=fmt_local(r.at), who=r.reviewer, n=r.version_number,
                decision=self.tr("审批通过") if r.decision == "approved" else self.tr("退回修改"),
                comment=("：" + r.comment) if r.comment else "")) + "</li>" for r in info.reviews)
            parts.append(f"<b>{e(self.tr('审批'))}</b><ul>{items}</ul>")
        if info.signatures:
            items = "".join("<li>" + e(self.tr("{role} {name}，{when}（由 {by} 采集）").format(
                role=role_label(sig.signer_role), name=sig.signer_name, when=fmt_local(sig.captured_at),
                by=sig.captured_by)) + "</li>" for sig in info.signatures)
            parts.append(f"<b>{e(self.tr('签名'))}</b><ul>{items}</ul>")
        if self.last_problems and self._problems_for == info.id:
            items = "".join(
                f"<li style='color:{ERROR_COLOR if p.severity == 'error' else WARN_COLOR}'>"
                + e((self.tr("错误：{m}") if p.severity == "error" else self.tr("提醒：{m}")).format(m=p.message))
                + "</li>" for p in self.last_problems)
            parts.append(f"<b>{e(self.tr('检查结果'))}</b><ul>{items}</ul>")
        self.detail_view.setHtml("".join(parts))

    # ---------------------------------------------------------------- dispatch

    def trigger(self, action: str) -> None:
        """Run ``action`` on the selected document (the buttons call this)."""
        info = self.selected()
        ok, why = self.allowed(action, info)
        if not ok or info is None:
            if why:
                self.banner.show_message(why, "warning")
            return
        handlers: dict[str, Callable[[DocumentInfo], Any]] = {
            "edit": lambda i: self.open_editor(i.id),
            "check": lambda i: self.check(i.id),
            "submit": lambda i: self.submit(i.id),
            "approve": lambda i: self.open_approval(i.id),
            "sign": lambda i: self.open_signatures(i.id),
            "finalize": self._ask_finalize,
            "scan": self._ask_scan,
            "supersede": self._ask_supersede,
            "preview": lambda i: self.preview(i.id),
            "print": lambda i: self.print_document(i.id),
            "export_docx": lambda i: self._ask_export(i, "docx"),
            "export_pdf": lambda i: self._ask_export(i, "pdf"),
        }
        handlers[action](info)

    def _write(self, fn: SessionFn[Any], done: Callable[[Any], None] | None = None,
               message: str = "") -> None:
        """A write off the UI thread; on success the case's windows hear about it."""

        def _ok(result: Any) -> None:
            if message:
                self.banner.show_message(message, "info")
            if done is not None:
                done(result)

        WriteOp(self, fn).changes(self._case_changed()).success(_ok).run()

    def _case_changed(self) -> Changes:
        return Changes(case_ids=frozenset({self.case_id}))

    def show_message(self, text: str, level: str) -> None:
        """Failures and results of this tab's operations, in its banner."""
        self.banner.show_message(text, level)

    def _keep(self, dialog: QWidget) -> QWidget:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.current_dialog = dialog
        dialog.show()
        return dialog

    # ---------------------------------------------------------------- creating

    def _on_new_menu_triggered(self, action: Any) -> None:
        self.create_document(str(action.data()))

    def create_document(self, form: str, *, open_editor: bool = True) -> None:
        """Start a draft of ``form`` (prefilled from the case) and open it in the editor."""
        case_id = self.case_id

        def _created(doc_id: int) -> None:
            self._select_after_load = doc_id
            if open_editor:
                self.open_editor(doc_id)

        self._write(lambda s, a: docs.create_draft(s, a, case_id, form), _created)

    def _on_jc_button_clicked(self) -> None:
        self.draft_judicial_confirmation()

    def draft_judicial_confirmation(self) -> None:
        """Open the 司法确认申请书, drafting it first with the final agreement's terms."""
        existing = self._find_form(JC_FORM)
        if existing is not None:
            self.select_document(existing.id)
            if existing.status in EDITABLE:
                self.open_editor(existing.id)
            else:
                self.preview(existing.id)
            return
        case_id = self.case_id
        agreement = next((d for d in reversed(self.documents)
                          if d.form in workflow.AGREEMENT_FORMS and d.status == "final"), None)
        prefill: dict[str, Any] = {}
        if agreement is not None:
            prefill = {k: agreement.content[k] for k in ("terms", "amounts") if agreement.content.get(k)}

        def _create(s: Session, actor: Actor) -> int:
            doc_id = docs.create_draft(s, actor, case_id, JC_FORM)
            if prefill:
                docs.update_draft(s, actor, doc_id, prefill)
            return doc_id

        def _created(doc_id: int) -> None:
            self._select_after_load = doc_id
            self.open_editor(doc_id)

        self._write(_create, _created)

    # ---------------------------------------------------------------- dialogs

    def open_editor(self, document_id: int) -> DocumentEditor:
        dlg = DocumentEditor(self.ctx, document_id, self.window())
        self._keep(dlg)
        return dlg

    def open_approval(self, document_id: int) -> ApprovalDialog:
        dlg = ApprovalDialog(self.ctx, document_id, self.window())
        self._keep(dlg)
        return dlg

    def open_signatures(self, document_id: int) -> SignatureDialog:
        dlg = SignatureDialog(self.ctx, document_id, self.window())
        self._keep(dlg)
        return dlg

    # ---------------------------------------------------------------- check and submit

    def check(self, document_id: int) -> None:
        def _show(problems: list[Problem]) -> None:
            self._show_problems(document_id, problems)

        ReadOp(self, lambda s, a: docs.check(s, a, document_id)).success(_show).run()

    def _show_problems(self, document_id: int, problems: list[Problem]) -> None:
        self.last_problems = problems
        self._problems_for = document_id
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            self.banner.show_message(self.tr("检查发现 {n} 处错误：{first}。详见下方“检查结果”，请“编辑”修改。").format(
                n=len(errors), first=errors[0].message), "error")
        elif problems:
            self.banner.show_message(self.tr("没有错误；{n} 条提醒见下方“检查结果”。").format(n=len(problems)), "warning")
        else:
            self.banner.show_message(self.tr("检查通过：没有发现问题。"), "info")
        self._show_detail(self.selected())

    def submit(self, document_id: int) -> None:
        def _failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                self.check(document_id)  # list every problem, not just the refusal
            present_failure(self, exc)

        def _ok(_p: list[Problem]) -> None:
            self.banner.show_message(self.tr("已提交督导民警审批。"), "info")

        (WriteOp(self, lambda s, a: docs.submit(s, a, document_id)).changes(self._case_changed())
         .success(_ok).failure(_failed).run())

    # ---------------------------------------------------------------- finalising

    def _ask_finalize(self, info: DocumentInfo) -> None:
        missing = self.missing.get(info.id, [])
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("定稿"))
        if missing:
            box.setText(self.tr("还缺少以下人员的签名：{names}。").format(names="、".join(missing)))
            box.setInformativeText(self.tr("可以先请他们“签名”；或者改为纸质签字：定稿后打印，由各方手写签名，再上传扫描件。"
                                           "定稿后内容不能再修改。"))
            paper = box.addButton(self.tr("纸质签字定稿"), QMessageBox.ButtonRole.AcceptRole)
            screen = None
        else:
            box.setText(self.tr("各方已在屏幕上签名。定稿后文书内容不能再修改，只能更正为新版本。"))
            screen = box.addButton(self.tr("定稿"), QMessageBox.ButtonRole.AcceptRole)
            paper = box.addButton(self.tr("纸质签字定稿"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if screen is not None and clicked is screen:
            self.finalize(info.id, signed_on_paper=False)
        elif clicked is paper:
            self.finalize(info.id, signed_on_paper=True)

    def finalize(self, document_id: int, *, signed_on_paper: bool = False) -> None:
        """Freeze the approved version (PDF bytes, SHA-256, verification code)."""
        def _done(code: str) -> None:
            text = self.tr("已定稿，校验码 {code}。").format(code=code)
            if signed_on_paper:
                text += self.tr("请打印，各方签字后点“上传签字扫描件”。")
            self.banner.show_message(text, "info")

        self._write(lambda s, a: docs.finalize(s, a, document_id, signed_on_paper=signed_on_paper), _done)

    def _ask_scan(self, info: DocumentInfo) -> None:
        path, _f = QFileDialog.getOpenFileName(self, self.tr("选择签字页扫描件"), "",
                                               self.tr("扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)"))
        if path:
            self.attach_scan(info.id, Path(path))

    def attach_scan(self, document_id: int, path: Path) -> None:
        unreadable = self.tr("无法读取文件“{name}”（{why}）。")

        def _attach(s: Session, actor: Actor) -> int:
            try:
                content = path.read_bytes()
            except OSError as exc:
                raise StorageError(unreadable.format(
                    name=path.name, why=exc.strerror or type(exc).__name__)) from exc
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return docs.attach_signed_scan(s, actor, document_id, filename=path.name, content=content,
                                           mime_type=mime)

        self._write(_attach, message=self.tr("已上传签字扫描件，并附在该版本上。"))

    def _ask_supersede(self, info: DocumentInfo) -> None:
        reason, ok = QInputDialog.getText(
            self, self.tr("更正文书"),
            self.tr("已定稿的第{n}版将保留原样；新版本从它的内容开始。请写明更正的理由：").format(n=info.version_number))
        if ok:
            self.supersede(info.id, reason)

    def supersede(self, document_id: int, reason: str) -> None:
        self._write(lambda s, a: docs.supersede(s, a, document_id, reason=reason), message=self.tr("已创建新版本（草稿），请编辑后重新提交审批。"))

    # ---------------------------------------------------------------- preview, print, export

    def _fetch_pdf(self, document_id: int, then: Callable[[DocumentInfo, bytes], None]) -> None:
        def _fetch(job: Job) -> tuple[DocumentInfo, bytes]:
            # preview_pdf puts the output on record in the same transaction: no record, no PDF.
            return job.write(lambda s, a: (docs.get_document(s, a, document_id),
                                           docs.preview_pdf(s, a, document_id, kind="preview")))

        WriteOp.job(self, _fetch).success(lambda r: then(r[0], r[1])).run()

    def _file_stem(self, info: DocumentInfo) -> str:
        number = self.detail.number if self.detail and self.detail.number else f"#{info.case_id}"
        return self.tr("{number} {title} 第{n}版").format(number=number, title=info.title, n=info.version_number)

    def preview(self, document_id: int, then: Callable[[PdfPreviewDialog], None] | None = None) -> None:
        """Show the document as it prints (a final version: the frozen bytes)."""

        def _record(s: Session, actor: Actor, kind: str, fmt: str) -> None:
            docs.record_output(s, actor, document_id, kind=kind, fmt=fmt)

        def _show(info: DocumentInfo, pdf: bytes) -> None:
            old = self.preview_dialog
            if old is not None and shiboken6.isValid(old):
                old.close()
            title = self.tr("{title}（第{n}版，{status}）").format(
                title=info.title, n=info.version_number, status=status_text(info.status))
            dlg = PdfPreviewDialog(pdf, title=title, file_stem=self._file_stem(info), copies=print_copies(info),
                                   parent=self.window(), ctx=self.ctx,
                                   docx=lambda s, a: docs.render_docx(s, a, document_id, kind="export"),
                                   record=_record)
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.preview_dialog = dlg
            dlg.show()
            if then is not None:
                then(dlg)

        self._fetch_pdf(document_id, _show)

    def print_document(self, document_id: int, printer: QPrinter | None = None) -> None:
        """Preview and print with the copies preset (N = parties + 1, police: 3)."""
        def _print(dlg: PdfPreviewDialog) -> None:
            dlg.print_document(printer)

        self.preview(document_id, _print)

    def _ask_export(self, info: DocumentInfo, fmt: str) -> None:
        path = ask_save_path(self, fmt, self._file_stem(info))
        if path is not None:
            self.export(info.id, fmt, path)

    def export(self, document_id: int, fmt: str, path: Path) -> None:
        """Write the document as ``fmt`` ("pdf" or "docx") to ``path``."""

        def _export(job: Job) -> Path:
            # Made and put on record in one transaction: no record, no file.
            data = job.write(lambda s, a: docs.preview_pdf(s, a, document_id, kind="export") if fmt == "pdf"
                             else docs.render_docx(s, a, document_id, kind="export"))
            write_file(path, data)
            return path

        def _done(p: Path) -> None:
            self.last_export = p
            self.banner.show_message(self.tr("已导出到：{path}").format(path=str(p)), "info")

        WriteOp.job(self, _export).success(_done).run()


__all__ = ["DocumentsTab"]
