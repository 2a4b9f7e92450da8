"""The monthly push batch: plan, store, commit in chunks, exactly once (DESIGN §6).

A run of month M:

1. takes the batch lock ``{p}:batch:lock`` (SET NX PX with a random token, renewed by a thread
   while the run lasts; a runner that dies leaves it to expire), so one batch runs at a time;
2. if M is ``done``: changes nothing. If M has no stored plan: computes it
   (:func:`matcher.plan.plan_month`) and stores it in one MULTI/EXEC — the pushes cut into
   chunks of whole persons, the shortage and follow-up lists and the month's statistics (with
   ``weights_source``: whether the settings', the learned or the hand weights ranked the posts,
   see :meth:`PlanSettings.from_settings`) — with state ``planned``. A stored plan is never
   recomputed, so a resumed run commits the same plan;
3. state ``committing``: each chunk not yet in ``{p}:batch:M:done`` is committed in one
   MULTI/EXEC (WATCHing the lock and the done set) that writes its people's pushes to the
   ledger ``{p}:pushes:M`` (laborer_id → pushes with rank and score: the exposure log), appends
   one message per push to the outbox stream ``{p}:outbox`` and adds the chunk to the done set.
   A chunk is all or nothing, and never twice: a run killed anywhere and run again ends with
   exactly the pushes of one clean run;
4. state ``done``, and M joins ``{p}:batch:months`` (what the scheduler reads).

The outbox message carries the laborer_id, the masked name and the post's title, employer,
place, pay and contact — never an ID number or a phone of the person.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np
import redis

from catalogue.models import Post
from features.eligibility import AgeLimits
from features.idcard import mask_name
from features.laborer import Laborer
from matcher.congestion import congestion
from matcher.index import PostIndex
from matcher.plan import MonthPlan, month_before, parse_month, plan_month, shortage_by_township
from matcher.weights import DEFAULT_WEIGHTS, Weights
from service.learned_weights import current_weights

STATES: tuple[str, ...] = ("planned", "committing", "done")
# Where the plan's soft-signal weights came from (``service.learned_weights.current_weights``:
# settings, learned, hand; ``custom`` for weights a program passes itself), as the month's
# statistics record it and the batch's pages and CLI name it.
WEIGHT_SOURCES: Mapping[str, str] = {
    "settings": "设置 RENGGANG_MATCH_WEIGHTS 指定的权重",
    "learned": "由推荐结果学习并采用的权重",
    "hand": "人工设定的默认权重",
    "custom": "程序指定的权重",
}
LOCK_TTL_MS = 30_000

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


class BatchError(RuntimeError):
    """A batch that cannot run; the message is Chinese and says what to do."""


class BatchBusyError(BatchError):
    """Another batch holds the lock."""


@dataclass(frozen=True, slots=True)
class BatchInputs:
    """What a month's plan is computed from."""

    laborers: Sequence[Laborer]
    tiers: Mapping[str, str]
    index: PostIndex
    today: dt.date


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """The settings values the plan uses (DESIGN §6 defaults)."""

    quotas: Mapping[str, int]
    difficulty_floor: int = 2
    cap_multiple: float = 3.0
    repeat_window_months: int = 3
    limits: AgeLimits = field(default_factory=AgeLimits)
    k: int = 30
    weights: Weights = DEFAULT_WEIGHTS
    weights_source: str = "hand"  # a key of WEIGHT_SOURCES; stored with the month's figures

    def __post_init__(self) -> None:
        if self.weights_source not in WEIGHT_SOURCES:
            raise ValueError(
                f"weights_source must be one of {sorted(WEIGHT_SOURCES)}, "
                f"got {self.weights_source!r}"
            )
        if self.weights_source == "hand" and self.weights != DEFAULT_WEIGHTS:
            raise ValueError("weights other than the hand weights need their weights_source")

    @classmethod
    def from_settings(cls, settings: Any, client: redis.Redis | None = None) -> PlanSettings:
        """The values of a :class:`service.settings.Settings`, with the weights in force.

        With ``client`` the weights are :func:`service.learned_weights.current_weights` (the
        settings' overrides, else the adopted weights in Redis, else the hand weights);
        without it, the settings' overrides or the hand weights.
        """
        if client is not None:
            weights, source = current_weights(client, settings)
        elif settings.match_weights:
            weights, source = Weights.from_mapping(settings.match_weights), "settings"
        else:
            weights, source = DEFAULT_WEIGHTS, "hand"
        return cls(
            quotas={
                "general": settings.quota_general,
                "key": settings.quota_key,
                "special": settings.quota_special,
            },
            difficulty_floor=settings.difficulty_floor,
            cap_multiple=settings.cap_multiple,
            repeat_window_months=settings.repeat_window_months,
            limits=AgeLimits(settings.min_age, settings.max_age_men, settings.max_age_women),
            weights=weights,
            weights_source=source,
        )


