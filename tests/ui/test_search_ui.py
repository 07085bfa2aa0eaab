"""Searching as a person does: a case number typed with half-width brackets, consultations
found beside the cases, and the search by ID number (issue 12 items 6, 7, 15)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mediation.models import Case
from mediation.services import consultations
from mediation.services.consultations import ConsultationInput
from mediation.ui.id_search_dialog import IdSearchDialog
from mediation.ui.main_window import MainWindow
from tests.ui.conftest import generated_name, type_text, wait_ops


def _typed_search(qtbot: Any, window: MainWindow, text: str) -> None:
    window.filter_bar.search_edit.clear()
    type_text(window.filter_bar.search_edit, text)
    qtbot.waitUntil(lambda: window.model.query.text == text and not window.model.loading
                    and window.model.total is not None, timeout=10_000)


def test_a_number_typed_with_half_width_brackets_finds_its_case(qtbot, window: MainWindow, populated) -> None:
    db, pop = populated
    with db.read() as s:
        number = s.get(Case, pop.accepted[3]).number or ""
    assert number.startswith("（") and "第00" in number
    typed = number.replace("（", "(").replace("）", ") ").replace("第0", "第").replace("第0", "第")
    _typed_search(qtbot, window, typed)
    assert window.model.total == 1
    assert window.model.item(0).number == number and window.model.item(0).id == pop.accepted[3]


def test_consultations_found_by_the_search_are_listed_beside_the_cases(qtbot, window: MainWindow,
                                                                      populated) -> None:
    db, pop = populated
    with db.write() as s:
        cid = consultations.log_consultation(s, pop.desk.volunteer, ConsultationInput(
            topic="押金不退怎么办", answer="建议先协商。", person_name="欧阳春", phone="13912345678"))
    hits = window.consultation_hits
    assert hits.isHidden()
    _typed_search(qtbot, window, "欧阳")
    wait_ops(qtbot)
    assert window.model.total == 0  # no case: the consultation is found all the same
    assert hits.isVisible() and "1" in hits.text()
    actions = hits.menu().actions()
    assert len(actions) == 1 and "欧阳春" in actions[0].text() and "139****5678" in actions[0].text()
    before = set(QApplication.topLevelWidgets())
    actions[0].trigger()  # not yet a case: the intake opens, pre-filled from it
    qtbot.waitUntil(lambda: any(type(w).__name__ == "IntakeDialog" and w.isVisible()
                                for w in set(QApplication.topLevelWidgets()) - before), timeout=5_000)
    intake = next(w for w in set(QApplication.topLevelWidgets()) - before if type(w).__name__ == "IntakeDialog")
    assert intake._consultation_id == cid
    intake.close_keeping_draft()
    _typed_search(qtbot, window, generated_name(3))  # a case, and no consultation
    wait_ops(qtbot)
    assert window.model.total == 1 and hits.isHidden()


def test_search_by_id_number_opens_the_case_and_says_what_is_wrong(qtbot, window: MainWindow) -> None:
    import datetime as dt

    from tests.factories import make_id

    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, IdSearchDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5_000)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, IdSearchDialog))
    type_text(dialog.number_edit, "12345")
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dialog.error.isVisible() and "6" in dialog.error.text()  # said beside the field
    # The applicant of the 8th registered case (tests.ui.conftest.register: seq 100 + i).
    tail = make_id(dt.date(2003, 5, 17), 107)[-6:]
    dialog.number_edit.clear()
    type_text(dialog.number_edit, tail)
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert not dialog.error.isVisible()
    assert dialog.table.rowCount() >= 1
    assert tail not in " ".join(dialog.table.item(r, c).text() for r in range(dialog.table.rowCount())
                                for c in range(4))  # masked: no ID number shown
    wanted = dialog.rows[0].id
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wanted in window.case_windows(), timeout=10_000)
    for w in window.case_windows().values():
        w.close()
    dialog.close()
