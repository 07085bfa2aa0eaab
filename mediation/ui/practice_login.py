"""The login of practice mode: the practice database (generated if missing), its accounts, reset, back.

Opened from the ordinary login dialog (练习模式…). It says which accounts to use, lets a
new volunteer regenerate the practice data at any time, and returns to the live login.
See :mod:`mediation.practice`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QProgressBar, QWidget

from mediation import practice
from mediation.errors import StorageError
from mediation.i18n import _
from mediation.ui.errors import present_failure
from mediation.ui.login_dialog import LoginDialog
from mediation.ui.operations import Job, Task
from mediation.ui.practice_mark import practice_banner

if TYPE_CHECKING:
    from mediation.db import Database

BACK = 3
"""``exec()`` result: back to the live desk's login."""


class PracticeLoginDialog(LoginDialog):
    """Log in to the practice database; ``database`` is it once ready (after login: the one to use)."""

    def __init__(self, live_url: str, parent: QWidget | None = None, *, cases: int = practice.DEFAULT_CASES) -> None:
        self.path: Path = practice.practice_path(live_url)
        self.database: Database | None = None
        self._cases = cases
        self._generating: Task[Database] | None = None
        super().__init__(self._current_database, parent, username=practice.ACCOUNTS[0][0],
                         desk_name=practice.DESK_NAME)
        self.practice_button.hide()
        self.banner = practice_banner(self)
        layout = self.layout()
        assert layout is not None
        layout.insertWidget(0, self.banner)  # type: ignore[attr-defined]
        self.progress = QProgressBar(self)
        self.progress.hide()
        layout.insertWidget(layout.count() - 1, self.progress)  # type: ignore[attr-defined]
        self.reset_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.back_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        for b in (self.reset_button, self.back_button):
            b.setAutoDefault(False)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.back_button.clicked.connect(self._on_back_clicked)
        self.retranslate()
        self._prepare(reset=False)

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "reset_button"):
            return  # LoginDialog.__init__ calls this before the practice widgets exist
        self.setWindowTitle(self.tr("练习模式 — 警校联调调解台"))
        self.title_label.setText(self.tr("警校联调调解台 · 练习模式"))
        self.hint_label.setText(practice.accounts_hint() + "\n" + self.tr(
            "练习数据随时可以“重置练习数据”重新生成。正式办案请点“返回正式登录”，用您本人的账户登录。"))
        self.reset_button.setText(self.tr("重置练习数据…"))
        self.back_button.setText(self.tr("返回正式登录"))

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
        if self._generating is not None:
            return
        super().reject()
