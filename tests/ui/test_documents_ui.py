"""Agreement documents on screen: draft → checker error → fixed → officer approves after the diff →
signatures drawn with the mouse → final → preview; printing presets the copies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from mediation import workflow
from mediation.db import Database
from mediation.services import cases
from mediation.services import documents as docs
from mediation.services.cases import AgreementInput, SessionInput
from mediation.timeutil import utcnow
from mediation.ui.approval_dialog import ApprovalDialog
from mediation.ui.context import AppContext
from mediation.ui.document_editor import DocumentEditor, TermsEditor
from mediation.ui.documents_tab import DocumentsTab
from mediation.ui.signature_pad import SignatureDialog, SignaturePad
from tests.conftest import Desk
from tests.factories import dispute

OLD_TERM = "被申请人退还押金2000元。"
NEW_TERM = "被申请人于七日内退还押金人民币贰仟元整（¥2,000.00）。"
ADDED_TERM = "款项通过微信转账至申请人账户。"


def _agreed_case(db: Database, desk: Desk) -> int:
    with db.write() as s:
        ref = cases.register_case(s, desk.volunteer, dispute())
        cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
        cases.assign_mediator(s, desk.officer, ref.id, desk.volunteer.user_id)
        cases.accept_case(s, desk.officer, ref.id)
        cases.add_session_record(s, desk.volunteer, ref.id, SessionInput(
            held_at=utcnow(), content="双方同意退还押金2000元。", place="调解室", attendees="张三、李四"))
        cases.record_agreement(s, desk.volunteer, ref.id, AgreementInput(
            kind="written", terms=f"{OLD_TERM}\n双方就本纠纷再无其他争议。", amount="2000",
            performance_manner="微信转账", performance_place="联调中心",
            performance_deadline=dt.date.today() + dt.timedelta(days=7)))
    return ref.id


def _tab(qtbot: QtBot, ctx: AppContext, case_id: int) -> DocumentsTab:
    tab = DocumentsTab(ctx, case_id)
    qtbot.addWidget(tab)
    tab.resize(1000, 700)
    tab.show()
    qtbot.waitUntil(lambda: tab.loaded, timeout=10_000)
    return tab


def _status(qtbot: QtBot, tab: DocumentsTab, doc_id: int, status: str) -> None:
    tab.reload()
    qtbot.waitUntil(lambda: any(d.id == doc_id and d.status == status for d in tab.documents), timeout=10_000)
    tab.select_document(doc_id)


def _sign(qtbot: QtBot, pad: SignaturePad, offset: int = 0) -> None:
    """A short scribble with press, moves and release, as a hand would make it."""
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30 + offset, 70))
    for x, y in [(50, 40), (80, 90), (110, 45), (150, 85), (190, 55)]:
        qtbot.mouseMove(pad, QPoint(x + offset, y))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(220 + offset, 60))


def test_draft_check_approve_sign_finalise_preview(qtbot: QtBot, sqlite_db: Database, desk: Desk,
                                                    tmp_path: Path) -> None:
    case_id = _agreed_case(sqlite_db, desk)
    volunteer, officer = AppContext(sqlite_db, desk.volunteer), AppContext(sqlite_db, desk.officer)
    tab = _tab(qtbot, volunteer, case_id)
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
    editor.fields["performance_deadline"].editor.set_value(None)  # type: ignore[attr-defined]
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
    editor.fields["performance_deadline"].editor.set_value(  # type: ignore[attr-defined]
        dt.date.today() + dt.timedelta(days=5))
    assert not editor.fields["performance_deadline"].error()
    with qtbot.waitSignal(editor.submitted, timeout=10_000):
        qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    _status(qtbot, tab, doc_id, "submitted")
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
    _status(qtbot, tab, doc_id, "returned")
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
    _status(qtbot, tab, doc_id, "approved")
    assert tab.buttons["sign"].isEnabled()
    qtbot.mouseClick(tab.buttons["sign"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(tab.current_dialog, SignatureDialog) and tab.current_dialog.loaded,
                    timeout=10_000)
    signing = tab.current_dialog
    assert isinstance(signing, SignatureDialog)
    assert [name for _role, name in signing.pads] == ["张三", "李四", "李同学"]
    assert not signing.save_button.isEnabled()
    for i, pad in enumerate(signing.pads.values()):
        _sign(qtbot, pad, offset=i * 10)
        assert not pad.is_empty()
    assert signing.missing() == []
    with qtbot.waitSignal(signing.signatures_saved, timeout=10_000):
        qtbot.mouseClick(signing.save_button, Qt.MouseButton.LeftButton)
    with sqlite_db.read() as s:
        info = docs.get_document(s, desk.officer, doc_id)
    assert sorted(sig.signer_name for sig in info.signatures) == ["张三", "李同学", "李四"]

    # Final, then the preview opens the frozen PDF.
    _status(qtbot, tab, doc_id, "approved")
    qtbot.waitUntil(lambda: tab.missing.get(doc_id) == [], timeout=5_000)
    tab.finalize(doc_id)
    _status(qtbot, tab, doc_id, "final")
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
    assert _output_actions(sqlite_db, doc_id)[-1] == ("document.export", desk.volunteer.user_id)
    tab.supersede(doc_id, "当事人姓名笔误")
    _status(qtbot, tab, doc_id, "draft")
    assert "当事人姓名笔误" in tab.table.item(tab.table.currentRow(), 4).text()
    assert tab.table.item(tab.table.currentRow(), 1).text() == "第2版"


def test_print_presets_copies_to_parties_plus_one(qtbot: QtBot, sqlite_db: Database, desk: Desk,
                                                   tmp_path: Path) -> None:
    case_id = _agreed_case(sqlite_db, desk)
    with sqlite_db.write() as s:
        doc_id = docs.create_draft(s, desk.volunteer, case_id, "people_agreement")
    tab = _tab(qtbot, AppContext(sqlite_db, desk.volunteer), case_id)
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


def test_conflicting_save_is_shown_calmly(qtbot: QtBot, sqlite_db: Database, desk: Desk) -> None:
    case_id = _agreed_case(sqlite_db, desk)
    with sqlite_db.write() as s:
        doc_id = docs.create_draft(s, desk.volunteer, case_id, "people_agreement")
    ctx = AppContext(sqlite_db, desk.volunteer)
    first, second = DocumentEditor(ctx, doc_id), DocumentEditor(ctx, doc_id)
    for e in (first, second):
        qtbot.addWidget(e)
        e.show()
        qtbot.waitUntil(lambda e=e: e.loaded, timeout=10_000)
    first.fields["facts"].set_value("第一位的修改。")
    second.fields["facts"].set_value("第二位的修改。")
    with qtbot.waitSignal(first.saved, timeout=10_000):
        first.save()
    second.dirty = True
    second.save()
    qtbot.waitUntil(lambda: second.banner.isVisible() and "其他人修改" in second.banner.label.text(), timeout=10_000)
    assert second.banner.level == "warning"
    assert second.fields["facts"].value() == "第二位的修改。"  # nothing typed is lost
    second.dirty = False


def test_pad_png_is_cropped_and_transparent(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(500, 150)
    pad.show()
    assert pad.is_empty() and pad.to_png() == b""
    _sign(qtbot, pad)
    data = pad.to_png()
    image = QImage.fromData(data, "PNG")
    assert data.startswith(b"\x89PNG") and not image.isNull()
    assert image.hasAlphaChannel() and image.pixelColor(0, 0).alpha() == 0
    # Cropped to the ink (x 30..220, y 40..90) at three pixels per point.
    assert 500 < image.width() < 3 * 260 and 100 < image.height() < 3 * 80
    pad.clear()
    assert pad.is_empty()


@pytest.mark.parametrize("form", ["police_agreement", "termination_notice"])
def test_editor_shows_the_fields_of_the_form(qtbot: QtBot, sqlite_db: Database, desk: Desk, form: str) -> None:
    case_id = _agreed_case(sqlite_db, desk)
    with sqlite_db.write() as s:
        doc_id = docs.create_draft(s, desk.volunteer, case_id, form)
    editor = DocumentEditor(AppContext(sqlite_db, desk.volunteer), doc_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.loaded, timeout=10_000)
    if form == "police_agreement":
        assert {"incident_time", "presiding_officer", "witness", "copies"} <= set(editor.fields)
        assert editor.fields["copies"].value() == 3  # police form: 一式三份
    else:
        assert set(editor.fields) == {"termination_reason", "termination_routes"}


def test_case_window_hosts_the_tab(qtbot: QtBot, sqlite_db: Database, desk: Desk) -> None:
    from mediation.ui import case_view

    case_id = _agreed_case(sqlite_db, desk)
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


def test_the_officer_finds_a_submitted_draft_in_the_today_panel(qtbot: QtBot, sqlite_db: Database, desk: Desk,
                                                                 tmp_path: Path) -> None:
    from mediation.ui.main_window import MainWindow
    from mediation.ui.state import UiState

    case_id = _agreed_case(sqlite_db, desk)
    with sqlite_db.write() as s:
        doc_id = docs.create_draft(s, desk.volunteer, case_id, "people_agreement")
        docs.submit(s, desk.volunteer, doc_id)

    window = MainWindow(AppContext(sqlite_db, desk.officer), UiState(tmp_path / "ui.ini"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    panel = window.today_panel
    docs_list = panel.documents.list
    qtbot.waitUntil(lambda: docs_list.count() == 1
                    and docs_list.item(0).data(Qt.ItemDataRole.UserRole) is not None, timeout=10_000)
    assert panel.documents.isVisible() and "（1）" in panel.documents.title()
    item = docs_list.item(0)
    assert item.text().startswith("待审批：人民调解协议书")
    rect = docs_list.visualItemRect(item)
    # A double click as the hand makes it: press and release, then the second press.
    qtbot.mouseClick(docs_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(docs_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: case_id in window.case_windows(), timeout=5_000)
    case_window = window.case_windows()[case_id]
    assert case_window.tabs.currentWidget() is case_window.documents_tab
    qtbot.waitUntil(lambda: case_window.documents_tab.selected_id() == doc_id, timeout=10_000)
    # Straight to the review, with what changed since the officer last looked.
    review = case_window.documents_tab.current_dialog
    assert isinstance(review, ApprovalDialog)
    qtbot.waitUntil(lambda: review.loaded, timeout=10_000)
    assert "审批" in case_window.documents_tab.hint_label.text() and "等您" in case_window.documents_tab.hint_label.text()
    review.close()

    # Returned for changes: it is the volunteer's task now, and off the officer's list.
    with sqlite_db.write() as s:
        docs.return_for_changes(s, desk.officer, doc_id, comment="请写明履行期限。")
    with sqlite_db.read() as s:
        from mediation.services import roster

        assert roster.document_tasks(s, desk.officer) == []
        mine = roster.document_tasks(s, desk.volunteer)
    assert [(t.document_id, t.status) for t in mine] == [(doc_id, "returned")]
    case_window.close()


def test_no_record_no_output(qtbot: QtBot, sqlite_db: Database, desk: Desk, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """If the audit row cannot be written, the document (full ID numbers) is not exported."""
    from mediation.errors import StorageError

    case_id = _agreed_case(sqlite_db, desk)
    with sqlite_db.write() as s:
        doc_id = docs.create_draft(s, desk.volunteer, case_id, "people_agreement")
    tab = _tab(qtbot, AppContext(sqlite_db, desk.volunteer), case_id)
    tab.preview(doc_id)
    qtbot.waitUntil(lambda: tab.preview_dialog is not None and tab.preview_dialog.isVisible(), timeout=10_000)
    dialog = tab.preview_dialog
    assert dialog is not None

    def refuse(*_a: object, **_k: object) -> None:
        raise StorageError("数据库暂时无法写入")

    monkeypatch.setattr(docs, "record_output", refuse)
    target = tmp_path / "协议.pdf"
    dialog.export("pdf", target)
    qtbot.waitUntil(lambda: dialog.banner.level == "error", timeout=10_000)
    assert "无法写入" in dialog.banner.label.text()
    assert not target.exists() and dialog.last_export is None
    dialog.close()


def test_the_editors_default_copies_pass_the_checker(qtbot: QtBot, sqlite_db: Database, desk: Desk) -> None:
    """Three parties (a 第三人 among them): the editor offers 一式四份 and the checker agrees."""
    from tests.db.test_documents_service import _agreed_case_with_third_party

    case_id = _agreed_case_with_third_party(sqlite_db, desk)
    with sqlite_db.write() as s:
        doc_id = docs.create_draft(s, desk.volunteer, case_id, "people_agreement")
    editor = DocumentEditor(AppContext(sqlite_db, desk.volunteer), doc_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.loaded, timeout=10_000)
    assert editor.fields["copies"].value() == 4
    with qtbot.waitSignal(editor.checked, timeout=10_000):
        qtbot.mouseClick(editor.check_button, Qt.MouseButton.LeftButton)
    assert not [p for p in editor.problems if p.field == "copies"], editor.problems
