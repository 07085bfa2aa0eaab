"""case-file review (抽卷评查) and the audit viewer's indexes

Issue 15 items 5–6. Two new tables, each with ``desk_id`` (row-level security: add them
to the desk policy list): ``case_review_draw`` (a recorded random draw of closed cases,
its seed and the population drawn from) and ``case_review`` (one per case drawn: the
confirmed checklist and the findings). Four indexes on ``audit_log`` let the audit
viewer page by (at, id) within a desk, a person, a case or an action. New tables and
indexes only: existing rows are untouched.

Revision ID: 0011_case_review
Revises: 0010_supervision
Create Date: 2026-12-06 01:40:06.894711
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0011_case_review'
down_revision: str | None = '0010_supervision'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_review_draw',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('requested', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=40), nullable=False),
    sa.Column('population', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.Column('drawn_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['desk.id'], name=op.f('fk_case_review_draw_desk_id_desk')),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user_account.id'], name=op.f('fk_case_review_draw_drawn_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_review_draw'))
    )
    with op.batch_alter_table('case_review_draw', schema=None) as batch_op:
        batch_op.create_index('ix_case_review_draw_desk', ['desk_id', 'period_from'], unique=False)

    op.create_table('case_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('checklist', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('findings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_case_review_case_id_mediation_case')),
    sa.ForeignKeyConstraint(['desk_id'], ['desk.id'], name=op.f('fk_case_review_desk_id_desk')),
    sa.ForeignKeyConstraint(['draw_id'], ['case_review_draw.id'], name=op.f('fk_case_review_draw_id_case_review_draw'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], name=op.f('fk_case_review_reviewed_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_review')),
    sa.UniqueConstraint('draw_id', 'case_id', name=op.f('uq_case_review_draw_id'))
    )
    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.create_index('ix_case_review_case', ['case_id'], unique=False)
        batch_op.create_index('ix_case_review_desk_reviewed', ['desk_id', 'reviewed_at'], unique=False)

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_action_at', ['action', 'at', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_case_at', ['case_id', 'at', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_desk_at', ['desk_id', 'at', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_user_at', ['user_id', 'at', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_user_at')
        batch_op.drop_index('ix_audit_log_desk_at')
        batch_op.drop_index('ix_audit_log_case_at')
        batch_op.drop_index('ix_audit_log_action_at')

    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.drop_index('ix_case_review_desk_reviewed')
        batch_op.drop_index('ix_case_review_case')

    op.drop_table('case_review')
    with op.batch_alter_table('case_review_draw', schema=None) as batch_op:
        batch_op.drop_index('ix_case_review_draw_desk')

    op.drop_table('case_review_draw')
