"""A simulated month: who takes a pushed post, and who is hired under each post's places.

The model (the "truth" of the synthetic world; documented in ``docs/synthetic-beijing.md``):

1. **Taking a post.** A person who gets a push takes it up (applies, goes to the interview)
   with probability ``σ(z)``, the logistic of

   ``z = intercept + fit·f + commute_hour·h + over_tolerance·o + pay·p + kind_age·a + lodging·l``

   where ``f`` in [0, 1] is the true fit of person and post (:func:`true_fit`: a desired job
   named in the post → 1, a skill the post uses → 0.6, a low-skill post anyone can do → 0.3,
   else 0), ``h`` the one-way commute in hours (0 for 居家就业 or when the person lodges at
   the post), ``o`` 1 when the commute exceeds the person's tolerance, ``p`` the post's middle
   pay less 3,000 yuan in thousands (clipped to [−2, 4]), ``a`` in [−1, 1] how well the post's
   kind suits the person's age (:func:`kind_age_fit`: workshops and home-based work suit
   people of 45 and over, directed posts in the city suit the young) and ``l`` 1 when the person
   would live at the post's lodging, away from home. The coefficients are :class:`TakeModel`'s
   named fields. They are assumptions, chosen so that a well-fitting post near home is taken
   about half the time and a poorly fitting far one almost never, in line with the low
   take-up of pushed vacancies that public employment services report.
2. **Hiring.** Each post hires at most its places left. Employers prefer people who fit: the
   takers of all posts are put in one random order weighted by fit (Efraimidis–Spirakis keys
   ``U^(1/(0.5+f))``), and each is hired in turn if the post still has a place and the person
   has not been hired elsewhere this month.
   A world may replace the take-up model by any function of the pairs (``take=``): the
   learning tests use one whose truth is a known set of signal weights.
3. **Chaining months.** :func:`simulate_months` asks a push policy for each month's pushes,
   simulates the month, and feeds back what a counselor would record: a hire makes the person
   已就业 and adds one to the post's hires; a post not taken up counts as declined and the
   policy is told, so it is not pushed again.

Pure: no Redis, no files. Every draw comes from ``numpy.random.default_rng((seed, month))``,
so a seed gives the same months.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from catalogue.models import HOME_BASED, Post, post_state
from features.commute import places_of
from features.gazetteer import load_gazetteer
from features.laborer import Laborer

# Posts anyone can do without a particular skill (true fit 0.3; assumption).
LOW_SKILL_WORDS: tuple[str, ...] = (
    "普工",
    "操作工",
    "分拣",
    "包装",
    "打包",
    "手工",
    "保洁",
    "公共设施维护",
    "协管员",
    "杂工",
)
# What a person's words look like in post titles and skill texts (assumption).
WORDS_IN_POSTS: Mapping[str, tuple[str, ...]] = {
    "驾驶": ("司机", "驾驶"),
    "司机": ("司机", "驾驶"),
    "叉车": ("叉车",),
    "叉车司机": ("叉车",),
    "电焊": ("焊",),
    "焊工": ("焊",),
    "水电维修": ("水电", "维修", "电工"),
    "电工": ("电工",),
    "维修工": ("维修",),
    "瓦工": ("瓦工", "建筑"),
    "建筑工": ("瓦工", "建筑", "钢筋"),
    "木工": ("木工",),
    "烹饪": ("厨", "面点", "配菜"),
    "厨师": ("厨", "面点", "配菜"),
    "保安": ("保安", "秩序", "门卫"),
    "绿化养护": ("绿化",),
    "绿化工": ("绿化",),
    "保洁": ("保洁", "清洁", "家政"),
    "保洁员": ("保洁", "清洁"),
    "家政服务员": ("家政", "保姆", "月嫂"),
    "缝纫": ("缝纫", "服装"),
    "缝纫工": ("缝纫", "服装"),
    "育婴": ("育婴", "月嫂", "母婴", "保育"),
    "育婴员": ("育婴", "月嫂", "母婴", "保育"),
    "养老护理": ("养老", "护理", "护工"),
    "养老护理员": ("养老", "护理", "护工"),
    "手工编织": ("手工", "编织", "串珠"),
    "收银": ("收银",),
    "收银员": ("收银",),
    "服务员": ("服务员", "传菜", "客房"),
    "电脑操作": ("客服", "文员"),
    "客服": ("客服",),
    "普工": ("普工", "操作工", "装配"),
    "仓库管理员": ("仓库", "仓管", "理货"),
    "快递分拣员": ("分拣", "快递", "配送"),
}
DESIRED_JOB_FIT = 1.0
SKILL_FIT = 0.6
LOW_SKILL_FIT = 0.3
PAY_BASE_YUAN = 3000.0  # pay below this counts against a post (about the minimum wage + 25%)
EMPLOYER_FIT_OFFSET = 0.5  # hiring weight is this + fit: fit matters, luck too


# The words of the service's outcome records (service/outcomes.py), for the outcomes used here.
_OUTCOME_NAMES: Mapping[str, str] = {
    "hired": "已录用",
    "interviewed": "已面试",
    "declined": "本人婉拒",
}


@dataclass(frozen=True, slots=True)
class TakeModel:
    """Coefficients (log-odds per unit) of the logistic model of taking a pushed post."""

    intercept: float = -1.6
    fit: float = 2.6  # per unit of true fit in [0, 1]
    commute_hour: float = -1.2  # per hour of one-way commute
    over_tolerance: float = -1.5  # the commute exceeds what the person said they accept
    pay: float = 0.45  # per 1,000 yuan of middle pay above PAY_BASE_YUAN, clipped to [-2, 4]
    kind_age: float = 0.9  # times kind_age_fit in [-1, 1]
    lodging: float = -0.4  # living at the post's lodging, away from home


@dataclass(frozen=True, slots=True)
class Push:
    """One post pushed to one person, at ``rank`` (1 = first) with the batch's ``score``."""

    laborer_id: str
    post_id: str
    rank: int = 1
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one push, as a counselor records it."""

    laborer_id: str
    post_id: str
    rank: int
    p_take: float  # the model's probability, in [0, 1]
    took: bool  # applied / went to the interview
    hired: bool

    @property
    def outcome(self) -> str:
        """The outcome as a counselor records it (the keys of ``service.outcomes.OUTCOMES``).

        hired; interviewed (took the post up, not hired: no place, or another was chosen);
        declined (did not take it up; the batch never pushes it to them again).
        """
        if self.hired:
            return "hired"
        return "interviewed" if self.took else "declined"

    @property
    def result(self) -> str:
        """The outcome in the counselor's words: 已录用, 已面试, 本人婉拒."""
        return _OUTCOME_NAMES[self.outcome]


