"""What the form checker must and must not stop an officer for (issue 17).

Each test is a situation at the desk: a boundary date, an organisation as a party, an
oral agreement, a child turning sixteen, a warning the clerk should see.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from decimal import Decimal

from mediation.documents import samples
from mediation.documents.checks import Problem, amount_problems, check_document, has_errors
from mediation.documents.model import DocumentContext, Party, PartyKind, PartyRole, TocItem

TODAY = dt.date(2026, 3, 10)
SIGNED = dt.date(2026, 3, 9)  # the sample agreement's date


def _ctx(track: str = "people", **changes: object) -> DocumentContext:
    return dataclasses.replace(samples.sample_context(long_facts=False, track=track), **changes)


def _with_parties(ctx: DocumentContext, parties: list[Party]) -> DocumentContext:
    return dataclasses.replace(ctx, parties=parties, case_parties=parties)


def _problems(form: str, ctx: DocumentContext, today: dt.date = TODAY) -> dict[str, Problem]:
    return {p.code: p for p in check_document(form, ctx, today=today)}


def _adult(name: str, role: PartyRole = PartyRole.APPLICANT, **kw: object) -> Party:
    base: dict[str, object] = dict(
        sex="女", ethnicity="汉族", birth_date=dt.date(1990, 6, 1), occupation="职员",
        address="某市某区某路1号", phone="13800000009", id_missing_reason="未携带证件",
    )
    base.update(kw)
    return Party(name, role, **base)  # type: ignore[arg-type]


# ---------------------------------------------------------------- dates on the boundary


def test_agreement_signed_on_the_day_the_case_was_registered_is_fine() -> None:
    ctx = _ctx(agreement_date=dt.date(2026, 3, 2), performance_deadline=dt.date(2026, 3, 20))
    assert "agreement_before_registration" not in _problems("people_agreement", ctx)
    ctx = _ctx(agreement_date=dt.date(2026, 3, 1))
    assert _problems("people_agreement", ctx)["agreement_before_registration"].severity == "error"


def test_acceptance_date_counts_when_there_is_no_registration_date() -> None:
    ctx = _ctx(registered_on=None, accepted_on=dt.date(2026, 3, 9))
    assert "agreement_before_registration" not in _problems("people_agreement", ctx)
    ctx = _ctx(registered_on=None, accepted_on=dt.date(2026, 3, 10), performance_deadline=dt.date(2026, 3, 20))
    assert "agreement_before_registration" in _problems("people_agreement", ctx, today=dt.date(2026, 3, 11))


def test_performance_due_on_the_signing_day_is_fine_and_the_day_before_is_not() -> None:
    assert "deadline_before_agreement" not in _problems("people_agreement", _ctx(performance_deadline=SIGNED))
    problem = _problems("people_agreement", _ctx(performance_deadline=SIGNED - dt.timedelta(days=1)))[
        "deadline_before_agreement"
    ]
    assert (problem.field, problem.severity) == ("performance_deadline", "error")


def test_agreement_dated_up_to_thirty_days_ahead_is_not_questioned() -> None:
    later = TODAY + dt.timedelta(days=30)
    ctx = _ctx(agreement_date=later, performance_deadline=later)
    assert "agreement_date_far_future" not in _problems("people_agreement", ctx)
    ctx = _ctx(agreement_date=later + dt.timedelta(days=1), performance_deadline=later + dt.timedelta(days=1))
    problem = _problems("people_agreement", ctx)["agreement_date_far_future"]
    assert problem.severity == "warning" and problem.field == "agreement_date"


def test_without_an_agreement_date_only_its_absence_is_reported() -> None:
    problems = _problems("people_agreement", _ctx(agreement_date=None, performance_deadline=dt.date(2000, 1, 1)))
    assert problems["agreement_date_missing"].severity == "error"
    assert "deadline_before_agreement" not in problems


# ---------------------------------------------------------------- organisations


def _company(**kw: object) -> Party:
    base: dict[str, object] = dict(
        kind=PartyKind.ORGANISATION, address="某市某区某路2号", phone="010-12345678",
        id_number="91350100M000100Y43", legal_representative="林某某",
    )
    base.update(kw)
    return Party("某某物业服务有限公司", PartyRole.RESPONDENT, **base)  # type: ignore[arg-type]


def test_an_organisation_needs_its_legal_representative_but_not_a_persons_particulars() -> None:
    parties = [samples.sample_parties()[0], _company()]
    problems = _problems("people_agreement", _with_parties(_ctx(), parties))
    assert not has_errors(problems.values()), sorted(problems)
    # Its credit code is not a resident ID number, sex, birth or occupation are not asked.
    for code in ("party_id_invalid", "party_sex_missing", "party_ethnicity_missing",
                 "party_age_missing", "party_occupation_missing"):
        assert not any(p.code == code and p.field.startswith("parties.1") for p in
                       check_document("people_agreement", _with_parties(_ctx(), parties), today=TODAY)), code
    parties = [samples.sample_parties()[0], _company(legal_representative=" ")]
    problem = _problems("people_agreement", _with_parties(_ctx(), parties))["party_representative_missing"]
    assert (problem.field, problem.severity) == ("parties.1.legal_representative", "error")
    assert "某某物业服务有限公司" in problem.message_zh and "第2位当事人" in problem.message_zh


def test_a_party_with_a_reason_for_no_id_number_is_not_asked_for_one() -> None:
    parties = [samples.sample_parties()[0], _adult("赵某", PartyRole.RESPONDENT, id_number="", id_missing_reason="无证件")]
    assert "party_id_missing" not in _problems("people_agreement", _with_parties(_ctx(), parties))
    parties[1] = dataclasses.replace(parties[1], id_missing_reason=" ")
    problem = _problems("people_agreement", _with_parties(_ctx(), parties))["party_id_missing"]
    assert (problem.field, problem.severity) == ("parties.1.id_number", "error")


def test_a_wrong_id_number_is_a_warning_only_when_it_has_eighteen_characters() -> None:
    base = samples.sample_parties()
    wrong = [base[0], dataclasses.replace(base[1], id_number="11010519491231002x", id_missing_reason="")]
    # 11010519491231002X is valid (GB 11643's example), in either case of X.
    assert "party_id_invalid" not in _problems("people_agreement", _with_parties(_ctx(), wrong))
    wrong[1] = dataclasses.replace(wrong[1], id_number="110105194912310021")
    problem = _problems("people_agreement", _with_parties(_ctx(), wrong))["party_id_invalid"]
    assert (problem.field, problem.severity) == ("parties.1.id_number", "warning")
    assert "校验位" in problem.message_zh
    wrong[1] = dataclasses.replace(wrong[1], id_number="E00000000")  # a passport number
    assert "party_id_invalid" not in _problems("people_agreement", _with_parties(_ctx(), wrong))


def test_missing_sex_is_a_warning_and_ethnicity_is_not_asked_on_police_agreements() -> None:
    base = samples.sample_parties()
    parties = [dataclasses.replace(base[0], sex="", ethnicity=""), *base[1:]]
    people = _problems("people_agreement", _with_parties(_ctx(), parties))
    assert people["party_sex_missing"].severity == "warning"
    assert people["party_sex_missing"].field == "parties.0.sex"
    assert people["party_ethnicity_missing"].field == "parties.0.ethnicity"
    police = _problems("police_agreement", _with_parties(_ctx("police"), parties))
    assert police["party_sex_missing"].severity == "warning"
    assert "party_ethnicity_missing" not in police


def test_an_age_alone_or_an_employer_alone_is_enough() -> None:
    base = samples.sample_parties()
    parties = [dataclasses.replace(base[0], birth_date=None, age=21, occupation=""), *base[1:]]
    problems = _problems("people_agreement", _with_parties(_ctx(), parties))
    assert "party_age_missing" not in problems and "party_occupation_missing" not in problems
    parties[0] = dataclasses.replace(parties[0], employer="")
    assert _problems("people_agreement", _with_parties(_ctx(), parties))["party_occupation_missing"].severity == "warning"


def test_a_guardian_must_say_whom_they_act_for() -> None:
    base = samples.sample_parties()
    guardian = _adult("钱某", PartyRole.GUARDIAN, represents="")
    problem = _problems("people_agreement", _with_parties(_ctx(), [*base, guardian]))["representative_unlinked"]
    assert problem.field == "parties.3.represents"


# ---------------------------------------------------------------- minors


def _minor_case(birth: dt.date, *, guardian: bool, agent_first: bool = False) -> DocumentContext:
    base = samples.sample_parties()
    minor = _adult("孙小某", PartyRole.RESPONDENT, birth_date=birth, occupation="学生")
    parties = [base[0], base[2], minor] if agent_first else [base[0], minor]
    if guardian:
        parties.append(_adult("孙某", PartyRole.GUARDIAN, represents="孙小某"))
    return _with_parties(_ctx(), parties)


def test_a_party_sixteen_on_the_signing_day_needs_no_guardian() -> None:
    assert "guardian_missing" not in _problems("people_agreement", _minor_case(dt.date(2010, 3, 9), guardian=False))


def test_a_party_sixteen_tomorrow_needs_a_guardian() -> None:
    problem = _problems("people_agreement", _minor_case(dt.date(2010, 3, 10), guardian=False))["guardian_missing"]
    assert (problem.field, problem.severity) == ("parties.1", "error")
    assert "guardian_missing" not in _problems("people_agreement", _minor_case(dt.date(2010, 3, 10), guardian=True))


def test_a_minor_listed_after_an_agent_is_still_checked() -> None:
    problem = _problems("people_agreement", _minor_case(dt.date(2012, 1, 1), guardian=False, agent_first=True))[
        "guardian_missing"
    ]
    assert problem.field == "parties.2"


def test_age_counts_on_the_document_date_when_there_is_no_agreement_date() -> None:
    ctx = dataclasses.replace(_minor_case(dt.date(2010, 3, 9), guardian=False), agreement_date=None,
                              document_date=dt.date(2026, 3, 8))
    assert "guardian_missing" in _problems("people_agreement", ctx)


def test_a_minor_organisation_name_or_a_young_agent_is_not_a_minor_party() -> None:
    base = samples.sample_parties()
    young_agent = dataclasses.replace(base[2], birth_date=dt.date(2012, 1, 1), age=None)
    assert "guardian_missing" not in _problems("people_agreement", _with_parties(_ctx(), [*base[:2], young_agent]))


# ---------------------------------------------------------------- oral and police agreements


def test_an_oral_agreement_is_exempt_from_what_only_a_written_one_needs() -> None:
    one = [samples.sample_parties()[0]]
    ctx = _with_parties(_ctx(agreement_number="", disputed_matters="", responsibilities="", copies=7), one)
    problems = _problems("oral_agreement", ctx)
    for code in ("number_missing", "parties_too_few", "disputed_matters_missing",
                 "responsibilities_missing", "copies_mismatch"):
        assert code not in problems, code
    # Without the case number to stand in for it, the number is asked for.
    assert "number_missing" in _problems("oral_agreement", dataclasses.replace(ctx, case_number=""))
    # A written agreement needs all of them.
    written = _problems("people_agreement", ctx)
    assert {"number_missing", "parties_too_few", "disputed_matters_missing", "copies_mismatch"} <= set(written)
    assert written["responsibilities_missing"].severity == "warning"


def test_police_agreement_needs_no_performance_place_nor_disputed_matters() -> None:
    ctx = _ctx("police", performance_place="", disputed_matters="", responsibilities="", mediator="", committee_name="")
    problems = _problems("police_agreement", ctx)
    for code in ("performance_place_missing", "disputed_matters_missing", "responsibilities_missing",
                 "mediator_missing", "committee_missing"):
        assert code not in problems, code
    assert not has_errors(problems.values()), sorted(problems)


def test_copies_rule_counts_the_parties_to_the_dispute_not_their_agents() -> None:
    # Two parties and an agent: 3 copies (one each, one kept), not 4.
    assert "copies_mismatch" not in _problems("people_agreement", _ctx(copies=3))
    problem = _problems("people_agreement", _ctx(copies=4))["copies_mismatch"]
    assert "3份" in problem.message_zh and "4份" in problem.message_zh


def test_warnings_alone_do_not_block_approval() -> None:
    assert not has_errors([Problem("x", "f", "m", "warning")])
    assert has_errors([Problem("x", "f", "m", "warning"), Problem("y", "f", "m")])
    assert not has_errors([])


# ---------------------------------------------------------------- amounts in the terms


@pytest.mark.parametrize(
    "text",
    [
        "赔偿人民币壹仟零壹拾壹元整（¥1,011.00）",
        "赔偿贰万壹仟元整（￥21000）",
        "赔偿人民币叁佰贰拾伍元零肆分（人民币¥325.04元）",
        "赔偿人民币伍佰元正（¥500）",  # 正 for 整, as the bank rules allow
    ],
)
def test_capitals_that_match_the_figures_pass(text: str) -> None:
    assert amount_problems(text, "terms.0") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("赔偿人民币壹仟零壹拾零壹元整（¥1,011.00）", "壹仟零壹拾壹元整"),
        ("赔偿贰万零壹仟元整（¥21,000）", "贰万壹仟元整"),
        ("赔偿人民币叁佰贰拾伍元肆分（¥325.04）", "叁佰贰拾伍元零肆分"),
    ],
)
def test_capitals_that_do_not_match_the_figures_are_an_error_saying_how_to_write_them(text: str, expected: str) -> None:
    (problem,) = amount_problems(text, "terms.2")
    assert (problem.code, problem.field, problem.severity) == ("amount_mismatch", "terms.2", "error")
    assert f"应写作“{expected}”" in problem.message_zh


def test_figures_without_capitals_are_warned_about_once_each() -> None:
    problems = amount_problems("先付¥300，余款1,200元于月底付清", "terms.1")
    assert [(p.code, p.severity, p.field) for p in problems] == [
        ("amount_capital_missing", "warning", "terms.1"),
        ("amount_capital_missing", "warning", "terms.1"),
    ]
    assert "人民币叁佰元整（¥300）" in problems[0].message_zh
    assert "人民币壹仟贰佰元整（¥1,200）" in problems[1].message_zh


# ---------------------------------------------------------------- the case file's cover


def test_case_file_cover() -> None:
    assert check_document("case_file_cover", _ctx(), today=TODAY) == []
    problems = _problems("case_file_cover", _ctx(retention_period=" ", archivist="", toc=[]))
    assert problems["retention_missing"].severity == "error"
    assert problems["archivist_missing"].severity == "error"
    assert problems["file_empty"].severity == "warning"
    ok = _problems("case_file_cover", _ctx(toc=[TocItem("人民调解协议书", SIGNED, "1", "调委会")]))
    assert ok == {}


# ---------------------------------------------------------------- what the messages say


def test_every_message_about_a_party_names_the_party_by_place_role_and_name() -> None:
    base = samples.sample_parties()
    bare = dataclasses.replace(base[1], address="", phone="", sex="", ethnicity="", birth_date=None, age=None,
                               occupation="", employer="", id_missing_reason="")
    problems = [p for p in check_document("people_agreement", _with_parties(_ctx(), [base[0], bare]), today=TODAY)
                if p.field.startswith("parties.1.")]
    by_code = {p.code: p for p in problems}
    assert {"party_id_missing", "party_address_missing", "party_contact_missing", "party_sex_missing",
            "party_ethnicity_missing", "party_age_missing", "party_occupation_missing"} == set(by_code)
    for p in problems:
        assert p.message_zh.startswith("第2位当事人（被申请人李䶮㛃）"), p
    assert by_code["party_sex_missing"].message_zh == "第2位当事人（被申请人李䶮㛃）缺少性别"
    assert by_code["party_ethnicity_missing"].message_zh == "第2位当事人（被申请人李䶮㛃）缺少民族"
    assert by_code["party_address_missing"].message_zh == "第2位当事人（被申请人李䶮㛃）缺少住址"
    assert by_code["party_contact_missing"].message_zh == "第2位当事人（被申请人李䶮㛃）缺少联系方式"
    nameless = _problems("people_agreement", _with_parties(_ctx(), [base[0], dataclasses.replace(base[1], name=" ")]))
    assert nameless["party_name_missing"].message_zh == "第2位当事人（被申请人（未填姓名））缺少姓名或名称"


def test_an_id_number_is_judged_on_the_day_the_checker_is_told() -> None:
    from mediation import validation

    body = "11010520260601002"  # born 1 June 2026: after the checker's today, 10 March 2026
    later = body + validation.resident_id_check_char(body)
    parties = [dataclasses.replace(samples.sample_parties()[0], id_number=later), samples.sample_parties()[1]]
    problem = _problems("people_agreement", _with_parties(_ctx(), parties))["party_id_invalid"]
    assert problem.message_zh == ("第1位当事人（申请人王𠮷祥）的身份证号码有误：身份证号码中的出生日期晚于今天，请核对。")
    assert "party_id_invalid" not in _problems("people_agreement", _with_parties(_ctx(), parties), today=dt.date(2026, 6, 1))


def test_the_case_file_cover_names_the_field_to_fill_in() -> None:
    problems = check_document("case_file_cover", _ctx(retention_period="", archivist=" ", toc=[]), today=TODAY)
    assert [(p.code, p.field, p.severity) for p in problems] == [
        ("retention_missing", "retention_period", "error"),
        ("archivist_missing", "archivist", "error"),
        ("file_empty", "toc", "warning"),
    ]
    assert [p.message_zh for p in problems] == [
        "缺少保管期限（如“10年”或“永久”）", "缺少立卷人", "卷内还没有定稿的文书：请先把本案文书定稿再立卷"]


def test_a_mismatch_message_quotes_the_capitals_and_the_figure() -> None:
    (problem,) = amount_problems("赔偿人民币壹仟零壹拾零壹元整（¥1,011.00）", "terms.0")
    assert problem.message_zh == "金额大写“壹仟零壹拾零壹元整”与数字“¥1,011.00”不一致，¥1,011.00应写作“壹仟零壹拾壹元整”"


def test_figures_that_are_not_a_number_are_reported_not_crashed_on() -> None:
    (problem,) = amount_problems("赔偿壹元整（¥,）", "terms.0")
    assert problem.code == "amount_mismatch" and problem.message_zh.endswith("应写作“?”")
    (problem,) = amount_problems("先付¥,", "terms.0")
    assert problem.code == "amount_capital_missing" and problem.message_zh == "金额“¥,”只写了数字，应同时写明大写，如“,”"
    (problem,) = amount_problems("赔偿壹元整（¥99999999999999999）", "terms.0")
    assert problem.code == "amount_mismatch" and problem.message_zh.endswith("应写作“?”")


def test_a_figure_right_after_a_matching_pair_is_still_checked() -> None:
    problems = amount_problems("赔偿壹元整（¥1）¥2及贰元整（¥2）与3元", "terms.0")
    assert [(p.code, p.message_zh.split("只写了数字")[0]) for p in problems] == [
        ("amount_capital_missing", "金额“¥2”"), ("amount_capital_missing", "金额“3元”")]


def test_dates_in_the_messages_are_the_dates_entered() -> None:
    problems = _problems("people_agreement", _ctx(agreement_date=dt.date(2026, 3, 1), performance_deadline=dt.date(2026, 2, 28)))
    assert problems["agreement_before_registration"].message_zh == "协议日期（2026-03-01）早于案件登记日期（2026-03-02）"
    assert problems["deadline_before_agreement"].message_zh == "履行期限（2026-02-28）早于协议日期（2026-03-01）"
    far = dt.date(2026, 5, 1)
    problem = _problems("people_agreement", _ctx(agreement_date=far, performance_deadline=far))["agreement_date_far_future"]
    assert problem.message_zh == "协议日期（2026-05-01）远在今天之后，请核对"


def test_messages_about_a_minor_an_agent_and_the_party_lists_name_the_person() -> None:
    problem = _problems("people_agreement", _minor_case(dt.date(2012, 1, 1), guardian=False))["guardian_missing"]
    assert problem.message_zh == "第2位当事人（被申请人孙小某）未满十六周岁，应列明其法定代理人（监护人）"
    base = samples.sample_parties()
    unlinked = _problems("people_agreement", _with_parties(_ctx(), [*base[:2], dataclasses.replace(base[2], represents="")]))
    assert unlinked["representative_unlinked"].message_zh == "第3位当事人（委托代理人陈晓明）未注明代理或监护的是哪位当事人"
    other = dataclasses.replace(base[1], name="赵某某")
    lists = _problems("people_agreement", dataclasses.replace(_ctx(), parties=[base[0], other, base[2]], case_parties=base))
    assert lists["party_not_in_document"].message_zh.startswith("案件当事人“李䶮㛃”未列入本文书")
    assert lists["party_not_on_case"].message_zh.startswith("本文书中的当事人“赵某某”不是本案登记的当事人")


def test_a_party_with_the_same_name_but_another_id_number_is_not_the_registered_party() -> None:
    base = samples.sample_parties()
    typed = dataclasses.replace(base[0], id_number="11010519491231002x")
    registered = dataclasses.replace(base[0], id_number="11010519491231002X")
    same = dataclasses.replace(_ctx(), parties=[typed, *base[1:]], case_parties=[registered, *base[1:]])
    codes = _problems("people_agreement", same)
    assert "party_not_in_document" not in codes and "party_not_on_case" not in codes
    other = dataclasses.replace(base[0], id_number="110105194912310030")
    differs = dataclasses.replace(_ctx(), parties=[other, *base[1:]], case_parties=[registered, *base[1:]])
    codes = _problems("people_agreement", differs)
    assert "party_not_in_document" in codes and "party_not_on_case" in codes


def test_every_line_to_sign_on_must_name_its_signer_once() -> None:
    problems = check_document("people_agreement", _ctx(recorder=""), today=TODAY)
    assert [(p.code, p.field, p.severity, p.message_zh) for p in problems if p.field == "recorder"] == [
        ("recorder_missing", "recorder", "error", "签名栏“记录人 （签名）”没有写明记录人：请填写记录人姓名，定稿前须由其签名")]
    # Already said as 缺少人民调解员: not said again for the signature line.
    problems = check_document("people_agreement", _ctx(mediator="", recorder=""), today=TODAY)
    assert [p.code for p in problems if p.field == "mediator"] == ["mediator_missing"]
    assert [p.code for p in problems if p.field == "recorder"] == ["recorder_missing"]
    police = check_document("police_agreement", _ctx("police", presiding_officer=""), today=TODAY)
    assert [(p.code, p.field) for p in police if p.field == "presiding_officer"] == [
        ("presiding_officer_missing", "presiding_officer")]


def test_parties_lines_without_a_name_are_reported_once_under_parties() -> None:
    base = samples.sample_parties()
    nameless = [dataclasses.replace(base[0], name=""), dataclasses.replace(base[1], name=" "), base[2]]
    problems = check_document("people_agreement", _with_parties(_ctx(), nameless), today=TODAY)
    lines = [p for p in problems if p.field == "parties" and p.code.endswith("_missing")
             and p.code not in ("party_not_in_document",)]
    assert [(p.code, p.severity) for p in lines] == [("applicant_missing", "error")]
    assert lines[0].message_zh.endswith("没有写明申请人：请填写申请人姓名，定稿前须由其签名")


def test_a_complete_agreement_of_each_form_has_nothing_to_say() -> None:
    for form, track in (("people_agreement", "people"), ("police_agreement", "police"), ("oral_agreement", "people")):
        assert check_document(form, _ctx(track), today=TODAY) == [], form


@pytest.mark.parametrize(
    ("form", "track", "change", "expected"),
    [
        ("people_agreement", "people", {"responsibilities": " "},
         ("responsibilities_missing", "responsibilities", "warning", "未写明各方责任")),
        ("people_agreement", "people", {"mediator": ""}, ("mediator_missing", "mediator", "error", "缺少人民调解员")),
        ("people_agreement", "people", {"committee_name": ""},
         ("committee_missing", "committee_name", "error", "缺少人民调解委员会名称（用于盖章）")),
        ("people_agreement", "people", {"facts": ""}, ("facts_missing", "facts", "error", "缺少纠纷主要事实")),
        ("people_agreement", "people", {"disputed_matters": ""},
         ("disputed_matters_missing", "disputed_matters", "error", "缺少争议事项")),
        ("people_agreement", "people", {"performance_manner": ""},
         ("performance_manner_missing", "performance_manner", "error", "缺少履行方式")),
        ("people_agreement", "people", {"performance_place": ""},
         ("performance_place_missing", "performance_place", "error", "缺少履行地点")),
        ("people_agreement", "people", {"performance_deadline": None},
         ("performance_deadline_missing", "performance_deadline", "error", "缺少履行期限")),
        ("people_agreement", "people", {"agreement_number": ""}, ("number_missing", "agreement_number", "error", "缺少协议编号")),
        ("people_agreement", "people", {"terms": []}, ("terms_missing", "terms", "error", "缺少协议内容（协议条款）")),
        ("people_agreement", "people", {"agreement_date": None},
         ("agreement_date_missing", "agreement_date", "error", "缺少协议日期")),
        ("people_agreement", "people", {"copies": 5},
         ("copies_mismatch", "copies", "error", "协议份数应为3份（当事人各一份、调解组织留存一份），现为5份")),
        ("police_agreement", "police", {"incident_time": None}, ("incident_time_missing", "incident_time", "error", "缺少案发时间")),
        ("police_agreement", "police", {"incident_place": " "},
         ("incident_place_missing", "incident_place", "error", "缺少案发地点")),
        ("police_agreement", "police", {"presiding_officer": ""},
         ("presiding_officer_missing", "presiding_officer", "error", "缺少主持人（民警）")),
        ("police_agreement", "police", {"police_unit": ""},
         ("police_unit_missing", "police_unit", "error", "缺少公安机关名称（用于盖章）")),
    ],
)
def test_each_missing_item_is_named_at_its_field(form: str, track: str, change: dict[str, object],
                                                  expected: tuple[str, str, str, str]) -> None:
    found = [(p.code, p.field, p.severity, p.message_zh) for p in check_document(form, _ctx(track, **change), today=TODAY)
             if p.code == expected[0]]
    assert found == [expected]


def test_empty_terms_and_bad_amounts_are_named_by_their_place() -> None:
    from mediation.documents.model import Amount

    ctx = _ctx(terms=["第一条", " ", "第三条"], amounts=[Amount("押金", Decimal("1")), Amount("赔偿金", Decimal("0.001"))])
    problems = [(p.code, p.field, p.message_zh) for p in check_document("people_agreement", ctx, today=TODAY)
                if p.code in ("term_empty", "amount_invalid")]
    assert problems == [
        ("term_empty", "terms.1", "第2条协议内容为空"),
        ("amount_invalid", "amounts.1.value", "金额“赔偿金”无效：应为不小于零、最多两位小数的数"),
    ]
