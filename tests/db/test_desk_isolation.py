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
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import mediation.services
import mediation.statistics
from mediation import statistics, workflow
from mediation.db import Database
from mediation.errors import MediationError, NotFound, PermissionDenied, ValidationError
from mediation.models import CaseParty, Consultation, DisputeCategory, DisputeSubtype, User
from mediation.permissions import Actor
from mediation.services import (
    accounts,
    audit_view,
    case_detail,
    case_records,
    case_review,
    caselist,
    cases,
    consultations,
    desks,
    documents,
    parties,
    reference,
    reports,
    supervision,
    transfer,
)
from mediation.services.audit_view import AuditQuery
from mediation.services.case_records import FollowUpInput, InvestigationInput, SessionInput
from mediation.services.cases import AgreementInput, CaseEdit
from mediation.services.consultations import ConsultationInput, ConsultationQuery
from mediation.services.transfer import ledger
from mediation.statistics.periods import Period
from mediation.timeutil import local_today, utcnow
from tests import service_ids
from tests.desks import DeskPeople, make_two_desks, trial
from tests.conftest import Desk, _pg_database, backends
from tests.factories import agreed_case, dispute, document_on, ledger_workbook, mediating_case, person
from tests.pngs import png as signature_png

# ---------------------------------------------------------------- what takes an id


def _skipped(short: str) -> bool:
    if short == "access":
        return True  # the check itself
    # The roster package (issue 16) has its own table of calls, with the same completeness
    # check over every roster module: tests/db/test_roster_desks.py (its desks need terms,
    # volunteers, slots and swaps this world does not furnish).
    return short == "roster" or short.startswith("roster.")


def id_inputs() -> set[str]:
    """``module.function:parameter[.field…]`` for every id a public service function takes."""
    return service_ids.id_inputs(mediation.services, _skipped)


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
    category: int = 0
    """A category of the desk's list that has sub-types; ``subtype``: one of them."""
    subtype: int = 0
    report_filed: int = 0
    report_approved: int = 0
    report_submitted: int = 0
    ledger: Path | None = None
    viewer: int = 0
    """The officer who viewed ``party``'s full ID number (an audit row ``party.view_id``)."""
    draw: int = 0
    """A 抽卷评查 draw over the desk's case closed today; ``review``: its (pending) review."""
    review: int = 0
    declined: int = 0
    """A case closed after 不予受理 (the one drawn): it may be reopened."""
    exports: Path | None = None
    """A folder for the audit viewer's exports."""


@dataclass
class World:
    db: Database
    own: Ids
    other: Ids
    rollup: dict[str, Actor]


def _furnish(db: Database, people: DeskPeople, tmp: Path, seed: int) -> Ids:
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
        sub = s.scalars(select(DisputeSubtype).where(DisputeSubtype.desk_id == people.desk_id,
                                                     DisputeSubtype.category_id.is_not(None))
                        .order_by(DisputeSubtype.id)).first()
        assert sub is not None and sub.category_id is not None
        ids.category, ids.subtype = sub.category_id, sub.id
        assert s.get(DisputeCategory, ids.category) is not None
        # Reports of a past period: one filed, one approved, one submitted (frozen).
        ids.report_filed = reports.file_report(s, people.volunteer, people.desk_id, "people", REPORT_PERIOD)
        ids.report_approved = reports.file_report(s, people.volunteer, people.desk_id, "police", REPORT_PERIOD)
        reports.review_report(s, people.officer, ids.report_approved, approve=True)
        ids.report_submitted = reports.file_report(s, people.volunteer, people.desk_id, "campus", REPORT_PERIOD)
        reports.review_report(s, people.officer, ids.report_submitted, approve=True)
        reports.submit_report(s, people.officer, ids.report_submitted)
        # An ID number viewed (the audit viewer's id-view count), a case closed today and drawn for review.
        parties.reveal_id_number(s, people.officer, ids.party)
        ids.viewer = people.officer.user_id
        declined = cases.register_case(s, people.volunteer, dispute(desk_id=people.desk_id)).id
        cases.decline_case(s, people.officer, declined, reason="不属于调解范围")
        ids.declined = declined
        today = local_today()
        drawn = case_review.draw_cases(s, people.officer, period_from=today, period_to=today, n=1, seed=seed)
        assert drawn.case_ids == [declined]
        ids.draw = drawn.draw_id
        ids.review = case_review.list_draws(s, people.officer)[0].reviews[0].id
    ids.exports = tmp / f"exports{seed}"
    ids.exports.mkdir()
    ids.doc_draft = document_on(db, people, ids.agreed)
    ids.doc_submitted = document_on(db, people, ids.agreed, status="submitted")
    ids.doc_approved = document_on(db, people, ids.agreed, status="approved")
    ids.doc_final = document_on(db, people, ids.agreed, status="final")
    ids.ledger = ledger_workbook(tmp / f"台账{seed}.xlsx", [
        [1, None, dt.datetime(2025, 3, 1), "孙七", "13800138000", "周八", "合同", "当事人申请",
         "借款未还。", "还款", 300, None, None, None]])
    return ids


