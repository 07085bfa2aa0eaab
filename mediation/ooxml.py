"""Office Open XML packages (.docx templates, .xlsx ledgers) looked at before any XML parser.

An OOXML file is a zip of XML parts. Before a parser sees them: the archive is not a zip
bomb (entries and unpacked size capped), no part name escapes the package, and no XML
part declares a document type — a ``<!DOCTYPE`` is where entity tricks live (XXE: an
entity reading a local file or a URL; "billion laughs": entities expanding to gigabytes),
and Word and Excel never write one. Every XML part is read completely, in chunks (a
declaration after the first few kilobytes, or in a part other than the main one, is
found too), but never held whole in memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from mediation.i18n import _

CHUNK = 64 * 1024
_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_LONGEST = max(len(m) for m in _MARKS)


@dataclass(frozen=True)
class Refusal:
    part: str
    """The part's name inside the package ("" for the package as a whole)."""
    message: str


def _xml_parts(archive: zipfile.ZipFile) -> Iterator[zipfile.ZipInfo]:
    for info in archive.infolist():
        name = info.filename.lower()
        if name.endswith((".xml", ".rels", ".vml")) or name == "[content_types].xml":
            yield info


def declares_doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the part declares a document type or an entity anywhere in it (read in chunks)."""
    tail = b""
    with archive.open(info) as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                return False
            window = tail + chunk
            # UTF-16 parts: look at the bytes without the zero bytes too.
            if any(m in window or m in window.replace(b"\x00", b"") for m in _MARKS):
                return True
            tail = window[-2 * _LONGEST:]


def check(archive: zipfile.ZipFile, *, max_entries: int, max_unpacked: int) -> Refusal | None:
    """The first reason not to open ``archive`` further, or None."""
    infos = archive.infolist()
    if len(infos) > max_entries:
        return Refusal("", _("包含的部件过多"))
    if sum(i.file_size for i in infos) > max_unpacked:
        return Refusal("", _("解压后过大"))
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or ":" in name:
            return Refusal(name, _("部件名称非法：{name}").format(name=name))
    for info in _xml_parts(archive):
        try:
            if declares_doctype(archive, info):
                return Refusal(info.filename, _("含有文档类型声明（{name}）").format(name=info.filename))
        except Exception:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError…: a damaged part
            return Refusal(info.filename, _("部件已损坏：{name}").format(name=info.filename))
    return None
