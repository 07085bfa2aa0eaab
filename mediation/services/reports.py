"""Statistics reports sent upward: 填报 → 审核 → 上报, the frozen snapshot, the locked period.

* :func:`file_report` (a volunteer or officer) computes nothing yet: it puts the table of a
  desk and period forward for review, with the officer's text for the monthly analysis;
  the mapping in force is written down so a later rename cannot move its rows;
* :func:`review_report` (an officer): approve, or return with a comment (then it may be
  filed again);
* :func:`submit_report` (an officer): the figures are computed and frozen as canonical
  JSON with its SHA-256; the desk's period is locked from then on;
* a later change to a case counted in a locked period is flagged in its audit row
  (``locked_reports`` in the row's ``after``, see :func:`locked_reports_for_case`), and
  :func:`changes_since_submission` lists every figure that differs from the snapshot
  (报送后有变动).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from mediation.db import require_write
from mediation.errors import Conflict, ValidationError, WorkflowError
from mediation.i18n import N_, _
from mediation.models import Case, StatReport, User
from mediation.permissions import Actor, require
from mediation.services import access, audit
from mediation.statistics import mapping
from mediation.statistics.periods import Period
from mediation.statistics.tables import TABLES, TableResult, _column_name, canonical_json, compute
from mediation.timeutil import local_date, utcnow

FILED = "filed"
RETURNED = "returned"
APPROVED = "approved"
SUBMITTED = "submitted"
STATUSES: dict[str, str] = {FILED: N_("待审核"), RETURNED: N_("已退回"), APPROVED: N_("审核通过"),
                            SUBMITTED: N_("已上报")}


@dataclass(frozen=True)
class ReportView:
    id: int
    desk_id: int
    table: str
    title: str
    period: Period
    status: str
    status_label: str
    filed_by: str
    reviewed_by: str
    review_comment: str
    filed_at: dt.datetime
    submitted_at: dt.datetime | None
    snapshot_sha256: str | None
    notes: dict[str, Any]


@dataclass(frozen=True)
class FigureChange:
    block: str
    row: str
    row_label: str
    column: str
    column_label: str
    submitted: Any
    now: Any
    unit: str = ""
    """The column's unit (a rate's: %)."""

    @property
    def line(self) -> str:
        """The change in words: 本期·合同“调解成功率”上报 0.0% → 现在 —."""
        from mediation.statistics.export import fmt

        def shown(v: Any) -> str:
            return f"{v}%" if self.unit == "%" and v is not None else fmt(v)

        values = {"row": self.row_label, "column": self.column_label, "submitted": shown(self.submitted),
                  "now": shown(self.now)}
        if self.block:
            return _("{block}·{row}“{column}”上报 {submitted} → 现在 {now}").format(block=self.block, **values)
        return _("{row}“{column}”上报 {submitted} → 现在 {now}").format(**values)


def _period(report: StatReport) -> Period:
    return Period(report.period_start, report.period_end, report.period_kind)


def _names(session: Session, *ids: int | None) -> list[str]:
    out = []
    for i in ids:
        user = session.get(User, i) if i is not None else None
        out.append(user.display_name if user else "")
    return out


def _view(session: Session, r: StatReport) -> ReportView:
    filed_by, reviewed_by = _names(session, r.filed_by_id, r.reviewed_by_id)
    return ReportView(r.id, r.desk_id, r.table_code, TABLES[r.table_code], _period(r), r.status,
                      _(STATUSES[r.status]), filed_by, reviewed_by, r.review_comment, r.filed_at, r.submitted_at,
                      r.snapshot_sha256, dict(r.notes or {}))


def _load(session: Session, actor: Actor, report_id: int, *, write: bool = False) -> StatReport:
    if write:
        return access.writable(session, actor, StatReport, report_id, denied=_("您只能处理本调解点的报表。"),
                               for_update=True)
    return access.readable(session, actor, StatReport, report_id)


def _clean_notes(notes: dict[str, Any] | None) -> dict[str, Any]:
    notes = dict(notes or {})
    out: dict[str, Any] = {}
    for key in ("features", "next_steps"):
        text = str(notes.get(key) or "").strip()
        if len(text) > 5000:
            raise ValidationError(field=key, message=_("最多 5000 个字。"))
        out[key] = text
    ids = notes.get("typical_case_ids") or []
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids) or len(ids) > 10:
        raise ValidationError(field="typical_case_ids", message=_("典型案例最多选 10 件。"))
    out["typical_case_ids"] = ids
    return out


def file_report(session: Session, actor: Actor, desk_id: int, table: str, period: Period, *,
                notes: dict[str, Any] | None = None) -> int:
    """Put a desk's table for a period forward for review (填报); a returned one is filed again."""
    require_write(session)
    require(actor, "report.file")
    if table not in TABLES:
        raise ValidationError(field="table", message=_("未知的统计表。"))
    access.check_desk(actor, desk_id, write=True, denied=_("您只能填报本调解点的报表。"))
    clean = _clean_notes(notes)
    same = session.scalars(select(StatReport).where(
        StatReport.desk_id == desk_id, StatReport.table_code == table,
        StatReport.period_start == period.start, StatReport.period_end == period.end).with_for_update()).all()
    if any(r.status == SUBMITTED for r in same):
        raise WorkflowError(_("该期报表已上报，期间已锁定，不能重新填报。"))
    pending = [r for r in same if r.status in (FILED, APPROVED)]
    if pending:
        raise Conflict(_("该期报表已填报，正在审核中。"))
    mapping.freeze(session, desk_id, period.end, actor.user_id)
    returned = [r for r in same if r.status == RETURNED]
    if returned:
        report = returned[-1]
        report.status, report.notes = FILED, clean
        report.filed_by_id, report.filed_at = actor.user_id, utcnow()
    else:
        report = StatReport(desk_id=desk_id, table_code=table, period_kind=period.kind, period_start=period.start,
                            period_end=period.end, status=FILED, notes=clean, filed_by_id=actor.user_id,
                            filed_at=utcnow(), review_comment="")
        session.add(report)
    session.flush()
    audit.append(session, desk_id=desk_id, user_id=actor.user_id, action="report.file", entity="stat_report", entity_id=report.id,
                 after={"desk_id": desk_id, "table": table, "period": period.code, "notes": clean})
    return report.id


