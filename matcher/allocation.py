"""Capacity-aware allocation of a month's pushes (DESIGN §6).

Every person has a short list of candidate posts (best first, from the matcher) and a quota;
every post has a cap, a multiple of its places left. :func:`allocate` picks, for each person,
distinct posts from their list so that no post goes over its cap, in four stages:

A. **Top-k, then greedy by score.** First what a plain top-k gives: everyone proposes their
   first ``quota`` candidates and each post keeps its best-scoring proposals up to its cap
   (:func:`top_k_capped`). Then every other candidate, best score first, is taken while its
   person is under quota and its post under cap. Since no later stage takes anyone's last push
   away, everyone the plain top-k serves stays served.
B. **Coverage repair.** People left with no push get one along alternating paths: take a full
   post from its holder, who moves to another post of theirs with room, or simply gives it up
   when they hold two or more. All paths at once, as a maximum flow in the residual network
   of the allocation (scipy's Dinic, see :meth:`_State.run_stage`): afterwards no such path is
   left, so the number of people with at least one push is the largest the caps allow (Berge;
   the tests check it against the max flow source → person (1) → post (cap) → sink).
C. **The floor.** Difficulty persons under the floor (two) get pushes along the same paths,
   where a holder gives a post up only if they keep one (a difficulty person: two); where no
   path is left, the cap gives way: they get the candidate least crowded for its cap (never a
   post with no place left), and the push is reported in :attr:`Allocation.overflows`.
D. **Quota fill.** Everyone under quota gets pushes along paths that end at a post with room
   (no one gives one up), so the total number of pushes is as large as the caps allow.

No path starts anywhere but at a person short of the stage's goal, so nobody loses their last
push in B–D (or a difficulty person their floor in C–D), and what an earlier stage secured
holds. Stage A settles which posts go where by score; B–D change only what they must. The
result depends only on the inputs (ties break by person, then by candidate rank; the flow is
deterministic).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Overflow:
    """A push made over its post's cap so that a difficulty person reaches the floor."""

    person: int
    post_row: int


@dataclass(frozen=True, slots=True)
class Allocation:
    """The chosen pushes: per person, candidate positions best score first.

    ``chosen[i, r]`` is a column of the candidate arrays (−1 padded), so ``rows[i, chosen[i, r]]``
    is the post and ``scores[i, chosen[i, r]]`` its score; ``loads[j]`` counts pushes of post
    row ``j`` (overflows included).
    """

    chosen: IntArray  # (n, max quota), candidate columns, −1 padded
    counts: IntArray  # (n,)
    loads: IntArray  # (posts,)
    overflows: tuple[Overflow, ...]

    def post_rows(self, rows: IntArray) -> IntArray:
        """The chosen post rows (n, max quota), −1 padded, given the candidate rows."""
        safe = np.where(self.chosen >= 0, self.chosen, 0)
        picked = np.take_along_axis(rows, safe, axis=1)
        return np.where(self.chosen >= 0, picked, -1).astype(np.int32)

    def post_scores(self, scores: FloatArray) -> FloatArray:
        """The chosen scores (n, max quota), NaN padded, given the candidate scores."""
        safe = np.where(self.chosen >= 0, self.chosen, 0)
        picked = np.take_along_axis(scores, safe, axis=1)
        return np.where(self.chosen >= 0, picked, np.nan).astype(np.float32)

    def total_score(self, scores: FloatArray) -> float:
        """Sum of the scores of every chosen push."""
        return float(np.nansum(self.post_scores(scores), dtype=np.float64))


def post_caps(places_left: npt.ArrayLike, cap_multiple: float) -> IntArray:
    """Each post's cap of pushes a month: ``ceil(cap_multiple × places_left)``, 0 when none left.

    Parameters
    ----------
    places_left : array of int, shape (posts,)
        Headcount less hires; values below zero count as zero.
    cap_multiple : float
        Pushes allowed per place left, > 0 (DESIGN §6 default 3).

    Returns
    -------
    NDArray[int32], shape (posts,)
    """
    if not cap_multiple > 0:
        raise ValueError(f"cap_multiple must be > 0, got {cap_multiple}")
    places = np.maximum(np.asarray(places_left, dtype=np.float64), 0.0)
    # A tiny tolerance keeps 3 × 1.1 places from rounding up to 4 through float error.
    return np.ceil(places * cap_multiple - 1e-9).astype(np.int32)


