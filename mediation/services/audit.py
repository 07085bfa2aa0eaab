"""Append to and verify the audit trail: one keyed hash chain per desk, anchored outside.

Every row goes into its desk's chain (``desk_id``; events of no desk have a chain of
their own), MACed with HMAC-SHA256 under a key kept outside the database
(:mod:`mediation.keys`; format in :mod:`mediation.audit_chain`). Someone who can write
the database file but not read the key file cannot append a row that verifies, nor
edit one and recompute the hashes.

Deleting rows at the end (with the head), wiping a chain, or rolling the whole file
back are caught by *checkpoints* (rows + head hash of each chain) kept outside the
database (:mod:`mediation.services.anchors`): a line in an append-only file in the data
directory after every commit that wrote audit rows, the metadata of every backup, the
verification record of every final document, and :func:`checkpoint_text` for reports
sent upward on paper. :func:`verify` checks every chain the actor may read against every
anchor it is given and says which passed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from mediation import keys, rls
from mediation.audit_chain import (
    GENESIS,
    ROTATE_ACTION,
    ChainReport,
    Checkpoint,
    Head,
    Problem,
    Restores,
    Row,
    chain_name,
    check_anchors,
    mac,
    payload,
    walk,
)
from mediation.db import require_write
from mediation.errors import StorageError
from mediation.i18n import _
from mediation.models import AuditHead, AuditLog, Desk
from mediation.permissions import Actor, require
from mediation.progress import Progress
from mediation.timeutil import utcnow

log = logging.getLogger(__name__)

NO_DESK = 0
"""The ``audit_head.chain`` of the chain of events of no desk."""
_PENDING = "audit_chains_written"


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


def _chain(desk_id: int | None) -> int:
    return NO_DESK if desk_id is None else desk_id


def _missing_key(key_id: str) -> StorageError:
    return StorageError(_(
        "本机没有审计密钥（编号 {k}），无法记录审计日志，操作未保存。请管理员从恢复单导入密钥："
        "mediation keys import（密钥文件：{path}）。").format(k=key_id, path=keys.key_file_path()))


_LOCKED = "audit_heads_locked"


def _lock_head(session: Session, desk_id: int | None) -> AuditHead:
    chain = _chain(desk_id)
    # A head locked earlier in this transaction stays locked until its end: no second
    # SELECT … FOR UPDATE for the next row (an import writes thousands).
    locked: dict[int, AuditHead] = session.info.setdefault(_LOCKED, {})
    known = locked.get(chain)
    if known is not None and known in session:
        return known
    # populate_existing: a head this session read before the lock (a checkpoint, a key
    # rotation's list of chains) is refreshed from the locked row, not trusted: another PC
    # may have appended to the chain in between.
    head = session.execute(
        select(AuditHead).where(AuditHead.chain == chain).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if head is not None:
        locked[chain] = head
        return head
    # First row of this chain: create the head unless a concurrent writer just did.
    values = {"chain": chain, "desk_id": desk_id, "count": 0, "last_hash": GENESIS, "genesis": None,
              "key_id": None}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(AuditHead).values(**values).on_conflict_do_nothing())
    else:
        session.execute(sqlite.insert(AuditHead).values(**values).on_conflict_do_nothing())
    head = session.execute(
        select(AuditHead).where(AuditHead.chain == chain).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    locked[chain] = head
    return head


def append(
    session: Session,
    *,
    desk_id: int | None,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None = None,
    case_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> int:
    """Append one row to ``desk_id``'s chain in the caller's transaction; returns its id.

    ``desk_id`` is the desk the event belongs to (a case's desk for anything about a
    case), None for events of no desk. The chain's head row is locked (``FOR UPDATE``)
    so concurrent writers of one desk chain one after another on PostgreSQL; SQLite
    writers are serialised already.
    """
    require_write(session)
    head = _lock_head(session, desk_id)
    kf = keys.ensure()
    key_id = head.key_id or kf.current
    key = kf.key(key_id)
    if key is None:
        raise _missing_key(key_id)
    seq = head.count + 1
    at = utcnow()
    before_j = jsonable(before) if before is not None else None
    after_j = jsonable(after) if after is not None else None
    digest = mac(key, payload(desk_id=desk_id, seq=seq, at=at, user_id=user_id, action=action, entity=entity,
                              entity_id=entity_id, case_id=case_id, before=before_j, after=after_j,
                              prev_hash=head.last_hash, key_id=key_id))
    row = AuditLog(desk_id=desk_id, seq=seq, at=at, user_id=user_id, action=action, entity=entity,
                   entity_id=entity_id, case_id=case_id, before=before_j, after=after_j,
                   prev_hash=head.last_hash, hash=digest, key_id=key_id)
    session.add(row)
    head.count = seq
    head.last_hash = digest
    if seq == 1:
        head.genesis = digest
    head.key_id = str(after_j["new_key_id"]) if action == ROTATE_ACTION and after_j else key_id
    session.flush()
    session.info.setdefault(_PENDING, set()).add(head.chain)
    return row.id


# ---------------------------------------------------------------- checkpoints


def checkpoints(session: Session, desk_ids: Sequence[int | None] | None = None, *,
                source: str = "") -> list[Checkpoint]:
    """The state of every chain (or of ``desk_ids``' chains) now: rows and head hash."""
    stmt = select(AuditHead).where(AuditHead.count > 0)
    if desk_ids is not None:
        stmt = stmt.where(AuditHead.chain.in_([_chain(d) for d in desk_ids]))
    now = utcnow().isoformat()
    return [Checkpoint(h.desk_id, h.genesis or "", h.count, h.last_hash, now, source)
            for h in session.scalars(stmt.order_by(AuditHead.chain))]


def checkpoint_for(session: Session, desk_id: int | None) -> Checkpoint | None:
    """The state of one desk's chain now (None before its first row)."""
    found = checkpoints(session, [desk_id])
    return found[0] if found else None


def checkpoint_text(session: Session, desk_id: int | None) -> str:
    """The desk chain's checkpoint as one line a report prints (issue 15's report centre),
    so the paper sent upward carries it: ``audit:<desk>:<rows>:<chain id>:<head hash>``."""
    cp = checkpoint_for(session, desk_id)
    return cp.text() if cp is not None else ""


@event.listens_for(Session, "before_commit")
def _collect_written(session: Session) -> None:
    """The heads this transaction moved, as they will be committed."""
    chains = session.info.pop(_PENDING, None)
    if not chains:
        return
    heads = [session.get(AuditHead, c) for c in sorted(chains)]
    now = utcnow().isoformat()
    session.info[_PENDING + ".final"] = [
        Checkpoint(h.desk_id, h.genesis or "", h.count, h.last_hash, now) for h in heads if h is not None]


@event.listens_for(Session, "after_commit")
def _anchor_written(session: Session) -> None:
    """After the commit: the new heads go to the anchor file (never failing the commit)."""
    session.info.pop(_LOCKED, None)
    written: list[Checkpoint] | None = session.info.pop(_PENDING + ".final", None)
    if not written:
        return
    from mediation.services import anchors

    try:
        anchors.record(anchors.location(session.get_bind().engine.url), written)
    except Exception:
        log.warning("audit checkpoint not written to the anchor file", exc_info=True)


@event.listens_for(Session, "after_rollback")
def _forget_written(session: Session) -> None:
    session.info.pop(_LOCKED, None)
    session.info.pop(_PENDING, None)
    session.info.pop(_PENDING + ".final", None)


# ---------------------------------------------------------------- verification


@dataclass
class VerifyResult:
    """Every chain checked, each with the anchors compared to it."""

    chains: list[ChainReport] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    """The anchor sources looked at (file, backups, documents), for the report."""
    problems: list[str] = field(default_factory=list)
    """Anchors found tampered with (an altered line of the anchor file, a backup's metadata)."""
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.chains) and not self.problems

    @property
    def checked(self) -> int:
        return sum(c.verified for c in self.chains)

    def first_problem(self) -> tuple[int | None, Problem] | None:
        """(desk, problem) of the first chain found broken by its own rows and head."""
        for c in self.chains:
            if c.problems:
                return c.desk_id, c.problems[0]
        return None

    def failures(self) -> list[str]:
        """Every failure in words: broken chains, failed anchors, tampered anchors."""
        out = [f"{chain_name(c.desk_id)}：{p.message}" for c in self.chains for p in c.problems]
        out += [f"{chain_name(c.desk_id)}：{a.message}" for c in self.chains for a in c.anchors
                if a.status == "failed"]
        return out + list(self.problems)


