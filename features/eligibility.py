"""Who the policy's measures are for: working age, the exclusions, and who needs pushes.

京人社 policy §一(一): 低收入农户劳动者 are men of 16–60 and women of 16–50, inclusive of the
whole final year (a man is of working age until the day before his 61st birthday). Students
(except this year's university graduates), active soldiers, people in prison or detention and
people who fully lost the ability to work are excluded. Excluded people and people outside
working age stay on the roster, flagged with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from features.laborer import Laborer, years_between

# Graduates of this year may be referred: they are on the roster like anyone else.
GRADUATE = "本年度高校毕业生"
UNDER_AGE = "未到劳动年龄"
OVER_AGE = "超过劳动年龄"
EMPLOYED = "已就业"
NO_WISH = "暂无就业意愿"


@dataclass(frozen=True, slots=True)
class AgeLimits:
    """Working-age limits in whole years, both ends inclusive (settings pass them in)."""

    min_age: int = 16
    max_age_men: int = 60
    max_age_women: int = 50

    def max_age(self, sex: str) -> int:
        """The upper limit for 男 or 女."""
        return self.max_age_men if sex == "男" else self.max_age_women


def age_reason(laborer: Laborer, day: dt.date, limits: AgeLimits) -> str | None:
    """ "未到劳动年龄" / "超过劳动年龄", or None for a person of working age on ``day``."""
    return age_reason_of(laborer.birth_date, laborer.sex, day, limits)


def age_reason_of(birth: dt.date, sex: str, day: dt.date, limits: AgeLimits) -> str | None:
    """:func:`age_reason` from the birth date and sex alone (for rows not yet laborers)."""
    age = years_between(birth, day)
    if age < limits.min_age:
        return UNDER_AGE
    if age > limits.max_age(sex):
        return OVER_AGE
    return None


def is_working_age(laborer: Laborer, day: dt.date, limits: AgeLimits) -> bool:
    """True from the 16th birthday to the day before the 61st (men) / 51st (women) birthday."""
    return age_reason(laborer, day, limits) is None


def excluded_reason(laborer: Laborer, day: dt.date, limits: AgeLimits) -> str | None:
    """Why the person is not a 低收入农户劳动者 to help (age or exclusion), else None."""
    reason = age_reason(laborer, day, limits)
    if reason is not None:
        return reason
    if laborer.exclusion and laborer.exclusion != GRADUATE:
        return laborer.exclusion
    return None


def no_push_reason(laborer: Laborer, day: dt.date, limits: AgeLimits) -> str | None:
    """None when the person needs referrals and pushes, else the Chinese reason why not."""
    reason = excluded_reason(laborer, day, limits)
    if reason is not None:
        return reason
    if laborer.employment == EMPLOYED:
        return EMPLOYED
    if not laborer.wants_job:
        return NO_WISH
    return None


__all__ = [
    "EMPLOYED",
    "GRADUATE",
    "NO_WISH",
    "OVER_AGE",
    "UNDER_AGE",
    "AgeLimits",
    "age_reason",
    "age_reason_of",
    "excluded_reason",
    "is_working_age",
    "no_push_reason",
]
