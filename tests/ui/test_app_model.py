"""CaseTableModel: Qt's model tester, lazy pages, stale pages dropped, sort mapped to SQL."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from mediation import workflow
from mediation.services import caselist
from mediation.ui.context import AppContext
from mediation.ui.models.case_table_model import COL_DEADLINE, COL_REGISTERED, HEADERS, CaseTableModel
from tests.ui.conftest import BIG


def test_model_passes_qt_model_tester(qtbot, qtmodeltester, populated) -> None:  # type: ignore[no-untyped-def]
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer))
    with qtbot.waitSignal(model.page_loaded, timeout=10_000):
        model.reload()
    assert model.rowCount() == 200
    qtmodeltester.check(model)
    # fetchMore (called by the tester too) appends the rest without breaking the tester's checks.
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == BIG, timeout=10_000)
    qtmodeltester.check(model)


def test_model_tester_on_an_empty_result(qtbot, qtmodeltester, populated) -> None:  # type: ignore[no-untyped-def]
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer))
    with qtbot.waitSignal(model.count_changed, timeout=10_000):
        model.set_query(caselist.CaseQuery(stages=(workflow.ARCHIVED,)))
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    assert model.rowCount() == 0 and model.total == 0
    assert not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_stale_page_is_dropped(qtbot, populated) -> None:  # type: ignore[no-untyped-def]
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer))
    model.reload()  # all cases ...
    model.set_query(caselist.CaseQuery(stages=(workflow.ACCEPTED,)))  # ... replaced at once
    qtbot.waitUntil(lambda: not model.loading and model.total == 12, timeout=10_000)
    assert model.rowCount() == 12


def test_sort_maps_to_the_query_and_headers(qtbot, populated) -> None:  # type: ignore[no-untyped-def]
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer))
    model.set_query(caselist.CaseQuery(stages=(workflow.ACCEPTED,)))
    qtbot.waitUntil(lambda: model.total == 12 and not model.loading, timeout=10_000)
    model.sort(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    assert model.query.sort == "deadline" and not model.query.descending
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 12, timeout=10_000)
    deadlines = [model.item(r).deadline for r in range(12)]
    assert deadlines == sorted(deadlines)  # type: ignore[type-var]
    model.sort(2, Qt.SortOrder.AscendingOrder)  # parties: ignored
    assert model.query.sort == "deadline"
    assert model.headerData(COL_REGISTERED, Qt.Orientation.Horizontal) == "登记日期"
    assert model.columnCount() == len(HEADERS) == 8


def test_fetch_until_jumps_far_in_one_go(qtbot, populated) -> None:  # type: ignore[no-untyped-def]
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer), page_size=50)
    with qtbot.waitSignal(model.page_loaded, timeout=10_000):
        model.reload()
    assert model.rowCount() == 50
    with qtbot.waitSignal(model.page_loaded, timeout=10_000):
        model.fetch_until(220)
    assert model.rowCount() == BIG  # 220 + a page, capped at the total
