"""学期、志愿者与排班 (administrators): the term, its volunteers (imported or added by hand, their
status, training, accounts and the sheet of one-time passwords, their cases when they leave),
the weekly timetable (drag people onto slots, copy last week, import a week, print the rota)
with its conflicts, and the coverage of each slot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation import volunteering
from mediation.changes import Changes
from mediation.errors import MediationError
from mediation.permissions import Actor
from mediation.services.roster import credentials, terms, timetable, volunteers
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp, WriteOp
from mediation.ui.pdf_preview import PdfPreviewDialog, write_file
from mediation.ui.reassign_dialog import ReassignDialog
from mediation.ui.slot_dialog import SlotDialog
from mediation.ui.term_dialog import TermDialog
from mediation.ui.timetable_grid import UNCOVERED, CandidateList, SlotList, TimetableGrid
from mediation.ui.training_dialog import TrainingDialog
from mediation.ui.volunteer_dialog import VolunteerDialog
from mediation.ui.volunteer_import_dialog import VolunteerImportDialog
from mediation.ui.volunteer_status_dialog import VolunteerStatusDialog
from mediation.ui.widgets import Banner, DateEdit, Retranslating, confirm, hbox, pydate, qdate, record_table, table_cell

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class RosterWindow(Retranslating, QDialog):
    """The administrator's roster of one term at a time."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("RosterWindow")
        self.ctx = ctx
        self.terms: list[terms.TermView] = []
        self.volunteers: list[volunteers.VolunteerView] = []
        self.week_table: timetable.WeekTimetable | None = None
        self.children_open: list[QWidget] = []
        self.banner = Banner(self)
        # The term
        self.term_label = QLabel()
        self.term_combo = QComboBox()
        self.term_combo.setMinimumWidth(220)
        self.term_combo.currentIndexChanged.connect(self._on_term_changed)
        self.term_info = QLabel()
        self.new_term_button, self.edit_term_button, self.close_term_button = QPushButton(), QPushButton(), QPushButton()
        # Volunteers
        self.table = record_table(7)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.import_button, self.add_button, self.edit_button, self.status_button = (
            QPushButton(), QPushButton(), QPushButton(), QPushButton())
        self.training_button, self.accounts_button, self.reassign_button = QPushButton(), QPushButton(), QPushButton()
        volunteers_page = QWidget()
        lay = QVBoxLayout(volunteers_page)
        lay.addWidget(self.table, 1)
        lay.addLayout(hbox(self.import_button, self.add_button, self.edit_button, self.status_button,
                           self.training_button, None, self.accounts_button, self.reassign_button))
        # Timetable
        self.week_label = QLabel()
        self.week_edit = DateEdit()
        self.week_edit.setDate(qdate(volunteering.week_start(local_today())))
        self.week_edit.dateChanged.connect(lambda _d: self.load_week())
        self.prev_button, self.next_button, self.this_week_button = QPushButton(), QPushButton(), QPushButton()
        self.candidates = CandidateList()
        self.candidates.setMaximumWidth(220)
        self.candidates_label = QLabel()
        self.assign_button, self.remove_button = QPushButton(), QPushButton()
        self.grid = TimetableGrid()
        self.grid.dropped_on.connect(self._on_dropped)
        self.grid.slot_selected.connect(lambda _sl: self._update_buttons())
        self.conflicts = QListWidget()
        self.conflicts.setMaximumHeight(110)
        self.conflicts_label = QLabel()
        self.slot_button, self.copy_button, self.copy_on_button, self.import_week_button = (
            QPushButton(), QPushButton(), QPushButton(), QPushButton())
        self.rota_button, self.xlsx_button = QPushButton(), QPushButton()
        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addWidget(self.candidates_label)
        left_lay.addWidget(self.candidates, 1)
        left_lay.addWidget(self.assign_button)
        left_lay.addWidget(self.remove_button)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.grid)
        split.setStretchFactor(1, 1)
        timetable_page = QWidget()
        lay = QVBoxLayout(timetable_page)
        lay.addLayout(hbox(self.week_label, self.prev_button, self.week_edit, self.next_button, self.this_week_button,
                           None, self.slot_button, self.copy_button, self.copy_on_button, self.import_week_button))
        lay.addWidget(split, 1)
        lay.addWidget(self.conflicts_label)
        lay.addWidget(self.conflicts)
        lay.addLayout(hbox(None, self.rota_button, self.xlsx_button))
        # Coverage
        self.coverage = record_table(5)
        self.coverage.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tabs = QTabWidget()
        self.tabs.addTab(volunteers_page, "")
        self.tabs.addTab(timetable_page, "")
        self.tabs.addTab(self.coverage, "")
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)
        root = QVBoxLayout(self)
        root.addWidget(self.banner)
        root.addLayout(hbox(self.term_label, self.term_combo, (self.term_info, 1), self.new_term_button,
                            self.edit_term_button, self.close_term_button))
        root.addWidget(self.tabs, 1)
        root.addWidget(self.close_buttons)
        for button, slot in (
                (self.new_term_button, self._on_new_term_clicked), (self.edit_term_button, self._on_edit_term_clicked),
                (self.close_term_button, self._on_close_term_clicked), (self.import_button, self._on_import_clicked),
                (self.add_button, self._on_add_clicked), (self.edit_button, self._on_edit_clicked),
                (self.status_button, self._on_status_clicked), (self.training_button, self._on_training_clicked),
                (self.accounts_button, self._on_accounts_clicked), (self.reassign_button, self._on_reassign_clicked),
                (self.prev_button, lambda: self._shift_week(-7)), (self.next_button, lambda: self._shift_week(7)),
                (self.this_week_button, self._on_this_week_clicked), (self.assign_button, self._on_assign_clicked),
                (self.remove_button, self._on_remove_clicked), (self.slot_button, self._on_slot_clicked),
                (self.copy_button, self._on_copy_clicked), (self.copy_on_button, self._on_copy_on_clicked),
                (self.import_week_button, self._on_import_week_clicked), (self.rota_button, self._on_rota_clicked),
                (self.xlsx_button, self._on_xlsx_clicked)):
            button.clicked.connect(slot)
        ctx.operation_did_execute.connect(self._on_operation_did_execute)
        self.resize(1240, 700)
        self.retranslate()
        self.load_terms()

    # ---------------------------------------------------------------- texts

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("学期、志愿者与排班"))
        self.term_label.setText(self.tr("学期："))
        for i, text in enumerate((self.tr("志愿者"), self.tr("排班表"), self.tr("覆盖情况"))):
            self.tabs.setTabText(i, text)
        self.table.setHorizontalHeaderLabels([self.tr("学号"), self.tr("姓名"), self.tr("班级"), self.tr("状态"),
                                              self.tr("岗前培训（小时）"), self.tr("账户"), self.tr("有效期至")])
        self.coverage.setHorizontalHeaderLabels([self.tr("日期"), self.tr("时段"), self.tr("学生（已排/需要）"),
                                                 self.tr("民警（已排/需要）"), self.tr("情况")])
        for button, text in (
                (self.new_term_button, self.tr("新建学期…")), (self.edit_term_button, self.tr("学期设置…")),
                (self.close_term_button, self.tr("结束学期…")), (self.import_button, self.tr("导入名单…")),
                (self.add_button, self.tr("添加…")), (self.edit_button, self.tr("修改…")),
                (self.status_button, self.tr("状态…")), (self.training_button, self.tr("记录培训…")),
                (self.accounts_button, self.tr("创建账户并打印通知单…")),
                (self.reassign_button, self.tr("移交案件…")), (self.prev_button, self.tr("上一周")),
                (self.next_button, self.tr("下一周")), (self.this_week_button, self.tr("本周")),
                (self.assign_button, self.tr("排入所选时段")), (self.remove_button, self.tr("移出所选人员")),
                (self.slot_button, self.tr("添加时段…")), (self.copy_button, self.tr("复制上周")),
                (self.copy_on_button, self.tr("复制到以后各周")), (self.import_week_button, self.tr("从 Excel 导入…")),
                (self.rota_button, self.tr("打印值班表…")), (self.xlsx_button, self.tr("导出 Excel…"))):
            button.setText(text)
        self.week_label.setText(self.tr("周（任选一天）："))
        self.candidates_label.setText(self.tr("可排班人员（拖到时段上）"))
        self.copy_button.setToolTip(self.tr("把上一周每个时段的人员复制到这一周（已有的保留）"))
        self.copy_on_button.setToolTip(self.tr("把这一周的安排复制到学期结束前的每一周"))
        self._show_terms()

    def show_message(self, text: str, level: str) -> None:
        self.banner.show_message(text, level)

    def show_field_errors(self, errors: Any) -> None:
        self.banner.show_message("；".join(errors.values()), "error")

    # ---------------------------------------------------------------- the term

    @property
    def term(self) -> terms.TermView | None:
        i = self.term_combo.currentIndex()
        return self.terms[i] if 0 <= i < len(self.terms) else None

    def load_terms(self, select: int | None = None) -> None:
        def load(s: Session, a: Actor) -> tuple[list[terms.TermView], int | None]:
            current = terms.current_term(s, a)
            return terms.list_terms(s, a), current.id if current else None

        wanted = select if select is not None else (self.term.id if self.term else None)
        ReadOp(self, load).success(lambda r: self._on_terms_loaded(*r, wanted)).run()

    def _on_terms_loaded(self, found: list[terms.TermView], current: int | None, wanted: int | None) -> None:
        self.terms = found
        self.term_combo.blockSignals(True)
        self.term_combo.clear()
        for t in found:
            self.term_combo.addItem(t.name + (self.tr("（已结束）") if t.closed else ""), t.id)
        pick = wanted if wanted is not None else current
        self.term_combo.setCurrentIndex(max(0, self.term_combo.findData(pick)) if found else -1)
        self.term_combo.blockSignals(False)
        self._on_term_changed(self.term_combo.currentIndex())
        if not found:
            self.banner.show_message(self.tr("还没有值班学期：请先“新建学期”。"), "info")

    def _show_terms(self) -> None:
        t = self.term
        self.term_info.setText(self.tr("{start} 至 {end}；每班至少学生 {s} 名、民警 {o} 名；每人每周至多 {h} 小时").format(
            start=t.starts_on.isoformat(), end=t.ends_on.isoformat(), s=t.min_students, o=t.min_officers,
            h=volunteering.hours_text(t.max_weekly_minutes)) if t else "")
        self._update_buttons()

    def _on_term_changed(self, _index: int) -> None:
        self._show_terms()
        t = self.term
        if t is not None and not t.includes(pydate(self.week_edit.date())):
            start = max(t.starts_on, min(local_today(), t.ends_on))
            self.week_edit.blockSignals(True)
            self.week_edit.setDate(qdate(volunteering.week_start(start)))
            self.week_edit.blockSignals(False)
        self.load_volunteers()
        self.load_week()

    # ---------------------------------------------------------------- volunteers

    def load_volunteers(self) -> None:
        t = self.term
        if t is None:
            self._on_volunteers_loaded([])
            return
        term_id = t.id
        ReadOp(self, lambda s, a: volunteers.list_volunteers(s, a, term_id)).success(self._on_volunteers_loaded).run()

    def _on_volunteers_loaded(self, found: list[volunteers.VolunteerView]) -> None:
        self.volunteers = found
        self.table.setRowCount(len(found))
        for row, v in enumerate(found):
            cells = [v.student_no, v.name, v.class_name, v.status_label,
                     volunteering.hours_text(v.training_minutes) + ("" if v.trained else self.tr("（未满）")),
                     v.username or self.tr("未创建"), v.valid_until.isoformat() if v.valid_until else ""]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, table_cell(text, v.id))
        self._update_buttons()

    def selected_volunteer(self) -> volunteers.VolunteerView | None:
        row = self.table.currentRow()
        return self.volunteers[row] if 0 <= row < len(self.volunteers) else None

    def _update_buttons(self) -> None:
        t = self.term
        writable = t is not None and not t.closed
        v = self.selected_volunteer()
        for b in (self.edit_term_button, self.close_term_button, self.import_button, self.add_button,
                  self.slot_button, self.copy_button, self.copy_on_button, self.import_week_button,
                  self.accounts_button):
            b.setEnabled(writable)
        for b in (self.edit_button, self.status_button, self.training_button):
            b.setEnabled(writable and v is not None)
        self.reassign_button.setEnabled(v is not None and v.user_id is not None)
        self.assign_button.setEnabled(writable and self.grid.current is not None)
        self.remove_button.setEnabled(writable and self.grid.current is not None
                                      and self.grid.current.current_shift() is not None)
        self.rota_button.setEnabled(t is not None)
        self.xlsx_button.setEnabled(t is not None)

    def _dialog(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def _on_new_term_clicked(self) -> None:
        dialog = TermDialog(self.ctx, None, self)
        dialog.accepted.connect(lambda: self.load_terms(select=dialog.result_value))
        self._dialog(dialog)

    def _on_edit_term_clicked(self) -> None:
        if self.term is not None:
            self._dialog(TermDialog(self.ctx, self.term, self))

    def _on_close_term_clicked(self) -> None:
        t = self.term
        if t is None or not confirm(self, self.tr("结束学期"), self.tr(
                "结束“{name}”？在岗和培训中的志愿者将记为“期满”，学期不能再修改。").format(name=t.name),
                ok=self.tr("结束学期")):
            return
        term_id = t.id
        (WriteOp(self, lambda s, a: terms.close_term(s, a, term_id)).changes(Changes(roster=True))
         .success(lambda r: self.banner.show_message(self.tr("学期已结束，{n} 名志愿者记为期满。").format(n=r.expired),
                                                     "info")).run())

    def _on_import_clicked(self) -> None:
        if self.term is not None:
            self.children_open.append(self._dialog(VolunteerImportDialog(self.ctx, self.term.id, self)))

    def _on_add_clicked(self) -> None:
        if self.term is not None:
            self._dialog(VolunteerDialog(self.ctx, self.term.id, None, self))

    def _on_edit_clicked(self) -> None:
        v = self.selected_volunteer()
        if v is not None:
            self._dialog(VolunteerDialog(self.ctx, v.term_id, v.id, self))

    def _on_status_clicked(self) -> None:
        v = self.selected_volunteer()
        if v is None:
            return
        dialog = VolunteerStatusDialog(self.ctx, v.id, v.status, v.name, self)
        dialog.accepted.connect(lambda: self._after_status(v, dialog.status))
        self._dialog(dialog)

    def _after_status(self, v: volunteers.VolunteerView, status: str) -> None:
        if status in volunteering.OFF_ROSTER and v.user_id is not None:
            self._dialog(ReassignDialog(self.ctx, v.id, v.name, self))

    def _on_training_clicked(self) -> None:
        v = self.selected_volunteer()
        if v is not None:
            self._dialog(TrainingDialog(self.ctx, v.id, v.name, self))

    def _on_reassign_clicked(self) -> None:
        v = self.selected_volunteer()
        if v is not None:
            self._dialog(ReassignDialog(self.ctx, v.id, v.name, self))

    def _on_accounts_clicked(self) -> None:
        t = self.term
        if t is None:
            return
        term_id = t.id
        (WriteOp(self, lambda s, a: credentials.create_accounts(s, a, term_id))
         .success(self._on_accounts_created).run())

    def _on_accounts_created(self, sheet: credentials.AccountSheet) -> None:
        self.banner.show_message(self.tr("已为 {n} 人创建账户。初始密码只印在这份通知单上（程序不保存），"
                                         "请打印后逐一交给本人。").format(n=sheet.created), "warning")
        preview = PdfPreviewDialog(sheet.pdf, title=self.tr("值班账户通知单"), file_stem=self.tr("值班账户通知单"),
                                   parent=self)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.children_open.append(preview)
        preview.show()

    # ---------------------------------------------------------------- the week

    @property
    def week(self) -> dt.date:
        return volunteering.week_start(pydate(self.week_edit.date()))

    def _shift_week(self, days: int) -> None:
        self.week_edit.setDate(qdate(self.week + dt.timedelta(days=days)))

    def _on_this_week_clicked(self) -> None:
        self.week_edit.setDate(qdate(volunteering.week_start(local_today())))

    def load_week(self) -> None:
        t = self.term
        if t is None:
            return
        term_id, week = t.id, self.week
        ReadOp(self, lambda s, a: timetable.week_timetable(s, a, term_id, week)).success(self._on_week_loaded).run()

    def _on_week_loaded(self, table: timetable.WeekTimetable) -> None:
        self.week_table = table
        self.candidates.show_candidates(table.candidates)
        self.grid.show_week(table)
        self.conflicts.clear()
        for p in table.problems:
            self.conflicts.addItem(f"【{p.label}】{p.message}")
        self.conflicts_label.setText(self.tr("本周问题（{n}）").format(n=len(table.problems)) if table.problems
                                     else self.tr("本周没有冲突，每个时段人手齐全。"))
        self.coverage.setRowCount(len(table.cells))
        for row, cell in enumerate(table.cells):
            cov = cell.coverage
            texts = [f"{cell.day:%m-%d} {volunteering.weekday_label(cell.day.weekday())}", cell.slot.time_text,
                     f"{cov.students}/{cov.students_needed}", f"{cov.officers}/{cov.officers_needed}",
                     self.tr("人手齐全") if cov.covered else self.tr("人手不足")]
            for col, text in enumerate(texts):
                item = table_cell(text, cell.slot.id)
                if not cov.covered:
                    item.setBackground(UNCOVERED)
                self.coverage.setItem(row, col, item)
        self._update_buttons()

    def _on_dropped(self, slot_id: int, kind: str, ident: int) -> None:
        week = self.week
        if kind == "user":
            WriteOp(self, lambda s, a: timetable.assign(s, a, slot_id, week, ident)).changes(Changes(roster=True)).run()
        else:
            WriteOp(self, lambda s, a: timetable.move(s, a, ident, slot_id, week)).changes(Changes(roster=True)).run()

    def _on_assign_clicked(self) -> None:
        user = self.candidates.current_user()
        current = self.grid.current
        if user is None or current is None:
            self.banner.show_message(self.tr("请先在左侧选一位人员，再点一个时段。"), "info")
            return
        self._on_dropped(current.cell.slot.id, "user", user)

    def _on_remove_clicked(self) -> None:
        current = self.grid.current
        shift = current.current_shift() if isinstance(current, SlotList) else None
        if shift is not None:
            WriteOp(self, lambda s, a: timetable.unassign(s, a, shift)).changes(Changes(roster=True)).run()

    def _on_slot_clicked(self) -> None:
        if self.term is not None:
            self._dialog(SlotDialog(self.ctx, self.term.id, None, self))

    def _copy(self, source: dt.date, targets: list[dt.date]) -> None:
        t = self.term
        if t is None:
            return
        term_id = t.id
        (WriteOp(self, lambda s, a: timetable.copy_week(s, a, term_id, source, targets))
         .success(lambda r: self.banner.show_message(self.tr("已复制 {n} 个班次（{k} 个已有或不能排，跳过）。").format(
             n=r.created, k=r.skipped), "info")).run())

    def _on_copy_clicked(self) -> None:
        self._copy(self.week - dt.timedelta(days=7), [self.week])

    def _on_copy_on_clicked(self) -> None:
        t = self.term
        if t is None:
            return
        weeks = []
        week = self.week + dt.timedelta(days=7)
        while week <= t.ends_on:
            weeks.append(week)
            week += dt.timedelta(days=7)
        if weeks:
            self._copy(self.week, weeks)

    def _on_import_week_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, self.tr("选择值班表"), "", self.tr("Excel 文件 (*.xlsx)"))
        if name:
            self.import_week(Path(name))

    def import_week(self, path: Path) -> None:
        t = self.term
        if t is None:
            return
        term_id, week = t.id, self.week
        (WriteOp(self, lambda s, a: timetable.import_week(s, a, term_id, week, path))
         .success(self._on_week_imported).run())

    def _on_week_imported(self, result: timetable.WeekImport) -> None:
        lines = [self.tr("已排入 {n} 人次。").format(n=result.created)]
        lines += [f"{p.place}：{p.message}" for p in result.problems]
        self.banner.show_message("\n".join(lines), "warning" if result.problems else "info")

    def _on_rota_clicked(self) -> None:
        t = self.term
        if t is None:
            return
        term_id, week = t.id, self.week
        ReadOp(self, lambda s, a: timetable.rota_pdf(s, a, term_id, week)).success(self._show_rota).run()

    def _show_rota(self, pdf: bytes) -> None:
        title = self.tr("值班表 {week}").format(week=self.week.isoformat())
        preview = PdfPreviewDialog(pdf, title=title, file_stem=title, parent=self)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.children_open.append(preview)
        preview.show()

    def _on_xlsx_clicked(self) -> None:
        t = self.term
        if t is None:
            return
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("导出值班表"),
                                                    self.tr("值班表 {week}.xlsx").format(week=self.week.isoformat()),
                                                    self.tr("Excel 文件 (*.xlsx)"))
        if name:
            self.export_xlsx(Path(name))

    def export_xlsx(self, path: Path) -> None:
        t = self.term
        if t is None:
            return
        term_id, week = t.id, self.week
        (ReadOp(self, lambda s, a: timetable.rota_xlsx(s, a, term_id, week))
         .success(lambda data: self._write(path, data)).run())

    def _write(self, path: Path, data: bytes) -> None:
        try:
            write_file(path, data)
        except MediationError as exc:
            self.banner.show_message(exc.message, "error")
            return
        self.banner.show_message(self.tr("已导出：{path}").format(path=str(path)), "info")

    # ---------------------------------------------------------------- refresh

    def _on_operation_did_execute(self, changes: object) -> None:
        if not isinstance(changes, Changes) or not (changes.roster or changes.users or changes.cases_list):
            return
        self.load_terms()
