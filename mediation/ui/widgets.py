"""Small form pieces shared by the case dialogs: fields with messages, dates, money, guarded dialogs."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QEvent, QObject, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation.errors import ValidationError
from mediation.timeutil import desk_tz, local, local_today, utcnow
from mediation.ui.errors import present_failure

if TYPE_CHECKING:
    from mediation.ui.context import AppContext

ERROR_COLOR = "#c62828"
WARN_COLOR = "#b26a00"
HINT_COLOR = "#5f6368"
ERROR_STYLE = "color: #a4262c;"
"""A message line beside a field or under a form (plain labels outside :class:`Field`)."""
BUSY_STYLE = "color: #555555;"
"""A hint or a "working…" line."""
OK_STYLE = "color: #1e6b30;"
WARNING_STYLE = "background: #fff4ce; color: #5c3c00; padding: 6px; border: 1px solid #e8c66a;"

def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark ``text`` for translation in ``context`` (translated where it is shown); typed, unlike Qt's."""
    return text


Check = Callable[[str], object]
"""A validator: raises ValidationError for bad text (called only for non-empty text)."""


# ---------------------------------------------------------------- editor values


def editor_value(editor: QWidget) -> Any:
    """The value a form editor holds, as plain data (text, date, bool...)."""
    if isinstance(editor, ValueWidget):
        return editor.value()
    if isinstance(editor, QLineEdit):
        return editor.text()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, QComboBox):
        if editor.isEditable():
            return editor.currentText()
        data = editor.currentData()
        return data if data is not None else editor.currentText()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox):
        return editor.value()
    if isinstance(editor, (DateEdit, DateTimeEdit)):
        return editor.value()
    raise TypeError(f"no value for {type(editor).__name__}")


def set_editor_value(editor: QWidget, value: Any) -> None:
    """Put ``value`` into ``editor`` (the inverse of :func:`editor_value`)."""
    if isinstance(editor, ValueWidget):
        editor.set_value(value)
    elif isinstance(editor, QLineEdit):
        editor.setText("" if value is None else str(value))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText("" if value is None else str(value))
    elif isinstance(editor, QComboBox):
        set_combo_value(editor, value)
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QSpinBox):
        editor.setValue(int(value or 0))
    elif isinstance(editor, (DateEdit, DateTimeEdit)):
        editor.set_value(value)
    else:
        raise TypeError(f"cannot set {type(editor).__name__}")


def set_combo_value(combo: QComboBox, value: Any) -> None:
    """Select the item whose data (or text) is ``value``; editable combos take any text."""
    text = "" if value is None else str(value)
    i = combo.findData(value) if value is not None else -1
    if i < 0:
        i = combo.findText(text)
    if i >= 0:
        combo.setCurrentIndex(i)
    elif combo.isEditable():
        combo.setEditText(text)
    elif text:
        # A stored value no longer in the list (reference data edited since): keep it.
        combo.addItem(text, text)
        combo.setCurrentIndex(combo.count() - 1)
    else:
        combo.setCurrentIndex(0 if combo.count() else -1)


def change_signal(editor: QWidget) -> Any:
    """The signal an editor emits when the user changes its value."""
    if isinstance(editor, ValueWidget):
        return editor.value_changed
    if isinstance(editor, QLineEdit):
        return editor.textChanged
    if isinstance(editor, QPlainTextEdit):
        return editor.textChanged
    if isinstance(editor, QComboBox):
        return editor.currentTextChanged
    if isinstance(editor, QCheckBox):
        return editor.toggled
    if isinstance(editor, QSpinBox):
        return editor.valueChanged
    if isinstance(editor, (DateEdit, DateTimeEdit)):
        return editor.value_changed
    raise TypeError(f"no change signal for {type(editor).__name__}")


