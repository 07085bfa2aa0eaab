"""The tables as files: XLSX in the official layout, PDF with the bundled fonts, and the
月度分析报告 DOCX.

Every file is made from a :class:`~mediation.statistics.tables.TableResult`, so it shows
exactly the figures of the screen and the command line. The spreadsheet holds the
figures as values and each 合计 of an additive column as a ``SUM`` formula over the rows
above it (it gives the same number: the table's checks hold); :func:`fmt` is the one
way a figure is written as text (PDF, DOCX, the screen).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from mediation.i18n import _
from mediation.statistics.tables import Block, Column, Compared, Number, Row, TableResult

FORMATS = ("xlsx", "pdf", "docx")


@dataclass(frozen=True)
class Signoff:
    """The lines under an official table: 填报单位 / 填报人 / 审核人 / 填报日期."""

    unit: str = ""
    filled_by: str = ""
    reviewed_by: str = ""
    filed_on: dt.date | None = None


def fmt(value: Number, column: Column | None = None) -> str:
    """A figure as printed: counts as integers, 万元 with up to four decimals, rates with one
    decimal and %; no figure (a rate of nothing) as —."""
    if value is None:
        return "—"
    if column is not None and column.unit == "%":
        return f"{value}%"
    if isinstance(value, Decimal):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return text or "0"
    return str(value)


def _cell_value(value: Number) -> int | float | Decimal | str:
    return "—" if value is None else value


def _all_rows(block: Block) -> list[Row]:
    return [*block.rows, *([block.total] if block.total else [])]


def _heading_label(table: TableResult) -> str:
    return "项目" if table.table == "quality" else ("来源" if table.table == "police" else "纠纷类型")


def units_line(table: TableResult) -> str:
    units = []
    for c in table.columns:
        if c.unit and c.unit not in units:
            units.append(c.unit)
    return "单位：" + "、".join(units) if units else ""


# ---------------------------------------------------------------- XLSX


def to_xlsx(table: TableResult, signoff: Signoff = Signoff(), *, changed_note: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = table.title[:31]
    ncols = len(table.columns) + 1
    last = get_column_letter(ncols)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(name="宋体", bold=True)
    body = Font(name="宋体")

    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = table.title
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A1"].alignment = centre
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = f"统计期间：{table.period.label}（{table.period.start:%Y-%m-%d}至{table.period.end:%Y-%m-%d}）"
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = "填报单位：" + (signoff.unit or "、".join(table.desk_names))
    for cell in (ws["A2"], ws["A3"]):
        cell.font = body

    # two header rows: a group heading merged over its columns, or one label over both rows
    top, sub = 4, 5
    ws.merge_cells(start_row=top, start_column=1, end_row=sub, end_column=1)
    ws.cell(top, 1, _heading_label(table))
    col = 2
    cols = table.columns
    i = 0
    while i < len(cols):
        c = cols[i]
        if not c.group:
            ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
            ws.cell(top, col, c.label)
            i += 1
            col += 1
            continue
        j = i
        while j < len(cols) and cols[j].group == c.group:
            ws.cell(sub, col + j - i, cols[j].label)
            j += 1
        ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + j - i - 1)
        ws.cell(top, col, c.group)
        col += j - i
        i = j
    units_row = 6
    ws.cell(units_row, 1, "单位")
    for k, c in enumerate(cols, start=2):
        ws.cell(units_row, k, c.unit)
    for r in range(top, units_row + 1):
        for k in range(1, ncols + 1):
            cell = ws.cell(r, k)
            cell.border, cell.alignment, cell.font = box, centre, bold

    row_no = units_row + 1
    for block in table.blocks:
        if block.title:
            ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
            ws.cell(row_no, 1, f"{block.title}（{block.period.start:%Y-%m-%d}至{block.period.end:%Y-%m-%d}）")
            ws.cell(row_no, 1).font = bold
            ws.cell(row_no, 1).border = box
            row_no += 1
        first = row_no
        for line in block.rows:
            ws.cell(row_no, 1, line.label)
            for k, c in enumerate(cols, start=2):
                ws.cell(row_no, k, _cell_value(line.values.get(c.code)))
            row_no += 1
        if block.total is not None:
            ws.cell(row_no, 1, block.total.label)
            for k, c in enumerate(cols, start=2):
                if c.additive and block.rows:
                    letter = get_column_letter(k)
                    ws.cell(row_no, k, f"=SUM({letter}{first}:{letter}{row_no - 1})")
                else:
                    ws.cell(row_no, k, _cell_value(block.total.values.get(c.code)))
            for k in range(1, ncols + 1):
                ws.cell(row_no, k).font = bold
            row_no += 1
        for r in range(first, row_no):
            for k in range(1, ncols + 1):
                cell = ws.cell(r, k)
                cell.border = box
                if k > 1:
                    cell.alignment = Alignment(horizontal="right", vertical="center")
                    c = cols[k - 2]
                    if c.unit == "万元":
                        cell.number_format = "0.00##"
                    elif c.unit == "%":
                        cell.number_format = '0.0"%"'
                else:
                    cell.font = body if cell.font != bold else bold

    row_no += 1
    if changed_note:
        ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
        ws.cell(row_no, 1, changed_note).font = Font(name="宋体", bold=True, color="C00000")
        row_no += 1
    for p in table.problems:
        ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
        ws.cell(row_no, 1, "数据校验未通过：" + p.message).font = Font(name="宋体", color="C00000")
        row_no += 1
    ws.cell(row_no, 1, "说明：").font = bold
    row_no += 1
    for n, note in enumerate(table.notes, start=1):
        ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
        ws.cell(row_no, 1, f"{n}. {note}").alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row_no].height = 30
        row_no += 1
    row_no += 1
    quarter = max(ncols // 4, 1)
    lines = [("填报单位：", signoff.unit or "、".join(table.desk_names)), ("填报人：", signoff.filled_by),
             ("审核人：", signoff.reviewed_by),
             ("填报日期：", signoff.filed_on.isoformat() if signoff.filed_on else "")]
    for n, (label, value) in enumerate(lines):
        ws.cell(row_no, 1 + n * quarter, label + value).font = body

    ws.column_dimensions["A"].width = 16
    for k in range(2, ncols + 1):
        ws.column_dimensions[get_column_letter(k)].width = 9 if len(cols) > 10 else 13
    ws.row_dimensions[sub].height = 42
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is not None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.print_title_rows = f"{top}:{units_row}"
    ws.print_options.horizontalCentered = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


def to_pdf(table: TableResult, signoff: Signoff = Signoff(), *, changed_note: str = "") -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from mediation.documents import fonts
    from mediation.documents.pdf import markup

    fonts.load(fonts.BODY)
    fonts.load(fonts.TITLE)
    wide = len(table.columns) > 10
    size = 7.5 if wide else 9.5
    head = ParagraphStyle("head", fontName=fonts.TITLE, fontSize=size, leading=size * 1.25, alignment=1)
    cell = ParagraphStyle("cell", fontName=fonts.BODY, fontSize=size, leading=size * 1.25, alignment=2)
    first = ParagraphStyle("first", parent=cell, alignment=0)
    title = ParagraphStyle("title", fontName=fonts.TITLE, fontSize=16, leading=22, alignment=1)
    text = ParagraphStyle("text", fontName=fonts.BODY, fontSize=9, leading=13)
    red = ParagraphStyle("red", parent=text, textColor=colors.HexColor("#C00000"))

    def p(value: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(markup(value, style.fontName), style)

    cols = table.columns
    top: list[object] = [p(_heading_label(table), head)]
    sub: list[object] = [""]
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = [((0, 0), (0, 1))]
    i = 0
    while i < len(cols):
        c = cols[i]
        if not c.group:
            top.append(p(c.label, head))
            sub.append("")
            spans.append(((i + 1, 0), (i + 1, 1)))
            i += 1
            continue
        j = i
        while j < len(cols) and cols[j].group == c.group:
            top.append(p(c.group, head) if j == i else "")
            sub.append(p(cols[j].label, head))
            j += 1
        spans.append(((i + 1, 0), (j, 0)))
        i = j
    units: list[object] = [p("单位", head), *(p(c.unit, head) for c in cols)]
    data: list[list[object]] = [top, sub, units]
    block_rows: list[int] = []
    total_rows: list[int] = []
    for block in table.blocks:
        if block.title:
            block_rows.append(len(data))
            data.append([p(f"{block.title}（{block.period.start:%Y-%m-%d}至{block.period.end:%Y-%m-%d}）", first),
                         *([""] * len(cols))])
        for r in _all_rows(block):
            if r is block.total:
                total_rows.append(len(data))
            data.append([p(r.label, first), *(p(fmt(r.values.get(c.code), c), cell) for c in cols)])
    page = landscape(A4)
    # The first column as wide as its longest row label on one line (cell padding 6 + 6 pt), within
    # 24–70 mm: a fixed 24 mm wrapped the longer labels of the 质效表 into three lines.
    from reportlab.pdfbase.pdfmetrics import stringWidth

    longest = max((stringWidth(r.label, fonts.BODY, size) for b in table.blocks for r in _all_rows(b)),
                  default=0.0)
    label_w = min(70 * mm, max(24 * mm, longest + 14))
    col_w = (page[0] - 20 * mm - label_w) / len(cols)
    grid = Table(data, colWidths=[label_w, *([col_w] * len(cols))], repeatRows=3)
    style: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
             ("BACKGROUND", (0, 0), (-1, 2), colors.HexColor("#F0F0F0"))]
    style += [("SPAN", a, b) for a, b in spans]
    style += [("SPAN", (0, r), (-1, r)) for r in block_rows]
    style += [("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F7F7F7")) for r in total_rows]
    grid.setStyle(TableStyle(style))
    story: list[object] = [p(table.title, title),
                           p(f"统计期间：{table.period.label}（{table.period.start:%Y-%m-%d}至"
                             f"{table.period.end:%Y-%m-%d}）　　填报单位：{signoff.unit or '、'.join(table.desk_names)}",
                             text),
                           Spacer(1, 3 * mm), grid, Spacer(1, 3 * mm)]
    if changed_note:
        story.append(p(changed_note, red))
    story += [p("数据校验未通过：" + pr.message, red) for pr in table.problems]
    story.append(p("说明：", text))
    story += [p(f"{n}. {note}", text) for n, note in enumerate(table.notes, start=1)]
    story.append(Spacer(1, 5 * mm))
    story.append(p("　　".join([
        f"填报单位：{signoff.unit or '、'.join(table.desk_names)}", f"填报人：{signoff.filled_by or '　' * 4}",
        f"审核人：{signoff.reviewed_by or '　' * 4}",
        f"填报日期：{signoff.filed_on.isoformat() if signoff.filed_on else '　' * 4}"]), text))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=page, leftMargin=10 * mm, rightMargin=10 * mm, topMargin=10 * mm,
                            bottomMargin=10 * mm, title=table.title, author=signoff.unit or "",
                            lang="zh-CN", initialFontName=fonts.BODY, initialFontSize=9)  # not Helvetica
    from mediation.documents.pdf import _build_lock  # reportlab: one build at a time (shared font subsets)

    with _build_lock:
        doc.build(story)  # type: ignore[arg-type]  # flowables
    return out.getvalue()


# ---------------------------------------------------------------- 月度分析报告 (DOCX)


@dataclass
class Analysis:
    """What the officer writes for the monthly analysis."""

    features: str = ""
    """特点."""
    next_steps: str = ""
    """下一步."""
    typical_cases: list[tuple[str, str]] = field(default_factory=list)
    """(heading, text) of the cases the officer picked, already anonymised (:func:`anonymise`)."""


def anonymise(text: str, names: list[str]) -> str:
    """Every party's name as 某某 after its surname (张三 → 张某某); longest names first."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = text.replace(name, name[0] + "某某")
    return text


