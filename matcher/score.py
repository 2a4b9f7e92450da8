"""The score: soft signals combined with the weights, and a deterministic top-k.

Both :func:`matcher.refer.refer` (one person) and :func:`matcher.bulk.score_all` (everyone, in
blocks) call :func:`score_block` and :func:`top_k`, so they agree by construction.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import cache
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from catalogue.models import POST_KINDS
from matcher.index import PostIndex
from matcher.person import Seeker, SeekerArrays
from matcher.signals import LODGING_FLOOR, kind_tables
from matcher.weights import Weights

Scores = npt.NDArray[np.float32]

try:  # the kernel of scipy's sparse products (stable for many releases, not public)
    from scipy.sparse._sparsetools import csc_matvec as _csc_matvec
except ImportError:  # pragma: no cover - accumulate_row falls back to numpy
    _csc_matvec = None


def post_constant(index: PostIndex, weights: Weights) -> Scores:
    """The part of the score that depends on the post only (m,): pay, freshness, boost
    (memoised on the index per weights; read-only)."""
    w = weights.normalized()
    key = ("const", w)
    found = index._cache.get(key)
    if found is not None:
        return found  # type: ignore[return-value]
    const: Scores = (
        np.float32(w.pay) * index.pay
        + np.float32(w.freshness) * index.freshness
        + np.float32(w.boost) * index.boost
    ).astype(np.float32)
    const.flags.writeable = False
    if len(index._cache) < 64:  # a few weights at a time, not one per request
        index._cache[key] = const
    return const


def commute_part(people: SeekerArrays, index: PostIndex) -> Scores:
    """The commute signal of each person for each post (n, m), in (0, 1]."""
    signal: Scores = index.commute_signal[people.origin]
    accepts = people.accepts_lodging
    if accepts.any():
        floor = np.where(index.lodging, np.float32(LODGING_FLOOR), np.float32(0.0))
        signal[accepts] = np.maximum(signal[accepts], floor[None, :])
    return signal


def kind_part(people: SeekerArrays, index: PostIndex) -> Scores:
    """The kind-of-post signal of each person for each post (n, m), in [0, 1]."""
    combos, inverse = np.unique(people.traits, axis=0, return_inverse=True)
    near_rows, far_rows = kind_tables(combos)  # (c, 6) for the c distinct trait sets
    near = near_rows[:, index.kind][inverse.reshape(-1)]  # (n, m) by whole rows
    far = far_rows[:, index.kind][inverse.reshape(-1)]
    kind: Scores = np.where(index.near_home[people.origin], near, far)
    return kind


TextRow = tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]


def accumulate_row(row: TextRow, index: PostIndex) -> npt.NDArray[np.float32]:
    """One person's text scores (m,): the rows of ``index.text_t`` of the person's features,
    scaled and summed in column order in float32 — the operations scipy's sparse product does
    for each output row, without its set-up cost (the tests check the two agree exactly)."""
    out = np.zeros(len(index), np.float32)
    t = index.text_t
    indptr, indices, data = t.indptr, t.indices, t.data
    cols, vals = row[0], np.asarray(row[1], np.float32)
    bounds = zip(indptr[cols].tolist(), indptr[cols + 1].tolist(), strict=True)
    if _csc_matvec is None:  # pragma: no cover - scipy without its sparse kernels' module
        for v, (start, end) in zip(vals.tolist(), bounds, strict=True):
            if start != end:
                out[indices[start:end]] += np.float32(v) * data[start:end]
        return out
    # scipy's own kernel, one column at a time: out[i] += data × v in float32, column by column
    # (a one-column CSC matrix-vector product; no set-up, no gathering of the columns)
    pointer = np.zeros(2, indices.dtype)
    for c, (start, end) in enumerate(bounds):
        if start != end:
            pointer[1] = end - start
            _csc_matvec(len(out), 1, pointer, indices[start:end], data[start:end], vals[c:], out)
    return out


def text_part(rows: Sequence[TextRow], index: PostIndex) -> Scores:
    """The weighted text signals of n people for every post (n, m).

    Each distinct person row (sorted feature columns and values,
    :func:`matcher.person.text_row`) is multiplied once by the posts' features
    (``index.text_t``) in one sparse product; scipy computes each output row on its own, so one
    person alone and the same person in a block get the same scores to the last bit.
    """
    if len(rows) == 1:
        return accumulate_row(rows[0], index)[None, :]
    distinct, inverse = distinct_keys([(c.tobytes(), v.tobytes()) for c, v in rows])
    first: dict[int, int] = {}
    for i, j in enumerate(inverse.tolist()):
        first.setdefault(j, i)
    unique_rows = [rows[first[j]] for j in range(len(distinct))]
    indptr = np.zeros(len(unique_rows) + 1, np.int64)
    indptr[1:] = np.cumsum([len(c) for c, _ in unique_rows])
    cols = np.concatenate([c for c, _ in unique_rows]) if rows else np.zeros(0, np.int32)
    vals = np.concatenate([v for _, v in unique_rows]) if rows else np.zeros(0, np.float32)
    people = sp.csr_matrix(
        (vals.astype(np.float32), cols, indptr),
        shape=(len(unique_rows), index.text.size),
        dtype=np.float32,
    )
    product: Scores = np.asarray((people @ index.text_t).toarray(), dtype=np.float32)
    # distinct rows come in first-seen order: with no repeats that is the people's order
    return product if len(unique_rows) == len(rows) else product[inverse]


K = TypeVar("K", bound=Hashable)


def distinct_keys(keys: Sequence[K]) -> tuple[list[K], npt.NDArray[np.intp]]:
    """The distinct keys in first-seen order and each item's position among them."""
    seen: dict[K, int] = {}
    inverse = np.fromiter((seen.setdefault(key, len(seen)) for key in keys), np.intp, len(keys))
    return list(seen), inverse


