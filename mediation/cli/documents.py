"""``mediation render``, ``verify`` and ``template``: documents from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mediation.cli import EXIT_FAILURE, EXIT_OK, UsageError, register, register_group
from mediation.cli.common import actor_from_args, add_actor, open_db
from mediation.errors import NotFound, StorageError
from mediation.i18n import N_, _

FORMATS = ("pdf", "docx")


def _form_names() -> list[str]:
    from mediation.documents import render

    return [f.form for f in render.list_forms()]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StorageError(_("无法读取文件 {path}：{why}").format(
            path=path, why=exc.strerror or type(exc).__name__)) from None


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise StorageError(_("无法写入文件 {path}：{why}").format(
            path=path, why=exc.strerror or type(exc).__name__)) from None


def _forms_help() -> str:
    try:
        return "；".join(_form_names())
    except Exception:  # noqa: BLE001 - a broken template must not break every command's --help
        return "people_agreement …"


def _render_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("case_number", metavar=_("案件编号"), help=_("如“（2026）X警校调字第012号”（括号可用半角）"))
    p.add_argument("--form", required=True, metavar=_("文书"),
                   help=_("文书类型：{forms}").format(forms=_forms_help()))
    p.add_argument("--format", choices=FORMATS, dest="fmt", metavar="pdf|docx",
                   help=_("输出格式（默认按 -o 文件的扩展名，否则 pdf）"))
    p.add_argument("-o", "--output", required=True, type=Path, metavar=_("文件"), help=_("写入的文件"))
    add_actor(p, required_note=_("；必需：文书含完整身份证号，生成记入审计日志"))


def canonical_number(text: str) -> str:
    """``(2026)X警校调字第12号`` → ``（2026）X警校调字第012号``, the form numbers are stored in."""
    from mediation.services.numbering import normalise_case_number

    return normalise_case_number(text)


def find_case_id(session: Any, actor: Any, number: str) -> int:
    """The id of the case numbered ``number`` (brackets ASCII or full-width, zeros optional)."""
    from mediation.services import caselist

    wanted = canonical_number(number)
    for row in caselist.search(session, actor, wanted, limit=50):
        if row.number == wanted:
            return int(row.id)
    raise NotFound(_("没有编号为“{number}”的案件（或您无权查看）。").format(number=number.strip()))


def render_for_case(session: Any, actor: Any, case_id: int, form: str, fmt: str) -> tuple[bytes, str]:
    """:func:`mediation.services.documents.render_for_case` (which puts the output on record
    in the caller's write transaction), as ``mediation render`` makes it."""
    from mediation.services import documents as docs

    return docs.render_for_case(session, actor, case_id, form, fmt, kind="render")


@register("render", help=N_("生成案件的文书（PDF 或 DOCX）：已有该文书时输出其当前版本（定稿即原件），否则按案件记录生成"),
          arguments=_render_args)
def _cmd_render(args: argparse.Namespace) -> int:
    forms = _form_names()
    if args.form not in forms:
        raise UsageError(_("没有“{form}”这种文书，可选：{forms}").format(form=args.form, forms="、".join(forms)))
    fmt = args.fmt or (args.output.suffix.lower().lstrip(".") if args.output.suffix.lower() in (".pdf", ".docx")
                       else "pdf")
    if args.output.suffix.lower() in (".pdf", ".docx") and args.output.suffix.lower() != f".{fmt}":
        raise UsageError(_("输出文件的扩展名（{ext}）与 --format {fmt} 不一致。").format(ext=args.output.suffix, fmt=fmt))
    with open_db(args) as db:
        actor = actor_from_args(args, db)  # a person: the output carries full ID numbers
        with db.write() as s:  # on record with the rendering: no record, no file
            case_id = find_case_id(s, actor, args.case_number)
            data, status = render_for_case(s, actor, case_id, args.form, fmt)
        _write(args.output, data)
        print(_("已生成 {path}（{fmt}，{size} 字节）。").format(path=args.output, fmt=fmt.upper(), size=len(data)))
        if status == "final" and fmt == "docx":
            print(_("注意：该文书已定稿；DOCX 按定稿内容重新生成，不带校验码。定稿原件请导出 PDF。"))
        elif status == "final":
            print(_("该文书已定稿：输出的是定稿原件，可用 mediation verify 核对。"))
        return EXIT_OK


def _verify_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar=_("文件"), type=Path, help=_("要核对的 PDF 文件"))


_STATUS = {
    "valid": N_("有效"),
    "superseded": N_("已被更正"),
    "altered": N_("已被改动"),
    "unknown": N_("无法核对"),
}


@register("verify", help=N_("核对 PDF 是否为某案件文书的定稿原件（是：退出码 0；被改动、已更正或未知：1）"),
          arguments=_verify_args)