def _rows(session: Session, desk_id: int | None, batch: int) -> Iterator[list[Row]]:
    last = 0
    cond = AuditLog.desk_id.is_(None) if desk_id is None else AuditLog.desk_id == desk_id
    cols = (AuditLog.id, AuditLog.desk_id, AuditLog.seq, AuditLog.at, AuditLog.user_id, AuditLog.action,
            AuditLog.entity, AuditLog.entity_id, AuditLog.case_id, AuditLog.before, AuditLog.after,
            AuditLog.prev_hash, AuditLog.hash, AuditLog.key_id)
    while True:
        got = session.execute(select(*cols).where(cond, AuditLog.seq > last)
                              .order_by(AuditLog.seq, AuditLog.id).limit(batch)).all()
        if not got:
            return
        yield [Row(*r) for r in got]
        last = got[-1][2]


def chains_in(session: Session) -> list[int | None]:
    """Every chain that has a head or rows."""
    found: set[int | None] = {h.desk_id for h in session.scalars(select(AuditHead))}
    found |= set(session.scalars(select(AuditLog.desk_id).distinct()))
    return sorted(found, key=lambda d: (d is not None, d or 0))


def _counted(batches: Iterator[list[Row]], progress: Progress, done: list[int], total: int) -> Iterator[list[Row]]:
    for rows in batches:
        yield rows
        done[0] += len(rows)
        progress(min(done[0], total), total)


