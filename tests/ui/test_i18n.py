"""Languages: switching to English relabels the open window; both catalogs (Qt UI and the
core's gettext) are complete, keep placeholders and mnemonics, and load."""

from __future__ import annotations

import re
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
    "AccountsDialog", "AdminPage", "CaseFilterBar", "CaseListSection", "CaseTableModel", "DeskPage",
    "DocumentsSection", "DutySection", "FinishPage", "HolidayDialog", "ImportJob", "LockScreen", "LoginDialog",
    "LoginForm", "MainWindow", "NewUserDialog", "RosterDialog", "SettingsDialog", "SetupWizard", "TodayPanel",
    "app", "backup", "errors", "operations",
}


def test_switching_to_english_changes_the_labels(qtbot, sqlite_db, desk: Desk, ui_state: UiState) -> None:
    window = MainWindow(AppContext(sqlite_db, desk.officer), ui_state)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.total is not None, timeout=10_000)
    assert window.new_case_action.iconText() == "新建纠纷"
    assert window.case_menu.title() == "案件(&C)"

    dialog = SettingsDialog(window.ctx, ui_state, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))

    assert i18n.current_language() == "en"
    qtbot.waitUntil(lambda: window.new_case_action.iconText() == "New dispute", timeout=5_000)
    assert window.case_menu.title() == "&Cases"
    assert window.filter_bar.search_edit.placeholderText().startswith("Search")
    assert window.filter_bar.clear_button.text() == "Clear filters"
    assert window.today_panel.duty.title() == "On duty today"
    assert window.model.headerData(COL_STAGE, Qt.Orientation.Horizontal) == "Stage"
    assert window.lock_screen.title_label.text() == "Screen locked"
    assert dialog.windowTitle() == "Settings"
    assert ui_state.language() == "en"  # remembered for the next start
    # Stage names come from the core's gettext catalog.
    assert workflow.stage_label(workflow.ACCEPTED) != "受理"

    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    qtbot.waitUntil(lambda: window.new_case_action.iconText() == "新建纠纷", timeout=5_000)
    assert workflow.stage_label(workflow.ACCEPTED) == "受理"


def _ts_messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(i18n.I18N_DIR / "mediation_en.ts").getroot()
    out = []
    for ctx in root.findall("context"):
        for message in ctx.findall("message"):
            tr = message.find("translation")
            assert tr is not None
            out.append((ctx.findtext("name") or "", message.findtext("source") or "", tr))
    return out


def _po_messages() -> list[tuple[str, str]]:
    """(msgid, msgstr) of the core's English gettext catalog."""
    import json

    text = (i18n.I18N_DIR / "en" / "LC_MESSAGES" / "mediation.po").read_text(encoding="utf-8")
    out = []
    for block in text.split("\n\n"):
        parts: dict[str, list[str]] = {"msgid": [], "msgstr": []}
        current = None
        for line in block.splitlines():
            if line.startswith(("msgid ", "msgstr ")):
                current, _sep, rest = line.partition(" ")
                parts[current].append(json.loads(rest))
            elif line.startswith('"') and current:
                parts[current].append(json.loads(line))
            elif line.startswith("#~"):
                raise AssertionError("obsolete entry left in the catalog")
        if parts["msgid"] and "".join(parts["msgid"]):
            out.append(("".join(parts["msgid"]), "".join(parts["msgstr"])))
    return out


def test_every_ui_string_has_an_english_translation() -> None:
    messages = _ts_messages()
    contexts = {name for name, _src, _tr in messages}
    assert contexts >= SHELL_CONTEXTS
    # A string without a context is never found at run time (translate() always names one).
    assert "" not in contexts
    assert len(messages) > 850
    unfinished = [
        (name, source) for name, source, tr in messages
        if tr.get("type") in ("unfinished", "obsolete", "vanished") or not (tr.text or "").strip()
    ]
    assert unfinished == []


def test_every_core_string_has_an_english_translation() -> None:
    messages = _po_messages()
    assert len(messages) > 500
    assert [msgid for msgid, msgstr in messages if not msgstr.strip()] == []


_CJK = re.compile(r"[\u3400-\u9fff]+")


def test_english_catalogs_hold_no_chinese() -> None:
    """Only the case-number prefix stays Chinese in English: it is data printed on the forms."""
    pairs = [(src, tr.text or "") for _n, src, tr in _ts_messages()] + _po_messages()
    left = [(src, en) for src, en in pairs if set(_CJK.findall(en)) - {"X警校调字", "警校调字", "第", "号"}]
    assert left == []


def test_placeholders_survive_translation() -> None:
    pairs = [(src, tr.text or "") for _n, src, tr in _ts_messages() if tr.get("type") != "unfinished"]
    pairs += [(msgid, msgstr) for msgid, msgstr in _po_messages() if msgstr]
    bad = [
        source for source, text in pairs
        if sorted(re.findall(r"\{\w*\}", source)) != sorted(re.findall(r"\{\w*\}", text))
        or sorted(re.findall(r"%\d|%n", source)) != sorted(re.findall(r"%\d|%n", text))
    ]
    assert bad == []


def test_mnemonics_survive_translation() -> None:
    def has_mnemonic(text: str) -> bool:
        return "&" in re.sub(r"&&|&\w+;", "", text)

    bad = [src for _n, src, tr in _ts_messages() if has_mnemonic(src) != has_mnemonic(tr.text or "")]
    assert bad == []


def test_compiled_catalogs_load() -> None:
    for code in i18n.LANGUAGES:
        if code == i18n.DEFAULT_LANGUAGE:
            continue
        assert QTranslator().load(str(i18n.qm_path(code))), code
        assert (i18n.I18N_DIR / code / "LC_MESSAGES" / "mediation.mo").exists()
