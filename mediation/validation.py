"""Pure validators for form input: each returns the normalised value or raises ValidationError."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from types import TracebackType
from typing import Any, Final, Literal, TypeVar, get_args

from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.timeutil import local_today, utcnow

T = TypeVar("T")

IdType = Literal["resident_id", "passport", "other", "none"]
ID_TYPES: Final[tuple[str, ...]] = get_args(IdType)

# Messages never repeat the value typed: it may be personal data (see errors.py).

# ---------------------------------------------------------------------------------------
# helpers


def _as_str(value: object) -> str:
    """``None`` counts as empty; anything but a string is a programming error."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"expected str, got {type(value).__name__}")
    return value


def _ascii_form(value: str) -> str:
    """Fold full-width digits, letters and punctuation (typed with a Chinese IME) to ASCII."""
    return unicodedata.normalize("NFKC", value)


# Zero-width (non-)joiners are part of spelling in some scripts (Persian, Indic).
_JOINERS: Final = frozenset({"\u200c", "\u200d"})


def _is_control(ch: str) -> bool:
    """Control, invisible format (zero-width space, BOM, bidi marks) or lone surrogate.

    Unassigned code points are not refused: Python 3.11 knows Unicode 14, so CJK
    Extensions H and I (Unicode 15/15.1) still look unassigned to it.
    """
    category = unicodedata.category(ch)
    return category in {"Cc", "Cs"} or (category == "Cf" and ch not in _JOINERS)


def _format_date(d: date) -> str:
    return _("{year}年{month}月{day}日").format(year=d.year, month=d.month, day=d.day)


def _fail(field: str, message: str) -> ValidationError:
    return ValidationError(field=field, message=message)


# ---------------------------------------------------------------------------------------
# identity documents

_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS: Final = "10X98765432"
_ID_ALLOWED = re.compile(r"[0-9X]*", re.ASCII)
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_EARLIEST_BIRTH: Final = date(1900, 1, 1)


_ID_PARTS: Final = ((0, 6), (6, 14), (14, 17))
"""Region, birth date, order: summed apart so that the sums of common parts are reused."""
_id_part_sums: dict[tuple[int, str], int] = {}


def resident_id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of a resident ID.

    The demo makes a quarter of a million numbers: the weighted sums of the parts that
    repeat (regions, birth dates) are remembered.
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("expected 17 ASCII digits")
    total = 0
    for start, end in _ID_PARTS:
        part = first17[start:end]
        value = _id_part_sums.get((start, part))
        if value is None:
            value = sum(int(c) * w for c, w in zip(part, _ID_WEIGHTS[start:end], strict=True))
            if len(_id_part_sums) < 200_000:
                _id_part_sums[(start, part)] = value
        total += value
    return _ID_CHECK_CHARS[total % 11]


def resident_id(value: str | None, *, field: str = "id_number", today: date | None = None) -> str:
    """An 18-character mainland resident ID number, upper-case, without spaces.

    The birth date it encodes may not lie after ``today`` (default: the desk's date).
    Region codes are not checked: abolished counties' codes are still on valid cards.
    """
    s = "".join(_ascii_form(_as_str(value)).split()).upper()
    if not s:
        raise _fail(field, _("请填写身份证号码。"))
    if not _ID_ALLOWED.fullmatch(s) or "X" in s[:-1]:
        raise _fail(field, _("身份证号码只能由数字组成，最后一位可以是字母X。"))
    if len(s) != 18:
        if len(s) == 15 and "X" not in s:
            raise _fail(field, _("这是15位的旧身份证号码，请填写18位的新号码。"))
        raise _fail(
            field, _("身份证号码应为18位，当前为{length}位。").format(length=len(s))
        )
    birth = _id_birth_date(s)
    if birth is None:
        raise _fail(field, _("身份证号码第7–14位不是有效的出生日期（应为年月日，如19900101）。"))
    if birth < _EARLIEST_BIRTH:
        raise _fail(field, _("身份证号码中的出生日期早于1900年，请核对。"))
    if birth > (today or local_today()):
        raise _fail(field, _("身份证号码中的出生日期晚于今天，请核对。"))
    if resident_id_check_char(s[:17]) != s[17]:
        raise _fail(field, _("身份证号码校验位（最后一位）不符，请逐位核对号码是否输错。"))
    return s


def _id_birth_date(s: str) -> date | None:
    try:
        return date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None