@dataclass(frozen=True, slots=True)
class MonthResult:
    """A simulated month: its pushes' outcomes and the world after it."""

    month: str  # YYYY-MM
    day: dt.date  # the day the pushes went out
    outcomes: tuple[Outcome, ...]
    laborers: tuple[Laborer, ...]  # after the month: the hired are 已就业
    posts: tuple[Post, ...]  # after the month: hires added

    @property
    def hires(self) -> int:
        """Hires this month."""
        return sum(o.hired for o in self.outcomes)


# Another truth of taking up: (the (person, post) pairs pushed, every post, day) → probabilities.
TakeFunction = Callable[
    [Sequence[tuple[Laborer, Post]], Sequence[Post], dt.date], npt.NDArray[np.float64]
]

# A push policy: (laborers, posts, day, declined pairs by laborer id) → the month's pushes.
Policy = Callable[
    [Sequence[Laborer], Sequence[Post], dt.date, Mapping[str, frozenset[str]]], Sequence[Push]
]


def kind_age_fit(kind: str, age: int) -> float:
    """How well a post's kind suits a person's age, in [-1, 1] (assumption, see module doc)."""
    if kind in ("扶贫车间", "村社代工点", "居家就业"):
        return 1.0 if age >= 45 else 0.0 if age >= 35 else -0.5
    if kind == "公益性岗位":
        return 1.0 if age >= 40 else 0.0
    if kind == "定向招聘":
        return 1.0 if age < 40 else 0.0 if age < 50 else -1.0
    return 0.5 if age < 45 else 0.0 if age < 50 else -0.5  # 社会招聘


def true_fit(laborer: Laborer, post: Post) -> float:
    """The synthetic world's true fit of person and post, in [0, 1] (see module doc)."""
    text = post.title + " " + post.skills
    for wish in laborer.desired_jobs:
        if any(w in text for w in WORDS_IN_POSTS.get(wish, (wish,))):
            return DESIRED_JOB_FIT
    for skill in laborer.skills:
        if any(w in text for w in WORDS_IN_POSTS.get(skill, (skill,))):
            return SKILL_FIT
    if any(w in text for w in LOW_SKILL_WORDS):
        return LOW_SKILL_FIT
    return 0.0


