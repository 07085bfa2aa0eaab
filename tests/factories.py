"""Generated people and disputes for tests (never real people)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from mediation.services.cases import CaseInput
from mediation.services.parties import PartyInput
from mediation.validation import resident_id_check_char


def make_id(birth: dt.date, seq: int = 123, region: str = "110105") -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + resident_id_check_char(body)


def person(role: str, name: str, *, birth: dt.date = dt.date(2003, 5, 17), seq: int = 123,
           phone: str = "13800138000", **kw: object) -> PartyInput:
    return PartyInput(role=role, name=name, id_number=make_id(birth, seq), phone=phone,
                      address="某市某区学府路1号", occupation="某大学学生", **kw)  # type: ignore[arg-type]


def dispute(**kw: object) -> CaseInput:
    data: dict[str, object] = dict(
        parties=[person("applicant", "张三", seq=111), person("respondent", "李四", seq=222,
                                                              phone="13900139000")],
        facts="申请人于2026年9月租住被申请人房屋，口头约定押金2500元，退租后被申请人未退还押金。",
        claims="请求退还押金2500元。", category="合同", subcategory="租房", source="当事人申请",
        amount="2500")
    data.update(kw)
    return CaseInput(**data)  # type: ignore[arg-type]


def rng(seed: int = 7) -> random.Random:
    return random.Random(seed)


def mediating_case(session: Any, desk: Any, *, content: str = "双方同意退还押金2000元。") -> int:
    """A generated dispute taken as far as one session record on the people's-mediation
    track (registered, track chosen, the desk's volunteer as mediator, accepted); its id."""
    from mediation import workflow
    from mediation.services import case_records, cases
    from mediation.services.case_records import SessionInput
    from mediation.timeutil import utcnow

    ref = cases.register_case(session, desk.volunteer, dispute())
    cases.choose_track(session, desk.officer, ref.id, workflow.PEOPLE)
    cases.assign_mediator(session, desk.officer, ref.id, desk.volunteer.user_id)
    cases.accept_case(session, desk.officer, ref.id)
    case_records.add_session_record(session, desk.volunteer, ref.id, SessionInput(
        held_at=utcnow(), content=content, place="调解室", attendees="张三、李四", result="agreed"))
    return int(ref.id)


LEDGER_HEADERS = ["序号", "案件编号", "登记时间", "申请人", "申请人联系电话", "被申请人", "纠纷类型", "来源",
                  "简要案情", "申请事项", "涉及金额（元）", "调解结果", "结案日期", "备注"]
"""Column headers of a desk's Excel ledger (登记台账), as desks write them."""


def ledger_workbook(path: Path, rows: list[list[Any]], headers: list[str] = LEDGER_HEADERS) -> Path:
    """An .xlsx ledger: a title row, the headers, then ``rows``."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2025年台账"
    ws.append(["测试大学警校联调中心矛盾纠纷登记台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def agreed_case(session: Any, desk: Any, *,
                terms: str = "被申请人退还押金2000元。\n双方就本纠纷再无其他争议。") -> int:
    """:func:`mediating_case` with a written agreement recorded (not signed yet); its id."""
    from mediation.services import cases
    from mediation.services.cases import AgreementInput
    from mediation.timeutil import local_today

    case_id = mediating_case(session, desk)
    cases.record_agreement(session, desk.volunteer, case_id, AgreementInput(
        kind="written", terms=terms, amount="2000", performance_manner="微信转账", performance_place="联调中心",
        performance_deadline=local_today() + dt.timedelta(days=7)))
    return case_id


def finalized_on_paper(db: Any, desk: Any, case_id: int, form: str = "people_agreement") -> int:
    """The case's ``form`` drafted, submitted, approved and made final for signing on paper; its id."""
    from mediation.services import documents as docs

    with db.write() as s:
        doc_id = docs.create_draft(s, desk.volunteer, case_id, form)
        docs.submit(s, desk.volunteer, doc_id)
    with db.write() as s:
        docs.approve(s, desk.officer, doc_id)
    with db.write() as s:
        docs.finalize(s, desk.volunteer, doc_id, signed_on_paper=True)
    return int(doc_id)


def final_cover(session: Any, desk: Any, case_id: int, *, retention: str = "10年") -> int:
    """The case file's cover drafted, approved and final (what archiving needs); its document id."""
    from mediation.services import documents

    doc_id = documents.create_draft(session, desk.volunteer, case_id, "case_file_cover")
    documents.update_draft(session, desk.volunteer, doc_id, {"retention_period": retention})
    documents.submit(session, desk.volunteer, doc_id)
    documents.approve(session, desk.officer, doc_id)
    documents.finalize(session, desk.volunteer, doc_id)
    return int(doc_id)
