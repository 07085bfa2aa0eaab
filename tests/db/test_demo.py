"""Demo data: generated people, consistent histories, numbers, both writing modes."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import func, select, text

from mediation import demo, validation, workflow
from mediation.demo import bulk_writer, helper, planner
from mediation.models import (
    AuditLog,
    Case,
    CaseEvent,
    FollowUp,
    NumberSequence,
    Party,
    SessionRecord,
)
from mediation.permissions import Actor
from mediation.services import audit, case_detail, caselist, cases, setup
from mediation.workdays import WorkCalendar
from tests.factories import dispute

NOW = dt.datetime(2026, 6, 1, 4, 0, tzinfo=dt.UTC)


def _check_histories(db: Any, *, one_run: bool = True) -> None:  # one checklist
    """What every generated case must satisfy, whichever way it was written.

    ``one_run``: all cases come from one demo run, so numbers follow acceptance order
    (a later run continues each year's sequence after the numbers already given).
    """
    with db.read() as s:
        rows = s.execute(select(Case)).scalars().all()
        sessions = dict(s.execute(select(SessionRecord.case_id, func.count()).group_by(SessionRecord.case_id)).all())
        follow_ups = dict(s.execute(select(FollowUp.case_id, func.count()).group_by(FollowUp.case_id)).all())
        first_events = dict(s.execute(select(CaseEvent.case_id, func.min(CaseEvent.id)).group_by(CaseEvent.case_id)).all())
        kinds = dict(s.execute(select(CaseEvent.id, CaseEvent.kind).where(CaseEvent.id.in_(first_events.values()))).all())
        last_stage: dict[int, str] = {}
        for case_id, stage_to in s.execute(select(CaseEvent.case_id, CaseEvent.stage_to)
                                           .where(CaseEvent.stage_to.is_not(None)).order_by(CaseEvent.id)):
            last_stage[case_id] = stage_to
        by_year: dict[int, list[tuple[Any, int]]] = defaultdict(list)
        for c in rows:
            assert kinds[first_events[c.id]] == "registered"
            assert last_stage[c.id] == c.stage, c.id
            if c.accepted_at is not None:
                assert c.number and c.year and c.seq and c.number.endswith(f"第{c.seq:03d}号")
                by_year[c.year].append((c.accepted_at, c.seq))
            else:
                assert c.number is None and c.seq is None
            if c.stage in (workflow.MEDIATING, workflow.AGREED, workflow.PERFORMING) and c.track == workflow.POLICE:
                assert sessions.get(c.id, 0) >= 1
            if c.stage == workflow.PERFORMING:
                assert follow_ups.get(c.id, 0) >= 1 and c.agreement_signed_at is not None
            if c.stage in (workflow.CLOSED, workflow.ARCHIVED):
                assert c.result in workflow.RESULTS and c.closed_at is not None
                if c.result == "success":
                    assert c.agreement_kind in ("written", "oral") and c.performance_status in ("performed", "breached")
            if c.stage == workflow.ARCHIVED:
                assert c.archived_at is not None
            if c.stage in workflow.OPEN_STAGES - {workflow.REGISTERED, workflow.TERMINATED} and c.track:
                assert c.deadline is not None and c.deadline_label
            assert c.registered_at <= (c.accepted_at or c.registered_at) <= (c.closed_at or dt.datetime.max.replace(tzinfo=dt.UTC))
        seqs = {(y, k): v for y, k, v in s.execute(select(NumberSequence.year, NumberSequence.kind,
                                                          NumberSequence.last_value))}
        for year, taken in by_year.items():
            # Gapless, matching the sequence, and given in order of acceptance.
            assert sorted(q for _a, q in taken) == list(range(1, len(taken) + 1))
            assert seqs[(year, "case")] == len(taken)
            if one_run:
                assert [q for _a, q in sorted(taken)] == sorted(q for _a, q in taken)
        for p in s.execute(select(Party)).scalars():
            if p.kind == "person":
                assert validation.person_name(p.name) == p.name
            if p.id_type == "resident_id":
                assert validation.resident_id(p.id_number) == p.id_number
                assert validation.birth_date_from_resident_id(p.id_number) == p.birth_date
            if p.phone:
                assert validation.phone(p.phone) == p.phone
        assert audit.verify(s).ok


def test_small_demo_goes_through_the_services(db, desk):
    summary = demo.generate(db, cases=24, seed=5)
    assert summary.mode == "services" and summary.cases == 24
    assert set(summary.by_stage) == set(workflow.STAGES)  # every stage
    assert {workflow.PEOPLE, workflow.POLICE, workflow.REFER} <= set(summary.by_track)
    _check_histories(db)
    with db.read() as s:
        actions = set(s.scalars(select(AuditLog.action)))
        assert {"case.register", "case.accept", "case.session", "case.agreement", "case.close",
                "case.archive", "consultation.log"} <= actions
        oldest = s.scalar(select(func.min(Case.registered_at)))
        assert oldest < dt.datetime.now(dt.UTC) - dt.timedelta(days=200)  # spread over two years
        some = s.scalar(select(Case.id).where(Case.stage == workflow.ARCHIVED).limit(1))
        detail = case_detail.get_case(s, desk.officer, some)
        assert detail.events and detail.parties and detail.sessions and detail.follow_ups


def test_demo_timelines_carry_the_times_of_their_story(db, desk):
    """Issue 12 item 26: every stamp of a replayed step is the step's moment, not generation time."""
    demo.generate(db, cases=15, seed=11, now=NOW)
    with db.read() as s:
        registered = {i: at for i, at in s.execute(select(Case.id, Case.registered_at))}
        events = s.execute(select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.at).order_by(CaseEvent.id)).all()
        created = s.scalars(select(Case.created_at)).all() + s.scalars(select(SessionRecord.created_at)).all()
        stamps = s.scalars(select(AuditLog.at).where(AuditLog.case_id.is_not(None))).all()
    assert events and all(at <= NOW for _c, _k, at in events)
    assert all(at <= NOW for at in created) and max(stamps) <= NOW
    for case_id, kind, at in events:
        assert at >= registered[case_id]
        if kind == "registered":
            assert at == registered[case_id]
    # A case registered weeks before NOW has its events then, not all at one instant.
    old = [c for c, at in registered.items() if at < NOW - dt.timedelta(days=60)]
    assert old and all(len({at for c, _k, at in events if c == case_id}) > 1
                       for case_id in old if sum(1 for c, _k, _a in events if c == case_id) > 1)


