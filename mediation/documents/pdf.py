"""PDF layout of a filled-in form (reportlab platypus), looking like the paper form.

A4; margins as on the MoJ forms (wider on the binding side); centred 黑体-like title,
宋体-like body, the number top right, "第 N 页 共 M 页" at the foot of every page and a
footer slot for the verification code and QR printed when a version is finalised.
Every run of text goes through :func:`mediation.documents.fonts.split_runs`, so a
character missing from the body font is drawn from a fallback font, and every font is
embedded (reportlab always embeds TrueType subsets).
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import escape

import segno
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Image,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as rl_paragraph

from mediation.documents import fonts
from mediation.documents import forms as f

# Chinese line-breaking rule (禁则): reportlab's CJK wrapping keeps a character that
# cannot start a line at the end of the previous one, but its list only knows the
# Japanese marks; add the full-width Chinese ones so no line starts with "，" or "：".
# Both wrapping paths read the list as a module global (textsplit.wordSplit for a
# single-font paragraph, paragraph.cjkFragSplit for mixed fonts).
_CN_CANNOT_START = "，：；？！”’》〉」』】〕）％·…"
for _module in (rl_paragraph, rl_textsplit):
    _known: str = getattr(_module, "ALL_CANNOT_START")  # noqa: B009 (not in the stubs)
    if not set(_CN_CANNOT_START) <= set(_known):
        setattr(_module, "ALL_CANNOT_START", _known + _CN_CANNOT_START)  # noqa: B010

# Binary (zlib-only) streams: reportlab's default also wraps every stream in ASCII85,
# which makes files a quarter bigger and costs ~10 ms per render for nothing.
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
# Margins of the paper forms (mm): top, bottom, left (binding side), right.
MARGINS_MM = (25.0, 25.0, 28.0, 24.0)
TEXT_WIDTH = PAGE_WIDTH - (MARGINS_MM[2] + MARGINS_MM[3]) * mm

BODY_SIZE = 12.0  # 小四
BODY_LEADING = 21.0
TITLE_SIZE = 22.0  # 二号
SUBTITLE_SIZE = 16.0  # 三号
SMALL_SIZE = 10.5  # 五号
FOOTER_SIZE = 9.0
QR_SIZE = 15 * mm


WATERMARK_SIZE = 96  # points; the draft mark across the page

@dataclass(frozen=True)
class FooterStamp:
    """What a finalised version prints in the footer of every page."""

    code: str  # short verification code, e.g. "7KQ2-M9XD"
    qr_data: str  # what the QR encodes (code or a verification URL)
    label: str = "校验码"


_build_lock = threading.Lock()

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body",
        fontName=fonts.BODY,
        fontSize=BODY_SIZE,
        leading=BODY_LEADING,
        wordWrap="CJK",
        spaceAfter=0,
    )
    return {
        "body": body,
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=fonts.TITLE, spaceBefore=6, spaceAfter=2
        ),
        "small": ParagraphStyle("small", parent=body, fontSize=SMALL_SIZE, leading=17),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=fonts.TITLE,
            fontSize=TITLE_SIZE,
            leading=TITLE_SIZE * 1.5,
            alignment=TA_CENTER,
            spaceAfter=4 * mm,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=body,
            fontName=fonts.TITLE,
            fontSize=SUBTITLE_SIZE,
            leading=SUBTITLE_SIZE * 1.6,
            alignment=TA_CENTER,
            spaceAfter=2 * mm,
        ),
        "issuer": ParagraphStyle(
            "issuer",
            parent=body,
            fontName=fonts.TITLE,
            fontSize=SUBTITLE_SIZE,
            leading=SUBTITLE_SIZE * 1.5,
            alignment=TA_CENTER,
        ),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=body, leading=17),
        "number": ParagraphStyle("number", parent=body, alignment=TA_RIGHT, spaceAfter=3 * mm),
    }


@functools.cache
def _aligned(style_name: str, align: str, indent: bool) -> ParagraphStyle:
    base = _styles()[style_name]
    if (
        align == "left"
        and not indent
        and style_name not in ("title", "subtitle", "right", "center")
    ):
        return base
    alignment: Any = (
        base.alignment if style_name in ("title", "subtitle", "right", "center") else _ALIGN[align]
    )
    return ParagraphStyle(
        f"{style_name}-{align}-{int(indent)}",
        parent=base,
        alignment=alignment,
        firstLineIndent=2 * base.fontSize if indent else 0,
    )


def markup(text: str, primary: str) -> str:
    """Paragraph markup for plain ``text``: escaped, newlines as <br/>, glyph fallback."""
    out: list[str] = []
    for font, run in fonts.split_runs(text, primary):
        piece = escape(run).replace("\n", "<br/>")
        out.append(piece if font == primary else f'<font name="{font}">{piece}</font>')
    return "".join(out)


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text, style.fontName), style)


def _cell_style(cell: f.Cell) -> ParagraphStyle:
    return _aligned("cell", cell.align, False)


# A table row taller than this is cut into continuation rows of a few lines each, so
# the table can break across pages between them (reportlab's own splitInRow mislays
# rows split more than once). Continuation rows have no rule between them.
LONG_ROW = 40 * mm
CHUNK_LINES = 4
PAD_X, PAD_Y = 4.0, 2.0


def _chunks(para: Paragraph, width: float) -> list[Paragraph]:
    """``para`` cut into pieces of at most CHUNK_LINES lines."""
    limit = CHUNK_LINES * para.style.leading + 1
    out: list[Paragraph] = []
    rest: Any = para
    while True:
        _w, h = rest.wrap(width, 1_000_000)
        if h <= limit:
            out.append(rest)
            return out
        pieces = rest.split(width, limit)
        if len(pieces) < 2:
            out.append(rest)
            return out
        out.append(pieces[0])
        rest = pieces[1]


class _FramedTable(Table):
    """A grid table that closes its frame at every page break.

    reportlab's "splitlast"/"splitfirst" style rows are lost when a table splits more
    than once, so the rules are added to each part here.
    """

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # reportlab's names
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if len(parts) == 2:
            first, rest = parts
            assert isinstance(first, Table) and isinstance(rest, Table)
            first.setStyle([("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black)])
            rest.setStyle([("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black)])
        return parts


SIGNATURE_HEIGHT = 11 * mm

# Text that must not break (names, numbers, ID numbers: ``fit`` cells) stays on one line:
# first smaller type, down to FIT_MIN_SIZE; then the cell widens over the rest of its row
# (whose cells move to a row added below); then the type is condensed, never broken.
FIT_MIN_SIZE = 8.0
FIT_MIN_SCALE = 30.0
"""Horizontal scale (per cent) below which a condensed line would no longer be legible."""


def text_width(text: str, size: float, primary: str = "") -> float:
    """Width of ``text`` in points at ``size``, glyph fallback included."""
    return float(sum(pdfmetrics.stringWidth(run, font, size)
                     for font, run in fonts.split_runs(text, primary or fonts.BODY)))


def _tokens(text: str) -> list[str]:
    """A list of names ("张三、李四") in the pieces it may break between; one name is one piece."""
    pieces = [p + "、" for p in text.split("、")]
    pieces[-1] = pieces[-1][:-1]
    return [p for p in pieces if p]


def fit_width(text: str, size: float) -> float:
    """How wide a ``fit`` text needs its cell at ``size``: its longest unbreakable piece."""
    return max((text_width(t, size) for t in _tokens(text)), default=0.0)


class _FitLine(Flowable):
    """Text that never breaks inside a name or a number: one line in smaller type (down to
    FIT_MIN_SIZE), or, for a list of names, lines that break only between names; a piece
    still too wide is condensed, never broken."""

    def __init__(self, text: str, width: float, align: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.align = align
        self.font = style.fontName
        self.avail = width
        natural = text_width(text, style.fontSize, self.font) or 1.0
        size = max(FIT_MIN_SIZE, min(style.fontSize, style.fontSize * width / natural))
        if text_width(text, size, self.font) <= width or "、" not in text:
            groups = [text]
        else:  # several names: whole names on each line, in the body size
            size, groups, line = style.fontSize, [], ""
            for token in _tokens(text):
                if line and text_width(line + token, size, self.font) > width:
                    groups.append(line)
                    line = ""
                line += token
            groups.append(line)
        self.lines: list[tuple[str, float, float, float]] = []  # text, size, scale, drawn width
        for group in groups:
            g_size = max(FIT_MIN_SIZE, min(size, size * width / (text_width(group, size, self.font) or 1.0)))
            at = text_width(group, g_size, self.font)
            scale = max(FIT_MIN_SCALE, min(100.0, 100.0 * width / at)) if at else 100.0
            self.lines.append((group, g_size, scale, at * scale / 100.0))
        self.size = max(line[1] for line in self.lines)
        self.leading = max(self.size * 1.4, style.leading * self.size / style.fontSize)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.avail = availWidth
        return availWidth, self.leading * len(self.lines)

    def draw(self) -> None:
        for n, (group, size, scale, drawn) in enumerate(self.lines):
            x = 0.0
            if self.align == "center":
                x = (self.avail - drawn) / 2
            elif self.align == "right":
                x = self.avail - drawn
            y = self.leading * (len(self.lines) - n - 1) + (self.leading - size) / 2 + size * 0.18
            text = self.canv.beginText(max(0.0, x), y)
            text.setHorizScale(scale)
            for font, run in fonts.split_runs(group, self.font):
                text.setFont(font, size)
                text.textOut(run)
            self.canv.drawText(text)


def _widen_fit_cells(rows: tuple[f.Row, ...], widths: list[float]) -> list[f.Row]:
    """A ``fit`` cell too wide for its column even in FIT_MIN_SIZE type takes the rest of its
    row; the cells it displaces move to a row added just below (the first of them widened
    leftwards to fill the room), and every cell spanning rows over it spans the new row too."""
    out: list[list[f.Cell]] = []
    heights: list[float] = []
    spanning: list[tuple[int, int]] = []  # (row, cell) of cells spanning several rows
    for row in rows:
        r = len(out)
        cells = list(row.cells)
        starts = [sum(c.span for c in cells[:i]) for i in range(len(cells))]
        k = next((i for i, c in enumerate(cells) if c.fit and c.text and fit_width(c.text, FIT_MIN_SIZE)
                  > sum(widths[starts[i]:starts[i] + c.span]) - 2 * PAD_X), None)
        rest = cells[k + 1:] if k is not None else []
        if k is None or not any(c.text or c.sign for c in rest) or any(c.rowspan > 1 for c in rest):
            out.append(cells)
            heights.append(row.height_mm)
            spanning += [(r, i) for i, c in enumerate(cells) if c.rowspan > 1]
            continue
        fit = cells[k]
        first = [*(replace(c, rowspan=c.rowspan + 1) if c.rowspan > 1 or c.text else c for c in cells[:k]),
                 replace(fit, span=fit.span + sum(c.span for c in rest))]
        second = [*(f.Cell("", span=c.span) for c in cells[:k]), replace(rest[0], span=rest[0].span + fit.span),
                  *rest[1:]]
        for sr, si in spanning:  # spans from rows above that reach this row grow by the new one
            above = out[sr][si]
            if sr + above.rowspan - 1 >= r:
                out[sr][si] = replace(above, rowspan=above.rowspan + 1)
        spanning += [(r, i) for i, c in enumerate(first) if c.rowspan > 1]
        out += [first, second]
        heights += [0.0, row.height_mm]
    return [f.Row(cells=tuple(c), height_mm=h) for c, h in zip(out, heights, strict=True)]


def _signature_image(png: bytes, max_width: float) -> Flowable:
    """A signature captured on screen, scaled to sit on its line."""
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    scale = min(SIGNATURE_HEIGHT / h, max_width / w)
    return Image(io.BytesIO(png), width=w * scale, height=h * scale, mask="auto")


Signed = Mapping[tuple[str, str], bytes]
"""Signatures captured on screen: (role, name) of a signature line → PNG."""


def _table(block: f.Table | f.Signatures, signatures: Signed | None = None) -> Flowable:
    grid = isinstance(block, f.Table)
    total = sum(block.widths)
    widths = [TEXT_WIDTH * w / total for w in block.widths]
    data: list[list[Any]] = []
    heights: list[float | None] = []
    continues: list[bool] = []  # row r continues into row r + 1 (no rule between)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        # Plain-string cells would otherwise use Helvetica (never embedded).
        ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
    ]
    for row in _widen_fit_cells(block.rows, widths):
        r = len(data)
        cells: list[Any] = []
        cell_widths: list[float] = []
        col = 0
        tallest = 0.0
        spans: list[tuple[int, int, int]] = []  # first column, last column, rows
        for cell in row.cells:
            width = sum(widths[col : col + cell.span]) - 2 * PAD_X
            para: Paragraph | Flowable | str = _para(cell.text, _cell_style(cell)) if cell.text else ""
            if cell.fit and cell.text and "\n" not in cell.text:
                para = _FitLine(cell.text, width, cell.align, _cell_style(cell))
                tallest = max(tallest, para.leading * len(para.lines) + 2 * PAD_Y)
            if cell.sign and signatures and (cell.role, cell.signer) in signatures:
                para = _signature_image(signatures[(cell.role, cell.signer)], width)
            if isinstance(para, Paragraph) and cell.rowspan == 1:
                _w, h = para.wrap(width, 1_000_000)
                tallest = max(tallest, h + 2 * PAD_Y)
            cells.append(para)
            cell_widths.append(width)
            if cell.span > 1 or cell.rowspan > 1:
                spans.append((col, col + cell.span - 1, cell.rowspan))
            if cell.sign:
                commands.append(
                    ("LINEBELOW", (col, r), (col + cell.span - 1, r), 0.6, colors.black)
                )
            cells.extend([""] * (cell.span - 1))
            cell_widths.extend([0.0] * (cell.span - 1))
            col += cell.span
        has_rowspan = any(c.rowspan > 1 for c in row.cells)
        if grid and tallest > LONG_ROW and not has_rowspan:
            pieces = [
                _chunks(c, w) if isinstance(c, Paragraph) else [c]
                for c, w in zip(cells, cell_widths, strict=True)
            ]
            n = max(len(p) for p in pieces)
            for i in range(n):
                data.append([p[i] if i < len(p) else "" for p in pieces])
                for c0, c1, _rows in spans:
                    commands.append(("SPAN", (c0, r + i), (c1, r + i)))
                heights.append(None)
                continues.append(i < n - 1)
            last = r + n - 1
            commands.append(("VALIGN", (0, r), (-1, last), "TOP"))
            if n > 1:
                commands.append(("BOTTOMPADDING", (0, r), (-1, last - 1), 0))
                commands.append(("TOPPADDING", (0, r + 1), (-1, last), 0))
            continue
        for c0, c1, rows in spans:
            commands.append(("SPAN", (c0, r), (c1, r + rows - 1)))
        data.append(cells)
        continues.append(False)
        # A minimum height (room to write) is set only where the text is shorter.
        minimum = row.height_mm * mm
        heights.append(minimum if minimum and tallest < minimum else None)
    if grid:
        commands.append(("LINEAFTER", (0, 0), (-2, -1), 0.6, colors.black))
        for r, cont in enumerate(continues[:-1]):
            if not cont:
                commands.append(("LINEBELOW", (0, r), (-1, r), 0.6, colors.black))
        commands.append(("BOX", (0, 0), (-1, -1), 1.0, colors.black))
    table = (_FramedTable if grid else Table)(
        data, colWidths=widths, rowHeights=heights, style=TableStyle(commands)
    )
    table.hAlign = "LEFT"
    if grid:
        return table
    # The signature block stays in one piece, on the page after the text if need be.
    return KeepTogether([Spacer(1, 6 * mm), table])


def _flowables(page: f.Page, signatures: Signed | None = None) -> list[Flowable]:
    st = _styles()
    story: list[Flowable] = []
    if page.issuer:
        story.append(_para(page.issuer, st["issuer"]))
    story.append(_para(page.title, st["title"]))
    if page.number:  # a number never breaks (issue 12 item 11)
        story.append(_FitLine(page.number, TEXT_WIDTH, "right", st["number"]))
        story.append(Spacer(1, st["number"].spaceAfter))
    for block in page.blocks:
        if isinstance(block, f.Para):
            style = _aligned(block.style, block.align, block.indent)
            para = _para(block.text, style)
            if block.style in ("heading", "title", "subtitle"):
                # A heading never stands alone at the foot of a page.
                story.append(CondPageBreak(3 * BODY_LEADING))
            story.append(para)
        elif isinstance(block, f.Item):
            story.append(_para(f"{block.label}{block.text}", _aligned("body", "justify", True)))
        elif isinstance(block, (f.Table, f.Signatures)):
            story.append(_table(block, signatures))
        elif isinstance(block, f.Spacer):
            story.append(Spacer(1, block.height_mm * mm))
        elif isinstance(block, f.PageBreak):
            story.append(PageBreak())
    return story


def _draw_text(
    canvas: Canvas, x: float, y: float, text: str, size: float, *, anchor: str = "left"
) -> None:
    """Draw one line with glyph fallback; ``anchor`` is left, centre or right."""
    runs = fonts.split_runs(text, fonts.BODY)
    width = sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs)
    if anchor == "centre":
        x -= width / 2
    elif anchor == "right":
        x -= width
    for font, run in runs:
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, font, size)


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code as filled rectangles (vector, no image), bottom-left at (x, y)."""
    qr = segno.make(data, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    n = len(matrix)
    border = 1
    module = size / (n + 2 * border)
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                canvas.rect(
                    x + (border + start) * module,
                    y + size - (border + r + 1) * module,
                    (c - start) * module,
                    module,
                    stroke=0,
                    fill=1,
                )
            else:
                c += 1
    canvas.restoreState()


@dataclass(frozen=True)
class _Decor:
    number: str
    footer: FooterStamp | None
    watermark: str = ""


def _canvas_class(decor: _Decor) -> Callable[..., Canvas]:
    """A canvas that knows the page count when it draws each page's footer."""

    class FormCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's private method, not in its stubs

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            page = self.getPageNumber()
            bottom = 12 * mm
            if decor.watermark:
                # Diagonal, light, behind nothing important: a draft must not be mistaken
                # for (or signed as) the final version.
                self.saveState()
                self.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.22))
                self.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
                self.rotate(40)
                # As large as fits along the diagonal (a longer translation gets smaller).
                room = 0.62 * (PAGE_WIDTH**2 + PAGE_HEIGHT**2) ** 0.5
                wide = pdfmetrics.stringWidth(decor.watermark, fonts.TITLE, WATERMARK_SIZE) or 1.0
                size = min(WATERMARK_SIZE, WATERMARK_SIZE * room / wide)
                self.setFont(fonts.TITLE, size)
                self.drawCentredString(0, -size / 3, decor.watermark)
                self.restoreState()
            _draw_text(
                self,
                PAGE_WIDTH / 2,
                bottom,
                f"第 {page} 页 共 {total} 页",
                FOOTER_SIZE,
                anchor="centre",
            )
            if page > 1 and decor.number:
                _draw_text(
                    self,
                    PAGE_WIDTH - MARGINS_MM[3] * mm,
                    PAGE_HEIGHT - 14 * mm,
                    decor.number,
                    FOOTER_SIZE,
                    anchor="right",
                )
            if decor.footer is not None:
                right = PAGE_WIDTH - MARGINS_MM[3] * mm
                _draw_qr(self, decor.footer.qr_data, right - QR_SIZE, 6 * mm, QR_SIZE)
                _draw_text(
                    self,
                    right - QR_SIZE - 2 * mm,
                    bottom,
                    f"{decor.footer.label}：{decor.footer.code}",
                    FOOTER_SIZE,
                    anchor="right",
                )

    return FormCanvas


