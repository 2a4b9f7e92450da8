"""The roster (核实记录表, DESIGN §4): its columns and the validation of every row.

:func:`parse_roster` turns a table (rows or columns) into :class:`Laborer` values and
every row error at once (Chinese, with row, column, value and what was expected). ID numbers
and phone numbers never appear in an error: their value is masked. People outside working age
or excluded are valid rows: they stay on the roster and are flagged by ``features.eligibility``.

The work goes column by column (:mod:`features.columnar`): each distinct text of a column is
checked once, a 100,000-row file naming a few hundred places and a few dozen choices per
column, and the outcome spread to the rows through their codes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import orjson

from features.columnar import Coded, positions, spread
from features.eligibility import AgeLimits
from features.errors import UnknownPlaceError
from features.gazetteer import Gazetteer, Township
from features.idcard import (
    IdNumberError,
    mask_id_number,
    mask_phone,
    parse_id_number,
)
from features.laborer import EDUCATION_LEVELS, EXCLUSIONS, HEALTH_STATES, Laborer
from features.tabular import Column, ColumnTable, RowError, Table, columnar, is_digits, map_headers

ROSTER_COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", True, rule="必填"),
    Column(
        "公民身份号码",
        "id_number",
        True,
        ("身份证号码", "身份证号"),
        "必填；18位，末位为GB 11643校验位；出生日期和性别由号码得出",
    ),
    Column("性别", "sex", rule="男 / 女，须与公民身份号码一致"),
    Column("户籍性质", "hukou", True, rule="必填；农业 / 非农业"),
    Column("区", "district", True, ("所在区",), "必填；北京市的区，名称或代码"),
    Column(
        "乡镇(街道)",
        "township",
        True,
        ("乡镇（街道）", "乡镇", "街道"),
        "必填；该区的乡镇或街道，名称、简称或12位代码",
    ),
    Column("村(社区)", "village", aliases=("村（社区）", "村"), rule="选填"),
    Column("联系电话", "phone", aliases=("电话", "手机号码"), rule="手机号或固定电话"),
    Column("文化程度", "education", rule="、".join(EDUCATION_LEVELS)),
    Column("人员身份", "exclusion", rule="、".join((*EXCLUSIONS, "无"))),
    Column("健康状况", "health", rule="、".join(HEALTH_STATES)),
    Column("就业状况", "employment", True, rule="必填；已就业、务农、无业"),
    Column("登记情况", "registration", rule="转移就业登记、失业登记、未登记（空白视为未登记）"),
    Column("就业意愿", "wants_job", True, rule="必填；有 / 无"),
    Column("创业意愿", "wants_business", rule="有 / 无"),
    Column("培训意愿", "wants_training", rule="有 / 无"),
    Column("期望工种", "desired_jobs", rule="多个用顿号、逗号、分号或空格分隔"),
    Column("技能特长", "skills", rule="多个用顿号、逗号、分号或空格分隔"),
    Column("职业资格证书", "certificates", rule="多个用顿号、逗号、分号或空格分隔"),
    Column(
        "可接受通勤(分钟)",
        "max_commute_min",
        aliases=("可接受通勤（分钟）", "可接受通勤时间"),
        rule="正整数，单位分钟",
    ),
    Column("接受外出住宿", "accepts_lodging", rule="是 / 否"),
    Column("家庭情况", "family", rule="如：需照料老人、需照料子女、零就业家庭、单亲、家有残疾人"),
    Column("失业时长(月)", "months_without_work", aliases=("失业时长（月）",), rule="0或正整数"),
    Column("就业困难人员", "difficulty", rule="是 / 否（由区人社局认定）"),
)
COLUMN_BY_KEY: dict[str, Column] = {c.key: c for c in ROSTER_COLUMNS}

_SEX = {"男": "男", "女": "女", "男性": "男", "女性": "女"}
_HUKOU = {"农业": "农业", "非农业": "非农业", "农业户口": "农业", "非农业户口": "非农业"}
_EDUCATION = {e: e for e in EDUCATION_LEVELS} | {
    "小学": "小学及以下",
    "文盲": "小学及以下",
    "未上学": "小学及以下",
    "职高": "中专",
    "技校": "中专",
    "中技": "中专",
    "专科": "大专",
    "高职": "大专",
    "本科": "本科及以上",
    "研究生": "本科及以上",
    "硕士": "本科及以上",
    "博士": "本科及以上",
}
_EXCLUSION: dict[str, str | None] = {e: e for e in EXCLUSIONS} | {"": None, "无": None}
_HEALTH = {h: h for h in HEALTH_STATES} | {"良好": "健康", "较差": "一般"}
_EMPLOYMENT = {
    "已就业": "已就业",
    "就业": "已就业",
    "务农": "务农",
    "无业": "无业",
    "未就业": "无业",
}
_REGISTRATION = {
    "转移就业登记": "转移就业登记",
    "失业登记": "失业登记",
    "未登记": "未登记",
    "无": "未登记",
    "": "未登记",
}
_WISH = {"有": True, "无": False, "是": True, "否": False}
_YES_NO = {"是": True, "否": False, "有": True, "无": False}
_SPLIT = re.compile(r"[、,;，；\s]+")
_PHONE = re.compile(r"^\+?[\d\- ]{7,20}$")


@dataclass(frozen=True)
class RosterParse:
    """The valid rows (as laborer field values, with their row numbers) and every error found.

    ``values`` holds each valid row's :class:`Laborer` fields in declaration order (without
    ``extra``); :attr:`laborers` builds the objects on first use, since an import writes the
    values straight to the store and never needs them.
    """

    values: list[tuple[object, ...]]
    errors: list[RowError]
    rows: list[int]  # the spreadsheet row number of each valid row, in the same order

    @cached_property
    def laborers(self) -> list[Laborer]:
        """The valid rows as laborers."""
        return [Laborer(*v) for v in self.values]  # type: ignore[arg-type]

    @property
    def rejected_rows(self) -> int:
        """How many data rows had at least one error."""
        return len({e.row for e in self.errors if e.row > 1})


def split_items(text: str) -> tuple[str, ...]:
    """Free text split on 、,;，； and spaces, empty items dropped."""
    if not text:
        return ()
    return tuple(filter(None, _SPLIT.split(text)))


def row_texts(rows: Sequence[Sequence[object]]) -> list[bytes]:
    """Each row's JSON, as ``orjson.dumps`` writes it, from one ``dumps`` of all the rows.

    A ``dumps`` per row asks the allocator for a buffer of a page or more and gives most of it
    back: on a machine where a page first touched is dear, that cost more than the writing
    (46,000 page faults for 50,000 rows). The rows of a roster start with a string (the
    laborer id) and end with a boolean (``difficulty``), so every boundary between two rows
    reads ``e],["``; when the whole text holds that only as often as there are boundaries,
    the cuts are exactly those. Other rows are written one by one.
    """
    dumps = orjson.dumps
    if not rows or not all(type(row[0]) is str and type(row[-1]) is bool for row in rows):
        return [dumps(row) for row in rows]
    whole = dumps(rows)
    if whole.count(_BETWEEN) != len(rows) - 1:
        return [dumps(row) for row in rows]
    texts: list[bytes] = []
    append, find, start = texts.append, whole.find, 1
    for _ in range(len(rows) - 1):
        end = find(_BETWEEN, start) + 2
        append(whole[start:end])
        start = end + 1
    append(whole[start:-1])
    return texts


_BETWEEN = b'e],["'


def _masked(key: str, value: str) -> str:
    if key == "id_number":
        return mask_id_number(value) if len(value) > 10 else "*" * len(value)
    if key == "phone":
        return mask_phone(value)
    return value


class _PlaceCache:
    """Gazetteer lookups by (district, township) text, each resolved once."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.districts: dict[str, str | UnknownPlaceError] = {}
        self.townships: dict[tuple[str, str], Township | UnknownPlaceError] = {}

    def district(self, text: str) -> str | UnknownPlaceError:
        found = self.districts.get(text)
        if found is None:
            try:
                found = self.gazetteer.district(text).name
            except UnknownPlaceError as exc:
                found = exc
            self.districts[text] = found
        return found

    def township(self, district: str, text: str) -> Township | UnknownPlaceError:
        found = self.townships.get((district, text))
        if found is None:
            try:
                found = self.gazetteer.township(text, district)
            except UnknownPlaceError as exc:
                found = exc
            self.townships[(district, text)] = found
        return found


def _choices(mapping: Mapping[str, object]) -> str:
    return "、".join(k for k in mapping if k)


class _Errors:
    """Row errors gathered column by column, given back in row order (then check order)."""

    def __init__(self, row_numbers: list[int]) -> None:
        self.row_numbers = row_numbers
        self.found: list[tuple[int, int, RowError]] = []
        self.bad_rows: set[int] = set()  # positions (not row numbers) of rows with an error

    def add(self, position: int, seq: int, key: str, value: str, message: str) -> None:
        row = self.row_numbers[position]
        error = RowError(row, COLUMN_BY_KEY[key].header, _masked(key, value), message)
        self.found.append((row, seq, error))
        self.bad_rows.add(position)

    def ordered(self) -> list[RowError]:
        self.found.sort(key=operator.itemgetter(0, 1))
        return [e for _, _, e in self.found]


_KEYS: tuple[str, ...] = tuple(c.key for c in ROSTER_COLUMNS)
# The order in which a row's checks report, as the rows are read left to right.
_SEQ = {k: i for i, k in enumerate(_KEYS)}


def _choice_column(
    column: Coded,
    key: str,
    mapping: Mapping[str, object],
    default: object,
    errors: _Errors,
    message: str = "",
) -> list[object]:
    """A column of choices mapped through ``mapping``; blanks take ``default`` unless required."""
    required = COLUMN_BY_KEY[key].required
    lut: dict[str, object] = {**mapping, "": _MISSING if required else default}
    mapped = [lut.get(text, _MISSING) for text in column.values]
    if _MISSING in mapped:
        bad: dict[str, str] = {}
        for i, text in enumerate(column.values):
            if mapped[i] is _MISSING:
                mapped[i] = default
                if text:
                    bad[text] = message or f"应填写{_choices(mapping)}之一"
                else:
                    header = COLUMN_BY_KEY[key].header
                    bad[text] = f"“{header}”为必填项，应填写{_choices(mapping)}之一"
        for i in column.positions(bad):
            text = column.text(i)
            errors.add(i, _SEQ[key], key, text, bad[text])
    return column.spread(mapped)


def _int_column(
    column: Coded, key: str, minimum: int, message: str, errors: _Errors
) -> list[int | None]:
    """A column of whole numbers (blank: None); values below ``minimum`` are errors."""
    numbers: list[int | None] = []
    bad: set[str] = set()
    for text in column.values:
        if text and is_digits(text) and int(text) >= minimum:
            numbers.append(int(text))
        else:
            numbers.append(None)
            if text:
                bad.add(text)
    if bad:
        for i in column.positions(bad):
            errors.add(i, _SEQ[key], key, column.text(i), message)
    return column.spread(numbers)


def _items_column(column: Coded) -> list[tuple[str, ...]]:
    return column.spread([split_items(text) for text in column.values])


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = "10X98765432"
_ID_CHECK_CODES = np.array([ord(c) for c in _ID_CHECK], dtype=np.uint32)


def _id_column(
    column: Coded,
    secret: str,
    as_of: dt.date,
    errors: _Errors,
) -> tuple[list[str], list[dt.date], list[str], list[str]]:
    """Numbers, birth dates, sexes and laborer ids, row by row; every ID error reported.

    Each distinct number is checked once. Well-formed numbers (18 ASCII characters, the last a
    digit or X) are checked all at once with numpy: check digit, birth date, sex. The others go
    one by one through :func:`features.idcard.parse_id_number`, which folds full-width digits
    and gives the precise message.
    """
    texts = column.values
    n = len(texts)
    numbers = [""] * n
    births: list[dt.date] = [as_of] * n
    sexes = [""] * n
    lids = [""] * n
    problems: dict[int, str] = {}  # a text's position → its error
    late: list[int] = []  # born after the day of the check
    fast = [i for i, raw in enumerate(texts) if len(raw) == 18 and raw.isascii()]
    slow = set(range(n)).difference(fast)
    keyed = _keyed_hash(secret)
    if fast:
        codes = np.array([texts[i] for i in fast], dtype="<U18").view(np.uint32).reshape(-1, 18)
        digits = codes.astype(np.int64) - 48
        shaped = ((digits[:, :17] >= 0) & (digits[:, :17] <= 9)).all(axis=1) & (
            ((digits[:, 17] >= 0) & (digits[:, 17] <= 9)) | (codes[:, 17] == ord("X"))
        )
        total = (np.where(shaped[:, None], digits[:, :17], 0) @ _ID_WEIGHTS) % 11
        checked = codes[:, 17] == _ID_CHECK_CODES[total]
        year = digits[:, 6:10] @ np.array([1000, 100, 10, 1])
        month = digits[:, 10:12] @ np.array([10, 1])
        day = digits[:, 12:14] @ np.array([10, 1])
        leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
        month_ok = (month >= 1) & (month <= 12)
        last = _MONTH_DAYS[np.where(month_ok, month, 0)] + ((month == 2) & leap)
        dated = month_ok & (day >= 1) & (day <= last) & (year >= 1)
        born_later = (
            year * 10000 + month * 100 + day > as_of.year * 10000 + as_of.month * 100 + as_of.day
        )
        male = digits[:, 16] % 2 == 1
        good = shaped & checked & dated
        for j in np.flatnonzero(~shaped).tolist():
            slow.add(fast[j])
        for j in np.flatnonzero(shaped & ~checked).tolist():
            expected = _ID_CHECK[total[j]]
            problems[fast[j]] = f"公民身份号码校验位错误：末位应为 {expected}，请核对号码"
        for j in np.flatnonzero(shaped & checked & ~dated).tolist():
            problems[fast[j]] = "公民身份号码中的出生日期不存在，请核对号码"
        date_of: dict[str, dt.date] = {}
        male_list = male.tolist()
        for j in np.flatnonzero(good).tolist():
            i = fast[j]
            raw = texts[i]
            numbers[i] = raw
            stamp = raw[6:14]
            birth = date_of.get(stamp)
            if birth is None:
                birth = date_of[stamp] = dt.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))
            births[i] = birth
            sexes[i] = "男" if male_list[j] else "女"
            lids[i] = keyed(raw)
        late = [fast[j] for j in np.flatnonzero(good & born_later).tolist()]
    for i in sorted(slow):
        raw = texts[i]
        if not raw:
            problems[i] = "“公民身份号码”为必填项"
            continue
        parsed = _parse_slow_id(raw)
        if isinstance(parsed, str):
            problems[i] = parsed
            continue
        numbers[i], births[i], sexes[i] = parsed
        lids[i] = keyed(parsed[0])
        if parsed[1] > as_of:
            late.append(i)
    for i in late:
        problems[i] = f"号码中的出生日期晚于核实日期{as_of.isoformat()}，请核对号码"
    seq = _SEQ["id_number"]
    for position in positions(column.codes, problems):
        i = column.codes[position]
        errors.add(position, seq, "id_number", texts[i], problems[i])
    return column.spread(numbers), column.spread(births), column.spread(sexes), column.spread(lids)


