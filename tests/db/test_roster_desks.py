"""Every roster service that takes an id keeps the desks apart.

:func:`id_inputs` finds every public function of ``mediation.services.roster.*`` with a
``*_id`` parameter (or a dataclass parameter with such a field, nested too, e.g. a
reassignment's ``Move.case_id``), by the same introspection as issue 11's table
(``tests/service_ids.py``). Each must be in :data:`CALLS` (a call passing that id) or in
:data:`EXEMPT` (with the reason). Each call runs twice as desk 1's people, in a transaction
rolled back: with desk 1's ids it gets past the desk check, with desk 2's it is refused
(NotFound or PermissionDenied; for an id inside a form, :data:`FIELD`, a message on that
field). ``tests/db/test_desk_isolation.py`` (every other service) leaves the roster
package to this table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

import mediation.services.roster
from mediation.db import Database
from mediation.errors import MediationError, NotFound, PermissionDenied, ValidationError
from mediation.permissions import Actor
from mediation.services import roster
from mediation.services.roster import (
    certificates,
    credentials,
    handover,
    hours,
    importing,
    overview,
    reassignment,
    swaps,
    terms,
    timetable,
    volunteers,
)
from mediation.services.roster.timetable import SlotInput
from mediation.services.roster.volunteers import VolunteerInput
from tests import service_ids
from tests.desks import TwoDesks, trial
from tests.factories import dispute
from tests.roster_fixtures import TERM_START, WEEK, assign, at, desk_time, enrol, open_term, slot, xlsx


def id_inputs() -> set[str]:
    """Every id a public function of the roster's modules takes (the same introspection as
    test_desk_isolation's, which leaves the roster package to this table)."""
    return service_ids.id_inputs(mediation.services.roster)


EXEMPT: dict[str, str] = {
    **{f"common.{n}": "the desk check itself (or a building block of it)" for n in (
        "desk_of:desk_id", "check_write:desk_id", "load:record_id", "load_term:term_id", "load_volunteer:volunteer_id",
        "load_user:user_id", "load_user:desk_id")},
    **{f"{n}": "no actor: a building block a service calls after its own desk check" for n in (
        "common.rules:desk_id", "common.locked_period:desk_id", "common.ensure_unlocked:desk_id",
        "hours.person_hours:desk_id", "hours.shift_records:desk_id", "hours.case_record_counts:desk_id",
        "volunteers.volunteers_of_users:desk_id", "volunteers.taken_student_nos:term_id",
        "importing.remembered_mapping:desk_id")},
    **{n: "pure: plain values the timetable loaded after its desk check" for n in (
        "conflicts.check_week:needs.slot_id", "conflicts.check_week:placed.shift_id",
        "conflicts.check_week:placed.slot_id", "conflicts.check_week:placed.user_id",
        "timetable.slot_times:slot.term_id")},
    **{n: "lays out lines create_accounts made (no database)" for n in (
        "credentials.account_sheet_page:lines.volunteer_id", "credentials.account_sheet_pdf:lines.volunteer_id")},
    **{f"timetable.{f}:table.{path}": "lays out a week's table week_timetable built after its desk check (no database)"
       for f in ("rota_grid", "rota_page")
       for path in ("candidates.user_id", "candidates.volunteer_id", "cells.coverage.slot_id", "cells.people.shift_id",
                    "cells.people.user_id", "cells.slot.term_id", "others.shift_id", "others.user_id",
                    "problems.slot_id", "problems.user_id", "term.desk_id")},
}


@dataclass
class Ids:
    desk: int
    admin: Actor
    adviser: Actor
    officer: Actor
    student: Actor
    colleague: Actor
    term: int = 0
    volunteer: int = 0
    slot: int = 0
    shift: int = 0
    colleague_shift: int = 0
    open_shift: int = 0
    swap: int = 0
    accepted_swap: int = 0
    claim: int = 0
    handover: int = 0
    certificate: int = 0
    case: int = 0
    list_path: Path | None = None