def birth_date_from_resident_id(value: str, *, field: str = "id_number",
                                today: date | None = None) -> date:
    """Date of birth encoded in a valid resident ID (raises ValidationError if invalid)."""
    birth = _id_birth_date(resident_id(value, field=field, today=today))
    assert birth is not None  # resident_id() checked it
    return birth


def sex_from_resident_id(value: str, *, field: str = "id_number", today: date | None = None) -> str:
    """"男" or "女" from the 17th digit (odd: male) of a valid resident ID."""
    s = resident_id(value, field=field, today=today)
    # Stored data, not a message: never translated.
    return "男" if int(s[16]) % 2 else "女"


_PASSPORT = re.compile(r"[A-Z0-9]+", re.ASCII)


def passport_number(value: str | None, *, field: str = "id_number") -> str:
    """A passport (or similar travel document) number: 5–20 letters/digits, upper-case."""
    s = "".join(_ascii_form(_as_str(value)).split()).upper()
    if not s:
        raise _fail(field, _("请填写护照号码。"))
    if not _PASSPORT.fullmatch(s):
        raise _fail(field, _("护照号码只能包含英文字母和数字。"))
    if not 5 <= len(s) <= 20:
        raise _fail(
            field, _("护照号码应为5至20位字母或数字，当前为{length}位。").format(length=len(s))
        )
    return s


def id_document(
    id_type: str,
    value: str | None,
    *,
    field: str = "id_number",
    type_field: str = "id_type",
    today: date | None = None,
) -> str:
    """Validate ``value`` as a document of ``id_type`` (one of :data:`ID_TYPES`).

    ``"none"`` means the person has no document to record: the number must be empty
    and ``""`` is returned. ``"other"`` is free text of 1–30 characters.
    """
    if id_type == "resident_id":
        return resident_id(value, field=field, today=today)
    if id_type == "passport":
        return passport_number(value, field=field)
    if id_type == "other":
        s = text(value, field=field, required=True, max_len=30)
        if "\n" in s or "\t" in s:
            raise _fail(field, _("证件号码应写在一行内。"))
        return s
    if id_type == "none":
        if _as_str(value).strip():
            raise _fail(field, _("证件类型为“无”时不应填写证件号码；请选择证件类型或清空号码。"))
        return ""
    raise _fail(type_field, _("请选择证件类型：居民身份证、护照、其他证件或无。"))


def _mask(s: str, head: int, tail: int) -> str:
    """Keep ``head``/``tail`` characters but always hide at least half of ``s``."""
    n = len(s)
    shrink_head = True
    while head + tail > n // 2 and head + tail > 0:
        if (shrink_head and head > 0) or tail == 0:
            head -= 1
        else:
            tail -= 1
        shrink_head = not shrink_head
    return s[:head] + "*" * (n - head - tail) + (s[n - tail :] if tail else "")


def mask_id_number(value: str | None) -> str:
    """``110***********1234``: first 3 and last 4 characters; short values hide at least half."""
    return _mask(_as_str(value).strip(), 3, 4)


_MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
_LANDLINE_SHOWN = re.compile(r"(0[0-9]{2,3})-([0-9]{7,8})(?:-([0-9]{1,6}))?", re.ASCII)


def mask_phone(value: str | None) -> str:
    """``138****5678`` for a mobile; ``010-****5678`` for a landline (area code kept)."""
    s = _as_str(value).strip()
    if _MOBILE.fullmatch(s):
        return s[:3] + "****" + s[7:]
    m = _LANDLINE_SHOWN.fullmatch(s)
    if m:
        area, number, ext = m.groups()
        masked = f"{area}-{'*' * (len(number) - 4)}{number[-4:]}"
        return f"{masked}-{ext}" if ext else masked
    return _mask(s, 3, 4)


# ---------------------------------------------------------------------------------------
# phone numbers

_EXTENSION = re.compile(r"^(.*?)\s*(?:转|分机|ext\.?|x|#)\s*([0-9]{1,6})$", re.ASCII | re.IGNORECASE)
_INTL_PREFIX = re.compile(r"^(?:\+|00)86")
_PHONE_CHARS = re.compile(r"[0-9-]+", re.ASCII)


def _phone_error(field: str) -> ValidationError:
    return _fail(
        field,
        _(
            "电话号码格式不正确。请填写11位手机号（如13800138000），"
            "或带区号的固定电话（如010-12345678，可加分机号：010-12345678-123）。"
        ),
    )


