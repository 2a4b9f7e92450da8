"""Every route × every role, inside and outside its scope: the status, and no one else's data.

The matrix lists each route of ``/api/v1`` with the status each key gets; a route the app has
but the matrix does not is a failure, so a new route cannot skip its authorization cases. Every
answer is searched for the roster's names (of people outside the caller's scope), ID numbers
and phones (never in any of these answers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.service.people import PEOPLE, load_people, run_batch
from tests.service.uploads import AGREEMENT, csv_bytes, directed_post, local_post, roster_row

# Each test loads a roster and a catalogue and runs requests by the dozen.
pytestmark = pytest.mark.slow

Auth = dict[str, dict[str, str]]
ROLES = (
    "counselor",
    "counselor_other",
    "counselor_far",
    "district",
    "district_other",
    "partner",
    "partner_other",
    "city",
    "batch",
)
# Who may see whom: 张建国 and 李秀英 live in 永乐店镇, 王德福 in 宋庄镇, all in 通州区.
SEES = {
    "counselor": {"张建国", "李秀英"},
    "counselor_other": {"王德福"},
    "district": {"张建国", "李秀英", "王德福"},
}
EMPLOYER = "91110105MA01ABCD13"


def statuses(default: int | set[int], **by_role: int | set[int]) -> dict[str, set[int]]:
    """The allowed statuses of each role: ``default`` unless named."""
    out = {}
    for role in ROLES:
        value = by_role.get(role, default)
        out[role] = value if isinstance(value, set) else {value}
    return out


def people_route(**over: int | set[int]) -> dict[str, set[int]]:
    """A route on 张建国: his counselor and district 200, other scopes 404, other roles 403."""
    base: dict[str, int | set[int]] = {
        "counselor": 200,
        "district": 200,
        "counselor_other": 404,
        "counselor_far": 404,
        "district_other": 404,
    }
    return statuses(403, **(base | over))


def own_post_route() -> dict[str, set[int]]:
    """A change to 通州区's own post: its owner 200, a partner cannot see it, others 403."""
    return statuses(403, district=200, partner=404, partner_other=404)


@dataclass
class Case:
    """One request of the matrix."""

    method: str
    path: str
    expect: dict[str, set[int]]
    json: Any = None
    files: dict[str, tuple[str, bytes]] | None = None
    params: dict[str, str] = field(default_factory=dict)
    before: Callable[[TestClient, Auth], None] | None = None
    route: str = ""  # the route's template, when the path has values in it


@pytest.fixture
def world(client: TestClient, auth: Auth) -> dict[str, str]:
    """The roster, an agreement and a post of 通州区 and of 朝阳区; their ids."""
    people = load_people(client, auth)
    assert client.post("/api/v1/agreements", headers=auth["district"], json=AGREEMENT).is_success
    for who, row in (("district", local_post()), ("partner", directed_post())):
        answer = client.post(
            "/api/v1/posts/upload",
            headers=auth[who],
            files={"file": ("p.csv", csv_bytes([row]))},
        )
        assert answer.status_code == 200, answer.text
    run_batch(client, auth, "2026-11")
    posts = client.get("/api/v1/posts", headers=auth["city"]).json()["posts"]
    by_uploader = {p["uploader"]: p["post_id"] for p in posts}
    return {
        "lid": people["张建国"].laborer_id,
        "id_number": people["张建国"].id_number,
        "local": by_uploader["通州区"],
        "directed": by_uploader["朝阳区"],
    }


def _put_control(client: TestClient, auth: Auth) -> None:
    body = {"boost": 1.5, "reason": "用工规范"}
    assert client.put(
        f"/api/v1/employers/{EMPLOYER}/control", headers=auth["district"], json=body
    ).is_success


