"""Case text search: one place that turns typed text into conditions, hiding every index behind it.

A query is split on whitespace into terms that must all match (AND); a case number
typed anywhere in it is first put in its stored form (``numbering.normalise_numbers_in``:
half-width or other brackets, full-width digits, spaces). Each term is one of:

* **a whole case number** → ``number = …`` through the column's unique index;
* **3+ characters**, looked for in the number, title, facts, claims, party names and
  phones: SQLite's FTS5 ``trigram`` index (0002; with ``detail='none'`` it keeps no
  positions, so terms longer than three characters are confirmed on the row);
  PostgreSQL's ``pg_trgm`` GIN index over the same text; ``LIKE``/``ILIKE`` where neither
  exists;
* **1–2 characters**, looked for in party names, phones and case numbers:
  - a *name term* (it occurs in no case number or phone of the desk: 王, 张三) is
    answered by ``search_gram`` (0008), whose key ``(gram, desk_id, registered_at,
    case_id)`` gives the cases holding it in the case list's default order;
  - a *walk term* (it occurs in some number or phone: digits, the number's prefix, or
    it holds a separator of the list line) is in a large share of the cases, so the
    list walks its own index and checks each row.

How the statement is driven is chosen from the terms' sizes, which are probed through
the indexes first (at most ``PROBE_CAP`` + 1 entries each): a term with few cases gives
their ids (looked up and sorted); else a name term's posting drives the default order
(:class:`Posting`); else the list's own index is walked, each term checked on the row
(3+ character terms with up to ``MEMBERSHIP_CAP`` cases as a set made once). Every
choice returns the same rows; only the work differs.

Letters fold case in ASCII only (SQLite's LIKE and ``lower()`` do no more), on both
databases, so a term finds the same cases however it is answered.
"""

from __future__ import annotations

import threading
import unicodedata
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.pool import Pool

from mediation.models import (
    Case,
    CaseStageCount,
    Consultation,
    ConsultationGram,
    Desk,
    SearchGram,
    SearchGramCount,
    SearchWalkGram,
)
from mediation.permissions import Actor
from mediation.services import numbering

if TYPE_CHECKING:
    from mediation.services.consultations import ConsultationView

SearchMode = Literal["fts5", "like", "pg_trgm", "ilike"]

MIN_TRIGRAM_CHARS = 3
"""Terms shorter than this cannot use a trigram index."""
MAX_TERMS = 8
PROBE_CAP = 1000
"""Up to this many candidate cases are looked up directly (ids, then sorted)."""
MEMBERSHIP_CAP = 20_000
"""A 3+ character term with up to this many candidates is a set made once while walking;
more, and each row is checked (it is then in one case of every few)."""
MAX_TERM_CHARS = 100
LIKE_ESCAPE = "\\"
SEPARATORS = "、/（） \u3000"
"""What the list line puts between names (and spaces): never inside a name gram (0008)."""
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_LOWER = str.maketrans(_UPPER, _UPPER.lower())

SEARCH_COLUMNS = (Case.number, Case.title, Case.party_names, Case.party_phones, Case.facts,
                  Case.claims)
SHORT_COLUMNS = (Case.party_names, Case.party_phones, Case.number)

# The FTS5 tables (external content: rowid is the row's id).
_fts = table("case_fts", column("rowid", Integer))
_FTS_MATCH = literal_column("case_fts").op("MATCH")
_cfts = table("consultation_fts", column("rowid", Integer))
_CFTS_MATCH = literal_column("consultation_fts").op("MATCH")

# Same text as the index expression in migration 0002 (PostgreSQL only uses an
# expression index for the identical expression). Separators are written as SQL
# literals, not bound parameters, so the planner sees constants. Terms never contain
# whitespace, so a match cannot straddle two columns.
_SEP = literal_column("' '", String)
PG_SEARCH_EXPR: Any = (
    func.coalesce(Case.number, literal_column("''", String)) + _SEP + Case.title + _SEP
    + Case.party_names + _SEP + Case.party_phones + _SEP + Case.facts + _SEP + Case.claims
)
# …and the consultations' (0008).
PG_CONSULTATION_EXPR: Any = (
    Consultation.person_name + _SEP + Consultation.phone + _SEP + Consultation.topic + _SEP
    + Consultation.question + _SEP + Consultation.answer
)
CONSULTATION_COLUMNS = (Consultation.person_name, Consultation.phone, Consultation.topic,
                        Consultation.question, Consultation.answer)