def _furnish(db: Database, admin: Actor, adviser: Actor, officer: Actor, tmp: Path, tag: str) -> Ids:
    term = open_term(db, admin)
    a, b = enrol(db, admin, term, 2, first=0 if tag == "1" else 50)
    ids = Ids(admin.desk_id or 0, admin, adviser, officer, a.actor, b.actor, term=term, volunteer=a.volunteer_id)
    ids.slot = slot(db, admin, term, 0, "09:00", "12:00")
    other = slot(db, admin, term, 1, "09:00", "12:00")
    ids.shift = assign(db, admin, ids.slot, a.actor.user_id, week=WEEK + dt.timedelta(days=7))
    ids.colleague_shift = assign(db, admin, other, b.actor.user_id, week=WEEK + dt.timedelta(days=7))
    ids.open_shift = assign(db, admin, ids.slot, a.actor.user_id, week=WEEK)
    with desk_time(WEEK, 9), db.write() as s:
        roster.check_in(s, a.actor)
        ids.swap = swaps.ask_swap(s, a.actor, ids.shift, b.actor.user_id)
        third = assign_in(s, admin, other, a.actor.user_id)
        ids.accepted_swap = swaps.ask_swap(s, a.actor, third, b.actor.user_id)
        swaps.answer_swap(s, b.actor, ids.accepted_swap, accept=True)
        ids.claim = hours.claim_hours(s, a.actor, kind="duty", worked_on=TERM_START, minutes=60, reason="补记")
        ids.case = reassign_me(s, a.actor, officer)
    with desk_time(WEEK, 12), db.write() as s:
        ids.handover = handover.check_out_with_handover(s, a.actor, ids.open_shift, note="交接").handover_id
        ids.certificate = certificates.draft_certificate(s, admin, a.volunteer_id, "practice_report")
    ids.list_path = xlsx(tmp / f"list{tag}.xlsx", [["姓名", "学号"], ["新同学", f"2024{tag}001"]])
    return ids


def assign_in(s: Session, admin: Actor, slot_id: int, user_id: int) -> int:
    return timetable.assign(s, admin, slot_id, WEEK + dt.timedelta(days=14), user_id)


def reassign_me(s: Session, student: Actor, officer: Actor) -> int:
    from mediation import workflow
    from mediation.services import cases

    ref = cases.register_case(s, student, dispute())
    cases.choose_track(s, officer, ref.id, workflow.PEOPLE)
    cases.assign_mediator(s, officer, ref.id, student.user_id)
    return ref.id


@dataclass
class World:
    db: Database
    own: Ids
    other: Ids


@pytest.fixture
def world(two_desks: TwoDesks, tmp_path: Path) -> World:
    own, other = two_desks.own, two_desks.other
    return World(two_desks.db, _furnish(two_desks.db, own.admin, own.adviser, own.officer, tmp_path, "1"),
                 _furnish(two_desks.db, other.admin, other.adviser, other.officer, tmp_path, "2"))


Run = Callable[[Session, "Ids", "Ids"], Any]
"""``run(session, ids_for_the_call, own_desk_people)``: desk 1's people, the ids of either desk.

Reads are made as the officer: until issue 11 lands, an administrator of a desk reads every
desk (``Actor.reads_every_desk``), and changes only their own."""

