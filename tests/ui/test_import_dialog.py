"""Administrator: import an Excel ledger from the app (off the UI thread, with progress
and cancel); a ledger with mistakes is refused with its problems listed, nothing kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget
from sqlalchemy import func, select

from mediation.db import Database
from mediation.models import Case
from mediation.progress import Cancelled
from mediation.services import transfer
from mediation.ui.context import AppContext
from mediation.ui.import_dialog import ImportJob, start_import
from mediation.ui.main_window import MainWindow
from mediation.ui.state import UiState
from tests.conftest import Desk

HEADERS = ["序号", "案件编号", "登记时间", "申请人", "申请人联系电话", "被申请人", "纠纷类型", "来源",
           "简要案情", "申请事项", "涉及金额（元）", "调解结果", "结案日期", "备注"]


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["晓雯", "子涵", "浩然", "雨桐", "思远", "佳怡", "俊杰", "欣妍"]


def _name(i: int) -> str:
    """Generated people (never real ones), distinct for up to 160 rows."""
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]


def _ledger(path: Path, n: int, *, bad_row: int | None = None, also_bad: tuple[int, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2025年台账"
    ws.append(HEADERS)
    for i in range(1, n + 1):
        phone = "1380013" if i == bad_row or i in also_bad else f"139{i:08d}"
        ws.append([i, None, dt.datetime(2025, 3, 1) + dt.timedelta(days=i % 200), _name(i), phone,
                   _name(i + 7), "合同", "当事人申请", "租房押金未退。", "退还押金", 2500, None, None, None])
    wb.save(path)
    return path


def _cases(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


def _wait(qtbot, job: ImportJob) -> Any:
    qtbot.waitUntil(lambda: job.outcome is not None, timeout=60_000)
    return job.outcome


def test_import_a_ledger_from_the_admin_menu(qtbot, sqlite_db: Database, desk: Desk, ui_state: UiState,
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(AppContext(sqlite_db, desk.admin), ui_state)
    qtbot.addWidget(window)
    assert window.import_action.isVisible() and window.import_action.text() == "导入台账或数据…"
    path = _ledger(tmp_path / "2025年台账.xlsx", 30)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.import_action.trigger()
    job = window.import_job
    assert isinstance(job, ImportJob)
    summary = _wait(qtbot, job)
    assert isinstance(summary, transfer.ImportSummary) and summary.cases_imported == 30
    assert _cases(sqlite_db) == 30
    assert job.message_box is not None and "已导入 30 件案件" in job.message_box.text()
    dialog = job.op.progress_dialog
    assert dialog is not None and (not shiboken6.isValid(dialog) or not dialog.isVisible())  # closed (and deleted)
    job.message_box.close()

    officer = MainWindow(AppContext(sqlite_db, desk.officer), ui_state)
    qtbot.addWidget(officer)
    assert not officer.import_action.isVisible()  # officers export, administrators import


def test_a_ledger_with_a_mistake_is_refused_with_where_and_nothing_is_kept(
        qtbot, sqlite_db: Database, desk: Desk, tmp_path: Path) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    job = start_import(AppContext(sqlite_db, desk.admin), host, _ledger(tmp_path / "台账.xlsx", 12, bad_row=3,
                                                                       also_bad=(11, 7)))
    assert job is not None
    exc = _wait(qtbot, job)
    assert isinstance(exc, Exception)
    box = job.message_box
    assert box is not None and box.icon() == QMessageBox.Icon.Warning
    assert "没有导入任何数据" in box.text() and "第4行" in box.text()  # row 4 as Excel shows it (header is row 1)
    text = box.text()
    assert text.index("第4行") < text.index("第8行") < text.index("第12行")  # in the order of the sheet
    assert _cases(sqlite_db) == 0


def test_cancelling_keeps_nothing(qtbot, sqlite_db: Database, desk: Desk, tmp_path: Path) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    job = ImportJob(AppContext(sqlite_db, desk.admin), _ledger(tmp_path / "台账.xlsx", 150), host)
    job.start()
    assert job.op.progress_dialog is not None
    button = job.op.progress_dialog.findChild(QPushButton)
    assert button is not None and button.text() == "取消"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the worker stops at the next case written
    exc = _wait(qtbot, job)
    assert isinstance(exc, Cancelled)
    assert job.message_box is None  # 取消 was the person's own choice: no box about it
    assert _cases(sqlite_db) == 0


def test_cancel_pressed_after_the_last_case_still_keeps_nothing(qtbot, sqlite_db: Database, desk: Desk,
                                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reviewer's case: 取消 after every case was written (consultations and the audit
    row still to come) must not end in "导入完成"."""
    host = QWidget()
    qtbot.addWidget(host)
    job = ImportJob(AppContext(sqlite_db, desk.admin), _ledger(tmp_path / "台账.xlsx", 5), host)
    real_import = transfer.import_

    def import_then_cancel(*args: Any, **kwargs: Any) -> transfer.ImportSummary:
        summary = real_import(*args, **kwargs)
        job.op.token.cancel()  # as if 取消 were pressed now, in the worker's last moment
        return summary

    monkeypatch.setattr(transfer, "import_", import_then_cancel)
    job.start()
    exc = _wait(qtbot, job)
    assert isinstance(exc, Cancelled)
    assert _cases(sqlite_db) == 0


def test_a_result_waits_for_the_lock_screen_to_go(qtbot, sqlite_db: Database, desk: Desk, ui_state: UiState,
                                                  tmp_path: Path) -> None:
    window = MainWindow(AppContext(sqlite_db, desk.admin), ui_state)
    qtbot.addWidget(window)
    window.show()
    window.lock()
    job = start_import(window.ctx, window, _ledger(tmp_path / "台账.xlsx", 3))
    assert job is not None
    _wait(qtbot, job)
    assert job.message_box is not None and not job.message_box.isVisible()  # not over the lock screen
    lock = window.lock_screen  # the same user unlocks with the password
    qtbot.keyClicks(lock.password_edit, "admin1234")
    qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert job.message_box.isVisible() and "已导入 3 件案件" in job.message_box.text()
    job.message_box.close()
