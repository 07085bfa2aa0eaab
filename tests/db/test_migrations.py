"""Migrations: pytest-alembic's built-in checks on SQLite and PostgreSQL, plus a data test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_alembic import Config as AlembicTestConfig
from pytest_alembic.tests import (  # noqa: F401  (collected as tests of this module)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from mediation.db import make_engine, normalise_url
from mediation.migrate import MIGRATIONS_DIR, current_revision, downgrade, head_revision, upgrade
from tests.conftest import PG_URL, backends


def _fresh_pg_engine(name: str) -> Engine:
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(normalise_url(PG_URL)).set(database=name)
    return make_engine(url.render_as_string(hide_password=False))


@pytest.fixture
def alembic_config() -> AlembicTestConfig:
    return AlembicTestConfig(config_options={"script_location": str(MIGRATIONS_DIR)})


@pytest.fixture(params=backends())
def alembic_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
    else:
        engine = _fresh_pg_engine("mediation_migrations")
    yield engine
    engine.dispose()


def _populate_0001(conn) -> None:
    """Rows written with plain SQL as revision 0001 knew them (not through today's models)."""
    now = dt.datetime(2025, 3, 1, 8, 0)
    conn.execute(text(
        "INSERT INTO desk (id, name, committee_name, number_prefix, active, created_at) "
        "VALUES (1, '旧调解点', '旧调解委员会', 'J警校调字', true, :now)"), {"now": now})
    conn.execute(text(
        "INSERT INTO user_account (id, username, display_name, role, desk_id, password_hash, phone,"
        " student_no, active, all_desks, failed_logins, created_at) VALUES "
        "(1, 'old_admin', '老管理员', 'admin', 1, 'x', '', '', true, false, 0, :now)"), {"now": now})
    conn.execute(text(
        "INSERT INTO party (id, kind, name, sex, ethnicity, id_type, id_number, phone, address,"
        " occupation, legal_representative, note, created_at, updated_at) VALUES "
        "(1, 'person', '欧阳䶮', '男', '汉', 'none', '', '13800000001', '', '', '', '', :now, :now),"
        "(2, 'person', '𠮷田', '女', '汉', 'none', '', '', '', '', '', '', :now, :now)"), {"now": now})
    conn.execute(text(
        "INSERT INTO mediation_case (id, desk_id, number, year, seq, stage, track, category,"
        " subcategory, source, title, party_names, party_phones, facts, claims, amount,"
        " people_involved, registered_at, outcome_reason, referred_to, routes_suggested,"
        " prevented_escalation, agreement_terms, performance_manner, performance_place,"
        " created_at, updated_at, version_id, deadline_label) VALUES "
        "(1, 1, '（2025）J警校调字第007号', 2025, 7, 'accepted', 'people', '合同', '租房',"
        " '当事人申请', '押金纠纷', '欧阳䶮 / 𠮷田', '13800000001', '押金两千五百元未退还', '退押金', 2500.50,"
        " 2, :now, '', '', '', false, '', '', '', :now, :now, 1, '')"), {"now": now})
    conn.execute(text(
        "INSERT INTO case_party (id, case_id, party_id, role, position) VALUES "
        "(1, 1, 1, 'applicant', 0), (2, 1, 2, 'respondent', 1)"))
    conn.execute(text(
        "INSERT INTO number_sequence (desk_id, year, kind, last_value) VALUES (1, 2025, 'case', 7)"))


def test_populated_database_upgrades_and_keeps_its_data(alembic_engine: Engine) -> None:
    from mediation.db import Database
    from mediation.permissions import Actor
    from mediation.services import case_detail, caselist

    upgrade(alembic_engine, revision="0001", backup=False)
    with alembic_engine.begin() as conn:
        _populate_0001(conn)
    upgrade(alembic_engine, backup=False)
    assert current_revision(alembic_engine) == head_revision()

    db = Database(alembic_engine.url.render_as_string(hide_password=False), engine=alembic_engine)
    admin = Actor(1, "old_admin", "老管理员", "admin", 1)
    with db.read() as s:
        detail = case_detail.get_case(s, admin, 1)
        assert detail.number == "（2025）J警校调字第007号"
        assert [p.name for p in detail.parties] == ["欧阳䶮", "𠮷田"]
        assert str(detail.amount) == "2500.50"
        assert [r.id for r in caselist.search(s, admin, "两千五百")] == [1]
        assert [r.id for r in caselist.search(s, admin, "𠮷田")] == [1]


def test_upgrade_writes_a_backup_of_an_existing_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, revision="0001", backup=False)
    with engine.begin() as conn:
        _populate_0001(conn)
    assert head_revision() != "0001"  # several revisions: the populated database really upgrades
    backup = upgrade(engine)
    assert backup is not None and backup.exists()
    copy = create_engine(f"sqlite:///{backup}")
    with copy.connect() as conn:
        assert conn.execute(text("SELECT name FROM party ORDER BY id")).scalars().all() == ["欧阳䶮", "𠮷田"]
    copy.dispose()
    engine.dispose()


