"""The case filter bar: filters and the search box narrow the list (in the database), debounced."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mediation import workflow
from mediation.ui.main_window import MainWindow
from mediation.ui.models.case_table_model import COL_NUMBER, COL_STAGE
from tests.ui.conftest import BIG, generated_name, type_text


def test_filter_by_stage_changes_the_count(qtbot, window: MainWindow) -> None:
    window.filter_bar.stage_combo.setCurrentIndex(window.filter_bar.stage_combo.findData(workflow.ACCEPTED))
    qtbot.waitUntil(lambda: window.model.total == 12 and not window.model.loading, timeout=10_000)
    assert window.model.rowCount() == 12
    assert "共 12 件" in window.count_label.text()
    assert {window.model.index(r, COL_STAGE).data() for r in range(12)} == {"受理"}
    assert all(window.model.index(r, COL_NUMBER).data().startswith("（") for r in range(12))

    window.filter_bar.mine_check.setChecked(True)  # the volunteer mediates all 12
    qtbot.waitUntil(lambda: not window.model.loading and window.model.total == 12, timeout=10_000)
    window.filter_bar.stage_combo.setCurrentIndex(window.filter_bar.stage_combo.findData(workflow.REGISTERED))
    qtbot.waitUntil(lambda: window.model.total == 0 and not window.model.loading, timeout=10_000)
    assert window.empty_label.isVisible()
    assert "清除筛选" in window.empty_label.text()

    qtbot.mouseClick(window.filter_bar.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.total == BIG and not window.model.loading, timeout=10_000)


def test_search_by_two_character_name_and_one_character(qtbot, window: MainWindow) -> None:
    name = generated_name(5)  # e.g. 吴伟: unique among the applicants
    assert len(name) == 2
    type_text(window.filter_bar.search_edit, name)
    assert window.filter_bar.search_edit.text() == name
    qtbot.waitUntil(lambda: window.model.total == 1 and not window.model.loading, timeout=10_000)
    assert name in window.model.index(0, 2).data()

    window.filter_bar.search_edit.clear()
    type_text(window.filter_bar.search_edit, name[0])
    expected = sum(1 for i in range(BIG) if name[0] in generated_name(i))
    qtbot.waitUntil(lambda: window.model.query.text == name[0] and window.model.total == expected
                    and not window.model.loading, timeout=10_000)
    assert 1 <= expected < BIG


def test_search_is_debounced(qtbot, window: MainWindow) -> None:
    reloads: list[str] = []
    window.model.modelReset.connect(lambda: reloads.append(window.model.query.text))
    qtbot.keyClicks(window.filter_bar.search_edit, "138000")
    assert reloads == []  # nothing runs while typing
    qtbot.waitUntil(lambda: reloads == ["138000"], timeout=5_000)
