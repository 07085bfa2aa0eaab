"""The main window on real cases: rows, paging, sorting, shortcuts, refresh, remembered layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from mediation import workflow
from mediation.changes import Changes
from mediation.ui import app_events
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.models.case_table_model import COL_DEADLINE, COL_NUMBER, COL_PARTIES
from mediation.ui.operations import wait_for_all
from mediation.ui.state import UiState
from tests.ui.conftest import BIG, generated_name, process_events, wait_loaded


def test_rows_count_and_status_bar(window: MainWindow) -> None:
    assert window.model.total == BIG
    assert window.model.rowCount() == BIG  # the scroll bar spans every case; 200 are read
    assert window.model.is_loaded(199) and not window.model.is_loaded(200)
    assert window.count_label.text() == f"共 {BIG} 件"
    assert "李同学" in window.user_label.text()
    # Registered cases have no number yet; the cell says so.
    assert window.model.index(0, COL_NUMBER).data() == "（受理后编号）"


def test_scrolling_reads_the_rows_shown(qtbot, window: MainWindow) -> None:
    assert not window.model.is_loaded(BIG - 1)
    window.table.scrollToBottom()  # the last rows show as placeholders, then as cases
    qtbot.waitUntil(lambda: window.model.is_loaded(BIG - 1) and not window.model.loading, timeout=10_000)
    last = window.table.rowAt(window.table.viewport().height() - 5)
    assert last == BIG - 1 or (last == -1 and window.table.rowAt(0) > 200)
    window.table.viewport().repaint()
    assert window.model.index(BIG - 1, COL_NUMBER).data() != "…"
    ids = [window.model.case_id(r) for r in range(200)] + [window.model.case_id(r) for r in range(200, BIG)]
    assert None not in ids and len(set(ids)) == BIG  # no row twice across the page boundary
    # A row still being read opens nothing and says why.
    window.table.scrollToTop()
    window.model.reload()
    qtbot.waitUntil(lambda: not window.model.loading and window.model.total == BIG, timeout=10_000)
    window.table.setCurrentIndex(window.model.index(BIG - 1, 0))
    assert not window.model.is_loaded(BIG - 1)  # read only once the event loop runs
    window.open_case_action.trigger()
    assert "还在载入" in window.statusBar().currentMessage()
    assert not window.case_windows()


def test_sort_by_number_and_unsortable_column(qtbot, window: MainWindow) -> None:
    window.table.sortByColumn(COL_NUMBER, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: window.model.query.sort == "number" and not window.model.loading, timeout=10_000)
    numbers = [window.model.item(r).number for r in range(12)]
    assert numbers == sorted(numbers)
    window.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # parties: not sortable in SQL
    assert window.table.horizontalHeader().sortIndicatorSection() == COL_NUMBER
    assert window.model.query.sort == "number"


def test_ctrl_n_opens_the_intake(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    window.table.setFocus()
    before = set(QApplication.topLevelWidgets())
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(w.isVisible() for w in set(QApplication.topLevelWidgets()) - before),
                    timeout=5_000)
    opened = [w for w in set(QApplication.topLevelWidgets()) - before if w.isVisible()]
    assert {type(w).__name__ for w in opened} == {"IntakeDialog"}
    for w in opened:
        w.close_keeping_draft()


def test_ctrl_f_focuses_search_and_f5_refreshes(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_bar.search_edit.hasFocus()
    with qtbot.waitSignal(window.model.modelReset, timeout=5_000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    wait_loaded(qtbot, window)


def test_new_case_elsewhere_refreshes_the_list(qtbot, window: MainWindow, populated) -> None:
    from tests.ui.conftest import register

    db, pop = populated
    register(db, pop.desk.volunteer, 1, start=BIG)
    resets: list[int] = []
    window.model.modelReset.connect(lambda: resets.append(1))
    window.ctx.did_execute(Changes(users=True))  # an account changed: nothing for the list
    qtbot.wait(300)
    assert resets == [] and window.model.total == BIG
    window.ctx.did_execute(Changes(cases_list=True))  # a case was added elsewhere
    qtbot.waitUntil(lambda: window.model.total == BIG + 1 and not window.model.loading, timeout=10_000)
    assert generated_name(BIG) in window.model.index(0, COL_PARTIES).data()  # newest first


def test_overdue_deadline_is_red(qtbot, populated, ui_state: UiState) -> None:
    import datetime as dt

    from sqlalchemy import update

    from mediation.models import Case
    from mediation.ui.models.case_table_model import DUE_SOON_BACKGROUND, OVERDUE_BACKGROUND

    db, pop = populated
    # Test data only: put two deadlines in the past / tomorrow (services compute them from dates).
    with db.write() as s:
        s.execute(update(Case).where(Case.id == pop.accepted[0]).values(deadline=dt.date(2020, 1, 6)))
        s.execute(update(Case).where(Case.id == pop.accepted[1]).values(
            deadline=dt.date.today() + dt.timedelta(days=1)))
    w = MainWindow(AppContext(db, pop.desk.volunteer), ui_state)
    qtbot.addWidget(w)
    w.filter_bar.stage_combo.setCurrentIndex(w.filter_bar.stage_combo.findData(workflow.ACCEPTED))
    wait_loaded(qtbot, w)
    qtbot.waitUntil(lambda: w.model.total == 12 and not w.model.loading, timeout=10_000)
    rows = {w.model.case_id(r): r for r in range(w.model.rowCount())}
    overdue = w.model.index(rows[pop.accepted[0]], COL_DEADLINE)
    assert overdue.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    assert "已逾期" in overdue.data()
    soon = w.model.index(rows[pop.accepted[1]], COL_DEADLINE)
    # Tomorrow is within two working days whatever today is.
    assert soon.data(Qt.ItemDataRole.BackgroundRole) == DUE_SOON_BACKGROUND
    w.filter_bar.overdue_check.setChecked(True)
    qtbot.waitUntil(lambda: w.model.total == 1 and not w.model.loading, timeout=10_000)


def test_geometry_and_columns_are_remembered(qtbot, populated, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    db, pop = populated
    state = UiState(tmp_path / "remember.ini")
    events = app_events.installed()
    assert events is not None
    monkeypatch.setattr(events.fitter, "state", state)  # as mediation.ui.app installs it
    w = MainWindow(AppContext(db, pop.desk.volunteer), state)
    qtbot.addWidget(w)
    w.show()
    w.showNormal()
    w.resize(700, 500)
    wait_loaded(qtbot, w)
    w.table.horizontalHeader().resizeSection(COL_NUMBER, 123)
    w.table.sortByColumn(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    wait_loaded(qtbot, w)
    w.close()  # saves the columns; the window's size is kept as it is hidden
    wait_for_all()
    process_events()
    again = MainWindow(AppContext(db, pop.desk.volunteer), UiState(tmp_path / "remember.ini"))
    qtbot.addWidget(again)
    again.show()
    assert again.table.horizontalHeader().sectionSize(COL_NUMBER) == 123
    assert again.size().width() == 700 and not again.isMaximized()
    assert again.model.query.sort == "deadline" and not again.model.query.descending
    wait_loaded(qtbot, again)


def test_a_saved_dispute_opens_its_case_window_with_the_documents_tab(qtbot, window: MainWindow) -> None:
    from mediation.ui.case_view import CaseWindow
    from mediation.ui.documents_tab import DocumentsTab
    from tests.ui.conftest import type_text, wait_ops

    window.activateWindow()
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(type(w).__name__ == "IntakeDialog" and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5_000)
    dlg = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "IntakeDialog")
    qtbot.waitUntil(dlg.is_ready, timeout=5_000)  # the form is greyed out until loaded
    applicant, respondent = dlg.party_editors()
    type_text(applicant.name.editor, "欧阳明")
    type_text(respondent.name.editor, "诸葛亮")
    type_text(dlg.facts.editor, "宿舍内发生口角，申请人眼镜被打碎。")
    dlg.category.set_value("损害赔偿")
    with qtbot.waitSignal(dlg.case_saved, timeout=10_000) as saved:
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    case_id = saved.args[0]
    qtbot.waitUntil(lambda: case_id in window.case_windows(), timeout=5_000)
    case_window = window.case_windows()[case_id]
    assert isinstance(case_window, CaseWindow) and case_window.isVisible()
    qtbot.waitUntil(lambda: case_window.detail is not None, timeout=10_000)
    assert "欧阳明" in case_window.windowTitle() or case_window.detail.parties[0].name == "欧阳明"
    tabs = [case_window.tabs.widget(i) for i in range(case_window.tabs.count())]
    assert any(isinstance(t, DocumentsTab) for t in tabs)
    wait_ops(qtbot)
    case_window.close()


def test_common_dispute_categories_read_in_full_at_1366(qtbot, sqlite_db, desk, ui_state: UiState,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 28: the 纠纷类别 column was cut to 100 px ("损害赔偿 / 财…") to make room the parties
    column then took anyway (it stretches)."""
    from mediation.services import cases
    from mediation.ui.models.case_table_model import COL_CATEGORY
    from tests.factories import dispute, person
    from tests.ui.conftest import accept

    kinds = [("损害赔偿", "财物损坏"), ("劳动争议", "兼职/实习"), ("合同", "网购/消费"), ("房屋宅基地", "租房")]
    with sqlite_db.write() as s:
        ids = [cases.register_case(s, desk.volunteer, dispute(
            category=category, subcategory=sub,
            parties=[person("applicant", "阿卜杜拉·买买提", seq=300 + i),
                     person("respondent", "古丽米娜·艾尔肯", seq=400 + i, phone="13900139000")])).id
            for i, (category, sub) in enumerate(kinds)]
    for case_id in ids:
        accept(sqlite_db, desk, case_id)  # numbered: （2026）X警校调字第001号 is what the column shows
    from PySide6.QtCore import QRect

    from mediation.ui import window_fit

    monkeypatch.setattr(window_fit, "available_geometry", lambda _w: QRect(0, 0, 1366, 768))
    w = MainWindow(AppContext(sqlite_db, desk.volunteer), ui_state)
    qtbot.addWidget(w)
    w.show()  # maximised on the desks' 1366×768 screens, with the filter bar and the today panel open
    w.showNormal()
    w.setGeometry(0, 0, 1366, 768)
    w._autosize_pending = True
    wait_loaded(qtbot, w)
    w.autosize_columns()
    fm = w.table.fontMetrics()
    width = w.table.horizontalHeader().sectionSize(COL_CATEGORY)
    for row in range(w.model.rowCount()):
        text = w.model.index(row, COL_CATEGORY).data()
        assert fm.horizontalAdvance(text) + 12 <= width, text
    assert w.table.horizontalHeader().sectionSize(COL_PARTIES) >= 120


