"""The search and count tables of migration 0008: bulk loads, rebuilding, statistics.

Triggers keep ``search_gram``, ``consultation_gram``, ``search_walk_gram`` and
``case_stage_count`` (and the FTS5 tables on SQLite), and ``search_gram_count`` (0014), in
step with every change, in the same transaction. Three things happen outside them:

* a bulk load (the demo's hundreds of thousands of rows) switches them off for its
  transaction (:func:`bulk_load`) and fills the tables once, set-based, at the end;
* ``mediation db reindex`` (:func:`reindex`) empties and refills every one of them;
* statistics: after a bulk load the whole database is analyzed (:func:`analyze`; on
  PostgreSQL also vacuumed once committed, :func:`after_bulk_load`), and on SQLite
  ``PRAGMA optimize`` runs when a database is closed (``mediation.db.optimize_sqlite``).

The fill statements are the ones migration 0008 used (frozen there; a test checks that
both produce the same rows as the triggers).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from mediation.db import Database

log = logging.getLogger(__name__)

SEPARATORS = "、/（） \u3000"
"""What ``party_summary`` puts between names, and spaces: never part of a name gram (as in 0008)."""

SQLITE_TRIGGERS = (
    "search_gram_ai", "search_gram_ad", "search_gram_au", "search_gram_walk_au",
    "consultation_gram_ai", "consultation_gram_ad", "consultation_gram_au", "consultation_gram_walk_au",
    "case_stage_count_ai", "case_stage_count_ad", "case_stage_count_au",
    "search_gram_count_ai", "search_gram_count_ad", "search_gram_count_au",
)
"""The triggers of 0008 and 0014 a bulk load drops for its transaction (re-created from their stored SQL)."""

# (source table, gram table, text column, order column, id column)
_GRAM_SOURCES = (
    ("mediation_case", "search_gram", "party_names", "registered_at", "case_id"),
    ("consultation", "consultation_gram", "person_name", "asked_at", "consultation_id"),
)
# (source table, text column) whose substrings go into search_walk_gram
_WALK_SOURCES = (("mediation_case", "party_phones"), ("mediation_case", "number"), ("consultation", "phone"))


def installed(conn: Connection, table: str = "search_gram") -> bool:
    """Whether this database has the tables of 0008 (or ``table``: ``search_gram_count`` of 0014)."""
    if conn.dialect.name == "sqlite":
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    else:
        sql = "SELECT 1 FROM pg_tables WHERE tablename = %s AND schemaname = current_schema()"
    return conn.exec_driver_sql(sql, (table,)).first() is not None


def _range(alias: str, ranges: dict[str, tuple[int, int]] | None, table: str) -> str:
    if ranges is None or table not in ranges:
        return ""
    lo, hi = ranges[table]
    return f" AND {alias}.id BETWEEN {int(lo)} AND {int(hi)}"


def fill(conn: Connection, ranges: dict[str, tuple[int, int]] | None = None) -> None:
    """Add the gram and walk rows of the given id ranges per source table (None: all rows) and recount.

    Rows already there are kept (INSERT OR IGNORE / ON CONFLICT DO NOTHING); the stage
    counts are recomputed from the cases; the cases of the range are added to the short
    search counts (:func:`count_grams`: they must not be counted yet).
    """
    sqlite = conn.dialect.name == "sqlite"
    for src, table, col, order, key in _GRAM_SOURCES:
        if ranges is not None and src not in ranges:
            continue
        where = _range("r", ranges, src)
        if sqlite:
            conn.exec_driver_sql(
                f"INSERT OR IGNORE INTO {table} (gram, desk_id, {order}, {key})"
                f" SELECT DISTINCT lower(substr(r.{col}, p.n, k.n)), r.desk_id, r.{order}, r.id"
                f" FROM {src} AS r JOIN search_position AS p ON p.n <= length(r.{col})"
                f" JOIN search_position AS k ON k.n <= 2 AND p.n + k.n - 1 <= length(r.{col})"
                f" WHERE substr(r.{col}, p.n, k.n) NOT GLOB '*[{SEPARATORS}]*'{where} ORDER BY 1, 2, 3, 4")
        else:
            conn.exec_driver_sql(
                f"INSERT INTO {table} (gram, desk_id, {order}, {key}) SELECT g, r.desk_id, r.{order}, r.id"
                f" FROM {src} r, mediation_grams(r.{col}, true) g WHERE true{where} ON CONFLICT DO NOTHING")
    for src, col in _WALK_SOURCES:
        if ranges is not None and src not in ranges:
            continue
        where = _range("x", ranges, src)
        if sqlite:
            conn.exec_driver_sql(
                f"INSERT OR IGNORE INTO search_walk_gram (desk_id, gram)"
                f" SELECT DISTINCT r.desk_id, lower(substr(r.t, p.n, k.n))"
                f" FROM (SELECT DISTINCT x.desk_id, x.{col} AS t FROM {src} AS x WHERE x.{col} IS NOT NULL{where}) AS r"
                f" JOIN search_position AS p ON p.n <= length(r.t)"
                f" JOIN search_position AS k ON k.n <= 2 AND p.n + k.n - 1 <= length(r.t)")
        else:
            conn.exec_driver_sql(
                f"INSERT INTO search_walk_gram (desk_id, gram) SELECT r.desk_id, g"
                f" FROM (SELECT DISTINCT x.desk_id, x.{col} AS t FROM {src} x WHERE x.{col} IS NOT NULL{where}) r,"
                f" mediation_grams(r.t, false) g GROUP BY 1, 2 ON CONFLICT DO NOTHING")
    if (ranges is None or "mediation_case" in ranges) and installed(conn, "search_gram_count"):
        count_grams(conn, None if ranges is None else ranges["mediation_case"], add=ranges is not None)
    recount(conn)


SHORT_COLUMNS = ("party_names", "party_phones", "number")
"""Where a 1–2 character term is looked for (``search.SHORT_COLUMNS``; frozen in 0014)."""
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def short_grams(*texts: str | None) -> set[str]:
    """The distinct 1- and 2-character substrings of ``texts``, ASCII letters lower-cased:
    what a short term must equal to be found in them (SQLite's ``lower()`` and the
    triggers' ``mediation_grams`` fold ASCII only, as the search does)."""
    out: set[str] = set()
    for t in texts:
        if not t:
            continue
        t = t.translate(_ASCII_LOWER)
        out.update(t)
        out.update(t[i:i + 2] for i in range(len(t) - 1))
    return out


def count_grams(conn: Connection, ids: tuple[int, int] | None = None, *, add: bool = False) -> int:
    """``search_gram_count`` from the cases (revision 0014): per desk and gram, how many hold it.

    ``ids`` (lo, hi): only those cases, added to the counts there (a bulk load's new
    rows, counted by no trigger); None: every case, the table emptied first unless
    ``add``. Counted here rather than in SQL: a million cases in seconds, where a
    DISTINCT over their seventy million substrings took minutes. Returns the rows written.
    """
    if ids is None and not add:
        conn.exec_driver_sql("DELETE FROM search_gram_count")
    where = "" if ids is None else f" WHERE id BETWEEN {int(ids[0])} AND {int(ids[1])}"
    counts: dict[tuple[int, str], int] = {}
    result = conn.exec_driver_sql(f"SELECT desk_id, {', '.join(SHORT_COLUMNS)} FROM mediation_case{where}",
                                  execution_options={"yield_per": 5000})
    for desk_id, *texts in result:
        for gram in short_grams(*texts):
            key = (desk_id, gram)
            counts[key] = counts.get(key, 0) + 1
    rows = [{"d": d, "g": g, "n": n} for (d, g), n in sorted(counts.items())]
    if rows:
        conn.execute(text("INSERT INTO search_gram_count (desk_id, gram, n) VALUES (:d, :g, :n)"
                          " ON CONFLICT (desk_id, gram) DO UPDATE SET n = search_gram_count.n + excluded.n"), rows)
    return len(rows)


def recount(conn: Connection) -> None:
    """``case_stage_count`` from the cases themselves."""
    conn.exec_driver_sql("DELETE FROM case_stage_count")
    conn.exec_driver_sql("INSERT INTO case_stage_count (desk_id, stage, n)"
                         " SELECT desk_id, stage, count(*) FROM mediation_case GROUP BY desk_id, stage")


@contextmanager
def bulk_load(conn: Connection) -> Iterator[None]:
    """The 0008 triggers off for the rest of this transaction; the caller calls :func:`fill` after.

    SQLite: dropped, and re-created from their own stored SQL when the block ends (a
    rollback brings them back too). PostgreSQL: ``SET LOCAL mediation.bulk_load = on``,
    which the trigger functions check (no ownership of the tables needed).
    """
    if not installed(conn):
        yield
        return
    if conn.dialect.name == "sqlite":
        names = ", ".join("?" for _n in SQLITE_TRIGGERS)
        triggers = conn.exec_driver_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})",
            SQLITE_TRIGGERS).all()
        for name, _sql in triggers:
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        yield
        for _name, sql in triggers:
            conn.exec_driver_sql(sql)
    else:
        conn.exec_driver_sql("SET LOCAL mediation.bulk_load = 'on'")
        yield
        conn.exec_driver_sql("SET LOCAL mediation.bulk_load = 'off'")