@dataclass(frozen=True, slots=True)
class TakeFeatures:
    """The model's inputs for n (person, post) pairs; every array has shape (n,)."""

    fit: npt.NDArray[np.float64]  # in [0, 1]
    commute_hours: npt.NDArray[np.float64]  # ≥ 0
    over_tolerance: npt.NDArray[np.float64]  # 0 or 1
    pay: npt.NDArray[np.float64]  # thousands of yuan above PAY_BASE_YUAN, in [-2, 4]
    kind_age: npt.NDArray[np.float64]  # in [-1, 1]
    lodging: npt.NDArray[np.float64]  # 0 or 1


def take_features(pairs: Sequence[tuple[Laborer, Post]], *, today: dt.date) -> TakeFeatures:
    """The model's inputs for each (person, post) pair."""
    gazetteer = load_gazetteer()
    places = places_of(gazetteer)
    n = len(pairs)
    out = {f.name: np.zeros(n) for f in dataclasses.fields(TakeFeatures)}
    for i, (person, post) in enumerate(pairs):
        out["fit"][i] = true_fit(person, post)
        lodges = post.lodging and person.accepts_lodging
        minutes = 0.0
        if post.kind != HOME_BASED and not lodges:
            a = places.index_of(person.district, person.township_code)
            b = places.index_of(post.district, post.township_code)
            if a != places.unknown and b != places.unknown:
                minutes = float(places.minutes[a, b])
        out["commute_hours"][i] = minutes / 60.0
        tolerance = person.max_commute_min
        out["over_tolerance"][i] = float(tolerance is not None and minutes > tolerance)
        if post.salary_min is not None or post.salary_max is not None:
            low = post.salary_min if post.salary_min is not None else post.salary_max
            high = post.salary_max if post.salary_max is not None else post.salary_min
            middle = ((low or 0) + (high or 0)) / 2
            out["pay"][i] = float(np.clip((middle - PAY_BASE_YUAN) / 1000.0, -2.0, 4.0))
        out["kind_age"][i] = kind_age_fit(post.kind, person.age_on(today))
        out["lodging"][i] = float(lodges)
    return TakeFeatures(**out)


def take_probability(features: TakeFeatures, model: TakeModel) -> npt.NDArray[np.float64]:
    """Probability that each person takes up their pushed post.

    Parameters
    ----------
    features : TakeFeatures
        Arrays of shape (n,), one entry per push.
    model : TakeModel
        The coefficients.

    Returns
    -------
    NDArray[float64], shape (n,)
        Probabilities in (0, 1): the logistic of the linear score.
    """
    z = (
        model.intercept
        + model.fit * features.fit
        + model.commute_hour * features.commute_hours
        + model.over_tolerance * features.over_tolerance
        + model.pay * features.pay
        + model.kind_age * features.kind_age
        + model.lodging * features.lodging
    )
    return 1.0 / (1.0 + np.exp(-z))


def hire(
    person: npt.ArrayLike,
    post: npt.ArrayLike,
    fit: npt.ArrayLike,
    places_left: npt.ArrayLike,
    *,
    rng: np.random.Generator,
) -> npt.NDArray[np.bool_]:
    """Which takers are hired, under each post's places and one hire per person.

    Parameters
    ----------
    person, post : arrays of int, shape (t,)
        The person and post (row numbers) of each take-up.
    fit : array of float, shape (t,)
        True fit in [0, 1]; fitter takers come first more often.
    places_left : array of int, shape (posts,)
        Places left per post row.
    rng : numpy Generator

    Returns
    -------
    NDArray[bool], shape (t,)
        True for each take-up that ends in a hire.
    """
    who = np.asarray(person, dtype=np.int64)
    where = np.asarray(post, dtype=np.int64)
    weight = EMPLOYER_FIT_OFFSET + np.asarray(fit, dtype=np.float64)
    left = np.array(places_left, dtype=np.int64)
    keys = rng.random(len(who)) ** (1.0 / weight)
    hired = np.zeros(len(who), dtype=bool)
    taken: set[int] = set()
    for i in np.argsort(-keys, kind="stable"):
        p, q = int(who[i]), int(where[i])
        if p in taken or left[q] <= 0:
            continue
        hired[i] = True
        taken.add(p)
        left[q] -= 1
    return hired


