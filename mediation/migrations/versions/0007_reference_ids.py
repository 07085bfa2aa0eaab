"""reference ids: categories, sub-types and sources as tables; cases refer to their ids

Dispute categories, their sub-types and the sources of a dispute were settings (one
JSON list per desk or for every desk) and every case stored the label text itself, so
renaming a category left old cases under the old word and split the statistics. Now
each desk has its own rows in ``dispute_category``, ``dispute_subtype`` and
``case_source`` (id, label, sort order, active) and cases and consultations store the
id; a rename changes the label only.

Upgrade of a populated database, desk by desk:

1. the lists come from the desk's ``categories``/``sources`` setting, else the shared
   one, else the built-in defaults (in their order);
2. every label a case or consultation of the desk uses that is not in those lists is
   added as a retired item (the case keeps it; new cases cannot choose it);
3. the cases and consultations get the ids; the text columns and the two settings go.

Also ``user_account.must_change_password`` (an administrator's reset makes the next
login choose a new password).

SQLite: columns are added and dropped with ``ALTER TABLE`` (SQLite 3.35+), not with a
batch table copy, so the search triggers on ``mediation_case`` stay (see 0002). The
downgrade copies the table (the FK columns cannot be dropped in place) and re-creates
whatever triggers the table had.

Revision ID: 0007_reference_ids
Revises: 0006_audit_chains
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007_reference_ids"
down_revision: str | None = "0006_audit_chains"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The defaults as they were when this revision was written (mediation.settings may change
# later; a migration must not).
DEFAULT_CATEGORIES: dict[str, list[str]] = {
    "婚姻家庭": [],
    "邻里": ["噪音", "宿舍"],
    "房屋宅基地": ["租房"],
    "合同": ["租房", "借贷", "网购/消费", "兼职/实习"],
    "生产经营": [],
    "损害赔偿": ["财物损坏", "人身损害"],
    "山林土地": [],
    "征地拆迁": [],
    "环境污染": [],
    "劳动争议": ["兼职/实习"],
    "医疗": [],
    "物业": [],
    "道路交通事故": ["电动车/自行车"],
    "消费": ["网购/消费"],
    "其他": ["宿舍", "借贷"],
}
DEFAULT_SOURCES: list[str] = [
    "当事人申请", "主动排查", "派出所移交", "学校转交", "法院/其他部门委托", "110警情转交",
]

CASE_TEXT_COLUMNS = ("category", "subcategory", "source")
FKS = (  # (table, column, referred table)
    ("mediation_case", "category_id", "dispute_category"),
    ("mediation_case", "subcategory_id", "dispute_subtype"),
    ("mediation_case", "source_id", "case_source"),
    ("consultation", "category_id", "dispute_category"),
)


def _fk_name(table: str, column: str, referred: str) -> str:
    return f"fk_{table}_{column}_{referred}"


def _create_tables() -> None:
    op.create_table(
        "dispute_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=30), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"], name=op.f("fk_dispute_category_desk_id_desk")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_category")),
        sa.UniqueConstraint("desk_id", "label", name="uq_dispute_category_desk_label"),
    )
    op.create_index(op.f("ix_dispute_category_desk_id"), "dispute_category", ["desk_id"], unique=False)
    op.create_table(
        "dispute_subtype",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=30), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["dispute_category.id"],
                                name=op.f("fk_dispute_subtype_category_id_dispute_category")),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"], name=op.f("fk_dispute_subtype_desk_id_desk")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_subtype")),
        sa.UniqueConstraint("category_id", "label", name="uq_dispute_subtype_category_label"),
    )
    op.create_index(op.f("ix_dispute_subtype_category_id"), "dispute_subtype", ["category_id"], unique=False)
    op.create_index(op.f("ix_dispute_subtype_desk_id"), "dispute_subtype", ["desk_id"], unique=False)
    op.create_table(
        "case_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=30), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"], name=op.f("fk_case_source_desk_id_desk")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_source")),
        sa.UniqueConstraint("desk_id", "label", name="uq_case_source_desk_label"),
    )
    op.create_index(op.f("ix_case_source_desk_id"), "case_source", ["desk_id"], unique=False)


def _add_id_columns(bind: sa.Connection) -> None:
    for table, column, referred in FKS:
        name = _fk_name(table, column, referred)
        if bind.dialect.name == "sqlite":
            bind.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
                                 f"CONSTRAINT {name} REFERENCES {referred} (id)")
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(name, table, referred, [column], ["id"])


def _setting(bind: sa.Connection, key: str, desk_id: int) -> Any:
    rows = bind.execute(sa.text("SELECT desk_id, value FROM setting WHERE key = :k"), {"k": key}).all()
    by_desk = {d: v for d, v in rows}
    value = by_desk.get(desk_id, by_desk.get(None))
    if isinstance(value, str):  # SQLite hands JSON back as text
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    return value


def _text(value: Any) -> str:
    return str(value or "").strip()[:30]


class _DeskLists:
    """One desk's items as rows are added: label → id (sub-types per category id)."""

    def __init__(self, bind: sa.Connection, desk_id: int) -> None:
        self.bind, self.desk_id = bind, desk_id
        self.categories: dict[str, int] = {}
        self.subtypes: dict[tuple[int | None, str], int] = {}
        self.sources: dict[str, int] = {}

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        t = sa.table(table, *(sa.column(k) for k in values), sa.column("id"))
        return int(self.bind.execute(sa.insert(t).values(**values).returning(t.c.id)).scalar_one())

    def category(self, label: str, *, active: bool) -> int:
        if label not in self.categories:
            self.categories[label] = self._insert("dispute_category", {
                "desk_id": self.desk_id, "label": label, "sort_order": len(self.categories) + 1,
                "active": active})
        return self.categories[label]

    def subtype(self, category_id: int | None, label: str, *, active: bool) -> int:
        key = (category_id, label)
        if key not in self.subtypes:
            order = sum(1 for c, _l in self.subtypes if c == category_id) + 1
            self.subtypes[key] = self._insert("dispute_subtype", {
                "desk_id": self.desk_id, "category_id": category_id, "label": label, "sort_order": order,
                "active": active})
        return self.subtypes[key]

    def source(self, label: str, *, active: bool) -> int:
        if label not in self.sources:
            self.sources[label] = self._insert("case_source", {
                "desk_id": self.desk_id, "label": label, "sort_order": len(self.sources) + 1, "active": active})
        return self.sources[label]