class Keys:
    """The Redis keys of the batch, under a prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.lock = f"{prefix}:batch:lock"
        self.months = f"{prefix}:batch:months"
        self.outbox = f"{prefix}:outbox"

    def meta(self, month: str) -> str:
        return f"{self.prefix}:batch:{month}"

    def plan(self, month: str) -> str:
        return f"{self.prefix}:batch:{month}:plan"

    def done(self, month: str) -> str:
        return f"{self.prefix}:batch:{month}:done"

    def lists(self, month: str) -> str:
        return f"{self.prefix}:batch:{month}:lists"

    def ledger(self, month: str) -> str:
        return f"{self.prefix}:pushes:{month}"

    def declined_pattern(self) -> str:
        return f"{self.prefix}:declined:*"


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode() if isinstance(value, bytes) else str(value)


# -- the lock -------------------------------------------------------------------------------


class BatchLock:
    """The one-batch-at-a-time lock: SET NX PX with a token, renewed by a daemon thread."""

    def __init__(self, client: redis.Redis, key: str, *, ttl_ms: int = LOCK_TTL_MS) -> None:
        self.client = client
        self.key = key
        self.ttl_ms = ttl_ms
        self.token = secrets.token_hex(16)
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`BatchBusyError`."""
        if not self.client.set(self.key, self.token, nx=True, px=self.ttl_ms):
            raise BatchBusyError("另一个推送批次正在运行，请等它结束后再试（或稍后查看批次状态）。")
        self._thread = threading.Thread(target=self._renew, name="batch-lock", daemon=True)
        self._thread.start()

    def _renew(self) -> None:
        while not self._stop.wait(self.ttl_ms / 3000):
            try:
                if not self.client.eval(_RENEW, 1, self.key, self.token, self.ttl_ms):
                    self.lost.set()
                    return
            except redis.RedisError:
                continue  # try again at the next tick; the TTL leaves room

    def held(self) -> bool:
        """Whether our token is still the lock's value."""
        return _text(self.client.get(self.key)) == self.token

    def release(self) -> None:
        """Stop renewing and delete the lock if it is still ours."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with contextlib.suppress(redis.RedisError):  # else it expires by itself
            self.client.eval(_RELEASE, 1, self.key, self.token)


# -- progress -------------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, label: str, total: int, *, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label = label
        self.total = max(total, 1)
        self.done = 0

    def advance(self, n: int = 1) -> None:
        """Move the bar on by ``n`` steps."""
        self.done += n
        if self.enabled:
            width = 30
            filled = int(width * self.done / self.total)
            bar = "#" * filled + "." * (width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        """End the line."""
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


# -- what the plan reads --------------------------------------------------------------------


def recent_pushes(
    client: redis.Redis, month: str, *, months: int, prefix: str = "rg"
) -> dict[str, set[str]]:
    """Post ids pushed to each person in the ``months`` months before ``month``."""
    keys = Keys(prefix)
    found: dict[str, set[str]] = {}
    for back in range(1, months + 1):
        for laborer_id, raw in client.hgetall(keys.ledger(month_before(month, back))).items():
            found.setdefault(_text(laborer_id), set()).update(p["post_id"] for p in json.loads(raw))
    return found


def declined_by_person(client: redis.Redis, *, prefix: str = "rg") -> dict[str, set[str]]:
    """Post ids each person declined (the sets that outcomes keep)."""
    keys = Keys(prefix)
    names = sorted(_text(k) for k in client.scan_iter(match=keys.declined_pattern(), count=1000))
    pipe = client.pipeline(transaction=False)
    for name in names:
        pipe.smembers(name)
    found: dict[str, set[str]] = {}
    for name, members in zip(names, pipe.execute(), strict=True):
        found[name.rsplit(":", 1)[1]] = {_text(m) for m in members}
    return found


def month_day(month: str, today: dt.date) -> dt.date:
    """The day a month's plan is computed for: today within the month, else its first day."""
    first = parse_month(month)
    return today if (today.year, today.month) == (first.year, first.month) else first


