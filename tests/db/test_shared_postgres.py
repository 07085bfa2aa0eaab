"""Several desks on one PostgreSQL database, for real (issue 11 items 2 and 3).

A fresh database set up as its owner would (``init``, ``desk add``, ``db grant-desk``), then
used by two desk PCs at once, each connected with its own desk role that does not own the
tables (owners and superusers bypass row-level security): the app works as a desk role, a
desk role cannot read or change another desk's rows even with plain SQL, a roll-up role
reads every desk and changes none, and a desk PC never upgrades the schema.
"""

from __future__ import annotations

import io
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError

from mediation import cli, migrate, rls, workflow
from mediation.db import Database, normalise_url
from mediation.errors import AuthError, PermissionDenied, StorageError
from mediation.permissions import Actor
from mediation.services import accounts, case_detail, caselist, cases, desks, documents
from tests.conftest import PG_URL
from tests.factories import agreed_case, dispute, document_on

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (MEDIATION_TEST_PG_URL)")

ADMIN_PW = "Harbor-Maple-2718"
PW = "Qiushi-Lake-42"


def _run(args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


@dataclass
class Shared:
    owner_url: str
    url_a: str
    url_b: str
    url_rollup: str
    roles: tuple[str, str, str]


def _url(base: str, *, database: str | None = None, user: str | None = None) -> str:
    u = make_url(normalise_url(base))
    if database is not None:
        u = u.set(database=database)
    if user is not None:
        u = u.set(username=user, password=None)
    return u.render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def shared_server() -> Iterator[tuple[str, str]]:
    """A fresh database on the test server, and a suffix for this run's roles; dropped after."""
    suffix = uuid.uuid4().hex[:8]
    name = f"mediation_shared_{suffix}"
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _url(PG_URL, database=name), suffix
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for role in ("desk_a", "desk_b", "desk_c", "rollup"):
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}_{suffix}"'))
        admin.dispose()


