"""Terms, volunteers and their accounts: statuses with reasons, training, one-step accounts with
one-time passwords, expiry at the term's last day in the desk's time zone, reassignment of a
leaving volunteer's cases, and closing a term (refused while its accounts hold open cases)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from mediation import workflow
from mediation.db import Database
from mediation.errors import AuthError, Conflict, PermissionDenied, ValidationError
from mediation.models import AuditLog, Case, CaseEvent, User, Volunteer, VolunteerStatusChange
from mediation.permissions import Actor
from mediation.services import accounts, case_detail, cases
from mediation.services.roster import credentials, reassignment, terms, volunteers
from mediation.services.roster.terms import TermInput
from mediation.services.roster.volunteers import VolunteerInput
from tests.conftest import Desk
from tests.factories import dispute, person
from tests.roster_fixtures import NAMES, TERM_END, TERM_START, desk_time, enrol, open_term


def test_a_term_is_opened_with_its_rules_and_refuses_bad_dates(db: Database, desk: Desk) -> None:
    term_id = open_term(db, desk.admin, min_students=3, min_officers=1, max_weekly_hours=6)
    with db.read() as s:
        view = terms.get_term(s, desk.admin, term_id)
    assert (view.min_students, view.min_officers, view.max_weekly_minutes, view.status) == (3, 1, 360, "open")
    with db.write() as s, pytest.raises(ValidationError) as exc:
        terms.create_term(s, desk.admin, TermInput("坏学期", TERM_END, TERM_START, min_students=-1))
    assert set(exc.value.errors) == {"ends_on", "min_students"}
    with db.write() as s, pytest.raises(ValidationError) as exc:
        terms.create_term(s, desk.admin, TermInput("2026年秋季学期", TERM_START, TERM_END))
    assert "已有" in exc.value.message
    with db.write() as s, pytest.raises(PermissionDenied):
        terms.create_term(s, desk.volunteer, TermInput("春季", TERM_START, TERM_END))


def test_statuses_need_reasons_and_training_makes_a_volunteer_on_duty(db: Database, desk: Desk) -> None:
    term_id = open_term(db, desk.admin)
    with desk_time(TERM_START, 9), db.write() as s:
        vid = volunteers.add_volunteer(s, desk.admin, term_id, VolunteerInput("王小明", "20230001", phone="13800001111"))
        volunteers.record_training(s, desk.admin, vid, held_on=TERM_START, minutes=300, topic="岗前培训（一）")
    with db.read() as s:
        v = volunteers.volunteer_record(s, desk.admin, vid)
    assert (v.volunteer.status, v.volunteer.training_minutes, v.volunteer.trained) == ("training", 300, False)
    with desk_time(TERM_START, 15), db.write() as s:
        volunteers.record_training(s, desk.admin, vid, held_on=TERM_START, minutes=180, topic="岗前培训（二）")
    with db.read() as s:
        v = volunteers.volunteer_record(s, desk.admin, vid)
    assert (v.volunteer.status, v.volunteer.trained) == ("active", True)  # 8 hours: the desk's setting
    assert [step.status_to for step in v.history] == ["training", "active"]
    assert "8.0" in v.history[-1].reason
    with db.write() as s, pytest.raises(ValidationError) as exc:
        volunteers.set_status(s, desk.admin, vid, "suspended")
    assert set(exc.value.errors) == {"reason"}
    with desk_time(TERM_START + dt.timedelta(days=20), 9), db.write() as s:
        volunteers.set_status(s, desk.admin, vid, "suspended", reason="期中考试，暂停两周")
    with db.read() as s:
        steps = s.scalars(select(VolunteerStatusChange).where(VolunteerStatusChange.volunteer_id == vid)
                          .order_by(VolunteerStatusChange.id)).all()
        assert [(x.status_from, x.status_to) for x in steps][-1] == ("active", "suspended")
        assert steps[-1].reason == "期中考试，暂停两周"


def test_accounts_in_one_step_with_a_sheet_of_one_time_passwords(db: Database, desk: Desk, tmp_path) -> None:
    term_id = open_term(db, desk.admin)
    students = enrol(db, desk.admin, term_id, 3, trained=False)
    with db.read() as s:
        users = s.scalars(select(User).where(User.id.in_([st.actor.user_id for st in students]))).all()
        assert {u.valid_until for u in users} == {TERM_END}
        assert all(u.must_change_password and u.role == "volunteer" for u in users)
        assert all(st.password not in u.password_hash for st, u in zip(students, users, strict=False))
        audit = " ".join(str(a.after) for a in s.scalars(select(AuditLog)))
    assert all(st.password not in audit for st in students)  # never in the audit trail
    assert accounts.login(db, students[0].username, students[0].password).user_id == students[0].actor.user_id
    with db.read() as s:
        assert accounts.password_change_required(s, students[0].actor)
    # The sheet: the PDF a person hands out, every font embedded, each password on it.
    with desk_time(TERM_START, 9), db.write() as s:
        vid = volunteers.add_volunteer(s, desk.admin, term_id, VolunteerInput("欧阳䶮", "20239999"))
        sheet = credentials.create_accounts(s, desk.admin, term_id)
    assert [line.volunteer_id for line in sheet.lines] == [vid] and sheet.created == 1
    path = tmp_path / "sheet.pdf"
    path.write_bytes(sheet.pdf)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet.pdf)).pages)
    assert "欧阳䶮" in text and sheet.lines[0].password in text and "20239999" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert fonts.count("yes yes") >= 1 and " no " not in fonts.split("\n", 2)[2].replace("yes yes", "")
    with db.write() as s, pytest.raises(ValidationError):
        credentials.create_accounts(s, desk.admin, term_id)  # everyone has an account now


def test_the_account_expires_after_the_terms_last_day_in_desk_time(db: Database, desk: Desk) -> None:
    term_id = open_term(db, desk.admin)
    st = enrol(db, desk.admin, term_id, 1)[0]
    with db.write() as s:
        accounts.change_password(s, st.actor, old=st.password, new="Zhiyuan-2026x")
    # 23:59 on the last day, Shanghai (15:59 UTC): still in.
    with desk_time(TERM_END, 23, 59):
        assert accounts.login(db, st.username, "Zhiyuan-2026x").user_id == st.actor.user_id
    # Midnight in Shanghai is 16:00 UTC of the same calendar day: out.
    with desk_time(TERM_END + dt.timedelta(days=1), 0, 0), pytest.raises(AuthError) as exc:
        accounts.login(db, st.username, "Zhiyuan-2026x")
    assert exc.value.reason == "expired" and TERM_END.isoformat() in exc.value.message
    # Their history stays theirs: the account and its volunteer record are still there.
    with db.read() as s:
        assert s.get(User, st.actor.user_id) is not None
        assert s.scalars(select(Volunteer.user_id).where(Volunteer.id == st.volunteer_id)).one() == st.actor.user_id


def _case_mediated_by(db: Database, desk: Desk, student: Actor, seq: int) -> int:
    with desk_time(TERM_START + dt.timedelta(days=10), 10), db.write() as s:
        ref = cases.register_case(s, student, dispute(parties=[
            person("applicant", "申请人" + NAMES[seq], seq=100 + seq),
            person("respondent", "被申请人" + NAMES[seq], seq=200 + seq)]))
        cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
        cases.assign_mediator(s, desk.officer, ref.id, student.user_id)
        cases.accept_case(s, desk.officer, ref.id)
        return ref.id


def test_reassignment_lists_open_cases_and_keeps_the_audit_trail(db: Database, desk: Desk) -> None:
    term_id = open_term(db, desk.admin)
    leaving, a, b = enrol(db, desk.admin, term_id, 3)
    mediated = [_case_mediated_by(db, desk, leaving.actor, i) for i in range(3)]
    with desk_time(TERM_START + dt.timedelta(days=11), 10), db.write() as s:
        unaccepted = cases.register_case(s, leaving.actor, dispute()).id
        closed = cases.register_case(s, leaving.actor, dispute()).id
        cases.decline_case(s, desk.officer, closed, reason="不属于调解范围")
    with db.read() as s:
        open_ = reassignment.cases_to_reassign(s, desk.officer, leaving.volunteer_id)
    assert {c.id for c in open_} == {*mediated, unaccepted}
    assert {c.why for c in open_ if c.id == unaccepted} == {"registered"}
    with desk_time(TERM_START + dt.timedelta(days=12), 9), db.write() as s:
        volunteers.set_status(s, desk.admin, leaving.volunteer_id, "left", reason="转学")
        moves = reassignment.spread([c.id for c in open_], [a.actor.user_id, b.actor.user_id])
        done = reassignment.reassign(s, desk.officer, moves, reason="原承办人退出值班")
    assert sorted(done.moved) == sorted(c.id for c in open_) and done.changes.cases_list
    with db.read() as s:
        holders = dict(s.execute(select(Case.id, Case.mediator_id).where(Case.id.in_(done.moved))).all())
        assert sorted(holders.values()) == sorted([a.actor.user_id, b.actor.user_id] * 2)
        for case_id in done.moved:
            event = s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == "reassigned")).one()
            assert "原承办人退出值班" in event.summary and leaving.actor.display_name in event.summary
            row = s.scalars(select(AuditLog).where(AuditLog.case_id == case_id, AuditLog.action == "case.reassign")).one()
            assert row.before == {"mediator_id": leaving.actor.user_id} or case_id == unaccepted
            assert row.after is not None and row.after["mediator_id"] == holders[case_id]
        detail = case_detail.get_case(s, desk.officer, mediated[0])
        assert any("移交" in e.summary for e in detail.events)
        assert reassignment.cases_to_reassign(s, desk.officer, leaving.volunteer_id) == []
        # Their own history stays theirs: the cases still say who registered them.
        assert s.get(Case, unaccepted).registered_by_id == leaving.actor.user_id  # type: ignore[union-attr]


def test_a_volunteer_cannot_reassign_and_a_stated_reason_is_required(db: Database, desk: Desk) -> None:
    term_id = open_term(db, desk.admin)
    leaving, other = enrol(db, desk.admin, term_id, 2)
    case_id = _case_mediated_by(db, desk, leaving.actor, 1)
    with db.write() as s, pytest.raises(PermissionDenied):
        reassignment.reassign(s, other.actor, [reassignment.Move(case_id, other.actor.user_id)], reason="我来")
    with db.write() as s, pytest.raises(ValidationError) as exc:
        reassignment.reassign(s, desk.officer, [reassignment.Move(case_id, other.actor.user_id)], reason=" ")
    assert set(exc.value.errors) == {"reason"}


def test_closing_a_term_is_refused_while_its_accounts_hold_open_cases(db: Database, desk: Desk) -> None:
    term_id = open_term(db, desk.admin)
    st, _colleague = enrol(db, desk.admin, term_id, 2)
    case_id = _case_mediated_by(db, desk, st.actor, 1)
    with db.read() as s:
        number = s.get(Case, case_id).number  # type: ignore[union-attr]
    with desk_time(TERM_END, 18), db.write() as s, pytest.raises(Conflict) as exc:
        terms.close_term(s, desk.admin, term_id)
    assert "1 件" in exc.value.message and str(number) in exc.value.message and st.actor.display_name in exc.value.message
    with db.read() as s:
        assert terms.get_term(s, desk.admin, term_id).status == "open"
    # A colleague on staff (no end date) takes it; now the term closes and its volunteers are 期满.
    with desk_time(TERM_END, 18), db.write() as s:
        reassignment.reassign(s, desk.officer, [reassignment.Move(case_id, desk.officer.user_id)], reason="学期结束")
        closed = terms.close_term(s, desk.admin, term_id)
    assert closed.expired == 2
    with db.read() as s:
        assert {v.status for v in volunteers.list_volunteers(s, desk.admin, term_id)} == {"expired"}
        assert terms.get_term(s, desk.admin, term_id).closed
    with db.write() as s, pytest.raises(ValidationError):
        volunteers.add_volunteer(s, desk.admin, term_id, VolunteerInput("迟到者", "20239998"))


def test_an_account_carried_into_a_later_term_does_not_stop_the_close(db: Database, desk: Desk) -> None:
    term_id = open_term(db, desk.admin)
    st = enrol(db, desk.admin, term_id, 1)[0]
    _case_mediated_by(db, desk, st.actor, 1)
    spring = open_term(db, desk.admin, name="2027年春季学期", starts_on=dt.date(2027, 2, 22), ends_on=dt.date(2027, 6, 30))
    with desk_time(dt.date(2027, 1, 10), 9), db.write() as s:
        volunteers.add_volunteer(s, desk.admin, spring, VolunteerInput(st.actor.display_name, st.username))
        sheet = credentials.create_accounts(s, desk.admin, spring)
    assert sheet.lines[0].username == st.username and sheet.lines[0].password == ""  # carried over
    with db.read() as s:
        assert s.get(User, st.actor.user_id).valid_until == dt.date(2027, 6, 30)  # type: ignore[union-attr]
    with desk_time(TERM_END, 18), db.write() as s:
        assert terms.close_term(s, desk.admin, term_id).expired == 1
