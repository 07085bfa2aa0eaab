"""Settings → 备份 (administrators): the automatic backups' folder, encryption, passphrase, recovery sheet."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from mediation import keys
from mediation.config import load_config
from mediation.services import recovery
from mediation.services.backup import auto
from mediation.ui.context import AppContext
from mediation.ui.operations import WriteOp
from mediation.ui.widgets import BUSY_STYLE, OK_STYLE, Retranslating, error_label, field_message, set_message


class BackupSettingsTab(Retranslating, QWidget):
    """Where the automatic backups go, whether they are encrypted, and the recovery sheet."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        cfg = load_config()
        form = QFormLayout(self)
        self.folder_edit = QLineEdit(cfg.backup_folder)
        self.folder_edit.setObjectName("backupFolderEdit")
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(self.browse_button)
        self.folder_label = QLabel()
        form.addRow(self.folder_label, row)
        self.folder_error = field_message()
        form.addRow("", self.folder_error)
        self.encrypt_check = QCheckBox()
        self.encrypt_check.setChecked(cfg.backup_encrypt)
        form.addRow("", self.encrypt_check)
        self.encrypt_error = field_message()
        form.addRow("", self.encrypt_error)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(BUSY_STYLE)
        form.addRow(self.hint)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self._on_save_clicked)
        form.addRow(self.save_button)
        self.passphrase_label = QLabel()
        self.passphrase_value = QLabel()
        self.passphrase_value.setObjectName("passphraseValue")
        form.addRow(self.passphrase_label, self.passphrase_value)
        self.passphrase_button = QPushButton()
        self.passphrase_button.clicked.connect(self._on_passphrase_clicked)
        self.sheet_button = QPushButton()
        self.sheet_button.clicked.connect(self._on_sheet_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.passphrase_button)
        buttons.addWidget(self.sheet_button)
        form.addRow(buttons)
        self.result = error_label()
        form.addRow(self.result)
        self.retranslate()

    def retranslate(self) -> None:
        self.folder_label.setText(self.tr("自动备份到："))
        self.browse_button.setText(self.tr("选择…"))
        self.encrypt_check.setText(self.tr("用备份口令加密（备份会离开这台电脑时请勾选）"))
        self.hint.setText(self.tr("每天第一次启动和退出时自动备份到该文件夹（另一块硬盘、U 盘或网络共享），"
                                  "保留最近 7 天、4 周和 12 个月的备份。超过两天没有成功的备份时，主窗口会提醒。"))
        self.save_button.setText(self.tr("保存备份设置"))
        self.passphrase_label.setText(self.tr("备份口令："))
        self.passphrase_button.setText(self.tr("生成新口令"))
        self.sheet_button.setText(self.tr("打印恢复单…"))
        self._show_passphrase()

    def _show_passphrase(self, shown: str | None = None) -> None:
        if shown:
            self.passphrase_value.setText(shown)
            return
        found = keys.load()
        has = found is not None and bool(found.backup_passphrase)
        self.passphrase_value.setText(self.tr("已设置（见恢复单）") if has else self.tr("尚未设置"))

    def _on_browse_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择自动备份的文件夹"), self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    def _on_save_clicked(self) -> None:
        for label in (self.folder_error, self.encrypt_error, self.result):
            set_message(label, "")
        folder, encrypt = self.folder_edit.text(), self.encrypt_check.isChecked()
        self.save_button.setEnabled(False)
        (WriteOp(self, lambda s, a: auto.configure(s, a, folder=folder, encrypt=encrypt))
         .success(self._on_saved).finally_(lambda: self.save_button.setEnabled(True)).run())

    def _on_saved(self, status: auto.BackupStatus) -> None:
        set_message(self.result, self.tr("已保存。") + (" " + status.warning() if status.warning() else ""),
                    OK_STYLE)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        labels = {"backup_folder": self.folder_error, "backup_encrypt": self.encrypt_error}
        for key, message in errors.items():
            set_message(labels.get(key, self.result), message)

    def _on_passphrase_clicked(self) -> None:
        WriteOp(self, auto.new_passphrase).success(self._on_passphrase_made).run()

    def _on_passphrase_made(self, passphrase: str) -> None:
        self._show_passphrase(passphrase)
        set_message(self.result, self.tr("新的备份口令已生成。请打印恢复单并锁好；以前的加密备份仍需原来的口令。"),
                    OK_STYLE)

    def _on_sheet_clicked(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("保存恢复单"), "恢复单.pdf", "PDF (*.pdf)")
            if not chosen:
                return
            path = Path(chosen)
        target = path
        WriteOp(self, recovery.recovery_sheet_pdf).success(lambda pdf: self._on_sheet_made(target, pdf)).run()

    def _on_sheet_made(self, path: Path, pdf: bytes) -> None:
        path.write_bytes(pdf)
        set_message(self.result, self.tr("恢复单已保存到 {path}。打印后请删除该文件，并把纸锁好。").format(path=path),
                    OK_STYLE)
