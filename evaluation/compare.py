"""Policies side by side over the same simulated months of one synthetic world.

:func:`run_policy` chains the months of one policy (:func:`evaluation.simulate.simulate_months`)
and measures each month (:func:`evaluation.metrics.month_metrics`); :class:`PolicyRun` sums
them up. Every policy starts from the same world, with the same seed, so the take-up draws of
a month are the same stream for each: differences come from what was pushed.

How the months are summed up (the headline table):

- pushes and hires: totals over the months; share hired: people hired over the months, of
  those who needed work in the first month;
- hit rate and recall at k, coverage and congestion: the first month, when every policy faces
  the same people and posts (later months differ by what each policy filled); the report
  also gives them month by month;
- compliance: the lowest month (the floor must hold every month).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from catalogue.models import post_state
from evaluation.baselines import PolicyFactory, baselines
from evaluation.learn import LearnError, WeightFit, fit_weights, sample_from_months
from evaluation.metrics import MonthMetrics, month_metrics
from evaluation.policies import UNCAPPED, BatchPolicy, MonthIndex, PolicyMonth, relevant_posts
from evaluation.simulate import MonthResult, Policy, TakeFunction, TakeModel, simulate_months
from evaluation.synth import ParsedWorld, generate_world, parse_world
from features.eligibility import AgeLimits, no_push_reason
from features.laborer import Laborer


@dataclass(frozen=True, slots=True)
class PolicyRun:
    """One policy's simulated months and their metrics."""

    name: str
    results: tuple[MonthResult, ...]
    months: tuple[PolicyMonth, ...]
    metrics: tuple[MonthMetrics, ...]
    seeker_people: tuple[Laborer, ...]  # who needed work in the first month, as they were then

    @property
    def seekers(self) -> int:
        """People who needed work in the first month."""
        return len(self.seeker_people)

    @property
    def pushes(self) -> int:
        """Pushes over every month."""
        return sum(m.pushes for m in self.metrics)

    @property
    def hires(self) -> int:
        """Hires over every month."""
        return sum(r.hires for r in self.results)

    @property
    def hires_per_100_pushes(self) -> float:
        """Hires per 100 pushes over every month."""
        return 100.0 * self.hires / self.pushes if self.pushes else 0.0

    @property
    def share_hired(self) -> float:
        """People hired over the months, of those who needed work in the first month."""
        return self.hires / self.seekers if self.seekers else 0.0

    @property
    def first(self) -> MonthMetrics:
        """The first month's metrics."""
        return self.metrics[0]

    @property
    def compliance(self) -> float:
        """The lowest month's compliance."""
        return min(m.compliance for m in self.metrics)

    @property
    def shortage(self) -> int:
        """Difficulty persons on the shortage list (too few eligible posts), first month."""
        return self.metrics[0].shortage

    def headline(self) -> dict[str, float | int | str]:
        """The figures of the headline table."""
        c = self.first.congestion
        return {
            "policy": self.name,
            "pushes": self.pushes,
            "hires": self.hires,
            "hires_per_100_pushes": round(self.hires_per_100_pushes, 2),
            "share_hired": round(self.share_hired, 4),
            f"hit_rate_at_{self.first.k}": round(self.first.hit_rate_at_k, 4),
            f"recall_at_{self.first.k}": round(self.first.recall_at_k, 4),
            "coverage": round(self.first.coverage, 4),
            "per_place_p90": round(c.per_place_p90, 3),
            "per_place_p90_all": round(c.per_place_p90_all, 3),
            "per_place_max": round(c.per_place_max, 3),
            "gini": round(c.gini, 4),
            "compliance": round(self.compliance, 4),
            "shortage": self.shortage,
        }


def run_policy(
    name: str,
    policy: Policy,
    world: ParsedWorld,
    *,
    start: dt.date,
    months: int,
    seed: int,
    model: TakeModel | None = None,
    take: TakeFunction | None = None,
    k: int = 3,
    floor: int = 2,
    relevant: Mapping[str, Collection[str]] | None = None,
    limits: AgeLimits | None = None,
) -> PolicyRun:
    """Simulate ``months`` months of ``policy`` on ``world`` and measure each month.

    ``policy`` must keep a ``months`` list of :class:`evaluation.policies.PolicyMonth` (the
    batch and the baselines do). ``relevant`` (the truth of what each person would take up,
    :func:`evaluation.policies.relevant_posts`) is used for the first month's recall.
    """
    limits = limits or AgeLimits()
    results = simulate_months(
        world.laborers,
        world.posts,
        policy,
        start=start,
        months=months,
        seed=seed,
        model=model,
        take=take,
    )
    history: list[PolicyMonth] = list(getattr(policy, "months", []))
    if len(history) != len(results):
        raise ValueError(f"policy {name!r} must record its months (got {len(history)})")
    people, posts = world.laborers, world.posts
    metrics: list[MonthMetrics] = []
    seekers_first: tuple[Laborer, ...] = ()
    for i, (result, done) in enumerate(zip(results, history, strict=True)):
        seekers = [p for p in people if no_push_reason(p, result.day, limits) is None]
        seekers_first = seekers_first or tuple(seekers)
        open_posts = [q for q in posts if post_state(q, result.day) == "open"]
        difficulty = {p.laborer_id for p in seekers if p.difficulty}
        shortage = {x for x in difficulty if done.eligible.get(x, 0) < floor}
        metrics.append(
            month_metrics(
                result,
                done.pushes,
                seekers,
                open_posts,
                k=k,
                floor=floor,
                shortage=shortage,
                relevant=relevant if i == 0 else None,
            )
        )
        people, posts = result.laborers, result.posts
    return PolicyRun(name, tuple(results), tuple(history), tuple(metrics), seekers_first)


