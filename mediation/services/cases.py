"""A case and its stages: register, edit, and every move from one stage to the next.

Also the steps every service that changes a case takes (load it for the actor, check
the version the person saw, record the event, audit the whole change), which the
case records and the documents use too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mediation import validation, workflow
from mediation.db import require_write
from mediation.errors import (
    Conflict,
    PermissionDenied,
    ValidationError,
    WorkflowError,
)
from mediation.i18n import _
from mediation.models import (
    Case,
    CaseEvent,
    Consultation,
    Desk,
    DisputeCategory,
    Document,
    FollowUp,
    SessionRecord,
)
from mediation.permissions import Actor, require
from mediation.services import access, audit, deadlines, reference
from mediation.services.numbering import format_case_number, next_value
from mediation.services.parties import (
    PartyInput,
    clean_party,
    party_audit,
    store_parties,
)
from mediation.timeutil import age_on, local_date, local_today, utcnow
from mediation.validation import Collector

MAX_PARTIES = 50


@dataclass
class CaseInput:
    """The intake form."""

    parties: list[PartyInput]
    facts: str
    claims: str = ""
    category: str = ""
    subcategory: str = ""
    source: str = ""
    title: str = ""
    amount: str | Decimal | None = None
    desk_id: int | None = None
    registered_at: dt.datetime | None = None
    consultation_id: int | None = None


@dataclass(frozen=True)
class CaseRef:
    id: int
    number: str | None
    stage: str
    version: int


def case_ref(case: Case) -> CaseRef:
    return CaseRef(case.id, case.number, case.stage, case.version_id)


def load_case(session: Session, actor: Actor, case_id: int, *, for_update: bool = False,
              write: bool = False) -> Case:
    """The case if it exists and the actor may see its desk; NotFound otherwise.

    ``write``: the caller is about to change the case or add to it: the actor must also
    be allowed to change its desk, or PermissionDenied. ``for_update`` (implies
    ``write``) also locks the row.
    """
    if (for_update or write) and actor.writable_desks == frozenset():
        # Changes no desk (a roll-up account): say so before asking to lock a row.
        raise PermissionDenied(_("您的账户只能查看，不能修改案件。"))
    stmt = select(Case).where(Case.id == case_id)
    if for_update:
        stmt = stmt.with_for_update()
    case = session.execute(stmt).scalar_one_or_none()
    if case is None:
        raise access.missing(Case)
    if for_update or write:
        access.check_write(actor, case.desk_id, Case, _("您只能修改本调解点的案件。"))
    else:
        access.check_read(actor, case.desk_id, Case)
    return case


def check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and case.version_id != expected_version:
        raise Conflict(_("该案件已被其他人修改（您打开的是第 {mine} 版，现在是第 {now} 版）。"
                         "请重新载入后再保存，您输入的内容会保留。").format(
            mine=expected_version, now=case.version_id))


def touch(case: Case) -> None:
    """Mark the case row changed so its version increases with every change on it."""
    case.updated_at = utcnow()


def flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(_("该案件刚被其他人修改，您的修改未保存。请重新载入。")) from None


def record_event(session: Session, case: Case, actor: Actor, kind: str, summary: str, *,
                 stage_from: str | None = None, stage_to: str | None = None,
                 data: dict[str, Any] | None = None) -> None:
    session.add(CaseEvent(case_id=case.id, user_id=actor.user_id, kind=kind, summary=summary,
                          stage_from=stage_from, stage_to=stage_to,
                          data=audit.jsonable(data) if data else None))


CASE_AUDIT_FIELDS = (
    "number", "stage", "track", "category_id", "subcategory_id", "source_id", "title", "facts", "claims",
    "amount", "mediator_id", "deadline", "result", "outcome_reason", "referred_to",
    "routes_suggested", "agreement_kind", "agreement_terms", "agreement_amount",
    "performance_manner", "performance_place", "performance_deadline", "agreement_signed_at",
    "performance_status", "prevented_escalation", "police_exclusions_ack", "closed_at",
    "archived_at", "retention_years", "terminated_at", "police_method", "prevented_escalation_people",
    "prevented_petition", "prevented_petition_people", "judicial_applied_on", "judicial_court",
    "judicial_outcome", "judicial_decided_on",
)


def snapshot(case: Case) -> dict[str, Any]:
    return {f: getattr(case, f) for f in CASE_AUDIT_FIELDS}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_case(session: Session, actor: Actor, case: Case, action: str,
               before: dict[str, Any] | None, extra: dict[str, Any] | None = None) -> None:
    after = snapshot(case)
    if before is None:
        b, a = None, after
    else:
        b, a = _diff(before, after)
    if extra:
        a = {**a, **extra}
    from mediation.services.reports import locked_reports_for_case  # reports sit above the cases

    # the dates it counted by before the change too (恢复调解 clears the termination's)
    earlier = [(before or {}).get(k) for k in ("terminated_at", "closed_at")]
    locked = locked_reports_for_case(session, case, earlier=earlier)
    if locked and b is not None:  # a change to a case counted in a submitted report: 报送后有变动
        a = {**a, "locked_reports": locked}
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action=action, entity="case",
                 entity_id=case.id, case_id=case.id, before=b, after=a)


def _classification(case: Case) -> reference.Classification:
    return reference.Classification(case.category_id, case.subcategory_id, case.source_id)


def _validate_case(session: Session, data: CaseInput, today: dt.date, *, desk_id: int,
                   current: reference.Classification | None = None,
                   with_parties: bool = True) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    v = Collector()
    fields: dict[str, Any] = {
        "facts": v.check("facts", validation.text, data.facts, required=True, max_len=20000),
        "claims": v.check("claims", validation.text, data.claims, max_len=10000) or "",
        "title": v.check("title", validation.text, data.title, max_len=200) or "",
        "amount": (v.check("amount", validation.money, data.amount)
                   if data.amount not in (None, "") else None),
    }
    # The form sends the labels it offered; the case stores the desk's ids for them.
    ids = reference.classify(session, desk_id, category=(data.category or "").strip(),
                             subcategory=(data.subcategory or "").strip(), source=(data.source or "").strip(),
                             current=current, v=v)
    fields.update(category_id=ids.category_id, subcategory_id=ids.subcategory_id, source_id=ids.source_id)
    if not with_parties:
        v.raise_if_any()
        return fields, []
    if not data.parties:
        v.add("parties", _("请至少登记一名当事人。"))
    if len(data.parties) > MAX_PARTIES:
        v.add("parties", _("当事人最多 {n} 名。").format(n=MAX_PARTIES))
    parties: list[dict[str, Any]] = []
    for i, p in enumerate(data.parties):
        parties.append(clean_party(p, v.prefixed(f"parties.{i}"), today=today))
        if p.role in workflow.REPRESENTATIVE_ROLES:
            if p.represents is None or not (0 <= p.represents < len(data.parties)) or p.represents == i:
                v.add(f"parties.{i}.represents", _("请选择此代理人/监护人所代表的当事人。"))
            elif data.parties[p.represents].role in workflow.REPRESENTATIVE_ROLES:
                v.add(f"parties.{i}.represents", _("代理人/监护人只能代表申请人、被申请人或第三人。"))
    v.raise_if_any()
    return fields, parties


def open_for(session: Session, actor: Actor, case_id: int, action: str, *,
             expected_version: int | None = None) -> Case:
    """The case, locked, for ``action`` (a rule of workflow.ACTIONS): the actor's role may do
    it, the case's desk is theirs to change, it is the version they saw, its stage allows it."""
    require_write(session)
    require(actor, workflow.rule(action).permission)
    case = load_case(session, actor, case_id, for_update=True)
    check_version(case, expected_version)
    workflow.ensure_stage(action, case.stage)
    return case


