"""Operations: the session, the actor, the changes broadcast, progress with 取消, and failures."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediation.changes import Changes
from mediation.db import Database
from mediation.errors import NotFound
from mediation.models import Case
from mediation.permissions import Actor
from mediation.progress import Cancelled
from mediation.services import case_detail, case_records, cases
from mediation.services.cases import CaseRef
from mediation.ui.context import AppContext
from mediation.ui.operations import Job, ReadOp, Task, WriteOp, changes_of
from tests.conftest import Desk
from tests.factories import dispute
from tests.ui.conftest import wait_ops


class Host(QWidget):
    """A window with a context and a message line, as the real windows have."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.messages: list[tuple[str, str]] = []

    def show_message(self, text: str, level: str) -> None:
        self.messages.append((level, text))


@pytest.fixture
def host(qtbot: QtBot, ctx: AppContext) -> Iterator[Host]:
    widget = Host(ctx)
    qtbot.addWidget(widget)
    yield widget


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


def test_a_write_commits_and_tells_every_window_what_changed(qtbot: QtBot, host: Host, sqlite_db: Database) -> None:
    heard: list[Changes] = []
    host.ctx.operation_did_execute.connect(heard.append)
    refs: list[CaseRef] = []
    with qtbot.waitSignal(host.ctx.operation_did_execute, timeout=10_000):
        WriteOp(host, lambda s, a: cases.register_case(s, a, dispute())).success(refs.append).run()
    wait_ops(qtbot)
    # A CaseRef is that case, and the list (a case was added or its stage changed).
    assert heard == [Changes(case_ids=frozenset({refs[0].id}), cases_list=True)]
    assert _count(sqlite_db) == 1

    # What the result says and what the caller declares, together.
    case_id = refs[0].id
    with qtbot.waitSignal(host.ctx.operation_did_execute, timeout=10_000):
        (WriteOp(host, lambda s, a: case_records.add_note(s, a, case_id, "电话联系了双方"))
         .changes(Changes(case_ids=frozenset({case_id}))).run())
    assert heard[-1] == Changes(case_ids=frozenset({case_id}))


def test_a_write_whose_result_says_nothing_broadcasts_nothing(qtbot: QtBot, host: Host) -> None:
    heard: list[object] = []
    host.ctx.operation_did_execute.connect(heard.append)
    done: list[int] = []
    WriteOp(host, lambda s, a: 7).success(done.append).run()
    qtbot.waitUntil(lambda: done == [7], timeout=10_000)
    assert heard == []
    assert changes_of(7) == Changes() and changes_of(Changes(users=True)) == Changes(users=True)


def test_the_function_runs_as_the_user_who_asked(qtbot: QtBot, host: Host, desk: Desk) -> None:
    seen: list[str] = []

    def who(_s: Session, actor: Actor) -> str:
        time.sleep(0.05)  # the desk changes hands meanwhile
        return actor.username

    ReadOp(host, who).success(seen.append).run()
    host.ctx.set_actor(desk.officer)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == ["volunteer"]


def test_a_failure_is_shown_in_the_window_and_logged(qtbot: QtBot, host: Host,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mediation.ui.errors")

    def missing(s: Session, actor: Actor) -> object:
        return case_detail.get_case(s, actor, 999_999)

    ReadOp(host, missing).run()
    qtbot.waitUntil(lambda: bool(host.messages), timeout=10_000)
    assert host.messages[0][0] == "error" and host.messages[0][1]
    assert "NotFound" in caplog.text


def test_a_failure_given_to_a_handler_is_still_logged(qtbot: QtBot, host: Host,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mediation.ui.errors")
    got: list[BaseException] = []

    def fail() -> None:
        raise NotFound("没有这件案件。")

    Task(host, fail).failure(got.append).run()
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert isinstance(got[0], NotFound) and host.messages == []
    assert "NotFound" in caplog.text


def test_a_read_operation_cannot_write(qtbot: QtBot, host: Host, sqlite_db: Database) -> None:
    got: list[BaseException] = []
    ReadOp.job(host, lambda job: job.write(lambda s, a: cases.register_case(s, a, dispute()))) \
        .failure(got.append).run()
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert isinstance(got[0], RuntimeError) and _count(sqlite_db) == 0


def test_cancelled_after_the_last_step_keeps_nothing(qtbot: QtBot, host: Host, sqlite_db: Database) -> None:
    got: list[BaseException] = []
    op: WriteOp[object]

    def register_then_cancel(s: Session, actor: Actor) -> CaseRef:
        ref = cases.register_case(s, actor, dispute())
        op.cancel()  # 取消 pressed while the last step ran
        return ref

    op = WriteOp(host, register_then_cancel)
    op.failure(got.append).run()
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert isinstance(got[0], Cancelled) and _count(sqlite_db) == 0


def test_progress_dialog_follows_the_job_and_its_cancel_stops_it(qtbot: QtBot, host: Host,
                                                                  sqlite_db: Database) -> None:
    host.show()
    steps = 400

    def many(job: Job) -> int:
        def write(s: Session, actor: Actor) -> int:
            for i in range(steps):
                cases.register_case(s, actor, dispute())
                job.progress(i + 1, steps)
            return steps

        return job.write(write)

    op = WriteOp.job(host, many).with_progress("正在登记…", title="测试", cancellable=True)
    op.run()
    dialog = op.progress_dialog
    assert dialog is not None and dialog.windowTitle() == "测试"
    qtbot.waitUntil(lambda: dialog.maximum() == steps and dialog.value() > 0, timeout=10_000)
    button = dialog.findChild(QPushButton)
    assert button is not None and button.text() == "取消"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: op.finished, timeout=20_000)
    assert op.token.cancelled and _count(sqlite_db) == 0  # the transaction was rolled back
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert host.messages[-1][0] == "info"  # quietly, in the window's message line


def test_a_closed_windows_callbacks_are_skipped_but_its_changes_are_heard(qtbot: QtBot, ctx: AppContext) -> None:
    host = Host(ctx)
    heard: list[Changes] = []
    ctx.operation_did_execute.connect(heard.append)
    called: list[object] = []
    WriteOp(host, lambda s, a: cases.register_case(s, a, dispute())).success(called.append).run()
    host.deleteLater()
    qtbot.waitUntil(lambda: bool(heard), timeout=10_000)
    wait_ops(qtbot)
    assert not shiboken6.isValid(host) and called == []
    assert heard[0].cases_list  # the other windows still refresh


def test_a_window_without_a_context_is_told_so() -> None:
    with pytest.raises(TypeError, match="ctx"):
        ReadOp(QWidget(), lambda s, a: None).run()
