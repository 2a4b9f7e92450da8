"""What the matcher reads of a person: a :class:`Seeker`, and arrays over many of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from features.laborer import Laborer, education_level
from features.skills import certificates_in, profile_text
from matcher.index import PostIndex
from matcher.signals import TRAITS
from matcher.weights import Weights

# A person who states no 可接受通勤 is taken to accept an hour each way (a common rule of
# thumb of public employment services for rural job seekers).
DEFAULT_MAX_COMMUTE_MIN = 60
MOBILE_COMMUTE_MIN = 90  # who accepts this much travel is open to transfer employment
OLDER_MEN = 45
OLDER_WOMEN = 40
CARER_WORDS: tuple[str, ...] = ("照料", "照顾", "残疾", "病人", "老人", "子女")


@dataclass(frozen=True, slots=True)
class Seeker:
    """A person as the matcher sees them on a day."""

    laborer_id: str
    age: int
    district: str
    origin: int  # row of Places (Places.unknown when the place is not known)
    township_row: int  # row of PostIndex.reach
    tolerance: float  # minutes
    accepts_lodging: bool
    difficulty: bool
    certificates: frozenset[str]
    skills: frozenset[str]  # lexicon skills from 技能特长
    desired: frozenset[str]  # lexicon skills from 期望工种
    skills_text: str
    desired_text: str
    traits: tuple[bool, ...]  # over signals.TRAITS


def held_certificates(laborer: Laborer) -> frozenset[str]:
    """The canonical certificates a person holds."""
    found: set[str] = set()
    for text in laborer.certificates:
        names = certificates_in(text)
        found |= names if names else {text.strip()}
    return frozenset(c for c in found if c)


def seeker_of(laborer: Laborer, index: PostIndex, *, today: dt.date) -> Seeker:
    """The matcher's view of ``laborer`` on ``today``."""
    age = laborer.age_on(today)
    skills_text = " ".join(laborer.skills)
    desired_text = " ".join(laborer.desired_jobs)
    skills = frozenset(profile_text(skills_text).skills) if skills_text else frozenset()
    desired = frozenset(profile_text(desired_text).skills) if desired_text else frozenset()
    tolerance = float(laborer.max_commute_min or DEFAULT_MAX_COMMUTE_MIN)
    older = age >= (OLDER_MEN if laborer.sex == "男" else OLDER_WOMEN)
    low_skilled = education_level(laborer.education) <= 1 or not skills
    carer = laborer.health == "残疾" or any(
        w in item for item in laborer.family for w in CARER_WORDS
    )
    traits = (
        True,
        older and low_skilled,
        carer,
        laborer.accepts_lodging or tolerance >= MOBILE_COMMUTE_MIN,
        laborer.difficulty,
    )
    assert len(traits) == len(TRAITS)
    places = index.places
    return Seeker(
        laborer_id=laborer.laborer_id,
        age=age,
        district=laborer.district,
        origin=places.index_of(laborer.district, laborer.township_code),
        township_row=index.township_row(laborer.township_code),
        tolerance=tolerance,
        accepts_lodging=laborer.accepts_lodging,
        difficulty=laborer.difficulty,
        certificates=held_certificates(laborer),
        skills=skills,
        desired=desired,
        skills_text=skills_text,
        desired_text=desired_text,
        traits=traits,
    )


@dataclass(frozen=True, slots=True)
class SeekerArrays:
    """Column arrays over n seekers, what the vectorised rules and scores read."""

    age: npt.NDArray[np.int16]
    origin: npt.NDArray[np.int32]
    township_row: npt.NDArray[np.int32]
    tolerance: npt.NDArray[np.float32]
    accepts_lodging: npt.NDArray[np.bool_]
    difficulty: npt.NDArray[np.bool_]
    lacks: npt.NDArray[np.float32]  # (n, C): 1 where the index's certificate is not held
    traits: npt.NDArray[np.bool_]  # (n, len(TRAITS))

    def __len__(self) -> int:
        return len(self.age)


def seeker_arrays(seekers: Sequence[Seeker], index: PostIndex) -> SeekerArrays:
    """Stack seekers into column arrays for ``index``."""
    lacks = np.ones((len(seekers), len(index.certificates)), np.float32)
    for i, s in enumerate(seekers):
        for j, c in enumerate(index.certificates):
            if c in s.certificates:
                lacks[i, j] = 0.0
    return SeekerArrays(
        age=np.array([s.age for s in seekers], np.int16),
        origin=np.array([s.origin for s in seekers], np.int32),
        township_row=np.array([s.township_row for s in seekers], np.int32),
        tolerance=np.array([s.tolerance for s in seekers], np.float32),
        accepts_lodging=np.array([s.accepts_lodging for s in seekers], bool),
        difficulty=np.array([s.difficulty for s in seekers], bool),
        lacks=lacks,
        traits=np.array([s.traits for s in seekers], bool).reshape(len(seekers), len(TRAITS)),
    )


def _csr(
    rows: Sequence[tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]], width: int
) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, np.int64)
    indptr[1:] = np.cumsum([len(c) for c, _ in rows])
    cols = np.concatenate([c for c, _ in rows]) if rows else np.zeros(0, np.int32)
    vals = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, np.float32)
    matrix = sp.csr_matrix((vals, cols, indptr), shape=(len(rows), width), dtype=np.float32)
    matrix.has_sorted_indices = True
    return matrix


def text_features(texts: Sequence[str], index: PostIndex) -> sp.csr_matrix:
    """Person side of the text signal (n × F): binary lexicon and occupation parts, TF-IDF."""
    space = index.text
    return _csr([space.row(t) for t in texts], space.size)


def text_row(
    seeker: Seeker, index: PostIndex, weights: Weights
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """The weighted text row of one person: skills × w.skill + desired jobs × w.desired."""
    w = weights.normalized()
    key = f"\x00{w.skill}\x1f{w.desired}\x1f{seeker.skills_text}\x1f{seeker.desired_text}"
    memo = index.text._memo
    found = memo.get(key)
    if found is not None:
        return found
    s_cols, s_vals = index.text.row(seeker.skills_text)
    d_cols, d_vals = index.text.row(seeker.desired_text)
    cols = np.concatenate([s_cols, d_cols])
    vals = np.concatenate([s_vals * np.float32(w.skill), d_vals * np.float32(w.desired)])
    unique, inverse = np.unique(cols, return_inverse=True)
    sums = np.zeros(len(unique), np.float32)
    np.add.at(sums, inverse, vals)
    result = (unique.astype(np.int32), sums)
    if len(memo) < 400_000:
        memo[key] = result
    return result


def text_matrix(seekers: Sequence[Seeker], index: PostIndex, weights: Weights) -> sp.csr_matrix:
    """The weighted person side of the text part of the score (n × F), weights normalised."""
    return _csr([text_row(s, index, weights) for s in seekers], index.text.size)


__all__ = [
    "DEFAULT_MAX_COMMUTE_MIN",
    "Seeker",
    "SeekerArrays",
    "held_certificates",
    "seeker_arrays",
    "seeker_of",
    "text_features",
    "text_matrix",
    "text_row",
]