def register_case(session: Session, actor: Actor, data: CaseInput) -> CaseRef:
    """Log a new dispute (stage: registered)."""
    require_write(session)
    require(actor, "case.register")
    desk_id = data.desk_id or actor.desk_id
    if desk_id is None or session.get(Desk, desk_id) is None:
        raise ValidationError(field="desk_id", message=_("请选择调解点。"))
    if not actor.may_write_desk(desk_id):
        raise ValidationError(field="desk_id", message=_("您不能为其他调解点登记案件。"))
    if data.consultation_id is not None:
        # Checked here rather than left to the foreign key (an IntegrityError nobody can
        # read); another desk's consultation is refused as any other desk's record is.
        gone = ValidationError(field="consultation_id", message=_(
            "要转为案件的法律咨询记录不存在（可能已被删除或属于其他调解点）。"))
        if session.get(Consultation, data.consultation_id) is None:
            raise gone
        if access.writable(session, actor, Consultation, data.consultation_id).desk_id != desk_id:
            raise gone
    today = local_today()
    fields, parties = _validate_case(session, data, today, desk_id=desk_id)
    registered_at = data.registered_at or utcnow()
    if local_date(registered_at) > today:
        raise ValidationError(field="registered_at", message=_("登记时间不能晚于今天。"))
    validation.plausible_date(registered_at, field="registered_at")
    case = Case(desk_id=desk_id, stage=workflow.REGISTERED, registered_at=registered_at,
                registered_by_id=actor.user_id, consultation_id=data.consultation_id,
                people_involved=len(data.parties), **fields)
    session.add(case)
    store_parties(session, actor, case, data.parties, parties)
    record_event(session, case, actor, "registered", _("登记纠纷"), stage_to=workflow.REGISTERED)
    flush(session)
    audit_case(session, actor, case, "case.register", None,
               {"parties": party_audit(data.parties, parties)})
    return case_ref(case)


