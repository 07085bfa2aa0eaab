"""The main window: the case list between its filter bar and the "today" panel, the menus and the lock."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStyle,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mediation import workflow
from mediation.changes import Changes
from mediation.permissions import role_label
from mediation.services import reference
from mediation.ui import shortcuts
from mediation.ui.backup_status import BackupSection, BackupStatusLabel, run_automatic_backup
from mediation.ui.case_filter_bar import CaseFilterBar
from mediation.ui.consultation_hits import ConsultationHits
from mediation.ui.context import AppContext
from mediation.ui.duty_menu import DutyMenu
from mediation.ui.errors import present_failure
from mediation.ui.handover_section import HandoverSection
from mediation.ui.lock_controller import LockController
from mediation.ui.lock_screen import DEFAULT_IDLE_MINUTES
from mediation.ui.models.case_table_model import (
    COL_CATEGORY,
    COL_DEADLINE,
    COL_MEDIATOR,
    COL_NUMBER,
    COL_PARTIES,
    COL_REGISTERED,
    COL_STAGE,
    COL_TRACK,
    SORT_KEYS,
    CaseTableModel,
)
from mediation.ui.operations import ReadOp
from mediation.ui.state import UiState
from mediation.ui.today_panel import TodayPanel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.permissions import Actor

log = logging.getLogger(__name__)

PARTIES_MIN_WIDTH = 120
"""The parties column (which stretches) is never squeezed below this by the others."""
DEFAULT_COLUMN_WIDTHS = {
    COL_NUMBER: 190, COL_REGISTERED: 92, COL_PARTIES: 170, COL_CATEGORY: 110,
    COL_TRACK: 80, COL_STAGE: 80, COL_MEDIATOR: 70, COL_DEADLINE: 130,
}


class MainWindow(QMainWindow):
    """Everything a volunteer needs during a shift, reachable from one window."""

    def __init__(self, ctx: AppContext, state: UiState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._state = state
        self._case_windows: dict[int, QWidget] = {}
        self.setObjectName("MainWindow")

        self.model = CaseTableModel(ctx, self)
        self.filter_bar = CaseFilterBar()
        self.filter_bar.changed.connect(self.apply_filters)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_central()
        self._build_status_bar()
        self.practice_banner: QWidget | None = None
        if ctx.practice:  # mediation.ui.practice_mark: the banner here, the title mark on every window
            from mediation.ui.practice_mark import practice_banner

            self.practice_banner = practice_banner()
            self.addToolBarBreak()
            banner_bar = QToolBar(self)
            banner_bar.setObjectName("practiceBar")
            banner_bar.setMovable(False)
            banner_bar.addWidget(self.practice_banner)
            self.practice_banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.addToolBar(Qt.ToolBarArea.TopToolBarArea, banner_bar)
        # The roster (issue 16): the 值班 menu, check-in at login, the handover at logout,
        # and the handovers to acknowledge in the today panel.
        self.duty = DutyMenu(self, self.today_panel)
        self.today_panel.add_section(HandoverSection(ctx), index=1)
        self.locker = LockController(ctx, self, state=state)
        self.locker.lock_changed.connect(self._on_lock_changed)
        self.lock_screen = self.locker.screen
        self.idle = self.locker.idle

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(80)
        self._refresh_timer.timeout.connect(self.refresh_list)

        self.model.count_changed.connect(self._on_model_count_changed)
        self.model.count_capped.connect(self._on_model_count_changed)
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
        self.locker.start()

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
        self.consultations_action = self._action(self._on_consultations_triggered)
        self.refresh_action = self._action(self._on_refresh_triggered, "F5", sp.SP_BrowserReload)
        self.search_action = self._action(self.filter_bar.focus_search, "Ctrl+F")
        self.id_search_action = self._action(self._on_id_search_triggered, "Ctrl+Shift+F")
        self.clear_filters_action = self._action(self.filter_bar.clear)
        self.lock_action = self._action(self._on_lock_triggered, "Ctrl+L")
        self.switch_user_action = self._action(self._on_switch_user_triggered)
        self.quit_action = self._action(self.close, "Ctrl+Q")
        self.settings_action = self._action(self._on_settings_triggered, "Ctrl+,")
        self.accounts_action = self._action(self._on_accounts_triggered)
        self.roster_action = self._action(self._on_roster_triggered)
        self.holidays_action = self._action(self._on_holidays_triggered)
        self.templates_action = self._action(self._on_templates_triggered)
        self.desks_action = self._action(self._on_desks_triggered)
        self.import_action = self._action(self._on_import_triggered)
        self.backup_action = self._action(self._on_backup_triggered)
        self.import_job: object | None = None  # the running or last import (mediation.ui.import_dialog)
        self.statistics_action = self._action(self._on_statistics_triggered)
        self.reports_action = self._action(self._on_reports_triggered)
        self.stat_mapping_action = self._action(self._on_stat_mapping_triggered)
        self.guide_action = self._action(self._on_guide_triggered, "F1")
        self.about_action = self._action(self._on_about_triggered)
        self.show_today_action = QAction(self)
        self.show_today_action.setCheckable(True)
        self.show_today_action.setChecked(True)
        self.show_filters_action = QAction(self)
        self.show_filters_action.setCheckable(True)
        self.show_filters_action.setChecked(True)
        # The guide promises these from every window (the case window, dialogs), not only here.
        shortcuts.register(self.lock_action, self.new_case_action, self.consultation_action,
                           self.guide_action, self.quit_action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.case_menu = bar.addMenu("")
        for a in (self.new_case_action, self.consultation_action, self.open_case_action, self.consultations_action):
            self.case_menu.addAction(a)
        self.case_menu.addSeparator()
        self.case_menu.addAction(self.refresh_action)
        self.case_menu.addSeparator()
        self.case_menu.addAction(self.lock_action)
        self.case_menu.addAction(self.switch_user_action)
        self.case_menu.addSeparator()
        self.case_menu.addAction(self.quit_action)
        self.view_menu = bar.addMenu("")
        for a in (self.search_action, self.id_search_action, self.clear_filters_action, self.show_filters_action,
                  self.show_today_action):
            self.view_menu.addAction(a)
        self.admin_menu = bar.addMenu("")
        for a in (self.desks_action, self.accounts_action, self.roster_action, self.holidays_action,
                  self.templates_action, self.import_action, self.backup_action):
            self.admin_menu.addAction(a)
        self.tools_menu = bar.addMenu("")
        self.tools_menu.addAction(self.statistics_action)
        self.tools_menu.addAction(self.reports_action)
        self.tools_menu.addAction(self.stat_mapping_action)
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
        tb.addWidget(self.filter_bar.search_edit)
        tb.addSeparator()
        tb.addAction(self.lock_action)
        self.toolbar = tb
        self.addToolBar(tb)

    def _build_central(self) -> None:
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

        self.today_panel = TodayPanel(self.ctx)
        self.today_panel.add_section(BackupSection(self.ctx))
        from mediation.ui import supervision  # issue 15: 督导 menu (审计日志, 抽卷评查), today's 评查 findings

        supervision.install(self)
        self.today_panel.setMinimumWidth(220)
        self.today_panel.case_activated.connect(self.open_case)
        from mediation.ui.case_queue_section import CaseQueueSection

        self.case_queue = CaseQueueSection(self.ctx)  # an officer's cases to decide (issue 12 item 13)
        self.case_queue.action_requested.connect(self.open_case_at)
        self.today_panel.add_section(self.case_queue, index=1)
        self.today_panel.document_activated.connect(self.open_document)
        self.today_panel.review_requested.connect(self.review_document)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.filter_bar)
        # the list, and above it the chip of a statistics figure it is narrowed to (issue 15)
        list_pane = QWidget()
        list_layout = QVBoxLayout(list_pane)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(2)
        list_layout.addWidget(self.filter_bar.figure_chip, 0, Qt.AlignmentFlag.AlignLeft)
        list_layout.addWidget(self.table, 1)
        self.splitter.addWidget(list_pane)
        self.splitter.addWidget(self.today_panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([180, 900, 270])
        self.setCentralWidget(self.splitter)
        self.show_today_action.toggled.connect(self.today_panel.setVisible)
        self.show_filters_action.toggled.connect(self.filter_bar.setVisible)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.count_label = QLabel()
        self.loading_label = QLabel()
        self.loading_label.setStyleSheet("color: #555555;")
        self.user_label = QLabel()
        self.backup_label = BackupStatusLabel(self.ctx)  # issue 11 item 15
        sb.addWidget(self.count_label)
        # Consultations the search finds too (issue 12 item 7): listed from a button.
        self.consultation_hits = ConsultationHits(self.ctx, self)
        self.consultation_hits.consultation_chosen.connect(lambda cid: self.open_intake(consultation_id=cid))
        self.consultation_hits.case_chosen.connect(self.open_case)
        sb.addWidget(self.consultation_hits)
        sb.addWidget(self.loading_label)
        sb.addPermanentWidget(self.backup_label)
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
        self.consultations_action.setText(self.tr("咨询记录(&J)…"))
        self.consultations_action.setToolTip(self.tr("查看、修改已登记的法律咨询，或把咨询转为案件"))
        self.refresh_action.setText(self.tr("刷新(&R)"))
        self.refresh_action.setIconText(self.tr("刷新"))
        self.refresh_action.setToolTip(self.tr("重新载入案件列表和今日面板（F5）"))
        self.search_action.setText(self.tr("搜索(&F)"))
        self.id_search_action.setText(self.tr("按证件号码查找(&I)…"))
        self.id_search_action.setToolTip(self.tr("按完整的身份证号码或其最后 6 位查找案件（记入审计日志）"))
        self.clear_filters_action.setText(self.tr("清除筛选"))
        self.show_filters_action.setText(self.tr("显示筛选栏"))
        self.show_today_action.setText(self.tr("显示今日面板"))
        self.lock_action.setText(self.tr("锁定屏幕(&L)"))
        self.lock_action.setIconText(self.tr("锁定"))
        self.lock_action.setToolTip(self.tr("离开座位时锁定屏幕（Ctrl+L）"))
        self.switch_user_action.setText(self.tr("切换用户…"))
        self.quit_action.setText(self.tr("退出(&X)"))
        self.settings_action.setText(self.tr("设置(&S)…"))
        self.statistics_action.setText(self.tr("统计…"))
        self.reports_action.setText(self.tr("报表中心…"))
        self.stat_mapping_action.setText(self.tr("统计口径…"))
        self.accounts_action.setText(self.tr("账户管理…"))
        self.roster_action.setText(self.tr("值班安排…"))
        self.holidays_action.setText(self.tr("节假日与调休…"))
        self.templates_action.setText(self.tr("文书模板…"))
        self.desks_action.setText(self.tr("调解点…"))
        self.import_action.setText(self.tr("导入台账或数据…"))
        self.backup_action.setText(self.tr("立即备份…"))
        self.guide_action.setText(self.tr("新手指南(&G)"))
        self.about_action.setText(self.tr("关于"))
        self.case_menu.setTitle(self.tr("案件(&C)"))
        self.view_menu.setTitle(self.tr("查看(&V)"))
        self.admin_menu.setTitle(self.tr("管理(&A)"))
        self.tools_menu.setTitle(self.tr("工具(&T)"))
        self.help_menu.setTitle(self.tr("帮助(&H)"))
        self.duty.retranslate()
        self.toolbar.setWindowTitle(self.tr("工具栏"))
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
        fm = self.table.fontMetrics()
        hfm = self.table.horizontalHeader().fontMetrics()
        sample = min(self.model.rowCount(), 60)
        caps = {COL_PARTIES: 260, COL_CATEGORY: 150, COL_NUMBER: 210, COL_STAGE: 130, COL_TRACK: 140}
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
        # The parties column stretches into whatever is left: it is budgeted at its minimum only,
        # else its wish (long company names) squeezed the others and it then took the room back.
        widths[COL_PARTIES] = PARTIES_MIN_WIDTH
        # The vertical scroll bar may not be laid out yet when the first page arrives.
        available = (self.table.width() - 2 * self.table.frameWidth()
                     - self.table.verticalScrollBar().sizeHint().width() - 2)
        spare = available - sum(widths.values())
        if spare < 0:
            # Too narrow: the columns whose labels are short give way first, the dispute category
            # last (its common values "损害赔偿 / 财物损坏" must read in full); they elide, with the
            # full text as tooltip.
            for col, minimum in ((COL_STAGE, 70), (COL_TRACK, 70), (COL_MEDIATOR, 50), (COL_NUMBER, 150),
                                 (COL_DEADLINE, 100), (COL_CATEGORY, 100)):
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
        if self.ctx.has_actor:
            a = self.ctx.actor
            self.user_label.setText(self.tr("当前用户：{name}（{role}）").format(
                name=a.display_name, role=role_label(a.role)))
        else:
            self.user_label.setText("")

    # ------------------------------------------------------------------ state

    def _restore_state(self) -> None:
        # The window's size (maximised on a small screen) is looked after by mediation.ui.window_fit.
        self._default_header = self.table.horizontalHeader().saveState()
        if self._state is not None:
            self._state.restore_splitter("main", self.splitter)
        self._view_user = self.ctx.actor.username if self.ctx.has_actor else ""
        self._restore_view(self._view_user)
        screen = self.screen().availableGeometry()
        self.resize(min(1366, screen.width()), min(768, screen.height()))

    def _restore_view(self, username: str) -> None:
        """``username``'s own filters, columns and sort (issue 12 item 20); the defaults for a new user.

        Shapes the next query only: the caller reads the list.
        """
        hh = self.table.horizontalHeader()
        # Signals blocked: the remembered sort only shapes the query below.
        hh.blockSignals(True)
        if self._state is not None and username and self._state.restore_user_header(username, hh):
            self._autosize_pending = False  # the user's own column widths win
        else:
            hh.restoreState(self._default_header)
            self._autosize_pending = True
        col, order = hh.sortIndicatorSection(), hh.sortIndicatorOrder()
        if col not in SORT_KEYS:
            col, order = COL_REGISTERED, Qt.SortOrder.DescendingOrder
            hh.setSortIndicator(col, order)
        hh.blockSignals(False)
        self.filter_bar.set_view(self._state.view(username) if self._state is not None and username else {})
        self.model.set_query(replace(self.model.query, sort=SORT_KEYS[col],
                                     descending=order == Qt.SortOrder.DescendingOrder), load=False)

    def _save_view(self) -> None:
        if self._state is not None and self._view_user:
            self._state.save_view(self._view_user, self.filter_bar.view())
            self._state.save_user_header(self._view_user, self.table.horizontalHeader())

    def save_state(self) -> None:
        if self._state is None:
            return
        self._state.save_splitter("main", self.splitter)
        self._save_view()
        self._state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked or not self.duty.allow_close():  # logging out while on duty: 签退与交接班 first
            event.ignore()
            return
        for w in list(self.case_windows().values()) + self.locker.other_windows():
            if shiboken6.isValid(w) and w.isVisible() and not w.close():
                event.ignore()
                return
        self.save_state()
        self.locker.stop()
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
        actor = self.ctx.actor if self.ctx.has_actor else None
        def can(permission: str) -> bool:
            return actor is not None and actor.can(permission)

        self.accounts_action.setVisible(can("user.manage"))
        self.roster_action.setVisible(can("user.manage"))
        self.holidays_action.setVisible(can("calendar.manage"))
        self.templates_action.setVisible(can("template.manage"))
        self.desks_action.setVisible(can("settings.manage"))
        self.import_action.setVisible(can("data.import"))
        self.backup_action.setVisible(can("backup.run"))
        self.statistics_action.setVisible(can("report.view"))
        self.reports_action.setVisible(can("report.file"))
        self.stat_mapping_action.setVisible(can("settings.manage"))
        self.admin_menu.menuAction().setVisible(
            can("user.manage") or can("calendar.manage") or can("template.manage") or can("data.import")
            or can("backup.run"))
        self.duty.apply_permissions()
        self.new_case_action.setEnabled(can("case.register"))
        self.consultation_action.setEnabled(can("consultation.log"))
        self.id_search_action.setEnabled(can("case.search_id"))

    def _on_actor_changed(self, actor: object) -> None:
        self._update_user_label()
        self._apply_permissions()
        username = self.ctx.actor.username if self.ctx.has_actor else ""
        if actor is not None and username != self._view_user:
            # Another person at the desk: the last one's view is kept for them, this one gets their own.
            self._save_view()
            self._view_user = username
            self._restore_view(username)
            QTimer.singleShot(0, self.offer_drafts)
        if actor is not None:
            self._load_reference()
            self.apply_filters()
            self.today_panel.reload()

    # ------------------------------------------------------------------ loading

    def _load_reference(self) -> None:
        if not self.ctx.has_actor:
            return

        def load(s: Session, actor: Actor) -> tuple[list[tuple[str, tuple[int, ...]]], int]:
            cats = reference.category_filter(s, actor)
            minutes = reference.get_setting(s, "idle_lock_minutes", actor.desk_id)
            return cats, int(minutes) if isinstance(minutes, int) else DEFAULT_IDLE_MINUTES

        ReadOp(self, load).success(self._on_reference_loaded).run()

    def _on_reference_loaded(self, result: tuple[list[tuple[str, tuple[int, ...]]], int]) -> None:
        categories, minutes = result
        self.filter_bar.set_categories(categories)
        self.locker.set_idle_minutes(minutes)

    def apply_filters(self) -> None:
        """Read the list the filters and the search box describe."""
        self.filter_bar.stop_debounce()
        if self.ctx.has_actor:
            self.model.set_query(self.filter_bar.query(self.model.query, user_id=self.ctx.actor.user_id))
            self.consultation_hits.search(self.model.query.text)

    def refresh(self) -> None:
        """The list and the today panel again (F5)."""
        self.refresh_list()
        self.today_panel.reload()

    def refresh_list(self) -> None:
        self.model.reload()

    def _on_model_count_changed(self, _n: int) -> None:
        self._update_count_label()

    def _on_model_page_loaded(self, _n: int) -> None:
        if self._side_loads_pending:
            self._side_loads_pending = False
            self._load_reference()
            self.today_panel.reload()
            self.backup_label.refresh()
            self.offer_drafts()
        if self._autosize_pending and self.model.rowCount() and self.isVisible():
            self._autosize_pending = False
            self.autosize_columns()
        self._update_count_label()
        self._update_empty_hint()

    def _on_model_loading_changed(self, loading: bool) -> None:
        self.loading_label.setText(self.tr("正在载入…") if loading else "")
        self._update_empty_hint()

    def _on_model_load_failed(self, exc: BaseException) -> None:
        present_failure(self, exc)

    def _update_count_label(self) -> None:
        total = self.model.total
        loaded = self.model.rowCount()
        more_than = self.model.more_than
        if total is None and more_than is not None:  # the exact count follows
            text = self.tr("共 {n}+ 件（已载入 {loaded} 件，正在统计准确总数…）").format(n=more_than, loaded=loaded)
        elif total is None:
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
                        or q.registered_from or q.registered_to or q.case_ids is not None)
        if filtered:
            self.empty_label.setText(self.tr("没有符合条件的案件。\n请换一个搜索词，或点击左侧的“清除筛选”。"))
        else:
            self.empty_label.setText(self.tr(
                "还没有案件。\n点击工具栏的“新建纠纷”（Ctrl+N）登记第一件纠纷；"
                "只是来咨询的，请用“登记咨询”。"))
        self.empty_label.setGeometry(self.table.viewport().rect())
        self.empty_label.show()

    # ------------------------------------------------------------------ slots: list

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

        window = CaseWindow(self.ctx, case_id, self)
        window.setWindowFlag(Qt.WindowType.Window, True)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._case_windows[case_id] = window
        window.show()

    def open_case_at(self, case_id: int, action: str) -> None:
        """The case window, with the dialog of ``action`` open once the case is read ("" : none)."""
        self.open_case(case_id)
        window = self.case_windows().get(case_id)
        if window is not None and action:
            window.open_action_when_loaded(action)  # type: ignore[attr-defined]

    def open_document(self, case_id: int, document_id: int) -> None:
        """The case window, on its documents tab with this document selected."""
        self.open_case(case_id)
        window = self.case_windows().get(case_id)
        if window is not None:
            window.show_document(document_id)  # type: ignore[attr-defined]  # a CaseWindow (typed QWidget: case_view is imported when first opened)

    def review_document(self, case_id: int, document_id: int) -> None:
        """The case window on the document, with the approval dialog (and its diff) open."""
        self.open_document(case_id, document_id)
        window = self.case_windows().get(case_id)
        if window is not None and self.ctx.actor.can("document.approve"):
            window.documents_tab.open_approval(document_id)  # type: ignore[attr-defined]  # a CaseWindow (typed QWidget: case_view is imported when first opened)

    def offer_drafts(self) -> QWidget | None:
        """The person at the desk's half-finished intake comes back, with its offer to restore it.

        Called when they log in (at start, and when they take over the desk from someone
        else — also coming back after another user), not only when they unlock: their
        windows were put aside as drafts when the other user came (issue 12 item 27).
        Returns the form opened, if any.
        """
        if not self.ctx.has_actor or self.locked or not self.isVisible():
            return None
        from mediation.ui.intake_dialog import list_drafts

        drafts = list_drafts(self.ctx.actor.username)
        if not drafts:
            return None
        newest = drafts[0]
        if newest.kind == "edit" and newest.case_id is not None:
            self.open_case(newest.case_id)
            window = self.case_windows().get(newest.case_id)
            editor: QWidget | None = window.open_editor() if window is not None else None  # type: ignore[attr-defined]
            return editor
        return self.open_intake()

    def _on_new_case_triggered(self) -> None:
        self.open_intake()

    def open_intake(self, consultation_id: int | None = None) -> QWidget:
        from mediation.ui.intake_dialog import IntakeDialog

        dialog = IntakeDialog(self.ctx, self, consultation_id=consultation_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        # A saved dispute opens at once: the next step (accept, assign) is on its window.
        dialog.case_saved.connect(self.open_case)
        dialog.show()
        return dialog

    def _on_id_search_triggered(self) -> QWidget:
        from mediation.ui.id_search_dialog import IdSearchDialog

        dialog = IdSearchDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.case_chosen.connect(self.open_case)
        dialog.open()
        return dialog

    def _on_consultation_triggered(self) -> None:
        from mediation.ui.consultation_dialog import ConsultationDialog

        dialog = ConsultationDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.case_saved.connect(self.open_case)
        dialog.consultation_saved.connect(self._on_consultation_saved)
        dialog.show()

    def _on_consultation_saved(self, _consultation_id: int) -> None:
        self.statusBar().showMessage(self.tr(
            "咨询已保存。可在“案件 → 咨询记录”中查看、修改或转为案件。"), 15_000)

    def _on_statistics_triggered(self) -> None:
        from mediation.ui.statistics_window import StatisticsWindow

        kept = getattr(self, "statistics_window", None)
        if kept is not None and shiboken6.isValid(kept) and kept.isHidden():  # hidden by a figure's click
            kept.show()
            kept.raise_()
            return
        window = StatisticsWindow(self.ctx, self)
        window.case_requested.connect(self.open_case)
        window.figure_opened.connect(self.show_figure_cases)
        self._open_dialog(window)
        self.statistics_window = window

    def show_figure_cases(self, figure: str, ids: list[int]) -> None:
        """The list narrowed to the cases behind a statistics figure (a chip above it says which)."""
        self.filter_bar.show_figure(figure, ids)
        self.raise_()
        self.activateWindow()

    def _on_reports_triggered(self) -> None:
        from mediation.ui.reports_dialog import ReportsDialog

        dialog = ReportsDialog(self.ctx, self)
        self._open_dialog(dialog)
        self.reports_dialog = dialog

    def _on_stat_mapping_triggered(self) -> None:
        from mediation.ui.stat_mapping_dialog import StatMappingDialog

        self._open_dialog(StatMappingDialog(self.ctx, self))

    def _on_consultations_triggered(self) -> None:
        from mediation.ui.consultations_dialog import ConsultationsDialog

        dialog = ConsultationsDialog(self.ctx, self)
        dialog.case_requested.connect(self.open_case)
        self._open_dialog(dialog)
        self.consultations_dialog = dialog

    def _on_refresh_triggered(self) -> None:
        self.refresh()

    def _on_operation_did_execute(self, changes: object) -> None:
        # The today panel follows changes itself; the list reloads when a case changed.
        if not isinstance(changes, Changes):
            return
        if changes.settings:
            self._load_reference()
        if changes.cases_list or changes.case_ids:
            self._refresh_timer.start()

    # ------------------------------------------------------------------ dialogs

    def _on_settings_triggered(self) -> None:
        from mediation.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self._state, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    def _on_accounts_triggered(self) -> None:
        from mediation.ui.accounts_dialog import AccountsDialog

        self._open_dialog(AccountsDialog(self.ctx, self))

    def _on_roster_triggered(self) -> None:
        from mediation.ui.roster_dialog import RosterDialog

        self._open_dialog(RosterDialog(self.ctx, self))

    def _on_holidays_triggered(self) -> None:
        from mediation.ui.holiday_dialog import HolidayDialog

        self._open_dialog(HolidayDialog(self.ctx, self))

    def _on_templates_triggered(self) -> None:
        from mediation.ui.template_dialog import TemplatesDialog

        self._open_dialog(TemplatesDialog(self.ctx, self))

    def _on_desks_triggered(self) -> None:
        from mediation.ui.desks_dialog import DesksDialog

        self._open_dialog(DesksDialog(self.ctx, self))

    def _on_import_triggered(self) -> None:
        from mediation.ui.import_dialog import start_import

        self.import_job = start_import(self.ctx, self)

    def run_daily_backup(self) -> None:
        """The automatic backup of the day (the first start of each day; see services.backup.auto)."""
        def done(_result: object) -> None:
            self.backup_label.refresh()
            self.today_panel.reload()

        run_automatic_backup(self.ctx, self, "start", done=done)

    def _on_backup_triggered(self) -> None:
        from mediation.ui.backup_dialog import start_backup

        start_backup(self.ctx, self)

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

        show_about(self.ctx, self)

    # ------------------------------------------------------------------ locking

    @property
    def locked(self) -> bool:
        return self.locker.locked

    def lock(self, *, idle: bool = False) -> None:
        """Cover the window and hide every other window; nothing is closed or lost."""
        self.locker.lock(idle=idle)

    def show_when_unlocked(self, widget: QWidget) -> None:
        """Show ``widget`` now, or when the same user unlocks (see ``widgets.open_result_box``)."""
        self.locker.show_when_unlocked(widget)

    def _on_lock_changed(self, locked: bool) -> None:
        for action in self.actions():
            action.setEnabled(not locked)
        self.menuBar().setEnabled(not locked)
        self.toolbar.setEnabled(not locked)
        self.splitter.setEnabled(not locked)
        if not locked:
            self._apply_permissions()
            self.table.setFocus()

    def _on_lock_triggered(self) -> None:
        self.lock(idle=False)

    def _on_switch_user_triggered(self) -> None:
        self.locker.switch_user()
