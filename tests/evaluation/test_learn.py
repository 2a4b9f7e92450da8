"""Weights learned from outcomes: the AUC, the labels, the split, and a world whose truth is known."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from evaluation.baselines import RankedPolicy, random_ranker
from evaluation.learn import (
    SIGNALS,
    LearnError,
    OutcomeRecord,
    OutcomeSample,
    SignalTruth,
    auc,
    fit_weights,
    labelled_pairs,
    sample_from_months,
    sample_from_records,
    score,
    split_months,
)
from evaluation.policies import MonthIndex
from evaluation.simulate import simulate_months
from evaluation.synth import generate_world, parse_world
from matcher.index import PostIndex
from matcher.weights import DEFAULT_WEIGHTS, Weights
from tests.factories import TODAY, make_laborer, make_post


def test_auc_on_a_hand_worked_case() -> None:
    # Positives score 0.9 and 0.4, negatives 0.5, 0.4 and 0.1. Pairs (pos, neg): 0.9 beats all
    # three; 0.4 beats 0.1, ties 0.4 (½), loses to 0.5 → (3 + 1.5) / 6 = 0.75.
    assert auc([True, True, False, False, False], [0.9, 0.4, 0.5, 0.4, 0.1]) == 0.75
    assert auc([True, False], [1.0, 0.0]) == 1.0
    assert auc([True, False], [0.0, 1.0]) == 0.0
    assert auc([True, True], [0.1, 0.2]) == 0.5  # one class only


def test_auc_matches_scikit_learn() -> None:
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(3)
    y = rng.random(200) < 0.3
    s = np.round(rng.random(200), 1)  # many ties
    assert auc(y, s) == pytest.approx(roc_auc_score(y, s))


def test_score_is_the_weighted_mean_of_the_signals() -> None:
    signals = np.array([[1.0, 0, 0, 0, 0, 0, 0], [0, 0, 1.0, 0, 0, 0, 0]])
    w = Weights(skill=3.0, desired=0, commute=1.0, kind=0, pay=0, freshness=0, boost=0)
    assert score(signals, w).tolist() == pytest.approx([0.75, 0.25])


def test_a_pair_is_taken_up_when_interviewed_or_hired_and_not_when_only_declined() -> None:
    day = dt.date(2026, 10, 5)
    records = [
        OutcomeRecord("a", "p1", "referred", day),
        OutcomeRecord("a", "p1", "interviewed", day + dt.timedelta(days=3)),
        OutcomeRecord("a", "p2", "declined", day),
        OutcomeRecord("b", "p1", "referred", day),  # nothing after: no label
        OutcomeRecord("b", "p2", "no_answer", day),  # says nothing of the person's choice
        OutcomeRecord("c", "p3", "hired", day + dt.timedelta(days=40)),
        OutcomeRecord("c", "p3", "referred", day),
    ]
    assert labelled_pairs(records) == [
        ("a", "p1", True, day),
        ("a", "p2", False, day),
        ("c", "p3", True, day),  # dated by its first record
    ]


def test_outcomes_of_people_or_posts_no_longer_known_are_skipped() -> None:
    person = make_laborer(laborer_id="a" * 16, desired_jobs=("保洁员",))
    post = make_post(external_id="P1", title="物业保洁员")
    index = PostIndex.build([post], [], {}, today=TODAY)
    records = [
        OutcomeRecord(person.laborer_id, post.post_id, "hired", TODAY),
        OutcomeRecord(person.laborer_id, "gone", "declined", TODAY),
        OutcomeRecord("b" * 16, post.post_id, "declined", TODAY),
    ]
    sample, skipped = sample_from_records(records, {person.laborer_id: person}, index)
    assert (len(sample), skipped) == (1, 2)
    assert sample.taken.tolist() == [True]
    assert sample.months == ("2026-11",)
    values = dict(zip(SIGNALS, sample.signals[0].tolist(), strict=True))
    assert values["desired"] > 0.5  # 保洁员 named in the post's title
    assert all(0.0 <= v <= 1.0 for v in values.values())


def test_the_last_months_are_held_out_and_too_little_data_is_refused() -> None:
    rng = np.random.default_rng(0)
    months = tuple(["2026-09"] * 3 + ["2026-10"] * 2 + ["2026-11"] * 1)
    sample = OutcomeSample(
        rng.random((6, len(SIGNALS))), np.array([1, 0, 1, 0, 1, 0], bool), months
    )
    train, test = split_months(sample, 1)
    assert (set(train.months), set(test.months)) == ({"2026-09", "2026-10"}, {"2026-11"})
    with pytest.raises(LearnError, match="months"):
        split_months(sample, 3)
    with pytest.raises(LearnError, match="at least"):
        fit_weights(sample)  # 5 training outcomes are too few


@pytest.mark.slow
def test_learned_weights_beat_the_hand_weights_where_the_truth_is_known() -> None:
    """A world whose take-up follows known weights (commute and pay, not skills): pushes of
    random eligible posts for three months; the weights fitted on two months rank the third
    month's outcomes better than the hand weights, and lean the way the truth does."""
    world = parse_world(generate_world(seed=33, people=1500, today=TODAY), secret="s")
    truth = Weights(skill=0.0, desired=0.05, commute=0.55, kind=0.0, pay=0.4, freshness=0, boost=0)
    indexes = MonthIndex(world.agreements)
    policy = RankedPolicy(world.agreements, ranker=random_ranker(1), indexes=indexes)
    results = simulate_months(
        world.laborers,
        world.posts,
        policy,
        start=TODAY,
        months=3,
        seed=5,
        take=SignalTruth(truth, indexes),
    )
    sample = sample_from_months(results, world.laborers, world.posts, indexes)
    fit = fit_weights(sample)
    assert fit.test_months == ("2027-01",)
    assert fit.auc_learned > fit.auc_hand + 0.01
    assert fit.adopted
    learned = fit.weights
    assert learned.commute + learned.pay > DEFAULT_WEIGHTS.commute + DEFAULT_WEIGHTS.pay
    assert learned.skill < DEFAULT_WEIGHTS.skill
    # The truth's own weights rank the held-out month at least as well as the learned ones.
    _, test = split_months(sample, 1)
    assert auc(test.taken, score(test.signals, truth)) >= fit.auc_learned - 0.01
