"""Reports: the same figures three ways (the statistics function, the XLSX re-read, the PDF's
text), the command line, and 填报 → 审核 → 上报 with the frozen snapshot."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from mediation import cli, statistics
from mediation.db import Database
from mediation.errors import Conflict, ValidationError, WorkflowError
from mediation.models import AuditLog, Case, StatReport
from mediation.services import reports
from mediation.statistics import Period
from mediation.statistics.export import Analysis, Signoff, anonymise, fmt, to_docx, to_pdf, to_xlsx
from mediation.statistics.tables import TableResult
from mediation.timeutil import clock_at
from tests.conftest import Desk
from tests.db import test_statistics as hand_built
from tests.db.test_statistics import at, make_case

october = hand_built.october  # the fixture of the hand-built October cases

OCT = Period.parse("2026-10")


# ---------------------------------------------------------------- the XLSX, re-read


def _sheet_rows(data: bytes) -> tuple[object, dict[str, list[int]]]:
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    where: dict[str, list[int]] = {}
    for r in range(1, ws.max_row + 1):
        label = ws.cell(r, 1).value
        if isinstance(label, str):
            where.setdefault(label, []).append(r)
    return ws, where


def _evaluate(ws: object, value: object) -> object:
    """A cell's number: its value, or the result of its ``=SUM(X1:X9)`` formula."""
    if isinstance(value, str) and value.startswith("="):
        m = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", value)
        assert m, f"unexpected formula {value}"
        col, lo, hi = m.group(1), int(m.group(2)), int(m.group(4))
        cells = [ws[f"{col}{r}"].value for r in range(lo, hi + 1)]  # type: ignore[index]
        assert all(isinstance(c, (int, float, Decimal)) for c in cells)
        return sum(Decimal(str(c)) for c in cells)  # type: ignore[arg-type]
    return value


def _same(a: object, b: object) -> bool:
    if b is None:
        return a == "—"
    return Decimal(str(a)) == Decimal(str(b))


def test_people_table_xlsx_holds_the_figures_and_totals_as_formulas(db: Database, desk: Desk,
                                                                    october: dict[str, int]) -> None:
    with db.read() as s:
        t = statistics.table(s, desk.officer, "people", OCT)
    data = to_xlsx(t, Signoff("测试大学警校联调中心", "李同学", "王警官"))
    ws, where = _sheet_rows(data)
    # the two header rows, merged: 受理 over both rows, 其中 over three columns
    merged = {str(m) for m in ws.merged_cells.ranges}  # type: ignore[attr-defined]
    assert "B4:B5" in merged and "C4:E4" in merged
    assert [ws.cell(5, k).value for k in (3, 4, 5)] == ["主动调解", "依申请调解", "接受委托移送调解"]  # type: ignore[attr-defined]
    assert ws.cell(6, 1).value == "单位"  # type: ignore[attr-defined]
    checked = 0
    for b, block in enumerate(t.blocks):
        for row in [*block.rows, block.total]:
            assert row is not None
            r = where[row.label][b]
            for k, c in enumerate(t.columns, start=2):
                cell = ws.cell(r, k).value  # type: ignore[attr-defined]
                if row is block.total and c.additive:
                    assert isinstance(cell, str) and cell.startswith("=SUM(")
                assert _same(_evaluate(ws, cell), row.values[c.code]), (row.label, c.code, cell)
                checked += 1
    assert checked == 2 * 16 * len(t.columns)
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4  # type: ignore[attr-defined]
    texts = [str(ws.cell(r, k).value) for r in range(1, ws.max_row + 1) for k in range(1, 18)]  # type: ignore[attr-defined]
    assert any(x.startswith("填报人：李同学") for x in texts) and any(x.startswith("审核人：王警官") for x in texts)
    assert any("调解成功率 = 调解成功 ÷" in x for x in texts)  # the counting rules in the notes


@pytest.mark.parametrize("table", ["police", "campus", "quality"])
def test_other_tables_xlsx_round_trip(db: Database, desk: Desk, october: dict[str, int], table: str) -> None:
    with db.read() as s, clock_at(at(2026, 12, 1)):
        t = statistics.table(s, desk.officer, table, OCT)
    ws, where = _sheet_rows(to_xlsx(t))
    block = t.blocks[0]
    for row in [*block.rows, *([block.total] if block.total else [])]:
        r = where[row.label][0]
        for k, c in enumerate(t.columns, start=2):
            assert _same(_evaluate(ws, ws.cell(r, k).value), row.values[c.code])  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the PDF's text