@dataclass
class CaseEdit:
    """Fields of an existing case that the intake form can change."""

    facts: str
    claims: str = ""
    category: str = ""
    subcategory: str = ""
    source: str = ""
    title: str = ""
    amount: str | Decimal | None = None
    parties: list[PartyInput] | None = None
    """None leaves the parties as they are; a list replaces them."""


def update_case(session: Session, actor: Actor, case_id: int, data: CaseEdit, *,
                expected_version: int | None) -> CaseRef:
    """Save edits; a stale ``expected_version`` raises Conflict and changes nothing."""
    require_write(session)
    require(actor, "case.edit")
    case = load_case(session, actor, case_id, for_update=True)
    check_version(case, expected_version)
    if case.stage in (workflow.CLOSED, workflow.ARCHIVED):
        raise WorkflowError(_("已结案或归档的案件不能修改。"))
    full = CaseInput(parties=data.parties or [], facts=data.facts, claims=data.claims,
                     category=data.category, subcategory=data.subcategory, source=data.source,
                     title=data.title, amount=data.amount)
    fields, clean = _validate_case(session, full, local_today(), desk_id=case.desk_id,
                                   current=_classification(case), with_parties=data.parties is not None)
    if case.stage != workflow.REGISTERED and case.track and fields["category_id"] is None:
        raise ValidationError(field="category", message=_("已受理的案件必须有纠纷类别。"))
    before = snapshot(case)
    for k, v in fields.items():
        setattr(case, k, v)
    extra: dict[str, Any] = {}
    if data.parties is not None:
        old = [{"role": link.role, "name": link.party.name} for link in case.parties]
        case.parties.clear()
        session.flush()
        store_parties(session, actor, case, data.parties, clean)
        case.people_involved = len(data.parties)
        extra = {"parties_before": old, "parties": party_audit(data.parties, clean)}
    touch(case)
    record_event(session, case, actor, "edited", _("修改案件信息"))
    flush(session)
    audit_case(session, actor, case, "case.update", before, extra)
    return case_ref(case)