def _migrate_desk(bind: sa.Connection, desk_id: int) -> None:
    lists = _DeskLists(bind, desk_id)
    categories = _setting(bind, "categories", desk_id)
    if not isinstance(categories, dict):
        categories = DEFAULT_CATEGORIES
    for label, subs in categories.items():
        if not _text(label):
            continue
        listed = lists.category(_text(label), active=True)
        for sub in subs if isinstance(subs, list) else []:
            if _text(sub):
                lists.subtype(listed, _text(sub), active=True)
    sources = _setting(bind, "sources", desk_id)
    for label in sources if isinstance(sources, list) else DEFAULT_SOURCES:
        if _text(label):
            lists.source(_text(label), active=True)

    # What the desk's records use: a label no longer listed becomes a retired item.
    cases = bind.execute(sa.text(
        "SELECT DISTINCT category, subcategory, source FROM mediation_case WHERE desk_id = :d"),
        {"d": desk_id}).all()
    for category, subcategory, source in cases:
        cat, sub, src = _text(category), _text(subcategory), _text(source)
        cat_id: int | None = lists.category(cat, active=False) if cat else None
        sub_id = lists.subtype(cat_id, sub, active=False) if sub else None
        src_id = lists.source(src, active=False) if src else None
        bind.execute(sa.text(
            "UPDATE mediation_case SET category_id = :c, subcategory_id = :s, source_id = :o "
            "WHERE desk_id = :d AND category = :cat AND subcategory = :sub AND source = :src"),
            {"c": cat_id, "s": sub_id, "o": src_id, "d": desk_id,
             "cat": category, "sub": subcategory, "src": source})
    for (category,) in bind.execute(sa.text(
            "SELECT DISTINCT category FROM consultation WHERE desk_id = :d"), {"d": desk_id}).all():
        cat = _text(category)
        asked_id = lists.category(cat, active=False) if cat else None
        bind.execute(sa.text("UPDATE consultation SET category_id = :c WHERE desk_id = :d AND category = :cat"),
                     {"c": asked_id, "d": desk_id, "cat": category})


