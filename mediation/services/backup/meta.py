"""A backup's metadata: when, which database and revision, and its audit chains' checkpoints.

Plain backups (SQLite files) keep it in a table of their own, ``mediation_backup_meta``
(``key``, ``value``; the row ``metadata`` holds the JSON), removed again by a restore;
encrypted backups in their header (readable without the passphrase). Format::

    {"format": "mediation-backup-meta", "version": 1, "created_at": "<UTC ISO 8601>",
     "database": "<location, see services.anchors.location>", "revision": "<alembic>",
     "chains": [{"desk": <id or null>, "genesis": "<hex>", "n": <rows>, "head": "<hex>"}, …],
     "key": "<audit key id>", "mac": "<HMAC-SHA256 of the rest, compact sorted JSON>"}

The chains' checkpoints are one of the anchors ``audit verify`` holds the live chains
against; the MAC (under the audit key) shows they were not edited in the file.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediation import keys
from mediation.audit_chain import Checkpoint, mac
from mediation.services.backup import files
from mediation.timeutil import utcnow

TABLE = "mediation_backup_meta"
FORMAT = "mediation-backup-meta"


@dataclass(frozen=True)
class BackupMeta:
    database: str
    created_at: str
    revision: str | None
    chains: tuple[Checkpoint, ...]
    authentic: bool | None
    """The MAC matches (True), does not (False: edited), or was made with a key this PC
    does not have (None)."""
    encrypted: bool


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def chains_of(conn: sqlite3.Connection) -> list[Checkpoint]:
    """The checkpoints of every chain in a SQLite copy (its ``audit_head`` rows)."""
    try:
        rows = conn.execute("SELECT desk_id, genesis, count, last_hash FROM audit_head WHERE count > 0 "
                            "ORDER BY chain").fetchall()
    except sqlite3.Error:  # a copy from before revision 0006: no per-desk heads
        return []
    return [Checkpoint(r[0], r[1] or "", int(r[2]), r[3]) for r in rows]


def build(conn: sqlite3.Connection, *, database: str, revision: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "format": FORMAT, "version": 1, "created_at": utcnow().isoformat(), "database": database,
        "revision": revision,
        "chains": [{"desk": c.desk_id, "genesis": c.genesis, "n": c.n, "head": c.head} for c in chains_of(conn)],
    }
    kf = keys.ensure()
    key = kf.key(kf.current)
    assert key is not None
    body["key"] = kf.current
    body["mac"] = mac(key, _canonical(body))
    return body


def store(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
    conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(f"INSERT OR REPLACE INTO {TABLE} (key, value) VALUES ('metadata', ?)",
                 (json.dumps(body, ensure_ascii=False, sort_keys=True),))


def drop(conn: sqlite3.Connection) -> None:
    conn.execute(f"DROP TABLE IF EXISTS {TABLE}")


def parse(body: Any, *, encrypted: bool) -> BackupMeta | None:
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        return None
    rest = {k: v for k, v in body.items() if k != "mac"}
    kf = keys.load()
    key = kf.key(str(rest.get("key"))) if kf is not None else None
    authentic = None if key is None else mac(key, _canonical(rest)) == body.get("mac")
    try:
        chains = tuple(Checkpoint(c.get("desk"), str(c["genesis"]), int(c["n"]), str(c["head"]),
                                  str(body.get("created_at") or ""))
                       for c in body.get("chains") or [])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return BackupMeta(str(body.get("database") or ""), str(body.get("created_at") or ""),
                      body.get("revision"), chains, authentic, encrypted)


def read_sqlite(conn: sqlite3.Connection) -> BackupMeta | None:
    try:
        row = conn.execute(f"SELECT value FROM {TABLE} WHERE key = 'metadata'").fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    try:
        return parse(json.loads(row[0]), encrypted=False)
    except ValueError:
        return None


def read_metadata(path: Path) -> BackupMeta | None:
    """The metadata of a backup file, or None (no metadata: a backup from before issue 11,
    or not a backup)."""
    kind = files.file_kind(path)
    if kind == "sqlite":
        try:
            conn = files.read_only(path)
        except sqlite3.Error:
            return None
        try:
            return read_sqlite(conn)
        finally:
            conn.close()
    if kind == "encrypted":
        from mediation.errors import StorageError
        from mediation.services.backup import crypto

        try:
            with open(path, "rb") as fh:
                header = crypto.read_header(fh)
        except (OSError, StorageError):
            return None
        return parse(header.meta, encrypted=True)
    return None
