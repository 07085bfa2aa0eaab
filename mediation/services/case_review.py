"""抽卷评查 (case-file review), issue 15 item 6. No Qt.

An officer draws N closed cases of a period at random (:func:`draw_cases`): the seed and
the population drawn from (every case of the desk closed in the period, by id) are
recorded, so :func:`reproduce_draw` makes the same draw again. Each case drawn is checked
against :data:`CHECK_ITEMS`; :func:`get_review` pre-fills every item from what the
system knows (documents final, deadlines, signatures, follow-ups) with the reason, and
the officer confirms or corrects each (:func:`record_review`). An item not met is a
finding of that kind; findings reach the people who worked the case on their today
panel (:func:`findings_for`). :func:`summary` gives per period the cases drawn, reviewed,
and with findings by kind, for the statistics' 质效表 to join.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.db import require_write
from mediation.errors import NotFound, PermissionDenied, ValidationError
from mediation.i18n import N_, _
from mediation.models import (
    Case,
    CaseReview,
    CaseReviewDraw,
    Document,
    DocumentVersion,
    FollowUp,
    SessionRecord,
    Signature,
    User,
)
from mediation.permissions import Actor, require
from mediation.services import access, audit
from mediation.services.deadlines import calendar
from mediation.timeutil import local_date, start_of_local_day, utcnow
from mediation.validation import Collector, text

DOCUMENTS = "documents"
DEADLINES = "deadlines"
SIGNATURES = "signatures"
FOLLOW_UP = "follow_up"
OTHER = "other"

CHECK_ITEMS: dict[str, str] = {
    DOCUMENTS: N_("文书齐全且已定稿"),
    DEADLINES: N_("办理期限均已遵守"),
    SIGNATURES: N_("签名（签章）齐全"),
    FOLLOW_UP: N_("回访已完成"),
}
"""The checklist, in order."""
FINDING_KINDS: dict[str, str] = {**CHECK_ITEMS, OTHER: N_("其他问题")}

MAX_DRAW = 200
PENDING, REVIEWED = "pending", "reviewed"
CLOSED_STAGES = (workflow.CLOSED, workflow.ARCHIVED)


def kind_label(kind: str) -> str:
    return _(FINDING_KINDS.get(kind, kind))


# ---------------------------------------------------------------- the draw


def pick(population: list[int], seed: int, n: int) -> list[int]:
    """The draw itself: ``n`` of ``population`` (ascending ids) by ``random.Random(seed)``."""
    return random.Random(seed).sample(sorted(population), min(n, len(population)))


@dataclass(frozen=True)
class DrawResult:
    draw_id: int
    seed: int
    population: int
    case_ids: list[int]


def _check_period(v: Collector, period_from: dt.date | None, period_to: dt.date | None) -> None:
    if period_from is None:
        v.add("period_from", _("请选择开始日期。"))
    if period_to is None:
        v.add("period_to", _("请选择结束日期。"))
    if period_from is not None and period_to is not None and period_to < period_from:
        v.add("period_to", _("结束日期早于开始日期。"))


def closed_in(session: Session, desk_id: int, period_from: dt.date, period_to: dt.date) -> list[int]:
    """Ids of the desk's cases closed (desk dates, inclusive) in the period and still closed or archived."""
    return list(session.scalars(
        select(Case.id).where(Case.desk_id == desk_id, Case.stage.in_(CLOSED_STAGES),
                              Case.closed_at >= start_of_local_day(period_from),
                              Case.closed_at < start_of_local_day(period_to + dt.timedelta(days=1)))
        .order_by(Case.id)))


def _desk_for_write(actor: Actor, desk_id: int | None) -> int:
    desk = desk_id if desk_id is not None else actor.desk_id
    denied = _("您不能在该调解点抽卷评查。")
    if desk is None:
        raise PermissionDenied(denied)
    access.check_desk(actor, desk, write=True, denied=denied)
    return desk