def facts_for(session: Session, case: Case, *, reason: str = "", referred_to: str = "",
              police_exclusions: tuple[str, ...] = (), ack: bool = False,
              sessions: int | None = None, follow_ups: int | None = None,
              category: str | None = None) -> workflow.CaseFacts:
    """The case as the workflow's guards see it; ``sessions``/``follow_ups`` counted and the
    ``category`` label read here unless the caller has them already (opening a case: three
    queries fewer)."""
    today = local_today()
    guarded = {link.represents_id for link in case.parties if link.role == "guardian" and link.represents_id}
    parties = tuple(
        workflow.PartyFacts(
            role=link.role, name=link.party.name,
            is_minor=(link.party.kind == "person" and link.party.birth_date is not None
                      and age_on(link.party.birth_date, today) < 18),
            has_guardian=link.id in guarded)
        for link in case.parties)
    if sessions is None:
        sessions = session.scalar(select(func.count()).select_from(SessionRecord)
                                  .where(SessionRecord.case_id == case.id)) or 0
    if follow_ups is None:
        follow_ups = session.scalar(select(func.count()).select_from(FollowUp)
                                    .where(FollowUp.case_id == case.id)) or 0
    return workflow.CaseFacts(
        stage=case.stage, track=case.track,
        category=(reference.label_of(session, DisputeCategory, case.category_id) if category is None
                  else category), facts=case.facts,
        parties=parties, mediator_id=case.mediator_id, sessions=sessions,
        agreement_kind=case.agreement_kind, agreement_terms=case.agreement_terms,
        performance_manner=case.performance_manner,
        performance_deadline=case.performance_deadline,
        agreement_signed=case.agreement_signed_at is not None,
        performance_status=case.performance_status, follow_ups=follow_ups,
        police_exclusions=police_exclusions or tuple(case.police_exclusions_ack or ()),
        police_exclusions_ack=ack or bool(case.police_exclusions_ack),
        reason=reason, referred_to=referred_to, result=case.result,
        case_file_cover=case.stage == workflow.CLOSED and _cover_content(session, case) is not None)


def _cover_content(session: Session, case: Case) -> dict[str, Any] | None:
    """What the final cover of the case file says (None: no final cover yet)."""
    from mediation.models import DocumentVersion

    return session.scalar(
        select(DocumentVersion.content).join(Document, Document.id == DocumentVersion.document_id)
        .where(Document.case_id == case.id, Document.form == "case_file_cover", DocumentVersion.status == "final")
        .order_by(DocumentVersion.id.desc()).limit(1))


def retention_years_of(period: str) -> int | None:
    """保管期限 as written on the cover ("10年", "三十年"…) in years; None for 永久/长期 or words."""
    import re

    from mediation.documents.numerals import cn_to_int

    m = re.search(r"(\d+)\s*年", period)
    if m:
        return int(m.group(1))
    m = re.search(r"([零一二三四五六七八九十百]+)\s*年", period)
    return cn_to_int(m.group(1)) if m else None


def move(session: Session, actor: Actor, case: Case, action: str, facts: workflow.CaseFacts,
         summary: str, data: dict[str, Any] | None = None) -> workflow.Transition:
    workflow.ensure(action, facts)
    t = workflow.transition(action)
    require(actor, t.permission)
    before_stage = case.stage
    target = t.target_for(facts)
    case.stage = target
    if t.result:
        case.result = t.result
    if t.result == "terminated" and case.terminated_at is None:
        case.terminated_at = utcnow()  # 终止 counts by this date (mediation.statistics)
    if target == workflow.CLOSED:
        case.closed_at = utcnow()
        case.closed_by_id = actor.user_id
    if target == workflow.ARCHIVED:
        case.archived_at = utcnow()
    record_event(session, case, actor, action, summary, stage_from=before_stage, stage_to=target,
                 data=data)
    return t


def after_change(session: Session, case: Case) -> None:
    deadlines.refresh_case_deadline(session, case)
    touch(case)


def finish(session: Session, actor: Actor, case: Case, action: str, before: dict[str, Any],
           extra: dict[str, Any] | None = None) -> CaseRef:
    """The end of every change to a case: its deadline and version follow, the change is
    flushed, and one audit row describes all of it."""
    after_change(session, case)
    flush(session)
    audit_case(session, actor, case, action, before, extra)
    return case_ref(case)