def _area_code_length(digits: str) -> int | None:
    """Chinese area codes: 010 and 020–029 have three digits, 03xx–09xx have four."""
    if digits.startswith(("010", "02")):
        return 3
    if len(digits) >= 2 and digits[0] == "0" and digits[1] in "3456789":
        return 4
    return None


def phone(value: str | None, *, field: str = "phone") -> str:
    """A mainland mobile (→ ``13800138000``) or landline (→ ``010-12345678[-ext]``)."""
    s = _ascii_form(_as_str(value)).strip()
    if not s:
        raise _fail(field, _("请填写电话号码。"))
    # The extension only counts when marked (转/分机/ext/x/#) or written as a last
    # dash group after a complete number (handled below).
    ext: str | None = None
    m = _EXTENSION.match(s)
    if m:
        s, ext = m.group(1), m.group(2)
    s = re.sub(r"[\s()]", "", s)
    intl = bool(_INTL_PREFIX.match(s))
    if intl:
        s = _INTL_PREFIX.sub("", s).lstrip("-")
    if not _PHONE_CHARS.fullmatch(s):
        raise _phone_error(field)
    digits = s.replace("-", "")
    if ext is None:
        if _MOBILE.fullmatch(digits):
            return digits
        if len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
            return digits[2:]
    if intl and not digits.startswith("0"):
        digits = "0" + digits  # +86 10 12345678: the trunk 0 is dropped abroad
        s = "0" + s
    area_len = _area_code_length(digits)
    if area_len is None:
        raise _phone_error(field)
    area = digits[:area_len]
    groups = [g for g in s.split("-") if g]
    number: str
    if len(groups) >= 2 and groups[0] == area and len(groups[1]) in (7, 8):
        # 0571-8765432-12: the group after a complete number is the extension.
        number = groups[1]
        if len(groups) == 3 and ext is None and len(groups[2]) <= 6:
            ext = groups[2]
        elif len(groups) > 2:
            raise _phone_error(field)
    else:
        number = digits[area_len:]
    if len(number) not in (7, 8) or number[0] == "0":
        raise _phone_error(field)
    return f"{area}-{number}-{ext}" if ext else f"{area}-{number}"


# ---------------------------------------------------------------------------------------
# money

_CENT: Final = Decimal("0.01")
MAX_MONEY: Final = Decimal("999999999.99")
_MONEY_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_MONEY_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?", re.ASCII)
_MONEY_NOISE = re.compile(r"\s|¥|人民币|元$|^RMB|^CNY", re.IGNORECASE)


def money(value: str | int | Decimal | float | None, *, field: str = "amount") -> Decimal:
    """A non-negative amount in yuan with at most two decimals, quantised to 0.01.

    Strings may carry ``¥``/``￥``, thousands commas, spaces, full-width digits and a
    trailing ``元``. A float is read through its shortest ``repr`` (``0.1`` is 0.10,
    ``2.675`` has three decimals and is refused), never through its binary value.
    """
    if isinstance(value, bool):
        raise TypeError("expected an amount, got bool")
    amount: Decimal
    if value is None or isinstance(value, str):
        s = _MONEY_NOISE.sub("", _ascii_form(value or "").replace("\u2212", "-").strip())
        if not s:
            raise _fail(field, _("请填写金额。"))
        if "," in s:
            # Only as thousands separators: "2,50" must not silently become 250.
            if not _MONEY_GROUPED.fullmatch(s):
                raise _fail(field, _("金额中的逗号只能用作千位分隔符，如2,500.00。"))
            s = s.replace(",", "")
        if not _MONEY_TEXT.fullmatch(s):
            raise _fail(field, _("金额格式不正确，请填写数字，如2500或2500.50。"))
        amount = Decimal(s)
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        try:
            amount = Decimal(repr(value))
        except InvalidOperation:  # pragma: no cover - repr of a float always parses
            raise _fail(field, _("金额格式不正确，请填写数字，如2500或2500.50。")) from None
    elif isinstance(value, Decimal):
        amount = value
    else:
        raise TypeError(f"expected an amount, got {type(value).__name__}")
    if not amount.is_finite():
        raise _fail(field, _("金额格式不正确，请填写数字，如2500或2500.50。"))
    if amount < 0:
        raise _fail(field, _("金额不能为负数。"))
    if amount > MAX_MONEY:
        raise _fail(field, _("金额不能超过999,999,999.99元。"))
    cents = amount.quantize(_CENT)
    if cents != amount:
        raise _fail(field, _("金额最多保留两位小数（精确到分）。"))
    return cents.copy_abs()  # no "-0.00"