@pytest.fixture
def shared(shared_server: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> Shared:
    """Set up by the owner, from the command line, as the README says (once per module)."""
    owner_url, suffix = shared_server
    monkeypatch.setenv("MEDIATION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MEDIATION_DATABASE_URL", raising=False)
    roles = (f"desk_a_{suffix}", f"desk_b_{suffix}", f"rollup_{suffix}")
    probe = Database(owner_url)
    fresh = not migrate.has_tables(probe.engine)
    probe.dispose()
    if fresh:
        steps = [
            (["init", "--desk-name", "甲大学警校联调中心", "--prefix", "甲警校调字", "--admin", "admin_a",
              "--password-stdin"], f"{ADMIN_PW}\n"),
            (["desk", "add", "乙大学警校联调中心", "--prefix", "乙警校调字", "--admin", "admin_b",
              "--password-stdin"], f"{ADMIN_PW}\n"),
            (["db", "grant-desk", "甲警校调字", "--role", roles[0], "--password-stdin"], f"{PW}\n{PW}\n"),
            (["db", "grant-desk", "乙警校调字", "--role", roles[1], "--no-password"], ""),
            (["db", "grant-desk", "--roll-up", "--role", roles[2], "--no-password"], ""),
            (["user", "add", "fenju", "--role", "officer", "--desk", "none", "--all-desks", "--as", "admin_a",
              "--as-password-stdin", "--password-stdin"], f"{ADMIN_PW}\n{PW}\n"),
        ]
        for args, stdin in steps:
            code, _out, err = _run(["--db", owner_url, *args], stdin, monkeypatch, capsys)
            assert code == 0, (args, err)
    return Shared(owner_url, _url(owner_url, user=roles[0]), _url(owner_url, user=roles[1]),
                  _url(owner_url, user=roles[2]), roles)


def _staff(db: Database, admin_name: str, volunteer: str, officer: str) -> tuple[Actor, Actor]:
    admin = accounts.login(db, admin_name, ADMIN_PW)
    with db.write() as s:
        v = accounts.create_user(s, admin, username=volunteer, display_name=volunteer, role="volunteer",
                                 password=PW, desk_id=admin.desk_id)
        o = accounts.create_user(s, admin, username=officer, display_name=officer, role="officer",
                                 password=PW, desk_id=admin.desk_id)
    assert v and o
    return accounts.login(db, volunteer, PW), accounts.login(db, officer, PW)


def test_two_desks_work_at_once_each_in_its_own_rows(shared: Shared) -> None:
    db_a = migrate.open_database(shared.url_a)  # a desk PC's start: checks, never upgrades
    db_b = migrate.open_database(shared.url_b)
    try:
        with db_a.read() as s:
            assert rls.connection_desk(s.connection()) is not None
        vol_a, off_a = _staff(db_a, "admin_a", "vol_a", "off_a")
        vol_b, off_b = _staff(db_b, "admin_b", "vol_b", "off_b")
        # The other desk's people are not even there for a desk PC.
        with pytest.raises(AuthError):
            accounts.login(db_a, "vol_b", PW)
        per_desk = 6
        errors: list[BaseException] = []

        def work(db: Database, volunteer: Actor, officer: Actor) -> None:
            try:
                for _i in range(per_desk):
                    with db.write() as s:
                        ref = cases.register_case(s, volunteer, dispute())
                        cases.choose_track(s, officer, ref.id, workflow.PEOPLE)
                    with db.write() as s:
                        cases.accept_case(s, officer, ref.id)
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(db_a, vol_a, off_a)),
                   threading.Thread(target=work, args=(db_b, vol_b, off_b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        for db, actor, prefix in ((db_a, off_a, "甲警校调字"), (db_b, off_b, "乙警校调字")):
            with db.read() as s:
                rows = caselist.list_cases(s, actor, caselist.CaseQuery(sort="number", descending=False)).rows
                assert [r.number for r in rows] == [f"（{rows[0].number[1:5]}）{prefix}第{n:03d}号"
                                                   for n in range(1, per_desk + 1)]
                assert caselist.search(s, actor, "口头约定押金", limit=100) and \
                    len(caselist.search(s, actor, "口头约定押金", limit=100)) == per_desk
        # The app works as a desk role through a whole agreement: drafted, approved, final.
        people = type("People", (), {"volunteer": vol_a, "officer": off_a})()
        with db_a.write() as s:
            case_id = agreed_case(s, people)
        doc_id = document_on(db_a, people, case_id, status="final")
        with db_a.read() as s:
            assert documents.get_document(s, vol_a, doc_id).status == "final"
            assert case_detail.get_case(s, vol_a, case_id).parties
    finally:
        db_a.dispose()
        db_b.dispose()


def _sql(url: str, statement: str, params: dict[str, object] | None = None) -> list[tuple[object, ...]]:
    engine = create_engine(normalise_url(url))
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params or {})
            return [tuple(r) for r in result] if result.returns_rows else [(result.rowcount,)]
    finally:
        engine.dispose()


def test_a_desk_role_cannot_read_or_change_another_desks_rows_with_plain_sql(shared: Shared) -> None:
    owner_counts = dict(_sql(shared.owner_url, "SELECT desk_id, count(*) FROM mediation_case GROUP BY desk_id"))
    assert len(owner_counts) == 2  # both desks have cases (the owner sees them all)
    desk_a, desk_b = sorted(owner_counts)
    role_a = shared.roles[0]
    # The role owns nothing and bypasses nothing.
    assert _sql(shared.owner_url, "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = :r",
                {"r": role_a}) == [(False, False, False)]
    assert _sql(shared.url_a, "SELECT DISTINCT desk_id FROM mediation_case") == [(desk_a,)]
    assert _sql(shared.url_a, "SELECT count(*) FROM mediation_case WHERE desk_id = :d", {"d": desk_b}) == [(0,)]
    for table in ("party", "case_party", "case_event", "user_account", "number_sequence", "audit_log"):
        mine = _sql(shared.url_a, f"SELECT count(*) FROM {table}")[0][0]
        everyone = _sql(shared.owner_url, f"SELECT count(*) FROM {table}")[0][0]
        assert mine < everyone, table
    assert _sql(shared.url_a, "SELECT count(*) FROM party WHERE desk_id = :d", {"d": desk_b}) == [(0,)]
    # Changes to another desk's rows touch nothing, or are refused.
    assert _sql(shared.url_a, "UPDATE mediation_case SET facts = 'x' WHERE desk_id = :d", {"d": desk_b}) == [(0,)]
    assert _sql(shared.url_a, "DELETE FROM party WHERE desk_id = :d", {"d": desk_b}) == [(0,)]
    assert _sql(shared.url_a, "UPDATE desk SET name = 'x' WHERE id = :d", {"d": desk_b}) == [(0,)]
    with pytest.raises(ProgrammingError, match="row-level security"):
        _sql(shared.url_a, "INSERT INTO party (desk_id, kind, name, sex, ethnicity, id_type, id_number, phone,"
                           " address, occupation, legal_representative, note, created_at, updated_at) VALUES"
                           " (:d, 'person', '冒名', '', '', 'none', '', '', '', '', '', '', now(), now())",
             {"d": desk_b})
    # The previous program inserts parties without a desk: the database fills in the role's
    # (expand-then-contract: that program keeps working on this schema).
    assert _sql(shared.url_a, "INSERT INTO party (kind, name, sex, ethnicity, id_type, id_number, phone, address,"
                              " occupation, legal_representative, note, created_at, updated_at) VALUES"
                              " ('person', '旧版程序', '', '', 'none', '', '', '', '', '', '', now(), now())"
                              " RETURNING desk_id") == [(desk_a,)]
    # Nothing a desk role may run makes it another desk.
    for statement in (f'SET ROLE "{shared.roles[1]}"', "SELECT * FROM desk_role",
                      "UPDATE desk_role SET desk_id = desk_id", "ALTER TABLE mediation_case DISABLE ROW LEVEL SECURITY",
                      f'SET SESSION AUTHORIZATION "{shared.roles[1]}"', "DROP POLICY mediation_select ON party"):
        with pytest.raises(DBAPIError):
            _sql(shared.url_a, statement)
    assert _sql(shared.url_a, "SELECT count(*) FROM mediation_case") == [(owner_counts[desk_a],)]


def test_the_roll_up_role_reads_every_desk_and_changes_none(shared: Shared) -> None:
    total = _sql(shared.owner_url, "SELECT count(*) FROM mediation_case")[0][0]
    assert _sql(shared.url_rollup, "SELECT count(*) FROM mediation_case") == [(total,)]
    with pytest.raises(ProgrammingError, match="permission denied"):
        _sql(shared.url_rollup, "UPDATE mediation_case SET facts = 'x'")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _sql(shared.url_rollup, "DELETE FROM party")
    db = migrate.open_database(shared.url_rollup)
    try:
        fenju = accounts.login(db, "fenju", PW)  # its own login bookkeeping is all it writes
        assert fenju.all_desks and fenju.desk_id is None
        with db.read() as s:
            assert caselist.count_cases(s, fenju, caselist.CaseQuery()) == total
        with db.read() as s:
            some_case = caselist.list_cases(s, fenju, caselist.CaseQuery(), limit=1).rows[0].id
        with db.write() as s, pytest.raises(PermissionDenied):
            cases.decline_case(s, fenju, some_case, reason="不该能做")
    finally:
        db.dispose()


def test_a_desk_pc_never_upgrades_the_shared_schema(shared: Shared) -> None:
    db = Database(shared.url_a)
    try:
        with db.engine.begin() as conn:
            assert not rls.is_owner(conn)
        # A schema its program does not know: "update the program" (unless declared compatible).
        owner = create_engine(normalise_url(shared.owner_url))
        with owner.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_next'"))
        try:
            with pytest.raises(StorageError, match="请先更新本程序"):
                migrate.check_schema(db.engine)
            with owner.begin() as conn:
                conn.execute(text("INSERT INTO schema_compat (revision, oldest_program) VALUES ('9999_next', :h)"),
                             {"h": migrate.head_revision()})
            assert "请尽快更新本程序" in migrate.check_schema(db.engine)  # expand-only: still works
            with owner.begin() as conn:
                conn.execute(text("UPDATE alembic_version SET version_num = '0004'"))
            with pytest.raises(StorageError, match="mediation db upgrade"):
                migrate.open_database(shared.url_a)
            with pytest.raises(StorageError, match="数据库所有者"):
                migrate.upgrade(db.engine)
        finally:
            with owner.begin() as conn:
                conn.execute(text("UPDATE alembic_version SET version_num = :h"), {"h": migrate.head_revision()})
                conn.execute(text("DELETE FROM schema_compat WHERE revision = '9999_next'"))
            owner.dispose()
    finally:
        db.dispose()


def test_a_new_desk_pc_joins_as_its_own_desk(shared: Shared, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    suffix = shared.roles[0].rsplit("_", 1)[1]
    role_c = f"desk_c_{suffix}"
    for args, stdin in ((["desk", "add", "丙大学警校联调中心", "--prefix", "丙警校调字"], ""),
                        (["db", "grant-desk", "丙警校调字", "--role", role_c, "--no-password"], "")):
        code, _out, err = _run(["--db", shared.owner_url, *args], stdin, monkeypatch, capsys)
        assert code == 0, err
    # A desk role may not hand out roles, nor add desks.
    code, _out, err = _run(["--db", shared.url_a, "db", "grant-desk", "丙警校调字", "--role", "x_" + suffix,
                            "--no-password"], "", monkeypatch, capsys)
    assert code == 1 and "所有者" in err
    code, _out, err = _run(["--db", shared.url_a, "desk", "add", "丁", "--prefix", "丁警校调字"], "",
                           monkeypatch, capsys)
    assert code == 1 and "所有者" in err
    db = migrate.open_database(_url(shared.owner_url, user=role_c))
    try:
        with db.read() as s:
            mine = desks.connection_desk(s)
            others = [d.id for d in desks.list_desks(s) if d.id != mine]
            assert mine is not None and [d.id for d in desks.desks_without_admin(s)] == [mine]
        with db.write() as s, pytest.raises(PermissionDenied):
            desks.join_desk(s, others[0], desks.NewAdmin("admin_x", "冒名者", PW))
        with db.write() as s:
            admin_c = desks.join_desk(s, mine, desks.NewAdmin("admin_c", "丙管理员", PW))
        assert admin_c.desk_id == mine and not admin_c.writes_every_desk
        with db.write() as s, pytest.raises(PermissionDenied):  # once only
            desks.join_desk(s, mine, desks.NewAdmin("admin_c2", "又一个", PW))
        assert accounts.login(db, "admin_c", PW).desk_id == mine
    finally:
        db.dispose()


def test_the_audit_chains_hold_with_two_desks_and_a_roll_up_on_one_database(
        shared: Shared, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Revision 0006's keyed chains under row-level security: two desk PCs write their own
    chains and the shared one at once, a roll-up role appends to a desk's chain when it
    reads a full ID number; each verifies what it may see, and all of it verifies."""
    import datetime as dt

    from mediation.services import audit, deadlines, parties

    tag = uuid.uuid4().hex[:6]
    db_a = migrate.open_database(shared.url_a)
    db_b = migrate.open_database(shared.url_b)
    db_r = migrate.open_database(shared.url_rollup)
    try:
        admin_a = accounts.login(db_a, "admin_a", ADMIN_PW)  # the installation's, at desk A's PC
        admin_b = accounts.login(db_b, "admin_b", ADMIN_PW)
        assert admin_a.reads_every_desk and not admin_b.reads_every_desk
        vol_a, off_a = _staff(db_a, "admin_a", f"va_{tag}", f"oa_{tag}")
        vol_b, off_b = _staff(db_b, "admin_b", f"vb_{tag}", f"ob_{tag}")
        errors: list[BaseException] = []

        def work(db: Database, volunteer: Actor, officer: Actor, admin: Actor, day: dt.date) -> None:
            try:
                for i in range(4):
                    with db.write() as s:
                        ref = cases.register_case(s, volunteer, dispute())
                        cases.choose_track(s, officer, ref.id, workflow.PEOPLE)
                    with db.write() as s:  # the shared chain, written by both desk roles at once
                        deadlines.set_day(s, admin, day + dt.timedelta(days=i), "holiday", "校庆")
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(db_a, vol_a, off_a, admin_a, dt.date(2031, 5, 1))),
                   threading.Thread(target=work, args=(db_b, vol_b, off_b, admin_b, dt.date(2031, 6, 1)))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        desk_a, desk_b = admin_a.desk_id, admin_b.desk_id
        assert desk_a is not None and desk_b is not None
        # The roll-up account's login (the shared chain) and an audited read in desk B's chain.
        fenju = accounts.login(db_r, "fenju", PW)
        party_b = _sql(shared.owner_url, "SELECT id FROM party WHERE desk_id = :d ORDER BY id LIMIT 1",
                       {"d": desk_b})[0][0]
        assert isinstance(party_b, int)
        with db_r.write() as s:
            parties.reveal_id_number(s, fenju, party_b, purpose="汇总核查")
        rows_b = _sql(shared.owner_url, "SELECT action, user_id FROM audit_log WHERE desk_id = :d "
                                        "ORDER BY seq DESC LIMIT 1", {"d": desk_b})
        assert rows_b == [("party.view_id", fenju.user_id)]

        counts = dict(_sql(shared.owner_url, "SELECT chain, count FROM audit_head"))
        assert counts[0] > 0 and counts[desk_a] > 0 and counts[desk_b] > 0

        def check(db: Database, actor: Actor | None) -> dict[int | None, int]:
            with db.read() as s:
                chains = audit.readable_chains(s, actor) if actor is not None else None
                result = audit.verify_anchored(s, db.url, desk_ids=chains)
            assert result.ok, result.failures()
            return {c.desk_id: c.rows for c in result.chains}

        # Each desk PC verifies what it can see — the installation's administrator at desk
        # A's PC too: its desk's chain and the shared one, never desk B's unseen rows.
        assert check(db_a, admin_a) == {None: counts[0], desk_a: counts[desk_a]}
        assert check(db_a, None) == {None: counts[0], desk_a: counts[desk_a]}
        assert check(db_b, admin_b) == {desk_b: counts[desk_b]}
        # The roll-up role and the owner verify every chain.
        everything = {(None if k == 0 else k): v for k, v in counts.items()}
        assert check(db_r, fenju) == everything
        owner = Database(shared.owner_url)
        try:
            assert check(owner, None) == everything
        finally:
            owner.dispose()
        code, out, err = _run(["--db", shared.url_a, "audit", "verify"], "", monkeypatch, capsys)
        assert code == 0, err
        assert out.count("校验通过") == 2

        # With plain SQL a desk role reads only its own and the shared chain, appends only
        # to those, and changes or deletes no audit row — not even its own.
        assert _sql(shared.url_a, "SELECT count(*) FROM audit_log WHERE desk_id = :d", {"d": desk_b}) == [(0,)]
        assert _sql(shared.url_a, "SELECT count(*) FROM audit_head WHERE desk_id = :d", {"d": desk_b}) == [(0,)]
        for statement in ("UPDATE audit_log SET action = 'x' WHERE desk_id = :d",
                          "DELETE FROM audit_log WHERE desk_id = :d"):
            with pytest.raises(ProgrammingError, match="permission denied"):
                _sql(shared.url_a, statement, {"d": desk_a})
        with pytest.raises(ProgrammingError, match="row-level security"):
            _sql(shared.url_a, "INSERT INTO audit_log (desk_id, seq, at, action, entity, prev_hash, hash, key_id) "
                               "VALUES (:d, 999, now(), 'forged', 'case', '', '', 'k')", {"d": desk_b})
        assert _sql(shared.url_a, "UPDATE audit_head SET count = count WHERE desk_id = :d", {"d": desk_b}) == [(0,)]
        with pytest.raises(ProgrammingError, match="permission denied"):
            _sql(shared.url_rollup, "DELETE FROM audit_log")
    finally:
        db_a.dispose()
        db_b.dispose()
        db_r.dispose()


@pytest.fixture
def own_database() -> Iterator[tuple[str, str]]:
    """A database and a desk role of its own (the test changes the schema's revision)."""
    suffix = uuid.uuid4().hex[:8]
    name = f"mediation_down_{suffix}"
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _url(PG_URL, database=name), f"desk_down_{suffix}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "desk_down_{suffix}"'))
        admin.dispose()


def test_a_shared_database_goes_back_to_0005_and_up_again_with_its_desks_kept_apart(
        own_database: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Revision 0006 on a database with row-level security and a desk role: its downgrade
    gives the audit tables back 0005's policies and grants (the policies read the column
    it drops), and the upgrade re-keys the populated log with the desks still apart."""
    from mediation.services import audit

    owner_url, role = own_database
    monkeypatch.setenv("MEDIATION_DATA_DIR", str(tmp_path / "data"))
    for args, stdin in (
            (["init", "--desk-name", "甲大学警校联调中心", "--prefix", "甲警校调字", "--admin", "admin_a",
              "--password-stdin"], f"{ADMIN_PW}\n"),
            (["desk", "add", "乙大学警校联调中心", "--prefix", "乙警校调字", "--admin", "admin_b",
              "--password-stdin"], f"{ADMIN_PW}\n"),
            (["db", "grant-desk", "甲警校调字", "--role", role, "--no-password"], "")):
        code, _out, err = _run(["--db", owner_url, *args], stdin, monkeypatch, capsys)
        assert code == 0, (args, err)
    desk_url = _url(owner_url, user=role)
    db = migrate.open_database(desk_url)
    owner = Database(owner_url)
    try:
        accounts.login(db, "admin_a", ADMIN_PW)
        accounts.login(owner, "admin_b", ADMIN_PW)
        desk_a, desk_b = (int(r[0]) for r in _sql(owner_url, "SELECT id FROM desk ORDER BY id"))
        seen = _sql(desk_url, "SELECT DISTINCT desk_id FROM audit_log ORDER BY desk_id")
        assert (desk_b,) not in seen and (desk_a,) in seen

        migrate.downgrade(owner.engine, "0005_desks_apart")
        assert _sql(owner_url, "SELECT version_num FROM alembic_version") == [("0005_desks_apart",)]
        # 0005's rules again: the log's rows are their case's or author's desk's; the head is
        # shared; the desk role reads its own rows only, and still cannot forge desk B's.
        total = _sql(owner_url, "SELECT count(*) FROM audit_log")[0][0]
        mine = _sql(desk_url, "SELECT count(*) FROM audit_log")[0][0]
        assert isinstance(total, int) and isinstance(mine, int) and 0 < mine < total
        assert _sql(desk_url, "SELECT count(*) FROM audit_head") == [(1,)]
        assert _sql(desk_url, "SELECT count(*) FROM mediation_case WHERE desk_id = :d", {"d": desk_b}) == [(0,)]

        migrate.upgrade(owner.engine, backup=False)
        with db.read() as s:
            chains = audit.connection_chains(s)
            assert chains == [None, desk_a]
            result = audit.verify(s, desk_ids=chains)
            assert result.ok, result.failures()
            assert desk_a in {c.desk_id for c in result.chains if c.rows} <= {None, desk_a}
        accounts.login(db, "admin_a", ADMIN_PW)  # the desk PC goes on writing its chain
        with owner.read() as s:
            result = audit.verify(s)
            assert result.ok, result.failures()
            assert {c.desk_id for c in result.chains if c.rows} >= {desk_a, desk_b}
        assert _sql(desk_url, "SELECT count(*) FROM audit_log WHERE desk_id = :d", {"d": desk_b}) == [(0,)]
    finally:
        db.dispose()
        owner.dispose()


def test_a_desk_role_searches_only_its_own_cases_through_the_search_functions(
        shared: Shared, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13: as a desk role, 3+ character terms go through revision 0013's functions
    (the trigram index, as the owner) and still find the desk's own cases only."""
    from mediation.services import search

    db_a = migrate.open_database(shared.url_a)
    db_b = migrate.open_database(shared.url_b)
    db_rollup = migrate.open_database(shared.url_rollup)
    try:
        vol_a, off_a = _staff(db_a, "admin_a", "vol_search_a", "off_search_a")
        vol_b, off_b = _staff(db_b, "admin_b", "vol_search_b", "off_search_b")
        with db_a.write() as s:
            mine = [cases.register_case(s, vol_a, dispute(facts=f"宿舍楼电瓶车充电起火纠纷第{i}起。")).id
                    for i in range(3)]
        with db_b.write() as s:
            theirs = [cases.register_case(s, vol_b, dispute(facts=f"宿舍楼电瓶车充电起火纠纷外单位{i}。")).id
                      for i in range(2)]
        with db_a.read() as s:
            assert search.through_definer(s)
        for walk in (False, True):  # the term's cases as a set, or checked on each row of the walk
            if walk:
                monkeypatch.setattr(search, "PG_WALK_PROBE", 0)
            for term in ("电瓶车充电起火", "充电起", "电瓶车 起火纠纷"):
                with db_a.read() as s:
                    found = sorted(r.id for r in caselist.search(s, off_a, term, limit=50))
                    assert caselist.count_cases(s, off_a, caselist.CaseQuery(text=term)) == 3
                with db_b.read() as s:
                    assert sorted(r.id for r in caselist.search(s, off_b, term, limit=50)) == sorted(theirs)
                assert found == sorted(mine), (term, walk)
        # The function itself keeps to the role's desk, whatever the caller's own filter.
        assert _sql(shared.url_a, "SELECT count(*) FROM mediation_case_ids_like('%电瓶车充电%')") == [(3,)]
        assert _sql(shared.url_b, "SELECT count(*) FROM mediation_case_ids_like('%电瓶车充电%')") == [(2,)]
        assert _sql(shared.url_rollup, "SELECT count(*) FROM mediation_case_ids_like('%电瓶车充电%')") == [(5,)]
        assert _sql(shared.owner_url, "SELECT count(*) FROM mediation_case_ids_like('%电瓶车充电%')") == [(0,)]
        with db_a.read() as s:
            assert search.find_consultations(s, off_a, "电瓶车充电") == []
        from mediation.services import consultations
        from mediation.services.consultations import ConsultationInput

        def consult(db: Database, actor: Actor, topic: str) -> int:
            with db.write() as s:
                return consultations.log_consultation(s, actor, ConsultationInput(
                    topic=topic, answer="建议先协商。", person_name="欧阳春", phone="13912345678",
                    question="充电桩被占用。"))

        asked_a = [consult(db_a, vol_a, f"宿舍楼充电桩纠纷{i}") for i in range(2)]
        consult(db_b, vol_b, "宿舍楼充电桩纠纷乙")
        for hits in (10**6, 0):  # the set from the trigram index, then the walk
            monkeypatch.setattr(search, "PG_CONSULTATION_WALK_HITS", hits)
            with db_a.read() as s:
                assert [c.id for c in search.find_consultations(s, off_a, "充电桩纠纷")] == sorted(asked_a, reverse=True)
        assert _sql(shared.url_a, "SELECT count(*) FROM mediation_consultation_ids_like('%充电桩纠纷%')") == [(2,)]
    finally:
        for db in (db_a, db_b, db_rollup):
            db.dispose()
