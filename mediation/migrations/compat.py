"""Expand-then-contract, made explicit in every revision (issue 11 item 2).

A shared PostgreSQL database is upgraded by its owner while desk PCs may still run the
previous program. Such a PC starts only if the schema's revision says which programs
still work on it (:class:`mediation.models.SchemaCompat`, read by
:func:`mediation.migrate.check_schema`). So every revision after :data:`BASELINE` is one
of two kinds, and says which (``tests/db/test_migration_compat.py`` fails otherwise):

**An expansion** (adds what an older program ignores: a table, a nullable column, a
column with a server default or one the database fills, an index, a backfill) ends its
``upgrade()`` with::

    from mediation.migrations import compat
    ...
    compat.record(op, revision, oldest_program="0011_case_review")

and its ``downgrade()`` with ``compat.forget(op, revision)``. ``oldest_program`` is the
oldest program revision that works on this schema: the newest contraction before it
(or :data:`BASELINE` if there is none since), never older.

**A contraction** (removes or tightens what an older program still reads or writes:
dropping or renaming a column or table, NOT NULL without a default, a new rule the
older program would break) records no row, so older programs refuse the database and
say to update, and declares it at module level with the reason::

    contraction = "drops case.category: the 0011 program still writes it"

Contract only once every desk PC runs a program that no longer needs what goes.
See docs/migrations.md for the rule and how the released revisions 0005–0011 stand.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

BASELINE = "0011_case_review"
"""The last revision released before this rule; revisions after it must follow it.
(0006 and 0007 are contractions; 0008–0011 add only but record no row: see
docs/migrations.md.)"""

_TABLE = sa.table("schema_compat", sa.column("revision", sa.String(40)), sa.column("oldest_program", sa.String(40)))


def record(op: Any, revision: str, oldest_program: str) -> None:
    """Record that programs from ``oldest_program`` on still work on the schema of
    ``revision`` (an expansion). Idempotent: an upgrade after a downgrade that left the
    row behind replaces it."""
    if not revision or not oldest_program or revision == oldest_program:
        raise ValueError(f"schema_compat row for {revision!r}: oldest_program must be an earlier revision")
    bind = op.get_bind()
    bind.execute(sa.delete(_TABLE).where(_TABLE.c.revision == revision))
    bind.execute(sa.insert(_TABLE).values(revision=revision, oldest_program=oldest_program))


def forget(op: Any, revision: str) -> None:
    """The downgrade's counterpart of :func:`record`."""
    op.get_bind().execute(sa.delete(_TABLE).where(_TABLE.c.revision == revision))


__all__ = ["BASELINE", "forget", "record"]
