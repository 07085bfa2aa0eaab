"""Expand-then-contract, enforced: every revision after the baseline either records its
``schema_compat`` row (an expansion, :func:`mediation.migrations.compat.record`) or declares
itself a contraction with its reason (module-level ``contraction = "…"``), never both and
never neither (issue 11 item 2; docs/migrations.md)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from mediation import migrate
from mediation.db import make_engine
from mediation.migrations import compat

MIN_REASON = 15
"""Characters a contraction's reason needs at least (a sentence, not a placeholder)."""


@dataclass(frozen=True)
class Rev:
    revision: str
    contraction: object
    """The module's ``contraction`` attribute (None: it declares none)."""


def chain_after_baseline() -> list[Rev]:
    """The revisions after :data:`compat.BASELINE`, oldest first (the script directory
    :func:`migrate.alembic_config` points at)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    heads = script.get_heads()
    assert len(heads) == 1, f"several heads: {heads}"
    out: list[Rev] = []
    rev = script.get_revision(heads[0])
    while rev is not None and rev.revision != compat.BASELINE:
        out.append(Rev(rev.revision, getattr(rev.module, "contraction", None)))
        down = rev.down_revision
        assert isinstance(down, str), f"{rev.revision}: a merge revision needs its own rule here"
        rev = script.get_revision(down)
    assert rev is not None, f"the baseline {compat.BASELINE} is not in the chain"
    return out[::-1]


def compat_problems(chain: list[Rev], rows: dict[str, str]) -> list[str]:
    """What is wrong with ``chain`` (oldest first) given the ``schema_compat`` rows an
    upgrade to its head wrote: one line per fault."""
    order = [compat.BASELINE, *(r.revision for r in chain)]
    oldest_allowed = compat.BASELINE
    problems: list[str] = []
    for i, rev in enumerate(chain, start=1):
        recorded = rows.get(rev.revision)
        if rev.contraction is not None:
            reason = rev.contraction
            if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON:
                problems.append(f"{rev.revision}: a contraction must give its reason "
                                f"(contraction = \"…\", at least {MIN_REASON} characters), not {reason!r}")
            if recorded is not None:
                problems.append(f"{rev.revision}: declares a contraction but records a schema_compat row "
                                f"(oldest_program {recorded}): older programs would start on a schema they break")
            oldest_allowed = rev.revision
        elif recorded is None:
            problems.append(f"{rev.revision}: records no schema_compat row and declares no contraction: end "
                            f"upgrade() with compat.record(op, revision, oldest_program=\"{oldest_allowed}\") "
                            f"or declare contraction = \"<why an older program cannot work on it>\"")
        elif recorded not in order[:i] or order.index(recorded) < order.index(oldest_allowed):
            problems.append(f"{rev.revision}: oldest_program {recorded!r} must be a revision from "
                            f"{oldest_allowed} (the last contraction or the baseline) up to the one before it")
    return problems


def upgraded_rows(tmp_path: Path) -> dict[str, str]:
    engine: Engine = make_engine(f"sqlite:///{tmp_path / 'compat.sqlite3'}")
    try:
        migrate.upgrade(engine, backup=False)
        with engine.connect() as conn:
            return {str(r): str(o) for r, o in conn.execute(text(
                "SELECT revision, oldest_program FROM schema_compat"))}
    finally:
        engine.dispose()


def test_every_revision_after_the_baseline_records_its_compatibility_or_declares_a_contraction(
        tmp_path: Path) -> None:
    chain = chain_after_baseline()
    rows = upgraded_rows(tmp_path)
    assert compat_problems(chain, rows) == []
    # The released revisions keep what they recorded: only 0005 has a row (see docs/migrations.md).
    assert {r: o for r, o in rows.items() if r not in {c.revision for c in chain}} == {"0005_desks_apart": "0004"}


def test_the_rule_names_each_fault() -> None:
    exp = Rev("0012_a", None)
    con = Rev("0013_b", "drops case.category: the 0012 program still writes it")
    after = Rev("0014_c", None)
    good = {"0012_a": compat.BASELINE, "0014_c": "0013_b"}
    assert compat_problems([exp, con, after], good) == []
    # neither a row nor a declaration
    (only,) = compat_problems([exp], {})
    assert only.startswith("0012_a: records no schema_compat row") and "compat.record(op, revision" in only
    # a row older than a contraction before it: that program cannot work on this schema
    assert "oldest_program '0011_case_review'" in " ".join(
        compat_problems([exp, con, after], {**good, "0014_c": compat.BASELINE}))
    # a row naming itself or a later revision
    assert compat_problems([exp], {"0012_a": "0012_a"}) and compat_problems([exp], {"0012_a": "0099_x"})
    # a contraction that records a row, or gives no reason
    assert "records a schema_compat row" in " ".join(compat_problems([con], {"0013_b": compat.BASELINE}))
    assert "must give its reason" in " ".join(compat_problems([Rev("0013_b", "")], {}))
    assert "must give its reason" in " ".join(compat_problems([Rev("0013_b", True)], {}))


_REVISION = '''"""{doc}

Revision ID: {rev}
Revises: {down}
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mediation.migrations import compat

revision = {rev!r}
down_revision = {down!r}
branch_labels = None
depends_on = None
{extra}

def upgrade() -> None:
    op.create_table("{table}", sa.Column("id", sa.Integer(), primary_key=True))
{tail}

def downgrade() -> None:
    op.drop_table("{table}")
'''


def _copy_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *revisions: dict[str, str]) -> None:
    """The shipped migrations plus ``revisions``, in a copy the upgrade then runs."""
    where = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, where, ignore=shutil.ignore_patterns("__pycache__"))
    down = migrate.head_revision()
    for i, spec in enumerate(revisions):
        rev = f"09{90 + i}_trial"
        (where / "versions" / f"{rev}.py").write_text(_REVISION.format(
            doc=spec.get("doc", "a trial revision"), rev=rev, down=down, table=f"trial_{i}",
            extra=spec.get("extra", ""), tail=spec.get("tail", "")), encoding="utf-8")
        down = rev
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", where)


def test_a_new_revision_that_says_nothing_fails_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end on a copy of the migrations: a revision written the old way (no row, no
    declaration) is caught; the same one with compat.record, or declared a contraction, passes."""
    _copy_with(tmp_path, monkeypatch, {})
    problems = compat_problems(chain_after_baseline(), upgraded_rows(tmp_path))
    assert len(problems) == 1 and problems[0].startswith("0990_trial: records no schema_compat row")


def test_a_recorded_expansion_and_a_declared_contraction_pass(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _copy_with(tmp_path, monkeypatch,
               {"tail": '    compat.record(op, revision, oldest_program="0011_case_review")'},
               {"extra": 'contraction = "drops trial_0.note: the 0990 program still writes it"\n'},
               {"tail": '    compat.record(op, revision, oldest_program="0991_trial")'})
    rows = upgraded_rows(tmp_path)
    assert rows["0990_trial"] == "0011_case_review" and rows["0992_trial"] == "0991_trial"
    assert "0991_trial" not in rows
    assert compat_problems(chain_after_baseline(), rows) == []
