"""Form input as people type it, at the edges where a wrong rule would let bad input in
or turn good input away (issue 17). Known answers written by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from mediation import validation as v
from mediation.errors import ValidationError

TODAY = date(2026, 1, 15)


def message(fn: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(ValidationError) as info:
        fn(*args, **kwargs)  # type: ignore[operator]
    (text,) = info.value.errors.values()
    return text


# ---------------------------------------------------------------- ID numbers


@pytest.mark.parametrize("typed", ["11010519491231002X", "11010519491231002x", " 110105 19491231 002x"])
def test_the_standards_example_id_with_x_in_either_case(typed: str) -> None:
    assert v.resident_id(typed, today=TODAY) == "11010519491231002X"
    assert v.birth_date_from_resident_id(typed, today=TODAY) == date(1949, 12, 31)
    assert v.sex_from_resident_id(typed, today=TODAY) == "女"  # 17th digit 2: even


def test_sex_comes_from_the_seventeenth_digit() -> None:
    body = "11010520000101001"  # 17th digit 1: odd
    assert v.sex_from_resident_id(body + v.resident_id_check_char(body), today=TODAY) == "男"


@pytest.mark.parametrize("typed", ["1101051949123100X2", "X1010519491231002X", "11010519491231002Y", "11010519491231002-"])
def test_an_x_anywhere_but_last_or_another_letter_is_refused(typed: str) -> None:
    assert "最后一位可以是字母X" in message(v.resident_id, typed, today=TODAY)


def test_a_birth_on_today_passes_and_tomorrow_does_not() -> None:
    body = "11010520260115001"
    number = body + v.resident_id_check_char(body)
    assert v.resident_id(number, today=TODAY) == number
    body = "11010520260116001"
    assert "晚于今天" in message(v.resident_id, body + v.resident_id_check_char(body), today=TODAY)
    body = "11010518991231001"
    assert "早于1900年" in message(v.resident_id, body + v.resident_id_check_char(body), today=TODAY)
    body = "11010519000101001"
    assert v.resident_id(body + v.resident_id_check_char(body), today=TODAY).startswith("110105190001")


def test_a_fifteen_digit_old_number_is_named_as_such_and_other_lengths_counted() -> None:
    assert "15位的旧身份证号码" in message(v.resident_id, "110105491231002", today=TODAY)
    assert "当前为17位" in message(v.resident_id, "11010519491231002", today=TODAY)
    assert "当前为15位" in message(v.resident_id, "11010549123100X", today=TODAY)


def test_check_character_needs_seventeen_ascii_digits() -> None:
    for bad in ("1101051949123100", "110105194912310021", "１１０１０５１９４９１２３１００２", "1101051949123100a"):
        with pytest.raises(ValueError):
            v.resident_id_check_char(bad)


# ---------------------------------------------------------------- passports and other documents


@pytest.mark.parametrize("typed", ["E1234", "e1234", "E1234567890123456789", "ｅ１２３４５"])
def test_passports_of_five_to_twenty_letters_and_digits(typed: str) -> None:
    assert v.passport_number(typed) == v.passport_number(typed).upper()
    assert 5 <= len(v.passport_number(typed)) <= 20


@pytest.mark.parametrize(("typed", "length"), [("E123", 4), ("E12345678901234567890", 21)])
def test_passports_shorter_or_longer_are_refused_with_their_length(typed: str, length: int) -> None:
    assert f"当前为{length}位" in message(v.passport_number, typed)


def test_passport_with_a_symbol_or_empty() -> None:
    assert "字母和数字" in message(v.passport_number, "E123-456")
    assert "请填写护照号码" in message(v.passport_number, "  ")


def test_documents_by_type() -> None:
    assert v.id_document("resident_id", "11010519491231002x", today=TODAY) == "11010519491231002X"
    assert v.id_document("passport", "e12345") == "E12345"
    assert v.id_document("other", " 港澳通行证 C12345678 ") == "港澳通行证 C12345678"
    assert v.id_document("none", "  ") == ""
    with pytest.raises(ValidationError) as info:
        v.id_document("other", "一行\n两行", field="doc")
    assert info.value.field == "doc"
    with pytest.raises(ValidationError) as info:
        v.id_document("other", "x" * 31)
    with pytest.raises(ValidationError) as info:
        v.id_document("none", "123")
    with pytest.raises(ValidationError) as info:
        v.id_document("driver", "123", type_field="kind")
    assert info.value.field == "kind"


# ---------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0311-87654321", "0311-87654321"),  # 石家庄
        ("0512-6543210", "0512-6543210"),  # 苏州, seven digits
        ("043187654321", "0431-87654321"),  # 长春, typed without the dash
        ("020-87654321", "020-87654321"),  # 广州
        ("029 8765 4321", "029-87654321"),  # 西安
        ("0898-66123456", "0898-66123456"),  # 海口
        ("+86 571 87654321", "0571-87654321"),
        ("8613800138000", "13800138000"),
        ("0571-87654321 分机 8", "0571-87654321-8"),
        ("0571-87654321#123456", "0571-87654321-123456"),
        ("0571-87654321 x12", "0571-87654321-12"),
    ],
)
def test_landlines_of_every_area_code_shape(typed: str, stored: str) -> None:
    assert v.phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["0211-8765432-1", "0311-07654321", "0100-62345678", "001-62345678", "0311-876543", "0-87654321",
     "0311-8765432-1-2", "13800138000x12"],
)
def test_phones_that_cannot_be_dialled_are_refused(typed: str) -> None:
    assert "电话号码格式不正确" in message(v.phone, typed)


def test_masked_numbers_keep_area_code_and_last_four() -> None:
    assert v.mask_phone("0311-87654321") == "0311-****4321"
    assert v.mask_phone("0512-6543210-88") == "0512-***3210-88"
    # Short values hide at least half, giving up the head first, then the tail, in turn.
    assert v.mask_phone("12345") == "***45"
    assert v.mask_id_number("E1234567") == "E****567"
    assert v.mask_id_number("123456789") == "1*****789"


# ---------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("¥2,500.00", "2500.00"), ("￥1,234,567.8", "1234567.80"), ("人民币 300 元", "300.00"), ("RMB 5", "5.00"),
     ("cny12.5", "12.50"), (".5", "0.50"), ("999999999.99", "999999999.99"), ("−0", "0.00"), ("0", "0.00")],
)
def test_amounts_as_typed(typed: str, amount: str) -> None:
    assert v.money(typed) == Decimal(amount)
    assert str(v.money(typed)) == amount


def test_amount_limits_and_kinds() -> None:
    assert "999,999,999.99" in message(v.money, "1000000000")
    assert "999,999,999.99" in message(v.money, Decimal("999999999.991").quantize(Decimal("0.001")))
    assert "千位分隔符" in message(v.money, "2,50")
    assert "负数" in message(v.money, -1)
    assert "两位小数" in message(v.money, 2.675)
    assert v.money(0.1) == Decimal("0.10") and v.money(7) == Decimal("7.00")
    assert v.money(Decimal("3.5")) == Decimal("3.50")
    assert "格式" in message(v.money, Decimal("NaN"))
    assert "请填写金额" in message(v.money, None)
    with pytest.raises(TypeError):
        v.money([1])  # type: ignore[arg-type]


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    "typed",
    ["Anne-Marie2", "O'Brien$", "阿依古丽·买买提3", "阿依古丽·买买提@", "J. R.R.%", "D’Angelo#", "Anne-Marie\x07"],
)
def test_after_a_hyphen_apostrophe_dot_or_middle_dot_the_rest_is_still_checked(typed: str) -> None:
    with pytest.raises(ValidationError):
        v.person_name(typed)


@pytest.mark.parametrize("typed", ["Anne-Marie", "O'Brien", "D’Angelo", "J. R. Smith", "阿依古丽·买买提", "Mary Jane"])
def test_names_with_their_punctuation(typed: str) -> None:
    assert v.person_name(typed) == typed


@pytest.mark.parametrize("typed", ["阿依古丽•买买提", "阿依古丽．买买提", "阿依古丽・买买提", "阿依古丽･买买提", "阿依古丽‧买买提",
                                   "阿依古丽∙买买提", "阿依古丽⋅买买提"])
def test_look_alike_dots_become_the_middle_dot(typed: str) -> None:
    assert v.person_name(typed) == "阿依古丽·买买提"


@pytest.mark.parametrize("typed", ["·买买提", "阿依古丽·", "阿依古丽··买买提"])
def test_a_middle_dot_only_between_two_names(typed: str) -> None:
    assert "间隔号" in message(v.person_name, typed)


def test_names_refuse_digits_symbols_and_controls_with_their_own_message() -> None:
    assert "数字" in message(v.person_name, "张3")
    assert "数字" in message(v.person_name, "张３")
    assert "“$”" in message(v.person_name, "张$")
    assert "控制字符" in message(v.person_name, "张\u200b三")
    assert "请填写姓名" in message(v.person_name, " \u3000 ")
    assert "最多4个字" in message(v.person_name, "欧阳娜娜娜", max_len=4)
    assert v.person_name("欧阳娜娜", max_len=4) == "欧阳娜娜"


@pytest.mark.parametrize("typed", ["\U0002b739\U0002b739", "\U00031350\U00031351", "\U0002ebf0"])
def test_names_written_only_in_characters_newer_than_pythons_unicode_are_kept(typed: str) -> None:
    """CJK Ext C's last character (Unicode 15), Ext H (U+31350…) and Ext I (U+2EBF0…):
    Python 3.11 does not know them yet; they print, and are a name's whole text."""
    assert v.person_name(typed) == typed


