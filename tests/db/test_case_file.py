"""The case file (issue 12 items 3 and 24): the cover's 卷内目录 lists every final document of the
case in order, with its pages and the totals; 立卷人, 立卷日期 and 本卷页数 are filled; the 卷宗 is one
PDF (cover, contents, then each final document and signed scan); archiving needs the final cover
and keeps its one retention period. Checked by opening what was produced (pdftotext, pdffonts)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from mediation import workflow
from mediation.errors import WorkflowError
from mediation.services import case_records, cases
from mediation.services import documents as docs
from mediation.services.case_records import FollowUpInput
from mediation.timeutil import local_today, utcnow
from tests.documents.helpers import needs_poppler, poppler
from tests.factories import final_cover, mediating_case
from tests.pngs import png


def _final(s, desk, case_id: int, form: str, content: dict | None = None) -> int:  # type: ignore[no-untyped-def]
    """A document of ``form`` through approval; final, signed on screen if it is the agreement, else on paper."""
    doc_id = docs.create_draft(s, desk.volunteer, case_id, form)
    if content:
        docs.update_draft(s, desk.volunteer, doc_id, content)
    docs.submit(s, desk.volunteer, doc_id)
    docs.approve(s, desk.officer, doc_id)
    paper = form not in workflow.AGREEMENT_FORMS
    if not paper:
        for role, name in docs.required_signers_for(s, desk.volunteer, doc_id):
            docs.add_signature(s, desk.volunteer, doc_id, signer_role=role, signer_name=name, image_png=png())
    docs.finalize(s, desk.volunteer, doc_id, signed_on_paper=paper)
    return doc_id


def _closed_case_with_papers(db, desk) -> int:  # type: ignore[no-untyped-def]
    deadline = (local_today() + dt.timedelta(days=3)).isoformat()
    with db.write() as s:
        case_id = mediating_case(s, desk)
        _final(s, desk, case_id, "application")
        _final(s, desk, case_id, "session_record")
        agreement = _final(s, desk, case_id, "people_agreement", {
            "disputed_matters": "押金", "performance_manner": "微信转账", "performance_place": "联调中心",
            "performance_deadline": deadline, "document_date": local_today().isoformat(),
            "terms": ["被申请人退还押金人民币贰仟元整（¥2,000.00）。"]})
        assert agreement
    with db.write() as s:  # the agreement's final carried the case to 达成协议 and signed it
        cases.enter_performing(s, desk.volunteer, case_id)
        case_records.add_follow_up(s, desk.volunteer, case_id, FollowUpInput(
            visited_at=utcnow(), result="押金已退还。", performance_status="performed"))
        notice = _final(s, desk, case_id, "rights_notice")
        docs.attach_signed_scan(s, desk.volunteer, notice, filename="告知书签字页.png",
                                content=png(400, 560, stroke=6), mime_type="image/png")
        _final(s, desk, case_id, "follow_up")
        cases.close_case(s, desk.officer, case_id)
    return case_id


@needs_poppler
def test_the_cover_lists_every_final_paper_with_pages_and_the_file_prints_as_one(db, desk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case_id = _closed_case_with_papers(db, desk)
    with db.write() as s, pytest.raises(WorkflowError, match="卷宗封面"):
        cases.archive_case(s, desk.officer, case_id)  # item 24: not without the final cover
    with db.write() as s:
        cover_id = final_cover(s, desk, case_id, retention="30年")
    with db.write() as s:
        cover_pdf = docs.final_pdf(s, desk.officer, cover_id)
        made = docs.case_file_pdf(s, desk.officer, case_id)
        number = cases.load_case(s, desk.officer, case_id).number
    assert made.cover_final and made.papers == 6  # five final documents and one signed scan

    path = tmp_path / "cover.pdf"
    path.write_bytes(cover_pdf)
    text = poppler("pdftotext", path, "-layout")
    # The cover: 立卷人 (who drafted it), 立卷日期, 本卷页数 filled; the retention written once, here.
    assert re.search(r"立卷人\s+李同学", text), text
    today = local_today()
    assert f"{today.year}年{today.month}月{today.day}日" in text.split("立卷日期")[1].splitlines()[0]
    assert f"共{made.pages}页" in text.split("本卷页数")[1].splitlines()[0]
    assert re.search(r"保管期限\s+30年", text)
    # 卷内目录: every paper, in order (agreement, records, notices, follow-ups, scans), pages and total.
    contents = text.split("卷内目录")[1]
    titles = ["人民调解协议书", "人民调解申请书", "调解记录", "权利义务告知书", "回访记录", "扫描件"]
    rows = [next(i for i, line in enumerate(contents.splitlines()) if t in line) for t in titles]
    assert rows == sorted(rows), contents
    pages = re.findall(r"^\s*\d+\s+\S.*?\s(\d+(?:-\d+)?)\s", contents, re.MULTILINE)
    assert len(pages) == 6 and pages[0].startswith("1"), contents
    last = int(pages[-1].split("-")[-1])
    assert last == made.pages and f"共{made.pages}页" in contents.split("合计")[1]
    assert "6件" in contents.split("合计")[1]

    # The 卷宗 as one PDF: the cover's pages, then each paper's pages, fonts embedded.
    book = tmp_path / "file.pdf"
    book.write_bytes(made.pdf)
    reader = PdfReader(io.BytesIO(made.pdf))
    cover_pages = len(PdfReader(io.BytesIO(cover_pdf)).pages)
    assert len(reader.pages) == cover_pages + made.pages
    assert reader.pages[0].extract_text() == PdfReader(io.BytesIO(cover_pdf)).pages[0].extract_text()
    whole = poppler("pdftotext", book)
    assert number is not None and whole.index("卷内目录") < whole.index("人民调解协议书", whole.index("合计"))
    fonts = poppler("pdffonts", book).splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts if "Type 3" not in line), fonts
    assert len(reader.pages[-1].images) == 1  # the scanned page closes the file

    with db.write() as s:
        cases.archive_case(s, desk.officer, case_id)
    with db.read() as s:
        case = cases.load_case(s, desk.officer, case_id)
        assert case.stage == workflow.ARCHIVED and case.retention_years == 30
