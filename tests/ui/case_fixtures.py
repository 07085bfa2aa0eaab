"""Fixtures and helpers for the intake, case-view and action-dialog tests (real widgets, offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget

from mediation.db import Database
from mediation.permissions import Actor
from mediation.services import case_detail, cases
from mediation.ui.context import AppContext
from mediation.ui.operations import wait_for_all
from mediation.ui.widgets import FormDialog
from tests.conftest import Desk
from tests.factories import dispute
from tests.ui.conftest import on_modal, type_text, wait_ops


@dataclass
class CaseEnv:
    db: Database
    desk: Desk
    data_dir: Path
    widgets: list[QWidget] = field(default_factory=list)

    def keep(self, widget: QWidget) -> QWidget:
        """Show ``widget`` and close it quietly after the test (pytest-qt's own clean-up
        would close dirty forms, which then ask whether to discard and wait forever)."""
        self.widgets.append(widget)
        widget.show()
        return widget

    def ctx(self, actor: Actor) -> AppContext:
        return AppContext(self.db, actor)

    @property
    def volunteer(self) -> AppContext:
        return self.ctx(self.desk.volunteer)

    @property
    def officer(self) -> AppContext:
        return self.ctx(self.desk.officer)

    def register(self, actor: Actor | None = None, **kw: Any) -> int:
        with self.db.write() as s:
            return cases.register_case(s, actor or self.desk.volunteer, dispute(**kw)).id

    def detail(self, case_id: int, actor: Actor | None = None) -> case_detail.CaseDetail:
        with self.db.read() as s:
            return case_detail.get_case(s, actor or self.desk.officer, case_id)


@pytest.fixture
def case_env(qapp: QApplication, sqlite_db: Database, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[CaseEnv]:
    """A desk with its people, a private data dir for drafts, and clean-up of workers."""
    data = tmp_path / "data"
    monkeypatch.setenv("MEDIATION_DATA_DIR", str(data))
    env = CaseEnv(sqlite_db, Desk(sqlite_db), data)
    yield env
    wait_for_all()
    QApplication.processEvents()
    for w in env.widgets:
        if shiboken6.isValid(w):
            if isinstance(w, FormDialog):
                w.mark_clean()
            w.hide()
            w.deleteLater()
    for w in QApplication.topLevelWidgets():
        if isinstance(w, FormDialog):
            w.mark_clean()
        if w.isVisible():
            w.hide()
    QApplication.processEvents()


def button_with_text(parent: QWidget, text: str) -> QAbstractButton:
    for b in parent.findChildren(QAbstractButton):
        if b.text() == text and b.isVisible():
            return b
    raise LookupError(f"no visible button {text!r}")


@contextmanager
def answering(button_text: str) -> Iterator[list[str]]:
    """Click ``button_text`` on the next modal message box (its text goes into the list)."""
    seen: list[str] = []

    def click(box: QWidget) -> bool:
        button = next((b for b in box.buttons() if b.text() == button_text), None) \
            if isinstance(box, QMessageBox) else None
        if button is None:
            return False
        seen.append(box.text())
        button.click()
        return True

    with on_modal(click):
        yield seen


def drafts_of(env: CaseEnv, username: str) -> list[Path]:
    d = env.data_dir / "drafts" / username
    return sorted(d.glob("*.json")) if d.is_dir() else []


__all__ = ["CaseEnv", "answering", "button_with_text", "case_env", "drafts_of",
           "type_text", "wait_ops"]


def pick_category(dlg: Any, label: str) -> None:
    """Choose a 纠纷类别 in an intake form as from its list."""
    combo = dlg.category.editor
    index = combo.findData(label)
    assert index >= 0, label
    combo.setCurrentIndex(index)
