"""The bundled CJK fonts: where they are, registering them with reportlab, glyph fallback.

Documents never use the machine's fonts. ``resources/fonts/`` holds TrueType files
(licences beside them, see ``resources/fonts/README.md``):

* body (宋体-like serif): AR PL UMing CN — ``uming.ttc`` face 0;
* titles (黑体-like sans): WenQuanYi Micro Hei — ``wqy-microhei.ttc`` face 0;
* fallback for rare characters (all of CJK Ext-A, ~2,900 of Ext-B such as 𠮷, and
  symbols): HanaMinA — ``HanaMinA.ttf``; an optional ``HanaMinB.ttf`` (rest of Ext-B..F)
  is used too when an administrator drops it in the folder.

Text is split into runs per glyph (:func:`split_runs`): each character goes to the
first font of the chain whose cmap has it. Fallback fonts are parsed only when a
character needs them, so an ordinary document loads two fonts.

This module also holds the one workaround we apply to reportlab, see
:func:`_to_unicode_cmap`.
"""

from __future__ import annotations

import fnmatch
import mmap
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts

from mediation import assets

FONT_DIR = assets.fonts_dir()


@dataclass(frozen=True)
class FontSpec:
    """One bundled font face."""

    name: str  # name registered with reportlab
    file: str  # file in FONT_DIR
    subfont: int  # face index inside a .ttc collection
    family: str  # family name as Qt / word processors see it
    role: str  # "body", "title" or "fallback"
    optional: bool = False


FONTS: tuple[FontSpec, ...] = (
    FontSpec("MediationSerif", "uming.ttc", 0, "AR PL UMing CN", "body"),
    FontSpec("MediationSans", "wqy-microhei.ttc", 0, "WenQuanYi Micro Hei", "title"),
    FontSpec("MediationFallback", "HanaMinA.ttf", 0, "HanaMinA", "fallback"),
    FontSpec("MediationFallbackB", "HanaMinB.ttf", 0, "HanaMinB", "fallback", optional=True),
)
BODY = "MediationSerif"
TITLE = "MediationSans"

_BY_NAME = {f.name: f for f in FONTS}
_lock = threading.RLock()
_loaded: dict[str, ttfonts.TTFont] = {}


def _spec(name: str) -> FontSpec:
    """Look a font up by reportlab name, file name or role (first of that role)."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    for spec in FONTS:
        if name in (spec.file, spec.role, spec.family):
            return spec
    raise KeyError(f"no bundled font {name!r}")


def font_path(name: str) -> Path:
    """The file of a bundled font (by reportlab name, role or file name).

    The Qt UI registers the same files with ``QFontDatabase.addApplicationFont``.
    """
    return FONT_DIR / _spec(name).file


def available_fonts() -> list[FontSpec]:
    """Fonts whose files are present (optional ones may be missing)."""
    return [f for f in FONTS if (FONT_DIR / f.file).is_file()]


def font_files() -> list[Path]:
    """Distinct font files to register with a UI toolkit."""
    seen: dict[Path, None] = {}
    for spec in available_fonts():
        seen.setdefault(FONT_DIR / spec.file, None)
    return list(seen)


def load(name: str) -> ttfonts.TTFont:
    """Parse and register a bundled font with reportlab (once per process).

    Parsing a CJK font's tables takes reportlab 0.1–0.2 s per font; the parsed metrics
    are kept in a cache file (see :func:`_cached_face`), so a new process reads them
    back in a few milliseconds.
    """
    spec = _spec(name)
    font = _loaded.get(spec.name)
    if font is not None:
        return font
    with _lock:
        font = _loaded.get(spec.name)
        if font is None:
            font = _CachedTTFont(spec.name, _face(spec))
            pdfmetrics.registerFont(font)
            _loaded[spec.name] = font
    return font


class _CachedTTFont(ttfonts.TTFont):
    """reportlab's TTFont over an already parsed face (the rest of its __init__ as is)."""

    def __init__(self, name: str, face: ttfonts.TTFontFace) -> None:
        from weakref import WeakKeyDictionary

        from reportlab import rl_config

        self.fontName = name
        self.face = face
        self.encoding = ttfonts.TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch.fnmatch(name, g) for g in getattr(ttfonts, "unShapedFontGlob", ()))


_CACHE_VERSION = 1


def _cache_file(spec: FontSpec) -> Path | None:
    try:
        import reportlab

        from mediation.config import cache_dir

        stat = (FONT_DIR / spec.file).stat()
        key = f"{spec.file}.{spec.subfont}.{stat.st_size}.{stat.st_mtime_ns}.rl{reportlab.Version}.v{_CACHE_VERSION}"
        return cache_dir() / "fonts" / f"{key}.marshal"
    except OSError:
        return None


def _face(spec: FontSpec) -> ttfonts.TTFontFace:
    """The parsed face of ``spec``: from the metrics cache if it is there, else parsed
    (and the cache written for the next process)."""
    path = FONT_DIR / spec.file
    cache = _cache_file(spec)
    if cache is not None:
        face = _cached_face(cache, path)
        if face is not None:
            return face
    face = ttfonts.TTFontFace(str(path), validate=0, subfontIndex=spec.subfont)
    if cache is not None:
        _store_face(cache, face)
    return face


