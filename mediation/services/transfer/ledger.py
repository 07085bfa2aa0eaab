"""Importing a desk's Excel ledger (登记台账): its rows become records of the export format,
checked by the same validators; messages name the sheet, the row and the column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import validation, workflow
from mediation.errors import StorageError, ValidationError
from mediation.i18n import _
from mediation.models import (
    User,
)
from mediation.permissions import Actor
from mediation.progress import Progress
from mediation.services import reference
from mediation.services.numbering import format_case_number, parse_case_number
from mediation.services.transfer.clean import (
    check_against_database,
    check_cases_together,
    clean_case,
)
from mediation.services.transfer.parse import MAX_ERRORS, Context, Obj, desks_by_id, iso
from mediation.services.transfer.write import (
    Duplicates,
    ImportSummary,
    Writer,
    audit_batch,
    require_importer,
)
from mediation.timeutil import start_of_local_day, utcnow
from mediation.validation import Collector

LEDGER_COLUMNS: dict[str, tuple[str, ...]] = {
    "registered_on": ("登记日期", "登记时间", "收案日期", "来访日期", "申请日期", "日期"),
    "number": ("案件编号", "编号", "案号", "调解编号", "案件号", "卷宗号"),
    "applicants": ("申请人", "申请人姓名", "申请方"),
    "applicant_phones": ("申请人电话", "申请人联系电话", "申请人联系方式", "申请人手机", "申请人手机号"),
    "applicant_ids": ("申请人身份证号", "申请人身份证号码", "申请人身份证", "申请人证件号码"),
    "respondents": ("被申请人", "被申请人姓名", "被申请方"),
    "respondent_phones": ("被申请人电话", "被申请人联系电话", "被申请人联系方式", "被申请人手机",
                          "被申请人手机号"),
    "respondent_ids": ("被申请人身份证号", "被申请人身份证号码", "被申请人身份证", "被申请人证件号码"),
    "category": ("纠纷类别", "纠纷类型", "纠纷种类", "案件类别", "类别"),
    "subcategory": ("纠纷子类", "子类", "细类", "小类"),
    "source": ("纠纷来源", "案件来源", "来源"),
    "facts": ("纠纷事实", "纠纷简要情况", "简要案情", "主要事实", "案情", "纠纷事由", "事实"),
    "claims": ("诉求", "申请事项", "请求事项", "当事人诉求", "调解请求"),
    "amount": ("涉及金额", "涉案金额", "标的额", "争议金额", "金额"),
    "track": ("调解类型", "调解方式"),
    "mediator": ("调解员", "承办人", "调解人"),
    "result": ("调解结果", "处理结果", "办理结果", "结果"),
    "agreement": ("协议内容", "调解协议内容", "协议"),
    "accepted_on": ("受理日期", "受理时间"),
    "closed_on": ("结案日期", "结案时间", "办结日期"),
    "note": ("备注", "说明"),
    "ledger_no": ("序号", "台账序号", "登记序号", "流水号"),
}


LEDGER_REQUIRED = ("registered_on", "applicants", "facts")


RESULT_WORDS: dict[str, str] = {
    "调解成功": "success", "成功": "success", "达成协议": "success", "已调解": "success", "化解": "success",
    "调解不成": "terminated", "调解终止": "terminated", "终止调解": "terminated", "终止": "terminated",
    "未达成协议": "terminated", "调解失败": "terminated", "失败": "terminated",
    "引导/移送": "referred", "引导": "referred", "移送": "referred", "转交": "referred",
    "不予受理": "declined", "撤回": "withdrawn", "申请人撤回": "withdrawn", "撤回申请": "withdrawn",
}


TRACK_WORDS: dict[str, str] = {"人民调解": workflow.PEOPLE, "治安调解": workflow.POLICE,
                               "引导/移送": workflow.REFER, "引导": workflow.REFER,
                               "移送": workflow.REFER}


_LIST_SPLIT = re.compile(r"[、，,；;\n]+")


_ORG_SUFFIXES = ("公司", "商行", "商店", "超市", "店", "中心", "学校", "大学", "学院", "委员会", "厂",
                 "局", "所", "银行", "医院", "物业", "集团", "协会", "工作室", "酒店", "餐厅", "网吧")


def _norm_header(value: Any) -> list[str]:
    if value is None:
        return []
    s = unicodedata.normalize("NFKC", str(value))
    s = re.sub(r"[\s*:：]", "", s)
    if not s:
        return []
    out = [s]
    bare = re.sub(r"\([^()]*\)$", "", s)  # 涉及金额(元), 申请人(必填)
    if bare and bare != s:
        out.append(bare)
    flat = s.replace("(", "").replace(")", "")  # 申请人(电话) → 申请人电话
    if flat != s:
        out.append(flat)
    return out


_HEADER_INDEX = {alias: key for key, aliases in LEDGER_COLUMNS.items() for alias in aliases}


def _match_header(value: Any) -> str | None:
    for candidate in _norm_header(value):
        if candidate in _HEADER_INDEX:
            return _HEADER_INDEX[candidate]
    return None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")


def _cell_date(value: Any) -> dt.date | None:
    """Excel dates arrive as datetime, as serial numbers, or as typed text."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # 1954–2119 as an Excel serial day number
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        s = str(int(value))
        if len(s) == 8:
            value = s
        else:
            raise ValueError
    s = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d{8}", s):
        return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
    m = _DATE_TEXT.match(s)
    if not m:
        raise ValueError
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


