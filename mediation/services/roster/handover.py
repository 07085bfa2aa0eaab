"""交接班: at check-out the app lists what the next person on duty needs to know, the volunteer
adds what only they know (promises made to visitors), and the next person acknowledges it.

What :func:`due_items` lists for the person leaving (their cases: those they mediate, and
those they registered that nobody has taken on yet), in this order:

- ``deadline`` — open cases whose deadline is within two working days, or past (but those in
  performance: they are follow-ups);
- ``document`` — documents of their cases (or drafted by them) waiting for approval
  (submitted) or for signature (approved, not yet final);
- ``returning`` — cases in mediation whose last session ended "继续调解": the parties are
  expected back;
- ``follow_up`` — cases in performance whose performance deadline is within two working
  days, or past: a follow-up is due.

The items are written into the handover when it is saved (what the person saw is what the
next one reads). Unacknowledged handovers stay on the today panel of the desk's people on
duty, and in the adviser's overview.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from mediation import validation, volunteering, workflow
from mediation.changes import Changes
from mediation.db import require_write
from mediation.errors import Conflict, PermissionDenied
from mediation.i18n import _
from mediation.models import Case, Document, DutyShift, Handover, SessionRecord, User
from mediation.permissions import Actor, require
from mediation.services import audit
from mediation.services.roster import common, today
from mediation.timeutil import local_date, local_today, start_of_local_day, utcnow

HANDOVER_CHANGES = Changes(roster=True)
MAX_NOTE = 2000
WAITING_DOCUMENTS = {"submitted": "待审批", "approved": "待签署定稿"}
"""Document statuses that wait for someone, and how a handover words them (stored in Chinese)."""


@dataclass(frozen=True)
class HandoverItem:
    kind: str
    """deadline | document | returning | follow_up (volunteering.HANDOVER_ITEMS)."""
    case_id: int
    case_number: str
    parties: str
    what: str
    due: dt.date | None = None

    @property
    def label(self) -> str:
        return _(volunteering.HANDOVER_ITEMS[self.kind])

    def as_data(self) -> dict[str, Any]:
        return {"kind": self.kind, "case_id": self.case_id, "case_number": self.case_number,
                "parties": self.parties, "what": self.what, "due": self.due.isoformat() if self.due else None}

    @staticmethod
    def from_data(data: dict[str, Any]) -> HandoverItem:
        due = data.get("due")
        return HandoverItem(str(data.get("kind", "")), int(data.get("case_id", 0)), str(data.get("case_number", "")),
                            str(data.get("parties", "")), str(data.get("what", "")),
                            dt.date.fromisoformat(due) if isinstance(due, str) else None)


def _theirs(user_id: int) -> Any:
    """Cases held by ``user_id`` (module docstring)."""
    return or_(Case.mediator_id == user_id,
               and_(Case.stage == workflow.REGISTERED, Case.mediator_id.is_(None), Case.registered_by_id == user_id))


def due_items(session: Session, actor: Actor, *, user_id: int | None = None) -> list[HandoverItem]:
    """What the handover of ``user_id`` (the actor) lists now (module docstring)."""
    whom = user_id if user_id is not None else actor.user_id
    desk = common.desk_of(actor)
    if whom != actor.user_id:
        common.load_user(session, actor, whom, desk_id=desk)
    until = today.due_until(session)
    open_stages = sorted(workflow.OPEN_STAGES)
    base = select(Case).where(Case.desk_id == desk, Case.stage.in_(open_stages), _theirs(whom))
    items: list[HandoverItem] = []

    def number(c: Case) -> str:
        return c.number or "待受理"

    for c in session.scalars(base.where(Case.deadline.is_not(None), Case.deadline <= until,
                                        Case.stage != workflow.PERFORMING)  # those are follow-ups
                             .order_by(Case.deadline, Case.id)):
        items.append(HandoverItem("deadline", c.id, number(c), c.party_names,
                                  c.deadline_label or "期限", c.deadline))
    docs = session.execute(
        select(Document, Case).join(Case, Case.id == Document.case_id)
        .where(Case.desk_id == desk, Document.status.in_(sorted(WAITING_DOCUMENTS)),
               or_(Case.mediator_id == whom, Document.created_by_id == whom))
        .order_by(Document.updated_at, Document.id)).all()
    for d, c in docs:
        items.append(HandoverItem("document", c.id, number(c), c.party_names,
                                  f"{d.title}（{WAITING_DOCUMENTS[d.status]}）", None))
    last = (select(SessionRecord.case_id, func.max(SessionRecord.id).label("last_id"))
            .group_by(SessionRecord.case_id).subquery())
    returning = session.execute(
        select(Case, SessionRecord.held_at).join(last, last.c.case_id == Case.id)
        .join(SessionRecord, SessionRecord.id == last.c.last_id)
        .where(Case.desk_id == desk, Case.stage == workflow.MEDIATING, Case.mediator_id == whom,
               SessionRecord.result == "continued")
        .order_by(Case.deadline.is_(None), Case.deadline, Case.id)).all()
    for c, held in returning:
        items.append(HandoverItem("returning", c.id, number(c), c.party_names,
                                  f"继续调解（上次 {local_date(held).isoformat()}）", c.deadline))
    for c in session.scalars(select(Case).where(
            Case.desk_id == desk, Case.stage == workflow.PERFORMING, Case.mediator_id == whom,
            Case.performance_deadline.is_not(None), Case.performance_deadline <= until)
            .order_by(Case.performance_deadline, Case.id)):
        items.append(HandoverItem("follow_up", c.id, number(c), c.party_names, "履行期限届满，需回访",
                                  c.performance_deadline))
    return items


def write_handover(session: Session, actor: Actor, *, note: str, shift_id: int | None = None) -> int:
    """Save the actor's handover: the due items as they are now, and their note."""
    require_write(session)
    require(actor, "roster.duty")
    desk = common.desk_of(actor)
    common.check_write(actor, desk)
    text = validation.text(note, field="note", max_len=MAX_NOTE)
    if shift_id is not None:
        shift = common.load(session, actor, DutyShift, shift_id, missing=_("该班次不存在。"))
        if shift.user_id != actor.user_id:
            raise PermissionDenied(_("只能为自己的班次写交接班。"))
    items = due_items(session, actor)
    handover = Handover(desk_id=desk, shift_id=shift_id, author_id=actor.user_id, written_at=utcnow(),
                        items=[i.as_data() for i in items], note=text)
    session.add(handover)
    session.flush()
    audit.append(session, desk_id=desk, user_id=actor.user_id, action="roster.handover", entity="roster_handover",
                 entity_id=handover.id, after={"shift_id": shift_id, "items": len(items), "note": text})
    return handover.id


