"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}
from mediation.migrations import compat


revision: str = ${repr(up_revision)}
down_revision: str | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}

# Expand-then-contract (docs/migrations.md): keep compat.record at the end of upgrade() if
# an older program keeps working on this schema; otherwise delete it (and forget) and
# declare:  contraction = "<why an older program cannot work on it>"


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}
    compat.record(op, revision, oldest_program="0011_case_review")


def downgrade() -> None:
    compat.forget(op, revision)
    ${downgrades if downgrades else "pass"}
