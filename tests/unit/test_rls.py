"""The row-level security policies are table-driven: every table is listed."""

from __future__ import annotations

from mediation import rls
from mediation.models import Base


def test_every_table_is_kept_to_its_desk_or_declared_shared() -> None:
    """A table added without a policy (nor a reason to have none) fails here."""
    listed = {p.table for p in rls.POLICIES} | set(rls.SHARED_TABLES)
    assert {t.name for t in Base.metadata.sorted_tables} <= listed
    assert not {p.table for p in rls.POLICIES} & set(rls.SHARED_TABLES)


def test_each_policy_compares_the_rows_desk_with_the_connections() -> None:
    for policy in rls.POLICIES:
        statements = rls.policy_statements(policy)
        assert statements[0] == f"ALTER TABLE {policy.table} ENABLE ROW LEVEL SECURITY"
        writes = [s for s in statements if "FOR INSERT" in s or "FOR UPDATE" in s or "FOR DELETE" in s]
        assert len(writes) == 3 and all(rls.MY_DESK in s for s in writes)
        select = next(s for s in statements if "FOR SELECT" in s)
        assert policy.everyone_reads or (rls.MY_DESK in select and rls.READS_ALL in select)
