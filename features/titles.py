"""Raw post title → occupation of the 2022 classification ("物业保洁员" → 4-09-08-01 保洁员).

A title is first reduced to the words that name the job (:func:`clean_title`): pay, perks and
hiring boilerplate go (包吃住, 300预支, 月薪8000, 五险一金, 日结, 急招 …), bracketed asides go
(locations, shop names, perks: "电梯销售经理（天津）"), and of "XX公司招聘面点师" only 面点师
stays. What is left becomes a TF-IDF vector of character 1–3-grams (``char_wb``, fitted with numpy
as scikit-learn's ``TfidfVectorizer`` would fit it, several times faster).

These signals then score every 小类 of the classification:

- a linear SVM trained at 小类 on the training titles: its decision value floored at -0.8
  (below that a class is rejected, and by how much says little; a 小类 no training title has
  gets the floor);
- a linear SVM trained at 中类 on the same titles (each 小类 gets the decision value of its
  中类, floored the same way; weight 0.5): a title between two 小类 leans to the 中类 the
  training titles like it belong to;
- a neighbour vote: every reference document (the classification's own names and aliases, the
  lexicon's surface forms counting three times) votes for its 小类 with its cosine similarity
  to the title cubed (``sharpness``: the nearest count most), normalised to shares (weight
  0.5). The training titles do not vote for the 小类 (``title_vote`` 0: the SVMs speak for
  them, and counting them twice cost 0.3 points) but still choose the 细类 below;
- the similarity of the title to the best-matching classification *name* in each 小类
  (weight 1.5);
- training titles that read the same once cleaned: the share of each 小类 among them (weight
  0.5);
- the lexicon as a prior: +0.5 for the 小类 of the lexicon entry when the cleaned title is
  exactly one of its surface forms (叉车司机 is a 起重装卸机械操作工, not a driver);
- the classification's definitions and tasks (for 1,633 细类, joined per 小类): the share of
  the title's n-grams (TF-IDF weight squared, with an idf of their own among the 小类) found in
  them (weight 0.25). "调整钢琴音律" leans to 钢琴调律师 even when no training title says so.
  n-grams found in the definitions of more than 200 小类 (人员, 从事 …) count for no 小类.

Neighbours and names are compared on n-grams found in at most 400 documents (员, 师, 工 … say
little and would make the products dense and slow); the SVMs see every n-gram.

What the two SVMs see of a title (training titles and new ones alike):

- its n-grams, scaled by their length (``gram_weights``: 1-grams ×1.3, 2-grams ×1, 3-grams
  ×0.9; the scale is folded into the fitted weights, so queries are not rescaled): single
  characters (焊, 厨, 销) then weigh more against the regularisation than the rarer 3-grams
  (on its own, 5 folds, seeds 0 / 1 / 2: 2045 / 2059 / 2051 titles right at 小类 against
  2040 / 2058 / 2042);
- what the classification says of it, as further features (``signal_scale`` 0.4): its
  reference documents' vote, best-name similarity and definition share for every 小类 (three
  blocks of one column per 小类), keeping per title and block only the values of at least
  ``signal_keep`` (0.2) of the block's largest. The SVMs thus learn which of these signals to
  trust for which 小类, and what a likeness to one 小类 says of another. No training label
  enters them: the training titles do not vote here (even with ``title_vote``), the names and
  definitions are the classification's. They are also summed into the score as above.

The 小类 with the highest sum wins (when that is a broad unit such as 6-00-00-00, its best
小类 inside it is taken instead, since a broad code is never right at a finer level). Inside the
winning 小类, the 细类 whose documents (training titles included) have most (cubed) similarity
is the answer; when no document of a 细类 of that 小类 resembles the title, the model backs off
to the 小类 itself (level 3). ``score`` is the softmax share (temperature 4) of the winning
小类: not a probability, but monotone with accuracy (5-fold on the titles file: right at 小类
for 33% of titles scored under 0.1, 65% at 0.4–0.6, 93% at 0.95 or more; 84% of the 65% scored
0.5 or more).

Measured (``renggang eval titles``, 5 folds): 细类 66.5%, 小类 70.1%, 大类 82.5% (``--seed 1``:
66.6%, 70.5%, 82.7%; ``--seed 2``: 66.6%, 70.3%, 82.8%): the aim of 70% at 小类 is reached,
narrowly (2062 of 2943 on seed 0; 70% is 2061). The file's labels are noisy: titles that read
the same once cleaned disagree on their 小类 in about one pair in ten, and some labels follow a
surface likeness to a 细类 name (视光师 → 灯光师, 洗鞋工 → 修鞋工).

``title_accuracy`` measures it by k-fold cross-validation: each title is scored by a model
fitted (vocabulary included) on the other folds and the classification only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from scipy import sparse

from features.lexicon import code_depth, load_lexicon, normalize_surface
from features.occupations import display_name, load_occupations

__all__ = [
    "TitleMatch",
    "TitleModel",
    "TitleRow",
    "agrees_at",
    "clean_title",
    "load_title_rows",
    "model_fingerprint",
    "normalize_title",
    "normalize_titles",
    "title_accuracy",
]

_LEVELS = {"major": 1, "small": 3, "fine": 4}

# 招聘 followed by one of these is the job of hiring (招聘专员), not a hiring word.
_RECRUITER = "专员|经理|主管|助理|顾问|文员|总监|负责人|HR|BP"
# Pay, perks and hiring boilerplate that say nothing about the work itself.
_NOISE = re.compile(
    r"包吃包住|包吃住|包食宿|管吃住|提供食宿|提供住宿|包三餐|免费住宿|包吃|包住|管吃|管住|食宿"
    r"|\d*元?可?预支|日结|周结|月结|当天结|发薪早"
    r"|月入过?万|月入\d+|月薪\d*|底薪\d*|年薪\d*|薪资\d*|工资\d*|保底\d*"
    r"|\d+(?:\.\d+)?[-~至到]\d+(?:\.\d+)?[KW千万元]?|\d+(?:\.\d+)?[KW千万元]以?上?"
    r"|[五六]险[一二]金|[五六]险|社保|周末双休|双休|单休|长白班|白班|夜班|做六休一|上几休几"
    rf"|急招|急聘|高薪|诚聘|直招|招聘(?!{_RECRUITER})|招募|热招|名企|高提成"
    r"|包路费|报销路费|有补贴|加班费|提成|奖金|年底双薪|节日福利|可兼职|兼职|全职|长期|带薪"
    r"|无经验|经验不限|学历不限|男女不限|不限|可零基础|零基础"
    r"|不加班|[朝早][八九]晚[五六]|就近(?:分配|安排)|年终奖|餐补|公积金|年假|法定休息|下午茶"
    r"|诚招|招工|急需|急缺|直聘|月休\d*[一二三四五六七八九十]?天?|做[五六一二]休[一二]"
    r"|无责任?(?:底薪)?|待遇(?:好|优厚|丰厚)|工作轻松|轻松易上手|轻松|氛围好"
    r"|法定节假日|节假日|寒暑假|无需外出|不外出|不销售|无销售|点半|晋升空间大|快速晋升"
    r"|提供公寓|宿舍|应届生优先|应届生可|接受小白|小白可|可短期|精准客户资源|提供资源|客户资源"
    r"|(?<![A-Z])\d+(?:\.\d+)?[名个人位]?"
)
# Invisible format characters (zero-width spaces, direction marks) that job boards leave in.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_HIRING = re.compile(f"招聘(?!{_RECRUITER})")
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|<[^<>]*>")
_SEPARATORS = re.compile(r"[\s/、,，.。·:：;；!！?？\-—_|+&~～*#《》\"'“”‘’…]+")


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """The occupation of a title: code, display name, level (1 大类 … 4 细类), score in [0, 1]."""

    code: str
    name: str
    level: int
    score: float


_NO_MATCH = TitleMatch("", "", 0, 0.0)


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


# Units left alone once the numbers of pay and hours are gone ("6-8K/月" → "K 月").
_UNITS = frozenset(("K", "W", "月", "天", "日", "时", "小时", "万", "千", "元", "岁", "起"))


def _strip(text: str) -> str:
    words = _SEPARATORS.sub(" ", _NOISE.sub(" ", text)).split()
    return " ".join(w for w in words if w not in _UNITS)


@lru_cache(maxsize=65_536)
def clean_title(title: str) -> str:
    """The words of a title that name the job: "江苏某餐饮招聘厨师（包吃住）" → "厨师".

    NFKC and ASCII upper case; bracketed asides, the employer before 招聘, pay, perks and
    hiring boilerplate removed; runs of separators become one space. When nothing is left
    outside the brackets, what was inside them is used.
    """
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", title)).upper()
    text = text.replace("【", "[").replace("】", "]")
    asides = [m[1:-1] for m in _BRACKETS.findall(text)]
    main = _BRACKETS.sub(" ", text)
    hiring = list(_HIRING.finditer(main))
    if hiring:
        before, after = main[: hiring[-1].start()], main[hiring[-1].end() :]
        if _strip(after):
            asides.append(before)
            main = after
    cleaned = _strip(main)
    if not cleaned:
        cleaned = " ".join(s for s in (_strip(a) for a in asides) if s)
    return cleaned


def _ngrams(text: str) -> list[str]:
    """Character 1–3-grams inside each space-separated word, padded with a space at each end.

    scikit-learn's ``char_wb`` analyzer, without the lone-space unigram that every text has
    (it would make a title of unknown characters resemble everything a little).
    """
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        grams.extend(padded[1:-1])
        for size in (2, 3):
            grams.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams


def _gram_key(gram: str) -> int:
    """An n-gram of up to three characters as one integer (21 bits per code point)."""
    key = 0
    for char in gram:
        key = (key << 21) | ord(char)
    return key


def _gram_keys(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """The keys (:func:`_gram_key`) of every n-gram :func:`_ngrams` gives, and their text.

    The texts are joined into one array of code points, words padded as ``_ngrams`` pads them
    and texts separated by NUL; n-grams that hold a NUL or two adjacent spaces are dropped.
    """
    pieces = [" " + "  ".join(t.replace("\0", " ").split()) + " \0" for t in texts]
    points = np.frombuffer("".join(pieces).encode("utf-32-le"), dtype=np.uint32)
    points = points.astype(np.uint64)
    rows = np.repeat(np.arange(len(texts), dtype=np.int64), [len(p) for p in pieces])
    space = points == 32
    nul = points == 0
    keep1 = ~space & ~nul
    a, b = points[:-1], points[1:]
    keep2 = ~nul[:-1] & ~nul[1:] & ~(space[:-1] & space[1:])
    keep3 = keep2[:-1] & ~nul[2:] & ~(space[1:-1] & space[2:])
    shift = np.uint64(21)
    keys = np.concatenate(
        [
            points[keep1],
            ((a << shift) | b)[keep2],
            ((a[:-1] << (shift + shift)) | (b[:-1] << shift) | points[2:])[keep3],
        ]
    )
    where = np.concatenate([rows[keep1], rows[:-1][keep2], rows[:-2][keep3]])
    return keys, where


@cache
def _reference() -> tuple[tuple[str, ...], tuple[str, ...], int, int]:
    """Documents every model knows: how many of them (the first) are classification names, and
    where the lexicon's surface forms (the last) begin.

    The classification's names (one per unit, first), then its aliases, then the lexicon's
    surface forms, each with its code.
    """
    text = resources.files("features").joinpath("data/csco22_occupations.csv")
    table = list(csv.DictReader(io.StringIO(text.read_text(encoding="utf-8"))))
    docs: list[str] = []
    codes: list[str] = []
    for row in table:
        name = display_name(row["name"])
        if name:
            docs.append(name)
            codes.append(row["code"])
    names = len(docs)
    for row in table:
        for alias in row["alias"].split(","):
            surface = display_name(alias)
            if surface:
                docs.append(surface)
                codes.append(row["code"])
    lexicon = len(docs)
    for entry in load_lexicon().skills():
        for surface in (entry.name, *entry.synonyms):
            docs.append(surface)
            codes.append(entry.code)
    return tuple(docs), tuple(codes), names, lexicon


_TASK_NUMBERS = re.compile(r"\d+[.、．]")
# The only characters of the definitions that NFKC would change besides punctuation that
# _SEPARATORS removes anyway: brackets, which separate words too (cheaper than NFKC).
_DEFINITION_MARKS = str.maketrans("（）()", "    ")
# A definition n-gram found in more of the 小类 than this (人员, 从事, 的 …) is left out of the
# coverage: it says little and would make the product dense.
_DEFINITION_MAX_DF = 200


@cache
def _definitions() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The definitions and tasks of the classification's 细类, joined per 小类, and its code.

    "从事电子仪器、电子测量仪器……的工程技术人员。 1.研发、设计……" becomes words separated
    by spaces (NFKC, upper case, the tasks' numbers and the punctuation gone).
    """
    text = resources.files("features").joinpath("data/csco22_occupations.csv")
    joined: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(text.read_text(encoding="utf-8"))):
        body = f"{row['definition']} {_TASK_NUMBERS.sub(' ', row['tasks'])}"
        body = _SEPARATORS.sub(" ", body.translate(_DEFINITION_MARKS).upper()).strip()
        if body:
            joined.setdefault(_small(row["code"]), []).append(body)
    codes = tuple(sorted(joined))
    return tuple(" ".join(joined[c]) for c in codes), codes


