"""Soft-signal weights learned from recorded outcomes, adopted only when they rank better.

The data: every push (or referral) whose outcome a counselor recorded, as the seven soft
signals of :class:`matcher.weights.Weights` (skill, desired, commute, kind, pay, freshness,
boost; :func:`matcher.refer.signals_for`, each in [0, 1]) and a label: **taken up** (the
person went to the interview or was hired: 已面试, 已录用) or **not** (本人婉拒). Taking a
post up is the person's choice, which is what the signals describe; a hire also depends on
the other applicants and on the post's places, so it is not the label. "No answer" and a bare
"referred" say nothing of the person's choice and are left out.

The fit: scikit-learn's logistic regression over the signals, ``class_weight="balanced"``
(take-ups are rare), on every month but the last ``test_months``. The learned weights are its
coefficients, negative ones set to 0 (a weight cannot be negative), scaled to sum to 1.

The test: on the held-out months, the area under the ROC curve (AUC) of the score
``Σ wᵢ·sᵢ`` with the learned weights against the same with the hand weights. The score only
ranks posts, so a ranking measure is the right one (the score is no probability: a log-loss
would measure its calibration, which the batch never uses). The learned weights are
**adopted** only when their AUC beats the hand weights' by at least ``min_gain``.

Pure: no Redis. ``service/learned_weights.py`` keeps the adopted weights in the store, and
``renggang weights fit|show`` drives this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from catalogue.models import Post
from evaluation.policies import MonthIndex
from evaluation.simulate import MonthResult
from features.laborer import Laborer
from matcher.index import PostIndex
from matcher.refer import seeker_for, signals_for
from matcher.weights import DEFAULT_WEIGHTS, Weights

SIGNALS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Weights))
TAKEN = frozenset({"interviewed", "hired"})
NOT_TAKEN = frozenset({"declined"})
MIN_ROWS = 20  # fewer labelled outcomes than this in either part: no fit


class LearnError(ValueError):
    """Too few or one-sided outcomes to fit or to test weights (English, for developers)."""


@dataclass(frozen=True, slots=True)
class OutcomeSample:
    """Labelled outcomes: the signals of each (person, post), whether taken up, and the month."""

    signals: npt.NDArray[np.float64]  # (n, len(SIGNALS)), each in [0, 1]
    taken: npt.NDArray[np.bool_]  # (n,)
    months: tuple[str, ...]  # (n,) YYYY-MM of the push

    def __len__(self) -> int:
        return len(self.taken)

    def subset(self, keep: npt.NDArray[np.bool_]) -> OutcomeSample:
        """The rows where ``keep`` is True."""
        return OutcomeSample(
            self.signals[keep],
            self.taken[keep],
            tuple(m for m, k in zip(self.months, keep.tolist(), strict=True) if k),
        )


def weight_vector(weights: Weights) -> npt.NDArray[np.float64]:
    """The weights in ``SIGNALS`` order, scaled to sum to 1."""
    w = weights.normalized()
    return np.array([getattr(w, name) for name in SIGNALS], dtype=np.float64)


def score(signals: npt.NDArray[np.float64], weights: Weights) -> npt.NDArray[np.float64]:
    """The matcher's weighted mean of the signals (n, len(SIGNALS)) → (n,), in [0, 1]."""
    return np.asarray(signals, dtype=np.float64) @ weight_vector(weights)


def signal_rows(
    pairs: Sequence[tuple[Laborer, str]], index: PostIndex, *, today: dt.date
) -> npt.NDArray[np.float64]:
    """The soft signals of each (person, post_id) pair, (n, len(SIGNALS)), by the matcher."""
    out = np.zeros((len(pairs), len(SIGNALS)), dtype=np.float64)
    by_person: dict[str, list[int]] = {}
    people: dict[str, Laborer] = {}
    for i, (laborer, _) in enumerate(pairs):
        by_person.setdefault(laborer.laborer_id, []).append(i)
        people[laborer.laborer_id] = laborer
    for laborer_id, at in by_person.items():
        seeker = seeker_for(people[laborer_id], index, today=today)
        rows = np.array([index.row_of(pairs[i][1]) for i in at], dtype=np.int32)
        for i, values in zip(at, signals_for(seeker, index, rows), strict=True):
            out[i] = [values[name] for name in SIGNALS]
    return out