def _cached_face(cache: Path, path: Path) -> ttfonts.TTFontFace | None:
    """A face rebuilt from the cache: the parsed attributes (``marshal``: plain data only,
    nothing in it can run) plus the font file's bytes, which subsetting reads."""
    import marshal

    try:
        state = marshal.loads(cache.read_bytes())
        if not _plausible(state):
            return None
        face = ttfonts.TTFontFace.__new__(ttfonts.TTFontFace)
        face.__dict__.update(state)
        units = state["unitsPerEm"]
        factor = 1000 / units
        scale: Callable[[float], float] = (lambda x: x) if units == 1000 else (lambda x: x * factor)
        # Mapped, not read (subsetting touches a few tables only); the map lives as long as
        # the process, like the font it belongs to.
        with path.open("rb") as f:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        # reportlab's private attributes, which its stubs do not declare.
        face.__dict__.update(_pdfScale=scale, _ttf_data=data)
        return face
    except Exception:  # noqa: BLE001 — any unreadable cache means: parse the font again
        return None


# What a parsed face must hold, and of which type (the rest are scalars and names).
_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "charToGlyph": dict, "glyphToChar": dict, "charWidths": dict, "hmetrics": list, "glyphPos": list,
    "table": dict, "unitsPerEm": int, "numGlyphs": int, "defaultWidth": (int, float), "name": (str, bytes),
    "ascent": (int, float), "descent": (int, float), "bbox": list, "flags": int,
}
_PLAIN = (dict, list, tuple, str, bytes, int, float, bool, type(None))


def _plausible(state: object) -> bool:
    """A cache file's content looks like a face written by :func:`_store_face`: the
    required attributes with their types, plain data only, a positive units-per-em."""
    if not isinstance(state, dict):
        return False
    for key, kind in _REQUIRED.items():
        if not isinstance(state.get(key), kind):
            return False
    if not all(isinstance(v, _PLAIN) for v in state.values()):
        return False
    return bool(state["unitsPerEm"] > 0 and len(state["glyphPos"]) == state["numGlyphs"] + 1)


def _store_face(cache: Path, face: ttfonts.TTFontFace) -> None:
    import marshal
    import os

    state = {k: v for k, v in face.__dict__.items() if k not in ("_ttf_data", "_pdfScale")}
    try:
        data = marshal.dumps(state)
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(cache)
    except (OSError, ValueError):
        pass  # no cache: the next process parses the font again


def preload() -> None:
    """Parse the body and title fonts now (≈0.35 s), e.g. in a worker at start-up."""
    load(BODY)
    load(TITLE)


def chain(primary: str) -> tuple[str, ...]:
    """Fonts tried in order for text whose style font is ``primary``."""
    names = [primary]
    names += [f.name for f in available_fonts() if f.role == "fallback"]
    names += [f.name for f in available_fonts() if f.role != "fallback" and f.name != primary]
    return tuple(dict.fromkeys(names))


def covers(name: str, char: str) -> bool:
    """Whether font ``name`` has a glyph for ``char``."""
    cmap = load(name).face.charToGlyph
    return ord(char) in cmap


_font_for_cache: dict[tuple[str, str], str] = {}


def font_for(char: str, primary: str) -> str:
    """The first font in ``primary``'s chain with a glyph for ``char`` (else ``primary``)."""
    key = (char, primary)
    hit = _font_for_cache.get(key)
    if hit is not None:
        return hit
    code = ord(char)
    found = primary
    for name in chain(primary):
        if code in load(name).face.charToGlyph:
            found = name
            break
    _font_for_cache[key] = found
    return found


_INVISIBLE = frozenset(" \t\n\r\u00a0\u3000")


def split_runs(text: str, primary: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font name, run)`` pieces, per-glyph fallback applied.

    Whitespace stays in the current run's font (every font has a space).
    """
    cmap = load(primary).face.charToGlyph
    runs: list[tuple[str, str]] = []
    current = primary
    start = 0
    for i, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        font = primary if ord(char) in cmap else font_for(char, primary)
        if font != current:
            if i > start:
                runs.append((current, text[start:i]))
            current, start = font, i
    if start < len(text):
        runs.append((current, text[start:]))
    return runs


def missing_glyphs(texts: Iterable[str], primary: str = BODY) -> set[str]:
    """Characters no bundled font can show (would print as empty boxes)."""
    out: set[str] = set()
    for text in texts:
        for char in text:
            if char in _INVISIBLE or not char.isprintable():
                continue
            if not any(ord(char) in load(n).face.charToGlyph for n in chain(primary)):
                out.add(char)
    return out


# ---------------------------------------------------------------------------------------
# WORKAROUND (issue 5): reportlab's ToUnicode CMap for TrueType subsets writes each
# character as "<%04X>" of its code point. For characters beyond the BMP (U+10000 and
# up, e.g. 𠮷 U+20BB7 in a person's name) that yields a 5-hex-digit value, which is not
# valid UTF-16BE, so pdftotext and copy-paste return garbage or nothing. The PDF spec
# (ISO 32000-1 §9.10.3) wants the destination as UTF-16BE, i.e. a surrogate pair:
# <D842DFB7>. We replace ``reportlab.pdfbase.ttfonts.makeToUnicodeCMap`` — the module
# global that ``TTFont.addObjects`` calls — with a version emitting UTF-16BE for every
# code point. For BMP characters the output is byte-for-byte what reportlab wrote, so
# the patch changes nothing else. Tested in tests/documents/test_pdf.py.
# ---------------------------------------------------------------------------------------

_original_make_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def _utf16be_hex(code: int) -> str:
    if code < 0x10000:
        return f"{code:04X}"
    return chr(code).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ToUnicode CMap for one 256-glyph subset, destinations in UTF-16BE."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    # A bfchar section may hold at most 100 entries (PDF spec); reportlab wrote one
    # section of up to 256, which readers accept, but we follow the spec.
    pairs = [f"<{i:02X}> <{_utf16be_hex(v)}>" for i, v in enumerate(subset)]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(chunk)
        lines.append("endbfchar")
    lines += [
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def install_to_unicode_fix() -> None:
    """Make reportlab write correct ToUnicode maps (idempotent)."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


install_to_unicode_fix()
