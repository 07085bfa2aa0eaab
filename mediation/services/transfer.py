"""Export and import: the JSON exchange file and the Excel ledger (登记台账).

The JSON format is documented in ``docs/import-format.md``. In short: one object
with ``format``/``version``, then ``desks``, ``users``, ``settings``, ``holidays``,
``number_sequences``, ``consultations`` and ``cases`` (each case carrying its
parties, events, investigation and session records, follow-ups and attachments).
Records refer to desks by number prefix and to accounts by username, never by
database id, so a file moves between databases (SQLite → PostgreSQL too).

Import is all or nothing: every record is validated first (with the same
validators the services use), and only then written, in the caller's single
transaction. Errors name the record, e.g. ``cases[12].parties[0].id_number`` or,
for a ledger, ``台账 第15行 申请人电话``. Cases already present (same case number;
unnumbered cases: same desk, registration time and parties) are skipped.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from mediation import validation, workflow
from mediation.errors import MediationError, StorageError, ValidationError
from mediation.i18n import _
from mediation.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseParty,
    Consultation,
    Desk,
    Document,
    DocumentReview,
    DocumentVersion,
    FollowUp,
    HolidayDay,
    InvestigationRecord,
    NumberSequence,
    Party,
    SessionRecord,
    Setting,
    Signature,
    User,
)
from mediation.permissions import ADMIN, ROLES, Actor, require
from mediation.services import audit, numbering, reference
from mediation.services.case_records import MAX_ATTACHMENT_BYTES
from mediation.services.numbering import format_case_number
from mediation.services.parties import PartyInput, clean_party, party_summary
from mediation.timeutil import local_today, start_of_local_day, utcnow
from mediation.validation import Collector

FORMAT = "mediation-desk-export"
VERSION = 1
MAX_ERRORS = 200
"""Validation stops collecting after this many messages (the file is refused anyway)."""
UNUSABLE_PASSWORD = "!imported-without-password"
"""Stored for accounts imported without a password hash: no password matches it."""
# Bookkeeping settings that belong to one database, never carried across.
LOCAL_SETTINGS = frozenset({"calendar_version"})
_BATCH = 500


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    desks: int
    users: int
    cases: int
    consultations: int
    attachments: int
    password_hashes: bool


Progress = Callable[[int, int], None]
"""``progress(done, total)``: cases written so far, of how many."""


class ImportCancelled(MediationError):
    """Raised from a progress callback to abandon an import (nothing is kept)."""

    def __init__(self) -> None:
        super().__init__(_("导入已取消，没有写入任何数据。"))


@dataclass(frozen=True)
class ImportSummary:
    format: str
    """json | xlsx."""
    cases_imported: int
    cases_skipped: tuple[str, ...]
    """Where each skipped duplicate was and why, e.g. ``cases[3]（2025）X警校调字第004号``."""
    consultations_imported: int = 0
    consultations_skipped: int = 0
    desks_created: int = 0
    users_created: int = 0
    settings_applied: int = 0
    holidays_applied: int = 0
    case_ids: tuple[int, ...] = ()


# ---------------------------------------------------------------- value helpers


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
    return value.isoformat()


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _ref(value: Any) -> str | None:
    """References inside the file: any JSON string or integer, compared as text."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, str)):
        return str(value)
    return None


# ---------------------------------------------------------------- export


def _users_by_id(session: Session) -> dict[int, str]:
    return {i: n for i, n in session.execute(select(User.id, User.username))}


def _desks_by_id(session: Session) -> dict[int, str]:
    return {i: p for i, p in session.execute(select(Desk.id, Desk.number_prefix))}


def _case_json(case: Case, users: Mapping[int, str], desks: Mapping[int, str],
               children: Mapping[str, list[Any]]) -> dict[str, Any]:
    def u(uid: int | None) -> str | None:
        return users.get(uid) if uid is not None else None

    index = {link.id: i for i, link in enumerate(case.parties)}
    return {
        "ref": case.id,
        "desk": desks[case.desk_id],
        "number": case.number,
        "year": case.year,
        "seq": case.seq,
        "stage": case.stage,
        "track": case.track,
        "track_decided_by": u(case.track_decided_by_id),
        "category": case.category,
        "subcategory": case.subcategory,
        "source": case.source,
        "title": case.title,
        "party_names": case.party_names,
        "party_phones": case.party_phones,
        "facts": case.facts,
        "claims": case.claims,
        "amount": _money(case.amount),
        "people_involved": case.people_involved,
        "registered_at": _iso(case.registered_at),
        "registered_by": u(case.registered_by_id),
        "accepted_at": _iso(case.accepted_at),
        "accepted_by": u(case.accepted_by_id),
        "mediator": u(case.mediator_id),
        "deadline": _iso(case.deadline),
        "deadline_label": case.deadline_label,
        "result": case.result,
        "outcome_reason": case.outcome_reason,
        "referred_to": case.referred_to,
        "routes_suggested": case.routes_suggested,
        "police_exclusions_ack": case.police_exclusions_ack,
        "prevented_escalation": case.prevented_escalation,
        "agreement_kind": case.agreement_kind,
        "agreement_number": case.agreement_number,
        "agreement_terms": case.agreement_terms,
        "agreement_amount": _money(case.agreement_amount),
        "performance_manner": case.performance_manner,
        "performance_place": case.performance_place,
        "performance_deadline": _iso(case.performance_deadline),
        "agreement_reached_at": _iso(case.agreement_reached_at),
        "agreement_signed_at": _iso(case.agreement_signed_at),
        "performance_status": case.performance_status,
        "closed_at": _iso(case.closed_at),
        "closed_by": u(case.closed_by_id),
        "archived_at": _iso(case.archived_at),
        "retention_years": case.retention_years,
        "consultation": case.consultation_id,
        "created_at": _iso(case.created_at),
        "updated_at": _iso(case.updated_at),
        "version": case.version_id,
        "parties": [{
            "party_ref": link.party.id,
            "role": link.role,
            "position": link.position,
            "represents": index.get(link.represents_id) if link.represents_id else None,
            "kind": link.party.kind,
            "name": link.party.name,
            "sex": link.party.sex,
            "ethnicity": link.party.ethnicity,
            "birth_date": _iso(link.party.birth_date),
            "id_type": link.party.id_type,
            "id_number": link.party.id_number,
            "phone": link.party.phone,
            "address": link.party.address,
            "occupation": link.party.occupation,
            "legal_representative": link.party.legal_representative,
            "note": link.party.note,
            "created_by": u(link.party.created_by_id),
            "created_at": _iso(link.party.created_at),
            "updated_at": _iso(link.party.updated_at),
        } for link in case.parties],
        "events": [{
            "at": _iso(e.at), "user": u(e.user_id), "kind": e.kind, "stage_from": e.stage_from,
            "stage_to": e.stage_to, "summary": e.summary, "data": e.data,
        } for e in case.events],
        "investigations": [{
            "held_at": _iso(r.held_at), "place": r.place, "subject": r.subject,
            "content": r.content, "investigator": u(r.investigator_id),
            "created_at": _iso(r.created_at),
        } for r in children["investigations"]],
        "sessions": [{
            "held_at": _iso(r.held_at), "place": r.place, "attendees": r.attendees,
            "content": r.content, "result": r.result, "mediator": u(r.mediator_id),
            "recorder": u(r.recorder_id), "created_at": _iso(r.created_at),
        } for r in children["sessions"]],
        "follow_ups": [{
            "visited_at": _iso(r.visited_at), "method": r.method, "reason": r.reason,
            "result": r.result, "performance_status": r.performance_status,
            "user": u(r.user_id), "created_at": _iso(r.created_at),
        } for r in children["follow_ups"]],
        "attachments": [{
            "filename": r.filename, "mime_type": r.mime_type, "size": r.size,
            "sha256": r.sha256, "content_base64": base64.b64encode(r.content).decode("ascii"),
            "description": r.description, "added_by": u(r.added_by_id),
            "added_at": _iso(r.added_at),
        } for r in children["attachments"]],
        "documents": [_document_json(d, users, children, {link.party_id: link.party.id for link in case.parties})
                      for d in children["documents"]],
    }


DOCUMENT_STATUSES = ("draft", "submitted", "returned", "approved", "final")
VERSION_STATUSES = (*DOCUMENT_STATUSES, "superseded")
REVIEW_DECISIONS = ("approved", "returned", "viewed")


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _document_json(d: Document, users: Mapping[int, str], children: Mapping[str, list[Any]],
                   parties: Mapping[int, int]) -> dict[str, Any]:
    def u(uid: int | None) -> str | None:
        return users.get(uid) if uid is not None else None

    attachment_index = {a.id: i for i, a in enumerate(children["attachments"])}
    number_of = {v.id: v.number for v in d.versions}
    reviews = [r for r in children["reviews"] if r.document_id == d.id]
    signatures: dict[int, list[Signature]] = {}
    for sig in children["signatures"]:
        signatures.setdefault(sig.version_id, []).append(sig)
    return {
        "form": d.form, "title": d.title, "status": d.status,
        "current_version": number_of.get(d.current_version_id) if d.current_version_id else None,
        "created_by": u(d.created_by_id), "created_at": _iso(d.created_at),
        "updated_at": _iso(d.updated_at), "version": d.version_id,
        "versions": [{
            "number": v.number, "status": v.status, "content": v.content, "reason": v.reason,
            "created_by": u(v.created_by_id), "created_at": _iso(v.created_at),
            "submitted_at": _iso(v.submitted_at), "approved_by": u(v.approved_by_id),
            "approved_at": _iso(v.approved_at), "finalized_by": u(v.finalized_by_id),
            "finalized_at": _iso(v.finalized_at), "pdf_base64": _b64(v.pdf), "sha256": v.sha256,
            "verification_code": v.verification_code, "signed_on_paper": v.signed_on_paper,
            "scan_attachment": attachment_index.get(v.scan_attachment_id) if v.scan_attachment_id else None,
            "signatures": [{
                "signer_role": g.signer_role, "signer_name": g.signer_name,
                "party_ref": parties.get(g.party_id) if g.party_id is not None else None,
                "image_base64": _b64(g.image_png), "sha256": g.sha256,
                "captured_by": u(g.captured_by_id), "captured_at": _iso(g.captured_at),
            } for g in sorted(signatures.get(v.id, []), key=lambda g: g.id)],
        } for v in d.versions],
        "reviews": [{
            "version": number_of.get(r.version_id_reviewed), "reviewer": u(r.reviewer_id),
            "decision": r.decision, "comment": r.comment, "seen_text": r.seen_text, "at": _iso(r.at),
        } for r in sorted(reviews, key=lambda r: r.id)],
    }


