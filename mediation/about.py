"""What this program is: version, where its database and log are, what it bundles and under which licences.

One source for 帮助 → 关于 and ``mediation --version``: :func:`facts` gathers them,
:func:`report` writes them as the plain text both show (and a volunteer can copy into
a message). The version is the installed distribution's (``importlib.metadata``; the
frozen bundle carries the same metadata), never a second number in the code.
"""

from __future__ import annotations

import argparse
import functools
import platform
import re
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mediation.i18n import N_, _

if TYPE_CHECKING:
    from sqlalchemy import Engine

DISTRIBUTION = "mediation-desk"
PROGRAM_NAME = N_("警校联调中心 · 调解工作台")
EXTRAS_SHOWN = ("postgres",)
"""Optional dependency groups listed when installed (the bundle carries PostgreSQL support)."""

FONT_LICENCES: dict[str, str] = {
    "uming.ttc": "Arphic Public License",
    "wqy-microhei.ttc": "Apache-2.0 OR GPL-3.0-or-later WITH Font-exception-2.0",
    "HanaMinA.ttf": "Hanazono Font License OR OFL-1.1",
    "HanaMinB.ttf": "Hanazono Font License OR OFL-1.1",
}
"""Licence of each bundled font file (texts beside them: ``<stem>.LICENSE.txt``)."""

NATIVE_PARTS: dict[str, str] = {
    "PySide6": N_("内含 Qt 6 及其第三方库，如 ICU"),
    "psycopg-binary": N_("内含 libpq：PostgreSQL License；OpenSSL：Apache-2.0；Kerberos：MIT"),
    "pillow": N_("内含 libjpeg、libpng、FreeType、HarfBuzz 等，各自的开源许可"),
}
"""Native libraries that arrive inside a Python distribution (named so no licence hides)."""

LICENCE_TEXTS: tuple[tuple[str, str], ...] = (
    ("LGPL-3.0", "LGPL-3.0.txt"),
    ("LGPL-2.1", "LGPL-2.1.txt"),
    ("PSF-2.0", "Python-PSF-2.0.txt"),
)
"""Licence → full text in ``resources/licenses/``, for components that ship none of their own."""


@dataclass(frozen=True)
class Component:
    """One bundled font or library."""

    name: str
    version: str
    licence: str
    kind: str  # "font", "library" or "runtime"
    note: str = ""
    licence_file: Path | None = None
    """The licence's full text, when shipped as a file (fonts; libraries' metadata)."""


@dataclass(frozen=True)
class DatabaseFacts:
    url: str
    """The URL with any password hidden."""
    location: str
    """The SQLite file, or the server and database name."""
    revision: str | None
    """The schema revision stamped in the database; None when none is stamped (or unreadable)."""
    head: str
    """The newest revision this program knows."""
    state: str
    """One sentence: up to date, will be upgraded at start, not created yet, unreadable …"""


@dataclass(frozen=True)
class Facts:
    version: str
    runtime: str
    database: DatabaseFacts
    data_dir: Path
    config_file: Path
    log_file: Path
    components: tuple[Component, ...]


# ---------------------------------------------------------------- version


