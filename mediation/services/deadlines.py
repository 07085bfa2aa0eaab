"""Deadlines per track, counted on the editable holiday calendar (Chinese working days)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from sqlalchemy import delete, extract, func, select
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.db import require_write
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.models import Case, CaseEvent, HolidayDay, SessionRecord
from mediation.permissions import Actor, require
from mediation.services import audit, reference
from mediation.timeutil import local_date, utcnow
from mediation.workdays import WorkCalendar, chinese_calendar_years, seed_from_chinese_calendar

_cache_lock = threading.Lock()
_cache: dict[tuple[str, object], WorkCalendar] = {}


def _stamp(session: Session) -> object:
    return reference.get_setting(session, "calendar_version") or 0


def calendar(session: Session) -> WorkCalendar:
    """The desk calendar from the holiday table (cached until an administrator edits it)."""
    key = (str(session.get_bind().engine.url), _stamp(session))
    with _cache_lock:
        cal = _cache.get(key)
    if cal is not None:
        return cal
    rows = session.execute(select(HolidayDay.day, HolidayDay.kind)).all()
    known = reference.get_setting(session, "calendar_known_years") or []
    cal = WorkCalendar(holidays=[d for d, k in rows if k == "holiday"],
                       workdays=[d for d, k in rows if k == "workday"], known_years=known)
    with _cache_lock:
        _cache.clear()
        _cache[key] = cal
    return cal


def _bump(session: Session) -> None:
    stamp = _stamp(session)
    reference.set_setting(session, None, "calendar_version", int(stamp) + 1 if isinstance(stamp, int) else 1)


def seed_calendar(session: Session) -> int:
    """Fill the holiday table from the ``chinese_calendar`` package (keeps manual rows)."""
    require_write(session)
    manual = set(session.scalars(select(HolidayDay.day).where(HolidayDay.source == "manual")))
    session.execute(delete(HolidayDay).where(HolidayDay.source == "chinese_calendar"))
    added = 0
    for e in seed_from_chinese_calendar():
        if e.day in manual:
            continue
        session.add(HolidayDay(day=e.day, kind=e.kind, name=e.name, source="chinese_calendar"))
        added += 1
    years = sorted(set(chinese_calendar_years()) | set(
        reference.get_setting(session, "calendar_known_years") or []))
    reference.set_setting(session, None, "calendar_known_years", years)
    _bump(session)
    session.flush()
    return added


@dataclass(frozen=True)
class HolidayRow:
    day: dt.date
    kind: str
    name: str
    source: str


def list_year(session: Session, year: int) -> list[HolidayRow]:
    rows = session.scalars(select(HolidayDay).where(
        HolidayDay.day >= dt.date(year, 1, 1), HolidayDay.day <= dt.date(year, 12, 31)
    ).order_by(HolidayDay.day))
    return [HolidayRow(r.day, r.kind, r.name, r.source) for r in rows]


def set_day(session: Session, actor: Actor, day: dt.date, kind: str | None, name: str = "") -> None:
    """Mark a day as holiday / swapped workday, or (kind None) back to the normal week."""
    require_write(session)
    require(actor, "calendar.manage")
    if kind not in (None, "holiday", "workday"):
        raise ValidationError(field="kind", message=_("请选择“放假”或“调休上班”。"))
    row = session.get(HolidayDay, day)
    before = {"kind": row.kind, "name": row.name} if row else None
    if kind is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(HolidayDay(day=day, kind=kind, name=name[:30], source="manual"))
    else:
        row.kind, row.name, row.source = kind, name[:30], "manual"
    session.flush()
    audit.append(session, desk_id=None, user_id=actor.user_id, action="calendar.set", entity="holiday_day",
                 before={"day": day, **(before or {})}, after={"day": day, "kind": kind, "name": name})
    _bump(session)


def mark_year_known(session: Session, actor: Actor, year: int, known: bool = True) -> None:
    require_write(session)
    require(actor, "calendar.manage")
    years = set(reference.get_setting(session, "calendar_known_years") or [])
    years = years | {year} if known else years - {year}
    reference.set_setting(session, actor, "calendar_known_years", sorted(years))
    _bump(session)


def unknown_years(session: Session, start: dt.date, end: dt.date) -> list[int]:
    """Years from ``start`` to ``end`` whose holidays are not entered yet: a deadline counted
    through them treats every Monday–Friday as a working day (issue 12 item 17)."""
    return calendar(session).unknown_years(start, end)


def deadlines_in_unknown_years(session: Session, actor: Actor) -> dict[int, int]:
    """Open cases (on the actor's desks) whose deadline falls in a year with no holidays
    entered: year → how many."""
    year = extract("year", Case.deadline)
    q = (select(year, func.count()).where(Case.deadline.is_not(None),
                                          Case.stage.in_(sorted(workflow.OPEN_STAGES)))
         .group_by(year))
    if actor.readable_desks is not None:
        q = q.where(Case.desk_id.in_(actor.readable_desks))
    cal = calendar(session)
    return {int(y): int(n) for y, n in session.execute(q) if y is not None and not cal.is_known(int(y))}


def deadline_rules(session: Session, desk_id: int | None = None) -> tuple[workflow.DeadlineRule, ...]:
    return workflow.rules_from_data(reference.get_setting(session, "deadline_rules", desk_id))


def compute_deadline(session: Session, case: Case) -> tuple[dt.date | None, str]:
    """The deadline that applies to the case in its current stage, and its label."""
    if case.track is None:
        return None, ""
    for rule in deadline_rules(session, case.desk_id):
        if rule.track != case.track or rule.stage != case.stage:
            continue
        anchor: dt.datetime | None
        if rule.anchor == "accepted_at":
            anchor = case.accepted_at
            reopened = _reopened_at(session, case)
            if anchor is not None and reopened is not None and reopened > anchor:
                anchor = reopened  # 恢复调解: the period runs again from the reopening
        elif rule.anchor == "agreement_reached_at":
            anchor = case.agreement_signed_at or case.agreement_reached_at
        elif rule.anchor == "first_session_at":
            times = session.execute(select(func.min(SessionRecord.held_at), func.count())
                                    .where(SessionRecord.case_id == case.id)).one()
            if times[1] != 1:  # police: at most one more session, within 7 working days
                continue
            anchor = times[0]
        else:
            continue
        if anchor is None:
            continue
        cal = calendar(session)
        start = local_date(anchor)
        if rule.unit == "working_days":
            return cal.add_workdays(start, rule.amount), _(rule.label)
        return cal.end_of_period(start, rule.amount), _(rule.label)
    return None, ""


def _reopened_at(session: Session, case: Case) -> dt.datetime | None:
    """When the case was last reopened (恢复调解), if ever: the periods counted from
    acceptance run again from then, so a reopened case is not overdue the moment it is
    taken up again. The reopening being made in this very flush counts as now."""
    if any(isinstance(o, CaseEvent) and o.case_id == case.id and o.kind == "reopen" for o in session.new):
        return utcnow()
    if case.id is None:
        return None
    with session.no_autoflush:
        at: dt.datetime | None = session.scalar(select(func.max(CaseEvent.at)).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == "reopen"))
    return at


def refresh_case_deadline(session: Session, case: Case) -> None:
    deadline, label = compute_deadline(session, case)
    if case.stage in (workflow.CLOSED, workflow.ARCHIVED, workflow.TERMINATED):
        deadline, label = None, ""
    if (case.stage in (workflow.PERFORMING, workflow.AGREED) and case.performance_deadline
            and (deadline is None or case.performance_deadline < deadline)):
        deadline, label = case.performance_deadline, _("履行期限")
    case.deadline = deadline
    case.deadline_label = label
