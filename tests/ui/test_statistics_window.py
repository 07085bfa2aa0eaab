"""The statistics view and the report centre, driven by clicks: an officer opens October 2026,
clicks a figure and a bar and gets the cases with the same count; files, approves and submits
the people's table; a later change to a case of October shows as 报送后有变动."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QTableWidget

from mediation.services import reports, supervision
from mediation.statistics import Period
from mediation.timeutil import clock_at
from mediation.ui.main_window import MainWindow
from mediation.ui.reports_dialog import ReportsDialog
from mediation.ui.state import UiState
from mediation.ui.statistics_window import StatisticsWindow
from tests.db.test_statistics import agree, at, make_case
from tests.ui.case_fixtures import CaseEnv, case_env, type_text, wait_ops

__all__ = ["case_env"]

OCT = Period.parse("2026-10")


def _october(env: CaseEnv) -> dict[str, int]:
    with env.db.write() as s:
        ids = {"c1": make_case(s, env.desk, accepted=at(2026, 10, 8), category="合同"),
               "c2": make_case(s, env.desk, accepted=at(2026, 10, 9), category="合同"),
               "c3": make_case(s, env.desk, accepted=at(2026, 10, 12), category="邻里")}
        agree(s, env.desk, ids["c1"], at(2026, 10, 20), amount="1000")
    return ids


def _cell(table: QTableWidget, row_label: str, column_label: str) -> tuple[int, int]:
    rows = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    cols = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return rows.index(row_label), cols.index(column_label)


def _click_cell(qtbot, table: QTableWidget, row: int, col: int) -> None:  # type: ignore[no-untyped-def]
    rect = table.visualItemRect(table.item(row, col))
    table.scrollToItem(table.item(row, col))
    rect = table.visualItemRect(table.item(row, col))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _listed(qtbot, main: MainWindow, stats: StatisticsWindow, click) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """Click a figure (``click()``): the statistics window steps aside and the main window's list
    shows the cases behind it; (the chip's text, the list's count)."""
    with qtbot.waitSignal(stats.figure_opened, timeout=10_000) as opened:
        click()
    figure, ids = opened.args
    qtbot.waitUntil(lambda: main.model.query.case_ids == tuple(ids) and main.model.total is not None
                    and not main.model.loading, timeout=10_000)
    assert stats.isHidden() and main.filter_bar.figure_chip.isVisible()
    assert main.filter_bar.figure_chip.label.text() == f"统计：{figure}（{len(ids)}件）"
    assert f"共 {main.model.total} 件" in main.count_label.text()
    return main.filter_bar.figure_chip.label.text(), int(main.model.total)


def _back_to_statistics(qtbot, main: MainWindow, stats: StatisticsWindow) -> None:  # type: ignore[no-untyped-def]
    main.statistics_action.trigger()
    assert main.statistics_window is stats and stats.isVisible()  # as it was left: October, its tab


def _open_statistics(qtbot, env: CaseEnv, ui_state: UiState) -> tuple[MainWindow, StatisticsWindow]:  # type: ignore[no-untyped-def]
    window = MainWindow(env.officer, ui_state)
    env.keep(window)
    qtbot.waitUntil(lambda: window.model.total is not None, timeout=10_000)
    assert window.statistics_action.isVisible()
    window.statistics_action.trigger()
    stats = window.statistics_window
    wait_ops(qtbot)
    stats.picker.set_period(OCT)
    with qtbot.waitSignals([stats.loaded, stats.compared_loaded], timeout=10_000):
        qtbot.mouseClick(stats.show_button, Qt.MouseButton.LeftButton)
    return window, stats


def test_officer_opens_october_and_clicks_a_figure_and_a_bar(qtbot, case_env: CaseEnv,  # type: ignore[no-untyped-def]
                                                             ui_state: UiState) -> None:
    ids = _october(case_env)
    window, stats = _open_statistics(qtbot, case_env, ui_state)
    people = stats.tables["people"]
    r, c = _cell(people, "合同", "受理")
    assert people.item(r, c).text() == "2"
    assert "按受理日期" in people.item(r, c).toolTip()
    # 同比 and 环比 beside it: nothing in October 2025 or September 2026 to compare with
    assert "上年同期 0（同比 —），上期 0（环比 —）" in people.item(r, c).toolTip()
    chip, count = _listed(qtbot, window, stats, lambda: _click_cell(qtbot, people, r, c))
    assert (chip, count) == ("统计：2026年10月 合同·受理（2件）", 2)
    listed = {window.model.case_id(i) for i in range(window.model.rowCount())}
    assert listed == {ids["c1"], ids["c2"]}
    # the list sorts like any list: by number, ascending
    window.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: window.model.query.sort == "number" and not window.model.loading, timeout=10_000)
    assert window.model.total == 2 and window.model.query.case_ids is not None
    # Enter on a case: it opens in its own window
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(0, 0))
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(set(window.case_windows()) & {ids["c1"], ids["c2"]}), timeout=10_000)

    # another table is filled when its tab is first clicked, with its 同比/环比 as well
    _back_to_statistics(qtbot, window, stats)
    bar = stats.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    police = stats.tables["police"]
    assert stats.tabs.currentIndex() == 1 and police.rowCount() > 0
    tips = [police.item(i, k).toolTip() for i in range(police.rowCount()) for k in range(police.columnCount())
            if police.item(i, k) is not None]
    assert tips and any("上年同期" in t for t in tips)

    # the charts: click October's bar (the 24th) of the monthly chart
    stats.tabs.setCurrentIndex(4)
    view = stats.month_view
    qtbot.waitUntil(lambda: view.isVisible(), timeout=5_000)

    def click_october() -> None:
        series = stats.month_chart.series()[0]
        point = stats.month_chart.mapToPosition(QPointF(23, 1.5), series)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(
            stats.month_chart.mapToScene(point)))

    chip, count = _listed(qtbot, window, stats, click_october)
    assert (chip, count) == ("统计：2026年10月受理（3件）", 3) and count == int(stats.month_bars.at(23))

    # the chip's ✕: the whole list again, no chip
    with case_env.db.write() as s:  # a case outside the figure
        make_case(s, case_env.desk, accepted=at(2026, 11, 2), category="其他")
    qtbot.mouseClick(window.filter_bar.figure_chip.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.query.case_ids is None and window.model.total == 4
                    and not window.model.loading, timeout=10_000)
    assert window.filter_bar.figure_chip.isHidden()

    # a cell of 调解成功 opens the same way, as many as it says
    _back_to_statistics(qtbot, window, stats)
    stats.tabs.setCurrentIndex(0)
    r, c = _cell(people, "合同", "调解成功")
    assert people.item(r, c).text() == "1"
    assert _listed(qtbot, window, stats, lambda: _click_cell(qtbot, people, r, c)) == (
        "统计：2026年10月 合同·调解成功（1件）", 1)
    QApplication.processEvents()


def test_file_approve_submit_and_a_later_change_shows(qtbot, case_env: CaseEnv, ui_state: UiState,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _october(case_env)
    window = MainWindow(case_env.officer, ui_state)
    case_env.keep(window)
    qtbot.waitUntil(lambda: window.model.total is not None, timeout=10_000)
    window.reports_action.trigger()
    dialog = window.reports_dialog
    assert isinstance(dialog, ReportsDialog)
    wait_ops(qtbot)
    dialog.table_combo.setCurrentIndex(0)
    dialog.picker.set_period(OCT)
    type_text(dialog.features, "合同纠纷居多")
    qtbot.mouseClick(dialog.file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert dialog.table.item(0, 2).text() == "待审核"
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() == "审核通过",
                    timeout=10_000)
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.item(0, 2).text() == "已上报", timeout=10_000)
    assert len(dialog.table.item(0, 6).text()) == 16  # the digest, shortened

    # the export of the submitted table (the file dialog answered with a path)
    target = tmp_path / "oct.xlsx"
    monkeypatch.setattr("mediation.ui.reports_dialog.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.export_buttons["xlsx"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=10_000)

    # a case of October is changed after the report went up
    with case_env.db.write() as s, clock_at(at(2026, 11, 3)):
        supervision.record_outcome(s, case_env.desk.officer, ids["c1"], supervision.OutcomeInput(
            prevented_escalation=True, prevented_escalation_people=2))
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    dialog.table.clearSelection()
    dialog.table.selectRow(0)
    qtbot.waitUntil(lambda: dialog.changes_label.text().startswith("报送后有变动"), timeout=10_000)
    assert "合同“防止民间纠纷转化为刑事案件（件）”上报 0 → 现在 1" in dialog.changes_label.text()
    with case_env.db.read() as s:
        assert reports.list_reports(s, case_env.desk.officer)[0].status == "submitted"
    QApplication.processEvents()


def test_administrator_maps_a_category_onto_another_row_from_a_date(qtbot, case_env: CaseEnv,  # type: ignore[no-untyped-def]
                                                                     ui_state: UiState) -> None:
    import datetime as dt

    from mediation import statistics
    from mediation.ui.stat_mapping_dialog import StatMappingDialog

    _october(case_env)
    window = MainWindow(case_env.ctx(case_env.desk.admin), ui_state)
    case_env.keep(window)
    qtbot.waitUntil(lambda: window.model.total is not None, timeout=10_000)
    assert window.stat_mapping_action.isVisible()
    window.stat_mapping_action.trigger()
    dialog = next(w for w in window.findChildren(StatMappingDialog) if w.isVisible())
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 15, timeout=10_000)
    labels = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    row = labels.index("合同")
    combo = dialog.combos[row]
    assert combo.currentText() == "合同"
    combo.setCurrentIndex(combo.findText("房屋宅基地"))
    dialog.valid_from.setDate(dialog.valid_from.date().fromString("2026-11-01", "yyyy-MM-dd"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已保存 1 项" in dialog.message.text(), timeout=10_000)
    with case_env.db.read() as s:
        octo = statistics.table(s, case_env.desk.officer, "people", OCT)
        dec = statistics.table(s, case_env.desk.officer, "people", Period.parse("2026-12"))
    assert octo.value("contract", "accepted") == 2 and octo.value("housing", "accepted") == 0
    assert dec.value("housing", "accepted", "年度累计") == 2  # the year to December, by the new mapping
    assert dialog.valid_from.value() == dt.date(2026, 11, 1)
