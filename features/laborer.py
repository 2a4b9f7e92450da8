"""The laborer: one member of a low-income rural household, as the roster knows them.

A :class:`Laborer` holds what the verification record (核实记录表, DESIGN §4) says, already
validated; values that are Chinese in the file stay Chinese here (``sex`` is 男/女,
``employment`` is 已就业/务农/无业), since they are data, not identifiers. What follows from it
(age on a date, working age, status, tier) is computed by the functions of ``features``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

# DESIGN §4: 文化程度, lowest first; the index is the level used for comparisons.
EDUCATION_LEVELS: tuple[str, ...] = ("小学及以下", "初中", "高中", "中专", "大专", "本科及以上")
EXCLUSIONS: tuple[str, ...] = (
    "在校学生",
    "本年度高校毕业生",
    "现役军人",
    "监押服刑",
    "完全丧失劳动能力",
)
EMPLOYMENT_STATES: tuple[str, ...] = ("已就业", "务农", "无业")
REGISTRATIONS: tuple[str, ...] = ("转移就业登记", "失业登记", "未登记")
HEALTH_STATES: tuple[str, ...] = ("健康", "一般", "残疾")
TIERS: tuple[str, ...] = ("general", "key", "special")
TIER_NAMES: dict[str, str] = {"general": "一般帮扶", "key": "重点帮扶", "special": "特殊帮扶"}


def education_level(education: str | None) -> int:
    """The rank of a 文化程度 (0 = 小学及以下 … 5 = 本科及以上); unknown counts as 初中 (1)."""
    if education in EDUCATION_LEVELS:
        return EDUCATION_LEVELS.index(education)
    return 1


@dataclass(frozen=True, slots=True)
class Laborer:
    """A validated roster row. ``laborer_id`` is the keyed hash of ``id_number``."""

    laborer_id: str
    name: str
    id_number: str
    sex: str  # 男 / 女, from the ID number
    birth_date: dt.date
    hukou: str  # 农业 / 非农业
    district: str  # district name, e.g. 通州区
    township: str  # township name, e.g. 永乐店镇
    township_code: str  # 12-digit statistics code
    employment: str  # 已就业 / 务农 / 无业
    wants_job: bool
    village: str = ""
    phone: str = ""
    education: str | None = None
    exclusion: str | None = None  # one of EXCLUSIONS, or None
    health: str | None = None
    registration: str = "未登记"
    wants_business: bool = False
    wants_training: bool = False
    desired_jobs: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    max_commute_min: int | None = None
    accepts_lodging: bool = False
    family: tuple[str, ...] = ()
    months_without_work: int | None = None
    difficulty: bool = False  # 就业困难人员, confirmed by the district
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def age_on(self, day: dt.date) -> int:
        """Age in whole years on ``day``."""
        return years_between(self.birth_date, day)


# The fields of a laborer as a row of values (``Laborer(*row)``), without ``extra``.
LABORER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Laborer) if f.name != "extra")
FIELD_AT: dict[str, int] = {name: i for i, name in enumerate(LABORER_FIELDS)}


def years_between(birth: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day`` of someone born on ``birth``."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


__all__ = [
    "EDUCATION_LEVELS",
    "EMPLOYMENT_STATES",
    "EXCLUSIONS",
    "FIELD_AT",
    "HEALTH_STATES",
    "LABORER_FIELDS",
    "REGISTRATIONS",
    "TIERS",
    "TIER_NAMES",
    "Laborer",
    "education_level",
    "years_between",
]
