"""Benchmark: referrals over HTTP against uvicorn, beside a trivial endpoint of the same app.

``python -m evaluation.bench_http [--posts 20000] [--people 3000] [--seconds 20] [--concurrency 32]``

A synthetic Beijing (:mod:`evaluation.synth`) is loaded into an embedded Redis through the
real import paths (roster import, agreements, post uploads: ``--posts`` posts). The app runs
under uvicorn in a child process on loopback, so the server and the clients each get a core.
httpx async clients then ask, ``--concurrency`` at a time for ``--seconds`` each:

- the trivial endpoint (``GET /api/v1/bench/trivial``: a fixed ten-item JSON list), then
- ``GET /api/v1/laborers/{id}/referrals`` for random people of one township who need work,
  with a counselor's key of that township: a key check, Redis reads, scoring every post, an
  audit append.

Printed: requests/s, p50 and p99 latency and errors of both, and the ratio of the referral
rate to the trivial rate (aim: ≥ 30%, zero errors). Absolute rates depend on the machine; the
ratio is what to compare. Last, a staleness check: a hire recorded through the API must show
in the very next referral answer of that person.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np

SECRET = "bench-http-secret"


@dataclass(frozen=True, slots=True)
class Load:
    """What one timed run measured."""

    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        """Successful requests per second."""
        return (self.requests - self.errors) / self.seconds

    def line(self) -> str:
        """One printed line."""
        lat = np.array(self.latencies_ms or [0.0])
        return (
            f"{self.name:<10} {self.rate:9.1f} req/s   p50 {np.percentile(lat, 50):7.2f} ms"
            f"   p99 {np.percentile(lat, 99):7.2f} ms   errors {self.errors} of {self.requests}"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_world(settings: object, *, people: int, posts: int) -> tuple[dt.date, str, str, list[str]]:
    """Load the world into the store; (day, district, township, laborer ids needing work there)."""
    from catalogue.agreements import parse_agreements
    from evaluation.synth import generate_world, write_world
    from features.eligibility import no_push_reason
    from features.gazetteer import load_gazetteer
    from features.tiers import load_tier_rules
    from service.catalogue_store import CatalogueStore
    from service.roster_store import RosterStore, import_roster_file
    from service.settings import Settings
    from service.store import connect
    from service.wiring import age_limits

    assert isinstance(settings, Settings)
    client = connect(settings)
    world = generate_world(people=people, posts=posts)
    day = world.today
    files = write_world(world, settings.data_dir / "world")
    gaz = load_gazetteer()
    catalogue = CatalogueStore(client, prefix=settings.key_prefix)
    catalogue.add_agreements(parse_agreements(world.agreements, gazetteer=gaz))
    roster = RosterStore(client, prefix=settings.key_prefix, secret=SECRET)
    limits = age_limits(settings)
    outcome = import_roster_file(
        roster,
        files["roster"].read_bytes(),
        "roster.csv",
        as_of=day,
        limits=limits,
        rules=load_tier_rules(),
        gazetteer=gaz,
    )
    assert outcome.written, outcome.errors[:3]
    for uploader in world.post_rows:
        report = catalogue.upload_file(
            files[uploader].read_bytes(),
            files[uploader].name,
            uploader=uploader,
            today=day,
            gazetteer=gaz,
        )
        assert not report.refused, report.errors[:3]
    needing: dict[tuple[str, str], list[str]] = {}
    for record in roster.load_all():
        lab = record.laborer
        if no_push_reason(lab, day, limits) is None:
            needing.setdefault((lab.district, lab.township), []).append(lab.laborer_id)
    (district, township), ids = max(needing.items(), key=lambda kv: (len(kv[1]), kv[0]))
    client.close()
    return day, district, township, ids


async def _drive(
    name: str, base: str, paths: list[str], headers: dict[str, str], *, seconds: float, workers: int
) -> Load:
    latencies: list[float] = []
    errors = Counter[int]()
    count = 0
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:
        deadline = time.perf_counter() + seconds
        rng = random.Random(20261101)

        async def worker() -> None:
            nonlocal count
            while time.perf_counter() < deadline:
                path = rng.choice(paths)
                start = time.perf_counter()
                try:
                    answer = await client.get(path)
                    status = answer.status_code
                except httpx.HTTPError:
                    status = 0
                latencies.append((time.perf_counter() - start) * 1000)
                count += 1
                if status != 200:
                    errors[status] += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(workers)))
        elapsed = time.perf_counter() - began
    return Load(name, count, sum(errors.values()), elapsed, latencies)


def _serve(port: int, today: str) -> None:
    import uvicorn

    from service.app import create_app
    from service.settings import Settings

    day = dt.date.fromisoformat(today)
    app = create_app(Settings(), today=lambda: day, scheduler=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit("the server exited before it was ready")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not become ready")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.bench_http")
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the child: its port
    parser.add_argument("--today", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        _serve(args.serve, args.today)
        return 0

    from service.keys import create_key
    from service.redact import install_redaction
    from service.settings import Settings
    from service.store import connect, start_embedded, stop_embedded

    install_redaction()
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        folder = Path(tmp) / "redis"
        sock = start_embedded(folder, stop_at_exit=False)
        env = {
            "REDIS_URL": f"unix://{sock}",
            "RENGGANG_SECRET": SECRET,
            "RENGGANG_DATA_DIR": tmp,
        }
        settings = Settings(redis_url=env["REDIS_URL"], secret=SECRET, data_dir=Path(tmp))
        proc: subprocess.Popen[bytes] | None = None
        try:
            t0 = time.perf_counter()
            day, district, township, ids = load_world(
                settings, people=args.people, posts=args.posts
            )
            print(
                f"loaded {args.people} people and {args.posts} posts in "
                f"{time.perf_counter() - t0:.1f} s; township {district}{township}: "
                f"{len(ids)} people needing work"
            )
            token = create_key(connect(settings), "counselor", district=district, township=township)
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "evaluation.bench_http",
                    "--serve",
                    str(port),
                    "--today",
                    day.isoformat(),
                ],
                env=os.environ | env,
            )
            _wait_ready(base, proc)
            headers = {"Authorization": f"Bearer {token}"}
            referral_paths = [f"/api/v1/laborers/{lid}/referrals?k=10" for lid in ids]
            with httpx.Client(base_url=base, headers=headers, timeout=60) as warm:
                t1 = time.perf_counter()
                first = warm.get(referral_paths[0])
                assert first.status_code == 200, first.text
                print(f"first referral (builds the post index): {time.perf_counter() - t1:.2f} s")
                for path in referral_paths[:50]:
                    warm.get(path)
            trivial = asyncio.run(
                _drive(
                    "trivial",
                    base,
                    ["/api/v1/bench/trivial"],
                    headers,
                    seconds=args.seconds,
                    workers=args.concurrency,
                )
            )
            referral = asyncio.run(
                _drive(
                    "referrals",
                    base,
                    referral_paths,
                    headers,
                    seconds=args.seconds,
                    workers=args.concurrency,
                )
            )
            print(f"concurrency {args.concurrency}, {args.seconds:.0f} s each, {args.posts} posts")
            print(trivial.line())
            print(referral.line())
            print(f"ratio referrals / trivial: {referral.rate / trivial.rate:.1%} (aim >= 30%)")
            print(f"staleness check: {_stale_check(base, headers, ids[0])}")
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
            stop_embedded(folder)
    return 0


def _stale_check(base: str, headers: dict[str, str], laborer_id: str) -> str:
    """Hire the person into their first referral; the next answer must say 已就业."""
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        before = client.get(f"/api/v1/laborers/{laborer_id}/referrals").json()
        if not before["referrals"]:
            return "skipped (no referral to hire into)"
        post = before["referrals"][0]
        hired = client.post(
            f"/api/v1/laborers/{laborer_id}/outcomes",
            json={"post_id": post["post_id"], "outcome": "hired"},
        )
        after = client.get(f"/api/v1/laborers/{laborer_id}/referrals").json()
        fresh = hired.status_code == 200 and after["reason"] == "已就业" and not after["referrals"]
        left = hired.json()["post"]["places_left"] if hired.status_code == 200 else None
        return (
            f"{'ok' if fresh else 'STALE'}: after a hire the answer is {after['reason']!r}; "
            f"places left on the post {post['places_left']} -> {left}"
        )


if __name__ == "__main__":
    sys.exit(main())
