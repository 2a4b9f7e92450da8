"""Reading spreadsheets: encodings, cells as text, header matching."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable
from itertools import pairwise
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook

from features.tabular import (
    Column,
    Table,
    _stripped,
    is_digits,
    map_headers,
    read_csv,
    read_table,
    read_xlsx,
    table_parts,
)

_SPACES = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


def test_only_ascii_digit_runs_count_as_digits() -> None:
    assert is_digits("2026")
    assert not is_digits("¹")
    assert not is_digits("①")
    assert not is_digits("")


def test_gbk_and_utf8_bom_csv_read_to_the_same_cells() -> None:
    text = "姓名,区\n张建国,通州区\n"
    assert read_csv(text.encode("gbk")) == read_csv(("\ufeff" + text).encode("utf-8"))
    assert read_csv(text.encode("gbk")).rows == [["张建国", "通州区"]]


def test_unknown_and_missing_headers_are_row_one_errors() -> None:
    columns = [Column("姓名", "name", required=True), Column("区", "district", required=True)]
    index, errors = map_headers(["name", "籍贯"], columns)
    assert index == {"name": 0}
    assert [(e.row, e.column) for e in errors] == [(1, "籍贯"), (1, "区")]


def test_xlsx_cells_of_every_type_read_as_text_and_text_rows_are_stripped(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "可接受通勤(分钟)", "失业时长(月)", "核实日期", "联系电话"])
    sheet.append([" 张建国 ", 60, 6.0, dt.datetime(2026, 11, 1), "13800138000"])
    sheet.append(["李秀英", "45 ", "", "2026-11-02", " 13900139000"])
    sheet.append([True, 1.5, None, dt.datetime(2026, 11, 1, 8, 30), 13700137000])
    path = tmp_path / "cells.xlsx"
    book.save(path)
    table = read_xlsx(path.read_bytes())
    assert table.rows == [
        ["张建国", "60", "6", "2026-11-01", "13800138000"],
        ["李秀英", "45", "", "2026-11-02", "13900139000"],
        ["是", "1.5", "", "2026-11-01 08:30:00", "13700137000"],
    ]


def test_the_whitespace_the_scan_looks_for_is_exactly_what_strip_removes() -> None:
    matched = "".join(re.findall(r"\s", "".join(map(chr, range(sys.maxunicode + 1)))))
    assert matched == _SPACES
    assert not "\x01".isspace()


_PAD = st.sampled_from(["", "", "", " ", "\u3000", "\t", "\x1f", "\xa0"]) | st.text(
    alphabet=st.sampled_from(_SPACES), max_size=2
)
_TEXT = st.builds(
    lambda a, b, c: a + b + c, _PAD, st.text(alphabet="张建国a1,-\x01", max_size=4), _PAD
)
_CELL = _TEXT | _TEXT | _TEXT | st.none() | st.integers(0, 99)


@given(st.lists(st.lists(_CELL, max_size=5), max_size=6) | st.lists(st.lists(_TEXT, max_size=5)))
@example([["张建国\u3000", "通州区"], ["李秀英", "延庆区"]])  # a space only at a cell's end
@example([["张建国", "通州区"], ["\t李秀英", "延庆区"]])  # only at a row's first cell
@example([["张建国", "通州区"], ["李秀英", 3]])  # a number among text
def test_rows_come_back_stripped_whatever_whitespace_or_cell_type_they_hold(
    rows: list[list[object]],
) -> None:
    expected = [
        [c.strip() if isinstance(c, str) else ("" if c is None else str(c)) for c in row]
        for row in rows
    ]
    assert _stripped([list(r) for r in rows]) == expected


def test_csv_cells_with_full_width_or_tab_padding_are_stripped() -> None:
    text = "姓名,区\n\u3000张建国,通州区\t\n李秀英 , 延庆区\n"
    assert read_csv(text.encode("utf-8")).rows == [["张建国", "通州区"], ["李秀英", "延庆区"]]


def _numbered(tables: Iterable[Table]) -> list[tuple[int, list[str]]]:
    """The rows that hold data, with their row numbers, of these tables."""
    return [(no, row) for table in tables for no, row in table.numbered() if any(row)]


def _read(readers: list[Callable[[], Table]]) -> list[Table]:
    return [read() for read in readers]


def _assert_parts_read_as(whole: Table, readers: list[Callable[[], Table]], parts: int) -> None:
    """The readers are ``parts`` tables with the whole's header, each starting at a later row
    than the one before, holding together the whole's data rows with their numbers."""
    assert len(readers) == parts
    tables = _read(readers)
    assert all(t.headers == whole.headers for t in tables)
    firsts = [t.first for t in tables]
    assert firsts[0] == 2
    assert all(a < b for a, b in pairwise(firsts))
    assert _numbered(tables) == _numbered([whole])


