"""search at city scale: short-term index, counts per desk and stage, open-case indexes

Revision ID: 0008_search_index
Revises: 0007_reference_ids
Create Date: 2026-12-05 23:00:00

Issue 13 (1,000,000 cases on SQLite and PostgreSQL):

* ``search_gram``: the 1- and 2-character substrings of each case's party names
  (``party_names``, the list line, without its separators), one row per substring and
  case, keyed ``(gram, desk_id, registered_at, case_id)``: the cases holding a short
  term come out of the key in the case list's default order, so a search for 王 or
  张三 reads one page of it instead of scanning every name and number.
* ``consultation_gram``: the same for consultations (the asker's name), in the order
  of ``asked_at``.
* ``search_walk_gram``: per desk, every 1- and 2-character substring that occurs in a
  case number or a phone (digits, the number's brackets and prefix: a few hundred rows
  per desk). Such terms are in a large share of the numbers or phones, so the list
  finds them by walking its own order and checking each row; every other short term
  can only be in a name and is answered by ``search_gram`` alone. Rows are only ever
  added (a superset is safe). ID numbers are in none of these tables: searching by ID
  number is its own audited search.
* ``case_stage_count``: how many cases each desk has in each stage, so counting a desk's
  cases (or its open ones) reads a few rows instead of every index entry.
* ``ix_party_id_number_tail``: the last six characters of an ID number (searching by ID
  number, full or its end, is its own audited search; issue 12 item 15);
  ``ix_consultation_desk_asked``: a desk's consultations newest first (searched too).
* ``ix_case_desk_stage_deadline`` ``(desk_id, stage, deadline, id)``: overdue counts and
  one stage's deadline order; ``ix_case_open_deadline``: a partial index of the open
  cases by deadline (PostgreSQL fetched every open case and sorted).
* Consultations are searched too: SQLite an FTS5 trigram index ``consultation_fts``
  (like ``case_fts``), PostgreSQL a ``pg_trgm`` index over the same text.

The tables are kept by triggers in the same transaction as the change: SQLite row
triggers; PostgreSQL statement triggers with transition tables (a multi-row statement
updates each counter row once; updating one counter row many times in a transaction
is quadratic on PostgreSQL). A bulk load (the demo) skips them for its transaction
(SQLite: drops and re-creates them; PostgreSQL: ``SET LOCAL mediation.bulk_load = on``)
and fills the tables once at the end, as ``mediation db reindex`` does
(``mediation.services.search_index``, whose fill statements are the same as the ones
frozen here; a test compares the two). Every table carries ``desk_id``.

Upgrading a populated database fills the tables from the existing rows, then analyzes.

NOTE for later revisions: an Alembic batch ("move and copy") operation on
``mediation_case`` or ``consultation`` under SQLite drops its triggers: such a revision
must re-create them (copy them from here) and rebuild.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_search_index"
down_revision: str | None = "0007_reference_ids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("mediation.migrations")

# Frozen here: a later change of the workflow must not change what this revision did.
OPEN_STAGES = ("accepted", "agreed", "investigating", "mediating", "performing", "registered", "terminated")
MAX_POSITION = 500
"""Longest text cut into substrings (party_names and party_phones are String(500))."""
SEPARATORS = "、/（） \u3000"
"""What party_summary puts between names (and spaces): never inside a name gram."""
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CONSULTATION_FTS_COLUMNS = ("person_name", "phone", "topic", "question", "answer")
PG_CONSULTATION_EXPR = (
    "(person_name || ' ' || phone || ' ' || topic || ' ' || question || ' ' || answer)"
)


# ---------------------------------------------------------------- SQLite


def _sq_grams(text: str, *, names: bool) -> str:
    """SELECT of the distinct 1–2 character substrings of SQL ``text``, lower-cased (ASCII), as ``gram``."""
    sep = f" AND substr({text}, p.n, k.n) NOT GLOB '*[{SEPARATORS}]*'" if names else ""
    return (f"SELECT DISTINCT lower(substr({text}, p.n, k.n)) AS gram FROM search_position AS p"
            f" JOIN search_position AS k ON k.n <= 2 WHERE p.n + k.n - 1 <= length({text}){sep}")


def _sq_walk(row: str, *columns: str) -> str:
    selects = " UNION ".join(_sq_grams(f"{row}.{c}", names=False) for c in columns)
    return (f"INSERT OR IGNORE INTO search_walk_gram (desk_id, gram)"
            f" SELECT {row}.desk_id, w.gram FROM ({selects}) AS w")


def _sq_names(table: str, row: str, text: str, order: str, key: str) -> tuple[str, str]:
    """(insert, delete) statements of the name grams of trigger row ``row`` ('new'/'old')."""
    insert = (f"INSERT OR IGNORE INTO {table} (gram, desk_id, {order}, {key})"
              f" SELECT g.gram, new.desk_id, new.{order}, new.id FROM ({_sq_grams('new.' + text, names=True)}) AS g")
    delete = (f"DELETE FROM {table} WHERE desk_id = old.desk_id AND {order} = old.{order} AND {key} = old.id"
              f" AND gram IN ({_sq_grams('old.' + text, names=True)})")
    return insert, delete


def _sqlite_triggers() -> list[str]:
    out: list[str] = []
    for src, table, text, order, key, walk in (
            ("mediation_case", "search_gram", "party_names", "registered_at", "case_id", ("party_phones", "number")),
            ("consultation", "consultation_gram", "person_name", "asked_at", "consultation_id", ("phone",))):
        insert, delete = _sq_names(table, "new", text, order, key)
        walk_new = _sq_walk("new", *walk)
        moved = f"old.{text} IS NOT new.{text} OR old.desk_id IS NOT new.desk_id OR old.{order} IS NOT new.{order}"
        walk_changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in (*walk, "desk_id"))
        out += [
            f"CREATE TRIGGER {table}_ai AFTER INSERT ON {src} BEGIN {insert}; {walk_new}; END",
            f"CREATE TRIGGER {table}_ad AFTER DELETE ON {src} BEGIN {delete}; END",
            (f"CREATE TRIGGER {table}_au AFTER UPDATE OF {text}, desk_id, {order} ON {src} WHEN {moved}"
             f" BEGIN {delete}; {insert}; END"),
            (f"CREATE TRIGGER {table}_walk_au AFTER UPDATE OF {', '.join(walk)}, desk_id ON {src}"
             f" WHEN {walk_changed} BEGIN {walk_new}; END"),
        ]
    up = ("INSERT INTO case_stage_count (desk_id, stage, n) VALUES (new.desk_id, new.stage, 1)"
          " ON CONFLICT (desk_id, stage) DO UPDATE SET n = n + 1")
    down = "UPDATE case_stage_count SET n = n - 1 WHERE desk_id = old.desk_id AND stage = old.stage"
    out += [
        f"CREATE TRIGGER case_stage_count_ai AFTER INSERT ON mediation_case BEGIN {up}; END",
        f"CREATE TRIGGER case_stage_count_ad AFTER DELETE ON mediation_case BEGIN {down}; END",
        (f"CREATE TRIGGER case_stage_count_au AFTER UPDATE OF stage, desk_id ON mediation_case"
         f" WHEN old.stage IS NOT new.stage OR old.desk_id IS NOT new.desk_id BEGIN {down}; {up}; END"),
    ]
    cols = ", ".join(CONSULTATION_FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in CONSULTATION_FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in CONSULTATION_FTS_COLUMNS)
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in CONSULTATION_FTS_COLUMNS)
    out += [
        (f"CREATE TRIGGER consultation_fts_ai AFTER INSERT ON consultation BEGIN"
         f" INSERT INTO consultation_fts(rowid, {cols}) VALUES (new.id, {new}); END"),
        (f"CREATE TRIGGER consultation_fts_ad AFTER DELETE ON consultation BEGIN"
         f" INSERT INTO consultation_fts(consultation_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); END"),
        (f"CREATE TRIGGER consultation_fts_au AFTER UPDATE OF {cols} ON consultation WHEN {changed} BEGIN"
         f" INSERT INTO consultation_fts(consultation_fts, rowid, {cols}) VALUES ('delete', old.id, {old});"
         f" INSERT INTO consultation_fts(rowid, {cols}) VALUES (new.id, {new}); END"),
    ]
    return out


SQLITE_TRIGGER_NAMES = (
    "search_gram_ai", "search_gram_ad", "search_gram_au", "search_gram_walk_au",
    "consultation_gram_ai", "consultation_gram_ad", "consultation_gram_au", "consultation_gram_walk_au",
    "case_stage_count_ai", "case_stage_count_ad", "case_stage_count_au",
    "consultation_fts_ai", "consultation_fts_ad", "consultation_fts_au",
)


def _sqlite_fill(bind: sa.Connection) -> None:
    for src, table, text, order, key in (
            ("mediation_case", "search_gram", "party_names", "registered_at", "case_id"),
            ("consultation", "consultation_gram", "person_name", "asked_at", "consultation_id")):
        bind.exec_driver_sql(
            f"INSERT OR IGNORE INTO {table} (gram, desk_id, {order}, {key})"
            f" SELECT DISTINCT lower(substr(r.{text}, p.n, k.n)), r.desk_id, r.{order}, r.id"
            f" FROM {src} AS r JOIN search_position AS p ON p.n <= length(r.{text})"
            f" JOIN search_position AS k ON k.n <= 2 AND p.n + k.n - 1 <= length(r.{text})"
            f" WHERE substr(r.{text}, p.n, k.n) NOT GLOB '*[{SEPARATORS}]*' ORDER BY 1, 2, 3, 4")
    for src, text in (("mediation_case", "party_phones"), ("mediation_case", "number"), ("consultation", "phone")):
        bind.exec_driver_sql(
            f"INSERT OR IGNORE INTO search_walk_gram (desk_id, gram)"
            f" SELECT DISTINCT r.desk_id, lower(substr(r.{text}, p.n, k.n))"
            f" FROM (SELECT DISTINCT desk_id, {text} FROM {src} WHERE {text} IS NOT NULL) AS r"
            f" JOIN search_position AS p ON p.n <= length(r.{text})"
            f" JOIN search_position AS k ON k.n <= 2 AND p.n + k.n - 1 <= length(r.{text})")
    bind.exec_driver_sql(
        "INSERT INTO case_stage_count (desk_id, stage, n)"
        " SELECT desk_id, stage, count(*) FROM mediation_case GROUP BY desk_id, stage")


def _sqlite_upgrade(bind: sa.Connection) -> None:
    bind.exec_driver_sql("CREATE TABLE search_position (n INTEGER PRIMARY KEY)")
    bind.exec_driver_sql(f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {MAX_POSITION})"
                         " INSERT INTO search_position (n) SELECT n FROM s")
    fts = bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'case_fts'").first() is not None
    cols = ", ".join(CONSULTATION_FTS_COLUMNS)
    if fts:  # the same SQLite that built case_fts (0002) has FTS5 and trigram
        bind.exec_driver_sql(
            f"CREATE VIRTUAL TABLE consultation_fts USING fts5({cols}, content='consultation',"
            " content_rowid='id', tokenize='trigram', detail='none')")
    for sql in _sqlite_triggers():
        if fts or "consultation_fts" not in sql:
            bind.exec_driver_sql(sql)
    _sqlite_fill(bind)
    if fts:
        bind.exec_driver_sql("INSERT INTO consultation_fts(consultation_fts) VALUES ('rebuild')")
    bind.exec_driver_sql("ANALYZE")


def _sqlite_downgrade(bind: sa.Connection) -> None:
    for name in SQLITE_TRIGGER_NAMES:
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    bind.exec_driver_sql("DROP TABLE IF EXISTS consultation_fts")
    bind.exec_driver_sql("DROP TABLE IF EXISTS search_position")


# ---------------------------------------------------------------- PostgreSQL

_PG_GRAMS = f"""
CREATE FUNCTION mediation_grams(t text, names boolean) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT translate(substr(t, n, k), '{UPPER}', '{UPPER.lower()}')
  FROM generate_series(1, char_length(t)) AS n, generate_series(1, 2) AS k
  WHERE n + k - 1 <= char_length(t) AND NOT (names AND substr(t, n, k) ~ '[{SEPARATORS}]')
