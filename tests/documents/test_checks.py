"""The form checker catches each missing or inconsistent required item."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from mediation.documents import checks, samples
from mediation.documents.checks import Problem, check_document, has_errors
from mediation.documents.model import Amount, DocumentContext, Party, PartyRole

TODAY = dt.date(2026, 3, 10)


def _ctx(track: str = "people") -> DocumentContext:
    return samples.sample_context(long_facts=False, track=track)


def _edit_party(ctx: DocumentContext, index: int, **changes: object) -> DocumentContext:
    """Change one party both in the document and on the case (so only that item fails)."""
    parties = list(ctx.parties)
    parties[index] = dataclasses.replace(parties[index], **changes)
    return dataclasses.replace(ctx, parties=parties, case_parties=parties)


def _codes(problems: list[Problem]) -> dict[str, Problem]:
    return {p.code: p for p in problems}


@pytest.mark.parametrize("form", ["people_agreement", "police_agreement"])
def test_complete_sample_passes(form: str) -> None:
    ctx = samples.context_for(form)
    problems = check_document(form, ctx, today=TODAY)
    assert not has_errors(problems), [p.message_zh for p in problems]


def test_other_forms_are_not_checked() -> None:
    assert check_document("rights_notice", DocumentContext(), today=TODAY) == []


CASES: list[tuple[str, Callable[[DocumentContext], DocumentContext], str]] = [
    ("number_missing", lambda c: dataclasses.replace(c, agreement_number=""), "agreement_number"),
    ("party_name_missing", lambda c: _edit_party(c, 1, name=""), "parties.1.name"),
    (
        "party_id_missing",
        lambda c: _edit_party(c, 1, id_number="", id_missing_reason=""),
        "parties.1.id_number",
    ),
    ("party_address_missing", lambda c: _edit_party(c, 0, address=" "), "parties.0.address"),
    ("party_contact_missing", lambda c: _edit_party(c, 0, phone=""), "parties.0.phone"),
    (
        "representative_unlinked",
        lambda c: _edit_party(c, 2, represents=""),
        "parties.2.represents",
    ),
    ("facts_missing", lambda c: dataclasses.replace(c, facts=""), "facts"),
    (
        "disputed_matters_missing",
        lambda c: dataclasses.replace(c, disputed_matters=""),
        "disputed_matters",
    ),
    ("terms_missing", lambda c: dataclasses.replace(c, terms=[]), "terms"),
    ("term_empty", lambda c: dataclasses.replace(c, terms=[*c.terms, "  "]), "terms.3"),
    (
        "performance_manner_missing",
        lambda c: dataclasses.replace(c, performance_manner=""),
        "performance_manner",
    ),
    (
        "performance_place_missing",
        lambda c: dataclasses.replace(c, performance_place=""),
        "performance_place",
    ),
    (
        "performance_deadline_missing",
        lambda c: dataclasses.replace(c, performance_deadline=None),
        "performance_deadline",
    ),
    ("copies_mismatch", lambda c: dataclasses.replace(c, copies=2), "copies"),
    ("mediator_missing", lambda c: dataclasses.replace(c, mediator=""), "mediator"),
    ("committee_missing", lambda c: dataclasses.replace(c, committee_name=""), "committee_name"),
    (
        "amount_mismatch",
        lambda c: dataclasses.replace(c, terms=["被申请人退还押金人民币贰仟元整（¥2,500.00）。"]),
        "terms.0",
    ),
    (
        "amount_invalid",
        lambda c: dataclasses.replace(c, amounts=[Amount("押金", Decimal("-1"))]),
        "amounts.0.value",
    ),
    (
        "agreement_date_missing",
        lambda c: dataclasses.replace(c, agreement_date=None),
        "agreement_date",
    ),
    (
        "agreement_before_registration",
        lambda c: dataclasses.replace(c, agreement_date=dt.date(2026, 3, 1)),
        "agreement_date",
    ),
    (
        "deadline_before_agreement",
        lambda c: dataclasses.replace(c, performance_deadline=dt.date(2026, 3, 8)),
        "performance_deadline",
    ),
    (
        "party_not_in_document",
        lambda c: dataclasses.replace(
            c, parties=[p for p in c.parties if p.role != PartyRole.RESPONDENT]
        ),
        "parties",
    ),
    (
        "party_not_on_case",
        lambda c: dataclasses.replace(
            c,
            parties=[
                *c.parties,
                Party(
                    "钱第三",
                    PartyRole.RESPONDENT,
                    address="某市",
                    phone="1",
                    id_missing_reason="无",
                ),
            ],
        ),
        "parties",
    ),
    (
        "parties_too_few",
        lambda c: dataclasses.replace(c, parties=c.parties[:1], case_parties=c.parties[:1]),
        "parties",
    ),
    (
        "guardian_missing",
        lambda c: _edit_party(c, 0, birth_date=dt.date(2012, 1, 1)),
        "parties.0",
    ),
]


@pytest.mark.parametrize(("code", "edit", "field"), CASES, ids=[c[0] for c in CASES])
def test_each_required_item_is_caught(
    code: str, edit: Callable[[DocumentContext], DocumentContext], field: str
) -> None:
    problems = _codes(check_document("people_agreement", edit(_ctx()), today=TODAY))
    assert code in problems, sorted(problems)
    problem = problems[code]
    assert problem.severity == "error"
    assert problem.field == field
    assert problem.message_zh and all(ord(ch) < 0x80 for ch in problem.code)


POLICE_CASES: list[tuple[str, Callable[[DocumentContext], DocumentContext]]] = [
    ("presiding_officer_missing", lambda c: dataclasses.replace(c, presiding_officer="")),
    ("police_unit_missing", lambda c: dataclasses.replace(c, police_unit="")),
    ("incident_time_missing", lambda c: dataclasses.replace(c, incident_time=None)),
    ("incident_place_missing", lambda c: dataclasses.replace(c, incident_place="")),
    ("copies_mismatch", lambda c: dataclasses.replace(c, copies=4)),
    ("performance_deadline_missing", lambda c: dataclasses.replace(c, performance_deadline=None)),
]


@pytest.mark.parametrize(("code", "edit"), POLICE_CASES, ids=[c[0] for c in POLICE_CASES])
def test_police_agreement_items(
    code: str, edit: Callable[[DocumentContext], DocumentContext]
) -> None:
    problems = _codes(check_document("police_agreement", edit(_ctx("police")), today=TODAY))
    assert code in problems and problems[code].severity == "error"


def test_police_copies_are_three_regardless_of_parties() -> None:
    ctx = dataclasses.replace(_ctx("police"), copies=3)
    assert "copies_mismatch" not in _codes(check_document("police_agreement", ctx, today=TODAY))


def test_figure_without_capitals_is_a_warning() -> None:
    ctx = dataclasses.replace(_ctx(), terms=["被申请人于3月20日前退还押金2500元。"])
    problem = _codes(check_document("people_agreement", ctx, today=TODAY))["amount_capital_missing"]
    assert problem.severity == "warning"
    assert "人民币贰仟伍佰元整" in problem.message_zh


def test_amounts_that_agree_pass() -> None:
    assert (
        checks.amount_problems(
            "退还人民币贰仟伍佰元整（¥2,500.00）及壹拾万零伍元整（￥100,005）", "t"
        )
        == []
    )
    assert checks.amount_problems("2026年3月20日前，3栋2单元", "t") == []


def test_missing_particulars_are_warnings() -> None:
    ctx = _edit_party(
        _ctx(), 1, ethnicity="", occupation="", employer="", birth_date=None, age=None
    )
    problems = check_document("people_agreement", ctx, today=TODAY)
    codes = _codes(problems)
    for code in ("party_ethnicity_missing", "party_occupation_missing", "party_age_missing"):
        assert codes[code].severity == "warning"
    assert not has_errors(problems)


def test_id_number_checksum_is_checked() -> None:
    assert checks.id_number_problem("110101200405170037") is None
    assert checks.id_number_problem("110101200405170036") is not None
    ctx = _edit_party(_ctx(), 0, id_number="110101200405170036")
    assert (
        _codes(check_document("people_agreement", ctx, today=TODAY))["party_id_invalid"].severity
        == "warning"
    )


def test_the_checker_uses_the_intakes_id_check_and_date() -> None:
    from mediation import validation

    born_later = "11010420270101123"
    number = born_later + validation.resident_id_check_char(born_later)
    assert checks.id_number_problem(number, dt.date(2026, 12, 31)) == "身份证号码中的出生日期晚于今天，请核对。"
    assert checks.id_number_problem(number, dt.date(2027, 1, 1)) is None
    assert checks.id_number_problem("110101200405170036") == "身份证号码校验位（最后一位）不符，请逐位核对号码是否输错。"
