"""Row-level security on a shared PostgreSQL database: each desk sees only its own rows.

Issue 11. The application already keeps desks apart (:mod:`mediation.services.access`);
this is the same rule enforced by PostgreSQL, so that a desk PC's credentials cannot
read or change another desk's records even with a plain SQL client.

How the database knows the desk
-------------------------------
Every desk PC connects with **its own login role** (``mediation db grant-desk DESK --role
NAME``, run by the database owner; a desk PC never needs CREATEROLE). The table
``desk_role`` maps a role name to its desk, or marks a roll-up role (a 司法所 or 分局)
that reads every desk and changes none. The policies compare each row's desk with
``mediation_desk_id()``: a ``SECURITY DEFINER`` function owned by the table owner that
looks up ``session_user`` — the role the connection logged in as, which no SQL command
of an ordinary role can change (``SET ROLE`` changes ``current_user`` only, and only to
roles one is a member of; ``SET SESSION AUTHORIZATION`` needs a superuser). There is no
setting a desk could overwrite, and desk roles cannot read or write ``desk_role``.

The database owner (and any superuser) bypasses row-level security: the owner's
credentials stay with whoever runs the server; the owner upgrades the schema
(``mediation db upgrade``) and runs ``grant-desk``.

The policies are table-driven: :data:`POLICIES` lists every table that holds a desk's
rows with the SQL expression that gives a row's desk (its ``desk_id``, or its case's
desk); :data:`SHARED_TABLES` lists the tables that belong to no desk. A test fails when
a table is in neither list. :func:`apply` (re)creates the functions, policies and the
grants of every mapped role; it runs after every upgrade on PostgreSQL and after
``grant-desk``, and is idempotent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from mediation.errors import ValidationError
from mediation.i18n import _

PREFIX = "mediation_"
"""Every policy and function made here starts with this (so :func:`remove` finds them)."""


@dataclass(frozen=True)
class DeskPolicy:
    """The desk of a table's rows, as a SQL expression over the row."""

    table: str
    desk: str
    """SQL giving the row's desk id (NULL: a row of no desk)."""
    shared_reads: bool = False
    """Rows of no desk (a setting or template for every desk) are read by every desk."""
    everyone_reads: bool = False
    """Every row is read by every desk (the desks' names)."""
    shared_writes: str = ""
    """SQL condition under which a desk role may also write a row of no desk."""
    rollup_writes: str = ""
    """SQL condition under which a roll-up role may write (its own login bookkeeping)."""
    columns_written: tuple[str, ...] = ()
    """Only these columns may be updated by a desk role (empty: every column); no insert
    or delete then either."""
    privileges: tuple[str, ...] = ("SELECT", "INSERT", "UPDATE", "DELETE")
    """What a desk role is granted on the table (a roll-up role: SELECT, and those of
    INSERT and UPDATE among these where :attr:`rollup_writes` allows). The audit log is
    append-only: SELECT and INSERT."""


def _via_case(table: str) -> str:
    return f"(SELECT c.desk_id FROM mediation_case c WHERE c.id = {table}.case_id)"


def _via_document(table: str, column: str = "document_id") -> str:
    return (f"(SELECT c.desk_id FROM document d JOIN mediation_case c ON c.id = d.case_id "
            f"WHERE d.id = {table}.{column})")


