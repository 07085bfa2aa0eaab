"""Desktop benchmarks on the generated 100,000-case database (``scripts/bench_ui.sh``).

* Start: a child process is timed from ``Popen`` to the moment it has painted (a) the
  login dialog, (b) the main window with its first 200 rows when the login is typed
  at once (so the database opening is not hidden behind typing), and (c) from the login
  being accepted to that main window; the anchor is a bare PySide6 window (QApplication
  + QMainWindow, shown and painted) started the same way, alternately, in the same run.
* UI-thread time: a 1 ms heartbeat timer on the UI thread; every delay beyond its period
  is time the UI thread could not react (our code, Qt's layout and painting, or waiting
  for the GIL while a worker runs Python), summed from the triggering action until the
  result is painted ("blocked"); "longest" is the longest single delay, i.e. how long a
  keystroke could have waited; the main thread's CPU time is given too. The workers'
  own time shows only in the wall time.
* RSS: ``VmRSS`` / ``VmHWM`` of this process after all of the above.

Results go to ``bench-ui-results.json`` beside the benchmark database and are printed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mediation.ui.app import freeze_heap, pin_singletons

pin_singletons()  # WORKAROUND, see mediation.ui.app.pin_singletons

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QApplication  # noqa: E402

from mediation import workflow  # noqa: E402
from mediation.ui import fonts, tasks  # noqa: E402
from mediation.ui.context import AppContext  # noqa: E402
from mediation.ui.main_window import MainWindow  # noqa: E402
from mediation.ui.state import UiState  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# The offscreen platform warns for every top-level window with a minimum size; not our code.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)")
START_RUNS = int(os.environ.get("MEDIATION_BENCH_START_RUNS", "7"))
RESULTS: dict[str, Any] = {}

BARE_CHILD = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(["bare"])
w = QMainWindow()
w.resize(1366, 768)
w.show()
w.repaint()
print("PAINTED", flush=True)
import os; os._exit(0)
"""

APP_CHILD = """
import sys
from mediation.ui.app import STARTUP_DELAY_MS, Startup, create_application
app, state = create_application(["bench"])
from PySide6.QtCore import QEventLoop, QTimer
from mediation.ui.login_dialog import LoginDialog
startup = Startup()
dialog = LoginDialog(startup.database, username=sys.argv[1])
dialog.show()
dialog.repaint()
print("LOGIN", flush=True)
QTimer.singleShot(STARTUP_DELAY_MS, startup.start)
loop = QEventLoop()
dialog.accepted.connect(loop.quit)
def check():
    if dialog.actor is None and dialog.form.error_reason:
        print("FAILED", dialog.form.error_reason, flush=True)
        import os; os._exit(2)
def on_busy(busy):
    if not busy:
        QTimer.singleShot(0, check)
dialog.form.busy_changed.connect(on_busy)
dialog.form.password_edit.setText(sys.argv[2])
if sys.argv[3] == "typed":
    # A person takes seconds to type; log in once the database is open and the
    # program has had a moment of idle time (as after a few keystrokes).
    waiter = QEventLoop()
    startup.finished.connect(lambda: QTimer.singleShot(500, waiter.quit))
    waiter.exec()
    print("TYPED", flush=True)
dialog.form.submit()
loop.exec()
print("ACCEPTED", flush=True)
info = startup.result()
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
window = MainWindow(AppContext(info.db, dialog.actor), state)
window.resize(1366, 768)
window.show()
if window.model.rowCount() < 200:
    window.model.page_loaded.connect(loop.quit)
    loop.exec()
window.table.viewport().repaint()
print("MAIN", window.model.rowCount(), flush=True)
if sys.argv[3] == "typed":
    def rss():
        vals = dict(l.split(":", 1) for l in open("/proc/self/status") if l.startswith(("VmRSS", "VmHWM")))
        return " ".join(str(int(vals[k].split()[0]) // 1024) for k in ("VmRSS", "VmHWM"))
    QTimer.singleShot(300, loop.quit)  # the today panel and reference data arrive
    loop.exec()
    print("RSS_MAIN", rss(), flush=True)
    from PySide6.QtWidgets import QAbstractItemView
    window.model.page_loaded.connect(loop.quit)
    window.table.scrollTo(window.model.index(50_000, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
    while not window.model.is_loaded(50_000):
        loop.exec()
    print("RSS_50K", rss(), window.model.rowCount(), flush=True)
import os; os._exit(0)
"""


