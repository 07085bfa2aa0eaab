"""The data a form is filled from: a plain, typed description of one case.

``DocumentContext`` is built from the database by ``documents/context.py`` (or by hand
in tests). Templates see its fields and properties by name — ``{{ agreement_number }}``,
``{% for p in parties %}{{ p.name }}{% endfor %}`` — and nothing else: the template
checker in :mod:`mediation.documents.sandbox` derives the list of allowed names from the
dataclasses below, so adding a field here makes it available to every template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from mediation import workflow
from mediation.documents.numerals import cn_number, format_amount


class PartyRole(StrEnum):
    """How a person takes part in the case (the roles of :mod:`mediation.workflow`)."""

    APPLICANT = workflow.APPLICANT
    RESPONDENT = workflow.RESPONDENT
    THIRD = workflow.THIRD  # 第三人
    AGENT = workflow.AGENT  # 委托代理人
    GUARDIAN = workflow.GUARDIAN  # 法定代理人 / 监护人

    @property
    def label(self) -> str:
        """The role as the paper forms print it."""
        return workflow.PRINTED_ROLE_LABELS[self.value]


class PartyKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class Party:
    """One party (or an agent/guardian) as printed on a form.

    For an organisation ``name`` is the organisation's name, ``id_number`` its unified
    social credit code, and ``legal_representative`` the person who signs.
    ``represents`` names the party an agent or guardian acts for.
    """

    name: str
    role: PartyRole = PartyRole.APPLICANT
    kind: PartyKind = PartyKind.PERSON
    sex: str = ""
    ethnicity: str = ""
    birth_date: dt.date | None = None
    age: int | None = None
    occupation: str = ""
    employer: str = ""
    address: str = ""
    phone: str = ""
    id_number: str = ""
    id_missing_reason: str = ""
    legal_representative: str = ""
    legal_representative_title: str = ""
    represents: str = ""

    @property
    def role_label(self) -> str:
        return self.role.label

    @property
    def is_person(self) -> bool:
        return self.kind == PartyKind.PERSON

    @property
    def is_principal(self) -> bool:
        return self.role.value in workflow.PRINCIPAL_ROLES

    def age_on(self, day: dt.date | None) -> int | None:
        """Age in whole years on ``day`` (from the birth date if known, else ``age``)."""
        if self.birth_date is None or day is None:
            return self.age
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def birth_text(self) -> str:
        """ "2003年5月1日出生" or "21岁" or "" — whichever the record has."""
        if self.birth_date is not None:
            d = self.birth_date
            return f"{d.year}年{d.month}月{d.day}日出生"
        if self.age is not None:
            return f"{self.age}岁"
        return ""

    @property
    def birth_or_age(self) -> str:
        """ "2003年5月1日" or "21岁" (for a table cell captioned 出生日期（年龄）)."""
        if self.birth_date is not None:
            d = self.birth_date
            return f"{d.year}年{d.month}月{d.day}日"
        return f"{self.age}岁" if self.age is not None else ""

    @property
    def work_text(self) -> str:
        """Occupation and employer as one phrase (职业或工作单位)."""
        return "，".join(x for x in (self.employer, self.occupation) if x)

    @property
    def id_text(self) -> str:
        """The ID number, or why there is none."""
        return self.id_number or self.id_missing_reason

    @property
    def particulars(self) -> str:
        """The particulars line the MoJ forms print after the name."""
        if self.is_person:
            bits = [self.sex, self.ethnicity, self.birth_text, self.work_text]
            if self.address:
                bits.append(f"住{self.address}")
            if self.phone:
                bits.append(f"联系电话{self.phone}")
            if self.id_number:
                bits.append(f"身份证号码{self.id_number}")
            elif self.id_missing_reason:
                bits.append(f"无身份证号码（{self.id_missing_reason}）")
        else:
            bits = []
            if self.address:
                bits.append(f"住所地{self.address}")
            if self.legal_representative:
                title = self.legal_representative_title or "法定代表人"
                bits.append(f"{title}{self.legal_representative}")
            if self.id_number:
                bits.append(f"统一社会信用代码{self.id_number}")
            if self.phone:
                bits.append(f"联系电话{self.phone}")
        return "，".join(b for b in bits if b)


@dataclass(frozen=True)
class Amount:
    """A sum of money named in the document (compensation, refund, deposit...)."""

    label: str
    value: Decimal

    @property
    def text(self) -> str:
        """人民币贰仟伍佰元整（¥2,500.00）"""
        return format_amount(self.value)


@dataclass(frozen=True)
class Statement:
    """One person's words in a session record."""

    speaker: str
    text: str


@dataclass(frozen=True)
class SessionRecord:
    """One mediation session (调解记录)."""

    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    place: str = ""
    mediators: list[str] = field(default_factory=list)
    recorder: str = ""
    attendees: list[str] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    summary: str = ""
    result: str = ""


@dataclass(frozen=True)
class FollowUpRecord:
    """One follow-up visit or call (回访记录)."""

    date: dt.date | None = None
    visitor: str = ""
    visited: str = ""
    method: str = ""
    reason: str = ""
    performance: str = ""
    result: str = ""
    notes: str = ""


@dataclass(frozen=True)
class TocItem:
    """One line of a case file's table of contents (卷内目录)."""

    title: str
    date: dt.date | None = None
    pages: str = ""
    responsible: str = ""
    note: str = ""


