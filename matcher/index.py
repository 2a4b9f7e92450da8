"""The post index: every post of one catalogue version as arrays, built once, scored many times.

Posts are kept in ``post_id`` order, so a row number is also the deterministic tie-break. The
index holds what the hard rules and the soft signals read, per post (``m`` posts):

- ``kind`` (int8, index into ``POST_KINDS``), ``min_age`` / ``max_age`` (int16), ``place`` (row of
  :class:`features.commute.Places`), ``lodging``, ``closed``, ``places_left``, ``closes_on`` (date
  ordinals), ``suspended``, ``boost``, ``pay`` and ``freshness`` (signals in [0, 1]);
- ``reach`` (bool, townships+1 × m): whom a 公益性岗位 or 定向招聘 post may reach, by the
  person's township row (the last row is "unknown township"); every other post reaches all;
- ``minutes`` and ``commute_signal`` (float32, places+1 × m): the commute from every place
  (the last row: place unknown, infinitely far) to every post (0 for 居家就业), and ``near_home`` (bool) where it is at most 30 minutes;
- ``cert_required`` (float32, m × C): the certificates each post requires, and ``cert_bits``
  (uint64, m) the same as bits when there are at most 64 certificates (else None);
- ``not_public_welfare`` / ``not_directed`` (bool, m): posts of every other kind;
  ``skill_counts`` (int32, m): how many lexicon skills each post names;
- ``post_skills`` (csr, m × S): the lexicon skills each post names (``skill_posts`` the same by
  skill); ``text_t`` (csr, F × m):
  the post side of the text signal (see :mod:`matcher.signals`), and ``text_rows``
  (csr, m × F) the same by post.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from catalogue.agreements import directed_reach
from catalogue.controls import EmployerControl, control_for
from catalogue.models import DIRECTED, HOME_BASED, POST_KINDS, PUBLIC_WELFARE, Agreement, Post
from features.commute import Places, places_of
from features.gazetteer import Gazetteer, load_gazetteer
from features.skills import TextVectorizer, certificates_in, profile_text
from features.titles import TitleMatch, normalize_titles
from matcher.errors import IndexMismatchError
from matcher.signals import (
    NEAR_HOME_MINUTES,
    TEXT_COEFFICIENTS,
    boost_signal,
    commute_signal,
    freshness_signal,
    occupation_keys,
    pay_signal,
)

NO_MIN_AGE = 0
NO_MAX_AGE = 200
NEVER_CLOSES = dt.date.max.toordinal()
# A title's occupation (features.titles) joins the lexicon's when the model is at least this
# sure of it: below, its guesses for titles such as "操作工" are noise.
TITLE_MIN_SCORE = 0.5
NO_TITLE = TitleMatch("", "", 0, 0.0)
_TITLE_MEMO: dict[str, TitleMatch] = {}
_TITLE_MEMO_SIZE = 200_000


def forget_titles() -> None:
    """Forget the titles normalised so far (a benchmark measures a build from scratch)."""
    _TITLE_MEMO.clear()


def unknown_titles(titles: Iterable[str]) -> list[str]:
    """The distinct titles this process has not normalised yet."""
    return [t for t in dict.fromkeys(titles) if t not in _TITLE_MEMO]


def remember_titles(matches: Mapping[str, TitleMatch]) -> None:
    """Take titles normalised elsewhere (by the same model) as if normalised here."""
    if len(_TITLE_MEMO) + len(matches) > _TITLE_MEMO_SIZE:
        _TITLE_MEMO.clear()
    _TITLE_MEMO.update(matches)


def title_matches(titles: Sequence[str]) -> list[TitleMatch]:
    """The occupation of each title (:func:`features.titles.normalize_titles`).

    Each distinct title is normalised once per process: titles repeat within a catalogue and
    across its versions, so a rebuild normalises only the titles it has not seen.
    """
    known: dict[str, TitleMatch] = {}
    new: list[str] = []
    for title in dict.fromkeys(titles):
        found = _TITLE_MEMO.get(title)
        if found is None:
            new.append(title)
        else:
            known[title] = found
    if new:
        fresh = dict(zip(new, normalize_titles(new), strict=True))
        known.update(fresh)
        if len(_TITLE_MEMO) + len(fresh) > _TITLE_MEMO_SIZE:
            _TITLE_MEMO.clear()
        _TITLE_MEMO.update(fresh)
    return [known[t] for t in titles]


@dataclass(frozen=True, slots=True)
class TextSpace:
    """The feature space of the text signal: lexicon skills, occupations, TF-IDF tokens.

    ``row(text)`` gives the person side of a text as sorted feature columns and values: 1 for
    each lexicon skill, 细类 and 小类 the text names, then its TF-IDF weights (sublinear tf ×
    idf, L2-normalised, the fitted :class:`features.skills.TextVectorizer`'s own vocabulary and
    idf), memoised per text.
    """

    skills: dict[str, int]
    fine: dict[str, int]
    small: dict[str, int]
    vectorizer: TextVectorizer
    n_tokens: int
    tokens: dict[str, int] = field(default_factory=dict)
    idf: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    _memo: dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]] = field(
        default_factory=dict, repr=False
    )

    @property
    def size(self) -> int:
        """Number of features F."""
        return len(self.skills) + len(self.fine) + len(self.small) + self.n_tokens

    @property
    def offsets(self) -> tuple[int, int, int]:
        """Start of the fine-occupation, small-class and token blocks."""
        a = len(self.skills)
        b = a + len(self.fine)
        return a, b, b + len(self.small)

    def row(self, text: str) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """Sorted feature columns and values of a person's text (memoised)."""
        found = self._memo.get(text)
        if found is not None:
            return found
        cols: list[int] = []
        vals: list[float] = []
        if text:
            profile = profile_text(text)
            fine_at, small_at, token_at = self.offsets
            fine, small = occupation_keys(profile.occupations)
            binary = {self.skills[s] for s in profile.skills if s in self.skills}
            binary |= {fine_at + self.fine[c] for c in fine if c in self.fine}
            binary |= {small_at + self.small[c] for c in small if c in self.small}
            cols.extend(sorted(binary))
            vals.extend([1.0] * len(binary))
            words = [*profile.tokens, *(f"#{s}" for s in sorted(profile.skills))]
            counts: dict[int, int] = {}
            for w in words:
                col = self.tokens.get(w)
                if col is not None:
                    counts[col] = counts.get(col, 0) + 1
            if counts:
                order = sorted(counts)
                weights = np.array(
                    [(1.0 + np.log(counts[c])) * self.idf[c] for c in order], dtype=np.float64
                )
                weights /= np.sqrt((weights * weights).sum())
                cols.extend(token_at + c for c in order)
                vals.extend(weights.tolist())
        result = (np.array(cols, np.int32), np.array(vals, np.float32))
        if len(self._memo) < 200_000:
            self._memo[text] = result
        return result


