"""Fixtures of the HTTP service's tests: the app on the session's real Redis, and keys by role."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from service.app import create_app
from service.keys import create_key
from service.settings import Settings, get_settings
from tests.factories import TODAY

_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture(autouse=True)
def no_personal_data_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every test of the service: what was logged (INFO and up) holds no ID number or phone."""
    caplog.set_level(logging.INFO)
    yield
    for record in caplog.records:
        line = record.getMessage() + (record.exc_text or "")
        assert not _ID.search(line), f"an ID number was logged by {record.name}"
        assert not _PHONE.search(line), f"a phone was logged by {record.name}"


@pytest.fixture
def client(settings: Settings, store: redis.Redis) -> Iterator[TestClient]:
    """A client of the app (lifespan run), dated ``TODAY``, with no scheduler."""
    app = create_app(settings, today=lambda: TODAY, scheduler=False)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def make_key(store: redis.Redis) -> Callable[..., dict[str, str]]:
    """A function making a key and returning the Authorization header that carries it."""

    def make(role: str, **scope: str) -> dict[str, str]:
        token = create_key(store, role, **scope)
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def auth(make_key: Callable[..., dict[str, str]]) -> dict[str, dict[str, str]]:
    """Headers of one key per role and scope used across the tests."""
    return {
        "counselor": make_key("counselor", district="通州区", township="永乐店镇"),
        "counselor_other": make_key("counselor", district="通州区", township="宋庄镇"),
        "counselor_far": make_key("counselor", district="延庆区", township="延庆镇"),
        "district": make_key("district", district="通州区"),
        "district_other": make_key("district", district="延庆区"),
        "partner": make_key("partner", partner="朝阳区"),
        "partner_other": make_key("partner", partner="海淀区"),
        "city": make_key("city"),
        "batch": make_key("batch"),
    }


@pytest.fixture
def cli_env(
    settings: Settings, store: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> Iterator[redis.Redis]:
    """The CLI's settings from the environment, pointing at the session's Redis (its client)."""
    monkeypatch.setenv("REDIS_URL", settings.redis_url or "")
    monkeypatch.setenv("RENGGANG_SECRET", "test-secret")
    monkeypatch.setenv("RENGGANG_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield store
    get_settings.cache_clear()
