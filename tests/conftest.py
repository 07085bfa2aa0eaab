"""Shared fixtures: a migrated database per test on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

os.environ.setdefault("MEDIATION_FAST_HASH", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never the user's own data or config directory: the audit key file and the anchor file
# of a test run live in a directory of their own (tests that need another set these).
_RUN_DIR = tempfile.mkdtemp(prefix="mediation-tests-")
os.environ.setdefault("MEDIATION_DATA_DIR", os.path.join(_RUN_DIR, "data"))
os.environ.setdefault("MEDIATION_KEY_FILE", os.path.join(_RUN_DIR, "keys.json"))

from mediation.db import Database, make_engine  # noqa: E402
from mediation.migrate import upgrade  # noqa: E402
from mediation.models import Base  # noqa: E402
from mediation.permissions import Actor  # noqa: E402

PG_URL = os.environ.get("MEDIATION_TEST_PG_URL", "")


@pytest.fixture(autouse=True)
def _own_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test its own data directory: the anchor file of one test's database (on
    PostgreSQL, the same database emptied between tests) never speaks for another's."""
    monkeypatch.setenv("MEDIATION_DATA_DIR", str(tmp_path_factory.mktemp("data")))


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") == "true" and not PG_URL:
        raise pytest.UsageError("CI=true but MEDIATION_TEST_PG_URL is not set: PostgreSQL tests must run on CI")


def pytest_report_header(config: pytest.Config) -> str:
    return f"postgresql tests: {'on' if PG_URL else 'off (set MEDIATION_TEST_PG_URL)'}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated empty SQLite database, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, backup=False)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


_pg_engine_migrated = False


def _pg_database() -> Database:
    global _pg_engine_migrated
    db = Database(PG_URL)
    if not _pg_engine_migrated:
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade(db.engine, backup=False)
        _pg_engine_migrated = True
    else:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return db


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(params=backends())
def db(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh migrated database: SQLite file, and the same tests again on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "mediation.sqlite3"
        shutil.copy(sqlite_template, path)
        database = Database(f"sqlite:///{path}")
    else:
        database = _pg_database()
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "mediation.sqlite3"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


class Desk:
    """The people of one initialised desk (generated, never real)."""

    def __init__(self, db: Database) -> None:
        from mediation.services import accounts, setup

        with db.write() as s:
            self.admin: Actor = setup.initialise(
                s, desk_name="测试大学警校联调中心", number_prefix="X警校调字",
                admin_username="admin", admin_display_name="管理员甲", admin_password="Harbor-Maple-2718")
            self.desk_id = self.admin.desk_id
            ids = {}
            for username, name, role in [("officer", "王警官", "officer"),
                                         ("volunteer", "李同学", "volunteer"),
                                         ("adviser", "赵老师", "adviser")]:
                ids[role] = accounts.create_user(s, self.admin, username=username, display_name=name,
                                                 role=role, password="Qiushi-Lake-42", desk_id=self.desk_id)
        self.officer = Actor(ids["officer"], "officer", "王警官", "officer", self.desk_id)
        self.volunteer = Actor(ids["volunteer"], "volunteer", "李同学", "volunteer", self.desk_id)
        self.adviser = Actor(ids["adviser"], "adviser", "赵老师", "adviser", self.desk_id)


@pytest.fixture
def desk(db: Database) -> Desk:
    return Desk(db)


@pytest.fixture
def two_desks(db: Database, desk: Desk) -> Any:
    """Desk 1 with its own administrator and a second desk with one account of each role
    (tests.desks.TwoDesks; the desk-isolation tables' worlds start from it)."""
    from tests.desks import make_two_desks

    return make_two_desks(db, desk)