def _iter_cases(session: Session, desk_ids: Collection[int] | None, users: Mapping[int, str],
                desks: Mapping[int, str]) -> Iterator[dict[str, Any]]:
    last = 0
    child_models: dict[str, Any] = {"investigations": InvestigationRecord, "sessions": SessionRecord,
                                    "follow_ups": FollowUp, "attachments": Attachment}
    while True:
        stmt = (select(Case).where(Case.id > last).order_by(Case.id).limit(_BATCH)
                .options(selectinload(Case.parties).selectinload(CaseParty.party),
                         selectinload(Case.events)))
        if desk_ids is not None:
            stmt = stmt.where(Case.desk_id.in_(desk_ids))
        batch = session.scalars(stmt).all()
        if not batch:
            return
        ids = [c.id for c in batch]
        grouped: dict[int, dict[str, list[Any]]] = {i: {k: [] for k in child_models} for i in ids}
        for key, model in child_models.items():
            for row in session.scalars(select(model).where(model.case_id.in_(ids)).order_by(model.id)):
                grouped[row.case_id][key].append(row)
        for i in ids:
            grouped[i].update(documents=[], reviews=[], signatures=[])
        doc_case: dict[int, int] = {}
        for d in session.scalars(select(Document).where(Document.case_id.in_(ids)).order_by(Document.id)
                                 .options(selectinload(Document.versions))):
            grouped[d.case_id]["documents"].append(d)
            doc_case[d.id] = d.case_id
        if doc_case:
            for r in session.scalars(select(DocumentReview).where(DocumentReview.document_id.in_(doc_case))):
                grouped[doc_case[r.document_id]]["reviews"].append(r)
            version_case = {v_id: doc_case[d_id] for v_id, d_id in session.execute(
                select(DocumentVersion.id, DocumentVersion.document_id)
                .where(DocumentVersion.document_id.in_(doc_case)))}
            for g in session.scalars(select(Signature).where(Signature.version_id.in_(version_case))):
                grouped[version_case[g.version_id]]["signatures"].append(g)
        for case in batch:
            yield _case_json(case, users, desks, grouped[case.id])
        last = ids[-1]
        session.expunge_all()


def _export_sections(session: Session, actor: Actor, *, password_hashes: bool
                     ) -> tuple[dict[str, Any], list[tuple[str, Iterable[dict[str, Any]]]], dict[str, int]]:
    users = _users_by_id(session)
    desks = _desks_by_id(session)
    everything = actor.role == ADMIN or actor.all_desks
    desk_ids: set[int] | None = None if everything else {actor.desk_id} if actor.desk_id else set()

    def visible(desk_id: int | None) -> bool:
        return desk_ids is None or desk_id is None or desk_id in desk_ids

    desk_rows = [{"prefix": d.number_prefix, "name": d.name, "committee_name": d.committee_name,
                  "active": d.active, "created_at": _iso(d.created_at)}
                 for d in session.scalars(select(Desk).order_by(Desk.id)) if visible(d.id)]
    user_rows = []
    for u in session.scalars(select(User).order_by(User.id)):
        if not (everything or u.desk_id in (desk_ids or set())):
            continue
        row: dict[str, Any] = {
            "username": u.username, "display_name": u.display_name, "role": u.role,
            "desk": desks.get(u.desk_id) if u.desk_id else None, "phone": u.phone,
            "student_no": u.student_no, "active": u.active, "valid_from": _iso(u.valid_from),
            "valid_until": _iso(u.valid_until), "all_desks": u.all_desks,
            "created_at": _iso(u.created_at), "password_changed_at": _iso(u.password_changed_at),
        }
        if password_hashes and u.password_hash.startswith("$argon2"):
            # (An account imported without a password has no hash worth carrying.)
            row["password_hash"] = u.password_hash
        user_rows.append(row)
    setting_rows = [{"desk": desks.get(s.desk_id) if s.desk_id else None, "key": s.key,
                     "value": s.value, "updated_at": _iso(s.updated_at)}
                    for s in session.scalars(select(Setting).order_by(Setting.id))
                    if s.key not in LOCAL_SETTINGS and visible(s.desk_id)]
    holiday_rows = [{"day": _iso(h.day), "kind": h.kind, "name": h.name, "source": h.source}
                    for h in session.scalars(select(HolidayDay).order_by(HolidayDay.day))]
    seq_rows = [{"desk": desks[n.desk_id], "year": n.year, "kind": n.kind, "last_value": n.last_value}
                for n in session.scalars(select(NumberSequence).order_by(
                    NumberSequence.desk_id, NumberSequence.year, NumberSequence.kind))
                if visible(n.desk_id)]
    cons_stmt = select(Consultation).order_by(Consultation.id)
    if desk_ids is not None:
        cons_stmt = cons_stmt.where(Consultation.desk_id.in_(desk_ids))
    consultation_rows = [{
        "ref": c.id, "desk": desks[c.desk_id], "asked_at": _iso(c.asked_at),
        "person_name": c.person_name, "phone": c.phone, "topic": c.topic, "category": c.category,
        "question": c.question, "answer": c.answer, "minutes": c.minutes,
        "answered_by": users.get(c.answered_by_id) if c.answered_by_id else None,
        "converted_case": c.converted_case_id, "created_at": _iso(c.created_at),
    } for c in session.scalars(cons_stmt)]
    counts = {"desks": len(desk_rows), "users": len(user_rows),
              "consultations": len(consultation_rows), "cases": 0, "attachments": 0}

    def cases() -> Iterator[dict[str, Any]]:
        for c in _iter_cases(session, desk_ids, users, desks):
            counts["cases"] += 1
            counts["attachments"] += len(c["attachments"])
            yield c

    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _iso(utcnow()),
        "exported_by": actor.username,
        "schema_revision": _schema_revision(session),
        "password_hashes": password_hashes,
    }
    sections: list[tuple[str, Iterable[dict[str, Any]]]] = [
        ("desks", desk_rows), ("users", user_rows), ("settings", setting_rows),
        ("holidays", holiday_rows), ("number_sequences", seq_rows),
        ("consultations", consultation_rows), ("cases", cases()),
    ]
    return header, sections, counts


def _schema_revision(session: Session) -> str | None:
    from sqlalchemy import text

    value = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(value) if value is not None else None


def _write_document(fh: IO[str], header: Mapping[str, Any],
                    sections: list[tuple[str, Iterable[dict[str, Any]]]]) -> None:
    """One JSON object; each record on its own line so diffs and greps stay readable."""
    fh.write("{\n")
    for key, value in header.items():
        fh.write(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    for n, (name, items) in enumerate(sections):
        fh.write(f"{json.dumps(name)}: [")
        first = True
        for item in items:
            fh.write("\n  " if first else ",\n  ")
            fh.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
            first = False
        fh.write("\n]" if not first else "]")
        fh.write(",\n" if n < len(sections) - 1 else "\n")
    fh.write("}\n")


def export(session: Session, actor: Actor, path: Path | str, *,
           password_hashes: bool = True) -> ExportSummary:
    """Write everything ``actor`` may see to ``path`` as JSON (atomically: temp file + rename).

    Password hashes (argon2, never passwords) are included only when an administrator
    exports and ``password_hashes`` is true, so a restore into a new database keeps
    every login; ``password_hashes=False`` leaves them out (imported accounts are then
    disabled until the administrator sets a password). When ``session`` is a write
    session the export is recorded in the audit log; otherwise call
    :func:`record_export` in a write transaction (see :func:`export_database`).
    """
    require(actor, "data.export")
    include_hashes = password_hashes and actor.role == ADMIN
    target = Path(path).expanduser()
    if target.is_dir():
        raise StorageError(_("“{path}”是一个文件夹，请给出要写入的文件名。").format(path=target))
    if not target.parent.exists():
        raise StorageError(_("目录不存在：{path}").format(path=target.parent))
    header, sections, counts = _export_sections(session, actor, password_hashes=include_hashes)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            _write_document(fh, header, sections)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    summary = ExportSummary(target, counts["desks"], counts["users"], counts["cases"],
                            counts["consultations"], counts["attachments"], include_hashes)
    if session.info.get("write"):
        record_export(session, actor, summary)
    return summary


def record_export(session: Session, actor: Actor, summary: ExportSummary) -> None:
    audit.append(session, user_id=actor.user_id, action="data.export", entity="database",
                 after={"file": summary.path.name, "cases": summary.cases,
                        "consultations": summary.consultations, "users": summary.users,
                        "password_hashes": summary.password_hashes})


def export_database(db: Any, actor: Actor, path: Path | str, *,
                    password_hashes: bool = True) -> ExportSummary:
    """Export from one consistent read transaction, then audit in a short write one."""
    with db.read() as session:
        summary = export(session, actor, path, password_hashes=password_hashes)
    with db.write() as session:
        record_export(session, actor, summary)
    return summary


# ---------------------------------------------------------------- validation machinery


class _Obj:
    """One JSON object being read, with its path for error messages."""

    def __init__(self, raw: Any, path: str, errors: Collector) -> None:
        self.errors = errors.prefixed(path)
        """Messages of this object, under its own field names."""
        self.path = self.errors.key("")
        """Where the object is in the file, e.g. ``cases[3].parties[0]``."""
        if not isinstance(raw, dict):
            errors.add(path or "file", _("应为一个 JSON 对象（{…}）。"))
            raw = {}
        self.raw: dict[str, Any] = raw

    def fail(self, name: str, message: str) -> None:
        self.errors.add(name, message)

    def string(self, name: str, default: str = "") -> str:
        """A text value as given (checked by the caller): ``default`` when missing or null."""
        value = self.raw.get(name)
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail(name, _("应为文字。"))
            return default
        return value

    def _raw_str(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(name, _("应为文字。"))
            return None
        return value

    def text(self, name: str, *, max_len: int = 200, required: bool = False) -> str:
        value = self._raw_str(name)
        if value is None:
            if required and self.raw.get(name) is None:
                self.fail(name, _("此项为必填项，请填写。"))
            return ""
        return self.errors.check(name, validation.text, value, required=required, max_len=max_len) or ""

    def opt_text(self, name: str, *, max_len: int = 200) -> str | None:
        """Text that may be null (null and "" stay distinct)."""
        value = self._raw_str(name)
        if value is None:
            return None
        cleaned = self.errors.check(name, validation.text, value, max_len=max_len)
        return cleaned if cleaned is not None else None

    def choice(self, name: str, allowed: Collection[str], *, nullable: bool = False,
               default: str | None = None) -> str | None:
        value = self.raw.get(name, default)
        if value is None:
            if not nullable:
                self.fail(name, _("此项为必填项，请填写。"))
            return None
        if not isinstance(value, str) or value not in allowed:
            self.fail(name, _("取值“{value}”无效，应为：{allowed}。").format(
                value=str(value)[:40], allowed="、".join(sorted(allowed))))
            return None
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, _("应为 true 或 false。"))
            return default
        return value

    def integer(self, name: str, *, lo: int | None = None, hi: int | None = None,
                nullable: bool = True, default: int | None = None) -> int | None:
        value = self.raw.get(name, default)
        if value is None:
            if not nullable:
                self.fail(name, _("此项为必填项，请填写。"))
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, _("应为整数。"))
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.fail(name, _("应在 {lo} 到 {hi} 之间。").format(lo=lo, hi=hi))
            return None
        return value

    def date(self, name: str, *, required: bool = False, past: bool = False) -> dt.date | None:
        value = self._raw_str(name)
        if value is None:
            if required:
                self.fail(name, _("此项为必填项，请填写。"))
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.fail(name, _("日期格式应为 YYYY-MM-DD。"))
            return None
        if past:
            self.errors.check(name, validation.past_or_today, day, today=local_today())
        return day

    def datetime(self, name: str, *, required: bool = False, past: bool = False) -> dt.datetime | None:
        value = self._raw_str(name)
        if value is None:
            if required:
                self.fail(name, _("此项为必填项，请填写。"))
            return None
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            self.fail(name, _("时间格式应为 ISO 8601，例如 2026-03-01T08:30:00+08:00。"))
            return None
        if when.tzinfo is None:
            self.fail(name, _("时间须带时区，例如 2026-03-01T08:30:00+08:00。"))
            return None
        when = when.astimezone(dt.timezone.utc)
        if past:
            self.errors.check(name, validation.past_moment, when)
        return when

    def money(self, name: str) -> Decimal | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(name, _("金额应写成文字，如 \"2500.00\"。"))
            return None
        result: Decimal | None = self.errors.check(name, validation.money, value)
        return result

    def objects(self, name: str, *, required: bool = False) -> list[_Obj]:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.fail(name, _("缺少此项。"))
            return []
        if not isinstance(value, list):
            self.fail(name, _("应为一个列表（[…]）。"))
            return []
        return [_Obj(item, f"{name}[{i}]", self.errors) for i, item in enumerate(value)]


