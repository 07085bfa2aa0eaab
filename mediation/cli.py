"""The ``mediation`` command line: a thin front end over the same services as the app.

Every command has ``--help``. Errors print one clear line on stderr (a list of
per-record lines follows only for an import that failed validation) and exit with
1; wrong usage exits with 2; nothing ever prints a traceback: unexpected failures
print one line naming the log file, and the traceback goes only into that log
(``mediation.config.log_dir()``), with ID numbers and phone numbers masked.

Commands that act on behalf of a person take ``--as USERNAME``; the password is
asked for (no echo), or read from the first line of standard input with
``--as-password-stdin``. When a command also needs a new password (``init``,
``user add``) and both come from standard input, the acting user's password is
the first line and the new password the second.

Other modules add commands with :func:`register` (the documents engineer's
``render``/``verify`` live in ``mediation/documents/cli.py``, loaded if present).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import importlib
import importlib.util
import inspect
import logging
import logging.handlers
import os
import re
import sys
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from mediation import about
from mediation.errors import MediationError, StorageError, ValidationError
from mediation.i18n import N_, _

log = logging.getLogger("mediation.cli")

Runner = Callable[[argparse.Namespace], int]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

# Modules that register more commands when they exist (import errors inside them
# are real bugs and are not hidden).
EXTENSION_MODULES: tuple[str, ...] = ("mediation.documents.cli",)


class UsageError(Exception):
    """Wrong use of the command line (exit 2)."""


# ---------------------------------------------------------------- command registry


@dataclass(frozen=True)
class Command:
    path: tuple[str, ...]
    """("db", "upgrade") for ``mediation db upgrade``."""
    help: str
    run: Runner
    arguments: Callable[[argparse.ArgumentParser], None] | None = None
    description: str = ""


_COMMANDS: dict[tuple[str, ...], Command] = {}
_GROUPS: dict[tuple[str, ...], str] = {
    ("db",): N_("数据库版本：查看与升级"),
    ("user",): N_("账户管理"),
    ("audit",): N_("审计日志"),
}


def register(name: str, *, help: str, arguments: Callable[[argparse.ArgumentParser], None] | None = None,
             description: str = "") -> Callable[[Runner], Runner]:
    """Add a command: ``@register("verify", help=N_("…"), arguments=fn)`` over ``def run(args) -> int``.

    ``name`` may have two words (``"db upgrade"``); the group is created on first
    use. ``help`` is an untranslated source string (``N_``). The runner gets the
    parsed arguments (``args.db`` is the ``--db`` value or None; use
    :func:`open_db` and :func:`actor_from_args`) and returns the exit code; it
    raises MediationError for expected failures.
    """
    path = tuple(name.split())

    def deco(fn: Runner) -> Runner:
        if path in _COMMANDS:
            raise ValueError(f"command {name!r} registered twice")
        _COMMANDS[path] = Command(path, help, fn, arguments, description)
        return fn

    return deco


def register_group(name: str, help: str) -> None:
    _GROUPS[(name,)] = help


def commands() -> dict[tuple[str, ...], Command]:
    return dict(_COMMANDS)


# ---------------------------------------------------------------- argparse in Chinese, one line


_ARGPARSE_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"the following arguments are required: (.*)"), N_("缺少参数：{0}")),
    (re.compile(r"unrecognized arguments: (.*)"), N_("无法识别的参数：{0}")),
    (re.compile(r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.*)\)"),
     N_("参数 {0} 的取值“{1}”无效，可选：{2}")),
    (re.compile(r"argument (\S+): invalid int value: '(.*)'"), N_("参数 {0} 应为整数，而不是“{1}”")),
    (re.compile(r"argument (\S+): expected one argument"), N_("参数 {0} 后面缺少取值")),
    (re.compile(r"argument (\S+): (.*)"), N_("参数 {0}：{1}")),
]


def _argparse_message(message: str) -> str:
    for pattern, template in _ARGPARSE_MESSAGES:
        m = pattern.fullmatch(message.strip())
        if m:
            return _(template).format(*m.groups())
    return message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, _("{prog}：{message}（用 --help 查看用法）").format(
            prog=self.prog, message=_argparse_message(message)) + "\n")


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("应为正整数，而不是“{t}”").format(t=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("应为正整数，而不是“{t}”").format(t=text))
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("日期应写成 YYYY-MM-DD，例如 2026-07-15")) from None


def _add_actor(p: argparse.ArgumentParser, *, required_note: str = "") -> None:
    p.add_argument("--as", dest="as_user", metavar=_("用户名"),
                   help=_("以该账户身份执行（会询问其密码）") + required_note)
    p.add_argument("--as-password-stdin", "--admin-password-stdin", dest="as_password_stdin",
                   action="store_true", help=_("从标准输入的第一行读取 --as 账户的密码"))


def _selected(argv: Sequence[str]) -> tuple[str, ...]:
    """The command path named in ``argv`` (skipping the global options), e.g. ("db", "upgrade")."""
    words: list[str] = []
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token == "--db":
            skip = True
            continue
        if token.startswith("-"):
            continue
        words.append(token)
        if len(words) == 2:
            break
    return tuple(words)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The full parser; with ``argv`` only the named command's arguments are set up.

    (Setting up a command's arguments may import heavy modules, e.g. the document
    forms for ``render --help``; other commands should not pay for that.)
    """
    _load_extensions()
    chosen = _selected(argv) if argv is not None else None
    parser = _Parser(
        prog="mediation",
        description=_("警校联调中心 · 调解工作台 命令行。数据库：--db，否则环境变量 "
                      "MEDIATION_DATABASE_URL，否则配置文件 config.toml，否则用户数据目录中的 SQLite 文件。"),
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--db", metavar="URL",
                        help=_("数据库地址，如 sqlite:////路径/mediation.sqlite3 或 postgresql://用户@主机/库名"))
    parser.add_argument("--version", action=about.VersionAction)  # version, database, log, licences
    top = parser.add_subparsers(dest="command", metavar=_("命令"), parser_class=_Parser)
    groups: dict[tuple[str, ...], Any] = {}
    for path in sorted(_COMMANDS, key=lambda p: (p[0], len(p), p)):
        cmd = _COMMANDS[path]
        holder = top
        if len(path) == 2:
            group = path[:1]
            if group not in groups:
                gp = top.add_parser(path[0], help=_(_GROUPS.get(group, path[0])),
                                    description=_(_GROUPS.get(group, path[0])),
                                    formatter_class=_HelpFormatter)
                gp.set_defaults(_group_parser=gp)
                groups[group] = gp.add_subparsers(dest="subcommand", metavar=_("子命令"),
                                                  parser_class=_Parser)
            holder = groups[group]
        sub = holder.add_parser(path[-1], help=_(cmd.help),
                                description=_(cmd.description) if cmd.description else _(cmd.help),
                                formatter_class=_HelpFormatter)
        if cmd.arguments is not None and (chosen is None or chosen[:len(path)] == path):
            cmd.arguments(sub)
        sub.set_defaults(_command=cmd)
    return parser


