"""Writing checked records in the caller's transaction, mapping the file's references to ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from mediation import models, validation
from mediation.errors import PermissionDenied, ValidationError
from mediation.i18n import _
from mediation.permissions import Actor, require
from mediation.services import audit, numbering, reference
from mediation.services.parties import party_summary
from mediation.services.transfer.parse import desks_by_id, users_by_id
from mediation.timeutil import utcnow

UNUSABLE_PASSWORD = "!imported-without-password"
"""Stored for accounts imported without a password hash: no password matches it."""



def _table(model: type[models.Base]) -> Table:
    """The model's table, for a plain UPDATE (``__table__`` is declared a FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


@dataclass(frozen=True)
class ImportSummary:
    format: str
    """json | xlsx."""
    cases_imported: int
    cases_skipped: tuple[str, ...]
    """Each skipped duplicate: where it was and what it matched, e.g. ``台账 第15行：与本文件的
    台账 第9行相同，已跳过`` or ``cases[3]：与已有案件 （2025）X警校调字第004号 相同，已跳过``."""
    consultations_imported: int = 0
    consultations_skipped: int = 0
    desks_created: int = 0
    users_created: int = 0
    settings_applied: int = 0
    holidays_applied: int = 0
    case_ids: tuple[int, ...] = ()


class Writer:
    """Writes validated records in the caller's transaction, mapping file refs to ids."""

    def __init__(self, session: Session, actor: Actor | None, fmt: str, origin_name: str,
                 duplicates: Duplicates) -> None:
        self.s = session
        self.duplicates = duplicates
        self.actor = actor
        self.actor_id = actor.user_id if actor else None
        self.fmt = fmt
        self.origin_name = origin_name
        self.desk_ids: dict[str, int] = {p: i for i, p in desks_by_id(session).items()}
        self.user_ids: dict[str, int] = {n: i for i, n in users_by_id(session).items()}
        self.parties: dict[tuple[str, int], tuple[models.Party, dict[str, Any]]] = {}
        """Parties read so far, by (reference in the file, desk): a party belongs to one desk,
        so one referred to by cases of two desks becomes one copy per desk."""
        self.case_ids: dict[str, int] = {}
        self.consultation_ids: dict[str, int] = {}
        self.versions: list[tuple[int, int, dt.datetime | None]] = []
        self.max_seq: dict[tuple[int, int, str], int] = {}
        self.imported: list[int] = []
        self.skipped: list[str] = []
        self.origins: dict[int, str] = {}
        """Case id → where in this file it came from (to say what a skipped row matched)."""

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
            desk = self.s.get(models.Desk, desk_id)
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
            user = models.User(
                username=u["username"], display_name=u["display_name"], role=u["role"],
                desk_id=self.desk_ids.get(u["desk"]) if u["desk"] else None,
                password_hash=u["password_hash"] or UNUSABLE_PASSWORD, phone=u["phone"],
                student_no=u["student_no"], active=u["active"] and has_hash,
                valid_from=u["valid_from"], valid_until=u["valid_until"], all_desks=u["all_desks"],
                password_changed_at=u["password_changed_at"],
                must_change_password=u["must_change_password"],
            )
            if u["created_at"] is not None:
                user.created_at = u["created_at"]
            self.s.add(user)
            self.s.flush()
            self.user_ids[user.username] = user.id
            audit.append(self.s, desk_id=user.desk_id, user_id=self.actor_id, action="user.create", entity="user",
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
            if row["key"] in reference.LIST_SETTINGS:
                # A desk's category or source list (files before 0007 kept them as settings).
                desks = [desk_id] if desk_id is not None else sorted(set(self.desk_ids.values()))
                for d in desks:
                    applied += reference.merge_list(self.s, self.actor, d, row["key"], row["value"])
                continue
            current = self.s.scalar(select(models.Setting).where(
                models.Setting.key == row["key"],
                models.Setting.desk_id.is_(None) if desk_id is None else models.Setting.desk_id == desk_id))
            if current is not None and current.value == row["value"]:
                continue
            reference.set_setting(self.s, self.actor, row["key"], row["value"], desk_id)
            if row["updated_at"] is not None:
                stored = self.s.scalar(select(models.Setting).where(
                    models.Setting.key == row["key"],
                    models.Setting.desk_id.is_(None) if desk_id is None else models.Setting.desk_id == desk_id))
                assert stored is not None
                self.s.flush()
                table = _table(models.Setting)
                self.s.execute(update(table).where(table.c.id == stored.id).values(updated_at=row["updated_at"]))
                self.s.expire(stored)
            applied += 1
        return applied

    def holidays(self, rows: list[dict[str, Any]]) -> int:
        applied = 0
        for h in rows:
            day = self.s.get(models.HolidayDay, h["day"])
            if day is not None and (day.kind, day.name, day.source) == (h["kind"], h["name"], h["source"]):
                continue
            if day is None:
                self.s.add(models.HolidayDay(day=h["day"], kind=h["kind"], name=h["name"], source=h["source"]))
            else:
                day.kind, day.name, day.source = h["kind"], h["name"], h["source"]
            applied += 1
        if applied:
            self.s.flush()
            stamp = reference.get_setting(self.s, "calendar_version")
            reference.set_setting(self.s, self.actor, "calendar_version",
                                  stamp + 1 if isinstance(stamp, int) else 1)
            audit.append(self.s, desk_id=None, user_id=self.actor_id, action="calendar.import", entity="holiday_day",
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
            existing = self.s.scalar(select(models.Consultation.id).where(
                models.Consultation.desk_id == desk_id, models.Consultation.asked_at == c["asked_at"],
                models.Consultation.topic == c["topic"], models.Consultation.person_name == c["person_name"]))
            if existing is not None:
                if c["ref"] is not None:
                    self.consultation_ids[c["ref"]] = existing
                skipped += 1
                continue
            row = models.Consultation(
                desk_id=desk_id, asked_at=c["asked_at"], person_name=c["person_name"],
                phone=c["phone"], topic=c["topic"],
                category_id=reference.ensure(self.s, desk_id, category=c["category"]).category_id,
                question=c["question"],
                answer=c["answer"], minutes=c["minutes"], answered_by_id=self.uid(c["answered_by"]))
            if c["created_at"] is not None:
                row.created_at = c["created_at"]
            self.s.add(row)
            self.s.flush()
            if c["ref"] is not None:
                self.consultation_ids[c["ref"]] = row.id
            audit.append(self.s, desk_id=desk_id, user_id=self.actor_id, action="consultation.import",
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
            row = self.s.get(models.Consultation, cons_id)
            if row is not None and row.converted_case_id is None:
                row.converted_case_id = case_id

    def case(self, c: dict[str, Any], *, origin_label: str) -> None:
        desk_id = self.desk_ids[c["desk"]]
        dup = self.duplicates.find(c, desk_id)
        if dup is not None:
            if c["ref"] is not None:
                self.case_ids[c["ref"]] = dup
            if dup in self.origins:
                matched = _("与本文件的{other}相同").format(other=self.origins[dup])
            else:
                matched = _("与已有案件 {case} 相同").format(case=describe_case(self.s, dup))
            self.skipped.append(_("{where}：{matched}，已跳过").format(where=origin_label, matched=matched))
            return
        case = models.Case(desk_id=desk_id)
        ids = reference.ensure(self.s, desk_id, category=c["category"], subcategory=c["subcategory"],
                               source=c["source"])
        case.category_id, case.subcategory_id, case.source_id = ids.category_id, ids.subcategory_id, ids.source_id
        for name in ("number", "year", "seq", "stage", "track",
                     "title", "facts", "claims", "amount", "registered_at", "accepted_at", "deadline",
                     "deadline_label", "result", "outcome_reason", "referred_to", "routes_suggested",
                     "police_exclusions_ack", "prevented_escalation", "agreement_kind",
                     "agreement_number", "agreement_terms", "agreement_amount", "performance_manner",
                     "performance_place", "performance_deadline", "agreement_reached_at",
                     "agreement_signed_at", "performance_status", "closed_at", "archived_at",
                     "retention_years", "prevented_escalation_people", "prevented_petition",
                     "prevented_petition_people", "police_method", "terminated_at", "judicial_applied_on",
                     "judicial_court", "judicial_outcome", "judicial_decided_on"):
            setattr(case, name, c[name])
        for name in ("track_decided_by", "registered_by", "accepted_by", "closed_by"):
            setattr(case, f"{name}_id", self.uid(c[name]))
        case.mediator_id = self.uid(c["mediator"])
        case.consultation_id = self.consultation_ids.get(c["consultation"]) if c["consultation"] else None
        case.people_involved = (c["people_involved"] if c["people_involved"] is not None
                                else len(c["parties"]))
        case.party_names = c["party_names"] if c["party_names"] is not None else summary_line(c["parties"])
        case.party_phones = (c["party_phones"] if c["party_phones"] is not None
                             else " ".join(p["phone"] for p in c["parties"] if p["phone"])[:500])
        now = utcnow()
        case.created_at = c["created_at"] or now
        case.updated_at = c["updated_at"] or now
        links: list[models.CaseParty] = []
        for p in c["parties"]:
            party = self._party(p, desk_id)
            link = models.CaseParty(party=party, role=p["role"], position=p["position"],
                                    party_type=p.get("party_type"))
            case.parties.append(link)
            links.append(link)
        for e in c["events"]:
            case.events.append(models.CaseEvent(at=e["at"], user_id=self.uid(e["user"]), kind=e["kind"],
                                                stage_from=e["stage_from"], stage_to=e["stage_to"],
                                                summary=e["summary"], data=e["data"]))
        self.s.add(case)
        self.s.flush()
        for p, link in zip(c["parties"], links, strict=True):
            if p["represents"] is not None:
                link.represents_id = links[p["represents"]].id
        for r in c["investigations"]:
            self.s.add(models.InvestigationRecord(
                case_id=case.id, held_at=r["held_at"], place=r["place"], subject=r["subject"],
                content=r["content"], investigator_id=self.uid(r["investigator"]),
                **_created(r["created_at"])))
        for r in c["sessions"]:
            self.s.add(models.SessionRecord(
                case_id=case.id, held_at=r["held_at"], place=r["place"], attendees=r["attendees"],
                content=r["content"], result=r["result"], mediator_id=self.uid(r["mediator"]),
                recorder_id=self.uid(r["recorder"]), **_created(r["created_at"])))
        for r in c["follow_ups"]:
            self.s.add(models.FollowUp(
                case_id=case.id, visited_at=r["visited_at"], method=r["method"], reason=r["reason"],
                result=r["result"], performance_status=r["performance_status"],
                user_id=self.uid(r["user"]), **_created(r["created_at"])))
        attachments: list[models.Attachment] = []
        for r in c["attachments"]:
            att = models.Attachment(case_id=case.id, filename=r["filename"], mime_type=r["mime_type"],
                                    size=r["size"], sha256=r["sha256"], content=r["content"],
                                    description=r["description"], added_by_id=self.uid(r["added_by"]))
            if r["added_at"] is not None:
                att.added_at = r["added_at"]
            self.s.add(att)
            attachments.append(att)
        if attachments or c["documents"]:
            self.s.flush()  # their ids are needed below; otherwise the audit row's flush writes them
        party_ids = {p["party_ref"]: link.party_id for p, link in zip(c["parties"], links, strict=True)
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
        self.origins[case.id] = origin_label
        self.duplicates.add(c, desk_id, case.id)
        audit.append(self.s, desk_id=desk_id, user_id=self.actor_id, action="case.import", entity="case",
                     entity_id=case.id, case_id=case.id,
                     after={"number": case.number, "stage": case.stage, "format": self.fmt,
                            "file": self.origin_name, "origin": origin_label,
                            "parties": [{"role": p["role"], "name": p["name"],
                                         "id": validation.mask_id_number(p["id_number"]),
                                         "phone": validation.mask_phone(p["phone"])}
                                        for p in c["parties"]]})
        # Keep the session small on big files: these rows are written already.
        self.s.expunge(case)

    def _document(self, case_id: int, d: dict[str, Any], attachments: list[models.Attachment],
                  party_ids: Mapping[str, int]) -> None:
        doc = models.Document(case_id=case_id, form=d["form"], title=d["title"], status=d["status"],
                              created_by_id=self.uid(d["created_by"]))
        now = utcnow()
        doc.created_at = d["created_at"] or now
        doc.updated_at = d["updated_at"] or now
        self.s.add(doc)
        self.s.flush()
        by_number: dict[int, models.DocumentVersion] = {}
        for v in d["versions"]:
            row = models.DocumentVersion(
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
                sig = models.Signature(version_id=by_number[v["number"]].id, signer_role=g["signer_role"],
                                       signer_name=g["signer_name"], party_id=party_ids.get(g["party_ref"] or ""),
                                       image_png=g["image"], sha256=g["sha256"],
                                       captured_by_id=self.uid(g["captured_by"]))
                if g["captured_at"] is not None:
                    sig.captured_at = g["captured_at"]
                self.s.add(sig)
        for r in d["reviews"]:
            self.s.add(models.DocumentReview(document_id=doc.id, version_id_reviewed=by_number[r["version"]].id,
                                             reviewer_id=self.uid(r["reviewer"]), decision=r["decision"],
                                             comment=r["comment"], seen_text=r["seen_text"], at=r["at"]))
        self.s.flush()
        # Plain UPDATE: keeps the lock version and timestamps as exported.
        table = _table(models.Document)
        self.s.execute(update(table).where(table.c.id == doc.id).values(
            current_version_id=by_number[d["current_version"]].id if d["current_version"] else None,
            version_id=d["version"] or 1, updated_at=doc.updated_at))
        self.s.expunge(doc)

    def _party(self, p: dict[str, Any], desk_id: int) -> models.Party:
        ref = p["party_ref"]
        if ref is not None and (ref, desk_id) in self.parties:
            return self.parties[(ref, desk_id)][0]
        party = models.Party(desk_id=desk_id, kind=p["kind"], name=p["name"], sex=p["sex"], ethnicity=p["ethnicity"],
                             birth_date=p["birth_date"],
                             id_type=p["id_type"], id_number=p["id_number"], phone=p["phone"],
                             address=p["address"], occupation=p["occupation"],
                             legal_representative=p["legal_representative"], note=p["note"],
                             created_by_id=self.uid(p["created_by"]))
        now = utcnow()
        party.created_at = p["created_at"] or now
        party.updated_at = p["updated_at"] or now
        if ref is not None:
            self.parties[(ref, desk_id)] = (party, p)
        return party

    def case_reviews(self, rows: list[dict[str, Any]]) -> int:
        """The 抽卷评查 draws with their reviews (after the cases: they name them by ref); a draw
        already here (same desk, period, seed and time) is skipped. One audit row per draw."""
        done = 0
        for d in rows:
            desk_id = self.desk_ids[d["desk"]]
            existing = self.s.scalar(select(models.CaseReviewDraw.id).where(
                models.CaseReviewDraw.desk_id == desk_id, models.CaseReviewDraw.period_from == d["period_from"],
                models.CaseReviewDraw.period_to == d["period_to"], models.CaseReviewDraw.seed == d["seed"],
                models.CaseReviewDraw.drawn_at == d["drawn_at"]))
            if existing is not None:
                continue
            draw = models.CaseReviewDraw(
                desk_id=desk_id, period_from=d["period_from"], period_to=d["period_to"], requested=d["requested"],
                seed=d["seed"], population=[self.case_ids[ref] for ref in d["population"]],
                drawn_by_id=self.uid(d["drawn_by"]), drawn_at=d["drawn_at"])
            self.s.add(draw)
            self.s.flush()
            for r in d["reviews"]:
                self.s.add(models.CaseReview(
                    desk_id=desk_id, draw_id=draw.id, case_id=self.case_ids[r["case"]], position=r["position"],
                    status=r["status"], checklist=r["checklist"], findings=r["findings"], comment=r["comment"],
                    reviewed_by_id=self.uid(r["reviewed_by"]), reviewed_at=r["reviewed_at"]))
            self.s.flush()
            audit.append(self.s, desk_id=desk_id, user_id=self.actor_id, action="review.import",
                         entity="case_review_draw", entity_id=draw.id,
                         after={"cases": [self.case_ids[r["case"]] for r in d["reviews"]], "format": self.fmt,
                                "origin": d["origin"]})
            done += 1
        return done

    def finish(self) -> None:
        """Keep versions and timestamps as in the file; move number sequences past imported numbers."""
        table = _table(models.Case)
        for case_id, version, updated_at in self.versions:
            if version != 1:
                self.s.execute(update(table).where(table.c.id == case_id)
                               .values(version_id=version, updated_at=updated_at))
        for (desk_id, year, kind), value in sorted(self.max_seq.items()):
            raise_sequence(self.s, desk_id=desk_id, year=year, kind=kind, at_least=value)
        self.s.flush()


def _created(value: dt.datetime | None) -> dict[str, Any]:
    return {"created_at": value} if value is not None else {}


def summary_line(parties: list[dict[str, Any]]) -> str:
    return party_summary([(p["role"], p["name"]) for p in parties])[:500]


def raise_sequence(session: Session, *, desk_id: int, year: int, kind: str, at_least: int) -> None:
    """Make the next number of (desk, year, kind) come after ``at_least`` (never lowers it)."""
    numbering.ensure_sequence(session, desk_id=desk_id, year=year, kind=kind)
    row = session.execute(
        select(models.NumberSequence)
        .where(models.NumberSequence.desk_id == desk_id, models.NumberSequence.year == year,
               models.NumberSequence.kind == kind)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    if row.last_value < at_least:
        row.last_value = at_least


def require_importer(session: Session, actor: Actor | None) -> None:
    from mediation.db import require_write

    require_write(session)
    if actor is None:
        if session.scalar(select(models.User.id).limit(1)) is not None:
            raise ValidationError(field="actor", message=_("数据库中已有账户，请以管理员身份导入（--as 管理员用户名）。"))
    else:
        require(actor, "data.import")


def require_desks(session: Session, actor: Actor | None, prefixes: set[str | None]) -> None:
    """Refuse (PermissionDenied) an import that would write into a desk the actor may not
    change: records of another desk, a new desk, or rows of no desk (accounts and settings
    of the whole installation) need the installation's administrator. ``prefixes``: the
    desks (by number prefix, None for no desk) the import writes rows into."""
    if actor is None or actor.writes_every_desk:
        return
    known = {prefix: i for i, prefix in desks_by_id(session).items()}
    for prefix in sorted(prefixes, key=lambda p: p or ""):
        if prefix is None or prefix not in known or not actor.may_write_desk(known[prefix]):
            raise PermissionDenied(_("您只能向本调解点导入数据；导入文件中有其他调解点或全局的记录（{d}），"
                                     "请由全局管理员导入。").format(d=prefix or _("不属于任何调解点")))


IDENTITY_FIELDS = ("category", "subcategory", "source", "facts", "claims", "amount")
"""With the desk, the registration time and the parties: what makes an unnumbered case the
same dispute (issue 11 item 10: two disputes of the same people on the same day, with
different categories, facts or amounts, are two cases)."""


_CHUNK = 500


class Duplicates:
    """Which cases of a file are stored already (or came earlier in the same file).

    A case with a number is the stored case of that number. An unnumbered one is the
    same dispute when the whole record matches — desk, registration time, parties and
    :data:`IDENTITY_FIELDS` — unless the ledger numbers the two rows (序号) differently.
    The stored candidates are read once for the whole file (a 60,000-row ledger is
    60,000 dictionary look-ups, not 120,000 queries).
    """

    def __init__(self, session: Session, cases: list[dict[str, Any]], desk_ids: Mapping[str, int]) -> None:
        self.by_number: dict[str, int] = {}
        self.by_record: dict[tuple[Any, ...], list[tuple[int, str | None]]] = {}
        numbers: list[str] = sorted({str(c["number"]) for c in cases if c["number"]})
        for i in range(0, len(numbers), _CHUNK):
            for number, case_id in session.execute(select(models.Case.number, models.Case.id).where(
                    models.Case.number.in_(numbers[i:i + _CHUNK]))):
                if number is not None:
                    self.by_number[number] = case_id
        wanted: dict[int, set[Any]] = {}
        for c in cases:
            if not c["number"] and c["desk"] in desk_ids and c["registered_at"] is not None:
                wanted.setdefault(desk_ids[c["desk"]], set()).add(c["registered_at"])
        # Category, sub-type and source are compared by their words (the file's labels).
        labelled: dict[str, tuple[Any, Any]] = {
            "category": (models.DisputeCategory, models.Case.category_id),
            "subcategory": (models.DisputeSubtype, models.Case.subcategory_id),
            "source": (models.CaseSource, models.Case.source_id)}
        cols: list[Any] = [func.coalesce(labelled[name][0].label, "") if name in labelled
                           else getattr(models.Case, name) for name in IDENTITY_FIELDS]
        found: list[tuple[int, tuple[Any, ...]]] = []
        for desk_id, times in wanted.items():
            ordered = sorted(times)
            for i in range(0, len(ordered), _CHUNK):
                q = select(models.Case.id, models.Case.registered_at, models.Case.party_names, *cols)
                for model, column in labelled.values():
                    q = q.outerjoin(model, model.id == column)
                for row in session.execute(q.where(
                        models.Case.desk_id == desk_id, models.Case.number.is_(None),
                        models.Case.registered_at.in_(ordered[i:i + _CHUNK]))):
                    found.append((row[0], (desk_id, row[1], row[2], *row[3:])))
        ledger_nos: dict[int, str | None] = {}
        ids = [case_id for case_id, _key in found]
        for i in range(0, len(ids), _CHUNK):
            for case_id, data in session.execute(select(models.CaseEvent.case_id, models.CaseEvent.data).where(
                    models.CaseEvent.case_id.in_(ids[i:i + _CHUNK]), models.CaseEvent.kind == "imported")):
                ledger_nos[case_id] = (data or {}).get("ledger_no")
        for case_id, key in sorted(found):
            self.by_record.setdefault(key, []).append((case_id, ledger_nos.get(case_id)))

    @staticmethod
    def _key(c: dict[str, Any], desk_id: int) -> tuple[Any, ...]:
        names = c["party_names"] if c.get("party_names") is not None else summary_line(c["parties"])
        return (desk_id, c["registered_at"], names, *(c.get(name) for name in IDENTITY_FIELDS))

    def find(self, c: dict[str, Any], desk_id: int) -> int | None:
        """The stored case ``c`` duplicates, or None."""
        if c["number"]:
            return self.by_number.get(c["number"])
        ledger_no = c.get("ledger_no")
        for case_id, stored_no in self.by_record.get(self._key(c, desk_id), []):
            if ledger_no is None or stored_no is None or stored_no == ledger_no:
                return case_id
        return None

    def add(self, c: dict[str, Any], desk_id: int, case_id: int) -> None:
        """``c`` was just written as ``case_id``: later rows of the file are compared with it too."""
        if c["number"]:
            self.by_number[c["number"]] = case_id
        else:
            self.by_record.setdefault(self._key(c, desk_id), []).append((case_id, c.get("ledger_no")))


def describe_case(session: Session, case_id: int) -> str:
    """A stored case in words, for "skipped: the same as …"."""
    from mediation.timeutil import fmt_local

    row = session.execute(select(models.Case.number, models.Case.registered_at, models.Case.party_names,
                                 models.DisputeCategory.label.label("category"))
                          .outerjoin(models.DisputeCategory, models.DisputeCategory.id == models.Case.category_id)
                          .where(models.Case.id == case_id)).one()
    if row.number:
        return str(row.number)
    return _("{date} 登记的 {parties}（{category}）").format(
        date=fmt_local(row.registered_at, with_time=False), parties=row.party_names, category=row.category or "—")


def audit_batch(session: Session, actor: Actor | None, summary: ImportSummary, name: str) -> None:
    audit.append(session, desk_id=actor.desk_id if actor else None, user_id=actor.user_id if actor else None, action="data.import",
                 entity="database",
                 after={"file": name, "format": summary.format, "cases": summary.cases_imported,
                        "skipped": len(summary.cases_skipped),
                        "consultations": summary.consultations_imported,
                        "users_created": summary.users_created, "desks_created": summary.desks_created})
