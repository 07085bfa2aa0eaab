"""The four tables: their figures by SQL aggregates, their built-in checks, the cases behind.

Each table is computed for a :class:`~mediation.statistics.periods.Period` and a set of
desks (None: every desk). The SQL groups the cases of the period by category, sub-type
and source in one pass; the groups are folded onto the table's rows through the
mapping in force (:mod:`mediation.statistics.mapping`). :func:`cases_behind` selects the
cases of one cell with the very same conditions (:func:`_people_measures` and friends
are the one place each figure is defined), so the case list opened from a figure has
exactly its count.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from contextvars import ContextVar
import statistics as pystats
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.errors import MediationError
from mediation.i18n import _
from mediation.models import (
    Case,
    CaseParty,
    Consultation,
    Desk,
    Document,
    DocumentReview,
    FollowUp,
    SessionRecord,
)
from mediation.services.deadlines import calendar
from mediation.statistics import mapping, rules, summary
from mediation.statistics.mapping import Desks
from mediation.statistics.periods import Period
from mediation.timeutil import local_date, local_today

Number = int | Decimal | None

PEOPLE = "people"
POLICE = "police"
CAMPUS = "campus"
QUALITY = "quality"
TABLES: dict[str, str] = {
    PEOPLE: "人民调解案件统计表",
    POLICE: "治安调解统计表",
    CAMPUS: "校园纠纷分析表",
    QUALITY: "调解工作质效表",
}
"""The tables by code, with their official titles (printed in Chinese in every UI language)."""


class InconsistentFigures(MediationError):
    """A table's built-in checks failed: the data contradicts itself."""


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    group: str = ""
    """The merged heading above (其中, 防止民转刑 …); empty: the label spans both header rows."""
    unit: str = "件"
    rule: str = ""
    """Key of rules.RULES: how the figure is counted."""
    additive: bool = True
    """Summed in 合计 (a SUM formula in the spreadsheet); rates and averages are not."""


@dataclass
class Row:
    code: str
    label: str
    values: dict[str, Number] = field(default_factory=dict)


@dataclass
class Block:
    title: str
    """本期, 年度累计, or empty for a table with one block."""
    period: Period
    rows: list[Row]
    total: Row | None


@dataclass(frozen=True)
class Problem:
    check: str
    message: str


@dataclass
class TableResult:
    table: str
    title: str
    period: Period
    desk_ids: list[int]
    desk_names: list[str]
    columns: list[Column]
    blocks: list[Block]
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def block(self, title: str = "") -> Block:
        for b in self.blocks:
            if b.title == title or not title:
                return b
        raise KeyError(title)

    def value(self, row: str, column: str, block: str = "") -> Number:
        b = self.block(block)
        for r in [*b.rows, *([b.total] if b.total else [])]:
            if r.code == row:
                return r.values.get(column)
        raise KeyError(row)

    def to_data(self) -> dict[str, Any]:
        """The figures as canonical JSON data (the snapshot a submitted report keeps)."""
        return {
            "table": self.table, "period": self.period.code, "desks": self.desk_ids,
            "blocks": [{"title": b.title, "period": b.period.code,
                        "rows": {r.code: {c: _jsonable(v) for c, v in r.values.items()}
                                 for r in [*b.rows, *([b.total] if b.total else [])]}}
                       for b in self.blocks],
        }


def _jsonable(v: Number) -> Any:
    return str(v) if isinstance(v, Decimal) else v


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def assert_consistent(result: TableResult) -> None:
    """Raise InconsistentFigures naming every check that fails."""
    if result.problems:
        raise InconsistentFigures("；".join(p.message for p in result.problems))


TOTAL = "total"


# ---------------------------------------------------------------- shared pieces


def _desk_filter(desks: Desks) -> list[ColumnElement[bool]]:
    return [] if desks is None else [Case.desk_id.in_(sorted(desks))]


def _between(column: Any, period: Period) -> ColumnElement[bool]:
    lo, hi = period.utc_bounds()
    return and_(column >= lo, column < hi)