def _load_extensions() -> None:
    for name in EXTENSION_MODULES:
        if name in sys.modules:
            continue
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if found:
            importlib.import_module(name)


# ---------------------------------------------------------------- logging


_log_handler: logging.Handler | None = None
_ID_RE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_LANDLINE_RE = re.compile(r"(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])")
_SQL_PARAMS_RE = re.compile(r"\[parameters: .*?(?=\n\(Background on this error|\Z)", re.S)


def redact(text: str) -> str:
    """Mask what looks like an ID or phone number; drop SQL parameters entirely."""
    from mediation.validation import mask_id_number, mask_phone

    text = _SQL_PARAMS_RE.sub("[parameters: <redacted>]", text)
    text = _ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), text)
    return _LANDLINE_RE.sub(lambda m: mask_phone(m.group(0)), text)


class RedactingFormatter(logging.Formatter):
    """Personal data never reaches the log file, even inside exception messages."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_file() -> Path:
    from mediation.config import log_dir

    return log_dir() / "mediation.log"


def setup_logging() -> Path | None:
    """Log to a rotating file in the data directory; returns its path (None if impossible)."""
    global _log_handler
    path = log_file()
    if _log_handler is not None:
        if getattr(_log_handler, "baseFilename", None) == str(path.absolute()):
            return path
        logging.getLogger().removeHandler(_log_handler)
        _log_handler.close()
        _log_handler = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5,
                                                       encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    # Alembic announces each of its plugins at INFO on every start: not worth a log line.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    _log_handler = handler
    return path


# ---------------------------------------------------------------- helpers for commands


def database_url(args: argparse.Namespace) -> str:
    """``--db``, else MEDIATION_DATABASE_URL, else the config file, else the SQLite default."""
    from mediation.config import config_path, load_config

    if getattr(args, "db", None):
        return str(args.db)
    try:
        return load_config().resolved_database_url()
    except tomllib.TOMLDecodeError as exc:
        raise StorageError(_("配置文件有误（{path}）：{detail}").format(path=config_path(), detail=exc)) from None


def shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for display
        return "?"


def open_db(args: argparse.Namespace, *, create: bool = False, upgrade: bool = True) -> Any:
    """Open the configured database; upgrade it (after a backup) like the app does at start.

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
    db = Database(url)
    try:
        if not create and path is None and not migrate.has_tables(db.engine):
            raise StorageError(_("数据库 {url} 尚未初始化，请先运行 mediation init。").format(url=shown_url(url)))
        if upgrade:
            backup = load_config().backup_on_upgrade
            written = migrate.upgrade(db.engine, backup=backup)
            if written is not None:
                print(_("数据库已升级到最新版本，升级前的备份：{path}").format(path=written), file=sys.stderr)
    except BaseException:
        db.dispose()
        raise
    return db


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
    reader = getattr(args, "_stdin_lines", None)
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


