"""Reading the spreadsheets officials work in: ``.xlsx`` and ``.csv`` into rows of text.

CSV files come in UTF-8 (with or without BOM) or GBK/GB18030; the encoding is detected by
trying strict UTF-8 first, then GB18030 (a superset of GBK), which is how these files are
actually produced (Excel on a Chinese Windows saves "CSV" as GBK). An ``.xlsx`` of one sheet
of text and plain numbers, what rosters and vacancy lists hold, is read with numpy
(:mod:`features.sheetxml`); any other with python-calamine, about ten times faster than
openpyxl on 100,000 rows. Every cell becomes a stripped string, so the parsers see one
representation whatever the file type.

Columns are declared once per format as :class:`Column` (Chinese header, English key,
required); :func:`map_headers` matches a file's header row against them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from features.columnar import SEP, Coded, factorize, needs_strip, scan_csv
from features.errors import TableError
from features.sheetxml import Sheet, Unsupported, float_text, open_sheet, read_grid, row_cuts


@dataclass(frozen=True, slots=True)
class Column:
    """A column of an import format."""

    header: str  # the Chinese header officials see
    key: str  # the English key, also accepted as header
    required: bool = False
    aliases: tuple[str, ...] = ()
    rule: str = ""  # what a valid value looks like, in Chinese (shown in templates)


@dataclass(frozen=True, slots=True)
class RowError:
    """One error in one cell: ``row`` is the spreadsheet row number (the header is row 1)."""

    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, object]:
        """The error as the JSON object the CLI and the API print."""
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Table:
    """A file's header row and its data rows, every cell a stripped string.

    ``first`` is the spreadsheet row number of the first data row: 2 for a whole file (the
    header is row 1), later for a part of one (:func:`table_parts`).
    """

    headers: list[str]
    rows: list[list[str]]
    first: int = 2

    def numbered(self) -> Iterator[tuple[int, list[str]]]:
        """Data rows with their spreadsheet row numbers (the first data row is 2)."""
        return enumerate(self.rows, start=self.first)


@dataclass(frozen=True, slots=True)
class ColumnTable:
    """A table column by column (:mod:`features.columnar`): the header row and, for each of its
    cells, the column's texts coded; ``length`` data rows, the first of them row ``first``."""

    headers: list[str]
    columns: list[Coded]
    length: int
    first: int = 2

    def numbered(self) -> Iterator[tuple[int, list[str]]]:
        """Data rows as lists of text, with their spreadsheet row numbers (as :class:`Table`)."""
        rows = zip(*(c.texts() for c in self.columns), strict=True) if self.columns else []
        return enumerate((list(r) for r in rows), start=self.first)


def columnar(table: Table | ColumnTable) -> ColumnTable:
    """A table column by column, each row cut or padded to the header's width."""
    if isinstance(table, ColumnTable):
        return table
    width = len(table.headers)
    rows = [r if len(r) == width else (r + [""] * width)[:width] for r in table.rows]
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    return ColumnTable(table.headers, [factorize(c) for c in columns], len(rows), table.first)


def is_digits(text: str) -> bool:
    """A non-empty run of ASCII digits (``str.isdigit`` also takes ¹ and ①, which ``int`` refuses)."""
    return text.isascii() and text.isdigit()


def decode_text(data: bytes) -> str:
    """Bytes of a CSV file as text: UTF-8 (BOM or not) if it decodes strictly, else GB18030."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise TableError(
            "文件编码无法识别：请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx 文件"
        ) from exc


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _stripped(rows: list[list[Any]]) -> list[list[str]]:
    """Rows as stripped text, in place; in the common case the rows are only scanned.

    Stripping every cell touches each of a file's millions of cell objects; joining them and
    scanning the joined text costs less than half as much. Only when that finds a cell with
    whitespace at an end, or a cell that is not text (a number, a date), are rows converted.
    """
    join, strip = SEP.join, str.strip
    try:
        if not needs_strip(join(map(join, rows))):
            return rows
    except TypeError:
        pass
    for i, row in enumerate(rows):
        try:
            text = join(row)
        except TypeError:
            rows[i] = [c.strip() if type(c) is str else _cell_text(c) for c in row]
            continue
        if needs_strip(text):
            rows[i] = list(map(strip, row))
    return rows


def _pad(rows: list[list[str]], width: int) -> list[list[str]]:
    out = []
    for row in rows:
        if len(row) < width:
            row = row + [""] * (width - len(row))
        elif len(row) > width:
            row = row[:width]
        out.append(row)
    return out


def _drop_blank(rows: list[list[str]]) -> list[list[str]]:
    # Trailing blank rows are common in spreadsheets; they are not data.
    end = len(rows)
    while end and not any(rows[end - 1]):
        end -= 1
    return rows[:end]


def read_csv(data: bytes) -> Table:
    """A CSV file (UTF-8 or GBK) as a :class:`Table`."""
    return _csv_table(decode_text(data))


def _csv_table(text: str, body: str | None = None, first: int = 2) -> Table:
    """The table of CSV text; with ``body``, ``text`` is the header line and ``body`` the rows
    that start at row ``first``."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise TableError("文件为空：第1行应为表头") from None
    if body is not None:
        reader = csv.reader(io.StringIO(body, newline=""))
    rows = _stripped(list(reader))
    return Table(header, _pad(_drop_blank(rows), len(header)), first)


