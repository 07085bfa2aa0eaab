"""Issue 11: every service that takes an id keeps the desks apart — one table, every service.

:func:`id_inputs` finds, by introspection of ``mediation.services.*``, every public function
with a parameter ``*_id`` (or a dataclass parameter with such a field, e.g. a party's
``existing_party_id`` inside the intake form). Each must be in :data:`CALLS` (a call that
passes that id) or in :data:`EXEMPT` (with the reason): a new service that takes an id
fails :func:`test_every_service_that_takes_an_id_is_in_the_table` until it is added.

Each call then runs twice in a transaction that is rolled back, as a person of desk 1:
with desk 1's own ids it must get past the desk check (it may still fail for another
reason, e.g. the case's stage), and with desk 2's ids it must be refused (NotFound or
PermissionDenied; for an id inside a form, a message on that field). The same call with
only the ids changed: the refusal is the desk check's. A roll-up account reads desk 2
and changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import pkgutil
import shutil
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import mediation.services
from mediation import workflow
from mediation.db import Database
from mediation.errors import MediationError, NotFound, PermissionDenied, ValidationError
from mediation.models import CaseParty, Consultation
from mediation.permissions import Actor
from mediation.services import (
    accounts,
    case_detail,
    case_records,
    caselist,
    cases,
    consultations,
    desks,
    documents,
    parties,
    reference,
    roster,
    setup,
    transfer,
)
from mediation.services.case_records import FollowUpInput, InvestigationInput, SessionInput
from mediation.services.cases import AgreementInput, CaseEdit
from mediation.services.consultations import ConsultationInput
from mediation.services.transfer import ledger
from mediation.timeutil import utcnow
from tests.conftest import Desk, _pg_database, backends
from tests.factories import agreed_case, dispute, document_on, ledger_workbook, mediating_case, person
from tests.pngs import png as signature_png

# ---------------------------------------------------------------- what takes an id


def _id_fields(tp: Any, seen: frozenset[type] = frozenset()) -> Iterator[str]:
    """Paths of the ``*_id`` fields inside a dataclass type (through lists and Optionals)."""
    origin = typing.get_origin(tp)
    if origin in (list, tuple, typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            yield from _id_fields(arg, seen)
        return
    if not (isinstance(tp, type) and dataclasses.is_dataclass(tp)) or tp in seen:
        return
    if not tp.__module__.startswith("mediation.services."):
        return  # the actor (permissions.Actor) and the workflow's facts are no input of records
    hints = typing.get_type_hints(tp)
    for f in dataclasses.fields(tp):
        if f.name.endswith("_id"):
            yield f.name
        for sub in _id_fields(hints.get(f.name), seen | {tp}):
            yield f"{f.name}.{sub}"


def id_inputs() -> set[str]:
    """``module.function:parameter[.field…]`` for every id a public service function takes."""
    found: set[str] = set()
    for info in pkgutil.walk_packages(mediation.services.__path__, "mediation.services."):
        module = importlib.import_module(info.name)
        short = info.name.removeprefix("mediation.services.")
        if short == "access":
            continue  # the check itself
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            for param in inspect.signature(fn).parameters.values():
                if param.name.endswith("_id"):
                    found.add(f"{short}.{name}:{param.name}")
                annotation = param.annotation
                if isinstance(annotation, str):
                    try:
                        annotation = eval(annotation, fn.__globals__)  # our own annotations
                    except NameError:  # a type imported for type checking only: not a record
                        continue
                for path in _id_fields(annotation):
                    found.add(f"{short}.{name}:{param.name}.{path}")
    return found


# ---------------------------------------------------------------- two furnished desks


@dataclass
class Ids:
    """One desk's records, in the states the calls need."""

    desk: int
    people: Any
    registered: int = 0
    mediating: int = 0
    agreed: int = 0
    doc_draft: int = 0
    doc_submitted: int = 0
    doc_approved: int = 0
    doc_final: int = 0
    attachment: int = 0
    consultation: int = 0
    party: int = 0
    party_id_number: str = ""
    user: int = 0
    shift: int = 0
    shift_in: int = 0
    ledger: Path | None = None


@dataclass
class People:
    desk_id: int
    admin: Actor
    officer: Actor
    volunteer: Actor


