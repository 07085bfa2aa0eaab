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
                      address="某市某区学府路1号", occupation="某大学学生", **kw)


def dispute(**kw: object) -> CaseInput:
    data: dict[str, object] = dict(
        parties=[person("applicant", "张三", seq=111), person("respondent", "李四", seq=222,
                                                              phone="13900139000")],
        facts="申请人于2026年9月租住被申请人房屋，口头约定押金2500元，退租后被申请人未退还押金。",
        claims="请求退还押金2500元。", category="合同", subcategory="租房", source="当事人申请",
        amount="2500")
    data.update(kw)
    return CaseInput(**data)


def with_third_party() -> list[PartyInput]:
    """The parties of :func:`dispute` and a 第三人 (third party)."""
    return [person("applicant", "张三", seq=111), person("respondent", "李四", seq=222, phone="13900139000"),
            person("third", "王第三", seq=333, phone="13700137000")]


def rng(seed: int = 7) -> random.Random:
    return random.Random(seed)


def accepted_case(session: Any, desk: Any, *, parties: list[PartyInput] | None = None) -> int:
    """A generated dispute (:func:`dispute`, or one between ``parties``) registered by the
    desk's volunteer and accepted by its officer on the people's-mediation track, the
    volunteer as mediator; its id."""
    from mediation import workflow
    from mediation.services import cases

    ref = cases.register_case(session, desk.volunteer, dispute() if parties is None else dispute(parties=parties))
    cases.choose_track(session, desk.officer, ref.id, workflow.PEOPLE)
    cases.assign_mediator(session, desk.officer, ref.id, desk.volunteer.user_id)
    cases.accept_case(session, desk.officer, ref.id)
    return int(ref.id)


def mediating_case(session: Any, desk: Any, *, parties: list[PartyInput] | None = None,
                   content: str = "双方同意退还押金2000元。") -> int:
    """:func:`accepted_case` taken as far as one session record (the parties agreed); its id."""
    from mediation.services import case_records
    from mediation.services.case_records import SessionInput
    from mediation.timeutil import utcnow

    case_id = accepted_case(session, desk, parties=parties)
    case_records.add_session_record(session, desk.volunteer, case_id, SessionInput(
        held_at=utcnow(), content=content, place="调解室", attendees="张三、李四", result="agreed"))
    return case_id


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


AGREED_TERM = "被申请人退还押金2000元。"
"""The first term of :func:`agreed_case`'s agreement."""


def agreed_case(session: Any, desk: Any, *, parties: list[PartyInput] | None = None, kind: str = "written",
                terms: str = f"{AGREED_TERM}\n双方就本纠纷再无其他争议。") -> int:
    """:func:`mediating_case` (between ``parties`` if given) with an agreement of ``kind``
    recorded, not signed yet: a written one with its manner, place and a deadline a week
    ahead, or an oral one; its id. The one factory of an agreed case for every test."""
    from mediation import workflow
    from mediation.services import cases
    from mediation.services.cases import AgreementInput
    from mediation.timeutil import local_today

    case_id = mediating_case(session, desk, parties=parties)
    if kind == workflow.WRITTEN:
        data = AgreementInput(kind=kind, terms=terms, amount="2000", performance_manner="微信转账",
                              performance_place="联调中心", performance_deadline=local_today() + dt.timedelta(days=7))
    else:
        data = AgreementInput(kind=kind, terms=terms, amount="2000")
    cases.record_agreement(session, desk.volunteer, case_id, data)
    return case_id


DOCUMENT_STEPS = ("draft", "submitted", "approved", "final")


def advance_document(db: Any, desk: Any, doc_id: int, status: str, *, since: str = "draft") -> None:
    """Take a document from ``since`` to ``status`` (:data:`DOCUMENT_STEPS`): the volunteer
    submits, the officer approves, the volunteer makes it final for signing on paper;
    each step in a transaction of its own, as people do them."""
    from mediation.services import documents as docs

    steps = {
        "submitted": lambda s: docs.submit(s, desk.volunteer, doc_id),
        "approved": lambda s: docs.approve(s, desk.officer, doc_id),
        "final": lambda s: docs.finalize(s, desk.volunteer, doc_id, signed_on_paper=True),
    }
    for step in DOCUMENT_STEPS[DOCUMENT_STEPS.index(since) + 1:DOCUMENT_STEPS.index(status) + 1]:
        with db.write() as s:
            steps[step](s)


def document_on(db: Any, desk: Any, case_id: int, form: str = "people_agreement", *,
                status: str = "draft") -> int:
    """The case's ``form`` drafted by the volunteer and taken as far as ``status``
    (:func:`advance_document`); its id."""
    from mediation.services import documents as docs

    with db.write() as s:
        doc_id = int(docs.create_draft(s, desk.volunteer, case_id, form))
    advance_document(db, desk, doc_id, status)
    return doc_id


def final_cover(session: Any, desk: Any, case_id: int, *, retention: str = "10年") -> int:
    """The case file's cover drafted, approved and final (what archiving needs); its document id."""
    from mediation.services import documents

    doc_id = documents.create_draft(session, desk.volunteer, case_id, "case_file_cover")
    documents.update_draft(session, desk.volunteer, doc_id, {"retention_period": retention})
    documents.submit(session, desk.volunteer, doc_id)
    documents.approve(session, desk.officer, doc_id)
    documents.finalize(session, desk.volunteer, doc_id)
    return int(doc_id)