def system_actor() -> Any:
    """A read-only view over every desk, for commands run by whoever holds the database.

    Only ever used for reading (search); anything that writes authenticates a person.
    """
    from mediation.permissions import ADMIN, Actor

    return Actor(user_id=0, username="system", display_name=_("系统"), role=ADMIN, desk_id=None,
                 all_desks=True)


def actor_from_args(args: argparse.Namespace, db: Any, *, required: bool = True) -> Any:
    """Log in the ``--as`` user (lockout and term end apply as in the app)."""
    from mediation.services import accounts

    username = getattr(args, "as_user", None)
    if not username:
        if required:
            raise UsageError(_("请用 --as 用户名 指定以哪个账户执行此操作。"))
        return None
    password = ask_password(args, _("{user} 的密码：").format(user=username),
                            from_stdin=bool(getattr(args, "as_password_stdin", False)),
                            what=_("--as 账户的密码"))
    return accounts.login(db, username, password)


# ---------------------------------------------------------------- commands


def _init_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--desk-name", help=_("调解点名称，如“某某大学警校联调中心”"))
    p.add_argument("--prefix", help=_("案件编号前缀，如“X警校调字”，编号即（2026）X警校调字第001号"))
    p.add_argument("--committee-name", default="", help=_("人民调解委员会名称（默认同调解点名称）"))
    p.add_argument("--admin", metavar=_("用户名"), help=_("第一个管理员账户的用户名"))
    p.add_argument("--admin-display-name", metavar=_("姓名"), help=_("管理员姓名（默认同用户名）"))
    p.add_argument("--password-stdin", action="store_true", help=_("从标准输入读取管理员密码"))


@register("init", help=N_("创建或升级数据库；给出 --desk-name、--prefix、--admin 时同时创建调解点和管理员"),
          arguments=_init_args)
def _cmd_init(args: argparse.Namespace) -> int:
    from mediation.services import setup

    wanted = [args.desk_name, args.prefix, args.admin]
    if any(wanted) and not all(wanted):
        raise UsageError(_("创建调解点需要同时给出 --desk-name、--prefix 和 --admin。"))
    db = open_db(args, create=True)
    try:
        print(_("数据库已就绪：{url}").format(url=shown_url(db.url)))
        if not all(wanted):
            with db.read() as s:
                done = setup.is_initialised(s)
            if done:
                print(_("系统已初始化。"))
            else:
                print(_("尚未创建管理员。请运行：mediation init --desk-name 名称 --prefix 编号前缀 --admin 用户名"))
            return EXIT_OK
        password = ask_password(args, _("为管理员 {user} 设置密码：").format(user=args.admin),
                                from_stdin=args.password_stdin, confirm=True, what=_("管理员密码"))
        with db.write() as s:
            admin = setup.initialise(
                s, desk_name=args.desk_name, number_prefix=args.prefix, admin_username=args.admin,
                admin_display_name=args.admin_display_name or args.admin, admin_password=password,
                committee_name=args.committee_name)
        print(_("已创建调解点“{desk}”和管理员账户 {user}。").format(desk=args.desk_name, user=admin.username))
        return EXIT_OK
    finally:
        db.dispose()


