"""Benchmark: import a generated 100,000-row roster end to end, from CSV and from ``.xlsx``.

The roster comes from ``evaluation.synth.generate_world`` (the synthetic outer districts). For
each format the benchmark writes the file, times merely reading it (``read_table``), then, on a
fresh embedded Redis, times the import end to end (read, validate, tier, verify and write in
one MULTI/EXEC; a file this large is read and checked in two parts at once, the second in a
forked worker), and prints rows per second and the ratio of the import's time to the reading
time measured in the same run (absolute times are noisy on a shared machine; the ratio less
so). Each read and each import is timed in a fresh Python process, as ``renggang roster
import`` runs it: the timing starts with the file's bytes, the gazetteer and the tier rules in
memory and the store empty. (Timed in the benchmark's own process, an import would fork a
process holding the generated world, about 1 GB, and pay for its pages.) "one part s" is the same import read in one part (``parallel=False``); the two kinds
run in turn, ``--repeats`` times each, and the best of each is printed. On a machine shared
with other work, wall time also counts waiting for a core: the CPU seconds of this process
and its worker and of the Redis server during the import are printed too, and rows per
CPU-second is the figure least disturbed by neighbours. Peak memory ("1-part peak") is
Python's peak in a further import of the same file in one part, under ``tracemalloc`` (which
slows Python down, so it is not timed): the most one process holds for the whole file (in two
parts each process holds its half; tracemalloc would see only this process's), beside the
process's peak RSS.

The aims were set on a faster machine: :mod:`evaluation.machine` times calamine and openpyxl
reading the same ``.xlsx`` (the issue's own yardsticks, 1.5 s and 18 s per 100,000 rows there)
and prints each aim scaled to this machine, beside the aim as written.

Run: ``python -m evaluation.bench_roster [--rows 100000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import redis

from evaluation.machine import aim_line, measure_machine
from evaluation.synth import generate_world, write_rows_csv, write_rows_xlsx
from features.eligibility import AgeLimits
from features.gazetteer import load_gazetteer
from features.roster import ROSTER_COLUMNS
from features.tabular import read_table
from features.tiers import load_tier_rules
from service.roster_store import ImportOutcome, RosterStore, import_roster_file
from service.store import start_embedded, stop_embedded

AS_OF = dt.date(2026, 11, 1)
SECRET = "bench-secret"
AIMS = {"csv": 25_000, "xlsx": 15_000}


def _import(
    client: redis.Redis, data: bytes, name: str, *, parallel: bool | None = None
) -> ImportOutcome:
    return import_roster_file(
        RosterStore(client, secret=SECRET),
        data,
        name,
        as_of=AS_OF,
        limits=AgeLimits(),
        rules=load_tier_rules(),
        gazetteer=load_gazetteer(),
        parallel=parallel,
    )


def _own_cpu() -> float:
    """CPU seconds of this process and of its finished children (the import's worker)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _server_cpu(client: redis.Redis) -> float:
    """CPU seconds the Redis server has used so far (user + system, main thread and children)."""
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def _in_fresh_process(*args: str) -> dict[str, float]:
    """Run this module's ``--time`` in a new Python process and return what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "evaluation.bench_roster", "--time", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"the timed process failed: {done.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return figures


def _time_one(path: Path, socket: str | None, parallel: bool = False) -> dict[str, float]:
    """In a fresh process: the file's bytes and the reference data in memory, time reading the
    file (``socket`` None) or importing it into the server at ``socket``, in two parts where
    ``parallel`` (as the CLI does for a large file), else in one."""
    data = path.read_bytes()
    gazetteer, rules = load_gazetteer(), load_tier_rules()
    if socket is None:
        start = time.perf_counter()
        rows = len(read_table(data, path.name).rows)
        return {"wall": time.perf_counter() - start, "rows": rows}
    client = redis.Redis(unix_socket_path=socket)
    server0, cpu0 = _server_cpu(client), _own_cpu()
    start = time.perf_counter()
    outcome = import_roster_file(
        RosterStore(client, secret=SECRET),
        data,
        path.name,
        as_of=AS_OF,
        limits=AgeLimits(),
        rules=rules,
        gazetteer=gazetteer,
        parallel=parallel,
    )
    wall = time.perf_counter() - start
    cpu, server = _own_cpu() - cpu0, _server_cpu(client) - server0
    if not outcome.written:
        raise RuntimeError(f"import refused: {outcome.errors[:3]}")
    return {"wall": wall, "cpu": cpu, "server": server, "created": outcome.summary.created}


def bench_file(path: Path, folder: Path, repeats: int = 2) -> dict[str, float]:
    """Read; import in parts and in one part, in turn, ``repeats`` times each (the best of
    each is kept), each in a fresh process as the CLI runs it; load back; import again in one
    part under tracemalloc (peak memory)."""
    data = path.read_bytes()
    reads = [_in_fresh_process(str(path)) for _ in range(repeats)]
    read_s = min(r["wall"] for r in reads)
    n = int(reads[0]["rows"])
    socket = start_embedded(folder, stop_at_exit=False)
    client = redis.Redis(unix_socket_path=str(socket))
    best: dict[bool, tuple[float, float, float]] = {}  # parallel → (wall, own CPU, Redis CPU)
    try:
        for _ in range(repeats):
            for parallel in (True, False):
                client.flushdb()
                kind = "parts" if parallel else "one"
                r = _in_fresh_process(str(path), str(socket), kind)
                if r["created"] != n:
                    raise RuntimeError(f"the import created {r['created']:.0f} of {n} people")
                if parallel not in best or r["wall"] < best[parallel][0]:
                    best[parallel] = (r["wall"], r["cpu"], r["server"])
        import_s, client_cpu, server_cpu = best[True]
        one_part_s = best[False][0]
        gc.collect()
        start = time.perf_counter()
        records = RosterStore(client, secret=SECRET).load_all()
        load_s = time.perf_counter() - start
        if len(records) != n:
            raise RuntimeError(f"load_all gave {len(records)} of {n}")
        del records
        client.flushdb()
        gc.collect()
        tracemalloc.start()
        _import(client, data, path.name, parallel=False)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        client.close()
        stop_embedded(folder)
    return {
        "rows": n,
        "bytes": len(data),
        "read_s": read_s,
        "import_s": import_s,
        "rows_per_s": n / import_s,
        "ratio": import_s / read_s,
        "peak_mib": peak / 2**20,
        "load_all_s": load_s,
        "one_part_s": one_part_s,
        "client_cpu_s": client_cpu,
        "server_cpu_s": server_cpu,
    }


def main(argv: list[str] | None = None) -> int:
    """Generate, write, read and import the roster; print the figures."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.bench_roster")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261101)
    parser.add_argument("--repeats", type=int, default=2, help="imports of each kind (best kept)")
    parser.add_argument("--time", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.time:  # one timed read or import, in the fresh process bench_file started
        path, *server = args.time  # FILE, or FILE SOCKET parts|one
        socket = server[0] if server else None
        timed = _time_one(Path(path), socket, server[1:] == ["parts"])
        print(json.dumps(timed))
        return 0
    start = time.perf_counter()
    world = generate_world(seed=args.seed, people=args.rows, posts=1, year=AS_OF.year, today=AS_OF)
    rows = world.roster_rows
    del world
    headers = [c.header for c in ROSTER_COLUMNS]
    print(
        f"generated {len(rows):,} roster rows in {time.perf_counter() - start:.1f} s; as of {AS_OF}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {
            "csv": write_rows_csv(rows, folder / "roster.csv", headers=headers),
            "xlsx": write_rows_xlsx(rows, folder / "roster.xlsx", headers=headers),
        }
        del rows
        speed = measure_machine(files["xlsx"])
        print(speed.describe())
        print(
            f"{'format':<6} {'rows':>8} {'MiB':>5} {'read s':>7} {'import s':>9} {'rows/s':>8}"
            f" {'import/read':>11} {'one part s':>10} {'1-part peak':>11} {'load_all s':>10}"
            f" {'aim':>7} {'aim here':>8} {'cpu s py+redis':>15} {'rows/cpu-s':>10}",
            flush=True,
        )
        verdicts = []
        for fmt, path in files.items():
            r = bench_file(path, folder / f"redis-{fmt}", args.repeats)
            here = speed.scaled(AIMS[fmt])
            print(
                f"{fmt:<6} {r['rows']:>8,.0f} {r['bytes'] / 2**20:>5.1f} {r['read_s']:>7.2f}"
                f" {r['import_s']:>9.2f} {r['rows_per_s']:>8,.0f} {r['ratio']:>11.1f}"
                f" {r['one_part_s']:>10.2f} {r['peak_mib']:>11.0f} {r['load_all_s']:>10.2f}"
                f" {AIMS[fmt]:>7,} {here:>8,.0f}"
                f" {r['client_cpu_s']:>7.2f}+{r['server_cpu_s']:<7.2f}"
                f" {r['rows'] / (r['client_cpu_s'] + r['server_cpu_s']):>10,.0f}",
                flush=True,
            )
            verdicts.append(aim_line(fmt, r["rows_per_s"], AIMS[fmt], speed))
        print("\n".join(verdicts))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS {maxrss:.0f} MiB (includes the generated world)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
