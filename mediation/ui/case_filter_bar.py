"""The case list's filters (stage, track, category, mine, overdue, dates) and its search box.

The bar turns what is chosen and typed into a :class:`~mediation.services.caselist.CaseQuery`
and says when it changed (typing is debounced); the main window puts the search box in
its toolbar, the chip of a statistics figure (:class:`FigureChip`: the list narrowed to the
cases behind a figure, issue 15) above the list, and the rest on the left of the list.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mediation import workflow
from mediation.services import caselist
from mediation.ui.widgets import Retranslating, pydate, set_texts, today_qdate

SEARCH_DEBOUNCE_MS = 250
ALL, OPEN = "all", "open"


class FigureChip(Retranslating, QFrame):
    """“统计：2026年10月 调解成功（37件）  ✕”: why the list is narrowed, and the way to undo it."""

    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureChip")
        self.setStyleSheet("#figureChip { background: #e8f0fe; border: 1px solid #8ab4f8; border-radius: 10px; }")
        self.figure = ""
        self.count = 0
        self.label = QLabel()
        self.clear_button = QToolButton()
        self.clear_button.setText("✕")
        self.clear_button.setAutoRaise(True)
        self.clear_button.clicked.connect(self.cleared)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 1, 2, 1)
        row.addWidget(self.label)
        row.addWidget(self.clear_button)
        self.hide()
        self.retranslate()

    def show_figure(self, figure: str, count: int) -> None:
        self.figure, self.count = figure, count
        self.retranslate()
        self.show()

    def retranslate(self) -> None:
        self.label.setText(self.tr("统计：{figure}（{n}件）").format(figure=self.figure, n=self.count))
        self.clear_button.setToolTip(self.tr("取消此筛选，显示全部案件"))


class CaseFilterBar(Retranslating, QScrollArea):
    """Filters on the left of the case list, and the search box for the toolbar."""

    changed = Signal()
    """The query changed (at once for a filter, after a pause for typing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._categories: list[tuple[str, tuple[int, ...]]] = []
        self._wanted_category: object = None
        """A remembered category waiting for the desk's categories to be read (see :meth:`set_view`)."""
        self._figure_ids: tuple[int, ...] | None = None
        """The cases behind a statistics figure the list is narrowed to (see :meth:`show_figure`)."""
        self.figure_chip = FigureChip()
        self.figure_chip.cleared.connect(self.clear_figure)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(240)
        self.search_edit.setMaximumWidth(380)
        self.search_edit.setMaxLength(100)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.changed)
        self.search_edit.textChanged.connect(self._on_search_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_return_pressed)

        panel = QWidget()
        panel.setObjectName("filtersPanel")
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 6, 6, 6)
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        layout.addWidget(self.title_label)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setContentsMargins(0, 0, 0, 0)
        self.stage_combo = QComboBox()
        self.track_combo = QComboBox()
        self.category_combo = QComboBox()
        self.stage_label, self.track_label, self.category_label = QLabel(), QLabel(), QLabel()
        for label, combo in ((self.stage_label, self.stage_combo), (self.track_label, self.track_combo),
                             (self.category_label, self.category_combo)):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.currentIndexChanged.connect(self._on_filter_changed)
            label.setBuddy(combo)
            form.addRow(label, combo)
        layout.addLayout(form)
        self.category_combo.currentIndexChanged.connect(self._on_category_picked)
        self.mine_check = QCheckBox()
        self.overdue_check = QCheckBox()
        self.date_check = QCheckBox()
        for check in (self.mine_check, self.overdue_check):
            check.toggled.connect(self._on_filter_changed)
            layout.addWidget(check)
        self.date_check.toggled.connect(self._on_date_check_toggled)
        layout.addWidget(self.date_check)
        dates = QFormLayout()
        dates.setContentsMargins(18, 0, 0, 0)
        today = today_qdate()
        self.date_from = QDateEdit(today.addMonths(-1))
        self.date_to = QDateEdit(today)
        self.date_from_label, self.date_to_label = QLabel(), QLabel()
        for label, edit in ((self.date_from_label, self.date_from), (self.date_to_label, self.date_to)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self._on_filter_changed)
            dates.addRow(label, edit)
        layout.addLayout(dates)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        layout.addSpacing(12)
        self.tips_label = QLabel()
        self.tips_label.setWordWrap(True)
        self.tips_label.setStyleSheet("color: #555555;")
        layout.addWidget(self.tips_label)
        layout.addStretch(1)
        self.setWidget(panel)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(150)
        self.retranslate()

    # -- texts

    def retranslate(self) -> None:
        self.search_edit.setPlaceholderText(self.tr("搜索编号、当事人、电话、案情…（Ctrl+F）"))
        self.search_edit.setToolTip(self.tr("输入一个字也能搜索，例如当事人的姓"))
        set_texts((self.title_label, self.tr("筛选")), (self.stage_label, self.tr("阶段(&J)：")),
                  (self.track_label, self.tr("调解类型(&K)：")), (self.category_label, self.tr("纠纷类别(&B)：")),
                  (self.mine_check, self.tr("只看我调解的案件")), (self.overdue_check, self.tr("只看已逾期")),
                  (self.date_check, self.tr("按登记日期")), (self.date_from_label, self.tr("从")),
                  (self.date_to_label, self.tr("到")), (self.clear_button, self.tr("清除筛选")),
                  (self.tips_label, self.tr("提示：双击一行打开案件；Ctrl+N 登记新纠纷；Ctrl+F 搜索；F5 刷新；"
                                            "F1 查看新手指南。期限一栏红色表示已逾期，黄色表示 2 个工作日内到期。")))
        self._fill_combos()

    def _fill_combo(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for label, key in items:
            combo.addItem(label, key)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def _fill_combos(self) -> None:
        stages = [(self.tr("全部阶段"), ALL), (self.tr("在办（未结案）"), OPEN)]
        stages += [(workflow.stage_label(code), code) for code in workflow.STAGES]
        self._fill_combo(self.stage_combo, stages)
        tracks = [(self.tr("全部类型"), ALL)] + [(workflow.track_label(code), code) for code in workflow.TRACKS]
        self._fill_combo(self.track_combo, tracks)
        cats = [(self.tr("全部类别"), ALL)] + [(label, ",".join(map(str, ids))) for label, ids in self._categories]
        self._fill_combo(self.category_combo, cats)
        index = self.category_combo.findData(self._wanted_category) if self._wanted_category is not None else -1
        if index >= 0:  # a remembered category, now that the desk's categories are known
            self.category_combo.blockSignals(True)
            self.category_combo.setCurrentIndex(index)
            self.category_combo.blockSignals(False)
            self._wanted_category = None

    def set_categories(self, categories: list[tuple[str, tuple[int, ...]]]) -> None:
        """The dispute categories (label, the ids it stands for on the desks shown), read by
        the main window from ``reference.category_filter``."""
        self._categories = list(categories)
        self._fill_combos()

    # -- a user's own view (issue 12 item 20)

    def view(self) -> dict[str, object]:
        """The filters as plain data, to remember for the person at the desk (not the search text:
        it may hold a party's name, and it is not a view)."""
        return {
            "stage": self.stage_combo.currentData(), "track": self.track_combo.currentData(),
            "category": self.category_combo.currentData(), "mine": self.mine_check.isChecked(),
            "overdue": self.overdue_check.isChecked(), "by_date": self.date_check.isChecked(),
            "from": pydate(self.date_from.date()).isoformat(), "to": pydate(self.date_to.date()).isoformat(),
        }

    def set_view(self, view: dict[str, object]) -> None:
        """Show ``view`` (from :meth:`view`; empty: no filters), the search box empty; no ``changed``."""
        widgets: list[QWidget] = [self.stage_combo, self.track_combo, self.category_combo, self.mine_check,
                                  self.overdue_check, self.date_check, self.date_from, self.date_to,
                                  self.search_edit]
        for w in widgets:
            w.blockSignals(True)
        for combo, key in ((self.stage_combo, "stage"), (self.track_combo, "track"),
                           (self.category_combo, "category")):
            index = combo.findData(view.get(key)) if view.get(key) is not None else 0
            combo.setCurrentIndex(max(0, index))
        self._wanted_category = view.get("category") if self.category_combo.findData(view.get("category")) < 0 \
            and view.get("category") not in (None, ALL) else None
        self.mine_check.setChecked(bool(view.get("mine")))
        self.overdue_check.setChecked(bool(view.get("overdue")))
        self.date_check.setChecked(bool(view.get("by_date")))
        today = today_qdate()
        for edit, key, default in ((self.date_from, "from", today.addMonths(-1)), (self.date_to, "to", today)):
            text = view.get(key)
            parsed = QDate.fromString(text, "yyyy-MM-dd") if isinstance(text, str) else QDate()
            edit.setDate(parsed if parsed.isValid() else default)
            edit.setEnabled(self.date_check.isChecked())
        self.search_edit.clear()
        self._search_timer.stop()
        for w in widgets:
            w.blockSignals(False)
        self._drop_figure()

    # -- the cases behind a statistics figure

    def show_figure(self, figure: str, ids: list[int]) -> None:
        """Narrow the list to exactly ``ids`` (the cases behind the statistics figure ``figure``,
        e.g. “2026年10月 调解成功”): the other filters and the search are cleared, so the list has
        the figure's count; the chip says so. One ``changed``."""
        self._reset_widgets()
        self._figure_ids = tuple(ids)
        self.figure_chip.show_figure(figure, len(ids))
        self.changed.emit()

    def clear_figure(self) -> None:
        """The chip's ✕: the figure's filter off, the others as they are; one ``changed``."""
        self._drop_figure()
        self.changed.emit()

    def _drop_figure(self) -> None:
        self._figure_ids = None
        self.figure_chip.hide()

    @property
    def figure_ids(self) -> tuple[int, ...] | None:
        return self._figure_ids

    def query_category(self) -> object:
        """The category chosen, or one remembered and not yet among the desk's categories."""
        return self._wanted_category if self._wanted_category is not None else self.category_combo.currentData()

    # -- the query

    def query(self, previous: caselist.CaseQuery, *, user_id: int | None) -> caselist.CaseQuery:
        """The query the filters and the search box describe; the sort is kept from ``previous``.

        ``user_id``: the person at the desk, for "only the cases I mediate".
        """
        stage = self.stage_combo.currentData()
        if stage == OPEN:
            stages: tuple[str, ...] = tuple(s for s in workflow.STAGES if s in workflow.OPEN_STAGES)
        elif stage in (None, ALL):
            stages = ()
        else:
            stages = (str(stage),)
        track = self.track_combo.currentData()
        category = self.query_category()
        date_from = date_to = None
        if self.date_check.isChecked():
            date_from, date_to = sorted((pydate(self.date_from.date()), pydate(self.date_to.date())))
        return caselist.CaseQuery(
            text=self.search_edit.text().strip(), stages=stages,
            tracks=() if track in (None, ALL) else (str(track),),
            categories=() if category in (None, ALL) else tuple(
                int(i) for i in str(category).split(",") if i.isdigit()),  # ids (a view saved before 0007 held a label)
            mediator_id=user_id if self.mine_check.isChecked() else None, overdue=self.overdue_check.isChecked(),
            registered_from=date_from, registered_to=date_to, case_ids=self._figure_ids, sort=previous.sort,
            descending=previous.descending)

    def stop_debounce(self) -> None:
        """The query is being read now: typing so far needs no second read."""
        self._search_timer.stop()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def clear(self) -> None:
        """Every filter off (a figure's too) and the search box empty; one ``changed``."""
        self._drop_figure()
        self._reset_widgets()
        self.changed.emit()

    def _reset_widgets(self) -> None:
        self._wanted_category = None
        widgets: list[QWidget] = [self.stage_combo, self.track_combo, self.category_combo,
                                  self.mine_check, self.overdue_check, self.date_check, self.search_edit]
        for w in widgets:
            w.blockSignals(True)
        for combo in (self.stage_combo, self.track_combo, self.category_combo):
            combo.setCurrentIndex(0)
        for check in (self.mine_check, self.overdue_check, self.date_check):
            check.setChecked(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        self.search_edit.clear()
        for w in widgets:
            w.blockSignals(False)

    # -- slots

    def _on_filter_changed(self, *_args: object) -> None:
        self.changed.emit()

    def _on_category_picked(self, _index: int) -> None:
        self._wanted_category = None  # the user's own choice replaces a remembered one

    def _on_date_check_toggled(self, checked: bool) -> None:
        self.date_from.setEnabled(checked)
        self.date_to.setEnabled(checked)
        self.changed.emit()

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_return_pressed(self) -> None:
        self.changed.emit()
