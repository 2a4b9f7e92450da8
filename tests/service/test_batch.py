"""The monthly batch on the real Redis: exactly once, resumable, one at a time, no personal data."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from service.batch import BatchBusyError, BatchLock, BatchRunner, Keys, chunked
from service.batch_export import HEADERS, write_export
from service.catalogue_store import CatalogueStore
from service.cli import main
from service.cli.batch_cmd import run_month
from service.settings import Settings
from tests.factories import TODAY
from tests.service.batch_world import id_numbers_and_phones, load_district

MONTH = "2026-11"
ROOT = Path(__file__).resolve().parents[2]


def _settings(settings: Settings, prefix: str, **over: object) -> Settings:
    return settings.model_copy(update={"key_prefix": prefix, "batch_chunk": 5, **over})


def _snapshot(client: redis.Redis, prefix: str, month: str = MONTH) -> dict[str, object]:
    """The month's pushes as a clean run leaves them: ledger, outbox (without ids), state."""
    keys = Keys(prefix)
    ledger = {k.decode(): json.loads(v) for k, v in client.hgetall(keys.ledger(month)).items()}
    outbox = sorted(
        tuple(sorted((k.decode(), v.decode()) for k, v in fields.items()))
        for _, fields in client.xrange(keys.outbox)
    )
    return {"ledger": ledger, "outbox": outbox, "state": client.hget(keys.meta(month), "state")}


