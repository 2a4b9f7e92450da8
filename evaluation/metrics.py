"""Offline metrics of a month of pushes: hires, ranking quality, congestion, compliance, gaps.

Each function is pure and takes plain arrays or sequences; :func:`month_metrics` puts them
together for one simulated month. Congestion figures (Gini, normalised entropy of exposure,
pushes per place) are those of :mod:`matcher.congestion`, the same code the monthly batch's
statistics use, so the report and the service cannot disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from catalogue.models import Post
from evaluation.simulate import MonthResult, Push
from features.laborer import Laborer
from matcher.congestion import Congestion, congestion, gini, normalized_entropy

# Age bands for the gaps between groups (the policy's working-age span, in four bands).
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 29, "16–29岁"),
    (30, 39, "30–39岁"),
    (40, 49, "40–49岁"),
    (50, 200, "50岁及以上"),
)


def hires_per_100_pushes(hires: int, pushes: int) -> float:
    """Hires for every 100 pushes; 0 when nothing was pushed.

    Parameters
    ----------
    hires : int, ≥ 0
    pushes : int, ≥ 0

    Returns
    -------
    float ≥ 0
        ``100 · hires / pushes``.
    """
    if hires < 0 or pushes < 0:
        raise ValueError(f"hires and pushes must be >= 0, got {hires}, {pushes}")
    return 100.0 * hires / pushes if pushes else 0.0


def share_hired(hired: npt.ArrayLike) -> float:
    """Share of people hired.

    Parameters
    ----------
    hired : array of bool, shape (people,)
        One entry per person who needed work.

    Returns
    -------
    float in [0, 1]
        0 for no people.
    """
    values = np.asarray(hired, dtype=bool).reshape(-1)
    return float(values.mean()) if values.size else 0.0


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")


def hit_rate_at_k(
    ranked: Sequence[Sequence[str]],
    relevant: Sequence[Collection[str]],
    k: int,
    *,
    skip_empty: bool = True,
) -> float:
    """Share of people with at least one relevant post among their first ``k``.

    Parameters
    ----------
    ranked : sequence (people,) of sequences of post ids, best first
    relevant : sequence (people,) of collections of post ids
        The posts the person would take (or took up, or was hired at).
    k : int ≥ 1
    skip_empty : bool
        Leave out people with no relevant post (the usual definition); when False they count
        as misses, e.g. a person pushed posts who took none up.

    Returns
    -------
    float in [0, 1]
        0 when no person is counted.
    """
    _check_k(k)
    hits = [
        bool(set(r[:k]) & set(rel))
        for r, rel in zip(ranked, relevant, strict=True)
        if rel or not skip_empty
    ]
    return float(np.mean(hits)) if hits else 0.0


def recall_at_k(
    ranked: Sequence[Sequence[str]], relevant: Sequence[Collection[str]], k: int
) -> float:
    """Mean over people of the share of their relevant posts found among their first ``k``.

    Parameters
    ----------
    ranked : sequence (people,) of sequences of post ids, best first
    relevant : sequence (people,) of collections of post ids; people with none are left out
    k : int ≥ 1

    Returns
    -------
    float in [0, 1]
    """
    _check_k(k)
    shares = [
        len(set(r[:k]) & set(rel)) / len(set(rel))
        for r, rel in zip(ranked, relevant, strict=True)
        if rel
    ]
    return float(np.mean(shares)) if shares else 0.0


def coverage(pushed: Collection[str], posts: Collection[str]) -> float:
    """Share of the posts that were pushed at least once.

    Parameters
    ----------
    pushed : post ids pushed (repeats allowed)
    posts : the post ids that could have been pushed

    Returns
    -------
    float in [0, 1]
        0 when there are no posts.
    """
    universe = set(posts)
    return len(set(pushed) & universe) / len(universe) if universe else 0.0


def compliance(
    push_counts: npt.ArrayLike, *, floor: int = 2, shortage: npt.ArrayLike | None = None
) -> float:
    """Share of difficulty persons with at least ``floor`` pushes, outside the shortage list.

    Parameters
    ----------
    push_counts : array of int, shape (d,)
        Pushes this month of each difficulty person who needs work.
    floor : int
        DESIGN §6: at least 2 pushes a month.
    shortage : array of bool, shape (d,), optional
        True for a person on the shortage list (the hard rules left too few posts): they are
        counted apart, not as a breach.

    Returns
    -------
    float in [0, 1]
        1 when no one is left to count.
    """
    counts = np.asarray(push_counts, dtype=np.int64).reshape(-1)
    keep = np.ones(counts.size, dtype=bool)
    if shortage is not None:
        keep = ~np.asarray(shortage, dtype=bool).reshape(-1)
    counted = counts[keep]
    return float((counted >= floor).mean()) if counted.size else 1.0


@dataclass(frozen=True, slots=True)
class GroupGap:
    """A rate by group and the gap between the best and the worst group."""

    by_group: dict[str, float]
    gap: float  # max − min over groups, ≥ 0
    lowest: str
    highest: str


def group_gap(values: npt.ArrayLike, groups: Sequence[str]) -> GroupGap:
    """Mean of ``values`` per group, and the gap between the highest and the lowest.

    Parameters
    ----------
    values : array of float, shape (n,)
        Per person, e.g. pushes received (exposure) or 1.0 for hired.
    groups : sequence of str, length n
        Each person's group (township, age band, sex).

    Returns
    -------
    GroupGap
        ``by_group`` maps each group to its mean; ``gap`` is max − min (0 for one group).
    """
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    if x.size != len(groups):
        raise ValueError(f"values and groups differ in length: {x.size} {len(groups)}")
    if not x.size:
        return GroupGap({}, 0.0, "", "")
    names, inverse = np.unique(np.asarray(groups, dtype=object), return_inverse=True)
    sums = np.bincount(inverse, weights=x, minlength=len(names))
    counts = np.bincount(inverse, minlength=len(names))
    means = sums / counts
    by_group = {str(n): float(m) for n, m in zip(names, means, strict=True)}
    lo, hi = int(np.argmin(means)), int(np.argmax(means))
    return GroupGap(by_group, float(means[hi] - means[lo]), str(names[lo]), str(names[hi]))


def age_band(age: int) -> str:
    """The age band of an age, e.g. 47 → 40–49岁."""
    for lo, hi, name in AGE_BANDS:
        if lo <= age <= hi:
            return name
    return AGE_BANDS[-1][2]


@dataclass(frozen=True, slots=True)
class MonthMetrics:
    """Every headline figure of one month."""

    pushes: int
    hires: int
    hires_per_100_pushes: float
    share_hired: float  # of the people pushed to or needing work, in [0, 1]
    hit_rate_at_k: float
    recall_at_k: float
    k: int
    coverage: float  # of open posts
    congestion: Congestion
    compliance: float
    shortage: int  # difficulty persons on the shortage list
    exposure_gaps: dict[str, GroupGap] = field(default_factory=dict)  # by township/age/sex
    hire_gaps: dict[str, GroupGap] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict of the headline figures (gaps as their size)."""
        return {
            "pushes": self.pushes,
            "hires": self.hires,
            "hires_per_100_pushes": round(self.hires_per_100_pushes, 3),
            "share_hired": round(self.share_hired, 4),
            f"hit_rate_at_{self.k}": round(self.hit_rate_at_k, 4),
            f"recall_at_{self.k}": round(self.recall_at_k, 4),
            "coverage": round(self.coverage, 4),
            **{f"congestion_{k}": v for k, v in self.congestion.as_dict().items()},
            "congestion_per_place_p90_all": round(self.congestion.per_place_p90_all, 4),
            "compliance": round(self.compliance, 4),
            "shortage": self.shortage,
            **{f"exposure_gap_{k}": round(g.gap, 4) for k, g in self.exposure_gaps.items()},
            **{f"hire_gap_{k}": round(g.gap, 4) for k, g in self.hire_gaps.items()},
        }