def test_newer_database_is_refused(tmp_path: Path) -> None:
    from mediation.errors import StorageError

    engine = make_engine(f"sqlite:///{tmp_path / 'future.sqlite3'}")
    upgrade(engine, backup=False)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(StorageError) as exc:
        upgrade(engine)
    assert "比本程序新" in str(exc.value)
    engine.dispose()


def test_the_head_constant_is_alembics_head() -> None:
    from mediation.migrations import HEAD

    assert head_revision() == HEAD, "a new revision was added: update mediation/migrations/__init__.py HEAD"


def test_a_database_at_head_opens_without_loading_alembic(tmp_path: Path) -> None:
    """The usual start: the stamp is read with one query; Alembic is not even imported."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine, backup=False)
    engine.dispose()
    code = ("import sys; from mediation.migrate import open_database; db = open_database(sys.argv[1]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    out = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "MEDIATION_DATA_DIR": str(tmp_path)})
    assert out.stdout.strip() == "[]", out.stdout
    # An older database still goes through Alembic (and is upgraded).
    old = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(old, revision="0003", backup=False)
    assert current_revision(old) == "0003"
    upgrade(old, backup=False)
    assert current_revision(old) == head_revision()
    old.dispose()


def _populate_two_desks_at_0004(conn) -> None:  # type: ignore[no-untyped-def]
    """A second desk whose case names the same stored party as desk 1's case (and whose
    agreement that party signed), plus a party on no case entered by a desk-2 account."""
    now = dt.datetime(2025, 4, 1, 8, 0)
    _populate_0001(conn)
    conn.execute(text(
        "INSERT INTO desk (id, name, committee_name, number_prefix, active, created_at) "
        "VALUES (2, '另一调解点', '另一调解委员会', 'K警校调字', true, :now)"), {"now": now})
    conn.execute(text(
        "INSERT INTO user_account (id, username, display_name, role, desk_id, password_hash, phone,"
        " student_no, active, all_desks, failed_logins, created_at) VALUES "
        "(2, 'k_volunteer', '乙志愿者', 'volunteer', 2, 'x', '', '', true, false, 0, :now)"), {"now": now})
    conn.execute(text(
        "INSERT INTO party (id, kind, name, sex, ethnicity, id_type, id_number, phone, address,"
        " occupation, legal_representative, note, created_by_id, created_at, updated_at) VALUES "
        "(3, 'person', '孤单', '女', '汉', 'none', '', '', '', '', '', '', 2, :now, :now)"), {"now": now})
    conn.execute(text(
        "INSERT INTO mediation_case (id, desk_id, stage, category, subcategory, source, title, party_names,"
        " party_phones, facts, claims, people_involved, registered_at, outcome_reason, referred_to,"
        " routes_suggested, prevented_escalation, agreement_terms, performance_manner, performance_place,"
        " created_at, updated_at, version_id, deadline_label) VALUES "
        "(2, 2, 'agreed', '合同', '', '', '', '欧阳䶮', '13800000001', '另一件事', '', 1, :now, '', '', '', false,"
        " '', '', '', :now, :now, 1, '')"), {"now": now})
    conn.execute(text("INSERT INTO case_party (id, case_id, party_id, role, position) VALUES (3, 2, 1, 'applicant', 0)"))
    conn.execute(text(
        "INSERT INTO document (id, case_id, form, title, status, created_at, updated_at, version_id) "
        "VALUES (1, 2, 'people_agreement', '人民调解协议书', 'approved', :now, :now, 1)"), {"now": now})
    conn.execute(text(
        "INSERT INTO document_version (id, document_id, number, status, content, reason, created_at,"
        " signed_on_paper) VALUES (1, 1, 1, 'approved', '{}', '', :now, false)"), {"now": now})
    conn.execute(text(
        "INSERT INTO signature (id, version_id, signer_role, signer_name, party_id, image_png, sha256,"
        " captured_at) VALUES (1, 1, 'applicant', '欧阳䶮', 1, :png, 'x', :now)"), {"png": b"\x89PNG", "now": now})


def test_parties_shared_by_two_desks_are_split_one_copy_per_desk(alembic_engine: Engine) -> None:
    """Issue 11: revision 0005 gives every party one desk, on a populated database."""
    upgrade(alembic_engine, revision="0004", backup=False)
    with alembic_engine.begin() as conn:
        _populate_two_desks_at_0004(conn)
    upgrade(alembic_engine, backup=False)
    with alembic_engine.connect() as conn:
        parties = {r.id: r for r in conn.execute(text("SELECT * FROM party ORDER BY id"))}
        links = dict(conn.execute(text("SELECT case_id, party_id FROM case_party WHERE role = 'applicant'")).all())
        signed_by = conn.execute(text("SELECT party_id FROM signature WHERE id = 1")).scalar_one()
        admin_reach = conn.execute(text("SELECT all_desks FROM user_account WHERE id = 1")).scalar_one()
    assert links[1] == 1 and parties[1].desk_id == 1                 # desk 1 keeps the original
    copy = links[2]
    assert copy not in (1, 2, 3) and parties[copy].desk_id == 2       # desk 2's case: its own copy
    assert (parties[copy].name, parties[copy].phone) == (parties[1].name, parties[1].phone)
    assert signed_by == copy                                          # the signature follows its case
    assert parties[2].desk_id == 1                                    # a party on desk 1 only
    assert parties[3].desk_id == 2                                    # on no case: its creator's desk
    assert not admin_reach  # two desks: the administrators stay their desk's (no silent widening)


def test_the_only_desks_administrators_become_the_installations(alembic_engine: Engine) -> None:
    upgrade(alembic_engine, revision="0004", backup=False)
    with alembic_engine.begin() as conn:
        _populate_0001(conn)
    upgrade(alembic_engine, backup=False)
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT all_desks FROM user_account WHERE id = 1")).scalar_one()
        assert conn.execute(text("SELECT desk_id FROM party WHERE id = 1")).scalar_one() == 1


def test_0009_keeps_the_duty_shifts_and_marks_unscheduled_check_ins(alembic_engine: Engine) -> None:
    """The day's roster of before issue 16 survives the roster's revision: its shifts are there,
    the unscheduled check-ins (临时到岗) are marked, and the roster's services read them."""
    from mediation.db import Database
    from mediation.permissions import Actor
    from mediation.services import roster
    from mediation.services.roster import hours
    from mediation.timeutil import clock_at

    upgrade(alembic_engine, revision="0004", backup=False)
    with alembic_engine.begin() as conn:
        _populate_0001(conn)
        start = dt.datetime(2026, 9, 14, 1, 0)  # 09:00 in Shanghai, stored as naive UTC
        conn.execute(text(
            "INSERT INTO duty_shift (id, desk_id, user_id, starts_at, ends_at, checked_in_at, checked_out_at, note)"
            " VALUES (1, 1, 1, :s, :e, :s, :e, ''), (2, 1, 1, :s2, :e2, :s2, NULL, '临时到岗')"),
            {"s": start, "e": start + dt.timedelta(hours=3), "s2": start + dt.timedelta(days=1),
             "e2": start + dt.timedelta(days=1, hours=4)})
    upgrade(alembic_engine, backup=False)
    with alembic_engine.connect() as conn:
        rows = conn.execute(text("SELECT duty_shift.id, scheduled, auto_closed, extra_minutes, must_change_password"
                                 " FROM duty_shift JOIN user_account ON user_account.id = duty_shift.user_id"
                                 " ORDER BY duty_shift.id")).all()
    assert [(r[0], bool(r[1]), bool(r[2]), r[3], bool(r[4])) for r in rows] == [
        (1, True, False, 0, False), (2, False, False, 0, False)]
    db = Database(alembic_engine.url.render_as_string(hide_password=False), engine=alembic_engine)
    admin = Actor(1, "old_admin", "老管理员", "admin", 1)
    with clock_at(dt.datetime(2026, 9, 16, 12, 0, tzinfo=dt.UTC)), db.write() as s:
        assert roster.close_missed_check_outs(s, admin) == [2]  # the open check-in is closed and marked
        worked = hours.person_hours(s, 1, {1: None}, dt.date(2026, 9, 14), dt.date(2026, 9, 15))[1]
    assert (worked.duty, worked.pending, worked.missed_check_outs) == (180, 240, 1)


