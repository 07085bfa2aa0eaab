"""The supervision entries of the main window (issue 15 items 5–6), added through its existing API.

:func:`install` adds a 督导 menu (审计日志…, 抽卷评查…), shown to those allowed, and the
评查 findings section of the today panel, in which the people who worked a case see what
the review found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QListWidgetItem, QMenu, QVBoxLayout, QWidget

from mediation.permissions import Actor
from mediation.services import case_review, roster
from mediation.timeutil import local
from mediation.ui.context import AppContext
from mediation.ui.models.case_table_model import DUE_SOON_BACKGROUND
from mediation.ui.today_panel import TodaySection, _list, _placeholder
from mediation.ui.widgets import Retranslating

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.ui.main_window import MainWindow


class ReviewFindingsSection(TodaySection):
    """评查发现的问题: findings of the last weeks on cases the person mediated or registered."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.findings: list[case_review.FindingView] = []
        self.list = _list()
        self.list.itemActivated.connect(self._on_item_activated)
        QVBoxLayout(self).addWidget(self.list)
        self.hide()  # until there is something to show
        self.retranslate()

    def load(self, session: Session, actor: Actor, overview: roster.TodayOverview) -> object:
        return case_review.findings_for(session, actor)

    def present(self, data: object) -> None:
        assert isinstance(data, list)
        self.findings = data
        self._show()

    def retranslate(self) -> None:
        self.setToolTip(self.tr("抽卷评查中，您办理的案件被发现的问题（近 60 天）"))
        self._show()

    def _show(self) -> None:
        self.setTitle(self.tr("评查发现的问题（{n}）").format(n=len(self.findings)))
        self.list.clear()
        self.setVisible(bool(self.findings))
        if not self.findings:
            _placeholder(self.list, self.tr("没有评查发现的问题"))
            return
        for f in self.findings:
            item = QListWidgetItem(f"{f.kind_label}：{f.text} · {f.parties}")
            item.setToolTip("\n".join([f.case_number, f.parties, f"{f.kind_label}：{f.text}",
                                       self.tr("{who} 于 {when} 评查").format(
                                           who=f.reviewer, when=local(f.reviewed_at).strftime("%Y-%m-%d"))]))
            item.setBackground(DUE_SOON_BACKGROUND)
            item.setData(Qt.ItemDataRole.UserRole, f.case_id)
            self.list.addItem(item)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(case_id, int):
            self.case_activated.emit(case_id)


class SupervisionMenu(Retranslating, QMenu):
    """The 督导 menu of a main window: its actions, their texts and who sees them.

    A menu of its own (a widget gets the language change itself), so nothing watches the
    main window's events; it keeps no Python reference to the window (a reference cycle
    between Qt wrappers may be collected in a worker thread, deleting the window there).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window.menuBar())
        self.ctx = window.ctx
        self.audit_action = QAction(window)
        self.audit_action.triggered.connect(self.open_audit_viewer)
        self.review_action = QAction(window)
        self.review_action.triggered.connect(self.open_case_review)
        self.addAction(self.audit_action)
        self.addAction(self.review_action)
        # Before 帮助, which stays last.
        window.menuBar().insertMenu(window.help_menu.menuAction(), self)
        self.ctx.actor_changed.connect(self._apply_permissions)
        self.retranslate()
        self._apply_permissions()

    @property
    def menu(self) -> QMenu:
        return self

    def retranslate(self) -> None:
        self.setTitle(self.tr("督导(&U)"))
        self.audit_action.setText(self.tr("审计日志…"))
        self.audit_action.setToolTip(self.tr("查看、核验和导出审计日志"))
        self.review_action.setText(self.tr("抽卷评查…"))

    def _apply_permissions(self, _actor: object = None) -> None:
        actor = self.ctx.actor if self.ctx.has_actor else None
        audit_ok = actor is not None and actor.can("audit.view")
        review_ok = actor is not None and actor.can("review.conduct")
        self.audit_action.setVisible(audit_ok)
        self.review_action.setVisible(review_ok)
        self.menuAction().setVisible(audit_ok or review_ok)

    def open_audit_viewer(self) -> None:
        from mediation.ui.audit_viewer import AuditViewerWindow

        self._open(AuditViewerWindow(self.ctx, self._main_window()))

    def open_case_review(self) -> None:
        from mediation.ui.case_review_window import CaseReviewWindow

        self._open(CaseReviewWindow(self.ctx, self._main_window()))

    def _main_window(self) -> QWidget | None:
        bar = self.parentWidget()
        return bar.window() if bar is not None else None

    def _open(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()


def install(window: MainWindow) -> SupervisionMenu:
    """The 督导 menu and the today panel's 评查 section, on ``window``."""
    window.today_panel.add_section(ReviewFindingsSection(window.ctx))
    menu = SupervisionMenu(window)
    # Attributes of the window like its own actions: kept alive with it, and the window
    # catalogue (tests/ui/window_catalogue.py) triggers them with the other menu actions.
    window.supervision = menu  # type: ignore[attr-defined]  # added by this module, not declared by MainWindow
    window.audit_log_action = menu.audit_action  # type: ignore[attr-defined]  # as above
    window.case_review_action = menu.review_action  # type: ignore[attr-defined]  # as above
    return menu
