"""Tiny PNG writer for tests (signatures without a screen)."""

from __future__ import annotations

import struct
import zlib


def png(width: int = 60, height: int = 20, *, stroke: int = 3) -> bytes:
    """A white image with a black diagonal stroke."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            ink = abs(x * height // width - y) < stroke
            row += b"\x00\x00\x00" if ink else b"\xff\xff\xff"
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
