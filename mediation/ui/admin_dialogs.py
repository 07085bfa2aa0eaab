"""Administrator dialogs: accounts, duty roster, holiday calendar, and "back up now"."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt, QTime, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from mediation.config import data_dir
from mediation.errors import ValidationError
from mediation.permissions import ROLES, VOLUNTEER, role_label
from mediation.services import accounts, deadlines, roster
from mediation.timeutil import desk_tz, local, local_today
from mediation.ui.context import AppContext, Changes
from mediation.ui.errors import show_exception
from mediation.ui.login_dialog import BUSY_STYLE, ERROR_STYLE
from mediation.ui.tasks import Op
from mediation.ui.widgets import open_result_box, record_table

WARNING_STYLE = "background: #fff4ce; color: #5c3c00; padding: 6px; border: 1px solid #e8c66a;"


def _cell(text: str, data: Any = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _today() -> QDate:
    """Today at the desk (Asia/Shanghai), not on the machine's clock zone."""
    d = local_today()
    return QDate(d.year, d.month, d.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def pytime(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


# ====================================================================== accounts


class NewUserDialog(QDialog):
    """Create a personal account; volunteers get the end of their term as expiry date."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.username_edit = QLineEdit()
        self.display_name_edit = QLineEdit()
        self.role_combo = QComboBox()
        for code in ROLES:
            self.role_combo.addItem(role_label(code), code)
        self.role_combo.setCurrentIndex(self.role_combo.findData(VOLUNTEER))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.expires_check = QCheckBox()
        self.expires_check.setChecked(True)
        self.valid_until_edit = QDateEdit(_today().addMonths(5))
        self.valid_until_edit.setCalendarPopup(True)
        self.valid_until_edit.setDisplayFormat("yyyy-MM-dd")
        self.expires_check.toggled.connect(self.valid_until_edit.setEnabled)
        # Volunteers leave with their term; officers, advisers and administrators do not.
        self.role_combo.currentIndexChanged.connect(
            lambda _i: self.expires_check.setChecked(self.role_combo.currentData() == VOLUNTEER))
        self.errors: dict[str, QLabel] = {k: _error_label() for k in
                                         ("username", "display_name", "role", "password", "valid_until")}
        self.general_error = _error_label()
        self._labels = [QLabel() for _ in range(5)]
        form = QFormLayout()
        rows: list[tuple[QWidget, str]] = [
            (self.username_edit, "username"), (self.display_name_edit, "display_name"),
            (self.role_combo, "role"), (self.password_edit, "password"),
        ]
        for label, (widget, key) in zip(self._labels, rows):
            label.setBuddy(widget)
            form.addRow(label, widget)
            form.addRow("", self.errors[key])
        expiry = QHBoxLayout()
        expiry.addWidget(self.expires_check)
        expiry.addWidget(self.valid_until_edit, 1)
        form.addRow(self._labels[4], expiry)
        form.addRow("", self.errors["valid_until"])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("新建账户"))
        for label, text in zip(self._labels, (self.tr("用户名："), self.tr("姓名："), self.tr("角色："),
                                              self.tr("初始密码："), self.tr("有效期至："))):
            label.setText(text)
        self.username_edit.setPlaceholderText(self.tr("例如学号或姓名拼音，不含空格"))
        self.password_edit.setPlaceholderText(self.tr("至少 8 位，含字母和数字"))
        self.expires_check.setText(self.tr("到期后不能登录（值班学生按学期结束日）"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_save_clicked(self) -> None:
        for label in list(self.errors.values()) + [self.general_error]:
            label.hide()
        db, actor = self._ctx.db, self._ctx.actor
        username, name = self.username_edit.text(), self.display_name_edit.text()
        role, password = str(self.role_combo.currentData()), self.password_edit.text()
        until = pydate(self.valid_until_edit.date()) if self.expires_check.isChecked() else None

        def create() -> int:
            with db.write() as s:
                return accounts.create_user(s, actor, username=username, display_name=name, role=role,
                                            password=password, desk_id=actor.desk_id, valid_until=until)

        self.buttons.setEnabled(False)
        Op(self, create, write=True).success(self._on_created).failure(self._on_create_failed).run()

    def _on_created(self, _user_id: int) -> None:
        self._ctx.did_execute(Changes(users=True))
        self.accept()

    def _on_create_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            for key, message in exc.errors.items():
                label = self.errors.get(key, self.general_error)
                label.setText(message)
                label.show()
            return
        show_exception(self, exc)


class AccountsDialog(QDialog):
    """Everyone's account: create, disable/enable, unlock, change the term end date."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._users: list[accounts.UserInfo] = []
        self.table = record_table(5)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.new_button = QPushButton()
        self.toggle_button = QPushButton()
        self.unlock_button = QPushButton()
        self.expiry_button = QPushButton()
        self.no_end_button = QPushButton()
        self.expiry_edit = QDateEdit(_today().addMonths(5))
        self.expiry_edit.setCalendarPopup(True)
        self.expiry_edit.setDisplayFormat("yyyy-MM-dd")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(BUSY_STYLE)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.toggle_button, self.unlock_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.expiry_edit)
        buttons.addWidget(self.expiry_button)
        buttons.addWidget(self.no_end_button)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.close_buttons)
        self.resize(760, 460)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.toggle_button.clicked.connect(self._on_toggle_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.expiry_button.clicked.connect(self._on_expiry_clicked)
        self.no_end_button.clicked.connect(self._on_no_end_clicked)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        ctx.operation_did_execute.connect(self._on_operation_did_execute)
        self._retranslate()
        self.reload()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("账户管理"))
        self.table.setHorizontalHeaderLabels([self.tr("用户名"), self.tr("姓名"), self.tr("角色"),
                                              self.tr("状态"), self.tr("有效期至")])
        self.hint.setText(self.tr("每人一个账户，不要共用。值班学生的账户到学期结束日自动失效；"
                                  "输错密码 5 次会锁定 15 分钟，可在此提前解锁。"))
        self.new_button.setText(self.tr("新建账户…"))
        self.unlock_button.setText(self.tr("解锁"))
        self.expiry_button.setText(self.tr("设为有效期"))
        self.no_end_button.setText(self.tr("设为长期"))
        self._on_selection_changed()
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def reload(self) -> None:
        db, actor = self._ctx.db, self._ctx.actor

        def load() -> list[accounts.UserInfo]:
            with db.read() as s:
                return accounts.list_users(s, actor)

        Op(self, load).success(self._on_loaded).run()

    def _on_loaded(self, users: list[accounts.UserInfo]) -> None:
        self._users = users
        self._fill()

    def _status(self, u: accounts.UserInfo) -> str:
        if not u.active:
            return self.tr("已停用")
        if u.valid_until is not None and u.valid_until < local_today():
            return self.tr("已到期")
        if u.locked:
            return self.tr("已锁定")
        return self.tr("正常")

    def _fill(self) -> None:
        self.table.setRowCount(len(self._users))
        for row, u in enumerate(self._users):
            self.table.setItem(row, 0, _cell(u.username, u.id))
            self.table.setItem(row, 1, _cell(u.display_name))
            self.table.setItem(row, 2, _cell(role_label(u.role)))
            self.table.setItem(row, 3, _cell(self._status(u)))
            self.table.setItem(row, 4, _cell(u.valid_until.isoformat() if u.valid_until else self.tr("长期")))
        self._on_selection_changed()

    def selected(self) -> accounts.UserInfo | None:
        row = self.table.currentRow()
        return self._users[row] if 0 <= row < len(self._users) else None

    def select_username(self, username: str) -> None:
        for row, u in enumerate(self._users):
            if u.username == username:
                self.table.selectRow(row)

    def _on_selection_changed(self) -> None:
        u = self.selected()
        self.toggle_button.setText(self.tr("启用") if u is not None and not u.active else self.tr("停用"))
        for b in (self.toggle_button, self.unlock_button, self.expiry_button):
            b.setEnabled(u is not None)
        self.no_end_button.setEnabled(u is not None and u.valid_until is not None)

    def _update(self, *, active: bool | None = None, valid_until: dt.date | None = None,
                unlock: bool = False, no_end_date: bool = False) -> None:
        u = self.selected()
        if u is None:
            return
        db, actor = self._ctx.db, self._ctx.actor
        new_active = u.active if active is None else active

        def update() -> None:
            with db.write() as s:
                accounts.set_user_active(s, actor, u.id, active=new_active, valid_until=valid_until,
                                         unlock=unlock, no_end_date=no_end_date)

        Op(self, update, write=True).success(lambda _r: self._ctx.did_execute(Changes(users=True))).run()

    def _on_new_clicked(self) -> None:
        dialog = NewUserDialog(self._ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

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


# ====================================================================== roster


class RosterDialog(QDialog):
    """Who is on duty on a day; add or remove shifts."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._shifts: list[roster.ShiftView] = []
        self._users: list[accounts.UserInfo] = []
        self.day_edit = QDateEdit(_today())
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.table = record_table(4)
        # Who is on duty must show in full; the note takes what is left.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.user_combo = QComboBox()
        self.start_edit = QTimeEdit(QTime(9, 0))
        self.end_edit = QTimeEdit(QTime(12, 0))
        for e in (self.start_edit, self.end_edit):
            e.setDisplayFormat("HH:mm")
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(200)
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.error = _error_label()
        self.day_label, self.add_label = QLabel(), QLabel()
        top = QHBoxLayout()
        top.addWidget(self.day_label)
        top.addWidget(self.day_edit)
        top.addStretch(1)
        top.addWidget(self.remove_button)
        add = QHBoxLayout()
        add.addWidget(self.add_label)
        add.addWidget(self.user_combo, 1)
        add.addWidget(self.start_edit)
        add.addWidget(QLabel("–"))
        add.addWidget(self.end_edit)
        add.addWidget(self.note_edit, 1)
        add.addWidget(self.add_button)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(add)
        layout.addWidget(self.error)
        layout.addWidget(self.close_buttons)
        self.resize(760, 420)
        self.day_edit.dateChanged.connect(self._on_day_changed)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self._retranslate()
        self._load_users()
        self.reload()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("值班安排"))
        self.day_label.setText(self.tr("日期："))
        self.add_label.setText(self.tr("添加班次："))
        self.note_edit.setPlaceholderText(self.tr("备注（可空）"))
        self.add_button.setText(self.tr("添加"))
        self.remove_button.setText(self.tr("删除所选班次"))
        self.table.setHorizontalHeaderLabels([self.tr("值班人员"), self.tr("时间"), self.tr("签到情况"),
                                              self.tr("备注")])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._fill()
        super().changeEvent(event)

    def _load_users(self) -> None:
        db, actor = self._ctx.db, self._ctx.actor

        def load() -> list[accounts.UserInfo]:
            with db.read() as s:
                return [u for u in accounts.list_users(s, actor) if u.active]

        Op(self, load).success(self._on_users_loaded).run()

    def _on_users_loaded(self, users: list[accounts.UserInfo]) -> None:
        self._users = users
        self.user_combo.clear()
        for u in users:
            self.user_combo.addItem(f"{u.display_name}（{role_label(u.role)}）", u.id)

    def reload(self) -> None:
        db, actor, day = self._ctx.db, self._ctx.actor, pydate(self.day_edit.date())

        def load() -> list[roster.ShiftView]:
            with db.read() as s:
                return roster.shifts_on(s, actor, day)

        Op(self, load).success(self._on_loaded).run()

    def _on_loaded(self, shifts: list[roster.ShiftView]) -> None:
        self._shifts = shifts
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self._shifts))
        for row, s in enumerate(self._shifts):
            if s.present:
                status = self.tr("在岗（{t} 签到）").format(t=local(s.checked_in_at).strftime("%H:%M")
                                                      if s.checked_in_at else "")
            elif s.checked_out_at is not None:
                status = self.tr("已签退")
            else:
                status = self.tr("未签到")
            times = f"{local(s.starts_at):%H:%M}–{local(s.ends_at):%H:%M}"
            self.table.setItem(row, 0, _cell(f"{s.user_name}（{s.role_label}）", s.id))
            self.table.setItem(row, 1, _cell(times))
            self.table.setItem(row, 2, _cell(status))
            self.table.setItem(row, 3, _cell(s.note))

    def _on_day_changed(self, _date: QDate) -> None:
        self.reload()

    def _on_add_clicked(self) -> None:
        self.error.hide()
        user_id = self.user_combo.currentData()
        if user_id is None:
            return
        day = pydate(self.day_edit.date())
        start = dt.datetime.combine(day, pytime(self.start_edit.time()), tzinfo=desk_tz())
        end = dt.datetime.combine(day, pytime(self.end_edit.time()), tzinfo=desk_tz())
        note = self.note_edit.text()
        db, actor = self._ctx.db, self._ctx.actor

        def add() -> int:
            with db.write() as s:
                return roster.add_shift(s, actor, user_id=int(user_id), starts_at=start, ends_at=end, note=note)

        Op(self, add, write=True).success(self._on_changed).failure(self._on_failed).run()

    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._shifts):
            return
        shift_id = self._shifts[row].id
        db, actor = self._ctx.db, self._ctx.actor

        def remove() -> None:
            with db.write() as s:
                roster.remove_shift(s, actor, shift_id)

        Op(self, remove, write=True).success(self._on_changed).failure(self._on_failed).run()

    def _on_changed(self, _result: object) -> None:
        self.note_edit.clear()
        self._ctx.did_execute(Changes())
        self.reload()

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.error.setText(exc.message)
            self.error.show()
            return
        show_exception(self, exc)


# ====================================================================== holidays


class HolidayDialog(QDialog):
    """The holiday calendar of one year: days off and swapped working days (调休)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, year: int | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rows: list[deadlines.HolidayRow] = []
        self._known = True
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(year or local_today().year)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        self.table = record_table(4)
        self.known_check = QCheckBox()
        first = _today() if self.year_spin.value() == local_today().year else QDate(self.year_spin.value(), 1, 1)
        self.day_edit = QDateEdit(first)
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.holiday_radio = QRadioButton()
        self.workday_radio = QRadioButton()
        self.normal_radio = QRadioButton()
        self.holiday_radio.setChecked(True)
        self.kind_group = QButtonGroup(self)
        for b in (self.holiday_radio, self.workday_radio, self.normal_radio):
            self.kind_group.addButton(b)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(30)
        self.set_button = QPushButton()
        self.error = _error_label()
        self.year_label = QLabel()
        self.edit_label = QLabel()

        top = QHBoxLayout()
        top.addWidget(self.year_label)
        top.addWidget(self.year_spin)
        top.addStretch(1)
        top.addWidget(self.known_check)
        edit = QHBoxLayout()
        edit.addWidget(self.edit_label)
        edit.addWidget(self.day_edit)
        edit.addWidget(self.holiday_radio)
        edit.addWidget(self.workday_radio)
        edit.addWidget(self.normal_radio)
        edit.addWidget(self.name_edit, 1)
        edit.addWidget(self.set_button)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)
        layout.addLayout(edit)
        layout.addWidget(self.error)
        layout.addWidget(self.close_buttons)
        self.resize(820, 520)
        self.year_spin.valueChanged.connect(self._on_year_changed)
        self.set_button.clicked.connect(self._on_set_clicked)
        self.known_check.clicked.connect(self._on_known_clicked)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self._retranslate()
        self.reload()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("节假日与调休"))
        self.year_label.setText(self.tr("年份："))
        self.known_check.setText(self.tr("本年安排已按国务院通知核对"))
        self.edit_label.setText(self.tr("日期："))
        self.holiday_radio.setText(self.tr("放假"))
        self.workday_radio.setText(self.tr("调休上班"))
        self.normal_radio.setText(self.tr("恢复正常"))
        self.name_edit.setPlaceholderText(self.tr("节日名称，如“国庆节”"))
        self.set_button.setText(self.tr("设置"))
        self.table.setHorizontalHeaderLabels([self.tr("日期"), self.tr("类型"), self.tr("名称"), self.tr("来源")])
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def reload(self) -> None:
        db, year = self._ctx.db, self.year_spin.value()

        def load() -> tuple[list[deadlines.HolidayRow], bool]:
            with db.read() as s:
                return deadlines.list_year(s, year), deadlines.calendar(s).is_known(year)

        Op(self, load).success(self._on_loaded).run()

    def _on_loaded(self, result: tuple[list[deadlines.HolidayRow], bool]) -> None:
        self._rows, self._known = result
        self._fill()

    def _fill(self) -> None:
        year = self.year_spin.value()
        self.warning.setText(self.tr(
            "{year} 年的放假安排尚未录入或核对：期限暂按周一至周五计算。请按国务院办公厅的放假通知"
            "录入放假日和调休上班日，然后勾选“本年安排已按国务院通知核对”。").format(year=year))
        self.warning.setVisible(not self._known)
        self.known_check.setChecked(self._known)
        kinds = {"holiday": self.tr("放假"), "workday": self.tr("调休上班")}
        sources = {"chinese_calendar": self.tr("内置日历"), "manual": self.tr("手工录入")}
        self.table.setRowCount(len(self._rows))
        for row, r in enumerate(self._rows):
            self.table.setItem(row, 0, _cell(r.day.isoformat(), r.day.isoformat()))
            self.table.setItem(row, 1, _cell(kinds.get(r.kind, r.kind)))
            self.table.setItem(row, 2, _cell(r.name))
            self.table.setItem(row, 3, _cell(sources.get(r.source, r.source)))

    def _on_year_changed(self, year: int) -> None:
        self.day_edit.setDate(QDate(year, self.day_edit.date().month(), 1))
        self.reload()

    def _on_selection_changed(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._rows):
            r = self._rows[row]
            self.day_edit.setDate(QDate(r.day.year, r.day.month, r.day.day))
            self.name_edit.setText(r.name)
            (self.holiday_radio if r.kind == "holiday" else self.workday_radio).setChecked(True)

    def _on_set_clicked(self) -> None:
        self.error.hide()
        day = pydate(self.day_edit.date())
        kind = ("holiday" if self.holiday_radio.isChecked() else
                "workday" if self.workday_radio.isChecked() else None)
        name = self.name_edit.text()
        db, actor = self._ctx.db, self._ctx.actor

        def save() -> None:
            with db.write() as s:
                deadlines.set_day(s, actor, day, kind, name)

        Op(self, save, write=True).success(self._on_saved).failure(self._on_failed).run()

    def _on_known_clicked(self, checked: bool) -> None:
        db, actor, year = self._ctx.db, self._ctx.actor, self.year_spin.value()

        def save() -> None:
            with db.write() as s:
                deadlines.mark_year_known(s, actor, year, checked)

        Op(self, save, write=True).success(self._on_saved).failure(self._on_failed).run()

    def _on_saved(self, _result: None) -> None:
        # Deadlines of open cases are recomputed by the service; the list may show new dates.
        self._ctx.did_execute(Changes(settings=True, cases_list=True))
        self.reload()

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.error.setText(exc.message)
            self.error.show()
            return
        show_exception(self, exc)


