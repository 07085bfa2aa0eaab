"""Append to and verify the hash-chained audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation.db import require_write
from mediation.models import AuditHead, AuditLog
from mediation.timeutil import utcnow

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    """Turn model values into JSON-safe ones (Decimal → str, dates → ISO)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return value


def _digest(row_id: int, at: dt.datetime, user_id: int | None, action: str, entity: str,
            entity_id: int | None, case_id: int | None, before: Any, after: Any,
            prev_hash: str) -> str:
    payload = json.dumps(
        [row_id, at.astimezone(dt.UTC).isoformat(), user_id, action, entity,
         entity_id, case_id, before, after, prev_hash],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(
    session: Session,
    *,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None = None,
    case_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> int:
    """Append one audit row in the caller's transaction; returns its id.

    The head row is locked (``FOR UPDATE``) so concurrent writers on PostgreSQL
    chain one after another; SQLite writers are already serialised.
    """
    require_write(session)
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, last_id=0, last_hash=GENESIS)
        session.add(head)
        session.flush()
    row_id = head.last_id + 1
    at = utcnow()
    before_j = jsonable(before) if before is not None else None
    after_j = jsonable(after) if after is not None else None
    digest = _digest(row_id, at, user_id, action, entity, entity_id, case_id,
                     before_j, after_j, head.last_hash)
    session.add(AuditLog(
        id=row_id, at=at, user_id=user_id, action=action, entity=entity,
        entity_id=entity_id, case_id=case_id, before=before_j, after=after_j,
        prev_hash=head.last_hash, hash=digest,
    ))
    head.last_id = row_id
    head.last_hash = digest
    session.flush()
    return row_id


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def verify(session: Session, *, batch: int = 5000) -> VerifyResult:
    """Walk the chain; the first row whose hash, link or id does not fit is named."""
    expected_prev = GENESIS
    expected_id = 1
    checked = 0
    last_id = 0
    while True:
        rows = session.execute(
            select(AuditLog).where(AuditLog.id > last_id).order_by(AuditLog.id).limit(batch)
        ).scalars().all()
        if not rows:
            break
        for row in rows:
            if row.id != expected_id:
                return VerifyResult(False, checked, expected_id,
                                    f"row {expected_id} is missing (next is {row.id})")
            if row.prev_hash != expected_prev:
                return VerifyResult(False, checked, row.id, "link to previous row broken")
            digest = _digest(row.id, row.at, row.user_id, row.action, row.entity,
                             row.entity_id, row.case_id, row.before, row.after, row.prev_hash)
            if digest != row.hash:
                return VerifyResult(False, checked, row.id, "row content does not match its hash")
            expected_prev = row.hash
            expected_id += 1
            checked += 1
            last_id = row.id
        session.expunge_all()
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_id != checked or head.last_hash != expected_prev):
        return VerifyResult(False, checked, checked + 1 if head.last_id > checked else checked,
                            "rows at the end were removed")
    return VerifyResult(True, checked)
