"""帮助 → 关于: what the program is, where its database and log are, what it bundles and under which licences."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from mediation import about
from mediation.db import Database
from mediation.migrations import HEAD
from mediation.ui import tasks
from mediation.ui.about_dialog import AboutDialog
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.state import UiState
from tests.conftest import Desk
from tests.ui.conftest import process_events


@pytest.fixture
def window(qtbot, sqlite_db: Database, desk: Desk, ui_state: UiState) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(AppContext(sqlite_db, desk.volunteer), ui_state)
    qtbot.addWidget(w)
    w.show()
    yield w
    tasks.wait_for_all()
    process_events()


def _open_about(qtbot, window: MainWindow) -> AboutDialog:  # type: ignore[no-untyped-def]
    assert window.about_action in window.help_menu.actions()
    window.about_action.trigger()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog) and w.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitUntil(lambda: dialog.facts is not None, timeout=10_000)
    return dialog


def test_about_shows_version_database_revision_and_log(qtbot, window: MainWindow, sqlite_db: Database,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    dialog = _open_about(qtbot, window)
    assert about.version() in dialog.version_label.text()
    assert dialog.database_label.text() == str(Path(sqlite_db.url.removeprefix("sqlite:///")).absolute())
    assert dialog.revision_label.text().startswith(f"{HEAD}（程序支持到 {HEAD}）")
    assert "最新" in dialog.revision_label.text()
    assert dialog.log_label.text() == str(tmp_path / "data" / "logs" / "mediation.log")
    # The same facts as `mediation --version`, ready to paste into a message.
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied == about.report(dialog.facts) and dialog.log_label.text() in copied
    assert dialog.copy_button.text() == "已复制"


def test_about_lists_licences_and_shows_their_text(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_about(qtbot, window)
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    licences = {dialog.table.item(r, 0).text(): dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())}
    assert {"AR PL UMing CN", "WenQuanYi Micro Hei", "HanaMinA", "Qt", "PySide6", "SQLAlchemy", "reportlab",
            "python-docx"} <= set(names)
    assert licences["Qt"].startswith("LGPL-3.0") and licences["SQLAlchemy"] == "MIT"
    assert dialog.licence_text.toPlainText() == ""

    row = names.index("AR PL UMing CN")
    rect = dialog.table.visualRect(dialog.table.model().index(row, 0))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "ARPHIC PUBLIC LICENSE" in dialog.licence_text.toPlainText().upper()

    dialog.table.scrollToItem(dialog.table.item(names.index("Qt"), 0))
    rect = dialog.table.visualRect(dialog.table.model().index(names.index("Qt"), 0))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.licence_text.toPlainText()


def test_about_fits_the_desk_screen_with_its_buttons_visible(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_about(qtbot, window)
    available = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().width() <= min(available.width(), 1366)
    assert dialog.frameGeometry().height() <= min(available.height(), 768)
    for button in (dialog.copy_button, dialog.log_folder_button):
        assert button.isVisible() and dialog.rect().contains(button.geometry().translated(
            button.parentWidget().mapTo(dialog, button.pos()) - button.pos()))
    dialog.close()
    qtbot.waitUntil(lambda: not any(isinstance(w, AboutDialog) for w in QApplication.topLevelWidgets()
                                    if w.isVisible()), timeout=2_000)
