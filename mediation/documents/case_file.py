"""The case file (卷宗): which papers it holds, in which order, on which pages; and the one PDF.

The file is the cover and its table of contents (the ``case_file_cover`` form), then
every final document of the case (its frozen PDF, as signed), then the signed paper
scans. Documents come in this order: the agreement, the records (application and
registration, session records), the notices, the follow-ups; within a kind, by the time
they were finalised. Pages are numbered from the first page after the cover and the
contents (卷内目录 itself is not numbered), and 本卷页数 is their total.

Reads the models directly (``documents`` never imports ``services``).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.documents.model import TocItem
from mediation.models import Attachment, Document, DocumentVersion, User
from mediation.timeutil import local_date

COVER_FORM = "case_file_cover"
ORDER: tuple[str, ...] = (
    workflow.PEOPLE_AGREEMENT, workflow.POLICE_AGREEMENT, workflow.ORAL_AGREEMENT,
    "application", "session_record",
    "rights_notice", "termination_notice", "judicial_confirmation",
    "follow_up",
)
"""Kinds of paper in the order the file holds them (a form not listed comes after these)."""


@dataclass(frozen=True)
class FileEntry:
    """One paper of the file, with the bytes that are printed for it."""

    title: str
    date: dt.date | None
    pdf: bytes
    pages: int
    note: str = ""
    kind: str = "document"
    """document (a final version) | scan (a signed paper copy)."""
    responsible: str = ""
    """责任者: who made the paper (drafted the version, or attached the scan)."""


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _scan_pdf(att: Attachment) -> bytes:
    """A signed scan as PDF pages (an image becomes one A4 page)."""
    if att.mime_type == "application/pdf" or att.content[:5] == b"%PDF-":
        return att.content
    from mediation.documents.pdf import image_page

    return image_page(att.content)


def gather(session: Session, case_id: int) -> list[FileEntry]:
    """The papers of the case file after its cover, in order."""
    rows = session.execute(
        select(Document, DocumentVersion).join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .where(Document.case_id == case_id, Document.form != COVER_FORM, DocumentVersion.status == "final",
               DocumentVersion.pdf.is_not(None))
        .order_by(DocumentVersion.finalized_at, DocumentVersion.id)).all()
    names = {uid: name for uid, name in session.execute(select(User.id, User.display_name))}
    rank = {form: i for i, form in enumerate(ORDER)}
    rows = sorted(rows, key=lambda r: rank.get(r[0].form, len(ORDER)))  # stable: finalised order within a kind
    entries: list[FileEntry] = []
    scans: list[FileEntry] = []
    for doc, version in rows:
        assert version.pdf is not None
        day = local_date(version.finalized_at) if version.finalized_at else None
        note = f"第{version.number}版" if version.number > 1 else ""
        entries.append(FileEntry(doc.title, day, version.pdf, page_count(version.pdf), note,
                                 responsible=names.get(version.created_by_id or 0, "")))
        if version.scan_attachment_id is not None:
            att = session.get(Attachment, version.scan_attachment_id)
            if att is not None:
                pdf = _scan_pdf(att)
                scans.append(FileEntry(f"{doc.title}（签字扫描件）", local_date(att.added_at), pdf,
                                       page_count(pdf), kind="scan", responsible=names.get(att.added_by_id or 0, "")))
    return entries + scans


def contents(entries: list[FileEntry]) -> tuple[list[TocItem], int]:
    """卷内目录: each paper with its pages (numbered from 1 after the contents), and the total."""
    items: list[TocItem] = []
    page = 1
    for e in entries:
        last = page + e.pages - 1
        items.append(TocItem(e.title, e.date, f"{page}" if last == page else f"{page}-{last}", e.responsible,
                             e.note))
        page = last + 1
    return items, page - 1


def merge(parts: list[bytes]) -> bytes:
    """PDFs one after the other, as one file (each part's pages unchanged)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    writer.close()
    return out.getvalue()
