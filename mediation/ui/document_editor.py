"""Edit a document draft: facts, numbered terms, amounts, performance, copies; run the checker; submit."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QTime, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation import workflow
from mediation.changes import Changes
from mediation.documents import forms
from mediation.documents.forms import FieldSpec
from mediation.documents.numerals import rmb_upper
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.permissions import Actor
from mediation.services import case_detail
from mediation.services import documents as docs
from mediation.services.case_detail import CaseDetail
from mediation.services.documents import DocumentInfo, Problem
from mediation.ui.context import AppContext
from mediation.ui.operations import Job, ReadOp, WriteOp
from mediation.ui.widgets import QT_TRANSLATE_NOOP, ERROR_COLOR, HINT_COLOR, WARN_COLOR, Banner, DateEdit, Field, LineEdit, \
    TextEdit, ValueWidget
from mediation.validation import money
import contextlib

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)



_STATUS = {
    "draft": QT_TRANSLATE_NOOP("DocumentStatus", "草稿"),
    "submitted": QT_TRANSLATE_NOOP("DocumentStatus", "待审批"),
    "returned": QT_TRANSLATE_NOOP("DocumentStatus", "已退回"),
    "approved": QT_TRANSLATE_NOOP("DocumentStatus", "已审批"),
    "final": QT_TRANSLATE_NOOP("DocumentStatus", "已定稿"),
    "superseded": QT_TRANSLATE_NOOP("DocumentStatus", "已更正"),
}


def status_text(status: str) -> str:
    """草稿 / 待审批 / 已退回 / 已审批 / 已定稿 / 已更正."""
    text = _STATUS.get(status)
    return QCoreApplication.translate("DocumentStatus", text) if text else status


def print_copies(info: DocumentInfo) -> int:
    """How many copies to print: the agreement's "一式N份", otherwise one."""
    if info.form not in workflow.AGREEMENT_FORMS:
        return 1
    value = info.content.get("copies")
    if value not in (None, ""):
        try:
            return max(1, int(value))
        except (TypeError, ValueError):
            pass
    return info.required_copies


# ---------------------------------------------------------------- compound editors


