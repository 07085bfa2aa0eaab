"""The roster's vocabulary and its hour rules, as data and pure functions (no database).

A volunteer's status, the three kinds of hours, the states of a swap, the kinds of item a
handover lists, the weekdays of the timetable — each word lives here once, with its label
(``N_``, translated where shown). :func:`attendance` is the one place the hour rules are
written: what a shift credits, and whether it was late, missed or not checked out.

The rules (issue 16):

* check-in is at login (or the 签到 button); arriving early is not credited: the time
  counts from the scheduled start;
* arriving late moves the start to the check-in; beyond the grace minutes it is "late";
* check-out is at 签退 or logout; staying on beyond the end counts only once the adviser
  approves it (the extra minutes wait as "pending");
* a shift nobody checked out of closes at its end and is marked (未签退);
* a scheduled shift nobody checked in to is "missed" once it has ended;
* an unscheduled check-in (临时到岗) credits nothing until the adviser approves its time;
* the idle lock only locks the screen: it is no event here at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mediation.i18n import N_, _

# ---------------------------------------------------------------- volunteers

TRAINING = "training"
ACTIVE = "active"
SUSPENDED = "suspended"
EXPIRED = "expired"
LEFT = "left"
STATUSES: dict[str, str] = {
    TRAINING: N_("培训中"),
    ACTIVE: N_("在岗"),
    SUSPENDED: N_("暂停"),
    EXPIRED: N_("期满"),
    LEFT: N_("退出"),
}
REASON_REQUIRED = frozenset({SUSPENDED, LEFT})
"""Suspending a volunteer or recording that they left needs a reason."""
SCHEDULABLE = frozenset({ACTIVE})
"""Statuses in which a volunteer may be on a shift without a conflict being flagged."""
OFF_ROSTER = frozenset({SUSPENDED, EXPIRED, LEFT})
"""Statuses whose open cases should go to colleagues (reassignment)."""


def status_label(status: str) -> str:
    return _(STATUSES.get(status, status))


# ---------------------------------------------------------------- hours

DUTY = "duty"
CASEWORK = "case"
TRAINING_HOURS = "training"
HOUR_KINDS: dict[str, str] = {DUTY: N_("值班"), CASEWORK: N_("办案"), TRAINING_HOURS: N_("培训")}
"""The three kinds of hours, always kept apart."""

CASE_RECORDS: dict[str, str] = {
    "session": N_("调解记录"),
    "investigation": N_("调查记录"),
    "follow_up": N_("回访记录"),
}
"""The case records whose making counts as 办案 time (minutes per record: a desk setting)."""

CLAIM_STATUSES: dict[str, str] = {"pending": N_("待确认"), "confirmed": N_("已确认"), "rejected": N_("未确认")}


def hours_label(kind: str) -> str:
    return _(HOUR_KINDS.get(kind, kind))


def hours_text(minutes: int) -> str:
    """Minutes as hours with one decimal: 90 → "1.5"."""
    return f"{minutes / 60:.1f}"


# ---------------------------------------------------------------- timetable

WEEKDAYS: tuple[str, ...] = (N_("星期一"), N_("星期二"), N_("星期三"), N_("星期四"), N_("星期五"),
                             N_("星期六"), N_("星期日"))


def weekday_label(weekday: int) -> str:
    return _(WEEKDAYS[weekday])


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def minute_text(minute: int) -> str:
    """Minutes after midnight as 09:30."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


CONFLICTS: dict[str, str] = {
    "overlap": N_("时间重叠"),
    "understaffed": N_("人手不足"),
    "over_weekly": N_("超过每周上限"),
    "untrained": N_("未完成岗前培训"),
    "not_on_duty": N_("非在岗状态"),
    "expired": N_("账户已到期"),
}
"""What the timetable flags."""

SWAP_STATUSES: dict[str, str] = {
    "asked": N_("待同学接受"),
    "accepted": N_("待老师批准"),
    "approved": N_("已换班"),
    "declined": N_("同学未接受"),
    "rejected": N_("老师未批准"),
    "cancelled": N_("已撤回"),
}

# ---------------------------------------------------------------- handover

HANDOVER_ITEMS: dict[str, str] = {
    "deadline": N_("期限将到"),
    "document": N_("文书待审批或签署"),
    "returning": N_("当事人将再来"),
    "follow_up": N_("回访到期"),
}
"""What a handover lists, in this order."""

# ---------------------------------------------------------------- certificates

SERVICE_RECORD = "service_record"
PRACTICE_REPORT = "practice_report"
CERTIFICATES: dict[str, str] = {
    SERVICE_RECORD: N_("志愿服务记录证明"),
    PRACTICE_REPORT: N_("课外实践表现报告"),
}
"""The form (``templates/<kind>.toml``) of each."""


# ---------------------------------------------------------------- the hour rules


@dataclass(frozen=True)
class ShiftFacts:
    """What the rules need to know about one shift."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    checked_in_at: dt.datetime | None = None
    checked_out_at: dt.datetime | None = None
    scheduled: bool = True
    auto_closed: bool = False
    extra_minutes: int = 0
    extra_status: str | None = None


UPCOMING = "upcoming"
ON_DUTY = "on_duty"
KEPT = "kept"
MISSED = "missed"
ATTENDANCE: dict[str, str] = {UPCOMING: N_("未到时间"), ON_DUTY: N_("在岗"), KEPT: N_("已值班"),
                              MISSED: N_("缺勤")}


@dataclass(frozen=True)
class Attendance:
    """What a shift comes to under the rules."""

    state: str
    """upcoming | on_duty | kept | missed."""
    credited_minutes: int = 0
    """Duty time that counts (pending extra time not included)."""
    pending_minutes: int = 0
    """Extra time waiting for the adviser."""
    late_minutes: int = 0
    """How late the check-in was (0 within the grace minutes)."""
    missed_check_out: bool = False
    """Nobody checked out: closed at the shift's end."""
    credit_start: dt.datetime | None = None
    credit_end: dt.datetime | None = None

    @property
    def late(self) -> bool:
        return self.late_minutes > 0


def _minutes(delta: dt.timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def attendance(f: ShiftFacts, now: dt.datetime, *, grace_minutes: int = 0) -> Attendance:
    """Apply the hour rules (module docstring) to one shift as it stands at ``now``."""
    if f.checked_in_at is None:
        if now >= f.ends_at and f.scheduled:
            return Attendance(MISSED)
        return Attendance(UPCOMING)
    start = max(f.starts_at, f.checked_in_at)  # early: from the start; late: from the check-in
    late = _minutes(f.checked_in_at - f.starts_at)
    late = late if late > grace_minutes else 0
    missed_check_out = f.auto_closed
    if f.checked_out_at is not None:
        end = min(f.checked_out_at, f.ends_at)
        state = KEPT
    elif now < f.ends_at:
        end, state = max(start, now), ON_DUTY
    else:
        end, state, missed_check_out = f.ends_at, KEPT, True
    base = _minutes(end - start) if f.scheduled else 0
    extra_ok = f.extra_minutes if f.extra_status == "approved" else 0
    pending = f.extra_minutes if f.extra_status == "pending" else 0
    return Attendance(state, base + extra_ok, pending, late, missed_check_out, start, end)


def stayed_on_minutes(ends_at: dt.datetime, checked_out_at: dt.datetime, *, grace_minutes: int = 0) -> int:
    """Minutes beyond the end that need the adviser's approval (none within the grace)."""
    over = _minutes(checked_out_at - ends_at)
    return over if over > grace_minutes else 0
