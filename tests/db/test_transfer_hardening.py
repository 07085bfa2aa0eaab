"""Imports that used to end in an internal error or slip through (issue 11 items 12 and 13):
each is now refused with one Chinese line naming the field or row, and nothing is written."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from mediation import cli
from mediation.db import Database
from mediation.errors import ValidationError
from mediation.models import Case, Setting
from mediation.services import cases, reference, transfer
from mediation.services.cases import CaseInput
from mediation.services.transfer.export import FORMAT
from mediation.services.parties import PartyInput
from tests.conftest import Desk
from tests.factories import dispute, ledger_workbook


def _case(**changes: Any) -> dict[str, Any]:
    record = {"ref": "c1", "desk": "X警校调字", "registered_at": "2025-03-01T08:00:00+08:00", "stage": "registered",
              "category": "合同", "facts": "押金未退。",
              "parties": [{"role": "applicant", "name": "王五", "kind": "person", "id_type": "none"}]}
    record.update(changes)
    return record


def _file(tmp_path: Path, name: str, doc: dict[str, Any] | str) -> Path:
    path = tmp_path / name
    if isinstance(doc, str):
        path.write_text(doc, encoding="utf-8")
    else:
        path.write_text(json.dumps({"format": FORMAT, "version": 1, **doc}, ensure_ascii=False), encoding="utf-8")
    return path


def _refused(db: Database, desk: Desk, path: Path) -> ValidationError:
    with db.read() as s:
        before = s.scalar(select(func.count()).select_from(Case))
    with pytest.raises(ValidationError) as exc, db.write() as s:
        transfer.import_(s, desk.admin, path)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == before  # nothing half-written
    return exc.value


PARTY = {"role": "applicant", "kind": "person", "id_type": "none"}


@pytest.mark.parametrize(("doc", "field", "words"), [
    ({"cases": [_case(registered_at="9999-12-31T23:59:59-05:00")]}, "cases[0].registered_at", "年份超过2999"),
    ({"cases": [_case(registered_at="0001-01-01T00:00:00+08:00")]}, "cases[0].registered_at", "早于1900年"),
    ({"cases": [_case(registered_at="1850-03-01T08:00:00+08:00")]}, "cases[0].registered_at", "早于1900年"),
    ({"cases": [_case(parties=[{**PARTY, "name": "王五", "birth_date": "0001-01-01"}])]},
     "cases[0].parties[0].birth_date", "早于1900年"),
    ({"cases": [_case(version=10**30)]}, "cases[0].version", "之间"),
    ({"cases": [_case(parties=[{**PARTY, "name": "\u0301\u0302"}])]}, "cases[0].parties[0].name", "没有可见的文字"),
    ({"cases": [_case(parties=[{**PARTY, "name": "\u200d\u200c"}])]}, "cases[0].parties[0].name", "没有可见的文字"),
    ({"cases": [_case(parties=[{**PARTY, "name": "\u3164\u3164"}])]}, "cases[0].parties[0].name", "没有可见的文字"),
    ({"cases": [_case(consultation="k9")]}, "cases[0].consultation", "consultations 中没有这条咨询记录"),
    ({"settings": [{"key": "idle_lock_minutes", "value": -5}]}, "settings[0].value", "1 到 240 分钟"),
    ({"settings": [{"key": "idle_lock_minutes", "value": "10"}]}, "settings[0].value", "1 到 240 分钟"),
    ({"settings": [{"key": "sources", "value": ["学校转交", "学校转交"]}]}, "settings[0].value", "重复"),
    ({"settings": [{"key": "categories", "value": {"合同": "租房"}}]}, "settings[0].value", "文字列表"),
    ({"settings": [{"key": "retention_years", "value": 0}]}, "settings[0].value", "1 到 100"),
    ({"settings": [{"key": "no_such_thing", "value": 1}]}, "settings[0].value", "未知的设置项"),
])
def test_bad_values_are_refused_naming_the_field(db: Database, desk: Desk, tmp_path: Path,
                                                  doc: dict[str, Any], field: str, words: str) -> None:
    error = _refused(db, desk, _file(tmp_path, "bad.json", doc))
    assert field in error.errors, error.errors
    assert words in error.errors[field], error.errors


def test_a_refused_setting_is_not_stored(db: Database, desk: Desk, tmp_path: Path) -> None:
    _refused(db, desk, _file(tmp_path, "s.json", {"settings": [{"key": "idle_lock_minutes", "value": -5}]}))
    with db.read() as s:
        assert s.scalar(select(Setting).where(Setting.key == "idle_lock_minutes")) is None
    # The service the settings dialog calls applies the very same rule.
    with pytest.raises(ValidationError) as exc, db.write() as s:
        reference.set_idle_lock_minutes(s, desk.admin, -5)
    assert "1 到 240 分钟" in exc.value.message
    with pytest.raises(ValidationError), db.write() as s:
        reference.set_setting(s, desk.admin, "idle_lock_minutes", 0)


def test_deep_nesting_and_5000_digit_numbers(db: Database, desk: Desk, tmp_path: Path) -> None:
    deep = (f'{{"format": "{FORMAT}", "version": 1, "cases": [{{"events": [{{"data": '
            + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}]}]}")
    error = _refused(db, desk, _file(tmp_path, "deep.json", deep))
    assert "嵌套层数过多" in error.message  # was: RecursionError
    shallow_but_deep = {"cases": [_case(events=[{"at": "2025-03-01T08:00:00+08:00", "kind": "note",
                                                 "data": json.loads('{"a": ' * 50 + "1" + "}" * 50)}])]}
    error = _refused(db, desk, _file(tmp_path, "deep2.json", shallow_but_deep))
    assert error.field.startswith("cases[0].events[0].data.a.a") and "嵌套层数过多" in error.message
    digits = (f'{{"format": "{FORMAT}", "version": 1, "number_sequences": [{{"desk": "X警校调字", "year": 2025, '
              f'"kind": "case", "last_value": {"9" * 5000}}}]}}')
    error = _refused(db, desk, _file(tmp_path, "digits.json", digits))
    assert error.errors == {"number_sequences[0].last_value": "数字位数过多（5000 位）。"}  # was Python's English


def _hostile_xlsx(tmp_path: Path, part: str, prolog: str, entity: str | None) -> Path:
    good = ledger_workbook(tmp_path / "good.xlsx", [[1, None, dt.datetime(2025, 4, 1), "王小明", "13800138000", "李四",
                                                     "合同", "当事人申请", "事实", "赔偿", 10, None, None, None]])
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                text = data.decode("utf-8")
                text = text[text.index("?>") + 2:] if text.startswith("<?xml") else text
                if entity:
                    text = text.replace("王小明", entity, 1)
                data = (prolog + text).encode("utf-8")
            out.writestr(info, data)
    return bad


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(("part", "prolog", "entity"), [
    ("xl/worksheets/sheet1.xml", LAUGHS, "&lol3;"),
    ("xl/worksheets/sheet1.xml", XXE, "&xxe;"),
    ("xl/workbook.xml", XXE, None),
    ("docProps/core.xml", LAUGHS, None),
])
def test_hostile_xlsx_ledgers_are_refused_with_a_clear_message(db: Database, desk: Desk, tmp_path: Path,
                                                                part: str, prolog: str, entity: str | None) -> None:
    error = _refused(db, desk, _hostile_xlsx(tmp_path, part, prolog, entity))
    assert error.field == "file" and "不允许的内容" in error.message and part in error.message


def test_ledger_dates_before_1900_are_refused_naming_the_row(db: Database, desk: Desk, tmp_path: Path) -> None:
    path = ledger_workbook(tmp_path / "台账.xlsx", [[1, None, "1899年12月31日", "王小明", None, "李四", "合同", None,
                                                   "事实。", None, None, None, None, None]])
    error = _refused(db, desk, path)
    assert error.errors == {"2025年台账 第3行 登记时间": "日期不能早于1900年1月1日，请核对。"}


def test_the_command_line_prints_one_chinese_line(db: Database, desk: Desk, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = _file(tmp_path, "x.json", {"cases": [_case(registered_at="9999-12-31T23:59:59-05:00")]})
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("admin1234\n"))
    assert cli.main(["--db", db.url, "import", str(path), "--as", "admin", "--as-password-stdin"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cases[0].registered_at" in err and "OverflowError" not in err


def test_intake_refuses_invisible_names_dates_before_1900_and_a_missing_consultation(db: Database, desk: Desk) -> None:
    bad_name = dispute(parties=[PartyInput(role="applicant", name="\u0301"), PartyInput(role="respondent", name="李四")])
    with pytest.raises(ValidationError) as exc, db.write() as s:
        cases.register_case(s, desk.volunteer, bad_name)
    assert "没有可见的文字" in " ".join(exc.value.errors.values())
    old = dispute()
    old.registered_at = dt.datetime(1899, 5, 1, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as exc, db.write() as s:
        cases.register_case(s, desk.volunteer, old)
    assert exc.value.errors == {"registered_at": "日期不能早于1900年1月1日，请核对。"}
    gone: CaseInput = dispute()
    gone.consultation_id = 999_999  # was: IntegrityError (数据库出错)
    with pytest.raises(ValidationError) as exc, db.write() as s:
        cases.register_case(s, desk.volunteer, gone)
    assert exc.value.field == "consultation_id" and "不存在" in exc.value.message
