"""Raw post title → occupation of the 2022 classification ("物业保洁员" → 4-09-08-01 保洁员).

The model is a weighted nearest-neighbour vote over TF-IDF vectors. Its reference documents are
the classification's names and aliases, the lexicon's surface forms (each with its code) and
the titles it is trained on (``csco22_job_title_to_code.csv``). A title is cleaned of pay and
perk noise, turned into two TF-IDF vectors (character 1–3-grams, and jieba words plus canonical
skills, weighted 0.7 / 0.3), and its ten most similar reference documents vote with their
similarity (reference documents count 0.7 of a title). The 小类 with most votes wins and, inside
it, the code with most votes. A broad code (…-00) is returned when the votes say no more.

``title_accuracy`` measures it by k-fold cross-validation: each title is scored by a model
trained on the other folds only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from scipy import sparse

from features.lexicon import code_depth, load_lexicon
from features.occupations import display_name, load_occupations
from features.skills import clean_text, profile_text

__all__ = [
    "TitleMatch",
    "TitleModel",
    "TitleRow",
    "agrees_at",
    "load_title_rows",
    "normalize_title",
    "title_accuracy",
]

_LEVELS = {"major": 1, "small": 3, "fine": 4}


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """The occupation of a title: code, display name, level (1 大类 … 4 细类), score in [0, 1]."""

    code: str
    name: str
    level: int
    score: float


@dataclass(frozen=True, slots=True)
class TitleRow:
    """A raw title and its expected code ("" when unknown)."""

    title: str
    code: str


def load_title_rows() -> list[TitleRow]:
    """The packaged titles file (``csco22_job_title_to_code.csv``), every row."""
    path = resources.files("features").joinpath("data/csco22_job_title_to_code.csv")
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return [TitleRow(r["job_name"], r["expected_code"].strip()) for r in reader]


@cache
def _reference() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Documents every model knows: classification names and aliases, lexicon surface forms."""
    docs: list[str] = []
    codes: list[str] = []
    text = resources.files("features").joinpath("data/csco22_occupations.csv")
    for row in csv.DictReader(io.StringIO(text.read_text(encoding="utf-8"))):
        for surface in [row["name"], *row["alias"].split(",")]:
            name = display_name(surface)
            if name:
                docs.append(name)
                codes.append(row["code"])
    for entry in load_lexicon().skills():
        for surface in (entry.name, *entry.synonyms):
            docs.append(surface)
            codes.append(entry.code)
    return tuple(docs), tuple(codes)


def _words(text: str) -> list[str]:
    profile = profile_text(text)
    return [*profile.tokens, *(f"#{skill}" for skill in sorted(profile.skills))]


def _small(code: str) -> str:
    return code[:7]


class TitleModel:
    """Nearest-neighbour title classifier (see the module docstring)."""

    def __init__(
        self, *, k: int = 10, char_weight: float = 0.7, reference_weight: float = 0.7
    ) -> None:
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        self.k = k
        self.char_weight = char_weight
        self.reference_weight = reference_weight

    def fit(self, titles: Sequence[str], codes: Sequence[str]) -> Self:
        """Learn from titles with their codes (plus the classification and the lexicon)."""
        if len(titles) != len(codes):
            raise ValueError(f"titles and codes differ in length: {len(titles)} != {len(codes)}")
        from sklearn.feature_extraction.text import TfidfVectorizer  # slow to import: only here

        ref_docs, ref_codes = _reference()
        docs = [clean_text(t) for t in titles] + [clean_text(d) for d in ref_docs]
        self.codes_ = np.array([*codes, *ref_codes])
        self.chars_ = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32
        )
        self.words_ = TfidfVectorizer(analyzer=_words, sublinear_tf=True, dtype=np.float32)
        matrix = self._stack(self.chars_.fit_transform(docs), self.words_.fit_transform(docs))
        weights = np.ones(len(docs), dtype=np.float32)
        weights[len(titles) :] = self.reference_weight
        self.matrix_ = sparse.csr_matrix(sparse.diags(weights) @ matrix)
        return self

    def _stack(self, chars: Any, words: Any) -> sparse.csr_matrix:
        a = np.sqrt(self.char_weight)
        b = np.sqrt(1.0 - self.char_weight)
        return sparse.csr_matrix(sparse.hstack([chars * a, words * b]))

    def predict(self, titles: Iterable[str]) -> list[TitleMatch]:
        """The occupation of each title."""
        if not hasattr(self, "matrix_"):
            raise ValueError("TitleModel must be fitted before predict")
        cleaned = [clean_text(t) for t in titles]
        queries = self._stack(self.chars_.transform(cleaned), self.words_.transform(cleaned))
        names = load_occupations()
        matches: list[TitleMatch] = []
        for start in range(0, queries.shape[0], 512):
            block: npt.NDArray[np.float32] = (
                (queries[start : start + 512] @ self.matrix_.T).toarray().astype(np.float32)
            )
            k = min(self.k, block.shape[1])
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
            for row, neighbours in zip(block, top, strict=True):
                matches.append(self._vote(row, neighbours, names.name))
        return matches

    def _vote(self, row: npt.NDArray[np.float32], neighbours: Any, name: Any) -> TitleMatch:
        votes: dict[str, float] = {}
        for index in neighbours:
            similarity = float(row[index])
            if similarity > 0:
                code = str(self.codes_[index])
                votes[code] = votes.get(code, 0.0) + similarity
        if not votes:
            return TitleMatch("", "", 0, 0.0)
        classes: dict[str, float] = {}
        for code, vote in votes.items():
            classes[_small(code)] = classes.get(_small(code), 0.0) + vote
        # Deterministic ties: higher vote first, then the smaller code.
        best_class = min(classes, key=lambda c: (-classes[c], c))
        code = min((c for c in votes if _small(c) == best_class), key=lambda c: (-votes[c], c))
        score = classes[best_class] / sum(votes.values())
        return TitleMatch(code, name(code), code_depth(code), round(score, 4))