_ROWS = [
    [f"第{i}行", "" if i % 7 == 0 else f"{i}", " 保洁 " if i % 5 == 0 else "x"] for i in range(40)
]


def _csv(rows: list[list[str]], *, end: str = "\n", encoding: str = "utf-8") -> bytes:
    lines = ["姓名,号码,技能"] + [",".join(r) for r in rows]
    return (end.join(lines) + end).encode(encoding)


def test_csv_parts_read_to_the_rows_and_row_numbers_of_the_whole_file() -> None:
    rows = _ROWS[:10] + [["", "", ""]] * 3 + _ROWS[10:]  # blank lines inside count as rows
    for end, encoding in (("\n", "utf-8"), ("\r\n", "gbk"), ("\n", "utf-8-sig")):
        data = _csv(rows, end=end, encoding=encoding)
        whole = read_csv(data)
        for parts in (2, 3):
            _assert_parts_read_as(whole, table_parts(data, "名册.csv", parts), parts)


def test_csv_with_quotes_or_lone_carriage_returns_is_read_in_one_part() -> None:
    quoted = _csv(_ROWS) + '"张三,李四",1,x\n'.encode()
    mac = _csv(_ROWS, end="\r")
    for data in (quoted, mac):
        readers = table_parts(data, "名册.csv", 2)
        assert len(readers) == 1
        assert _numbered(_read(readers)) == _numbered([read_table(data, "名册.csv")])


@given(
    st.lists(
        st.lists(st.sampled_from(["", " ", "甲", "乙 ", "12", "\t3"]), min_size=1, max_size=4),
        max_size=30,
    ),
    st.integers(min_value=2, max_value=4),
)
def test_any_csv_cut_in_parts_reads_as_the_whole(rows: list[list[str]], parts: int) -> None:
    data = _csv(rows)
    readers = table_parts(data, "x.csv", parts)
    assert _numbered(_read(readers)) == _numbered([read_csv(data)])


def _xlsx(path: Path, rows: list[list[str]], *, sheets: int = 1) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "号码", "技能"])
    for r in rows:
        sheet.append(r)
    for k in range(1, sheets):
        book.create_sheet(f"表{k}").append(["其他"])
    book.save(path)
    return path.read_bytes()


def test_xlsx_parts_read_to_the_rows_and_row_numbers_of_the_whole_sheet(tmp_path: Path) -> None:
    rows = _ROWS[:20] + [["", "", ""]] * 2 + _ROWS[20:]
    data = _xlsx(tmp_path / "名册.xlsx", rows)
    whole = read_xlsx(data)
    for parts in (2, 3):
        _assert_parts_read_as(whole, table_parts(data, "名册.xlsx", parts), parts)


def test_an_xlsx_of_several_sheets_is_read_in_one_part(tmp_path: Path) -> None:
    data = _xlsx(tmp_path / "名册.xlsx", _ROWS, sheets=2)
    readers = table_parts(data, "名册.xlsx", 2)
    assert len(readers) == 1
    assert _numbered(_read(readers)) == _numbered([read_xlsx(data)])
