"""Reading spreadsheets: encodings, cells as text, header matching."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook

from features.tabular import Column, _stripped, is_digits, map_headers, read_csv, read_xlsx

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
