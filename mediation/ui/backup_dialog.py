"""Administrator: "back up now" — ask where to, copy the database off the UI thread, with progress and 取消."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from mediation.config import data_dir
from mediation.ui.context import AppContext
from mediation.ui.operations import Job, ReadOp
from mediation.ui.widgets import open_result_box

if TYPE_CHECKING:
    from mediation.services.backup import BackupResult



def default_backup_name() -> str:
    return f"mediation-backup-{dt.datetime.now():%Y%m%d-%H%M}.sqlite3"


def start_backup(ctx: AppContext, parent: QWidget, path: Path | None = None) -> ReadOp[BackupResult] | None:
    """Ask where to (unless given), then back up; returns the running operation (None if no file was chosen).

    取消 leaves no file behind; a failure is presented by the operation.
    """
    if path is None:
        folder = data_dir() / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        chosen, _filter = QFileDialog.getSaveFileName(
            parent, QCoreApplication.translate("backup", "备份数据库到…"), str(folder / default_backup_name()), QCoreApplication.translate("backup", "SQLite 数据库 (*.sqlite3)"))
        if not chosen:
            return None
        path = Path(chosen)
    target = path

    def work(job: Job) -> BackupResult:
        from mediation import keys
        from mediation.config import load_config
        from mediation.services.backup import backup

        # Encrypted when the administrator chose so for the automatic backups (设置 → 备份).
        found = keys.load() if load_config().backup_encrypt else None
        passphrase = found.backup_passphrase if found is not None and found.backup_passphrase else None
        return backup(job.db, target, actor=job.actor, progress=job.progress, passphrase=passphrase)

    def done(result: BackupResult) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, QCoreApplication.translate("backup", "备份完成"),
                          QCoreApplication.translate("backup", "数据库已备份到：\n{path}").format(path=str(result.path)),
                          QMessageBox.StandardButton.Ok, parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.setObjectName("backupDoneBox")
        open_result_box(parent, box)

    op = (ReadOp.job(parent, work, ctx=ctx)
          .with_progress(QCoreApplication.translate("backup", "正在备份数据库，请稍候…"), title=QCoreApplication.translate("backup", "立即备份"), cancellable=True)
          .success(done))
    op.run()
    return op
