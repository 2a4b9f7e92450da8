"""Each metric equals the value worked out by hand on a tiny case."""

from __future__ import annotations

import math

import pytest

from evaluation.metrics import (
    age_band,
    compliance,
    coverage,
    gini,
    group_gap,
    hires_per_100_pushes,
    hit_rate_at_k,
    month_metrics,
    normalized_entropy,
    recall_at_k,
    share_hired,
)
from evaluation.simulate import MonthResult, Outcome, Push
from tests.factories import TODAY, make_laborer, make_post


def test_three_hires_from_twelve_pushes_are_25_per_100() -> None:
    assert hires_per_100_pushes(3, 12) == 25.0
    assert hires_per_100_pushes(0, 0) == 0.0
    with pytest.raises(ValueError, match="hires"):
        hires_per_100_pushes(-1, 3)


def test_one_of_four_hired_is_a_quarter() -> None:
    assert share_hired([True, False, False, False]) == 0.25
    assert share_hired([]) == 0.0


def test_hit_rate_counts_people_with_a_relevant_post_in_the_first_k() -> None:
    ranked = [["a", "b", "c"], ["d", "e", "f"], ["g", "h"], ["x"]]
    relevant = [{"b"}, {"f"}, {"z"}, set()]  # the last person has none: left out
    # k=2: person 1 hits (b at 2), person 2 misses (f at 3), person 3 misses → 1/3.
    assert hit_rate_at_k(ranked, relevant, 2) == pytest.approx(1 / 3)
    # k=3: persons 1 and 2 hit → 2/3.
    assert hit_rate_at_k(ranked, relevant, 3) == pytest.approx(2 / 3)


def test_recall_is_the_mean_share_of_relevant_posts_found() -> None:
    ranked = [["a", "b", "c"], ["d", "e"]]
    relevant = [{"a", "c", "q"}, {"e"}]
    # k=2: person 1 finds a of {a, c, q} = 1/3; person 2 finds e = 1 → mean 2/3.
    assert recall_at_k(ranked, relevant, 2) == pytest.approx((1 / 3 + 1) / 2)
    # k=1: 1/3 and 0 → 1/6.
    assert recall_at_k(ranked, relevant, 1) == pytest.approx(1 / 6)
    with pytest.raises(ValueError, match="k must be >= 1"):
        recall_at_k(ranked, relevant, 0)


def test_coverage_is_the_share_of_posts_pushed_at_least_once() -> None:
    assert coverage(["a", "a", "b", "zz"], ["a", "b", "c", "d", "e"]) == 0.4
    assert coverage([], []) == 0.0


def test_gini_and_entropy_on_hand_worked_counts() -> None:
    # [0, 0, 0, 4]: G = Σ(2i−n−1)x_i/(nΣx) = (3·4)/(4·4) = 0.75; entropy 0 (one post).
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    assert normalized_entropy([0, 0, 0, 4]) == 0.0
    # [1, 1, 1, 1]: equal → Gini 0, entropy 1.
    assert gini([1, 1, 1, 1]) == 0.0
    assert normalized_entropy([1, 1, 1, 1]) == pytest.approx(1.0)
    # [1, 3]: G = (−1·1 + 1·3)/(2·4) = 0.25; H = −(¼ln¼ + ¾ln¾)/ln2.
    assert gini([1, 3]) == pytest.approx(0.25)
    expected = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)) / math.log(2)
    assert normalized_entropy([1, 3]) == pytest.approx(expected)


def test_compliance_counts_two_pushes_and_leaves_the_shortage_list_apart() -> None:
    assert compliance([2, 3, 1, 0]) == 0.5
    assert compliance([2, 3, 1, 0], shortage=[False, False, True, False]) == pytest.approx(2 / 3)
    assert compliance([], floor=2) == 1.0


def test_group_gap_is_the_spread_of_group_means() -> None:
    gap = group_gap([2, 0, 1, 1, 3], ["男", "男", "女", "女", "女"])
    assert gap.by_group == {"男": 1.0, "女": pytest.approx(5 / 3)}
    assert gap.gap == pytest.approx(5 / 3 - 1)
    assert (gap.lowest, gap.highest) == ("男", "女")


def test_age_bands_cover_the_working_ages() -> None:
    assert [age_band(a) for a in (16, 29, 30, 45, 50, 60)] == [
        "16–29岁",
        "16–29岁",
        "30–39岁",
        "40–49岁",
        "50岁及以上",
        "50岁及以上",
    ]


def test_hit_rate_can_count_people_without_relevant_posts_as_misses() -> None:
    ranked = [["a", "b"], ["c"], ["d"]]
    relevant: list[set[str]] = [{"a"}, set(), {"z"}]
    assert hit_rate_at_k(ranked, relevant, 1) == 0.5
    assert hit_rate_at_k(ranked, relevant, 1, skip_empty=False) == pytest.approx(1 / 3)


