"""The officer's review: the rendered document, what changed since they last saw it, the checker's findings."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QBrush, QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from mediation.changes import Changes
from mediation.services import documents as docs
from mediation.services.documents import DocumentInfo, Problem
from mediation.permissions import Actor
from mediation.timeutil import fmt_local
from mediation.ui.context import AppContext
from mediation.ui.document_editor import status_text
from mediation.ui.errors import present_failure
from mediation.ui.pdf_preview import PdfPreview
from mediation.ui.operations import Job, SessionFn, WriteOp
from mediation.ui.widgets import ERROR_COLOR, HINT_COLOR, WARN_COLOR, Banner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

ADDED_BG, ADDED_FG = "#e6f4ea", "#1e4620"
REMOVED_BG, REMOVED_FG = "#fdecea", "#8a1c14"
REVIEWABLE = frozenset({"submitted", "draft"})
_HUNK_AT_TOP = re.compile(r"^@@ -\d+(?:,\d+)? \+[01](?:,\d+)? @@")


@dataclass(frozen=True)
class _Loaded:
    info: DocumentInfo
    pdf: bytes
    diff: list[str]
    problems: list[Problem]


def diff_stats(lines: list[str]) -> tuple[int, int, bool]:
    """(added, removed, first_review) of a unified diff; a first review removes nothing."""
    body = [ln for ln in lines if not ln.startswith(("---", "+++", "@@"))]
    added = sum(1 for ln in body if ln.startswith("+"))
    removed = sum(1 for ln in body if ln.startswith("-"))
    first = bool(body) and removed == 0 and added == len(body)
    return added, removed, first


class DiffView(QTextEdit):
    """A unified diff with coloured lines: + green, − red, unchanged grey; hunks separated."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setUndoRedoEnabled(False)

    def set_diff(self, lines: list[str]) -> None:
        self.clear()
        cursor = QTextCursor(self.document())
        first_block = True

        def put(text: str, bg: str | None, fg: str, *, italic: bool = False, bold: bool = False) -> None:
            nonlocal first_block
            block = QTextBlockFormat()
            if bg:
                block.setBackground(QBrush(QColor(bg)))
            block.setLeftMargin(4)
            char = QTextCharFormat()
            char.setForeground(QBrush(QColor(fg)))
            char.setFontItalic(italic)
            if bold:
                char.setFontWeight(QFont.Weight.Bold)
            if first_block:
                cursor.setBlockFormat(block)
                cursor.setBlockCharFormat(char)
                first_block = False
            else:
                cursor.insertBlock(block, char)
            cursor.insertText(text, char)

        hunks = 0
        for line in lines:
            if line.startswith(("---", "+++")):
                continue
            if line.startswith("@@"):
                hunks += 1
                # Unchanged text before this place (a hunk not starting at the top) is left out.
                if hunks > 1 or not _HUNK_AT_TOP.match(line):
                    put(self.tr("⋯ 未改动的内容略 ⋯"), None, HINT_COLOR, italic=True)
            elif line.startswith("+"):
                put("+ " + line[1:], ADDED_BG, ADDED_FG, bold=True)
            elif line.startswith("-"):
                put("− " + line[1:], REMOVED_BG, REMOVED_FG)
            else:
                put("  " + line[1:], None, "#3c4043")
        self.moveCursor(QTextCursor.MoveOperation.Start)


