"""The bundled fonts: present, licensed, TrueType, and covering rare name characters."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from mediation.documents import fonts, render, samples

RARE = "䶮𠮷㛃"  # U+4DAE (Ext-A), U+20BB7 (Ext-B), U+36C3 (Ext-A)


def _sfnt_tables(data: bytes, offset: int) -> set[bytes]:
    num_tables = struct.unpack(">H", data[offset + 4 : offset + 6])[0]
    return {data[offset + 12 + 16 * i : offset + 16 + 16 * i] for i in range(num_tables)}


def _faces(path: Path) -> list[set[bytes]]:
    data = path.read_bytes()
    if data[:4] == b"ttcf":
        count = struct.unpack(">I", data[8:12])[0]
        offsets = struct.unpack(f">{count}I", data[12 : 12 + 4 * count])
        return [_sfnt_tables(data, o) for o in offsets]
    return [_sfnt_tables(data, 0)]


def test_bundle_is_present_licensed_and_small() -> None:
    files = fonts.font_files()
    assert {p.name for p in files} >= {"uming.ttc", "wqy-microhei.ttc", "HanaMinA.ttf"}
    total = sum(p.stat().st_size for p in fonts.FONT_DIR.iterdir() if p.is_file())
    assert total < 60 * 1024 * 1024
    for path in files:
        licence = path.with_name(path.stem + ".LICENSE.txt")
        assert licence.is_file() and licence.stat().st_size > 1000, licence


def test_fonts_are_truetype_outlines() -> None:
    for path in fonts.font_files():
        for tables in _faces(path):
            assert b"glyf" in tables and b"CFF " not in tables, path.name


def test_font_path_by_name_role_and_file() -> None:
    assert fonts.font_path("body").name == "uming.ttc"
    assert fonts.font_path("title").name == "wqy-microhei.ttc"
    assert fonts.font_path(fonts.TITLE) == fonts.font_path("wqy-microhei.ttc")
    assert fonts.font_path("fallback").is_file()
    with pytest.raises(KeyError):
        fonts.font_path("Comic Sans")


@pytest.mark.parametrize("char", list(RARE))
def test_rare_characters_have_a_font(char: str) -> None:
    font = fonts.font_for(char, fonts.BODY)
    assert fonts.covers(font, char)
    title_font = fonts.font_for(char, fonts.TITLE)
    assert fonts.covers(title_font, char)


def test_split_runs_falls_back_per_glyph() -> None:
    runs = fonts.split_runs("王𠮷祥", fonts.BODY)
    assert "".join(r for _f, r in runs) == "王𠮷祥"
    assert runs[0] == (fonts.BODY, "王")
    assert runs[1][1] == "𠮷" and runs[1][0] != fonts.BODY
    assert runs[2] == (fonts.BODY, "祥")


def test_every_sample_form_is_fully_covered() -> None:
    for info in render.list_forms():
        page = render.page_for(info.form, samples.context_for(info.form))
        assert fonts.missing_glyphs(page.texts()) == set(), info.form


@pytest.mark.parametrize("name", ["MediationSerif", "MediationSans", "MediationFallback"])
def test_metrics_cache_gives_the_same_face(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new process reads the parsed metrics back from the cache: same glyphs, widths
    and subset bytes as parsing the font again."""
    monkeypatch.setenv("MEDIATION_DATA_DIR", str(tmp_path))
    spec = fonts._spec(name)
    cache = fonts._cache_file(spec)
    assert cache is not None and not cache.exists()
    parsed = fonts._face(spec)  # parses, writes the cache
    assert cache.exists()
    cached = fonts._face(spec)  # from the cache
    assert cached is not parsed
    for attr in ("charToGlyph", "charWidths", "defaultWidth", "ascent", "descent", "bbox", "name", "flags"):
        assert getattr(cached, attr) == getattr(parsed, attr), attr
    assert cached._pdfScale(2048) == parsed._pdfScale(2048)
    glyphs = [0, 32, *sorted({parsed.charToGlyph[ord(c)] for c in "调解协议书王李" if ord(c) in parsed.charToGlyph})]
    assert cached.makeSubset(glyphs) == parsed.makeSubset(glyphs)
    # A damaged or implausible cache file is ignored: the font is parsed again and the
    # file rewritten.
    import marshal

    state = {k: v for k, v in parsed.__dict__.items() if k not in ("_ttf_data", "_pdfScale")}
    for bad in (b"\x00garbage", marshal.dumps({"charToGlyph": {}}),
                marshal.dumps({**state, "unitsPerEm": 0}), marshal.dumps({**state, "glyphPos": [0]}),
                marshal.dumps([1, 2, 3])):
        cache.write_bytes(bad)
        again = fonts._face(spec)
        assert again.charToGlyph == parsed.charToGlyph
        assert fonts._cached_face(cache, fonts.FONT_DIR / spec.file) is not None  # rewritten
