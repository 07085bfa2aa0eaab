"""The case list as a lazy table model: keyset pages from ``caselist.list_cases`` loaded off the UI thread.

Filtering and sorting are done by SQL (a new :class:`CaseQuery` reloads the model);
``canFetchMore``/``fetchMore`` append the next page when the view scrolls to the end.
Rows are small named tuples, never ORM objects. Every page load carries a
generation number so a page from an older query (typed search, changed filter) is
dropped when it arrives late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, NamedTuple, cast

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
from PySide6.QtGui import QColor, QFont

from mediation import workflow
from mediation.db import Database
from mediation.permissions import Actor
from mediation.services import caselist, roster
from mediation.timeutil import desk_tz, local_today
from mediation.ui.context import AppContext
from mediation.ui.tasks import Op

PAGE_SIZE = 200

COL_NUMBER, COL_REGISTERED, COL_PARTIES, COL_CATEGORY, COL_TRACK, COL_STAGE, COL_MEDIATOR, COL_DEADLINE = range(8)
HEADERS: tuple[str, ...] = cast(tuple[str, ...], (
    QT_TRANSLATE_NOOP("CaseTableModel", "编号"),
    QT_TRANSLATE_NOOP("CaseTableModel", "登记日期"),
    QT_TRANSLATE_NOOP("CaseTableModel", "当事人"),
    QT_TRANSLATE_NOOP("CaseTableModel", "纠纷类别"),
    QT_TRANSLATE_NOOP("CaseTableModel", "调解类型"),
    QT_TRANSLATE_NOOP("CaseTableModel", "阶段"),
    QT_TRANSLATE_NOOP("CaseTableModel", "调解员"),
    QT_TRANSLATE_NOOP("CaseTableModel", "期限"),
))
SORT_KEYS: dict[int, str] = {
    COL_NUMBER: "number",
    COL_REGISTERED: "registered_at",
    COL_CATEGORY: "category",
    COL_STAGE: "stage",
    COL_DEADLINE: "deadline",
}
"""Columns the database can sort by (the others keep the current order)."""

OVERDUE_BACKGROUND = QColor("#f6c6c2")
DUE_SOON_BACKGROUND = QColor("#ffe2a1")
URGENT_FOREGROUND = QColor("#3b1f00")
MUTED_FOREGROUND = QColor("#6b6b6b")

NOT_URGENT, DUE_SOON, OVERDUE = 0, 1, 2

# Roles as plain ints: data() runs for every visible cell and role on each paint, and
# comparing ints is several times cheaper than comparing enum members.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def tr(text: str) -> str:
    return QCoreApplication.translate("CaseTableModel", text)


class CaseListItem(NamedTuple):
    """One row as shown: plain values computed in the worker thread.

    A tuple of atoms rather than a dataclass: the garbage collector stops tracking such
    tuples, so tens of thousands of loaded rows do not lengthen its full collections
    (which hold the GIL, and with it the UI thread).
    """

    id: int
    number: str | None
    registered: dt.date
    parties: str
    category: str
    subcategory: str
    track: str | None
    stage: str
    mediator: str
    deadline: dt.date | None
    deadline_label: str
    urgency: int
    version: int


@dataclass(frozen=True)
class _PageResult:
    items: list[CaseListItem]
    cursor: tuple[Any, ...] | None


def load_page(db: Database, actor: Actor, query: caselist.CaseQuery,
              cursor: tuple[Any, ...] | None, want: int) -> _PageResult:
    """Worker-thread function: the next ``want`` rows with their deadline urgency.

    Large jumps are read as consecutive service pages in one transaction.
    """
    items: list[CaseListItem] = []
    # Category, stage, mediator … repeat on every row: one shared string each saves
    # about a fifth of the memory of a long list.
    shared: dict[str, str] = {}

    def one(text: str) -> str:
        return shared.setdefault(text, text)

    tz = desk_tz()  # once, not per row: a 50,000-row jump spends its time in this loop
    urgency = roster.urgency
    with db.read() as s:
        today = local_today()
        until = roster.due_until(s, today)
        while True:
            page = caselist.list_cases(s, actor, query, cursor=cursor,
                                       limit=min(want - len(items), caselist.MAX_LIMIT))
            # Converted page by page, so a long jump never holds all service rows at once.
            for r in page.rows:
                deadline = r.deadline
                items.append(CaseListItem(
                    r.id, r.number, r.registered_at.astimezone(tz).date(), r.parties, one(r.category),
                    one(r.subcategory), r.track, one(r.stage), one(r.mediator), deadline,
                    one(r.deadline_label), urgency(deadline, today, until), r.version))
            cursor = page.cursor
            if cursor is None or len(items) >= want:
                break
    return _PageResult(items, cursor)


def count_rows(db: Database, actor: Actor, query: caselist.CaseQuery) -> int:
    with db.read() as s:
        return caselist.count_cases(s, actor, query)


class CaseTableModel(QAbstractTableModel):
    """Lazy, read-only table of cases."""

    loading_changed = Signal(bool)
    count_changed = Signal(int)
    """Total rows matching the query (all pages), once counted."""
    page_loaded = Signal(int)
    """Emitted with the number of rows loaded so far after each page."""
    load_failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._page_size = page_size
        self._query = caselist.CaseQuery()
        self._items: list[CaseListItem] = []
        self._cursor: tuple[Any, ...] | None = None
        self._has_more = False
        self._loading = False
        self._generation = 0
        self._total: int | None = None
        self._texts: dict[int, tuple[str, ...]] = {}
        self._replacing = False
        """Display texts per row, filled lazily; cleared on reset and language change."""
        self._bold = QFont()
        self._bold.setBold(True)

    # -- state -------------------------------------------------------------------------

    @property
    def query(self) -> caselist.CaseQuery:
        return self._query

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def total(self) -> int | None:
        return self._total

    def item(self, row: int) -> CaseListItem:
        return self._items[row]

    def case_id(self, row: int) -> int:
        return self._items[row].id

    def row_of(self, case_id: int) -> int | None:
        for i, it in enumerate(self._items):
            if it.id == case_id:
                return i
        return None

    def set_query(self, query: caselist.CaseQuery, *, load: bool = True) -> None:
        """Show the cases matching ``query`` (reloads from the first page unless ``load`` is False)."""
        self._query = query
        if load:
            self.reload()

    def reload(self) -> None:
        """Load the first page and the count again; the rows shown are swapped when it arrives.

        Keeping the old rows until then avoids painting an empty table in between (one
        paint less per keystroke in the search box, and no flicker).
        """
        if not self._ctx.has_actor:
            return
        self._generation += 1
        self._replacing = True
        self._cursor = None
        self._has_more = False  # the old query's next page must not be fetched meanwhile
        self._total = None
        self._set_loading(False)
        self._fetch(self._page_size)
        generation, query, db, actor = self._generation, self._query, self._ctx.db, self._ctx.actor
        Op(self, lambda: count_rows(db, actor, query)).success(
            lambda n: self._on_counted(generation, n)).failure(self._on_failed).run()

    def fetch_until(self, row: int) -> None:
        """Load every row up to ``row`` in one page (jumping far down the list)."""
        if row >= len(self._items) and self._has_more and not self._loading:
            self._fetch(row - len(self._items) + self._page_size)

    def retranslate(self) -> None:
        """Labels are translated at display time; tell the views to ask again."""
        self._texts = {}
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, len(HEADERS) - 1))

    # -- loading -----------------------------------------------------------------------

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _fetch(self, limit: int) -> None:
        self._set_loading(True)
        generation, query, cursor = self._generation, self._query, self._cursor
        db, actor = self._ctx.db, self._ctx.actor
        Op(self, lambda: load_page(db, actor, query, cursor, limit)).success(
            lambda page: self._on_page(generation, page)).failure(self._on_failed).run()

    def _on_page(self, generation: int, page: _PageResult) -> None:
        if generation != self._generation:
            return
        if self._replacing:
            self._replacing = False
            self.beginResetModel()
            self._items = list(page.items)
            self._texts = {}
            self.endResetModel()
        elif page.items:
            first = len(self._items)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self._items.extend(page.items)
            self.endInsertRows()
        self._cursor = page.cursor
        self._has_more = page.cursor is not None
        if not self._has_more and self._total is None:
            self._on_counted(generation, len(self._items))
        self._set_loading(False)
        self.page_loaded.emit(len(self._items))

    def _on_counted(self, generation: int, n: int) -> None:
        if generation == self._generation and n != self._total:
            self._total = n
            self.count_changed.emit(n)

    def _on_failed(self, exc: BaseException) -> None:
        if self._replacing:  # the old query's rows must not stay up as if they were the answer
            self._replacing = False
            self.beginResetModel()
            self._items, self._texts = [], {}
            self.endResetModel()
        self._has_more = False
        self._set_loading(False)
        self.load_failed.emit(exc)

    # -- QAbstractItemModel --------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self._has_more

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid() or not self._has_more or self._loading:
            return
        self._fetch(self._page_size)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return tr(HEADERS[section])
            if role == Qt.ItemDataRole.ToolTipRole:
                if section in SORT_KEYS:
                    return QCoreApplication.translate("CaseTableModel", "点击按此列排序")
                return QCoreApplication.translate("CaseTableModel", "此列不能排序")
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        row = index.row()
        if row < 0 or row >= len(self._items):
            return None
        role = int(role)
        col = index.column()
        if role == _DISPLAY:
            texts = self._texts.get(row)
            if texts is None:  # built once per row and language, for the rows actually shown
                it = self._items[row]
                texts = self._texts[row] = tuple(self._display(it, c) for c in range(len(HEADERS)))
            return texts[col]
        if role == _BACKGROUND:
            if col == COL_DEADLINE:
                urgency = self._items[row].urgency
                if urgency == OVERDUE:
                    return OVERDUE_BACKGROUND
                if urgency == DUE_SOON:
                    return DUE_SOON_BACKGROUND
            return None
        if role == _FOREGROUND:
            if col == COL_DEADLINE and self._items[row].urgency != NOT_URGENT:
                return URGENT_FOREGROUND
            if col == COL_NUMBER and not self._items[row].number:
                return MUTED_FOREGROUND
            return None
        if role == _FONT:
            if col == COL_DEADLINE and self._items[row].urgency == OVERDUE:
                return self._bold
            return None
        if role == _TOOLTIP:
            return self._tooltip(self._items[row], col)
        if role == _USER:
            return self._items[row].id
        return None

    def _display(self, it: CaseListItem, col: int) -> str:
        if col == COL_NUMBER:
            return it.number or QCoreApplication.translate("CaseTableModel", "（受理后编号）")
        if col == COL_REGISTERED:
            return it.registered.isoformat()
        if col == COL_PARTIES:
            return it.parties
        if col == COL_CATEGORY:
            return f"{it.category} / {it.subcategory}" if it.subcategory else it.category
        if col == COL_TRACK:
            return workflow.track_label(it.track)
        if col == COL_STAGE:
            return workflow.stage_label(it.stage)
        if col == COL_MEDIATOR:
            return it.mediator
        if col == COL_DEADLINE:
            if it.deadline is None:
                return ""
            if it.urgency == OVERDUE:
                return QCoreApplication.translate("CaseTableModel", "{date} 已逾期").format(date=it.deadline.isoformat())
            if it.urgency == DUE_SOON:
                return QCoreApplication.translate("CaseTableModel", "{date} 将到期").format(date=it.deadline.isoformat())
            return it.deadline.isoformat()
        return ""

    def _tooltip(self, it: CaseListItem, col: int) -> str | None:
        if col == COL_DEADLINE and it.deadline is not None:
            text = QCoreApplication.translate("CaseTableModel", "{label}：{date}").format(label=it.deadline_label or QCoreApplication.translate("CaseTableModel", "期限"),
                                                date=it.deadline.isoformat())
            if it.urgency == OVERDUE:
                text += QCoreApplication.translate("CaseTableModel", "（已逾期）")
            elif it.urgency == DUE_SOON:
                text += QCoreApplication.translate("CaseTableModel", "（2 个工作日内到期）")
            return text
        if col == COL_NUMBER and not it.number:
            return QCoreApplication.translate("CaseTableModel", "案件受理时自动编号")
        if col == COL_PARTIES:
            return it.parties
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort and descending == self._query.descending:
            return
        self.set_query(replace(self._query, sort=key, descending=descending))
