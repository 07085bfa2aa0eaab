"""Two desks on one database, for the desk-isolation tables (``tests/db/test_desk_isolation.py``
for every service, ``tests/db/test_roster_desks.py`` for the roster): desk 1 with its own
administrator, and a second desk with an administrator, an adviser, an officer and a
volunteer — generated people, never real ones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from mediation.db import Database
from mediation.permissions import Actor
from tests.conftest import Desk

PASSWORD = "Qiushi-Lake-42"
ROLES = ("admin", "adviser", "officer", "volunteer")


@dataclass
class DeskPeople:
    """One desk's people. ``admin`` is the desk's own administrator (not the installation's,
    who writes every desk)."""

    desk_id: int
    admin: Actor
    adviser: Actor
    officer: Actor
    volunteer: Actor


@dataclass
class TwoDesks:
    db: Database
    installation_admin: Actor
    own: DeskPeople
    """Desk 1 (the ``desk`` fixture's), with an administrator of its own."""
    other: DeskPeople
    """Desk 2, made by the installation's administrator."""


def own_desk(db: Database, desk: Desk) -> DeskPeople:
    """The ``desk`` fixture's desk with an administrator of its own (``deskadmin``)."""
    from mediation.services import accounts

    assert desk.desk_id is not None
    with db.write() as s:
        uid = accounts.create_user(s, desk.admin, username="deskadmin", display_name="甲管理员", role="admin",
                                   password=PASSWORD, desk_id=desk.desk_id)
    return DeskPeople(desk.desk_id, Actor(uid, "deskadmin", "甲管理员", "admin", desk.desk_id), desk.adviser,
                      desk.officer, desk.volunteer)


def second_desk(db: Database, installation_admin: Actor) -> DeskPeople:
    """Desk 2 (第二联调中心, Y警校调字) with one account of each role (``admin2`` …)."""
    from mediation.services import accounts, setup

    with db.write() as s:
        desk_id = setup.create_desk(s, installation_admin, name="第二联调中心", number_prefix="Y警校调字")
        made = {role: accounts.create_user(s, installation_admin, username=f"{role}2", display_name=f"乙{role}",
                                           role=role, password=PASSWORD, desk_id=desk_id)
                for role in ROLES}
    return DeskPeople(desk_id, *(Actor(made[r], f"{r}2", f"乙{r}", r, desk_id) for r in ROLES))


def make_two_desks(db: Database, desk: Desk) -> TwoDesks:
    return TwoDesks(db, desk.admin, own_desk(db, desk), second_desk(db, desk.admin))


@contextmanager
def trial(db: Database) -> Iterator[Session]:
    """A write session whose work is always rolled back (each call leaves the world as it was)."""
    session = db._writer()
    session.info["write"] = True
    try:
        yield session
    finally:
        session.rollback()
        session.close()