def sample_from_months(
    results: Sequence[MonthResult],
    laborers: Sequence[Laborer],
    posts: Sequence[Post],
    indexes: MonthIndex,
) -> OutcomeSample:
    """The outcomes of simulated months (``laborers`` and ``posts`` as before the first)."""
    blocks: list[npt.NDArray[np.float64]] = []
    taken: list[bool] = []
    months: list[str] = []
    people, catalogue = tuple(laborers), tuple(posts)
    for result in results:
        index = indexes(catalogue, result.day)
        by_id = {p.laborer_id: p for p in people}
        pairs = [(by_id[o.laborer_id], o.post_id) for o in result.outcomes]
        blocks.append(signal_rows(pairs, index, today=result.day))
        taken += [o.took for o in result.outcomes]
        months += [result.month] * len(result.outcomes)
        people, catalogue = result.laborers, result.posts
    signals = np.vstack(blocks) if blocks else np.zeros((0, len(SIGNALS)))
    return OutcomeSample(signals, np.array(taken, dtype=bool), tuple(months))


@dataclass(frozen=True, slots=True)
class OutcomeRecord:
    """One recorded outcome, as ``service/outcomes.py`` stores it."""

    laborer_id: str
    post_id: str
    outcome: str  # referred, interviewed, hired, declined, no_answer
    day: dt.date


def labelled_pairs(records: Sequence[OutcomeRecord]) -> list[tuple[str, str, bool, dt.date]]:
    """(laborer_id, post_id, taken, first day) for each pair with a telling outcome.

    A pair is taken up when any of its records is interviewed or hired, not taken when it was
    declined and never taken up; the first day of its records dates it (the push's month).
    """
    first: dict[tuple[str, str], dt.date] = {}
    outcomes: dict[tuple[str, str], set[str]] = {}
    for r in records:
        key = (r.laborer_id, r.post_id)
        first[key] = min(first.get(key, r.day), r.day)
        outcomes.setdefault(key, set()).add(r.outcome)
    out = []
    for key in sorted(first):
        seen = outcomes[key]
        if seen & TAKEN:
            out.append((key[0], key[1], True, first[key]))
        elif seen & NOT_TAKEN:
            out.append((key[0], key[1], False, first[key]))
    return out


def sample_from_records(
    records: Sequence[OutcomeRecord], laborers: Mapping[str, Laborer], index: PostIndex
) -> tuple[OutcomeSample, int]:
    """The labelled outcomes among ``records`` whose person and post are known, and how many
    labelled pairs were skipped (person or post no longer in the roster or catalogue)."""
    rows: list[tuple[Laborer, str]] = []
    taken: list[bool] = []
    months: list[str] = []
    days: list[dt.date] = []
    skipped = 0
    for laborer_id, post_id, took, day in labelled_pairs(records):
        laborer = laborers.get(laborer_id)
        if laborer is None or not index.has(post_id):
            skipped += 1
            continue
        rows.append((laborer, post_id))
        taken.append(took)
        months.append(f"{day:%Y-%m}")
        days.append(day)
    signals = np.zeros((len(rows), len(SIGNALS)), dtype=np.float64)
    for day in sorted(set(days)):  # ages (and so the kind signal) as on the day of the outcome
        at = [i for i, d in enumerate(days) if d == day]
        signals[at] = signal_rows([rows[i] for i in at], index, today=day)
    return OutcomeSample(signals, np.array(taken, dtype=bool), tuple(months)), skipped


