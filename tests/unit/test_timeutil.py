"""The one clock: UTC stamps, the desk's date, and a clock that a block of code can set."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from mediation import timeutil, validation
from mediation.errors import ValidationError

# 20:00 UTC on 5 December is 04:00 on 6 December at a desk in Beijing.
EVENING_UTC = dt.datetime(2026, 12, 5, 20, 0, tzinfo=dt.UTC)


def test_a_set_clock_is_now_and_gives_the_desks_date() -> None:
    with timeutil.clock_at(EVENING_UTC):
        assert timeutil.utcnow() == EVENING_UTC
        assert timeutil.local_today() == dt.date(2026, 12, 6)
        assert timeutil.local_now().hour == 4
        assert timeutil.file_stamp() == "20261206-040000"
    assert abs(timeutil.utcnow() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


def test_the_clock_holds_for_the_setting_thread_only() -> None:
    seen: list[dt.datetime] = []
    with timeutil.clock_at(EVENING_UTC):
        worker = threading.Thread(target=lambda: seen.append(timeutil.utcnow()))
        worker.start()
        worker.join()
        assert timeutil.utcnow() == EVENING_UTC
    assert seen and seen[0] != EVENING_UTC


def test_clocks_nest_and_come_back() -> None:
    later = EVENING_UTC + dt.timedelta(days=3)
    with timeutil.clock_at(EVENING_UTC):
        with timeutil.using_clock(lambda: later):
            assert timeutil.local_today() == dt.date(2026, 12, 9)
        assert timeutil.utcnow() == EVENING_UTC
    with pytest.raises(ValueError), timeutil.clock_at(dt.datetime(2026, 1, 1)):
        pass


def test_validators_take_today_from_the_desks_clock() -> None:
    born_desk_today = "11010520261206002"
    number = born_desk_today + validation.resident_id_check_char(born_desk_today)
    with timeutil.clock_at(EVENING_UTC):  # the machine's UTC date is still the 5th
        assert validation.resident_id(number) == number
        assert validation.past_or_today(dt.date(2026, 12, 6), field="d") == dt.date(2026, 12, 6)
    with timeutil.clock_at(EVENING_UTC - dt.timedelta(hours=6)):  # 22:00 on the 5th in Beijing
        with pytest.raises(ValidationError) as info:
            validation.resident_id(number, field="parties.0.id_number")
        assert list(info.value.errors) == ["parties.0.id_number"]
        with pytest.raises(ValidationError):
            validation.past_or_today(dt.date(2026, 12, 6), field="d")


def test_a_moment_in_the_future_is_refused_against_the_clock() -> None:
    with timeutil.clock_at(EVENING_UTC):
        assert validation.past_moment(EVENING_UTC + dt.timedelta(minutes=4), field="t")
        with pytest.raises(ValidationError) as info:
            validation.past_moment(EVENING_UTC + dt.timedelta(minutes=6), field="t")
        assert info.value.errors == {"t": "时间不能晚于现在。"}
        with pytest.raises(ValidationError):
            validation.past_moment(dt.datetime(2026, 1, 1), field="t")
