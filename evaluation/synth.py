"""A synthetic Beijing: a seeded, reproducible roster, posts and partner agreements.

People of the eight outer districts are spread over their townships in proportion to the
townships' rural units (``Township.rural_units``, the 2016 count of 村委会-like units, a rough
proxy for rural population). Every proportion below is a named constant with its source or, where
no public figure fits, marked as an assumption; ``docs/synthetic-beijing.md`` lists them all.

National figures come from 国家统计局《2023年农民工监测调查报告》 (published 2024-04): mean age
of rural migrant workers 43.1, 30.6% over 50; education mostly 初中 (about half), about 15% 小学
or less. The roster here is of low-income rural households, so education is shifted lower and
disability made more common than among migrant workers (assumptions, said where they apply).

Everything is drawn from one ``numpy.random.Generator`` seeded by ``seed``, so a seed gives the
same world byte for byte. Rows are keyed by the Chinese headers of DESIGN §4; values use the
vocabularies the imports accept (是/否, 有/无, 男/女 …). No laborer ids are made here: they depend
on the deployment's secret.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from catalogue.credit_code import make_credit_code
from features.gazetteer import DEVELOPMENT_AREA, OUTER_DISTRICTS, Township, load_gazetteer
from features.idcard import make_id_number

# ---------------------------------------------------------------------------------------------
# Headers (DESIGN §4), in the order of the template.
ROSTER_HEADERS: tuple[str, ...] = (
    "姓名",
    "公民身份号码",
    "性别",
    "户籍性质",
    "区",
    "乡镇(街道)",
    "村(社区)",
    "联系电话",
    "文化程度",
    "人员身份",
    "健康状况",
    "就业状况",
    "登记情况",
    "就业意愿",
    "创业意愿",
    "培训意愿",
    "期望工种",
    "技能特长",
    "职业资格证书",
    "可接受通勤(分钟)",
    "接受外出住宿",
    "家庭情况",
    "失业时长(月)",
    "就业困难人员",
)
POST_HEADERS: tuple[str, ...] = (
    "岗位编号",
    "岗位名称",
    "岗位类型",
    "用人单位",
    "统一社会信用代码",
    "工作区",
    "工作乡镇(街道)",
    "工作地址",
    "招聘人数",
    "最低年龄",
    "最高年龄",
    "学历要求",
    "技能要求",
    "证书要求",
    "岗位描述",
    "月薪下限",
    "月薪上限",
    "提供住宿",
    "工作形式",
    "截止日期",
    "面向乡镇",
)

# ---------------------------------------------------------------------------------------------
# People. Each table is (value, probability); probabilities of a table sum to 1.

# 2023 monitoring report: men are about two thirds of rural migrant workers; household rosters
# include more women (wives who farm or care at home), so 0.58 (assumption between the two).
MALE_SHARE = 0.58

# Age bands (inclusive years, weight) by sex. Chosen so that the roster's mean age is about 42
# and about 30% are over 50 (2023 report: mean 43.1, 30.6% over 50). Women's working age ends
# at 50 (policy §一(一)), so women of 51–55 on the roster are the "outside working age" share;
# 15-year-olds and men of 61–62 are the rest (assumption: registry exports include household
# members just outside the limits, which exercises those paths).
MALE_AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (15, 15, 0.005),
    (16, 20, 0.03),
    (21, 30, 0.12),
    (31, 40, 0.19),
    (41, 50, 0.245),
    (51, 60, 0.39),
    (61, 62, 0.02),
)
FEMALE_AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (15, 15, 0.005),
    (16, 20, 0.035),
    (21, 30, 0.17),
    (31, 40, 0.28),
    (41, 50, 0.40),
    (51, 55, 0.11),
)
# Target figures the bands are checked against (2023 report, rounded; tests use these).
TARGET_MEAN_AGE = 43.1
TARGET_SHARE_OVER_50 = 0.306

# 户籍性质: the roster is of rural households; some members converted their hukou (assumption).
AGRICULTURAL_HUKOU_SHARE = 0.92

# 文化程度 under 50 and from 50 on. 2023 report: 初中 52.1%, 小学及以下 about 15%, 高中 17.5%,
# 大专及以上 15.7% for all migrant workers; low-income households and older people are shifted
# toward 小学 (assumption), and 高中 is split into 高中/中专 (assumption).
EDUCATION_UNDER_50: tuple[tuple[str, float], ...] = (
    ("小学及以下", 0.10),
    ("初中", 0.52),
    ("高中", 0.13),
    ("中专", 0.10),
    ("大专", 0.11),
    ("本科及以上", 0.04),
)
EDUCATION_50_ON: tuple[tuple[str, float], ...] = (
    ("小学及以下", 0.32),
    ("初中", 0.55),
    ("高中", 0.08),
    ("中专", 0.04),
    ("大专", 0.01),
    ("本科及以上", 0.00),
)

# 人员身份 (exclusions), all assumptions sized so each path appears in a demo of 3,000:
STUDENT_SHARE_UNDER_23 = 0.30  # of people 15–22: still in school or college
GRADUATE_SHARE_21_TO_24 = 0.06  # of people 21–24: this year's university graduates
SOLDIER_SHARE_MEN_18_TO_30 = 0.02  # of men 18–30: on active service
PRISON_SHARE = 0.002  # of everyone: in prison or detention
LOST_ABILITY_SHARE = 0.008  # of everyone: fully lost the ability to work (health 残疾)
EXCLUSIONS_USED: tuple[str, ...] = (
    "在校学生",
    "本年度高校毕业生",
    "现役军人",
    "监押服刑",
    "完全丧失劳动能力",
)

# 健康状况: disability is more common in low-income households (assumption; China's 2006
# disability survey found 6.3% of the population disabled, more in rural areas).
HEALTH: tuple[tuple[str, float], ...] = (("健康", 0.80), ("一般", 0.13), ("残疾", 0.07))

# 就业状况 (assumption: a registry export where under half are employed, a quarter farm).
EMPLOYMENT: tuple[tuple[str, float], ...] = (("已就业", 0.42), ("务农", 0.24), ("无业", 0.34))
# 就业意愿 有, by employment state (assumption).
WANTS_JOB_BY_EMPLOYMENT: Mapping[str, float] = {"已就业": 0.92, "务农": 0.55, "无业": 0.78}
# 登记情况: registered already (转移就业登记 for 农业 hukou, 失业登记 for 非农业), by state
# (assumption: employed transfer workers are mostly registered; about half of those without
# work who want it are, the rest are the "待登记" path of the policy's §一(二)).
REGISTERED_BY_EMPLOYMENT: Mapping[str, float] = {"已就业": 0.65, "务农": 0.10, "无业": 0.45}
WANTS_BUSINESS_SHARE = 0.06  # 创业意愿 有 (assumption)
WANTS_TRAINING_SHARE = 0.35  # 培训意愿 有 (assumption)

# 就业困难人员 (confirmed by the district): among those without work or farming who want a job
# (assumption: long spells without work, age and disability make about a third of them
# eligible), and a few people who found work after being confirmed.
DIFFICULTY_SHARE_SEEKING = 0.32
DIFFICULTY_SHARE_OTHERS = 0.02

# 技能特长: each person has 0–3 skills; the words are those of the skills lexicon.
SKILL_COUNT: tuple[tuple[int, float], ...] = ((0, 0.30), (1, 0.40), (2, 0.22), (3, 0.08))
SKILLS_MEN: tuple[tuple[str, float], ...] = (
    ("驾驶", 0.20),
    ("电焊", 0.08),
    ("水电维修", 0.09),
    ("瓦工", 0.07),
    ("木工", 0.05),
    ("叉车", 0.05),
    ("种植", 0.12),
    ("养殖", 0.07),
    ("烹饪", 0.07),
    ("保安", 0.08),
    ("绿化养护", 0.06),
    ("电脑操作", 0.06),
)
SKILLS_WOMEN: tuple[tuple[str, float], ...] = (
    ("保洁", 0.18),
    ("缝纫", 0.10),
    ("烹饪", 0.12),
    ("育婴", 0.08),
    ("养老护理", 0.09),
    ("手工编织", 0.09),
    ("种植", 0.12),
    ("养殖", 0.06),
    ("电脑操作", 0.07),
    ("收银", 0.06),
    ("驾驶", 0.03),
)
# 期望工种: 1–2 wishes, related to skills where the person has some (assumption).
DESIRED_JOBS_MEN: tuple[tuple[str, float], ...] = (
    ("保安", 0.18),
    ("司机", 0.15),
    ("普工", 0.17),
    ("电工", 0.06),
    ("焊工", 0.05),
    ("绿化工", 0.08),
    ("仓库管理员", 0.07),
    ("快递分拣员", 0.07),
    ("厨师", 0.06),
    ("维修工", 0.06),
    ("保洁员", 0.05),
)
DESIRED_JOBS_WOMEN: tuple[tuple[str, float], ...] = (
    ("保洁员", 0.22),
    ("服务员", 0.12),
    ("家政服务员", 0.10),
    ("育婴员", 0.06),
    ("养老护理员", 0.08),
    ("缝纫工", 0.08),
    ("手工编织", 0.08),
    ("收银员", 0.07),
    ("普工", 0.10),
    ("厨师", 0.05),
    ("客服", 0.04),
)
# A desired job that follows from a skill (used for half of the skilled; assumption).
DESIRED_FROM_SKILL: Mapping[str, str] = {
    "驾驶": "司机",
    "电焊": "焊工",
    "水电维修": "电工",
    "瓦工": "建筑工",
    "木工": "木工",
    "叉车": "叉车司机",
    "烹饪": "厨师",
    "保安": "保安",
    "绿化养护": "绿化工",
    "保洁": "保洁员",
    "缝纫": "缝纫工",
    "育婴": "育婴员",
    "养老护理": "养老护理员",
    "手工编织": "手工编织",
    "收银": "收银员",
    "电脑操作": "客服",
}
# 职业资格证书: the chance that a skill comes with its certificate (assumption), in the
# canonical names of the words lexicon.
CERTIFICATE_FOR_SKILL: Mapping[str, tuple[str, float]] = {
    "驾驶": ("驾驶证C1", 0.85),
    "电焊": ("焊工证", 0.45),
    "水电维修": ("电工证", 0.40),
    "叉车": ("特种设备作业人员证", 0.50),
    "烹饪": ("健康证", 0.40),
    "育婴": ("育婴员证", 0.35),
    "养老护理": ("养老护理员证", 0.35),
    "保安": ("保安员证", 0.40),
}
# 可接受通勤(分钟) under 50 and from 50 on (assumption: older people stay nearer home).
COMMUTE_UNDER_50: tuple[tuple[int, float], ...] = ((30, 0.20), (45, 0.28), (60, 0.32), (90, 0.20))
COMMUTE_50_ON: tuple[tuple[int, float], ...] = ((20, 0.15), (30, 0.35), (45, 0.30), (60, 0.20))
COMMUTE_BLANK_SHARE = 0.05  # left empty on the form (assumption)
# 接受外出住宿 是 (assumption: the young and the men more often).
LODGING_SHARE_UNDER_40 = 0.45
LODGING_SHARE_40_TO_50 = 0.28
LODGING_SHARE_50_ON = 0.12
# 家庭情况: each situation independently (assumption).
FAMILY_SITUATIONS: tuple[tuple[str, float], ...] = (
    ("需照料老人", 0.18),
    ("需照料子女", 0.22),
    ("家有残疾人", 0.07),
    ("单亲", 0.04),
    ("零就业家庭", 0.04),
)
# 失业时长(月) for people without work: geometric with this mean (assumption).
MEAN_MONTHS_WITHOUT_WORK = 9.0
PHONE_BLANK_SHARE = 0.08  # no phone on file (assumption)
# Fake mobile numbers: 139 and eight digits (never real people's; masked output shows 139****).
PHONE_PREFIX = "139"

# Chinese names: the most common surnames (公安部 2020 surname ranking, top 40, weights are
# rounded shares in per mille) and given-name characters by sex (assumption).
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 74),
    ("李", 72),
    ("张", 69),
    ("刘", 55),
    ("陈", 47),
    ("杨", 32),
    ("黄", 25),
    ("赵", 24),
    ("吴", 21),
    ("周", 21),
    ("徐", 14),
    ("孙", 14),
    ("马", 13),
    ("朱", 13),
    ("胡", 12),
    ("郭", 12),
    ("何", 11),
    ("林", 10),
    ("高", 10),
    ("罗", 10),
    ("郑", 9),
    ("梁", 9),
    ("谢", 7),
    ("宋", 7),
    ("唐", 7),
    ("许", 6),
    ("韩", 6),
    ("冯", 6),
    ("邓", 6),
    ("曹", 6),
    ("彭", 5),
    ("曾", 5),
    ("肖", 5),
    ("田", 5),
    ("董", 5),
    ("袁", 4),
    ("潘", 4),
    ("于", 4),
    ("蒋", 4),
    ("蔡", 4),
)
GIVEN_MEN = "伟强军磊勇杰涛明超刚平辉鹏华飞建国志海波东林峰亮文斌宇浩凯俊春庆福永成山德宝金顺利"
GIVEN_WOMEN = "芳娜敏静丽艳娟霞秀英玲桂兰萍红燕梅琳洁慧云莉凤玉珍华春婷雪倩荣淑琴彩月"
TWO_CHARACTER_GIVEN_SHARE = 0.7
VILLAGE_HEADS = "东西南北前后上下大小新老张王李刘赵马杨高"
VILLAGE_STEMS = "庄屯营店寨堡台辛房务各河沟峪岭坨"

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
# (assumption, around Beijing's minimum wage of 2,420 yuan from 2023-09 and 58.com's ranges for
# such jobs). 公益性岗位 pay about the minimum wage.
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
    ("叉车", "特种设备作业人员证", 0.8),
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
    "南通", "武进", "洛阳", "美容",
)
# fmt: on
# Share of directed and open posts whose title suits the employer's industry (assumption).
TITLE_FROM_INDUSTRY_SHARE = 0.5
# Which titles suit which kind (by words of the title); other kinds take any blue-collar title.
_KIND_TITLE_WORDS: Mapping[str, tuple[str, ...]] = {
    "扶贫车间": ("缝纫", "包装", "打包", "普工", "分拣", "装配", "手工", "质检", "操作工", "面点"),
    "村社代工点": ("包装", "打包", "手工", "分拣", "缝纫", "串珠", "编织", "普工"),
    "居家就业": ("客服", "手工", "编织", "串珠", "缝纫", "打包"),
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


@dataclass(frozen=True, slots=True)
class World:
    """A synthetic Beijing: roster rows, post rows by uploader, agreement objects.

    No laborer ids inside: they depend on the deployment's secret.
    """

    seed: int
    today: dt.date
    roster_rows: list[dict[str, str]]
    post_rows: dict[str, list[dict[str, str]]]  # uploader → rows
    agreements: list[dict[str, Any]]

    @property
    def all_post_rows(self) -> list[dict[str, str]]:
        """Every post row, uploaders in order."""
        return [row for rows in self.post_rows.values() for row in rows]


# ---------------------------------------------------------------------------------------------
# Helpers.


def _pick(rng: np.random.Generator, table: Sequence[tuple[Any, float]], n: int) -> list[Any]:
    values = [v for v, _ in table]
    p = np.array([w for _, w in table], dtype=float)
    idx = rng.choice(len(values), size=n, p=p / p.sum())
    return [values[i] for i in idx]


def _pick1(rng: np.random.Generator, table: Sequence[tuple[Any, float]]) -> Any:
    return _pick(rng, table, 1)[0]


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
        }
    )
    out: dict[str, tuple[str, ...]] = {"": tuple(titles)}
    for kind, words in _KIND_TITLE_WORDS.items():
        out[kind] = tuple(t for t in titles if any(w in t for w in words))
    out["居家就业"] = tuple(sorted({*out["居家就业"], *HOME_TITLES_EXTRA}))
    return out


def _villages(township: Township, count: int) -> list[str]:
    """``count`` village names of a township, the same for every seed."""
    rng = np.random.default_rng(int(township.code))
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = (
            VILLAGE_HEADS[rng.integers(len(VILLAGE_HEADS))]
            + VILLAGE_HEADS[rng.integers(len(VILLAGE_HEADS))]
            + VILLAGE_STEMS[rng.integers(len(VILLAGE_STEMS))]
            + "村"
        )
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _allocate(weights: Sequence[int], total: int) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders, ties by position)."""
    w = np.asarray(weights, dtype=float)
    exact = w / w.sum() * total
    counts = np.floor(exact).astype(int)
    short = total - int(counts.sum())
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:short]] += 1
    return [int(c) for c in counts]


