"""The case list as a lazy table model: keyset pages from ``caselist.list_cases`` loaded off the UI thread.

Filtering and sorting are done by SQL (a new :class:`CaseQuery` reloads the model).
The first page comes first; ``canFetchMore``/``fetchMore`` append the next page by
keyset when the view reaches the end of the rows. Once the cases are counted the model
has that many rows, so the scroll bar spans the whole list: rows not read yet are
placeholders, and the page holding a row is read when the view first asks for it,
continuing from the nearest page already read (its keyset cursor plus the rows in
between, stepped over by the database). Dragging the scroll bar to row 50,000 reads
one page, not the 49,800 rows before it.

Counting does not hold the list up (issue 13): a query whose count is not kept (a search,
"my cases", dates) is first counted up to ``caselist.COUNT_CAP`` rows, which takes
milliseconds; past that the list says "1000+" and grows page by page, and the exact count
(a second at a million cases) is read afterwards on the slow reads' own thread, once the
query has stayed the same for ``EXACT_COUNT_DELAY_MS`` (typing does not start one per
keystroke; one started for an older query is dropped).

Rows are small named tuples, never ORM objects. Every load carries a generation number
so a page from an older query (typed search, changed filter) is dropped when it
arrives late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from mediation import workflow
from mediation.permissions import Actor
from mediation.services import caselist, roster
from mediation.timeutil import desk_tz, local_today
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp, SlowReadOp

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

PAGE_SIZE = 200
COUNT_WAIT_MS = 60
"""How long a new query's first page waits for its count before it is shown without it."""
EXACT_COUNT_DELAY_MS = 300
"""How long a query whose first count was capped must stay unchanged before its exact count is read."""

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


def load_page(s: Session, actor: Actor, query: caselist.CaseQuery,
              cursor: tuple[Any, ...] | None, want: int, skip: int = 0) -> _PageResult:
    """Worker-thread function: ``want`` rows (after ``cursor``, past ``skip`` more) with their deadline urgency."""
    items: list[CaseListItem] = []
    # Category, stage, mediator … repeat on every row: one shared string each saves
    # about a fifth of the memory of a long list.
    shared: dict[str, str] = {}

    def one(text: str) -> str:
        return shared.setdefault(text, text)

    tz = desk_tz()  # once, not per row
    urgency = roster.urgency
    today = local_today()
    until = roster.due_until(s, today)
    while True:
        page = caselist.list_cases(s, actor, query, cursor=cursor, skip=skip,
                                   limit=min(want - len(items), caselist.MAX_LIMIT))
        skip = 0
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


def count_rows(s: Session, actor: Actor, query: caselist.CaseQuery) -> int:
    """Worker-thread function: how many cases ``query`` finds."""
    return caselist.count_cases(s, actor, query)


def count_rows_capped(s: Session, actor: Actor, query: caselist.CaseQuery) -> caselist.CaseCount:
    """Worker-thread function: how many cases ``query`` finds, up to ``caselist.COUNT_CAP``."""
    return caselist.count_cases_capped(s, actor, query, cap=caselist.COUNT_CAP)