def _parse_slow_id(raw: str) -> tuple[str, dt.date, str] | str:
    """(number, birth, sex) or the Chinese error, for a number off the well-formed path."""
    if "e+" in raw.lower() or raw.endswith(".0"):
        return (
            "公民身份号码被存成了数字（科学计数法），末几位已丢失：请把该列设为文本格式后重新填写"
        )
    try:
        return parse_id_number(raw)
    except IdNumberError as exc:
        return str(exc)


def parse_roster(
    table: Table | ColumnTable,
    *,
    secret: str,
    as_of: dt.date,
    limits: AgeLimits,
    gazetteer: Gazetteer,
) -> RosterParse:
    """Validate every row of a roster table; return the valid rows and all the errors at once.

    The work goes column by column: a column's distinct values are checked once (a 100,000-row
    file names a few hundred places and a few dozen choices), ID numbers are checked with numpy,
    and only the per-person parts (the keyed laborer id) run once per row.
    """
    del limits  # people outside working age are valid rows, flagged later, not rejected
    return merge_parts([parse_part(table, secret=secret, as_of=as_of, gazetteer=gazetteer)])


@dataclass(frozen=True)
class RosterPart:
    """The rows of one part of a roster file, checked on their own (:func:`parse_part`).

    What needs every part at once, the same person on two rows, is left to
    :func:`merge_parts`; ``ids`` gives it (row, laborer_id, ID number) of every row whose ID
    number is valid, in row order.
    """

    values: list[tuple[object, ...]]
    rows: list[int]
    errors: list[RowError]  # the rows' errors, in row order
    header_errors: list[RowError]
    ids: list[tuple[int, str, str]]
    data_rows: int  # rows with any cell filled

    def without_values(self) -> RosterPart:
        """The part with its values left out (a caller that carries them in another form)."""
        return replace(self, values=[])