class ApprovalDialog(QDialog):
    """Approve, or return with a comment; approval is impossible while a checker error stands."""

    approved = Signal(int)
    returned = Signal(int)

    def __init__(self, ctx: AppContext, document_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.document_id = document_id
        self.info: DocumentInfo | None = None
        self.problems: list[Problem] = []
        self.loaded = False
        self.setWindowTitle(self.tr("审批文书"))

        root = QVBoxLayout(self)
        self.title_label = QLabel(self.tr("正在载入…"), self)
        f = self.title_label.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.title_label.setFont(f)
        root.addWidget(self.title_label)
        self.banner = Banner(self)
        root.addWidget(self.banner)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.preview = PdfPreview(split)
        right = QWidget(split)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        self.tabs = QTabWidget(right)
        diff_page = QWidget(self.tabs)
        dl = QVBoxLayout(diff_page)
        self.diff_label = QLabel(diff_page)
        self.diff_label.setWordWrap(True)
        dl.addWidget(self.diff_label)
        self.diff_view = DiffView(diff_page)
        dl.addWidget(self.diff_view, 1)
        self.tabs.addTab(diff_page, self.tr("改动"))
        check_page = QWidget(self.tabs)
        cl = QVBoxLayout(check_page)
        self.check_label = QLabel(check_page)
        self.check_label.setWordWrap(True)
        cl.addWidget(self.check_label)
        self.problem_list = QListWidget(check_page)
        self.problem_list.setWordWrap(True)
        cl.addWidget(self.problem_list, 1)
        self.tabs.addTab(check_page, self.tr("检查结果"))
        self.history = QPlainTextEdit(self.tabs)
        self.history.setReadOnly(True)
        self.tabs.addTab(self.history, self.tr("审批记录"))
        rl.addWidget(self.tabs, 1)

        rl.addWidget(QLabel(self.tr("审批意见（退回时必填）："), right))
        self.comment_edit = QPlainTextEdit(right)
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setPlaceholderText(self.tr("如：第二条请写明转账账户；履行期限改为七日内。"))
        self.comment_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 16)
        self.comment_edit.textChanged.connect(self._on_comment_edit_text_changed)
        rl.addWidget(self.comment_edit)
        self.comment_error = QLabel(right)
        self.comment_error.setWordWrap(True)
        self.comment_error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.comment_error.hide()
        rl.addWidget(self.comment_error)
        self.block_label = QLabel(right)
        self.block_label.setObjectName("approvalBlocked")
        self.block_label.setWordWrap(True)
        self.block_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.block_label.hide()
        rl.addWidget(self.block_label)
        split.addWidget(self.preview)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        right.setMinimumWidth(340)
        split.setSizes([760, 480])
        root.addWidget(split, 1)

        row = QHBoxLayout()
        row.addStretch(1)
        self.approve_button = QPushButton(self.tr("审批通过"), self)
        self.return_button = QPushButton(self.tr("退回修改"), self)
        self.close_button = QPushButton(self.tr("关闭"), self)
        for b in (self.approve_button, self.return_button, self.close_button):
            b.setAutoDefault(False)
            row.addWidget(b)
        self.approve_button.setEnabled(False)
        self.return_button.setEnabled(False)
        self.approve_button.clicked.connect(self._on_approve_button_clicked)
        self.return_button.clicked.connect(self._on_return_button_clicked)
        self.close_button.clicked.connect(self.reject)
        root.addLayout(row)
        self.resize(1280, 860)
        self._load()

    # ---------------------------------------------------------------- loading

    def _load(self) -> None:
        doc_id = self.document_id

        def _review(s: Session, actor: Actor) -> list[str]:
            diff = docs.diff_for_reviewer(s, actor, doc_id)
            if actor.can("document.approve"):
                # What is shown now is what this reviewer has seen: the next diff starts here.
                docs.mark_viewed(s, actor, doc_id)
            return diff

        def _fetch(job: Job) -> _Loaded:
            # preview_pdf puts the PDF (full ID numbers) on record before it is shown.
            info, pdf = job.write(lambda s, a: (docs.get_document(s, a, doc_id),
                                                docs.preview_pdf(s, a, doc_id, kind="preview")))
            problems = job.read(lambda s, a: docs.check(s, a, doc_id))
            return _Loaded(info, pdf, job.write(_review), problems)

        WriteOp.job(self, _fetch).success(self._on_loaded).run()

    def _on_loaded(self, loaded: _Loaded) -> None:
        info = self.info = loaded.info
        self.title_label.setText(self.tr("{title}　第{n}版　{status}").format(
            title=info.title, n=info.version_number, status=status_text(info.status)))
        self.setWindowTitle(self.tr("审批 {title}").format(title=info.title))
        self.preview.load_bytes(loaded.pdf)
        self.show_diff(loaded.diff)
        self.show_problems(loaded.problems)
        self.history.setPlainText("\n\n".join(
            self.tr("{when}　{who}　{decision}（第{n}版）\n{comment}").format(
                when=fmt_local(r.at), who=r.reviewer, n=r.version_number, comment=r.comment,
                decision=self.tr("审批通过") if r.decision == "approved" else self.tr("退回修改"))
            for r in info.reviews) or self.tr("还没有审批记录。"))
        self._update_buttons()
        self.loaded = True

    def show_diff(self, lines: list[str]) -> None:
        added, removed, first = diff_stats(lines)
        if not lines:
            self.diff_label.setText(self.tr("自您上次审阅以来，文书没有改动。"))
        elif first:
            self.diff_label.setText(self.tr("首次审阅：以下为全文（均标为新增）。"))
        else:
            self.diff_label.setText(self.tr("自您上次审阅以来：新增 {a} 行，删除 {d} 行。").format(a=added, d=removed))
        self.diff_view.set_diff(lines)

    def show_problems(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.severity != "error")
        self.problem_list.clear()
        errors = [p for p in self.problems if p.severity == "error"]
        for p in self.problems:
            bad = p.severity == "error"
            item = QListWidgetItem((self.tr("错误：{m}") if bad else self.tr("提醒：{m}")).format(m=p.message))
            item.setForeground(QBrush(QColor(ERROR_COLOR if bad else WARN_COLOR)))
            self.problem_list.addItem(item)
        if errors:
            self.check_label.setText(self.tr("发现 {n} 处错误，改正前不能审批。").format(n=len(errors)))
            self.check_label.setStyleSheet(f"color: {ERROR_COLOR};")
            self.block_label.setText(self.tr("不能审批：检查发现 {n} 处错误（{first}）。请退回修改。").format(
                n=len(errors), first=errors[0].message))
            self.block_label.show()
            self.tabs.setTabText(1, self.tr("检查结果（{n} 处错误）").format(n=len(errors)))
        else:
            self.check_label.setText(self.tr("没有错误。") if not self.problems
                                     else self.tr("没有错误；{n} 条提醒供参考。").format(n=len(self.problems)))
            self.check_label.setStyleSheet("")
            self.block_label.hide()
            self.tabs.setTabText(1, self.tr("检查结果"))

    def _update_buttons(self) -> None:
        info = self.info
        may = self.ctx.actor.can("document.approve") and info is not None and info.status in REVIEWABLE
        errors = any(p.severity == "error" for p in self.problems)
        self.approve_button.setEnabled(bool(may) and not errors)
        self.approve_button.setToolTip(self.block_label.text() if errors else "")
        self.return_button.setEnabled(bool(may) or (info is not None and info.status == "approved"
                                                    and self.ctx.actor.can("document.approve")))
        if info is not None and not self.ctx.actor.can("document.approve"):
            self.banner.show_message(self.tr("只有督导民警可以审批文书。"), "info")
        elif info is not None and info.status not in REVIEWABLE:
            self.banner.show_message(self.tr("该文书{status}，无需审批。").format(status=status_text(info.status)),
                                     "info")

    # ---------------------------------------------------------------- decisions

    def _on_comment_edit_text_changed(self) -> None:
        if self.comment_edit.toPlainText().strip():
            self.comment_error.hide()

    def _on_approve_button_clicked(self) -> None:
        self.approve()

    def _on_return_button_clicked(self) -> None:
        self.return_for_changes()

    def approve(self) -> None:
        doc_id = self.document_id
        comment = self.comment_edit.toPlainText().strip()
        self._decide(lambda s, a: docs.approve(s, a, doc_id, comment=comment), self.approved)

    def return_for_changes(self) -> None:
        comment = self.comment_edit.toPlainText().strip()
        if not comment:
            self.comment_error.setText(self.tr("退回修改时请写明需要修改的地方。"))
            self.comment_error.show()
            self.comment_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        doc_id = self.document_id
        self._decide(lambda s, a: docs.return_for_changes(s, a, doc_id, comment=comment), self.returned)

    def _decide(self, fn: SessionFn[None], signal: SignalInstance) -> None:
        self.approve_button.setEnabled(False)
        self.return_button.setEnabled(False)
        assert self.info is not None  # the buttons are enabled once it is loaded
        changes = Changes(case_ids=frozenset({self.info.case_id}))

        def _done(_result: object) -> None:
            signal.emit(self.document_id)
            self.accept()

        def _failed(exc: BaseException) -> None:
            self._update_buttons()
            present_failure(self, exc)

        WriteOp(self, fn).changes(changes).success(_done).failure(_failed).run()

    # The protocols of mediation.ui.errors: where a failure's words go in this window.

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        if "comment" in errors:
            self.comment_error.setText(errors["comment"])
            self.comment_error.show()
            return
        self.banner.show_message(self.tr("不能审批：{m}").format(m="；".join(errors.values())), "error")

    def show_message(self, text: str, level: str) -> None:
        self.banner.show_message(text, level)


__all__ = ["ApprovalDialog", "DiffView", "diff_stats"]
