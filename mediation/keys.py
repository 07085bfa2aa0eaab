"""Secrets kept outside the database: the audit chains' HMAC keys and the backup passphrase.

One small JSON file, ``keys.json`` in the user's config directory (or the path in
``MEDIATION_KEY_FILE`` / ``key_file`` in ``config.toml``), readable by its owner only
(mode 0600). The operating system's key store would need a desktop session, which the
command line and a service account do not have. The file is created at set-up (the
first audit row written on this PC creates it) and printed, with the backup passphrase,
on the recovery sheet (:mod:`mediation.documents.recovery_sheet`) that the administrator
locks away; on a new PC the keys are typed back from that sheet (``mediation keys import``).

Format (version 1)::

    {"format": "mediation-keys", "version": 1,
     "audit": {"current": "<key id>", "keys": {"<key id>": "<base64 key>", ...}},
     "backup_passphrase": "<text or empty>"}

A key id is the first 16 hex digits of SHA-256("mediation audit key id" NUL key): it
names a key in audit rows without revealing it, and doubles as a checksum when a key
is typed back from paper. Nothing in this module logs a key or the passphrase.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import secrets
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from mediation.errors import StorageError, ValidationError
from mediation.i18n import _

log = logging.getLogger(__name__)

ENV_KEY_FILE = "MEDIATION_KEY_FILE"
FORMAT = "mediation-keys"
VERSION = 1
KEY_BYTES = 32
KEY_TEXT_PREFIX = "MDA1"
"""Audit key as printed on the recovery sheet: ``MDA1-<key id>-<base32 key in groups>``."""

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int], KeyFile]] = {}


@dataclass(frozen=True)
class KeyFile:
    """The contents of the key file."""

    path: Path
    current: str
    """Key id new chains are started with (the latest rotation's key)."""
    audit_keys: dict[str, bytes] = field(default_factory=dict)
    backup_passphrase: str = ""

    def key(self, key_id: str) -> bytes | None:
        return self.audit_keys.get(key_id)


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"mediation audit key id\0" + key).hexdigest()[:16]


def key_file_path() -> Path:
    """``MEDIATION_KEY_FILE``, else ``key_file`` in config.toml, else ``keys.json`` in the config dir."""
    from mediation.config import config_path

    env = os.environ.get(ENV_KEY_FILE)
    if env:
        return Path(env).expanduser()
    cfg = config_path()
    return _configured_path(cfg, _stat_key(cfg))  # read again only when config.toml changes


@functools.lru_cache(maxsize=16)
def _configured_path(cfg: Path, _stamp: tuple[int, int] | None) -> Path:
    from mediation.config import load_config

    try:
        configured = load_config(cfg).key_file
    except Exception:  # noqa: BLE001 - a broken config file is reported where it is read
        configured = ""
    if configured:
        return Path(configured).expanduser()
    return cfg.parent / "keys.json"


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


def load(path: Path | None = None) -> KeyFile | None:
    """The key file, or None when there is none yet (cached until the file changes)."""
    p = path or key_file_path()
    stamp = _stat_key(p)
    if stamp is None:
        return None
    with _lock:
        hit = _cache.get(p)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT or not isinstance(raw.get("audit"), dict):
            raise ValueError("not a key file")
        keys = {str(k): base64.b64decode(v, validate=True) for k, v in raw["audit"]["keys"].items()}
        for kid, key in keys.items():
            if key_id(key) != kid:
                raise ValueError("key id does not match its key")
        current = str(raw["audit"]["current"])
        if current not in keys:
            raise ValueError("current key missing")
        kf = KeyFile(p, current, keys, str(raw.get("backup_passphrase") or ""))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise StorageError(_("密钥文件已损坏或无法读取：{path}（请从恢复单重新导入密钥）").format(path=p)) from exc
    with _lock:
        _cache[p] = (stamp, kf)
    return kf


def _write(kf: KeyFile) -> None:
    """Write the key file atomically (temporary file, fsync, rename), mode 0600."""
    kf.path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "format": FORMAT, "version": VERSION,
        "audit": {"current": kf.current,
                  "keys": {k: base64.b64encode(v).decode("ascii") for k, v in kf.audit_keys.items()}},
        "backup_passphrase": kf.backup_passphrase,
    }
    tmp = kf.path.with_name(f".{kf.path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, kf.path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    with _lock:
        _cache.pop(kf.path, None)


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def ensure(path: Path | None = None) -> KeyFile:
    """The key file, created with a fresh audit key if there is none (set-up)."""
    p = path or key_file_path()
    kf = load(p)
    if kf is not None:
        return kf
    key = new_key()
    kid = key_id(key)
    fresh = KeyFile(p, kid, {kid: key}, "")
    p.parent.mkdir(parents=True, exist_ok=True)
    # Create-if-absent: two processes starting at once must not end with two keys.
    tmp = p.with_name(f".{p.name}.{os.getpid()}.new.tmp")
    _write(replace(fresh, path=tmp))
    try:
        os.link(tmp, p)
    except FileExistsError:
        pass
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    kf = load(p)
    assert kf is not None
    if kf.current == kid:
        log.info("audit key created (key id %s)", kid)
    return kf


def add_audit_key(kf: KeyFile, key: bytes, *, make_current: bool) -> KeyFile:
    kid = key_id(key)
    updated = replace(kf, audit_keys={**kf.audit_keys, kid: key},
                      current=kid if make_current else kf.current)
    _write(updated)
    return updated


def set_backup_passphrase(passphrase: str, path: Path | None = None) -> KeyFile:
    kf = ensure(path)
    updated = replace(kf, backup_passphrase=passphrase)
    _write(updated)
    return updated


# ------------------------------------------------------------------ on paper

_B32_GROUP = 4


def key_text(key: bytes) -> str:
    """An audit key as printed on the recovery sheet (and read back by :func:`parse_key_text`)."""
    b32 = base64.b32encode(key).decode("ascii").rstrip("=")
    groups = [b32[i:i + _B32_GROUP] for i in range(0, len(b32), _B32_GROUP)]
    return f"{KEY_TEXT_PREFIX}-{key_id(key)}-" + "-".join(groups)


def parse_key_text(text: str) -> bytes:
    """The key written as :func:`key_text` gives it (spaces, dashes, case and 0/O, 1/I forgiven)."""
    compact = re.sub(r"[\s\-]", "", text).upper()
    if not compact.startswith(KEY_TEXT_PREFIX):
        raise ValidationError(field="key", message=_("密钥应以 {p} 开头（见恢复单）。").format(p=KEY_TEXT_PREFIX))
    body = compact[len(KEY_TEXT_PREFIX):]
    kid, b32 = body[:16].lower(), body[16:].replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        key = base64.b32decode(b32 + "=" * (-len(b32) % 8))
    except (binascii.Error, ValueError):
        raise ValidationError(field="key", message=_("密钥中有抄错的字符，请对照恢复单重新输入。")) from None
    if len(key) != KEY_BYTES or key_id(key) != kid:
        raise ValidationError(field="key", message=_("密钥与其编号不符：请对照恢复单重新输入。"))
    return key


def import_key_text(text: str, path: Path | None = None, *, make_current: bool = False) -> str:
    """Add a key typed back from the recovery sheet; returns its id."""
    key = parse_key_text(text)
    p = path or key_file_path()
    kf = load(p)
    if kf is None:
        kf = KeyFile(p, key_id(key), {}, "")
        make_current = True
    add_audit_key(kf, key, make_current=make_current)
    return key_id(key)


def generate_passphrase(words: int = 6) -> str:
    """A passphrase for backups: groups of letters and digits without look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(words))
