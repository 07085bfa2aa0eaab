"""The statistics tables on hand-built cases, with every answer worked out by hand here.

The cases are made through the services under a stopped clock (``clock_at``), so their
dates are the ones a desk would have recorded. Times are China Standard Time (UTC+8):
a case accepted at 23:30 on 30 September is September's, though it is already
1 October nowhere else... and 15:30 UTC.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from mediation import statistics, workflow
from mediation.db import Database
from mediation.models import Case, CaseParty
from mediation.permissions import ADMIN, Actor
from mediation.services import accounts, case_records, cases, reference, supervision
from mediation.services.case_records import FollowUpInput, SessionInput
from mediation.services.cases import AgreementInput
from mediation.statistics import Period
from mediation.statistics.tables import InconsistentFigures, assert_consistent
from mediation.timeutil import clock_at
from tests.conftest import Desk
from tests.factories import dispute, person

CST = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=CST)


def later(moment: dt.datetime, minutes: int = 1) -> dt.datetime:
    return moment + dt.timedelta(minutes=minutes)


def make_case(s: Any, desk: Desk, *, accepted: dt.datetime, track: str = workflow.PEOPLE,
              category: str = "合同", subcategory: str = "", source: str = "当事人申请",
              parties: list[Any] | None = None, actor: Any = None) -> int:
    """Registered an hour before ``accepted``, then accepted at ``accepted``."""
    officer = actor or desk.officer
    with clock_at(accepted - dt.timedelta(hours=1)):
        data = dispute(category=category, subcategory=subcategory, source=source)
        if parties is not None:
            data.parties = parties
        ref = cases.register_case(s, officer, data)
        cases.choose_track(s, officer, ref.id, track)
        cases.assign_mediator(s, officer, ref.id, officer.user_id)
    with clock_at(accepted):
        cases.accept_case(s, officer, ref.id)
    return int(ref.id)


def agree(s: Any, desk: Desk, case_id: int, when: dt.datetime, *, kind: str = workflow.WRITTEN,
          amount: str | None = None, actor: Any = None) -> None:
    officer = actor or desk.officer
    with clock_at(later(when)):
        cases.record_agreement(s, officer, case_id, AgreementInput(
            kind=kind, terms="双方同意。", amount=amount, performance_manner="微信转账", performance_place="联调中心",
            performance_deadline=when.date() + dt.timedelta(days=10), signed=True, reached_at=when))


def terminate(s: Any, desk: Desk, case_id: int, when: dt.datetime) -> None:
    with clock_at(when):
        cases.terminate_case(s, desk.officer, case_id, reason="一方不愿继续调解。")


def performed(s: Any, desk: Desk, case_id: int, when: dt.datetime) -> None:
    with clock_at(when):
        cases.enter_performing(s, desk.officer, case_id)
        case_records.add_follow_up(s, desk.officer, case_id, FollowUpInput(
            visited_at=when, result="已按约履行。", performance_status="performed"))


def session_on(s: Any, desk: Desk, case_id: int, when: dt.datetime, result: str = "continued") -> None:
    with clock_at(later(when, 5)):
        case_records.add_session_record(s, desk.officer, case_id, SessionInput(
            held_at=when, content="双方陈述。", result=result))


@pytest.fixture
def october(db: Database, desk: Desk) -> dict[str, int]:
    """Five people's-mediation cases around October 2026 (see each line)."""
    with db.write() as s:
        ids = {
            # 合同, 当事人申请 (依申请): accepted 8 Oct, written agreement 20 Oct for ¥2,500, performed
            "c1": make_case(s, desk, accepted=at(2026, 10, 8), category="合同", subcategory="租房"),
            # 邻里, 主动排查: accepted 23:30 on 30 Sep (September's), oral agreement 9 Oct
            "c2": make_case(s, desk, accepted=at(2026, 9, 30, 23, 30), category="邻里", subcategory="宿舍",
                            source="主动排查"),
            # 损害赔偿, 学校转交 (委托移送): accepted 23:50 on 31 Oct, terminated 2 Nov
            "c3": make_case(s, desk, accepted=at(2026, 10, 31, 23, 50), category="损害赔偿", source="学校转交"),
            # 合同, 派出所移交 (委托移送): accepted 10 Oct, terminated 15 Oct
            "c4": make_case(s, desk, accepted=at(2026, 10, 10), category="合同", source="派出所移交"),
            # 其他: accepted ten past midnight on 1 November (16:10 UTC on 31 October): November's
            "c5": make_case(s, desk, accepted=at(2026, 11, 1, 0, 10), category="其他"),
        }
        agree(s, desk, ids["c1"], at(2026, 10, 20), amount="2500")
        performed(s, desk, ids["c1"], at(2026, 10, 25))
        agree(s, desk, ids["c2"], at(2026, 10, 9), kind=workflow.ORAL)
        terminate(s, desk, ids["c4"], at(2026, 10, 15))
        terminate(s, desk, ids["c3"], at(2026, 11, 2))
        with clock_at(at(2026, 11, 3)):
            supervision.record_outcome(s, desk.officer, ids["c1"], supervision.OutcomeInput(
                prevented_escalation=True, prevented_escalation_people=3,
                judicial_applied_on=dt.date(2026, 10, 22), judicial_court="某区人民法院",
                judicial_outcome="confirmed", judicial_decided_on=dt.date(2026, 10, 28)))
    return ids


