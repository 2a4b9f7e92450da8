"""The fast ``.xlsx`` reader: the table calamine reads, or Unsupported and calamine reads it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from features.errors import TableError
from features.sheetxml import Unsupported, open_sheet, read_grid, row_cuts
from features.tabular import Table, _xlsx_table, read_xlsx, table_parts

Cell = str | int | float | None


def _written(rows: list[list[Cell]], write: Callable[..., None] | None = None) -> bytes:
    """An .xlsx as Excel and WPS save it (XlsxWriter: shared strings, blank cells left out)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write_number(r, c, value)
    if write is not None:
        write(book, sheet)
    book.close()
    return buffer.getvalue()


def _fast(data: bytes) -> list[list[str]]:
    """The grid the fast reader makes of a file (raises Unsupported where it does not read)."""
    grid: list[list[str]] = read_grid(open_sheet(data)).tolist()
    return grid


def _outcome(read: Callable[[bytes], Table], data: bytes) -> Table | str:
    """The table a reader makes of a file, or the message of the error it raises."""
    try:
        return read(data)
    except TableError as exc:
        return str(exc)


def _rezipped(data: bytes, edit: Callable[[bytes], bytes]) -> bytes:
    """The workbook with its sheet's XML edited."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = edit(content)
            target.writestr(name, content)
    return buffer.getvalue()


_TEXT = st.text(alphabet="张建国保洁a1 ,.-&<>\"'\t\n\u3000;=", max_size=6)
_NUMBER = (
    st.integers(-(10**12), 10**12)
    | st.sampled_from([0.5, -1.25, 1e15, 1e20, 123456789012345680.0, 1e-7, 3.14159])
    | st.floats(allow_nan=False, allow_infinity=False)
)
_CELL: st.SearchStrategy[Cell] = _TEXT | _TEXT | _NUMBER | st.none()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=30), min_size=1, max_size=12))
@example([["姓名", "电话"], [" 张建国 ", 13800138000], [None, "a&b<c>"], [], ["", 1.5]])
@example([["a"] + [None] * 27 + ["AC列"]])  # two-letter columns
def test_a_sheet_of_text_and_numbers_reads_as_calamine_reads_it(rows: list[list[Cell]]) -> None:
    data = _written(rows)
    _fast(data)  # read by the fast reader, not handed to calamine
    assert _outcome(read_xlsx, data) == _outcome(_xlsx_table, data)


def test_inline_strings_as_openpyxl_writes_them_read_as_calamine_reads_them(
    tmp_path: Path,
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "技能", "可接受通勤(分钟)"])
    sheet.append([" 张建国 ", "保洁&绿化 <B2>", 60])
    sheet.append(["李秀英", None, 45.5])
    path = tmp_path / "inline.xlsx"
    book.save(path)
    data = path.read_bytes()
    assert b"inlineStr" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert _fast(data)[1] == ["张建国", "保洁&绿化 <B2>", "60"]
    assert read_xlsx(data) == _xlsx_table(data)


def test_rich_text_in_a_shared_string_reads_as_its_runs_joined() -> None:
    def rich(book: xlsxwriter.Workbook, sheet: object) -> None:
        bold = book.add_format({"bold": True})
        sheet.write_rich_string(1, 0, "保洁", bold, "员 ", "（夜班）")  # type: ignore[attr-defined]

    data = _written([["岗位"]], rich)
    assert _fast(data) == [["岗位"], ["保洁员 （夜班）"]]
    assert read_xlsx(data) == _xlsx_table(data)


def _dated(book: xlsxwriter.Workbook, sheet: object, row: int = 1, column: int = 0) -> None:
    sheet.write_datetime(
        row, column, dt.datetime(2026, 11, 1), book.add_format({"num_format": "yyyy-mm-dd"})
    )  # type: ignore[attr-defined]


def _boolean(book: xlsxwriter.Workbook, sheet: object) -> None:
    sheet.write_boolean(1, 0, True)  # type: ignore[attr-defined]


def _formula(book: xlsxwriter.Workbook, sheet: object) -> None:
    sheet.write_formula(1, 0, '="保"&"洁"', None, "保洁")  # type: ignore[attr-defined]


def _second_sheet(book: xlsxwriter.Workbook, sheet: object) -> None:
    book.add_worksheet("其他").write_string(0, 0, "x")


def _custom_number(book: xlsxwriter.Workbook, sheet: object) -> None:
    sheet.write_number(1, 0, 46000, book.add_format({"num_format": "0.0 天"}))  # type: ignore[attr-defined]


def _carriage_return(book: xlsxwriter.Workbook, sheet: object) -> None:
    sheet.write_string(1, 0, "第一行\r\n第二行")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "write", [_dated, _boolean, _formula, _second_sheet, _custom_number, _carriage_return]
)
def test_what_the_fast_reader_does_not_read_is_left_to_calamine(
    write: Callable[..., None],
) -> None:
    data = _written([["姓名", "区"], [None, "延庆区"]], write)
    with pytest.raises(Unsupported):
        _fast(data)
    assert read_xlsx(data) == _xlsx_table(data)


def test_a_number_in_a_plain_number_format_is_read_fast() -> None:
    def formatted(book: xlsxwriter.Workbook, sheet: object) -> None:
        sheet.write_number(1, 0, 1234.5, book.add_format({"num_format": "#,##0.00"}))  # type: ignore[attr-defined]
        sheet.write_number(1, 1, 0.25, book.add_format({"num_format": "0%"}))  # type: ignore[attr-defined]

    data = _written([["金额", "比例"]], formatted)
    assert _fast(data) == [["金额", "比例"], ["1234.5", "0.25"]]


@pytest.mark.parametrize(
    "edit",
    [
        lambda x: x.replace(b"</row><row", "</row><!-- 备注 --><row".encode(), 1),
        lambda x: x.replace(b"</v></c>", b"</v><extLst/></c>", 1),
        lambda x: x.replace(b'<c r="B2"', b'<c s="0" r="B2"', 1),
        lambda x: re.sub(rb"<(/?)(sheetData|row|c|v)\b", rb"<\1x:\2", x),
    ],
    ids=["comment", "unknown element in a cell", "reference not first", "prefixed elements"],
)
def test_anything_but_rows_and_cells_in_the_sheet_is_left_to_calamine(
    edit: Callable[[bytes], bytes],
) -> None:
    data = _rezipped(_written([["姓名", "区"], ["张建国", "延庆区"], ["李秀英", 3]]), edit)
    with pytest.raises(Unsupported):
        _fast(data)


def test_the_rows_cut_into_parts_read_as_the_whole_sheet() -> None:
    rows: list[list[Cell]] = [["姓名", "号码", "技能"]]
    rows += [[f"第{i}行", i, "保洁" if i % 3 else None] for i in range(2, 60)]
    rows += [[None], [None], ["末行", 1.5]]
    data = _written(rows)
    sheet = open_sheet(data)
    runs = row_cuts(sheet, 3)
    assert runs[0][2] == 2
    assert all(a[1] == b[0] for a, b in pairwise(runs))
    whole = read_xlsx(data)
    tables = [read() for read in table_parts(data, "名册.xlsx", 3)]
    numbered = [(no, row) for t in tables for no, row in t.numbered() if any(row)]
    assert numbered == [(no, row) for no, row in whole.numbered() if any(row)]
    assert [t.first for t in tables] == [first for _, _, first in runs]


def test_a_part_holding_a_cell_left_to_calamine_refuses_to_be_read_in_parts() -> None:
    rows: list[list[Cell]] = [["姓名", "日期"]] + [[f"第{i}行", None] for i in range(2, 40)]
    data = _written(rows, lambda book, sheet: _dated(book, sheet, row=35, column=1))
    readers = table_parts(data, "名册.xlsx", 2)
    assert len(readers) == 2
    readers[0]()
    with pytest.raises(TableError, match="整体读取"):
        readers[1]()
