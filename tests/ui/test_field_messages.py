"""A message under a field never moves the fields around it (issue 12 item 21)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget

from mediation.ui.intake_dialog import IntakeDialog
from tests.factories import make_id
from tests.ui.case_fixtures import CaseEnv, case_env, type_text
from tests.ui.conftest import process_events

__all__ = ["case_env"]

GOOD_ID = make_id(dt.date(2003, 5, 17), 111)
BAD_ID = GOOD_ID[:-1] + ("1" if GOOD_ID[-1] != "1" else "2")


def where(widget: QWidget) -> QPoint:
    return widget.mapToGlobal(QPoint(0, 0))


def test_a_message_appearing_or_going_moves_no_field(qtbot: Any, case_env: CaseEnv) -> None:
    dlg = case_env.keep(IntakeDialog(case_env.volunteer))
    qtbot.waitUntil(dlg.is_ready, timeout=5000)
    applicant = dlg.party_editors()[0]
    fields = [applicant.name, applicant.id_number, applicant.birth_date, applicant.phone, applicant.occupation,
              applicant.address, dlg.facts, dlg.amount]
    process_events()
    before = {f.label_text: (where(f.editor), f.editor.size()) for f in fields}

    type_text(applicant.id_number.editor, BAD_ID)
    applicant.id_number.validate()  # as when the field is left
    process_events()
    assert applicant.id_number.has_error
    message = applicant.id_number.error()
    assert "校验位" in message  # the whole message, even where the line shows it shortened
    assert applicant.id_number.message.toolTip() in ("", message)
    assert {f.label_text: (where(f.editor), f.editor.size()) for f in fields} == before

    dlg.amount.editor.setFocus()
    type_text(dlg.amount.editor, "两千")
    dlg.amount.validate()
    process_events()
    assert dlg.amount.has_error
    assert {f.label_text: (where(f.editor), f.editor.size()) for f in fields} == before

    applicant.id_number.set_value(GOOD_ID)
    applicant.id_number.validate()
    dlg.amount.set_value("2500")
    dlg.amount.validate()
    process_events()
    assert not applicant.id_number.has_error and not dlg.amount.has_error
    assert {f.label_text: (where(f.editor), f.editor.size()) for f in fields} == before
