"""评查 (case-file review) in the 质效表: the review figures of a period as rows of the table.

Fed from :func:`mediation.services.case_review.drawn_cases` (the same cases its
``summary`` counts): a draw counts in a period when the closing period it was drawn from
lies within it. The rows: cases drawn, reviewed, with findings, the rate of findings
(with findings ÷ reviewed), and the cases with a finding of each checklist item. Each
figure gives the cases behind it (:func:`cases_behind`), as every figure of the tables.
:func:`join_quality` adds the rows, beside last year's and the previous period's, and
the sentence that says how they count to a computed 质效表. The table counts cases (a case
drawn twice in the period once), so each figure is the length of its case list.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from mediation.i18n import N_, _
from mediation.services import case_review
from mediation.statistics import rules
from mediation.statistics.mapping import Desks
from mediation.statistics.periods import Period
from mediation.statistics.tables import QUALITY_ROWS, Number, Row, TableResult, _change, _rate

PREFIX = "review_"
KIND_LABELS: dict[str, str] = {
    case_review.DOCUMENTS: "文书",
    case_review.DEADLINES: "期限",
    case_review.SIGNATURES: "签名",
    case_review.FOLLOW_UP: "回访",
    case_review.OTHER: "其他",
}
"""The checklist's items as the printed table names them, short (in Chinese in every UI
language, as the table's other rows; the full wording is the checklist's, case_review.CHECK_ITEMS)."""

REVIEW_ROWS: dict[str, str] = {
    "review_drawn": "评查抽取（件）",
    "review_reviewed": "已评查（件）",
    "review_with_findings": "评查有问题（件）",
    "review_finding_rate": "评查问题率（%）",
    **{f"review_kind_{k}": f"其中：{label}问题（件）" for k, label in KIND_LABELS.items()},
}
"""The rows added to the 质效表, in order (code: printed label with its unit)."""

RULE = N_("抽卷评查：抽取时所选的结案期间整段落在统计期间内的，计入本期；问题率 = 发现问题的案件 ÷ 已评查的案件；"
          "各评查项目为该项不符合的案件数（一件案件可有多项）。")


def rule_text() -> str:
    return _(RULE)


def row_rule_text(code: str) -> str:
    """How a row of the 质效表 is counted (its own rows' rule, or the review's)."""
    return rule_text() if code.startswith(PREFIX) else rules.rule_text(QUALITY_ROWS[code][2])


def _tests(kind_or_code: str) -> Callable[[case_review.DrawnCase], bool]:
    code = kind_or_code
    if code == "review_drawn":
        return lambda c: True
    if code in ("review_reviewed", "review_finding_rate"):  # a rate's cases: its denominator
        return lambda c: c.reviewed
    if code == "review_with_findings":
        return lambda c: bool(c.kinds)
    kind = code.removeprefix("review_kind_")
    if kind not in KIND_LABELS:
        raise KeyError(f"unknown review row {code!r}")
    return lambda c: kind in c.kinds


def figures(session: Session, desks: Desks, period: Period) -> dict[str, Number]:
    """Every review row's figure for ``period`` (the rate: None when nothing was reviewed)."""
    found = case_review.drawn_cases(session, desks, period.start, period.end)
    # cases, not reviews: a case drawn twice in the period counts once, as its case list shows it
    out: dict[str, Number] = {code: len({c.case_id for c in found if _tests(code)(c)}) for code in REVIEW_ROWS
                              if code != "review_finding_rate"}
    out["review_finding_rate"] = _rate(out["review_with_findings"], out["review_reviewed"])
    return out


def cases_behind(session: Session, desks: Desks, period: Period, row: str) -> list[int]:
    """The ids of the cases one review figure counts (the rate: the cases reviewed)."""
    test = _tests(row)
    return sorted({c.case_id for c in case_review.drawn_cases(session, desks, period.start, period.end) if test(c)})


def join_quality(session: Session, desks: Desks, result: TableResult) -> None:
    """Add the review rows (本期, 上年同期 with 同比, 上期 with 环比) and their rule to a 质效表."""
    period = result.period
    now, last, prev = (figures(session, desks, p) for p in (period, period.same_period_last_year(),
                                                             period.previous()))
    block = result.blocks[0]
    for code, label in REVIEW_ROWS.items():
        a, y, p = now[code], last[code], prev[code]
        block.rows.append(Row(code, label, {"now": a, "last_year": y, "yoy": _change(a, y),
                                            "previous": p, "mom": _change(a, p)}))
    result.notes.append(rule_text())