def test_unassigned_code_points_outside_the_ideograph_planes_are_not_a_visible_name() -> None:
    with pytest.raises(ValidationError):
        v.person_name("\U000e0080")  # plane 14, unassigned: nothing prints


def test_organisation_names() -> None:
    assert v.org_name(" 某某市第1中学（本部） ") == "某某市第1中学（本部）"
    assert "至少应包含一个汉字或字母" in message(v.org_name, "123（）")
    assert "控制字符" in message(v.org_name, "某公司\x00")
    assert "最多5个字" in message(v.org_name, "某某某有限公司", max_len=5)
    assert v.org_name("某某有限公司", max_len=6) == "某某有限公司"
    assert "请填写单位名称" in message(v.org_name, "")


def test_free_text() -> None:
    assert v.text(" 第一行\r\n第二行\r第三行\t ", field="f") == "第一行\n第二行\n第三行"
    assert v.text("  ", field="f") == ""
    assert v.text(None, field="f") == ""
    assert "必填" in message(v.text, " ", field="f", required=True)
    assert "控制字符" in message(v.text, "a\x0bb", field="f")
    assert "最多3个字" in message(v.text, "一二三四", field="f", max_len=3)
    assert v.text("一二三", field="f", max_len=3) == "一二三"
    with pytest.raises(TypeError):
        v.text(5, field="f")  # type: ignore[arg-type]


