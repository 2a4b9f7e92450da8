"""A small generated district loaded into the real stores, for the batch's tests."""

from __future__ import annotations

import datetime as dt
import random

import redis

from features.eligibility import AgeLimits
from features.gazetteer import load_gazetteer
from features.idcard import laborer_id, make_id_number
from features.laborer import Laborer
from features.tiers import load_tier_rules
from service.catalogue_store import CatalogueStore
from service.roster_store import RosterStore
from tests.factories import SECRET, TODAY, birth_for_age, make_laborer
from tests.service.uploads import csv_bytes

TITLES = ["物业保洁员", "绿化养护工", "仓库搬运工", "餐厅服务员", "保安员", "家政服务员"]
TOWNSHIPS = ["永乐店镇", "于家务回族乡", "漷县镇"]


def post_rows(seed: int, posts: int) -> list[dict[str, str]]:
    """Post upload rows of 通州区: few places each, so posts compete."""
    rng = random.Random(seed)
    return [
        {
            "岗位编号": f"TZ-{i:04d}",
            "岗位名称": rng.choice(TITLES),
            "岗位类型": rng.choice(["社会招聘", "扶贫车间", "村社代工点"]),
            "用人单位": f"北京通州某公司{i % 7}",
            "工作区": "通州区",
            "工作乡镇(街道)": rng.choice(TOWNSHIPS),
            "招聘人数": str(rng.randint(1, 2)),
            "联系方式": "王经理 010-80000000",
            "月薪下限": "4000",
            "月薪上限": "5500",
        }
        for i in range(posts)
    ]


def _person(rng: random.Random, i: int, age: int, birth: dt.date, number: str) -> Laborer:
    return make_laborer(
        age=age,
        birth_date=birth,
        id_number=number,
        laborer_id=laborer_id(number, SECRET),
        township=rng.choice(TOWNSHIPS),
        difficulty=rng.random() < 0.3,
        desired_jobs=(rng.choice(TITLES),),
        family=("零就业家庭",) if rng.random() < 0.2 else (),
        village=f"第{i % 3 + 1}村",
        phone=f"1390000{i:04d}",
    )


def load_district(
    client: redis.Redis, *, prefix: str = "rg", seed: int = 11, people: int = 40, posts: int = 12
) -> list[str]:
    """Import ``people`` laborers and upload ``posts`` posts; returns the laborer ids."""
    rng = random.Random(seed)
    laborers = []
    for i in range(people):
        age = rng.randint(22, 48)
        birth = birth_for_age(age)
        # Fixed ID numbers: the same seed gives the same people (and laborer ids) every time.
        number = make_id_number("110112", birth, 500 + i, male=True)
        laborers.append(_person(rng, i, age, birth, number))
    roster = RosterStore(client, prefix=prefix, secret=SECRET)
    roster.import_laborers(laborers, day=TODAY, limits=AgeLimits(), rules=load_tier_rules())
    upload_posts(client, post_rows(seed, posts), prefix=prefix)
    return [lab.laborer_id for lab in laborers]


def upload_posts(client: redis.Redis, rows: list[dict[str, str]], *, prefix: str = "rg") -> None:
    """Upload post rows as 通州区's CSV file; every row must be created."""
    report = CatalogueStore(client, prefix=prefix).upload_file(
        csv_bytes(rows), "岗位.csv", uploader="通州区", today=TODAY, gazetteer=load_gazetteer()
    )
    assert report.created == len(rows), report


def id_numbers_and_phones(client: redis.Redis, *, prefix: str = "rg") -> tuple[set[str], set[str]]:
    """Every ID number and phone of the roster stored under ``prefix``."""
    records = RosterStore(client, prefix=prefix, secret=SECRET).load_all()
    return {r.laborer.id_number for r in records}, {
        r.laborer.phone for r in records if r.laborer.phone
    }
