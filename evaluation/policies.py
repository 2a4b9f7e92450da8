"""Push policies for the simulated months: the monthly batch of the product, as a policy.

A policy (see :data:`evaluation.simulate.Policy`) is called once a month with the people and
posts as they are, the day, and the posts each person declined; it returns the month's pushes.
:class:`BatchPolicy` is the real thing: :func:`matcher.plan.plan_month` over a
:class:`matcher.index.PostIndex` of the posts, with tiers from the shipped rule table, the
difficulty floor, the cap on pushes per place and no repeat of the last months' posts. With
``cap_multiple=UNCAPPED`` it is the score without capacity-awareness. Pure: no Redis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from catalogue.models import Agreement, Post
from evaluation.simulate import Push, TakeModel, take_features, take_probability
from features.eligibility import AgeLimits, no_push_reason
from features.laborer import Laborer
from features.tiers import TierRules, assess_tier, load_tier_rules
from matcher.bulk import score_all
from matcher.index import PostIndex
from matcher.plan import MonthPlan, plan_month
from matcher.weights import DEFAULT_WEIGHTS, Weights

# A cap multiple no post reaches: the batch without capacity-awareness (caps stay int32).
UNCAPPED = 1e6


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
    ) -> None:
        if cap_multiple <= 0:
            raise ValueError(f"cap_multiple must be > 0, got {cap_multiple}")
        self.agreements = tuple(agreements)
        self.cap_multiple = cap_multiple
        self.weights = weights
        self.repeat_window_months = repeat_window_months
        self.rules = rules or load_tier_rules()
        self.limits = limits or AgeLimits()
        self.plans: list[MonthPlan] = []

    def _recent(self) -> dict[str, set[str]]:
        recent: dict[str, set[str]] = {}
        for plan in self.plans[-self.repeat_window_months :] if self.repeat_window_months else ():
            for push in plan.pushes:
                recent.setdefault(push.laborer_id, set()).add(push.post_id)
        return recent

    def __call__(
        self,
        laborers: Sequence[Laborer],
        posts: Sequence[Post],
        day: dt.date,
        declined: Mapping[str, frozenset[str]],
    ) -> list[Push]:
        """Plan the month of ``day`` and return its pushes."""
        index = PostIndex.build(posts, self.agreements, {}, today=day)
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
            recent=self._recent(),
            declined=declined,
            weights=self.weights,
            limits=self.limits,
            training=False,
        )
        self.plans.append(plan)
        return [Push(p.laborer_id, p.post_id, p.rank, p.score) for p in plan.pushes]


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


__all__ = ["UNCAPPED", "BatchPolicy", "relevant_posts"]
