"""Case text search: one condition builder hiding FTS5 trigram, pg_trgm, LIKE and ILIKE.

A query is split on whitespace into terms that must all match (AND). Each term is a
substring looked for in the case number, title, facts, claims, party names and phones:

* SQLite, term of 3+ characters: ``case_fts MATCH '"term"'`` on the FTS5 ``trigram``
  index created by migration 0002 (kept in sync by triggers).
* SQLite, term of 1–2 characters (张三, 王, a surname or a two-digit fragment): the
  trigram index cannot answer those, so ``LIKE '%term%'`` on the base columns.
* PostgreSQL with ``pg_trgm``: ``ILIKE`` on the same concatenated expression the GIN
  trigram index of migration 0002 is built on, so the index answers 3+ characters.
* PostgreSQL without ``pg_trgm`` (the extension could not be created): plain
  ``ILIKE`` per column.

Which of these applies is detected once per engine from the schema itself.
"""

from __future__ import annotations

import threading
import unicodedata
import weakref
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from mediation.models import Case

SearchMode = Literal["fts5", "like", "pg_trgm", "ilike"]

MIN_TRIGRAM_CHARS = 3
"""Terms shorter than this cannot use a trigram index."""
MAX_TERMS = 8
MAX_TERM_CHARS = 100
LIKE_ESCAPE = "\\"

SEARCH_COLUMNS = (Case.number, Case.title, Case.party_names, Case.party_phones, Case.facts,
                  Case.claims)

# The FTS5 table of migration 0002 (external content: its rowid is mediation_case.id).
_fts = table("case_fts", column("rowid", Integer))
_FTS_MATCH = literal_column("case_fts").op("MATCH")

# Same text as the index expression in migration 0002 (PostgreSQL only uses an
# expression index for the identical expression). Separators are written as SQL
# literals, not bound parameters, so the planner sees constants. Terms never contain
# whitespace, so a match cannot straddle two columns.
_SEP = literal_column("' '", String)
PG_SEARCH_EXPR: Any = (
    func.coalesce(Case.number, literal_column("''", String)) + _SEP + Case.title + _SEP
    + Case.party_names + _SEP + Case.party_phones + _SEP + Case.facts + _SEP + Case.claims
)

_modes: weakref.WeakKeyDictionary[Pool, SearchMode] = weakref.WeakKeyDictionary()
_modes_lock = threading.Lock()


def search_mode(session: Session) -> SearchMode:
    """Which search implementation this database supports (cached per engine)."""
    engine = session.get_bind().engine
    with _modes_lock:
        mode = _modes.get(engine.pool)
    if mode is not None:
        return mode
    if engine.dialect.name == "sqlite":
        found = session.execute(text(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'case_fts'")).first()
        mode = "fts5" if found else "like"
    elif engine.dialect.name == "postgresql":
        found = session.execute(text(
            "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_case_search_trgm'"
            " AND schemaname = current_schema()")).first()
        mode = "pg_trgm" if found else "ilike"
    else:  # pragma: no cover - other databases are not supported
        mode = "like"
    with _modes_lock:
        _modes[engine.pool] = mode
    return mode


def forget_modes() -> None:
    """Drop the cached detection (after a schema upgrade or downgrade in-process)."""
    with _modes_lock:
        _modes.clear()


def terms(query: str) -> list[str]:
    """The whitespace-separated terms of ``query``, normalised (NFC, no control characters)."""
    clean = "".join(ch if unicodedata.category(ch)[0] != "C" else " "
                    for ch in unicodedata.normalize("NFC", query))
    out: list[str] = []
    for term in clean.split():
        term = term[:MAX_TERM_CHARS]
        if term not in out:
            out.append(term)
    return out[:MAX_TERMS]


def fts_phrase(term: str) -> str:
    """``term`` as one FTS5 string (phrase): quoted, with embedded quotes doubled.

    Inside an FTS5 string nothing else is special, so operators (AND, NEAR, ``*``,
    ``:``, parentheses) typed by the user are searched for literally.
    """
    return '"' + term.replace('"', '""') + '"'


def like_pattern(term: str) -> str:
    """``%term%`` with LIKE's wildcards in ``term`` escaped (ESCAPE '\\')."""
    escaped = (term.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%")
               .replace("_", LIKE_ESCAPE + "_"))
    return f"%{escaped}%"


def _like_any(term: str, *, ilike: bool) -> ColumnElement[bool]:
    pattern = like_pattern(term)
    if ilike:
        return or_(*(col.ilike(pattern, escape=LIKE_ESCAPE) for col in SEARCH_COLUMNS))
    return or_(*(col.like(pattern, escape=LIKE_ESCAPE) for col in SEARCH_COLUMNS))


def condition(session: Session, query: str) -> ColumnElement[bool] | None:
    """A WHERE condition on ``mediation_case`` for cases matching every term of ``query``.

    None when the query has no terms (nothing to filter on).
    """
    words = terms(query)
    if not words:
        return None
    mode = search_mode(session)
    long_words = [w for w in words if len(w) >= MIN_TRIGRAM_CHARS]
    short_words = [w for w in words if len(w) < MIN_TRIGRAM_CHARS]
    conds: list[ColumnElement[bool]] = []
    if mode == "fts5":
        if long_words:
            match = " ".join(fts_phrase(w) for w in long_words)  # implicit AND
            conds.append(Case.id.in_(select(_fts.c.rowid).where(_FTS_MATCH(match))))
        conds += [_like_any(w, ilike=False) for w in short_words]
    elif mode == "pg_trgm":
        conds += [PG_SEARCH_EXPR.ilike(like_pattern(w), escape=LIKE_ESCAPE) for w in long_words]
        conds += [_like_any(w, ilike=True) for w in short_words]
    else:
        conds += [_like_any(w, ilike=(mode == "ilike")) for w in words]
    return and_(*conds)
