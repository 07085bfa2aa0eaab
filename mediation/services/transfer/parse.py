"""The export file's values and records as read: typed fields with their paths for messages.

Records refer to desks by number prefix and to accounts by username, never by database
id, so a file moves between databases (SQLite → PostgreSQL too).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import validation
from mediation.i18n import _
from mediation.models import (
    Desk,
    User,
)
from mediation.services.case_records import MAX_ATTACHMENT_BYTES
from mediation.timeutil import local_today
from mediation.validation import Collector

MAX_ERRORS = 200
"""Validation stops collecting after this many messages (the file is refused anyway)."""


def iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()


def money_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def file_ref(value: Any) -> str | None:
    """References inside the file: any JSON string or integer, compared as text."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, str)):
        return str(value)
    return None


def users_by_id(session: Session) -> dict[int, str]:
    return {i: n for i, n in session.execute(select(User.id, User.username))}


def desks_by_id(session: Session) -> dict[int, str]:
    return {i: p for i, p in session.execute(select(Desk.id, Desk.number_prefix))}


T = TypeVar("T")


class Obj:
    """One JSON object being read, with its path for error messages."""

    def __init__(self, raw: Any, path: str, errors: Collector) -> None:
        self.errors = errors.prefixed(path)
        """Messages of this object, under its own field names."""
        self.path = self.errors.key("")
        """Where the object is in the file, e.g. ``cases[3].parties[0]``."""
        if not isinstance(raw, dict):
            errors.add(path or "file", _("应为一个 JSON 对象（{…}）。"))
            raw = {}
        self.raw: dict[str, Any] = raw

    def fail(self, name: str, message: str) -> None:
        self.errors.add(name, message)

    def string(self, name: str, default: str = "") -> str:
        """A text value as given (checked by the caller): ``default`` when missing or null."""
        value = self._raw_str(name)
        return default if value is None else value

    def _raw_str(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(name, _("应为文字。"))
            return None
        return value

    def text(self, name: str, *, max_len: int = 200, required: bool = False) -> str:
        value = self._raw_str(name)
        if value is None:
            if required and self.raw.get(name) is None:
                self.fail(name, _("此项为必填项，请填写。"))
            return ""
        return self.errors.check(name, validation.text, value, required=required, max_len=max_len) or ""

    def opt_text(self, name: str, *, max_len: int = 200) -> str | None:
        """Text that may be null (null and "" stay distinct)."""
        value = self._raw_str(name)
        if value is None:
            return None
        cleaned = self.errors.check(name, validation.text, value, max_len=max_len)
        return cleaned if cleaned is not None else None

    def choice(self, name: str, allowed: Collection[str], *, nullable: bool = False,
               default: str | None = None) -> str | None:
        value = self.raw.get(name, default)
        if value is None:
            if not nullable:
                self.fail(name, _("此项为必填项，请填写。"))
            return None
        if not isinstance(value, str) or value not in allowed:
            self.fail(name, _("取值“{value}”无效，应为：{allowed}。").format(
                value=str(value)[:40], allowed="、".join(sorted(allowed))))
            return None
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, _("应为 true 或 false。"))
            return default
        return value

    def integer(self, name: str, *, lo: int | None = None, hi: int | None = None,
                nullable: bool = True, default: int | None = None) -> int | None:
        value = self.raw.get(name, default)
        if value is None:
            if not nullable:
                self.fail(name, _("此项为必填项，请填写。"))
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, _("应为整数。"))
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.fail(name, _("应在 {lo} 到 {hi} 之间。").format(lo=lo, hi=hi))
            return None
        return value

    def _parsed(self, name: str, parse: Callable[[str], T], message: str, *, required: bool) -> T | None:
        """The text of ``name`` read by ``parse``; ``message`` if it cannot be read."""
        value = self._raw_str(name)
        if value is None:
            if required:
                self.fail(name, _("此项为必填项，请填写。"))
            return None
        try:
            return parse(value)
        except (ValueError, OverflowError):
            self.fail(name, message)
            return None

    def date(self, name: str, *, required: bool = False, past: bool = False) -> dt.date | None:
        day = self._parsed(name, dt.date.fromisoformat, _("日期格式应为 YYYY-MM-DD。"), required=required)
        if day is None:
            return None
        if self.errors.check(name, validation.plausible_date, day) is None:
            return None
        if past and self.errors.check(name, validation.past_or_today, day, today=local_today()) is None:
            return None
        return day

    def datetime(self, name: str, *, required: bool = False, past: bool = False) -> dt.datetime | None:
        when = self._parsed(name, dt.datetime.fromisoformat,
                            _("时间格式应为 ISO 8601，例如 2026-03-01T08:30:00+08:00。"), required=required)
        if when is None:
            return None
        if when.tzinfo is None:
            self.fail(name, _("时间须带时区，例如 2026-03-01T08:30:00+08:00。"))
            return None
        # 0001-01-01 or 9999-12-31T23:59:59-05:00 would overflow in UTC: refused first.
        if self.errors.check(name, validation.plausible_date, when) is None:
            return None
        when = when.astimezone(dt.UTC)
        if past and self.errors.check(name, validation.past_moment, when) is None:
            return None
        return when

    def money(self, name: str) -> Decimal | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(name, _("金额应写成文字，如 \"2500.00\"。"))
            return None
        result: Decimal | None = self.errors.check(name, validation.money, value)
        return result

    def objects(self, name: str, *, required: bool = False) -> list[Obj]:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.fail(name, _("缺少此项。"))
            return []
        if not isinstance(value, list):
            self.fail(name, _("应为一个列表（[…]）。"))
            return []
        return [Obj(item, f"{name}[{i}]", self.errors) for i, item in enumerate(value)]


@dataclass
class Context:
    """What the validators need to know about the target database and the file."""

    desks: set[str]
    """Number prefixes known (target database + file)."""
    usernames: set[str]
    categories: set[str]
    sources: set[str]
    today: dt.date = field(default_factory=local_today)

    def user(self, obj: Obj, name: str) -> str | None:
        value = obj.raw.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or value not in self.usernames:
            obj.fail(name, _("未知的账户“{u}”：文件的 users 中和本数据库中都没有。").format(u=str(value)[:50]))
            return None
        return value

    def desk(self, obj: Obj, name: str = "desk", *, nullable: bool = False) -> str | None:
        value = obj.raw.get(name)
        if value is None:
            if not nullable:
                obj.fail(name, _("请注明调解点（编号前缀）。"))
            return None
        if not isinstance(value, str) or value not in self.desks:
            obj.fail(name, _("未知的调解点“{d}”：文件的 desks 中和本数据库中都没有。").format(d=str(value)[:30]))
            return None
        return value


def binary(obj: Obj, name: str, *, required: bool, limit: int = MAX_ATTACHMENT_BYTES) -> bytes | None:
    raw = obj.raw.get(name)
    if raw is None:
        if required:
            obj.fail(name, _("缺少此项。"))
        return None
    if not isinstance(raw, str):
        obj.fail(name, _("应为 base64 文字。"))
        return None
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        obj.fail(name, _("不是有效的 base64。"))
        return None
    if len(data) > limit:
        obj.fail(name, _("内容超过 50 MB。"))
    return data


def json_dict(obj: Obj, name: str) -> dict[str, Any] | None:
    value = obj.raw.get(name)
    if value is not None and not isinstance(value, dict):
        obj.fail(name, _("应为一个 JSON 对象或 null。"))
        return None
    return value