def test_sort_arrows_are_qts_and_match_the_rows(qtbot, window: MainWindow) -> None:
    """Item 28: the arrow is Qt's own (the header is not repainted by us): a click on a new column
    sorts ascending, the arrow Qt draws for it (QStyleOptionHeader.SortDown, "▼" in Fusion)
    goes with rows in ascending order, and a second click turns both round."""
    from PySide6.QtWidgets import QStyleOptionHeader

    hh = window.table.horizontalHeader()
    rect = hh.sectionViewportPosition(COL_DEADLINE)
    qtbot.mouseClick(hh.viewport(), Qt.MouseButton.LeftButton,
                     pos=hh.viewport().rect().topLeft() + QPoint(rect + 10, hh.height() // 2))
    qtbot.waitUntil(lambda: window.model.query.sort == "deadline" and not window.model.loading, timeout=10_000)
    assert hh.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder and not window.model.query.descending
    option = QStyleOptionHeader()
    hh.initStyleOptionForIndex(option, COL_DEADLINE)
    assert option.sortIndicator == QStyleOptionHeader.SortIndicator.SortDown
    dates = [d for d in (window.model.item(r).deadline for r in range(12)) if d is not None]
    assert dates == sorted(dates) and dates
    qtbot.mouseClick(hh.viewport(), Qt.MouseButton.LeftButton,
                     pos=hh.viewport().rect().topLeft() + QPoint(rect + 10, hh.height() // 2))
    qtbot.waitUntil(lambda: window.model.query.descending and not window.model.loading, timeout=10_000)
    hh.initStyleOptionForIndex(option, COL_DEADLINE)
    assert option.sortIndicator == QStyleOptionHeader.SortIndicator.SortUp
    dates = [d for d in (window.model.item(r).deadline for r in range(12)) if d is not None]
    assert dates == sorted(dates, reverse=True) and dates