def test_people_table_for_october_by_hand(db: Database, desk: Desk, october: dict[str, int]) -> None:
    with db.read() as s:
        t = statistics.table(s, desk.officer, "people", Period.parse("2026-10"))
    assert_consistent(t)
    v = lambda row, col, block="本期": t.value(row, col, block)  # noqa: E731
    # 合同: c1 and c4 accepted; c1 succeeded (written, ¥2,500 = 0.25万元, performed, confirmed,
    # prevented escalation of 3 people), c4 terminated → 1 / (1 + 1)
    assert [v("contract", c) for c in ("accepted", "active", "application", "entrusted", "succeeded",
                                        "written", "oral", "judicial", "performed", "escalation",
                                        "escalation_people", "people")] == [2, 0, 1, 1, 1, 1, 0, 1, 1, 1, 3, 4]
    assert v("contract", "amount") == Decimal("0.25")
    assert v("contract", "success_rate") == Decimal("50.0")
    # 邻里: accepted in September, its oral agreement in October
    assert [v("neighbour", c) for c in ("accepted", "succeeded", "oral", "written")] == [0, 1, 1, 0]
    assert v("neighbour", "success_rate") == Decimal("100.0")
    # 损害赔偿: accepted at 23:50 on 31 October (October's), terminated in November
    assert [v("damages", c) for c in ("accepted", "entrusted", "succeeded")] == [1, 1, 0]
    assert v("damages", "success_rate") is None
    # 其他: accepted ten minutes into November
    assert v("other", "accepted") == 0
    assert [v("total", c) for c in ("accepted", "active", "application", "entrusted", "succeeded",
                                     "written", "oral", "people")] == [3, 0, 1, 2, 2, 1, 1, 6]
    assert v("total", "success_rate") == Decimal("66.7")  # 2 / (2 + 1)
    # 年度累计 (1 January – 31 October) adds c2's September acceptance (主动排查)
    assert [v("total", c, "年度累计") for c in ("accepted", "active", "succeeded")] == [4, 1, 2]
    assert v("neighbour", "accepted", "年度累计") == 1


def test_november_and_the_year_by_hand(db: Database, desk: Desk, october: dict[str, int]) -> None:
    with db.read() as s:
        nov = statistics.table(s, desk.officer, "people", Period.parse("2026-11"))
        q4 = statistics.table(s, desk.officer, "people", Period.parse("2026-Q4"))
        year = statistics.table(s, desk.officer, "people", Period.parse("2026"))
    for t in (nov, q4, year):
        assert_consistent(t)
    assert nov.value("other", "accepted") == 1          # c5
    assert nov.value("total", "accepted") == 1
    assert nov.value("damages", "success_rate") == Decimal("0.0")  # c3 terminated, nothing succeeded
    assert nov.value("total", "succeeded") == 0
    assert q4.value("total", "accepted") == 4             # c1, c3, c4, c5 (c2 is September's)
    assert q4.value("total", "success_rate") == Decimal("50.0")  # 2 / (2 + 2)
    assert year.value("total", "accepted") == 5


