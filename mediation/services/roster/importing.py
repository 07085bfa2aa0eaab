"""Importing the school's list of volunteers (.xlsx) into a term.

Two steps, as the administrator sees them:

1. :func:`read_columns` reads the sheets and proposes which column holds which field —
   the mapping remembered from the desk's last import where its headers are found, else
   the usual header names (姓名, 学号, 班级 …);
2. :func:`import_volunteers` imports with the mapping the administrator confirmed, and
   remembers it for next time.

Every row is checked whole before anything is written (the same checks as adding a
volunteer by hand): a row with any problem is listed (sheet, row, column, reason) and
not imported at all, a row whose student number is already on the term or earlier in the
file is listed as a duplicate, and every good row is imported — in one transaction.

Merged cells: a cell merged down one column (a class written once for several students)
gives its value to every row it covers, for the columns where that makes sense (班级,
学院, 性别, 加入日期); any other merge in the rows (across columns, or over a name or a
student number) makes those rows unreadable, and they are listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import volunteering
from mediation.changes import Changes
from mediation.db import require_write
from mediation.errors import ValidationError
from mediation.i18n import N_, _
from mediation.models import Setting, Volunteer, VolunteerStatusChange
from mediation.permissions import Actor, require
from mediation.progress import Progress
from mediation.services import audit
from mediation.services.roster import common, sheets
from mediation.services.roster.volunteers import VolunteerInput, audit_fields, clean_volunteer, taken_student_nos
from mediation.timeutil import utcnow
from mediation.validation import Collector

MAPPING_SETTING = "roster_import_mapping"


@dataclass(frozen=True)
class ImportField:
    label: str
    aliases: tuple[str, ...]
    required: bool = False
    fill_down: bool = False
    """A cell merged down this column applies to every row it covers."""


IMPORT_FIELDS: dict[str, ImportField] = {
    "name": ImportField(N_("姓名"), ("姓名", "学生姓名", "名字"), required=True),
    "student_no": ImportField(N_("学号"), ("学号", "学生学号", "学籍号"), required=True),
    "class_name": ImportField(N_("班级"), ("班级", "专业班级", "行政班", "年级班级", "班级名称"), fill_down=True),
    "college": ImportField(N_("学院"), ("学院", "院系", "所在学院", "院(系)"), fill_down=True),
    "sex": ImportField(N_("性别"), ("性别",), fill_down=True),
    "phone": ImportField(N_("手机号"), ("手机", "手机号", "手机号码", "电话", "联系电话", "联系方式")),
    "id_number": ImportField(N_("身份证号"), ("身份证号", "身份证号码", "证件号码", "身份证")),
    "joined_on": ImportField(N_("加入日期"), ("加入日期", "报名日期", "上岗日期", "开始日期"), fill_down=True),
}
"""The fields a list may give (label, usual headers), in the order the mapping step shows them."""


def field_label(key: str) -> str:
    return _(IMPORT_FIELDS[key].label)


@dataclass(frozen=True)
class SheetColumns:
    sheet: str
    header_row: int
    headers: list[str]
    """Header text by column (blank: the column has no header)."""
    sample: list[list[str]]
    """The first data rows, as text, for the mapping step to show."""


@dataclass(frozen=True)
class ImportPreview:
    sheets: list[SheetColumns]
    mapping: dict[str, str]
    """Field → header text proposed for the first sheet."""
    remembered: bool
    """The proposal is the mapping remembered from the last import."""


def _aliases() -> list[str]:
    return [a for f in IMPORT_FIELDS.values() for a in f.aliases]


def remembered_mapping(session: Session, desk_id: int) -> dict[str, str]:
    row = session.scalar(select(Setting.value).where(Setting.desk_id == desk_id, Setting.key == MAPPING_SETTING))
    if not isinstance(row, dict):
        return {}
    return {str(k): str(v) for k, v in row.items() if k in IMPORT_FIELDS and isinstance(v, str)}


def _propose(headers: list[str], remembered: dict[str, str]) -> tuple[dict[str, str], bool]:
    present = {sheets.norm_header(h): h for h in headers if h}
    mapping: dict[str, str] = {}
    used_remembered = False
    for key, header in remembered.items():
        if sheets.norm_header(header) in present:
            mapping[key] = present[sheets.norm_header(header)]
            used_remembered = True
    taken = set(mapping.values())
    for key, spec in IMPORT_FIELDS.items():
        if key in mapping:
            continue
        for alias in spec.aliases:
            found = present.get(sheets.norm_header(alias))
            if found is not None and found not in taken:
                mapping[key] = found
                taken.add(found)
                break
    return mapping, used_remembered


def _sheet_columns(grid: sheets.Grid, remembered: dict[str, str]) -> SheetColumns | None:
    row = grid.header_row([*_aliases(), *remembered.values()])
    if not row:
        return None
    data_rows = [n for n in sorted(grid.rows) if n > row][:3]
    return SheetColumns(grid.name, row, grid.headers(row),
                        [[sheets.cell_text(c) for c in grid.rows[n]] for n in data_rows])


def read_columns(session: Session, actor: Actor, path: Path | str, *, desk_id: int | None = None) -> ImportPreview:
    """The sheets of the file with their headers, and the proposed mapping (step 1)."""
    require(actor, "roster.manage")
    desk = common.desk_of(actor, desk_id)
    common.check_write(actor, desk)  # the first step of an import into this desk
    remembered = remembered_mapping(session, desk)
    found = [c for c in (_sheet_columns(g, remembered) for g in sheets.read_workbook(path)) if c is not None]
    if not found:
        raise ValidationError(field="file", message=_("文件中没有数据。"))
    mapping, used = _propose(found[0].headers, remembered)
    return ImportPreview(found, mapping, used)


def propose_mapping(session: Session, actor: Actor, headers: list[str]) -> dict[str, str]:
    """The proposal for another sheet's headers."""
    return _propose(headers, remembered_mapping(session, common.desk_of(actor)))[0]