POLICIES: list[DeskPolicy] = [
    DeskPolicy("desk", "desk.id", everyone_reads=True,
               columns_written=("name", "committee_name", "number_prefix")),
    DeskPolicy("user_account", "user_account.desk_id", rollup_writes="user_account.desk_id IS NULL"),
    DeskPolicy("duty_shift", "duty_shift.desk_id"),
    DeskPolicy("setting", "setting.desk_id", shared_reads=True,
               shared_writes="setting.key IN ('calendar_version', 'calendar_known_years', 'statistics_basis')"),
    DeskPolicy("document_template", "document_template.desk_id", shared_reads=True),
    DeskPolicy("number_sequence", "number_sequence.desk_id"),
    DeskPolicy("consultation", "consultation.desk_id"),
    DeskPolicy("party", "party.desk_id"),
    DeskPolicy("mediation_case", "mediation_case.desk_id"),
    DeskPolicy("case_party", _via_case("case_party")),
    DeskPolicy("case_event", _via_case("case_event")),
    DeskPolicy("investigation_record", _via_case("investigation_record")),
    DeskPolicy("session_record", _via_case("session_record")),
    DeskPolicy("follow_up", _via_case("follow_up")),
    DeskPolicy("attachment", _via_case("attachment")),
    DeskPolicy("document", _via_case("document")),
    DeskPolicy("document_version", _via_document("document_version")),
    DeskPolicy("document_review", _via_document("document_review")),
    DeskPolicy("signature", "(SELECT c.desk_id FROM document_version v JOIN document d ON d.id = v.document_id "
                            "JOIN mediation_case c ON c.id = d.case_id WHERE v.id = signature.version_id)"),
    # The keyed audit chains (revision 0006): a row's desk is its chain's. Every desk reads
    # and appends to the chain of no desk (a roll-up account's login, the holiday
    # calendar); a roll-up role appends to the chain of the desk whose records it read
    # (its reads are audited). Nobody but the owner updates or deletes a row of the log.
    DeskPolicy("audit_log", "audit_log.desk_id", shared_reads=True, shared_writes="true",
               rollup_writes="true", privileges=("SELECT", "INSERT")),
    DeskPolicy("audit_head", "audit_head.desk_id", shared_reads=True, shared_writes="true",
               rollup_writes="true", privileges=("SELECT", "INSERT", "UPDATE")),
    # A desk's own lists of categories, sub-types and sources (revision 0007).
    DeskPolicy("dispute_category", "dispute_category.desk_id"),
    DeskPolicy("dispute_subtype", "dispute_subtype.desk_id"),
    DeskPolicy("case_source", "case_source.desk_id"),
    # The statistics summary (revision 0012): a desk refreshes and reads its own figures;
    # stat_stale is filled by SECURITY DEFINER triggers and emptied by the refresh.
    DeskPolicy("case_figure", "case_figure.desk_id"),
    DeskPolicy("case_figure_day", "case_figure_day.desk_id"),
    DeskPolicy("stat_month", "stat_month.desk_id"),
    DeskPolicy("stat_stale", _via_case("stat_stale")),
    # The search index and the stage counts (revision 0008), written by the cases' triggers
    # in the writer's own transaction (the triggers run with the desk role's rights).
    DeskPolicy("search_gram", "search_gram.desk_id"),
    DeskPolicy("search_walk_gram", "search_walk_gram.desk_id"),
    DeskPolicy("consultation_gram", "consultation_gram.desk_id"),
    DeskPolicy("case_stage_count", "case_stage_count.desk_id"),
    DeskPolicy("search_gram_count", "search_gram_count.desk_id"),  # revision 0014
    # The volunteer roster (revision 0009).
    DeskPolicy("roster_term", "roster_term.desk_id"),
    DeskPolicy("roster_volunteer", "roster_volunteer.desk_id"),
    DeskPolicy("roster_status_change", "roster_status_change.desk_id"),
    DeskPolicy("roster_training", "roster_training.desk_id"),
    DeskPolicy("roster_slot", "roster_slot.desk_id"),
    DeskPolicy("roster_period_lock", "roster_period_lock.desk_id"),
    DeskPolicy("roster_hours_claim", "roster_hours_claim.desk_id"),
    DeskPolicy("roster_handover", "roster_handover.desk_id"),
    DeskPolicy("roster_swap", "roster_swap.desk_id"),
    DeskPolicy("roster_certificate", "roster_certificate.desk_id"),
    # Supervision (revision 0010): the category mapping and the reports' snapshots.
    DeskPolicy("stat_mapping", "stat_mapping.desk_id"),
    DeskPolicy("stat_report", "stat_report.desk_id"),
    # 抽卷评查 (revision 0011): the draws and each case's review.
    DeskPolicy("case_review_draw", "case_review_draw.desk_id"),
    DeskPolicy("case_review", "case_review.desk_id"),
]
"""Every table holding a desk's rows. A new table with a desk: append it here."""

