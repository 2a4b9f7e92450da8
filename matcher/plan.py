"""The month's push plan (DESIGN §6): who needs pushes, how many, which posts, and why not.

:func:`plan_month` is pure: it takes the roster, the post index and what happened before
(posts pushed in the last months, posts declined) and returns a :class:`MonthPlan` — the pushes
with ranks, scores and reasons, the shortage list with its reasons, and the counselors'
follow-up list. The batch runner in ``service`` stores and commits it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from features.eligibility import AgeLimits, no_push_reason
from features.laborer import Laborer
from matcher.allocation import allocate, post_caps
from matcher.bulk import score_all, shortage_reason
from matcher.index import PostIndex
from matcher.person import seeker_arrays, seeker_of, text_row
from matcher.refer import NEAR_MISS_K, near_misses, reasons_for, seeker_for
from matcher.rules import passes_all, rule_masks
from matcher.score import score_block, text_part
from matcher.weights import DEFAULT_WEIGHTS, Weights

FULL = "范围内岗位已满"
ALREADY_PUSHED = "可推岗位近期已推送或本人已拒绝"
DEFAULT_QUOTAS: Mapping[str, int] = {"general": 1, "key": 2, "special": 3}


@dataclass(frozen=True, slots=True)
class PlannedPush:
    """One push of the month: ``rank`` 1 is the person's best; ``overflow`` if over the cap."""

    laborer_id: str
    post_id: str
    rank: int
    score: float
    candidate_rank: int  # place among the person's eligible posts, 1 = best
    reasons: tuple[str, ...]
    overflow: bool = False


@dataclass(frozen=True, slots=True)
class Shortage:
    """A person who got fewer pushes than their quota, and why."""

    laborer_id: str
    township: str
    village: str
    reason: str
    quota: int
    got: int


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A key, special or difficulty person for one-to-one guidance, with their pushes."""

    laborer_id: str
    township: str
    village: str
    tier: str
    difficulty: bool
    post_ids: tuple[str, ...]
    training: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MonthPlan:
    """Everything the month's batch decided; ``pushes`` sorted by laborer_id then rank."""

    month: str
    people: int  # people who need pushes this month
    quotas: Mapping[str, int]  # laborer_id → pushes due
    pushes: tuple[PlannedPush, ...]
    shortage: tuple[Shortage, ...]
    follow_up: tuple[FollowUp, ...]
    not_needed: Mapping[str, int]  # why the others get none: reason → people
    loads: Mapping[str, int] = field(default_factory=dict)  # post_id → pushes (pushed posts)
    # Seconds spent in each step (score, allocate, explain, follow_up), for the benchmark.
    timings: Mapping[str, float] = field(default_factory=dict, compare=False)

    def pushes_of(self, laborer_id: str) -> list[PlannedPush]:
        """The pushes planned for one person, best first."""
        return [p for p in self.pushes if p.laborer_id == laborer_id]


def quota_for(tier: str, difficulty: bool, *, quotas: Mapping[str, int], floor: int) -> int:
    """Pushes a month for a tier (general 1, key 2, special 3); difficulty persons ≥ ``floor``."""
    base = int(quotas.get(tier, quotas.get("general", 1)))
    return max(base, floor) if difficulty else base


