"""Capacity-aware allocation: quotas, caps, the floor, coverage, and the plain top-k beside it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from matcher.allocation import allocate, post_caps, top_k_capped


def _lists(*people: list[tuple[int, float]], width: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rows = np.full((len(people), width), -1, dtype=np.int32)
    scores = np.zeros((len(people), width), dtype=np.float32)
    for i, cands in enumerate(people):
        for c, (post, score) in enumerate(cands):
            rows[i, c] = post
            scores[i, c] = score
    return rows, scores


def _district(seed: int, people: int = 400, posts: int = 60, width: int = 8):
    """A generated district: people prefer a few popular posts; posts have 0–3 places."""
    rng = np.random.default_rng(seed)
    popularity = rng.pareto(1.2, posts) + 0.05
    popularity /= popularity.sum()
    rows = np.full((people, width), -1, dtype=np.int32)
    scores = np.zeros((people, width), dtype=np.float32)
    for i in range(people):
        reach = int(rng.integers(0, width + 1))
        chosen = rng.choice(posts, size=reach, replace=False, p=popularity)
        rows[i, :reach] = chosen
        scores[i, :reach] = np.sort(rng.random(reach))[::-1]
    tiers = rng.choice(3, size=people, p=[0.6, 0.3, 0.1])
    quotas = np.array([1, 2, 3])[tiers]
    floors = np.where(rng.random(people) < 0.2, 2, 0)
    quotas = np.maximum(quotas, floors)
    places = rng.integers(0, 4, posts)
    return rows, scores, quotas, floors, places


def _max_people_served(rows: np.ndarray, caps: np.ndarray) -> int:
    """Max flow source → person (1) → post (cap) → sink: the most people the caps can serve."""
    n, posts = rows.shape[0], caps.shape[0]
    source, sink = n + posts, n + posts + 1
    src, dst, cap = [], [], []
    for i in range(n):
        src.append(source)
        dst.append(i)
        cap.append(1)
        for j in {int(x) for x in rows[i] if x >= 0}:
            src.append(i)
            dst.append(n + j)
            cap.append(1)
    for j in range(posts):
        src.append(n + j)
        dst.append(sink)
        cap.append(int(caps[j]))
    graph = csr_matrix((cap, (src, dst)), shape=(n + posts + 2,) * 2, dtype=np.int32)
    return int(maximum_flow(graph, source, sink).flow_value)


def test_caps_are_ceil_of_multiple_times_places_left():
    assert post_caps([0, 1, 2, -3], 3.0).tolist() == [0, 3, 6, 0]
    assert post_caps([1, 3], 1.5).tolist() == [2, 5]
    with pytest.raises(ValueError, match="cap_multiple"):
        post_caps([1], 0)


def test_each_person_gets_their_quota_of_distinct_posts_best_first():
    rows, scores = _lists([(0, 0.9), (1, 0.8), (0, 0.7), (2, 0.5)], [(1, 0.6), (2, 0.4)])
    result = allocate(rows, scores, [3, 1], [9, 9, 9])
    posts = result.post_rows(rows)
    assert posts[0].tolist() == [0, 1, 2]
    assert posts[1].tolist()[:1] == [1]
    assert result.counts.tolist() == [3, 1]


def test_a_scarce_post_goes_to_the_person_it_fits_best():
    # One place, cap 1: the person scoring 0.9 on it gets it, the other their second choice.
    rows, scores = _lists([(0, 0.9), (1, 0.2)], [(0, 0.5), (2, 0.4)])
    result = allocate(rows, scores, [1, 1], [1, 9, 9])
    assert result.post_rows(rows)[:, 0].tolist() == [0, 2]


def test_a_person_with_one_option_is_not_crowded_out_by_one_with_many():
    # The greedy would give post 0 to person 0 (0.9); person 1 has nothing else. The repair
    # moves person 0 to post 1 so that both are served.
    rows, scores = _lists([(0, 0.9), (1, 0.8)], [(0, 0.85)])
    result = allocate(rows, scores, [1, 1], [1, 1])
    assert result.post_rows(rows)[:, 0].tolist() == [1, 0]


def test_a_person_holding_two_gives_one_up_for_a_person_holding_none():
    rows, scores = _lists([(0, 0.9), (1, 0.8)], [(1, 0.3)])
    result = allocate(rows, scores, [2, 1], [1, 1])
    assert result.counts.tolist() == [1, 1]
    assert not result.overflows


def test_a_difficulty_person_reaches_two_over_the_cap_and_it_is_reported():
    # Posts 0 and 1 are at their cap of one, held by people with no other option; the
    # difficulty person gets post 2 and, for the floor, their best full post over its cap.
    rows, scores = _lists([(0, 0.9)], [(1, 0.9)], [(0, 0.5), (1, 0.4), (2, 0.3)])
    result = allocate(rows, scores, [1, 1, 2], [1, 1, 1], floors=[0, 0, 2])
    assert result.counts.tolist() == [1, 1, 2]
    assert len(result.overflows) == 1
    overflow = result.overflows[0]
    assert (overflow.person, overflow.post_row) == (2, 0)
    assert result.loads.tolist() == [2, 1, 1]


def test_the_floor_takes_a_second_push_from_someone_with_more_before_overflowing():
    rows, scores = _lists([(0, 0.9), (1, 0.9), (2, 0.9)], [(0, 0.5), (1, 0.4)])
    result = allocate(rows, scores, [3, 2], [1, 1, 1], floors=[0, 2])
    assert result.counts.tolist() == [1, 2]
    assert result.post_rows(rows)[0, 0] == 2
    assert not result.overflows


def test_the_floor_is_never_more_than_the_candidates_that_exist():
    rows, scores = _lists([(0, 0.9)])
    result = allocate(rows, scores, [2], [1], floors=[2])
    assert result.counts.tolist() == [1]
    assert not result.overflows


def test_a_post_with_no_place_left_is_never_pushed_even_for_the_floor():
    rows, scores = _lists([(0, 0.9), (1, 0.5)], [(1, 0.9)])
    result = allocate(rows, scores, [2, 1], [0, 1], floors=[2, 0])
    assert result.loads[0] == 0
    assert result.counts.tolist() == [1, 1]
    assert result.overflows[0].post_row == 1


def test_quotas_floors_and_caps_must_be_consistent():
    rows, scores = _lists([(0, 0.9)])
    with pytest.raises(ValueError, match="floors"):
        allocate(rows, scores, [1], [1], floors=[2])
    with pytest.raises(ValueError, match="beyond caps"):
        allocate(rows, scores, [1], [])


@pytest.mark.parametrize("seed", range(6))
def test_generated_districts_keep_caps_quotas_and_serve_the_most_people(seed):
    rows, scores, quotas, floors, places = _district(seed)
    caps = post_caps(places, 3.0)
    result = allocate(rows, scores, quotas, caps, floors=floors)
    posts = result.post_rows(rows)
    overflow_load = np.bincount([o.post_row for o in result.overflows], minlength=len(caps))
    assert (result.loads - overflow_load <= caps).all()
    assert (result.counts <= quotas).all()
    for i in range(len(quotas)):
        mine = [p for p in posts[i] if p >= 0]
        assert len(mine) == len(set(mine)) == result.counts[i]
        assert set(mine) <= set(rows[i][rows[i] >= 0].tolist())
    # Difficulty persons reach the floor wherever they have that many candidates.
    reach = np.array([len({int(p) for p in r if p >= 0 and caps[p] > 0}) for r in rows])
    assert (result.counts >= np.minimum(floors, reach)).all()
    # Overflows only for difficulty persons.
    assert all(floors[o.person] > 0 for o in result.overflows)
    served_without_overflow = (
        result.counts - np.bincount([o.person for o in result.overflows], minlength=len(quotas)) > 0
    ).sum()
    assert served_without_overflow >= _max_people_served(rows, caps) - len(result.overflows)
    assert (result.counts > 0).sum() >= _max_people_served(rows, caps)


@pytest.mark.parametrize("seed", range(6))
def test_allocation_serves_everyone_top_k_serves_and_more_where_posts_compete(seed):
    rows, scores, quotas, floors, places = _district(seed)
    caps = post_caps(places, 3.0)
    ours = allocate(rows, scores, quotas, caps, floors=floors)
    plain = top_k_capped(rows, scores, quotas, caps)
    served_plain = set(np.flatnonzero(plain.counts > 0).tolist())
    served_ours = set(np.flatnonzero(ours.counts > 0).tolist())
    assert served_plain <= served_ours
    assert len(served_ours) > len(served_plain)
    assert ours.counts.sum() > plain.counts.sum()
    # The plain top-k never breaks a cap either: the comparison is fair.
    assert (plain.loads <= caps).all()


def test_without_competition_allocation_equals_plain_top_k():
    rows, scores, quotas, floors, _ = _district(7)
    caps = np.full(60, 10_000)
    ours = allocate(rows, scores, quotas, caps, floors=floors)
    plain = top_k_capped(rows, scores, quotas, caps)
    assert np.array_equal(ours.post_rows(rows), plain.post_rows(rows))


def test_allocation_is_deterministic():
    rows, scores, quotas, floors, places = _district(3)
    caps = post_caps(places, 3.0)
    a = allocate(rows, scores, quotas, caps, floors=floors)
    b = allocate(rows.copy(), scores.copy(), quotas.copy(), caps.copy(), floors=floors.copy())
    assert np.array_equal(a.chosen, b.chosen)
    assert a.overflows == b.overflows


@st.composite
def _instances(draw):
    people = draw(st.integers(1, 12))
    posts = draw(st.integers(1, 8))
    width = draw(st.integers(1, 5))
    rows = np.array(
        draw(
            st.lists(
                st.lists(st.integers(-1, posts - 1), min_size=width, max_size=width),
                min_size=people,
                max_size=people,
            )
        ),
        dtype=np.int32,
    )
    scores = np.array(
        draw(
            st.lists(
                st.lists(st.floats(0, 1, width=32), min_size=width, max_size=width),
                min_size=people,
                max_size=people,
            )
        ),
        dtype=np.float32,
    )
    quotas = np.array(draw(st.lists(st.integers(0, 3), min_size=people, max_size=people)))
    floors = np.array([draw(st.sampled_from([0, min(2, int(q))])) for q in quotas])
    caps = np.array(draw(st.lists(st.integers(0, 4), min_size=posts, max_size=posts)))
    return rows, scores, quotas, floors, caps


@settings(max_examples=200, deadline=None)
@given(_instances())
def test_no_cap_or_quota_is_broken_and_coverage_is_maximal(instance):
    rows, scores, quotas, floors, caps = instance
    result = allocate(rows, scores, quotas, caps, floors=floors)
    extra = np.bincount([o.post_row for o in result.overflows], minlength=len(caps))
    assert (result.loads - extra <= caps).all()
    assert (result.counts <= quotas).all()
    assert result.loads.sum() == result.counts.sum()
    posts = result.post_rows(rows)
    for i in range(len(quotas)):
        mine = [int(p) for p in posts[i] if p >= 0]
        assert len(mine) == len(set(mine))
        assert set(mine) <= {int(x) for x in rows[i] if x >= 0}
    usable = np.where(quotas[:, None] > 0, rows, -1)
    assert (result.counts > 0).sum() >= _max_people_served(usable, caps)
    # The plain top-k never serves someone the allocation leaves out, in count.
    plain = top_k_capped(rows, scores, quotas, caps)
    assert (result.counts > 0).sum() >= (plain.counts > 0).sum()
