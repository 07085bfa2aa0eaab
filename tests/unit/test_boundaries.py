"""The core stays free of Qt: importing every core module loads no PySide6."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import mediation


def test_core_imports_no_qt() -> None:
    core = sorted(
        m.name for m in pkgutil.walk_packages(mediation.__path__, "mediation.")
        if not m.name.startswith(("mediation.ui", "mediation.migrations", "mediation.__main__"))
    )
    assert "mediation.services.cases" in core and "mediation.workflow" in core
    code = (
        "import importlib, sys\n"
        f"for name in {core!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"Qt modules loaded by the core: {out.stdout}"
