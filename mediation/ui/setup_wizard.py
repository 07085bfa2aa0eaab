"""First start: name the desk and its number prefix, create the administrator, offer demo data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from mediation.errors import ValidationError
from mediation.permissions import Actor
from mediation.progress import Cancelled
from mediation.services import accounts, setup
from mediation.services.numbering import format_case_number
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.operations import Job, WriteOp
from mediation.ui.widgets import BUSY_STYLE, Retranslating, error_label, field_message

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.db import Database

DEMO_CASES = 300
"""Enough demo cases to see every stage and a second page in the list, quick to generate."""
PAGE_DESK, PAGE_ADMIN, PAGE_FINISH = range(3)
DESK_FIELDS = ("desk_name", "number_prefix", "committee_name")
ADMIN_FIELDS = ("username", "display_name", "password", "role")


class DeskPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.desk_name_edit = QLineEdit()
        self.desk_name_edit.setMaxLength(100)
        self.committee_edit = QLineEdit()
        self.committee_edit.setMaxLength(100)
        self.prefix_edit = QLineEdit()
        self.prefix_edit.setMaxLength(30)
        self.example_label = QLabel()
        self.example_label.setStyleSheet(BUSY_STYLE)
        self.errors: dict[str, QLabel] = {k: field_message() for k in DESK_FIELDS}
        self.desk_name_label, self.committee_label, self.prefix_label = QLabel(), QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.desk_name_label, self.desk_name_edit)
        form.addRow("", self.errors["desk_name"])
        form.addRow(self.committee_label, self.committee_edit)
        form.addRow("", self.errors["committee_name"])
        form.addRow(self.prefix_label, self.prefix_edit)
        form.addRow("", self.example_label)
        form.addRow("", self.errors["number_prefix"])
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addLayout(form)
        self.registerField("desk_name*", self.desk_name_edit)
        self.registerField("number_prefix*", self.prefix_edit)
        self.registerField("committee_name", self.committee_edit)
        self.prefix_edit.textChanged.connect(self._on_prefix_text_changed)
        self.desk_name_label.setBuddy(self.desk_name_edit)
        self.committee_label.setBuddy(self.committee_edit)
        self.prefix_label.setBuddy(self.prefix_edit)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("欢迎使用警校联调调解台"))
        self.setSubTitle(self.tr("第一次启动，先用一分钟设置调解点。以后可由管理员修改。"))
        self.intro.setText(self.tr("请填写本调解点的名称和案件编号前缀。"
                                   "编号在案件受理时自动生成，每年从 001 重新开始。"))
        self.desk_name_label.setText(self.tr("调解点名称(&N)："))
        self.committee_label.setText(self.tr("调解委员会名称："))
        self.prefix_label.setText(self.tr("编号前缀(&P)："))
        self.desk_name_edit.setPlaceholderText(self.tr("例如：某某大学警校联调中心"))
        self.committee_edit.setPlaceholderText(self.tr("可留空，默认与调解点名称相同"))
        self.prefix_edit.setPlaceholderText(self.tr("例如：X警校调字"))
        self._on_prefix_text_changed(self.prefix_edit.text())

    def _on_prefix_text_changed(self, text: str) -> None:
        prefix = text.strip() or self.tr("X警校调字")
        self.example_label.setText(self.tr("编号示例：{example}").format(
            example=format_case_number(local_today().year, prefix, 1)))
        self.errors["number_prefix"].hide()


class AdminPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.username_edit = QLineEdit()
        self.username_edit.setMaxLength(50)
        self.display_name_edit = QLineEdit()
        self.display_name_edit.setMaxLength(50)
        self.password_edit = QLineEdit()
        self.confirm_edit = QLineEdit()
        for e in (self.password_edit, self.confirm_edit):
            e.setEchoMode(QLineEdit.EchoMode.Password)
            e.setMaxLength(128)
        self.errors: dict[str, QLabel] = {k: field_message() for k in (*ADMIN_FIELDS, "confirm")}
        self.labels = [QLabel() for _ in range(4)]
        form = QFormLayout()
        for label, edit, key in zip(self.labels, (self.username_edit, self.display_name_edit,
                                                  self.password_edit, self.confirm_edit),
                                    ("username", "display_name", "password", "confirm"), strict=True):
            label.setBuddy(edit)
            form.addRow(label, edit)
            form.addRow("", self.errors[key])
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(BUSY_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        self.registerField("username*", self.username_edit)
        self.registerField("display_name*", self.display_name_edit)
        self.registerField("password*", self.password_edit)
        self.registerField("confirm*", self.confirm_edit)
        self.confirm_edit.textEdited.connect(self._on_confirm_edited)
        self.password_edit.textEdited.connect(self._on_password_edited)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("管理员账户"))
        self.setSubTitle(self.tr("管理员负责创建值班学生和民警的账户、值班安排和备份。"))
        self.intro.setText(self.tr("每个人都用自己的账户登录，不要共用一个账户。请先创建您自己的管理员账户。"))
        for label, text in zip(self.labels, (self.tr("用户名(&U)："), self.tr("姓名(&M)："),
                                             self.tr("密码(&W)："), self.tr("确认密码(&C)：")), strict=True):
            label.setText(text)
        self.username_edit.setPlaceholderText(self.tr("登录用，不含空格"))
        self.display_name_edit.setPlaceholderText(self.tr("显示在案件和文书上的姓名"))
        self.hint.setText(self.tr("密码至少 8 位，须同时包含字母和数字。请牢记：忘记后只能由另一位管理员重置。"))

    def _on_password_edited(self, _text: str) -> None:
        self.errors["password"].hide()

    def _on_confirm_edited(self, text: str) -> None:
        mismatch = bool(text) and text != self.password_edit.text()[:len(text)]
        self._show("confirm", self.tr("两次输入的密码不一致。") if mismatch else "")

    def _show(self, key: str, message: str) -> None:
        self.errors[key].setText(message)
        self.errors[key].setVisible(bool(message))

    def validatePage(self) -> bool:
        ok = True
        try:
            accounts.check_password_strength(self.password_edit.text())
            self._show("password", "")
        except ValidationError as exc:
            self._show("password", exc.message)
            ok = False
        if self.password_edit.text() != self.confirm_edit.text():
            self._show("confirm", self.tr("两次输入的密码不一致。"))
            ok = False
        if any(c.isspace() for c in self.username_edit.text().strip()):
            self._show("username", self.tr("用户名不能含空格。"))
            ok = False
        return ok


class FinishPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.demo_check = QCheckBox()
        self.demo_hint = QLabel()
        self.demo_hint.setWordWrap(True)
        self.demo_hint.setStyleSheet(BUSY_STYLE)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addSpacing(8)
        layout.addWidget(self.demo_check)
        layout.addWidget(self.demo_hint)
        layout.addStretch(1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        self.registerField("demo", self.demo_check)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("准备就绪"))
        self.setSubTitle(self.tr("点击“完成”创建调解点和管理员账户，然后进入主窗口。"))
        self.demo_check.setText(self.tr("载入演示数据（虚构的案件和人员）"))
        self.demo_hint.setText(self.tr("演示数据便于新同学熟悉软件。正式使用的调解点请不要勾选："
                                       "演示案件会和真实案件混在一起。"))

    def initializePage(self) -> None:
        wizard = self.wizard()
        self.summary.setText(self.tr("调解点：{desk}\n编号示例：{example}\n管理员：{name}（{user}）").format(
            desk=str(wizard.field("desk_name")).strip(),
            example=format_case_number(local_today().year, str(wizard.field("number_prefix")).strip(), 1),
            name=str(wizard.field("display_name")).strip(), user=str(wizard.field("username")).strip()))


class SetupWizard(Retranslating, QWizard):
    """Runs ``setup.initialise`` (and optionally the demo generator) in the background."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._busy = False
        self._demo: WriteOp[Any] | None = None
        self.actor: Actor | None = None
        """The administrator, once the desk has been created."""
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.desk_page = DeskPage()
        self.admin_page = AdminPage()
        self.finish_page = FinishPage()
        self.setPage(PAGE_DESK, self.desk_page)
        self.setPage(PAGE_ADMIN, self.admin_page)
        self.setPage(PAGE_FINISH, self.finish_page)
        self.setMinimumSize(620, 480)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("首次设置 — 警校联调调解台"))
        for page in (self.desk_page, self.admin_page, self.finish_page):
            page.retranslate()

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def demo_running(self) -> bool:
        """The demo data is being generated (取消 stops it; the desk stays)."""
        return self._demo is not None

    def _set_busy(self, busy: bool, status: str = "", *, cancellable: bool = False) -> None:
        self._busy = busy
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton,
                      QWizard.WizardButton.CancelButton):
            button = self.button(which)
            if button is not None:
                button.setEnabled(not busy or (cancellable and which == QWizard.WizardButton.CancelButton))
        self.finish_page.status_label.setText(status)
        self.finish_page.progress.setVisible(busy)
        if busy:
            self.finish_page.progress.setRange(0, 0)

    def accept(self) -> None:
        if self.actor is not None:
            super().accept()
            return
        if self._busy:
            return
        self.finish_page.error.hide()
        values = {k: str(self.field(k) or "").strip() for k in
                  ("desk_name", "number_prefix", "committee_name", "username", "display_name")}
        password = str(self.field("password") or "")

        def initialise(s: Session) -> Actor:
            return setup.initialise(
                s, desk_name=values["desk_name"], number_prefix=values["number_prefix"],
                committee_name=values["committee_name"], admin_username=values["username"],
                admin_display_name=values["display_name"], admin_password=password)

        self._set_busy(True, self.tr("正在创建调解点和管理员账户…"))
        (WriteOp.before_login(self, initialise, db=self._db)
         .success(self._on_initialised).failure(self._on_initialise_failed).run())

    def reject(self) -> None:
        if self._demo is not None and not self._demo.token.cancelled:
            # Stop the demo data; the desk and the administrator already exist.
            self._demo.cancel()
            self.finish_page.status_label.setText(self.tr("正在取消演示数据…"))
            return
        if self._busy:
            return
        super().reject()

    def _on_initialised(self, actor: Actor) -> None:
        if self.field("demo"):
            self._start_demo(actor)
            return
        self._set_busy(False)
        self.actor = actor
        self.accept()

    def _on_initialise_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(exc, ValidationError):
            present_failure(self, exc)
            return
        target: int | None = None
        for key, message in exc.errors.items():
            if key in DESK_FIELDS:
                label = self.desk_page.errors[key]
                target = PAGE_DESK if target is None else min(target, PAGE_DESK)
            elif key in self.admin_page.errors:
                label = self.admin_page.errors[key]
                target = PAGE_ADMIN if target is None else target
            else:
                label = self.finish_page.error
            label.setText(message)
            label.show()
        while target is not None and self.currentId() > target:
            self.back()

    def _start_demo(self, actor: Actor) -> None:
        self._set_busy(True, self.tr("正在生成演示数据…（可点“取消”跳过）"), cancellable=True)
        cases = DEMO_CASES

        def fill(job: Job) -> Any:
            from mediation.demo import generate

            return job.write(lambda s, a: generate(s, cases=cases, admin=a, progress=job.progress))

        self._demo = (WriteOp.job(self, fill, ctx=AppContext(self._db, actor))
                      .on_progress(self._on_demo_progressed)
                      .success(lambda _r: self._on_demo_done(actor))
                      .failure(lambda exc: self._on_demo_failed(actor, exc)))
        self._demo.run()

    def _on_demo_progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.finish_page.progress.setRange(0, total)
            self.finish_page.progress.setValue(min(done, total))

    def _on_demo_done(self, actor: Actor) -> None:
        self._demo = None
        self._set_busy(False)
        self.actor = actor
        self.accept()

    def _on_demo_failed(self, actor: Actor, exc: BaseException) -> None:
        # The desk exists; only the demo data is missing. Say so (unless asked for) and carry on.
        self._demo = None
        self._set_busy(False)
        self.actor = actor
        if not isinstance(exc, Cancelled):
            present_failure(self, exc)
        self.accept()