@dataclass
class _Context:
    """What the validators need to know about the target database and the file."""

    desks: set[str]
    """Number prefixes known (target database + file)."""
    usernames: set[str]
    categories: set[str]
    sources: set[str]
    today: dt.date = field(default_factory=local_today)

    def user(self, obj: _Obj, name: str) -> str | None:
        value = obj.raw.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or value not in self.usernames:
            obj.fail(name, _("未知的账户“{u}”：文件的 users 中和本数据库中都没有。").format(u=str(value)[:50]))
            return None
        return value

    def desk(self, obj: _Obj, name: str = "desk", *, nullable: bool = False) -> str | None:
        value = obj.raw.get(name)
        if value is None:
            if not nullable:
                obj.fail(name, _("请注明调解点（编号前缀）。"))
            return None
        if not isinstance(value, str) or value not in self.desks:
            obj.fail(name, _("未知的调解点“{d}”：文件的 desks 中和本数据库中都没有。").format(d=str(value)[:30]))
            return None
        return value


_NUMBER = re.compile(r"^[(\[〔【]?\s*(\d{4})\s*[)\]〕】]?\s*(.+?)\s*第\s*0*(\d{1,6})\s*号$")


def parse_case_number(text: str) -> tuple[int, str, int] | None:
    """``（2026）X警校调字第012号`` → (2026, "X警校调字", 12); brackets may be ASCII or 〔〕."""
    m = _NUMBER.match(unicodedata.normalize("NFKC", text.strip()))
    if not m or int(m.group(3)) == 0:
        return None
    return int(m.group(1)), m.group(2), int(m.group(3))


# ---------------------------------------------------------------- record validators


def _clean_party(p: _Obj, ctx: _Context) -> dict[str, Any]:
    """A party of the file: read as typed values, then checked as the intake checks it."""
    birth_date = p.date("birth_date")
    typed = PartyInput(
        role=p.string("role"), name=p.string("name"), kind=p.string("kind", "person"),
        sex=p.string("sex"), ethnicity=p.string("ethnicity"), birth_date=birth_date,
        id_type=p.string("id_type", "resident_id"), id_number=p.string("id_number"),
        phone=p.string("phone"), address=p.string("address"), occupation=p.string("occupation"),
        legal_representative=p.string("legal_representative"))
    out = clean_party(typed, p.errors, today=ctx.today)
    out["role"] = typed.role
    out["note"] = p.text("note", max_len=20000)
    out["created_by"] = ctx.user(p, "created_by")
    out["created_at"] = p.datetime("created_at")
    out["updated_at"] = p.datetime("updated_at")
    return out


def _clean_case(c: _Obj, ctx: _Context) -> dict[str, Any]:
    out: dict[str, Any] = {"origin": c.path, "ref": _ref(c.raw.get("ref"))}
    out["desk"] = ctx.desk(c)
    number = c.opt_text("number", max_len=60)
    year = c.integer("year", lo=1949, hi=2999)
    seq = c.integer("seq", lo=1, hi=999999)
    if number:
        parsed = parse_case_number(number)
        if parsed is None:
            c.fail("number", _("案件编号格式不正确，应如（2026）X警校调字第012号。"))
        else:
            n_year, n_prefix, n_seq = parsed
            if out["desk"] and n_prefix != out["desk"]:
                c.fail("number", _("案件编号的前缀“{p}”与所属调解点“{d}”不符。").format(p=n_prefix, d=out["desk"]))
            if year is None:
                year = n_year
            if seq is None:
                seq = n_seq
            if (year, seq) != (n_year, n_seq):
                c.fail("number", _("案件编号与 year/seq 字段不一致。"))
    elif year is not None or seq is not None:
        c.fail("number", _("没有案件编号的案件不应有 year/seq。"))
    out.update(number=number or None, year=year, seq=seq)
    out["stage"] = c.choice("stage", workflow.STAGES)
    out["track"] = c.choice("track", workflow.TRACKS, nullable=True)
    out["track_decided_by"] = ctx.user(c, "track_decided_by")
    for name in ("category", "subcategory", "source"):
        out[name] = c.text(name, max_len=30)
    if out["category"] and out["category"] not in ctx.categories:
        c.fail("category", _("未知的纠纷类别“{c}”。").format(c=out["category"]))
    if out["source"] and out["source"] not in ctx.sources:
        c.fail("source", _("未知的纠纷来源“{s}”。").format(s=out["source"]))
    out["title"] = c.text("title", max_len=200)
    # Denormalised search columns: kept as exported (None: computed from the parties).
    out["party_names"] = c.opt_text("party_names", max_len=500)
    out["party_phones"] = c.opt_text("party_phones", max_len=500)
    out["facts"] = c.text("facts", max_len=20000, required=True)
    out["claims"] = c.text("claims", max_len=10000)
    out["amount"] = c.money("amount")
    out["registered_at"] = c.datetime("registered_at", required=True, past=True)
    out["registered_by"] = ctx.user(c, "registered_by")
    out["accepted_at"] = c.datetime("accepted_at", past=True)
    out["accepted_by"] = ctx.user(c, "accepted_by")
    out["mediator"] = ctx.user(c, "mediator")
    out["deadline"] = c.date("deadline")
    out["deadline_label"] = c.text("deadline_label", max_len=60)
    out["result"] = c.choice("result", workflow.RESULTS, nullable=True)
    out["outcome_reason"] = c.text("outcome_reason", max_len=20000)
    out["referred_to"] = c.text("referred_to", max_len=100)
    out["routes_suggested"] = c.text("routes_suggested", max_len=20000)
    ack = c.raw.get("police_exclusions_ack")
    if ack is not None and (not isinstance(ack, list)
                            or any(a not in workflow.POLICE_EXCLUSIONS for a in ack)):
        c.fail("police_exclusions_ack", _("应为治安调解排除情形代码的列表：{codes}。").format(
            codes="、".join(workflow.POLICE_EXCLUSIONS)))
        ack = None
    out["police_exclusions_ack"] = ack
    out["prevented_escalation"] = c.boolean("prevented_escalation")
    out["agreement_kind"] = c.choice("agreement_kind", workflow.AGREEMENT_KINDS, nullable=True)
    out["agreement_number"] = c.opt_text("agreement_number", max_len=60)
    out["agreement_terms"] = c.text("agreement_terms", max_len=20000)
    out["agreement_amount"] = c.money("agreement_amount")
    out["performance_manner"] = c.text("performance_manner", max_len=200)
    out["performance_place"] = c.text("performance_place", max_len=200)
    out["performance_deadline"] = c.date("performance_deadline")
    out["agreement_reached_at"] = c.datetime("agreement_reached_at", past=True)
    out["agreement_signed_at"] = c.datetime("agreement_signed_at", past=True)
    out["performance_status"] = c.choice("performance_status", workflow.PERFORMANCE, nullable=True)
    out["closed_at"] = c.datetime("closed_at", past=True)
    out["closed_by"] = ctx.user(c, "closed_by")
    out["archived_at"] = c.datetime("archived_at", past=True)
    out["retention_years"] = c.integer("retention_years", lo=1, hi=100)
    out["consultation"] = _ref(c.raw.get("consultation"))
    out["created_at"] = c.datetime("created_at")
    out["updated_at"] = c.datetime("updated_at")
    out["version"] = c.integer("version", lo=1, hi=2**31 - 1, default=1)
    out["people_involved"] = c.integer("people_involved", lo=0, hi=100000)

    parties = c.objects("parties", required=True)
    if not parties:
        c.fail("parties", _("请至少登记一名当事人。"))
    out["parties"] = []
    for i, p in enumerate(parties):
        clean = _clean_party(p, ctx)
        clean["party_ref"] = _ref(p.raw.get("party_ref"))
        clean["position"] = p.integer("position", lo=0, hi=10000, default=i)
        rep = p.integer("represents", lo=0, hi=len(parties) - 1)
        if rep is not None and rep == i:
            p.fail("represents", _("当事人不能代表自己。"))
        clean["represents"] = rep
        clean["origin"] = p.path
        out["parties"].append(clean)

    out["events"] = [{
        "at": e.datetime("at", required=True), "user": ctx.user(e, "user"),
        "kind": e.text("kind", max_len=30, required=True),
        "stage_from": e.choice("stage_from", workflow.STAGES, nullable=True),
        "stage_to": e.choice("stage_to", workflow.STAGES, nullable=True),
        "summary": e.text("summary", max_len=20000), "data": _json_dict(e, "data"),
    } for e in c.objects("events")]
    out["investigations"] = [{
        "held_at": r.datetime("held_at", required=True, past=True),
        "place": r.text("place", max_len=200), "subject": r.text("subject", max_len=200),
        "content": r.text("content", max_len=20000, required=True),
        "investigator": ctx.user(r, "investigator"), "created_at": r.datetime("created_at"),
    } for r in c.objects("investigations")]
    out["sessions"] = [{
        "held_at": r.datetime("held_at", required=True, past=True),
        "place": r.text("place", max_len=200), "attendees": r.text("attendees", max_len=2000),
        "content": r.text("content", max_len=20000, required=True),
        "result": r.choice("result", workflow.SESSION_RESULTS, default="continued"),
        "mediator": ctx.user(r, "mediator"), "recorder": ctx.user(r, "recorder"),
        "created_at": r.datetime("created_at"),
    } for r in c.objects("sessions")]
    out["follow_ups"] = [{
        "visited_at": r.datetime("visited_at", required=True, past=True),
        "method": r.choice("method", workflow.FOLLOW_UP_METHODS, default="phone"),
        "reason": r.text("reason", max_len=200),
        "result": r.text("result", max_len=5000, required=True),
        "performance_status": r.choice("performance_status", workflow.PERFORMANCE, default="pending"),
        "user": ctx.user(r, "user"), "created_at": r.datetime("created_at"),
    } for r in c.objects("follow_ups")]
    out["attachments"] = [_clean_attachment(r, ctx) for r in c.objects("attachments")]
    refs = {p["party_ref"] for p in out["parties"] if p["party_ref"] is not None}
    out["documents"] = [_clean_document(d, ctx, refs, len(out["attachments"]))
                        for d in c.objects("documents")]
    return out