def post_text(post: Post) -> str:
    """The words of a post that the text signal reads: title and skills."""
    return f"{post.title} {post.skills}".strip()


def post_certificates(post: Post) -> frozenset[str]:
    """The canonical certificates a post requires."""
    found: set[str] = set()
    for text in post.certificates:
        names = certificates_in(text)
        found |= names if names else {text.strip()}
    return frozenset(c for c in found if c)


@dataclass(frozen=True, slots=True)
class PostIndex:
    """Arrays over the posts of one catalogue version (see the module docstring)."""

    posts: tuple[Post, ...]
    version: int
    today: dt.date
    places: Places
    kind: npt.NDArray[np.int8]
    min_age: npt.NDArray[np.int16]
    max_age: npt.NDArray[np.int16]
    place: npt.NDArray[np.int32]
    lodging: npt.NDArray[np.bool_]
    closed: npt.NDArray[np.bool_]
    places_left: npt.NDArray[np.int32]
    closes_on: npt.NDArray[np.int32]
    suspended: npt.NDArray[np.bool_]
    boost: npt.NDArray[np.float32]
    pay: npt.NDArray[np.float32]
    freshness: npt.NDArray[np.float32]
    reach: npt.NDArray[np.bool_]
    minutes: npt.NDArray[np.float32]
    near_home: npt.NDArray[np.bool_]
    commute_signal: npt.NDArray[np.float32]
    certificates: tuple[str, ...]
    cert_required: npt.NDArray[np.float32]
    cert_required_t: npt.NDArray[np.float32]  # (C, m), the same by certificate
    post_certs: tuple[frozenset[str], ...]
    cert_bits: npt.NDArray[np.uint64] | None
    not_public_welfare: npt.NDArray[np.bool_]
    not_directed: npt.NDArray[np.bool_]
    skill_counts: npt.NDArray[np.int32]
    post_skills: sp.csr_matrix
    skill_posts: sp.csr_matrix  # (S, m): the posts naming each lexicon skill
    post_skill_sets: tuple[frozenset[str], ...]
    post_titles: tuple[TitleMatch, ...]  # the occupation of each title (NO_TITLE when not asked)
    text: TextSpace
    text_t: sp.csr_matrix
    text_rows: sp.csr_matrix
    _rows: dict[str, int] = field(repr=False)
    # Per-index memo of what repeated referrals share (open mask of a day, base score rows);
    # a copy made by dataclasses.replace (with_states) starts with an empty one.
    _cache: dict[object, object] = field(
        init=False, default_factory=dict, repr=False, compare=False
    )

    def __len__(self) -> int:
        return len(self.posts)

    def row_of(self, post_id: str) -> int:
        """The row of a post id."""
        try:
            return self._rows[post_id]
        except KeyError:
            raise IndexMismatchError(f"post {post_id!r} is not in the index") from None

    def has(self, post_id: str) -> bool:
        """Whether the post is in the index."""
        return post_id in self._rows

    def open_mask(self, today: dt.date) -> npt.NDArray[np.bool_]:
        """Posts open on ``today``: not closed, places left, not past their closing date."""
        mask: npt.NDArray[np.bool_] = (
            ~self.closed & (self.places_left > 0) & (self.closes_on >= today.toordinal())
        )
        return mask

    def open_on(self, today: dt.date) -> npt.NDArray[np.bool_]:
        """:meth:`open_mask` memoised per day (read-only: do not modify the array)."""
        key = ("open", today.toordinal())
        found = self._cache.get(key)
        if found is None:
            mask = self.open_mask(today)
            mask.flags.writeable = False
            self._cache[key] = found = mask
        return found  # type: ignore[return-value]

    def certificate_bits(self, held: frozenset[str]) -> int:
        """The bits (of ``cert_bits``) of the index's certificates among ``held``."""
        bits = 0
        for j, c in enumerate(self.certificates):
            if c in held:
                bits |= 1 << j
        return bits

    def township_row(self, township_code: str) -> int:
        """The row of ``reach`` for a person's township (the last row when unknown)."""
        row = self.places.township_row(township_code)
        return self.places.n_townships if row is None else row

    def with_states(self, posts: Sequence[Post]) -> PostIndex:
        """A copy with the hires and status of these posts (same content) brought up to date.

        Only the arrays a hire, a close or an expiry changes are touched; a post whose content
        changed, or a new post, needs :meth:`build`.
        """
        rows = [self.row_of(p.post_id) for p in posts]
        all_posts = list(self.posts)
        places_left = self.places_left.copy()
        closed = self.closed.copy()
        for r, p in zip(rows, posts, strict=True):
            all_posts[r] = p
            places_left[r] = p.places_left
            closed[r] = p.status == "closed"
        return dataclasses.replace(
            self, posts=tuple(all_posts), places_left=places_left, closed=closed
        )

    @classmethod
    def build(
        cls,
        posts: Sequence[Post],
        agreements: Sequence[Agreement],
        controls: Mapping[str, EmployerControl] | None = None,
        *,
        today: dt.date,
        version: int = 0,
        gazetteer: Gazetteer | None = None,
        titles: bool = True,
    ) -> PostIndex:
        """Index ``posts`` (any order) with the agreements and employer controls of ``today``;
        with ``titles``, each title's occupation (:func:`features.titles.normalize_title`) joins
        the lexicon's occupations of the post when the model is sure enough of it."""
        gaz = gazetteer or load_gazetteer()
        places = places_of(gaz)
        ordered = tuple(sorted(posts, key=lambda p: p.post_id))
        m = len(ordered)
        ctrl = dict(controls or {})
        kind_code = {k: i for i, k in enumerate(POST_KINDS)}
        kind = np.array([kind_code.get(p.kind, kind_code["社会招聘"]) for p in ordered], np.int8)
        min_age = np.array(
            [NO_MIN_AGE if p.min_age is None else p.min_age for p in ordered], np.int16
        )
        max_age = np.array(
            [NO_MAX_AGE if p.max_age is None else p.max_age for p in ordered], np.int16
        )
        place = np.array([places.index_of(p.district, p.township_code) for p in ordered], np.int32)
        place = np.where(place == places.unknown, 0, place).astype(np.int32)
        controls_of = [control_for(p, ctrl) for p in ordered]
        suspended = np.array([c is not None and c.suspended for c in controls_of], bool)
        boost = np.array([1.0 if c is None else c.boost for c in controls_of], np.float32)
        pay = pay_signal(
            np.array([np.nan if p.salary_min is None else p.salary_min for p in ordered]),
            np.array([np.nan if p.salary_max is None else p.salary_max for p in ordered]),
        )
        age_days = np.array(
            [
                np.nan if (d := p.updated_on or p.created_on) is None else (today - d).days
                for p in ordered
            ]
        )
        reach = _reach(ordered, agreements, today, places, gaz)
        home = kind == kind_code[HOME_BASED]
        # (P + 1, m): the last row is a person whose place is unknown, who reaches no post
        # by commute (only home-based work).
        n_places = len(places)
        minutes = np.empty((n_places + 1, m), np.float32)
        np.take(places.minutes, place, axis=1, out=minutes[:n_places])
        minutes[n_places] = np.inf
        minutes[:, home] = 0.0
        signal = np.empty((n_places + 1, m), np.float32)
        np.take(commute_signal(places.minutes), place, axis=1, out=signal[:n_places])
        signal[n_places] = 0.0
        signal[:, home] = 1.0
        certs = [post_certificates(p) for p in ordered]
        cert_names = tuple(sorted(set().union(*certs))) if certs else ()
        cert_col = {c: i for i, c in enumerate(cert_names)}
        cert_required = np.zeros((m, len(cert_names)), np.float32)
        for i, names in enumerate(certs):
            for c in names:
                cert_required[i, cert_col[c]] = 1.0
        cert_bits: npt.NDArray[np.uint64] | None = None
        if len(cert_names) <= 64:
            cert_bits = np.zeros(m, np.uint64)
            for i, names in enumerate(certs):
                bits = 0
                for c in names:
                    bits |= 1 << cert_col[c]
                cert_bits[i] = bits
        matched = title_matches([p.title for p in ordered]) if titles else [NO_TITLE] * m
        post_skills, skill_sets, text_space, text_t = _text(ordered, matched)
        return cls(
            posts=ordered,
            version=version,
            today=today,
            places=places,
            kind=kind,
            min_age=min_age,
            max_age=max_age,
            place=place,
            lodging=np.array([p.lodging for p in ordered], bool),
            closed=np.array([p.status == "closed" for p in ordered], bool),
            places_left=np.array([p.places_left for p in ordered], np.int32),
            closes_on=np.array(
                [NEVER_CLOSES if p.closes_on is None else p.closes_on.toordinal() for p in ordered],
                np.int32,
            ),
            suspended=suspended,
            boost=boost_signal(boost),
            pay=pay,
            freshness=freshness_signal(age_days),
            reach=reach,
            minutes=minutes,
            near_home=minutes <= NEAR_HOME_MINUTES,
            commute_signal=signal,
            certificates=cert_names,
            cert_required=cert_required,
            cert_required_t=np.ascontiguousarray(cert_required.T),
            post_certs=tuple(certs),
            cert_bits=cert_bits,
            not_public_welfare=_read_only(kind != kind_code[PUBLIC_WELFARE]),
            not_directed=_read_only(kind != kind_code[DIRECTED]),
            skill_counts=np.diff(post_skills.indptr).astype(np.int32),
            post_skills=post_skills,
            skill_posts=sp.csr_matrix(post_skills.T),
            post_skill_sets=skill_sets,
            post_titles=tuple(matched),
            text=text_space,
            text_t=text_t,
            text_rows=sp.csr_matrix(text_t.T, dtype=np.float32),
            _rows={p.post_id: i for i, p in enumerate(ordered)},
        )