_G = SearchGram.__table__
_W = SearchWalkGram.__table__

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


_definer: weakref.WeakKeyDictionary[Pool, bool] = weakref.WeakKeyDictionary()


def through_definer(session: Session) -> bool:
    """PostgreSQL, connected as a desk role (row-level security on) with the search functions
    of revision 0013: 3+ character terms go through them (cached per engine)."""
    engine = session.get_bind().engine
    if engine.dialect.name != "postgresql":
        return False
    with _modes_lock:
        found = _definer.get(engine.pool)
    if found is not None:
        return found
    from mediation import rls

    conn = session.connection()
    found = (rls.connection_desk(conn) is not None and conn.execute(text(
        "SELECT to_regprocedure('mediation_case_ids_like(text)') IS NOT NULL "
        "AND has_function_privilege('mediation_case_ids_like(text)', 'EXECUTE')")).scalar() is True)
    with _modes_lock:
        _definer[engine.pool] = found
    return found


def forget_modes() -> None:
    """Drop the cached detection (after a schema upgrade or downgrade in-process)."""
    with _modes_lock:
        _modes.clear()
        _definer.clear()


def terms(query: str) -> list[str]:
    """The whitespace-separated terms of ``query``, normalised.

    NFC, control characters dropped, full-width digits and letters folded, and every
    whole case number in its stored form (one term however it was typed).
    """
    query = numbering.normalise_numbers_in(unicodedata.normalize("NFC", query))
    clean = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in query)
    out: list[str] = []
    for term in clean.split():
        term = term[:MAX_TERM_CHARS]
        if term not in out:
            out.append(term)
    return out[:MAX_TERMS]


def ascii_lower(term: str) -> str:
    return term.translate(_ASCII_LOWER)


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


def _has_letters(term: str) -> bool:
    return any("a" <= ch.lower() <= "z" for ch in term)


def _holds(col: Any, term: str, *, ilike: bool) -> ColumnElement[bool]:
    """``col`` contains ``term``: (I)LIKE with escaped wildcards.

    SQLite, term without ASCII letters (so LIKE's case folding changes nothing):
    ``instr()``, a plain substring search about twice as fast as LIKE's pattern matcher.
    """
    if not ilike and not _has_letters(term):
        return func.instr(col, term) > 0
    pattern = like_pattern(term)
    cond: ColumnElement[bool] = (col.ilike(pattern, escape=LIKE_ESCAPE) if ilike
                                 else col.like(pattern, escape=LIKE_ESCAPE))
    return cond


def _holds_short(col: Any, term: str, *, pg: bool) -> ColumnElement[bool]:
    """``col`` contains the (ASCII-lower-cased) short ``term``, letters folded in ASCII only."""
    if not pg:
        return _holds(col, term, ilike=False)
    if _has_letters(term):
        return func.strpos(func.translate(col, _UPPER, _UPPER.lower()), term) > 0
    return func.strpos(col, term) > 0


def _like_any(term: str, *, ilike: bool, columns: Sequence[Any] = SEARCH_COLUMNS) -> ColumnElement[bool]:
    return or_(*(_holds(col, term, ilike=ilike) for col in columns))


# ---------------------------------------------------------------- preparing a search
#
# A search's statement depends on its *shape* (each term's kind and role, whether a
# desk list is given); the values (terms, patterns, desks) are bound parameters. The
# conditions of each shape are built once and reused, as the case list reuses its page
# statements: building and compiling a statement per keystroke cost more than running it.

Role = Literal["number", "few", "member", "row", "posting", "pg", "pgset"]


@dataclass(frozen=True)
class Posting:
    """Drive the list's default order by one name term's rows of ``search_gram``."""

    gram: Any
    """The bound parameter holding the term."""
    desk: Any
    """The bound parameter holding the desk."""
    rest: tuple[ColumnElement[bool], ...]
    """The other terms' conditions (on ``mediation_case``)."""


