"""Push policies for the simulated months: the monthly batch of the product, as a policy.

A policy (see :data:`evaluation.simulate.Policy`) is called once a month with the people and
posts as they are, the day, and the posts each person declined; it returns the month's pushes.
:class:`BatchPolicy` is the real thing: :func:`matcher.plan.plan_month` over a
:class:`matcher.index.PostIndex` of the posts, with tiers from the shipped rule table, the
difficulty floor, the cap on pushes per place and no repeat of the last months' posts. With
``cap_multiple=UNCAPPED`` it is the score without capacity-awareness. Pure: no Redis.

What every policy shares (the baselines of :mod:`evaluation.baselines` too): a
:class:`MonthIndex` of the posts per simulated month, the hard rules of :func:`eligibility`,
the repeat window of :func:`recent_posts`, the quotas of :func:`quotas_of`, and a
:class:`PolicyMonth` record of each month (its pushes and each person's eligible posts, for
the compliance figure).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from catalogue.models import Agreement, Post
from evaluation.simulate import Push, TakeModel, take_features, take_probability
from features.eligibility import AgeLimits, no_push_reason
from features.laborer import Laborer
from features.tiers import TierRules, assess_tier, load_tier_rules
from matcher.bulk import score_all
from matcher.index import PostIndex
from matcher.person import seeker_arrays, seeker_of
from matcher.plan import DEFAULT_QUOTAS, MonthPlan, plan_month, quota_for
from matcher.rules import eligible
from matcher.weights import DEFAULT_WEIGHTS, Weights

# A cap multiple no post reaches: the batch without capacity-awareness (caps stay int32).
UNCAPPED = 1e6
_BLOCK = 512


@dataclass(frozen=True, slots=True)
class PolicyMonth:
    """What a policy did in one month, for the metrics.

    ``eligible`` counts, for each person who needed pushes, the posts that passed every hard
    rule and were not excluded (pushed in the repeat window, declined): the same test for
    every policy, so that "too few posts" (the shortage list of the compliance figure) means
    the same thing for each.
    """

    month: str
    pushes: tuple[Push, ...]
    quotas: Mapping[str, int]  # laborer_id → pushes due
    eligible: Mapping[str, int]  # laborer_id → eligible posts, not excluded


class MonthIndex:
    """Post indexes of the simulated months, shared by policies of one world.

    Built once per day from the posts, then brought up to date with each policy's hires
    (:meth:`matcher.index.PostIndex.with_states`): the simulation changes only hires.
    """

    def __init__(self, agreements: Sequence[Agreement]) -> None:
        self.agreements = tuple(agreements)
        self._base: dict[dt.date, PostIndex] = {}

    def __call__(self, posts: Sequence[Post], day: dt.date) -> PostIndex:
        """The index of ``posts`` on ``day``."""
        base = self._base.get(day)
        if base is None or len(base) != len(posts) or not all(base.has(p.post_id) for p in posts):
            base = PostIndex.build(posts, self.agreements, {}, today=day)
            self._base[day] = base
            return base
        changed = [p for p in posts if base.posts[base.row_of(p.post_id)] != p]
        return base.with_states(changed) if changed else base


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The people who need pushes (by laborer_id) and the posts each may get."""

    laborers: tuple[Laborer, ...]
    origins: npt.NDArray[np.int32]  # (n,) each person's place row in ``index.minutes``
    ok: npt.NDArray[np.bool_]  # (n, m) passes every hard rule and is not excluded

    @property
    def counts(self) -> dict[str, int]:
        """laborer_id → eligible posts."""
        return {
            lab.laborer_id: int(c)
            for lab, c in zip(self.laborers, self.ok.sum(axis=1).tolist(), strict=True)
        }


def eligibility(
    laborers: Sequence[Laborer],
    index: PostIndex,
    *,
    today: dt.date,
    limits: AgeLimits,
    exclude: Mapping[str, Collection[str]] | None = None,
) -> Eligibility:
    """Who needs pushes on ``today`` and which posts pass the hard rules for each of them.

    The rules are :func:`matcher.rules.eligible`'s, the product's own; ``exclude`` removes the
    posts a person must not get again. People are sorted by laborer_id.
    """
    needing = sorted(
        (lab for lab in laborers if no_push_reason(lab, today, limits) is None),
        key=lambda lab: lab.laborer_id,
    )
    ok = np.zeros((len(needing), len(index)), dtype=bool)
    origins = np.zeros(len(needing), dtype=np.int32)
    for start in range(0, len(needing), _BLOCK):
        arrays = seeker_arrays(
            [seeker_of(lab, index, today=today) for lab in needing[start : start + _BLOCK]], index
        )
        ok[start : start + len(arrays)] = eligible(arrays, index, today=today)
        origins[start : start + len(arrays)] = arrays.origin
    for i, lab in enumerate(needing):
        for post_id in (exclude or {}).get(lab.laborer_id, ()):
            if index.has(post_id):
                ok[i, index.row_of(post_id)] = False
    return Eligibility(tuple(needing), origins, ok)