# ====================================================================== backup


def default_backup_name() -> str:
    return f"mediation-backup-{dt.datetime.now():%Y%m%d-%H%M}.sqlite3"


def start_backup(ctx: AppContext, parent: QWidget, path: Path | None = None) -> QProgressDialog | None:
    """Ask where to, then copy the database off the UI thread, with progress and 取消."""
    from mediation.services.backup import BackupCancelled
    from mediation.services.backup import backup as backup_fn

    if path is None:
        suggested = str(data_dir() / "backups" / default_backup_name())
        (data_dir() / "backups").mkdir(parents=True, exist_ok=True)
        chosen, _filter = QFileDialog.getSaveFileName(
            parent, QCoreApplication.translate("backup", "备份数据库到…"), suggested, QCoreApplication.translate("backup", "SQLite 数据库 (*.sqlite3)"))
        if not chosen:
            return None
        path = Path(chosen)
    progress = QProgressDialog(QCoreApplication.translate("backup", "正在备份数据库，请稍候…"), QCoreApplication.translate("backup", "取消"), 0, 100, parent)
    progress.setWindowTitle(QCoreApplication.translate("backup", "立即备份"))
    progress.setMinimumDuration(300)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    db, actor = ctx.db, ctx.actor
    target = path
    cancelled = threading.Event()
    share = {"done": 0, "total": 0}

    def step(done: int, total: int) -> None:  # worker thread
        if cancelled.is_set():
            raise BackupCancelled()
        share["done"], share["total"] = done, total

    def show() -> None:
        if share["total"] and not cancelled.is_set():
            progress.setValue(int(100 * share["done"] / share["total"]))

    timer = QTimer(progress)
    timer.setInterval(100)
    timer.timeout.connect(show)
    timer.start()

    finished = threading.Event()

    def show_cancelling() -> None:  # QProgressDialog hides itself on 取消: keep it up until stopped
        if finished.is_set():
            return
        progress.setCancelButton(None)
        progress.setRange(0, 0)
        progress.setLabelText(QCoreApplication.translate("backup", "正在取消…"))
        progress.show()

    def on_cancel() -> None:
        cancelled.set()
        QTimer.singleShot(0, show_cancelling)

    progress.canceled.connect(on_cancel)

    def finish() -> None:
        finished.set()
        timer.stop()
        progress.canceled.disconnect(on_cancel)
        progress.close()
        progress.deleteLater()


    def done(result: Any) -> None:
        finish()
        box = QMessageBox(QMessageBox.Icon.Information, QCoreApplication.translate("backup", "备份完成"),
                          QCoreApplication.translate("backup", "数据库已备份到：\n{path}").format(path=str(getattr(result, "path", target))),
                          QMessageBox.StandardButton.Ok, parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.setObjectName("backupDoneBox")
        open_result_box(parent, box)

    def failed(exc: BaseException) -> None:
        finish()
        if isinstance(exc, BackupCancelled):
            box = QMessageBox(QMessageBox.Icon.Information, QCoreApplication.translate("backup", "备份已取消"), exc.message,
                              QMessageBox.StandardButton.Ok, parent)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            box.setObjectName("backupCancelledBox")
            open_result_box(parent, box)
            return
        show_exception(parent, exc)

    Op(parent, lambda: backup_fn(db, target, actor=actor, progress=step)).success(done).failure(failed).run()
    return progress

