"""The consultations list (咨询记录): filter by date, who answered and topic; open, edit, turn into a case."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from mediation.changes import Changes
from mediation.services import consultations
from mediation.services.consultations import ConsultationQuery, ConsultationView
from mediation.timeutil import fmt_local
from mediation.ui.context import AppContext
from mediation.ui.operations import SessionFn
from mediation.ui.widgets import (
    BUSY_STYLE,
    RecordsDialog,
    hbox,
    pydate,
    set_texts,
    table_cell,
    today_qdate,
)

COLUMNS = 7


class ConsultationsDialog(RecordsDialog):
    """The desk's consultations, newest first; double-click (or 打开) to correct one."""

    case_requested = Signal(int)
    """Open this case (a consultation turned into a case, or the case just registered from one)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        self._generation = 0
        super().__init__(ctx, COLUMNS, parent)
        self.people: list[tuple[int, str]] = []
        self.date_check = QCheckBox()
        self.date_from = QDateEdit(today_qdate().addDays(-30))
        self.date_to = QDateEdit(today_qdate())
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.answerer_combo = QComboBox()
        self.topic_edit = QLineEdit()
        self.topic_edit.setClearButtonEnabled(True)
        self.search_button = QPushButton()
        self.to_label, self.answerer_label, self.topic_label = QLabel(), QLabel(), QLabel()
        self.count_label = QLabel()
        self.count_label.setStyleSheet(BUSY_STYLE)
        self.new_button, self.open_button, self.convert_button = QPushButton(), QPushButton(), QPushButton()
        self.current_dialog: QWidget | None = None
        filters = hbox(self.date_check, self.date_from, self.to_label, self.date_to, self.answerer_label,
                       self.answerer_combo, self.topic_label, (self.topic_edit, 1), self.search_button)
        buttons = hbox(self.new_button, self.open_button, self.convert_button, None, self.count_label)
        self.date_check.toggled.connect(self._on_date_check_toggled)
        for widget in (self.date_from, self.date_to):
            widget.dateChanged.connect(self._on_filter_changed)
        self.answerer_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.topic_edit.returnPressed.connect(self.reload)
        self.search_button.clicked.connect(self.reload)
        self.new_button.clicked.connect(self.new_consultation)
        self.open_button.clicked.connect(self.open_selected)
        self.convert_button.clicked.connect(self.convert_selected)
        self.table.itemDoubleClicked.connect(self._on_item_double_clicked)
        ctx.operation_did_execute.connect(self._on_operation_did_execute)
        self.lay_out(filters, self.table, buttons, size=(980, 560))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("咨询记录"))
        set_texts((self.date_check, self.tr("咨询日期")), (self.to_label, self.tr("至")),
                  (self.answerer_label, self.tr("解答人：")), (self.topic_label, self.tr("事项：")),
                  (self.search_button, self.tr("查询")), (self.new_button, self.tr("登记咨询…")),
                  (self.open_button, self.tr("打开/修改…")))
        self.topic_edit.setPlaceholderText(self.tr("咨询事项或内容中的文字"))
        self.table.setHorizontalHeaderLabels([self.tr("咨询时间"), self.tr("咨询人"), self.tr("咨询事项"),
                                              self.tr("纠纷类别"), self.tr("解答人"), self.tr("用时"),
                                              self.tr("转为案件")])
        self._fill_answerers()
        self.fill()

    # ---------------------------------------------------------------- reading

    def query(self) -> ConsultationQuery:
        date_from = date_to = None
        if self.date_check.isChecked():
            date_from, date_to = sorted((pydate(self.date_from.date()), pydate(self.date_to.date())))
        person = self.answerer_combo.currentData()
        return ConsultationQuery(date_from=date_from, date_to=date_to,
                                 answered_by_id=int(person) if isinstance(person, int) else None,
                                 topic=self.topic_edit.text().strip())

    def reload(self) -> None:
        """Read the list the filters describe; only the latest read is shown (filters change
        faster than a busy desk PC answers)."""
        from mediation.ui.operations import ReadOp

        self._generation += 1
        generation = self._generation

        def show(records: tuple[list[ConsultationView], list[tuple[int, str]]]) -> None:
            if generation == self._generation:
                self.show_records(records)

        ReadOp(self, self.loader()).success(show).run()

    def loader(self) -> SessionFn[tuple[list[ConsultationView], list[tuple[int, str]]]]:
        q = self.query()
        return lambda s, a: (consultations.list_consultations(s, a, q), consultations.answerers(s, a))

    def show_records(self, records: tuple[list[ConsultationView], list[tuple[int, str]]]) -> None:
        rows, self.people = records
        self._fill_answerers()
        super().show_records(rows)
        self.count_label.setText(self.tr("共 {n} 条").format(n=len(rows)))

    def _fill_answerers(self) -> None:
        current = self.answerer_combo.currentData()
        self.answerer_combo.blockSignals(True)
        self.answerer_combo.clear()
        self.answerer_combo.addItem(self.tr("全部"), None)
        for user_id, name in self.people:
            self.answerer_combo.addItem(name, user_id)
        self.answerer_combo.setCurrentIndex(max(0, self.answerer_combo.findData(current)) if current else 0)
        self.answerer_combo.blockSignals(False)

    def cells(self, c: ConsultationView) -> list[QTableWidgetItem]:
        case = (c.converted_case_number or self.tr("已转（待受理）")) if c.converted_case_id else ""
        return [table_cell(fmt_local(c.asked_at), c.id), table_cell(c.person_name or self.tr("（匿名）")),
                table_cell(c.topic), table_cell(c.category), table_cell(c.answered_by),
                table_cell(self.tr("{n} 分钟").format(n=c.minutes)), table_cell(case)]

    def selection_changed(self) -> None:
        c = self.selected()
        self.open_button.setEnabled(c is not None)
        self.convert_button.setEnabled(c is not None)
        self.convert_button.setText(self.tr("打开案件") if c is not None and c.converted_case_id
                                    else self.tr("转为案件…"))

    def _on_filter_changed(self, *_args: object) -> None:
        self.reload()

    def _on_date_check_toggled(self, checked: bool) -> None:
        self.date_from.setEnabled(checked)
        self.date_to.setEnabled(checked)
        self.reload()

    def _on_operation_did_execute(self, changes: object) -> None:
        if isinstance(changes, Changes) and (changes.consultations or changes.cases_list):
            self.reload()

    def _on_item_double_clicked(self, _item: QTableWidgetItem) -> None:
        self.open_selected()

    def set_dates(self, start: QDate, end: QDate) -> None:
        """Filter by these dates (both included)."""
        self.date_from.setDate(start)
        self.date_to.setDate(end)
        self.date_check.setChecked(True)

    # ---------------------------------------------------------------- opening

    def _dialog(self, consultation_id: int | None) -> QWidget:
        from mediation.ui.consultation_dialog import ConsultationDialog

        dlg = ConsultationDialog(self.ctx, self, consultation_id=consultation_id)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.case_saved.connect(self.case_requested)
        self.current_dialog = dlg
        dlg.show()
        return dlg

    def new_consultation(self) -> QWidget:
        return self._dialog(None)

    def open_selected(self) -> QWidget | None:
        c = self.selected()
        return self._dialog(c.id) if c is not None else None

    def convert_selected(self) -> QWidget | None:
        """The case a consultation became, or the intake form to register it."""
        c = self.selected()
        if c is None:
            return None
        if c.converted_case_id is not None:
            self.case_requested.emit(c.converted_case_id)
            return None
        from mediation.ui.intake_dialog import IntakeDialog

        dlg = IntakeDialog(self.ctx, self, consultation_id=c.id)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.case_saved.connect(self.case_requested)
        self.current_dialog = dlg
        dlg.show()
        return dlg


__all__ = ["ConsultationsDialog"]
