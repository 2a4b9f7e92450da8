"""Reading a post upload (岗位信息表, DESIGN §4) into posts, with every row error at once.

The rules of the policy's second and fourth sections, checked per row:

- 定向招聘 only from an employer of an active agreement that names the uploader as partner,
  and only with a valid 统一社会信用代码 (GB 32100);
- 公益性岗位 only from a district bureau (one of the eight outer districts), for townships of its
  own district, named in 面向乡镇 (托底安置 serves that district's difficulty persons);
- a partner area (an inner district, a new-development district, 北京经济技术开发区) uploads only
  directed posts; a district bureau uploads its workshops, home-based, public-welfare and open
  posts (and directed ones when it pairs its own townships);
- 招聘人数 an integer ≥ 1 (and not below the hires already recorded), 16 ≤ 最低年龄 ≤ 最高年龄 ≤ 65,
  月薪 ordered, 截止日期 not in the past, the work place a known district and township.

Titles and free text pass through as written ("普工坐班包吃住300预支" stays exactly that): the
matcher reads them, the upload only trims the cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from operator import itemgetter
from typing import Any, overload

import orjson

from catalogue.agreements import directed_allowed
from catalogue.columns import POST_COLUMNS
from catalogue.credit_code import credit_code_problem, normalize_credit_code
from catalogue.models import (
    CONTENT_FIELDS,
    DIRECTED,
    POST_KINDS,
    PUBLIC_WELFARE,
    SCHEDULES,
    Agreement,
    Post,
    make_post_ids,
    posts_from_columns,
)
from features.errors import UnknownPlaceError
from features.gazetteer import OUTER_DISTRICTS, Gazetteer
from features.laborer import EDUCATION_LEVELS
from features.tabular import RowError, Table, is_digits, map_headers

MIN_AGE = 16
MAX_AGE = 65
MAX_TITLE = 100
_HEADER = {c.key: c.header for c in POST_COLUMNS}
_SEPARATORS = re.compile(r"[、,;，；\s]+")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (after its 1900 leap-year bug)
_YES_NO = {"是": True, "有": True, "提供": True, "包住": True, "否": False, "无": False}
_YES_NO |= {"不提供": False, "yes": True, "no": False, "y": True, "n": False}
_EDUCATION_ALIASES = {
    "小学": "小学及以下",
    "本科": "本科及以上",
    "研究生": "本科及以上",
    "硕士": "本科及以上",
    "技校": "中专",
    "职高": "中专",
}


class PostColumns(Sequence[Post]):
    """Posts held as one sequence of values per field, made :class:`Post` objects only when
    first read (the store writes an upload from its ids and stored JSON alone). Equal to the
    tuple of the same posts, as the tuple ``UploadResult.posts`` otherwise is."""

    __slots__ = ("_built", "_columns", "_constants", "_n")

    def __init__(
        self, n: int, columns: Mapping[str, Sequence[Any]], constants: Mapping[str, Any]
    ) -> None:
        self._n = n
        self._columns: Mapping[str, Sequence[Any]] | None = columns
        self._constants = constants
        self._built: tuple[Post, ...] | None = None

    def values(self, name: str) -> Sequence[Any]:
        """Every post's value of the field ``name``, without making the posts."""
        if name in self._constants:
            return (self._constants[name],) * self._n
        if self._columns is None:
            return [getattr(p, name) for p in self._posts()]
        return self._columns[name]

    def _posts(self) -> tuple[Post, ...]:
        if self._built is None:
            assert self._columns is not None
            self._built = tuple(posts_from_columns(self._n, self._columns, self._constants))
            self._columns = None
        return self._built

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: int) -> Post: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Post, ...]: ...
    def __getitem__(self, index: int | slice) -> Post | tuple[Post, ...]:
        return self._posts()[index]

    def __iter__(self) -> Iterator[Post]:
        return iter(self._posts())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PostColumns):
            return self._posts() == other._posts()
        if isinstance(other, tuple):
            return self._posts() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._posts())

    def __repr__(self) -> str:
        return repr(self._posts())


