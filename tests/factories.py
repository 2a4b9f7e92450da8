"""Builders of domain values for tests: ``make_laborer(**overrides)``, ``make_post(**overrides)``.

ID numbers are synthetic with valid check digits; defaults describe an ordinary case (a man of
45 in 永乐店镇, 通州区, without work and wanting a job; an open 社会招聘 post in 通州区).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from catalogue.models import Agreement, Employer, Post, make_post_id
from features.gazetteer import load_gazetteer
from features.idcard import laborer_id, make_id_number
from features.laborer import Laborer

TODAY = dt.date(2026, 11, 1)
SECRET = "test-secret"
_seq = itertools.count(1)


def birth_for_age(age: int, today: dt.date = TODAY) -> dt.date:
    """A birth date that makes someone exactly ``age`` on ``today`` (born a month earlier)."""
    return (
        dt.date(today.year - age, 1, 15)
        if today.month > 1
        else dt.date(today.year - age - 1, 12, 1)
    )


def make_laborer(**overrides: Any) -> Laborer:
    """A valid laborer; pass ``age=`` and ``male=`` for convenience, or any field."""
    age = overrides.pop("age", 45)
    male = overrides.pop("male", True)
    birth = overrides.pop("birth_date", birth_for_age(age))
    township_name = overrides.pop("township", "永乐店镇")
    district = overrides.pop("district", "通州区")
    township = load_gazetteer().township(township_name, district)
    number = overrides.pop("id_number", make_id_number("110112", birth, next(_seq), male=male))
    values: dict[str, Any] = {
        "laborer_id": laborer_id(number, SECRET),
        "name": "张建国" if male else "李秀英",
        "id_number": number,
        "sex": "男" if male else "女",
        "birth_date": birth,
        "hukou": "农业",
        "district": township.district,
        "township": township.name,
        "township_code": township.code,
        "employment": "无业",
        "wants_job": True,
        "village": "东张各庄村",
        "phone": "13800138000",
    }
    values.update(overrides)
    return Laborer(**values)


def make_post(**overrides: Any) -> Post:
    """A valid open post; ``township`` is a name resolved in ``district``."""
    uploader = overrides.pop("uploader", "通州区")
    external_id = overrides.pop("external_id", f"T{next(_seq):05d}")
    district = overrides.pop("district", "通州区")
    township_name = overrides.pop("township", "永乐店镇")
    code = ""
    if township_name:
        code = load_gazetteer().township(township_name, district).code
    values: dict[str, Any] = {
        "post_id": make_post_id(uploader, external_id),
        "external_id": external_id,
        "uploader": uploader,
        "title": "物业保洁员",
        "kind": "社会招聘",
        "employer": "北京通州某物业管理有限公司",
        "district": district,
        "township": township_name,
        "township_code": code,
        "headcount": 3,
    }
    values.update(overrides)
    return Post(**values)


def make_agreement(**overrides: Any) -> Agreement:
    """An active agreement of 通州区 with 朝阳区 for ``TODAY.year``."""
    values: dict[str, Any] = {
        "agreement_id": "tz-cy-2026",
        "output_district": "通州区",
        "partners": ("朝阳区",),
        "year": TODAY.year,
        "employers": (Employer("北京朝阳某物业管理有限公司", "91110105MA01ABCD13"),),
        "plan_hires": 200,
    }
    values.update(overrides)
    return Agreement(**values)