def month_metrics(
    result: MonthResult,
    pushes: Sequence[Push],
    seekers: Sequence[Laborer],
    open_posts: Sequence[Post],
    *,
    k: int = 3,
    floor: int = 2,
    shortage: Collection[str] = (),
    relevant: Mapping[str, Collection[str]] | None = None,
) -> MonthMetrics:
    """The headline figures of a simulated month.

    ``seekers`` are the people who needed work that month (as they were before it),
    ``open_posts`` the posts open when the pushes went out, ``shortage`` the laborer ids on
    the shortage list. Hit rate at k is the share of the people pushed to who took up one of
    their first k pushes. Recall at k is against ``relevant`` (laborer_id → the posts the
    person would take, e.g. by the simulation's truth over every post they may get); without
    it, against the posts they took up, which only says whether take-ups come early in a list.
    """
    _check_k(k)
    by_person: dict[str, list[Push]] = {}
    for push in pushes:
        by_person.setdefault(push.laborer_id, []).append(push)
    took: dict[str, set[str]] = {}
    hired = {o.laborer_id for o in result.outcomes if o.hired}
    for o in result.outcomes:
        if o.took:
            took.setdefault(o.laborer_id, set()).add(o.post_id)
    ids = [p.laborer_id for p in seekers]
    ranked = [[x.post_id for x in sorted(by_person.get(i, []), key=lambda x: x.rank)] for i in ids]
    taken = [took.get(i, set()) for i in ids]
    wanted = [set((relevant or took).get(i, ())) for i in ids]
    pushed = [j for j, r in enumerate(ranked) if r]
    post_ids = [p.post_id for p in open_posts]
    row = {pid: j for j, pid in enumerate(post_ids)}
    counts = np.zeros(len(post_ids), dtype=np.int64)
    for push in pushes:
        j = row.get(push.post_id)
        if j is not None:
            counts[j] += 1
    difficulty = [p for p in seekers if p.difficulty]
    hires = len(hired & set(ids)) if ids else sum(o.hired for o in result.outcomes)
    exposure = np.array([len(by_person.get(i, [])) for i in ids], dtype=np.float64)
    got_hired = np.array([i in hired for i in ids], dtype=np.float64)
    groups = {
        "township": [p.township for p in seekers],
        "age_band": [age_band(p.age_on(result.day)) for p in seekers],
        "sex": [p.sex for p in seekers],
    }
    return MonthMetrics(
        pushes=len(pushes),
        hires=hires,
        hires_per_100_pushes=hires_per_100_pushes(hires, len(pushes)),
        share_hired=share_hired(got_hired),
        hit_rate_at_k=hit_rate_at_k(
            [ranked[j] for j in pushed], [taken[j] for j in pushed], k, skip_empty=False
        ),
        recall_at_k=recall_at_k(ranked, wanted, k),
        k=k,
        coverage=coverage([x.post_id for x in pushes], post_ids),
        congestion=congestion(counts, [p.places_left for p in open_posts]),
        compliance=compliance(
            [len(by_person.get(p.laborer_id, [])) for p in difficulty],
            floor=floor,
            shortage=[p.laborer_id in shortage for p in difficulty],
        ),
        shortage=sum(p.laborer_id in shortage for p in difficulty),
        exposure_gaps={name: group_gap(exposure, g) for name, g in groups.items()},
        hire_gaps={name: group_gap(got_hired, g) for name, g in groups.items()},
    )


__all__ = [
    "AGE_BANDS",
    "GroupGap",
    "MonthMetrics",
    "age_band",
    "compliance",
    "coverage",
    "gini",
    "group_gap",
    "hires_per_100_pushes",
    "hit_rate_at_k",
    "month_metrics",
    "normalized_entropy",
    "recall_at_k",
    "share_hired",
]
