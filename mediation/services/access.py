"""Desk isolation: the one check every service that takes an id makes (issue 11).

A record belongs to one desk: a case, a party, a consultation, an account, a duty
shift, a desk's setting or template directly (their ``desk_id``); a case's records,
documents, versions, signatures and attachments through their case. :func:`desk_of`
says which desk a record belongs to (one table: :data:`DESK_OF`), and :func:`readable`
and :func:`writable` load a record by id for an actor and check it against the rule of
:class:`mediation.permissions.Actor`:

- a record of a desk the actor may not read is reported as missing (NotFound: another
  desk's records are not even confirmed to exist);
- a record the actor may read but not change (a roll-up account, another desk's
  record seen by the installation's reader) raises PermissionDenied for a change.

Rows with no desk (an installation-wide account, a shared setting or template) are
read and changed only by those who read and change every desk.

On PostgreSQL the same rule is also enforced by the database (row-level security, see
:mod:`mediation.rls`), so a desk PC's credentials cannot read another desk even with a
plain SQL client; this module keeps the application honest on SQLite too, and gives
the person a clear message instead of an empty result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation.errors import NotFound, PermissionDenied
from mediation.i18n import N_, _
from mediation.models import (
    Attachment,
    Case,
    CaseParty,
    CaseReview,
    CaseReviewDraw,
    Consultation,
    Desk,
    Document,
    DocumentTemplate,
    DocumentVersion,
    DutyShift,
    Party,
    Setting,
    Signature,
    StatReport,
    User,
)
from mediation.permissions import Actor

T = TypeVar("T")


def _case_desk(session: Session, case_id: int) -> int | None:
    return session.scalar(select(Case.desk_id).where(Case.id == case_id))


def _document_desk(session: Session, document_id: int) -> int | None:
    return session.scalar(select(Case.desk_id).join(Document, Document.case_id == Case.id)
                          .where(Document.id == document_id))


def _version_desk(session: Session, version_id: int) -> int | None:
    return session.scalar(select(Case.desk_id).join(Document, Document.case_id == Case.id)
                          .join(DocumentVersion, DocumentVersion.document_id == Document.id)
                          .where(DocumentVersion.id == version_id))


DESK_OF: dict[type[Any], Callable[[Session, Any], int | None]] = {
    Desk: lambda _s, o: o.id,
    Case: lambda _s, o: o.desk_id,
    Party: lambda _s, o: o.desk_id,
    Consultation: lambda _s, o: o.desk_id,
    User: lambda _s, o: o.desk_id,
    DutyShift: lambda _s, o: o.desk_id,
    Setting: lambda _s, o: o.desk_id,
    DocumentTemplate: lambda _s, o: o.desk_id,
    CaseReviewDraw: lambda _s, o: o.desk_id,
    CaseReview: lambda _s, o: o.desk_id,
    StatReport: lambda _s, o: o.desk_id,
    CaseParty: lambda s, o: _case_desk(s, o.case_id),
    Attachment: lambda s, o: _case_desk(s, o.case_id),
    Document: lambda s, o: _case_desk(s, o.case_id),
    DocumentVersion: lambda s, o: _document_desk(s, o.document_id),
    Signature: lambda s, o: _version_desk(s, o.version_id),
}
"""Which desk a record belongs to, for every model a service loads by id."""

_MISSING: dict[type[Any], str] = {
    Desk: N_("调解点不存在。"),
    Case: N_("案件不存在或您无权查看。"),
    Party: N_("当事人不存在。"),
    Consultation: N_("咨询记录不存在。"),
    User: N_("账户不存在。"),
    DutyShift: N_("该班次不存在。"),
    Setting: N_("设置不存在。"),
    DocumentTemplate: N_("模板不存在。"),
    CaseReviewDraw: N_("评查抽取记录不存在。"),
    CaseReview: N_("评查记录不存在。"),
    StatReport: N_("报表不存在或您无权查看。"),
    CaseParty: N_("当事人不存在。"),
    Attachment: N_("附件不存在。"),
    Document: N_("文书不存在。"),
    DocumentVersion: N_("文书不存在。"),
    Signature: N_("签名不存在。"),
}


def desk_of(session: Session, obj: Any) -> int | None:
    """The desk ``obj`` belongs to (None: an installation-wide row)."""
    try:
        find = DESK_OF[type(obj)]
    except KeyError:
        raise TypeError(f"no desk rule for {type(obj).__name__}: add it to access.DESK_OF") from None
    return find(session, obj)


def missing(model: type[Any]) -> NotFound:
    return NotFound(_(_MISSING.get(model, N_("记录不存在。"))))


def check_read(actor: Actor, desk_id: int | None, model: type[Any]) -> None:
    """NotFound unless the actor may read records of ``desk_id``."""
    if not actor.may_read_desk(desk_id):
        raise missing(model)


def check_write(actor: Actor, desk_id: int | None, model: type[Any], denied: str | None = None) -> None:
    """NotFound if the actor may not even read ``desk_id``; PermissionDenied if they may
    read but not change it."""
    check_read(actor, desk_id, model)
    if not actor.may_write_desk(desk_id):
        raise PermissionDenied(denied or _("您只能修改本调解点的记录。"))


def check_desk(actor: Actor, desk_id: int | None, *, denied: str, write: bool = False) -> None:
    """For a desk named by its id (the desk a report is filed for, whose settings are
    shown, where cases are drawn for review): PermissionDenied with ``denied`` unless the
    actor may read (``write``: change) its records. Desks are named in every desk picker,
    so another desk is refused, not reported missing."""
    if not (actor.may_write_desk(desk_id) if write else actor.may_read_desk(desk_id)):
        raise PermissionDenied(denied)


def _get(session: Session, model: type[T], ident: int | None, for_update: bool) -> T:
    obj = session.get(model, ident, with_for_update=True if for_update else None) if ident is not None else None
    if obj is None:
        raise missing(model)
    return obj


def readable(session: Session, actor: Actor, model: type[T], ident: int | None, *,
             for_update: bool = False) -> T:
    """The record ``ident`` of ``model`` if it exists and the actor may read its desk
    (``for_update``: locked for the rest of the transaction)."""
    obj = _get(session, model, ident, for_update)
    check_read(actor, desk_of(session, obj), model)
    return obj


def writable(session: Session, actor: Actor, model: type[T], ident: int | None, *,
             denied: str | None = None, for_update: bool = False) -> T:
    """The record ``ident`` of ``model`` if it exists and the actor may change its desk."""
    obj = _get(session, model, ident, for_update)
    check_write(actor, desk_of(session, obj), model, denied)
    return obj


def visible(session: Session, actor: Actor, model: type[T], ident: int | None) -> T | None:
    """The record ``ident`` of ``model`` if it exists and the actor may read its desk,
    else None (a list that leaves out what the actor may not see)."""
    obj = session.get(model, ident) if ident is not None else None
    return obj if obj is not None and actor.may_read_desk(desk_of(session, obj)) else None


def user_of_desk(session: Session, user_id: int | None, desk_id: int) -> User | None:
    """The active account ``user_id`` if it belongs to ``desk_id`` (a mediator, a
    recorder named on a case must be of the case's desk); None otherwise."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active or user.desk_id != desk_id:
        return None
    return user
