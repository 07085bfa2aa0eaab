"""The case window: 卷宗… prints the whole case file as one PDF in one click (issue 12 item 3);
归档 asks nothing about years and says the cover's 保管期限, and is blocked until the cover is final
(item 24)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument

from mediation import workflow
from mediation.services import documents as docs
from mediation.ui.action_dialogs import ArchiveDialog
from mediation.ui.case_view import CaseWindow
from mediation.ui.pdf_preview import PdfPreviewDialog
from tests.db.test_case_file import _closed_case_with_papers
from tests.factories import final_cover
from tests.ui.case_fixtures import CaseEnv, case_env, wait_ops

__all__ = ["case_env"]


def test_one_click_case_file_and_archive_with_the_cover_s_retention(qtbot, case_env: CaseEnv) -> None:  # type: ignore[no-untyped-def]
    case_id = _closed_case_with_papers(case_env.db, case_env.desk)
    win = CaseWindow(case_env.officer, case_id)
    with qtbot.waitSignal(win.detail_loaded, timeout=10_000):
        case_env.keep(win)
    # Not archivable yet: the button says the final cover is missing.
    archive = win.action_buttons["archive"]
    assert archive.blocked and "卷宗封面" in archive.message

    # One click: the file as it stands (a draft cover, marked), ready to print.
    qtbot.mouseClick(win.file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(win.case_file_dialog, PdfPreviewDialog) and win.case_file_dialog.isVisible(),
                    timeout=20_000)
    draft_view = win.case_file_dialog
    assert isinstance(draft_view, PdfPreviewDialog)
    assert "尚未定稿" in draft_view.banner.text() and "6 份文书" in draft_view.windowTitle()
    assert draft_view.preview.document.status() == QPdfDocument.Status.Ready
    assert "草稿" in PdfReader(io.BytesIO(draft_view.pdf)).pages[0].extract_text()

    with case_env.db.write() as s:
        final_cover(s, case_env.desk, case_id, retention="永久")
    with qtbot.waitSignal(win.detail_loaded, timeout=10_000):
        qtbot.mouseClick(win.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(win.file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.case_file_dialog is not draft_view and isinstance(win.case_file_dialog, PdfPreviewDialog)
                    and win.case_file_dialog.isVisible(), timeout=20_000)
    final_view = win.case_file_dialog
    assert isinstance(final_view, PdfPreviewDialog) and not final_view.banner.text()
    with case_env.db.write() as s:
        assert final_view.pdf == docs.case_file_pdf(s, case_env.desk.officer, case_id).pdf
    assert final_view.print_button.isVisible()
    final_view.close()

    archive = win.action_buttons["archive"]
    assert not archive.blocked, archive.message
    qtbot.mouseClick(archive, Qt.MouseButton.LeftButton)
    dlg = win.current_dialog
    assert isinstance(dlg, ArchiveDialog)
    qtbot.waitUntil(lambda: "永久" in dlg.retention_label.text(), timeout=10_000)
    assert "以定稿的卷宗封面为准" in dlg.retention_label.text()
    assert "retention_years" not in dlg.fields()  # one field, one place: the cover
    with qtbot.waitSignal(win.detail_loaded, timeout=10_000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert win.detail is not None and win.detail.stage == workflow.ARCHIVED
    wait_ops(qtbot)
