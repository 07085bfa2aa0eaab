"""Administrator: export a form's DOCX template, edit it, upload it, see a bad one refused, reset."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from mediation.db import Database
from mediation.services import templates
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.state import UiState
from mediation.ui.template_dialog import TemplatesDialog
from tests.conftest import Desk


def _row_of(dialog: TemplatesDialog, label: str) -> int:
    for row in range(dialog.table.rowCount()):
        if dialog.table.item(row, 0).text() == label:
            return row
    raise AssertionError(label)


def test_admin_replaces_and_resets_a_forms_docx_template(qtbot, sqlite_db: Database, desk: Desk,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = TemplatesDialog(AppContext(sqlite_db, desk.admin))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 10, timeout=10_000)
    assert not dialog.upload_button.isEnabled()  # nothing selected yet
    assert "{{ agreement_number }}" in dialog.fields_text()
    row = _row_of(dialog, "人民调解协议书")
    assert dialog.table.item(row, 1).text() == "内置格式"
    dialog.table.selectRow(row)
    assert dialog.upload_button.isEnabled() and not dialog.reset_button.isEnabled()

    # Export the starter template (the save dialog answers with a path).
    exported = tmp_path / "协议书模板.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(exported), ""))
    dialog.export_button.click()
    qtbot.waitUntil(exported.exists, timeout=10_000)
    qtbot.waitUntil(lambda: "已导出" in dialog.message.text(), timeout=5_000)

    # Edit it "in Word": a bad placeholder first.
    document = docx.Document(str(exported))
    document.add_paragraph("本点提示：{{ desk_name }}，微信：{{ mediator_wechat }}")
    bad = tmp_path / "bad.docx"
    document.save(str(bad))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    dialog.upload_button.click()
    qtbot.waitUntil(lambda: dialog.message.isVisible() and "mediator_wechat" in dialog.message.text(),
                    timeout=10_000)
    assert "没有启用" in dialog.message.text()
    assert dialog.table.item(row, 1).text() == "内置格式"

    # Fixed, uploaded: the table names the file and who uploaded it.
    document.paragraphs[-1].text = "本点提示：{{ desk_name }}受理。"
    good = tmp_path / "本点协议书.docx"
    document.save(str(good))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    dialog.upload_button.click()
    qtbot.waitUntil(lambda: dialog.table.item(_row_of(dialog, "人民调解协议书"), 1).text() == "本点协议书.docx",
                    timeout=10_000)
    assert "已启用" in dialog.message.text()
    row = _row_of(dialog, "人民调解协议书")
    assert dialog.table.item(row, 2).text() == "管理员甲"
    with sqlite_db.read() as s:
        active = templates.active_template(s, "people_agreement", desk.desk_id)
    assert active == good.read_bytes()

    # Reset (confirmed): back to the built-in layout.
    dialog.table.selectRow(row)
    assert dialog.reset_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.reset_button.click()
    qtbot.waitUntil(lambda: dialog.table.item(_row_of(dialog, "人民调解协议书"), 1).text() == "内置格式",
                    timeout=10_000)
    with sqlite_db.read() as s:
        assert templates.active_template(s, "people_agreement", desk.desk_id) is None


def test_templates_menu_only_for_administrators(qtbot, sqlite_db: Database, desk: Desk,
                                                ui_state: UiState) -> None:
    admin_window = MainWindow(AppContext(sqlite_db, desk.admin), ui_state)
    qtbot.addWidget(admin_window)
    assert admin_window.templates_action.isVisible()
    assert admin_window.templates_action.text() == "文书模板…"
    admin_window.templates_action.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, TemplatesDialog) and w.isVisible()
                                for w in admin_window.findChildren(TemplatesDialog)), timeout=5_000)
    officer_window = MainWindow(AppContext(sqlite_db, desk.officer), ui_state)
    qtbot.addWidget(officer_window)
    assert not officer_window.templates_action.isVisible()
