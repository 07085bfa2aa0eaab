"""统计事项: what the reports count on a case — 防止民转刑 and 防止群体性上访 with the number of
people, the police track's 当场调解 / 一般调解, and the judicial confirmation (applied on,
court, ruling, date). One audited save through ``supervision.record_outcome``."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox, QWidget

from mediation import workflow
from mediation.i18n import _
from mediation.services import supervision
from mediation.services.case_detail import CaseDetail
from mediation.services.supervision import OutcomeInput
from mediation.statistics.rules import JUDICIAL_OUTCOMES, POLICE_METHODS
from mediation.ui.action_dialogs import ActionDialog
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp
from mediation.ui.widgets import DateEdit, Field, LineEdit


def _people_box(parent: QWidget) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(0, supervision.MAX_PEOPLE)
    box.setSuffix(" 人")
    return box


class OutcomeDialog(ActionDialog):
    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("统计事项"), intro=self.tr(
            "这些事项计入上报的统计表（防止民转刑、防止群体性上访、司法确认等）。"))
        self.escalation = self.add("prevented_escalation", Field("", QCheckBox(self.tr(
            "防止民间纠纷转化为刑事案件（防止民转刑）"), self), parent=self))
        self.escalation_people = self.add("prevented_escalation_people",
                                          Field(self.tr("涉及人数"), _people_box(self), parent=self))
        self.petition = self.add("prevented_petition", Field("", QCheckBox(self.tr("防止群体性上访"), self),
                                                             parent=self))
        self.petition_people = self.add("prevented_petition_people",
                                        Field(self.tr("涉及人数"), _people_box(self), parent=self))
        method = QComboBox(self)
        method.addItem(self.tr("未注明"), None)
        for code, label in POLICE_METHODS.items():
            method.addItem(_(label), code)
        self.method = self.add("police_method", Field(self.tr("治安调解方式"), method, parent=self))
        self.method.setVisible(detail.track == workflow.POLICE)
        judicial = detail.track == workflow.PEOPLE
        self.applied_on = self.add("judicial_applied_on", Field(self.tr("申请司法确认日期"),
                                                                DateEdit(self, optional=True), parent=self))
        self.court = self.add("judicial_court", Field(self.tr("受理法院"), LineEdit(self, max_length=100),
                                                      parent=self))
        ruling = QComboBox(self)
        ruling.addItem(self.tr("尚未裁定"), None)
        for code, label in JUDICIAL_OUTCOMES.items():
            ruling.addItem(_(label), code)
        self.ruling = self.add("judicial_outcome", Field(self.tr("法院裁定"), ruling, parent=self))
        self.decided_on = self.add("judicial_decided_on", Field(self.tr("裁定日期"), DateEdit(self, optional=True),
                                                                parent=self))
        for f in (self.applied_on, self.court, self.ruling, self.decided_on):
            f.setVisible(judicial)
        self.ready()
        case_id = detail.id
        self.loaded = False
        ReadOp(self, lambda s, a: supervision.get_outcome(s, a, case_id)).success(self._show).run()

    def _show(self, data: OutcomeInput) -> None:
        self.escalation.set_value(data.prevented_escalation)
        self.escalation_people.set_value(data.prevented_escalation_people)
        self.petition.set_value(data.prevented_petition)
        self.petition_people.set_value(data.prevented_petition_people)
        self.method.set_value(data.police_method)
        self.applied_on.set_value(data.judicial_applied_on)
        self.court.set_value(data.judicial_court)
        self.ruling.set_value(data.judicial_outcome)
        self.decided_on.set_value(data.judicial_decided_on)
        self.mark_clean()
        self.loaded = True

    def submit(self) -> None:
        data = OutcomeInput(
            prevented_escalation=bool(self.escalation.value()),
            prevented_escalation_people=int(self.escalation_people.value() or 0),
            prevented_petition=bool(self.petition.value()),
            prevented_petition_people=int(self.petition_people.value() or 0),
            police_method=self.method.value() if self.detail.track == workflow.POLICE else None,
            judicial_applied_on=self.applied_on.value(), judicial_court=str(self.court.value() or ""),
            judicial_outcome=self.ruling.value(), judicial_decided_on=self.decided_on.value())
        case_id, version = self.case_id, self.detail.version
        self.run(lambda s, a: supervision.record_outcome(s, a, case_id, data, expected_version=version))
