"""Automatic backups in the desktop program: run them, and show when the last good one was made.

* :class:`BackupStatusLabel` — in the main window's status bar: the last good backup,
  in warning colours (with the reason in its tooltip) when it is older than two days or
  the folder cannot be reached;
* :class:`BackupSection` — the administrator's section of the today panel saying the same;
* :func:`run_automatic_backup` — the backup at the first start of the day, off the UI thread;
* :func:`backup_at_exit` — the one when the program exits (the windows are closed by then).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mediation.permissions import Actor
from mediation.services import roster
from mediation.services.backup import auto
from mediation.ui.context import AppContext
from mediation.ui.operations import Job, ReadOp
from mediation.ui.today_panel import TodaySection
from mediation.ui.widgets import BUSY_STYLE, WARNING_STYLE

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from mediation.db import Database

log = logging.getLogger(__name__)


class BackupStatusLabel(QLabel):
    """"最近备份：2026-12-06 08:30" in the status bar; a warning when it is too old."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.status: auto.BackupStatus | None = None
        self.setObjectName("backupStatusLabel")

    def refresh(self) -> None:
        if not self.ctx.has_actor:
            return
        ReadOp(self, lambda s, a: auto.status(s), ctx=self.ctx).success(self.show_status).failure(
            lambda exc: log.warning("backup status not read: %s", type(exc).__name__)).run()

    def show_status(self, status: auto.BackupStatus) -> None:
        self.status = status
        warning = status.warning()
        self.setText(status.summary() + (" ⚠" if warning else ""))
        self.setToolTip(warning or status.last_path)
        self.setStyleSheet(WARNING_STYLE if warning else BUSY_STYLE)

    @property
    def warning(self) -> str:
        return self.status.warning() if self.status is not None else ""


class BackupSection(TodaySection):
    """For administrators: when the last good backup was made, and what is wrong if anything."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("backupSection")
        self.label = QLabel()
        self.label.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.label)
        self.status: auto.BackupStatus | None = None
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("数据备份"))
        if self.status is not None:
            self.present(self.status)

    def load(self, session: Session, actor: Actor, overview: roster.TodayOverview) -> object:
        return auto.status(session) if actor.can("backup.run") else None

    def present(self, data: object) -> None:
        if not isinstance(data, auto.BackupStatus):
            self.hide()
            return
        self.status = data
        warning = data.warning()
        self.label.setText(data.summary() + ("\n" + warning if warning else ""))
        self.label.setStyleSheet(WARNING_STYLE if warning else BUSY_STYLE)
        self.show()


def run_automatic_backup(ctx: AppContext, parent: QWidget, reason: str = "start",
                         done: Callable[[auto.AutoResult], object] | None = None) -> ReadOp[auto.AutoResult]:
    """The automatic backup off the UI thread (at "start" only if none was made today)."""

    def work(job: Job) -> auto.AutoResult:
        return auto.run(job.db, reason=reason)

    op = ReadOp.job(parent, work, ctx=ctx).failure(
        lambda exc: log.warning("automatic backup failed: %s", type(exc).__name__))
    if done is not None:
        op.success(done)
    op.run()
    return op


def backup_at_exit(db: Database, *, timeout: float = 600.0) -> auto.AutoResult | None:
    """The backup when the program exits, in a worker thread (the windows are closed already)."""
    box: list[auto.AutoResult] = []

    def work() -> None:
        try:
            box.append(auto.run(db, reason="exit"))
        except Exception:
            log.warning("backup at exit failed", exc_info=True)

    thread = threading.Thread(target=work, name="mediation-backup-at-exit")
    thread.start()
    thread.join(timeout)
    return box[0] if box else None
