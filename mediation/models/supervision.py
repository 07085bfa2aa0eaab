"""Supervision: how a desk's items count in the official tables, and the reports sent upward."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediation.models.base import Base
from mediation.timeutil import utcnow


class StatMapping(Base):
    """One item of a desk's lists mapped onto a row of an official table, from a date on.

    ``kind``: people_row (a category, or one of its sub-types, → one of the 15 MoJ rows),
    people_source / police_source (a source → 主动/依申请/委托, or 110/来所/学校/其他),
    campus_row (a sub-type, or a whole category, → a row of the campus table). The
    mapping in force for a period is, per item, the newest row with ``valid_from`` on or
    before the period's last day; a sub-type's own row wins over its category's.
    """

    __tablename__ = "stat_mapping"
    __table_args__ = (Index("ix_stat_mapping_desk_kind", "desk_id", "kind", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"))
    kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int] = mapped_column(Integer)
    """A dispute_category id (people_row, campus_row) or a case_source id (the sources)."""
    subtype_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_subtype.id"))
    code: Mapped[str] = mapped_column(String(30))
    valid_from: Mapped[dt.date]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    set_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class StatReport(Base):
    """A statistics report of one desk and period: 填报 → 审核 → 上报.

    On 上报 the figures are frozen in ``snapshot`` (canonical JSON, its SHA-256 beside it)
    and the period is locked for the desk: a later change to a case counted in it is
    flagged in the audit trail and the report shows the difference (报送后有变动).
    """

    __tablename__ = "stat_report"
    __table_args__ = (Index("ix_stat_report_desk_status", "desk_id", "status", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"))
    table_code: Mapped[str] = mapped_column(String(20))
    """people | police | campus | quality."""
    period_kind: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(12), default="filed")
    """filed (填报, awaiting review) | returned (退回) | approved (审核通过) | submitted (已上报)."""
    notes: Mapped[dict[str, Any] | None]
    """What the officer writes for the monthly analysis: 特点, 下一步, typical case ids."""
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    filed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[dt.datetime | None]
    review_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[dt.datetime | None]
    snapshot: Mapped[dict[str, Any] | None]
    snapshot_sha256: Mapped[str | None] = mapped_column(String(64))


class CaseFigure(Base):
    """What one case contributes to the statistics, as last summed into ``stat_month``
    (revision 0012; :mod:`mediation.statistics.summary`).

    ``data``: the case's contributions (each a local date, a measure, the case's track,
    category, sub-type, source, an extra key and a value) and the few figures that cannot
    be summed by month (a case with two dates of which the first in the period decides;
    a police case still open whose session deadline turns late on a date). ``first_on`` /
    ``last_on``: the earliest and latest date of its contributions (for a period that
    starts or ends inside a month); ``special``: it has one of those figures.
    """

    __tablename__ = "case_figure"
    __table_args__ = (Index("ix_case_figure_special", "special", "desk_id"),)

    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"))
    first_on: Mapped[dt.date | None]
    last_on: Mapped[dt.date | None]
    special: Mapped[bool] = mapped_column(default=False)
    data: Mapped[str] = mapped_column(Text, default="")


class StatMonth(Base):
    """The figures of a desk's month (and year), summed from ``case_figure``: one row per measure and
    (track, category, sub-type, source, extra key); 0 stands for "none" in the id columns."""

    __tablename__ = "stat_month"

    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), primary_key=True)
    measure: Mapped[str] = mapped_column(String(20), primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    """yyyymm of the desk's calendar; yyyy00: the whole year."""
    track: Mapped[str] = mapped_column(String(20), primary_key=True)
    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subcategory_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extra: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class CaseFigureDay(Base):
    """The days a case contributes on (a period that starts or ends inside a month reads the
    figures of exactly these cases for its partial months)."""

    __tablename__ = "case_figure_day"

    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), primary_key=True)
    on_date: Mapped[dt.date] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class StatStale(Base):
    """Cases changed since their figures were summed (filled by triggers, emptied by the
    program's refresh; a statistics read adds the difference of what is still here)."""

    __tablename__ = "stat_stale"

    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
