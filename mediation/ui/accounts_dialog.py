"""Administrator: everyone's account — create, disable/enable, unlock, change the term end date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateEdit, QHeaderView, QLabel, QPushButton, QTableWidgetItem, QWidget

from mediation.changes import Changes
from mediation.permissions import role_label
from mediation.services import accounts
from mediation.timeutil import fmt_local, local_today
from mediation.ui.context import AppContext
from mediation.ui.new_user_dialog import NewUserDialog
from mediation.ui.operations import SessionFn, WriteOp
from mediation.ui.widgets import BUSY_STYLE, RecordsDialog, hbox, pydate, set_texts, table_cell, today_qdate


class AccountsDialog(RecordsDialog):
    """Everyone's account: create, disable/enable, unlock, change the term end date."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, 6, parent)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.new_button, self.toggle_button, self.unlock_button = QPushButton(), QPushButton(), QPushButton()
        self.edit_button, self.reset_button = QPushButton(), QPushButton()
        self.expiry_button, self.no_end_button = QPushButton(), QPushButton()
        self.expiry_edit = QDateEdit(today_qdate().addMonths(5))
        self.expiry_edit.setCalendarPopup(True)
        self.expiry_edit.setDisplayFormat("yyyy-MM-dd")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(BUSY_STYLE)
        buttons = hbox(self.new_button, self.edit_button, self.reset_button, self.toggle_button, self.unlock_button,
                       None, self.expiry_edit, self.expiry_button, self.no_end_button)
        for button, slot in ((self.new_button, self._on_new_clicked), (self.toggle_button, self._on_toggle_clicked),
                             (self.edit_button, self._on_edit_clicked), (self.reset_button, self._on_reset_clicked),
                             (self.unlock_button, self._on_unlock_clicked),
                             (self.expiry_button, self._on_expiry_clicked),
                             (self.no_end_button, self._on_no_end_clicked)):
            button.clicked.connect(slot)
        ctx.operation_did_execute.connect(self._on_operation_did_execute)
        self.lay_out(self.hint, self.table, buttons, size=(760, 460))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("账户管理"))
        self.table.setHorizontalHeaderLabels([self.tr("用户名"), self.tr("姓名"), self.tr("角色"),
                                              self.tr("状态"), self.tr("有效期至"), self.tr("最近登录")])
        self.hint.setText(self.tr("每人一个账户，不要共用。值班学生的账户到学期结束日自动失效；"
                                  "输错密码 5 次会锁定 15 分钟，可在此提前解锁。"))
        set_texts((self.new_button, self.tr("新建账户…")), (self.unlock_button, self.tr("解锁")),
                  (self.edit_button, self.tr("修改姓名和角色…")), (self.reset_button, self.tr("重设密码…")),
                  (self.expiry_button, self.tr("设为有效期")), (self.no_end_button, self.tr("设为长期")))
        self.fill()

    def loader(self) -> SessionFn[list[accounts.UserInfo]]:
        return accounts.list_users

    def _status(self, u: accounts.UserInfo) -> str:
        if not u.active:
            return self.tr("已停用")
        if u.valid_until is not None and u.valid_until < local_today():
            return self.tr("已到期")
        if u.locked:
            return self.tr("已锁定")
        if u.must_change_password:
            return self.tr("待本人改密码")
        return self.tr("正常")

    def cells(self, u: accounts.UserInfo) -> list[QTableWidgetItem]:
        return [table_cell(u.username, u.id), table_cell(u.display_name), table_cell(role_label(u.role)),
                table_cell(self._status(u)), table_cell(u.valid_until.isoformat() if u.valid_until else self.tr("长期")),
                table_cell(fmt_local(u.last_login_at) if u.last_login_at else self.tr("从未登录"))]

    def select_username(self, username: str) -> None:
        self.select_where(lambda u: u.username == username)

    def selection_changed(self) -> None:
        u = self.selected()
        self.toggle_button.setText(self.tr("启用") if u is not None and not u.active else self.tr("停用"))
        for b in (self.toggle_button, self.unlock_button, self.expiry_button, self.edit_button, self.reset_button):
            b.setEnabled(u is not None)
        self.no_end_button.setEnabled(u is not None and u.valid_until is not None)

    def _update(self, *, active: bool | None = None, valid_until: dt.date | None = None,
                unlock: bool = False, no_end_date: bool = False) -> None:
        u = self.selected()
        if u is None:
            return
        new_active, user_id = u.active if active is None else active, u.id
        (WriteOp(self, lambda s, a: accounts.set_user_active(s, a, user_id, active=new_active, valid_until=valid_until,
                                                             unlock=unlock, no_end_date=no_end_date))
         .changes(Changes(users=True)).run())

    def _on_new_clicked(self) -> None:
        dialog = NewUserDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    def _on_edit_clicked(self) -> QWidget | None:
        u = self.selected()
        if u is None:
            return None
        from mediation.ui.edit_user_dialog import EditUserDialog

        dialog = EditUserDialog(self.ctx, u, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def _on_reset_clicked(self) -> QWidget | None:
        u = self.selected()
        if u is None:
            return None
        from mediation.ui.reset_password_dialog import ResetPasswordDialog

        dialog = ResetPasswordDialog(self.ctx, u, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def _on_toggle_clicked(self) -> None:
        u = self.selected()
        if u is not None:
            self._update(active=not u.active)

    def _on_unlock_clicked(self) -> None:
        self._update(unlock=True)

    def _on_expiry_clicked(self) -> None:
        self._update(valid_until=pydate(self.expiry_edit.date()))

    def _on_no_end_clicked(self) -> None:
        self._update(no_end_date=True)

    def _on_operation_did_execute(self, changes: object) -> None:
        if isinstance(changes, Changes) and changes.users:
            self.reload()