@cache
def _default_model() -> TitleModel:
    rows = [r for r in load_title_rows() if r.code]
    return TitleModel().fit([r.title for r in rows], [r.code for r in rows])


def normalize_title(title: str) -> TitleMatch:
    """The occupation of a raw post title, at 细类 or the closest level the model can tell."""
    return _default_model().predict([title])[0]


def agrees_at(predicted: str, expected: str, level: int) -> bool:
    """Right at a level: same segments down to that level, or down to what expected specifies."""
    depth = min(level, code_depth(expected))
    if not predicted or code_depth(predicted) < depth:
        return False
    return predicted.split("-")[:depth] == expected.split("-")[:depth]


def title_accuracy(
    rows: Sequence[TitleRow] | Sequence[tuple[str, str]], *, folds: int = 5, seed: int = 0
) -> dict[str, Any]:
    """Cross-validated accuracy of title normalisation at 细类, 小类 and 大类.

    Parameters
    ----------
    rows
        Titles with their expected codes; rows with an empty code are skipped.
    folds
        Number of folds (>= 2); each title is scored by a model trained on the other folds.
    seed
        Seed of the shuffle that assigns titles to folds.

    Returns
    -------
    dict
        ``folds``, ``scored``, ``skipped`` and, per level (``fine``, ``small``, ``major``):
        ``accuracy`` (float in [0, 1]; a broad expected code such as 6-00-00-00 counts as right
        at finer levels when the prediction agrees on the levels it specifies), ``correct``,
        ``total``, and ``strict_accuracy`` / ``strict_correct`` / ``strict_total`` over the
        titles whose expected code is at least that fine.
    """
    if folds < 2:
        raise ValueError(f"folds must be >= 2, got {folds}")
    pairs = [(r.title, r.code) if isinstance(r, TitleRow) else (r[0], r[1]) for r in rows]
    scored = [(t, c.strip()) for t, c in pairs if c.strip()]
    if len(scored) < folds:
        raise ValueError(f"need at least {folds} rows with codes, got {len(scored)}")
    order = np.random.default_rng(seed).permutation(len(scored))
    predicted: list[str] = [""] * len(scored)
    for fold in range(folds):
        test = order[fold::folds]
        train = np.setdiff1d(order, test)
        model = TitleModel().fit([scored[i][0] for i in train], [scored[i][1] for i in train])
        for i, match in zip(test, model.predict([scored[i][0] for i in test]), strict=True):
            predicted[i] = match.code
    report: dict[str, Any] = {
        "folds": folds,
        "scored": len(scored),
        "skipped": len(pairs) - len(scored),
    }
    for key, level in _LEVELS.items():
        correct = sum(agrees_at(p, c, level) for p, (_, c) in zip(predicted, scored, strict=True))
        strict = [
            (p, c) for p, (_, c) in zip(predicted, scored, strict=True) if code_depth(c) >= level
        ]
        strict_correct = sum(agrees_at(p, c, level) for p, c in strict)
        report[key] = {
            "accuracy": round(correct / len(scored), 4),
            "correct": correct,
            "total": len(scored),
            "strict_accuracy": round(strict_correct / len(strict), 4) if strict else 0.0,
            "strict_correct": strict_correct,
            "strict_total": len(strict),
        }
    return report
