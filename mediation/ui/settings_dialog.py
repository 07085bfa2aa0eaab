"""Settings: interface language, own password, and (administrators) the idle-lock minutes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation.changes import Changes
from mediation.services import accounts, reference
from mediation.ui import i18n
from mediation.ui.backup_settings import BackupSettingsTab
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp, WriteOp
from mediation.ui.reference_editor import ReferenceEditor
from mediation.ui.state import UiState
from mediation.ui.widgets import BUSY_STYLE, OK_STYLE, Retranslating, error_label, field_message, set_message
from mediation.validation import IDLE_LOCK_RANGE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.permissions import Actor


class SettingsDialog(Retranslating, QDialog):
    """Small tabs; each part applies on its own button (language applies at once)."""

    def __init__(self, ctx: AppContext, state: UiState | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._state = state
        self.tabs = QTabWidget()

        # -- language
        general = QWidget()
        form = QFormLayout(general)
        self.language_combo = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(i18n.current_language())))
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language_combo)
        self.language_hint = QLabel()
        self.language_hint.setWordWrap(True)
        self.language_hint.setStyleSheet(BUSY_STYLE)
        form.addRow(self.language_label, self.language_combo)
        form.addRow(self.language_hint)
        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)

        # -- password
        password = QWidget()
        pform = QFormLayout(password)
        self.old_password = QLineEdit()
        self.new_password = QLineEdit()
        self.confirm_password = QLineEdit()
        for edit in (self.old_password, self.new_password, self.confirm_password):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(128)
        self.old_password_error = field_message()
        self.new_password_error = field_message()
        self.confirm_password_error = field_message()
        self.old_password_label = QLabel()
        self.new_password_label = QLabel()
        self.confirm_password_label = QLabel()
        self.password_hint = QLabel()
        self.password_hint.setStyleSheet(BUSY_STYLE)
        self.password_hint.setWordWrap(True)
        pform.addRow(self.old_password_label, self.old_password)
        pform.addRow("", self.old_password_error)
        pform.addRow(self.new_password_label, self.new_password)
        pform.addRow("", self.new_password_error)
        pform.addRow(self.confirm_password_label, self.confirm_password)
        pform.addRow("", self.confirm_password_error)
        pform.addRow(self.password_hint)
        self.change_password_button = QPushButton()
        self.password_result = error_label()
        pform.addRow(self.change_password_button)
        pform.addRow(self.password_result)
        self.change_password_button.clicked.connect(self._on_change_password_clicked)
        self.confirm_password.textEdited.connect(self._on_confirm_password_edited)

        # -- desk (administrators)
        desk = QWidget()
        dform = QFormLayout(desk)
        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(*IDLE_LOCK_RANGE)  # the rule the services apply, too
        self.idle_spin.setValue(10)
        self.idle_label = QLabel()
        self.idle_label.setBuddy(self.idle_spin)
        self.idle_hint = QLabel()
        self.idle_hint.setWordWrap(True)
        self.idle_hint.setStyleSheet(BUSY_STYLE)
        self.save_idle_button = QPushButton()
        self.idle_result = error_label()
        dform.addRow(self.idle_label, self.idle_spin)
        dform.addRow(self.idle_hint)
        dform.addRow(self.save_idle_button)
        dform.addRow(self.idle_result)
        self.save_idle_button.clicked.connect(self._on_save_idle_clicked)

        self.general_tab, self.password_tab, self.desk_tab = general, password, desk
        self.tabs.addTab(general, "")
        self.tabs.addTab(password, "")
        self._is_admin = ctx.has_actor and ctx.actor.can("settings.manage")
        self.reference_editor: ReferenceEditor | None = None
        if self._is_admin:
            self.tabs.addTab(desk, "")
            self._load_idle_minutes()
            self.reference_editor = ReferenceEditor(ctx)
            self.tabs.addTab(self.reference_editor, "")
        self.backup_tab: BackupSettingsTab | None = None
        if ctx.has_actor and ctx.actor.can("backup.run"):  # issue 11 item 15
            self.backup_tab = BackupSettingsTab(ctx)
            self.tabs.addTab(self.backup_tab, "")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("设置"))
        self.tabs.setTabText(0, self.tr("界面"))
        self.tabs.setTabText(1, self.tr("修改密码"))
        if self._is_admin:
            self.tabs.setTabText(2, self.tr("调解点"))
        if self.reference_editor is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.reference_editor), self.tr("类别与来源"))
        if self.backup_tab is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.backup_tab), self.tr("备份"))
        self.language_label.setText(self.tr("界面语言(&L)："))
        self.language_hint.setText(self.tr("更改后立即生效，下次启动时也使用此语言。"))
        self.old_password_label.setText(self.tr("原密码："))
        self.new_password_label.setText(self.tr("新密码："))
        self.confirm_password_label.setText(self.tr("再输一次新密码："))
        self.password_hint.setText(self.tr("密码至少 8 位，须同时包含字母和数字。不要把密码告诉他人。"))
        self.change_password_button.setText(self.tr("修改密码"))
        self.idle_label.setText(self.tr("闲置自动锁屏（分钟）："))
        self.idle_hint.setText(self.tr("电脑无人操作超过这个时间后自动锁屏，保护当事人信息。建议不超过 10 分钟。"))
        self.save_idle_button.setText(self.tr("保存"))

    # -- language ---------------------------------------------------------------------

    def _on_language_combo_changed(self, _index: int) -> None:
        code = str(self.language_combo.currentData())
        i18n.install(code)
        if self._state is not None:
            self._state.set_language(code)
            self._state.sync()

    # -- password ---------------------------------------------------------------------

    def _on_confirm_password_edited(self, text: str) -> None:
        if text and self.new_password.text() and text != self.new_password.text():
            set_message(self.confirm_password_error, self.tr("两次输入的新密码不一致。"))
        else:
            set_message(self.confirm_password_error, "")

    def _on_change_password_clicked(self) -> None:
        for label in (self.old_password_error, self.new_password_error, self.confirm_password_error,
                      self.password_result):
            set_message(label, "")
        old, new = self.old_password.text(), self.new_password.text()
        if new != self.confirm_password.text():
            set_message(self.confirm_password_error, self.tr("两次输入的新密码不一致。"))
            return
        self.change_password_button.setEnabled(False)
        (WriteOp(self, lambda s, a: accounts.change_password(s, a, old=old, new=new))
         .success(self._on_password_changed)
         .finally_(lambda: self.change_password_button.setEnabled(True)).run())

    def _on_password_changed(self, _result: None) -> None:
        for edit in (self.old_password, self.new_password, self.confirm_password):
            edit.clear()
        set_message(self.password_result, self.tr("密码已修改。下次登录请使用新密码。"), OK_STYLE)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        """A refused password or minutes, beside the field (see mediation.ui.errors)."""
        labels = {"old_password": self.old_password_error, "new_password": self.new_password_error,
                  "password": self.new_password_error, "idle_lock_minutes": self.idle_result}
        for key, message in errors.items():
            set_message(labels.get(key, self.password_result), message)

    # -- idle minutes -----------------------------------------------------------------

    def _load_idle_minutes(self) -> None:
        def load(s: Session, actor: Actor) -> int:
            value = reference.get_setting(s, "idle_lock_minutes", actor.desk_id)
            return int(value) if isinstance(value, int) else 10

        ReadOp(self, load).success(self.idle_spin.setValue).run()

    def _on_save_idle_clicked(self) -> None:
        minutes = self.idle_spin.value()
        self.save_idle_button.setEnabled(False)
        (WriteOp(self, lambda s, a: reference.set_idle_lock_minutes(s, a, minutes))
         .changes(Changes(settings=True)).success(self._on_idle_saved)
         .finally_(lambda: self.save_idle_button.setEnabled(True)).run())

    def _on_idle_saved(self, _result: None) -> None:
        set_message(self.idle_result, self.tr("已保存。"), OK_STYLE)

