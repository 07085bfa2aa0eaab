"""search index and case list keyset indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00

SQLite: an FTS5 table with the ``trigram`` tokenizer over the searched case columns,
as an external-content index of ``mediation_case`` kept in sync by triggers, filled
from the existing rows on upgrade. ``detail='none'`` keeps only which rows hold each
trigram (a fifth of the full index's size, faster to build); the search matches all
trigrams of a term and confirms the substring on the row itself. If this SQLite was
built without FTS5 or trigram (older than 3.34), the table is skipped and search
falls back to LIKE at run time.

PostgreSQL: ``pg_trgm`` and a GIN trigram index over the concatenated searched
columns; if the extension cannot be created (no privilege, not installed) the upgrade
goes on without it and search uses plain ILIKE (detected at run time).

Both: one ``(desk_id, sort key, id)`` index per sort key of the case list, so every
page of every sort order is an index range scan (keyset pagination, no OFFSET).

NOTE for later revisions: an Alembic batch ("move and copy") operation on
``mediation_case`` under SQLite drops the table's triggers; such a revision must
re-create ``case_fts_ai``/``case_fts_ad``/``case_fts_au`` (copy them from here) and
run ``INSERT INTO case_fts(case_fts) VALUES('rebuild')``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("mediation.migrations")

FTS_COLUMNS = ("number", "title", "facts", "claims", "party_names", "party_phones")

# (name, columns): the case list's keyset indexes; they are also declared on the model.
LIST_INDEXES: tuple[tuple[str, list[str]], ...] = (
    ("ix_case_desk_registered", ["desk_id", "registered_at", "id"]),
    ("ix_case_desk_number", ["desk_id", "year", "seq", "id"]),
    ("ix_case_desk_deadline", ["desk_id", "deadline", "id"]),
    ("ix_case_desk_stage", ["desk_id", "stage", "id"]),
    ("ix_case_desk_category", ["desk_id", "category", "id"]),
)

# Must stay identical to mediation.services.search.PG_SEARCH_EXPR (the planner only
# uses the index for the very same expression).
PG_SEARCH_EXPR = (
    "(coalesce(number, '') || ' ' || title || ' ' || party_names || ' ' || party_phones"
    " || ' ' || facts || ' ' || claims)"
)


def _sqlite_fts_upgrade(bind: sa.Connection) -> None:
    cols = ", ".join(FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in FTS_COLUMNS)
    try:
        with bind.begin_nested():
            bind.exec_driver_sql(
                f"CREATE VIRTUAL TABLE case_fts USING fts5({cols}, content='mediation_case',"
                " content_rowid='id', tokenize='trigram', detail='none')"
            )
    except sa.exc.OperationalError as exc:  # no FTS5 or no trigram tokenizer
        log.warning("FTS5 trigram search index not created (%s); search uses LIKE", exc.orig)
        return
    bind.exec_driver_sql(
        f"CREATE TRIGGER case_fts_ai AFTER INSERT ON mediation_case BEGIN"
        f" INSERT INTO case_fts(rowid, {cols}) VALUES (new.id, {new}); END"
    )
    bind.exec_driver_sql(
        f"CREATE TRIGGER case_fts_ad AFTER DELETE ON mediation_case BEGIN"
        f" INSERT INTO case_fts(case_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
    )
    # Only when a searched column really changed: saving a stage change or a category
    # must not re-index the facts.
    bind.exec_driver_sql(
        f"CREATE TRIGGER case_fts_au AFTER UPDATE OF {cols} ON mediation_case"
        f" WHEN {changed} BEGIN"
        f" INSERT INTO case_fts(case_fts, rowid, {cols}) VALUES ('delete', old.id, {old});"
        f" INSERT INTO case_fts(rowid, {cols}) VALUES (new.id, {new}); END"
    )
    # An existing, populated database: index what is already there.
    bind.exec_driver_sql("INSERT INTO case_fts(case_fts) VALUES ('rebuild')")


def _sqlite_fts_downgrade(bind: sa.Connection) -> None:
    for trigger in ("case_fts_au", "case_fts_ad", "case_fts_ai"):
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    bind.exec_driver_sql("DROP TABLE IF EXISTS case_fts")


def _pg_trgm_upgrade(bind: sa.Connection) -> None:
    try:
        with bind.begin_nested():  # a failure must not abort the whole migration
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm not available (%s); search uses ILIKE", type(exc.orig).__name__)
        return
    bind.exec_driver_sql(
        f"CREATE INDEX ix_case_search_trgm ON mediation_case USING gin ({PG_SEARCH_EXPR} gin_trgm_ops)"
    )


def _pg_trgm_downgrade(bind: sa.Connection) -> None:
    # The extension stays: other schemas may use it, and dropping needs ownership.
    bind.exec_driver_sql("DROP INDEX IF EXISTS ix_case_search_trgm")


def upgrade() -> None:
    bind = op.get_bind()
    for name, columns in LIST_INDEXES:
        op.create_index(name, "mediation_case", columns, unique=False)
    if bind.dialect.name == "sqlite":
        _sqlite_fts_upgrade(bind)
    elif bind.dialect.name == "postgresql":
        _pg_trgm_upgrade(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_fts_downgrade(bind)
    elif bind.dialect.name == "postgresql":
        _pg_trgm_downgrade(bind)
    for name, _columns in reversed(LIST_INDEXES):
        op.drop_index(name, table_name="mediation_case")
