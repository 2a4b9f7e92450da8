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
from matcher.score import TextRow, accumulate_row, score_rows, top_k_row
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


def reasons_for(seeker: Seeker, index: PostIndex, row: int) -> tuple[str, ...]:
    """The Chinese reasons a counselor can repeat: skills, commute, kind, lodging, age, pay."""
    post = index.posts[row]
    out: list[str] = []
    post_skills = index.post_skill_sets[row]
    matched = sorted(seeker.skills & post_skills)
    wanted = sorted((seeker.desired & post_skills) - set(matched))
    if matched:
        out.append("技能匹配：" + "、".join(matched))
    if wanted:
        out.append("期望工种：" + "、".join(wanted))
    minutes = float(index.minutes[seeker.origin, row])
    if post.kind == HOME_BASED:
        out.append("居家就业·无需通勤")
    elif post.lodging and seeker.accepts_lodging and minutes > seeker.tolerance:
        out.append("提供住宿·无需每日通勤")
    else:
        out.append(f"通勤约{_round_minutes(minutes)}分钟")
    if post.kind == DIRECTED:
        out.append(f"定向招聘·{post.uploader}对接")
    elif post.kind == PUBLIC_WELFARE:
        out.append("公益性岗位·托底安置")
    elif post.kind in WORKSHOP_KINDS and minutes <= NEAR_HOME_MINUTES:
        out.append(f"{post.kind}·离家近")
    if post.lodging and "提供住宿·无需每日通勤" not in out:
        out.append("提供住宿")
    if post.min_age is not None and post.max_age is not None:
        out.append(f"年龄要求{post.min_age}–{post.max_age}岁")
    elif post.min_age is not None:
        out.append(f"年龄要求{post.min_age}岁以上")
    elif post.max_age is not None:
        out.append(f"年龄要求{post.max_age}岁以下")
    if post.salary_min is not None and post.salary_max is not None:
        out.append(f"月薪{post.salary_min}–{post.salary_max}元")
    elif post.salary_min is not None:
        out.append(f"月薪{post.salary_min}元起")
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
    """Dot products of some person text rows with the text features of some posts."""
    out = [np.zeros(len(post_rows), np.float64) for _ in person_rows]
    if len(post_rows) == 0:
        return out
    t = index.text_rows
    positions, owner = _segments(t.indptr, post_rows)
    columns = t.indices[positions]
    data = t.data[positions]
    dense = np.zeros(index.text.size, np.float32)
    for i, (cols, vals) in enumerate(person_rows):
        if len(cols):
            dense[cols] = vals
            sums = np.bincount(owner, weights=dense[columns] * data, minlength=len(post_rows))
            out[i] = sums.astype(np.float64)
            dense[cols] = 0.0
    return out


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
    rows = np.asarray(rows, dtype=np.intp)
    origin = seeker.origin
    text = index.text
    skill, desired = _row_dots(
        index, [text.row(seeker.skills_text), text.row(seeker.desired_text)], rows
    )
    commute = index.commute_signal[origin, rows]
    if seeker.accepts_lodging:
        commute = np.where(index.lodging[rows], np.maximum(commute, LODGING_FLOOR), commute)
    near, far = _kind_rows(seeker.traits)
    kinds = index.kind[rows]
    kind = np.where(index.minutes[origin, rows] <= NEAR_HOME_MINUTES, near[kinds], far[kinds])
    table = np.empty((len(SIGNAL_NAMES), len(rows)), np.float64)
    table[0] = np.minimum(skill, 1.0)
    table[1] = np.minimum(desired, 1.0)
    table[2] = commute
    table[3] = kind
    table[4] = index.pay[rows]
    table[5] = index.freshness[rows]
    table[6] = index.boost[rows]
    columns = np.round(table, 4).T.tolist()
    return [dict(zip(SIGNAL_NAMES, values, strict=True)) for values in columns]


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
    if exclude:
        for post_id in exclude:
            if index.has(post_id):
                ok[index.row_of(post_id)] = False
    text = accumulate_row(text_row(seeker, index, weights), index)
    # Only the eligible posts are scored, and the few near misses: the score of each post is
    # computed on its own, so these are the entries of score_all's row to the last bit.
    eligible = np.flatnonzero(ok)
    scores = score_rows(text, index, eligible, seeker, weights)
    top = top_k_row(scores, np.ones(len(eligible), dtype=bool), k)
    chosen = eligible[top]
    signals = signals_for(seeker, index, chosen)
    values = scores[top].tolist()
    referrals = [
        Referral(
            post_id=index.posts[r].post_id,
            score=values[i],
            reasons=reasons_for(seeker, index, r),
            signals=signals[i],
        )
        for i, r in enumerate(chosen.tolist())
    ]
    outside = ok.copy()
    outside[chosen] = False
    # a certificate near miss fits the person (some skill or desired-job match: text > 0)
    short = np.flatnonzero(rules.others & ~rules.masks["certificate"])
    misses = _near_misses(
        seeker,
        index,
        score=lambda rows: score_rows(text, index, rows, seeker, weights),
        certificate_rows=rules.one_short(short[text[short] > 0]),
        ok=outside,
        k=near_miss_k,
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
    candidates = [certificate_rows.astype(np.intp)]
    have = seeker.skills | seeker.desired
    skills = index.text.skills
    held = [skills[s] for s in have if s in skills]
    if seeker.desired_text and held:
        # posts naming a skill the person has and exactly one they do not
        by_skill = index.skill_posts
        lists = [by_skill.indices[by_skill.indptr[c] : by_skill.indptr[c + 1]] for c in held]
        named: npt.NDArray[np.intp]
        counts: npt.NDArray[np.intp] | int
        if len(lists) == 1:
            named, counts = lists[0].astype(np.intp), 1
        else:
            unique, counts = np.unique(np.concatenate(lists), return_counts=True)
            named = unique.astype(np.intp)
        wanted = named[ok[named] & (index.skill_counts[named] - counts == 1)]
        if len(wanted):
            (desired,) = _row_dots(index, [index.text.row(seeker.desired_text)], wanted)
            candidates.append(wanted[desired >= DESIRED_FLOOR])
    rows = np.concatenate(candidates)
    if len(rows) == 0:
        return []
    values = score(rows)
    order = np.lexsort((rows, -values))[:k]
    out: list[NearMiss] = []
    by_certificate = set(certificate_rows.tolist())
    for r, value in zip(rows[order].tolist(), values[order].tolist(), strict=True):
        if r in by_certificate:
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
