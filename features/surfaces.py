"""Looking canonical names up in words: longest surface forms, and near spellings.

``scan`` finds, left to right, the longest run of up to four words that is a surface form of
the lexicon (``kind="lexicon"``) or a name or alias of the classification
(``kind="occupations"``). ``near_spelling`` takes a run of characters jieba did not know
(电悍工) to the canonical name whose surface sounds the same (toneless pinyin) or, failing
that, is nearest by Levenshtein similarity, and to nothing when two names tie.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

import numpy as np
from pypinyin import lazy_pinyin
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from features.lexicon import Lexicon, load_lexicon
from features.occupations import Occupations, load_occupations

_MAX_SPAN = 4  # words joined when looking a surface form up
_FUZZY_CUTOFF = 0.66  # Levenshtein similarity: one wrong character in three
_FUZZY_MIN, _FUZZY_MAX = 3, 6  # lengths of the windows compared

Table = Literal["lexicon", "occupations"]  # lexicon surface forms, or classification names


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The lexicon, the classification, and the tables the scans and near spellings use."""

    lexicon: Lexicon
    occupations: Occupations
    sounds: dict[str, frozenset[str]]
    fuzzy_choices: tuple[str, ...]  # surface forms of three to six Chinese characters
    fuzzy_owners: tuple[str, ...]  # their canonical names


@cache
def vocabulary() -> Vocabulary:
    """The shared vocabulary (built once)."""
    lexicon = load_lexicon()
    pairs = sorted(
        (surface, name)
        for surface, name in lexicon.surfaces.items()
        if _FUZZY_MIN <= len(surface) <= _FUZZY_MAX and not surface.isascii()
    )
    sounds: dict[str, set[str]] = {}
    for surface, name in pairs:
        sounds.setdefault(_sound(surface), set()).add(name)
    return Vocabulary(
        lexicon=lexicon,
        occupations=load_occupations(),
        sounds={k: frozenset(v) for k, v in sounds.items()},
        fuzzy_choices=tuple(c for c, _ in pairs),
        fuzzy_owners=tuple(n for _, n in pairs),
    )


@lru_cache(maxsize=8192)
def _char_sound(char: str) -> str:
    return str(lazy_pinyin(char)[0])


def _sound(text: str) -> str:
    """Toneless pinyin: homophone typos (悍 for 焊) sound the same."""
    return " ".join(_char_sound(ch) for ch in text)


@cache
def _prefixes(kind: Table) -> frozenset[str]:
    """Every prefix of every surface form of a table, to stop extending a span early."""
    table = _table(kind)
    return frozenset(surface[:i] for surface in table for i in range(1, len(surface) + 1))


def _table(kind: Table) -> Mapping[str, str]:
    vocab = vocabulary()
    return vocab.lexicon.surfaces if kind == "lexicon" else vocab.occupations.surfaces


def scan(words: list[str], kind: Table) -> list[tuple[int, str]]:
    """Longest surface forms of up to _MAX_SPAN words, left to right: (word index, value)."""
    table = _table(kind)
    prefixes = _prefixes(kind)
    hits: list[tuple[int, str]] = []
    i, n = 0, len(words)
    while i < n:
        found: str | None = None
        last = i
        joined = ""
        for j in range(i, min(i + _MAX_SPAN, n)):
            joined += words[j]
            if joined not in prefixes:
                break
            value = table.get(joined)
            if value is not None:
                found, last = value, j
        if found is None:
            i += 1
        else:
            hits.append((i, found))
            i = last + 1
    return hits


def unknown_runs(words: list[str]) -> list[str]:
    """Runs of three or more single Chinese characters: what jieba could not make words of."""
    runs: list[str] = []
    current: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and not word.isascii():
            current.append(word)
            continue
        if len(current) >= _FUZZY_MIN:
            runs.append("".join(current))
        current = []
    return runs


def near_spelling(run: str, vocabulary: Vocabulary) -> str | None:
    """The canonical name a typo'd run stands for, when one surface is clearly nearest."""
    windows = [
        run[start : start + size]
        for size in range(_FUZZY_MIN, min(len(run), _FUZZY_MAX) + 1)
        for start in range(len(run) - size + 1)
    ]
    homophones = {owner for w in windows for owner in vocabulary.sounds.get(_sound(w), ())}
    if len(homophones) == 1:
        return homophones.pop()
    # One C call for every window against every surface; below the cutoff a score is 0.
    scores = process.cdist(
        windows,
        vocabulary.fuzzy_choices,
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=_FUZZY_CUTOFF,
        dtype=np.float32,
    )
    top = float(scores.max())
    if top <= 0:
        return None
    owners = {vocabulary.fuzzy_owners[j] for j in np.nonzero(scores >= top - 1e-6)[1]}
    return owners.pop() if len(owners) == 1 else None