def _binary(obj: _Obj, name: str, *, required: bool, limit: int = MAX_ATTACHMENT_BYTES) -> bytes | None:
    raw = obj.raw.get(name)
    if raw is None:
        if required:
            obj.fail(name, _("缺少此项。"))
        return None
    if not isinstance(raw, str):
        obj.fail(name, _("应为 base64 文字。"))
        return None
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        obj.fail(name, _("不是有效的 base64。"))
        return None
    if len(data) > limit:
        obj.fail(name, _("内容超过 50 MB。"))
    return data


def _clean_document(d: _Obj, ctx: _Context, party_refs: set[str], attachments: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "form": d.text("form", max_len=40, required=True),
        "title": d.text("title", max_len=100, required=True),
        "status": d.choice("status", DOCUMENT_STATUSES, default="draft"),
        "current_version": d.integer("current_version", lo=1),
        "created_by": ctx.user(d, "created_by"), "created_at": d.datetime("created_at"),
        "updated_at": d.datetime("updated_at"), "version": d.integer("version", lo=1, default=1),
    }
    numbers: set[int] = set()
    out["versions"] = []
    for v in d.objects("versions", required=True):
        number = v.integer("number", lo=1, nullable=False)
        if number is not None:
            if number in numbers:
                v.fail("number", _("版本号重复。"))
            numbers.add(number)
        content = v.raw.get("content")
        if not isinstance(content, dict):
            v.fail("content", _("应为一个 JSON 对象。"))
            content = {}
        pdf = _binary(v, "pdf_base64", required=False)
        sha = v.opt_text("sha256", max_len=64)
        if pdf is not None and sha is not None and hashlib.sha256(pdf).hexdigest() != sha:
            v.fail("pdf_base64", _("定稿 PDF 与其 SHA-256 不符（文件可能已损坏或被改动）。"))
        scan = v.integer("scan_attachment", lo=0, hi=max(attachments - 1, 0))
        if scan is not None and attachments == 0:
            v.fail("scan_attachment", _("该案件没有附件。"))
        signatures = []
        for g in v.objects("signatures"):
            image = _binary(g, "image_base64", required=True) or b""
            g_sha = g.opt_text("sha256", max_len=64)
            if g_sha is not None and hashlib.sha256(image).hexdigest() != g_sha:
                g.fail("image_base64", _("签名图像与其 SHA-256 不符。"))
            party_ref = _ref(g.raw.get("party_ref"))
            if party_ref is not None and party_ref not in party_refs:
                g.fail("party_ref", _("签名人不是本案当事人（party_ref 不在 parties 中）。"))
            signatures.append({
                "signer_role": g.text("signer_role", max_len=20, required=True),
                "signer_name": g.text("signer_name", max_len=100, required=True),
                "party_ref": party_ref, "image": image, "sha256": hashlib.sha256(image).hexdigest(),
                "captured_by": ctx.user(g, "captured_by"), "captured_at": g.datetime("captured_at"),
            })
        out["versions"].append({
            "number": number, "status": v.choice("status", VERSION_STATUSES, default="draft"),
            "content": content, "reason": v.text("reason", max_len=20000),
            "created_by": ctx.user(v, "created_by"), "created_at": v.datetime("created_at"),
            "submitted_at": v.datetime("submitted_at"), "approved_by": ctx.user(v, "approved_by"),
            "approved_at": v.datetime("approved_at"), "finalized_by": ctx.user(v, "finalized_by"),
            "finalized_at": v.datetime("finalized_at"), "pdf": pdf, "sha256": sha,
            "verification_code": v.opt_text("verification_code", max_len=20),
            "signed_on_paper": v.boolean("signed_on_paper"), "scan_attachment": scan,
            "signatures": signatures,
        })
    if out["current_version"] is not None and out["current_version"] not in numbers:
        d.fail("current_version", _("没有这个版本号。"))
    out["reviews"] = []
    for r in d.objects("reviews"):
        version = r.integer("version", lo=1, nullable=False)
        if version is not None and version not in numbers:
            r.fail("version", _("没有这个版本号。"))
        if r.raw.get("reviewer") is None:
            r.fail("reviewer", _("此项为必填项，请填写。"))
        reviewer = ctx.user(r, "reviewer")
        out["reviews"].append({
            "version": version, "reviewer": reviewer,
            "decision": r.choice("decision", REVIEW_DECISIONS),
            "comment": r.text("comment", max_len=20000), "seen_text": r.text("seen_text", max_len=200000),
            "at": r.datetime("at", required=True),
        })
    return out


def _json_dict(obj: _Obj, name: str) -> dict[str, Any] | None:
    value = obj.raw.get(name)
    if value is not None and not isinstance(value, dict):
        obj.fail(name, _("应为一个 JSON 对象或 null。"))
        return None
    return value


def _clean_attachment(r: _Obj, ctx: _Context) -> dict[str, Any]:
    out: dict[str, Any] = {
        "filename": r.text("filename", max_len=255, required=True),
        "mime_type": r.text("mime_type", max_len=100) or "application/octet-stream",
        "description": r.text("description", max_len=200),
        "added_by": ctx.user(r, "added_by"), "added_at": r.datetime("added_at"),
    }
    raw = r.raw.get("content_base64")
    content = b""
    if not isinstance(raw, str):
        r.fail("content_base64", _("缺少附件内容（base64）。"))
    else:
        try:
            content = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            r.fail("content_base64", _("附件内容不是有效的 base64。"))
    if len(content) > MAX_ATTACHMENT_BYTES:
        r.fail("content_base64", _("附件不能超过 50 MB。"))
    digest = hashlib.sha256(content).hexdigest()
    sha = r.raw.get("sha256")
    if sha is not None and sha != digest:
        r.fail("sha256", _("附件内容与其 SHA-256 不符（文件可能已损坏或被改动）。"))
    size = r.raw.get("size")
    if size is not None and size != len(content):
        r.fail("size", _("附件大小与内容不符。"))
    out.update(content=content, sha256=digest, size=len(content))
    return out


def _clean_consultation(c: _Obj, ctx: _Context) -> dict[str, Any]:
    out: dict[str, Any] = {"origin": c.path, "ref": _ref(c.raw.get("ref"))}
    out["desk"] = ctx.desk(c)
    out["asked_at"] = c.datetime("asked_at", required=True, past=True)
    out["person_name"] = c.errors.check("person_name", validation.person_name, c.string("person_name"),
                                        required=False) or ""
    out["phone"] = c.errors.check("phone", validation.phone, c.string("phone"), required=False) or ""
    out["topic"] = c.text("topic", max_len=200, required=True)
    out["category"] = c.text("category", max_len=30)
    if out["category"] and out["category"] not in ctx.categories:
        c.fail("category", _("未知的纠纷类别“{c}”。").format(c=out["category"]))
    out["question"] = c.text("question", max_len=10000)
    out["answer"] = c.text("answer", max_len=10000, required=True)
    out["minutes"] = c.integer("minutes", lo=0, hi=600, default=0)
    out["answered_by"] = ctx.user(c, "answered_by")
    out["converted_case"] = _ref(c.raw.get("converted_case"))
    out["created_at"] = c.datetime("created_at")
    return out


def _clean_user(u: _Obj) -> dict[str, Any]:
    out: dict[str, Any] = {"origin": u.path}
    username = u.text("username", max_len=50, required=True)
    if username and any(ch.isspace() for ch in username):
        u.fail("username", _("用户名不能含空格。"))
    out["username"] = username
    out["display_name"] = u.text("display_name", max_len=50, required=True)
    out["role"] = u.choice("role", ROLES)
    out["desk"] = u.raw.get("desk")
    out["phone"] = u.text("phone", max_len=30)
    out["student_no"] = u.text("student_no", max_len=30)
    out["active"] = u.boolean("active", True)
    out["valid_from"] = u.date("valid_from")
    out["valid_until"] = u.date("valid_until")
    out["all_desks"] = u.boolean("all_desks")
    out["created_at"] = u.datetime("created_at")
    out["password_changed_at"] = u.datetime("password_changed_at")
    h = u.raw.get("password_hash")
    if h is not None and (not isinstance(h, str) or not h.startswith("$argon2") or len(h) > 200):
        u.fail("password_hash", _("密码哈希应为 argon2 格式（以 $argon2 开头）。"))
        h = None
    out["password_hash"] = h
    return out


# ---------------------------------------------------------------- writing


