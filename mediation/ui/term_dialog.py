"""学期: open a term of duty or change its dates and staffing rules (administrators)."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from mediation.services.roster import terms
from mediation.services.roster.terms import TermInput, TermView
from mediation.ui.context import AppContext
from mediation.ui.roster_form import RosterForm
from mediation.ui.widgets import DateEdit, pydate, qdate, today_qdate


class TermDialog(RosterForm):
    """A new term (``term`` None) or the given one's settings."""

    def __init__(self, ctx: AppContext, term: TermView | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("TermDialog")
        self.term = term
        self.name_edit = QLineEdit(term.name if term else "")
        self.name_edit.setMaxLength(60)
        self.start_edit, self.end_edit = DateEdit(), DateEdit()
        self.start_edit.setDate(qdate(term.starts_on) if term else today_qdate())
        self.end_edit.setDate(qdate(term.ends_on) if term else today_qdate().addMonths(4))
        self.students_edit, self.officers_edit = QSpinBox(), QSpinBox()
        self.students_edit.setRange(0, 20)
        self.officers_edit.setRange(0, 10)
        self.students_edit.setValue(term.min_students if term else 2)
        self.officers_edit.setValue(term.min_officers if term else 1)
        self.weekly_edit = QDoubleSpinBox()
        self.weekly_edit.setRange(0.5, 60)
        self.weekly_edit.setSingleStep(0.5)
        self.weekly_edit.setDecimals(1)
        self.weekly_edit.setValue(term.max_weekly_minutes / 60 if term else 8.0)
        for key, widget in (("name", self.name_edit), ("starts_on", self.start_edit), ("ends_on", self.end_edit),
                            ("min_students", self.students_edit), ("min_officers", self.officers_edit),
                            ("max_weekly_hours", self.weekly_edit)):
            self.row(key, widget)
        self.resize(460, 360)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("学期设置") if self.term else self.tr("新建值班学期"))
        self.name_edit.setPlaceholderText(self.tr("例如：2026年秋季学期"))
        self.set_labels(name=self.tr("名称"), starts_on=self.tr("开始日期"),
                        ends_on=self.tr("结束日期（志愿者账户有效至此日）"), min_students=self.tr("每班至少学生"),
                        min_officers=self.tr("每班至少值班民警"), max_weekly_hours=self.tr("每人每周最多（小时）"))
        self.set_buttons(self.tr("保存") if self.term else self.tr("新建学期"))

    def submit(self) -> None:
        data = TermInput(self.name_edit.text(), pydate(self.start_edit.date()), pydate(self.end_edit.date()),
                         self.students_edit.value(), self.officers_edit.value(), self.weekly_edit.value())
        if self.term is None:
            self.write(lambda s, a: terms.create_term(s, a, data))
        else:
            term_id = self.term.id
            self.write(lambda s, a: terms.update_term(s, a, term_id, data))
