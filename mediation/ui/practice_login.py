"""The login of practice mode: the practice database (generated if missing), its accounts, reset, back.

Opened from the ordinary login dialog (练习模式…). It says which accounts to use, lets a
new volunteer regenerate the practice data at any time, and returns to the live login.
See :mod:`mediation.practice`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from mediation import practice
from mediation.errors import StorageError
from mediation.i18n import _
from mediation.ui.errors import present_failure
from mediation.permissions import Actor
from mediation.ui.login_dialog import LoginForm
from mediation.ui.operations import Job, Task
from mediation.ui.practice_mark import practice_banner
from mediation.ui.widgets import BUSY_STYLE, Retranslating

if TYPE_CHECKING:
    from mediation.db import Database

BACK = 3
"""``exec()`` result: back to the live desk's login."""


class PracticeLoginDialog(Retranslating, QDialog):
    """Log in to the practice database; ``database`` is it once ready (after login: the one to use)."""

    def __init__(self, live_url: str, parent: QWidget | None = None, *, cases: int = practice.DEFAULT_CASES) -> None:
        super().__init__(parent)
        self.path: Path = practice.practice_path(live_url)
        self.database: Database | None = None
        self.actor: Actor | None = None
        self._cases = cases
        self._generating: Task[Database] | None = None
        self.banner = practice_banner(self)
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.desk_label = QLabel(practice.DESK_NAME)
        # The same form as the live login (and the lock screen), on the practice database.
        self.form = LoginForm(self._current_database, self, username=practice.ACCOUNTS[0][0], show_button=False)
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet(BUSY_STYLE)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.reset_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.back_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.quit_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.login_button.setDefault(True)
        for b in (self.reset_button, self.back_button, self.quit_button):
            b.setAutoDefault(False)
        layout = QVBoxLayout(self)
        top: list[QWidget] = [self.banner, self.title_label, self.desk_label]
        rest: list[QWidget] = [self.form, self.hint_label, self.progress, self.buttons]
        for widget in top:
            layout.addWidget(widget)
        layout.addSpacing(8)
        for widget in rest:
            layout.addWidget(widget)
        self.setMinimumWidth(420)
        self.login_button.clicked.connect(self.form.submit)
        self.quit_button.clicked.connect(self.reject)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.back_button.clicked.connect(self._on_back_clicked)
        self.form.logged_in.connect(self._on_logged_in)
        self.form.busy_changed.connect(self._on_busy_changed)
        self.retranslate()
        self._prepare(reset=False)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("练习模式 — 警校联调调解台"))
        self.title_label.setText(self.tr("警校联调调解台 · 练习模式"))
        self.hint_label.setText(practice.accounts_hint() + "\n" + self.tr(
            "练习数据随时可以“重置练习数据”重新生成。正式办案请点“返回正式登录”，用您本人的账户登录。"))
        self.login_button.setText(self.tr("登录"))
        self.reset_button.setText(self.tr("重置练习数据…"))
        self.back_button.setText(self.tr("返回正式登录"))
        self.quit_button.setText(self.tr("退出"))

    def _on_busy_changed(self, busy: bool) -> None:
        self.login_button.setEnabled(not busy and self.ready)

    def _on_logged_in(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    # ---------------------------------------------------------------- the database

    def _current_database(self) -> Database:
        if self.database is None:
            raise StorageError(_("练习数据还没有准备好，请稍候。"))
        return self.database

    @property
    def ready(self) -> bool:
        return self.database is not None and self._generating is None

    def _prepare(self, *, reset: bool) -> None:
        """Open the practice database, generating it first if it is missing (or ``reset``)."""
        if self.database is not None:
            self.database.dispose()  # the file is about to be replaced
            self.database = None
        path, cases = self.path, self._cases

        def work(job: Job) -> Database:
            from mediation.migrate import open_database

            if reset or not path.exists():
                practice.reset(path, cases=cases, progress=job.progress)
            return open_database(f"sqlite:///{path}")

        making = reset or not path.exists()
        self._set_generating(True, making)
        op: Task[Database] = Task.job(self, work, writes=True).on_progress(self._on_progress)
        self._generating = op
        op.success(self._on_ready).failure(self._on_failed).run()

    def _set_generating(self, busy: bool, making: bool = False) -> None:
        self.login_button.setEnabled(not busy)
        self.reset_button.setEnabled(not busy)
        self.progress.setVisible(busy and making)
        self.progress.setRange(0, 0)
        if busy and making:
            self.form._show_message("", self.tr("正在生成练习数据（虚构的案件和人员），大约需要半分钟…"), error=False)

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _on_ready(self, db: Database) -> None:
        self.database = db
        self._generating = None
        self._set_generating(False)
        self.form.clear_message()
        self.form.focus_first_empty()

    def _on_failed(self, exc: BaseException) -> None:
        self._generating = None
        self._set_generating(False)
        self.form.clear_message()
        present_failure(self, exc)

    # ---------------------------------------------------------------- buttons

    def _on_reset_clicked(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("重置练习数据"), self.tr(
            "重新生成练习数据库：其中的案件、文书和练习账户的改动都会丢失（正式数据库不受影响）。继续吗？"),
            QMessageBox.StandardButton.NoButton, self)
        yes = box.addButton(self.tr("重置"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is yes:
            self.reset_practice()

    def reset_practice(self) -> None:
        """Regenerate the practice database (what 重置练习数据 does after asking)."""
        if self._generating is None and not self.form.busy:
            self._prepare(reset=True)

    def _on_back_clicked(self) -> None:
        if self.form.busy or self._generating is not None:
            return
        if self.database is not None:
            self.database.dispose()
            self.database = None
        self.done(BACK)

    def reject(self) -> None:
        if self._generating is not None or self.form.busy:
            return
        if self.database is not None:
            self.database.dispose()
            self.database = None
        super().reject()
