"""The weekly timetable: a term's slots (weekday, time, whom each needs), who is on each slot in
a given week (picked or dragged there), copying a week forward, importing one from Excel, the
week's conflicts and coverage, and the printable rota (A4 PDF, XLSX).

An assignment is a :class:`~mediation.models.DutyShift` of that person at that slot's date and
time (``slot_id`` and ``term_id`` set), so the day's duty, check-in and hours work on it
like on any shift.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import validation, volunteering
from mediation.changes import Changes
from mediation.db import require_write
from mediation.documents import forms as f
from mediation.documents import pdf
from mediation.errors import Conflict, ValidationError
from mediation.i18n import _
from mediation.models import Desk, DutyShift, ShiftSlot, Term, User, Volunteer
from mediation.permissions import ADMIN, OFFICER, VOLUNTEER, Actor, require, role_label
from mediation.services import audit
from mediation.services.roster import common, conflicts, sheets
from mediation.services.roster.importing import RowProblem
from mediation.services.roster.terms import TermView, get_term
from mediation.services.roster.volunteers import training_minutes
from mediation.timeutil import desk_tz, local, utcnow
from mediation.validation import Collector

ROTA_CHANGES = Changes(roster=True)


# ---------------------------------------------------------------- slots


@dataclass
class SlotInput:
    weekday: int
    start_minute: int
    end_minute: int
    label: str = ""
    min_students: int | None = None
    min_officers: int | None = None


@dataclass(frozen=True)
class SlotView:
    id: int
    term_id: int
    weekday: int
    start_minute: int
    end_minute: int
    label: str
    min_students: int
    min_officers: int

    @property
    def time_text(self) -> str:
        return f"{volunteering.minute_text(self.start_minute)}–{volunteering.minute_text(self.end_minute)}"

    @property
    def minutes(self) -> int:
        return self.end_minute - self.start_minute


def _slot_view(slot: ShiftSlot, term: Term) -> SlotView:
    return SlotView(slot.id, slot.term_id, slot.weekday, slot.start_minute, slot.end_minute, slot.label,
                    term.min_students if slot.min_students is None else slot.min_students,
                    term.min_officers if slot.min_officers is None else slot.min_officers)


def _clean_slot(data: SlotInput) -> dict[str, object]:
    v = Collector()
    if not 0 <= data.weekday <= 6:
        v.add("weekday", _("请选择星期几。"))
    if not 0 <= data.start_minute < 24 * 60:
        v.add("start_minute", _("开始时间不正确。"))
    if not 0 < data.end_minute <= 24 * 60 or data.end_minute <= data.start_minute:
        v.add("end_minute", _("结束时间须晚于开始时间（同一天内）。"))
    for key, value, top in (("min_students", data.min_students, 20), ("min_officers", data.min_officers, 10)):
        if value is not None and not 0 <= value <= top:
            v.add(key, _("最少人数应在 0 到 {n} 之间。").format(n=top))
    label = v.check("label", validation.text, data.label, max_len=30)
    v.raise_if_any()
    return {"weekday": data.weekday, "start_minute": data.start_minute, "end_minute": data.end_minute,
            "label": label or "", "min_students": data.min_students, "min_officers": data.min_officers}


def add_slot(session: Session, actor: Actor, term_id: int, data: SlotInput) -> int:
    require_write(session)
    require(actor, "roster.manage")
    term = common.load_term(session, actor, term_id, write=True)
    common.open_term(term)
    fields = _clean_slot(data)
    slot = ShiftSlot(desk_id=term.desk_id, term_id=term.id, **fields)
    session.add(slot)
    session.flush()
    audit.append(session, desk_id=term.desk_id, user_id=actor.user_id, action="roster.slot_add", entity="roster_slot", entity_id=slot.id,
                 after=dict(fields))
    return slot.id


def update_slot(session: Session, actor: Actor, slot_id: int, data: SlotInput) -> None:
    """Change a slot; its shifts still to come move with it (those begun keep their times)."""
    require_write(session)
    require(actor, "roster.manage")
    slot = common.load(session, actor, ShiftSlot, slot_id, write=True, missing=_("该时段不存在。"))
    term = session.get(Term, slot.term_id)
    assert term is not None
    common.open_term(term)
    fields = _clean_slot(data)
    before = {k: getattr(slot, k) for k in fields}
    for k, value in fields.items():
        setattr(slot, k, value)
    now = utcnow()
    moved = 0
    for shift in session.scalars(select(DutyShift).where(DutyShift.slot_id == slot.id, DutyShift.starts_at > now,
                                                         DutyShift.checked_in_at.is_(None))):
        day = local(shift.starts_at).date()
        monday = volunteering.week_start(day)
        shift.starts_at, shift.ends_at = slot_times(slot, monday)
        moved += 1
    session.flush()
    audit.append(session, desk_id=slot.desk_id, user_id=actor.user_id, action="roster.slot_update", entity="roster_slot",
                 entity_id=slot.id, before=before, after={**fields, "shifts_moved": moved})


def remove_slot(session: Session, actor: Actor, slot_id: int) -> None:
    """Remove a slot and its shifts still to come; refused when someone is checked in to one."""
    require_write(session)
    require(actor, "roster.manage")
    slot = common.load(session, actor, ShiftSlot, slot_id, write=True, missing=_("该时段不存在。"))
    now = utcnow()
    shifts = list(session.scalars(select(DutyShift).where(DutyShift.slot_id == slot.id)))
    if any(s.checked_in_at is not None and s.checked_out_at is None for s in shifts):
        raise Conflict(_("有人正在这个时段值班，不能删除。"))
    removed = 0
    for s in shifts:
        if s.starts_at > now and s.checked_in_at is None:
            common.delete_shift(session, s)
            removed += 1
        else:
            s.slot_id = None  # past shifts stay (their hours count), no longer tied to the slot
    session.flush()
    session.delete(slot)
    session.flush()
    audit.append(session, desk_id=slot.desk_id, user_id=actor.user_id, action="roster.slot_remove", entity="roster_slot",
                 entity_id=slot_id, before={"weekday": slot.weekday, "start_minute": slot.start_minute,
                                            "end_minute": slot.end_minute}, after={"shifts_removed": removed})


def list_slots(session: Session, actor: Actor, term_id: int) -> list[SlotView]:
    term = common.load_term(session, actor, term_id)
    slots = session.scalars(select(ShiftSlot).where(ShiftSlot.term_id == term.id)
                            .order_by(ShiftSlot.weekday, ShiftSlot.start_minute, ShiftSlot.id))
    return [_slot_view(s, term) for s in slots]


def slot_times(slot: ShiftSlot | SlotView, week: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The slot's start and end in the week of ``week`` (desk time, as aware datetimes)."""
    day = volunteering.week_start(week) + dt.timedelta(days=slot.weekday)
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=desk_tz())
    return (midnight + dt.timedelta(minutes=slot.start_minute)).astimezone(dt.UTC), \
        (midnight + dt.timedelta(minutes=slot.end_minute)).astimezone(dt.UTC)