@dataclass(frozen=True, slots=True)
class WeightFit:
    """A fit of the weights and its test against the hand weights on held-out months."""

    weights: Weights  # learned, summing to 1 (the hand weights when no coefficient is > 0)
    hand: Weights
    coefficients: dict[str, float]  # the logistic regression's, per signal
    intercept: float
    train_months: tuple[str, ...]
    test_months: tuple[str, ...]
    train_rows: int
    test_rows: int
    auc_hand: float  # on the held-out months, in [0, 1]
    auc_learned: float
    min_gain: float
    adopted: bool
    metric: str = "held-out AUC of the score (taken up vs not)"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (what the store keeps for adopted weights)."""
        return {
            "weights": {n: round(getattr(self.weights, n), 4) for n in SIGNALS},
            "hand": {n: round(getattr(self.hand.normalized(), n), 4) for n in SIGNALS},
            "coefficients": {n: round(v, 4) for n, v in self.coefficients.items()},
            "intercept": round(self.intercept, 4),
            "train_months": list(self.train_months),
            "test_months": list(self.test_months),
            "train_rows": self.train_rows,
            "test_rows": self.test_rows,
            "auc_hand": round(self.auc_hand, 4),
            "auc_learned": round(self.auc_learned, 4),
            "min_gain": self.min_gain,
            "adopted": self.adopted,
            "metric": self.metric,
        }


def split_months(sample: OutcomeSample, test_months: int) -> tuple[OutcomeSample, OutcomeSample]:
    """The sample before the last ``test_months`` months, and those months."""
    if test_months < 1:
        raise ValueError(f"test_months must be >= 1, got {test_months}")
    months = sorted(set(sample.months))
    if len(months) <= test_months:
        raise LearnError(
            f"outcomes of at least {test_months + 1} months are needed, got {len(months)}"
        )
    held = set(months[-test_months:])
    keep = np.array([m in held for m in sample.months], dtype=bool)
    return sample.subset(~keep), sample.subset(keep)


def _check(part: OutcomeSample, name: str) -> None:
    if len(part) < MIN_ROWS or part.taken.all() or not part.taken.any():
        raise LearnError(
            f"{name} needs at least {MIN_ROWS} outcomes with both take-ups and refusals, "
            f"got {len(part)} ({int(part.taken.sum())} taken up)"
        )


def auc(labels: npt.ArrayLike, scores: npt.ArrayLike) -> float:
    """Area under the ROC curve: the chance a taken-up pair outscores a refused one (ties ½).

    Parameters
    ----------
    labels : array of bool, shape (n,)
    scores : array of float, shape (n,)

    Returns
    -------
    float in [0, 1]
        0.5 when either class is missing.
    """
    y = np.asarray(labels, dtype=bool).reshape(-1)
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    pos, neg = s[y], s[~y]
    if not pos.size or not neg.size:
        return 0.5
    # Mann–Whitney U by ranks (average ranks for ties).
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=np.float64)
    sorted_s = s[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_s)) + 1]
    ends = np.r_[starts[1:], len(s)]
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        ranks[order[a:b]] = (a + b + 1) / 2.0
    u = ranks[y].sum() - pos.size * (pos.size + 1) / 2.0
    return float(u / (pos.size * neg.size))


def fit_weights(
    sample: OutcomeSample,
    *,
    hand: Weights = DEFAULT_WEIGHTS,
    test_months: int = 1,
    min_gain: float = 0.005,
    c: float = 1.0,
) -> WeightFit:
    """Fit the weights on all months but the last ``test_months`` and test them on those.

    Raises :class:`LearnError` when either part has too few outcomes or only one label.
    """
    from sklearn.linear_model import LogisticRegression

    train, test = split_months(sample, test_months)
    _check(train, "training")
    _check(test, "the held-out months")
    model = LogisticRegression(class_weight="balanced", C=c, max_iter=1000)
    model.fit(train.signals, train.taken)
    coef = np.asarray(model.coef_, dtype=np.float64).reshape(-1)
    positive = np.maximum(coef, 0.0)
    if positive.sum() > 0:
        learned = Weights(**dict(zip(SIGNALS, (positive / positive.sum()).tolist(), strict=True)))
    else:
        learned = hand.normalized()
    auc_hand = auc(test.taken, score(test.signals, hand))
    auc_learned = auc(test.taken, score(test.signals, learned))
    return WeightFit(
        weights=learned,
        hand=hand,
        coefficients=dict(zip(SIGNALS, coef.tolist(), strict=True)),
        intercept=float(np.asarray(model.intercept_).reshape(-1)[0]),
        train_months=tuple(sorted(set(train.months))),
        test_months=tuple(sorted(set(test.months))),
        train_rows=len(train),
        test_rows=len(test),
        auc_hand=auc_hand,
        auc_learned=auc_learned,
        min_gain=min_gain,
        adopted=positive.sum() > 0 and auc_learned >= auc_hand + min_gain,
    )


class SignalTruth:
    """A take-up truth made of known signal weights: ``σ(intercept + slope · score)``.

    For worlds where the right weights are known (the learning tests): pass it as
    ``take=`` to :func:`evaluation.simulate.simulate_months`.
    """

    def __init__(
        self,
        weights: Weights,
        indexes: MonthIndex,
        *,
        intercept: float = -4.0,
        slope: float = 8.0,
    ) -> None:
        self.weights = weights
        self.indexes = indexes
        self.intercept = intercept
        self.slope = slope

    def __call__(
        self, pairs: Sequence[tuple[Laborer, Post]], posts: Sequence[Post], day: dt.date
    ) -> npt.NDArray[np.float64]:
        """The probability that each pair is taken up."""
        index = self.indexes(posts, day)
        signals = signal_rows([(lab, post.post_id) for lab, post in pairs], index, today=day)
        z = self.intercept + self.slope * score(signals, self.weights)
        p: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
        return p


__all__ = [
    "NOT_TAKEN",
    "SIGNALS",
    "TAKEN",
    "LearnError",
    "OutcomeRecord",
    "OutcomeSample",
    "SignalTruth",
    "WeightFit",
    "auc",
    "fit_weights",
    "labelled_pairs",
    "sample_from_months",
    "sample_from_records",
    "score",
    "signal_rows",
    "split_months",
    "weight_vector",
]
