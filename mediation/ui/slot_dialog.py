"""时段: a slot of the weekly timetable (weekday, time of day, whom it needs)."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QTimeEdit, QWidget

from mediation import volunteering
from mediation.services.roster import timetable
from mediation.services.roster.timetable import SlotInput, SlotView
from mediation.ui.context import AppContext
from mediation.ui.roster_form import RosterForm


def _minute(edit: QTimeEdit) -> int:
    t = edit.time()
    return t.hour() * 60 + t.minute()


class SlotDialog(RosterForm):
    """A new slot of ``term_id``, or ``slot`` changed."""

    def __init__(self, ctx: AppContext, term_id: int | None = None, slot: SlotView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("SlotDialog")
        self.term_id, self.slot = term_id, slot
        self.weekday_combo = QComboBox()
        for day in range(7):
            self.weekday_combo.addItem(volunteering.weekday_label(day), day)
        self.start_edit, self.end_edit = QTimeEdit(QTime(9, 0)), QTimeEdit(QTime(12, 0))
        for e in (self.start_edit, self.end_edit):
            e.setDisplayFormat("HH:mm")
        self.label_edit = QLineEdit()
        self.label_edit.setMaxLength(30)
        self.students_edit, self.officers_edit = QSpinBox(), QSpinBox()
        self.students_edit.setRange(-1, 20)
        self.officers_edit.setRange(-1, 10)
        for spin in (self.students_edit, self.officers_edit):
            spin.setValue(-1)
        if slot is not None:
            self.weekday_combo.setCurrentIndex(slot.weekday)
            self.start_edit.setTime(QTime(slot.start_minute // 60, slot.start_minute % 60))
            self.end_edit.setTime(QTime(slot.end_minute // 60 % 24, slot.end_minute % 60))
            self.label_edit.setText(slot.label)
        for key, widget in (("weekday", self.weekday_combo), ("start_minute", self.start_edit),
                            ("end_minute", self.end_edit), ("label", self.label_edit),
                            ("min_students", self.students_edit), ("min_officers", self.officers_edit)):
            self.row(key, widget)
        self.resize(420, 330)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("修改时段") if self.slot else self.tr("添加时段"))
        self.set_labels(weekday=self.tr("星期"), start_minute=self.tr("开始"), end_minute=self.tr("结束"),
                        label=self.tr("名称（可空）"), min_students=self.tr("至少学生"),
                        min_officers=self.tr("至少民警"))
        for e in (self.students_edit, self.officers_edit):
            e.setSpecialValueText(self.tr("按学期设置"))
        self.set_buttons(self.tr("保存"))

    def submit(self) -> None:
        students = self.students_edit.value()
        officers = self.officers_edit.value()
        data = SlotInput(int(self.weekday_combo.currentData()), _minute(self.start_edit), _minute(self.end_edit),
                         self.label_edit.text(), None if students < 0 else students, None if officers < 0 else officers)
        if self.slot is not None:
            slot_id = self.slot.id
            self.write(lambda s, a: timetable.update_slot(s, a, slot_id, data))
        elif self.term_id is not None:
            term_id = self.term_id
            self.write(lambda s, a: timetable.add_slot(s, a, term_id, data))
