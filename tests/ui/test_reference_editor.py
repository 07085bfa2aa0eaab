"""Settings → 类别与来源: the administrator renames, adds, reorders and retires categories, sub-types
and sources; cases keep their item (a rename shows on them), forms stop offering a retired one,
and every change is in the audit trail (issue 12 item 14)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from sqlalchemy import select

from mediation.db import Database
from mediation.models import AuditLog, Case
from mediation.services import cases, reference
from mediation.ui.context import AppContext
from mediation.ui.intake_dialog import IntakeDialog
from mediation.ui.main_window import MainWindow
from mediation.ui.models.case_table_model import COL_CATEGORY
from mediation.ui.reference_editor import ReferenceColumn
from mediation.ui.settings_dialog import SettingsDialog
from mediation.ui.state import UiState
from tests.conftest import Desk
from tests.factories import dispute
from tests.ui.conftest import type_text, wait_loaded, wait_ops


def _click_row(qtbot: Any, lst: QListWidget, text: str) -> None:
    row = next(i for i in range(lst.count()) if lst.item(i).text() == text)
    rect = lst.visualItemRect(lst.item(row))
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert lst.currentRow() == row


def _rows(column: ReferenceColumn) -> list[str]:
    return [column.list.item(i).text() for i in range(column.list.count())]


def _name(qtbot: Any, column: ReferenceColumn, text: str) -> None:
    column.name_edit.clear()
    type_text(column.name_edit, text)


def test_administrator_edits_the_lists_and_cases_follow_by_id(qtbot, sqlite_db: Database, desk: Desk,  # type: ignore[no-untyped-def]
                                                              ui_state: UiState) -> None:
    with sqlite_db.write() as s:
        case_id = cases.register_case(s, desk.volunteer, dispute(category="合同", subcategory="租房")).id
    window = MainWindow(AppContext(sqlite_db, desk.admin), ui_state)
    qtbot.addWidget(window)
    window.show()
    wait_loaded(qtbot, window)
    assert window.model.data(window.model.index(0, COL_CATEGORY)) == "合同 / 租房"

    dialog = SettingsDialog(window.ctx, ui_state, window)
    qtbot.addWidget(dialog)
    dialog.show()
    bar = dialog.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(3).center())
    editor = dialog.reference_editor
    assert editor is not None and dialog.tabs.currentWidget() is editor
    qtbot.waitUntil(lambda: editor.loaded, timeout=10_000)
    cats, subs, srcs = editor.categories, editor.subtypes, editor.sources
    assert _rows(cats)[:4] == ["婚姻家庭", "邻里", "房屋宅基地", "合同"]

    # Rename 合同: the case (which refers to the id) shows the new word in the list.
    _click_row(qtbot, cats.list, "合同")
    assert _rows(subs) == ["租房", "借贷", "网购/消费", "兼职/实习"]
    _name(qtbot, cats, "合同纠纷")
    qtbot.mouseClick(cats.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "合同纠纷" in _rows(cats), timeout=10_000)
    assert "已登记的案件随之显示新名称" in editor.result.text()
    qtbot.waitUntil(lambda: window.model.data(window.model.index(0, COL_CATEGORY)) == "合同纠纷 / 租房",
                    timeout=10_000)

    # A sub-type under the selected category.
    assert cats.selected() is not None and cats.selected().label == "合同纠纷"  # type: ignore[union-attr]
    _name(qtbot, subs, "校园贷")
    qtbot.mouseClick(subs.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _rows(subs)[-1:] == ["校园贷"], timeout=10_000)

    # A name already used is refused beside the list.
    _click_row(qtbot, srcs.list, "学校转交")
    _name(qtbot, srcs, "派出所移交")
    qtbot.mouseClick(srcs.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(srcs.error.isVisible, timeout=10_000)
    assert "已有名为“派出所移交”的纠纷来源" in srcs.error.text()

    # Reorder: 邻里 goes first.
    _click_row(qtbot, cats.list, "邻里")
    qtbot.mouseClick(cats.up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _rows(cats)[0] == "邻里", timeout=10_000)
    assert cats.selected() is not None and cats.selected().label == "邻里"  # type: ignore[union-attr]

    # Retire 消费: shown as retired here, no longer offered by the intake form.
    _click_row(qtbot, cats.list, "消费")
    assert cats.retire_button.text() == "停用"
    qtbot.mouseClick(cats.retire_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "消费（已停用）" in _rows(cats), timeout=10_000)
    assert cats.retire_button.text() == "重新启用"
    wait_ops(qtbot)

    intake = IntakeDialog(AppContext(sqlite_db, desk.volunteer))
    qtbot.addWidget(intake)
    qtbot.waitUntil(intake.is_ready, timeout=10_000)
    offered = [intake.category.editor.itemText(i) for i in range(intake.category.editor.count())]
    assert "消费" not in offered and "合同纠纷" in offered and "合同" not in offered
    assert offered.index("邻里") < offered.index("婚姻家庭")
    intake.category.editor.setCurrentIndex(intake.category.editor.findData("合同纠纷"))
    assert intake.subcategory.editor.findText("校园贷") >= 0

    with sqlite_db.read() as s:
        actions = [a for (a,) in s.execute(select(AuditLog.action).where(AuditLog.action.like("reference.%"))
                                           .order_by(AuditLog.id))]
        assert actions == ["reference.rename", "reference.add", "reference.reorder", "reference.retire"]
        labels = reference.all_labels(s)
        case = s.get(Case, case_id)
        assert labels["category"][case.category_id] == "合同纠纷"
    dialog.close()