class TermsEditor(ValueWidget):
    """The agreed terms as a numbered list: add, remove, move up and down; double-click to edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 1, self)
        self.table.setHorizontalHeaderLabels([self.tr("条款内容（双击修改）")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)
        self.table.setMinimumHeight(120)
        self.table.setMaximumHeight(260)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = self._button(self.tr("添加条款"), self._on_add_button_clicked)
        self.remove_button = self._button(self.tr("删除"), self._on_remove_button_clicked)
        self.up_button = self._button(self.tr("上移"), self._on_up_button_clicked)
        self.down_button = self._button(self.tr("下移"), self._on_down_button_clicked)
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self._update_buttons()

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        b = QPushButton(text, self)
        b.setAutoDefault(False)
        b.clicked.connect(slot)
        return b

    def value(self) -> list[str]:
        out = []
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            text = item.text().strip() if item is not None else ""
            if text:
                out.append(text)
        return out

    def set_value(self, value: Any) -> None:
        terms = [str(t) for t in (value or [])]
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(terms))
            for r, t in enumerate(terms):
                self.table.setItem(r, 0, QTableWidgetItem(t))
        finally:
            self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self._update_buttons()
        self.value_changed.emit()

    def set_term(self, row: int, text: str) -> None:
        """Change one term (as typing into its cell does)."""
        item = self.table.item(row, 0)
        if item is None:
            self.table.setItem(row, 0, QTableWidgetItem(text))
        else:
            item.setText(text)

    def add_term(self, text: str = "") -> int:
        """Append a term after the selected one (or at the end); returns its row."""
        current = self.current_row()
        row = current + 1 if current >= 0 else self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(text))
        self.table.blockSignals(False)
        self.table.selectRow(row)
        self.value_changed.emit()
        return row

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def select(self, row: int) -> None:
        if 0 <= row < self.table.rowCount():
            self.table.selectRow(row)
            self.table.scrollTo(self.table.model().index(row, 0))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def move_term(self, row: int, delta: int) -> None:
        other = row + delta
        if not (0 <= row < self.table.rowCount() and 0 <= other < self.table.rowCount()):
            return
        a, b = self.table.takeItem(row, 0), self.table.takeItem(other, 0)
        self.table.blockSignals(True)
        self.table.setItem(row, 0, b)
        self.table.setItem(other, 0, a)
        self.table.blockSignals(False)
        self.table.selectRow(other)
        self.table.resizeRowsToContents()
        self.value_changed.emit()

    def _on_add_button_clicked(self) -> None:
        row = self.add_term()
        item = self.table.item(row, 0)
        if item is not None:
            self.table.editItem(item)

    def _on_remove_button_clicked(self) -> None:
        row = self.current_row()
        if row >= 0:
            self.table.removeRow(row)
            self.value_changed.emit()
            self._update_buttons()

    def _on_up_button_clicked(self) -> None:
        self.move_term(self.current_row(), -1)

    def _on_down_button_clicked(self) -> None:
        self.move_term(self.current_row(), +1)

    def _on_table_item_changed(self, _item: QTableWidgetItem) -> None:
        self.table.resizeRowsToContents()
        self.value_changed.emit()

    def _update_buttons(self) -> None:
        row = self.current_row()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.table.rowCount() - 1)


class AmountsEditor(ValueWidget):
    """Amounts as (label, value in yuan); the capital numerals are shown as a check."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("项目"), self.tr("金额（元）"), self.tr("大写")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 130)
        self.table.setColumnWidth(1, 110)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setMinimumHeight(80)
        self.table.setMaximumHeight(150)
        self.table.itemChanged.connect(self._on_table_item_changed)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加金额"), self)
        self.remove_button = QPushButton(self.tr("删除"), self)
        for b in (self.add_button, self.remove_button):
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        lay.addLayout(row)

    def _rows(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            label = self.table.item(r, 0)
            value = self.table.item(r, 1)
            out.append((label.text().strip() if label else "", value.text().strip() if value else ""))
        return out

    def value(self) -> list[dict[str, str]]:
        """Rows with a value; the value normalised to yuan with two decimals when it parses."""
        out = []
        for label, value in self._rows():
            if not label and not value:
                continue
            with contextlib.suppress(ValidationError, TypeError):
                value = str(money(value))
            out.append({"label": label, "value": value})
        return out

    def problems(self) -> list[str]:
        """What is wrong with the typed amounts (empty: all fine)."""
        out = []
        for i, (label, value) in enumerate(self._rows()):
            if not label and not value:
                continue
            try:
                money(value)
            except ValidationError as exc:
                out.append(self.tr("第{n}项金额（{label}）：{why}").format(
                    n=i + 1, label=label or self.tr("未填项目"), why=exc.message))
        return out

    def set_value(self, value: Any) -> None:
        rows = list(value or [])
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(rows))
            for r, a in enumerate(rows):
                self.table.setItem(r, 0, QTableWidgetItem(str(a.get("label", ""))))
                self.table.setItem(r, 1, QTableWidgetItem(str(a.get("value", ""))))
                self._show_capital(r)
        finally:
            self.table.blockSignals(False)
        self.value_changed.emit()

    def select(self, row: int) -> None:
        if 0 <= row < self.table.rowCount():
            self.table.setCurrentCell(row, 1)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_capital(self, row: int) -> None:
        item = self.table.item(row, 1)
        text = item.text().strip() if item else ""
        try:
            capital = rmb_upper(money(text)) if text else ""
            color = QColor(HINT_COLOR)
        except (ValidationError, ValueError):
            capital, color = self.tr("金额格式不正确"), QColor(ERROR_COLOR)
        cap = QTableWidgetItem(capital)
        cap.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        cap.setForeground(QBrush(color))
        was = self.table.blockSignals(True)
        self.table.setItem(row, 2, cap)
        self.table.blockSignals(was)

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 1:
            self._show_capital(item.row())
        if item.column() != 2:
            self.value_changed.emit()

    def _on_add_button_clicked(self) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(self.tr("履行金额")))
        self.table.setItem(row, 1, QTableWidgetItem(""))
        self.table.blockSignals(False)
        self.table.setCurrentCell(row, 1)
        item = self.table.item(row, 1)
        if item is not None:
            self.table.editItem(item)

    def _on_remove_button_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.value_changed.emit()