# ---------------------------------------------------------------- 0006: keyed per-desk audit chains

_LEGACY_COLUMNS = ("id", "at", "user_id", "action", "entity", "entity_id", "case_id", "before", "after",
                   "prev_hash", "hash")


def _legacy_hash(row: dict[str, object], prev: str) -> str:
    """The SHA-256 chain as revisions 0001–0004 wrote it (the code of main at ad06516)."""
    import hashlib
    import json

    at = row["at"]
    assert isinstance(at, dt.datetime)
    text_ = json.dumps([row["id"], at.replace(tzinfo=dt.UTC).isoformat(), row["user_id"], row["action"],
                        row["entity"], row["entity_id"], row["case_id"], row["before"], row["after"], prev],
                       ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


def _legacy_log(conn, *, break_row: int | None = None) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """A second desk with a case, and an old audit log over both desks, chained as 0004 did."""
    import json

    now = dt.datetime(2025, 3, 2, 9, 0)
    conn.execute(text(
        "INSERT INTO desk (id, name, committee_name, number_prefix, active, created_at) "
        "VALUES (2, '第二调解点', '', 'K警校调字', true, :now)"), {"now": now})
    conn.execute(text(
        "INSERT INTO mediation_case (id, desk_id, number, year, seq, stage, category, subcategory,"
        " source, title, party_names, party_phones, facts, claims, people_involved, registered_at,"
        " outcome_reason, referred_to, routes_suggested, prevented_escalation, agreement_terms,"
        " performance_manner, performance_place, created_at, updated_at, version_id, deadline_label) VALUES "
        "(2, 2, NULL, NULL, NULL, 'registered', '合同', '', '', '', '甲 / 乙', '', '事实', '', 2, :now,"
        " '', '', '', false, '', '', '', :now, :now, 1, '')"), {"now": now})
    specs = [(None, "desk.create", "desk", 1, None), (None, "user.create", "user", 1, None),
             (1, "case.accept", "case", 1, 1), (1, "calendar.set", "holiday_day", None, None),
             (1, "desk.create", "desk", 2, None), (1, "case.register", "case", 2, 2),
             (1, "backup.run", "database", None, None), (1, "user.login", "user", 1, None)]
    rows: list[dict[str, object]] = []
    prev = "0" * 64
    for n, (user, action, entity, entity_id, case_id) in enumerate(specs, start=1):
        row: dict[str, object] = {"id": n, "at": now + dt.timedelta(minutes=n, microseconds=n * 7),
                                  "user_id": user, "action": action, "entity": entity, "entity_id": entity_id,
                                  "case_id": case_id, "before": None, "after": {"n": n, "名": "值"}}
        row["prev_hash"], row["hash"] = prev, _legacy_hash(row, prev)
        prev = str(row["hash"])
        rows.append(row)
    for row in rows:
        values = {**row, "after": json.dumps(row["after"], ensure_ascii=False)}
        if row["id"] == break_row:
            values["after"] = json.dumps({"n": 0}, ensure_ascii=False)  # edited before the upgrade
        conn.execute(text(f"INSERT INTO audit_log ({', '.join(_LEGACY_COLUMNS)}) VALUES "
                          f"({', '.join(':' + c for c in _LEGACY_COLUMNS)})"), values)
    conn.execute(text("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, :n, :h)"),
                 {"n": len(rows), "h": prev})
    return rows


@pytest.mark.parametrize("broken", [False, True])
def test_0006_rechains_a_populated_log_per_desk_and_records_the_conversion(alembic_engine: Engine,
                                                                           broken: bool) -> None:
    from mediation.db import Database
    from mediation.models import AuditLog
    from mediation.services import audit

    upgrade(alembic_engine, revision="0001", backup=False)
    with alembic_engine.begin() as conn:
        _populate_0001(conn)
    upgrade(alembic_engine, revision="0004", backup=False)
    with alembic_engine.begin() as conn:
        legacy = _legacy_log(conn, break_row=3 if broken else None)
    upgrade(alembic_engine, backup=False)
    db = Database(alembic_engine.url.render_as_string(hide_password=False), engine=alembic_engine)
    with db.read() as s:
        result = audit.verify(s)
        assert result.ok, result.failures()
        chains = {c.desk_id: c for c in result.chains}
        assert set(chains) == {None, 1, 2}
        by_desk: dict[int | None, list[str]] = {}
        for row in s.scalars(select_rows(AuditLog)):
            by_desk.setdefault(row.desk_id, []).append(row.action)
        # Each chain opens with the conversion, then its old rows in their old order.
        assert by_desk[1] == ["audit.chain_converted", "desk.create", "user.create", "case.accept", "user.login"]
        assert by_desk[2] == ["audit.chain_converted", "desk.create", "case.register"]
        assert by_desk[None] == ["audit.chain_converted", "calendar.set", "backup.run"]
        first = s.scalars(select_rows(AuditLog).where(AuditLog.desk_id == 1)).first()
        assert first is not None and first.after is not None
        assert first.after["legacy_rows"] == len(legacy) and first.after["legacy_head"] == legacy[-1]["hash"]
        assert first.after["legacy_intact"] is (not broken)
        assert first.after["legacy_first_bad"] == (3 if broken else None)
        assert bool(chains[1].notes) is broken
        # The old rows keep their ids and content.
        old = s.scalars(select_rows(AuditLog).where(AuditLog.id == 5)).one()
        assert (old.action, old.desk_id, old.after) == ("desk.create", 2, {"n": 5, "名": "值"})
    with db.write() as s:  # the desk goes on writing into its chain
        audit.append(s, desk_id=2, user_id=1, action="case.note", entity="case", entity_id=2, case_id=2,
                     after={"note": "继续"})
    with db.read() as s:
        assert audit.verify(s).ok
    downgrade(alembic_engine, "0004")
    with alembic_engine.connect() as conn:
        rows = [dict(zip(_LEGACY_COLUMNS, r, strict=True)) for r in conn.execute(text(
            f"SELECT {', '.join(_LEGACY_COLUMNS)} FROM audit_log ORDER BY id"))]
    prev = "0" * 64
    for n, row in enumerate(rows, start=1):  # one SHA-256 chain again, ids 1…n, as 0004 reads it
        import json

        row["before"] = json.loads(row["before"]) if isinstance(row["before"], str) else row["before"]
        row["after"] = json.loads(row["after"]) if isinstance(row["after"], str) else row["after"]
        row["at"] = dt.datetime.fromisoformat(row["at"]) if isinstance(row["at"], str) else row["at"]
        assert row["id"] == n and row["prev_hash"] == prev and _legacy_hash(row, prev) == row["hash"]
        prev = str(row["hash"])
    assert len(rows) == len(legacy) + 3 + 1


def select_rows(model):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    return select(model).order_by(model.desk_id, model.seq)


# ---------------------------------------------------------------- 0008: the search index


def test_0008_indexes_a_populated_database_after_0006(alembic_engine: Engine) -> None:
    """A database with cases and keyed audit chains (0006) gains the short-term index, the
    walk grams, the per-stage counts and the ID-number tail index, filled from its rows."""
    from mediation.db import Database
    from sqlalchemy import select

    from mediation.models import CaseStageCount
    from mediation.permissions import Actor
    from mediation.services import audit, caselist
    from mediation.services.caselist import CaseQuery

    upgrade(alembic_engine, revision="0001", backup=False)
    with alembic_engine.begin() as conn:
        _populate_0001(conn)
        conn.execute(text("UPDATE party SET id_type = 'resident', id_number = :n WHERE id = 1"),
                     {"n": "11000019990304777X"})  # generated: no such person
    upgrade(alembic_engine, revision="0006_audit_chains", backup=False)
    db = Database(alembic_engine.url.render_as_string(hide_password=False), engine=alembic_engine)
    with db.write() as s:
        audit.append(s, desk_id=1, user_id=1, action="case.note", entity="case", entity_id=1, case_id=1,
                     after={"note": "升级前"})
    upgrade(alembic_engine, backup=False)
    assert current_revision(alembic_engine) == head_revision()

    admin = Actor(1, "old_admin", "老管理员", "admin", 1)
    with db.read() as s:
        for term in ("欧", "欧阳", "田", "𠮷", "0001", "00", "007", "（2025）J警校调字第007号", "2025 J 7"):
            assert [r.id for r in caselist.search(s, admin, term)] == [1], term
        assert caselist.search(s, admin, "张") == []
        assert caselist.count_cases(s, admin, CaseQuery()) == 1
        assert caselist.count_cases(s, admin, CaseQuery(text="欧")) == 1
        kept = {(r.desk_id, r.stage): r.n for r in s.scalars(select(CaseStageCount)) if r.n}
        assert kept == {(1, "accepted"): 1}
    with db.write() as s:
        assert [r.id for r in caselist.search_id_number(s, admin, "04777x")] == [1]
    with db.read() as s:
        assert audit.verify(s).ok


# ---------------------------------------------------------------- 0007: reference ids


def test_0007_gives_categories_sources_and_subtypes_ids_and_keeps_every_case_s_words(alembic_engine: Engine) -> None:
    """A populated 0004 database: the desk's own lists (settings), a case whose category was
    since removed from the list, a consultation; after 0007 every case refers to ids whose
    labels are the words it had, a removed word is a retired item, a rename changes only
    the label, and the search index survived the dropped columns."""
    from mediation.db import Database
    from mediation.permissions import Actor
    from sqlalchemy import select

    from mediation.models import AuditLog
    from mediation.services import audit, case_detail, caselist, consultations, reference

    upgrade(alembic_engine, revision="0001", backup=False)
    with alembic_engine.begin() as conn:
        _populate_0001(conn)
    upgrade(alembic_engine, revision="0004", backup=False)
    now = dt.datetime(2025, 3, 2, 8, 0)
    with alembic_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO setting (desk_id, key, value, updated_at) VALUES "
            "(1, 'categories', :cats, :now), (NULL, 'sources', :srcs, :now)"),
            {"cats": '{"合同": ["租房", "借贷"], "邻里": []}', "srcs": '["当事人申请", "学校转交"]', "now": now})
        conn.execute(text(
            "INSERT INTO mediation_case (id, desk_id, stage, category, subcategory, source, title, party_names,"
            " party_phones, facts, claims, people_involved, registered_at, outcome_reason, referred_to,"
            " routes_suggested, prevented_escalation, agreement_terms, performance_manner, performance_place,"
            " created_at, updated_at, version_id, deadline_label) VALUES "
            "(2, 1, 'registered', '宿舍纠纷', '', '110警情转交', '', '', '', '吵闹', '', 0, :now, '', '', '',"
            " false, '', '', '', :now, :now, 1, ''),"
            "(3, 1, 'registered', '', '', '', '', '', '', '未分类', '', 0, :now, '', '', '',"
            " false, '', '', '', :now, :now, 1, '')"), {"now": now})
        conn.execute(text(
            "INSERT INTO consultation (id, desk_id, asked_at, person_name, phone, topic, category, question,"
            " answer, minutes, created_at) VALUES (1, 1, :now, '', '', '押金', '合同', '', '可以协商', 10, :now)"),
            {"now": now})
    upgrade(alembic_engine, backup=False)

    db = Database(alembic_engine.url.render_as_string(hide_password=False), engine=alembic_engine)
    admin = Actor(1, "old_admin", "老管理员", "admin", 1)
    with db.read() as s:
        one = case_detail.get_case(s, admin, 1)
        assert (one.category, one.subcategory, one.source) == ("合同", "租房", "当事人申请")
        two = case_detail.get_case(s, admin, 2)
        assert (two.category, two.source) == ("宿舍纠纷", "110警情转交")
        assert case_detail.get_case(s, admin, 3).category == ""
        # The desk's list as its setting had it, in order; the word only old cases use is retired.
        cats = reference.items(s, admin, 1, "category", include_retired=True)
        assert [(c.label, c.active) for c in cats] == [("合同", True), ("邻里", True), ("宿舍纠纷", False)]
        assert reference.categories(s, 1) == {"合同": ["租房", "借贷"], "邻里": []}
        assert reference.sources(s, 1) == ["当事人申请", "学校转交"]
        assert consultations.get_consultation(s, admin, 1).category == "合同"
        assert reference.get_setting(s, "categories", 1) is None  # the lists left the settings
        # The list filters by id, and search still finds case 1 (its triggers were kept).
        contract = next(ids for label, ids in reference.category_filter(s, admin) if label == "合同")
        assert [r.id for r in caselist.list_cases(s, admin, caselist.CaseQuery(categories=contract)).rows] == [1]
        assert [r.id for r in caselist.search(s, admin, "两千五百")] == [1]
    with db.write() as s:
        reference.rename_item(s, admin, "category", contract[0], "合同纠纷")
    with db.read() as s:
        assert case_detail.get_case(s, admin, 1).category == "合同纠纷"
        # 0006 then 0007 on a populated 0004 database: the keyed chains verify, the
        # rename sits in desk 1's chain.
        result = audit.verify(s)
        assert result.ok, result.failures()
        last = s.scalars(select(AuditLog).where(AuditLog.desk_id == 1).order_by(AuditLog.seq.desc())).first()
        assert last is not None and last.action == "reference.rename"
        assert caselist.list_cases(s, admin, caselist.CaseQuery(categories=contract)).rows[0].category == "合同纠纷"


