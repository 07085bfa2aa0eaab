"""Every top-level window and dialog of the program, found rather than listed, and whether it fits.

Windows are found two ways, so a new one is covered without being added here:

* **classes**: every class in ``mediation.ui`` (all modules, walked) that is a ``QDialog``,
  ``QMainWindow`` or ``QWizard``, or a widget named ``…Window``, except bases of other
  such classes. Each is built from its constructor's signature: a parameter's *name*
  says what it gets (``ctx``, ``case_id``, ``document_id``, ``detail``, ``pdf`` …, see
  :data:`PROVIDERS`); classes that need more come from a registry of factories the
  program itself uses (``action_dialogs.DIALOGS``). A class neither way can build is
  reported, not skipped.
* **actions**: every action of the main window's menus is triggered (except quitting and
  locking), and whatever window it opens is checked too — Qt's own dialogs (file, print,
  message boxes) included; a modal one is checked from inside its event loop, then closed.

:func:`fit_problems` says what does not fit: the frame outside the available geometry,
a push button (outside a scrolled area) outside the screen or cut off by its window, an
input field squashed below its minimum height.

Run as a module under a given screen (``QT_QPA_PLATFORM=offscreen:configfile=…``, or a real
X server) it checks them all and prints the result as JSON: ``tests/ui/test_window_fit.py``
does that at 1366×768 and 1280×720, ``scripts/screenshots.py`` under Xvfb.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import pkgutil
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEventLoop, QRect, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QWidget,
    QWizard,
)

WINDOW_BASES: tuple[type[QWidget], ...] = (QDialog, QMainWindow, QWizard)


# ---------------------------------------------------------------- discovery


def ui_modules() -> list[Any]:
    import mediation.ui

    names = sorted(m.name for m in pkgutil.walk_packages(mediation.ui.__path__, "mediation.ui."))
    return [importlib.import_module(n) for n in names if not n.endswith(".app")]


def is_window_class(cls: type) -> bool:
    return isinstance(cls, type) and issubclass(cls, QWidget) and (
        issubclass(cls, WINDOW_BASES) or cls.__name__.endswith("Window"))


def window_classes() -> list[type[QWidget]]:
    """The program's window classes, bases of other window classes left out."""
    found: dict[str, type[QWidget]] = {}
    for module in ui_modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and is_window_class(cls):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    classes = list(found.values())
    return sorted((c for c in classes if not any(o is not c and issubclass(o, c) for o in classes)),
                  key=lambda c: c.__qualname__)


# ---------------------------------------------------------------- the scene the windows open in


@dataclass
class Scene:
    """A desk with a case whose agreement is drafted, the administrator logged in, the main window open."""

    db: Any
    ctx: Any
    state: Any
    case_id: int
    document_id: int
    detail: Any
    pdf: bytes
    main: QMainWindow | None = None
    opened: list[QWidget] = field(default_factory=list)


def build_scene(data: Path) -> Scene:
    from mediation.db import Database
    from mediation.migrate import upgrade
    from mediation.services import case_detail
    from mediation.services import documents as docs
    from mediation.ui.context import AppContext
    from mediation.ui.state import UiState
    from tests.conftest import Desk
    from tests.factories import agreed_case

    db = Database(f"sqlite:///{data / 'mediation.sqlite3'}")
    upgrade(db.engine, backup=False)
    desk = Desk(db)
    with db.write() as s:
        case_id = agreed_case(s, desk)
    with db.write() as s:
        document_id = docs.create_draft(s, desk.volunteer, case_id, "people_agreement")
    with db.write() as s:
        detail = case_detail.get_case(s, desk.admin, case_id)
        pdf = docs.preview_pdf(s, desk.admin, document_id)
    return Scene(db, AppContext(db, desk.admin), UiState(data / "ui-state.ini"), case_id, document_id, detail, pdf)


PROVIDERS: dict[str, Callable[[Scene], Any]] = {
    "ctx": lambda sc: sc.ctx,
    "db": lambda sc: sc.db,
    "state": lambda sc: sc.state,
    "parent": lambda sc: sc.main,
    "case_id": lambda sc: sc.case_id,
    "document_id": lambda sc: sc.document_id,
    "detail": lambda sc: sc.detail,
    "pdf": lambda sc: sc.pdf,
    "title": lambda sc: "人民调解协议书",
    "file_stem": lambda sc: "人民调解协议书",
    "actor": lambda sc: sc.ctx.actor,
    "old_password": lambda sc: "Harbor-Maple-2718",
    "user": lambda sc: _account(sc),
    "live_url": lambda sc: sc.db.url,
    "cases": lambda sc: 10,  # the practice database made by the practice login: small here
}
"""What a constructor parameter of this name gets."""


def _account(scene: Scene) -> Any:
    """An account as the administrator's account dialogs get it."""
    from mediation.services import accounts

    with scene.db.read() as s:
        return accounts.list_users(s, scene.ctx.actor)[0]


