"""Free text → canonical skills, certificates and occupations.

A post title ("物业保洁员包吃住") or what a person says they can do ("会开车，电气焊都干过") is
cleaned of pay and perk noise (包吃住, 300预支, 月入过万, 双休, 五险一金 …), cut into words by
jieba with the lexicon's domain dictionary, and the longest runs of up to four words that are a
lexicon surface form give the canonical skills (longest match first, left to right).

Canonical outcomes worth knowing (documented in docs/words.md):
- plain driving words (开车, 司机, 驾驶员, 驾照) mean 驾驶C1 / 驾驶证C1; 货车司机 means 驾驶B2,
  半挂车司机 驾驶A2, 大巴司机 驾驶A1; a B2 licence includes C1 and A2 includes B2.
- a certificate names the skill it attests (焊工证 → 电焊) and the certificates it includes
  (焊工证 → 特种作业操作证); ``certificates_in`` returns both.
- when no surface form matches exactly, runs of three or more characters that jieba does not
  know (typos such as 电悍工, 钢筯工) are compared with the surface forms: a surface that sounds
  the same (same toneless pinyin: 电悍工 = 电焊工) wins; otherwise the nearest by Levenshtein
  similarity (one wrong character in three or more); a tie between two skills gives nothing.
- when the lexicon finds nothing, names and aliases of the classification give occupations
  (no skills): "呼叫中心服务员" → 4-04-05-03.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Self

import numpy as np
from scipy import sparse

from features.lexicon import PUNCTUATION, load_lexicon
from features.lexicon import small_class as _small_class
from features.surfaces import near_spelling, scan, unknown_runs, vocabulary
from features.tokens import cut

__all__ = [
    "SkillMatch",
    "SkillProfile",
    "TextVectorizer",
    "certificates_in",
    "clean_text",
    "match_skills",
    "profile_text",
    "small_class",
    "training_for",
]

# Pay, perks and hiring boilerplate that say nothing about the work itself.
_NOISE = re.compile(
    r"包吃包住|包吃住|包食宿|管吃住|提供食宿|包三餐|免费住宿|包吃|包住|管吃|管住|食宿"
    r"|\d*元?可?预支|日结|周结|月结|当天结|"
    r"月入过?万|月入\d+|月薪\d*|底薪\d*|年薪\d*|薪资\d*|工资\d*|\d+[-~至到]\d+|\d+[K千万元]以?上?"
    r"|[五六]险一金|[五六]险|社保|双休|单休|周末双休|长白班|白班|夜班|做六休一|"
    r"急招|急聘|高薪|诚聘|直招|招聘|招募|^招(?!商)|招\d+[名个人位]?|要求|岗位|"
    r"包路费|报销路费|有补贴|加班费|提成|奖金|年底双薪|节日福利|可兼职|兼职|全职|长期|"
    r"无经验|经验不限|学历不限|男女不限|不限|可零基础|零基础|"
    r"(?<![A-Z])\d+(?:\.\d+)?"
)
# Brackets do not separate: "特种作业操作证（低压电工）" is one certificate.
_SEPARATORS = re.compile(r"[\s/、,，.。·:：;；!！?？\-—_|+&~～*#<>《》\"'“”‘’]+")
_NEGATIONS = frozenset({"无需", "不需", "不需要", "不要求", "不用", "免", "无须"})


@dataclass(frozen=True, slots=True)
class SkillProfile:
    """Canonical skills, occupation codes and the words of a text."""

    skills: frozenset[str]
    occupations: frozenset[str]
    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """How a person's skills meet a post's: score in [0, 1], shared and related skills."""

    score: float
    shared: tuple[str, ...]
    related: tuple[str, ...]


def small_class(code: str) -> str:
    """The 小类 of a classification code: "6-25-01-02" → "6-25-01"."""
    return _small_class(code)


def clean_text(text: str) -> str:
    """NFKC, ASCII upper case, pay and perk noise replaced by spaces (separators kept)."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return _NOISE.sub(" ", folded)


def _segments(cleaned: str) -> list[list[str]]:
    """The words of a cleaned text, split where punctuation or spaces were (one jieba call)."""
    segments: list[list[str]] = []
    current: list[str] = []
    # The text is already folded (NFKC, upper case): cut it directly.
    for word in cut(_SEPARATORS.sub(" ", cleaned)):
        if word.isspace():
            if current:
                segments.append(current)
                current = []
        elif len(word) > 1 or word not in PUNCTUATION:  # brackets are dropped, not split at
            current.append(word)
    if current:
        segments.append(current)
    return segments


@dataclass(frozen=True, slots=True)
class _Analysis:
    profile: SkillProfile
    certificates: frozenset[str]