def _transition(session: Session, actor: Actor, case_id: int, action: str, summary: str, *,
                expected_version: int | None = None, reason: str = "", referred_to: str = "",
                data: dict[str, Any] | None = None, **fields: Any) -> CaseRef:
    """Check, move, set ``fields`` on the case, flush, then one audit row of it all."""
    require_write(session)
    case = load_case(session, actor, case_id, for_update=True)
    check_version(case, expected_version)
    before = snapshot(case)
    facts = facts_for(session, case, reason=reason, referred_to=referred_to)
    move(session, actor, case, action, facts, summary, data)
    for name, value in fields.items():
        setattr(case, name, value)
    return finish(session, actor, case, f"case.{action}", before)


def choose_track(session: Session, actor: Actor, case_id: int, track: str, *,
                 exclusions: list[str] | None = None, acknowledge: bool = False,
                 expected_version: int | None = None) -> CaseRef:
    """The officer decides people's or police mediation (or referral).

    For the police track, ``exclusions`` are the circumstances from the checklist that
    apply; if any do, the officer must ``acknowledge`` them, or WorkflowError says which.
    """
    case = open_for(session, actor, case_id, "choose_track", expected_version=expected_version)
    if track not in workflow.TRACKS:
        raise ValidationError(field="track", message=_("请选择调解类型。"))
    codes = tuple(exclusions or ())
    unknown = [c for c in codes if c not in workflow.POLICE_EXCLUSIONS]
    if unknown:
        raise ValidationError(field="exclusions", message=_("未知的排除情形：{c}").format(c="、".join(unknown)))
    if track == workflow.POLICE:
        facts = facts_for(session, case)
        lacking = [p.name for p in facts.parties if p.is_minor and not p.has_guardian
                   and p.role in ("applicant", "respondent", "third")]
        if lacking:
            raise WorkflowError(_("未成年当事人（{names}）须由监护人到场，请先登记监护人。").format(
                names="、".join(lacking)), [_("监护人")])
        if codes and not acknowledge:
            raise WorkflowError(
                _("存在不宜治安调解的情形：{items}。如仍决定治安调解，请确认后再提交。").format(
                    items="；".join(workflow.police_exclusion_labels(codes))),
                workflow.police_exclusion_labels(codes))
    before = snapshot(case)
    case.track = track
    case.track_decided_by_id = actor.user_id
    case.police_exclusions_ack = list(codes) if (track == workflow.POLICE and codes) else None
    record_event(session, case, actor, "track", _("确定调解类型：{t}").format(t=workflow.track_label(track)),
                 data={"track": track, "exclusions_acknowledged": list(codes)})
    return finish(session, actor, case, "case.choose_track", before)


def accept_case(session: Session, actor: Actor, case_id: int, *,
                expected_version: int | None = None) -> CaseRef:
    """Accept a registered case: it gets its number and its deadline."""
    require_write(session)
    case = load_case(session, actor, case_id, for_update=True)
    check_version(case, expected_version)
    before = snapshot(case)
    facts = facts_for(session, case)
    move(session, actor, case, "accept", facts, _("受理"))
    now = utcnow()
    desk = session.get(Desk, case.desk_id)
    assert desk is not None
    year = local_date(now).year
    seq = next_value(session, desk_id=case.desk_id, year=year, kind="case")
    case.year, case.seq = year, seq
    case.number = format_case_number(year, desk.number_prefix, seq)
    case.accepted_at = now
    case.accepted_by_id = actor.user_id
    return finish(session, actor, case, "case.accept", before)


def _ended_for(session: Session, actor: Actor, case_id: int, action: str, summary: str, reason: str,
               expected_version: int | None) -> CaseRef:
    """A transition that ends the case for a stated reason (required), recorded as its outcome."""
    reason = validation.text(reason, field="reason", required=True, max_len=2000)
    return _transition(session, actor, case_id, action, summary.format(r=reason),
                       expected_version=expected_version, reason=reason, outcome_reason=reason)


def decline_case(session: Session, actor: Actor, case_id: int, *, reason: str,
                 expected_version: int | None = None) -> CaseRef:
    return _ended_for(session, actor, case_id, "decline", _("不予受理：{r}"), reason, expected_version)


