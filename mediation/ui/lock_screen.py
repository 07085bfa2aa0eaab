"""Idle detection and the lock screen that covers the main window until the user returns.

How locking works (see also ``MainWindow.lock``):

* :class:`IdleWatcher` filters every input event of the application and notes the
  time; a slow timer compares it with the administrator's ``idle_lock_minutes``.
* On lock the main window hides every other top-level window (intake forms, case
  windows, dialogs) **without closing them**, disables its actions and shows
  :class:`LockScreen` over its whole area. Unsaved input stays where it is.
* Unlock with the same user's password: the hidden windows come back as they were.
* "Switch user": another person logs in with their own account. Before the actor
  changes, each hidden window is asked to keep its input as a draft of the *first*
  user and is then closed, so the second user never sees it:

  The draft protocol (:class:`DraftHolder`): a window that may hold unsaved input
  implements ``save_draft()``; it is called on the UI thread while ``ctx.actor`` is
  still the user who typed the input, and must store that input as *that* user's
  draft (synchronously, or through a write ``Op``: writes are serialised, so it lands
  before any write of the next user). It is also called when the screen locks, so a
  machine switched off while locked loses nothing. On a user switch the window is then
  closed: with ``close_keeping_draft()`` if it has one (close without asking "discard
  changes?"), else with ``close()`` — which must then not ask, because the input is
  safe. Windows without ``save_draft`` are simply closed (they hold nothing unsaved);
  a window that still refuses to close is hidden and deleted. ``IntakeDialog``
  implements both methods.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation.permissions import Actor, role_label
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.login_dialog import LoginForm
from mediation.ui.operations import ReadOp, Task
from mediation.ui.widgets import BUSY_STYLE, ERROR_STYLE, Retranslating

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEFAULT_IDLE_MINUTES = 10
MAX_UNLOCK_ATTEMPTS = 5
"""After this many wrong passwords the lock screen asks for a full login (which counts failures)."""


@runtime_checkable
class DraftHolder(Protocol):
    """A window that can put its unsaved input aside as a draft (see the module docstring)."""

    def save_draft(self) -> object: ...


def save_draft_of(window: object) -> None:
    """Ask ``window`` to keep its unsaved input as a draft, if it knows how."""
    if isinstance(window, DraftHolder):
        window.save_draft()


@runtime_checkable
class DraftCloser(Protocol):
    """A window that closes without asking once its input is a draft (see the module docstring)."""

    def close_keeping_draft(self) -> object: ...


def close_keeping_draft(window: QWidget) -> bool:
    """Close ``window`` after its input was put aside; True if it is gone."""
    save_draft_of(window)
    if isinstance(window, DraftCloser):
        window.close_keeping_draft()
        return True
    return window.close()


class IdleWatcher(QObject):
    """Emits ``idle_timed_out`` after ``timeout_ms`` without keyboard, mouse or touch input."""

    idle_timed_out = Signal()

    _INPUT_EVENTS = frozenset({
        QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
        QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress, QEvent.Type.InputMethod, QEvent.Type.HoverMove,
    })

    def __init__(self, parent: QObject | None = None, *, timeout_ms: int = DEFAULT_IDLE_MINUTES * 60_000) -> None:
        super().__init__(parent)
        self._timeout_ms = timeout_ms
        self._last_input = time.monotonic()
        self._active = False
        self._check = QTimer(self)
        self._check.timeout.connect(self._on_check_timeout)
        self._apply_interval()

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    @property
    def active(self) -> bool:
        return self._active

    def set_timeout_ms(self, ms: int) -> None:
        self._timeout_ms = max(50, int(ms))
        self._apply_interval()

    def set_minutes(self, minutes: int) -> None:
        self.set_timeout_ms(minutes * 60_000)

    def _apply_interval(self) -> None:
        # Checking a few times per timeout is precise enough and costs nothing.
        self._check.setInterval(max(20, min(self._timeout_ms // 4, 5_000)))

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._active:
            app.installEventFilter(self)
        self._active = True
        self.reset()
        self._check.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None and self._active:
            app.removeEventFilter(self)
        self._active = False
        self._check.stop()

    def reset(self) -> None:
        self._last_input = time.monotonic()

    def idle_ms(self) -> int:
        return int((time.monotonic() - self._last_input) * 1000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def _on_check_timeout(self) -> None:
        if self._active and self.idle_ms() >= self._timeout_ms:
            self.stop()
            self.idle_timed_out.emit()


class LockScreen(Retranslating, QWidget):
    """An opaque overlay over the main window: unlock with the password, or switch user."""

    unlocked = Signal()
    """The same user entered their password."""
    user_switched = Signal(object)
    """Another user (an Actor) logged in."""

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._failures = 0
        self._busy = False
        self._idle = True
        self._switching = False
        self.setAutoFillBackground(False)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)

        self.card = QFrame(self)
        self.card.setObjectName("lockCard")
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.card.setStyleSheet("#lockCard { background: palette(base); border: 1px solid #b8b8b8;"
                                " border-radius: 8px; }")
        self.card.setMaximumWidth(460)
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title_label.setFont(font)
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.reason_label.setStyleSheet(BUSY_STYLE)
        self.user_label = QLabel()
        self.user_label.setWordWrap(True)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(128)
        self.unlock_button = QPushButton()
        self.unlock_button.setDefault(True)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.hide()
        self.switch_button = QPushButton()
        self.switch_button.setFlat(True)
        self.switch_button.setStyleSheet(
            "QPushButton { color: palette(link); border: none; text-decoration: underline; }")
        self.switch_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.switch_hint = QLabel()
        self.switch_hint.setWordWrap(True)
        self.switch_hint.setStyleSheet(BUSY_STYLE)
        self.switch_form = LoginForm(ctx.db, self.card)
        self.switch_box = QWidget(self.card)
        switch_layout = QVBoxLayout(self.switch_box)
        switch_layout.setContentsMargins(0, 0, 0, 0)
        switch_layout.addWidget(self.switch_hint)
        switch_layout.addWidget(self.switch_form)
        self.switch_box.hide()

        row = QHBoxLayout()
        row.addWidget(self.password_edit, 1)
        row.addWidget(self.unlock_button)
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(28, 24, 28, 24)
        card_layout.setSpacing(10)
        card_layout.addWidget(self.title_label)
        card_layout.addWidget(self.reason_label)
        card_layout.addWidget(self.user_label)
        card_layout.addLayout(row)
        card_layout.addWidget(self.message_label)
        card_layout.addSpacing(6)
        card_layout.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignLeft)
        card_layout.addWidget(self.switch_box)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(self.card, 3)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)

        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.password_edit.returnPressed.connect(self._on_unlock_clicked)
        self.switch_button.clicked.connect(self._on_switch_clicked)
        self.switch_form.logged_in.connect(self._on_switch_logged_in)
        parent.installEventFilter(self)
        self.hide()
        self.retranslate()

    # -- appearance ---------------------------------------------------------------------

    def retranslate(self) -> None:
        if self._switching:
            # Not a lock the user asked for: the next person at the desk is to log in (issue 12 item 28).
            self.title_label.setText(self.tr("切换用户"))
            self.reason_label.setText(self.tr(
                "请下一位值班人员在下方用自己的账户登录。当前用户输入自己的密码，可以回到刚才的工作。"))
        else:
            self.title_label.setText(self.tr("屏幕已锁定"))
            self.reason_label.setText(
                self.tr("电脑闲置一段时间后自动锁定，以保护当事人的个人信息。您未保存的内容仍然保留。")
                if self._idle else self.tr("屏幕已手动锁定。您未保存的内容仍然保留。"))
        self.password_edit.setPlaceholderText(self.tr("输入密码解锁"))
        self.unlock_button.setText(self.tr("解锁"))
        self._update_user_texts()

    def _update_user_texts(self) -> None:
        if not self.ctx.has_actor:
            return
        actor = self.ctx.actor
        self.user_label.setText(self.tr("当前用户：{name}（{role}）").format(
            name=actor.display_name, role=role_label(actor.role)))
        self.switch_button.setText(self.tr("不是{name}？切换用户").format(name=actor.display_name))
        self.switch_hint.setText(self.tr(
            "切换后，{name}未保存的内容会存为草稿，只有{name}本人再次登录后才能看到。").format(
                name=actor.display_name))

    def paintEvent(self, event: QPaintEvent) -> None:
        # Opaque on purpose: nothing of the case list may show through.
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        painter.end()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    # -- showing -------------------------------------------------------------------------

    def activate(self, *, idle: bool, switching: bool = False) -> None:
        """Cover the window: after idle time, on request, or for the next user to log in (``switching``)."""
        self._idle = idle
        self._switching = switching
        self._failures = 0
        self.password_edit.clear()
        self.password_edit.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.message_label.hide()
        self.switch_box.hide()
        self.switch_form.clear_message()
        self.switch_form.username_edit.clear()
        self.switch_form.password_edit.clear()
        self.retranslate()
        self._fit()
        self.show()
        self.raise_()
        self.password_edit.setFocus()

    def _show_error(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # -- unlocking -----------------------------------------------------------------------

    def _on_unlock_clicked(self) -> None:
        if self._busy or not self.ctx.has_actor:
            return
        password = self.password_edit.text()
        if not password:
            self._show_error(self.tr("请输入密码。"))
            return
        username, db = self.ctx.actor.username, self.ctx.db
        self._busy = True
        self.unlock_button.setEnabled(False)
        if self._failures >= MAX_UNLOCK_ATTEMPTS:
            # Too many guesses: go through the full login, which counts failures and locks.
            def full_login() -> Actor:
                from mediation.services import accounts

                return accounts.login(db, username, password)

            (Task(self, full_login, writes=True).success(lambda _a: self._on_verified(True))
             .failure(self._on_full_login_failed).run())
            return

        def verify(s: Session, actor: Actor) -> bool:
            from mediation.services import accounts  # in the worker (see login_dialog)

            return accounts.verify_password(s, actor.user_id, password)

        ReadOp(self, verify).success(self._on_verified).failure(self._on_verify_failed).run()

    def _on_verified(self, ok: bool) -> None:
        self._busy = False
        self.unlock_button.setEnabled(True)
        self.password_edit.clear()
        if ok:
            self._show_error("")
            self.unlocked.emit()
            return
        self._failures += 1
        if self._failures >= MAX_UNLOCK_ATTEMPTS:
            self._show_error(self.tr("密码不正确。已连续输错 {n} 次，再次输错将锁定账户。").format(
                n=self._failures))
        else:
            self._show_error(self.tr("密码不正确，屏幕仍然锁定。"))
        self.password_edit.setFocus()

    def _on_full_login_failed(self, exc: BaseException) -> None:
        self.password_edit.clear()
        self._on_verify_failed(exc)

    def _on_verify_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.unlock_button.setEnabled(True)
        present_failure(self, exc)

    def show_message(self, text: str, level: str) -> None:
        """Why the screen is still locked (see mediation.ui.errors)."""
        self._show_error(text)

    # -- switching user ------------------------------------------------------------------

    def _on_switch_clicked(self) -> None:
        self.switch_box.setVisible(not self.switch_box.isVisible())
        if self.switch_box.isVisible():
            self.switch_form.username_edit.setFocus()

    def _on_switch_logged_in(self, actor: Actor) -> None:
        if self.ctx.has_actor and actor.user_id == self.ctx.actor.user_id:
            self.unlocked.emit()
            return
        self.user_switched.emit(actor)
