"""抽卷评查 as people do it: the officer draws closed cases and records findings; the volunteer sees them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediation.db import Database
from mediation.services import case_review, cases
from mediation.timeutil import clock_at
from mediation.ui.case_review_window import CaseReviewWindow
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.state import UiState
from mediation.ui.supervision import ReviewFindingsSection
from tests.conftest import Desk
from tests.factories import mediating_case
from tests.ui.conftest import type_text

CST = dt.timezone(dt.timedelta(hours=8))


def _terminated_cases(db: Database, desk: Desk, days: list[int]) -> list[int]:
    """People's-mediation cases the volunteer mediated, terminated and closed on those days of October 2026."""
    ids = []
    for d in days:
        with clock_at(dt.datetime(2026, 10, d, 10, 0, tzinfo=CST)), db.write() as s:
            case_id = mediating_case(s, desk)
            cases.terminate_case(s, desk.officer, case_id, reason="双方分歧较大。", routes="可向人民法院起诉。")
            cases.close_case(s, desk.officer, case_id)
        ids.append(case_id)
    return ids


def _click(qtbot: QtBot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_officer_draws_records_findings_and_the_volunteer_sees_them(qtbot: QtBot, sqlite_db: Database, desk: Desk,
                                                                    tmp_path: Path) -> None:
    closed = _terminated_cases(sqlite_db, desk, [9, 12, 13, 14])
    window = CaseReviewWindow(AppContext(sqlite_db, desk.officer))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "还没有抽取记录" in window.draw_info.text(), timeout=10_000)

    # October 2026, three cases, a seed the officer types (so the draw can be checked later).
    window.from_edit.set_value(dt.date(2026, 10, 1))
    window.to_edit.set_value(dt.date(2026, 10, 31))
    window.count_spin.setValue(3)
    type_text(window.seed_edit, "20261101")
    _click(qtbot, window.draw_button)
    qtbot.waitUntil(lambda: window.case_table.rowCount() == 3 and window.review is not None, timeout=10_000)
    assert "从 4 件中抽取 3 件" in window.draw_error.text()
    drawn = [window.current_draw().reviews[i].case_id for i in range(3)]
    assert drawn == case_review.pick(closed, 20261101, 3)
    assert "20261101" in window.draw_info.text()

    # The first case: the checklist is pre-filled (no documents at all → 文书 not met).
    review = window.review
    assert review is not None and review.case_id == drawn[0]
    docs_row = window.items[0]
    assert docs_row.key == "documents" and not docs_row.met.isChecked()
    assert "系统核对：不符合" in docs_row.hint.text() and "没有任何文书" in docs_row.hint.text()
    follow = window.items[3]
    assert follow.met.isChecked() and "无需回访" in follow.hint.text()
    signatures = window.items[2]  # nothing final to look at: the officer decides
    assert not signatures.met.isChecked() and "无法判断" in signatures.hint.text()

    # Saving without saying what is wrong is refused beside the item; nothing saved.
    _click(qtbot, window.save_button)
    qtbot.waitUntil(docs_row.error.isVisible, timeout=10_000)
    assert "写明问题" in docs_row.error.text() and signatures.error.isVisible()
    with sqlite_db.read() as s:
        assert case_review.get_review(s, desk.officer, review.id).status == case_review.PENDING

    signatures.met.setChecked(True)
    type_text(docs_row.note, "缺终止调解告知书。")
    type_text(window.other_edit, "卷宗目录未编页码。")
    _click(qtbot, window.save_button)
    qtbot.waitUntil(lambda: "发现 2 个问题" in window.draw_error.text(), timeout=10_000)
    qtbot.waitUntil(lambda: window.case_table.item(0, 3).text() == "发现 2 个问题", timeout=10_000)

    # The second case: everything confirmed as met.
    window.case_table.selectRow(1)
    qtbot.waitUntil(lambda: window.review is not None and window.review.case_id == drawn[1], timeout=10_000)
    docs_row.met.setChecked(True)
    signatures.met.setChecked(True)
    _click(qtbot, window.save_button)
    qtbot.waitUntil(lambda: "本案合格" in window.draw_error.text(), timeout=10_000)
    qtbot.waitUntil(lambda: window.case_table.item(1, 3).text() == "合格", timeout=10_000)

    with sqlite_db.read() as s:
        summary = case_review.summary(s, desk.officer, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert (summary.drawn, summary.reviewed, summary.with_findings) == (3, 2, 1)
    assert summary.by_kind["documents"] == 1 and summary.by_kind["other"] == 1

    # The volunteer who mediated the case sees the findings on the today panel.
    main = MainWindow(AppContext(sqlite_db, desk.volunteer), UiState(tmp_path / "ui.ini"))
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    section = next(s for s in main.today_panel.sections if isinstance(s, ReviewFindingsSection))
    qtbot.waitUntil(lambda: section.list.count() == 2 and section.isVisible(), timeout=10_000)
    texts = [section.list.item(i).text() for i in range(2)]
    assert texts[0].startswith("文书齐全且已定稿：缺终止调解告知书。")
    assert texts[1].startswith("其他问题：卷宗目录未编页码。")
    assert "（2）" in section.title()
    # The volunteer has no 督导 menu; the officer's main window has it.
    assert not main.supervision.menu.menuAction().isVisible()


def test_the_officer_opens_both_windows_from_the_menu(qtbot: QtBot, sqlite_db: Database, desk: Desk,
                                                      tmp_path: Path) -> None:
    main = MainWindow(AppContext(sqlite_db, desk.officer), UiState(tmp_path / "ui.ini"))
    qtbot.addWidget(main)
    main.show()
    menu = main.supervision
    assert menu.menu.menuAction().isVisible() and menu.audit_action.isVisible() and menu.review_action.isVisible()
    menu.audit_action.trigger()
    menu.review_action.trigger()
    from PySide6.QtWidgets import QApplication

    from mediation.ui.audit_viewer import AuditViewerWindow

    opened = {type(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
    assert {AuditViewerWindow, CaseReviewWindow} <= opened
    for w in QApplication.topLevelWidgets():
        if isinstance(w, (AuditViewerWindow, CaseReviewWindow)):
            w.close()


def test_a_period_without_closed_cases_is_said_where_the_draw_is_made(qtbot: QtBot, sqlite_db: Database,
                                                                      desk: Desk) -> None:
    window = CaseReviewWindow(AppContext(sqlite_db, desk.officer))
    qtbot.addWidget(window)
    window.show()
    window.from_edit.set_value(dt.date(2020, 1, 1))
    window.to_edit.set_value(dt.date(2020, 1, 31))
    _click(qtbot, window.draw_button)
    qtbot.waitUntil(window.draw_error.isVisible, timeout=10_000)
    qtbot.waitUntil(lambda: "没有已结案的案件" in window.draw_error.text(), timeout=10_000)
    type_text(window.seed_edit, "abc")
    _click(qtbot, window.draw_button)
    assert "随机种子应为整数" in window.draw_error.text()


def test_an_administrator_without_a_desk_picks_the_desk_to_draw_in(qtbot: QtBot, sqlite_db: Database,
                                                                   desk: Desk) -> None:
    import dataclasses

    from sqlalchemy import select

    from mediation.models import CaseReviewDraw
    from mediation.permissions import ADMIN, Actor
    from mediation.services import accounts, setup

    root = Actor(desk.admin.user_id, "admin", "管理员甲", ADMIN, None)  # the installation's administrator
    with sqlite_db.write() as s:
        second = setup.create_desk(s, root, name="第二联调中心", number_prefix="Y警校调字")
        made = {role: accounts.create_user(s, root, username=f"{role}2", display_name=f"乙{role}", role=role,
                                           password="Qiushi-Lake-42", desk_id=second)
                for role in ("officer", "volunteer")}
    # the second desk's officer closes two cases in October; the first desk's none
    their_officer = Actor(made["officer"], "officer2", "乙officer", "officer", second)
    their_volunteer = Actor(made["volunteer"], "volunteer2", "乙volunteer", "volunteer", second)
    theirs = _terminated_cases(sqlite_db, _as_desk(desk, second, their_officer, their_volunteer), [9, 12])
    window = CaseReviewWindow(AppContext(sqlite_db, root))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.desk_combo.count() == 2, timeout=10_000)
    assert window.desk_combo.isVisible() and window.draw_button.isEnabled()
    assert [window.desk_combo.itemText(i) for i in range(2)][1] == "第二联调中心"
    window.desk_combo.setCurrentIndex(1)
    window.from_edit.set_value(dt.date(2026, 10, 1))
    window.to_edit.set_value(dt.date(2026, 10, 31))
    window.count_spin.setValue(2)
    _click(qtbot, window.draw_button)
    qtbot.waitUntil(lambda: window.case_table.rowCount() == 2, timeout=10_000)
    assert "从 2 件中抽取 2 件" in window.draw_error.text()
    with sqlite_db.read() as s:
        assert s.scalars(select(CaseReviewDraw.desk_id)).all() == [second]
    assert sorted(r.case_id for r in window.current_draw().reviews) == sorted(theirs)

    # a roll-up account reads every desk and draws in none: no picker, the button off, said why
    roll_up = dataclasses.replace(desk.officer, desk_id=None, all_desks=True)
    window2 = CaseReviewWindow(AppContext(sqlite_db, roll_up))
    qtbot.addWidget(window2)
    window2.show()
    qtbot.waitUntil(lambda: "只能查看" in window2.draw_error.text(), timeout=10_000)
    assert not window2.draw_button.isEnabled() and not window2.desk_combo.isVisible()
    qtbot.waitUntil(lambda: window2.case_table.rowCount() == 2, timeout=10_000)  # it sees the draw
    assert window2.draw_list.item(0).text().startswith("2026-10-01 至 2026-10-31")  # one desk's draws: no name

    # a draw of the first desk too: the list names each draw's desk
    mine = _terminated_cases(sqlite_db, desk, [20])
    with sqlite_db.write() as s:
        case_review.draw_cases(s, desk.officer, period_from=dt.date(2026, 10, 1), period_to=dt.date(2026, 10, 31),
                               n=1, seed=3)
    window2.reload()
    qtbot.waitUntil(lambda: window2.draw_list.count() == 2, timeout=10_000)
    texts = sorted(window2.draw_list.item(i).text() for i in range(2))
    assert texts[0].startswith("测试大学警校联调中心：") and texts[1].startswith("第二联调中心：")
    assert mine

    # the desk's own officer: no picker, drawing in their desk
    window3 = CaseReviewWindow(AppContext(sqlite_db, desk.officer))
    qtbot.addWidget(window3)
    window3.show()
    qtbot.waitUntil(lambda: window3.desk_combo.count() == 1, timeout=10_000)
    assert not window3.desk_combo.isVisible() and window3.draw_button.isEnabled()


def _as_desk(desk: Desk, desk_id: int, officer, volunteer) -> Desk:  # type: ignore[no-untyped-def]
    other = object.__new__(type(desk))
    other.__dict__.update(desk.__dict__)
    other.desk_id, other.officer, other.volunteer = desk_id, officer, volunteer
    return other


def test_a_drawn_case_without_a_number_says_so_in_the_list(qtbot: QtBot, sqlite_db: Database, desk: Desk) -> None:
    """A declined application was never accepted, so it has no number: its row says （无编号）
    rather than leaving the officer an empty cell."""
    from tests.factories import dispute

    with clock_at(dt.datetime(2026, 10, 9, 10, 0, tzinfo=CST)), sqlite_db.write() as s:
        case_id = cases.register_case(s, desk.volunteer, dispute()).id
        cases.decline_case(s, desk.officer, case_id, reason="不属于人民调解的受理范围。")
    window = CaseReviewWindow(AppContext(sqlite_db, desk.officer))
    qtbot.addWidget(window)
    window.show()
    window.from_edit.set_value(dt.date(2026, 10, 1))
    window.to_edit.set_value(dt.date(2026, 10, 31))
    window.count_spin.setValue(1)
    _click(qtbot, window.draw_button)
    qtbot.waitUntil(lambda: window.case_table.rowCount() == 1, timeout=10_000)
    assert window.case_table.item(0, 1).text() == "（无编号）"