# ---------------------------------------------------------------------------------------
# names and text

# Look-alikes people type for the middle dot of names such as 阿依古丽·买买提.
_MIDDLE_DOT: Final = "\u00b7"
_DOT_VARIANTS: Final = {
    ord(c): _MIDDLE_DOT
    for c in ("\u2022", "\uff0e", "\u30fb", "\uff65", "\u2027", "\u2219", "\u22c5")
}
_NAME_PUNCTUATION: Final = frozenset({_MIDDLE_DOT, "-", "'", "\u2019", "."})


_INVISIBLE_LETTERS: Final = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"})
"""Hangul fillers and the blank Braille pattern: letters (or symbols) that print nothing."""


_IDEOGRAPH_PLANES: Final = range(0x20000, 0x40000)
"""Planes 2 and 3 hold CJK ideographs only: a code point there that Python's Unicode
(14 in 3.11) does not know yet is a newer ideograph (Ext C's U+2B739, Ext H, Ext I)."""


def _visible_base(ch: str) -> bool:
    """A character that shows on its own: a letter (not a filler), a private-use character
    (older systems' rare names), a letter-like number, or a CJK ideograph newer than
    Python's Unicode."""
    category = unicodedata.category(ch)
    if category == "Cn":
        return ord(ch) in _IDEOGRAPH_PLANES
    return (category[0] == "L" or category in {"Co", "Nl"}) and ch not in _INVISIBLE_LETTERS


def person_name(value: str | None, *, field: str = "name", max_len: int = 50) -> str:
    """A person's name kept exactly as written (NFC; look-alike dots become ``·``).

    Any script is accepted, rare CJK characters of Extensions A–G (䶮, 𠮷, 㛃) included,
    as are private-use characters that older systems used for characters missing from
    the standard. Length counts code points, not UTF-16 units or bytes.
    """
    s = unicodedata.normalize("NFC", _as_str(value)).strip().translate(_DOT_VARIANTS)
    if not s:
        raise _fail(field, _("请填写姓名。"))
    for ch in s:
        if _is_control(ch):
            raise _fail(field, _("姓名中含有不可见的控制字符，请删除后重新输入。"))
        category = unicodedata.category(ch)
        if category == "Nd":
            raise _fail(field, _("姓名中不能含有数字。"))
        if category[0] in "LM" or category in {"Zs", "Nl", "Co", "Cn", "Cf"}:
            continue
        if ch in _NAME_PUNCTUATION:
            continue
        raise _fail(field, _("姓名中不能含有符号“{char}”。").format(char=ch))
    if not any(_visible_base(ch) for ch in s) or unicodedata.category(s[0])[0] == "M":
        # Only combining marks, joiners or filler letters: nothing anyone could read.
        raise _fail(field, _("姓名中没有可见的文字（只有不可见字符或组合符号），请重新输入。"))
    if s[0] == _MIDDLE_DOT or s[-1] == _MIDDLE_DOT or _MIDDLE_DOT * 2 in s:
        raise _fail(field, _("姓名中的间隔号“·”只能写在两个字之间。"))
    if len(s) > max_len:
        raise _fail(
            field,
            _("姓名过长：最多{limit}个字，当前{length}个字。").format(limit=max_len, length=len(s)),
        )
    return s


def org_name(value: str | None, *, field: str = "org_name", max_len: int = 100) -> str:
    """An organisation's name (school, company, office): digits and brackets allowed."""
    s = unicodedata.normalize("NFC", _as_str(value)).strip()
    if not s:
        raise _fail(field, _("请填写单位名称。"))
    if any(_is_control(ch) for ch in s):
        raise _fail(field, _("单位名称中含有不可见的控制字符，请删除后重新输入。"))
    if not any(unicodedata.category(ch)[0] == "L" for ch in s):
        raise _fail(field, _("单位名称至少应包含一个汉字或字母。"))
    if len(s) > max_len:
        raise _fail(
            field,
            _("单位名称过长：最多{limit}个字，当前{length}个字。").format(
                limit=max_len, length=len(s)
            ),
        )
    return s


def text(
    value: str | None, *, field: str, required: bool = False, max_len: int = 2000
) -> str:
    """Free text: trimmed, line breaks unified to ``\\n``, no control characters but newline/tab."""
    s = _as_str(value).replace("\r\n", "\n").replace("\r", "\n")
    s = unicodedata.normalize("NFC", s).strip()
    if not s:
        if required:
            raise _fail(field, _("此项为必填项，请填写。"))
        return ""
    if any(_is_control(ch) and ch not in "\n\t" for ch in s):
        raise _fail(field, _("内容中含有不可见的控制字符，请删除后重新输入。"))
    if len(s) > max_len:
        raise _fail(
            field,
            _("内容过长：最多{limit}个字，当前{length}个字。").format(limit=max_len, length=len(s)),
        )
    return s


