"""Reporting periods: a month, a quarter, a year or any range of days, at the desk.

A period is a closed range of the desk's calendar days; :meth:`Period.utc_bounds`
turns it into the half-open range of UTC moments ``[start 00:00, day after end 00:00)``
in the desk's time zone, which is what the SQL compares stored UTC timestamps with.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from mediation.errors import ValidationError
from mediation.i18n import N_, _
from mediation.timeutil import start_of_local_day

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
RANGE = "range"


QUARTER_LABELS = (N_("{y}年第一季度"), N_("{y}年第二季度"), N_("{y}年第三季度"), N_("{y}年第四季度"))
"""How a report names a quarter (the numeral spelled out in Chinese, a number in English)."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    """Inclusive."""
    kind: str = RANGE

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(field="period", message=_("统计期间的结束日期不能早于开始日期。"))

    # ---- constructors

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(dt.date(year, month, 1), dt.date(year, month, last), MONTH)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        last = calendar.monthrange(year, first + 2)[1]
        return cls(dt.date(year, first, 1), dt.date(year, first + 2, last), QUARTER)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR)

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Period:
        return cls(start, end, RANGE)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-10`` (month), ``2026-Q4`` (quarter), ``2026`` (year)."""
        t = text.strip().upper()
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t):
            year, month = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12:
                return cls.month(year, month)
        elif m := re.fullmatch(r"(\d{4})-?Q([1-4])", t):
            return cls.quarter(int(m.group(1)), int(m.group(2)))
        elif re.fullmatch(r"\d{4}", t):
            return cls.year(int(t))
        raise ValidationError(field="period", message=_(
            "统计期间应写成 2026-10（月）、2026-Q4（季度）或 2026（年），而不是“{t}”。").format(t=text))

    # ---- what it is

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """``[first local midnight, the local midnight after the last day)`` as aware datetimes."""
        return (start_of_local_day(self.start).astimezone(dt.UTC),
                start_of_local_day(self.end + dt.timedelta(days=1)).astimezone(dt.UTC))

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def code(self) -> str:
        """``2026-10``, ``2026-Q4``, ``2026``, ``2026-10-01..2026-11-15``."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """How a report names it: 2026年10月, 2026年第四季度, 2026年度, 2026-10-01至2026-11-15."""
        if self.kind == MONTH:
            return _("{y}年{m}月").format(y=self.start.year, m=self.start.month)
        if self.kind == QUARTER:
            q = (self.start.month - 1) // 3 + 1
            return _(QUARTER_LABELS[q - 1]).format(y=self.start.year)
        if self.kind == YEAR:
            return _("{y}年度").format(y=self.start.year)
        return _("{a}至{b}").format(a=self.start.isoformat(), b=self.end.isoformat())

    # ---- the periods it is compared with

    def year_to_date(self) -> Period:
        """年度累计: from 1 January of the year the period ends in, to its end."""
        return Period(dt.date(self.end.year, 1, 1), self.end, RANGE)

    def same_period_last_year(self) -> Period:
        """同比: the same months (or days) one year earlier; 29 February becomes the 28th."""
        if self.kind == MONTH:
            return Period.month(self.start.year - 1, self.start.month)
        if self.kind == QUARTER:
            return Period.quarter(self.start.year - 1, (self.start.month - 1) // 3 + 1)
        if self.kind == YEAR:
            return Period.year(self.start.year - 1)
        return Period(_year_earlier(self.start), _year_earlier(self.end), RANGE)

    def previous(self) -> Period:
        """环比: the period just before, of the same kind (a range: the same number of days)."""
        if self.kind == MONTH:
            y, m = (self.start.year, self.start.month - 1) if self.start.month > 1 else (self.start.year - 1, 12)
            return Period.month(y, m)
        if self.kind == QUARTER:
            q = (self.start.month - 1) // 3 + 1
            return Period.quarter(self.start.year, q - 1) if q > 1 else Period.quarter(self.start.year - 1, 4)
        if self.kind == YEAR:
            return Period.year(self.start.year - 1)
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end, RANGE)


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def months_back(end: Period, count: int) -> list[Period]:
    """The ``count`` months ending with the month of ``end.end``, oldest first (the charts)."""
    y, m = end.end.year, end.end.month
    out: list[Period] = []
    for _i in range(count):
        out.append(Period.month(y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]
