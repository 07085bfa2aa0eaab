"""The main window: the case list with its filters and search, the "today" panel, menus and the lock."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
from dataclasses import replace
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyle,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mediation import workflow
from mediation.permissions import Actor, role_label
from mediation.services import caselist, reference, roster
from mediation.timeutil import local, local_today
from mediation.ui.context import AppContext, Changes
from mediation.ui.errors import show_exception
from mediation.ui.lock_screen import (
    DEFAULT_IDLE_MINUTES,
    IdleWatcher,
    LockScreen,
    close_keeping_draft,
    save_draft_of,
)
from mediation.ui.models.case_table_model import (
    COL_CATEGORY,
    COL_DEADLINE,
    COL_MEDIATOR,
    COL_NUMBER,
    COL_PARTIES,
    COL_REGISTERED,
    COL_STAGE,
    COL_TRACK,
    DUE_SOON_BACKGROUND,
    OVERDUE_BACKGROUND,
    SORT_KEYS,
    CaseTableModel,
)
from mediation.ui.state import UiState
from mediation.ui.tasks import Op

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 250
TODAY_REFRESH_MS = 5 * 60_000
DEFAULT_COLUMN_WIDTHS = {
    COL_NUMBER: 190, COL_REGISTERED: 92, COL_PARTIES: 170, COL_CATEGORY: 110,
    COL_TRACK: 80, COL_STAGE: 80, COL_MEDIATOR: 70, COL_DEADLINE: 130,
}
STAGE_ALL, STAGE_OPEN = "all", "open"


class TodayPanel(QScrollArea):
    """My open cases, deadlines due, follow-ups due and who is on duty."""

    case_activated = Signal(int)
    document_activated = Signal(int, int)
    review_requested = Signal(int, int)
    """(case id, document id) of a submitted document the officer chose to review."""
    """(case id, document id) of a document waiting for approval or revision."""
    check_in_requested = Signal()
    check_out_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._overview: roster.TodayOverview | None = None
        self._my_shift_id: int | None = None
        self._my_present = False
        self._user_id: int | None = None
        self._can_approve = False

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 0, 4, 4)
        self.date_label = QLabel()
        font = self.date_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.date_label.setFont(font)
        layout.addWidget(self.date_label)

        self.duty_box = QGroupBox()
        duty_layout = QVBoxLayout(self.duty_box)
        self.duty_list = self._make_list(4)
        self.duty_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self._on_check_button_clicked)
        duty_layout.addWidget(self.duty_list)
        duty_layout.addWidget(self.check_button)
        layout.addWidget(self.duty_box)

        self.docs_box = QGroupBox()
        self.docs_list = self._make_list(4)
        self.docs_list.itemActivated.connect(self._on_document_activated)
        QVBoxLayout(self.docs_box).addWidget(self.docs_list)
        layout.addWidget(self.docs_box)
        self.mine_box, self.mine_list = self._case_box(layout)
        self.due_box, self.due_list = self._case_box(layout)
        self.follow_box, self.follow_list = self._case_box(layout)
        layout.addStretch(1)
        self.setWidget(body)
        self._retranslate()

    def _make_list(self, rows: int) -> QListWidget:
        lst = QListWidget()
        lst.setUniformItemSizes(True)
        lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lst.setTextElideMode(Qt.TextElideMode.ElideRight)
        lst.setFixedHeight(lst.fontMetrics().height() * rows + 16)
        return lst

    def _case_box(self, layout: QVBoxLayout) -> tuple[QGroupBox, QListWidget]:
        box = QGroupBox()
        lst = self._make_list(4)
        lst.itemActivated.connect(self._on_item_activated)
        inner = QVBoxLayout(box)
        inner.addWidget(lst)
        layout.addWidget(box)
        return box, lst

    def _retranslate(self) -> None:
        self.duty_box.setTitle(self.tr("今日值班"))
        self.due_box.setToolTip(self.tr("已逾期（红色）和 2 个工作日内到期（黄色）的期限"))
        self.follow_box.setToolTip(self.tr("处于“履行/回访”阶段的案件，按履行期限排序"))
        self.mine_box.setToolTip(self.tr("您担任调解员、尚未结案的案件"))
        self.show_overview(self._overview, self._user_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(case_id, int):
            self.case_activated.emit(case_id)

    def _on_document_activated(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(data, (list, tuple)) and len(data) == 3:
            if data[2] == "submitted":  # waiting for this officer: straight to the review
                self.review_requested.emit(int(data[0]), int(data[1]))
            else:
                self.document_activated.emit(int(data[0]), int(data[1]))

    def _on_check_button_clicked(self) -> None:
        if self._my_present and self._my_shift_id is not None:
            self.check_out_requested.emit(self._my_shift_id)
        else:
            self.check_in_requested.emit()

    def _fill(self, lst: QListWidget, rows: list[caselist.CaseRow], empty: str, *,
              by_deadline: bool = True) -> None:
        lst.clear()
        if self._overview is None:
            return
        if not rows:
            item = QListWidgetItem(empty)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            lst.addItem(item)
            return
        ov = self._overview
        for r in rows:
            # Names first: the volunteer recognises people, not numbers (those are in the tooltip).
            if by_deadline and r.deadline is not None:
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
            lst.addItem(item)

    def _fill_documents(self, tasks: list[roster.DocumentTask]) -> None:
        self.docs_list.clear()
        self.docs_box.setTitle(self.tr("待处理文书（{n}）").format(n=len(tasks)))
        # Shown to those who approve (waiting for them) and drafters (returned to them).
        self.docs_box.setVisible(bool(tasks) or self._can_approve)
        if not tasks:
            item = QListWidgetItem(self.tr("没有待审批或退回修改的文书"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.docs_list.addItem(item)
            return
        for t in tasks:
            what = self.tr("待审批") if t.status == "submitted" else self.tr("退回修改")
            item = QListWidgetItem(f"{what}：{t.title} · {t.parties}")
            item.setToolTip("\n".join([t.case_number or self.tr("待受理"), t.title, t.parties,
                                       local(t.since).strftime("%Y-%m-%d %H:%M")]))
            if t.status == "returned":
                item.setBackground(DUE_SOON_BACKGROUND)
            item.setData(Qt.ItemDataRole.UserRole, [t.case_id, t.document_id, t.status])
            self.docs_list.addItem(item)

    def set_can_approve(self, can: bool) -> None:
        self._can_approve = can

    def show_overview(self, overview: roster.TodayOverview | None, user_id: int | None) -> None:
        self._overview = overview
        self._user_id = user_id
        ov = overview
        today = ov.today if ov else local_today()
        self.date_label.setText(self.tr("今天 {date}").format(date=today.isoformat()))
        self.mine_box.setTitle(self.tr("我的在办案件（{n}）").format(n=ov.my_open_count if ov else 0))
        self.due_box.setTitle(self.tr("期限将到或已逾期（{n}）").format(n=len(ov.deadlines_due) if ov else 0))
        self.follow_box.setTitle(self.tr("待回访（{n}）").format(n=len(ov.follow_ups_due) if ov else 0))
        self._fill(self.mine_list, ov.my_open if ov else [], self.tr("没有由您调解的在办案件"),
                   by_deadline=False)
        self._fill(self.due_list, ov.deadlines_due if ov else [], self.tr("近两个工作日没有到期的期限"))
        self._fill(self.follow_list, ov.follow_ups_due if ov else [], self.tr("没有待回访的案件"))
        self._fill_documents(ov.documents if ov else [])
        self.duty_list.clear()
        self._my_shift_id, self._my_present = None, False
        for s in (ov.shifts if ov else []):
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
            self.duty_list.addItem(item)
            if s.user_id == user_id and (s.present or self._my_shift_id is None) and s.checked_out_at is None:
                self._my_shift_id, self._my_present = s.id, s.present
        if ov is not None and not ov.shifts:
            item = QListWidgetItem(self.tr("今天没有排班"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.duty_list.addItem(item)
        self.check_button.setText(self.tr("签退") if self._my_present else self.tr("签到（我已到岗）"))
        self.check_button.setEnabled(ov is not None)


class MainWindow(QMainWindow):
    """Everything a volunteer needs during a shift, reachable from one window."""

    def __init__(self, ctx: AppContext, state: UiState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._state = state
        self._locked = False
        self._hidden_for_lock: list[QWidget] = []
        self._case_windows: dict[int, QWidget] = {}
        self._categories: list[str] = []
        self._idle_minutes = DEFAULT_IDLE_MINUTES
        self._placeholder: QMessageBox | None = None
        self.setObjectName("MainWindow")

        self.model = CaseTableModel(ctx, self)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_central()
        self._build_status_bar()
        self.lock_screen = LockScreen(ctx, self)
        self.lock_screen.unlocked.connect(self._on_lock_screen_unlocked)
        self.lock_screen.user_switched.connect(self._on_lock_screen_user_switched)
        self.idle = IdleWatcher(self)
        self.idle.idle_timed_out.connect(self._on_idle_timed_out)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(80)
        self._refresh_timer.timeout.connect(self.refresh)
        self._today_timer = QTimer(self)
        self._today_timer.setInterval(TODAY_REFRESH_MS)
        self._today_timer.timeout.connect(self.refresh_today)

        self.model.count_changed.connect(self._on_model_count_changed)
        self.model.page_loaded.connect(self._on_model_page_loaded)
        self.model.loading_changed.connect(self._on_model_loading_changed)
        self.model.load_failed.connect(self._on_model_load_failed)
        self.model.modelReset.connect(self._update_empty_hint)
        self.model.modelReset.connect(self._update_count_label)
        # Lay the rows out now: left to the view's deferred layout, the scroll bar's new range
        # arrives after the first paint and the table is painted twice.
        self.model.modelReset.connect(self.table.doItemsLayout)
        ctx.operation_did_execute.connect(self._on_operation_did_execute)
        ctx.actor_changed.connect(self._on_actor_changed)

        self._autosize_pending = True
        self._retranslate()
        self._restore_state()
        self._apply_permissions()
        # The first page goes first; the today panel and the reference data follow once
        # it is on screen, so they do not compete with it for the database and the GIL.
        self._side_loads_pending = True
        self.apply_filters()
        self.idle.start()
        self._today_timer.start()

    # ------------------------------------------------------------------ building

    def _action(self, slot: Any, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.new_case_action = self._action(self._on_new_case_triggered, "Ctrl+N", sp.SP_FileIcon)
        self.consultation_action = self._action(self._on_consultation_triggered, "Ctrl+Shift+N",
                                                sp.SP_MessageBoxQuestion)
        self.open_case_action = self._action(self._on_open_case_triggered, None, sp.SP_DialogOpenButton)
        self.refresh_action = self._action(self._on_refresh_triggered, "F5", sp.SP_BrowserReload)
        self.search_action = self._action(self._on_search_triggered, "Ctrl+F")
        self.clear_filters_action = self._action(self._on_clear_filters_triggered)
        self.lock_action = self._action(self._on_lock_triggered, "Ctrl+L")
        self.switch_user_action = self._action(self._on_switch_user_triggered)
        self.quit_action = self._action(self.close, "Ctrl+Q")
        self.settings_action = self._action(self._on_settings_triggered, "Ctrl+,")
        self.accounts_action = self._action(self._on_accounts_triggered)
        self.roster_action = self._action(self._on_roster_triggered)
        self.holidays_action = self._action(self._on_holidays_triggered)
        self.templates_action = self._action(self._on_templates_triggered)
        self.import_action = self._action(self._on_import_triggered)
        self.backup_action = self._action(self._on_backup_triggered)
        self.import_job: object | None = None  # the running or last import (mediation.ui.import_dialog)
        self.guide_action = self._action(self._on_guide_triggered, "F1")
        self.about_action = self._action(self._on_about_triggered)
        self.show_today_action = QAction(self)
        self.show_today_action.setCheckable(True)
        self.show_today_action.setChecked(True)
        self.show_filters_action = QAction(self)
        self.show_filters_action.setCheckable(True)
        self.show_filters_action.setChecked(True)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.case_menu = bar.addMenu("")
        for a in (self.new_case_action, self.consultation_action, self.open_case_action):
            self.case_menu.addAction(a)
        self.case_menu.addSeparator()
        self.case_menu.addAction(self.refresh_action)
        self.case_menu.addSeparator()
        self.case_menu.addAction(self.lock_action)
        self.case_menu.addAction(self.switch_user_action)
        self.case_menu.addSeparator()
        self.case_menu.addAction(self.quit_action)
        self.view_menu = bar.addMenu("")
        for a in (self.search_action, self.clear_filters_action, self.show_filters_action,
                  self.show_today_action):
            self.view_menu.addAction(a)
        self.admin_menu = bar.addMenu("")
        for a in (self.accounts_action, self.roster_action, self.holidays_action, self.templates_action,
                  self.import_action, self.backup_action):
            self.admin_menu.addAction(a)
        self.tools_menu = bar.addMenu("")
        self.tools_menu.addAction(self.settings_action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.guide_action)
        self.help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        tb = QToolBar(self)
        tb.setObjectName("mainToolBar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addAction(self.new_case_action)
        tb.addAction(self.consultation_action)
        tb.addAction(self.open_case_action)
        tb.addAction(self.refresh_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tb.addWidget(spacer)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(240)
        self.search_edit.setMaximumWidth(380)
        self.search_edit.setMaxLength(100)
        self.search_edit.textChanged.connect(self._on_search_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_return_pressed)
        tb.addWidget(self.search_edit)
        tb.addSeparator()
        tb.addAction(self.lock_action)
        self.toolbar = tb
        self.addToolBar(tb)

    def _build_filters(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("filtersPanel")
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 6, 6, 6)
        self.filters_title = QLabel()
        font = self.filters_title.font()
        font.setBold(True)
        self.filters_title.setFont(font)
        layout.addWidget(self.filters_title)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setContentsMargins(0, 0, 0, 0)
        self.stage_combo = QComboBox()
        self.track_combo = QComboBox()
        self.category_combo = QComboBox()
        for combo in (self.stage_combo, self.track_combo, self.category_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.stage_label = QLabel()
        self.track_label = QLabel()
        self.category_label = QLabel()
        self.stage_label.setBuddy(self.stage_combo)
        self.track_label.setBuddy(self.track_combo)
        self.category_label.setBuddy(self.category_combo)
        form.addRow(self.stage_label, self.stage_combo)
        form.addRow(self.track_label, self.track_combo)
        form.addRow(self.category_label, self.category_combo)
        layout.addLayout(form)
        self.mine_check = QCheckBox()
        self.overdue_check = QCheckBox()
        self.mine_check.toggled.connect(self._on_filter_changed)
        self.overdue_check.toggled.connect(self._on_filter_changed)
        layout.addWidget(self.mine_check)
        layout.addWidget(self.overdue_check)
        self.date_check = QCheckBox()
        self.date_check.toggled.connect(self._on_date_check_toggled)
        layout.addWidget(self.date_check)
        dates = QFormLayout()
        dates.setContentsMargins(18, 0, 0, 0)
        d = local_today()
        today = QDate(d.year, d.month, d.day)
        self.date_from = QDateEdit(today.addMonths(-1))
        self.date_to = QDateEdit(today)
        self.date_from_label = QLabel()
        self.date_to_label = QLabel()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self._on_filter_changed)
        dates.addRow(self.date_from_label, self.date_from)
        dates.addRow(self.date_to_label, self.date_to)
        layout.addLayout(dates)
        self.clear_filters_button = QPushButton()
        self.clear_filters_button.clicked.connect(self._on_clear_filters_triggered)
        layout.addWidget(self.clear_filters_button)
        layout.addSpacing(12)
        self.tips_label = QLabel()
        self.tips_label.setWordWrap(True)
        self.tips_label.setStyleSheet("color: #555555;")
        layout.addWidget(self.tips_label)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(150)
        return scroll

    def _build_central(self) -> None:
        self.filters_panel = self._build_filters()
        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setTabKeyNavigation(False)
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setHighlightSections(False)
        hh.setStretchLastSection(False)
        # The parties column takes the room a wider window gives (names are what people scan).
        hh.setSectionResizeMode(COL_PARTIES, QHeaderView.ResizeMode.Stretch)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for col, width in DEFAULT_COLUMN_WIDTHS.items():
            hh.resizeSection(col, width)
        hh.setSortIndicator(COL_REGISTERED, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        hh.sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        self.table.activated.connect(self._on_table_activated)
        self.table.doubleClicked.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.empty_label = QLabel(self.table.viewport())
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #666666; padding: 24px;")
        self.empty_label.hide()
        self.table.viewport().installEventFilter(self)

        self.today_panel = TodayPanel()
        self.today_panel.setMinimumWidth(220)
        self.today_panel.case_activated.connect(self.open_case)
        self.today_panel.document_activated.connect(self.open_document)
        self.today_panel.review_requested.connect(self.review_document)
        self.today_panel.check_in_requested.connect(self._on_today_check_in_requested)
        self.today_panel.check_out_requested.connect(self._on_today_check_out_requested)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.filters_panel)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.today_panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([180, 900, 270])
        self.setCentralWidget(self.splitter)
        self.show_today_action.toggled.connect(self.today_panel.setVisible)
        self.show_filters_action.toggled.connect(self.filters_panel.setVisible)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.count_label = QLabel()
        self.loading_label = QLabel()
        self.loading_label.setStyleSheet("color: #555555;")
        self.user_label = QLabel()
        sb.addWidget(self.count_label)
        sb.addWidget(self.loading_label)
        sb.addPermanentWidget(self.user_label)

    # ------------------------------------------------------------------ texts

    def _retranslate(self) -> None:
        self._update_title()
        self.new_case_action.setText(self.tr("新建纠纷(&N)"))
        self.new_case_action.setIconText(self.tr("新建纠纷"))
        self.new_case_action.setToolTip(self.tr("登记一件新的纠纷（Ctrl+N）"))
        self.consultation_action.setText(self.tr("登记咨询(&Q)"))
        self.consultation_action.setIconText(self.tr("登记咨询"))
        self.consultation_action.setToolTip(self.tr("记录一次法律咨询（Ctrl+Shift+N）"))
        self.open_case_action.setText(self.tr("打开案件(&O)"))
        self.open_case_action.setIconText(self.tr("打开"))
        self.open_case_action.setToolTip(self.tr("打开所选案件（也可双击一行或按回车）"))
        self.refresh_action.setText(self.tr("刷新(&R)"))
        self.refresh_action.setIconText(self.tr("刷新"))
        self.refresh_action.setToolTip(self.tr("重新载入案件列表和今日面板（F5）"))
        self.search_action.setText(self.tr("搜索(&F)"))
        self.clear_filters_action.setText(self.tr("清除筛选"))
        self.show_filters_action.setText(self.tr("显示筛选栏"))
        self.show_today_action.setText(self.tr("显示今日面板"))
        self.lock_action.setText(self.tr("锁定屏幕(&L)"))
        self.lock_action.setIconText(self.tr("锁定"))
        self.lock_action.setToolTip(self.tr("离开座位时锁定屏幕（Ctrl+L）"))
        self.switch_user_action.setText(self.tr("切换用户…"))
        self.quit_action.setText(self.tr("退出(&X)"))
        self.settings_action.setText(self.tr("设置(&S)…"))
        self.accounts_action.setText(self.tr("账户管理…"))
        self.roster_action.setText(self.tr("值班安排…"))
        self.holidays_action.setText(self.tr("节假日与调休…"))
        self.templates_action.setText(self.tr("文书模板…"))
        self.import_action.setText(self.tr("导入台账或数据…"))
        self.backup_action.setText(self.tr("立即备份…"))
        self.guide_action.setText(self.tr("新手指南(&G)"))
        self.about_action.setText(self.tr("关于"))
        self.case_menu.setTitle(self.tr("案件(&C)"))
        self.view_menu.setTitle(self.tr("查看(&V)"))
        self.admin_menu.setTitle(self.tr("管理(&A)"))
        self.tools_menu.setTitle(self.tr("工具(&T)"))
        self.help_menu.setTitle(self.tr("帮助(&H)"))
        self.toolbar.setWindowTitle(self.tr("工具栏"))
        self.search_edit.setPlaceholderText(self.tr("搜索编号、当事人、电话、案情…（Ctrl+F）"))
        self.search_edit.setToolTip(self.tr("输入一个字也能搜索，例如当事人的姓"))
        self.filters_title.setText(self.tr("筛选"))
        self.stage_label.setText(self.tr("阶段(&J)："))
        self.track_label.setText(self.tr("调解类型(&K)："))
        self.category_label.setText(self.tr("纠纷类别(&B)："))
        self.mine_check.setText(self.tr("只看我调解的案件"))
        self.overdue_check.setText(self.tr("只看已逾期"))
        self.date_check.setText(self.tr("按登记日期"))
        self.date_from_label.setText(self.tr("从"))
        self.date_to_label.setText(self.tr("到"))
        self.clear_filters_button.setText(self.tr("清除筛选"))
        self.tips_label.setText(self.tr(
            "提示：双击一行打开案件；Ctrl+N 登记新纠纷；Ctrl+F 搜索；F5 刷新；F1 查看新手指南。"
            "期限一栏红色表示已逾期，黄色表示 2 个工作日内到期。"))
        self._fill_filter_combos()
        self.model.retranslate()
        self._update_count_label()
        self._update_user_label()
        self._update_empty_hint()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.autosize_columns()  # labels have new widths in the new language
        super().changeEvent(event)

    def autosize_columns(self) -> None:
        """Fit the columns to what they show (a sample of rows, every stage and track label)."""
        if not hasattr(self, "table"):
            return
        fm = self.table.fontMetrics()
        hfm = self.table.horizontalHeader().fontMetrics()
        sample = min(self.model.rowCount(), 60)
        caps = {COL_PARTIES: 260, COL_CATEGORY: 160, COL_NUMBER: 210, COL_STAGE: 130, COL_TRACK: 140}
        extra: dict[int, list[str]] = {
            COL_STAGE: [workflow.stage_label(code) for code in workflow.STAGES],
            COL_TRACK: [workflow.track_label(code) for code in (*workflow.TRACKS, None)],
            COL_REGISTERED: ["2026-12-31"],
            COL_DEADLINE: [QCoreApplication.translate("CaseTableModel", "{date} 将到期").format(date="2026-12-31"),
                           QCoreApplication.translate("CaseTableModel", "{date} 已逾期").format(date="2026-12-31")],
        }
        widths: dict[int, int] = {}
        for col in range(self.model.columnCount()):
            header = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
            texts = [str(self.model.index(r, col).data() or "") for r in range(sample)] + extra.get(col, [])
            width = max([hfm.horizontalAdvance(header) + 30] + [fm.horizontalAdvance(t) + 16 for t in texts])
            widths[col] = min(width, caps.get(col, 400))
        # The vertical scroll bar may not be laid out yet when the first page arrives.
        available = (self.table.width() - 2 * self.table.frameWidth()
                     - self.table.verticalScrollBar().sizeHint().width() - 2)
        spare = available - sum(widths.values())
        if spare > 0:
            widths[COL_PARTIES] += spare
        else:
            # Too wide: the free-text columns give way (they elide, with the full text as tooltip).
            for col, minimum in ((COL_CATEGORY, 100), (COL_PARTIES, 130), (COL_TRACK, 90),
                                 (COL_STAGE, 90), (COL_NUMBER, 150)):
                give = min(-spare, max(0, widths[col] - minimum))
                widths[col] -= give
                spare += give
        hh = self.table.horizontalHeader()
        for col, width in widths.items():
            if hh.sectionResizeMode(col) != QHeaderView.ResizeMode.Stretch:
                hh.resizeSection(col, width)

    def _update_title(self) -> None:
        self.setWindowTitle(self.tr("警校联调调解台"))

    def _update_user_label(self) -> None:
        if self._ctx.has_actor:
            a = self._ctx.actor
            self.user_label.setText(self.tr("当前用户：{name}（{role}）").format(
                name=a.display_name, role=role_label(a.role)))
        else:
            self.user_label.setText("")

    def _fill_combo(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for label, key in items:
            combo.addItem(label, key)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def _fill_filter_combos(self) -> None:
        stages = [(self.tr("全部阶段"), STAGE_ALL), (self.tr("在办（未结案）"), STAGE_OPEN)]
        stages += [(workflow.stage_label(code), code) for code in workflow.STAGES]
        self._fill_combo(self.stage_combo, stages)
        tracks = [(self.tr("全部类型"), STAGE_ALL)]
        tracks += [(workflow.track_label(code), code) for code in workflow.TRACKS]
        self._fill_combo(self.track_combo, tracks)
        cats = [(self.tr("全部类别"), STAGE_ALL)] + [(c, c) for c in self._categories]
        self._fill_combo(self.category_combo, cats)

    # ------------------------------------------------------------------ state

    def _restore_state(self) -> None:
        restored = False
        if self._state is not None:
            restored = self._state.restore_geometry("main", self)
            self._state.restore_splitter("main", self.splitter)
            hh = self.table.horizontalHeader()
            # Signals blocked: the remembered sort only shapes the first query below.
            hh.blockSignals(True)
            if self._state.restore_header("case_table", hh):
                self._autosize_pending = False  # the user's own column widths win
            col, order = hh.sortIndicatorSection(), hh.sortIndicatorOrder()
            if col not in SORT_KEYS:
                col, order = COL_REGISTERED, Qt.SortOrder.DescendingOrder
                hh.setSortIndicator(col, order)
            hh.blockSignals(False)
            self.model.set_query(replace(self.model.query, sort=SORT_KEYS[col],
                                         descending=order == Qt.SortOrder.DescendingOrder), load=False)
        if not restored:
            screen = self.screen().availableGeometry()
            self.resize(min(1366, screen.width()), min(768, screen.height()))

    def save_state(self) -> None:
        if self._state is None:
            return
        self._state.save_geometry("main", self)
        self._state.save_splitter("main", self.splitter)
        self._state.save_header("case_table", self.table.horizontalHeader())
        self._state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._locked:
            event.ignore()
            return
        for w in list(self.case_windows().values()) + self._other_windows():
            if shiboken6.isValid(w) and w.isVisible() and not w.close():
                event.ignore()
                return
        self.save_state()
        self.idle.stop()
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.lock_screen.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.empty_label.setGeometry(self.table.viewport().rect())
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ permissions & actor

    def _apply_permissions(self) -> None:
        actor = self._ctx.actor if self._ctx.has_actor else None
        def can(permission: str) -> bool:
            return actor is not None and actor.can(permission)

        self.accounts_action.setVisible(can("user.manage"))
        self.roster_action.setVisible(can("user.manage"))
        self.today_panel.set_can_approve(can("document.approve"))
        self.holidays_action.setVisible(can("calendar.manage"))
        self.templates_action.setVisible(can("template.manage"))
        self.import_action.setVisible(can("data.import"))
        self.backup_action.setVisible(can("backup.run"))
        self.admin_menu.menuAction().setVisible(
            can("user.manage") or can("calendar.manage") or can("template.manage") or can("data.import")
            or can("backup.run"))
        self.new_case_action.setEnabled(can("case.register"))
        self.consultation_action.setEnabled(can("consultation.log"))

    def _on_actor_changed(self, actor: object) -> None:
        self._update_user_label()
        self._apply_permissions()
        if actor is not None:
            self._load_reference()
            self.apply_filters()
            self.refresh_today()

    # ------------------------------------------------------------------ loading

    def _load_reference(self) -> None:
        if not self._ctx.has_actor:
            return
        db, desk_id = self._ctx.db, self._ctx.actor.desk_id

        def load() -> tuple[list[str], int]:
            with db.read() as s:
                cats = list(reference.categories(s, desk_id))
                minutes = reference.get_setting(s, "idle_lock_minutes", desk_id)
            return cats, int(minutes) if isinstance(minutes, int) else DEFAULT_IDLE_MINUTES

        Op(self, load).success(self._on_reference_loaded).run()

    def _on_reference_loaded(self, result: tuple[list[str], int]) -> None:
        self._categories, minutes = result
        self._fill_filter_combos()
        if minutes != self._idle_minutes:  # only when the administrator changed it
            self._idle_minutes = minutes
            self.idle.set_minutes(minutes)

    def current_query(self) -> caselist.CaseQuery:
        """The query the filters and the search box describe (sort kept from the model)."""
        stage = self.stage_combo.currentData()
        if stage == STAGE_OPEN:
            stages: tuple[str, ...] = tuple(s for s in workflow.STAGES if s in workflow.OPEN_STAGES)
        elif stage in (None, STAGE_ALL):
            stages = ()
        else:
            stages = (str(stage),)
        track = self.track_combo.currentData()
        category = self.category_combo.currentData()
        mediator = self._ctx.actor.user_id if (self.mine_check.isChecked() and self._ctx.has_actor) else None
        date_from = date_to = None
        if self.date_check.isChecked():
            f, t = self.date_from.date(), self.date_to.date()
            date_from = dt.date(f.year(), f.month(), f.day())
            date_to = dt.date(t.year(), t.month(), t.day())
            if date_from > date_to:
                date_from, date_to = date_to, date_from
        q = self.model.query
        return caselist.CaseQuery(
            text=self.search_edit.text().strip(), stages=stages,
            tracks=() if track in (None, STAGE_ALL) else (str(track),),
            categories=() if category in (None, STAGE_ALL) else (str(category),),
            mediator_id=mediator, overdue=self.overdue_check.isChecked(),
            registered_from=date_from, registered_to=date_to, sort=q.sort, descending=q.descending)

    def apply_filters(self) -> None:
        self._search_timer.stop()
        if self._ctx.has_actor:
            self.model.set_query(self.current_query())

    def refresh(self) -> None:
        self.model.reload()
        self.refresh_today()

    def refresh_today(self) -> None:
        if not self._ctx.has_actor:
            return
        db, actor = self._ctx.db, self._ctx.actor

        def load() -> roster.TodayOverview:
            with db.read() as s:
                return roster.today_overview(s, actor)

        Op(self, load).success(self._on_today_loaded).failure(self._on_today_failed).run()

    def _on_today_loaded(self, overview: roster.TodayOverview) -> None:
        self.today_panel.show_overview(overview, self._ctx.actor.user_id if self._ctx.has_actor else None)

    def _on_today_failed(self, exc: BaseException) -> None:
        log.warning("today panel failed: %s", type(exc).__name__)
        self.statusBar().showMessage(self.tr("今日面板载入失败：{msg}").format(msg=str(exc)), 10_000)

    def _on_model_count_changed(self, _n: int) -> None:
        self._update_count_label()

    def _on_model_page_loaded(self, _n: int) -> None:
        if self._side_loads_pending:
            self._side_loads_pending = False
            self._load_reference()
            self.refresh_today()
        if self._autosize_pending and self.model.rowCount() and self.isVisible():
            self._autosize_pending = False
            self.autosize_columns()
        self._update_count_label()
        self._update_empty_hint()

    def _on_model_loading_changed(self, loading: bool) -> None:
        self.loading_label.setText(self.tr("正在载入…") if loading else "")
        self._update_empty_hint()

    def _on_model_load_failed(self, exc: BaseException) -> None:
        show_exception(self, exc)

    def _update_count_label(self) -> None:
        total = self.model.total
        loaded = self.model.rowCount()
        if total is None:
            text = self.tr("正在统计…") if self.model.loading else ""
        elif total > loaded:
            text = self.tr("共 {total} 件（已载入 {loaded} 件，向下滚动载入更多）").format(total=total, loaded=loaded)
        else:
            text = self.tr("共 {total} 件").format(total=total)
        self.count_label.setText(text)

    def _update_empty_hint(self) -> None:
        if self.model.rowCount() or self.model.loading:
            self.empty_label.hide()
            return
        q = self.model.query
        filtered = bool(q.text or q.stages or q.tracks or q.categories or q.mediator_id or q.overdue
                        or q.registered_from or q.registered_to)
        if filtered:
            self.empty_label.setText(self.tr("没有符合条件的案件。\n请换一个搜索词，或点击左侧的“清除筛选”。"))
        else:
            self.empty_label.setText(self.tr(
                "还没有案件。\n点击工具栏的“新建纠纷”（Ctrl+N）登记第一件纠纷；"
                "只是来咨询的，请用“登记咨询”。"))
        self.empty_label.setGeometry(self.table.viewport().rect())
        self.empty_label.show()

    # ------------------------------------------------------------------ slots: filters & search

    def _on_filter_changed(self, *_args: object) -> None:
        self.apply_filters()

    def _on_date_check_toggled(self, checked: bool) -> None:
        self.date_from.setEnabled(checked)
        self.date_to.setEnabled(checked)
        self.apply_filters()

    def _on_clear_filters_triggered(self) -> None:
        widgets: list[QWidget] = [self.stage_combo, self.track_combo, self.category_combo,
                                  self.mine_check, self.overdue_check, self.date_check, self.search_edit]
        for w in widgets:
            w.blockSignals(True)
        self.stage_combo.setCurrentIndex(0)
        self.track_combo.setCurrentIndex(0)
        self.category_combo.setCurrentIndex(0)
        self.mine_check.setChecked(False)
        self.overdue_check.setChecked(False)
        self.date_check.setChecked(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        self.search_edit.clear()
        for w in widgets:
            w.blockSignals(False)
        self.apply_filters()

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_return_pressed(self) -> None:
        self.apply_filters()

    def _on_search_triggered(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _on_sort_indicator_changed(self, column: int, _order: Qt.SortOrder) -> None:
        if column not in SORT_KEYS:
            # Not sortable by the database: put the indicator back where the data is.
            inverse = {v: k for k, v in SORT_KEYS.items()}
            q = self.model.query
            hh = self.table.horizontalHeader()
            hh.blockSignals(True)
            hh.setSortIndicator(inverse.get(q.sort, COL_REGISTERED),
                                Qt.SortOrder.DescendingOrder if q.descending else Qt.SortOrder.AscendingOrder)
            hh.blockSignals(False)
            self.statusBar().showMessage(self.tr("此列不能排序，可按编号、登记日期、类别、阶段或期限排序。"), 5000)

    # ------------------------------------------------------------------ slots: cases

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open_row(index)

    def _open_row(self, index: QModelIndex) -> None:
        case_id = self.model.case_id(index.row())
        if case_id is not None:
            self.open_case(case_id)
        else:
            self.statusBar().showMessage(self.tr("这一行还在载入，请稍候再打开。"), 5000)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.open_case_action.setEnabled(current.isValid())

    def _on_open_case_triggered(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._open_row(index)
        else:
            self.statusBar().showMessage(self.tr("请先在列表中选中一件案件。"), 5000)

    def case_windows(self) -> dict[int, QWidget]:
        """Open case windows by case id (closed ones delete themselves and drop out here)."""
        # Not tracked through ``destroyed``: that signal also fires while this window is
        # being destroyed, and a slot touching ``self`` then crashes (pure virtual call).
        self._case_windows = {k: w for k, w in self._case_windows.items() if shiboken6.isValid(w)}
        return dict(self._case_windows)

    def open_case(self, case_id: int) -> None:
        window = self.case_windows().get(case_id)
        if window is not None:
            window.showNormal()
            window.raise_()
            window.activateWindow()
            return
        from mediation.ui.case_view import CaseWindow

        window = CaseWindow(self._ctx, case_id, self)
        window.setWindowFlag(Qt.WindowType.Window, True)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._case_windows[case_id] = window
        window.show()

    def open_document(self, case_id: int, document_id: int) -> None:
        """The case window, on its documents tab with this document selected."""
        self.open_case(case_id)
        window = self.case_windows().get(case_id)
        if window is not None:
            window.show_document(document_id)  # type: ignore[attr-defined]

    def review_document(self, case_id: int, document_id: int) -> None:
        """The case window on the document, with the approval dialog (and its diff) open."""
        self.open_document(case_id, document_id)
        window = self.case_windows().get(case_id)
        if window is not None and self._ctx.actor.can("document.approve"):
            window.documents_tab.open_approval(document_id)  # type: ignore[attr-defined]

    def _on_new_case_triggered(self) -> None:
        self.open_intake()

    def open_intake(self, consultation_id: int | None = None) -> QWidget:
        from mediation.ui.intake_dialog import IntakeDialog

        dialog = IntakeDialog(self._ctx, self, consultation_id=consultation_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        # A saved dispute opens at once: the next step (accept, assign) is on its window.
        dialog.case_saved.connect(self.open_case)
        dialog.show()
        return dialog

    def _on_consultation_triggered(self) -> None:
        from mediation.ui.consultation_dialog import ConsultationDialog

        dialog = ConsultationDialog(self._ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.case_saved.connect(self.open_case)
        dialog.show()

    def _on_refresh_triggered(self) -> None:
        self.refresh()

    def _on_operation_did_execute(self, changes: object) -> None:
        if not isinstance(changes, Changes):
            return
        if changes.settings:
            self._load_reference()
        if changes.cases_list or changes.case_ids:
            self._refresh_timer.start()
        elif not changes.users:
            self.refresh_today()

    # ------------------------------------------------------------------ today panel

    def _on_today_check_in_requested(self) -> None:
        db, actor = self._ctx.db, self._ctx.actor

        def check_in() -> int:
            with db.write() as s:
                return roster.check_in(s, actor)

        Op(self, check_in, write=True).success(lambda _id: self._ctx.did_execute(Changes())).run()

    def _on_today_check_out_requested(self, shift_id: int) -> None:
        db, actor = self._ctx.db, self._ctx.actor

        def check_out() -> None:
            with db.write() as s:
                roster.check_out(s, actor, shift_id)

        Op(self, check_out, write=True).success(lambda _r: self._ctx.did_execute(Changes())).run()

    # ------------------------------------------------------------------ dialogs

    def _on_settings_triggered(self) -> None:
        from mediation.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self._ctx, self._state, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    def _on_accounts_triggered(self) -> None:
        from mediation.ui.admin_dialogs import AccountsDialog

        self._open_dialog(AccountsDialog(self._ctx, self))

    def _on_roster_triggered(self) -> None:
        from mediation.ui.admin_dialogs import RosterDialog

        self._open_dialog(RosterDialog(self._ctx, self))

    def _on_holidays_triggered(self) -> None:
        from mediation.ui.admin_dialogs import HolidayDialog

        self._open_dialog(HolidayDialog(self._ctx, self))

    def _on_templates_triggered(self) -> None:
        from mediation.ui.template_dialog import TemplatesDialog

        self._open_dialog(TemplatesDialog(self._ctx, self))

    def _on_import_triggered(self) -> None:
        from mediation.ui.import_dialog import start_import

        self.import_job = start_import(self._ctx, self)

    def _on_backup_triggered(self) -> None:
        from mediation.ui.admin_dialogs import start_backup

        start_backup(self._ctx, self)

    def _open_dialog(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()

    def _on_guide_triggered(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("新手指南"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(self.tr("第一次值班？按下面的顺序做："))
        box.setInformativeText(self.tr(
            "1. 有人来咨询法律问题：点“登记咨询”，记下问题和解答。\n"
            "2. 有人要调解纠纷：点“新建纠纷”（Ctrl+N），填写双方当事人、事实和请求，保存。\n"
            "3. 督导民警受理并确定调解类型后，案件获得编号，在案件窗口里记录调解、协议和回访。\n"
            "4. 右侧“今日”面板列出您的案件、快到期的期限和待回访的案件。\n"
            "5. 离开座位时按 Ctrl+L 锁定屏幕；下班前点“签退”。\n"
            "输入的内容会自动保存为草稿，锁屏或断电都不会丢失。"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()

    def _on_about_triggered(self) -> None:
        from mediation.ui.about_dialog import show_about

        show_about(self._ctx, self)

    # ------------------------------------------------------------------ locking

    @property
    def locked(self) -> bool:
        return self._locked

    def _other_windows(self) -> list[QWidget]:
        """Visible top-level windows other than this one (dialogs, case windows, message boxes)."""
        out = []
        for w in QApplication.topLevelWidgets():
            if w is self or not w.isVisible() or not w.isWindow():
                continue
            if w.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen):
                continue
            out.append(w)
        return out

    def lock(self, *, idle: bool = False) -> None:
        """Cover the window and hide every other window; nothing is closed or lost."""
        if self._locked or not self._ctx.has_actor:
            return
        self._locked = True
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        self._hidden_for_lock = self._other_windows()
        for w in self._hidden_for_lock:
            try:
                save_draft_of(w)
            except Exception as exc:  # locking must never fail because of a draft
                log.error("save_draft failed in %s: %s", type(w).__name__, type(exc).__name__)
            w.hide()
        for action in self.actions():
            action.setEnabled(False)
        self.menuBar().setEnabled(False)
        self.toolbar.setEnabled(False)
        self.splitter.setEnabled(False)
        self.idle.stop()
        self.lock_screen.activate(idle=idle)
        if self.isMinimized():
            self.showNormal()

    def show_when_unlocked(self, widget: QWidget) -> None:
        """Show ``widget`` (a result of background work) now, or, while the screen is
        locked, when the same user unlocks it — never on top of the lock screen."""
        if self._locked:
            self._hidden_for_lock.append(widget)
        else:
            widget.show()

    def _end_lock(self) -> None:
        self.lock_screen.hide()
        for action in self.actions():
            action.setEnabled(True)
        self.menuBar().setEnabled(True)
        self.toolbar.setEnabled(True)
        self.splitter.setEnabled(True)
        self._apply_permissions()
        self._locked = False
        self.idle.start()

    def _on_lock_screen_unlocked(self) -> None:
        self._end_lock()
        for w in self._hidden_for_lock:
            if shiboken6.isValid(w):
                w.show()
        self._hidden_for_lock = []
        self.table.setFocus()

    def _on_lock_screen_user_switched(self, actor: Actor) -> None:
        self.put_aside_windows()
        self._end_lock()
        self._ctx.set_actor(actor)
        if self._state is not None:
            self._state.set_last_user(actor.username)

    def put_aside_windows(self) -> None:
        """Keep the first user's unsaved input as drafts and close their windows."""
        windows = list(self._hidden_for_lock) + [w for w in self.case_windows().values()
                                                  if w not in self._hidden_for_lock]
        for w in windows:
            if not shiboken6.isValid(w):
                continue
            try:
                closed = close_keeping_draft(w)
            except Exception as exc:  # a draft that fails must not expose the window
                log.error("putting aside %s failed: %s", type(w).__name__, type(exc).__name__)
                closed = False
            if not closed and shiboken6.isValid(w):
                w.hide()
                w.deleteLater()
        self._hidden_for_lock = []
        self._case_windows.clear()
        if self._placeholder is not None and shiboken6.isValid(self._placeholder):
            self._placeholder.close()

    def _on_lock_triggered(self) -> None:
        self.lock(idle=False)

    def _on_idle_timed_out(self) -> None:
        self.lock(idle=True)

    def _on_switch_user_triggered(self) -> None:
        self.lock(idle=False)
        self.lock_screen.switch_box.show()
        self.lock_screen.switch_form.username_edit.setFocus()