REPORT_PERIOD = Period.month(2025, 1)


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
    desks = make_two_desks(db, first)
    own = _furnish(db, desks.own, tmp, 1)
    other = _furnish(db, desks.other, tmp, 2)
    rollup = {}
    with db.write() as s:
        for role in ("volunteer", "officer"):
            uid = accounts.create_user(s, first.admin, username=f"rollup_{role}", display_name="分局", role=role,
                                       password="Qiushi-Lake-42", desk_id=None, all_desks=True)
            rollup[role] = Actor(uid, f"rollup_{role}", "分局", role, None, all_desks=True)
    yield World(db, own, other, rollup)
    db.dispose()


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


def _this_month() -> Period:
    today = local_today()
    return Period.month(today.year, today.month)


def _record(when: str = "session") -> Any:
    return SessionInput(held_at=utcnow(), content="双方陈述。", place="调解室", result="continued")


def _audit_query(param: str, t: Ids, *, id_views: bool = False) -> AuditQuery:
    """The audit viewer's filter on one id of desk ``t``: rows of its agreed case (or, among the
    full-ID views, of its party and of the officer who viewed it), its chain, its volunteer."""
    if param == "desk_id":
        return AuditQuery(desk_id=t.desk)
    if param == "case_id":
        return AuditQuery(case_id=t.agreed)
    if param == "entity_id":
        return AuditQuery(entity="party", entity_id=t.party) if id_views else AuditQuery(entity="case",
                                                                                           entity_id=t.agreed)
    assert param == "user_id"
    return AuditQuery(user_id=t.viewer if id_views else t.user)


def _written_rows(s: Session, a: Actor, query: AuditQuery, own: Ids) -> int:
    assert own.exports is not None
    written = audit_view.write_export(s, a, query, own.exports / "审计日志.csv", "csv")
    audit_view.discard_export(written)
    return written.rows