@register("db upgrade", help=N_("把数据库升级到本程序的版本（SQLite 升级前自动备份）"))
def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    from mediation import migrate
    from mediation.config import load_config

    db = open_db(args, create=True, upgrade=False)
    try:
        before = migrate.current_revision(db.engine)
        written = migrate.upgrade(db.engine, backup=load_config().backup_on_upgrade)
        after = migrate.current_revision(db.engine)
        if before == after:
            print(_("数据库已是最新版本（{rev}）。").format(rev=after))
        else:
            print(_("数据库已从 {a} 升级到 {b}。").format(a=before or _("空"), b=after))
            if written is not None:
                print(_("升级前的备份：{path}").format(path=written))
        return EXIT_OK
    finally:
        db.dispose()


@register("db current", help=N_("显示数据库版本和本程序的版本"))
def _cmd_db_current(args: argparse.Namespace) -> int:
    from mediation import migrate

    db = open_db(args, upgrade=False)
    try:
        current = migrate.current_revision(db.engine)
        head = migrate.head_revision()
        print(_("数据库：{url}").format(url=shown_url(db.url)))
        if current == head:
            print(_("数据库版本：{rev}（最新）").format(rev=current))
        elif current is not None and current not in migrate.known_revisions():
            raise StorageError(_("数据库版本（{rev}）比本程序新，请先升级程序。").format(rev=current))
        else:
            print(_("数据库版本：{rev}；本程序版本：{head}。请运行 mediation db upgrade。").format(
                rev=current or _("空"), head=head))
        return EXIT_OK
    finally:
        db.dispose()


def _user_add_args(p: argparse.ArgumentParser) -> None:
    from mediation.permissions import ROLES

    p.add_argument("name", metavar=_("用户名"), help=_("登录用的用户名（个人账户，不用共用账户）"))
    p.add_argument("--role", required=True, choices=sorted(ROLES),
                   help=_("角色：volunteer 值班学生、officer 督导民警、adviser 指导老师、admin 管理员"))
    p.add_argument("--display-name", metavar=_("姓名"), help=_("显示的姓名（默认同用户名）"))
    p.add_argument("--desk", metavar=_("调解点"), help=_("所属调解点：编号或编号前缀（默认同执行操作的管理员）"))
    p.add_argument("--valid-until", type=_date, metavar="YYYY-MM-DD",
                   help=_("账户最后可用的日期（志愿者按值班学期）"))
    p.add_argument("--all-desks", action="store_true", help=_("可查看所有调解点的案件"))
    p.add_argument("--password-stdin", action="store_true",
                   help=_("从标准输入读取新账户的密码（若同时用 --as-password-stdin，则为第二行）"))
    _add_actor(p, required_note=_("；需要管理员"))


@register("user add", help=N_("创建账户（需以管理员身份：--as 管理员用户名）"), arguments=_user_add_args)
def _cmd_user_add(args: argparse.Namespace) -> int:
    from mediation.services import accounts

    db = open_db(args)
    try:
        with db.read() as s:
            first = accounts.count_users(s) == 0
        actor = None if first and not args.as_user else actor_from_args(args, db)
        password = ask_password(args, _("为 {user} 设置密码：").format(user=args.name),
                                from_stdin=args.password_stdin, confirm=True, what=_("新账户的密码"))
        desk_id = desk_from_arg(db, args.desk) if args.desk is not None else (actor.desk_id if actor else None)
        with db.write() as s:
            user_id = accounts.create_user(
                s, actor, username=args.name, display_name=args.display_name or args.name,
                role=args.role, password=password, desk_id=desk_id, valid_until=args.valid_until,
                all_desks=args.all_desks)
        print(_("已创建账户 {user}（编号 {id}，角色 {role}）。").format(
            user=args.name, id=user_id, role=_role_label(args.role)))
        return EXIT_OK
    finally:
        db.dispose()


def _user_passwd_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar=_("用户名"), help=_("要重设密码的账户"))
    p.add_argument("--activate", action="store_true", help=_("同时重新启用已停用的账户"))
    p.add_argument("--password-stdin", action="store_true",
                   help=_("从标准输入读取新密码（若同时用 --as-password-stdin，则为第二行）"))
    _add_actor(p, required_note=_("；需要管理员"))


@register("user passwd", help=N_("为忘记密码的用户重设密码，并解除锁定（需以管理员身份：--as 管理员用户名）"),
          arguments=_user_passwd_args)