class _State:
    """Mutable bookkeeping of the allocation while it is built (lists for speed)."""

    def __init__(
        self,
        cands: list[list[int]],
        quota: list[int],
        cap: list[int],
        grid: IntArray | None = None,
    ) -> None:
        self.cands = cands
        self.grid = grid if grid is not None else np.full((len(cands), 0), -1, np.int32)
        self.quota = quota
        self.cap = cap
        self.held: list[list[int]] = [[] for _ in cands]
        self.count = [0] * len(cands)
        self.holders: list[list[int]] = [[] for _ in cap]
        self.load = [0] * len(cap)
        self.overflows: list[Overflow] = []

    def take(self, person: int, post: int) -> None:
        self.held[person].append(post)
        self.holders[post].append(person)
        self.load[post] += 1
        self.count[person] += 1

    def release(self, person: int, post: int) -> None:
        self.held[person].remove(post)
        self.holders[post].remove(person)
        self.load[post] -= 1
        self.count[person] -= 1

    def run_stage(self, targets: list[int], goal: list[int], keep: list[int] | None) -> None:
        """Give ``targets`` as many pushes toward ``goal`` as alternating paths allow.

        The residual network of the current allocation: source → each target (its deficit),
        person → post for a candidate not held (1), post → person for a post held (1: the
        holder may release it to move on), post → sink (room left), and, with ``keep``,
        person → sink (pushes above ``keep``: the holder may give one up). A maximum flow
        (scipy's Dinic) is a set of augmenting paths none of which starts from anyone but a
        target, so nobody loses their last push; at a maximum flow no path is left (max-flow
        min-cut), which is the stage's guarantee.
        """
        count = np.asarray(self.count, dtype=np.int64)
        load = np.asarray(self.load, dtype=np.int64)
        cap = np.asarray(self.cap, dtype=np.int64)
        want = np.zeros(len(count), dtype=np.int64)
        targets_arr = np.asarray(targets, dtype=np.int64)
        want[targets_arr] = np.maximum(
            np.asarray(goal, np.int64)[targets_arr] - count[targets_arr], 0
        )
        if not want.any():
            return
        n, posts = len(count), len(cap)
        source, sink = n + posts, n + posts + 1
        grid = self.grid  # (n, m) candidate post rows, −1 where unusable
        person_of, column = np.nonzero(grid >= 0)
        post_of = grid[person_of, column].astype(np.int64)
        is_held = _held_mask(self, grid)[person_of, column]
        parts_src = [
            np.full(int((want > 0).sum()), source),
            np.where(is_held, n + post_of, person_of),
        ]
        parts_dst = [np.flatnonzero(want > 0), np.where(is_held, person_of, n + post_of)]
        parts_w = [want[want > 0], np.ones(len(person_of), dtype=np.int64)]
        if keep is not None:
            spare = count - np.asarray(keep, dtype=np.int64)
            donors = np.flatnonzero(spare > 0)
            parts_src.append(donors)
            parts_dst.append(np.full(len(donors), sink))
            parts_w.append(spare[donors])
        room = np.flatnonzero(load < cap)
        if len(room) == 0 and (keep is None or len(parts_src) == 2 or not len(parts_src[2])):
            return  # no post with room and no one who may give one up: no path can end
        parts_src.append(n + room)
        parts_dst.append(np.full(len(room), sink))
        parts_w.append((cap - load)[room])
        src = np.concatenate(parts_src)
        dst = np.concatenate(parts_dst)
        weight = np.concatenate(parts_w)
        size = n + posts + 2
        graph = csr_matrix(
            (weight.astype(np.int32), (src, dst)),
            shape=(size, size),
        )
        flow = maximum_flow(graph, source, sink).flow.tocoo()
        moved = flow.data > 0
        rows_, cols_ = flow.row[moved], flow.col[moved]
        # Releases first, then takes: each person on a path gives up one post and takes one.
        release = (rows_ >= n) & (rows_ < n + posts) & (cols_ < n)
        for post, person in zip(
            (rows_[release] - n).tolist(), cols_[release].tolist(), strict=True
        ):
            self.release(person, post)
        take = (rows_ < n) & (cols_ >= n) & (cols_ < n + posts)
        for person, post in zip(rows_[take].tolist(), (cols_[take] - n).tolist(), strict=True):
            self.take(person, post)


