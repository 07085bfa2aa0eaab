"""The data of a desk: demo data, search, import and export, backup and restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from mediation.cli import EXIT_FAILURE, EXIT_OK, UsageError, register
from mediation.cli.common import (
    actor_from_args,
    add_actor,
    ask_password,
    database_url,
    desk_from_arg,
    open_db,
    positive_int,
    system_actor,
)
from mediation.errors import StorageError
from mediation.i18n import N_, _

if TYPE_CHECKING:
    from mediation.permissions import Actor


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cases", type=positive_int, default=200, metavar="N", help=_("生成的案件数（默认 200）"))
    p.add_argument("--seed", type=int, metavar="S", help=_("随机种子（相同种子生成相同数据）"))
    p.add_argument("--into-practice", action="store_true",
                   help=_("重新生成正式数据库旁边的练习数据库（练习模式用），不碰正式数据"))


@register("demo", help=N_("生成演示数据（虚构的人和纠纷）：写入新数据库文件或练习数据库，从不写入正式台账"),
          arguments=_demo_args)
def _cmd_demo(args: argparse.Namespace) -> int:
    from mediation import practice

    if args.into_practice:
        path = practice.practice_path(database_url(args))
        summary = practice.reset(path, cases=args.cases, seed=args.seed)
        print(_("已重新生成练习数据库：{path}").format(path=path))
        cases, consultations, seconds = summary.cases, summary.consultations, summary.seconds
    else:
        with open_db(args, create=True) as db:
            with db.read() as s:
                practice.check_demo_target(s, practice_file=practice.practice_path(db.url))
            result = practice.fill(db, cases=args.cases, seed=args.seed)
            cases, consultations, seconds = result.cases, result.consultations, result.seconds
    print(_("已生成演示数据：{what}。").format(what=_("{n} 件案件").format(n=cases)))
    print(_("另有 {c} 条法律咨询；用时 {s:.1f} 秒。可试：mediation search 押金").format(c=consultations, s=seconds))
    print(practice.accounts_hint())
    return EXIT_OK


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", metavar=_("文字"), help=_("案件编号、当事人姓名、电话或纠纷事实中的文字"))
    p.add_argument("--limit", type=positive_int, default=50, metavar="N", help=_("最多显示几件（默认 50）"))
    add_actor(p, required_note=_("（可选；不给时查看所有调解点）"))


@register("search", help=N_("查找案件：显示编号、阶段、当事人和纠纷类别"), arguments=_search_args)
def _cmd_search(args: argparse.Namespace) -> int:
    from mediation import workflow
    from mediation.services import caselist

    with open_db(args) as db:
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


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar=_("文件"), type=Path,
                   help=_(".json（本程序导出的文件）或 .xlsx（登记台账），格式见 docs/import-format.md"))
    p.add_argument("--desk", metavar=_("调解点"),
                   help=_("台账中没有案件编号的行归入哪个调解点：编号或编号前缀（默认为执行者所在调解点）"))
    p.add_argument("--dry-run", action="store_true", help=_("只检查，不写入"))
    add_actor(p, required_note=_("；需要管理员（空数据库可省略）"))


class _DryRun(Exception):
    pass


@register("import", help=N_("导入 JSON 导出文件或 Excel 登记台账（全部成功才写入）"), arguments=_import_args)
def _cmd_import(args: argparse.Namespace) -> int:
    from mediation.services import accounts, transfer

    with open_db(args) as db:
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


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar=_("文件"), type=Path, help=_("写入的 JSON 文件"))
    p.add_argument("--without-passwords", action="store_true",
                   help=_("不导出密码哈希（导入后这些账户停用，需管理员重设密码）"))
    add_actor(p, required_note=_("；需要督导民警或管理员"))


@register("export", help=N_("导出为 JSON（可再导入，格式见 docs/import-format.md）"), arguments=_export_args)
def _cmd_export(args: argparse.Namespace) -> int:
    from mediation.services import transfer

    with open_db(args) as db:
        actor = actor_from_args(args, db)
        summary = transfer.export_database(db, actor, args.file, password_hashes=not args.without_passwords)
        print(_("已导出 {n} 件案件、{c} 条咨询记录、{u} 个账户到 {path}。").format(
            n=summary.cases, c=summary.consultations, u=summary.users, path=summary.path))
        print(_("注意：该文件含当事人的身份证号码和电话，请妥善保管。"))
        return EXIT_OK


def _backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar=_("路径"), type=Path, help=_("备份文件（或目录，自动命名）"))
    p.add_argument("--encrypt", action="store_true",
                   help=_("用本调解点的备份口令加密（AES-256-GCM；口令见恢复单，mediation keys passphrase 设置）"))
    add_actor(p, required_note=_("；需要管理员"))


@register("backup", help=N_("备份 SQLite 数据库（程序运行时也可安全备份；需要管理员，记入审计日志）"),
          arguments=_backup_args)
def _cmd_backup(args: argparse.Namespace) -> int:
    from mediation import keys
    from mediation.services import backup

    with open_db(args, upgrade=False) as db:
        if db.dialect != "sqlite":  # said before a password is asked for
            raise StorageError(backup.copy.pg_message())
        actor = actor_from_args(args, db)
        passphrase = None
        if args.encrypt:
            found = keys.load()
            passphrase = found.backup_passphrase if found is not None else ""
            if not passphrase:
                raise UsageError(_("尚未设置备份口令：请先运行 mediation keys passphrase --as 管理员。"))
        result = backup.backup(db, args.path, actor=actor, passphrase=passphrase)
        print(_("已备份到 {path}（{size} 字节{enc}），并已通过完整性检查。").format(
            path=result.path, size=result.size, enc=_("，已加密") if result.encrypted else ""))
        return EXIT_OK


def _restore_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar=_("路径"), type=Path, help=_("要恢复的备份文件（.sqlite3 或加密的 .mdbk）"))
    p.add_argument("--yes", action="store_true", help=_("不再确认"))
    p.add_argument("--accept-broken-audit", action="store_true",
                   help=_("备份中的审计日志校验未通过时仍然恢复（此事记入审计日志）"))
    p.add_argument("--passphrase-stdin", action="store_true",
                   help=_("从标准输入读取加密备份的口令（在 --as 账户的密码之后一行）"))
    add_actor(p, required_note=_("；需要管理员（当前数据库无法使用时，在备份中核对该账户）"))


def _login_current(args: argparse.Namespace, url: str) -> Actor | None:
    """The ``--as`` administrator, logged in against the current database; None when that
    database is missing or unusable (then the backup's own accounts are used)."""
    from sqlalchemy.exc import DBAPIError

    from mediation.db import Database, sqlite_path
    from mediation.services import accounts

    path = sqlite_path(url)
    if path is None or not path.exists():
        return None
    db = Database(url)
    try:
        with db.read() as s:
            if accounts.count_users(s) == 0:
                return None
        return actor_from_args(args, db)  # type: ignore[no-any-return]
    except (StorageError, DBAPIError):
        return None
    finally:
        db.dispose()


@register("restore", help=N_("用备份文件替换当前 SQLite 数据库（先全面检查备份，再自动另存当前数据库；需要管理员）"),
          arguments=_restore_args)
def _cmd_restore(args: argparse.Namespace) -> int:
    from mediation.permissions import require
    from mediation.services import backup
    from mediation.services.backup.files import file_kind

    url = database_url(args)
    revision = backup.check_backup_file(args.path)
    actor = _login_current(args, url)
    passphrase = None
    if file_kind(args.path) == "encrypted":
        passphrase = ask_password(args, _("备份口令："), from_stdin=args.passphrase_stdin, what=_("备份口令"))
    with backup.prepare(url, args.path, passphrase=passphrase) as candidate:
        if actor is None:
            restored_db = candidate.database()
            try:
                actor = actor_from_args(args, restored_db)
            finally:
                restored_db.dispose()
        assert actor is not None
        require(actor, "backup.run")
        for failure in candidate.audit_failures:
            print(_("警告：备份中的审计日志：{what}").format(what=failure), file=sys.stderr)
        if not args.yes and sys.stdin.isatty():
            answer = input(_("将用 {file}（数据库版本 {rev}）替换当前数据库，继续吗？[y/N] ").format(
                file=args.path, rev=revision))
            if answer.strip().lower() not in ("y", "yes", "是"):
                print(_("已取消。"))
                return EXIT_FAILURE
        result = candidate.commit(username=actor.username, accept_broken_audit=args.accept_broken_audit)
    print(_("已恢复：{db}").format(db=result.database))
    if result.safety_backup is not None:
        print(_("恢复前的数据库已另存为：{path}").format(path=result.safety_backup))
    else:
        print(_("恢复前没有数据库，未另存。"))
    if result.upgraded_to:
        print(_("备份来自旧版本（{a}），已升级到 {b}。").format(a=result.revision_restored, b=result.upgraded_to))
    if result.audit_override:
        print(_("注意：备份中的审计日志校验未通过，按 --accept-broken-audit 仍已恢复，此事已记入审计日志。"))
    return EXIT_OK