# ---------------------------------------------------------------- assignments


def _assignable(session: Session, term: Term, user: User) -> None:
    if not user.active or user.desk_id != term.desk_id:
        raise ValidationError(field="user_id", message=_("“{name}”不是本调解点的有效账户。").format(
            name=user.display_name))
    if user.role == ADMIN:
        raise ValidationError(field="user_id", message=_("管理员账户不排班。"))
    if user.role == VOLUNTEER and session.scalar(select(Volunteer.id).where(
            Volunteer.term_id == term.id, Volunteer.user_id == user.id)) is None:
        raise ValidationError(field="user_id", message=_("“{name}”不在本学期的志愿者名单中。").format(
            name=user.display_name))


def _place(session: Session, actor: Actor, term: Term, slot: ShiftSlot, week: dt.date, user: User) -> DutyShift:
    """A new shift of ``user`` at ``slot`` in ``week`` (checks, no audit)."""
    starts, ends = slot_times(slot, week)
    day = local(starts).date()
    if not term.starts_on <= day <= term.ends_on:
        raise ValidationError(field="week", message=_("{day} 不在学期“{term}”之内。").format(
            day=day.isoformat(), term=term.name))
    if ends <= utcnow():
        raise ValidationError(field="week", message=_("该班次已经结束，不能再排班。"))
    common.ensure_unlocked(session, term.desk_id, day, field="week")
    _assignable(session, term, user)
    if session.scalar(select(DutyShift.id).where(DutyShift.slot_id == slot.id, DutyShift.user_id == user.id,
                                                 DutyShift.starts_at == starts)) is not None:
        raise Conflict(_("“{name}”已在这个班次。").format(name=user.display_name))
    shift = DutyShift(desk_id=term.desk_id, user_id=user.id, starts_at=starts, ends_at=ends, term_id=term.id,
                      slot_id=slot.id, scheduled=True)
    session.add(shift)
    return shift


