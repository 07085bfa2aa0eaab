"""audit chains: one keyed chain per desk; final documents carry a checkpoint

Issue 11 items 7–8. The single SHA-256 chain becomes one chain per desk (and one for
events of no desk), each row MACed with HMAC-SHA256 under a key kept outside the
database (``mediation.keys``; created here if this PC has none yet).

Converting an existing, populated log (decision, also in docs/audit.md):

1. The old chain is verified as revision 0001 wrote it (SHA-256, ids 1…n, the head).
2. Each old row is given its desk: the desk of its case; else of the desk, account,
   consultation, duty shift, setting or template it is about; backups, restores and the
   holiday calendar belong to no desk; anything else to the desk of the account that
   acted.
3. Every chain starts with a conversion row (``audit.chain_converted``, seq 1, the
   chain's first keyed event) recording how many old rows the old chain had, its head
   hash, whether it verified (and the first bad row if not) and how many rows follow in
   this chain; then the old rows follow in their old order (seq 2, 3 …), each MACed
   anew. Their old SHA-256 hashes are not kept: the conversion row vouches for the
   verification made just before, under the key.

Not safe for a program older than this revision (it would write unkeyed rows into the
keyed chains); no compatibility row is recorded, so older programs refuse the database
and say to update. Downgrade rebuilds the single SHA-256 chain over every row (the
conversion rows stay as ordinary rows).

Revision ID: 0006_audit_chains
Revises: 0004
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_audit_chains"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
NO_DESK_ACTIONS = frozenset({"backup.run", "backup.restore", "calendar.set", "calendar.import"})
_COLUMNS = ("id", "at", "user_id", "action", "entity", "entity_id", "case_id", "before", "after",
            "prev_hash", "hash")


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _utc(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _legacy_digest(row: dict[str, Any], prev_hash: str) -> str:
    """The SHA-256 of revision 0001's chain (frozen copy of that code)."""
    text = json.dumps(
        [row["id"], _utc(row["at"]).astimezone(dt.UTC).isoformat(), row["user_id"], row["action"],
         row["entity"], row["entity_id"], row["case_id"], row["before"], row["after"], prev_hash],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _legacy_check(rows: list[dict[str, Any]], head: tuple[int, str] | None) -> tuple[bool, int | None]:
    prev, expected = GENESIS, 1
    for row in rows:
        if row["id"] != expected or row["prev_hash"] != prev or _legacy_digest(row, prev) != row["hash"]:
            return False, expected if row["id"] != expected else row["id"]
        prev, expected = row["hash"], expected + 1
    if head is not None and (head[0] != len(rows) or head[1] != prev):
        return False, len(rows) + 1 if head[0] > len(rows) else len(rows)
    return True, None


def _map(bind: sa.Connection, sql: str) -> dict[int, int | None]:
    return {int(k): (int(v) if v is not None else None) for k, v in bind.execute(sa.text(sql))}


def _desks_of(bind: sa.Connection, rows: list[dict[str, Any]]) -> list[int | None]:
    cases = _map(bind, "SELECT id, desk_id FROM mediation_case")
    users = _map(bind, "SELECT id, desk_id FROM user_account")
    by_entity = {
        "consultation": _map(bind, "SELECT id, desk_id FROM consultation"),
        "duty_shift": _map(bind, "SELECT id, desk_id FROM duty_shift"),
        "setting": _map(bind, "SELECT id, desk_id FROM setting"),
        "document_template": _map(bind, "SELECT id, desk_id FROM document_template"),
        "user": users,
    }
    desks = set(_map(bind, "SELECT id, id FROM desk"))
    out: list[int | None] = []
    for row in rows:
        desk: int | None
        if row["case_id"] is not None and row["case_id"] in cases:
            desk = cases[row["case_id"]]
        elif row["action"] in NO_DESK_ACTIONS:
            desk = None
        elif row["entity"] == "desk" and row["entity_id"] in desks:
            desk = row["entity_id"]
        elif row["entity"] in by_entity and row["entity_id"] in by_entity[row["entity"]]:
            desk = by_entity[row["entity"]][row["entity_id"]]
        else:
            desk = users.get(row["user_id"]) if row["user_id"] is not None else None
        out.append(desk if desk in desks else None)
    return out


def upgrade() -> None:
    from mediation import keys
    from mediation.audit_chain import CONVERT_ACTION, mac, payload

    bind = op.get_bind()
    rows = [dict(zip(_COLUMNS, r, strict=True)) for r in bind.execute(sa.text(
        f"SELECT {', '.join(_COLUMNS)} FROM audit_log ORDER BY id"))]
    for row in rows:
        row["before"], row["after"] = _json(row["before"]), _json(row["after"])
    old_head = bind.execute(sa.text("SELECT last_id, last_hash FROM audit_head WHERE id = 1")).first()
    intact, first_bad = _legacy_check(rows, (int(old_head[0]), str(old_head[1])) if old_head else None)
    legacy_head = rows[-1]["hash"] if rows else GENESIS
    desks = _desks_of(bind, rows) if rows else []

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("desk_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_audit_log_desk_id_desk"), "desk", ["desk_id"], ["id"])
        batch_op.create_index("ix_audit_log_chain", ["desk_id", "seq"], unique=False)
    op.drop_table("audit_head")
    op.create_table(
        "audit_head",
        sa.Column("chain", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("genesis", sa.String(length=64), nullable=True),
        sa.Column("key_id", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"], name=op.f("fk_audit_head_desk_id_desk")),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_head")),
    )
    with op.batch_alter_table("document_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "audit_anchor", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True))

    if rows:
        kf = keys.ensure()
        key = kf.key(kf.current)
        assert key is not None
        json_type = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
        columns: list[sa.ColumnClause[Any]] = [sa.column("at", sa.DateTime()), sa.column("before", json_type),
                                               sa.column("after", json_type)]
        columns += [sa.column(c) for c in (*_COLUMNS, "desk_id", "seq", "key_id")
                    if c not in ("at", "before", "after")]
        audit_log = sa.table("audit_log", *columns)
        next_id = rows[-1]["id"] + 1
        chains: dict[int | None, list[dict[str, Any]]] = {}
        for row, desk in zip(rows, desks, strict=True):
            chains.setdefault(desk, []).append(row)
        now = dt.datetime.now(dt.UTC)
        heads = []
        for desk, members in sorted(chains.items(), key=lambda kv: (kv[0] is not None, kv[0] or 0)):
            convert = {"id": next_id, "at": now, "user_id": None, "action": CONVERT_ACTION, "entity": "audit_log",
                       "entity_id": None, "case_id": None, "before": None,
                       "after": {"from": "0004 single SHA-256 chain", "legacy_rows": len(rows),
                                 "legacy_head": legacy_head, "legacy_intact": intact,
                                 "legacy_first_bad": first_bad, "rows_converted": len(members),
                                 "legacy_first_id": members[0]["id"], "legacy_last_id": members[-1]["id"]}}
            next_id += 1
            bind.execute(audit_log.insert().values(
                id=convert["id"], at=now.replace(tzinfo=None), user_id=None, action=CONVERT_ACTION,
                entity="audit_log", entity_id=None, case_id=None, before=None, after=convert["after"],
                prev_hash=GENESIS, hash="", desk_id=desk, seq=1, key_id=kf.current))
            prev, genesis = GENESIS, ""
            updates = []
            for seq, row in enumerate([convert, *members], start=1):
                digest = mac(key, payload(desk_id=desk, seq=seq, at=_utc(row["at"]), user_id=row["user_id"],
                                          action=row["action"], entity=row["entity"], entity_id=row["entity_id"],
                                          case_id=row["case_id"], before=row["before"], after=row["after"],
                                          prev_hash=prev, key_id=kf.current))
                updates.append({"b_id": row["id"], "desk_id": desk, "seq": seq, "key_id": kf.current,
                                "prev_hash": prev, "hash": digest})
                genesis = genesis or digest
                prev = digest
            bind.execute(
                audit_log.update().where(audit_log.c.id == sa.bindparam("b_id")).values(
                    desk_id=sa.bindparam("desk_id"), seq=sa.bindparam("seq"), key_id=sa.bindparam("key_id"),
                    prev_hash=sa.bindparam("prev_hash"), hash=sa.bindparam("hash")),
                updates)
            heads.append({"chain": desk or 0, "desk_id": desk, "count": len(updates), "last_hash": prev,
                          "genesis": genesis, "key_id": kf.current})
        op.bulk_insert(sa.table("audit_head", *(sa.column(c) for c in
                                                ("chain", "desk_id", "count", "last_hash", "genesis", "key_id"))),
                       heads)
    if bind.dialect.name == "postgresql":
        # Ids were handed out by the head before; from now on the column's sequence does.
        bind.execute(sa.text("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), "
                             "COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1, false)"))
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("key_id", existing_type=sa.String(length=16), nullable=False)


def downgrade() -> None:
    bind = op.get_bind()
    rows = [dict(zip(_COLUMNS, r, strict=True)) for r in bind.execute(sa.text(
        f"SELECT {', '.join(_COLUMNS)} FROM audit_log ORDER BY id"))]
    with op.batch_alter_table("document_version", schema=None) as batch_op:
        batch_op.drop_column("audit_anchor")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_chain")
        batch_op.drop_constraint(batch_op.f("fk_audit_log_desk_id_desk"), type_="foreignkey")
        batch_op.drop_column("key_id")
        batch_op.drop_column("seq")
        batch_op.drop_column("desk_id")
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    # Revision 0001's chain numbers rows 1…n: renumber (through negative ids, so no two
    # rows ever share one) and chain them again with SHA-256.
    bind.execute(sa.text("UPDATE audit_log SET id = -id"))
    prev = GENESIS
    for n, row in enumerate(rows, start=1):
        old_id = int(row["id"])
        row["before"], row["after"] = _json(row["before"]), _json(row["after"])
        row["id"] = n
        digest = _legacy_digest(row, prev)
        bind.execute(sa.text("UPDATE audit_log SET id = :n, prev_hash = :p, hash = :h WHERE id = :old"),
                     {"n": n, "p": prev, "h": digest, "old": -old_id})
        prev = digest
    if rows:
        bind.execute(sa.text("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, :n, :h)"),
                     {"n": len(rows), "h": prev})
