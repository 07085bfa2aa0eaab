"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:16:18.010424
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('desk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('committee_name', sa.String(length=100), nullable=False),
    sa.Column('number_prefix', sa.String(length=30), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk')),
    sa.UniqueConstraint('number_prefix', name=op.f('uq_desk_number_prefix'))
    )
    op.create_table('holiday_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_holiday_day'))
    )
    op.create_table('number_sequence',
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['desk.id'], name=op.f('fk_number_sequence_desk_id_desk')),
    sa.PrimaryKeyConstraint('desk_id', 'year', 'kind', name=op.f('pk_number_sequence'))
    )
    op.create_table('setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=True),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['desk.id'], name=op.f('fk_setting_desk_id_desk')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_setting')),
    sa.UniqueConstraint('desk_id', 'key', name=op.f('uq_setting_desk_id'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=50), nullable=False),
    sa.Column('display_name', sa.String(length=50), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('student_no', sa.String(length=30), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('all_desks', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('password_changed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['desk.id'], name=op.f('fk_user_account_desk_id_desk')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_audit_log_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_case_id'), ['case_id'], unique=False)

    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('person_name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('converted_case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_consultation_answered_by_id_user_account')),
    sa.ForeignKeyConstraint(['desk_id'], ['desk.id'], name=op.f('fk_consultation_desk_id_desk')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation'))
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_asked_at'), ['asked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_desk_id'), ['desk_id'], unique=False)

    op.create_table('duty_shift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('checked_out_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['desk.id'], name=op.f('fk_duty_shift_desk_id_desk')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_duty_shift_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duty_shift'))
    )
    with op.batch_alter_table('duty_shift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_shift_desk_id'), ['desk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duty_shift_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_duty_shift_user_id'), ['user_id'], unique=False)

    op.create_table('party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sex', sa.String(length=4), nullable=False),
    sa.Column('ethnicity', sa.String(length=20), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('id_type', sa.String(length=20), nullable=False),
    sa.Column('id_number', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('occupation', sa.String(length=100), nullable=False),
    sa.Column('legal_representative', sa.String(length=50), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_party_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party'))
    )
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_phone'), ['phone'], unique=False)

    op.create_table('mediation_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('track', sa.String(length=20), nullable=True),
    sa.Column('track_decided_by_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('subcategory', sa.String(length=30), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('party_names', sa.String(length=500), nullable=False),
    sa.Column('party_phones', sa.String(length=500), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('claims', sa.Text(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('people_involved', sa.Integer(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('mediator_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('deadline_label', sa.String(length=60), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=True),
    sa.Column('outcome_reason', sa.Text(), nullable=False),
    sa.Column('referred_to', sa.String(length=100), nullable=False),
    sa.Column('routes_suggested', sa.Text(), nullable=False),
    sa.Column('police_exclusions_ack', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('prevented_escalation', sa.Boolean(), nullable=False),
    sa.Column('agreement_kind', sa.String(length=10), nullable=True),
    sa.Column('agreement_number', sa.String(length=60), nullable=True),
    sa.Column('agreement_terms', sa.Text(), nullable=False),
    sa.Column('agreement_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('performance_manner', sa.String(length=200), nullable=False),
    sa.Column('performance_place', sa.String(length=200), nullable=False),
    sa.Column('performance_deadline', sa.Date(), nullable=True),
    sa.Column('agreement_reached_at', sa.DateTime(), nullable=True),
    sa.Column('agreement_signed_at', sa.DateTime(), nullable=True),
    sa.Column('performance_status', sa.String(length=20), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('retention_years', sa.Integer(), nullable=True),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user_account.id'], name=op.f('fk_mediation_case_accepted_by_id_user_account')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_mediation_case_closed_by_id_user_account')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_mediation_case_consultation_id_consultation')),
    sa.ForeignKeyConstraint(['desk_id'], ['desk.id'], name=op.f('fk_mediation_case_desk_id_desk')),
    sa.ForeignKeyConstraint(['mediator_id'], ['user_account.id'], name=op.f('fk_mediation_case_mediator_id_user_account')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user_account.id'], name=op.f('fk_mediation_case_registered_by_id_user_account')),
    sa.ForeignKeyConstraint(['track_decided_by_id'], ['user_account.id'], name=op.f('fk_mediation_case_track_decided_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_case')),
    sa.UniqueConstraint('desk_id', 'year', 'seq', name='uq_case_desk_year_seq'),
    sa.UniqueConstraint('number', name=op.f('uq_mediation_case_number'))
    )
    with op.batch_alter_table('mediation_case', schema=None) as batch_op:
        batch_op.create_index('ix_case_deadline', ['deadline', 'id'], unique=False)
        batch_op.create_index('ix_case_desk_stage_registered', ['desk_id', 'stage', 'registered_at', 'id'], unique=False)
        batch_op.create_index('ix_case_mediator', ['mediator_id', 'stage'], unique=False)
        batch_op.create_index('ix_case_registered_id', ['registered_at', 'id'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'], name=op.f('fk_attachment_added_by_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_attachment_case_id_mediation_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('stage_from', sa.String(length=20), nullable=True),
    sa.Column('stage_to', sa.String(length=20), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_case_event_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_case_event_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event'))
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_event_case_id'), ['case_id'], unique=False)

    op.create_table('case_party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('represents_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_case_party_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_case_party_party_id_party')),
    sa.ForeignKeyConstraint(['represents_id'], ['case_party.id'], name=op.f('fk_case_party_represents_id_case_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_party')),
    sa.UniqueConstraint('case_id', 'party_id', 'role', name=op.f('uq_case_party_case_id'))
    )
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_party_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_party_party_id'), ['party_id'], unique=False)

    op.create_table('follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('visited_at', sa.DateTime(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('performance_status', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_follow_up_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_follow_up_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up'))
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_case_id'), ['case_id'], unique=False)

    op.create_table('investigation_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('investigator_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_investigation_record_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['investigator_id'], ['user_account.id'], name=op.f('fk_investigation_record_investigator_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_investigation_record'))
    )
    with op.batch_alter_table('investigation_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_investigation_record_case_id'), ['case_id'], unique=False)

    op.create_table('session_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('attendees', sa.Text(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('mediator_id', sa.Integer(), nullable=True),
    sa.Column('recorder_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_session_record_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mediator_id'], ['user_account.id'], name=op.f('fk_session_record_mediator_id_user_account')),
    sa.ForeignKeyConstraint(['recorder_id'], ['user_account.id'], name=op.f('fk_session_record_recorder_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_record'))
    )
    with op.batch_alter_table('session_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_record_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('session_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_record_case_id'))

    op.drop_table('session_record')
    with op.batch_alter_table('investigation_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_investigation_record_case_id'))

    op.drop_table('investigation_record')
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_case_id'))

    op.drop_table('follow_up')
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_party_party_id'))
        batch_op.drop_index(batch_op.f('ix_case_party_case_id'))

    op.drop_table('case_party')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_event_case_id'))

    op.drop_table('case_event')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachment_case_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('mediation_case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_registered_id')
        batch_op.drop_index('ix_case_mediator')
        batch_op.drop_index('ix_case_desk_stage_registered')
        batch_op.drop_index('ix_case_deadline')

    op.drop_table('mediation_case')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_phone'))
        batch_op.drop_index(batch_op.f('ix_party_name'))
        batch_op.drop_index(batch_op.f('ix_party_id_number'))

    op.drop_table('party')
    with op.batch_alter_table('duty_shift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_shift_user_id'))
        batch_op.drop_index(batch_op.f('ix_duty_shift_starts_at'))
        batch_op.drop_index(batch_op.f('ix_duty_shift_desk_id'))

    op.drop_table('duty_shift')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_desk_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_asked_at'))

    op.drop_table('consultation')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_case_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('user_account')
    op.drop_table('setting')
    op.drop_table('number_sequence')
    op.drop_table('holiday_day')
    op.drop_table('desk')
    op.drop_table('audit_head')