$$"""

_PG_SKIP = "IF current_setting('mediation.bulk_load', true) = 'on' THEN RETURN NULL; END IF;"


def _pg_sync_functions() -> list[str]:
    """One function per table and event (a statement trigger sees only its own transition tables)."""
    out: list[str] = []
    for src, table, text, order, key, walk in (
            ("mediation_case", "search_gram", "party_names", "registered_at", "case_id", ("party_phones", "number")),
            ("consultation", "consultation_gram", "person_name", "asked_at", "consultation_id", ("phone",))):
        walk_from = " UNION ".join(f"SELECT r.desk_id, g FROM new_rows r, mediation_grams(r.{c}, false) g"
                                   for c in walk)
        ins_names = (f"INSERT INTO {table} (gram, desk_id, {order}, {key}) SELECT g, r.desk_id, r.{order}, r.id"
                     f" FROM {{rows}} r, mediation_grams(r.{text}, true) g {{where}} ON CONFLICT DO NOTHING;")
        ins_walk = f"INSERT INTO search_walk_gram (desk_id, gram) {walk_from} ON CONFLICT DO NOTHING;"
        del_names = (f"DELETE FROM {table} s USING {{rows}} r, mediation_grams(r.{text}, true) g"
                     f" WHERE s.gram = g AND s.desk_id = r.desk_id AND s.{order} = r.{order} AND s.{key} = r.id"
                     f" {{where}};")
        moved = (f"(o.{text}, o.desk_id, o.{order}) IS DISTINCT FROM (n.{text}, n.desk_id, n.{order})")
        walk_moved = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in (*walk, "desk_id"))
        counts_ins = counts_del = counts_upd = ""
        if src == "mediation_case":
            counts_ins = ("INSERT INTO case_stage_count AS c (desk_id, stage, n) SELECT desk_id, stage, count(*)"
                          " FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2"
                          " ON CONFLICT (desk_id, stage) DO UPDATE SET n = c.n + excluded.n;")
            counts_del = ("UPDATE case_stage_count AS c SET n = c.n - x.k FROM (SELECT desk_id, stage, count(*) AS k"
                          " FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2) x"
                          " WHERE c.desk_id = x.desk_id AND c.stage = x.stage;")
            counts_upd = ("INSERT INTO case_stage_count AS c (desk_id, stage, n) SELECT desk_id, stage, sum(d)"
                          " FROM (SELECT desk_id, stage, 1 AS d FROM new_rows"
                          " UNION ALL SELECT desk_id, stage, -1 FROM old_rows) x"
                          " GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2"
                          " ON CONFLICT (desk_id, stage) DO UPDATE SET n = c.n + excluded.n;")
        pairs = "old_rows o JOIN new_rows n ON n.id = o.id"
        bodies = {
            "ins": (ins_names.format(rows="new_rows", where="") + ins_walk + counts_ins),
            "del": (del_names.format(rows="old_rows", where="") + counts_del),
            "upd": (
                f"IF EXISTS (SELECT 1 FROM {pairs} WHERE {moved}) THEN "
                + del_names.format(rows=f"(SELECT o.* FROM {pairs} WHERE {moved})", where="")
                + ins_names.format(rows=f"(SELECT n.* FROM {pairs} WHERE {moved})", where="")
                + " END IF; "
                + f"IF EXISTS (SELECT 1 FROM {pairs} WHERE {walk_moved}) THEN " + ins_walk + " END IF; "
                + counts_upd),
        }
        for op_, body in bodies.items():
            out.append(f"CREATE FUNCTION {table}_sync_{op_}() RETURNS trigger LANGUAGE plpgsql AS $$"
                       f" BEGIN {_PG_SKIP} {body} RETURN NULL; END $$")
    return out


def _pg_triggers() -> list[str]:
    out: list[str] = []
    for src, table in (("mediation_case", "search_gram"), ("consultation", "consultation_gram")):
        out += [
            (f"CREATE TRIGGER {table}_ins AFTER INSERT ON {src} REFERENCING NEW TABLE AS new_rows"
             f" FOR EACH STATEMENT EXECUTE FUNCTION {table}_sync_ins()"),
            (f"CREATE TRIGGER {table}_del AFTER DELETE ON {src} REFERENCING OLD TABLE AS old_rows"
             f" FOR EACH STATEMENT EXECUTE FUNCTION {table}_sync_del()"),
            (f"CREATE TRIGGER {table}_upd AFTER UPDATE ON {src} REFERENCING OLD TABLE AS old_rows"
             f" NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {table}_sync_upd()"),
        ]
    return out


def _pg_fill(bind: sa.Connection) -> None:
    for src, table, text, order, key in (
            ("mediation_case", "search_gram", "party_names", "registered_at", "case_id"),
            ("consultation", "consultation_gram", "person_name", "asked_at", "consultation_id")):
        bind.exec_driver_sql(
            f"INSERT INTO {table} (gram, desk_id, {order}, {key}) SELECT g, r.desk_id, r.{order}, r.id"
            f" FROM {src} r, mediation_grams(r.{text}, true) g ON CONFLICT DO NOTHING")
    bind.exec_driver_sql(
        "INSERT INTO search_walk_gram (desk_id, gram)"
        " SELECT r.desk_id, g FROM (SELECT DISTINCT desk_id, party_phones AS t FROM mediation_case"
        " UNION SELECT DISTINCT desk_id, number FROM mediation_case WHERE number IS NOT NULL"
        " UNION SELECT DISTINCT desk_id, phone FROM consultation) r, mediation_grams(r.t, false) g"
        " GROUP BY 1, 2 ON CONFLICT DO NOTHING")
    bind.exec_driver_sql(
        "INSERT INTO case_stage_count (desk_id, stage, n)"
        " SELECT desk_id, stage, count(*) FROM mediation_case GROUP BY desk_id, stage")


PG_FUNCTIONS = ("mediation_grams(text, boolean)",
                *(f"{t}_sync_{o}()" for t in ("search_gram", "consultation_gram") for o in ("ins", "del", "upd")))


def _pg_upgrade(bind: sa.Connection) -> None:
    bind.exec_driver_sql(_PG_GRAMS)
    for sql in _pg_sync_functions() + _pg_triggers():
        bind.exec_driver_sql(sql)
    _pg_fill(bind)
    trgm = bind.exec_driver_sql(
        "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_case_search_trgm' AND schemaname = current_schema()"
    ).first() is not None
    if trgm:  # pg_trgm is there (0002 created it)
        bind.exec_driver_sql(f"CREATE INDEX ix_consultation_search_trgm ON consultation"
                             f" USING gin ({PG_CONSULTATION_EXPR} gin_trgm_ops)")
    try:  # statistics for the planner (needs ownership of the tables, which migrating has)
        with bind.begin_nested():
            bind.exec_driver_sql("ANALYZE")
    except sa.exc.DBAPIError as exc:  # pragma: no cover - autovacuum will analyze
        log.warning("ANALYZE after the upgrade failed (%s)", type(exc.orig).__name__)


def _pg_downgrade(bind: sa.Connection) -> None:
    bind.exec_driver_sql("DROP INDEX IF EXISTS ix_consultation_search_trgm")
    for src, table in (("mediation_case", "search_gram"), ("consultation", "consultation_gram")):
        for op_ in ("ins", "del", "upd"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_{op_} ON {src}")
    for fn in PG_FUNCTIONS:
        bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {fn}")


# ---------------------------------------------------------------- both


def _gram_table(name: str, order: str, key: str) -> None:
    op.create_table(
        name,
        sa.Column("gram", sa.String(2), nullable=False),
        sa.Column("desk_id", sa.Integer(), sa.ForeignKey("desk.id", name=f"fk_{name}_desk_id_desk"), nullable=False),
        sa.Column(order, sa.DateTime(), nullable=False),
        sa.Column(key, sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("gram", "desk_id", order, key, name=f"pk_{name}"),
        sqlite_with_rowid=False,
    )


def upgrade() -> None:
    bind = op.get_bind()
    _gram_table("search_gram", "registered_at", "case_id")
    _gram_table("consultation_gram", "asked_at", "consultation_id")
    op.create_table(
        "search_walk_gram",
        sa.Column("desk_id", sa.Integer(),
                  sa.ForeignKey("desk.id", name="fk_search_walk_gram_desk_id_desk"), nullable=False),
        sa.Column("gram", sa.String(2), nullable=False),
        sa.PrimaryKeyConstraint("desk_id", "gram", name="pk_search_walk_gram"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "case_stage_count",
        sa.Column("desk_id", sa.Integer(),
                  sa.ForeignKey("desk.id", name="fk_case_stage_count_desk_id_desk"), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("desk_id", "stage", name="pk_case_stage_count"),
    )
    op.create_index("ix_case_desk_stage_deadline", "mediation_case", ["desk_id", "stage", "deadline", "id"])
    op.create_index("ix_consultation_desk_asked", "consultation", ["desk_id", "asked_at", "id"])
    # Search by the last six characters of an ID number (its own, audited search).
    tail = "right(id_number, 6)" if bind.dialect.name == "postgresql" else "substr(id_number, -6)"
    bind.exec_driver_sql(f"CREATE INDEX ix_party_id_number_tail ON party ({tail})")
    where = sa.text("stage IN (" + ", ".join(f"'{s}'" for s in OPEN_STAGES) + ")")
    op.create_index("ix_case_open_deadline", "mediation_case", ["desk_id", "deadline", "id"],
                    sqlite_where=where, postgresql_where=where)
    if bind.dialect.name == "sqlite":
        _sqlite_upgrade(bind)
    elif bind.dialect.name == "postgresql":
        _pg_upgrade(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_downgrade(bind)
    elif bind.dialect.name == "postgresql":
        _pg_downgrade(bind)
    op.drop_index("ix_case_open_deadline", table_name="mediation_case")
    op.drop_index("ix_party_id_number_tail", table_name="party")
    op.drop_index("ix_consultation_desk_asked", table_name="consultation")
    op.drop_index("ix_case_desk_stage_deadline", table_name="mediation_case")
    op.drop_table("case_stage_count")
    op.drop_table("search_walk_gram")
    op.drop_table("consultation_gram")
    op.drop_table("search_gram")
