"""The adviser drafts a student's certificates from the overview, cannot print a draft,
writes the evaluation, approves, and exports PDF and DOCX (issue 16 item 7)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from mediation.db import Database
from mediation.models import DutyShift
from mediation.services.roster import overview
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.roster_overview_window import RosterOverviewWindow
from tests.conftest import Desk
from tests.roster_fixtures import enrol, open_term
from tests.ui.conftest import type_text, wait_ops


def _term_with_a_worked_shift(db: Database, desk: Desk) -> tuple[int, int, str]:
    today = local_today()
    starts = today - dt.timedelta(days=60)
    term_id = open_term(db, desk.admin, starts_on=starts, ends_on=today + dt.timedelta(days=30))
    student = enrol(db, desk.admin, term_id, 1, on=starts)[0]
    with db.write() as s:  # a shift of last week, worked (set directly: the hour rules have their own tests)
        begin = dt.datetime.combine(today - dt.timedelta(days=7), dt.time(1, 0), tzinfo=dt.UTC)
        s.add(DutyShift(desk_id=desk.admin.desk_id, user_id=student.actor.user_id, starts_at=begin,
                        ends_at=begin + dt.timedelta(hours=3), checked_in_at=begin,
                        checked_out_at=begin + dt.timedelta(hours=3), term_id=term_id, scheduled=True, note=""))
    return term_id, student.volunteer_id, student.actor.display_name


def test_the_adviser_approves_before_the_certificate_can_be_printed(
        qtbot: QtBot, sqlite_db: Database, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _term_id, volunteer_id, name = _term_with_a_worked_shift(sqlite_db, desk)
    window = RosterOverviewWindow(AppContext(sqlite_db, desk.adviser))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.students.rowCount() == 1, timeout=10_000)
    # The adviser picks the student and drafts the practice report.
    window.students.selectRow(0)
    qtbot.mouseClick(window.draft_report, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.certificate_dialog is not None and window.certificate_dialog.view is not None,
                    timeout=10_000)
    dialog = window.certificate_dialog
    assert dialog is not None and dialog.view is not None
    assert "草稿" in dialog.figures.text() and not dialog.view.approved
    # A draft is only looked at: printing and exporting are off, and the page says 草稿.
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_dialog is not None, timeout=10_000)
    draft = dialog.preview_dialog
    assert draft is not None
    assert not draft.print_button.isEnabled() and not draft.export_pdf_button.isEnabled()
    assert not draft.export_docx_button.isVisible()
    assert "草稿" in PdfReader(io.BytesIO(draft.pdf)).pages[0].extract_text()
    draft.close()
    # Approving without an evaluation is refused beside the field; with one it goes through.
    dialog.evaluation_edit.clear()
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: dialog.messages["evaluation"].isVisible() and bool(dialog.messages["evaluation"].text()),
                    timeout=10_000)
    assert dialog.view is not None and not dialog.view.approved
    type_text(dialog.evaluation_edit, "值班认真负责，接待来访耐心细致。")
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: dialog.view is not None and dialog.view.approved, timeout=10_000)
    assert dialog.evaluation_edit.isReadOnly() and not dialog.approve_button.isEnabled()
    # Approved: printed and exported, as PDF and DOCX, with the overview's figures.
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_dialog is not None and dialog.preview_dialog is not draft, timeout=10_000)
    final = dialog.preview_dialog
    assert final is not None and final.print_button.isEnabled() and final.export_docx_button.isVisible()
    pdf_path, docx_path = tmp_path / "报告.pdf", tmp_path / "报告.docx"
    for button, path in ((final.export_pdf_button, pdf_path), (final.export_docx_button, docx_path)):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, p=path, **k: (str(p), ""))
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        wait_ops(qtbot)
        qtbot.waitUntil(path.exists, timeout=10_000)
    with sqlite_db.read() as s:
        figures = overview.figures_of(s, desk.adviser, volunteer_id)
    total = f"{figures.total_minutes / 60:.1f}"
    text = "".join(p.extract_text() for p in PdfReader(str(pdf_path)).pages).replace(" ", "").replace("\n", "")
    for piece in ("课外实践表现报告", name, f"合计{total}小时", f"值班{figures.duty_minutes / 60:.1f}小时", "值班认真负责"):
        assert piece in text, piece
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    assert all(" yes " in line for line in fonts.splitlines()[2:])
    document = docx.Document(str(docx_path))
    body = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells)
    assert name in body and total in body and "值班认真负责" in body
    # The list in the overview shows it approved.
    qtbot.waitUntil(lambda: window.certificates.rowCount() == 1
                    and window.certificates.item(0, 3).text() == "已审批", timeout=10_000)
    final.close()
    dialog.close()
    window.close()