def review_report(session: Session, actor: Actor, report_id: int, *, approve: bool, comment: str = "") -> None:
    """审核: approve, or return to the filer with a comment saying what to correct."""
    require_write(session)
    require(actor, "report.review")
    report = _load(session, actor, report_id, write=True)
    if report.status != FILED:
        raise WorkflowError(_("只有待审核的报表才能审核（现在：{s}）。").format(s=_(STATUSES[report.status])))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(field="comment", message=_("退回时请写明需要修改的地方。"))
    if len(comment) > 2000:
        raise ValidationError(field="comment", message=_("最多 2000 个字。"))
    before = report.status
    report.status = APPROVED if approve else RETURNED
    report.reviewed_by_id, report.reviewed_at, report.review_comment = actor.user_id, utcnow(), comment
    session.flush()
    audit.append(session, desk_id=report.desk_id, user_id=actor.user_id, action="report.review", entity="stat_report", entity_id=report.id,
                 before={"status": before}, after={"status": report.status, "comment": comment})


def snapshot_digest(data: Any) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def submit_report(session: Session, actor: Actor, report_id: int) -> str:
    """上报: freeze the figures (canonical JSON and its SHA-256) and lock the period; the digest."""
    require_write(session)
    require(actor, "report.review")
    report = _load(session, actor, report_id, write=True)
    if report.status != APPROVED:
        raise WorkflowError(_("报表须先审核通过才能上报（现在：{s}）。").format(s=_(STATUSES[report.status])))
    result = compute(session, report.table_code, frozenset({report.desk_id}), _period(report))
    data = result.to_data()
    digest = snapshot_digest(data)
    report.snapshot, report.snapshot_sha256 = data, digest
    report.status, report.submitted_by_id, report.submitted_at = SUBMITTED, actor.user_id, utcnow()
    session.flush()
    audit.append(session, desk_id=report.desk_id, user_id=actor.user_id, action="report.submit", entity="stat_report", entity_id=report.id,
                 after={"desk_id": report.desk_id, "table": report.table_code, "period": _period(report).code,
                        "sha256": digest, "problems": [p.message for p in result.problems]})
    return digest


