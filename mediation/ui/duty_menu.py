"""The main window's 值班 menu and its duty rules: check-in at login, the handover at logout.

* At login (the window opening, or another person logging in over the lock screen) the
  person is checked in to their shift on now (:func:`roster.check_in_at_login`).
* Logging out (closing the program) while checked in opens 签退与交接班 first; the person
  signs off with a handover, or leaves the shift open (it closes at its end, marked).
* The idle lock is none of this: it only covers the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from mediation.changes import Changes
from mediation.services import roster
from mediation.ui.handover_dialog import SIGNED_OFF, STAYED
from mediation.ui.operations import WriteOp

if TYPE_CHECKING:
    from mediation.ui.today_panel import TodayPanel


class DutyMenu(QObject):
    """Built by the main window once its menus and today panel exist."""

    def __init__(self, window: QMainWindow, today_panel: TodayPanel) -> None:
        super().__init__(window)
        self.ctx: Any = getattr(window, "ctx")  # noqa: B009 - the main window's context
        self._panel = today_panel
        self._leaving = False
        """The person chose (signed off, or left the shift open): the next close goes through."""
        self.windows: dict[str, QWidget] = {}
        self.menu = QMenu(window)
        before = self._menu_after(window)
        if before is not None:
            window.menuBar().insertMenu(before, self.menu)
        else:
            window.menuBar().addMenu(self.menu)
        self.check_action = self._action(window, self._on_check_triggered)
        self.my_duty_action = self._action(window, self._on_my_duty_triggered)
        self.roster_window_action = self._action(window, self._on_roster_window_triggered)
        self.overview_action = self._action(window, self._on_overview_triggered)
        self.menu.addAction(self.check_action)
        self.menu.addAction(self.my_duty_action)
        self.menu.addSeparator()
        self.menu.addAction(self.roster_window_action)
        self.menu.addAction(self.overview_action)
        self.ctx.actor_changed.connect(self._on_actor_changed)
        self.retranslate()
        self.apply_permissions()
        QTimer.singleShot(0, self.check_in_at_login)  # after the window's first page is asked for

    @staticmethod
    def _menu_after(window: QMainWindow) -> QAction | None:
        """The menu this one goes before (管理), so it sits beside 案件 and 查看."""
        actions = window.menuBar().actions()
        return actions[2] if len(actions) > 2 else None

    def _action(self, window: QMainWindow, slot: Any) -> QAction:
        action = QAction(window)
        action.triggered.connect(slot)
        window.addAction(action)
        return action

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("值班(&D)"))
        self.check_action.setText(self.tr("签到 / 签退与交接班…"))
        self.my_duty_action.setText(self.tr("我的值班与工时…"))
        self.roster_window_action.setText(self.tr("学期、志愿者与排班…"))
        self.overview_action.setText(self.tr("值班与工时总览…"))

    def apply_permissions(self) -> None:
        actor = self.ctx.actor if self.ctx.has_actor else None
        duty = actor is not None and actor.desk_id is not None and actor.can("roster.duty")
        self.check_action.setVisible(duty)
        self.my_duty_action.setVisible(duty)
        self.roster_window_action.setVisible(actor is not None and actor.can("roster.manage"))
        self.overview_action.setVisible(actor is not None and actor.can("roster.view"))

    # ---------------------------------------------------------------- login and logout

    def check_in_at_login(self) -> None:
        """Check the person just logged in to their shift on now (nothing if there is none)."""
        if not self.ctx.has_actor or self.ctx.actor.desk_id is None:
            return
        WriteOp(self, roster.check_in_at_login, ctx=self.ctx).changes(Changes(roster=True)).run()

    def _on_actor_changed(self, actor: object) -> None:
        self.apply_permissions()
        if actor is not None:
            self._leaving = False
            self.check_in_at_login()

    def allow_close(self) -> bool:
        """May the window close now? Not while its person is checked in and has not chosen:
        the handover opens, and the window closes once they sign off (or leave it open)."""
        if self._leaving or not self.ctx.has_actor:
            return True
        shift = self._panel.duty.on_duty_shift
        if shift is None:
            return True
        dialog = self._panel.duty.open_handover(shift, logout=True)
        dialog.finished_with.connect(self._on_handover_finished)  # type: ignore[attr-defined]
        return False

    def _on_handover_finished(self, outcome: str) -> None:
        if outcome in (SIGNED_OFF, STAYED):
            self._leaving = True
            window = self.parent()
            if isinstance(window, QWidget) and shiboken6.isValid(window):
                window.close()

    # ---------------------------------------------------------------- windows

    def _open(self, key: str, make: Any) -> None:
        window = self.windows.get(key)
        if window is None or not shiboken6.isValid(window):
            window = make()
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            self.windows[key] = window
        window.show()
        window.raise_()
        window.activateWindow()

    def _on_check_triggered(self) -> None:
        self._panel.duty.check_button.click()

    def _on_my_duty_triggered(self) -> None:
        from mediation.ui.my_duty_dialog import MyDutyDialog

        self._open("my_duty", lambda: MyDutyDialog(self.ctx, self._window()))

    def _on_roster_window_triggered(self) -> None:
        from mediation.ui.roster_window import RosterWindow

        self._open("roster", lambda: RosterWindow(self.ctx, self._window()))

    def _on_overview_triggered(self) -> None:
        from mediation.ui.roster_overview_window import RosterOverviewWindow

        self._open("overview", lambda: RosterOverviewWindow(self.ctx, self._window()))

    def _window(self) -> QWidget | None:
        window = self.parent()
        return window if isinstance(window, QWidget) else None
