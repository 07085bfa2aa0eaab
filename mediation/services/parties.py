"""Parties: one way to check a party's particulars, and storing, finding and revealing them."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from mediation import validation, workflow
from mediation.i18n import _
from mediation.validation import Collector

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
