"""Desks (one police–school mediation desk each), accounts, duty shifts, settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.models.base import Base, JSONType
from mediation.timeutil import utcnow


class Desk(Base):
    __tablename__ = "desk"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    """Display name, e.g. 某某大学警校联调中心."""
    committee_name: Mapped[str] = mapped_column(String(100), default="")
    """Name of the people's mediation committee printed on documents."""
    number_prefix: Mapped[str] = mapped_column(String(30), unique=True)
    """Prefix inside case numbers, e.g. ``X警校调字`` → （2026）X警校调字第012号."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20))
    """volunteer | officer | adviser | admin (see mediation.permissions)."""
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desk.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(30), default="")
    student_no: Mapped[str] = mapped_column(String(30), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    valid_from: Mapped[dt.date | None]
    valid_until: Mapped[dt.date | None]
    """Last day the account may log in (volunteers leave with their term)."""
    all_desks: Mapped[bool] = mapped_column(Boolean, default=False)
    """May see every desk's cases, not only their own desk's."""
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]
    password_changed_at: Mapped[dt.datetime | None]
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    """Set when an administrator resets the password: the next login must choose a new one."""
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    desk: Mapped[Desk | None] = relationship()


class DutyShift(Base):
    """A volunteer's duty slot on the roster, and their check-in when they come."""

    __tablename__ = "duty_shift"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime]
    checked_in_at: Mapped[dt.datetime | None]
    checked_out_at: Mapped[dt.datetime | None]
    note: Mapped[str] = mapped_column(String(200), default="")
    # The roster (issue 16): where the shift comes from, and what its hours are.
    term_id: Mapped[int | None] = mapped_column(ForeignKey("roster_term.id"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("roster_slot.id"), index=True)
    """The timetable slot it fills (None: added by hand, or an unscheduled check-in)."""
    scheduled: Mapped[bool] = mapped_column(Boolean, default=True)
    """False for an unscheduled check-in (临时到岗): its time counts once the adviser confirms it."""
    auto_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    """Nobody checked out: closed at the shift's end and marked (未签退)."""
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    """Time beyond the scheduled shift (stayed on; or the whole of an unscheduled check-in)."""
    extra_status: Mapped[str | None] = mapped_column(String(10))
    """pending | approved | rejected: the adviser's decision on ``extra_minutes``."""
    extra_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    extra_decided_at: Mapped[dt.datetime | None]


class Setting(Base):
    """Desk-wide rules the administrator edits (deadlines, idle lock minutes, categories…)."""

    __tablename__ = "setting"
    __table_args__ = (UniqueConstraint("desk_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desk.id"))
    """None: applies to every desk unless a desk overrides it."""
    key: Mapped[str] = mapped_column(String(80))
    value: Mapped[Any] = mapped_column(JSONType)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class HolidayDay(Base):
    """One exception to Monday–Friday: a statutory day off, or a swapped working weekend day."""

    __tablename__ = "holiday_day"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    """holiday (day off) | workday (调休: weekend day that is worked)."""
    name: Mapped[str] = mapped_column(String(30), default="")
    source: Mapped[str] = mapped_column(String(20), default="manual")
    """chinese_calendar (seeded) | manual (entered by the administrator)."""


class DeskRole(Base):
    """A PostgreSQL role a desk PC connects with, and the desk it stands for (issue 11).

    Written only by the database owner (``mediation db grant-desk``); row-level security
    reads it (through a function owned by the table owner) to keep each desk's rows to
    that desk. A roll-up role (a 司法所 or 分局) has no desk and reads every desk.
    Unused on SQLite.
    """

    __tablename__ = "desk_role"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desk.id"))
    all_desks: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SchemaCompat(Base):
    """For a schema revision, the oldest program revision that still works on it.

    Migrations are written expand-then-contract: a revision that only adds (a nullable
    column, a table, a column filled by the database when an older program leaves it
    out) records the previous revision here, so a desk PC whose program is one version
    behind keeps working on a shared database its owner already upgraded. A revision
    with no row here is not safe for older programs: they stop and say to update.
    """

    __tablename__ = "schema_compat"

    revision: Mapped[str] = mapped_column(String(40), primary_key=True)
    oldest_program: Mapped[str] = mapped_column(String(40))