def test_demo_makes_its_own_staff_on_a_fresh_desk(sqlite_db):
    with sqlite_db.write() as s:
        setup.initialise(s, desk_name="演示大学警校联调中心", number_prefix="D警校调字",
                         admin_username="admin", admin_display_name="管理员", admin_password="admin1234")
    summary = demo.generate(sqlite_db, cases=12, seed=1)
    assert summary.cases == 12
    with sqlite_db.read() as s:
        roles = s.execute(text("SELECT role, count(*) FROM user_account GROUP BY role")).all()
    assert {r for r, _n in roles} >= {"officer", "volunteer", "admin"}


def test_bulk_demo_writes_what_the_services_would(db, desk):
    summary = demo.generate(db, cases=400, seed=7, bulk_threshold=100, parallel=False)
    assert summary.mode == "bulk" and summary.cases == 400 and summary.audit_rows == 1
    assert set(summary.by_stage) == set(workflow.STAGES)
    assert summary.consultations >= 100
    _check_histories(db)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "demo.generate")) == 1
        if db.dialect == "sqlite":
            assert s.execute(text("PRAGMA foreign_key_check")).all() == []
            triggers = s.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all()
            assert {"case_fts_ai", "case_fts_ad", "case_fts_au"} <= set(triggers)
        # Found by search, by name (short) and by a stretch of its facts (trigram).
        c = s.execute(select(Case).where(Case.stage == workflow.ARCHIVED).limit(1)).scalar_one()
        name = c.party_names.split(" / ")[0].split("、")[0]
        assert c.id in [r.id for r in caselist.search(s, desk.officer, name, limit=500)]
        assert c.id in [r.id for r in caselist.search(s, desk.officer, c.facts[5:17], limit=500)]
        assert c.id in [r.id for r in caselist.search(s, desk.officer, c.number or "", limit=5)]
        detail = case_detail.get_case(s, desk.officer, c.id)
        assert detail.number == c.number and detail.events[0].kind == "registered"
    # Ids continue after existing rows: a second run adds to the first.
    again = demo.generate(db, cases=150, seed=8, bulk_threshold=100, parallel=False)
    assert again.first_case_id == summary.last_case_id + 1
    _check_histories(db, one_run=False)
    with db.write() as s:  # the ordinary path still works afterwards
        ref = cases.register_case(s, desk.volunteer, dispute())
        cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
        cases.accept_case(s, desk.officer, ref.id)
    _check_histories(db, one_run=False)