def render(page: f.Page, *, footer: FooterStamp | None = None, author: str = "",
           signatures: Signed | None = None, watermark: str = "") -> bytes:
    """Lay out ``page`` as PDF bytes; ``signatures`` ((role, name) → PNG) are drawn on
    the signature lines of that role and signer; ``watermark`` (e.g. "草稿") is printed
    across every page."""
    fonts.preload()
    buf = io.BytesIO()
    top, bottom, left, right = MARGINS_MM
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        topMargin=top * mm,
        bottomMargin=bottom * mm,
        leftMargin=left * mm,
        rightMargin=right * mm,
        title=page.title,
        author=author,
        subject=page.number,
        creator="mediation desk",
        lang="zh-CN",
        invariant=1,
        # reportlab's default initial font is Helvetica, which would be listed
        # (unembedded) in every PDF.
        initialFontName=fonts.BODY,
        initialFontSize=BODY_SIZE,
    )
    decor = _Decor(number=page.number, footer=footer, watermark=watermark)
    # reportlab keeps per-document font subsets in shared font objects and reads global
    # settings; one render at a time is the safe way to use it from worker threads.
    with _build_lock:
        doc.build(_flowables(page, signatures), canvasmaker=_canvas_class(decor))
    return buf.getvalue()


def image_page(image: bytes) -> bytes:
    """One A4 page holding ``image`` (a scanned page: PNG or JPEG), fitted within the margins."""
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(image))
    w, h = reader.getSize()
    top, bottom, left, right = (m * mm for m in MARGINS_MM)
    room_w, room_h = PAGE_WIDTH - left - right, PAGE_HEIGHT - top - bottom
    scale = min(room_w / w, room_h / h)
    buf = io.BytesIO()
    fonts.preload()
    # reportlab's initial font (Helvetica) would be listed, unembedded, on a page without text.
    canvas = Canvas(buf, pagesize=A4, invariant=1,
                    initialFontName=fonts.BODY,  # type: ignore[arg-type]  # the stubs say a number; reportlab takes a font name
                    initialFontSize=BODY_SIZE)
    canvas.drawImage(reader, left + (room_w - w * scale) / 2, bottom + (room_h - h * scale) / 2,
                     width=w * scale, height=h * scale)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()