# ---------------------------------------------------------------- 0012: the statistics summary


def test_0012_fills_the_summary_of_a_populated_0011_database_with_the_same_figures(alembic_engine: Engine) -> None:
    """A desk with generated cases at 0011; the upgrade fills the summary from them, and every
    table read through it gives what the direct computation gave before the upgrade."""
    from sqlalchemy import func, select

    from mediation import demo
    from mediation.db import Database
    from mediation.models import CaseFigure, StatMonth, StatStale
    from mediation.statistics import Period, summary
    from mediation.statistics.tables import TABLES, compute, direct
    from mediation.timeutil import clock_at
    from tests.conftest import Desk

    now = dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.UTC)
    periods = [Period.parse("2026-10"), Period.parse("2026-Q2"), Period.parse("2025"),
               Period.between(dt.date(2025, 5, 10), dt.date(2026, 1, 20))]
    upgrade(alembic_engine, revision="0011_case_review", backup=False)
    db = Database(alembic_engine.url.render_as_string(hide_password=False), engine=alembic_engine)
    Desk(db)
    demo.generate(db, cases=600, seed=3, now=now, bulk_threshold=200, parallel=False)
    with db.read() as s, clock_at(now), direct():
        before = {(t, p.code): compute(s, t, None, p).to_data() for t in TABLES for p in periods}
        cases = s.execute(text("SELECT COUNT(*) FROM mediation_case")).scalar()

    upgrade(alembic_engine, backup=False)
    assert current_revision(alembic_engine) == head_revision()
    with db.read() as s, clock_at(now):
        assert summary.usable(s)
        assert s.scalar(select(func.count()).select_from(CaseFigure)) == cases
        assert s.scalar(select(func.count()).select_from(StatStale)) == 0
        assert s.scalar(select(func.count()).select_from(StatMonth)) > 0
        assert s.execute(text("SELECT oldest_program FROM schema_compat WHERE revision = '0012_stats_summary'")
                         ).scalar() == "0011_case_review"
        after = {(t, p.code): compute(s, t, None, p).to_data() for t in TABLES for p in periods}
    assert after == before
    assert before[("people", "2025")]["blocks"][0]["rows"]["total"]["accepted"] > 0


