"""The per-desk monthly summary the tables read, kept current with every change.

Why: the tables' own aggregates over the cases take up to seconds on a desk's history
(issue 15's targets are 20 ms for a month, 100 ms for the whole history). So each case's
*contributions* to the figures are derived once (:func:`derive`) and summed per desk and
month into ``stat_month``; a table then adds up a few hundred summary rows.

A contribution is (local date, measure, track, category, sub-type, source, extra, value):
e.g. ``accepted`` on the acceptance date, ``succeeded``/``written``/``amount`` (in fen) on
the date the agreement was reached, ``closed`` and ``days`` (extra: working days from
acceptance to close, by the desk's holiday calendar) on the closing date, ``party``
(extra: the party type) on the acceptance date. The words of a figure stay in
:mod:`mediation.statistics.tables`: it reads these sums where it used to run its GROUP BY.

Two kinds of figure are not sums by month and are evaluated per case at read time
(``case_figure.special``, a handful of cases): a case with two dates where the first one
inside the period decides (治安 "未达成协议或不履行": terminated, or agreed and then
breached; 质效 超期结案: judged by the agreement date, else by the termination date),
and a police case still open whose session deadline makes it late once "today" passes
a date.

Kept current: triggers (revision 0012) put the id of every case whose row, parties,
sessions, follow-ups, documents or reviews change into ``stat_stale`` — whatever program
wrote it, an older one on a shared database included. The program's own write sessions
refresh those cases at every flush (:func:`install`, same transaction). A read adds the
difference of any case still stale (a change by an older program, or a read-only
roll-up role that cannot refresh) without writing, so figures are exact either way.

The facts depend on the desk's time zone and holiday calendar: they are recorded in the
setting ``statistics_basis``. An edit of the calendar through the program marks every case
stale (refreshed by the following flushes, :data:`REFRESH_ON_FLUSH` at a time); while the
basis differs from the current one (another time zone, a calendar edited by another
program) the tables compute directly from the cases until ``mediation db reindex``
rebuilds the summary (:func:`rebuild`). Sums are kept per month and per year (``yyyy00``);
a period that starts or ends inside a month reads its partial months from the facts of the
cases ``case_figure_day`` lists for those days.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, case, delete, event, func, insert, select
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.models import (
    Case,
    CaseFigure,
    CaseFigureDay,
    CaseParty,
    Document,
    DocumentReview,
    FollowUp,
    SessionRecord,
    StatMonth,
    StatStale,
)
from mediation.statistics import rules
from mediation.statistics.mapping import Desks
from mediation.statistics.periods import Period
from mediation.timeutil import desk_tz, local, local_today

log = logging.getLogger(__name__)

Key = tuple[str, str, int, int, int, str]
"""(measure, track, category id, sub-type id, source id, extra); 0: none."""
Contribution = tuple[dt.date, Key, int]

REFRESH_ON_FLUSH = 2000
"""A write session refreshes at most this many stale cases per flush (a bulk load more:
it calls :func:`refresh` itself, or the reindex does)."""
OVERLAY_LIMIT = 2000
"""A read adds the difference of at most this many stale cases; beyond, it computes
directly from the cases (an older program bulk-wrote: run ``mediation db reindex``)."""
BASIS_KEY = "statistics_basis"


PLAIN_MEASURES = frozenset({"registered", "days", "closed", "followed", "returned", "overdue_q"})
"""Measures read without the case's track, category, sub-type or source (the heat map and the
quality table): summed without them, so the summary keeps few rows."""


def month_of(day: dt.date) -> int:
    return day.year * 100 + day.month


# ---------------------------------------------------------------- what one case contributes


@dataclass
class Fact:
    desk_id: int
    plain: list[Contribution] = field(default_factory=list)
    first: list[tuple[Key, list[tuple[dt.date, int]]]] = field(default_factory=list)
    """Figures where the first of the dates inside the period decides (value 0: not counted)."""
    due: list[tuple[dt.date, dt.date, Key]] = field(default_factory=list)
    """(acceptance date, deadline, key): counted in a period containing the acceptance date
    once today is after the deadline (an open police case waiting for a session)."""

    @property
    def special(self) -> bool:
        return bool(self.first or self.due)

    def days(self) -> list[dt.date]:
        out = [d for d, _k, _v in self.plain]
        out += [d for _k, entries in self.first for d, _v in entries]
        out += [a for a, _d, _k in self.due]
        return out

    def to_json(self) -> str:
        return json.dumps({
            "c": [[d.isoformat(), *k, v] for d, k, v in self.plain],
            "f": [[*k, [[d.isoformat(), v] for d, v in entries]] for k, entries in self.first],
            "d": [[a.isoformat(), d.isoformat(), *k] for a, d, k in self.due],
        }, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, desk_id: int, text: str, *, plain: bool = True) -> Fact:
        data = json.loads(text) if text else {}
        f = cls(desk_id)
        if plain:
            f.plain = [(dt.date.fromisoformat(r[0]), _key(r[1:7]), int(r[7])) for r in data.get("c", [])]
        f.first = [(_key(r[0:6]), [(dt.date.fromisoformat(d), int(v)) for d, v in r[6]]) for r in data.get("f", [])]
        f.due = [(dt.date.fromisoformat(r[0]), dt.date.fromisoformat(r[1]), _key(r[2:8])) for r in data.get("d", [])]
        return f

    def within(self, start: dt.date, end: dt.date, today: dt.date, *, plain: bool = True) -> Iterator[tuple[Key, int]]:
        """What the case counts in the days [start, end] (``plain`` False: only its special figures)."""
        if plain:
            for d, k, v in self.plain:
                if start <= d <= end:
                    yield k, v
        for k, entries in self.first:
            for d, v in entries:
                if start <= d <= end:
                    if v:
                        yield k, v
                    break
        for a, d, k in self.due:
            if start <= a <= end and today > d:
                yield k, 1


def _key(r: list[Any]) -> Key:
    return (str(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4]), str(r[5]))


_CASE_COLUMNS = (Case.id, Case.desk_id, Case.track, Case.category_id, Case.subcategory_id, Case.source_id,
                 Case.registered_at, Case.accepted_at, Case.agreement_reached_at, Case.terminated_at, Case.closed_at,
                 Case.judicial_outcome, Case.judicial_decided_on, Case.agreement_kind, Case.agreement_amount,
                 Case.performance_status, Case.prevented_escalation, Case.prevented_escalation_people,
                 Case.prevented_petition, Case.prevented_petition_people, Case.people_involved, Case.police_method,
                 Case.result, Case.referred_to)

CASE_TRIGGER_COLUMNS = tuple(c.key for c in _CASE_COLUMNS if c.key != "id")
"""The columns of a case whose change makes its figures stale (the update trigger's list)."""


class _Dates:
    def __init__(self) -> None:
        self._cache: dict[int, dt.datetime] = {}
        self.tz = desk_tz()

    def at(self, moment: dt.datetime) -> dt.datetime:
        key = int(moment.timestamp()) // 900
        t = self._cache.get(key)
        if t is None:
            t = self._cache[key] = local(moment.replace(second=0, microsecond=0,
                                                        minute=moment.minute // 15 * 15))
        return t

    def day(self, moment: dt.datetime | None) -> dt.date | None:
        return None if moment is None else self.at(moment).date()


def derive(session: Session, ids: Iterable[int]) -> dict[int, Fact]:
    """The facts of these cases as they are now (a case that no longer exists: absent)."""
    from mediation.services.deadlines import calendar

    cal = calendar(session)
    dates = _Dates()
    out: dict[int, Fact] = {}
    ids = sorted(set(ids))
    for i in range(0, len(ids), 5000):
        chunk = ids[i:i + 5000]
        cases = session.execute(select(*_CASE_COLUMNS).where(Case.id.in_(chunk))).all()
        if not cases:
            continue
        parties: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for case_id, ptype, n in session.execute(
                select(CaseParty.case_id, CaseParty.party_type, func.count())
                .where(CaseParty.case_id.in_(chunk), CaseParty.role.in_(sorted(workflow.PRINCIPAL_ROLES)))
                .group_by(CaseParty.case_id, CaseParty.party_type)):
            parties[case_id].append((ptype if ptype in rules.PARTY_TYPES else rules.UNKNOWN_PARTY_TYPE, int(n)))
        followed = set(session.scalars(select(FollowUp.case_id).where(FollowUp.case_id.in_(chunk)).distinct()))
        returned: dict[int, list[dt.datetime]] = defaultdict(list)
        for case_id, at in session.execute(
                select(Document.case_id, DocumentReview.at).join(Document, Document.id == DocumentReview.document_id)
                .where(Document.case_id.in_(chunk), DocumentReview.decision == "returned",
                       Document.form.in_(sorted(workflow.AGREEMENT_FORMS)))):
            returned[case_id].append(at)
        police = [c.id for c in cases if c.track == workflow.POLICE and c.accepted_at is not None]
        sessions: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
        if police:
            for case_id, held_at, result in session.execute(
                    select(SessionRecord.case_id, SessionRecord.held_at, SessionRecord.result)
                    .where(SessionRecord.case_id.in_(police))
                    .order_by(SessionRecord.case_id, SessionRecord.held_at, SessionRecord.id)):
                d = dates.day(held_at)
                assert d is not None
                sessions[case_id].append((d, result))
        for c in cases:
            out[c.id] = _fact(c, cal, dates, parties.get(c.id, []), c.id in followed, returned.get(c.id, []),
                              sessions.get(c.id, []))
    return out


def _fact(c: Any, cal: Any, dates: _Dates, parties: list[tuple[str, int]], followed: bool,
          returned: list[dt.datetime], held: list[tuple[dt.date, str]]) -> Fact:
    f = Fact(int(c.desk_id))
    track = c.track or ""
    base = (track, int(c.category_id or 0), int(c.subcategory_id or 0), int(c.source_id or 0))

    def key(measure: str, extra: str = "") -> Key:
        if measure in PLAIN_MEASURES:
            return (measure, "", 0, 0, 0, extra)
        return (measure, *base, extra)

    def add(day: dt.date | None, measure: str, value: int = 1, extra: str = "") -> None:
        if day is not None and value:
            f.plain.append((day, key(measure, extra), int(value)))

    def first(measure: str, entries: list[tuple[dt.date | None, int]]) -> None:
        dated = [(d, int(v)) for d, v in entries if d is not None]
        if len(dated) == 1:
            add(dated[0][0], measure, dated[0][1])
        elif dated:
            f.first.append((key(measure), dated))

    reg = dates.at(c.registered_at) if c.registered_at is not None else None
    if reg is not None:
        add(reg.date(), "registered", 1, f"{reg.weekday()}/{reg.hour}")
    acc, agr = dates.day(c.accepted_at), dates.day(c.agreement_reached_at)
    ter, clo = dates.day(c.terminated_at), dates.day(c.closed_at)
    if acc is not None:
        add(acc, "accepted")
        add(acc, "people", c.people_involved or 0)
        if c.police_method in rules.POLICE_METHODS:
            add(acc, c.police_method)
        for ptype, n in parties:
            add(acc, "party", n, ptype)
    if agr is not None:
        add(agr, "succeeded")
        if c.agreement_kind in (workflow.WRITTEN, workflow.ORAL):
            add(agr, c.agreement_kind)
        if c.agreement_amount:
            add(agr, "amount", int((Decimal(c.agreement_amount) * 100).to_integral_value()))
        if c.performance_status == "performed":
            add(agr, "performed")
        if c.prevented_escalation:
            add(agr, "escalation")
            add(agr, "escalation_people", c.prevented_escalation_people or 0)
        if c.prevented_petition:
            add(agr, "petition")
            add(agr, "petition_people", c.prevented_petition_people or 0)
        if followed:
            add(agr, "followed")
    add(ter, "terminated")
    if c.judicial_outcome == rules.JUDICIAL_CONFIRMED and c.judicial_decided_on is not None:
        add(c.judicial_decided_on, "judicial")
    first("failed", [(ter, 1), (agr, 1 if c.performance_status == "breached" else 0)])
    if c.result == "referred" and "人民调解" in (c.referred_to or ""):
        add(clo, "transferred")
    if clo is not None and c.result in ("success", "terminated"):
        add(clo, "closed")
        if acc is not None:
            add(clo, "days", 1, str(max(cal.workdays_between(acc, clo), 0)))
    if track == workflow.PEOPLE and acc is not None:
        entries: list[tuple[dt.date | None, int]] = []
        for moment, day in ((c.agreement_reached_at, agr), (c.terminated_at, ter)):
            if moment is None or day is None:
                continue
            late = moment - c.accepted_at > dt.timedelta(days=29) and day > cal.end_of_period(acc, 30)
            entries.append((day, 1 if late else 0))
        first("overdue_q", entries)
    if track == workflow.POLICE and acc is not None:
        ends = [d for d in (agr, ter, clo) if d is not None]
        first_due = cal.add_workdays(acc, 3)
        late = False
        due: dt.date | None = None
        if not held:
            if ends:
                late = min(ends) > first_due
            else:
                due = first_due
        else:
            first_day, first_result = held[0]
            late = first_day > first_due
            second_due = cal.add_workdays(first_day, 7)
            if len(held) > 1:
                late = late or held[1][0] > second_due
            elif first_result == "continued":
                if ends:
                    late = late or min(ends) > second_due
                elif not late:
                    due = second_due
        if late:
            add(acc, "overdue_p")
        elif due is not None:
            f.due.append((acc, due, key("overdue_p")))
    for at in returned:
        add(dates.day(at), "returned")
    return f


# ---------------------------------------------------------------- keeping the summary current


def _apply(conn: Connection, deltas: dict[tuple[int, int, Key], int]) -> None:
    rows = [{"desk_id": d, "month": m, "measure": k[0], "track": k[1], "category_id": k[2],
             "subcategory_id": k[3], "source_id": k[4], "extra": k[5], "value": v}
            for (d, m, k), v in sorted(deltas.items()) if v]  # one order for every writer: no deadlock
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    stmt = upsert(StatMonth)
    stmt = stmt.on_conflict_do_update(
        index_elements=["desk_id", "measure", "month", "track", "category_id", "subcategory_id", "source_id",
                        "extra"],
        set_={"value": StatMonth.value + stmt.excluded.value})
    for i in range(0, len(rows), 500):
        conn.execute(stmt, rows[i:i + 500])


def _sum_into(deltas: dict[tuple[int, int, Key], int], fact: Fact, sign: int) -> None:
    """Each contribution into its month's row and its year's (month ``yyyy00``)."""
    for d, k, v in fact.plain:
        deltas[(fact.desk_id, month_of(d), k)] += sign * v
        deltas[(fact.desk_id, d.year * 100, k)] += sign * v


def stored(session: Session, ids: Iterable[int]) -> dict[int, Fact]:
    out: dict[int, Fact] = {}
    ids = sorted(set(ids))
    for i in range(0, len(ids), 5000):
        for case_id, desk_id, data in session.execute(select(CaseFigure.case_id, CaseFigure.desk_id, CaseFigure.data)
                                                      .where(CaseFigure.case_id.in_(ids[i:i + 5000]))):
            out[case_id] = Fact.from_json(desk_id, data)
    return out


def _figure_rows(facts: dict[int, Fact]) -> list[dict[str, Any]]:
    rows = []
    for case_id, f in facts.items():
        days = f.days()
        rows.append({"case_id": case_id, "desk_id": f.desk_id, "first_on": min(days) if days else None,
                     "last_on": max(days) if days else None, "special": f.special, "data": f.to_json()})
    return rows


def _day_rows(facts: dict[int, Fact]) -> list[dict[str, Any]]:
    return [{"desk_id": f.desk_id, "on_date": d, "case_id": case_id}
            for case_id, f in facts.items() for d in sorted(set(f.days()))]


def _insert_facts(conn: Connection, facts: dict[int, Fact]) -> None:
    for table, rows in ((CaseFigure, _figure_rows(facts)), (CaseFigureDay, _day_rows(facts))):
        for j in range(0, len(rows), 1000):
            conn.execute(insert(table), rows[j:j + 1000])


def refresh(session: Session, ids: Iterable[int] | None = None) -> int:
    """Re-derive these cases (None: every stale case), fold the difference into ``stat_month``,
    and clear them from ``stat_stale``. Inside the caller's transaction; returns how many."""
    conn = session.connection()
    if ids is None:
        ids = list(session.scalars(select(StatStale.case_id)))
    ids = sorted(set(ids))
    if not ids:
        return 0
    deltas: dict[tuple[int, int, Key], int] = defaultdict(int)
    for i in range(0, len(ids), 5000):
        chunk = ids[i:i + 5000]
        old = stored(session, chunk)
        new = derive(session, chunk)
        for f in old.values():
            _sum_into(deltas, f, -1)
        for f in new.values():
            _sum_into(deltas, f, +1)
        conn.execute(delete(CaseFigure).where(CaseFigure.case_id.in_(chunk)))
        for case_id, f in old.items():
            days = sorted(set(f.days()))
            if days:
                conn.execute(delete(CaseFigureDay).where(CaseFigureDay.desk_id == f.desk_id,
                                                         CaseFigureDay.on_date.in_(days),
                                                         CaseFigureDay.case_id == case_id))
        _insert_facts(conn, new)
        conn.execute(delete(StatStale).where(StatStale.case_id.in_(chunk)))
    _apply(conn, deltas)
    touched: dict[tuple[int, str], set[int]] = defaultdict(set)
    for (desk_id, month, k), v in deltas.items():
        if v:
            touched[(desk_id, k[0])].add(month)
    for (desk_id, measure), months in touched.items():  # sums that fell to nothing (by the primary key's prefix)
        conn.execute(delete(StatMonth).where(StatMonth.desk_id == desk_id, StatMonth.measure == measure,
                                             StatMonth.month.in_(sorted(months)), StatMonth.value == 0))
    return len(ids)


@dataclass(frozen=True)
class RebuildResult:
    cases: int
    summary_rows: int
    seconds: float


def _set_basis(session: Session, value: dict[str, Any]) -> None:
    """Program bookkeeping, not a person's setting (no audit row): what the facts were derived under."""
    from mediation.models import Setting

    conn = session.connection()
    conn.execute(delete(Setting).where(Setting.key == BASIS_KEY, Setting.desk_id.is_(None)))
    conn.execute(insert(Setting).values(key=BASIS_KEY, desk_id=None, value=value))


def rebuild(session: Session) -> RebuildResult:
    """Empty and refill ``case_figure`` and ``stat_month`` from every case (the caller commits)."""
    started = time.perf_counter()
    conn = session.connection()
    conn.execute(delete(StatMonth))
    conn.execute(delete(CaseFigure))
    conn.execute(delete(CaseFigureDay))
    conn.execute(delete(StatStale))
    ids = list(session.scalars(select(Case.id).order_by(Case.id)))
    sums: dict[tuple[int, int, Key], int] = defaultdict(int)
    for i in range(0, len(ids), 5000):
        facts = derive(session, ids[i:i + 5000])
        for f in facts.values():
            _sum_into(sums, f, +1)
        _insert_facts(conn, facts)
    _apply(conn, sums)
    _set_basis(session, basis(session))
    return RebuildResult(len(ids), sum(1 for v in sums.values() if v), time.perf_counter() - started)


def basis(session: Session) -> dict[str, Any]:
    """What the facts depend on besides the cases: the time zone and the calendar's version."""
    from mediation.settings import get_setting

    return {"tz": os.environ.get("MEDIATION_TZ", "") or str(desk_tz()),
            "calendar": get_setting(session, "calendar_version") or 0}


def installed(session: Session) -> bool:
    """Whether this database has the summary (revision 0012); a "yes" is remembered per engine
    (a database without it may be upgraded later, by this very engine)."""
    conn = session.connection()
    engine = conn.engine
    if getattr(engine, "_mediation_statistics_summary", False):
        return True
    if conn.dialect.name == "sqlite":
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'stat_stale'"
    else:
        sql = "SELECT 1 FROM pg_tables WHERE tablename = 'stat_stale' AND schemaname = current_schema()"
    found = conn.exec_driver_sql(sql).first() is not None
    if found:
        engine._mediation_statistics_summary = True  # type: ignore[attr-defined]
    return found


def _after_flush(session: Session, _context: Any) -> None:
    if not session.info.get("write") or session.info.get("statistics_refreshing"):
        return
    if not installed(session):
        return
    if not _may_write(session):
        return
    _follow_calendar(session)
    stale = list(session.scalars(select(StatStale.case_id).order_by(StatStale.case_id).limit(REFRESH_ON_FLUSH)))
    if not stale:
        return
    session.info["statistics_refreshing"] = True
    try:
        refresh(session, stale)
    finally:
        session.info["statistics_refreshing"] = False


def _follow_calendar(session: Session) -> None:
    """The calendar was edited in this flush: every case's working days may change, so every
    case is stale (refreshed in batches by the flushes; reads compute directly meanwhile)."""
    from mediation.models import Setting

    touched = [*session.new, *session.dirty]
    if not any(isinstance(o, Setting) and o.key == "calendar_version" for o in touched):
        return
    from mediation.settings import get_setting

    now = basis(session)
    if get_setting(session, BASIS_KEY) == now:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("INSERT INTO stat_stale (case_id) SELECT id FROM mediation_case ON CONFLICT DO NOTHING")
    else:
        conn.exec_driver_sql("INSERT OR IGNORE INTO stat_stale (case_id) SELECT id FROM mediation_case")
    _set_basis(session, now)


def _may_write(session: Session) -> bool:
    """A read-only login (a roll-up role on PostgreSQL) leaves the refresh to others."""
    if "statistics_may_write" not in session.info:
        conn = session.connection()
        may = True
        if conn.dialect.name == "postgresql":
            may = bool(conn.exec_driver_sql(
                "SELECT has_table_privilege(current_user, 'stat_month', 'INSERT')").scalar())
        session.info["statistics_may_write"] = may
    return bool(session.info["statistics_may_write"])


def install() -> None:
    """Refresh the figures of the cases a write session changed, at each of its flushes."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


# ---------------------------------------------------------------- reading


class Unavailable(Exception):
    """The summary cannot answer (no revision 0012, other calendar or time zone, too much stale)."""


def _desk_cond(column: Any, desks: Desks) -> list[Any]:
    return [] if desks is None else [column.in_(sorted(desks))]


def usable(session: Session) -> bool:
    """Whether the summary answers for this database now (else: compute from the cases)."""
    from mediation.settings import get_setting

    if not session.info.get("write") and "statistics_usable" in session.info:
        return bool(session.info["statistics_usable"])  # a read session: asked once
    ok = installed(session) and bool(get_setting(session, BASIS_KEY) == basis(session))
    if not session.info.get("write"):
        session.info["statistics_usable"] = ok
    return ok


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def sums(session: Session, desks: Desks, period: Period, measures: Iterable[str],
         track: str | None = None) -> dict[Key, int]:
    """Each measure's total in the period per (track, category, sub-type, source, extra).

    Whole months from ``stat_month``; the days of a month the period covers only in part
    from ``case_figure``; the special figures and the stale cases per case. Raises
    :class:`Unavailable` when the summary cannot answer exactly.
    """
    wanted = sorted(set(measures))
    wanted_set = set(wanted)
    out: dict[Key, int] = defaultdict(int)
    stale = _stale(session)
    today = local_today()

    def take(pairs: Iterable[tuple[Key, int]], sign: int = 1) -> None:
        for k, v in pairs:
            if k[0] in wanted_set and (track is None or k[1] == track):
                out[k] += sign * v

    # whole years, whole months, and the days of the months the period covers in part
    first_full = period.start if period.start.day == 1 else _next_month(period.start)
    last_full = _month_start(period.end + dt.timedelta(days=1))  # months in [first_full, last_full) are whole
    edges: list[tuple[dt.date, dt.date]] = []
    plus: list[int] = []  # stat_month.month values added …
    minus: list[int] = []  # … and taken away (a year's row less the months outside the period)
    if first_full < last_full:
        for year in range(first_full.year, last_full.year + 1):
            lo_m = first_full.month if year == first_full.year else 1
            hi_m = (last_full.month - 1) if year == last_full.year else 12  # may be 0: none of that year
            if hi_m < lo_m:
                continue
            inside = [year * 100 + m for m in range(lo_m, hi_m + 1)]
            outside = [year * 100 + m for m in range(1, 13) if not lo_m <= m <= hi_m]
            if len(outside) + 1 < len(inside):
                plus.append(year * 100)
                minus += outside
            else:
                plus += inside
        if period.start < first_full:
            edges.append((period.start, first_full - dt.timedelta(days=1)))
        if last_full <= period.end:
            edges.append((last_full, period.end))
    else:
        edges.append((period.start, period.end))
    if plus:
        signed = case((StatMonth.month.in_(minus), -StatMonth.value), else_=StatMonth.value) if minus \
            else StatMonth.value
        q = (select(StatMonth.measure, StatMonth.track, StatMonth.category_id, StatMonth.subcategory_id,
                    StatMonth.source_id, StatMonth.extra, func.sum(signed))
             .where(*_desk_cond(StatMonth.desk_id, desks), StatMonth.measure.in_(wanted),
                    StatMonth.month.in_(sorted(plus + minus)))
             .group_by(StatMonth.measure, StatMonth.track, StatMonth.category_id, StatMonth.subcategory_id,
                       StatMonth.source_id, StatMonth.extra))
        if track is not None:
            q = q.where(StatMonth.track == track)
        for m, t, c, s, src, x, v in session.connection().execute(q):
            out[(m, t, c, s, src, x)] += int(v)
    stale_set = set(stale)
    for lo, hi in edges:
        on_edge = sorted(set(session.scalars(select(CaseFigureDay.case_id).where(
            *_desk_cond(CaseFigureDay.desk_id, desks), CaseFigureDay.on_date >= lo, CaseFigureDay.on_date <= hi))))
        for i in range(0, len(on_edge), 5000):
            for desk_id, data in session.execute(select(CaseFigure.desk_id, CaseFigure.data).where(
                    CaseFigure.case_id.in_(on_edge[i:i + 5000]))):
                take((k, v) for d, k, v in Fact.from_json(desk_id, data).plain if lo <= d <= hi)
    # the figures evaluated per case
    for f in _special(session, desks):
        take(f.within(period.start, period.end, today, plain=False))
    # cases changed since they were summed: take out what they counted, add what they count now
    if stale_set:
        for f in stored(session, stale_set).values():
            if desks is None or f.desk_id in desks:
                take(f.within(period.start, period.end, today), -1)
        for f in derive(session, stale_set).values():
            if desks is None or f.desk_id in desks:
                take(f.within(period.start, period.end, today))
    return {k: v for k, v in out.items() if v}


def monthly(session: Session, desks: Desks, first: dt.date, last: dt.date,
            measures: Iterable[str]) -> dict[tuple[int, Key], int]:
    """Plain measures (not the special ones) per whole month from ``first``'s month to ``last``'s:
    {(yyyymm, key): total}, stale cases' differences included (the charts)."""
    wanted = sorted(set(measures))
    stale = _stale(session)
    lo, hi = month_of(first), month_of(last)
    out: dict[tuple[int, Key], int] = defaultdict(int)
    for m, meas, t, c, sub, src, x, v in session.execute(
            select(StatMonth.month, StatMonth.measure, StatMonth.track, StatMonth.category_id,
                   StatMonth.subcategory_id, StatMonth.source_id, StatMonth.extra, func.sum(StatMonth.value))
            .where(*_desk_cond(StatMonth.desk_id, desks), StatMonth.month >= lo, StatMonth.month <= hi,
                   StatMonth.month % 100 != 0, StatMonth.measure.in_(wanted))
            .group_by(StatMonth.month, StatMonth.measure, StatMonth.track, StatMonth.category_id,
                      StatMonth.subcategory_id, StatMonth.source_id, StatMonth.extra)):
        out[(int(m), (meas, t, c, sub, src, x))] += int(v)
    if stale:
        for facts, sign in ((stored(session, stale), -1), (derive(session, stale), 1)):
            for f in facts.values():
                if desks is not None and f.desk_id not in desks:
                    continue
                for d, k, v in f.plain:
                    if k[0] in wanted and lo <= month_of(d) <= hi:
                        out[(month_of(d), k)] += sign * v
    return {k: v for k, v in out.items() if v}


def _stale(session: Session) -> list[int]:
    """The stale case ids (kept for the rest of a read session: one view reads several tables)."""
    cached = None if session.info.get("write") else session.info.get("statistics_stale")
    if cached is None:
        cached = list(session.connection().execute(select(StatStale.case_id).limit(OVERLAY_LIMIT + 1)).scalars())
        if not session.info.get("write"):
            session.info["statistics_stale"] = cached
    if len(cached) > OVERLAY_LIMIT:
        raise Unavailable("too many stale cases")
    return cached


def _special(session: Session, desks: Desks) -> list[Fact]:
    """The cases with figures evaluated per case (kept for the rest of a read session)."""
    cache = None if session.info.get("write") else session.info.setdefault("statistics_special", {})
    if cache is not None and desks in cache:
        return cache[desks]  # type: ignore[no-any-return]
    found = [Fact.from_json(desk_id, data, plain=False) for desk_id, data in session.execute(
        select(CaseFigure.desk_id, CaseFigure.data)
        .where(CaseFigure.special.is_(True), *_desk_cond(CaseFigure.desk_id, desks)))]
    if cache is not None:
        cache[desks] = found
    return found


def by(found: dict[Key, int], *positions: int) -> dict[tuple[Any, ...], dict[str, int]]:
    """Regroup sums by some key positions (1 track, 2 category, 3 sub-type, 4 source, 5 extra):
    {(values…): {measure: total}}; ids 0 become None."""
    out: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for k, v in found.items():
        group = tuple((k[p] or None) if p in (2, 3, 4) else k[p] for p in positions)
        out[group][k[0]] += v
    return out


def amount(fen: int) -> Decimal:
    return Decimal(fen) / 100


__all__ = ["BASIS_KEY", "CASE_TRIGGER_COLUMNS", "Fact", "RebuildResult", "Unavailable", "amount", "basis", "by",
           "derive", "install", "installed", "monthly", "rebuild", "refresh", "sums", "usable"]