def draw_desks(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The desks the actor may draw in (id, name): their own; every active desk for the
    administrator of the whole installation; none for a roll-up account without a desk.
    The 抽卷评查 window offers them when there is more than one or no desk of one's own."""
    from mediation.models import Desk

    require(actor, "review.conduct")
    q = select(Desk.id, Desk.name).where(Desk.active.is_(True)).order_by(Desk.id)
    writable = actor.writable_desks
    if writable is not None:
        q = q.where(Desk.id.in_(sorted(writable)))
    return [(int(i), str(n)) for i, n in session.execute(q)]


def draw_cases(session: Session, actor: Actor, *, period_from: dt.date | None, period_to: dt.date | None,
               n: int, seed: int | None = None, desk_id: int | None = None) -> DrawResult:
    """Draw ``n`` closed cases of the period at random (all of them if fewer); the draw,
    its seed and population are recorded, one pending review per case."""
    require_write(session)
    require(actor, "review.conduct")
    desk = _desk_for_write(actor, desk_id)
    v = Collector()
    _check_period(v, period_from, period_to)
    if not 1 <= n <= MAX_DRAW:
        v.add("count", _("抽取件数应在 1 到 {m} 之间。").format(m=MAX_DRAW))
    if seed is not None and not 0 <= seed < 2**63:
        v.add("seed", _("随机种子应为 0 到 2^63−1 之间的整数。"))
    v.raise_if_any()
    assert period_from is not None and period_to is not None
    population = closed_in(session, desk, period_from, period_to)
    if not population:
        raise ValidationError(field="period_from", message=_("{a} 至 {b} 没有已结案的案件，无法抽取。").format(
            a=period_from.isoformat(), b=period_to.isoformat()))
    seed = secrets.randbits(63) if seed is None else seed
    chosen = pick(population, seed, n)
    draw = CaseReviewDraw(desk_id=desk, period_from=period_from, period_to=period_to, requested=n, seed=str(seed),
                          population=population, drawn_by_id=actor.user_id, drawn_at=utcnow())
    session.add(draw)
    session.flush()
    for i, case_id in enumerate(chosen, start=1):
        session.add(CaseReview(desk_id=desk, draw_id=draw.id, case_id=case_id, position=i, status=PENDING,
                               comment=""))
    session.flush()
    audit.append(session, desk_id=desk, user_id=actor.user_id, action="review.draw", entity="case_review_draw",
                 entity_id=draw.id, after={"period_from": period_from, "period_to": period_to, "requested": n,
                                           "seed": str(seed), "population": len(population), "cases": chosen})
    return DrawResult(draw.id, seed, len(population), chosen)


def reproduce_draw(session: Session, actor: Actor, draw_id: int) -> tuple[list[int], list[int]]:
    """(the cases the draw recorded, the cases its seed and population give again): equal
    unless the record was changed."""
    draw = _draw(session, actor, draw_id)
    recorded = list(session.scalars(select(CaseReview.case_id).where(CaseReview.draw_id == draw.id)
                                    .order_by(CaseReview.position)))
    return recorded, pick([int(i) for i in draw.population], int(draw.seed), draw.requested)


def _draw(session: Session, actor: Actor, draw_id: int) -> CaseReviewDraw:
    require(actor, "review.conduct")
    return access.readable(session, actor, CaseReviewDraw, draw_id)


@dataclass(frozen=True)
class ReviewRow:
    id: int
    position: int
    case_id: int
    case_number: str
    parties: str
    status: str
    findings: int


@dataclass(frozen=True)
class DrawView:
    id: int
    period_from: dt.date
    period_to: dt.date
    requested: int
    seed: str
    population: int
    drawn_at: dt.datetime
    drawn_by: str
    reviews: list[ReviewRow]
    desk_name: str = ""
    """The desk drawn in (the window names it when the draws are of several desks)."""

    @property
    def reviewed(self) -> int:
        return sum(r.status == REVIEWED for r in self.reviews)


def list_draws(session: Session, actor: Actor) -> list[DrawView]:
    """The draws of the desks the actor reads, newest first, each with its cases."""
    require(actor, "review.conduct")
    from mediation.models import Desk

    stmt = (select(CaseReviewDraw, User.display_name, Desk.name)
            .outerjoin(User, User.id == CaseReviewDraw.drawn_by_id).join(Desk, Desk.id == CaseReviewDraw.desk_id)
            .order_by(CaseReviewDraw.drawn_at.desc(), CaseReviewDraw.id.desc()))
    readable = actor.readable_desks
    if readable is not None:
        stmt = stmt.where(CaseReviewDraw.desk_id.in_(sorted(readable)))
    draws = session.execute(stmt).all()
    ids = [d.id for d, _n, _desk in draws]
    rows: dict[int, list[ReviewRow]] = {i: [] for i in ids}
    if ids:
        for r, number, parties in session.execute(
                select(CaseReview, Case.number, Case.party_names).join(Case, Case.id == CaseReview.case_id)
                .where(CaseReview.draw_id.in_(ids)).order_by(CaseReview.draw_id, CaseReview.position)):
            rows[r.draw_id].append(ReviewRow(r.id, r.position, r.case_id, number or "", parties, r.status,
                                             len(r.findings or [])))
    return [DrawView(d.id, d.period_from, d.period_to, d.requested, d.seed, len(d.population or []),
                     d.drawn_at, name or "", rows[d.id], desk) for d, name, desk in draws]


# ---------------------------------------------------------------- the checklist


@dataclass(frozen=True)
class Suggestion:
    """What the system found for one item: met (True/False) or unknown (None), and why."""

    met: bool | None
    reason: str


def suggest(session: Session, case: Case) -> dict[str, Suggestion]:
    """Each checklist item pre-filled from the records of the case."""
    out: dict[str, Suggestion] = {}
    docs = session.execute(select(Document.id, Document.title, Document.status, Document.form)
                           .where(Document.case_id == case.id).order_by(Document.id)).all()
    drafts = [t for _i, t, st, _f in docs if st != "final"]
    forms = {f for *_x, f in docs}
    needs_agreement = case.result == "success" and case.agreement_kind is not None
    missing_agreement = needs_agreement and not (forms & set(workflow.agreement_forms_for(case.agreement_kind)))
    if not docs:
        out[DOCUMENTS] = Suggestion(False, _("案件没有任何文书。"))
    elif drafts:
        out[DOCUMENTS] = Suggestion(False, _("尚未定稿：{t}").format(t="、".join(drafts)))
    elif missing_agreement:
        out[DOCUMENTS] = Suggestion(False, _("达成协议但没有协议书（登记表）。"))
    else:
        out[DOCUMENTS] = Suggestion(True, _("{n} 份文书均已定稿。").format(n=len(docs)))

    finals = session.execute(
        select(DocumentVersion.id, Document.title, DocumentVersion.signed_on_paper, DocumentVersion.scan_attachment_id)
        .join(Document, Document.id == DocumentVersion.document_id)
        .where(Document.case_id == case.id, DocumentVersion.status == "final")).all()
    signed = set(session.scalars(select(Signature.version_id).where(Signature.version_id.in_([f[0] for f in finals]))))
    unsigned = [title for vid, title, paper, scan in finals if vid not in signed and not paper and scan is None]
    if not finals:
        out[SIGNATURES] = Suggestion(None, _("没有定稿文书，无从核对签名。"))
    elif unsigned:
        out[SIGNATURES] = Suggestion(False, _("没有签名、纸面签署或扫描件：{t}").format(t="、".join(unsigned)))
    else:
        out[SIGNATURES] = Suggestion(True, _("定稿文书均有签名或签署扫描件。"))

    out[DEADLINES] = _deadline_suggestion(session, case)

    follow_ups = session.scalar(select(func.count()).select_from(FollowUp).where(FollowUp.case_id == case.id)) or 0
    if case.result != "success":
        out[FOLLOW_UP] = Suggestion(True, _("未达成协议，无需回访。"))
    elif follow_ups:
        out[FOLLOW_UP] = Suggestion(True, _("有 {n} 次回访记录。").format(n=follow_ups))
    else:
        out[FOLLOW_UP] = Suggestion(False, _("达成协议但没有回访记录。"))
    return {k: out[k] for k in CHECK_ITEMS}


def _deadline_suggestion(session: Session, case: Case) -> Suggestion:
    if case.accepted_at is None:
        return Suggestion(True, _("未受理即结束，无办理期限。"))
    cal = calendar(session)
    accepted = local_date(case.accepted_at)
    sessions = [local_date(t) for t in session.scalars(
        select(SessionRecord.held_at).where(SessionRecord.case_id == case.id).order_by(SessionRecord.held_at))]
    if case.track == workflow.POLICE:
        if not sessions:
            return Suggestion(None, _("没有调解记录，无法核对首次调解期限。"))
        first_due = cal.add_workdays(accepted, 3)
        if sessions[0] > first_due:
            return Suggestion(False, _("首次调解 {d}，超过期限 {due}。").format(d=sessions[0], due=first_due))
        if len(sessions) > 1 and sessions[1] > cal.add_workdays(sessions[0], 7):
            return Suggestion(False, _("第二次调解 {d}，超过首次后 7 个工作日。").format(d=sessions[1]))
        return Suggestion(True, _("首次调解 {d}，在期限 {due} 内。").format(d=sessions[0], due=first_due))
    ended = case.agreement_reached_at or case.closed_at
    if ended is None:
        return Suggestion(None, _("没有结束日期。"))
    due = cal.end_of_period(accepted, 30)
    end = local_date(ended)
    if end > due:
        return Suggestion(False, _("调解于 {d} 结束，超过期限 {due}。").format(d=end, due=due))
    return Suggestion(True, _("调解于 {d} 结束，在期限 {due} 内。").format(d=end, due=due))


@dataclass(frozen=True)
class ItemView:
    key: str
    label: str
    suggested: bool | None
    reason: str
    met: bool | None
    """As the reviewer confirmed it (None until reviewed)."""
    note: str


@dataclass(frozen=True)
class ReviewView:
    id: int
    draw_id: int
    case_id: int
    case_number: str
    parties: str
    closed_at: dt.datetime | None
    status: str
    items: list[ItemView]
    findings: list[dict[str, str]]
    comment: str
    reviewed_by: str
    reviewed_at: dt.datetime | None


def _review(session: Session, actor: Actor, review_id: int, *, for_update: bool = False) -> CaseReview:
    require(actor, "review.conduct")
    return access.readable(session, actor, CaseReview, review_id, for_update=for_update)


def get_review(session: Session, actor: Actor, review_id: int) -> ReviewView:
    """One case of a draw: the checklist pre-filled (and, once reviewed, as confirmed)."""
    review = _review(session, actor, review_id)
    case = session.get(Case, review.case_id)
    if case is None:
        raise NotFound(_("案件不存在。"))
    hints = suggest(session, case)
    confirmed: dict[str, Any] = review.checklist or {}
    items = []
    for key, label in CHECK_ITEMS.items():
        c = confirmed.get(key) or {}
        items.append(ItemView(key, _(label), hints[key].met, hints[key].reason,
                              c.get("met") if isinstance(c, dict) else None,
                              str(c.get("note", "")) if isinstance(c, dict) else ""))
    reviewer = session.get(User, review.reviewed_by_id) if review.reviewed_by_id else None
    return ReviewView(review.id, review.draw_id, case.id, case.number or "", case.party_names, case.closed_at,
                      review.status, items, list(review.findings or []), review.comment,
                      reviewer.display_name if reviewer else "", review.reviewed_at)


@dataclass(frozen=True)
class ItemInput:
    met: bool
    note: str = ""


def record_review(session: Session, actor: Actor, review_id: int, items: dict[str, ItemInput], *,
                  other: str = "", comment: str = "") -> list[dict[str, str]]:
    """Record the confirmed checklist; every item not met (with its note saying what is
    wrong) and ``other`` are the findings. Returns the findings."""
    require_write(session)
    review = _review(session, actor, review_id, for_update=True)
    access.check_write(actor, review.desk_id, CaseReview, _("您不能修改该调解点的评查记录。"))
    v = Collector()
    checklist: dict[str, Any] = {}
    findings: list[dict[str, str]] = []
    case = session.get(Case, review.case_id)
    assert case is not None
    hints = suggest(session, case)
    for key in CHECK_ITEMS:
        item = items.get(key)
        if item is None:
            v.add(key, _("请确认此项。"))
            continue
        note = v.check(key, text, item.note, max_len=500) or ""
        if not item.met and not note.strip():
            v.add(key, _("不符合时请写明问题。"))
        checklist[key] = {"met": bool(item.met), "suggested": hints[key].met, "note": note}
        if not item.met:
            findings.append({"kind": key, "text": note})
    unknown = [k for k in items if k not in CHECK_ITEMS]
    if unknown:
        v.add("items", _("未知的评查项目：{k}").format(k="、".join(unknown)))
    other_c = v.check("other", text, other, max_len=2000) or ""
    comment_c = v.check("comment", text, comment, max_len=2000) or ""
    v.raise_if_any()
    if other_c.strip():
        findings.append({"kind": OTHER, "text": other_c.strip()})
    before = {"status": review.status, "checklist": review.checklist, "findings": review.findings,
              "comment": review.comment}
    review.checklist = checklist
    review.findings = findings
    review.comment = comment_c
    review.status = REVIEWED
    review.reviewed_by_id = actor.user_id
    review.reviewed_at = utcnow()
    session.flush()
    audit.append(session, desk_id=review.desk_id, user_id=actor.user_id, action="review.record",
                 entity="case_review", entity_id=review.id, case_id=review.case_id, before=before,
                 after={"status": REVIEWED, "checklist": checklist, "findings": findings, "comment": comment_c})
    return findings


# ---------------------------------------------------------------- findings for the people who worked the case


@dataclass(frozen=True)
class FindingView:
    review_id: int
    case_id: int
    case_number: str
    parties: str
    kind: str
    text: str
    reviewed_at: dt.datetime
    reviewer: str

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


def findings_for(session: Session, actor: Actor, *, days: int = 60, limit: int = 20) -> list[FindingView]:
    """Findings of the last ``days`` on cases the actor mediated or registered, newest first."""
    since = utcnow() - dt.timedelta(days=days)
    reviewer = User
    rows = session.execute(
        select(CaseReview, Case.number, Case.party_names, reviewer.display_name)
        .join(Case, Case.id == CaseReview.case_id)
        .outerjoin(reviewer, reviewer.id == CaseReview.reviewed_by_id)
        .where(CaseReview.status == REVIEWED, CaseReview.reviewed_at >= since,
               or_(Case.mediator_id == actor.user_id, Case.registered_by_id == actor.user_id))
        .order_by(CaseReview.reviewed_at.desc(), CaseReview.id.desc()).limit(limit)).all()
    out = []
    for review, number, parties, name in rows:
        if not actor.may_read_desk(review.desk_id) or review.reviewed_at is None:
            continue
        for f in review.findings or []:
            out.append(FindingView(review.id, review.case_id, number or "", parties, str(f.get("kind", OTHER)),
                                   str(f.get("text", "")), review.reviewed_at, name or ""))
    return out


# ---------------------------------------------------------------- the summary the statistics join


@dataclass(frozen=True)
class ReviewSummary:
    """评查 of one period: draws whose period lies within it."""

    period_from: dt.date
    period_to: dt.date
    draws: int
    drawn: int
    reviewed: int
    with_findings: int
    by_kind: dict[str, int] = field(default_factory=dict)
    """Cases with at least one finding of each kind (every kind present, 0 when none)."""


def summary(session: Session, actor: Actor, period_from: dt.date, period_to: dt.date, *,
            desk_ids: frozenset[int] | None = None) -> ReviewSummary:
    """Cases drawn, reviewed and with findings by kind, for draws of periods within
    ``period_from``–``period_to`` on the desks given (default: every desk the actor reads)."""
    require(actor, "report.view")
    readable = actor.readable_desks
    wanted = desk_ids if desk_ids is not None else readable
    if wanted is not None:
        wanted = frozenset(d for d in wanted if actor.may_read_desk(d))
    return summary_of(session, wanted, period_from, period_to)


@dataclass(frozen=True)
class DrawnCase:
    """One case of a draw counted in a summary: its review's state and the kinds of its findings."""

    case_id: int
    draw_id: int
    reviewed: bool
    kinds: frozenset[str]


def drawn_cases(session: Session, desks: frozenset[int] | None, period_from: dt.date,
                period_to: dt.date) -> list[DrawnCase]:
    """The cases of the draws whose period lies within ``period_from``–``period_to`` on ``desks``
    (None: every desk), by case id. No actor: the caller has checked the desks (:func:`summary`,
    the statistics' 质效表)."""
    stmt = (select(CaseReview.case_id, CaseReview.draw_id, CaseReview.status, CaseReview.findings)
            .join(CaseReviewDraw, CaseReviewDraw.id == CaseReview.draw_id)
            .where(CaseReviewDraw.period_from >= period_from, CaseReviewDraw.period_to <= period_to)
            .order_by(CaseReview.case_id, CaseReview.id))
    if desks is not None:
        stmt = stmt.where(CaseReviewDraw.desk_id.in_(sorted(desks)))
    return [DrawnCase(case_id, draw_id, status == REVIEWED,
                      frozenset(str(f.get("kind", OTHER)) for f in findings or []) if status == REVIEWED
                      else frozenset())
            for case_id, draw_id, status, findings in session.execute(stmt)]


def summary_of(session: Session, desks: frozenset[int] | None, period_from: dt.date,
               period_to: dt.date) -> ReviewSummary:
    """:func:`summary` of the desks given (None: every desk), the desks already checked."""
    by_kind = dict.fromkeys(FINDING_KINDS, 0)
    drawn = reviewed = with_findings = 0
    draws: set[int] = set()
    for c in drawn_cases(session, desks, period_from, period_to):
        draws.add(c.draw_id)
        drawn += 1
        if c.reviewed:
            reviewed += 1
            if c.kinds:
                with_findings += 1
            for k in c.kinds:
                by_kind[k] = by_kind.get(k, 0) + 1
    return ReviewSummary(period_from, period_to, len(draws), drawn, reviewed, with_findings, by_kind)
