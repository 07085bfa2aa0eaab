"""The audit trail as a lazy table model: keyset pages from ``audit_view.list_entries``, read off the UI thread.

A new :class:`AuditQuery` resets the model and reads the first page; when the view
reaches the end of the rows, ``canFetchMore``/``fetchMore`` read the next page after
the last row's ``(at, id)``. Pages of an older query that arrive late are dropped
(every load carries a generation number). The total is counted separately, after the
first page is on screen.
"""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from mediation.services import audit_view
from mediation.services.audit_view import AuditEntry, AuditPage, AuditQuery
from mediation.timeutil import local
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp

PAGE_SIZE = 200
COL_AT, COL_USER, COL_ACTION, COL_ENTITY, COL_CASE, COL_FLAGS = range(6)
HEADERS: tuple[str, ...] = cast(tuple[str, ...], (
    QT_TRANSLATE_NOOP("AuditTableModel", "时间"),
    QT_TRANSLATE_NOOP("AuditTableModel", "人员"),
    QT_TRANSLATE_NOOP("AuditTableModel", "操作"),
    QT_TRANSLATE_NOOP("AuditTableModel", "对象"),
    QT_TRANSLATE_NOOP("AuditTableModel", "案件"),
    QT_TRANSLATE_NOOP("AuditTableModel", "提示"),
))
FLAG_BACKGROUND = QColor("#ffe2a1")
FLAG_FOREGROUND = QColor("#3b1f00")


def tr(text: str) -> str:
    return QCoreApplication.translate("AuditTableModel", text)


class AuditTableModel(QAbstractTableModel):
    """Lazy, read-only table of audit rows, newest first."""

    loading_changed = Signal(bool)
    count_changed = Signal(int)
    page_loaded = Signal(int)
    """Rows loaded so far, after each page."""
    load_failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = page_size
        self.query = AuditQuery()
        self.entries: list[AuditEntry] = []
        self._cursor: tuple[str, int] | None = None
        self._has_more = False
        self._loading = False
        self._generation = 0
        self.total: int | None = None

    # -- loading

    def set_query(self, query: AuditQuery) -> None:
        """Show what ``query`` finds, from its first page."""
        self._generation += 1
        self.query = query
        self.beginResetModel()
        self.entries = []
        self._cursor = None
        self._has_more = False
        self.total = None
        self.endResetModel()
        self._load(first=True)

    def reload(self) -> None:
        self.set_query(self.query)

    def _load(self, *, first: bool = False) -> None:
        generation = self._generation
        query, cursor, size = self.query, self._cursor, self.page_size
        self._set_loading(True)
        (ReadOp(self, lambda s, a: audit_view.list_entries(s, a, query, cursor=cursor, limit=size), ctx=self.ctx)
         .success(lambda page: self._on_page(generation, page, first))
         .failure(lambda exc: self._on_failed(generation, exc)).run())

    def _on_page(self, generation: int, page: AuditPage, first: bool) -> None:
        if generation != self._generation:
            return
        self._set_loading(False)
        if page.entries:
            start = len(self.entries)
            self.beginInsertRows(QModelIndex(), start, start + len(page.entries) - 1)
            self.entries.extend(page.entries)
            self.endInsertRows()
        self._cursor = page.cursor
        self._has_more = page.has_more
        self.page_loaded.emit(len(self.entries))
        if first:
            if not page.has_more:
                self._on_count(generation, len(page.entries))
            else:
                query = self.query
                (ReadOp(self, lambda s, a: audit_view.count_entries(s, a, query), ctx=self.ctx)
                 .success(lambda n: self._on_count(generation, n))
                 .failure(lambda exc: None).run())

    def _on_count(self, generation: int, n: int) -> None:
        if generation == self._generation:
            self.total = n
            self.count_changed.emit(n)

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._set_loading(False)
        self._has_more = False
        self.load_failed.emit(exc)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    @property
    def loading(self) -> bool:
        return self._loading

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self._has_more and not self._loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._load()

    # -- the table

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return tr(HEADERS[section])
        return None

    def entry(self, row: int) -> AuditEntry | None:
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        e = self.entry(index.row()) if index.isValid() else None
        if e is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_AT:
                return local(e.at).strftime("%Y-%m-%d %H:%M:%S")
            if col == COL_USER:
                return e.user_name or QCoreApplication.translate("AuditTableModel", "（系统）")
            if col == COL_ACTION:
                return e.action_label
            if col == COL_ENTITY:
                return f"{e.entity_label} {e.entity_id}" if e.entity_id is not None else e.entity_label
            if col == COL_CASE:
                if e.case_number or e.case_id is None:
                    return e.case_number
                return QCoreApplication.translate("AuditTableModel", "无编号（ID {id}）").format(id=e.case_id)
            if col == COL_FLAGS:
                return "、".join(e.flag_labels)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_ACTION:
            return e.action
        if role == Qt.ItemDataRole.BackgroundRole and e.flags:
            return FLAG_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and e.flags:
            return FLAG_FOREGROUND
        if role == Qt.ItemDataRole.UserRole:
            return e.id
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self.entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.entries) - 1, len(HEADERS) - 1))