def test_the_cases_behind_each_figure_are_exactly_those_counted(db: Database, desk: Desk,
                                                              october: dict[str, int]) -> None:
    oct_ = Period.parse("2026-10")
    with db.read() as s:
        behind = lambda row, col: statistics.figure_cases(s, desk.officer, "people", oct_, row, col)  # noqa: E731
        assert behind("contract", "accepted") == sorted([october["c1"], october["c4"]])
        assert behind("contract", "entrusted") == [october["c4"]]
        assert behind("total", "succeeded") == sorted([october["c1"], october["c2"]])
        assert behind("neighbour", "oral") == [october["c2"]]
        assert behind("total", "success_rate") == sorted([october["c1"], october["c2"], october["c4"]])
        assert behind("damages", "accepted") == [october["c3"]]


def test_a_renamed_category_keeps_its_row(db: Database, desk: Desk, october: dict[str, int]) -> None:
    with db.write() as s:
        cat_id = s.get(Case, october["c1"]).category_id
        reference.rename_item(s, desk.admin, "category", cat_id, "合同纠纷（含租赁）")
    with db.read() as s:
        t = statistics.table(s, desk.officer, "people", Period.parse("2026-10"))
    assert t.value("contract", "accepted") == 2
    assert t.value("other", "accepted") == 0


def test_a_mapping_changed_later_leaves_earlier_periods_alone(db: Database, desk: Desk,
                                                             october: dict[str, int]) -> None:
    with db.write() as s:
        cat_id = s.get(Case, october["c1"]).category_id
        assert cat_id is not None
        supervision.set_mapping(s, desk.admin, desk.desk_id, "people_row", cat_id, "housing",
                                valid_from=dt.date(2026, 11, 1))
    with db.read() as s:
        october_t = statistics.table(s, desk.officer, "people", Period.parse("2026-10"))
        december = statistics.table(s, desk.officer, "people", Period.parse("2026-12"))
        rows = supervision.mapping_rows(s, desk.admin, desk.desk_id, "people_row", dt.date(2026, 12, 1))
    assert october_t.value("contract", "accepted") == 2 and october_t.value("housing", "accepted") == 0
    assert december.value("housing", "accepted", "年度累计") == 2  # the year to December, by the new mapping
    assert december.value("contract", "accepted", "年度累计") == 0
    assert next(r for r in rows if r.item_id == cat_id and r.subtype_id is None).code == "housing"


def test_the_same_period_last_year_and_the_previous_one(db: Database, desk: Desk,
                                                        october: dict[str, int]) -> None:
    with db.write() as s:
        make_case(s, desk, accepted=at(2025, 10, 15))
        make_case(s, desk, accepted=at(2025, 10, 16))
        make_case(s, desk, accepted=at(2025, 10, 17))
        make_case(s, desk, accepted=at(2025, 10, 18))
    with db.read() as s:
        c = statistics.table_compared(s, desk.officer, "people", Period.parse("2026-10"))
    # October 2026: 3; October 2025: 4 → −25.0 %; September 2026: 1 (c2) → +200.0 %
    assert c.figure("total", "accepted", "本期") == (3, 4, 1, Decimal("-25.0"), Decimal("200.0"))


def test_a_leap_day_and_its_year_earlier(db: Database, desk: Desk) -> None:
    leap = Period.between(dt.date(2028, 2, 29), dt.date(2028, 2, 29))
    assert leap.same_period_last_year() == Period.between(dt.date(2027, 2, 28), dt.date(2027, 2, 28))
    assert Period.parse("2028-02").end == dt.date(2028, 2, 29)
    assert Period.parse("2028-03").previous() == Period.parse("2028-02")
    assert Period.parse("2026-01").previous() == Period.parse("2025-12")
    assert Period.parse("2026-Q1").previous() == Period.parse("2025-Q4")
    with db.write() as s, clock_at(at(2028, 3, 2)):
        c1 = make_case(s, desk, accepted=at(2028, 2, 29, 23, 59))
        make_case(s, desk, accepted=at(2028, 3, 1, 0, 0))
    with db.read() as s, clock_at(at(2028, 3, 2)):
        t = statistics.table(s, desk.officer, "people", leap)
        feb = statistics.table(s, desk.officer, "people", Period.parse("2028-02"))
        behind = statistics.figure_cases(s, desk.officer, "people", leap, "total", "accepted")
    assert t.value("total", "accepted") == 1 and behind == [c1]
    assert feb.value("total", "accepted") == 1


