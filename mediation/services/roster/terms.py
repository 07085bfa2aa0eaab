"""Terms of duty: an administrator opens one (dates, minimum staffing, weekly maximum), edits
it, and closes it at its end — refused while open cases are with accounts that expire with it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediation import validation, volunteering
from mediation.db import require_write
from mediation.errors import Conflict, ValidationError
from mediation.i18n import _
from mediation.models import Term, User, Volunteer
from mediation.permissions import Actor, require
from mediation.services import audit
from mediation.services.roster import common, reassignment, volunteers
from mediation.timeutil import local_today, utcnow
from mediation.validation import Collector

MAX_TERM_DAYS = 366


@dataclass
class TermInput:
    name: str
    starts_on: dt.date
    ends_on: dt.date
    min_students: int = 2
    min_officers: int = 1
    max_weekly_hours: float = 8.0


@dataclass(frozen=True)
class TermView:
    id: int
    desk_id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    min_students: int
    min_officers: int
    max_weekly_minutes: int
    status: str
    volunteers: int

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    def includes(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def _clean(data: TermInput) -> dict[str, object]:
    v = Collector()
    name = v.check("name", validation.text, data.name, required=True, max_len=60)
    if data.ends_on < data.starts_on:
        v.add("ends_on", _("结束日期不能早于开始日期。"))
    elif (data.ends_on - data.starts_on).days > MAX_TERM_DAYS:
        v.add("ends_on", _("一个学期不能超过一年。"))
    if not 0 <= data.min_students <= 20:
        v.add("min_students", _("每班最少学生数应在 0 到 20 之间。"))
    if not 0 <= data.min_officers <= 10:
        v.add("min_officers", _("每班最少值班民警数应在 0 到 10 之间。"))
    if not 0.5 <= data.max_weekly_hours <= 60:
        v.add("max_weekly_hours", _("每周上限应在 0.5 到 60 小时之间。"))
    v.raise_if_any()
    return {"name": name, "starts_on": data.starts_on, "ends_on": data.ends_on,
            "min_students": data.min_students, "min_officers": data.min_officers,
            "max_weekly_minutes": round(data.max_weekly_hours * 60)}


def _name_taken(session: Session, desk_id: int, name: str, but: int | None = None) -> bool:
    q = select(Term.id).where(Term.desk_id == desk_id, Term.name == name)
    if but is not None:
        q = q.where(Term.id != but)
    return session.scalar(q) is not None


def create_term(session: Session, actor: Actor, data: TermInput, *, desk_id: int | None = None) -> int:
    """Open a term (administrators)."""
    require_write(session)
    require(actor, "roster.manage")
    desk = common.desk_of(actor, desk_id)
    common.check_write(actor, desk)
    fields = _clean(data)
    if _name_taken(session, desk, str(fields["name"])):
        raise ValidationError(field="name", message=_("已有名为“{name}”的学期。").format(name=fields["name"]))
    term = Term(desk_id=desk, created_by_id=actor.user_id, **fields)
    session.add(term)
    session.flush()
    audit.append(session, desk_id=desk, user_id=actor.user_id, action="roster.term_create", entity="roster_term",
                 entity_id=term.id, after=dict(fields))
    return term.id


def update_term(session: Session, actor: Actor, term_id: int, data: TermInput) -> None:
    """Change a term's dates or rules; accounts that ended with the term follow its new end."""
    require_write(session)
    require(actor, "roster.manage")
    term = common.load_term(session, actor, term_id, write=True)
    common.open_term(term)
    fields = _clean(data)
    if _name_taken(session, term.desk_id, str(fields["name"]), but=term.id):
        raise ValidationError(field="name", message=_("已有名为“{name}”的学期。").format(name=fields["name"]))
    before = {k: getattr(term, k) for k in fields}
    old_end = term.ends_on
    for k, value in fields.items():
        setattr(term, k, value)
    moved = 0
    if term.ends_on != old_end:
        user_ids = [u for u in session.scalars(select(Volunteer.user_id).where(
            Volunteer.term_id == term.id, Volunteer.user_id.is_not(None))) if u is not None]
        for user in session.scalars(select(User).where(User.id.in_(user_ids), User.valid_until == old_end)):
            user.valid_until = term.ends_on
            moved += 1
    session.flush()
    audit.append(session, desk_id=term.desk_id, user_id=actor.user_id, action="roster.term_update", entity="roster_term",
                 entity_id=term.id, before=before, after={**fields, "accounts_moved": moved})