@dataclass
class _LedgerRow:
    sheet: str
    row: int
    values: dict[str, Any]
    headers: dict[str, str]
    """field key → header text as written in the sheet (for messages)."""


def _read_ledger(path: Path) -> tuple[list[_LedgerRow], dict[str, str]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.exists():
        raise StorageError(_("文件不存在：{path}").format(path=path))
    _check_package(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise StorageError(_("无法读取文件：{detail}").format(detail=exc.strerror or exc)) from None
    except (InvalidFileException, KeyError, ValueError, zipfile.BadZipFile):
        raise ValidationError(field="file", message=_(
            "无法读取该 Excel 文件：请确认是 .xlsx 格式（旧的 .xls 请在 Excel 中另存为 .xlsx）。")) from None
    except _XML_ERRORS:
        raise ValidationError(field="file", message=_("该 Excel 文件的内容已损坏，无法读取。")) from None
    rows: list[_LedgerRow] = []
    problems: dict[str, str] = {}
    sheet = ""
    try:
        for ws in wb.worksheets:
            sheet = ws.title
            grid = ws.iter_rows(values_only=True)
            header_row = 0
            mapping: dict[int, str] = {}
            headers: dict[str, str] = {}
            buffered: list[tuple[int, tuple[Any, ...]]] = []
            for n, cells in enumerate(grid, start=1):
                buffered.append((n, cells))
                matched = {i: _match_header(v) for i, v in enumerate(cells)}
                found = {i: k for i, k in matched.items() if k is not None}
                if len(set(found.values())) >= 3 and {"applicants", "facts"} <= set(found.values()):
                    header_row = n
                    seen: dict[str, int] = {}
                    for i, k in found.items():
                        if k in seen:
                            problems[f"{ws.title} 第{n}行"] = _(
                                "表头“{a}”和“{b}”指同一列（{key}），请删去一列。").format(
                                a=_cell_text(cells[seen[k]]), b=_cell_text(cells[i]), key=LEDGER_COLUMNS[k][0])
                        seen[k] = i
                        mapping[i] = k
                        headers[k] = _cell_text(cells[i])
                    break
                if n >= 15:
                    break
            if not header_row:
                continue
            missing = [LEDGER_COLUMNS[k][0] for k in LEDGER_REQUIRED if k not in headers]
            if missing:
                problems[f"{ws.title} 第{header_row}行"] = _("缺少必需的列：{cols}。").format(cols="、".join(missing))
                continue
            for n, cells in enumerate(grid, start=header_row + 1):
                values = {k: cells[i] for i, k in mapping.items() if i < len(cells)}
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                    continue
                rows.append(_LedgerRow(ws.title, n, values, headers))
    except _READ_ERRORS:
        # The sheet's XML is read while iterating (read-only mode): a damaged or hostile
        # part shows up here, not when the workbook was opened.
        raise ValidationError(field="file", message=_(
            "工作表“{sheet}”的内容已损坏或含有不允许的内容，无法读取。").format(sheet=sheet)) from None
    finally:
        wb.close()
    if not rows and not problems:
        problems["file"] = _("没有找到台账表头：第一行（或标题下的一行）应含“登记日期”“申请人”“纠纷事实”等列名，"
                             "见 docs/import-format.md。")
    return rows, problems


MAX_XLSX_ENTRIES = 10_000
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024
"""A 60,000-row ledger unpacks to some tens of MB; a zip bomb to many GB."""


_XML_ERRORS: tuple[type[Exception], ...] = (ElementTree.ParseError, zlib.error, EOFError)
"""What a damaged or hostile part raises while openpyxl reads it (defusedxml's refusals,
which openpyxl uses when it is installed, are ValueErrors, caught beside these)."""
_READ_ERRORS: tuple[type[Exception], ...] = (*_XML_ERRORS, KeyError, ValueError, zipfile.BadZipFile)


def _check_package(path: Path) -> None:
    """Before openpyxl parses anything: a real .xlsx, not a zip bomb, and no XML part that
    declares a document type (entity tricks: XXE, "billion laughs")."""
    from mediation import ooxml

    try:
        with zipfile.ZipFile(path) as archive:
            refused = ooxml.check(archive, max_entries=MAX_XLSX_ENTRIES, max_unpacked=MAX_XLSX_UNPACKED)
    except (zipfile.BadZipFile, OSError):
        raise ValidationError(field="file", message=_(
            "无法读取该 Excel 文件：请确认是 .xlsx 格式（旧的 .xls 请在 Excel 中另存为 .xlsx）。")) from None
    if refused is not None:
        raise ValidationError(field="file", message=_(
            "该 Excel 文件含有不允许的内容（{what}），可能是被恶意构造的文件，未导入。请在 Excel 中另存为新的 .xlsx 后再导入。").format(
            what=refused.message))


def _split(value: Any) -> list[str]:
    return [p.strip() for p in _LIST_SPLIT.split(_cell_text(value)) if p.strip()]


def _looks_like_org(name: str) -> bool:
    return name.endswith(_ORG_SUFFIXES) or len(name) > 15


def _ledger_case(r: _LedgerRow, desk_prefix: str | None, desks: Mapping[str, int],
                 categories: Mapping[str, list[str]], users: Mapping[str, str],
                 errors: Collector) -> tuple[dict[str, Any], dict[str, str]]:
    """One ledger row as a case in the JSON format, plus where each field came from."""
    where: dict[str, str] = {}

    def at(key: str) -> str:
        return f"{r.sheet} 第{r.row}行 {r.headers.get(key, LEDGER_COLUMNS[key][0])}"

    def fail(key: str, message: str) -> None:
        errors.add(at(key), message)

    def date_of(key: str) -> dt.date | None:
        try:
            day = _cell_date(r.values.get(key))
        except (ValueError, OverflowError):
            fail(key, _("日期无法识别，请写成 2025-03-01 或 2025年3月1日。"))
            return None
        if day is not None and errors.check(at(key), validation.plausible_date, day) is None:
            return None
        return day

    case: dict[str, Any] = {"events": []}
    registered = date_of("registered_on")
    if registered is None and not errors.has(at("registered_on")):
        fail("registered_on", _("此项为必填项，请填写。"))
    case["registered_at"] = iso(start_of_local_day(registered)) if registered else None
    where["registered_at"] = at("registered_on")

    number_text = _cell_text(r.values.get("number"))
    prefix = desk_prefix
    if number_text:
        parsed = parse_case_number(number_text)
        if parsed is None:
            fail("number", _("案件编号格式不正确，应如（2025）X警校调字第012号。"))
        else:
            year, prefix, seq = parsed
            if prefix not in desks:
                fail("number", _("编号前缀“{p}”不属于任何调解点（已有：{known}）。").format(
                    p=prefix, known="、".join(desks) or _("无")))
                prefix = desk_prefix
            else:
                case["number"] = format_case_number(year, prefix, seq)
                case["year"], case["seq"] = year, seq
        where["number"] = at("number")
    if prefix is None:
        fail("number", _("没有案件编号的行不知道归入哪个调解点：请用所属调解点的管理员账户导入（命令行可用 --desk 指定）。"))
    case["desk"] = prefix
    where["desk"] = at("number")

    parties: list[dict[str, Any]] = []
    for role, names_key, phones_key, ids_key in (
            ("applicant", "applicants", "applicant_phones", "applicant_ids"),
            ("respondent", "respondents", "respondent_phones", "respondent_ids")):
        names = _split(r.values.get(names_key))
        phones = _split(r.values.get(phones_key))
        raw_ids = r.values.get(ids_key)
        if isinstance(raw_ids, float) and not math.isfinite(raw_ids):
            raw_ids = str(raw_ids)
        if isinstance(raw_ids, (int, float)) and not isinstance(raw_ids, bool) and len(str(int(raw_ids))) > 15:
            fail(ids_key, _("身份证号码被 Excel 当作数字保存，末几位已丢失；请把该列设为“文本”后重新填写。"))
            raw_ids = None
        ids = _split(raw_ids)
        if phones and len(phones) != len(names) and not (len(phones) == 1 and names):
            fail(phones_key, _("电话个数（{p}）与姓名个数（{n}）不一致，请用顿号按顺序分隔。").format(
                p=len(phones), n=len(names)))
        if ids and len(ids) != len(names):
            fail(ids_key, _("证件号码个数（{p}）与姓名个数（{n}）不一致，请用顿号按顺序分隔。").format(
                p=len(ids), n=len(names)))
        for i, name in enumerate(names):
            idx = len(parties)
            kind = "org" if _looks_like_org(name) else "person"
            parties.append({"role": role, "position": idx, "kind": kind, "name": name,
                            "phone": phones[i] if i < len(phones) else "",
                            "id_number": ids[i] if i < len(ids) else "",
                            "id_type": "resident_id" if kind == "person" else "other"})
            for f, key in (("name", names_key), ("phone", phones_key), ("id_number", ids_key),
                           ("birth_date", ids_key), ("kind", names_key), ("role", names_key)):
                where[f"parties[{idx}].{f}"] = at(key)
    if not any(p["role"] == "applicant" for p in parties):
        fail("applicants", _("此项为必填项，请填写。"))
    where["parties"] = at("applicants")
    case["parties"] = parties
    case["people_involved"] = len(parties)

    category = _cell_text(r.values.get("category"))
    sub = _cell_text(r.values.get("subcategory"))
    if category and category not in categories and "/" in category:
        head, _sep, tail = category.partition("/")
        if head in categories:
            category, sub = head, sub or tail
    if category and category not in categories:
        fail("category", _("未知的纠纷类别“{c}”，可选：{known}。").format(c=category, known="、".join(categories)))
    case["category"], case["subcategory"] = category, sub
    where.update(category=at("category"), subcategory=at("subcategory"), source=at("source"),
                 facts=at("facts"), claims=at("claims"), amount=at("amount"))
    case["source"] = _cell_text(r.values.get("source"))
    case["facts"] = _cell_text(r.values.get("facts"))
    case["claims"] = _cell_text(r.values.get("claims"))
    amount = r.values.get("amount")
    case["amount"] = amount if isinstance(amount, (int, float)) and not isinstance(amount, bool) else (
        _cell_text(amount) or None)

    def word(key: str, words: Mapping[str, str], message: str) -> str | None:
        """A cell holding one of ``words`` (blank: None)."""
        text = _cell_text(r.values.get(key))
        if not text:
            return None
        found = words.get(unicodedata.normalize("NFKC", text).replace(" ", ""))
        if found is None:
            fail(key, message)
        return found

    track = word("track", TRACK_WORDS, _("调解类型应为：人民调解、治安调解或引导/移送。"))
    result = word("result", RESULT_WORDS, _("调解结果无法识别，可写：调解成功、调解不成、引导/移送、不予受理、撤回。"))
    closed = date_of("closed_on")
    accepted = date_of("accepted_on")
    if result and closed is None and not errors.has(at("closed_on")):
        fail("closed_on", _("填写了调解结果时，请同时填写结案日期。"))
    if closed is not None and not result:
        fail("result", _("填写了结案日期时，请同时填写调解结果。"))
    if registered and closed and closed < registered:
        fail("closed_on", _("结案日期不能早于登记日期。"))
    if result == "referred" and track is None:
        track = workflow.REFER
    if case.get("number") and track is None:
        track = workflow.PEOPLE
    case["track"] = track
    if result:
        case["stage"] = workflow.CLOSED
        case["result"] = result
        case["closed_at"] = iso(start_of_local_day(closed)) if closed else None
        where["closed_at"] = at("closed_on")
    else:
        case["stage"] = workflow.ACCEPTED if case.get("number") else workflow.REGISTERED
    if case.get("number"):
        accepted_on = accepted or registered
        case["accepted_at"] = iso(start_of_local_day(accepted_on)) if accepted_on else None
        where["accepted_at"] = at("accepted_on") if accepted else at("registered_on")
    agreement = _cell_text(r.values.get("agreement"))
    if agreement:
        case["agreement_terms"] = agreement
        where["agreement_terms"] = at("agreement")
    mediator = _cell_text(r.values.get("mediator"))
    note = _cell_text(r.values.get("note"))
    summary = _("从台账导入：{sheet} 第{row}行").format(sheet=r.sheet, row=r.row)
    if mediator:
        username = users.get(mediator)
        if username:
            case["mediator"] = username
        else:
            summary += _("；台账记载的调解员：{m}").format(m=mediator)
    if note:
        summary += _("；备注：{n}").format(n=note)
    ledger_no = _cell_text(r.values.get("ledger_no")) or None
    case["events"] = [{"at": iso(utcnow()), "kind": "imported", "summary": summary,
                       "stage_to": case["stage"],
                       "data": {"sheet": r.sheet, "row": r.row, "ledger_no": ledger_no}}]
    where["events[0].summary"] = at("note") if note else at("registered_on")
    return case, where


def import_ledger(session: Session, actor: Actor | None, path: Path | str, *,
                  desk_id: int | None = None, progress: Progress | None = None) -> ImportSummary:
    """Import an Excel ledger (.xlsx): columns in docs/import-format.md; all or nothing.

    Rows without a case number go to ``desk_id`` (default: the actor's desk). Errors
    name the sheet, the row number as Excel shows it, and the column header.
    """
    require_importer(session, actor)
    p = Path(path).expanduser()
    rows, problems = _read_ledger(p)
    desks = {prefix: i for i, prefix in desks_by_id(session).items()}
    default_desk = desk_id if desk_id is not None else (actor.desk_id if actor else None)
    if default_desk is None and len(desks) == 1:
        default_desk = next(iter(desks.values()))
    desk_prefix = next((prefix for prefix, i in desks.items() if i == default_desk), None)
    if desk_id is not None and desk_prefix is None:
        raise ValidationError(field="desk_id", message=_("所选调解点不存在。"))
    categories = reference.categories(session)
    users: dict[str, str] = {}
    for username, display in session.execute(select(User.username, User.display_name)):
        users.setdefault(display, username)
        users[username] = username
    errors = Collector()
    for place, message in problems.items():
        errors.add(place, message)
    cases: list[dict[str, Any]] = []
    wheres: list[dict[str, str]] = []
    labels: list[str] = []
    for r in rows:
        case, where = _ledger_case(r, desk_prefix, desks, categories, users, errors)
        cases.append(case)
        wheres.append(where)
        labels.append(f"{r.sheet} 第{r.row}行")
    # The same validators as the JSON import, with messages moved to sheet/row/column.
    verrs = Collector(limit=MAX_ERRORS)
    ctx = Context(desks=set(desks), usernames=set(users.values()), categories=set(categories),
                   sources=set(reference.sources(session)))
    clean = []
    for i, case in enumerate(cases):
        if case.get("desk") is None:
            case["desk"] = next(iter(desks), None)  # reported above; keep validating the rest
        record = clean_case(Obj(case, f"cases[{i}]", verrs), ctx)
        # The ledger's own row number (序号) tells apart entries that are otherwise alike.
        record["ledger_no"] = case["events"][0]["data"]["ledger_no"]
        clean.append(record)
    check_cases_together(verrs, clean, [])
    duplicates = Duplicates(session, clean, desks)
    if not errors.has_errors:
        check_against_database(session, verrs, clean, duplicates)

    def rename(key: str) -> str:
        m = re.match(r"cases\[(\d+)\]\.?(.*)$", key)
        if not m:
            return key
        i, rest = int(m.group(1)), m.group(2)
        if rest in wheres[i]:
            return wheres[i][rest]
        head = rest.split(".")[0] if rest else ""
        return wheres[i].get(head, f"{labels[i]} {rest}".strip())

    for key, message in verrs.errors.items():
        errors.add(rename(key), message)
    errors.raise_if_any()
    if not clean:
        raise ValidationError(field="file", message=_("台账中没有可导入的行。"))
    w = Writer(session, actor, "xlsx", p.name, duplicates)
    for n, (c, label) in enumerate(zip(clean, labels, strict=True), start=1):
        w.case(c, origin_label=label)
        if progress is not None:
            progress(n, len(clean))
    w.finish()
    summary = ImportSummary("xlsx", len(w.imported), tuple(w.skipped), case_ids=tuple(w.imported))
    audit_batch(session, actor, summary, p.name)
    return summary