def allocate(
    rows: IntArray,
    scores: FloatArray,
    quotas: npt.ArrayLike,
    caps: npt.ArrayLike,
    *,
    floors: npt.ArrayLike | None = None,
) -> Allocation:
    """Choose each person's pushes among their candidates under quotas, caps and floors.

    Parameters
    ----------
    rows : NDArray[int32], shape (n, m)
        Candidate post rows per person, best first, −1 padded; a row repeated in one person's
        list counts once.
    scores : NDArray[float32], shape (n, m)
        The candidates' scores (higher is better; any scale).
    quotas : array of int, shape (n,)
        Pushes wanted per person (≥ 0).
    caps : array of int, shape (posts,)
        Pushes allowed per post row (see :func:`post_caps`).
    floors : array of int, shape (n,), optional
        Pushes a person must get even over caps (difficulty persons: 2), ≤ quota.

    Returns
    -------
    Allocation
    """
    rows = np.asarray(rows)
    scores = np.asarray(scores, dtype=np.float32)
    if rows.ndim != 2 or rows.shape != scores.shape:
        raise ValueError(f"rows and scores must be (n, m) alike, got {rows.shape}, {scores.shape}")
    n = rows.shape[0]
    quota_arr = np.asarray(quotas, dtype=np.int64).reshape(-1)
    cap_arr = np.asarray(caps, dtype=np.int64).reshape(-1)
    floor_arr = (
        np.zeros(n, dtype=np.int64) if floors is None else np.asarray(floors, np.int64).reshape(-1)
    )
    if quota_arr.shape != (n,) or floor_arr.shape != (n,):
        raise ValueError(f"quotas and floors must have shape ({n},)")
    if (quota_arr < 0).any() or (cap_arr < 0).any():
        raise ValueError("quotas and caps must be >= 0")
    if (floor_arr > quota_arr).any():
        raise ValueError("floors must not exceed quotas")
    posts = cap_arr.shape[0]
    if rows.size and rows.max(initial=-1) >= posts:
        raise ValueError(f"rows refer to post rows beyond caps ({posts})")

    valid = _distinct(rows, posts)
    masked = np.where(valid, rows, -1).astype(np.int32)
    cand_rows = [[j for j in row if j >= 0] for row in masked.tolist()]
    state = _State(cand_rows, quota_arr.tolist(), cap_arr.tolist(), masked)

    # Stage A: the plain top-k's pushes (each post keeps its best proposals), then greedy by
    # score over every other usable candidate.
    _take_top_k(state, rows, scores, valid, quota_arr)
    usable = valid & (quota_arr > 0)[:, None]
    usable &= cap_arr[np.where(valid, rows, 0)] > 0
    person_idx, column_idx = np.nonzero(usable)
    order = np.argsort(-scores[person_idx, column_idx], kind="stable")
    quota, cap, count, load, held = state.quota, state.cap, state.count, state.load, state.held
    for person, post in zip(
        person_idx[order].tolist(), rows[person_idx, column_idx][order].tolist(), strict=True
    ):
        if count[person] < quota[person] and load[post] < cap[post] and post not in held[person]:
            state.take(person, post)

    everyone = [i for i in range(n) if quota[i] > 0 and cand_rows[i]]
    floor = floor_arr.tolist()
    # Stage B: nobody without a push who could have one; anyone holding two or more may give
    # one up (a difficulty person's floor is restored in stage C).
    state.run_stage(everyone, [min(1, q) for q in quota], [1] * n)
    # Stage C: the floor, by paths where they exist, over the cap where they do not (never
    # over a post with no place left at all: its cap is 0).
    short = [i for i in everyone if floor[i] > 0]
    state.run_stage(short, floor, [max(1, f) for f in floor])
    for person in short:
        while state.count[person] < floor[person]:
            options = [
                (state.load[post] / cap[post], rank, post)
                for rank, post in enumerate(cand_rows[person])
                if cap[post] > 0 and post not in state.held[person]
            ]
            if not options:
                break
            _, _, post = min(options)  # the least crowded for its cap, then the best ranked
            if state.load[post] >= cap[post]:
                state.overflows.append(Overflow(person, post))
            state.take(person, post)
    # Stage D: fill quotas where room remains.
    state.run_stage(everyone, quota, None)

    return _finish(rows, scores, valid, state, int(quota_arr.max(initial=0)))


