"""A fast reader of the ``.xlsx`` sheets that Excel, WPS and the like save for a roster.

calamine parses the sheet's XML in Rust, then makes a Python object of every cell: for a
100,000-row roster (2.4 million cells, 75 MB of XML) about 3.5 s, most of the import's time.
Here the XML is read with numpy instead: every ``<`` of the sheet at once, the cells' references
(``r="B17"``) decoded column-wise, the values' text cut out of the bytes in one gather and
decoded in one call, and each distinct shared string made a Python object once. A cell is then
a reference to one of those strings, and the grid of rows one ``tolist``.

It reads what such files hold: shared strings (plain or rich text), inline strings (one
``<t>``), and numbers in a plain number format (General, 0, 0.00, #,##0, 0%, @, and custom
formats without a date or time code). Anything else — a date or time format, a boolean, error
or formula cell, rich inline text, a cell without its reference first, more than one sheet,
phonetic runs, CDATA, comments, ``_x000D_`` escapes, carriage returns, an unknown entity —
raises :class:`Unsupported`, and the caller reads the file with calamine as before: this reader
never guesses.

Each cell is what :mod:`features.tabular` makes of calamine's value: text stripped, a number
written by :func:`float_text` (``13800138000``, ``1.5``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

__all__ = ["Sheet", "Unsupported", "float_text", "open_sheet", "read_grid", "row_cuts"]


class Unsupported(Exception):
    """The file holds something this reader leaves to calamine (see the module docstring)."""


# Number formats whose cells are plain numbers to calamine: General, 0, 0.00, #,##0, #,##0.00,
# the currency and accounting formats 5–8 and 37–44, 0%, 0.00%, 0.00E+00, # ?/?, # ??/??,
# ##0.0E+0 and @. The others (14–22, 45–47 and any custom format) may be dates or times.
_PLAIN_FORMATS = frozenset((*range(0, 14), *range(37, 45), 48, 49))
_NAMESPACE = re.compile(rb"<\w+:")
_ESCAPED = re.compile(rb"_x[0-9A-Fa-f]{4}_")
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#x([0-9A-Fa-f]+));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ATTRIBUTE = re.compile(rb'\s+([A-Za-z:]+)="([^"]*)"')
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
# The bytes of the markup looked at: < > / " and the space.
_LT, _GT, _SLASH, _QUOTE, _SPACE = 60, 62, 47, 34, 32


@dataclass(frozen=True, slots=True)
class Sheet:
    """A workbook's only sheet, ready to read: its XML (``data``), where the content of
    ``<sheetData>`` begins in it and how long it is (followed by at least ``_PAD`` bytes, so
    that a window read at its end stays inside), the shared strings (stripped, as an object
    array) and, per cell style, whether a number in it is a plain number."""

    data: bytes
    offset: int
    size: int
    strings: npt.NDArray[np.object_]
    plain_styles: npt.NDArray[np.bool_]

    @property
    def array(self) -> npt.NDArray[np.uint8]:
        """``data`` as an array, without a copy."""
        return np.frombuffer(self.data, dtype=np.uint8)


def open_sheet(data: bytes) -> Sheet:
    """Unpack the only worksheet of an ``.xlsx``, its shared strings and its number formats.

    Raises :class:`Unsupported` for a workbook this reader leaves to calamine, including one
    that is not a readable zip (calamine then says what is wrong with it).
    """
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        names = book.namelist()
        sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if len(sheets) != 1 or any(n.startswith("xl/chartsheets/") for n in names):
            raise Unsupported("not one worksheet")
        xml = book.read(sheets[0])
        strings = book.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else b""
        styles = book.read("xl/styles.xml") if "xl/styles.xml" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise Unsupported("not a readable zip") from exc
    start = xml.find(b"<sheetData")
    if start < 0 or _NAMESPACE.search(xml, 0, start):
        raise Unsupported("no plain <sheetData>")
    if xml.startswith(b"<sheetData/>", start):
        start = end = 0
    else:
        start += len(b"<sheetData>")
        end = xml.rfind(b"</sheetData>")
        if not xml.startswith(b"<sheetData>", start - len(b"<sheetData>")) or end < start:
            raise Unsupported("no plain <sheetData>")
    if len(xml) - end < _PAD:  # not even the page margins after the rows: pad a copy
        xml, start, end = xml[start:end] + bytes(_PAD), 0, end - start
    return Sheet(xml, start, end - start, _shared_strings(strings), _plain_styles(styles))


def _plain_styles(styles: bytes) -> npt.NDArray[np.bool_]:
    """Per cell style (``<cellXfs>``, in order): whether its number format is a plain number."""
    if not styles:
        return np.zeros(0, dtype=bool)
    start, end = styles.find(b"<cellXfs"), styles.find(b"</cellXfs>")
    if start < 0 or end < start:
        return np.zeros(0, dtype=bool)
    custom = {
        int(number): _plain_code(_unescaped([code.decode("utf-8", "replace")])[0])
        for number, code in re.findall(rb'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles)
    }
    plain = []
    for tag in re.findall(rb"<xf\b[^>]*>", styles[start:end]):
        found = re.search(rb'\bnumFmtId="(\d+)"', tag)
        number = int(found.group(1)) if found else 0
        plain.append(number in _PLAIN_FORMATS or custom.get(number, False))
    return np.array(plain, dtype=bool)


# A custom number format is a plain number when, its quoted text, escaped characters and
# [colour], [$-locale] or [>100] parts left out, it holds only these (no d, m, y, h or s of a date).
_FORMAT_ASIDES = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?:\$[^\]]*|[A-Za-z]{3,}\d*|[<>=][^\]]*)\]')
_PLAIN_CODE = re.compile(r"[0#?,.%E+\-/ ;@()]*")


def _plain_code(code: str) -> bool:
    return _PLAIN_CODE.fullmatch(_FORMAT_ASIDES.sub("", code)) is not None


def _shared_strings(xml: bytes) -> npt.NDArray[np.object_]:
    """The shared strings, stripped: each ``<si>``'s ``<t>`` runs joined."""
    if not xml:
        return np.empty(0, dtype=object)
    if xml.startswith(b"<?xml"):
        xml = xml[xml.find(b"?>") + 2 :]
    for mark in (b"<!--", b"<![CDATA[", b"\r", b"<rPh", b"<?"):
        if mark in xml:
            raise Unsupported(f"{mark!r} in the shared strings")
    if _ESCAPED.search(xml) or _NAMESPACE.search(xml):
        raise Unsupported("_xHHHH_ escapes or prefixed elements in the shared strings")
    padded = _padded(xml)
    a = padded[: len(xml)]
    lt = np.flatnonzero(a == _LT)
    after = _at(padded, lt + 1, 3)
    items = lt[(after[:, 0] == ord("s")) & (after[:, 1] == ord("i")) & (after[:, 2] == _GT)]
    if not len(items):
        return np.empty(0, dtype=object)
    t = after[:, 0] == ord("t")
    if (t & (after[:, 1] == _SLASH)).any():
        raise Unsupported("empty <t/>")
    opens = lt[t & ((after[:, 1] == _GT) | (after[:, 1] == _SPACE))]
    ends = lt[(after[:, 0] == _SLASH) & (after[:, 1] == ord("t")) & (after[:, 2] == _GT)]
    gt = np.flatnonzero(a == _GT)
    starts = gt[np.searchsorted(gt, opens)] + 1 if len(opens) else opens
    if len(starts) != len(ends) or (ends < starts).any() or (opens[1:] < ends[:-1]).any():
        raise Unsupported("unbalanced <t>")
    owner = np.searchsorted(items, starts, side="right") - 1
    if len(owner) and owner[0] < 0:
        raise Unsupported("text outside <si>")
    texts = _gather(a, starts, ends, owner, len(items))
    return _as_objects([t.strip() for t in _unescaped(texts)])


