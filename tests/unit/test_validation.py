"""Tests for mediation.validation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediation import validation as v
from mediation.errors import ValidationError

TODAY = date(2026, 1, 15)

# --------------------------------------------------------------------------------------
# helpers independent of the code under test


def check_char(first17: str) -> str:
    """GB 11643-1999 check character, from the definition: weights 2^(17-i) mod 11."""
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17))
    a = (12 - total % 11) % 11
    return "X" if a == 10 else str(a)


def make_id(region: int, birth: date, seq: int) -> str:
    first17 = f"{region:06d}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


def error_of(fn: object, *args: object, **kwargs: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        fn(*args, **kwargs)
    return info.value


regions = st.integers(min_value=110000, max_value=829999)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
seqs = st.integers(min_value=0, max_value=999)
valid_ids = st.builds(make_id, regions, births, seqs)


# --------------------------------------------------------------------------------------
# resident ID


def test_check_char_helper_matches_published_example() -> None:
    # The example printed in GB 11643-1999.
    assert check_char("11010519491231002") == "X"
    assert v.resident_id_check_char("11010519491231002") == "X"


def test_resident_id_accepts_standard_example_and_normalises() -> None:
    assert v.resident_id("11010519491231002X", today=TODAY) == "11010519491231002X"
    assert v.resident_id(" 110105 19491231 002x ", today=TODAY) == "11010519491231002X"
    # Full-width digits typed with a Chinese IME.
    assert v.resident_id("１１０１０５１９４９１２３１００２ｘ", today=TODAY) == "11010519491231002X"


@settings(max_examples=150)
@given(valid_ids)
def test_any_valid_resident_id_round_trips(id_number: str) -> None:
    assert v.resident_id(id_number, today=TODAY) == id_number
    assert v.resident_id(id_number.lower(), today=TODAY) == id_number
    spaced = f"{id_number[:6]} {id_number[6:14]} {id_number[14:]}"
    assert v.resident_id(spaced, today=TODAY) == id_number
    birth = v.birth_date_from_resident_id(id_number)
    assert birth.strftime("%Y%m%d") == id_number[6:14]
    assert v.sex_from_resident_id(id_number) == ("男" if int(id_number[16]) % 2 else "女")


@settings(max_examples=150)
@given(valid_ids, st.sampled_from("0123456789X"))
def test_changing_the_check_char_is_rejected(id_number: str, other: str) -> None:
    if other == id_number[-1]:
        return
    err = error_of(v.resident_id, id_number[:-1] + other, today=TODAY)
    assert err.field == "id_number"
    assert "校验位" in err.errors["id_number"]


@settings(max_examples=100)
@given(valid_ids, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_single_digit_typo_is_rejected(id_number: str, pos: int, delta: int) -> None:
    wrong = str((int(id_number[pos]) + delta) % 10)
    with pytest.raises(ValidationError):
        v.resident_id(id_number[:pos] + wrong + id_number[pos + 1 :], today=TODAY)


def test_resident_id_messages_are_distinct_per_problem() -> None:
    good = make_id(110105, date(1990, 5, 17), 123)
    wrong_length = error_of(v.resident_id, good[:17], today=TODAY).errors["id_number"]
    bad_chars = error_of(v.resident_id, good[:10] + "A" + good[11:], today=TODAY).errors[
        "id_number"
    ]
    bad_date_id = "110105" + "19901301" + "123"
    bad_date = error_of(v.resident_id, bad_date_id + check_char(bad_date_id), today=TODAY).errors[
        "id_number"
    ]
    bad_check = error_of(
        v.resident_id, good[:17] + ("0" if good[17] != "0" else "1"), today=TODAY
    ).errors["id_number"]
    messages = [wrong_length, bad_chars, bad_date, bad_check]
    assert len(set(messages)) == 4
    assert "18" in wrong_length and "17" in wrong_length
    assert "X" in bad_chars
    assert "出生日期" in bad_date
    assert "校验位" in bad_check


@pytest.mark.parametrize(
    "birth_part",
    ["19900230", "19901301", "19900000", "20250229"],  # impossible calendar dates
)
def test_resident_id_rejects_impossible_birth_dates(birth_part: str) -> None:
    first17 = f"110105{birth_part}123"
    err = error_of(v.resident_id, first17 + check_char(first17), today=TODAY)
    assert "出生日期" in err.errors["id_number"]


def test_resident_id_rejects_future_and_pre_1900_births() -> None:
    future = make_id(110105, TODAY + timedelta(days=1), 1)
    assert "晚于今天" in error_of(v.resident_id, future, today=TODAY).errors["id_number"]
    assert v.resident_id(make_id(110105, TODAY, 1), today=TODAY)  # today itself is fine
    # The other example printed in GB 11643: born 1880.
    assert check_char("44052418800101001") == "4"
    old = error_of(v.resident_id, "440524188001010014", today=TODAY).errors["id_number"]
    assert "1900" in old


def test_resident_id_rejects_misplaced_x_empty_and_old_format() -> None:
    assert "X" in error_of(v.resident_id, "1101051949123100X2").errors["id_number"]
    assert "请填写" in error_of(v.resident_id, "   ").errors["id_number"]
    assert "请填写" in error_of(v.resident_id, None).errors["id_number"]
    assert "15位" in error_of(v.resident_id, "110105491231002").errors["id_number"]


def test_resident_id_uses_given_field_and_rejects_non_str() -> None:
    err = error_of(v.resident_id, "123", field="parties.0.id_number")
    assert err.field == "parties.0.id_number"
    with pytest.raises(TypeError):
        v.resident_id(110105194912310020)


def test_messages_never_echo_the_id_number() -> None:
    good = make_id(110105, date(1990, 5, 17), 123)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    message = str(error_of(v.resident_id, bad, today=TODAY))
    assert "校验位" in message and good[:17] not in message


# --------------------------------------------------------------------------------------
# passports and the id_document dispatcher


def test_passport_number() -> None:
    assert v.passport_number(" e1234 5678 ") == "E12345678"
    assert v.passport_number("Ｅ１２３４５６７８") == "E12345678"
    assert "5至20" in error_of(v.passport_number, "E123").errors["id_number"]
    assert "5至20" in error_of(v.passport_number, "E" * 21).errors["id_number"]
    assert "字母和数字" in error_of(v.passport_number, "E1234-5678").errors["id_number"]
    assert error_of(v.passport_number, "", field="pp").field == "pp"


def test_id_document_dispatches_on_type() -> None:
    assert v.id_document("resident_id", "11010519491231002x") == "11010519491231002X"
    assert v.id_document("passport", "g1234567") == "G1234567"
    assert v.id_document("other", "  军官证 第123号 ") == "军官证 第123号"
    assert v.id_document("none", "  ") == ""
    assert v.id_document("none", None) == ""
    assert error_of(v.id_document, "none", "123").field == "id_number"
    assert error_of(v.id_document, "other", "").field == "id_number"
    assert "30" in error_of(v.id_document, "other", "字" * 31).errors["id_number"]
    err = error_of(v.id_document, "driving_licence", "123", type_field="party.id_type")
    assert err.field == "party.id_type"
    assert set(v.ID_TYPES) == {"resident_id", "passport", "other", "none"}


# --------------------------------------------------------------------------------------
# masking


def test_mask_examples() -> None:
    assert v.mask_id_number("110105199001011234") == "110***********1234"
    assert v.mask_id_number("11010519491231002X") == "110***********002X"
    assert v.mask_id_number("") == ""
    assert v.mask_id_number(None) == ""
    assert v.mask_id_number("A") == "*"
    assert v.mask_phone("13800138000") == "138****8000"
    assert v.mask_phone("13812345678") == "138****5678"
    assert v.mask_phone("010-62345678") == "010-****5678"
    assert v.mask_phone("0571-8765432-12") == "0571-***5432-12"


@given(st.text(alphabet="0123456789ABCDEFX", max_size=30))
def test_mask_hides_at_least_half_and_keeps_length(value: str) -> None:
    masked = v.mask_id_number(value)
    assert len(masked) == len(value)
    assert masked.count("*") >= len(value) - len(value) // 2
    if len(value) >= 14:
        assert masked[:3] == value[:3] and masked[-4:] == value[-4:]


# --------------------------------------------------------------------------------------
# phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("86 13800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("19912345678", "19912345678"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("(010) 6234 5678", "010-62345678"),
        ("（010）62345678", "010-62345678"),
        ("010-6234-5678", "010-62345678"),
        ("021-62345678-123", "021-62345678-123"),
        ("010-62345678转123", "010-62345678-123"),
        ("010 62345678 ext. 88", "010-62345678-88"),
        ("0571-8765432", "0571-8765432"),
        ("0571-8765432-12", "0571-8765432-12"),
        ("0571 87654321", "0571-87654321"),
        ("+86 10 62345678", "010-62345678"),
    ],
)
def test_phone_accepts_and_normalises(raw: str, expected: str) -> None:
    assert v.phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "12800138000",  # 12x is not a mobile prefix
        "62345678",  # landline without area code
        "010-623456",  # too short
        "010-623456789",  # too long
        "011-62345678",  # no such area code
        "110",
        "12348",
        "138abc38000",
        "13800138000转12",  # mobiles have no extensions
        "010-62345678-1234567",
    ],
)
def test_phone_rejects(raw: str) -> None:
    message = error_of(v.phone, raw).errors["phone"]
    assert "手机号" in message and "固定电话" in message


def test_phone_empty_and_field() -> None:
    assert "请填写" in error_of(v.phone, " ").errors["phone"]
    assert error_of(v.phone, "1", field="contact").field == "contact"


@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z", fullmatch=True))
def test_any_mobile_round_trips(mobile: str) -> None:
    assert v.phone(mobile) == mobile
    assert v.phone(f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}") == mobile
    assert v.mask_phone(mobile) == mobile[:3] + "****" + mobile[7:]


# --------------------------------------------------------------------------------------
# money

MAX_CENTS = 99_999_999_999
cents = st.integers(min_value=0, max_value=MAX_CENTS)


@settings(max_examples=200)
@given(cents)
def test_money_round_trips_any_amount_with_two_places(c: int) -> None:
    amount = Decimal(c).scaleb(-2)
    result = v.money(amount)
    assert result == amount and result.as_tuple().exponent == -2
    assert v.money(str(amount)) == amount
    assert v.money(f"¥{amount:,}") == amount
    assert v.money(f" {amount:,} 元 ") == amount
    fullwidth = str(amount).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert v.money(fullwidth) == amount
    if c % 100 == 0:
        assert v.money(c // 100) == amount


@settings(max_examples=100)
@given(st.integers(min_value=0, max_value=MAX_CENTS * 10), st.integers(min_value=1, max_value=9))
def test_money_rejects_three_decimal_places(mills: int, last: int) -> None:
    amount = Decimal(mills - mills % 10 + last).scaleb(-3)
    if amount > v.MAX_MONEY:
        return
    assert "两位小数" in error_of(v.money, amount).errors["amount"]
    assert "两位小数" in error_of(v.money, str(amount)).errors["amount"]


@given(st.integers(min_value=1, max_value=MAX_CENTS))
def test_money_rejects_negatives(c: int) -> None:
    amount = -Decimal(c).scaleb(-2)
    assert "负数" in error_of(v.money, amount).errors["amount"]
    assert "负数" in error_of(v.money, str(amount)).errors["amount"]


def test_money_edges() -> None:
    assert v.money("999,999,999.99") == Decimal("999999999.99")
    assert "999,999,999.99" in error_of(v.money, "1,000,000,000").errors["amount"]
    assert "999,999,999.99" in error_of(v.money, Decimal("999999999.991")).errors["amount"]
    assert v.money("0") == Decimal("0.00")
    assert str(v.money("-0")) == "0.00"
    assert v.money("1.500") == Decimal("1.50")  # a trailing zero loses nothing
    assert v.money("2500.") == Decimal("2500.00")
    assert v.money(".5") == Decimal("0.50")
    assert v.money("人民币2,500元") == Decimal("2500.00")
    assert v.money(0.1) == Decimal("0.10")  # via repr, not the binary value
    assert "两位小数" in error_of(v.money, 2.675).errors["amount"]
    assert "逗号" in error_of(v.money, "2,50").errors["amount"]
    assert "请填写" in error_of(v.money, "  ").errors["amount"]
    bad_values: list[str | Decimal | float] = ["abc", "1e3", "1.2.3", "--1", "NaN"]
    bad_values += [Decimal("NaN"), Decimal("Infinity"), float("inf")]
    for bad in bad_values:
        assert "格式" in error_of(v.money, bad).errors["amount"]
    with pytest.raises(TypeError):
        v.money(True)
    assert error_of(v.money, "-1", field="fee").field == "fee"


# --------------------------------------------------------------------------------------
# names


def _cjk_char() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(0x4E00, 0x9FFF),  # basic
        st.integers(0x3400, 0x4DBF),  # Extension A
        st.integers(0x20000, 0x2A6DF),  # Extension B
        st.integers(0x2A700, 0x2B739),  # Extension C
    ).map(chr)


cjk_segment = st.lists(_cjk_char(), min_size=1, max_size=6).map("".join)


@settings(max_examples=100)
@given(st.lists(cjk_segment, min_size=1, max_size=4))
def test_cjk_names_with_middle_dots_are_kept_exactly(segments: list[str]) -> None:
    name = "·".join(segments)
    if len(name) > 50:
        return
    assert v.person_name(name) == name
    assert v.person_name(f"  {name}\u3000") == name
    assert v.person_name("•".join(segments)) == name
    assert v.person_name("．".join(segments)) == name


def test_rare_characters_kept_and_counted_as_code_points() -> None:
    assert v.person_name("刘䶮") == "刘䶮"
    assert v.person_name("𠮷野") == "𠮷野"
    assert v.person_name("王㛃") == "王㛃"
    fifty = "𠮷" * 50  # 100 UTF-16 units, 200 bytes in UTF-8
    assert v.person_name(fifty) == fifty
    message = error_of(v.person_name, fifty + "𠮷").errors["name"]
    assert "50" in message and "51" in message
    assert v.person_name("张三", max_len=2) == "张三"
    assert "name" in error_of(v.person_name, "张三丰", max_len=2).errors


def test_person_name_accepts_other_scripts_and_nfc() -> None:
    assert v.person_name("John O'Neil-Smith") == "John O'Neil-Smith"
    assert v.person_name("Zoe\u0308") == "Zo\u00eb"  # NFC composes the diaeresis
    assert v.person_name("阿依古丽・买买提") == "阿依古丽·买买提"


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ("", "请填写"),
        ("   ", "请填写"),
        ("张三2", "数字"),
        ("张三２", "数字"),
        ("张\t三", "控制字符"),
        ("张\u200b三", "控制字符"),
        ("张三\n", None),  # surrounding whitespace is stripped: accepted
        ("·张三", "间隔号"),
        ("张三·", "间隔号"),
        ("张··三", "间隔号"),
        ("张三@", "符号"),
    ],
)
def test_person_name_rejections(raw: str, needle: str | None) -> None:
    if needle is None:
        assert v.person_name(raw) == raw.strip()
    else:
        assert needle in error_of(v.person_name, raw).errors["name"]


def test_org_name() -> None:
    assert v.org_name(" 北京市第101中学（分校） ") == "北京市第101中学（分校）"
    assert v.org_name("A&B Co., Ltd.") == "A&B Co., Ltd."
    assert "100" in error_of(v.org_name, "校" * 101).errors["org_name"]
    assert v.org_name("校" * 100) == "校" * 100
    assert "汉字或字母" in error_of(v.org_name, "123").errors["org_name"]
    assert "控制字符" in error_of(v.org_name, "学\x00校").errors["org_name"]
    assert error_of(v.org_name, "", field="employer").field == "employer"


# --------------------------------------------------------------------------------------
# free text


def test_text() -> None:
    assert v.text("  事实经过\r\n第二行\r第三行 ", field="facts") == "事实经过\n第二行\n第三行"
    assert v.text("a\tb", field="f") == "a\tb"
    assert v.text("", field="f") == ""
    assert v.text(None, field="f") == ""
    assert error_of(v.text, "  ", field="facts", required=True).field == "facts"
    assert "控制字符" in error_of(v.text, "a\x07b", field="f").errors["f"]
    message = error_of(v.text, "字" * 11, field="f", max_len=10).errors["f"]
    assert "10" in message and "11" in message
    assert v.text("字" * 10, field="f", max_len=10) == "字" * 10


@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Cf")), max_size=200))
def test_text_accepts_printable_text_unchanged_but_trimmed(s: str) -> None:
    import unicodedata

    assert v.text(s, field="f") == unicodedata.normalize("NFC", s).strip()


# --------------------------------------------------------------------------------------
# dates


def test_past_or_today() -> None:
    assert v.past_or_today(TODAY, field="d", today=TODAY) == TODAY
    assert v.past_or_today(date(2000, 1, 1), field="d", today=TODAY) == date(2000, 1, 1)
    err = error_of(v.past_or_today, TODAY + timedelta(days=1), field="occurred_on", today=TODAY)
    assert err.field == "occurred_on" and "2026年1月15日" in err.errors["occurred_on"]
    moment = datetime(2026, 1, 15, 23, 59)
    assert v.past_or_today(moment, field="d", today=TODAY) == moment
    assert v.past_or_today(date.today(), field="d") == date.today()


def test_not_before() -> None:
    opened = date(2025, 10, 9)
    assert v.not_before(opened, opened, field="closed_on") == opened
    err = error_of(v.not_before, date(2025, 10, 8), opened, field="closed_on", other_label="受理日期")
    assert "受理日期" in err.errors["closed_on"] and "2025年10月9日" in err.errors["closed_on"]
    assert "2025年10月9日" in error_of(v.not_before, date(2025, 1, 1), opened, field="x").errors["x"]


# --------------------------------------------------------------------------------------
# collecting


def test_collector_reports_every_field_at_once() -> None:
    c = v.Collector()
    assert c.check("name", v.person_name, "张三") == "张三"
    assert c.check("phone", v.phone, "123") is None
    assert c.check("amount", v.money, "-1") is None
    assert c.check("closed_on", v.not_before, date(2025, 1, 1), date(2025, 2, 1)) is None
    c.add("phone", "second message is ignored")
    assert c.has_errors
    with pytest.raises(ValidationError) as info:
        c.raise_if_any()
    assert list(info.value.errors) == ["phone", "amount", "closed_on"]
    assert "手机号" in info.value.errors["phone"]


def test_collector_clean_run_and_prefix() -> None:
    c = v.Collector()
    c.check("name", v.person_name, "张三")
    c.raise_if_any()  # nothing to raise
    assert not c.has_errors
    p = v.Collector(prefix="parties.1")
    p.check("id_number", v.resident_id, "1")
    assert list(p.errors) == ["parties.1.id_number"]


def test_collect_context_manager() -> None:
    with pytest.raises(ValidationError) as info, v.collect() as c:
        c.check("name", v.person_name, "")
        c.check("amount", v.money, "1.001")
    assert set(info.value.errors) == {"name", "amount"}

    # A ValidationError escaping the block is merged, not lost.
    with pytest.raises(ValidationError) as info, v.collect() as c:
        c.check("name", v.person_name, "")
        v.phone("1", field="phone")
    assert set(info.value.errors) == {"name", "phone"}

    with v.collect() as c:  # no errors: no exception
        c.check("name", v.person_name, "李四")

    with pytest.raises(KeyError), v.collect():  # other exceptions pass through untouched
        raise KeyError("x")


def test_collector_check_honours_required() -> None:
    c = v.Collector()
    # required=False: a blank value is not validated (a phone nobody gave is no error).
    assert c.check("phone", v.phone, "  ", required=False) == ""
    assert c.check("amount", v.money, None, required=False) is None
    assert not c.has_errors
    # required=True: blank is an error, in the validator's words when it has some ...
    assert c.check("name", v.person_name, "", required=True) is None
    assert c.errors["name"] == "请填写姓名。"
    # ... and in the collector's when the validator accepts blank text.
    assert c.check("facts", v.text, "   ", required=True) is None
    assert c.errors["facts"] == "此项为必填项，请填写。"
    # Default (None): the validator decides.
    assert c.check("claims", v.text, "") == ""
    assert c.check("phone2", v.phone, "") is None and "phone2" in c.errors
    assert c.check("note", v.text, "有内容", required=True) == "有内容"
    assert set(c.errors) == {"name", "facts", "phone2"}


def test_collector_check_honours_max_len() -> None:
    c = v.Collector()
    assert c.check("title", v.text, "一二三四五", max_len=5) == "一二三四五"
    assert c.check("place", v.text, "一二三四五六", max_len=5) is None
    assert "最多5个字" in c.errors["place"]
    assert c.check("name", v.person_name, "张" * 11, max_len=10) is None
    assert list(c.errors) == ["place", "name"]


def test_collector_prefixed_views_share_one_set_of_messages() -> None:
    c = v.Collector(limit=3)
    party = c.prefixed("parties.0")
    assert party.check("phone", v.phone, "1") is None
    party.add("name", "缺少姓名")
    c.prefixed("cases[2]").prefixed("parties[1]").add("role", "无效")
    assert party.has("phone") and not c.has("phone")
    assert list(c.errors) == ["parties.0.phone", "parties.0.name", "cases[2].parties[1].role"]
    assert c.full
    c.add("more", "dropped")
    with pytest.raises(ValidationError) as info:
        c.raise_if_any(rename=str.upper)
    assert list(info.value.errors) == ["PARTIES.0.PHONE", "PARTIES.0.NAME", "CASES[2].PARTIES[1].ROLE", "…"]
    assert "1" in info.value.errors["…"]


def test_abolished_region_codes_are_still_valid_cards() -> None:
    """Cards of 宣武区 (110104, merged into 西城区 in 2010) are still carried: no region check."""
    body = "11010419800101123"
    number = body + v.resident_id_check_char(body)
    assert v.resident_id(number) == number


# ---------------------------------------------------------------- issue 11 item 13


@pytest.mark.parametrize("name", ["\u0301", "\u0301\u0302\u0303", "\u200d", "\u200c\u200d", "\u3164", "\u115f\u1160",
                                  "\u2800", "\u0301王"])
def test_names_of_only_invisible_or_combining_characters_are_refused(name: str) -> None:
    with pytest.raises(ValidationError) as exc:
        v.person_name(name)
    assert exc.value.field == "name"


@pytest.mark.parametrize("name", ["Zoe\u0308", "e\u0301mile", "王\ue000", "阿依古丽·买买提", "𠮷田", "䶮",
                                  "می\u200cخواهم"])
def test_names_with_combining_marks_joiners_or_private_use_characters_still_pass(name: str) -> None:
    assert v.person_name(name)


@pytest.mark.parametrize("day", [date(1899, 12, 31), date(1, 1, 1), date(3000, 1, 1), date(9999, 12, 31)])
def test_dates_outside_1900_to_2999_are_refused(day: date) -> None:
    with pytest.raises(ValidationError):
        v.plausible_date(day, field="d")
    with pytest.raises(ValidationError):
        v.past_or_today(day, field="d", today=date(2026, 12, 6))


def test_the_earliest_and_latest_plausible_dates_pass() -> None:
    assert v.plausible_date(date(1900, 1, 1), field="d") == date(1900, 1, 1)
    assert v.plausible_date(date(2999, 12, 31), field="d") == date(2999, 12, 31)