@dataclass(frozen=True)
class ReindexResult:
    case_grams: int
    consultation_grams: int
    walk_grams: int
    seconds: float


def reindex(conn: Connection) -> ReindexResult:
    """Empty and refill every search table (and the FTS5 indexes on SQLite), then analyze.

    The caller commits (one transaction: a failure leaves the old index in place).
    """
    started = time.perf_counter()
    for table in ("search_gram", "consultation_gram", "search_walk_gram", "search_gram_count"):
        if table != "search_gram_count" or installed(conn, table):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    fill(conn)
    if conn.dialect.name == "sqlite":
        for fts in ("case_fts", "consultation_fts"):
            if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                    (fts,)).first():
                conn.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    # PostgreSQL's GIN trigram indexes follow their table; rebuilding them is REINDEX's job
    # (needs ownership), and nothing here can leave them out of step.
    analyze(conn)

    def rows(table: str) -> int:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() or 0)

    return ReindexResult(rows("search_gram"), rows("consultation_gram"), rows("search_walk_gram"),
                         seconds=round(time.perf_counter() - started, 3))


def analyze(conn: Connection) -> None:
    """Statistics for the query planner over the whole database (after a bulk load).

    SQLite: every table and index (``ANALYZE``; analyzing only ``mediation_case`` left
    the planner scanning two million case–party links instead of the name index).
    PostgreSQL: ``ANALYZE`` needs ownership of the tables; without it the attempt is
    logged and autovacuum's own analysis follows the load.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("ANALYZE")
        return
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("ANALYZE")
    except DBAPIError as exc:
        log.warning("ANALYZE after a bulk load not run (%s); autovacuum will analyze", type(exc.orig).__name__)


def after_bulk_load(db: Database) -> None:
    """After a bulk load has committed: PostgreSQL's :func:`vacuum_analyze` (SQLite analyzed in the load)."""
    vacuum_analyze(db.engine)


def vacuum_analyze(engine: Engine) -> None:
    """PostgreSQL after a committed bulk load: ``VACUUM (ANALYZE)`` of the search tables and cases.

    VACUUM marks the new pages all-visible, so counts and short searches are answered from
    the indexes alone (index-only scans) instead of visiting every row they count. It
    cannot run inside a transaction, hence an autocommit connection; it needs ownership
    (skipped with a log line otherwise: autovacuum does it later).
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("mediation_case", "search_gram", "consultation_gram", "consultation", "case_party",
                      "party", "case_event"):
            try:
                conn.exec_driver_sql(f"VACUUM (ANALYZE) {table}")
            except DBAPIError as exc:
                log.warning("VACUUM %s not run (%s)", table, type(exc.orig).__name__)
