"""The app as a whole: health routes, the schema and docs, and riding out a Redis outage."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.keys import create_key
from service.settings import Settings
from service.store import connect, start_embedded, stop_embedded
from tests.factories import TODAY


def test_health_and_readiness_answer_when_redis_is_up(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_the_schema_and_its_docs_page_are_served(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "人岗 Renggang"
    assert all(path.startswith(("/api/v1/", "/healthz", "/readyz")) for path in schema["paths"])
    assert "swagger" in client.get("/docs").text.lower()


def test_an_unknown_path_is_a_chinese_problem(client: TestClient) -> None:
    answer = client.get("/api/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "/api/v1" in answer.json()["detail"]


@pytest.mark.slow
def test_a_redis_outage_gives_503_and_the_service_recovers_by_itself(tmp_path: Path) -> None:
    folder = tmp_path / "redis"
    socket = start_embedded(folder, stop_at_exit=False)
    settings = Settings(redis_url=f"unix://{socket}", data_dir=tmp_path, secret="s")
    try:
        token = create_key(connect(settings), "city")
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(create_app(settings, today=lambda: TODAY, scheduler=False)) as client:
            assert client.get("/api/v1/me", headers=headers).status_code == 200
            stop_embedded(folder)
            down = client.get("/api/v1/me", headers=headers)
            assert down.status_code == 503
            assert down.headers["content-type"].startswith("application/problem+json")
            assert "Redis" in down.json()["detail"]
            assert client.get("/readyz").status_code == 503
            start_embedded(folder, stop_at_exit=False)
            assert client.get("/readyz").status_code == 200
            assert client.get("/api/v1/me", headers=headers).status_code == 200
    finally:
        stop_embedded(folder)