@dataclass
class World:
    db: Database
    own: Ids
    other: Ids
    rollup: dict[str, Actor]


def _furnish(db: Database, people: People, tmp: Path, seed: int) -> Ids:
    ids = Ids(desk=people.desk_id, people=people)
    with db.write() as s:
        ref = cases.register_case(s, people.volunteer, dispute(
            desk_id=people.desk_id,
            parties=[person("applicant", "张三", seq=100 + seed), person("respondent", "李四", seq=200 + seed)]))
        cases.choose_track(s, people.officer, ref.id, workflow.PEOPLE)
        ids.registered = ref.id
        ids.mediating = mediating_case(s, people)
        ids.agreed = agreed_case(s, people)
        ids.attachment = case_records.add_attachment(s, people.volunteer, ids.mediating, filename="证据.txt",
                                                     content=b"evidence")
        ids.consultation = consultations.log_consultation(s, people.volunteer, ConsultationInput(
            topic="押金", answer="可以协商", person_name="王五", phone="13700137000"))
        link = s.scalars(select(CaseParty).where(CaseParty.case_id == ids.agreed, CaseParty.role == "applicant")).one()
        ids.party = link.party_id
        ids.party_id_number = link.party.id_number
        ids.user = people.volunteer.user_id
        start = utcnow() + dt.timedelta(hours=1)
        ids.shift = roster.add_shift(s, people.admin, user_id=people.volunteer.user_id, starts_at=start,
                                     ends_at=start + dt.timedelta(hours=3))
        ids.shift_in = roster.add_shift(s, people.admin, user_id=people.volunteer.user_id,
                                        starts_at=utcnow() - dt.timedelta(hours=1),
                                        ends_at=utcnow() + dt.timedelta(hours=2))
        roster.check_in(s, people.volunteer, ids.shift_in)
    ids.doc_draft = document_on(db, people, ids.agreed)
    ids.doc_submitted = document_on(db, people, ids.agreed, status="submitted")
    ids.doc_approved = document_on(db, people, ids.agreed, status="approved")
    ids.doc_final = document_on(db, people, ids.agreed, status="final")
    ids.ledger = ledger_workbook(tmp / f"台账{seed}.xlsx", [
        [1, None, dt.datetime(2025, 3, 1), "孙七", "13800138000", "周八", "合同", "当事人申请",
         "借款未还。", "还款", 300, None, None, None]])
    return ids


def _second_desk(db: Database, installation_admin: Actor) -> People:
    with db.write() as s:
        desk_id = setup.create_desk(s, installation_admin, name="第二联调中心", number_prefix="Y警校调字")
        made = {role: accounts.create_user(s, installation_admin, username=f"{role}2", display_name=f"乙{role}",
                                           role=role, password="Qiushi-Lake-42", desk_id=desk_id)
                for role in ("admin", "officer", "volunteer")}
    return People(desk_id, *(Actor(made[r], f"{r}2", f"乙{r}", r, desk_id) for r in ("admin", "officer", "volunteer")))


