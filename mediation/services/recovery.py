"""The recovery sheet of a desk: its backup passphrase, audit keys and checkpoints on paper."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import keys
from mediation.db import require_write
from mediation.documents import recovery_sheet
from mediation.models import Desk
from mediation.permissions import Actor, require
from mediation.services import audit
from mediation.timeutil import fmt_local, utcnow


def recovery_sheet_pdf(session: Session, actor: Actor) -> bytes:
    """The sheet as PDF (administrators); printing it is recorded in the audit trail."""
    require_write(session)
    require(actor, "backup.run")
    kf = keys.ensure()
    desk_name = ""
    if actor.desk_id is not None:
        desk_name = session.scalar(select(Desk.name).where(Desk.id == actor.desk_id)) or ""
    chains = audit.readable_chains(session, actor)
    data = recovery_sheet.SheetData(
        desk_name=desk_name, printed_at=fmt_local(utcnow()), printed_by=actor.display_name,
        passphrase=kf.backup_passphrase,
        keys=[recovery_sheet.SheetKey(kid, keys.key_text(key), kid == kf.current)
              for kid, key in kf.audit_keys.items()],
        checkpoints=[cp.text() for cp in audit.checkpoints(session, chains)])
    pdf = recovery_sheet.render(data)
    audit.append(session, desk_id=actor.desk_id, user_id=actor.user_id, action="keys.recovery_sheet",
                 entity="audit_key", after={"keys": sorted(kf.audit_keys), "passphrase": bool(kf.backup_passphrase)})
    return pdf