class NotBuildable(Exception):
    pass


def arguments(cls: type[QWidget], scene: Scene) -> dict[str, Any]:
    """What ``cls`` is built with: providers by parameter name, defaults for the rest."""
    args: dict[str, Any] = {}
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if name in PROVIDERS:
            args[name] = PROVIDERS[name](scene)
        elif param.default is param.empty:
            raise NotBuildable(f"{cls.__qualname__}: no provider for parameter {name!r}")
    return args


def factories(scene: Scene) -> list[tuple[str, Callable[[], QWidget]]]:
    """The registries of factories the program uses for windows whose classes need more than a signature."""
    from mediation.ui.action_dialogs import DIALOGS

    return [(f"action:{action}", lambda f=factory: f(scene.ctx, scene.detail, scene.main))
            for action, factory in DIALOGS.items()]


# ---------------------------------------------------------------- fitting


def settle(ms: int = 120) -> None:
    """Let operations finish and their results lay out: at least ``ms``, and 100 ms after the
    last operation's result arrived (a form filled by it lays out over a few passes); at most
    15 s more."""
    from mediation.ui import tasks

    loop = QEventLoop()
    start = time.monotonic()
    quiet_since = start
    while True:
        now = time.monotonic()
        if tasks.pending():
            quiet_since = now
        elif now - start >= ms / 1000 and now - quiet_since >= 0.1:
            break
        if now - start > ms / 1000 + 15:
            break
        tasks.wait_for_all(20)
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)