def plan_month(
    laborers: Sequence[Laborer],
    index: PostIndex,
    *,
    month: str,
    today: dt.date,
    tiers: Mapping[str, str] | None = None,
    quotas: Mapping[str, int] = DEFAULT_QUOTAS,
    difficulty_floor: int = 2,
    cap_multiple: float = 3.0,
    recent: Mapping[str, Collection[str]] | None = None,
    declined: Mapping[str, Collection[str]] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    limits: AgeLimits | None = None,
    k: int = 30,
    training: bool = True,
) -> MonthPlan:
    """Plan one month of pushes for ``laborers`` over the posts of ``index``.

    ``tiers`` maps laborer_id → tier (missing: general); ``recent`` the posts pushed to each
    person in the previous months of the repeat window, ``declined`` the posts they declined:
    neither is pushed again.
    """
    limits = limits or AgeLimits()
    tiers = tiers or {}
    people = sorted(laborers, key=lambda lab: lab.laborer_id)  # order-free and deterministic
    not_needed: Counter[str] = Counter()
    needing: list[Laborer] = []
    for laborer in people:
        reason = no_push_reason(laborer, today, limits)
        if reason is None:
            needing.append(laborer)
        else:
            not_needed[reason] += 1
    exclude: dict[str, set[str]] = defaultdict(set)
    for source in (recent or {}, declined or {}):
        for laborer_id, post_ids in source.items():
            exclude[laborer_id].update(post_ids)

    quota_list = [
        quota_for(
            tiers.get(lab.laborer_id, "general"),
            lab.difficulty,
            quotas=quotas,
            floor=difficulty_floor,
        )
        for lab in needing
    ]
    floors = [difficulty_floor if lab.difficulty else 0 for lab in needing]
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    candidates = score_all(
        needing,
        index,
        k=max(k, max(quota_list, default=1)),
        weights=weights,
        today=today,
        limits=limits,
        exclude=exclude,
        tiers=tiers,
    )
    timings["score"] = time.perf_counter() - clock
    clock = time.perf_counter()
    caps = post_caps(index.places_left, cap_multiple)
    result = allocate(candidates.rows, candidates.scores, quota_list, caps, floors=floors)
    timings["allocate"] = time.perf_counter() - clock
    clock = time.perf_counter()
    wanting: list[tuple[int, Laborer, set[int]]] = []
    chosen_rows = result.post_rows(candidates.rows)
    chosen_scores = result.post_scores(candidates.scores)
    overflow_set = {(o.person, o.post_row) for o in result.overflows}

    pushes: list[PlannedPush] = []
    shortage: list[Shortage] = []
    follow_up: list[FollowUp] = []
    for i, laborer in enumerate(needing):
        seeker = None
        mine: list[str] = []
        for rank, (row, score, column) in enumerate(
            zip(chosen_rows[i], chosen_scores[i], result.chosen[i], strict=True), start=1
        ):
            if row < 0:
                break
            seeker = seeker or seeker_of(laborer, index, today=today)
            post_id = index.posts[int(row)].post_id
            mine.append(post_id)
            pushes.append(
                PlannedPush(
                    laborer_id=laborer.laborer_id,
                    post_id=post_id,
                    rank=rank,
                    score=round(float(score), 4),
                    candidate_rank=int(column) + 1,
                    reasons=reasons_for(seeker, index, int(row)),
                    overflow=(i, int(row)) in overflow_set,
                )
            )
        quota = quota_list[i]
        if len(mine) < quota:
            shortage.append(
                Shortage(
                    laborer_id=laborer.laborer_id,
                    township=laborer.township,
                    village=laborer.village,
                    reason=_shortage_reason(
                        laborer,
                        index,
                        int(candidates.eligible_counts[i]),
                        quota,
                        bool(exclude.get(laborer.laborer_id)),
                        today=today,
                        limits=limits,
                    ),
                    quota=quota,
                    got=len(mine),
                )
            )
        tier = tiers.get(laborer.laborer_id, "general")
        if tier in ("key", "special") or laborer.difficulty:
            if training and laborer.wants_training:
                wanting.append(
                    (len(follow_up), laborer, {int(r) for r in chosen_rows[i] if r >= 0})
                )
            follow_up.append(
                FollowUp(
                    laborer_id=laborer.laborer_id,
                    township=laborer.township,
                    village=laborer.village,
                    tier=tier,
                    difficulty=laborer.difficulty,
                    post_ids=tuple(mine),
                )
            )
    timings["explain"] = time.perf_counter() - clock
    started = time.perf_counter()
    suggestions = training_suggestions(
        [(lab, shown) for _, lab, shown in wanting], index, today=today, weights=weights
    )
    for (at, _, _), found in zip(wanting, suggestions, strict=True):
        follow_up[at] = dataclasses.replace(follow_up[at], training=found)
    timings["follow_up"] = time.perf_counter() - started
    loads = {index.posts[j].post_id: int(c) for j, c in enumerate(result.loads.tolist()) if c > 0}
    return MonthPlan(
        month=month,
        people=len(needing),
        quotas={lab.laborer_id: q for lab, q in zip(needing, quota_list, strict=True)},
        pushes=tuple(pushes),
        shortage=tuple(shortage),
        follow_up=tuple(follow_up),
        not_needed=dict(sorted(not_needed.items())),
        loads=loads,
        timings=timings,
    )


