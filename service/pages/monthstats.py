"""The month's figures for one viewer's scope, from what the batch stored.

The batch keeps its plan records (tier, kind, township of every push), its follow-up list
(every key, special or difficulty person who needed pushes, with the posts they got) and its
shortage list. A district sees its own people, grouped by township; the city sees everyone,
grouped by district. Congestion is a property of a post, so a post's pushes count every push
it got in the month, whoever the people were.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from features.laborer import TIER_NAMES
from service.batch import BatchRunner
from service.cli.batch_cmd import runner_for
from service.keys import Principal

CONGESTED_TOP = 10


def runner_of(request: Request) -> BatchRunner:
    """The batch runner of the app's Redis and settings."""
    return runner_for(request.app.state.redis, request.app.state.settings)


def months_with_batches(runner: BatchRunner, today: dt.date) -> list[str]:
    """Months whose batch is done, newest first, with this month first once it has a batch."""
    months = list(reversed(runner.done_months()))
    current = f"{today:%Y-%m}"
    if current not in months and runner.state(current) is not None:
        months.insert(0, current)
    return months


@dataclass(frozen=True, slots=True)
class GroupShare:
    """Difficulty persons of one group who needed pushes, and how many got at least two."""

    people: int
    with_two: int

    @property
    def share(self) -> float:
        """with_two / people, in [0, 1] (1 for an empty group)."""
        return self.with_two / self.people if self.people else 1.0


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """The month's figures of one scope (a district, or the whole city)."""

    month: str
    scope: str
    group_name: str  # 乡镇 for a district, 区 for the city
    people_pushed: int
    pushes: int
    difficulty: GroupShare
    difficulty_by_township: dict[str, GroupShare]
    pushes_by_tier: dict[str, int]
    pushes_by_kind: dict[str, int]
    shortage_people: int
    shortage_by_township: dict[str, dict[str, int]]
    congested: list[dict[str, Any]]
    overflows: int


def month_figures(request: Request, who: Principal, month: str) -> MonthFigures:
    """The figures of ``month`` that ``who`` may read (its district, or every district)."""
    runner = runner_of(request)
    district_of = {
        r.laborer.laborer_id: r.laborer.district for r in request.app.state.roster.load_all()
    }
    city = who.role == "city"

    def mine(laborer_id: str) -> bool:
        return city or district_of.get(laborer_id) == who.district

    def group(entry: dict[str, Any]) -> str:
        return district_of.get(entry["laborer_id"], "") if city else str(entry["township"])

    records = list(runner.planned_records(month))
    load = Counter(r["post_id"] for r in records)
    scoped = [r for r in records if mine(r["laborer_id"])]
    shares: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entry in runner.follow_up(month):
        if entry["difficulty"] and mine(entry["laborer_id"]):
            counts = shares[group(entry)]
            counts[0] += 1
            counts[1] += len(entry["post_ids"]) >= 2
    by_group = {g: GroupShare(p, w) for g, (p, w) in sorted(shares.items())}
    shortage: dict[str, Counter[str]] = defaultdict(Counter)
    short_people = 0
    for entry in runner.shortage(month):
        if mine(entry["laborer_id"]):
            shortage[group(entry)][entry["reason"]] += 1
            short_people += 1
    catalogue = request.app.state.catalogue
    congested = []
    for post_id in {r["post_id"] for r in scoped}:
        post = catalogue.get(post_id)
        places = post.places_left if post else 0
        congested.append(
            {
                "post_id": post_id,
                "title": post.title if post else post_id,
                "employer": post.employer if post else "",
                "pushes": load[post_id],
                "places_left": places,
                "per_place": load[post_id] / max(places, 1),
            }
        )
    congested.sort(key=lambda c: (-c["per_place"], -c["pushes"], c["post_id"]))
    return MonthFigures(
        month=month,
        scope="全市" if city else str(who.district),
        group_name="区" if city else "乡镇",
        people_pushed=len({r["laborer_id"] for r in scoped}),
        pushes=len(scoped),
        difficulty=GroupShare(
            sum(s.people for s in by_group.values()), sum(s.with_two for s in by_group.values())
        ),
        difficulty_by_township=by_group,
        pushes_by_tier={
            TIER_NAMES.get(t, t): n for t, n in sorted(Counter(r["tier"] for r in scoped).items())
        },
        pushes_by_kind=dict(sorted(Counter(r["kind"] for r in scoped).items())),
        shortage_people=short_people,
        shortage_by_township={g: dict(sorted(c.items())) for g, c in sorted(shortage.items())},
        congested=congested[:CONGESTED_TOP],
        overflows=sum(1 for r in scoped if r.get("overflow")),
    )


def stats_rows(figures: MonthFigures) -> tuple[list[str], list[list[object]]]:
    """The figures as one table (指标, 分组, 项目, 数值) for the ``.xlsx`` download."""
    rows: list[list[object]] = [
        ["月份", figures.scope, "", figures.month],
        ["获得推送人数", figures.scope, "", figures.people_pushed],
        ["推送条数", figures.scope, "", figures.pushes],
        ["就业困难人员（需推送）", figures.scope, "", figures.difficulty.people],
        ["其中获得两条以上推送", figures.scope, "", figures.difficulty.with_two],
        ["岗位不足人数", figures.scope, "", figures.shortage_people],
    ]
    for g, s in figures.difficulty_by_township.items():
        rows.append(
            ["就业困难人员获得两条以上推送的比例", g, f"{s.with_two}/{s.people}", round(s.share, 4)]
        )
    rows += [["按帮扶级别的推送数", figures.scope, t, n] for t, n in figures.pushes_by_tier.items()]
    rows += [["按岗位类型的推送数", figures.scope, k, n] for k, n in figures.pushes_by_kind.items()]
    for g, reasons in figures.shortage_by_township.items():
        rows += [["岗位不足人数", g, reason, n] for reason, n in reasons.items()]
    rows += [
        ["每个剩余名额的推送数", c["employer"], c["title"], round(c["per_place"], 2)]
        for c in figures.congested
    ]
    return ["指标", f"分组（{figures.group_name}）", "项目", "数值"], rows


__all__ = [
    "CONGESTED_TOP",
    "GroupShare",
    "MonthFigures",
    "month_figures",
    "months_with_batches",
    "runner_of",
    "stats_rows",
]
