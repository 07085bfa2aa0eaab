"""志愿者: add one to the term by hand, or correct their particulars (administrators)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from mediation.services.roster import volunteers
from mediation.services.roster.volunteers import VolunteerInput
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp
from mediation.ui.roster_form import RosterForm
from mediation.ui.widgets import DateEdit, pydate, qdate, today_qdate


class VolunteerDialog(RosterForm):
    """Add to ``term_id`` (``volunteer_id`` None) or edit that volunteer."""

    def __init__(self, ctx: AppContext, term_id: int | None = None, volunteer_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("VolunteerDialog")
        self.term_id, self.volunteer_id = term_id, volunteer_id
        self.edits = {key: QLineEdit() for key in ("name", "student_no", "class_name", "college", "phone", "id_number")}
        self.sex_combo = QComboBox()
        for text in ("", "男", "女"):
            self.sex_combo.addItem(text, text)
        self.joined_check = QCheckBox()
        self.joined_edit = DateEdit()
        self.joined_edit.setDate(today_qdate())
        self.joined_edit.setEnabled(False)
        self.joined_check.toggled.connect(self.joined_edit.setEnabled)
        for key in ("name", "student_no", "class_name", "college"):
            self.row(key, self.edits[key])
        self.row("sex", self.sex_combo)
        self.row("phone", self.edits["phone"])
        self.row("id_number", self.edits["id_number"])
        self.row("joined_check", self.joined_check)
        self.row("joined_on", self.joined_edit)
        self.resize(460, 440)
        self.retranslate()
        if volunteer_id is not None:
            vid = volunteer_id
            ReadOp(self, lambda s, a: volunteers.volunteer_input(s, a, vid)).success(self._on_loaded).run()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("修改志愿者信息") if self.volunteer_id else self.tr("添加志愿者"))
        self.set_labels(name=self.tr("姓名"), student_no=self.tr("学号"), class_name=self.tr("班级"),
                        college=self.tr("学院"), sex=self.tr("性别"), phone=self.tr("手机号"),
                        id_number=self.tr("身份证号（可不填）"), joined_check=self.tr("学期中途加入"),
                        joined_on=self.tr("加入日期"))
        self.set_buttons(self.tr("保存") if self.volunteer_id else self.tr("添加"))

    def _on_loaded(self, data: VolunteerInput) -> None:
        for key, edit in self.edits.items():
            edit.setText(str(getattr(data, key) or ""))
        self.sex_combo.setCurrentIndex(max(0, self.sex_combo.findData(data.sex)))
        self.joined_check.setChecked(data.joined_on is not None)
        if data.joined_on is not None:
            self.joined_edit.setDate(qdate(data.joined_on))

    def value(self) -> VolunteerInput:
        return VolunteerInput(**{k: e.text() for k, e in self.edits.items()}, sex=str(self.sex_combo.currentData()),
                              joined_on=pydate(self.joined_edit.date()) if self.joined_check.isChecked() else None)

    def submit(self) -> None:
        data = self.value()
        if self.volunteer_id is not None:
            vid = self.volunteer_id
            self.write(lambda s, a: volunteers.update_volunteer(s, a, vid, data))
        elif self.term_id is not None:
            term_id = self.term_id
            self.write(lambda s, a: volunteers.add_volunteer(s, a, term_id, data))
        else:
            self.show_message(self.tr("请先选择学期。"), "error")
