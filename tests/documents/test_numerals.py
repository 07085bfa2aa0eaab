"""Capital-numeral amounts: examples from the bank rules and a round trip through a parser."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediation.documents.numerals import (
    cn_date,
    cn_number,
    format_amount,
    rmb_upper,
    yuan_figures,
)

_DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def _parse_group(text: str) -> int:
    """Parse a 1..9999 group such as 壹仟零伍 or 壹拾."""
    total, digit = 0, None
    for ch in text:
        if ch == "零":
            digit = None
        elif ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            assert digit is not None, f"unit without digit in {text!r}"
            total += digit * _SMALL[ch]
            digit = None
        else:
            raise AssertionError(f"unexpected {ch!r} in {text!r}")
    return total + (digit or 0)


def _parse_integer(text: str) -> int:
    total = 0
    if "亿" in text:
        head, text = text.split("亿", 1)
        total += _parse_integer(head) * 100_000_000
    if "万" in text:
        head, text = text.split("万", 1)
        total += _parse_group(head) * 10_000
    return total + _parse_group(text)


def parse_rmb_upper(text: str) -> Decimal:
    """Inverse of rmb_upper (test helper); also checks the 零/整 rules on the way."""
    assert text.startswith("人民币")
    text = text.removeprefix("人民币")
    yuan = 0
    if "元" in text:
        head, text = text.split("元", 1)
        assert not head.startswith("零") or head == "零", "no leading 零"
        yuan = _parse_integer(head)
    jiao = fen = 0
    if text.endswith("整"):
        text = text[:-1]
        assert not text.endswith("分"), "no 整 after 分"
    elif not text.endswith("分"):
        raise AssertionError("must end with 整 or 分")
    if "角" in text:
        head, text = text.split("角", 1)
        jiao = _DIGITS[head.lstrip("零")]
    if "分" in text:
        head, text = text.split("分", 1)
        fen = _DIGITS[head.lstrip("零")]
    assert text == ""
    return Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("2500", "人民币贰仟伍佰元整"),
        ("1234.56", "人民币壹仟贰佰叁拾肆元伍角陆分"),
        ("1005", "人民币壹仟零伍元整"),
        ("100000", "人民币壹拾万元整"),
        ("0.05", "人民币伍分"),
        ("0.5", "人民币伍角整"),
        ("0", "人民币零元整"),
        ("10", "人民币壹拾元整"),
        ("1010", "人民币壹仟零壹拾元整"),
        ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "人民币壹拾万柒仟元伍角叁分"),
        ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
        ("100005", "人民币壹拾万零伍元整"),
        ("100000000", "人民币壹亿元整"),
        ("100005000", "人民币壹亿零伍仟元整"),
        ("100100000", "人民币壹亿零壹拾万元整"),
        ("1.00", "人民币壹元整"),
    ],
)
def test_rmb_upper_examples(amount: str, expected: str) -> None:
    assert rmb_upper(Decimal(amount)) == expected


def test_format_amount() -> None:
    assert format_amount(Decimal("2500")) == "人民币贰仟伍佰元整（¥2,500.00）"
    assert yuan_figures(Decimal("1234567.8")) == "¥1,234,567.80"


@pytest.mark.parametrize("bad", ["-1", "0.001", "1e20", "NaN", "abc"])
def test_rmb_upper_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        rmb_upper(bad)


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10**15 * 100 - 1))
def test_round_trip(cents: int) -> None:
    value = Decimal(cents) / 100
    text = rmb_upper(value)
    assert parse_rmb_upper(text) == value
    assert "零零" not in text
    assert not text.removeprefix("人民币").startswith("零") or cents == 0 or cents < 100


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_round_trip_whole_yuan(yuan: int) -> None:
    text = rmb_upper(Decimal(yuan))
    assert text.endswith("元整")
    assert parse_rmb_upper(text) == yuan


def test_small_numbers_and_dates() -> None:
    assert [cn_number(n) for n in (0, 3, 10, 12, 20, 21)] == [
        "零",
        "三",
        "十",
        "十二",
        "二十",
        "二十一",
    ]
    assert cn_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert "年" in cn_date(None) and "2" not in cn_date(None)
