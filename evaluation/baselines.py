"""Baseline push policies, run through the same simulated months as the product's batch.

Each baseline is held to the batch's own constraints, so that the comparison is fair:

- only posts that pass every hard rule (:func:`matcher.rules.eligible`, the product's rules);
- the same quotas: the tier's pushes a month, at least two for a difficulty person wherever
  two eligible posts exist (the floor of DESIGN §6);
- no post pushed to the same person in the last three months, nor one they declined.

They differ only in the order in which each person's eligible posts are taken:

- :func:`random_ranker`: at random (a fresh draw each month, seeded);
- :func:`nearest_ranker`: nearest first, by the matcher's commute estimate from the person's
  township to the post's township (home-based work too is placed at its township: counted
  as "at home" every person would get the same few home-based posts), ties at random.

The score without capacity-awareness and the full batch are
:class:`evaluation.policies.BatchPolicy` with ``cap_multiple=UNCAPPED`` and with the cap.
Pure: no Redis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from catalogue.models import Agreement, Post
from evaluation.policies import (
    UNCAPPED,
    BatchPolicy,
    Eligibility,
    MonthIndex,
    PolicyMonth,
    eligibility,
    quotas_of,
    recent_posts,
)
from evaluation.simulate import Policy, Push
from features.eligibility import AgeLimits
from features.laborer import Laborer
from features.tiers import TierRules, load_tier_rules
from matcher.index import PostIndex
from matcher.plan import DEFAULT_QUOTAS

# (who may get what, the index, the day) → keys (n, m): higher is pushed first.
Ranker = Callable[[Eligibility, PostIndex, dt.date], npt.NDArray[np.float64]]


def random_ranker(seed: int) -> Ranker:
    """Eligible posts in a random order, drawn afresh each month from ``(seed, day)``."""

    def rank(found: Eligibility, index: PostIndex, day: dt.date) -> npt.NDArray[np.float64]:
        rng = np.random.default_rng((seed, day.toordinal()))
        keys: npt.NDArray[np.float64] = rng.random(found.ok.shape)
        return keys

    return rank


def nearest_ranker(seed: int) -> Ranker:
    """Nearest posts first (commute minutes from the person's township to the post's), ties
    (posts of one township) in a random order drawn afresh each month from ``(seed, day)``."""

    def rank(found: Eligibility, index: PostIndex, day: dt.date) -> npt.NDArray[np.float64]:
        places = index.places
        far = np.full((1, len(index)), np.inf)
        minutes = np.vstack([places.minutes[:, index.place].astype(np.float64), far])
        rng = np.random.default_rng((seed, day.toordinal(), 1))
        # Whole minutes first, then the draw: ties within a minute are broken at random.
        keys: npt.NDArray[np.float64] = -np.floor(minutes[found.origins]) + 0.5 * rng.random(
            found.ok.shape
        )
        return keys

    return rank


class RankedPolicy:
    """Each person's first ``quota`` eligible posts in the order of ``ranker``; no caps.

    ``months`` keeps what each month pushed, with the eligible counts of the metrics.
    """

    def __init__(
        self,
        agreements: Sequence[Agreement],
        *,
        ranker: Ranker,
        repeat_window_months: int = 3,
        quotas: Mapping[str, int] = DEFAULT_QUOTAS,
        difficulty_floor: int = 2,
        rules: TierRules | None = None,
        limits: AgeLimits | None = None,
        indexes: MonthIndex | None = None,
    ) -> None:
        self.agreements = tuple(agreements)
        self.ranker = ranker
        self.repeat_window_months = repeat_window_months
        self.quotas = dict(quotas)
        self.difficulty_floor = difficulty_floor
        self.rules = rules or load_tier_rules()
        self.limits = limits or AgeLimits()
        self.indexes = indexes or MonthIndex(self.agreements)
        self.months: list[PolicyMonth] = []

    def __call__(
        self,
        laborers: Sequence[Laborer],
        posts: Sequence[Post],
        day: dt.date,
        declined: Mapping[str, frozenset[str]],
    ) -> list[Push]:
        """The month's pushes: for each person, the first eligible posts in ranked order."""
        index = self.indexes(posts, day)
        exclude = recent_posts(self.months, self.repeat_window_months)
        for laborer_id, post_ids in declined.items():
            exclude.setdefault(laborer_id, set()).update(post_ids)
        found = eligibility(laborers, index, today=day, limits=self.limits, exclude=exclude)
        due = quotas_of(
            found.laborers, day, self.rules, quotas=self.quotas, floor=self.difficulty_floor
        )
        keys = np.where(found.ok, self.ranker(found, index, day), -np.inf)
        # Stable on the post rows (post_id order): ties go to the smaller post_id.
        order = np.argsort(-keys, axis=1, kind="stable")
        pushes: list[Push] = []
        for i, lab in enumerate(found.laborers):
            quota = due[lab.laborer_id]
            rows = [int(r) for r in order[i, :quota] if found.ok[i, r]]
            pushes += [
                Push(lab.laborer_id, index.posts[r].post_id, rank, 0.0)
                for rank, r in enumerate(rows, start=1)
            ]
        self.months.append(PolicyMonth(f"{day:%Y-%m}", tuple(pushes), due, found.counts))
        return pushes


# The policies of the comparison, in the report's order; each builds a fresh policy.
PolicyFactory = Callable[[Sequence[Agreement], MonthIndex], Policy]


def baselines(*, seed: int, cap_multiple: float = 3.0) -> dict[str, PolicyFactory]:
    """The four policies compared: random, nearest first, the score uncapped, the full batch."""
    return {
        "random": lambda a, ix: RankedPolicy(a, ranker=random_ranker(seed), indexes=ix),
        "nearest": lambda a, ix: RankedPolicy(a, ranker=nearest_ranker(seed), indexes=ix),
        "uncapped": lambda a, ix: BatchPolicy(a, cap_multiple=UNCAPPED, indexes=ix),
        "batch": lambda a, ix: BatchPolicy(a, cap_multiple=cap_multiple, indexes=ix),
    }


__all__ = [
    "PolicyFactory",
    "RankedPolicy",
    "Ranker",
    "baselines",
    "nearest_ranker",
    "random_ranker",
]
