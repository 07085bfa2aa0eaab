"""the volunteer roster: terms, volunteers, timetable slots, hours, handovers, swaps, certificates

Issue 16. New tables, each with ``desk_id`` (row-level security keys on it):
``roster_term``, ``roster_volunteer``, ``roster_status_change``, ``roster_training``,
``roster_slot``, ``roster_period_lock``, ``roster_hours_claim``, ``roster_handover``,
``roster_swap``, ``roster_certificate``.

``duty_shift`` keeps its rows and gains what the hour rules need: the term and timetable
slot a shift comes from (NULL for the shifts already there: they were added by hand),
``scheduled`` (False for the unscheduled check-ins already recorded, the rows whose note is
临时到岗), ``auto_closed``, and the extra time waiting for the adviser.

``user_account.must_change_password`` (the one-time passwords of the roster's account
sheet) is added unless it exists: issue 12's revision adds the same column for an
administrator's password reset, and whichever of the two runs first adds it. For the same
reason the downgrade leaves it in place.

The case-record columns the adviser's overview counts by person get indexes (who made the
record, when).

Revision ID: 0009_roster
Revises: 0008_search_index
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mediation.models.base import JSONType, UTCDateTime

revision: str = "0009_roster"
down_revision: str | None = "0008_search_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AD_HOC_NOTE = "临时到岗"
"""What revisions up to 0004 stored as the note of an unscheduled check-in."""


def _desk(table: str) -> sa.Column[int]:
    return sa.Column("desk_id", sa.Integer(), sa.ForeignKey("desk.id", name=f"fk_{table}_desk_id_desk"), nullable=False)


def _user(table: str, column: str, *, nullable: bool = True) -> sa.Column[int]:
    return sa.Column(column, sa.Integer(), sa.ForeignKey("user_account.id", name=f"fk_{table}_{column}_user_account"),
                     nullable=nullable)


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


OVERVIEW_INDEXES = (
    ("ix_case_registered_by", "mediation_case", ["registered_by_id", "registered_at"]),
    ("ix_case_mediator_registered", "mediation_case", ["mediator_id", "registered_at"]),
    ("ix_session_record_mediator", "session_record", ["mediator_id", "held_at"]),
    ("ix_session_record_recorder", "session_record", ["recorder_id", "held_at"]),
    ("ix_investigation_record_investigator", "investigation_record", ["investigator_id", "held_at"]),
    ("ix_follow_up_user", "follow_up", ["user_id", "visited_at"]),
    ("ix_consultation_answered_by", "consultation", ["answered_by_id", "asked_at"]),
    ("ix_document_created_by", "document", ["created_by_id", "created_at"]),
)
"""The adviser's overview counts each student's records in a period (benchmark: a term of 45
students on 100,000 cases)."""


def upgrade() -> None:
    op.create_table(
        "roster_term",
        sa.Column("id", sa.Integer(), primary_key=True),
        _desk("roster_term"),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("min_students", sa.Integer(), nullable=False),
        sa.Column("min_officers", sa.Integer(), nullable=False),
        sa.Column("max_weekly_minutes", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        _user("roster_term", "closed_by_id"),
        _user("roster_term", "created_by_id"),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_roster_term"),
        sa.UniqueConstraint("desk_id", "name", name="uq_roster_term_desk_id"),
    )
    _indexes("roster_term", "desk_id")
    op.create_table(
        "roster_volunteer",
        sa.Column("id", sa.Integer(), primary_key=True),
        _desk("roster_volunteer"),
        sa.Column("term_id", sa.Integer(), sa.ForeignKey("roster_term.id", name="fk_roster_volunteer_term_id_roster_term"),
                  nullable=False),
        _user("roster_volunteer", "user_id"),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("student_no", sa.String(30), nullable=False),
        sa.Column("class_name", sa.String(60), nullable=False),
        sa.Column("college", sa.String(60), nullable=False),
        sa.Column("sex", sa.String(4), nullable=False),
        sa.Column("phone", sa.String(30), nullable=False),
        sa.Column("id_number", sa.String(30), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("status_changed_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_roster_volunteer"),
        sa.UniqueConstraint("term_id", "student_no", name="uq_roster_volunteer_term_id"),
    )
    _indexes("roster_volunteer", "desk_id", "term_id", "user_id")
    op.create_table(
        "roster_status_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        _desk("roster_status_change"),
        sa.Column("volunteer_id", sa.Integer(),
                  sa.ForeignKey("roster_volunteer.id", name="fk_roster_status_change_volunteer_id_roster_volunteer"),
                  nullable=False),
        sa.Column("status_from", sa.String(12), nullable=True),
        sa.Column("status_to", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        _user("roster_status_change", "by_id"),
        sa.PrimaryKeyConstraint("id", name="pk_roster_status_change"),
    )
    _indexes("roster_status_change", "desk_id", "volunteer_id")
    op.create_table(
        "roster_training",
        sa.Column("id", sa.Integer(), primary_key=True),
        _desk("roster_training"),
        sa.Column("volunteer_id", sa.Integer(),
                  sa.ForeignKey("roster_volunteer.id", name="fk_roster_training_volunteer_id_roster_volunteer"),
                  nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        _user("roster_training", "recorded_by_id"),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_roster_training"),
    )
    _indexes("roster_training", "desk_id", "volunteer_id")
    op.create_table(
        "roster_slot",
        sa.Column("id", sa.Integer(), primary_key=True),
        _desk("roster_slot"),
        sa.Column("term_id", sa.Integer(), sa.ForeignKey("roster_term.id", name="fk_roster_slot_term_id_roster_term"),
                  nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(30), nullable=False),
        sa.Column("min_students", sa.Integer(), nullable=True),
        sa.Column("min_officers", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_roster_slot"),
    )
    _indexes("roster_slot", "desk_id", "term_id")
    op.create_table(
        "roster_period_lock",
        sa.Column("id", sa.Integer(), primary_key=True),
        _desk("roster_period_lock"),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(200), nullable=False),
        _user("roster_period_lock", "locked_by_id"),
        sa.Column("locked_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_roster_period_lock"),
    )
    _indexes("roster_period_lock", "desk_id")
    op.create_table(
        "roster_hours_claim",
        sa.Column("id", sa.Integer(), primary_key=True),
        _desk("roster_hours_claim"),
        _user("roster_hours_claim", "user_id", nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("worked_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        _user("roster_hours_claim", "requested_by_id"),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        _user("roster_hours_claim", "decided_by_id"),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_roster_hours_claim"),
    )
    _indexes("roster_hours_claim", "desk_id", "user_id")

    # The shifts already recorded stay; they gain the roster's columns.
    with op.batch_alter_table("duty_shift", schema=None) as batch_op:
        batch_op.add_column(sa.Column("term_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("slot_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("scheduled", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("auto_closed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("extra_minutes", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("extra_status", sa.String(10), nullable=True))
        batch_op.add_column(sa.Column("extra_decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("extra_decided_at", UTCDateTime(), nullable=True))
        batch_op.create_index("ix_duty_shift_slot_id", ["slot_id"])
        batch_op.create_index("ix_duty_shift_term_id", ["term_id"])
        batch_op.create_foreign_key("fk_duty_shift_slot_id_roster_slot", "roster_slot", ["slot_id"], ["id"])
        batch_op.create_foreign_key("fk_duty_shift_term_id_roster_term", "roster_term", ["term_id"], ["id"])
        batch_op.create_foreign_key("fk_duty_shift_extra_decided_by_id_user_account", "user_account",
                                    ["extra_decided_by_id"], ["id"])
    op.execute(sa.text("UPDATE duty_shift SET scheduled = :no WHERE note = :ad_hoc")
               .bindparams(no=False, ad_hoc=AD_HOC_NOTE))

    op.create_table(
        "roster_handover",
        sa.Column("id", sa.Integer(), primary_key=True),
        _desk("roster_handover"),
        sa.Column("shift_id", sa.Integer(), sa.ForeignKey("duty_shift.id", name="fk_roster_handover_shift_id_duty_shift"),
                  nullable=True),
        _user("roster_handover", "author_id", nullable=False),
        sa.Column("written_at", UTCDateTime(), nullable=False),
        sa.Column("items", JSONType, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _user("roster_handover", "acknowledged_by_id"),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_roster_handover"),
    )
    op.create_index("ix_roster_handover_desk_open", "roster_handover", ["desk_id", "acknowledged_at", "id"])
    _indexes("roster_handover", "shift_id")
    op.create_table(
        "roster_swap",
        sa.Column("id", sa.Integer(), primary_key=True),
        _desk("roster_swap"),
        sa.Column("shift_id", sa.Integer(), sa.ForeignKey("duty_shift.id", name="fk_roster_swap_shift_id_duty_shift"),
                  nullable=False),
        _user("roster_swap", "requester_id", nullable=False),
        _user("roster_swap", "colleague_id", nullable=False),
        sa.Column("colleague_shift_id", sa.Integer(),
                  sa.ForeignKey("duty_shift.id", name="fk_roster_swap_colleague_shift_id_duty_shift"), nullable=True),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
        sa.Column("accepted_at", UTCDateTime(), nullable=True),
        _user("roster_swap", "decided_by_id"),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_roster_swap"),
    )
    _indexes("roster_swap", "desk_id", "shift_id", "colleague_id")
    op.create_table(
        "roster_certificate",
        sa.Column("id", sa.Integer(), primary_key=True),
        _desk("roster_certificate"),
        sa.Column("volunteer_id", sa.Integer(),
                  sa.ForeignKey("roster_volunteer.id", name="fk_roster_certificate_volunteer_id_roster_volunteer"),
                  nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("number", sa.String(60), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("figures", JSONType, nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        _user("roster_certificate", "drafted_by_id"),
        sa.Column("drafted_at", UTCDateTime(), nullable=False),
        _user("roster_certificate", "approved_by_id"),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_roster_certificate"),
        sa.UniqueConstraint("desk_id", "kind", "year", "seq", name="uq_roster_certificate_desk_id"),
    )
    _indexes("roster_certificate", "desk_id", "volunteer_id")

    for name, table, cols in OVERVIEW_INDEXES:
        op.create_index(name, table, cols)

    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("user_account")}
    if "must_change_password" not in columns:
        # In place (ALTER TABLE ADD COLUMN, also on SQLite): a batch copy would drop a table
        # every other table refers to.
        op.add_column("user_account", sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                                server_default=sa.false()))


def downgrade() -> None:
    for name, table, _cols in OVERVIEW_INDEXES:
        op.drop_index(name, table_name=table)
    for table in ("roster_certificate", "roster_swap", "roster_handover"):
        op.drop_table(table)
    with op.batch_alter_table("duty_shift", schema=None) as batch_op:
        batch_op.drop_constraint("fk_duty_shift_extra_decided_by_id_user_account", type_="foreignkey")
        batch_op.drop_constraint("fk_duty_shift_term_id_roster_term", type_="foreignkey")
        batch_op.drop_constraint("fk_duty_shift_slot_id_roster_slot", type_="foreignkey")
        batch_op.drop_index("ix_duty_shift_term_id")
        batch_op.drop_index("ix_duty_shift_slot_id")
        for column in ("extra_decided_at", "extra_decided_by_id", "extra_status", "extra_minutes", "auto_closed",
                       "scheduled", "slot_id", "term_id"):
            batch_op.drop_column(column)
    for table in ("roster_hours_claim", "roster_period_lock", "roster_slot", "roster_training",
                  "roster_status_change", "roster_volunteer", "roster_term"):
        op.drop_table(table)
