"""What the commands share: argument types, opening the database, logging a person in,
asking for passwords."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from mediation.cli import UsageError
from mediation.errors import StorageError
from mediation.i18n import _

if TYPE_CHECKING:
    from mediation.db import Database


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("应为正整数，而不是“{t}”").format(t=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("应为正整数，而不是“{t}”").format(t=text))
    return value


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("日期应写成 YYYY-MM-DD，例如 2026-07-15")) from None


def add_actor(p: argparse.ArgumentParser, *, required_note: str = "") -> None:
    p.add_argument("--as", dest="as_user", metavar=_("用户名"),
                   help=_("以该账户身份执行（会询问其密码）") + required_note)
    p.add_argument("--as-password-stdin", "--admin-password-stdin", dest="as_password_stdin",
                   action="store_true", help=_("从标准输入的第一行读取 --as 账户的密码"))


def database_url(args: argparse.Namespace) -> str:
    """``--db``, else MEDIATION_DATABASE_URL, else the config file, else the SQLite default."""
    from mediation.config import config_path, load_config

    if args.db:
        return as_database_url(str(args.db))
    try:
        return load_config().resolved_database_url()
    except tomllib.TOMLDecodeError as exc:
        raise StorageError(_("配置文件有误（{path}）：{detail}").format(path=config_path(), detail=exc)) from None


def as_database_url(value: str) -> str:
    """``--db`` as given: a database URL, or a plain file path (``demo.sqlite3``,
    ``~/desk/mediation.sqlite3``) taken as the SQLite database in that file."""
    if "://" in value or value.startswith("sqlite:"):
        return value
    from pathlib import Path

    return "sqlite:///" + str(Path(value).expanduser().resolve())


def shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for display
        return "?"


@contextmanager
def open_db(args: argparse.Namespace, *, create: bool = False, upgrade: bool = True) -> Iterator[Database]:
    """The configured database for the block, upgraded (after a backup) like the app does at
    start, and closed after it. A PostgreSQL database is only checked (its owner upgrades it
    with ``mediation db upgrade`` or ``mediation init``).

    Without ``create`` a missing SQLite file or an empty PostgreSQL database is an
    error (so a typo in ``--db`` does not silently create a new, empty database).
    """
    from mediation import migrate
    from mediation.config import load_config
    from mediation.db import Database, sqlite_path

    url = database_url(args)
    path = sqlite_path(url)
    if not create and path is not None and not path.exists():
        raise StorageError(_("数据库文件不存在：{path}。请先运行 mediation init（或用 --db 指定数据库）。").format(path=path))
    if path is not None and path.parent.is_dir():
        from mediation.services.backup import files

        files.clean_stale(path.parent)  # temporaries of a restore or upgrade that was killed
    db = Database(url)
    try:
        if not create and path is None and not migrate.has_tables(db.engine):
            raise StorageError(_("数据库 {url} 尚未初始化，请先运行 mediation init。").format(url=shown_url(url)))
        if upgrade and db.dialect == "postgresql" and not create:
            # A shared database is upgraded by its owner (mediation db upgrade), never here.
            notice = migrate.check_schema(db.engine)
            if notice:
                print(notice, file=sys.stderr)
        elif upgrade:
            backup = load_config().backup_on_upgrade
            written = migrate.upgrade(db.engine, backup=backup)
            if written is not None:
                print(_("数据库已升级到最新版本，升级前的备份：{path}").format(path=written), file=sys.stderr)
        yield db
    finally:
        db.dispose()


class _StdinLines:
    """Secrets read from standard input, one per line, in the documented order."""

    def __init__(self) -> None:
        self.used = 0

    def next(self, what: str) -> str:
        line = sys.stdin.readline()
        if not line:
            raise UsageError(_("标准输入中缺少{what}（每行一个，见 --help）。").format(what=what))
        self.used += 1
        return line.rstrip("\r\n")


def _stdin(args: argparse.Namespace) -> _StdinLines:
    reader: _StdinLines | None = args._stdin_lines
    if reader is None:
        reader = _StdinLines()
        args._stdin_lines = reader
    return reader


def desk_from_arg(db: Any, value: str) -> int:
    """``--desk`` given as the desk's id or its number prefix."""
    from sqlalchemy import select

    from mediation.models import Desk

    with db.read() as s:
        if value.strip().isdigit() and s.get(Desk, int(value)) is not None:
            return int(value)
        found = s.scalar(select(Desk.id).where(Desk.number_prefix == value.strip()))
    if found is None:
        raise UsageError(_("没有调解点“{d}”（可给编号或编号前缀）。").format(d=value))
    return int(found)


def ask_password(args: argparse.Namespace, prompt: str, *, from_stdin: bool, confirm: bool = False,
                 what: str = "") -> str:
    if from_stdin:
        return _stdin(args).next(what or _("密码"))
    if not sys.stdin.isatty():
        raise UsageError(_("无法询问密码（不在终端中运行）：请改用 --password-stdin / --as-password-stdin。"))
    first = getpass.getpass(prompt)
    if confirm:
        again = getpass.getpass(_("再输入一次："))
        if again != first:
            raise UsageError(_("两次输入的密码不一致。"))
    return first


def actor_from_args(args: argparse.Namespace, db: Any, *, required: bool = True) -> Any:
    """Log in the ``--as`` user (lockout and term end apply as in the app)."""
    from mediation.services import accounts

    username = args.as_user
    if not username:
        if required:
            raise UsageError(_("请用 --as 用户名 指定以哪个账户执行此操作。"))
        return None
    password = ask_password(args, _("{user} 的密码：").format(user=username),
                            from_stdin=bool(args.as_password_stdin),
                            what=_("--as 账户的密码"))
    actor = accounts.login(db, username, password)
    with db.read() as s:
        if accounts.password_change_required(s, actor):
            from mediation.errors import AuthError

            raise AuthError(_("{user} 的密码已由管理员重设：请先在调解台程序中登录并设置新密码。").format(
                user=username), "must_change")
    return actor
