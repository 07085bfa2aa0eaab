"""抽卷评查: draw closed cases of a period at random, check each against the checklist, record findings.

Issue 15 item 6. The draw and the review go through :mod:`mediation.services.case_review`
(desk checked there); every item of the checklist comes pre-filled with what the system
found and why, and the officer confirms or corrects it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from mediation.changes import Changes
from mediation.services import case_review
from mediation.services.case_review import DrawView, ItemInput, ReviewView
from mediation.timeutil import fmt_local, local_today
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp, WriteOp
from mediation.ui.widgets import (
    ERROR_STYLE,
    HINT_COLOR,
    OK_STYLE,
    DateEdit,
    Retranslating,
    error_label,
    hbox,
    set_message,
    set_texts,
    stack,
    table_cell,
)


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    first = today.replace(day=1)
    end = first - dt.timedelta(days=1)
    return end.replace(day=1), end


class _ItemRow:
    """One checklist item: the system's suggestion, the officer's 符合, a note."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.label = QLabel()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {HINT_COLOR};")
        self.met = QCheckBox()
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        self.error = error_label()


class CaseReviewWindow(Retranslating, QDialog):
    """Draws, the cases of the selected draw, and the checklist of the selected case."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("CaseReviewWindow")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.draws: list[DrawView] = []
        self.review: ReviewView | None = None
        self._select_draw: int | None = None
        self._select_review: int | None = None
        self._wanted_review: int | None = None

        start, end = last_month(local_today())
        self.from_edit = DateEdit(default=start)
        self.to_edit = DateEdit(default=end)
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, case_review.MAX_DRAW)
        self.count_spin.setValue(5)
        self.seed_edit = QLineEdit()
        self.seed_edit.setMaxLength(19)
        self.draw_button = QPushButton()
        self.draw_error = error_label()
        # An account without a desk of its own (the installation's administrator) picks where to draw.
        self.desk_label = QLabel()
        self.desk_combo = QComboBox()
        self.desk_label.setBuddy(self.desk_combo)
        for w in (self.desk_label, self.desk_combo):
            w.hide()
        self.period_label, self.count_label, self.seed_label = QLabel(), QLabel(), QLabel()

        self.draw_list = QListWidget()
        self.draw_list.setMaximumHeight(self.draw_list.fontMetrics().height() * 5 + 16)
        self.draw_list.currentRowChanged.connect(self._on_draw_changed)
        self.case_table = QTableWidget(0, 4)
        self.case_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.case_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.case_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.case_table.verticalHeader().setVisible(False)
        ch = self.case_table.horizontalHeader()
        ch.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        ch.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        ch.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        ch.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.case_table.itemSelectionChanged.connect(self._on_case_changed)
        self.draw_info = QLabel()
        self.draw_info.setWordWrap(True)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.draws_title, self.cases_title = QLabel(), QLabel()
        ll.addWidget(self.draws_title)
        ll.addWidget(self.draw_list)
        ll.addWidget(self.draw_info)
        ll.addWidget(self.cases_title)
        ll.addWidget(self.case_table, 1)

        self.case_title = QLabel()
        self.case_title.setWordWrap(True)
        self.items = [_ItemRow(k) for k in case_review.CHECK_ITEMS]
        self.checklist_box = QGroupBox()
        grid = QGridLayout(self.checklist_box)
        for i, row in enumerate(self.items):
            grid.addWidget(row.label, i * 3, 0)
            grid.addWidget(row.met, i * 3, 1)
            grid.addWidget(row.hint, i * 3 + 1, 0, 1, 2)
            grid.addWidget(row.note, i * 3 + 2, 0)
            grid.addWidget(row.error, i * 3 + 2, 1)
            row.met.toggled.connect(lambda _on, r=row: self._on_met_toggled(r))
        grid.setColumnStretch(0, 1)
        self.other_label, self.comment_label = QLabel(), QLabel()
        self.other_edit = QPlainTextEdit()
        self.other_edit.setFixedHeight(self.other_edit.fontMetrics().height() * 3 + 12)
        self.comment_edit = QLineEdit()
        self.comment_edit.setMaxLength(2000)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.save_message = error_label()
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.case_title)
        rl.addWidget(self.checklist_box)
        rl.addWidget(self.other_label)
        rl.addWidget(self.other_edit)
        rl.addLayout(hbox(self.comment_label, (self.comment_edit, 1)))
        rl.addLayout(hbox(self.save_message, None, self.save_button))
        rl.addStretch(1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        top = hbox(self.desk_label, self.desk_combo, self.period_label, self.from_edit, QLabel("–"), self.to_edit,
                   self.count_label, self.count_spin, self.seed_label, (self.seed_edit, 1), self.draw_button)
        stack(self, top, self.draw_error, self.splitter, self.buttons, stretch=self.splitter)
        self.draw_button.clicked.connect(self.draw)
        self.resize(1180, 680)
        self.retranslate()
        self._show_review()
        self.reload()
        ReadOp(self, case_review.draw_desks).success(self._on_desks).run()

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("抽卷评查"))
        set_texts((self.desk_label, self.tr("调解点")), (self.period_label, self.tr("结案期间")), (self.count_label, self.tr("抽取件数")),
                  (self.seed_label, self.tr("随机种子")), (self.draw_button, self.tr("随机抽取")),
                  (self.draws_title, self.tr("抽取记录")), (self.cases_title, self.tr("抽中的案件")),
                  (self.other_label, self.tr("其他问题（可空）")), (self.comment_label, self.tr("评查意见")),
                  (self.save_button, self.tr("保存评查结果")))
        self.seed_edit.setPlaceholderText(self.tr("留空则随机生成（会记录下来，可复核）"))
        self.checklist_box.setTitle(self.tr("评查项目（系统已预填，请逐项确认）"))
        self.case_table.setHorizontalHeaderLabels([self.tr("序号"), self.tr("案件编号"), self.tr("当事人"),
                                                   self.tr("评查")])
        for row in self.items:
            row.label.setText(case_review.kind_label(row.key))
            row.met.setText(self.tr("符合"))
            row.note.setPlaceholderText(self.tr("不符合时写明问题"))
        self._fill_draws()
        self._show_review()

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        ReadOp(self, case_review.list_draws).success(self._on_draws).run()

    def _on_desks(self, desks: list[tuple[int, str]]) -> None:
        """The desks one may draw in: a picker when there is a choice or no desk of one's own."""
        self.desk_combo.clear()
        for desk_id, name in desks:
            self.desk_combo.addItem(name, desk_id)
        picker = len(desks) > 1 or (bool(desks) and self.ctx.actor.desk_id not in [d for d, _n in desks])
        for w in (self.desk_label, self.desk_combo):
            w.setVisible(picker)
        self.draw_button.setEnabled(bool(desks))
        if not desks:
            set_message(self.draw_error, self.tr("您的账户只能查看各调解点的评查，不能抽取（抽卷评查须在本调解点进行）。"),
                        ERROR_STYLE)

    def _on_draws(self, draws: list[DrawView]) -> None:
        keep_draw = self._select_draw if self._select_draw is not None else self.current_draw_id()
        self.draws = draws
        self._fill_draws()
        row = next((i for i, d in enumerate(draws) if d.id == keep_draw), 0 if draws else -1)
        self.draw_list.setCurrentRow(row)
        self._on_draw_changed(row)
        self._select_draw = None

    def _fill_draws(self) -> None:
        current = self.draw_list.currentRow()
        self.draw_list.blockSignals(True)
        self.draw_list.clear()
        several = len({d.desk_name for d in self.draws}) > 1  # draws of several desks: each says whose
        for d in self.draws:
            text = self.tr("{a} 至 {b}：抽 {n} 件（共 {p} 件），已评 {r} 件").format(
                a=d.period_from.isoformat(), b=d.period_to.isoformat(), n=len(d.reviews), p=d.population,
                r=d.reviewed)
            item = QListWidgetItem(self.tr("{desk}：{draw}").format(desk=d.desk_name, draw=text) if several else text)
            item.setToolTip(self.tr("{who} 于 {when} 抽取，随机种子 {seed}").format(
                who=d.drawn_by, when=fmt_local(d.drawn_at), seed=d.seed))
            self.draw_list.addItem(item)
        self.draw_list.setCurrentRow(current)
        self.draw_list.blockSignals(False)

    def current_draw(self) -> DrawView | None:
        row = self.draw_list.currentRow()
        return self.draws[row] if 0 <= row < len(self.draws) else None

    def current_draw_id(self) -> int | None:
        d = self.current_draw()
        return d.id if d is not None else None

    def _on_draw_changed(self, _row: int) -> None:
        d = self.current_draw()
        keep = self._select_review if self._select_review is not None else (
            self.review.id if self.review is not None else None)
        self.case_table.blockSignals(True)
        self.case_table.setRowCount(0)
        if d is None:
            self.draw_info.setText(self.tr("还没有抽取记录：选择结案期间和件数，点“随机抽取”。"))
            self.case_table.blockSignals(False)
            self._load_review(None)
            return
        self.draw_info.setText(self.tr("随机种子 {seed}，从 {p} 件已结案案件中抽取；{who} 于 {when}。").format(
            seed=d.seed, p=d.population, who=d.drawn_by, when=fmt_local(d.drawn_at)))
        self.case_table.setRowCount(len(d.reviews))
        select = 0
        for i, r in enumerate(d.reviews):
            status = (self.tr("待评查") if r.status == case_review.PENDING
                      else self.tr("发现 {n} 个问题").format(n=r.findings) if r.findings else self.tr("合格"))
            for col, cell in enumerate((table_cell(str(r.position), r.id), table_cell(r.case_number or self.tr("（无编号）")),
                                        table_cell(r.parties), table_cell(status))):
                self.case_table.setItem(i, col, cell)
            if r.id == keep:
                select = i
        self.case_table.blockSignals(False)
        if d.reviews:
            self.case_table.selectRow(select)
        self._on_case_changed()
        self._select_review = None

    def _on_case_changed(self) -> None:
        d = self.current_draw()
        row = self.case_table.currentRow()
        if d is None or not 0 <= row < len(d.reviews):
            self._load_review(None)
            return
        self._load_review(d.reviews[row].id)

    def _load_review(self, review_id: int | None) -> None:
        self._wanted_review = review_id
        if review_id is None:
            self.review = None
            self._show_review()
            return
        ReadOp(self, lambda s, a: case_review.get_review(s, a, review_id)).success(self._on_review).run()

    def _on_review(self, review: ReviewView) -> None:
        if review.id != self._wanted_review:
            return  # a case selected earlier, read after the one selected now
        self.review = review
        self._show_review()

    def _show_review(self) -> None:
        r = self.review
        enabled = r is not None
        for w in (self.checklist_box, self.other_edit, self.comment_edit, self.save_button):
            w.setEnabled(enabled)
        self.save_message.hide()
        if r is None:
            self.case_title.setText(self.tr("选择一件抽中的案件进行评查。"))
            for row in self.items:
                row.hint.clear()
                row.note.clear()
                row.error.hide()
            return
        closed = fmt_local(r.closed_at, with_time=False) if r.closed_at else ""
        state = self.tr("已评查（{who}，{when}）").format(who=r.reviewed_by, when=fmt_local(r.reviewed_at)) \
            if r.status == case_review.REVIEWED else self.tr("待评查")
        self.case_title.setText(self.tr("{number}　{parties}\n结案 {closed} · {state}").format(
            number=r.case_number or self.tr("（无编号）"), parties=r.parties, closed=closed, state=state))
        for row, item in zip(self.items, r.items, strict=True):
            word = {True: self.tr("符合"), False: self.tr("不符合"), None: self.tr("无法判断")}[item.suggested]
            row.hint.setText(self.tr("系统核对：{word}。{reason}").format(word=word, reason=item.reason))
            met = item.met if item.met is not None else bool(item.suggested)
            row.met.blockSignals(True)
            row.met.setChecked(met)
            row.met.blockSignals(False)
            row.note.setText(item.note)
            row.error.hide()
        others = [f["text"] for f in r.findings if f.get("kind") == case_review.OTHER]
        self.other_edit.setPlainText("\n".join(others))
        self.comment_edit.setText(r.comment)

    def _on_met_toggled(self, row: _ItemRow) -> None:
        row.error.hide()
        if not row.met.isChecked():
            row.note.setFocus()

    # ------------------------------------------------------------------ writing

    def draw(self) -> None:
        self.draw_error.hide()
        seed_text = self.seed_edit.text().strip()
        seed: int | None = None
        if seed_text:
            if not seed_text.isdigit():
                set_message(self.draw_error, self.tr("随机种子应为整数，或留空。"))
                self.seed_edit.setFocus()
                return
            seed = int(seed_text)
        start, end, n = self.from_edit.value(), self.to_edit.value(), self.count_spin.value()
        desk = self.desk_combo.currentData() if self.desk_combo.isVisibleTo(self) else None
        (WriteOp(self, lambda s, a: case_review.draw_cases(s, a, period_from=start, period_to=end, n=n, seed=seed,
                                                           desk_id=desk))
         .changes(Changes()).success(self._on_drawn).run())

    def _on_drawn(self, result: case_review.DrawResult) -> None:
        self._select_draw = result.draw_id
        set_message(self.draw_error, self.tr("已从 {p} 件中抽取 {n} 件（随机种子 {seed}）。").format(
            p=result.population, n=len(result.case_ids), seed=result.seed), OK_STYLE)
        self.reload()

    def save(self) -> None:
        r = self.review
        if r is None:
            return
        items = {row.key: ItemInput(row.met.isChecked(), row.note.text()) for row in self.items}
        other, comment, review_id = self.other_edit.toPlainText(), self.comment_edit.text(), r.id
        (WriteOp(self, lambda s, a: case_review.record_review(s, a, review_id, items, other=other, comment=comment))
         .changes(Changes()).success(lambda findings: self._on_saved(review_id, findings)).run())

    def _on_saved(self, review_id: int, findings: list[dict[str, str]]) -> None:
        self._select_draw = self.current_draw_id()
        self._select_review = review_id
        self.reload()
        text = self.tr("已保存：发现 {n} 个问题，已告知办案人员。").format(n=len(findings)) if findings \
            else self.tr("已保存：本案合格。")
        set_message(self.draw_error, text, OK_STYLE)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        """Refused input, beside the field where it was typed (see mediation.ui.errors)."""
        shown = False
        for row in self.items:
            if row.key in errors:
                set_message(row.error, errors[row.key])
                shown = True
        rest = [m for k, m in errors.items() if k not in case_review.CHECK_ITEMS]
        if rest:
            target = self.save_message if self.review is not None and not any(
                k in ("period_from", "period_to", "count", "seed") for k in errors) else self.draw_error
            set_message(target, "；".join(rest), ERROR_STYLE)
        elif shown:
            set_message(self.save_message, self.tr("请按提示补充后再保存。"), ERROR_STYLE)
