"""The soft signals: each a number in [0, 1] per (person, post), higher is better.

- text (skills, desired jobs): a weighted sum, so one sparse product scores every post::

      text = 0.50·(share of the post's lexicon skills the person has)
           + 0.15·(share of the post's 细类 occupations the person's words name)
           + 0.15·(share of the post's 小类 the person's words name: related work, partial credit)
           + 0.20·(TF-IDF cosine of the person's words and the post's title and skills)

  The person's skills text gives the ``skill`` signal, the desired jobs the ``desired`` signal.
- commute: ``1 / (1 + (minutes / 45)²)``: 15 min 0.90, 30 min 0.69, 45 min 0.5, 90 min 0.2;
  居家就业 1; a lodging post for a person who accepts lodging at least 0.5 (no daily trip).
- kind of post against the person (table ``KIND_FIT``): workshops, village sub-contracting
  points and home-based work near home suit older, low-skilled people and carers; directed posts
  suit people who accept lodging or a long commute; 公益性岗位 suit difficulty persons.
- pay: the mid salary between Beijing's minimum wage (2,420 yuan/month since 2023-09-01) and
  8,000 yuan, linear, unknown pay 0.3.
- freshness: half-life 30 days since the post was last updated; unknown 0.5.
- boost: the employer control's multiplier b ∈ [0.1, 3] on a log scale, ``0.5 + log3(b)/2``
  clipped to [0, 1] (b = 1 → 0.5, b = 3 → 1, b ≤ 1/3 → 0).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

from features.skills import small_class

# Coefficients of the text signal's four parts (lexicon skills, 细类, 小类, TF-IDF); sum 1.
TEXT_COEFFICIENTS: tuple[float, float, float, float] = (0.50, 0.15, 0.15, 0.20)
COMMUTE_HALF_MINUTES = 45.0
LODGING_FLOOR = 0.5
NEAR_HOME_MINUTES = 30.0
MIN_WAGE = 2420.0  # 北京市最低工资标准, yuan per month, from 2023-09-01
HIGH_WAGE = 8000.0
UNKNOWN_PAY = 0.3
FRESH_HALF_LIFE_DAYS = 30.0
UNKNOWN_FRESHNESS = 0.5

# Kinds in catalogue.models.POST_KINDS order:
#   定向招聘 扶贫车间 村社代工点 居家就业 公益性岗位 社会招聘
# Rows: person traits. A person's fit is the highest row they have; near home (≤ 30 min) uses
# the first table, farther the second.
TRAITS: tuple[str, ...] = ("anyone", "older_low_skilled", "carer", "mobile", "difficulty")
KIND_FIT_NEAR: npt.NDArray[np.float32] = np.array(
    [
        [0.5, 0.6, 0.6, 0.4, 0.5, 0.7],  # anyone
        [0.3, 1.0, 1.0, 0.9, 0.5, 0.6],  # older (men 45+, women 40+) and 初中 or less, no skill
        [0.3, 0.8, 0.9, 1.0, 0.5, 0.6],  # carer: 需照料老人/子女, 家有残疾人, or disabled
        [1.0, 0.6, 0.6, 0.4, 0.5, 0.8],  # mobile: accepts lodging or a commute of 90+ min
        [0.5, 0.8, 0.8, 0.8, 1.0, 0.6],  # difficulty person: 公益性岗位 托底安置
    ],
    dtype=np.float32,
)
KIND_FIT_FAR: npt.NDArray[np.float32] = np.array(
    [
        [0.5, 0.4, 0.4, 0.4, 0.5, 0.6],
        [0.3, 0.6, 0.6, 0.9, 0.5, 0.5],
        [0.3, 0.4, 0.4, 1.0, 0.5, 0.4],
        [1.0, 0.5, 0.5, 0.4, 0.5, 0.8],
        [0.5, 0.5, 0.5, 0.8, 1.0, 0.5],
    ],
    dtype=np.float32,
)


@cache
def occupation_keys(codes: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The 细类 codes and 小类 codes among occupation ``codes`` (broader codes are dropped)."""
    fine: set[str] = set()
    small: set[str] = set()
    for code in codes:
        parts = code.split("-")
        if len(parts) != 4 or parts[2] in ("", "00"):
            continue
        small.add(small_class(code))
        if parts[3] not in ("", "00"):
            fine.add(code)
    return frozenset(fine), frozenset(small)