def parse_part(
    table: Table | ColumnTable, *, secret: str, as_of: dt.date, gazetteer: Gazetteer
) -> RosterPart:
    """Check the rows of a roster table, or of a part of one (see :func:`merge_parts`)."""
    index, header_errors = map_headers(table.headers, ROSTER_COLUMNS)
    if any(e.message.startswith(_MISSING_COLUMN) for e in header_errors):
        return RosterPart([], [], [], header_errors, [], 0)
    table = columnar(table)
    filled = np.zeros(table.length, dtype=bool)
    for column in table.columns:
        filled |= column.filled()
    keep = np.flatnonzero(filled)
    n = len(keep)
    if not n:
        return RosterPart([], [], [], header_errors, [], 0)
    columns = table.columns if n == table.length else [c.rows(keep) for c in table.columns]
    row_numbers: list[int] = (keep + table.first).tolist()
    blank = Coded([""], np.zeros(n, dtype=np.intp))
    col = {k: (columns[index[k]] if k in index else blank) for k in _KEYS}
    errors = _Errors(row_numbers)

    names = col["name"]
    for i in names.positions({""}):
        errors.add(i, _SEQ["name"], "name", "", "“姓名”为必填项")
    numbers, births, id_sexes, lids = _id_column(col["id_number"], secret, as_of, errors)
    sex_texts = col["sex"]
    given = _choice_column(sex_texts, "sex", _SEX, "", errors, "应填写男或女")
    mismatch = [
        i for i, (g, s) in enumerate(zip(given, id_sexes, strict=True)) if g and s and g != s
    ]
    for i in mismatch:
        errors.add(
            i,
            _SEQ["sex"],
            "sex",
            sex_texts.text(i),
            f"与公民身份号码不一致：号码显示为{id_sexes[i]}，请核对性别或号码",
        )
    hukou = _choice_column(col["hukou"], "hukou", _HUKOU, "农业", errors)
    districts, townships, codes = _place_columns(
        col["district"], col["township"], _PlaceCache(gazetteer), errors
    )
    phones = col["phone"]
    bad_phones = {
        phone
        for phone in phones.values
        if phone
        and not (phone.isascii() and phone.isdigit() and 7 <= len(phone) <= 20)
        and not _PHONE.match(phone)
    }
    for i in phones.positions(bad_phones):
        message = "应为手机号或固定电话号码（数字）"
        errors.add(i, _SEQ["phone"], "phone", phones.text(i), message)
    education = _choice_column(col["education"], "education", _EDUCATION, None, errors)
    exclusion = _choice_column(col["exclusion"], "exclusion", _EXCLUSION, None, errors)
    health = _choice_column(col["health"], "health", _HEALTH, None, errors)
    employment = _choice_column(col["employment"], "employment", _EMPLOYMENT, "无业", errors)
    registration = _choice_column(
        col["registration"], "registration", _REGISTRATION, "未登记", errors
    )
    wants_job = _choice_column(col["wants_job"], "wants_job", _WISH, False, errors)
    wants_business = _choice_column(col["wants_business"], "wants_business", _WISH, False, errors)
    wants_training = _choice_column(col["wants_training"], "wants_training", _WISH, False, errors)
    lodging = _choice_column(col["accepts_lodging"], "accepts_lodging", _YES_NO, False, errors)
    difficulty = _choice_column(col["difficulty"], "difficulty", _YES_NO, False, errors)
    commute = _int_column(
        col["max_commute_min"], "max_commute_min", 1, "应为正整数（分钟），如60", errors
    )
    months = _int_column(
        col["months_without_work"], "months_without_work", 0, "应为0或正整数（月数），如6", errors
    )
    values = list(
        zip(
            lids,
            names.texts(),
            numbers,
            id_sexes,
            births,
            hukou,
            districts,
            townships,
            codes,
            employment,
            wants_job,
            col["village"].texts(),
            phones.texts(),
            education,
            exclusion,
            health,
            registration,
            wants_business,
            wants_training,
            _items_column(col["desired_jobs"]),
            _items_column(col["skills"]),
            _items_column(col["certificates"]),
            commute,
            lodging,
            _items_column(col["family"]),
            months,
            difficulty,
            strict=True,
        )
    )
    ids = [(row_numbers[i], lid, numbers[i]) for i, lid in enumerate(lids) if lid]
    found = errors.ordered()
    if errors.bad_rows:
        bad = errors.bad_rows
        valid = [i for i in range(n) if i not in bad]
        values = [values[i] for i in valid]
        row_numbers = [row_numbers[i] for i in valid]
    return RosterPart(values, row_numbers, found, header_errors, ids, n)


