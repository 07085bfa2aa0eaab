"""Editable reference data: dispute categories, sub-types, sources (stored as settings)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation.db import require_write
from mediation.models import Setting
from mediation.permissions import Actor, require
from mediation.services import audit
from mediation.settings import DEFAULT_CATEGORIES, DEFAULT_SOURCES, clean_setting
from mediation.settings import (
    get_setting as get_setting,  # the read every service and window uses
)
from mediation.timeutil import utcnow


def set_setting(session: Session, actor: Actor | None, key: str, value: Any,
                desk_id: int | None = None) -> None:
    require_write(session)
    if actor is not None:
        require(actor, "settings.manage")
    value = clean_setting(key, value)
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
    audit.append(session, desk_id=desk_id, user_id=actor.user_id if actor else None, action="setting.set",
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
    set_setting(session, actor, "idle_lock_minutes", minutes)  # checked by its rule there
