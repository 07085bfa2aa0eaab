"""Agreement documents through the services: draft, check, approve with a diff, sign, freeze, verify."""

from __future__ import annotations

import datetime as dt

import pytest

from mediation.errors import PermissionDenied, ValidationError, WorkflowError
from mediation.services import audit, case_detail, cases
from mediation.services import documents as docs
from mediation.services.cases import AgreementInput
from tests.factories import advance_document, agreed_case, document_on, mediating_case, with_third_party
from tests.pngs import png



def _record_signing(db, desk, case_id: int) -> None:
    """The volunteer records the agreement's signing; the case then says it was signed."""
    with db.write() as s:
        cases.mark_agreement_signed(s, desk.volunteer, case_id)
    with db.read() as s:
        assert case_detail.get_case(s, desk.officer, case_id).agreement_signed_at is not None

def test_agreement_from_draft_to_verified_final(db, desk):
    with db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(db, desk, case_id)
    # A checker error blocks submission: the performance deadline is removed.
    with db.write() as s:
        docs.update_draft(s, desk.volunteer, doc_id, {"performance_deadline": None})
    with db.write() as s, pytest.raises(ValidationError) as exc:
        docs.submit(s, desk.volunteer, doc_id)
    assert "期限" in str(exc.value)
    with db.write() as s:
        docs.update_draft(s, desk.volunteer, doc_id, {
            "performance_deadline": (dt.date.today() + dt.timedelta(days=5)).isoformat()})
        docs.submit(s, desk.volunteer, doc_id)
    # The officer's first look: everything is new; a volunteer may not approve.
    with db.read() as s:
        first_diff = docs.diff_for_reviewer(s, desk.officer, doc_id)
    assert any(line.startswith("+") and "押金" in line for line in first_diff)
    with db.write() as s:
        docs.return_for_changes(s, desk.officer, doc_id, comment="第二条写明转账账户。")
    with db.write() as s:
        docs.update_draft(s, desk.volunteer, doc_id, {"terms": [
            "被申请人于七日内退还押金2000元。", "款项通过微信转账至申请人账户。"]})
        docs.submit(s, desk.volunteer, doc_id)
    with db.read() as s:
        diff = docs.diff_for_reviewer(s, desk.officer, doc_id)
    added = [line for line in diff if line.startswith("+") and not line.startswith("+++")]
    removed = [line for line in diff if line.startswith("-") and not line.startswith("---")]
    assert any("微信转账至申请人账户" in line for line in added)
    assert any("双方就本纠纷再无其他争议" in line for line in removed)
    assert not any("申请人于2026年9月租住" in line for line in added)  # unchanged text is not shown as new
    with db.write() as s, pytest.raises(PermissionDenied):
        docs.approve(s, desk.volunteer, doc_id)
    with db.write() as s:
        docs.approve(s, desk.officer, doc_id, comment="同意")
    # Signatures on screen: finalising without all of them is refused, naming who is missing.
    with db.write() as s:
        docs.add_signature(s, desk.volunteer, doc_id, signer_role="applicant", signer_name="张三", image_png=png())
    with db.write() as s, pytest.raises(WorkflowError) as exc:
        docs.finalize(s, desk.volunteer, doc_id)
    assert "李四" in str(exc.value)
    with db.write() as s:
        docs.add_signature(s, desk.volunteer, doc_id, signer_role="respondent", signer_name="李四", image_png=png())
        docs.add_signature(s, desk.volunteer, doc_id, signer_role="mediator", signer_name="李同学", image_png=png())
    # The recorder's line is printed too, so it must be signed (issue 12 item 4).
    with db.write() as s, pytest.raises(WorkflowError) as exc:
        docs.finalize(s, desk.volunteer, doc_id)
    assert "记录人 李同学" in str(exc.value) and "李四" not in str(exc.value)
    with db.write() as s:
        docs.add_signature(s, desk.volunteer, doc_id, signer_role="recorder", signer_name="李同学", image_png=png())
        code = docs.finalize(s, desk.volunteer, doc_id)
    with db.read() as s:
        info = docs.get_document(s, desk.officer, doc_id)
        pdf = docs.final_pdf(s, desk.officer, doc_id)
        detail = case_detail.get_case(s, desk.officer, case_id)
        assert info.status == "final" and info.versions[-1].verification_code == code
        assert detail.agreement_signed_at is not None  # signing the agreement is recorded on the case
        assert detail.judicial_confirmation_deadline is not None
        ok = docs.verify_bytes(s, pdf)
        assert ok.status == "valid" and ok.case_number == detail.number
        tampered = bytearray(pdf)
        idx = pdf.index(b"/Producer") if b"/Producer" in pdf else len(pdf) // 2
        tampered[idx + 2] ^= 0x01
        bad = docs.verify_bytes(s, bytes(tampered))
        assert bad.status == "altered", bad
        assert docs.verify_bytes(s, b"%PDF-1.4 not ours").status == "unknown"
        assert audit.verify(s).ok
    # A final version cannot be edited; a correction is a new version with a reason.
    with db.write() as s, pytest.raises(WorkflowError):
        docs.update_draft(s, desk.volunteer, doc_id, {"facts": "改"})
    with db.write() as s:
        docs.supersede(s, desk.volunteer, doc_id, reason="当事人姓名笔误")
    with db.read() as s:
        info = docs.get_document(s, desk.officer, doc_id)
        assert [v.status for v in info.versions] == ["superseded", "draft"]
        assert docs.final_pdf(s, desk.officer, doc_id, version_number=1) == pdf
        assert docs.verify_bytes(s, pdf).status == "superseded"


