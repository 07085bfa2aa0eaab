"""``mediation render`` and ``mediation verify`` against a real database."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from mediation.cli import main
from mediation.db import Database
from mediation.services import case_detail
from mediation.services import documents as docs
from tests.conftest import Desk
from tests.factories import agreed_case, document_on


@pytest.fixture(autouse=True)
def _private_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Logs and the config file in the test's own directory; the officer's password on
    standard input for every ``--as officer --as-password-stdin``."""
    monkeypatch.setenv("MEDIATION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MEDIATION_DATABASE_URL", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("pass1234\n" * 20))


AS = ["--as", "officer", "--as-password-stdin"]


def _final_agreement(db: Database, desk: Desk) -> tuple[str, bytes, int]:
    """A case with a final (signed on paper) people's-mediation agreement: (case number, PDF, document id)."""
    with db.write() as s:
        case_id = agreed_case(s, desk, terms="被申请人退还押金人民币贰仟元整（¥2,000.00）。")
    doc_id = document_on(db, desk, case_id, status="final")
    with db.read() as s:
        number = case_detail.get_case(s, desk.officer, case_id).number
        pdf = docs.final_pdf(s, desk.officer, doc_id)
    assert number
    return number, pdf, doc_id


def test_render_both_formats_for_a_case_number(db: Database, desk: Desk, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    number, final, _doc = _final_agreement(db, desk)
    # ASCII brackets and no leading zeros find the same case.
    loose = number.replace("（", "(").replace("）", ")").replace("第00", "第").replace("第0", "第")
    out_docx = tmp_path / "申请书.docx"
    assert main(["--db", db.url, "render", *AS, loose, "--form", "application", "--format", "docx",
                 "-o", str(out_docx)]) == 0
    text = "\n".join(p.text for p in docx.Document(str(out_docx)).paragraphs)
    assert "申请" in text
    assert "已生成" in capsys.readouterr().out

    out_pdf = tmp_path / "申请书.pdf"
    assert main(["--db", db.url, "render", *AS, number, "--form", "application", "--format", "pdf",
                 "-o", str(out_pdf)]) == 0
    extracted = "".join(page.extract_text() or "" for page in PdfReader(out_pdf).pages)
    assert "张三" in extracted and "李四" in extracted

    # The agreement already exists and is final: render gives the frozen bytes.
    out_final = tmp_path / "协议书.pdf"
    assert main(["--db", db.url, "render", *AS, number, "--form", "people_agreement", "-o", str(out_final)]) == 0
    assert out_final.read_bytes() == final
    # Each rendering carried full ID numbers: all three are on record.
    from sqlalchemy import select

    from mediation.models import AuditLog

    with db.read() as s:
        rendered = [(a.action, a.entity, (a.after or {}).get("form"), (a.after or {}).get("format"), a.user_id)
                    for a in s.scalars(select(AuditLog).where(AuditLog.action == "document.render")
                                       .order_by(AuditLog.id))]
    officer = desk.officer.user_id
    assert rendered == [("document.render", "case", "application", "docx", officer),
                        ("document.render", "case", "application", "pdf", officer),
                        ("document.render", "document", "people_agreement", "pdf", officer)]
    # Without a person to put on record, nothing is rendered.
    assert main(["--db", db.url, "render", number, "--form", "application", "-o", str(tmp_path / "n.pdf")]) == 2
    assert "--as" in capsys.readouterr().err and not (tmp_path / "n.pdf").exists()


def test_render_errors_are_one_line(db: Database, desk: Desk, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    number, _pdf, _doc = _final_agreement(db, desk)
    assert main(["--db", db.url, "render", *AS, "（2026）X警校调字第999号", "--form", "application",
                 "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "没有编号为" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["--db", db.url, "render", *AS, number, "--form", "nonsense", "-o", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "nonsense" in err and len(err.strip().splitlines()) == 1
    assert main(["--db", db.url, "render", *AS, number, "--form", "application", "--format", "docx",
                 "-o", str(tmp_path / "x.pdf")]) == 2
    assert not (tmp_path / "x.pdf").exists()


def test_verify_final_altered_and_unknown(db: Database, desk: Desk, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    number, pdf, _doc = _final_agreement(db, desk)
    good = tmp_path / "final.pdf"
    good.write_bytes(pdf)
    assert main(["--db", db.url, "verify", str(good)]) == 0
    out = capsys.readouterr().out
    assert "有效" in out and number in out and "人民调解协议书" in out

    changed = bytearray(pdf)
    at = pdf.index(b"/Producer") + 2 if b"/Producer" in pdf else len(pdf) // 2
    changed[at] ^= 0x01
    bad = tmp_path / "changed.pdf"
    bad.write_bytes(bytes(changed))
    assert main(["--db", db.url, "verify", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "已被改动" in out and "改动" in out and number in out

    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4 not one of ours")
    assert main(["--db", db.url, "verify", str(other)]) == 1
    assert "无法核对" in capsys.readouterr().out

    assert main(["--db", db.url, "verify", str(tmp_path / "missing.pdf")]) == 1
    err = capsys.readouterr().err
    assert "missing.pdf" in err and "Traceback" not in err


def test_verify_says_superseded(db: Database, desk: Desk, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    _number, pdf, doc_id = _final_agreement(db, desk)
    with db.write() as s:
        docs.supersede(s, desk.volunteer, doc_id, reason="当事人住址笔误")
    path = tmp_path / "old.pdf"
    path.write_bytes(pdf)
    assert main(["--db", db.url, "verify", str(path)]) == 1
    assert "已被更正" in capsys.readouterr().out


def test_documents_cli_has_no_qt() -> None:
    import subprocess
    import sys

    code = ("import sys, mediation.cli.documents, mediation.cli; mediation.cli.build_parser(); "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