def run_policies(
    factories: Mapping[str, PolicyFactory],
    world: ParsedWorld,
    *,
    start: dt.date,
    months: int,
    seed: int,
    model: TakeModel | None = None,
    relevant: Mapping[str, Collection[str]] | None = None,
    indexes: MonthIndex | None = None,
) -> list[PolicyRun]:
    """Run each policy of ``factories`` (name → ``factory(agreements, indexes)``) in turn."""
    indexes = indexes or MonthIndex(world.agreements)
    runs = []
    for name, factory in factories.items():
        policy = factory(world.agreements, indexes)
        runs.append(
            run_policy(
                name,
                policy,
                world,
                start=start,
                months=months,
                seed=seed,
                model=model,
                relevant=relevant,
            )
        )
    return runs


def headline_rows(runs: Sequence[PolicyRun]) -> list[dict[str, float | int | str]]:
    """The headline figures of each run, in order."""
    return [run.headline() for run in runs]


@dataclass(frozen=True, slots=True)
class Aim:
    """One aim of the evaluation, its measured figure and whether it is met."""

    name: str
    figure: float
    target: str
    met: bool


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Everything ``renggang evaluate`` measured on one world."""

    seed: int
    people: int
    posts: int
    places: int
    months: int
    start: dt.date
    cap_multiple: float
    runs: tuple[PolicyRun, ...]  # random, nearest, uncapped, batch
    sweep: tuple[tuple[float, PolicyRun], ...]  # cap multiple → the batch under it
    fit: WeightFit | None  # None when it could not be fitted (or was not asked for)
    fit_error: str
    learned_run: PolicyRun | None  # the batch with the learned weights, same months

    def run(self, name: str) -> PolicyRun:
        """The run of one policy by name."""
        for run in self.runs:
            if run.name == name:
                return run
        raise KeyError(name)

    def aims(self) -> list[Aim]:
        """The aims of the issue, measured."""
        batch, uncapped = self.run("batch"), self.run("uncapped")
        out = []
        for other in ("nearest", "random"):
            base = self.run(other).hires
            gain = batch.hires / base - 1.0 if base else float("inf")
            out.append(Aim(f"hires vs {other}", gain, "≥ +20%", gain >= 0.20))
        p90_b, p90_u = batch.first.congestion.per_place_p90, uncapped.first.congestion.per_place_p90
        cut = 1.0 - p90_b / p90_u if p90_u else 0.0
        out.append(Aim("p90 pushes per place vs uncapped", -cut, "≤ −30%", cut >= 0.30))
        loss = 1.0 - batch.hires / uncapped.hires if uncapped.hires else 0.0
        out.append(Aim("hires vs uncapped", -loss, "≥ −5%", loss <= 0.05))
        out.append(
            Aim(
                "compliance outside the shortage list",
                batch.compliance,
                "100%",
                batch.compliance >= 1.0,
            )
        )
        return out


DEFAULT_CAPS: tuple[float, ...] = (1.0, 1.5, 2.0, 3.0, 5.0, 10.0)


def evaluate(
    *,
    seed: int = 20261101,
    people: int = 3000,
    months: int = 3,
    cap_multiple: float = 3.0,
    caps: Sequence[float] = DEFAULT_CAPS,
    learn: bool = True,
) -> Evaluation:
    """Generate the world of ``seed``, run the four policies and the cap sweep, fit weights."""
    raw = generate_world(seed=seed, people=people)
    world = parse_world(raw, secret="evaluation")
    start = raw.today
    indexes = MonthIndex(world.agreements)
    relevant = relevant_posts(world.laborers, world.posts, world.agreements, day=start)
    runs = run_policies(
        baselines(seed=seed, cap_multiple=cap_multiple),
        world,
        start=start,
        months=months,
        seed=seed,
        relevant=relevant,
        indexes=indexes,
    )
    by_name = {run.name: run for run in runs}
    sweep: list[tuple[float, PolicyRun]] = []
    for cap in sorted(set(caps) | {cap_multiple}):
        if cap == cap_multiple:
            sweep.append((cap, by_name["batch"]))
            continue
        policy = BatchPolicy(world.agreements, cap_multiple=cap, indexes=indexes)
        sweep.append(
            (cap, run_policy(f"cap {cap:g}", policy, world, start=start, months=months, seed=seed))
        )
    sweep.append((UNCAPPED, by_name["uncapped"]))
    fit: WeightFit | None = None
    error, learned_run = "", None
    if learn:
        sample = sample_from_months(by_name["batch"].results, world.laborers, world.posts, indexes)
        try:
            fit = fit_weights(sample)
        except LearnError as exc:
            error = str(exc)
        if fit is not None:
            policy = BatchPolicy(
                world.agreements, cap_multiple=cap_multiple, weights=fit.weights, indexes=indexes
            )
            learned_run = run_policy(
                "batch, learned weights", policy, world, start=start, months=months, seed=seed
            )
    return Evaluation(
        seed=seed,
        people=people,
        posts=len(world.posts),
        places=sum(p.places_left for p in world.posts),
        months=months,
        start=start,
        cap_multiple=cap_multiple,
        runs=tuple(runs),
        sweep=tuple(sweep),
        fit=fit,
        fit_error=error,
        learned_run=learned_run,
    )


__all__ = [
    "DEFAULT_CAPS",
    "Aim",
    "Evaluation",
    "PolicyRun",
    "evaluate",
    "headline_rows",
    "run_policies",
    "run_policy",
]