@lru_cache(maxsize=262_144)
def _analyse(text: str) -> _Analysis:
    vocab = vocabulary()
    lexicon = vocab.lexicon
    names: set[str] = set()
    tokens: list[str] = []
    segments: list[list[str]] = []
    for words in _segments(clean_text(text)):
        segments.append(words)
        tokens.extend(words)
        hits = scan(words, "lexicon")
        for index, name in hits:
            if lexicon.entries[name].certificate and any(
                w in _NEGATIONS for w in words[max(0, index - 2) : index]
            ):
                continue
            names.add(name)
    if not names:
        for words in segments:
            for run in unknown_runs(words):
                near = near_spelling(run, vocab)
                if near is not None:
                    names.add(near)
    skills: set[str] = set()
    certificates: set[str] = set()
    for name in names:
        entry = lexicon.entries[name]
        if entry.certificate:
            certificates.add(name)
            if entry.skill is not None:
                skills.add(entry.skill)
        else:
            skills.add(name)
    occupations = {lexicon.entries[s].code for s in skills}
    if not names:
        for words in segments:
            occupations.update(code for _, code in scan(words, "occupations"))
    profile = SkillProfile(
        skills=frozenset(skills), occupations=frozenset(occupations), tokens=tuple(tokens)
    )
    return _Analysis(profile=profile, certificates=lexicon.implied_certificates(certificates))


def profile_text(text: str) -> SkillProfile:
    """The canonical skills, occupation codes and words of a free text (cached)."""
    return _analyse(text).profile


def certificates_in(text: str) -> frozenset[str]:
    """Canonical certificates a text names, with the ones they include (焊工证 → 特种作业操作证)."""
    return _analyse(text).certificates


def training_for(skill_or_certificate: str) -> str:
    """A Chinese suggestion of the training that gives a skill or certificate."""
    lexicon = load_lexicon()
    name = lexicon.canonical(skill_or_certificate) or skill_or_certificate
    entry = lexicon.entries.get(name)
    if entry is not None:
        if entry.training:
            return entry.training
        for cert in lexicon.certificates():
            if cert.skill == name and cert.training:
                return cert.training
        return f"参加{name}职业技能培训（区职业技能培训机构，补贴性培训）"
    return f"参加{name}相关职业技能培训（区职业技能培训机构，补贴性培训）"


def match_skills(person: SkillProfile, post: SkillProfile) -> SkillMatch:
    """How well a person's skills meet a post's: 1 for a shared skill or occupation,
    0.5 when only related (same 小类), 0 otherwise or when the post names none.

    Returns
    -------
    SkillMatch
        ``score`` a float in [0, 1]; ``shared`` the post's skills the person has; ``related``
        the person's skills in the same 小类 as one of the post's.
    """
    shared = tuple(sorted(person.skills & post.skills))
    if shared or person.occupations & post.occupations:
        return SkillMatch(1.0, shared, ())
    post_classes = {small_class(c) for c in post.occupations}
    lexicon = load_lexicon()
    related = tuple(
        sorted(s for s in person.skills if small_class(lexicon.entries[s].code) in post_classes)
    )
    if related or any(small_class(c) in post_classes for c in person.occupations):
        return SkillMatch(0.5, (), related)
    return SkillMatch(0.0, (), ())


def _analyzer(text: str) -> list[str]:
    profile = profile_text(text)
    return [*profile.tokens, *(f"#{skill}" for skill in sorted(profile.skills))]


class TextVectorizer:
    """TF-IDF over jieba words plus one feature per canonical skill ("#电焊").

    ``fit(texts)`` learns the vocabulary and weights; ``transform(texts)`` gives a CSR matrix of
    shape (len(texts), vocabulary size), float32, rows L2-normalised (all-zero for a text with no
    known word), so that a product of two transforms is the cosine similarity.
    """

    def __init__(self, *, min_df: int = 1, sublinear_tf: bool = True) -> None:
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf

    def fit(self, texts: Iterable[str]) -> Self:
        """Learn the vocabulary and inverse document frequencies."""
        # Imported here: scikit-learn takes about two seconds to import, and most commands
        # (imports, uploads, status) never fit a vectorizer.
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer_ = TfidfVectorizer(
            analyzer=_analyzer,
            min_df=self.min_df,
            sublinear_tf=self.sublinear_tf,
            norm="l2",
            dtype=np.float32,
        )
        self.vectorizer_.fit(list(texts))
        return self

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """The TF-IDF rows of texts, L2-normalised."""
        if not hasattr(self, "vectorizer_"):
            raise ValueError("TextVectorizer must be fitted before transform")
        matrix = self.vectorizer_.transform(list(texts))
        return sparse.csr_matrix(matrix, dtype=np.float32)

    @property
    def vocabulary_size(self) -> int:
        """How many features the fitted vectorizer has."""
        return len(self.vectorizer_.vocabulary_)