class Retranslating:
    """Mixed into a widget (before its Qt class): ``retranslate()`` runs on every language change."""

    def retranslate(self) -> None:
        """Set every text of the widget in the current language."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]  # a mixin: the QWidget it is mixed into has changeEvent


class ValueWidget(QWidget):
    """A compound editor (e.g. a group of radio buttons) with a value and a change signal."""

    value_changed = Signal()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError


# ---------------------------------------------------------------- editors


class LineEdit(QLineEdit):
    """A line edit. Plain QLineEdit is IME-safe: ``text()`` never holds the pinyin being composed."""

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "", max_length: int = 0) -> None:
        super().__init__(parent)
        if placeholder:
            self.setPlaceholderText(placeholder)
        if max_length:
            self.setMaxLength(max_length)


class TextEdit(QPlainTextEdit):
    """Multi-line plain text; Tab moves to the next field so the tab order follows the form."""

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "", lines: int = 4) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        if placeholder:
            self.setPlaceholderText(placeholder)
        self._lines = lines
        self.setMinimumHeight(self._height_for(lines))

    def _height_for(self, lines: int) -> int:
        return int(self.fontMetrics().lineSpacing() * lines + 2 * self.frameWidth() + 12)

    def sizeHint(self) -> Any:
        hint = super().sizeHint()
        hint.setHeight(self._height_for(self._lines + 1))
        return hint


class DateEdit(QDateEdit):
    """A date with a calendar pop-up; ``optional`` adds an empty state shown as "未填写".

    Its pop-up opens on the desk's today (or ``page_hint``) while it is empty: see
    :mod:`mediation.ui.date_popup`."""

    value_changed = Signal()
    _EMPTY = QDate(1899, 12, 31)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        optional: bool = False,
        default: dt.date | None = None,
        page_hint: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self._optional = optional
        self._page_hint = page_hint
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        if optional:
            self.setMinimumDate(self._EMPTY)
            self.setSpecialValueText(self.tr("未填写"))
        else:
            self.setMinimumDate(QDate(1900, 1, 1))
        self.setMaximumDate(QDate(2100, 12, 31))
        self.set_value(default if default is not None or optional else local_today())
        self.dateChanged.connect(self._on_date_changed)

    def page_hint(self) -> dt.date | None:
        """The month an empty date's calendar opens on (None: the desk's today; see ui.date_popup)."""
        return self._page_hint

    def _on_date_changed(self, _date: QDate) -> None:
        self.value_changed.emit()

    def value(self) -> dt.date | None:
        d = self.date()
        if self._optional and d == self._EMPTY:
            return None
        return dt.date(d.year(), d.month(), d.day())

    def set_value(self, value: dt.date | str | None) -> None:
        if isinstance(value, str):
            value = dt.date.fromisoformat(value) if value else None
        if value is None:
            self.setDate(self._EMPTY if self._optional else today_qdate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))


class DateTimeEdit(QDateTimeEdit):
    """Date and time at the desk (its time zone, not the machine's); defaults to now."""

    value_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, default: dt.datetime | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.set_value(default or utcnow())
        self.dateTimeChanged.connect(self._on_date_time_changed)

    def _on_date_time_changed(self, _value: QDateTime) -> None:
        self.value_changed.emit()

    def value(self) -> dt.datetime:
        """An aware datetime in the desk's time zone."""
        qd = self.dateTime()
        d, t = qd.date(), qd.time()
        return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=desk_tz())

    def set_value(self, value: dt.datetime | str | None) -> None:
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value) if value else None
        v = local(value or utcnow()) if (value is None or value.tzinfo) else value
        self.setDateTime(QDateTime(QDate(v.year, v.month, v.day), QTime(v.hour, v.minute)))