SHARED_TABLES: dict[str, tuple[str, ...]] = {
    "holiday_day": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "alembic_version": ("SELECT",),
    "schema_compat": ("SELECT",),
    "desk_role": (),
}
"""Tables of no desk, with what desk and roll-up roles may do on them."""

_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def check_role_name(name: str) -> str:
    if not _ROLE_NAME.fullmatch(name):
        raise ValidationError(field="role", message=_(
            "数据库角色名只能用小写英文字母、数字和下划线，以字母或下划线开头，最多 63 个字符。"))
    return name


_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION {PREFIX}desk_id() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT r.desk_id FROM desk_role r WHERE r.role_name = session_user
$$;
CREATE OR REPLACE FUNCTION {PREFIX}reads_all() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT COALESCE((SELECT r.all_desks FROM desk_role r WHERE r.role_name = session_user), false)
$$;
REVOKE ALL ON FUNCTION {PREFIX}desk_id() FROM PUBLIC;
REVOKE ALL ON FUNCTION {PREFIX}reads_all() FROM PUBLIC;
"""

# Text search as a desk role (issue 13; revision 0013). Under row-level security
# PostgreSQL neither uses the planner's statistics for a non-leakproof operator (ILIKE) nor
# lets it drive an index scan ahead of the policy, so a trigram search of the desk's own
# cases read every case (a second at 100,000). ``case_ids_like`` returns the matching
# cases of the connection's own desks (what the policy allows, checked inside as the
# policy does) from the GIN trigram index, as the owner; ``text_like`` is ``t ILIKE p``
# in a function the planner does not look into (a third of the rows, not ten): a term in
# many cases is then checked on each row while the list's own index is walked.
SEARCH_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION {PREFIX}case_ids_like(pattern text) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT ROWS 1000 AS $$
  SELECT c.id FROM mediation_case c
  WHERE ((SELECT {PREFIX}reads_all()) OR c.desk_id = (SELECT {PREFIX}desk_id()))
    AND (COALESCE(c.number, '') || ' ' || c.title || ' ' || c.party_names || ' ' || c.party_phones
         || ' ' || c.facts || ' ' || c.claims) ILIKE pattern
$$;
CREATE OR REPLACE FUNCTION {PREFIX}consultation_ids_like(pattern text) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT ROWS 1000 AS $$
  SELECT c.id FROM consultation c
  WHERE ((SELECT {PREFIX}reads_all()) OR c.desk_id = (SELECT {PREFIX}desk_id()))
    AND (c.person_name || ' ' || c.phone || ' ' || c.topic || ' ' || c.question || ' ' || c.answer) ILIKE pattern
$$;
CREATE OR REPLACE FUNCTION {PREFIX}text_like(t text, pattern text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN t ILIKE pattern;
END
$$;
REVOKE ALL ON FUNCTION {PREFIX}case_ids_like(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION {PREFIX}consultation_ids_like(text) FROM PUBLIC;
"""
SEARCH_FUNCTION_NAMES = (f"{PREFIX}case_ids_like(text)", f"{PREFIX}consultation_ids_like(text)",
                         f"{PREFIX}text_like(text, text)")


def create_search_functions(conn: Connection) -> None:
    """(Re)create the search functions (revision 0013 and every :func:`apply`), and the desk
    lookups they call. PostgreSQL only."""
    conn.exec_driver_sql(_FUNCTIONS)
    conn.exec_driver_sql(SEARCH_FUNCTIONS)


def drop_search_functions(conn: Connection) -> None:
    for name in SEARCH_FUNCTION_NAMES:
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}")


