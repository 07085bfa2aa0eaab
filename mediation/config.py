"""Settings declared once: type, default, description; read from TOML and the environment."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

import platformdirs

APP_NAME = "mediation-desk"
APP_AUTHOR = "mediation"
ENV_DATABASE_URL = "MEDIATION_DATABASE_URL"
ENV_DATA_DIR = "MEDIATION_DATA_DIR"


def data_dir() -> Path:
    """Where the SQLite database, backups and drafts live (overridable for tests)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def config_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def cache_dir() -> Path:
    """Caches that can be deleted at any time (parsed font metrics)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override) / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    return data_dir() / "logs"


@dataclass(frozen=True)
class Config:
    """Machine-level settings (desk-wide rules live in the database ``setting`` table)."""

    database_url: str = ""
    """SQLAlchemy URL; empty means the SQLite file ``mediation.sqlite3`` in the data dir."""
    language: str = "zh_CN"
    """UI language: ``zh_CN`` or ``en``."""
    backup_on_upgrade: bool = True
    """Copy the SQLite file before applying migrations."""
    key_file: str = ""
    """The audit keys and backup passphrase (empty: ``keys.json`` in the config dir)."""
    backup_folder: str = ""
    """Where automatic backups go (a second disk, a USB stick, a network share); empty: none."""
    backup_encrypt: bool = False
    """Encrypt automatic backups with the desk's backup passphrase (AES-GCM)."""

    def resolved_database_url(self) -> str:
        env = os.environ.get(ENV_DATABASE_URL)
        if env:
            return env
        if self.database_url:
            return self.database_url
        return f"sqlite:///{data_dir() / 'mediation.sqlite3'}"


def config_path() -> Path:
    return config_dir() / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read the TOML settings file if there is one; unknown keys are ignored."""
    p = path or config_path()
    cfg = Config()
    if p.exists():
        with p.open("rb") as fh:
            raw = tomllib.load(fh)
        known = {f.name for f in fields(Config)}
        cfg = replace(cfg, **{k: v for k, v in raw.items() if k in known})
    return cfg


def save_config(cfg: Config, path: Path | None = None) -> None:
    p = path or config_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for f in fields(Config):
        value = getattr(cfg, f.name)
        if isinstance(value, bool):
            lines.append(f"{f.name} = {'true' if value else 'false'}")
        else:
            escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{f.name} = "{escaped}"')
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