def simulate_month(
    pushes: Sequence[Push],
    laborers: Sequence[Laborer],
    posts: Sequence[Post],
    *,
    day: dt.date,
    seed: int,
    month_index: int = 0,
    model: TakeModel | None = None,
    take: TakeFunction | None = None,
) -> MonthResult:
    """Outcomes of one month's pushes, and the people and posts after it.

    ``take`` replaces the take-up model (``model``) when given; hiring still weighs the true
    fit.
    """
    model = model or TakeModel()
    people = {p.laborer_id: i for i, p in enumerate(laborers)}
    post_row = {p.post_id: i for i, p in enumerate(posts)}
    live = [
        push
        for push in pushes
        if push.laborer_id in people
        and push.post_id in post_row
        and post_state(posts[post_row[push.post_id]], day) == "open"
    ]
    pairs = [(laborers[people[x.laborer_id]], posts[post_row[x.post_id]]) for x in live]
    features = take_features(pairs, today=day)
    if take is None:
        p_take = take_probability(features, model)
    else:
        p_take = np.asarray(take(pairs, posts, day), dtype=np.float64).reshape(-1)
        if p_take.shape != (len(pairs),):
            raise ValueError(f"take must give one probability per push, got {p_take.shape}")
    rng = np.random.default_rng((seed, month_index))
    took = rng.random(len(live)) < p_take
    idx = np.flatnonzero(took)
    hired_taken = hire(
        [people[live[i].laborer_id] for i in idx],
        [post_row[live[i].post_id] for i in idx],
        features.fit[idx],
        [p.places_left for p in posts],
        rng=rng,
    )
    hired = np.zeros(len(live), dtype=bool)
    hired[idx[hired_taken]] = True
    outcomes = tuple(
        Outcome(x.laborer_id, x.post_id, x.rank, float(p_take[i]), bool(took[i]), bool(hired[i]))
        for i, x in enumerate(live)
    )
    hired_people = {o.laborer_id for o in outcomes if o.hired}
    hires_by_post: dict[str, int] = {}
    for o in outcomes:
        if o.hired:
            hires_by_post[o.post_id] = hires_by_post.get(o.post_id, 0) + 1
    after_people = tuple(
        dataclasses.replace(p, employment="已就业") if p.laborer_id in hired_people else p
        for p in laborers
    )
    after_posts = tuple(
        dataclasses.replace(p, hires=p.hires + hires_by_post[p.post_id])
        if p.post_id in hires_by_post
        else p
        for p in posts
    )
    return MonthResult(f"{day:%Y-%m}", day, outcomes, after_people, after_posts)


def month_days(start: dt.date, months: int) -> list[dt.date]:
    """The first day of ``months`` consecutive months from ``start``'s month."""
    days = []
    year, month = start.year, start.month
    for _ in range(months):
        days.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def simulate_months(
    laborers: Sequence[Laborer],
    posts: Sequence[Post],
    policy: Policy,
    *,
    start: dt.date,
    months: int,
    seed: int,
    model: TakeModel | None = None,
    take: TakeFunction | None = None,
) -> list[MonthResult]:
    """Chain ``months`` simulated months, feeding each month's outcomes to the next."""
    if months < 1:
        raise ValueError(f"months must be >= 1, got {months}")
    results: list[MonthResult] = []
    people, catalogue = tuple(laborers), tuple(posts)
    declined: dict[str, set[str]] = {}
    for i, day in enumerate(month_days(start, months)):
        frozen = {k: frozenset(v) for k, v in declined.items()}
        pushes = policy(people, catalogue, day, frozen)
        result = simulate_month(
            pushes, people, catalogue, day=day, seed=seed, month_index=i, model=model, take=take
        )
        for o in result.outcomes:
            if not o.took:
                declined.setdefault(o.laborer_id, set()).add(o.post_id)
        results.append(result)
        people, catalogue = result.laborers, result.posts
    return results


__all__ = [
    "MonthResult",
    "Outcome",
    "Policy",
    "Push",
    "TakeFeatures",
    "TakeFunction",
    "TakeModel",
    "hire",
    "kind_age_fit",
    "month_days",
    "simulate_month",
    "simulate_months",
    "take_features",
    "take_probability",
    "true_fit",
]
