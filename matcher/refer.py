"""Referrals for one person: the top-k posts with scores and reasons, what was excluded and
why, and near misses — posts the person would fit but for one certificate or skill, with the
training that closes the gap (the policy's sixth section: 技能培训).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from catalogue.models import DIRECTED, HOME_BASED, PUBLIC_WELFARE
from features.eligibility import AgeLimits, no_push_reason
from features.laborer import Laborer
from features.skills import training_for
from matcher.index import PostIndex
from matcher.person import Seeker, seeker_arrays, seeker_of, text_row
from matcher.rules import RULES, exclusion_counts, missing_certificates, passes_all, rule_masks
from matcher.score import TextRow, accumulate_row, score_block, text_part, top_k
from matcher.signals import LODGING_FLOOR, NEAR_HOME_MINUTES, TRAITS, kind_tables
from matcher.weights import DEFAULT_WEIGHTS, Weights

NEAR_MISS_K = 5
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


def _row_dots(
    index: PostIndex, row: TextRow, post_rows: npt.NDArray[np.int32]
) -> npt.NDArray[np.float32]:
    """Dot products of one person's text row with the text features of some posts."""
    dense = np.zeros(index.text.size, np.float32)
    dense[row[0]] = row[1]
    t = index.text_rows
    out = np.zeros(len(post_rows), np.float32)
    for i, r in enumerate(post_rows.tolist()):
        start, end = t.indptr[r], t.indptr[r + 1]
        out[i] = float(np.dot(dense[t.indices[start:end]], t.data[start:end]))
    return out


def signals_for(
    seeker: Seeker, index: PostIndex, rows: npt.NDArray[np.int32]
) -> list[dict[str, float]]:
    """Each soft signal (in [0, 1]) of the seeker for the given post rows."""
    if len(rows) == 0:
        return []
    skill = _row_dots(index, index.text.row(seeker.skills_text), rows)
    desired = _row_dots(index, index.text.row(seeker.desired_text), rows)
    commute = index.commute_signal[seeker.origin, rows]
    if seeker.accepts_lodging:
        commute = np.where(index.lodging[rows], np.maximum(commute, LODGING_FLOOR), commute)
    near_rows, far_rows = kind_tables(np.array([seeker.traits], dtype=bool))
    kinds = index.kind[rows]
    near_home = index.minutes[seeker.origin, rows] <= NEAR_HOME_MINUTES
    kind = np.where(near_home, near_rows[0, kinds], far_rows[0, kinds])
    out = []
    for i, r in enumerate(rows):
        out.append(
            {
                "skill": round(min(float(skill[i]), 1.0), 4),
                "desired": round(min(float(desired[i]), 1.0), 4),
                "commute": round(float(commute[i]), 4),
                "kind": round(float(kind[i]), 4),
                "pay": round(float(index.pay[r]), 4),
                "freshness": round(float(index.freshness[r]), 4),
                "boost": round(float(index.boost[r]), 4),
            }
        )
    return out


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
    people = seeker_arrays([seeker], index)
    missing = missing_certificates(people, index)
    masks = rule_masks(people, index, today=today, missing=missing)
    ok = passes_all(masks)
    excluded = exclusion_counts(masks)
    for post_id in exclude:
        if index.has(post_id):
            ok[0, index.row_of(post_id)] = False
    text = text_part([text_row(seeker, index, weights)], index)
    fit = text[0].copy()
    raw = score_block(people, text, index, weights)
    rows, values = top_k(raw, k, ok)
    chosen = rows[0][rows[0] >= 0]
    signals = signals_for(seeker, index, chosen)
    referrals = [
        Referral(
            post_id=index.posts[r].post_id,
            score=float(values[0, i]),
            reasons=reasons_for(seeker, index, int(r)),
            signals=signals[i],
        )
        for i, r in enumerate(chosen)
    ]
    misses = near_misses(
        seeker,
        index,
        masks,
        raw=raw[0],
        fit=fit,
        ok=ok[0],
        missing=missing[0],
        shown=set(chosen.tolist()),
        k=near_miss_k,
    )
    why = None if referrals else shortage_from_masks(masks)
    return ReferralResult(laborer.laborer_id, referrals, excluded, misses, why)


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
            others &= masks[rule][0]
    found: list[tuple[float, int, str]] = []
    if index.certificates:
        if missing is None:
            missing = missing_certificates(seeker_arrays([seeker], index), index)[0]
        for r in np.flatnonzero(others & (missing == 1) & (fit > 0)):
            lacking = sorted(index.post_certs[r] - seeker.certificates)
            found.append((float(raw[r]), int(r), lacking[0]))
    if seeker.desired_text:
        desired = accumulate_row(index.text.row(seeker.desired_text), index)
        have = seeker.skills | seeker.desired
        held = np.zeros(index.post_skills.shape[1], np.float32)
        held[[index.text.skills[s] for s in have if s in index.text.skills]] = 1.0
        named = np.diff(index.post_skills.indptr)  # lexicon skills each post names
        lacking_one = (named > 1) & (named - index.post_skills @ held == 1)
        for r in np.flatnonzero(ok & lacking_one & (desired >= DESIRED_FLOOR)):
            if int(r) in shown:
                continue
            lacking = sorted(index.post_skill_sets[r] - have)
            found.append((float(raw[r]), int(r), lacking[0]))
    found.sort(key=lambda t: (-t[0], t[1]))
    return [
        NearMiss(index.posts[r].post_id, missing, training_for(missing), round(score, 4))
        for score, r, missing in found[:k]
    ]


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
