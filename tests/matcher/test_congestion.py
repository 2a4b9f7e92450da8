"""Congestion figures: Gini, normalised entropy, pushes per place."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.congestion import congestion, gini, normalized_entropy, pushes_per_place


def test_equal_pushes_have_gini_zero_and_entropy_one():
    assert gini([4, 4, 4, 4]) == pytest.approx(0.0)
    assert normalized_entropy([4, 4, 4, 4]) == pytest.approx(1.0)


def test_all_pushes_on_one_post_have_gini_near_one_and_entropy_zero():
    counts = [0] * 99 + [50]
    assert gini(counts) == pytest.approx(0.99)
    assert normalized_entropy(counts) == pytest.approx(0.0)


def test_gini_matches_the_mean_absolute_difference_definition():
    x = np.array([1.0, 2.0, 3.0, 10.0])
    expected = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert gini(x) == pytest.approx(expected)


def test_nothing_pushed_gives_zeros():
    assert gini([]) == 0.0
    assert gini([0, 0]) == 0.0
    assert normalized_entropy([0, 0]) == 0.0
    summary = congestion([0, 0], [0, 0])
    assert summary.per_place_max == 0.0
    assert summary.posts_pushed == 0


def test_pushes_per_place_counts_a_full_post_as_one_place():
    ratio = pushes_per_place([6, 3, 0, 2], [2, 0, 0, 4])
    assert ratio.tolist() == [3.0, 3.0, 0.5]


def test_summary_reports_max_and_p90_per_place():
    counts = np.arange(10)
    summary = congestion(counts, np.ones(10))
    assert summary.per_place_max == 9.0
    # Over the nine posts pushed (1 … 9 per place): 8.2; over all ten, the 0 included: 8.1.
    assert summary.per_place_p90 == pytest.approx(8.2)
    assert summary.per_place_p90_all == pytest.approx(8.1)
    assert summary.posts_pushed == 9
    assert set(summary.as_dict()) == {
        "gini",
        "entropy",
        "per_place_max",
        "per_place_p90",
        "posts_pushed",
    }


def test_unpushed_posts_do_not_dilute_the_p90_of_pushes_per_place():
    crowded = [12, 12] + [0] * 98  # two posts of one place each take every push
    spread = [3] * 8 + [0] * 92  # eight posts of one place, three pushes each
    assert congestion(crowded, np.ones(100)).per_place_p90 == pytest.approx(12.0)
    assert congestion(spread, np.ones(100)).per_place_p90 == pytest.approx(3.0)
    # Over every post with places the crowded batch would look the less congested.
    assert congestion(crowded, np.ones(100)).per_place_p90_all == 0.0
    assert congestion(spread, np.ones(100)).per_place_p90_all == 0.0


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="counts"):
        gini([1, -1])


@given(st.lists(st.integers(0, 1000), min_size=2, max_size=50))
def test_figures_stay_in_their_ranges(counts):
    assert 0.0 <= gini(counts) < 1.0
    assert 0.0 <= normalized_entropy(counts) <= 1.0 + 1e-12