# ---------------------------------------------------------------- step 2


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int
    column: str
    """The column's header (or its letter)."""
    message: str

    @property
    def place(self) -> str:
        return _("{sheet} 第{row}行 {column}").format(sheet=self.sheet, row=self.row, column=self.column).strip()


@dataclass(frozen=True)
class ImportReport:
    imported: int
    volunteer_ids: tuple[int, ...]
    problems: tuple[RowProblem, ...]
    """Rows not imported because something in them is wrong."""
    duplicates: tuple[RowProblem, ...]
    """Rows not imported because the student is already on the term (or earlier in the file)."""
    changes: Changes = field(default_factory=Changes)


def _check_mapping(mapping: dict[str, str], headers: list[str]) -> dict[str, int]:
    """Field → column index; ValidationError naming the field when the mapping is unusable."""
    v = Collector()
    index = {sheets.norm_header(h): i for i, h in enumerate(headers) if h}
    columns: dict[str, int] = {}
    seen: dict[int, str] = {}
    for key in mapping:
        if key not in IMPORT_FIELDS:
            v.add(f"mapping.{key}", _("未知的字段：{k}").format(k=key))
    for key, spec in IMPORT_FIELDS.items():
        header = (mapping.get(key) or "").strip()
        if not header:
            if spec.required:
                v.add(f"mapping.{key}", _("请指定“{f}”所在的列。").format(f=_(spec.label)))
            continue
        col = index.get(sheets.norm_header(header))
        if col is None:
            v.add(f"mapping.{key}", _("表中没有名为“{h}”的列。").format(h=header))
            continue
        if col in seen:
            v.add(f"mapping.{key}", _("“{h}”列已指定为“{f}”。").format(h=header, f=_(IMPORT_FIELDS[seen[col]].label)))
            continue
        seen[col] = key
        columns[key] = col
    v.raise_if_any()
    return columns


def _row_values(grid: sheets.Grid, n: int, columns: dict[str, int], headers: list[str],
                problems: list[RowProblem]) -> dict[str, Any] | None:
    """The mapped cells of row ``n`` (merged cells resolved), or None when the row cannot be read."""
    cells = grid.rows.get(n, ())
    values: dict[str, Any] = {}
    bad = False
    for key, col in columns.items():
        column = headers[col] or sheets.column_letter(col)
        merge = grid.merge_at(n, col)
        value = cells[col] if col < len(cells) else None
        if merge is not None:
            across = merge.first_col != merge.last_col
            if across or not IMPORT_FIELDS[key].fill_down:
                problems.append(RowProblem(grid.name, n, column, _(
                    "单元格 {ref} 是合并单元格，无法确定本行的“{f}”：请取消合并，每行分别填写。").format(
                    ref=merge.ref, f=field_label(key))))
                bad = True
                continue
            top = grid.rows.get(merge.first_row, ())
            value = top[col] if col < len(top) else None
        values[key] = value
    return None if bad else values