def commute_signal(minutes: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """Commute signal for minutes.

    Parameters
    ----------
    minutes : array of float, any shape
        One-way commute in minutes (0 for home-based work).

    Returns
    -------
    NDArray[float32], same shape
        ``1 / (1 + (minutes / 45)²)``, in (0, 1], decreasing in minutes.
    """
    x = np.asarray(minutes, dtype=np.float32) / np.float32(COMMUTE_HALF_MINUTES)
    return (np.float32(1.0) / (np.float32(1.0) + x * x)).astype(np.float32)


def pay_signal(salary_min: npt.ArrayLike, salary_max: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """Pay signal of posts.

    Parameters
    ----------
    salary_min, salary_max : array (m,) of float
        Yuan per month; NaN where the post gives none.

    Returns
    -------
    NDArray[float32] (m,)
        In [0, 1]: the mid salary from ``MIN_WAGE`` (0) to ``HIGH_WAGE`` (1); unknown 0.3.
    """
    lo = np.asarray(salary_min, dtype=np.float64)
    hi = np.asarray(salary_max, dtype=np.float64)
    mid = np.where(np.isnan(lo), hi, np.where(np.isnan(hi), lo, (lo + hi) / 2))
    s = np.clip((mid - MIN_WAGE) / (HIGH_WAGE - MIN_WAGE), 0.0, 1.0)
    return np.where(np.isnan(mid), UNKNOWN_PAY, s).astype(np.float32)


def freshness_signal(age_days: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """Freshness signal of posts.

    Parameters
    ----------
    age_days : array (m,) of float
        Days since the post was last updated (NaN unknown; negative counts as 0).

    Returns
    -------
    NDArray[float32] (m,)
        ``0.5 ** (days / 30)`` in (0, 1]; unknown 0.5.
    """
    days = np.maximum(np.asarray(age_days, dtype=np.float64), 0.0)
    s = 0.5 ** (days / FRESH_HALF_LIFE_DAYS)
    return np.where(np.isnan(days), UNKNOWN_FRESHNESS, s).astype(np.float32)


def boost_signal(boost: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """Employer boost signal.

    Parameters
    ----------
    boost : array (m,) of float
        The employer control's multiplier (1.0 when none), in [0.1, 3].

    Returns
    -------
    NDArray[float32] (m,)
        ``0.5 + log3(boost) / 2`` clipped to [0, 1]: 1 → 0.5, 3 → 1.
    """
    b = np.maximum(np.asarray(boost, dtype=np.float64), 1e-6)
    signal: npt.NDArray[np.float32] = np.clip(0.5 + np.log(b) / np.log(3.0) / 2, 0.0, 1.0).astype(
        np.float32
    )
    return signal


def kind_signal(
    traits: npt.NDArray[np.bool_],
    kinds: npt.NDArray[np.int8],
    minutes: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """Fit of each post's kind to each person.

    Parameters
    ----------
    traits : bool (n, len(TRAITS))
        Which traits each person has (column 0, "anyone", is always True).
    kinds : int8 (m,)
        Index of each post's kind in ``POST_KINDS``.
    minutes : float32 (n, m)
        Commute minutes from each person to each post (0 for home-based work).

    Returns
    -------
    NDArray[float32] (n, m)
        In [0, 1]: the best fit over the person's traits, near-home or far table.
    """
    near_rows = np.where(traits[:, :, None], KIND_FIT_NEAR[None, :, :], 0.0).max(axis=1)
    far_rows = np.where(traits[:, :, None], KIND_FIT_FAR[None, :, :], 0.0).max(axis=1)
    fit: npt.NDArray[np.float32] = np.where(
        minutes <= NEAR_HOME_MINUTES, near_rows[:, kinds], far_rows[:, kinds]
    ).astype(np.float32)
    return fit


def kind_tables(
    traits: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Per-person rows (n, 6) of the near-home and far kind fit."""
    near = np.where(traits[:, :, None], KIND_FIT_NEAR[None, :, :], 0.0).max(axis=1)
    far = np.where(traits[:, :, None], KIND_FIT_FAR[None, :, :], 0.0).max(axis=1)
    return near.astype(np.float32), far.astype(np.float32)


__all__ = [
    "COMMUTE_HALF_MINUTES",
    "KIND_FIT_FAR",
    "KIND_FIT_NEAR",
    "LODGING_FLOOR",
    "NEAR_HOME_MINUTES",
    "TEXT_COEFFICIENTS",
    "TRAITS",
    "boost_signal",
    "commute_signal",
    "freshness_signal",
    "kind_signal",
    "kind_tables",
    "occupation_keys",
    "pay_signal",
]
