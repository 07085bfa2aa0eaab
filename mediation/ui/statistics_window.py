"""The statistics view (统计): the four tables and the charts of a period, for one desk or all.

Everything comes from :mod:`mediation.statistics` through one :class:`ReadOp`; each figure
says how it is counted (tooltip). Clicking a figure, a bar, a slice or a cell of the hour
grid says :attr:`StatisticsWindow.figure_opened`: the main window's case list shows exactly
the cases counted, as many as the figure, under a chip naming it (issue 15).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from mediation import statistics
from mediation.statistics import ChartData, Compared, Period, TableResult
from mediation.statistics.export import fmt, pct
from mediation.statistics.rules import rule_text
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.widgets import ERROR_STYLE, Retranslating, hbox, set_texts, stack
from mediation.volunteering import weekday_label

TABLE_ORDER = ("people", "police", "campus", "quality")
SHORT = {"防止民间纠纷转化为刑事案件": "防止民转刑", "防止群体性上访": "防群体上访", "当事人类别（人）": "当事人（人）"}
"""Column groups as the screen's narrow headers say them (the full words in the tooltip and on paper)."""


class PeriodPicker(QWidget):
    """月 / 季度 / 年, the year and the month or quarter."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = local_today()
        self.kind = QComboBox()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.part = QComboBox()
        self._month = today.month
        row = hbox(self.kind, self.year, self.part)
        row.setContentsMargins(0, 0, 0, 0)
        self.setLayout(row)
        self.kind.currentIndexChanged.connect(self._fill_parts)
        for w in (self.kind, self.part):
            w.currentIndexChanged.connect(self.changed)
        self.year.valueChanged.connect(self.changed)

    def retranslate(self) -> None:
        current = self.kind.currentIndex()
        self.kind.blockSignals(True)
        self.kind.clear()
        for code, label in (("month", self.tr("月")), ("quarter", self.tr("季度")), ("year", self.tr("年"))):
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(current, 0))
        self.kind.blockSignals(False)
        self._fill_parts()

    def _fill_parts(self) -> None:
        kind = self.kind.currentData()
        keep = self.part.currentIndex()
        self.part.blockSignals(True)
        self.part.clear()
        if kind == "month":
            for m in range(1, 13):
                self.part.addItem(self.tr("{m}月").format(m=m), m)
            self.part.setCurrentIndex(keep if 0 <= keep < 12 and self.part.count() else self._month - 1)
        elif kind == "quarter":
            for q in range(1, 5):
                self.part.addItem(self.tr("第{q}季度").format(q=q), q)
            self.part.setCurrentIndex((self._month - 1) // 3)
        self.part.setVisible(kind != "year")
        self.part.blockSignals(False)

    def period(self) -> Period:
        kind, year = self.kind.currentData(), self.year.value()
        if kind == "quarter":
            return Period.quarter(year, int(self.part.currentData()))
        if kind == "year":
            return Period.year(year)
        return Period.month(year, int(self.part.currentData() or self._month))

    def set_period(self, period: Period) -> None:
        self.year.setValue(period.start.year)
        self.kind.setCurrentIndex({"month": 0, "quarter": 1, "year": 2}.get(period.kind, 0))
        if period.kind == "month":
            self.part.setCurrentIndex(period.start.month - 1)
        elif period.kind == "quarter":
            self.part.setCurrentIndex((period.start.month - 1) // 3)


class StatisticsWindow(Retranslating, QDialog):
    """统计: pick the period and the desk; the tables, then the charts."""

    case_requested = Signal(int)
    figure_opened = Signal(str, list)
    """A figure was clicked: what it is (“2026年10月 调解成功”) and the ids of the cases behind it."""
    loaded = Signal()
    """The period's tables and charts are shown."""
    compared_loaded = Signal()
    """Last year's and the previous period's figures arrived (the tooltips say 同比/环比)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, period: Period | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale: set[int] = set()
        """Tabs whose contents are older than the figures read: filled when first shown."""
        self.results: dict[str, TableResult] = {}
        self.compared: dict[str, Compared] = {}
        self.chart: ChartData | None = None
        self.loaded_period: Period | None = None
        self.loaded_desk: int | None = None
        self._generation = 0
        self.picker = PeriodPicker()
        self.desk_combo = QComboBox()
        self.desk_label = QLabel()
        self.show_button = QPushButton()
        self.status = QLabel()
        self.tabs = QTabWidget()
        self.tables: dict[str, QTableWidget] = {}
        self.problem_labels: dict[str, QLabel] = {}
        for code in TABLE_ORDER:
            table = QTableWidget()
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
            table.cellClicked.connect(lambda r, c, code=code: self._on_cell_clicked(code, r, c))
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            problems = QLabel()
            problems.setStyleSheet(ERROR_STYLE)
            problems.setWordWrap(True)
            page = QWidget()
            stack(page, table, problems, stretch=table)
            self.tables[code], self.problem_labels[code] = table, problems
            self.tabs.addTab(page, "")
        self.charts_page = QWidget()
        self.chart_grid = QGridLayout(self.charts_page)
        self.month_view, self.types_view = QChartView(), QChartView()
        self.sources_view, self.funnel_view = QChartView(), QChartView()
        for view in (self.month_view, self.types_view, self.sources_view, self.funnel_view):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumSize(300, 200)
        self.heat = QTableWidget(7, 24)
        self.heat.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.heat.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.heat.cellClicked.connect(self._on_heat_clicked)
        # The 24 months across the whole width (at 1366×768 half of it elided "10"–"12" to "..."),
        # the other three below.
        self.chart_grid.addWidget(self.month_view, 0, 0, 1, 3)
        self.chart_grid.addWidget(self.types_view, 1, 0)
        self.chart_grid.addWidget(self.sources_view, 1, 1)
        self.chart_grid.addWidget(self.funnel_view, 1, 2)
        for column, stretch in enumerate((5, 3, 3)):  # the types' 12 months and their legend need the room
            self.chart_grid.setColumnStretch(column, stretch)
        self.tabs.addTab(self.charts_page, "")
        self.heat_page = QWidget()
        stack(self.heat_page, self.heat)
        self.tabs.addTab(self.heat_page, "")
        self.tabs.currentChanged.connect(self._fill_current)
        self.show_button.clicked.connect(self.reload)
        stack(self, hbox(self.picker, self.desk_label, self.desk_combo, self.show_button, None, self.status),
              self.tabs, stretch=self.tabs)
        self.resize(1240, 680)
        self.retranslate()
        self._load_desks()
        if period is not None:
            self.picker.set_period(period)
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("统计"))
        self.picker.retranslate()
        set_texts((self.desk_label, self.tr("调解点：")), (self.show_button, self.tr("统计")))
        for i, code in enumerate(TABLE_ORDER):
            self.tabs.setTabText(i, statistics.TABLES[code])
        self.tabs.setTabText(len(TABLE_ORDER), self.tr("图表"))
        self.tabs.setTabText(len(TABLE_ORDER) + 1, self.tr("登记时段"))
        self.heat.setVerticalHeaderLabels([weekday_label(d) for d in range(7)])
        self.heat.setHorizontalHeaderLabels([str(h) for h in range(24)])
        self._show()

    # ---------------------------------------------------------------- reading

    def _load_desks(self) -> None:
        from mediation.ui.operations import ReadOp

        def show(desks: list[tuple[int, str]]) -> None:
            self.desk_combo.clear()
            if len(desks) > 1:
                self.desk_combo.addItem(self.tr("全部（汇总）"), None)
            for desk_id, name in desks:
                self.desk_combo.addItem(name, desk_id)
            self.desk_combo.setVisible(len(desks) > 1)
            self.desk_label.setVisible(len(desks) > 1)

        ReadOp(self, lambda s, a: statistics.readable_desks(s, a)).success(show).run()

    def reload(self) -> None:
        """Read the tables and charts of the chosen period in a worker and show them; then read
        the same tables for last year and the previous period (the tooltips' 同比/环比)."""
        from mediation.ui.operations import ReadOp

        period = self.picker.period()
        desk = self.desk_combo.currentData() if self.desk_combo.count() else None
        self._generation += 1
        generation = self._generation
        self.compared = {}
        self.status.setText(self.tr("正在统计…"))

        def read(s: Any, a: Any) -> tuple[dict[str, TableResult], ChartData]:
            return ({code: statistics.table(s, a, code, period, desk_id=desk) for code in TABLE_ORDER},
                    statistics.charts(s, a, period, desk_id=desk))

        def read_earlier(s: Any, a: Any) -> dict[str, tuple[TableResult, TableResult]]:
            return {code: (statistics.table(s, a, code, period.same_period_last_year(), desk_id=desk),
                           statistics.table(s, a, code, period.previous(), desk_id=desk))
                    for code in TABLE_ORDER if code != "quality"}  # the quality table compares itself

        def show(result: tuple[dict[str, TableResult], ChartData]) -> None:
            if generation != self._generation:
                return
            self.results, self.chart = result
            self.loaded_period, self.loaded_desk = period, desk
            self._show()
            self.loaded.emit()
            ReadOp(self, read_earlier).success(show_compared).run()

        def show_compared(earlier: dict[str, tuple[TableResult, TableResult]]) -> None:
            if generation != self._generation:
                return
            self.compared = {code: Compared(self.results[code], last, previous)
                             for code, (last, previous) in earlier.items()}
            for code in self.compared:  # the tooltips of the tables on screen; the others when shown
                if TABLE_ORDER.index(code) not in self._stale:
                    self._fill_table(code, self.results[code])
            self.compared_loaded.emit()

        ReadOp(self, read).success(show).run()

    # ---------------------------------------------------------------- showing

    def _show(self) -> None:
        if not self.results or self.loaded_period is None:
            return
        self.status.setText(self.tr("{period}，{desks}").format(
            period=self.loaded_period.label, desks="、".join(self.results["people"].desk_names)))
        # Only the tab on screen is filled now (the UI thread's share of opening the view);
        # the others when they are first shown.
        self._stale = set(range(self.tabs.count()))
        for code in TABLE_ORDER:  # a failed check is said at once, on every table's page
            self.problem_labels[code].setText("\n".join(self.tr("数据校验未通过：") + p.message
                                                        for p in self.results[code].problems))
        self._fill_current()

    def _fill_current(self, *_: object) -> None:
        index = self.tabs.currentIndex()
        if index not in self._stale or not self.results:
            return
        if index < len(TABLE_ORDER):
            self._stale.discard(index)
            code = TABLE_ORDER[index]
            self._fill_table(code, self.results[code])
        elif self.chart is not None:  # the charts and the heat map come from one read
            self._stale -= {len(TABLE_ORDER), len(TABLE_ORDER) + 1}
            self._fill_charts(self.chart)

    def _fill_table(self, code: str, result: TableResult) -> None:
        table = self.tables[code]
        cols = result.columns
        lines: list[tuple[str, Any]] = []  # (block title, row or None for the block's heading)
        for block in result.blocks:
            if len(result.blocks) > 1:
                lines.append((block.title, None))
            lines += [(block.title, r) for r in [*block.rows, *([block.total] if block.total else [])]]
        # Filled in one go: no repaint and no column fitting per item (ResizeToContents
        # measured every column again on each setItem), then the columns fitted once.
        table.setUpdatesEnabled(False)
        header_view = table.horizontalHeader()
        header_view.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        try:
            self._fill_items(code, table, result, cols, lines)
        finally:
            table.resizeColumnsToContents()
            header_view.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.setUpdatesEnabled(True)
        self.problem_labels[code].setText("\n".join(self.tr("数据校验未通过：") + p.message for p in result.problems))

    def _fill_items(self, code: str, table: QTableWidget, result: TableResult, cols: Any,
                    lines: list[tuple[str, Any]]) -> None:
        table.clear()
        table.setRowCount(len(lines))
        table.setColumnCount(len(cols))
        table.setHorizontalHeaderLabels([f"{SHORT.get(c.group, c.group)}\n{c.label}" if c.group else c.label
                                         for c in cols])
        for k, c in enumerate(cols):
            header = table.horizontalHeaderItem(k)
            if header is not None:
                header.setToolTip((f"{c.group}·{c.label}\n" if c.group else "") + (rule_text(c.rule) if c.rule else ""))
        table.setVerticalHeaderLabels([r.label if r is not None else f"【{title}】" for title, r in lines])
        rules = {c.code: rule_text(c.rule) for c in cols if c.rule}  # each column's rule, read once
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for i, (title, r) in enumerate(lines):
            if r is None:
                continue
            for k, c in enumerate(cols):
                item = QTableWidgetItem(fmt(r.values.get(c.code), c))
                item.setTextAlignment(align)
                item.setData(Qt.ItemDataRole.UserRole, (title, r.code, c.code, r.label, c.label))
                if c.rule:
                    item.setToolTip(rules[c.code] + self._comparison(code, title, r.code, c.code))
                elif code == "quality":
                    from mediation.statistics.review import row_rule_text  # the 质效表's rows and 评查's

                    item.setToolTip(row_rule_text(r.code))
                table.setItem(i, k, item)

    def _comparison(self, code: str, block: str, row: str, column: str) -> str:
        """同比 / 环比 of one figure, for its tooltip ("" when there is nothing to compare)."""
        both = self.compared.get(code)
        if both is None:
            return ""
        try:
            _a, last, previous, yoy, mom = both.figure(row, column, block)
        except KeyError:
            return ""
        if isinstance(last, (int, Decimal)) and isinstance(previous, (int, Decimal)):
            return "\n" + self.tr("上年同期 {y}（同比 {yoy}），上期 {p}（环比 {mom}）").format(
                y=fmt(last), yoy=pct(yoy), p=fmt(previous), mom=pct(mom))
        return ""

    def _fill_charts(self, data: ChartData) -> None:
        # month numbers; a category axis needs unique labels, so the earlier year's carry a
        # zero-width space (the tooltip of a bar's case list names the month in full)
        # Category labels must be unique: last year's months carry a trailing space (a zero-width
        # one made Qt elide every label to "...").
        months = [str(p.month.start.month) + " " * (i < len(data.months) - 12) for i, p in enumerate(data.months)]
        # cases accepted per month (bars, clickable) with last year's line
        chart = QChart()
        chart.setTitle(self.tr("每月受理（与上年同期）"))
        bars = QBarSet(self.tr("本年"))
        bars.append([float(p.accepted) for p in data.months])
        bars.clicked.connect(lambda i: self._open_chart_cases("month", data.months[i].month.code,
                                                                self.tr("{m}受理").format(m=data.months[i].month.label)))
        series = QBarSeries()
        series.append(bars)
        line = QLineSeries()
        line.setName(self.tr("上年同期"))
        for i, p in enumerate(data.months):
            line.append(float(i), float(p.last_year))
        chart.addSeries(series)
        chart.addSeries(line)
        axis_x = QBarCategoryAxis()
        axis_x.append(months)
        axis_y = QValueAxis()
        axis_y.setRange(0, max([1] + [p.accepted for p in data.months] + [p.last_year for p in data.months]))
        axis_y.setLabelFormat("%d")  # counts of cases
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for attached in (series, line):
            attached.attachAxis(axis_x)
            attached.attachAxis(axis_y)
        self.month_chart, self.month_bars = chart, bars
        self.month_view.setChart(chart)
        # types as stacked bars over the last 12 months
        types = QChart()
        types.setTitle(self.tr("纠纷类型（近12个月）"))
        stacked = QStackedBarSeries()
        last12 = data.months[-12:]
        self.type_sets: dict[str, QBarSet] = {}
        for code, counts in data.types.items():
            if not any(counts):
                continue
            bar_set = QBarSet(data.type_labels[code])
            bar_set.append([float(n) for n in counts])
            bar_set.clicked.connect(lambda i, code=code, label=data.type_labels[code]: self._open_chart_cases(
                "type", f"{last12[i].month.code}/{code}", f"{last12[i].month.label} {label}"))
            stacked.append(bar_set)
            self.type_sets[code] = bar_set
        types.addSeries(stacked)
        types.legend().setAlignment(Qt.AlignmentFlag.AlignRight)  # one label a line: a third of the width is narrow
        types_x = QBarCategoryAxis()
        types_x.append([str(p.month.start.month) for p in last12])
        types_y = QValueAxis()
        types_y.setLabelFormat("%d")
        types.addAxis(types_x, Qt.AlignmentFlag.AlignBottom)
        types.addAxis(types_y, Qt.AlignmentFlag.AlignLeft)
        stacked.attachAxis(types_x)
        stacked.attachAxis(types_y)
        types_y.applyNiceNumbers()  # whole steps (0, 50, 100 …), not a fifth of the tallest bar
        self.types_view.setChart(types)
        # sources (pie)
        pie_chart = QChart()
        pie_chart.setTitle(self.tr("纠纷来源"))
        pie = QPieSeries()
        for sl in data.sources:
            piece = pie.append(f"{sl.label} {sl.count}", float(sl.count))
            piece.clicked.connect(lambda sl=sl: self._open_chart_cases("source", sl.key, sl.label))
        pie_chart.addSeries(pie)
        pie_chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.pie = pie
        self.sources_view.setChart(pie_chart)
        # the funnel 受理 → 调解成功 → 履行完毕
        funnel_chart = QChart()
        funnel_chart.setTitle(self.tr("受理 → 调解成功 → 履行完毕"))
        funnel_set = QBarSet(self.loaded_period.label if self.loaded_period else "")
        funnel_set.append([float(f.count) for f in reversed(data.funnel)])
        steps = list(reversed(data.funnel))
        funnel_set.clicked.connect(lambda i: self._open_chart_cases("funnel", steps[i].key, steps[i].label))
        hseries = QHorizontalBarSeries()
        hseries.append(funnel_set)
        funnel_chart.addSeries(hseries)
        axis = QBarCategoryAxis()
        axis.append([f.label for f in steps])
        funnel_chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
        hseries.attachAxis(axis)
        self.funnel_set = funnel_set
        self.funnel_view.setChart(funnel_chart)
        # weekday × hour
        top = max([1] + [n for row in data.heat for n in row])
        for d in range(7):
            for h in range(24):
                n = data.heat[d][h]
                item = QTableWidgetItem(str(n) if n else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QColor(255, 255 - int(200 * n / top), 255 - int(200 * n / top)))
                self.heat.setItem(d, h, item)

    # ---------------------------------------------------------------- clicking a figure

    def _on_cell_clicked(self, code: str, row: int, column: int) -> None:
        item = self.tables[code].item(row, column)
        if item is None or self.loaded_period is None:
            return
        block, row_code, col_code, row_label, col_label = item.data(Qt.ItemDataRole.UserRole)
        period = self.loaded_period
        if code == "quality":  # columns are the periods compared; the row is the figure
            period = {"last_year": period.same_period_last_year(), "previous": period.previous()}.get(col_code, period)
            if col_code in ("yoy", "mom"):
                return
            row_code, col_code = row_code, "now"
        elif block == "年度累计":
            period = period.year_to_date()
        desk = self.loaded_desk
        what = (row_label if code == "quality" else col_label if row_code == "total"
                else f"{row_label}·{col_label}")
        title = f"{period.label} " + ("" if code == "people" else f"{statistics.TABLES[code]}·") + what
        self._open_ids(title, lambda s, a: statistics.figure_cases(s, a, code, period, row_code, col_code,
                                                                   desk_id=desk))

    def _on_heat_clicked(self, row: int, column: int) -> None:
        self._open_chart_cases("heat", f"{row}/{column}", self.tr("{day} {h}时登记").format(day=weekday_label(row), h=column))

    def _open_chart_cases(self, kind: str, key: str, title: str) -> None:
        if self.loaded_period is None:
            return
        period, desk = self.loaded_period, self.loaded_desk
        if kind in ("source", "funnel", "heat"):  # the bars of months name their month themselves
            title = f"{period.label} {title}"
        self._open_ids(title, lambda s, a: statistics.chart_figure_cases(s, a, period, kind, key, desk_id=desk))

    def _open_ids(self, title: str, fn: Any) -> None:
        from mediation.ui.operations import ReadOp

        def show(ids: list[int]) -> None:
            self.figure_opened.emit(title, ids)
            self.hide()  # out of the list's way (统计… shows it again as it was)

        ReadOp(self, fn).success(show).run()
