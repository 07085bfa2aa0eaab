"""Importing an export file: all or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from mediation.errors import StorageError, ValidationError
from mediation.i18n import _
from mediation.permissions import Actor
from mediation.progress import Progress
from mediation.services import reference
from mediation.settings import clean_setting
from mediation.services.transfer.clean import (
    check_against_database,
    check_cases_together,
    clean_case,
    clean_consultation,
    clean_review_draw,
    clean_user,
)
from mediation.services.transfer.export import FORMAT, LOCAL_SETTINGS, VERSION
from mediation.services.transfer.parse import (
    MAX_ERRORS,
    Context,
    Obj,
    desks_by_id,
    users_by_id,
)
from mediation.services.transfer.write import (
    Duplicates,
    ImportSummary,
    Writer,
    audit_batch,
    require_desks,
    require_importer,
)
from mediation.validation import Collector


MAX_DEPTH = 32
"""Nesting an export file never reaches (its deepest values sit some 8 levels down)."""
MAX_DIGITS = 40


class LongNumber(str):
    """A JSON integer with more digits than any field takes, kept as its digits (not
    converted: Python refuses to convert 4,300 digits and more, and converting is slow)."""


def _parse_int(text: str) -> int | LongNumber:
    return LongNumber(text) if len(text.lstrip("-")) > MAX_DIGITS else int(text)


def _shape_problem(doc: Any) -> tuple[str, str] | None:
    """(where, what) of the first value nested too deep or too long a number, walking
    iteratively (a recursive walk would itself overflow)."""
    stack: list[tuple[Any, str, int]] = [(doc, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, LongNumber):
            return path or "file", _("数字位数过多（{n} 位）。").format(n=len(value.lstrip("-")))
        if isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                return path or "file", _("嵌套层数过多（超过 {n} 层），不是本程序导出的文件。").format(n=MAX_DEPTH)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in reversed(list(items)):
                where = f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else str(key))
                stack.append((child, where, depth + 1))
    return None


def read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            doc = json.load(fh, parse_int=_parse_int)
    except FileNotFoundError:
        raise StorageError(_("文件不存在：{path}").format(path=path)) from None
    except UnicodeDecodeError:
        raise ValidationError(field="file", message=_("文件不是 UTF-8 编码的 JSON。")) from None
    except json.JSONDecodeError as exc:
        raise ValidationError(field="file", message=_("不是有效的 JSON 文件（第 {line} 行第 {col} 列附近）。").format(
            line=exc.lineno, col=exc.colno)) from None
    except RecursionError:
        raise ValidationError(field="file", message=_(
            "文件中的数据嵌套层数过多（数千层），不是本程序导出的文件。")) from None
    except ValueError:  # a number JSON allows and Python will not convert
        raise ValidationError(field="file", message=_("文件中有无法读取的数字。")) from None
    except OSError as exc:
        raise StorageError(_("无法读取文件：{detail}").format(detail=exc.strerror or exc)) from None
    found = _shape_problem(doc)
    if found is not None:
        raise ValidationError(field=found[0], message=found[1])
    return doc


def import_json(session: Session, actor: Actor | None, path: Path | str, *,
                progress: Progress | None = None) -> ImportSummary:
    """Import an export file (format in docs/import-format.md): all or nothing."""
    require_importer(session, actor)
    p = Path(path).expanduser()
    return import_document(session, actor, read_json(p), origin_name=p.name, progress=progress)


def import_document(session: Session, actor: Actor | None, doc: Any, *,
                    origin_name: str = "", progress: Progress | None = None) -> ImportSummary:
    """Validate the whole parsed document, then write it (in the caller's transaction)."""
    require_importer(session, actor)
    found = _shape_problem(doc)
    if found is not None:  # a document parsed elsewhere (the desktop's import dialog) too
        raise ValidationError(field=found[0], message=found[1])
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValidationError(field="format", message=_("这不是调解台的导出文件（缺少 \"format\": \"{f}\"）。").format(f=FORMAT))
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValidationError(field="version", message=_("导出文件缺少有效的版本号（version）。"))
    if version > VERSION:
        raise ValidationError(field="version", message=_(
            "该文件的格式版本（{v}）比本程序支持的（{mine}）新，请先升级程序。").format(v=version, mine=VERSION))

    errors = Collector(limit=MAX_ERRORS)
    top = Obj(doc, "", errors)
    desks_raw = top.objects("desks")
    desks: list[dict[str, Any]] = []
    for d in desks_raw:
        prefix = d.text("prefix", max_len=30, required=True)
        if prefix and any(ch in prefix for ch in "（）()第号 "):
            d.fail("prefix", _("编号前缀只填中间部分，例如“X警校调字”。"))
        desks.append({"prefix": prefix, "name": d.text("name", max_len=100, required=True),
                      "committee_name": d.text("committee_name", max_len=100),
                      "active": d.boolean("active", True), "created_at": d.datetime("created_at")})
    _no_duplicates(errors, "desks", [d["prefix"] for d in desks], "prefix")
    target_desks = set(desks_by_id(session).values())
    target_users = set(users_by_id(session).values())
    users = [clean_user(u) for u in top.objects("users")]
    _no_duplicates(errors, "users", [u["username"] for u in users], "username")
    desk_names = target_desks | {d["prefix"] for d in desks if d["prefix"]}
    for u, raw in zip(users, top.objects("users"), strict=True):
        if u["desk"] is not None and u["desk"] not in desk_names:
            raw.fail("desk", _("未知的调解点“{d}”。").format(d=str(u["desk"])[:30]))
    settings = []
    for s in top.objects("settings"):
        key = s.text("key", max_len=80, required=True)
        desk = s.raw.get("desk")
        if desk is not None and desk not in desk_names:
            s.fail("desk", _("未知的调解点“{d}”。").format(d=str(desk)[:30]))
        if "value" not in s.raw:
            s.fail("value", _("缺少此项。"))
        if key in LOCAL_SETTINGS:
            continue
        value = s.raw.get("value")
        if key and "value" in s.raw:
            # The rule the settings dialog and the services apply (issue 11 item 12).
            value = s.errors.check("value", _rule_of(key), value)
        settings.append({"desk": desk, "key": key, "value": value, "updated_at": s.datetime("updated_at")})
    holidays = []
    for h in top.objects("holidays"):
        holidays.append({"day": h.date("day", required=True),
                         "kind": h.choice("kind", ("holiday", "workday")),
                         "name": h.text("name", max_len=30),
                         "source": h.choice("source", ("chinese_calendar", "manual"), default="manual")})
    _no_duplicates(errors, "holidays", [h["day"] for h in holidays], "day")
    ctx = Context(desks=desk_names, usernames=target_users | {u["username"] for u in users},
                   categories=set(_setting_in(settings, "categories", reference.categories(session))),
                   sources=set(_setting_in(settings, "sources", reference.sources(session))))
    sequences = []
    for seq in top.objects("number_sequences"):
        sequences.append({"desk": ctx.desk(seq), "year": seq.integer("year", lo=1949, hi=2999, nullable=False),
                          "kind": seq.text("kind", max_len=20, required=True),
                          "last_value": seq.integer("last_value", lo=0, nullable=False)})
    consultations = []
    for c in top.objects("consultations"):
        if errors.full:
            break
        consultations.append(clean_consultation(c, ctx))
    cases = []
    for c in top.objects("cases"):
        if errors.full:
            break
        cases.append(clean_case(c, ctx))
    check_cases_together(errors, cases, consultations)
    case_refs = {c["ref"] for c in cases if c["ref"] is not None}
    review_draws = [clean_review_draw(d, ctx, case_refs) for d in top.objects("case_reviews")]
    errors.raise_if_any()
    duplicates = Duplicates(session, cases, {p: i for i, p in desks_by_id(session).items()})
    check_against_database(session, errors, cases, duplicates)
    errors.raise_if_any()
    written_into = ([d["prefix"] for d in desks if d["prefix"] not in target_desks]
                    + [u["desk"] for u in users if u["username"] not in target_users]
                    + [st["desk"] for st in settings] + [n["desk"] for n in sequences]
                    + [c["desk"] for c in consultations] + [c["desk"] for c in cases]
                    + [d["desk"] for d in review_draws])
    require_desks(session, actor, {None if p is None else str(p) for p in written_into})

    w = Writer(session, actor, "json", origin_name, duplicates)
    desks_created = w.desks(desks)
    users_created = w.users(users)
    settings_applied = w.settings(settings)
    holidays_applied = w.holidays(holidays)
    w.sequences(sequences)
    cons_done, cons_skipped = w.consultations(consultations)
    for n, record in enumerate(cases, start=1):
        w.case(record, origin_label=record["origin"])
        if progress is not None:
            progress(n, len(cases))
    w.link_consultations(consultations)
    w.case_reviews(review_draws)
    w.finish()
    summary = ImportSummary("json", len(w.imported), tuple(w.skipped), cons_done, cons_skipped,
                            desks_created, users_created, settings_applied, holidays_applied,
                            tuple(w.imported))
    audit_batch(session, actor, summary, origin_name)
    return summary


def _rule_of(key: str) -> Callable[..., Any]:
    def rule(value: Any, *, field: str) -> Any:
        return clean_setting(key, value, field=field)
    return rule


def _setting_in(settings: list[dict[str, Any]], key: str, fallback: Iterable[str]) -> Iterable[str]:
    """The labels the file's lists name (any desk's: they are added on import) and the database's."""
    known = list(fallback)
    for s in settings:
        if s["key"] == key and isinstance(s["value"], (dict, list)):
            known.extend(str(label) for label in s["value"])
    return known


def _no_duplicates(errors: Collector, section: str, values: list[Any], name: str) -> None:
    seen: dict[Any, int] = {}
    for i, v in enumerate(values):
        if v in (None, ""):
            continue
        if v in seen:
            errors.add(f"{section}[{i}].{name}", _("与 {section}[{j}] 重复。").format(section=section, j=seen[v]))
        else:
            seen[v] = i
