"""Volunteers' accounts in one step, and the sheet of one-time passwords to hand out.

Each volunteer of the term without an account gets one: the student number as user name,
their name, the volunteer role, the term's desk, valid until the term's last day (the login
refuses it from the next day, desk time), and a random one-time password that the first
login must change. A student already known from an earlier term (same user name and
student number on this desk) keeps their account, carried to the new term's end.

The passwords exist only in the PDF this returns: they are never stored (only their
hash), never logged, never written to the audit trail.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import volunteering
from mediation.changes import Changes
from mediation.db import require_write
from mediation.documents import forms as f
from mediation.documents import pdf
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.models import Desk, Term, User, Volunteer
from mediation.permissions import VOLUNTEER, Actor, require
from mediation.services import accounts, audit
from mediation.services.roster import common
from mediation.timeutil import local_today

PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
"""No 0/O, 1/l/I: the password is read off paper."""
PASSWORD_LENGTH = 10


def one_time_password() -> str:
    """A random password of letters and digits (both always present)."""
    while True:
        candidate = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


@dataclass(frozen=True)
class SheetLine:
    volunteer_id: int
    name: str
    student_no: str
    username: str
    password: str
    """Blank when an existing account was carried over (its password is unchanged)."""


@dataclass(frozen=True)
class AccountSheet:
    """Accounts made (or carried over) and the PDF sheet to hand out."""

    lines: tuple[SheetLine, ...]
    pdf: bytes
    changes: Changes = field(default_factory=lambda: Changes(users=True, roster=True))

    @property
    def created(self) -> int:
        return sum(1 for line in self.lines if line.password)


def _free_username(session: Session, wanted: str) -> str:
    name, n = wanted, 1
    while session.scalar(select(User.id).where(User.username == name)) is not None:
        n += 1
        name = f"{wanted}_{n}"
    return name


def create_accounts(session: Session, actor: Actor, term_id: int, *,
                    volunteer_ids: list[int] | None = None) -> AccountSheet:
    """Accounts for the term's volunteers who have none (or those of ``volunteer_ids``)."""
    require_write(session)
    require(actor, "roster.manage")
    require(actor, "user.manage")
    term = common.load_term(session, actor, term_id, write=True)
    common.open_term(term)
    q = select(Volunteer).where(Volunteer.term_id == term.id, Volunteer.user_id.is_(None),
                                Volunteer.status != volunteering.LEFT).order_by(Volunteer.student_no)
    if volunteer_ids is not None:
        q = q.where(Volunteer.id.in_(volunteer_ids))
    pending = list(session.scalars(q))
    if not pending:
        raise ValidationError(field="volunteers", message=_("所选志愿者都已有账户。"))
    lines: list[SheetLine] = []
    for vol in pending:
        existing = session.scalar(select(User).where(User.username == vol.student_no, User.desk_id == term.desk_id,
                                                     User.student_no == vol.student_no, User.role == VOLUNTEER))
        if existing is not None:
            before = {"active": existing.active, "valid_until": existing.valid_until}
            existing.active = True
            if existing.valid_until is not None and existing.valid_until < term.ends_on:
                existing.valid_until = term.ends_on
            vol.user_id = existing.id
            session.flush()
            audit.append(session, desk_id=term.desk_id, user_id=actor.user_id, action="user.update", entity="user", entity_id=existing.id,
                         before=before, after={"active": True, "valid_until": existing.valid_until,
                                               "term_id": term.id})
            lines.append(SheetLine(vol.id, vol.name, vol.student_no, existing.username, ""))
            continue
        password = one_time_password()
        username = _free_username(session, vol.student_no)
        user_id = accounts.create_user(session, actor, username=username, display_name=vol.name, role=VOLUNTEER,
                                       password=password, desk_id=term.desk_id, valid_until=term.ends_on,
                                       must_change_password=True)
        user = session.get(User, user_id)
        assert user is not None
        user.phone, user.student_no = vol.phone, vol.student_no
        vol.user_id = user_id
        lines.append(SheetLine(vol.id, vol.name, vol.student_no, username, password))
    session.flush()
    audit.append(session, desk_id=term.desk_id, user_id=actor.user_id, action="roster.accounts", entity="roster_term", entity_id=term.id,
                 after={"created": [line.username for line in lines if line.password],
                        "carried_over": [line.username for line in lines if not line.password]})
    desk = session.get(Desk, term.desk_id)
    return AccountSheet(tuple(lines), account_sheet_pdf(desk.name if desk else "", term, lines))


def account_sheet_page(desk_name: str, term: Term, lines: list[SheetLine]) -> f.Page:
    """The sheet: one slip per volunteer, to be cut apart and handed out."""
    blocks: list[f.Block] = [
        f.Para(_("{desk} · {term}").format(desk=desk_name, term=term.name), style="subtitle", align="center"),
        f.Para(_("初始密码只能使用一次：第一次登录后须设置自己的新密码。请把每张纸条只交给本人，"
                 "不要拍照或转发。账户有效期至 {end}（学期最后一天）。").format(end=term.ends_on.isoformat()),
               style="small"),
        f.Spacer(4),
    ]
    label = _("初始密码")
    for line in lines:
        password = line.password or _("（沿用原密码）")
        blocks.append(f.Table(widths=(24.0, 55.0, 24.0, 55.0), rows=(
            f.Row((f.Cell(_("姓名"), label=True, align="center"), f.Cell(line.name),
                   f.Cell(_("学号"), label=True, align="center"), f.Cell(line.student_no)), 9.0),
            f.Row((f.Cell(_("用户名"), label=True, align="center"), f.Cell(line.username),
                   f.Cell(label, label=True, align="center"), f.Cell(password)), 9.0),
        )))
        blocks.append(f.Para("- " * 18 + _("沿此线剪开") + " -" * 18,
                             style="small", align="center"))
    return f.Page(form="account_sheet", title=_("值班账户通知单"), number=local_today().isoformat(),
                  blocks=tuple(blocks))


def account_sheet_pdf(desk_name: str, term: Term, lines: list[SheetLine]) -> bytes:
    return pdf.render(account_sheet_page(desk_name, term, lines), author=desk_name)