class MoneyEdit(QLineEdit):
    """An amount in yuan, typed freely (2500, 2,500.00, ¥2500); checked by mediation.validation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("如 2500 或 2500.50（元）"))
        self.setMaxLength(20)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class ChoiceButtons(ValueWidget):
    """Mutually exclusive choices as radio buttons (value = the chosen code)."""

    def __init__(self, choices: Iterable[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._group = QButtonGroup(self)
        self._buttons: dict[str, QRadioButton] = {}
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for code, label in choices:
            b = QRadioButton(label, self)
            self._group.addButton(b)
            self._buttons[code] = b
            lay.addWidget(b)
            b.toggled.connect(self._on_toggled)
        lay.addStretch(1)
        if self._buttons:
            next(iter(self._buttons.values())).setChecked(True)

    def _on_toggled(self, checked: bool) -> None:
        if checked:
            self.value_changed.emit()

    def button(self, code: str) -> QAbstractButton:
        return self._buttons[code]

    def buttons(self) -> list[QAbstractButton]:
        return list(self._buttons.values())

    def value(self) -> str:
        for code, b in self._buttons.items():
            if b.isChecked():
                return code
        return ""

    def set_value(self, value: Any) -> None:
        b = self._buttons.get(str(value))
        if b is not None:
            b.setChecked(True)


# ---------------------------------------------------------------- field with message


class MessageLine(QLabel):
    """The one line under a field for what is wrong with it; its room is kept while it is empty.

    A message that appeared (as you type, or when the field is left) used to push every
    field below it down, so the click aimed at the next field landed on the one above
    (issue 12 item 21). The line is always there, one text line high, and never grows:
    a message longer than the field is elided, in full in its tooltip (and the editor's)
    and read out by screen readers. ``text()`` is the full message.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)  # a long message must not widen the form
        policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
        self.setSizePolicy(policy)
        self.setWordWrap(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def setText(self, text: str) -> None:
        self._full = text
        self.setAccessibleDescription(text)
        self._elide()

    def text(self) -> str:
        return self._full

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(1, self.width()))
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def sizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().lineSpacing() + 2)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()



