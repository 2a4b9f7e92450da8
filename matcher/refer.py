"""Referrals for one person: the top-k posts with scores and reasons, what was excluded and
why, and near misses — posts the person would fit but for one certificate or skill, with the
training that closes the gap (the policy's sixth section: 技能培训).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from catalogue.models import DIRECTED, HOME_BASED, PUBLIC_WELFARE
from features.eligibility import AgeLimits, no_push_reason
from features.laborer import Laborer
from features.skills import training_for
from matcher.index import PostIndex
from matcher.person import Seeker, seeker_arrays, seeker_of, text_row
from matcher.rules import RULES, missing_certificates, person_rules
from matcher.score import TextRow, accumulate_row, score_rows, top_k_all
from matcher.signals import LODGING_FLOOR, NEAR_HOME_MINUTES, TRAITS, kind_tables
from matcher.weights import DEFAULT_WEIGHTS, Weights

NEAR_MISS_K = 5
SIGNAL_NAMES: tuple[str, ...] = ("skill", "desired", "commute", "kind", "pay", "freshness", "boost")
DESIRED_FLOOR = 0.2  # a skill near miss must be a job the person wants at least this much
WORKSHOP_KINDS: frozenset[str] = frozenset({"扶贫车间", "村社代工点"})


@dataclass(frozen=True, slots=True)
class Referral:
    """A post offered to a person, with its score in [0, 1], reasons and signals."""

    post_id: str
    score: float
    reasons: tuple[str, ...]
    signals: dict[str, float]


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A post the person fits but for one certificate or skill, and the training for it."""

    post_id: str
    missing: str
    training: str
    score: float


@dataclass(frozen=True, slots=True)
class ReferralResult:
    """What :func:`refer` found; ``reason`` says why there are no referrals, else None."""

    laborer_id: str
    referrals: list[Referral]
    excluded: dict[str, int]
    near_misses: list[NearMiss]
    reason: str | None = None


def seeker_for(
    laborer: Laborer,
    index: PostIndex,
    *,
    today: dt.date,
    difficulty: bool | None = None,
    tier: str | None = None,
) -> Seeker:
    """The seeker of a laborer; ``difficulty`` overrides the roster's flag, a ``special`` tier
    counts as the older/low-skilled trait (workshops and home-based work near home suit them).
    """
    if difficulty is not None and difficulty != laborer.difficulty:
        laborer = dataclasses.replace(laborer, difficulty=difficulty)
    seeker = seeker_of(laborer, index, today=today)
    if tier == "special":
        traits = list(seeker.traits)
        traits[TRAITS.index("older_low_skilled")] = True
        seeker = dataclasses.replace(seeker, traits=tuple(traits))
    return seeker


def _round_minutes(minutes: float) -> int:
    return max(5, round(minutes / 5.0) * 5)


def reasons_for(
    seeker: Seeker, index: PostIndex, row: int, *, minutes: float | None = None
) -> tuple[str, ...]:
    """The Chinese reasons a counselor can repeat: skills, commute, kind, lodging, age, pay.

    ``minutes`` is the commute to the post (``index.minutes``), when the caller has it."""
    post = index.posts[row]
    out: list[str] = []
    post_skills = index.post_skill_sets[row]
    if post_skills:
        matched = seeker.skills & post_skills
        wanted = (seeker.desired & post_skills) - matched
        if matched:
            out.append("技能匹配：" + "、".join(sorted(matched)))
        if wanted:
            out.append("期望工种：" + "、".join(sorted(wanted)))
    if minutes is None:
        minutes = float(index.minutes[seeker.origin, row])
    kind = post.kind
    lodging = post.lodging
    no_trip = False
    if kind == HOME_BASED:
        out.append("居家就业·无需通勤")
    elif lodging and seeker.accepts_lodging and minutes > seeker.tolerance:
        out.append("提供住宿·无需每日通勤")
        no_trip = True
    else:
        out.append(f"通勤约{_round_minutes(minutes)}分钟")
    if kind == DIRECTED:
        out.append(f"定向招聘·{post.uploader}对接")
    elif kind == PUBLIC_WELFARE:
        out.append("公益性岗位·托底安置")
    elif kind in WORKSHOP_KINDS and minutes <= NEAR_HOME_MINUTES:
        out.append(f"{kind}·离家近")
    if lodging and not no_trip:
        out.append("提供住宿")
    low, high = post.min_age, post.max_age
    if low is not None and high is not None:
        out.append(f"年龄要求{low}–{high}岁")
    elif low is not None:
        out.append(f"年龄要求{low}岁以上")
    elif high is not None:
        out.append(f"年龄要求{high}岁以下")
    pay_min, pay_max = post.salary_min, post.salary_max
    if pay_min is not None and pay_max is not None:
        out.append(f"月薪{pay_min}–{pay_max}元")
    elif pay_min is not None:
        out.append(f"月薪{pay_min}元起")
    return tuple(out)


