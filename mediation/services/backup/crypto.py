"""Encrypted backups: AES-256-GCM in chunks, the key derived from the passphrase with scrypt.

File format ``mediation-backup`` version 1 (suffix ``.mdbk``)::

    magic       17 bytes  b"MEDIATION-BACKUP\\n"
    length       4 bytes  length of the header, big-endian
    header       JSON (UTF-8), readable without the passphrase:
                 {"format": "mediation-backup", "version": 1, "cipher": "AES-256-GCM",
                  "kdf": {"name": "scrypt", "n": 65536, "r": 8, "p": 1, "salt": "<base64, 16 bytes>"},
                  "nonce_prefix": "<base64, 7 bytes>", "chunk_size": 1048576, "size": <bytes>,
                  "meta": {<the backup's metadata: see meta.py>}}
    chunks      the SQLite file in chunks of ``chunk_size`` bytes (the last one shorter,
                possibly empty), each encrypted as AES-GCM(key, nonce, chunk, aad) and
                stored with its 16-byte tag: nonce = nonce_prefix ‖ chunk number (4 bytes,
                big-endian) ‖ 1 for the last chunk, else 0; aad = SHA-256 of magic, length
                and header.

The header is bound to every chunk (aad), chunks cannot be reordered (their number is in
the nonce), and a file cut after a chunk is detected (the last chunk says it is last).
The key is scrypt(passphrase in NFC, salt, n, r, p) → 32 bytes; a wrong passphrase fails
on the first chunk's tag. The header's metadata (the audit chains' checkpoints, the
revision, when) can be read without the passphrase.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from mediation.errors import StorageError
from mediation.i18n import _
from mediation.services.backup.files import ENCRYPTED_MAGIC

FORMAT = "mediation-backup"
VERSION = 1
CHUNK = 1024 * 1024
TAG = 16
SALT = 16
NONCE_PREFIX = 7
SCRYPT_N = 2**16
"""64 MiB and about half a second on a desk PC: slow for guessing, quick for one restore."""
SCRYPT_N_FAST = 2**10
"""Tests only (``MEDIATION_FAST_HASH=1``), as for the password hashes."""
_N_RANGE = (2**10, 2**20)
_MAX_HEADER = 1024 * 1024


class WrongPassphrase(StorageError):
    """The passphrase does not open this backup."""


class NeedsPassphrase(StorageError):
    """The backup is encrypted and no passphrase was given."""


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    text = unicodedata.normalize("NFC", passphrase.strip())
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(text.encode("utf-8"))


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def encrypt_file(source: Path, target: BinaryIO, passphrase: str, meta: dict[str, Any], *,
                 progress: Callable[[int, int], None] | None = None) -> None:
    """Write ``source`` encrypted to ``target`` (an open binary file)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not passphrase.strip():
        raise StorageError(_("没有设置备份口令，无法加密备份。"))
    n = SCRYPT_N_FAST if os.environ.get("MEDIATION_FAST_HASH") == "1" else SCRYPT_N
    salt, prefix = secrets.token_bytes(SALT), secrets.token_bytes(NONCE_PREFIX)
    size = source.stat().st_size
    header = json.dumps({
        "format": FORMAT, "version": VERSION, "cipher": "AES-256-GCM",
        "kdf": {"name": "scrypt", "n": n, "r": 8, "p": 1, "salt": base64.b64encode(salt).decode("ascii")},
        "nonce_prefix": base64.b64encode(prefix).decode("ascii"), "chunk_size": CHUNK, "size": size,
        "meta": meta,
    }, ensure_ascii=False, sort_keys=True).encode("utf-8")
    lead = ENCRYPTED_MAGIC + struct.pack(">I", len(header)) + header
    aad = hashlib.sha256(lead).digest()
    aes = AESGCM(_key(passphrase, salt, n, 8, 1))
    target.write(lead)
    done = 0
    with open(source, "rb") as fh:
        index = 0
        chunk = fh.read(CHUNK)
        while True:
            following = fh.read(CHUNK) if len(chunk) == CHUNK else b""
            last = not following
            target.write(aes.encrypt(_nonce(prefix, index, last), chunk, aad))
            done += len(chunk)
            if progress is not None:
                progress(done, size)
            if last:
                break
            chunk, index = following, index + 1