AUDIT_FILTERS = ("case_id", "desk_id", "entity_id", "user_id")


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
    "cases.reopen_case:case_id": Call("officer", lambda s, a, t, o: cases.reopen_case(
        s, a, t.declined, reason="撤诉后申请调解")),
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
    "caselist.count_cases_capped:query.desk_id": Call("volunteer", lambda s, a, t, o: caselist.count_cases_capped(
        s, a, caselist.CaseQuery(desk_id=t.desk)).n, write=False, empty=True),
    "caselist.count_cases_capped:query.mediator_id": Call("volunteer", lambda s, a, t, o: caselist.count_cases_capped(
        s, a, caselist.CaseQuery(mediator_id=t.user)).n, write=False, empty=True),
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
    "documents.render_for_case:case_id": Call("volunteer", lambda s, a, t, o: documents.render_for_case(
        s, a, t.agreed, "people_agreement", "pdf"), write=False),
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
    "accounts.update_user:user_id": Call("admin", lambda s, a, t, o: accounts.update_user(
        s, a, t.user, display_name="改过的名字", role="volunteer")),
    "desks.update_desk:desk_id": Call("admin", lambda s, a, t, o: desks.update_desk(s, a, t.desk, name="新名字")),
    "reference.set_setting:desk_id": Call("admin", lambda s, a, t, o: reference.set_setting(
        s, a, "idle_lock_minutes", 5, t.desk)),
    "transfer.import_:desk_id": Call("admin", lambda s, a, t, o: transfer.import_(s, a, o.ledger, desk_id=t.desk)),
    "transfer.ledger.import_ledger:desk_id": Call("admin", lambda s, a, t, o: ledger.import_ledger(
        s, a, o.ledger, desk_id=t.desk)),
    # issue 12 (features): the agreement of record, consultations' list and corrections, the case file
    "cases.carry_final_agreement:case_id": Call("volunteer", lambda s, a, t, o: cases.carry_final_agreement(
        s, a, t.agreed, AgreementInput(kind="written", terms="退还押金五百元。", amount="500"), title="调解协议书")),
    "consultations.list_consultations:query.answered_by_id": Call(
        "volunteer", lambda s, a, t, o: consultations.list_consultations(
            s, a, ConsultationQuery(answered_by_id=t.user)), write=False, empty=True),
    "consultations.update_consultation:consultation_id": Call(
        "volunteer", lambda s, a, t, o: consultations.update_consultation(s, a, t.consultation, ConsultationInput(
            topic="押金退还", answer="可以协商", person_name="王五", phone="13700137000"))),
    "documents.agreement_draft:case_id": Call("volunteer", lambda s, a, t, o: documents.agreement_draft(
        s, a, t.agreed), write=False),
    "documents.case_file_pdf:case_id": Call("volunteer", lambda s, a, t, o: documents.case_file_pdf(
        s, a, t.agreed), write=False),
    "documents.final_cover:case_id": Call("volunteer", lambda s, a, t, o: documents.final_cover(
        s, a, t.agreed), write=False),
    "documents.sign_lines_for:document_id": Call("volunteer", lambda s, a, t, o: documents.sign_lines_for(
        s, a, t.doc_approved), write=False),
    # the desk's reference lists (0007: items with ids)
    "reference.items:desk_id": Call("officer", lambda s, a, t, o: reference.items(
        s, a, t.desk, "category", include_retired=True), write=False),
    "reference.add_item:desk_id": Call("admin", lambda s, a, t, o: reference.add_item(
        s, a, t.desk, "category", "新的类别")),
    "reference.add_item:category_id": Call("admin", lambda s, a, t, o: reference.add_item(
        s, a, o.desk, "subtype", "新的类型", category_id=t.category), field="category_id"),
    "reference.rename_item:item_id": Call("admin", lambda s, a, t, o: reference.rename_item(
        s, a, "category", t.category, "改过名的类别")),
    "reference.move_item:item_id": Call("admin", lambda s, a, t, o: reference.move_item(
        s, a, "category", t.category, 1)),
    "reference.set_item_active:item_id": Call("admin", lambda s, a, t, o: reference.set_item_active(
        s, a, "category", t.category, False)),
    # issue 15 (stats): what a case records for the statistics, the mapping, the reports
    "supervision.record_outcome:case_id": Call("officer", lambda s, a, t, o: supervision.record_outcome(
        s, a, t.agreed, supervision.OutcomeInput(prevented_escalation=True, prevented_escalation_people=2))),
    "supervision.get_outcome:case_id": Call("volunteer", lambda s, a, t, o: supervision.get_outcome(
        s, a, t.agreed), write=False),
    "supervision.set_mapping:desk_id": Call("admin", lambda s, a, t, o: supervision.set_mapping(
        s, a, t.desk, "people_row", o.category, "housing")),
    "supervision.set_mapping:item_id": Call("admin", lambda s, a, t, o: supervision.set_mapping(
        s, a, o.desk, "people_row", t.category, "housing")),
    "supervision.set_mapping:subtype_id": Call("admin", lambda s, a, t, o: supervision.set_mapping(
        s, a, o.desk, "people_row", o.category, "housing", subtype_id=t.subtype)),
    "supervision.mapping_rows:desk_id": Call("officer", lambda s, a, t, o: supervision.mapping_rows(
        s, a, t.desk, "people_row"), write=False),
    "reports.file_report:desk_id": Call("volunteer", lambda s, a, t, o: reports.file_report(
        s, a, t.desk, "quality", REPORT_PERIOD)),
    "reports.review_report:report_id": Call("officer", lambda s, a, t, o: reports.review_report(
        s, a, t.report_filed, approve=True)),
    "reports.submit_report:report_id": Call("officer", lambda s, a, t, o: reports.submit_report(
        s, a, t.report_approved)),
    "reports.get_report:report_id": Call("volunteer", lambda s, a, t, o: reports.get_report(
        s, a, t.report_filed), write=False),
    "reports.list_reports:desk_id": Call("volunteer", lambda s, a, t, o: reports.list_reports(
        s, a, desk_id=t.desk), write=False),
    "reports.frozen_table:report_id": Call("officer", lambda s, a, t, o: reports.frozen_table(
        s, a, t.report_submitted), write=False),
    "reports.changes_since_submission:report_id": Call(
        "officer", lambda s, a, t, o: reports.changes_since_submission(s, a, t.report_submitted), write=False),
    "reports.render_table:desk_id": Call("officer", lambda s, a, t, o: reports.render_table(
        s, a, "campus", REPORT_PERIOD, "xlsx", desk_id=t.desk), write=False),
    # the statistics' entry points (mediation.statistics): a desk the actor does not read is refused
    "statistics.table:desk_id": Call("officer", lambda s, a, t, o: statistics.table(
        s, a, "people", _this_month(), desk_id=t.desk), write=False),
    "statistics.table_compared:desk_id": Call("officer", lambda s, a, t, o: statistics.table_compared(
        s, a, "quality", _this_month(), desk_id=t.desk), write=False),
    "statistics.figure_cases:desk_id": Call("officer", lambda s, a, t, o: statistics.figure_cases(
        s, a, "people", _this_month(), "total", "accepted", desk_id=t.desk), write=False),
    "statistics.charts:desk_id": Call("officer", lambda s, a, t, o: statistics.charts(
        s, a, _this_month(), desk_id=t.desk), write=False),
    "statistics.chart_figure_cases:desk_id": Call("officer", lambda s, a, t, o: statistics.chart_figure_cases(
        s, a, _this_month(), "funnel", "accepted", desk_id=t.desk), write=False),
    # the audit viewer (issue 15 item 5): another desk's id in a filter finds nothing
    **{f"audit_view.list_entries:query.{p}": Call("officer", lambda s, a, t, o, p=p: audit_view.list_entries(
        s, a, _audit_query(p, t)).entries, write=False, empty=True) for p in AUDIT_FILTERS},
    **{f"audit_view.iter_entries:query.{p}": Call("officer", lambda s, a, t, o, p=p: list(audit_view.iter_entries(
        s, a, _audit_query(p, t), batch=5)), write=False, empty=True) for p in AUDIT_FILTERS},
    **{f"audit_view.count_entries:query.{p}": Call("officer", lambda s, a, t, o, p=p: audit_view.count_entries(
        s, a, _audit_query(p, t)), write=False, empty=True) for p in AUDIT_FILTERS},
    **{f"audit_view.id_views_by_person:query.{p}": Call(
        "officer", lambda s, a, t, o, p=p: audit_view.id_views_by_person(s, a, _audit_query(p, t, id_views=True)),
        write=False, empty=True) for p in ("desk_id", "entity_id", "user_id")},
    **{f"audit_view.write_export:query.{p}": Call("officer", lambda s, a, t, o, p=p: _written_rows(
        s, a, _audit_query(p, t), o), write=False, empty=True) for p in AUDIT_FILTERS},
    # writes only its own audit row (as documents.record_output): a read for the roll-up test
    **{f"audit_view.export_entries:query.{p}": Call("officer", lambda s, a, t, o, p=p: audit_view.export_entries(
        s, a, _audit_query(p, t), o.exports / "审计日志.xlsx", "xlsx"), write=False, empty=True)
       for p in AUDIT_FILTERS},
    # 抽卷评查 (issue 15 item 6)
    "case_review.draw_cases:desk_id": Call("officer", lambda s, a, t, o: case_review.draw_cases(
        s, a, period_from=local_today(), period_to=local_today(), n=1, desk_id=t.desk)),
    "case_review.reproduce_draw:draw_id": Call("officer", lambda s, a, t, o: case_review.reproduce_draw(
        s, a, t.draw), write=False),
    "case_review.get_review:review_id": Call("officer", lambda s, a, t, o: case_review.get_review(
        s, a, t.review), write=False),
    "case_review.record_review:review_id": Call("officer", lambda s, a, t, o: case_review.record_review(
        s, a, t.review, {k: case_review.ItemInput(met=True) for k in case_review.CHECK_ITEMS})),
}

