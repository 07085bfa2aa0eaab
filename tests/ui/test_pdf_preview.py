"""The PDF preview: no output without its audit row (full ID numbers are on it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from mediation.db import Database
from mediation.services import documents as docs
from mediation.ui.context import AppContext
from tests.conftest import Desk
from tests.factories import agreed_case, document_on
from tests.ui.document_fixtures import open_tab


def test_no_record_no_output(qtbot: QtBot, sqlite_db: Database, desk: Desk, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """If the audit row cannot be written, the document (full ID numbers) is not exported."""
    from mediation.errors import StorageError

    with sqlite_db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(sqlite_db, desk, case_id)
    tab = open_tab(qtbot, AppContext(sqlite_db, desk.volunteer), case_id)
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


def test_the_docx_from_the_preview_is_on_record_once(qtbot: QtBot, sqlite_db: Database, desk: Desk,
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """导出 DOCX in the preview: render_docx puts it on record as it makes it (one row, no
    second one from the dialog); if that row cannot be written, no file."""
    from sqlalchemy import select

    from mediation.errors import StorageError
    from mediation.models import AuditLog

    with sqlite_db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(sqlite_db, desk, case_id)
    tab = open_tab(qtbot, AppContext(sqlite_db, desk.volunteer), case_id)
    tab.preview(doc_id)
    qtbot.waitUntil(lambda: tab.preview_dialog is not None and tab.preview_dialog.isVisible(), timeout=10_000)
    dialog = tab.preview_dialog
    assert dialog is not None and dialog.export_docx_button.isVisible()
    target = tmp_path / "协议.docx"
    dialog.export("docx", target)
    qtbot.waitUntil(lambda: dialog.last_export == target, timeout=10_000)
    assert target.read_bytes()[:2] == b"PK"
    with sqlite_db.read() as s:
        rows = [(r.action, r.after["format"], r.after["full_ids"]) for r in s.scalars(
            select(AuditLog).where(AuditLog.entity == "document", AuditLog.entity_id == doc_id,
                                   AuditLog.action.in_(["document.preview", "document.export"]))
            .order_by(AuditLog.id))]
    assert rows == [("document.preview", "pdf", False), ("document.export", "docx", False)]

    def refuse(*_a: object, **_k: object) -> None:
        raise StorageError("数据库暂时无法写入")

    monkeypatch.setattr(docs, "_record", refuse)
    again = tmp_path / "再次.docx"
    dialog.export("docx", again)
    qtbot.waitUntil(lambda: dialog.banner.level == "error", timeout=10_000)
    assert not again.exists() and dialog.last_export == target
    dialog.close()