def read_xlsx(data: bytes) -> Table:
    """The first sheet of an ``.xlsx`` file as a :class:`Table`.

    The common sheet (strings and plain numbers) is read by :mod:`features.sheetxml`, several
    times faster; any other by calamine.
    """
    try:
        sheet = open_sheet(data)
        grid = read_grid(sheet)
    except Unsupported:
        return _xlsx_table(data)
    if not len(grid):
        raise TableError("文件为空：第1行应为表头")
    header = _header(grid[0].tolist())
    return Table(header, _grid_rows(grid[1:], len(header)), 2)


def _header(cells: list[str]) -> list[str]:
    """A header row without the blank cells at its end."""
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _grid_rows(grid: npt.NDArray[np.object_], width: int) -> list[list[str]]:
    """Rows of a grid of text (:func:`features.sheetxml.read_grid`) cut or padded to a width."""
    if grid.shape[1] < width:
        padding = np.full((grid.shape[0], width - grid.shape[1]), "", dtype=object)
        grid = np.hstack([grid, padding])
    rows: list[list[str]] = grid[:, :width].tolist()
    return rows


def _xlsx_table(data: bytes) -> Table:
    """The first sheet as a table, read by calamine."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise TableError(f"无法读取 Excel 文件：{exc}") from exc
    if not values:
        raise TableError("文件为空：第1行应为表头")
    header = [_cell_text(c) for c in values[0]]
    while header and not header[-1]:
        header.pop()
    del values[0]
    return Table(header, _pad(_drop_blank(_stripped(values)), len(header)))


def table_parts(
    data: bytes, filename: str, parts: int = 2
) -> Sequence[Callable[[], Table | ColumnTable]]:
    """Readers of consecutive parts of a file's rows, each giving a table with the
    header and the true row numbers, so that the parts can be read and checked side by side.
    Together they hold the whole file's rows but the blank ones at the end of a part (blank
    rows are not data).

    A file is cut only where a cut is certain to fall between rows: a CSV without quotes and
    with one kind of line end, an ``.xlsx`` that :mod:`features.sheetxml` reads, with one sheet
    whose rows carry their numbers. Any other file gives one reader, :func:`read_table` itself.
    """
    whole: Sequence[Callable[[], Table | ColumnTable]] = [partial(read_table, data, filename)]
    if parts < 2:
        return whole
    name = filename.lower()
    if data[:2] == b"PK":
        if name.endswith(".xlsx"):
            return _xlsx_parts(data, parts) or whole
        return whole
    if name.endswith((".csv", ".txt")) or not name:
        try:
            body = _utf8(data)
        except TableError:
            return whole
        return _csv_parts(body, parts) or whole
    return whole


def _utf8(data: bytes) -> bytes:
    """The bytes of a CSV file in UTF-8 without a BOM (a GBK/GB18030 file transcoded)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return decode_text(data).encode("utf-8")
    return data.removeprefix(b"\xef\xbb\xbf")


