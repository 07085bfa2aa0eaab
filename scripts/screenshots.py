"""Open the main screens on demo data, offscreen, and write PNGs to docs/screenshots/.

Usage: .venv/bin/python scripts/screenshots.py [--out DIR] [--cases N]

Everything happens in a temporary data directory (database, settings, drafts), so the
user's own data is never touched. The main window is taken at 1366×768 (the smallest
screen the desks have) and 1920×1080, plus once at device pixel ratio 2 (HiDPI) in a
child process with ``QT_SCALE_FACTOR=2``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MEDIATION_FAST_HASH", "1")  # throwaway accounts: hashing speed is irrelevant

from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}


def settle(ms: int = 300) -> None:
    """Let background operations finish and their results paint."""
    from mediation.ui import tasks

    loop = QEventLoop()
    deadline = time.monotonic() + ms / 1000
    while time.monotonic() < deadline or tasks._live:
        tasks.wait_for_all(50)
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if time.monotonic() > deadline + 20:
            break


def shoot(widget: QWidget, path: Path, size: tuple[int, int] | None = None) -> None:
    if size is not None:
        widget.resize(*size)
    widget.show()
    settle()
    pixmap = widget.grab()
    pixmap.save(str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
          f"({pixmap.width()}×{pixmap.height()})")


def build_database(data: Path, cases: int) -> tuple[object, object, object]:
    """A desk with demo cases; returns (db, admin, volunteer) actors."""
    from mediation.db import Database
    from mediation.migrate import upgrade
    from mediation.permissions import Actor
    from mediation.services import accounts, demo, setup

    db = Database(f"sqlite:///{data / 'mediation.sqlite3'}")
    upgrade(db.engine, backup=False)
    with db.write() as s:
        admin = setup.initialise(s, desk_name="某某大学警校联调中心", number_prefix="X警校调字",
                                 admin_username="admin", admin_display_name="周管理",
                                 admin_password="admin2026")
    demo.generate(db, cases=cases, seed=20260901, admin=admin)
    with db.read() as s:
        users = accounts.list_users(s, admin)
    vol = next(u for u in users if u.role == "volunteer" and u.active)
    volunteer = Actor(vol.id, vol.username, vol.display_name, vol.role, vol.desk_id)
    return db, admin, volunteer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--hidpi-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="*", default=None, help="main admin login case english")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    tmp = Path(tempfile.mkdtemp(prefix="mediation-shots-"))
    os.environ["MEDIATION_DATA_DIR"] = str(tmp)
    from mediation.ui.app import create_application

    app, state = create_application([sys.argv[0]])
    assert isinstance(app, QApplication)
    from mediation.ui import i18n
    from mediation.ui.context import AppContext
    from mediation.ui.main_window import MainWindow

    db, admin, volunteer = build_database(tmp, args.cases)

    def main_window(actor: object) -> MainWindow:
        w = MainWindow(AppContext(db, actor), state)  # type: ignore[arg-type]
        return w

    if args.hidpi_only:
        w = main_window(volunteer)
        shoot(w, out / "main-window-1366x768@2x.png", SIZES["1366x768"])
        return 0

    shots: list[tuple[str, Callable[[], None]]] = []

    def main_shots() -> None:
        w = main_window(volunteer)
        for name, size in SIZES.items():
            shoot(w, out / f"main-window-{name}.png", size)
        w.search_edit.setText("张")
        settle(600)
        shoot(w, out / "main-window-search-1366x768.png", SIZES["1366x768"])
        w.search_edit.clear()
        w.lock(idle=True)
        shoot(w, out / "lock-screen-1366x768.png", SIZES["1366x768"])
        w.lock_screen.switch_button.click()
        shoot(w, out / "lock-screen-switch-user-1366x768.png", SIZES["1366x768"])
        w.lock_screen.unlocked.emit()
        w.hide()

    def admin_shots() -> None:
        from mediation.ui.admin_dialogs import AccountsDialog, HolidayDialog, RosterDialog
        from mediation.ui.settings_dialog import SettingsDialog

        w = main_window(admin)
        w.resize(*SIZES["1366x768"])
        w.show()
        settle()
        shoot(SettingsDialog(w._ctx, state, w), out / "settings.png")
        shoot(AccountsDialog(w._ctx, w), out / "accounts.png")
        shoot(RosterDialog(w._ctx, w), out / "roster.png")
        holidays = HolidayDialog(w._ctx, w, year=2031)
        shoot(holidays, out / "holidays-unknown-year.png")
        for d in w.findChildren(QWidget):
            if d.isWindow() and d is not w:
                d.hide()
        w.hide()

    def login_and_setup_shots() -> None:
        from mediation.db import Database
        from mediation.migrate import upgrade
        from mediation.ui.login_dialog import LoginDialog
        from mediation.ui.setup_wizard import SetupWizard

        dialog = LoginDialog(db, username="volunteer01", desk_name="某某大学警校联调中心")  # type: ignore[arg-type]
        dialog.form.password_edit.setText("wrong-password")
        dialog.form.submit()
        settle(600)
        shoot(dialog, out / "login-wrong-password.png")
        dialog.hide()
        empty = Database(f"sqlite:///{tmp / 'empty.sqlite3'}")
        upgrade(empty.engine, backup=False)
        wizard = SetupWizard(empty)
        wizard.desk_page.desk_name_edit.setText("某某大学警校联调中心")
        wizard.desk_page.prefix_edit.setText("X警校调字")
        shoot(wizard, out / "setup-wizard.png")
        wizard.hide()

    def case_shots() -> None:
        from mediation.ui.main_window import optional_attr

        w = main_window(volunteer)
        w.resize(*SIZES["1366x768"])
        w.show()
        settle()
        intake_cls = optional_attr("mediation.ui.intake_dialog", "IntakeDialog")
        if intake_cls is not None:
            dialog = intake_cls(w._ctx, w)
            shoot(dialog, out / "intake.png")
            getattr(dialog, "close_keeping_draft", dialog.close)()
        if optional_attr("mediation.ui.case_view", "CaseWindow") is not None and w.model.rowCount():
            w.open_case(w.model.case_id(0))
            settle(800)
            window = w.case_windows().get(w.model.case_id(0))
            if window is not None:
                shoot(window, out / "case-window.png")
                window.close()
        w.hide()

    def english_shots() -> None:
        if os.environ.get("SHOTS_DEBUG"):
            import gc
            gc.collect()
            settle()
            for t in QApplication.topLevelWidgets():
                print("TOP", type(t).__name__, t.objectName(), t.isVisible(), file=sys.stderr)
        i18n.install("en")
        w = main_window(volunteer)
        shoot(w, out / "main-window-en-1366x768.png", SIZES["1366x768"])
        w.hide()
        i18n.install("zh_CN")

    shots = [("main", main_shots), ("admin", admin_shots), ("login", login_and_setup_shots),
             ("case", case_shots), ("english", english_shots)]
    for name, fn in shots:
        if args.only is not None and name not in args.only:
            continue
        try:
            fn()
        except Exception as exc:  # one broken screen must not hide the others
            print(f"screen {name!r} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    settle()

    env = dict(os.environ, QT_SCALE_FACTOR="2")
    env.pop("MEDIATION_DATA_DIR", None)
    subprocess.run([sys.executable, __file__, "--out", str(out), "--cases", "150", "--hidpi-only"],
                   env=env, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
