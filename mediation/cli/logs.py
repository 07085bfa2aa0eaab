"""The command line's log file: rotating, in the data directory, personal data masked."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_log_handler: logging.handlers.RotatingFileHandler | None = None


_ID_RE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


_MOBILE_RE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


_LANDLINE_RE = re.compile(r"(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])")


_SQL_PARAMS_RE = re.compile(r"\[parameters: .*?(?=\n\(Background on this error|\Z)", re.S)


def redact(text: str) -> str:
    """Mask what looks like an ID or phone number; drop SQL parameters entirely."""
    from mediation.validation import mask_id_number, mask_phone

    text = _SQL_PARAMS_RE.sub("[parameters: <redacted>]", text)
    text = _ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), text)
    return _LANDLINE_RE.sub(lambda m: mask_phone(m.group(0)), text)


class RedactingFormatter(logging.Formatter):
    """Personal data never reaches the log file, even inside exception messages."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_file() -> Path:
    from mediation.config import log_dir

    return log_dir() / "mediation.log"


def setup_logging() -> Path | None:
    """Log to a rotating file in the data directory; returns its path (None if impossible)."""
    global _log_handler
    path = log_file()
    if _log_handler is not None:
        if _log_handler.baseFilename == str(path.absolute()):
            return path
        logging.getLogger().removeHandler(_log_handler)
        _log_handler.close()
        _log_handler = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5,
                                                       encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    # Alembic announces each of its plugins at INFO on every start: not worth a log line.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    _log_handler = handler
    return path


def flush() -> None:
    """Write out what was logged (the process may end right after the command)."""
    if _log_handler is not None:
        _log_handler.flush()