def merge_parts(parts: Sequence[RosterPart]) -> RosterParse:
    """The parts of one file, checked on their own, as the check of the whole file.

    The header errors are the first part's (every part has the same header). The same person
    on two rows is an error on every row after the first; those rows leave the valid rows. A
    part's ``values`` may be left out (:meth:`RosterPart.without_values`): ``rows`` still
    lists its valid rows, and the caller keeps what it carries for those rows.
    """
    header_errors = list(parts[0].header_errors)
    if any(e.message.startswith(_MISSING_COLUMN) for e in header_errors):
        return RosterParse([], header_errors, [])
    if not any(p.data_rows for p in parts):
        header_errors.append(RowError(2, "", "", "文件中没有数据行：请在表头下方逐行填写人员信息"))
        return RosterParse([], header_errors, [])
    errors = [e for p in parts for e in p.errors]
    values = [v for p in parts for v in p.values]
    rows = [r for p in parts for r in p.rows]
    ids = [x for p in parts for x in p.ids]
    if len({lid for _, lid, _ in ids}) != len(ids):
        first_of: dict[str, int] = {}
        header = COLUMN_BY_KEY["id_number"].header
        twice: set[int] = set()
        for row, lid, number in ids:
            first = first_of.setdefault(lid, row)
            if first != row:
                twice.add(row)
                message = f"与第{first}行为同一人（公民身份号码重复），请删除重复行"
                errors.append(RowError(row, header, _masked("id_number", number), message))
        errors.sort(key=_error_order)
        kept = [i for i, r in enumerate(rows) if r not in twice]
        if values:
            values = [values[i] for i in kept]
        rows = [rows[i] for i in kept]
    if header_errors:
        return RosterParse([], header_errors + errors, [])
    return RosterParse(values, errors, rows)