@cache
def _definition_index() -> tuple[
    npt.NDArray[np.uint64], npt.NDArray[np.float32], sparse.csr_matrix, tuple[str, ...]
]:
    """The n-grams of the definitions: their sorted keys, their idf among the 小类, which 小类
    hold each (n-grams × 小类, 1 where present; the commonest left out), and the 小类's codes.

    Made from the classification alone (no title enters it), so once per process.
    """
    docs, codes = _definitions()
    keys, rows = _gram_keys(docs)
    # Distinct keys and each key's column by one sort (np.unique's hashing is slower here).
    order = np.argsort(keys)
    ordered = keys[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    vocab = ordered[first]
    columns = np.empty(len(keys), dtype=np.int64)
    columns[order] = np.cumsum(first) - 1
    present = sparse.csr_matrix(
        (np.ones(len(keys), dtype=np.float32), (columns, rows)), shape=(len(vocab), len(docs))
    )
    present.sum_duplicates()
    df = np.diff(present.indptr)
    idf = (np.log((1.0 + len(docs)) / (1.0 + df)) + 1.0).astype(np.float32)
    present.data[:] = 1.0
    present = sparse.csr_matrix(
        sparse.diags((df <= _DEFINITION_MAX_DF).astype(np.float32)) @ present
    )
    present.eliminate_zeros()
    return vocab, idf, present, codes


def _vectorize(
    grams: tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]],
    n: int,
    keys_sorted: npt.NDArray[np.uint64],
    idf: npt.NDArray[np.float32],
) -> sparse.csr_matrix:
    """TF-IDF rows (sublinear tf, L2-normalised) of n texts, from their n-grams (the keys and
    texts :func:`_gram_keys` gives), over a vocabulary of sorted keys with their idf."""
    width = len(idf)
    keys, rows = grams
    slots = np.minimum(np.searchsorted(keys_sorted, keys), width - 1)
    hit = keys_sorted[slots] == keys
    cells, counts = np.unique(rows[hit] * width + slots[hit], return_counts=True)
    return _tfidf_rows(cells, counts, idf, n)


