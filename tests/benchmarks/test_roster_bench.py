"""Roster benchmarks (issue 16): the adviser's overview of a 45-student term on the
100,000-case database (≤ 100 ms), and one week's timetable with its conflicts and coverage
(≤ 20 ms).

The term is added to a copy of the core benchmarks' database (kept beside it, built once):
45 generated students (two not yet trained), 16 weekly slots (one overlapping another), two
students per slot for eight weeks with a few gaps, a student over the weekly maximum and one
in two overlapping slots; attendance with late arrivals, missed shifts and missed
check-outs; the demo cases registered during the term, with their session records,
investigations, follow-ups and documents, handed to the students in turn, and the term's
consultations answered by them. Figures are printed by the conftest's summary, beside the
raw replay of the same statements.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from mediation.db import Database
from mediation.errors import Conflict
from mediation.models import DutyShift, Term
from mediation.permissions import Actor
from mediation.services.roster import credentials, overview, terms, timetable, volunteers
from mediation.services.roster.terms import TermInput
from mediation.services.roster.timetable import SlotInput
from mediation.services.roster.volunteers import VolunteerInput
from mediation.timeutil import clock_at
from tests.benchmarks.conftest import NOW, BenchDB, Recorder, _upgrade_in_place, raw_connection, replay
from tests.benchmarks.results import keep

ROSTER_VERSION = "3"
STUDENTS = 45
TERM_START = dt.date(2026, 9, 7)  # a Monday; NOW (conftest) is Sunday 2026-11-01, noon at the desk
TERM_END = dt.date(2027, 1, 15)
WEEKS = 8  # scheduled weeks: 2026-09-07 … 2026-10-26
ROTA_WEEK = dt.date(2026, 10, 26)
TERM = "2026年秋季学期"
HEAVY_TERM = "对照学期（九成案件）"
IMPLS = ("api", "raw")


@dataclass
class RosterBench:
    path: Path
    db: Database
    adviser: Actor
    term_id: int
    heavy_term_id: int


def _monday(n: int) -> dt.date:
    return TERM_START + dt.timedelta(weeks=n)


def _populate(db: Database, admin: Actor) -> None:
    with clock_at(dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC)), db.write() as s:
        term_id = terms.create_term(s, admin, TermInput(TERM, TERM_START, TERM_END, min_students=2,
                                                       min_officers=0, max_weekly_hours=6.0))
        ids = [volunteers.add_volunteer(s, admin, term_id, VolunteerInput(
            name="基准" + "甲乙丙丁戊己庚辛壬癸"[i // 10] + "甲乙丙丁戊己庚辛壬癸"[i % 10], student_no=f"2024{i:04d}", class_name=f"法学24{i % 3 + 1:02d}", college="法学院",
            phone=f"1390000{i:04d}")) for i in range(STUDENTS)]
        credentials.create_accounts(s, admin, term_id, volunteer_ids=ids)
        for vid in ids[:-2]:  # the last two are not yet trained (flagged on the timetable)
            volunteers.record_training(s, admin, vid, held_on=dt.date(2026, 8, 30), minutes=8 * 60, topic="岗前培训")
        slot_ids = []
        for weekday in range(5):
            for start, end in ((9 * 60, 12 * 60), (14 * 60, 17 * 60), (18 * 60, 20 * 60)):
                slot_ids.append(timetable.add_slot(s, admin, term_id, SlotInput(weekday, start, end)))
        overlap = timetable.add_slot(s, admin, term_id, SlotInput(2, 11 * 60, 13 * 60, label="午间"))
        users = [v.user_id for v in volunteers.list_volunteers(s, admin, term_id)]
        assert all(u is not None for u in users)
        n = 0
        for week in range(WEEKS):
            for k, slot_id in enumerate(slot_ids):
                count = 1 if (week + k) % 9 == 4 else 2  # now and then understaffed
                for _j in range(count):
                    timetable.assign(s, admin, slot_id, _monday(week), users[n % STUDENTS])  # type: ignore[arg-type]
                    n += 1
            # one student in two overlapping slots (Wednesday 09:00–12:00 and 11:00–13:00) …
            wed = s.scalar(select(DutyShift.user_id).where(DutyShift.slot_id == slot_ids[6],
                                                           DutyShift.starts_at >= dt.datetime.combine(_monday(week), dt.time(), tzinfo=dt.UTC)).order_by(
                DutyShift.starts_at).limit(1))
            assert wed is not None
            timetable.assign(s, admin, overlap, _monday(week), wed)
            # … and one over the weekly maximum (6 h): four evening slots
            for slot_id in slot_ids[2:15:3][:4]:
                with contextlib.suppress(Conflict):  # already on it this week
                    timetable.assign(s, admin, slot_id, _monday(week), users[7])  # type: ignore[arg-type]
    with db.write() as s:
        # Attendance of the past shifts: most on time, some late, some missed, some not checked out.
        for i, shift in enumerate(s.scalars(select(DutyShift).where(DutyShift.ends_at <= NOW).order_by(DutyShift.id))):
            if i % 11 == 5:
                continue  # missed
            late = dt.timedelta(minutes=25) if i % 7 == 3 else dt.timedelta(minutes=-5)
            shift.checked_in_at = shift.starts_at + late
            shift.checked_out_at = shift.ends_at
            shift.auto_closed = i % 13 == 6
        term = s.get(Term, term_id)
        assert term is not None
        lo = dt.datetime(2026, 9, 6, 16, 0)  # the term's first day at the desk, naive UTC as stored
        hi = NOW.replace(tzinfo=None)
        heavy = terms.create_term(s, admin, TermInput(HEAVY_TERM, TERM_START, TERM_END))
    with clock_at(dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC)), db.write() as s:
        ids = [volunteers.add_volunteer(s, admin, heavy, VolunteerInput(
            name="对照" + "甲乙丙丁戊己庚辛壬癸"[i // 10] + "甲乙丙丁戊己庚辛壬癸"[i % 10], student_no=f"2025{i:04d}",
            class_name="法学2501", college="法学院", phone=f"1380000{i:04d}")) for i in range(STUDENTS)]
        credentials.create_accounts(s, admin, heavy, volunteer_ids=ids)
        others = [v.user_id for v in volunteers.list_volunteers(s, admin, heavy)]
    with db.write() as s:
        # The term's students take every tenth case registered during the term (about 21 each);
        # the comparison term's take the other nine tenths (about 190 each). Their records
        # (sessions as mediator and recorder, investigations, follow-ups, documents) follow the
        # case's mediator; consultations are shared out the same way.
        s.execute(text("CREATE TEMP TABLE bench_map (k INTEGER PRIMARY KEY, uid INTEGER)"))
        for k, uid in enumerate(users + others):
            s.execute(text("INSERT INTO bench_map VALUES (:k, :u)"), {"k": k, "u": uid})
        who = (f"(SELECT uid FROM bench_map WHERE k = CASE WHEN {{t}}.id % 10 = 0 THEN ({{t}}.id / 10) % {STUDENTS}"
               f" ELSE {STUDENTS} + {{t}}.id % {STUDENTS} END)")
        params = {"lo": lo, "hi": hi}
        s.execute(text(f"UPDATE mediation_case SET mediator_id = {who.format(t='mediation_case')},"
                       f" registered_by_id = {who.format(t='mediation_case')}"
                       " WHERE registered_at >= :lo AND registered_at < :hi"), params)
        mediator = "(SELECT c.mediator_id FROM mediation_case c WHERE c.id = {t}.case_id)"
        in_term = "case_id IN (SELECT id FROM mediation_case WHERE registered_at >= :lo AND registered_at < :hi)"
        for table, cols in (("session_record", ("mediator_id", "recorder_id")),
                            ("investigation_record", ("investigator_id",)), ("follow_up", ("user_id",)),
                            ("document", ("created_by_id",))):
            sets = ", ".join(f"{c} = {mediator.format(t=table)}" for c in cols)
            s.execute(text(f"UPDATE {table} SET {sets} WHERE {in_term}"), params)
        s.execute(text(f"UPDATE consultation SET answered_by_id = {who.format(t='consultation')}"
                       " WHERE asked_at >= :lo AND asked_at < :hi"), params)
        s.execute(text("DROP TABLE bench_map"))


def _build(source: Path, path: Path) -> None:
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(tmp))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    # The base database's audit key lived in the key file of the run that built it (a test
    # run's temporary one): the copy's chains go on with this run's key. Nothing here verifies
    # the chains; the benchmarks only read.
    raw = sqlite3.connect(str(tmp))
    try:
        raw.execute("UPDATE audit_head SET key_id = NULL")
        raw.commit()
    finally:
        raw.close()
    db = Database(f"sqlite:///{tmp}")
    try:
        with db.read() as s:
            from mediation.models import User
            from mediation.services.accounts import actor_for

            admin = actor_for(s.scalars(select(User).where(User.username == "admin")).one())
        _populate(db, admin)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    tmp.replace(path)


@pytest.fixture(scope="module")
def roster_bench(bench_db: BenchDB) -> Iterator[RosterBench]:
    path = bench_db.path.with_name(f"{bench_db.path.stem}-roster{ROSTER_VERSION}.sqlite3")
    if not path.exists():
        _build(bench_db.path, path)
    else:  # kept from a run of an older schema: brought up to this program's, as the base was
        _upgrade_in_place(f"sqlite:///{path}", bench_db.notes)
    db = Database(f"sqlite:///{path}")
    from mediation.models import User
    from mediation.services.accounts import actor_for

    with db.read() as s:
        adviser = actor_for(s.scalars(select(User).where(User.role == "adviser")).first())  # type: ignore[arg-type]
        ids = {t.name: t.id for t in s.scalars(select(Term))}
    yield RosterBench(path, db, adviser, ids[TERM], ids[HEAVY_TERM])
    db.dispose()


def _run(benchmark: Any, bench: RosterBench, impl: str, call: Any) -> Any:
    """``call(session)`` through the program at NOW, or its statements replayed raw."""
    if impl == "api":
        def once() -> Any:
            with clock_at(NOW), bench.db.read() as s:
                return call(s)
        return benchmark(once)
    recorder = Recorder(bench.db)
    with clock_at(NOW), bench.db.read() as s:
        recorder.record(lambda: call(s))
    conn = raw_connection(bench.path)
    try:
        benchmark(replay, conn, recorder.statements)
    finally:
        conn.close()
    return None


LOADS = {"term": f"roster: overview, {STUDENTS} students, a tenth of the term's cases",
         "heavy": f"roster: overview, {STUDENTS} students, nine tenths of the term's cases"}


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("load", sorted(LOADS))
def test_term_overview(benchmark: Any, roster_bench: RosterBench, load: str, impl: str) -> None:
    group = LOADS[load]
    benchmark.group = group
    term_id = roster_bench.term_id if load == "term" else roster_bench.heavy_term_id
    result = _run(benchmark, roster_bench, impl, lambda s: overview.term_overview(s, roster_bench.adviser, term_id))
    if impl == "api":
        assert len(result.students) == STUDENTS
        handled = sum(f.cases_handled for f in result.students)
        assert handled > (8000 if load == "heavy" else 800), handled  # the students really handled cases
        assert all(f.sessions for f in result.students)  # (the demo database holds no documents)
        if load == "term":
            assert sum(f.late for f in result.students) and sum(f.missed for f in result.students)
            assert all(f.kept for f in result.students)
    keep(group, impl, benchmark, target_ms=100)


@pytest.mark.parametrize("impl", IMPLS)
def test_week_timetable(benchmark: Any, roster_bench: RosterBench, impl: str) -> None:
    group = "roster: a week's timetable with conflicts"
    benchmark.group = group
    result = _run(benchmark, roster_bench, impl,
                  lambda s: timetable.week_timetable(s, roster_bench.adviser, roster_bench.term_id, ROTA_WEEK))
    if impl == "api":
        kinds = {p.kind for p in result.problems}
        assert {"overlap", "understaffed", "over_weekly", "untrained"} <= kinds, kinds
        assert len(result.cells) == 16
    keep(group, impl, benchmark, target_ms=20)