def _pdf_lines(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.splitlines()


def _row_numbers(lines: list[str], label: str, nth: int = 0) -> list[str]:
    found = [ln for ln in lines if ln.strip().startswith(label + " ")]
    return found[nth].split()[1:]


def test_people_table_pdf_text_gives_the_same_figures(db: Database, desk: Desk, october: dict[str, int],
                                                      tmp_path: Path) -> None:
    with db.read() as s:
        t = statistics.table(s, desk.officer, "people", OCT)
    data = to_pdf(t)
    lines = _pdf_lines(data, tmp_path)
    assert any("人民调解案件统计表" in ln for ln in lines)
    for b, block in enumerate(t.blocks):
        for row in [*block.rows, block.total]:
            assert row is not None
            assert _row_numbers(lines, row.label, b) == [fmt(row.values[c.code], c) for c in t.columns], row.label
    fonts = subprocess.run(["pdffonts", str(tmp_path / "t.pdf")], capture_output=True, text=True, check=True).stdout
    assert "UMingCN" in fonts and "MicroHei" in fonts  # the bundled body and title fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded


def test_every_row_label_of_every_table_stays_on_one_line_beside_its_figures(
        db: Database, desk: Desk, october: dict[str, int], tmp_path: Path) -> None:
    """The first column is as wide as its longest label (it was 24 mm: the 质效表's labels
    wrapped onto two or three lines, away from their figures)."""
    for code in statistics.TABLES:
        with db.read() as s, clock_at(at(2026, 12, 1)):
            t = statistics.table(s, desk.officer, code, OCT)
        lines = _pdf_lines(to_pdf(t), tmp_path)
        for b, block in enumerate(t.blocks):
            for row in [*block.rows, *([block.total] if block.total is not None else [])]:
                assert _row_numbers(lines, row.label, b) == [fmt(row.values.get(c.code), c) for c in t.columns], (
                    code, row.label)


def test_police_table_pdf_text(db: Database, desk: Desk, october: dict[str, int], tmp_path: Path) -> None:
    with db.read() as s, clock_at(at(2026, 12, 1)):
        t = statistics.table(s, desk.officer, "police", OCT)
    lines = _pdf_lines(to_pdf(t), tmp_path)
    block = t.blocks[0]
    assert block.total is not None
    assert _row_numbers(lines, "合计") == [fmt(block.total.values[c.code], c) for c in t.columns]


def test_a_broken_check_is_printed_on_the_report(db: Database, desk: Desk, october: dict[str, int],
                                                 tmp_path: Path) -> None:
    with db.write() as s:
        s.execute(update(Case).where(Case.id == october["c1"]).values(agreement_kind=None))
    with db.read() as s:
        t = statistics.table(s, desk.officer, "people", OCT)
    text = "\n".join(_pdf_lines(to_pdf(t), tmp_path))
    assert "数据校验未通过" in text and "不等于书面协议" in text
    ws, _where = _sheet_rows(to_xlsx(t))
    cells = [str(c.value) for row in ws.iter_rows() for c in row]  # type: ignore[attr-defined]
    assert any(c.startswith("数据校验未通过") for c in cells)


# ---------------------------------------------------------------- the monthly analysis (DOCX)


def test_monthly_analysis_docx(db: Database, desk: Desk, october: dict[str, int]) -> None:
    from docx import Document

    with db.read() as s:
        both = statistics.table_compared(s, desk.officer, "people", OCT)
    data = to_docx(both, Analysis("租房纠纷较多。", "加强宣传。", [("合同纠纷", anonymise("张三与李四", ["张三", "李四"]))]),
                   Signoff("测试大学警校联调中心", "李同学", "王警官"))
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    table = Document(io.BytesIO(data)).tables[0]
    # October: 3 accepted; October 2025: none; September: 1 (c2) → 环比 +200.0%
    assert "本期受理人民调解案件 3（上年同期 0，同比 —；环比 +200.0%） 件" in text
    assert "调解成功率 66.7%" in text
    assert "张某某与李某某" in text and "张三" not in text
    assert "租房纠纷较多。" in text and "加强宣传。" in text
    rows = [[c.text for c in r.cells] for r in table.rows]
    # 合同 2 of 3 → 66.7 %, 损害赔偿 1 of 3 → 33.3 %
    assert ["合同", "2", "66.7%", "—"] in rows and ["损害赔偿", "1", "33.3%", "—"] in rows


# ---------------------------------------------------------------- 填报 → 审核 → 上报


def test_file_review_submit_then_a_later_change_is_flagged(db: Database, desk: Desk,
                                                           october: dict[str, int]) -> None:
    with db.write() as s, clock_at(at(2026, 11, 5)):
        rid = reports.file_report(s, desk.volunteer, desk.desk_id, "people", OCT,
                                  notes={"features": "租房纠纷多", "typical_case_ids": [october["c1"]]})
        with pytest.raises(Conflict):
            reports.file_report(s, desk.volunteer, desk.desk_id, "people", OCT)
        with pytest.raises(ValidationError):
            reports.review_report(s, desk.officer, rid, approve=False)
        reports.review_report(s, desk.officer, rid, approve=False, comment="特点写具体些")
        with pytest.raises(WorkflowError):
            reports.submit_report(s, desk.officer, rid)
        assert reports.file_report(s, desk.volunteer, desk.desk_id, "people", OCT,
                                   notes={"features": "租房纠纷占三分之二"}) == rid
        reports.review_report(s, desk.officer, rid, approve=True)
        digest = reports.submit_report(s, desk.officer, rid)
    with db.read() as s:
        view = reports.get_report(s, desk.officer, rid)
        assert (view.status, view.snapshot_sha256, view.filed_by, view.reviewed_by) == (
            "submitted", digest, "李同学", "王警官")
        assert reports.changes_since_submission(s, desk.officer, rid) == []
        frozen = reports.frozen_table(s, desk.officer, rid)
        assert frozen.value("total", "accepted", "本期") == 3
    with db.write() as s, clock_at(at(2026, 11, 6)):
        with pytest.raises(WorkflowError, match="已上报"):
            reports.file_report(s, desk.officer, desk.desk_id, "people", OCT)
        # c2's oral agreement is corrected to a written one after the report went up
        s.execute(update(Case).where(Case.id == october["c2"]).values(agreement_kind="written"))
    with db.read() as s:
        changes = reports.changes_since_submission(s, desk.officer, rid)
        assert {(c.block, c.row, c.column, c.submitted, c.now) for c in changes} == {
            ("本期", "neighbour", "written", 0, 1), ("本期", "neighbour", "oral", 1, 0),
            ("本期", "total", "written", 1, 2), ("本期", "total", "oral", 1, 0),
            ("年度累计", "neighbour", "written", 0, 1), ("年度累计", "neighbour", "oral", 1, 0),
            ("年度累计", "total", "written", 1, 2), ("年度累计", "total", "oral", 1, 0)}
        rendered = reports.render_table(s, desk.officer, "people", OCT, "xlsx")
        assert rendered.changed_note.startswith("报送后有变动：")
        # the file of a submitted period shows the figures as submitted, and the note
        ws, where = _sheet_rows(rendered.content)
        cells = [str(c.value) for row in ws.iter_rows() for c in row]  # type: ignore[attr-defined]
        assert any(c.startswith("报送后有变动") for c in cells)
        assert ws.cell(where["邻里"][0], 9).value == 1  # type: ignore[attr-defined]  # 口头协议 as submitted


def test_an_audited_change_to_a_case_of_a_submitted_period_names_the_report(db: Database, desk: Desk,
                                                                            october: dict[str, int]) -> None:
    from mediation.services import supervision

    with db.write() as s, clock_at(at(2026, 11, 5)):
        rid = reports.file_report(s, desk.officer, desk.desk_id, "people", OCT)
        reports.review_report(s, desk.officer, rid, approve=True)
        reports.submit_report(s, desk.officer, rid)
    with db.write() as s, clock_at(at(2026, 11, 6)):
        supervision.record_outcome(s, desk.officer, october["c2"], supervision.OutcomeInput(
            prevented_petition=True, prevented_petition_people=12))
        supervision.record_outcome(s, desk.officer, october["c5"], supervision.OutcomeInput())  # November's
    with db.read() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action == "case.outcome").order_by(AuditLog.id)).all()
        assert [(r.case_id, (r.after or {}).get("locked_reports")) for r in rows[-2:]] == [
            (october["c2"], [rid]), (october["c5"], None)]
        # the SQL condition the audit viewer's 报送期内改动 flag uses finds exactly that row
        flagged = s.scalars(select(AuditLog.id).where(reports.locked_period_audit_condition())).all()
        assert flagged == [rows[-2].id]
        assert {(c.row, c.column) for c in reports.changes_since_submission(s, desk.officer, rid)} >= {
            ("neighbour", "petition"), ("neighbour", "petition_people")}