def _tfidf_rows(
    cells: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64],
    idf: npt.NDArray[np.float32],
    n: int,
) -> sparse.csr_matrix:
    """Rows of sublinear TF-IDF, L2-normalised, from sorted cells (row × width + column)."""
    width = len(idf)
    row_of = cells // width
    columns = (cells % width).astype(np.int32)
    data = (1.0 + np.log(counts.astype(np.float32))) * idf[columns]
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n))
    data /= norms[row_of].astype(np.float32)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of, minlength=n), out=offsets[1:])
    return sparse.csr_matrix((data, columns, offsets), shape=(n, width))


@cache
def _small(code: str) -> str:
    """The 小类 of a code ("4-09-08-01" → "4-09-08-00"), or the code itself when broader."""
    if code_depth(code) < 3:
        return code
    return code[:7] + "-00"


@cache
def _group(code: str) -> str:
    """The 中类 of a code ("4-09-08-01" → "4-09-00-00"), or the code itself when broader."""
    if code_depth(code) < 2:
        return code
    return code[:4] + "-00-00"


def _gram_text(key: int) -> str:
    """The n-gram of a key (:func:`_gram_key`): up to three code points of 21 bits."""
    chars: list[str] = []
    while key:
        chars.append(chr(key & 0x1FFFFF))
        key >>= 21
    return "".join(reversed(chars))