# ---------------------------------------------------------------- dates and moments


def test_dates_against_today_and_each_other() -> None:
    assert v.past_or_today(TODAY, field="d", today=TODAY) == TODAY
    assert "2026年1月15日" in message(v.past_or_today, TODAY + timedelta(days=1), field="d", today=TODAY)
    assert v.past_or_today(datetime(2026, 1, 15, 23, 59), field="d", today=TODAY)
    assert v.not_before(TODAY, TODAY, field="d") == TODAY
    assert message(v.not_before, date(2026, 1, 14), TODAY, field="d", other_label="受理日期") == \
        "日期不能早于受理日期（2026年1月15日）。"
    assert message(v.not_before, date(2026, 1, 14), datetime(2026, 1, 15, 8), field="d") == "日期不能早于2026年1月15日。"


def test_a_moment_may_be_five_minutes_ahead_of_this_clock_but_not_more() -> None:
    now = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
    assert v.past_moment(now + timedelta(minutes=5), field="t", now=now)
    assert "晚于现在" in message(v.past_moment, now + timedelta(minutes=5, seconds=1), field="t", now=now)
    assert "时区" in message(v.past_moment, datetime(2026, 1, 15, 8, 0), field="t", now=now)
    assert "1900" in message(v.past_moment, datetime(1899, 12, 31, tzinfo=UTC), field="t", now=now)


# ---------------------------------------------------------------- settings