@dataclass(frozen=True)
class Prepared:
    """What a search adds to the case list."""

    shape: tuple[Any, ...]
    """Decides the statement (with the list's own shape); equal shapes, one statement."""
    conds: tuple[ColumnElement[bool], ...]
    """Every term as conditions on ``mediation_case``: complete on their own."""
    params: dict[str, Any]
    posting: Posting | None = None
    """If set, the list in its default order (and its count) is read along this posting
    instead; same rows, work in proportion to the page."""
    roles: tuple[str, ...] = ()

    @property
    def plan(self) -> str:
        """How it is driven (tests and benchmarks): number | posting | few | walk."""
        for role in ("number", "posting", "few", "pgset"):
            if role in self.roles:
                return "few" if role == "pgset" else role
        return "walk"


@dataclass
class _Term:
    text: str
    kind: Literal["number", "long", "name", "walk"]
    size: int = 0
    """Probed: candidates seen, at most the cap used + 1."""
    role: Role = "row"


def _single_desk(session: Session, desks: frozenset[int] | None) -> int | None:
    """The one desk whose cases are listed, if there is one (None: several or any)."""
    if desks is not None:
        return next(iter(desks)) if len(desks) == 1 else None
    found = session.connection().execute(_ONE_DESK).scalars().all()
    return found[0] if len(found) == 1 else None


_ONE_DESK = select(Desk.id).limit(2)
_WALK_ALL = select(_W.c.gram).where(_W.c.gram.in_(bindparam("grams", expanding=True))).distinct()
_WALK_DESKS = _WALK_ALL.where(_W.c.desk_id.in_(bindparam("desks", expanding=True)))
_CAP = bindparam("cap", type_=Integer)


def _posting_sub(g: Any, desks: Any | None) -> Any:
    stmt = select(_G.c.case_id).where(_G.c.gram == g)
    return stmt if desks is None else stmt.where(_G.c.desk_id.in_(desks))


def _count_limited(ids: Any) -> Any:
    return select(func.count()).select_from(ids.limit(_CAP).subquery())


_PROBE_FTS = _count_limited(select(_fts.c.rowid).where(_FTS_MATCH(bindparam("q"))))
_PROBE_POSTING_ALL = _count_limited(_posting_sub(bindparam("g"), None))
_PROBE_POSTING_DESKS = _count_limited(_posting_sub(bindparam("g"), bindparam("desks", expanding=True)))


def _walk_grams(session: Session, grams: Iterable[str], desks: frozenset[int] | None) -> set[str]:
    wanted = sorted(set(grams))
    if not wanted:
        return set()
    if desks is None:
        return set(session.connection().execute(_WALK_ALL, {"grams": wanted}).scalars())
    return set(session.connection().execute(_WALK_DESKS, {"grams": wanted, "desks": sorted(desks)}).scalars())


def _probe_fts(session: Session, query: str, cap: int) -> int:
    return int(session.connection().execute(_PROBE_FTS, {"q": query, "cap": cap + 1}).scalar() or 0)


def _probe_posting(session: Session, gram: str, desks: frozenset[int] | None, cap: int) -> int:
    if desks is None:
        return int(session.connection().execute(_PROBE_POSTING_ALL, {"g": gram, "cap": cap + 1}).scalar() or 0)
    return int(session.connection().execute(
        _PROBE_POSTING_DESKS, {"g": gram, "desks": sorted(desks), "cap": cap + 1}).scalar() or 0)


def classify(session: Session, words: list[str], desks: frozenset[int] | None) -> list[_Term]:
    """Each term with its kind (the walk grams of the desks looked up once)."""
    short = [ascii_lower(w) for w in words if len(w) < MIN_TRIGRAM_CHARS]
    walk = _walk_grams(session, (w for w in short if not any(c in SEPARATORS for c in w)), desks)
    out: list[_Term] = []
    for w in words:
        if numbering.is_case_number(w):
            out.append(_Term(w, "number"))
        elif len(w) >= MIN_TRIGRAM_CHARS:
            out.append(_Term(w, "long"))
        else:
            t = ascii_lower(w)
            out.append(_Term(t, "walk" if t in walk or any(c in SEPARATORS for c in t) else "name"))
    return out


