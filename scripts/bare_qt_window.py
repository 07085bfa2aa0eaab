"""The start-time anchor: a bare PySide6 window (QApplication + QMainWindow at 1366×768), shown,
painted, then the process ends, as ``MEDIATION_START_PROBE=exit mediation-desk`` does after the
login dialog has painted (the same child as tests/benchmarks/test_ui_desktop.py's BARE_CHILD)."""

import os

from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(["bare"])
window = QMainWindow()
window.resize(1366, 768)
window.show()
window.repaint()
print("PAINTED", flush=True)
os._exit(0)