class _Writer:
    """Writes validated records in the caller's transaction, mapping file refs to ids."""

    def __init__(self, session: Session, actor: Actor | None, fmt: str, origin_name: str) -> None:
        self.s = session
        self.actor = actor
        self.actor_id = actor.user_id if actor else None
        self.fmt = fmt
        self.origin_name = origin_name
        self.desk_ids: dict[str, int] = {p: i for i, p in _desks_by_id(session).items()}
        self.user_ids: dict[str, int] = {n: i for i, n in _users_by_id(session).items()}
        self.parties: dict[str, tuple[Party, dict[str, Any]]] = {}
        self.case_ids: dict[str, int] = {}
        self.consultation_ids: dict[str, int] = {}
        self.versions: list[tuple[int, int, dt.datetime | None]] = []
        self.max_seq: dict[tuple[int, int, str], int] = {}
        self.imported: list[int] = []
        self.skipped: list[str] = []

    def uid(self, username: str | None) -> int | None:
        return self.user_ids.get(username) if username else None

    # -- reference data

    def desks(self, rows: list[dict[str, Any]]) -> int:
        from mediation.services import setup

        created = 0
        for d in rows:
            if d["prefix"] in self.desk_ids:
                continue
            desk_id = setup.create_desk(self.s, None, name=d["name"], number_prefix=d["prefix"],
                                        committee_name=d["committee_name"])
            desk = self.s.get(Desk, desk_id)
            assert desk is not None
            desk.active = d["active"]
            if d["created_at"] is not None:
                desk.created_at = d["created_at"]
            self.desk_ids[d["prefix"]] = desk_id
            created += 1
        return created

    def users(self, rows: list[dict[str, Any]]) -> int:
        created = 0
        for u in rows:
            if u["username"] in self.user_ids:
                continue
            has_hash = u["password_hash"] is not None
            user = User(
                username=u["username"], display_name=u["display_name"], role=u["role"],
                desk_id=self.desk_ids.get(u["desk"]) if u["desk"] else None,
                password_hash=u["password_hash"] or UNUSABLE_PASSWORD, phone=u["phone"],
                student_no=u["student_no"], active=u["active"] and has_hash,
                valid_from=u["valid_from"], valid_until=u["valid_until"], all_desks=u["all_desks"],
                password_changed_at=u["password_changed_at"],
            )
            if u["created_at"] is not None:
                user.created_at = u["created_at"]
            self.s.add(user)
            self.s.flush()
            self.user_ids[user.username] = user.id
            audit.append(self.s, user_id=self.actor_id, action="user.create", entity="user",
                         entity_id=user.id,
                         after={"username": user.username, "role": user.role, "desk_id": user.desk_id,
                                "imported": True, "password": "kept" if has_hash else "unusable",
                                "active": user.active})
            created += 1
        return created

    def settings(self, rows: list[dict[str, Any]]) -> int:
        applied = 0
        for row in rows:
            desk_id = self.desk_ids.get(row["desk"]) if row["desk"] else None
            current = self.s.scalar(select(Setting).where(
                Setting.key == row["key"],
                Setting.desk_id.is_(None) if desk_id is None else Setting.desk_id == desk_id))
            if current is not None and current.value == row["value"]:
                continue
            reference.set_setting(self.s, self.actor, row["key"], row["value"], desk_id)
            if row["updated_at"] is not None:
                stored = self.s.scalar(select(Setting).where(
                    Setting.key == row["key"],
                    Setting.desk_id.is_(None) if desk_id is None else Setting.desk_id == desk_id))
                assert stored is not None
                self.s.flush()
                self.s.execute(update(Setting.__table__).where(Setting.__table__.c.id == stored.id)
                               .values(updated_at=row["updated_at"]))
                self.s.expire(stored)
            applied += 1
        return applied

    def holidays(self, rows: list[dict[str, Any]]) -> int:
        applied = 0
        for h in rows:
            day = self.s.get(HolidayDay, h["day"])
            if day is not None and (day.kind, day.name, day.source) == (h["kind"], h["name"], h["source"]):
                continue
            if day is None:
                self.s.add(HolidayDay(day=h["day"], kind=h["kind"], name=h["name"], source=h["source"]))
            else:
                day.kind, day.name, day.source = h["kind"], h["name"], h["source"]
            applied += 1
        if applied:
            self.s.flush()
            stamp = reference.get_setting(self.s, "calendar_version")
            reference.set_setting(self.s, self.actor, "calendar_version",
                                  stamp + 1 if isinstance(stamp, int) else 1)
            audit.append(self.s, user_id=self.actor_id, action="calendar.import", entity="holiday_day",
                         after={"days": applied, "file": self.origin_name})
        return applied

    def sequences(self, rows: list[dict[str, Any]]) -> None:
        for n in rows:
            key = (self.desk_ids[n["desk"]], n["year"], n["kind"])
            self.max_seq[key] = max(self.max_seq.get(key, 0), n["last_value"])

    # -- consultations and cases

    def consultations(self, rows: list[dict[str, Any]]) -> tuple[int, int]:
        done = skipped = 0
        for c in rows:
            desk_id = self.desk_ids[c["desk"]]
            existing = self.s.scalar(select(Consultation.id).where(
                Consultation.desk_id == desk_id, Consultation.asked_at == c["asked_at"],
                Consultation.topic == c["topic"], Consultation.person_name == c["person_name"]))
            if existing is not None:
                if c["ref"] is not None:
                    self.consultation_ids[c["ref"]] = existing
                skipped += 1
                continue
            row = Consultation(
                desk_id=desk_id, asked_at=c["asked_at"], person_name=c["person_name"],
                phone=c["phone"], topic=c["topic"], category=c["category"], question=c["question"],
                answer=c["answer"], minutes=c["minutes"], answered_by_id=self.uid(c["answered_by"]))
            if c["created_at"] is not None:
                row.created_at = c["created_at"]
            self.s.add(row)
            self.s.flush()
            if c["ref"] is not None:
                self.consultation_ids[c["ref"]] = row.id
            audit.append(self.s, user_id=self.actor_id, action="consultation.import",
                         entity="consultation", entity_id=row.id,
                         after={"topic": row.topic, "format": self.fmt, "origin": c["origin"]})
            done += 1
        return done, skipped

    def link_consultations(self, rows: list[dict[str, Any]]) -> None:
        for c in rows:
            if c["ref"] is None or c["converted_case"] is None:
                continue
            cons_id = self.consultation_ids.get(c["ref"])
            case_id = self.case_ids.get(c["converted_case"])
            if cons_id is None or case_id is None:
                continue
            row = self.s.get(Consultation, cons_id)
            if row is not None and row.converted_case_id is None:
                row.converted_case_id = case_id

    def case(self, c: dict[str, Any], *, origin_label: str) -> None:
        desk_id = self.desk_ids[c["desk"]]
        dup = _duplicate_of(self.s, c, desk_id)
        if dup is not None:
            if c["ref"] is not None:
                self.case_ids[c["ref"]] = dup
            self.skipped.append(f"{origin_label} {c['number'] or ''}".strip())
            return
        case = Case(desk_id=desk_id)
        for name in ("number", "year", "seq", "stage", "track", "category", "subcategory", "source",
                     "title", "facts", "claims", "amount", "registered_at", "accepted_at", "deadline",
                     "deadline_label", "result", "outcome_reason", "referred_to", "routes_suggested",
                     "police_exclusions_ack", "prevented_escalation", "agreement_kind",
                     "agreement_number", "agreement_terms", "agreement_amount", "performance_manner",
                     "performance_place", "performance_deadline", "agreement_reached_at",
                     "agreement_signed_at", "performance_status", "closed_at", "archived_at",
                     "retention_years"):
            setattr(case, name, c[name])
        for name in ("track_decided_by", "registered_by", "accepted_by", "closed_by"):
            setattr(case, f"{name}_id", self.uid(c[name]))
        case.mediator_id = self.uid(c["mediator"])
        case.consultation_id = self.consultation_ids.get(c["consultation"]) if c["consultation"] else None
        case.people_involved = (c["people_involved"] if c["people_involved"] is not None
                                else len(c["parties"]))
        case.party_names = c["party_names"] if c["party_names"] is not None else _summary(c["parties"])
        case.party_phones = (c["party_phones"] if c["party_phones"] is not None
                             else " ".join(p["phone"] for p in c["parties"] if p["phone"])[:500])
        now = utcnow()
        case.created_at = c["created_at"] or now
        case.updated_at = c["updated_at"] or now
        links: list[CaseParty] = []
        for p in c["parties"]:
            party = self._party(p)
            link = CaseParty(party=party, role=p["role"], position=p["position"])
            case.parties.append(link)
            links.append(link)
        for e in c["events"]:
            case.events.append(CaseEvent(at=e["at"], user_id=self.uid(e["user"]), kind=e["kind"],
                                         stage_from=e["stage_from"], stage_to=e["stage_to"],
                                         summary=e["summary"], data=e["data"]))
        self.s.add(case)
        self.s.flush()
        for p, link in zip(c["parties"], links):
            if p["represents"] is not None:
                link.represents_id = links[p["represents"]].id
        for r in c["investigations"]:
            self.s.add(InvestigationRecord(
                case_id=case.id, held_at=r["held_at"], place=r["place"], subject=r["subject"],
                content=r["content"], investigator_id=self.uid(r["investigator"]),
                **_created(r["created_at"])))
        for r in c["sessions"]:
            self.s.add(SessionRecord(
                case_id=case.id, held_at=r["held_at"], place=r["place"], attendees=r["attendees"],
                content=r["content"], result=r["result"], mediator_id=self.uid(r["mediator"]),
                recorder_id=self.uid(r["recorder"]), **_created(r["created_at"])))
        for r in c["follow_ups"]:
            self.s.add(FollowUp(
                case_id=case.id, visited_at=r["visited_at"], method=r["method"], reason=r["reason"],
                result=r["result"], performance_status=r["performance_status"],
                user_id=self.uid(r["user"]), **_created(r["created_at"])))
        attachments: list[Attachment] = []
        for r in c["attachments"]:
            att = Attachment(case_id=case.id, filename=r["filename"], mime_type=r["mime_type"],
                             size=r["size"], sha256=r["sha256"], content=r["content"],
                             description=r["description"], added_by_id=self.uid(r["added_by"]))
            if r["added_at"] is not None:
                att.added_at = r["added_at"]
            self.s.add(att)
            attachments.append(att)
        self.s.flush()
        party_ids = {p["party_ref"]: link.party_id for p, link in zip(c["parties"], links)
                     if p["party_ref"] is not None}
        for d in c["documents"]:
            self._document(case.id, d, attachments, party_ids)
        if c["ref"] is not None:
            self.case_ids[c["ref"]] = case.id
        if c["year"] is not None and c["seq"] is not None:
            key = (desk_id, c["year"], "case")
            self.max_seq[key] = max(self.max_seq.get(key, 0), c["seq"])
        self.versions.append((case.id, c["version"] or 1, case.updated_at))
        self.imported.append(case.id)
        audit.append(self.s, user_id=self.actor_id, action="case.import", entity="case",
                     entity_id=case.id, case_id=case.id,
                     after={"number": case.number, "stage": case.stage, "format": self.fmt,
                            "file": self.origin_name, "origin": origin_label,
                            "parties": [{"role": p["role"], "name": p["name"],
                                         "id": validation.mask_id_number(p["id_number"]),
                                         "phone": validation.mask_phone(p["phone"])}
                                        for p in c["parties"]]})
        # Keep the session small on big files: these rows are written already.
        self.s.expunge(case)

    def _document(self, case_id: int, d: dict[str, Any], attachments: list[Attachment],
                  party_ids: Mapping[str, int]) -> None:
        doc = Document(case_id=case_id, form=d["form"], title=d["title"], status=d["status"],
                       created_by_id=self.uid(d["created_by"]))
        now = utcnow()
        doc.created_at = d["created_at"] or now
        doc.updated_at = d["updated_at"] or now
        self.s.add(doc)
        self.s.flush()
        by_number: dict[int, DocumentVersion] = {}
        for v in d["versions"]:
            row = DocumentVersion(
                document_id=doc.id, number=v["number"], status=v["status"], content=v["content"],
                reason=v["reason"], created_by_id=self.uid(v["created_by"]), submitted_at=v["submitted_at"],
                approved_by_id=self.uid(v["approved_by"]), approved_at=v["approved_at"],
                finalized_by_id=self.uid(v["finalized_by"]), finalized_at=v["finalized_at"], pdf=v["pdf"],
                sha256=v["sha256"], verification_code=v["verification_code"],
                signed_on_paper=v["signed_on_paper"],
                scan_attachment_id=(attachments[v["scan_attachment"]].id
                                    if v["scan_attachment"] is not None else None))
            if v["created_at"] is not None:
                row.created_at = v["created_at"]
            self.s.add(row)
            by_number[v["number"]] = row
        self.s.flush()
        for v in d["versions"]:
            for g in v["signatures"]:
                sig = Signature(version_id=by_number[v["number"]].id, signer_role=g["signer_role"],
                                signer_name=g["signer_name"], party_id=party_ids.get(g["party_ref"] or ""),
                                image_png=g["image"], sha256=g["sha256"],
                                captured_by_id=self.uid(g["captured_by"]))
                if g["captured_at"] is not None:
                    sig.captured_at = g["captured_at"]
                self.s.add(sig)
        for r in d["reviews"]:
            self.s.add(DocumentReview(document_id=doc.id, version_id_reviewed=by_number[r["version"]].id,
                                      reviewer_id=self.uid(r["reviewer"]), decision=r["decision"],
                                      comment=r["comment"], seen_text=r["seen_text"], at=r["at"]))
        self.s.flush()
        # Plain UPDATE: keeps the lock version and timestamps as exported.
        table = Document.__table__
        self.s.execute(update(table).where(table.c.id == doc.id).values(
            current_version_id=by_number[d["current_version"]].id if d["current_version"] else None,
            version_id=d["version"] or 1, updated_at=doc.updated_at))
        self.s.expunge(doc)

    def _party(self, p: dict[str, Any]) -> Party:
        ref = p["party_ref"]
        if ref is not None and ref in self.parties:
            return self.parties[ref][0]
        party = Party(kind=p["kind"], name=p["name"], sex=p["sex"], ethnicity=p["ethnicity"],
                      birth_date=p["birth_date"],
                      id_type=p["id_type"], id_number=p["id_number"], phone=p["phone"],
                      address=p["address"], occupation=p["occupation"],
                      legal_representative=p["legal_representative"], note=p["note"],
                      created_by_id=self.uid(p["created_by"]))
        now = utcnow()
        party.created_at = p["created_at"] or now
        party.updated_at = p["updated_at"] or now
        if ref is not None:
            self.parties[ref] = (party, p)
        return party

    def finish(self) -> None:
        """Keep versions and timestamps as in the file; move number sequences past imported numbers."""
        table = Case.__table__
        for case_id, version, updated_at in self.versions:
            if version != 1:
                self.s.execute(update(table).where(table.c.id == case_id)
                               .values(version_id=version, updated_at=updated_at))
        for (desk_id, year, kind), value in sorted(self.max_seq.items()):
            raise_sequence(self.s, desk_id=desk_id, year=year, kind=kind, at_least=value)
        self.s.flush()