def prepare(session: Session, query: str, desks: frozenset[int] | None, *, ordered: bool = True,
            count_all: bool = False) -> Prepared | None:
    """The conditions for cases matching every term of ``query`` among ``desks`` (None: all).

    ``ordered``: the list is in its default order (registration, newest first or
    last), which a name term's posting can give; ``count_all``: for an exact count.
    None when the query has no terms.
    """
    words = terms(query)
    if not words:
        return None
    mode = search_mode(session)
    pg = session.get_bind().dialect.name == "postgresql"
    found = classify(session, words, desks)
    _assign_roles(session, found, desks, mode, ordered=ordered)
    definer = mode == "pg_trgm" and through_definer(session)
    if definer and count_all:
        # Counting every match as a desk role: the term's cases from the trigram index
        # (as the table's owner would count them), not every case of the desk walked.
        for t in found:
            if t.role == "pg":
                t.role = "pgset"
    shape: tuple[Any, ...] = (mode, desks is None, definer,
                              *((t.kind, t.role, len(t.text) == MIN_TRIGRAM_CHARS, _has_letters(t.text))
                                for t in found))
    desk = _single_desk(session, desks) if any(t.role == "posting" for t in found) else None
    built = _BUILT.get(shape)
    if built is None:
        if len(_BUILT) > 1000:  # many different searches over a long day
            _BUILT.clear()
        built = _build(found, mode, pg=pg, all_desks=desks is None, definer=definer)
        _BUILT[shape] = built
    conds, posting = built
    params = _params(found, mode, desks, desk)
    return Prepared(shape, conds, params, posting, tuple(t.role for t in found))


def _assign_roles(session: Session, found: list[_Term], desks: frozenset[int] | None, mode: SearchMode, *,
                  ordered: bool) -> None:
    if any(t.kind == "number" for t in found):
        for t in found:
            t.role = "number" if t.kind == "number" and all(u.role != "number" for u in found) else "row"
        return
    pg = mode in ("pg_trgm", "ilike")
    for t in found:
        if t.kind == "long":
            t.role = "pg" if pg else "row"
            if mode == "fts5":
                t.size = _probe_fts(session, fts_query([t.text]), PROBE_CAP)
        elif t.kind == "name":
            t.size = _probe_posting(session, t.text, desks, PROBE_CAP)
    longs = [t for t in found if t.kind == "long" and mode == "fts5"]
    names = [t for t in found if t.kind == "name"]
    few_long = min(longs, key=lambda t: t.size) if longs else None
    if few_long is not None and few_long.size > PROBE_CAP:
        few_long = None
    single = bool(ordered and names and _single_desk(session, desks) is not None)
    if names and single and not (pg and any(t.kind == "long" for t in found)):
        if len(names) > 1:  # the name term with the fewest cases drives (counted further than the probe)
            for t in names:
                t.size = _probe_posting(session, t.text, desks, 50 * PROBE_CAP)
        driver = min(names, key=lambda t: t.size)
        if few_long is not None and few_long.size < driver.size:
            few_long.role = "few"
        else:
            driver.role = "posting"
    elif few_long is not None and (not names or few_long.size <= min(t.size for t in names)):
        few_long.role = "few"
    elif names and min(t.size for t in names) <= PROBE_CAP:
        min(names, key=lambda t: t.size).role = "few"
    if pg:
        for t in names:
            if t.role == "row":
                t.role = "few"  # a set the planner may join by (semi-join) or probe
        if mode == "pg_trgm":
            _assign_pg_long_roles(session, [t for t in found if t.kind == "long"], desks)
        return
    if not any(t.role == "few" for t in found):
        # Walking the list (or a posting): a 3+ character term in a small share of the
        # cases is tested against its candidate set, made once; one in a larger share
        # (a twentieth or more) is checked on each row, which finds a page of them after
        # reading twenty pages at most.
        total = _case_total(session, desks) if longs else 0
        for t in longs:
            size = _count_fts(session, t)
            if size <= MEMBERSHIP_CAP and size * 20 < total:
                t.role = "member"


_CASE_TOTAL_ALL = select(func.coalesce(func.sum(CaseStageCount.n), 0))
_CASE_TOTAL_DESKS = _CASE_TOTAL_ALL.where(CaseStageCount.desk_id.in_(bindparam("desks", expanding=True)))


def _case_total(session: Session, desks: frozenset[int] | None) -> int:
    """How many cases the desks hold (the counts kept per desk and stage)."""
    if desks is None:
        return int(session.connection().execute(_CASE_TOTAL_ALL).scalar() or 0)
    return int(session.connection().execute(_CASE_TOTAL_DESKS, {"desks": sorted(desks)}).scalar() or 0)