_PAD = 64  # zeros after the bytes, so that a window never runs past the end


def _padded(data: bytes) -> npt.NDArray[np.uint8]:
    """The bytes as an array followed by ``_PAD`` zeros."""
    padded = np.zeros(len(data) + _PAD, dtype=np.uint8)
    padded[: len(data)] = np.frombuffer(data, dtype=np.uint8)
    return padded


def _at(
    padded: npt.NDArray[np.uint8], positions: npt.NDArray[np.int64], width: int
) -> npt.NDArray[np.uint8]:
    """The ``width`` (≤ ``_PAD``) bytes from each position, as rows: one gather through a view
    whose row ``i`` starts at byte ``i``."""
    view = np.lib.stride_tricks.as_strided(
        padded, shape=(len(padded) - width + 1, width), strides=(1, 1), writeable=False
    )
    return view[positions]


def _gather(
    a: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    group: npt.NDArray[np.int64],
    groups: int,
) -> list[str]:
    """The text of each of ``groups`` groups: its spans of ``a`` (in order, ``group`` rising)
    joined, decoded as UTF-8; a group without spans is empty.

    The spans are copied into one buffer with a NUL between groups (XML text holds none) and
    decoded in one call: one string per group from a single ``split``.
    """
    if not len(starts):
        return [""] * groups
    lengths = ends - starts
    before = np.diff(group, prepend=0)  # NULs before each span: the groups it steps over
    total = int(lengths.sum())
    offsets = np.cumsum(before) + np.cumsum(lengths) - lengths
    within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    buffer = np.zeros(total + groups - 1, dtype=np.uint8)
    buffer[np.repeat(offsets, lengths) + within] = a[np.repeat(starts, lengths) + within]
    try:
        return buffer.tobytes().decode("utf-8").split("\0")
    except UnicodeDecodeError as exc:
        raise Unsupported("text that is not UTF-8") from exc


