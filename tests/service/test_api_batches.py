"""The monthly batch over HTTP: 202 and a status URL, lists, export, statistics, and a hire
recorded through the API stopping the person's pushes in the next batch."""

from __future__ import annotations

import csv
import io

import pytest
import redis
from fastapi.testclient import TestClient

from service import audit
from tests.service.people import load_people, load_posts, run_batch

# Each test loads a roster and a catalogue and runs requests by the dozen.
pytestmark = pytest.mark.slow

Auth = dict[str, dict[str, str]]


def test_a_district_starts_a_batch_and_reads_its_status_and_lists(
    client: TestClient, auth: Auth
) -> None:
    people = load_people(client, auth)
    load_posts(client, auth)
    status = run_batch(client, auth, "2026-11")
    assert status["pushes"] >= 2
    ledger_people = {p.laborer_id for p in people.values()}
    assert status["people"] == len(ledger_people)
    stats = client.get("/api/v1/batches/2026-11/stats", headers=auth["city"]).json()["stats"]
    assert stats["pushes"] == status["pushes"]
    shortage = client.get("/api/v1/batches/2026-11/shortage", headers=auth["district"]).json()
    assert "by_township" in shortage
    city = client.get("/api/v1/batches/2026-11/shortage", headers=auth["city"]).json()
    assert city["people"] == []  # the city reads figures, not people
    assert client.get("/api/v1/batches/2026-11", headers=auth["city"]).json()["shortage"] == []
    follow = client.get("/api/v1/batches/2026-11/follow-up", headers=auth["counselor"]).json()
    assert all(p["township"] == "永乐店镇" for p in follow["people"])


def test_the_export_is_masked_scoped_and_audited(
    client: TestClient, auth: Auth, store: redis.Redis
) -> None:
    people = load_people(client, auth)
    load_posts(client, auth)
    run_batch(client, auth, "2026-11")
    answer = client.get(
        "/api/v1/batches/2026-11/export", headers=auth["counselor"], params={"format": "csv"}
    )
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["乡镇(街道)", "村(社区)", "人员编号", "姓名"]
    assert {r[0] for r in rows[1:]} == {"永乐店镇"}
    assert {r[3] for r in rows[1:]} <= {"张*国", "李*英"}
    for p in people.values():
        assert p.name not in answer.text
        assert p.id_number not in answer.text
    xlsx = client.get("/api/v1/batches/2026-11/export", headers=auth["district"])
    assert xlsx.content[:2] == b"PK"
    assert [e["action"] for e in audit.read(store)] == ["export", "export"]
    other = client.get(
        "/api/v1/batches/2026-11/export", headers=auth["district_other"], params={"format": "csv"}
    )
    assert other.content.decode("utf-8-sig").strip().count("\n") == 0  # headers only
    assert client.get("/api/v1/batches/2026-11/export", headers=auth["partner"]).status_code == 403


def test_statistics_come_as_json_or_xlsx(client: TestClient, auth: Auth) -> None:
    load_people(client, auth)
    rows = client.get("/api/v1/stats", headers=auth["city"]).json()["rows"]
    by_township = {r["township"]: r["on_roster"] for r in rows}
    assert (by_township["永乐店镇"], by_township["宋庄镇"]) == (2, 1)
    own = client.get("/api/v1/stats", headers=auth["district"], params={"format": "xlsx"})
    assert own.content[:2] == b"PK"
    assert (
        client.get(
            "/api/v1/stats", headers=auth["district"], params={"district": "延庆区"}
        ).status_code
        == 403
    )
    assert client.get("/api/v1/stats", headers=auth["counselor"]).status_code == 403


def test_a_month_that_is_not_a_month_is_refused(client: TestClient, auth: Auth) -> None:
    assert client.post("/api/v1/batches/2026-13", headers=auth["district"]).status_code == 422
    assert client.post("/api/v1/batches/november", headers=auth["district"]).status_code == 422
    assert client.post("/api/v1/batches/2026-11", headers=auth["counselor"]).status_code == 403


def test_a_hire_through_the_api_stops_the_persons_pushes_in_the_next_batch(
    client: TestClient, auth: Auth
) -> None:
    person = load_people(client, auth)["张建国"]
    posts = load_posts(client, auth)
    first = run_batch(client, auth, "2026-11")
    assert first["state"] == "done"
    ledger = client.app.state  # type: ignore[attr-defined]
    from service.batch import BatchRunner

    runner = BatchRunner(ledger.redis)
    assert runner.ledger("2026-11").get(person.laborer_id), "he had pushes before the hire"
    post = next(p for p in posts if p["title"] == "扶贫车间包装工")
    hired = client.post(
        f"/api/v1/laborers/{person.laborer_id}/outcomes",
        headers=auth["counselor"],
        json={"post_id": post["post_id"], "outcome": "hired"},
    )
    assert hired.status_code == 200, hired.text
    assert hired.json()["post"]["places_left"] == post["places_left"] - 1
    run_batch(client, auth, "2026-12", role="batch")
    assert person.laborer_id not in runner.ledger("2026-12")
    assert runner.ledger("2026-12"), "the others still get pushes"
