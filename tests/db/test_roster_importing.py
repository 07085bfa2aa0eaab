"""The school's Excel list: good rows imported, duplicate and malformed rows listed by sheet, row
and column with the reason, nothing half-imported; the column mapping is remembered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediation.db import Database
from mediation.errors import PermissionDenied, ValidationError
from mediation.models import AuditLog, Volunteer
from mediation.services.roster import importing, volunteers
from mediation.services.roster.volunteers import VolunteerInput
from tests.conftest import Desk
from tests.roster_fixtures import TERM_START, desk_time, open_term, xlsx

HEADERS = ["序号", "学生姓名", "学号", "班级", "手机号码", "加入日期", "备注"]


def school_list(tmp_path: Path) -> Path:
    """Good rows, a duplicate, and the malformed rows of the issue; a title row above the headers."""
    rows = [
        ["2026年秋季学期警校联调中心志愿者名单"],
        HEADERS,
        [1, "王小明", "20230001", "法学2301", "13800001111", dt.datetime(2026, 9, 7), ""],  # row 3: good
        [2, "李小红", 20230002, "法学2301", "13800002222", "2026/9/10", "日期写成文字"],  # row 4: good (typed date)
        [3, "张小强", "20230003", "法学2302", "1380000", None, "手机号少了位"],  # row 5: bad phone
        [4, None, "20230004", "法学2302", "13800004444", None, "没写姓名"],  # row 6: missing name
        [5, "赵小芳", "20230001", "法学2302", "13800005555", None, "学号与第3行重复"],  # row 7: duplicate in file
        [6, "孙小亮", "20230006", "法学2303", "13800006666", "九月十日", "日期无法识别"],  # row 8: bad date
        [7, "周小", "20230007", "法学2303", "13800007777", None, "姓名学号合并"],  # row 9: merged B9:C9
        [8, "吴小燕", "20230008", "法学2304", "13800008888", None, ""],  # row 10: class merged down (good)
        [9, "郑小伟", "20230009", None, "13800009999", None, ""],  # row 11: class from the merge (good)
        [10, "钱小丽", "20229999", "法学2304", "13800000000", None, "已在名单中"],  # row 12: already on the term
    ]
    return xlsx(tmp_path / "志愿者名单.xlsx", rows, merges=["B9:C9", "D10:D11"])


def test_good_rows_imported_bad_ones_listed_nothing_half_imported(db: Database, desk: Desk, tmp_path: Path) -> None:
    term_id = open_term(db, desk.admin)
    with desk_time(TERM_START, 9), db.write() as s:
        volunteers.add_volunteer(s, desk.admin, term_id, VolunteerInput("钱小丽", "20229999"))
    path = school_list(tmp_path)
    with desk_time(TERM_START, 10), db.read() as s:
        preview = importing.read_columns(s, desk.admin, path)
    assert preview.sheets[0].header_row == 2 and not preview.remembered
    assert preview.mapping == {"name": "学生姓名", "student_no": "学号", "class_name": "班级", "phone": "手机号码",
                               "joined_on": "加入日期"}
    with desk_time(TERM_START, 10), db.write() as s:
        report = importing.import_volunteers(s, desk.admin, term_id, path, preview.mapping)
    assert report.imported == 4
    problems = {(p.row, p.column): p.message for p in report.problems}
    assert set(problems) == {(5, "手机号码"), (6, "学生姓名"), (8, "加入日期"), (9, "学生姓名"), (9, "学号")}
    assert "号码" in problems[(5, "手机号码")]
    assert "姓名" in problems[(6, "学生姓名")]
    assert "日期无法识别" in problems[(8, "加入日期")]
    assert "B9:C9" in problems[(9, "学号")] and "合并" in problems[(9, "学号")]
    assert all(p.sheet == "名单" for p in report.problems)
    assert report.problems[0].place.startswith("名单 第")
    assert [(d.row, d.column) for d in report.duplicates] == [(7, "学号"), (12, "学号")]
    assert "第3行" in report.duplicates[0].message and "已在本学期" in report.duplicates[1].message
    with db.read() as s:
        rows = {v.student_no: v for v in s.scalars(select(Volunteer).where(Volunteer.term_id == term_id))}
        assert set(rows) == {"20229999", "20230001", "20230002", "20230008", "20230009"}
        # Nothing of a bad row is in: not even its good cells.
        assert "20230003" not in rows and "20230006" not in rows
        assert rows["20230002"].joined_on == dt.date(2026, 9, 10)  # the date typed as text was read
        assert rows["20230001"].joined_on == dt.date(2026, 9, 7)
        assert rows["20230009"].class_name == "法学2304"  # the class merged down applies to each row
        assert rows["20230001"].status == "training"
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "roster.import")).one()
        assert audit.after is not None and audit.after["imported"] == 4
        assert "13800001111" not in str(audit.after)  # phones are masked in the audit trail


def test_the_mapping_is_remembered_for_the_next_list(db: Database, desk: Desk, tmp_path: Path) -> None:
    term_id = open_term(db, desk.admin)
    first = xlsx(tmp_path / "a.xlsx", [["名字X", "编号Y", "电话"], ["王小明", "20230001", "13800001111"]])
    with desk_time(TERM_START, 10), db.read() as s:
        preview = importing.read_columns(s, desk.admin, first)
    assert "name" not in preview.mapping  # unusual headers: the administrator maps them by hand
    with desk_time(TERM_START, 10), db.write() as s:
        importing.import_volunteers(s, desk.admin, term_id, first, {"name": "名字X", "student_no": "编号Y",
                                                                     "phone": "电话"})
    second = xlsx(tmp_path / "b.xlsx", [["序", "名字X", "编号Y"], [1, "李小红", "20230002"]])
    with desk_time(TERM_START, 11), db.read() as s:
        again = importing.read_columns(s, desk.admin, second)
    assert again.remembered and again.mapping == {"name": "名字X", "student_no": "编号Y"}
    with desk_time(TERM_START, 11), db.write() as s:
        assert importing.import_volunteers(s, desk.admin, term_id, second, again.mapping).imported == 1


def test_an_unusable_mapping_is_refused_naming_the_field(db: Database, desk: Desk, tmp_path: Path) -> None:
    term_id = open_term(db, desk.admin)
    path = school_list(tmp_path)
    with desk_time(TERM_START, 10), db.write() as s, pytest.raises(ValidationError) as exc:
        importing.import_volunteers(s, desk.admin, term_id, path, {"name": "学生姓名", "class_name": "专业"})
    assert set(exc.value.errors) == {"mapping.student_no", "mapping.class_name"}
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Volunteer)) == 0


def test_a_file_that_is_not_a_workbook_is_refused(db: Database, desk: Desk, tmp_path: Path) -> None:
    term_id = open_term(db, desk.admin)
    bad = tmp_path / "名单.xlsx"
    bad.write_bytes(b"not a zip")
    with db.write() as s, pytest.raises(ValidationError) as exc:
        importing.import_volunteers(s, desk.admin, term_id, bad, {"name": "姓名", "student_no": "学号"})
    assert ".xlsx" in exc.value.message


def test_only_the_administrator_imports(db: Database, desk: Desk, tmp_path: Path) -> None:
    term_id = open_term(db, desk.admin)
    with db.write() as s, pytest.raises(PermissionDenied):
        importing.import_volunteers(s, desk.adviser, term_id, school_list(tmp_path), {})