# ---------------------------------------------------------------- 0013: search as a desk role


def test_0013_adds_the_search_functions_to_a_populated_database_and_goes_back(alembic_engine: Engine) -> None:
    """Functions only (PostgreSQL), a schema_compat row (0011's program keeps working); the
    cases are untouched and found as before; down and up again."""
    from mediation.db import Database
    from mediation.permissions import Actor
    from mediation.services import caselist, search

    upgrade(alembic_engine, revision="0001", backup=False)
    with alembic_engine.begin() as conn:
        _populate_0001(conn)
    upgrade(alembic_engine, revision="0011_case_review", backup=False)
    upgrade(alembic_engine, revision="0013_search_definer", backup=False)
    assert current_revision(alembic_engine) == "0013_search_definer"
    pg = alembic_engine.dialect.name == "postgresql"
    functions = ("mediation_case_ids_like(text)", "mediation_consultation_ids_like(text)",
                 "mediation_text_like(text, text)")

    def present() -> list[bool]:
        with alembic_engine.connect() as conn:
            return [conn.execute(text("SELECT to_regprocedure(:f) IS NOT NULL"), {"f": f}).scalar() is True
                    for f in functions]

    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT oldest_program FROM schema_compat WHERE revision = '0013_search_definer'"
                                 )).scalar() == "0011_case_review"
        if pg:
            # The owner is no desk: the function returns nothing to it (the program's owner
            # connections never call it); ILIKE through the opaque function as usual.
            assert conn.execute(text("SELECT count(*) FROM mediation_case_ids_like('%押金%')")).scalar() == 0
            assert conn.execute(text("SELECT mediation_text_like('押金两千', '%两千%')")).scalar() is True
    if pg:
        assert present() == [True, True, True]
    db = Database(alembic_engine.url.render_as_string(hide_password=False), engine=alembic_engine)
    search.forget_modes()
    admin = Actor(1, "old_admin", "老管理员", "admin", 1)
    with db.read() as s:
        assert not search.through_definer(s)  # the owner searches as before
        assert [r.id for r in caselist.search(s, admin, "两千五百")] == [1]
    downgrade(alembic_engine, "0011_case_review")
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM schema_compat WHERE revision = '0013_search_definer'"
                                 )).scalar() == 0
    if pg:
        assert present() == [False, False, False]
    upgrade(alembic_engine, backup=False)
    search.forget_modes()
    with db.read() as s:
        assert [r.id for r in caselist.search(s, admin, "两千五百")] == [1]