def cases(w: dict[str, str]) -> list[Case]:
    """The matrix."""
    lid, local, directed = w["lid"], w["local"], w["directed"]
    person = f"/api/v1/laborers/{lid}"
    roster_file = csv_bytes(
        [roster_row(p.name, p.id_number, township=p.township, 联系电话=p.phone) for p in PEOPLE]
    )
    everyone = statuses(200)
    readers = statuses(403, city=200, district=200, district_other=200, batch=200)
    person_readers = statuses(
        403, counselor=200, counselor_other=200, counselor_far=200, district=200, district_other=200
    )
    uploader_ok = statuses(
        403,
        district={200, 422},
        district_other={200, 422},
        partner={200, 422},
        partner_other={200, 422},
    )
    return [
        Case("GET", "/api/v1/me", everyone),
        Case("GET", "/api/v1/templates/roster.xlsx", everyone),
        Case("GET", "/api/v1/templates/posts.xlsx", everyone),
        Case("GET", "/api/v1/bench/trivial", everyone),
        Case(
            "GET",
            "/api/v1/laborers",
            statuses(
                403,
                counselor=200,
                counselor_other=200,
                counselor_far=200,
                district=200,
                district_other=200,
            ),
        ),
        Case(
            "GET",
            "/api/v1/laborers",
            statuses(403, counselor=200, district=200),
            params={"township": "永乐店镇"},
        ),
        Case("POST", "/api/v1/laborers/lookup", people_route(), json={"id_number": w["id_number"]}),
        Case("GET", person, people_route(), route="/api/v1/laborers/{laborer_id}"),
        Case(
            "GET",
            f"{person}/referrals",
            people_route(),
            route="/api/v1/laborers/{laborer_id}/referrals",
        ),
        Case(
            "POST",
            f"{person}/outcomes",
            people_route(),
            json={"post_id": local, "outcome": "referred"},
            route="/api/v1/laborers/{laborer_id}/outcomes",
        ),
        Case(
            "GET",
            f"{person}/outcomes",
            people_route(),
            route="/api/v1/laborers/{laborer_id}/outcomes",
        ),
        Case(
            "PUT",
            f"{person}/tier",
            people_route(),
            json={"tier": "key", "reason": "长期失业"},
            route="/api/v1/laborers/{laborer_id}/tier",
        ),
        Case(
            "POST",
            f"{person}/registration",
            people_route(),
            json={"kind": "转移就业登记"},
            route="/api/v1/laborers/{laborer_id}/registration",
        ),
        Case(
            "POST",
            f"{person}/difficulty",
            people_route(counselor=403, counselor_other=403, counselor_far=403),
            json={"confirmed": True, "reason": "零就业家庭"},
            route="/api/v1/laborers/{laborer_id}/difficulty",
        ),
        # He wants work, so the domain refuses the confirmation (422) once the scope lets him in.
        Case(
            "POST",
            f"{person}/confirmation",
            people_route(counselor=422, district=422),
            json={},
            route="/api/v1/laborers/{laborer_id}/confirmation",
        ),
        Case(
            "POST",
            f"{person}/status",
            people_route(),
            json={"status": "无业", "reason": "合同到期"},
            route="/api/v1/laborers/{laborer_id}/status",
        ),
        Case(
            "POST",
            "/api/v1/roster/import",
            statuses(403, district=200, district_other=422),
            files={"file": ("名册.csv", roster_file)},
        ),
        Case(
            "POST",
            "/api/v1/posts/upload",
            uploader_ok,
            files={"file": ("p.csv", csv_bytes([local_post()]))},
        ),
        Case("GET", "/api/v1/posts", everyone),
        Case(
            "GET",
            f"/api/v1/posts/{local}",
            statuses(200, partner=404, partner_other=404),
            route="/api/v1/posts/{post_id}",
        ),
        Case(
            "GET",
            f"/api/v1/posts/{directed}",
            statuses(200, partner_other=404),
            route="/api/v1/posts/{post_id}",
        ),
        Case(
            "PATCH",
            f"/api/v1/posts/{local}",
            own_post_route(),
            json={"description": "每日8小时，周末双休"},
            route="/api/v1/posts/{post_id}",
        ),
        Case(
            "PATCH",
            f"/api/v1/posts/{directed}",
            statuses(403, partner=200, partner_other=404),
            json={"description": "包吃住"},
            route="/api/v1/posts/{post_id}",
        ),
        Case(
            "POST",
            f"/api/v1/posts/{local}/close",
            own_post_route(),
            route="/api/v1/posts/{post_id}/close",
        ),
        Case("GET", "/api/v1/agreements", everyone),
        Case("POST", "/api/v1/agreements", statuses(403, district=200), json=AGREEMENT),
        Case("GET", "/api/v1/employers/controls", statuses(200, partner=403, partner_other=403)),
        Case(
            "PUT",
            f"/api/v1/employers/{EMPLOYER}/control",
            statuses(403, district=200, district_other=200),
            json={"suspended": False, "reason": "用工规范"},
            route="/api/v1/employers/{employer}/control",
        ),
        Case(
            "DELETE",
            f"/api/v1/employers/{EMPLOYER}/control",
            statuses(403, district=200, district_other=200),
            params={"reason": "到期"},
            before=_put_control,
            route="/api/v1/employers/{employer}/control",
        ),
        Case(
            "POST",
            "/api/v1/batches/2026-11",
            statuses(403, district=202, district_other=202, batch=202),
            route="/api/v1/batches/{month}",
        ),
        Case("GET", "/api/v1/batches/2026-11", readers, route="/api/v1/batches/{month}"),
        Case(
            "GET",
            "/api/v1/batches/2026-11/shortage",
            readers,
            route="/api/v1/batches/{month}/shortage",
        ),
        Case(
            "GET", "/api/v1/batches/2026-11/stats", readers, route="/api/v1/batches/{month}/stats"
        ),
        Case(
            "GET",
            "/api/v1/batches/2026-11/stats",
            readers,
            params={"format": "xlsx"},
            route="/api/v1/batches/{month}/stats",
        ),
        Case(
            "GET",
            "/api/v1/batches/2026-11/follow-up",
            person_readers,
            route="/api/v1/batches/{month}/follow-up",
        ),
        Case(
            "GET",
            "/api/v1/batches/2026-11/follow-up",
            statuses(403, counselor=200, district=200, district_other=200),
            params={"township": "永乐店镇"},
            route="/api/v1/batches/{month}/follow-up",
        ),
        Case(
            "GET",
            "/api/v1/batches/2026-11/export",
            person_readers,
            params={"format": "csv"},
            route="/api/v1/batches/{month}/export",
        ),
        Case(
            "GET",
            "/api/v1/batches/2026-11/export",
            statuses(403, counselor=200, district=200, district_other=200),
            params={"township": "永乐店镇"},
            route="/api/v1/batches/{month}/export",
        ),
        Case("GET", "/api/v1/stats", statuses(403, city=200, district=200, district_other=200)),
        Case(
            "GET",
            "/api/v1/stats",
            statuses(403, city=200, district=200),
            params={"district": "通州区"},
        ),
    ]


