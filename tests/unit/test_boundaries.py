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


def _imports(module_file: str) -> set[str]:
    import ast

    with open(module_file, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_documents_never_import_services() -> None:
    """The document engine sits below the services (DESIGN: arrows only point down)."""
    from pathlib import Path

    package = Path(mediation.__file__).parent / "documents"
    offenders = {
        path.name: sorted(m for m in _imports(str(path)) if m.startswith("mediation.services"))
        for path in package.rglob("*.py")
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def _package_imports(*parts: str) -> dict[str, set[str]]:
    """``mediation/<parts>`` (a module or a package): each file → what it imports."""
    from pathlib import Path

    base = Path(mediation.__file__).parent.joinpath(*parts)
    files = [base] if base.suffix == ".py" else sorted(base.rglob("*.py"))
    return {str(p.relative_to(base.parent)): _imports(str(p)) for p in files}


# The layers below the services: the vocabulary, the rules, the document engine, the ORM.
LOWER = ("models", "documents", "workflow.py", "validation.py", "permissions.py", "timeutil.py",
         "workdays.py", "settings.py", "changes.py", "progress.py", "errors.py", "i18n.py", "config.py")
UPPER = ("mediation.services", "mediation.ui", "mediation.cli", "mediation.demo", "mediation.db")


def test_lower_layers_never_import_the_layers_above() -> None:
    """ui → services → workflow/documents/validation → models: no arrow points up."""
    offenders = {
        name: sorted(m for m in mods if m.startswith(UPPER))
        for part in LOWER for name, mods in _package_imports(part).items()
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_the_ui_reaches_the_database_only_through_services() -> None:
    """Windows call services (through ui/operations), never the ORM or SQL: from SQLAlchemy
    they import only the Session type (for ``fn(session, actor)``) and the driver error
    the start-up explains."""
    allowed = {"sqlalchemy.orm", "sqlalchemy.orm.Session", "sqlalchemy.exc", "sqlalchemy.exc.DBAPIError"}
    offenders = {
        name: sorted(m for m in mods if (m.startswith(("mediation.models", "sqlalchemy")) and m not in allowed))
        for name, mods in _package_imports("ui").items()
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}