class Field(QWidget):
    """A label, an editor and a red message line under it that explains what is wrong.

    The message appears as you type (after a short pause, or at once while correcting
    a field already marked), when the field loses focus, and when saving fails.
    ``check`` only runs on non-empty text: whether a field is required is the
    service's decision, reported on save.
    """

    changed = Signal()
    """The user changed the value."""
    left = Signal()
    """The editor lost focus (the form autosaves its draft then)."""

    def __init__(
        self,
        label: str,
        editor: QWidget,
        *,
        required: bool = False,
        check: Check | None = None,
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self._check = check
        self._label_text = label
        self._quiet = 0
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.set_label(label, required=required)
        self.label.setBuddy(editor)
        lay.addWidget(self.label)
        lay.addWidget(editor)
        self.message = MessageLine(self)
        self.message.setObjectName("fieldMessage")
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.hide()
        lay.addWidget(self.message)
        self.hint = QLabel(self)
        self.hint.setObjectName("fieldHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {HINT_COLOR};")
        self.set_hint(hint)
        lay.addWidget(self.hint)
        self._conflict: QFrame | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(600)
        self._timer.timeout.connect(self._on_timer_timeout)
        change_signal(editor).connect(self._on_editor_changed)
        editor.installEventFilter(self)
        editor.setAccessibleName(label)

    # -- label and value

    @property
    def label_text(self) -> str:
        return self._label_text

    def set_label(self, label: str, *, required: bool = False) -> None:
        """Change the label; required fields get a red star (and say so in the tooltip)."""
        self._label_text = label
        star = f'<span style="color:{ERROR_COLOR}"> *</span>' if required else ""
        self.label.setText(html.escape(label) + star)
        self.label.setToolTip(self.tr("必填") if required else "")
        self.label.setVisible(bool(label))
        self.editor.setAccessibleName(label)

    def value(self) -> Any:
        return editor_value(self.editor)

    def text(self) -> str:
        v = self.value()
        return "" if v is None else str(v)

    def set_value(self, value: Any) -> None:
        """Set the value without it counting as typing (no as-you-type check)."""
        self._quiet += 1
        try:
            set_editor_value(self.editor, value)
        finally:
            self._quiet -= 1

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    # -- messages

    def set_error(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.editor.setProperty("invalid", bool(message))
        self.editor.setToolTip(message)

    def clear_error(self) -> None:
        self.set_error("")

    def error(self) -> str:
        return self.message.text() if self.message.isVisibleTo(self) else ""

    @property
    def has_error(self) -> bool:
        return bool(self.error())

    def validate(self) -> bool:
        """Run the as-you-type check now; True when the text passes (or is empty)."""
        self._timer.stop()
        text = self.text().strip()
        if self._check is None or not text:
            if self._check is not None:
                self.clear_error()
            return True
        try:
            self._check(text)
        except ValidationError as exc:
            self.set_error(next(iter(exc.errors.values())))
            return False
        self.clear_error()
        return True

    # -- conflict with another person's saved value

    def set_conflict(self, theirs: str, on_adopt: Callable[[], None] | None = None) -> None:
        """Show beside the editor what someone else saved meanwhile, with "use theirs"."""
        self.clear_conflict()
        box = QFrame(self)
        box.setObjectName("fieldConflict")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setStyleSheet("#fieldConflict { background: #fff4e5; border: 1px solid #f0b35b; }")
        lay = QVBoxLayout(box)
        lay.setContentsMargins(6, 4, 6, 4)
        title = QLabel(self.tr("其他人已保存为（您的内容仍在上面的输入框中）："), box)
        title.setStyleSheet(f"color: {WARN_COLOR};")
        title.setWordWrap(True)
        lay.addWidget(title)
        theirs_view = QLabel(theirs or self.tr("（空）"), box)
        theirs_view.setObjectName("theirs")
        theirs_view.setWordWrap(True)
        theirs_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(theirs_view)
        row = QHBoxLayout()
        adopt = QPushButton(self.tr("改用对方的内容"), box)
        adopt.setAutoDefault(False)
        keep = QPushButton(self.tr("保留我的内容"), box)
        keep.setAutoDefault(False)
        row.addWidget(adopt)
        row.addWidget(keep)
        row.addStretch(1)
        lay.addLayout(row)

        def _adopt() -> None:
            if on_adopt is not None:
                on_adopt()
            self.clear_conflict()

        adopt.clicked.connect(_adopt)
        keep.clicked.connect(self.clear_conflict)
        layout = self.layout()
        assert layout is not None  # made in __init__
        layout.addWidget(box)
        self._conflict = box

    def clear_conflict(self) -> None:
        if self._conflict is not None:
            self._conflict.hide()
            self._conflict.deleteLater()
            self._conflict = None

    @property
    def has_conflict(self) -> bool:
        return self._conflict is not None

    # -- events

    def _on_editor_changed(self, *_args: Any) -> None:
        if self._quiet:
            if self.has_error:
                self.validate()
            return
        self.changed.emit()
        if self.has_error:
            self.validate()  # correcting a marked field: clear the message at once
        elif self._check is not None:
            self._timer.start()

    def _on_timer_timeout(self) -> None:
        self.validate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched is self.editor:
            if self._check is not None and self.isVisible():
                self.validate()
            self.left.emit()
        return super().eventFilter(watched, event)


# ---------------------------------------------------------------- banner


class Banner(QFrame):
    """A message strip at the top of a form (error, warning or information) with optional buttons."""

    _STYLES: ClassVar[dict[str, tuple[str, str, str]]] = {
        "error": ("#fdecea", "#e0a09b", ERROR_COLOR),
        "warning": ("#fff4e5", "#f0b35b", WARN_COLOR),
        "info": ("#e8f1fb", "#9bbbe0", "#1a4f8b"),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.label)
        self._buttons = QHBoxLayout()
        self._buttons.addStretch(1)
        lay.addLayout(self._buttons)
        self.level = ""
        self.hide()

    def show_message(
        self,
        text: str,
        level: str = "error",
        actions: Iterable[tuple[str, Callable[[], object]]] = (),
    ) -> None:
        bg, border, fg = self._STYLES.get(level, self._STYLES["info"])
        self.setStyleSheet(f"#banner {{ background: {bg}; border: 1px solid {border}; border-radius: 3px; }}"
                           f"#banner QLabel {{ color: {fg}; }}")
        self.level = level
        self.label.setText(text)
        self._clear_buttons()
        for label, cb in actions:
            b = QPushButton(label, self)
            b.setAutoDefault(False)
            b.clicked.connect(cb)
            self._buttons.insertWidget(self._buttons.count() - 1, b)
        self.show()

    def action_buttons(self) -> list[QPushButton]:
        out = []
        for i in range(self._buttons.count()):
            item = self._buttons.itemAt(i)
            w = item.widget() if item is not None else None
            if isinstance(w, QPushButton):
                out.append(w)
        return out

    def _clear_buttons(self) -> None:
        for b in self.action_buttons():
            self._buttons.removeWidget(b)
            b.hide()
            b.deleteLater()

    def text(self) -> str:
        return self.label.text() if self.isVisibleTo(self.parentWidget() or self) else ""

    def clear(self) -> None:
        self._clear_buttons()
        self.label.clear()
        self.level = ""
        self.hide()


# ---------------------------------------------------------------- questions


DISCARD = "discard"
KEEP_DRAFT = "keep"
CANCEL = "cancel"


def ask_discard(parent: QWidget, *, offer_draft: bool = False) -> str:
    """Ask before throwing typed text away: DISCARD, KEEP_DRAFT (if offered) or CANCEL."""
    translate = QCoreApplication.translate
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(translate("widgets", "放弃已输入的内容？"))
    box.setText(translate("widgets", "您输入的内容还没有保存。"))
    if offer_draft:
        box.setInformativeText(translate("widgets", "可以保留为草稿，下次登记新纠纷时再继续；也可以放弃这些内容。"))
    else:
        box.setInformativeText(translate("widgets", "关闭后这些内容将丢失。"))
    keep = None
    if offer_draft:
        keep = box.addButton(translate("widgets", "保留草稿，稍后继续"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(translate("widgets", "放弃输入"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(translate("widgets", "继续编辑"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is discard:
        return DISCARD
    if keep is not None and clicked is keep:
        return KEEP_DRAFT
    return CANCEL


def confirm(parent: QWidget, title: str, text: str, *, ok: str, cancel: str | None = None) -> bool:
    """A yes/no question whose buttons say what they do."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(cancel or QCoreApplication.translate("widgets", "取消"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


# ---------------------------------------------------------------- dialogs with guarded input


class FormDialog(QDialog):
    """A dialog whose typed input is never lost by accident.

    Esc and the close button ask before discarding; Ctrl+S submits; errors from the
    service are shown beside their fields (``ValidationError.errors`` keys) or in the
    banner at the top (WorkflowError, Conflict, permissions). Subclasses implement
    :meth:`submit` and may extend :meth:`form_state`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = Banner(self)
        self._fields: dict[str, Field] = {}
        self._baseline: Any = None
        self._busy = False
        self._ok_button: QPushButton | None = None
        self._ok_text = ""
        self._save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        self._save_shortcut.activated.connect(self._on_save_shortcut_activated)

    # -- fields

    def add_field(self, key: str, field: Field) -> Field:
        self._fields[key] = field
        return field

    def field(self, key: str) -> Field:
        return self._fields[key]

    def fields(self) -> Mapping[str, Field]:
        return dict(self._fields)

    def field_for_error(self, key: str) -> Field | None:
        """The field that shows the service's message for ``key`` (override to map more)."""
        return self._fields.get(key)

    # -- state and dirtiness

    def form_state(self) -> Any:
        """Everything typed, as plain comparable data (also what a draft stores)."""
        return {k: _plain(f.value()) for k, f in self._fields.items()}

    def mark_clean(self) -> None:
        self._baseline = self.form_state()

    def has_unsaved_changes(self) -> bool:
        return self._baseline is not None and self.form_state() != self._baseline

    # -- buttons and busy state

    def make_buttons(self, ok_text: str) -> QDialogButtonBox:
        box = QDialogButtonBox(self)
        ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setToolTip(self.tr("保存（Ctrl+S）"))
        cancel = box.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        for b in (ok, cancel):
            # Enter in a field must not submit half a form (and IMEs use Enter to commit).
            b.setAutoDefault(False)
            b.setDefault(False)
        ok.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        self._ok_button = ok
        return box

    @property
    def ok_button(self) -> QPushButton | None:
        return self._ok_button

    def set_busy(self, busy: bool) -> None:
        """While a save runs: the save button is disabled and says so; Esc waits for it."""
        self._busy = busy
        if self._ok_button is not None:
            if busy:
                self._ok_text = self._ok_button.text()
                self._ok_button.setText(self.tr("正在保存…"))
            elif self._ok_text:
                self._ok_button.setText(self._ok_text)
            self._ok_button.setEnabled(not busy)

    @property
    def busy(self) -> bool:
        return self._busy

    # -- errors

    def clear_errors(self) -> None:
        for f in self._fields.values():
            f.clear_error()
        self.banner.clear()

    def show_validation_errors(self, exc: ValidationError) -> None:
        """Mark every field named in ``exc.errors``; messages without a field go to the banner."""
        unplaced: list[str] = []
        first: Field | None = None
        names: list[str] = []
        for key, message in exc.errors.items():
            f = self.field_for_error(key)
            if f is None:
                unplaced.append(message)
                continue
            f.set_error(message)
            names.append(self.error_field_name(key, f))
            if first is None:
                first = f
        # Name the fields: on a long form some of them are scrolled out of view.
        text = (self.tr("请更正标红的内容后再保存：{fields}。").format(fields="、".join(dict.fromkeys(n for n in names if n)))
                if first is not None else "")
        if unplaced:
            text = "\n".join(filter(None, [text, *unplaced]))
        self.banner.show_message(text, "error")
        if first is not None:
            self.reveal(first)

    def error_field_name(self, key: str, field: Field) -> str:
        """How the banner names a field in error (subclasses add e.g. which party)."""
        return field.label_text.strip().rstrip("：:")

    def reveal(self, field: Field) -> None:
        """Bring ``field`` into view and focus it (subclasses with scroll areas extend this)."""
        field.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def handle_failure(self, exc: BaseException) -> None:
        """A save that failed: the form is usable again and says why (see :func:`present_failure`)."""
        self.set_busy(False)
        present_failure(self, exc)

    # The protocols of mediation.ui.errors: where present_failure puts its words.

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        self.show_validation_errors(ValidationError(errors))

    def show_message(self, text: str, level: str) -> None:
        self.banner.show_message(text, level)

    def show_conflict(self, message: str) -> None:
        """Someone else saved first: keep the input, offer the latest version (where the form can)."""
        self.keep_input_on_conflict()
        actions = [(self.tr("载入最新版本（保留我的输入）"), self.reload_keeping_input)] if self.can_reload() else []
        self.banner.show_message(message, "error", actions)

    def can_reload(self) -> bool:
        """Whether :meth:`reload_keeping_input` can load the record as it is now."""
        return False

    def reload_keeping_input(self) -> None:
        """Load the latest version of the record and keep everything typed (where ``can_reload``)."""
        raise NotImplementedError

    def keep_input_on_conflict(self) -> None:
        """Called before a conflict is shown (e.g. to save a draft)."""

    # -- submit and discard

    def submit(self) -> None:
        raise NotImplementedError

    def _on_save_shortcut_activated(self) -> None:
        if not self._busy:
            self.submit()

    def ask_discard(self) -> str:
        return ask_discard(self)

    def reject(self) -> None:
        if self._busy:
            return  # a save is under way; its result decides
        if self.has_unsaved_changes():
            choice = self.ask_discard()
            if choice == CANCEL:
                return
            self.on_discard(choice)
        super().reject()

    def on_discard(self, choice: str) -> None:
        """Called when the user chose to close with unsaved input (DISCARD or KEEP_DRAFT)."""

    def finish(self) -> None:
        """Close after a successful save (nothing left to ask about)."""
        self.set_busy(False)
        self.mark_clean()
        self.accept()


def _plain(value: Any) -> Any:
    """JSON-friendly form of a field value (dates as ISO text)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def plain(value: Any) -> Any:
    return _plain(value)


def field_grid(columns: int) -> QGridLayout:
    """A grid for fields: equal columns; cells aligned to the top (see :func:`grid_add`)."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(12)
    grid.setVerticalSpacing(6)
    for c in range(columns):
        grid.setColumnStretch(c, 1)
    return grid


def grid_add(grid: QGridLayout, widget: QWidget, row: int, col: int, rowspan: int = 1, colspan: int = 1) -> None:
    """Add at the top of its cell, so a message under one field does not shift its neighbours."""
    grid.addWidget(widget, row, col, rowspan, colspan, Qt.AlignmentFlag.AlignTop)


def section_title(text: str, parent: QWidget | None = None) -> QLabel:
    """A bold heading between parts of a form."""
    label = QLabel(text, parent)
    f = label.font()
    f.setBold(True)
    f.setPointSizeF(f.pointSizeF() * 1.1)
    label.setFont(f)
    return label


@runtime_checkable
class HoldsWhileLocked(Protocol):
    """A window that can be locked (the main window): results wait until it is unlocked."""

    def show_when_unlocked(self, widget: QWidget) -> None: ...


def open_result_box(parent: QWidget | None, box: QMessageBox) -> None:
    """Show the outcome of background work (a message box) without covering the lock
    screen: a locked main window shows it when the same user unlocks."""
    if isinstance(parent, HoldsWhileLocked):
        box.setWindowModality(Qt.WindowModality.WindowModal)
        parent.show_when_unlocked(box)
    else:
        box.open()


def error_label() -> QLabel:
    """A hidden red message (under a form: it may wrap; a field's own is :func:`field_message`)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def field_message() -> MessageLine:
    """A field's red message line: its room is kept while empty, so nothing below moves (see MessageLine)."""
    label = MessageLine()
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def set_message(label: QLabel, text: str, style: str = ERROR_STYLE) -> None:
    """Show ``text`` in ``label`` (hidden when empty)."""
    label.setStyleSheet(style)
    label.setText(text)
    label.setVisible(bool(text))


def table_cell(text: str, data: Any = None) -> QTableWidgetItem:
    """A read-only table cell; ``data`` (e.g. the record's id) under ``UserRole``."""
    item = QTableWidgetItem(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def today_qdate() -> QDate:
    """Today at the desk (Asia/Shanghai), not on the machine's clock zone."""
    return qdate(local_today())


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def pytime(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


class RecordsDialog(Retranslating, QDialog):
    """A dialog around a table of records read by one :class:`~mediation.ui.operations.ReadOp`.

    Subclasses say how to read (:meth:`loader`, called on the UI thread, returns what runs
    in the worker) and how a record shows (:meth:`cells`); they lay their own widgets out
    with :meth:`lay_out`. ``records`` are the rows, in order; one may be selected.
    """

    def __init__(self, ctx: AppContext, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.records: list[Any] = []
        self.table = record_table(columns)
        self.table.itemSelectionChanged.connect(self.selection_changed)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)

    def lay_out(self, *parts: QWidget | QLayout, stretch: QWidget | None = None, size: tuple[int, int]) -> None:
        """Stack ``parts`` (``stretch`` takes the spare height; default the table), then 关闭;
        show the texts and read the records."""
        stack(self, *parts, self.close_buttons, stretch=stretch or self.table)
        self.resize(*size)
        self.retranslate()
        self.reload()

    def loader(self) -> Callable[[Any, Any], Any]:
        """What to read, as ``fn(session, actor)`` (it runs in a worker: read the widgets here)."""
        raise NotImplementedError

    def cells(self, record: Any) -> list[QTableWidgetItem]:
        """The row of ``record``, one cell per column."""
        raise NotImplementedError

    def reload(self) -> None:
        from mediation.ui.operations import ReadOp

        ReadOp(self, self.loader()).success(self.show_records).run()

    def show_records(self, records: Any) -> None:
        self.records = list(records)
        self.fill()

    def fill(self) -> None:
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            for column, cell in enumerate(self.cells(record)):
                self.table.setItem(row, column, cell)
        self.selection_changed()

    def selected(self) -> Any | None:
        row = self.table.currentRow()
        return self.records[row] if 0 <= row < len(self.records) else None

    def select_where(self, matches: Callable[[Any], bool]) -> None:
        for row, record in enumerate(self.records):
            if matches(record):
                self.table.selectRow(row)

    def selection_changed(self) -> None:
        """The selected record changed (buttons that need one follow)."""


def hbox(*items: QWidget | tuple[QWidget, int] | None) -> QHBoxLayout:
    """A row of widgets in order: ``None`` is a stretch, ``(widget, n)`` takes n shares of the spare width."""
    row = QHBoxLayout()
    for item in items:
        if item is None:
            row.addStretch(1)
        elif isinstance(item, tuple):
            row.addWidget(item[0], item[1])
        else:
            row.addWidget(item)
    return row


def stack(parent: QWidget, *parts: QWidget | QLayout, stretch: QWidget | None = None) -> QVBoxLayout:
    """``parent``'s layout: ``parts`` one under the other; ``stretch`` takes the spare height."""
    layout = QVBoxLayout(parent)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part, 1 if part is stretch else 0)
    return layout


def set_texts(*pairs: tuple[Any, str]) -> None:
    """``widget.setText(text)`` for each pair (labels, buttons, check boxes, actions): a retranslate in one call."""
    for widget, text in pairs:
        widget.setText(text)


def record_table(columns: int) -> QTableWidget:
    """A read-only list of records: whole rows selected one at a time, no row numbers."""
    table = QTableWidget(0, columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table
