"""Administrators: the desks on this database — a desk's own name, committee and case-number
prefix (its administrator), and adding a desk (the installation's administrator)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QTableWidgetItem, QWidget)

from mediation.changes import Changes
from mediation.permissions import Actor
from mediation.services import desks
from mediation.services.setup import DeskInfo
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.operations import SessionFn, WriteOp
from mediation.ui.widgets import (BUSY_STYLE, RecordsDialog, Retranslating, error_label, hbox, set_message, set_texts,
                                  stack, table_cell)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DESK_FIELDS = ("desk_name", "committee_name", "number_prefix")


def _desk_form(parent: QWidget) -> tuple[QFormLayout, dict[str, QLineEdit], dict[str, QLabel], list[QLabel]]:
    edits = {key: QLineEdit(parent) for key in DESK_FIELDS}
    for key, length in zip(DESK_FIELDS, (100, 100, 30), strict=True):
        edits[key].setMaxLength(length)
    errors = {key: error_label() for key in DESK_FIELDS}
    labels = [QLabel(parent) for _ in DESK_FIELDS]
    form = QFormLayout()
    for label, key in zip(labels, DESK_FIELDS, strict=True):
        label.setBuddy(edits[key])
        form.addRow(label, edits[key])
        form.addRow("", errors[key])
    return form, edits, errors, labels


class DesksDialog(RecordsDialog):
    """The desks the administrator manages: the installation's administrator sees and adds
    every desk; a desk's administrator edits their own desk only."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, 4, parent)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(BUSY_STYLE)
        form, self.edits, self.errors, self._labels = _desk_form(self)
        self.general_error = error_label()
        self.save_button, self.add_button = QPushButton(), QPushButton()
        self.save_button.clicked.connect(self._on_save_clicked)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.add_button.setVisible(ctx.actor.writes_every_desk)
        ctx.operation_did_execute.connect(self._on_operation_did_execute)
        self.lay_out(self.hint, self.table, form, self.general_error, hbox(self.add_button, None, self.save_button),
                     size=(720, 520))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("调解点"))
        self.table.setHorizontalHeaderLabels([self.tr("编号"), self.tr("编号前缀"), self.tr("名称"),
                                              self.tr("人民调解委员会")])
        self.hint.setText(self.tr("修改编号前缀不会改变已经编号的案件，下一件受理的案件起使用新前缀。"
                                  "每次修改都记入审计日志。"))
        set_texts(*zip(self._labels, (self.tr("调解点名称："), self.tr("调解委员会名称："), self.tr("编号前缀：")),
                       strict=True),
                  (self.save_button, self.tr("保存修改")), (self.add_button, self.tr("添加调解点…")))
        self.fill()

    def loader(self) -> SessionFn[list[DeskInfo]]:
        def load(s: Session, actor: Actor) -> list[DeskInfo]:
            return [d for d in desks.list_desks(s, actor) if actor.may_write_desk(d.id)]

        return load

    def cells(self, d: DeskInfo) -> list[QTableWidgetItem]:
        return [table_cell(str(d.id), d.id), table_cell(d.number_prefix), table_cell(d.name),
                table_cell(d.committee_name)]

    def show_records(self, records: object) -> None:
        super().show_records(records)
        if self.records and self.selected() is None:
            self.table.selectRow(0)

    def selection_changed(self) -> None:
        d = self.selected()
        values = (d.name, d.committee_name, d.number_prefix) if d else ("", "", "")
        for key, value in zip(DESK_FIELDS, values, strict=True):
            self.edits[key].setText(value)
            self.edits[key].setEnabled(d is not None)
        self.save_button.setEnabled(d is not None)
        self._clear_errors()

    def _clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.hide()

    def _on_save_clicked(self) -> None:
        d = self.selected()
        if d is None:
            return
        self._clear_errors()
        desk_id = d.id
        name, committee, prefix = (self.edits[k].text() for k in DESK_FIELDS)
        self.save_button.setEnabled(False)
        (WriteOp(self, lambda s, a: desks.update_desk(s, a, desk_id, name=name, committee_name=committee,
                                                     number_prefix=prefix))
         .changes(Changes(settings=True, cases_list=True))
         .success(lambda info: self.select_where(lambda r: r.id == info.id))
         .failure(self._on_failed).finally_(lambda: self.save_button.setEnabled(True)).run())

    def _on_failed(self, exc: BaseException) -> None:
        present_failure(self, exc)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        for key, message in errors.items():
            set_message(self.errors.get(key, self.general_error), message)

    def _on_add_clicked(self) -> None:
        dialog = AddDeskDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    def _on_operation_did_execute(self, changes: object) -> None:
        if isinstance(changes, Changes) and changes.settings:
            self.reload()


class AddDeskDialog(Retranslating, QDialog):
    """A new desk on this database, with its own administrator (who then adds its people)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        form, self.edits, self.errors, self._labels = _desk_form(self)
        self.username_edit, self.display_name_edit, self.password_edit = QLineEdit(), QLineEdit(), QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(128)
        self._admin_labels = [QLabel(self) for _ in range(3)]
        for key in ("username", "display_name", "password"):
            self.errors[key] = error_label()
        for label, (edit, key) in zip(self._admin_labels, ((self.username_edit, "username"),
                                                           (self.display_name_edit, "display_name"),
                                                           (self.password_edit, "password")), strict=True):
            label.setBuddy(edit)
            form.addRow(label, edit)
            form.addRow("", self.errors[key])
        self.general_error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        stack(self, form, self.general_error, self.buttons)
        self.setMinimumWidth(460)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("添加调解点"))
        set_texts(*zip(self._labels, (self.tr("调解点名称："), self.tr("调解委员会名称："), self.tr("编号前缀：")),
                       strict=True),
                  *zip(self._admin_labels, (self.tr("管理员用户名："), self.tr("管理员姓名："), self.tr("初始密码：")),
                       strict=True))
        self.edits["committee_name"].setPlaceholderText(self.tr("可留空，默认与调解点名称相同"))
        self.edits["number_prefix"].setPlaceholderText(self.tr("例如：Y警校调字（各调解点不同）"))

    def _on_save_clicked(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.hide()
        name, committee, prefix = (self.edits[k].text() for k in DESK_FIELDS)
        admin = desks.NewAdmin(self.username_edit.text().strip(), self.display_name_edit.text().strip(),
                               self.password_edit.text())

        def add(s: Session, actor: Actor) -> int:
            return desks.add_desk(s, actor, name=name, number_prefix=prefix, committee_name=committee, admin=admin)

        self.buttons.setEnabled(False)
        (WriteOp(self, add).changes(Changes(settings=True, users=True)).success(lambda _id: self.accept())
         .failure(self._on_failed).finally_(lambda: self.buttons.setEnabled(True)).run())

    def _on_failed(self, exc: BaseException) -> None:
        present_failure(self, exc)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        for key, message in errors.items():
            set_message(self.errors.get(key, self.general_error), message)