def _spawn(settings: Settings, prefix: str, *, pause_after: int, ttl_ms: int = 1500):
    env = {
        **os.environ,
        "REDIS_URL": settings.redis_url or "",
        "RENGGANG_KEY_PREFIX": prefix,
        "RENGGANG_SECRET": settings.secret or "",
        "RENGGANG_DATA_DIR": str(settings.data_dir),
        "RENGGANG_BATCH_CHUNK": "5",
        "RENGGANG_BATCH_LOCK_TTL_MS": str(ttl_ms),
        "RENGGANG_BATCH_PAUSE_AFTER": str(pause_after),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from service.cli import main; sys.exit(main())",
            "batch",
            "run",
            "--month",
            MONTH,
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("PAUSED"):
            return proc
    proc.wait()
    raise AssertionError(f"the batch ended without pausing (exit {proc.returncode})")


def _wait_lock_gone(client: redis.Redis, prefix: str) -> None:
    while client.exists(Keys(prefix).lock):
        time.sleep(0.05)


def test_a_batch_pushes_by_plan_and_a_second_run_changes_nothing(settings, store):
    s = _settings(settings, "one")
    load_district(store, prefix="one")
    first = run_month(store, s, MONTH)
    assert first["state"] == "done"
    assert first["pushes"] == first["committed_pushes"] > 0
    assert first["chunks"] == first["chunks_done"] > 1
    before = _snapshot(store, "one")
    second = run_month(store, s, MONTH)
    assert _snapshot(store, "one") == before
    assert second == first


def test_difficulty_persons_get_two_pushes_unless_on_the_shortage_list(settings, store):
    s = _settings(settings, "two")
    load_district(store, prefix="two", people=60, posts=10)
    status = run_month(store, s, MONTH)
    stats = status["stats"]
    assert stats["difficulty_people"] > 0
    assert stats["difficulty_share_two_not_short"] == 1.0
    assert stats["congestion"]["posts_pushed"] > 0
    assert sum(stats["pushes_by_tier"].values()) == status["pushes"]
    grouped = stats["shortage_by_township"]
    assert sum(sum(r.values()) for r in grouped.values()) == len(status["shortage"])


@pytest.mark.slow
def test_a_batch_killed_between_chunks_and_run_again_equals_a_clean_run(settings, store):
    clean = _settings(settings, "clean")
    load_district(store, prefix="clean")
    run_month(store, clean, MONTH)

    crashed = _settings(settings, "crash", batch_lock_ttl_ms=1500)
    load_district(store, prefix="crash")
    proc = _spawn(settings, "crash", pause_after=3)
    done_before_kill = store.scard(Keys("crash").done(MONTH))
    assert done_before_kill == 3
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert store.hget(Keys("crash").meta(MONTH), "state") == b"committing"
    _wait_lock_gone(store, "crash")  # the dead runner's lock expires by itself
    resumed = run_month(store, crashed, MONTH)
    assert resumed["state"] == "done"
    assert _snapshot(store, "crash") == _snapshot(store, "clean")


@pytest.mark.slow
def test_a_second_run_is_refused_while_the_first_holds_the_lock(settings, store):
    load_district(store, prefix="busy")
    proc = _spawn(settings, "busy", pause_after=1, ttl_ms=30_000)
    try:
        with pytest.raises(BatchBusyError):
            run_month(store, _settings(settings, "busy"), MONTH)
        assert main_exit(settings, "busy", ["batch", "run", "--month", MONTH]) == 1
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    assert store.scard(Keys("busy").done(MONTH)) == 1


def main_exit(settings: Settings, prefix: str, argv: list[str]) -> int:
    env = {
        "REDIS_URL": settings.redis_url or "",
        "RENGGANG_KEY_PREFIX": prefix,
        "RENGGANG_SECRET": settings.secret or "",
        "RENGGANG_DATA_DIR": str(settings.data_dir),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    from service.settings import get_settings

    get_settings.cache_clear()
    try:
        return main(argv)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()


def test_the_outbox_holds_no_id_number_or_phone(settings, store):
    load_district(store, prefix="pii")
    run_month(store, _settings(settings, "pii"), MONTH)
    ids, phones = id_numbers_and_phones(store, prefix="pii")
    messages = store.xrange(Keys("pii").outbox)
    assert messages
    text = "\n".join(v.decode() for _, fields in messages for v in fields.values())
    for secret in ids | phones:
        assert secret not in text
    fields = {k.decode() for k in messages[0][1]}
    assert {"laborer_id", "name", "title", "employer", "place", "pay", "contact"} <= fields
    assert "*" in messages[0][1][b"name"].decode()


def test_the_export_is_sorted_masked_and_identical_twice(settings, store, tmp_path, capsys):
    load_district(store, prefix="exp")
    s = _settings(settings, "exp")
    run_month(store, s, MONTH)
    runner = BatchRunner(store, prefix="exp")
    for suffix in (".csv", ".xlsx"):
        a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        write_export(runner, MONTH, a)
        time.sleep(1.1)  # a zip entry's time has a 2-second grain: cross a tick
        write_export(runner, MONTH, b)
        assert a.read_bytes() == b.read_bytes()
    data = (tmp_path / "a.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADERS
    body = rows[1:]
    assert len(body) == runner.status(MONTH)["pushes"]
    keys = [(r[0], r[2]) for r in body]
    assert keys == sorted(keys)
    # 岗位编号 is the uploader's own number, not the system's post id.
    posts = CatalogueStore(store, prefix="exp").all_posts()
    assert {r[6] for r in body} <= {p.external_id for p in posts}
    assert not {r[6] for r in body} & {p.post_id for p in posts}
    ids, phones = id_numbers_and_phones(store, prefix="exp")
    assert not any(x in data.decode("utf-8-sig") for x in ids | phones)
    township = body[0][0]
    only = tmp_path / "one.csv"
    write_export(runner, MONTH, only, township=township)
    assert {r[0] for r in csv.reader(io.StringIO(only.read_bytes().decode("utf-8-sig")))} == {
        "乡镇(街道)",
        township,
    }


def test_the_cli_reports_status_as_json(settings, store, capsys):
    load_district(store, prefix="cli")
    assert main_exit(settings, "cli", ["batch", "status", "--month", MONTH, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "none"
    assert main_exit(settings, "cli", ["batch", "run", "--month", MONTH, "--json"]) == 0
    ran = json.loads(capsys.readouterr().out)
    assert main_exit(settings, "cli", ["batch", "status", "--month", MONTH, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status == ran
    assert {"month", "state", "people", "pushes", "shortage"} <= set(status)
    assert all(set(s) == {"laborer_id", "township", "reason"} for s in status["shortage"])


def test_a_bad_month_is_a_usage_error(settings, store):
    with pytest.raises(SystemExit) as exc:
        main_exit(settings, "bad", ["batch", "run", "--month", "2026-13"])
    assert exc.value.code == 2


def test_the_lock_is_released_and_taken_only_by_its_token(store):
    first = BatchLock(store, "t:lock", ttl_ms=5000)
    first.acquire()
    second = BatchLock(store, "t:lock", ttl_ms=5000)
    with pytest.raises(BatchBusyError):
        second.acquire()
    second.release()  # not its lock: nothing happens
    assert first.held()
    first.release()
    assert not store.exists("t:lock")


@hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(1, 4), min_size=0, max_size=30), st.integers(1, 7))
def test_chunks_never_split_a_person_and_keep_every_push(counts, size):
    records = [
        {"laborer_id": f"p{i:03d}", "rank": r}
        for i, n in enumerate(counts)
        for r in range(1, n + 1)
    ]
    chunks = chunked(records, size)
    assert [r for c in chunks for r in c] == records
    people = [{r["laborer_id"] for r in c} for c in chunks]
    for a in range(len(people)):
        for b in range(a + 1, len(people)):
            assert not people[a] & people[b]


def test_stats_with_a_month_adds_the_batch_figures(settings, store, capsys):
    load_district(store, prefix="st")
    argv = ["stats", "--month", MONTH, "--json"]
    assert main_exit(settings, "st", argv) == 1  # no batch yet: a clear refusal
    assert "batch run" in capsys.readouterr().err
    run_month(store, _settings(settings, "st"), MONTH)
    assert main_exit(settings, "st", argv) == 0
    out = json.loads(capsys.readouterr().out)
    batch = out["batch"]
    assert batch["month"] == MONTH
    assert batch["state"] == "done"
    assert {
        "pushes_by_tier",
        "pushes_by_kind",
        "difficulty_share_two",
        "shortage_by_township",
    } <= set(batch)
    assert set(batch["congestion"]) == {
        "gini",
        "entropy",
        "per_place_max",
        "per_place_p90",
        "posts_pushed",
    }
    assert out["rows"]  # the roster statistics are still there
    assert main_exit(settings, "st", ["stats", "--month", MONTH]) == 0
    assert "就业困难人员" in capsys.readouterr().out


def test_the_next_month_repeats_no_post_and_a_declined_post_never_returns(settings, store):
    from service.outcomes import record_outcome

    load_district(store, prefix="mo", people=30, posts=30)
    s = _settings(settings, "mo")
    run_month(store, s, MONTH)
    runner = BatchRunner(store, prefix="mo")
    november = runner.ledger(MONTH)
    assert november
    # Someone declines a post they were not pushed: it must not come in December either.
    person = sorted(november)[0]
    pushed = {p["post_id"] for p in november[person]}
    others = [r["post_id"] for r in runner.planned_records(MONTH) if r["post_id"] not in pushed]
    declined = others[0]
    record_outcome(
        store, person, declined, "declined", reason="太远", actor="test", day=TODAY, prefix="mo"
    )
    run_month(store, s, "2026-12")
    december = runner.ledger("2026-12")
    assert december
    for laborer_id, pushes in december.items():
        before = {p["post_id"] for p in november.get(laborer_id, [])}
        assert not before & {p["post_id"] for p in pushes}
    assert declined not in {p["post_id"] for p in december.get(person, [])}
    assert runner.done_months() == [MONTH, "2026-12"]


def test_the_cli_export_writes_the_file_and_refuses_a_month_never_run(settings, store, tmp_path):
    load_district(store, prefix="cx")
    out = tmp_path / "推送清单.xlsx"
    argv = ["batch", "export", "--month", MONTH, "--out", str(out)]
    assert main_exit(settings, "cx", argv) == 1
    assert not out.exists()
    run_month(store, _settings(settings, "cx"), MONTH)
    assert main_exit(settings, "cx", [*argv, "--township", "永乐店镇"]) == 0
    assert out.read_bytes().startswith(b"PK")
    assert main_exit(settings, "cx", ["batch", "export", "--month", MONTH, "--out", "x.txt"]) == 2
