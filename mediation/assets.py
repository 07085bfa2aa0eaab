"""Where the files shipped inside the package are: fonts, translations, forms, migrations.

Everything is read through :mod:`importlib.resources`, so the same code works from a
checkout (editable install: ``templates/`` and ``resources/`` at the top of the
repository are mapped to ``mediation.templates`` and ``mediation.resources``), from an
installed wheel and from the frozen bundle (PyInstaller puts the package's data files
on disk beside its modules). Callers that need a real path (reportlab, Qt, Alembic,
gettext) get one; the three layouts above always have the files on disk, so nothing
is copied.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

from mediation.errors import StorageError

RESOURCES = "mediation.resources"
TEMPLATES = "mediation.templates"
MIGRATIONS = "mediation.migrations"

_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


def real_path(resource: Traversable) -> Path:
    """A file-system path for ``resource``, valid until the program exits.

    A file inside a zip archive would be copied to a temporary file (kept until exit);
    a directory must already be on disk.
    """
    if isinstance(resource, Path):
        return resource
    if resource.is_dir():
        raise StorageError(f"packaged folder {resource.name!r} is not on disk; "
                           "install the program from its wheel or bundle")
    return _extracted.enter_context(as_file(resource))


@functools.cache
def package_dir(package: str) -> Path:
    """The folder of a data package (``mediation.resources`` …) on disk."""
    return real_path(files(package))


def fonts_dir() -> Path:
    """The bundled TrueType fonts and their licences."""
    return package_dir(RESOURCES) / "fonts"


def i18n_dir() -> Path:
    """Compiled translations: ``mediation_<lang>.qm`` (Qt) and ``<lang>/LC_MESSAGES/mediation.mo``."""
    return package_dir(RESOURCES) / "i18n"


def icons_dir() -> Path:
    """The program's icon: ``mediation-desk.svg`` and PNGs in ``hicolor/<n>x<n>/apps/``."""
    return package_dir(RESOURCES) / "icons"


def templates_dir() -> Path:
    """One ``<form>.toml`` per form, shared pieces in ``parts/``."""
    return package_dir(TEMPLATES)


def migrations_dir() -> Path:
    """Alembic's script location (``env.py``, ``versions/``)."""
    return package_dir(MIGRATIONS)
