"""``mediation desk``: the desks sharing one database (add, list, rename)."""

from __future__ import annotations

import argparse

from mediation.cli import EXIT_OK, UsageError, register, register_group
from mediation.cli.common import actor_from_args, add_actor, ask_password, desk_from_arg, open_db
from mediation.i18n import N_, _

register_group("desk", N_("调解点：添加、列出、改名（多个调解点共用一个数据库）"))


@register("desk list", help=N_("列出数据库中的调解点（编号、编号前缀、名称、调解委员会）"))
def _cmd_desk_list(args: argparse.Namespace) -> int:
    from mediation.services import desks

    with open_db(args) as db:
        with db.read() as s:
            rows = desks.list_desks(s)
        if not rows:
            print(_("数据库中还没有调解点。"))
        for d in rows:
            print("\t".join([str(d.id), d.number_prefix, d.name, d.committee_name]))
        return EXIT_OK


def _desk_add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar=_("名称"), help=_("调解点名称，如“某某大学警校联调中心”"))
    p.add_argument("--prefix", required=True, help=_("案件编号前缀，如“Y警校调字”（各调解点不同）"))
    p.add_argument("--committee-name", default="", help=_("人民调解委员会名称（默认同调解点名称）"))
    p.add_argument("--admin", metavar=_("用户名"), help=_("同时创建该调解点的管理员账户"))
    p.add_argument("--admin-display-name", metavar=_("姓名"), help=_("管理员姓名（默认同用户名）"))
    p.add_argument("--password-stdin", action="store_true",
                   help=_("从标准输入读取新管理员的密码（若同时用 --as-password-stdin，则为第二行）"))
    add_actor(p, required_note=_("；全局管理员。不给时须用数据库所有者的账号连接数据库"))


@register("desk add", help=N_("添加调解点（全局管理员 --as，或用数据库所有者的账号）"), arguments=_desk_add_args)
def _cmd_desk_add(args: argparse.Namespace) -> int:
    from mediation.services import desks

    with open_db(args) as db:
        actor = actor_from_args(args, db, required=False)
        admin = None
        if args.admin:
            password = ask_password(args, _("为管理员 {user} 设置密码：").format(user=args.admin),
                                    from_stdin=args.password_stdin, confirm=True, what=_("新管理员的密码"))
            admin = desks.NewAdmin(args.admin, args.admin_display_name or args.admin, password)
        with db.write() as s:
            desk_id = desks.add_desk(s, actor, name=args.name, number_prefix=args.prefix,
                                     committee_name=args.committee_name, admin=admin)
        print(_("已添加调解点“{name}”（编号 {id}，编号前缀 {prefix}）。").format(
            name=args.name, id=desk_id, prefix=args.prefix))
        if admin is not None:
            print(_("已创建该调解点的管理员账户 {user}。").format(user=admin.username))
        return EXIT_OK


def _desk_rename_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("desk", metavar=_("调解点"), help=_("调解点编号或编号前缀"))
    p.add_argument("--name", help=_("新的调解点名称"))
    p.add_argument("--committee-name", help=_("新的人民调解委员会名称"))
    p.add_argument("--prefix", help=_("新的案件编号前缀（已编号的案件不变，下一件起用新前缀）"))
    add_actor(p, required_note=_("；该调解点的管理员或全局管理员"))


@register("desk rename", help=N_("修改调解点名称、调解委员会名称或编号前缀（需以管理员身份）"),
          arguments=_desk_rename_args)
def _cmd_desk_rename(args: argparse.Namespace) -> int:
    from mediation.services import desks

    if args.name is None and args.committee_name is None and args.prefix is None:
        raise UsageError(_("请至少给出 --name、--committee-name 或 --prefix 之一。"))
    with open_db(args) as db:
        desk_id = desk_from_arg(db, args.desk)
        actor = actor_from_args(args, db)
        with db.write() as s:
            info = desks.update_desk(s, actor, desk_id, name=args.name, committee_name=args.committee_name,
                                     number_prefix=args.prefix)
        print(_("调解点 {id}：{name}（{committee}），编号前缀 {prefix}。").format(
            id=info.id, name=info.name, committee=info.committee_name, prefix=info.number_prefix))
        return EXIT_OK
