"""Start-up: login at once while the database opens, the wizard on a new database, a calm failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from mediation.ui import app as app_module
from mediation.ui.login_dialog import LoginDialog
from mediation.ui.setup_wizard import SetupWizard
from mediation.ui.state import UiState
from tests.ui.conftest import Populated, on_modal


def test_login_appears_before_the_database_is_open(qtbot, populated_template: Populated, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "desk.sqlite3"
    shutil.copy(populated_template.path, path)
    monkeypatch.setenv("MEDIATION_DATABASE_URL", f"sqlite:///{path}")
    state = UiState(tmp_path / "ui.ini")
    state.set_last_user("volunteer")
    startup = app_module.Startup()
    seen: dict[str, object] = {}

    def step(widget: QWidget) -> bool:
        if not isinstance(widget, LoginDialog):
            return False
        seen.setdefault("started_when_shown", startup.done())
        if not startup.done() or not widget.desk_label.isVisibleTo(widget) or not widget.desk_label.text():
            # Let the thread finish and its signal arrive: the desk name then appears (its slot
            # may run a moment after the thread is done, on a loaded machine).
            return False
        seen["desk"] = widget.desk_label.text()
        widget.form.password_edit.setText("Qiushi-Lake-42")
        widget.login_button.click()
        return True

    with on_modal(step):
        result = app_module.first_start_or_login(startup, state)
    assert result is not None
    info, actor = result
    assert actor.username == "volunteer" and info.initialised
    assert seen["started_when_shown"] is False  # the dialog did not wait for the database
    assert seen["desk"] == "测试大学警校联调中心"
    assert state.last_user() == "volunteer"
    info.db.dispose()


def test_new_database_runs_the_wizard(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDIATION_DATABASE_URL", f"sqlite:///{tmp_path / 'new' / 'desk.sqlite3'}")
    assert not app_module.likely_initialised()
    state = UiState(tmp_path / "ui.ini")

    def step(widget: QWidget) -> bool:
        if not isinstance(widget, SetupWizard):
            return False
        widget.desk_page.desk_name_edit.setText("某某大学警校联调中心")
        widget.desk_page.prefix_edit.setText("X警校调字")
        widget.next()
        widget.admin_page.username_edit.setText("chief")
        widget.admin_page.display_name_edit.setText("周管理")
        widget.admin_page.password_edit.setText("Lanting-Xu-1987")
        widget.admin_page.confirm_edit.setText("Lanting-Xu-1987")
        widget.next()
        widget.button(QWizard.WizardButton.FinishButton).click()
        return True

    with on_modal(step):
        result = app_module.first_start_or_login(app_module.Startup(), state)
    assert result is not None
    info, actor = result
    assert actor.username == "chief" and actor.role == "admin"
    assert (tmp_path / "new" / "desk.sqlite3").exists()
    info.db.dispose()


def test_unreadable_database_is_explained_calmly(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("MEDIATION_DATABASE_URL", f"sqlite:///{path}")
    texts: list[str] = []

    def step(widget: QWidget) -> bool:
        if isinstance(widget, QMessageBox):
            texts.append(widget.windowTitle() + "|" + widget.text() + "|" + widget.informativeText()
                         + "|" + widget.detailedText())
            widget.close()
            return True
        return False

    startup = app_module.Startup()
    with on_modal(step):
        result = app_module.first_start_or_login(startup, UiState(tmp_path / "ui.ini"))
    assert result is None and startup.failed()
    assert texts and "无法打开数据库" in texts[0] and "无法读取" in texts[0]
    assert path.read_bytes().startswith(b"this is not a database")  # nothing was changed


def test_first_window_does_not_load_the_database_layer() -> None:
    """The login dialog's modules stay free of SQLAlchemy, so it paints as fast as a bare window."""
    import subprocess
    import sys

    code = ("import sys; import mediation.ui.app, mediation.ui.login_dialog; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"
