"""The week's timetable as a grid (times of day × weekdays) whose cells list who is on each slot;
people are put on a slot by dragging them from the list of candidates (or from another slot),
or by picking them and pressing the window's button."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QMimeData, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QListWidget, QListWidgetItem, QTableWidget, QWidget

from mediation import volunteering
from mediation.i18n import _
from mediation.permissions import OFFICER
from mediation.services.roster import timetable

MIME = "application/x-mediation-roster"
"""What is dragged: ``user:<id>`` (a candidate) or ``shift:<id>`` (someone already on a slot)."""
UNCOVERED = QColor("#fde2e1")
FLAGGED = QColor("#a4262c")
NO_SLOT = QColor("#f2f2f2")


def drag_data(kind: str, ident: int) -> QMimeData:
    data = QMimeData()
    data.setData(MIME, QByteArray(f"{kind}:{ident}".encode()))
    return data


def dropped(data: QMimeData) -> tuple[str, int] | None:
    if not data.hasFormat(MIME):
        return None
    kind, _sep, ident = bytes(data.data(MIME).data()).decode().partition(":")
    return (kind, int(ident)) if kind in ("user", "shift") and ident.isdigit() else None


class CandidateList(QListWidget):
    """The people who may be put on a shift (drag them onto a slot)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def show_candidates(self, people: tuple[timetable.Candidate, ...]) -> None:
        self.clear()
        for p in people:
            item = QListWidgetItem(p.label)
            item.setData(Qt.ItemDataRole.UserRole, p.user_id)
            if p.status is not None and (p.status not in volunteering.SCHEDULABLE or not p.trained):
                item.setForeground(FLAGGED)
                item.setToolTip(_("尚未完成岗前培训") if not p.trained else volunteering.status_label(p.status))
            self.addItem(item)

    def current_user(self) -> int | None:
        item = self.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:  # Qt's name
        return drag_data("user", int(items[0].data(Qt.ItemDataRole.UserRole))) if items else QMimeData()

    def mimeTypes(self) -> list[str]:  # Qt's name
        return [MIME]


class SlotList(QListWidget):
    """Who is on one slot on one day; accepts people dropped on it."""

    dropped_on = Signal(int, str, int)
    """(slot id, "user" or "shift", id)."""

    def __init__(self, cell: timetable.SlotCell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cell = cell
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        for person in cell.people:
            text = person.name if person.role != OFFICER else _("{name}（民警）").format(name=person.name)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, person.shift_id)
            if person.flags:
                item.setForeground(FLAGGED)
                item.setToolTip("、".join(_(volunteering.CONFLICTS[f]) for f in person.flags))
            self.addItem(item)
        cov = cell.coverage
        self.setToolTip(_("学生 {s}/{sn}，民警 {o}/{on}").format(s=cov.students, sn=cov.students_needed,
                                                            o=cov.officers, on=cov.officers_needed))
        if not cov.covered:
            self.setStyleSheet(f"QListWidget {{ background: {UNCOVERED.name()}; }}")

    def current_shift(self) -> int | None:
        item = self.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:  # Qt's name
        return drag_data("shift", int(items[0].data(Qt.ItemDataRole.UserRole))) if items else QMimeData()

    def mimeTypes(self) -> list[str]:  # Qt's name
        return [MIME]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        what = dropped(event.mimeData())
        if what is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)  # the list is redrawn from the database, never by Qt
        event.accept()
        self.dropped_on.emit(self.cell.slot.id, *what)


class TimetableGrid(QTableWidget):
    """Rows: the times of day of the week's slots; columns: Monday to Sunday."""

    dropped_on = Signal(int, str, int)
    """(slot id, "user" or "shift", id): someone dropped on a slot."""
    slot_selected = Signal(object)
    """The SlotList last clicked (or None)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 7, parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(96)
        self.lists: dict[tuple[int, int], SlotList] = {}
        self.current: SlotList | None = None

    def show_week(self, table: timetable.WeekTimetable) -> None:
        self.clearContents()
        self.lists = {}
        self.current = None
        times = table.times()
        self.setRowCount(len(times))
        self.setHorizontalHeaderLabels([f"{volunteering.weekday_label(d.weekday())}\n{d:%m-%d}" for d in table.days])
        self.setVerticalHeaderLabels([f"{volunteering.minute_text(a)}\n{volunteering.minute_text(b)}"
                                      for a, b in times])
        for row, (start, end) in enumerate(times):
            for col in range(7):
                cells = table.cell(col, start, end)
                if not cells:
                    filler = QWidget()
                    filler.setAutoFillBackground(True)
                    filler.setStyleSheet(f"background: {NO_SLOT.name()};")
                    self.setCellWidget(row, col, filler)
                    continue
                slot_list = SlotList(cells[0])
                slot_list.dropped_on.connect(self.dropped_on)
                slot_list.itemPressed.connect(lambda _item, sl=slot_list: self._select(sl))
                slot_list.clicked.connect(lambda _index, sl=slot_list: self._select(sl))
                self.setCellWidget(row, col, slot_list)
                self.lists[(row, col)] = slot_list

    def slot_list(self, weekday: int, start: int, end: int) -> SlotList | None:
        """The cell of ``weekday`` at that time (tests and the keyboard)."""
        for (_row, col), sl in self.lists.items():
            if col == weekday and (sl.cell.slot.start_minute, sl.cell.slot.end_minute) == (start, end):
                return sl
        return None

    def _select(self, slot_list: SlotList) -> None:
        self.current = slot_list
        for sl in self.lists.values():
            if sl is not slot_list:
                sl.clearSelection()
        self.slot_selected.emit(slot_list)

    def select(self, slot_list: SlotList) -> None:
        self._select(slot_list)
