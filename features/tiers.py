"""The assistance tier (帮扶级别: general / key / special) from a rule table kept in TOML.

The rules are data (``features/data/tiers.toml`` by default, or a district's own file named by
the ``tier_rules`` setting): each rule's conditions, its points, an optional floor tier and the
Chinese reason. A person's points are summed and compared with the thresholds; the reasons of
the rules that held explain the tier.
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from features.columnar import codes_of, spread
from features.laborer import (
    EDUCATION_LEVELS,
    FIELD_AT,
    LABORER_FIELDS,
    TIERS,
    Laborer,
    education_level,
    years_between,
)

_CONDITIONS = frozenset(
    {
        "age_min",
        "age_max",
        "education_at_most",
        "education_at_least",
        "no_skills",
        "has_certificate",
        "months_without_work_min",
        "health",
        "family_any",
        "difficulty",
        "employment",
        "sex",
    }
)
_RULE_KEYS = _CONDITIONS | {"points", "reason", "min_tier"}
NO_BARRIER = "无明显就业障碍，自助服务或一般性指导"


@dataclass(frozen=True, slots=True)
class TierRule:
    """One row of the rule table: conditions (None = not checked), points, floor, reason."""

    reason: str
    points: int = 0
    min_tier: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    education_at_most: int | None = None  # an education level (index of EDUCATION_LEVELS)
    education_at_least: int | None = None
    no_skills: bool | None = None
    has_certificate: bool | None = None
    months_without_work_min: int | None = None
    health: frozenset[str] | None = None
    family_any: tuple[str, ...] | None = None
    difficulty: bool | None = None
    employment: frozenset[str] | None = None
    sex: str | None = None

    def holds(self, laborer: Laborer, age: int) -> bool:
        """True when every condition of the rule holds for ``laborer`` aged ``age``."""
        if not self.allows_age(age):
            return False
        if not self.allows_education(laborer.education):
            return False
        if self.no_skills is not None and self.no_skills == bool(
            laborer.skills or laborer.certificates
        ):
            return False
        if self.has_certificate is not None and self.has_certificate != bool(laborer.certificates):
            return False
        if not self.allows_months(laborer.months_without_work):
            return False
        if not self.allows_health(laborer.health):
            return False
        if not self.allows_family(laborer.family):
            return False
        if self.difficulty is not None and self.difficulty != laborer.difficulty:
            return False
        if self.employment is not None and laborer.employment not in self.employment:
            return False
        return self.sex is None or self.sex == laborer.sex

    def allows_age(self, age: int) -> bool:
        """Whether ``age`` is within the rule's age limits (none: any age)."""
        return (self.age_min is None or age >= self.age_min) and (
            self.age_max is None or age <= self.age_max
        )

    def allows_education(self, education: str | None) -> bool:
        """Whether an education is within the rule's education limits (none: any)."""
        most, least = self.education_at_most, self.education_at_least
        if most is None and least is None:
            return True
        level = education_level(education)
        return (most is None or level <= most) and (least is None or level >= least)

    def allows_health(self, health: str | None) -> bool:
        """Whether a health state (blank: 健康) is one the rule names (none: any)."""
        return self.health is None or (health or "健康") in self.health

    def allows_months(self, months: int | None) -> bool:
        """Whether months without work reach the rule's least (unknown months do not; no
        least: any)."""
        least = self.months_without_work_min
        return least is None or (months is not None and months >= least)

    def allows_family(self, family: Sequence[str]) -> bool:
        """Whether an item of the family situation holds one of the rule's words (none: any)."""
        words = self.family_any
        return words is None or any(word in item for item in family for word in words)


@dataclass(frozen=True, slots=True)
class TierRules:
    """The whole table: the rules in file order and the point thresholds of key and special."""

    rules: tuple[TierRule, ...]
    key_points: int
    special_points: int


@dataclass(frozen=True, slots=True)
class TierAssessment:
    """A person's tier (general/key/special) and the Chinese reasons that produced it."""

    tier: str
    reasons: tuple[str, ...]


