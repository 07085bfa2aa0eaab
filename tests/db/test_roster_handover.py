"""交接班: at check-out the handover lists exactly the volunteer's due items (built here by hand),
the note is kept, the next person acknowledges it, and the unacknowledged ones reach the adviser."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from mediation import workflow
from mediation.db import Database
from mediation.documents import render
from mediation.errors import Conflict, PermissionDenied
from mediation.services import case_records, cases, roster
from mediation.services.case_records import SessionInput
from mediation.services.cases import AgreementInput
from mediation.services.roster import handover, overview
from tests.conftest import Desk
from tests.factories import dispute, document_on, person
from tests.roster_fixtures import NAMES, WEEK, assign, at, desk_time, enrol, open_term, slot

MON, TUE = WEEK, WEEK + dt.timedelta(days=1)


def _case(s, desk: Desk, who, i: int, *, track: str = workflow.PEOPLE, mediator=None) -> int:
    ref = cases.register_case(s, who, dispute(parties=[person("applicant", "申请人" + NAMES[i], seq=300 + i),
                                                      person("respondent", "被申请人" + NAMES[i], seq=400 + i)]))
    cases.choose_track(s, desk.officer, ref.id, track)
    cases.assign_mediator(s, desk.officer, ref.id, (mediator or who).user_id)
    cases.accept_case(s, desk.officer, ref.id)
    return ref.id


def test_the_handover_lists_exactly_the_due_items(db: Database, desk: Desk) -> None:
    term_id = open_term(db, desk.admin)
    a, b = enrol(db, desk.admin, term_id, 2)
    shift = assign(db, desk.admin, slot(db, desk.admin, term_id, 1, "13:00", "17:00"), a.actor.user_id)
    people = SimpleNamespace(volunteer=a.actor, officer=desk.officer)
    with desk_time(MON, 10), db.write() as s:
        due = _case(s, desk, a.actor, 1, track=workflow.POLICE)  # first session within 3 working days: Thursday
        not_due = _case(s, desk, a.actor, 2)  # a month to go
        others = _case(s, desk, b.actor, 3, track=workflow.POLICE)  # due, but b's
        returning = _case(s, desk, a.actor, 4)
        case_records.add_session_record(s, a.actor, returning, SessionInput(held_at=at(MON, 9), content="双方陈述",
                                                                              result="continued"))
        settled = _case(s, desk, a.actor, 5)
        case_records.add_session_record(s, a.actor, settled, SessionInput(held_at=at(MON, 9), content="达成一致",
                                                                            result="agreed"))
        performing = _case(s, desk, a.actor, 6)
        cases.record_agreement(s, a.actor, performing, AgreementInput(
            kind="written", terms="退还押金2000元", performance_manner="微信转账", performance_place="联调中心",
            performance_deadline=TUE, signed=True))
        cases.enter_performing(s, a.actor, performing)
        later = _case(s, desk, a.actor, 7)
        cases.record_agreement(s, a.actor, later, AgreementInput(
            kind="written", terms="退还押金500元", performance_manner="现金", performance_place="联调中心",
            performance_deadline=TUE + dt.timedelta(days=20), signed=True))
        cases.enter_performing(s, a.actor, later)
    with desk_time(MON, 11):
        submitted = document_on(db, people, not_due, "application", status="submitted")
        approved = document_on(db, people, returning, "application", status="approved")
        document_on(db, people, settled, "application", status="draft")  # a draft waits for nobody
    with desk_time(TUE, 13), db.write() as s:
        assert roster.check_in(s, a.actor) == shift
    with desk_time(TUE, 17), db.read() as s:
        items = handover.due_items(s, a.actor)
    got = [(i.kind, i.case_id) for i in items]
    assert got == [("deadline", due), ("document", not_due), ("document", returning), ("returning", returning),
                   ("follow_up", performing)]
    assert others not in {i.case_id for i in items}
    title = next(f.title for f in render.list_forms() if f.form == "application")
    assert [i.what for i in items if i.kind == "document"] == [f"{title}（待审批）", f"{title}（待签署定稿）"]
    assert submitted != approved
    with desk_time(TUE, 17), db.write() as s:
        signed = handover.check_out_with_handover(s, a.actor, shift, note="下午三点张同学来取押金收据，已承诺代为转交。")
    assert signed.extra_minutes == 0
    with desk_time(TUE, 17, 5), db.read() as s:
        waiting = handover.open_handovers(s, b.actor)
        mine = handover.open_handovers(s, a.actor)  # the author does not acknowledge their own
    assert [h.id for h in waiting] == [signed.handover_id] and mine == []
    assert [(i.kind, i.case_id) for i in waiting[0].items] == got
    assert waiting[0].note.startswith("下午三点") and waiting[0].author == a.actor.display_name
    with desk_time(TUE + dt.timedelta(days=1), 9), db.read() as s:
        ov = overview.term_overview(s, desk.adviser, term_id)
    assert [h.id for h in ov.handovers] == [signed.handover_id]  # the adviser sees it unacknowledged
    with db.write() as s, pytest.raises(PermissionDenied):
        handover.acknowledge(s, a.actor, signed.handover_id)
    with desk_time(TUE + dt.timedelta(days=1), 9), db.write() as s:
        handover.acknowledge(s, b.actor, signed.handover_id)
    with db.write() as s, pytest.raises(Conflict):
        handover.acknowledge(s, desk.officer, signed.handover_id)
    with desk_time(TUE + dt.timedelta(days=1), 9, 5), db.read() as s:
        assert handover.open_handovers(s, b.actor) == []
        assert overview.term_overview(s, desk.adviser, term_id).handovers == []
        recent = handover.recent_handovers(s, desk.adviser)
    assert recent[0].acknowledged_by == b.actor.display_name


def test_a_handover_with_nothing_due_still_carries_the_note(db: Database, desk: Desk) -> None:
    term_id = open_term(db, desk.admin)
    a, b = enrol(db, desk.admin, term_id, 2)
    with desk_time(TUE, 15), db.write() as s:
        shift = roster.check_in(s, a.actor)  # unscheduled
    with desk_time(TUE, 16), db.write() as s:
        done = handover.check_out_with_handover(s, a.actor, shift, note="无")
    with desk_time(TUE, 16), db.read() as s:
        view = handover.open_handovers(s, b.actor)[0]
    assert (view.items, view.note, done.extra_minutes) == ([], "无", 60)