def assign(session: Session, actor: Actor, slot_id: int, week: dt.date, user_id: int) -> int:
    """Put someone on a slot in the week of ``week`` (picked from the list or dragged there)."""
    require_write(session)
    require(actor, "roster.manage")
    slot = common.load(session, actor, ShiftSlot, slot_id, write=True, missing=_("该时段不存在。"))
    term = session.get(Term, slot.term_id)
    assert term is not None
    common.open_term(term)
    user = common.load_user(session, actor, user_id, desk_id=term.desk_id)
    shift = _place(session, actor, term, slot, week, user)
    session.flush()
    audit.append(session, desk_id=term.desk_id, user_id=actor.user_id, action="shift.add", entity="duty_shift", entity_id=shift.id,
                 after={"user_id": user.id, "slot_id": slot.id, "starts_at": shift.starts_at, "ends_at": shift.ends_at})
    return shift.id


def unassign(session: Session, actor: Actor, shift_id: int) -> None:
    """Take someone off a shift that has not begun."""
    require_write(session)
    require(actor, "roster.manage")
    shift = common.load(session, actor, DutyShift, shift_id, write=True, missing=_("该班次不存在。"))
    if shift.checked_in_at is not None:
        raise Conflict(_("已签到的班次不能删除。"))
    common.ensure_unlocked(session, shift.desk_id, local(shift.starts_at).date(), field="shift_id")
    before = {"user_id": shift.user_id, "slot_id": shift.slot_id, "starts_at": shift.starts_at}
    swaps_removed = common.delete_shift(session, shift)
    audit.append(session, desk_id=shift.desk_id, user_id=actor.user_id, action="shift.remove", entity="duty_shift", entity_id=shift_id,
                 before=before, after={"swaps_removed": swaps_removed} if swaps_removed else None)


def move(session: Session, actor: Actor, shift_id: int, slot_id: int, week: dt.date) -> int:
    """Drag someone from one slot to another: the old shift goes, a new one comes."""
    require_write(session)
    require(actor, "roster.manage")
    shift = common.load(session, actor, DutyShift, shift_id, write=True, missing=_("该班次不存在。"))
    user_id = shift.user_id
    unassign(session, actor, shift_id)
    return assign(session, actor, slot_id, week, user_id)


@dataclass(frozen=True)
class Copied:
    created: int
    skipped: int
    changes: Changes = field(default_factory=lambda: ROTA_CHANGES)


def copy_week(session: Session, actor: Actor, term_id: int, from_week: dt.date, to_weeks: list[dt.date]) -> Copied:
    """Copy who is on each slot in ``from_week`` into each of ``to_weeks``; what is already
    there, outside the term, over or locked is skipped."""
    require_write(session)
    require(actor, "roster.manage")
    term = common.load_term(session, actor, term_id, write=True)
    common.open_term(term)
    source = volunteering.week_start(from_week)
    start = dt.datetime.combine(source, dt.time(), tzinfo=desk_tz())
    rows = session.execute(select(DutyShift, ShiftSlot, User).join(ShiftSlot, ShiftSlot.id == DutyShift.slot_id)
                           .join(User, User.id == DutyShift.user_id)
                           .where(DutyShift.term_id == term.id, DutyShift.starts_at >= start,
                                  DutyShift.starts_at < start + dt.timedelta(days=7))
                           .order_by(DutyShift.starts_at, DutyShift.id)).all()
    created = skipped = 0
    targets = sorted({volunteering.week_start(w) for w in to_weeks} - {source})
    for week in targets:
        for _shift, slot, user in rows:
            try:
                _place(session, actor, term, slot, week, user)
                session.flush()
                created += 1
            except (ValidationError, Conflict):
                skipped += 1
    audit.append(session, desk_id=term.desk_id, user_id=actor.user_id, action="roster.copy_week", entity="roster_term", entity_id=term.id,
                 after={"from": source, "to": targets, "created": created, "skipped": skipped})
    return Copied(created, skipped)


