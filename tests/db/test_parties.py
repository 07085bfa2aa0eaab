"""Parties: one check for every way a party comes in (intake, export file, ledger)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mediation import workflow
from mediation.errors import ValidationError
from mediation.services import cases, transfer
from mediation.services.parties import PartyInput
from mediation.timeutil import clock_at
from tests.factories import dispute, ledger_workbook, make_id, person

# 20:00 UTC on 5 December is 04:00 on 6 December at the desk: the machine's UTC date and
# the desk's date differ.
EVENING_UTC = dt.datetime(2026, 12, 5, 20, 0, tzinfo=dt.timezone.utc)


def _errors(fn: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        fn(*args, **kwargs)
    return dict(info.value.errors)


def test_birth_dates_are_checked_against_the_desks_date(db, desk) -> None:
    """Issue 12 item 10: one "today", the desk's, and errors under the party's own field."""
    eighteen_today = person("applicant", "张三", birth=dt.date(2008, 12, 6), seq=111)
    born_today = person("respondent", "李四", birth=dt.date(2026, 12, 6), seq=222)
    with clock_at(EVENING_UTC), db.write() as s:
        ref = cases.register_case(s, desk.volunteer, dispute(parties=[eighteen_today, born_today]))
        detail = cases.get_case(s, desk.officer, ref.id)
        assert [p.birth_date for p in detail.parties] == [dt.date(2008, 12, 6), dt.date(2026, 12, 6)]
        # An adult on the desk's date (17 by the UTC date): police mediation needs no guardian
        # for them; the baby does.
        facts = cases.facts_for(s, s.get(cases.Case, ref.id))
        assert [p.is_minor for p in facts.parties] == [False, True]
    tomorrow = person("respondent", "李四", birth=dt.date(2026, 12, 7), seq=222)
    with clock_at(EVENING_UTC), db.write() as s:
        errors = _errors(cases.register_case, s, desk.volunteer, dispute(parties=[eighteen_today, tomorrow]))
    assert list(errors) == ["parties.1.id_number"]
    assert "晚于今天" in errors["parties.1.id_number"]


def _json_case(desk, parties: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": transfer.FORMAT, "version": transfer.VERSION, "cases": [{
        "desk": "X警校调字", "stage": workflow.REGISTERED, "facts": "押金纠纷。",
        "registered_at": "2026-03-01T08:00:00+08:00", "parties": parties}]}


def test_intake_and_import_check_a_party_alike(db, desk) -> None:
    born = dt.date(2003, 5, 17)
    bad = dict(role="applicant", name="张三", sex="M", id_number=make_id(born, 111),
               birth_date=dt.date(2003, 5, 18), phone="12345", ethnicity="汉" * 21)
    other = dict(role="respondent", name="某某有限公司", kind="org", id_number="9" * 41)
    with db.write() as s:
        intake = _errors(cases.register_case, s, desk.volunteer,
                         dispute(parties=[PartyInput(**bad), PartyInput(**other)]))  # type: ignore[arg-type]
    as_json = [{**bad, "birth_date": bad["birth_date"].isoformat()}, other]
    with db.write() as s:
        imported = _errors(transfer.import_document, s, desk.admin, _json_case(desk, as_json))
    assert set(intake) == {"parties.0.sex", "parties.0.birth_date", "parties.0.phone",
                           "parties.0.ethnicity", "parties.1.id_number"}
    for key, message in intake.items():
        assert imported["cases[0]." + key.replace("parties.", "parties[").replace(".", "].", 1)] == message
    assert "证件上为 2003-05-17" in intake["parties.0.birth_date"]


def test_a_ledger_row_is_checked_as_the_intake_checks_it(db, desk, tmp_path) -> None:
    future = make_id(dt.date(2030, 1, 1), 111)
    rows = [["2025-03-01", "张三", future, "押金。"]]
    path = ledger_workbook(tmp_path / "ids.xlsx", rows, ["登记日期", "申请人", "申请人身份证号", "纠纷事实"])
    with db.write() as s:
        errors = _errors(transfer.import_, s, desk.admin, path)
    with db.write() as s:
        intake = _errors(cases.register_case, s, desk.volunteer, dispute(parties=[
            PartyInput(role="applicant", name="张三", id_number=future), person("respondent", "李四")]))
    assert list(errors.values()) == [intake["parties.0.id_number"]]
    assert list(errors)[0].endswith("申请人身份证号")
