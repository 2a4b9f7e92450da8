"""How pushes spread over posts: Gini, normalised entropy of exposure, pushes per place.

Pure functions of per-post counts, shared by the monthly batch's statistics and the offline
evaluation. A batch that sends everyone to the same few posts scores a Gini near 1, an entropy
near 0 and a high maximum of pushes per place.

Pushes per place are summarised over the posts that were pushed (``per_place_p90``): a post
nobody was sent to is crowded by no one, and counting it would let a batch that leaves most
posts unpushed (the score without caps) look less congested than one that spreads pushes. The
percentile over every post with places, pushed or not, is kept beside it
(``per_place_p90_all``) for comparison with figures taken the old way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


def gini(counts: npt.ArrayLike) -> float:
    """Gini coefficient of pushes over posts.

    Parameters
    ----------
    counts : array of int or float, shape (posts,)
        Pushes (or exposure) per post, ≥ 0; posts with none count.

    Returns
    -------
    float in [0, 1)
        0 when every post gets the same; → 1 when one post gets everything. 0 for an empty or
        all-zero input.
    """
    values = np.sort(np.asarray(counts, dtype=np.float64).reshape(-1))
    if (values < 0).any():
        raise ValueError("counts must be >= 0")
    if values.size == 0 or values.sum() <= 0:
        return 0.0
    n = values.size
    ranks = np.arange(1, n + 1, dtype=np.float64)
    # Mean-difference form: G = Σ (2i − n − 1) x_(i) / (n Σ x).
    return float(((2 * ranks - n - 1) * values).sum() / (n * values.sum()))


def normalized_entropy(counts: npt.ArrayLike) -> float:
    """Shannon entropy of the exposure distribution over posts, divided by its maximum.

    Parameters
    ----------
    counts : array of int or float, shape (posts,)
        Pushes (or exposure weights) per post, ≥ 0.

    Returns
    -------
    float in [0, 1]
        1 when exposure is uniform over all posts given; 0 when it falls on one post (or when
        fewer than two posts are given, or nothing was pushed).
    """
    values = np.asarray(counts, dtype=np.float64).reshape(-1)
    if (values < 0).any():
        raise ValueError("counts must be >= 0")
    total = values.sum()
    if values.size < 2 or total <= 0:
        return 0.0
    p = values[values > 0] / total
    return float(-(p * np.log(p)).sum() / np.log(values.size))


def pushes_per_place(counts: npt.ArrayLike, places_left: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Pushes divided by places left, per post that was pushed or has places.

    Parameters
    ----------
    counts : array of int, shape (posts,)
        Pushes per post.
    places_left : array of int, shape (posts,)
        Places left per post when the batch ran; a post pushed with no place left counts as
        one place (so the ratio stays finite and still shows the crowding).

    Returns
    -------
    NDArray[float64], shape (k,)
        Ratios ≥ 0 for the posts with pushes or places; each is pushes per place.
    """
    pushes = np.asarray(counts, dtype=np.float64).reshape(-1)
    places = np.asarray(places_left, dtype=np.float64).reshape(-1)
    if pushes.shape != places.shape:
        raise ValueError(f"counts and places_left differ in shape: {pushes.shape} {places.shape}")
    keep = (pushes > 0) | (places > 0)
    return pushes[keep] / np.maximum(places[keep], 1.0)


@dataclass(frozen=True, slots=True)
class Congestion:
    """Summary of how one batch's pushes spread over posts."""

    gini: float  # in [0, 1)
    entropy: float  # normalised, in [0, 1]
    per_place_max: float  # pushes per place left, the worst post
    per_place_p90: float  # pushes per place left, 90th percentile over the posts pushed
    posts_pushed: int  # posts with at least one push
    # 90th percentile over every post with places or pushes (unpushed posts count as 0).
    per_place_p90_all: float = 0.0

    def as_dict(self) -> dict[str, float | int]:
        """The figures as a JSON-ready dict (rounded to 4 decimals).

        The keys of the batch's stored statistics; ``per_place_p90_all`` is left out so that
        they keep their shape (the evaluation reports it beside them).
        """
        return {
            "gini": round(self.gini, 4),
            "entropy": round(self.entropy, 4),
            "per_place_max": round(self.per_place_max, 4),
            "per_place_p90": round(self.per_place_p90, 4),
            "posts_pushed": self.posts_pushed,
        }


def congestion(counts: npt.ArrayLike, places_left: npt.ArrayLike) -> Congestion:
    """Gini, normalised entropy and pushes per place (max; p90 over the posts pushed).

    Parameters
    ----------
    counts : array of int, shape (posts,)
        Pushes per post in the batch (every post that could be pushed, pushed or not).
    places_left : array of int, shape (posts,)
        Places left per post.

    Returns
    -------
    Congestion
    """
    pushes = np.asarray(counts, dtype=np.float64).reshape(-1)
    ratio = pushes_per_place(pushes, places_left)
    pushed = pushes_per_place(pushes[pushes > 0], np.asarray(places_left).reshape(-1)[pushes > 0])
    return Congestion(
        gini=gini(pushes),
        entropy=normalized_entropy(pushes),
        per_place_max=float(ratio.max()) if ratio.size else 0.0,
        per_place_p90=float(np.percentile(pushed, 90)) if pushed.size else 0.0,
        posts_pushed=int((pushes > 0).sum()),
        per_place_p90_all=float(np.percentile(ratio, 90)) if ratio.size else 0.0,
    )


__all__ = ["Congestion", "congestion", "gini", "normalized_entropy", "pushes_per_place"]
