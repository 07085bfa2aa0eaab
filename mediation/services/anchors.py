"""Checkpoints of the audit chains kept outside the database, and gathering them to verify.

Where a checkpoint (chain, rows, head hash) is written:

* **the anchor file** ``audit-anchors.log`` in the data directory: one JSON line per
  commit that wrote audit rows, appended (never rewritten), each line MACed with the
  audit key so a line cannot be forged without it. A restore writes a ``restore``
  line: checkpoints written before it, beyond what was restored, were rolled back by
  the restore and no longer apply;
* **every backup's metadata** (:func:`mediation.services.backup.read_metadata`);
* **every final document's verification record** (``document_version.audit_anchor``,
  written by the documents service's ``finalize``);
* **reports** sent upward print :func:`mediation.services.audit.checkpoint_text`.

Line format (version 1)::

    {"v": 1, "kind": "checkpoint"|"restore", "db": "<database location>",
     "desk": <desk id or null>, "genesis": "<hash of row 1>", "n": <rows>,
     "head": "<hash of row n>", "at": "<UTC ISO 8601>", "key": "<key id>", "mac": "<hex>"}

``mac`` is HMAC-SHA256 over the compact, key-sorted JSON of the line without ``mac``.
The database location is the SQLite file's absolute path or the PostgreSQL server and
database name, so several databases can share a data directory.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from mediation import keys
from mediation.audit_chain import Checkpoint, Restores, mac
from mediation.i18n import _
from mediation.timeutil import utcnow

log = logging.getLogger(__name__)

ANCHOR_FILE = "audit-anchors.log"
LINE_VERSION = 1


def anchor_file() -> Path:
    from mediation.config import data_dir

    return data_dir() / ANCHOR_FILE


def location(url: URL | str) -> str:
    """Names a database independently of credentials: the SQLite file, or server and database."""
    return _location(url if isinstance(url, str) else url.render_as_string(hide_password=True))


@functools.lru_cache(maxsize=64)
def _location(url: str) -> str:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if not u.database or u.database == ":memory:":
            return "sqlite::memory:"
        return "sqlite:" + str(Path(u.database).expanduser().resolve())
    return f"{u.get_backend_name()}://{u.host or ''}:{u.port or ''}/{u.database or ''}"


def _signed(fields: dict[str, Any], kf: keys.KeyFile) -> str:
    body = {**fields, "key": kf.current}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    key = kf.key(kf.current)
    assert key is not None
    body["mac"] = mac(key, text.encode("utf-8"))
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _line_ok(body: dict[str, Any], kf: keys.KeyFile | None) -> bool | None:
    """True: authentic; False: altered; None: made with a key this PC does not have."""
    claimed = body.get("mac")
    rest = {k: v for k, v in body.items() if k != "mac"}
    key = kf.key(str(rest.get("key"))) if kf is not None else None
    if key is None:
        return None
    text = json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return mac(key, text.encode("utf-8")) == claimed


def record(loc: str, checkpoints: Iterable[Checkpoint], *, kind: str = "checkpoint",
           path: Path | None = None) -> None:
    """Append one line per checkpoint to the anchor file (created if missing)."""
    items = list(checkpoints)
    if not items:
        return
    kf = keys.ensure()
    target = path or anchor_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    now = utcnow().isoformat()
    lines = "".join(_signed({"v": LINE_VERSION, "kind": kind, "db": loc, "desk": cp.desk_id,
                             "genesis": cp.genesis, "n": cp.n, "head": cp.head, "at": cp.at or now}, kf) + "\n"
                    for cp in items)
    # One write on a descriptor opened for appending: lines of concurrent writers never
    # interleave, and nothing already in the file is touched.
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, lines.encode("utf-8"))
    finally:
        os.close(fd)


@dataclass
class Anchors:
    """Checkpoints found for one database, with what the verifier needs to weigh them."""

    checkpoints: list[Checkpoint] = field(default_factory=list)
    restored: Restores = field(default_factory=dict)
    """Chain → every restore recorded in the anchor file: (time, rows, genesis)."""
    sources: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Anchors that were themselves tampered with (a verification failure)."""
    notes: list[str] = field(default_factory=list)


def _latest(found: Iterable[Checkpoint], restored: Restores) -> list[Checkpoint]:
    """The furthest checkpoint of each chain, per genesis and per stretch between restores
    (a checkpoint of one stretch says nothing about the rows of a later one)."""
    best: dict[tuple[Any, ...], Checkpoint] = {}
    for cp in found:
        stretch = sum(1 for at, _n, _g in restored.get(cp.desk_id, []) if (cp.at or "") < at)
        k = (cp.desk_id, cp.genesis, stretch)
        if k not in best or cp.n > best[k].n:
            best[k] = cp
    return list(best.values())