class CaseTableModel(QAbstractTableModel):
    """Lazy, read-only table of cases."""

    loading_changed = Signal(bool)
    count_changed = Signal(int)
    """Total rows matching the query (all pages), once counted."""
    count_capped = Signal(int)
    """More than this many rows match (the first count stopped there); the exact count follows."""
    page_loaded = Signal(int)
    """Emitted with the row count (placeholders included) after each page is read."""
    load_failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._page_size = page_size
        self._query = caselist.CaseQuery()
        self._rows = 0
        """Rows the views see: the pages read so far, then the rest of the count as placeholders."""
        self._pages: dict[int, list[CaseListItem]] = {}
        """Page number → its rows (page p holds rows p·size … p·size + size − 1)."""
        self._ends: dict[int, tuple[Any, ...] | None] = {}
        """Page number → the keyset cursor after its last row (None: nothing after it)."""
        self._loading_pages: set[int] = set()
        self._failed_pages: set[int] = set()
        """Pages of this query that could not be read: not tried again (and no further
        error box) until the list is reloaded, e.g. with 刷新."""
        self._wanted: dict[int, None] = {}
        """Pages a view asked for and not yet requested, oldest first (the newest is read first)."""
        self._dispatch = QTimer(self)
        self._dispatch.setSingleShot(True)
        self._dispatch.setInterval(0)
        self._dispatch.timeout.connect(self._load_wanted)
        self._held: tuple[int, int, _PageResult] | None = None
        """A new query's first page waiting (briefly) for the count: one reset and one paint, not two."""
        self._hold_timer = QTimer(self)
        self._hold_timer.setSingleShot(True)
        self._hold_timer.setInterval(COUNT_WAIT_MS)
        self._hold_timer.timeout.connect(self._release_held)
        self._loading = False
        self._generation = 0
        self._total: int | None = None
        self._at_least: int | None = None
        """The first count stopped here: more rows than this match (until the exact count)."""
        self._exact_timer = QTimer(self)
        self._exact_timer.setSingleShot(True)
        self._exact_timer.timeout.connect(self._count_exactly)
        self._texts: dict[int, tuple[str, ...]] = {}
        """Display texts per row, filled lazily; cleared on reset and language change."""
        self._replacing = False
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

    @property
    def more_than(self) -> int | None:
        """While the exact count is awaited after a capped one: more than this many rows match."""
        return self._at_least if self._total is None else None

    def is_loaded(self, row: int) -> bool:
        """Whether ``row`` has been read (rows not read yet show as placeholders)."""
        return self._item(row) is not None

    def item(self, row: int) -> CaseListItem:
        it = self._item(row)
        if it is None:
            raise LookupError(f"row {row} is not loaded yet")
        return it

    def case_id(self, row: int) -> int | None:
        """The case shown in ``row``; None while that row is still being read."""
        it = self._item(row)
        return None if it is None else it.id

    def row_of(self, case_id: int) -> int | None:
        for page, items in self._pages.items():
            for i, it in enumerate(items):
                if it.id == case_id:
                    return page * self._page_size + i
        return None

    def _item(self, row: int) -> CaseListItem | None:
        if not 0 <= row < self._rows:
            return None
        items = self._pages.get(row // self._page_size)
        if items is None:
            return None
        i = row % self._page_size
        return items[i] if i < len(items) else None

    def set_query(self, query: caselist.CaseQuery, *, load: bool = True) -> None:
        """Show the cases matching ``query`` (reloads from the first page unless ``load`` is False)."""
        self._query = query
        if load:
            self.reload()
        else:  # pages read for the old query must not be continued with the new one
            self._generation += 1
            self._replacing = True

    def reload(self) -> None:
        """Load the first page and the count again; the rows shown are swapped when it arrives.

        Keeping the old rows until then avoids painting an empty table in between (one
        paint less per keystroke in the search box, and no flicker).
        """
        if not self.ctx.has_actor:
            return
        self._generation += 1
        self._replacing = True
        self._loading_pages.clear()
        self._failed_pages.clear()
        self._wanted.clear()
        self._held = None
        self._hold_timer.stop()
        self._total = None
        self._at_least = None
        self._exact_timer.stop()
        self._load(0)
        self._recount()

    def fetch_until(self, row: int) -> None:
        """Make sure ``row`` is read (a jump far down the list: one page is read, not the rows before it)."""
        if self._replacing or row < 0:
            return
        if row >= self._rows:
            if not self.canFetchMore(QModelIndex()):
                return
            row = self._rows  # not counted yet: the next page
        self._want(row // self._page_size)

    def retranslate(self) -> None:
        """Labels are translated at display time; tell the views to ask again."""
        self._texts = {}
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, len(HEADERS) - 1))

    # -- loading -----------------------------------------------------------------------

    def _update_loading(self) -> None:
        loading = bool(self._loading_pages)
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _want(self, page: int) -> None:
        """A view needs ``page``: read it soon (after the paint that asked)."""
        if (self._replacing or page in self._pages or page in self._loading_pages
                or page in self._failed_pages):
            return
        self._wanted.pop(page, None)
        self._wanted[page] = None
        while len(self._wanted) > 8:  # scrolled past long ago: a view still showing it asks again
            del self._wanted[next(iter(self._wanted))]
        if not self._dispatch.isActive():
            self._dispatch.start()

    def _load_wanted(self) -> None:
        """Read the page asked for last; one placeholder page at a time, so a fast drag
        of the scroll bar does not queue every page it passed."""
        if self._replacing or self._loading_pages:
            return  # resumed when the page in flight arrives
        while self._wanted:
            page = next(reversed(self._wanted))
            del self._wanted[page]
            if page not in self._pages and page * self._page_size < max(self._rows, 1) and self._load(page):
                return

    def _load(self, page: int) -> bool:
        """Read ``page``: after the nearest page before it that is read, stepping over the rows between."""
        before = [p for p in self._pages if p < page] if page and not self._replacing else []
        if before:
            nearest = max(before)
            cursor, skip = self._ends.get(nearest), (page - nearest - 1) * self._page_size
            if cursor is None:
                return False  # the list ends before this page
        else:
            cursor, skip = None, page * self._page_size
        self._loading_pages.add(page)
        self._update_loading()
        generation, query, size = self._generation, self._query, self._page_size
        ReadOp(self, lambda s, a: load_page(s, a, query, cursor, size, skip)).success(
            lambda result: self._on_page(generation, page, result)).failure(
            lambda exc: self._on_page_failed(generation, page, exc)).run()
        return True

    def _on_page(self, generation: int, page: int, result: _PageResult) -> None:
        if generation != self._generation:
            return
        if self._replacing and self._total is None and result.cursor is not None:
            # The count usually follows within milliseconds: wait for it, so the view
            # lays out and paints the new rows once, with the scroll bar for all of them.
            self._held = (generation, page, result)
            self._hold_timer.start()
            return
        self._apply_page(page, result)

    def _release_held(self) -> None:
        held, self._held = self._held, None
        self._hold_timer.stop()
        if held is not None and held[0] == self._generation:
            self._apply_page(held[1], held[2])

    def _apply_page(self, page: int, result: _PageResult) -> None:
        generation = self._generation
        self._loading_pages.discard(page)
        size = self._page_size
        items = result.items
        if self._replacing:
            self._replacing = False
            self.beginResetModel()
            self._pages = {0: items} if items else {}
            self._ends = {0: result.cursor}
            self._texts = {}
            self._rows = len(items)
            if result.cursor is not None and self._total is not None:
                self._rows = max(self._rows, self._total)
            self.endResetModel()
        else:
            first = page * size
            self._pages[page] = items
            self._ends[page] = result.cursor
            for row in range(first, first + size):
                self._texts.pop(row, None)
            end = first + len(items)
            if end > self._rows:  # the next page by fetchMore, or cases added since the count
                self.beginInsertRows(QModelIndex(), self._rows, end - 1)
                self._rows = end
                self.endInsertRows()
                if self._total is not None and end > self._total:
                    self._total = end
                    self.count_changed.emit(end)
            if result.cursor is None and end < self._rows:
                # The list is shorter than counted (cases went elsewhere meanwhile).
                self._truncate(end)
                if not items and page > 0:
                    # Reached by stepping over rows that are no longer there: count again
                    # rather than shrink one page per read.
                    self._recount()
                else:
                    self._on_counted(generation, end)
            if items:
                self.dataChanged.emit(self.index(first, 0), self.index(end - 1, len(HEADERS) - 1))
        if result.cursor is None and self._total is None:
            self._on_counted(generation, page * size + len(items))
        self._update_loading()
        self.page_loaded.emit(self._rows)
        if self._wanted and not self._dispatch.isActive():
            self._dispatch.start()

    def _on_counted(self, generation: int, n: int) -> None:
        if generation != self._generation:
            return
        if n != self._total:
            self._total = n
            if self._held is not None:
                self._release_held()  # the new rows and the count in one reset
            elif not self._replacing and n > self._rows and self._tail_continues():
                # The rest of the list as placeholders: each page is read when it is shown.
                self.beginInsertRows(QModelIndex(), self._rows, n - 1)
                self._rows = n
                self.endInsertRows()
            elif not self._replacing and n < self._rows:
                self._truncate(n)  # fewer cases than when first counted
            self.count_changed.emit(n)

    def _truncate(self, rows: int) -> None:
        """Remove the rows from ``rows`` on (and the pages that hold only such rows)."""
        size = self._page_size
        self.beginRemoveRows(QModelIndex(), rows, self._rows - 1)
        self._rows = rows
        for p in [p for p in self._pages if p * size >= max(rows, 1)]:
            del self._pages[p]
            self._ends.pop(p, None)
        for row in [r for r in self._texts if r >= rows]:
            del self._texts[row]
        self.endRemoveRows()

    def _recount(self) -> None:
        """Count up to the cap at once; past it, the exact count follows (:meth:`_count_exactly`)."""
        generation, query = self._generation, self._query
        self._exact_timer.stop()
        ReadOp(self, lambda s, a: count_rows_capped(s, a, query)).success(
            lambda c: self._on_capped(generation, c)).failure(
            lambda exc: self._on_count_failed(generation, exc)).run()

    def _on_capped(self, generation: int, counted: caselist.CaseCount) -> None:
        if generation != self._generation:
            return
        if counted.exact:
            self._on_counted(generation, counted.n)
            return
        if self._total is not None:
            return  # the last page came first and said how many there are
        self._at_least = counted.n
        if self._held is not None:
            self._release_held()  # the first page now, its rows growing page by page
        self.count_capped.emit(counted.n)
        self._exact_timer.start(EXACT_COUNT_DELAY_MS)

    def _count_exactly(self) -> None:
        """The exact count of a query whose first count was capped, on the slow reads' thread."""
        generation, query = self._generation, self._query
        if self._total is not None or self._at_least is None:
            return

        def count(s: Session, a: Actor) -> int | None:
            if generation != self._generation:
                return None  # queued behind an older count while the query changed: not needed
            return count_rows(s, a, query)

        SlowReadOp(self, count).success(
            lambda n: None if n is None else self._on_counted(generation, n)).failure(
            lambda exc: self._on_count_failed(generation, exc)).run()

    def _tail_continues(self) -> bool:
        """The last row shown ends a page that has more rows after it."""
        if self._rows == 0 or self._rows % self._page_size:
            return False
        last = self._rows // self._page_size - 1
        return last in self._pages and self._ends.get(last) is not None

    def _on_page_failed(self, generation: int, page: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading_pages.discard(page)
        first_failure = not self._failed_pages
        self._failed_pages.add(page)
        if page * self._page_size < self._rows:  # its rows now say so instead of "…"
            last = min(self._rows, (page + 1) * self._page_size) - 1
            self.dataChanged.emit(self.index(page * self._page_size, 0), self.index(last, len(HEADERS) - 1))
        if first_failure or self._replacing:
            self._on_failed(exc)  # one error box per query, not one per repaint
        else:
            self._update_loading()
        if self._wanted and not self._dispatch.isActive():
            self._dispatch.start()

    def _on_count_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return  # an older query's count: its rows are gone already
        if self._held is not None:
            self._release_held()  # the rows without their count
        self._on_failed(exc)

    def _on_failed(self, exc: BaseException) -> None:
        if self._replacing:  # the old query's rows must not stay up as if they were the answer
            self._replacing = False
            self.beginResetModel()
            self._pages, self._ends, self._texts, self._rows = {}, {}, {}, 0
            self._total = None
            self.endResetModel()
        self._update_loading()
        self.load_failed.emit(exc)

    # -- QAbstractItemModel --------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and not self._replacing and self._tail_continues()

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        page = self._rows // self._page_size
        if page not in self._loading_pages:
            self._load(page)

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
        if row < 0 or row >= self._rows:
            return None
        it = self._item(row)
        if it is None:  # a placeholder: its page is read after this paint
            page = row // self._page_size
            if page in self._failed_pages:
                if role == _DISPLAY and index.column() == COL_NUMBER:
                    return QCoreApplication.translate("CaseTableModel", "（未能载入，请刷新）")
                return None
            self._want(page)
            return "…" if role == _DISPLAY and index.column() == COL_NUMBER else None
        role = int(role)
        col = index.column()
        if role == _DISPLAY:
            texts = self._texts.get(row)
            if texts is None:  # built once per row and language, for the rows actually shown
                texts = self._texts[row] = tuple(self._display(it, c) for c in range(len(HEADERS)))
            return texts[col]
        if role == _BACKGROUND:
            if col == COL_DEADLINE:
                if it.urgency == OVERDUE:
                    return OVERDUE_BACKGROUND
                if it.urgency == DUE_SOON:
                    return DUE_SOON_BACKGROUND
            return None
        if role == _FOREGROUND:
            if col == COL_DEADLINE and it.urgency != NOT_URGENT:
                return URGENT_FOREGROUND
            if col == COL_NUMBER and not it.number:
                return MUTED_FOREGROUND
            return None
        if role == _FONT:
            if col == COL_DEADLINE and it.urgency == OVERDUE:
                return self._bold
            return None
        if role == _TOOLTIP:
            return self._tooltip(it, col)
        if role == _USER:
            return it.id
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