PG_WALK_PROBE = 250
"""PostgreSQL: how many of the list's newest cases a 3+ character term is tried on first.

Each row tried is the case's whole text (facts and claims) read and matched: 1,000 rows
cost 11–13 ms at 100,000 cases (EXPLAIN ANALYZE, issue 13), most of every 3+ character
search there; 250 decide as well (the threshold scales with it, and near the crossing
point either choice costs about the same)."""


_CASES_ELSEWHERE = select(func.coalesce(func.sum(CaseStageCount.n), 0)).where(
    CaseStageCount.desk_id.not_in(bindparam("desks", expanding=True)))
_COUNT_FTS = select(func.count()).select_from(_fts).where(_FTS_MATCH(bindparam("q", type_=String)))


_GRAM_COUNT_ALL = select(func.coalesce(func.sum(SearchGramCount.n), 0)).where(
    SearchGramCount.gram == bindparam("g", type_=String))
_GRAM_COUNT_DESKS = _GRAM_COUNT_ALL.where(SearchGramCount.desk_id.in_(bindparam("desks", expanding=True)))


def count_from_index(session: Session, query: str, desks: frozenset[int] | None) -> int | None:
    """How many cases among ``desks`` (None: all) match every term of ``query``, read from
    counts and indexes alone, or None when they cannot answer by themselves.

    * One term of one or two characters: the count kept per desk and substring
      (``search_gram_count``, revision 0014), one row per desk.
    * SQLite, every term three characters without cased letters, and ``desks`` holding
      every case of the database: the FTS5 index (the index has no desk; a term of three
      characters is one trigram, which it answers exactly, and no folding of case can
      make another character equal to one without case).

    Counting “12” or 电动车 in a fifth of a million cases this way takes milliseconds, where
    reading every matching row took 0.4–0.8 s (issue 13).
    """
    words = terms(query)
    if not words or any(numbering.is_case_number(w) for w in words):
        return None
    conn = session.connection()
    if len(words) == 1 and len(words[0]) < MIN_TRIGRAM_CHARS:
        params: dict[str, Any] = {"g": ascii_lower(words[0])}
        if desks is None:
            return int(conn.execute(_GRAM_COUNT_ALL, params).scalar() or 0)
        return int(conn.execute(_GRAM_COUNT_DESKS, {**params, "desks": sorted(desks)}).scalar() or 0)
    if search_mode(session) != "fts5":
        return None
    if any(len(w) != MIN_TRIGRAM_CHARS or any(ch.lower() != ch.upper() for ch in w) for w in words):
        return None
    if desks is not None and int(conn.execute(_CASES_ELSEWHERE, {"desks": sorted(desks)}).scalar() or 0):
        return None
    return int(conn.execute(_COUNT_FTS, {"q": fts_query(words)}).scalar() or 0)


def _pg_walk_probe_stmt(desks: bool) -> Any:
    stmt = select(PG_SEARCH_EXPR.label("t"))
    if desks:
        stmt = stmt.where(Case.desk_id.in_(bindparam("desks", expanding=True)))
    sub = stmt.order_by(Case.registered_at.desc(), Case.id.desc()).limit(PG_WALK_PROBE).subquery()
    return select(func.count()).select_from(sub).where(sub.c.t.ilike(bindparam("p"), escape=LIKE_ESCAPE))


_PG_WALK_PROBES = {d: _pg_walk_probe_stmt(d) for d in (False, True)}


def _assign_pg_long_roles(session: Session, longs: list[_Term], desks: frozenset[int] | None) -> None:
    """PostgreSQL's estimate for a trigram ``ILIKE`` is a flat 1 %, whatever the term: it
    walks the list for a term in one case of a thousand (reading 50,000 rows for a page).
    So the term is tried on the list's newest ``PG_WALK_PROBE`` cases: found often enough,
    the walk stays (a page within a few thousand rows); else its cases are taken from the
    GIN trigram index as a set (work in proportion to them) and sorted. The crossing
    point: a term in a share s of N cases costs about 50/s rows walked or s·N taken, equal
    at s = √(50/N).
    """
    if not longs:
        return
    total = max(1, _case_total(session, desks))
    threshold = PG_WALK_PROBE * min(1.0, (50 / total) ** 0.5)
    params: dict[str, Any] = {"desks": sorted(desks)} if desks is not None else {}
    for t in longs:
        seen = int(session.connection().execute(_PG_WALK_PROBES[desks is not None],
                                                {**params, "p": like_pattern(t.text)}).scalar() or 0)
        t.size = seen
        if seen < threshold:
            t.role = "pgset"