def _education(value: Any, where: str) -> int:
    if value not in EDUCATION_LEVELS:
        raise ValueError(f"{where}: education must be one of {EDUCATION_LEVELS}, got {value!r}")
    return EDUCATION_LEVELS.index(value)


def _rule(raw: dict[str, Any], n: int) -> TierRule:
    where = f"rule {n}"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    if not isinstance(raw.get("reason"), str) or not raw["reason"]:
        raise ValueError(f"{where}: a non-empty 'reason' is required")
    min_tier = raw.get("min_tier")
    if min_tier is not None and min_tier not in TIERS:
        raise ValueError(f"{where}: min_tier must be one of {TIERS}, got {min_tier!r}")
    values: dict[str, Any] = {
        "reason": raw["reason"],
        "points": int(raw.get("points", 0)),
        "min_tier": min_tier,
    }
    for name in ("age_min", "age_max", "months_without_work_min"):
        if name in raw:
            values[name] = int(raw[name])
    for name in ("education_at_most", "education_at_least"):
        if name in raw:
            values[name] = _education(raw[name], where)
    for name in ("no_skills", "has_certificate", "difficulty"):
        if name in raw:
            if not isinstance(raw[name], bool):
                raise ValueError(f"{where}: {name} must be true or false")
            values[name] = raw[name]
    for name in ("health", "employment"):
        if name in raw:
            values[name] = frozenset(str(v) for v in raw[name])
    if "family_any" in raw:
        values["family_any"] = tuple(str(v) for v in raw["family_any"])
    if "sex" in raw:
        values["sex"] = str(raw["sex"])
    return TierRule(**values)


def parse_tier_rules(text: str) -> TierRules:
    """A rule table from TOML text; raises ValueError naming the faulty rule."""
    data = tomllib.loads(text)
    thresholds = data.get("thresholds", {})
    key_points = int(thresholds.get("key", 3))
    special_points = int(thresholds.get("special", 6))
    if special_points < key_points:
        raise ValueError("thresholds: special must be >= key")
    rules = tuple(_rule(raw, n) for n, raw in enumerate(data.get("rule", []), start=1))
    return TierRules(rules, key_points, special_points)


def load_tier_rules(path: Path | None = None) -> TierRules:
    """The rule table of ``path``, or the one shipped in ``features/data/tiers.toml``."""
    if path is None:
        return _shipped_rules()
    return parse_tier_rules(path.read_text(encoding="utf-8"))


@cache
def _shipped_rules() -> TierRules:
    text = (resources.files("features") / "data" / "tiers.toml").read_text(encoding="utf-8")
    return parse_tier_rules(text)


_RANK = {tier: i for i, tier in enumerate(TIERS)}
_UNSET = object()


def assess_tier(laborer: Laborer, day: dt.date, rules: TierRules) -> TierAssessment:
    """The tier of ``laborer`` on ``day`` and the reasons of the rules that produced it."""
    age = laborer.age_on(day)
    return _assessment([rule for rule in rules.rules if rule.holds(laborer, age)], rules)


def _assessment(held: Sequence[TierRule], rules: TierRules) -> TierAssessment:
    """The tier and reasons of a person for whom the rules ``held`` (in table order) hold."""
    points = 0
    floor = 0
    reasons: list[str] = []
    for rule in held:
        points += rule.points
        if rule.min_tier is not None:
            floor = max(floor, _RANK[rule.min_tier])
        reasons.append(rule.reason)
    if points >= rules.special_points:
        rank = 2
    elif points >= rules.key_points:
        rank = 1
    else:
        rank = 0
    rank = max(rank, floor)
    if not reasons:
        reasons.append(NO_BARRIER)
    return TierAssessment(TIERS[rank], tuple(reasons))


