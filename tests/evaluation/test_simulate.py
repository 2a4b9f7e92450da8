"""The simulated month: deterministic for a seed, and people take posts that fit them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pytest

from catalogue.models import Post, post_state
from evaluation.metrics import month_metrics
from evaluation.simulate import (
    Push,
    TakeModel,
    hire,
    kind_age_fit,
    month_days,
    simulate_month,
    simulate_months,
    take_features,
    take_probability,
    true_fit,
)
from evaluation.synth import generate_world, parse_world
from features.eligibility import AgeLimits, no_push_reason
from features.laborer import Laborer
from tests.factories import TODAY, make_laborer, make_post


def _people(n: int, **overrides: object) -> list[Laborer]:
    return [make_laborer(laborer_id=f"{i:016x}", **overrides) for i in range(n)]


def test_a_desired_job_named_in_the_post_fits_best_then_a_skill_then_low_skill_work() -> None:
    person = make_laborer(desired_jobs=("保洁员",), skills=("驾驶",))
    assert true_fit(person, make_post(title="物业保洁员")) == 1.0
    assert true_fit(person, make_post(title="送货司机")) == 0.6
    assert true_fit(person, make_post(title="普工")) == 0.3
    assert true_fit(person, make_post(title="收银员")) == 0.0


def test_workshops_suit_the_old_and_directed_posts_the_young() -> None:
    assert kind_age_fit("扶贫车间", 55) > kind_age_fit("扶贫车间", 25)
    assert kind_age_fit("定向招聘", 25) > kind_age_fit("定向招聘", 55)


def test_more_fit_means_more_take_up() -> None:
    person = make_laborer(desired_jobs=("保洁员",), max_commute_min=60)
    fitting = make_post(title="物业保洁员")
    unrelated = make_post(title="收银员")
    features = take_features([(person, fitting), (person, unrelated)], today=TODAY)
    p = take_probability(features, TakeModel())
    assert p[0] > p[1]
    # And the fit coefficient is what makes the difference.
    flat = take_probability(features, dataclasses.replace(TakeModel(), fit=0.0))
    assert flat[0] == pytest.approx(flat[1])


def test_a_long_commute_over_tolerance_lowers_take_up_unless_lodging_is_accepted() -> None:
    near = make_post(title="普工", district="通州区", township="永乐店镇")
    far = make_post(title="普工", district="延庆区", township="延庆镇")
    stays = make_post(title="普工", district="延庆区", township="延庆镇", lodging=True)
    person = make_laborer(max_commute_min=45, accepts_lodging=True)
    f = take_features([(person, near), (person, far), (person, stays)], today=TODAY)
    assert f.over_tolerance.tolist() == [0.0, 1.0, 0.0]
    p = take_probability(f, TakeModel())
    assert p[0] > p[2] > p[1]


def test_hiring_respects_places_and_hires_each_person_once() -> None:
    rng = np.random.default_rng(1)
    # Four takers of post 0 (one place), person 0 also took post 1 (two places).
    hired = hire([0, 1, 2, 3, 0], [0, 0, 0, 0, 1], [1, 1, 1, 1, 1], [1, 2], rng=rng)
    assert hired[:4].sum() == 1
    persons = [p for p, h in zip([0, 1, 2, 3, 0], hired, strict=True) if h]
    assert len(persons) == len(set(persons))
    assert hire([0, 1], [0, 0], [1.0, 1.0], [0], rng=rng).sum() == 0


def _world() -> tuple[list[Laborer], list[Post]]:
    people = _people(40, desired_jobs=("保洁员",), max_commute_min=60)
    posts = [make_post(external_id=f"P{i}", title="物业保洁员", headcount=2) for i in range(10)]
    return people, posts


def _all_to_all(
    laborers: Sequence[Laborer],
    posts: Sequence[Post],
    day: dt.date,
    declined: Mapping[str, frozenset[str]],
) -> list[Push]:
    return [
        Push(p.laborer_id, q.post_id, rank)
        for p in laborers
        if p.employment != "已就业"
        for rank, q in enumerate(posts[:3], start=1)
        if q.post_id not in declined.get(p.laborer_id, frozenset()) and q.places_left > 0
    ]


def test_a_month_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    people, posts = _world()
    pushes = _all_to_all(people, posts, TODAY, {})
    a = simulate_month(pushes, people, posts, day=TODAY, seed=5)
    b = simulate_month(pushes, people, posts, day=TODAY, seed=5)
    c = simulate_month(pushes, people, posts, day=TODAY, seed=6)
    assert a == b
    assert [o.took for o in a.outcomes] != [o.took for o in c.outcomes]


def test_hires_make_people_employed_and_fill_places() -> None:
    people, posts = _world()
    result = simulate_month(_all_to_all(people, posts, TODAY, {}), people, posts, day=TODAY, seed=2)
    hired = {o.laborer_id for o in result.outcomes if o.hired}
    assert hired
    assert result.hires == len(hired)
    employed = {p.laborer_id for p in result.laborers if p.employment == "已就业"}
    assert employed == hired
    assert sum(p.hires for p in result.posts) == result.hires
    assert all(p.hires <= p.headcount for p in result.posts)
    assert {o.outcome for o in result.outcomes} == {"hired", "interviewed", "declined"}
    assert {o.result for o in result.outcomes if o.hired} == {"已录用"}


def test_months_chain_and_declined_posts_are_not_pushed_again() -> None:
    people, posts = _world()
    results = simulate_months(people, posts, _all_to_all, start=TODAY, months=3, seed=9)
    assert [r.month for r in results] == ["2026-11", "2026-12", "2027-01"]
    declined = {(o.laborer_id, o.post_id) for o in results[0].outcomes if not o.took}
    later = {(o.laborer_id, o.post_id) for r in results[1:] for o in r.outcomes}
    assert declined
    assert not declined & later
    total = sum(r.hires for r in results)
    assert sum(p.hires for p in results[-1].posts) == total
    assert total <= sum(p.headcount for p in posts)
    assert results == simulate_months(people, posts, _all_to_all, start=TODAY, months=3, seed=9)


def test_more_fitting_posts_get_more_hires_across_seeds() -> None:
    people = _people(60, desired_jobs=("保洁员",), max_commute_min=60)
    fitting = [make_post(external_id=f"F{i}", title="物业保洁员", headcount=50) for i in range(1)]
    other = [make_post(external_id=f"O{i}", title="收银员", headcount=50) for i in range(1)]
    fit_hires = other_hires = 0
    for seed in range(5):
        for posts, counter in ((fitting, "fit"), (other, "other")):
            pushes = [Push(p.laborer_id, posts[0].post_id) for p in people]
            hires = simulate_month(pushes, people, posts, day=TODAY, seed=seed).hires
            if counter == "fit":
                fit_hires += hires
            else:
                other_hires += hires
    assert fit_hires > other_hires


def test_month_days_run_over_the_year_end() -> None:
    assert month_days(dt.date(2026, 11, 20), 3) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
    ]
    with pytest.raises(ValueError, match="months"):
        simulate_months([], [], _all_to_all, start=TODAY, months=0, seed=1)


def _near_home(
    laborers: Sequence[Laborer],
    posts: Sequence[Post],
    day: dt.date,
    declined: Mapping[str, frozenset[str]],
) -> list[Push]:
    """A plain policy: two open posts of the person's own district that they may be sent to."""
    limits = AgeLimits()
    pushes = []
    for p in laborers:
        if no_push_reason(p, day, limits) is not None:
            continue
        age = p.age_on(day)
        fitting = [
            q
            for q in posts
            if q.district == p.district
            and q.kind not in ("定向招聘", "公益性岗位")
            and post_state(q, day) == "open"
            and (q.min_age or 0) <= age <= (q.max_age or 200)
            and q.post_id not in declined.get(p.laborer_id, frozenset())
        ]
        pushes += [Push(p.laborer_id, q.post_id, r) for r, q in enumerate(fitting[:2], start=1)]
    return pushes


def test_a_month_on_a_synthetic_world_gives_sane_metrics() -> None:
    world = parse_world(generate_world(seed=4, people=400, today=TODAY), secret="s")
    seekers = [p for p in world.laborers if no_push_reason(p, TODAY, AgeLimits()) is None]
    open_posts = [q for q in world.posts if post_state(q, TODAY) == "open"]
    pushes = _near_home(world.laborers, world.posts, TODAY, {})
    result = simulate_month(pushes, world.laborers, world.posts, day=TODAY, seed=1)
    m = month_metrics(result, pushes, seekers, open_posts, k=2)
    assert m.pushes == len(pushes) > 0
    assert 0 < m.hires <= sum(q.places_left for q in open_posts)
    assert 0 < m.coverage <= 1
    assert 0 <= m.congestion.gini < 1
    assert 0 < m.hit_rate_at_k < 1  # some pushed people took up a post, not all
    assert m.recall_at_k == 1.0  # k covers both pushes, so every take-up is found
    assert set(m.hire_gaps) == {"township", "age_band", "sex"}
    assert m.share_hired == pytest.approx(m.hires / len(seekers))