def pct(value: Decimal | None) -> str:
    """A change in percent with its sign (+12.5%), or — when there is nothing to compare."""
    return _pct(value)


def _pct(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"+{value}%" if value > 0 else f"{value}%"


def to_docx(compared: Compared, analysis: Analysis, signoff: Signoff = Signoff()) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    now = compared.now
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    normal.font.size = Pt(12)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(f"{signoff.unit or '、'.join(now.desk_names)}{now.period.label}矛盾纠纷调解工作分析报告")
    run.bold = True
    run.font.size = Pt(16)
    block = "本期" if len(now.blocks) > 1 else ""

    def fig(row: str, column: str) -> str:
        a, y, _p, yoy, mom = compared.figure(row, column, block)
        return _("{a}（上年同期 {y}，同比 {yoy}；环比 {mom}）").format(a=fmt(a), y=fmt(y), yoy=_pct(yoy), mom=_pct(mom))

    doc.add_heading("一、总体情况", level=2)
    if now.table == "people":
        doc.add_paragraph(
            f"本期受理人民调解案件 {fig('total', 'accepted')} 件，调解成功 {fig('total', 'succeeded')} 件，"
            f"调解成功率 {fmt(now.value('total', 'success_rate', block), now.columns[5])}；"
            f"书面协议 {fmt(now.value('total', 'written', block))} 件，口头协议 {fmt(now.value('total', 'oral', block))} 件，"
            f"协议涉及金额 {fmt(now.value('total', 'amount', block))} 万元；"
            f"防止民转刑 {fmt(now.value('total', 'escalation', block))} 件"
            f"（{fmt(now.value('total', 'escalation_people', block))} 人）。")
        doc.add_heading("二、纠纷类型", level=2)
        total = now.value("total", "accepted", block) or 0
        types = doc.add_table(rows=1, cols=4)
        types.style = "Table Grid"
        for k, h in enumerate(("纠纷类型", "受理（件）", "占比", "同比")):
            types.rows[0].cells[k].text = h
        for r in now.block(block).rows:
            a, _y, _p, yoy, _mom = compared.figure(r.code, "accepted", block)
            if not a:
                continue
            cells = types.add_row().cells
            share = (Decimal(a) * 100 / Decimal(total)).quantize(Decimal("0.1")) if total else None
            cells[0].text, cells[1].text, cells[2].text, cells[3].text = r.label, fmt(a), fmt(share) + "%", _pct(yoy)
    else:
        for r in _all_rows(now.block(block)):
            first = now.columns[0]
            doc.add_paragraph(f"{r.label}：{first.label} {fig(r.code, first.code)}")
    doc.add_heading("三、特点", level=2)
    doc.add_paragraph(analysis.features or "（未填写）")
    doc.add_heading("四、下一步工作", level=2)
    doc.add_paragraph(analysis.next_steps or "（未填写）")
    if analysis.typical_cases:
        doc.add_heading("五、典型案例", level=2)
        for n, (title_text, body) in enumerate(analysis.typical_cases, start=1):
            para = doc.add_paragraph()
            para.add_run(f"案例{n}：{title_text}").bold = True
            doc.add_paragraph(body)
    doc.add_heading("说明", level=2)
    for note in now.notes:
        doc.add_paragraph(note)
    for pr in now.problems:
        doc.add_paragraph("数据校验未通过：" + pr.message)
    doc.add_paragraph(f"填报人：{signoff.filled_by}　　审核人：{signoff.reviewed_by}　　填报日期："
                      f"{signoff.filed_on.isoformat() if signoff.filed_on else ''}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