def _scrolled(widget: QWidget, window: QWidget) -> bool:
    """Inside a scroll area's viewport (reachable by scrolling, so allowed out of view)."""
    w = widget.parentWidget()
    while w is not None and w is not window:
        if isinstance(w, QAbstractScrollArea) and w.viewport().isAncestorOf(widget):
            return True
        w = w.parentWidget()
    return False


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def available_geometry(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_problems(window: QWidget, avail: QRect | None = None) -> list[str]:
    """What of ``window`` does not fit ``avail`` (default: its screen's available geometry)."""
    avail = avail or available_geometry(window)
    name = window_name(window)
    problems: list[str] = []
    frame = window.frameGeometry()
    if not avail.contains(frame):
        problems.append(f"{name}: frame {_rect(frame)} outside the available {_rect(avail)}")
    inner = global_rect(window)
    for button in window.findChildren(QPushButton):
        if not button.isVisibleTo(window) or button.window() is not window or _scrolled(button, window):
            continue
        where = global_rect(button)
        if not avail.contains(where) or not inner.contains(where):
            problems.append(f"{name}: button “{button.text()}” at {_rect(where)} not on screen "
                            f"(window {_rect(inner)}, available {_rect(avail)})")
    for edit in window.findChildren(QWidget):
        if not isinstance(edit, (QLineEdit, QComboBox, QAbstractSpinBox)) or not edit.isVisibleTo(window) \
                or edit.window() is not window or isinstance(edit.parentWidget(), (QComboBox, QAbstractSpinBox)):
            continue
        need = edit.minimumSizeHint().height()
        if edit.height() < need:
            problems.append(f"{name}: field {type(edit).__name__} “{edit.accessibleName() or edit.objectName()}”"
                            f" squashed to {edit.height()} px (needs {need})")
    return problems


def lasting_problems(window: QWidget, avail: QRect | None = None, *, tries: int = 8) -> list[str]:
    """:func:`fit_problems` that last: a form filled by an operation lays out over several event
    loop passes (and a window manager decorates a window after it is mapped), so what is seen
    in between is looked at again before it counts."""
    problems = fit_problems(window, avail)
    for _ in range(tries):
        if not problems:
            break
        settle(250)
        problems = fit_problems(window, avail)
    return problems


def window_name(window: QWidget) -> str:
    return f"{type(window).__name__}({window.windowTitle()})"


def _rect(r: QRect) -> str:
    return f"{r.width()}×{r.height()}+{r.x()}+{r.y()}"


# ---------------------------------------------------------------- opening them all


def quietly_gone(window: QWidget) -> None:
    """Away without questions (a form with input would ask whether to discard it)."""
    from mediation.ui.widgets import FormDialog

    if not shiboken6.isValid(window):
        return
    if isinstance(window, FormDialog):
        window.mark_clean()
    window.hide()
    window.deleteLater()


def visible_windows() -> set[QWidget]:
    return {w for w in QApplication.topLevelWidgets()
            if w.isVisible() and w.isWindow() and w.windowType() not in (Qt.WindowType.ToolTip, Qt.WindowType.Popup)}


SKIPPED_ACTIONS = ("quit_action", "lock_action", "switch_user_action")
"""Main-window actions not triggered: they end or lock the session."""


def _check_modal(attr: str, seen: list[QWidget], check: Callable[[str, QWidget], None]) -> None:
    """``check`` the modal window an action opened (once), then close it (its ``exec`` returns)."""
    modal = QApplication.activeModalWidget()
    if modal is not None and modal not in seen:
        seen.append(modal)
        settle(150)
        check(f"{attr}→{type(modal).__name__}", modal)
        if isinstance(modal, QDialog):
            modal.reject()
        else:
            modal.close()


def opened_by_actions(scene: Scene, check: Callable[[str, QWidget], None]) -> list[str]:
    """Trigger each menu action of the main window; ``check`` every window it opens. Returns the actions tried."""
    main = scene.main
    assert main is not None
    tried: list[str] = []
    for attr, action in sorted(vars(main).items()):
        if not isinstance(action, QAction) or attr in SKIPPED_ACTIONS or not action.isVisible() \
                or not action.isEnabled() or action.isCheckable():
            continue
        before = visible_windows()
        seen: list[QWidget] = []
        timer = QTimer()
        timer.setInterval(100)
        timer.timeout.connect(partial(_check_modal, attr, seen, check))
        timer.start()
        try:
            action.trigger()
            settle(150)
        finally:
            timer.stop()
        for w in visible_windows() - before:
            if w not in seen:
                settle(100)
                check(f"{attr}→{type(w).__name__}", w)
            quietly_gone(w)
        tried.append(attr)
    return tried


def open_all(scene: Scene, check: Callable[[str, QWidget], None]) -> dict[str, Any]:
    """Open the main window, every window class and every window an action opens; ``check`` each.

    Returns what was covered: ``classes`` built, ``unbuildable`` (class: reason), ``actions`` tried.
    """
    from mediation.ui.main_window import MainWindow

    main = MainWindow(scene.ctx, scene.state)
    scene.main = main
    main.show()
    settle(300)
    check("MainWindow", main)
    covered: set[type] = {MainWindow}
    unbuildable: dict[str, str] = {}

    def one(name: str, make: Callable[[], QWidget]) -> None:
        window = make()
        covered.add(type(window))
        window.show()
        settle(200)
        check(name, window)
        for child in visible_windows() - {main, window}:
            settle(50)
            check(f"{name}→{type(child).__name__}", child)
            quietly_gone(child)
        quietly_gone(window)
        settle(50)

    for name, make in factories(scene):
        one(name, make)
    for cls in window_classes():
        if cls in covered:
            continue
        try:
            args = arguments(cls, scene)
        except NotBuildable as exc:
            unbuildable[cls.__qualname__] = str(exc)
            continue
        try:
            one(cls.__qualname__, lambda c=cls, a=args: c(**a))
        except Exception as exc:  # noqa: BLE001 - reported: a window that does not open is a failure
            unbuildable[cls.__qualname__] = f"{type(exc).__name__}: {exc}"
    actions = opened_by_actions(scene, check)
    return {"classes": sorted(c.__qualname__ for c in covered), "unbuildable": unbuildable, "actions": actions}


# ---------------------------------------------------------------- as a program


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Open every window; print what does not fit, as JSON.")
    parser.add_argument("--shots", type=Path, default=None, help="also save a PNG of each window here")
    args = parser.parse_args(argv)
    os.environ.setdefault("MEDIATION_FAST_HASH", "1")
    data = Path(tempfile.mkdtemp(prefix="mediation-windows-"))
    os.environ["MEDIATION_DATA_DIR"] = str(data)
    from mediation.ui.app import create_application

    app, _state = create_application([sys.argv[0]])
    assert isinstance(app, QApplication)
    scene = build_scene(data)
    try:
        from mediation.ui import app_events
    except ImportError:  # a checkout from before the shared mechanism (to see what it fixed)
        pass
    else:
        events = app_events.installed()
        if events is not None:
            events.fitter.state = scene.state
    problems: list[str] = []
    checked: list[str] = []

    def check(name: str, window: QWidget) -> None:
        checked.append(name)
        problems.extend(lasting_problems(window))
        if args.shots is not None:
            args.shots.mkdir(parents=True, exist_ok=True)
            safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)
            window.grab().save(str(args.shots / f"{safe}.png"))

    try:
        covered = open_all(scene, check)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    screen = QGuiApplication.primaryScreen()
    print(json.dumps({"screen": _rect(screen.availableGeometry()), "checked": checked, "problems": problems,
                      **covered}, ensure_ascii=False), flush=True)
    _tear_down(app)
    return 0


def _tear_down(app: QApplication) -> None:
    """Delete the hundreds of windows opened above while the application still exists: left
    to the interpreter's exit, Python destroyed them after the QApplication in no fixed
    order, and a chart view or model outliving it crashed the process (3 runs in 6)."""
    import gc

    from PySide6.QtCore import QEvent

    for widget in app.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    gc.collect()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


if __name__ == "__main__":
    sys.exit(main())
