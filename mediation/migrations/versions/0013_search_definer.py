"""search as a desk role: the trigram search functions for row-level security

Issue 13. On PostgreSQL, a desk's own login role (row-level security on) searched its
cases' text by reading every case: PostgreSQL neither lets a non-leakproof operator
(``ILIKE``) drive the ``pg_trgm`` index ahead of the policy nor uses the statistics on
its expression, so it planned for ten matches and scanned. This revision adds three
functions (:data:`mediation.rls.SEARCH_FUNCTIONS`): ``mediation_case_ids_like`` and
``mediation_consultation_ids_like`` (``SECURITY DEFINER``: the matching ids of the
connection's own desks, as its policy allows, read through the index as the owner) and
``mediation_text_like`` (``ILIKE`` the planner does not look into). Functions only: no
table changes, nothing on SQLite. The program of 0011 keeps working with it (it does not
call them): ``schema_compat`` says so.

Revision ID: 0013_search_definer
Revises: 0012_stats_summary
Create Date: 2026-12-06 04:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_search_definer"
down_revision: str | None = "0012_stats_summary"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from mediation import rls

        rls.create_search_functions(bind)  # granted to the desks' roles by rls.apply after the upgrade
    bind.execute(sa.text("INSERT INTO schema_compat (revision, oldest_program) VALUES (:r, :o)"),
                 {"r": revision, "o": "0011_case_review"})


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from mediation import rls

        rls.drop_search_functions(bind)
    bind.execute(sa.text("DELETE FROM schema_compat WHERE revision = :r"), {"r": revision})
