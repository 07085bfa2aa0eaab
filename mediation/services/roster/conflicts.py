"""What a week's timetable gets wrong, and how well each slot is covered (pure functions).

Flagged (the words are :data:`mediation.volunteering.CONFLICTS`):

- one person in two overlapping shifts;
- a slot with fewer students, or fewer officers on call, than it needs;
- a student scheduled for more than the term's weekly maximum;
- a volunteer not yet through the pre-duty training, not 在岗 (暂停, 期满, 退出), or whose
  account has expired by the day of the shift.

The timetable loads plain values (:class:`Placed`, :class:`Need`, :class:`Person`) and asks
:func:`check_week`; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from mediation import volunteering
from mediation.i18n import _
from mediation.permissions import OFFICER, VOLUNTEER
from mediation.timeutil import local


@dataclass(frozen=True)
class Placed:
    """Someone on a shift."""

    shift_id: int
    user_id: int
    slot_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class Need:
    """A slot on a day, and whom it needs."""

    slot_id: int
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    min_students: int
    min_officers: int


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    role: str
    status: str | None = None
    """The volunteer's status this term (None: staff, not a volunteer)."""
    trained: bool = True
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class Problem:
    kind: str
    """A key of volunteering.CONFLICTS."""
    message: str
    shift_ids: tuple[int, ...] = ()
    user_id: int | None = None
    slot_id: int | None = None
    day: dt.date | None = None

    @property
    def label(self) -> str:
        return _(volunteering.CONFLICTS[self.kind])


@dataclass(frozen=True)
class Coverage:
    slot_id: int
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    students_needed: int
    students: int
    officers_needed: int
    officers: int

    @property
    def covered(self) -> bool:
        return self.students >= self.students_needed and self.officers >= self.officers_needed


def _when(p: Placed) -> str:
    start, end = local(p.starts_at), local(p.ends_at)
    return f"{volunteering.weekday_label(start.weekday())} {start:%H:%M}–{end:%H:%M}"


def check_week(placed: list[Placed], needs: list[Need], people: dict[int, Person], *,
               max_weekly_minutes: int) -> tuple[list[Problem], list[Coverage]]:
    """The problems of a week's shifts (in the order above) and the coverage of each slot."""
    problems: list[Problem] = []
    by_user: dict[int, list[Placed]] = defaultdict(list)
    for p in placed:
        by_user[p.user_id].append(p)
    for user_id, shifts in sorted(by_user.items()):
        person = people.get(user_id)
        name = person.name if person else str(user_id)
        shifts.sort(key=lambda p: (p.starts_at, p.shift_id))
        latest = shifts[0]
        for p in shifts[1:]:
            if p.starts_at < latest.ends_at:
                problems.append(Problem("overlap", _("{name}：{a} 与 {b} 时间重叠").format(
                    name=name, a=_when(latest), b=_when(p)), (latest.shift_id, p.shift_id), user_id,
                    day=local(p.starts_at).date()))
            if p.ends_at > latest.ends_at:
                latest = p
    covered: dict[tuple[int, dt.date], list[Placed]] = defaultdict(list)
    for p in placed:
        if p.slot_id is not None:
            covered[(p.slot_id, local(p.starts_at).date())].append(p)
    coverage = []
    for need in sorted(needs, key=lambda n: (n.starts_at, n.slot_id)):
        here = covered.get((need.slot_id, need.day), [])
        roles = [people[p.user_id].role if p.user_id in people else "" for p in here]
        cov = Coverage(need.slot_id, need.day, need.starts_at, need.ends_at, need.min_students,
                       roles.count(VOLUNTEER), need.min_officers, roles.count(OFFICER))
        coverage.append(cov)
        if not cov.covered:
            start = local(need.starts_at)
            what = []
            if cov.students < cov.students_needed:
                what.append(_("学生 {n}/{need}").format(n=cov.students, need=cov.students_needed))
            if cov.officers < cov.officers_needed:
                what.append(_("民警 {n}/{need}").format(n=cov.officers, need=cov.officers_needed))
            problems.append(Problem("understaffed", _("{day} {start}–{end} 人手不足：{what}").format(
                day=volunteering.weekday_label(need.day.weekday()), start=f"{start:%H:%M}",
                end=f"{local(need.ends_at):%H:%M}", what="，".join(what)),
                tuple(p.shift_id for p in here), slot_id=need.slot_id, day=need.day))
    for user_id, shifts in sorted(by_user.items()):
        person = people.get(user_id)
        if person is None or person.role != VOLUNTEER:
            continue
        minutes = sum(int((p.ends_at - p.starts_at).total_seconds() // 60) for p in shifts)
        ids = tuple(p.shift_id for p in shifts)
        if minutes > max_weekly_minutes:
            problems.append(Problem("over_weekly", _("{name}：本周排班 {h} 小时，超过每周上限 {m} 小时").format(
                name=person.name, h=volunteering.hours_text(minutes), m=volunteering.hours_text(max_weekly_minutes)),
                ids, user_id))
        if person.status is None:
            problems.append(Problem("not_on_duty", _("{name}：不在本学期的志愿者名单中").format(name=person.name),
                                    ids, user_id))
        elif person.status == volunteering.TRAINING or not person.trained:
            problems.append(Problem("untrained", _("{name}：尚未完成岗前培训").format(name=person.name), ids, user_id))
        elif person.status not in volunteering.SCHEDULABLE:
            problems.append(Problem("not_on_duty", _("{name}：当前状态为“{s}”").format(
                name=person.name, s=volunteering.status_label(person.status)), ids, user_id))
        if person.valid_until is not None:
            late = tuple(p.shift_id for p in shifts if local(p.starts_at).date() > person.valid_until)
            if late:
                problems.append(Problem("expired", _("{name}：账户已于 {d} 到期").format(
                    name=person.name, d=person.valid_until.isoformat()), late, user_id))
    return problems, coverage
