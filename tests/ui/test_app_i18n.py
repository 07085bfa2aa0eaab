"""Languages: switching to English relabels the open window; catalogs are complete and load."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import Qt, QTranslator

from mediation import workflow
from mediation.ui import i18n
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.models.case_table_model import COL_STAGE
from mediation.ui.settings_dialog import SettingsDialog
from mediation.ui.state import UiState
from tests.conftest import Desk

# Contexts of the app shell (the files of the desktop issue's items 1-3, 6, 7).
SHELL_CONTEXTS = {
    "AccountsDialog", "AdminPage", "CaseTableModel", "DeskPage", "FinishPage", "HolidayDialog",
    "LockScreen", "LoginDialog", "LoginForm", "MainWindow", "NewUserDialog", "RosterDialog",
    "SettingsDialog", "SetupWizard", "TodayPanel", "app", "backup",
}


def test_switching_to_english_changes_the_labels(qtbot, sqlite_db, desk: Desk, ui_state: UiState) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(AppContext(sqlite_db, desk.officer), ui_state)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.total is not None, timeout=10_000)
    assert window.new_case_action.iconText() == "新建纠纷"
    assert window.case_menu.title() == "案件(&C)"

    dialog = SettingsDialog(window._ctx, ui_state, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))

    assert i18n.current_language() == "en"
    qtbot.waitUntil(lambda: window.new_case_action.iconText() == "New dispute", timeout=5_000)
    assert window.case_menu.title() == "&Cases"
    assert window.search_edit.placeholderText().startswith("Search")
    assert window.model.headerData(COL_STAGE, Qt.Orientation.Horizontal) == "Stage"
    assert window.lock_screen.title_label.text() == "Screen locked"
    assert dialog.windowTitle() == "Settings"
    assert ui_state.language() == "en"  # remembered for the next start
    # Stage names come from the core's gettext catalog.
    assert workflow.stage_label(workflow.ACCEPTED) != "受理"

    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    qtbot.waitUntil(lambda: window.new_case_action.iconText() == "新建纠纷", timeout=5_000)
    assert workflow.stage_label(workflow.ACCEPTED) == "受理"


def test_every_shell_string_has_an_english_translation() -> None:
    root = ET.parse(i18n.I18N_DIR / "mediation_en.ts").getroot()
    seen, unfinished = set(), []
    for ctx in root.findall("context"):
        name = ctx.findtext("name")
        if name not in SHELL_CONTEXTS:
            continue
        seen.add(name)
        for message in ctx.findall("message"):
            tr = message.find("translation")
            assert tr is not None
            if tr.get("type") in ("unfinished", "obsolete", "vanished") or not (tr.text or "").strip():
                unfinished.append((name, message.findtext("source")))
    assert seen == SHELL_CONTEXTS
    assert unfinished == []


def test_placeholders_survive_translation() -> None:
    import re

    root = ET.parse(i18n.I18N_DIR / "mediation_en.ts").getroot()
    bad = []
    for message in root.iter("message"):
        source, tr = message.findtext("source") or "", message.find("translation")
        if tr is None or tr.get("type") == "unfinished":
            continue
        if sorted(re.findall(r"\{\w+\}", source)) != sorted(re.findall(r"\{\w+\}", tr.text or "")):
            bad.append(source)
    assert bad == []


def test_compiled_catalogs_load() -> None:
    for code in i18n.LANGUAGES:
        if code == i18n.DEFAULT_LANGUAGE:
            continue
        assert QTranslator().load(str(i18n.qm_path(code))), code
        assert (i18n.I18N_DIR / code / "LC_MESSAGES" / "mediation.mo").exists()
