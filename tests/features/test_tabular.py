"""Reading spreadsheets: encodings, cells as text, header matching."""

from __future__ import annotations

from features.tabular import Column, is_digits, map_headers, read_csv


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