def _read_only(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """The mask, read-only: a person's rules share it rather than copy it."""
    mask.flags.writeable = False
    return mask


def _reach(
    posts: Sequence[Post],
    agreements: Sequence[Agreement],
    today: dt.date,
    places: Places,
    gaz: Gazetteer,
) -> npt.NDArray[np.bool_]:
    """Whom each post may reach by township row (T+1 rows; the last is "unknown")."""
    t = places.n_townships
    by_post = np.ones((len(posts), t + 1), dtype=bool)  # set by post, then transposed
    district_rows: dict[str, list[int]] = {}
    for row in range(t):
        district_rows.setdefault(places.districts[row], []).append(row)
    memo: dict[tuple[str, str, str], tuple[frozenset[str], frozenset[str]]] = {}
    for j, post in enumerate(posts):
        if post.kind == PUBLIC_WELFARE:
            # 公益性岗位 serve the difficulty persons of for_townships; a post naming none serves
            # its own township, else its district.
            by_post[j] = False
            codes = post.for_townships or ((post.township_code,) if post.township_code else ())
            rows = [r for c in codes if (r := places.township_row(c)) is not None]
            if not rows:
                rows = district_rows.get(post.district, [])
            by_post[j, rows] = True
        elif post.kind == DIRECTED:
            by_post[j] = False
            key = (post.uploader, post.employer_code, post.township_code)
            if key not in memo:
                found = directed_reach(post, agreements, today)
                memo[key] = (found.districts, found.townships)
            districts, townships = memo[key]
            for d in districts:
                by_post[j, district_rows.get(d, [])] = True
            rows = [r for c in townships if (r := places.township_row(c)) is not None]
            by_post[j, rows] = True
    reach: npt.NDArray[np.bool_] = np.ascontiguousarray(by_post.T)
    return reach


def _text(
    posts: Sequence[Post], matched: Sequence[TitleMatch]
) -> tuple[sp.csr_matrix, tuple[frozenset[str], ...], TextSpace, sp.csr_matrix]:
    """The post side of the text signal: lexicon skills, occupations (the lexicon's and the
    title's) and TF-IDF."""
    texts = [post_text(p) for p in posts]
    profiles = [profile_text(t) for t in texts]
    skill_sets = tuple(frozenset(pr.skills) for pr in profiles)
    skills = {s: i for i, s in enumerate(sorted(set().union(*skill_sets)))} if posts else {}
    occ = [
        occupation_keys(
            pr.occupations | {t.code} if t.code and t.score >= TITLE_MIN_SCORE else pr.occupations
        )
        for pr, t in zip(profiles, matched, strict=True)
    ]
    fine = {c: i for i, c in enumerate(sorted({c for f, _ in occ for c in f}))}
    small = {c: i for i, c in enumerate(sorted({c for _, s in occ for c in s}))}
    m = len(posts)
    vectorizer = TextVectorizer()
    tokens: dict[str, int] = {}
    idf = np.zeros(0)
    try:
        vectorizer.fit(texts)
    except ValueError:  # no posts, or no word in any post: the TF-IDF part is empty
        tfidf = sp.csr_matrix((m, 0), dtype=np.float32)
    else:
        unique, inverse = np.unique(np.array(texts, dtype=object), return_inverse=True)
        tfidf = sp.csr_matrix(vectorizer.transform(list(unique)), dtype=np.float32)[inverse]
        tokens = {str(t): int(c) for t, c in vectorizer.vectorizer_.vocabulary_.items()}
        idf = np.asarray(vectorizer.vectorizer_.idf_, dtype=np.float64)
    a_skill, a_fine, a_small, a_tfidf = TEXT_COEFFICIENTS

    def block(sets: Sequence[frozenset[str]], vocab: dict[str, int], coef: float) -> sp.csr_matrix:
        # each post's features, coef / (number of them) each; sets repeat, looked up once each
        columns: dict[frozenset[str], list[int]] = {}
        for s in sets:
            if s not in columns:
                columns[s] = [vocab[c] for c in s]
        lengths = np.fromiter(map(len, sets), np.int64, len(sets))
        total = int(lengths.sum())
        rows = np.repeat(np.arange(len(sets)), lengths)
        cols = np.fromiter(chain.from_iterable(columns[s] for s in sets), np.int64, total)
        share = np.array([coef / n if n else 0.0 for n in lengths.tolist()])
        vals = np.repeat(share, lengths).astype(np.float32)
        return sp.csr_matrix((vals, (rows, cols)), shape=(m, len(vocab)), dtype=np.float32)

    post_skills = block(skill_sets, skills, 1.0)
    post_skills.data[:] = 1.0
    features = sp.hstack(
        [
            block(skill_sets, skills, a_skill),
            block([f for f, _ in occ], fine, a_fine),
            block([s for _, s in occ], small, a_small),
            tfidf * np.float32(a_tfidf),
        ],
        format="csr",
        dtype=np.float32,
    )
    space = TextSpace(skills, fine, small, vectorizer, tfidf.shape[1], tokens=tokens, idf=idf)
    return post_skills, skill_sets, space, sp.csr_matrix(features.T, dtype=np.float32)


__all__ = [
    "NEVER_CLOSES",
    "NO_MAX_AGE",
    "NO_MIN_AGE",
    "NO_TITLE",
    "TITLE_MIN_SCORE",
    "PostIndex",
    "TextSpace",
    "forget_titles",
    "post_text",
    "remember_titles",
    "title_matches",
    "unknown_titles",
]