@dataclass(frozen=True, slots=True)
class UploadResult:
    """The valid rows as posts (with their spreadsheet rows) and every error found."""

    posts: tuple[Post, ...] | PostColumns
    errors: tuple[RowError, ...]
    rows: int = 0  # data rows read (blank rows not counted)
    rejected: int = 0  # rows with at least one error
    post_rows: tuple[int, ...] = ()  # the spreadsheet row of each post
    # When computed: each post's CONTENT_FIELDS as the JSON object orjson writes of them
    # (what the store keeps and compares); () otherwise. Not part of equality.
    contents: tuple[bytes, ...] = field(default=(), compare=False, repr=False)

    def values(self, name: str) -> Sequence[Any]:
        """Every post's value of the field ``name`` (such as post_id), in the order of posts."""
        if isinstance(self.posts, PostColumns):
            return self.posts.values(name)
        return [getattr(p, name) for p in self.posts]


def parse_date(text: str) -> dt.date | None:
    """A date written as 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日, 20261231 or an
    Excel day number; None when it is not one."""
    text = _TIME_TAIL.sub("", text.strip())
    try:
        m = _DATE.fullmatch(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if len(text) == 8 and is_digits(text):
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    if is_digits(text) and 20000 <= int(text) <= 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(text))
    return None


def _education(text: str) -> tuple[str | None, bool]:
    value = text.removesuffix("及以上").removesuffix("以上")
    if value in ("", "不限", "无"):
        return None, True
    value = _EDUCATION_ALIASES.get(value, value)
    return (value, True) if value in EDUCATION_LEVELS else (None, False)


def split_list(text: str) -> tuple[str, ...]:
    """Items of a list cell separated by 、,;，； or spaces."""
    return tuple(p for p in _SEPARATORS.split(text) if p)


Check = tuple[Any, str | None]  # (value, None) or (None-or-value, message in Chinese)


def _integer(text: str, *, header: str, low: Any, high: Any, expect: Any) -> Check:
    if not text:
        return None, None
    clean = text.removesuffix("元").removesuffix("岁").removesuffix("人").replace(",", "")
    clean = clean.removesuffix(".0")
    if is_digits(clean) and low <= int(clean) <= high:
        return int(clean), None
    return None, f"{header}应为{expect}，实际为“{text}”"


