"""The demo's office clock: moments as UTC seconds since the epoch, days at the desk, office hours.

Planning works on plain integers: a large demo plans millions of steps."""

from __future__ import annotations

import datetime as dt
import random

from mediation.demo.people import between
from mediation.timeutil import desk_tz

SPAN_DAYS = 730


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


class OfficeClock:
    """Office hours at the desk in its time zone; times are UTC epoch seconds."""

    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = int(now.timestamp())
        self.tz = desk_tz()
        self._offsets: dict[int, int] = {}
        # China has no daylight saving time: one offset for the whole span, which
        # makes every step below a little arithmetic instead of a time zone lookup.
        today = self.now // 86400
        samples = {self._lookup(today - d) for d in range(-400, SPAN_DAYS + 800, 15)}
        self.fixed: int | None = samples.pop() if len(samples) == 1 else None

    def _lookup(self, day: int) -> int:
        delta = (EPOCH + dt.timedelta(days=day, hours=12)).astimezone(self.tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    def offset(self, day: int) -> int:
        """Seconds the desk is ahead of UTC on ``day`` (days since the epoch)."""
        if self.fixed is not None:
            return self.fixed
        o = self._offsets.get(day)
        if o is None:
            o = self._offsets[day] = self._lookup(day)
        return o

    def local_day(self, ts: int) -> int:
        if self.fixed is not None:
            return (ts + self.fixed) // 86400
        return (ts + self.offset(ts // 86400)) // 86400

    def local_date(self, ts: int) -> dt.date:
        return dt.date.fromordinal(EPOCH_ORDINAL + self.local_day(ts))

    def office(self, day: int, *, evening: bool = False) -> int:
        secs = (64800 + int(self.rng.random() * 14400)) if evening else (30600 + int(self.rng.random() * 32400))
        return day * 86400 + secs - self.offset(day)

    def later(self, start: int, lo: int, hi: int) -> int:
        """A moment ``lo``–``hi`` days after ``start``, in office hours, mostly on weekdays."""
        day = self.local_day(start) + between(self.rng, lo, hi)
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
        if weekday >= 5 and self.rng.random() < 0.85:
            day += 7 - weekday
        t = self.office(day)
        return t if t > start else start + between(self.rng, 300, 5400)

    def registration(self) -> int:
        """A registration time in the last two years: fewer in vacations and at weekends."""
        today = self.local_day(self.now)
        while True:
            day = today - int(self.rng.random() * SPAN_DAYS)
            month = dt.date.fromordinal(EPOCH_ORDINAL + day).month
            if month in (1, 2, 7, 8) and self.rng.random() < 0.55:
                continue
            if (day + 3) % 7 >= 5 and self.rng.random() < 0.6:
                continue
            t = self.office(day, evening=self.rng.random() < 0.1)
            if t < self.now:
                return t


def utc(ts: int) -> dt.datetime:
    return EPOCH + dt.timedelta(seconds=ts)