def _cmd_user_passwd(args: argparse.Namespace) -> int:
    from mediation.errors import NotFound
    from mediation.services import accounts

    db = open_db(args)
    try:
        actor = actor_from_args(args, db)
        with db.read() as s:
            found = [u for u in accounts.list_users(s, actor) if u.username == args.name.strip()]
        if not found:
            raise NotFound(_("没有名为 {user} 的账户。").format(user=args.name))
        password = ask_password(args, _("为 {user} 设置新密码：").format(user=args.name),
                                from_stdin=args.password_stdin, confirm=True, what=_("新密码"))
        with db.write() as s:
            accounts.reset_password(s, actor, found[0].id, password, activate=args.activate)
        print(_("已为 {user} 重设密码。").format(user=args.name))
        return EXIT_OK
    finally:
        db.dispose()


def _role_label(role: str) -> str:
    from mediation.permissions import role_label

    return role_label(role)


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cases", type=_positive_int, default=200, metavar="N", help=_("生成的案件数（默认 200）"))
    p.add_argument("--seed", type=int, metavar="S", help=_("随机种子（相同种子生成相同数据）"))


@register("demo", help=N_("生成演示数据（虚构的人和纠纷），数据库不存在时先创建"), arguments=_demo_args)
def _cmd_demo(args: argparse.Namespace) -> int:
    try:
        from mediation.services import demo
    except ImportError:
        raise StorageError(_("本版本不包含演示数据生成器。")) from None
    db = open_db(args, create=True)
    try:
        result = call_generate(demo.generate, db, cases=args.cases, seed=args.seed)
        print(_("已生成演示数据：{what}。").format(what=_describe(result, args.cases)))
        consultations = getattr(result, "consultations", None)
        seconds = getattr(result, "seconds", None)
        if isinstance(consultations, int) and isinstance(seconds, (int, float)):
            print(_("另有 {c} 条法律咨询；用时 {s:.1f} 秒。可试：mediation search 押金").format(
                c=consultations, s=seconds))
        return EXIT_OK
    finally:
        db.dispose()


def call_generate(generate: Callable[..., Any], db: Any, *, cases: int, seed: int | None) -> Any:
    """Call the demo generator with the database, or with a write session if it wants one."""
    params = list(inspect.signature(generate).parameters)
    if params and params[0] in ("session", "s"):
        with db.write() as session:
            return generate(session, cases=cases, seed=seed)
    return generate(db, cases=cases, seed=seed)


def _describe(result: Any, cases: int) -> str:
    n = result if isinstance(result, int) and not isinstance(result, bool) else getattr(result, "cases", None)
    if isinstance(n, int):
        return _("{n} 件案件").format(n=n)
    if isinstance(n, (list, tuple)):
        return _("{n} 件案件").format(n=len(n))
    return _("{n} 件案件").format(n=cases)


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", metavar=_("文字"), help=_("案件编号、当事人姓名、电话或纠纷事实中的文字"))
    p.add_argument("--limit", type=_positive_int, default=50, metavar="N", help=_("最多显示几件（默认 50）"))
    _add_actor(p, required_note=_("（可选；不给时查看所有调解点）"))


@register("search", help=N_("查找案件：显示编号、阶段、当事人和纠纷类别"), arguments=_search_args)
def _cmd_search(args: argparse.Namespace) -> int:
    from mediation import workflow
    from mediation.services import caselist

    db = open_db(args)
    try:
        actor = actor_from_args(args, db, required=False) or system_actor()
        with db.read() as s:
            rows = caselist.search(s, actor, args.text, limit=args.limit)
        if not rows:
            print(_("没有找到匹配的案件。"))
            return EXIT_OK
        for r in rows:
            category = r.category + (f"/{r.subcategory}" if r.subcategory else "")
            print("\t".join([r.number or _("（未受理）"), workflow.stage_label(r.stage), r.parties,
                             category]))
        return EXIT_OK
    finally:
        db.dispose()


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar=_("文件"), type=Path,
                   help=_(".json（本程序导出的文件）或 .xlsx（登记台账），格式见 docs/import-format.md"))
    p.add_argument("--desk", metavar=_("调解点"),
                   help=_("台账中没有案件编号的行归入哪个调解点：编号或编号前缀（默认为执行者所在调解点）"))
    p.add_argument("--dry-run", action="store_true", help=_("只检查，不写入"))
    _add_actor(p, required_note=_("；需要管理员（空数据库可省略）"))


class _DryRun(Exception):
    pass


