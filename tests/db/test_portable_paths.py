"""Nothing that only works on Linux or only from a checkout: packaged files through
importlib.resources, user folders through platformdirs, file names Windows accepts."""

from __future__ import annotations

import re
import sqlite3
from importlib.resources import files
from pathlib import Path

import platformdirs
import pytest

from mediation import assets, config, migrate
from mediation.db import Database
from mediation.documents import forms
from mediation.services import backup

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "mediation"
NTFS_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.I)

# Reads relative to its own file that another change removes: the demo generator's helper
# process puts the checkout on PYTHONPATH (the command-line reshape starts it as
# `mediation _demo-helper` instead). Delete the entry with that change; the test fails
# while an entry names a file that no longer does it, so the list cannot go stale.
KNOWN_FILE_RELATIVE: set[str] = set()


def ntfs_safe(name: str) -> bool:
    return (not NTFS_BAD.search(name) and not WINDOWS_DEVICES.match(name)
            and not name.endswith((" ", ".")) and len(name) <= 255)


def test_packaged_files_come_through_importlib_resources() -> None:
    assert assets.templates_dir() == Path(str(files("mediation.templates")))
    assert assets.fonts_dir() == Path(str(files("mediation.resources"))) / "fonts"
    assert assets.migrations_dir() == Path(str(files("mediation.migrations")))
    assert (assets.migrations_dir() / "env.py").is_file()
    assert {"people_agreement", "application", "termination_notice"} <= set(forms.available_forms())
    assert (assets.i18n_dir() / "mediation_en.qm").is_file()
    assert (assets.i18n_dir() / "en" / "LC_MESSAGES" / "mediation.mo").is_file()
    assert (assets.icons_dir() / "hicolor" / "256x256" / "apps" / "mediation-desk.png").is_file()


def test_editable_install_maps_the_top_level_folders_into_the_package() -> None:
    """From the checkout (scripts/run.sh, scripts/test.sh) the design card's top-level
    templates/ and resources/ are the package's; an installed wheel has its own copies."""
    if not (ROOT / "setup.py").is_file() or Path(forms.__file__).resolve().parents[2] != ROOT:
        pytest.skip("running from an installed wheel, not the checkout")
    assert assets.templates_dir().resolve() == ROOT / "templates"
    assert assets.fonts_dir().resolve() == ROOT / "resources" / "fonts"


def test_no_module_reads_files_relative_to_the_checkout() -> None:
    offenders = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\b__file__\b", text) and "migrations/" not in path.as_posix():
            offenders.add(path.relative_to(ROOT).as_posix())
    assert offenders == KNOWN_FILE_RELATIVE


def test_no_linux_only_locations_in_the_code() -> None:
    linux_only = re.compile(r"""["'](~/|/tmp/|/home/|/usr/|/etc/|/proc/|/var/)|\.local/share|\.config/""")
    hits = [f"{p.relative_to(ROOT)}:{n}" for p in PACKAGE.rglob("*.py")
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if linux_only.search(line) and not line.lstrip().startswith("#")]
    assert hits == []


def test_user_folders_come_from_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(config.ENV_DATA_DIR, raising=False)
    assert config.data_dir() == Path(platformdirs.user_data_dir(config.APP_NAME, config.APP_AUTHOR))
    assert config.config_dir() == Path(platformdirs.user_config_dir(config.APP_NAME, config.APP_AUTHOR))
    assert config.cache_dir() == Path(platformdirs.user_cache_dir(config.APP_NAME, config.APP_AUTHOR))
    assert config.log_dir().parent == config.data_dir()


def test_generated_backup_names_are_valid_on_windows(sqlite_db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    result = backup.backup(sqlite_db, folder)  # a folder: the program names the file
    assert [p.name for p in folder.iterdir()] == [result.path.name]
    assert ntfs_safe(result.path.name), result.path.name

    source = tmp_path / "desk.sqlite3"
    sqlite3.connect(source).close()
    before_upgrade = migrate.backup_sqlite_file(source, "upgrade-0003")
    assert ntfs_safe(before_upgrade.name), before_upgrade.name


@pytest.mark.parametrize("name", ["mediation-20261205-103000.sqlite3", "协议书（2026）X警校调字第012号.pdf"])
def test_the_name_check_itself(name: str) -> None:
    assert ntfs_safe(name)
    assert not ntfs_safe(name.replace("-", ":", 1).replace("（", "<", 1))
    assert not ntfs_safe("CON.txt") and not ntfs_safe("lpt1") and not ntfs_safe("a.")