def _gram_lengths(keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """How many characters each n-gram key (:func:`_gram_key`) holds (1, 2 or 3)."""
    return 1 + (keys >= np.uint64(1 << 21)).astype(np.int64) + (keys >= np.uint64(1 << 42))


def _shares(
    grams: tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]], n: int
) -> sparse.csr_matrix:
    """The n-grams of n texts weighted against the definitions (:func:`_definition_index`):
    squares of an L2-normalised TF-IDF row, shares summing to 1."""
    keys, idf, _, _ = _definition_index()
    shares = _vectorize(grams, n, keys, idf)
    shares.data *= shares.data
    return shares


def _linear_svm(
    matrix: sparse.csr_matrix, labels: list[int], c: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.float32]] | None:
    """A one-vs-rest linear SVM: its classes, weights (features × classes) and intercepts.

    None with fewer than two classes. tol 1e-2: the same predictions on the titles file as the
    default 1e-4, fitted in about two thirds of the time. A fixed ``random_state``: liblinear
    visits the titles in a random order, and without it two processes could disagree on a
    title near a boundary (a title or two of the file's 2,943 moved between runs).
    """
    from sklearn.svm import LinearSVC  # about two seconds to import: only when fitting

    classes = np.array(sorted(set(labels)), dtype=np.int64)
    if len(classes) < 2:
        return None
    with warnings.catch_warnings():  # few titles per class is expected here
        warnings.filterwarnings("ignore", message="The number of unique classes")
        svm = LinearSVC(C=c, tol=1e-2, random_state=0).fit(matrix, labels)
    coef = np.asarray(svm.coef_, dtype=np.float32)
    intercept = np.asarray(svm.intercept_, dtype=np.float32)
    if len(classes) == 2:  # one decision value: positive means the second class
        coef = np.vstack([-coef, coef])
        intercept = np.r_[-intercept, intercept]
    return classes, np.ascontiguousarray(coef.T), intercept