def list_reports(session: Session, actor: Actor, *, desk_id: int | None = None) -> list[ReportView]:
    require(actor, "report.file")
    q = select(StatReport).order_by(StatReport.period_start.desc(), StatReport.id.desc())
    desks = actor.readable_desks
    if desk_id is not None:
        access.check_desk(actor, desk_id, denied=_("您无权查看该调解点的报表。"))
        q = q.where(StatReport.desk_id == desk_id)
    elif desks is not None:
        q = q.where(StatReport.desk_id.in_(sorted(desks)))
    return [_view(session, r) for r in session.scalars(q)]


def get_report(session: Session, actor: Actor, report_id: int) -> ReportView:
    require(actor, "report.file")
    return _view(session, _load(session, actor, report_id))


def frozen_table(session: Session, actor: Actor, report_id: int) -> TableResult:
    """A submitted report's table as it was submitted (the snapshot's figures), its digest checked."""
    require(actor, "report.view")
    report = _load(session, actor, report_id)
    if report.snapshot is None:
        raise WorkflowError(_("报表尚未上报，没有冻结的数据。"))
    if snapshot_digest(report.snapshot) != report.snapshot_sha256:
        raise Conflict(_("报表快照与其 SHA-256 不符：上报后的数据被改动过。"))
    result = compute(session, report.table_code, frozenset({report.desk_id}), _period(report))
    for block, frozen in zip(result.blocks, report.snapshot["blocks"], strict=True):
        for row in [*block.rows, *([block.total] if block.total else [])]:
            kept = frozen["rows"].get(row.code, {})
            row.values = {k: _restore(v) for k, v in kept.items()}
    return result


def _restore(v: Any) -> Any:
    return Decimal(v) if isinstance(v, str) else v


def changes_since_submission(session: Session, actor: Actor, report_id: int) -> list[FigureChange]:
    """Every figure that differs now from the submitted snapshot (报送后有变动)."""
    frozen = frozen_table(session, actor, report_id)
    report = _load(session, actor, report_id)
    now = compute(session, report.table_code, frozenset({report.desk_id}), _period(report))
    labels = {c.code: c for c in now.columns}
    out: list[FigureChange] = []
    for b_then, b_now in zip(frozen.blocks, now.blocks, strict=True):
        rows_now = {r.code: r for r in [*b_now.rows, *([b_now.total] if b_now.total else [])]}
        for r in [*b_then.rows, *([b_then.total] if b_then.total else [])]:
            for col, column in labels.items():
                then_v, now_v = r.values.get(col), rows_now[r.code].values.get(col)
                if then_v != now_v:
                    out.append(FigureChange(b_then.title, r.code, r.label, col, _column_name(column), then_v, now_v,
                                            column.unit))
    return out


def changed_note(changes: list[FigureChange]) -> str:
    """The line a report shows when figures moved after submission (empty when none did)."""
    if not changes:
        return ""
    more = _("等 {n} 项").format(n=len(changes)) if len(changes) > 12 else ""
    return _("报送后有变动：{changes}{more}").format(changes=_("；").join(c.line for c in changes[:12]), more=more)


def locked_reports_for_case(session: Session, case: Case, *, earlier: Iterable[Any] = ()) -> list[int]:
    """Submitted reports of the case's desk whose period holds a date the case is counted by
    (``earlier``: values the case had before the change; the moments among them count too)."""
    moments = [case.accepted_at, case.agreement_reached_at, case.terminated_at, case.closed_at,
               *(v for v in earlier if isinstance(v, dt.datetime))]
    days = {local_date(t) for t in moments if t is not None}
    if not days:
        return []
    lo, hi = min(days), max(days)
    rows = session.execute(select(StatReport.id, StatReport.table_code, StatReport.period_start,
                                  StatReport.period_end).where(
        StatReport.desk_id == case.desk_id, StatReport.status == SUBMITTED,
        StatReport.period_end >= lo, StatReport.period_start <= dt.date(hi.year, 12, 31))).all()
    out = []
    for report_id, table, start, end in rows:
        # the people's table also froze the year to date (年度累计)
        first = dt.date(end.year, 1, 1) if table == "people" else start
        if any(first <= d <= end for d in days):
            out.append(report_id)
    return sorted(out)