def _volunteer_input(values: dict[str, Any], fail: Any) -> VolunteerInput:
    joined: dt.date | None = None
    if values.get("joined_on") not in (None, ""):
        try:
            joined = sheets.cell_date(values["joined_on"])
        except (ValueError, OverflowError):
            fail("joined_on", _("日期无法识别，请写成 2026-09-01 或 2026年9月1日。"))
    return VolunteerInput(**{k: sheets.cell_text(values.get(k)) for k in IMPORT_FIELDS if k != "joined_on"},
                          joined_on=joined)


def import_volunteers(session: Session, actor: Actor, term_id: int, path: Path | str, mapping: dict[str, str], *,
                      sheet: str | None = None, progress: Progress | None = None) -> ImportReport:
    """Import the good rows of the list (step 2); the problems and duplicates are listed."""
    require_write(session)
    require(actor, "roster.manage")
    term = common.load_term(session, actor, term_id, write=True)
    common.open_term(term)
    grids = sheets.read_workbook(path)
    grid = next((g for g in grids if g.name == sheet), None) if sheet else None
    remembered = remembered_mapping(session, term.desk_id)
    if grid is None:
        if sheet:
            raise ValidationError(field="sheet", message=_("文件中没有名为“{s}”的工作表。").format(s=sheet))
        grid = next((g for g in grids if _sheet_columns(g, remembered) is not None), None)
        if grid is None:
            raise ValidationError(field="file", message=_("文件中没有数据。"))
    header_row = grid.header_row([*_aliases(), *mapping.values()])
    headers = grid.headers(header_row)
    columns = _check_mapping(mapping, headers)

    problems: list[RowProblem] = []
    duplicates: list[RowProblem] = []
    taken = taken_student_nos(session, term.id)
    first_seen: dict[str, int] = {}
    good: list[tuple[int, dict[str, Any]]] = []
    data_rows = [n for n in sorted(grid.rows) if n > header_row]
    for done, n in enumerate(data_rows, start=1):
        values = _row_values(grid, n, columns, headers, problems)
        if values is not None:
            v = Collector()
            data = _volunteer_input(values, v.add)
            fields = clean_volunteer(data, v, term=term)
            if v.has_errors:
                for key, message in v.errors.items():
                    col = columns.get(key)
                    column = (headers[col] or sheets.column_letter(col)) if col is not None else field_label(key)
                    problems.append(RowProblem(grid.name, n, column, message))
            else:
                number = fields["student_no"]
                column = headers[columns["student_no"]]
                if number in taken:
                    duplicates.append(RowProblem(grid.name, n, column, _("学号 {no} 已在本学期名单中。").format(no=number)))
                elif number in first_seen:
                    duplicates.append(RowProblem(grid.name, n, column, _("学号 {no} 与第{row}行重复。").format(
                        no=number, row=first_seen[number])))
                else:
                    first_seen[number] = n
                    good.append((n, fields))
        if progress is not None:
            progress(done, len(data_rows) * 2)
    ids = []
    now = utcnow()
    for done, (_n, fields) in enumerate(good, start=1):
        vol = Volunteer(desk_id=term.desk_id, term_id=term.id, status=volunteering.TRAINING,
                        status_changed_at=now, **fields)
        session.add(vol)
        session.flush()
        session.add(VolunteerStatusChange(desk_id=vol.desk_id, volunteer_id=vol.id, status_from=None,
                                          status_to=volunteering.TRAINING, reason=_("从名单导入"),
                                          by_id=actor.user_id))
        ids.append(vol.id)
        if progress is not None:
            progress(len(data_rows) + done * len(data_rows) // max(1, len(good)), len(data_rows) * 2)
    _remember(session, term.desk_id, {k: headers[c] for k, c in columns.items()})
    session.flush()
    audit.append(session, desk_id=term.desk_id, user_id=actor.user_id, action="roster.import", entity="roster_term", entity_id=term.id,
                 after={"file": Path(path).name, "sheet": grid.name, "imported": len(ids),
                        "problems": len(problems), "duplicates": len(duplicates),
                        "rows": [{"row": n, **audit_fields(f)} for n, f in good]})
    return ImportReport(len(ids), tuple(ids), tuple(problems), tuple(duplicates), Changes(users=bool(ids)))


def _remember(session: Session, desk_id: int, mapping: dict[str, str]) -> None:
    row = session.scalar(select(Setting).where(Setting.desk_id == desk_id, Setting.key == MAPPING_SETTING))
    if row is None:
        session.add(Setting(desk_id=desk_id, key=MAPPING_SETTING, value=mapping))
    elif row.value != mapping:
        row.value = mapping
        row.updated_at = utcnow()