def from_file(loc: str, into: Anchors, path: Path | None = None) -> None:
    source = path or anchor_file()
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        into.notes.append(_("锚点文件 {path} 不存在（本机尚未记录过检查点）。").format(path=source))
        return
    except OSError as exc:
        into.notes.append(_("无法读取锚点文件 {path}：{detail}").format(path=source, detail=exc.strerror or exc))
        return
    kf = keys.load()
    needle = json.dumps(loc, ensure_ascii=False).encode("utf-8")
    found: list[Checkpoint] = []
    unknown_key = 0
    label = _("锚点文件")
    for number, line in enumerate(raw.splitlines(), start=1):
        if needle not in line:
            continue
        try:
            body = json.loads(line)
            if not isinstance(body, dict) or body.get("db") != loc:
                continue
            ok = _line_ok(body, kf)
            cp = Checkpoint(body.get("desk"), str(body["genesis"]), int(body["n"]), str(body["head"]),
                            str(body.get("at") or ""), label)
        except (ValueError, KeyError, TypeError):
            into.problems.append(_("锚点文件第 {n} 行已损坏或被改动。").format(n=number))
            continue
        if ok is False:
            into.problems.append(_("锚点文件第 {n} 行的校验值不符：该行被改动或伪造。").format(n=number))
            continue
        if ok is None:
            unknown_key += 1
            continue
        if body.get("kind") == "restore":
            into.restored.setdefault(cp.desk_id, []).append((cp.at, cp.n, cp.genesis))
        found.append(cp)
    if unknown_key:
        into.notes.append(_("锚点文件中有 {n} 行由本机没有的密钥签名，未采用。").format(n=unknown_key))
    into.checkpoints.extend(_latest(found, into.restored))
    into.sources.append(_("锚点文件 {path}").format(path=source))


def from_backups(loc: str, into: Anchors, folders: Sequence[Path]) -> None:
    from mediation.services.backup.files import looks_like_backup
    from mediation.services.backup.meta import read_metadata

    for folder in folders:
        try:
            found = sorted(p for p in folder.iterdir() if looks_like_backup(p))
        except OSError:
            continue
        for p in found:
            meta = read_metadata(p)
            if meta is None or meta.database != loc:
                continue
            label = _("备份 {name}").format(name=p.name)
            if meta.authentic is None:
                into.notes.append(_("备份 {name} 的元数据由本机没有的密钥签名，未采用。").format(name=p.name))
                continue
            if not meta.authentic:
                into.problems.append(_("备份 {name} 的元数据校验值不符：被改动。").format(name=p.name))
                continue
            into.checkpoints.extend(Checkpoint(c.desk_id, c.genesis, c.n, c.head, meta.created_at, label)
                                    for c in meta.chains)
            into.sources.append(label)


def from_documents(session: Session, into: Anchors) -> None:
    from mediation.models import Case, Document, DocumentVersion

    rows = session.execute(
        select(DocumentVersion.audit_anchor, Case.number, Document.title, DocumentVersion.number)
        .join(Document, Document.id == DocumentVersion.document_id)
        .join(Case, Case.id == Document.case_id)
        .where(DocumentVersion.audit_anchor.is_not(None))).all()
    best: dict[tuple[Any, ...], Checkpoint] = {}
    for anchor, case_number, title, version in rows:
        if not isinstance(anchor, dict):
            continue
        try:
            cp = Checkpoint(anchor.get("desk"), str(anchor["genesis"]), int(anchor["n"]), str(anchor["head"]),
                            str(anchor.get("at") or ""),
                            _("定稿文书 {num} {t} 第{v}版").format(num=case_number or "", t=title, v=version))
        except (KeyError, TypeError, ValueError):
            continue
        k = (cp.desk_id, cp.genesis)
        if k not in best or cp.n > best[k].n:
            best[k] = cp
    into.checkpoints.extend(best.values())
    if rows:
        into.sources.append(_("定稿文书的校验记录（{n} 份）").format(n=len(rows)))


def backup_folders() -> list[Path]:
    """Where backups of this PC are looked for: the automatic backups' folder, and the
    default folder of the backup dialog."""
    from mediation.config import data_dir, load_config

    out: list[Path] = []
    with contextlib.suppress(Exception):
        folder = load_config().backup_folder
        if folder:
            out.append(Path(folder).expanduser())
    out.append(data_dir() / "backups")
    return out


def gather(session: Session, loc: str, *, folders: Sequence[Path] | None = None,
           path: Path | None = None) -> Anchors:
    """Every checkpoint this PC can find for the database at ``loc``."""
    found = Anchors()
    from_file(loc, found, path)
    from_backups(loc, found, backup_folders() if folders is None else folders)
    from_documents(session, found)
    return found