def _child_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), MEDIATION_DATABASE_URL=url,
               MEDIATION_DATA_DIR=tempfile.mkdtemp(prefix="mediation-bench-ui-"))
    env.pop("MEDIATION_FAST_HASH", None)  # the real start, argon2 as shipped
    return env


def _time_child(code: str, args: list[str], env: dict[str, str],
                lines: dict[str, list[str]] | None = None) -> dict[str, float]:
    """Seconds from Popen to each marker line the child prints (the lines go to ``lines``)."""
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        marks[line.split()[0]] = time.perf_counter() - t0
        if lines is not None:
            lines[line.split()[0]] = line.split()[1:]
        assert not line.startswith("FAILED"), line
    proc.wait(60)
    return marks


class BusyMeter:
    """How long the UI thread could not react, measured by a 1 ms heartbeat timer.

    Every gap between heartbeats beyond the 1 ms period is time the UI thread spent on
    something else: our code, Qt's layout and painting, or waiting for the GIL held by
    a worker. ``busy`` is the sum of those gaps, ``longest`` the longest one (what a
    keystroke could have waited). The main thread's CPU time is kept as ``cpu``.
    """

    PERIOD = 0.001

    def __init__(self) -> None:
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._on_beat)
        self._last = 0.0
        self._cpu0 = 0.0
        self.beats = 0
        self.busy = self.longest = self.cpu = 0.0

    def _on_beat(self) -> None:
        self.beats += 1
        now = time.perf_counter()
        self._add(now - self._last)
        self._last = now

    def _add(self, gap: float) -> None:
        if gap > 2 * self.PERIOD:
            self.busy += gap - self.PERIOD
            self.longest = max(self.longest, gap)

    beat_cpu = 0.0
    """CPU time of one heartbeat itself, subtracted from ``cpu`` (see :meth:`calibrate`)."""

    def calibrate(self, seconds: float = 0.5) -> None:
        """Measure what the heartbeat costs on an idle UI thread (about 1,000 calls a second).

        Without this the meter's own slot calls would count as UI time: over the 250 ms
        debounce of a search that is 10-15 ms here.
        """
        beats = [0]
        counter = lambda: beats.__setitem__(0, beats[0] + 1)  # noqa: E731
        self._timer.timeout.connect(counter)
        self.start()
        run_until(lambda: False, timeout=seconds, quiet=True)
        self.stop()
        self._timer.timeout.disconnect(counter)
        self.beat_cpu = self.cpu / max(beats[0], 1)
        RESULTS["heartbeat"] = {"beats_per_s": beats[0] / seconds, "cpu_us_per_beat": self.beat_cpu * 1e6}

    def start(self) -> None:
        self.busy = self.longest = self.cpu = 0.0
        self.beats = 0
        self._cpu0 = time.thread_time()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._add(time.perf_counter() - self._last)
        self._timer.stop()
        self.cpu = max(0.0, time.thread_time() - self._cpu0 - self.beats * self.beat_cpu)


@dataclass
class Measure:
    name: str
    busy_ms: list[float] = field(default_factory=list)
    longest_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {"ui_blocked_ms": statistics.median(self.busy_ms),
                "ui_longest_ms": statistics.median(self.longest_ms),
                "ui_cpu_ms": statistics.median(self.cpu_ms),
                "wall_ms": statistics.median(self.wall_ms), "runs": len(self.busy_ms)}