def _check_body(role: str, text: str) -> None:
    for p in PEOPLE:
        assert p.id_number not in text, f"{role} saw an ID number"
        assert p.phone not in text, f"{role} saw a phone"
        if p.name not in SEES.get(role, set()):
            assert p.name not in text, f"{role} saw {p.name}"


def test_every_route_checks_role_and_scope(
    client: TestClient, auth: Auth, world: dict[str, str]
) -> None:
    matrix = cases(world)
    failures = []
    for case in matrix:
        for role in ROLES:
            if case.before:
                case.before(client, auth)
            answer = client.request(
                case.method,
                case.path,
                headers=auth[role],
                json=case.json,
                files=case.files,
                params=case.params,
            )
            if answer.status_code not in case.expect[role]:
                failures.append(
                    f"{case.method} {case.path} as {role}: {answer.status_code} {answer.text[:200]}"
                )
            _check_body(role, answer.text)
            if answer.status_code >= 400:
                assert answer.headers["content-type"].startswith("application/problem+json")
    assert not failures, "\n".join(failures)


def test_every_route_without_a_key_is_401(client: TestClient, world: dict[str, str]) -> None:
    for case in cases(world):
        if "/templates/" in case.path or case.path.endswith("/bench/trivial"):
            continue
        answer = client.request(
            case.method, case.path, json=case.json, files=case.files, params=case.params
        )
        assert answer.status_code == 401, f"{case.method} {case.path}"
        _check_body("anonymous", answer.text)


def test_the_matrix_covers_every_route_of_the_api(
    client: TestClient, world: dict[str, str]
) -> None:
    covered = {(c.method, c.route or c.path) for c in cases(world)}
    present = {
        (method, route.path)
        for route in client.app.routes  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and route.path.startswith("/api/v1/")
        for method in route.methods
    }
    assert present - covered == set()
