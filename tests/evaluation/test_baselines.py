"""Baselines: eligible posts only, the batch's quotas and floor, and their own orders."""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.baselines import RankedPolicy, baselines, nearest_ranker, random_ranker
from evaluation.policies import MonthIndex, quotas_of
from evaluation.simulate import Push, simulate_months
from evaluation.synth import ParsedWorld, generate_world, parse_world
from features.eligibility import AgeLimits, no_push_reason
from features.tiers import load_tier_rules
from matcher.refer import refer
from tests.factories import TODAY


@pytest.fixture(scope="module")
def world() -> ParsedWorld:
    """A small synthetic world, parsed once."""
    return parse_world(generate_world(seed=21, people=300, today=TODAY), secret="s")


def _by_person(pushes: list[Push]) -> dict[str, list[Push]]:
    out: dict[str, list[Push]] = {}
    for p in pushes:
        out.setdefault(p.laborer_id, []).append(p)
    return out


@pytest.mark.parametrize("name", ["random", "nearest", "uncapped", "batch"])
def test_every_policy_pushes_only_posts_that_pass_the_hard_rules(
    world: ParsedWorld, name: str
) -> None:
    indexes = MonthIndex(world.agreements)
    policy = baselines(seed=1)[name](world.agreements, indexes)
    pushes = list(policy(world.laborers, world.posts, TODAY, {}))
    assert pushes
    index = indexes(world.posts, TODAY)
    people = {p.laborer_id: p for p in world.laborers}
    limits = AgeLimits()
    for laborer_id, mine in _by_person(pushes).items():
        person = people[laborer_id]
        assert no_push_reason(person, TODAY, limits) is None
        # refer() checks the rules on its own path: every eligible post, best first.
        allowed = {r.post_id for r in refer(person, index, k=len(index), today=TODAY).referrals}
        assert {p.post_id for p in mine} <= allowed
        assert len({p.post_id for p in mine}) == len(mine)  # distinct posts


@pytest.mark.parametrize("name", ["random", "nearest"])
def test_baselines_give_each_person_the_quota_and_difficulty_persons_two(
    world: ParsedWorld, name: str
) -> None:
    policy = baselines(seed=1)[name](world.agreements, MonthIndex(world.agreements))
    pushes = _by_person(list(policy(world.laborers, world.posts, TODAY, {})))
    month = policy.months[0]  # type: ignore[attr-defined]
    seekers = [p for p in world.laborers if no_push_reason(p, TODAY, AgeLimits()) is None]
    due = quotas_of(seekers, TODAY, load_tier_rules())
    assert due == month.quotas
    difficulty_served = 0
    for person in seekers:
        got = len(pushes.get(person.laborer_id, []))
        assert got == min(due[person.laborer_id], month.eligible[person.laborer_id])
        if person.difficulty and month.eligible[person.laborer_id] >= 2:
            assert got >= 2
            difficulty_served += 1
    assert difficulty_served > 0


def test_nearest_first_pushes_in_order_of_commute(world: ParsedWorld) -> None:
    indexes = MonthIndex(world.agreements)
    policy = RankedPolicy(world.agreements, ranker=nearest_ranker(3), indexes=indexes)
    pushes = policy(world.laborers, world.posts, TODAY, {})
    index = indexes(world.posts, TODAY)
    people = {p.laborer_id: p for p in world.laborers}
    places = index.places
    checked = 0
    for laborer_id, mine in _by_person(pushes).items():
        person = people[laborer_id]
        origin = places.index_of(person.district, person.township_code)
        minutes = [
            float(np.floor(places.minutes[origin, index.place[index.row_of(p.post_id)]]))
            for p in sorted(mine, key=lambda p: p.rank)
        ]
        assert minutes == sorted(minutes)
        checked += len(minutes) > 1
    assert checked > 0


def test_random_order_is_the_same_for_a_seed_and_differs_for_another(world: ParsedWorld) -> None:
    def pushes(seed: int) -> list[tuple[str, str]]:
        policy = RankedPolicy(world.agreements, ranker=random_ranker(seed))
        return [(p.laborer_id, p.post_id) for p in policy(world.laborers, world.posts, TODAY, {})]

    assert pushes(4) == pushes(4)
    assert pushes(4) != pushes(5)


def test_baselines_repeat_no_recent_post_and_never_a_declined_one(world: ParsedWorld) -> None:
    policy = RankedPolicy(world.agreements, ranker=random_ranker(2))
    results = simulate_months(world.laborers, world.posts, policy, start=TODAY, months=3, seed=7)
    first = {(p.laborer_id, p.post_id) for p in policy.months[0].pushes}
    later = {(p.laborer_id, p.post_id) for m in policy.months[1:] for p in m.pushes}
    assert not first & later  # the repeat window is three months
    declined = {(o.laborer_id, o.post_id) for o in results[0].outcomes if not o.took}
    assert declined
    assert not declined & later