# ---------------------------------------------------------------------------------------
# dates


def _day(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


EARLIEST_DATE: Final = date(1900, 1, 1)
LATEST_YEAR: Final = 2999


def plausible_date(d: date, *, field: str) -> date:
    """A date in the years a desk can mean: not before 1900, not after 2999 (returned unchanged).

    Dates outside are typing slips (0001-01-01, 9999-12-31) that would also break
    arithmetic on them (time zones, deadlines) further on.
    """
    day = _day(d)
    if day < EARLIEST_DATE:
        raise _fail(field, _("日期不能早于1900年1月1日，请核对。"))
    if day.year > LATEST_YEAR:
        raise _fail(field, _("日期不合理（年份超过{year}），请核对。").format(year=LATEST_YEAR))
    return d


def past_or_today(d: date, *, field: str, today: date | None = None) -> date:
    """A date that cannot lie after ``today`` (default: the desk's date) nor before 1900; returned unchanged."""
    plausible_date(d, field=field)
    limit = today or local_today()
    if _day(d) > limit:
        raise _fail(
            field, _("日期不能晚于今天（{today}）。").format(today=_format_date(limit))
        )
    return d


def not_before(d: date, other: date, *, field: str, other_label: str | None = None) -> date:
    """A date on or after ``other`` (e.g. closing after acceptance); returned unchanged.

    ``other_label`` names the other date in the message, e.g. ``"受理日期"``.
    """
    if _day(d) < _day(other):
        when = _format_date(_day(other))
        if other_label:
            message = _("日期不能早于{label}（{date}）。").format(label=other_label, date=when)
        else:
            message = _("日期不能早于{date}。").format(date=when)
        raise _fail(field, message)
    return d


def past_moment(when: datetime, *, field: str, now: datetime | None = None) -> datetime:
    """An aware moment not after now (five minutes' leeway for clocks that differ), nor before 1900."""
    if when.tzinfo is None:
        raise _fail(field, _("时间缺少时区信息。"))
    plausible_date(when, field=field)
    if when > (now or utcnow()) + FUTURE_LEEWAY:
        raise _fail(field, _("时间不能晚于现在。"))
    return when


FUTURE_LEEWAY: Final = timedelta(minutes=5)


# ---------------------------------------------------------------------------------------
# numbers and the desk's settings (the settings dialog and the import use the same rules)


def whole_number(value: object, *, field: str, lo: int, hi: int) -> int:
    """An integer in ``lo``…``hi`` (not a bool, not a float, not text)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(field, _("应为整数。"))
    if not lo <= value <= hi:
        raise _fail(field, _("应在 {lo} 到 {hi} 之间。").format(lo=lo, hi=hi))
    return value


IDLE_LOCK_RANGE: Final = (1, 240)


def idle_lock_minutes(value: object, *, field: str = "idle_lock_minutes") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not IDLE_LOCK_RANGE[0] <= value <= IDLE_LOCK_RANGE[1]:
        raise _fail(field, _("自动锁屏时间应在 {lo} 到 {hi} 分钟之间。").format(
            lo=IDLE_LOCK_RANGE[0], hi=IDLE_LOCK_RANGE[1]))
    return value


def label_list(value: object, *, field: str, max_len: int = 30, max_items: int = 200) -> list[str]:
    """A list of short, distinct labels (sources, sub-types)."""
    if not isinstance(value, list) or len(value) > max_items:
        raise _fail(field, _("应为一个文字列表（最多 {n} 项）。").format(n=max_items))
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise _fail(field, _("列表中的每一项都应为文字。"))
        label = text(item, field=field, required=True, max_len=max_len)
        if label in out:
            raise _fail(field, _("“{label}”重复出现。").format(label=label))
        out.append(label)
    return out


def category_tree(value: object, *, field: str) -> dict[str, list[str]]:
    """Dispute categories, each with its sub-types."""
    if not isinstance(value, dict) or not value or len(value) > 200:
        raise _fail(field, _("应为纠纷类别及其子类（至少一个类别）。"))
    out: dict[str, list[str]] = {}
    for name, subs in value.items():
        label = text(name, field=field, required=True, max_len=30)
        out[label] = label_list(subs, field=field)
    return out


# ---------------------------------------------------------------------------------------
# collecting errors across a form


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Store:
    """The messages of one collection, shared by a collector and its prefixed views."""

    def __init__(self, limit: int | None) -> None:
        self.errors: dict[str, str] = {}
        self.limit = limit
        self.dropped = 0


class Collector:
    """Runs several validators and raises one ValidationError naming every bad field.

    ::

        v = Collector()
        name = v.check("name", person_name, raw_name)
        phone_ = v.check("phone", phone, raw_phone, required=False)
        if name and something_else_wrong:
            v.add("name", _("…"))
        v.raise_if_any()

    or ``with collect() as v: ...``, which raises on leaving the block. A failed check
    returns ``None``; only the first message per field is kept. ``prefix`` is put
    before every field name (``"parties.0"`` → ``"parties.0.name"``); :meth:`prefixed`
    gives a view that adds to the same messages under a longer prefix (an import
    names ``cases[3].parties[0]``). With ``limit``, messages past that many are only
    counted (a file with ten thousand bad rows is refused anyway).
    """

    def __init__(self, prefix: str | None = None, *, limit: int | None = None,
                 _store: _Store | None = None) -> None:
        self._prefix = prefix or ""
        self._store = _store if _store is not None else _Store(limit)

    def key(self, field: str) -> str:
        """``field`` as it is reported (with this collector's prefix)."""
        if not self._prefix:
            return field
        if not field:
            return self._prefix
        return f"{self._prefix}{field}" if field.startswith("[") else f"{self._prefix}.{field}"

    def prefixed(self, prefix: str) -> Collector:
        """A view adding its messages here, with ``prefix`` after this collector's own."""
        return Collector(self.key(prefix), _store=self._store)

    def check(self, field: str, validator: Callable[..., T], value: Any, /, *args: Any,
              required: bool | None = None, **kwargs: Any) -> T | None:
        """``validator(value, *args, field=field, **kwargs)``, recording a ValidationError.

        ``required``: None (default) leaves blank values to the validator. False: a
        blank value (None or only spaces) is not validated and comes back as ``""``
        (None for a value that was None and is not text). True: a blank value is an
        error, in the validator's own words if it has some (``请填写姓名。``), else
        ``此项为必填项，请填写。``. Other keywords (``max_len``, ``today``) go to the validator.
        """
        if required is False and _blank(value):
            return "" if isinstance(value, str) else None  # type: ignore[return-value]  # T is str (or None) for the values a blank check can skip
        try:
            result = validator(value, *args, field=field, **kwargs)
        except ValidationError as exc:
            self.merge(exc)
            return None
        if required and _blank(result):
            self.add(field, _("此项为必填项，请填写。"))
            return None
        return result

    def add(self, field: str, message: str) -> None:
        """Record a message for ``field`` found by the caller's own checks."""
        store = self._store
        key = self.key(field)
        if key in store.errors:
            return
        if store.limit is not None and len(store.errors) >= store.limit:
            store.dropped += 1
            return
        store.errors[key] = message

    def merge(self, exc: ValidationError) -> None:
        """Record the messages of ``exc`` (its field names taken as relative to this collector)."""
        for field, message in exc.errors.items():
            self.add(field, message)

    def has(self, field: str) -> bool:
        return self.key(field) in self._store.errors

    @property
    def errors(self) -> Mapping[str, str]:
        return dict(self._store.errors)

    @property
    def has_errors(self) -> bool:
        return bool(self._store.errors)

    @property
    def full(self) -> bool:
        """The limit is reached: further messages are only counted."""
        store = self._store
        return store.limit is not None and len(store.errors) >= store.limit

    def raise_if_any(self, rename: Callable[[str], str] | None = None) -> None:
        """Raise one ValidationError with every message (``rename`` maps the field names)."""
        store = self._store
        if not store.errors:
            return
        items = {(rename(k) if rename else k): m for k, m in store.errors.items()}
        if store.dropped:
            items["…"] = _("另有 {n} 处错误未列出。").format(n=store.dropped)
        raise ValidationError(items)

    def __enter__(self) -> Collector:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(exc, ValidationError):
            self.merge(exc)
            raise ValidationError(dict(self._store.errors)) from exc
        if exc is None:
            self.raise_if_any()


def collect(prefix: str | None = None) -> Collector:
    """A :class:`Collector`, for ``with collect() as v:``."""
    return Collector(prefix)
