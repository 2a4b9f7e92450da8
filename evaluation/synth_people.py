"""The people of the synthetic Beijing: roster rows of the eight outer districts.

People are spread over the townships in proportion to their rural units
(``Township.rural_units``, the 2016 count of 村委会-like units, a rough proxy for rural
population). Every proportion is a named constant with its source or, where no public figure
fits, marked as an assumption; ``docs/synthetic-beijing.md`` lists them all.

National figures come from 国家统计局《2023年农民工监测调查报告》 (published 2024-04): mean age
of rural migrant workers 43.1, 30.6% over 50; education mostly 初中 (about half), about 15% 小学
or less. The roster here is of low-income rural households, so education is shifted lower and
disability made more common than among migrant workers (assumptions, said where they apply).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from features.gazetteer import OUTER_DISTRICTS, Township, load_gazetteer
from features.idcard import make_id_number
from features.roster import ROSTER_COLUMNS

# DESIGN §4 roster headers (核实记录表), in the order of the template.
ROSTER_HEADERS: tuple[str, ...] = tuple(column.header for column in ROSTER_COLUMNS)

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
    (41, 50, 0.225),
    (51, 60, 0.41),
    (61, 62, 0.02),
)
FEMALE_AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (15, 15, 0.005),
    (16, 20, 0.035),
    (21, 30, 0.17),
    (31, 40, 0.28),
    (41, 50, 0.39),
    (51, 55, 0.12),
)
# Target figures the bands are checked against (2023 report, rounded; tests use these).
TARGET_MEAN_AGE = 43.1
TARGET_SHARE_OVER_50 = 0.306

# 户籍性质: the roster is of rural households; some members converted their hukou (assumption).
AGRICULTURAL_HUKOU_SHARE = 0.92

# 文化程度 under 50 and from 50 on. 2023 report, all migrant workers, roughly: 初中 a little over
# half, 小学及以下 about 15%, 高中 about 17%, 大专及以上 about 15%; low-income households and
# older people are shifted toward 小学 (assumption), and 高中 is split into 高中/中专
# (assumption).
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
# Students and graduates: 大专 (else 本科及以上) from 19, 高中 (else 中专) below (assumption).
STUDENT_COLLEGE_SHARE = 0.6
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
# A desired job that follows from a skill, for this share of the skilled; a second wish for
# this share of the others (assumptions).
DESIRED_FROM_SKILL_SHARE = 0.5
SECOND_WISH_SHARE = 0.25
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
    "叉车": ("叉车证", 0.50),
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

# Chinese names: the 40 most common surnames in the order of the 公安部 2020 name report (王 李
# 张 刘 陈 …); the weights only roughly follow their shares, and the given-name characters by sex
# are common ones (assumption).
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


def draw(rng: np.random.Generator, table: Sequence[tuple[Any, float]], n: int) -> list[Any]:
    """``n`` values drawn from a table of (value, weight)."""
    values = [v for v, _ in table]
    p = np.array([w for _, w in table], dtype=float)
    idx = rng.choice(len(values), size=n, p=p / p.sum())
    return [values[i] for i in idx.tolist()]  # plain ints index a list far faster


def draw_one(rng: np.random.Generator, table: Sequence[tuple[Any, float]]) -> Any:
    """One value drawn from a table of (value, weight)."""
    return draw(rng, table, 1)[0]


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


def allocate(weights: Sequence[int], total: int) -> list[int]:
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


def generate_roster(rng: np.random.Generator, people: int, today: dt.date) -> list[dict[str, str]]:
    """``people`` roster rows of the eight outer districts (DESIGN §4 headers)."""
    gazetteer = load_gazetteer()
    townships = [t for d in OUTER_DISTRICTS for t in gazetteer.townships_of(d)]
    counts = allocate([t.rural_units for t in townships], people)
    placed = [t for t, c in zip(townships, counts, strict=True) for _ in range(c)]
    home = [placed[i] for i in rng.permutation(people)]
    villages = {t.code: _villages(t, max(3, min(t.rural_units, 30))) for t in townships}

    # Every draw is made up front and every column that does not depend on text is computed
    # with numpy, so 100,000 rows take a few seconds; the loop below only assembles text.
    male = rng.random(people) < MALE_SHARE
    ages = _ages(rng, male)
    u = rng.random((people, 18))  # one uniform per yes/no question and row
    family_u = rng.random((people, len(FAMILY_SITUATIONS)))
    back_days = rng.integers(0, 365, size=people)
    edu_young = np.array(draw(rng, EDUCATION_UNDER_50, people), dtype=object)
    edu_old = np.array(draw(rng, EDUCATION_50_ON, people), dtype=object)
    health = np.array(draw(rng, HEALTH, people), dtype=object)
    state = np.array(draw(rng, EMPLOYMENT, people), dtype=object)
    commute_young = np.array(draw(rng, COMMUTE_UNDER_50, people))
    commute_old = np.array(draw(rng, COMMUTE_50_ON, people))
    surnames = draw(rng, SURNAMES, people)
    skill_counts = draw(rng, SKILL_COUNT, people)
    skills_men = draw(rng, SKILLS_MEN, people * 3)  # three per person, flat
    skills_women = draw(rng, SKILLS_WOMEN, people * 3)
    wishes_men = draw(rng, DESIRED_JOBS_MEN, people * 2)  # two per person, flat
    wishes_women = draw(rng, DESIRED_JOBS_WOMEN, people * 2)
    months = rng.geometric(1.0 / (MEAN_MONTHS_WITHOUT_WORK + 1.0), size=people) - 1
    phone_digits = rng.integers(0, 10**8, size=people)
    small = rng.integers(0, 10**6, size=(people, 3))

    # 人员身份, in order of precedence (a student is not also a soldier).
    free = np.ones(people, dtype=bool)
    exclusion = np.full(people, "无", dtype=object)
    for name, hit in (
        ("在校学生", (ages <= 22) & (u[:, 2] < STUDENT_SHARE_UNDER_23)),
        ("本年度高校毕业生", (ages >= 21) & (ages <= 24) & (u[:, 2] > 1 - GRADUATE_SHARE_21_TO_24)),
        ("现役军人", male & (ages >= 18) & (ages <= 30) & (u[:, 3] < SOLDIER_SHARE_MEN_18_TO_30)),
        ("监押服刑", u[:, 3] > 1 - PRISON_SHARE),
        ("完全丧失劳动能力", u[:, 3] < LOST_ABILITY_SHARE),
    ):
        exclusion[hit & free] = name
        free &= ~hit
    student = exclusion == "在校学生"
    studying = student | (exclusion == "本年度高校毕业生")
    college = u[:, 4] < STUDENT_COLLEGE_SHARE
    education = np.where(ages >= 50, edu_old, edu_young)
    education[studying & (ages >= 19)] = np.where(college, "大专", "本科及以上")[
        studying & (ages >= 19)
    ]
    education[student & (ages < 19)] = np.where(college, "高中", "中专")[student & (ages < 19)]
    health[exclusion == "完全丧失劳动能力"] = "残疾"
    state[exclusion == "现役军人"] = "已就业"
    state[~free & (exclusion != "现役军人")] = "无业"
    employed = state == "已就业"
    wish_share = np.select(
        [employed, state == "务农"],
        [WANTS_JOB_BY_EMPLOYMENT["已就业"], WANTS_JOB_BY_EMPLOYMENT["务农"]],
        WANTS_JOB_BY_EMPLOYMENT["无业"],
    )
    unable = np.isin(exclusion, ["在校学生", "监押服刑", "完全丧失劳动能力", "现役军人"])
    wants_job = (u[:, 5] < wish_share) & ~unable
    # 登记情况: 转移就业登记 for 农业 hukou; 失业登记 only for 非农业 people without work.
    agricultural = u[:, 0] < AGRICULTURAL_HUKOU_SHARE
    registered_share = np.select(
        [employed, state == "务农"],
        [REGISTERED_BY_EMPLOYMENT["已就业"], REGISTERED_BY_EMPLOYMENT["务农"]],
        REGISTERED_BY_EMPLOYMENT["无业"],
    )
    registered = free & (employed | wants_job) & (u[:, 6] < registered_share)
    registration = np.full(people, "未登记", dtype=object)
    registration[registered & agricultural] = "转移就业登记"
    registration[registered & ~agricultural & ~employed] = "失业登记"
    seeking = free & wants_job & ~employed
    difficulty = free & (
        u[:, 7] < np.where(seeking, DIFFICULTY_SHARE_SEEKING, DIFFICULTY_SHARE_OTHERS)
    )
    commute = np.where(ages >= 50, commute_old, commute_young).astype(str).astype(object)
    commute[u[:, 9] < COMMUTE_BLANK_SHARE] = ""
    # 家庭情况: one bit per situation; the text of each of the 2^5 combinations made once.
    bits = family_u < np.array([share for _, share in FAMILY_SITUATIONS])
    codes = bits @ (1 << np.arange(len(FAMILY_SITUATIONS)))
    family_texts = [
        "、".join(f for j, (f, _) in enumerate(FAMILY_SITUATIONS) if code >> j & 1)
        for code in range(1 << len(FAMILY_SITUATIONS))
    ]
    caring = bits[:, 0] | bits[:, 1]  # 需照料老人 / 需照料子女
    lodging_share = np.select(
        [ages < 40, ages < 50],
        [LODGING_SHARE_UNDER_40, LODGING_SHARE_40_TO_50],
        LODGING_SHARE_50_ON,
    )
    # Caring at home keeps people from lodging away (assumption).
    accepts_lodging = u[:, 10] < np.where(caring, lodging_share / 2, lodging_share)

    # Plain lists: indexing them is several times faster than indexing numpy arrays.
    ages_l, male_l, u_l, back_l = ages.tolist(), male.tolist(), u.tolist(), back_days.tolist()
    small_l, codes_l = small.tolist(), codes.tolist()
    wants_l, student_l = wants_job.tolist(), student.tolist()
    phones = [
        "" if blank else f"{PHONE_PREFIX}{d:08d}"
        for blank, d in zip(
            (u[:, 11] < PHONE_BLANK_SHARE).tolist(), phone_digits.tolist(), strict=True
        )
    ]
    months_text = [
        str(m) if idle else ""
        for m, idle in zip(months.tolist(), (state == "无业").tolist(), strict=True)
    ]
    yes_no = {True: "是", False: "否"}
    have = {True: "有", False: "无"}
    columns = {
        "性别": np.where(male, "男", "女").tolist(),
        "户籍性质": np.where(agricultural, "农业", "非农业").tolist(),
        "文化程度": education.tolist(),
        "人员身份": exclusion.tolist(),
        "健康状况": health.tolist(),
        "就业状况": state.tolist(),
        "登记情况": registration.tolist(),
        "就业意愿": [have[w] for w in wants_l],
        "创业意愿": [have[w] for w in (u[:, 16] < WANTS_BUSINESS_SHARE).tolist()],
        "培训意愿": [have[w] for w in (u[:, 17] < WANTS_TRAINING_SHARE).tolist()],
        "可接受通勤(分钟)": commute.tolist(),
        "接受外出住宿": [yes_no[a] for a in accepts_lodging.tolist()],
        "就业困难人员": [yes_no[d] for d in difficulty.tolist()],
    }
    # The day each age was last reached; a birth date 0–364 days before it gives that age.
    anniversary = {a: _birth_for(today, a, 0).toordinal() for a in set(ages_l)}
    sequences: dict[tuple[str, dt.date, bool], int] = {}
    rows: list[dict[str, str]] = []
    c_sex, c_hukou, c_edu, c_excl, c_health, c_state, c_reg = (
        columns[k]
        for k in ("性别", "户籍性质", "文化程度", "人员身份", "健康状况", "就业状况", "登记情况")
    )
    c_wants, c_business, c_training, c_commute, c_lodging, c_difficulty = (
        columns[k]
        for k in (
            "就业意愿",
            "创业意愿",
            "培训意愿",
            "可接受通勤(分钟)",
            "接受外出住宿",
            "就业困难人员",
        )
    )
    for i in range(people):
        t = home[i]
        is_male = male_l[i]
        r = u_l[i]
        pick = small_l[i]
        birth = dt.date.fromordinal(anniversary[ages_l[i]] - back_l[i])
        region = t.district_code[:6]
        key = (region, birth, is_male)
        seq = sequences.get(key, 0) + 1
        sequences[key] = seq
        chars = GIVEN_MEN if is_male else GIVEN_WOMEN
        given = chars[pick[0] % len(chars)]
        if r[1] < TWO_CHARACTER_GIVEN_SHARE:
            given += chars[pick[1] % len(chars)]

        skills: list[str] = []
        if not student_l[i]:
            drawn = skills_men if is_male else skills_women
            for s in drawn[3 * i : 3 * i + skill_counts[i]]:
                if s not in skills:
                    skills.append(s)
        certificates: list[str] = []
        for j, s in enumerate(skills):
            found = CERTIFICATE_FOR_SKILL.get(s)
            if found is not None and r[12 + j] < found[1] and found[0] not in certificates:
                certificates.append(found[0])
        desired: list[str] = []
        if wants_l[i]:
            if skills and r[8] < DESIRED_FROM_SKILL_SHARE and skills[0] in DESIRED_FROM_SKILL:
                desired.append(DESIRED_FROM_SKILL[skills[0]])
            wishes = wishes_men if is_male else wishes_women
            n_wishes = 1 if desired else 1 + int(r[15] < SECOND_WISH_SHARE)
            for w in wishes[2 * i : 2 * i + n_wishes]:
                if w not in desired:
                    desired.append(w)
        village_list = villages[t.code]
        rows.append(
            {
                "姓名": surnames[i] + given,
                "公民身份号码": make_id_number(region, birth, seq, male=is_male),
                "性别": c_sex[i],
                "户籍性质": c_hukou[i],
                "区": t.district,
                "乡镇(街道)": t.name,
                "村(社区)": village_list[pick[2] % len(village_list)],
                "联系电话": phones[i],
                "文化程度": c_edu[i],
                "人员身份": c_excl[i],
                "健康状况": c_health[i],
                "就业状况": c_state[i],
                "登记情况": c_reg[i],
                "就业意愿": c_wants[i],
                "创业意愿": c_business[i],
                "培训意愿": c_training[i],
                "期望工种": "、".join(desired),
                "技能特长": "、".join(skills),
                "职业资格证书": "、".join(certificates),
                "可接受通勤(分钟)": c_commute[i],
                "接受外出住宿": c_lodging[i],
                "家庭情况": family_texts[codes_l[i]],
                "失业时长(月)": months_text[i],
                "就业困难人员": c_difficulty[i],
            }
        )
    return rows


__all__ = [
    "ROSTER_HEADERS",
    "allocate",
    "draw",
    "draw_one",
    "generate_roster",
]
