"""Parties: one check for every way a party comes in (intake, export file, ledger);
stored parties found again, their full ID number revealed only on record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from mediation import workflow
from mediation.errors import PermissionDenied, ValidationError
from mediation.models import AuditLog, Party
from mediation.services import audit, case_detail, cases, parties, transfer
from mediation.services.cases import CaseEdit
from mediation.services.parties import PartyInput
from mediation.timeutil import clock_at
from tests.factories import dispute, ledger_workbook, make_id, person

# 20:00 UTC on 5 December is 04:00 on 6 December at the desk: the machine's UTC date and
# the desk's date differ.
EVENING_UTC = dt.datetime(2026, 12, 5, 20, 0, tzinfo=dt.UTC)


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
        detail = case_detail.get_case(s, desk.officer, ref.id)
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
                         dispute(parties=[PartyInput(**bad), PartyInput(**other)]))
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
    assert next(iter(errors)).endswith("申请人身份证号")


def _register(db, actor, **kw):
    with db.write() as s:
        return cases.register_case(s, actor, dispute(**kw))


def test_rare_characters_in_names_are_kept(db, desk):
    names = ["王䶮", "𠮷田·花子", "李㛃"]
    ref = _register(db, desk.volunteer, parties=[
        person("applicant", names[0], seq=101), person("respondent", names[1], seq=102),
        person("third", names[2], seq=103)])
    with db.read() as s:
        got = [p.name for p in case_detail.get_case(s, desk.officer, ref.id).parties]
    assert got == names


def test_reveal_id_is_audited_and_restricted(db, desk):
    ref = _register(db, desk.volunteer)
    with db.read() as s:
        party_id = case_detail.get_case(s, desk.officer, ref.id).parties[0].party_id
    with db.write() as s, pytest.raises(PermissionDenied):
        parties.reveal_id_number(s, desk.volunteer, party_id)
    with db.write() as s:
        full = parties.reveal_id_number(s, desk.officer, party_id, purpose="核对身份")
    assert full == make_id(dt.date(2003, 5, 17), 111)
    with db.read() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action == "party.view_id")).all()
        assert len(rows) == 1 and rows[0].user_id == desk.officer.user_id
        assert full not in str(rows[0].after)


def test_existing_party_is_offered(db, desk):
    _register(db, desk.volunteer)
    with db.read() as s:
        matches = parties.find_existing_parties(s, desk.volunteer, id_number=make_id(dt.date(2003, 5, 17), 111))
    assert len(matches) == 1 and matches[0].name == "张三" and matches[0].case_count == 1


def test_editing_a_stored_party_keeps_what_is_left_blank_and_updates_its_other_cases(db, desk):
    from dataclasses import replace

    from mediation.models import Case

    with db.write() as s:
        first = cases.register_case(s, desk.volunteer, dispute())
    with db.read() as s:
        detail = case_detail.get_case(s, desk.officer, first.id)
        zhang = detail.parties[0]
    # The same person on a second case, linked to the stored party.
    with db.write() as s:
        second = cases.register_case(s, desk.volunteer, dispute(parties=[
            person("applicant", "张三", seq=111, existing_party_id=zhang.party_id),
            person("respondent", "王五", seq=333, phone="13700137000")]))
    with db.read() as s:
        version_before = s.get(Case, second.id).version_id
    # Edit the first case as the form sends it: ID and phone boxes empty (shown masked),
    # the name corrected.
    edited = [replace(person("applicant", "张三丰", seq=111, existing_party_id=zhang.party_id),
                      id_number="", phone="", address=""),
              person("respondent", "李四", seq=222, phone="13900139000",
                     existing_party_id=detail.parties[1].party_id)]
    with db.write() as s:
        cases.update_case(s, desk.volunteer, first.id, CaseEdit(facts=detail.facts, claims=detail.claims,
                          category=detail.category, subcategory=detail.subcategory, source=detail.source,
                          parties=edited), expected_version=detail.version)
    with db.read() as s:
        stored = s.get(Party, zhang.party_id)
        assert (stored.name, stored.id_number, stored.phone, stored.address) == (
            "张三丰", make_id(dt.date(2003, 5, 17), 111), "13800138000", "某市某区学府路1号")
        other = s.get(Case, second.id)
        assert other.party_names.startswith("张三丰")  # the list line of the other case follows
        assert other.version_id == version_before  # ... without a false conflict for its editors
        assert audit.verify(s).ok