def test_a_range_across_the_new_year_breaks_the_year_to_date_check(db: Database, desk: Desk) -> None:
    with db.write() as s, clock_at(at(2027, 1, 10)):
        make_case(s, desk, accepted=at(2026, 12, 31, 23, 0))
        make_case(s, desk, accepted=at(2027, 1, 1, 9, 0))
    with db.read() as s, clock_at(at(2027, 1, 10)):
        t = statistics.table(s, desk.officer, "people", Period.between(dt.date(2026, 12, 20), dt.date(2027, 1, 5)))
        dec = statistics.table(s, desk.officer, "people", Period.parse("2026-12"))
        jan = statistics.table(s, desk.officer, "people", Period.parse("2027-01"))
    assert (dec.value("total", "accepted"), jan.value("total", "accepted")) == (1, 1)
    assert jan.value("total", "accepted", "年度累计") == 1   # the year 2027 starts afresh
    assert t.value("total", "accepted") == 2 and t.value("total", "accepted", "年度累计") == 1
    assert [p.check for p in t.problems if p.check == "period_within_year"]
    with pytest.raises(InconsistentFigures, match="本期 2 大于年度累计 1"):
        assert_consistent(t)


def test_an_agreement_without_its_kind_breaks_success_is_written_plus_oral(db: Database, desk: Desk,
                                                                          october: dict[str, int]) -> None:
    with db.write() as s:
        s.execute(update(Case).where(Case.id == october["c1"]).values(agreement_kind=None))
    with db.read() as s:
        t = statistics.table(s, desk.officer, "people", Period.parse("2026-10"))
    assert {p.check for p in t.problems} == {"success_is_written_plus_oral"}
    with pytest.raises(InconsistentFigures, match="调解成功 1 件，不等于书面协议 0 件 \\+ 口头协议 0 件"):
        assert_consistent(t)


def test_a_case_without_category_breaks_rows_add_up_to_total(db: Database, desk: Desk,
                                                            october: dict[str, int]) -> None:
    with db.write() as s:
        s.execute(update(Case).where(Case.id == october["c4"]).values(category_id=None))
    with db.read() as s:
        t = statistics.table(s, desk.officer, "people", Period.parse("2026-10"))
    assert t.value("total", "accepted") == 3
    assert sum(int(r.values["accepted"] or 0) for r in t.block("本期").rows) == 2
    assert "rows_add_up" in {p.check for p in t.problems}
    with pytest.raises(InconsistentFigures, match="各行之和为 2，合计为 3"):
        assert_consistent(t)


def _second_desk(db: Database, desk: Desk) -> Actor:
    from mediation.models import Desk as DeskRow

    with db.write() as s:
        row = DeskRow(name="第二大学警校联调中心", number_prefix="Y警校调字", committee_name="第二调委会")
        s.add(row)
        s.flush()
        reference.seed_desk(s, row.id)
        root = Actor(desk.admin.user_id, "admin", "管理员甲", ADMIN, None)
        uid = accounts.create_user(s, root, username="officer2", display_name="钱警官", role="officer",
                                   password="Qiushi-Lake-42", desk_id=row.id)
        return Actor(uid, "officer2", "钱警官", "officer", row.id)


