"""``mediation init`` and ``mediation db``: create, upgrade and inspect the database."""

from __future__ import annotations

import argparse

from mediation.cli import EXIT_OK, UsageError, register, register_group
from mediation.cli.common import ask_password, open_db, shown_url
from mediation.errors import StorageError
from mediation.i18n import N_, _

register_group("db", N_("数据库版本：查看与升级"))


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
    with open_db(args, create=True) as db:
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
        from mediation import keys

        print(_("审计密钥已保存在 {path}（数据库之外）。请设置备份口令并打印恢复单锁好："
                "mediation keys passphrase --as {user}，mediation keys sheet -o 恢复单.pdf --as {user}").format(
            path=keys.key_file_path(), user=admin.username))
        return EXIT_OK


@register("db upgrade", help=N_("把数据库升级到本程序的版本（SQLite 升级前自动备份）"))
def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    from mediation import migrate
    from mediation.config import load_config

    with open_db(args, create=True, upgrade=False) as db:
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


@register("db current", help=N_("显示数据库版本和本程序的版本"))
def _cmd_db_current(args: argparse.Namespace) -> int:
    from mediation import migrate

    with open_db(args, upgrade=False) as db:
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


def _record_backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--at", metavar=_("时间"),
                   help=_("备份完成的时间，ISO 8601（如 2026-12-06T02:00:00+08:00；默认现在）"))
    p.add_argument("--note", default="", metavar=_("说明"), help=_("例如备份文件名或存放位置"))


@register("db record-backup", arguments=_record_backup_args,
          help=N_("PostgreSQL：登记服务器已完成一次备份（由数据库管理员在 pg_dump 之后运行），各调解点据此显示备份状态"))
def _cmd_db_record_backup(args: argparse.Namespace) -> int:
    import datetime as dt

    from mediation.services.backup import auto
    from mediation.timeutil import fmt_local, utcnow

    when = utcnow()
    if args.at:
        try:
            when = dt.datetime.fromisoformat(args.at)
        except ValueError:
            raise UsageError(_("时间应写成 ISO 8601，例如 2026-12-06T02:00:00+08:00。")) from None
    with open_db(args, upgrade=False) as db:
        if db.dialect != "postgresql":
            raise UsageError(_("SQLite 数据库由调解台自动备份（设置 → 备份），无需登记。"))
        with db.write() as s:
            auto.record_server_backup(s, None, at=when, note=args.note)
        print(_("已登记服务器备份：{when}。").format(when=fmt_local(when) if when.tzinfo else args.at))
        return EXIT_OK
