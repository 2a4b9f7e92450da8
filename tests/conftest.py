"""Fixtures shared by the whole suite: one real Redis server per session, flushed per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from service.settings import Settings
from service.store import start_embedded, stop_embedded


@pytest.fixture(scope="session")
def redis_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real redis-server (the embedded binary) for the whole session, in a temp folder."""
    folder = tmp_path_factory.mktemp("redis")
    socket = start_embedded(folder, stop_at_exit=False)
    yield socket
    stop_embedded(folder)


@pytest.fixture
def settings(redis_socket: Path, tmp_path: Path) -> Settings:
    """Settings pointing at the session's server, with a fixed secret and a temp data folder."""
    return Settings(
        redis_url=f"unix://{redis_socket}",
        data_dir=tmp_path / "data",
        secret="test-secret",
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[redis.Redis]:
    """A client of the real server, emptied before each test."""
    client = redis.Redis.from_url(settings.redis_url or "")
    client.flushdb()
    yield client
    client.close()