def test_two_desks_rolled_up(db: Database, desk: Desk) -> None:
    other = _second_desk(db, desk)
    with db.write() as s:
        make_case(s, desk, accepted=at(2026, 10, 8), category="合同")
        make_case(s, desk, accepted=at(2026, 10, 9), category="邻里")
        make_case(s, desk, accepted=at(2026, 10, 10), category="合同", actor=other)
    rollup = Actor(desk.admin.user_id, "bureau", "分局", "officer", None, all_desks=True)
    oct_ = Period.parse("2026-10")
    with db.read() as s:
        mine = statistics.table(s, desk.officer, "people", oct_)
        theirs = statistics.table(s, other, "people", oct_)
        both = statistics.table(s, rollup, "people", oct_)
        one_of_them = statistics.table(s, rollup, "people", oct_, desk_id=other.desk_id)
        with pytest.raises(Exception, match="无权查看"):
            statistics.table(s, desk.officer, "people", oct_, desk_id=other.desk_id)
    assert (mine.value("total", "accepted"), theirs.value("total", "accepted")) == (2, 1)
    assert both.value("total", "accepted") == 3 and both.value("contract", "accepted") == 2
    assert one_of_them.value("contract", "accepted") == 1
    assert len(both.desk_names) == 2 and one_of_them.desk_names == ["第二大学警校联调中心"]


def test_volunteers_see_no_statistics(db: Database, desk: Desk) -> None:
    with db.read() as s, pytest.raises(Exception, match="查看统计"):
        statistics.table(s, desk.volunteer, "people", Period.parse("2026-10"))


# ---------------------------------------------------------------- 治安调解 across National Day 2026


def test_police_deadlines_across_national_day_2026(db: Database, desk: Desk) -> None:
    """2026: 25 Sep (中秋) and 1–7 Oct are days off, Sat 10 Oct is a working day (调休).

    Accepted Wed 30 Sep: working days after it are 8 Oct, 9 Oct, 10 Oct → first session due 10 Oct.
    Accepted Tue 29 Sep: 30 Sep, 8 Oct, 9 Oct → due 9 Oct. A first session on Fri 9 Oct:
    seven working days after are 10, 12, 13, 14, 15, 16, 19 Oct → a second one due 19 Oct.
    """
    with db.write() as s:
        on_time = make_case(s, desk, accepted=at(2026, 9, 30), track=workflow.POLICE, source="110警情转交")
        session_on(s, desk, on_time, at(2026, 10, 10, 9), result="agreed")
        late_first = make_case(s, desk, accepted=at(2026, 9, 29), track=workflow.POLICE, source="110警情转交")
        session_on(s, desk, late_first, at(2026, 10, 10, 9), result="agreed")
        second_ok = make_case(s, desk, accepted=at(2026, 9, 29, 11), track=workflow.POLICE, source="学校转交")
        session_on(s, desk, second_ok, at(2026, 10, 9, 9))
        session_on(s, desk, second_ok, at(2026, 10, 19, 9), result="agreed")
        second_late = make_case(s, desk, accepted=at(2026, 9, 29, 12), track=workflow.POLICE, source="当事人申请")
        session_on(s, desk, second_late, at(2026, 10, 9, 9))
        session_on(s, desk, second_late, at(2026, 10, 20, 9), result="agreed")
        agree(s, desk, on_time, at(2026, 10, 10, 10), kind=workflow.WRITTEN)
        with clock_at(at(2026, 10, 10, 11)):
            supervision.record_outcome(s, desk.officer, on_time, supervision.OutcomeInput(police_method="spot"))
            supervision.record_outcome(s, desk.officer, late_first,
                                       supervision.OutcomeInput(police_method="general"))
    sep = Period.parse("2026-09")
    with db.read() as s, clock_at(at(2026, 11, 1)):
        t = statistics.table(s, desk.officer, "police", sep)
        overdue = statistics.figure_cases(s, desk.officer, "police", sep, "total", "overdue")
        octo = statistics.table(s, desk.officer, "police", Period.parse("2026-10"))
    assert_consistent(t)
    assert overdue == sorted([late_first, second_late])
    assert [t.value(r, "accepted") for r in ("call110", "walk_in", "school", "other", "total")] == [2, 1, 1, 0, 4]
    assert [t.value(r, "overdue") for r in ("call110", "walk_in", "school", "total")] == [1, 1, 0, 2]
    assert (t.value("total", "spot"), t.value("total", "general")) == (1, 1)
    assert octo.value("call110", "agreed") == 1 and octo.value("total", "accepted") == 0