_MISSING_COLUMN = "缺少必填列"
_SEQ_OF_HEADER = {c.header: i for i, c in enumerate(ROSTER_COLUMNS)}


def _error_order(error: RowError) -> tuple[int, int]:
    return error.row, _SEQ_OF_HEADER.get(error.column, len(_SEQ_OF_HEADER))


def _place_columns(
    district_texts: Coded,
    township_texts: Coded,
    places: _PlaceCache,
    errors: _Errors,
) -> tuple[list[str], list[str], list[str]]:
    """District names, township names and codes; unknown places reported with suggestions."""
    pairs = district_texts.codes.astype(np.int64) * len(township_texts.values)
    _, first, pair_of = np.unique(
        pairs + township_texts.codes, return_index=True, return_inverse=True
    )
    pair_of = pair_of.reshape(-1)
    found: list[tuple[str, str, str]] = []
    problems: dict[int, list[tuple[int, str, str, str]]] = {}
    for k, i in enumerate(first.tolist()):
        place = _place(district_texts.text(i), township_texts.text(i), places)
        if isinstance(place, list):
            problems[k] = place
            found.append(("", "", ""))
        else:
            found.append(place)
    for i in positions(pair_of, problems):
        for seq, key, value, message in problems[pair_of[i]]:
            errors.add(i, seq, key, value, message)
    return (
        spread([f[0] for f in found], pair_of),
        spread([f[1] for f in found], pair_of),
        spread([f[2] for f in found], pair_of),
    )