def _count_fts(session: Session, t: _Term) -> int:
    if t.size <= PROBE_CAP:
        return t.size
    t.size = _probe_fts(session, fts_query([t.text]), MEMBERSHIP_CAP)
    return t.size


def _holds_param(col: Any, i: int, *, pg: bool, letters: bool) -> ColumnElement[bool]:
    """``col`` holds term ``i`` (bound as ``t{i}``, or as a LIKE pattern ``p{i}``); letters fold in ASCII."""
    term = bindparam(f"t{i}", type_=String)
    if pg:
        if letters:
            return func.strpos(func.translate(col, _UPPER, _UPPER.lower()), term) > 0
        return func.strpos(col, term) > 0
    if not letters:
        return func.instr(col, term) > 0
    cond: ColumnElement[bool] = col.like(bindparam(f"p{i}", type_=String), escape=LIKE_ESCAPE)
    return cond


def _like_any_param(cols: Sequence[Any], i: int, mode: SearchMode, *, letters: bool) -> ColumnElement[bool]:
    if mode in ("pg_trgm", "ilike"):
        pattern = bindparam(f"p{i}", type_=String)
        return or_(*(c.ilike(pattern, escape=LIKE_ESCAPE) for c in cols))
    return or_(*(_holds_param(c, i, pg=False, letters=letters) for c in cols))


def _term_condition(t: _Term, i: int, mode: SearchMode, *, pg: bool, desks: Any | None,
                    definer: bool = False) -> ColumnElement[bool]:
    letters = _has_letters(t.text)
    if t.kind == "number":
        return Case.number == bindparam(f"t{i}", type_=String)
    if t.kind == "long" and definer and t.role in ("pg", "pgset"):
        # A desk role (row-level security): see mediation.rls.SEARCH_FUNCTIONS.
        p = bindparam(f"p{i}", type_=String)
        if t.role == "pg":  # checked on each row of the list's own index walk
            walk: ColumnElement[bool] = func.mediation_text_like(PG_SEARCH_EXPR, p)
            return walk
        m = func.mediation_case_ids_like(p).table_valued(column("id", Integer)).render_derived(name="m")
        return Case.id.in_(select(m.c.id).offset(0))
    if t.kind == "long":
        if t.role == "pg":
            pg_cond: ColumnElement[bool] = PG_SEARCH_EXPR.ilike(bindparam(f"p{i}", type_=String), escape=LIKE_ESCAPE)
            return pg_cond
        if t.role == "pgset":
            # The term's cases from the GIN index, as a set (``OFFSET 0``: not merged into
            # the outer query, where the planner would walk the list again).
            inner = aliased(Case)
            expr = (func.coalesce(inner.number, literal_column("''", String)) + _SEP + inner.title + _SEP
                    + inner.party_names + _SEP + inner.party_phones + _SEP + inner.facts + _SEP + inner.claims)
            return Case.id.in_(select(inner.id).where(expr.ilike(bindparam(f"p{i}", type_=String),
                                                                escape=LIKE_ESCAPE)).offset(0))
        exact = _like_any_param(SEARCH_COLUMNS, i, mode, letters=letters)
        if t.role not in ("few", "member"):
            return exact
        fts_ids = select(_fts.c.rowid).where(_FTS_MATCH(bindparam(f"q{i}", type_=String)))
        # Three characters are one trigram: the index answers exactly; longer terms are
        # confirmed on the row. ``id + 0`` (member): the planner must not drive by the
        # set; the list's index is walked in its order and each row tested against it.
        ids = Case.id.in_(fts_ids) if t.role == "few" else (Case.id + literal_column("0")).in_(fts_ids)
        return ids if len(t.text) == MIN_TRIGRAM_CHARS else and_(ids, exact)
    if t.kind == "name":
        if t.role in ("few", "posting"):
            return Case.id.in_(_posting_sub(bindparam(f"g{i}", type_=String), desks))
        return _holds_param(Case.party_names, i, pg=pg, letters=letters)
    return or_(*(_holds_param(c, i, pg=pg, letters=letters) for c in SHORT_COLUMNS))


