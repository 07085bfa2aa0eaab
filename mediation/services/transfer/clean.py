"""Checking the records of a file with the same validators the services use.

Every record is checked before anything is written; messages name the record, e.g.
``cases[12].parties[0].id_number``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import validation, workflow
from mediation.i18n import _
from mediation.statistics.rules import JUDICIAL_OUTCOMES, PARTY_TYPES, POLICE_METHODS
from mediation.models import (
    Case,
    DocumentVersion,
)
from mediation.permissions import ROLES
from mediation.services.case_records import MAX_ATTACHMENT_BYTES
from mediation.services.numbering import format_case_number, parse_case_number
from mediation.services.parties import PartyInput, clean_party
from mediation.services.transfer.parse import (
    Context,
    Obj,
    binary,
    desks_by_id,
    file_ref,
    json_dict,
)
from mediation.services.transfer.write import Duplicates
from mediation.validation import Collector

DOCUMENT_STATUSES = ("draft", "submitted", "returned", "approved", "final")


VERSION_STATUSES = (*DOCUMENT_STATUSES, "superseded")


REVIEW_DECISIONS = ("approved", "returned", "viewed")


def _clean_party(p: Obj, ctx: Context) -> dict[str, Any]:
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


def clean_case(c: Obj, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {"origin": c.path, "ref": file_ref(c.raw.get("ref"))}
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
            number = format_case_number(n_year, n_prefix, n_seq)  # as stored, however it was written
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
    out["prevented_escalation_people"] = c.integer("prevented_escalation_people", lo=0, hi=100000, default=0) or 0
    out["prevented_petition"] = c.boolean("prevented_petition")
    out["prevented_petition_people"] = c.integer("prevented_petition_people", lo=0, hi=100000, default=0) or 0
    out["police_method"] = c.choice("police_method", POLICE_METHODS, nullable=True)
    out["terminated_at"] = c.datetime("terminated_at", past=True)
    out["judicial_applied_on"] = c.date("judicial_applied_on")
    out["judicial_court"] = c.text("judicial_court", max_len=100)
    out["judicial_outcome"] = c.choice("judicial_outcome", JUDICIAL_OUTCOMES, nullable=True)
    out["judicial_decided_on"] = c.date("judicial_decided_on")
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
    out["consultation"] = file_ref(c.raw.get("consultation"))
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
        clean["party_ref"] = file_ref(p.raw.get("party_ref"))
        clean["position"] = p.integer("position", lo=0, hi=10000, default=i)
        clean["party_type"] = p.choice("party_type", PARTY_TYPES, nullable=True)
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
        "summary": e.text("summary", max_len=20000), "data": json_dict(e, "data"),
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


def _clean_document(d: Obj, ctx: Context, party_refs: set[str], attachments: int) -> dict[str, Any]:
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
        pdf = binary(v, "pdf_base64", required=False)
        sha = v.opt_text("sha256", max_len=64)
        if pdf is not None and sha is not None and hashlib.sha256(pdf).hexdigest() != sha:
            v.fail("pdf_base64", _("定稿 PDF 与其 SHA-256 不符（文件可能已损坏或被改动）。"))
        scan = v.integer("scan_attachment", lo=0, hi=max(attachments - 1, 0))
        if scan is not None and attachments == 0:
            v.fail("scan_attachment", _("该案件没有附件。"))
        signatures = []
        for g in v.objects("signatures"):
            image = binary(g, "image_base64", required=True) or b""
            g_sha = g.opt_text("sha256", max_len=64)
            if g_sha is not None and hashlib.sha256(image).hexdigest() != g_sha:
                g.fail("image_base64", _("签名图像与其 SHA-256 不符。"))
            party_ref = file_ref(g.raw.get("party_ref"))
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


def _clean_attachment(r: Obj, ctx: Context) -> dict[str, Any]:
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


def clean_consultation(c: Obj, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {"origin": c.path, "ref": file_ref(c.raw.get("ref"))}
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
    out["converted_case"] = file_ref(c.raw.get("converted_case"))
    out["created_at"] = c.datetime("created_at")
    return out


def clean_user(u: Obj) -> dict[str, Any]:
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
    out["must_change_password"] = u.boolean("must_change_password")
    h = u.raw.get("password_hash")
    if h is not None and (not isinstance(h, str) or not h.startswith("$argon2") or len(h) > 200):
        u.fail("password_hash", _("密码哈希应为 argon2 格式（以 $argon2 开头）。"))
        h = None
    out["password_hash"] = h
    return out


def check_cases_together(errors: Collector, cases: list[dict[str, Any]],
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


def check_against_database(session: Session, errors: Collector, cases: list[dict[str, Any]],
                           duplicates: Duplicates) -> None:
    """What would collide with rows already stored, for the cases that will be written.

    A new case's (desk, year, seq) must not be taken by a different case, and a final
    document's verification code must not be in use already.
    """
    desk_ids = {p: i for i, p in desks_by_id(session).items()}
    for c in cases:
        desk_id = desk_ids.get(c["desk"]) if c["desk"] else None
        if desk_id is not None and duplicates.find(c, desk_id) is not None:
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


def clean_review_draw(d: Obj, ctx: Context, case_refs: set[str]) -> dict[str, Any]:
    """One 抽卷评查 draw of the file (``case_reviews``) with its reviews; ``case_refs``: the
    cases of the file, which its reviews must name."""
    from mediation.services import case_review

    out: dict[str, Any] = {"origin": d.path, "desk": ctx.desk(d)}
    out["period_from"] = d.date("period_from", required=True)
    out["period_to"] = d.date("period_to", required=True)
    if out["period_from"] and out["period_to"] and out["period_to"] < out["period_from"]:
        d.fail("period_to", _("结束日期早于开始日期。"))
    out["requested"] = d.integer("requested", lo=1, hi=case_review.MAX_DRAW, nullable=False)
    out["seed"] = d.text("seed", max_len=40, required=True)
    if out["seed"] and not out["seed"].isdigit():
        d.fail("seed", _("随机种子应为整数。"))
    population = d.raw.get("population")
    if not isinstance(population, list):
        d.fail("population", _("应为一个列表（[…]）。"))
        population = []
    # A case deleted since the draw is not in the file: it leaves the population (it can no
    # longer be drawn again anyway).
    out["population"] = [ref for ref in (file_ref(i) for i in population) if ref in case_refs]
    out["drawn_by"] = ctx.user(d, "drawn_by")
    out["drawn_at"] = d.datetime("drawn_at", required=True, past=True)
    reviews = []
    for r in d.objects("reviews", required=True):
        row: dict[str, Any] = {"case": file_ref(r.raw.get("case"))}
        if row["case"] not in case_refs:
            r.fail("case", _("评查的案件不在文件的 cases 中。"))
        row["position"] = r.integer("position", lo=1, hi=case_review.MAX_DRAW, nullable=False)
        row["status"] = r.choice("status", (case_review.PENDING, case_review.REVIEWED))
        checklist = r.raw.get("checklist")
        if checklist is not None and not (isinstance(checklist, dict)
                                          and set(checklist) <= set(case_review.CHECK_ITEMS)):
            r.fail("checklist", _("评查项目应为 {k} 中的项。").format(k="、".join(case_review.CHECK_ITEMS)))
            checklist = None
        row["checklist"] = checklist
        findings = []
        for f in r.objects("findings"):
            kind = f.choice("kind", tuple(case_review.FINDING_KINDS))
            findings.append({"kind": kind or case_review.OTHER, "text": f.text("text", max_len=2000)})
        row["findings"] = findings if r.raw.get("findings") is not None else None
        row["comment"] = r.text("comment", max_len=2000)
        row["reviewed_by"] = ctx.user(r, "reviewed_by")
        row["reviewed_at"] = r.datetime("reviewed_at", past=True)
        if row["status"] == case_review.REVIEWED and row["reviewed_at"] is None:
            r.fail("reviewed_at", _("已评查的须有评查时间。"))
        reviews.append(row)
    out["reviews"] = reviews
    return out