def _unescaped(texts: list[str]) -> list[str]:
    """XML text with its entities (``&amp;``, ``&#10;`` …) replaced; any other ``&`` is refused."""
    out = texts
    for i, text in enumerate(texts):
        if "&" in text:
            if out is texts:
                out = list(texts)
            if "&" in _ENTITY.sub("", text):
                raise Unsupported("unknown entity")
            out[i] = _ENTITY.sub(_entity, text)
    return out


def _entity(match: re.Match[str]) -> str:
    named, decimal, hexadecimal = match.groups()
    if named:
        return _NAMED[named]
    try:
        return chr(int(decimal) if decimal else int(hexadecimal, 16))
    except (ValueError, OverflowError) as exc:
        raise Unsupported("character reference out of range") from exc


def _as_objects(values: list[str]) -> npt.NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def row_cuts(sheet: Sheet, parts: int) -> list[tuple[int, int, int]]:
    """Where the rows after the header divide into ``parts`` nearly equal runs of bytes: each
    run's start and end in the body and the number of its first row.

    Raises :class:`Unsupported` when the rows cannot be cut (no row 1 first, too few rows, a
    row without its number).
    """
    body, offset, size = sheet.data, sheet.offset, sheet.offset + sheet.size
    if not body.startswith(b'<row r="1"', offset):
        raise Unsupported("the first row is not row 1")
    header_end = body.find(b"</row>", offset, size) + len(b"</row>")
    if header_end < len(b"</row>") or body.find(b"<row", offset + 1, size) < header_end - len(
        b"</row>"
    ):
        raise Unsupported("the header row is not closed")
    cuts = [header_end]
    for k in range(1, parts):
        middle = header_end + (size - header_end) * k // parts
        cut = body.find(b"<row ", max(cuts[-1], middle), size)
        if cut <= cuts[-1]:
            raise Unsupported("too few rows to cut")
        cuts.append(cut)
    cuts.append(size)
    runs = [(header_end - offset, cuts[1] - offset, 2)]
    for start, stop in pairwise(cuts[1:]):
        found = _ROW_NUMBER.match(body, start)
        if found is None:
            raise Unsupported("a row without its number")
        runs.append((start - offset, stop - offset, int(found.group(1))))
    return runs


