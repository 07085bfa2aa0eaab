"""What the roster's small forms share: labelled rows with a message line under each field, a
banner for the rest, and one write that closes the form when it succeeds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mediation.changes import Changes
from mediation.ui.context import AppContext
from mediation.ui.operations import SessionFn, WriteOp
from mediation.ui.widgets import Banner, Retranslating, field_message


class RosterForm(Retranslating, QDialog):
    """A short form: :meth:`row` adds a field, :meth:`write` saves through one operation."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: Any = None
        self.banner = Banner(self)
        self.form = QFormLayout()
        self.messages: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.buttons = QDialogButtonBox()
        self.ok_button: QPushButton = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        self.body = QVBoxLayout()
        layout.addLayout(self.body, 1)
        layout.addWidget(self.buttons)

    def row(self, key: str, widget: QWidget) -> QWidget:
        """A field under its label, with its message line (the service's errors for ``key``)."""
        label = QLabel()
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(widget)
        message = field_message()
        box.addWidget(message)
        self.form.addRow(label, holder)
        self.labels[key] = label
        self.messages[key] = message
        return widget

    def set_labels(self, **texts: str) -> None:
        for key, text in texts.items():
            self.labels[key].setText(text)

    def set_buttons(self, ok: str, cancel: str | None = None) -> None:
        self.ok_button.setText(ok)
        self.cancel_button.setText(cancel or self.tr("取消"))

    # -- errors (mediation.ui.errors.present_failure finds these)

    def clear_messages(self) -> None:
        self.banner.clear()
        for m in self.messages.values():
            m.clear()
            m.hide()

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        rest = []
        for key, message in errors.items():
            target = self.messages.get(key) or self.messages.get(key.split(".")[0])
            if target is None:
                rest.append(message)
                continue
            target.setText(message)
            target.show()
        if rest:
            self.banner.show_message("；".join(rest), "error")

    def show_message(self, text: str, level: str) -> None:
        self.banner.show_message(text, level)

    # -- saving

    def submit(self) -> None:
        raise NotImplementedError

    def write(self, fn: SessionFn[Any], *, changes: Changes | None = None,
              done: Callable[[Any], object] | None = None) -> None:
        """Save with ``fn(session, actor)``; on success keep its result and close."""
        self.clear_messages()
        self.ok_button.setEnabled(False)

        def succeeded(result: Any) -> None:
            self.result_value = result
            if done is not None:
                done(result)
            self.accept()

        (WriteOp(self, fn).changes(changes or Changes(roster=True)).success(succeeded)
         .finally_(lambda: self.ok_button.setEnabled(True)).run())
