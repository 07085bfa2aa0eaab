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


_NUMBER = re.compile(r"^[(\[〔【]?\s*(\d{4})\s*[)\]〕】]?\s*(.+?)\s*第\s*0*(\d{1,6})\s*号$")


def parse_case_number(text: str) -> tuple[int, str, int] | None:
    """``（2026）X警校调字第012号`` → (2026, "X警校调字", 12); brackets may be ASCII or 〔〕."""
    m = _NUMBER.match(unicodedata.normalize("NFKC", text.strip()))
    if not m or int(m.group(3)) == 0:
        return None
    return int(m.group(1)), m.group(2), int(m.group(3))
