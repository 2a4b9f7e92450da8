"""Benchmark: every person against every post (the monthly batch's scoring), top-20 each.

``python -m evaluation.bench_score_all [--people 80000] [--posts 20000] [--k 20]``

People and posts come from :mod:`evaluation.synth`. The synthetic roster is realistic, so only
about a third of it needs work; to score the full ``--people`` the benchmark marks every
working-age person of the roster as without work and wanting a job, and repeats roster rows
(with new laborer ids) until there are ``--people`` of them.

The reference, measured in the same run: numpy's dense float32 product of a people×128 by
128×posts matrix, in blocks of rows, with the top-k of each row by ``argpartition``. The two
run in alternating chunks of ``--chunk`` people (each ``score_all`` call sorts and blocks its
chunk), so that both see the same load of a shared machine. Aims:
``score_all`` within 3× of the reference, peak memory under 4 GB (the process's peak resident
set, which includes the world, the index and both runs).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import resource
import time

import numpy as np
import numpy.typing as npt

from features.eligibility import AgeLimits, excluded_reason
from features.laborer import Laborer
from matcher.bulk import score_all
from matcher.index import PostIndex

REFERENCE_DIM = 128
REFERENCE_BLOCK = 2048


def reference(
    people: int, posts: int, *, k: int, block: int = REFERENCE_BLOCK, seed: int = 0
) -> tuple[float, npt.NDArray[np.int64]]:
    """Seconds for the dense float32 product in blocks with a top-k per row, and the top-k."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((people, REFERENCE_DIM), dtype=np.float32)
    b = rng.standard_normal((REFERENCE_DIM, posts), dtype=np.float32)
    top = np.empty((people, k), np.int64)
    start = time.perf_counter()
    for i in range(0, people, block):
        scores = a[i : i + block] @ b
        top[i : i + block] = np.argpartition(scores, posts - k, axis=1)[:, posts - k :]
    return time.perf_counter() - start, top


def wanting_work(laborers: list[Laborer], n: int, today: dt.date) -> list[Laborer]:
    """``n`` people of working age marked as without work and wanting a job."""
    limits = AgeLimits()
    base = [
        dataclasses.replace(p, employment="无业", wants_job=True)
        for p in laborers
        if excluded_reason(p, today, limits) is None
    ]
    out = list(base[:n])
    round_no = 1
    while len(out) < n and base:
        out.extend(
            dataclasses.replace(p, laborer_id=f"{p.laborer_id}r{round_no}")
            for p in base[: n - len(out)]
        )
        round_no += 1
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    from evaluation.bench_refer import load_world

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=80_000)
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--block", type=int, default=None)
    parser.add_argument("--chunk", type=int, default=20_000)
    args = parser.parse_args(argv)

    world = load_world(people=args.people, posts=args.posts)
    people = wanting_work(world.laborers, args.people, world.today)
    distinct = sum(1 for p in people if len(p.laborer_id) == 16)
    index = PostIndex.build(world.posts, world.agreements, {}, today=world.today)
    print(f"people {len(people)} ({distinct} distinct roster rows), posts {len(index)}, k {args.k}")

    # The load of a shared machine drifts over minutes: the two are run in alternating chunks
    # of people, so that both see the same load, and their times are summed.
    options = {} if args.block is None else {"block": args.block}
    ref_s = ours_s = 0.0
    eligible_counts = []
    filled = 0
    for start in range(0, len(people), args.chunk):
        chunk = people[start : start + args.chunk]
        ref_s += reference(len(chunk), len(index), k=args.k, seed=start)[0]
        clock = time.perf_counter()
        found = score_all(chunk, index, k=args.k, today=world.today, **options)
        ours_s += time.perf_counter() - clock
        eligible_counts.append(found.eligible_counts)
        filled += int((found.rows >= 0).sum())
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"reference (float32 {len(people)}x{REFERENCE_DIM} @ {REFERENCE_DIM}x{len(index)} "
        f"in blocks of {REFERENCE_BLOCK}, top-{args.k} by argpartition): {ref_s:.2f} s"
    )
    print(
        f"score_all: {ours_s:.2f} s in chunks of {args.chunk} people alternating with the "
        f"reference; ratio to reference {ours_s / ref_s:.2f}x (aim <= 3x); "
        f"{filled / (len(people) * args.k):.1%} of the top-{args.k} slots filled; "
        f"median eligible posts per person {int(np.median(np.concatenate(eligible_counts)))}"
    )
    print(f"peak resident memory of the process: {peak_gb:.2f} GB (aim < 4 GB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
