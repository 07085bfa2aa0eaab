"""The desk-isolation check itself (mediation.services.access), as people meet it (issue 17).

tests/db/test_desk_isolation.py calls every service with another desk's ids; this file
states what the check every one of them makes answers, record by record: which desk a
case's documents, versions, signatures, attachments and parties belong to; what an
officer of desk 1 is told about desk 2's records (the same words as for a record that
does not exist); what a roll-up account may read and may not change; which accounts may
be named on a case; and, on PostgreSQL, that a record loaded to be changed is locked
until the change is committed (two PCs changing it at once) and one loaded to be read
is not.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from mediation.db import Database
from mediation.errors import NotFound, PermissionDenied
from mediation.models import (
    Attachment,
    Case,
    CaseParty,
    Consultation,
    Desk,
    DisputeCategory,
    Document,
    DocumentVersion,
    Party,
    Signature,
    StatReport,
    User,
)
from mediation.permissions import Actor
from mediation.services import access, accounts, case_records, consultations
from mediation.services import documents as docs
from mediation.services.consultations import ConsultationInput
from tests.conftest import Desk as FirstDesk
from tests.conftest import _pg_database, backends
from tests.desks import PASSWORD, DeskPeople, make_two_desks, trial
from tests.factories import agreed_case, document_on
from tests.pngs import png

# ---------------------------------------------------------------- two desks, one record of each kind


@dataclass
class Records:
    desk: int
    people: DeskPeople
    case: int = 0
    case_party: int = 0
    party: int = 0
    attachment: int = 0
    document: int = 0
    version: int = 0
    signature: int = 0
    consultation: int = 0
    user: int = 0
    retired: int = 0
    """An account of the desk that was deactivated."""

    def ids(self) -> dict[type[Any], int]:
        return {Desk: self.desk, Case: self.case, CaseParty: self.case_party, Party: self.party,
                Attachment: self.attachment, Document: self.document, DocumentVersion: self.version,
                Signature: self.signature, Consultation: self.consultation, User: self.user}


@dataclass
class World:
    db: Database
    own: Records
    other: Records
    installation_admin: Actor
    rollup: Actor
    """A roll-up account of no desk (a 分局's officer): reads every desk, changes none."""
    rollup_at_own: Actor
    """A roll-up account of desk 1 (a 司法所 at that desk): reads every desk, changes desk 1's."""
    installation_account: int
    """An account of no desk (``rollup``'s)."""


def _furnish(db: Database, people: DeskPeople, admin: Actor, seed: int) -> Records:
    r = Records(desk=people.desk_id, people=people)
    with db.write() as s:
        r.case = agreed_case(s, people)
        link = s.scalars(select(CaseParty).where(CaseParty.case_id == r.case).order_by(CaseParty.id)).first()
        assert link is not None
        r.case_party, r.party = link.id, link.party_id
        r.attachment = case_records.add_attachment(s, people.volunteer, r.case, filename="收据.txt",
                                                   content=b"receipt")
        r.consultation = consultations.log_consultation(s, people.volunteer, ConsultationInput(
            topic="押金", answer="可以协商", person_name="王五", phone="13700137000"))
        r.user = people.volunteer.user_id
        r.retired = accounts.create_user(s, admin, username=f"retired{seed}", display_name="离任调解员",
                                         role="volunteer", password=PASSWORD, desk_id=people.desk_id)
        accounts.set_user_active(s, admin, r.retired, active=False)
    r.document = document_on(db, people, r.case, status="approved")
    with db.write() as s:
        role, name = docs.required_signers_for(s, people.volunteer, r.document)[0]
        r.signature = docs.add_signature(s, people.volunteer, r.document, signer_role=role, signer_name=name,
                                         image_png=png())
        version = s.scalars(select(DocumentVersion).where(DocumentVersion.document_id == r.document)).one()
        r.version = version.id
    return r


@pytest.fixture(scope="module", params=backends())
def world(request: pytest.FixtureRequest, sqlite_template: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("access") / "mediation.sqlite3"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
    else:
        db = _pg_database()
    first = FirstDesk(db)
    two = make_two_desks(db, first)
    # Desk 2 gets its records first: each desk's ids then differ, and a lookup that matched
    # the wrong row would name the wrong desk.
    other = _furnish(db, two.other, first.admin, 2)
    own = _furnish(db, two.own, first.admin, 1)
    with db.write() as s:
        uid = accounts.create_user(s, first.admin, username="rollup", display_name="分局", role="officer",
                                   password=PASSWORD, desk_id=None, all_desks=True)
        uid_own = accounts.create_user(s, first.admin, username="rollup1", display_name="司法所", role="officer",
                                       password=PASSWORD, desk_id=own.desk, all_desks=True)
    yield World(db, own, other, first.admin, Actor(uid, "rollup", "分局", "officer", None, all_desks=True),
                Actor(uid_own, "rollup1", "司法所", "officer", own.desk, all_desks=True), uid)
    db.dispose()


# What a person is told for each kind of record they may not see (or that does not exist).
MISSING_WORDS = {
    Desk: "调解点不存在。",
    Case: "案件不存在或您无权查看。",
    CaseParty: "当事人不存在。",
    Party: "当事人不存在。",
    Attachment: "附件不存在。",
    Document: "文书不存在。",
    DocumentVersion: "文书不存在。",
    Signature: "签名不存在。",
    Consultation: "咨询记录不存在。",
    User: "账户不存在。",
}
KINDS = sorted(MISSING_WORDS, key=lambda m: m.__name__)
NO_SUCH_ID = 987_654_321


# ---------------------------------------------------------------- which desk a record belongs to


@pytest.mark.parametrize("model", KINDS, ids=lambda m: m.__name__)
def test_every_record_belongs_to_the_desk_of_its_case(world: World, model: type[Any]) -> None:
    with world.db.read() as s:
        for r in (world.own, world.other):
            obj = s.get(model, r.ids()[model])
            assert obj is not None
            assert access.desk_of(s, obj) == r.desk, f"{model.__name__} of desk {r.desk}"


def test_an_installation_wide_account_belongs_to_no_desk_and_a_model_without_a_rule_is_refused(
        world: World) -> None:
    with world.db.read() as s:
        account = s.get(User, world.installation_account)
        assert account is not None and access.desk_of(s, account) is None
        category = s.scalars(select(DisputeCategory).where(DisputeCategory.desk_id == world.own.desk)).first()
        assert category is not None
        with pytest.raises(TypeError):
            access.desk_of(s, category)


# ---------------------------------------------------------------- reading and changing


@pytest.mark.parametrize("model", KINDS, ids=lambda m: m.__name__)
def test_an_officer_gets_their_own_desks_record(world: World, model: type[Any]) -> None:
    officer = world.own.people.officer
    ident = world.own.ids()[model]
    with trial(world.db) as s:
        assert access.readable(s, officer, model, ident).id == ident
        assert access.visible(s, officer, model, ident).id == ident  # type: ignore[union-attr]
    if model in (Desk, User):
        return  # a desk's administrator changes those (below)
    with trial(world.db) as s:
        assert access.writable(s, officer, model, ident).id == ident


@pytest.mark.parametrize("model", KINDS, ids=lambda m: m.__name__)
def test_another_desks_record_is_reported_as_missing_in_the_words_of_its_kind(world: World,
                                                                               model: type[Any]) -> None:
    """Desk 2's record is not even confirmed to exist: the officer of desk 1 is told exactly
    what they would be told for an id no record has."""
    officer = world.own.people.officer
    words = MISSING_WORDS[model]
    for ident in (world.other.ids()[model], NO_SUCH_ID, None):
        with trial(world.db) as s:
            for load in (access.readable, access.writable):
                with pytest.raises(NotFound) as caught:
                    load(s, officer, model, ident)
                assert str(caught.value) == words, f"{load.__name__} {model.__name__} {ident}"
            with pytest.raises(NotFound) as caught:
                access.writable(s, officer, model, ident, denied="您只能修改本调解点的案件。")
            assert str(caught.value) == words
            assert access.visible(s, officer, model, ident) is None


@pytest.mark.parametrize("model", KINDS, ids=lambda m: m.__name__)
def test_a_roll_up_account_reads_every_desk_and_changes_none(world: World, model: type[Any]) -> None:
    rollup = world.rollup
    for r in (world.own, world.other):
        ident = r.ids()[model]
        with trial(world.db) as s:
            assert access.readable(s, rollup, model, ident).id == ident
            assert access.visible(s, rollup, model, ident).id == ident  # type: ignore[union-attr]
            with pytest.raises(PermissionDenied) as caught:
                access.writable(s, rollup, model, ident)
            assert str(caught.value) == "您只能修改本调解点的记录。"
            with pytest.raises(PermissionDenied) as caught:
                access.writable(s, rollup, model, ident, denied="您的账户只能查看，不能修改案件。")
            assert str(caught.value) == "您的账户只能查看，不能修改案件。"


@pytest.mark.parametrize("model", [Case, Attachment, Document, DocumentVersion, Signature], ids=lambda m: m.__name__)
def test_a_roll_up_account_of_a_desk_changes_that_desks_records_only(world: World, model: type[Any]) -> None:
    rollup = world.rollup_at_own
    with trial(world.db) as s:
        assert access.writable(s, rollup, model, world.own.ids()[model]).id == world.own.ids()[model]
        assert access.readable(s, rollup, model, world.other.ids()[model]).id == world.other.ids()[model]
        with pytest.raises(PermissionDenied) as caught:
            access.writable(s, rollup, model, world.other.ids()[model], denied="您只能修改本调解点的案件。")
        assert str(caught.value) == "您只能修改本调解点的案件。"


def test_the_installation_administrator_changes_every_desk_and_a_desk_administrator_only_theirs(
        world: World) -> None:
    admin, desk_admin = world.installation_admin, world.own.people.admin
    with trial(world.db) as s:
        for ident in (world.own.user, world.other.user, world.installation_account):
            assert access.writable(s, admin, User, ident).id == ident
        assert access.writable(s, admin, Desk, world.other.desk).id == world.other.desk
        assert access.writable(s, desk_admin, User, world.own.user).id == world.own.user
        assert access.writable(s, desk_admin, Desk, world.own.desk).id == world.own.desk
        # An account of no desk is not shown to a desk's administrator (as another desk's).
        for ident in (world.installation_account, world.other.user):
            with pytest.raises(NotFound) as caught:
                access.writable(s, desk_admin, User, ident, denied="您只能管理本调解点的账户。")
            assert str(caught.value) == "账户不存在。"
            assert access.visible(s, desk_admin, User, ident) is None


def test_a_record_of_a_kind_without_words_of_its_own_is_missing_as_a_record() -> None:
    assert str(access.missing(DisputeCategory)) == "记录不存在。"
    assert str(access.missing(StatReport)) == "报表不存在或您无权查看。"
    assert str(access.missing(Case)) == "案件不存在或您无权查看。"


# ---------------------------------------------------------------- a desk named by its id


def test_a_desk_picked_from_a_list_is_refused_in_the_words_the_service_gives(world: World) -> None:
    own, other = world.own.desk, world.other.desk
    officer = world.own.people.officer
    access.check_desk(officer, own, denied="不会用到")
    access.check_desk(officer, own, denied="不会用到", write=True)
    for write in (False, True):
        with pytest.raises(PermissionDenied) as caught:
            access.check_desk(officer, other, denied="您无权查看该调解点的报表。", write=write)
        assert str(caught.value) == "您无权查看该调解点的报表。"
    # A roll-up account looks at every desk's reports and files none.
    access.check_desk(world.rollup, other, denied="不会用到")
    with pytest.raises(PermissionDenied) as caught:
        access.check_desk(world.rollup, other, denied="您只能填报本调解点的报表。", write=True)
    assert str(caught.value) == "您只能填报本调解点的报表。"
    access.check_desk(world.rollup_at_own, own, denied="不会用到", write=True)


def test_check_read_and_check_write_name_the_kind_of_record(world: World) -> None:
    officer = world.own.people.officer
    with pytest.raises(NotFound) as caught:
        access.check_read(officer, world.other.desk, Consultation)
    assert str(caught.value) == "咨询记录不存在。"
    with pytest.raises(NotFound) as caught:
        access.check_write(officer, world.other.desk, Consultation, "您只能修改本调解点的咨询记录。")
    assert str(caught.value) == "咨询记录不存在。"
    with pytest.raises(PermissionDenied) as caught:
        access.check_write(world.rollup, world.other.desk, Consultation)
    assert str(caught.value) == "您只能修改本调解点的记录。"
    with pytest.raises(PermissionDenied) as caught:
        access.check_write(world.rollup, world.own.desk, Consultation, "您只能修改本调解点的咨询记录。")
    assert str(caught.value) == "您只能修改本调解点的咨询记录。"
    access.check_write(officer, world.own.desk, Consultation)


# ---------------------------------------------------------------- who may be named on a case


def test_only_an_active_account_of_the_cases_desk_is_named_on_it(world: World) -> None:
    own, other = world.own, world.other
    with world.db.read() as s:
        named = access.user_of_desk(s, own.user, own.desk)
        assert named is not None and named.id == own.user
        assert access.user_of_desk(s, own.user, other.desk) is None  # desk 1's volunteer on desk 2's case
        assert access.user_of_desk(s, other.user, own.desk) is None
        assert access.user_of_desk(s, own.retired, own.desk) is None  # deactivated
        assert access.user_of_desk(s, world.installation_account, own.desk) is None  # of no desk
        assert access.user_of_desk(s, NO_SUCH_ID, own.desk) is None
        assert access.user_of_desk(s, None, own.desk) is None


# ---------------------------------------------------------------- two PCs at once (PostgreSQL)


def _locked(db: Database, model: type[Any], ident: int) -> bool:
    """Whether another PC asking to change the row now would have to wait."""
    with db.engine.connect() as conn:
        try:
            conn.execute(select(model.__table__.c.id).where(model.__table__.c.id == ident).with_for_update(nowait=True))
        except DBAPIError as exc:
            code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
            assert code == "55P03", exc  # lock_not_available
            return True
        finally:
            conn.rollback()
    return False


@pytest.mark.parametrize("model", [Case, Consultation, Attachment],
                         ids=lambda m: m.__name__)
def test_a_record_loaded_to_be_changed_is_locked_until_the_change_ends_and_one_read_is_not(
        world: World, model: type[Any]) -> None:
    if world.db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite locks the whole database for a write)")
    officer = world.own.people.officer
    ident = world.own.ids()[model]
    with trial(world.db) as s:
        access.readable(s, officer, model, ident)
        access.writable(s, officer, model, ident)
        access.visible(s, officer, model, ident)
        assert not _locked(world.db, model, ident)
    with trial(world.db) as s:
        access.readable(s, officer, model, ident, for_update=True)
        assert _locked(world.db, model, ident)
    assert not _locked(world.db, model, ident)  # rolled back: free again
    with trial(world.db) as s:
        access.writable(s, officer, model, ident, for_update=True)
        assert _locked(world.db, model, ident)