EXEMPT: dict[str, str] = {
    "audit_view.id_views_by_person:query.case_id": "no full-ID view row carries a case (parties.reveal_id_number "
                                                   "records the party only), so desk 1 has none to find either; the "
                                                   "filter is the one list_entries applies (its query.case_id entry)",
    **{f"audit_view.{fn}:written.query.{p}": why
       for fn, why in (("record_export", ("writes the audit row of an export write_export made (its rows read "
                                          "under write_export's desk condition); the query's ids are only its "
                                          "filter words, nothing is read by them")),
                       ("publish_export", "no session: puts the file write_export wrote in place"),
                       ("discard_export", "no session: deletes the file write_export wrote"))
       for p in AUDIT_FILTERS},
    "case_review.closed_in:desk_id": "draw_cases' step, on the desk its check (_desk_for_write) allowed; no actor",
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
    "reference.items:category_id": "a filter inside the desk whose list items() already checked (desk_id): "
                                   "another desk's category matches none of its sub-types",
    "reference.label_of:item_id": "the label of an item id a service read from a record it already loaded "
                                  "through its desk check (a case, a consultation, a report's typical case)",
    **{f"reference.classify:{p}": "a step of the case and consultation forms' cleaning, on the desk the "
                                  "service already checked (register_case's desk_id field, the record's desk); "
                                  "``current`` holds the record's own ids"
       for p in ("desk_id", "current.category_id", "current.subcategory_id", "current.source_id")},
    "reference.ensure:desk_id": "the import's writer (after require_desks) and the demo data's bulk writer: "
                                "ids for the labels of records being written to that desk",
    "reference.seed_desk:desk_id": "create_desk's step: the new desk's default lists (after create_desk's check)",
    "reference.list_settings:desk_id": "the export's step, for the desks the export already narrowed to the "
                                       "actor's (its visible() filter)",
    "reference.merge_list:desk_id": "the import's writer, after require_desks",
    # The statistics' computation: no actor; called by the entry points above with the desk
    # set statistics.desks_for checked (and by reports after _load's check).
    "statistics.desks_for:desk_id": "the check itself (the statistics' entry points call it first)",
    **{f"statistics.{name}:desks": "computation on the desk set statistics.desks_for (or a report's "
                                   "checked desk) gave; no actor"
       for name in ("charts.chart_cases", "charts.chart_data", "charts.funnel", "charts.heat", "charts.monthly",
                    "charts.sources", "charts.types_by_month", "mapping.resolver", "tables.campus_table",
                    "tables.cases_behind", "tables.compared", "tables.compute", "tables.people_table",
                    "tables.police_table", "tables.quality_figures", "tables.quality_table", "summary.monthly",
                    "summary.sums")},
    **{f"statistics.review.{name}:desks": "评查 rows of the 质效表: computation on the desk set quality_table "
                                          "(after statistics.desks_for) gave; no actor"
       for name in ("cases_behind", "figures", "join_quality")},
    # The statistics summary's bookkeeping: no actor, no figure shown (each case's facts, derived and
    # stored by the write sessions' flush for the cases the triggers marked; read by sums on its desk set).
    **{f"statistics.summary.{name}:ids": "the summary's bookkeeping of the cases the triggers marked stale "
                                         "(no actor; the figures are read through statistics.desks_for)"
       for name in ("derive", "refresh", "stored")},
    "statistics.mapping.current:desk_id": "the mapping's rows, read by supervision.mapping_rows after its check",
    "statistics.mapping.freeze:desk_id": "writes the mapping in force, by reports.file_report after its check",
    "statistics.mapping.freeze:user_id": "the filer (the actor of reports.file_report) written down",
    **{f"statistics.mapping.seed_item:{p}": "the new item's default mapping rows, by reference._insert (add_item "
                                            "after its check, seed_desk, ensure)"
       for p in ("desk_id", "item_id", "category_id")},
}


def statistics_inputs() -> set[str]:
    """The ids (and desk sets) the statistics' functions take, as ``statistics.…`` entries."""
    return {f"statistics.{k}" for k in service_ids.id_inputs(mediation.statistics, sets=frozenset({"desks", "ids"}))}


def test_every_service_that_takes_an_id_is_in_the_table() -> None:
    found = id_inputs() | statistics_inputs()
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


def test_a_desk_administrator_cannot_change_an_installation_wide_account(world: World) -> None:
    """update_user let a desk's administrator rename an account of no desk and change its role
    (e.g. make a roll-up account an administrator): only those who change every desk may."""
    admin = world.own.people.admin
    rollup = world.rollup["officer"]
    with trial(world.db) as s:
        with pytest.raises(NotFound):  # access's rule: a desk-less row is not even shown to a desk
            accounts.update_user(s, admin, rollup.user_id, display_name="分局", role="admin")
        user = s.get(User, rollup.user_id)
        assert user is not None and user.role == "officer" and user.desk_id is None