def load_inputs(client: redis.Redis, settings: Any, *, today: dt.date) -> BatchInputs:
    """The roster and the post index as stored now, for a plan on ``today``."""
    from service.catalogue_store import CatalogueStore
    from service.roster_store import RosterStore
    from service.title_cache import warm_titles

    roster = RosterStore(client, prefix=settings.key_prefix, secret=settings.resolved_secret())
    records = roster.load_all()
    catalogue = CatalogueStore(client, prefix=settings.key_prefix)
    posts = catalogue.all_posts()
    warm_titles(catalogue, (p.title for p in posts))
    index = PostIndex.build(
        posts,
        catalogue.agreements(),
        catalogue.employer_controls(),
        today=today,
        version=catalogue.version(),
    )
    return BatchInputs(
        laborers=[r.laborer for r in records],
        tiers={r.laborer.laborer_id: r.tier for r in records},
        index=index,
        today=today,
    )


# -- the stored plan ------------------------------------------------------------------------


def _place(post: Post) -> str:
    return "".join(x for x in (post.district, post.township, post.address) if x)


def _pay(post: Post) -> str:
    low, high = post.salary_min, post.salary_max
    if low and high:
        return f"{low}–{high}元/月"
    if low:
        return f"{low}元/月起"
    if high:
        return f"最高{high}元/月"
    return "面议"


def push_records(plan: MonthPlan, inputs: BatchInputs) -> list[dict[str, Any]]:
    """Every push as a JSON-ready record: what the ledger, the outbox and the export need."""
    people = {lab.laborer_id: lab for lab in inputs.laborers}
    records = []
    for push in plan.pushes:
        lab = people[push.laborer_id]
        post = inputs.index.posts[inputs.index.row_of(push.post_id)]
        records.append(
            {
                "laborer_id": push.laborer_id,
                "name": mask_name(lab.name),
                "township": lab.township,
                "village": lab.village,
                "tier": inputs.tiers.get(push.laborer_id, "general"),
                "difficulty": lab.difficulty,
                "post_id": push.post_id,
                "external_id": post.external_id,
                "title": post.title,
                "employer": post.employer,
                "kind": post.kind,
                "place": _place(post),
                "pay": _pay(post),
                "contact": post.contact,
                "rank": push.rank,
                "candidate_rank": push.candidate_rank,
                "score": push.score,
                "reasons": list(push.reasons),
                "overflow": push.overflow,
            }
        )
    return records


