"""Export and import: the JSON exchange file and the Excel ledger (登记台账).

The JSON format is documented in ``docs/import-format.md``. In short: one object
with ``format``/``version``, then ``desks``, ``users``, ``settings``, ``holidays``,
``number_sequences``, ``consultations`` and ``cases`` (each case carrying its
parties, events, investigation and session records, follow-ups and attachments).
Records refer to desks by number prefix and to accounts by username, never by
database id, so a file moves between databases (SQLite → PostgreSQL too).

Import is all or nothing: every record is validated first (with the same
validators the services use, :mod:`.clean`), and only then written (:mod:`.write`), in
the caller's single transaction. Errors name the record, e.g. ``cases[12].parties[0].id_number`` or,
for a ledger, ``台账 第15行 申请人电话``. Cases already present (same case number;
unnumbered cases: same desk, registration time and parties) are skipped.

The package: :mod:`.export`, :mod:`.parse` (the format's values and records as read),
:mod:`.clean`, :mod:`.write`, :mod:`.json_import`, :mod:`.ledger`. This module gives the
entry points the command line and the desktop use.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.permissions import Actor
from mediation.progress import Progress
from mediation.services.transfer.export import (
    FORMAT,
    VERSION,
    ExportSummary,
    export,
    export_database,
)
from mediation.services.transfer.json_import import import_document, import_json
from mediation.services.transfer.ledger import import_ledger
from mediation.services.transfer.write import ImportSummary

__all__ = ["FORMAT", "VERSION", "ExportSummary", "ImportSummary", "export", "export_database",
           "import_", "import_document"]


def import_(session: Session, actor: Actor | None, path: Path | str, *,
            desk_id: int | None = None, progress: Progress | None = None) -> ImportSummary:
    """Import ``path`` by its extension: ``.json`` (export format) or ``.xlsx`` (ledger).

    ``progress(done, total)`` is called after each case is written; it may raise (e.g.
    :class:`mediation.progress.Cancelled` when the user cancels) to abandon the import, and the
    caller's transaction then rolls everything back.
    """
    p = Path(path).expanduser()
    suffix = p.suffix.lower()
    if suffix == ".json":
        return _analyzed(session, import_json(session, actor, p, progress=progress))
    if suffix in (".xlsx", ".xlsm"):
        return _analyzed(session, import_ledger(session, actor, p, desk_id=desk_id, progress=progress))
    if suffix in (".xls", ".et", ".csv"):
        raise ValidationError(field="file", message=_("请在 Excel 或 WPS 中把台账另存为 .xlsx 格式后再导入。"))
    raise ValidationError(field="file", message=_("只能导入 .json（导出文件）或 .xlsx（台账）文件。"))


def _analyzed(session: Session, summary: ImportSummary) -> ImportSummary:
    """Statistics for the planner after a large import (issue 13): a thousand cases or a tenth of all."""
    from sqlalchemy import func, select

    from mediation.models import CaseStageCount
    from mediation.services import search_index

    if summary.cases_imported:
        total = int(session.scalar(select(func.coalesce(func.sum(CaseStageCount.n), 0))) or 0)
        if summary.cases_imported >= min(1000, max(1, total // 10)):
            search_index.analyze(session.connection())
    return summary
