"""``mediation user``: personal accounts."""

from __future__ import annotations

import argparse

from mediation.cli import EXIT_OK, register, register_group
from mediation.cli.common import (
    actor_from_args,
    add_actor,
    ask_password,
    date_arg,
    desk_from_arg,
    open_db,
)
from mediation.i18n import N_, _

register_group("user", N_("账户管理"))


def _user_add_args(p: argparse.ArgumentParser) -> None:
    from mediation.permissions import ROLES

    p.add_argument("name", metavar=_("用户名"), help=_("登录用的用户名（个人账户，不用共用账户）"))
    p.add_argument("--role", required=True, choices=sorted(ROLES),
                   help=_("角色：volunteer 值班学生、officer 督导民警、adviser 指导老师、admin 管理员"))
    p.add_argument("--display-name", metavar=_("姓名"), help=_("显示的姓名（默认同用户名）"))
    p.add_argument("--desk", metavar=_("调解点"), help=_("所属调解点：编号或编号前缀（默认同执行操作的管理员）；"
                                                        "none：不属于任何调解点（全局管理员、司法所/分局的汇总账户）"))
    p.add_argument("--valid-until", type=date_arg, metavar="YYYY-MM-DD",
                   help=_("账户最后可用的日期（志愿者按值班学期）"))
    p.add_argument("--all-desks", action="store_true",
                   help=_("可查看所有调解点（汇总账户；管理员则为全局管理员）；需全局管理员创建"))
    p.add_argument("--password-stdin", action="store_true",
                   help=_("从标准输入读取新账户的密码（若同时用 --as-password-stdin，则为第二行）"))
    add_actor(p, required_note=_("；需要管理员"))


@register("user add", help=N_("创建账户（需以管理员身份：--as 管理员用户名）"), arguments=_user_add_args)
def _cmd_user_add(args: argparse.Namespace) -> int:
    from mediation.services import accounts

    with open_db(args) as db:
        with db.read() as s:
            first = accounts.count_users(s) == 0
        actor = None if first and not args.as_user else actor_from_args(args, db)
        password = ask_password(args, _("为 {user} 设置密码：").format(user=args.name),
                                from_stdin=args.password_stdin, confirm=True, what=_("新账户的密码"))
        if args.desk is not None and args.desk.strip().lower() in ("none", "无"):
            desk_id = None
        else:
            desk_id = desk_from_arg(db, args.desk) if args.desk is not None else (actor.desk_id if actor else None)
        with db.write() as s:
            user_id = accounts.create_user(
                s, actor, username=args.name, display_name=args.display_name or args.name,
                role=args.role, password=password, desk_id=desk_id, valid_until=args.valid_until,
                all_desks=args.all_desks)
        print(_("已创建账户 {user}（编号 {id}，角色 {role}）。").format(
            user=args.name, id=user_id, role=_role_label(args.role)))
        return EXIT_OK


def _user_passwd_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar=_("用户名"), help=_("要重设密码的账户"))
    p.add_argument("--activate", action="store_true", help=_("同时重新启用已停用的账户"))
    p.add_argument("--password-stdin", action="store_true",
                   help=_("从标准输入读取新密码（若同时用 --as-password-stdin，则为第二行）"))
    add_actor(p, required_note=_("；需要管理员"))


@register("user passwd", help=N_("为忘记密码的用户重设密码，并解除锁定（需以管理员身份：--as 管理员用户名）"),
          arguments=_user_passwd_args)
def _cmd_user_passwd(args: argparse.Namespace) -> int:
    from mediation.errors import NotFound
    from mediation.services import accounts

    with open_db(args) as db:
        actor = actor_from_args(args, db)
        with db.read() as s:
            found = [u for u in accounts.list_users(s, actor) if u.username == args.name.strip()]
        if not found:
            raise NotFound(_("没有名为 {user} 的账户。").format(user=args.name))
        password = ask_password(args, _("为 {user} 设置新密码：").format(user=args.name),
                                from_stdin=args.password_stdin, confirm=True, what=_("新密码"))
        with db.write() as s:
            accounts.reset_password(s, actor, found[0].id, password, activate=args.activate)
        print(_("已为 {user} 重设密码；本人下次登录时须先设置自己的新密码。").format(user=args.name))
        return EXIT_OK


def _role_label(role: str) -> str:
    from mediation.permissions import role_label

    return role_label(role)