def assign_mediator(session: Session, actor: Actor, case_id: int, user_id: int, *,
                    recusal_checked: bool = True, expected_version: int | None = None) -> CaseRef:
    """Name the mediator. ``recusal_checked``: the officer confirmed no conflict of interest."""
    case = open_for(session, actor, case_id, "assign", expected_version=expected_version)
    user = access.user_of_desk(session, user_id, case.desk_id)
    if user is None:  # another desk's people are not named (nor confirmed to exist)
        raise ValidationError(field="mediator", message=_("所选调解员不存在或已停用。"))
    if not recusal_checked:
        raise ValidationError(field="recusal", message=_("请先确认调解员与当事人无利害关系（回避审查）。"))
    before = snapshot(case)
    case.mediator_id = user.id
    record_event(session, case, actor, "assigned", _("指派调解员：{n}").format(n=user.display_name),
                 data={"mediator_id": user.id})
    return finish(session, actor, case, "case.assign", before)


def start_investigation(session: Session, actor: Actor, case_id: int, *,
                        expected_version: int | None = None) -> CaseRef:
    return _transition(session, actor, case_id, "investigate", _("开始调查"),
                       expected_version=expected_version)


def start_mediation(session: Session, actor: Actor, case_id: int, *,
                    expected_version: int | None = None) -> CaseRef:
    return _transition(session, actor, case_id, "mediate", _("开始调解"),
                       expected_version=expected_version)


@dataclass
class AgreementInput:
    kind: str
    """written | oral."""
    terms: str
    amount: str | Decimal | None = None
    performance_manner: str = ""
    performance_place: str = ""
    performance_deadline: dt.date | None = None
    signed: bool = False
    """Oral agreements are registered on the spot: signed = the registration form is signed."""
    reached_at: dt.datetime | None = None


def record_agreement(session: Session, actor: Actor, case_id: int, data: AgreementInput, *,
                     expected_version: int | None = None) -> CaseRef:
    require_write(session)
    case = load_case(session, actor, case_id, for_update=True)
    check_version(case, expected_version)
    v = Collector()
    if data.kind not in workflow.AGREEMENT_KINDS:
        v.add("kind", _("请选择书面协议或口头协议。"))
    terms = v.check("terms", validation.text, data.terms, required=True, max_len=20000)
    amount = (v.check("amount", validation.money, data.amount)
              if data.amount not in (None, "") else None)
    manner = v.check("performance_manner", validation.text, data.performance_manner, max_len=200)
    place = v.check("performance_place", validation.text, data.performance_place, max_len=200)
    reached = data.reached_at or utcnow()
    v.check("reached_at", validation.past_moment, reached)
    if data.performance_deadline is not None and data.performance_deadline < local_date(reached):
        v.add("performance_deadline", _("履行期限不能早于达成协议的日期。"))
    if data.kind == workflow.WRITTEN:  # 人民调解法 Art. 29: the agreement states how and by when
        if not (manner or "").strip() and not v.has("performance_manner"):
            v.add("performance_manner", _("书面协议须写明履行方式（如：当场支付、微信转账）。"))
        if data.performance_deadline is None and not v.has("performance_deadline"):
            v.add("performance_deadline", _("书面协议须写明履行期限。"))
    v.raise_if_any()
    before = snapshot(case)
    case.agreement_kind = data.kind
    case.agreement_terms = terms or ""
    case.agreement_amount = amount
    case.performance_manner = manner or ""
    case.performance_place = place or ""
    case.performance_deadline = data.performance_deadline
    case.agreement_number = case.number
    case.agreement_reached_at = reached
    case.performance_status = "pending"
    if data.signed:
        case.agreement_signed_at = reached
    facts = facts_for(session, case)
    label = _("口头协议登记") if data.kind == workflow.ORAL else _("达成书面调解协议")
    move(session, actor, case, "agree", facts, label)
    return finish(session, actor, case, "case.agreement", before)