def _csv_parts(body: bytes, parts: int) -> list[Callable[[], ColumnTable]] | None:
    """CSV bytes (UTF-8) cut at line ends: with no quote, every line end ends a row."""
    if b'"' in body or body.count(b"\r") != body.count(b"\r\n"):
        return None
    header_end = body.find(b"\n") + 1
    cuts = [header_end]
    for k in range(1, parts):
        cut = body.find(b"\n", max(cuts[-1], len(body) * k // parts)) + 1
        if cut <= cuts[-1] or cut >= len(body):
            return None
        cuts.append(cut)
    cuts.append(len(body))
    header = body[:header_end]
    return [
        partial(_csv_columns, header, body, body.count(b"\n", 0, start) + 1, start, stop)
        for start, stop in pairwise(cuts)
    ]


def _csv_columns(
    header: bytes, body: bytes, first: int = 2, start: int = 0, stop: int | None = None
) -> ColumnTable:
    """The table of a CSV's header line and the lines ``body[start:stop]`` that start at row
    ``first`` (UTF-8), scanned with numpy when it is plain (:func:`features.columnar.scan_csv`:
    the lines are read where they are, not copied)."""
    text = header.decode("utf-8")
    try:
        headers = [h.strip() for h in next(csv.reader(io.StringIO(text, newline="")))]
    except StopIteration:
        raise TableError("文件为空：第1行应为表头") from None
    try:
        columns = scan_csv(body, len(headers), start, stop)
    except Unsupported:
        return columnar(_csv_table(text, body[start:stop].decode("utf-8"), first))
    return ColumnTable(headers, columns, len(columns[0]) if columns else 0, first)


def read_columns(data: bytes, filename: str) -> ColumnTable:
    """:func:`read_table` column by column; a plain CSV is scanned straight into columns."""
    name = filename.lower()
    if data[:2] != b"PK" and (name.endswith((".csv", ".txt")) or not name):
        body = _utf8(data)
        if b'"' not in body:  # else a quoted header may span lines
            header_end = body.find(b"\n") + 1 or len(body)
            return _csv_columns(body[:header_end], body, 2, header_end)
    return columnar(read_table(data, filename))


def _xlsx_parts(data: bytes, parts: int) -> list[Callable[[], Table]] | None:
    """An ``.xlsx`` that :mod:`features.sheetxml` reads, cut between ``<row>`` elements.

    The sheet is unpacked once, here, with its shared strings, and each part reads its own
    rows' cells; a part holding a cell that reader leaves to calamine raises
    :class:`TableError` (read the file in one part). None for any other workbook.
    """
    try:
        sheet = open_sheet(data)
        runs = row_cuts(sheet, parts)
        head = read_grid(sheet, 0, runs[0][0])
    except Unsupported:
        return None
    header = _header(head[0].tolist()) if len(head) else []
    return [partial(_sheet_part, sheet, header, *run) for run in runs]


def _sheet_part(sheet: Sheet, header: list[str], start: int, stop: int, first: int) -> Table:
    """The rows of a part of a sheet, between two cuts of :func:`features.sheetxml.row_cuts`."""
    try:
        grid = read_grid(sheet, start, stop, first, width=len(header))
    except Unsupported as exc:
        raise TableError("工作表含有需整体读取的单元格") from exc
    return Table(list(header), _grid_rows(grid, len(header)), first)


def read_table(data: bytes, filename: str) -> Table:
    """A ``.csv`` or ``.xlsx`` file's content as a :class:`Table`, chosen by name and magic."""
    name = filename.lower()
    if data[:2] == b"PK" or name.endswith((".xlsx", ".xlsm")):
        return read_xlsx(data)
    if name.endswith((".csv", ".txt")) or not name:
        return read_csv(data)
    if name.endswith(".xls"):
        raise TableError("不支持旧版 .xls 文件：请在 Excel 中另存为 .xlsx 或 CSV")
    raise TableError(f"不支持的文件类型“{filename}”：请上传 .xlsx 或 .csv 文件")


def map_headers(
    headers: Sequence[str], columns: Sequence[Column]
) -> tuple[dict[str, int], list[RowError]]:
    """Match a header row against a format: ``{key: column index}`` and header errors (row 1)."""
    by_name: dict[str, Column] = {}
    for col in columns:
        for name in (col.header, col.key, *col.aliases):
            by_name[name] = col
            by_name[name.lower()] = col
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for i, raw in enumerate(headers):
        h = raw.strip().lstrip("\ufeff")
        if not h:
            continue
        found = by_name.get(h) or by_name.get(h.lower())
        if found is None:
            errors.append(RowError(1, h, h, f"未知的表头“{h}”：请使用模板中的表头"))
        elif found.key in index:
            errors.append(RowError(1, h, h, f"表头“{h}”重复出现"))
        else:
            index[found.key] = i
    for col in columns:
        if col.required and col.key not in index:
            errors.append(RowError(1, col.header, "", f"缺少必填列“{col.header}”"))
    return index, errors


__all__ = [
    "Column",
    "ColumnTable",
    "RowError",
    "Table",
    "columnar",
    "decode_text",
    "is_digits",
    "map_headers",
    "read_columns",
    "read_csv",
    "read_table",
    "read_xlsx",
    "table_parts",
]