MY_DESK = f"(SELECT {PREFIX}desk_id())"
READS_ALL = f"(SELECT {PREFIX}reads_all())"
"""Wrapped in a sub-select so PostgreSQL evaluates them once per query, not per row."""


def policy_statements(p: DeskPolicy) -> list[str]:
    """The SQL that (re)creates the policies of one table."""
    own = f"({p.desk}) = {MY_DESK}"
    read = f"{READS_ALL} OR {own}"
    if p.everyone_reads:
        read = "true"
    elif p.shared_reads:
        read += f" OR ({p.desk}) IS NULL"
    write = own
    if p.shared_writes:
        write = f"{own} OR (({p.desk}) IS NULL AND {p.shared_writes})"
    if p.rollup_writes:
        write = f"{write} OR ({READS_ALL} AND {p.rollup_writes})"
    t = p.table
    out = [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"]
    for action in ("select", "insert", "update", "delete"):
        out.append(f"DROP POLICY IF EXISTS {PREFIX}{action} ON {t}")
    out.append(f"CREATE POLICY {PREFIX}select ON {t} FOR SELECT USING ({read})")
    out.append(f"CREATE POLICY {PREFIX}insert ON {t} FOR INSERT WITH CHECK ({write})")
    out.append(f"CREATE POLICY {PREFIX}update ON {t} FOR UPDATE USING ({write}) WITH CHECK ({write})")
    out.append(f"CREATE POLICY {PREFIX}delete ON {t} FOR DELETE USING ({write})")
    return out


def _roles(conn: Connection) -> list[tuple[str, bool]]:
    rows = conn.execute(text("SELECT role_name, all_desks FROM desk_role ORDER BY role_name")).all()
    return [(str(r[0]), bool(r[1])) for r in rows]


def _grant_statements(role: str, rollup: bool, schema: str) -> list[str]:
    q = f'"{check_role_name(role)}"'
    out = [f'GRANT USAGE ON SCHEMA "{schema}" TO {q}',
           f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {q}']
    for p in POLICIES:
        out.append(f"REVOKE ALL ON {p.table} FROM {q}")
        if rollup:
            out.append(f"GRANT SELECT ON {p.table} TO {q}")
            writes = [x for x in ("INSERT", "UPDATE") if x in p.privileges]
            if p.rollup_writes and writes:
                out.append(f"GRANT {', '.join(writes)} ON {p.table} TO {q}")
        elif p.columns_written:
            out.append(f"GRANT SELECT, UPDATE ({', '.join(p.columns_written)}) ON {p.table} TO {q}")
        else:
            out.append(f"GRANT {', '.join(p.privileges)} ON {p.table} TO {q}")
    for table, privileges in SHARED_TABLES.items():
        out.append(f"REVOKE ALL ON {table} FROM {q}")
        allowed = [x for x in privileges if not rollup or x == "SELECT"]
        if allowed:
            out.append(f"GRANT {', '.join(allowed)} ON {table} TO {q}")
    out.append(f"GRANT EXECUTE ON FUNCTION {PREFIX}desk_id(), {PREFIX}reads_all() TO {q}")
    out.append(f"GRANT EXECUTE ON FUNCTION {', '.join(SEARCH_FUNCTION_NAMES)} TO {q}")
    return out


def apply(conn: Connection) -> None:
    """(Re)create the functions and every table's policies, and re-grant every mapped role.

    Run by the database owner, in the caller's transaction (after an upgrade, after
    ``grant-desk``). PostgreSQL only."""
    assert conn.dialect.name == "postgresql"
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    conn.exec_driver_sql(_FUNCTIONS)
    create_search_functions(conn)
    for p in POLICIES:
        for stmt in policy_statements(p):
            conn.exec_driver_sql(stmt)
    for role, rollup in _roles(conn):
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if exists is None:
            continue  # mapped, then dropped by hand: nothing to grant
        for stmt in _grant_statements(role, rollup, str(schema)):
            conn.exec_driver_sql(stmt)


def remove(conn: Connection) -> None:
    """Drop every policy and function made here (the downgrade of revision 0005)."""
    rows = conn.execute(text(
        "SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema() "
        "AND policyname LIKE :p"), {"p": PREFIX + "%"}).all()
    tables = set()
    for table, policy in rows:
        conn.exec_driver_sql(f'DROP POLICY IF EXISTS "{policy}" ON "{table}"')
        tables.add(table)
    for table in sorted(tables):
        conn.exec_driver_sql(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
    drop_search_functions(conn)
    conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {PREFIX}desk_id()")
    conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {PREFIX}reads_all()")


def is_owner(conn: Connection) -> bool:
    """Whether the connected role may change the schema: a superuser, or the owner of the
    case table (or of the schema, before any table exists)."""
    row = conn.execute(text(
        "SELECT r.rolsuper, "
        " (SELECT t.tableowner = current_user FROM pg_tables t WHERE t.schemaname = current_schema() "
        "  AND t.tablename = 'mediation_case'), "
        " (SELECT n.nspowner = r.oid FROM pg_namespace n WHERE n.nspname = current_schema()), "
        " has_schema_privilege(current_user, current_schema(), 'CREATE') "
        "FROM pg_roles r WHERE r.rolname = current_user")).first()
    if row is None:
        return False
    superuser, owns_cases, owns_schema, may_create = row
    if superuser or owns_cases:
        return True
    return owns_cases is None and bool(owns_schema or may_create)


def connection_desk(conn: Connection) -> tuple[int | None, bool] | None:
    """(desk, reads every desk) of the connected desk role; None when the connection is not
    a desk role (the owner, or SQLite)."""
    if conn.dialect.name != "postgresql":
        return None
    if conn.execute(text(f"SELECT to_regprocedure('{PREFIX}desk_id()')")).scalar() is None:
        return None  # before the first upgrade
    row = conn.execute(text(f"SELECT {PREFIX}desk_id(), {PREFIX}reads_all(), "
                            "EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)")).first()
    if row is None or row[2] or (row[0] is None and not row[1]):
        return None
    return (int(row[0]) if row[0] is not None else None, bool(row[1]))


def grant_desk(conn: Connection, role: str, *, desk_id: int | None, rollup: bool = False,
               password: str | None = None) -> bool:
    """Map ``role`` to ``desk_id`` (or make it a roll-up role), creating the login role if it
    does not exist, and grant it what a desk PC needs. Returns True if the role was created.

    Run by the database owner (who needs CREATEROLE to create a role; an existing role is
    only mapped and granted)."""
    check_role_name(role)
    if (desk_id is None) != rollup:
        raise ValueError("a desk role has a desk; a roll-up role has none")
    mapped = conn.execute(text("SELECT desk_id, all_desks FROM desk_role WHERE role_name = :r"),
                          {"r": role}).first()
    if mapped is not None and (mapped[0] != desk_id or bool(mapped[1]) != rollup):
        raise ValidationError(field="role", message=_(
            "数据库角色 {role} 已分配给另一个调解点，请换一个角色名。").format(role=role))
    exists = conn.execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r"),
                          {"r": role}).first()
    created = exists is None
    if exists is not None and exists[0]:
        raise ValidationError(field="role", message=_(
            "数据库角色 {role} 是超级用户或可绕过行级安全，不能作为调解点的角色。").format(role=role))
    if created:
        secret = "" if password is None else " PASSWORD '" + password.replace("'", "''") + "'"
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
                             f'NOINHERIT NOBYPASSRLS{secret}')
    elif password is not None:
        conn.exec_driver_sql(f'ALTER ROLE "{role}" PASSWORD \'' + password.replace("'", "''") + "'")
    if mapped is None:
        conn.execute(text("INSERT INTO desk_role (role_name, desk_id, all_desks, created_at) "
                          "VALUES (:r, :d, :a, now() AT TIME ZONE 'utc')"),
                     {"r": role, "d": desk_id, "a": rollup})
    apply(conn)
    return created
