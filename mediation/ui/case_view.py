"""The case window: header, actions allowed now, tabs for parties and records, and the timeline."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import itertools
import logging
import mimetypes
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent, QEnterEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mediation import workflow
from mediation.changes import Changes
from mediation.errors import StorageError
from mediation.i18n import _
from mediation.permissions import Actor
from mediation.services import case_detail, case_records, deadlines, parties
from mediation.services.case_detail import ActionView, CaseDetail
from mediation.timeutil import fmt_local, local_today
from mediation.ui.context import AppContext
from mediation.ui.operations import Job, ReadOp, ReadsOneAtATime, WriteOp
from mediation.ui.widgets import ERROR_COLOR, HINT_COLOR, WARN_COLOR, WARNING_STYLE, Banner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

DUE_SOON_WORKDAYS = 2


def open_local_file(path: Path) -> bool:
    """Open a file with the system's viewer (replaced in tests)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


_windows: dict[tuple[int, int], CaseWindow] = {}


def open_case_window(ctx: AppContext, case_id: int, parent: QWidget | None = None) -> CaseWindow:
    """Show the case's window, reusing the one already open for it."""
    key = (id(ctx), case_id)
    w = _windows.get(key)
    if w is None or not shiboken6.isValid(w):
        w = CaseWindow(ctx, case_id, parent)
        _windows[key] = w
        w.destroyed.connect(lambda _o=None, k=key: _windows.pop(k, None))
    w.show()
    w.raise_()
    w.activateWindow()
    return w


# ---------------------------------------------------------------- the action button