def _count(cond: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _sum(cond: ColumnElement[bool], value: Any) -> Any:
    return func.coalesce(func.sum(case((cond, value), else_=0)), 0)


def _rate(part: Number, whole: Number) -> Decimal | None:
    """A percentage with one decimal (None when there is nothing to divide by)."""
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


_DIRECT: ContextVar[bool] = ContextVar("statistics_direct", default=False)


@contextmanager
def direct() -> Iterator[None]:
    """Compute from the cases themselves, not from the summary (the oracle the tests compare with)."""
    token = _DIRECT.set(True)
    try:
        yield
    finally:
        _DIRECT.reset(token)


def direct_requested() -> bool:
    return _DIRECT.get()


def _summed(session: Session, desks: Desks, period: Period, measures: Iterable[str],
            track: str | None = None) -> dict[summary.Key, int] | None:
    """The measures' sums from the summary, or None: compute from the cases."""
    if _DIRECT.get() or not summary.usable(session):
        return None
    try:
        return summary.sums(session, desks, period, measures, track)
    except summary.Unavailable:
        return None


class _LocalDates:
    """``local_date`` of many moments: every real UTC offset is a multiple of 15 minutes, so
    the desk's date is the same for every moment of a UTC quarter-hour (cached by it)."""

    def __init__(self) -> None:
        self._cache: dict[int, dt.date] = {}

    def __call__(self, moment: dt.datetime) -> dt.date:
        key = int(moment.timestamp()) // 900
        day = self._cache.get(key)
        if day is None:
            day = self._cache[key] = local_date(moment)
        return day


def _desk_names(session: Session, desks: Desks) -> tuple[list[int], list[str]]:
    q = select(Desk.id, Desk.name).order_by(Desk.id)
    if desks is not None:
        q = q.where(Desk.id.in_(sorted(desks)))
    rows = session.execute(q).all()
    return [i for i, _n in rows], [n for _i, n in rows]


def _add(into: dict[str, Number], values: dict[str, Number]) -> None:
    for k, v in values.items():
        if v is None:
            continue
        into[k] = (into.get(k) or 0) + v


def _sum_check(block: Block, columns: list[Column]) -> list[Problem]:
    """The rows add up to 合计 in every additive column."""
    out: list[Problem] = []
    if block.total is None:
        return out
    for c in columns:
        if not c.additive:
            continue
        rows_sum = sum((r.values.get(c.code) or 0 for r in block.rows), start=type(block.total.values.get(c.code) or 0)())
        if rows_sum != (block.total.values.get(c.code) or 0):
            out.append(Problem("rows_add_up", _("{block}“{col}”各行之和为 {rows}，合计为 {total}：有案件未计入任何一行"
                                                "（如未填纠纷类别）。").format(
                block=block.title, col=c.label, rows=rows_sum, total=block.total.values.get(c.code))))
    return out


# ---------------------------------------------------------------- 人民调解案件统计表


def _people_measures(period: Period) -> dict[str, tuple[ColumnElement[bool], Any]]:
    """Each aggregated figure of the people's table: (which cases, what is summed; None: counted)."""
    acc = _between(Case.accepted_at, period)
    suc = _between(Case.agreement_reached_at, period)
    ter = _between(Case.terminated_at, period)
    jud = and_(Case.judicial_outcome == rules.JUDICIAL_CONFIRMED,
               Case.judicial_decided_on >= period.start, Case.judicial_decided_on <= period.end)
    return {
        "accepted": (acc, None),
        "succeeded": (suc, None),
        "terminated": (ter, None),
        "written": (and_(suc, Case.agreement_kind == workflow.WRITTEN), None),
        "oral": (and_(suc, Case.agreement_kind == workflow.ORAL), None),
        "amount": (suc, func.coalesce(Case.agreement_amount, 0)),
        "judicial": (jud, None),
        "performed": (and_(suc, Case.performance_status == "performed"), None),
        "escalation": (and_(suc, Case.prevented_escalation.is_(True)), None),
        "escalation_people": (and_(suc, Case.prevented_escalation.is_(True)), Case.prevented_escalation_people),
        "petition": (and_(suc, Case.prevented_petition.is_(True)), None),
        "petition_people": (and_(suc, Case.prevented_petition.is_(True)), Case.prevented_petition_people),
        "people": (acc, Case.people_involved),
    }


PEOPLE_COLUMNS: list[Column] = [
    Column("accepted", "受理", rule="accepted"),
    Column("active", "主动调解", "其中", rule="accepted"),
    Column("application", "依申请调解", "其中", rule="accepted"),
    Column("entrusted", "接受委托移送调解", "其中", rule="accepted"),
    Column("succeeded", "调解成功", rule="success"),
    Column("success_rate", "调解成功率", unit="%", rule="success_rate", additive=False),
    Column("written", "书面协议", "协议形式", rule="success"),
    Column("oral", "口头协议", "协议形式", rule="success"),
    Column("amount", "协议涉及金额", unit="万元", rule="amount"),
    Column("judicial", "司法确认", rule="judicial"),
    Column("performed", "已履行", rule="performed"),
    Column("escalation", "件", "防止民间纠纷转化为刑事案件", rule="prevented"),
    Column("escalation_people", "人", "防止民间纠纷转化为刑事案件", unit="人", rule="prevented"),
    Column("petition", "件", "防止群体性上访", rule="prevented"),
    Column("petition_people", "人", "防止群体性上访", unit="人", rule="prevented"),
    Column("people", "涉及当事人", unit="人", rule="people"),
]


PEOPLE_GROUPS: dict[str, tuple[str, ...]] = {
    # one query per date a figure counts by (each served by its own index): the first
    # measure of a group is its date condition, the others add to it
    "accepted": ("accepted", "people"),
    "succeeded": ("succeeded", "written", "oral", "amount", "performed", "escalation", "escalation_people",
                  "petition", "petition_people"),
    "terminated": ("terminated",),
    "judicial": ("judicial",),
}


def _grouped(session: Session, keys: list[Any], measures: dict[str, tuple[ColumnElement[bool], Any]],
             groups: dict[str, tuple[str, ...]], where: list[ColumnElement[bool]]) -> list[dict[str, Any]]:
    """Each group of measures as one GROUP BY ``keys`` query over the cases of its date; rows
    of {key names…, measure codes…} (a measure missing from a row is 0)."""
    out: list[dict[str, Any]] = []
    for codes in groups.values():
        base = measures[codes[0]][0]
        cols = [(_count(measures[c][0]) if measures[c][1] is None else _sum(measures[c][0], measures[c][1])).label(c)
                for c in codes]
        q = select(*keys, *cols).where(base, *where).group_by(*keys)
        out += [dict(rec) for rec in session.execute(q).mappings()]
    return out


def _people_block(session: Session, desks: Desks, period: Period, title: str) -> Block:
    measures = _people_measures(period)
    rows_map = mapping.resolver(session, desks, "people_row", period.end)
    sources = mapping.resolver(session, desks, "people_source", period.end)
    by_row: dict[str, dict[str, Number]] = defaultdict(dict)
    total: dict[str, Number] = {}
    keys = [Case.category_id, Case.subcategory_id, Case.source_id]
    found = _summed(session, desks, period, measures, workflow.PEOPLE)
    if found is None:
        recs = _grouped(session, keys, measures, PEOPLE_GROUPS, [Case.track == workflow.PEOPLE, *_desk_filter(desks)])
    else:
        recs = [{"category_id": c, "subcategory_id": sub, "source_id": src, **m,
                 **({"amount": summary.amount(m["amount"])} if "amount" in m else {})}
                for (c, sub, src), m in summary.by(found, 2, 3, 4).items()]
    for rec in recs:
        values: dict[str, Number] = {k: _number(rec[k]) for k in measures if k in rec}
        if "amount" in rec:
            values["amount"] = Decimal(rec["amount"] or 0) / 10000
        if "accepted" in rec:
            values[sources.source_row(rec["source_id"])] = values["accepted"]
        row = rows_map.category_row(rec["category_id"], rec["subcategory_id"])
        if row is not None:
            _add(by_row[row], values)
        _add(total, values)
    rows = [Row(code, label, _people_values(by_row.get(code, {}))) for code, label in rules.MOJ_ROWS.items()]
    return Block(title, period, rows, Row(TOTAL, "合计", _people_values(total)))


def _number(v: Any) -> Number:
    if v is None:
        return 0
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else v
    return int(v)


def _people_values(raw: dict[str, Number]) -> dict[str, Number]:
    out: dict[str, Number] = {c.code: raw.get(c.code, 0) for c in PEOPLE_COLUMNS}
    out["amount"] = Decimal(raw.get("amount") or 0).normalize() if raw.get("amount") else Decimal(0)
    out["terminated"] = raw.get("terminated", 0)
    succeeded = raw.get("succeeded") or 0
    out["success_rate"] = _rate(succeeded, succeeded + (raw.get("terminated") or 0))
    return out


def _people_checks(result: TableResult) -> list[Problem]:
    out: list[Problem] = []
    for b in result.blocks:
        for r in [*b.rows, *([b.total] if b.total else [])]:
            s, w, o = (r.values.get(k) or 0 for k in ("succeeded", "written", "oral"))
            if s != w + o:
                out.append(Problem("success_is_written_plus_oral", _(
                    "{block}“{row}”调解成功 {s} 件，不等于书面协议 {w} 件 + 口头协议 {o} 件"
                    "（有协议未注明形式）。").format(block=b.title, row=r.label, s=s, w=w, o=o)))
        out += _sum_check(b, result.columns)
    if len(result.blocks) == 2:
        now, ytd = result.blocks
        for r_now, r_ytd in zip([*now.rows, now.total], [*ytd.rows, ytd.total], strict=True):
            assert r_now is not None and r_ytd is not None
            for c in result.columns:
                if not c.additive:
                    continue
                a, y = r_now.values.get(c.code) or 0, r_ytd.values.get(c.code) or 0
                if a > y:
                    out.append(Problem("period_within_year", _(
                        "“{row}”“{col}”本期 {a} 大于年度累计 {y}（统计期间跨年时本期不在同一年度内）。").format(
                        row=r_now.label, col=_column_name(c), a=a, y=y)))
    return out


def _column_name(c: Column) -> str:
    return f"{c.group}（{c.label}）" if c.group and c.label in ("件", "人") else c.label


def people_table(session: Session, desks: Desks, period: Period) -> TableResult:
    ids, names = _desk_names(session, desks)
    blocks = [_people_block(session, desks, period, "本期"),
              _people_block(session, desks, period.year_to_date(), "年度累计")]
    result = TableResult(PEOPLE, TABLES[PEOPLE], period, ids, names, PEOPLE_COLUMNS, blocks,
                         notes=[rules.rule_text(k) for k in ("accepted", "success", "terminated", "success_rate",
                                                             "category", "amount", "judicial", "performed",
                                                             "prevented", "people")])
    result.problems = _people_checks(result)
    return result


# ---------------------------------------------------------------- 治安调解统计表


def _police_measures(period: Period) -> dict[str, tuple[ColumnElement[bool], Any]]:
    acc = _between(Case.accepted_at, period)
    suc = _between(Case.agreement_reached_at, period)
    ter = _between(Case.terminated_at, period)
    return {
        "accepted": (acc, None),
        "spot": (and_(acc, Case.police_method == rules.POLICE_SPOT), None),
        "general": (and_(acc, Case.police_method == rules.POLICE_GENERAL), None),
        "agreed": (suc, None),
        "performed": (and_(suc, Case.performance_status == "performed"), None),
        "failed": (or_(ter, and_(suc, Case.performance_status == "breached")), None),
        "transferred": (and_(Case.result == "referred", _between(Case.closed_at, period),
                             Case.referred_to.contains("人民调解")), None),
    }


POLICE_COLUMNS: list[Column] = [
    Column("accepted", "受理", rule="accepted"),
    Column("spot", "当场调解", "其中", rule="accepted"),
    Column("general", "一般调解", "其中", rule="accepted"),
    Column("agreed", "达成协议", rule="success"),
    Column("performed", "履行完毕", rule="performed"),
    Column("failed", "未达成协议或不履行转依法处理", rule="terminated"),
    Column("overdue", "超过期限", rule="police_overdue"),
    Column("transferred", "移交人民调解", rule="police_transfer"),
]


def _police_overdue_ids(session: Session, desks: Desks, period: Period) -> dict[int, int | None]:
    """Police cases accepted in the period whose session deadlines were missed: id → source id."""
    cal = calendar(session)
    today = local_today()
    local_date = _LocalDates()
    which = [Case.track == workflow.POLICE, _between(Case.accepted_at, period), *_desk_filter(desks)]
    cases = session.execute(
        select(Case.id, Case.source_id, Case.accepted_at, Case.agreement_reached_at, Case.terminated_at,
               Case.closed_at).where(*which)).all()
    if not cases:
        return {}
    sessions: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for case_id, held_at, result in session.execute(
            select(SessionRecord.case_id, SessionRecord.held_at, SessionRecord.result)
            .where(SessionRecord.case_id.in_(select(Case.id).where(*which)))
            .order_by(SessionRecord.case_id, SessionRecord.held_at, SessionRecord.id)):
        sessions[case_id].append((local_date(held_at), result))
    out: dict[int, int | None] = {}
    for case_id, source_id, accepted_at, reached, terminated, closed in cases:
        ends = [local_date(t) for t in (reached, terminated, closed) if t is not None]
        until = min(ends) if ends else today  # the deadline runs until the case ends (or today)
        held = sessions.get(case_id, [])
        assert accepted_at is not None  # selected by its acceptance date
        first_due = cal.add_workdays(local_date(accepted_at), 3)
        late = False
        if not held:
            late = until > first_due
        else:
            first, first_result = held[0]
            late = first > first_due
            second_due = cal.add_workdays(first, 7)
            if len(held) > 1:
                late = late or held[1][0] > second_due
            elif first_result == "continued":  # another session was needed and none came
                late = late or until > second_due
        if late:
            out[case_id] = source_id
    return out


def police_table(session: Session, desks: Desks, period: Period) -> TableResult:
    measures = _police_measures(period)
    sources = mapping.resolver(session, desks, "police_source", period.end)
    by_row: dict[str, dict[str, Number]] = defaultdict(dict)
    total: dict[str, Number] = {}
    groups = {"accepted": ("accepted", "spot", "general"), "agreed": ("agreed", "performed"),
              "failed": ("failed",), "transferred": ("transferred",)}
    aliases = {"agreed": "succeeded", "overdue": "overdue_p"}
    found = _summed(session, desks, period, [aliases.get(m, m) for m in [*measures, "overdue"]], workflow.POLICE)
    if found is not None:
        for (src,), m in summary.by(found, 4).items():
            values: dict[str, Number] = {k: m.get(aliases.get(k, k), 0) for k in [*measures, "overdue"]}
            _add(by_row[sources.source_row(src)], values)
            _add(total, values)
    else:
        for rec in _grouped(session, [Case.source_id], measures, groups,
                            [Case.track == workflow.POLICE, *_desk_filter(desks)]):
            values = {k: _number(rec[k]) for k in measures if k in rec}
            _add(by_row[sources.source_row(rec["source_id"])], values)
            _add(total, values)
        for _case_id, source_id in _police_overdue_ids(session, desks, period).items():
            _add(by_row[sources.source_row(source_id)], {"overdue": 1})
            _add(total, {"overdue": 1})

    def full(v: dict[str, Number]) -> dict[str, Number]:
        return {c.code: v.get(c.code, 0) for c in POLICE_COLUMNS}

    rows = [Row(code, label, full(by_row.get(code, {}))) for code, label in rules.POLICE_SOURCES.items()]
    ids, names = _desk_names(session, desks)
    block = Block("", period, rows, Row(TOTAL, "合计", full(total)))
    result = TableResult(POLICE, TABLES[POLICE], period, ids, names, POLICE_COLUMNS, [block],
                         notes=[rules.rule_text(k) for k in ("accepted", "success", "terminated", "police_overdue",
                                                             "police_transfer")])
    result.problems = _sum_check(block, POLICE_COLUMNS)
    for r in [*rows, block.total]:
        assert r is not None
        if (r.values["performed"] or 0) > (r.values["agreed"] or 0):
            result.problems.append(Problem("performed_within_agreed", _(
                "“{row}”履行完毕 {p} 件多于达成协议 {a} 件。").format(
                row=r.label, p=r.values["performed"], a=r.values["agreed"])))
    return result


# ---------------------------------------------------------------- 校园纠纷分析表

CAMPUS_PARTY_COLUMNS = [*rules.PARTY_TYPES, rules.UNKNOWN_PARTY_TYPE]


def _campus_columns() -> list[Column]:
    return [Column("cases", "纠纷件数", rule="campus"),
            *(Column(code, _(label), "当事人类别（人）", unit="人", rule="campus")
              for code, label in rules.PARTY_TYPES.items()),
            Column(rules.UNKNOWN_PARTY_TYPE, _("未注明"), "当事人类别（人）", unit="人", rule="campus"),
            Column("parties", _("当事人合计"), unit="人", rule="campus")]


def _campus_rows(session: Session, desks: Desks) -> dict[str, str]:
    """The default rows, then any other row an administrator mapped a sub-type to."""
    from mediation.models import StatMapping

    rows = dict(rules.CAMPUS_ROWS)
    q = select(StatMapping.code).where(StatMapping.kind == "campus_row").distinct()
    if desks is not None:
        q = q.where(StatMapping.desk_id.in_(sorted(desks)))
    for (code,) in session.execute(q):
        rows.setdefault(code, code)
    other = rows.pop(rules.OTHER)
    rows[rules.OTHER] = other
    return rows


def campus_table(session: Session, desks: Desks, period: Period) -> TableResult:
    acc = _between(Case.accepted_at, period)
    resolver = mapping.resolver(session, desks, "campus_row", period.end)
    by_row: dict[str, dict[str, Number]] = defaultdict(dict)
    total: dict[str, Number] = {}

    def put(cat: int | None, sub: int | None, values: dict[str, Number]) -> None:
        row = resolver.category_row(cat, sub)
        if row is not None:
            _add(by_row[row], values)
        _add(total, values)

    found = _summed(session, desks, period, ("accepted", "party"))
    if found is not None:
        for (m, cat, sub, extra), v in _regroup(found, 2, 3, 5).items():
            if m == "accepted":
                put(cat, sub, {"cases": v})
            else:
                put(cat, sub, {extra: v, "parties": v})
    else:
        for cat, sub, n in session.execute(
                select(Case.category_id, Case.subcategory_id, func.count())
                .where(acc, *_desk_filter(desks)).group_by(Case.category_id, Case.subcategory_id)).all():
            put(cat, sub, {"cases": int(n)})
        for cat, sub, ptype, n in session.execute(
                select(Case.category_id, Case.subcategory_id, CaseParty.party_type, func.count())
                .join(CaseParty, CaseParty.case_id == Case.id)
                .where(acc, CaseParty.role.in_(sorted(workflow.PRINCIPAL_ROLES)), *_desk_filter(desks))
                .group_by(Case.category_id, Case.subcategory_id, CaseParty.party_type)).all():
            code = ptype if ptype in rules.PARTY_TYPES else rules.UNKNOWN_PARTY_TYPE
            put(cat, sub, {code: int(n), "parties": int(n)})
    columns = _campus_columns()

    def full(v: dict[str, Number]) -> dict[str, Number]:
        return {c.code: v.get(c.code, 0) for c in columns}

    rows = [Row(code, label, full(by_row.get(code, {}))) for code, label in _campus_rows(session, desks).items()]
    ids, names = _desk_names(session, desks)
    block = Block("", period, rows, Row(TOTAL, "合计", full(total)))
    result = TableResult(CAMPUS, TABLES[CAMPUS], period, ids, names, columns, [block],
                         notes=[rules.rule_text("campus"), rules.rule_text("category")])
    result.problems = _sum_check(block, columns)
    for r in [*rows, block.total]:
        assert r is not None
        by_type = sum(int(r.values.get(c) or 0) for c in CAMPUS_PARTY_COLUMNS)
        if by_type != r.values["parties"]:
            result.problems.append(Problem("types_add_up", _("“{row}”各类当事人之和 {a} 不等于当事人合计 {b}。").format(
                row=r.label, a=by_type, b=r.values["parties"])))
    return result


# ---------------------------------------------------------------- 质效表


@dataclass(frozen=True)
class QualityFigures:
    closed: int
    avg_days: Decimal | None
    median_days: Decimal | None
    overdue: int
    agreements: int
    followed_up: int
    performed: int
    returned: int
    consultations: int

    @property
    def follow_up_rate(self) -> Decimal | None:
        return _rate(self.followed_up, self.agreements)

    @property
    def performance_rate(self) -> Decimal | None:
        return _rate(self.performed, self.agreements)


QUALITY_ROWS: dict[str, tuple[str, str, str]] = {
    # code: label, unit, rule
    "closed": ("结案数", "件", "days_to_close"),
    "avg_days": ("平均办理天数", "工作日", "days_to_close"),
    "median_days": ("办理天数中位数", "工作日", "days_to_close"),
    "overdue": ("超期结案", "件", "overdue"),
    "follow_up_rate": ("回访率", "%", "follow_up_rate"),
    "performance_rate": ("履行率", "%", "performance_rate"),
    "returned": ("退回修改的协议", "次", "returned"),
    "consultations": ("法律咨询", "件", "consultations"),
}
QUALITY_COLUMNS: list[Column] = [
    Column("now", "本期", additive=False, unit=""),
    Column("last_year", "上年同期", additive=False, unit=""),
    Column("yoy", "同比", additive=False, unit="%"),
    Column("previous", "上期", additive=False, unit=""),
    Column("mom", "环比", additive=False, unit="%"),
]


def _quality_measures(period: Period) -> dict[str, ColumnElement[bool]]:
    suc = _between(Case.agreement_reached_at, period)
    return {
        "closed": and_(_between(Case.closed_at, period), Case.result.in_(("success", "terminated"))),
        "overdue": and_(Case.track == workflow.PEOPLE, or_(suc, _between(Case.terminated_at, period))),
        "agreements": suc,
    }


def _working_days(pairs: Iterable[tuple[dt.datetime, dt.datetime]], session: Session) -> list[int]:
    cal = calendar(session)
    local_date = _LocalDates()
    return [max(cal.workdays_between(local_date(a), local_date(b)), 0) for a, b in pairs]


def _regroup(found: dict[summary.Key, int], *positions: int) -> dict[tuple[Any, ...], int]:
    """{(measure, key values at positions…): total}; ids 0 become None."""
    out: dict[tuple[Any, ...], int] = defaultdict(int)
    for k, v in found.items():
        out[(k[0], *((k[p] or None) if p in (2, 3, 4) else k[p] for p in positions))] += v
    return out


def _consultations(session: Session, desks: Desks, period: Period) -> int:
    lo, hi = period.utc_bounds()
    cq = select(func.count()).select_from(Consultation).where(
        Consultation.asked_at >= lo, Consultation.asked_at < hi)
    if desks is not None:
        cq = cq.where(Consultation.desk_id.in_(sorted(desks)))
    return int(session.scalar(cq) or 0)


def _histogram_median(histogram: dict[int, int], n: int) -> float | int:
    """``statistics.median`` of the values a histogram counts (an int, or the mean of the two middle ones)."""
    def nth(i: int) -> int:  # the i-th value (0-based) in ascending order
        seen = 0
        for d in sorted(histogram):
            seen += histogram[d]
            if i < seen:
                return d
        raise IndexError(i)

    if n % 2:
        return nth(n // 2)
    return (nth(n // 2 - 1) + nth(n // 2)) / 2


def _quality_summed(session: Session, desks: Desks, period: Period) -> QualityFigures | None:
    found = _summed(session, desks, period, ("closed", "days", "overdue_q", "succeeded", "followed", "performed",
                                              "returned"))
    if found is None:
        return None
    totals: dict[str, int] = defaultdict(int)
    histogram: dict[int, int] = defaultdict(int)
    for (m, extra), v in _regroup(found, 5).items():
        totals[m] += v
        if m == "days":
            histogram[int(extra)] += v
    n = sum(histogram.values())
    avg = median = None
    if n:
        avg = (Decimal(sum(d * k for d, k in histogram.items())) / n).quantize(Decimal("0.1"), ROUND_HALF_UP)
        median = Decimal(str(_histogram_median(histogram, n))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return QualityFigures(totals["closed"], avg, median, totals["overdue_q"], totals["succeeded"], totals["followed"],
                          totals["performed"], totals["returned"], _consultations(session, desks, period))


def quality_figures(session: Session, desks: Desks, period: Period) -> QualityFigures:
    summed = _quality_summed(session, desks, period)
    if summed is not None:
        return summed
    m = _quality_measures(period)
    pairs = session.execute(select(Case.accepted_at, Case.closed_at).where(
        m["closed"], Case.accepted_at.is_not(None), *_desk_filter(desks))).all()
    days = _working_days(((a, c) for a, c in pairs if a is not None and c is not None), session)
    closed = int(session.scalar(select(func.count()).select_from(Case).where(m["closed"], *_desk_filter(desks))) or 0)
    overdue = len(_quality_overdue_ids(session, desks, period))
    agreements, followed, performed = session.execute(
        select(func.count(), _count(Case.id.in_(select(FollowUp.case_id))),
               _count(Case.performance_status == "performed"))
        .where(m["agreements"], *_desk_filter(desks))).one()
    lo, hi = period.utc_bounds()
    returned = session.scalar(
        select(func.count()).select_from(DocumentReview)
        .join(Document, Document.id == DocumentReview.document_id).join(Case, Case.id == Document.case_id)
        .where(DocumentReview.decision == "returned", DocumentReview.at >= lo, DocumentReview.at < hi,
               Document.form.in_(sorted(workflow.AGREEMENT_FORMS)), *_desk_filter(desks))) or 0
    consultations = _consultations(session, desks, period)
    avg = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), ROUND_HALF_UP) if days else None
    median = Decimal(str(pystats.median(days))).quantize(Decimal("0.1"), ROUND_HALF_UP) if days else None
    return QualityFigures(closed, avg, median, overdue, int(agreements), int(followed or 0), int(performed or 0),
                          int(returned), int(consultations))


def _quality_overdue_ids(session: Session, desks: Desks, period: Period) -> list[int]:
    cal = calendar(session)
    local_date = _LocalDates()
    rows = session.execute(select(Case.id, Case.accepted_at, Case.agreement_reached_at, Case.terminated_at).where(
        _quality_measures(period)["overdue"], Case.accepted_at.is_not(None), *_desk_filter(desks))).all()
    out = []
    for case_id, accepted, reached, terminated in rows:
        ended = next(t for t in (reached, terminated) if t is not None and period.contains(local_date(t)))
        assert accepted is not None
        # the limit ends at least 30 days after the day of acceptance, and two moments 29 days
        # apart or less are at most 30 desk days apart: no need to ask the calendar
        if ended - accepted <= dt.timedelta(days=29):
            continue
        if local_date(ended) > cal.end_of_period(local_date(accepted), 30):
            out.append(case_id)
    return out


def _quality_value(f: QualityFigures, code: str) -> Number:
    return getattr(f, code)  # type: ignore[no-any-return]  # a field or property of QualityFigures


def _change(now: Number, before: Number) -> Decimal | None:
    """Change against an earlier figure, in percent (None: nothing to compare with)."""
    if now is None or before in (None, 0):
        return None
    return ((Decimal(now) - Decimal(before)) * 100 / Decimal(before)).quantize(
        Decimal("0.1"), ROUND_HALF_UP)


def quality_table(session: Session, desks: Desks, period: Period) -> TableResult:
    now = quality_figures(session, desks, period)
    last = quality_figures(session, desks, period.same_period_last_year())
    prev = quality_figures(session, desks, period.previous())
    rows = []
    for code, (label, unit, _rule) in QUALITY_ROWS.items():
        a, y, p = (_quality_value(f, code) for f in (now, last, prev))
        rows.append(Row(code, f"{label}（{unit}）", {"now": a, "last_year": y, "yoy": _change(a, y),
                                                     "previous": p, "mom": _change(a, p)}))
    ids, names = _desk_names(session, desks)
    result = TableResult(QUALITY, TABLES[QUALITY], period, ids, names, QUALITY_COLUMNS,
                         [Block("", period, rows, None)],
                         notes=[rules.rule_text(k) for k in ("days_to_close", "overdue", "follow_up_rate",
                                                             "performance_rate", "returned", "consultations", "yoy")])
    from mediation.statistics import review  # 评查 (抽卷评查) rows, its own module

    review.join_quality(session, desks, result)
    for r in rows:
        for col in ("now", "last_year", "previous"):
            v = r.values[col]
            if r.code.endswith("_rate") and v is not None and not (0 <= v <= 100):
                result.problems.append(Problem("rate_range", _("“{row}”{v}% 超出 0–100%。").format(row=r.label, v=v)))
    return result


# ---------------------------------------------------------------- entry points

COMPUTE: dict[str, Callable[[Session, Desks, Period], TableResult]] = {
    PEOPLE: people_table, POLICE: police_table, CAMPUS: campus_table, QUALITY: quality_table,
}


def compute(session: Session, table: str, desks: Desks, period: Period) -> TableResult:
    try:
        fn = COMPUTE[table]
    except KeyError:
        raise KeyError(f"unknown table {table!r}") from None
    return fn(session, desks, period)


@dataclass(frozen=True)
class Compared:
    """A table beside the same period last year (同比) and the previous period (环比)."""

    now: TableResult
    last_year: TableResult
    previous: TableResult

    def figure(self, row: str, column: str, block: str = "") -> tuple[Number, Number, Number, Decimal | None,
                                                                        Decimal | None]:
        """(本期, 上年同期, 上期, 同比 %, 环比 %) of one cell."""
        a = self.now.value(row, column, block)
        y = self.last_year.value(row, column, block)
        p = self.previous.value(row, column, block)
        return a, y, p, _change(a, y), _change(a, p)


def compared(session: Session, table: str, desks: Desks, period: Period) -> Compared:
    return Compared(compute(session, table, desks, period),
                    compute(session, table, desks, period.same_period_last_year()),
                    compute(session, table, desks, period.previous()))


# ---------------------------------------------------------------- the cases behind a figure


def cases_behind(session: Session, table: str, desks: Desks, period: Period, row: str, column: str) -> list[int]:
    """The ids of the cases counted in one cell (row ``total``: the whole column), by the same
    conditions as the figure. Rates give the cases of their denominator."""
    if table == PEOPLE:
        m = _people_measures(period)
        source_col = column if column in rules.PEOPLE_SOURCES else None
        key = {"success_rate": None, "amount": "succeeded", "escalation_people": "escalation",
               "petition_people": "petition", "people": "accepted"}.get(column, column)
        key = "accepted" if source_col else key
        cond = or_(m["succeeded"][0], m["terminated"][0]) if key is None else m[key][0]
        cand = session.execute(select(Case.id, Case.category_id, Case.subcategory_id, Case.source_id).where(
            Case.track == workflow.PEOPLE, cond, *_desk_filter(desks)).order_by(Case.id)).all()
        rows_map = mapping.resolver(session, desks, "people_row", period.end)
        sources = mapping.resolver(session, desks, "people_source", period.end)
        return [i for i, cat, sub, src in cand
                if (row == TOTAL or rows_map.category_row(cat, sub) == row)
                and (source_col is None or sources.source_row(src) == source_col)]
    if table == POLICE:
        sources = mapping.resolver(session, desks, "police_source", period.end)
        if column == "overdue":
            found = _police_overdue_ids(session, desks, period)
            return sorted(i for i, src in found.items() if row == TOTAL or sources.source_row(src) == row)
        pm = _police_measures(period)
        pcand = session.execute(select(Case.id, Case.source_id).where(
            Case.track == workflow.POLICE, pm[column][0], *_desk_filter(desks)).order_by(Case.id)).all()
        return [i for i, src in pcand if row == TOTAL or sources.source_row(src) == row]
    if table == CAMPUS:
        resolver = mapping.resolver(session, desks, "campus_row", period.end)
        q = select(Case.id, Case.category_id, Case.subcategory_id).where(
            _between(Case.accepted_at, period), *_desk_filter(desks))
        if column in CAMPUS_PARTY_COLUMNS:
            ptype = CaseParty.party_type
            q = q.where(Case.id.in_(select(CaseParty.case_id).where(
                CaseParty.role.in_(sorted(workflow.PRINCIPAL_ROLES)),
                ptype.is_(None) | ptype.not_in(sorted(rules.PARTY_TYPES)) if column == rules.UNKNOWN_PARTY_TYPE
                else ptype == column)))
        ccand = session.execute(q.order_by(Case.id)).all()
        return [i for i, cat, sub in ccand if row == TOTAL or resolver.category_row(cat, sub) == row]
    if table == QUALITY:
        if row.startswith("review_"):  # 评查 rows (mediation.statistics.review)
            from mediation.statistics import review

            return review.cases_behind(session, desks, period, row)
        if row == "overdue":
            return sorted(_quality_overdue_ids(session, desks, period))
        qm = _quality_measures(period)
        qcond = {"closed": qm["closed"], "avg_days": qm["closed"], "median_days": qm["closed"],
                 "follow_up_rate": qm["agreements"], "performance_rate": qm["agreements"]}.get(row)
        if qcond is None:
            return []
        return list(session.scalars(select(Case.id).where(qcond, *_desk_filter(desks)).order_by(Case.id)))
    raise KeyError(f"unknown table {table!r}")
