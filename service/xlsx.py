"""Writing ``.xlsx`` files: plain tables (exports, statistics) and empty import templates.

openpyxl's write-only mode streams rows, so a 100,000-row export stays small in memory.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from features.tabular import Column

_BOLD = Font(bold=True)


def _cell_value(value: object) -> object:
    """A value openpyxl can store: numbers, dates and text as is, everything else as text."""
    if value is None or isinstance(value, (int, float, str, dt.date, dt.datetime)):
        return value
    return str(value)


def rows_to_xlsx(headers: list[str], rows: list[list[object]], *, sheet: str = "Sheet1") -> bytes:
    """One sheet with a bold header row and the rows, as ``.xlsx`` bytes."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(title=sheet[:31] or "Sheet1")
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = _BOLD
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_cell_value(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_xlsx(
    columns: Sequence[Column],
    *,
    rules: dict[str, str] | None = None,
    sheet: str = "数据",
) -> bytes:
    """An empty import template: the Chinese headers, and a second sheet explaining each column."""
    rules = rules or {}
    book = Workbook(write_only=True)
    data = book.create_sheet(title=sheet)
    cells = []
    for col in columns:
        cell = WriteOnlyCell(data, value=col.header)
        cell.font = _BOLD
        cells.append(cell)
    data.append(cells)
    notes = book.create_sheet(title="填写说明")
    note_headers = []
    for h in ("表头", "英文键", "是否必填", "填写规则"):
        cell = WriteOnlyCell(notes, value=h)
        cell.font = _BOLD
        note_headers.append(cell)
    notes.append(note_headers)
    for col in columns:
        notes.append(
            [col.header, col.key, "必填" if col.required else "选填", rules.get(col.key, col.rule)]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["rows_to_xlsx", "template_xlsx"]