CALLS: dict[str, Run] = {
    "terms.update_term:term_id": lambda s, i, me: terms.update_term(
        s, me.admin, i.term, terms.TermInput("改名", TERM_START, TERM_START + dt.timedelta(days=120))),
    "terms.get_term:term_id": lambda s, i, me: terms.get_term(s, me.officer, i.term),
    "terms.close_term:term_id": lambda s, i, me: terms.close_term(s, me.admin, i.term),
    "terms.create_term:desk_id": lambda s, i, me: terms.create_term(
        s, me.admin, terms.TermInput("新学期", TERM_START, TERM_START + dt.timedelta(days=30)), desk_id=i.desk),
    "terms.list_terms:desk_id": lambda s, i, me: terms.list_terms(s, me.officer, desk_id=i.desk),
    "terms.current_term:desk_id": lambda s, i, me: terms.current_term(s, me.officer, desk_id=i.desk),
    "volunteers.add_volunteer:term_id": lambda s, i, me: volunteers.add_volunteer(
        s, me.admin, i.term, VolunteerInput("新同学", "20249999")),
    "volunteers.update_volunteer:volunteer_id": lambda s, i, me: volunteers.update_volunteer(
        s, me.admin, i.volunteer, VolunteerInput("改名", "20249998")),
    "volunteers.set_status:volunteer_id": lambda s, i, me: volunteers.set_status(
        s, me.admin, i.volunteer, "left", reason="毕业"),
    "volunteers.record_training:volunteer_id": lambda s, i, me: volunteers.record_training(
        s, me.admin, i.volunteer, held_on=TERM_START, minutes=60),
    "volunteers.volunteer_input:volunteer_id": lambda s, i, me: volunteers.volunteer_input(s, me.admin, i.volunteer),
    "volunteers.list_volunteers:term_id": lambda s, i, me: volunteers.list_volunteers(s, me.officer, i.term),
    "volunteers.volunteer_record:volunteer_id": lambda s, i, me: volunteers.volunteer_record(s, me.officer, i.volunteer),
    "importing.read_columns:desk_id": lambda s, i, me: importing.read_columns(
        s, me.admin, i.list_path, desk_id=i.desk),  # type: ignore[arg-type]
    "importing.import_volunteers:term_id": lambda s, i, me: importing.import_volunteers(
        s, me.admin, i.term, i.list_path, {"name": "姓名", "student_no": "学号"}),  # type: ignore[arg-type]
    "credentials.create_accounts:term_id": lambda s, i, me: credentials.create_accounts(s, me.admin, i.term),
    "reassignment.cases_to_reassign:volunteer_id": lambda s, i, me: reassignment.cases_to_reassign(
        s, me.officer, i.volunteer),
    "reassignment.reassign:moves.case_id": lambda s, i, me: reassignment.reassign(
        s, me.officer, [reassignment.Move(i.case, me.colleague.user_id)], reason="移交"),
    "reassignment.reassign:moves.to_user_id": lambda s, i, me: reassignment.reassign(
        s, me.officer, [reassignment.Move(me.case, i.colleague.user_id)], reason="移交"),
    "timetable.add_slot:term_id": lambda s, i, me: timetable.add_slot(s, me.admin, i.term, SlotInput(2, 540, 720)),
    "timetable.update_slot:slot_id": lambda s, i, me: timetable.update_slot(s, me.admin, i.slot, SlotInput(0, 540, 700)),
    "timetable.remove_slot:slot_id": lambda s, i, me: timetable.remove_slot(s, me.admin, i.slot),
    "timetable.list_slots:term_id": lambda s, i, me: timetable.list_slots(s, me.officer, i.term),
    "timetable.assign:slot_id": lambda s, i, me: timetable.assign(s, me.admin, i.slot, WEEK + dt.timedelta(days=21),
                                                                  me.colleague.user_id),
    "timetable.assign:user_id": lambda s, i, me: timetable.assign(s, me.admin, me.slot, WEEK + dt.timedelta(days=21),
                                                                  i.colleague.user_id),
    "timetable.unassign:shift_id": lambda s, i, me: timetable.unassign(s, me.admin, i.shift),
    "timetable.move:shift_id": lambda s, i, me: timetable.move(s, me.admin, i.shift, me.slot, WEEK + dt.timedelta(days=28)),
    "timetable.move:slot_id": lambda s, i, me: timetable.move(s, me.admin, me.shift, i.slot, WEEK + dt.timedelta(days=28)),
    "timetable.copy_week:term_id": lambda s, i, me: timetable.copy_week(s, me.admin, i.term, WEEK,
                                                                        [WEEK + dt.timedelta(days=35)]),
    "timetable.import_week:term_id": lambda s, i, me: timetable.import_week(s, me.admin, i.term, WEEK, i.list_path),  # type: ignore[arg-type]
    "timetable.candidates:term_id": lambda s, i, me: timetable.candidates(s, me.officer, i.term),
    "timetable.week_timetable:term_id": lambda s, i, me: timetable.week_timetable(s, me.officer, i.term, WEEK),
    "timetable.rota_pdf:term_id": lambda s, i, me: timetable.rota_pdf(s, me.officer, i.term, WEEK),
    "timetable.rota_xlsx:term_id": lambda s, i, me: timetable.rota_xlsx(s, me.officer, i.term, WEEK),
    "swaps.ask_swap:shift_id": lambda s, i, me: swaps.ask_swap(s, me.student, i.shift, me.colleague.user_id),
    "swaps.ask_swap:colleague_id": lambda s, i, me: swaps.ask_swap(s, me.student, me.shift, i.colleague.user_id),
    "swaps.ask_swap:colleague_shift_id": lambda s, i, me: swaps.ask_swap(
        s, me.student, me.shift, me.colleague.user_id, colleague_shift_id=i.colleague_shift),
    "swaps.answer_swap:swap_id": lambda s, i, me: swaps.answer_swap(s, me.colleague, i.swap, accept=True),
    "swaps.decide_swap:swap_id": lambda s, i, me: swaps.decide_swap(s, me.adviser, i.accepted_swap, approve=True),
    "swaps.cancel_swap:swap_id": lambda s, i, me: swaps.cancel_swap(s, me.student, i.swap),
    "swaps.upcoming_shifts:user_id": lambda s, i, me: swaps.upcoming_shifts(s, me.officer, i.student.user_id),
    "swaps.list_swaps:desk_id": lambda s, i, me: swaps.list_swaps(s, me.adviser, desk_id=i.desk),
    "today.shifts_on:desk_id": lambda s, i, me: roster.shifts_on(s, me.student, WEEK, desk_id=i.desk),
    "today.check_in:shift_id": lambda s, i, me: roster.check_in(s, me.student, i.shift),
    "today.check_out:shift_id": lambda s, i, me: roster.check_out(s, me.student, i.open_shift),
    "today.add_shift:user_id": lambda s, i, me: roster.add_shift(
        s, me.admin, user_id=i.student.user_id, starts_at=at(WEEK + dt.timedelta(days=3), 14),
        ends_at=at(WEEK + dt.timedelta(days=3), 16)),
    "today.remove_shift:shift_id": lambda s, i, me: roster.remove_shift(s, me.admin, i.shift),
    "hours.decide_extra:shift_id": lambda s, i, me: hours.decide_extra(s, me.adviser, i.shift, approve=True),
    "hours.claim_hours:user_id": lambda s, i, me: hours.claim_hours(
        s, me.admin, kind="duty", worked_on=TERM_START, minutes=30, reason="补记", user_id=i.student.user_id),
    "hours.decide_claim:claim_id": lambda s, i, me: hours.decide_claim(s, me.adviser, i.claim, confirm=True),
    "hours.pending:desk_id": lambda s, i, me: hours.pending(s, me.adviser, desk_id=i.desk),
    "hours.list_claims:desk_id": lambda s, i, me: hours.list_claims(s, me.adviser, desk_id=i.desk),
    "hours.list_claims:user_id": lambda s, i, me: _claims_of(s, me, i.student.user_id),
    "hours.lock_period:desk_id": lambda s, i, me: hours.lock_period(
        s, me.adviser, starts_on=TERM_START, ends_on=TERM_START, desk_id=i.desk),
    "hours.list_locks:desk_id": lambda s, i, me: hours.list_locks(s, me.adviser, desk_id=i.desk),
    "handover.due_items:user_id": lambda s, i, me: handover.due_items(s, me.officer, user_id=i.student.user_id),
    "handover.write_handover:shift_id": lambda s, i, me: handover.write_handover(s, me.student, note="", shift_id=i.shift),
    "handover.check_out_with_handover:shift_id": lambda s, i, me: handover.check_out_with_handover(
        s, me.student, i.open_shift, note=""),
    "handover.open_handovers:desk_id": lambda s, i, me: handover.open_handovers(s, me.officer, desk_id=i.desk),
    "handover.recent_handovers:desk_id": lambda s, i, me: handover.recent_handovers(s, me.officer, desk_id=i.desk),
    "handover.acknowledge:handover_id": lambda s, i, me: handover.acknowledge(s, me.officer, i.handover),
    "overview.term_overview:term_id": lambda s, i, me: overview.term_overview(s, me.adviser, i.term),
    "overview.figures_of:volunteer_id": lambda s, i, me: overview.figures_of(s, me.adviser, i.volunteer),
    "certificates.draft_certificate:volunteer_id": lambda s, i, me: certificates.draft_certificate(
        s, me.adviser, i.volunteer, "service_record"),  # the installation's administrator writes every desk
    "certificates.update_certificate:certificate_id": lambda s, i, me: certificates.update_certificate(
        s, me.adviser, i.certificate, content="", evaluation="好"),
    "certificates.approve_certificate:certificate_id": lambda s, i, me: certificates.approve_certificate(
        s, me.adviser, i.certificate),
    "certificates.get_certificate:certificate_id": lambda s, i, me: certificates.get_certificate(
        s, me.adviser, i.certificate),
    "certificates.list_certificates:term_id": lambda s, i, me: certificates.list_certificates(s, me.adviser, i.term),
    "certificates.render_certificate:certificate_id": lambda s, i, me: certificates.render_certificate(
        s, me.adviser, i.certificate),
}


