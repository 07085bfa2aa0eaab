"""A date picker with no date yet opens on today — the desk's today — not on its minimum date.

An empty optional date is its minimum date under the hood (shown as 未填写), so its
calendar opened in December 1899 on the 31st, and a date edit that starts at its minimum
did the same. The application's event filter (:mod:`mediation.ui.app_events`) calls
:func:`calendar_shown` whenever a calendar pop-up opens: if its date edit holds no real
date, today (clamped to the edit's range) is the page and the highlighted day. Nothing
is chosen until the user picks a day: Esc still leaves the date empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QDate, QSignalBlocker
from PySide6.QtWidgets import QCalendarWidget, QDateTimeEdit, QWidget

from mediation.timeutil import local_today


@runtime_checkable
class HasPageHint(Protocol):
    """A date edit that knows a better first page than today (a birth date: the students' years)."""

    def page_hint(self) -> dt.date | None: ...


def owner_edit(calendar: QCalendarWidget) -> QDateTimeEdit | None:
    """The date edit whose pop-up ``calendar`` is."""
    popup = calendar.window()
    owner = popup.parentWidget() if popup is not calendar else None
    return owner if isinstance(owner, QDateTimeEdit) and owner.calendarWidget() is calendar else None


def opening_date(edit: QDateTimeEdit, today: dt.date) -> QDate | None:
    """The date the pop-up of ``edit`` should show: today, when the edit holds no real date."""
    if edit.date() > edit.minimumDate():
        return None
    day = (edit.page_hint() if isinstance(edit, HasPageHint) else None) or today
    wanted = QDate(day.year, day.month, day.day)
    low = edit.minimumDate().addDays(1) if edit.specialValueText() else edit.minimumDate()
    return max(low, min(wanted, edit.maximumDate()))


def calendar_shown(widget: QWidget) -> None:
    if not isinstance(widget, QCalendarWidget):
        return
    edit = owner_edit(widget)
    if edit is None:
        return
    day = opening_date(edit, local_today())
    if day is None:
        return
    # Blocked: the pop-up takes a selection change as the user's choice.
    with QSignalBlocker(widget):
        widget.setSelectedDate(day)
        widget.setCurrentPage(day.year(), day.month())
