"""Administrator: the desk's dispute categories, their sub-types and the sources — add, rename, reorder, retire.

Each list is the desk's own; a case refers to an item's id, so a new name shows on every
case that has it and statistics keep their rows; a retired item stays on the cases that
have it but is no longer offered. Every change is one audited service call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation.changes import Changes
from mediation.errors import ValidationError

from mediation.services import reference, setup
from mediation.services.reference import RefItem
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp, WriteOp
from mediation.ui.widgets import (
    BUSY_STYLE,
    HINT_COLOR,
    OK_STYLE,
    Retranslating,
    error_label,
    hbox,
    set_message,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.permissions import Actor


@dataclass(frozen=True)
class _Lists:
    desks: list[tuple[int, str]]
    desk_id: int | None
    categories: list[RefItem]
    subtypes: list[RefItem]
    sources: list[RefItem]


class ReferenceColumn(QWidget):
    """One list (categories, sub-types or sources) with a name box and its buttons."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.list = QListWidget()
        self.list.setObjectName(f"ref_{kind}_list")
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(reference.LABEL_LENGTH)
        self.add_button, self.rename_button = QPushButton(), QPushButton()
        self.up_button, self.down_button, self.retire_button = QPushButton(), QPushButton(), QPushButton()
        for b in (self.add_button, self.rename_button, self.up_button, self.down_button, self.retire_button):
            b.setAutoDefault(False)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.name_edit)
        layout.addLayout(hbox(self.add_button, self.rename_button))
        layout.addLayout(hbox(self.up_button, self.down_button, self.retire_button))
        layout.addWidget(self.error)
        self.items: list[RefItem] = []
        self.list.currentRowChanged.connect(self._on_current_row_changed)

    def show_items(self, items: list[RefItem], select_id: int | None = None) -> None:
        current = self.selected()
        keep = select_id if select_id is not None else (current.id if current is not None else None)
        self.items = list(items)
        self.list.blockSignals(True)
        self.list.clear()
        for it in items:
            text = it.label if it.active else self.tr("{label}（已停用）").format(label=it.label)
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, it.id)
            if not it.active:
                row.setForeground(QColor(HINT_COLOR))
            self.list.addItem(row)
        ids = [it.id for it in items]
        self.list.setCurrentRow(ids.index(keep) if keep in ids else -1)
        self.list.blockSignals(False)
        self._on_current_row_changed(self.list.currentRow())

    def selected(self) -> RefItem | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def select_label(self, label: str) -> None:
        for row, it in enumerate(self.items):
            if it.label == label:
                self.list.setCurrentRow(row)
                return

    def _on_current_row_changed(self, _row: int) -> None:
        it = self.selected()
        for b in (self.rename_button, self.up_button, self.down_button, self.retire_button):
            b.setEnabled(it is not None)
        self.retire_button.setText(self.tr("重新启用") if it is not None and not it.active else self.tr("停用"))
        if it is not None:
            self.name_edit.setText(it.label)


