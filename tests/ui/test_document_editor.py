"""The document editor: each form's fields, the default copies the checker accepts, a conflicting save."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediation.db import Database
from mediation.ui.context import AppContext
from mediation.ui.document_editor import DocumentEditor
from tests.conftest import Desk
from tests.ui.conftest import type_text
from tests.factories import agreed_case, document_on, with_third_party


def test_conflicting_save_is_shown_calmly(qtbot: QtBot, sqlite_db: Database, desk: Desk) -> None:
    with sqlite_db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(sqlite_db, desk, case_id)
    ctx = AppContext(sqlite_db, desk.volunteer)
    first, second = DocumentEditor(ctx, doc_id), DocumentEditor(ctx, doc_id)
    for e in (first, second):
        qtbot.addWidget(e)
        e.show()
        qtbot.waitUntil(lambda e=e: e.loaded, timeout=10_000)
    for editor, text in ((first, "第一位的修改。"), (second, "第二位的修改。")):
        facts = editor.fields["facts"].editor
        facts.selectAll()
        type_text(facts, text)
        assert editor.dirty
    with qtbot.waitSignal(first.saved, timeout=10_000):
        qtbot.mouseClick(first.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(second.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: second.banner.isVisible() and "其他人修改" in second.banner.label.text(), timeout=10_000)
    assert second.banner.level == "warning" and second.status_label.text() == "未保存"
    assert second.fields["facts"].value() == "第二位的修改。"  # nothing typed is lost
    assert [b.text() for b in second.banner.action_buttons()] == ["重新载入（放弃我的修改）"]
    second.dirty = False  # closing after the test must not ask whether to save


@pytest.mark.parametrize("form", ["police_agreement", "termination_notice"])
def test_editor_shows_the_fields_of_the_form(qtbot: QtBot, sqlite_db: Database, desk: Desk, form: str) -> None:
    with sqlite_db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(sqlite_db, desk, case_id, form)
    editor = DocumentEditor(AppContext(sqlite_db, desk.volunteer), doc_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.loaded, timeout=10_000)
    if form == "police_agreement":
        assert {"incident_time", "presiding_officer", "witness", "copies"} <= set(editor.fields)
        assert editor.fields["copies"].value() == 3  # police form: 一式三份
    else:
        assert set(editor.fields) == {"termination_reason", "termination_routes"}


def test_the_editors_default_copies_pass_the_checker(qtbot: QtBot, sqlite_db: Database, desk: Desk) -> None:
    """Three parties (a 第三人 among them): the editor offers 一式四份 and the checker agrees."""

    with sqlite_db.write() as s:
        case_id = agreed_case(s, desk, parties=with_third_party())
    doc_id = document_on(sqlite_db, desk, case_id)
    editor = DocumentEditor(AppContext(sqlite_db, desk.volunteer), doc_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.loaded, timeout=10_000)
    assert editor.fields["copies"].value() == 4
    with qtbot.waitSignal(editor.checked, timeout=10_000):
        qtbot.mouseClick(editor.check_button, Qt.MouseButton.LeftButton)
    assert not [p for p in editor.problems if p.field == "copies"], editor.problems