def carry_final_agreement(session: Session, actor: Actor, case_id: int, data: AgreementInput, *,
                          title: str) -> CaseRef:
    """The final agreement document is the agreement of record: its terms, amount and
    performance go into the case, so nobody types them again (issue 12 item 18).

    Before an agreement is registered the case moves to 达成协议 (as 登记调解协议 would);
    after, the case's agreement fields follow the final text. ``data.signed``: the
    signatures were captured on screen, which is the signing.
    """
    require_write(session)
    case = load_case(session, actor, case_id, for_update=True)
    if case.stage in workflow.transition("agree").sources:
        return record_agreement(session, actor, case_id, data)
    if case.stage not in (workflow.AGREED, workflow.PERFORMING):
        return case_ref(case)  # ended or closed: the case's record stays as it was
    require(actor, "case.agreement")
    before = snapshot(case)
    case.agreement_terms = data.terms
    case.agreement_amount = validation.money(data.amount) if data.amount not in (None, "") else None
    case.performance_manner = data.performance_manner
    case.performance_place = data.performance_place
    case.performance_deadline = data.performance_deadline
    if data.signed and case.agreement_signed_at is None and case.stage == workflow.AGREED:
        case.agreement_signed_at = utcnow()
        record_event(session, case, actor, "signed", _("协议已签署"))
    record_event(session, case, actor, "agreement", _("调解协议以定稿文书为准：{t}").format(t=title))
    return finish(session, actor, case, "case.agreement_update", before)


def mark_agreement_signed(session: Session, actor: Actor, case_id: int, *,
                          signed_at: dt.datetime | None = None,
                          expected_version: int | None = None) -> CaseRef:
    """Record that the parties and mediator signed the agreement (on screen or on paper)."""
    case = open_for(session, actor, case_id, "sign", expected_version=expected_version)
    # An agreement drafted in the app is signed as its final version: a draft (unchecked,
    # unapproved) must not become the signed agreement of record.
    forms = workflow.agreement_forms_for(case.agreement_kind)
    drafted = session.scalars(select(Document.status).where(
        Document.case_id == case.id, Document.form.in_(forms))).all()
    if drafted and "final" not in drafted:
        raise WorkflowError(_(
            "本案的协议文书还没有定稿：请在“文书”中提交审批并定稿，当事人在定稿上签字后再登记签署"
            "（在屏幕上签字定稿、或上传签字扫描件时会自动登记）。"))
    before = snapshot(case)
    case.agreement_signed_at = signed_at or utcnow()
    record_event(session, case, actor, "signed", _("协议已签署"))
    return finish(session, actor, case, "case.agreement_signed", before)


def terminate_case(session: Session, actor: Actor, case_id: int, *, reason: str, routes: str = "",
                   expected_version: int | None = None) -> CaseRef:
    """End mediation without agreement; ``routes`` are the other ways told to the parties."""
    require_write(session)
    v = Collector()
    reason_c = v.check("reason", validation.text, reason, required=True, max_len=2000)
    routes_c = v.check("routes", validation.text, routes, max_len=2000)
    v.raise_if_any()
    case = load_case(session, actor, case_id, for_update=True)
    check_version(case, expected_version)
    before = snapshot(case)
    move(session, actor, case, "terminate", facts_for(session, case, reason=reason_c or ""),
         _("终止调解：{r}").format(r=reason_c))
    case.outcome_reason = reason_c or ""
    case.routes_suggested = routes_c or ""
    return finish(session, actor, case, "case.terminate", before)


def refer_case(session: Session, actor: Actor, case_id: int, *, referred_to: str, reason: str,
               expected_version: int | None = None) -> CaseRef:
    require_write(session)
    v = Collector()
    to = v.check("referred_to", validation.text, referred_to, required=True, max_len=100)
    why = v.check("reason", validation.text, reason, required=True, max_len=2000)
    v.raise_if_any()
    case = load_case(session, actor, case_id, for_update=True)
    check_version(case, expected_version)
    before = snapshot(case)
    if case.track is None:
        case.track = workflow.REFER
    move(session, actor, case, "refer", facts_for(session, case, reason=why or "", referred_to=to or ""),
         _("引导/移送至{to}：{r}").format(to=to, r=why))
    case.referred_to = to or ""
    case.outcome_reason = why or ""
    return finish(session, actor, case, "case.refer", before)


