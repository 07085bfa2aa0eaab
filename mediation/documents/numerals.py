"""Money and number wording for documents: capital numerals (大写金额), figures, dates.

Capital amounts follow the People's Bank of China rules for writing amounts on
payment instruments (《支付结算办法》附件 "正确填写票据和结算凭证的基本规定"):

* digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, and 元角分;
* "整" after 元 (and, as allowed, after 角); never after 分;
* one 零 for one or more zeros *between* non-zero digits (1005 → 壹仟零伍);
  where the rules make 零 optional (the 万 or 元 place is zero but the next
  digit is not, e.g. 107000 → 壹拾万柒仟, 1680.32 → 壹仟陆佰捌拾元叁角贰分)
  it is left out, so each amount has exactly one spelling;
* 零 is required after 元 when 角 is zero and 分 is not (325.04 → 叁佰贰拾伍元零肆分);
* a leading 拾 is written 壹拾 (100000 → 壹拾万元整).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
MAX_AMOUNT = Decimal("9999999999999999.99")  # below 10^16 (万亿 groups)

_CN_DIGITS = "〇一二三四五六七八九"
_CN_SMALL = "零一二三四五六七八九"


def _to_cents(amount: Decimal | int | str) -> int:
    """``amount`` as a whole number of fen; rejects negatives and fractions of a fen."""
    try:
        value = Decimal(amount) if not isinstance(amount, Decimal) else amount
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {amount!r}")
    if value < 0:
        raise ValueError(f"negative amount: {amount!r}")
    if value > MAX_AMOUNT:
        raise ValueError(f"amount too large: {amount!r}")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"amount has fractions of a fen: {amount!r}")
    return int(cents)


def _group_upper(group: int) -> str:
    """Spell 1..9999 with 零 only between non-zero digits (no leading/trailing 零)."""
    digits = [(group // 10**p) % 10 for p in range(3, -1, -1)]  # 仟 佰 拾 个
    out: list[str] = []
    pending_zero = False
    started = False
    for i, d in enumerate(digits):
        if d == 0:
            pending_zero = started
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(DIGITS[d] + _SMALL_UNITS[3 - i])
        started = True
    return "".join(out)


def _integer_upper(n: int) -> str:
    """Spell a positive integer in capital numerals, without 元.

    Sections of 亿 and 万: ``n = a亿 + b万 + c``; a zero run between two written parts
    becomes one 零 (the lower part then starts with a zero digit).
    """
    if n >= 100_000_000:
        high, low = divmod(n, 100_000_000)
        text = _integer_upper(high) + "亿"
        if low:
            text += ("零" if low < 10_000_000 else "") + _integer_upper(low)
        return text
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        text = _group_upper(high) + "万"
        if low:
            text += ("零" if low < 1000 else "") + _group_upper(low)
        return text
    return _group_upper(n)


def rmb_upper(amount: Decimal | int | str, *, prefix: bool = True) -> str:
    """Capital-numeral spelling of a yuan amount, e.g. 2500 → 人民币贰仟伍佰元整.

    Raises ``ValueError`` for negative amounts, fractions of a fen, or ≥ 10^16.
    """
    cents = _to_cents(amount)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    parts: list[str] = []
    if yuan:
        parts.append(_integer_upper(yuan) + "元")
    if jiao:
        parts.append(DIGITS[jiao] + "角")
    elif fen and yuan:
        parts.append("零")
    if fen:
        parts.append(DIGITS[fen] + "分")
    if not parts:
        parts.append("零元")
    if not fen:
        parts.append("整")
    text = "".join(parts)
    return "人民币" + text if prefix else text


def yuan_figures(amount: Decimal | int | str) -> str:
    """The amount in figures with thousands separators: ``¥2,500.00``."""
    cents = _to_cents(amount)
    return f"¥{cents // 100:,}.{cents % 100:02d}"


def format_amount(amount: Decimal | int | str) -> str:
    """Capitals then figures, as the forms want: 人民币贰仟伍佰元整（¥2,500.00）."""
    return f"{rmb_upper(amount)}（{yuan_figures(amount)}）"


def cn_number(n: int) -> str:
    """Small integers in ordinary Chinese numerals: 3 → 三, 12 → 十二, 20 → 二十.

    Used for "一式三份" and "第二次"; numbers ≥ 100 are written in figures.
    """
    if n < 0:
        raise ValueError("negative")
    if n < 10:
        return _CN_SMALL[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_SMALL[tens]) + "十" + (_CN_SMALL[ones] if ones else "")
    return str(n)


def cn_to_int(text: str) -> int | None:
    """三十 → 30, 十五 → 15, 五 → 5 (small counts written in words, up to 99); None if not one."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    text = text.strip()
    if not text or any(c not in digits and c != "十" for c in text) or text.count("十") > 1:
        return None
    if "十" not in text:
        return digits[text] if len(text) == 1 else None
    tens, _sep, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def cn_date(value: dt.date | dt.datetime | None, *, blank: str = "　　年　　月　　日") -> str:
    """A date as on paper forms: 2026年3月5日; ``blank`` (to fill in by hand) when absent."""
    if value is None:
        return blank
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: dt.datetime | None, *, blank: str = "　　年　　月　　日　　时　　分") -> str:
    """Date and time: 2026年3月5日14时30分."""
    if value is None:
        return blank
    return f"{value.year}年{value.month}月{value.day}日{value.hour}时{value.minute:02d}分"


def cn_time(value: dt.datetime | dt.time | None, *, blank: str = "　　时　　分") -> str:
    """Time of day: 14时30分."""
    if value is None:
        return blank
    return f"{value.hour}时{value.minute:02d}分"


def cn_year_digits(year: int) -> str:
    """A year in Chinese digits, as on seals and some covers: 2026 → 二〇二六."""
    return "".join(_CN_DIGITS[int(c)] for c in str(year))
