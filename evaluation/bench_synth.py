"""Benchmark: generating the synthetic Beijing, against writing the same rows as CSV.

Run ``python -m evaluation.bench_synth [PEOPLE]``. Prints wall and CPU seconds of
``generate_world`` and, as a reference measured in the same run on the same machine, of
writing the roster rows to a CSV file in memory; the ratio is what to compare between runs
(absolute times depend on how busy the machine is).
"""

from __future__ import annotations

import csv
import io
import sys
import time

from evaluation.synth import ROSTER_HEADERS, generate_world
from features.gazetteer import load_gazetteer


def main(argv: list[str] | None = None) -> int:
    """Time the generator for ``PEOPLE`` people (default 100,000) and print the figures."""
    args = sys.argv[1:] if argv is None else argv
    people = int(args[0]) if args else 100_000
    load_gazetteer()
    generate_world(people=100)  # warm the caches (titles, gazetteer)
    wall, cpu = time.perf_counter(), time.process_time()
    world = generate_world(people=people)
    gen_wall, gen_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ROSTER_HEADERS)
    writer.writeheader()
    writer.writerows(world.roster_rows)
    ref_wall, ref_cpu = time.perf_counter() - wall, time.process_time() - cpu
    posts = len(world.all_post_rows)
    print(f"generate_world: {people:,} people, {posts:,} posts")
    print(
        f"  generate   wall {gen_wall:6.2f} s  cpu {gen_cpu:6.2f} s  ({people / gen_cpu:,.0f} people/s cpu)"
    )
    print(f"  write CSV  wall {ref_wall:6.2f} s  cpu {ref_cpu:6.2f} s  (reference)")
    print(f"  ratio generate / write CSV (cpu): {gen_cpu / ref_cpu:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
