"""Every signature line a form prints is signable and signed (issue 12 item 4): the lines come
from the form's layout (``sign = true`` cells with signer and role), the recorder's included;
a line without a name is caught by the checker; finalising names each unsigned line."""

from __future__ import annotations

import datetime as dt

import pytest

from mediation import workflow
from mediation.documents import forms
from mediation.errors import ValidationError, WorkflowError
from mediation.services import case_records, cases
from mediation.services import documents as docs
from mediation.services.case_records import SessionInput
from mediation.services.cases import AgreementInput
from mediation.timeutil import utcnow
from tests.factories import dispute
from tests.pngs import png


def _agreed_without_session(db, desk) -> int:  # type: ignore[no-untyped-def]
    """People's mediation agreed without any session record: nobody is named as recorder."""
    with db.write() as s:
        ref = cases.register_case(s, desk.volunteer, dispute())
        cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
        cases.assign_mediator(s, desk.officer, ref.id, desk.volunteer.user_id)
        cases.accept_case(s, desk.officer, ref.id)
        cases.record_agreement(s, desk.volunteer, ref.id, AgreementInput(
            kind="written", terms="被申请人退还押金2000元。", amount="2000", performance_manner="微信转账",
            performance_place="联调中心", performance_deadline=dt.date.today() + dt.timedelta(days=7)))
    return ref.id


def test_an_unnamed_recorder_line_is_caught_then_signed_like_the_others(db, desk) -> None:  # type: ignore[no-untyped-def]
    case_id = _agreed_without_session(db, desk)
    with db.write() as s:
        doc_id = docs.create_draft(s, desk.volunteer, case_id, "people_agreement")
        docs.update_draft(s, desk.volunteer, doc_id, {"disputed_matters": "押金是否应当退还"})
    with db.write() as s, pytest.raises(ValidationError) as exc:
        docs.submit(s, desk.volunteer, doc_id)
    assert "记录人" in exc.value.errors["recorder"]  # beside the editor's 记录人 field
    with db.write() as s:
        docs.update_draft(s, desk.volunteer, doc_id, {"recorder": "赵记录"})
        docs.submit(s, desk.volunteer, doc_id)
    with db.write() as s:
        docs.approve(s, desk.officer, doc_id)
    with db.read() as s:
        lines = docs.sign_lines_for(s, desk.volunteer, doc_id)
    assert [ln.key for ln in lines] == [("applicant", "张三"), ("respondent", "李四"), ("mediator", "李同学"),
                                        ("recorder", "赵记录")]
    assert lines[-1].caption == "记录人 赵记录（签名）："
    with db.write() as s:
        for role, name in [ln.key for ln in lines[:3]]:
            docs.add_signature(s, desk.volunteer, doc_id, signer_role=role, signer_name=name, image_png=png())
    # Someone not on the form cannot sign it.
    with db.write() as s, pytest.raises(ValidationError, match="不在本文书的签名栏中"):
        docs.add_signature(s, desk.volunteer, doc_id, signer_role="witness", signer_name="路人", image_png=png())
    with db.write() as s, pytest.raises(WorkflowError) as refused:
        docs.finalize(s, desk.volunteer, doc_id)
    assert refused.value.missing == ["记录人 赵记录"]
    with db.write() as s:
        docs.add_signature(s, desk.volunteer, doc_id, signer_role="recorder", signer_name="赵记录", image_png=png())
        docs.finalize(s, desk.volunteer, doc_id)


def test_the_police_form_s_lines_follow_its_layout(db, desk) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        ref = cases.register_case(s, desk.volunteer, dispute())
        cases.choose_track(s, desk.officer, ref.id, workflow.POLICE)
        cases.assign_mediator(s, desk.officer, ref.id, desk.volunteer.user_id)
        cases.accept_case(s, desk.officer, ref.id)
        case_records.add_session_record(s, desk.volunteer, ref.id, SessionInput(
            held_at=utcnow(), content="双方同意。", place="调解室", attendees="张三、李四"))
        doc_id = docs.create_draft(s, desk.volunteer, ref.id, "police_agreement")
    with db.read() as s:
        assert docs.required_signers_for(s, desk.volunteer, doc_id) == [
            ("applicant", "张三"), ("respondent", "李四"), ("officer", "王警官")]
    with db.write() as s:  # a witness named on the form adds a line to sign
        docs.update_draft(s, desk.volunteer, doc_id, {"witness": "周见证"})
    with db.read() as s:
        assert ("witness", "周见证") in docs.required_signers_for(s, desk.volunteer, doc_id)


def test_a_form_cannot_print_a_line_nobody_can_sign() -> None:
    bad = """
title = "测试"
[[block]]
type = "signatures"
widths = [90, 44]
  [[block.row]]
  cells = ["记录人（签名）：", { text = "", sign = true }]
"""
    with pytest.raises(ValidationError, match="signer"):
        forms.parse_spec("test", bad)
    for name in forms.available_forms():  # every built-in form names who signs each line
        spec = forms.load_spec(name)
        assert spec.form == name
