"""A term of generated volunteers (never real people) for the roster's tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mediation.db import Database
from mediation.permissions import Actor
from mediation.services.roster import credentials, terms, timetable, volunteers
from mediation.services.roster.terms import TermInput
from mediation.services.roster.timetable import SlotInput
from mediation.services.roster.volunteers import VolunteerInput
from mediation.timeutil import clock_at

SHANGHAI = ZoneInfo("Asia/Shanghai")
TERM_START = dt.date(2026, 9, 7)  # a Monday
TERM_END = dt.date(2027, 1, 15)
WEEK = dt.date(2026, 9, 14)  # the second week, a Monday
NAMES = "甲乙丙丁戊己庚辛壬癸"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment at the desk (Asia/Shanghai)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@contextmanager
def desk_time(day: dt.date, hour: int, minute: int = 0) -> Iterator[None]:
    with clock_at(at(day, hour, minute)):
        yield


def student_name(i: int) -> str:
    return "学生" + NAMES[i % 10] + NAMES[(i // 10) % 10]


@dataclass
class Student:
    volunteer_id: int
    actor: Actor
    username: str
    password: str


@dataclass
class Term:
    id: int
    students: list[Student]


def open_term(db: Database, admin: Actor, *, name: str = "2026年秋季学期", starts_on: dt.date = TERM_START,
              ends_on: dt.date = TERM_END, **kw: Any) -> int:
    with desk_time(starts_on - dt.timedelta(days=7), 9), db.write() as s:
        return terms.create_term(s, admin, TermInput(name, starts_on, ends_on, **kw))


def enrol(db: Database, admin: Actor, term_id: int, n: int, *, trained: bool = True, first: int = 0,
          on: dt.date = TERM_START) -> list[Student]:
    """``n`` volunteers with accounts; ``trained``: their pre-duty training done (在岗)."""
    with desk_time(on - dt.timedelta(days=3), 10), db.write() as s:
        ids = [volunteers.add_volunteer(s, admin, term_id, VolunteerInput(
            name=student_name(first + i), student_no=f"2023{first + i:04d}", class_name="法学2301",
            college="法学院", phone=f"1370000{first + i:04d}")) for i in range(n)]
        sheet = credentials.create_accounts(s, admin, term_id, volunteer_ids=ids)
        if trained:
            for vid in ids:
                volunteers.record_training(s, admin, vid, held_on=on - dt.timedelta(days=3), minutes=8 * 60,
                                           topic="岗前培训")
    by_volunteer = {line.volunteer_id: line for line in sheet.lines}
    with db.read() as s:
        views = {v.id: v for v in volunteers.list_volunteers(s, admin, term_id)}
    out = []
    for vid in ids:
        line = by_volunteer[vid]
        view = views[vid]
        assert view.user_id is not None
        out.append(Student(vid, Actor(view.user_id, line.username, view.name, "volunteer", admin.desk_id),
                           line.username, line.password))
    return out


def slot(db: Database, admin: Actor, term_id: int, weekday: int, start: str, end: str, **kw: Any) -> int:
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    with desk_time(TERM_START - dt.timedelta(days=5), 9), db.write() as s:
        return timetable.add_slot(s, admin, term_id, SlotInput(weekday, h1 * 60 + m1, h2 * 60 + m2, **kw))


def assign(db: Database, admin: Actor, slot_id: int, user_id: int, *, week: dt.date = WEEK,
           now: dt.date = TERM_START) -> int:
    with desk_time(now, 8), db.write() as s:
        return timetable.assign(s, admin, slot_id, week, user_id)


def xlsx(path: Path, rows: list[list[Any]], *, title: str | None = None, merges: list[str] = ()) -> Path:
    """A workbook of ``rows`` (the first is the header), with merged ranges."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title or "名单"
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    wb.save(path)
    return path