def read_grid(
    sheet: Sheet, start: int = 0, stop: int | None = None, first: int = 1, width: int = 0
) -> npt.NDArray[np.object_]:
    """The cells of the content's bytes ``start:stop`` (whole ``<row>`` elements) as a grid of
    stripped text: rows ``first`` … to the last that is not blank (none when no cell holds a
    value, not even a blank one, as calamine reads nothing then; else at least row
    ``first``), columns A … to ``width`` (0: to the last column with a value).

    Raises :class:`Unsupported` for a cell this reader leaves to calamine, or one above row
    ``first``.
    """
    stop = sheet.size if stop is None else stop
    at = sheet.offset
    rows, columns, values, present = _cells(
        sheet.array[at + start : at + stop + _PAD], stop - start, sheet
    )
    if len(rows) and rows.min() < first:
        raise Unsupported("a cell above the first row")
    if not present.any():
        return np.full((0, width), "", dtype=object)
    filled = values.astype(bool)
    height = int(rows[filled].max()) - first + 1 if filled.any() else 1
    width = width or int(columns[present].max()) + 1
    keep = (rows < first + height) & (columns < width)
    flat = (rows[keep] - first) * width + columns[keep]
    if len(flat) > 1 and (np.diff(flat) <= 0).any():
        raise Unsupported("cells out of order or repeated")
    grid = np.full(height * width, "", dtype=object)
    grid[flat] = values[keep]
    return grid.reshape(height, width)


_NUMBER, _SHARED, _TEXT, _INLINE = 0, 1, 2, 3
_KINDS = {b"n": _NUMBER, b"s": _SHARED, b"str": _TEXT, b"inlineStr": _INLINE}
_TAG = 32  # a start tag from the space before its reference: ' r="XFD1048576" s="12" t="s">'
_ATTRIBUTES = 24  # its attributes after the reference: ' s="12" t="s">'
_CELL_END = int.from_bytes(b"</c>", "little")
_VALUE_START = int.from_bytes(b"<v>\0", "little")
_INLINE_START = int.from_bytes(b"<is>", "little")
_TEXT_START = np.frombuffer(b"<t>", dtype=np.uint8)
_PRESERVED_START = np.frombuffer(b'<t xml:space="preserve">', dtype=np.uint8)
_INLINE_END = np.frombuffer(b"</t></is></c>", dtype=np.uint8)


