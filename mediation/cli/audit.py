"""``mediation audit``: the hash-chained audit log."""

from __future__ import annotations

import argparse
import sys

from mediation.cli import EXIT_FAILURE, EXIT_OK, register, register_group
from mediation.cli.common import open_db
from mediation.i18n import N_, _

register_group("audit", N_("审计日志"))


_AUDIT_REASONS = {
    "link to previous row broken": N_("与上一条记录的链接断开（可能被删除或插入）"),
    "row content does not match its hash": N_("内容与其哈希不符（可能被修改）"),
    "rows at the end were removed": N_("末尾的记录被删除"),
}


@register("audit verify", help=N_("校验审计日志的哈希链；有记录被改动或删除时退出码为 1"))
def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from mediation.services import audit

    with open_db(args) as db:
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