def run_until(condition: Callable[[], bool], timeout: float = 30.0, *, quiet: bool = False) -> None:
    """Run the event loop (sleeping between events) until ``condition`` holds.

    The condition is checked by a 5 ms timer; its wake-ups count as busy time too (a few
    microseconds each), so the figures are slightly pessimistic.
    """
    if condition():
        return
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    timer = QTimer()
    timer.setInterval(5)

    def check() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    while not condition() and time.monotonic() <= deadline:
        loop.exec()  # again if something else ended the loop early
    timer.stop()
    if not condition() and not quiet:
        raise TimeoutError(f"condition not reached after {time.monotonic() - deadline + timeout:.1f} s")


def measure(meter: BusyMeter, name: str, action: Callable[[], None], done: Callable[[], bool],
            *, runs: int = 5, before: Callable[[], None] | None = None) -> dict[str, float]:
    m = Measure(name)
    for _ in range(runs):
        if before is not None:
            before()
        t0 = time.perf_counter()
        meter.start()
        action()
        run_until(done)
        meter.stop()
        m.wall_ms.append((time.perf_counter() - t0) * 1000)
        m.busy_ms.append(meter.busy * 1000)
        m.longest_ms.append(meter.longest * 1000)
        m.cpu_ms.append(meter.cpu * 1000)
    RESULTS[name] = m.summary()
    return RESULTS[name]


def rss_mb() -> dict[str, float]:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


@pytest.fixture(scope="module")
def desk_window(bench_db: Any, qapp: QApplication) -> Iterator[tuple[MainWindow, BusyMeter]]:
    fonts.install_application_font(qapp)
    state = UiState(Path(tempfile.mkdtemp(prefix="mediation-bench-ui-")) / "ui.ini")
    meter = BusyMeter()
    meter.calibrate()
    window = MainWindow(AppContext(bench_db.db, bench_db.volunteer), state)
    window.resize(1366, 768)
    Stamps(window)
    window.show()
    run_until(lambda: window.model.rowCount() >= 200 and window.model.total is not None)
    freeze_heap()  # as mediation.ui.app.show_main_window does once the window is up
    yield window, meter
    window.close()
    tasks.wait_for_all()
    QEventLoop().processEvents()


