"""For install checks and start-time benchmarks: say when the first window has painted, optionally quit.

Set ``MEDIATION_START_PROBE`` before starting ``mediation-desk`` (installed, venv or
bundle alike):

* ``report``: print ``mediation-desk: shown <class> "<title>"`` on standard output once
  the first top-level window (the login dialog, or the set-up wizard on a new
  database) has painted; the program goes on;
* ``exit``: the same, then end the process at once (exit code 0), as a benchmark's bare
  Qt window does, so a run measures the time to the first painted window.

``MEDIATION_START_PROBE_GRAB=FILE.png`` also saves a picture of that window.
Nothing happens without the variable.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV = "MEDIATION_START_PROBE"
ENV_GRAB = "MEDIATION_START_PROBE_GRAB"

_probe: _StartProbe | None = None


class _StartProbe(QObject):
    def __init__(self, mode: str, grab: str) -> None:
        super().__init__()
        self._mode = mode
        self._grab = grab
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (not self._done and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                and watched.isWindow() and watched.isVisible()):
            self._done = True
            # After this paint event has been handled: the window is on screen.
            QTimer.singleShot(0, lambda: self._report(watched))
        return False

    def _report(self, window: QWidget) -> None:
        if self._grab:
            window.grab().save(self._grab)
        print(f'mediation-desk: shown {type(window).__name__} "{window.windowTitle()}"', flush=True)
        if self._mode == "exit":
            sys.stderr.flush()
            os._exit(0)


def install(app: QApplication) -> None:
    """Watch for the first painted window if ``MEDIATION_START_PROBE`` asks for it."""
    global _probe
    mode = os.environ.get(ENV, "")
    if mode not in ("report", "exit") or _probe is not None:
        return
    _probe = _StartProbe(mode, os.environ.get(ENV_GRAB, ""))
    app.installEventFilter(_probe)