# ---------------------------------------------------------------- import a week


TIMETABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "weekday": ("星期", "周几", "星期几", "日"),
    "time": ("时段", "时间", "班次"),
    "start": ("开始", "开始时间", "起"),
    "end": ("结束", "结束时间", "止"),
    "student_no": ("学号", "工号"),
    "name": ("姓名", "值班人", "值班人员"),
}
_WEEKDAY_WORDS = {w: i for i, words in enumerate((
    ("一", "1", "星期一", "周一", "礼拜一"), ("二", "2", "星期二", "周二", "礼拜二"), ("三", "3", "星期三", "周三", "礼拜三"),
    ("四", "4", "星期四", "周四", "礼拜四"), ("五", "5", "星期五", "周五", "礼拜五"), ("六", "6", "星期六", "周六", "礼拜六"),
    ("日", "7", "星期日", "周日", "星期天", "周天", "礼拜日", "礼拜天"))) for w in words}
_TIME = re.compile(r"^(\d{1,2})[:：.](\d{2})$")


def _minute(value: object) -> int | None:
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, dt.datetime):
        return value.hour * 60 + value.minute
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time
        return round(value * 24 * 60)
    m = _TIME.match(unicodedata.normalize("NFKC", sheets.cell_text(value)).strip())
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59:
        return None
    return int(m.group(1)) * 60 + int(m.group(2))


@dataclass(frozen=True)
class WeekImport:
    created: int
    problems: tuple[RowProblem, ...]
    changes: Changes = field(default_factory=lambda: ROTA_CHANGES)