def _distinct(rows: IntArray, posts: int) -> npt.NDArray[np.bool_]:
    """Mask of usable candidates: −1 padding and repeats of a post in one list dropped."""
    valid = rows >= 0
    if rows.shape[1] > 1:
        order = np.argsort(np.where(valid, rows, posts), axis=1, kind="stable")
        srt = np.take_along_axis(rows, order, axis=1)
        dup_sorted = np.zeros_like(valid)
        dup_sorted[:, 1:] = (srt[:, 1:] == srt[:, :-1]) & (srt[:, 1:] >= 0)
        dup = np.zeros_like(valid)
        np.put_along_axis(dup, order, dup_sorted, axis=1)
        valid &= ~dup
    return valid


def _held_mask(state: _State, grid: IntArray) -> npt.NDArray[np.bool_]:
    """Which cells of the candidate grid (−1 where unusable) the allocation holds."""
    posts = len(state.cap)
    keys = np.asarray(
        [p * posts + j for p, mine in enumerate(state.held) for j in mine], dtype=np.int64
    )
    cells = np.arange(grid.shape[0], dtype=np.int64)[:, None] * posts + grid
    return (grid >= 0) & np.isin(cells, keys)


def _finish(
    rows: IntArray, scores: FloatArray, valid: npt.NDArray[np.bool_], state: _State, width: int
) -> Allocation:
    width = max(width, 1)
    grid = np.where(valid, rows, -1)
    held = _held_mask(state, grid)
    # Held columns first, best score first, ties by column (a stable sort).
    ranked = np.where(held, scores.astype(np.float64), -np.inf)
    order = np.argsort(-ranked, axis=1, kind="stable")[:, :width]
    keep = np.take_along_axis(held, order, axis=1)
    chosen = np.where(keep, order, -1).astype(np.int32)
    if chosen.shape[1] < width:
        chosen = np.pad(chosen, ((0, 0), (0, width - chosen.shape[1])), constant_values=-1)
    return Allocation(
        chosen=chosen,
        counts=np.asarray(state.count, dtype=np.int32),
        loads=np.asarray(state.load, dtype=np.int32),
        overflows=tuple(state.overflows),
    )


def _take_top_k(
    state: _State,
    rows: IntArray,
    scores: FloatArray,
    valid: npt.NDArray[np.bool_],
    quotas: npt.NDArray[np.int64],
) -> None:
    """Each person proposes their first ``quota`` candidates; each post keeps its best."""
    rank = np.cumsum(valid, axis=1)
    proposed = valid & (rank <= quotas[:, None])
    person_idx, column_idx = np.nonzero(proposed)
    order = np.argsort(-scores[person_idx, column_idx], kind="stable")
    load, cap = state.load, state.cap
    for person, post in zip(
        person_idx[order].tolist(), rows[person_idx, column_idx][order].tolist(), strict=True
    ):
        if load[post] < cap[post]:
            state.take(person, post)


def top_k_capped(
    rows: IntArray, scores: FloatArray, quotas: npt.ArrayLike, caps: npt.ArrayLike
) -> Allocation:
    """The plain reference: each person's top-``quota`` candidates, each post keeping its best.

    Every person proposes their first ``quota`` candidates; a post keeps the best-scoring
    proposals up to its cap and drops the rest, which are not replaced. This is what a batch
    without capacity-aware allocation gives once full posts turn people away. :func:`allocate`
    starts from exactly these pushes, so it serves everyone this serves.
    """
    rows = np.asarray(rows)
    scores = np.asarray(scores, dtype=np.float32)
    n = rows.shape[0]
    quota_arr = np.asarray(quotas, dtype=np.int64).reshape(-1)
    cap_arr = np.asarray(caps, dtype=np.int64).reshape(-1)
    valid = _distinct(rows, cap_arr.shape[0])
    state = _State([[] for _ in range(n)], quota_arr.tolist(), cap_arr.tolist())
    _take_top_k(state, rows, scores, valid, quota_arr)
    return _finish(rows, scores, valid, state, int(quota_arr.max(initial=0)))


__all__ = ["Allocation", "Overflow", "allocate", "post_caps", "top_k_capped"]
