"""JSON export → import is lossless; imports are all or nothing (the Excel ledger: test_transfer_ledger)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select

from mediation import workflow
from mediation.db import Database
from mediation.errors import AuthError, PermissionDenied, ValidationError
from mediation.models import (
    Attachment,
    AuditLog,
    Case,
    CaseEvent,
    CaseSource,
    Consultation,
    Desk,
    DisputeCategory,
    DisputeSubtype,
    Document,
    DocumentReview,
    FollowUp,
    HolidayDay,
    InvestigationRecord,
    NumberSequence,
    SessionRecord,
    Setting,
    Signature,
    User,
)
from mediation.permissions import Actor
from mediation.services import (
    accounts,
    audit,
    case_detail,
    case_records,
    cases,
    consultations,
    deadlines,
    reference,
    setup,
    transfer,
)
from mediation.services.case_records import (
    FollowUpInput,
    InvestigationInput,
    SessionInput,
)
from mediation.services.cases import AgreementInput
from mediation.services.parties import PartyInput
from mediation.services import case_review
from mediation.timeutil import local_today, utcnow
from tests.conftest import Desk as DeskPeople
from tests.factories import dispute, final_cover, make_id, person

RARE = ["王䶮", "𠮷田·花子", "李㛃", "阿依古丽·买买提"]


# ---------------------------------------------------------------- a canonical dump, independent of transfer.py


def _row(obj: Any, skip: set[str]) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in inspect(obj).mapper.column_attrs if c.key not in skip}


def canonical(db: Database) -> dict[str, Any]:
    """Everything the export promises to carry, keyed by natural keys instead of ids.

    Built from the models' own column lists, so a column added later and forgotten by
    the export makes this test fail.
    """
    with db.read() as s:
        users = {u.id: u.username for u in s.scalars(select(User))}
        desks = {d.id: d.number_prefix for d in s.scalars(select(Desk))}
        uid = users.get
        case_key: dict[int, Any] = {}
        for c in s.scalars(select(Case)):
            case_key[c.id] = c.number or (desks[c.desk_id], c.registered_at.isoformat(), c.party_names)
        cons_key = {c.id: (desks[c.desk_id], c.asked_at.isoformat(), c.topic)
                    for c in s.scalars(select(Consultation))}
        user_fk = {"registered_by_id", "accepted_by_id", "mediator_id", "closed_by_id", "track_decided_by_id",
                   "created_by_id", "user_id", "investigator_id", "recorder_id", "added_by_id",
                   "answered_by_id", "approved_by_id", "finalized_by_id", "captured_by_id", "reviewer_id"}

        ref_labels = {
            "category_id": {c.id: (desks[c.desk_id], c.label) for c in s.scalars(select(DisputeCategory))},
            "subcategory_id": {c.id: (desks[c.desk_id], c.label) for c in s.scalars(select(DisputeSubtype))},
            "source_id": {c.id: (desks[c.desk_id], c.label) for c in s.scalars(select(CaseSource))},
        }

        def natural(d: dict[str, Any]) -> dict[str, Any]:
            out = {}
            for k, v in d.items():
                if k in ref_labels:
                    out[k] = ref_labels[k].get(v) if v is not None else None
                elif k in user_fk:
                    out[k] = uid(v) if v is not None else None
                elif k == "desk_id":
                    out[k] = desks.get(v) if v is not None else None
                elif k == "consultation_id":
                    out[k] = cons_key.get(v) if v is not None else None
                elif k == "converted_case_id":
                    out[k] = case_key.get(v) if v is not None else None
                else:
                    out[k] = v
            return out

        dump: dict[str, Any] = {
            "desks": sorted((natural(_row(d, {"id"})) for d in s.scalars(select(Desk))),
                            key=lambda d: d["number_prefix"]),
            "users": sorted((natural(_row(u, {"id", "failed_logins", "locked_until", "last_login_at"}))
                             for u in s.scalars(select(User))), key=lambda u: u["username"]),
            "settings": sorted((natural(_row(x, {"id"})) for x in s.scalars(select(Setting))
                                if x.key not in ("calendar_version", "statistics_basis")),  # per database
                               key=lambda x: (x["desk_id"] or "", x["key"])),
            "reference": sorted((desks[c.desk_id], kind, c.label, c.active)
                                for kind, model in (("category", DisputeCategory), ("subtype", DisputeSubtype),
                                                    ("source", CaseSource))
                                for c in s.scalars(select(model)) if c.active),
            "holidays": [_row(h, set()) for h in s.scalars(select(HolidayDay).order_by(HolidayDay.day))],
            "sequences": sorted((desks[n.desk_id], n.year, n.kind, n.last_value)
                                for n in s.scalars(select(NumberSequence))),
            "consultations": sorted((natural(_row(c, {"id"})) for c in s.scalars(select(Consultation))),
                                    key=lambda c: (c["desk_id"], c["asked_at"].isoformat(), c["topic"])),
        }
        all_cases = []
        party_links: dict[int, list[Any]] = {}
        for c in s.scalars(select(Case)):
            for link in c.parties:
                party_links.setdefault(link.party_id, []).append((case_key[c.id], link.position))
        for c in s.scalars(select(Case)):
            links = {link.id: link.position for link in c.parties}
            entry = natural(_row(c, {"id"}))
            entry["parties"] = [{
                **natural(_row(link, {"id", "case_id", "party_id", "represents_id"})),
                "represents": links.get(link.represents_id) if link.represents_id else None,
                "party": natural(_row(link.party, {"id"})),
                "shared_with": sorted(k for k in party_links[link.party_id] if k != (case_key[c.id], link.position)),
            } for link in c.parties]
            for name, model in (("events", CaseEvent), ("investigations", InvestigationRecord),
                                ("sessions", SessionRecord), ("follow_ups", FollowUp),
                                ("attachments", Attachment)):
                rows = s.scalars(select(model).where(model.case_id == c.id).order_by(model.id))
                entry[name] = [natural(_row(r, {"id", "case_id"})) for r in rows]
            atts = {a.id: (a.filename, a.sha256) for a in s.scalars(select(Attachment).where(Attachment.case_id == c.id))}
            parties = {link.party_id: (link.party.name, link.party.id_number) for link in c.parties}
            entry["documents"] = []
            for d in s.scalars(select(Document).where(Document.case_id == c.id).order_by(Document.id)):
                numbers = {v.id: v.number for v in d.versions}
                doc = natural(_row(d, {"id", "case_id", "current_version_id"}))
                doc["current"] = numbers.get(d.current_version_id)
                doc["versions"] = []
                for v in d.versions:
                    # audit_anchor is a checkpoint of the source database's own audit chain:
                    # meaningless in another database, so never carried over.
                    ver = natural(_row(v, {"id", "document_id", "scan_attachment_id", "audit_anchor"}))
                    ver["scan"] = atts.get(v.scan_attachment_id)
                    ver["signatures"] = [
                        {**natural(_row(g, {"id", "version_id", "party_id"})), "party": parties.get(g.party_id)}
                        for g in s.scalars(select(Signature).where(Signature.version_id == v.id).order_by(Signature.id))]
                    doc["versions"].append(ver)
                doc["reviews"] = [{**natural(_row(r, {"id", "document_id", "version_id_reviewed"})),
                                   "version": numbers.get(r.version_id_reviewed)}
                                  for r in s.scalars(select(DocumentReview).where(
                                      DocumentReview.document_id == d.id).order_by(DocumentReview.id))]
                entry["documents"].append(doc)
            all_cases.append((json.dumps(case_key[c.id], ensure_ascii=False), entry))
        dump["cases"] = [e for _k, e in sorted(all_cases, key=lambda kv: kv[0])]
        # 抽卷评查: the draws with their population and reviews, cases by their natural key
        from mediation.models import CaseReview, CaseReviewDraw

        draws = []
        for d in s.scalars(select(CaseReviewDraw)):
            entry = natural(_row(d, {"id", "population", "drawn_by_id"}))
            entry["drawn_by"] = uid(d.drawn_by_id) if d.drawn_by_id else None
            entry["population"] = [case_key[i] for i in d.population]
            entry["reviews"] = [{**natural(_row(r, {"id", "draw_id", "case_id", "reviewed_by_id"})),
                                 "case": case_key[r.case_id],
                                 "reviewed_by": uid(r.reviewed_by_id) if r.reviewed_by_id else None}
                                for r in s.scalars(select(CaseReview).where(CaseReview.draw_id == d.id)
                                                   .order_by(CaseReview.position))]
            draws.append(entry)
        dump["case_reviews"] = sorted(draws, key=lambda d: (d["desk_id"], d["drawn_at"].isoformat()))
    return dump


# ---------------------------------------------------------------- rich data through the services


def populate(db: Database, desk: DeskPeople, *, documents: bool = False) -> dict[str, int]:
    """Every stage, track and record kind, with rare characters, money and files.

    ``documents``: the agreement also goes through the documents service (drafted,
    reviewed, signed, finalised as PDF, scan attached, then corrected as version 2).
    """
    now = utcnow()
    admin, officer, volunteer = desk.admin, desk.officer, desk.volunteer
    ids: dict[str, int] = {}
    with db.write() as s:
        loan = reference.add_item(s, admin, desk.desk_id, "category", "校园贷")
        reference.add_item(s, admin, desk.desk_id, "subtype", "分期", category_id=loan)
        reference.set_setting(s, admin, "idle_lock_minutes", 7, desk.desk_id)
        deadlines.set_day(s, admin, dt.date(2031, 5, 6), "holiday", "校庆放假")
        desk2 = setup.create_desk(s, admin, name="第二联调中心", number_prefix="Y警校调字",
                                  committee_name="第二人民调解委员会")
        uid2 = accounts.create_user(s, admin, username="officer2", display_name="欧阳·警官",
                                    role="officer", password="Qiushi-Lake-42", desk_id=desk2,
                                    valid_until=dt.date(2031, 7, 1), all_desks=True)
        gone = accounts.create_user(s, admin, username="former", display_name="司马老师", role="adviser",
                                    password="Qiushi-Lake-42", desk_id=desk.desk_id)
        accounts.set_user_active(s, admin, gone, active=False)
    officer2 = Actor(uid2, "officer2", "欧阳·警官", "officer", desk2, True)

    with db.write() as s:  # 1: people's mediation, written agreement, followed up, archived
        ref = cases.register_case(s, volunteer, dispute(
            parties=[person("applicant", RARE[0], seq=101),
                     PartyInput(role="respondent", kind="org", name="某某房产经纪有限公司",
                                id_number="91110105MA01ABCD2X", phone="010-62345678-123",
                                legal_representative="赵某", address="某市某区学府路2号"),
                     person("agent", RARE[1], seq=102, represents=0)],
            amount="12345.67", title="押金纠纷"))
        ids["agreed"] = ref.id
        cases.choose_track(s, officer, ref.id, workflow.PEOPLE)
        cases.assign_mediator(s, officer, ref.id, volunteer.user_id)
        cases.accept_case(s, officer, ref.id)
        case_records.add_investigation(s, volunteer, ref.id, InvestigationInput(
            held_at=now - dt.timedelta(hours=5), content="查看租赁合同与转账记录。", place="联调中心",
            subject="申请人"))
        case_records.add_attachment(s, volunteer, ref.id, filename="转账记录.png",
                             content=bytes(range(256)) * 3 + b"\x00\xff", mime_type="image/png",
                             description="转账截图")
        case_records.add_session_record(s, volunteer, ref.id, SessionInput(
            held_at=now - dt.timedelta(hours=2), content="双方同意退还押金12,345.67元。\n第二行。",
            place="调解室", attendees="、".join(RARE[:2]), result="agreed"))
        cases.record_agreement(s, volunteer, ref.id, AgreementInput(
            kind="written", terms="被申请人于七日内退还押金。", amount="12345.67",
            performance_manner="银行转账", performance_place="线上",
            performance_deadline=dt.date.today() + dt.timedelta(days=7), signed=not documents,
            reached_at=now - dt.timedelta(hours=1)))
    if documents:
        _documents_for(db, desk, ref.id)
    with db.write() as s:
        case_records.add_follow_up(s, volunteer, ref.id, FollowUpInput(
            visited_at=now - dt.timedelta(minutes=30), result="已退还。", performance_status="performed",
            method="visit", reason="核实履行"))
        cases.close_case(s, officer, ref.id, prevented_escalation=True)
    with db.write() as s:
        final_cover(s, desk, ref.id, retention="30年")
    with db.write() as s:
        cases.archive_case(s, officer, ref.id)

    with db.write() as s:  # 2: police track, minor with guardian, exclusion acknowledged, terminated
        minor = dt.date.today().replace(year=dt.date.today().year - 15, day=1)
        ref = cases.register_case(s, volunteer, dispute(
            parties=[person("applicant", "张三", seq=111), person("respondent", "小明", birth=minor, seq=333),
                     person("guardian", "小明妈妈", birth=dt.date(1980, 1, 2), seq=444, represents=1)],
            category="损害赔偿", subcategory="人身损害", amount="0.01"))
        ids["police"] = ref.id
        cases.choose_track(s, officer, ref.id, workflow.POLICE, exclusions=["repeat"], acknowledge=True)
        cases.assign_mediator(s, officer, ref.id, officer.user_id)
        cases.accept_case(s, officer, ref.id)
        case_records.add_session_record(s, officer, ref.id, SessionInput(
            held_at=now - dt.timedelta(hours=3), content="被申请人拒绝赔偿。", result="failed"))
        cases.terminate_case(s, officer, ref.id, reason="一方拒绝调解。", routes="可向法院起诉。")
        case_records.add_note(s, officer, ref.id, "已告知其他途径。")

    with db.write() as s:  # 3: registered only: a foreign student with a passport, no amount
        ref = cases.register_case(s, volunteer, dispute(
            parties=[PartyInput(role="applicant", name="约翰·史密斯", id_type="passport",
                                id_number="E12345678", phone="+86 138 0013 8000"),
                     person("respondent", RARE[2], seq=222)], amount=None, facts="网购纠纷。"))
        ids["registered"] = ref.id
        shared_party = case_detail.get_case(s, officer, ref.id).parties[1].party_id
    with db.write() as s:  # 4, 5: declined and referred
        ids["declined"] = cases.register_case(s, volunteer, dispute()).id
        cases.decline_case(s, officer, ids["declined"], reason="已起诉至法院。")
        ids["referred"] = cases.register_case(s, volunteer, dispute(amount="999999999.99")).id
        cases.refer_case(s, officer, ids["referred"], referred_to="劳动仲裁委员会", reason="属于劳动争议。")
    with db.write() as s:  # 6: a consultation converted into a case, reusing a stored party
        cid = consultations.log_consultation(s, volunteer, consultations.ConsultationInput(
            topic="押金不退怎么办", answer="建议申请调解。", person_name=RARE[3], phone="13712345678",
            question="房东不退押金", category="校园贷", minutes=15))
        consultations.log_consultation(s, volunteer, consultations.ConsultationInput(
            topic="兼职工资", answer="保留聊天记录。", minutes=5))
        form = consultations.prefill_case(s, volunteer, cid)
        form.parties.append(PartyInput(role="respondent", name=RARE[2], existing_party_id=shared_party))
        ids["converted"] = consultations.convert_to_case(s, volunteer, cid, form).id
    with db.write() as s:  # 7: the second desk
        ids["desk2"] = cases.register_case(s, officer2, dispute(desk_id=desk2)).id
        cases.choose_track(s, officer2, ids["desk2"], workflow.PEOPLE)
        cases.accept_case(s, officer2, ids["desk2"])
    with db.write() as s:  # 8: 抽卷评查 of the cases closed today, one reviewed with findings
        today = local_today()
        drawn = case_review.draw_cases(s, officer, period_from=today, period_to=today, n=2, seed=20261206)
        assert len(drawn.case_ids) == 2
        first = case_review.list_draws(s, officer)[0].reviews[0].id
        case_review.record_review(s, officer, first, {
            k: case_review.ItemInput(met=k != case_review.FOLLOW_UP, note="未回访" if k == case_review.FOLLOW_UP else "")
            for k in case_review.CHECK_ITEMS}, other="卷内目录页码有误", comment="限期整改")
        ids["draw"] = drawn.draw_id
    return ids


def _documents_for(db: Database, desk: DeskPeople, case_id: int) -> None:
    from mediation.services import documents as docs
    from tests.pngs import png

    with db.write() as s:
        doc_id = docs.create_draft(s, desk.volunteer, case_id, "people_agreement")
        docs.submit(s, desk.volunteer, doc_id)
    with db.write() as s:
        docs.mark_viewed(s, desk.officer, doc_id)
        docs.approve(s, desk.officer, doc_id, comment="同意")
        applicant = case_detail.get_case(s, desk.officer, case_id).parties[0]
        docs.add_signature(s, desk.volunteer, doc_id, signer_role="applicant", signer_name=applicant.name,
                           image_png=png(), party_id=applicant.party_id)
        docs.finalize(s, desk.volunteer, doc_id, signed_on_paper=True)
    with db.write() as s:
        docs.attach_signed_scan(s, desk.volunteer, doc_id, filename="协议书签字扫描件.pdf",
                                content=b"%PDF-1.4 scanned " + bytes(range(200)))
        docs.supersede(s, desk.volunteer, doc_id, reason="当事人地址笔误")


def _fresh_sqlite(template: Path, tmp: Path, name: str) -> Database:
    path = tmp / f"{name}.sqlite3"
    shutil.copy(template, path)
    return Database(f"sqlite:///{path}")


def _admin_of(db: Database) -> Actor:
    with db.read() as s:
        return accounts.actor_for(s.scalars(select(User).where(User.username == "admin")).one())


# ---------------------------------------------------------------- round trips


def test_export_then_import_into_a_fresh_database_is_lossless(db, desk, sqlite_template, tmp_path) -> None:
    populate(db, desk, documents=True)
    out = tmp_path / "export.json"
    with db.write() as s:
        summary = transfer.export(s, desk.admin, out)
    assert summary.cases == 7 and summary.attachments == 2 and summary.password_hashes
    text = out.read_text(encoding="utf-8")
    assert "𠮷田·花子" in text and "䶮" in text and '"12345.67"' in text  # kept as written, not escaped

    target = _fresh_sqlite(sqlite_template, tmp_path, "target")
    try:
        with target.write() as s:
            result = transfer.import_(s, None, out)  # an empty database: imported "as the system"
        assert result.cases_imported == 7 and not result.cases_skipped
        assert canonical(target) == canonical(db)
        with target.read() as s:
            assert audit.verify(s).ok
            assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "case.import")) == 7
            agreed = s.scalar(select(Case).where(Case.result == "success"))
            assert agreed is not None and agreed.amount == Decimal("12345.67")
        # The imported accounts keep their passwords; numbering continues after the imported numbers.
        admin = accounts.login(target, "admin", "Harbor-Maple-2718")
        with target.write() as s:
            new = cases.register_case(s, admin, dispute())
            cases.choose_track(s, admin, new.id, workflow.PEOPLE)
            number = cases.accept_case(s, admin, new.id).number
        assert number is not None and number.endswith("第003号")  # 001 and 002 came with the file
    finally:
        target.dispose()


def test_import_into_every_backend_from_a_sqlite_export(db, sqlite_template, tmp_path) -> None:
    source = _fresh_sqlite(sqlite_template, tmp_path, "source")
    try:
        people = DeskPeople(source)
        populate(source, people, documents=True)
        out = tmp_path / "export.json"
        transfer.export_database(source, people.admin, out)
        with db.write() as s:
            transfer.import_(s, None, out)
        assert canonical(db) == canonical(source)
        # A second import of the same file changes nothing: every case is a duplicate.
        admin = _admin_of(db)
        before = canonical(db)
        with db.write() as s:
            again = transfer.import_(s, admin, out)
        assert again.cases_imported == 0 and len(again.cases_skipped) == 7
        assert again.consultations_imported == 0
        assert canonical(db) == before
        with db.read() as s:
            assert audit.verify(s).ok
    finally:
        source.dispose()


def test_export_is_audited_and_scoped_for_officers(db, desk, tmp_path) -> None:
    ids = populate(db, desk)
    out = tmp_path / "officer.json"
    summary = transfer.export_database(db, desk.officer, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert summary.cases == 6 and not summary.password_hashes  # desk 2's case is not theirs
    assert all("password_hash" not in u for u in doc["users"])
    assert {c["desk"] for c in doc["cases"]} == {"X警校调字"}
    assert ids["desk2"] not in {c["ref"] for c in doc["cases"]}
    with db.read() as s:
        row = s.scalars(select(AuditLog).where(AuditLog.action == "data.export")).one()
        assert row.user_id == desk.officer.user_id and row.after["cases"] == 6
    with db.read() as s, pytest.raises(PermissionDenied):
        transfer.export(s, desk.volunteer, tmp_path / "no.json")
    with db.write() as s, pytest.raises(PermissionDenied):
        transfer.import_(s, desk.officer, out)


def test_accounts_exported_without_hashes_arrive_disabled(db, desk, sqlite_template, tmp_path) -> None:
    populate(db, desk)
    out = tmp_path / "nohash.json"
    transfer.export_database(db, desk.admin, out, password_hashes=False)
    target = _fresh_sqlite(sqlite_template, tmp_path, "target")
    try:
        with target.write() as s:
            transfer.import_(s, None, out)
        with target.read() as s:
            assert not any(s.scalars(select(User.active)))
        with pytest.raises(AuthError) as exc:  # no password on record: no password is right
            accounts.login(target, "admin", "Harbor-Maple-2718")
        assert exc.value.reason == "bad_password"
        assert canonical(target)["cases"] == canonical(db)["cases"]
    finally:
        target.dispose()


# ---------------------------------------------------------------- refusals


def _doc(db: Database, desk: DeskPeople, tmp_path: Path) -> dict[str, Any]:
    populate(db, desk)
    out = tmp_path / "export.json"
    transfer.export_database(db, desk.admin, out)
    return json.loads(out.read_text(encoding="utf-8"))


def _write(doc: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_bad_record_refuses_the_whole_file_and_names_each_field(db, desk, sqlite_template, tmp_path) -> None:
    doc = _doc(db, desk, tmp_path)
    good_id = doc["cases"][1]["parties"][0]["id_number"]
    doc["cases"][1]["parties"][0]["id_number"] = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    doc["cases"][2]["amount"] = "12.345"
    doc["cases"][3]["registered_at"] = (utcnow() + dt.timedelta(days=3)).isoformat()
    doc["cases"][4]["mediator"] = "nobody"
    doc["cases"][5]["registered_at"] = "2025-03-01 08:00"  # no time zone
    doc["consultations"][0]["phone"] = "12345"
    target = _fresh_sqlite(sqlite_template, tmp_path, "target")
    try:
        with target.write() as s, pytest.raises(ValidationError) as exc:
            transfer.import_(s, None, _write(doc, tmp_path / "bad.json"))
        assert {"cases[1].parties[0].id_number", "cases[2].amount", "cases[3].registered_at",
                "cases[4].mediator", "cases[5].registered_at", "consultations[0].phone"} <= set(exc.value.errors)
        assert "校验位" in exc.value.errors["cases[1].parties[0].id_number"]
        with target.read() as s:  # nothing at all was written: not even the desks or accounts
            for model in (Case, User, Desk, Consultation, AuditLog, HolidayDay):
                assert s.scalar(select(func.count()).select_from(model)) == 0
    finally:
        target.dispose()


def test_duplicate_numbers_in_one_file_and_unknown_versions_are_refused(db, desk, tmp_path) -> None:
    doc = _doc(db, desk, tmp_path)
    numbered = [i for i, c in enumerate(doc["cases"]) if c["number"]]
    doc["cases"][numbered[1]]["number"] = doc["cases"][numbered[0]]["number"]
    admin = desk.admin
    with db.write() as s, pytest.raises(ValidationError) as exc:
        transfer.import_(s, admin, _write(doc, tmp_path / "dup.json"))
    assert f"cases[{numbered[1]}].number" in exc.value.errors
    doc2 = {**doc, "version": transfer.VERSION + 1}
    with db.write() as s, pytest.raises(ValidationError) as exc:
        transfer.import_(s, admin, _write(doc2, tmp_path / "newer.json"))
    assert "新" in str(exc.value)
    (tmp_path / "broken.json").write_text('{"format": "mediation-desk-export", ', encoding="utf-8")
    with db.write() as s, pytest.raises(ValidationError) as exc:
        transfer.import_(s, admin, tmp_path / "broken.json")
    assert "JSON" in str(exc.value)
    with db.write() as s, pytest.raises(ValidationError):
        transfer.import_(s, None, _write(doc, tmp_path / "as-nobody.json"))  # accounts exist: an admin must import


# ---------------------------------------------------------------- property: generated files round-trip


NAME_CHARS = "王李张刘陈杨黄赵吴周徐孙马朱胡䶮𠮷㛃明华芳娜伟静"
TEXT_CHARS = NAME_CHARS + "的了押金房东退还元，。、！？abcXYZ0123456789 \n·（）"
UTC8 = dt.timezone(dt.timedelta(hours=8))
ZONES = st.sampled_from([dt.UTC, UTC8, dt.timezone(dt.timedelta(hours=-5, minutes=-30))])


def _names() -> st.SearchStrategy[str]:
    part = st.text(alphabet=NAME_CHARS, min_size=1, max_size=3)
    return st.one_of(part, st.tuples(part, part).map(lambda t: "·".join(t)))


def _texts(required: bool = False, max_size: int = 40) -> st.SearchStrategy[str]:
    base = st.text(alphabet=TEXT_CHARS, max_size=max_size).map(lambda t: t.strip())
    return base.map(lambda t: t or "无") if required else base


_past = st.datetimes(min_value=dt.datetime(2016, 1, 1), max_value=dt.datetime(2025, 12, 31),
                     timezones=ZONES).map(lambda d: d.isoformat())


@st.composite
def _party(draw: st.DrawFn, i: int) -> dict[str, Any]:
    """Party ``i`` of a case: the first is the applicant; agents act for the first."""
    kind = draw(st.sampled_from(["person", "person", "person", "org"]))
    p: dict[str, Any] = {"role": "applicant" if i == 0 else draw(
        st.sampled_from(["respondent", "third", "agent"])), "position": i, "kind": kind}
    if kind == "org":
        p.update(name=draw(_names()) + "有限公司", id_type="other", id_number=draw(st.sampled_from(["", "9111"])))
    else:
        p["name"] = draw(_names())
        which = draw(st.sampled_from(["resident", "resident", "passport", "none"]))
        if which == "resident":
            birth = draw(st.dates(dt.date(1950, 1, 1), dt.date(2008, 12, 31)))
            p.update(id_type="resident_id", id_number=make_id(birth, draw(st.integers(1, 999))))
        elif which == "passport":
            p.update(id_type="passport", id_number=draw(st.from_regex(r"[A-Z][0-9]{8}", fullmatch=True)))
        else:
            p.update(id_type="none", id_number="")
    p["phone"] = draw(st.one_of(st.just(""), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
                                st.from_regex(r"0(10|2[0-9]|[3-9][0-9]{2})-[1-9][0-9]{6,7}", fullmatch=True)))
    p["address"] = draw(_texts())
    p["represents"] = 0 if p["role"] == "agent" else None
    return p


@st.composite
def _case(draw: st.DrawFn, i: int) -> dict[str, Any]:
    numbered = draw(st.booleans())
    c: dict[str, Any] = {
        "ref": i, "desk": "H警校调字",
        "stage": draw(st.sampled_from(sorted(workflow.STAGES))),
        "track": draw(st.sampled_from([None, *sorted(workflow.TRACKS)])),
        "category": draw(st.sampled_from(["", "合同", "邻里", "损害赔偿"])),
        "source": draw(st.sampled_from(["", "当事人申请", "110警情转交"])),
        "title": draw(_texts()), "facts": draw(_texts(required=True, max_size=200)),
        "claims": draw(_texts()),
        "amount": draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=Decimal("999999999.99"),
                                                         places=2, allow_nan=False).map(str))),
        "registered_at": draw(_past), "registered_by": draw(st.sampled_from([None, "hadmin", "hvol"])),
        "mediator": draw(st.sampled_from([None, "hvol"])),
        "result": draw(st.sampled_from([None, *sorted(workflow.RESULTS)])),
        "prevented_escalation": draw(st.booleans()),
        "agreement_amount": draw(st.one_of(st.none(), st.integers(0, 10**6).map(lambda n: f"{n / 100:.2f}"))),
        "version": draw(st.integers(1, 50)),
    }
    if numbered:
        year = draw(st.integers(2016, 2025))
        c.update(number=f"（{year}）H警校调字第{i + 1:03d}号", year=year, seq=i + 1)
    n = draw(st.integers(1, 4))
    c["parties"] = [draw(_party(j)) for j in range(n)]
    for j, p in enumerate(c["parties"]):
        p["party_ref"] = f"p{i}-{j}"
    c["events"] = [{"at": draw(_past), "user": draw(st.sampled_from([None, "hvol"])), "kind": "note",
                    "summary": draw(_texts()), "data": draw(st.one_of(st.none(), st.fixed_dictionaries(
                        {"n": st.integers(-5, 5), "s": _texts()})))}
                   for _k in range(draw(st.integers(0, 2)))]
    c["sessions"] = [{"held_at": draw(_past), "content": draw(_texts(required=True)),
                      "result": draw(st.sampled_from(["continued", "agreed", "failed"]))}
                     for _k in range(draw(st.integers(0, 2)))]
    c["follow_ups"] = [{"visited_at": draw(_past), "result": draw(_texts(required=True)),
                        "performance_status": "performed", "method": "phone"}
                       for _k in range(draw(st.integers(0, 1)))]
    c["attachments"] = [{"filename": "证据.bin", "content_base64": __import__("base64").b64encode(
        draw(st.binary(max_size=64))).decode()} for _k in range(draw(st.integers(0, 1)))]
    return c


@st.composite
def _documents(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 4))
    generated = [draw(_case(i)) for i in range(n)]
    # Two unnumbered cases of the same moment and parties are one case to the importer.
    keys = [(c.get("number") or "", _utc(c["registered_at"]),
             tuple((p["role"], p["name"]) for p in c["parties"])) for c in generated]
    assume(len(set(keys)) == len(keys))
    return {
        "format": transfer.FORMAT, "version": 1,
        "desks": [{"prefix": "H警校调字", "name": "湖畔大学警校联调中心"}],
        "users": [{"username": "hadmin", "display_name": "管理员", "role": "admin", "desk": "H警校调字",
                   "password_hash": "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"},
                  {"username": "hvol", "display_name": "欧阳·小䶮", "role": "volunteer", "desk": "H警校调字",
                   "valid_until": "2030-06-30"}],
        "cases": generated,
    }


def _utc(value: str | None) -> str | None:
    return None if value is None else dt.datetime.fromisoformat(value).astimezone(dt.UTC).isoformat()


def _project(c: dict[str, Any]) -> dict[str, Any]:
    """The part of a case that must come back exactly as it was put in."""
    return {
        "number": c.get("number"), "stage": c["stage"], "track": c.get("track"), "facts": c["facts"],
        "title": c.get("title", ""), "claims": c.get("claims", ""), "category": c.get("category", ""),
        "amount": None if c.get("amount") is None else Decimal(c["amount"]),
        "agreement_amount": None if c.get("agreement_amount") is None else Decimal(c["agreement_amount"]),
        "registered_at": _utc(c["registered_at"]), "registered_by": c.get("registered_by"),
        "mediator": c.get("mediator"), "result": c.get("result"), "version": c.get("version", 1),
        "prevented_escalation": c.get("prevented_escalation", False),
        "parties": [(p["role"], p["kind"], p["name"], p.get("id_type"), p.get("id_number", ""),
                     p.get("phone", ""), p.get("address", ""), p.get("represents")) for p in c["parties"]],
        "events": [(_utc(e["at"]), e.get("user"), e["summary"], e.get("data")) for e in c.get("events", [])],
        "sessions": [(_utc(r["held_at"]), r["content"], r["result"]) for r in c.get("sessions", [])],
        "follow_ups": [(_utc(r["visited_at"]), r["result"]) for r in c.get("follow_ups", [])],
        "attachments": [r["content_base64"] for r in c.get("attachments", [])],
    }


@pytest.fixture(scope="module")
def scratch_pair(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """Two SQLite databases reused (emptied) by every generated example: warm engines keep it fast."""
    tmp = tmp_path_factory.mktemp("roundtrip")
    pair = (_fresh_sqlite(sqlite_template, tmp, "a"), _fresh_sqlite(sqlite_template, tmp, "b"), tmp)
    yield pair
    pair[0].dispose()
    pair[1].dispose()


def _wipe(db: Database) -> None:
    from mediation.models import Base

    with db.write() as s:
        for table in reversed(Base.metadata.sorted_tables):
            s.execute(table.delete())


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(doc=_documents())
def test_generated_files_round_trip(doc: dict[str, Any], scratch_pair) -> None:
    first, second, tmp = scratch_pair
    _wipe(first)
    _wipe(second)
    with first.write() as s:
        transfer.import_document(s, None, doc, origin_name="generated.json")
    admin = _admin_of_name(first, "hadmin")
    out1, out2 = tmp / "one.json", tmp / "two.json"
    transfer.export_database(first, admin, out1)
    exported = json.loads(out1.read_text(encoding="utf-8"))
    assert [_project(c) for c in exported["cases"]] == [_project(c) for c in doc["cases"]]
    with second.write() as s:
        transfer.import_(s, None, out1)
    transfer.export_database(second, _admin_of_name(second, "hadmin"), out2)
    again = json.loads(out2.read_text(encoding="utf-8"))
    for key in ("desks", "users", "settings", "holidays", "number_sequences", "consultations"):
        assert again[key] == exported[key], key
    strip = ("ref",)  # database ids differ; everything else must be identical
    assert [{k: v for k, v in c.items() if k not in strip} for c in again["cases"]] == \
        [{k: v for k, v in c.items() if k not in strip} for c in exported["cases"]]
    assert canonical(second) == canonical(first)


def _admin_of_name(db: Database, username: str) -> Actor:
    with db.read() as s:
        return accounts.actor_for(s.scalars(select(User).where(User.username == username)).one())


def test_a_bad_case_review_refuses_the_file_and_names_its_field(db, desk, sqlite_template, tmp_path) -> None:
    doc = _doc(db, desk, tmp_path)
    assert len(doc["case_reviews"]) == 1
    draw = doc["case_reviews"][0]
    reviewed = next(r for r in draw["reviews"] if r["status"] == "reviewed")
    assert {"kind": "follow_up", "text": "未回访"} in reviewed["findings"]
    assert {"kind": "other", "text": "卷内目录页码有误"} in reviewed["findings"]
    assert all(ref in {c["ref"] for c in doc["cases"]} for ref in draw["population"])
    draw["reviews"][0]["case"] = 99999  # a case not in the file
    draw["reviews"][1]["findings"] = [{"kind": "typo", "text": "?"}]
    draw["seed"] = "abc"
    target = _fresh_sqlite(sqlite_template, tmp_path, "target")
    try:
        with target.write() as s, pytest.raises(ValidationError) as exc:
            transfer.import_(s, None, _write(doc, tmp_path / "bad.json"))
        assert {"case_reviews[0].reviews[0].case", "case_reviews[0].reviews[1].findings[0].kind",
                "case_reviews[0].seed"} <= set(exc.value.errors)
        with target.read() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == 0
    finally:
        target.dispose()
