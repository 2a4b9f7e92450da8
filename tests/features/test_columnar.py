"""Columns coded by their distinct texts: a plain CSV scanned with numpy gives the columns the
csv module's rows give, and anything else is left to the csv module."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from features.columnar import Coded, factorize, scan_csv
from features.sheetxml import Unsupported
from features.tabular import Table, _csv_columns, columnar, read_columns, read_csv, table_parts


def _by_csv_module(body: bytes, width: int) -> list[list[str]]:
    """The columns of the lines as the csv module reads them: every cell stripped, an empty line
    a row of empty cells, none at the end."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    while rows and not rows[-1]:
        rows.pop()
    return [[(row + [""] * width)[j].strip() for row in rows] for j in range(width)]


def _columns(coded: list[Coded]) -> list[list[str]]:
    return [c.texts() for c in coded]


# Cells without the comma, quote and line ends that would make the file other than plain:
# Chinese text, digits, spaces and full-width spaces at either end, tabs, empty cells.
_CELL = st.text(
    alphabet=st.sampled_from(list("张王李村镇区 \u3000\t0123456789Xab-、；;()（）")),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda width: st.tuples(
            st.just(width),
            st.lists(st.lists(_CELL, min_size=width, max_size=width), min_size=1, max_size=40),
            st.sampled_from(["\n", "\r\n"]),
            st.sampled_from(["", "\n", "\r\n", "\n\n"]),
        )
    )
)
@example((1, [["a"]], "\n", ""))
@example((2, [["", ""], [" 张", "三 "]], "\r\n", "\r\n"))
def test_a_plain_csv_scans_to_the_columns_the_csv_module_reads(
    case: tuple[int, list[list[str]], str, str],
) -> None:
    width, rows, line_end, after = case
    body = (line_end.join(",".join(row) for row in rows) + after).encode("utf-8")
    assert _columns(scan_csv(body, width)) == _by_csv_module(body, width)


def test_a_column_of_many_distinct_texts_and_one_new_after_the_first_rows_is_coded_exactly() -> (
    None
):
    rows = [[f"村{i % 3}", f"号{i}", "甲" * 40] for i in range(3000)]
    rows[2500][0] = "后来才出现的村"
    rows[-1][2] = "乙" * 40  # a long cell in the last line: its words run to the end of the bytes
    body = "\n".join(",".join(r) for r in rows).encode("utf-8")
    columns = scan_csv(body, 3)
    assert _columns(columns) == _by_csv_module(body, 3)
    assert len(columns[0].values) == 4
    assert len(columns[1].values) == 3000


def test_cells_that_differ_only_past_eight_bytes_or_in_length_are_different_texts() -> None:
    cells = ["12345678", "123456789", "1234567", "123456780", "1234567\t"]
    body = "\n".join(cells).encode("utf-8")
    column = scan_csv(body, 1)[0]
    assert column.texts() == [c.strip() for c in cells]


def test_two_cells_with_one_key_are_told_apart_by_their_bytes_and_read_by_the_csv_module() -> None:
    body = "\n".join(["x", "", "\x01", ""]).encode()  # "" and "\x01": the same key
    with pytest.raises(Unsupported):
        scan_csv(body, 1)
    table = _csv_columns(b"a\n", body)
    assert _numbered(table) == [(2, ["x"]), (4, ["\x01"])]


@pytest.mark.parametrize(
    "body",
    [
        b'a,"b,c"\n',
        b"a,b\nc\n",
        b"a,b\nc,d,e\n",
        b"a,b\n\nc,d\n",
        b"a,b\rc,d\n",
        b"a,b\r\r\nc,d\n",
        b"a,\0\n",
        ("张" * 90 + ",b\n").encode("utf-8"),
    ],
    ids=["quote", "fewer", "more", "empty line", "lone CR", "CR CR LF", "NUL", "long cell"],
)
def test_anything_but_a_plain_csv_is_left_to_the_csv_module(body: bytes) -> None:
    with pytest.raises(Unsupported):
        scan_csv(body, 2)


def test_a_body_of_empty_lines_has_no_rows() -> None:
    assert [len(c) for c in scan_csv(b"\r\n\n", 3)] == [0, 0, 0]


def test_factorize_codes_texts_in_order_of_first_use() -> None:
    column = factorize(["乙", "甲", "乙", ""])
    assert column.values == ["乙", "甲", ""]
    assert column.codes.tolist() == [0, 1, 0, 2]
    assert column.positions({"乙"}) == [0, 2]
    assert column.filled().tolist() == [True, True, True, False]
    assert column.rows(np.array([1, 3])).texts() == ["甲", ""]
    assert column.spread([(1,), (2,), ()]) == [(1,), (2,), (1,), ()]


def _numbered(table: object) -> list[tuple[int, list[str]]]:
    return [(no, row) for no, row in table.numbered() if any(row)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_the_columns_of_a_file_are_its_rows_in_utf8_and_gbk(encoding: str, line_end: str) -> None:
    lines = ["姓名,区,村", " 张三 ,通州区,", ",,", "李四,大兴区,西红门村", "", ""]
    data = line_end.join(lines).encode(encoding)
    table = read_csv(data)
    scanned = read_columns(data, "名单.csv")
    assert scanned.headers == table.headers
    assert _numbered(scanned) == _numbered(table)
    assert _numbered(columnar(table)) == _numbered(table)
    parts = table_parts(data * 1, "名单.csv", 2)
    assert [r for part in parts for r in _numbered(part())] == _numbered(table)


def test_a_quoted_file_is_read_by_the_csv_module_into_the_same_columns() -> None:
    data = '姓名,"村\n(社区)"\n"张,三",东村\n'.encode()
    scanned = read_columns(data, "名单.csv")
    assert scanned.headers == ["姓名", "村\n(社区)"]
    assert _numbered(scanned) == [(2, ["张,三", "东村"])]
    assert _numbered(_csv_columns(b"a,b\n", b'"x",y\n', 7)) == [(7, ["x", "y"])]


def test_a_table_of_ragged_rows_becomes_columns_of_the_header_width() -> None:
    table = Table(["a", "b"], [["1"], ["2", "3", "4"]])
    assert _numbered(columnar(table)) == [(2, ["1", ""]), (3, ["2", "3"])]


def test_lines_are_scanned_where_they_are_in_the_bytes_of_the_file() -> None:
    body = "张三,东村\r\n李四,\r\n".encode()
    data = b'"head"\r\n' + body + b'"tail"\r\n'
    start = len(b'"head"\r\n')
    scanned = scan_csv(data, 2, start, start + len(body))
    assert _columns(scanned) == _columns(scan_csv(body, 2)) == [["张三", "李四"], ["东村", ""]]
