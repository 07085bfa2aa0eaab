"""The recovery sheet (issue 11 item 7): the backup passphrase and the audit keys on paper,
as text and as QR codes that carry exactly that text, bundled fonts embedded."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import segno
from PIL import Image
from sqlalchemy import select

from mediation import keys
from mediation.db import Database
from mediation.errors import PermissionDenied
from mediation.models import AuditHead, AuditLog
from mediation.services import recovery
from tests.conftest import Desk
from tests.documents.helpers import needs_poppler, poppler

DPI = 300


@needs_poppler
def test_the_recovery_sheet_carries_the_secrets_as_text_and_qr(sqlite_db: Database, tmp_path: Path) -> None:
    desk = Desk(sqlite_db)
    saved = keys.key_file_path().read_bytes()
    try:
        keys.set_backup_passphrase("QH7KM-3VXRT-9PLDA-WC4NE-UY6GB-2FSJZ")
        kf = keys.load()
        assert kf is not None
        with sqlite_db.write() as s:
            pdf = recovery.recovery_sheet_pdf(s, desk.admin)
        path = tmp_path / "sheet.pdf"
        path.write_bytes(pdf)
        text = poppler("pdftotext", path, "-enc", "UTF-8")
        assert "调解工作台 恢复单" in text and "请锁入保险柜" in text
        assert "QH7KM-3VXRT-9PLDA-WC4NE-UY6GB-2FSJZ" in text
        key_text = keys.key_text(kf.key(kf.current) or b"")
        assert key_text[:34] in text.replace("\n", "") and kf.current in text
        with sqlite_db.read() as s:  # the chain as it was just before the sheet's own audit row
            head = s.get(AuditHead, desk.desk_id)
            assert head is not None and head.genesis is not None
            before = s.scalars(select(AuditLog.hash).where(AuditLog.desk_id == desk.desk_id,
                                                           AuditLog.seq == head.count - 1)).one()
            assert f"audit:{desk.desk_id}:{head.count - 1}:{head.genesis[:16]}:{before}" in text.replace("\n", "")
        fonts = poppler("pdffonts", path)
        rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
        assert rows and all(r[-5] == "yes" for r in rows), fonts  # every font embedded
        # The QR codes, as drawn, are the passphrase and the key (what a scanner reads back).
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", "1", "-l", "1", str(path),
                        str(tmp_path / "page")], check=True, timeout=60)
        png = next(tmp_path.glob("page*.png"))
        image = Image.open(png).convert("L")
        px = image.load()
        assert px is not None
        found = _symbols(image)
        assert len(found) == 2, found
        for (top, bottom, left, right), payload in zip(found, [kf.backup_passphrase, key_text], strict=True):
            expected = [list(row) for row in segno.make(payload, error="m", micro=False).matrix]
            n = len(expected)
            drawn = [[px[int(left + (right - left + 1) * (c + 0.5) / n), int(top + (bottom - top + 1) * (r + 0.5) / n)] < 128
                      for c in range(n)] for r in range(n)]
            assert drawn == [[bool(v) for v in row] for row in expected]
        with sqlite_db.read() as s:
            row = s.scalars(select(AuditLog).where(AuditLog.action == "keys.recovery_sheet")).one()
            assert row.user_id == desk.admin.user_id and row.after is not None
            assert "QH7KM" not in str(row.after)  # the secret itself is never in the log
        with pytest.raises(PermissionDenied), sqlite_db.write() as s:
            recovery.recovery_sheet_pdf(s, desk.volunteer)
    finally:
        keys.key_file_path().write_bytes(saved)


def _symbols(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (top, bottom, left, right) of the QR symbols at the right of the page."""
    width, height = image.size
    px = image.load()
    assert px is not None
    x0 = int(width * 0.62)
    rows = [y for y in range(height) if any(px[x, y] < 100 for x in range(x0, width))]
    bands: list[list[int]] = []
    for y in rows:
        if bands and y - bands[-1][-1] <= DPI // 25:  # within a symbol, no light gap wider than ~1 mm
            bands[-1].append(y)
        else:
            bands.append([y])
    out = []
    for band in bands:
        top, bottom = band[0], band[-1]
        if bottom - top < DPI // 2:
            continue
        xs = [x for y in range(top, bottom + 1, 3) for x in range(x0, width) if px[x, y] < 100]
        out.append((top, bottom, min(xs), max(xs)))
    return out
