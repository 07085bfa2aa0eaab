"""评查 in the 质效表 (mediation.statistics.review): the figures of draws in October 2026 and
September 2026 worked out by hand, the cases behind each, and the rows in the exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from pathlib import Path

from mediation import statistics
from mediation.db import Database
from mediation.services import case_review, reports
from mediation.services.case_review import ItemInput
from mediation.statistics import Period
from mediation.statistics.tables import assert_consistent
from tests.conftest import Desk
from tests.db.test_case_review import CST, declined_on
from tests.db.test_reports import _pdf_lines

OCT, SEP = Period.parse("2026-10"), Period.parse("2026-09")


def _all_met(**not_met: str) -> dict[str, ItemInput]:
    return {k: ItemInput(met=k not in not_met, note=not_met.get(k, "")) for k in case_review.CHECK_ITEMS}


def _drawn(db: Database, desk: Desk, start: dt.date, end: dt.date, n: int) -> list[int]:
    """Draw ``n`` and return the draw's review ids in the order drawn."""
    with db.write() as s:
        draw = case_review.draw_cases(s, desk.officer, period_from=start, period_to=end, n=n, seed=7)
        return [r.id for d in case_review.list_draws(s, desk.officer) if d.id == draw.draw_id for r in d.reviews]


def _world(db: Database, desk: Desk) -> dict[str, list[int]]:
    # three cases closed in October, all drawn: one fine, one with two findings, one not yet reviewed
    for day in (8, 9, 12):
        declined_on(db, desk, dt.datetime(2026, 10, day, 10, 0, tzinfo=CST))
    october = _drawn(db, desk, dt.date(2026, 10, 1), dt.date(2026, 10, 31), 3)
    # one closed in September, drawn and found without its follow-up
    declined_on(db, desk, dt.datetime(2026, 9, 20, 10, 0, tzinfo=CST))
    september = _drawn(db, desk, dt.date(2026, 9, 1), dt.date(2026, 9, 30), 1)
    # a draw over 15 September – 15 October lies in neither month: counted in neither
    across = _drawn(db, desk, dt.date(2026, 9, 15), dt.date(2026, 10, 15), 2)
    with db.write() as s:
        case_review.record_review(s, desk.officer, october[0], _all_met())
        case_review.record_review(s, desk.officer, october[1], _all_met(deadlines="受理后35日才结束"),
                                  other="卷内目录页码有误")
        case_review.record_review(s, desk.officer, september[0], _all_met(follow_up="未回访"))
        case_review.record_review(s, desk.officer, across[0], _all_met(documents="协议书未定稿"))
    return {"october": october, "september": september, "across": across}


def test_review_rows_of_the_quality_table_by_hand(db: Database, desk: Desk) -> None:
    drawn = _world(db, desk)
    with db.read() as s:
        t = statistics.table(s, desk.officer, "quality", OCT)
        oct_cases = {case_review.get_review(s, desk.officer, r).case_id for r in drawn["october"]}
        findings_case = case_review.get_review(s, desk.officer, drawn["october"][1]).case_id
        reviewed = {case_review.get_review(s, desk.officer, r).case_id for r in drawn["october"][:2]}
        behind = {row: statistics.figure_cases(s, desk.officer, "quality", OCT, row, "now")
                  for row in ("review_drawn", "review_reviewed", "review_with_findings", "review_finding_rate",
                              "review_kind_deadlines", "review_kind_other", "review_kind_documents")}
    assert_consistent(t)
    v = lambda row, col="now": t.value(row, col)  # noqa: E731
    # October: 3 drawn, 2 reviewed, 1 with findings (期限 and 其他) → 1 ÷ 2 = 50.0%
    assert [v(r) for r in ("review_drawn", "review_reviewed", "review_with_findings")] == [3, 2, 1]
    assert v("review_finding_rate") == Decimal("50.0")
    assert [v(f"review_kind_{k}") for k in ("documents", "deadlines", "signatures", "follow_up", "other")] == [
        0, 1, 0, 0, 1]
    # September (上期): 1 drawn, reviewed, with its follow-up missing → 100.0%; 环比 of drawn: (3 − 1) ÷ 1
    assert [v(r, "previous") for r in ("review_drawn", "review_reviewed", "review_with_findings")] == [1, 1, 1]
    assert v("review_finding_rate", "previous") == Decimal("100.0")
    assert v("review_kind_follow_up", "previous") == 1
    assert v("review_drawn", "mom") == Decimal("200.0")
    # October 2025 (上年同期): nothing, so no 同比
    assert v("review_drawn", "last_year") == 0 and v("review_drawn", "yoy") is None
    assert v("review_finding_rate", "last_year") is None
    # the cases behind each figure: as many as it counts
    assert set(behind["review_drawn"]) == oct_cases and len(oct_cases) == 3
    assert set(behind["review_reviewed"]) == reviewed == set(behind["review_finding_rate"])
    assert behind["review_with_findings"] == [findings_case] == behind["review_kind_deadlines"]
    assert behind["review_kind_other"] == [findings_case] and behind["review_kind_documents"] == []
    # the row labels as printed, and how they count in the notes
    labels = [r.label for r in t.block().rows]
    assert labels[-9:] == ["评查抽取（件）", "已评查（件）", "评查有问题（件）", "评查问题率（%）",
                           "其中：文书问题（件）", "其中：期限问题（件）", "其中：签名问题（件）",
                           "其中：回访问题（件）", "其中：其他问题（件）"]
    assert any(n.startswith("抽卷评查：") for n in t.notes)


def test_review_rows_in_the_exports(db: Database, desk: Desk, tmp_path: Path) -> None:
    import openpyxl

    _world(db, desk)
    with db.read() as s:
        xlsx = reports.render_table(s, desk.officer, "quality", OCT, "xlsx").content
        pdf = reports.render_table(s, desk.officer, "quality", OCT, "pdf").content
        docx = reports.render_table(s, desk.officer, "quality", OCT, "docx").content
    ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    rows = {str(r[0].value): [c.value for c in r[1:]] for r in ws.iter_rows() if r[0].value}
    assert rows["评查抽取（件）"][:4] == [3, 0, "—", 1]  # 本期, 上年同期, 同比 (none), 上期
    assert rows["评查有问题（件）"][0] == 1
    lines = _pdf_lines(pdf, tmp_path)
    # the narrow first column wraps the label: its figures are on the line of its first part
    at = next(i for i, ln in enumerate(lines) if ln.strip().startswith("评查抽取"))
    assert "".join(lines[at:at + 3]).replace(" ", "").startswith("评查抽取")
    assert next(lines[j].split() for j in range(at, at + 2) if len(lines[j].split()) >= 5)[-5:] == [
        "3", "0", "—", "1", "200.0%"]
    assert any("抽卷评查：" in ln for ln in lines)
    from docx import Document

    body = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "评查抽取（件）：本期 3（上年同期 0" in body