class TitleModel:
    """Title classifier: linear SVM + neighbour vote + name similarity (module docstring)."""

    def __init__(
        self,
        *,
        sharpness: float = 3.0,
        svm_c: float = 1.0,
        vote_weight: float = 0.5,
        name_weight: float = 1.5,
        temperature: float = 4.0,
        max_df: int = 400,
        lexicon_weight: float = 3.0,
        unseen_score: float = -2.0,
        lexicon_prior: float = 0.5,
        svm_floor: float = -0.8,
        group_weight: float = 0.5,
        exact_weight: float = 0.5,
        title_vote: float = 0.0,
        definition_weight: float = 0.25,
        gram_weights: tuple[float, float, float] = (1.3, 1.0, 0.9),
        signal_scale: float = 0.4,
        signal_keep: float = 0.2,
    ) -> None:
        if sharpness < 1:
            raise ValueError(f"sharpness must be >= 1, got {sharpness}")
        self.sharpness = sharpness
        self.svm_c = svm_c
        self.vote_weight = vote_weight
        self.name_weight = name_weight
        self.temperature = temperature
        self.max_df = max_df
        self.lexicon_weight = lexicon_weight
        self.unseen_score = unseen_score
        self.lexicon_prior = lexicon_prior
        self.svm_floor = svm_floor
        self.group_weight = group_weight
        self.exact_weight = exact_weight
        self.title_vote = title_vote
        self.definition_weight = definition_weight
        self.gram_weights = gram_weights
        self.signal_scale = signal_scale
        self.signal_keep = signal_keep

    def fit(self, titles: Sequence[str], codes: Sequence[str]) -> Self:
        """Learn from titles with their codes (plus the classification and the lexicon).

        Nothing else enters the model: the vocabulary and its weights are fitted on these
        titles and the reference documents only.
        """
        if len(titles) != len(codes):
            raise ValueError(f"titles and codes differ in length: {len(titles)} != {len(codes)}")
        ref_docs, ref_codes, names, lexicon = _reference()
        pairs = [(clean_title(t), c.strip()) for t, c in zip(titles, codes, strict=True)]
        pairs = [(t, c) for t, c in pairs if c]
        docs = [t for t, _ in pairs] + [clean_title(d) for d in ref_docs]
        doc_codes = [c for _, c in pairs] + list(ref_codes)
        # TF-IDF as scikit-learn's TfidfVectorizer(analyzer=_ngrams, sublinear_tf=True) fits
        # it (smooth idf, L2 rows), from the n-gram keys found with numpy: several times faster.
        keys, rows = _gram_keys(docs)
        self.vocabulary_keys_, columns = np.unique(keys, return_inverse=True)
        width = len(self.vocabulary_keys_)
        cells, counts = np.unique(rows * width + columns, return_counts=True)
        df = np.bincount(cells % width, minlength=width)
        self.idf_ = (np.log((1.0 + len(docs)) / (1.0 + df)) + 1.0).astype(np.float32)
        matrix = _tfidf_rows(cells, counts, self.idf_, len(docs))
        # Neighbours and names are compared on the rarer n-grams only: an n-gram in more than
        # `max_df` documents (员, 师, 工 …) says little and makes the product dense and slow.
        rare = sparse.diags((df <= self.max_df).astype(np.float32))
        self.rare_ = rare
        pruned = sparse.csr_matrix(matrix @ rare)
        self.documents_t_ = sparse.csr_matrix(pruned.T)
        classes = sorted({_small(c) for c in doc_codes})
        fines = sorted({c for c in doc_codes if code_depth(c) == 4})
        self.classes_ = np.array(classes)
        self.fines_ = np.array(fines)
        class_index = {c: i for i, c in enumerate(classes)}
        fine_index = {c: i for i, c in enumerate(fines)}
        n_docs = len(docs)
        doc_class = np.array([class_index[_small(c)] for c in doc_codes], dtype=np.int64)
        # A vote's weight: the lexicon's surface forms, curated for these jobs, count more.
        weight = np.ones(n_docs, dtype=np.float32)
        weight[len(pairs) + lexicon :] = self.lexicon_weight
        # Documents → their 小类 and their 细类 (one-hot), to sum neighbour votes by product.
        # The training titles vote for the 细类 inside a 小类 but, at `title_vote`, hardly for
        # the 小类: the SVMs speak for them there.
        class_weight = weight.copy()
        class_weight[: len(pairs)] = self.title_vote
        self.doc_class_ = sparse.csr_matrix(
            (class_weight, (np.arange(n_docs), doc_class)), shape=(n_docs, len(classes))
        )
        self.doc_class_.eliminate_zeros()
        # The reference documents alone (the training titles' rows empty): the vote the SVMs
        # see, for training titles too, and so free of any training label.
        self.reference_class_ = self.doc_class_
        if self.title_vote:
            self.reference_class_ = sparse.csr_matrix(
                sparse.diags((np.arange(n_docs) >= len(pairs)).astype(np.float32)) @ self.doc_class_
            )
            self.reference_class_.eliminate_zeros()
        fine_docs = [i for i, c in enumerate(doc_codes) if c in fine_index]
        self.doc_fine_ = sparse.csr_matrix(
            (
                weight[fine_docs],
                (fine_docs, [fine_index[doc_codes[i]] for i in fine_docs]),
            ),
            shape=(n_docs, len(fines)),
        )
        self.fine_class_ = np.array([class_index[_small(c)] for c in fines], dtype=np.int64)
        # The classification's names and the class of each, for a maximum per class.
        name_rows = len(pairs) + np.arange(names)
        self.names_t_ = sparse.csr_matrix(pruned[name_rows].T)
        self.name_class_ = doc_class[name_rows]
        self.labels_: dict[str, tuple[str, int]] = {}
        # A title that is exactly one of the lexicon's surface forms: that entry's class.
        self.lexicon_class_ = {
            normalize_surface(doc): int(doc_class[len(pairs) + lexicon + i])
            for i, doc in enumerate(ref_docs[lexicon:])
        }
        # A broad winner (6-00-00-00) gives way to its best 小类: the classes inside each one.
        depth = [code_depth(c) for c in classes]
        specific = [(j, c) for j, c in enumerate(classes) if depth[j] >= 3]
        self.inside_ = {}
        for i, broad in enumerate(classes):
            if depth[i] < 3:
                prefix = broad[: 3 * depth[i] - 1]  # "6-", "4-09-"
                self.inside_[i] = np.array(
                    [j for j, c in specific if c.startswith(prefix)], dtype=np.int64
                )
        # The 小类 that have definitions and tasks, in the order of the definition index.
        self.definition_class_ = np.array(
            [class_index[c] for c in _definition_index()[3]], dtype=np.int64
        )
        # The linear SVMs over the training titles: at 小类, and at 中类 (each 小类 then gets
        # the decision value of its 中类); none with fewer than two classes. They see the
        # n-grams scaled by their length, and what the classification says of each title.
        texts = [t for t, _ in pairs]
        self.gram_scale_ = np.asarray(self.gram_weights, dtype=np.float32)[
            _gram_lengths(self.vocabulary_keys_) - 1
        ]
        _, *signals = self._signals(matrix[: len(pairs)], _shares(_gram_keys(texts), len(texts)))
        train = sparse.hstack(
            [
                matrix[: len(pairs)] @ sparse.diags(self.gram_scale_),
                *self._signal_features(*signals),
            ],
            format="csr",
        )
        self.svm_ = _linear_svm(train, [class_index[_small(c)] for _, c in pairs], self.svm_c)
        groups = sorted({_group(c) for c in classes})
        group_index = {g: i for i, g in enumerate(groups)}
        self.class_group_ = np.array([group_index[_group(c)] for c in classes], dtype=np.int64)
        self.group_svm_ = None
        if self.group_weight:
            group_labels = [group_index[_group(c)] for _, c in pairs]
            self.group_svm_ = _linear_svm(train, group_labels, self.svm_c)
        # Both SVMs' weights side by side: one product gives every decision value. The
        # n-grams' weights take their length's scale, so that queries need no scaling; those
        # of each signal are kept apart (one smaller product per signal).
        fitted = [svm for svm in (self.svm_, self.group_svm_) if svm is not None]
        self.linear_ = None
        if fitted:
            weights = np.hstack([w for _, w, _ in fitted])
            edges = width + len(classes) * np.arange(len(signals) + 1)
            self.linear_ = (
                np.ascontiguousarray(weights[:width] * self.gram_scale_[:, None]),
                [np.ascontiguousarray(weights[a:b]) for a, b in pairwise(edges)],
                np.concatenate([b for _, _, b in fitted]),
            )
        # Titles of the training set by their cleaned text: the share of each 小类 among them.
        seen: dict[str, dict[int, int]] = {}
        for text, code in pairs:
            counts = seen.setdefault(text.replace(" ", ""), {})
            counts[class_index[_small(code)]] = counts.get(class_index[_small(code)], 0) + 1
        self.exact_ = {
            text: (
                np.array(list(counts), dtype=np.int64),
                np.array(list(counts.values()), dtype=np.float32) / sum(counts.values()),
            )
            for text, counts in seen.items()
        }
        return self

    @property
    def vocabulary_(self) -> dict[str, int]:
        """The n-grams of the fitted vocabulary and their columns (as scikit-learn's): the
        columns are in the order of the sorted keys."""
        return {_gram_text(int(k)): c for c, k in enumerate(self.vocabulary_keys_)}

    def predict(self, titles: Iterable[str]) -> list[TitleMatch]:
        """The occupation of each title (at 细类, or 小类 when the 细类 cannot be told)."""
        if not hasattr(self, "documents_t_"):
            raise ValueError("TitleModel must be fitted before predict")
        texts = [clean_title(t) for t in titles]
        grams = _gram_keys(texts)
        queries = _vectorize(grams, len(texts), self.vocabulary_keys_, self.idf_)
        shares = _shares(grams, len(texts))
        names = load_occupations()
        matches: list[TitleMatch] = []
        for start in range(0, queries.shape[0], 2048):
            block = slice(start, start + 2048)
            matches.extend(
                self._predict_block(queries[block], shares[block], texts[block], names.name)
            )
        return matches

    def _transform(self, texts: list[str]) -> sparse.csr_matrix:
        """TF-IDF rows (sublinear tf, L2-normalised) as the fitted vectorizer gives, faster.

        The n-grams of all texts are found at once with numpy (:func:`_gram_keys`) and looked
        up in the sorted keys of the vocabulary.
        """
        return _vectorize(_gram_keys(texts), len(texts), self.vocabulary_keys_, self.idf_)

    def _signals(
        self, queries: sparse.csr_matrix, shares: sparse.csr_matrix
    ) -> tuple[
        sparse.csr_matrix,
        npt.NDArray[np.float32],
        npt.NDArray[np.float32],
        npt.NDArray[np.float32],
    ]:
        """What the classification says of each title, per 小类: the title's (sharpened)
        similarity to every document, the reference documents' vote, the best-matching name,
        and the share of the title found in the definitions (0 where a 小类 has none).

        No training title's label enters them (the training titles do not vote here), so
        that they can be features of the training titles themselves.
        """
        n = queries.shape[0]
        # Neighbour vote: similarity to the power `sharpness` (the nearest count most), summed
        # per class and normalised to shares.
        rare = sparse.csr_matrix(queries @ self.rare_)
        similarity = sparse.csr_matrix(rare @ self.documents_t_)
        if self.sharpness == 3:  # a product is several times faster than a power
            similarity.data *= similarity.data * similarity.data
        else:
            similarity.data **= self.sharpness
        votes = np.asarray((similarity @ self.reference_class_).toarray(), dtype=np.float32)
        votes /= np.maximum(votes.sum(axis=1, keepdims=True), 1e-12)
        # The best-matching classification name of each class (similarities are >= 0).
        to_names = sparse.csr_matrix(rare @ self.names_t_)
        name_rows = np.repeat(np.arange(n), np.diff(to_names.indptr))
        best_name = np.zeros((n, len(self.classes_)), dtype=np.float32)
        np.maximum.at(best_name, (name_rows, self.name_class_[to_names.indices]), to_names.data)
        # The share of the title (its n-grams by TF-IDF weight squared, idf among the 小类)
        # found in the definitions and tasks of each 小类's 细类.
        covered = np.zeros((n, len(self.classes_)), dtype=np.float32)
        covered[:, self.definition_class_] = (shares @ _definition_index()[2]).toarray()
        return similarity, votes, best_name, covered

    def _signal_features(self, *signals: npt.NDArray[np.float32]) -> list[sparse.csr_matrix]:
        """Each signal as SVM features, scaled by ``signal_scale``: per title, only the values
        of at least ``signal_keep`` of its largest (one sparse block per signal)."""
        blocks = []
        for signal in signals:
            floor = np.maximum(self.signal_keep * signal.max(axis=1), 1e-12)
            cells = np.flatnonzero(signal >= floor[:, None])  # faster than a 2-D nonzero
            rows, columns = np.divmod(cells, signal.shape[1])
            offsets = np.zeros(len(signal) + 1, dtype=np.int64)
            np.cumsum(np.bincount(rows, minlength=len(signal)), out=offsets[1:])
            values = self.signal_scale * signal.ravel()[cells]
            blocks.append(sparse.csr_matrix((values, columns, offsets), shape=signal.shape))
        return blocks

    def _predict_block(
        self,
        queries: sparse.csr_matrix,
        shares: sparse.csr_matrix,
        texts: list[str],
        name: Any,
    ) -> list[TitleMatch]:
        n = queries.shape[0]
        similarity, votes, best_name, covered = self._signals(queries, shares)
        # A class no training title has (known from the classification only) gets what the SVM
        # gives a class it rejects. Decision values count down to a floor only: below it, a
        # class is rejected, and by how much says little.
        scores = np.full((n, len(self.classes_)), self.unseen_score, dtype=np.float32)
        decision = np.zeros((n, 0), dtype=np.float32)
        if self.linear_ is not None:
            decision = np.asarray(queries @ self.linear_[0]) + self.linear_[2]
            for block, weights in zip(
                self._signal_features(votes, best_name, covered), self.linear_[1], strict=True
            ):
                decision += block @ weights
            np.maximum(decision, self.svm_floor, out=decision)
        if self.svm_ is not None:
            svm_classes = self.svm_[0]
            scores[:, svm_classes] = decision[:, : len(svm_classes)]
            np.maximum(scores, self.svm_floor, out=scores)
            decision = decision[:, len(svm_classes) :]
        else:
            scores[:] = 0.0
        if self.group_svm_ is not None:
            groups = np.full((n, self.class_group_.max() + 1), self.svm_floor, dtype=np.float32)
            groups[:, self.group_svm_[0]] = decision
            scores += self.group_weight * groups[:, self.class_group_]
        if self.title_vote:  # the training titles vote too
            votes = np.asarray((similarity @ self.doc_class_).toarray(), dtype=np.float32)
            votes /= np.maximum(votes.sum(axis=1, keepdims=True), 1e-12)
        scores += self.vote_weight * votes
        scores += self.name_weight * best_name
        scores += self.definition_weight * covered
        for row, text in enumerate(texts):
            # A cleaned title is folded already: only its spaces differ from a surface.
            folded = text.replace(" ", "")
            known = self.lexicon_class_.get(folded)
            if known is not None:
                scores[row, known] += self.lexicon_prior
            same = self.exact_.get(folded)
            if same is not None:  # training titles that read the same: their 小类 by share
                scores[row, same[0]] += self.exact_weight * same[1]
        best = scores.argmax(axis=1)
        for broad_row in np.flatnonzero(np.isin(best, list(self.inside_))):
            inside = self.inside_[int(best[broad_row])]
            if len(inside):
                best[broad_row] = inside[np.argmax(scores[broad_row, inside])]
        # The 细类 inside the winning class with most (sharpened) similarity, if any; ties go
        # to the smaller code.
        fine_votes = sparse.csr_matrix(similarity @ self.doc_fine_)
        fine_votes.sort_indices()
        vote_rows = np.repeat(np.arange(n), np.diff(fine_votes.indptr))
        inside_best = (self.fine_class_[fine_votes.indices] == best[vote_rows]) & (
            fine_votes.data > 0
        )
        top_vote = np.zeros(n, dtype=fine_votes.data.dtype)
        np.maximum.at(top_vote, vote_rows[inside_best], fine_votes.data[inside_best])
        chosen = inside_best & (fine_votes.data == top_vote[vote_rows])
        fine_rows, first = np.unique(vote_rows[chosen], return_index=True)
        fine = np.full(n, -1, dtype=np.int64)
        fine[fine_rows] = fine_votes.indices[chosen][first]
        shifted = np.exp(self.temperature * (scores - scores.max(axis=1, keepdims=True)))
        shares = shifted[np.arange(n), best] / shifted.sum(axis=1)
        empty = np.diff(queries.indptr) == 0
        labels = self.labels_
        matches: list[TitleMatch] = []
        for f, b, share, nothing in zip(
            fine.tolist(), best.tolist(), shares.tolist(), empty.tolist(), strict=True
        ):
            if nothing:
                matches.append(_NO_MATCH)
                continue
            code = str(self.fines_[f] if f >= 0 else self.classes_[b])
            if code not in labels:
                labels[code] = (name(code), code_depth(code))
            label, level = labels[code]
            matches.append(TitleMatch(code, label, level, round(share, 4)))
        return matches