@functools.cache
def version() -> str:
    """The installed distribution's version (from its metadata; the frozen bundle carries it too)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version(DISTRIBUTION)
    except PackageNotFoundError:  # a checkout run without installing (PYTHONPATH=.)
        return "0+unknown"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def runtime() -> str:
    """How the program runs here: Python, bundle or package, operating system."""
    how = _("独立安装包") if is_frozen() else _("Python 软件包")
    system = f"{platform.system()} {platform.release()} {platform.machine()}"
    libc, libc_version = platform.libc_ver()
    if libc:
        system += f"，{libc} {libc_version}"
    return f"{how}，Python {platform.python_version()}，{system}"


# ---------------------------------------------------------------- database


def database_facts(url: str, engine: Engine | None = None) -> DatabaseFacts:
    """Where the database is and its schema revision, read without creating or changing it.

    ``engine``: an engine already open on ``url`` (the app's); else a SQLite file is
    opened read-only and a server database with a short connection timeout.
    """
    from sqlalchemy.engine import make_url

    from mediation.db import sqlite_path
    from mediation.migrations import HEAD

    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - a typo in --db or the settings file: say so, don't fail
        return DatabaseFacts(url, url, None, HEAD, _("数据库地址无效"))
    shown = parsed.render_as_string(hide_password=True)
    path = sqlite_path(url)
    if path is not None:
        location = str(path.absolute())
    else:
        location = f"{parsed.get_backend_name()}://{parsed.host or 'localhost'}" + (
            f":{parsed.port}" if parsed.port else "") + f"/{parsed.database or ''}"
    try:
        if engine is not None:
            revision = _engine_revision(engine)
        elif path is not None:
            if not path.exists():
                return DatabaseFacts(shown, location, None, HEAD, _("尚未创建（首次启动或 mediation init 时创建）"))
            revision = _sqlite_revision(path)
        else:
            revision = _server_revision(url)
    except Exception as exc:  # noqa: BLE001 - the about box must open even when the database does not
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        return DatabaseFacts(shown, location, None, HEAD,
                             _("无法读取（{detail}）").format(detail=detail[0][:160] if detail else type(exc).__name__))
    return DatabaseFacts(shown, location, revision, HEAD, _revision_state(revision, HEAD))


def _revision_state(revision: str | None, head: str) -> str:
    if revision is None:
        return _("数据库中没有版本标记（空数据库，启动时将建立）")
    if revision == head:
        return _("最新")
    if revision < head:
        return _("较旧，启动或 mediation db upgrade 时升级到 {head}（先自动备份）").format(head=head)
    return _("比本程序新：请先升级程序")


def _sqlite_revision(path: Path) -> str | None:
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True, timeout=5)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        conn.close()


def _engine_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row else None


def _server_revision(url: str) -> str | None:
    from sqlalchemy import create_engine

    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        return _engine_revision(engine)
    finally:
        engine.dispose()


# ---------------------------------------------------------------- licences


def _metadata_licence(meta: Any) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    classifiers = [c.split("::")[-1].strip() for c in (meta.get_all("Classifier") or [])
                   if c.startswith("License ::") and c.split("::")[-1].strip() != "OSI Approved"]
    if classifiers:
        return " / ".join(classifiers)
    text = (meta.get("License") or "").strip()
    return text.splitlines()[0][:80] if text else _("未注明")


def _requirement_name(requirement: str) -> tuple[str, str]:
    """``"psycopg[binary]>=3.1; extra == 'postgres'"`` → ("psycopg", "postgres"); extras of the name too."""
    name = re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0]
    extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", requirement)
    inner = re.search(r"\[([^\]]+)\]", requirement.split(";")[0])
    if inner:
        name = name + "[" + inner.group(1) + "]"
    return name, extra.group(1) if extra else ""


def _walk(names: Sequence[str]) -> Iterator[Any]:
    """Installed distributions reachable from ``names`` through their requirements."""
    from importlib.metadata import PackageNotFoundError, distribution

    seen: set[str] = set()
    todo = list(names)
    while todo:
        spec = todo.pop(0)
        base, _bracket, extras = spec.partition("[")
        key = re.sub(r"[-_.]+", "-", base).lower()
        wanted_extras = {e.strip() for e in extras.rstrip("]").split(",") if e.strip()}
        try:
            dist = distribution(base)
        except PackageNotFoundError:
            continue  # not installed here (another platform's dependency, or an extra left out)
        if key not in seen:
            seen.add(key)
            yield dist
        for requirement in dist.requires or []:
            name, extra = _requirement_name(requirement)
            if extra and extra not in wanted_extras:
                continue
            todo.append(name)


def _licence_file(dist: Any) -> Path | None:
    """The licence text a distribution ships in its metadata folder (``License-File``), if any."""
    names = set(dist.metadata.get_all("License-File") or [])
    if not names:
        return None
    # LICENSE before AUTHORS and the like.
    entries = sorted(dist.files or [], key=lambda e: "LICEN" not in e.name.upper())
    for entry in entries:
        parts = entry.parts
        if len(parts) < 2 or not parts[0].endswith(".dist-info"):
            continue
        inner = "/".join(parts[1:])
        if inner in names or inner.removeprefix("licenses/") in names:
            located = Path(str(dist.locate_file(entry)))
            if located.is_file():
                return located
    return None


def libraries() -> list[Component]:
    """The Python distributions this program runs on (itself excluded), with their licences."""
    roots = [DISTRIBUTION + "[" + ",".join(EXTRAS_SHOWN) + "]"]
    out: list[Component] = []
    for dist in _walk(roots):
        name = dist.metadata["Name"]
        if re.sub(r"[-_.]+", "-", name).lower() == DISTRIBUTION:
            continue
        licence = _metadata_licence(dist.metadata)
        native = NATIVE_PARTS.get(name)
        out.append(Component(name, dist.version, licence, "library", _(native) if native else "",
                             _licence_file(dist) or shipped_licence(licence)))
    return sorted(out, key=lambda c: c.name.lower())


def fonts() -> list[Component]:
    from mediation import assets
    from mediation.documents import fonts as document_fonts

    out: list[Component] = []
    seen: set[str] = set()
    for spec in document_fonts.available_fonts():
        if spec.file in seen:
            continue
        seen.add(spec.file)
        licence = assets.fonts_dir() / f"{Path(spec.file).stem}.LICENSE.txt"
        out.append(Component(spec.family, "", FONT_LICENCES.get(spec.file, _("见许可文件")), "font",
                             note=spec.file, licence_file=licence if licence.is_file() else None))
    return out


def runtimes() -> list[Component]:
    """The interpreter, SQLite and Qt itself (not Python distributions), and the bundle's loader."""
    out = [
        Component("Python", platform.python_version(), "PSF-2.0", "runtime",
                  licence_file=shipped_licence("PSF-2.0")),
        Component("SQLite", sqlite3.sqlite_version, _("公有领域（Public Domain）"), "runtime"),
    ]
    qt_core = sys.modules.get("PySide6.QtCore")
    qt_version = str(qt_core.qVersion()) if qt_core is not None else _dist_version("PySide6")
    if qt_version:
        out.append(Component("Qt", qt_version, "LGPL-3.0-only", "runtime",
                             _("动态链接，可替换安装目录中的 Qt 库文件"), shipped_licence("LGPL-3.0")))
    if is_frozen():
        out.append(Component("PyInstaller bootloader", _dist_version("pyinstaller") or "",
                             "GPL-2.0-or-later WITH Bootloader-exception", "runtime"))
    return out


def shipped_licence(licence: str) -> Path | None:
    """The full text in ``resources/licenses/`` for a licence expression that names one."""
    from mediation import assets

    for key, file in LICENCE_TEXTS:
        if key in licence:
            path = assets.package_dir(assets.RESOURCES) / "licenses" / file
            return path if path.is_file() else None
    return None


def licence_text(component: Component) -> str:
    """The full licence text of ``component``, or a sentence saying there is none shipped."""
    if component.licence_file is not None:
        try:
            return component.licence_file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return _("无法读取许可文件 {path}：{error}").format(path=component.licence_file, error=exc.strerror)
    return _("{name} 的许可：{licence}。安装包中没有附带许可全文。").format(
        name=component.name, licence=component.licence)


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version(name)
    except PackageNotFoundError:
        return ""


def components() -> list[Component]:
    return fonts() + runtimes() + libraries()


# ---------------------------------------------------------------- all together


def facts(url: str | None = None, engine: Engine | None = None) -> Facts:
    """Everything 关于 shows; ``url`` defaults to the configured database."""
    from mediation import config

    resolved = url or config.load_config().resolved_database_url()
    return Facts(
        version=version(),
        runtime=runtime(),
        database=database_facts(resolved, engine),
        data_dir=config.data_dir(),
        config_file=config.config_path(),
        log_file=config.log_dir() / "mediation.log",
        components=tuple(components()),
    )


def report(f: Facts) -> str:
    """The facts as plain text (``mediation --version``, the about box's 复制 button)."""
    db = f.database
    revision = db.revision or "—"
    lines = [
        f"{_(PROGRAM_NAME)} {f.version}",
        _("运行方式：{runtime}").format(runtime=f.runtime),
        _("数据库：{location}").format(location=db.location),
        _("数据库版本：{revision}（程序支持到 {head}；{state}）").format(revision=revision, head=db.head, state=db.state),
        _("数据目录：{path}").format(path=f.data_dir),
        _("配置文件：{path}").format(path=f.config_file),
        _("日志文件：{path}").format(path=f.log_file),
        "",
        _("随附字体与软件库及其许可："),
    ]
    for c in f.components:
        note = f"（{c.note}）" if c.note else ""
        name = f"{c.name} {c.version}" if c.version else c.name
        lines.append(f"  {name}　{c.licence}{note}")
    return "\n".join(lines)


def print_report(url: str | None = None, *, file: Any = None) -> None:
    print(report(facts(url)), file=file or sys.stdout)


class VersionAction(argparse.Action):
    """``--version``: print :func:`report` for the database chosen so far (``--db`` or the default) and exit 0."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: Any = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0,
                         help=help or _("显示版本、数据库位置与版本、日志文件位置和随附组件的许可，然后退出"))

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        db = getattr(namespace, "db", None)
        print_report(db if isinstance(db, str) else None)
        parser.exit(0)
