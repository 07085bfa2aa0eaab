"""Remembered UI state (QSettings in an INI file): geometry, splitters, columns, last user, language.

Desk-wide rules live in the database; machine-level settings in ``config.toml``; this
file only remembers how the windows were left, so deleting it loses nothing important.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

from mediation.config import config_dir, load_config


def state_path() -> Path:
    return config_dir() / "ui-state.ini"


class UiState:
    """Typed accessors over one QSettings file."""

    def __init__(self, path: Path | None = None) -> None:
        p = path or state_path()
        p.parent.mkdir(parents=True, exist_ok=True)
        self._settings = QSettings(str(p), QSettings.Format.IniFormat)

    @property
    def settings(self) -> QSettings:
        return self._settings

    def sync(self) -> None:
        self._settings.sync()

    # -- plain values -------------------------------------------------------------

    def language(self) -> str:
        """The chosen UI language, else the one in ``config.toml`` (default zh_CN)."""
        value = self._settings.value("ui/language", "")
        return str(value) if value else load_config().language

    def set_language(self, language: str) -> None:
        self._settings.setValue("ui/language", language)

    def last_user(self) -> str:
        return str(self._settings.value("login/last_user", "") or "")

    def set_last_user(self, username: str) -> None:
        self._settings.setValue("login/last_user", username)

    def view(self, username: str) -> dict[str, object]:
        """``username``'s own view of the case list (filters; see CaseFilterBar.view), else empty."""
        try:
            data = json.loads(str(self._settings.value(f"view/{_user_key(username)}/filters", "") or "{}"))
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def save_view(self, username: str, view: dict[str, object]) -> None:
        self._settings.setValue(f"view/{_user_key(username)}/filters", json.dumps(view, ensure_ascii=False))

    def save_user_header(self, username: str, header: QHeaderView) -> None:
        """``username``'s columns (widths, order) and sort."""
        self._settings.setValue(f"view/{_user_key(username)}/columns", header.saveState())

    def restore_user_header(self, username: str, header: QHeaderView) -> bool:
        data = self._bytes(f"view/{_user_key(username)}/columns")
        return bool(data is not None and header.restoreState(data))

    # -- widgets ---------------------------------------------------------------------

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_geometry(self, key: str, widget: QWidget) -> None:
        self._settings.setValue(f"geometry/{key}", widget.saveGeometry())

    def restore_geometry(self, key: str, widget: QWidget) -> bool:
        data = self._bytes(f"geometry/{key}")
        return bool(data is not None and widget.restoreGeometry(data))

    def save_window_size(self, key: str, screen: str, size: QSize, maximised: bool) -> None:
        """A window's size (and whether it was maximised) on screens of size ``screen`` (``WxH``)."""
        self._settings.setValue(f"window/{key}/{screen}", f"{size.width()}x{size.height()}{'+max' if maximised else ''}")

    def window_size(self, key: str, screen: str) -> tuple[QSize, bool] | None:
        """What :meth:`save_window_size` kept for this window and screen size, if anything."""
        text = str(self._settings.value(f"window/{key}/{screen}", "") or "")
        size, _, flag = text.partition("+")
        width, _, height = size.partition("x")
        if not (width.isdigit() and height.isdigit()) or int(width) < 50 or int(height) < 50:
            return None
        return QSize(int(width), int(height)), flag == "max"

    def save_header(self, key: str, header: QHeaderView) -> None:
        """Column widths, order and the sort indicator."""
        self._settings.setValue(f"header/{key}", header.saveState())

    def restore_header(self, key: str, header: QHeaderView) -> bool:
        data = self._bytes(f"header/{key}")
        return bool(data is not None and header.restoreState(data))

    def save_splitter(self, key: str, splitter: QSplitter) -> None:
        self._settings.setValue(f"splitter/{key}", splitter.saveState())

    def restore_splitter(self, key: str, splitter: QSplitter) -> bool:
        data = self._bytes(f"splitter/{key}")
        return bool(data is not None and splitter.restoreState(data))


def _user_key(username: str) -> str:
    """A username as one QSettings key segment (no slashes; case kept)."""
    return "".join(c if c.isalnum() or c in "-_." else f"%{ord(c):04x}" for c in username) or "_"