def _shortage_reason(
    laborer: Laborer,
    index: PostIndex,
    eligible: int,
    quota: int,
    had_exclusions: bool,
    *,
    today: dt.date,
    limits: AgeLimits,
) -> str:
    # Enough posts passed every hard rule, yet too few were left under the caps.
    if eligible >= quota:
        return FULL
    reason = shortage_reason(laborer, index, today=today, limits=limits)
    if eligible == 0 and had_exclusions and reason == "符合条件的岗位不足":
        return ALREADY_PUSHED  # eligible posts exist, but every one was pushed or declined
    return reason


def training_suggestions(
    people: Sequence[tuple[Laborer, Collection[int]]],
    index: PostIndex,
    *,
    today: dt.date,
    weights: Weights = DEFAULT_WEIGHTS,
    block: int = 256,
) -> list[tuple[str, ...]]:
    """The training of each person's near misses (as :func:`matcher.refer.refer` finds them),
    leaving out the posts pushed to them; people scored a block at a time."""
    out: list[tuple[str, ...]] = []
    for start in range(0, len(people), block):
        part = people[start : start + block]
        seekers = [seeker_for(lab, index, today=today) for lab, _ in part]
        arrays = seeker_arrays(seekers, index)
        masks = rule_masks(arrays, index, today=today)
        ok = passes_all(masks)
        text = text_part([text_row(s, index, weights) for s in seekers], index)
        fit = text.copy()  # score_block may work in place on the text part, as refer notes
        raw = score_block(arrays, text, index, weights)
        for i, (seeker, (_, shown)) in enumerate(zip(seekers, part, strict=True)):
            misses = near_misses(
                seeker,
                index,
                {rule: mask[i : i + 1] for rule, mask in masks.items()},
                raw=raw[i],
                fit=fit[i].copy(),
                ok=ok[i],
                shown=set(shown),
                k=NEAR_MISS_K,
            )
            seen: dict[str, None] = {}
            for miss in misses:
                if miss.training:
                    seen.setdefault(miss.training, None)
            out.append(tuple(seen))
    return out


def shortage_by_township(shortage: Sequence[Shortage]) -> dict[str, dict[str, int]]:
    """The shortage list grouped: township → reason → people, both sorted."""
    grouped: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in shortage:
        grouped[entry.township][entry.reason] += 1
    return {t: dict(sorted(grouped[t].items())) for t in sorted(grouped)}


def month_before(month: str, n: int = 1) -> str:
    """The month ``n`` months before ``YYYY-MM``."""
    year, mon = (int(x) for x in month.split("-"))
    total = year * 12 + (mon - 1) - n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def parse_month(month: str) -> dt.date:
    """The first day of ``YYYY-MM``; ValueError naming the argument otherwise."""
    try:
        year, mon = month.split("-")
        if len(year) != 4 or len(mon) != 2:
            raise ValueError
        return dt.date(int(year), int(mon), 1)
    except ValueError:
        raise ValueError(f"month must be YYYY-MM, got {month!r}") from None


__all__ = [
    "ALREADY_PUSHED",
    "DEFAULT_QUOTAS",
    "FULL",
    "FollowUp",
    "MonthPlan",
    "PlannedPush",
    "Shortage",
    "month_before",
    "parse_month",
    "plan_month",
    "quota_for",
    "shortage_by_township",
    "training_suggestions",
]
