"""What a reader of an agreement relies on in its amounts and dates (issue 17).

Known answers written by hand: the People's Bank of China's examples for amounts in
capitals (《正确填写票据和结算凭证的基本规定》) and amounts whose zeros fall at the
places where a wrong rule would add or drop a 零; then an independent reader of capitals
back into a number, run over random amounts up to 10^12 with fen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediation.documents.numerals import (
    MAX_AMOUNT,
    cn_date,
    cn_datetime,
    cn_number,
    cn_time,
    cn_to_int,
    cn_year_digits,
    rmb_upper,
    yuan_figures,
)


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        # The bank rules' own examples (零 written where required, left out where optional).
        ("1409.50", "壹仟肆佰零玖元伍角整"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        # One 零 for a run of zeros between digits, and not one more.
        ("1011", "壹仟零壹拾壹元整"),
        ("1001", "壹仟零壹元整"),
        ("21000", "贰万壹仟元整"),
        ("20100", "贰万零壹佰元整"),
        ("10001000", "壹仟万壹仟元整"),
        ("10000999", "壹仟万零玖佰玖拾玖元整"),
        ("10000100", "壹仟万零壹佰元整"),
        ("110000000", "壹亿壹仟万元整"),
        ("109999999", "壹亿零玖佰玖拾玖万玖仟玖佰玖拾玖元整"),
        ("100000001", "壹亿零壹元整"),
        ("1010101010", "壹拾亿壹仟零壹拾万壹仟零壹拾元整"),
        ("0.01", "壹分"),
        ("0.10", "壹角整"),
        ("10.01", "壹拾元零壹分"),
        ("9999999999999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amount_in_capitals_as_the_bank_rules_write_it(amount: str, capitals: str) -> None:
    assert rmb_upper(Decimal(amount)) == "人民币" + capitals
    assert rmb_upper(amount, prefix=False) == capitals


def test_largest_amount_is_accepted_and_one_fen_more_is_refused() -> None:
    assert rmb_upper(MAX_AMOUNT).endswith("玖角玖分")
    with pytest.raises(ValueError):
        rmb_upper(MAX_AMOUNT + Decimal("0.01"))


def test_amount_in_figures() -> None:
    assert yuan_figures(0) == "¥0.00"
    assert yuan_figures("1000000.05") == "¥1,000,000.05"


# --- an independent reader of capitals -------------------------------------------------

_VALUE = dict(zip("零壹贰叁肆伍陆柒捌玖", range(10), strict=True))
_UNIT = {"拾": 10, "佰": 100, "仟": 1000}
_SECTION = {"万": 10**4, "亿": 10**8}


def read_capitals(text: str) -> Decimal:
    """Read 人民币…元…角…分/整 back into yuan, the way a clerk reads it: left to right,
    a digit waits for its unit, 万 and 亿 multiply everything since the last bigger section."""
    assert text.startswith("人民币"), text
    body = text.removeprefix("人民币")
    whole = body.endswith("整")
    body = body.removesuffix("整")
    total = section = 0
    digit: int | None = None
    yuan = Decimal(0)
    for ch in body:
        if ch in _VALUE:
            digit = _VALUE[ch]
        elif ch in _UNIT:
            assert digit, f"{ch} without a digit in {text}"
            section += digit * _UNIT[ch]
            digit = None
        elif ch in _SECTION:
            mult = _SECTION[ch]
            section += digit or 0
            digit = None
            if mult == 10**8:
                total = (total + section) * mult
            else:
                total += section * mult
            section = 0
        elif ch == "元":
            yuan = Decimal(total + section + (digit or 0))
            total = section = 0
            digit = None
        elif ch == "角":
            assert digit, text
            yuan += Decimal(digit) / 10
            digit = None
        elif ch == "分":
            assert digit and not whole, text
            yuan += Decimal(digit) / 100
            digit = None
        else:
            raise AssertionError(f"unexpected {ch!r} in {text}")
    assert digit in (None, 0), f"a digit without its unit at the end of {text}"
    return yuan


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 * 100))
def test_capitals_read_back_to_the_amount(cents: int) -> None:
    amount = Decimal(cents) / 100
    text = rmb_upper(amount)
    assert read_capitals(text) == amount
    # 整 closes an amount with no fen, and only such an amount.
    assert text.endswith("整") == (cents % 10 == 0)
    assert "零零" not in text and "零元" not in text.replace("人民币零元整", "")


# --- small numbers, dates, times -------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [(0, "零"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (30, "三十"), (99, "九十九"), (100, "100"), (365, "365")],
)
def test_small_counts_in_words_and_larger_in_figures(n: int, words: str) -> None:
    assert cn_number(n) == words


def test_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        cn_number(-1)


@pytest.mark.parametrize(
    ("words", "n"),
    [("五", 5), ("两", 2), ("零", 0), ("十", 10), ("十五", 15), ("三十", 30), ("二十五", 25), ("九十九", 99), (" 七 ", 7)],
)
def test_counts_written_in_words_are_read(words: str, n: int) -> None:
    assert cn_to_int(words) == n


@pytest.mark.parametrize("words", ["", "  ", "一百", "十十", "二十五六", "一二十", "三五", "3", "五天", "十二三"])
def test_what_is_not_a_count_in_words_reads_as_nothing(words: str) -> None:
    assert cn_to_int(words) is None


def test_dates_and_times_on_paper_forms() -> None:
    assert cn_date(dt.date(2026, 12, 31)) == "2026年12月31日"
    assert cn_date(dt.datetime(2026, 1, 2, 23, 59)) == "2026年1月2日"
    assert cn_datetime(dt.datetime(2026, 3, 5, 14, 30)) == "2026年3月5日14时30分"
    assert cn_datetime(dt.datetime(2026, 3, 5, 9, 5)) == "2026年3月5日9时05分"
    assert cn_time(dt.time(14, 30)) == "14时30分"
    assert cn_time(dt.datetime(2026, 3, 5, 8, 0)) == "8时00分"


def test_missing_dates_and_times_leave_blanks_to_fill_in_by_hand() -> None:
    assert cn_date(None) == "　　年　　月　　日"
    assert cn_datetime(None) == "　　年　　月　　日　　时　　分"
    assert cn_time(None) == "　　时　　分"
    assert cn_date(None, blank="____") == "____"
    assert cn_time(None, blank="") == ""


@pytest.mark.parametrize(("year", "digits"), [(2026, "二〇二六"), (2000, "二〇〇〇"), (1999, "一九九九"), (2031, "二〇三一")])
def test_year_in_chinese_digits_as_on_seals(year: int, digits: str) -> None:
    assert cn_year_digits(year) == digits
