"""Case use cases: register, edit, move through the stages, record what happened."""

from __future__ import annotations

import datetime as dt
import hashlib
import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from mediation import validation, workflow
from mediation.db import require_write
from mediation.errors import Conflict, NotFound, ValidationError, WorkflowError
from mediation.i18n import _
from mediation.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseParty,
    Desk,
    Document,
    FollowUp,
    InvestigationRecord,
    Party,
    SessionRecord,
    User,
)
from mediation.permissions import Actor, require
from mediation.services import audit, deadlines, reference
from mediation.services.numbering import format_case_number, next_value
from mediation.services.parties import PartyInput, clean_party
from mediation.timeutil import age_on, local_date, local_today, utcnow
from mediation.validation import Collector

MAX_PARTIES = 50
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


# ---------------------------------------------------------------- inputs


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


# ---------------------------------------------------------------- helpers


def _ref(case: Case) -> CaseRef:
    return CaseRef(case.id, case.number, case.stage, case.version_id)


def load_case(session: Session, actor: Actor, case_id: int, *, for_update: bool = False) -> Case:
    """The case if it exists and the actor may see its desk; NotFound otherwise."""
    stmt = select(Case).where(Case.id == case_id)
    if for_update:
        stmt = stmt.with_for_update()
    case = session.execute(stmt).scalar_one_or_none()
    if case is None or not actor.sees_desk(case.desk_id):
        raise NotFound(_("案件不存在或您无权查看。"))
    return case


def _check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and case.version_id != expected_version:
        raise Conflict(_("该案件已被其他人修改（您打开的是第 {mine} 版，现在是第 {now} 版）。"
                         "请重新载入后再保存，您输入的内容会保留。").format(
            mine=expected_version, now=case.version_id))


def _touch(case: Case) -> None:
    """Mark the case row changed so its version increases with every change on it."""
    case.updated_at = utcnow()


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(_("该案件刚被其他人修改，您的修改未保存。请重新载入。")) from None


def _event(session: Session, case: Case, actor: Actor, kind: str, summary: str, *,
           stage_from: str | None = None, stage_to: str | None = None,
           data: dict[str, Any] | None = None) -> None:
    session.add(CaseEvent(case_id=case.id, user_id=actor.user_id, kind=kind, summary=summary,
                          stage_from=stage_from, stage_to=stage_to,
                          data=audit.jsonable(data) if data else None))


CASE_AUDIT_FIELDS = (
    "number", "stage", "track", "category", "subcategory", "source", "title", "facts", "claims",
    "amount", "mediator_id", "deadline", "result", "outcome_reason", "referred_to",
    "routes_suggested", "agreement_kind", "agreement_terms", "agreement_amount",
    "performance_manner", "performance_place", "performance_deadline", "agreement_signed_at",
    "performance_status", "prevented_escalation", "police_exclusions_ack", "closed_at",
    "archived_at",
)


def _snapshot(case: Case) -> dict[str, Any]:
    return {f: getattr(case, f) for f in CASE_AUDIT_FIELDS}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _audit_case(session: Session, actor: Actor, case: Case, action: str,
                before: dict[str, Any] | None, extra: dict[str, Any] | None = None) -> None:
    after = _snapshot(case)
    if before is None:
        b, a = None, after
    else:
        b, a = _diff(before, after)
    if extra:
        a = {**a, **extra}
    audit.append(session, user_id=actor.user_id, action=action, entity="case",
                 entity_id=case.id, case_id=case.id, before=b, after=a)


# ---------------------------------------------------------------- validation


def _validate_case(session: Session, data: CaseInput, today: dt.date, *,
                   with_parties: bool = True) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    v = Collector()
    fields: dict[str, Any] = {
        "facts": v.check("facts", validation.text, data.facts, required=True, max_len=20000),
        "claims": v.check("claims", validation.text, data.claims, max_len=10000) or "",
        "title": v.check("title", validation.text, data.title, max_len=200) or "",
        "amount": (v.check("amount", validation.money, data.amount)
                   if data.amount not in (None, "") else None),
    }
    for name in ("category", "subcategory", "source"):
        fields[name] = (getattr(data, name) or "").strip()
    if fields["category"] and not reference.is_known_category(session, fields["category"]):
        v.add("category", _("未知的纠纷类别“{c}”，请从列表中选择。").format(c=fields["category"]))
    if fields["source"] and not reference.is_known_source(session, fields["source"]):
        v.add("source", _("未知的纠纷来源“{s}”，请从列表中选择。").format(s=fields["source"]))
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


