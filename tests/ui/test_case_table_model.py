"""CaseTableModel: Qt's model tester, lazy pages, stale pages dropped, sort mapped to SQL."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from mediation import workflow
from mediation.services import caselist
from mediation.ui.context import AppContext
from mediation.ui.models.case_table_model import COL_DEADLINE, COL_REGISTERED, HEADERS, CaseTableModel
from mediation.ui import tasks
from tests.ui.conftest import BIG, process_events


def _all_ids(db, actor, query=caselist.CaseQuery()) -> list[int]:
    """The list's order as the service pages it, for comparison."""
    ids: list[int] = []
    cursor = None
    with db.read() as s:
        while True:
            page = caselist.list_cases(s, actor, query, cursor=cursor, limit=97)
            ids += [r.id for r in page.rows]
            cursor = page.cursor
            if cursor is None:
                return ids


def test_model_passes_qt_model_tester(qtbot, qtmodeltester, populated) -> None:
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer))
    model.reload()
    qtbot.waitUntil(lambda: model.total == BIG and not model.loading, timeout=10_000)
    # Counted: every case is a row (the scroll bar spans the list), the first page is read.
    assert model.rowCount() == BIG
    assert model.is_loaded(199) and not model.is_loaded(200)
    assert model.index(210, 0).data() == "…"  # a placeholder, and a request for its page
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: model.is_loaded(BIG - 1) and not model.loading, timeout=10_000)
    assert [model.case_id(r) for r in range(BIG)] == _all_ids(db, pop.desk.volunteer)
    assert not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_fetch_more_appends_pages_until_counted(qtbot, qtmodeltester, populated, monkeypatch) -> None:
    """Before the count arrives the list grows page by page (canFetchMore/fetchMore, by keyset)."""
    import threading

    from mediation.ui.models import case_table_model

    counted = threading.Event()
    real_count = case_table_model.count_rows_capped  # the count the list reads first
    monkeypatch.setattr(case_table_model, "count_rows_capped", lambda *a: (counted.wait(10), real_count(*a))[1])
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer), page_size=100)
    with qtbot.waitSignal(model.page_loaded, timeout=10_000):
        model.reload()
    assert model.rowCount() == 100 and model.total is None
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 200 and not model.loading, timeout=10_000)
    assert model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)  # the tester fetches more too
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == BIG and not model.loading, timeout=10_000)
    qtmodeltester.check(model)
    assert model.total == BIG  # the last page said so before the count did
    assert not model.canFetchMore(QModelIndex())
    counted.set()
    tasks.wait_for_all()
    process_events()  # the count's result is delivered
    assert model.rowCount() == BIG and model.total == BIG
    assert [model.case_id(r) for r in range(BIG)] == _all_ids(db, pop.desk.volunteer)


def test_model_tester_on_an_empty_result(qtbot, qtmodeltester, populated) -> None:
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer))
    with qtbot.waitSignal(model.count_changed, timeout=10_000):
        model.set_query(caselist.CaseQuery(stages=(workflow.ARCHIVED,)))
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    assert model.rowCount() == 0 and model.total == 0
    assert not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_stale_page_is_dropped(qtbot, populated) -> None:
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer))
    model.reload()  # all cases ...
    model.set_query(caselist.CaseQuery(stages=(workflow.ACCEPTED,)))  # ... replaced at once
    qtbot.waitUntil(lambda: not model.loading and model.total == 12, timeout=10_000)
    assert model.rowCount() == 12


def test_sort_maps_to_the_query_and_headers(qtbot, populated) -> None:
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer))
    model.set_query(caselist.CaseQuery(stages=(workflow.ACCEPTED,)))
    qtbot.waitUntil(lambda: model.total == 12 and not model.loading, timeout=10_000)
    model.sort(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    assert model.query.sort == "deadline" and not model.query.descending
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 12, timeout=10_000)
    deadlines = [model.item(r).deadline for r in range(12)]
    assert deadlines == sorted(deadlines)
    model.sort(2, Qt.SortOrder.AscendingOrder)  # parties: ignored
    assert model.query.sort == "deadline"
    assert model.headerData(COL_REGISTERED, Qt.Orientation.Horizontal) == "登记日期"
    assert model.columnCount() == len(HEADERS) == 8