def _birth_for(today: dt.date, age: int, back_days: int) -> dt.date:
    """A birth date that makes someone ``age`` on ``today``: ``back_days`` in 0–364 earlier."""
    year = today.year - age
    try:
        anniversary = today.replace(year=year)
    except ValueError:  # 29 February
        anniversary = today.replace(year=year, day=28)
    return anniversary - dt.timedelta(days=back_days)


# ---------------------------------------------------------------------------------------------
# The roster.


def _ages(rng: np.random.Generator, male: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    n = len(male)
    ages = np.zeros(n, dtype=np.int64)
    for is_male, bands in ((True, MALE_AGE_BANDS), (False, FEMALE_AGE_BANDS)):
        where = np.flatnonzero(male == is_male)
        p = np.array([b[2] for b in bands])
        band = rng.choice(len(bands), size=len(where), p=p / p.sum())
        lo = np.array([b[0] for b in bands])[band]
        hi = np.array([b[1] for b in bands])[band]
        ages[where] = lo + (rng.random(len(where)) * (hi - lo + 1)).astype(np.int64)
    return ages


def _picks(
    rng: np.random.Generator, table: Sequence[tuple[Any, float]], n: int, k: int
) -> list[list[Any]]:
    flat = _pick(rng, table, n * k)
    return [flat[i * k : (i + 1) * k] for i in range(n)]


def generate_roster(rng: np.random.Generator, people: int, today: dt.date) -> list[dict[str, str]]:
    """``people`` roster rows of the eight outer districts (DESIGN §4 headers)."""
    gazetteer = load_gazetteer()
    townships = [t for d in OUTER_DISTRICTS for t in gazetteer.townships_of(d)]
    counts = _allocate([t.rural_units for t in townships], people)
    placed = [t for t, c in zip(townships, counts, strict=True) for _ in range(c)]
    home = [placed[i] for i in rng.permutation(people)]
    villages = {t.code: _villages(t, max(3, min(t.rural_units, 30))) for t in townships}

    # Every draw is made up front, column by column, so 100,000 rows take a few seconds.
    male = rng.random(people) < MALE_SHARE
    ages = _ages(rng, male)
    u = rng.random((people, 18))  # one uniform per yes/no question and row
    family_u = rng.random((people, len(FAMILY_SITUATIONS)))
    back_days = rng.integers(0, 365, size=people)
    edu_young = _pick(rng, EDUCATION_UNDER_50, people)
    edu_old = _pick(rng, EDUCATION_50_ON, people)
    health = _pick(rng, HEALTH, people)
    employment = _pick(rng, EMPLOYMENT, people)
    commute_young = _pick(rng, COMMUTE_UNDER_50, people)
    commute_old = _pick(rng, COMMUTE_50_ON, people)
    surnames = _pick(rng, SURNAMES, people)
    skill_counts = _pick(rng, SKILL_COUNT, people)
    skills_men = _picks(rng, SKILLS_MEN, people, 3)
    skills_women = _picks(rng, SKILLS_WOMEN, people, 3)
    wishes_men = _picks(rng, DESIRED_JOBS_MEN, people, 2)
    wishes_women = _picks(rng, DESIRED_JOBS_WOMEN, people, 2)
    months = rng.geometric(1.0 / (MEAN_MONTHS_WITHOUT_WORK + 1.0), size=people) - 1
    phone_digits = rng.integers(0, 10**8, size=people)
    small = rng.integers(0, 10**6, size=(people, 3))

    # Plain lists: indexing them is several times faster than indexing numpy arrays.
    ages_l, male_l, u_l, back_l = ages.tolist(), male.tolist(), u.tolist(), back_days.tolist()
    family_l, months_l, phone_l, small_l = (
        family_u.tolist(),
        months.tolist(),
        phone_digits.tolist(),
        small.tolist(),
    )
    sequences: dict[tuple[str, dt.date, bool], int] = {}
    rows: list[dict[str, str]] = []
    for i in range(people):
        t = home[i]
        age = ages_l[i]
        is_male = male_l[i]
        r = u_l[i]
        pick = small_l[i]
        agricultural = r[0] < AGRICULTURAL_HUKOU_SHARE
        birth = _birth_for(today, age, back_l[i])
        region = t.district_code[:6]
        key = (region, birth, is_male)
        seq = sequences.get(key, 0) + 1
        sequences[key] = seq
        id_number = make_id_number(region, birth, seq, male=is_male)

        chars = GIVEN_MEN if is_male else GIVEN_WOMEN
        given = chars[pick[0] % len(chars)]
        if r[1] < TWO_CHARACTER_GIVEN_SHARE:
            given += chars[pick[1] % len(chars)]

        exclusion = "无"
        if age <= 22 and r[2] < STUDENT_SHARE_UNDER_23:
            exclusion = "在校学生"
        elif 21 <= age <= 24 and r[2] > 1 - GRADUATE_SHARE_21_TO_24:
            exclusion = "本年度高校毕业生"
        elif is_male and 18 <= age <= 30 and r[3] < SOLDIER_SHARE_MEN_18_TO_30:
            exclusion = "现役军人"
        elif r[3] > 1 - PRISON_SHARE:
            exclusion = "监押服刑"
        elif r[3] < LOST_ABILITY_SHARE:
            exclusion = "完全丧失劳动能力"

        education = edu_old[i] if age >= 50 else edu_young[i]
        if exclusion in ("在校学生", "本年度高校毕业生") and age >= 19:
            education = "大专" if r[4] < 0.6 else "本科及以上"
        elif exclusion == "在校学生":
            education = "高中" if r[4] < 0.6 else "中专"
        person_health = "残疾" if exclusion == "完全丧失劳动能力" else health[i]
        state = employment[i]
        if exclusion == "现役军人":
            state = "已就业"
        elif exclusion != "无":
            state = "无业"
        wants_job = bool(r[5] < WANTS_JOB_BY_EMPLOYMENT[state])
        if exclusion in ("在校学生", "监押服刑", "完全丧失劳动能力", "现役军人"):
            wants_job = False
        registration = "未登记"
        registered = r[6] < REGISTERED_BY_EMPLOYMENT[state]
        if exclusion == "无" and (state == "已就业" or wants_job) and registered:
            # 转移就业登记 for 农业 hukou; 失业登记 only for 非农业 people without work.
            if agricultural:
                registration = "转移就业登记"
            elif state != "已就业":
                registration = "失业登记"
        seeking = exclusion == "无" and wants_job and state != "已就业"
        difficulty = exclusion == "无" and bool(
            r[7] < (DIFFICULTY_SHARE_SEEKING if seeking else DIFFICULTY_SHARE_OTHERS)
        )

        skills: list[str] = []
        if exclusion != "在校学生":
            drawn = skills_men[i] if is_male else skills_women[i]
            for s in drawn[: skill_counts[i]]:
                if s not in skills:
                    skills.append(s)
        certificates: list[str] = []
        for j, s in enumerate(skills):
            found = CERTIFICATE_FOR_SKILL.get(s)
            if found is not None and r[12 + j] < found[1] and found[0] not in certificates:
                certificates.append(found[0])
        desired: list[str] = []
        if wants_job:
            if skills and r[8] < 0.5 and skills[0] in DESIRED_FROM_SKILL:
                desired.append(DESIRED_FROM_SKILL[skills[0]])
            wishes = wishes_men[i] if is_male else wishes_women[i]
            for w in wishes[: 1 if desired else 1 + int(r[15] < 0.25)]:
                if w not in desired:
                    desired.append(w)

        commute = ""
        if r[9] >= COMMUTE_BLANK_SHARE:
            commute = str(commute_old[i] if age >= 50 else commute_young[i])
        family = [f for j, (f, share) in enumerate(FAMILY_SITUATIONS) if family_l[i][j] < share]
        lodging_share = (
            LODGING_SHARE_UNDER_40
            if age < 40
            else LODGING_SHARE_40_TO_50
            if age < 50
            else LODGING_SHARE_50_ON
        )
        if "需照料子女" in family or "需照料老人" in family:
            lodging_share /= 2  # caring at home keeps people from lodging away (assumption)
        village_list = villages[t.code]

        rows.append(
            {
                "姓名": surnames[i] + given,
                "公民身份号码": id_number,
                "性别": "男" if is_male else "女",
                "户籍性质": "农业" if agricultural else "非农业",
                "区": t.district,
                "乡镇(街道)": t.name,
                "村(社区)": village_list[pick[2] % len(village_list)],
                "联系电话": "" if r[11] < PHONE_BLANK_SHARE else f"{PHONE_PREFIX}{phone_l[i]:08d}",
                "文化程度": education,
                "人员身份": exclusion,
                "健康状况": person_health,
                "就业状况": state,
                "登记情况": registration,
                "就业意愿": "有" if wants_job else "无",
                "创业意愿": "有" if r[16] < WANTS_BUSINESS_SHARE else "无",
                "培训意愿": "有" if r[17] < WANTS_TRAINING_SHARE else "无",
                "期望工种": "、".join(desired),
                "技能特长": "、".join(skills),
                "职业资格证书": "、".join(certificates),
                "可接受通勤(分钟)": commute,
                "接受外出住宿": "是" if r[10] < lodging_share else "否",
                "家庭情况": "、".join(family),
                "失业时长(月)": str(months_l[i]) if state == "无业" else "",
                "就业困难人员": "是" if difficulty else "否",
            }
        )
    return rows


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


def _title_for(rng: np.random.Generator, kind: str, word: str = "") -> str:
    titles = _job_titles()
    if kind == "公益性岗位":
        return str(_pick1(rng, PUBLIC_WELFARE_TITLES))
    pool = titles.get(kind) or titles[""]
    if word and rng.random() < TITLE_FROM_INDUSTRY_SHARE:
        suited = [t for t in pool if word in t]
        if suited:
            pool = tuple(suited)
    return pool[int(rng.integers(len(pool)))]


def _township_weights(townships: Sequence[Township], kind: str) -> npt.NDArray[np.float64]:
    # Workshops, sub-contracting points and home-based work sit where rural people live;
    # open vacancies and public-welfare posts spread wider (assumption).
    base = 1.0 if kind in ("社会招聘", "公益性岗位") else 0.1
    w = np.array([t.rural_units + base for t in townships], dtype=np.float64)
    w /= w.sum()
    return w


def _post_row(
    rng: np.random.Generator,
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
    u = rng.random(8)
    if kind == "公益性岗位":
        headcount = int(1 + u[0] * 3)
    elif u[0] < LARGE_HEADCOUNT_SHARE:
        lo, hi = LARGE_HEADCOUNT_RANGE
        headcount = int(rng.integers(lo, hi + 1))
    else:
        headcount = int(_pick1(rng, HEADCOUNT_SMALL))
    min_age: int | None = None
    max_age: int | None = None
    if kind not in ("居家就业", "公益性岗位"):
        shares = np.array([a[0] for a in AGE_LIMITS])
        _, min_age, max_age = AGE_LIMITS[int(rng.choice(len(AGE_LIMITS), p=shares / shares.sum()))]
    education = ""
    if kind in ("定向招聘", "社会招聘") and u[1] < EDUCATION_REQUIRED_SHARE:
        education = "高中" if u[2] < 1 / 3 else "初中"
    certificate = ""
    for word, cert, share in CERTIFICATE_FOR_TITLE:
        if word in title:
            if u[3] < share:
                certificate = cert
            break
    skills = next((text for word, text in SKILL_TEXT_FOR_TITLE if word in title), "")
    low, high = SALARY_BY_KIND[kind]
    salary_min = int(low + u[4] * (high - low)) // 100 * 100
    salary_max = int(salary_min * (1 + 0.4 * u[5])) // 100 * 100
    lodging = u[6] < LODGING_SHARE_BY_KIND[kind]
    days = int(rng.integers(CLOSES_IN_DAYS[0], CLOSES_IN_DAYS[1] + 1))
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
        "工作形式": str(_pick1(rng, SCHEDULE_BY_KIND[kind])),
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
    counts = _allocate([round(s * 1000) for _, s in POST_KINDS_SHARE], total)
    by_uploader: dict[str, list[dict[str, str]]] = {d: [] for d in OUTER_DISTRICTS}
    numbers: dict[tuple[str, str], int] = {}
    district_weights = np.array(
        [sum(t.rural_units for t in gazetteer.townships_of(d)) for d in OUTER_DISTRICTS],
        dtype=float,
    )
    district_weights /= district_weights.sum()
    townships_of = {a.name: gazetteer.townships_of(a.name) for a in gazetteer.areas}
    weights_of: dict[tuple[str, str], npt.NDArray[np.float64]] = {}
    serial = 0

    def next_id(uploader: str, kind: str) -> str:
        n = numbers.get((uploader, kind), 0) + 1
        numbers[(uploader, kind)] = n
        return f"{_KIND_PREFIX[kind]}{today.year}{n:05d}"

    for kind, count in zip(kinds, counts, strict=True):
        for _ in range(count):
            road = _ROADS[int(rng.integers(len(_ROADS)))]
            number = int(rng.integers(1, 300))
            if kind == "定向招聘":
                emp = employers[int(rng.integers(len(employers)))]
                area = emp.partner
                places = townships_of[area] if area != DEVELOPMENT_AREA else []
                town = places[int(rng.integers(len(places)))].name if places else ""
                row = _post_row(
                    rng,
                    external_id=next_id(area, kind),
                    title=_title_for(rng, kind, emp.industry_word),
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
            district = OUTER_DISTRICTS[int(rng.choice(len(OUTER_DISTRICTS), p=district_weights))]
            townships = townships_of[district]
            if (district, kind) not in weights_of:
                weights_of[(district, kind)] = _township_weights(townships, kind)
            t = townships[int(rng.choice(len(townships), p=weights_of[(district, kind)]))]
            region = t.district_code[:6]
            serial += 1
            brand = _BRANDS[int(rng.integers(len(_BRANDS)))]
            industry, word = _INDUSTRIES[int(rng.integers(len(_INDUSTRIES)))]
            for_townships = ""
            if kind == "公益性岗位":
                organ = "人民政府" if t.unit_type in ("镇", "乡", "地区") else "街道办事处"
                employer = f"北京市{district}{t.name.removesuffix('街道')}{organ}"
                code = make_credit_code(500000 + serial, region=region, authority="1")  # 机关
                for_townships = t.name
                if rng.random() < 0.2 and len(townships) > 1:
                    other = townships[int(rng.integers(len(townships)))]
                    if other.code != t.code:
                        for_townships += f"、{other.name}"
                word = ""
            elif kind == "扶贫车间":
                industry = _WORKSHOP_INDUSTRIES[int(rng.integers(len(_WORKSHOP_INDUSTRIES)))]
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
                rng,
                external_id=next_id(district, kind),
                title=_title_for(rng, kind, word),
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


def generate_world(
    *,
    seed: int = 20261101,
    people: int = 3000,
    posts: int | None = None,
    year: int = 2026,
    today: dt.date | None = None,
) -> World:
    """A synthetic Beijing for ``seed``: the same arguments give the same world."""
    if people < 0:
        raise ValueError(f"people must be >= 0, got {people}")
    if posts is not None and posts < 0:
        raise ValueError(f"posts must be >= 0, got {posts}")
    day = today if today is not None else dt.date(year, 11, 1)
    total = posts if posts is not None else max(MIN_POSTS, round(people * POSTS_PER_PERSON))
    # Separate streams, so that changing the number of posts leaves the people as they were.
    roster_rng, agreement_rng, post_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    roster = generate_roster(roster_rng, people, day)
    agreements, employers = generate_agreements(agreement_rng, year)
    post_rows = generate_posts(post_rng, total, employers, day)
    return World(seed, day, roster, post_rows, agreements)


# ---------------------------------------------------------------------------------------------
# Files.


def _headers_of(rows: Sequence[Mapping[str, str]], headers: Sequence[str] | None) -> list[str]:
    if headers is not None:
        return list(headers)
    if not rows:
        raise ValueError("rows is empty: pass headers to write an empty table")
    return list(rows[0].keys())


def write_rows_csv(
    rows: Sequence[Mapping[str, str]],
    path: Path | str,
    *,
    encoding: str = "utf-8-sig",
    headers: Sequence[str] | None = None,
) -> Path:
    """Write rows as CSV (UTF-8 with BOM by default; ``gbk`` or ``gb18030`` as Excel saves)."""
    target = Path(path)
    columns = _headers_of(rows, headers)
    with target.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([row.get(c, "") for c in columns] for row in rows)
    return target


def write_rows_xlsx(
    rows: Sequence[Mapping[str, str]],
    path: Path | str,
    *,
    headers: Sequence[str] | None = None,
    sheet: str = "Sheet1",
) -> Path:
    """Write rows as one ``.xlsx`` sheet (openpyxl write-only; every cell text)."""
    from openpyxl import Workbook

    target = Path(path)
    columns = _headers_of(rows, headers)
    book = Workbook(write_only=True)
    ws = book.create_sheet(title=sheet)
    ws.append(columns)
    for row in rows:
        ws.append([row.get(c, "") for c in columns])
    book.save(target)
    return target


def write_world(world: World, folder: Path | str) -> dict[str, Path]:
    """Write a world as files: roster.csv, posts-<uploader>.csv, agreements.json."""
    import json

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "roster": write_rows_csv(world.roster_rows, out / "roster.csv", headers=ROSTER_HEADERS)
    }
    for uploader, rows in world.post_rows.items():
        files[uploader] = write_rows_csv(rows, out / f"posts-{uploader}.csv", headers=POST_HEADERS)
    agreements = out / "agreements.json"
    agreements.write_text(
        json.dumps(world.agreements, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    files["agreements"] = agreements
    return files


__all__ = [
    "POST_HEADERS",
    "ROSTER_HEADERS",
    "World",
    "generate_world",
    "write_rows_csv",
    "write_rows_xlsx",
    "write_world",
]