def _segments(
    indptr: npt.NDArray[np.integer], rows: npt.NDArray[np.integer]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Positions of the stored entries of some CSR rows, and the row (0..len(rows)) of each."""
    starts = indptr[rows].astype(np.intp)
    lengths = indptr[rows + 1].astype(np.intp) - starts
    total = int(lengths.sum())
    owner = np.repeat(np.arange(len(rows), dtype=np.intp), lengths)
    first = np.cumsum(lengths) - lengths  # position of each row's first entry in the output
    positions = np.arange(total, dtype=np.intp) - first[owner] + starts[owner]
    return positions, owner


def _row_dots(
    index: PostIndex, person_rows: list[TextRow], post_rows: npt.NDArray[np.integer]
) -> list[npt.NDArray[np.float64]]:
    """Dot products of some person text rows with the text features of some posts: float32
    products summed in float64 in column order (one ``bincount`` for every person row)."""
    n = len(post_rows)
    if n == 0:
        return [np.zeros(0, np.float64) for _ in person_rows]
    t = index.text_rows
    positions, owner = _segments(t.indptr, post_rows)
    dense = np.zeros((len(person_rows), index.text.size), np.float32)
    for i, (cols, vals) in enumerate(person_rows):
        dense[i, cols] = vals
    products = dense[:, t.indices[positions]]
    products *= t.data[positions]
    if len(person_rows) > 1:
        owner = (owner + (np.arange(len(person_rows)) * n)[:, None]).reshape(-1)
    sums = np.bincount(owner, weights=products.reshape(-1), minlength=n * len(person_rows))
    return list(sums.reshape(len(person_rows), n))


@cache
def _kind_rows(traits: tuple[bool, ...]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    near, far = kind_tables(np.array([traits], dtype=bool))
    return near[0], far[0]


def signals_for(
    seeker: Seeker, index: PostIndex, rows: npt.NDArray[np.integer]
) -> list[dict[str, float]]:
    """Each soft signal (in [0, 1]) of the seeker for the given post rows."""
    if len(rows) == 0:
        return []
    at: npt.NDArray[np.intp] = np.asarray(rows, dtype=np.intp)
    text = index.text
    skill, desired = _row_dots(
        index, [text.row(seeker.skills_text), text.row(seeker.desired_text)], at
    )
    return _signals(seeker, index, at, skill, desired, index.minutes[seeker.origin].take(at))


def _signals(
    seeker: Seeker,
    index: PostIndex,
    rows: npt.NDArray[np.intp],
    skill: npt.NDArray[np.float64],
    desired: npt.NDArray[np.float64],
    minutes: npt.NDArray[np.float32],
) -> list[dict[str, float]]:
    """:func:`signals_for` given the skill and desired-job dot products and the minutes."""
    commute = index.commute_signal[seeker.origin].take(rows)
    if seeker.accepts_lodging:
        commute = np.where(index.lodging.take(rows), np.maximum(commute, LODGING_FLOOR), commute)
    near, far = _kind_rows(seeker.traits)
    kinds = index.kind.take(rows)
    table = np.empty((len(SIGNAL_NAMES), len(rows)), np.float64)
    np.minimum(skill, 1.0, out=table[0])
    np.minimum(desired, 1.0, out=table[1])
    table[2] = commute
    table[3] = np.where(minutes <= NEAR_HOME_MINUTES, near.take(kinds), far.take(kinds))
    table[4] = index.pay.take(rows)
    table[5] = index.freshness.take(rows)
    table[6] = index.boost.take(rows)
    np.round(table, 4, out=table)
    return [dict(zip(SIGNAL_NAMES, values, strict=True)) for values in table.T.tolist()]


def refer(
    laborer: Laborer,
    index: PostIndex,
    *,
    k: int = 10,
    weights: Weights = DEFAULT_WEIGHTS,
    today: dt.date,
    limits: AgeLimits | None = None,
    difficulty: bool | None = None,
    tier: str | None = None,
    exclude: Collection[str] = frozenset(),
    near_miss_k: int = NEAR_MISS_K,
) -> ReferralResult:
    """The top-k posts for a person, with reasons, exclusion counts and near misses."""
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    limits = limits or AgeLimits()
    if difficulty is not None and difficulty != laborer.difficulty:
        laborer = dataclasses.replace(laborer, difficulty=difficulty)
    reason = no_push_reason(laborer, today, limits)
    if reason is not None:
        return ReferralResult(laborer.laborer_id, [], {}, [], reason)
    seeker = seeker_for(laborer, index, today=today, tier=tier)
    rules = person_rules(seeker, index, today=today)
    ok = rules.ok
    short = np.flatnonzero(rules.others ^ ok)  # pass every rule but the certificate rule
    if exclude:
        rows_out = [index.row_of(post_id) for post_id in exclude if index.has(post_id)]
        if rows_out:
            ok[rows_out] = False
            short = short[~np.isin(short, rows_out)]  # nor offered again as a near miss
    text = accumulate_row(text_row(seeker, index, weights), index)
    # certificate near misses: posts failing only for one certificate, that the person fits
    # (some skill or desired-job match: text > 0)
    certificate_rows = (
        rules.one_short(short[text.take(short) > 0]) if near_miss_k >= 1 else short[:0]
    )
    # Only the eligible posts are scored, and those near misses, in one pass: the score of each
    # post is computed on its own, so these are the entries of score_all's row to the last bit.
    eligible = np.flatnonzero(ok)
    n_eligible = len(eligible)
    scored = score_rows(text, index, np.concatenate([eligible, certificate_rows]), seeker, weights)
    scores = scored[:n_eligible]
    top = top_k_all(scores, k)
    chosen = eligible.take(top)
    n_chosen = len(chosen)
    wanted = short[:0]
    if near_miss_k >= 1:
        ok[chosen] = False  # what is shown is not also a near miss
        wanted = _skill_candidates(seeker, index, ok)
    # the signals of what is shown and the desired-job fit of the skill near misses, together
    text_space = index.text
    skill, desired = _row_dots(
        index,
        [text_space.row(seeker.skills_text), text_space.row(seeker.desired_text)],
        np.concatenate([chosen, wanted]) if len(wanted) else chosen,
    )
    minutes = index.minutes[seeker.origin].take(chosen)
    signals = _signals(seeker, index, chosen, skill[:n_chosen], desired[:n_chosen], minutes)
    values = scores.take(top).tolist()
    referrals = [
        Referral(
            post_id=index.posts[r].post_id,
            score=values[i],
            reasons=reasons_for(seeker, index, r, minutes=m),
            signals=signals[i],
        )
        for i, (r, m) in enumerate(zip(chosen.tolist(), minutes.tolist(), strict=True))
    ]
    misses: list[NearMiss] = []
    if near_miss_k >= 1:
        wanted = wanted[desired[n_chosen:] >= DESIRED_FLOOR]
        rows = np.concatenate([certificate_rows, wanted])
        values_near = np.concatenate(
            [scored[n_eligible:], scores.take(np.searchsorted(eligible, wanted))]
        )
        misses = _rank_near_misses(
            seeker, index, rows, values_near, n_certificate=len(certificate_rows), k=near_miss_k
        )
    why = None
    if not referrals:
        why = shortage_from_masks({rule: mask[None, :] for rule, mask in rules.masks.items()})
    return ReferralResult(laborer.laborer_id, referrals, rules.excluded, misses, why)


def near_misses(
    seeker: Seeker,
    index: PostIndex,
    masks: dict[str, npt.NDArray[np.bool_]],
    *,
    raw: npt.NDArray[np.float32],
    fit: npt.NDArray[np.float32],
    ok: npt.NDArray[np.bool_],
    shown: set[int],
    k: int = NEAR_MISS_K,
    missing: npt.NDArray[np.float32] | None = None,
) -> list[NearMiss]:
    """Posts the person fits (some skill or desired-job match) that fail only for one missing
    certificate, or eligible wanted posts lacking one lexicon skill; best first, ties by post_id.
    """
    if k < 1:
        return []
    others = np.ones(len(index), dtype=bool)
    for rule in RULES:
        if rule != "certificate":
            others &= np.asarray(masks[rule]).reshape(-1)
    if missing is None:
        missing = missing_certificates(seeker_arrays([seeker], index), index)[0]
    one_short = np.asarray(missing).reshape(-1) == 1
    outside = np.asarray(ok).reshape(-1).copy()
    outside[list(shown)] = False
    flat = np.asarray(raw).reshape(-1)
    return _near_misses(
        seeker,
        index,
        score=lambda rows: flat[rows],
        certificate_rows=np.flatnonzero(others & one_short & (np.asarray(fit).reshape(-1) > 0)),
        ok=outside,
        k=k,
    )


training = cache(training_for)


def _near_misses(
    seeker: Seeker,
    index: PostIndex,
    *,
    score: Callable[[npt.NDArray[np.intp]], npt.NDArray[np.float32]],
    certificate_rows: npt.NDArray[np.intp],
    ok: npt.NDArray[np.bool_],
    k: int,
) -> list[NearMiss]:
    """The k best near misses: ``certificate_rows`` (posts failing only for one certificate,
    that the person fits) and eligible posts of ``ok`` the person wants that lack one skill."""
    if k < 1:
        return []
    certificate_rows = certificate_rows.astype(np.intp)
    wanted = _skill_candidates(seeker, index, ok)
    if len(wanted):
        (desired,) = _row_dots(index, [index.text.row(seeker.desired_text)], wanted)
        wanted = wanted[desired >= DESIRED_FLOOR]
    rows = np.concatenate([certificate_rows, wanted])
    return _rank_near_misses(
        seeker, index, rows, score(rows), n_certificate=len(certificate_rows), k=k
    )


def _skill_candidates(
    seeker: Seeker, index: PostIndex, ok: npt.NDArray[np.bool_]
) -> npt.NDArray[np.intp]:
    """The posts of ``ok`` naming a lexicon skill the person has and exactly one they do not
    (ascending rows), when the person names a desired job."""
    have = seeker.skills | seeker.desired
    skills = index.text.skills
    held = [skills[s] for s in have if s in skills]
    if not (seeker.desired_text and held):
        return np.zeros(0, np.intp)
    by_skill = index.skill_posts
    pointers = by_skill.indptr
    lists = [by_skill.indices[pointers[c] : pointers[c + 1]] for c in held]
    # a post's postings are all kept or all dropped by ``ok``: its count of skills held is whole
    named: npt.NDArray[np.intp]
    found: npt.NDArray[np.intp]
    if len(lists) == 1:
        named = lists[0].astype(np.intp)
        named = named[ok.take(named)]
        found = named[index.skill_counts.take(named) == 2]
        return found
    postings = np.concatenate(lists)
    postings = postings[ok.take(postings)]
    if len(postings) == 0:
        return np.zeros(0, np.intp)
    postings.sort()
    first = np.empty(len(postings), dtype=bool)
    first[0] = True
    np.not_equal(postings[1:], postings[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(starts, append=len(postings))
    named = postings.take(starts).astype(np.intp)
    found = named[index.skill_counts.take(named) - counts == 1]
    return found


def _rank_near_misses(
    seeker: Seeker,
    index: PostIndex,
    rows: npt.NDArray[np.intp],
    values: npt.NDArray[np.float32],
    *,
    n_certificate: int,
    k: int,
) -> list[NearMiss]:
    """The k best near misses among ``rows`` (the first ``n_certificate`` lack a certificate,
    the others a skill) by score, ties by post_id, with what is lacking and its training."""
    if len(rows) == 0:
        return []
    order = np.lexsort((rows, -values))[:k]
    have = seeker.skills | seeker.desired
    out: list[NearMiss] = []
    for at, r, value in zip(
        order.tolist(), rows.take(order).tolist(), values.take(order).tolist(), strict=True
    ):
        if at < n_certificate:
            lacking = min(index.post_certs[r] - seeker.certificates)
        else:
            lacking = min(index.post_skill_sets[r] - have)
        out.append(NearMiss(index.posts[r].post_id, lacking, training(lacking), round(value, 4)))
    return out


def shortage_from_masks(masks: dict[str, npt.NDArray[np.bool_]], row: int = 0) -> str:
    """Why a person has no eligible post, in Chinese, from the rules' masks."""
    place = masks["reserved_public_welfare"][row] & masks["directed_pairing"][row]
    local = place & masks["commute"][row]
    if not local.any():
        return "通勤范围内无岗位"
    local_open = local & masks["closed"][row] & masks["suspended_employer"][row]
    if not local_open.any():
        return "范围内岗位已满"
    with_age = local_open & masks["age"][row]
    if not with_age.any():
        return "年龄不符"
    if not (with_age & masks["certificate"][row]).any():
        return "缺少证书"
    return "符合条件的岗位不足"


__all__ = [
    "NearMiss",
    "Referral",
    "ReferralResult",
    "near_misses",
    "reasons_for",
    "refer",
    "seeker_for",
    "shortage_from_masks",
    "signals_for",
]