def test_a_jump_reads_one_page_not_the_rows_before(qtbot, populated) -> None:
    db, pop = populated
    query = caselist.CaseQuery(sort="number", descending=False)  # unnumbered cases come last
    model = CaseTableModel(AppContext(db, pop.desk.volunteer), page_size=50)
    model.set_query(query)
    qtbot.waitUntil(lambda: model.total == BIG and not model.loading, timeout=10_000)
    assert model.rowCount() == BIG and not model.is_loaded(50)
    with qtbot.waitSignal(model.page_loaded, timeout=10_000):
        model.fetch_until(220)
    assert model.is_loaded(220) and model.is_loaded(BIG - 1)
    assert not any(model.is_loaded(r) for r in range(50, 200))  # stepped over by the database
    expected = _all_ids(db, pop.desk.volunteer, query)
    assert [model.case_id(r) for r in range(200, BIG)] == expected[200:]
    # A page in between continues from the nearest page read before it.
    with qtbot.waitSignal(model.page_loaded, timeout=10_000):
        model.fetch_until(120)
    assert [model.case_id(r) for r in range(100, 150)] == expected[100:150]
    assert model.item(120).id == expected[120]
    assert model.row_of(expected[120]) == 120 and model.row_of(expected[60]) is None
    with pytest.raises(LookupError):
        model.item(60)


def test_a_list_shorter_than_counted_shrinks(qtbot, populated, monkeypatch) -> None:
    """Cases gone between the count and the page: counted again, the rows not there go away."""
    from mediation.ui.models import case_table_model

    real_count = case_table_model.count_rows_capped  # the count the list reads first
    counts = iter([caselist.CaseCount(BIG + 40, True)])  # the first count is stale, the next ones are real
    monkeypatch.setattr(case_table_model, "count_rows_capped", lambda *a: next(counts, None) or real_count(*a))
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer), page_size=50)
    model.reload()
    qtbot.waitUntil(lambda: model.total == BIG + 40 and not model.loading, timeout=10_000)
    assert model.rowCount() == BIG + 40
    model.fetch_until(BIG + 30)  # a page past the real end: nothing there, so it counts again
    qtbot.waitUntil(lambda: not model.loading and model.total == BIG, timeout=10_000)
    assert model.rowCount() == BIG
    model.fetch_until(BIG - 1)
    qtbot.waitUntil(lambda: not model.loading and model.is_loaded(BIG - 1), timeout=10_000)
    assert model.rowCount() == model.total == BIG
    assert [model.case_id(r) for r in range(200, BIG)] == _all_ids(db, pop.desk.volunteer)[200:]


def test_a_page_that_fails_is_not_retried_on_every_paint(qtbot, populated, monkeypatch) -> None:
    """The database gone while scrolling: one error, the rows say so, 刷新 (reload) tries again."""
    from PySide6.QtWidgets import QTableView

    from mediation.errors import StorageError
    from mediation.ui.models import case_table_model

    real_page = case_table_model.load_page
    broken = {"on": True}

    def page(session, actor, query, cursor, want, skip=0):
        if broken["on"] and (cursor is not None or skip):
            raise StorageError("database is locked")
        return real_page(session, actor, query, cursor, want, skip)

    monkeypatch.setattr(case_table_model, "load_page", page)
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer), page_size=50)
    failures: list[BaseException] = []
    model.load_failed.connect(failures.append)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    model.reload()
    qtbot.waitUntil(lambda: model.total == BIG and not model.loading, timeout=10_000)
    view.scrollToBottom()
    for _ in range(5):  # every paint asks for the rows again
        view.viewport().repaint()
        qtbot.wait(30)
        tasks.wait_for_all()
        process_events()
    assert len(failures) == 1 and "locked" in str(failures[0])
    assert model.index(BIG - 1, 0).data() == "（未能载入，请刷新）"
    assert not model.loading
    broken["on"] = False
    model.reload()
    qtbot.waitUntil(lambda: model.is_loaded(BIG - 1) and not model.loading, timeout=10_000)
    assert len(failures) == 1


def test_an_older_querys_failed_count_is_ignored(qtbot, populated, monkeypatch) -> None:
    """Typing on while the previous search's count fails: the new rows stay, no error is shown."""
    import threading

    from mediation.errors import StorageError
    from mediation.ui.models import case_table_model

    release = threading.Event()
    real_count = case_table_model.count_rows

    def count(session, actor, query):
        if query.stages == (workflow.ACCEPTED,):
            release.wait(10)
            raise StorageError("the old query's count failed")
        return real_count(session, actor, query)

    monkeypatch.setattr(case_table_model, "count_rows", count)
    db, pop = populated
    model = CaseTableModel(AppContext(db, pop.desk.volunteer))
    failures: list[BaseException] = []
    model.load_failed.connect(failures.append)
    model.set_query(caselist.CaseQuery(stages=(workflow.ACCEPTED,)))
    model.set_query(caselist.CaseQuery())
    qtbot.waitUntil(lambda: model.total == BIG and not model.loading, timeout=10_000)
    release.set()
    tasks.wait_for_all()
    process_events()
    assert failures == []
    assert model.rowCount() == BIG and model.is_loaded(0)