def _place(
    district_text: str, township_text: str, places: _PlaceCache
) -> tuple[str, str, str] | list[tuple[int, str, str, str]]:
    """(district, township name, township code), or the problems (seq, key, value, message)."""
    problems: list[tuple[int, str, str, str]] = []
    district = ""
    if not district_text:
        problems.append(
            (_SEQ["district"], "district", "", "“区”为必填项，应填写北京市的区，如通州区")
        )
    else:
        found = places.district(district_text)
        if isinstance(found, UnknownPlaceError):
            problems.append(
                (_SEQ["district"], "district", district_text, f"不是北京市的区{_hint(found)}")
            )
        else:
            district = found
    if not township_text:
        problems.append((_SEQ["township"], "township", "", "“乡镇(街道)”为必填项"))
    elif district:
        place = places.township(district, township_text)
        if not isinstance(place, UnknownPlaceError):
            return district, place.name, place.code  # a known district: no problem so far
        message = f"{district}没有这个乡镇(街道){_hint(place)}"
        problems.append((_SEQ["township"], "township", township_text, message))
    return problems


def _keyed_hash(secret: str) -> Callable[[str], str]:
    """``features.idcard.laborer_id`` with the HMAC pads computed once (RFC 2104)."""
    key = secret.encode("utf-8")
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def keyed_hash(number: str) -> str:
        i = inner.copy()
        i.update(number.encode("ascii"))
        o = outer.copy()
        o.update(i.digest())
        return o.hexdigest()[:16]

    return keyed_hash


def _hint(exc: UnknownPlaceError) -> str:
    return f"，是否为：{'、'.join(exc.suggestions)}" if exc.suggestions else ""


_MISSING = object()


__all__ = [
    "COLUMN_BY_KEY",
    "ROSTER_COLUMNS",
    "RosterParse",
    "RosterPart",
    "merge_parts",
    "parse_part",
    "parse_roster",
    "row_texts",
    "split_items",
]