class ReferenceEditor(Retranslating, QWidget):
    """The three lists of one desk, side by side; sub-types follow the selected category."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.desk_id: int | None = ctx.actor.desk_id if ctx.has_actor else None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet(BUSY_STYLE)
        self.desk_label = QLabel()
        self.desk_combo = QComboBox()
        self.desk_combo.currentIndexChanged.connect(self._on_desk_changed)
        self.categories = ReferenceColumn("category")
        self.subtypes = ReferenceColumn("subtype")
        self.sources = ReferenceColumn("source")
        self.result = error_label()
        grid = QGridLayout()
        for col, column in enumerate((self.categories, self.subtypes, self.sources)):
            grid.addWidget(column, 0, col)
            grid.setColumnStretch(col, 1)
            column.add_button.clicked.connect(lambda _c=False, c=column: self._add(c))
            column.rename_button.clicked.connect(lambda _c=False, c=column: self._rename(c))
            column.up_button.clicked.connect(lambda _c=False, c=column: self._move(c, -1))
            column.down_button.clicked.connect(lambda _c=False, c=column: self._move(c, 1))
            column.retire_button.clicked.connect(lambda _c=False, c=column: self._toggle(c))
        self.categories.list.currentRowChanged.connect(self._on_category_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(hbox(self.desk_label, (self.desk_combo, 1)))
        layout.addLayout(grid, 1)
        layout.addWidget(self.result)
        self.desk_label.hide()
        self.desk_combo.hide()
        self._all_subtypes: list[RefItem] = []
        self.loaded = False
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "登记纠纷和咨询时可选的类别、具体类型和来源。改名后，已登记的案件随之显示新名称，统计不受影响；"
            "不再使用的项请“停用”：已有案件保留原项，新案件不再可选。"))
        self.desk_label.setText(self.tr("调解点："))
        for column, title in ((self.categories, self.tr("纠纷类别")), (self.subtypes, self.tr("具体类型（所选类别下）")),
                              (self.sources, self.tr("纠纷来源"))):
            column.title.setText(title)
            column.name_edit.setPlaceholderText(self.tr("名称"))
            column.add_button.setText(self.tr("添加"))
            column.rename_button.setText(self.tr("改名"))
            column.up_button.setText(self.tr("上移"))
            column.down_button.setText(self.tr("下移"))
            column._on_current_row_changed(column.list.currentRow())

    # ---------------------------------------------------------------- reading

    def reload(self, select: dict[str, int] | None = None) -> None:
        wanted = self.desk_id

        def load(s: Session, actor: Actor) -> _Lists:
            desks = [(d.id, d.name) for d in setup.list_desks(s) if actor.may_write_desk(d.id)]
            desk_id = wanted if wanted is not None else (desks[0][0] if desks else None)
            if desk_id is None:
                return _Lists(desks, None, [], [], [])
            return _Lists(desks, desk_id,
                          reference.items(s, actor, desk_id, "category", include_retired=True),
                          reference.items(s, actor, desk_id, "subtype", include_retired=True),
                          reference.items(s, actor, desk_id, "source", include_retired=True))

        ReadOp(self, load).success(lambda lists: self._on_loaded(lists, select or {})).run()

    def _on_loaded(self, lists: _Lists, select: dict[str, int]) -> None:
        self.desk_id = lists.desk_id
        several = len(lists.desks) > 1 and not (self.ctx.has_actor and self.ctx.actor.desk_id is not None)
        self.desk_label.setVisible(several)
        self.desk_combo.setVisible(several)
        self.desk_combo.blockSignals(True)
        self.desk_combo.clear()
        for desk_id, name in lists.desks:
            self.desk_combo.addItem(name, desk_id)
        self.desk_combo.setCurrentIndex(max(0, self.desk_combo.findData(lists.desk_id)))
        self.desk_combo.blockSignals(False)
        self._all_subtypes = lists.subtypes
        self.categories.show_items(lists.categories, select.get("category"))
        self.sources.show_items(lists.sources, select.get("source"))
        self._show_subtypes(select.get("subtype"))
        self.loaded = True

    def _on_desk_changed(self, _index: int) -> None:
        data = self.desk_combo.currentData()
        self.desk_id = int(data) if data is not None else None
        self.reload()

    def _on_category_changed(self, _row: int) -> None:
        self._show_subtypes()

    def _show_subtypes(self, select_id: int | None = None) -> None:
        cat = self.categories.selected()
        subs = [s for s in self._all_subtypes if cat is not None and s.category_id == cat.id]
        self.subtypes.show_items(subs, select_id)
        self.subtypes.add_button.setEnabled(cat is not None)
        self.subtypes.name_edit.setEnabled(cat is not None)

    # ---------------------------------------------------------------- changing

    def _run(self, column: ReferenceColumn, fn: Callable[[Session, Actor], object], done: str,
             select_id: int | None = None) -> None:
        set_message(column.error, "")
        set_message(self.result, "")

        def ok(result: object) -> None:
            chosen = result if isinstance(result, int) and select_id is None else select_id
            select = {column.kind: chosen} if chosen is not None else {}
            if column is self.subtypes and self.categories.selected() is not None:
                cat = self.categories.selected()
                assert cat is not None
                select["category"] = cat.id
            set_message(self.result, done, OK_STYLE)
            self.reload(select)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                set_message(column.error, "；".join(exc.errors.values()))
            else:
                from mediation.ui.errors import present_failure

                present_failure(self, exc)

        WriteOp(self, fn).changes(Changes(settings=True, cases_list=True)).success(ok).failure(failed).run()

    def _add(self, column: ReferenceColumn) -> None:
        desk_id, label = self.desk_id, column.name_edit.text()
        if desk_id is None:
            return
        kind = column.kind
        parent = self.categories.selected()
        parent_id = parent.id if parent is not None and kind == "subtype" else None
        self._run(column, lambda s, a: reference.add_item(s, a, desk_id, kind, label, category_id=parent_id),
                  self.tr("已添加“{label}”。").format(label=label.strip()))

    def _rename(self, column: ReferenceColumn) -> None:
        it = column.selected()
        if it is None:
            return
        label, kind, item_id = column.name_edit.text(), column.kind, it.id
        self._run(column, lambda s, a: reference.rename_item(s, a, kind, item_id, label),
                  self.tr("已把“{old}”改名为“{new}”；已登记的案件随之显示新名称。").format(old=it.label, new=label.strip()),
                  item_id)

    def _move(self, column: ReferenceColumn, step: int) -> None:
        it = column.selected()
        if it is None:
            return
        kind, item_id = column.kind, it.id
        self._run(column, lambda s, a: reference.move_item(s, a, kind, item_id, step),
                  self.tr("已调整顺序。"), item_id)

    def _toggle(self, column: ReferenceColumn) -> None:
        it = column.selected()
        if it is None:
            return
        kind, item_id, active = column.kind, it.id, not it.active
        done = (self.tr("已重新启用“{label}”。") if active else
                self.tr("已停用“{label}”：已有案件保留，新登记时不再可选。")).format(label=it.label)
        self._run(column, lambda s, a: reference.set_item_active(s, a, kind, item_id, active), done, item_id)


__all__ = ["ReferenceEditor"]
