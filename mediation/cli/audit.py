"""``mediation audit``: the keyed, per-desk audit chains and the checkpoints kept outside."""

from __future__ import annotations

import argparse
import sys

from mediation.cli import EXIT_FAILURE, EXIT_OK, register, register_group
from mediation.cli.common import actor_from_args, add_actor, open_db
from mediation.i18n import N_, _

register_group("audit", N_("审计日志"))


def _verify_args(p: argparse.ArgumentParser) -> None:
    add_actor(p, required_note=_("（可选；给出时只校验该账户可查看的调解点，不给时校验全部）"))


@register("audit verify", arguments=_verify_args,
          help=N_("校验每个调解点的审计链，并与库外的检查点（锚点文件、备份、定稿文书）比对；有问题时退出码为 1"))
def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from mediation.audit_chain import chain_name
    from mediation.services import audit

    with open_db(args) as db:
        actor = actor_from_args(args, db, required=False)
        with db.read() as s:
            desks = audit.readable_chains(s, actor) if actor is not None else None
            result = audit.verify_anchored(s, db.url, desk_ids=desks)
        for report in result.chains:
            status = _("校验通过") if report.ok else _("校验失败")
            print(_("{chain}：共 {n} 条记录，{status}。").format(chain=chain_name(report.desk_id), n=report.rows,
                                                            status=status))
            for a in report.anchors:
                word = {"passed": _("通过"), "failed": _("未通过"), "superseded": _("已回退")}.get(a.status, a.status)
                print(_("  {src}（第 {n} 条）：{word}{detail}").format(
                    src=a.checkpoint.source, n=a.checkpoint.n, word=word,
                    detail=_("：{message}").format(message=a.message) if a.message and a.status != "failed" else ""))
            if not report.anchors and report.rows:
                print(_("  没有找到库外的检查点：只能证明记录未被伪造，不能证明末尾的记录未被删除。"))
            for note in report.notes:
                print(f"  {note}")
        for note in result.notes:
            print(note)
        if not result.chains:
            print(_("审计日志中还没有记录。"))
        failures = result.failures()
        if not failures:
            return EXIT_OK
        for line in failures:
            print(_("审计日志校验失败：{what}").format(what=line), file=sys.stderr)
        return EXIT_FAILURE


def _rotate_args(p: argparse.ArgumentParser) -> None:
    add_actor(p, required_note=_("；需要管理员"))


@register("audit rotate-key", arguments=_rotate_args,
          help=N_("换用新的审计密钥（链中留下换钥记录；之后请重新打印恢复单）"))
def _cmd_audit_rotate(args: argparse.Namespace) -> int:
    from mediation.services import audit

    with open_db(args) as db:
        actor = actor_from_args(args, db)
        with db.write() as s:
            new_id = audit.rotate_key(s, actor)
        print(_("已换用新的审计密钥（编号 {k}）。旧密钥仍保留在密钥文件中，用于校验以前的记录。"
                "请重新打印恢复单：mediation keys sheet。").format(k=new_id))
        return EXIT_OK