@pytest.fixture(scope="module", params=backends())
def world(request: pytest.FixtureRequest, sqlite_template: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("isolation")
    if request.param == "sqlite":
        path = tmp / "mediation.sqlite3"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
    else:
        db = _pg_database()
    first = Desk(db)
    with db.write() as s:
        admin1 = accounts.create_user(s, first.admin, username="deskadmin", display_name="甲管理员", role="admin",
                                      password="Qiushi-Lake-42", desk_id=first.desk_id)
    assert first.desk_id is not None
    own_people = People(first.desk_id, Actor(admin1, "deskadmin", "甲管理员", "admin", first.desk_id),
                        first.officer, first.volunteer)
    other_people = _second_desk(db, first.admin)
    own = _furnish(db, own_people, tmp, 1)
    other = _furnish(db, other_people, tmp, 2)
    rollup = {}
    with db.write() as s:
        for role in ("volunteer", "officer"):
            uid = accounts.create_user(s, first.admin, username=f"rollup_{role}", display_name="分局", role=role,
                                       password="Qiushi-Lake-42", desk_id=None, all_desks=True)
            rollup[role] = Actor(uid, f"rollup_{role}", "分局", role, None, all_desks=True)
    yield World(db, own, other, rollup)
    db.dispose()


@contextmanager
def trial(db: Database) -> Iterator[Session]:
    """A write session whose work is always rolled back (each call leaves the world as it was)."""
    session = db._writer()
    session.info["write"] = True
    try:
        yield session
    finally:
        session.rollback()
        session.close()


# ---------------------------------------------------------------- the table


Run = Callable[[Session, Actor, Ids, Ids], Any]
"""(session, actor, ids of the desk under test, desk 1's own ids for the other arguments)."""


@dataclass(frozen=True)
class Call:
    role: str
    run: Run
    write: bool = True
    field: str = ""
    """For an id inside a form: refused with a message on this field (a ValidationError)."""
    empty: bool = False
    """A query: another desk's id yields nothing (desk 1's own yields something)."""


def _form_with_party(target: Ids, own: Ids) -> Any:
    data = dispute(desk_id=own.desk)
    data.parties[0].existing_party_id = target.party
    return data


def _edit_with_party(target: Ids, own: Ids) -> CaseEdit:
    return CaseEdit(facts="补充事实。", parties=_form_with_party(target, own).parties)


def _record(when: str = "session") -> Any:
    return SessionInput(held_at=utcnow(), content="双方陈述。", place="调解室", result="continued")


CALLS: dict[str, Call] = {
    # cases
    "cases.load_case:case_id": Call("volunteer", lambda s, a, t, o: cases.load_case(s, a, t.mediating), write=False),
    "cases.open_for:case_id": Call("volunteer", lambda s, a, t, o: cases.open_for(s, a, t.mediating, "session")),
    "cases.register_case:data.desk_id": Call("volunteer", lambda s, a, t, o: cases.register_case(
        s, a, dispute(desk_id=t.desk)), field="desk_id"),
    "cases.register_case:data.consultation_id": Call("volunteer", lambda s, a, t, o: cases.register_case(
        s, a, dispute(desk_id=o.desk, consultation_id=t.consultation))),
    "cases.register_case:data.parties.existing_party_id": Call("volunteer", lambda s, a, t, o: cases.register_case(
        s, a, _form_with_party(t, o)), field="parties.0.existing_party_id"),
    "cases.update_case:case_id": Call("volunteer", lambda s, a, t, o: cases.update_case(
        s, a, t.registered, CaseEdit(facts="补充事实。"), expected_version=None)),
    "cases.update_case:data.parties.existing_party_id": Call("volunteer", lambda s, a, t, o: cases.update_case(
        s, a, o.registered, _edit_with_party(t, o), expected_version=None), field="parties.0.existing_party_id"),
    "cases.choose_track:case_id": Call("officer", lambda s, a, t, o: cases.choose_track(
        s, a, t.registered, workflow.PEOPLE)),
    "cases.accept_case:case_id": Call("officer", lambda s, a, t, o: cases.accept_case(s, a, t.registered)),
    "cases.decline_case:case_id": Call("officer", lambda s, a, t, o: cases.decline_case(
        s, a, t.registered, reason="不属于调解范围")),
    "cases.assign_mediator:case_id": Call("officer", lambda s, a, t, o: cases.assign_mediator(
        s, a, t.registered, o.user)),
    "cases.assign_mediator:user_id": Call("officer", lambda s, a, t, o: cases.assign_mediator(
        s, a, o.registered, t.user), field="mediator"),
    "cases.start_investigation:case_id": Call("officer", lambda s, a, t, o: cases.start_investigation(
        s, a, t.registered)),
    "cases.start_mediation:case_id": Call("officer", lambda s, a, t, o: cases.start_mediation(s, a, t.registered)),
    "cases.record_agreement:case_id": Call("volunteer", lambda s, a, t, o: cases.record_agreement(
        s, a, t.mediating, AgreementInput(kind="oral", terms="退还押金。", signed=True))),
    "cases.mark_agreement_signed:case_id": Call("volunteer", lambda s, a, t, o: cases.mark_agreement_signed(
        s, a, t.agreed)),
    "cases.terminate_case:case_id": Call("officer", lambda s, a, t, o: cases.terminate_case(
        s, a, t.mediating, reason="一方拒绝调解")),
    "cases.refer_case:case_id": Call("officer", lambda s, a, t, o: cases.refer_case(
        s, a, t.registered, referred_to="法院", reason="涉及诉讼")),
    "cases.withdraw_case:case_id": Call("officer", lambda s, a, t, o: cases.withdraw_case(
        s, a, t.registered, reason="申请人撤回")),
    "cases.enter_performing:case_id": Call("volunteer", lambda s, a, t, o: cases.enter_performing(s, a, t.agreed)),
    "cases.close_case:case_id": Call("officer", lambda s, a, t, o: cases.close_case(s, a, t.agreed)),
    "cases.archive_case:case_id": Call("officer", lambda s, a, t, o: cases.archive_case(s, a, t.agreed)),
    # what a case window shows, and the records on a case
    "case_detail.get_case:case_id": Call("volunteer", lambda s, a, t, o: case_detail.get_case(s, a, t.mediating),
                                         write=False),
    "case_records.add_investigation:case_id": Call("volunteer", lambda s, a, t, o: case_records.add_investigation(
        s, a, t.mediating, InvestigationInput(held_at=utcnow(), content="走访宿舍。"))),
    "case_records.add_session_record:case_id": Call("volunteer", lambda s, a, t, o: case_records.add_session_record(
        s, a, t.mediating, _record())),
    "case_records.add_session_record:data.recorder_id": Call(
        "volunteer", lambda s, a, t, o: case_records.add_session_record(
            s, a, o.mediating, dataclasses.replace(_record(), recorder_id=t.user)), field="recorder_id"),
    "case_records.add_attachment:case_id": Call("volunteer", lambda s, a, t, o: case_records.add_attachment(
        s, a, t.mediating, filename="照片.txt", content=b"x")),
    "case_records.get_attachment:attachment_id": Call("volunteer", lambda s, a, t, o: case_records.get_attachment(
        s, a, t.attachment), write=False),
    "case_records.add_follow_up:case_id": Call("volunteer", lambda s, a, t, o: case_records.add_follow_up(
        s, a, t.agreed, FollowUpInput(visited_at=utcnow(), result="已退还一半", performance_status="pending"))),
    "case_records.add_note:case_id": Call("volunteer", lambda s, a, t, o: case_records.add_note(
        s, a, t.mediating, "电话联系了申请人。")),
    # the case list's filters
    "caselist.list_cases:query.desk_id": Call("volunteer", lambda s, a, t, o: caselist.list_cases(
        s, a, caselist.CaseQuery(desk_id=t.desk)).rows, write=False, empty=True),
    "caselist.list_cases:query.mediator_id": Call("volunteer", lambda s, a, t, o: caselist.list_cases(
        s, a, caselist.CaseQuery(mediator_id=t.user)).rows, write=False, empty=True),
    "caselist.search:query.desk_id": Call("volunteer", lambda s, a, t, o: caselist.search(
        s, a, "口头约定押金", query=caselist.CaseQuery(desk_id=t.desk)), write=False, empty=True),
    "caselist.search:query.mediator_id": Call("volunteer", lambda s, a, t, o: caselist.search(
        s, a, "口头约定押金", query=caselist.CaseQuery(mediator_id=t.user)), write=False, empty=True),
    "caselist.count_cases:query.desk_id": Call("volunteer", lambda s, a, t, o: caselist.count_cases(
        s, a, caselist.CaseQuery(desk_id=t.desk)), write=False, empty=True),
    "caselist.count_cases:query.mediator_id": Call("volunteer", lambda s, a, t, o: caselist.count_cases(
        s, a, caselist.CaseQuery(mediator_id=t.user)), write=False, empty=True),
    # parties
    "parties.reveal_id_number:party_id": Call("officer", lambda s, a, t, o: parties.reveal_id_number(
        s, a, t.party), write=False),
    "parties.find_existing_parties:desk_id": Call("volunteer", lambda s, a, t, o: parties.find_existing_parties(
        s, a, id_number=t.party_id_number, desk_id=t.desk), empty=True),  # offered to register: a write
    # consultations
    "consultations.get_consultation:consultation_id": Call(
        "volunteer", lambda s, a, t, o: consultations.get_consultation(s, a, t.consultation), write=False),
    "consultations.prefill_case:consultation_id": Call(
        "volunteer", lambda s, a, t, o: consultations.prefill_case(s, a, t.consultation), write=False),
    "consultations.convert_to_case:consultation_id": Call(
        "volunteer", lambda s, a, t, o: consultations.convert_to_case(s, a, t.consultation, dispute())),
    "consultations.convert_to_case:data.parties.existing_party_id": Call(
        "volunteer", lambda s, a, t, o: consultations.convert_to_case(
            s, a, o.consultation, _form_with_party(t, o)), field="parties.0.existing_party_id"),
    # documents
    "documents.check:document_id": Call("volunteer", lambda s, a, t, o: documents.check(s, a, t.doc_draft),
                                        write=False),
    "documents.list_documents:case_id": Call("volunteer", lambda s, a, t, o: documents.list_documents(
        s, a, t.agreed), write=False),
    "documents.get_document:document_id": Call("volunteer", lambda s, a, t, o: documents.get_document(
        s, a, t.doc_draft), write=False),
    "documents.preview_pdf:document_id": Call("volunteer", lambda s, a, t, o: documents.preview_pdf(
        s, a, t.doc_final), write=False),
    "documents.render_docx:document_id": Call("volunteer", lambda s, a, t, o: documents.render_docx(
        s, a, t.doc_draft), write=False),
    "documents.record_output:document_id": Call("volunteer", lambda s, a, t, o: documents.record_output(
        s, a, t.doc_final, kind="print"), write=False),
    "documents.record_case_output:case_id": Call("volunteer", lambda s, a, t, o: documents.record_case_output(
        s, a, t.agreed, form="people_agreement", fmt="pdf"), write=False),
    "documents.diff_for_reviewer:document_id": Call("officer", lambda s, a, t, o: documents.diff_for_reviewer(
        s, a, t.doc_submitted), write=False),
    "documents.create_draft:case_id": Call("volunteer", lambda s, a, t, o: documents.create_draft(
        s, a, t.agreed, "people_agreement")),
    "documents.update_draft:document_id": Call("volunteer", lambda s, a, t, o: documents.update_draft(
        s, a, t.doc_draft, {"facts": "改过的事实。"})),
    "documents.submit:document_id": Call("volunteer", lambda s, a, t, o: documents.submit(s, a, t.doc_draft)),
    "documents.mark_viewed:document_id": Call("officer", lambda s, a, t, o: documents.mark_viewed(
        s, a, t.doc_submitted)),
    "documents.approve:document_id": Call("officer", lambda s, a, t, o: documents.approve(s, a, t.doc_submitted)),
    "documents.return_for_changes:document_id": Call("officer", lambda s, a, t, o: documents.return_for_changes(
        s, a, t.doc_submitted, comment="金额写错了")),
    "documents.add_signature:document_id": Call("volunteer", lambda s, a, t, o: documents.add_signature(
        s, a, t.doc_approved, signer_role="applicant", signer_name="张三", image_png=signature_png())),
    "documents.add_signature:party_id": Call("volunteer", lambda s, a, t, o: documents.add_signature(
        s, a, o.doc_approved, signer_role="applicant", signer_name="张三", image_png=signature_png(),
        party_id=t.party), field="party_id"),
    "documents.required_signers_for:document_id": Call(
        "volunteer", lambda s, a, t, o: documents.required_signers_for(s, a, t.doc_approved), write=False),
    "documents.finalize:document_id": Call("volunteer", lambda s, a, t, o: documents.finalize(
        s, a, t.doc_approved, signed_on_paper=True)),
    "documents.attach_signed_scan:document_id": Call("volunteer", lambda s, a, t, o: documents.attach_signed_scan(
        s, a, t.doc_final, filename="签字.pdf", content=b"%PDF-1.4 scan")),
    "documents.supersede:document_id": Call("volunteer", lambda s, a, t, o: documents.supersede(
        s, a, t.doc_final, reason="地址写错")),
    "documents.final_pdf:document_id": Call("volunteer", lambda s, a, t, o: documents.final_pdf(
        s, a, t.doc_final), write=False),
    # accounts, roster, settings, import
    "accounts.create_user:desk_id": Call("admin", lambda s, a, t, o: accounts.create_user(
        s, a, username="newcomer", display_name="新同学", role="volunteer", password="Qiushi-Lake-42",
        desk_id=t.desk)),
    "accounts.set_user_active:user_id": Call("admin", lambda s, a, t, o: accounts.set_user_active(
        s, a, t.user, active=False)),
    "accounts.reset_password:user_id": Call("admin", lambda s, a, t, o: accounts.reset_password(
        s, a, t.user, "Fresh-Lantern-77")),
    "roster.shifts_on:desk_id": Call("volunteer", lambda s, a, t, o: roster.shifts_on(
        s, a, dt.date.today(), desk_id=t.desk), write=False),
    "roster.add_shift:user_id": Call("admin", lambda s, a, t, o: roster.add_shift(
        s, a, user_id=t.user, starts_at=utcnow() + dt.timedelta(days=1),
        ends_at=utcnow() + dt.timedelta(days=1, hours=2)), field="user_id"),
    "roster.remove_shift:shift_id": Call("admin", lambda s, a, t, o: roster.remove_shift(s, a, t.shift)),
    "roster.check_in:shift_id": Call("volunteer", lambda s, a, t, o: roster.check_in(s, a, t.shift)),
    "roster.check_out:shift_id": Call("volunteer", lambda s, a, t, o: roster.check_out(s, a, t.shift_in)),
    "desks.update_desk:desk_id": Call("admin", lambda s, a, t, o: desks.update_desk(s, a, t.desk, name="新名字")),
    "reference.set_setting:desk_id": Call("admin", lambda s, a, t, o: reference.set_setting(
        s, a, "idle_lock_minutes", 5, t.desk)),
    "transfer.import_:desk_id": Call("admin", lambda s, a, t, o: transfer.import_(s, a, o.ledger, desk_id=t.desk)),
    "transfer.ledger.import_ledger:desk_id": Call("admin", lambda s, a, t, o: ledger.import_ledger(
        s, a, o.ledger, desk_id=t.desk)),
}

EXEMPT: dict[str, str] = {
    "accounts.verify_password:user_id": "the lock screen: the logged-in person's own account (no other actor)",
    "audit.append:user_id": "writes the audit row of a service that already checked",
    "audit.append:entity_id": "writes the audit row of a service that already checked",
    "audit.append:case_id": "writes the audit row of a service that already checked",
    "audit.append:desk_id": "writes the audit row of a service that already checked (into its desk's chain)",
    "audit.checkpoint_for:desk_id": "a chain's row count and head hash (no record's data), for a final "
                                    "document after documents' check",
    "audit.checkpoint_text:desk_id": "the anchor line a report prints (row count and head hash, no record's data)",
    "deadlines.deadline_rules:desk_id": "a desk's deadline rules (no personal data), read after a check",
    "desks.join_desk:desk_id": "no actor: the first administrator of a desk without accounts, on PostgreSQL "
                               "only the connection's own desk (test_shared_postgres, the wizard's test)",
    "numbering.next_value:desk_id": "the number sequence of a case being accepted (after open_for's check)",
    "numbering.ensure_sequence:desk_id": "the number sequence of a case being accepted (after open_for's check)",
    "reference.categories:desk_id": "reference data (no personal data)",
    "reference.sources:desk_id": "reference data (no personal data)",
    "templates.active_template:desk_id": "called by documents.render_docx after its check",
    "templates.render_docx:desk_id": "called by documents.render_docx after its check",
    "transfer.write.raise_sequence:desk_id": "the import's writer, after require_desks",
    "transfer.write.describe_case:case_id": "the import's writer, after require_desks: names the stored case a "
                                            "row duplicates (a numbered one only by the number the file gives)",
    "parties.clean_party:p.existing_party_id": "checks the particulars typed; the id is store_parties'",
    "parties.party_audit:data.existing_party_id": "the audit row's words (names and masked numbers)",
    "parties.store_parties:data.existing_party_id": "the step of register_case and update_case (called above)",
    "consultations.convert_to_case:data.desk_id": "replaced by the consultation's desk (checked)",
    "consultations.convert_to_case:data.consultation_id": "replaced by the consultation's own id (checked)",
}


def test_every_service_that_takes_an_id_is_in_the_table() -> None:
    found = id_inputs()
    missing = sorted(found - set(CALLS) - set(EXEMPT))
    stale = sorted((set(CALLS) | set(EXEMPT)) - found)
    assert not missing, f"services taking an id that the desk-isolation table does not call: {missing}"
    assert not stale, f"table entries for ids no service takes any more: {stale}"
    assert not set(CALLS) & set(EXEMPT)


def _refused(call: Call, exc: BaseException) -> bool:
    if call.field:
        return isinstance(exc, ValidationError) and call.field in exc.errors
    return isinstance(exc, (NotFound, PermissionDenied))


def _actor(world: World, call: Call) -> Actor:
    people = world.own.people
    return {"admin": people.admin, "officer": people.officer, "volunteer": people.volunteer}[call.role]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_another_desks_id_is_refused(world: World, name: str) -> None:
    call = CALLS[name]
    actor = _actor(world, call)
    # Desk 1's own ids get past the desk check (another rule may still say no).
    with trial(world.db) as s:
        try:
            result = call.run(s, actor, world.own, world.own)
        except MediationError as exc:
            assert not _refused(call, exc), f"{name}: refused on the actor's own desk: {exc}"
        else:
            if call.empty:
                assert result, f"{name}: nothing found on the actor's own desk"
    # Desk 2's: refused (or, for a query, nothing).
    with trial(world.db) as s:
        if call.empty:
            assert not call.run(s, actor, world.other, world.own), f"{name}: shows another desk's records"
            return
        with pytest.raises(MediationError) as caught:
            call.run(s, actor, world.other, world.own)
        assert _refused(call, caught.value), f"{name}: not refused by the desk check: {caught.value!r}"


@pytest.mark.parametrize("name", sorted(n for n, c in CALLS.items() if c.role != "admin" and not c.field))
def test_a_roll_up_account_reads_every_desk_and_changes_none(world: World, name: str) -> None:
    call = CALLS[name]
    actor = world.rollup[call.role]
    with trial(world.db) as s:
        if call.empty:  # a query: it shows the other desk, unless it offers records to change
            found = call.run(s, actor, world.other, world.own)
            assert bool(found) == (not call.write), f"{name}: {found!r}"
        elif call.write:
            with pytest.raises((PermissionDenied, ValidationError)) as caught:
                call.run(s, actor, world.other, world.own)
            if isinstance(caught.value, ValidationError):  # registering: "not for another desk"
                assert "desk_id" in caught.value.errors
        else:
            try:
                call.run(s, actor, world.other, world.own)
            except MediationError as exc:
                assert not isinstance(exc, (NotFound, PermissionDenied)), f"{name}: {exc}"


def test_the_party_of_another_desk_is_neither_offered_reused_nor_overwritten(world: World) -> None:
    """The holes issue 11 named: register_case took any existing_party_id and wrote the typed
    phone and address onto another desk's party; find_existing_parties offered it."""
    own, other = world.own, world.other
    with trial(world.db) as s:
        offered = parties.find_existing_parties(s, own.people.volunteer, id_number=other.party_id_number)
        assert other.party not in {m.party_id for m in offered}
        data = _form_with_party(other, own)
        data.parties[0].phone, data.parties[0].address = "13911112222", "另一个地址"
        with pytest.raises(ValidationError):
            cases.register_case(s, own.people.volunteer, data)
    with world.db.read() as s:
        from mediation.models import Party

        theirs = s.get(Party, other.party)
        assert theirs is not None and theirs.phone != "13911112222" and theirs.address != "另一个地址"
        assert theirs.desk_id == other.desk


def test_a_consultation_of_another_desk_is_not_linked_to_a_new_case(world: World) -> None:
    with trial(world.db) as s, pytest.raises(NotFound):
        cases.register_case(s, world.own.people.volunteer,
                            dispute(desk_id=world.own.desk, consultation_id=world.other.consultation))
    with world.db.read() as s:
        c = s.get(Consultation, world.other.consultation)
        assert c is not None and c.converted_case_id is None
