"""What the program says about itself: one version, the database and its revision, the log, the licences."""

from __future__ import annotations

import io
import sqlite3
import tomllib
from pathlib import Path

import pytest

import mediation
from mediation import about, cli
from mediation.db import Database
from mediation.migrations import HEAD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("MEDIATION_DATA_DIR", str(data))
    monkeypatch.delenv("MEDIATION_DATABASE_URL", raising=False)
    return data


def test_one_version_from_the_package_metadata() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert about.version() == declared
    assert mediation.__version__ == declared
    # No second number in the code: the package itself declares none.
    assert "__version__ =" not in (ROOT / "mediation" / "__init__.py").read_text(encoding="utf-8")


def test_database_facts_of_a_migrated_sqlite_file(sqlite_db: Database) -> None:
    facts = about.database_facts(sqlite_db.url)
    assert facts.revision == HEAD == facts.head
    assert facts.state == "最新"
    assert Path(facts.location).is_file()
    # The app passes its open engine: same answer.
    assert about.database_facts(sqlite_db.url, sqlite_db.engine).revision == HEAD


def test_database_facts_never_create_or_change_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "none" / "mediation.sqlite3"
    facts = about.database_facts(f"sqlite:///{missing}")
    assert facts.revision is None and "尚未创建" in facts.state
    assert not missing.exists() and not missing.parent.exists()

    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('0003')")
    before = old.read_bytes()
    facts = about.database_facts(f"sqlite:///{old}")
    assert facts.revision == "0003" and HEAD in facts.state and "升级" in facts.state
    assert old.read_bytes() == before

    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    facts = about.database_facts(f"sqlite:///{junk}")
    assert facts.revision is None and facts.state.startswith("无法读取")

    unreachable = about.database_facts("postgresql://nobody:secret@127.0.0.1:1/none")
    assert unreachable.state.startswith("无法读取")
    assert "secret" not in unreachable.url + unreachable.location


def test_licences_of_every_bundled_font_and_library() -> None:
    components = {c.name: c for c in about.components()}
    for family in ("AR PL UMing CN", "WenQuanYi Micro Hei", "HanaMinA"):
        font = components[family]
        assert font.kind == "font" and font.licence_file is not None
        assert len(about.licence_text(font)) > 1000
    for name, licence in (("SQLAlchemy", "MIT"), ("reportlab", "BSD"), ("python-docx", "MIT"),
                          ("alembic", "MIT"), ("docxtpl", "LGPL-2.1"), ("Jinja2", "BSD")):
        assert licence in components[name].licence, name
        assert components[name].version
    assert "LGPL-3.0" in components["PySide6"].licence
    assert "LGPL-3.0" in components["Qt"].licence
    # Every LGPL component has its full text at hand (Qt's own wheels carry none).
    for c in components.values():
        if "LGPL" in c.licence:
            assert "GNU LESSER GENERAL PUBLIC LICENSE" in about.licence_text(c), c.name
    assert "mediation-desk" not in components


def test_version_flag_prints_the_same_facts(sqlite_db: Database, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch, _data_dir: Path) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["--db", sqlite_db.url, "--version"]) == 0
    out = capsys.readouterr().out
    facts = about.facts(sqlite_db.url)
    assert out.strip() == about.report(facts).strip()
    assert out.startswith(f"警校联调中心 · 调解工作台 {about.version()}\n")
    assert str(Path(sqlite_db.url.removeprefix("sqlite:///")).absolute()) in out
    assert f"数据库版本：{HEAD}（程序支持到 {HEAD}；最新）" in out
    assert str(_data_dir / "logs" / "mediation.log") in out
    assert "AR PL UMing CN　Arphic Public License" in out
    assert "PySide6 " in out and "SQLAlchemy " in out

    # Without --db: the configured database (here none yet), and nothing is created.
    assert cli.main(["--version"]) == 0
    out = capsys.readouterr().out
    assert "尚未创建" in out
    assert not (_data_dir / "mediation.sqlite3").exists()