class OptionalDateTimeEdit(ValueWidget):
    """A date and time that may be left empty (a tick box turns it on)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.known = QCheckBox(self.tr("已知"), self)
        self.edit = QDateTimeEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.edit.setDateTime(QDateTime.currentDateTime())
        lay.addWidget(self.known)
        lay.addWidget(self.edit, 1)
        self.known.toggled.connect(self._on_known_toggled)
        self.edit.dateTimeChanged.connect(self._on_edit_date_time_changed)
        self.edit.setEnabled(False)

    def value(self) -> str | None:
        if not self.known.isChecked():
            return None
        d, t = self.edit.date(), self.edit.time()
        return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()).isoformat(timespec="minutes")

    def set_value(self, value: Any) -> None:
        parsed: dt.datetime | None = None
        if isinstance(value, dt.datetime):
            parsed = value
        elif value:
            try:
                parsed = dt.datetime.fromisoformat(str(value))
            except ValueError:
                parsed = None
        self.known.blockSignals(True)
        self.known.setChecked(parsed is not None)
        self.known.blockSignals(False)
        self.edit.setEnabled(parsed is not None)
        if parsed is not None:
            self.edit.setDateTime(QDateTime(QDate(parsed.year, parsed.month, parsed.day),
                                            QTime(parsed.hour, parsed.minute)))
        self.value_changed.emit()

    def _on_known_toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        self.value_changed.emit()

    def _on_edit_date_time_changed(self, _value: QDateTime) -> None:
        if self.known.isChecked():
            self.value_changed.emit()


# ---------------------------------------------------------------- what each form lets you edit

EDITABLE = forms.EDITABLE_STATUSES


def editable_fields(form: str) -> list[FieldSpec]:
    """The fields of ``form`` typed in the editor (:func:`mediation.documents.forms.editable_fields`),
    in order, with their labels and hints translated."""
    return [replace(f, label=_(f.label), hint=_(f.hint) if f.hint else "") for f in forms.editable_fields(form)]


def _tr(text: str) -> str:
    return QCoreApplication.translate("DocumentEditor", text) if text else ""


# ---------------------------------------------------------------- the dialog


@dataclass(frozen=True)
class _Loaded:
    info: DocumentInfo
    detail: CaseDetail


@dataclass(frozen=True)
class _Result:
    lock: int | None
    problems: list[Problem] | None
    submitted: bool = False
    refused: bool = False
    """The submission was refused because the checker found errors."""
    changes: Changes = Changes()
    """The case, when the draft was saved or submitted (see ``operations.HasChanges``)."""


class DocumentEditor(QDialog):
    """The draft's wording; "检查" saves and runs the form checker, "提交审批" sends it to the officer."""

    saved = Signal(int)
    """The draft was saved (document id)."""
    checked = Signal(list)
    """The checker ran (list of Problem)."""
    submitted = Signal(int)
    """The draft went to the officer for approval (document id)."""

    def __init__(self, ctx: AppContext, document_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.document_id = document_id
        self.info: DocumentInfo | None = None
        self.detail: CaseDetail | None = None
        self.fields: dict[str, Field] = {}
        self.problems: list[Problem] = []
        self.focused_field = ""
        """The field the last clicked problem pointed at (tests and screen readers)."""
        self.dirty = False
        self.loaded = False
        self._lock: int | None = None
        self._busy = False
        self.setWindowTitle(self.tr("编辑文书"))

        root = QVBoxLayout(self)
        self.title_label = QLabel(self.tr("正在载入…"), self)
        f = self.title_label.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.title_label.setFont(f)
        root.addWidget(self.title_label)
        self.case_note = QLabel(self)
        self.case_note.setWordWrap(True)
        self.case_note.setStyleSheet(f"color: {HINT_COLOR};")
        root.addWidget(self.case_note)
        self.banner = Banner(self)
        root.addWidget(self.banner)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.form_scroll = QScrollArea(split)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form = QWidget(self.form_scroll)
        self.form_layout = QVBoxLayout(self.form)
        self.form_scroll.setWidget(self.form)
        side = QWidget(split)
        sl = QVBoxLayout(side)
        sl.setContentsMargins(8, 0, 0, 0)
        head = QLabel(self.tr("检查结果"), side)
        hf = head.font()
        hf.setBold(True)
        head.setFont(hf)
        sl.addWidget(head)
        self.summary_label = QLabel(self.tr("点“检查”核对协议书应有的内容（保存后检查）。"), side)
        self.summary_label.setWordWrap(True)
        sl.addWidget(self.summary_label)
        self.problem_list = QListWidget(side)
        self.problem_list.setWordWrap(True)
        self.problem_list.setSpacing(3)
        self.problem_list.setToolTip(self.tr("点一条问题，跳到要修改的地方"))
        self.problem_list.itemClicked.connect(self._on_problem_list_item_clicked)
        self.problem_list.itemActivated.connect(self._on_problem_list_item_clicked)
        sl.addWidget(self.problem_list, 1)
        split.addWidget(self.form_scroll)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        self.form_scroll.setMinimumWidth(460)
        side.setMinimumWidth(260)
        split.setSizes([640, 400])
        root.addWidget(split, 1)

        row = QHBoxLayout()
        self.status_label = QLabel(self)
        self.status_label.setStyleSheet(f"color: {HINT_COLOR};")
        row.addWidget(self.status_label, 1)
        self.check_button = QPushButton(self.tr("检查"), self)
        self.save_button = QPushButton(self.tr("保存"), self)
        self.submit_button = QPushButton(self.tr("提交审批"), self)
        self.close_button = QPushButton(self.tr("关闭"), self)
        for b in (self.check_button, self.save_button, self.submit_button, self.close_button):
            b.setAutoDefault(False)
            b.setEnabled(b is self.close_button)
            row.addWidget(b)
        self.check_button.setToolTip(self.tr("保存并检查必备内容、金额大小写、日期和当事人"))
        self.submit_button.setToolTip(self.tr("保存并交督导民警审批；检查有错误时不能提交"))
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.submit_button.clicked.connect(self._on_submit_button_clicked)
        self.close_button.clicked.connect(self.close)
        root.addLayout(row)
        self.resize(1080, 760)
        self.reload()

    # ---------------------------------------------------------------- loading

    def reload(self) -> None:
        """Load the document and its case again (typed changes are dropped)."""
        doc_id = self.document_id

        def _fetch(s: Session, actor: Actor) -> _Loaded:
            info = docs.get_document(s, actor, doc_id)
            return _Loaded(info, case_detail.get_case(s, actor, info.case_id))

        ReadOp(self, _fetch).success(self._on_loaded).run()

    def _on_loaded(self, loaded: _Loaded) -> None:
        info, detail = loaded.info, loaded.detail
        self.info, self.detail = info, detail
        self._lock = info.lock_version
        if not self.fields:
            self._build_fields(info)
        for key, fld in self.fields.items():
            fld.set_value(self._initial(key, info))
            fld.clear_error()
        self.title_label.setText(self.tr("{title}　第{n}版　{status}").format(
            title=info.title, n=info.version_number, status=status_text(info.status)))
        self.setWindowTitle(self.tr("编辑 {title} — {number}").format(
            title=info.title, number=detail.number or self.tr("未编号")))
        self.case_note.setText(self.tr("案件 {number}。当事人、调解员等信息取自案件登记，如需修改请在案件窗口中“编辑”。").format(
            number=detail.number or self.tr("（未编号）")))
        editable = info.status in EDITABLE and self.ctx.actor.can("document.draft")
        for fld in self.fields.values():
            fld.editor.setEnabled(editable)
        for b in (self.save_button, self.submit_button):
            b.setEnabled(editable)
        self.check_button.setEnabled(True)
        returned = [r for r in info.reviews if r.decision == "returned"]
        if info.status == "returned" and returned:
            r = returned[-1]
            self.banner.show_message(self.tr("{who}退回修改：{comment}").format(who=r.reviewer, comment=r.comment),
                                     "warning")
        elif not editable:
            self.banner.show_message(self.tr("该文书{status}，不能在这里修改。").format(status=status_text(info.status)),
                                     "info")
        else:
            self.banner.hide()
        self.dirty = False
        self.loaded = True
        self._show_status("")

    def _initial(self, key: str, info: DocumentInfo) -> Any:
        value = info.content.get(key)
        if key == "copies" and value in (None, ""):
            return info.required_copies
        if key == "termination_routes":
            return "\n".join(str(v) for v in (value or []))
        if key in ("terms", "amounts"):
            return value or []
        return value

    def _build_fields(self, info: DocumentInfo) -> None:
        form = info.form
        for spec in editable_fields(form):
            key, hint = spec.key, spec.hint
            if key == "copies":
                n = info.required_copies
                hint = self.tr("治安调解协议书一式三份。") if n == 3 and form == "police_agreement" else self.tr(
                    "按规定一式{n}份：当事人各执一份，调解组织留存一份。").format(n=n)
            fld = Field(spec.label, self._editor_for(key, spec), required=spec.required, hint=hint,
                        parent=self.form)
            fld.setObjectName(f"field_{key}")
            fld.changed.connect(self._on_field_changed)
            self.form_layout.addWidget(fld)
            self.fields[key] = fld
        self.form_layout.addStretch(1)

    def _editor_for(self, key: str, spec: FieldSpec) -> QWidget:
        parent = self.form
        if spec.kind == "text":
            return TextEdit(parent, lines=4 if key == "facts" else 3)
        if spec.kind == "lines":
            return _LinesEdit(parent, lines=3)
        if spec.kind == "line":
            return LineEdit(parent, max_length=200)
        if spec.kind == "date":
            return DateEdit(parent, optional=True)
        if spec.kind == "datetime":
            return OptionalDateTimeEdit(parent)
        if spec.kind == "terms":
            return TermsEditor(parent)
        if spec.kind == "amounts":
            return AmountsEditor(parent)
        if spec.kind == "copies":
            box = QSpinBox(parent)
            box.setRange(1, 20)
            box.setSuffix(self.tr(" 份"))
            box.setMaximumWidth(120)
            return box
        raise ValueError(key)

    # ---------------------------------------------------------------- content

    def _on_field_changed(self) -> None:
        fld = self.sender()
        if isinstance(fld, Field):
            fld.clear_error()
        self.dirty = True
        self._show_status(self.tr("有未保存的修改"))

    def content(self) -> dict[str, Any]:
        """The typed content; raises ValidationError (and marks the field) for bad amounts."""
        out: dict[str, Any] = {}
        for key, fld in self.fields.items():
            value = fld.value()
            if isinstance(value, dt.date):
                value = value.isoformat()
            if key in ("facts", "claims", "disputed_matters", "responsibilities", "termination_reason") \
                    and isinstance(value, str):
                value = value.strip()
            if key == "termination_routes":
                value = [line.strip() for line in str(value or "").splitlines() if line.strip()]
            out[key] = value
        amounts = self.fields.get("amounts")
        if amounts is not None and isinstance(amounts.editor, AmountsEditor):
            bad = amounts.editor.problems()
            if bad:
                amounts.set_error("；".join(bad))
                raise ValidationError(field="amounts", message=bad[0])
        return out

    # ---------------------------------------------------------------- actions

    def _on_save_button_clicked(self) -> None:
        self.save()

    def _on_check_button_clicked(self) -> None:
        self.run_check()

    def _on_submit_button_clicked(self) -> None:
        self.submit()

    def save(self) -> None:
        self._run(check=False, submit=False)

    def run_check(self) -> None:
        """Save what is typed, then run the checker over it."""
        self._run(check=True, submit=False)

    def submit(self) -> None:
        """Save, then send for approval (refused, with the problems listed, while errors stand)."""
        self._run(check=True, submit=True)

    def _run(self, *, check: bool, submit: bool) -> None:
        if self._busy or self.info is None:
            return
        editable = self.info.status in EDITABLE
        content: dict[str, Any] | None = None
        if editable:
            try:
                content = self.content()
            except ValidationError as exc:
                self.banner.show_message(self.tr("请先改正标红的内容：{m}").format(m=exc.message), "error")
                return
        elif not check:
            return
        doc_id, lock = self.document_id, self._lock
        case = Changes(case_ids=frozenset({self.info.case_id}))

        def _work(job: Job) -> _Result:
            new_lock: int | None = None
            if content is not None:
                new_lock = job.write(lambda s, a: docs.update_draft(s, a, doc_id, content, expected_version=lock))
            saved = case if new_lock is not None else Changes()
            if submit:
                try:  # a transaction of its own: a refusal keeps the draft just saved
                    problems = job.write(lambda s, a: docs.submit(s, a, doc_id))
                    return _Result(new_lock, problems, submitted=True, changes=case)
                except ValidationError:
                    pass  # the checker's errors: listed below
            problems = job.read(lambda s, a: docs.check(s, a, doc_id))
            return _Result(new_lock, problems, refused=submit, changes=saved)

        self._set_busy(True)
        self._show_status(self.tr("正在保存…") if content is not None else self.tr("正在检查…"))
        WriteOp.job(self, _work).success(self._on_done).finally_(lambda: self._set_busy(False)).run()

    def _on_done(self, result: _Result) -> None:
        if result.lock is not None:
            self._lock = result.lock
            self.dirty = False
            if self.info is not None and self.info.status != "draft":
                self.info = replace(self.info, status="draft")  # saving a returned draft reopens it
                self.title_label.setText(self.tr("{title}　第{n}版　{status}").format(
                    title=self.info.title, n=self.info.version_number, status=status_text("draft")))
            self.saved.emit(self.document_id)
        if result.problems is not None:
            self.show_problems(result.problems)
        if result.submitted:
            self.submitted.emit(self.document_id)
            self.banner.show_message(self.tr("已提交督导民警审批。"), "info")
            self.accept()
            return
        if result.refused:
            self.banner.show_message(self.tr("检查发现错误，未提交审批。请按右侧的提示修改后再提交。"), "error")
        elif result.lock is not None and self.banner.level != "warning":
            self.banner.hide()
        if result.lock is not None:
            self._show_status(self.tr("已保存"))
        else:
            self._show_status("")

    # The protocols of mediation.ui.errors: where a failure's words go in this window.

    def show_conflict(self, message: str) -> None:
        self.banner.show_message(
            self.tr("该文书已被其他人修改，您的内容还没有保存（仍在窗口中）。可以先复制需要的文字，再重新载入。"),
            "warning", [(self.tr("重新载入（放弃我的修改）"), self.reload)])
        self._show_status(self.tr("未保存"))

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        for key, message in errors.items():
            fld = self.fields.get(forms.field_of_problem(key))
            if fld is not None:
                fld.set_error(message)
        self.banner.show_message("；".join(errors.values()), "error")
        self._show_status(self.tr("未保存"))

    def show_message(self, text: str, level: str) -> None:
        self.banner.show_message(text, level)
        self._show_status("")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        editable = self.info is not None and self.info.status in EDITABLE
        self.check_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy and editable)
        self.submit_button.setEnabled(not busy and editable)

    def _show_status(self, text: str) -> None:
        self.status_label.setText(text)

    # ---------------------------------------------------------------- problems

    def show_problems(self, problems: list[Problem]) -> None:
        """List the checker's findings (errors first) and mark the fields they concern."""
        self.problems = sorted(problems, key=lambda p: p.severity != "error")
        self.problem_list.clear()
        for fld in self.fields.values():
            fld.clear_error()
        errors = [p for p in self.problems if p.severity == "error"]
        for p in self.problems:
            if p.severity == "error":
                text, color = self.tr("错误：{m}").format(m=p.message), ERROR_COLOR
            else:
                text, color = self.tr("提醒：{m}").format(m=p.message), WARN_COLOR
            item = QListWidgetItem(text)
            item.setForeground(QBrush(QColor(color)))
            item.setData(Qt.ItemDataRole.UserRole, p.field)
            item.setToolTip(self._where(p.field))
            self.problem_list.addItem(item)
            key = self._field_key(p.field)
            if p.severity == "error" and key in self.fields:
                fld = self.fields[key]
                fld.set_error("；".join(filter(None, [fld.error(), p.message])))
        if not self.problems:
            self.summary_label.setText(self.tr("检查通过：没有发现问题。"))
            self.summary_label.setStyleSheet("color: #2e7d32;")
        elif errors:
            self.summary_label.setText(self.tr("发现 {e} 处错误（须改正后才能审批）、{w} 条提醒。").format(
                e=len(errors), w=len(self.problems) - len(errors)))
            self.summary_label.setStyleSheet(f"color: {ERROR_COLOR};")
        else:
            self.summary_label.setText(self.tr("没有错误；{w} 条提醒可酌情处理。").format(w=len(self.problems)))
            self.summary_label.setStyleSheet(f"color: {WARN_COLOR};")
        self.checked.emit(self.problems)

    def _field_key(self, problem_field: str) -> str:
        return forms.field_of_problem(problem_field)

    def _where(self, problem_field: str) -> str:
        key = self._field_key(problem_field)
        if key in self.fields:
            return self.tr("点击跳到“{label}”").format(label=self.fields[key].label_text)
        if key.startswith(forms.FROM_CASE):
            return self.tr("此项来自案件登记信息或调解点设置，请在案件窗口或设置中修改。")
        return ""

    def _on_problem_list_item_clicked(self, item: QListWidgetItem) -> None:
        self.focus_problem(str(item.data(Qt.ItemDataRole.UserRole) or ""))

    def focus_problem(self, problem_field: str) -> bool:
        """Bring the field a problem concerns into view and give it focus; False if not editable here."""
        key = self._field_key(problem_field)
        fld = self.fields.get(key)
        if fld is None:
            hint = self._where(problem_field)
            if hint:
                self.banner.show_message(hint, "info")
            return False
        self.focused_field = key
        self.form_scroll.ensureWidgetVisible(fld)
        index = problem_field.split(".")[1] if "." in problem_field else ""
        editor = fld.editor
        if isinstance(editor, (TermsEditor, AmountsEditor)):
            editor.select(int(index) if index.isdigit() else 0)
        elif isinstance(editor, OptionalDateTimeEdit):
            editor.known.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # ---------------------------------------------------------------- closing

    def reject(self) -> None:
        """Closing (Esc, the window's close box, "关闭") asks about unsaved changes first."""
        if self.dirty and self.info is not None and self.info.status in EDITABLE and not self._busy:
            answer = QMessageBox.question(
                self, self.tr("未保存的修改"), self.tr("文书有未保存的修改。要保存吗？"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self.saved.connect(self._close_after_save)
                self.save()
                return
        super().reject()

    def _close_after_save(self, _doc_id: int) -> None:
        self.saved.disconnect(self._close_after_save)
        super().reject()


class _LinesEdit(TextEdit):
    """Plain text whose value is its lines."""

    def __init__(self, parent: QWidget | None = None, *, lines: int = 3) -> None:
        super().__init__(parent, lines=lines)


__all__ = ["EDITABLE", "AmountsEditor", "DocumentEditor", "FieldSpec", "OptionalDateTimeEdit",
           "TermsEditor", "editable_fields", "print_copies", "status_text"]
