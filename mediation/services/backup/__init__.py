"""Back up and restore the SQLite database file (PostgreSQL: the server's owner runs pg_dump).

* :mod:`.copy` — a consistent, checked copy with its metadata, optionally encrypted;
* :mod:`.crypto` — the encrypted backup's file format (AES-256-GCM, scrypt);
* :mod:`.meta` — a backup's metadata (the audit chains' checkpoints);
* :mod:`.restoring` — the complete check of a candidate, the swap, putting the old file back;
* :mod:`.files` — names, temporaries renamed when complete, stale temporaries removed;
* :mod:`.auto` — the automatic backups of each day, their rotation and status.
"""

from __future__ import annotations

from mediation.services.backup.copy import BackupResult, backup, check_copy
from mediation.services.backup.crypto import NeedsPassphrase, WrongPassphrase
from mediation.services.backup.files import clean_stale, looks_like_backup
from mediation.services.backup.meta import BackupMeta, read_metadata
from mediation.services.backup.restoring import (
    Candidate,
    RestoreResult,
    check_backup_file,
    prepare,
    restore,
)

__all__ = [
    "BackupMeta",
    "BackupResult",
    "Candidate",
    "NeedsPassphrase",
    "RestoreResult",
    "WrongPassphrase",
    "backup",
    "check_backup_file",
    "check_copy",
    "clean_stale",
    "looks_like_backup",
    "prepare",
    "read_metadata",
    "restore",
]