def import_week(session: Session, actor: Actor, term_id: int, week: dt.date, path: Path | str) -> WeekImport:
    """Assign the week from an Excel sheet (星期, 时段 or 开始/结束, 学号 or 姓名): each row is
    matched to a slot and a person; rows that cannot be are listed, the rest assigned."""
    require_write(session)
    require(actor, "roster.manage")
    term = common.load_term(session, actor, term_id, write=True)
    common.open_term(term)
    grids = sheets.read_workbook(path)
    aliases = [a for words in TIMETABLE_COLUMNS.values() for a in words]
    grid = next((g for g in grids if g.header_row(aliases)), None)
    if grid is None:
        raise ValidationError(field="file", message=_("文件中没有数据。"))
    header_row = grid.header_row(aliases)
    headers = grid.headers(header_row)
    cols: dict[str, int] = {}
    for i, h in enumerate(headers):
        for key, words in TIMETABLE_COLUMNS.items():
            if key not in cols and sheets.norm_header(h) in {sheets.norm_header(w) for w in words}:
                cols[key] = i
    if "weekday" not in cols or not ({"time"} <= set(cols) or {"start", "end"} <= set(cols)) \
            or not ({"student_no"} & set(cols) or {"name"} & set(cols)):
        raise ValidationError(field="file", message=_("值班表应有“星期”“时段”（或“开始”“结束”）和“学号”或“姓名”列。"))
    slots = list(session.scalars(select(ShiftSlot).where(ShiftSlot.term_id == term.id)))
    by_slot = {(s.weekday, s.start_minute, s.end_minute): s for s in slots}
    people = session.execute(select(User, Volunteer.student_no).outerjoin(
        Volunteer, (Volunteer.user_id == User.id) & (Volunteer.term_id == term.id))
        .where(User.desk_id == term.desk_id, User.active.is_(True))).all()
    by_no = {no: u for u, no in people if no}
    by_name: dict[str, list[User]] = defaultdict(list)
    for u, _no in people:
        by_name[u.display_name].append(u)
    problems: list[RowProblem] = []
    created = 0

    def cell(n: int, key: str) -> object:
        row = grid.rows.get(n, ())
        i = cols.get(key)
        return row[i] if i is not None and i < len(row) else None

    def column(key: str) -> str:
        return headers[cols[key]] if key in cols else ""

    for n in sorted(r for r in grid.rows if r > header_row):
        weekday = _WEEKDAY_WORDS.get(unicodedata.normalize("NFKC", sheets.cell_text(cell(n, "weekday"))).strip())
        if weekday is None:
            problems.append(RowProblem(grid.name, n, column("weekday"), _("星期无法识别，请写“星期一”或“周一”。")))
            continue
        if "time" in cols:
            parts = re.split(r"\s*[-–—~至到]\s*", sheets.cell_text(cell(n, "time")).strip())
            start, end = (_minute(parts[0]), _minute(parts[1])) if len(parts) == 2 else (None, None)
            where = column("time")
        else:
            start, end, where = _minute(cell(n, "start")), _minute(cell(n, "end")), column("start")
        if start is None or end is None:
            problems.append(RowProblem(grid.name, n, where, _("时间无法识别，请写成 09:00-12:00。")))
            continue
        slot = by_slot.get((weekday, start, end))
        if slot is None:
            problems.append(RowProblem(grid.name, n, where, _("本学期没有{day} {start}–{end}这个时段，请先在值班表中添加。").format(
                day=volunteering.weekday_label(weekday), start=volunteering.minute_text(start),
                end=volunteering.minute_text(end))))
            continue
        number = sheets.cell_text(cell(n, "student_no"))
        name = sheets.cell_text(cell(n, "name"))
        user = by_no.get(number) if number else None
        if user is None and name:
            found = by_name.get(name, [])
            if len(found) > 1:
                problems.append(RowProblem(grid.name, n, column("name"), _("有 {k} 个账户叫“{name}”，请填写学号。").format(
                    k=len(found), name=name)))
                continue
            user = found[0] if found else None
        if user is None:
            key = "student_no" if number else "name"
            problems.append(RowProblem(grid.name, n, column(key), _("找不到“{who}”：请确认其在本学期名单中并已有账户。").format(
                who=number or name)))
            continue
        try:
            _place(session, actor, term, slot, week, user)
            session.flush()
            created += 1
        except (ValidationError, Conflict) as exc:
            problems.append(RowProblem(grid.name, n, column("student_no" if number else "name"), exc.message))
    audit.append(session, desk_id=term.desk_id, user_id=actor.user_id, action="roster.import_week", entity="roster_term", entity_id=term.id,
                 after={"file": Path(path).name, "week": volunteering.week_start(week), "created": created,
                        "problems": len(problems)})
    return WeekImport(created, tuple(problems))


# ---------------------------------------------------------------- the week


@dataclass(frozen=True)
class Candidate:
    """Someone who may be put on a shift."""

    user_id: int
    name: str
    role: str
    status: str | None
    trained: bool
    volunteer_id: int | None

    @property
    def label(self) -> str:
        if self.status is None:
            return f"{self.name}（{role_label(self.role)}）"
        return f"{self.name}（{volunteering.status_label(self.status)}）"


def _people(session: Session, term: Term) -> tuple[list[Candidate], dict[int, conflicts.Person]]:
    vols = session.execute(select(Volunteer, User).join(User, User.id == Volunteer.user_id)
                           .where(Volunteer.term_id == term.id).order_by(Volunteer.student_no)).all()
    trained = training_minutes(session, [v.id for v, _u in vols])
    required = common.rules(session, term.desk_id).training_minutes
    out: list[Candidate] = []
    people: dict[int, conflicts.Person] = {}
    for vol, user in vols:
        ok = trained.get(vol.id, 0) >= required
        out.append(Candidate(user.id, vol.name, VOLUNTEER, vol.status, ok, vol.id))
        people[user.id] = conflicts.Person(user.id, vol.name, VOLUNTEER, vol.status, ok, user.valid_until)
    staff = session.scalars(select(User).where(User.desk_id == term.desk_id, User.active.is_(True),
                                               User.role.in_((OFFICER, "adviser"))).order_by(User.role, User.display_name))
    for user in staff:
        out.append(Candidate(user.id, user.display_name, user.role, None, True, None))
        people[user.id] = conflicts.Person(user.id, user.display_name, user.role, None, True, user.valid_until)
    return out, people