def test_month_metrics_on_three_people_and_three_posts() -> None:
    a = make_laborer(laborer_id="a" * 16, difficulty=True, age=52)
    b = make_laborer(laborer_id="b" * 16, male=False, age=35)
    c = make_laborer(laborer_id="c" * 16, male=False, age=45)
    p1, p2, p3 = (make_post(external_id=x, headcount=1) for x in ("P1", "P2", "P3"))
    pushes = [
        Push(a.laborer_id, p1.post_id, 1),
        Push(a.laborer_id, p2.post_id, 2),
        Push(b.laborer_id, p1.post_id, 1),
        Push(c.laborer_id, p3.post_id, 1),
    ]
    outcomes = (
        Outcome(a.laborer_id, p1.post_id, 1, 0.5, took=True, hired=True),
        Outcome(a.laborer_id, p2.post_id, 2, 0.5, took=False, hired=False),
        Outcome(b.laborer_id, p1.post_id, 1, 0.5, took=True, hired=False),
        Outcome(c.laborer_id, p3.post_id, 1, 0.5, took=False, hired=False),
    )
    result = MonthResult("2026-11", TODAY, outcomes, (a, b, c), (p1, p2, p3))
    m = month_metrics(result, pushes, [a, b, c], [p1, p2, p3], k=1)
    assert (m.pushes, m.hires) == (4, 1)
    assert m.hires_per_100_pushes == 25.0
    assert m.share_hired == pytest.approx(1 / 3)
    # a and b took their first post, c took nothing: hit rate at 1 is 2/3. Recall (against
    # take-ups) leaves c out: a and b each found their one take-up → 1.
    assert m.hit_rate_at_k == pytest.approx(2 / 3)
    assert m.recall_at_k == 1.0
    assert m.coverage == 1.0
    # Pushes per post [2, 1, 1] over one place each: max 2; Gini of [1, 1, 2] = 2/12.
    assert m.congestion.per_place_max == 2.0
    assert m.congestion.gini == pytest.approx(1 / 6)
    assert m.compliance == 1.0  # the one difficulty person got 2 pushes
    assert m.exposure_gaps["sex"].by_group == {"男": 2.0, "女": 1.0}
    assert m.hire_gaps["age_band"].gap == 1.0
    assert m.as_dict()["hit_rate_at_1"] == pytest.approx(0.6667)
    # Recall against what each would take: a would take p1 and p3, found p1 at 1 → 1/2; b
    # would take p2, not found → 0; c none → left out. Mean 1/4.
    truth = {a.laborer_id: {p1.post_id, p3.post_id}, b.laborer_id: {p2.post_id}}
    assert month_metrics(
        result, pushes, [a, b, c], [p1, p2, p3], k=1, relevant=truth
    ).recall_at_k == pytest.approx(0.25)


def test_month_metrics_congestion_compliance_and_shortage_on_a_hand_case() -> None:
    d1 = make_laborer(laborer_id="d" * 16, difficulty=True)
    d2 = make_laborer(laborer_id="e" * 16, difficulty=True)
    d3 = make_laborer(laborer_id="f" * 16, difficulty=True)
    p1 = make_post(external_id="Q1", headcount=1)
    p2 = make_post(external_id="Q2", headcount=2)
    p3 = make_post(external_id="Q3", headcount=4)
    pushes = [
        Push(d1.laborer_id, p1.post_id, 1),
        Push(d1.laborer_id, p2.post_id, 2),
        Push(d2.laborer_id, p1.post_id, 1),  # one push only, and not on the shortage list
        Push(d3.laborer_id, p1.post_id, 1),  # one push, on the shortage list
    ]
    outcomes = tuple(Outcome(p.laborer_id, p.post_id, p.rank, 0.1, False, False) for p in pushes)
    result = MonthResult("2026-11", TODAY, outcomes, (d1, d2, d3), (p1, p2, p3))
    m = month_metrics(result, pushes, [d1, d2, d3], [p1, p2, p3], k=1, shortage={d3.laborer_id})
    # d1 has two pushes, d2 one: compliance 1/2 (d3 counted apart); one on the shortage list.
    assert m.compliance == 0.5
    assert m.shortage == 1
    # Pushes per place: Q1 3/1 = 3, Q2 1/2 = 0.5, Q3 0/4 = 0 (not pushed).
    # p90 over the pushed posts [0.5, 3]: 0.5 + 0.9 · 2.5 = 2.75; over all [0, 0.5, 3]: 2.5.
    assert m.congestion.per_place_p90 == pytest.approx(2.75)
    assert m.congestion.per_place_p90_all == pytest.approx(2.5)
    assert m.congestion.posts_pushed == 2
    # Entropy of [3, 1, 0]: −(¾ ln ¾ + ¼ ln ¼) / ln 3.
    expected = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(3)
    assert m.congestion.entropy == pytest.approx(expected)
    assert m.coverage == pytest.approx(2 / 3)
    assert m.hires == 0
    assert m.hit_rate_at_k == 0.0
    assert m.as_dict()["congestion_per_place_p90_all"] == pytest.approx(2.5)
