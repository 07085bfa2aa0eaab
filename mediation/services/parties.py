"""Parties: one way to check a party's particulars, and storing, finding and revealing them."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from mediation import validation, workflow
from mediation.db import require_write
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.models import Case, CaseParty, Party
from mediation.permissions import Actor, require
from mediation.services import access, audit
from mediation.statistics.rules import PARTY_TYPES
from mediation.validation import Collector
import contextlib

PERSON = "person"
ORG = "org"
PARTY_KINDS = (PERSON, ORG)
SEXES = ("男", "女")
"""Stored data, not words shown: never translated."""


@dataclass
class PartyInput:
    """One party as typed into the intake form (or read from an import file)."""

    role: str
    name: str
    kind: str = PERSON
    sex: str = ""
    ethnicity: str = ""
    birth_date: dt.date | None = None
    id_type: str = "resident_id"
    id_number: str = ""
    phone: str = ""
    address: str = ""
    occupation: str = ""
    legal_representative: str = ""
    represents: int | None = None
    """For agents and guardians: index (in the same list) of the party they act for."""
    existing_party_id: int | None = None
    """Reuse this stored party (its particulars are updated with what was typed)."""
    party_type: str = ""
    """本校学生 / 外校学生 / 教职工 / 社会人员 (statistics.rules.PARTY_TYPES); empty: not stated."""


def clean_party(p: PartyInput, v: Collector, *, today: dt.date) -> dict[str, Any]:
    """A party's particulars, checked and normalised, as they are stored.

    The one check for every way a party comes in: the intake form, an export file, a
    ledger row. Messages go to ``v`` under the party's own field names (pass
    ``collector.prefixed("parties.0")``); ``today`` is the desk's date, against which
    an ID number's birth date is checked. Returns kind, name, sex, ethnicity,
    birth_date, id_type, id_number, phone, address, occupation, legal_representative.
    """
    if p.role not in workflow.PARTY_ROLES:
        v.add("role", _("请选择当事人身份（申请人、被申请人、第三人、代理人或监护人）。"))
    if p.kind not in PARTY_KINDS:
        v.add("kind", _("请选择个人或单位。"))
    if p.party_type and p.party_type not in PARTY_TYPES:
        v.add("party_type", _("当事人类别请选择本校学生、外校学生、教职工或社会人员。"))
    person = p.kind != ORG
    name = v.check("name", validation.person_name if person else validation.org_name, p.name)
    sex = p.sex
    if sex and sex not in SEXES:
        v.add("sex", _("性别请选择“男”或“女”。"))
    id_type = p.id_type if person else "other"
    id_number: str | None = ""
    if not person:
        id_number = v.check("id_number", validation.text, p.id_number, max_len=40)
    elif p.id_type not in validation.ID_TYPES:
        v.add("id_type", _("请选择证件类型：居民身份证、护照、其他证件或无。"))
    elif (p.id_number or "").strip():
        # Optional at intake (a respondent's ID is often unknown yet); the agreement
        # checker requires it before an agreement can be approved.
        id_number = v.check("id_number", functools.partial(validation.id_document, p.id_type),
                            p.id_number, today=today)
    birth = p.birth_date
    if person and id_type == "resident_id" and id_number:
        # The ID number says when the person was born (and their sex).
        derived = validation.birth_date_from_resident_id(id_number, today=today)
        if birth is not None and birth != derived:
            v.add("birth_date", _("出生日期与身份证号码不一致（证件上为 {d}）。").format(d=derived.isoformat()))
        birth = derived
        if not sex:
            sex = validation.sex_from_resident_id(id_number, today=today)
    elif birth is not None:
        v.check("birth_date", validation.past_or_today, birth, today=today)
    return {
        "kind": p.kind,
        "name": name or "",
        "sex": sex,
        "ethnicity": v.check("ethnicity", validation.text, p.ethnicity, max_len=20) or "",
        "birth_date": birth,
        "id_type": id_type,
        "id_number": id_number or "",
        "phone": v.check("phone", validation.phone, p.phone, required=False) or "",
        "address": v.check("address", validation.text, p.address, max_len=200) or "",
        "occupation": v.check("occupation", validation.text, p.occupation, max_len=100) or "",
        "legal_representative": v.check("legal_representative", validation.text,
                                        p.legal_representative, max_len=50) or "",
    }


def store_parties(session: Session, actor: Actor, case: Case, data: list[PartyInput],
                  clean: list[dict[str, Any]]) -> None:
    links: list[CaseParty] = []
    touched_parties: set[int] = set()
    for i, (p, c) in enumerate(zip(data, clean, strict=True)):
        party: Party | None = None
        if p.existing_party_id is not None:
            # Only a party of the case's own desk may be reused (and updated with what
            # was typed): another desk's party is not even confirmed to exist.
            party = session.get(Party, p.existing_party_id)
            if party is None or party.desk_id != case.desk_id or not actor.may_write_desk(party.desk_id):
                raise ValidationError(field=f"parties.{i}.existing_party_id",
                                      message=_("所选的已登记当事人不存在。"))
        values = dict(c, kind=p.kind, id_type=p.id_type if p.kind == "person" else "other")
        if party is None:
            party = Party(created_by_id=actor.user_id, desk_id=case.desk_id)
            session.add(party)
        else:
            # A stored party is shown with its ID number and phone masked (the boxes stay
            # empty), and a party offered as a match arrives with only a name: a blank
            # field keeps what is on record instead of erasing it.
            if not values["id_number"]:
                values["id_type"] = party.id_type
            values = {k: (v if v not in ("", None) else getattr(party, k)) for k, v in values.items()}
            if (party.name, party.phone) != (values["name"], values["phone"]):
                touched_parties.add(party.id)
        for key in PARTY_FIELDS:
            setattr(party, key, values[key])
        link = CaseParty(party=party, role=p.role, position=i, party_type=p.party_type or None)
        case.parties.append(link)
        links.append(link)
    session.flush()
    for p, link in zip(data, links, strict=True):
        if p.represents is not None and p.role in ("agent", "guardian"):
            link.represents_id = links[p.represents].id
    _refresh_party_summary(case)
    if touched_parties:
        # The same person on other cases: keep their list line and phone search true.
        # A plain UPDATE: this is derived data and must not bump the other cases'
        # version (someone editing one of them would get a false conflict).
        other_ids = session.scalars(
            select(CaseParty.case_id).where(CaseParty.party_id.in_(touched_parties),
                                            CaseParty.case_id != case.id).distinct()
        ).all()
        for other_id in other_ids:
            rows = session.execute(
                select(CaseParty.role, Party.name, Party.phone).join(Party, Party.id == CaseParty.party_id)
                .where(CaseParty.case_id == other_id).order_by(CaseParty.position, CaseParty.id)
            ).all()
            session.execute(
                update(Case).where(Case.id == other_id)
                .values(party_names=party_summary([(r, n) for r, n, _ph in rows])[:500],
                        party_phones=" ".join(ph for _r, _n, ph in rows if ph)[:500])
                .execution_options(synchronize_session=False)
            )


PARTY_FIELDS = ("kind", "name", "sex", "ethnicity", "birth_date", "id_type", "id_number", "phone",
                "address", "occupation", "legal_representative")


def _refresh_party_summary(case: Case) -> None:
    links = sorted(case.parties, key=lambda link: (link.position, link.id or 0))
    case.party_names = party_summary([(link.role, link.party.name) for link in links])[:500]
    case.party_phones = " ".join(link.party.phone for link in links if link.party.phone)[:500]


def party_summary(parties: list[tuple[str, str]]) -> str:
    """"张三、王五 / 李四": applicants (and third parties) against respondents."""
    left = [n for r, n in parties if r == "applicant"]
    right = [n for r, n in parties if r == "respondent"]
    third = [n for r, n in parties if r == "third"]
    text = "、".join(left)
    if right:
        text += " / " + "、".join(right)
    if third:
        text += "（" + "、".join(third) + "）"
    return text


def party_audit(data: list[PartyInput], clean: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The audit trail keeps who was on the case; ID numbers appear masked only.
    return [{"role": p.role, "name": c["name"], "id": validation.mask_id_number(c["id_number"]),
             "phone": validation.mask_phone(c["phone"])} for p, c in zip(data, clean, strict=True)]


def reveal_id_number(session: Session, actor: Actor, party_id: int, *, purpose: str = "") -> str:
    """The full ID number, for those allowed; the viewing itself is audited."""
    require_write(session)
    require(actor, "party.view_id")
    party = access.readable(session, actor, Party, party_id)
    audit.append(session, desk_id=party.desk_id, user_id=actor.user_id, action="party.view_id", entity="party",
                 entity_id=party.id, after={"purpose": purpose[:200]})
    return party.id_number


@dataclass(frozen=True)
class PartyMatch:
    party_id: int
    name: str
    id_number_masked: str
    phone_masked: str
    case_count: int
    matched_on: str
    """id_number | phone."""


def find_existing_parties(session: Session, actor: Actor, *, id_number: str = "",
                          phone: str = "", desk_id: int | None = None) -> list[PartyMatch]:
    """Stored parties of the desk (``desk_id``, else the actor's own) with the same ID
    number or phone, to offer instead of a duplicate. Another desk's parties are never
    offered: a case reuses only a party of its own desk."""
    desk = desk_id if desk_id is not None else actor.desk_id
    if desk is None or not actor.may_write_desk(desk):
        return []
    conds = []
    idn = id_number.strip().upper()
    ph = phone.strip()
    if idn:
        conds.append(Party.id_number == idn)
    if ph:
        with contextlib.suppress(ValidationError):
            ph = validation.phone(ph)
        conds.append(Party.phone == ph)
    if not conds:
        return []
    counts = (select(CaseParty.party_id, func.count(func.distinct(CaseParty.case_id)).label("n"))
              .group_by(CaseParty.party_id).subquery())
    rows = session.execute(
        select(Party, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.party_id == Party.id)
        .where(Party.desk_id == desk, or_(*conds)).order_by(Party.id).limit(20)
    ).all()
    return [PartyMatch(p.id, p.name, validation.mask_id_number(p.id_number),
                       validation.mask_phone(p.phone), int(n),
                       "id_number" if idn and p.id_number == idn else "phone") for p, n in rows]
