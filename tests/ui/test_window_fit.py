"""Every window fits the desks' screens with its buttons visible (issue 12 items 2 and 9).

The whole program is checked in a child process whose offscreen screen *is* 1366×768 or
1280×720 (Qt's offscreen platform takes its screens from a JSON file), so Qt itself
places, maximises and clamps as it would on the desk; the mechanism's parts are then
tested here against a given available rectangle.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation.ui import app_events, window_fit
from mediation.ui.state import UiState
from tests.ui.conftest import process_events
from tests.ui.window_catalogue import fit_problems, window_classes

ROOT = Path(__file__).resolve().parents[2]
SCREENS = {"1366x768": (1366, 768), "1280x720": (1280, 720)}


def run_catalogue(tmp_path: Path, width: int, height: int) -> dict[str, Any]:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "desk", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", MEDIATION_FAST_HASH="1",
               PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "tests.ui.window_catalogue"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_window_and_dialog_fits_the_screen_with_its_buttons_visible(tmp_path: Path, screen: str) -> None:
    width, height = SCREENS[screen]
    result = run_catalogue(tmp_path, width, height)
    assert result["screen"] == f"{width}×{height}+0+0"
    assert result["problems"] == []
    # Found, not listed: every window class was built and shown (none left out silently) …
    assert result["unbuildable"] == {}
    assert set(result["classes"]) >= {c.__qualname__ for c in window_classes()}
    assert {"ApprovalDialog", "PdfPreviewDialog", "DocumentEditor", "MainWindow", "CaseWindow",
            "LoginDialog"} <= set(result["classes"])
    # … and the windows the main window's menus open, Qt's file dialogs and message boxes included.
    assert "backup_action→QFileDialog" in result["checked"] and "guide_action→QMessageBox" in result["checked"]


# ---------------------------------------------------------------- the parts, against a given screen


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> dict[str, QRect]:
    """The available geometry the fitter sees (changeable by the test), with a 30 px panel on top."""
    current = {"avail": QRect(0, 30, 1366, 738)}
    monkeypatch.setattr(window_fit, "available_geometry", lambda _w: QRect(current["avail"]))
    return current


@pytest.fixture
def remembered(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> UiState:
    state = UiState(tmp_path / "ui-state.ini")
    events = app_events.installed()
    assert events is not None
    monkeypatch.setattr(events.fitter, "state", state)
    return state


def tall_dialog(rows: int = 60) -> tuple[QDialog, QDialogButtonBox]:
    """A form far taller than any screen, laid out as our dialogs are: fields, then a button box."""
    dialog = QDialog()
    dialog.setWindowTitle("tall")
    lay = QVBoxLayout(dialog)
    for i in range(rows):
        lay.addWidget(QLabel(f"第{i + 1}项"))
        lay.addWidget(QLineEdit())
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    lay.addWidget(buttons)
    return dialog, buttons


def test_a_dialog_taller_than_the_screen_scrolls_its_content_and_keeps_its_buttons(
        qtbot: Any, screen: dict[str, QRect]) -> None:
    dialog, buttons = tall_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    process_events()
    avail = screen["avail"]
    assert fit_problems(dialog, avail) == []
    assert avail.contains(dialog.frameGeometry())
    body = dialog.findChild(QWidget, window_fit.SCROLL_BODY)
    assert body is not None  # the fields scroll …
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.window() is dialog and not body.isAncestorOf(ok)  # … the buttons do not


def test_a_window_asking_for_more_than_the_screen_is_clamped_and_centred_on_its_parent(
        qtbot: Any, screen: dict[str, QRect]) -> None:
    screen["avail"] = QRect(0, 0, 1280, 720)
    parent = QMainWindow()
    qtbot.addWidget(parent)
    parent.show()
    process_events()
    child = QDialog(parent)
    QVBoxLayout(child).addWidget(QPushButton("审批通过"))
    child.resize(1280, 860)  # what the approval window asked for
    child.show()
    process_events()
    assert QRect(0, 0, 1280, 720).contains(child.frameGeometry())
    assert child.frameGeometry().center() == parent.frameGeometry().center() or child.frameGeometry().top() == 0
    assert fit_problems(child, QRect(0, 0, 1280, 720)) == []


def test_the_main_window_opens_maximised_on_a_small_screen(qtbot: Any, screen: dict[str, QRect]) -> None:
    w = QMainWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.isMaximized()
    screen["avail"] = QRect(0, 0, 2560, 1440)
    big = QMainWindow()
    qtbot.addWidget(big)
    big.resize(1366, 768)
    big.show()
    assert not big.isMaximized()


def test_a_window_remembers_its_size_per_screen_size(qtbot: Any, screen: dict[str, QRect],
                                                     remembered: UiState) -> None:
    first, _ = tall_dialog(3)
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 420)
    first.hide()
    assert remembered.window_size("QDialog", "1366x738") == (QSize(700, 420), False)
    again, _ = tall_dialog(3)
    qtbot.addWidget(again)
    again.show()
    assert again.size() == QSize(700, 420)
    screen["avail"] = QRect(0, 0, 1280, 720)  # another screen: its own size
    other, _ = tall_dialog(3)
    qtbot.addWidget(other)
    other.show()
    assert other.size() != QSize(700, 420)
    box = QMessageBox(QMessageBox.Icon.Information, "关于", "一句话。")  # sizes itself to its text
    qtbot.addWidget(box)
    box.show()
    box.hide()
    assert remembered.window_size("QMessageBox", "1280x720") is None