def verify(session: Session, *, desk_ids: Sequence[int | None] | None = None,
           anchors: Sequence[Checkpoint] = (), restored: Restores | None = None,
           key_file: keys.KeyFile | None = None, batch: int = 5000,
           progress: Progress | None = None) -> VerifyResult:
    """Walk each chain (all, or ``desk_ids``') in batches; compare it with ``anchors``.

    Chains named only by an anchor (wiped from the database) are reported too.
    ``progress(rows checked, rows in the chains' heads)`` is called after each batch.
    """
    kf = key_file if key_file is not None else keys.load()
    lookup = (lambda kid: kf.key(kid)) if kf is not None else (lambda kid: None)
    wanted = list(desk_ids) if desk_ids is not None else chains_in(session)
    if desk_ids is None:
        wanted += [cp.desk_id for cp in anchors if cp.desk_id not in wanted]
    result = VerifyResult()
    total = 0
    if progress is not None:
        heads = [session.get(AuditHead, _chain(d)) for d in wanted]
        total = sum(h.count for h in heads if h is not None)
        progress(0, total)
    done = [0]
    for desk_id in wanted:
        head_row = session.get(AuditHead, _chain(desk_id))
        head = (Head(head_row.count, head_row.last_hash, head_row.genesis, head_row.key_id)
                if head_row is not None else None)
        mine = [cp for cp in anchors if cp.desk_id == desk_id]
        batches = _rows(session, desk_id, batch)
        if progress is not None:
            batches = _counted(batches, progress, done, max(total, 1))
        report, hashes = walk(desk_id, batches, head, lookup, wanted={cp.n for cp in mine})
        check_anchors(report, mine, hashes, restored=restored)
        result.chains.append(report)
    return result


def verify_anchored(session: Session, db_url: str, *, desk_ids: Sequence[int | None] | None = None,
                    folders: Sequence[Path] | None = None, batch: int = 5000,
                    progress: Progress | None = None) -> VerifyResult:
    """:func:`verify` against every anchor this PC can find (anchor file, backups, final
    documents) for the database at ``db_url``."""
    from mediation.services import anchors

    if desk_ids is None:
        desk_ids = connection_chains(session)
    found = anchors.gather(session, anchors.location(db_url), folders=folders)
    checkpoints = found.checkpoints
    if desk_ids is not None:
        checkpoints = [cp for cp in checkpoints if cp.desk_id in desk_ids]
    result = verify(session, desk_ids=desk_ids, anchors=checkpoints, restored=found.restored, batch=batch,
                    progress=progress)
    result.sources = found.sources
    result.problems = found.problems
    result.notes = found.notes
    return result


def readable_chains(session: Session, actor: Actor) -> list[int | None]:
    """The chains an actor verifies: their readable desks' (every desk's for a roll-up
    account or the installation's administrator) and, for those, the chain of no desk."""
    require(actor, "audit.view")
    desks = list(session.scalars(select(Desk.id).order_by(Desk.id)))
    mine: list[int | None] = [d for d in desks if actor.may_read_desk(d)]
    if actor.reads_every_desk:
        mine.insert(0, None)
    visible = connection_chains(session)
    return mine if visible is None else [d for d in mine if d in visible]


def connection_chains(session: Session) -> list[int | None] | None:
    """The chains this connection can see: a PostgreSQL desk role reads its own desk's
    rows and the shared chain's only (row-level security, :mod:`mediation.rls`), so the
    installation's administrator at a desk PC verifies those; the other desks' chains are
    verified at their PCs, by the owner or by a roll-up role — never reported from rows
    this connection cannot see. None: every chain (SQLite, the owner, a roll-up role)."""
    connected = rls.connection_desk(session.connection())
    if connected is None or connected[1]:
        return None
    return [None, connected[0]]


# ---------------------------------------------------------------- key rotation


def rotate_key(session: Session, actor: Actor | None) -> str:
    """Start using a new audit key: a rotation row, made with the old key, in every chain.

    The new key is added to the key file first (the old one stays there: the rows it
    made still need it); print a new recovery sheet afterwards.
    """
    require_write(session)
    if actor is not None:
        require(actor, "settings.manage")
    kf = keys.ensure()
    new_key = keys.new_key()
    new_id = keys.key_id(new_key)
    kf = keys.add_audit_key(kf, new_key, make_current=True)
    chains = [h.desk_id for h in session.scalars(select(AuditHead).where(AuditHead.count > 0)
                                                 .order_by(AuditHead.chain))]
    if actor is not None and not actor.writes_every_desk:
        chains = [d for d in chains if d is not None and actor.may_write_desk(d)]
    for desk_id in chains:
        head = _lock_head(session, desk_id)
        append(session, desk_id=desk_id, user_id=actor.user_id if actor else None, action=ROTATE_ACTION,
               entity="audit_key", after={"old_key_id": head.key_id, "new_key_id": new_id})
    log.info("audit key rotated (new key id %s)", new_id)
    return new_id