def _build(found: list[_Term], mode: SearchMode, *, pg: bool, all_desks: bool,
           definer: bool = False) -> tuple[tuple[ColumnElement[bool], ...], Posting | None]:
    """The conditions of one shape, with bound parameters named after the term's position."""
    desks: Any = None if all_desks else bindparam("desks", expanding=True)
    conds = tuple(_term_condition(t, i, mode, pg=pg, desks=desks, definer=definer) for i, t in enumerate(found))
    posting: Posting | None = None
    for i, t in enumerate(found):
        if t.role == "posting":
            rest = tuple(c for j, c in enumerate(conds) if j != i)
            posting = Posting(bindparam(f"g{i}", type_=String), bindparam("posting_desk", type_=Integer), rest)
    return conds, posting


_BUILT: dict[tuple[Any, ...], tuple[tuple[ColumnElement[bool], ...], Posting | None]] = {}


def _params(found: list[_Term], mode: SearchMode, desks: frozenset[int] | None,
            desk: int | None) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if desks is not None:
        params["desks"] = sorted(desks)
    if desk is not None:
        params["posting_desk"] = desk
    for i, t in enumerate(found):
        params[f"t{i}"] = t.text
        params[f"p{i}"] = like_pattern(t.text)
        if t.kind == "long" and mode == "fts5":
            params[f"q{i}"] = fts_query([t.text])
        if t.kind == "name":
            params[f"g{i}"] = t.text
    return params


def fts_join(prepared: Prepared) -> tuple[Any, ColumnElement[bool]] | None:
    """SQLite, for reading the first few matches in any order (a capped count): the FTS5
    table joined to the cases by rowid and the MATCH of a 3+ term otherwise checked on each
    row, so its index's candidates are read first (a twentieth of the rows a scan of the
    cases checks for a term in one case of seven). None: no such term."""
    if not prepared.shape or prepared.shape[0] != "fts5":
        return None
    for i, t in enumerate(prepared.shape[3:]):
        if t[0] == "long" and t[1] in ("row", "member"):
            return _fts.join(Case, Case.id == _fts.c.rowid), _FTS_MATCH(bindparam(f"q{i}", type_=String))
    return None


def condition(session: Session, query: str, desks: frozenset[int] | None = None) -> ColumnElement[bool] | None:
    """All of :func:`prepare`'s conditions as one, values bound (None when the query has no terms)."""
    prepared = prepare(session, query, desks, ordered=False)
    if prepared is None:
        return None
    return and_(*prepared.conds).params(prepared.params)


# ---------------------------------------------------------------- consultations

_CG = ConsultationGram.__table__
CONSULTATION_SHORT_COLUMNS = (Consultation.person_name, Consultation.phone)