class ActionButton(QPushButton):
    """A button for one action. When its guard fails it looks disabled but still explains:

    clicking shows the Chinese message (what is missing) in the window's hint line,
    hovering shows it while the pointer stays, and the tooltip says the same.
    """

    triggered = Signal(str)
    """The action code, when the button is clicked and allowed."""
    explained = Signal(str)
    """A blocked button was clicked: its message (stays in the hint line)."""
    hovered = Signal(str)
    """The pointer entered a blocked button (its message) or left it ("")."""

    def __init__(self, action: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(label, parent)
        self.action = action
        self.message = ""
        self.blocked = False
        self.setAutoDefault(False)
        self.clicked.connect(self._on_clicked)

    def set_allowed(self, allowed: bool, message: str = "") -> None:
        self.blocked = not allowed
        self.message = message
        self.setToolTip(message)
        self.setProperty("blocked", self.blocked)
        self.setStyleSheet("QPushButton { color: #9aa0a6; }" if self.blocked else "")
        self.setAccessibleDescription(message)

    def _on_clicked(self) -> None:
        if self.blocked:
            self.explained.emit(self.message)
        else:
            self.triggered.emit(self.action)

    def enterEvent(self, event: QEnterEvent) -> None:
        if self.blocked:
            self.hovered.emit(self.message)
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self.blocked:
            self.hovered.emit("")
        super().leaveEvent(event)


# ---------------------------------------------------------------- record lists


class RecordTable(QWidget):
    """A table of records (one per row) and the selected record's full text below it."""

    def __init__(self, headers: list[str], empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        lay.addWidget(self.table, 2)
        self.empty = QLabel(empty_text, self)
        self.empty.setStyleSheet(f"color: {HINT_COLOR};")
        lay.addWidget(self.empty)
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setTabChangesFocus(True)
        lay.addWidget(self.detail, 1)
        self._texts: list[str] = []

    def set_rows(self, rows: list[list[str]], texts: list[str]) -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(r, c, item)
        self._texts = texts
        self.empty.setVisible(not rows)
        self.detail.setVisible(bool(rows))
        if rows:
            self.table.selectRow(len(rows) - 1)
        else:
            self.detail.clear()

    def _on_table_item_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self._texts):
            self.detail.setPlainText(self._texts[rows[0].row()])


class AttachmentsPanel(QWidget):
    """The attachment list; files dropped onto it are added to the case."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("文件名"), self.tr("大小"), self.tr("SHA-256"),
                                              self.tr("添加人"), self.tr("添加时间")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAcceptDrops(False)
        self.table.viewport().setAcceptDrops(False)
        lay.addWidget(self.table, 1)
        self.hint = QLabel(self.tr("可把文件拖到这里添加为附件（单个文件不超过 50 MB）。附件的 SHA-256 "
                                   "校验值可用于核对文件是否被改动。"), self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {HINT_COLOR};")
        lay.addWidget(self.hint)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加附件…"), self)
        self.add_button.setAutoDefault(False)
        self.open_button = QPushButton(self.tr("打开"), self)
        self.open_button.setAutoDefault(False)
        row.addWidget(self.add_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.ids: list[int] = []

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.ids):
            return self.ids[rows[0].row()]
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)


# ---------------------------------------------------------------- the window


@dataclass(frozen=True)
class _Loaded:
    detail: CaseDetail
    workdays_left: int | None
    """Working days from today to the deadline (negative: overdue)."""
    today: dt.date
    unknown_years: tuple[int, ...] = ()
    """The deadline's year, if its holidays are not entered (the deadline may be off)."""


class CaseWindow(ReadsOneAtATime, QWidget):
    """Everything about one case, and the buttons for what can be done with it now."""

    detail_loaded = Signal(object)
    """Emitted with the CaseDetail after each (re)load."""

    def __init__(self, ctx: AppContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        self._revealed: dict[int, str] = {}
        self._temp_dir: Path | None = None
        self.current_dialog: QWidget | None = None
        self._loading_action: str | None = None
        """An action to open once the case is read (the officer's queue)."""
        self.action_buttons: dict[str, ActionButton] = {}
        self.deadline_state = "none"
        """none | ok | due_soon | overdue (for the header colour; tests read it)."""
        self.setObjectName("caseWindow")
        self.setWindowTitle(self.tr("案件"))

        root = QVBoxLayout(self)
        # -- header
        head = QHBoxLayout()
        title_box = QVBoxLayout()
        self.number_label = QLabel(self.tr("正在载入…"), self)
        f = self.number_label.font()
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        self.number_label.setFont(f)
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        title_box.addWidget(self.number_label)
        self.parties_label = QLabel(self)
        self.parties_label.setWordWrap(True)
        title_box.addWidget(self.parties_label)
        head.addLayout(title_box, 1)
        self.edit_button = ActionButton("edit", self.tr("编辑"), self)
        self.edit_button.setToolTip(self.tr("修改当事人、纠纷事实、请求事项和分类"))
        self.edit_button.triggered.connect(self._on_edit_button_triggered)
        self.refresh_button = QPushButton(self.tr("刷新"), self)
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        self.file_button = QPushButton(self.tr("卷宗…"), self)
        self.file_button.setObjectName("caseFileButton")
        self.file_button.setAutoDefault(False)
        self.file_button.setToolTip(self.tr("卷宗封面、卷内目录和本案全部定稿文书（含签字扫描件），合成一个 PDF 预览、打印"))
        self.file_button.clicked.connect(self.open_case_file)
        self.case_file_dialog: QWidget | None = None
        head.addWidget(self.file_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        root.addLayout(head)

        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        root.addWidget(self.status_label)
        self.deadline_label = QLabel(self)
        self.deadline_label.setObjectName("deadline")
        self.deadline_label.setWordWrap(True)
        self.calendar_warning = QLabel(self)
        self.calendar_warning.setObjectName("deadlineCalendarWarning")
        self.calendar_warning.setWordWrap(True)
        self.calendar_warning.setStyleSheet(WARNING_STYLE)
        self.calendar_warning.hide()
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.deadline_label, 1)
        deadline_row.addWidget(self.calendar_warning, 1)
        root.addLayout(deadline_row)
        self.jc_label = QLabel(self)
        self.jc_label.setObjectName("judicialConfirmation")
        self.jc_label.setWordWrap(True)
        self.jc_label.hide()
        root.addWidget(self.jc_label)

        self.banner = Banner(self)
        root.addWidget(self.banner)

        # -- actions: one button per action the service returns, in its order
        self._action_row = QHBoxLayout()
        self._action_row.addWidget(self._row_label(self.tr("办理：")))
        self._action_row.addStretch(1)
        root.addLayout(self._action_row)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("actionHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet(f"color: {WARN_COLOR};")
        self.hint_label.setMinimumHeight(self.fontMetrics().height() + 4)
        root.addWidget(self.hint_label)
        self._sticky_hint = ""

        # -- tabs and timeline
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.tabs = QTabWidget(split)
        self.overview = QTextBrowser(self.tabs)
        self.overview.setOpenLinks(False)
        self.tabs.addTab(self.overview, self.tr("概况"))
        self.parties_tab = QWidget(self.tabs)
        pl = QVBoxLayout(self.parties_tab)
        pl.setContentsMargins(0, 0, 0, 0)
        self.parties_table = QTableWidget(0, 9, self.parties_tab)
        self.parties_table.setHorizontalHeaderLabels([
            self.tr("身份"), self.tr("姓名/名称"), self.tr("性别"), self.tr("民族"), self.tr("出生日期"),
            self.tr("证件号码"), self.tr("电话"), self.tr("住址"), self.tr("职业/学校")])
        self.parties_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.parties_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.parties_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.parties_table.verticalHeader().hide()
        self.parties_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.parties_table.horizontalHeader().setStretchLastSection(True)
        self.parties_table.itemSelectionChanged.connect(self._on_parties_table_item_selection_changed)
        pl.addWidget(self.parties_table, 1)
        prow = QHBoxLayout()
        self.reveal_button = QPushButton(self.tr("显示完整号码"), self.parties_tab)
        self.reveal_button.setAutoDefault(False)
        self.reveal_button.setToolTip(self.tr("查看完整证件号码会记录在审计日志中（谁、何时、哪位当事人）。"))
        self.reveal_button.clicked.connect(self._on_reveal_button_clicked)
        self.reveal_button.setEnabled(False)
        self.reveal_button.setVisible(ctx.actor.can("party.view_id"))
        prow.addWidget(self.reveal_button)
        self.reveal_note = QLabel(self.parties_tab)
        self.reveal_note.setStyleSheet(f"color: {HINT_COLOR};")
        prow.addWidget(self.reveal_note, 1)
        pl.addLayout(prow)
        self.tabs.addTab(self.parties_tab, self.tr("当事人"))
        self.investigations = RecordTable([self.tr("时间"), self.tr("地点"), self.tr("调查对象"), self.tr("调查人")],
                                          self.tr("还没有调查记录。"), self.tabs)
        self.tabs.addTab(self.investigations, self.tr("调查记录"))
        self.sessions = RecordTable([self.tr("时间"), self.tr("地点"), self.tr("参加人员"), self.tr("结果"),
                                     self.tr("调解员")], self.tr("还没有调解记录。"), self.tabs)
        self.tabs.addTab(self.sessions, self.tr("调解记录"))
        self.attachments = AttachmentsPanel(self.tabs)
        self.attachments.add_button.clicked.connect(self._on_add_attachment_clicked)
        self.attachments.open_button.clicked.connect(self._on_open_attachment_clicked)
        self.attachments.files_dropped.connect(self.add_attachments)
        self.tabs.addTab(self.attachments, self.tr("附件"))
        self.follow_ups = RecordTable([self.tr("时间"), self.tr("方式"), self.tr("履行情况"), self.tr("回访人")],
                                      self.tr("还没有回访记录。"), self.tabs)
        self.tabs.addTab(self.follow_ups, self.tr("回访"))
        from mediation.ui.documents_tab import DocumentsTab

        self.documents_tab = DocumentsTab(ctx, case_id, self.tabs)
        self.tabs.addTab(self.documents_tab, self.tr("文书"))
        self._tab_titles = {self.tabs.indexOf(w): self.tabs.tabText(self.tabs.indexOf(w)) for w in (
            self.parties_tab, self.investigations, self.sessions, self.attachments, self.follow_ups)}

        side = QWidget(split)
        sl = QVBoxLayout(side)
        sl.setContentsMargins(6, 0, 0, 0)
        sl.addWidget(self._row_label(self.tr("经过")))
        self.timeline = QListWidget(side)
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        sl.addWidget(self.timeline, 1)
        split.addWidget(self.tabs)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        root.addWidget(split, 1)


        ctx.operation_did_execute.connect(self._on_operation_did_execute)
        ctx.actor_changed.connect(self._on_actor_changed)
        self._fit_to_screen()
        self.reload()

    # ---------------------------------------------------------------- layout helpers

    def _row_label(self, text: str) -> QLabel:
        label = QLabel(text, self)
        f = label.font()
        f.setBold(True)
        label.setFont(f)
        return label

    def _fit_to_screen(self) -> None:
        screen = self.screen()
        w, h = 1200, 760
        if screen is not None:
            avail = screen.availableGeometry()
            w, h = min(w, avail.width() - 20), min(h, avail.height() - 40)
        self.resize(max(w, 800), max(h, 500))

    def show_document(self, document_id: int) -> None:
        """Bring the documents tab forward with this document selected."""
        self.tabs.setCurrentWidget(self.documents_tab)
        self.documents_tab.select_document(document_id)

    def open_case_file(self) -> None:
        """The 卷宗 as one PDF (cover, contents, every final document), to look at and print."""
        from mediation.services import documents as docs
        from mediation.ui.pdf_preview import PdfPreviewDialog

        case_id = self.case_id

        def _record(s: Session, actor: Actor, kind: str, fmt: str) -> None:
            docs.record_case_output(s, actor, case_id, form="case_file", fmt=fmt, kind=kind)

        def _make(job: Job) -> docs.CaseFile:
            # case_file_pdf puts it on record (it shows full ID numbers) as it makes it.
            return job.write(lambda s, a: docs.case_file_pdf(s, a, case_id, kind="preview"))

        def _show(made: docs.CaseFile) -> None:
            old = self.case_file_dialog
            if old is not None and shiboken6.isValid(old):
                old.close()
            number = self.detail.number if self.detail and self.detail.number else f"#{case_id}"
            title = self.tr("卷宗 {number}（{n} 份文书，共 {pages} 页）").format(
                number=number, n=made.papers, pages=made.pages)
            dlg = PdfPreviewDialog(made.pdf, title=title, file_stem=self.tr("{number} 卷宗").format(number=number),
                                   parent=self, ctx=self.ctx, record=_record)
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.case_file_dialog = dlg
            dlg.show()
            if not made.cover_final:
                dlg.banner.show_message(self.tr("卷宗封面尚未定稿，此处的封面标有“草稿”；归档前请在“文书”中起草并定稿卷宗封面。"),
                                        "warning")

        WriteOp.job(self, _make).success(_show).run()

    def _on_refresh_clicked(self) -> None:
        """Everything shown, documents included (another desk PC may have drafted one)."""
        self.reload()
        self.documents_tab.reload()

    def read_op(self) -> ReadOp[_Loaded]:
        case_id = self.case_id

        def _fetch(s: Session, actor: Actor) -> _Loaded:
            today = local_today()
            d = case_detail.get_case(s, actor, case_id)
            left = deadlines.calendar(s).workdays_between(today, d.deadline) if d.deadline else None
            unknown = tuple(deadlines.unknown_years(s, d.deadline, d.deadline)) if d.deadline else ()
            return _Loaded(d, left, today, unknown)

        return ReadOp(self, _fetch).success(self._on_loaded)

    def show_message(self, text: str, level: str) -> None:
        """Failures and results of this window's operations, in its banner."""
        self.banner.show_message(text, level)

    def _on_loaded(self, loaded: _Loaded) -> None:
        d = loaded.detail
        self.detail = d
        self._revealed.clear()
        self._show_header(d, loaded)
        self._show_actions(d)
        self._show_overview(d)
        self._show_parties(d)
        self._show_records(d)
        self._show_timeline(d)
        self.documents_tab.set_case_detail(d)
        self.detail_loaded.emit(d)
        pending, self._loading_action = self._loading_action, None
        if pending:
            self.open_action_when_loaded(pending)

    def _on_actor_changed(self, actor: Any) -> None:
        # Another user took the desk: what may be done (and seen) depends on the role.
        if actor is None:
            return
        self.reveal_button.setVisible(actor.can("party.view_id"))
        self.reload()

    def _on_operation_did_execute(self, changes: Changes) -> None:
        if self.case_id in changes.case_ids:
            self.reload()

    # ---------------------------------------------------------------- header

    def _show_header(self, d: CaseDetail, loaded: _Loaded) -> None:
        number = d.number or self.tr("未受理（受理后编号）")
        self.number_label.setText(number)
        self.setWindowTitle(self.tr("案件 {number} — {parties}").format(
            number=d.number or self.tr("未受理"), parties=parties.party_summary([(p.role, p.name) for p in d.parties])))
        cat = d.category + (f" / {d.subcategory}" if d.subcategory else "")
        self.parties_label.setText(" · ".join(filter(None, [
            parties.party_summary([(p.role, p.name) for p in d.parties]), cat, d.title])))
        bits = [
            self.tr("阶段：<b>{stage}</b>").format(stage=html.escape(workflow.stage_label(d.stage))),
            self.tr("类型：<b>{track}</b>").format(track=html.escape(workflow.track_label(d.track))),
            self.tr("调解员：<b>{name}</b>").format(name=html.escape(d.mediator or self.tr("未指派"))),
            self.tr("登记：{when}（{who}）").format(when=fmt_local(d.registered_at), who=html.escape(d.registered_by)),
        ]
        if d.result:
            bits.append(self.tr("结果：<b>{r}</b>").format(r=html.escape(_(workflow.RESULTS.get(d.result, d.result)))))
        self.status_label.setText("　·　".join(bits))
        self._show_deadline(d, loaded)

    def _show_deadline(self, d: CaseDetail, loaded: _Loaded) -> None:
        years = "、".join(str(y) for y in loaded.unknown_years)
        self.calendar_warning.setText(self.tr(
            "注意：{years} 年的节假日和调休尚未录入，期限暂按周一至周五推算，可能不准。"
            "请管理员在“管理 → 节假日与调休”中录入。").format(years=years))
        self.calendar_warning.setVisible(bool(loaded.unknown_years) and d.deadline is not None)
        if d.deadline is None:
            self.deadline_label.setText(self.tr("期限：无"))
            self.deadline_label.setStyleSheet(f"color: {HINT_COLOR};")
            self.deadline_state = "none"
        else:
            label = d.deadline_label or self.tr("办理期限")
            left = loaded.workdays_left
            if d.deadline < loaded.today:
                days = (loaded.today - d.deadline).days
                text = self.tr("期限：{date}　{label}　已超期 {n} 天").format(
                    date=d.deadline.isoformat(), label=label, n=days)
                color, self.deadline_state = ERROR_COLOR, "overdue"
            elif left is not None and left <= DUE_SOON_WORKDAYS:
                text = self.tr("期限：{date}　{label}　即将到期（还剩 {n} 个工作日）").format(
                    date=d.deadline.isoformat(), label=label, n=max(left, 0))
                color, self.deadline_state = WARN_COLOR, "due_soon"
            else:
                text = self.tr("期限：{date}　{label}（还剩 {n} 个工作日）").format(
                    date=d.deadline.isoformat(), label=label, n=left if left is not None else "?")
                color, self.deadline_state = "", "ok"
            self.deadline_label.setText(text)
            self.deadline_label.setStyleSheet(f"color: {color}; font-weight: bold;" if color else "")
        jc = d.judicial_confirmation_deadline
        if jc is None:
            self.jc_label.hide()
        else:
            days = (jc - loaded.today).days
            if days >= 0:
                text = self.tr("司法确认：双方可在 {date} 前共同向人民法院申请司法确认（还剩 {n} 天）。").format(
                    date=jc.isoformat(), n=days)
                color = WARN_COLOR if days <= 7 else HINT_COLOR
            else:
                text = self.tr("司法确认：申请期限已于 {date} 届满。").format(date=jc.isoformat())
                color = HINT_COLOR
            self.jc_label.setText(text)
            self.jc_label.setStyleSheet(f"color: {color};")
            self.jc_label.show()

    # ---------------------------------------------------------------- actions

    def _show_actions(self, d: CaseDetail) -> None:
        for b in self.action_buttons.values():
            b.hide()
            b.deleteLater()
        self.action_buttons = {}
        self._set_hint("")
        for a in d.actions:
            self._add_action_button(a)
        closed = d.stage in (workflow.CLOSED, workflow.ARCHIVED)
        self.edit_button.set_allowed(not closed, self.tr("已结案或归档的案件不能修改。") if closed else "")
        if not closed:
            self.edit_button.setToolTip(self.tr("修改当事人、纠纷事实、请求事项和分类"))
        # Keep the tab chain in reading order: header buttons, the action rows, then the tabs.
        chain: list[QWidget] = [self.edit_button, self.refresh_button, *self.action_buttons.values(), self.tabs]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _add_action_button(self, a: ActionView) -> None:
        b = ActionButton(a.action, a.label, self)
        b.set_allowed(a.allowed, a.message)
        b.triggered.connect(self.open_action)
        b.explained.connect(self._on_action_explained)
        b.hovered.connect(self._on_action_hovered)
        row = self._action_row
        row.insertWidget(row.count() - 1, b)
        self.action_buttons[a.action] = b

    def _on_action_explained(self, message: str) -> None:
        self._sticky_hint = message
        self.hint_label.setText(message)

    def _on_action_hovered(self, message: str) -> None:
        self.hint_label.setText(message or self._sticky_hint)

    def _set_hint(self, message: str) -> None:
        self._sticky_hint = message
        self.hint_label.setText(message)

    def open_action(self, action: str) -> QWidget | None:
        """Open the dialog for ``action`` (a button's action code); returns it."""
        if self.detail is None:
            return None
        from mediation.ui.action_dialogs import dialog_for

        dlg = dialog_for(action, self.ctx, self.detail, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.current_dialog = dlg
        dlg.open()
        return dlg

    def open_action_when_loaded(self, action: str) -> None:
        """Open ``action``'s dialog as soon as the case is read (now if it is), if the case allows it;
        otherwise its button explains in the hint line why not."""
        if self.detail is None or self._loading_action is not None:
            self._loading_action = action
            return
        button = self.action_buttons.get(action)
        if button is None:
            self._set_hint(self.tr("此案件现在不能“{action}”。").format(action=_(workflow.rule(action).label)))
        elif button.blocked:
            self._set_hint(button.message)
            button.setFocus()
        else:
            self.open_action(action)

    def _on_edit_button_triggered(self, _action: str) -> None:
        self.open_editor()

    def open_editor(self) -> QWidget:
        """The intake form on this case (edits save with the version seen, conflicts shown)."""
        from mediation.ui.intake_dialog import IntakeDialog

        if isinstance(self.current_dialog, IntakeDialog) and shiboken6.isValid(self.current_dialog) \
                and self.current_dialog.isVisible():
            self.current_dialog.raise_()
            return self.current_dialog
        dlg = IntakeDialog(self.ctx, self, case_id=self.case_id)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.current_dialog = dlg
        dlg.open()
        return dlg

    # ---------------------------------------------------------------- overview and lists

    def _show_overview(self, d: CaseDetail) -> None:
        def row(label: str, value: Any) -> str:
            if value in (None, ""):
                return ""
            text = html.escape(str(value)).replace("\n", "<br>")
            return (f"<tr><th align='left' valign='top' style='padding-right:12px'>{html.escape(label)}</th>"
                    f"<td>{text}</td></tr>")

        def section(title: str, rows: list[str]) -> str:
            body = "".join(r for r in rows if r)
            return f"<h3>{html.escape(title)}</h3><table>{body}</table>" if body else ""

        parts = [section(self.tr("纠纷情况"), [
            row(self.tr("纠纷事实"), d.facts), row(self.tr("请求事项"), d.claims),
            row(self.tr("涉及金额"), self.tr("{a} 元").format(a=d.amount) if d.amount is not None else None),
            row(self.tr("纠纷类别"), d.category), row(self.tr("具体类型"), d.subcategory),
            row(self.tr("纠纷来源"), d.source), row(self.tr("调解点"), d.desk_name),
            row(self.tr("受理时间"), fmt_local(d.accepted_at) if d.accepted_at else None),
        ])]
        if d.agreement_kind:
            kind = self.tr("书面协议") if d.agreement_kind == "written" else self.tr("口头协议")
            parts.append(section(self.tr("调解协议"), [
                row(self.tr("协议形式"), kind), row(self.tr("协议编号"), d.agreement_number),
                row(self.tr("协议内容"), d.agreement_terms),
                row(self.tr("协议金额"), self.tr("{a} 元").format(a=d.agreement_amount)
                    if d.agreement_amount is not None else None),
                row(self.tr("履行方式"), d.performance_manner), row(self.tr("履行地点"), d.performance_place),
                row(self.tr("履行期限"), d.performance_deadline.isoformat() if d.performance_deadline else None),
                row(self.tr("达成时间"), fmt_local(d.agreement_reached_at) if d.agreement_reached_at else None),
                row(self.tr("签署"), fmt_local(d.agreement_signed_at) if d.agreement_signed_at else self.tr("未签署")),
                row(self.tr("履行情况"), _(workflow.PERFORMANCE.get(d.performance_status or "", ""))
                    if d.performance_status else None),
            ]))
        if d.result or d.closed_at:
            parts.append(section(self.tr("结果"), [
                row(self.tr("结果"), _(workflow.RESULTS.get(d.result or "", d.result or ""))),
                row(self.tr("理由"), d.outcome_reason), row(self.tr("去向"), d.referred_to),
                row(self.tr("告知的其他途径"), d.routes_suggested),
                row(self.tr("防止民转刑"), self.tr("是") if d.prevented_escalation else None),
                row(self.tr("结案时间"), fmt_local(d.closed_at) if d.closed_at else None),
                row(self.tr("归档时间"), fmt_local(d.archived_at) if d.archived_at else None),
            ]))
        self.overview.setHtml("".join(parts))

    def _show_parties(self, d: CaseDetail) -> None:
        by_link = {p.link_id: p for p in d.parties}
        t = self.parties_table
        t.setRowCount(len(d.parties))
        for r, p in enumerate(d.parties):
            role = p.role_label
            if p.represents_link_id in by_link:
                role = self.tr("{role}（代表{name}）").format(role=role, name=by_link[p.represents_link_id].name)
            name = p.name if p.kind == "person" else self.tr("{name}（单位）").format(name=p.name)
            work = p.occupation if p.kind == "person" else (
                self.tr("法定代表人：{n}").format(n=p.legal_representative) if p.legal_representative else "")
            values = [role, name, p.sex, p.ethnicity, p.birth_date.isoformat() if p.birth_date else "",
                      p.id_number_masked, p.phone, p.address, work]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                t.setItem(r, c, item)
        self.reveal_note.clear()
        self._on_parties_table_item_selection_changed()
        self._set_count(self.parties_tab, len(d.parties))

    def _show_records(self, d: CaseDetail) -> None:
        self.investigations.set_rows(
            [[fmt_local(i.held_at), i.place, i.subject, i.investigator] for i in d.investigations],
            [self.tr("时间：{t}\n地点：{p}\n调查对象：{s}\n调查人：{u}\n\n{c}").format(
                t=fmt_local(i.held_at), p=i.place, s=i.subject, u=i.investigator, c=i.content)
             for i in d.investigations])
        self._set_count(self.investigations, len(d.investigations))
        results = {k: _(v) for k, v in workflow.SESSION_RESULTS.items()}
        self.sessions.set_rows(
            [[fmt_local(s.held_at), s.place, s.attendees, results.get(s.result, s.result), s.mediator]
             for s in d.sessions],
            [self.tr("时间：{t}\n地点：{p}\n参加人员：{a}\n调解员：{m}　记录人：{r}\n结果：{res}\n\n{c}").format(
                t=fmt_local(s.held_at), p=s.place, a=s.attendees, m=s.mediator, r=s.recorder,
                res=results.get(s.result, s.result), c=s.content) for s in d.sessions])
        self._set_count(self.sessions, len(d.sessions))
        methods = {k: _(v) for k, v in workflow.FOLLOW_UP_METHODS.items()}
        perf = {k: _(v) for k, v in workflow.PERFORMANCE.items()}
        self.follow_ups.set_rows(
            [[fmt_local(f.visited_at), methods.get(f.method, f.method), perf.get(f.performance_status, ""), f.user]
             for f in d.follow_ups],
            [self.tr("时间：{t}\n方式：{m}\n事由：{r}\n履行情况：{p}\n回访人：{u}\n\n{res}").format(
                t=fmt_local(f.visited_at), m=methods.get(f.method, f.method), r=f.reason,
                p=perf.get(f.performance_status, ""), u=f.user, res=f.result) for f in d.follow_ups])
        self._set_count(self.follow_ups, len(d.follow_ups))
        at = self.attachments
        at.ids = [a.id for a in d.attachments]
        at.table.setRowCount(len(d.attachments))
        for r, a in enumerate(d.attachments):
            values = [a.filename, _human_size(a.size), a.sha256, a.added_by, fmt_local(a.added_at)]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                at.table.setItem(r, c, item)
        at.open_button.setEnabled(bool(d.attachments))
        at.add_button.setEnabled(d.stage != workflow.ARCHIVED)
        self._set_count(self.attachments, len(d.attachments))

    def _set_count(self, widget: QWidget, n: int) -> None:
        i = self.tabs.indexOf(widget)
        base = self._tab_titles.get(i, self.tabs.tabText(i))
        self.tabs.setTabText(i, f"{base} ({n})" if n else base)

    def _show_timeline(self, d: CaseDetail) -> None:
        self.timeline.clear()
        for e in sorted(d.events, key=lambda e: (e.at, e.id)):
            move = ""
            if e.stage_from and e.stage_to and e.stage_from != e.stage_to:
                move = self.tr("（{a} → {b}）").format(a=workflow.stage_label(e.stage_from),
                                                      b=workflow.stage_label(e.stage_to))
            text = f"{fmt_local(e.at)}  {e.user}\n{e.summary}{move}"
            item = QListWidgetItem(text)
            item.setToolTip(text)
            self.timeline.addItem(item)
        self.timeline.scrollToBottom()

    # ---------------------------------------------------------------- ID numbers

    def _selected_party_row(self) -> int | None:
        rows = self.parties_table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _on_parties_table_item_selection_changed(self) -> None:
        r = self._selected_party_row()
        ok = (r is not None and self.detail is not None and r < len(self.detail.parties)
              and bool(self.detail.parties[r].id_number_masked))
        self.reveal_button.setEnabled(ok)

    def _on_reveal_button_clicked(self) -> None:
        r = self._selected_party_row()
        if r is None or self.detail is None:
            return
        self.reveal_id_number(r)

    def reveal_id_number(self, row: int) -> None:
        """Show one party's full ID number (officers and advisers; the viewing is audited)."""
        assert self.detail is not None
        party = self.detail.parties[row]
        purpose = self.tr("案件查看：{number}").format(number=self.detail.number or f"#{self.case_id}")

        def _shown(number: str, r: int = row, pid: int = party.party_id) -> None:
            self._revealed[pid] = number
            item = self.parties_table.item(r, 5)
            if item is not None:
                item.setText(number)
                item.setToolTip(number)
            self.reveal_note.setText(self.tr("已显示完整号码（本次查看已记入审计日志）。刷新后重新隐藏。"))

        WriteOp(self, lambda s, a: parties.reveal_id_number(s, a, party.party_id, purpose=purpose)).success(_shown).run()

    # ---------------------------------------------------------------- attachments

    def _on_add_attachment_clicked(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, self.tr("选择要添加的附件"))
        if paths:
            self.add_attachments(paths)

    def add_attachments(self, paths: list[str]) -> None:
        """Add files to the case (read and stored off the UI thread), all of them or none."""
        case_id = self.case_id
        files = [Path(p) for p in paths]
        unreadable = self.tr("无法读取文件“{name}”（{why}）。")

        def _add(s: Session, actor: Actor) -> int:
            for path in files:
                try:
                    content = path.read_bytes()
                except OSError as exc:
                    raise StorageError(unreadable.format(name=path.name, why=type(exc).__name__)) from exc
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                case_records.add_attachment(s, actor, case_id, filename=path.name, content=content, mime_type=mime)
            return len(files)

        def _done(n: int) -> None:
            self.banner.show_message(self.tr("已添加 {n} 个附件。").format(n=n), "info")

        self.banner.show_message(self.tr("正在添加附件…"), "info")
        WriteOp(self, _add).changes(Changes(case_ids=frozenset({case_id}))).success(_done).run()

    def _on_open_attachment_clicked(self) -> None:
        att_id = self.attachments.selected_id()
        if att_id is not None:
            self.open_attachment(att_id)

    def open_attachment(self, attachment_id: int) -> None:
        """Write the attachment to a private temporary file, check its hash, and open it."""
        if self._temp_dir is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="mediation-att-"))
        folder = self._temp_dir

        def _export(job: Job) -> tuple[Path, bool]:
            name, content, sha = job.read(lambda s, a: case_records.get_attachment(s, a, attachment_id))
            target_dir = folder / str(attachment_id)
            target_dir.mkdir(parents=True, exist_ok=True)
            target = target_dir / (Path(name).name or "attachment")
            target.write_bytes(content)
            return target, hashlib.sha256(content).hexdigest() == sha

        def _opened(result: tuple[Path, bool]) -> None:
            path, intact = result
            if not intact:
                self.banner.show_message(self.tr("警告：附件内容与登记时的 SHA-256 不一致，文件可能已损坏或被改动。"),
                                         "error")
            if not open_local_file(path):
                self.banner.show_message(self.tr("没有可以打开此类文件的程序。文件已保存在：{p}").format(p=str(path)),
                                         "warning")

        ReadOp.job(self, _export).success(_opened).run()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None
        super().closeEvent(event)


def _human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


__all__ = ["ActionButton", "CaseWindow", "open_case_window", "open_local_file"]