def candidates(session: Session, actor: Actor, term_id: int) -> list[Candidate]:
    """The term's volunteers with accounts, then the desk's officers and advisers."""
    term = common.load_term(session, actor, term_id)
    return _people(session, term)[0]


@dataclass(frozen=True)
class Assignee:
    shift_id: int
    user_id: int
    name: str
    role: str
    checked_in: bool
    flags: tuple[str, ...]
    """Conflict kinds that concern this person on this shift."""


@dataclass(frozen=True)
class SlotCell:
    slot: SlotView
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    people: tuple[Assignee, ...]
    coverage: conflicts.Coverage

    @property
    def students(self) -> tuple[Assignee, ...]:
        return tuple(p for p in self.people if p.role == VOLUNTEER)

    @property
    def staff(self) -> tuple[Assignee, ...]:
        return tuple(p for p in self.people if p.role != VOLUNTEER)


@dataclass(frozen=True)
class WeekTimetable:
    term: TermView
    week: dt.date
    """Monday."""
    cells: tuple[SlotCell, ...]
    problems: tuple[conflicts.Problem, ...]
    others: tuple[Assignee, ...]
    """Shifts of the week outside the timetable (added by hand, unscheduled check-ins)."""
    candidates: tuple[Candidate, ...]

    def times(self) -> list[tuple[int, int]]:
        """The distinct (start, end) minutes of the week's slots: the rows of the grid."""
        return sorted({(c.slot.start_minute, c.slot.end_minute) for c in self.cells})

    def cell(self, weekday: int, start: int, end: int) -> list[SlotCell]:
        return [c for c in self.cells if c.slot.weekday == weekday and (c.slot.start_minute, c.slot.end_minute)
                == (start, end)]

    @property
    def days(self) -> list[dt.date]:
        return [self.week + dt.timedelta(days=i) for i in range(7)]


def week_timetable(session: Session, actor: Actor, term_id: int, week: dt.date) -> WeekTimetable:
    """Who is on each slot in the week of ``week``, with the week's conflicts and coverage."""
    term = common.load_term(session, actor, term_id)
    view = get_term(session, actor, term.id)
    monday = volunteering.week_start(week)
    slots = [_slot_view(s, term) for s in session.scalars(
        select(ShiftSlot).where(ShiftSlot.term_id == term.id).order_by(ShiftSlot.weekday, ShiftSlot.start_minute))]
    start = dt.datetime.combine(monday, dt.time(), tzinfo=desk_tz())
    end = start + dt.timedelta(days=7)
    shifts = list(session.scalars(select(DutyShift).where(DutyShift.desk_id == term.desk_id,
                                                          DutyShift.starts_at < end, DutyShift.ends_at > start)
                                  .order_by(DutyShift.starts_at, DutyShift.id)))
    cands, people = _people(session, term)
    missing = {s.user_id for s in shifts} - set(people)
    if missing:
        for user in session.scalars(select(User).where(User.id.in_(missing))):
            people[user.id] = conflicts.Person(user.id, user.display_name, user.role, None, True, user.valid_until)
    needs = []
    for slot in slots:
        s_start, s_end = slot_times(slot, monday)
        day = local(s_start).date()
        if term.starts_on <= day <= term.ends_on:
            needs.append(conflicts.Need(slot.id, day, s_start, s_end, slot.min_students, slot.min_officers))
    placed = [conflicts.Placed(s.id, s.user_id, s.slot_id, s.starts_at, s.ends_at) for s in shifts]
    problems, coverage = conflicts.check_week(placed, needs, people, max_weekly_minutes=term.max_weekly_minutes)
    flags: dict[int, set[str]] = defaultdict(set)
    for p in problems:
        if p.kind == "understaffed":
            continue
        for sid in p.shift_ids:
            flags[sid].add(p.kind)

    def assignee(s: DutyShift) -> Assignee:
        person = people[s.user_id]
        return Assignee(s.id, s.user_id, person.name, person.role, s.checked_in_at is not None,
                        tuple(sorted(flags.get(s.id, ()))))

    cov = {(c.slot_id, c.day): c for c in coverage}
    by_slot_day: dict[tuple[int, dt.date], list[Assignee]] = defaultdict(list)
    others = []
    for s in shifts:
        if s.slot_id is not None:
            by_slot_day[(s.slot_id, local(s.starts_at).date())].append(assignee(s))
        else:
            others.append(assignee(s))
    cells = []
    for need in needs:
        slot = next(sl for sl in slots if sl.id == need.slot_id)
        cells.append(SlotCell(slot, need.day, need.starts_at, need.ends_at,
                              tuple(by_slot_day.get((slot.id, need.day), [])), cov[(slot.id, need.day)]))
    return WeekTimetable(view, monday, tuple(cells), tuple(problems), tuple(others), tuple(cands))


