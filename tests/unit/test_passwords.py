"""The password policy (issue 11 item 6): the common weak passwords, the Chinese favourites
an English estimator does not know, pinyin names with birthdays, explained in Chinese."""

from __future__ import annotations

import pytest

from mediation import passwords
from mediation.errors import ValidationError


@pytest.mark.parametrize("weak", [
    "password1", "abcdefg1", "11111111a", "5201314a", "woaini1314", "Woaini1314", "1qaz2wsx", "qwer1234",
    "admin1234", "a12345678",
    # not on our list: caught as a name or word in pinyin with a date or number
    "zhangwei19900101", "liuyang1995", "1995liuyang", "wangfang0812", "Chenjing88", "xiaoming2003",
    # nor there: caught by the estimator (a word and a year, a keyboard walk, a repetition)
    "pass1234", "monkey2024", "asdfgh123", "abcabc123",
])
def test_weak_passwords_are_refused_with_a_chinese_explanation(weak: str) -> None:
    with pytest.raises(ValidationError) as exc:
        passwords.check(weak)
    message = exc.value.errors["password"]
    assert message and all(ord(c) < 0x3000 or "\u4e00" <= c <= "\u9fff" or c in "，。（）、：“”" for c in message)
    assert any("\u4e00" <= c <= "\u9fff" for c in message)


@pytest.mark.parametrize("strong", ["Tiger-Lotus-2026", "Harbor-Maple-2718", "Xk9#mQ2vLp", "Mediator2026!"])
def test_strong_passwords_pass(strong: str) -> None:
    passwords.check(strong, username="li")


def test_the_user_name_is_not_a_password_and_the_field_is_named() -> None:
    with pytest.raises(ValidationError) as exc:
        passwords.check("Zhouyu-Tiger-2026", username="zhouyu", field="new_password")
    assert "用户名" in exc.value.errors["new_password"]


def test_the_lists_are_package_data_and_the_explanation_names_the_favourites() -> None:
    assert {"5201314", "woaini1314", "password1", "11111111a"} <= passwords.common_passwords()
    assert passwords.is_pinyin("zhangwei") and passwords.is_pinyin("woaini") and not passwords.is_pinyin("tiger")
    text = passwords.policy_text()
    assert "8" in text and "5201314" in text and "拼音" in text
