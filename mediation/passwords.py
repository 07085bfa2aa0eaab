"""The password policy: what a new password must be, with a Chinese explanation.

One check for every place a password is set (set-up, a new account, a reset by an
administrator, a person changing their own, the dialogs before they save): at least 8
characters with letters and digits, not one of the passwords people here choose most
(our own list, ``mediation/data/weak_passwords.txt``: 5201314, woaini1314, …, which an
English-language estimator does not know), not a name or word in pinyin with a birthday
or a year (zhangwei1990), not containing the user name, and rated "safely
unguessable" by zxcvbn (Dropbox's estimator: dictionary words, keyboard walks,
repetitions, sequences, dates and their leetspeak variants).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from mediation.errors import ValidationError
from mediation.i18n import N_, _

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_SCORE = 3
"""zxcvbn's score (0–4) a password needs: 3 = about 10^10 guesses, beyond an offline
attack on our argon2 hashes and far beyond an online one (which locks out after 5)."""

POLICY = N_("密码至少 8 位，须同时包含字母和数字。不要用常见密码（如 password1、5201314、woaini1314）、"
            "姓名或词语的拼音加生日或年份（如 zhangwei1990）、用户名，也不要用连续、重复或键盘上相邻的字符。"
            "建议用两三个不相关的词加数字和符号，例如“Tiger-Lotus-2026”（请勿照抄）。")
"""What is wanted, in words: shown beside every field where a password is set."""


def policy_text() -> str:
    return _(POLICY)


def _data_lines(name: str) -> list[str]:
    text = resources.files("mediation").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@functools.cache
def common_passwords() -> frozenset[str]:
    return frozenset(line.lower() for line in _data_lines("weak_passwords.txt"))


@functools.cache
def _pinyin() -> frozenset[str]:
    return frozenset(word for line in _data_lines("pinyin_syllables.txt") for word in line.split())


def is_pinyin(letters: str, *, max_syllables: int = 4) -> bool:
    """Whether ``letters`` (lower case) is 1 to ``max_syllables`` pinyin syllables."""
    syllables = _pinyin()

    @functools.cache
    def fits(start: int, left: int) -> bool:
        if start == len(letters):
            return True
        if left == 0:
            return False
        return any(letters[start:end] in syllables and fits(end, left - 1)
                   for end in range(start + 1, min(len(letters), start + 6) + 1))

    return bool(letters) and fits(0, max_syllables)


_LETTERS_DIGITS = re.compile(r"([a-z]+)([0-9]+)|([0-9]+)([a-z]+)")


def is_pinyin_with_number(password: str) -> bool:
    """A name or word in pinyin with digits before or after it (a birthday, a year, 520):
    zhangwei19900101, liuyang1995, 1995liuyang, woaini1314."""
    m = _LETTERS_DIGITS.fullmatch(password.lower())
    if m is None:
        return False
    letters = m.group(1) or m.group(4)
    return is_pinyin(letters)


def _score(password: str, user_inputs: list[str]) -> int:
    from zxcvbn import zxcvbn

    return int(zxcvbn(password, user_inputs=user_inputs)["score"])


def check(password: str, *, username: str = "", field: str = "password") -> None:
    """Raise ValidationError (on ``field``, in Chinese, saying what is wanted) unless
    ``password`` may be used."""

    def refuse(message: str) -> ValidationError:
        return ValidationError(field=field, message=message)

    if len(password) < MIN_LENGTH:
        raise refuse(_("密码至少 8 位。"))
    if len(password) > MAX_LENGTH:
        raise refuse(_("密码不能超过 128 位。"))
    if not any(c.isdigit() for c in password) or not any(c.isalpha() for c in password):
        raise refuse(_("密码须同时包含字母和数字。"))
    lowered = password.lower()
    if lowered in common_passwords():
        raise refuse(_("这是最常见的密码之一（如 password1、5201314、woaini1314），很容易被猜中，请换一个。"))
    name = username.strip().lower()
    if len(name) >= 3 and name in lowered:
        raise refuse(_("密码不能包含用户名。"))
    if is_pinyin_with_number(password):
        raise refuse(_("不要用姓名或词语的拼音加生日、年份或数字（如 zhangwei1990、woaini1314），别人很容易猜到。"))
    if _score(password, [name] if name else []) < MIN_SCORE:
        raise refuse(_("密码太容易被猜中：不要用常见单词加数字，也不要用连续、重复或键盘上相邻的字符。"
                       "可以用两三个不相关的词加数字和符号。"))
