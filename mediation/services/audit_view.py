"""The audit viewer's core: filtered keyset pages of the audit trail, flags, changes side by
side, the chain check with progress, and exports (issue 15 item 5). No Qt.

Every function takes the actor and reads only the chains of the desks the actor may read
(``Actor.readable_desks``; the chain of no desk only for those who read every desk), and
needs ``audit.view``.

Pages are ordered newest first by ``(at, id)`` and continued by keyset, each filter served
by an index ``(column, at, id)`` (revision 0011), so the first page of a log of millions
of rows reads a page of index entries, not the log.

**Flags** worth a supervisor's look (:data:`FLAGS`): a change to a case after it was
archived (归档), a change in a locked report period, bulk exports, views of a full ID
number, and activity outside duty hours. Each flag is one SQL condition (the filter
"只看…") and the same rule computed for the rows shown.

**Locked report periods** belong to the statistics (helper G's period lock): this module
offers the hook :func:`set_locked_period_condition`, set by default to the reports' own
condition (:func:`reports_locked_period`): an SQL condition on :class:`AuditLog` that is
true for a row that changed a case of a locked period.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    extract,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from mediation import workflow
from mediation.audit_chain import chain_name
from mediation.db import require_write
from mediation.errors import ValidationError
from mediation.i18n import N_, _
from mediation.models import AuditLog, Case, Desk, HolidayDay, User
from mediation.permissions import Actor, require
from mediation.progress import Progress
from mediation.services import audit, reference
from mediation.services.deadlines import calendar
from mediation.timeutil import desk_tz, fmt_local, local, start_of_local_day, utcnow

MAX_LIMIT = 1000
PAGE = 200

# ---------------------------------------------------------------- flags

AFTER_ARCHIVE = "after_archive"
LOCKED_PERIOD = "locked_period"
BULK_EXPORT = "bulk_export"
ID_VIEW = "id_view"
OFF_HOURS = "off_hours"

FLAGS: dict[str, str] = {
    AFTER_ARCHIVE: N_("归档后改动"),
    LOCKED_PERIOD: N_("报送期内改动"),
    BULK_EXPORT: N_("批量导出"),
    ID_VIEW: N_("查看完整证件号"),
    OFF_HOURS: N_("值班时间外操作"),
}
"""Every flag and its label."""

EXPORT_ACTIONS: tuple[str, ...] = ("data.export", "audit.export", "report.export")
"""Actions that take many records out of the program at once."""
ID_VIEW_ACTION = "party.view_id"
ARCHIVE_ACTION = "case.archive"

DEFAULT_DUTY_HOURS = ("08:00", "20:00")
"""When no ``duty_hours`` setting says otherwise: working days, 08:00 to 20:00 desk time."""

LockedPeriodCondition = Callable[[], ColumnElement[bool]]
"""Returns an SQL condition on :class:`AuditLog` (and tables it correlates itself): true
for a row that changed a case of a report period already locked (submitted upward)."""

def reports_locked_period() -> ColumnElement[bool]:
    """The statistics' period lock (:func:`mediation.services.reports.locked_period_audit_condition`):
    a row that changed a case counted in a report already submitted upward."""
    from mediation.services import reports

    return reports.locked_period_audit_condition()


_locked_period: LockedPeriodCondition | None = reports_locked_period


def set_locked_period_condition(condition: LockedPeriodCondition | None) -> None:
    """The hook for the statistics' period lock (helper G): ``condition()`` is used both to
    filter on the flag 报送期内改动 and to flag the rows shown. ``None`` removes it."""
    global _locked_period
    _locked_period = condition


def locked_period_condition() -> ColumnElement[bool]:
    return _locked_period() if _locked_period is not None else false()


ACTION_LABELS: dict[str, str] = {
    "case.register": N_("登记纠纷"), "case.update": N_("修改案件"), "case.accept": N_("受理"),
    "case.decline": N_("不予受理"), "case.choose_track": N_("确定调解类型"), "case.assign": N_("指派调解员"),
    "case.investigate": N_("开始调查"), "case.investigation": N_("添加调查记录"), "case.mediate": N_("开始调解"),
    "case.session": N_("添加调解记录"), "case.agreement": N_("记录协议"), "case.sign": N_("协议签署"),
    "case.agreement_signed": N_("登记协议签署"), "case.agree": N_("达成协议"),
    "case.terminate": N_("终止调解"), "case.refer": N_("引导/移送"), "case.withdraw": N_("撤回"),
    "case.perform": N_("进入履行/回访"), "case.follow_up": N_("添加回访记录"), "case.close": N_("结案"),
    "case.archive": N_("归档"), "case.note": N_("添加备注"), "case.attach": N_("添加附件"),
    "case.import": N_("导入案件"), "case.delete": N_("删除案件"),
    "party.view_id": N_("查看完整证件号码"), "party.update": N_("修改当事人"),
    "document.create": N_("新建文书"), "document.update": N_("修改文书"), "document.submit": N_("提交审批"),
    "document.approve": N_("批准文书"), "document.return": N_("退回文书"), "document.finalize": N_("文书定稿"),
    "document.sign": N_("签名"), "document.scan": N_("上传签署扫描件"), "document.supersede": N_("更正文书"),
    "document.render": N_("生成文书"),
    "consultation.log": N_("登记咨询"), "consultation.convert": N_("咨询转为案件"),
    "consultation.import": N_("导入咨询"),
    "user.create": N_("新建账户"), "user.update": N_("修改账户"), "user.login": N_("登录"),
    "user.locked": N_("账户锁定"), "user.password": N_("修改密码"), "user.password_reset": N_("重置密码"),
    "shift.add": N_("安排值班"), "shift.remove": N_("取消值班"), "shift.check_in": N_("签到"),
    "shift.check_out": N_("签退"), "setting.set": N_("修改设置"), "template.upload": N_("上传模板"),
    "template.reset": N_("恢复模板"), "calendar.set": N_("修改节假日"), "calendar.import": N_("导入节假日"),
    "data.export": N_("导出数据"), "data.import": N_("导入数据"), "audit.export": N_("导出审计日志"),
    "backup.run": N_("备份"), "backup.restore": N_("恢复备份"), "backup.auto": N_("自动备份"),
    "backup.settings": N_("备份设置"), "backup.passphrase": N_("备份口令"),
    "keys.recovery_sheet": N_("打印恢复单"), "audit.key_rotate": N_("换用审计密钥"),
    "audit.chain_converted": N_("审计链转换"), "desk.create": N_("新建调解点"), "demo.generate": N_("生成演示数据"),
    "review.draw": N_("抽取评查案件"), "review.record": N_("记录评查结果"),
}
"""Labels of the actions the program records (an unknown action shows as itself)."""

ENTITY_LABELS: dict[str, str] = {
    "case": N_("案件"), "party": N_("当事人"), "document": N_("文书"), "signature": N_("签名"),
    "investigation": N_("调查记录"), "session_record": N_("调解记录"), "attachment": N_("附件"),
    "consultation": N_("咨询"), "user": N_("账户"), "duty_shift": N_("值班"), "setting": N_("设置"),
    "document_template": N_("文书模板"), "holiday_day": N_("节假日"), "database": N_("数据库"),
    "audit_log": N_("审计日志"), "audit_key": N_("审计密钥"), "desk": N_("调解点"),
    "case_review": N_("评查"), "case_review_draw": N_("评查抽取"),
}

FIELD_LABELS: dict[str, str] = {
    "number": N_("案件编号"), "stage": N_("阶段"), "track": N_("调解类型"), "category": N_("纠纷类别"),
    "subcategory": N_("子类"), "source": N_("来源"), "title": N_("标题"), "facts": N_("事实"), "claims": N_("请求"),
    "amount": N_("涉及金额"), "mediator_id": N_("调解员"), "deadline": N_("期限"), "result": N_("结果"),
    "outcome_reason": N_("理由"), "referred_to": N_("移送至"), "routes_suggested": N_("告知的其他途径"),
    "agreement_kind": N_("协议形式"), "agreement_terms": N_("协议内容"), "agreement_amount": N_("协议金额"),
    "performance_manner": N_("履行方式"), "performance_place": N_("履行地点"),
    "performance_deadline": N_("履行期限"), "agreement_signed_at": N_("协议签署时间"),
    "performance_status": N_("履行情况"), "prevented_escalation": N_("防止民转刑"),
    "police_exclusions_ack": N_("已确认的排除情形"), "closed_at": N_("结案时间"), "archived_at": N_("归档时间"),
    "parties": N_("当事人"), "note": N_("备注"), "checklist": N_("评查项目"), "findings": N_("评查发现"),
    "comment": N_("评查意见"), "status": N_("状态"),
}
"""Labels of the fields the audit rows record most (others show as recorded)."""


def _value_text(name: str, value: Any) -> str:
    if isinstance(value, str):
        if name == "stage":
            return workflow.stage_label(value)
        if name == "track" and value in workflow.TRACKS:
            return _(workflow.TRACKS[value])
        if name == "result" and value in workflow.RESULTS:
            return _(workflow.RESULTS[value])
    return _text(value)


def action_label(action: str) -> str:
    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def entity_label(entity: str) -> str:
    return _(ENTITY_LABELS[entity]) if entity in ENTITY_LABELS else entity


# ---------------------------------------------------------------- the query


@dataclass(frozen=True)
class AuditQuery:
    """What the viewer shows: every field optional; empty means no filter."""

    user_id: int | None = None
    case_number: str = ""
    """A case number as printed (or the case's id as digits)."""
    case_id: int | None = None
    action: str = ""
    """An action (``case.update``), or a group ending with a dot (``case.``)."""
    entity: str = ""
    entity_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    """Inclusive desk dates."""
    desk_id: int | None = None
    flag: str = ""
    """Only rows with this flag (:data:`FLAGS`)."""


class AuditEntry(NamedTuple):
    """One row as the viewer shows it (a named tuple: a page builds 200 of them, and a frozen
    dataclass cost more than the query)."""

    id: int
    desk_id: int | None
    seq: int
    at: dt.datetime
    user_id: int | None
    user_name: str
    action: str
    entity: str
    entity_id: int | None
    case_id: int | None
    case_number: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    flags: tuple[str, ...] = ()

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def entity_label(self) -> str:
        return entity_label(self.entity)

    @property
    def flag_labels(self) -> list[str]:
        return [_(FLAGS[f]) for f in self.flags]


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    cursor: tuple[str, int] | None
    """(at as ISO text, id) of the last row; None when nothing follows."""

    @property
    def has_more(self) -> bool:
        return self.cursor is not None


@dataclass(frozen=True)
class ChangeLine:
    """One field of a change, before and after side by side."""

    field: str
    before: str
    after: str
    changed: bool

    @property
    def label(self) -> str:
        return f"{_(FIELD_LABELS[self.field])}（{self.field}）" if self.field in FIELD_LABELS else self.field


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def changes(entry: AuditEntry) -> list[ChangeLine]:
    """The fields the row records, each with its value before and after (a new record has
    only "after"; a key present on one side only is shown empty on the other)."""
    before = entry.before or {}
    after = entry.after or {}
    names = list(before) + [k for k in after if k not in before]
    return [ChangeLine(n, _value_text(n, before.get(n)), _value_text(n, after.get(n)), before.get(n) != after.get(n))
            for n in names]


def _duty_hours(session: Session, actor: Actor) -> tuple[dt.time, dt.time]:
    value = reference.get_setting(session, "duty_hours", actor.desk_id)
    start, end = DEFAULT_DUTY_HOURS
    if isinstance(value, dict):
        start, end = str(value.get("start", start)), str(value.get("end", end))
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


def _offset_minutes() -> int:
    """The desk's UTC offset now (China has no summer time: one offset all year)."""
    off = utcnow().astimezone(desk_tz()).utcoffset() or dt.timedelta()
    return int(off.total_seconds() // 60)


def _local_parts(session: Session) -> tuple[ColumnElement[str], ColumnElement[str], ColumnElement[bool]]:
    """SQL for the row's desk-local time of day (``HH:MM``), date (``YYYY-MM-DD``) and whether
    that date falls on a Saturday or Sunday."""
    minutes = _offset_minutes()
    if session.get_bind().dialect.name == "postgresql":
        shifted = AuditLog.at + func.make_interval(0, 0, 0, 0, 0, minutes)
        return (func.to_char(shifted, "HH24:MI"), func.to_char(shifted, "YYYY-MM-DD"),
                extract("isodow", shifted).in_([6, 7]))
    mod = f"{minutes:+d} minutes"
    return (func.strftime("%H:%M", AuditLog.at, mod), func.date(AuditLog.at, mod),
            func.strftime("%w", AuditLog.at, mod).in_(["0", "6"]))


def _off_hours_condition(session: Session, actor: Actor) -> ColumnElement[bool]:
    start, end = _duty_hours(session, actor)
    time_of_day, day, weekend = _local_parts(session)
    day_text = type_coerce(HolidayDay.day, String) if session.get_bind().dialect.name != "postgresql" \
        else func.to_char(HolidayDay.day, "YYYY-MM-DD")
    holidays = select(day_text).where(HolidayDay.kind == "holiday").scalar_subquery()
    swapped = select(day_text).where(HolidayDay.kind == "workday").scalar_subquery()
    not_workday = or_(day.in_(holidays), and_(weekend, not_(day.in_(swapped))))
    return or_(time_of_day < start.strftime("%H:%M"), time_of_day >= end.strftime("%H:%M"), not_workday)


def _flag_condition(session: Session, actor: Actor, flag: str) -> ColumnElement[bool]:
    if flag == AFTER_ARCHIVE:
        return and_(AuditLog.case_id.is_not(None), AuditLog.action != ARCHIVE_ACTION,
                    select(Case.id).where(Case.id == AuditLog.case_id, Case.archived_at.is_not(None),
                                          Case.archived_at < AuditLog.at).exists())
    if flag == LOCKED_PERIOD:
        return locked_period_condition()
    if flag == BULK_EXPORT:
        return AuditLog.action.in_(EXPORT_ACTIONS)
    if flag == ID_VIEW:
        return AuditLog.action == ID_VIEW_ACTION
    if flag == OFF_HOURS:
        return _off_hours_condition(session, actor)
    raise ValidationError(field="flag", message=_("未知的提示类别“{f}”。").format(f=flag[:40]))


def _desk_condition(actor: Actor, desk_id: int | None) -> ColumnElement[bool]:
    if desk_id is not None:
        # Asking for a desk one may not read yields nothing rather than its rows.
        return AuditLog.desk_id == desk_id if actor.may_read_desk(desk_id) else false()
    readable = actor.readable_desks
    if readable is None:
        return true()
    if len(readable) == 1:
        return AuditLog.desk_id == next(iter(readable))
    return AuditLog.desk_id.in_(sorted(readable)) if readable else false()


def _case_ids(session: Session, actor: Actor, text: str) -> list[int]:
    text = text.strip()
    cond = Case.number.contains(text, autoescape=True)
    if text.isdigit():
        cond = or_(Case.id == int(text), cond)
    stmt = select(Case.id, Case.desk_id).where(cond).limit(MAX_LIMIT)
    return [cid for cid, desk in session.execute(stmt) if actor.may_read_desk(desk)]


def _conditions(session: Session, actor: Actor, q: AuditQuery) -> list[ColumnElement[bool]]:
    conds = [_desk_condition(actor, q.desk_id)]
    if q.user_id is not None:
        conds.append(AuditLog.user_id == q.user_id)
    if q.case_id is not None:
        conds.append(AuditLog.case_id == q.case_id)
    if q.case_number.strip():
        ids = _case_ids(session, actor, q.case_number)
        conds.append(AuditLog.case_id.in_(ids) if ids else false())
    action = q.action.strip()
    if action.endswith("."):
        conds.append(AuditLog.action.startswith(action, autoescape=True))
    elif action:
        conds.append(AuditLog.action == action)
    if q.entity.strip():
        conds.append(AuditLog.entity == q.entity.strip())
    if q.entity_id is not None:
        conds.append(AuditLog.entity_id == q.entity_id)
    if q.since is not None:
        conds.append(AuditLog.at >= start_of_local_day(q.since))
    if q.until is not None:
        conds.append(AuditLog.at < start_of_local_day(q.until + dt.timedelta(days=1)))
    if q.since is not None and q.until is not None and q.until < q.since:
        raise ValidationError(field="until", message=_("结束日期早于开始日期。"))
    if q.flag:
        conds.append(_flag_condition(session, actor, q.flag))
    return conds


_USER = aliased(User, name="audit_user")
_CASE = aliased(Case, name="audit_case")
_COLUMNS = (AuditLog.id, AuditLog.desk_id, AuditLog.seq, AuditLog.at, AuditLog.user_id, _USER.display_name,
            AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.case_id, _CASE.number,
            _CASE.archived_at, AuditLog.before, AuditLog.after)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class _Flagger:
    """The flags of rows already read (the same rules as the SQL conditions)."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.session = session
        self.start, self.end = _duty_hours(session, actor)
        self.cal = calendar(session)
        self.tz = desk_tz()

    def flags(self, rows: Sequence[Any]) -> list[tuple[str, ...]]:
        locked: set[int] = set()
        if _locked_period is not None and rows:
            locked = set(self.session.scalars(select(AuditLog.id).where(
                AuditLog.id.in_([r[0] for r in rows]), locked_period_condition())))
        out = []
        for r in rows:
            found: list[str] = []
            at = _utc(r[3])
            archived = r[11]
            if r[9] is not None and archived is not None and r[6] != ARCHIVE_ACTION and _utc(archived) < at:
                found.append(AFTER_ARCHIVE)
            if r[0] in locked:
                found.append(LOCKED_PERIOD)
            if r[6] in EXPORT_ACTIONS:
                found.append(BULK_EXPORT)
            if r[6] == ID_VIEW_ACTION:
                found.append(ID_VIEW)
            here = at.astimezone(self.tz).replace(second=0, microsecond=0)
            if not self.cal.is_workday(here.date()) or not self.start <= here.time() < self.end:
                found.append(OFF_HOURS)
            out.append(tuple(found))
        return out


def _entries(session: Session, actor: Actor, rows: Sequence[Any]) -> list[AuditEntry]:
    flags = _Flagger(session, actor).flags(rows)
    return [AuditEntry(r[0], r[1], r[2], _utc(r[3]), r[4], r[5] or "", r[6], r[7], r[8], r[9], r[10] or "",
                       r[12], r[13], f) for r, f in zip(rows, flags, strict=True)]


def _cursor_condition(cursor: tuple[str, int]) -> ColumnElement[bool]:
    try:
        at = dt.datetime.fromisoformat(cursor[0])
        kid = int(cursor[1])
    except (TypeError, ValueError, IndexError):
        raise ValueError("not a cursor of the audit viewer; start again without one") from None
    return tuple_(AuditLog.at, AuditLog.id) < tuple_(literal(at, type_=AuditLog.at.type), literal(kid))


def _condition_sets(session: Session, actor: Actor, query: AuditQuery) -> list[list[ColumnElement[bool]]]:
    """The query's conditions; a bulk-export filter as one set per export action.

    Exports are rare, and SQLite keeps no statistics of single actions: asked for
    ``action IN (…)`` it walks the desk's whole log newest first (a second on millions of
    rows). One action at a time, it reads the few rows through ``(action, at, id)``.
    """
    if query.flag != BULK_EXPORT:
        return [_conditions(session, actor, query)]
    base = _conditions(session, actor, replace(query, flag=""))
    return [[*base, AuditLog.action == action] for action in EXPORT_ACTIONS]


def list_entries(session: Session, actor: Actor, query: AuditQuery, *, cursor: tuple[str, int] | None = None,
                 limit: int = PAGE) -> AuditPage:
    """One page, newest first, continued after ``cursor``."""
    require(actor, "audit.view")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    after = [_cursor_condition(cursor)] if cursor is not None else []
    conn = session.connection()  # Core rows: the ORM's result machinery is not needed
    rows: list[Any] = []
    sets = _condition_sets(session, actor, query)
    for conds in sets:
        stmt = (select(*_COLUMNS).outerjoin(_USER, _USER.id == AuditLog.user_id)
                .outerjoin(_CASE, _CASE.id == AuditLog.case_id)
                .where(*conds, *after).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit + 1))
        rows += conn.execute(stmt).all()
    if len(sets) > 1:  # merged newest first
        rows.sort(key=lambda r: (_utc(r[3]), r[0]), reverse=True)
    more = len(rows) > limit
    rows = rows[:limit]
    entries = _entries(session, actor, rows)
    next_cursor = (entries[-1].at.isoformat(), entries[-1].id) if more and entries else None
    return AuditPage(entries, next_cursor)


def count_entries(session: Session, actor: Actor, query: AuditQuery) -> int:
    require(actor, "audit.view")
    return sum(int(session.scalar(select(func.count()).select_from(AuditLog).where(*conds)) or 0)
               for conds in _condition_sets(session, actor, query))


def iter_entries(session: Session, actor: Actor, query: AuditQuery, *, batch: int = MAX_LIMIT) -> Iterator[AuditEntry]:
    """Every row the query finds, newest first, read a page at a time."""
    cursor: tuple[str, int] | None = None
    while True:
        page = list_entries(session, actor, query, cursor=cursor, limit=batch)
        yield from page.entries
        if page.cursor is None:
            return
        cursor = page.cursor


def people(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The accounts whose rows the actor may see (for the person filter): (id, name)."""
    require(actor, "audit.view")
    stmt = select(User.id, User.display_name, User.username).order_by(User.display_name, User.id)
    readable = actor.readable_desks
    if readable is not None:
        stmt = stmt.where(User.desk_id.in_(sorted(readable)))
    return [(uid, f"{name}（{username}）") for uid, name, username in session.execute(stmt)]


def desks(session: Session, actor: Actor) -> list[tuple[int, str]]:
    require(actor, "audit.view")
    return [(d, n) for d, n in session.execute(select(Desk.id, Desk.name).order_by(Desk.id)) if actor.may_read_desk(d)]


@dataclass(frozen=True)
class PersonCount:
    user_id: int | None
    name: str
    count: int


def id_views_by_person(session: Session, actor: Actor, query: AuditQuery) -> list[PersonCount]:
    """Full-ID views per person among the rows the query finds (most first)."""
    require(actor, "audit.view")
    conds = [*_conditions(session, actor, query), AuditLog.action == ID_VIEW_ACTION]
    stmt = (select(AuditLog.user_id, func.max(User.display_name), func.count())
            .outerjoin(User, User.id == AuditLog.user_id).where(*conds)
            .group_by(AuditLog.user_id).order_by(func.count().desc()))
    return [PersonCount(uid, name or "", int(n)) for uid, name, n in session.execute(stmt)]


# ---------------------------------------------------------------- the chain check


@dataclass(frozen=True)
class Break:
    """Where a chain breaks: the chain, the row's position in it and, if the row is there, its id."""

    desk_id: int | None
    seq: int | None
    row_id: int | None
    at: dt.datetime | None
    action: str
    message: str

    def describe(self) -> str:
        where = chain_name(self.desk_id)
        if self.seq is not None and self.row_id is not None:
            when = fmt_local(self.at) if self.at is not None else ""
            return _("{chain}的第 {seq} 条记录（日志编号 {id}，{when}，{action}）：{msg}").format(
                chain=where, seq=self.seq, id=self.row_id, when=when, action=action_label(self.action),
                msg=self.message)
        return f"{where}：{self.message}"


@dataclass
class CheckOutcome:
    """The check as the viewer says it."""

    ok: bool
    rows: int
    chains: list[str] = field(default_factory=list)
    """One line per chain: rows, passed or not, anchors compared."""
    breaks: list[Break] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    """Every failure in the words of ``mediation audit verify``."""

    @property
    def summary(self) -> str:
        if self.ok:
            return _("审计日志完整：共核验 {n} 条记录，未发现修改、删除或插入。").format(n=self.rows)
        if self.breaks:
            return _("审计日志已被破坏：{where}").format(where=self.breaks[0].describe())
        return _("审计日志已被破坏：{what}").format(what=self.failures[0] if self.failures else "")


def check_chains(session: Session, actor: Actor, db_url: str, *, progress: Progress | None = None) -> CheckOutcome:
    """The same check as ``mediation audit verify --as`` the actor: every chain the actor may
    read, against every checkpoint found outside the database; where a chain breaks, the row."""
    chains = audit.readable_chains(session, actor)
    result = audit.verify_anchored(session, db_url, desk_ids=chains, progress=progress)
    outcome = CheckOutcome(ok=result.ok, rows=sum(c.rows for c in result.chains), failures=result.failures())
    for report in result.chains:
        status = _("校验通过") if report.ok else _("校验失败")
        outcome.chains.append(_("{chain}：共 {n} 条记录，{status}。").format(
            chain=chain_name(report.desk_id), n=report.rows, status=status))
        problems = [(p.seq, p.message) for p in report.problems]
        # A failed checkpoint of this chain whose row is still there: that row was rewritten.
        problems += [(a.checkpoint.n if a.checkpoint.genesis == report.genesis and a.checkpoint.n <= report.rows
                      else None, a.message) for a in report.anchors if a.status == "failed"]
        for seq, message in problems:
            row = None
            if seq is not None:
                desk_cond = AuditLog.desk_id.is_(None) if report.desk_id is None else AuditLog.desk_id == report.desk_id
                row = session.execute(select(AuditLog.id, AuditLog.at, AuditLog.action)
                                      .where(desk_cond, AuditLog.seq == seq).order_by(AuditLog.id).limit(1)).first()
            outcome.breaks.append(Break(report.desk_id, seq, row[0] if row else None,
                                        _utc(row[1]) if row else None, row[2] if row else "", message))
    return outcome


# ---------------------------------------------------------------- export

EXPORT_FORMATS = ("csv", "xlsx")


def export_headers() -> list[str]:
    return [_("日志编号"), _("时间"), _("调解点"), _("人员"), _("操作"), _("对象"), _("对象编号"), _("案件"),
            _("修改前"), _("修改后"), _("提示")]


def _export_row(e: AuditEntry, desk_names: dict[int, str]) -> list[Any]:
    desk = desk_names.get(e.desk_id, "") if e.desk_id is not None else chain_name(None)
    return [e.id, local(e.at).strftime("%Y-%m-%d %H:%M:%S"), desk, e.user_name, e.action_label, e.entity_label,
            e.entity_id if e.entity_id is not None else "", e.case_number,
            _text(e.before), _text(e.after), "、".join(e.flag_labels)]


def _query_words(q: AuditQuery) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in q.__dict__.items() if v not in (None, "")}


