"""The hard rules (DESIGN §5) as boolean masks over every post at once.

Each rule gives a mask of shape (n, m), True where the post passes for the person. A post that
fails any rule is never shown or pushed. Rules, in the order exclusions are counted (a post is
counted once, under the first rule it fails, so the counts add up to the posts excluded):

``closed``
    the post is open, not past its closing date, and has places left;
``suspended_employer``
    the employer is not suspended by the district;
``reserved_public_welfare``
    a 公益性岗位 goes only to confirmed difficulty persons of the townships it serves
    (policy: 公益性岗位 托底安置 就业困难人员);
``directed_pairing``
    a 定向招聘 post goes only to people of the output districts (or ``output_townships``) of
    active agreements naming both its uploader as partner and its employer;
``age``
    the person's age is within the post's 最低年龄–最高年龄;
``commute``
    the estimated commute is within the person's tolerance (60 minutes when unstated), unless
    the post offers lodging and the person accepts it; 居家就业 has no commute;
``certificate``
    every certificate the post requires is held.

Whether the person needs work at all (working age, not excluded, wants a job, not employed) is
decided before the rules, by :func:`features.eligibility.no_push_reason`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from catalogue.models import DIRECTED, POST_KINDS, PUBLIC_WELFARE
from matcher.index import PostIndex
from matcher.person import Seeker, SeekerArrays
from matcher.score import distinct_keys

RULES: tuple[str, ...] = (
    "closed",
    "suspended_employer",
    "reserved_public_welfare",
    "directed_pairing",
    "age",
    "commute",
    "certificate",
)
_PW = POST_KINDS.index(PUBLIC_WELFARE)
_DIRECTED = POST_KINDS.index(DIRECTED)

Mask = npt.NDArray[np.bool_]


def static_mask(index: PostIndex, *, today: dt.date) -> Mask:
    """Posts that pass the rules that do not depend on the person (m,)."""
    mask: Mask = index.open_mask(today) & ~index.suspended
    return mask


def missing_certificates(people: SeekerArrays, index: PostIndex) -> npt.NDArray[np.float32]:
    """How many required certificates each person lacks for each post (n, m)."""
    counts = np.zeros((len(people), len(index)), np.float32)
    if index.certificates:
        # Sums of rows rather than a BLAS product: one person is the online case, and a
        # threaded BLAS call for a single row is slow on a busy machine.
        for i, lacks in enumerate(people.lacks):
            counts[i] = index.cert_required_t[np.flatnonzero(lacks)].sum(axis=0)
    return counts


def rule_masks(
    people: SeekerArrays,
    index: PostIndex,
    *,
    today: dt.date,
    missing: npt.NDArray[np.float32] | None = None,
) -> dict[str, Mask]:
    """Every rule's mask (n, m), True where the post passes, keyed by rule name.

    ``missing`` is :func:`missing_certificates`, when the caller has it already.
    """
    n, m = len(people), len(index)
    reach = index.reach[people.township_row]  # (n, m)
    is_pw = index.kind == _PW
    is_directed = index.kind == _DIRECTED
    minutes = index.minutes[people.origin]  # (n, m), 0 for home-based work
    lodging_ok = index.lodging[None, :] & people.accepts_lodging[:, None]
    return {
        "closed": np.broadcast_to(index.open_mask(today), (n, m)),
        "suspended_employer": np.broadcast_to(~index.suspended, (n, m)),
        "reserved_public_welfare": ~is_pw[None, :] | (reach & people.difficulty[:, None]),
        "directed_pairing": ~is_directed[None, :] | reach,
        "age": (index.min_age[None, :] <= people.age[:, None])
        & (people.age[:, None] <= index.max_age[None, :]),
        "commute": (minutes <= people.tolerance[:, None]) | lodging_ok,
        "certificate": (missing_certificates(people, index) if missing is None else missing) == 0,
    }


def eligible(people: SeekerArrays, index: PostIndex, *, today: dt.date) -> Mask:
    """Posts that pass every rule (n, m): the AND of :func:`rule_masks`, computed lean.

    The place rules (pairing, reserved posts, commute) depend only on the person's township,
    place, tolerance, lodging answer and difficulty status, the age rule only on the age, the
    certificate rule only on the certificates held: each is computed once per distinct value
    and combined by whole rows.
    """
    static = static_mask(index, today=today)
    pw = index.kind == _PW
    open_to_all = ~((index.kind == _PW) | (index.kind == _DIRECTED))
    place_keys: list[tuple[int, int, float, bool, bool]] = list(
        zip(
            people.township_row.tolist(),
            people.origin.tolist(),
            people.tolerance.tolist(),
            people.accepts_lodging.tolist(),
            people.difficulty.tolist(),
            strict=True,
        )
    )
    places, place_of = distinct_keys(place_keys)
    place_rows = np.empty((len(places), len(index)), dtype=bool)
    for j, key in enumerate(places):
        township_row, origin, tolerance, lodging, difficulty = key
        row = index.reach[township_row] | open_to_all
        if not difficulty:
            row &= ~pw
        near = index.minutes[origin] <= np.float32(tolerance)
        if lodging:
            near |= index.lodging
        row &= near
        row &= static
        place_rows[j] = row
    ages, age_of = distinct_keys(people.age.tolist())
    age_values = np.array(ages, dtype=np.int16)[:, None]
    age_rows = (index.min_age[None, :] <= age_values) & (age_values <= index.max_age[None, :])
    ok = place_rows[place_of]
    ok &= age_rows[age_of]
    if index.certificates:
        held, held_of = distinct_keys([r.tobytes() for r in people.lacks])
        rows = np.stack(
            [
                index.cert_required_t[np.flatnonzero(np.frombuffer(bytes(h), np.float32))].sum(0)
                == 0
                for h in held
            ]
        )
        ok &= rows[held_of]
    return ok


@dataclass(frozen=True, slots=True)
class PersonRules:
    """The hard rules for one person over every post (each array (m,), read-only)."""

    masks: dict[str, Mask]  # each rule's mask, True where the post passes
    ok: Mask  # passes every rule
    others: Mask  # passes every rule but the certificate rule
    excluded: dict[str, int]  # as :func:`exclusion_counts`
    lacking: npt.NDArray[np.uint64] | npt.NDArray[np.float32]  # certificate bits, or counts

    def one_short(self, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        """The posts among ``rows`` that lack exactly one required certificate."""
        lacking = self.lacking[rows]
        if lacking.dtype == np.uint64:
            bits = lacking.astype(np.uint64)
            one = (bits != 0) & ((bits & (bits - np.uint64(1))) == 0)
        else:
            one = lacking == 1
        found: npt.NDArray[np.intp] = rows[one]
        return found


# Rows kept per index for each memoised rule: 20 kB per age, 180 kB per set of certificates
# held (for 20,000 posts); people hold few distinct sets.
AGE_MEMO = 128
CERTIFICATE_MEMO = 64


def _memo(index: PostIndex, name: str, size: int) -> dict[object, object]:
    memo = index._cache.setdefault(name, {})
    assert isinstance(memo, dict)
    if len(memo) >= size:
        memo.clear()
    return memo


def _age_rule(age: int, index: PostIndex) -> Mask:
    """The age rule's mask of one age (memoised on the index; read-only)."""
    memo = _memo(index, "age", AGE_MEMO)
    found = memo.get(age)
    if found is None:
        mask = (index.min_age <= age) & (age <= index.max_age)
        mask.flags.writeable = False
        memo[age] = found = mask
    return found  # type: ignore[return-value]


