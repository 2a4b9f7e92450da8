"""The embedded Redis server is real and durable."""

from __future__ import annotations

from pathlib import Path

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
