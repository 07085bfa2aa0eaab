"""Gapless per-desk, per-year numbers: （2026）X警校调字第012号."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation.db import require_write
from mediation.models import NumberSequence


def next_value(session: Session, *, desk_id: int, year: int, kind: str = "case") -> int:
    """Take the next number in the caller's transaction.

    The sequence row is created if missing (ON CONFLICT DO NOTHING, so two desks or
    two writers racing on the first number of a year cannot collide) and then locked
    with ``FOR UPDATE``; the number is used only if the transaction commits, so no
    gaps and no duplicates.
    """
    require_write(session)
    ensure_sequence(session, desk_id=desk_id, year=year, kind=kind)
    row = session.execute(
        select(NumberSequence)
        .where(NumberSequence.desk_id == desk_id, NumberSequence.year == year,
               NumberSequence.kind == kind)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    row.last_value += 1
    session.flush()
    return row.last_value


def ensure_sequence(session: Session, *, desk_id: int, year: int, kind: str = "case") -> None:
    """Create the (desk, year, kind) sequence row at 0 unless it exists (ON CONFLICT DO NOTHING)."""
    values = {"desk_id": desk_id, "year": year, "kind": kind, "last_value": 0}
    # Each dialect's module is imported when used: importing PostgreSQL's costs tens of
    # milliseconds of every start on SQLite.
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(NumberSequence).values(**values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(sqlite_insert(NumberSequence).values(**values).on_conflict_do_nothing())
    else:  # pragma: no cover - other databases are not supported
        if session.get(NumberSequence, (desk_id, year, kind)) is None:
            session.add(NumberSequence(**values))
            session.flush()


def format_case_number(year: int, prefix: str, seq: int) -> str:
    return f"（{year}）{prefix}第{seq:03d}号"


# Full-width digits and Latin letters (what a Chinese input method types in full-width
# mode) and the ideographic space, folded to ASCII. Brackets and other punctuation keep
# their width: the stored numbers use （）, and a name or fact may hold either kind.
_WIDTH = {**{cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)},
          **{cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)},
          **{cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)},
          0x3000: 0x20}


def fold_width(text: str) -> str:
    """Full-width digits and letters → ASCII, the ideographic space → a space."""
    return text.translate(_WIDTH)


_OPEN, _CLOSE = "(\\[〔【（", ")\\]〕】）"
_NUMBER = re.compile(rf"^[{_OPEN}]?\s*(\d{{4}})\s*[{_CLOSE}]?\s*(.+?)\s*第\s*0*(\d{{1,6}})\s*号$")
# A whole case number inside longer text (a search): the year in brackets (without them
# "2026年第3号" would be taken for one), the prefix without spaces or brackets.
_NUMBER_IN_TEXT = re.compile(
    rf"[{_OPEN}]\s*(\d{{4}})\s*[{_CLOSE}]\s*([^\s\d{_OPEN}{_CLOSE}第号][^\s{_OPEN}{_CLOSE}第号]*?)"
    rf"\s*第\s*0*(\d{{1,6}})\s*号")


def parse_case_number(text: str) -> tuple[int, str, int] | None:
    """``（2026）X警校调字第012号`` → (2026, "X警校调字", 12).

    As a person types it: brackets full-width, ASCII, 〔〕 or 【】 (or none), digits and
    letters full- or half-width, spaces anywhere around the parts, the sequence with or
    without its leading zeros.
    """
    m = _NUMBER.match(fold_width(unicodedata.normalize("NFC", text)).strip())
    if not m or int(m.group(3)) == 0:
        return None
    return int(m.group(1)), m.group(2), int(m.group(3))


def normalise_case_number(text: str) -> str:
    """A case number as typed → as stored (``(2026)X警校调字第12号`` → ``（2026）X警校调字第012号``).

    The one normalisation of case numbers: search (the app's box and ``mediation
    search``), ``render``, imports and anything else where a person types a number go
    through it. Text that is not a whole case number comes back with its width folded
    and its ends stripped.
    """
    parsed = parse_case_number(text)
    if parsed is None:
        return fold_width(unicodedata.normalize("NFC", text)).strip()
    return format_case_number(*parsed)


def normalise_numbers_in(text: str) -> str:
    """Every whole case number inside ``text`` in its stored form, the rest width-folded.

    ``押金 (2026) X警校调字 第12号`` → ``押金  （2026）X警校调字第012号 ``: the spaces a
    person types inside a number no longer split it into several search terms.
    """
    folded = fold_width(unicodedata.normalize("NFC", text))

    def canonical(m: re.Match[str]) -> str:
        seq = int(m.group(3))
        # Spaces around: a number typed against other text is still a term of its own.
        return f" {format_case_number(int(m.group(1)), m.group(2), seq)} " if seq else m.group(0)

    return _NUMBER_IN_TEXT.sub(canonical, folded)


def is_case_number(text: str) -> bool:
    """Whether ``text`` is a whole case number in its stored form."""
    parsed = parse_case_number(text)
    return parsed is not None and format_case_number(*parsed) == text
