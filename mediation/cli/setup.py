"""``mediation init`` and ``mediation db``: create, upgrade and inspect the database."""

from __future__ import annotations

import argparse

from mediation.cli import EXIT_OK, UsageError, register, register_group
from mediation.cli.common import actor_from_args, add_actor, ask_password, open_db, shown_url
from mediation.errors import StorageError
from mediation.i18n import N_, _

register_group("db", N_("数据库：版本、升级与搜索索引"))


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


def _reindex_args(p: argparse.ArgumentParser) -> None:
    add_actor(p, required_note=_("；需要管理员"))


@register("db reindex", help=N_("重建搜索索引、各阶段案件数和统计汇总（数据由触发器维护，通常不需要；导入、修复或修改节假日后可用）"),
          arguments=_reindex_args)
def _cmd_db_reindex(args: argparse.Namespace) -> int:
    from mediation.permissions import require
    from mediation.services import audit, search_index
    from mediation.statistics import summary

    with open_db(args) as db:
        actor = actor_from_args(args, db)
        require(actor, "settings.manage")
        with db.write() as s:
            result = search_index.reindex(s.connection())
            figures = summary.rebuild(s)
            audit.append(s, desk_id=None, user_id=actor.user_id, action="db.reindex", entity="database",
                         after={"case_grams": result.case_grams, "consultation_grams": result.consultation_grams,
                                "walk_grams": result.walk_grams, "statistics_cases": figures.cases,
                                "statistics_rows": figures.summary_rows})
        search_index.after_bulk_load(db)
        print(_("已重建搜索索引：{c} 条案件短词、{q} 条咨询短词，用时 {s:.1f} 秒。").format(
            c=result.case_grams, q=result.consultation_grams, s=result.seconds))
        print(_("已重建统计汇总：{n} 件案件、{r} 行月度汇总，用时 {s:.1f} 秒。").format(
            n=figures.cases, r=figures.summary_rows, s=figures.seconds))
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


def _grant_desk_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("desk", nargs="?", metavar=_("调解点"), help=_("调解点编号或编号前缀（--roll-up 时不给）"))
    p.add_argument("--role", required=True, metavar=_("角色名"),
                   help=_("这个调解点的电脑连接数据库用的 PostgreSQL 角色（没有则创建）"))
    p.add_argument("--roll-up", action="store_true",
                   help=_("汇总角色（司法所、分局）：可查看所有调解点，不能修改"))
    p.add_argument("--password-stdin", action="store_true", help=_("从标准输入读取该角色的密码"))
    p.add_argument("--no-password", action="store_true",
                   help=_("不设密码（角色用证书或其他方式登录；已有角色保留原密码）"))


@register("db grant-desk", help=N_("为调解点创建或授权数据库角色，并启用行级安全（PostgreSQL，由数据库所有者运行）"),
          arguments=_grant_desk_args,
          description=N_("共享的 PostgreSQL 数据库中，每个调解点的电脑用自己的数据库角色连接，行级安全保证它只能读写"
                         "本调解点的数据（即使直接用 SQL 客户端）。本命令须用数据库所有者的账号运行；调解点的电脑不需要"
                         "创建角色的权限。"))
def _cmd_db_grant_desk(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from mediation import rls
    from mediation.cli.common import desk_from_arg
    from mediation.errors import PermissionDenied
    from mediation.services import audit

    if args.roll_up == (args.desk is not None):
        raise UsageError(_("请给出调解点，或用 --roll-up 创建汇总角色（二者选一）。"))
    with open_db(args) as db:
        if db.dialect != "postgresql":
            raise UsageError(_("数据库角色和行级安全只用于共享的 PostgreSQL 数据库。"))
        desk_id = desk_from_arg(db, args.desk) if args.desk is not None else None
        rls.check_role_name(args.role)
        password = None
        if not args.no_password:
            password = ask_password(args, _("为数据库角色 {role} 设置密码：").format(role=args.role),
                                    from_stdin=args.password_stdin, confirm=True, what=_("角色的密码"))
        with db.write() as s:  # the role, its grants and the audit row: one transaction
            conn = s.connection()
            if not rls.is_owner(conn) or rls.connection_desk(conn) is not None:
                raise PermissionDenied(_("请用数据库所有者的账号运行此命令（调解点的角色不能授权）。"))
            created = rls.grant_desk(conn, args.role, desk_id=desk_id, rollup=args.roll_up, password=password)
            audit.append(s, user_id=None, action="desk.grant_role", entity="desk", entity_id=desk_id,
                         desk_id=desk_id,
                         after={"role": args.role, "roll_up": args.roll_up, "created": created})
        url = make_url(db.url).set(username=args.role, password="密码" if password else None)
        what = _("所有调解点（只读）") if args.roll_up else _("调解点 {d}").format(d=args.desk)
        print((_("已创建数据库角色 {role}，") if created else _("数据库角色 {role} 已存在，")).format(role=args.role)
              + _("授权使用{what}，行级安全已启用。").format(what=what))
        print(_("该电脑的数据库地址：{url}").format(url=url.render_as_string(hide_password=False)))
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
