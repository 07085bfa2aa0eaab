"""Alembic environment: uses the connection handed over by mediation.migrate, or the URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

from mediation.db import make_engine
from mediation.models import Base

config = context.config
target_metadata = Base.metadata


# Search structures made by raw SQL in revision 0002 (FTS5 table and its shadow tables,
# the pg_trgm index) have no model; autogenerate and the model-vs-DDL test skip them.
_UNMODELLED_PREFIXES = ("case_fts",)
_UNMODELLED_INDEXES = frozenset({"ix_case_search_trgm"})


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    if name is None:
        return True
    if type_ == "table" and name.startswith(_UNMODELLED_PREFIXES):
        return False
    return not (type_ == "index" and name in _UNMODELLED_INDEXES)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Engine):  # pytest-alembic hands over an Engine
        with connection.connect() as conn:
            _run(conn)
            conn.commit()
        return
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        include_name=include_name,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
