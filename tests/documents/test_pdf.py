"""PDF output: fonts embedded, text extractable exactly (including U+20BB7), layout basics."""

from __future__ import annotations

import dataclasses
import io
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from mediation.documents import fonts, render, samples
from mediation.documents.model import Party, PartyRole
from mediation.documents.numerals import format_amount
from mediation.documents.pdf import FooterStamp
from tests.documents.helpers import FORMS, needs_poppler, poppler


def _flat(text: str) -> str:
    """Extracted text without line breaks and spaces (for text that may wrap)."""
    return re.sub(r"\s+", "", text)


@needs_poppler
@pytest.mark.parametrize("form", FORMS)
def test_every_font_is_embedded(rendered_pdfs: dict[str, Path], form: str) -> None:
    listing = poppler("pdffonts", rendered_pdfs[form]).splitlines()
    rows = [line.split() for line in listing[2:] if line.strip()]
    assert rows, "no fonts listed"
    for row in rows:
        # name type encoding emb sub uni object-id
        emb, _sub, uni = row[-5], row[-4], row[-3]
        assert emb == "yes", f"{form}: font not embedded: {row}"
        assert uni == "yes", f"{form}: no ToUnicode map: {row}"
        assert "Helvetica" not in row[0]


@needs_poppler
@pytest.mark.parametrize("form", FORMS)
def test_names_and_numbers_extract_exactly(rendered_pdfs: dict[str, Path], form: str) -> None:
    ctx = samples.context_for(form)
    text = poppler("pdftotext", rendered_pdfs[form], "-enc", "UTF-8")
    # Names sit in table cells or signature lines: they must come back character for
    # character, including 𠮷 (U+20BB7, a surrogate pair in the ToUnicode map).
    for name in samples.RARE_NAMES:
        assert name in text, f"{form}: {name!r} not extracted"
    number = ctx.agreement_number if form in ("people_agreement", "police_agreement") else ""
    if form in ("people_agreement", "police_agreement", "oral_agreement"):
        number = ctx.agreement_number
    elif form != "judicial_confirmation":
        number = ctx.case_number
    if number:
        assert number in text
    assert "\ufffd" not in text


@needs_poppler
@pytest.mark.parametrize("form", ["people_agreement", "police_agreement"])
def test_amounts_extract_exactly(rendered_pdfs: dict[str, Path], form: str) -> None:
    ctx = samples.context_for(form)
    flat = _flat(poppler("pdftotext", rendered_pdfs[form], "-enc", "UTF-8"))
    for amount in ctx.amounts:
        assert _flat(format_amount(amount.value)) in flat
    assert "人民币贰仟伍佰元整（¥2,500.00）" in flat
    for term in ctx.terms:
        assert _flat(term) in flat


@needs_poppler
def test_long_facts_break_across_pages(rendered_pdfs: dict[str, Path]) -> None:
    ctx = samples.sample_context()
    path = rendered_pdfs["people_agreement"]
    pages = len(PdfReader(path).pages)
    assert pages >= 3
    text = poppler("pdftotext", path, "-enc", "UTF-8")
    assert f"第 1 页 共 {pages} 页" in text
    assert f"第 {pages} 页 共 {pages} 页" in text
    header = render.page_for("people_agreement", ctx).number
    # Drop the running header (the number) and the footer of each page, then the
    # facts read back in one piece.
    body = [
        line
        for line in text.splitlines()
        if not re.fullmatch(r"\f?(第 \d+ 页 共 \d+ 页|" + re.escape(header) + ")", line)
    ]
    assert _flat(ctx.facts) in _flat("\n".join(body))


def test_to_unicode_map_uses_surrogate_pairs() -> None:
    cmap = fonts._to_unicode_cmap("AAAAAA+Test", [0, 0x738B, 0x20BB7])
    assert "<01> <738B>" in cmap
    assert "<02> <D842DFB7>" in cmap
    assert "<20BB7>" not in cmap


def test_pdf_carries_the_surrogate_pair_and_pypdf_reads_it(ctx: object) -> None:
    data = render.render_pdf("people_agreement", samples.sample_context(long_facts=False))
    reader = PdfReader(io.BytesIO(data))
    maps = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/ToUnicode" in font:
                maps.append(font["/ToUnicode"].get_object().get_data().decode("latin-1"))
    assert any("D842DFB7" in m for m in maps)
    extracted = "".join(page.extract_text() for page in reader.pages)
    assert "王𠮷祥" in extracted
    assert "李䶮㛃" in extracted


@needs_poppler
def test_footer_stamp_prints_code_and_qr(tmp_path: Path) -> None:
    stamp = FooterStamp(code="7KQ2-M9XD", qr_data="MEDIATION-VERIFY:7KQ2-M9XD")
    path = tmp_path / "stamped.pdf"
    path.write_bytes(render.render_pdf("people_agreement", samples.sample_context(), footer=stamp))
    text = poppler("pdftotext", path, "-enc", "UTF-8")
    pages = len(PdfReader(path).pages)
    assert text.count("校验码：7KQ2-M9XD") == pages


def test_copies_follow_the_number_of_parties() -> None:
    ctx = samples.sample_context(long_facts=False)
    page = render.page_for("people_agreement", ctx)
    assert any(
        "本协议一式三份，双方当事人各执一份，调解委员会留存一份。" in t for t in page.texts()
    )
    third = Party(name="赵三方", role=PartyRole.RESPONDENT, address="某市", phone="1")
    three = dataclasses.replace(ctx, parties=[*ctx.parties, third])
    texts = list(render.page_for("people_agreement", three).texts())
    assert any("本协议一式四份，各方当事人各执一份，调解委员会留存一份。" in t for t in texts)
    police = render.page_for("police_agreement", samples.sample_context(track="police"))
    assert any(
        "本协议书一式三份，双方当事人各执一份，调解机关留存一份。" in t for t in police.texts()
    )


def test_agreement_has_voluntariness_and_signature_lines() -> None:
    texts = list(render.page_for("people_agreement", samples.sample_context()).texts())
    joined = "\n".join(texts)
    assert "自愿达成" in joined
    for name in samples.RARE_NAMES:
        assert f"{name}（签名、盖章或按指印）" in joined
    assert "人民调解员 周明理、吴静（法学院学生）（签名）：" in joined
    assert "记录人 郑书言（签名）：" in joined
    assert "某某街道人民调解委员会（印）" in joined
    assert texts[-1] == "2026年3月9日"


def test_output_is_deterministic() -> None:
    ctx = samples.sample_context(long_facts=False)
    assert render.render_pdf("people_agreement", ctx) == render.render_pdf("people_agreement", ctx)


def test_page_is_a4_with_metadata() -> None:
    data = render.render_pdf("people_agreement", samples.sample_context(long_facts=False))
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.metadata is not None and reader.metadata.title == "人民调解协议书"


def test_warm_render_is_fast() -> None:
    ctx = samples.sample_context(long_facts=False)
    render.render_pdf("people_agreement", ctx)  # warm: fonts parsed, templates compiled
    start = time.perf_counter()
    render.render_pdf("people_agreement", ctx)
    elapsed = time.perf_counter() - start
    # Target is 100 ms; the bound here is loose so a busy CI machine does not flake.
    assert elapsed < 0.5, f"{elapsed * 1000:.0f} ms"