def test_paper_signing_records_the_scan_on_the_final_version(db, desk):
    with db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(db, desk, case_id, status="final")
    with db.read() as s:
        assert case_detail.get_case(s, desk.officer, case_id).agreement_signed_at is None
    with db.write() as s:
        docs.attach_signed_scan(s, desk.volunteer, doc_id, filename="协议签字页.pdf", content=b"%PDF scan")
    with db.read() as s:
        detail = case_detail.get_case(s, desk.officer, case_id)
        assert detail.agreement_signed_at is not None
        assert any(a.filename == "协议签字页.pdf" for a in detail.attachments)


def test_signatures_drawn_on_screen_are_printed_on_their_lines_in_the_final_pdf(db, desk):
    import io

    from pypdf import PdfReader

    with db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(db, desk, case_id, status="approved")
    with db.read() as s:
        signers = docs.required_signers_for(s, desk.volunteer, doc_id)
    assert signers == [("applicant", "张三"), ("respondent", "李四"), ("mediator", "李同学"), ("recorder", "李同学")]
    with db.write() as s:
        for i, (role, name) in enumerate(signers):  # four different strokes
            docs.add_signature(s, desk.volunteer, doc_id, signer_role=role, signer_name=name,
                               image_png=png(60 + 10 * i, 20, stroke=2 + i))
        docs.finalize(s, desk.volunteer, doc_id)
    with db.read() as s:
        pdf = docs.final_pdf(s, desk.officer, doc_id)
    reader = PdfReader(io.BytesIO(pdf))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 4, [i.name for i in images]
    # The images sit in the signature block: on the page whose text has the signature lines.
    sign_pages = [p for p in reader.pages if "（签名" in (p.extract_text() or "")]
    assert sign_pages and all(len(p.images) == 4 for p in sign_pages[-1:])


def test_a_paper_signed_final_has_no_drawn_signatures(db, desk):
    import io

    from pypdf import PdfReader

    with db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(db, desk, case_id, status="submitted")
    with db.write() as s:
        docs.approve(s, desk.officer, doc_id)
        docs.add_signature(s, desk.volunteer, doc_id, signer_role="applicant", signer_name="张三", image_png=png())
        docs.finalize(s, desk.volunteer, doc_id, signed_on_paper=True)
    with db.read() as s:
        pdf = docs.final_pdf(s, desk.officer, doc_id)
    assert not [img for page in PdfReader(io.BytesIO(pdf)).pages for img in page.images]


def test_a_drafted_agreement_must_be_final_before_the_signing_is_recorded(db, desk):
    """The tester's path: draft with errors, never approved, then "登记协议签署" and close."""
    with db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(db, desk, case_id)
    with db.write() as s, pytest.raises(WorkflowError) as exc:
        cases.mark_agreement_signed(s, desk.volunteer, case_id)
    assert "定稿" in str(exc.value)
    with db.write() as s, pytest.raises(WorkflowError):
        cases.close_case(s, desk.officer, case_id)  # not signed, so not closable either
    # Approved and finalised (signed on paper): now the signing is recorded, and closing works.
    advance_document(db, desk, doc_id, "final")
    _record_signing(db, desk, case_id)


