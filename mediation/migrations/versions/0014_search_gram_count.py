"""short search counts: per desk, how many cases hold each 1- or 2-character substring

Issue 13. Counting a short search over a million cases (“12”, in a fifth of them) read
every case's names, phones and number: 0.4 s, where the list wants the exact figure
within 100 ms. ``search_gram_count (desk_id, gram, n)`` keeps, per desk, how many cases
hold ``gram`` (ASCII letters lower-cased) in their party names, phones or number — where
a 1–2 character term is looked for (:mod:`mediation.services.search`) — so such a count
is one row per desk.

Triggers keep it in step with every insert, delete and change of those columns (SQLite:
per row; PostgreSQL: per statement, the count rows taken in (desk, gram) order so two
writers of one desk never wait on each other in a circle), whatever program writes: the
program of 0011 keeps working on it and its writes are counted (``schema_compat``). A
bulk load switches them off like those of 0008 and counts once
(:mod:`mediation.services.search_index`); ``mediation db reindex`` recounts. Filled here
from the existing cases. Row-level security: :data:`mediation.rls.POLICIES`.

Revision ID: 0014_search_gram_count
Revises: 0013_search_definer
Create Date: 2026-12-06 07:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_search_gram_count"
down_revision: str | None = "0013_search_definer"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("party_names", "party_phones", "number")
"""Where a short term is looked for (frozen here)."""
SQLITE_TRIGGERS = ("search_gram_count_ai", "search_gram_count_ad", "search_gram_count_au")
PG_FUNCTIONS = ("search_gram_count_sync_ins()", "search_gram_count_sync_del()", "search_gram_count_sync_upd()")
_PG_SKIP = "IF current_setting('mediation.bulk_load', true) = 'on' THEN RETURN NULL; END IF;"


def _sq_grams(row: str) -> str:
    """SQLite: the distinct 1–2 character substrings of trigger row ``row``'s columns, as ``gram``."""
    texts = " UNION ALL ".join(f"SELECT {row}.{c} AS v" for c in COLUMNS)
    return (f"SELECT DISTINCT lower(substr(t.v, p.n, k.n)) AS gram FROM ({texts}) AS t"
            " JOIN search_position AS p ON p.n <= length(t.v)"
            " JOIN search_position AS k ON k.n <= 2 AND p.n + k.n - 1 <= length(t.v)")


def sqlite_triggers() -> list[str]:
    add = (f"INSERT INTO search_gram_count (desk_id, gram, n) SELECT new.desk_id, g.gram, 1"
           f" FROM ({_sq_grams('new')}) AS g WHERE true ON CONFLICT (desk_id, gram) DO UPDATE SET n = n + 1")
    take = (f"UPDATE search_gram_count SET n = n - 1 WHERE desk_id = old.desk_id"
            f" AND gram IN ({_sq_grams('old')})")
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in (*COLUMNS, "desk_id"))
    return [
        f"CREATE TRIGGER search_gram_count_ai AFTER INSERT ON mediation_case BEGIN {add}; END",
        f"CREATE TRIGGER search_gram_count_ad AFTER DELETE ON mediation_case BEGIN {take}; END",
        (f"CREATE TRIGGER search_gram_count_au AFTER UPDATE OF {', '.join(COLUMNS)}, desk_id ON mediation_case"
         f" WHEN {changed} BEGIN {take}; {add}; END"),
    ]


def _pg_grams(rows: str, sign: str) -> str:
    """PostgreSQL: (desk_id, gram, ±1) for every case of ``rows`` and each gram it holds."""
    per_case = " UNION ".join(f"SELECT g FROM mediation_grams(r.{c}, false) AS g" for c in COLUMNS)
    return f"SELECT r.desk_id, x.g, {sign}1 AS d FROM {rows} AS r CROSS JOIN LATERAL ({per_case}) AS x"


def _pg_upsert(source: str) -> str:
    # In (desk_id, gram) order: the rows are locked in that order by every writer.
    return ("INSERT INTO search_gram_count AS c (desk_id, gram, n)"
            f" SELECT desk_id, g, sum(d) FROM ({source}) AS s GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2"
            " ON CONFLICT (desk_id, gram) DO UPDATE SET n = c.n + excluded.n;")


def pg_functions() -> list[str]:
    pairs = "old_rows o JOIN new_rows n ON n.id = o.id"
    changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in (*COLUMNS, "desk_id"))
    moved_old = f"(SELECT o.* FROM {pairs} WHERE {changed})"
    moved_new = f"(SELECT n.* FROM {pairs} WHERE {changed})"
    bodies = {
        "ins": _pg_upsert(_pg_grams("new_rows", "+")),
        "del": _pg_upsert(_pg_grams("old_rows", "-")),
        "upd": (f"IF EXISTS (SELECT 1 FROM {pairs} WHERE {changed}) THEN "
                + _pg_upsert(_pg_grams(moved_new, "+") + " UNION ALL " + _pg_grams(moved_old, "-"))
                + " END IF;"),
    }
    return [f"CREATE FUNCTION search_gram_count_sync_{op_}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN {_PG_SKIP} {body} RETURN NULL; END $$" for op_, body in bodies.items()]


def pg_triggers() -> list[str]:
    return [
        ("CREATE TRIGGER search_gram_count_ins AFTER INSERT ON mediation_case REFERENCING NEW TABLE AS new_rows"
         " FOR EACH STATEMENT EXECUTE FUNCTION search_gram_count_sync_ins()"),
        ("CREATE TRIGGER search_gram_count_del AFTER DELETE ON mediation_case REFERENCING OLD TABLE AS old_rows"
         " FOR EACH STATEMENT EXECUTE FUNCTION search_gram_count_sync_del()"),
        ("CREATE TRIGGER search_gram_count_upd AFTER UPDATE ON mediation_case REFERENCING OLD TABLE AS old_rows"
         " NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_gram_count_sync_upd()"),
    ]


def upgrade() -> None:
    op.create_table(
        "search_gram_count",
        sa.Column("desk_id", sa.Integer(),
                  sa.ForeignKey("desk.id", name="fk_search_gram_count_desk_id_desk"), nullable=False),
        sa.Column("gram", sa.String(2), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("desk_id", "gram", name="pk_search_gram_count"),
        sqlite_with_rowid=False,
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for sql in pg_functions() + pg_triggers():
            bind.exec_driver_sql(sql)
    else:
        for sql in sqlite_triggers():
            bind.exec_driver_sql(sql)
    # Count the cases there are (the program's own counting: mediation db reindex does the same).
    from mediation.services import search_index

    search_index.count_grams(bind)

    from mediation.migrations import compat

    compat.record(op, revision, oldest_program="0011_case_review")


def downgrade() -> None:
    from mediation.migrations import compat

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name in ("ins", "del", "upd"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS search_gram_count_{name} ON mediation_case")
        for fn in PG_FUNCTIONS:
            bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {fn}")
    else:
        for name in SQLITE_TRIGGERS:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    compat.forget(op, revision)
    op.drop_table("search_gram_count")