def score_block(
    people: SeekerArrays,
    text: Scores,
    index: PostIndex,
    weights: Weights,
    *,
    const: Scores | None = None,
) -> Scores:
    """Scores of n people against every post, before the hard rules.

    The commute and kind signals depend only on the person's place, lodging answer and traits,
    so they are computed once per distinct (place, lodging, traits) and added by whole rows.

    Parameters
    ----------
    people : SeekerArrays
        n people.
    text : float32 (n, m)
        The weighted text signals (:func:`text_part`); the scores are added to it in place.
    index : PostIndex
        m posts.
    weights : Weights
        Signal weights (normalised here).
    const : float32 (m,), optional
        :func:`post_constant`, when the caller has it already.

    Returns
    -------
    NDArray[float32] (n, m)
        The weighted mean of the signals, in [0, 1].
    """
    const = post_constant(index, weights) if const is None else const
    keys: list[tuple[int, bool, tuple[bool, ...]]] = list(
        zip(
            people.origin.tolist(),
            people.accepts_lodging.tolist(),
            map(tuple, people.traits.tolist()),
            strict=True,
        )
    )
    distinct, inverse = distinct_keys(keys)
    base = [base_row(index, *key, weights, const=const) for key in distinct]
    scores = text
    if len(distinct) == 1:
        scores += base[0]
    else:
        scores += np.stack(base)[inverse]
    np.clip(scores, 0.0, 1.0, out=scores)
    return scores


def base_row(
    index: PostIndex,
    origin: int,
    lodging: bool,
    traits: tuple[bool, ...],
    weights: Weights,
    *,
    const: Scores | None = None,
    rows: npt.NDArray[np.intp] | None = None,
) -> Scores:
    """The score without its text part for one place, lodging answer and set of traits:
    commute × w.commute + kind × w.kind + the post constant, for every post (m,) or for the
    posts at ``rows`` only (the same values to the last bit: each is computed on its own).
    ``const`` is :func:`post_constant` of the same index and weights, when the caller has it.
    """
    w = weights.normalized()
    const = post_constant(index, weights) if const is None else const
    table = _kind_rows(traits)  # far fit by kind, then near-home fit by kind
    if rows is None:
        signal = index.commute_signal[origin].copy()
        lodges = index.lodging
        code = index.kind.astype(np.intp)
        code += index.near_home[origin] * len(POST_KINDS)
    else:
        signal = index.commute_signal[origin][rows]
        lodges = index.lodging[rows]
        code = index.kind[rows].astype(np.intp)
        code += index.near_home[origin][rows] * len(POST_KINDS)
        const = const[rows]
    if lodging:
        floor = np.where(lodges, np.float32(LODGING_FLOOR), np.float32(0.0))
        np.maximum(signal, floor, out=signal)
    row: Scores = signal * np.float32(w.commute)
    row += table.take(code) * np.float32(w.kind)
    row += const
    return row


@cache
def _kind_rows(traits: tuple[bool, ...]) -> Scores:
    """The kind fit of a set of traits, far from home by kind then near home by kind."""
    near, far = kind_tables(np.array([traits], dtype=np.bool_))
    table = np.concatenate([far[0], near[0]]).astype(np.float32)
    table.flags.writeable = False
    return table


