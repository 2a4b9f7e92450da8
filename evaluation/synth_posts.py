"""The posts and partner agreements of the synthetic Beijing.

Posts of every kind in plausible numbers and places; titles are real job-board titles from
``features/data/csco22_job_title_to_code.csv`` (blue-collar ones), and the safety-net titles of
DESIGN §2 for 公益性岗位. Directed posts come from the partner areas' employers named in the
agreements; the bureaus of the eight districts post their own workshops, sub-contracting points,
home-based work, public-welfare posts (with 面向乡镇) and open vacancies. Employers carry valid
统一社会信用代码 (GB 32100). Every proportion is a named constant; ``docs/synthetic-beijing.md``
lists them with their sources or says they are assumptions.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from catalogue.columns import POST_COLUMNS
from catalogue.credit_code import make_credit_code
from evaluation.synth_people import allocate
from features.gazetteer import DEVELOPMENT_AREA, OUTER_DISTRICTS, Township, load_gazetteer

# DESIGN §4 post headers (岗位信息表), in the order of the template.
POST_HEADERS: tuple[str, ...] = tuple(
    column.header for column in POST_COLUMNS if column.header != "联系方式"
)

# ---------------------------------------------------------------------------------------------
# Posts.
# Posts per person when ``posts`` is None (assumption: a demo needs enough places that most
# people can be pushed to, and few enough that capacity matters).
POSTS_PER_PERSON = 0.12
MIN_POSTS = 60
POST_KINDS_SHARE: tuple[tuple[str, float], ...] = (
    ("定向招聘", 0.24),
    ("扶贫车间", 0.12),
    ("村社代工点", 0.10),
    ("居家就业", 0.07),
    ("公益性岗位", 0.15),
    ("社会招聘", 0.32),
)
# 招聘人数: mostly 1–5; about one post in ten takes 6–30 (assumption).
HEADCOUNT_SMALL: tuple[tuple[int, float], ...] = (
    (1, 0.30),
    (2, 0.25),
    (3, 0.18),
    (4, 0.12),
    (5, 0.15),
)
LARGE_HEADCOUNT_SHARE = 0.10
LARGE_HEADCOUNT_RANGE = (6, 30)
# 月薪 (yuan per month) by kind: (low, high) of the lower bound; the upper bound adds 0–40%
# (assumption, set by hand around Beijing's minimum wage of 2,420 yuan a month from 2023-09).
# 公益性岗位 pay about the minimum wage.
SALARY_BY_KIND: Mapping[str, tuple[int, int]] = {
    "定向招聘": (4500, 7500),
    "扶贫车间": (2600, 4000),
    "村社代工点": (1800, 3500),
    "居家就业": (1000, 3000),
    "公益性岗位": (2420, 2800),
    "社会招聘": (3800, 7000),
}
LODGING_SHARE_BY_KIND: Mapping[str, float] = {
    "定向招聘": 0.60,
    "扶贫车间": 0.05,
    "村社代工点": 0.0,
    "居家就业": 0.0,
    "公益性岗位": 0.0,
    "社会招聘": 0.30,
}
SCHEDULE_BY_KIND: Mapping[str, tuple[tuple[str, float], ...]] = {
    "定向招聘": (("全职", 1.0),),
    "扶贫车间": (("全职", 0.6), ("灵活", 0.4)),
    "村社代工点": (("灵活", 0.6), ("兼职", 0.4)),
    "居家就业": (("居家", 1.0),),
    "公益性岗位": (("全职", 0.8), ("兼职", 0.2)),
    "社会招聘": (("全职", 0.85), ("兼职", 0.15)),
}
# Age limits: (share, min, max) choices; None is an empty cell (assumption from job boards).
AGE_LIMITS: tuple[tuple[float, int | None, int | None], ...] = (
    (0.25, None, None),
    (0.25, 18, 55),
    (0.20, 18, 50),
    (0.15, 20, 45),
    (0.15, 18, 60),
)
EDUCATION_REQUIRED_SHARE = 0.15  # 学历要求 初中 (or 高中 for a third of them; assumption)
CLOSES_IN_DAYS = (30, 150)  # 截止日期 this many days after ``today`` (assumption)
# 公益性岗位 that also serve a second township of the district (assumption).
SECOND_TOWNSHIP_SHARE = 0.2
# The safety-net titles of 公益性岗位 (DESIGN §2), with weights (assumption).
PUBLIC_WELFARE_TITLES: tuple[tuple[str, float], ...] = (
    ("公共设施维护员", 0.25),
    ("社区保安员", 0.20),
    ("劳动保障协管员", 0.15),
    ("城管协管员", 0.15),
    ("残疾人协管员", 0.10),
    ("居家养老(助残)员", 0.15),
)
# Certificates a post requires, by words of its title (a post requiring one names it).
CERTIFICATE_FOR_TITLE: tuple[tuple[str, str, float], ...] = (
    ("焊", "焊工证", 0.8),
    ("电工", "电工证", 0.8),
    ("叉车", "叉车证", 0.8),
    ("司机", "驾驶证C1", 0.9),
    ("驾驶", "驾驶证C1", 0.9),
    ("厨", "健康证", 0.5),
    ("面点", "健康证", 0.5),
    ("保安", "保安员证", 0.3),
)
SKILL_TEXT_FOR_TITLE: tuple[tuple[str, str], ...] = (
    ("焊", "电焊、气保焊，能看懂简单图纸"),
    ("电工", "低压电工，水电维修"),
    ("司机", "驾驶技术熟练，熟悉北京路况"),
    ("厨", "烹饪，中式烹调"),
    ("保洁", "保洁，物业清洁"),
    ("保安", "保安，秩序维护"),
    ("缝纫", "缝纫，会使用平缝机"),
    ("包装", "包装，分拣，手脚麻利"),
    ("分拣", "快递分拣，包装"),
    ("月嫂", "育婴，母婴护理"),
    ("育婴", "育婴，母婴护理"),
    ("客服", "电脑操作，普通话标准"),
    ("维修", "设备维修，水电维修"),
    ("收银", "收银，电脑操作"),
    ("服务员", "餐饮服务，传菜"),
)

# Titles from real job boards (features/data/csco22_job_title_to_code.csv): blue-collar words
# in, office and management words out, and titles naming a city outside Beijing out.
# fmt: off
_BLUE_COLLAR = (
    "普工", "操作工", "司机", "厨", "服务员", "收银", "电工", "焊", "保安", "保洁", "月嫂", "包装", "搬运", "仓库", "仓管",
    "分拣", "缝纫", "维修", "保姆", "育婴", "护工", "装配", "配送", "快递", "绿化", "养殖", "种植", "洗碗", "帮厨", "面点",
    "配菜", "理货", "叉车", "装卸", "家政", "养老", "护理", "客房", "传菜", "水电", "木工", "瓦工", "钢筋", "油漆", "清洁",
    "洗车", "质检", "手工", "编织", "串珠", "打包", "门卫", "物业", "钳工", "车工",
)
# fmt: on
# fmt: off
_NOT_BLUE_COLLAR = (
    "主管", "经理", "总监", "工程师", "实习", "储备", "助理", "专员", "...", "讲师", "老师", "设计", "销售", "文员", "督导",
    "顾问", "管理", "金融", "保险", "董事长", "滴滴", "网吧", "网咖", "上海", "福州", "曲靖", "珠海", "深圳", "广州", "成都",
    "武汉", "杭州", "南京", "山东", "九江", "苏州", "东莞", "重庆", "天津", "西安", "长沙", "郑州", "厦门", "青岛", "宁波",
    "合肥", "济南", "沈阳", "大连", "昆明", "南昌", "贵阳", "漳州", "蚌埠", "福建", "湖南", "关山", "迪士尼", "港", "无锡", "武威", "绍兴", "闽侯",
    "南通", "武进", "洛阳", "美容", "泰兴", "湖州", "江夏", "织里", "衡阳",
    "荆门", "正东",
)
# fmt: on
# Share of directed and open posts whose title suits the employer's industry (assumption).
TITLE_FROM_INDUSTRY_SHARE = 0.5
# Which titles suit which kind (by words of the title); other kinds take any blue-collar title.
_KIND_TITLE_WORDS: Mapping[str, tuple[str, ...]] = {
    "扶贫车间": ("缝纫", "包装", "打包", "普工", "分拣", "装配", "手工", "质检", "操作工", "面点"),
    "村社代工点": ("包装", "打包", "手工", "分拣", "缝纫", "串珠", "编织", "普工"),
    "居家就业": ("电话客服", "网络客服", "在线客服", "手工", "编织", "串珠", "缝纫"),
}
# Home-based work rarely reaches job boards; these plain titles complete the pool (assumption).
HOME_TITLES_EXTRA = ("手工编织", "居家手工串珠", "居家电话客服", "来料加工手工活")

# ---------------------------------------------------------------------------------------------
# Partner agreements. The pairings are illustrative: each outer district gets one inner or new
# district and, where plausible, 北京经济技术开发区 or a neighbour (not the city's actual list).
PARTNERS: Mapping[str, tuple[str, ...]] = {
    "通州区": ("朝阳区", DEVELOPMENT_AREA),
    "大兴区": ("西城区", DEVELOPMENT_AREA),
    "门头沟区": ("东城区", "石景山区"),
    "房山区": ("丰台区", "海淀区"),
    "平谷区": ("东城区", "顺义区"),
    "怀柔区": ("海淀区", "朝阳区"),
    "密云区": ("西城区", "昌平区"),
    "延庆区": ("海淀区", "昌平区"),
}
EMPLOYERS_PER_PARTNER = (3, 6)  # directed employers per (district, partner) pair, inclusive
PLAN_HIRES = (100, 400)  # 年度计划 target hires per agreement (assumption)
# fmt: off
_BRANDS = (
    "华鑫", "京顺", "恒通", "嘉禾", "盛达", "瑞丰", "安泰", "宏远", "鼎盛", "泰和", "天润", "金源", "博远", "长城", "康达",
    "众诚",
)
# fmt: on
_INDUSTRIES = (
    ("物业管理", "保洁"),
    ("保安服务", "保安"),
    ("物流", "分拣"),
    ("餐饮管理", "厨"),
    ("食品", "包装"),
    ("汽车零部件", "普工"),
    ("家政服务", "家政"),
    ("养老服务", "护理"),
    ("园林绿化", "绿化"),
    ("电子科技", "装配"),
)


def _gbk_safe(text: str) -> bool:
    # Districts still save CSV as GBK; a title with an emoji could not be written that way.
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _job_titles() -> dict[str, tuple[str, ...]]:
    """Blue-collar job-board titles, all and by kind."""
    source = resources.files("features") / "data" / "csco22_job_title_to_code.csv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    titles = sorted(
        {
            r["job_name"].strip()
            for r in rows
            if r["expected_code"][:1] in ("4", "6")
            and any(w in r["job_name"] for w in _BLUE_COLLAR)
            and not any(w in r["job_name"] for w in _NOT_BLUE_COLLAR)
            and len(r["job_name"]) <= 30
            and _gbk_safe(r["job_name"])
            and "招聘" not in r["job_name"][1:]  # "<company>招聘<title>": another city's firm
        }
    )
    out: dict[str, tuple[str, ...]] = {"": tuple(titles)}
    for kind, words in _KIND_TITLE_WORDS.items():
        out[kind] = tuple(t for t in titles if any(w in t for w in words))
    out["居家就业"] = tuple(sorted({*out["居家就业"], *HOME_TITLES_EXTRA}))
    return out


# ---------------------------------------------------------------------------------------------
# Agreements and posts.


@dataclass(frozen=True, slots=True)
class _DirectedEmployer:
    district: str  # the output district
    partner: str  # the partner area, which uploads the posts
    name: str
    code: str
    industry_word: str  # a title word that suits the employer


def _area_short(area: str) -> str:
    return "亦庄" if area == DEVELOPMENT_AREA else area.removesuffix("区")


def generate_agreements(
    rng: np.random.Generator, year: int
) -> tuple[list[dict[str, Any]], list[_DirectedEmployer]]:
    """One agreement per outer district with its partners and their directed employers."""
    gazetteer = load_gazetteer()
    agreements: list[dict[str, Any]] = []
    employers: list[_DirectedEmployer] = []
    names: set[str] = set()
    serial = 0
    for district in OUTER_DISTRICTS:
        listed: list[dict[str, str]] = []
        for partner in PARTNERS[district]:
            region = gazetteer.area(partner).code[:6]
            lo, hi = EMPLOYERS_PER_PARTNER
            for _ in range(int(rng.integers(lo, hi + 1))):
                while True:
                    brand = _BRANDS[int(rng.integers(len(_BRANDS)))]
                    industry, word = _INDUSTRIES[int(rng.integers(len(_INDUSTRIES)))]
                    name = f"北京{_area_short(partner)}{brand}{industry}有限公司"
                    if name not in names:
                        break
                names.add(name)
                serial += 1
                code = make_credit_code(100000 + serial, region=region)
                listed.append({"name": name, "code": code})
                employers.append(_DirectedEmployer(district, partner, name, code, word))
        lo, hi = PLAN_HIRES
        agreements.append(
            {
                "output_district": district,
                "partners": list(PARTNERS[district]),
                "year": year,
                "employers": listed,
                "plan_hires": int(rng.integers(lo, hi + 1)) // 10 * 10,
                "status": "生效",
            }
        )
    return agreements, employers


_KIND_PREFIX: Mapping[str, str] = {
    "定向招聘": "DX",
    "扶贫车间": "CJ",
    "村社代工点": "DG",
    "居家就业": "JJ",
    "公益性岗位": "GY",
    "社会招聘": "SH",
}
_DESCRIPTIONS: Mapping[str, str] = {
    "定向招聘": "人岗对接定向招聘，{district}劳动者优先，签订劳动合同，缴纳社会保险。",
    "扶贫车间": "就近就业扶贫车间，离家近，可照顾家庭，计件加保底。",
    "村社代工点": "村内代工点，来料加工，时间灵活，按件计酬。",
    "居家就业": "居家手工或线上工作，企业提供材料和培训，按件结算。",
    "公益性岗位": "托底安置公益性岗位，面向本乡镇就业困难人员，按月发放岗位补贴。",
    "社会招聘": "长期招聘，表现优秀可转正，缴纳社会保险。",
}
_WORKSHOP_INDUSTRIES = ("服装加工", "食品加工", "电子元件", "手工艺品", "农产品加工")
# fmt: off
_ROADS = (
    "兴华", "建设", "光明", "振兴", "富强", "育才", "顺安", "通惠", "京津", "新华", "永安", "和平",
)
# fmt: on


class _Dice:
    """Uniforms drawn up front for one post, handed out in turn (much faster than a numpy
    call per choice)."""

    __slots__ = ("_i", "_u")

    def __init__(self, uniforms: list[float]) -> None:
        self._u = uniforms
        self._i = 0

    def u(self) -> float:
        value = self._u[self._i]
        self._i += 1
        return value

    def index(self, n: int) -> int:
        return min(int(self.u() * n), n - 1)

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + self.index(high - low + 1)

    def pick(self, table: Sequence[tuple[Any, float]]) -> Any:
        values, cumulative = _cumulative(tuple(table))
        at = bisect.bisect_right(cumulative, self.u() * cumulative[-1])
        return values[min(at, len(values) - 1)]


_UNIFORMS_PER_POST = 32  # more than any post uses (at most 21)


@cache
def _cumulative(table: tuple[tuple[Any, float], ...]) -> tuple[tuple[Any, ...], list[float]]:
    return tuple(v for v, _ in table), list(itertools.accumulate(w for _, w in table))


@cache
def _suited_titles(kind: str, word: str) -> tuple[str, ...]:
    titles = _job_titles()
    pool = titles.get(kind) or titles[""]
    if word:
        suited = tuple(t for t in pool if word in t)
        if suited:
            return suited
    return pool


def _title_for(dice: _Dice, kind: str, word: str = "") -> str:
    if kind == "公益性岗位":
        return str(dice.pick(PUBLIC_WELFARE_TITLES))
    suits = word and dice.u() < TITLE_FROM_INDUSTRY_SHARE
    pool = _suited_titles(kind, word if suits else "")
    return pool[dice.index(len(pool))]


def _township_weights(townships: Sequence[Township], kind: str) -> tuple[tuple[int, float], ...]:
    # Workshops, sub-contracting points and home-based work sit where rural people live;
    # open vacancies and public-welfare posts spread wider (assumption).
    base = 1.0 if kind in ("社会招聘", "公益性岗位") else 0.1
    return tuple((i, t.rural_units + base) for i, t in enumerate(townships))


def _post_row(
    dice: _Dice,
    *,
    external_id: str,
    title: str,
    kind: str,
    employer: str,
    code: str,
    area: str,
    township: str,
    address: str,
    for_townships: str,
    today: dt.date,
    audience: str,
) -> dict[str, str]:
    if kind == "公益性岗位":
        headcount = dice.between(1, 3)
    elif dice.u() < LARGE_HEADCOUNT_SHARE:
        headcount = dice.between(*LARGE_HEADCOUNT_RANGE)
    else:
        headcount = int(dice.pick(HEADCOUNT_SMALL))
    min_age: int | None = None
    max_age: int | None = None
    if kind not in ("居家就业", "公益性岗位"):
        min_age, max_age = dice.pick([((lo, hi), share) for share, lo, hi in AGE_LIMITS])
    education = ""
    if kind in ("定向招聘", "社会招聘") and dice.u() < EDUCATION_REQUIRED_SHARE:
        education = "高中" if dice.u() < 1 / 3 else "初中"
    certificate = ""
    for word, cert, share in CERTIFICATE_FOR_TITLE:
        if word in title:
            if dice.u() < share:
                certificate = cert
            break
    skills = next((text for word, text in SKILL_TEXT_FOR_TITLE if word in title), "")
    low, high = SALARY_BY_KIND[kind]
    salary_min = int(low + dice.u() * (high - low)) // 100 * 100
    salary_max = int(salary_min * (1 + 0.4 * dice.u())) // 100 * 100
    lodging = dice.u() < LODGING_SHARE_BY_KIND[kind]
    days = dice.between(*CLOSES_IN_DAYS)
    return {
        "岗位编号": external_id,
        "岗位名称": title,
        "岗位类型": kind,
        "用人单位": employer,
        "统一社会信用代码": code,
        "工作区": area,
        "工作乡镇(街道)": township,
        "工作地址": address,
        "招聘人数": str(headcount),
        "最低年龄": "" if min_age is None else str(min_age),
        "最高年龄": "" if max_age is None else str(max_age),
        "学历要求": education,
        "技能要求": skills,
        "证书要求": certificate,
        "岗位描述": _DESCRIPTIONS[kind].format(district=audience),
        "月薪下限": str(salary_min),
        "月薪上限": str(max(salary_max, salary_min)),
        "提供住宿": "是" if lodging else "否",
        "工作形式": str(dice.pick(SCHEDULE_BY_KIND[kind])),
        "截止日期": (today + dt.timedelta(days=days)).isoformat(),
        "面向乡镇": for_townships,
    }


def generate_posts(
    rng: np.random.Generator,
    total: int,
    employers: Sequence[_DirectedEmployer],
    today: dt.date,
) -> dict[str, list[dict[str, str]]]:
    """``total`` posts of every kind, by uploader (outer districts first, then partners)."""
    gazetteer = load_gazetteer()
    kinds = [k for k, _ in POST_KINDS_SHARE]
    counts = allocate([round(s * 1000) for _, s in POST_KINDS_SHARE], total)
    by_uploader: dict[str, list[dict[str, str]]] = {d: [] for d in OUTER_DISTRICTS}
    numbers: dict[tuple[str, str], int] = {}
    district_weights = tuple(
        (d, float(sum(t.rural_units for t in gazetteer.townships_of(d)))) for d in OUTER_DISTRICTS
    )
    townships_of = {a.name: gazetteer.townships_of(a.name) for a in gazetteer.areas}
    weights_of: dict[tuple[str, str], tuple[tuple[int, float], ...]] = {}
    uniforms = rng.random((total, _UNIFORMS_PER_POST)).tolist()
    serial = 0

    def next_id(uploader: str, kind: str) -> str:
        n = numbers.get((uploader, kind), 0) + 1
        numbers[(uploader, kind)] = n
        return f"{_KIND_PREFIX[kind]}{today.year}{n:05d}"

    for kind, count in zip(kinds, counts, strict=True):
        for _ in range(count):
            dice = _Dice(uniforms[serial])
            serial += 1
            road = _ROADS[dice.index(len(_ROADS))]
            number = dice.between(1, 299)
            if kind == "定向招聘":
                emp = employers[dice.index(len(employers))]
                area = emp.partner
                places = townships_of[area] if area != DEVELOPMENT_AREA else []
                town = places[dice.index(len(places))].name if places else ""
                row = _post_row(
                    dice,
                    external_id=next_id(area, kind),
                    title=_title_for(dice, kind, emp.industry_word),
                    kind=kind,
                    employer=emp.name,
                    code=emp.code,
                    area=area,
                    township=town,
                    address=f"北京市{area}{town}{road}路{number}号",
                    for_townships="",
                    today=today,
                    audience=emp.district,
                )
                by_uploader.setdefault(area, []).append(row)
                continue
            district = str(dice.pick(district_weights))
            townships = townships_of[district]
            if (district, kind) not in weights_of:
                weights_of[(district, kind)] = _township_weights(townships, kind)
            t = townships[int(dice.pick(weights_of[(district, kind)]))]
            region = t.district_code[:6]
            brand = _BRANDS[dice.index(len(_BRANDS))]
            industry, word = _INDUSTRIES[dice.index(len(_INDUSTRIES))]
            for_townships = ""
            if kind == "公益性岗位":
                organ = "人民政府" if t.unit_type in ("镇", "乡", "地区") else "街道办事处"
                employer = f"北京市{district}{t.name.removesuffix('街道')}{organ}"
                code = make_credit_code(500000 + serial, region=region, authority="1")  # 机关
                for_townships = t.name
                if dice.u() < SECOND_TOWNSHIP_SHARE and len(townships) > 1:
                    other = townships[dice.index(len(townships))]
                    if other.code != t.code:
                        for_townships += f"、{other.name}"
                word = ""
            elif kind == "扶贫车间":
                industry = _WORKSHOP_INDUSTRIES[dice.index(len(_WORKSHOP_INDUSTRIES))]
                employer = f"北京{brand}{industry}有限公司{t.name}扶贫车间"
                code = make_credit_code(200000 + serial, region=region)
                word = ""
            elif kind == "村社代工点":
                employer = f"{t.name}{brand}手工艺品加工代工点"
                code = make_credit_code(300000 + serial, region=region, kind="2")  # 个体
                word = ""
            elif kind == "居家就业":
                employer = f"北京{brand}文化创意有限公司"
                code = make_credit_code(400000 + serial, region=region)
                word = ""
            else:
                employer = f"北京{_area_short(district)}{brand}{industry}有限公司"
                code = make_credit_code(600000 + serial, region=region)
            row = _post_row(
                dice,
                external_id=next_id(district, kind),
                title=_title_for(dice, kind, word),
                kind=kind,
                employer=employer,
                code=code,
                area=district,
                township=t.name,
                address=f"北京市{district}{t.name}{road}路{number}号",
                for_townships=for_townships,
                today=today,
                audience=district,
            )
            by_uploader[district].append(row)
    return {u: rows for u, rows in by_uploader.items() if rows}


__all__ = [
    "POST_HEADERS",
    "generate_agreements",
    "generate_posts",
]
