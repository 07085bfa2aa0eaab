"""Names, numbers and ID numbers never break inside their cell (issue 12 item 11): 阿卜杜拉·买买提
broke before 提. The longest names the intake accepts (validation's limits) are printed, and the
PDF text read back (pdftotext) holds each of them in one piece; the pages are rendered too."""

from __future__ import annotations

import inspect
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from mediation import validation
from mediation.documents import render, samples
from mediation.documents.model import Party, PartyKind, PartyRole
from tests.documents.helpers import needs_poppler, poppler
from tests.factories import make_id

PERSON_MAX = inspect.signature(validation.person_name).parameters["max_len"].default
ORG_MAX = inspect.signature(validation.org_name).parameters["max_len"].default
UYGHUR = "阿卜杜拉·买买提"
LONGEST_PERSON = validation.person_name(("欧阳" + "娜·迪丽热巴" * 10)[:PERSON_MAX - 1] + "娜")
LONGEST_ORG = validation.org_name(("某某市某某区某某街道某某大学城商业管理有限责任公司" * 5)[:ORG_MAX])
LATIN = validation.person_name("Maria-Fernanda Gonzalez-Rodriguez de la Cruz")
PHONE = "0571-87654321-1234"


def _parties() -> list[Party]:
    return [
        Party(UYGHUR, PartyRole.APPLICANT, sex="男", ethnicity="维吾尔族", phone="13800138000",
              id_number=make_id(samples.dt.date(2001, 3, 4), seq=101, region="650102"), address="某市某区"),
        Party(LONGEST_PERSON, PartyRole.RESPONDENT, sex="女", ethnicity="汉族", phone=PHONE,
              id_number=make_id(samples.dt.date(1999, 9, 9), seq=202)),
        Party(LONGEST_ORG, PartyRole.THIRD, kind=PartyKind.ORGANISATION, legal_representative=LATIN,
              id_number="91110105MA01ABCD2X", phone="010-62345678"),
        Party(LATIN, PartyRole.AGENT, sex="女", represents=UYGHUR, id_missing_reason="护照号码E12345678"),
    ]


def test_the_names_are_the_longest_the_intake_accepts() -> None:
    assert len(LONGEST_PERSON) == PERSON_MAX and len(LONGEST_ORG) == ORG_MAX
    with pytest.raises(validation.ValidationError):
        validation.person_name(LONGEST_PERSON + "娜")
    with pytest.raises(validation.ValidationError):
        validation.org_name(LONGEST_ORG + "司")


@needs_poppler
@pytest.mark.parametrize("form", ["people_agreement", "police_agreement", "application", "follow_up"])
def test_names_numbers_and_id_numbers_come_back_in_one_piece(form: str, tmp_path: Path) -> None:
    base = samples.context_for(form)
    ctx = replace(base, parties=_parties(), case_parties=_parties(),
                  case_number="（2026）某某大学城警校联调中心调字第1234号",
                  agreement_number="（2026）某某大学城警校联调中心调字第1234号")
    path = tmp_path / f"{form}.pdf"
    path.write_bytes(render.render_pdf(form, ctx))
    text = poppler("pdftotext", path, "-enc", "UTF-8")
    shown = [p for p in ctx.parties if (form != "application" or p.role == PartyRole.APPLICANT)
             and (form != "follow_up" or p.is_principal)]  # who each form prints
    for p in shown:
        assert p.name in text, f"{form}: {p.name!r} broken apart"
        if p.id_number and form != "follow_up":  # the follow-up record lists no particulars
            assert p.id_number in text, f"{form}: {p.id_number} broken apart"
    if form in ("people_agreement", "police_agreement", "follow_up"):
        assert ctx.agreement_number in text
    assert PHONE in text or form in ("application", "follow_up")  # the respondent's phone, in the particulars
    if shutil.which("pdftoppm"):  # the pages render (kept for a look: tmp_path)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / form)], check=True, timeout=60)
        assert list(tmp_path.glob(f"{form}-*.png"))