FIELD: dict[str, str] = {
    "today.add_shift:user_id": "user_id",
}
"""Calls whose id sits in a form: another desk's is refused with a message on this field."""


def _claims_of(s: Session, me: Ids, user_id: int) -> Any:
    found = hours.list_claims(s, me.adviser, user_id=user_id)
    if not found:  # another desk's account: nothing of it is listed
        raise NotFound("none")
    return found


def test_every_roster_service_that_takes_an_id_is_in_the_table() -> None:
    found = id_inputs()
    missing = sorted(found - set(CALLS) - set(EXEMPT))
    assert not missing, f"add these to CALLS (or EXEMPT, with the reason): {missing}"
    stale = sorted((set(CALLS) | set(EXEMPT)) - found)
    assert not stale, f"no longer take an id: {stale}"


@pytest.mark.parametrize("key", sorted(CALLS))
def test_another_desks_ids_are_refused(world: World, key: str) -> None:
    run = CALLS[key]
    with desk_time(WEEK + dt.timedelta(days=2), 10):
        with trial(world.db) as s:
            try:
                run(s, world.own, world.own)
            except (NotFound, PermissionDenied) as exc:
                pytest.fail(f"{key}: desk 1's own ids refused by the desk check: {exc.message}")
            except ValidationError as exc:
                assert FIELD.get(key) not in exc.errors, f"{key}: desk 1's own ids refused: {exc.errors}"
            except MediationError:
                pass  # refused for another reason (a stage, a duplicate): past the desk check
        with trial(world.db) as s:
            if key in FIELD:
                with pytest.raises(ValidationError) as caught:
                    run(s, world.other, world.own)
                assert FIELD[key] in caught.value.errors, f"{key}: {caught.value.errors}"
            else:
                with pytest.raises((NotFound, PermissionDenied)):
                    run(s, world.other, world.own)
