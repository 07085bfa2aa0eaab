"""Who acts in the generated histories: officers accept and close, volunteers do casework."""

from __future__ import annotations

import random
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation.demo.model import DemoStaff
from mediation.demo.people import SEXES, People, pick
from mediation.demo.planner import Consult, Plan
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.models import (
    User,
)
from mediation.permissions import ADMIN, ADVISER, OFFICER, VOLUNTEER, Actor
from mediation.services import accounts
from mediation.timeutil import local_today


def make_staff(session: Session, desk_id: int, admin: Actor | None, rng: random.Random) -> DemoStaff:
    """The desk's active officers and volunteers; generated accounts are added if missing."""
    users = session.execute(
        select(User).where(User.desk_id == desk_id, User.active.is_(True)).order_by(User.id)
    ).scalars().all()
    officers = [accounts.actor_for(u) for u in users if u.role == OFFICER]
    volunteers = [accounts.actor_for(u) for u in users if u.role in (VOLUNTEER, ADVISER)]
    if officers and volunteers:
        return DemoStaff(tuple(officers), tuple(volunteers))
    creator = admin
    if creator is None:
        admin_user = session.scalar(select(User).where(User.role == ADMIN, User.active.is_(True))
                                    .order_by(User.id).limit(1))
        if admin_user is None:
            raise ValidationError(field="setup", message=_("请先初始化系统（创建调解点和管理员），再生成演示数据。"))
        creator = accounts.actor_for(admin_user)
    ppl = People(rng, local_today())
    wanted = [] if officers else [(OFFICER, f"{ppl.surname()}警官") for _i in range(2)]
    wanted += [] if volunteers else [(VOLUNTEER, ppl.name(pick(rng, SEXES))[0]) for _i in range(6)]
    for n, (role, display) in enumerate(wanted, start=1):
        # A random password nobody knows: the administrator resets it if a demo login is wanted.
        uid = accounts.create_user(
            session, creator, username=f"demo-{role}-{desk_id}-{n}-{secrets.token_hex(3)}",
            display_name=display, role=role, password=secrets.token_urlsafe(18) + "a1", desk_id=desk_id)
        user = session.get(User, uid)
        assert user is not None
        (officers if role == OFFICER else volunteers).append(accounts.actor_for(user))
    return DemoStaff(tuple(officers), tuple(volunteers))


class Cast:
    """Who does what on a case: the same choice in both writers."""

    def __init__(self, staff: DemoStaff) -> None:
        self.staff = staff

    def mediator(self, plan: Plan) -> Actor:
        pool = self.staff.officers if plan.mediator_is_officer else self.staff.volunteers
        return pool[plan.mediator % len(pool)]

    def officer(self, plan: Plan) -> Actor:
        return self.staff.officers[plan.index % len(self.staff.officers)]

    def volunteer(self, plan: Plan) -> Actor:
        return self.staff.volunteers[plan.index % len(self.staff.volunteers)]

    def consultant(self, c: Consult) -> Actor:
        return self.staff.volunteers[c.minutes % len(self.staff.volunteers)]