def find_consultations(session: Session, actor: Actor, query: str, *, limit: int = 20) -> list[ConsultationView]:
    """Consultations matching every term of ``query``, newest first (issue 12 item 7: found by search).

    Terms as for cases: 3+ characters in the asker's name, phone, topic, question and
    answer (FTS5 ``consultation_fts`` / ``pg_trgm``); 1–2 characters in the asker's name
    (``consultation_gram``, in the order of ``asked_at``) and phone (checked on the
    row). A whole case number finds none (consultations have no number). Phones come
    back masked, as everywhere.
    """
    from mediation.models import DisputeCategory, User
    from mediation.services.consultations import consultation_view

    words = terms(query)
    if not words or any(numbering.is_case_number(w) for w in words):
        return []
    desks = actor.readable_desks
    if desks is not None and not desks:
        return []
    mode = search_mode(session)
    pg = session.get_bind().dialect.name == "postgresql"
    found = classify(session, words, desks)
    conds: list[ColumnElement[bool]] = []
    if desks is not None:
        conds.append(Consultation.desk_id.in_(sorted(desks)))
    posting: _Term | None = None
    for t in found:
        letters = _has_letters(t.text)
        if t.kind == "long":
            exact = or_(*(c.ilike(like_pattern(t.text), escape=LIKE_ESCAPE) if pg else _holds(c, t.text, ilike=False)
                          for c in CONSULTATION_COLUMNS))
            if mode == "fts5" and _probe_consultation_fts(session, fts_query([t.text]), PROBE_CAP) > PROBE_CAP:
                # In many consultations (a tenth of them: 押金): checked on each row while
                # the newest are walked by (desk_id, asked_at, id), a page found in a few
                # hundred rows, rather than all its matches taken from FTS5 and sorted
                # (55 ms at a quarter of a million consultations).
                conds.append(exact)
            elif mode == "fts5":
                ids = select(_cfts.c.rowid).where(_CFTS_MATCH(fts_query([t.text])))
                conds.append(Consultation.id.in_(ids) if len(t.text) == MIN_TRIGRAM_CHARS
                             else and_(Consultation.id.in_(ids), exact))
            elif mode == "pg_trgm" and through_definer(session):  # a desk role: mediation.rls.SEARCH_FUNCTIONS
                if _pg_consultation_probe(session, desks, like_pattern(t.text)) >= PG_CONSULTATION_WALK_HITS:
                    # In many consultations: checked on each row of the newest-first walk.
                    conds.append(func.mediation_text_like(PG_CONSULTATION_EXPR, like_pattern(t.text)))
                else:
                    m = func.mediation_consultation_ids_like(like_pattern(t.text)).table_valued(
                        column("id", Integer)).render_derived(name="m")
                    conds.append(Consultation.id.in_(select(m.c.id).offset(0)))
            elif mode == "pg_trgm":
                conds.append(PG_CONSULTATION_EXPR.ilike(like_pattern(t.text), escape=LIKE_ESCAPE))
            else:
                conds.append(exact)
        elif t.kind == "name":
            if posting is None and desks is not None and len(desks) == 1:
                posting = t
            else:
                conds.append(_short_literal(Consultation.person_name, t.text, pg=pg, letters=letters))
        else:
            conds.append(or_(*(_short_literal(c, t.text, pg=pg, letters=letters)
                               for c in CONSULTATION_SHORT_COLUMNS)))
    category = (select(DisputeCategory.label).where(DisputeCategory.id == Consultation.category_id)
                .correlate(Consultation).scalar_subquery())
    case_number = (select(Case.number).where(Case.id == Consultation.converted_case_id)
                   .correlate(Consultation).scalar_subquery())
    stmt = (select(Consultation, User.display_name, category, case_number)
            .outerjoin(User, User.id == Consultation.answered_by_id))
    if posting is not None and desks is not None:
        # The asker's names by their 1–2 character substrings, newest first from the key.
        stmt = stmt.join(_CG, and_(_CG.c.consultation_id == Consultation.id, _CG.c.gram == posting.text,
                                   _CG.c.desk_id == next(iter(desks))))
        order = [_CG.c.asked_at.desc(), _CG.c.consultation_id.desc()]
    else:
        order = [Consultation.asked_at.desc(), Consultation.id.desc()]
    rows = session.execute(stmt.where(*conds).order_by(*order).limit(limit)).all()
    return [consultation_view(c, name or "", label or "", number) for c, name, label, number in rows]


PG_CONSULTATION_WALK_HITS = 5
"""PostgreSQL as a desk role: a 3+ term found in this many of the newest ``PG_WALK_PROBE``
consultations (2 %) is checked on each row of the walk (a page within about a thousand
rows); rarer, its consultations come from the trigram index as a set."""


def _pg_consultation_probe(session: Session, desks: frozenset[int] | None, pattern: str) -> int:
    stmt = select(PG_CONSULTATION_EXPR.label("t"))
    if desks is not None:
        stmt = stmt.where(Consultation.desk_id.in_(sorted(desks)))
    sub = stmt.order_by(Consultation.asked_at.desc(), Consultation.id.desc()).limit(PG_WALK_PROBE).subquery()
    probe = select(func.count()).select_from(sub).where(sub.c.t.ilike(pattern, escape=LIKE_ESCAPE))
    return int(session.execute(probe).scalar() or 0)


_PROBE_CONSULTATION_FTS = _count_limited(select(_cfts.c.rowid).where(_CFTS_MATCH(bindparam("q"))))


def _probe_consultation_fts(session: Session, query: str, cap: int) -> int:
    return int(session.connection().execute(_PROBE_CONSULTATION_FTS, {"q": query, "cap": cap + 1}).scalar() or 0)


def _short_literal(col: Any, term: str, *, pg: bool, letters: bool) -> ColumnElement[bool]:
    if pg:
        if letters:
            return func.strpos(func.translate(col, _UPPER, _UPPER.lower()), term) > 0
        return func.strpos(col, term) > 0
    return _holds(col, term, ilike=False)