@dataclass(frozen=True)
class SignedOff:
    shift_id: int
    handover_id: int
    extra_minutes: int
    changes: Changes = field(default_factory=lambda: HANDOVER_CHANGES)


def check_out_with_handover(session: Session, actor: Actor, shift_id: int, *, note: str) -> SignedOff:
    """签退 and 交接班 together, in one transaction (at 签退 and at logout)."""
    done = today.check_out(session, actor, shift_id)
    handover_id = write_handover(session, actor, note=note, shift_id=shift_id)
    return SignedOff(done.shift_id, handover_id, done.extra_minutes)


@dataclass(frozen=True)
class HandoverView:
    id: int
    author_id: int
    author: str
    written_at: dt.datetime
    items: list[HandoverItem]
    note: str
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None


def _views(session: Session, rows: list[Handover]) -> list[HandoverView]:
    ids = {h.author_id for h in rows} | {h.acknowledged_by_id for h in rows if h.acknowledged_by_id}
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}
    return [HandoverView(h.id, h.author_id, names.get(h.author_id, ""), h.written_at,
                         [HandoverItem.from_data(i) for i in (h.items or []) if isinstance(i, dict)], h.note,
                         names.get(h.acknowledged_by_id) if h.acknowledged_by_id else None, h.acknowledged_at)
            for h in rows]


def open_handovers(session: Session, actor: Actor, *, desk_id: int | None = None, limit: int = 20) -> list[HandoverView]:
    """Handovers of the desk nobody has acknowledged yet (but the actor's own), oldest first."""
    desk = common.desk_of(actor, desk_id)
    rows = list(session.scalars(select(Handover).where(
        Handover.desk_id == desk, Handover.acknowledged_at.is_(None), Handover.author_id != actor.user_id)
        .order_by(Handover.id).limit(limit)))
    return _views(session, rows)


def recent_handovers(session: Session, actor: Actor, *, since: dt.date | None = None,
                     desk_id: int | None = None) -> list[HandoverView]:
    """The desk's handovers written since ``since`` (default: a week ago), newest first."""
    desk = common.desk_of(actor, desk_id)
    start = since or (local_today() - dt.timedelta(days=7))
    rows = list(session.scalars(select(Handover).where(Handover.desk_id == desk,
                                                       Handover.written_at >= start_of_local_day(start))
                                .order_by(Handover.id.desc())))
    return _views(session, rows)


def acknowledge(session: Session, actor: Actor, handover_id: int) -> Changes:
    """The next person on duty has read it."""
    require_write(session)
    require(actor, "roster.duty")
    handover = common.load(session, actor, Handover, handover_id, write=True, missing=_("该交接班记录不存在。"))
    if handover.author_id == actor.user_id:
        raise PermissionDenied(_("交接班须由接班的同事确认，不能确认自己写的。"))
    if handover.acknowledged_at is not None:
        raise Conflict(_("该交接班已经确认过了。"))
    handover.acknowledged_by_id = actor.user_id
    handover.acknowledged_at = utcnow()
    session.flush()
    audit.append(session, desk_id=handover.desk_id, user_id=actor.user_id, action="roster.handover_ack", entity="roster_handover",
                 entity_id=handover.id, after={"at": handover.acknowledged_at})
    return HANDOVER_CHANGES
