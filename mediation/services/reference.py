"""Editable reference data: dispute categories, sub-types, sources (stored as settings)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation.db import require_write
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.models import Setting
from mediation.permissions import Actor, require
from mediation.services import audit
from mediation.timeutil import utcnow

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


def set_setting(session: Session, actor: Actor | None, key: str, value: Any,
                desk_id: int | None = None) -> None:
    require_write(session)
    if actor is not None:
        require(actor, "settings.manage")
    row = session.scalar(select(Setting).where(Setting.key == key, Setting.desk_id.is_(desk_id)
                                               if desk_id is None else Setting.desk_id == desk_id))
    before = row.value if row else None
    if row is None:
        row = Setting(key=key, desk_id=desk_id, value=value)
        session.add(row)
    else:
        row.value = value
        row.updated_at = utcnow()
    session.flush()
    audit.append(session, user_id=actor.user_id if actor else None, action="setting.set",
                 entity="setting", entity_id=row.id,
                 before={"key": key, "value": before}, after={"key": key, "value": value})


def categories(session: Session, desk_id: int | None = None) -> dict[str, list[str]]:
    value = get_setting(session, "categories", desk_id)
    return dict(value) if isinstance(value, dict) else dict(DEFAULT_CATEGORIES)


def sources(session: Session, desk_id: int | None = None) -> list[str]:
    value = get_setting(session, "sources", desk_id)
    return list(value) if isinstance(value, list) else list(DEFAULT_SOURCES)


def is_known_category(session: Session, name: str) -> bool:
    return name in categories(session)


def is_known_source(session: Session, name: str) -> bool:
    return name in sources(session)


def set_idle_lock_minutes(session: Session, actor: Actor, minutes: int) -> None:
    if not 1 <= minutes <= 240:
        raise ValidationError(field="idle_lock_minutes", message=_("自动锁屏时间应在 1 到 240 分钟之间。"))
    set_setting(session, actor, "idle_lock_minutes", minutes)