class TierAssessor:
    """:func:`assess_tier` for many people on one day, memoised on what the rules can see.

    Two people who agree on every condition the table tests (the same band of its age limits,
    of its education levels and of its months limits, the same health where a rule names it,
    the same family words, and difficulty, employment and sex where a rule tests them) get the
    same assessment; a 100,000-row roster has a few thousand such profiles.
    """

    def __init__(self, day: dt.date, rules: TierRules) -> None:
        self.day = day
        self.rules = rules
        table = rules.rules
        ages = {r.age_min for r in table if r.age_min is not None}
        ages |= {r.age_max + 1 for r in table if r.age_max is not None}
        self._ages = sorted(ages)
        levels = {r.education_at_most + 1 for r in table if r.education_at_most is not None}
        levels |= {r.education_at_least for r in table if r.education_at_least is not None}
        self._levels = sorted(levels)
        self._months = sorted(
            {r.months_without_work_min for r in table if r.months_without_work_min is not None}
        )
        self._health = frozenset(h for r in table for h in (r.health or ()))
        self._words = tuple(sorted({w for r in table for w in (r.family_any or ())}))
        self._difficulty = any(r.difficulty is not None for r in table)
        self._employment = any(r.employment is not None for r in table)
        self._sex = any(r.sex is not None for r in table)
        self._memo: dict[tuple[object, ...], TierAssessment] = {}
        self._parts: dict[object, object] = {}
        self._by_mask: dict[int, TierAssessment] = {}

    def _part(self, item: tuple[str, object]) -> object:
        """The band or value of one part of the memo key (computed once per distinct value)."""
        found = self._parts.get(item, _UNSET)
        if found is not _UNSET:
            return found
        kind, value = item
        if kind == "education":
            level = education_level(value if isinstance(value, str) else None)
            found = bisect.bisect_right(self._levels, level)
        elif kind == "months":
            found = -1 if value is None else bisect.bisect_right(self._months, int(value))  # type: ignore[call-overload]
        elif kind == "health":
            health = value or "健康"
            found = health if health in self._health else ""
        else:
            family: tuple[str, ...] = value  # type: ignore[assignment]
            found = tuple(w for w in self._words if any(w in item for item in family))
        self._parts[item] = found
        return found

    def __call__(self, laborer: Laborer) -> TierAssessment:
        """The laborer's assessment on the assessor's day."""
        return self.rows([_LABORER_VALUES(laborer)])[0]

    def rows(self, rows: Sequence[Sequence[object]]) -> list[TierAssessment]:
        """The assessments of rows of ``Laborer`` field values, column by column.

        Many rows (an import) are assessed rule by rule with numpy (:meth:`_by_rule`); a few
        (a person's change) through the memo, where each part of the memo key is looked up
        once per distinct value of its column (people share birth dates, education, months,
        health and family words) and a laborer is built only for a key not seen before.
        """
        if not rows:
            return []
        if len(rows) >= _BY_RULE_FROM and len(self.rules.rules) <= _MOST_RULES:
            return self._by_rule(rows)
        (
            birth,
            sex,
            employment,
            education,
            skills,
            certificates,
            family,
            months,
            difficulty,
            health,
        ) = zip(*map(_ROW_PARTS, rows), strict=True)
        parts, day, ages = self._parts, self.day, self._ages
        for b in set(birth).difference(parts):
            parts[b] = bisect.bisect_right(ages, years_between(b, day))
        n = len(rows)

        def part(kind: str, column: Sequence[object]) -> list[object]:
            lut = {v: self._part((kind, v)) for v in set(column)}
            return list(map(lut.__getitem__, column))

        family_lut = {f: self._part(("family", f)) if f else () for f in set(family)}
        keys = list(
            zip(
                map(parts.__getitem__, birth),
                part("education", education),
                [bool(s or c) + bool(c) for s, c in zip(skills, certificates, strict=True)],
                part("months", months),
                part("health", health),
                map(family_lut.__getitem__, family),
                difficulty if self._difficulty else repeat(False, n),
                employment if self._employment else repeat(False, n),
                sex if self._sex else repeat(False, n),
                strict=False,
            )
        )
        memo = self._memo
        missing = set(keys).difference(memo)
        if missing:
            for i, key in enumerate(keys):
                if key in missing:
                    laborer = Laborer(*rows[i])  # type: ignore[arg-type]
                    memo[key] = assess_tier(laborer, self.day, self.rules)
                    missing.discard(key)
                    if not missing:
                        break
        return list(map(memo.__getitem__, keys))

    def _by_rule(self, rows: Sequence[Sequence[object]]) -> list[TierAssessment]:
        """The assessments of many rows: each rule's conditions tested once per distinct value
        of the columns they read, the rules that hold for a row kept as the bits of a number,
        and each distinct number (a few hundred) made an assessment once."""
        parts = zip(*map(_ROW_PARTS, rows), strict=True)
        columns = dict(zip(_PARTS, map(codes_of, parts), strict=True))
        births, birth_codes = columns["birth_date"]
        ages = np.array([years_between(b, self.day) for b in births], dtype=np.int64)

        def test(part: str, holds: Callable[[Any], bool]) -> npt.NDArray[np.bool_]:
            values, codes = columns[part]
            return np.array([holds(v) for v in values], dtype=bool)[codes]

        certified = test("certificates", bool)
        skilled = test("skills", bool) | certified
        held = np.zeros(len(rows), dtype=np.uint64)
        for bit, rule in enumerate(self.rules.rules):  # each test runs before the next rule
            ok = np.ones(len(rows), dtype=bool)
            if rule.age_min is not None:
                ok &= (ages >= rule.age_min)[birth_codes]
            if rule.age_max is not None:
                ok &= (ages <= rule.age_max)[birth_codes]
            if rule.education_at_most is not None or rule.education_at_least is not None:
                ok &= test("education", rule.allows_education)
            if rule.no_skills is not None:
                ok &= skilled != rule.no_skills
            if rule.has_certificate is not None:
                ok &= certified == rule.has_certificate
            if rule.months_without_work_min is not None:
                ok &= test("months_without_work", rule.allows_months)
            if rule.health is not None:
                ok &= test("health", rule.allows_health)
            if rule.family_any is not None:
                ok &= test("family", rule.allows_family)
            if rule.difficulty is not None:
                ok &= test("difficulty", partial(operator.eq, rule.difficulty))
            if rule.employment is not None:
                ok &= test("employment", rule.employment.__contains__)
            if rule.sex is not None:
                ok &= test("sex", partial(operator.eq, rule.sex))
            held |= ok.astype(np.uint64) << np.uint64(bit)
        masks, which = np.unique(held, return_inverse=True)
        return spread([self._of_rules(int(m)) for m in masks.tolist()], which.reshape(-1))

    def _of_rules(self, mask: int) -> TierAssessment:
        """The assessment of a person for whom the rules of the bits of ``mask`` hold."""
        found = self._by_mask.get(mask)
        if found is None:
            held = [r for bit, r in enumerate(self.rules.rules) if mask >> bit & 1]
            found = self._by_mask[mask] = _assessment(held, self.rules)
        return found


_BY_RULE_FROM = 256  # rows: fewer go through the memo
_MOST_RULES = 63  # the rules that hold for a row are the bits of a 64-bit number


# What the memo key of :class:`TierAssessor` reads, from a row of a laborer's values.
_PARTS = (
    "birth_date",
    "sex",
    "employment",
    "education",
    "skills",
    "certificates",
    "family",
    "months_without_work",
    "difficulty",
    "health",
)
_LABORER_VALUES = operator.attrgetter(*LABORER_FIELDS)
_ROW_PARTS = operator.itemgetter(*(FIELD_AT[name] for name in _PARTS))


__all__ = [
    "NO_BARRIER",
    "TierAssessment",
    "TierAssessor",
    "TierRule",
    "TierRules",
    "assess_tier",
    "load_tier_rules",
    "parse_tier_rules",
]