def recent_posts(history: Sequence[PolicyMonth], window: int) -> dict[str, set[str]]:
    """The posts pushed to each person in the last ``window`` months of ``history``."""
    recent: dict[str, set[str]] = {}
    for month in history[-window:] if window else ():
        for push in month.pushes:
            recent.setdefault(push.laborer_id, set()).add(push.post_id)
    return recent


def quotas_of(
    laborers: Sequence[Laborer],
    day: dt.date,
    rules: TierRules,
    *,
    quotas: Mapping[str, int] = DEFAULT_QUOTAS,
    floor: int = 2,
) -> dict[str, int]:
    """Pushes due to each person this month: the tier's quota, at least ``floor`` for the
    difficulty persons (DESIGN §6), as :func:`matcher.plan.quota_for` gives them."""
    return {
        lab.laborer_id: quota_for(
            assess_tier(lab, day, rules).tier, lab.difficulty, quotas=quotas, floor=floor
        )
        for lab in laborers
    }


class BatchPolicy:
    """The product's monthly batch as a policy; ``plans`` keeps each month's plan."""

    def __init__(
        self,
        agreements: Sequence[Agreement],
        *,
        cap_multiple: float = 3.0,
        weights: Weights = DEFAULT_WEIGHTS,
        repeat_window_months: int = 3,
        rules: TierRules | None = None,
        limits: AgeLimits | None = None,
        indexes: MonthIndex | None = None,
    ) -> None:
        if cap_multiple <= 0:
            raise ValueError(f"cap_multiple must be > 0, got {cap_multiple}")
        self.agreements = tuple(agreements)
        self.cap_multiple = cap_multiple
        self.weights = weights
        self.repeat_window_months = repeat_window_months
        self.rules = rules or load_tier_rules()
        self.limits = limits or AgeLimits()
        self.indexes = indexes or MonthIndex(self.agreements)
        self.plans: list[MonthPlan] = []
        self.months: list[PolicyMonth] = []

    def _recent(self) -> dict[str, set[str]]:
        return recent_posts(self.months, self.repeat_window_months)

    def __call__(
        self,
        laborers: Sequence[Laborer],
        posts: Sequence[Post],
        day: dt.date,
        declined: Mapping[str, frozenset[str]],
    ) -> list[Push]:
        """Plan the month of ``day`` and return its pushes."""
        index = self.indexes(posts, day)
        recent = self._recent()
        tiers = {
            lab.laborer_id: assess_tier(lab, day, self.rules).tier
            for lab in laborers
            if no_push_reason(lab, day, self.limits) is None
        }
        plan = plan_month(
            laborers,
            index,
            month=f"{day:%Y-%m}",
            today=day,
            tiers=tiers,
            cap_multiple=self.cap_multiple,
            recent=recent,
            declined=declined,
            weights=self.weights,
            limits=self.limits,
            training=False,
        )
        self.plans.append(plan)
        pushes = tuple(Push(p.laborer_id, p.post_id, p.rank, p.score) for p in plan.pushes)
        exclude = {k: set(v) for k, v in recent.items()}
        for laborer_id, post_ids in declined.items():
            exclude.setdefault(laborer_id, set()).update(post_ids)
        found = eligibility(laborers, index, today=day, limits=self.limits, exclude=exclude)
        self.months.append(PolicyMonth(plan.month, pushes, dict(plan.quotas), found.counts))
        return list(pushes)


def relevant_posts(
    laborers: Sequence[Laborer],
    posts: Sequence[Post],
    agreements: Sequence[Agreement],
    *,
    day: dt.date,
    model: TakeModel | None = None,
    threshold: float = 0.5,
    k: int = 100,
) -> dict[str, set[str]]:
    """The posts each person would take up by the simulation's truth, among those they may get.

    A post is relevant to a person when the hard rules allow it (it is among the person's
    eligible posts, the ``k`` best by the matcher's score when there are more) and the take-up
    model gives it a probability of at least ``threshold``. This is the ``relevant`` argument
    of :func:`evaluation.metrics.month_metrics` for a recall against everything that could
    have been pushed; with ``k`` at least the number of posts, it does not depend on the
    matcher's ranking at all.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    index = PostIndex.build(posts, agreements, {}, today=day)
    candidates = score_all(laborers, index, k=k, today=day)
    pairs: list[tuple[Laborer, Post]] = []
    for i, laborer in enumerate(laborers):
        for row in candidates.rows[i].tolist():
            if row < 0:
                break
            pairs.append((laborer, index.posts[row]))
    if not pairs:
        return {}
    probability = take_probability(take_features(pairs, today=day), model or TakeModel())
    relevant: dict[str, set[str]] = {}
    for (laborer, post), p in zip(pairs, probability.tolist(), strict=True):
        if p >= threshold:
            relevant.setdefault(laborer.laborer_id, set()).add(post.post_id)
    return relevant


__all__ = [
    "UNCAPPED",
    "BatchPolicy",
    "Eligibility",
    "MonthIndex",
    "PolicyMonth",
    "eligibility",
    "quotas_of",
    "recent_posts",
    "relevant_posts",
]
