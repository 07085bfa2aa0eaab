"""desks apart: a party belongs to one desk; desk roles; schema compatibility

Issue 11. Written expand-then-contract, so that a desk PC still running the previous
program keeps working on a shared PostgreSQL database its owner upgraded:

1. ``party.desk_id``: added, filled from the desk of the party's cases (else the desk of
   the account that entered it, else the first desk), and a party that cases of several
   desks share today is split into one copy per desk: the case_party rows and the
   signatures of each other desk's cases point at that desk's copy. Then NOT NULL. On
   PostgreSQL a trigger fills the desk of a party inserted without one (the previous
   program does not know the column): the desk of the connected desk role, else of the
   account that entered it.
2. ``desk_role``: which PostgreSQL role stands for which desk (row-level security, see
   mediation/rls.py; the policies themselves are applied after every upgrade on
   PostgreSQL from the table list in that module).
3. The administrators of a database with one desk become administrators of the whole
   installation (``all_desks``), as the first administrator is created from now on.
4. ``schema_compat``: this revision is safe for the previous program (0004).

Downgrade drops the column and the tables; the copies made by the split stay separate
parties (each still named on its own desk's cases).

Revision ID: 0005_desks_apart
Revises: 0004
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_desks_apart"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTY_COLUMNS = ("kind", "name", "sex", "ethnicity", "birth_date", "id_type", "id_number", "phone",
                 "address", "occupation", "legal_representative", "note", "created_by_id", "created_at",
                 "updated_at")
"""The party's columns as revision 0004 left them (copied for each further desk)."""

_FILL_DESK_FUNCTION = """
CREATE OR REPLACE FUNCTION mediation_party_fill_desk() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF NEW.desk_id IS NULL THEN
    NEW.desk_id := COALESCE(
      (SELECT r.desk_id FROM desk_role r WHERE r.role_name = session_user),
      (SELECT u.desk_id FROM user_account u WHERE u.id = NEW.created_by_id));
  END IF;
  RETURN NEW;
END $$
"""


def _split_shared_parties(bind: sa.Connection) -> int:
    """One copy of each party per further desk whose cases name it; returns copies made."""
    shared = bind.execute(sa.text(
        "SELECT cp.party_id, c.desk_id FROM case_party cp JOIN mediation_case c ON c.id = cp.case_id "
        "GROUP BY cp.party_id, c.desk_id ORDER BY cp.party_id, c.desk_id")).all()
    desks_of: dict[int, list[int]] = {}
    for party_id, desk_id in shared:
        desks_of.setdefault(int(party_id), []).append(int(desk_id))
    cols = ", ".join(PARTY_COLUMNS)
    copies = 0
    # Explicit ids (rows written with their own ids, e.g. imported, leave a PostgreSQL
    # sequence behind); the sequence is moved past them below.
    next_id = int(bind.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM party")).scalar_one()) + 1
    for party_id, desks in desks_of.items():
        for desk_id in desks[1:]:  # the first (lowest) desk keeps the original row
            new_id = next_id
            next_id += 1
            bind.execute(sa.text(
                f"INSERT INTO party (id, {cols}, desk_id) SELECT :new, {cols}, :desk FROM party WHERE id = :party"),
                {"new": new_id, "desk": desk_id, "party": party_id})
            params = {"new": new_id, "party": party_id, "desk": desk_id}
            bind.execute(sa.text(
                "UPDATE case_party SET party_id = :new WHERE party_id = :party AND case_id IN "
                "(SELECT id FROM mediation_case WHERE desk_id = :desk)"), params)
            bind.execute(sa.text(
                "UPDATE signature SET party_id = :new WHERE party_id = :party AND version_id IN "
                "(SELECT v.id FROM document_version v JOIN document d ON d.id = v.document_id "
                " JOIN mediation_case c ON c.id = d.case_id WHERE c.desk_id = :desk)"), params)
            copies += 1
    if copies and bind.dialect.name == "postgresql":
        bind.exec_driver_sql("SELECT setval(pg_get_serial_sequence('party', 'id'), (SELECT MAX(id) FROM party))")
    return copies


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "desk_role",
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=True),
        sa.Column("all_desks", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desk.id"], name=op.f("fk_desk_role_desk_id_desk")),
        sa.PrimaryKeyConstraint("role_name", name=op.f("pk_desk_role")),
    )
    op.create_table(
        "schema_compat",
        sa.Column("revision", sa.String(length=40), nullable=False),
        sa.Column("oldest_program", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("revision", name=op.f("pk_schema_compat")),
    )

    # Expand: the column, nullable, and filled.
    with op.batch_alter_table("party", schema=None) as batch_op:
        batch_op.add_column(sa.Column("desk_id", sa.Integer(), nullable=True))
    bind.execute(sa.text(
        "UPDATE party SET desk_id = (SELECT MIN(c.desk_id) FROM case_party cp "
        "JOIN mediation_case c ON c.id = cp.case_id WHERE cp.party_id = party.id)"))
    _split_shared_parties(bind)
    bind.execute(sa.text(
        "UPDATE party SET desk_id = (SELECT u.desk_id FROM user_account u WHERE u.id = party.created_by_id) "
        "WHERE desk_id IS NULL"))
    bind.execute(sa.text("UPDATE party SET desk_id = (SELECT MIN(id) FROM desk) WHERE desk_id IS NULL"))
    # Still none: a database without any desk, so no case can name these rows.
    bind.execute(sa.text(
        "DELETE FROM party WHERE desk_id IS NULL AND id NOT IN (SELECT party_id FROM case_party) "
        "AND id NOT IN (SELECT party_id FROM signature WHERE party_id IS NOT NULL)"))

    # Every row has its desk: the column becomes required (on PostgreSQL the trigger
    # below fills it for a program that leaves it out).
    with op.batch_alter_table("party", schema=None) as batch_op:
        batch_op.alter_column("desk_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_party_desk_id"), ["desk_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_party_desk_id_desk"), "desk", ["desk_id"], ["id"])

    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(_FILL_DESK_FUNCTION)
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS party_fill_desk ON party")
        bind.exec_driver_sql(
            "CREATE TRIGGER party_fill_desk BEFORE INSERT ON party "
            "FOR EACH ROW EXECUTE FUNCTION mediation_party_fill_desk()")

    # Before this revision an administrator read every desk; in a database of one desk
    # (every database so far: a second desk could not be added) they stay the
    # administrators of the whole installation, as the first one is made from now on.
    bind.execute(sa.text(
        "UPDATE user_account SET all_desks = :t WHERE role = 'admin' AND (SELECT COUNT(*) FROM desk) = 1"),
        {"t": True})

    bind.execute(sa.text("INSERT INTO schema_compat (revision, oldest_program) VALUES (:r, :o)"),
                 {"r": revision, "o": "0004"})


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from mediation import rls

        rls.remove(bind)
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS party_fill_desk ON party")
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS mediation_party_fill_desk()")
    with op.batch_alter_table("party", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_party_desk_id_desk"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_party_desk_id"))
        batch_op.drop_column("desk_id")
    op.drop_table("schema_compat")
    op.drop_table("desk_role")
