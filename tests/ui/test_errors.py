"""present_failure: each kind of failure where the window wants it, a crash dialog for bugs, one log line each."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from mediation.errors import Conflict, PermissionDenied, StorageError, ValidationError
from mediation.progress import Cancelled
from mediation.ui.errors import present_failure
from tests.ui.conftest import on_modal


class Plain(QWidget):
    """A window that implements none of the protocols."""


class Form(QWidget):
    """A window that marks fields, resolves conflicts and has a message line."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.conflicts: list[str] = []
        self.messages: list[tuple[str, str]] = []

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        self.fields.update(errors)

    def show_conflict(self, message: str) -> None:
        self.conflicts.append(message)

    def show_message(self, text: str, level: str) -> None:
        self.messages.append((level, text))


@dataclass(frozen=True)
class Shown:
    title: str
    text: str
    informative: str
    detailed: str
    icon: QMessageBox.Icon


@contextmanager
def modal_boxes() -> Iterator[list[Shown]]:
    """Close every modal message box as it appears; the list holds what each showed."""
    seen: list[Shown] = []

    def close(box: QWidget) -> bool:
        if isinstance(box, QMessageBox):
            seen.append(Shown(box.windowTitle(), box.text(), box.informativeText(), box.detailedText(), box.icon()))
            box.done(0)
        return False  # keep watching: more may come

    with on_modal(close):
        yield seen


@pytest.fixture
def form(qtbot: QtBot) -> Form:
    widget = Form()
    qtbot.addWidget(widget)
    return widget


def test_bad_input_marks_the_fields(form: Form, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mediation.ui.errors")
    present_failure(form, ValidationError({"name": "请填写姓名。", "phone": "电话号码应为 11 位。"}))
    assert form.fields == {"name": "请填写姓名。", "phone": "电话号码应为 11 位。"}
    assert form.messages == []
    assert "ValidationError (name, phone)" in caplog.text
    assert "请填写姓名" not in caplog.text  # the log says what kind, never what was typed


def test_a_conflict_keeps_the_input_and_offers_the_new_version(form: Form) -> None:
    present_failure(form, Conflict("该案件已被其他人修改。"))
    assert form.conflicts == ["该案件已被其他人修改。"] and form.fields == {}


def test_known_problems_go_to_the_message_line(form: Form) -> None:
    present_failure(form, PermissionDenied("您的角色不能执行此操作。"))
    assert form.messages == [("error", "您的角色不能执行此操作。")]


def test_cancelled_is_quiet(qtbot: QtBot, form: Form, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mediation.ui.errors")
    plain = Plain()
    qtbot.addWidget(plain)
    with modal_boxes() as boxes:
        present_failure(plain, Cancelled())
        qtbot.wait(100)
    assert boxes == []
    present_failure(form, Cancelled())
    assert form.messages == [("info", Cancelled().message)]
    assert "cancelled" in caplog.text


def test_without_a_message_line_a_calm_box_says_it(qtbot: QtBot) -> None:
    plain = Plain()
    qtbot.addWidget(plain)
    with modal_boxes() as boxes:
        present_failure(plain, StorageError("数据库被锁定，请稍后再试。"))
        present_failure(plain, Conflict("该案件已被其他人修改。"))
    assert [b.title for b in boxes] == ["数据库问题", "内容已被他人修改"]
    assert boxes[0].icon == QMessageBox.Icon.Warning and "数据库被锁定" in boxes[0].text
    assert "仍保留在窗口中" in boxes[1].text


def test_a_bug_gets_the_crash_dialog_with_the_log_path(qtbot: QtBot, form: Form,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError as exc:
        bug = exc
    with modal_boxes() as boxes:
        present_failure(form, bug)
        present_failure(form, bug)  # shown again, logged once
    assert [b.title for b in boxes] == ["程序出错", "程序出错"]
    assert boxes[0].icon == QMessageBox.Icon.Critical and "mediation.log" in boxes[0].informative
    assert "ZeroDivisionError" in boxes[0].detailed
    assert form.messages == []  # a bug is not a message for the form's banner
    assert caplog.text.count("unexpected error") == 1 and "Traceback" in caplog.text
