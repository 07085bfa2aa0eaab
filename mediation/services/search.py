"""Case text search: one condition builder hiding FTS5 trigram, pg_trgm, LIKE and ILIKE.

A query is split on whitespace into terms that must all match (AND). A term is a
substring looked for in the case number, title, facts, claims, party names and phones
(1–2 character terms: in names, phones and numbers only):

* SQLite, term of 3+ characters: the FTS5 ``trigram`` index of migration 0002 (kept
  in sync by triggers) finds the rows holding every trigram of the term; as that index
  keeps no positions (``detail='none'``), terms longer than three characters are then
  confirmed with ``LIKE`` on those rows only.
* Term of 1–2 characters (张三, 王): no trigram to look up, so ``LIKE '%term%'`` (or
  ILIKE) on the short indexed base columns: party names and phones, case numbers.
* PostgreSQL with ``pg_trgm``, 3+ characters: ``ILIKE`` on the same concatenated
  expression the GIN trigram index of migration 0002 is built on.
* PostgreSQL without ``pg_trgm`` (the extension could not be created), or SQLite
  without FTS5: plain ``ILIKE``/``LIKE`` on each column.

Which of these applies is detected once per engine from the schema itself.
"""

from __future__ import annotations

import threading
import unicodedata
import weakref
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    and_,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.pool import Pool

from mediation.models import Case, CaseParty, Party

SearchMode = Literal["fts5", "like", "pg_trgm", "ilike"]

MIN_TRIGRAM_CHARS = 3
"""Terms shorter than this cannot use a trigram index."""
MAX_TERMS = 8
PROBE_CAP = 2000
"""Up to this many candidate cases are looked up directly; more, and the list's index is walked."""
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
    """``term`` as one FTS5 string: quoted, with embedded quotes doubled.

    Inside an FTS5 string nothing else is special, so operators (AND, NEAR, ``*``,
    ``:``, parentheses) typed by the user are searched for literally.
    """
    return '"' + term.replace('"', '""') + '"'


def trigrams(term: str) -> list[str]:
    """Trigrams of ``term`` that cover it: every third one, and the last.

    A row holding all of them is a candidate; whether they sit next to each other is
    checked on the row (the index has no positions). Fewer trigrams, fewer doclists
    to intersect.
    """
    n = len(term)
    starts = list(range(0, n - MIN_TRIGRAM_CHARS + 1, MIN_TRIGRAM_CHARS))
    if starts[-1] != n - MIN_TRIGRAM_CHARS:
        starts.append(n - MIN_TRIGRAM_CHARS)
    out: list[str] = []
    for i in starts:
        gram = term[i:i + MIN_TRIGRAM_CHARS]
        if gram.casefold() not in (g.casefold() for g in out):
            out.append(gram)
    return out


def fts_query(words: list[str]) -> str:
    """The FTS5 MATCH expression for terms of 3+ characters: all their trigrams (AND)."""
    grams: list[str] = []
    for word in words:
        grams += [g for g in trigrams(word) if g not in grams]
    return " ".join(fts_phrase(g) for g in grams)


def like_pattern(term: str) -> str:
    """``%term%`` with LIKE's wildcards in ``term`` escaped (ESCAPE '\\')."""
    escaped = (term.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%")
               .replace("_", LIKE_ESCAPE + "_"))
    return f"%{escaped}%"


def _holds(col: Any, term: str, *, ilike: bool) -> ColumnElement[bool]:
    """``col`` contains ``term``: (I)LIKE with escaped wildcards.

    SQLite, term without ASCII letters (so LIKE's case folding changes nothing):
    ``instr()``, a plain substring search about twice as fast as LIKE's pattern matcher.
    """
    if not ilike and not any("a" <= ch.lower() <= "z" for ch in term):
        return func.instr(col, term) > 0
    pattern = like_pattern(term)
    cond: ColumnElement[bool] = (col.ilike(pattern, escape=LIKE_ESCAPE) if ilike
                                 else col.like(pattern, escape=LIKE_ESCAPE))
    return cond


def _like_any(term: str, *, ilike: bool) -> ColumnElement[bool]:
    return or_(*(_holds(col, term, ilike=ilike) for col in SEARCH_COLUMNS))