def _certificate_rule(
    seeker: Seeker, index: PostIndex
) -> tuple[Mask, npt.NDArray[np.uint64] | npt.NDArray[np.float32]]:
    """The certificate rule's mask of one person, and what each post lacks: certificate bits
    (``index.cert_bits``) or, with more than 64 certificates, counts (memoised; read-only)."""
    held = frozenset(c for c in seeker.certificates if c in index.certificates)
    memo = _memo(index, "certificate", CERTIFICATE_MEMO)
    found = memo.get(held)
    if found is not None:
        return found  # type: ignore[return-value]
    lacking: npt.NDArray[np.uint64] | npt.NDArray[np.float32]
    if index.cert_bits is not None:
        lacking = index.cert_bits & np.uint64(~index.certificate_bits(held) & (2**64 - 1))
    else:
        lacking = np.zeros(len(index), np.float32)
        for j, c in enumerate(index.certificates):
            if c not in held:
                lacking += index.cert_required_t[j]
    certificate = lacking == 0
    certificate.flags.writeable = False
    lacking.flags.writeable = False
    memo[held] = (certificate, lacking)
    return certificate, lacking


def _static_rules(index: PostIndex, today: dt.date) -> tuple[Mask, Mask, Mask, int, int]:
    """The rules that do not depend on the person, for a day (memoised on the index): the
    ``closed`` and ``suspended_employer`` masks, their AND, and the posts each excludes."""
    key = ("static rules", today.toordinal())
    found = index._cache.get(key)
    if found is None:
        open_on = index.open_on(today)
        running = ~index.suspended
        both = open_on & running
        running.flags.writeable = False
        both.flags.writeable = False
        n_open = int(np.count_nonzero(open_on))
        found = (open_on, running, both, len(index) - n_open, n_open - int(np.count_nonzero(both)))
        index._cache[key] = found
    return found  # type: ignore[return-value]


