"""Working age to the exact day, the exclusions, and who needs pushes."""

from __future__ import annotations

import datetime as dt

import pytest

from features.eligibility import (
    AgeLimits,
    excluded_reason,
    is_working_age,
    no_push_reason,
)
from tests.factories import make_laborer

DAY = dt.date(2026, 11, 1)
LIMITS = AgeLimits()


@pytest.mark.parametrize(
    ("birth", "male", "working"),
    [
        (dt.date(2010, 11, 1), True, True),  # 16th birthday
        (dt.date(2010, 11, 2), True, False),  # one day short of 16
        (dt.date(1965, 11, 2), True, True),  # man, last day at 60
        (dt.date(1965, 11, 1), True, False),  # man, 61st birthday
        (dt.date(1975, 11, 2), False, True),  # woman, last day at 50
        (dt.date(1975, 11, 1), False, False),  # woman, 51st birthday
        (dt.date(1965, 11, 2), False, False),  # a woman of 60 is past her limit
    ],
)
def test_working_age_is_exact_to_the_day(birth: dt.date, male: bool, working: bool) -> None:
    person = make_laborer(birth_date=birth, male=male)
    assert is_working_age(person, DAY, LIMITS) is working


def test_a_leap_day_birth_comes_of_age_on_the_first_of_march_in_a_common_year() -> None:
    person = make_laborer(birth_date=dt.date(2008, 2, 29))
    assert not is_working_age(person, dt.date(2024, 2, 28), LIMITS)
    assert is_working_age(person, dt.date(2024, 2, 29), LIMITS)
    older = AgeLimits(min_age=17)  # 2025 has no 29 February
    assert not is_working_age(person, dt.date(2025, 2, 28), older)
    assert is_working_age(person, dt.date(2025, 3, 1), older)


def test_the_limits_come_from_the_settings_not_the_code() -> None:
    person = make_laborer(birth_date=dt.date(1970, 1, 1), male=False)  # 56
    assert not is_working_age(person, DAY, LIMITS)
    assert is_working_age(person, DAY, AgeLimits(max_age_women=60))


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({}, None),
        ({"exclusion": "在校学生"}, "在校学生"),
        ({"exclusion": "现役军人"}, "现役军人"),
        ({"exclusion": "监押服刑"}, "监押服刑"),
        ({"exclusion": "完全丧失劳动能力"}, "完全丧失劳动能力"),
        ({"exclusion": "本年度高校毕业生", "age": 22}, None),
        ({"employment": "已就业"}, "已就业"),
        ({"employment": "务农"}, None),
        ({"wants_job": False}, "暂无就业意愿"),
        ({"age": 15}, "未到劳动年龄"),
        ({"age": 62}, "超过劳动年龄"),
    ],
)
def test_no_push_reason_names_why_a_person_gets_no_posts(
    overrides: dict[str, object], reason: str | None
) -> None:
    assert no_push_reason(make_laborer(**overrides), DAY, LIMITS) == reason


def test_age_goes_before_the_exclusion_and_the_exclusion_before_employment() -> None:
    person = make_laborer(age=70, exclusion="在校学生", employment="已就业")
    assert excluded_reason(person, DAY, LIMITS) == "超过劳动年龄"
    person = make_laborer(exclusion="现役军人", employment="已就业")
    assert no_push_reason(person, DAY, LIMITS) == "现役军人"
