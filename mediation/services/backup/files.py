"""Files of backups and restores: names, temporaries written then renamed, stale ones removed.

Every file that will carry a backup (a backup, the safety copy before a restore or an
upgrade) is first written under a temporary name, ``.<final name>.<purpose>-<pid>.tmp``
(hidden, ending in ``.tmp``), flushed to disk, and only then renamed to its final name:
a process killed half-way leaves a file that cannot be taken for a backup, and the next
start removes it (:func:`clean_stale`) once the process that wrote it is gone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
ENCRYPTED_MAGIC = b"MEDIATION-BACKUP\n"
PLAIN_SUFFIX = ".sqlite3"
ENCRYPTED_SUFFIX = ".mdbk"
BACKUP_SUFFIXES = (PLAIN_SUFFIX, ".db", ".sqlite", ENCRYPTED_SUFFIX)

_TEMPORARY = re.compile(r"^\..+\.(?:[a-z]+-)?(?P<pid>\d+)\.tmp(?:-wal|-shm|-journal)?$")


def temporary_for(final: Path, purpose: str) -> Path:
    """The name ``final`` is written under until it is complete."""
    return final.with_name(f".{final.name}.{purpose}-{os.getpid()}.tmp")


def sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def remove(path: Path) -> None:
    """``path`` and its SQLite side files, if they exist."""
    for p in [path, *sidecars(path)]:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - not possible on every platform (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def publish(tmp: Path, final: Path) -> None:
    """Make the complete temporary file ``tmp`` the file ``final`` (durably)."""
    fsync_file(tmp)
    os.replace(tmp, final)
    fsync_dir(final.parent)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:  # pragma: no cover - e.g. Windows without the process
        return False
    return True


def clean_stale(directory: Path) -> list[Path]:
    """Remove temporaries left in ``directory`` by processes that no longer run."""
    removed: list[Path] = []
    try:
        entries = list(directory.iterdir())
    except OSError:
        return removed
    for p in entries:
        m = _TEMPORARY.match(p.name)
        if m is None or _alive(int(m.group("pid"))):
            continue
        with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
            p.unlink()
            removed.append(p)
    if removed:
        log.info("removed %d stale temporary file(s) in %s", len(removed), directory)
    return removed


def file_kind(path: Path) -> str | None:
    """"sqlite", "encrypted", or None (not a backup this program wrote or can read)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(max(len(SQLITE_MAGIC), len(ENCRYPTED_MAGIC)))
    except OSError:
        return None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(ENCRYPTED_MAGIC):
        return "encrypted"
    return None


def looks_like_backup(path: Path) -> bool:
    """A finished backup file by its name and first bytes (temporaries never are)."""
    name = path.name
    if name.startswith(".") or name.endswith(".tmp") or not name.endswith(BACKUP_SUFFIXES):
        return False
    return path.is_file() and file_kind(path) is not None


@contextlib.contextmanager
def connect(path: Path, *, timeout: float = 10.0) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def read_only(path: Path) -> sqlite3.Connection:
    """Open a file that must not be changed (not even a journal written beside it)."""
    return sqlite3.connect(f"file:{path.as_posix()}?mode=ro&immutable=1", uri=True)
