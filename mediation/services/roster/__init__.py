"""The volunteer roster (issue 16): terms, volunteers, shifts, hours, handover, reassignment,
the adviser's overview and the certificates a student takes away.

One module per idea:

- :mod:`.terms` — open, edit and close a term (closing refused while its accounts hold open cases);
- :mod:`.volunteers` — a term's volunteers, their status (with reason) and training;
- :mod:`.importing` — the school's Excel list, with a remembered column mapping;
- :mod:`.credentials` — accounts in one step and the sheet of one-time passwords;
- :mod:`.timetable` — weekly slots, who is on each, copying a week, importing one, the printable rota;
- :mod:`.conflicts` — what a week's timetable gets wrong, and its coverage (pure functions);
- :mod:`.swaps` — a volunteer asks, a colleague accepts, the adviser approves;
- :mod:`.today` — the day at the desk: who is on duty, check in and out under the hour rules;
- :mod:`.hours` — extra time and hours added afterwards (the adviser confirms), locked periods,
  each person's hours by kind;
- :mod:`.handover` — 交接班 at check-out, acknowledged by the next person on duty;
- :mod:`.reassignment` — a leaving volunteer's open cases to colleagues, in bulk;
- :mod:`.overview` — the adviser's figures per student (the certificates use the same function);
- :mod:`.certificates` — 志愿服务记录证明 and 课外实践表现报告.

The rules themselves (statuses, kinds of hours, how a shift is credited) are data and pure
functions in :mod:`mediation.volunteering`. The day's names are re-exported here: the
today panel and the case list use them as ``roster.today_overview`` etc.
"""

from mediation.services.roster.today import (
    AD_HOC_NOTE,
    DUE_SOON_WORKDAYS,
    CheckedOut,
    DocumentTask,
    ShiftView,
    TodayOverview,
    add_shift,
    check_in,
    check_in_at_login,
    check_out,
    close_missed_check_outs,
    document_tasks,
    due_until,
    remove_shift,
    shifts_on,
    today_overview,
    urgency,
)

__all__ = [
    "AD_HOC_NOTE",
    "DUE_SOON_WORKDAYS",
    "CheckedOut",
    "DocumentTask",
    "ShiftView",
    "TodayOverview",
    "add_shift",
    "check_in",
    "check_in_at_login",
    "check_out",
    "close_missed_check_outs",
    "document_tasks",
    "due_until",
    "remove_shift",
    "shifts_on",
    "today_overview",
    "urgency",
]
