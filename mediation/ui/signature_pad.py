"""Signatures drawn on screen: a pad for one signer, and a dialog with a pad for each required signer."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mediation import workflow
from mediation.changes import Changes
from mediation.permissions import Actor
from mediation.services import documents as docs
from mediation.timeutil import fmt_local
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.operations import ReadOp, WriteOp
from mediation.ui.widgets import ERROR_COLOR, HINT_COLOR, Banner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)



INK = QColor("#10224a")
"""Blue-black, like a ballpoint pen."""
PEN_WIDTH = 2.6
"""Stroke width in widget pixels."""
PNG_SCALE = 3.0
"""The stored image has three pixels per widget pixel (≈ 300 dpi on a 96 dpi screen)."""
PNG_MAX_WIDTH = 2000
PNG_MARGIN = 6.0

def role_label(role: str) -> str:
    """The signer's role in words (申请人, 调解员, 记录人 …): mediation.workflow.SIGNER_ROLES."""
    return workflow.signer_label(role)


class SignaturePad(QWidget):
    """A white area to sign in with the mouse, a pen or a finger.

    Pens and touch screens arrive as mouse events (Qt synthesises them when the tablet
    or touch event is not accepted), so one code path serves all three.
    """

    changed = Signal()
    """A stroke was added or the pad was cleared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[QPointF]] = []
        self._drawing = False
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumSize(320, 130)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("签名区"))

    def sizeHint(self) -> QSize:
        return QSize(520, 150)

    # -- state

    def is_empty(self) -> bool:
        return not any(self._strokes)

    def clear(self) -> None:
        self._strokes.clear()
        self._drawing = False
        self.update()
        self.changed.emit()

    # -- input

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._drawing = True
        self._strokes.append([event.position()])
        self.update()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._drawing or not self._strokes:
            super().mouseMoveEvent(event)
            return
        stroke = self._strokes[-1]
        p = event.position()
        if not stroke or (p - stroke[-1]).manhattanLength() >= 0.5:
            stroke.append(p)
            self.update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._drawing:
            super().mouseReleaseEvent(event)
            return
        self._drawing = False
        if self._strokes and self._strokes[-1][-1] != event.position():
            self._strokes[-1].append(event.position())
        self.update()
        self.changed.emit()
        event.accept()

    # -- drawing

    def _path(self) -> QPainterPath:
        path = QPainterPath()
        for stroke in self._strokes:
            if not stroke:
                continue
            path.moveTo(stroke[0])
            if len(stroke) == 1:
                path.lineTo(stroke[0] + QPointF(0.1, 0.1))  # a dot
            for p in stroke[1:]:
                path.lineTo(p)
        return path

    def _pen(self) -> QPen:
        pen = QPen(INK, PEN_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.fillRect(r, QColor("white"))
        p.setPen(QPen(QColor("#9aa0a6"), 1))
        p.drawRect(r)
        base_y = r.bottom() - max(24.0, r.height() * 0.22)
        p.setPen(QPen(QColor("#c8ccd0"), 1, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(r.left() + 16, base_y), QPointF(r.right() - 16, base_y))
        if self.is_empty():
            p.setPen(QColor(HINT_COLOR))
            p.drawText(r.adjusted(0, 0, 0, -(r.bottom() - base_y)), Qt.AlignmentFlag.AlignCenter,
                       self.tr("请在此处签名"))
        p.setPen(self._pen())
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(self._path())
        p.end()

    # -- output

    def to_png(self, *, scale: float = PNG_SCALE, background: QColor | None = None) -> bytes:
        """The signature cropped to its ink (plus a small margin) as PNG; b"" when empty.

        Transparent background unless ``background`` is given, so it can sit on a
        signature line of the printed form.
        """
        if self.is_empty():
            return b""
        path = self._path()
        box = path.boundingRect().adjusted(-PNG_MARGIN - PEN_WIDTH, -PNG_MARGIN - PEN_WIDTH,
                                           PNG_MARGIN + PEN_WIDTH, PNG_MARGIN + PEN_WIDTH)
        scale = min(scale, PNG_MAX_WIDTH / max(box.width(), 1.0))
        size = QSize(max(1, round(box.width() * scale)), max(1, round(box.height() * scale)))
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(background if background is not None else QColor(0, 0, 0, 0))
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.scale(scale, scale)
        p.translate(-box.topLeft())
        p.setPen(self._pen())
        p.drawPath(path)
        p.end()
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide6 wants str
        buf.close()
        return bytes(data.data())


# ---------------------------------------------------------------- the dialog


@dataclass(frozen=True)
class _Signer:
    role: str
    name: str
    signed_at: str
    """When this signer's signature was captured ("" if not yet)."""
    caption: str = ""
    """The words the form prints before the line."""


@dataclass(frozen=True)
class _Loaded:
    title: str
    status: str
    version: int
    signers: list[_Signer]


