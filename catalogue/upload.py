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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from catalogue.agreements import directed_allowed
from catalogue.columns import POST_COLUMNS
from catalogue.credit_code import credit_code_problem, normalize_credit_code
from catalogue.models import (
    DIRECTED,
    POST_KINDS,
    PUBLIC_WELFARE,
    SCHEDULES,
    Agreement,
    Post,
    make_post_id,
)
from features.errors import UnknownPlaceError
from features.gazetteer import OUTER_DISTRICTS, Area, Gazetteer, Township
from features.laborer import EDUCATION_LEVELS
from features.tabular import RowError, Table, map_headers

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


@dataclass(frozen=True, slots=True)
class UploadResult:
    """The valid rows as posts (with their spreadsheet rows) and every error found."""

    posts: tuple[Post, ...]
    errors: tuple[RowError, ...]
    rows: int = 0  # data rows read (blank rows not counted)
    rejected: int = 0  # rows with at least one error
    post_rows: tuple[int, ...] = ()  # the spreadsheet row of each post


def parse_date(text: str) -> dt.date | None:
    """A date written as 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日, 20261231 or an
    Excel day number; None when it is not one."""
    text = _TIME_TAIL.sub("", text.strip())
    try:
        m = _DATE.fullmatch(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    if text.isdigit() and 20000 <= int(text) <= 80000:
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


class _Places:
    """Cached gazetteer lookups: a file repeats a few places thousands of times."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._areas: dict[str, Area | str] = {}
        self._townships: dict[tuple[str, str], Township | str] = {}

    def area(self, text: str) -> Area | str:
        found = self._areas.get(text)
        if found is None:
            try:
                found = self.gazetteer.area(text)
            except UnknownPlaceError as exc:
                found = f"{exc}：工作区应为北京市的区或北京经济技术开发区"
            self._areas[text] = found
        return found

    def township(self, text: str, district: str) -> Township | str:
        key = (text, district)
        found = self._townships.get(key)
        if found is None:
            try:
                found = self.gazetteer.township(text, district)
            except UnknownPlaceError as exc:
                found = f"{exc}（应为{district}的乡镇或街道）"
            self._townships[key] = found
        return found


class _Row:
    """The cells of one row by key, and the errors found in it."""

    __slots__ = ("cells", "errors", "index", "number")

    def __init__(self, number: int, cells: list[str], index: dict[str, int]) -> None:
        self.number = number
        self.cells = cells
        self.index = index
        self.errors: list[RowError] = []

    def get(self, key: str) -> str:
        i = self.index.get(key)
        return self.cells[i] if i is not None else ""

    def error(self, key: str, value: str, message: str) -> None:
        self.errors.append(RowError(self.number, _HEADER[key], value, message))

    def integer(self, key: str, *, low: int, high: int, expect: str) -> int | None:
        text = self.get(key)
        if not text:
            return None
        clean = text.removesuffix("元").removesuffix("岁").removesuffix("人").replace(",", "")
        if clean.endswith(".0"):
            clean = clean[:-2]
        if clean.isdigit() and low <= int(clean) <= high:
            return int(clean)
        self.error(key, text, f"{_HEADER[key]}应为{expect}，实际为“{text}”")
        return None


def _check_kind(row: _Row, kind: str, uploader: str, bureau: bool) -> None:
    if not kind:
        row.error("kind", "", "岗位类型为必填项：" + "、".join(POST_KINDS))
    elif kind not in POST_KINDS:
        row.error("kind", kind, f"岗位类型“{kind}”无效：应为{'、'.join(POST_KINDS)}之一")
    elif not bureau and kind == PUBLIC_WELFARE:
        row.error(
            "kind",
            kind,
            f"公益性岗位只能由输出区人社局上传（托底安置本区就业困难人员），{uploader}不能上传",
        )
    elif not bureau and kind != DIRECTED:
        row.error(
            "kind",
            kind,
            f"{uploader}作为对接方只能上传定向招聘岗位；{kind}岗位请由所在区人社局上传",
        )


def _row_post(
    row: _Row,
    *,
    uploader: str,
    bureau: bool,
    agreements: Sequence[Agreement],
    today: dt.date,
    places: _Places,
    existing: Mapping[str, Post],
) -> Post | None:
    external_id = row.get("external_id")
    if not external_id:
        row.error("external_id", "", "岗位编号为必填项：请为每个岗位填写本单位内唯一的编号")
    title = row.get("title")
    if not title:
        row.error("title", "", "岗位名称为必填项")
    elif len(title) > MAX_TITLE:
        row.error("title", title, f"岗位名称过长（{len(title)}字）：请控制在{MAX_TITLE}字以内")
    kind = row.get("kind")
    _check_kind(row, kind, uploader, bureau)
    employer = row.get("employer")
    if not employer:
        row.error("employer", "", "用人单位为必填项：请填写单位全称")

    raw_code = row.get("employer_code")
    code = normalize_credit_code(raw_code)
    code_ok = False
    if code:
        problem = credit_code_problem(code)
        if problem:
            row.error("employer_code", raw_code, problem)
        else:
            code_ok = True
    elif kind == DIRECTED:
        row.error("employer_code", "", "定向招聘岗位须填写用人单位的统一社会信用代码（18位）")

    district = township = ""
    township_code = ""
    raw_district = row.get("district")
    if not raw_district:
        row.error("district", "", "工作区为必填项：北京市的区或北京经济技术开发区")
    else:
        area = places.area(raw_district)
        if isinstance(area, str):
            row.error("district", raw_district, area)
        else:
            district = area.name
            raw_township = row.get("township")
            if raw_township:
                found = places.township(raw_township, district)
                if isinstance(found, str):
                    row.error("township", raw_township, found)
                else:
                    township, township_code = found.name, found.code

    if kind == DIRECTED and code_ok:
        allowed = directed_allowed(
            uploader, code, agreements, today, township_code=township_code or None
        )
        if not allowed:
            row.error(
                "employer_code",
                raw_code,
                f"用人单位“{employer}”（{code}）不在{uploader}{today.year}年有效的人岗对接协议中："
                "请核对统一社会信用代码，或请输出区先备案包含该单位的协议",
            )

    headcount = row.integer("headcount", low=1, high=100_000, expect="不小于1的整数")
    if headcount is None and not row.get("headcount"):
        row.error("headcount", "", "招聘人数为必填项：不小于1的整数")
    expect_age = f"{MIN_AGE}–{MAX_AGE}之间的整数"
    min_age = row.integer("min_age", low=MIN_AGE, high=MAX_AGE, expect=expect_age)
    max_age = row.integer("max_age", low=MIN_AGE, high=MAX_AGE, expect=expect_age)
    if min_age is not None and max_age is not None and min_age > max_age:
        row.error("max_age", str(max_age), f"最高年龄（{max_age}）不能小于最低年龄（{min_age}）")
    salary_min = row.integer("salary_min", low=0, high=1_000_000, expect="非负整数（元/月）")
    salary_max = row.integer("salary_max", low=0, high=1_000_000, expect="非负整数（元/月）")
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        row.error(
            "salary_max",
            str(salary_max),
            f"月薪上限（{salary_max}）不能低于月薪下限（{salary_min}）：请检查是否填反",
        )

    raw_education = row.get("education")
    education, ok = _education(raw_education)
    if not ok:
        row.error(
            "education",
            raw_education,
            f"学历要求应为{'、'.join(EDUCATION_LEVELS)}或“不限”，实际为“{raw_education}”",
        )
    raw_lodging = row.get("lodging")
    lodging = _YES_NO.get(raw_lodging.lower(), None) if raw_lodging else False
    if lodging is None:
        row.error("lodging", raw_lodging, f"提供住宿应填“是”或“否”，实际为“{raw_lodging}”")
    schedule = row.get("schedule") or None
    if schedule is not None and schedule not in SCHEDULES:
        row.error(
            "schedule", schedule, f"工作形式应为{'、'.join(SCHEDULES)}之一，实际为“{schedule}”"
        )

    closes_on = None
    raw_closes = row.get("closes_on")
    if raw_closes:
        closes_on = parse_date(raw_closes)
        if closes_on is None:
            row.error(
                "closes_on",
                raw_closes,
                f"截止日期“{raw_closes}”无法识别：请写作 2026-12-31、2026/12/31 或 2026年12月31日",
            )
        elif closes_on < today:
            row.error(
                "closes_on",
                raw_closes,
                f"截止日期{closes_on.isoformat()}已过（今天是{today.isoformat()}）：请填写今天或以后的日期",
            )

    for_townships = _for_townships(row, kind, uploader, places)

    post_id = make_post_id(uploader, external_id)
    before = existing.get(post_id)
    if before is not None and headcount is not None and headcount < before.hires:
        row.error(
            "headcount",
            str(headcount),
            f"招聘人数（{headcount}）不能少于该岗位已录用的{before.hires}人",
        )
    if row.errors or headcount is None or lodging is None:
        return None
    return Post(
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
        address=row.get("address"),
        min_age=min_age,
        max_age=max_age,
        education=education,
        skills=row.get("skills"),
        certificates=split_list(row.get("certificates")),
        description=row.get("description"),
        salary_min=salary_min,
        salary_max=salary_max,
        lodging=lodging,
        schedule=schedule,
        closes_on=closes_on,
        for_townships=for_townships,
        contact=row.get("contact"),
        status=before.status if before is not None else "open",
        hires=before.hires if before is not None else 0,
        created_on=before.created_on if before is not None else None,
        updated_on=before.updated_on if before is not None else None,
    )


def _for_townships(row: _Row, kind: str, uploader: str, places: _Places) -> tuple[str, ...]:
    raw = row.get("for_townships")
    if kind != PUBLIC_WELFARE:
        if raw:
            row.error("for_townships", raw, "面向乡镇仅用于公益性岗位：其他类型的岗位请留空")
        return ()
    if uploader not in OUTER_DISTRICTS:
        return ()  # the kind is already refused for a partner area
    if not raw:
        row.error(
            "for_townships",
            "",
            f"公益性岗位须在面向乡镇中填写所服务的{uploader}乡镇（街道），多个用“、”分隔",
        )
        return ()
    codes: list[str] = []
    for name in split_list(raw):
        found = places.township(name, uploader)
        if isinstance(found, str):
            row.error("for_townships", name, f"面向乡镇须为本区（{uploader}）的乡镇：{found}")
        elif found.code not in codes:
            codes.append(found.code)
    return tuple(codes)


def parse_posts(
    table: Table,
    *,
    uploader: str,
    agreements: Sequence[Agreement],
    today: dt.date,
    gazetteer: Gazetteer,
    existing: Mapping[str, Post] | None = None,
) -> UploadResult:
    """Validate an upload's rows for ``uploader`` (an area name): posts and every error.

    ``existing`` maps post ids to the posts already stored, so that a re-upload keeps their
    hires, state and creation date and cannot cut 招聘人数 below the hires recorded.
    """
    area = gazetteer.area(uploader)
    uploader = area.name
    bureau = uploader in OUTER_DISTRICTS
    index, header_errors = map_headers(table.headers, POST_COLUMNS)
    data_rows = [(n, cells) for n, cells in table.numbered() if any(cells)]
    if header_errors:
        return UploadResult((), tuple(header_errors), len(data_rows), len(data_rows))
    places = _Places(gazetteer)
    existing = existing or {}
    first_row: dict[str, int] = {}
    posts: list[Post] = []
    post_rows: list[int] = []
    errors: list[RowError] = []
    rejected = 0
    for number, cells in data_rows:
        row = _Row(number, cells, index)
        post = _row_post(
            row,
            uploader=uploader,
            bureau=bureau,
            agreements=agreements,
            today=today,
            places=places,
            existing=existing,
        )
        external_id = row.get("external_id")
        if external_id:
            first = first_row.setdefault(external_id, number)
            if first != number:
                row.error(
                    "external_id",
                    external_id,
                    f"岗位编号“{external_id}”与第{first}行重复：同一文件中每个岗位编号只能出现一次",
                )
                post = None
        if row.errors:
            rejected += 1
            errors.extend(row.errors)
        elif post is not None:
            posts.append(post)
            post_rows.append(number)
    return UploadResult(tuple(posts), tuple(errors), len(data_rows), rejected, tuple(post_rows))


__all__ = ["MAX_AGE", "MIN_AGE", "UploadResult", "parse_date", "parse_posts", "split_list"]
