"""Benchmark: the monthly batch for 80,000 people and 20,000 posts, commit included.

``python -m evaluation.bench_batch [--people 80000] [--posts 20000] [--chunk 2000]``

People and posts come from :mod:`evaluation.synth` (parsed by the real parsers); as in
:mod:`evaluation.bench_score_all`, every working-age person is marked as wanting work and the
roster repeated until ``--people`` need pushes. Tiers come from the shipped tier rules. The batch
runs through :class:`service.batch.BatchRunner` on a fresh embedded Redis in a temporary folder:
plan (scoring, allocation, reasons, follow-up), storing the plan, committing it in chunks to
the ledger and the outbox.

The reference, measured in the same run (before and after, averaged): numpy's dense float32
product of a people×128 by 128×posts matrix in blocks with a top-20 per row — the reference of
the matching benchmark. Aim: the whole batch within 5× of it. Peak memory is the process's peak
resident set (world, index, plan and reference together).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import redis

from evaluation.bench_refer import load_world
from evaluation.bench_score_all import reference, wanting_work
from features.tiers import assess_tier, load_tier_rules
from matcher.index import PostIndex
from service.batch import BatchInputs, BatchRunner, PlanSettings
from service.store import start_embedded, stop_embedded

MONTH = "2026-11"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=80_000)
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=2000)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    world = load_world(people=args.people, posts=args.posts)
    people = wanting_work(world.laborers, args.people, world.today)
    rules = load_tier_rules()
    tiers = {p.laborer_id: assess_tier(p, world.today, rules).tier for p in people}
    index = PostIndex.build(world.posts, world.agreements, {}, today=world.today)
    setup_s = time.perf_counter() - started
    difficulty = sum(p.difficulty for p in people)
    print(
        f"people {len(people)} needing pushes ({difficulty} difficulty), posts {len(index)} "
        f"({int(index.places_left.sum())} places left); world built in {setup_s:.1f} s (not timed)"
    )

    ref_before, _ = reference(len(people), len(index), k=20)

    with tempfile.TemporaryDirectory(prefix="renggang-bench-") as tmp:
        folder = Path(tmp) / "redis"
        socket = start_embedded(folder, stop_at_exit=False)
        client = redis.Redis(unix_socket_path=str(socket))
        try:
            runner = BatchRunner(client, prefix="bench", chunk=args.chunk)
            inputs = BatchInputs(laborers=people, tiers=tiers, index=index, today=world.today)
            begin = time.perf_counter()
            status = runner.run(
                MONTH,
                inputs=lambda: inputs,
                settings=PlanSettings(quotas={"general": 1, "key": 2, "special": 3}),
            )
            total_s = time.perf_counter() - begin
            outbox = client.xlen("bench:outbox")
        finally:
            client.close()
            stop_embedded(folder)
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2

    ref_after, _ = reference(len(people), len(index), k=20, seed=1)
    ref_s = (ref_before + ref_after) / 2
    parts = runner.plan_timings
    t = runner.timings
    stats = status["stats"]
    print(
        f"reference (float32 {len(people)}x128 @ 128x{len(index)} in blocks, top-20): "
        f"{ref_before:.2f} s before, {ref_after:.2f} s after"
    )
    print(f"batch total {total_s:.2f} s; ratio to reference {total_s / ref_s:.2f}x (aim <= 5x)")
    print(
        f"  plan {t.plan:.2f} s = score {parts.get('score', 0):.2f} s + allocation "
        f"{parts.get('allocate', 0):.2f} s + reasons {parts.get('explain', 0):.2f} s + "
        f"training for follow-up {parts.get('follow_up', 0):.2f} s"
    )
    print(
        f"  read history {t.load:.2f} s, store plan {t.store:.2f} s, "
        f"commit {t.commit:.2f} s ({status['chunks']} chunks)"
    )
    print(
        f"pushes {status['pushes']} (outbox {outbox}), shortage {len(status['shortage'])}, "
        f"overflows {stats['overflows']}, difficulty with >= 2: {stats['difficulty_share_two']:.1%}"
        f" (of those not short: {stats['difficulty_share_two_not_short']:.1%})"
    )
    cong = stats["congestion"]
    print(
        f"congestion: pushes per place max {cong['per_place_max']}, p90 {cong['per_place_p90']}, "
        f"gini {cong['gini']}, entropy {cong['entropy']}, posts pushed {cong['posts_pushed']}"
    )
    print(f"peak resident memory of the process: {peak_gb:.2f} GB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
