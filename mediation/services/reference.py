"""Editable reference data: dispute categories, sub-types, sources (stored as settings)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation.db import require_write
from mediation.errors import PermissionDenied
from mediation.i18n import _
from mediation.models import Setting
from mediation.permissions import Actor, require
from mediation.services import access, audit
from mediation.settings import DEFAULT_CATEGORIES, DEFAULT_SOURCES, clean_setting
from mediation.settings import (
    get_setting as get_setting,  # the read every service and window uses
)
from mediation.timeutil import utcnow


SHARED_KEYS = frozenset({"calendar_version", "calendar_known_years"})
"""Settings of the whole installation that every desk's administrator keeps (the holiday
calendar is one for every desk); every other setting without a desk is changed only by
the installation's administrator."""


def set_setting(session: Session, actor: Actor | None, key: str, value: Any,
                desk_id: int | None = None) -> None:
    """Set ``key`` for ``desk_id`` (None: every desk that has no value of its own).

    ``actor`` None: the program itself (set-up, the calendar's seeding)."""
    require_write(session)
    if actor is not None:
        require(actor, "settings.manage" if key not in SHARED_KEYS else "calendar.manage")
        if desk_id is not None:
            access.check_write(actor, desk_id, Setting, _("您只能修改本调解点的设置。"))
        elif key not in SHARED_KEYS and not actor.writes_every_desk:
            raise PermissionDenied(_("只有全局管理员才能修改所有调解点共用的设置。"))
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
    set_setting(session, actor, "idle_lock_minutes", minutes, actor.desk_id)  # checked by its rule there