def test_whole_numbers_and_idle_lock() -> None:
    assert v.whole_number(1, field="n", lo=1, hi=3) == 1 and v.whole_number(3, field="n", lo=1, hi=3) == 3
    for bad in (0, 4, True, 2.0, "2"):
        with pytest.raises(ValidationError):
            v.whole_number(bad, field="n", lo=1, hi=3)
    assert v.idle_lock_minutes(1) == 1 and v.idle_lock_minutes(240) == 240
    for bad in (0, 241, True, "5", 5.0):
        assert "1 到 240" in message(v.idle_lock_minutes, bad)


def test_label_lists_and_category_trees() -> None:
    assert v.label_list([" 来访 ", "来电"], field="f") == ["来访", "来电"]
    assert "重复" in message(v.label_list, ["来访", " 来访"], field="f")
    assert "每一项都应为文字" in message(v.label_list, ["来访", 3], field="f")
    assert "最多 2 项" in message(v.label_list, ["a", "b", "c"], field="f", max_items=2)
    assert v.label_list(["a", "b"], field="f", max_items=2) == ["a", "b"]
    assert "最多3个字" in message(v.label_list, ["一二三四"], field="f", max_len=3)
    assert v.category_tree({" 合同 ": ["租房", "买卖"]}, field="c") == {"合同": ["租房", "买卖"]}
    for bad in ({}, [], {"x" * 31: []}, {str(i): [] for i in range(201)}):
        with pytest.raises(ValidationError):
            v.category_tree(bad, field="c")


# ---------------------------------------------------------------- collecting errors


def test_a_collector_with_a_limit_counts_what_it_drops() -> None:
    c = v.Collector(limit=2)
    assert not c.full
    c.add("a", "1")
    c.add("a", "again")
    assert not c.full
    c.add("b", "2")
    assert c.full
    c.add("c", "3")
    c.add("d", "4")
    with pytest.raises(ValidationError) as info:
        c.raise_if_any()
    assert info.value.errors == {"a": "1", "b": "2", "…": "另有 2 处错误未列出。"}


def test_collector_keys_and_required_for_non_text() -> None:
    c = v.Collector("cases[3]")
    assert c.key("") == "cases[3]" and c.key("[0]") == "cases[3][0]" and c.key("name") == "cases[3].name"
    assert v.Collector().key("name") == "name"
    # A blank value that is not text and not None comes back as None when not required.
    assert c.check("n", v.whole_number, "  ", required=False, lo=1, hi=2) == ""
    assert c.check("n", v.whole_number, None, required=False, lo=1, hi=2) is None
    assert c.check("n", v.whole_number, 2, required=True, lo=1, hi=2) == 2
    assert not c.has_errors
    assert c.check("n", v.whole_number, 5, lo=1, hi=2) is None and c.has("n")


def test_label_lists_refuse_blank_labels_and_keep_their_default_limits() -> None:
    assert "必填" in message(v.label_list, ["来访", "  "], field="sources")
    assert v.label_list(["一" * 30], field="f") == ["一" * 30]
    assert "最多30个字" in message(v.label_list, ["一" * 31], field="f")
    many = [f"来源{i}" for i in range(200)]
    assert v.label_list(many, field="f") == many
    assert "最多 200 项" in message(v.label_list, [*many, "再一个"], field="f")
    assert message(v.label_list, ["来访", "来访"], field="f") == "“来访”重复出现。"


def test_category_trees_refuse_blank_names_and_report_under_their_field() -> None:
    assert "必填" in message(v.category_tree, {" ": ["租房"]}, field="categories")
    with pytest.raises(ValidationError) as info:
        v.category_tree({"合同": ["租房", "租房"]}, field="categories")
    assert info.value.field == "categories"
    hundreds = {f"类别{i}": [] for i in range(200)}
    assert v.category_tree(hundreds, field="c") == hundreds


def test_collect_with_a_prefix_reports_under_it() -> None:
    with pytest.raises(ValidationError) as info, v.collect("parties.0") as c:
        c.check("name", v.person_name, "")
    assert list(info.value.errors) == ["parties.0.name"]