def _store_parties(session: Session, actor: Actor, case: Case, data: list[PartyInput],
                   clean: list[dict[str, Any]]) -> None:
    links: list[CaseParty] = []
    touched_parties: set[int] = set()
    for i, (p, c) in enumerate(zip(data, clean)):
        party: Party | None = None
        if p.existing_party_id is not None:
            party = session.get(Party, p.existing_party_id)
            if party is None:
                raise ValidationError(field=f"parties.{i}.existing_party_id",
                                      message=_("所选的已登记当事人不存在。"))
        values = dict(c, kind=p.kind, id_type=p.id_type if p.kind == "person" else "other")
        if party is None:
            party = Party(created_by_id=actor.user_id)
            session.add(party)
        else:
            # A stored party is shown with its ID number and phone masked (the boxes stay
            # empty), and a party offered as a match arrives with only a name: a blank
            # field keeps what is on record instead of erasing it.
            if not values["id_number"]:
                values["id_type"] = party.id_type
            values = {k: (v if v not in ("", None) else getattr(party, k)) for k, v in values.items()}
            if (party.name, party.phone) != (values["name"], values["phone"]):
                touched_parties.add(party.id)
        for key in _PARTY_FIELDS:
            setattr(party, key, values[key])
        link = CaseParty(party=party, role=p.role, position=i)
        case.parties.append(link)
        links.append(link)
    session.flush()
    for p, link in zip(data, links):
        if p.represents is not None and p.role in ("agent", "guardian"):
            link.represents_id = links[p.represents].id
    _refresh_party_summary(case)
    if touched_parties:
        # The same person on other cases: keep their list line and phone search true.
        # A plain UPDATE: this is derived data and must not bump the other cases'
        # version (someone editing one of them would get a false conflict).
        other_ids = session.scalars(
            select(CaseParty.case_id).where(CaseParty.party_id.in_(touched_parties),
                                            CaseParty.case_id != case.id).distinct()
        ).all()
        for other_id in other_ids:
            rows = session.execute(
                select(CaseParty.role, Party.name, Party.phone).join(Party, Party.id == CaseParty.party_id)
                .where(CaseParty.case_id == other_id).order_by(CaseParty.position, CaseParty.id)
            ).all()
            session.execute(
                update(Case).where(Case.id == other_id)
                .values(party_names=party_summary([(r, n) for r, n, _ph in rows])[:500],
                        party_phones=" ".join(ph for _r, _n, ph in rows if ph)[:500])
                .execution_options(synchronize_session=False)
            )


_PARTY_FIELDS = ("kind", "name", "sex", "ethnicity", "birth_date", "id_type", "id_number", "phone",
                 "address", "occupation", "legal_representative")


def _refresh_party_summary(case: Case) -> None:
    links = sorted(case.parties, key=lambda l: (l.position, l.id or 0))
    case.party_names = party_summary([(l.role, l.party.name) for l in links])[:500]
    case.party_phones = " ".join(l.party.phone for l in links if l.party.phone)[:500]


def party_summary(parties: list[tuple[str, str]]) -> str:
    """"张三、王五 / 李四": applicants (and third parties) against respondents."""
    left = [n for r, n in parties if r == "applicant"]
    right = [n for r, n in parties if r == "respondent"]
    third = [n for r, n in parties if r == "third"]
    text = "、".join(left)
    if right:
        text += " / " + "、".join(right)
    if third:
        text += "（" + "、".join(third) + "）"
    return text


