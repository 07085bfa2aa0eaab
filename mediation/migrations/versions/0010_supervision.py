"""supervision: what the official statistics need that the data lacked, and the reports

On ``mediation_case``:

* ``terminated_at`` — when mediation was terminated (终止 is counted by this date);
  filled from the case timeline's ``terminate`` event (else the case's close time) for
  the cases already terminated;
* ``prevented_escalation_people``, ``prevented_petition``, ``prevented_petition_people``
  — 防止民转刑 and 防止群体性上访 with the number of people (existing flags keep their
  yes, with 0 people: nobody recorded how many);
* ``police_method`` — 当场调解 / 一般调解 on the police track;
* ``judicial_applied_on``, ``judicial_court``, ``judicial_outcome``,
  ``judicial_decided_on`` — the judicial confirmation's application and ruling.

On ``case_party``: ``party_type`` (本校学生 / 外校学生 / 教职工 / 社会人员), unknown for
the parties already registered.

New tables (both carry ``desk_id``): ``stat_mapping`` (a desk's category / sub-type /
source → the row of an official table, from a date on; seeded here for every item
already in a desk's lists, by its label, valid from 2000-01-01) and ``stat_report``
(the reports filed, reviewed and submitted, with the frozen snapshot and its SHA-256).

SQLite: columns are added with ``ALTER TABLE ... ADD COLUMN`` (no table copy, so the
search triggers on ``mediation_case`` stay, see 0002).

Revision ID: 0010_supervision
Revises: 0009_roster
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010_supervision"
down_revision: str | None = "0009_roster"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The label → row defaults as they were when this revision was written (the code's
# mediation.statistics.rules may change later; a migration must not).
PEOPLE_ROWS = {
    "婚姻家庭": "marriage", "邻里": "neighbour", "房屋宅基地": "housing", "合同": "contract",
    "生产经营": "business", "损害赔偿": "damages", "山林土地": "land", "征地拆迁": "demolition",
    "环境污染": "environment", "劳动争议": "labour", "消费": "consumer", "医疗": "medical",
    "道路交通事故": "traffic", "物业": "property", "其他": "other",
}
PEOPLE_SOURCES = {"主动排查": "active", "当事人申请": "application", "派出所移交": "entrusted",
                  "学校转交": "entrusted", "法院/其他部门委托": "entrusted", "110警情转交": "entrusted"}
POLICE_SOURCES = {"110警情转交": "call110", "当事人申请": "walk_in", "派出所移交": "walk_in", "学校转交": "school"}
CAMPUS_ROWS = {"宿舍": "dorm", "噪音": "dorm", "恋爱/感情": "romance", "财物损坏": "theft", "盗窃": "theft",
               "电信诈骗": "fraud", "电动车/自行车": "traffic", "租房": "consumer", "网购/消费": "consumer",
               "兼职/实习": "consumer", "人身损害": "injury"}
VALID_FROM = dt.date(2000, 1, 1)

CASE_COLUMNS: tuple[tuple[str, str, sa.types.TypeEngine[Any], str | None], ...] = (
    # name, SQLite DDL, type, PostgreSQL server default for the rows already there
    ("prevented_escalation_people", "INTEGER NOT NULL DEFAULT 0", sa.Integer(), "0"),
    ("prevented_petition", "BOOLEAN NOT NULL DEFAULT 0", sa.Boolean(), "false"),
    ("prevented_petition_people", "INTEGER NOT NULL DEFAULT 0", sa.Integer(), "0"),
    ("police_method", "VARCHAR(10)", sa.String(length=10), None),
    ("terminated_at", "DATETIME", sa.DateTime(), None),
    ("judicial_applied_on", "DATE", sa.Date(), None),
    ("judicial_court", "VARCHAR(100) NOT NULL DEFAULT ''", sa.String(length=100), "''"),
    ("judicial_outcome", "VARCHAR(10)", sa.String(length=10), None),
    ("judicial_decided_on", "DATE", sa.Date(), None),
)


def _add_columns(bind: sa.Connection) -> None:
    for name, sqlite_ddl, type_, default in CASE_COLUMNS:
        if bind.dialect.name == "sqlite":
            bind.exec_driver_sql(f"ALTER TABLE mediation_case ADD COLUMN {name} {sqlite_ddl}")
        else:
            op.add_column("mediation_case", sa.Column(
                name, type_, nullable=default is None,
                server_default=sa.text(default) if default is not None else None))
            # the defaults stay (as on SQLite): bulk writers that name their columns keep working
    if bind.dialect.name == "sqlite":
        bind.exec_driver_sql("ALTER TABLE case_party ADD COLUMN party_type VARCHAR(20)")
    else:
        op.add_column("case_party", sa.Column("party_type", sa.String(length=20), nullable=True))


def _create_tables() -> None:
    op.create_table(
        "stat_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("subtype_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"], name=op.f("fk_stat_mapping_desk_id_desk")),
        sa.ForeignKeyConstraint(["set_by_id"], ["user_account.id"],
                                name=op.f("fk_stat_mapping_set_by_id_user_account")),
        sa.ForeignKeyConstraint(["subtype_id"], ["dispute_subtype.id"],
                                name=op.f("fk_stat_mapping_subtype_id_dispute_subtype")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stat_mapping")),
    )
    op.create_index("ix_stat_mapping_desk_kind", "stat_mapping", ["desk_id", "kind", "valid_from"], unique=False)
    op.create_table(
        "stat_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("table_code", sa.String(length=20), nullable=False),
        sa.Column("period_kind", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("notes", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("snapshot", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True),
        sa.Column("snapshot_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"], name=op.f("fk_stat_report_desk_id_desk")),
        sa.ForeignKeyConstraint(["filed_by_id"], ["user_account.id"],
                                name=op.f("fk_stat_report_filed_by_id_user_account")),
        sa.ForeignKeyConstraint(["reviewed_by_id"], ["user_account.id"],
                                name=op.f("fk_stat_report_reviewed_by_id_user_account")),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["user_account.id"],
                                name=op.f("fk_stat_report_submitted_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stat_report")),
    )
    op.create_index("ix_stat_report_desk_status", "stat_report", ["desk_id", "status", "period_start"],
                    unique=False)


def _backfill(bind: sa.Connection) -> None:
    bind.execute(sa.text(
        "UPDATE mediation_case SET terminated_at = COALESCE("
        " (SELECT MIN(e.at) FROM case_event e WHERE e.case_id = mediation_case.id AND e.kind = 'terminate'),"
        " closed_at) WHERE result = 'terminated'"))
    mapping = sa.table("stat_mapping", sa.column("desk_id"), sa.column("kind"), sa.column("item_id"),
                       sa.column("subtype_id"), sa.column("code"), sa.column("valid_from"), sa.column("set_at"))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows: list[dict[str, object]] = []

    def add(desk_id: int, kind: str, item_id: int, subtype_id: int | None, code: str) -> None:
        rows.append({"desk_id": desk_id, "kind": kind, "item_id": item_id, "subtype_id": subtype_id,
                     "code": code, "valid_from": VALID_FROM, "set_at": now})

    for cat_id, desk_id, label in bind.execute(sa.text("SELECT id, desk_id, label FROM dispute_category")).all():
        add(desk_id, "people_row", cat_id, None, PEOPLE_ROWS.get(label, "other"))
    for sub_id, desk_id, cat_id, label in bind.execute(sa.text(
            "SELECT id, desk_id, category_id, label FROM dispute_subtype WHERE category_id IS NOT NULL")).all():
        if label in CAMPUS_ROWS:
            add(desk_id, "campus_row", cat_id, sub_id, CAMPUS_ROWS[label])
    for src_id, desk_id, label in bind.execute(sa.text("SELECT id, desk_id, label FROM case_source")).all():
        add(desk_id, "people_source", src_id, None, PEOPLE_SOURCES.get(label, "application"))
        add(desk_id, "police_source", src_id, None, POLICE_SOURCES.get(label, "other"))
    if rows:
        bind.execute(sa.insert(mapping), rows)


STAT_INDEXES: dict[str, list[str]] = {  # the dates the statistics count by (the busiest two covering)
    "ix_case_stat_accepted": ["accepted_at", "track", "desk_id", "category_id", "subcategory_id", "source_id",
                              "people_involved"],
    "ix_case_stat_agreed": ["agreement_reached_at", "track", "desk_id", "category_id", "subcategory_id",
                            "source_id", "agreement_kind", "agreement_amount", "performance_status",
                            "prevented_escalation", "prevented_escalation_people", "prevented_petition",
                            "prevented_petition_people"],
    "ix_case_terminated_at": ["terminated_at"],
    "ix_case_closed_at": ["closed_at"],
    "ix_case_judicial_decided_on": ["judicial_decided_on"],
}


def upgrade() -> None:
    bind = op.get_bind()
    _add_columns(bind)
    _create_tables()
    _backfill(bind)
    for name, columns in STAT_INDEXES.items():
        op.create_index(name, "mediation_case", columns, unique=False)


def downgrade() -> None:
    bind = op.get_bind()
    for name in STAT_INDEXES:
        op.drop_index(name, table_name="mediation_case")
    op.drop_index("ix_stat_report_desk_status", table_name="stat_report")
    op.drop_table("stat_report")
    op.drop_index("ix_stat_mapping_desk_kind", table_name="stat_mapping")
    op.drop_table("stat_mapping")
    for name, *_rest in CASE_COLUMNS:
        if bind.dialect.name == "sqlite":
            bind.exec_driver_sql(f"ALTER TABLE mediation_case DROP COLUMN {name}")
        else:
            op.drop_column("mediation_case", name)
    if bind.dialect.name == "sqlite":
        bind.exec_driver_sql("ALTER TABLE case_party DROP COLUMN party_type")
    else:
        op.drop_column("case_party", "party_type")