class Stamps(QObject):
    """When the model last finished loading, and when the table was last painted."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.loaded_at = 0.0
        self.painted_at = 0.0
        window.model.loading_changed.connect(self._on_loading_changed)
        window.table.viewport().installEventFilter(self)

    def _on_loading_changed(self, loading: bool) -> None:
        if not loading:
            self.loaded_at = time.perf_counter()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted_at = time.perf_counter()
        return False


def _on_screen(window: MainWindow) -> Callable[[], bool]:
    """Done when the last page (and the count) arrived and the table painted it."""
    stamps = window.findChild(Stamps)

    def done() -> bool:
        m = window.model
        return (not m.loading and m.total is not None and stamps.loaded_at > 0
                and stamps.painted_at > stamps.loaded_at)
    return done


def test_start_time(bench_db: Any) -> None:
    url = f"sqlite:///{bench_db.path}"
    env = _child_env(url)
    user = bench_db.volunteer.username
    bare, login, instant, accepted_to_main = [], [], [], []
    rss_main, rss_50k, hwm = [], [], []
    _time_child(BARE_CHILD, [], env)  # warm the disk cache for both
    _time_child(APP_CHILD, [user, "pass1234", "instant"], env)
    for _ in range(START_RUNS):
        bare.append(_time_child(BARE_CHILD, [], env)["PAINTED"])
        marks = _time_child(APP_CHILD, [user, "pass1234", "instant"], env)
        login.append(marks["LOGIN"])
        instant.append(marks["MAIN"])
        lines: dict[str, list[str]] = {}
        marks = _time_child(APP_CHILD, [user, "pass1234", "typed"], env, lines)
        login.append(marks["LOGIN"])
        rss_main.append(float(lines["RSS_MAIN"][0]))
        rss_50k.append(float(lines["RSS_50K"][0]))
        hwm.append(float(lines["RSS_50K"][1]))
        accepted_to_main.append(marks["MAIN"] - marks["ACCEPTED"])
    # Every child printed each mark (a missing one is a KeyError above), each after its start.
    assert all(t > 0 for t in [*bare, *login, *instant, *accepted_to_main, *rss_main, *rss_50k, *hwm])
    b = statistics.median(bare)
    RESULTS["start"] = {
        "bare_window_s": b, "login_painted_s": statistics.median(login),
        "main_with_rows_instant_login_s": statistics.median(instant),
        "login_accepted_to_main_s": statistics.median(accepted_to_main),
        "login_ratio": statistics.median(login) / b, "instant_main_ratio": statistics.median(instant) / b,
        "app_rss_mb_main_window": statistics.median(rss_main),
        "app_rss_mb_after_50k_rows": statistics.median(rss_50k),
        "app_peak_rss_mb": statistics.median(hwm),
        "runs": START_RUNS, "bare_all_s": bare, "login_all_s": login,
    }
    print(json.dumps(RESULTS["start"], indent=1))


def test_ui_thread_time(desk_window: tuple[MainWindow, BusyMeter], bench_db: Any) -> None:
    window, meter = desk_window
    model = window.model

    def reset() -> None:
        window.table.scrollToTop()
        window.filter_bar.stage_combo.setCurrentIndex(0)
        window.filter_bar.search_edit.clear()
        window.apply_filters()
        run_until(_on_screen(window))

    # Scrolling in the counted list: the view shows placeholders for rows not read yet,
    # the model reads the page they are on (by keyset from the page before it if that
    # one is read, else stepping over the rows in between in SQL), and the view paints it.
    stamps = window.findChild(Stamps)
    scrolled: dict[str, float] = {}

    def scroll_to(row: int) -> Callable[[], None]:
        def action() -> None:
            scrolled["row"] = row
            window.table.scrollTo(model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        return action

    def shown() -> bool:
        row = scrolled["row"]
        table = window.table
        visible = table.viewport().rect().contains(table.visualRect(model.index(row, 0)))
        return (visible and model.is_loaded(row) and not model.loading
                and stamps.painted_at > stamps.loaded_at > 0)

    measure(meter, "scroll to rows 200–400 (the next page, by keyset)", scroll_to(300), shown, before=reset)
    measure(meter, "scroll to row 50,000 (drag the scroll bar; 49,800 rows stepped over in SQL)",
            scroll_to(50_000), shown, before=reset)
    assert window.table.rowAt(window.table.viewport().height() // 2) in range(49_990, 50_011)
    assert not model.is_loaded(25_000)  # the rows in between were not read

    # Scrolling on from there, as a person does: the next page by keyset from the one read.
    measure(meter, "next page at row 50,000 (scrolling on)", scroll_to(50_300), shown,
            before=lambda: (reset(), scroll_to(50_000)(), run_until(shown)))
    measure(meter, "scroll to the end (row 100,000)", scroll_to(model.rowCount() - 1), shown, before=reset)

    stage_index = window.filter_bar.stage_combo.findData(workflow.MEDIATING)
    measure(meter, "change a filter (stage = 调解)",
            lambda: window.filter_bar.stage_combo.setCurrentIndex(stage_index), _on_screen(window), before=reset)

    def type_text(text: str) -> Callable[[], None]:
        def typing() -> None:
            window.filter_bar.search_edit.setFocus()
            for ch in text:  # one committed character per keystroke, as an input method does
                event = QInputMethodEvent("", [])
                event.setCommitString(ch)
                QApplication.sendEvent(window.filter_bar.search_edit, event)
        return typing

    def searched(text: str) -> Callable[[], bool]:
        return lambda: model.query.text == text and _on_screen(window)()

    measure(meter, "type a search (张, 1 character)", type_text("张"), searched("张"), before=reset)
    measure(meter, "type a search (电动车, 3 characters)", type_text("电动车"), searched("电动车"),
            before=reset)
    measure(meter, "refresh today panel", window.refresh_today,
            lambda: not tasks.pending(), before=None)
    RESULTS["rss_mb"] = rss_mb()
    RESULTS["meta"] = {"cases": bench_db.path.name, "python": sys.version.split()[0]}
    out = bench_db.path.with_name("bench-ui-results.json")
    out.write_text(json.dumps(RESULTS, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(RESULTS, indent=1, ensure_ascii=False))
