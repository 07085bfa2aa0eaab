"""The quick form for a legal consultation (法律咨询), which can be turned into a case."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QPushButton, QSpinBox, QVBoxLayout, QWidget

from mediation import validation
from mediation.services import consultations, reference
from mediation.permissions import Actor
from mediation.services.consultations import ConsultationInput, ConsultationView
from mediation.changes import Changes
from mediation.ui.context import AppContext
from mediation.ui.intake_dialog import IntakeDialog
from mediation.ui.operations import ReadOp, WriteOp
from mediation.ui.widgets import DateTimeEdit, Field, FormDialog, LineEdit, TextEdit, field_grid, grid_add


if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class ConsultationDialog(FormDialog):
    """Who asked, about what, the answer given and the minutes spent; "转为案件" opens the intake."""

    consultation_saved = Signal(int)
    case_saved = Signal(int)
    """A case was registered from this consultation (its id)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, consultation_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.consultation_id: int | None = None
        self.editing: int | None = consultation_id
        """The consultation being corrected (None: a new one is logged)."""
        self._loaded: ConsultationView | None = None
        self.intake: IntakeDialog | None = None
        self._then_convert = False
        self.setWindowTitle(self.tr("登记法律咨询") if consultation_id is None else self.tr("修改法律咨询"))
        self.setMinimumWidth(640)
        root = QVBoxLayout(self)
        root.addWidget(self.banner)

        grid = field_grid(2)
        self.person_name = self.add_field("person_name", Field(
            self.tr("咨询人"), LineEdit(self, max_length=50, placeholder=self.tr("可不填（匿名咨询）")),
            check=lambda s: validation.person_name(s), parent=self))
        self.phone = self.add_field("phone", Field(
            self.tr("联系电话"), LineEdit(self, max_length=30, placeholder=self.tr("可不填")),
            check=self._check_phone, parent=self))
        self.topic = self.add_field("topic", Field(
            self.tr("咨询事项"), LineEdit(self, max_length=200, placeholder=self.tr("如：租房押金不退怎么办")),
            required=True, check=lambda s: validation.text(s, field="topic", max_len=200), parent=self))
        cat = QComboBox(self)
        cat.addItem(self.tr("（请选择）"), "")
        self.category = self.add_field("category", Field(self.tr("纠纷类别"), cat, parent=self))
        self.asked_at = self.add_field("asked_at", Field(self.tr("咨询时间"), DateTimeEdit(self), parent=self))
        spin = QSpinBox(self)
        spin.setRange(0, 600)
        spin.setValue(10)
        spin.setSuffix(self.tr(" 分钟"))
        self.minutes = self.add_field("minutes", Field(self.tr("用时"), spin, parent=self))
        grid_add(grid, self.person_name, 0, 0)
        grid_add(grid, self.phone, 0, 1)
        grid_add(grid, self.topic, 1, 0, 1, 2)
        grid_add(grid, self.category, 2, 0)
        grid_add(grid, self.asked_at, 2, 1)
        grid_add(grid, self.minutes, 3, 0)
        root.addLayout(grid)
        self.question = self.add_field("question", Field(
            self.tr("咨询内容"), TextEdit(self, lines=3, placeholder=self.tr("咨询人讲述的情况和问题")),
            check=lambda s: validation.text(s, field="question", max_len=10000), parent=self))
        root.addWidget(self.question)
        self.answer = self.add_field("answer", Field(
            self.tr("解答意见"), TextEdit(self, lines=4, placeholder=self.tr("给出的法律意见和建议的解决途径")),
            required=True, check=lambda s: validation.text(s, field="answer", max_len=10000), parent=self))
        root.addWidget(self.answer)

        buttons = self.make_buttons(self.tr("保存咨询") if consultation_id is None else self.tr("保存修改"))
        self.convert_button = QPushButton(self.tr("转为案件…"), self)
        self.convert_button.setAutoDefault(False)
        self.convert_button.setToolTip(self.tr("保存本次咨询，并以咨询人为申请人登记纠纷"))
        self.convert_button.clicked.connect(self._on_convert_button_clicked)
        buttons.addButton(self.convert_button, buttons.ButtonRole.ActionRole)
        root.addWidget(buttons)
        chain: list[QWidget] = [self.person_name.editor, self.phone.editor, self.topic.editor,
                                self.category.editor, self.asked_at.editor, self.minutes.editor,
                                self.question.editor, self.answer.editor, *buttons.buttons()]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)
        self.mark_clean()
        self.person_name.editor.setFocus(Qt.FocusReason.OtherFocusReason)

        editing = consultation_id

        def load(s: Session, a: Actor) -> tuple[list[str], ConsultationView | None]:
            view = consultations.get_consultation(s, a, editing) if editing is not None else None
            return list(reference.categories(s, a.desk_id)), view

        ReadOp(self, load).success(self._on_loaded).failure(self.handle_failure).run()

    def _check_phone(self, text: str) -> object:
        if self._loaded is not None and text == self._loaded.phone_masked:
            return text  # shown masked when editing: left as it was
        return validation.phone(text)

    def _on_loaded(self, loaded: tuple[list[str], ConsultationView | None]) -> None:
        names, view = loaded
        combo: QComboBox = self.category.editor  # type: ignore[assignment]  # the Field was built with this editor (Field.editor is a QWidget)
        clean = not self.has_unsaved_changes()
        for n in names:
            combo.addItem(n, n)
        if view is not None:
            self._loaded = view
            if view.category and combo.findData(view.category) < 0:  # retired since: still its category
                combo.addItem(view.category, view.category)
            for key, value in (("person_name", view.person_name), ("phone", view.phone_masked),
                               ("topic", view.topic), ("category", view.category), ("question", view.question),
                               ("answer", view.answer), ("minutes", view.minutes), ("asked_at", view.asked_at)):
                self.field(key).set_value(value)
            if view.converted_case_id is not None:
                self.convert_button.setText(self.tr("打开案件"))
                self.convert_button.setToolTip(self.tr("本咨询已转为案件 {number}").format(
                    number=view.converted_case_number or self.tr("（待受理）")))
            clean = True
        if clean:
            self.mark_clean()

    # ---------------------------------------------------------------- saving

    def submit(self) -> None:
        self._save(convert=False)

    def _on_convert_button_clicked(self) -> None:
        if self._loaded is not None and self._loaded.converted_case_id is not None:
            self.case_saved.emit(self._loaded.converted_case_id)  # already a case: open it
            return
        if self.consultation_id is not None:
            self.open_intake()
        else:
            self._save(convert=True)

    def _save(self, *, convert: bool) -> None:
        if self.busy:
            return
        if self.editing is not None and convert and not self.has_unsaved_changes():
            self.consultation_id = self.editing
            self.open_intake()
            return
        if self.consultation_id is not None:
            if not convert:
                self.finish()
            return
        self.clear_errors()
        for f in self.fields().values():
            f.validate()
        data = ConsultationInput(
            topic=self.topic.text(), answer=self.answer.text(), person_name=self.person_name.text(),
            phone=self.phone.text(), question=self.question.text(), category=str(self.category.value() or ""),
            minutes=int(self.minutes.value()), asked_at=self.asked_at.value())
        self._then_convert = convert
        self.set_busy(True)
        if self.editing is not None and self._loaded is not None:
            editing, version = self.editing, self._loaded.version
            keep_phone = self.phone.text() == self._loaded.phone_masked  # shown masked, left as it was

            def update(s: Session, a: Actor) -> int:
                consultations.update_consultation(s, a, editing, data, keep_phone=keep_phone,
                                                  expected_version=version)
                return editing

            (WriteOp(self, update).changes(Changes(consultations=True))
             .success(self._on_logged).failure(self.handle_failure).run())
            return
        (WriteOp(self, lambda s, a: consultations.log_consultation(s, a, data)).changes(Changes(consultations=True))
         .success(self._on_logged).failure(self.handle_failure).run())

    def _on_logged(self, consultation_id: int) -> None:
        self.set_busy(False)
        self.consultation_id = consultation_id
        self.consultation_saved.emit(consultation_id)
        if not self._then_convert:
            self.finish()
            return
        # Saved: nothing typed can be lost any more; the fields stay visible for reference.
        self.mark_clean()
        for f in self.fields().values():
            f.editor.setEnabled(False)
        if self.ok_button is not None:
            self.ok_button.setText(self.tr("关闭"))
        self.banner.show_message(self.tr("咨询已保存。请在新窗口中补全纠纷信息后登记。"), "info")
        self.open_intake()

    def open_intake(self) -> IntakeDialog:
        """The intake form pre-filled from this consultation; saving converts it."""
        assert self.consultation_id is not None
        dlg = IntakeDialog(self.ctx, self, consultation_id=self.consultation_id)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.case_saved.connect(self._on_intake_case_saved)
        self.intake = dlg
        dlg.open()
        return dlg

    def _on_intake_case_saved(self, case_id: int) -> None:
        self.case_saved.emit(case_id)
        self.finish()
