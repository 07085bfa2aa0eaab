"""Languages: switching to English relabels the open window; both catalogs (Qt UI and the
core's gettext) are complete, keep placeholders and mnemonics, and load."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from PySide6.QtCore import Qt, QTranslator
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QFileDialog,
    QGroupBox,
    QLabel,
    QPushButton,
    QTabBar,
    QTreeView,
    QWidget,
)

from mediation import workflow
from mediation.ui import i18n
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.models.case_table_model import COL_STAGE
from mediation.ui.settings_dialog import SettingsDialog
from mediation.ui.state import UiState
from tests.conftest import Desk
from tests.ui.conftest import on_modal

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


# ---------------------------------------------------------------- Qt's own dialogs (issue 12 item 16)

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED_LATIN = re.compile(r"^(PDF|A4|mm|pt|in|/.*)$")
"""Latin that is right in a Chinese dialog: a format, a paper size, a unit, a path."""


def english_texts(window: QWidget) -> list[str]:
    """Visible labels, buttons, group and tab titles of ``window`` that still contain English words."""
    out: list[str] = []
    for w in [window, *window.findChildren(QWidget)]:
        if w is not window and not w.isVisibleTo(window):
            continue
        texts: list[str] = []
        if isinstance(w, (QLabel, QAbstractButton)):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count())]
        if w is window:
            texts.append(w.windowTitle())
        for text in texts:
            words = [m.group(0) for m in LATIN_WORD.finditer(text.replace("&", ""))]
            if any(not ALLOWED_LATIN.match(word) for word in words):
                out.append(f"{type(w).__name__}: {text}")
    return out


def test_qts_own_file_and_print_dialogs_speak_chinese(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    i18n.install("zh_CN")
    (tmp_path / "协议书.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "扫描件").mkdir()
    for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
        files = QFileDialog(None, "选择签字页扫描件", str(tmp_path), "PDF 文件 (*.pdf);;所有文件 (*)")
        files.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # what Linux desks get without a desktop theme
        files.setAcceptMode(mode)
        files.setViewMode(QFileDialog.ViewMode.Detail)
        qtbot.addWidget(files)
        files.show()
        qtbot.waitUntil(lambda f=files: f.findChild(QTreeView).model().rowCount(
            f.findChild(QTreeView).rootIndex()) == 2, timeout=5000)
        assert english_texts(files) == []
        view = files.findChild(QTreeView)
        types = {view.model().index(r, 2, view.rootIndex()).data() for r in range(2)}
        assert "Folder" not in types
        files.hide()

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    for button in dialog.findChildren(QPushButton):
        if button.text().startswith("选项"):
            button.click()  # 选项 >>: the page set, copies, duplex …
    assert english_texts(dialog) == []
    seen: list[list[str]] = []

    def answer(modal: QWidget) -> bool:
        if modal is dialog:
            return False
        seen.append(english_texts(modal))
        assert isinstance(modal, QDialog)
        modal.reject()
        return True

    properties = next(b for b in dialog.findChildren(QPushButton) if b.text().startswith("属性"))
    with on_modal(answer):
        properties.click()  # the page set-up of the chosen printer
    assert seen == [[]]
    dialog.hide()
