"""The figures behind the statistics view's charts, and the cases behind each bar and slice.

* cases accepted per month over 24 months, beside the same months a year earlier;
* the 15 MoJ types per month (stacked bars), by the mapping in force;
* sources (a pie), the funnel 受理 → 调解成功 → 履行完毕, and a weekday × hour grid of
  when disputes were registered (for planning duty shifts).

Months are counted by indexed range queries over the stored UTC times of the desk's local
month boundaries (any database); the hour grid is bucketed in Python in the desk's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from mediation.i18n import _
from mediation.models import Case, CaseSource
from mediation.statistics import mapping, rules
from mediation.statistics.mapping import Desks
from mediation.statistics.periods import Period, months_back
from mediation.statistics.tables import _between, _count, _desk_filter
from mediation.timeutil import local


@dataclass(frozen=True)
class MonthPoint:
    month: Period
    accepted: int
    last_year: int


@dataclass(frozen=True)
class Slice:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ChartData:
    period: Period
    months: list[MonthPoint]
    types: dict[str, list[int]]
    """MoJ row code → accepted per month, for the last 12 of ``months``."""
    type_labels: dict[str, str]
    sources: list[Slice]
    funnel: list[Slice]
    heat: list[list[int]]
    """heat[weekday 0=Monday][hour] → disputes registered."""


def _accepted_in(session: Session, desks: Desks, month: Period) -> int:
    return int(session.scalar(select(func.count()).select_from(Case).where(
        _between(Case.accepted_at, month), *_desk_filter(desks))) or 0)


def monthly(session: Session, desks: Desks, period: Period, count: int = 24) -> list[MonthPoint]:
    """One indexed COUNT per month (36 of them for 24 months and the year before): cheaper than
    bucketing every case of three years in one pass."""
    months = months_back(period, count)
    counts: dict[str, int] = {}
    for m in [*months, *(m.same_period_last_year() for m in months)]:
        if m.code not in counts:
            counts[m.code] = _accepted_in(session, desks, m)
    return [MonthPoint(m, counts[m.code], counts[m.same_period_last_year().code]) for m in months]


def types_by_month(session: Session, desks: Desks, period: Period, count: int = 12) -> dict[str, list[int]]:
    months = months_back(period, count)
    resolver = mapping.resolver(session, desks, "people_row", period.end)
    out: dict[str, list[int]] = {code: [0] * count for code in rules.MOJ_ROWS}
    for i, month in enumerate(months):
        for cat, sub, n in session.execute(select(Case.category_id, Case.subcategory_id, func.count()).where(
                _between(Case.accepted_at, month), *_desk_filter(desks))
                .group_by(Case.category_id, Case.subcategory_id)).all():
            row = resolver.category_row(cat, sub)
            if row is not None:
                out[row][i] += n
    return out


def sources(session: Session, desks: Desks, period: Period) -> list[Slice]:
    rows = session.execute(select(Case.source_id, func.count()).where(
        _between(Case.accepted_at, period), *_desk_filter(desks)).group_by(Case.source_id)).all()
    ids = [i for i, _n in rows if i is not None]
    labels = dict(session.execute(select(CaseSource.id, CaseSource.label).where(CaseSource.id.in_(ids))).all()) \
        if ids else {}
    by_label: dict[str, list[Any]] = {}
    for source_id, n in rows:
        label = labels.get(source_id, _("未注明")) if source_id is not None else _("未注明")
        entry = by_label.setdefault(label, [[], 0])  # the same word on two desks is one slice
        entry[0].append(str(source_id) if source_id is not None else "none")
        entry[1] += n
    return sorted((Slice(",".join(keys), label, n) for label, (keys, n) in by_label.items()),
                  key=lambda s: -s.count)


def funnel(session: Session, desks: Desks, period: Period) -> list[Slice]:
    acc = _between(Case.accepted_at, period)
    suc = _between(Case.agreement_reached_at, period)
    a, s, p = session.execute(select(_count(acc), _count(suc), _count(and_(suc, Case.performance_status == "performed")))
                              .where(or_(acc, suc), *_desk_filter(desks))).one()
    return [Slice("accepted", _("受理"), int(a)), Slice("succeeded", _("调解成功"), int(s)),
            Slice("performed", _("履行完毕"), int(p))]


def heat(session: Session, desks: Desks, period: Period) -> list[list[int]]:
    grid = [[0] * 24 for _d in range(7)]
    for (at,) in session.execute(select(Case.registered_at).where(
            _between(Case.registered_at, period), *_desk_filter(desks))).all():
        t = local(at)
        grid[t.weekday()][t.hour] += 1
    return grid


def chart_data(session: Session, desks: Desks, period: Period) -> ChartData:
    summed = _summed_charts(session, desks, period)
    if summed is not None:
        return summed
    return ChartData(period, monthly(session, desks, period), types_by_month(session, desks, period),
                     dict(rules.MOJ_ROWS), sources(session, desks, period), funnel(session, desks, period),
                     heat(session, desks, period))


def _summed_charts(session: Session, desks: Desks, period: Period) -> ChartData | None:
    """The same charts from the statistics summary (None: it cannot answer; count from the cases)."""
    from mediation.statistics import summary
    from mediation.statistics.tables import _summed, direct_requested

    if direct_requested() or not summary.usable(session):
        return None
    months = months_back(period, 24)
    try:
        per_month = summary.monthly(session, desks, months[0].same_period_last_year().start, months[-1].end,
                                    ("accepted",))
    except summary.Unavailable:
        return None
    found = _summed(session, desks, period, ("accepted", "succeeded", "performed", "registered"))
    if found is None:
        return None
    accepted: dict[int, int] = {}
    by_type: dict[tuple[int, int | None, int | None], int] = {}
    for (m, k), v in per_month.items():
        accepted[m] = accepted.get(m, 0) + v
        t = (m, k[2] or None, k[3] or None)
        by_type[t] = by_type.get(t, 0) + v

    def code(p: Period) -> int:
        return p.start.year * 100 + p.start.month

    points = [MonthPoint(m, accepted.get(code(m), 0), accepted.get(code(m.same_period_last_year()), 0))
              for m in months]
    resolver = mapping.resolver(session, desks, "people_row", period.end)
    types: dict[str, list[int]] = {c: [0] * 12 for c in rules.MOJ_ROWS}
    last12 = {code(m): i for i, m in enumerate(months[-12:])}
    for (m, cat, sub), v in by_type.items():
        row = resolver.category_row(cat, sub) if m in last12 else None
        if row is not None:
            types[row][last12[m]] += v
    totals: dict[str, int] = {}
    per_source: dict[int | None, int] = {}
    grid = [[0] * 24 for _d in range(7)]
    for k, v in found.items():
        totals[k[0]] = totals.get(k[0], 0) + v
        if k[0] == "accepted":
            per_source[k[4] or None] = per_source.get(k[4] or None, 0) + v
        elif k[0] == "registered":
            day, _sep, hour = k[5].partition("/")
            grid[int(day)][int(hour)] += v
    ids = [i for i in per_source if i is not None]
    labels = dict(session.execute(select(CaseSource.id, CaseSource.label).where(CaseSource.id.in_(ids))).all()) \
        if ids else {}
    by_label: dict[str, list[Any]] = {}
    for source_id, n in sorted(per_source.items(), key=lambda item: -1 if item[0] is None else item[0]):
        label = labels.get(source_id, _("未注明")) if source_id is not None else _("未注明")
        entry = by_label.setdefault(label, [[], 0])
        entry[0].append(str(source_id) if source_id is not None else "none")
        entry[1] += n
    slices = sorted((Slice(",".join(keys), label, n) for label, (keys, n) in by_label.items()),
                    key=lambda s: -s.count)
    funnel_ = [Slice("accepted", _("受理"), totals.get("accepted", 0)),
               Slice("succeeded", _("调解成功"), totals.get("succeeded", 0)),
               Slice("performed", _("履行完毕"), totals.get("performed", 0))]
    return ChartData(period, points, types, dict(rules.MOJ_ROWS), slices, funnel_, grid)


def chart_cases(session: Session, desks: Desks, period: Period, kind: str, key: str) -> list[int]:
    """The ids of the cases behind one bar, point, slice or cell (by the same conditions).

    kind ``month`` (key ``2026-10``), ``type`` (``2026-10/contract``), ``source`` (the
    slice's key), ``funnel`` (accepted | succeeded | performed), ``heat`` (``weekday/hour``).
    """
    if kind in ("month", "type"):
        month_code, _sep, row = key.partition("/")
        month = Period.parse(month_code)
        cand = session.execute(select(Case.id, Case.category_id, Case.subcategory_id).where(
            _between(Case.accepted_at, month), *_desk_filter(desks)).order_by(Case.id)).all()
        if kind == "month":
            return [i for i, _c, _s in cand]
        resolver = mapping.resolver(session, desks, "people_row", period.end)
        return [i for i, c, s in cand if resolver.category_row(c, s) == row]
    if kind == "source":
        wanted = key.split(",")
        ids = [int(k) for k in wanted if k != "none"]
        cond: ColumnElement[bool] = Case.source_id.in_(ids)
        if "none" in wanted:
            cond = cond | Case.source_id.is_(None)
        return list(session.scalars(select(Case.id).where(
            _between(Case.accepted_at, period), cond, *_desk_filter(desks)).order_by(Case.id)))
    if kind == "funnel":
        acc = _between(Case.accepted_at, period)
        suc = _between(Case.agreement_reached_at, period)
        conds = {"accepted": acc, "succeeded": suc, "performed": and_(suc, Case.performance_status == "performed")}
        return list(session.scalars(select(Case.id).where(conds[key], *_desk_filter(desks)).order_by(Case.id)))
    if kind == "heat":
        day, _sep, hour = key.partition("/")
        found = session.execute(select(Case.id, Case.registered_at).where(
            _between(Case.registered_at, period), *_desk_filter(desks)).order_by(Case.id)).all()
        return [i for i, at in found if local(at).weekday() == int(day) and local(at).hour == int(hour)]
    raise KeyError(kind)