def _cells(
    padded: npt.NDArray[np.uint8], size: int, sheet: Sheet
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.object_], npt.NDArray[np.bool_]
]:
    """Every cell of a run of ``<row>`` elements (the first ``size`` bytes, followed by at
    least ``_PAD`` more): row number, column (0 for A), text, and whether it holds a value
    (even a blank one) rather than none.

    A cell must be ``<c r="B7" …/>``, ``<c r="B7" …></c>``, ``<c r="B7" …><v>…</v></c>`` or
    ``<c r="B7" t="inlineStr"><is><t>…</t></is></c>`` (``<t xml:space="preserve">`` too), its
    start tag short enough to be read in a window of bytes. That nothing else is in the run
    (a formula, rich inline text, a comment …) is proven by counting: every ``<`` of the run
    is a row's start or end or one of those cells' tags.
    """
    nothing = np.zeros(0, dtype=np.int64)
    lt = np.flatnonzero(padded[:size] == _LT)
    name = padded[lt + 1]
    starts = lt[name == ord("c")]
    rows_open = int(np.count_nonzero((name == ord("r")) & (padded[lt + 2] == ord("o"))))
    rows_closed = int(np.count_nonzero(padded[lt[name == _SLASH] + 2] == ord("r")))
    del name
    if not len(starts):
        if len(lt) != rows_open + rows_closed:
            raise Unsupported("something else than rows and cells")
        return nothing, nothing, np.empty(0, dtype=object), np.zeros(0, dtype=bool)
    tag = _at(padded, starts + 2, _TAG)  # ' r="B7" s="3" t="s">'
    if not (
        (tag[:, 0] == _SPACE)
        & (tag[:, 1] == ord("r"))
        & (tag[:, 2] == ord("="))
        & (tag[:, 3] == _QUOTE)
    ).all():
        raise Unsupported("a cell without its reference first")
    rows, columns, quote = _references(tag)
    every = np.arange(len(tag))
    tag_end = np.argmax(tag == _GT, axis=1)
    if not (tag[every, tag_end] == _GT).all():
        raise Unsupported("a cell's attributes too long")
    closed = tag[every, tag_end - 1] == _SLASH
    del tag
    kind, style = _kinds(padded, starts + 2 + quote + 1, tag_end - closed - quote - 1)
    # After the start tag: "</c>" (empty), "<v>" and the value, or "<is>" and inline text.
    content = starts + 2 + tag_end + 1
    opening = _at(padded, content, 4).view(np.uint32).ravel()
    empty = ~closed & (opening == _CELL_END)
    valued = ~closed & ((opening & 0xFFFFFF) == _VALUE_START) & (kind != _INLINE)
    inline = ~closed & (opening == _INLINE_START) & (kind == _INLINE)
    if not (closed | empty | valued | inline).all():
        raise Unsupported("a cell with a formula, rich inline text or more")
    tags = rows_open + rows_closed + len(starts) + empty.sum() + 3 * valued.sum()
    if len(lt) != tags + 5 * inline.sum():  # "<v>", "</v>", "</c>"; "<is>", "<t>" … "</c>"
        raise Unsupported("something else than rows and cells")
    values = np.full(len(starts), "", dtype=object)
    # A value holds no "<": the first one after its start ends it (well-formed XML).
    where = np.flatnonzero(valued)
    begin = content[where] + 3
    length = lt[np.searchsorted(lt, begin)] - begin
    for code in (_SHARED, _NUMBER, _TEXT):
        chosen = kind[where] == code
        if not chosen.any():
            continue
        at, span = begin[chosen], length[chosen]
        if code == _SHARED:
            values[where[chosen]] = _shared_values(padded, at, span, sheet.strings)
        elif code == _NUMBER:
            plain = _plain(style[where[chosen]], sheet.plain_styles)
            values[where[chosen]] = _number_values(padded, at, span, plain)
        else:  # a formula's result saved as text
            values[where[chosen]] = _texts(padded, at, span)
    if inline.any():
        where = np.flatnonzero(inline)
        values[where] = _inline_values(padded, lt, content[where] + 4)
    return rows, columns, values, valued | inline


def _inline_values(
    padded: npt.NDArray[np.uint8], lt: npt.NDArray[np.int64], at: npt.NDArray[np.int64]
) -> npt.NDArray[np.object_]:
    """Inline strings whose ``<t>`` starts at each position: their text, stripped."""
    start = _at(padded, at, len(_PRESERVED_START))
    plain = (start[:, : len(_TEXT_START)] == _TEXT_START).all(axis=1)
    preserved = (start == _PRESERVED_START).all(axis=1)
    if not (plain | preserved).all():
        raise Unsupported("an inline string that is not one <t>")
    begin = at + np.where(plain, len(_TEXT_START), len(_PRESERVED_START))
    end = lt[np.searchsorted(lt, begin)]
    if not (_at(padded, end, len(_INLINE_END)) == _INLINE_END).all():
        raise Unsupported("an inline string that is not one <t>")
    return _texts(padded, begin, end - begin)


