"""The attachment-2 statistics per district and township."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from features.eligibility import AgeLimits
from features.laborer import Laborer
from features.stats import STATS_COLUMNS, roster_stats, stats_table
from features.verification import verify
from tests.factories import make_laborer

DAY = dt.date(2026, 11, 1)


@dataclass(frozen=True, slots=True)
class Entry:
    laborer: Laborer
    tier: str
    status: str


def entry(tier: str = "general", **overrides: object) -> Entry:
    person = make_laborer(**overrides)
    return Entry(person, tier, verify(person, DAY, AgeLimits()).status)


def test_counts_per_township_with_district_and_grand_totals() -> None:
    entries = [
        entry(),  # 永乐店镇: without work, wants a job, to register
        entry(tier="key", employment="务农", registration="转移就业登记", difficulty=True),
        entry(employment="已就业"),
        entry(wants_job=False),
        entry(exclusion="在校学生", age=19),
        entry(age=15),
        entry(age=63),
        entry(tier="special", township="黄村镇", district="大兴区", hukou="非农业"),
    ]
    rows = roster_stats(entries, DAY, AgeLimits())
    assert [(r.district, r.township) for r in rows] == [
        ("大兴区", "黄村镇"),
        ("大兴区", "合计"),
        ("通州区", "永乐店镇"),
        ("通州区", "合计"),
        ("全市", "合计"),
    ]
    town = rows[2].counts
    assert town["on_roster"] == 7
    assert town["working_age"] == 5
    assert town["excluded:在校学生"] == 1
    assert town["excluded:未到劳动年龄"] == 1
    assert town["excluded:超过劳动年龄"] == 1
    assert town["to_help"] == 4
    assert (town["employed"], town["farming"], town["without_work"]) == (1, 1, 2)
    assert (town["wants_job"], town["no_wish"]) == (3, 1)
    assert town["registered:转移就业登记"] == 1
    assert town["to_register"] == 1
    assert town["difficulty"] == 1
    assert (town["tier:general"], town["tier:key"]) == (3, 1)
    assert rows[4].counts["on_roster"] == 8
    assert rows[4].counts["tier:special"] == 1
    assert rows[0].counts["to_register"] == 1


def test_the_table_has_one_header_per_column_and_zeros_where_nothing_was_counted() -> None:
    headers, body = stats_table(roster_stats([entry()], DAY, AgeLimits()))
    assert headers[:3] == ["区", "乡镇(街道)", "乡镇代码"]
    assert len(headers) == 3 + len(STATS_COLUMNS)
    assert all(len(line) == len(headers) for line in body)
    assert body[0][headers.index("待登记")] == 1
    assert body[0][headers.index("排除·现役军人")] == 0


def test_no_people_give_no_rows() -> None:
    assert roster_stats([], DAY, AgeLimits()) == []