# ---------------------------------------------------------------- files


@dataclass(frozen=True)
class Rendered:
    content: bytes
    title: str
    problems: list[str]
    changed_note: str


def _submitted_for(session: Session, desks: frozenset[int] | None, table: str, period: Period) -> StatReport | None:
    if desks is None or len(desks) != 1:
        return None
    (desk_id,) = desks
    return session.scalars(select(StatReport).where(
        StatReport.desk_id == desk_id, StatReport.table_code == table, StatReport.status == SUBMITTED,
        StatReport.period_start == period.start, StatReport.period_end == period.end)
        .order_by(StatReport.id.desc()).limit(1)).first()


def _typical_cases(session: Session, actor: Actor, ids: list[int]) -> list[tuple[str, str]]:
    from mediation.models import CaseParty, DisputeCategory, Party
    from mediation.services import reference
    from mediation.statistics.export import anonymise

    out = []
    for case_id in ids:
        case = access.visible(session, actor, Case, case_id)
        if case is None:
            continue
        names = list(session.scalars(select(Party.name).join(CaseParty, CaseParty.party_id == Party.id)
                                     .where(CaseParty.case_id == case_id)))
        label = reference.label_of(session, DisputeCategory, case.category_id) or _("其他")
        body = case.facts + ("\n" + _("调解结果：") + case.agreement_terms if case.agreement_terms else "")
        out.append((anonymise(f"{label}纠纷（{case.party_names}）", names), anonymise(body, names)))
    return out


def render_table(session: Session, actor: Actor, table: str, period: Period, fmt: str, *,
                 desk_id: int | None = None) -> Rendered:
    """The table as a file: XLSX, PDF, or the monthly analysis (DOCX). A period submitted for
    the desk gives its frozen figures (and the 报送后有变动 line when the data moved since)."""
    from mediation import statistics
    from mediation.statistics import export
    from mediation.statistics.tables import Compared, compared
    from mediation.timeutil import local_today

    if table not in TABLES:
        raise ValidationError(field="table", message=_("未知的统计表。"))
    if fmt not in export.FORMATS:
        raise ValidationError(field="format", message=_("格式应为 xlsx、pdf 或 docx。"))
    desks = statistics.desks_for(actor, desk_id)
    report = _submitted_for(session, desks, table, period)
    note = ""
    if report is not None:
        result = frozen_table(session, actor, report.id)
        note = changed_note(changes_since_submission(session, actor, report.id))
        filed_by, reviewed_by = _names(session, report.filed_by_id, report.reviewed_by_id)
        assert report.submitted_at is not None
        signoff = export.Signoff("、".join(result.desk_names), filed_by, reviewed_by, local_date(report.submitted_at))
    else:
        result = compute(session, table, desks, period)
        signoff = export.Signoff("、".join(result.desk_names), actor.display_name, "", local_today())
    if fmt == "xlsx":
        content = export.to_xlsx(result, signoff, changed_note=note)
    elif fmt == "pdf":
        content = export.to_pdf(result, signoff, changed_note=note)
    else:
        both = compared(session, table, desks, period)
        notes = dict(report.notes or {}) if report is not None else {}
        analysis = export.Analysis(str(notes.get("features") or ""), str(notes.get("next_steps") or ""),
                                   _typical_cases(session, actor, list(notes.get("typical_case_ids") or [])))
        content = export.to_docx(Compared(result, both.last_year, both.previous), analysis, signoff)
    return Rendered(content, result.title, [p.message for p in result.problems], note)


def locked_period_audit_condition() -> ColumnElement[bool]:
    """An SQL condition on :class:`AuditLog`: the row changed a case counted in a submitted
    report (its ``after`` names the reports, ``locked_reports``, see :func:`locked_reports_for_case`).

    Meant for the audit viewer's 报送期内改动 flag (``audit_view.set_locked_period_condition``).
    """
    from mediation.models import AuditLog

    condition: ColumnElement[bool] = AuditLog.after["locked_reports"].as_string().is_not(None)
    return condition