def test_police_table_rows_must_add_up(db: Database, desk: Desk) -> None:
    with db.write() as s:
        make_case(s, desk, accepted=at(2026, 9, 30), track=workflow.POLICE, source="110警情转交")
    with db.read() as s, clock_at(at(2026, 10, 1)):
        t = statistics.table(s, desk.officer, "police", Period.parse("2026-09"))
        assert_consistent(t)
        t.block().rows[0].values["accepted"] = 0  # a row that lost its case
        from mediation.statistics.tables import _sum_check

        assert [p.check for p in _sum_check(t.block(), t.columns)] == ["rows_add_up"]


# ---------------------------------------------------------------- 校园纠纷分析表


def test_campus_table_by_sub_type_and_party_type(db: Database, desk: Desk) -> None:
    with db.write() as s:
        dorm = make_case(s, desk, accepted=at(2026, 10, 8), category="邻里", subcategory="宿舍", parties=[
            person("applicant", "张三", seq=111, party_type="own_student"),
            person("respondent", "李四", seq=222, party_type="own_student"),
            person("third", "王五", seq=333, party_type="staff")])
        rent = make_case(s, desk, accepted=at(2026, 10, 9), category="合同", subcategory="租房", parties=[
            person("applicant", "赵六", seq=444, party_type="other_student"),
            person("respondent", "孙七", seq=555, party_type="public")])
        make_case(s, desk, accepted=at(2026, 10, 10), category="损害赔偿", subcategory="人身损害")
    with db.read() as s:
        t = statistics.table(s, desk.officer, "campus", Period.parse("2026-10"))
        behind = statistics.figure_cases(s, desk.officer, "campus", Period.parse("2026-10"), "total", "own_student")
    assert_consistent(t)
    assert [t.value("dorm", c) for c in ("cases", "own_student", "staff", "parties")] == [1, 2, 1, 3]
    assert [t.value("consumer", c) for c in ("cases", "other_student", "public", "parties")] == [1, 1, 1, 2]
    assert [t.value("injury", c) for c in ("cases", "unknown", "parties")] == [1, 2, 2]
    assert [t.value("total", c) for c in ("cases", "own_student", "other_student", "staff", "public",
                                          "unknown", "parties")] == [3, 2, 1, 1, 1, 2, 7]
    assert behind == [dorm]
    assert rent not in behind


def test_an_unknown_party_type_is_refused_at_intake(db: Database, desk: Desk) -> None:
    from mediation.errors import ValidationError

    with db.write() as s, pytest.raises(ValidationError) as info:
        cases.register_case(s, desk.volunteer, dispute(parties=[
            person("applicant", "张三", seq=111, party_type="alien"), person("respondent", "李四", seq=222)]))
    assert "parties.0.party_type" in str(info.value.errors if hasattr(info.value, "errors") else info.value)


def test_party_type_is_stored_on_the_case(db: Database, desk: Desk) -> None:
    with db.write() as s:
        cid = make_case(s, desk, accepted=at(2026, 10, 8), parties=[
            person("applicant", "张三", seq=111, party_type="staff"), person("respondent", "李四", seq=222)])
    with db.read() as s:
        types = sorted((p.role, p.party_type or "") for p in s.query(CaseParty).filter_by(case_id=cid))
    assert types == [("applicant", "staff"), ("respondent", "")]


# ---------------------------------------------------------------- 质效表


