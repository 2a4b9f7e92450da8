"""The roster (核实记录表, DESIGN §4): its columns and the validation of every row.

:func:`parse_roster` turns a :class:`~features.tabular.Table` into :class:`Laborer` values and
every row error at once (Chinese, with row, column, value and what was expected). ID numbers
and phone numbers never appear in an error: their value is masked. People outside working age
or excluded are valid rows: they stay on the roster and are flagged by ``features.eligibility``.

The loop is plain Python over lists, with the gazetteer lookups cached per (district,
township) pair, since a 100,000-row file names only a few hundred places.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from features.eligibility import AgeLimits
from features.errors import UnknownPlaceError
from features.gazetteer import Gazetteer, Township
from features.idcard import (
    IdNumberError,
    check_digit,
    mask_id_number,
    mask_phone,
    parse_id_number,
)
from features.laborer import EDUCATION_LEVELS, EXCLUSIONS, HEALTH_STATES, Laborer
from features.tabular import Column, RowError, Table, is_digits, map_headers

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
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_PHONE = re.compile(r"^\+?[\d\- ]{7,20}$")


@dataclass(frozen=True, slots=True)
class RosterParse:
    """The valid rows as laborers (with their row numbers) and every error found."""

    laborers: list[Laborer]
    errors: list[RowError]
    rows: list[int]  # the spreadsheet row number of each laborer, in the same order

    @property
    def rejected_rows(self) -> int:
        """How many data rows had at least one error."""
        return len({e.row for e in self.errors if e.row > 1})


def split_items(text: str) -> tuple[str, ...]:
    """Free text split on 、,;，； and spaces, empty items dropped."""
    if not text:
        return ()
    return tuple(filter(None, _SPLIT.split(text)))


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


class _Row:
    """The errors of one row, with the helpers that add them (cheap: one per row)."""

    __slots__ = ("errors", "row")

    def __init__(self, row: int) -> None:
        self.row = row
        self.errors: list[RowError] = []

    def bad(self, key: str, value: str, message: str) -> None:
        self.errors.append(
            RowError(self.row, COLUMN_BY_KEY[key].header, _masked(key, value), message)
        )

    def pick(self, key: str, text: str, mapping: Mapping[str, object], default: object) -> object:
        if not text:
            if COLUMN_BY_KEY[key].required:
                header = COLUMN_BY_KEY[key].header
                self.bad(key, "", f"“{header}”为必填项，应填写{_choices(mapping)}之一")
            return default
        found = mapping.get(text, _MISSING)
        if found is _MISSING:
            self.bad(key, text, f"应填写{_choices(mapping)}之一")
            return default
        return found


_KEYS: tuple[str, ...] = tuple(c.key for c in ROSTER_COLUMNS)


def parse_roster(
    table: Table,
    *,
    secret: str,
    as_of: dt.date,
    limits: AgeLimits,
    gazetteer: Gazetteer,
) -> RosterParse:
    """Validate every row of a roster table; return the laborers and all the errors at once."""
    del limits  # people outside working age are valid rows, flagged later, not rejected
    index, errors = map_headers(table.headers, ROSTER_COLUMNS)
    if any(e.message.startswith("缺少必填列") for e in errors):
        return RosterParse([], errors, [])
    if not any(any(r) for r in table.rows):
        errors.append(RowError(2, "", "", "文件中没有数据行：请在表头下方逐行填写人员信息"))
        return RosterParse([], errors, [])
    header_errors = bool(errors)
    places = _PlaceCache(gazetteer)
    keyed_hash = _keyed_hash(secret)
    laborers: list[Laborer] = []
    rows: list[int] = []
    first_row_of: dict[str, int] = {}
    # Absent optional columns read the empty cell appended at the end of every row.
    width = len(table.headers)
    fetch = operator.itemgetter(*(index.get(k, width) for k in _KEYS))
    shape = _ID_SHAPE.match
    date = dt.date

    for row_no, cells in table.numbered():
        if not any(cells):
            continue
        cells.append("")
        (
            name, raw_id, sex_text, hukou_text, district_text, township_text, village, phone,
            education_text, exclusion_text, health_text, employment_text, registration_text,
            wants_text, business_text, training_text, desired_text, skills_text, certs_text,
            commute_text, lodging_text, family_text, months_text, difficulty_text,
        ) = fetch(cells)  # fmt: skip
        cells.pop()
        r = _Row(row_no)
        if not name:
            r.bad("name", "", "“姓名”为必填项")
        number, birth, sex, lid = "", as_of, "", ""
        if not raw_id:
            r.bad("id_number", "", "“公民身份号码”为必填项")
        else:
            parsed = _parse_id(raw_id, shape, date)
            if isinstance(parsed, str):
                r.bad("id_number", raw_id, parsed)
            else:
                number, birth, sex = parsed
                if birth > as_of:
                    r.bad(
                        "id_number",
                        raw_id,
                        f"号码中的出生日期晚于核实日期{as_of.isoformat()}，请核对号码",
                    )
                lid = keyed_hash(number)
                first = first_row_of.get(lid)
                if first is not None:
                    r.bad(
                        "id_number",
                        raw_id,
                        f"与第{first}行为同一人（公民身份号码重复），请删除重复行",
                    )
                else:
                    first_row_of[lid] = row_no
        if sex_text:
            given = _SEX.get(sex_text)
            if given is None:
                r.bad("sex", sex_text, "应填写男或女")
            elif sex and given != sex:
                r.bad(
                    "sex",
                    sex_text,
                    f"与公民身份号码不一致：号码显示为{sex}，请核对性别或号码",
                )
        hukou = _HUKOU.get(hukou_text) or r.pick("hukou", hukou_text, _HUKOU, "农业")
        district = ""
        township: Township | None = None
        if not district_text:
            r.bad("district", "", "“区”为必填项，应填写北京市的区，如通州区")
        else:
            found = places.district(district_text)
            if isinstance(found, UnknownPlaceError):
                r.bad("district", district_text, f"不是北京市的区{_hint(found)}")
            else:
                district = found
        if not township_text:
            r.bad("township", "", "“乡镇(街道)”为必填项")
        elif district:
            place = places.township(district, township_text)
            if isinstance(place, UnknownPlaceError):
                r.bad("township", township_text, f"{district}没有这个乡镇(街道){_hint(place)}")
            else:
                township = place
        if phone and not _PHONE.match(phone):
            r.bad("phone", phone, "应为手机号或固定电话号码（数字）")
        # The common case is one dict lookup; r.pick handles blanks and reports bad values.
        education = _EDUCATION.get(education_text) or r.pick(
            "education", education_text, _EDUCATION, None
        )
        exclusion = _EXCLUSION.get(exclusion_text) or r.pick(
            "exclusion", exclusion_text, _EXCLUSION, None
        )
        health = _HEALTH.get(health_text) or r.pick("health", health_text, _HEALTH, None)
        employment = _EMPLOYMENT.get(employment_text) or r.pick(
            "employment", employment_text, _EMPLOYMENT, "无业"
        )
        registration = _REGISTRATION.get(registration_text) or r.pick(
            "registration", registration_text, _REGISTRATION, "未登记"
        )
        wants_job = _bool(wants_text, _WISH) or r.pick("wants_job", wants_text, _WISH, False)
        wants_business = _bool(business_text, _WISH) or r.pick(
            "wants_business", business_text, _WISH, False
        )
        wants_training = _bool(training_text, _WISH) or r.pick(
            "wants_training", training_text, _WISH, False
        )
        lodging = _bool(lodging_text, _YES_NO) or r.pick(
            "accepts_lodging", lodging_text, _YES_NO, False
        )
        difficulty = _bool(difficulty_text, _YES_NO) or r.pick(
            "difficulty", difficulty_text, _YES_NO, False
        )
        commute: int | None = None
        if commute_text:
            if is_digits(commute_text) and int(commute_text) > 0:
                commute = int(commute_text)
            else:
                r.bad("max_commute_min", commute_text, "应为正整数（分钟），如60")
        months: int | None = None
        if months_text:
            if is_digits(months_text):
                months = int(months_text)
            else:
                r.bad("months_without_work", months_text, "应为0或正整数（月数），如6")
        if r.errors or header_errors or township is None:
            errors.extend(r.errors)
            continue
        laborers.append(
            Laborer(
                lid,
                name,
                number,
                sex,
                birth,
                hukou,  # type: ignore[arg-type]
                district,
                township.name,
                township.code,
                employment,  # type: ignore[arg-type]
                wants_job,  # type: ignore[arg-type]
                village,
                phone,
                education,  # type: ignore[arg-type]
                exclusion,  # type: ignore[arg-type]
                health,  # type: ignore[arg-type]
                registration,  # type: ignore[arg-type]
                wants_business,  # type: ignore[arg-type]
                wants_training,  # type: ignore[arg-type]
                split_items(desired_text),
                split_items(skills_text),
                split_items(certs_text),
                commute,
                lodging,  # type: ignore[arg-type]
                split_items(family_text),
                months,
                difficulty,  # type: ignore[arg-type]
            )
        )
        rows.append(row_no)
    return RosterParse(laborers, errors, rows)


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


def _bool(text: str, mapping: Mapping[str, bool]) -> bool:
    """True for a yes in ``mapping``; anything else (no, blank, bad) goes on to ``pick``."""
    return mapping.get(text) is True


def _hint(exc: UnknownPlaceError) -> str:
    return f"，是否为：{'、'.join(exc.suggestions)}" if exc.suggestions else ""


def _parse_id(
    raw: str, shape: Callable[[str], object], date: type[dt.date]
) -> tuple[str, dt.date, str] | str:
    """(number, birth, sex) or the Chinese error; a fast path for well-formed numbers."""
    if len(raw) != 18 or not shape(raw):
        if "e+" in raw.lower() or raw.endswith(".0"):
            return "公民身份号码被存成了数字（科学计数法），末几位已丢失：请把该列设为文本格式后重新填写"
        try:
            return parse_id_number(raw)
        except IdNumberError as exc:
            return str(exc)
    expected = check_digit(raw[:17])
    if raw[17] != expected:
        return f"公民身份号码校验位错误：末位应为 {expected}，请核对号码"
    try:
        birth = date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        return "公民身份号码中的出生日期不存在，请核对号码"
    # GB 11643: the 17th digit is odd for men, even for women.
    return raw, birth, ("男" if raw[16] in "13579" else "女")


_MISSING = object()


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


__all__ = ["COLUMN_BY_KEY", "ROSTER_COLUMNS", "RosterParse", "parse_roster", "split_items"]
