"""学期、志愿者与排班, driven by hand: the administrator opens a term, imports the school's list
(the mapping step, the rows not imported listed), creates the accounts and prints the sheet of
one-time passwords; then puts people on the timetable by picking and by dragging, sees the
week's conflicts and coverage, and prints the rota."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mediation.db import Database
from mediation.services import accounts
from mediation.services.roster import terms
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.pdf_preview import PdfPreviewDialog
from mediation.ui.roster_window import RosterWindow
from mediation.ui.term_dialog import TermDialog
from mediation.ui.timetable_grid import SlotList, drag_data
from mediation.ui.volunteer_import_dialog import VolunteerImportDialog
from tests.conftest import Desk
from tests.roster_fixtures import enrol, slot, xlsx
from tests.ui.conftest import type_text, wait_ops

TODAY = local_today()
START = TODAY - dt.timedelta(days=TODAY.weekday())  # this week's Monday


def school_list(tmp_path: Path) -> Path:
    return xlsx(tmp_path / "名单.xlsx", [
        ["学生姓名", "学号", "班级", "手机号码"],
        ["王小明", "20230001", "法学2301", "13800001111"],
        ["李小红", "20230002", "法学2301", "13800002222"],
        ["张小强", "20230003", "法学2302", "1380000"],  # a bad phone
        ["赵小芳", "20230001", "法学2302", "13800005555"],  # a duplicate
    ])


def drop_on(target: SlotList, kind: str, ident: int) -> bool:
    """A drag from the list of people (or another slot) entering ``target`` and dropped there, as
    the mouse does it: Qt delivers a drop only to the widget the drag entered."""
    mime = drag_data(kind, ident)  # kept alive: the events do not own it
    point = QPoint(10, 10)
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target.viewport(), enter)
    drop = QDropEvent(point.toPointF(), Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target.viewport(), drop)
    return enter.isAccepted() and drop.isAccepted()


def open_window(qtbot: QtBot, db: Database, desk: Desk) -> RosterWindow:
    window = RosterWindow(AppContext(db, desk.admin))
    qtbot.addWidget(window)
    window.show()
    wait_ops(qtbot)
    return window


def test_the_administrator_imports_a_list_creates_accounts_and_prints_the_sheet(
        qtbot: QtBot, sqlite_db: Database, desk: Desk, tmp_path: Path) -> None:
    window = open_window(qtbot, sqlite_db, desk)
    assert window.term_combo.count() == 0 and "新建学期" in window.banner.text()
    # A term, typed in its dialog.
    qtbot.mouseClick(window.new_term_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(TermDialog)
    assert dialog is not None and dialog.isVisible()
    type_text(dialog.name_edit, "2026年秋季学期")
    dialog.start_edit.setDate(dialog.start_edit.date().addDays(-dialog.start_edit.date().dayOfWeek() + 1))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: window.term_combo.count() == 1 and window.term is not None, timeout=10_000)
    assert window.term is not None and window.term.name == "2026年秋季学期"
    # The school's list: the mapping is proposed from the headers; good rows imported, the others listed.
    qtbot.mouseClick(window.import_button, Qt.MouseButton.LeftButton)
    importer = window.findChild(VolunteerImportDialog)
    assert importer is not None
    importer.load_file(school_list(tmp_path))
    qtbot.waitUntil(lambda: importer.preview is not None, timeout=10_000)
    assert importer.combos["name"].currentText() == "学生姓名" and importer.combos["phone"].currentText() == "手机号码"
    assert importer.combos["college"].currentData() == ""  # not in the list: not imported
    qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: importer.report is not None, timeout=10_000)
    assert "已导入 2 人" in importer.summary.text()
    listed = [[importer.problems.item(r, c).text() for c in range(5)] for r in range(importer.problems.rowCount())]
    assert [row[:4] for row in listed] == [["名单", "4", "手机号码", "有误"], ["名单", "5", "学号", "重复"]]
    qtbot.mouseClick(importer.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.table.rowCount() == 2, timeout=10_000)
    assert window.table.item(0, 5).text() == "未创建"
    # Accounts in one step, and the sheet printed.
    qtbot.mouseClick(window.accounts_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) for w in window.children_open), timeout=20_000)
    preview = next(w for w in window.children_open if isinstance(w, PdfPreviewDialog))
    sheet = tmp_path / "sheet.pdf"
    sheet.write_bytes(preview.pdf)
    text = "".join(p.extract_text() for p in PdfReader(sheet).pages)
    assert "王小明" in text and "20230002" in text and "初始密码" in text
    printed = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    assert preview.print_document(printer)
    qtbot.waitUntil(lambda: preview.sheets_printed > 0, timeout=20_000)
    assert len(PdfReader(printed).pages) == preview.preview.page_count()
    qtbot.waitUntil(lambda: window.table.item(0, 5).text() == "20230001", timeout=10_000)
    assert "初始密码只印在这份通知单上" in window.banner.text()
    # The first password on the sheet is 王小明's (20230001): it logs in, and must then be changed.
    password = re.findall(r"[A-HJ-NP-Za-km-z2-9]{10}", text)[0]
    student = accounts.login(sqlite_db, "20230001", password)
    assert student.display_name == "王小明"
    with sqlite_db.read() as s:
        user = next(u for u in accounts.list_users(s, desk.admin) if u.username == "20230001")
        assert accounts.password_change_required(s, student)
    assert window.term is not None and user.valid_until == window.term.ends_on
    preview.close()


def test_the_timetable_by_picking_and_dragging_with_conflicts_coverage_and_rota(
        qtbot: QtBot, sqlite_db: Database, desk: Desk, tmp_path: Path) -> None:
    with sqlite_db.write() as s:
        term_id = terms.create_term(s, desk.admin, terms.TermInput("本学期", START, START + dt.timedelta(days=120),
                                                                   min_students=2, min_officers=1))
    students = enrol(sqlite_db, desk.admin, term_id, 3, on=START + dt.timedelta(days=3))
    slot(sqlite_db, desk.admin, term_id, 5, "09:00", "12:00")  # Saturday: still to come this week or next
    window = open_window(qtbot, sqlite_db, desk)
    window.tabs.setCurrentIndex(1)
    window.week_edit.setDate(window.week_edit.date().addDays(7))  # next week: every shift still to come
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: window.week_table is not None and window.grid.rowCount() == 1, timeout=10_000)
    cell = window.grid.slot_list(5, 540, 720)
    assert cell is not None and cell.count() == 0
    # By picking: a name on the left, the slot, 排入所选时段.
    row = next(i for i in range(window.candidates.count())
               if window.candidates.item(i).data(Qt.ItemDataRole.UserRole) == students[0].actor.user_id)
    window.candidates.setCurrentRow(row)
    window.grid.select(cell)
    qtbot.mouseClick(window.assign_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: (c := window.grid.slot_list(5, 540, 720)) is not None and c.count() == 1, timeout=10_000)
    # By dragging: the second student dropped on the slot.
    cell = window.grid.slot_list(5, 540, 720)
    assert cell is not None
    assert drop_on(cell, "user", students[1].actor.user_id)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: (c := window.grid.slot_list(5, 540, 720)) is not None and c.count() == 2, timeout=10_000)
    # No officer on call: understaffed, in the conflicts and the coverage.
    assert any("人手不足" in window.conflicts.item(i).text() for i in range(window.conflicts.count()))
    assert window.coverage.item(0, 3).text() == "0/1" and window.coverage.item(0, 4).text() == "人手不足"
    # The officer dragged on: covered.
    cell = window.grid.slot_list(5, 540, 720)
    assert cell is not None
    assert drop_on(cell, "user", desk.officer.user_id)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: window.coverage.item(0, 4) is not None and window.coverage.item(0, 4).text() == "人手齐全",
                    timeout=10_000)
    # The printable rota, and its workbook.
    qtbot.mouseClick(window.rota_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) for w in window.children_open), timeout=20_000)
    rota = next(w for w in window.children_open if isinstance(w, PdfPreviewDialog))
    out = tmp_path / "rota.pdf"
    out.write_bytes(rota.pdf)
    text = PdfReader(out).pages[0].extract_text()
    assert students[0].actor.display_name in text and "王警官" in text and "星期六" in text
    rota.close()
    xlsx_path = tmp_path / "rota.xlsx"
    window.export_xlsx(xlsx_path)
    qtbot.waitUntil(xlsx_path.exists, timeout=10_000)
    assert "已导出" in window.banner.text()
