"""Every person against every post, in blocks of people: the monthly batch's candidates.

Memory stays bounded: a block of ``block`` people makes a few (block, m) float32 arrays at a
time (512 × 20,000 × 4 B = 41 MB each), never an (n, m) matrix. Scores and the top-k come from
the same functions as :func:`matcher.refer.refer`, so the two agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from features.eligibility import AgeLimits, no_push_reason
from features.laborer import Laborer
from matcher.index import PostIndex
from matcher.person import Seeker, seeker_arrays, seeker_of, text_row
from matcher.refer import reasons_for, seeker_for, shortage_from_masks
from matcher.rules import eligible, rule_masks
from matcher.score import post_constant, score_block, text_part, top_k
from matcher.weights import DEFAULT_WEIGHTS, Weights

BLOCK = 256


@dataclass(frozen=True, slots=True)
class Candidates:
    """Top-k post rows per person (-1 padded), their scores, and how many posts were eligible."""

    rows: npt.NDArray[np.int32]  # (n, k)
    scores: npt.NDArray[np.float32]  # (n, k)
    eligible_counts: npt.NDArray[np.int32]  # (n,)


def score_all(
    laborers: Sequence[Laborer],
    index: PostIndex,
    *,
    k: int,
    weights: Weights = DEFAULT_WEIGHTS,
    today: dt.date,
    limits: AgeLimits | None = None,
    exclude: Mapping[str, Collection[str]] | None = None,
    block: int = BLOCK,
    tiers: Mapping[str, str] | None = None,
) -> Candidates:
    """The k best eligible posts of every person who needs work (others get none).

    Parameters
    ----------
    laborers : sequence of n Laborer
    index : PostIndex
        m posts.
    k : int
        Posts per person (>= 1).
    exclude : mapping laborer_id -> post ids, optional
        Posts a person must not get (pushed recently, declined).
    block : int
        People scored at a time; memory grows as block × m.
    tiers : mapping laborer_id -> tier, optional
        Each person's effective tier (general/key/special), as :func:`matcher.refer.refer`
        takes it: a ``special`` person counts as older and low-skilled in the kind signal.

    Returns
    -------
    Candidates
        ``rows`` int32 (n, k) post rows best first (ties by post_id), -1 padded;
        ``scores`` float32 (n, k) in [0, 1]; ``eligible_counts`` int32 (n,).
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    if block < 1:
        raise ValueError(f"block must be >= 1, got {block}")
    limits = limits or AgeLimits()
    n = len(laborers)
    rows = np.full((n, k), -1, np.int32)
    scores = np.zeros((n, k), np.float32)
    counts = np.zeros(n, np.int32)
    needing = [i for i, lab in enumerate(laborers) if no_push_reason(lab, today, limits) is None]
    tier_of = tiers or {}
    seekers_of = {
        i: seeker_for(laborers[i], index, today=today, tier=tier_of.get(laborers[i].laborer_id))
        for i in needing
    }
    # People who share a place, tolerance, lodging answer and traits share the place rules and
    # the commute and kind signals: order them together so that a block has few such groups.
    needing.sort(key=lambda i: _place_key(seekers_of[i]))
    const = post_constant(index, weights)
    for start in range(0, len(needing), block):
        members = needing[start : start + block]
        seekers = [seekers_of[i] for i in members]
        people = seeker_arrays(seekers, index)
        ok = eligible(people, index, today=today)
        if exclude:
            for j, i in enumerate(members):
                for post_id in exclude.get(laborers[i].laborer_id, ()):
                    if index.has(post_id):
                        ok[j, index.row_of(post_id)] = False
        text = text_part([text_row(s, index, weights) for s in seekers], index)
        block_scores = score_block(people, text, index, weights, const=const)
        top_rows, top_values = top_k(block_scores, k, ok)
        rows[members] = top_rows
        scores[members] = top_values
        counts[members] = ok.sum(axis=1)
    return Candidates(rows, scores, counts)


def _place_key(seeker: Seeker) -> tuple[int, int, float, bool, bool, tuple[bool, ...]]:
    return (
        seeker.origin,
        seeker.township_row,
        seeker.tolerance,
        seeker.accepts_lodging,
        seeker.difficulty,
        seeker.traits,
    )


def explain(
    laborer: Laborer,
    index: PostIndex,
    post_row: int,
    *,
    today: dt.date,
    weights: Weights = DEFAULT_WEIGHTS,
) -> tuple[str, ...]:
    """The Chinese reasons for offering the post at ``post_row`` to ``laborer``."""
    del weights  # the reasons name facts, not weights
    return reasons_for(seeker_of(laborer, index, today=today), index, post_row)


def shortage_reason(
    laborer: Laborer, index: PostIndex, *, today: dt.date, limits: AgeLimits | None = None
) -> str:
    """Why a person gets too few posts, in Chinese (通勤范围内无岗位, 年龄不符, 缺少证书, …)."""
    reason = no_push_reason(laborer, today, limits or AgeLimits())
    if reason is not None:
        return reason
    people = seeker_arrays([seeker_of(laborer, index, today=today)], index)
    return shortage_from_masks(rule_masks(people, index, today=today))


__all__ = ["BLOCK", "Candidates", "explain", "score_all", "shortage_reason"]