def person_rules(seeker: Seeker, index: PostIndex, *, today: dt.date) -> PersonRules:
    """Every rule for one person, as :func:`rule_masks` decides them, on 1-D arrays.

    The online path: no (n, m) broadcasting, the masks of rules that do not depend on the
    person shared with the index (and their AND and counts memoised per day), the exclusion
    counts taken while the masks are combined.
    """
    open_on, running, static, n_closed, n_suspended = _static_rules(index, today)
    reach = index.reach[seeker.township_row]
    reserved = index.not_public_welfare | reach if seeker.difficulty else index.not_public_welfare
    commute = index.minutes[seeker.origin] <= np.float32(seeker.tolerance)
    if seeker.accepts_lodging:
        commute |= index.lodging
    certificate, lacking = _certificate_rule(seeker, index)
    masks: dict[str, Mask] = {
        "closed": open_on,
        "suspended_employer": running,
        "reserved_public_welfare": reserved,
        "directed_pairing": index.not_directed | reach,
        "age": _age_rule(seeker.age, index),
        "commute": commute,
        "certificate": certificate,
    }
    counts = {"closed": n_closed, "suspended_employer": n_suspended}
    remaining = static & reserved
    left = len(index) - n_closed - n_suspended
    now = int(np.count_nonzero(remaining))
    counts["reserved_public_welfare"] = left - now
    left = now
    for rule in ("directed_pairing", "age", "commute"):
        remaining &= masks[rule]
        now = int(np.count_nonzero(remaining))
        counts[rule] = left - now
        left = now
    others = remaining.copy()
    remaining &= certificate
    counts["certificate"] = left - int(np.count_nonzero(remaining))
    return PersonRules(masks, remaining, others, counts, lacking)


def exclusion_counts(masks: dict[str, Mask], row: int = 0) -> dict[str, int]:
    """Posts excluded for one person, each counted under the first rule it fails."""
    remaining = np.ones(masks[RULES[0]].shape[1], dtype=bool)
    counts: dict[str, int] = {}
    for rule in RULES:
        rejected = remaining & ~masks[rule][row]
        counts[rule] = int(rejected.sum())
        remaining &= masks[rule][row]
    return counts


def passes_all(masks: dict[str, Mask]) -> Mask:
    """The AND of every rule's mask (n, m)."""
    ok = np.ones(masks[RULES[0]].shape, dtype=bool)
    for rule in RULES:
        ok &= masks[rule]
    return ok


__all__ = [
    "RULES",
    "PersonRules",
    "eligible",
    "exclusion_counts",
    "missing_certificates",
    "passes_all",
    "person_rules",
    "rule_masks",
    "static_mask",
]