def test_a_document_number_is_checked_for_its_type_on_the_day_and_under_the_field_given() -> None:
    body = "11010520260601002"  # born 1 June 2026
    later = body + v.resident_id_check_char(body)
    with pytest.raises(ValidationError) as info:
        v.id_document("resident_id", later, field="parties.0.id_number", today=date(2026, 3, 10))
    assert info.value.field == "parties.0.id_number" and "晚于今天" in info.value.errors["parties.0.id_number"]
    assert v.id_document("resident_id", later, today=date(2026, 6, 1)) == later
    with pytest.raises(ValidationError) as info:
        v.id_document("passport", "E1", field="parties.1.id_number")
    assert info.value.field == "parties.1.id_number"
    with pytest.raises(ValidationError) as info:
        v.id_document("driver", "E12345")
    assert info.value.field == "id_type"
    assert "一行" in message(v.id_document, "other", "港澳\t通行证")


def test_long_organisation_names_and_late_dates_say_how_long_and_which_limit() -> None:
    assert message(v.org_name, "某" * 101) == "单位名称过长：最多100个字，当前101个字。"
    assert message(v.plausible_date, date(3000, 1, 1), field="d") == "日期不合理（年份超过2999），请核对。"


def test_an_optional_field_that_was_filled_in_is_still_checked() -> None:
    c = v.Collector()
    assert c.check("phone", v.phone, "12345", required=False) is None
    assert "手机号" in c.errors["phone"]
    assert c.check("mobile", v.phone, "13800138000", required=False) == "13800138000"


def test_default_limits_and_field_names_of_the_settings_validators() -> None:
    assert v.text("字" * 2000, field="facts") == "字" * 2000
    assert "最多2000个字" in message(v.text, "字" * 2001, field="facts")
    with pytest.raises(ValidationError) as info:
        v.idle_lock_minutes(0)
    assert info.value.field == "idle_lock_minutes"
    assert message(v.whole_number, 4, field="n", lo=1, hi=3) == "应在 1 到 3 之间。"


def test_names_in_private_use_or_letter_like_numbers_are_visible() -> None:
    # Older systems put rare name characters in the private-use area; 〇 (U+3007) is a letter-like number.
    assert v.person_name("\ue000\ue001") == "\ue000\ue001"
    assert v.person_name("〇") == "〇"
    assert v.person_name("李〇") == "李〇"


def test_birth_date_and_sex_from_an_id_number_on_the_day_and_under_the_field_given() -> None:
    body = "11010520260601001"  # born 1 June 2026, 17th digit odd
    later = body + v.resident_id_check_char(body)
    for fn in (v.birth_date_from_resident_id, v.sex_from_resident_id):
        with pytest.raises(ValidationError) as info:
            fn(later, field="parties.2.id_number", today=date(2026, 3, 10))
        assert info.value.field == "parties.2.id_number"
        with pytest.raises(ValidationError) as info:
            fn("123")
        assert info.value.field == "id_number"
    assert v.birth_date_from_resident_id(later, today=date(2026, 6, 1)) == date(2026, 6, 1)
    assert v.sex_from_resident_id(later, today=date(2026, 6, 1)) == "男"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("+86-10-62345678-12", "010-62345678-12"), ("+86 10-62345678-12", "010-62345678-12"),
     ("+86 010 62345678", "010-62345678"), ("0571-87654321-123456", "0571-87654321-123456")],
)
def test_numbers_dialled_from_abroad_and_six_digit_extensions(typed: str, stored: str) -> None:
    assert v.phone(typed) == stored


@pytest.mark.parametrize("typed", ["0213800138000", "1062345678", "2162345678"])
def test_a_mobile_behind_an_area_code_or_an_area_code_without_its_zero_is_refused(typed: str) -> None:
    assert "电话号码格式不正确" in message(v.phone, typed)


def test_a_lone_surrogate_is_an_invisible_control_character() -> None:
    assert "控制字符" in message(v.text, "a\ud800b", field="f")
    assert "控制字符" in message(v.person_name, "张\udc00")


def test_numbers_of_no_known_shape_keep_three_in_front_and_four_behind() -> None:
    assert v.mask_phone("+12125550100") == "+1******0100"
    assert v.mask_phone("12345678") == "1****678"
    assert v.mask_phone("+44 20 7946 0123 45") == "+44************3 45"  # long enough: 3 and 4 kept whole
