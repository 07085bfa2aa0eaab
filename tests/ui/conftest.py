"""Fixtures for the desktop tests: an initialised desk, cases made through the services, a main window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from mediation import workflow
from mediation.db import Database
from mediation.services import cases
from mediation.ui import fonts, i18n, tasks
from mediation.ui.context import AppContext
from mediation.ui.state import UiState
from tests.conftest import Desk
from tests.factories import dispute, person

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
            ids.append(cases.register_case(s, actor, data).id)  # type: ignore[arg-type]
    return ids


def accept(db: Database, desk: Desk, case_id: int, *, track: str = workflow.PEOPLE) -> None:
    with db.write() as s:
        cases.choose_track(s, desk.officer, case_id, track)
        cases.assign_mediator(s, desk.officer, case_id, desk.volunteer.user_id)
        cases.accept_case(s, desk.officer, case_id)


@pytest.fixture(scope="session", autouse=True)
def _bundled_font(qapp: QApplication) -> None:
    fonts.install_application_font(qapp)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Settings, drafts and logs in the test's own directory; Chinese UI; no Op left running."""
    monkeypatch.setenv("MEDIATION_DATA_DIR", str(tmp_path / "data"))
    i18n.install("zh_CN")
    yield
    tasks.wait_for_all()
    QApplication.processEvents()
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
    tasks.wait_for_all()
    QApplication.processEvents()


def today() -> dt.date:
    return dt.date.today()
