"""Template field names are shown with their Chinese label and an example (issue 12 item 25): in the
administrator's template dialog and by ``mediation template fields``; every name has a label."""

from __future__ import annotations

import re

from mediation import cli
from mediation.documents import fields, sandbox
from mediation.ui.context import AppContext
from mediation.ui.template_dialog import TemplatesDialog
from tests.conftest import Desk

LINE = re.compile(r"^[^\x00-\x7f].*\t\{\{ (p\.)?[a-z_]+ \}\}(\t例：.+)?$")
"""A Chinese label first, then the placeholder to copy, then (mostly) an example."""
ROW = re.compile(r"^[^\x00-\x7f].*\t\{\{ (p\.)?[a-z_]+ \}\}(\t.+)?$")
"""The dialog's rows: the same three columns (含义, 占位符, 示例)."""


def test_every_name_a_template_may_use_has_a_label() -> None:
    assert set(fields.LABELS) == set(sandbox.context_fields())
    assert set(fields.PARTY_LABELS) == set(sandbox.party_fields())


def test_the_template_dialog_explains_each_field(qtbot, sqlite_db, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    dialog = TemplatesDialog(AppContext(sqlite_db, desk.admin))
    qtbot.addWidget(dialog)
    dialog.show()
    lines = dialog.fields_text().splitlines()
    assert lines and all(ROW.match(line) for line in lines), [line for line in lines if not ROW.match(line)][:3]
    assert [dialog.fields_view.horizontalHeaderItem(c).text() for c in range(3)] == ["含义", "占位符", "示例"]
    by_name = {line.split("\t")[1]: line for line in lines}
    assert by_name["{{ accepted_on }}"].startswith("受理日期\t") and "\t2026年" in by_name["{{ accepted_on }}"]
    assert by_name["{{ agreement_number }}"].startswith("协议编号\t") and "第007号" in by_name["{{ agreement_number }}"]
    assert by_name["{{ p.name }}"].startswith("姓名")
    assert sum(line.count("\t") == 2 for line in lines) > len(lines) // 2  # most have an example


def test_the_command_line_lists_the_same(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(""))
    assert cli.main(["template", "fields"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == fields.listing().splitlines()
    assert any(line.startswith("协议日期\t{{ agreement_date }}\t例：") for line in out)
