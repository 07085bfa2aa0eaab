"""The case list's count while searching (issue 13): the first page and a capped count at
once, the exact count afterwards on its own thread, never holding the list up."""

from __future__ import annotations

import threading
from typing import Any

from mediation.services import caselist, search
from mediation.ui.main_window import MainWindow
from mediation.ui.models import case_table_model
from tests.ui.conftest import BIG, type_text, wait_ops


def _counts_not_kept(monkeypatch: Any) -> None:
    """As for a search the kept counts and the FTS5 index cannot answer alone (other terms or
    filters): here 房东甲, which they would answer."""
    monkeypatch.setattr(search, "count_from_index", lambda *a: None)


def test_search_shows_the_first_page_and_a_capped_count_then_the_exact_one(
        qtbot: Any, window: MainWindow, monkeypatch: Any) -> None:
    monkeypatch.setattr(caselist, "COUNT_CAP", 50)
    _counts_not_kept(monkeypatch)
    exact_may_finish = threading.Event()
    exact_started = threading.Event()
    real_count = case_table_model.count_rows

    def slow_exact_count(*args: Any) -> int:  # a million cases: the exact count takes a second
        exact_started.set()
        exact_may_finish.wait(20)
        return real_count(*args)

    monkeypatch.setattr(case_table_model, "count_rows", slow_exact_count)
    type_text(window.filter_bar.search_edit, "房东甲")  # every case's respondent: BIG matches
    # The first page and "50+" while the exact count is still being read.
    qtbot.waitUntil(lambda: window.model.query.text == "房东甲" and window.model.more_than == 50
                    and window.model.rowCount() == 200 and not window.model.loading, timeout=10_000)
    assert window.model.total is None
    assert window.count_label.text() == "共 50+ 件（已载入 200 件，正在统计准确总数…）"
    assert window.model.is_loaded(0) and "房东甲" in window.model.index(0, 2).data()
    qtbot.waitUntil(exact_started.is_set, timeout=10_000)  # on its own thread, once the query stood still
    exact_may_finish.set()
    qtbot.waitUntil(lambda: window.model.total == BIG, timeout=10_000)
    assert window.model.more_than is None
    assert window.model.rowCount() == BIG  # the scroll bar now spans every match
    assert window.count_label.text() == f"共 {BIG} 件"


def test_pages_are_read_while_the_exact_count_runs(qtbot: Any, window: MainWindow, monkeypatch: Any) -> None:
    monkeypatch.setattr(caselist, "COUNT_CAP", 50)
    _counts_not_kept(monkeypatch)
    exact_may_finish = threading.Event()
    exact_started = threading.Event()
    real_count = case_table_model.count_rows

    def slow_exact_count(*args: Any) -> int:
        exact_started.set()
        exact_may_finish.wait(20)
        return real_count(*args)

    monkeypatch.setattr(case_table_model, "count_rows", slow_exact_count)
    type_text(window.filter_bar.search_edit, "房东甲")
    qtbot.waitUntil(exact_started.is_set, timeout=10_000)
    window.table.scrollToBottom()  # the next page, read while the exact count holds its thread
    qtbot.waitUntil(lambda: window.model.rowCount() == BIG and not window.model.loading, timeout=10_000)
    assert window.model.is_loaded(BIG - 1) and window.model.total == BIG  # the last page says how many
    assert not exact_may_finish.is_set()
    exact_may_finish.set()
    wait_ops(qtbot)
    assert window.model.total == BIG and window.count_label.text() == f"共 {BIG} 件"


def test_exact_count_waits_until_the_typing_stops(qtbot: Any, window: MainWindow, monkeypatch: Any) -> None:
    """Each keystroke counts up to the cap; only the query left standing is counted exactly."""
    monkeypatch.setattr(caselist, "COUNT_CAP", 20)
    monkeypatch.setattr(case_table_model, "EXACT_COUNT_DELAY_MS", 2000)  # a slow typist, on a busy machine
    _counts_not_kept(monkeypatch)
    exact: list[str] = []
    real_count = case_table_model.count_rows

    def counting(s: Any, a: Any, query: caselist.CaseQuery) -> int:
        exact.append(query.text)
        return real_count(s, a, query)

    monkeypatch.setattr(case_table_model, "count_rows", counting)
    for text in ("房", "东", "甲"):
        type_text(window.filter_bar.search_edit, text)
        qtbot.waitUntil(lambda t=text: window.model.query.text.endswith(t) and window.model.more_than == 20,
                        timeout=10_000)
    qtbot.waitUntil(lambda: window.model.total == BIG, timeout=10_000)
    wait_ops(qtbot)
    assert exact == ["房东甲"]
    assert window.count_label.text() == f"共 {BIG} 件"


def test_a_small_result_is_counted_exactly_at_once(qtbot: Any, window: MainWindow, monkeypatch: Any) -> None:
    monkeypatch.setattr(case_table_model, "count_rows", lambda *a: (_ for _ in ()).throw(AssertionError("not needed")))
    type_text(window.filter_bar.search_edit, "13800000001")
    qtbot.waitUntil(lambda: window.model.total == 1 and not window.model.loading, timeout=10_000)
    wait_ops(qtbot)
    assert window.count_label.text() == "共 1 件"


def test_a_short_search_is_counted_exactly_at_once_from_the_kept_counts(
        qtbot: Any, window: MainWindow, monkeypatch: Any) -> None:
    """One short term (revision 0014): however many cases hold it, the exact count comes with
    the first page, and no second count is read."""
    monkeypatch.setattr(caselist, "COUNT_CAP", 50)
    monkeypatch.setattr(case_table_model, "count_rows", lambda *a: (_ for _ in ()).throw(AssertionError("not needed")))
    type_text(window.filter_bar.search_edit, "房东")
    qtbot.waitUntil(lambda: window.model.query.text == "房东" and window.model.total == BIG
                    and not window.model.loading, timeout=10_000)
    wait_ops(qtbot)
    assert window.model.more_than is None
    assert window.count_label.text().startswith(f"共 {BIG} 件")
