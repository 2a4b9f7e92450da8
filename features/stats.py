"""The policy's attachment 2 (统计表): counts per district and township, from the roster.

A pure function over records (anything with ``laborer``, ``tier`` and ``status``, such as the
store's ``LaborerRecord``). "On the roster" and the exclusions count everyone; the employment,
willingness, registration, difficulty and tier columns count the people to help: of working
age and not excluded (本年度高校毕业生 included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from features.eligibility import (
    OVER_AGE,
    UNDER_AGE,
    AgeLimits,
    excluded_reason,
)
from features.laborer import EXCLUSIONS, TIER_NAMES, TIERS, Laborer
from features.verification import STATUS_TO_REGISTER

EXCLUSION_REASONS: tuple[str, ...] = (
    UNDER_AGE,
    OVER_AGE,
    *(e for e in EXCLUSIONS if e != "本年度高校毕业生"),
    "已迁出",
)

# (key, Chinese header) in the order of the printed table and the .xlsx.
STATS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("on_roster", "在册人数"),
    ("working_age", "劳动年龄内"),
    *((f"excluded:{r}", f"排除·{r}") for r in EXCLUSION_REASONS),
    ("to_help", "核实对象"),
    ("employed", "已就业"),
    ("farming", "务农"),
    ("without_work", "无业"),
    ("wants_job", "有就业意愿"),
    ("no_wish", "暂无就业意愿"),
    ("registered:转移就业登记", "已转移就业登记"),
    ("registered:失业登记", "已失业登记"),
    ("to_register", "待登记"),
    ("difficulty", "就业困难人员"),
    *((f"tier:{t}", TIER_NAMES[t]) for t in TIERS),
)


class RosterEntry(Protocol):
    """What the statistics read from a record."""

    @property
    def laborer(self) -> Laborer: ...

    @property
    def tier(self) -> str: ...

    @property
    def status(self) -> str: ...


@dataclass(frozen=True, slots=True)
class StatsRow:
    """One line of the table: a township (or a district's total, township ``"合计"``)."""

    district: str
    township: str
    township_code: str
    counts: dict[str, int] = field(default_factory=dict)

    def values(self) -> list[int]:
        """The counts in the order of :data:`STATS_COLUMNS`."""
        return [self.counts.get(k, 0) for k, _ in STATS_COLUMNS]


def _count(counts: dict[str, int], entry: RosterEntry, day: dt.date, limits: AgeLimits) -> None:
    lab = entry.laborer
    counts["on_roster"] = counts.get("on_roster", 0) + 1
    reason = excluded_reason(lab, day, limits)
    keys: list[str] = []
    if reason not in (UNDER_AGE, OVER_AGE):
        keys.append("working_age")
    if reason is not None:
        keys.append(f"excluded:{reason}")
    else:
        keys.append("to_help")
        keys.append({"已就业": "employed", "务农": "farming"}.get(lab.employment, "without_work"))
        keys.append("wants_job" if lab.wants_job else "no_wish")
        if lab.registration in ("转移就业登记", "失业登记"):
            keys.append(f"registered:{lab.registration}")
        if entry.status == STATUS_TO_REGISTER:
            keys.append("to_register")
        if lab.difficulty:
            keys.append("difficulty")
        keys.append(f"tier:{entry.tier}")
    for k in keys:
        counts[k] = counts.get(k, 0) + 1


def roster_stats(entries: Iterable[RosterEntry], day: dt.date, limits: AgeLimits) -> list[StatsRow]:
    """Rows per township, each district followed by its total, then the grand total."""
    by_township: dict[tuple[str, str, str], dict[str, int]] = {}
    totals: dict[str, dict[str, int]] = {}
    grand: dict[str, int] = {}
    for entry in entries:
        lab = entry.laborer
        counts = by_township.setdefault((lab.district, lab.township_code, lab.township), {})
        _count(counts, entry, day, limits)
        _count(totals.setdefault(lab.district, {}), entry, day, limits)
        _count(grand, entry, day, limits)
    rows: list[StatsRow] = []
    for district in sorted(totals):
        for (d, code, name), counts in sorted(by_township.items()):
            if d == district:
                rows.append(StatsRow(d, name, code, counts))
        rows.append(StatsRow(district, "合计", "", totals[district]))
    if grand:
        rows.append(StatsRow("全市", "合计", "", grand))
    return rows


def stats_table(rows: Iterable[StatsRow]) -> tuple[list[str], list[list[object]]]:
    """Headers and rows of the statistics table, as printed and written to ``.xlsx``."""
    headers = ["区", "乡镇(街道)", "乡镇代码", *(h for _, h in STATS_COLUMNS)]
    body: list[list[object]] = [
        [r.district, r.township, r.township_code, *r.values()] for r in rows
    ]
    return headers, body


__all__ = [
    "EXCLUSION_REASONS",
    "STATS_COLUMNS",
    "RosterEntry",
    "StatsRow",
    "roster_stats",
    "stats_table",
]