def test_without_a_drafted_agreement_a_paper_signing_can_be_recorded(db, desk):
    """Desks that write the agreement by hand record its signing directly."""
    with db.write() as s:
        case_id = agreed_case(s, desk)
    _record_signing(db, desk, case_id)


def test_a_draft_prints_marked_as_a_draft_and_the_final_does_not(db, desk):
    import io

    from pypdf import PdfReader

    def text(pdf: bytes) -> str:
        return "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")

    with db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(db, desk, case_id)
    with db.write() as s:
        draft = docs.preview_pdf(s, desk.volunteer, doc_id)
    pages = len(PdfReader(io.BytesIO(draft)).pages)
    assert text(draft).count("草稿未定稿") == pages  # on every page
    advance_document(db, desk, doc_id, "final")
    with db.write() as s:
        final = docs.preview_pdf(s, desk.volunteer, doc_id)
        final_docx = docs.render_docx(s, desk.volunteer, doc_id)
    assert "草稿" not in text(final) and "张三" in text(final)
    assert headers(final_docx) == ""


def headers(data: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    return "".join(p.text for sec in document.sections for h in (sec.header, sec.first_page_header)
                   for p in h.paragraphs if "草稿" in p.text)


def test_a_draft_docx_says_draft_in_every_header(db, desk):
    with db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(db, desk, case_id)
    with db.write() as s:
        data = docs.render_docx(s, desk.volunteer, doc_id)
    assert headers(data).count("草稿 未定稿") == 2  # first-page header and the others


def test_an_oral_agreement_is_not_held_up_by_a_written_draft(db, desk):
    """A written agreement was drafted, then the parties settled orally: recording the
    oral agreement's signing is not blocked by the unrelated draft."""
    with db.write() as s:
        case_id = mediating_case(s, desk, content="双方同意当场退还押金。")
        docs.create_draft(s, desk.volunteer, case_id, "people_agreement")
        cases.record_agreement(s, desk.volunteer, case_id, AgreementInput(kind="oral", terms="当场退还押金2000元。"))
    _record_signing(db, desk, case_id)


def test_a_third_party_is_printed_on_the_agreement(db, desk):
    with db.write() as s:
        case_id = agreed_case(s, desk, parties=with_third_party())
    doc_id = document_on(db, desk, case_id)
    with db.read() as s:
        from mediation.models import Document, DocumentVersion

        doc = s.get(Document, doc_id)
        text = docs.page_text(s, doc, s.get(DocumentVersion, doc.current_version_id))
    assert "第三人" in text and "王第三" in text
    # One copy for each of the three parties and one for the committee: 一式四份.
    assert "一式四份" in text


def test_the_default_copies_are_the_checkers_copies(db, desk):
    with db.write() as s:
        case_id = agreed_case(s, desk, parties=with_third_party())
    doc_id = document_on(db, desk, case_id)
    with db.read() as s:
        info = docs.get_document(s, desk.volunteer, doc_id)
    assert info.required_copies == 4
    # The editor saves its default (the required copies): the checker does not flag it.
    with db.write() as s:
        docs.update_draft(s, desk.volunteer, doc_id, {"copies": info.required_copies})
    with db.read() as s:
        problems = docs.check(s, desk.volunteer, doc_id)
    assert not [p for p in problems if p.field == "copies"], problems


def test_a_volunteer_sees_masked_id_numbers_until_the_document_is_final(db, desk):
    """Issue 11 item 4: preview and DOCX of a draft for someone without party.view_id mask
    the ID numbers; those allowed see them; the final original carries them, audited so."""
    import io

    from docx import Document as Docx
    from pypdf import PdfReader
    from sqlalchemy import select

    from mediation.models import AuditLog
    from mediation.validation import mask_id_number
    from tests.factories import make_id

    def pdf_text(data: bytes) -> str:
        return "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "")

    def docx_text(data: bytes) -> str:
        d = Docx(io.BytesIO(data))
        cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in d.paragraphs] + cells)

    full = make_id(dt.date(2003, 5, 17), 111)  # 张三's, as the factory registers him
    masked = mask_id_number(full)
    with db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(db, desk, case_id, status="approved")
    assert not desk.volunteer.can("party.view_id") and desk.officer.can("party.view_id")
    with db.write() as s:
        volunteer_pdf = pdf_text(docs.preview_pdf(s, desk.volunteer, doc_id))
        officer_pdf = pdf_text(docs.preview_pdf(s, desk.officer, doc_id))
        volunteer_docx = docx_text(docs.render_docx(s, desk.volunteer, doc_id))
        officer_docx = docx_text(docs.render_docx(s, desk.officer, doc_id))
    assert full not in volunteer_pdf and masked in volunteer_pdf
    assert full not in volunteer_docx and masked in volunteer_docx
    assert full in officer_pdf and full in officer_docx

    def last_output(action: str = "document.preview") -> dict:  # type: ignore[type-arg]
        with db.read() as s:
            row = s.scalars(select(AuditLog).where(AuditLog.action == action)
                            .order_by(AuditLog.id.desc()).limit(1)).one()
            assert row.after is not None
            return {**row.after, "user_id": row.user_id}

    # Each output above put itself on record, saying whether it carried full ID numbers.
    with db.read() as s:
        rows = [(r.action, r.user_id, r.after["format"], r.after["full_ids"]) for r in s.scalars(
            select(AuditLog).where(AuditLog.entity_id == doc_id, AuditLog.action.in_(
                ("document.preview", "document.export"))).order_by(AuditLog.id))]
    assert rows == [("document.preview", desk.volunteer.user_id, "pdf", False),
                    ("document.preview", desk.officer.user_id, "pdf", True),
                    ("document.export", desk.volunteer.user_id, "docx", False),
                    ("document.export", desk.officer.user_id, "docx", True)]
    with db.write() as s:
        docs.finalize(s, desk.volunteer, doc_id, signed_on_paper=True)
    with db.write() as s:
        assert full in pdf_text(docs.preview_pdf(s, desk.volunteer, doc_id))  # the frozen original
    assert last_output()["full_ids"] is True and last_output()["user_id"] == desk.volunteer.user_id


