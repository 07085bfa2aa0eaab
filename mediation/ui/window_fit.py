"""Every top-level window fits the available screen, with its buttons visible.

Applied to each window when it is first shown, by the application's event filter
(:mod:`mediation.ui.app_events`), so a new window or dialog gets it without doing anything:

* the window is sized to what it remembers for this screen size (``ui/state.py``), else
  to the size it asked for, and never larger than the screen's available geometry
  (``QScreen.availableGeometry()``) minus the window manager's frame;
* it is centred over the window it belongs to (else on the screen) and kept inside the
  available geometry, title bar included;
* a main window opens maximised on a small screen (1366×768 is what the desks have);
* a dialog whose content cannot shrink to the screen gets a scrolling body: its
  content scrolls and the row of buttons at the bottom stays where it is;
* a window whose content grows later (a message shown, a label wrapping onto a second
  line) grows with it, within the screen, instead of squashing its fields.

The size is remembered per window (its object name, else its class) and per screen
size when the window is hidden.
"""

from __future__ import annotations

import logging
import time
from functools import partial
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QInputDialog,
    QLabel,
    QLayoutItem,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
)

if TYPE_CHECKING:
    from mediation.ui.state import UiState

log = logging.getLogger(__name__)

ESTIMATED_FRAME = QMargins(4, 32, 4, 4)
"""The window manager's frame before it is known (title bar on top): what a window must leave room for."""
SMALL_SCREEN = QSize(1600, 960)
"""On an available area no larger than this, main windows open maximised."""
FITTED = "_mediation_fitted"
"""Dynamic property set on a window once it was fitted on its first show (the time, ``time.monotonic``)."""
SETTLE_CHECKS_MS = (150, 500, 1200)
"""After a window's first show, when it is looked at again with its real frame."""
SETTLING_S = 2.0
"""For this long after its first show a window is kept inside the screen when it moves: the
window manager decorates it (and tells its real frame) only after it is mapped."""
SCROLL_BODY = "scrollBody"
"""Object name of the scroll area given to a dialog whose content is taller than the screen."""

_SKIPPED_TYPES = frozenset({
    Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen, Qt.WindowType.Desktop,
    Qt.WindowType.SubWindow, Qt.WindowType.ForeignWindow, Qt.WindowType.CoverWindow, Qt.WindowType.Drawer,
})


def is_fitted_window(widget: QWidget) -> bool:
    """A top-level window the fitter looks after (not a pop-up menu, tooltip or splash)."""
    return widget.isWindow() and widget.windowType() not in _SKIPPED_TYPES


def available_geometry(widget: QWidget) -> QRect:
    """The available geometry of the screen ``widget`` is (or will be) on.

    A window with a parent opens on its parent's screen; the others on the primary one.
    """
    parent = widget.parentWidget()
    screen = (parent.window().screen() if parent is not None else None) or widget.screen() \
        or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)


_learned_frame: QMargins | None = None
"""The frame the window manager gave the last decorated window: the best guess for the next one."""


def frame_margins(window: QWidget) -> QMargins:
    """The window manager's frame around ``window`` (until it is decorated: the last frame seen, else an estimate)."""
    global _learned_frame
    if window.windowFlags() & Qt.WindowType.FramelessWindowHint:
        return QMargins()
    inner, outer = window.geometry(), window.frameGeometry()
    known = QMargins(inner.left() - outer.left(), inner.top() - outer.top(),
                     outer.right() - inner.right(), outer.bottom() - inner.bottom())
    if known.isNull():
        return _learned_frame or ESTIMATED_FRAME
    if not window.isMaximized() and not window.isFullScreen():
        _learned_frame = known
    return known


def room_for(avail: QRect, frame: QMargins) -> QSize:
    """The largest client size whose frame fits ``avail``."""
    return QSize(max(1, avail.width() - frame.left() - frame.right()),
                 max(1, avail.height() - frame.top() - frame.bottom()))


def client_rect(frame_top_left: QPoint, size: QSize, frame: QMargins) -> QRect:
    """The client geometry of a window whose frame's top-left is ``frame_top_left``.

    Windows are placed with ``setGeometry`` (always the client area): ``move`` means the
    frame's position before a window is shown but the client's while it is being shown
    on X11, which put title bars above the screen.
    """
    return QRect(frame_top_left + QPoint(frame.left(), frame.top()), size)


def placed(size: QSize, frame: QMargins, avail: QRect, anchor: QRect | None) -> QPoint:
    """Top-left of the frame of a window with client ``size``: centred on ``anchor`` (the
    parent window's frame) or on ``avail``, then moved so the whole frame is inside ``avail``."""
    outer = QSize(size.width() + frame.left() + frame.right(), size.height() + frame.top() + frame.bottom())
    centre = (anchor if anchor is not None and anchor.isValid() else avail).center()
    x = centre.x() - outer.width() // 2
    y = centre.y() - outer.height() // 2
    x = max(avail.left(), min(x, avail.right() + 1 - outer.width()))
    y = max(avail.top(), min(y, avail.bottom() + 1 - outer.height()))
    return QPoint(x, y)