def upgrade() -> None:
    bind = op.get_bind()
    _create_tables()
    # In place (ALTER TABLE ADD COLUMN): a copy of user_account cannot replace it while
    # other rows refer to it (SQLite with foreign keys on).
    op.add_column("user_account", sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                            server_default=sa.false()))
    _add_id_columns(bind)
    for (desk_id,) in bind.execute(sa.text("SELECT id FROM desk ORDER BY id")).all():
        _migrate_desk(bind, desk_id)
    bind.execute(sa.text("DELETE FROM setting WHERE key IN ('categories', 'sources')"))

    op.drop_index("ix_case_desk_category", table_name="mediation_case")
    op.create_index("ix_case_desk_category_id", "mediation_case", ["desk_id", "category_id", "id"], unique=False)
    for column in CASE_TEXT_COLUMNS:
        _drop_plain_column(bind, "mediation_case", column)
    _drop_plain_column(bind, "consultation", "category")


def _drop_plain_column(bind: sa.Connection, table: str, column: str) -> None:
    """A column without index, key or trigger: dropped in place (no table copy)."""
    if bind.dialect.name == "sqlite":
        bind.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
    else:
        op.drop_column(table, column)


# ---------------------------------------------------------------- downgrade


def _triggers(bind: sa.Connection, table: str) -> list[str]:
    if bind.dialect.name != "sqlite":
        return []
    return [sql for (sql,) in bind.execute(sa.text(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t AND sql IS NOT NULL"),
        {"t": table}).all()]


def downgrade() -> None:
    bind = op.get_bind()
    for column in CASE_TEXT_COLUMNS:
        op.add_column("mediation_case", sa.Column(column, sa.String(length=30), nullable=False, server_default=""))
    op.add_column("consultation", sa.Column("category", sa.String(length=30), nullable=False, server_default=""))
    for column, table in (("category", "dispute_category"), ("subcategory", "dispute_subtype"),
                          ("source", "case_source")):
        bind.execute(sa.text(
            f"UPDATE mediation_case SET {column} = (SELECT label FROM {table} "
            f"WHERE {table}.id = mediation_case.{column}_id) WHERE {column}_id IS NOT NULL"))
    bind.execute(sa.text(
        "UPDATE consultation SET category = (SELECT label FROM dispute_category "
        "WHERE dispute_category.id = consultation.category_id) WHERE category_id IS NOT NULL"))
    op.drop_index("ix_case_desk_category_id", table_name="mediation_case")
    op.create_index("ix_case_desk_category", "mediation_case", ["desk_id", "category", "id"], unique=False)
    triggers = _triggers(bind, "mediation_case")
    with op.batch_alter_table("mediation_case", schema=None) as batch_op:
        for _table, column, referred in FKS[:3]:
            if bind.dialect.name != "sqlite":  # SQLite: the table copy leaves the key out with its column
                batch_op.drop_constraint(_fk_name("mediation_case", column, referred), type_="foreignkey")
            batch_op.drop_column(column)
    for sql in triggers:  # the batch copy dropped them (see 0002)
        bind.exec_driver_sql(sql)
    if triggers and bind.execute(sa.text(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'case_fts'")).first():
        bind.exec_driver_sql("INSERT INTO case_fts(case_fts) VALUES('rebuild')")
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        if bind.dialect.name != "sqlite":
            batch_op.drop_constraint(_fk_name("consultation", "category_id", "dispute_category"), type_="foreignkey")
        batch_op.drop_column("category_id")
    # In place: a copy of user_account cannot replace it while other rows refer to it.
    _drop_plain_column(bind, "user_account", "must_change_password")
    op.drop_index(op.f("ix_case_source_desk_id"), table_name="case_source")
    op.drop_table("case_source")
    op.drop_index(op.f("ix_dispute_subtype_desk_id"), table_name="dispute_subtype")
    op.drop_index(op.f("ix_dispute_subtype_category_id"), table_name="dispute_subtype")
    op.drop_table("dispute_subtype")
    op.drop_index(op.f("ix_dispute_category_desk_id"), table_name="dispute_category")
    op.drop_table("dispute_category")