def test_every_output_puts_itself_on_record_once(db, desk):
    """Issue 11 (a): preview_pdf, render_docx, render_for_case and case_file_pdf write their
    own audit row (one per output) in the caller's write transaction, so no caller can
    forget it; outside a write transaction they refuse to make anything."""
    from sqlalchemy import func, select

    from mediation.models import AuditLog

    with db.write() as s:
        case_id = agreed_case(s, desk)
        bare_id = agreed_case(s, desk)  # no document drafted: rendered from the case's record
    doc_id = document_on(db, desk, case_id)

    def outputs() -> list[tuple[str, str, int, str, str, bool]]:
        with db.read() as s:
            return [(r.action, r.entity, r.case_id, r.after.get("form", ""), r.after["format"], r.after["full_ids"])
                    for r in s.scalars(select(AuditLog).where(AuditLog.action.like("document.%"),
                                                              AuditLog.action != "document.create")
                                       .order_by(AuditLog.id))]

    before = outputs()
    with db.read() as s:
        for make in (lambda: docs.preview_pdf(s, desk.volunteer, doc_id),
                     lambda: docs.render_docx(s, desk.volunteer, doc_id),
                     lambda: docs.render_for_case(s, desk.volunteer, case_id, "people_agreement", "pdf"),
                     lambda: docs.case_file_pdf(s, desk.volunteer, case_id)):
            with pytest.raises(RuntimeError, match=r"outside Database\.write"):
                make()
    with db.write() as s:
        docs.preview_pdf(s, desk.volunteer, doc_id)
        docs.render_docx(s, desk.officer, doc_id, kind="render")
        data, status = docs.render_for_case(s, desk.volunteer, case_id, "people_agreement", "pdf")
        assert status == "draft" and data.startswith(b"%PDF")
        data, status = docs.render_for_case(s, desk.officer, bare_id, "people_agreement", "docx")
        assert status == "" and data.startswith(b"PK")
        docs.case_file_pdf(s, desk.officer, case_id)
        with pytest.raises(ValueError):
            docs.preview_pdf(s, desk.volunteer, doc_id, kind="looked")
    assert outputs()[len(before):] == [
        ("document.preview", "document", case_id, "people_agreement", "pdf", False),
        ("document.render", "document", case_id, "people_agreement", "docx", True),
        ("document.render", "document", case_id, "people_agreement", "pdf", False),
        ("document.render", "case", bare_id, "people_agreement", "docx", True),
        ("document.preview", "case", case_id, "case_file", "pdf", True),
    ]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditLog)) > 0 and audit.verify(s).ok
