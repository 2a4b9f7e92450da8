"""The soft signals: each in [0, 1], with the Chinese cases counselors meet."""

from __future__ import annotations

import numpy as np
import pytest

from catalogue.models import POST_KINDS
from matcher.index import PostIndex
from matcher.refer import refer
from matcher.signals import (
    TRAITS,
    boost_signal,
    commute_signal,
    freshness_signal,
    kind_signal,
    pay_signal,
)
from tests.factories import TODAY, make_laborer, make_post


def signals_of(laborer, post, *others):  # type: ignore[no-untyped-def]
    index = PostIndex.build([post, *others], [], {}, today=TODAY)
    result = refer(laborer, index, k=10, today=TODAY)
    by_id = {r.post_id: r for r in result.referrals}
    return by_id[post.post_id]


@pytest.mark.parametrize("skill", ["焊工", "电焊", "电气焊"])
def test_welder_words_all_match_a_welding_post(skill: str) -> None:
    welder = make_laborer(skills=(skill,))
    referral = signals_of(welder, make_post(title="电焊工"), make_post(title="物业保洁员"))
    assert referral.signals["skill"] > 0.5
    assert "技能匹配：电焊" in referral.reasons


def test_welding_post_ranks_first_for_a_welder() -> None:
    welder = make_laborer(skills=("电气焊",))
    posts = [make_post(title="物业保洁员"), make_post(title="焊工"), make_post(title="收银员")]
    index = PostIndex.build(posts, [], {}, today=TODAY)
    result = refer(welder, index, k=3, today=TODAY)
    assert result.referrals[0].post_id == posts[1].post_id


def test_desired_cleaning_job_matches_a_cleaner_post() -> None:
    person = make_laborer(desired_jobs=("保洁",))
    referral = signals_of(person, make_post(title="保洁员"), make_post(title="叉车司机"))
    assert referral.signals["desired"] > 0.5
    other = signals_of(person, make_post(title="叉车司机"), make_post(title="保洁员"))
    assert other.signals["desired"] == 0.0


def test_every_signal_is_within_zero_and_one() -> None:
    person = make_laborer(skills=("电焊", "开车"), desired_jobs=("保安",), accepts_lodging=True)
    post = make_post(title="保安员", salary_min=3000, salary_max=4500, lodging=True)
    referral = signals_of(person, post)
    assert all(0.0 <= v <= 1.0 for v in referral.signals.values())
    assert 0.0 <= referral.score <= 1.0


def test_commute_signal_decreases_with_minutes() -> None:
    s = commute_signal(np.array([0, 15, 30, 45, 90, 240]))
    assert s[0] == 1.0
    assert s[3] == pytest.approx(0.5)
    assert np.all(np.diff(s) < 0)
    assert s.dtype == np.float32


def test_pay_signal_rises_from_the_minimum_wage_and_unknown_pay_is_neutral_low() -> None:
    s = pay_signal(
        np.array([2000, 3000, 6000, np.nan, 9000]), np.array([2400, 4000, 8000, np.nan, np.nan])
    )
    assert s[0] == 0.0
    assert 0 < s[1] < s[2] < 1
    assert s[3] == pytest.approx(0.3)
    assert s[4] == 1.0


def test_fresh_posts_score_higher_and_half_life_is_30_days() -> None:
    s = freshness_signal(np.array([0.0, 30.0, 90.0, np.nan, -5.0]))
    assert s[0] == 1.0
    assert s[1] == pytest.approx(0.5)
    assert s[2] == pytest.approx(0.125)
    assert s[3] == pytest.approx(0.5)
    assert s[4] == 1.0


def test_employer_boost_maps_the_multiplier_to_zero_one() -> None:
    s = boost_signal(np.array([1.0, 3.0, 0.1, 1.5]))
    assert s.tolist() == pytest.approx([0.5, 1.0, 0.0, 0.5 + np.log(1.5) / np.log(3) / 2])


def test_workshops_near_home_suit_older_low_skilled_people_more_than_open_posts() -> None:
    traits = np.zeros((2, len(TRAITS)), dtype=bool)
    traits[:, 0] = True
    traits[1, TRAITS.index("older_low_skilled")] = True
    kinds = np.array([POST_KINDS.index("扶贫车间"), POST_KINDS.index("社会招聘")], np.int8)
    near = kind_signal(traits, kinds, np.full((2, 2), 15.0, np.float32))
    assert near[1, 0] > near[1, 1]  # older: workshop over open post
    assert near[1, 0] > near[0, 0]  # workshop suits the older person more than anyone
    far = kind_signal(traits, kinds, np.full((2, 2), 80.0, np.float32))
    assert far[1, 0] < near[1, 0]


def test_directed_posts_suit_people_who_accept_lodging() -> None:
    traits = np.zeros((2, len(TRAITS)), dtype=bool)
    traits[:, 0] = True
    traits[1, TRAITS.index("mobile")] = True
    kinds = np.array([POST_KINDS.index("定向招聘")], np.int8)
    fit = kind_signal(traits, kinds, np.full((2, 1), 120.0, np.float32))
    assert fit[1, 0] == 1.0
    assert fit[0, 0] < fit[1, 0]


def test_older_farmer_gets_the_workshop_before_an_equal_open_post() -> None:
    farmer = make_laborer(age=55, education="小学及以下")
    workshop = make_post(title="手工编织", kind="扶贫车间")
    open_post = make_post(title="手工编织", kind="社会招聘")
    index = PostIndex.build([workshop, open_post], [], {}, today=TODAY)
    result = refer(farmer, index, k=2, today=TODAY)
    assert result.referrals[0].post_id == workshop.post_id
    assert "扶贫车间·离家近" in result.referrals[0].reasons