def _cmd_verify(args: argparse.Namespace) -> int:
    from mediation.services import documents as docs

    data = _read(args.file)
    with open_db(args) as db, db.read() as s:
        outcome = docs.verify_bytes(s, data)
    print(_("{status}：{message}").format(status=_(_STATUS.get(outcome.status, outcome.status)),
                                         message=outcome.message))
    if outcome.case_number or outcome.title:
        print(_("案件 {number}　文书 {title}　第{n}版　校验码 {code}").format(
            number=outcome.case_number or "—", title=outcome.title or "—", n=outcome.version,
            code=outcome.code or "—"))
    return EXIT_OK if outcome.status == "valid" else EXIT_FAILURE


# ---------------------------------------------------------------- DOCX templates

register_group("template", N_("文书的 DOCX 模板：导出起始模板、上传本调解点的措辞、恢复内置"))


def _template_list_args(p: argparse.ArgumentParser) -> None:
    add_actor(p, required_note=_("；需要管理员"))


@register("template list", help=N_("列出各文书使用的 DOCX 模板（内置或本调解点上传的）"),
          arguments=_template_list_args)
def _cmd_template_list(args: argparse.Namespace) -> int:
    from mediation.services import templates
    from mediation.timeutil import fmt_local

    with open_db(args) as db:
        actor = actor_from_args(args, db)
        with db.read() as s:
            rows = templates.list_templates(s, actor)
    for row in rows:
        if row.custom:
            print(_("{form}\t{label}\t自定义：{file}（SHA-256 {sha}…，{who} {when}）").format(
                form=row.form, label=row.label, file=row.filename, sha=row.sha256[:12],
                who=row.uploaded_by or "—", when=fmt_local(row.uploaded_at)))
        else:
            print(_("{form}\t{label}\t内置").format(form=row.form, label=row.label))
    return EXIT_OK


def _template_get_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("form", metavar=_("文书"), help=_forms_help())
    p.add_argument("-o", "--output", type=Path, required=True, metavar=_("文件"), help=_("保存到的 .docx 文件"))
    add_actor(p, required_note=_("；需要管理员"))


@register("template get", help=N_("导出文书当前的 DOCX 模板以便在 Word 中修改（未上传过时为按内置格式生成的起始模板）"),
          arguments=_template_get_args)
def _cmd_template_get(args: argparse.Namespace) -> int:
    from mediation.services import templates

    with open_db(args) as db:
        actor = actor_from_args(args, db)
        with db.read() as s:
            name, data = templates.template_file(s, actor, args.form)
    _write(args.output, data)
    print(_("已保存 {path}（{name}）。可用的字段见 mediation template fields。").format(path=args.output, name=name))
    return EXIT_OK


def _template_set_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("form", metavar=_("文书"), help=_forms_help())
    p.add_argument("file", type=Path, metavar=_("文件"), help=_("改好的 .docx 模板"))
    add_actor(p, required_note=_("；需要管理员"))


@register("template set", help=N_("检查并启用文书的 DOCX 模板（此后该文书的 DOCX 按此模板生成；PDF 不变）"),
          arguments=_template_set_args)
def _cmd_template_set(args: argparse.Namespace) -> int:
    from mediation.services import templates

    data = _read(args.file)
    with open_db(args) as db:
        actor = actor_from_args(args, db)
        with db.write() as s:
            info = templates.upload_template(s, actor, args.form, filename=args.file.name, content=data)
    print(_("已启用“{label}”的模板 {file}（SHA-256 {sha}…）。").format(
        label=info.label, file=info.filename, sha=info.sha256[:12]))
    return EXIT_OK


def _template_reset_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("form", metavar=_("文书"), help=_forms_help())
    add_actor(p, required_note=_("；需要管理员"))


@register("template reset", help=N_("文书的 DOCX 恢复为内置格式"), arguments=_template_reset_args)
def _cmd_template_reset(args: argparse.Namespace) -> int:
    from mediation.services import templates

    with open_db(args) as db:
        actor = actor_from_args(args, db)
        with db.write() as s:
            changed = templates.reset_template(s, actor, args.form)
        with db.read() as s:
            now = next((r for r in templates.list_templates(s, actor) if r.form == args.form), None)
    if now is not None and now.custom:
        print(_("本调解点的模板已停用；现在使用所有调解点共用的模板 {file}。").format(file=now.filename)
              if changed else _("本调解点没有上传过该文书的模板；现在使用所有调解点共用的模板 {file}。").format(
                  file=now.filename))
    else:
        print(_("已恢复为内置格式。") if changed else _("该文书本来就使用内置格式。"))
    return EXIT_OK


@register("template fields", help=N_("列出模板可用的字段：含义、占位符和示例"))
def _cmd_template_fields(args: argparse.Namespace) -> int:
    from mediation.services import templates

    print(templates.field_listing())
    return EXIT_OK


__all__ = ["canonical_number", "find_case_id", "render_for_case"]
