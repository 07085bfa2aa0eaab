"""Reading the roster's Excel sheets (the school's list of volunteers, a week's timetable):
the header row, the cells of each row by column, and the merged cells, so that every
problem can be named by sheet, row and column.

Cells are read the way the desk's ledger import reads them (``transfer.ledger``): dates
arrive as dates, serial numbers or typed text.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediation.errors import StorageError, ValidationError
from mediation.i18n import _
from mediation.services.transfer.ledger import _cell_date as cell_date  # one reading of Excel dates
from mediation.services.transfer.ledger import _cell_text as cell_text

__all__ = ["Grid", "Merge", "cell_date", "cell_text", "column_letter", "norm_header", "read_workbook"]

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 5000


def norm_header(value: Any) -> str:
    """A header as compared: NFKC, no spaces, no colons or asterisks (必填 marks)."""
    return re.sub(r"[\s*:：]", "", unicodedata.normalize("NFKC", cell_text(value)))


def column_letter(index: int) -> str:
    """0 → A, 27 → AB."""
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


@dataclass(frozen=True)
class Merge:
    """A merged range, 0-based columns and 1-based rows as Excel shows them."""

    first_row: int
    last_row: int
    first_col: int
    last_col: int

    @property
    def ref(self) -> str:
        return f"{column_letter(self.first_col)}{self.first_row}:{column_letter(self.last_col)}{self.last_row}"


@dataclass
class Grid:
    """One sheet's cells (rows as Excel numbers them) and its merged ranges."""

    name: str
    rows: dict[int, tuple[Any, ...]]
    merges: list[Merge] = field(default_factory=list)

    def header_row(self, wanted: Iterable[str]) -> int:
        """The first row (of the first few) with at least two of the ``wanted`` headers;
        else the first row that has anything in it; 0 for an empty sheet."""
        known = {norm_header(w) for w in wanted}
        first = 0
        for n in sorted(self.rows)[:HEADER_SEARCH_ROWS]:
            cells = [norm_header(c) for c in self.rows[n]]
            if not first and any(cells):
                first = n
            if sum(1 for c in cells if c and c in known) >= 2:
                return n
        return first

    def headers(self, row: int) -> list[str]:
        return [cell_text(c) for c in self.rows.get(row, ())]

    def merge_at(self, row: int, col: int) -> Merge | None:
        for m in self.merges:
            if m.first_row <= row <= m.last_row and m.first_col <= col <= m.last_col:
                return m
        return None


def read_workbook(path: Path | str) -> list[Grid]:
    """Every sheet of an .xlsx file (values, not formulas)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    p = Path(path).expanduser()
    if not p.exists():
        raise StorageError(_("文件不存在：{path}").format(path=p))
    try:
        wb = openpyxl.load_workbook(p, data_only=True)
    except OSError as exc:
        raise StorageError(_("无法读取文件：{detail}").format(detail=exc.strerror or exc)) from None
    except (InvalidFileException, KeyError, ValueError, zipfile.BadZipFile):
        raise ValidationError(field="file", message=_(
            "无法读取该 Excel 文件：请确认是 .xlsx 格式（旧的 .xls 请在 Excel 中另存为 .xlsx）。")) from None
    grids = []
    try:
        for ws in wb.worksheets:
            rows: dict[int, tuple[Any, ...]] = {}
            for n, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                if n > MAX_ROWS:
                    raise ValidationError(field="file", message=_("工作表“{s}”超过 {n} 行，请分批导入。").format(
                        s=ws.title, n=MAX_ROWS))
                if any(c is not None and cell_text(c) for c in cells):
                    rows[n] = tuple(cells)
            merges = [Merge(r.min_row, r.max_row, r.min_col - 1, r.max_col - 1) for r in ws.merged_cells.ranges]
            grids.append(Grid(ws.title, rows, merges))
    finally:
        wb.close()
    return grids