@register("import", help=N_("导入 JSON 导出文件或 Excel 登记台账（全部成功才写入）"), arguments=_import_args)
def _cmd_import(args: argparse.Namespace) -> int:
    from mediation.services import accounts, transfer

    db = open_db(args)
    try:
        with db.read() as s:
            empty = accounts.count_users(s) == 0
        actor = actor_from_args(args, db, required=not empty)
        summary = None
        try:
            with db.write() as s:
                summary = transfer.import_(s, actor, args.file,
                                           desk_id=desk_from_arg(db, args.desk) if args.desk else None)
                if args.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        assert summary is not None
        if args.dry_run:
            print(_("检查通过（未写入）：可导入 {n} 件案件，{k} 件重复将跳过。").format(
                n=summary.cases_imported, k=len(summary.cases_skipped)))
            return EXIT_OK
        print(_("已导入 {n} 件案件、{c} 条咨询记录。").format(
            n=summary.cases_imported, c=summary.consultations_imported))
        if summary.users_created or summary.desks_created:
            print(_("新建调解点 {d} 个、账户 {u} 个。").format(d=summary.desks_created, u=summary.users_created))
        if summary.cases_skipped:
            print(_("跳过 {k} 件已存在的案件：{list}").format(
                k=len(summary.cases_skipped), list="；".join(summary.cases_skipped[:20])
                + ("…" if len(summary.cases_skipped) > 20 else "")))
        return EXIT_OK
    finally:
        db.dispose()


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar=_("文件"), type=Path, help=_("写入的 JSON 文件"))
    p.add_argument("--without-passwords", action="store_true",
                   help=_("不导出密码哈希（导入后这些账户停用，需管理员重设密码）"))
    _add_actor(p, required_note=_("；需要督导民警或管理员"))


@register("export", help=N_("导出为 JSON（可再导入，格式见 docs/import-format.md）"), arguments=_export_args)
def _cmd_export(args: argparse.Namespace) -> int:
    from mediation.services import transfer

    db = open_db(args)
    try:
        actor = actor_from_args(args, db)
        summary = transfer.export_database(db, actor, args.file, password_hashes=not args.without_passwords)
        print(_("已导出 {n} 件案件、{c} 条咨询记录、{u} 个账户到 {path}。").format(
            n=summary.cases, c=summary.consultations, u=summary.users, path=summary.path))
        print(_("注意：该文件含当事人的身份证号码和电话，请妥善保管。"))
        return EXIT_OK
    finally:
        db.dispose()


def _backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar=_("路径"), type=Path, help=_("备份文件（或目录，自动命名）"))


@register("backup", help=N_("备份 SQLite 数据库（程序运行时也可安全备份）"), arguments=_backup_args)
def _cmd_backup(args: argparse.Namespace) -> int:
    from mediation.services import backup

    db = open_db(args, upgrade=False)
    try:
        result = backup.backup(db, args.path)
        print(_("已备份到 {path}（{size} 字节）。").format(path=result.path, size=result.size))
        return EXIT_OK
    finally:
        db.dispose()


def _restore_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar=_("路径"), type=Path, help=_("要恢复的备份文件"))
    p.add_argument("--yes", action="store_true", help=_("不再确认"))


@register("restore", help=N_("用备份文件替换当前 SQLite 数据库（先自动备份当前数据库）"), arguments=_restore_args)
def _cmd_restore(args: argparse.Namespace) -> int:
    from mediation.services import backup

    url = database_url(args)
    revision = backup.check_backup_file(args.path)
    if not args.yes and sys.stdin.isatty():
        answer = input(_("将用 {file}（数据库版本 {rev}）替换当前数据库，继续吗？[y/N] ").format(
            file=args.path, rev=revision))
        if answer.strip().lower() not in ("y", "yes", "是"):
            print(_("已取消。"))
            return EXIT_FAILURE
    result = backup.restore(url, args.path)
    print(_("已恢复：{db}").format(db=result.database))
    if result.safety_backup is not None:
        print(_("恢复前的数据库已另存为：{path}").format(path=result.safety_backup))
    if result.upgraded_to:
        print(_("备份来自旧版本（{a}），已升级到 {b}。").format(a=result.revision_restored, b=result.upgraded_to))
    return EXIT_OK