def score_rows(
    text: Scores,
    index: PostIndex,
    rows: npt.NDArray[np.intp],
    seeker: Seeker,
    weights: Weights,
) -> Scores:
    """One person's scores of the posts at ``rows``, before the hard rules, bit-equal to their
    entries of :func:`score_block`'s row; ``text`` is the full text part (:func:`accumulate_row`).

    The operations of :func:`base_row` on the rows taken, in the same order, then the text part
    added and the sum clipped, each entry on its own.
    """
    w = weights.normalized()
    origin = seeker.origin
    signal = index.commute_signal[origin].take(rows)
    if seeker.accepts_lodging:
        floor = np.where(index.lodging.take(rows), np.float32(LODGING_FLOOR), np.float32(0.0))
        np.maximum(signal, floor, out=signal)
    code = index.near_home[origin].take(rows).view(np.int8)  # 0/1, a fresh array
    code *= np.int8(len(POST_KINDS))
    code += index.kind.take(rows)
    row: Scores = signal * np.float32(w.commute)
    row += _kind_rows(seeker.traits).take(code) * np.float32(w.kind)
    row += post_constant(index, weights).take(rows)
    scores: Scores = text.take(rows)
    scores += row
    np.clip(scores, 0.0, 1.0, out=scores)
    return scores


def top_k_all(row: Scores, k: int) -> npt.NDArray[np.intp]:
    """The k best entries of one row (positions), best first, ties by position: what
    :func:`top_k_row` gives when every entry is eligible."""
    n = len(row)
    if n > k:
        threshold = np.partition(row, n - k)[n - k]
        above = np.flatnonzero(row > threshold)
        level = np.flatnonzero(row == threshold)[: k - len(above)]
        found = np.concatenate([above, level])
    else:
        found = np.arange(n)
    order = np.lexsort((found, -row.take(found)))
    picked: npt.NDArray[np.intp] = found.take(order)
    return picked


def top_k_row(row: Scores, ok: npt.NDArray[np.bool_], k: int) -> npt.NDArray[np.int32]:
    """The k best eligible entries of one row (int32 positions), best first, ties by position."""
    return _top_k_row(row, ok, k)


def _top_k_row(row: Scores, ok: npt.NDArray[np.bool_], k: int) -> npt.NDArray[np.int32]:
    """The k best eligible entries of one row, best first, ties by position."""
    finite = np.flatnonzero(ok)
    if len(finite) > k:
        values = row[finite]
        threshold = np.partition(values, len(values) - k)[len(values) - k]
        above = finite[values > threshold]
        level = finite[values == threshold][: k - len(above)]
        finite = np.concatenate([above, level])
    order = np.lexsort((finite, -row[finite]))
    return finite[order].astype(np.int32)


def top_k(
    scores: Scores, k: int, eligible: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """The k best eligible posts of each row, best first, ties by row (post_id order).

    Parameters
    ----------
    scores : float32 (n, m)
        Scores in [0, 1].
    k : int
        How many per row (>= 1).
    eligible : bool (n, m)
        True where no hard rule excludes the post.

    Returns
    -------
    rows : int32 (n, k)
        Post rows, -1 where fewer than k posts are eligible.
    values : float32 (n, k)
        Their scores (0 where the row is -1).
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    n, m = scores.shape
    rows = np.full((n, k), -1, np.int32)
    values = np.zeros((n, k), np.float32)
    kk = min(k, m)
    if kk == 0 or n == 0:
        return rows, values
    if n == 1:
        found = _top_k_row(scores[0], eligible[0], kk)
        rows[0, : len(found)] = found
        values[0, : len(found)] = scores[0, found]
        return rows, values
    # Excluded posts get distinct negative values (-1 - j/m): selection stays fast (numpy's
    # introselect slows down on long runs of equal values) and they sort below every score.
    ramp = (np.float32(-1.0) - np.arange(m, dtype=np.float32) / np.float32(m)).astype(np.float32)
    work = np.where(eligible, scores, ramp[None, :])
    part = np.argpartition(work, m - kk, axis=1)[:, m - kk :]
    picked = np.take_along_axis(work, part, axis=1)
    threshold = picked.min(axis=1)
    ties = (threshold >= 0) & ((work >= threshold[:, None]).sum(axis=1) > kk)
    for i in np.flatnonzero(ties):
        row, t = work[i], threshold[i]
        above = np.flatnonzero(row > t)
        level = np.flatnonzero(row == t)[: kk - len(above)]
        part[i] = np.concatenate([above, level])
        picked[i] = row[part[i]]
    order = np.lexsort((part, -picked), axis=1)
    part = np.take_along_axis(part, order, axis=1)
    picked = np.take_along_axis(picked, order, axis=1)
    valid = picked >= 0
    rows[:, :kk] = np.where(valid, part, -1)
    values[:, :kk] = np.where(valid, picked, 0.0)
    return rows, values


__all__ = [
    "accumulate_row",
    "base_row",
    "commute_part",
    "distinct_keys",
    "kind_part",
    "post_constant",
    "score_block",
    "score_rows",
    "text_part",
    "top_k",
    "top_k_all",
    "top_k_row",
]