def test_a_tampered_snapshot_is_refused(db: Database, desk: Desk, october: dict[str, int]) -> None:
    with db.write() as s, clock_at(at(2026, 11, 5)):
        rid = reports.file_report(s, desk.officer, desk.desk_id, "people", OCT)
        reports.review_report(s, desk.officer, rid, approve=True)
        reports.submit_report(s, desk.officer, rid)
    with db.write() as s:
        report = s.get(StatReport, rid)
        assert report is not None and report.snapshot is not None
        data = dict(report.snapshot)
        data["blocks"][0]["rows"]["total"]["accepted"] = 30
        s.execute(update(StatReport).where(StatReport.id == rid).values(snapshot=data))
    with db.read() as s, pytest.raises(Conflict, match="SHA-256"):
        reports.frozen_table(s, desk.officer, rid)


def test_volunteers_may_file_but_not_review(db: Database, desk: Desk) -> None:
    with db.write() as s:
        rid = reports.file_report(s, desk.volunteer, desk.desk_id, "police", OCT)
        with pytest.raises(Exception, match="审核"):
            reports.review_report(s, desk.volunteer, rid, approve=True)


# ---------------------------------------------------------------- the command line


def _cli(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
         stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_mediation_report_command(sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDIATION_DATA_DIR", str(tmp_path / "data"))
    desk = Desk(sqlite_db)
    with sqlite_db.write() as s:
        make_case(s, desk, accepted=at(2026, 10, 8), category="合同")
        make_case(s, desk, accepted=at(2026, 10, 9), category="邻里")
    base = ["--db", sqlite_db.url, "report", "--as", "officer", "--as-password-stdin"]
    out_file = tmp_path / "oct.xlsx"
    code, out, err = _cli([*base, "--period", "2026-10", "--table", "people", "-o", str(out_file)],
                          capsys, monkeypatch, "Qiushi-Lake-42\n")
    assert code == 0, err
    assert "人民调解案件统计表" in out
    ws, where = _sheet_rows(out_file.read_bytes())
    assert ws.cell(where["合同"][0], 2).value == 1 and ws.cell(where["邻里"][0], 2).value == 1  # type: ignore[attr-defined]
    pdf = tmp_path / "range.pdf"
    code, _o, err = _cli([*base, "--from", "2026-10-09", "--to", "2026-10-31", "--table", "people",
                          "--desk", "X警校调字", "-o", str(pdf)], capsys, monkeypatch, "Qiushi-Lake-42\n")
    assert code == 0, err
    lines = _pdf_lines(pdf.read_bytes(), tmp_path)
    assert _row_numbers(lines, "合计")[0] == "1"  # only the case of 9 October
    docx_file = tmp_path / "analysis.docx"
    code, _o, err = _cli([*base, "--period", "2026-10", "--table", "people", "-o", str(docx_file)],
                         capsys, monkeypatch, "Qiushi-Lake-42\n")
    assert code == 0 and docx_file.stat().st_size > 0, err
    # wrong use: exit 2 with one line
    code, _o, err = _cli([*base, "--period", "2026-13", "--table", "people", "-o", str(out_file)],
                         capsys, monkeypatch, "Qiushi-Lake-42\n")
    assert code == 1 and "2026-10（月）" in err and "Traceback" not in err
    code, _o, err = _cli([*base, "--period", "2026-10", "--table", "people", "--format", "pdf",
                          "-o", str(out_file)], capsys, monkeypatch, "Qiushi-Lake-42\n")
    assert code == 2 and "扩展名" in err
    code, _o, err = _cli(["--db", sqlite_db.url, "report", "--as", "volunteer", "--as-password-stdin",
                          "--period", "2026-10", "--table", "people", "-o", str(out_file)],
                         capsys, monkeypatch, "Qiushi-Lake-42\n")
    assert code == 1 and "查看统计" in err


def test_result_data_is_json_for_the_snapshot(db: Database, desk: Desk, october: dict[str, int]) -> None:
    with db.read() as s:
        t: TableResult = statistics.table(s, desk.officer, "people", OCT)
    data = t.to_data()
    assert data["blocks"][0]["rows"]["contract"]["amount"] == "0.25"
    assert reports.snapshot_digest(data) == reports.snapshot_digest(t.to_data())