@dataclass(frozen=True)
class WrittenExport:
    """An export written beside its target, not yet recorded nor in place."""

    tmp: Path
    path: Path
    fmt: str
    rows: int
    query: AuditQuery


def write_export(session: Session, actor: Actor, query: AuditQuery, path: Path, fmt: str, *,
                 progress: Progress | None = None) -> WrittenExport:
    """Write the rows ``query`` finds (CSV in UTF-8 with BOM for Excel, or XLSX) into a
    temporary file beside ``path``. Reads only: run it in a read session, so a long export
    holds no write lock; then :func:`record_export` and :func:`publish_export`."""
    require(actor, "audit.view")
    require(actor, "audit.export")
    if fmt not in EXPORT_FORMATS:
        raise ValidationError(field="format", message=_("导出格式应为 CSV 或 XLSX。"))
    total = count_entries(session, actor, query) if progress is not None else 0
    desk_names = dict(desks(session, actor))
    tmp = path.with_name(f".{path.name}.export-{os.getpid()}.tmp")
    n = 0
    try:
        if fmt == "csv":
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(export_headers())
                for e in iter_entries(session, actor, query):
                    w.writerow(_export_row(e, desk_names))
                    n += 1
                    if progress is not None and n % 1000 == 0:
                        progress(n, total)
        else:
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet(_("审计日志"))
            ws.append(export_headers())
            for e in iter_entries(session, actor, query):
                ws.append(_export_row(e, desk_names))
                n += 1
                if progress is not None and n % 1000 == 0:
                    progress(n, total)
            wb.save(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(n, max(total, n))
    return WrittenExport(tmp, path, fmt, n, query)


def record_export(session: Session, actor: Actor, written: WrittenExport) -> int:
    """The export's audit row (a bulk export: rows, format, filters), in a write transaction."""
    require_write(session)
    require(actor, "audit.export")
    audit.append(session, desk_id=actor.desk_id, user_id=actor.user_id, action="audit.export",
                 entity="audit_log", after={"rows": written.rows, "format": written.fmt,
                                            "filters": _query_words(written.query)})
    session.flush()
    return written.rows


def publish_export(written: WrittenExport) -> Path:
    """Put the recorded export in place (after the audit row is committed)."""
    os.replace(written.tmp, written.path)
    return written.path


def discard_export(written: WrittenExport) -> None:
    written.tmp.unlink(missing_ok=True)


def export_entries(session: Session, actor: Actor, query: AuditQuery, path: Path, fmt: str, *,
                   progress: Progress | None = None) -> int:
    """:func:`write_export`, :func:`record_export` and :func:`publish_export` in one session (a
    write transaction; the file is put in place just before the caller commits). The desktop
    splits them: the rows are read in a read session, the audit row written after."""
    written = write_export(session, actor, query, path, fmt, progress=progress)
    try:
        n = record_export(session, actor, written)
        publish_export(written)
        return n
    finally:
        discard_export(written)
