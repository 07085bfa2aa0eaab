"""Fixtures for the desktop tests: an initialised desk, cases made through the services, a main window."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from mediation import workflow
from mediation.db import Database
from mediation.services import cases
from mediation.ui import app_events, fonts, i18n
from mediation.ui.app import pin_singletons
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.operations import pending, wait_for_all
from mediation.ui.state import UiState
from tests.conftest import Desk
from tests.factories import dispute, person

# WORKAROUND (see mediation.ui.app.pin_singletons): PySide6 6.12 on CPython 3.11 drops a
# reference to None on every void call; without this a long test session aborts.
pin_singletons()

OFFSCREEN_NOISE = r"^This plugin does not support (propagateSizeHints|raise\(\)|grabbing the keyboard)"
"""The offscreen platform warns for every top-level window with a minimum size, and when a window
is raised (a dialog brought back on top, a tooltip) or grabs the keyboard (a calendar pop-up); not our code."""
BIG = 230
"""Cases in the populated template: more than one 200-row page."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


def process_events() -> None:
    """``QCoreApplication.processEvents`` without the static call (see pin_singletons)."""
    QEventLoop().processEvents()


@contextmanager
def on_modal(step: Callable[[QWidget], bool]) -> Iterator[None]:
    """Call ``step`` with the active modal window every 20 ms until it returns True (a person
    answering a dialog that ``exec()`` waits for)."""
    timer = QTimer()
    timer.setInterval(20)

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and step(widget):
            timer.stop()

    timer.timeout.connect(poll)
    timer.start()
    try:
        yield
    finally:
        timer.stop()


def wait_ops(qtbot: Any, timeout: int = 10_000) -> None:
    """Until every operation finished and its callback ran."""
    qtbot.waitUntil(lambda: not pending(), timeout=timeout)
    process_events()


def type_text(widget: QWidget, text: str) -> None:
    """Type like a Chinese IME does: one committed string (keyClicks crashes on non-ASCII)."""
    target = widget.lineEdit() if isinstance(widget, QComboBox) and widget.isEditable() else widget
    target.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(target, event)


def wait_loaded(qtbot: Any, window: MainWindow) -> None:
    """Until the case list has its rows and its count."""
    qtbot.waitUntil(lambda: not window.model.loading and window.model.total is not None, timeout=10_000)

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def generated_name(i: int) -> str:
    """A distinct two- or three-character name per ``i`` (generated, never real)."""
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + (
        GIVEN[(i // (len(SURNAMES) * len(GIVEN))) % len(GIVEN)] if i >= len(SURNAMES) * len(GIVEN) else "")


def register(db: Database, actor: object, n: int, *, start: int = 0,
             applicant: str | None = None, respondent: str = "房东甲") -> list[int]:
    """Register ``n`` disputes in one transaction; applicant names are distinct."""
    ids = []
    with db.write() as s:
        for i in range(start, start + n):
            name = applicant or generated_name(i)
            data = dispute(parties=[person("applicant", name, seq=100 + i % 800, phone=f"138{i:08d}"),
                                    person("respondent", respondent, seq=900 - i % 800,
                                           phone=f"139{i:08d}")])
            ids.append(cases.register_case(s, actor, data).id)
    return ids


def accept(db: Database, desk: Desk, case_id: int, *, track: str = workflow.PEOPLE,
           mediator: int | None = None) -> None:
    with db.write() as s:
        cases.choose_track(s, desk.officer, case_id, track)
        cases.assign_mediator(s, desk.officer, case_id, mediator or desk.volunteer.user_id)
        cases.accept_case(s, desk.officer, case_id)


@dataclass(frozen=True)
class Populated:
    path: Path
    desk: Desk
    ids: list[int]
    accepted: list[int]


@pytest.fixture(scope="session")
def populated_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Populated:
    """A desk with BIG registered cases, the first 12 accepted (people's mediation), once per session."""
    path = tmp_path_factory.mktemp("populated") / "populated.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    desk = Desk(db)
    ids = register(db, desk.volunteer, BIG)
    accepted = ids[:12]
    for case_id in accepted:
        accept(db, desk, case_id)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return Populated(path, desk, ids, accepted)


@pytest.fixture
def populated(populated_template: Populated, tmp_path: Path) -> Iterator[tuple[Database, Populated]]:
    path = tmp_path / "populated.sqlite3"
    shutil.copy(populated_template.path, path)
    db = Database(f"sqlite:///{path}")
    yield db, populated_template
    wait_for_all()
    process_events()
    db.dispose()


@pytest.fixture
def window(qtbot: Any, populated: tuple[Database, Populated], ui_state: UiState) -> Iterator[MainWindow]:
    """The main window of the volunteer, shown, over the populated desk, its first page read."""
    db, pop = populated
    w = MainWindow(AppContext(db, pop.desk.volunteer), ui_state)
    qtbot.addWidget(w)
    w.show()
    wait_loaded(qtbot, w)
    yield w
    wait_for_all()
    process_events()


@pytest.fixture(scope="session", autouse=True)
def _bundled_font(qapp: QApplication) -> None:
    fonts.install_application_font(qapp)
    app_events.install(qapp)  # as mediation.ui.app does: every window gets the shared behaviour


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Settings, drafts and logs in the test's own directory; Chinese UI; no Op left running."""
    monkeypatch.setenv("MEDIATION_DATA_DIR", str(tmp_path / "data"))
    i18n.install("zh_CN")
    yield
    wait_for_all()
    process_events()
    i18n.install("zh_CN")


@pytest.fixture
def ui_state(tmp_path: Path) -> UiState:
    return UiState(tmp_path / "ui-state.ini")


@pytest.fixture
def desk(sqlite_db: Database) -> Desk:
    return Desk(sqlite_db)


@pytest.fixture
def ctx(sqlite_db: Database, desk: Desk) -> Iterator[AppContext]:
    """Logged in as the volunteer (the person at the desk most of the time)."""
    context = AppContext(sqlite_db, desk.volunteer)
    yield context
    wait_for_all()
    process_events()