_AUDIT_REASONS = {
    "link to previous row broken": N_("与上一条记录的链接断开（可能被删除或插入）"),
    "row content does not match its hash": N_("内容与其哈希不符（可能被修改）"),
    "rows at the end were removed": N_("末尾的记录被删除"),
}


@register("audit verify", help=N_("校验审计日志的哈希链；有记录被改动或删除时退出码为 1"))
def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from mediation.services import audit

    db = open_db(args)
    try:
        with db.read() as s:
            result = audit.verify(s)
        if result.ok:
            print(_("审计日志完整：共 {n} 条记录，哈希链校验通过。").format(n=result.checked))
            return EXIT_OK
        reason = result.reason
        if reason.startswith("row ") and "missing" in reason:
            text = _("该条记录缺失（可能被删除）")
        else:
            text = _(_AUDIT_REASONS.get(reason, reason))
        print(_("审计日志校验失败：第 {id} 条记录{reason}。此前 {n} 条完好。").format(
            id=result.first_bad_id, reason=text, n=result.checked), file=sys.stderr)
        return EXIT_FAILURE
    finally:
        db.dispose()


# ---------------------------------------------------------------- main


_FIELD_LABELS = {
    "password": N_("密码"), "new_password": N_("新密码"), "username": N_("用户名"),
    "display_name": N_("姓名"), "role": N_("角色"), "desk_id": N_("调解点"), "desk_name": N_("调解点名称"),
    "number_prefix": N_("编号前缀"), "committee_name": N_("调解委员会名称"), "file": N_("文件"),
    "format": N_("文件"), "version": N_("文件"), "setup": N_("初始化"), "actor": N_("执行者"),
}


def _print_error(exc: MediationError) -> None:
    if isinstance(exc, ValidationError):
        items = list(exc.errors.items())
        if len(items) == 1:
            key, message = items[0]
            print(_("错误：{field}：{message}").format(field=_(_FIELD_LABELS.get(key, key)), message=message),
                  file=sys.stderr)
            return
        print(_("错误：共 {n} 处问题，未写入任何数据：").format(n=len(items)), file=sys.stderr)
        for key, message in items[:50]:
            print(f"  {_(_FIELD_LABELS.get(key, key))}：{message}", file=sys.stderr)
        if len(items) > 50:
            print(_("  …另有 {n} 处").format(n=len(items) - 50), file=sys.stderr)
        return
    print(_("错误：{message}").format(message=exc.message), file=sys.stderr)


def _one_line(text: str, limit: int = 300) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return redact(first[:limit])


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (0 ok, 1 failure, 2 usage)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # pragma: no cover - closed or exotic streams
                pass
    logfile = setup_logging()
    try:
        words = list(argv) if argv is not None else sys.argv[1:]
        parser = build_parser(words)
        try:
            args = parser.parse_args(words)
        except SystemExit as exc:  # --help, --version, or a usage error already printed
            return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
        command: Command | None = getattr(args, "_command", None)
        if command is None:
            group = getattr(args, "_group_parser", None)
            print(_("{prog}：缺少命令（用 --help 查看所有命令）").format(
                prog=(group or parser).prog), file=sys.stderr)
            return EXIT_USAGE
        log.info("command: %s", " ".join(command.path))
        return command.run(args)
    except UsageError as exc:
        print(_("用法错误：{message}").format(message=exc), file=sys.stderr)
        return EXIT_USAGE
    except MediationError as exc:
        log.info("command failed: %s: %s", type(exc).__name__, exc.message)
        _print_error(exc)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(_("已取消。"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `mediation search … | head`: the reader left; say nothing (as other Unix tools).
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
            pass
        return EXIT_FAILURE
    except (OSError, ValueError) as exc:
        log.warning("command failed: %s", exc, exc_info=True)
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        name = getattr(exc, "filename", None)
        text = f"{detail}：{name}" if name else detail
        print(_("错误：{message}").format(message=_one_line(text)), file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):
            log.warning("database error", exc_info=True)
            print(_("错误：数据库出错或无法连接（{kind}）：{detail}").format(
                kind=type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__,
                detail=_one_line(str(exc.orig) if exc.orig is not None else "", 200)), file=sys.stderr)
            return EXIT_FAILURE
        log.exception("unexpected error")
        where = logfile or log_file()
        print(_("程序内部错误（{kind}），详细信息已写入日志：{path}").format(
            kind=type(exc).__name__, path=where), file=sys.stderr)
        return EXIT_FAILURE
    finally:
        if _log_handler is not None:
            _log_handler.flush()