def test_cancelled_bulk_demo_leaves_nothing(sqlite_db):
    with sqlite_db.write() as s:
        setup.initialise(s, desk_name="演示大学", number_prefix="C警校调字", admin_username="admin",
                         admin_display_name="管理员", admin_password="admin1234")
    demo.generate(sqlite_db, cases=5, seed=2)  # staff exist now

    def cancel(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        demo.generate(sqlite_db, cases=300, seed=3, bulk_threshold=100, parallel=False, progress=cancel)
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 5
        triggers = s.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all()
        assert {"case_fts_ai", "case_fts_ad", "case_fts_au"} <= set(triggers)
        assert s.execute(text("PRAGMA cache_size")).scalar() == -2000


def _setup(cases: int = 300) -> Any:
    staff = demo.DemoStaff((Actor(2, "o", "王警官", "officer", 1),),
                           (Actor(3, "v", "李同学", "volunteer", 1), Actor(4, "w", "赵同学", "volunteer", 1)))
    return bulk_writer.BulkSetup(
        seed=99, now=NOW, cases=cases, consultations=40, desk_id=1, prefix="X警校调字", staff=staff,
        ids={name: 0 for name in bulk_writer.COLUMNS}, sequences={2024: 0, 2025: 0, 2026: 0},
        calendar=WorkCalendar(), rules=workflow.DEFAULT_DEADLINE_RULES, dialect="sqlite", language="zh_CN")


def test_helper_process_makes_the_same_rows():
    here = list(bulk_writer.batches(_setup()))
    there = list(helper.batches_from_helper(_setup()))
    assert [b.rows for b in here] == [b.rows for b in there]
    assert sum(b.cases for b in here) == 300


def test_the_helper_is_a_hidden_command_of_the_program(monkeypatch):
    """Issue 14 item 5: a frozen bundle has no Python to run ``-c`` with; the program itself
    runs the helper, and both entry points hand the hidden command to it first."""
    assert helper.command() == [sys.executable, "-m", "mediation", "_demo-helper"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert helper.command() == [sys.executable, "_demo-helper"]
    monkeypatch.delattr(sys, "frozen")
    # The command line's main dispatches it (here without PYTHONPATH: the package is found
    # the way the program finds it).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for entry in ("from mediation.cli import main; raise SystemExit(main())",
                  "from mediation.ui.app import main; raise SystemExit(main())"):
        done = subprocess.run([sys.executable, "-c", entry, "_demo-helper"], input=b"not a pickle",
                              capture_output=True, env=env, timeout=60)
        assert done.returncode == 0
        assert "UnpicklingError" in pickle.loads(done.stdout)  # the helper answered, in its protocol


def test_without_a_helper_the_rows_are_made_in_this_process(monkeypatch, caplog):
    monkeypatch.setattr(helper, "command", lambda: ["/nonexistent/mediation-helper", "_demo-helper"])
    with caplog.at_level("WARNING", logger="mediation.demo.helper"):
        made = list(helper.batch_source(_setup(120), parallel=True))
    assert sum(b.cases for b in made) == 120
    assert [b.rows for b in made] == [b.rows for b in bulk_writer.batches(_setup(120))]
    assert "making the rows in this process" in caplog.text


def test_generated_people_look_real_and_are_made_up():
    plans = planner.Planner(4, NOW, 2, 6, 3000, 0)
    people = [p for plan in plans.forced + list(plans.regular()) for _r, p, _x in plan.dispute.parties]
    names = {p.name for p in people if p.kind == "person"}
    assert any(n[:2] in ("欧阳", "司马", "诸葛", "上官") for n in names)
    assert any(len(n) == 2 for n in names) and any("·" in n for n in names)
    assert any(ch in n for n in names for ch in ("䶮", "𠮷", "㛃"))
    ids = [p.id_number for p in people if p.id_type == "resident_id"]
    assert len(ids) > 3000
    for number in ids:
        assert number[17] == validation.resident_id_check_char(number[:17])
    assert any(p.id_type == "passport" for p in people) and any(p.kind == "org" for p in people)