def chunked(records: Sequence[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    """Records cut into chunks of about ``size`` pushes, never splitting one person's pushes."""
    chunks: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    for i, record in enumerate(records):
        current.append(record)
        last_of_person = (
            i + 1 == len(records) or records[i + 1]["laborer_id"] != record["laborer_id"]
        )
        if len(current) >= size and last_of_person:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def month_stats(plan: MonthPlan, inputs: BatchInputs) -> dict[str, Any]:
    """The month's statistics: pushes by tier and kind, the floor's compliance, shortage,
    congestion."""
    people = {lab.laborer_id: lab for lab in inputs.laborers}
    index = inputs.index
    by_tier: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    per_person: Counter[str] = Counter()
    for push in plan.pushes:
        by_tier[inputs.tiers.get(push.laborer_id, "general")] += 1
        by_kind[index.posts[index.row_of(push.post_id)].kind] += 1
        per_person[push.laborer_id] += 1
    short = {s.laborer_id for s in plan.shortage}
    difficulty = [lid for lid in plan.quotas if people[lid].difficulty]
    served_two = [lid for lid in difficulty if per_person[lid] >= 2]
    not_short = [lid for lid in difficulty if lid not in short]
    open_rows = np.flatnonzero(index.open_mask(inputs.today) & (index.places_left > 0))
    counts = np.zeros(len(index), dtype=np.int64)
    for post_id, load in plan.loads.items():
        counts[index.row_of(post_id)] = load
    rows = np.union1d(open_rows, np.flatnonzero(counts))
    figures = congestion(counts[rows], index.places_left[rows])
    return {
        "people": plan.people,
        "pushes": len(plan.pushes),
        "not_needed": dict(plan.not_needed),
        "pushes_by_tier": dict(sorted(by_tier.items())),
        "pushes_by_kind": dict(sorted(by_kind.items())),
        "difficulty_people": len(difficulty),
        "difficulty_with_two": len(served_two),
        "difficulty_share_two": round(len(served_two) / len(difficulty), 4) if difficulty else 1.0,
        "difficulty_share_two_not_short": (
            round(sum(per_person[x] >= 2 for x in not_short) / len(not_short), 4)
            if not_short
            else 1.0
        ),
        "overflows": sum(1 for p in plan.pushes if p.overflow),
        "shortage_people": len(plan.shortage),
        "shortage_by_township": shortage_by_township(plan.shortage),
        "follow_up_people": len(plan.follow_up),
        "congestion": figures.as_dict(),
    }


# -- the runner -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Timings:
    """Seconds spent in each part of the last run (0 for parts it did not need)."""

    load: float = 0.0
    plan: float = 0.0
    store: float = 0.0
    commit: float = 0.0


class BatchRunner:
    """Runs and reports the monthly batch against one Redis."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        prefix: str = "rg",
        chunk: int = 2000,
        lock_ttl_ms: int = LOCK_TTL_MS,
        progress_stream: TextIO | None = None,
    ) -> None:
        if chunk < 1:
            raise ValueError(f"chunk must be >= 1, got {chunk}")
        self.client = client
        self.keys = Keys(prefix)
        self.prefix = prefix
        self.chunk = chunk
        self.lock_ttl_ms = lock_ttl_ms
        self.progress_stream = progress_stream
        self.timings = Timings()
        self.plan_timings: dict[str, float] = {}

    def state(self, month: str) -> str | None:
        """planned / committing / done, or None for a month never planned."""
        value = self.client.hget(self.keys.meta(month), "state")
        return _text(value) or None

    def run(
        self,
        month: str,
        *,
        inputs: Callable[[], BatchInputs],
        settings: PlanSettings,
        pause_after: int | None = None,
    ) -> dict[str, Any]:
        """Run (or resume, or confirm) the batch of ``month``; returns its status.

        ``pause_after`` stops for good after committing that many chunks in this run (the
        crash tests kill the process there).
        """
        parse_month(month)
        lock = BatchLock(self.client, self.keys.lock, ttl_ms=self.lock_ttl_ms)
        lock.acquire()
        try:
            if self.state(month) == "done":
                return self.status(month)
            timings = {"load": 0.0, "plan": 0.0, "store": 0.0}
            if self.state(month) is None:
                t_load = time.perf_counter()
                data = inputs()
                recent = recent_pushes(
                    self.client, month, months=settings.repeat_window_months, prefix=self.prefix
                )
                declined = declined_by_person(self.client, prefix=self.prefix)
                timings["load"] = time.perf_counter() - t_load
                t_plan = time.perf_counter()
                plan = plan_month(
                    data.laborers,
                    data.index,
                    month=month,
                    today=data.today,
                    tiers=data.tiers,
                    quotas=settings.quotas,
                    difficulty_floor=settings.difficulty_floor,
                    cap_multiple=settings.cap_multiple,
                    recent=recent,
                    declined=declined,
                    weights=settings.weights,
                    limits=settings.limits,
                    k=settings.k,
                )
                timings["plan"] = time.perf_counter() - t_plan
                self.plan_timings = dict(plan.timings)
                t_store = time.perf_counter()
                self._store_plan(month, plan, data, lock, weights_source=settings.weights_source)
                timings["store"] = time.perf_counter() - t_store
            t_commit = time.perf_counter()
            self._commit(month, lock, pause_after=pause_after)
            self.timings = Timings(
                load=timings["load"],
                plan=timings["plan"],
                store=timings["store"],
                commit=time.perf_counter() - t_commit,
            )
            return self.status(month)
        finally:
            lock.release()

    def _guarded(
        self, lock: BatchLock, watched: Sequence[str], write: Callable[[Any], bool]
    ) -> None:
        """One MULTI/EXEC of ``write``, only while our lock holds; retried on a WATCH race."""
        while True:
            with self.client.pipeline(transaction=True) as pipe:
                try:
                    pipe.watch(self.keys.lock, *watched)  # type: ignore[no-untyped-call]
                    if _text(pipe.get(self.keys.lock)) != lock.token:
                        raise BatchError(
                            "批次锁已失效（运行超时或被另一进程接管），请重新运行本批次。"
                        )
                    if not write(pipe):
                        pipe.reset()
                        return
                    pipe.execute()
                    return
                except redis.WatchError:
                    continue  # the lock was renewed (PEXPIRE) or the set changed: read again

    def _store_plan(
        self,
        month: str,
        plan: MonthPlan,
        data: BatchInputs,
        lock: BatchLock,
        *,
        weights_source: str,
    ) -> None:
        records = push_records(plan, data)
        chunks = chunked(records, self.chunk)
        stats = month_stats(plan, data)
        stats["weights_source"] = weights_source  # which weights ranked the month's posts
        people = {lab.laborer_id: lab for lab in data.laborers}
        lists = {
            "shortage": [
                {
                    "laborer_id": s.laborer_id,
                    "name": mask_name(people[s.laborer_id].name),
                    "township": s.township,
                    "village": s.village,
                    "reason": s.reason,
                    "quota": s.quota,
                    "got": s.got,
                }
                for s in plan.shortage
            ],
            "follow_up": [
                {
                    "laborer_id": f.laborer_id,
                    "name": mask_name(people[f.laborer_id].name),
                    "township": f.township,
                    "village": f.village,
                    "tier": f.tier,
                    "difficulty": f.difficulty,
                    "post_ids": list(f.post_ids),
                    "training": list(f.training),
                }
                for f in plan.follow_up
            ],
        }

        def write(pipe: Any) -> bool:
            if pipe.hget(self.keys.meta(month), "state") is not None:
                return False  # stored already (cannot happen under the lock; kept for safety)
            pipe.multi()
            pipe.delete(self.keys.plan(month), self.keys.done(month))
            if chunks:
                pipe.hset(
                    self.keys.plan(month),
                    mapping={
                        str(i): json.dumps(c, ensure_ascii=False) for i, c in enumerate(chunks)
                    },
                )
            pipe.hset(
                self.keys.lists(month),
                mapping={k: json.dumps(v, ensure_ascii=False) for k, v in lists.items()},
            )
            pipe.hset(
                self.keys.meta(month),
                mapping={
                    "state": "planned",
                    "month": month,
                    "day": data.today.isoformat(),
                    "people": plan.people,
                    "pushes": len(records),
                    "chunks": len(chunks),
                    "stats": json.dumps(stats, ensure_ascii=False),
                },
            )
            return True

        self._guarded(lock, [self.keys.meta(month)], write)

    def _commit(self, month: str, lock: BatchLock, *, pause_after: int | None) -> None:
        meta = self.keys.meta(month)
        total = int(_text(self.client.hget(meta, "chunks")) or 0)
        self.client.hset(meta, "state", "committing")
        done = {int(_text(x)) for x in self.client.smembers(self.keys.done(month))}
        bar = Progress(f"批次 {month} 提交", total, stream=self.progress_stream)
        bar.advance(len(done))
        committed = 0
        for i in range(total):
            if i in done:
                continue
            raw = self.client.hget(self.keys.plan(month), str(i))
            records: list[dict[str, Any]] = json.loads(raw or "[]")
            self._commit_chunk(month, i, records, lock)
            committed += 1
            bar.advance()
            if pause_after is not None and committed >= pause_after:
                bar.close()
                sys.stderr.write(f"PAUSED after chunk {i}\n")
                sys.stderr.flush()
                while True:  # the crash test kills the process here
                    time.sleep(3600)
        bar.close()

        def finish(pipe: Any) -> bool:
            pipe.multi()
            pipe.hset(meta, "state", "done")
            pipe.zadd(self.keys.months, {month: _month_number(month)})
            return True

        self._guarded(lock, [], finish)

    def _commit_chunk(
        self, month: str, index: int, records: list[dict[str, Any]], lock: BatchLock
    ) -> None:
        by_person: dict[str, list[dict[str, Any]]] = {}
        for r in records:
            by_person.setdefault(r["laborer_id"], []).append(
                {
                    "post_id": r["post_id"],
                    "rank": r["rank"],
                    "candidate_rank": r["candidate_rank"],
                    "score": r["score"],
                    "overflow": r["overflow"],
                }
            )

        def write(pipe: Any) -> bool:
            if pipe.sismember(self.keys.done(month), str(index)):
                return False  # committed already: never twice
            pipe.multi()
            if by_person:
                pipe.hset(
                    self.keys.ledger(month),
                    mapping={k: json.dumps(v) for k, v in by_person.items()},
                )
            for r in records:
                pipe.xadd(self.keys.outbox, outbox_message(month, r))
            pipe.sadd(self.keys.done(month), str(index))
            return True

        self._guarded(lock, [self.keys.done(month)], write)

    # -- reading ------------------------------------------------------------------------------

    def status(self, month: str) -> dict[str, Any]:
        """The month's state and figures, as ``renggang batch status --json`` prints them."""
        meta = {_text(k): _text(v) for k, v in self.client.hgetall(self.keys.meta(month)).items()}
        lists_raw = self.client.hget(self.keys.lists(month), "shortage")
        shortage = json.loads(lists_raw) if lists_raw else []
        chunks = int(meta.get("chunks") or 0)
        return {
            "month": month,
            "state": meta.get("state") or "none",
            "people": int(meta.get("people") or 0),
            "pushes": int(meta.get("pushes") or 0),
            "committed_pushes": sum(
                len(json.loads(v)) for v in self.client.hvals(self.keys.ledger(month))
            ),
            "chunks": chunks,
            "chunks_done": int(self.client.scard(self.keys.done(month))),
            "shortage": [
                {"laborer_id": s["laborer_id"], "township": s["township"], "reason": s["reason"]}
                for s in shortage
            ],
            "stats": json.loads(meta["stats"]) if meta.get("stats") else None,
        }

    def follow_up(self, month: str, *, township: str | None = None) -> list[dict[str, Any]]:
        """The month's follow-up list (optionally of one township)."""
        raw = self.client.hget(self.keys.lists(month), "follow_up")
        entries: list[dict[str, Any]] = json.loads(raw) if raw else []
        return [e for e in entries if township is None or e["township"] == township]

    def shortage(self, month: str) -> list[dict[str, Any]]:
        """The month's shortage list with names masked."""
        raw = self.client.hget(self.keys.lists(month), "shortage")
        return json.loads(raw) if raw else []

    def ledger(self, month: str) -> dict[str, list[dict[str, Any]]]:
        """The committed pushes of the month: laborer_id → pushes (post_id, rank, score…)."""
        return {
            _text(k): json.loads(v) for k, v in self.client.hgetall(self.keys.ledger(month)).items()
        }

    def planned_records(self, month: str) -> Iterator[dict[str, Any]]:
        """Every planned push record of the month, chunk by chunk."""
        raw = self.client.hgetall(self.keys.plan(month))
        for key in sorted(raw, key=lambda k: int(_text(k))):
            yield from json.loads(raw[key])

    def done_months(self) -> list[str]:
        """Months whose batch is done, oldest first."""
        return [_text(m) for m in self.client.zrange(self.keys.months, 0, -1)]  # type: ignore[arg-type]


def outbox_message(month: str, record: Mapping[str, Any]) -> dict[str, str]:
    """The gateway's message for one push: no ID number, no phone of the person."""
    return {
        "month": month,
        "laborer_id": record["laborer_id"],
        "name": record["name"],
        "post_id": record["post_id"],
        "title": record["title"],
        "employer": record["employer"],
        "place": record["place"],
        "pay": record["pay"],
        "contact": record["contact"],
        "rank": str(record["rank"]),
        "score": f"{record['score']:.4f}",
    }


def _month_number(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 100 + int(mon)


__all__ = [
    "STATES",
    "WEIGHT_SOURCES",
    "BatchBusyError",
    "BatchError",
    "BatchInputs",
    "BatchLock",
    "BatchRunner",
    "Keys",
    "PlanSettings",
    "Progress",
    "chunked",
    "declined_by_person",
    "load_inputs",
    "month_day",
    "month_stats",
    "outbox_message",
    "push_records",
    "recent_pushes",
]