def _created(value: dt.datetime | None) -> dict[str, Any]:
    return {"created_at": value} if value is not None else {}


def _summary(parties: list[dict[str, Any]]) -> str:
    return party_summary([(p["role"], p["name"]) for p in parties])[:500]


def raise_sequence(session: Session, *, desk_id: int, year: int, kind: str, at_least: int) -> None:
    """Make the next number of (desk, year, kind) come after ``at_least`` (never lowers it)."""
    numbering.ensure_sequence(session, desk_id=desk_id, year=year, kind=kind)
    row = session.execute(
        select(NumberSequence).where(NumberSequence.desk_id == desk_id, NumberSequence.year == year,
                                     NumberSequence.kind == kind)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    if row.last_value < at_least:
        row.last_value = at_least


# ---------------------------------------------------------------- JSON import


def _require_importer(session: Session, actor: Actor | None) -> None:
    from mediation.db import require_write

    require_write(session)
    if actor is None:
        if session.scalar(select(User.id).limit(1)) is not None:
            raise ValidationError(field="actor", message=_("数据库中已有账户，请以管理员身份导入（--as 管理员用户名）。"))
    else:
        require(actor, "data.import")


def read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise StorageError(_("文件不存在：{path}").format(path=path)) from None
    except UnicodeDecodeError:
        raise ValidationError(field="file", message=_("文件不是 UTF-8 编码的 JSON。")) from None
    except json.JSONDecodeError as exc:
        raise ValidationError(field="file", message=_("不是有效的 JSON 文件（第 {line} 行第 {col} 列附近）。").format(
            line=exc.lineno, col=exc.colno)) from None
    except OSError as exc:
        raise StorageError(_("无法读取文件：{detail}").format(detail=exc.strerror or exc)) from None


def import_json(session: Session, actor: Actor | None, path: Path | str, *,
                progress: Progress | None = None) -> ImportSummary:
    """Import an export file (format in docs/import-format.md): all or nothing."""
    _require_importer(session, actor)
    p = Path(path).expanduser()
    return import_document(session, actor, read_json(p), origin_name=p.name, progress=progress)


def import_document(session: Session, actor: Actor | None, doc: Any, *,
                    origin_name: str = "", progress: Progress | None = None) -> ImportSummary:
    """Validate the whole parsed document, then write it (in the caller's transaction)."""
    _require_importer(session, actor)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValidationError(field="format", message=_("这不是调解台的导出文件（缺少 \"format\": \"{f}\"）。").format(f=FORMAT))
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValidationError(field="version", message=_("导出文件缺少有效的版本号（version）。"))
    if version > VERSION:
        raise ValidationError(field="version", message=_(
            "该文件的格式版本（{v}）比本程序支持的（{mine}）新，请先升级程序。").format(v=version, mine=VERSION))

    errors = Collector(limit=MAX_ERRORS)
    top = _Obj(doc, "", errors)
    desks_raw = top.objects("desks")
    desks: list[dict[str, Any]] = []
    for d in desks_raw:
        prefix = d.text("prefix", max_len=30, required=True)
        if prefix and any(ch in prefix for ch in "（）()第号 "):
            d.fail("prefix", _("编号前缀只填中间部分，例如“X警校调字”。"))
        desks.append({"prefix": prefix, "name": d.text("name", max_len=100, required=True),
                      "committee_name": d.text("committee_name", max_len=100),
                      "active": d.boolean("active", True), "created_at": d.datetime("created_at")})
    _no_duplicates(errors, "desks", [d["prefix"] for d in desks], "prefix")
    target_desks = set(_desks_by_id(session).values())
    target_users = set(_users_by_id(session).values())
    users = [_clean_user(u) for u in top.objects("users")]
    _no_duplicates(errors, "users", [u["username"] for u in users], "username")
    desk_names = target_desks | {d["prefix"] for d in desks if d["prefix"]}
    for u, raw in zip(users, top.objects("users")):
        if u["desk"] is not None and u["desk"] not in desk_names:
            raw.fail("desk", _("未知的调解点“{d}”。").format(d=str(u["desk"])[:30]))
    settings = []
    for s in top.objects("settings"):
        key = s.text("key", max_len=80, required=True)
        desk = s.raw.get("desk")
        if desk is not None and desk not in desk_names:
            s.fail("desk", _("未知的调解点“{d}”。").format(d=str(desk)[:30]))
        if "value" not in s.raw:
            s.fail("value", _("缺少此项。"))
        if key in LOCAL_SETTINGS:
            continue
        settings.append({"desk": desk, "key": key, "value": s.raw.get("value"),
                         "updated_at": s.datetime("updated_at")})
    holidays = []
    for h in top.objects("holidays"):
        holidays.append({"day": h.date("day", required=True),
                         "kind": h.choice("kind", ("holiday", "workday")),
                         "name": h.text("name", max_len=30),
                         "source": h.choice("source", ("chinese_calendar", "manual"), default="manual")})
    _no_duplicates(errors, "holidays", [h["day"] for h in holidays], "day")
    ctx = _Context(desks=desk_names, usernames=target_users | {u["username"] for u in users},
                   categories=set(_setting_in(settings, "categories", reference.categories(session))),
                   sources=set(_setting_in(settings, "sources", reference.sources(session))))
    sequences = []
    for n in top.objects("number_sequences"):
        sequences.append({"desk": ctx.desk(n), "year": n.integer("year", lo=1949, hi=2999, nullable=False),
                          "kind": n.text("kind", max_len=20, required=True),
                          "last_value": n.integer("last_value", lo=0, nullable=False)})
    consultations = []
    for c in top.objects("consultations"):
        if errors.full:
            break
        consultations.append(_clean_consultation(c, ctx))
    cases = []
    for c in top.objects("cases"):
        if errors.full:
            break
        cases.append(_clean_case(c, ctx))
    _check_cases_together(errors, cases, consultations)
    errors.raise_if_any()
    _check_against_database(session, errors, cases)
    errors.raise_if_any()

    w = _Writer(session, actor, "json", origin_name)
    desks_created = w.desks(desks)
    users_created = w.users(users)
    settings_applied = w.settings(settings)
    holidays_applied = w.holidays(holidays)
    w.sequences(sequences)
    cons_done, cons_skipped = w.consultations(consultations)
    for n, c in enumerate(cases, start=1):
        w.case(c, origin_label=c["origin"])
        if progress is not None:
            progress(n, len(cases))
    w.link_consultations(consultations)
    w.finish()
    summary = ImportSummary("json", len(w.imported), tuple(w.skipped), cons_done, cons_skipped,
                            desks_created, users_created, settings_applied, holidays_applied,
                            tuple(w.imported))
    _audit_batch(session, actor, summary, origin_name)
    return summary


def _setting_in(settings: list[dict[str, Any]], key: str, fallback: Iterable[str]) -> Iterable[str]:
    for s in settings:
        if s["key"] == key and s["desk"] is None and isinstance(s["value"], (dict, list)):
            return s["value"]
    return fallback


def _no_duplicates(errors: Collector, section: str, values: list[Any], name: str) -> None:
    seen: dict[Any, int] = {}
    for i, v in enumerate(values):
        if v in (None, ""):
            continue
        if v in seen:
            errors.add(f"{section}[{i}].{name}", _("与 {section}[{j}] 重复。").format(section=section, j=seen[v]))
        else:
            seen[v] = i


def _check_cases_together(errors: Collector, cases: list[dict[str, Any]],
                          consultations: list[dict[str, Any]]) -> None:
    """Checks across records of the file: duplicate numbers and refs, shared parties."""
    numbers: dict[str, str] = {}
    slots: dict[tuple[Any, ...], str] = {}
    refs: dict[str, str] = {}
    party_data: dict[str, tuple[str, dict[str, Any]]] = {}
    cons_refs = {c["ref"] for c in consultations if c["ref"] is not None}
    compare = ("kind", "name", "sex", "ethnicity", "birth_date", "id_type", "id_number", "phone",
               "address", "occupation", "legal_representative", "note")
    codes: dict[str, str] = {}
    for c in cases:
        origin = c["origin"]
        for i, d in enumerate(c.get("documents", [])):
            for j, v in enumerate(d["versions"]):
                where = f"{origin}.documents[{i}].versions[{j}].verification_code"
                if v["verification_code"]:
                    if v["verification_code"] in codes:
                        errors.add(where, _("与 {other} 的校验码重复。").format(other=codes[v["verification_code"]]))
                    codes[v["verification_code"]] = where
        if c["number"]:
            if c["number"] in numbers:
                errors.add(f"{origin}.number", _("文件中有两件案件编号相同（另见 {other}）。").format(other=numbers[c["number"]]))
            numbers[c["number"]] = origin
            slot = (c["desk"], c["year"], c["seq"])
            if slot in slots and slots[slot] != origin:
                errors.add(f"{origin}.number", _("文件中有两件案件序号相同（另见 {other}）。").format(other=slots[slot]))
            slots[slot] = origin
        if c["ref"] is not None:
            if c["ref"] in refs:
                errors.add(f"{origin}.ref", _("与 {other} 的 ref 重复。").format(other=refs[c["ref"]]))
            refs[c["ref"]] = origin
        if c["consultation"] is not None and c["consultation"] not in cons_refs:
            errors.add(f"{origin}.consultation", _("文件的 consultations 中没有这条咨询记录。"))
        for p in c["parties"]:
            ref = p["party_ref"]
            if ref is None:
                continue
            if ref in party_data:
                first_origin, first = party_data[ref]
                if any(first[k] != p[k] for k in compare):
                    errors.add(f"{p['origin']}.party_ref", _(
                        "同一当事人（party_ref）在 {other} 中的信息与此处不同。").format(other=first_origin))
            else:
                party_data[ref] = (p["origin"], p)


def _check_against_database(session: Session, errors: Collector, cases: list[dict[str, Any]]) -> None:
    """What would collide with rows already stored, for the cases that will be written.

    A new case's (desk, year, seq) must not be taken by a different case, and a final
    document's verification code must not be in use already.
    """
    desk_ids = {p: i for i, p in _desks_by_id(session).items()}
    for c in cases:
        desk_id = desk_ids.get(c["desk"]) if c["desk"] else None
        if desk_id is not None and _duplicate_of(session, c, desk_id) is not None:
            continue  # will be skipped as already imported
        if c["number"] and desk_id is not None:
            row = session.execute(select(Case.number).where(
                Case.desk_id == desk_id, Case.year == c["year"], Case.seq == c["seq"])).first()
            if row is not None and row[0] != c["number"]:
                errors.add(f"{c['origin']}.number", _("本数据库中已有同一年度同一序号的案件 {n}。").format(n=row[0]))
        for i, d in enumerate(c.get("documents", [])):
            for j, v in enumerate(d["versions"]):
                code = v["verification_code"]
                if code and session.scalar(select(DocumentVersion.id).where(
                        DocumentVersion.verification_code == code)) is not None:
                    errors.add(f"{c['origin']}.documents[{i}].versions[{j}].verification_code",
                               _("校验码 {code} 已被本数据库中的另一份文书使用。").format(code=code))


def _duplicate_of(session: Session, c: dict[str, Any], desk_id: int) -> int | None:
    """The stored case this one duplicates: same number; unnumbered: same desk, time and parties."""
    if c["number"]:
        return session.scalar(select(Case.id).where(Case.number == c["number"]))
    names = c["party_names"] if c.get("party_names") is not None else _summary(c["parties"])
    return session.scalar(select(Case.id).where(
        Case.desk_id == desk_id, Case.number.is_(None), Case.registered_at == c["registered_at"],
        Case.party_names == names).limit(1))


def _audit_batch(session: Session, actor: Actor | None, summary: ImportSummary, name: str) -> None:
    audit.append(session, user_id=actor.user_id if actor else None, action="data.import",
                 entity="database",
                 after={"file": name, "format": summary.format, "cases": summary.cases_imported,
                        "skipped": len(summary.cases_skipped),
                        "consultations": summary.consultations_imported,
                        "users_created": summary.users_created, "desks_created": summary.desks_created})


# ---------------------------------------------------------------- Excel ledger (登记台账)


LEDGER_COLUMNS: dict[str, tuple[str, ...]] = {
    "registered_on": ("登记日期", "登记时间", "收案日期", "来访日期", "申请日期", "日期"),
    "number": ("案件编号", "编号", "案号", "调解编号", "案件号", "卷宗号"),
    "applicants": ("申请人", "申请人姓名", "申请方"),
    "applicant_phones": ("申请人电话", "申请人联系电话", "申请人联系方式", "申请人手机", "申请人手机号"),
    "applicant_ids": ("申请人身份证号", "申请人身份证号码", "申请人身份证", "申请人证件号码"),
    "respondents": ("被申请人", "被申请人姓名", "被申请方"),
    "respondent_phones": ("被申请人电话", "被申请人联系电话", "被申请人联系方式", "被申请人手机",
                          "被申请人手机号"),
    "respondent_ids": ("被申请人身份证号", "被申请人身份证号码", "被申请人身份证", "被申请人证件号码"),
    "category": ("纠纷类别", "纠纷类型", "纠纷种类", "案件类别", "类别"),
    "subcategory": ("纠纷子类", "子类", "细类", "小类"),
    "source": ("纠纷来源", "案件来源", "来源"),
    "facts": ("纠纷事实", "纠纷简要情况", "简要案情", "主要事实", "案情", "纠纷事由", "事实"),
    "claims": ("诉求", "申请事项", "请求事项", "当事人诉求", "调解请求"),
    "amount": ("涉及金额", "涉案金额", "标的额", "争议金额", "金额"),
    "track": ("调解类型", "调解方式"),
    "mediator": ("调解员", "承办人", "调解人"),
    "result": ("调解结果", "处理结果", "办理结果", "结果"),
    "agreement": ("协议内容", "调解协议内容", "协议"),
    "accepted_on": ("受理日期", "受理时间"),
    "closed_on": ("结案日期", "结案时间", "办结日期"),
    "note": ("备注", "说明"),
}
LEDGER_REQUIRED = ("registered_on", "applicants", "facts")
RESULT_WORDS: dict[str, str] = {
    "调解成功": "success", "成功": "success", "达成协议": "success", "已调解": "success", "化解": "success",
    "调解不成": "terminated", "调解终止": "terminated", "终止调解": "terminated", "终止": "terminated",
    "未达成协议": "terminated", "调解失败": "terminated", "失败": "terminated",
    "引导/移送": "referred", "引导": "referred", "移送": "referred", "转交": "referred",
    "不予受理": "declined", "撤回": "withdrawn", "申请人撤回": "withdrawn", "撤回申请": "withdrawn",
}
TRACK_WORDS: dict[str, str] = {"人民调解": workflow.PEOPLE, "治安调解": workflow.POLICE,
                               "引导/移送": workflow.REFER, "引导": workflow.REFER,
                               "移送": workflow.REFER}
_LIST_SPLIT = re.compile(r"[、，,；;\n]+")
_ORG_SUFFIXES = ("公司", "商行", "商店", "超市", "店", "中心", "学校", "大学", "学院", "委员会", "厂",
                 "局", "所", "银行", "医院", "物业", "集团", "协会", "工作室", "酒店", "餐厅", "网吧")


def _norm_header(value: Any) -> list[str]:
    if value is None:
        return []
    s = unicodedata.normalize("NFKC", str(value))
    s = re.sub(r"[\s*:：]", "", s)
    if not s:
        return []
    out = [s]
    bare = re.sub(r"\([^()]*\)$", "", s)  # 涉及金额(元), 申请人(必填)
    if bare and bare != s:
        out.append(bare)
    flat = s.replace("(", "").replace(")", "")  # 申请人(电话) → 申请人电话
    if flat != s:
        out.append(flat)
    return out


_HEADER_INDEX = {alias: key for key, aliases in LEDGER_COLUMNS.items() for alias in aliases}


def _match_header(value: Any) -> str | None:
    for candidate in _norm_header(value):
        if candidate in _HEADER_INDEX:
            return _HEADER_INDEX[candidate]
    return None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")


def _cell_date(value: Any) -> dt.date | None:
    """Excel dates arrive as datetime, as serial numbers, or as typed text."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # 1954–2119 as an Excel serial day number
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        s = str(int(value))
        if len(s) == 8:
            value = s
        else:
            raise ValueError
    s = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d{8}", s):
        return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
    m = _DATE_TEXT.match(s)
    if not m:
        raise ValueError
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


@dataclass
class _LedgerRow:
    sheet: str
    row: int
    values: dict[str, Any]
    headers: dict[str, str]
    """field key → header text as written in the sheet (for messages)."""


def _read_ledger(path: Path) -> tuple[list[_LedgerRow], dict[str, str]]:
    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise StorageError(_("缺少 openpyxl，无法读取 Excel 文件。")) from None
    if not path.exists():
        raise StorageError(_("文件不存在：{path}").format(path=path))
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise StorageError(_("无法读取文件：{detail}").format(detail=exc.strerror or exc)) from None
    except (InvalidFileException, KeyError, ValueError, zipfile.BadZipFile):
        raise ValidationError(field="file", message=_(
            "无法读取该 Excel 文件：请确认是 .xlsx 格式（旧的 .xls 请在 Excel 中另存为 .xlsx）。")) from None
    rows: list[_LedgerRow] = []
    problems: dict[str, str] = {}
    try:
        for ws in wb.worksheets:
            grid = ws.iter_rows(values_only=True)
            header_row = 0
            mapping: dict[int, str] = {}
            headers: dict[str, str] = {}
            buffered: list[tuple[int, tuple[Any, ...]]] = []
            for n, cells in enumerate(grid, start=1):
                buffered.append((n, cells))
                found = {i: _match_header(v) for i, v in enumerate(cells)}
                found = {i: k for i, k in found.items() if k is not None}
                if len(set(found.values())) >= 3 and {"applicants", "facts"} <= set(found.values()):
                    header_row = n
                    seen: dict[str, int] = {}
                    for i, k in found.items():
                        if k in seen:
                            problems[f"{ws.title} 第{n}行"] = _(
                                "表头“{a}”和“{b}”指同一列（{key}），请删去一列。").format(
                                a=_cell_text(cells[seen[k]]), b=_cell_text(cells[i]), key=LEDGER_COLUMNS[k][0])
                        seen[k] = i
                        mapping[i] = k
                        headers[k] = _cell_text(cells[i])
                    break
                if n >= 15:
                    break
            if not header_row:
                continue
            missing = [LEDGER_COLUMNS[k][0] for k in LEDGER_REQUIRED if k not in headers]
            if missing:
                problems[f"{ws.title} 第{header_row}行"] = _("缺少必需的列：{cols}。").format(cols="、".join(missing))
                continue
            for n, cells in enumerate(grid, start=header_row + 1):
                values = {k: cells[i] for i, k in mapping.items() if i < len(cells)}
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                    continue
                rows.append(_LedgerRow(ws.title, n, values, headers))
    finally:
        wb.close()
    if not rows and not problems:
        problems["file"] = _("没有找到台账表头：第一行（或标题下的一行）应含“登记日期”“申请人”“纠纷事实”等列名，"
                             "见 docs/import-format.md。")
    return rows, problems


def _split(value: Any) -> list[str]:
    return [p.strip() for p in _LIST_SPLIT.split(_cell_text(value)) if p.strip()]


def _looks_like_org(name: str) -> bool:
    return name.endswith(_ORG_SUFFIXES) or len(name) > 15


def _ledger_case(r: _LedgerRow, desk_prefix: str | None, desks: Mapping[str, int],
                 categories: Mapping[str, list[str]], users: Mapping[str, str],
                 errors: Collector) -> tuple[dict[str, Any], dict[str, str]]:
    """One ledger row as a case in the JSON format, plus where each field came from."""
    where: dict[str, str] = {}

    def at(key: str) -> str:
        return f"{r.sheet} 第{r.row}行 {r.headers.get(key, LEDGER_COLUMNS[key][0])}"

    def fail(key: str, message: str) -> None:
        errors.add(at(key), message)

    def date_of(key: str) -> dt.date | None:
        try:
            return _cell_date(r.values.get(key))
        except (ValueError, OverflowError):
            fail(key, _("日期无法识别，请写成 2025-03-01 或 2025年3月1日。"))
            return None

    case: dict[str, Any] = {"events": []}
    registered = date_of("registered_on")
    if registered is None and not errors.has(at("registered_on")):
        fail("registered_on", _("此项为必填项，请填写。"))
    case["registered_at"] = _iso(start_of_local_day(registered)) if registered else None
    where["registered_at"] = at("registered_on")

    number_text = _cell_text(r.values.get("number"))
    prefix = desk_prefix
    if number_text:
        parsed = parse_case_number(number_text)
        if parsed is None:
            fail("number", _("案件编号格式不正确，应如（2025）X警校调字第012号。"))
        else:
            year, prefix, seq = parsed
            if prefix not in desks:
                fail("number", _("编号前缀“{p}”不属于任何调解点（已有：{known}）。").format(
                    p=prefix, known="、".join(desks) or _("无")))
                prefix = desk_prefix
            else:
                case["number"] = format_case_number(year, prefix, seq)
                case["year"], case["seq"] = year, seq
        where["number"] = at("number")
    if prefix is None:
        fail("number", _("没有案件编号的行不知道归入哪个调解点：请用所属调解点的管理员账户导入（命令行可用 --desk 指定）。"))
    case["desk"] = prefix
    where["desk"] = at("number")

    parties: list[dict[str, Any]] = []
    for role, names_key, phones_key, ids_key in (
            ("applicant", "applicants", "applicant_phones", "applicant_ids"),
            ("respondent", "respondents", "respondent_phones", "respondent_ids")):
        names = _split(r.values.get(names_key))
        phones = _split(r.values.get(phones_key))
        raw_ids = r.values.get(ids_key)
        if isinstance(raw_ids, (int, float)) and not isinstance(raw_ids, bool) and len(str(int(raw_ids))) > 15:
            fail(ids_key, _("身份证号码被 Excel 当作数字保存，末几位已丢失；请把该列设为“文本”后重新填写。"))
            raw_ids = None
        ids = _split(raw_ids)
        if phones and len(phones) != len(names) and not (len(phones) == 1 and names):
            fail(phones_key, _("电话个数（{p}）与姓名个数（{n}）不一致，请用顿号按顺序分隔。").format(
                p=len(phones), n=len(names)))
        if ids and len(ids) != len(names):
            fail(ids_key, _("证件号码个数（{p}）与姓名个数（{n}）不一致，请用顿号按顺序分隔。").format(
                p=len(ids), n=len(names)))
        for i, name in enumerate(names):
            idx = len(parties)
            kind = "org" if _looks_like_org(name) else "person"
            parties.append({"role": role, "position": idx, "kind": kind, "name": name,
                            "phone": phones[i] if i < len(phones) else "",
                            "id_number": ids[i] if i < len(ids) else "",
                            "id_type": "resident_id" if kind == "person" else "other"})
            for f, key in (("name", names_key), ("phone", phones_key), ("id_number", ids_key),
                           ("birth_date", ids_key), ("kind", names_key), ("role", names_key)):
                where[f"parties[{idx}].{f}"] = at(key)
    if not any(p["role"] == "applicant" for p in parties):
        fail("applicants", _("此项为必填项，请填写。"))
    where["parties"] = at("applicants")
    case["parties"] = parties
    case["people_involved"] = len(parties)

    category = _cell_text(r.values.get("category"))
    sub = _cell_text(r.values.get("subcategory"))
    if category and category not in categories and "/" in category:
        head, _sep, tail = category.partition("/")
        if head in categories:
            category, sub = head, sub or tail
    if category and category not in categories:
        fail("category", _("未知的纠纷类别“{c}”，可选：{known}。").format(c=category, known="、".join(categories)))
    case["category"], case["subcategory"] = category, sub
    where.update(category=at("category"), subcategory=at("subcategory"), source=at("source"),
                 facts=at("facts"), claims=at("claims"), amount=at("amount"))
    case["source"] = _cell_text(r.values.get("source"))
    case["facts"] = _cell_text(r.values.get("facts"))
    case["claims"] = _cell_text(r.values.get("claims"))
    amount = r.values.get("amount")
    case["amount"] = amount if isinstance(amount, (int, float)) and not isinstance(amount, bool) else (
        _cell_text(amount) or None)

    track_text = _cell_text(r.values.get("track"))
    track = None
    if track_text:
        track = TRACK_WORDS.get(unicodedata.normalize("NFKC", track_text).replace(" ", ""))
        if track is None:
            fail("track", _("调解类型应为：人民调解、治安调解或引导/移送。"))
    result_text = _cell_text(r.values.get("result"))
    result = None
    if result_text:
        result = RESULT_WORDS.get(unicodedata.normalize("NFKC", result_text).replace(" ", ""))
        if result is None:
            fail("result", _("调解结果无法识别，可写：调解成功、调解不成、引导/移送、不予受理、撤回。"))
    closed = date_of("closed_on")
    accepted = date_of("accepted_on")
    if result and closed is None and not errors.has(at("closed_on")):
        fail("closed_on", _("填写了调解结果时，请同时填写结案日期。"))
    if closed is not None and not result:
        fail("result", _("填写了结案日期时，请同时填写调解结果。"))
    if registered and closed and closed < registered:
        fail("closed_on", _("结案日期不能早于登记日期。"))
    if result == "referred" and track is None:
        track = workflow.REFER
    if case.get("number") and track is None:
        track = workflow.PEOPLE
    case["track"] = track
    if result:
        case["stage"] = workflow.CLOSED
        case["result"] = result
        case["closed_at"] = _iso(start_of_local_day(closed)) if closed else None
        where["closed_at"] = at("closed_on")
    else:
        case["stage"] = workflow.ACCEPTED if case.get("number") else workflow.REGISTERED
    if case.get("number"):
        case["accepted_at"] = _iso(start_of_local_day(accepted or registered)) if (accepted or registered) else None
        where["accepted_at"] = at("accepted_on") if accepted else at("registered_on")
    agreement = _cell_text(r.values.get("agreement"))
    if agreement:
        case["agreement_terms"] = agreement
        where["agreement_terms"] = at("agreement")
    mediator = _cell_text(r.values.get("mediator"))
    note = _cell_text(r.values.get("note"))
    summary = _("从台账导入：{sheet} 第{row}行").format(sheet=r.sheet, row=r.row)
    if mediator:
        username = users.get(mediator)
        if username:
            case["mediator"] = username
        else:
            summary += _("；台账记载的调解员：{m}").format(m=mediator)
    if note:
        summary += _("；备注：{n}").format(n=note)
    case["events"] = [{"at": _iso(utcnow()), "kind": "imported", "summary": summary,
                       "stage_to": case["stage"]}]
    where["events[0].summary"] = at("note") if note else at("registered_on")
    return case, where


def import_ledger(session: Session, actor: Actor | None, path: Path | str, *,
                  desk_id: int | None = None, progress: Progress | None = None) -> ImportSummary:
    """Import an Excel ledger (.xlsx): columns in docs/import-format.md; all or nothing.

    Rows without a case number go to ``desk_id`` (default: the actor's desk). Errors
    name the sheet, the row number as Excel shows it, and the column header.
    """
    _require_importer(session, actor)
    p = Path(path).expanduser()
    rows, problems = _read_ledger(p)
    desks = {prefix: i for i, prefix in _desks_by_id(session).items()}
    default_desk = desk_id if desk_id is not None else (actor.desk_id if actor else None)
    if default_desk is None and len(desks) == 1:
        default_desk = next(iter(desks.values()))
    desk_prefix = next((prefix for prefix, i in desks.items() if i == default_desk), None)
    if desk_id is not None and desk_prefix is None:
        raise ValidationError(field="desk_id", message=_("所选调解点不存在。"))
    categories = reference.categories(session)
    users: dict[str, str] = {}
    for username, display in session.execute(select(User.username, User.display_name)):
        users.setdefault(display, username)
        users[username] = username
    errors = Collector()
    for where, message in problems.items():
        errors.add(where, message)
    cases: list[dict[str, Any]] = []
    wheres: list[dict[str, str]] = []
    labels: list[str] = []
    for r in rows:
        case, where = _ledger_case(r, desk_prefix, desks, categories, users, errors)
        cases.append(case)
        wheres.append(where)
        labels.append(f"{r.sheet} 第{r.row}行")
    # The same validators as the JSON import, with messages moved to sheet/row/column.
    verrs = Collector(limit=MAX_ERRORS)
    ctx = _Context(desks=set(desks), usernames=set(users.values()), categories=set(categories),
                   sources=set(reference.sources(session)))
    clean = []
    for i, case in enumerate(cases):
        if case.get("desk") is None:
            case["desk"] = next(iter(desks), None)  # reported above; keep validating the rest
        clean.append(_clean_case(_Obj(case, f"cases[{i}]", verrs), ctx))
    _check_cases_together(verrs, clean, [])
    if not errors.has_errors:
        _check_against_database(session, verrs, clean)

    def rename(key: str) -> str:
        m = re.match(r"cases\[(\d+)\]\.?(.*)$", key)
        if not m:
            return key
        i, rest = int(m.group(1)), m.group(2)
        if rest in wheres[i]:
            return wheres[i][rest]
        head = rest.split(".")[0] if rest else ""
        return wheres[i].get(head, f"{labels[i]} {rest}".strip())

    for key, message in verrs.errors.items():
        errors.add(rename(key), message)
    errors.raise_if_any()
    if not clean:
        raise ValidationError(field="file", message=_("台账中没有可导入的行。"))
    w = _Writer(session, actor, "xlsx", p.name)
    for n, (c, label) in enumerate(zip(clean, labels), start=1):
        w.case(c, origin_label=label)
        if progress is not None:
            progress(n, len(clean))
    w.finish()
    summary = ImportSummary("xlsx", len(w.imported), tuple(w.skipped), case_ids=tuple(w.imported))
    _audit_batch(session, actor, summary, p.name)
    return summary


# ---------------------------------------------------------------- entry point


def import_(session: Session, actor: Actor | None, path: Path | str, *,
            desk_id: int | None = None, progress: Progress | None = None) -> ImportSummary:
    """Import ``path`` by its extension: ``.json`` (export format) or ``.xlsx`` (ledger).

    ``progress(done, total)`` is called after each case is written; it may raise (e.g.
    :class:`ImportCancelled` when the user cancels) to abandon the import, and the
    caller's transaction then rolls everything back.
    """
    p = Path(path).expanduser()
    suffix = p.suffix.lower()
    if suffix == ".json":
        return import_json(session, actor, p, progress=progress)
    if suffix in (".xlsx", ".xlsm"):
        return import_ledger(session, actor, p, desk_id=desk_id, progress=progress)
    if suffix in (".xls", ".et", ".csv"):
        raise ValidationError(field="file", message=_("请在 Excel 或 WPS 中把台账另存为 .xlsx 格式后再导入。"))
    raise ValidationError(field="file", message=_("只能导入 .json（导出文件）或 .xlsx（台账）文件。"))
