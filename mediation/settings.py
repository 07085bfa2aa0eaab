"""Desk settings kept in the database: their defaults, and how a value is looked up.

A desk's own value wins over the value shared by every desk, which wins over the
built-in default. Changing a setting (with its permission check and audit row) is a
service: ``mediation.services.reference.set_setting``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import validation, workflow
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.models import Setting

# MoJ statistics categories, with the sub-types campus desks add (DOMAIN §5): what a new
# desk's lists start from (``services.reference.seed_desk``; then the administrator edits them).
DEFAULT_CATEGORIES: dict[str, list[str]] = {
    "婚姻家庭": [],
    "邻里": ["噪音", "宿舍"],
    "房屋宅基地": ["租房"],
    "合同": ["租房", "借贷", "网购/消费", "兼职/实习"],
    "生产经营": [],
    "损害赔偿": ["财物损坏", "人身损害"],
    "山林土地": [],
    "征地拆迁": [],
    "环境污染": [],
    "劳动争议": ["兼职/实习"],
    "医疗": [],
    "物业": [],
    "道路交通事故": ["电动车/自行车"],
    "消费": ["网购/消费"],
    "其他": ["宿舍", "借贷"],
}
DEFAULT_SOURCES: list[str] = [
    "当事人申请", "主动排查", "派出所移交", "学校转交", "法院/其他部门委托", "110警情转交",
]
DEFAULT_SETTINGS: dict[str, Any] = {
    "idle_lock_minutes": 10,
    "retention_years": 10,
    # The volunteer roster (issue 16): rules a desk may change.
    # Pre-duty training (岗前培训) a volunteer needs before their first shift.
    "roster_training_hours": 8,
    # 办案 time credited per record the volunteer made (never typed by hand).
    "roster_case_minutes": {"session": 60, "investigation": 45, "follow_up": 20},
    # A check-in this long after the start is not yet "late" (the time counts from the check-in all the same).
    "roster_late_grace_minutes": 5,
    # Logging in this long before a shift checks in to it (the time counts from its start).
    "roster_check_in_early_minutes": 30,
}


def get_setting(session: Session, key: str, desk_id: int | None = None) -> Any:
    """A desk's value, else the global value, else the built-in default."""
    rows = session.execute(
        select(Setting.desk_id, Setting.value).where(Setting.key == key)
        .where((Setting.desk_id == desk_id) | (Setting.desk_id.is_(None)))
    ).all()
    by_desk = {d: v for d, v in rows}
    if desk_id is not None and desk_id in by_desk:
        return by_desk[desk_id]
    if None in by_desk:
        return by_desk[None]
    return DEFAULT_SETTINGS.get(key)


# ---------------------------------------------------------------- the rule of each setting


def _words(value: Any, *, field: str, max_len: int = 100) -> str:
    if not isinstance(value, str):
        raise ValidationError(field=field, message=_("应为文字。"))
    return validation.text(value, field=field, max_len=max_len)


def _years(value: Any, *, field: str) -> list[int]:
    if not isinstance(value, list) or len(value) > 1000:
        raise ValidationError(field=field, message=_("应为年份的列表。"))
    return sorted({validation.whole_number(y, field=field, lo=1949, hi=validation.LATEST_YEAR) for y in value})


def _deadline_rules(value: Any, *, field: str) -> list[dict[str, Any]]:
    bad = ValidationError(field=field, message=_("期限规则的写法不对。"))
    if not isinstance(value, list) or not value:
        raise bad
    rules = []
    for item in value:
        if not isinstance(item, dict) or item.get("track") not in workflow.TRACKS \
                or item.get("stage") not in workflow.STAGES \
                or item.get("unit") not in ("working_days", "calendar_days"):
            raise bad
        validation.whole_number(item.get("amount"), field=field, lo=1, hi=3650)
        try:
            rules.append(workflow.DeadlineRule(**item))
        except TypeError:
            raise bad from None
    return workflow.rules_to_data(tuple(rules))


def _server_backup(value: Any, *, field: str) -> dict[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("at"), str):
        raise ValidationError(field=field, message=_("应为服务器备份的时间和说明。"))
    try:
        at = dt.datetime.fromisoformat(value["at"])
    except ValueError:
        raise ValidationError(field=field, message=_("时间格式应为 ISO 8601。")) from None
    if at.tzinfo is None:
        raise ValidationError(field=field, message=_("时间须带时区。"))
    validation.past_moment(at, field=field)
    return {"at": value["at"], "note": _words(value.get("note") or "", field=field, max_len=200)}


def _practice_mark(value: Any, *, field: str) -> bool:
    """The mark of a practice database (mediation.practice): set once, to true."""
    if value is not True:
        raise ValidationError(field=field, message=_("练习数据库标记只能为 true。"))
    return True


def _duty_hours(value: Any, *, field: str) -> dict[str, str]:
    """``{"start": "08:00", "end": "20:00"}``: the desk's duty hours on working days (the
    audit viewer flags activity outside them)."""
    bad = ValidationError(field=field, message=_("值班时间应写成 {\"start\": \"08:00\", \"end\": \"20:00\"}，开始早于结束。"))
    if not isinstance(value, dict):
        raise bad
    try:
        start, end = dt.time.fromisoformat(str(value["start"])), dt.time.fromisoformat(str(value["end"]))
    except (KeyError, ValueError):
        raise bad from None
    if not start < end:
        raise bad
    return {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}


SETTING_RULES: dict[str, Callable[..., Any]] = {
    "categories": validation.category_tree,
    "sources": validation.label_list,
    "idle_lock_minutes": validation.idle_lock_minutes,
    "retention_years": lambda v, *, field: validation.whole_number(v, field=field, lo=1, hi=100),
    "police_unit": _words,
    "deadline_rules": _deadline_rules,
    "calendar_version": lambda v, *, field: validation.whole_number(v, field=field, lo=0, hi=2**31 - 1),
    "calendar_known_years": _years,
    "server_backup": _server_backup,
    "practice_database": _practice_mark,
    "duty_hours": _duty_hours,
}
"""Every setting the desk keeps, with the rule its value must follow: the same rule for the
settings dialog, the services and the import (issue 11 item 12)."""


def clean_setting(key: str, value: Any, *, field: str | None = None) -> Any:
    """``value`` for setting ``key`` as its rule normalises it; ValidationError (on ``field``,
    default the key) for an unknown key or a value the rule refuses."""
    name = field or key
    rule = SETTING_RULES.get(key)
    if rule is None:
        raise ValidationError(field=name, message=_("未知的设置项“{key}”。").format(key=key[:80]))
    return rule(value, field=name)
