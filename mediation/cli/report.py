"""``mediation report``: a statistics table of a period as XLSX, PDF or the monthly DOCX.

The figures come from :mod:`mediation.statistics` (the same as the app's statistics
view). A table whose period was submitted (上报) for the desk is written with its frozen
figures, and with the 报送后有变动 line when the data has changed since.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mediation.cli import EXIT_OK, UsageError, register
from mediation.cli.common import actor_from_args, add_actor, date_arg, desk_from_arg, open_db
from mediation.errors import StorageError
from mediation.i18n import N_, _

TABLE_CHOICES = ("people", "police", "campus", "quality")
FORMAT_CHOICES = ("xlsx", "pdf", "docx")


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", metavar=_("期间"),
                   help=_("统计期间：2026-10（月）、2026-Q4（季度）或 2026（年）"))
    p.add_argument("--from", dest="date_from", type=date_arg, metavar="YYYY-MM-DD",
                   help=_("按日期范围统计：开始日期（与 --to 一起使用，代替 --period）"))
    p.add_argument("--to", dest="date_to", type=date_arg, metavar="YYYY-MM-DD", help=_("结束日期（含当日）"))
    p.add_argument("--table", required=True, choices=TABLE_CHOICES, metavar="people|police|campus|quality",
                   help=_("people 人民调解案件统计表；police 治安调解统计表；campus 校园纠纷分析表；quality 质效表"))
    p.add_argument("--format", dest="fmt", choices=FORMAT_CHOICES, metavar="xlsx|pdf|docx",
                   help=_("输出格式（默认按 -o 文件的扩展名）；docx 为月度分析报告"))
    p.add_argument("--desk", metavar=_("调解点"),
                   help=_("只统计该调解点（编号或编号前缀）；默认为该账户可查看的全部调解点"))
    p.add_argument("-o", "--output", required=True, type=Path, metavar=_("文件"), help=_("写入的文件"))
    add_actor(p, required_note=_("；必需：统计按该账户可查看的调解点计算"))


def _period(args: argparse.Namespace) -> Any:
    from mediation.statistics.periods import Period

    if args.period and (args.date_from or args.date_to):
        raise UsageError(_("--period 与 --from/--to 只能选一种。"))
    if args.period:
        return Period.parse(args.period)
    if args.date_from and args.date_to:
        return Period.between(args.date_from, args.date_to)
    raise UsageError(_("请用 --period 2026-10，或 --from 与 --to 指定统计期间。"))


def _format(args: argparse.Namespace) -> str:
    suffix = args.output.suffix.lower().lstrip(".")
    fmt: str = args.fmt or (suffix if suffix in FORMAT_CHOICES else "")
    if not fmt:
        raise UsageError(_("请用 --format 指定格式（xlsx、pdf 或 docx）。"))
    if suffix in FORMAT_CHOICES and suffix != fmt:
        raise UsageError(_("输出文件的扩展名（.{ext}）与 --format {fmt} 不一致。").format(ext=suffix, fmt=fmt))
    return fmt


@register("report", help=N_("生成统计报表（XLSX、PDF）或月度分析报告（DOCX）"), arguments=_args)
def _cmd_report(args: argparse.Namespace) -> int:
    from mediation.services import reports

    period = _period(args)
    fmt = _format(args)
    with open_db(args) as db:
        desk_id = desk_from_arg(db, args.desk) if args.desk else None
        actor = actor_from_args(args, db)
        with db.read() as s:
            data = reports.render_table(s, actor, args.table, period, fmt, desk_id=desk_id)
    try:
        args.output.write_bytes(data.content)
    except OSError as exc:
        raise StorageError(_("无法写入文件 {path}：{why}").format(
            path=args.output, why=exc.strerror or type(exc).__name__)) from None
    print(_("已写入 {path}（{title}，{period}）。").format(path=args.output, title=data.title, period=period.label))
    if data.problems:
        for p in data.problems:
            print(_("注意：数据校验未通过：{m}").format(m=p), file=sys.stderr)
    if data.changed_note:
        print(data.changed_note, file=sys.stderr)
    return EXIT_OK
