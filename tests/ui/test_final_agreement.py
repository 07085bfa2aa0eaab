"""No double entry after 定稿 (issue 12 item 18): finalising the signed agreement document moves the
case to 达成协议 with the document's terms, amount and performance, and counts as the signing, so
进入履行/回访 is open at once; 登记调解协议 starts from a drafted agreement instead of a blank form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt

from mediation import workflow
from mediation.services import documents as docs
from mediation.timeutil import local_today
from mediation.ui.action_dialogs import AgreementDialog, ConfirmActionDialog
from mediation.ui.case_view import CaseWindow
from tests.factories import mediating_case
from tests.pngs import png
from tests.ui.case_fixtures import CaseEnv, answering, case_env, wait_ops

__all__ = ["case_env"]

TERMS = ["被申请人于2026年12月20日前退还押金人民币贰仟元整（¥2,000.00）。", "双方就本纠纷再无其他争议。"]


def _drafted(env: CaseEnv, *, signed: bool) -> tuple[int, int]:
    deadline = (local_today() + dt.timedelta(days=10)).isoformat()
    with env.db.write() as s:
        case_id = mediating_case(s, env.desk)
        doc_id = docs.create_draft(s, env.desk.volunteer, case_id, "people_agreement")
        docs.update_draft(s, env.desk.volunteer, doc_id, {
            "terms": TERMS, "amounts": [{"label": "退还押金", "value": "2000"}], "disputed_matters": "押金",
            "performance_manner": "微信转账", "performance_place": "联调中心", "performance_deadline": deadline,
            "document_date": local_today().isoformat()})
    if signed:
        with env.db.write() as s:
            docs.submit(s, env.desk.volunteer, doc_id)
        with env.db.write() as s:
            docs.approve(s, env.desk.officer, doc_id)
        with env.db.write() as s:
            for role, name in docs.required_signers_for(s, env.desk.volunteer, doc_id):
                docs.add_signature(s, env.desk.volunteer, doc_id, signer_role=role, signer_name=name,
                                   image_png=png())
    return case_id, doc_id


def test_finalising_the_signed_agreement_carries_it_into_the_case(qtbot, case_env: CaseEnv) -> None:  # type: ignore[no-untyped-def]
    case_id, doc_id = _drafted(case_env, signed=True)
    win = CaseWindow(case_env.volunteer, case_id)
    with qtbot.waitSignal(win.detail_loaded, timeout=10_000):
        case_env.keep(win)
    assert win.detail is not None and win.detail.stage == workflow.MEDIATING
    tab = win.documents_tab
    win.show_document(doc_id)
    qtbot.waitUntil(lambda: tab.loaded and tab.selected_id() == doc_id and tab.missing.get(doc_id) == [],
                    timeout=10_000)
    assert tab.buttons["finalize"].isEnabled()
    with answering("定稿") as seen, qtbot.waitSignal(win.detail_loaded, timeout=20_000):
        qtbot.mouseClick(tab.buttons["finalize"], Qt.MouseButton.LeftButton)
    assert seen and "各方已在屏幕上签名" in seen[0]
    qtbot.waitUntil(lambda: win.detail is not None and win.detail.stage == workflow.AGREED, timeout=10_000)
    d = win.detail
    assert d.agreement_kind == workflow.WRITTEN and d.agreement_terms.splitlines() == TERMS
    assert d.agreement_amount == Decimal("2000.00") and d.performance_manner == "微信转账"
    assert d.performance_place == "联调中心" and d.agreement_signed_at is not None
    assert "达成协议" in win.status_label.text() and "微信转账" in win.overview.toPlainText()
    # Nothing to register again; the next step is open.
    assert "agree" not in win.action_buttons and "sign" not in win.action_buttons
    perform = win.action_buttons["perform"]
    assert not perform.blocked, perform.message
    qtbot.mouseClick(perform, Qt.MouseButton.LeftButton)
    dlg = win.current_dialog
    assert isinstance(dlg, ConfirmActionDialog)
    with qtbot.waitSignal(win.detail_loaded, timeout=10_000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.detail is not None and win.detail.stage == workflow.PERFORMING, timeout=10_000)
    wait_ops(qtbot)


def test_registering_an_agreement_starts_from_the_drafted_document(qtbot, case_env: CaseEnv) -> None:  # type: ignore[no-untyped-def]
    case_id, _doc_id = _drafted(case_env, signed=False)
    win = CaseWindow(case_env.volunteer, case_id)
    with qtbot.waitSignal(win.detail_loaded, timeout=10_000):
        case_env.keep(win)
    qtbot.mouseClick(win.action_buttons["agree"], Qt.MouseButton.LeftButton)
    dlg = win.current_dialog
    assert isinstance(dlg, AgreementDialog)
    qtbot.waitUntil(lambda: dlg.terms_editor.value() == TERMS, timeout=10_000)
    assert dlg.amount.text() == "2000" and dlg.performance_place.text() == "联调中心"
    assert dlg.performance_manner.text() == "微信转账"
    assert "协议文书" in dlg.banner.text()
    with qtbot.waitSignal(win.detail_loaded, timeout=10_000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert win.detail is not None and win.detail.stage == workflow.AGREED
    assert all(t in win.detail.agreement_terms for t in TERMS)