def _party_columns(term: str) -> list[Any]:
    """Names never hold digits and phones hold nothing else: look only where it can be."""
    cols: list[Any] = []
    if any(not ch.isdigit() for ch in term):
        cols.append(Party.name)
    if any(ch.isdigit() for ch in term):
        cols.append(Party.phone)
    return cols


def _short_ids(term: str, *, ilike: bool) -> CompoundSelect[Any]:
    """Ids of cases with a party whose name or phone, or whose case number, holds ``term``.

    For one or two characters (a surname, 张三) there is no trigram to look up; these
    columns are short and indexed, so scanning their indexes stays fast on 100,000
    cases where scanning every case's facts would not (see BENCHMARKS.md).
    """
    other = aliased(Case)  # not correlated with the outer query's mediation_case
    parts: list[Select[Any]] = [
        select(CaseParty.case_id).join(Party, Party.id == CaseParty.party_id)
        .where(_holds(col, term, ilike=ilike)) for col in _party_columns(term)]
    parts.append(select(other.id).where(_holds(other.number, term, ilike=ilike)))
    return union_all(*parts)


def _short_here(term: str, *, ilike: bool) -> ColumnElement[bool]:
    """The same test as :func:`_short_ids`, made on each case row (for common terms)."""
    conds = [_holds(Case.number, term, ilike=ilike)]
    cols = _party_columns(term)
    if cols:
        conds.append(exists(
            select(literal_column("1")).select_from(CaseParty).join(Party, Party.id == CaseParty.party_id)
            .where(CaseParty.case_id == Case.id, or_(*(_holds(c, term, ilike=ilike) for c in cols)))))
    return or_(*conds)


def _probe(session: Session, ids: Select[Any] | CompoundSelect[Any]) -> list[int] | None:
    """The matching case ids if there are at most PROBE_CAP of them, else None."""
    found = session.connection().execute(select(ids.subquery().c[0]).limit(PROBE_CAP + 1)).scalars().all()
    return sorted(set(found)) if len(found) <= PROBE_CAP else None


def condition(session: Session, query: str) -> ColumnElement[bool] | None:
    """A WHERE condition on ``mediation_case`` for cases matching every term of ``query``.

    None when the query has no terms (nothing to filter on). Terms of 3+ characters
    are looked for in the number, title, facts, claims, party names and phones; terms
    of 1–2 characters in party names, phones and case numbers (see :func:`_short_ids`).
    """
    words = terms(query)
    if not words:
        return None
    mode = search_mode(session)
    long_words = [w for w in words if len(w) >= MIN_TRIGRAM_CHARS]
    short_words = [w for w in words if len(w) < MIN_TRIGRAM_CHARS]
    ilike = mode in ("pg_trgm", "ilike")
    sqlite = session.get_bind().dialect.name == "sqlite"
    conds: list[ColumnElement[bool]] = []
    if mode == "fts5":
        if long_words:
            # SQLite's planner is shown the way by the number of candidates: a few are
            # looked up and sorted; many, and the list's index is walked in its order
            # and each case checked against them (``id + 0`` keeps the planner from
            # driving by the set), which stops after one page.
            fts_ids = select(_fts.c.rowid).where(_FTS_MATCH(fts_query(long_words)))
            few = _probe(session, fts_ids)
            conds.append(Case.id.in_(few) if few is not None
                         else (Case.id + literal_column("0")).in_(fts_ids))
            # A term of exactly three characters is one trigram: the index answers it
            # exactly. Longer ones are confirmed on the candidate rows.
            conds += [_like_any(w, ilike=False) for w in long_words if len(w) > MIN_TRIGRAM_CHARS]
    elif mode == "pg_trgm":
        conds += [PG_SEARCH_EXPR.ilike(like_pattern(w), escape=LIKE_ESCAPE) for w in long_words]
    else:
        conds += [_like_any(w, ilike=ilike) for w in long_words]
    for word in short_words:
        ids = _short_ids(word, ilike=ilike)
        if not sqlite:
            conds.append(Case.id.in_(ids))
            continue
        few = _probe(session, ids)
        conds.append(Case.id.in_(few) if few is not None else _short_here(word, ilike=ilike))
    return and_(*conds)