def withdraw_case(session: Session, actor: Actor, case_id: int, *, reason: str,
                  expected_version: int | None = None) -> CaseRef:
    return _ended_for(session, actor, case_id, "withdraw", _("申请人撤回：{r}"), reason, expected_version)


def enter_performing(session: Session, actor: Actor, case_id: int, *,
                     expected_version: int | None = None) -> CaseRef:
    return _transition(session, actor, case_id, "perform", _("进入履行/回访"),
                       expected_version=expected_version)


def close_case(session: Session, actor: Actor, case_id: int, *,
               prevented_escalation: bool | None = None, note: str = "",
               expected_version: int | None = None) -> CaseRef:
    """Close the case by the route its stage allows (agreed, performing or terminated)."""
    require_write(session)
    case = load_case(session, actor, case_id, for_update=True)
    check_version(case, expected_version)
    action = {workflow.AGREED: "close_agreed", workflow.PERFORMING: "close",
              workflow.TERMINATED: "close_terminated"}.get(case.stage)
    if action is None:
        raise WorkflowError(_("案件当前处于“{stage}”阶段，不能结案。").format(
            stage=workflow.stage_label(case.stage)))
    before = snapshot(case)
    if prevented_escalation is not None:
        case.prevented_escalation = prevented_escalation
    move(session, actor, case, action, facts_for(session, case), _("结案") + (f"：{note}" if note else ""))
    return finish(session, actor, case, "case.close", before)


def archive_case(session: Session, actor: Actor, case_id: int, *,
                 expected_version: int | None = None) -> CaseRef:
    """Archive a closed case whose file has a final cover; its 保管期限 is the cover's
    (one field, one place: issue 12 item 24)."""
    require_write(session)
    case = load_case(session, actor, case_id, for_update=True)
    check_version(case, expected_version)
    before = snapshot(case)
    move(session, actor, case, "archive", facts_for(session, case), _("归档"))
    cover = _cover_content(session, case) or {}
    case.retention_years = retention_years_of(str(cover.get("retention_period") or ""))
    touch(case)
    flush(session)
    audit_case(session, actor, case, "case.archive", before)
    return case_ref(case)



def reopen_case(session: Session, actor: Actor, case_id: int, *, reason: str,
                expected_version: int | None = None) -> CaseRef:
    """恢复调解: a case terminated (or closed after termination or decline, not archived) is
    taken up again, for a stated reason (required); where it goes is the workflow's
    :func:`~mediation.workflow.reopen_target`. How it ended is cleared (result, reason, the
    termination and closing dates), so the statistics count it by its current state; the
    audit row keeps what was cleared, and a submitted report whose period it counted in is
    flagged (报送后有变动). Periods counted from acceptance run again from the reopening
    (:func:`mediation.services.deadlines.compute_deadline`)."""
    require_write(session)
    require(actor, "case.reopen")
    reason_c = validation.text(reason, field="reason", required=True, max_len=2000) or ""
    case = load_case(session, actor, case_id, for_update=True)
    check_version(case, expected_version)
    before = snapshot(case)
    ended_from = session.scalar(
        select(CaseEvent.stage_from).where(CaseEvent.case_id == case.id, CaseEvent.kind.in_(("terminate", "decline")))
        .order_by(CaseEvent.id.desc()).limit(1))
    facts = dataclasses.replace(facts_for(session, case, reason=reason_c), ended_from=ended_from)
    with session.no_autoflush:  # one change, one new version (the deadline's reads would flush midway)
        move(session, actor, case, "reopen", facts, _("恢复调解：{r}").format(r=reason_c), {"reason": reason_c})
        case.result = None
        case.outcome_reason = ""
        case.routes_suggested = ""
        case.terminated_at = None
        case.closed_at = None
        case.closed_by_id = None
        return finish(session, actor, case, "case.reopen", before, {"reason": reason_c})
