"""Statistics: every figure the desk reports upward, from one place.

Counting rules (stated once, in :mod:`.rules`, shown as tooltips and in every report's
notes):

* 受理 counts by the acceptance date; 调解成功 by the date the agreement was reached
  (书面 + 口头); 终止 by the date mediation was terminated;
* 调解成功率 = 调解成功 ÷ (调解成功 + 终止调解), both ended in the period;
* categories count by their stable id (a renamed category keeps its row), mapped onto
  the official rows by the desk's mapping in force for the period (:mod:`.mapping`);
* periods are the desk's calendar days (``MEDIATION_TZ``, China Standard Time), so a
  case accepted at 23:30 on 31 December counts in December, not January.

:mod:`.periods` (month, quarter, year, range; 同比 and 环比), :mod:`.tables` (the four
tables, their built-in checks, the cases behind each figure). The functions here are
what the screens, exports and command line call: they check that the actor may see
statistics and which desks.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mediation.errors import PermissionDenied
from mediation.i18n import _
from mediation.permissions import Actor, require
from mediation.statistics.charts import ChartData, chart_cases, chart_data
from mediation.statistics.mapping import Desks
from mediation.statistics.periods import Period
from mediation.statistics.tables import TABLES, Compared, TableResult, cases_behind, compared, compute


def desks_for(actor: Actor, desk_id: int | None = None) -> Desks:
    """The desks a figure covers: ``desk_id`` if given (and readable), else all the actor reads."""
    require(actor, "report.view")
    if desk_id is not None:
        if not actor.may_read_desk(desk_id):
            raise PermissionDenied(_("您无权查看该调解点的统计。"))
        return frozenset({desk_id})
    return actor.readable_desks


def table(session: Session, actor: Actor, code: str, period: Period, *, desk_id: int | None = None) -> TableResult:
    return compute(session, code, desks_for(actor, desk_id), period)


def table_compared(session: Session, actor: Actor, code: str, period: Period, *,
                   desk_id: int | None = None) -> Compared:
    return compared(session, code, desks_for(actor, desk_id), period)


def figure_cases(session: Session, actor: Actor, code: str, period: Period, row: str, column: str, *,
                 desk_id: int | None = None) -> list[int]:
    """The ids of the cases behind one figure (for the case list), as many as the figure counts."""
    return cases_behind(session, code, desks_for(actor, desk_id), period, row, column)


__all__ = ["TABLES", "ChartData", "Compared", "Period", "TableResult", "chart_figure_cases",
           "charts", "desks_for", "figure_cases", "readable_desks", "table", "table_compared"]


# ---------------------------------------------------------------- what the statistics view shows


def charts(session: Session, actor: Actor, period: Period, *, desk_id: int | None = None) -> ChartData:
    return chart_data(session, desks_for(actor, desk_id), period)


def chart_figure_cases(session: Session, actor: Actor, period: Period, kind: str, key: str, *,
                       desk_id: int | None = None) -> list[int]:
    return chart_cases(session, desks_for(actor, desk_id), period, kind, key)


def readable_desks(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The desks the actor may pick in the statistics view (id, name)."""
    from sqlalchemy import select

    from mediation.models import Desk

    require(actor, "report.view")
    q = select(Desk.id, Desk.name).order_by(Desk.id)
    desks = actor.readable_desks
    if desks is not None:
        q = q.where(Desk.id.in_(sorted(desks)))
    return [(int(i), str(n)) for i, n in session.execute(q).all()]