@dataclass(frozen=True)
class Header:
    raw: dict[str, Any]
    lead: bytes
    """Magic, length and header bytes (the chunks' aad is their SHA-256)."""

    @property
    def meta(self) -> dict[str, Any]:
        value = self.raw.get("meta")
        return value if isinstance(value, dict) else {}


def read_header(fh: BinaryIO) -> Header:
    magic = fh.read(len(ENCRYPTED_MAGIC))
    if magic != ENCRYPTED_MAGIC:
        raise StorageError(_("不是本程序的加密备份文件。"))
    length_bytes = fh.read(4)
    if len(length_bytes) != 4:
        raise StorageError(_("加密备份文件不完整（头部被截断）。"))
    (length,) = struct.unpack(">I", length_bytes)
    if length > _MAX_HEADER:
        raise StorageError(_("加密备份文件的头部已损坏。"))
    body = fh.read(length)
    try:
        raw = json.loads(body)
    except ValueError:
        raise StorageError(_("加密备份文件的头部已损坏。")) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise StorageError(_("加密备份文件的头部已损坏。"))
    if raw.get("version") != VERSION:
        raise StorageError(_("该加密备份来自更新版本的程序（格式版本 {v}），请先升级程序。").format(v=raw.get("version")))
    return Header(raw, magic + length_bytes + body)


def decrypt_file(source: Path, target: Path | None, passphrase: str | None, *,
                 progress: Callable[[int, int], None] | None = None) -> Header:
    """Decrypt ``source`` into the new file ``target`` (None: only check every chunk);
    raises WrongPassphrase or StorageError."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    with open(source, "rb") as fh:
        header = read_header(fh)
        if not passphrase:
            raise NeedsPassphrase(_("该备份已加密，请输入备份口令。"))
        try:
            kdf = header.raw["kdf"]
            n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
            salt = base64.b64decode(kdf["salt"])
            prefix = base64.b64decode(header.raw["nonce_prefix"])
            chunk_size = int(header.raw["chunk_size"])
            size = int(header.raw["size"])
        except (KeyError, TypeError, ValueError):
            raise StorageError(_("加密备份文件的头部已损坏。")) from None
        if kdf.get("name") != "scrypt" or not _N_RANGE[0] <= n <= _N_RANGE[1] or r != 8 or p != 1 \
                or len(salt) != SALT or len(prefix) != NONCE_PREFIX or not 0 < chunk_size <= 64 * CHUNK:
            raise StorageError(_("加密备份文件的头部已损坏。"))
        aes = AESGCM(_key(passphrase, salt, n, r, p))
        aad = hashlib.sha256(header.lead).digest()
        done = 0
        with open(target if target is not None else os.devnull, "wb") as out:
            index = 0
            block = fh.read(chunk_size + TAG)
            while True:
                following = fh.read(chunk_size + TAG) if len(block) == chunk_size + TAG else b""
                last = not following
                try:
                    plain = aes.decrypt(_nonce(prefix, index, last), block, aad)
                except InvalidTag:
                    if index == 0:
                        raise WrongPassphrase(_("备份口令不正确（或文件已被改动）。")) from None
                    raise StorageError(_("加密备份文件已损坏或不完整（第 {n} 块校验失败）。").format(n=index + 1)) from None
                out.write(plain)
                done += len(plain)
                if progress is not None:
                    progress(done, size)
                if last:
                    break
                block, index = following, index + 1
            out.flush()
            if target is not None:
                os.fsync(out.fileno())
        if done != size:
            raise StorageError(_("加密备份文件不完整。"))
    return header