def test_quality_table_by_hand(db: Database, desk: Desk) -> None:
    """Working days from acceptance to close: c1 Thu 8 Oct → Mon 12 Oct = 9, 10, 12 = 3;
    c2 Mon 12 Oct → Mon 19 Oct = 13, 14, 15, 16, 19 = 5 → average 4.0, median 4.0.
    c3 terminated on 20 Nov after acceptance on 1 Oct: more than 30 days → 超期结案 in November."""
    with db.write() as s:
        c1 = make_case(s, desk, accepted=at(2026, 10, 8))
        agree(s, desk, c1, at(2026, 10, 9))
        performed(s, desk, c1, at(2026, 10, 10, 11))
        with clock_at(at(2026, 10, 12, 15)):
            cases.close_case(s, desk.officer, c1)
        c2 = make_case(s, desk, accepted=at(2026, 10, 12))
        agree(s, desk, c2, at(2026, 10, 13))
        with clock_at(at(2026, 10, 19, 15)):
            case_records.add_follow_up(s, desk.officer, c2, FollowUpInput(
                visited_at=at(2026, 10, 19, 14), result="未履行。", performance_status="breached"))
            cases.close_case(s, desk.officer, c2)
        c3 = make_case(s, desk, accepted=at(2026, 10, 1, 9))
        terminate(s, desk, c3, at(2026, 11, 20))
        c4 = make_case(s, desk, accepted=at(2026, 10, 20))
        session_on(s, desk, c4, at(2026, 10, 21, 9), result="agreed")
        agree(s, desk, c4, at(2026, 10, 21))  # no follow-up, not performed
    # c4's agreement drafted, submitted and returned once by the officer on 22 October
    from mediation.services import documents as docs
    from tests.factories import document_on

    with clock_at(at(2026, 10, 22)):
        doc = document_on(db, desk, c4, status="submitted")
        with db.write() as s:
            docs.return_for_changes(s, desk.officer, doc, comment="履行期限写具体。")
    with db.read() as s, clock_at(at(2026, 12, 1)):
        t = statistics.table(s, desk.officer, "quality", Period.parse("2026-10"))
        nov = statistics.table(s, desk.officer, "quality", Period.parse("2026-11"))
        over = statistics.figure_cases(s, desk.officer, "quality", Period.parse("2026-11"), "overdue", "now")
    assert_consistent(t)
    assert t.value("closed", "now") == 2
    assert t.value("avg_days", "now") == Decimal("4.0")
    assert t.value("median_days", "now") == Decimal("4.0")
    assert t.value("follow_up_rate", "now") == Decimal("66.7")   # c1, c2 of c1, c2, c4
    assert t.value("performance_rate", "now") == Decimal("33.3")  # c1 of three
    assert t.value("overdue", "now") == 0
    assert t.value("returned", "now") == 1 and nov.value("returned", "now") == 0
    assert nov.value("overdue", "now") == 1 and over == [c3]
    assert nov.value("closed", "previous") == 2 and nov.value("closed", "now") == 0


# ---------------------------------------------------------------- the charts' figures


def test_chart_figures_and_their_cases(db: Database, desk: Desk, october: dict[str, int]) -> None:
    oct_ = Period.parse("2026-10")
    with db.read() as s:
        data = statistics.charts(s, desk.officer, oct_)
        months = {p.month.code: (p.accepted, p.last_year) for p in data.months}
        assert len(data.months) == 24 and data.months[-1].month.code == "2026-10"
        assert months["2026-10"] == (3, 0) and months["2026-09"] == (1, 0)  # c2 at 23:30 on 30 September
        assert data.types["contract"][-1] == 2 and data.types["neighbour"][-2] == 1
        assert [(f.key, f.count) for f in data.funnel] == [("accepted", 3), ("succeeded", 2), ("performed", 1)]
        assert {sl.label: sl.count for sl in data.sources} == {"当事人申请": 1, "学校转交": 1, "派出所移交": 1}
        # registered an hour before acceptance: c1 Thu 8 Oct 09:00, c4 Sat 10 Oct 09:00, c3 Sat 31 Oct 22:50,
        # and c5 Sat 31 Oct 23:10 (accepted in November, registered in October)
        assert data.heat[3][9] == 1 and data.heat[5][9] == 1 and data.heat[5][22] == 1 and data.heat[5][23] == 1
        assert sum(map(sum, data.heat)) == 4
        cases_of = lambda kind, key: statistics.chart_figure_cases(s, desk.officer, oct_, kind, key)  # noqa: E731
        assert cases_of("month", "2026-10") == sorted([october["c1"], october["c3"], october["c4"]])
        assert cases_of("type", "2026-10/contract") == sorted([october["c1"], october["c4"]])
        assert cases_of("funnel", "performed") == [october["c1"]]
        school = next(sl for sl in data.sources if sl.label == "学校转交")
        assert cases_of("source", school.key) == [october["c3"]]
        assert cases_of("heat", "5/22") == [october["c3"]]