def _party_audit(data: list[PartyInput], clean: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The audit trail keeps who was on the case; ID numbers appear masked only.
    return [{"role": p.role, "name": c["name"], "id": validation.mask_id_number(c["id_number"]),
             "phone": validation.mask_phone(c["phone"])} for p, c in zip(data, clean)]


# ---------------------------------------------------------------- register & edit


def register_case(session: Session, actor: Actor, data: CaseInput) -> CaseRef:
    """Log a new dispute (stage: registered)."""
    require_write(session)
    require(actor, "case.register")
    desk_id = data.desk_id or actor.desk_id
    if desk_id is None or session.get(Desk, desk_id) is None:
        raise ValidationError(field="desk_id", message=_("请选择调解点。"))
    if not actor.sees_desk(desk_id):
        raise ValidationError(field="desk_id", message=_("您不能为其他调解点登记案件。"))
    today = local_today()
    fields, parties = _validate_case(session, data, today)
    registered_at = data.registered_at or utcnow()
    if local_date(registered_at) > today:
        raise ValidationError(field="registered_at", message=_("登记时间不能晚于今天。"))
    case = Case(desk_id=desk_id, stage=workflow.REGISTERED, registered_at=registered_at,
                registered_by_id=actor.user_id, consultation_id=data.consultation_id,
                people_involved=len(data.parties), **fields)
    session.add(case)
    _store_parties(session, actor, case, data.parties, parties)
    _event(session, case, actor, "registered", _("登记纠纷"), stage_to=workflow.REGISTERED)
    _flush(session)
    _audit_case(session, actor, case, "case.register", None,
                {"parties": _party_audit(data.parties, parties)})
    return _ref(case)


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
    _check_version(case, expected_version)
    if case.stage in (workflow.CLOSED, workflow.ARCHIVED):
        raise WorkflowError(_("已结案或归档的案件不能修改。"))
    full = CaseInput(parties=data.parties or [], facts=data.facts, claims=data.claims,
                     category=data.category, subcategory=data.subcategory, source=data.source,
                     title=data.title, amount=data.amount)
    fields, clean = _validate_case(session, full, local_today(),
                                   with_parties=data.parties is not None)
    if case.stage != workflow.REGISTERED and case.track and not fields["category"]:
        raise ValidationError(field="category", message=_("已受理的案件必须有纠纷类别。"))
    before = _snapshot(case)
    for k, v in fields.items():
        setattr(case, k, v)
    extra: dict[str, Any] = {}
    if data.parties is not None:
        old = [{"role": l.role, "name": l.party.name} for l in case.parties]
        case.parties.clear()
        session.flush()
        _store_parties(session, actor, case, data.parties, clean)
        case.people_involved = len(data.parties)
        extra = {"parties_before": old, "parties": _party_audit(data.parties, clean)}
    _touch(case)
    _event(session, case, actor, "edited", _("修改案件信息"))
    _flush(session)
    _audit_case(session, actor, case, "case.update", before, extra)
    return _ref(case)


# ---------------------------------------------------------------- workflow


def facts_for(session: Session, case: Case, *, reason: str = "", referred_to: str = "",
              police_exclusions: tuple[str, ...] = (), ack: bool = False) -> workflow.CaseFacts:
    today = local_today()
    guarded = {l.represents_id for l in case.parties if l.role == "guardian" and l.represents_id}
    parties = tuple(
        workflow.PartyFacts(
            role=l.role, name=l.party.name,
            is_minor=(l.party.kind == "person" and l.party.birth_date is not None
                      and age_on(l.party.birth_date, today) < 18),
            has_guardian=l.id in guarded)
        for l in case.parties)
    sessions = session.scalar(select(func.count()).select_from(SessionRecord)
                              .where(SessionRecord.case_id == case.id)) or 0
    follow_ups = session.scalar(select(func.count()).select_from(FollowUp)
                                .where(FollowUp.case_id == case.id)) or 0
    return workflow.CaseFacts(
        stage=case.stage, track=case.track, category=case.category, facts=case.facts,
        parties=parties, mediator_id=case.mediator_id, sessions=sessions,
        agreement_kind=case.agreement_kind, agreement_terms=case.agreement_terms,
        performance_manner=case.performance_manner,
        performance_deadline=case.performance_deadline,
        agreement_signed=case.agreement_signed_at is not None,
        performance_status=case.performance_status, follow_ups=follow_ups,
        police_exclusions=police_exclusions or tuple(case.police_exclusions_ack or ()),
        police_exclusions_ack=ack or bool(case.police_exclusions_ack),
        reason=reason, referred_to=referred_to)


def _move(session: Session, actor: Actor, case: Case, action: str, facts: workflow.CaseFacts,
          summary: str, data: dict[str, Any] | None = None) -> workflow.Transition:
    t = workflow.ensure(action, facts)
    require(actor, t.permission)
    before_stage = case.stage
    case.stage = t.target
    if t.result:
        case.result = t.result
    if t.target == workflow.CLOSED:
        case.closed_at = utcnow()
        case.closed_by_id = actor.user_id
    if t.target == workflow.ARCHIVED:
        case.archived_at = utcnow()
    _event(session, case, actor, action, summary, stage_from=before_stage, stage_to=t.target,
           data=data)
    return t


def _after_change(session: Session, case: Case) -> None:
    deadlines.refresh_case_deadline(session, case)
    _touch(case)


def _transition(session: Session, actor: Actor, case_id: int, action: str, summary: str, *,
                expected_version: int | None = None, reason: str = "", referred_to: str = "",
                data: dict[str, Any] | None = None, **fields: Any) -> CaseRef:
    """Check, move, set ``fields`` on the case, flush, then one audit row of it all."""
    require_write(session)
    case = load_case(session, actor, case_id, for_update=True)
    _check_version(case, expected_version)
    before = _snapshot(case)
    facts = facts_for(session, case, reason=reason, referred_to=referred_to)
    _move(session, actor, case, action, facts, summary, data)
    for name, value in fields.items():
        setattr(case, name, value)
    _after_change(session, case)
    _flush(session)
    _audit_case(session, actor, case, f"case.{action}", before)
    return _ref(case)


def choose_track(session: Session, actor: Actor, case_id: int, track: str, *,
                 exclusions: list[str] | None = None, acknowledge: bool = False,
                 expected_version: int | None = None) -> CaseRef:
    """The officer decides people's or police mediation (or referral).

    For the police track, ``exclusions`` are the circumstances from the checklist that
    apply; if any do, the officer must ``acknowledge`` them, or WorkflowError says which.
    """
    require_write(session)
    require(actor, "case.choose_track")
    if track not in workflow.TRACKS:
        raise ValidationError(field="track", message=_("请选择调解类型。"))
    case = load_case(session, actor, case_id, for_update=True)
    _check_version(case, expected_version)
    if case.stage not in (workflow.REGISTERED, workflow.ACCEPTED, workflow.INVESTIGATING):
        raise WorkflowError(_("开始调解后不能再更改调解类型。"))
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
    before = _snapshot(case)
    case.track = track
    case.track_decided_by_id = actor.user_id
    case.police_exclusions_ack = list(codes) if (track == workflow.POLICE and codes) else None
    _event(session, case, actor, "track", _("确定调解类型：{t}").format(t=workflow.track_label(track)),
           data={"track": track, "exclusions_acknowledged": list(codes)})
    _after_change(session, case)
    _flush(session)
    _audit_case(session, actor, case, "case.choose_track", before)
    return _ref(case)


def accept_case(session: Session, actor: Actor, case_id: int, *,
                expected_version: int | None = None) -> CaseRef:
    """Accept a registered case: it gets its number and its deadline."""
    require_write(session)
    case = load_case(session, actor, case_id, for_update=True)
    _check_version(case, expected_version)
    before = _snapshot(case)
    facts = facts_for(session, case)
    _move(session, actor, case, "accept", facts, _("受理"))
    now = utcnow()
    desk = session.get(Desk, case.desk_id)
    assert desk is not None
    year = local_date(now).year
    seq = next_value(session, desk_id=case.desk_id, year=year, kind="case")
    case.year, case.seq = year, seq
    case.number = format_case_number(year, desk.number_prefix, seq)
    case.accepted_at = now
    case.accepted_by_id = actor.user_id
    _after_change(session, case)
    _flush(session)
    _audit_case(session, actor, case, "case.accept", before)
    return _ref(case)


def decline_case(session: Session, actor: Actor, case_id: int, *, reason: str,
                 expected_version: int | None = None) -> CaseRef:
    reason = validation.text(reason, field="reason", required=True, max_len=2000)
    return _transition(session, actor, case_id, "decline", _("不予受理：{r}").format(r=reason),
                       expected_version=expected_version, reason=reason, outcome_reason=reason)


def assign_mediator(session: Session, actor: Actor, case_id: int, user_id: int, *,
                    recusal_checked: bool = True, expected_version: int | None = None) -> CaseRef:
    """Name the mediator. ``recusal_checked``: the officer confirmed no conflict of interest."""
    require_write(session)
    require(actor, "case.assign")
    case = load_case(session, actor, case_id, for_update=True)
    _check_version(case, expected_version)
    if case.stage in (workflow.CLOSED, workflow.ARCHIVED):
        raise WorkflowError(_("已结案的案件不能再指派调解员。"))
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise ValidationError(field="mediator", message=_("所选调解员不存在或已停用。"))
    if not recusal_checked:
        raise ValidationError(field="recusal", message=_("请先确认调解员与当事人无利害关系（回避审查）。"))
    before = _snapshot(case)
    case.mediator_id = user.id
    _event(session, case, actor, "assigned", _("指派调解员：{n}").format(n=user.display_name),
           data={"mediator_id": user.id})
    _after_change(session, case)
    _flush(session)
    _audit_case(session, actor, case, "case.assign", before)
    return _ref(case)


def start_investigation(session: Session, actor: Actor, case_id: int, *,
                        expected_version: int | None = None) -> CaseRef:
    return _transition(session, actor, case_id, "investigate", _("开始调查"),
                       expected_version=expected_version)


def start_mediation(session: Session, actor: Actor, case_id: int, *,
                    expected_version: int | None = None) -> CaseRef:
    return _transition(session, actor, case_id, "mediate", _("开始调解"),
                       expected_version=expected_version)


@dataclass
class InvestigationInput:
    held_at: dt.datetime
    content: str
    place: str = ""
    subject: str = ""


def add_investigation(session: Session, actor: Actor, case_id: int, data: InvestigationInput) -> int:
    require_write(session)
    require(actor, "case.investigate")
    case = load_case(session, actor, case_id, for_update=True)
    if case.stage not in workflow.ACTIVE_STAGES:
        raise WorkflowError(_("只有受理后、结束前的案件才能添加调查记录。"))
    v = Collector()
    content = v.check("content", validation.text, data.content, required=True, max_len=20000)
    place = v.check("place", validation.text, data.place, max_len=200)
    subject = v.check("subject", validation.text, data.subject, max_len=200)
    v.check("held_at", validation.past_moment, data.held_at)
    v.raise_if_any()
    rec = InvestigationRecord(case_id=case.id, held_at=data.held_at, content=content,
                              place=place or "", subject=subject or "",
                              investigator_id=actor.user_id)
    session.add(rec)
    if case.stage == workflow.ACCEPTED:
        _move(session, actor, case, "investigate", facts_for(session, case), _("开始调查"))
    _event(session, case, actor, "investigation", _("调查记录：{s}").format(s=subject or place or ""))
    _after_change(session, case)
    _flush(session)
    audit.append(session, user_id=actor.user_id, action="case.investigation", entity="investigation",
                 entity_id=rec.id, case_id=case.id,
                 after={"held_at": data.held_at, "place": place, "subject": subject, "content": content})
    return rec.id


@dataclass
class SessionInput:
    held_at: dt.datetime
    content: str
    place: str = ""
    attendees: str = ""
    result: str = "continued"
    """continued | agreed | failed."""
    recorder_id: int | None = None


def add_session_record(session: Session, actor: Actor, case_id: int, data: SessionInput) -> int:
    """Record a mediation session; the first one moves the case into 'mediating'."""
    require_write(session)
    require(actor, "case.session")
    case = load_case(session, actor, case_id, for_update=True)
    if case.stage not in workflow.ACTIVE_STAGES:
        raise WorkflowError(_("只有受理后、达成协议或终止前的案件才能添加调解记录。"))
    v = Collector()
    content = v.check("content", validation.text, data.content, required=True, max_len=20000)
    place = v.check("place", validation.text, data.place, max_len=200)
    attendees = v.check("attendees", validation.text, data.attendees, max_len=2000)
    if data.result not in workflow.SESSION_RESULTS:
        v.add("result", _("请选择本次调解结果。"))
    v.check("held_at", validation.past_moment, data.held_at)
    v.raise_if_any()
    if case.mediator_id is None:
        raise WorkflowError(_("请先指派调解员，再记录调解。"), [_("调解员")])
    rec = SessionRecord(case_id=case.id, held_at=data.held_at, content=content, place=place or "",
                        attendees=attendees or "", result=data.result,
                        mediator_id=case.mediator_id, recorder_id=data.recorder_id or actor.user_id)
    session.add(rec)
    session.flush()
    if case.stage != workflow.MEDIATING:
        _move(session, actor, case, "mediate", facts_for(session, case), _("开始调解"))
    _event(session, case, actor, "session", _("调解记录（{r}）").format(r=_(workflow.SESSION_RESULTS[data.result])))
    _after_change(session, case)
    _flush(session)
    audit.append(session, user_id=actor.user_id, action="case.session", entity="session_record",
                 entity_id=rec.id, case_id=case.id,
                 after={"held_at": data.held_at, "place": place, "attendees": attendees,
                        "content": content, "result": data.result})
    return rec.id


def add_attachment(session: Session, actor: Actor, case_id: int, *, filename: str, content: bytes,
                   mime_type: str = "application/octet-stream", description: str = "") -> int:
    require_write(session)
    require(actor, "case.attach")
    case = load_case(session, actor, case_id, for_update=True)
    if case.stage == workflow.ARCHIVED:
        raise WorkflowError(_("已归档的案件不能再添加附件。"))
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise ValidationError(field="filename", message=_("文件名不能为空。"))
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(field="file", message=_("附件不能超过 50 MB。"))
    digest = hashlib.sha256(content).hexdigest()
    att = Attachment(case_id=case.id, filename=name[:255], mime_type=mime_type[:100],
                     size=len(content), sha256=digest, content=content,
                     description=description[:200], added_by_id=actor.user_id)
    session.add(att)
    _event(session, case, actor, "attachment", _("添加附件：{n}").format(n=name))
    _touch(case)
    _flush(session)
    audit.append(session, user_id=actor.user_id, action="case.attach", entity="attachment",
                 entity_id=att.id, case_id=case.id,
                 after={"filename": name, "size": len(content), "sha256": digest})
    return att.id


def get_attachment(session: Session, actor: Actor, attachment_id: int) -> tuple[str, bytes, str]:
    att = session.get(Attachment, attachment_id)
    if att is None:
        raise NotFound(_("附件不存在。"))
    load_case(session, actor, att.case_id)
    return att.filename, att.content, att.sha256


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
    _check_version(case, expected_version)
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
    before = _snapshot(case)
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
    _move(session, actor, case, "agree", facts, label)
    _after_change(session, case)
    _flush(session)
    _audit_case(session, actor, case, "case.agreement", before)
    return _ref(case)


def mark_agreement_signed(session: Session, actor: Actor, case_id: int, *,
                          signed_at: dt.datetime | None = None,
                          expected_version: int | None = None) -> CaseRef:
    """Record that the parties and mediator signed the agreement (on screen or on paper)."""
    require_write(session)
    require(actor, "case.agreement")
    case = load_case(session, actor, case_id, for_update=True)
    _check_version(case, expected_version)
    if case.stage != workflow.AGREED:
        raise WorkflowError(_("只有“达成协议”阶段的案件才能登记签署。"))
    # An agreement drafted in the app is signed as its final version: a draft (unchecked,
    # unapproved) must not become the signed agreement of record.
    forms = workflow.agreement_forms_for(case.agreement_kind)
    drafted = session.scalars(select(Document.status).where(
        Document.case_id == case.id, Document.form.in_(forms))).all()
    if drafted and "final" not in drafted:
        raise WorkflowError(_(
            "本案的协议文书还没有定稿：请在“文书”中提交审批并定稿，当事人在定稿上签字后再登记签署"
            "（在屏幕上签字定稿、或上传签字扫描件时会自动登记）。"))
    before = _snapshot(case)
    case.agreement_signed_at = signed_at or utcnow()
    _event(session, case, actor, "signed", _("协议已签署"))
    _after_change(session, case)
    _flush(session)
    _audit_case(session, actor, case, "case.agreement_signed", before)
    return _ref(case)


def terminate_case(session: Session, actor: Actor, case_id: int, *, reason: str, routes: str = "",
                   expected_version: int | None = None) -> CaseRef:
    """End mediation without agreement; ``routes`` are the other ways told to the parties."""
    require_write(session)
    v = Collector()
    reason_c = v.check("reason", validation.text, reason, required=True, max_len=2000)
    routes_c = v.check("routes", validation.text, routes, max_len=2000)
    v.raise_if_any()
    case = load_case(session, actor, case_id, for_update=True)
    _check_version(case, expected_version)
    before = _snapshot(case)
    _move(session, actor, case, "terminate", facts_for(session, case, reason=reason_c or ""),
          _("终止调解：{r}").format(r=reason_c))
    case.outcome_reason = reason_c or ""
    case.routes_suggested = routes_c or ""
    _after_change(session, case)
    _flush(session)
    _audit_case(session, actor, case, "case.terminate", before)
    return _ref(case)


def refer_case(session: Session, actor: Actor, case_id: int, *, referred_to: str, reason: str,
               expected_version: int | None = None) -> CaseRef:
    require_write(session)
    v = Collector()
    to = v.check("referred_to", validation.text, referred_to, required=True, max_len=100)
    why = v.check("reason", validation.text, reason, required=True, max_len=2000)
    v.raise_if_any()
    case = load_case(session, actor, case_id, for_update=True)
    _check_version(case, expected_version)
    before = _snapshot(case)
    if case.track is None:
        case.track = workflow.REFER
    _move(session, actor, case, "refer", facts_for(session, case, reason=why or "", referred_to=to or ""),
          _("引导/移送至{to}：{r}").format(to=to, r=why))
    case.referred_to = to or ""
    case.outcome_reason = why or ""
    _after_change(session, case)
    _flush(session)
    _audit_case(session, actor, case, "case.refer", before)
    return _ref(case)


def withdraw_case(session: Session, actor: Actor, case_id: int, *, reason: str,
                  expected_version: int | None = None) -> CaseRef:
    reason_c = validation.text(reason, field="reason", required=True, max_len=2000)
    return _transition(session, actor, case_id, "withdraw", _("申请人撤回：{r}").format(r=reason_c),
                       expected_version=expected_version, reason=reason_c, outcome_reason=reason_c)


def enter_performing(session: Session, actor: Actor, case_id: int, *,
                     expected_version: int | None = None) -> CaseRef:
    return _transition(session, actor, case_id, "perform", _("进入履行/回访"),
                       expected_version=expected_version)


@dataclass
class FollowUpInput:
    visited_at: dt.datetime
    result: str
    performance_status: str
    """pending | performed | partly | breached."""
    method: str = "phone"
    reason: str = ""


def add_follow_up(session: Session, actor: Actor, case_id: int, data: FollowUpInput) -> int:
    """Record a follow-up visit; an agreed case moves on to performing/follow-up."""
    require_write(session)
    require(actor, "case.follow_up")
    case = load_case(session, actor, case_id, for_update=True)
    if case.stage not in (workflow.AGREED, workflow.PERFORMING, workflow.CLOSED):
        raise WorkflowError(_("只有达成协议后的案件才能回访。"))
    v = Collector()
    result = v.check("result", validation.text, data.result, required=True, max_len=5000)
    reason = v.check("reason", validation.text, data.reason, max_len=200)
    if data.performance_status not in workflow.PERFORMANCE:
        v.add("performance_status", _("请选择履行情况。"))
    elif (data.performance_status != "pending" and case.stage == workflow.AGREED
          and case.agreement_signed_at is None):
        v.add("performance_status", _("协议还没有登记签署，履行情况只能记为“待履行”；请先登记协议签署。"))
    if data.method not in workflow.FOLLOW_UP_METHODS:
        v.add("method", _("请选择回访方式。"))
    v.check("visited_at", validation.past_moment, data.visited_at)
    v.raise_if_any()
    before = _snapshot(case)
    rec = FollowUp(case_id=case.id, visited_at=data.visited_at, method=data.method,
                   reason=reason or "", result=result or "",
                   performance_status=data.performance_status, user_id=actor.user_id)
    session.add(rec)
    session.flush()
    case.performance_status = data.performance_status
    if case.stage == workflow.AGREED and case.agreement_signed_at is not None:
        _move(session, actor, case, "perform", facts_for(session, case), _("进入履行/回访"))
    _event(session, case, actor, "follow_up", _("回访：{s}").format(
        s=_(workflow.PERFORMANCE[data.performance_status])))
    _after_change(session, case)
    _flush(session)
    _audit_case(session, actor, case, "case.follow_up", before,
                {"follow_up": {"id": rec.id, "visited_at": data.visited_at, "method": data.method,
                               "result": result, "performance_status": data.performance_status}})
    return rec.id


def close_case(session: Session, actor: Actor, case_id: int, *,
               prevented_escalation: bool | None = None, note: str = "",
               expected_version: int | None = None) -> CaseRef:
    """Close the case by the route its stage allows (agreed, performing or terminated)."""
    require_write(session)
    case = load_case(session, actor, case_id, for_update=True)
    _check_version(case, expected_version)
    action = {workflow.AGREED: "close_agreed", workflow.PERFORMING: "close",
              workflow.TERMINATED: "close_terminated"}.get(case.stage)
    if action is None:
        raise WorkflowError(_("案件当前处于“{stage}”阶段，不能结案。").format(
            stage=workflow.stage_label(case.stage)))
    before = _snapshot(case)
    if prevented_escalation is not None:
        case.prevented_escalation = prevented_escalation
    _move(session, actor, case, action, facts_for(session, case), _("结案") + (f"：{note}" if note else ""))
    _after_change(session, case)
    _flush(session)
    _audit_case(session, actor, case, "case.close", before)
    return _ref(case)


def archive_case(session: Session, actor: Actor, case_id: int, *, retention_years: int = 10,
                 expected_version: int | None = None) -> CaseRef:
    require_write(session)
    case = load_case(session, actor, case_id, for_update=True)
    _check_version(case, expected_version)
    if not 1 <= retention_years <= 100:
        raise ValidationError(field="retention_years", message=_("保管期限应在 1 到 100 年之间。"))
    before = _snapshot(case)
    _move(session, actor, case, "archive", facts_for(session, case), _("归档"))
    case.retention_years = retention_years
    _touch(case)
    _flush(session)
    _audit_case(session, actor, case, "case.archive", before)
    return _ref(case)


def add_note(session: Session, actor: Actor, case_id: int, note: str) -> None:
    require_write(session)
    require(actor, "case.edit")
    case = load_case(session, actor, case_id, for_update=True)
    text = validation.text(note, field="note", required=True, max_len=5000)
    _event(session, case, actor, "note", text)
    _touch(case)
    _flush(session)
    audit.append(session, user_id=actor.user_id, action="case.note", entity="case",
                 entity_id=case.id, case_id=case.id, after={"note": text})


def set_prevented_escalation(session: Session, actor: Actor, case_id: int, value: bool) -> CaseRef:
    require_write(session)
    require(actor, "case.close")
    case = load_case(session, actor, case_id, for_update=True)
    before = _snapshot(case)
    case.prevented_escalation = value
    _touch(case)
    _flush(session)
    _audit_case(session, actor, case, "case.prevented_escalation", before)
    return _ref(case)


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class PartyView:
    link_id: int
    party_id: int
    role: str
    role_label: str
    kind: str
    name: str
    sex: str
    ethnicity: str
    birth_date: dt.date | None
    id_type: str
    id_number_masked: str
    phone_masked: str
    phone: str
    address: str
    occupation: str
    legal_representative: str
    represents_link_id: int | None


@dataclass(frozen=True)
class EventView:
    id: int
    at: dt.datetime
    user: str
    kind: str
    summary: str
    stage_from: str | None
    stage_to: str | None


@dataclass(frozen=True)
class SessionView:
    id: int
    held_at: dt.datetime
    place: str
    attendees: str
    content: str
    result: str
    mediator: str
    recorder: str


@dataclass(frozen=True)
class InvestigationView:
    id: int
    held_at: dt.datetime
    place: str
    subject: str
    content: str
    investigator: str


@dataclass(frozen=True)
class FollowUpView:
    id: int
    visited_at: dt.datetime
    method: str
    reason: str
    result: str
    performance_status: str
    user: str


@dataclass(frozen=True)
class AttachmentView:
    id: int
    filename: str
    size: int
    sha256: str
    mime_type: str
    description: str
    added_at: dt.datetime
    added_by: str


@dataclass(frozen=True)
class ActionView:
    action: str
    label: str
    allowed: bool
    message: str


@dataclass(frozen=True)
class CaseDetail:
    id: int
    version: int
    desk_id: int
    desk_name: str
    number: str | None
    stage: str
    track: str | None
    category: str
    subcategory: str
    source: str
    title: str
    facts: str
    claims: str
    amount: Decimal | None
    registered_at: dt.datetime
    registered_by: str
    accepted_at: dt.datetime | None
    mediator_id: int | None
    mediator: str
    deadline: dt.date | None
    deadline_label: str
    result: str | None
    outcome_reason: str
    referred_to: str
    routes_suggested: str
    prevented_escalation: bool
    agreement_kind: str | None
    agreement_number: str | None
    agreement_terms: str
    agreement_amount: Decimal | None
    performance_manner: str
    performance_place: str
    performance_deadline: dt.date | None
    agreement_reached_at: dt.datetime | None
    agreement_signed_at: dt.datetime | None
    performance_status: str | None
    closed_at: dt.datetime | None
    archived_at: dt.datetime | None
    judicial_confirmation_deadline: dt.date | None
    parties: list[PartyView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    sessions: list[SessionView] = field(default_factory=list)
    investigations: list[InvestigationView] = field(default_factory=list)
    follow_ups: list[FollowUpView] = field(default_factory=list)
    attachments: list[AttachmentView] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {uid: name for uid, name in session.execute(
        select(User.id, User.display_name).where(User.id.in_(wanted)))}


_DIALOG_INPUT: dict[str, dict[str, Any]] = {
    "decline": {"reason": "-"},
    "withdraw": {"reason": "-"},
    "terminate": {"reason": "-"},
    "refer": {"reason": "-", "referred_to": "-"},
    "agree": {"agreement_kind": workflow.ORAL, "agreement_terms": "-"},
}
"""Input that an action's dialog collects, assumed present when deciding whether its
button is enabled (the service checks the real input when the dialog saves)."""


def get_case(session: Session, actor: Actor, case_id: int) -> CaseDetail:
    """Everything shown on the case view, with ID numbers and phones masked."""
    require(actor, "case.view")
    case = session.execute(
        select(Case).where(Case.id == case_id)
        .options(selectinload(Case.parties).selectinload(CaseParty.party), selectinload(Case.events))
    ).scalar_one_or_none()
    if case is None or not actor.sees_desk(case.desk_id):
        raise NotFound(_("案件不存在或您无权查看。"))
    sessions = session.scalars(select(SessionRecord).where(SessionRecord.case_id == case.id)
                               .order_by(SessionRecord.held_at, SessionRecord.id)).all()
    invs = session.scalars(select(InvestigationRecord).where(InvestigationRecord.case_id == case.id)
                           .order_by(InvestigationRecord.held_at, InvestigationRecord.id)).all()
    fus = session.scalars(select(FollowUp).where(FollowUp.case_id == case.id)
                          .order_by(FollowUp.visited_at, FollowUp.id)).all()
    atts = session.execute(
        select(Attachment.id, Attachment.filename, Attachment.size, Attachment.sha256,
               Attachment.mime_type, Attachment.description, Attachment.added_at,
               Attachment.added_by_id).where(Attachment.case_id == case.id).order_by(Attachment.id)
    ).all()
    user_ids: set[int | None] = {case.mediator_id, case.registered_by_id}
    user_ids |= {e.user_id for e in case.events}
    user_ids |= {s.mediator_id for s in sessions} | {s.recorder_id for s in sessions}
    user_ids |= {i.investigator_id for i in invs} | {f.user_id for f in fus} | {a[7] for a in atts}
    names = _names(session, user_ids)
    desk = session.get(Desk, case.desk_id)
    see_phone = actor.can("party.view_id")
    parties = [
        PartyView(
            link_id=l.id, party_id=l.party.id, role=l.role, role_label=_(workflow.PARTY_ROLES[l.role]),
            kind=l.party.kind, name=l.party.name, sex=l.party.sex, ethnicity=l.party.ethnicity,
            birth_date=l.party.birth_date, id_type=l.party.id_type,
            id_number_masked=validation.mask_id_number(l.party.id_number),
            phone_masked=validation.mask_phone(l.party.phone),
            phone=l.party.phone if see_phone else validation.mask_phone(l.party.phone),
            address=l.party.address, occupation=l.party.occupation,
            legal_representative=l.party.legal_representative, represents_link_id=l.represents_id)
        for l in case.parties
    ]
    facts = facts_for(session, case)
    actions = []
    for t in workflow.available(case.stage):
        # The dialog behind these buttons asks for the reason, destination or terms
        # itself; judge the button on everything else.
        assumed = _DIALOG_INPUT.get(t.action)
        chk = workflow.check(t.action, dataclasses.replace(facts, **assumed) if assumed else facts)
        permitted = actor.can(t.permission)
        msg = chk.message if not chk.allowed else ("" if permitted else _("需要督导民警操作。"))
        if t.action in ("decline", "refer", "withdraw", "terminate") and not permitted:
            continue
        actions.append(ActionView(t.action, _(t.label), chk.allowed and permitted, msg))
    jc_deadline = None
    if case.track == workflow.PEOPLE and case.agreement_kind == workflow.WRITTEN and case.agreement_signed_at:
        jc_deadline = local_date(case.agreement_signed_at) + dt.timedelta(days=30)
    return CaseDetail(
        id=case.id, version=case.version_id, desk_id=case.desk_id, desk_name=desk.name if desk else "",
        number=case.number, stage=case.stage, track=case.track, category=case.category,
        subcategory=case.subcategory, source=case.source, title=case.title, facts=case.facts,
        claims=case.claims, amount=case.amount, registered_at=case.registered_at,
        registered_by=names.get(case.registered_by_id or 0, ""), accepted_at=case.accepted_at,
        mediator_id=case.mediator_id, mediator=names.get(case.mediator_id or 0, ""),
        deadline=case.deadline, deadline_label=case.deadline_label, result=case.result,
        outcome_reason=case.outcome_reason, referred_to=case.referred_to,
        routes_suggested=case.routes_suggested, prevented_escalation=case.prevented_escalation,
        agreement_kind=case.agreement_kind, agreement_number=case.agreement_number,
        agreement_terms=case.agreement_terms, agreement_amount=case.agreement_amount,
        performance_manner=case.performance_manner, performance_place=case.performance_place,
        performance_deadline=case.performance_deadline,
        agreement_reached_at=case.agreement_reached_at, agreement_signed_at=case.agreement_signed_at,
        performance_status=case.performance_status, closed_at=case.closed_at,
        archived_at=case.archived_at, judicial_confirmation_deadline=jc_deadline,
        parties=parties,
        events=[EventView(e.id, e.at, names.get(e.user_id or 0, ""), e.kind, e.summary,
                          e.stage_from, e.stage_to) for e in case.events],
        sessions=[SessionView(s.id, s.held_at, s.place, s.attendees, s.content, s.result,
                              names.get(s.mediator_id or 0, ""), names.get(s.recorder_id or 0, ""))
                  for s in sessions],
        investigations=[InvestigationView(i.id, i.held_at, i.place, i.subject, i.content,
                                          names.get(i.investigator_id or 0, "")) for i in invs],
        follow_ups=[FollowUpView(f.id, f.visited_at, f.method, f.reason, f.result,
                                 f.performance_status, names.get(f.user_id or 0, "")) for f in fus],
        attachments=[AttachmentView(a[0], a[1], a[2], a[3], a[4], a[5], a[6], names.get(a[7] or 0, ""))
                     for a in atts],
        actions=actions,
    )


def reveal_id_number(session: Session, actor: Actor, party_id: int, *, purpose: str = "") -> str:
    """The full ID number, for those allowed; the viewing itself is audited."""
    require_write(session)
    require(actor, "party.view_id")
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(_("当事人不存在。"))
    audit.append(session, user_id=actor.user_id, action="party.view_id", entity="party",
                 entity_id=party.id, after={"purpose": purpose[:200]})
    return party.id_number


@dataclass(frozen=True)
class PartyMatch:
    party_id: int
    name: str
    id_number_masked: str
    phone_masked: str
    case_count: int
    matched_on: str
    """id_number | phone."""


def find_existing_parties(session: Session, actor: Actor, *, id_number: str = "",
                          phone: str = "") -> list[PartyMatch]:
    """Stored parties with the same ID number or phone, to offer instead of a duplicate."""
    conds = []
    idn = id_number.strip().upper()
    ph = phone.strip()
    if idn:
        conds.append(Party.id_number == idn)
    if ph:
        try:
            ph = validation.phone(ph)
        except ValidationError:
            pass
        conds.append(Party.phone == ph)
    if not conds:
        return []
    counts = (select(CaseParty.party_id, func.count(func.distinct(CaseParty.case_id)).label("n"))
              .group_by(CaseParty.party_id).subquery())
    rows = session.execute(
        select(Party, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.party_id == Party.id)
        .where(or_(*conds)).order_by(Party.id).limit(20)
    ).all()
    return [PartyMatch(p.id, p.name, validation.mask_id_number(p.id_number),
                       validation.mask_phone(p.phone), int(n),
                       "id_number" if idn and p.id_number == idn else "phone") for p, n in rows]
