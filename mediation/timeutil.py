"""Clock helpers: UTC storage, desk-local dates (Asia/Shanghai by default), one clock.

Everything in the core that asks "what time is it?" asks :func:`utcnow` (or
:func:`local_now` / :func:`local_today`, which derive from it): the services' stamps,
the models' defaults, the validators' "today". The clock can be set for a block of
code with :func:`clock_at` (a fixed moment) or :func:`using_clock` (any function):
the demo replays a two-year history through the services, each step at its own
past moment, and tests pin "now". The setting lives in a :class:`~contextvars.ContextVar`,
so it holds for the thread (or task) that set it and no other.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"

Clock = Callable[[], dt.datetime]
"""A function giving the current moment as an aware datetime."""

_clock: ContextVar[Clock | None] = ContextVar("mediation_clock", default=None)


def desk_tz() -> dt.tzinfo:
    """The desk's time zone: ``MEDIATION_TZ`` or China Standard Time."""
    return ZoneInfo(os.environ.get("MEDIATION_TZ", DEFAULT_TZ))


def utcnow() -> dt.datetime:
    """Now, in UTC (aware), as the clock set for this context says."""
    clock = _clock.get()
    if clock is None:
        return dt.datetime.now(dt.UTC)
    return clock().astimezone(dt.UTC)


@contextmanager
def using_clock(clock: Clock) -> Iterator[None]:
    """Let ``clock()`` be "now" for everything in the block (in this thread/context only)."""
    token = _clock.set(clock)
    try:
        yield
    finally:
        _clock.reset(token)


@contextmanager
def clock_at(at: dt.datetime) -> Iterator[None]:
    """Stop the clock at ``at`` (aware) for the block."""
    if at.tzinfo is None:
        raise ValueError("clock_at needs an aware datetime")
    with using_clock(lambda: at):
        yield


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(desk_tz())


def local_now() -> dt.datetime:
    """Now at the desk (aware, in the desk's time zone)."""
    return local(utcnow())


def local_today() -> dt.date:
    """The desk's date: "today" for every rule (never the machine's own date)."""
    return local_now().date()


def local_date(value: dt.datetime) -> dt.date:
    return local(value).date()


def start_of_local_day(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` at the desk, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(), tzinfo=desk_tz())


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def file_stamp() -> str:
    """``20261206-040000``: the desk's local time, for file names people read."""
    return local_now().strftime("%Y%m%d-%H%M%S")


def fmt_local(value: dt.datetime | None, with_time: bool = True) -> str:
    if value is None:
        return ""
    v = local(value)
    return v.strftime("%Y-%m-%d %H:%M") if with_time else v.strftime("%Y-%m-%d")