_model_lock = threading.Lock()


@cache
def _fitted_model() -> TitleModel:
    rows = [r for r in load_title_rows() if r.code]
    return TitleModel().fit([r.title for r in rows], [r.code for r in rows])


def _default_model() -> TitleModel:
    with _model_lock:  # one fit even when several threads ask first
        return _fitted_model()


@lru_cache(maxsize=65_536)
def normalize_title(title: str) -> TitleMatch:
    """The occupation of a raw post title, at 细类 or the closest level the model can tell."""
    return _default_model().predict([title])[0]


def normalize_titles(titles: Iterable[str]) -> list[TitleMatch]:
    """``normalize_title`` of many titles at once (one batch: much faster per title)."""
    titles = list(titles)
    unique = list(dict.fromkeys(titles))
    found = dict(zip(unique, _default_model().predict(unique), strict=True))
    return [found[t] for t in titles]


@cache
def model_fingerprint() -> str:
    """A digest of everything the default model is made of: this code, the lexicon and the data.

    Answers kept outside the process (the service keeps them in Redis) are valid only for the
    model with the same fingerprint.
    """
    digest = hashlib.sha256()
    package = resources.files("features")
    for name in (
        "titles.py",
        "lexicon.py",
        "occupations.py",
        "data/lexicon.toml",
        "data/csco22_occupations.csv",
        "data/csco22_job_title_to_code.csv",
    ):
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


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
        Number of folds (>= 2); each title is scored by a model fitted on the other folds only
        (vocabulary included), plus the classification's names and aliases.
    seed
        Seed of the shuffle that assigns titles to folds.

    Returns
    -------
    dict
        ``folds``, ``scored``, ``skipped`` and, per level (``fine``, ``small``, ``major``):
        ``accuracy`` (float in [0, 1]; a broad expected code such as 6-00-00-00 counts as right
        at finer levels when the prediction agrees on the levels it specifies), ``correct``,
        ``total``, and ``strict_accuracy`` / ``strict_correct`` / ``strict_total`` over the
        titles whose expected code is at least that fine; ``levels``: how many predictions
        stopped at each level (``"4"`` 细类, ``"3"`` 小类 …).
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
    depths = [code_depth(p) if p else 0 for p in predicted]
    report["levels"] = {str(d): depths.count(d) for d in sorted(set(depths), reverse=True)}
    return report
