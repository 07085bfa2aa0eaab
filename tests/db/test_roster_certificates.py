"""The adviser's overview and what a student takes away: the certificate's figures are the
overview's, the adviser approves before it can be printed, the service record is numbered,
and the PDF and DOCX say what the overview says (anonymously for the cases)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
from pypdf import PdfReader

from mediation import workflow
from mediation.db import Database
from mediation.errors import Conflict, PermissionDenied, ValidationError
from mediation.services import case_records, cases, consultations, roster
from mediation.services import documents as docs
from mediation.services.case_records import FollowUpInput, SessionInput
from mediation.services.cases import AgreementInput
from mediation.services.consultations import ConsultationInput
from mediation.services.roster import certificates, overview
from tests.conftest import Desk
from tests.factories import dispute, document_on, person
from tests.roster_fixtures import NAMES, WEEK, assign, at, desk_time, enrol, open_term, slot

MON, TUE = WEEK, WEEK + dt.timedelta(days=1)
EVENING = WEEK + dt.timedelta(days=4)


def _worked_term(db: Database, desk: Desk) -> tuple[int, list]:
    """A week of work for student a: two shifts (one late), a case mediated to performance with a
    session and a follow-up, a consultation, two documents (one returned); b has done nothing."""
    term_id = open_term(db, desk.admin)
    a, b, c = enrol(db, desk.admin, term_id, 3)
    mon = slot(db, desk.admin, term_id, 0, "09:00", "12:00")
    tue = slot(db, desk.admin, term_id, 1, "09:00", "12:00")
    s_mon, s_tue = assign(db, desk.admin, mon, a.actor.user_id), assign(db, desk.admin, tue, a.actor.user_id)
    assign(db, desk.admin, mon, c.actor.user_id)
    people = SimpleNamespace(volunteer=a.actor, officer=desk.officer)
    with desk_time(MON, 9), db.write() as s:
        roster.check_in(s, a.actor)
    with desk_time(MON, 11), db.write() as s:
        ref = cases.register_case(s, a.actor, dispute(parties=[person("applicant", "申请人" + NAMES[1], seq=501),
                                                               person("respondent", "房东" + NAMES[1], seq=502)]))
        cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
        cases.assign_mediator(s, desk.officer, ref.id, a.actor.user_id)
        cases.accept_case(s, desk.officer, ref.id)
        case_records.add_session_record(s, a.actor, ref.id, SessionInput(held_at=at(MON, 10), content="双方陈述",
                                                                           result="agreed"))
        cases.record_agreement(s, a.actor, ref.id, AgreementInput(
            kind="oral", terms="退还押金2000元", signed=True))
        cases.enter_performing(s, a.actor, ref.id)
        consultations.log_consultation(s, a.actor, ConsultationInput(topic="租房押金", answer="可以协商", minutes=15))
    with desk_time(MON, 12), db.write() as s:
        roster.check_out(s, a.actor, s_mon)
    with desk_time(MON, 12, 5):
        document_on(db, people, ref.id, "application", status="draft")
        returned = document_on(db, people, ref.id, "rights_notice", status="submitted")
    with desk_time(MON, 12, 10), db.write() as s:
        docs.return_for_changes(s, desk.officer, returned, comment="请补充告知日期")
    with desk_time(TUE, 9, 30), db.write() as s:
        roster.check_in(s, a.actor)  # 30 minutes late
    with desk_time(TUE, 11), db.write() as s:
        case_records.add_follow_up(s, a.actor, ref.id, FollowUpInput(visited_at=at(TUE, 10, 30), result="已退还",
                                                                     performance_status="performed"))
    with desk_time(TUE, 12), db.write() as s:
        roster.check_out(s, a.actor, s_tue)
    return term_id, [a, b, c]


def test_the_overview_per_student(db: Database, desk: Desk) -> None:
    term_id, (a, b, c) = _worked_term(db, desk)
    with desk_time(EVENING, 20), db.read() as s:
        ov = overview.term_overview(s, desk.adviser, term_id)
    fa = next(f for f in ov.students if f.volunteer_id == a.volunteer_id)
    assert (fa.shifts, fa.kept, fa.late, fa.missed) == (2, 2, 1, 0)
    assert (fa.duty_minutes, fa.case_minutes, fa.training_minutes) == (180 + 150, 60 + 20, 480)
    assert (fa.cases_handled, fa.sessions, fa.follow_ups, fa.consultations) == (1, 1, 1, 1)
    assert (fa.documents_drafted, fa.documents_returned) == (2, 1)
    assert [(t.label, t.count, t.succeeded) for t in fa.case_types] == [("合同/租房", 1, 0)]
    fc = next(f for f in ov.students if f.volunteer_id == c.volunteer_id)
    assert (fc.shifts, fc.missed) == (1, 1)
    with desk_time(EVENING + dt.timedelta(days=40), 20), db.read() as s:
        later = overview.term_overview(s, desk.adviser, term_id)
    assert {f.volunteer_id for f in later.idle} == {a.volunteer_id, b.volunteer_id, c.volunteer_id}
    assert {f.volunteer_id for f in ov.idle} == {b.volunteer_id, c.volunteer_id}  # a worked this week
    with db.read() as s, pytest.raises(PermissionDenied):
        overview.term_overview(s, a.actor, term_id)


def test_certificate_figures_equal_the_overviews(db: Database, desk: Desk, tmp_path: Path) -> None:
    term_id, (a, _b, _c) = _worked_term(db, desk)
    with desk_time(EVENING, 10), db.write() as s:
        service = certificates.draft_certificate(s, desk.admin, a.volunteer_id, "service_record")
        report = certificates.draft_certificate(s, desk.admin, a.volunteer_id, "practice_report")
    with db.write() as s, pytest.raises(Conflict):
        certificates.draft_certificate(s, desk.admin, a.volunteer_id, "service_record")  # one draft at a time
    # Not printable before the adviser approves: a draft is only previewed, marked.
    with desk_time(EVENING, 10), db.read() as s:
        preview = certificates.render_certificate(s, desk.admin, service)
        with pytest.raises(Conflict):
            certificates.render_certificate(s, desk.admin, service, fmt="docx")
    assert "草稿" in PdfReader(io.BytesIO(preview)).pages[0].extract_text()
    with db.write() as s, pytest.raises(PermissionDenied):
        certificates.approve_certificate(s, desk.admin, service)
    with desk_time(EVENING, 11), db.write() as s, pytest.raises(ValidationError) as exc:
        certificates.approve_certificate(s, desk.adviser, report)
    assert set(exc.value.errors) == {"evaluation"}
    with desk_time(EVENING, 11), db.write() as s:
        certificates.update_certificate(s, desk.adviser, report, content="",
                                        evaluation="该生值班认真，能独立制作调解记录，沟通耐心。")
        certificates.approve_certificate(s, desk.adviser, report)
        certificates.approve_certificate(s, desk.adviser, service)
    with desk_time(EVENING, 11), db.read() as s:
        ov = overview.term_overview(s, desk.adviser, term_id)
        cert = certificates.get_certificate(s, desk.admin, service)
        pdf = certificates.render_certificate(s, desk.admin, service)
        word = certificates.render_certificate(s, desk.admin, service, fmt="docx")
        report_pdf = certificates.render_certificate(s, desk.admin, report)
        listed = certificates.list_certificates(s, desk.adviser, term_id)
    fa = next(f for f in ov.students if f.volunteer_id == a.volunteer_id)
    assert cert.figures == fa  # the very figures the adviser sees
    assert cert.number == "（2026）X警校志证字第001号" and cert.approved and cert.approved_by == desk.adviser.display_name
    assert [(x.kind, x.status) for x in listed] == [("practice_report", "approved"), ("service_record", "approved")]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    total = (fa.duty_minutes + fa.case_minutes + fa.training_minutes) / 60
    for piece in ("志愿服务记录证明", cert.number, a.actor.display_name, f"{total:.1f}小时", f"值班{fa.duty_minutes / 60:.1f}小时",
                  f"办案{fa.case_minutes / 60:.1f}小时", f"培训{fa.training_minutes / 60:.1f}小时", "负责人", "经办人",
                  "盖章", "测试大学警校联调中心", "2026年9月7日"):
        assert piece.replace(" ", "") in text.replace(" ", "").replace("\n", ""), piece
    path = tmp_path / "cert.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)  # every font embedded
    paragraphs = docx.Document(io.BytesIO(word))
    body = "\n".join(p.text for p in paragraphs.paragraphs) + "\n".join(
        cell.text for t in paragraphs.tables for row in t.rows for cell in row.cells)
    assert a.actor.display_name in body and cert.number in body and f"{total:.1f}" in body
    report_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf)).pages)
    assert "合同/租房纠纷1件" in report_text.replace(" ", "") and "沟通耐心" in report_text
    assert "房东" not in report_text and "申请人乙" not in report_text  # cases described anonymously
    # Approved figures are frozen: later work does not change the printed certificate.
    with desk_time(EVENING, 15), db.write() as s:
        consultations.log_consultation(s, a.actor, ConsultationInput(topic="兼职工资", answer="劳动仲裁"))
    with desk_time(EVENING, 16), db.read() as s:
        assert certificates.get_certificate(s, desk.admin, service).figures == cert.figures
        assert overview.figures_of(s, desk.adviser, a.volunteer_id).consultations == fa.consultations + 1


def test_numbers_follow_on_and_a_student_without_an_account_has_no_certificate(db: Database, desk: Desk) -> None:
    term_id = open_term(db, desk.admin)
    a, b = enrol(db, desk.admin, term_id, 2)
    with desk_time(EVENING, 10), db.write() as s:
        ids = [certificates.draft_certificate(s, desk.adviser, st.volunteer_id, "service_record") for st in (a, b)]
        for cid in ids:
            certificates.approve_certificate(s, desk.adviser, cid)
        numbers = [certificates.get_certificate(s, desk.adviser, cid).number for cid in ids]
    assert numbers == ["（2026）X警校志证字第001号", "（2026）X警校志证字第002号"]
    with db.write() as s, pytest.raises(Conflict):
        certificates.update_certificate(s, desk.adviser, ids[0], content="改", evaluation="")
    from mediation.services.roster import volunteers
    from mediation.services.roster.volunteers import VolunteerInput

    with desk_time(EVENING, 10), db.write() as s:
        vid = volunteers.add_volunteer(s, desk.admin, term_id, VolunteerInput("无账户", "20230999"))
    with db.write() as s, pytest.raises(ValidationError):
        certificates.draft_certificate(s, desk.admin, vid, "service_record")
