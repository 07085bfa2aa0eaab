"""Agreement documents on screen: draft → checker error → fixed → officer approves after the diff →
signatures drawn with the mouse → final → preview; printing presets the copies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from mediation.db import Database
from mediation.services import documents as docs
from mediation.ui.approval_dialog import ApprovalDialog
from mediation.ui.context import AppContext
from mediation.ui.document_editor import DocumentEditor, TermsEditor
from mediation.ui.documents_tab import DocumentsTab
from mediation.ui.signature_pad import SignatureDialog
from tests.conftest import Desk
from tests.factories import agreed_case, document_on
from tests.ui.document_fixtures import ADDED_TERM, NEW_TERM, OLD_TERM, open_tab, sign, wait_status


def test_draft_check_approve_sign_finalise_preview(qtbot: QtBot, sqlite_db: Database, desk: Desk,
                                                    tmp_path: Path) -> None:
    with sqlite_db.write() as s:
        case_id = agreed_case(s, desk)
    volunteer, officer = AppContext(sqlite_db, desk.volunteer), AppContext(sqlite_db, desk.officer)
    tab = open_tab(qtbot, volunteer, case_id)
    assert not tab.buttons["approve"].isVisible()  # volunteers draft, officers approve

    # The volunteer drafts ("新建文书" → 人民调解协议书): the editor starts from the case's record.
    qtbot.waitUntil(tab.new_button.isEnabled, timeout=10_000)
    choice = next(a for a in tab.new_menu.actions() if a.data() == "people_agreement")
    assert choice.text() == "人民调解协议书"
    choice.trigger()
    qtbot.waitUntil(lambda: isinstance(tab.current_dialog, DocumentEditor) and tab.current_dialog.loaded,
                    timeout=10_000)
    editor = tab.current_dialog
    assert isinstance(editor, DocumentEditor)
    doc_id = editor.document_id
    assert editor.fields["terms"].value() == [OLD_TERM, "双方就本纠纷再无其他争议。"]
    assert editor.fields["copies"].value() == 3  # two parties + the committee
    terms = editor.fields["terms"].editor
    assert isinstance(terms, TermsEditor)
    terms.set_term(1, ADDED_TERM)
    editor.fields["performance_deadline"].editor.set_value(None)
    assert editor.dirty

    # 检查 saves and shows the checker's error; clicking it focuses the field.
    with qtbot.waitSignal(editor.checked, timeout=10_000):
        qtbot.mouseClick(editor.check_button, Qt.MouseButton.LeftButton)
    errors = [p for p in editor.problems if p.severity == "error"]
    assert [p.field for p in errors] == ["performance_deadline"]
    item = editor.problem_list.item(0)
    assert item.text() == "错误：缺少履行期限"
    assert editor.fields["performance_deadline"].error() == "缺少履行期限"
    rect = editor.problem_list.visualItemRect(item)
    qtbot.mouseClick(editor.problem_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.focused_field == "performance_deadline"
    qtbot.waitUntil(lambda: editor.fields["performance_deadline"].editor.hasFocus(), timeout=2_000)

    # Fixed, then submitted (the dialog closes).
    editor.fields["performance_deadline"].editor.set_value(
        dt.date.today() + dt.timedelta(days=5))
    assert not editor.fields["performance_deadline"].error()
    with qtbot.waitSignal(editor.submitted, timeout=10_000):
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    wait_status(qtbot, tab, doc_id, "submitted")
    assert tab.table.item(tab.table.currentRow(), 2).text() == "待审批"

    # The officer's first look shows everything as new; returning needs a comment.
    review = ApprovalDialog(officer, doc_id)
    qtbot.addWidget(review)
    review.show()
    qtbot.waitUntil(lambda: review.loaded, timeout=10_000)
    assert "首次审阅" in review.diff_label.text()
    # Terms appear with their number ("2. 款项…"), as printed.
    assert any(line.startswith("+ ") and line.endswith(ADDED_TERM)
               for line in review.diff_view.toPlainText().splitlines())
    assert review.approve_button.isEnabled()
    qtbot.mouseClick(review.return_button, Qt.MouseButton.LeftButton)
    assert review.comment_error.isVisible() and "写明" in review.comment_error.text()
    review.comment_edit.setPlainText("第一条请写明七日内退还，金额写大写。")
    with qtbot.waitSignal(review.returned, timeout=10_000):
        qtbot.mouseClick(review.return_button, Qt.MouseButton.LeftButton)

    # The volunteer sees the comment and changes the first term.
    wait_status(qtbot, tab, doc_id, "returned")
    assert "七日内" in tab.table.item(tab.table.currentRow(), 4).text()
    tab.trigger("edit")
    qtbot.waitUntil(lambda: isinstance(tab.current_dialog, DocumentEditor) and tab.current_dialog.loaded,
                    timeout=10_000)
    editor = tab.current_dialog
    assert isinstance(editor, DocumentEditor)
    assert "第一条请写明七日内退还" in editor.banner.label.text()
    terms = editor.fields["terms"].editor
    assert isinstance(terms, TermsEditor)
    terms.set_term(0, NEW_TERM)
    with qtbot.waitSignal(editor.submitted, timeout=10_000):
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)

    # The officer sees exactly what changed since the last look, and approves.
    review = ApprovalDialog(officer, doc_id)
    qtbot.addWidget(review)
    review.show()
    qtbot.waitUntil(lambda: review.loaded, timeout=10_000)
    shown = review.diff_view.toPlainText().splitlines()
    assert any(line.startswith("+ ") and NEW_TERM in line for line in shown)
    assert any(line.startswith("− ") and OLD_TERM in line for line in shown)
    assert not any(ADDED_TERM in line for line in shown if line.startswith(("+ ", "− ")))  # unchanged
    assert "新增" in review.diff_label.text()
    with qtbot.waitSignal(review.approved, timeout=10_000):
        qtbot.mouseClick(review.approve_button, Qt.MouseButton.LeftButton)

    # Each signer draws on a pad with the mouse.
    wait_status(qtbot, tab, doc_id, "approved")
    assert tab.buttons["sign"].isEnabled()
    qtbot.mouseClick(tab.buttons["sign"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(tab.current_dialog, SignatureDialog) and tab.current_dialog.loaded,
                    timeout=10_000)
    signing = tab.current_dialog
    assert isinstance(signing, SignatureDialog)
    # Every line the agreement prints is signable: the recorder's too (issue 12 item 4).
    assert list(signing.pads) == [("applicant", "张三"), ("respondent", "李四"), ("mediator", "李同学"),
                                  ("recorder", "李同学")]
    assert not signing.save_button.isEnabled()
    for i, pad in enumerate(signing.pads.values()):
        sign(qtbot, pad, offset=i * 10)
        assert not pad.is_empty()
    assert signing.missing() == []
    with qtbot.waitSignal(signing.signatures_saved, timeout=10_000):
        qtbot.mouseClick(signing.save_button, Qt.MouseButton.LeftButton)
    with sqlite_db.read() as s:
        info = docs.get_document(s, desk.officer, doc_id)
    assert sorted((sig.signer_role, sig.signer_name) for sig in info.signatures) == [
        ("applicant", "张三"), ("mediator", "李同学"), ("recorder", "李同学"), ("respondent", "李四")]

    # Final, then the preview opens the frozen PDF.
    wait_status(qtbot, tab, doc_id, "approved")
    qtbot.waitUntil(lambda: tab.missing.get(doc_id) == [], timeout=5_000)
    tab.finalize(doc_id)
    wait_status(qtbot, tab, doc_id, "final")
    code = tab.table.item(tab.table.currentRow(), 3).text()
    assert len(code) == 9 and code[4] == "-"
    assert not tab.buttons["edit"].isEnabled() and tab.buttons["supersede"].isEnabled()
    tab.trigger("preview")
    qtbot.waitUntil(lambda: tab.preview_dialog is not None and tab.preview_dialog.isVisible(), timeout=10_000)
    preview = tab.preview_dialog
    assert preview is not None
    assert preview.preview.document.status() == QPdfDocument.Status.Ready
    assert preview.preview.page_count() >= 1
    with sqlite_db.read() as s:
        assert preview.pdf == docs.final_pdf(s, desk.officer, doc_id)
    preview.close()

    # The case now shows the 30-day window; the application is drafted with the agreed terms.
    assert tab.jc_frame.isVisible()
    assert "还剩 30 天" in tab.jc_label.text() or "还剩 29 天" in tab.jc_label.text()
    qtbot.mouseClick(tab.jc_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(tab.current_dialog, DocumentEditor) and tab.current_dialog.loaded
                    and tab.current_dialog.document_id != doc_id, timeout=10_000)
    jc = tab.current_dialog
    assert isinstance(jc, DocumentEditor) and jc.info is not None and jc.info.form == "judicial_confirmation"
    assert jc.fields["terms"].value() == [NEW_TERM, ADDED_TERM]
    jc.close()

    # Export both ways; a correction is a new version with its reason.
    tab.export(doc_id, "docx", tmp_path / "协议.docx")
    qtbot.waitUntil(lambda: tab.last_export == tmp_path / "协议.docx", timeout=10_000)
    assert (tmp_path / "协议.docx").read_bytes()[:2] == b"PK"
    tab.export(doc_id, "pdf", tmp_path / "协议.pdf")
    qtbot.waitUntil(lambda: tab.last_export == tmp_path / "协议.pdf", timeout=10_000)
    assert (tmp_path / "协议.pdf").read_bytes()[:4] == b"%PDF"
    # Each output on record once (the services record themselves; the tab adds no second row).
    exports = [a for a in _output_actions(sqlite_db, doc_id) if a[0] == "document.export"]
    assert exports == [("document.export", desk.volunteer.user_id)] * 2
    tab.supersede(doc_id, "当事人姓名笔误")
    wait_status(qtbot, tab, doc_id, "draft")
    assert "当事人姓名笔误" in tab.table.item(tab.table.currentRow(), 4).text()
    assert tab.table.item(tab.table.currentRow(), 1).text() == "第2版"


def test_print_presets_copies_to_parties_plus_one(qtbot: QtBot, sqlite_db: Database, desk: Desk,
                                                   tmp_path: Path) -> None:
    with sqlite_db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(sqlite_db, desk, case_id)
    tab = open_tab(qtbot, AppContext(sqlite_db, desk.volunteer), case_id)
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    tab.print_document(doc_id, printer)
    qtbot.waitUntil(lambda: tab.preview_dialog is not None and tab.preview_dialog.sheets_printed > 0,
                    timeout=20_000)
    dialog = tab.preview_dialog
    assert dialog is not None
    assert printer.copyCount() == 3
    assert "3 份" in dialog.copies_label.text()
    pages = dialog.preview.page_count()
    # PDF output cannot make copies itself, so the pages are sent three times.
    assert len(PdfReader(out).pages) == 3 * pages == dialog.sheets_printed
    # The print showed the parties' full ID numbers: it is on record, with who did it.
    qtbot.waitUntil(lambda: _output_actions(sqlite_db, doc_id) == [("document.preview", desk.volunteer.user_id),
                                                                   ("document.print", desk.volunteer.user_id)],
                    timeout=10_000)
    dialog.close()


def _output_actions(db: Database, doc_id: int) -> list[tuple[str, int | None]]:
    from sqlalchemy import select

    from mediation.models import AuditLog

    with db.read() as s:
        return [(a.action, a.user_id) for a in s.scalars(
            select(AuditLog).where(AuditLog.entity == "document", AuditLog.entity_id == doc_id,
                                   AuditLog.action.in_(["document.preview", "document.print",
                                                        "document.export"])).order_by(AuditLog.id))]


def test_case_window_hosts_theopen_tab(qtbot: QtBot, sqlite_db: Database, desk: Desk) -> None:
    from mediation.ui import case_view

    with sqlite_db.write() as s:
        case_id = agreed_case(s, desk)
    window = case_view.CaseWindow(AppContext(sqlite_db, desk.volunteer), case_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.detail is not None, timeout=10_000)
    tab = window.tabs.widget(window.tabs.count() - 1)
    assert isinstance(tab, DocumentsTab) and window.tabs.tabText(window.tabs.indexOf(tab)) == "文书"
    qtbot.waitUntil(lambda: tab.loaded and tab.detail is not None, timeout=10_000)
    assert tab.detail.number == window.detail.number
    assert tab.documents == []
    # A draft made elsewhere (another desk PC): the header's 刷新 shows it in the tab too.
    with sqlite_db.write() as s:
        docs.create_draft(s, desk.volunteer, case_id, "people_agreement")
    qtbot.mouseClick(window.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(tab.documents) == 1, timeout=10_000)
