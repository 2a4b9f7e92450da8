"""The product's batch as a policy of the simulated months, on a synthetic world."""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.metrics import month_metrics
from evaluation.policies import UNCAPPED, BatchPolicy, relevant_posts
from evaluation.simulate import Push, simulate_months
from evaluation.synth import ParsedWorld, generate_world, parse_world
from features.eligibility import AgeLimits, no_push_reason
from tests.factories import TODAY


@pytest.fixture(scope="module")
def world() -> ParsedWorld:
    """A small synthetic world, parsed once."""
    return parse_world(generate_world(seed=8, people=500, today=TODAY), secret="s")


@pytest.mark.slow
def test_the_batch_policy_pushes_within_caps_and_meets_the_floor(world: ParsedWorld) -> None:
    policy = BatchPolicy(world.agreements)
    results = simulate_months(world.laborers, world.posts, policy, start=TODAY, months=2, seed=3)
    first = results[0]
    plan = policy.plans[0]
    # A fresh policy plans the same first month (the plan depends only on its inputs).
    pushes = list(BatchPolicy(world.agreements)(world.laborers, world.posts, TODAY, {}))
    assert [(p.laborer_id, p.post_id) for p in pushes] == [
        (p.laborer_id, p.post_id) for p in plan.pushes
    ]
    seekers = [p for p in world.laborers if no_push_reason(p, TODAY, AgeLimits()) is None]
    open_posts = [q for q in world.posts if q.places_left > 0]
    shortage = {s.laborer_id for s in plan.shortage}
    m = month_metrics(first, pushes, seekers, open_posts, shortage=shortage)
    assert m.pushes > 0
    assert m.compliance == 1.0  # every difficulty person off the shortage list got two
    overflow = sum(p.overflow for p in plan.pushes)
    assert m.congestion.per_place_max <= 3.0 or overflow > 0
    assert results[1].month == "2026-12"
    # No post pushed in November goes to the same person in December.
    november = {(p.laborer_id, p.post_id) for p in policy.plans[0].pushes}
    december = {(p.laborer_id, p.post_id) for p in policy.plans[1].pushes}
    assert not november & december


def test_without_caps_pushes_crowd_more(world: ParsedWorld) -> None:
    capped, uncapped = (
        BatchPolicy(world.agreements),
        BatchPolicy(world.agreements, cap_multiple=UNCAPPED),
    )
    open_posts = [q for q in world.posts if q.places_left > 0]
    loads = []
    for policy in (capped, uncapped):
        pushes = policy(world.laborers, world.posts, TODAY, {})
        counts: dict[str, int] = {}
        for p in pushes:
            counts[p.post_id] = counts.get(p.post_id, 0) + 1
        ratio = [counts.get(q.post_id, 0) / q.places_left for q in open_posts]
        loads.append(float(np.percentile(ratio, 100)))
    assert loads[1] >= loads[0]


def test_a_non_positive_cap_is_refused(world: ParsedWorld) -> None:
    with pytest.raises(ValueError, match="cap_multiple"):
        BatchPolicy(world.agreements, cap_multiple=0)


def test_relevant_posts_are_eligible_posts_the_truth_says_would_be_taken(
    world: ParsedWorld,
) -> None:
    everything = relevant_posts(
        world.laborers, world.posts, world.agreements, day=TODAY, threshold=0
    )
    likely = relevant_posts(world.laborers, world.posts, world.agreements, day=TODAY)
    assert likely
    for laborer_id, post_ids in likely.items():
        assert post_ids <= everything[laborer_id]
    # Only people who need work have eligible posts.
    seekers = {
        p.laborer_id for p in world.laborers if no_push_reason(p, TODAY, AgeLimits()) is None
    }
    assert set(everything) <= seekers
    # Recall against this truth is a real measure: below 1 for the batch's few pushes.
    policy = BatchPolicy(world.agreements)
    results = simulate_months(world.laborers, world.posts, policy, start=TODAY, months=1, seed=3)
    pushes = [Push(p.laborer_id, p.post_id, p.rank, p.score) for p in policy.plans[0].pushes]
    seeking = [p for p in world.laborers if p.laborer_id in seekers]
    open_posts = [q for q in world.posts if q.places_left > 0]
    m = month_metrics(results[0], pushes, seeking, open_posts, relevant=likely)
    assert 0 < m.recall_at_k < 1
    with pytest.raises(ValueError, match="threshold"):
        relevant_posts(world.laborers, world.posts, world.agreements, day=TODAY, threshold=2)
