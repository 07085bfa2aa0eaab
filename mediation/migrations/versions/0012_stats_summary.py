"""statistics summary: per-case figures, per-desk monthly sums, and what changed since

Issue 15 (speed). Four new tables:

* ``case_figure`` (``desk_id``): what each case contributes to the statistics, as last
  summed (see :mod:`mediation.statistics.summary`), and ``case_figure_day`` (``desk_id``):
  the days it contributes on;
* ``stat_month`` (``desk_id``): the sums per desk, month, measure and (track, category,
  sub-type, source, extra key) that the tables read;
* ``stat_stale``: the ids of cases changed since their figures were summed.

Triggers on ``mediation_case`` (the columns a figure reads), ``case_party``,
``session_record``, ``follow_up``, ``document`` and ``document_review`` put the case's id
into ``stat_stale`` on every insert, update and delete, whatever program writes; this
program folds those cases into the sums in the same transaction, and its statistics
reads add the difference of any case still stale. So the previous program (0011) keeps
working on a database at this revision, its changes counted correctly: recorded in
``schema_compat``.

The tables are filled here from the existing cases (the same derivation the program
uses later; ``mediation db reindex`` rebuilds them any time).

Revision ID: 0012_stats_summary
Revises: 0011_case_review
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_stats_summary"
down_revision: str | None = "0011_case_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_COLUMNS = ("desk_id", "track", "category_id", "subcategory_id", "source_id", "registered_at", "accepted_at",
                "agreement_reached_at", "terminated_at", "closed_at", "judicial_outcome", "judicial_decided_on",
                "agreement_kind", "agreement_amount", "performance_status", "prevented_escalation",
                "prevented_escalation_people", "prevented_petition", "prevented_petition_people", "people_involved",
                "police_method", "result", "referred_to")
"""The case columns a figure reads (frozen here; the program's list is checked against it in a test)."""
CHILD_TABLES = ("case_party", "session_record", "follow_up", "document")
SQLITE_TRIGGERS = [
    "stat_stale_case_ai", "stat_stale_case_au", "stat_stale_case_ad",
    *(f"stat_stale_{t}_{op_}" for t in CHILD_TABLES for op_ in ("ai", "au", "ad")),
    "stat_stale_document_review_ai", "stat_stale_document_review_au", "stat_stale_document_review_ad",
]


def sqlite_triggers() -> list[str]:
    mark = "INSERT OR IGNORE INTO stat_stale (case_id) VALUES"
    out = [
        f"CREATE TRIGGER stat_stale_case_ai AFTER INSERT ON mediation_case BEGIN {mark} (new.id); END",
        (f"CREATE TRIGGER stat_stale_case_au AFTER UPDATE OF {', '.join(CASE_COLUMNS)} ON mediation_case"
         f" BEGIN {mark} (new.id); END"),
        f"CREATE TRIGGER stat_stale_case_ad AFTER DELETE ON mediation_case BEGIN {mark} (old.id); END",
    ]
    for t in CHILD_TABLES:
        out += [
            f"CREATE TRIGGER stat_stale_{t}_ai AFTER INSERT ON {t} BEGIN {mark} (new.case_id); END",
            f"CREATE TRIGGER stat_stale_{t}_au AFTER UPDATE ON {t} BEGIN {mark} (old.case_id); {mark} (new.case_id); END",
            f"CREATE TRIGGER stat_stale_{t}_ad AFTER DELETE ON {t} BEGIN {mark} (old.case_id); END",
        ]
    via = "INSERT OR IGNORE INTO stat_stale (case_id) SELECT d.case_id FROM document d WHERE d.id ="
    out += [
        f"CREATE TRIGGER stat_stale_document_review_ai AFTER INSERT ON document_review BEGIN {via} new.document_id; END",
        (f"CREATE TRIGGER stat_stale_document_review_au AFTER UPDATE ON document_review"
         f" BEGIN {via} old.document_id; {via} new.document_id; END"),
        f"CREATE TRIGGER stat_stale_document_review_ad AFTER DELETE ON document_review BEGIN {via} old.document_id; END",
    ]
    return out


PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION stat_mark_case() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO stat_stale (case_id) VALUES (OLD.id) ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO stat_stale (case_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION stat_mark_child() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO stat_stale (case_id) VALUES (OLD.case_id) ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO stat_stale (case_id) VALUES (NEW.case_id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION stat_mark_review() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO stat_stale (case_id) SELECT d.case_id FROM document d WHERE d.id = OLD.document_id
      ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO stat_stale (case_id) SELECT d.case_id FROM document d WHERE d.id = NEW.document_id
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
"""


def pg_triggers() -> list[str]:
    out = [(f"CREATE TRIGGER stat_stale_case AFTER INSERT OR DELETE OR UPDATE OF {', '.join(CASE_COLUMNS)}"
            " ON mediation_case FOR EACH ROW EXECUTE FUNCTION stat_mark_case()")]
    out += [f"CREATE TRIGGER stat_stale_{t} AFTER INSERT OR UPDATE OR DELETE ON {t}"
            " FOR EACH ROW EXECUTE FUNCTION stat_mark_child()" for t in CHILD_TABLES]
    out.append("CREATE TRIGGER stat_stale_document_review AFTER INSERT OR UPDATE OR DELETE ON document_review"
               " FOR EACH ROW EXECUTE FUNCTION stat_mark_review()")
    return out


def upgrade() -> None:
    op.create_table(
        "case_figure",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("first_on", sa.Date(), nullable=True),
        sa.Column("last_on", sa.Date(), nullable=True),
        sa.Column("special", sa.Boolean(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"], name=op.f("fk_case_figure_desk_id_desk")),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_figure")),
    )
    with op.batch_alter_table("case_figure", schema=None) as batch_op:
        batch_op.create_index("ix_case_figure_special", ["special", "desk_id"], unique=False)
    op.create_table(
        "case_figure_day",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"], name=op.f("fk_case_figure_day_desk_id_desk")),
        sa.PrimaryKeyConstraint("desk_id", "on_date", "case_id", name=op.f("pk_case_figure_day")),
    )
    op.create_table(
        "stat_month",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=20), nullable=False),
        sa.Column("track", sa.String(length=20), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("subcategory_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("extra", sa.String(length=20), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"], name=op.f("fk_stat_month_desk_id_desk")),
        sa.PrimaryKeyConstraint("desk_id", "measure", "month", "track", "category_id", "subcategory_id",
                                "source_id", "extra", name=op.f("pk_stat_month")),
    )
    op.create_table(
        "stat_stale",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_stat_stale")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(PG_FUNCTIONS)
        for sql in pg_triggers():
            bind.exec_driver_sql(sql)
    else:
        for sql in sqlite_triggers():
            bind.exec_driver_sql(sql)

    # Fill from the cases there are (the program's own derivation).
    from sqlalchemy.orm import Session

    from mediation.statistics import summary

    session = Session(bind=bind)
    summary.rebuild(session)
    session.flush()

    bind.execute(sa.text("INSERT INTO schema_compat (revision, oldest_program) VALUES (:r, :o)"),
                 {"r": revision, "o": "0011_case_review"})


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for t in ("mediation_case", *CHILD_TABLES, "document_review"):
            name = "stat_stale_case" if t == "mediation_case" else f"stat_stale_{t}"
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {t}")
        for fn in ("stat_mark_case", "stat_mark_child", "stat_mark_review"):
            bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {fn}()")
    else:
        for name in SQLITE_TRIGGERS:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    bind.execute(sa.text("DELETE FROM schema_compat WHERE revision = :r"), {"r": revision})
    bind.execute(sa.text("DELETE FROM setting WHERE key = 'statistics_basis'"))
    op.drop_table("stat_stale")
    op.drop_table("stat_month")
    op.drop_table("case_figure_day")
    with op.batch_alter_table("case_figure", schema=None) as batch_op:
        batch_op.drop_index("ix_case_figure_special")
    op.drop_table("case_figure")