# ---------------------------------------------------------------- the printable rota


def _cell_text(cells: list[SlotCell]) -> str:
    """The students, then the officers on call under a 〔民警〕 line (a column is four characters wide)."""
    students = [p.name for c in cells for p in c.students]
    officers = [p.name for c in cells for p in c.staff if p.role == OFFICER]
    others = [p.name for c in cells for p in c.staff if p.role != OFFICER]
    lines = students + others
    if officers:
        lines += [_("〔民警〕"), *officers]
    return "\n".join(lines)


def rota_grid(table: WeekTimetable) -> list[list[str]]:
    """The rota as rows of text: a header, then one row per time of day (names in each day)."""
    header = [_("时间")] + [f"{volunteering.weekday_label(d.weekday())}\n{d:%m-%d}" for d in table.days]
    rows = [header]
    for start, end in table.times():
        rows.append([f"{volunteering.minute_text(start)}\n{volunteering.minute_text(end)}"]
                    + [_cell_text(table.cell(d, start, end)) for d in range(7)])
    return rows


def _rota_title(table: WeekTimetable) -> tuple[str, str]:
    sunday = table.week + dt.timedelta(days=6)
    return _("值班表"), _("{term}　{start} 至 {end}").format(term=table.term.name, start=table.week.isoformat(),
                                                          end=sunday.isoformat())


def rota_page(table: WeekTimetable, desk_name: str) -> f.Page:
    title, subtitle = _rota_title(table)
    grid = rota_grid(table)
    rows = [f.Row(tuple(f.Cell(text, label=True, align="center") for text in grid[0]), 12.0)]
    for line in grid[1:]:
        rows.append(f.Row((f.Cell(line[0], label=True, align="center"),
                           *(f.Cell(text, align="center") for text in line[1:])), 16.0))
    blocks: list[f.Block] = [
        f.Para(desk_name, style="subtitle", align="center"),
        f.Para(subtitle, style="center"),
        f.Spacer(3),
        f.Table(widths=(18.0, *(20.0,) * 7), rows=tuple(rows)),
        f.Spacer(3),
        f.Para(_("每班至少学生 {s} 名、值班民警 {o} 名；换班须经指导老师批准。签到、签退以系统记录为准。").format(
            s=table.term.min_students, o=table.term.min_officers), style="small"),
    ]
    return f.Page(form="rota", title=title, number="", blocks=tuple(blocks))


def _desk_name(session: Session, desk_id: int) -> str:
    desk = session.get(Desk, desk_id)
    return desk.name if desk else ""


def rota_pdf(session: Session, actor: Actor, term_id: int, week: dt.date) -> bytes:
    """The week's rota on A4 (bundled fonts, embedded)."""
    table = week_timetable(session, actor, term_id, week)
    name = _desk_name(session, table.term.desk_id)
    return pdf.render(rota_page(table, name), author=name)


def rota_xlsx(session: Session, actor: Actor, term_id: int, week: dt.date) -> bytes:
    """The week's rota as a workbook (one sheet, the same grid)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    table = week_timetable(session, actor, term_id, week)
    title, subtitle = _rota_title(table)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    ws.append([f"{_desk_name(session, table.term.desk_id)} {title}"])
    ws.append([subtitle])
    ws["A1"].font = Font(bold=True, size=14)
    for row in rota_grid(table):
        ws.append(row)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for cells in ws.iter_rows(min_row=3):
        for c in cells:
            c.alignment = wrap
    for i, col in enumerate("ABCDEFGH"):
        ws.column_dimensions[col].width = 10 if i == 0 else 14
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
