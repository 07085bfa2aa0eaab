"""The command line: each command works, errors are one clear line, never a traceback."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import cli
from mediation.cli import logs
from mediation.db import Database
from mediation.models import AuditLog, Case, User
from mediation.services import accounts, caselist, cases
from tests.factories import dispute, person

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data dir (config, logs) in tmp; no database URL from the environment."""
    data = tmp_path / "data"
    monkeypatch.setenv("MEDIATION_DATA_DIR", str(data))
    monkeypatch.delenv("MEDIATION_DATABASE_URL", raising=False)
    return data


def run(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _init(url: str, capsys, monkeypatch) -> None:
    code, out, err = run(["--db", url, "init", "--desk-name", "测试大学警校联调中心", "--prefix", "X警校调字",
                          "--admin", "admin", "--admin-display-name", "管理员甲", "--password-stdin"],
                         capsys, monkeypatch, "Harbor-Maple-2718\n")
    assert code == 0, err
    assert "已创建调解点" in out


def test_a_desk_from_init_to_restore(env, tmp_path, capsys, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    _init(url, capsys, monkeypatch)
    code, out, err = run(["--db", url, "user", "add", "wang", "--role", "officer", "--display-name", "王警官",
                          "--valid-until", "2031-07-01", "--as", "admin", "--as-password-stdin",
                          "--password-stdin"], capsys, monkeypatch, "Harbor-Maple-2718\nQiushi-Lake-42\n")
    assert code == 0 and "wang" in out, err
    login_db = Database(url)
    officer = accounts.login(login_db, "wang", "Qiushi-Lake-42")
    login_db.dispose()  # an engine left to the garbage collector keeps the file open (restore below)
    assert officer.role == "officer"

    db = Database(url)
    with db.write() as s:
        ref = cases.register_case(s, officer, dispute(parties=[person("applicant", "𠮷田·花子", seq=101),
                                                               person("respondent", "王䶮", seq=102)]))
    db.dispose()
    code, out, err = run(["--db", url, "search", "王䶮"], capsys, monkeypatch)
    assert code == 2 and "--as" in err  # never without a login (issue 11 item 5)
    code, out, err = run(["--db", url, "search", "王䶮", "--as", "admin", "--as-password-stdin"], capsys, monkeypatch, "Harbor-Maple-2718\n")
    assert code == 0, err
    number, stage, parties, category = out.strip().split("\t")
    assert (number, stage, parties, category) == ("（未受理）", "登记", "𠮷田·花子 / 王䶮", "合同/租房")
    assert "138" not in out  # phones are never printed

    export = tmp_path / "export.json"
    code, out, err = run(["--db", url, "export", str(export), "--as", "wang", "--as-password-stdin"],
                         capsys, monkeypatch, "Qiushi-Lake-42\n")
    assert code == 0, err
    assert json.loads(export.read_text(encoding="utf-8"))["cases"][0]["ref"] == ref.id

    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert run(["--db", fresh, "init"], capsys, monkeypatch)[0] == 0
    code, out, err = run(["--db", fresh, "import", str(export), "--dry-run"], capsys, monkeypatch)
    assert code == 0 and "未写入" in out, err
    code, out, err = run(["--db", fresh, "import", str(export)], capsys, monkeypatch)
    assert code == 0 and "已导入 1 件案件" in out, err
    fresh_db = Database(fresh)
    with fresh_db.read() as s:  # (the accounts came without usable passwords: read it directly)
        assert s.scalars(select(Case.party_names)).all() == ["𠮷田·花子 / 王䶮"]
    fresh_db.dispose()

    saved = tmp_path / "saved.sqlite3"
    code, out, err = run(["--db", url, "backup", str(saved)], capsys, monkeypatch)
    assert code == 2 and "--as" in err and not saved.exists()  # an administrator's job
    code, out, err = run(["--db", url, "backup", str(saved), "--as", "wang", "--as-password-stdin"],
                         capsys, monkeypatch, "Qiushi-Lake-42\n")
    assert code == 1 and "备份与恢复" in err and not saved.exists()
    code, out, err = run(["--db", url, "backup", str(saved), "--as", "admin", "--as-password-stdin"],
                         capsys, monkeypatch, "Harbor-Maple-2718\n")
    assert code == 0 and saved.exists() and "完整性检查" in out, err
    db = Database(url)
    with db.write() as s:
        cases.register_case(s, officer, dispute())
    db.dispose()
    code, out, err = run(["--db", url, "restore", str(saved), "--yes"], capsys, monkeypatch)
    assert code == 2 and "--as" in err
    code, out, err = run(["--db", url, "restore", str(saved), "--yes", "--as", "admin", "--as-password-stdin"],
                         capsys, monkeypatch, "Harbor-Maple-2718\n")
    assert code == 0 and "恢复前的数据库已另存为" in out, err
    db = Database(url)
    with db.read() as s:
        assert len(s.scalars(select(Case.id)).all()) == 1
        restore_row = s.scalars(select(AuditLog).where(AuditLog.action == "backup.restore")).one()
        assert restore_row.after is not None and restore_row.after["by"] == "admin"
        assert restore_row.user_id is not None
    db.dispose()
    code, out, err = run(["--db", url, "audit", "verify"], capsys, monkeypatch)
    assert code == 0 and "校验通过" in out and "已回退" in out, err


def test_db_commands_and_upgrade(env, tmp_path, capsys, monkeypatch) -> None:
    from mediation import migrate

    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    code, out, err = run(["--db", url, "db", "current"], capsys, monkeypatch)
    assert code == 1 and "mediation init" in err  # never creates an empty database by accident
    assert not (tmp_path / "x.sqlite3").exists()
    code, out, err = run(["--db", url, "db", "upgrade"], capsys, monkeypatch)
    assert code == 0, err
    code, out, err = run(["--db", url, "db", "current"], capsys, monkeypatch)
    assert code == 0 and migrate.head_revision() in out and "最新" in out
    conn = sqlite3.connect(tmp_path / "x.sqlite3")
    conn.execute("UPDATE alembic_version SET version_num = '9999_newer'")
    conn.commit()
    conn.close()
    for args in (["db", "current"], ["db", "upgrade"], ["search", "张"]):
        code, out, err = run(["--db", url, *args], capsys, monkeypatch)
        assert code == 1 and "比本程序新" in err and err.count("\n") == 1, (args, err)


def test_the_database_url_comes_from_env_then_config(env, tmp_path, capsys, monkeypatch) -> None:
    from mediation.config import Config, save_config

    cfg_db = tmp_path / "from-config.sqlite3"
    save_config(Config(database_url=f"sqlite:///{cfg_db}"))
    assert run(["init"], capsys, monkeypatch)[0] == 0
    assert cfg_db.exists()
    env_db = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("MEDIATION_DATABASE_URL", f"sqlite:///{env_db}")
    assert run(["init"], capsys, monkeypatch)[0] == 0
    assert env_db.exists()
    flag_db = tmp_path / "from-flag.sqlite3"
    assert run(["--db", f"sqlite:///{flag_db}", "init"], capsys, monkeypatch)[0] == 0
    assert flag_db.exists()
    (env / "config.toml").write_text("database_url = [broken", encoding="utf-8")
    monkeypatch.delenv("MEDIATION_DATABASE_URL")
    code, _out, err = run(["init"], capsys, monkeypatch)
    assert code == 1 and "配置文件有误" in err and err.count("\n") == 1


def test_audit_verify_names_the_first_bad_row(env, tmp_path, capsys, monkeypatch) -> None:
    path = tmp_path / "a.sqlite3"
    url = f"sqlite:///{path}"
    _init(url, capsys, monkeypatch)
    code, _out, _err = run(["--db", url, "audit", "verify"], capsys, monkeypatch)
    assert code == 0
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_log SET action = 'user.login' WHERE id = 2")
    conn.commit()
    conn.close()
    code, _out, err = run(["--db", url, "audit", "verify"], capsys, monkeypatch)
    assert code == 1 and "第 2 条" in err and "修改" in err and err.count("\n") == 1


def test_usage_and_failures_are_one_line(env, tmp_path, capsys, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'u.sqlite3'}"
    code, _out, err = run(["user", "add"], capsys, monkeypatch)
    assert code == 2 and err.count("\n") == 1 and "缺少参数" in err
    code, _out, err = run(["--db", url, "search"], capsys, monkeypatch)
    assert code == 2 and err.count("\n") == 1
    code, _out, err = run(["demo", "--cases", "zero"], capsys, monkeypatch)
    assert code == 2 and "正整数" in err
    code, _out, err = run(["nonsense"], capsys, monkeypatch)
    assert code == 2 and err.count("\n") == 1
    code, _out, err = run([], capsys, monkeypatch)
    assert code == 2 and "缺少命令" in err and err.count("\n") == 1
    code, _out, err = run(["--db", url, "init", "--desk-name", "某中心"], capsys, monkeypatch)
    assert code == 2 and "--prefix" in err
    _init(url, capsys, monkeypatch)
    code, _out, err = run(["--db", url, "user", "add", "li", "--role", "volunteer"], capsys, monkeypatch)
    assert code == 2 and "--as" in err and err.count("\n") == 1
    code, _out, err = run(["--db", url, "user", "add", "li", "--role", "volunteer", "--as", "admin",
                          "--as-password-stdin", "--password-stdin"], capsys, monkeypatch, "wrong-pass1\nQiushi-Lake-42\n")
    assert code == 1 and "密码不正确" in err and err.count("\n") == 1
    code, _out, err = run(["--db", url, "user", "add", "li", "--role", "volunteer", "--as", "admin",
                          "--as-password-stdin", "--password-stdin"], capsys, monkeypatch, "Harbor-Maple-2718\nshort\n")
    assert code == 1 and "8 位" in err and err.count("\n") == 1
    code, _out, err = run(["--db", url, "user", "add", "li", "--role", "volunteer", "--as", "admin",
                          "--as-password-stdin"], capsys, monkeypatch, "Harbor-Maple-2718\n")
    assert code == 2 and "--password-stdin" in err  # no terminal to ask on
    code, _out, err = run(["--db", url, "import", str(tmp_path / "missing.json"), "--as", "admin",
                          "--as-password-stdin"], capsys, monkeypatch, "Harbor-Maple-2718\n")
    assert code == 1 and "不存在" in err and err.count("\n") == 1
    code, _out, err = run(["--db", url, "restore", str(tmp_path / "u.sqlite3-nothing")], capsys, monkeypatch)
    assert code == 1 and err.count("\n") == 1


def test_import_errors_list_each_record(env, tmp_path, capsys, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'i.sqlite3'}"
    _init(url, capsys, monkeypatch)
    bad = {"format": "mediation-desk-export", "version": 1, "cases": [
        {"desk": "X警校调字", "stage": "registered", "facts": "押金", "registered_at": "2025-03-01T08:00:00+08:00",
         "parties": [{"role": "applicant", "name": "张三", "id_number": "110105200305171239"}]},
        {"desk": "X警校调字", "stage": "registered", "facts": "", "amount": "-5",
         "registered_at": "2025-03-01T08:00:00+08:00", "parties": [{"role": "applicant", "name": "李四"}]},
    ]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    code, _out, err = run(["--db", url, "import", str(path), "--as", "admin", "--as-password-stdin"],
                         capsys, monkeypatch, "Harbor-Maple-2718\n")
    assert code == 1
    lines = err.strip().splitlines()
    assert "共 3 处问题" in lines[0] and "未写入任何数据" in lines[0]
    assert any(line.strip().startswith("cases[0].parties[0].id_number：") for line in lines)
    assert any(line.strip().startswith("cases[1].facts：") for line in lines)
    assert any(line.strip().startswith("cases[1].amount：") for line in lines)


def test_an_unexpected_error_shows_one_line_and_logs_the_traceback_without_personal_data(
        env, tmp_path, capsys, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'e.sqlite3'}"
    _init(url, capsys, monkeypatch)

    def broken(*_a, **_k):
        raise RuntimeError("search index broken near 110105200305171234 and 13800138000")

    monkeypatch.setattr(caselist, "search", broken)
    code, _out, err = run(["--db", url, "search", "张三", "--as", "admin", "--as-password-stdin"], capsys,
                           monkeypatch, "Harbor-Maple-2718\n")
    log = env / "logs" / "mediation.log"
    assert code == 1 and err.count("\n") == 1
    assert "RuntimeError" in err and str(log) in err and "Traceback" not in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError" in text
    assert "110105200305171234" not in text and "13800138000" not in text
    assert "110***********1234" in text and "138****8000" in text


def test_redaction_drops_sql_parameters() -> None:
    text = ("(sqlite3.IntegrityError) UNIQUE constraint failed\n[SQL: INSERT INTO party ...]\n"
            "[parameters: ('张三', '110105200305171234', '地址\n第二行')]\n"
            "(Background on this error at: https://sqlalche.me/e/21/gkpj)")
    out = logs.redact(text)
    assert "张三" not in out and "地址" not in out and "[parameters: <redacted>]" in out
    assert "Background on this error" in out


def test_demo_never_writes_into_a_live_desk(env, tmp_path, capsys, monkeypatch) -> None:
    """Issue 12 item 1: a live desk is refused (its numbers and statistics stay real); a new
    file becomes a practice database with its own desk and accounts; --into-practice
    regenerates the practice database beside the live one."""
    from mediation import practice
    from mediation.models import Desk

    live = tmp_path / "live.sqlite3"
    url = f"sqlite:///{live}"
    _init(url, capsys, monkeypatch)
    code, out, err = run(["--db", url, "demo", "--cases", "12", "--seed", "3"], capsys, monkeypatch)
    assert code != 0 and "正式使用的数据库" in err and "--into-practice" in err and "Traceback" not in err
    db = Database(url)
    with db.read() as s:
        assert s.scalars(select(Case.id)).all() == []  # the live desk still starts at 001
        assert not practice.is_practice(s)
    db.dispose()

    new = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    code, out, err = run(["--db", new, "demo", "--cases", "12", "--seed", "3"], capsys, monkeypatch)
    assert code == 0 and "12" in out and "lianxi" in out, err
    db = Database(new)
    with db.read() as s:
        assert practice.is_practice(s)
        assert len(s.scalars(select(Case.id)).all()) == 12
        assert s.scalars(select(Desk.name)).all() == [practice.DESK_NAME]
        assert {"lianxi", "lianxi-mj"} <= set(s.scalars(select(User.username)).all())
    db.dispose()
    code, out, err = run(["--db", new, "search", "押金", "--as", "lianxi", "--as-password-stdin"], capsys, monkeypatch,
                         practice.PASSWORD + "\n")
    assert code == 0, err
    assert accounts.login(Database(new), "lianxi", practice.PASSWORD).role == "volunteer"

    code, out, err = run(["--db", url, "demo", "--into-practice", "--cases", "5", "--seed", "1"], capsys, monkeypatch)
    assert code == 0, err
    beside = live.parent / practice.FILE_NAME
    assert str(beside) in out
    db = Database(f"sqlite:///{beside}")
    with db.read() as s:
        assert practice.is_practice(s) and len(s.scalars(select(Case.id)).all()) == 5
    db.dispose()
    db = Database(url)
    with db.read() as s:
        assert s.scalars(select(Case.id)).all() == []
    db.dispose()


def test_demo_passes_count_and_seed(env, tmp_path, capsys, monkeypatch) -> None:
    from mediation import demo

    seen: dict[str, object] = {}

    def fake(target, *, cases, seed=None, **_kwargs):
        seen.update(target=target, cases=cases, seed=seed)
        return demo.DemoSummary(cases=7, consultations=1, parties=14, by_stage={}, by_track={},
                                mode="services", seconds=0.5, audit_rows=30)

    monkeypatch.setattr(demo, "generate", fake)
    url = f"sqlite:///{tmp_path / 'fake.sqlite3'}"
    code, out, err = run(["--db", url, "demo", "--cases", "7", "--seed", "42"], capsys, monkeypatch)
    assert code == 0 and (seen["cases"], seen["seed"]) == (7, 42) and "7 件" in out, err
    assert isinstance(seen["target"], Session)  # one transaction: the desk, its accounts and the cases


def test_every_command_has_help_and_extensions_can_register(env, capsys, monkeypatch) -> None:
    monkeypatch.setattr(cli, "_COMMANDS", dict(cli._COMMANDS))

    @cli.register("selftest ping", help="测试用的扩展命令")
    def _ping(args) -> int:
        print("pong")
        return 0

    paths = list(cli.commands())
    assert {("init",), ("db", "upgrade"), ("db", "current"), ("user", "add"), ("demo",), ("search",),
            ("import",), ("export",), ("backup",), ("restore",), ("audit", "verify"),
            ("selftest", "ping")} <= set(paths)
    for path in paths:
        code, out, _err = run([*path, "--help"], capsys, monkeypatch)
        assert code == 0 and "usage:" in out, path
    assert run(["selftest", "ping"], capsys, monkeypatch)[:2] == (0, "pong\n")


def test_cli_on_every_backend(db, desk, env, tmp_path, capsys, monkeypatch) -> None:
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    code, out, err = run(["--db", db.url, "search", "张三", "--as", "officer", "--as-password-stdin"],
                         capsys, monkeypatch, "Qiushi-Lake-42\n")
    assert code == 0 and "张三 / 李四" in out, err
    code, out, err = run(["--db", db.url, "audit", "verify"], capsys, monkeypatch)
    assert code == 0, err
    out_file = tmp_path / "e.json"
    code, out, err = run(["--db", db.url, "export", str(out_file), "--as", "admin", "--as-password-stdin"],
                         capsys, monkeypatch, "Harbor-Maple-2718\n")
    assert code == 0, err
    code, out, err = run(["--db", db.url, "import", str(out_file), "--as", "admin", "--as-password-stdin"],
                         capsys, monkeypatch, "Harbor-Maple-2718\n")
    assert code == 0 and "跳过 1 件" in out, err
    if db.dialect == "postgresql":
        code, out, err = run(["--db", db.url, "backup", str(tmp_path / "b.sqlite3")], capsys, monkeypatch)
        assert code == 1 and "pg_dump" in err and err.count("\n") == 1


# ---------------------------------------------------------------- a real process


def _python_m(args: list[str], tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MEDIATION_DATABASE_URL"}
    env.update(MEDIATION_DATA_DIR=str(tmp_path / "data"), MEDIATION_FAST_HASH="1",
               PYTHONPATH=str(ROOT), LC_ALL="C.UTF-8")
    return subprocess.run([sys.executable, "-m", "mediation", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=120)


def test_python_m_mediation_exit_codes_without_tracebacks(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    calls: list[tuple[list[str], str, int, str]] = [
        (["--help"], "", 0, "search"),
        (["--db", url, "search", "张三"], "", 1, "mediation init"),
        (["user", "add"], "", 2, "缺少参数"),
        (["--db", url, "restore", str(tmp_path)], "", 1, "不是文件"),
        (["--db", "postgresql://nobody@127.0.0.1:1/none", "audit", "verify"], "", 1, "数据库"),
    ]
    for args, stdin, code, words in calls:
        r = _python_m(args, tmp_path, stdin)
        assert r.returncode == code, (args, r.stderr)
        assert words in r.stdout + r.stderr, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stdout + r.stderr
        if code:
            assert r.stderr.count("\n") == 1, (args, r.stderr)


def test_an_admin_resets_a_forgotten_password_and_lifts_the_lockout(env, tmp_path, capsys, monkeypatch) -> None:
    from mediation.errors import AuthError

    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    _init(url, capsys, monkeypatch)
    code, _out, err = run(["--db", url, "user", "add", "li", "--role", "volunteer", "--as", "admin",
                           "--as-password-stdin", "--password-stdin"], capsys, monkeypatch,
                          "Harbor-Maple-2718\nQiushi-Lake-42\n")
    assert code == 0, err
    db = Database(url)
    for _ in range(5):
        with pytest.raises(AuthError):
            accounts.login(db, "li", "wrong-guess")
    with pytest.raises(AuthError) as locked:
        accounts.login(db, "li", "Qiushi-Lake-42")
    assert locked.value.reason == "locked"

    # A volunteer may not reset anyone's password.
    code, _out, err = run(["--db", url, "user", "passwd", "admin", "--as", "li", "--as-password-stdin",
                           "--password-stdin"], capsys, monkeypatch, "Qiushi-Lake-42\nFresh-Lantern-77\n")
    assert code != 0 and "Traceback" not in err

    code, out, err = run(["--db", url, "user", "passwd", "li", "--as", "admin", "--as-password-stdin",
                          "--password-stdin"], capsys, monkeypatch, "Harbor-Maple-2718\nFresh-Lantern-77\n")
    assert code == 0, err
    assert "li" in out
    assert "下次登录" in out
    li = accounts.login(db, "li", "Fresh-Lantern-77")
    # The administrator knows that password: li works with it only after choosing her own.
    code, _out, err = run(["--db", url, "search", "押金", "--as", "li", "--as-password-stdin"], capsys,
                          monkeypatch, "Fresh-Lantern-77\n")
    assert code != 0 and "设置新密码" in err and "Traceback" not in err
    with db.write() as s:
        accounts.change_password(s, li, old="Fresh-Lantern-77", new="Mine-Own-Choice-2026")
    code, _out, err = run(["--db", url, "search", "押金", "--as", "li", "--as-password-stdin"], capsys,
                          monkeypatch, "Mine-Own-Choice-2026\n")
    assert code == 0, err
    code, _out, err = run(["--db", url, "user", "passwd", "nobody", "--as", "admin", "--as-password-stdin",
                           "--password-stdin"], capsys, monkeypatch, "Harbor-Maple-2718\nFresh-Lantern-77\n")
    assert code != 0 and "nobody" in err
    db.dispose()


def test_desks_are_added_listed_and_renamed_from_the_command_line(env, tmp_path, capsys, monkeypatch) -> None:
    """Issue 11: a second desk on one database (``init`` refuses a second time)."""
    url = f"sqlite:///{tmp_path / 'desks.sqlite3'}"
    _init(url, capsys, monkeypatch)
    code, out, err = run(["--db", url, "desk", "add", "乙大学警校联调中心", "--prefix", "Y警校调字", "--admin", "yadmin",
                          "--as", "admin", "--as-password-stdin", "--password-stdin"], capsys, monkeypatch,
                         "Harbor-Maple-2718\nFresh-Lantern-77\n")
    assert code == 0 and "已添加调解点" in out and "yadmin" in out, err
    code, out, err = run(["--db", url, "desk", "list"], capsys, monkeypatch)
    assert code == 0 and [line.split("\t")[1] for line in out.strip().splitlines()] == ["X警校调字", "Y警校调字"]
    # A desk's administrator adds no desk, and renames only their own.
    code, out, err = run(["--db", url, "desk", "add", "丙", "--prefix", "Z警校调字", "--as", "yadmin",
                          "--as-password-stdin"], capsys, monkeypatch, "Fresh-Lantern-77\n")
    assert code == 1 and "全局管理员" in err
    code, out, err = run(["--db", url, "desk", "rename", "X警校调字", "--name", "改名", "--as", "yadmin",
                          "--as-password-stdin"], capsys, monkeypatch, "Fresh-Lantern-77\n")
    assert code == 1 and "不存在" in err
    code, out, err = run(["--db", url, "desk", "rename", "Y警校调字", "--prefix", "乙警校调字", "--committee-name",
                          "乙大学人民调解委员会", "--as", "yadmin", "--as-password-stdin"], capsys, monkeypatch,
                         "Fresh-Lantern-77\n")
    assert code == 0 and "乙警校调字" in out and "乙大学人民调解委员会" in out, err
    code, out, err = run(["--db", url, "init", "--desk-name", "又一个", "--prefix", "W警校调字", "--admin", "w",
                          "--password-stdin"], capsys, monkeypatch, "Harbor-Maple-2718\n")
    assert code == 1 and "初始化" in err  # init still sets up the first desk only: desk add does the rest
    # On SQLite there are no database roles to grant.
    code, out, err = run(["--db", url, "db", "grant-desk", "Y", "--role", "desk_y", "--no-password"],
                         capsys, monkeypatch)
    assert code == 2 and "PostgreSQL" in err


def test_passwords_are_checked_against_the_policy_wherever_they_are_set(env, tmp_path, capsys, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'pw.sqlite3'}"
    code, _out, err = run(["--db", url, "init", "--desk-name", "甲", "--prefix", "X警校调字", "--admin", "admin",
                          "--password-stdin"], capsys, monkeypatch, "woaini1314\n")
    assert code == 1 and "woaini1314" in err  # the Chinese favourites are named in the explanation
    _init(url, capsys, monkeypatch)
    for weak in ("password1", "abcdefg1", "11111111a", "zhangwei19900101"):
        code, _out, err = run(["--db", url, "user", "add", "li", "--role", "volunteer", "--as", "admin",
                              "--as-password-stdin", "--password-stdin"], capsys, monkeypatch,
                             f"Harbor-Maple-2718\n{weak}\n")
        assert code == 1 and "密码" in err, weak


def test_db_takes_a_plain_file_path_as_the_readme_shows(env, tmp_path, capsys, monkeypatch) -> None:
    """``mediation --db demo.sqlite3 demo`` (README): a path, relative or absolute, is the
    SQLite database in that file (it was an internal error: not a URL)."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["--db", "demo.sqlite3", "demo", "--cases", "6", "--seed", "2"], capsys, monkeypatch)
    assert code == 0 and "6 件案件" in out and "内部错误" not in err, err
    assert (tmp_path / "demo.sqlite3").is_file()
    from mediation import practice

    code, _out, err = run(["--db", str(tmp_path / "demo.sqlite3"), "search", "押金", "--as", "lianxi",
                          "--as-password-stdin"], capsys, monkeypatch, practice.PASSWORD + "\n")
    assert code == 0, err
    code, _out, err = run(["--db", str(tmp_path / "missing.sqlite3"), "search", "押金", "--as", "lianxi",
                          "--as-password-stdin"], capsys, monkeypatch, "x\n")
    assert code != 0 and "数据库文件不存在" in err and "missing.sqlite3" in err