@dataclass(frozen=True)
class DocumentContext:
    """Everything any form may print about one case.

    ``parties`` are the people named in *this* document; ``case_parties`` are the
    parties registered on the case (the checker compares the two). Dates left ``None``
    print as blanks to be filled in by hand.
    """

    # Who issues the document
    desk_name: str = ""
    committee_name: str = ""
    police_unit: str = ""
    # Numbers and classification
    case_number: str = ""
    agreement_number: str = ""
    track: str = "people"  # "people" (人民调解) or "police" (治安调解)
    category: str = ""
    source: str = ""
    dispute_title: str = ""  # e.g. "房屋租赁合同纠纷"
    # Dates
    registered_on: dt.date | None = None
    accepted_on: dt.date | None = None
    agreement_date: dt.date | None = None
    effective_date: dt.date | None = None
    closed_on: dt.date | None = None
    document_date: dt.date | None = None
    # People
    parties: list[Party] = field(default_factory=list)
    case_parties: list[Party] = field(default_factory=list)
    mediator: str = ""
    co_mediators: list[str] = field(default_factory=list)
    recorder: str = ""
    registrar: str = ""
    presiding_officer: str = ""
    witness: str = ""
    # The dispute
    facts: str = ""
    claims: str = ""
    disputed_matters: str = ""
    responsibilities: str = ""
    incident_time: dt.datetime | None = None
    incident_place: str = ""
    # The agreement
    terms: list[str] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    performance_manner: str = ""
    performance_place: str = ""
    performance_deadline: dt.date | None = None
    performance_status: str = ""
    copies: int | None = None
    session_place: str = ""
    session_time: dt.datetime | None = None
    # Records
    session_records: list[SessionRecord] = field(default_factory=list)
    follow_ups: list[FollowUpRecord] = field(default_factory=list)
    # Ending
    termination_reason: str = ""
    termination_routes: list[str] = field(default_factory=list)
    termination_date: dt.date | None = None
    referral_to: str = ""
    referral_reason: str = ""
    court: str = ""
    outcome: str = ""
    # Case file
    toc: list[TocItem] = field(default_factory=list)
    retention_period: str = ""
    archivist: str = ""
    archived_on: dt.date | None = None
    file_pages: int | None = None

    @property
    def principal_parties(self) -> list[Party]:
        """The parties to the dispute: applicants, respondents and third parties (not
        agents or guardians)."""
        return [p for p in self.parties if p.is_principal]

    @property
    def applicants(self) -> list[Party]:
        return [p for p in self.parties if p.role == PartyRole.APPLICANT]

    @property
    def respondents(self) -> list[Party]:
        return [p for p in self.parties if p.role == PartyRole.RESPONDENT]

    @property
    def representatives(self) -> list[Party]:
        """Agents and guardians."""
        return [p for p in self.parties if not p.is_principal]

    @property
    def party_names(self) -> str:
        """Principal parties' names joined with 、."""
        return "、".join(p.name for p in self.principal_parties)

    @property
    def required_copies(self) -> int:
        """Copies the rules ask for (:func:`mediation.workflow.required_copies`)."""
        return workflow.required_copies(self.track, len(self.principal_parties))

    @property
    def copies_count(self) -> int:
        """Copies printed on the form (as set on the case, else the rule)."""
        return self.copies if self.copies is not None else self.required_copies

    @property
    def copies_cn(self) -> str:
        """Copies in Chinese numerals for "一式三份"."""
        return cn_number(self.copies_count)

    @property
    def parties_word(self) -> str:
        """ "双方" for two parties, "各方" for more."""
        return "双方" if len(self.principal_parties) <= 2 else "各方"

    @property
    def all_mediators(self) -> list[str]:
        return [m for m in [self.mediator, *self.co_mediators] if m]

    @property
    def total_amount(self) -> Decimal:
        return sum((a.value for a in self.amounts), Decimal(0))

    @property
    def issue_date(self) -> dt.date | None:
        """The date printed at the foot of the form."""
        return self.document_date or self.agreement_date


@dataclass(frozen=True)
class CaseTypeLine:
    """Cases of one type a volunteer handled, described without names or numbers."""

    label: str
    count: int
    succeeded: int = 0

    @property
    def text(self) -> str:
        """ "合同/租房纠纷 3件（调解成功2件）"."""
        ok = f"（调解成功{self.succeeded}件）" if self.succeeded else ""
        return f"{self.label}纠纷 {self.count}件{ok}"


@dataclass(frozen=True)
class VolunteerContext:
    """Everything a volunteer's certificate may print (志愿服务记录证明, 课外实践表现报告).

    The forms whose ``subject`` is ``volunteer`` are filled from this instead of a case's
    :class:`DocumentContext`; hours are texts in hours with one decimal ("12.5").
    """

    # Who issues it
    desk_name: str = ""
    committee_name: str = ""
    certificate_number: str = ""
    issued_on: dt.date | None = None
    handler: str = ""
    """经办人: who kept the record and drafted the certificate."""
    adviser: str = ""
    """The faculty adviser who approved it."""
    # The volunteer
    name: str = ""
    sex: str = ""
    student_no: str = ""
    college: str = ""
    class_name: str = ""
    id_number: str = ""
    # The service
    term_name: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    duty_hours: str = ""
    case_hours: str = ""
    training_hours: str = ""
    total_hours: str = ""
    shifts_kept: int = 0
    cases_handled: int = 0
    sessions: int = 0
    investigations: int = 0
    consultations: int = 0
    documents_drafted: int = 0
    follow_ups: int = 0
    service_content: str = ""
    case_types: list[CaseTypeLine] = field(default_factory=list)
    evaluation: str = ""

    @property
    def issue_date(self) -> dt.date | None:
        return self.issued_on


FormContext = DocumentContext | VolunteerContext
"""What a form is filled from: a case's context, or a volunteer's."""
