"""The signature pad: ink drawn with the mouse becomes a cropped, transparent PNG."""

from __future__ import annotations

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from mediation.ui.signature_pad import SignaturePad
from tests.ui.document_fixtures import sign


def test_pad_png_is_cropped_and_transparent(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(500, 150)
    pad.show()
    assert pad.is_empty() and pad.to_png() == b""
    sign(qtbot, pad)
    data = pad.to_png()
    image = QImage.fromData(data, "PNG")
    assert data.startswith(b"\x89PNG") and not image.isNull()
    assert image.hasAlphaChannel() and image.pixelColor(0, 0).alpha() == 0
    # Cropped to the ink (x 30..220, y 40..90) at three pixels per point.
    assert 500 < image.width() < 3 * 260 and 100 < image.height() < 3 * 80
    pad.clear()
    assert pad.is_empty()
