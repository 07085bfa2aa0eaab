"""The recovery sheet: the backup passphrase and the audit keys on paper, with QR codes.

One A4 page (more if there are many keys) for the administrator to print and lock away:
whoever holds it can open the encrypted backups and make audit rows that verify, so it
says so at the top. Each secret is printed as text in short groups (to type back) and as
a QR code (to scan back), with the chains' current checkpoints at the bottom (the
audit trail's state on paper, one more anchor). Bundled fonts, embedded.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from mediation.documents import fonts
from mediation.documents.pdf import _draw_qr, _draw_text
from mediation.i18n import _


@dataclass(frozen=True)
class SheetKey:
    key_id: str
    text: str
    """As :func:`mediation.keys.key_text` prints it (what ``mediation keys import`` reads)."""
    current: bool


@dataclass(frozen=True)
class SheetData:
    desk_name: str
    printed_at: str
    printed_by: str
    passphrase: str
    keys: Sequence[SheetKey]
    checkpoints: Sequence[str]


def _wrap(text: str, per_line: int) -> list[str]:
    return [text[i:i + per_line] for i in range(0, len(text), per_line)] or [""]


def render(data: SheetData) -> bytes:
    fonts.preload()
    buf = io.BytesIO()
    # The bundled font from the start: reportlab's default (Helvetica) would be listed,
    # unembedded, in the PDF. (types-reportlab declares initialFontName a float.)
    canvas = Canvas(buf, pagesize=A4, invariant=1, initialFontName=fonts.BODY)  # type: ignore[arg-type]
    canvas.setTitle(_("调解工作台恢复单"))
    canvas.setAuthor(data.desk_name)
    canvas.setCreator("mediation desk")
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    y = height - 22 * mm
    qr = 34 * mm

    def line(text: str, size: float = 10.5, gap: float = 6.5) -> None:
        nonlocal y
        _draw_text(canvas, left, y, text, size)
        y -= gap * mm

    def need(space: float) -> None:
        nonlocal y
        if y - space < 20 * mm:
            canvas.showPage()
            y = height - 22 * mm

    _draw_text(canvas, width / 2, y, _("调解工作台 恢复单"), 18, anchor="centre")
    y -= 10 * mm
    line(_("调解点：{desk}　打印：{when}，{who}").format(desk=data.desk_name, when=data.printed_at,
                                                    who=data.printed_by))
    line(_("请锁入保险柜，不要拍照或放在电脑旁。持有本单即可打开加密备份，并能写出可通过校验的审计记录。"), 9.5)
    line(_("换用新电脑时：mediation keys import（逐行输入下方的审计密钥，或扫描二维码）；"), 9.5)
    line(_("恢复加密备份时：mediation restore 文件 --as 管理员，按提示输入备份口令。"), 9.5)
    y -= 3 * mm

    need(qr + 14 * mm)
    _draw_text(canvas, left, y, _("一、备份口令"), 13)
    y -= 8 * mm
    if data.passphrase:
        _draw_qr(canvas, data.passphrase, right - qr, y - qr + 6 * mm, qr)
        _draw_text(canvas, left, y - 4 * mm, data.passphrase, 15)
        _draw_text(canvas, left, y - 12 * mm, _("（字母不分大小写；没有数字 0、1 和字母 O、I）"), 9)
    else:
        _draw_text(canvas, left, y - 4 * mm, _("尚未设置备份口令（设置 → 备份 → 生成新口令）。"), 11)
    y -= qr + 2 * mm

    need(12 * mm)
    _draw_text(canvas, left, y, _("二、审计密钥（校验审计日志所需，旧密钥也请保留）"), 13)
    y -= 8 * mm
    for key in data.keys:
        need(qr + 6 * mm)
        label = _("密钥编号 {k}{cur}").format(k=key.key_id, cur=_("（当前使用）") if key.current else "")
        _draw_text(canvas, left, y, label, 10.5)
        _draw_qr(canvas, key.text, right - qr, y - qr + 4 * mm, qr)
        for n, part in enumerate(_wrap(key.text, 34)):
            _draw_text(canvas, left, y - (7 + 6 * n) * mm, part, 12)
        y -= qr + 4 * mm

    need(14 * mm + 5 * mm * len(data.checkpoints))
    _draw_text(canvas, left, y, _("三、审计日志检查点（打印时的状态：调解点、条数、链编号、末条校验值）"), 13)
    y -= 7 * mm
    for text in data.checkpoints or [_("（审计日志中还没有记录）")]:
        for part in _wrap(text, 72):
            need(5 * mm)
            _draw_text(canvas, left, y, part, 8)
            y -= 4.5 * mm
    canvas.showPage()
    canvas.save()
    return buf.getvalue()