_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_HIGH_BITS = np.uint64(0x8080808080808080)
_ASCII_ZEROS = np.uint64(0x3030303030303030)
_FROM_ZERO = np.uint64(0x5050505050505050)  # + this sets a byte's high bit from "0" (0x30) up
_PAST_NINE = np.uint64(0x4646464646464646)  # + this sets it from past "9" (0x3A) up
_BYTE_PAIRS = np.uint64(0x00FF00FF00FF00FF)
_SHORT_PAIRS = np.uint64(0x0000FFFF0000FFFF)
_LOW_HALF = np.uint64(0x00000000FFFFFFFF)


def _decimal(digits: npt.NDArray[np.uint8], length: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The numbers written in the first ``length`` (1–8) bytes of each row of ``digits``.

    Eight bytes at a time as one integer (SWAR): the bytes past ``length`` are masked off,
    each byte is checked to be a digit by the carries of two additions, and the digits,
    shifted to the integer's high bytes (the bytes before them become leading zeros), are
    combined in pairs, fours and eights by three multiplications.
    """
    if (length < 1).any() or (length > 8).any():
        raise Unsupported("a number of more than eight digits where one was expected")
    words = np.array(digits[:, :8], order="C").view(np.uint64).ravel()  # a copy, changed below
    shift = (np.uint64(8) - length.astype(np.uint64)) * np.uint64(8)
    mask = _ALL >> shift
    words &= mask
    high = _HIGH_BITS & mask
    if not (
        ((words & high) == 0).all()
        and (((words + _FROM_ZERO) & high) == high).all()
        and (((words + _PAST_NINE) & high) == 0).all()
    ):
        raise Unsupported("a number that is not written in digits")
    words -= _ASCII_ZEROS & mask
    words <<= shift
    words = (words * np.uint64(10) + (words >> np.uint64(8))) & _BYTE_PAIRS
    words = (words * np.uint64(100) + (words >> np.uint64(16))) & _SHORT_PAIRS
    words = (words * np.uint64(10000) + (words >> np.uint64(32))) & _LOW_HALF
    return words.astype(np.int64)


def _shared_values(
    padded: npt.NDArray[np.uint8],
    begin: npt.NDArray[np.int64],
    length: npt.NDArray[np.int64],
    strings: npt.NDArray[np.object_],
) -> npt.NDArray[np.object_]:
    """Shared-string cells: the strings their ``<v>`` indexes name."""
    index = _decimal(_at(padded, begin, 8), length)
    if (index >= len(strings)).any():
        raise Unsupported("a shared string that does not exist")
    return strings[index]


def _plain(style: npt.NDArray[np.int64], plain: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Whether each cell style is a plain number format (style 0 is, without a styles part)."""
    ok = np.zeros(len(style), dtype=bool)
    known = style < len(plain)
    ok[known] = plain[style[known]]
    if not len(plain):
        ok |= style == 0
    return ok


def _number_values(
    padded: npt.NDArray[np.uint8],
    begin: npt.NDArray[np.int64],
    length: npt.NDArray[np.int64],
    plain: npt.NDArray[np.bool_],
) -> npt.NDArray[np.object_]:
    """Number cells, each in a plain number format (``plain``), written by :func:`float_text`."""
    if not plain.all():
        raise Unsupported("a number in a date or custom format")
    texts = _gather(padded, begin, begin + length, np.arange(len(begin)), len(begin))
    try:
        return _as_objects([float_text(float(t)) for t in texts])
    except ValueError as exc:
        raise Unsupported("a number that does not parse") from exc


def _texts(
    padded: npt.NDArray[np.uint8], begin: npt.NDArray[np.int64], length: npt.NDArray[np.int64]
) -> npt.NDArray[np.object_]:
    """The XML text of ``length`` bytes at each position, unescaped and stripped."""
    texts = _unescaped(_gather(padded, begin, begin + length, np.arange(len(begin)), len(begin)))
    if any("\r" in t or _ESCAPED_TEXT.search(t) for t in texts):
        raise Unsupported("a carriage return or _xHHHH_ escape in a text")
    return _as_objects([t.strip() for t in texts])


_ESCAPED_TEXT = re.compile("_x[0-9A-Fa-f]{4}_")


def _references(
    tag: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Row number, column (0 for A) and the offset of the closing quote of each reference in
    start tags read from the space before ``r="``."""
    letter = [(tag[:, k] >= ord("A")) & (tag[:, k] <= ord("Z")) for k in range(4, 8)]
    letters = 1 + letter[1].astype(np.int64) + (letter[1] & letter[2])
    quote = 4 + np.argmax(tag[:, 5:16] == _QUOTE, axis=1) + 1
    digits = quote - 4 - letters
    if not (
        letter[0].all()
        and not (letter[1] & letter[2] & letter[3]).any()
        and (tag[np.arange(len(tag)), quote] == _QUOTE).all()
        and (digits >= 1).all()
    ):
        raise Unsupported("a cell reference that is not A1-style")
    column = tag[:, 4].astype(np.int64) - 64
    for k in (1, 2):
        column = np.where(k < letters, column * 26 + tag[:, 4 + k].astype(np.int64) - 64, column)
    number = tag[:, 5:13]
    if (letters > 1).any():
        number = np.where((letters == 1)[:, None], number, tag[:, 6:14])
        number = np.where((letters == 3)[:, None], tag[:, 7:15], number)
    return _decimal(number, digits), column - 1, quote


def _kinds(
    padded: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each cell's kind (number, shared, text) and style from its attributes after the
    reference (``lengths`` bytes at ``starts``): the few distinct attribute strings of a
    sheet are each parsed once."""
    if lengths.max() > _ATTRIBUTES:
        raise Unsupported("long cell attributes")
    words = -(-max(int(lengths.max()), 1) // 8)
    window = _at(padded, starts, 8 * words)
    keys = window.view(np.uint64)  # a word per 8 bytes, the bytes past the length masked
    for j in range(words):  # (numpy shifts a uint64 by 64 to 0: a word past the end goes)
        inside = np.clip(lengths - 8 * j, 0, 8).astype(np.uint64)
        keys[:, j] &= _ALL >> ((np.uint64(8) - inside) * np.uint64(8))
    kind = np.empty(len(lengths), dtype=np.int64)
    style = np.empty(len(lengths), dtype=np.int64)
    left = np.ones(len(lengths), dtype=bool)
    for _ in range(256):
        i = int(np.argmax(left))
        same = keys[:, 0] == keys[i, 0]
        for j in range(1, words):
            same &= keys[:, j] == keys[i, j]
        kind[same], style[same] = _kind(bytes(window[i, : lengths[i]]))
        left &= ~same
        if not left.any():
            return kind, style
    raise Unsupported("too many kinds of cell")


def _kind(text: bytes) -> tuple[int, int]:
    """The kind and style of a cell's attributes after its reference (' s="3" t="s"')."""
    attributes = dict(_ATTRIBUTE.findall(text))
    if _ATTRIBUTE.sub(b"", text).strip() or set(attributes) - {b"s", b"t", b"ph", b"cm"}:
        raise Unsupported("a cell attribute this reader does not know")
    kind = _KINDS.get(attributes.get(b"t", b"n"))
    style = attributes.get(b"s", b"0")
    if kind is None or not style.isdigit():
        raise Unsupported("a boolean, error or date cell")
    return kind, int(style)


def float_text(value: float) -> str:
    """A number as text: whole numbers without a decimal point (13800138000, as officials
    typed them), others as Python writes the float. The one writing of a spreadsheet number,
    whichever reader read it."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
