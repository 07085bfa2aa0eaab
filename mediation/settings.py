"""Desk settings kept in the database: their defaults, and how a value is looked up.

A desk's own value wins over the value shared by every desk, which wins over the
built-in default. Changing a setting (with its permission check and audit row) is a
service: ``mediation.services.reference.set_setting``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation.models import Setting

# MoJ statistics categories, with the sub-types campus desks add (DOMAIN §5).
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
    "categories": DEFAULT_CATEGORIES,
    "sources": DEFAULT_SOURCES,
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
