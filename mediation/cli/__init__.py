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

This module holds :func:`main`, the parser and the command registry; the commands
live one module per group (:mod:`.setup`, :mod:`.users`, :mod:`.data`, :mod:`.audit`,
:mod:`.documents`) and register themselves with :func:`register`; :mod:`.common` has
what they share (opening the database, logging a person in, asking for passwords).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from mediation import about
from mediation.cli import logs
from mediation.cli.logs import log_file, redact, setup_logging
from mediation.demo import helper
from mediation.errors import MediationError, ValidationError
from mediation.i18n import N_, _

log = logging.getLogger("mediation.cli")

Runner = Callable[[argparse.Namespace], int]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

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
_GROUPS: dict[tuple[str, ...], str] = {}


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
    chosen = _selected(argv) if argv is not None else None
    parser = _Parser(
        prog="mediation",
        description=_("警校联调中心 · 调解工作台 命令行。数据库：--db，否则环境变量 "
                      "MEDIATION_DATABASE_URL，否则配置文件 config.toml，否则用户数据目录中的 SQLite 文件。"),
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--db", metavar="URL",
                        help=_("数据库：SQLite 文件路径（如 demo.sqlite3），或地址，如 "
                               "sqlite:////路径/mediation.sqlite3、postgresql://用户@主机/库名"))
    parser.add_argument("--version", action=about.VersionAction)  # version, database, log, licences
    # Every command's namespace has these, whether or not its own arguments set them.
    parser.set_defaults(_command=None, _group_parser=None, as_user=None, as_password_stdin=False,
                        _stdin_lines=None)
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
            with contextlib.suppress(ValueError, OSError):  # pragma: no cover - closed or exotic streams
                reconfigure(errors="replace")
    words = list(argv) if argv is not None else sys.argv[1:]
    if words[:1] == [helper.COMMAND]:  # hidden: the demo's helper process, nothing else first
        return helper.main()
    logfile = setup_logging()
    try:
        parser = build_parser(words)
        try:
            args = parser.parse_args(words)
        except SystemExit as exc:  # --help, --version, or a usage error already printed
            return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
        command: Command | None = args._command
        if command is None:
            group = args._group_parser
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
        logs.flush()


# The command groups register their commands on import.
from mediation.cli import audit, data, desks, documents, keys, report, setup, users  # noqa: E402, F401