def _view(term: Term, count: int) -> TermView:
    return TermView(term.id, term.desk_id, term.name, term.starts_on, term.ends_on, term.min_students,
                    term.min_officers, term.max_weekly_minutes, term.status, count)


def list_terms(session: Session, actor: Actor, *, desk_id: int | None = None) -> list[TermView]:
    """The desk's terms, the newest first."""
    desk = common.desk_of(actor, desk_id)
    counts = dict(session.execute(select(Volunteer.term_id, func.count()).where(Volunteer.desk_id == desk)
                                  .group_by(Volunteer.term_id)).all())
    terms = session.scalars(select(Term).where(Term.desk_id == desk).order_by(Term.starts_on.desc(), Term.id.desc()))
    return [_view(t, counts.get(t.id, 0)) for t in terms]


def get_term(session: Session, actor: Actor, term_id: int) -> TermView:
    term = common.load_term(session, actor, term_id)
    count = session.scalar(select(func.count()).select_from(Volunteer).where(Volunteer.term_id == term.id)) or 0
    return _view(term, count)


def current_term(session: Session, actor: Actor, *, on: dt.date | None = None,
                 desk_id: int | None = None) -> TermView | None:
    """The open term that includes ``on`` (today), else the open term starting next, else the latest."""
    day = on or local_today()
    terms = list_terms(session, actor, desk_id=desk_id)
    for pick in ([t for t in terms if not t.closed and t.includes(day)],
                 sorted((t for t in terms if not t.closed and t.starts_on > day), key=lambda t: t.starts_on),
                 terms):
        if pick:
            return pick[0]
    return None


@dataclass(frozen=True)
class ClosedTerm:
    term_id: int
    expired: int
    """Volunteers whose status became 期满."""


def accounts_ending_with(session: Session, term: Term) -> set[int]:
    """The term's volunteers' accounts that expire with it (not carried into a later term)."""
    user_ids = {u for u in session.scalars(select(Volunteer.user_id).where(
        Volunteer.term_id == term.id, Volunteer.user_id.is_not(None))) if u is not None}
    if not user_ids:
        return set()
    later = {u for u in session.scalars(select(User.id).where(
        User.id.in_(user_ids), User.valid_until.is_not(None), User.valid_until > term.ends_on))}
    return user_ids - later


def close_term(session: Session, actor: Actor, term_id: int) -> ClosedTerm:
    """Close a term: its volunteers become 期满. Refused (listing them) while open cases are
    with accounts that expire with it — reassign those first."""
    require_write(session)
    require(actor, "roster.manage")
    term = common.load_term(session, actor, term_id, write=True)
    common.open_term(term)
    held = reassignment.open_cases_of(session, actor, accounts_ending_with(session, term))
    if held:
        lines = [_("{number}（{parties}，{stage}）— {holder}").format(
            number=c.number or _("待受理"), parties=c.parties, stage=c.stage_label, holder=c.holder_name)
            for c in held]
        raise Conflict(_("还有 {n} 件在办案件由随本学期到期的账户承办，请先移交：\n{cases}").format(
            n=len(held), cases="\n".join(lines)))
    expired = 0
    for vol in session.scalars(select(Volunteer).where(Volunteer.term_id == term.id)):
        if vol.status in (volunteering.TRAINING, volunteering.ACTIVE, volunteering.SUSPENDED):
            volunteers.change_status(session, vol, actor, volunteering.EXPIRED, _("学期结束"))
            expired += 1
    term.status = "closed"
    term.closed_at = utcnow()
    term.closed_by_id = actor.user_id
    session.flush()
    audit.append(session, desk_id=term.desk_id, user_id=actor.user_id, action="roster.term_close", entity="roster_term",
                 entity_id=term.id, after={"expired": expired})
    return ClosedTerm(term.id, expired)