class _Checks:
    """Validators of single cells, memoised: a file repeats a few values thousands of times."""

    def __init__(
        self,
        *,
        uploader: str,
        bureau: bool,
        agreements: Sequence[Agreement],
        today: dt.date,
        gazetteer: Gazetteer,
    ) -> None:
        self.uploader = uploader
        self.bureau = bureau
        self.agreements = agreements
        self.today = today
        self.gazetteer = gazetteer
        self.kind = lru_cache(maxsize=None)(self._kind)
        self.code = lru_cache(maxsize=None)(self._code)
        self.area = lru_cache(maxsize=None)(self._area)
        self.township = lru_cache(maxsize=None)(self._township)
        self.directed = lru_cache(maxsize=None)(self._directed)
        self.headcount = lru_cache(maxsize=None)(self._headcount)
        ages: dict[str, Any] = {
            "low": MIN_AGE,
            "high": MAX_AGE,
            "expect": f"{MIN_AGE}–{MAX_AGE}之间的整数",
        }
        pay: dict[str, Any] = {"low": 0, "high": 1_000_000, "expect": "非负整数（元/月）"}
        self.min_age = lru_cache(maxsize=None)(partial(_integer, header="最低年龄", **ages))
        self.max_age = lru_cache(maxsize=None)(partial(_integer, header="最高年龄", **ages))
        self.salary_min = lru_cache(maxsize=None)(partial(_integer, header="月薪下限", **pay))
        self.salary_max = lru_cache(maxsize=None)(partial(_integer, header="月薪上限", **pay))
        self.education = lru_cache(maxsize=None)(self._education)
        self.lodging = lru_cache(maxsize=None)(self._lodging)
        self.schedule = lru_cache(maxsize=None)(self._schedule)
        self.closes_on = lru_cache(maxsize=None)(self._closes_on)
        self.for_townships = lru_cache(maxsize=None)(self._for_townships)
        self.certificates = lru_cache(maxsize=None)(split_list)
        # The cells checked on their own, by column key: their validator alone decides them.
        self.single: tuple[tuple[str, Callable[[str], Any]], ...] = (
            ("headcount", self.headcount),
            ("min_age", self.min_age),
            ("max_age", self.max_age),
            ("salary_min", self.salary_min),
            ("salary_max", self.salary_max),
            ("education", self.education),
            ("lodging", self.lodging),
            ("schedule", self.schedule),
            ("closes_on", self.closes_on),
        )

    def _kind(self, kind: str) -> str | None:
        if not kind:
            return "岗位类型为必填项：" + "、".join(POST_KINDS)
        if kind not in POST_KINDS:
            return f"岗位类型“{kind}”无效：应为{'、'.join(POST_KINDS)}之一"
        if not self.bureau and kind == PUBLIC_WELFARE:
            return (
                f"公益性岗位只能由输出区人社局上传（托底安置本区就业困难人员），"
                f"{self.uploader}不能上传"
            )
        if not self.bureau and kind != DIRECTED:
            return f"{self.uploader}作为对接方只能上传定向招聘岗位；{kind}岗位请由所在区人社局上传"
        return None

    def _code(self, text: str) -> Check:
        code = normalize_credit_code(text)
        return code, (credit_code_problem(code) if code else None)

    def _area(self, text: str) -> Check:
        if not text:
            return "", "工作区为必填项：北京市的区或北京经济技术开发区"
        try:
            return self.gazetteer.area(text), None
        except UnknownPlaceError as exc:
            return None, f"{exc}：工作区应为北京市的区或北京经济技术开发区"

    def _township(self, text: str, district: str) -> Check:
        try:
            return self.gazetteer.township(text, district), None
        except UnknownPlaceError as exc:
            return None, f"{exc}（应为{district}的乡镇或街道）"

    def _directed(self, code: str, employer: str, township_code: str) -> str | None:
        """None when the uploader may offer this employer's directed post here, else why not."""
        where = township_code or None
        if directed_allowed(self.uploader, code, self.agreements, self.today, township_code=where):
            return None
        if where and directed_allowed(self.uploader, code, self.agreements, self.today):
            # The employer is under a district's pairing of its own townships, elsewhere.
            return (
                f"区内结对协议只对接指定乡镇的用人单位：工作乡镇不在{self.uploader}协议的"
                "对接乡镇（partner_townships）中，请核对工作乡镇或协议"
            )
        return (
            f"用人单位“{employer}”（{code}）不在{self.uploader}{self.today.year}年有效的人岗对接"
            "协议中：请核对统一社会信用代码，或请输出区先备案包含该单位的协议"
        )

    def _headcount(self, text: str) -> Check:
        if not text:
            return None, "招聘人数为必填项：不小于1的整数"
        return _integer(text, header="招聘人数", low=1, high=100_000, expect="不小于1的整数")

    def _education(self, text: str) -> Check:
        value, ok = _education(text)
        if ok:
            return value, None
        levels = "、".join(EDUCATION_LEVELS)
        return None, f"学历要求应为{levels}或“不限”，实际为“{text}”"

    def _lodging(self, text: str) -> Check:
        if not text:
            return False, None
        found = _YES_NO.get(text.lower())
        if found is None:
            return False, f"提供住宿应填“是”或“否”，实际为“{text}”"
        return found, None

    def _schedule(self, text: str) -> Check:
        if text and text not in SCHEDULES:
            return None, f"工作形式应为{'、'.join(SCHEDULES)}之一，实际为“{text}”"
        return text or None, None

    def _closes_on(self, text: str) -> Check:
        if not text:
            return None, None
        day = parse_date(text)
        if day is None:
            return None, (
                f"截止日期“{text}”无法识别：请写作 2026-12-31、2026/12/31 或 2026年12月31日"
            )
        if day < self.today:
            return None, (
                f"截止日期{day.isoformat()}已过（今天是{self.today.isoformat()}）："
                "请填写今天或以后的日期"
            )
        return day, None

    def _for_townships(self, text: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """Township codes of a public-welfare post, and (value, message) errors."""
        if not text:
            return (), (
                (
                    "",
                    f"公益性岗位须在面向乡镇中填写所服务的{self.uploader}乡镇（街道），"
                    "多个用“、”分隔",
                ),
            )
        codes: list[str] = []
        errors: list[tuple[str, str]] = []
        for name in split_list(text):
            found, problem = self.township(name, self.uploader)
            if problem:
                errors.append((name, f"面向乡镇须为本区（{self.uploader}）的乡镇：{problem}"))
            elif found.code not in codes:
                codes.append(found.code)
        return tuple(codes), tuple(errors)


def _columns(table: Table, index: Mapping[str, int], n: int) -> dict[str, Sequence[str]]:
    blank = ("",) * n
    if not table.rows:
        return {c.key: blank for c in POST_COLUMNS}
    data = list(zip(*table.rows, strict=True))
    return {c.key: data[index[c.key]] if c.key in index else blank for c in POST_COLUMNS}


class _Rows:
    """The rules applied to one row at a time: every error of the row, in the order of the
    columns, or its post. Rows the column-wise pass finds a problem in come here."""

    def __init__(
        self,
        *,
        col: Mapping[str, Sequence[str]],
        checks: _Checks,
        ids: Sequence[str],
        first_row: Mapping[str, int],
        existing: Mapping[str, Post],
    ) -> None:
        self.col = col
        self.checks = checks
        self.ids = ids
        self.first_row = first_row
        self.existing = existing
        self.simple = [(col[key], check, _HEADER[key]) for key, check in checks.single]

    def check(self, j: int) -> tuple[list[RowError], Post | None]:
        """The errors of data row ``j`` (0-based) and, when there are none, its post."""
        col, checks, h = self.col, self.checks, _HEADER
        uploader = checks.uploader
        number = j + 2
        errs: list[RowError] = []
        external_id = col["external_id"][j]
        if not external_id:
            errs.append(
                RowError(
                    number,
                    h["external_id"],
                    "",
                    "岗位编号为必填项：请为每个岗位填写本单位内唯一的编号",
                )
            )
        else:
            first = self.first_row[external_id]
            if first != number:
                errs.append(
                    RowError(
                        number,
                        h["external_id"],
                        external_id,
                        f"岗位编号“{external_id}”与第{first}行重复：同一文件中每个岗位编号只能出现一次",
                    )
                )
        title = col["title"][j]
        if not title:
            errs.append(RowError(number, h["title"], "", "岗位名称为必填项"))
        elif len(title) > MAX_TITLE:
            errs.append(
                RowError(
                    number,
                    h["title"],
                    title,
                    f"岗位名称过长（{len(title)}字）：请控制在{MAX_TITLE}字以内",
                )
            )
        kind = col["kind"][j]
        problem = checks.kind(kind)
        if problem:
            errs.append(RowError(number, h["kind"], kind, problem))
        employer = col["employer"][j]
        if not employer:
            errs.append(RowError(number, h["employer"], "", "用人单位为必填项：请填写单位全称"))
        raw_code = col["employer_code"][j]
        code, code_problem = checks.code(raw_code)
        if code_problem:
            errs.append(RowError(number, h["employer_code"], raw_code, code_problem))
        elif not code and kind == DIRECTED:
            errs.append(
                RowError(
                    number,
                    h["employer_code"],
                    "",
                    "定向招聘岗位须填写用人单位的统一社会信用代码（18位）",
                )
            )

        district = township = township_code = ""
        raw_district = col["district"][j]
        area, problem = checks.area(raw_district)
        if problem:
            errs.append(RowError(number, h["district"], raw_district, problem))
        else:
            district = area.name
            raw_township = col["township"][j]
            if raw_township:
                found, problem = checks.township(raw_township, district)
                if problem:
                    errs.append(RowError(number, h["township"], raw_township, problem))
                else:
                    township, township_code = found.name, found.code
        if kind == DIRECTED and code and not code_problem:
            problem = checks.directed(code, employer, township_code)
            if problem:
                errs.append(RowError(number, h["employer_code"], raw_code, problem))

        values: list[Any] = []
        for column, check, header in self.simple:
            text = column[j]
            value, problem = check(text)
            if problem:
                errs.append(RowError(number, header, text, problem))
            values.append(value)
        headcount, min_age, max_age, low, high, education, lodging, schedule, closes_on = values
        if min_age is not None and max_age is not None and min_age > max_age:
            errs.append(
                RowError(
                    number,
                    h["max_age"],
                    str(max_age),
                    f"最高年龄（{max_age}）不能小于最低年龄（{min_age}）",
                )
            )
        if low is not None and high is not None and low > high:
            errs.append(
                RowError(
                    number,
                    h["salary_max"],
                    str(high),
                    f"月薪上限（{high}）不能低于月薪下限（{low}）：请检查是否填反",
                )
            )
        raw_for = col["for_townships"][j]
        for_townships: tuple[str, ...] = ()
        if kind == PUBLIC_WELFARE:
            if checks.bureau:
                for_townships, problems = checks.for_townships(raw_for)
                errs.extend(RowError(number, h["for_townships"], v, m) for v, m in problems)
        elif raw_for:
            errs.append(
                RowError(
                    number,
                    h["for_townships"],
                    raw_for,
                    "面向乡镇仅用于公益性岗位：其他类型的岗位请留空",
                )
            )

        post_id = self.ids[j]
        before = self.existing.get(post_id)
        if before is not None and headcount is not None and headcount < before.hires:
            errs.append(
                RowError(
                    number,
                    h["headcount"],
                    str(headcount),
                    f"招聘人数（{headcount}）不能少于该岗位已录用的{before.hires}人",
                )
            )
        if errs:
            return errs, None
        return errs, Post(
            post_id=post_id,
            external_id=external_id,
            uploader=uploader,
            title=title,
            kind=kind,
            employer=employer,
            district=district,
            headcount=headcount,
            employer_code=code,
            township=township,
            township_code=township_code,
            address=col["address"][j],
            min_age=min_age,
            max_age=max_age,
            education=education,
            skills=col["skills"][j],
            certificates=checks.certificates(col["certificates"][j]),
            description=col["description"][j],
            salary_min=low,
            salary_max=high,
            lodging=lodging,
            schedule=schedule,
            closes_on=closes_on,
            for_townships=for_townships,
            contact=col["contact"][j],
            status=before.status if before is not None else "open",
            hires=before.hires if before is not None else 0,
            created_on=before.created_on if before is not None else None,
            updated_on=before.updated_on if before is not None else None,
        )


def _lookup(mapping: Mapping[Any, Any], keys: Sequence[Any]) -> Sequence[Any]:
    """``mapping[k]`` of each of ``keys``, in one C loop (itemgetter) rather than a call each."""
    if len(keys) < 2:
        return [mapping[k] for k in keys]
    found: Sequence[Any] = itemgetter(*keys)(mapping)
    return found


class _ColumnPass:
    """The same rules applied a column at a time: each distinct cell value (or combination of
    values, such as district and township) checked once, the values of every row looked up.

    It finds the rows with a problem (``suspects``: the per-row checks then say exactly what)
    and gives every other row's field values, equal to what the per-row checks make of them.
    """

    def __init__(
        self,
        *,
        col: Mapping[str, Sequence[str]],
        checks: _Checks,
        ids: Sequence[str],
        first_row: Mapping[str, int],
        existing: Mapping[str, Post],
    ) -> None:
        self.suspects: set[int] = set()
        self.values: dict[str, Sequence[Any]] = {}
        n = len(ids)
        v = self.values
        external_ids = col["external_id"]
        if "" in first_row or len(first_row) != n:
            self.suspects.update(
                j for j, e in enumerate(external_ids) if not e or first_row[e] != j + 2
            )
        titles = col["title"]
        lengths = set(map(len, titles))
        if 0 in lengths or max(lengths) > MAX_TITLE:
            self.suspects.update(j for j, t in enumerate(titles) if not t or len(t) > MAX_TITLE)
        kinds = col["kind"]
        self._flag(kinds, {k for k in set(kinds) if checks.kind(k)})
        employers = col["employer"]
        self._flag(employers, {""})
        v["employer_code"] = codes = self._checked(checks.code, col["employer_code"])
        if not all(codes):
            missing = {("", DIRECTED)}
            self._flag(zip(codes, kinds, strict=True), missing)
        raw_districts, raw_townships = col["district"], col["township"]
        known = {
            place: self._place(checks, *place)
            for place in set(zip(raw_districts, raw_townships, strict=True))
        }
        self._flag(
            zip(raw_districts, raw_townships, strict=True),
            {place for place, found in known.items() if found is None},
        )
        nowhere = ("", "", "")
        districts: Sequence[str]
        townships: Sequence[str]
        township_codes: Sequence[str]
        if len(set(raw_districts)) == 1:  # one work district (a bureau's own file, say)
            by_township = {township: found or nowhere for (_, township), found in known.items()}
            districts, townships, township_codes = (
                _lookup({t: found[k] for t, found in by_township.items()}, raw_townships)
                for k in range(3)
            )
        else:
            places = zip(raw_districts, raw_townships, strict=True)
            found_places = [known[place] or nowhere for place in places]
            districts, townships, township_codes = zip(*found_places, strict=True)
        directed = {
            d
            for d in set(zip(kinds, codes, employers, township_codes, strict=True))
            if d[0] == DIRECTED and d[1] and checks.directed(d[1], d[2], d[3])
        }
        self._flag(zip(kinds, codes, employers, township_codes, strict=True), directed)
        for key, check in checks.single:
            v[key] = self._checked(check, col[key])
        for low, high in (("min_age", "max_age"), ("salary_min", "salary_max")):
            pairs = set(zip(v[low], v[high], strict=True))
            self._flag(
                zip(v[low], v[high], strict=True),
                {(a, b) for a, b in pairs if a is not None and b is not None and a > b},
            )
        v["for_townships"] = self._for_townships(checks, kinds, col["for_townships"])
        status: list[str] | tuple[str, ...] = ("open",) * n
        hires: list[int] | tuple[int, ...] = (0,) * n
        created: list[dt.date | None] | tuple[None, ...] = (None,) * n
        updated: list[dt.date | None] | tuple[None, ...] = (None,) * n
        if existing:
            status, hires, created, updated = (
                list(status),
                list(hires),
                list(created),
                list(updated),
            )
            headcounts = v["headcount"]
            for j, post_id in enumerate(ids):
                before = existing.get(post_id)
                if before is None:
                    continue
                status[j], hires[j] = before.status, before.hires
                created[j], updated[j] = before.created_on, before.updated_on
                if headcounts[j] is not None and headcounts[j] < before.hires:
                    self.suspects.add(j)
        certificates = {t: checks.certificates(t) for t in set(col["certificates"])}
        v |= {
            "post_id": ids,
            "external_id": external_ids,
            "title": titles,
            "kind": kinds,
            "employer": employers,
            "district": districts,
            "township": townships,
            "township_code": township_codes,
            "address": col["address"],
            "skills": col["skills"],
            "certificates": _lookup(certificates, col["certificates"]),
            "description": col["description"],
            "contact": col["contact"],
            "status": status,
            "hires": hires,
            "created_on": created,
            "updated_on": updated,
        }

    def _flag(self, column: Iterable[Any], bad: set[Any]) -> None:
        if bad:
            self.suspects.update(j for j, value in enumerate(column) if value in bad)

    def _checked(self, check: Callable[[str], Check], column: Sequence[str]) -> Sequence[Any]:
        found = {text: check(text) for text in set(column)}
        self._flag(column, {text for text, (_, problem) in found.items() if problem})
        values = {text: value for text, (value, _) in found.items()}
        return _lookup(values, column)

    @staticmethod
    def _place(
        checks: _Checks, raw_district: str, raw_township: str
    ) -> tuple[str, str, str] | None:
        area, problem = checks.area(raw_district)
        if problem:
            return None
        if not raw_township:
            return area.name, "", ""
        found, problem = checks.township(raw_township, area.name)
        return None if problem else (area.name, found.name, found.code)

    def _for_townships(
        self, checks: _Checks, kinds: Sequence[str], raw: Sequence[str]
    ) -> Sequence[tuple[str, ...]]:
        # Looked up by the cell alone: a row with text and another kind than 公益性岗位, or
        # a 公益性岗位 from an uploader not a bureau, is flagged (its value is never used),
        # and "" gives () whatever the kind.
        codes: dict[str, tuple[str, ...]] = {}
        bad: set[tuple[str, str]] = set()
        for kind, text in set(zip(kinds, raw, strict=True)):
            codes.setdefault(text, ())
            if kind == PUBLIC_WELFARE:
                if checks.bureau:
                    codes[text], problems = checks.for_townships(text)
                    if problems:
                        bad.add((kind, text))
            elif text:
                bad.add((kind, text))
        self._flag(zip(kinds, raw, strict=True), bad)
        return _lookup(codes, raw)


def parse_posts(
    table: Table,
    *,
    uploader: str,
    agreements: Sequence[Agreement],
    today: dt.date,
    gazetteer: Gazetteer,
    existing: Mapping[str, Post] | None = None,
    by_row: bool = False,
) -> UploadResult:
    """Validate an upload's rows for ``uploader`` (an area name): posts and every error.

    ``existing`` maps post ids to the posts already stored, so that a re-upload keeps their
    hires, state and creation date and cannot cut 招聘人数 below the hires recorded.
    The rules run a column at a time; rows with a problem (and every row when ``by_row``,
    the reference the column-wise pass is tested against) go through the per-row checks.
    """
    uploader = gazetteer.area(uploader).name
    bureau = uploader in OUTER_DISTRICTS
    index, header_errors = map_headers(table.headers, POST_COLUMNS)
    blank = [j for j, r in enumerate(table.rows) if not any(r)]
    n_rows = len(table.rows) - len(blank)
    if header_errors:
        return UploadResult((), tuple(header_errors), n_rows, n_rows)
    if n_rows == 0:
        empty = RowError(2, "", "", "文件中没有岗位：请从第2行起每行填写一个岗位（第1行为表头）")
        return UploadResult((), (empty,), 0, 0)
    checks = _Checks(
        uploader=uploader, bureau=bureau, agreements=agreements, today=today, gazetteer=gazetteer
    )
    existing = existing or {}
    n = len(table.rows)
    col = _columns(table, index, n)
    ids = make_post_ids(uploader, col["external_id"])
    first_row: dict[str, int] = {}
    for j, external_id in enumerate(col["external_id"]):
        first_row.setdefault(external_id, j + 2)
    context: dict[str, Any] = {
        "col": col,
        "checks": checks,
        "ids": ids,
        "first_row": first_row,
        "existing": existing,
    }
    rows = _Rows(**context)
    if by_row:
        suspects = set(range(n))
    else:
        columns = _ColumnPass(**context)
        suspects = columns.suspects
    skip = suspects.union(blank)
    errors: list[RowError] = []
    checked: list[tuple[int, Post]] = []  # (row, post) of suspects without an error
    rejected = 0
    for j in sorted(suspects.difference(blank)):
        errs, post = rows.check(j)
        if post is None:
            rejected += 1
            errors.extend(errs)
        else:
            checked.append((j + 2, post))
    keep = [j for j in range(n) if j not in skip] if skip else range(n)
    post_rows = [j + 2 for j in keep] if not by_row else []
    if not keep or by_row:
        posts = tuple(p for _, p in checked)
        return UploadResult(posts, tuple(errors), n_rows, rejected, tuple(r for r, _ in checked))
    picked = columns.values
    if skip:
        picked = {k: [values[j] for j in keep] for k, values in picked.items()}
    columnar = PostColumns(len(keep), picked, {"uploader": uploader})
    if checked:  # rows the column-wise pass doubted needlessly: merged in row order
        merged = sorted([*zip(post_rows, columnar, strict=True), *checked], key=lambda rp: rp[0])
        return UploadResult(
            tuple(p for _, p in merged),
            tuple(errors),
            n_rows,
            rejected,
            tuple(r for r, _ in merged),
        )
    contents = _contents(picked, len(keep), uploader)
    return UploadResult(columnar, tuple(errors), n_rows, rejected, tuple(post_rows), contents)


def _contents(columns: Mapping[str, Sequence[Any]], n: int, uploader: str) -> tuple[bytes, ...]:
    """Each post's CONTENT_FIELDS as orjson writes them as one object, built a field at a time:
    every distinct value of a field is encoded once (with its key, its comma and the object's
    braces), each post's JSON joined from the parts; runs of fields with one value for every
    post are joined once. (Values of a field are all of its one type here, so equal values
    encode alike.)"""
    parts: list[Sequence[bytes]] = []
    same = b""  # the fields alike for every post since the last part that varies
    last = len(CONTENT_FIELDS) - 1
    for i, name in enumerate(CONTENT_FIELDS):
        head = (b"{" if i == 0 else b",") + orjson.dumps(name) + b":"
        tail = b"}" if i == last else b""
        column = (uploader,) if name == "uploader" else columns[name]
        distinct = set(column)
        if len(distinct) == 1:
            same += head + orjson.dumps(column[0]) + tail
            continue
        encoded = {value: same + head + orjson.dumps(value) + tail for value in distinct}
        same = b""
        parts.append(itemgetter(*column)(encoded))
    if same:
        parts.append((same,) * n)
    if len(parts) == 1:
        return tuple(parts[0])
    return tuple(map(b"".join, zip(*parts, strict=True)))


__all__ = [
    "MAX_AGE",
    "MIN_AGE",
    "PostColumns",
    "UploadResult",
    "parse_date",
    "parse_posts",
    "split_list",
]