def window_key(window: QWidget) -> str:
    """What a window's size is remembered under: its object name, else its class."""
    name = window.objectName()
    return name if name and not name.startswith("qt_") else type(window).__name__


def remembers_size(window: QWidget) -> bool:
    """Whether a window's size is the user's to keep: not a message or progress box (they size
    themselves to their text), not a fixed-size window."""
    if isinstance(window, (QMessageBox, QProgressDialog, QInputDialog)):
        return False
    return window.minimumSize() != window.maximumSize()


def screen_key(avail: QRect) -> str:
    return f"{avail.width()}x{avail.height()}"


def content_height(window: QWidget, width: int) -> int:
    """The height the window's layout needs at ``width`` (its height-for-width, else its minimum)."""
    layout = window.layout()
    if layout is None:
        return window.minimumSizeHint().height()
    if layout.hasHeightForWidth():
        return layout.totalHeightForWidth(width)
    return layout.totalMinimumSize().height()


# ---------------------------------------------------------------- a scrolling body for tall dialogs


def _is_action_row(item: QLayoutItem) -> bool:
    """A row of buttons (a button box, or a layout holding only buttons, labels and stretch)."""
    widget = item.widget()
    if widget is not None:
        return isinstance(widget, QDialogButtonBox)
    layout = item.layout()
    if layout is None:
        return False
    has_button = False
    for i in range(layout.count()):
        child = layout.itemAt(i)
        if child is None or child.spacerItem() is not None:
            continue
        w = child.widget()
        if isinstance(w, (QAbstractButton, QDialogButtonBox)):
            has_button = True
        elif not isinstance(w, QLabel):
            return False
    return has_button


def give_scrolling_body(window: QWidget) -> QScrollArea | None:
    """Move everything above the window's bottom row of buttons into a scroll area.

    For a dialog laid out top to bottom whose content cannot shrink to the screen: the
    content scrolls, the buttons stay visible. Returns the scroll area (None when the
    window is not laid out that way, or already has one).
    """
    layout = window.layout()
    if not isinstance(layout, QBoxLayout) or layout.direction() != QBoxLayout.Direction.TopToBottom \
            or window.findChild(QScrollArea, SCROLL_BODY) is not None or isinstance(window, QWizard):
        return None
    count = layout.count()
    keep = count
    while keep > 0:
        item = layout.itemAt(keep - 1)
        if item is None or not (_is_action_row(item) or item.spacerItem() is not None):
            break
        keep -= 1
    if keep == 0 or (keep == count and count < 2):
        return None
    body = QWidget()
    body.setObjectName("scrollBodyContent")
    inner = QVBoxLayout(body)
    inner.setContentsMargins(0, 0, 0, 0)
    inner.setSpacing(layout.spacing())
    for _ in range(keep):
        stretch = layout.stretch(0)
        item = layout.takeAt(0)
        if item is None:
            continue
        widget, sub = item.widget(), item.layout()
        if widget is not None:
            inner.addWidget(widget, stretch, item.alignment())
        elif sub is not None:
            inner.addLayout(sub, stretch)
        elif item.spacerItem() is not None:
            if item.expandingDirections() & Qt.Orientation.Vertical:
                inner.addStretch(stretch)
            else:
                inner.addSpacing(item.sizeHint().height())
    scroll = QScrollArea(window)
    scroll.setObjectName(SCROLL_BODY)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(body)
    layout.insertWidget(0, scroll, 1)
    layout.invalidate()
    layout.activate()
    return scroll


# ---------------------------------------------------------------- the fitter


