"""The embedded Redis server is real and durable."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import redis

from service.settings import Settings
from service.store import connect, start_embedded, stop_embedded


def test_embedded_server_keeps_an_acknowledged_write_across_a_restart(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret="s")
    client = connect(settings)
    assert client.config_get("appendonly") == {"appendonly": "yes"}
    client.set("rg:probe", "一")
    client.close()
    stop_embedded(tmp_path / "redis")
    again = connect(settings)
    assert again.get("rg:probe") == "一".encode()
    again.close()
    stop_embedded(tmp_path / "redis")


def test_a_second_start_joins_the_running_server(tmp_path: Path) -> None:
    first = start_embedded(tmp_path / "r", stop_at_exit=False)
    second = start_embedded(tmp_path / "r", stop_at_exit=False)
    assert first == second
    stop_embedded(tmp_path / "r")


def test_a_socket_left_by_a_server_that_died_is_no_server_and_a_new_one_starts(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "r"
    socket_path = start_embedded(folder, stop_at_exit=False)
    pid = int((folder / "redis.pid").read_text())
    os.kill(pid, signal.SIGKILL)  # the socket file stays behind
    while (
        Path(f"/proc/{pid}/status").exists()
        and "zombie" not in Path(f"/proc/{pid}/status").read_text()
    ):
        time.sleep(0.01)
    assert socket_path.exists()
    stop_embedded(folder)  # nothing answers: nothing to stop
    again = start_embedded(folder, stop_at_exit=False)
    client = redis.Redis(unix_socket_path=str(again))
    assert client.ping()
    client.close()
    stop_embedded(folder)
    assert not again.exists()
