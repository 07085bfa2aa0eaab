"""Preview a PDF inside the app (QtPdf), print it with copies preset, export it as PDF or DOCX."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation.errors import StorageError
from mediation.permissions import Actor
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.operations import Job, SessionFn, Task, WriteOp
from mediation.ui.widgets import Banner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Record = Callable[["Session", Actor, str, str], None]
"""``record(session, actor, kind, fmt)``: put an output on record (kind "print" or "export")."""

log = logging.getLogger(__name__)

MAX_PRINT_DPI = 600
"""Rendering finer than this costs seconds per page and prints no sharper on office printers."""
BAND_PIXELS = 1024
"""Pages are rendered for the printer in horizontal bands of this height: a whole A4 page
at 1200 dpi would need a 550 MB image."""
ZOOM_STEP = 1.25


def safe_file_name(text: str) -> str:
    """``text`` without characters that file systems refuse (\\ / : * ? " < > |)."""
    cleaned = re.sub(r'[\\/:*?"<>|\r\n\t]+', "_", text).strip(" .")
    return cleaned or "document"


# ---------------------------------------------------------------- printing


def prepare_printer(printer: QPrinter, *, copies: int, page_size_pt: QSizeF | None = None,
                    name: str = "") -> None:
    """Preset ``copies``, the paper (the PDF's own page size, normally A4) and no extra margins.

    The PDF already carries the paper form's margins, so the page is printed as it is.
    """
    printer.setCopyCount(max(1, copies))
    if page_size_pt is not None and page_size_pt.isValid():
        printer.setPageSize(QPageSize(page_size_pt, QPageSize.Unit.Point, "",
                                      QPageSize.SizeMatchPolicy.FuzzyMatch))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    if name:
        printer.setDocName(name)


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Render every page of the PDF ``data`` into ``printer``; returns the sheets sent.

    Pages are rendered at the printer's resolution (at most :data:`MAX_PRINT_DPI`), in
    bands, onto white. When the printer cannot make copies itself (no CUPS, or PDF
    output) the document is sent ``copyCount()`` times. Safe to call in a worker thread
    (Qt allows painting on a QPrinter there); it opens its own QPdfDocument.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        pages = document.pageCount()
        if pages < 1:
            raise StorageError(QCoreApplication.translate("PdfPreview", "没有可打印的页面。"))
        repeat = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            raise StorageError(QCoreApplication.translate(
                "PdfPreview", "无法开始打印：打印机不可用或输出文件无法写入。"))
        sent = 0
        try:
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            target = QRectF(0, 0, paper.width(), paper.height())
            for _copy in range(repeat):
                for page in range(pages):
                    if sent and not printer.newPage():
                        raise StorageError(QCoreApplication.translate("PdfPreview", "打印机拒绝了下一页。"))
                    _render_page(document, page, painter, target, printer.resolution(), dpi)
                    sent += 1
        finally:
            painter.end()
        return sent
    finally:
        document.close()
        buffer.close()


def _render_page(document: QPdfDocument, page: int, painter: QPainter, target: QRectF,
                 device_dpi: int, dpi: int) -> None:
    size_pt = document.pagePointSize(page)
    if size_pt.width() <= 0 or size_pt.height() <= 0:
        return
    # Device pixels per point, and the scale of the rendered image to the device.
    fit = min(target.width() / size_pt.width(), target.height() / size_pt.height())
    ratio = dpi / device_dpi if device_dpi > 0 else 1.0
    w = max(1, round(size_pt.width() * fit * ratio))
    h = max(1, round(size_pt.height() * fit * ratio))
    out_w, out_h = size_pt.width() * fit, size_pt.height() * fit
    x0 = target.x() + (target.width() - out_w) / 2
    y0 = target.y() + (target.height() - out_h) / 2
    options = QPdfDocumentRenderOptions()
    options.setScaledSize(QSize(w, h))
    for top in range(0, h, BAND_PIXELS):
        band = min(BAND_PIXELS, h - top)
        options.setScaledClipRect(QRect(0, top, w, band))
        rendered = document.render(page, QSize(w, band), options)
        # Opaque bands: an image with alpha makes the PDF/print engine add a soft mask
        # and roughly doubles the time.
        sheet = QImage(rendered.size(), QImage.Format.Format_RGB32)
        sheet.fill(QColor("white"))
        p = QPainter(sheet)
        p.drawImage(0, 0, rendered)
        p.end()
        painter.drawImage(QRectF(x0, y0 + top / ratio, out_w, band / ratio), sheet)


# ---------------------------------------------------------------- the viewer


class PdfPreview(QWidget):
    """A PDF viewer: continuous pages, page navigation and zoom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self._data = QByteArray()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.prev_button = self._button(self.tr("上一页"), self.previous_page)
        self.next_button = self._button(self.tr("下一页"), self.next_page)
        self.page_label = QLabel(self)
        self.zoom_out_button = self._button(self.tr("缩小"), self.zoom_out)
        self.zoom_in_button = self._button(self.tr("放大"), self.zoom_in)
        self.fit_width_button = self._button(self.tr("适合宽度"), self.fit_width)
        self.fit_page_button = self._button(self.tr("整页"), self.fit_page)
        self.zoom_label = QLabel(self)
        for w in (self.prev_button, self.next_button, self.page_label):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_width_button,
                  self.fit_page_button):
            bar.addWidget(w)
        lay.addLayout(bar)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("QPdfView { background: #8a9099; }")
        lay.addWidget(self.view, 1)
        self.view.pageNavigator().currentPageChanged.connect(self._on_page_changed)
        self.view.zoomFactorChanged.connect(self._on_zoom_factor_changed)
        self.document.pageCountChanged.connect(self._on_page_changed)
        self._on_page_changed()
        self._on_zoom_factor_changed()

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        b = QPushButton(text, self)
        b.setAutoDefault(False)
        b.clicked.connect(slot)
        return b

    def load_bytes(self, data: bytes) -> QPdfDocument.Error:
        """Show ``data`` (a PDF); returns QtPdf's error code (NoError when it opened)."""
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
        self._data = QByteArray(data)
        self._buffer = QBuffer(self)
        self._buffer.setData(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self._on_page_changed()
        return self.document.error()

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        if self.page_count() == 0:
            return
        page = max(0, min(page, self.page_count() - 1))
        nav = self.view.pageNavigator()
        nav.jump(page, QPointF(), nav.currentZoom())
        self._on_page_changed()

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(factor, 5.0)))

    def zoom_in(self) -> None:
        self.set_zoom(self.view.zoomFactor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.view.zoomFactor() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    def _on_page_changed(self, *_args: object) -> None:
        n = self.page_count()
        current = self.current_page() + 1 if n else 0
        self.page_label.setText(self.tr("第 {page} / {pages} 页").format(page=current, pages=n))
        self.prev_button.setEnabled(current > 1)
        self.next_button.setEnabled(0 < current < n)

    def _on_zoom_factor_changed(self, *_args: object) -> None:
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            self.zoom_label.setText(f"{self.view.zoomFactor() * 100:.0f}%")
        else:
            self.zoom_label.setText("")


class PdfPreviewDialog(QDialog):
    """A document's PDF with 打印 (copies preset), 导出 PDF and 导出 DOCX."""

    printed = Signal(int)
    """Printing finished; the number of sheets sent."""

    def __init__(self, pdf: bytes, *, title: str, file_stem: str, copies: int = 1,
                 parent: QWidget | None = None, ctx: AppContext | None = None,
                 docx: SessionFn[bytes] | None = None, record: Record | None = None) -> None:
        """With ``ctx``: ``docx(session, actor)`` makes the DOCX for 导出 DOCX in a write
        transaction (a service that puts its own output on record, as
        ``documents.render_docx`` does, records it there), and ``record(session, actor,
        kind, fmt)`` puts every print ("print", "pdf") and export of the PDF shown
        ("export", "pdf") on record, in its own transaction before the output is made; if
        either raises, nothing is output."""
        super().__init__(parent, Qt.WindowType.Window)
        self.pdf = pdf
        self._ctx = ctx
        self._record = record if ctx is not None else None
        self.copies = max(1, copies)
        self.file_stem = safe_file_name(file_stem)
        self._docx = docx if ctx is not None else None
        self.last_export: Path | None = None
        self.sheets_printed = 0
        self._printer: QPrinter | None = None
        self.setWindowTitle(title)
        root = QVBoxLayout(self)
        self.banner = Banner(self)
        root.addWidget(self.banner)
        self.preview = PdfPreview(self)
        root.addWidget(self.preview, 1)
        row = QHBoxLayout()
        self.copies_label = QLabel(self)
        row.addWidget(self.copies_label)
        row.addStretch(1)
        self.print_button = QPushButton(self.tr("打印…"), self)
        self.export_pdf_button = QPushButton(self.tr("导出 PDF…"), self)
        self.export_docx_button = QPushButton(self.tr("导出 DOCX…"), self)
        self.close_button = QPushButton(self.tr("关闭"), self)
        for b in (self.print_button, self.export_pdf_button, self.export_docx_button, self.close_button):
            b.setAutoDefault(False)
            row.addWidget(b)
        self.export_docx_button.setVisible(self._docx is not None)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.export_pdf_button.clicked.connect(self._on_export_pdf_button_clicked)
        self.export_docx_button.clicked.connect(self._on_export_docx_button_clicked)
        self.close_button.clicked.connect(self.close)
        root.addLayout(row)
        self.copies_label.setText(self.tr("打印份数：{n} 份").format(n=self.copies))
        error = self.preview.load_bytes(pdf)
        if error != QPdfDocument.Error.None_:
            self.banner.show_message(self.tr("无法显示该 PDF 文件（{e}）。").format(e=error.name), "error")
        self.resize(820, 900)

    # -- printing

    def _on_print_button_clicked(self) -> None:
        self.print_document()

    def print_document(self, printer: QPrinter | None = None) -> bool:
        """Print with the copies preset; without ``printer`` the print dialog is asked first.

        Returns whether printing started; :attr:`printed` is emitted when it is done.
        """
        ask = printer is None
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        size = self.preview.document.pagePointSize(0) if self.preview.page_count() else None
        prepare_printer(printer, copies=self.copies, page_size_pt=size, name=self.file_stem)
        if ask:
            dlg = QPrintDialog(printer, self)
            dlg.setWindowTitle(self.tr("打印 {name}").format(name=self.file_stem))
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
        self._printer = printer  # kept alive (and untouched here) while the worker paints on it
        self.print_button.setEnabled(False)
        self.banner.show_message(self.tr("正在打印…"), "info")
        data, copies = self.pdf, printer.copyCount()

        def _done(sheets: int) -> None:
            self.sheets_printed = sheets
            self.banner.show_message(self.tr("已发送打印：每份 {pages} 页，共 {copies} 份。").format(
                pages=self.preview.page_count(), copies=copies), "info")
            self.printed.emit(sheets)

        def _finally() -> None:
            self._printer = None
            self.print_button.setEnabled(True)

        def _print(_recorded: object = None) -> None:
            Task(self, lambda: print_pdf(data, printer)).success(_done).finally_(_finally).run()

        def _not_recorded(exc: BaseException) -> None:
            _finally()
            present_failure(self, exc)

        record = self._record
        if record is None:
            _print()
        else:  # on record first: no record, no printout
            (WriteOp(self, lambda s, a: record(s, a, "print", "pdf"), ctx=self._ctx)
             .success(_print).failure(_not_recorded).run())
        return True

    def show_message(self, text: str, level: str) -> None:
        """Failures of printing and exporting, in the banner."""
        self.banner.show_message(text, level)

    # -- export

    def _on_export_pdf_button_clicked(self) -> None:
        self.export("pdf")

    def _on_export_docx_button_clicked(self) -> None:
        self.export("docx")

    def export(self, fmt: str, path: Path | None = None) -> None:
        """Save as ``fmt`` ("pdf" or "docx"); without ``path`` the user chooses where."""
        if path is None:
            chosen = ask_save_path(self, fmt, self.file_stem)
            if chosen is None:
                return
            path = chosen
        pdf, make_docx, target, record = self.pdf, self._docx, path, self._record

        def _write(job: Job | None) -> Path:
            if fmt == "pdf":
                data = pdf
                if job is not None and record is not None:  # on record first: no record, no file
                    job.write(lambda s, a: record(s, a, "export", fmt))
            else:  # made (and, by a service that does, put on record) in one transaction
                data = job.write(make_docx) if job and make_docx else b""
            write_file(target, data)
            return target

        def _done(p: Path) -> None:
            self.last_export = p
            self.banner.show_message(self.tr("已导出到：{path}").format(path=str(p)), "info")

        if self._ctx is None:
            Task(self, lambda: _write(None)).success(_done).run()
        else:
            WriteOp.job(self, _write, ctx=self._ctx).success(_done).run()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.preview.document.close()
        super().closeEvent(event)


def ask_save_path(parent: QWidget, fmt: str, stem: str) -> Path | None:
    """Ask where to save (a DOCX or PDF named after the document)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = str(Path(folder) / f"{safe_file_name(stem)}.{fmt}")
    if fmt == "pdf":
        title = QCoreApplication.translate("PdfPreview", "导出为 PDF")
        filt = QCoreApplication.translate("PdfPreview", "PDF 文件 (*.pdf)")
    else:
        title = QCoreApplication.translate("PdfPreview", "导出为 DOCX")
        filt = QCoreApplication.translate("PdfPreview", "Word 文档 (*.docx)")
    name, _filter = QFileDialog.getSaveFileName(parent, title, suggested, filt)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != f".{fmt}":
        path = path.with_name(path.name + f".{fmt}")
    return path


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (a calm StorageError when the disk refuses)."""
    if not data:
        raise StorageError(QCoreApplication.translate("PdfPreview", "没有可导出的内容。"))
    try:
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise StorageError(QCoreApplication.translate("PdfPreview", "无法写入文件 {path}：{why}").format(
            path=str(path), why=exc.strerror or type(exc).__name__)) from exc


__all__ = ["PdfPreview", "PdfPreviewDialog", "ask_save_path", "prepare_printer", "print_pdf", "safe_file_name",
           "write_file"]
