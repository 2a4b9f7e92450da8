"""Verification of a person's situation, as the policy's §一(二) lays it out.

- already registered (转移就业登记 or 失业登记) → keep the registration ("已登记");
- not registered, without work or farming, wishing to work → "待登记": 转移就业登记 for
  农业户籍, 失业登记 for 非农业户籍, and a candidate for 就业困难人员 confirmation;
- no wish to work → "暂无就业意愿", and the person signs a confirmation (pending until the
  counselor records it collected).
People outside working age or excluded are flagged ("非劳动年龄" / "不纳入帮扶"), the employed
are "已就业".
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from features.columnar import codes_of, spread
from features.eligibility import (
    EMPLOYED,
    GRADUATE,
    AgeLimits,
    age_reason,
    age_reason_of,
    no_push_reason,
)
from features.laborer import FIELD_AT, Laborer, years_between

STATUS_EMPLOYED = "已就业"
STATUS_REGISTERED = "已登记"
STATUS_TO_REGISTER = "待登记"
STATUS_NO_WISH = "暂无就业意愿"
STATUS_OUT_OF_AGE = "非劳动年龄"
STATUS_EXCLUDED = "不纳入帮扶"
STATUSES: tuple[str, ...] = (
    STATUS_TO_REGISTER,
    STATUS_REGISTERED,
    STATUS_EMPLOYED,
    STATUS_NO_WISH,
    STATUS_OUT_OF_AGE,
    STATUS_EXCLUDED,
)
REGISTERED_KINDS: tuple[str, ...] = ("转移就业登记", "失业登记")


@dataclass(frozen=True, slots=True)
class Verification:
    """The verified status of one person on one day, and what the counselor must do next."""

    status: str
    registration_needed: str | None  # 转移就业登记 / 失业登记 when status is 待登记
    difficulty_candidate: bool
    confirmation_pending: bool  # the signed "no wish to work" confirmation is still missing
    note: str


def registration_kind(hukou: str) -> str:
    """The registration a person without one needs: 转移就业登记 for 农业, else 失业登记."""
    return "转移就业登记" if hukou == "农业" else "失业登记"


def verify(
    laborer: Laborer,
    day: dt.date,
    limits: AgeLimits,
    *,
    confirmation_collected: bool = False,
) -> Verification:
    """The §一(二) status of ``laborer`` on ``day``."""
    if (reason := age_reason(laborer, day, limits)) is not None:
        return Verification(STATUS_OUT_OF_AGE, None, False, False, reason)
    if laborer.exclusion and laborer.exclusion != GRADUATE:
        return Verification(STATUS_EXCLUDED, None, False, False, laborer.exclusion)
    if laborer.employment == EMPLOYED:
        return Verification(STATUS_EMPLOYED, None, False, False, "已就业，持续跟踪稳岗")
    registered = laborer.registration in REGISTERED_KINDS
    if not laborer.wants_job:
        note = "暂无就业意愿，由本人签字确认"
        if registered:
            note += f"；已办理{laborer.registration}，保持登记"
        if confirmation_collected:
            note += "（签字确认已收回）"
        return Verification(STATUS_NO_WISH, None, False, not confirmation_collected, note)
    if registered:
        return Verification(
            STATUS_REGISTERED, None, False, False, f"已办理{laborer.registration}，保持登记"
        )
    kind = registration_kind(laborer.hukou)
    candidate = not laborer.difficulty
    note = f"{laborer.employment}且有就业意愿，应办理{kind}"
    if candidate:
        note += "，符合条件的认定为就业困难人员"
    return Verification(STATUS_TO_REGISTER, kind, candidate, False, note)


class StatusAssessor:
    """The verified status and the no-push reason of many rows of laborer values on one day.

    Both depend only on the age band (from birth date and sex), the exclusion, employment,
    registration and the wish to work; each distinct combination is verified once, on the
    first laborer that has it. Rows are ``Laborer`` field values in declaration order.
    """

    def __init__(self, day: dt.date, limits: AgeLimits) -> None:
        self.day = day
        self.limits = limits
        self._ages: dict[tuple[object, object], str | None] = {}
        self._memo: dict[tuple[object, ...], tuple[str, str | None]] = {}
        self._key = operator.itemgetter(
            FIELD_AT["exclusion"],
            FIELD_AT["employment"],
            FIELD_AT["registration"],
            FIELD_AT["wants_job"],
        )
        self._birth, self._sex = FIELD_AT["birth_date"], FIELD_AT["sex"]
        self._parts = operator.itemgetter(
            self._birth,
            self._sex,
            FIELD_AT["exclusion"],
            FIELD_AT["employment"],
            FIELD_AT["registration"],
            FIELD_AT["wants_job"],
        )
        self._birth_of = operator.itemgetter(self._birth)
        self._sex_of = operator.itemgetter(self._sex)

    def rows(self, rows: Sequence[Sequence[object]]) -> list[tuple[str, str | None]]:
        """:meth:`__call__` for many rows at once, column by column: each column coded by its
        distinct values, each distinct birth date and sex given its age reason, and each
        distinct combination verified once, on the first row that has it."""
        if len(rows) >= _CODED_FROM:
            return self._coded(rows)
        if not rows:
            return []
        people = list(zip(map(self._birth_of, rows), map(self._sex_of, rows), strict=True))
        ages = self._ages
        for person in set(people).difference(ages):
            ages[person] = age_reason_of(*person, self.day, self.limits)
        keys = [
            (age, *rest)
            for age, rest in zip(map(ages.__getitem__, people), map(self._key, rows), strict=True)
        ]
        memo = self._memo
        missing = set(keys).difference(memo)
        if missing:
            for i, key in enumerate(keys):
                if key in missing:
                    self(rows[i])
                    missing.discard(key)
                    if not missing:
                        break
        return list(map(memo.__getitem__, keys))

    def _coded(self, rows: Sequence[Sequence[object]]) -> list[tuple[str, str | None]]:
        parts = zip(*map(self._parts, rows), strict=True)
        (births, birth), (sexes, sex), *rest = map(codes_of, parts)
        years = np.array([years_between(b, self.day) for b in births], dtype=np.int64)[birth]
        oldest = np.array([self.limits.max_age(s) for s in sexes], dtype=np.int64)[sex]
        key = (years < self.limits.min_age) + 2 * (years > oldest)  # as age_reason_of: 0, 1, 2
        for values, codes in rest:
            key = key * len(values) + codes
        _, first, which = np.unique(key, return_index=True, return_inverse=True)
        return spread([self(rows[i]) for i in first.tolist()], which.reshape(-1))

    def __call__(self, row: Sequence[object]) -> tuple[str, str | None]:
        """(status, no-push reason or None) of one row."""
        person = (row[self._birth], row[self._sex])
        age = self._ages.get(person, _UNSET)
        if age is _UNSET:
            age = self._ages[person] = age_reason_of(*person, self.day, self.limits)  # type: ignore[arg-type]
        key = (age, *self._key(row))
        found = self._memo.get(key)
        if found is None:
            laborer = Laborer(*row)  # type: ignore[arg-type]
            status = verify(laborer, self.day, self.limits).status
            found = self._memo[key] = (status, no_push_reason(laborer, self.day, self.limits))
        return found


_UNSET: Any = object()
_CODED_FROM = 256  # rows: fewer are keyed one by one


__all__ = [
    "REGISTERED_KINDS",
    "STATUSES",
    "STATUS_EMPLOYED",
    "STATUS_EXCLUDED",
    "STATUS_NO_WISH",
    "STATUS_OUT_OF_AGE",
    "STATUS_REGISTERED",
    "STATUS_TO_REGISTER",
    "StatusAssessor",
    "Verification",
    "registration_kind",
    "verify",
]