class WindowFitter:
    """Fits windows on show, grows them with their content, remembers their size per screen."""

    def __init__(self, state: UiState | None = None) -> None:
        self.state = state
        self._pending: dict[int, QWidget] = {}
        self._settling: dict[int, QWidget] = {}
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._grow_pending)

    # -- show and hide

    def window_shown(self, window: QWidget) -> None:
        """Called on every Show of a top-level window: fit it the first time, keep it on screen after."""
        if not is_fitted_window(window) or window.isMinimized():
            return
        if window.property(FITTED):
            if not window.isMaximized() and not window.isFullScreen():
                self._keep_inside(window)
            return
        window.setProperty(FITTED, time.monotonic())
        try:
            self.fit(window)
        except Exception as exc:  # noqa: BLE001 - logged: fitting must never stop a window from opening
            log.error("could not fit %s: %s", type(window).__name__, exc)
        # The window manager tells the real frame only once the window is mapped and decorated.
        for ms in SETTLE_CHECKS_MS:
            QTimer.singleShot(ms, window, partial(self.window_moved, window))

    def window_hidden(self, window: QWidget) -> None:
        """Remember the window's size for this screen size (skipped for maximised windows' own size)."""
        if self.state is None or not is_fitted_window(window) or not window.property(FITTED) \
                or window.isMinimized() or not remembers_size(window):
            return
        avail = available_geometry(window)
        size = window.normalGeometry().size() if window.isMaximized() else window.size()
        if size.isValid() and not size.isEmpty():
            self.state.save_window_size(window_key(window), screen_key(avail), size, window.isMaximized())

    def fit(self, window: QWidget) -> None:
        avail = available_geometry(window)
        frame = frame_margins(window)
        room = room_for(avail, frame)
        remembered = (self.state.window_size(window_key(window), screen_key(avail))
                      if self.state is not None and remembers_size(window) else None)
        size = QSize(window.size())
        maximise = isinstance(window, QMainWindow) and avail.width() <= SMALL_SCREEN.width() \
            and avail.height() <= SMALL_SCREEN.height()
        if remembered is not None:
            size, maximise = remembered
            size = size.expandedTo(window.minimumSizeHint())
        size = size.boundedTo(room)
        self._fit_minimum(window, room)
        size = size.expandedTo(window.minimumSize()).boundedTo(room)
        needed = content_height(window, size.width())
        if needed > size.height():
            size.setHeight(min(needed, room.height()))
        window.setGeometry(client_rect(placed(size, frame, avail, self._anchor(window)), size, frame))
        if maximise:
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)

    def _fit_minimum(self, window: QWidget, room: QSize) -> None:
        """A window that cannot shrink to ``room``: a dialog's body scrolls; explicit minimums give way."""
        minimum = window.minimumSize()
        layout = window.layout()
        needed = layout.totalMinimumSize() if layout is not None else window.minimumSizeHint()
        if isinstance(window, QDialog) and (needed.height() > room.height()
                                            or content_height(window, min(window.width(), room.width()))
                                            > room.height()):
            give_scrolling_body(window)
        if minimum.width() > room.width() or minimum.height() > room.height():
            window.setMinimumSize(minimum.boundedTo(room))

    @staticmethod
    def _anchor(window: QWidget) -> QRect | None:
        parent = window.parentWidget()
        if parent is None:
            return None
        top = parent.window()
        return top.frameGeometry() if top.isVisible() else None

    def _keep_inside(self, window: QWidget) -> None:
        avail = available_geometry(window)
        frame = frame_margins(window)
        room = room_for(avail, frame)
        size = window.size().boundedTo(room)
        outer = window.frameGeometry()
        if size != window.size() or not avail.contains(outer):
            window.setGeometry(client_rect(placed(size, frame, avail, outer), size, frame))

    def window_moved(self, window: QWidget) -> None:
        """A window moved (the window manager placed and decorated it): soon after its first show,
        keep it inside the screen now that its real frame is known."""
        fitted = window.property(FITTED)
        if isinstance(fitted, float) and time.monotonic() - fitted < SETTLING_S and window.isVisible() \
                and not window.isMaximized() and not window.isFullScreen():
            self._settling[id(window)] = window
            self._timer.start()

    # -- growing with the content

    def layout_requested(self, window: QWidget) -> None:
        """The window's layout changed (something shown, hidden, rewrapped): check it still fits, soon."""
        if window.isVisible() and window.property(FITTED) and not window.isMaximized() \
                and not window.isFullScreen() and window.layout() is not None:
            self._pending[id(window)] = window
            self._timer.start()

    def _grow_pending(self) -> None:
        pending, self._pending = self._pending, {}
        settling, self._settling = self._settling, {}
        for window in pending.values():
            if shiboken6.isValid(window) and window.isVisible():
                self.grow_to_content(window)
        for window in settling.values():
            if shiboken6.isValid(window) and window.isVisible() and not window.isMaximized():
                self._keep_inside(window)

    def grow_to_content(self, window: QWidget) -> None:
        """Make ``window`` as tall as its content needs at its width, within the screen."""
        layout = window.layout()
        if layout is None:
            return
        layout.activate()
        needed = content_height(window, window.width())
        if needed <= window.height():
            return
        avail = available_geometry(window)
        frame = frame_margins(window)
        room = room_for(avail, frame)
        if needed > room.height() and isinstance(window, QDialog) and give_scrolling_body(window) is not None:
            needed = content_height(window, window.width())
        size = QSize(window.width(), min(needed, room.height()))
        outer = window.frameGeometry()
        outer.setHeight(size.height() + frame.top() + frame.bottom())
        if avail.contains(outer):
            window.resize(size)
        else:
            window.setGeometry(client_rect(placed(size, frame, avail, outer), size, frame))
