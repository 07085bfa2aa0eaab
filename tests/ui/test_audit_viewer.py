"""The audit viewer, as an officer uses it: find an edit by filtering, check the chain, export."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select, update

from mediation.db import Database
from mediation.models import AuditLog
from mediation.services import case_detail, cases
from mediation.services.cases import CaseEdit
from mediation.ui import audit_viewer
from mediation.ui.audit_viewer import AuditViewerWindow
from mediation.ui.context import AppContext
from tests.conftest import Desk
from tests.factories import accepted_case
from tests.ui.conftest import type_text, wait_ops


def _edited_case(db: Database, desk: Desk) -> tuple[int, str]:
    with db.write() as s:
        case_id = accepted_case(s, desk)
        accepted_case(s, desk)
    with db.write() as s:
        c = case_detail.get_case(s, desk.officer, case_id)  # the labels of its category and source
        number = c.number or ""
        cases.update_case(s, desk.volunteer, case_id, CaseEdit(
            title="租房押金纠纷（补充）", facts=c.facts, claims=c.claims, category=c.category,
            subcategory=c.subcategory, source=c.source), expected_version=c.version)
    return case_id, number


def _open(qtbot, db: Database, desk: Desk) -> AuditViewerWindow:
    window = AuditViewerWindow(AppContext(db, desk.officer))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.total is not None and window.person_combo.count() > 1, timeout=10_000)
    return window


def test_an_officer_finds_the_edit_checks_the_log_and_sees_the_tampered_row(qtbot, sqlite_db: Database,
                                                                             desk: Desk) -> None:
    case_id, number = _edited_case(sqlite_db, desk)
    window = _open(qtbot, sqlite_db, desk)
    everything = window.model.total
    assert everything is not None and everything > 5

    # Filter: the case number, the person, the action "修改案件".
    type_text(window.case_edit, number)
    window.person_combo.setCurrentIndex(window.person_combo.findData(desk.volunteer.user_id))
    window.action_combo.setCurrentIndex(window.action_combo.findData("case.update"))
    qtbot.waitUntil(lambda: window.model.total == 1 and window.model.rowCount() == 1, timeout=10_000)
    entry = window.model.entries[0]
    assert entry.action == "case.update" and entry.case_id == case_id
    assert window.model.data(window.model.index(0, 2)) == "修改案件"
    # Before and after side by side.
    window.table.selectRow(0)
    rows = {window.detail_table.item(r, 0).text(): (window.detail_table.item(r, 1).text(),
                                                    window.detail_table.item(r, 2).text())
            for r in range(window.detail_table.rowCount())}
    assert rows["标题（title）"][1] == "租房押金纠纷（补充）"
    assert rows["标题（title）"][0] != rows["标题（title）"][1]
    assert number in window.detail_title.text()

    # 核验日志: intact.
    qtbot.mouseClick(window.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.last_check is not None, timeout=20_000)
    assert window.last_check is not None and window.last_check.ok
    assert "审计日志完整" in window.verdict.text()

    # Someone edits the row in the database file; the check names it.
    with sqlite_db.write() as s:
        target = s.execute(select(AuditLog.id, AuditLog.seq).where(AuditLog.id == entry.id)).one()
        s.execute(update(AuditLog).where(AuditLog.id == entry.id).values(after={"title": "悄悄改过"}))
    window.last_check = None
    qtbot.mouseClick(window.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.last_check is not None, timeout=20_000)
    assert window.last_check is not None and not window.last_check.ok
    text = window.verdict.text()
    assert "审计日志已被破坏" in text and f"第 {target.seq} 条记录" in text and f"日志编号 {target.id}" in text
    assert "被修改或伪造" in text
    # The broken row is the one selected.
    assert window.current_entry() is not None and window.current_entry().id == target.id


def test_flag_filter_and_clearing(qtbot, sqlite_db: Database, desk: Desk) -> None:
    _edited_case(sqlite_db, desk)
    window = _open(qtbot, sqlite_db, desk)
    total = window.model.total
    window.flag_combo.setCurrentIndex(window.flag_combo.findData("after_archive"))
    qtbot.waitUntil(lambda: window.model.total == 0, timeout=10_000)
    assert window.model.rowCount() == 0
    qtbot.mouseClick(window.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.total == total, timeout=10_000)


def test_lazy_pages_reach_every_row(qtbot, sqlite_db: Database, desk: Desk) -> None:
    with sqlite_db.write() as s:
        for _ in range(8):
            accepted_case(s, desk)
    window = AuditViewerWindow(AppContext(sqlite_db, desk.officer))
    window.model.page_size = 10
    qtbot.addWidget(window)
    window.show()
    window.apply_filters()
    qtbot.waitUntil(lambda: window.model.total is not None and window.model.rowCount() >= 10, timeout=10_000)
    total = window.model.total
    # Pages of ten: the view asks for more while it has room; never the whole log at once.
    assert window.model.rowCount() % 10 == 0 and window.model.rowCount() < total
    assert total is not None and total > 30
    # Scrolling to the end reads the next page, until there is none.
    for _ in range(total):
        qtbot.waitUntil(lambda: not window.model.loading, timeout=10_000)
        if window.model.rowCount() == total:
            break
        window.table.scrollToBottom()
        wait_ops(qtbot)
    assert window.model.rowCount() == total and not window.model.canFetchMore()
    assert len({e.id for e in window.model.entries}) == total


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_the_filtered_rows(qtbot, sqlite_db: Database, desk: Desk, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    _case_id, number = _edited_case(sqlite_db, desk)
    window = _open(qtbot, sqlite_db, desk)
    type_text(window.case_edit, number)
    qtbot.waitUntil(lambda: window.model.total is not None and 0 < window.model.total < 12, timeout=10_000)
    expected = window.model.total
    qtbot.waitUntil(lambda: window.model.rowCount() == expected, timeout=10_000)
    ids = [e.id for e in window.model.entries]
    target = tmp_path / f"导出.{fmt}"
    monkeypatch.setattr(audit_viewer, "ask_save_path", lambda *_a: target)
    qtbot.mouseClick(window.csv_button if fmt == "csv" else window.xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.exported is not None, timeout=20_000)
    if fmt == "csv":
        with target.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    else:
        rows = [list(r) for r in openpyxl.load_workbook(target, read_only=True).active.iter_rows(values_only=True)]
    assert [int(r[0]) for r in rows[1:]] == ids
    assert all(r[7] == number for r in rows[1:])
    assert f"已导出 {expected} 条记录" in window.verdict.text()
