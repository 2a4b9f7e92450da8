"""A table column by column, each column as its distinct texts and a code per row.

A roster of 100,000 rows holds 2.4 million cells, but most columns hold a few dozen distinct
texts (a township, a choice, a yes or no): a check is made once per distinct text and spread
to the rows through their codes with numpy, instead of once per cell in Python.

A plain CSV (no quote, every line with as many cells as the header, each ``\\r`` the start of a
``\\r\\n``) is read straight into such columns (:func:`scan_csv`): every comma and line end of the
bytes is found at once, each cell's bytes are read eight at a time into words, the words of a
column are sorted to find its distinct cells, and only those are decoded into Python strings.
Anything else raises :class:`~features.sheetxml.Unsupported`, and the caller reads the file with
the ``csv`` module (:func:`features.tabular.read_csv`), whose cells :func:`factorize` codes the
same way: both give the same columns.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from features.sheetxml import _ALL, Unsupported, _gather

T = TypeVar("T")
H = TypeVar("H", bound=Hashable)

__all__ = [
    "SEP",
    "Coded",
    "codes_of",
    "factorize",
    "needs_strip",
    "positions",
    "scan_csv",
    "spread",
]


@dataclass(frozen=True, slots=True)
class Coded:
    """A column: ``values`` (texts, stripped; distinct but for a text met with and without
    whitespace at an end) and, per row, the index of its text in them."""

    values: list[str]
    codes: npt.NDArray[np.intp]

    def __len__(self) -> int:
        return len(self.codes)

    def text(self, position: int) -> str:
        """The text of the row at ``position``."""
        return self.values[int(self.codes[position])]

    def spread(self, per_value: Sequence[T]) -> list[T]:
        """Row by row, the item of ``per_value`` (one per value) that its text has."""
        return spread(per_value, self.codes)

    def texts(self) -> list[str]:
        """The text of every row."""
        return self.spread(self.values)

    def positions(self, texts: Collection[str]) -> list[int]:
        """The rows whose text is one of ``texts``, in order."""
        return positions(self.codes, [i for i, v in enumerate(self.values) if v in texts])

    def filled(self) -> npt.NDArray[np.bool_]:
        """Per row, whether its text is not blank."""
        return np.array([bool(v) for v in self.values], dtype=bool)[self.codes]

    def rows(self, keep: npt.NDArray[np.intp]) -> Coded:
        """The column of the rows at the positions ``keep``."""
        return Coded(self.values, self.codes[keep])


def spread(per_code: Sequence[T], codes: npt.NDArray[np.intp]) -> list[T]:
    """Per code of ``codes``, its item of ``per_code``."""
    items = np.fromiter(per_code, dtype=object, count=len(per_code))  # tuples stay whole
    spread: list[T] = items[codes].tolist()
    return spread


def positions(codes: npt.NDArray[np.intp], wanted: Collection[int]) -> list[int]:
    """The positions, in order, whose code is one of ``wanted``."""
    if not wanted:
        return []
    found: list[int] = np.flatnonzero(np.isin(codes, list(wanted))).tolist()
    return found


def codes_of(items: Sequence[H]) -> tuple[list[H], npt.NDArray[np.intp]]:
    """The distinct items, in order of first use, and each item's index among them."""
    values = list(dict.fromkeys(items))
    index = {v: i for i, v in enumerate(values)}
    codes = np.fromiter(map(index.__getitem__, items), dtype=np.intp, count=len(items))
    return values, codes


def factorize(texts: Sequence[str]) -> Coded:
    """A column of texts (stripped already) coded by its distinct texts, in order of first use."""
    return Coded(*codes_of(texts))


_COMMA, _LF, _CR = 44, 10, 13
_LONGEST = 256  # bytes in a cell: a column of longer cells is read by the csv module
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: a word's multiple keeps every bit of the hash


