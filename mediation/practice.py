"""Practice mode (练习模式): generated cases live in a database of their own, never in the live desk.

The practice database is an SQLite file beside the live one (``mediation-practice.sqlite3``
in the same folder, or in the data folder when the live desk is on PostgreSQL). It has
its own generated desk and accounts (:data:`ACCOUNTS`, one known password, printed on
the login dialog) and carries a mark (the ``practice_database`` setting) by which the
program — the same program — knows to show the practice banner. New volunteers open it
from the login dialog and may reset it (regenerate) at any time.

The live desk is never filled with generated cases: :func:`check_demo_target` refuses a
database that holds a real desk, and the first-start wizard offers this database instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mediation.errors import ValidationError
from mediation.i18n import N_, _
from mediation.permissions import ADMIN, ADVISER, OFFICER, VOLUNTEER

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.db import Database
    from mediation.demo import DemoSummary
    from mediation.permissions import Actor
    from mediation.progress import Progress

FILE_NAME = "mediation-practice.sqlite3"
MARK = "practice_database"
"""Setting (for every desk) present and true only in a practice database."""
DESK_NAME = "练习调解点（虚构）"
COMMITTEE_NAME = "练习人民调解委员会（虚构）"
PREFIX = "练习调字"
PASSWORD = "Moni-Tiaojie-2026"
"""The practice accounts' password: known to everyone, like the data behind it."""
ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("lianxi", "练习同学", VOLUNTEER),
    ("lianxi-mj", "练习民警", OFFICER),
    ("lianxi-ls", "练习老师", ADVISER),
    ("lianxi-gl", "练习管理员", ADMIN),
)
"""(user name, display name, role) of the generated accounts a volunteer logs in with."""
DEFAULT_CASES = 300
"""Enough cases to see every stage and a second page of the list, generated in seconds."""
HINT = N_("练习账户（密码均为 {password}）：{accounts}")


def practice_path(live_url: str) -> Path:
    """Where the practice database of the desk at ``live_url`` lives."""
    from mediation.config import data_dir
    from mediation.db import sqlite_path

    live = sqlite_path(live_url)
    folder = live.parent if live is not None else data_dir()
    return folder / FILE_NAME


def practice_url(live_url: str) -> str:
    return f"sqlite:///{practice_path(live_url)}"


def accounts_hint() -> str:
    """The practice logins, in one line for the login dialog."""
    from mediation.permissions import role_label

    accounts = "、".join(f"{username}（{role_label(role)}）" for username, _name, role in ACCOUNTS)
    return _(HINT).format(password=PASSWORD, accounts=accounts)


def is_practice(session: Session) -> bool:
    from mediation.settings import get_setting

    return get_setting(session, MARK) is True


def holds_real_desk(session: Session) -> bool:
    """A live database: a desk was set up (or cases exist) and it is not marked as practice."""
    from sqlalchemy import func, select

    from mediation.models import Case, Desk

    if is_practice(session):
        return False
    return bool(session.scalar(select(func.count()).select_from(Desk))
                or session.scalar(select(func.count()).select_from(Case)))


def check_demo_target(session: Session, *, practice_file: Path | None = None) -> None:
    """Refuse to put generated cases into a live desk (they would take its numbers and
    be counted in its statistics)."""
    if holds_real_desk(session):
        where = _("（{path}）").format(path=practice_file) if practice_file is not None else ""
        raise ValidationError(field="database", message=_(
            "这是正式使用的数据库（已有调解点或案件），演示数据不能写入，以免与真实案件混在一起。"
            "请改用练习数据库{where}（mediation demo --into-practice），或用 --db 指定一个新文件。").format(where=where))


@dataclass(frozen=True)
class PracticeSummary:
    path: Path | None
    cases: int
    consultations: int
    seconds: float


def fill(db: Database, *, cases: int = DEFAULT_CASES, seed: int | None = None,
         progress: Progress | None = None) -> DemoSummary:
    """Make ``db`` a practice database: its desk and accounts (if it has none yet), the mark,
    and ``cases`` generated disputes. Refuses a live desk (:func:`check_demo_target`)."""
    from sqlalchemy import select

    from mediation import demo
    from mediation.models import User
    from mediation.services import accounts, reference, setup

    with db.write() as s:
        check_demo_target(s)
        admin: Actor | None
        if not setup.is_initialised(s):
            admin = setup.initialise(s, desk_name=DESK_NAME, number_prefix=PREFIX, committee_name=COMMITTEE_NAME,
                                     admin_username=ACCOUNTS[-1][0], admin_display_name=ACCOUNTS[-1][1],
                                     admin_password=PASSWORD)
            for username, name, role in ACCOUNTS[:-1]:
                accounts.create_user(s, admin, username=username, display_name=name, role=role,
                                     password=PASSWORD, desk_id=admin.desk_id)
            reference.set_setting(s, admin, MARK, True)
        else:
            admin_user = s.scalar(select(User).where(User.role == ADMIN).order_by(User.id).limit(1))
            admin = accounts.actor_for(admin_user) if admin_user is not None else None
        return demo.generate(s, cases=cases, seed=seed, admin=admin, progress=progress)


def reset(path: Path, *, cases: int = DEFAULT_CASES, seed: int | None = None,
          progress: Progress | None = None) -> PracticeSummary:
    """(Re)generate the practice database at ``path``: built beside it, then put in place,
    so a reset that fails or is cancelled leaves the previous one as it was."""
    from mediation.db import Database
    from mediation.migrate import upgrade

    building = path.with_name(path.name + ".building")
    _remove(building)
    db = Database(f"sqlite:///{building}")
    try:
        upgrade(db.engine, backup=False)
        result = fill(db, cases=cases, seed=seed, progress=progress)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        db.dispose()
        _remove(building)
        raise
    db.dispose()
    _remove(path)
    os.replace(building, path)
    return PracticeSummary(path, result.cases, result.consultations, result.seconds)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def open_practice(live_url: str, *, cases: int = DEFAULT_CASES, progress: Progress | None = None) -> Database:
    """The practice database of the desk at ``live_url``, generated first if there is none."""
    from mediation.migrate import open_database

    path = practice_path(live_url)
    if not path.exists():
        reset(path, cases=cases, progress=progress)
    return open_database(f"sqlite:///{path}")
