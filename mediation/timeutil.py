"""Clock helpers: UTC storage, desk-local dates (Asia/Shanghai by default)."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"


def desk_tz() -> dt.tzinfo:
    """The desk's time zone: ``MEDIATION_TZ`` or China Standard Time."""
    return ZoneInfo(os.environ.get("MEDIATION_TZ", DEFAULT_TZ))


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(desk_tz())


def local_today() -> dt.date:
    return dt.datetime.now(desk_tz()).date()


def local_date(value: dt.datetime) -> dt.date:
    return local(value).date()


def start_of_local_day(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` at the desk, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(), tzinfo=desk_tz())


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def fmt_local(value: dt.datetime | None, with_time: bool = True) -> str:
    if value is None:
        return ""
    v = local(value)
    return v.strftime("%Y-%m-%d %H:%M") if with_time else v.strftime("%Y-%m-%d")