class SignatureDialog(QDialog):
    """One pad per signature line the form prints (parties, mediator, recorder, witness …);
    saves the drawn ones with add_signature."""

    signatures_saved = Signal(int)
    """Emitted with the number of signatures stored."""

    def __init__(self, ctx: AppContext, document_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.document_id = document_id
        self.case_id: int | None = None
        self.pads: dict[tuple[str, str], SignaturePad] = {}
        self.signers: list[_Signer] = []
        self.loaded = False
        self.setWindowTitle(self.tr("当事人签名"))
        root = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        root.addWidget(self.intro)
        self.banner = Banner(self)
        root.addWidget(self.banner)
        self._area = QScrollArea(self)
        self._area.setWidgetResizable(True)
        self._area.setFrameShape(QFrame.Shape.NoFrame)
        self._body = QWidget(self._area)
        self._grid = QGridLayout(self._body)
        self._grid.setColumnStretch(1, 1)
        self._area.setWidget(self._body)
        root.addWidget(self._area, 1)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(self.tr("保存签名"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        root.addWidget(self.buttons)
        self.intro.setText(self.tr("正在载入…"))
        self.resize(680, 620)
        self._load()

    def _load(self) -> None:
        doc_id = self.document_id

        def _fetch(s: Session, actor: Actor) -> tuple[_Loaded, int]:
            info = docs.get_document(s, actor, doc_id)
            lines = docs.sign_lines_for(s, actor, doc_id)
            done = {(sig.signer_role, sig.signer_name): fmt_local(sig.captured_at) for sig in info.signatures}
            return _Loaded(info.title, info.status, info.version_number,
                           [_Signer(ln.role, ln.name, done.get(ln.key, ""), ln.caption) for ln in lines]), info.case_id

        ReadOp(self, _fetch).success(self._on_loaded).run()

    def _on_loaded(self, result: tuple[_Loaded, int]) -> None:
        loaded, self.case_id = result
        self.signers = loaded.signers
        self.setWindowTitle(self.tr("签名 — {title}（第{n}版）").format(title=loaded.title, n=loaded.version))
        if loaded.status != "approved":
            self.intro.setText(self.tr("文书审批通过后才能签名。"))
            self.loaded = True
            return
        self.intro.setText(self.tr("请各方在自己名字旁的框内签名（可用鼠标、手写笔或触摸屏）。签名保存后附在本版文书上，"
                                   "记录签名人和时间。签错了可点“重写”。"))
        for row, signer in enumerate(loaded.signers):
            label = QLabel(self.tr("{role}：{name}").format(role=role_label(signer.role), name=signer.name),
                           self._body)
            f = label.font()
            f.setBold(True)
            label.setFont(f)
            self._grid.addWidget(label, row * 2, 0, 1, 2)
            if signer.signed_at:
                done = QLabel(self.tr("已签名（{when}）").format(when=signer.signed_at), self._body)
                done.setStyleSheet(f"color: {HINT_COLOR};")
                self._grid.addWidget(done, row * 2 + 1, 0, 1, 3)
                continue
            if not signer.name:
                # The form names nobody on this line: it cannot be signed on screen as it is.
                label.setText(self.tr("{role}：（文书上未填姓名）").format(role=role_label(signer.role)))
                blank = QLabel(self.tr("这一栏没有写明签名人，不能在屏幕上签名：请更正文书（新版本）写明姓名，"
                                       "或改为纸质签字定稿。"), self._body)
                blank.setWordWrap(True)
                blank.setStyleSheet(f"color: {ERROR_COLOR};")
                self._grid.addWidget(blank, row * 2 + 1, 0, 1, 3)
                continue
            pad = SignaturePad(self._body)
            pad.setAccessibleName(self.tr("{name}的签名区").format(name=signer.name))
            pad.changed.connect(self._on_pad_changed)
            clear = QPushButton(self.tr("重写"), self._body)
            clear.setAutoDefault(False)
            clear.clicked.connect(pad.clear)
            self._grid.addWidget(pad, row * 2 + 1, 0, 1, 2)
            self._grid.addWidget(clear, row * 2 + 1, 2, Qt.AlignmentFlag.AlignTop)
            self.pads[(signer.role, signer.name)] = pad
        self._grid.setRowStretch(len(loaded.signers) * 2, 1)
        if not self.pads:
            self.intro.setText(self.tr("各方均已签名，可以定稿。"))
        self.loaded = True
        self._on_pad_changed()

    def _on_pad_changed(self) -> None:
        self.save_button.setEnabled(any(not p.is_empty() for p in self.pads.values()))

    def show_message(self, text: str, level: str) -> None:
        """Failures of loading and saving, in the banner (see mediation.ui.errors)."""
        self.banner.show_message(text, level)

    def _on_save_button_clicked(self) -> None:
        self.save()

    def save(self) -> None:
        """Store every pad that has ink (one transaction)."""
        drawn = [(role, name, pad.to_png()) for (role, name), pad in self.pads.items() if not pad.is_empty()]
        if not drawn:
            self.banner.show_message(self.tr("还没有人签名。"), "warning")
            return
        doc_id = self.document_id

        def _save(s: Session, actor: Actor) -> int:
            for role, name, png in drawn:
                docs.add_signature(s, actor, doc_id, signer_role=role, signer_name=name, image_png=png)
            return len(drawn)

        def _saved(n: int) -> None:
            self.signatures_saved.emit(n)
            self.accept()

        def _failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            present_failure(self, exc)

        self.save_button.setEnabled(False)
        op = WriteOp(self, _save)
        if self.case_id is not None:
            op.changes(Changes(case_ids=frozenset({self.case_id})))
        op.success(_saved).failure(_failed).run()

    def missing(self) -> list[str]:
        """Lines still to sign after what is drawn now (记录人 王五)."""
        return [f"{role_label(s.role)} {s.name}".strip() for s in self.signers if not s.signed_at
                and ((s.role, s.name) not in self.pads or self.pads[(s.role, s.name)].is_empty())]


__all__ = ["SignatureDialog", "SignaturePad", "role_label"]