def test_0014_counts_the_short_search_terms_of_a_populated_database_and_keeps_counting(
        alembic_engine: Engine) -> None:
    """The counts are filled from the cases there are; a write by the older program (plain
    SQL, as 0011's program writes) is counted by the triggers; down and up again."""
    from mediation import demo
    from mediation.db import Database
    from mediation.services import caselist, search
    from mediation.services.caselist import CaseQuery
    from tests.conftest import Desk

    upgrade(alembic_engine, revision="0013_search_definer", backup=False)
    db = Database(alembic_engine.url.render_as_string(hide_password=False), engine=alembic_engine)
    desk = Desk(db)
    demo.generate(db, cases=120, seed=4, bulk_threshold=1000, parallel=False)
    upgrade(alembic_engine, backup=False)
    assert current_revision(alembic_engine) == head_revision() == "0014_search_gram_count"

    def scanned(term: str) -> int:
        with db.read() as s:
            rows = s.execute(text("SELECT party_names, party_phones, number FROM mediation_case")).all()
        t = search.ascii_lower(term)
        return sum(1 for r in rows if any(t in search.ascii_lower(c or "") for c in r))

    terms = ["1", "12", "38", "王", "张", "李", "警校", "（", "X", "x"]
    search.forget_modes()
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT oldest_program FROM schema_compat WHERE revision = '0014_search_gram_count'"
                                 )).scalar() == "0011_case_review"
    with db.read() as s:
        for t in terms:
            assert search.count_from_index(s, t, None) == scanned(t), t
        assert caselist.count_cases(s, desk.officer, CaseQuery(text="12")) == scanned("12") > 0
    # The older program's writes, in plain SQL: counted by the triggers.
    with alembic_engine.begin() as conn:
        conn.execute(text("UPDATE mediation_case SET party_phones = '13812121212' WHERE id IN "
                          "(SELECT id FROM mediation_case ORDER BY id LIMIT 5)"))
        conn.execute(text("DELETE FROM case_party WHERE case_id IN (SELECT id FROM mediation_case ORDER BY id DESC"
                          " LIMIT 3)"))
        conn.execute(text("UPDATE mediation_case SET party_names = '王小明、Xy' WHERE id IN "
                          "(SELECT id FROM mediation_case ORDER BY id DESC LIMIT 3)"))
    with db.read() as s:
        for t in terms:
            assert search.count_from_index(s, t, None) == scanned(t), t
    downgrade(alembic_engine, "0013_search_definer")
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM schema_compat WHERE revision = '0014_search_gram_count'"
                                 )).scalar() == 0
    upgrade(alembic_engine, backup=False)
    with db.read() as s:
        for t in terms:
            assert search.count_from_index(s, t, None) == scanned(t), t
        assert caselist.count_cases(s, desk.admin, CaseQuery(text="王")) == scanned("王")
