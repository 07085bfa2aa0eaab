"""``mediation keys``: the audit keys and the backup passphrase kept outside the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mediation.cli import EXIT_OK, UsageError, register, register_group
from mediation.cli.common import actor_from_args, add_actor, open_db
from mediation.i18n import N_, _

register_group("keys", N_("审计密钥与备份口令（保存在数据库之外）"))


def _sheet_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar=_("文件"), type=Path, required=True, help=_("写入的 PDF 文件"))
    add_actor(p, required_note=_("；需要管理员"))


@register("keys sheet", arguments=_sheet_args,
          help=N_("打印恢复单（备份口令、审计密钥及其二维码），供管理员锁入保险柜"))
def _cmd_sheet(args: argparse.Namespace) -> int:
    from mediation.services import recovery

    with open_db(args) as db:
        actor = actor_from_args(args, db)
        with db.write() as s:
            pdf = recovery.recovery_sheet_pdf(s, actor)
        args.output.write_bytes(pdf)
        print(_("恢复单已写入 {path}。打印后请删除该文件，并把纸锁好。").format(path=args.output))
        return EXIT_OK


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("key", nargs="?", metavar=_("密钥"),
                   help=_("恢复单上的审计密钥（MDA1-…）；不给时从标准输入逐行读取"))


@register("keys import", arguments=_import_args,
          help=N_("从恢复单导入审计密钥（换用新电脑后，校验和继续写入审计日志所需）"))
def _cmd_import(args: argparse.Namespace) -> int:
    from mediation import keys

    texts = [args.key] if args.key else [line for line in sys.stdin.read().splitlines() if line.strip()]
    if not texts:
        raise UsageError(_("请给出恢复单上的审计密钥。"))
    for text in texts:
        kid = keys.import_key_text(text)
        print(_("已导入审计密钥 {k}（密钥文件：{path}）。").format(k=kid, path=keys.key_file_path()))
    return EXIT_OK


def _passphrase_args(p: argparse.ArgumentParser) -> None:
    add_actor(p, required_note=_("；需要管理员"))


@register("keys passphrase", arguments=_passphrase_args,
          help=N_("生成新的备份口令（此后的加密备份用它；以前的备份仍用原口令）"))
def _cmd_passphrase(args: argparse.Namespace) -> int:
    from mediation.services.backup import auto

    with open_db(args) as db:
        actor = actor_from_args(args, db)
        with db.write() as s:
            passphrase = auto.new_passphrase(s, actor)
        print(_("新的备份口令：{p}").format(p=passphrase))
        print(_("请重新打印恢复单（mediation keys sheet）并锁好；以前的加密备份仍需原来的口令。"))
        return EXIT_OK
