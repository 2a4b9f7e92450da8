"""Assistance tiers from the TOML rule table, with their Chinese reasons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from features.laborer import LABORER_FIELDS
from features.tiers import TierAssessor, assess_tier, load_tier_rules, parse_tier_rules
from tests.factories import make_laborer

DAY = dt.date(2026, 11, 1)


def test_a_skilled_young_graduate_needs_only_general_guidance() -> None:
    person = make_laborer(age=30, education="大专", skills=("电焊",), certificates=("焊工证",))
    result = assess_tier(person, DAY, load_tier_rules())
    assert result.tier == "general"
    assert "持有职业资格证书" in result.reasons


def test_an_older_low_educated_person_without_skills_is_key() -> None:
    person = make_laborer(age=52, education="初中")
    result = assess_tier(person, DAY, load_tier_rules())
    assert result.tier == "key"
    assert result.reasons == ("年龄50岁及以上", "文化程度初中", "无技能特长和职业资格证书")


def test_a_zero_employment_family_is_special_whatever_the_points() -> None:
    person = make_laborer(age=30, education="大专", skills=("电焊",), family=("零就业家庭",))
    result = assess_tier(person, DAY, load_tier_rules())
    assert result.tier == "special"
    assert "零就业家庭" in result.reasons


def test_disability_is_at_least_key_and_many_burdens_add_up_to_special() -> None:
    rules = load_tier_rules()
    assert (
        assess_tier(
            make_laborer(age=30, education="高中", skills=("保洁",), health="残疾"), DAY, rules
        ).tier
        == "key"
    )
    burdened = make_laborer(
        age=55,
        education="小学及以下",
        months_without_work=14,
        family=("需照料老人", "单亲"),
    )
    result = assess_tier(burdened, DAY, rules)
    assert result.tier == "special"
    assert "失业12个月以上（长期失业）" in result.reasons
    assert "家庭有照料负担" in result.reasons


def test_a_district_can_change_the_rules_in_its_own_file(tmp_path: Path) -> None:
    path = tmp_path / "tiers.toml"
    path.write_text(
        '[thresholds]\nkey = 1\nspecial = 9\n\n[[rule]]\nsex = "女"\npoints = 1\nreason = "女性"\n',
        encoding="utf-8",
    )
    rules = load_tier_rules(path)
    assert assess_tier(make_laborer(male=False), DAY, rules).tier == "key"
    assert assess_tier(make_laborer(male=True), DAY, rules).tier == "general"


def test_a_rule_with_an_unknown_condition_is_refused_by_number() -> None:
    with pytest.raises(ValueError, match="rule 1: unknown keys"):
        parse_tier_rules('[[rule]]\nheight_min = 170\nreason = "高"\n')
    with pytest.raises(ValueError, match="education"):
        parse_tier_rules('[[rule]]\neducation_at_most = "博士"\nreason = "x"\n')


OTHER_TABLE = """
[thresholds]
key = 1
special = 2

[[rule]]
sex = "女"
employment = ["务农"]
points = 1
reason = "务农妇女"

[[rule]]
difficulty = true
education_at_least = "高中"
points = 1
reason = "高中以上的困难人员"
"""


@pytest.mark.parametrize("table", ["shipped", "other"])
def test_the_memoised_assessor_agrees_with_assess_tier_on_many_profiles(table: str) -> None:
    rules = load_tier_rules() if table == "shipped" else parse_tier_rules(OTHER_TABLE)
    assessor = TierAssessor(DAY, rules)
    people = [
        make_laborer(
            age=age,
            male=age % 2 == 0,
            education=edu,
            months_without_work=months,
            family=family,
            health=health,
            skills=skills,
            certificates=certificates,
            employment=employment,
            difficulty=difficulty,
        )
        for age in (16, 23, 24, 25, 39, 40, 49, 50, 60)
        for edu in (None, "小学及以下", "初中", "高中", "大专")
        for months in (None, 0, 5, 6, 11, 12, 30)
        for family in ((), ("需照料子女",), ("零就业家庭", "单亲"))
        for health in (None, "一般", "残疾")
        for skills, certificates in (((), ()), (("电焊",), ()), ((), ("电工证",)))
        for employment, difficulty in (("无业", False), ("务农", True), ("已就业", False))
    ]
    for person in people:
        assert assessor(person) == assess_tier(person, DAY, rules)
    # The column-by-column path of an import gives the same answers, from rows of values.
    rows = [tuple(getattr(p, name) for name in LABORER_FIELDS) for p in people]
    fresh = TierAssessor(DAY, rules)
    assert fresh.rows(rows) == [assess_tier(p, DAY, rules) for p in people]
    assert fresh.rows([]) == []
    # A few rows (a person's change) go through the memo, many (an import) rule by rule.
    assert TierAssessor(DAY, rules).rows(rows[:9]) == fresh.rows(rows[:300])[:9]