def scan_csv(body: bytes, width: int, start: int = 0, stop: int | None = None) -> list[Coded]:
    """The ``width`` columns of the rows of a plain CSV in UTF-8: the lines of
    ``body[start:stop]`` (after the header), read where they are.

    Raises :class:`~features.sheetxml.Unsupported` for a quote, a line with another number of
    cells, a ``\\r`` not before ``\\n``, a NUL, a cell longer than 256 bytes, text that is not
    UTF-8, or no header. Empty lines at the end are not rows.

    Fresh memory is dear (a page first touched costs 7–25 µs on the machines measured), so the
    bytes are not copied: the line end missing at the end is supplied, and the arrays made are
    those of the stops (comma or line end) and, column by column, of its cells.
    """
    stop = len(body) if stop is None else stop
    if not width or body.find(b'"', start, stop) >= 0 or body.find(b"\0", start, stop) >= 0:
        raise Unsupported("no header, a quoted cell or a NUL")
    while stop > start and body[stop - 1] in b"\r\n":  # empty lines at the end
        stop -= 1
    size = stop - start
    if not size:
        return [Coded([], np.zeros(0, dtype=np.intp)) for _ in range(width)]
    data = np.frombuffer(body, dtype=np.uint8, count=size, offset=start)
    stops = np.flatnonzero(_STOPS[data])
    stops = np.append(stops, size)  # the last line's end
    rows, odd = divmod(len(stops), width)
    line_ends = np.append(data[stops[:-1]] == _LF, True)
    if odd or not line_ends[width - 1 :: width].all() or int(line_ends.sum()) != rows:
        raise Unsupported("a line with another number of cells than the header")
    ends = stops.reshape(rows, width).T  # row by row to column by column: a view
    carriage = data[np.maximum(ends[-1] - 1, 0)] == _CR
    last = ends[-1] - carriage  # a line's last cell ends before its \r
    if int(carriage.sum()) != body.count(b"\r", start, stop):
        raise Unsupported("a carriage return that does not end a line")
    columns = []
    for j in range(width):
        if j:
            starts = ends[j - 1] + 1
        else:
            starts = np.empty(rows, dtype=stops.dtype)
            starts[0], starts[1:] = 0, ends[-1, :-1] + 1
        columns.append(_column(data, starts, last if j == width - 1 else ends[j]))
    return columns


_STOPS = np.zeros(256, dtype=bool)
_STOPS[[_COMMA, _LF]] = True


def _column(
    data: npt.NDArray[np.uint8], starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]
) -> Coded:
    """One column's cells (``starts`` to ``ends`` in ``data``) coded by their distinct bytes."""
    lengths = ends - starts
    longest = int(lengths.max())
    if longest > _LONGEST:
        raise Unsupported("a cell longer than the columns are read")
    keys = [_word(data, starts, lengths, at) for at in range(0, max(longest, 1), 8)]
    key = keys[0] ^ lengths.astype(np.uint64)
    for word in keys[1:]:
        key = key * _MIX + word
    first, codes = _distinct(key)
    if not all((word[first][codes] == word).all() for word in keys):  # the same bytes
        raise Unsupported("two different cells of a column with the same key")
    values = _gather(data, starts[first], ends[first], np.arange(len(first)), len(first))
    if needs_strip(SEP.join(values)):
        values = [v.strip() for v in values]
    return Coded(values, codes)


def _word(
    data: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.intp],
    lengths: npt.NDArray[np.intp],
    at: int,
) -> npt.NDArray[np.uint64]:
    """Bytes ``at`` to ``at + 8`` of each cell as a little-endian word, those past its end 0."""
    size = len(data)
    positions = starts + at
    if size >= 8:  # a word at every byte: one gather (a word's bytes need no alignment)
        words = np.ndarray((size - 7,), dtype="<u8", buffer=data, strides=(1,))
        word = words[np.minimum(positions, size - 8)]
    else:
        word = np.zeros(len(starts), dtype=np.uint64)
    for i in np.flatnonzero(positions > size - 8).tolist():  # the few near the end
        word[i] = int.from_bytes(bytes(data[positions[i] : positions[i] + 8]), "little")
    inside = np.clip(lengths - at, 0, 8).astype(np.uint64)
    word &= _ALL >> ((np.uint64(8) - inside) * np.uint64(8))  # (a shift by 64 gives 0)
    return word


def _distinct(key: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The position of the first of each distinct key, and each key's index among them.

    A column of a few distinct keys is coded against those of its first rows (a search in a
    short sorted array) before the whole column is sorted.
    """
    sample, first = np.unique(key[:_SAMPLE], return_index=True)
    if len(sample) <= _FEW:
        codes = np.minimum(np.searchsorted(sample, key), len(sample) - 1)
        if (sample[codes] == key).all():
            return first, codes
    _, first, codes = np.unique(key, return_index=True, return_inverse=True)
    return first, codes.astype(np.intp, copy=False).reshape(-1)


_SAMPLE, _FEW = 1024, 64


# Cells are joined with \x01 (not whitespace) to find one that starts or ends with whitespace;
# ``\s`` in a str pattern is exactly what ``str.strip`` removes (``str.isspace``). A pattern
# that starts with the separator is searched for by jumping from separator to separator.
SEP = "\x01"
_LEADING_SPACE = re.compile(r"\x01\s")


def needs_strip(text: str) -> bool:
    """Whether some cell of the text joined with :data:`SEP` starts or ends with whitespace."""
    if text[:1].isspace() or text[-1:].isspace():
        return True
    search = _LEADING_SPACE.search
    return search(text) is not None or search(text[::-1]) is not None
