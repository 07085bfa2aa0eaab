"""Writing the exchange file: everything an actor may see, one record a line.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mediation import models
from mediation.errors import StorageError
from mediation.i18n import _
from mediation.permissions import ADMIN, Actor, require
from mediation.services import audit, reference
from mediation.services.transfer.parse import desks_by_id, iso, money_text, users_by_id
from mediation.timeutil import utcnow

FORMAT = "mediation-desk-export"


VERSION = 1


# Bookkeeping settings that belong to one database, never carried across (the practice
# mark too: an export of the practice database must not turn a live one into practice).
LOCAL_SETTINGS = frozenset({"calendar_version", "practice_database", "statistics_basis"})


_BATCH = 500


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    desks: int
    users: int
    cases: int
    consultations: int
    attachments: int
    password_hashes: bool


def _case_json(case: models.Case, users: Mapping[int, str], desks: Mapping[int, str],
               children: Mapping[str, list[Any]], labels: Mapping[str, Mapping[int, str]]) -> dict[str, Any]:
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
        "category": labels["category"].get(case.category_id or 0, ""),
        "subcategory": labels["subtype"].get(case.subcategory_id or 0, ""),
        "source": labels["source"].get(case.source_id or 0, ""),
        "title": case.title,
        "party_names": case.party_names,
        "party_phones": case.party_phones,
        "facts": case.facts,
        "claims": case.claims,
        "amount": money_text(case.amount),
        "people_involved": case.people_involved,
        "registered_at": iso(case.registered_at),
        "registered_by": u(case.registered_by_id),
        "accepted_at": iso(case.accepted_at),
        "accepted_by": u(case.accepted_by_id),
        "mediator": u(case.mediator_id),
        "deadline": iso(case.deadline),
        "deadline_label": case.deadline_label,
        "result": case.result,
        "outcome_reason": case.outcome_reason,
        "referred_to": case.referred_to,
        "routes_suggested": case.routes_suggested,
        "police_exclusions_ack": case.police_exclusions_ack,
        "prevented_escalation": case.prevented_escalation,
        "prevented_escalation_people": case.prevented_escalation_people,
        "prevented_petition": case.prevented_petition,
        "prevented_petition_people": case.prevented_petition_people,
        "police_method": case.police_method,
        "terminated_at": iso(case.terminated_at),
        "judicial_applied_on": iso(case.judicial_applied_on),
        "judicial_court": case.judicial_court,
        "judicial_outcome": case.judicial_outcome,
        "judicial_decided_on": iso(case.judicial_decided_on),
        "agreement_kind": case.agreement_kind,
        "agreement_number": case.agreement_number,
        "agreement_terms": case.agreement_terms,
        "agreement_amount": money_text(case.agreement_amount),
        "performance_manner": case.performance_manner,
        "performance_place": case.performance_place,
        "performance_deadline": iso(case.performance_deadline),
        "agreement_reached_at": iso(case.agreement_reached_at),
        "agreement_signed_at": iso(case.agreement_signed_at),
        "performance_status": case.performance_status,
        "closed_at": iso(case.closed_at),
        "closed_by": u(case.closed_by_id),
        "archived_at": iso(case.archived_at),
        "retention_years": case.retention_years,
        "consultation": case.consultation_id,
        "created_at": iso(case.created_at),
        "updated_at": iso(case.updated_at),
        "version": case.version_id,
        "parties": [{
            "party_ref": link.party.id,
            "role": link.role,
            "position": link.position,
            "party_type": link.party_type,
            "represents": index.get(link.represents_id) if link.represents_id else None,
            "kind": link.party.kind,
            "name": link.party.name,
            "sex": link.party.sex,
            "ethnicity": link.party.ethnicity,
            "birth_date": iso(link.party.birth_date),
            "id_type": link.party.id_type,
            "id_number": link.party.id_number,
            "phone": link.party.phone,
            "address": link.party.address,
            "occupation": link.party.occupation,
            "legal_representative": link.party.legal_representative,
            "note": link.party.note,
            "created_by": u(link.party.created_by_id),
            "created_at": iso(link.party.created_at),
            "updated_at": iso(link.party.updated_at),
        } for link in case.parties],
        "events": [{
            "at": iso(e.at), "user": u(e.user_id), "kind": e.kind, "stage_from": e.stage_from,
            "stage_to": e.stage_to, "summary": e.summary, "data": e.data,
        } for e in case.events],
        "investigations": [{
            "held_at": iso(r.held_at), "place": r.place, "subject": r.subject,
            "content": r.content, "investigator": u(r.investigator_id),
            "created_at": iso(r.created_at),
        } for r in children["investigations"]],
        "sessions": [{
            "held_at": iso(r.held_at), "place": r.place, "attendees": r.attendees,
            "content": r.content, "result": r.result, "mediator": u(r.mediator_id),
            "recorder": u(r.recorder_id), "created_at": iso(r.created_at),
        } for r in children["sessions"]],
        "follow_ups": [{
            "visited_at": iso(r.visited_at), "method": r.method, "reason": r.reason,
            "result": r.result, "performance_status": r.performance_status,
            "user": u(r.user_id), "created_at": iso(r.created_at),
        } for r in children["follow_ups"]],
        "attachments": [{
            "filename": r.filename, "mime_type": r.mime_type, "size": r.size,
            "sha256": r.sha256, "content_base64": base64.b64encode(r.content).decode("ascii"),
            "description": r.description, "added_by": u(r.added_by_id),
            "added_at": iso(r.added_at),
        } for r in children["attachments"]],
        "documents": [_document_json(d, users, children, {link.party_id: link.party.id for link in case.parties})
                      for d in children["documents"]],
    }


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _document_json(d: models.Document, users: Mapping[int, str], children: Mapping[str, list[Any]],
                   parties: Mapping[int, int]) -> dict[str, Any]:
    def u(uid: int | None) -> str | None:
        return users.get(uid) if uid is not None else None

    attachment_index = {a.id: i for i, a in enumerate(children["attachments"])}
    number_of = {v.id: v.number for v in d.versions}
    reviews = [r for r in children["reviews"] if r.document_id == d.id]
    signatures: dict[int, list[models.Signature]] = {}
    for sig in children["signatures"]:
        signatures.setdefault(sig.version_id, []).append(sig)
    return {
        "form": d.form, "title": d.title, "status": d.status,
        "current_version": number_of.get(d.current_version_id) if d.current_version_id else None,
        "created_by": u(d.created_by_id), "created_at": iso(d.created_at),
        "updated_at": iso(d.updated_at), "version": d.version_id,
        "versions": [{
            "number": v.number, "status": v.status, "content": v.content, "reason": v.reason,
            "created_by": u(v.created_by_id), "created_at": iso(v.created_at),
            "submitted_at": iso(v.submitted_at), "approved_by": u(v.approved_by_id),
            "approved_at": iso(v.approved_at), "finalized_by": u(v.finalized_by_id),
            "finalized_at": iso(v.finalized_at), "pdf_base64": _b64(v.pdf), "sha256": v.sha256,
            "verification_code": v.verification_code, "signed_on_paper": v.signed_on_paper,
            "scan_attachment": attachment_index.get(v.scan_attachment_id) if v.scan_attachment_id else None,
            "signatures": [{
                "signer_role": g.signer_role, "signer_name": g.signer_name,
                "party_ref": parties.get(g.party_id) if g.party_id is not None else None,
                "image_base64": _b64(g.image_png), "sha256": g.sha256,
                "captured_by": u(g.captured_by_id), "captured_at": iso(g.captured_at),
            } for g in sorted(signatures.get(v.id, []), key=lambda g: g.id)],
        } for v in d.versions],
        "reviews": [{
            "version": number_of.get(r.version_id_reviewed), "reviewer": u(r.reviewer_id),
            "decision": r.decision, "comment": r.comment, "seen_text": r.seen_text, "at": iso(r.at),
        } for r in sorted(reviews, key=lambda r: r.id)],
    }


def _iter_cases(session: Session, desk_ids: Collection[int] | None, users: Mapping[int, str],
                desks: Mapping[int, str], labels: Mapping[str, Mapping[int, str]]) -> Iterator[dict[str, Any]]:
    last = 0
    child_models: dict[str, Any] = {"investigations": models.InvestigationRecord, "sessions": models.SessionRecord,
                                    "follow_ups": models.FollowUp, "attachments": models.Attachment}
    while True:
        stmt = (select(models.Case).where(models.Case.id > last).order_by(models.Case.id).limit(_BATCH)
                .options(selectinload(models.Case.parties).selectinload(models.CaseParty.party),
                         selectinload(models.Case.events)))
        if desk_ids is not None:
            stmt = stmt.where(models.Case.desk_id.in_(desk_ids))
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
        documents = (select(models.Document).where(models.Document.case_id.in_(ids))
                     .order_by(models.Document.id).options(selectinload(models.Document.versions)))
        for d in session.scalars(documents):
            grouped[d.case_id]["documents"].append(d)
            doc_case[d.id] = d.case_id
        if doc_case:
            reviews = select(models.DocumentReview).where(models.DocumentReview.document_id.in_(doc_case))
            for r in session.scalars(reviews):
                grouped[doc_case[r.document_id]]["reviews"].append(r)
            version_case = {v_id: doc_case[d_id] for v_id, d_id in session.execute(
                select(models.DocumentVersion.id, models.DocumentVersion.document_id)
                .where(models.DocumentVersion.document_id.in_(doc_case)))}
            for g in session.scalars(select(models.Signature).where(models.Signature.version_id.in_(version_case))):
                grouped[version_case[g.version_id]]["signatures"].append(g)
        for case in batch:
            yield _case_json(case, users, desks, grouped[case.id], labels)
        last = ids[-1]
        session.expunge_all()


def _case_review_rows(session: Session, desk_ids: Collection[int] | None, users: Mapping[int, str],
                      desks: Mapping[int, str]) -> list[dict[str, Any]]:
    """The 抽卷评查 draws of the desks exported, each with its reviews and their findings; cases
    by their ``ref`` (the case's id in the file)."""
    stmt = select(models.CaseReviewDraw).order_by(models.CaseReviewDraw.id)
    if desk_ids is not None:
        stmt = stmt.where(models.CaseReviewDraw.desk_id.in_(desk_ids))
    draws = list(session.scalars(stmt))
    reviews: dict[int, list[models.CaseReview]] = {d.id: [] for d in draws}
    if draws:
        for r in session.scalars(select(models.CaseReview).where(models.CaseReview.draw_id.in_(reviews))
                                 .order_by(models.CaseReview.draw_id, models.CaseReview.position)):
            reviews[r.draw_id].append(r)

    def u(uid: int | None) -> str | None:
        return users.get(uid) if uid is not None else None

    return [{
        "desk": desks[d.desk_id], "period_from": iso(d.period_from), "period_to": iso(d.period_to),
        "requested": d.requested, "seed": d.seed, "population": [int(i) for i in d.population or []],
        "drawn_by": u(d.drawn_by_id), "drawn_at": iso(d.drawn_at),
        "reviews": [{
            "case": r.case_id, "position": r.position, "status": r.status, "checklist": r.checklist,
            "findings": r.findings, "comment": r.comment, "reviewed_by": u(r.reviewed_by_id),
            "reviewed_at": iso(r.reviewed_at),
        } for r in reviews[d.id]],
    } for d in draws]


def _export_sections(session: Session, actor: Actor, *, password_hashes: bool
                     ) -> tuple[dict[str, Any], list[tuple[str, Iterable[dict[str, Any]]]], dict[str, int]]:
    users = users_by_id(session)
    desks = desks_by_id(session)
    desk_ids = actor.readable_desks
    everything = desk_ids is None

    def visible(desk_id: int | None) -> bool:
        return desk_id is None or actor.may_read_desk(desk_id)

    desk_rows = [{"prefix": d.number_prefix, "name": d.name, "committee_name": d.committee_name,
                  "active": d.active, "created_at": iso(d.created_at)}
                 for d in session.scalars(select(models.Desk).order_by(models.Desk.id)) if visible(d.id)]
    user_rows = []
    for u in session.scalars(select(models.User).order_by(models.User.id)):
        if not (everything or actor.may_read_desk(u.desk_id)):
            continue
        row: dict[str, Any] = {
            "username": u.username, "display_name": u.display_name, "role": u.role,
            "desk": desks.get(u.desk_id) if u.desk_id else None, "phone": u.phone,
            "student_no": u.student_no, "active": u.active, "valid_from": iso(u.valid_from),
            "valid_until": iso(u.valid_until), "all_desks": u.all_desks,
            "created_at": iso(u.created_at), "password_changed_at": iso(u.password_changed_at),
            "must_change_password": u.must_change_password,
        }
        if password_hashes and u.password_hash.startswith("$argon2"):
            # (An account imported without a password has no hash worth carrying.)
            row["password_hash"] = u.password_hash
        user_rows.append(row)
    setting_rows = [{"desk": desks.get(s.desk_id) if s.desk_id else None, "key": s.key,
                     "value": s.value, "updated_at": iso(s.updated_at)}
                    for s in session.scalars(select(models.Setting).order_by(models.Setting.id))
                    if s.key not in LOCAL_SETTINGS and visible(s.desk_id)]
    # The desks' category and source lists travel as the settings they once were (0007).
    for d in session.scalars(select(models.Desk).order_by(models.Desk.id)):
        if visible(d.id):
            setting_rows.extend({"desk": d.number_prefix, "key": key, "value": value, "updated_at": None}
                                for key, value in reference.list_settings(session, d.id).items())
    labels = reference.all_labels(session)
    holiday_rows = [{"day": iso(h.day), "kind": h.kind, "name": h.name, "source": h.source}
                    for h in session.scalars(select(models.HolidayDay).order_by(models.HolidayDay.day))]
    seq_rows = [{"desk": desks[n.desk_id], "year": n.year, "kind": n.kind, "last_value": n.last_value}
                for n in session.scalars(select(models.NumberSequence).order_by(
                    models.NumberSequence.desk_id, models.NumberSequence.year, models.NumberSequence.kind))
                if visible(n.desk_id)]
    cons_stmt = select(models.Consultation).order_by(models.Consultation.id)
    if desk_ids is not None:
        cons_stmt = cons_stmt.where(models.Consultation.desk_id.in_(desk_ids))
    consultation_rows = [{
        "ref": c.id, "desk": desks[c.desk_id], "asked_at": iso(c.asked_at),
        "person_name": c.person_name, "phone": c.phone, "topic": c.topic,
        "category": labels["category"].get(c.category_id or 0, ""),
        "question": c.question, "answer": c.answer, "minutes": c.minutes,
        "answered_by": users.get(c.answered_by_id) if c.answered_by_id else None,
        "converted_case": c.converted_case_id, "created_at": iso(c.created_at),
    } for c in session.scalars(cons_stmt)]
    counts = {"desks": len(desk_rows), "users": len(user_rows),
              "consultations": len(consultation_rows), "cases": 0, "attachments": 0}

    def cases() -> Iterator[dict[str, Any]]:
        for c in _iter_cases(session, desk_ids, users, desks, labels):
            counts["cases"] += 1
            counts["attachments"] += len(c["attachments"])
            yield c

    def case_reviews() -> Iterator[dict[str, Any]]:  # read after the cases (their batches expunge the session)
        yield from _case_review_rows(session, desk_ids, users, desks)

    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso(utcnow()),
        "exported_by": actor.username,
        "schema_revision": _schema_revision(session),
        "password_hashes": password_hashes,
    }
    sections: list[tuple[str, Iterable[dict[str, Any]]]] = [
        ("desks", desk_rows), ("users", user_rows), ("settings", setting_rows),
        ("holidays", holiday_rows), ("number_sequences", seq_rows),
        ("consultations", consultation_rows), ("cases", cases()), ("case_reviews", case_reviews()),
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
    audit.append(session, desk_id=actor.desk_id, user_id=actor.user_id, action="data.export", entity="database",
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
