"""The weekly timetable: slots, assigning, copying a week, importing one from Excel, the week's
conflicts and coverage, the printable rota (PDF and XLSX), and a swap from ask to approval."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from mediation.db import Database
from mediation.errors import Conflict, PermissionDenied, ValidationError
from mediation.models import DutyShift
from mediation.services.roster import swaps, timetable
from tests.conftest import Desk
from tests.roster_fixtures import TERM_START, WEEK, assign, desk_time, enrol, open_term, slot, xlsx

NEXT = WEEK + dt.timedelta(days=7)


@pytest.fixture
def week(db: Database, desk: Desk) -> tuple[int, list, dict[str, int]]:
    term_id = open_term(db, desk.admin, min_students=2, min_officers=1, max_weekly_hours=5)
    students = enrol(db, desk.admin, term_id, 4)
    slots = {"mon_am": slot(db, desk.admin, term_id, 0, "09:00", "12:00"),
             "mon_mid": slot(db, desk.admin, term_id, 0, "11:00", "14:00", min_officers=0),
             "tue_am": slot(db, desk.admin, term_id, 1, "09:00", "12:00")}
    return term_id, students, slots


def test_conflicts_and_coverage_of_the_week(db: Database, desk: Desk, week) -> None:
    term_id, (a, b, c, _d), slots = week
    for user in (a, b):
        assign(db, desk.admin, slots["mon_am"], user.actor.user_id)
    assign(db, desk.admin, slots["mon_am"], desk.officer.user_id)
    assign(db, desk.admin, slots["mon_mid"], a.actor.user_id)  # a: 11–12 twice, and 6 h > 5 h
    assign(db, desk.admin, slots["tue_am"], c.actor.user_id)
    with desk_time(TERM_START, 9), db.write() as s:
        from mediation.services.roster import volunteers

        volunteers.set_status(s, desk.admin, c.volunteer_id, "suspended", reason="生病")
    with desk_time(TERM_START, 9), db.read() as s:
        table = timetable.week_timetable(s, desk.admin, term_id, WEEK + dt.timedelta(days=2))
    assert table.week == WEEK
    kinds = sorted(p.kind for p in table.problems)
    assert kinds == ["not_on_duty", "over_weekly", "overlap", "understaffed", "understaffed"]
    cov = {(cell.slot.id, cell.day): cell.coverage for cell in table.cells}
    assert cov[(slots["mon_am"], WEEK)].covered
    mid = cov[(slots["mon_mid"], WEEK)]
    assert (mid.students, mid.students_needed, mid.officers_needed, mid.covered) == (1, 2, 0, False)
    tue = cov[(slots["tue_am"], WEEK + dt.timedelta(days=1))]
    assert (tue.students, tue.officers, tue.covered) == (1, 0, False)
    cell = next(x for x in table.cells if x.slot.id == slots["mon_mid"])
    assert [(p.name, set(p.flags)) for p in cell.people] == [(a.actor.display_name, {"overlap", "over_weekly"})]
    assert table.times() == [(540, 720), (660, 840)]
    assert [cand.user_id for cand in table.candidates if cand.role == "officer"] == [desk.officer.user_id]


def test_assigning_refuses_a_duplicate_an_outsider_and_the_past(db: Database, desk: Desk, week) -> None:
    _term_id, (a, b, _c, _d), slots = week
    assign(db, desk.admin, slots["mon_am"], a.actor.user_id)
    with pytest.raises(Conflict):
        assign(db, desk.admin, slots["mon_am"], a.actor.user_id)
    with pytest.raises(ValidationError) as exc:
        assign(db, desk.admin, slots["mon_am"], desk.volunteer.user_id)  # an account not on the term's list
    assert "名单" in exc.value.message
    with desk_time(NEXT, 13), db.write() as s, pytest.raises(ValidationError):
        timetable.assign(s, desk.admin, slots["mon_am"], NEXT, b.actor.user_id)  # that shift is over
    with desk_time(TERM_START, 9), db.write() as s, pytest.raises(PermissionDenied):
        timetable.assign(s, a.actor, slots["mon_am"], NEXT, b.actor.user_id)


def test_copy_last_week_and_move_by_dragging(db: Database, desk: Desk, week) -> None:
    term_id, (a, b, c, _d), slots = week
    first = assign(db, desk.admin, slots["mon_am"], a.actor.user_id)
    assign(db, desk.admin, slots["tue_am"], b.actor.user_id)
    assign(db, desk.admin, slots["mon_am"], c.actor.user_id, week=NEXT)  # already there: kept
    with desk_time(TERM_START, 9), db.write() as s:
        copied = timetable.copy_week(s, desk.admin, term_id, WEEK, [NEXT, NEXT + dt.timedelta(days=7)])
    assert (copied.created, copied.skipped) == (4, 0)
    with desk_time(TERM_START, 9), db.read() as s:
        table = timetable.week_timetable(s, desk.admin, term_id, NEXT)
    on = {(cell.slot.id, p.name) for cell in table.cells for p in cell.people}
    assert on == {(slots["mon_am"], a.actor.display_name), (slots["mon_am"], c.actor.display_name),
                  (slots["tue_am"], b.actor.display_name)}
    with desk_time(TERM_START, 9), db.write() as s:
        again = timetable.copy_week(s, desk.admin, term_id, WEEK, [NEXT])
    assert (again.created, again.skipped) == (0, 2)
    with desk_time(TERM_START, 9), db.write() as s:
        moved = timetable.move(s, desk.admin, first, slots["tue_am"], WEEK)
    with db.read() as s:
        assert s.get(DutyShift, first) is None
        assert s.get(DutyShift, moved).slot_id == slots["tue_am"]  # type: ignore[union-attr]


def test_import_a_week_from_excel(db: Database, desk: Desk, week, tmp_path: Path) -> None:
    term_id, (a, b, c, d), slots = week
    path = xlsx(tmp_path / "值班表.xlsx", [
        ["星期", "时段", "学号", "姓名"],
        ["星期一", "09:00-12:00", a.username, a.actor.display_name],  # row 2
        ["周二", "9:00–12:00", None, b.actor.display_name],  # row 3: by name
        ["周三", "09:00-12:00", c.username, ""],  # row 4: no such slot
        ["星期八", "09:00-12:00", d.username, ""],  # row 5: bad weekday
        ["周一", "09:00-12:00", "20999999", ""],  # row 6: unknown student
        ["周一", "上午", d.username, ""],  # row 7: bad time
        ["周一", "11:00-14:00", None, "王警官"],  # row 8: an officer, by name
    ])
    with desk_time(TERM_START, 9), db.write() as s:
        result = timetable.import_week(s, desk.admin, term_id, WEEK, path)
    assert result.created == 3
    assert [(p.row, p.column) for p in result.problems] == [(4, "时段"), (5, "星期"), (6, "学号"), (7, "时段")]
    with db.read() as s:
        people = {(sh.slot_id, sh.user_id) for sh in s.scalars(select(DutyShift))}
    assert people == {(slots["mon_am"], a.actor.user_id), (slots["tue_am"], b.actor.user_id),
                      (slots["mon_mid"], desk.officer.user_id)}


def test_the_printable_rota(db: Database, desk: Desk, week, tmp_path: Path) -> None:
    term_id, (a, b, _c, _d), slots = week
    assign(db, desk.admin, slots["mon_am"], a.actor.user_id)
    assign(db, desk.admin, slots["mon_am"], desk.officer.user_id)
    assign(db, desk.admin, slots["tue_am"], b.actor.user_id)
    with desk_time(TERM_START, 9), db.read() as s:
        pdf = timetable.rota_pdf(s, desk.admin, term_id, WEEK)
        data = timetable.rota_xlsx(s, desk.admin, term_id, WEEK)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = reader.pages[0].extract_text()
    for word in ("值班表", "星期一", a.actor.display_name, b.actor.display_name, "〔民警〕", "王警官", "09:00"):
        assert word in text
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    grid = [[cell.value for cell in row] for row in ws.iter_rows(min_row=3)]
    assert grid[0][1].startswith("星期一") and grid[1][0] == "09:00\n12:00"
    assert grid[1][1] == f"{a.actor.display_name}\n〔民警〕\n王警官" and grid[1][2] == b.actor.display_name


def test_a_swap_asked_accepted_and_approved(db: Database, desk: Desk, week) -> None:
    _term_id, (a, b, c, _d), slots = week
    mine = assign(db, desk.admin, slots["mon_am"], a.actor.user_id)
    theirs = assign(db, desk.admin, slots["tue_am"], b.actor.user_id)
    with desk_time(TERM_START, 9), db.write() as s:
        swap_id = swaps.ask_swap(s, a.actor, mine, b.actor.user_id, colleague_shift_id=theirs, note="周一有课")
    with db.write() as s, pytest.raises(PermissionDenied):
        swaps.answer_swap(s, c.actor, swap_id, accept=True)  # only the colleague asked
    with db.write() as s, pytest.raises(Conflict):
        swaps.decide_swap(s, desk.adviser, swap_id, approve=True)  # not accepted yet
    with desk_time(TERM_START, 10), db.write() as s:
        swaps.answer_swap(s, b.actor, swap_id, accept=True)
    with db.read() as s:
        assert s.get(DutyShift, mine).user_id == a.actor.user_id  # type: ignore[union-attr]  # not before approval
        assert [w.status for w in swaps.list_swaps(s, desk.adviser, status=("accepted",))] == ["accepted"]
    with db.write() as s, pytest.raises(PermissionDenied):
        swaps.decide_swap(s, b.actor, swap_id, approve=True)
    with desk_time(TERM_START, 11), db.write() as s:
        swaps.decide_swap(s, desk.adviser, swap_id, approve=True)
    with db.read() as s:
        assert s.get(DutyShift, mine).user_id == b.actor.user_id  # type: ignore[union-attr]
        assert s.get(DutyShift, theirs).user_id == a.actor.user_id  # type: ignore[union-attr]
        views = swaps.list_swaps(s, a.actor, mine=True)
    assert [(w.status, w.status_label) for w in views] == [("approved", "已换班")]


def test_a_swap_for_a_shift_that_began_is_refused(db: Database, desk: Desk, week) -> None:
    _term_id, (a, b, c, _d), slots = week
    mine = assign(db, desk.admin, slots["mon_am"], a.actor.user_id)
    with desk_time(WEEK, 9, 30), db.write() as s, pytest.raises(Conflict):
        swaps.ask_swap(s, a.actor, mine, b.actor.user_id)
    with desk_time(TERM_START, 9), db.write() as s, pytest.raises(PermissionDenied):
        swaps.ask_swap(s, b.actor, mine, c.actor.user_id)  # not b's shift
