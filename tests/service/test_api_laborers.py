"""People through the API: search, a person's page, referrals, outcomes and roster actions."""

from __future__ import annotations

import redis
from fastapi.testclient import TestClient

from service import audit
from tests.service.people import load_people, load_posts

Auth = dict[str, dict[str, str]]


def test_a_counselor_searches_the_people_of_the_township(client: TestClient, auth: Auth) -> None:
    people = load_people(client, auth)
    found = client.get("/api/v1/laborers", headers=auth["counselor"]).json()["laborers"]
    assert sorted(p["name"] for p in found) == ["张建国", "李秀英"]
    one = next(p for p in found if p["name"] == "张建国")
    assert (
        one["id_number"]
        == people["张建国"].id_number[:6] + "********" + people["张建国"].id_number[-4:]
    )
    assert one["phone"] == "139****5678"
    by_name = client.get("/api/v1/laborers", headers=auth["counselor"], params={"q": "李"})
    assert [p["name"] for p in by_name.json()["laborers"]] == ["李秀英"]


def test_a_district_searches_any_township_of_its_district(client: TestClient, auth: Auth) -> None:
    load_people(client, auth)
    everyone = client.get("/api/v1/laborers", headers=auth["district"]).json()
    assert everyone["count"] == 3
    songzhuang = client.get(
        "/api/v1/laborers", headers=auth["district"], params={"township": "宋庄镇"}
    )
    assert [p["name"] for p in songzhuang.json()["laborers"]] == ["王德福"]


def test_searching_another_township_is_forbidden(client: TestClient, auth: Auth) -> None:
    load_people(client, auth)
    answer = client.get(
        "/api/v1/laborers", headers=auth["counselor"], params={"township": "宋庄镇"}
    )
    assert answer.status_code == 403
    assert "王德福" not in answer.text
    answer = client.get(
        "/api/v1/laborers", headers=auth["district_other"], params={"township": "宋庄镇"}
    )
    assert answer.status_code == 403


def test_an_id_number_in_the_url_is_refused_and_lookup_takes_it_in_the_body(
    client: TestClient, auth: Auth
) -> None:
    people = load_people(client, auth)
    person = people["张建国"]
    answer = client.get(
        "/api/v1/laborers", headers=auth["counselor"], params={"q": person.id_number}
    )
    assert answer.status_code == 400
    assert person.id_number not in answer.text
    found = client.post(
        "/api/v1/laborers/lookup", headers=auth["counselor"], json={"id_number": person.id_number}
    )
    assert found.json() == {"laborer_id": person.laborer_id}
    other = client.post(
        "/api/v1/laborers/lookup",
        headers=auth["counselor_other"],
        json={"id_number": person.id_number},
    )
    assert other.status_code == 404


def test_a_persons_page_is_masked_unless_full_and_every_read_is_audited(
    client: TestClient, auth: Auth, store: redis.Redis
) -> None:
    person = load_people(client, auth)["张建国"]
    url = f"/api/v1/laborers/{person.laborer_id}"
    page = client.get(url, headers=auth["counselor"]).json()
    assert page["name"] == "张建国"
    assert person.id_number not in str(page)
    assert page["tier"] in ("general", "key", "special")
    assert page["tier_reasons"]
    assert page["history"]
    full = client.get(url, headers=auth["district"], params={"full": "1"}).json()
    assert (full["id_number"], full["phone"]) == (person.id_number, person.phone)
    entries = audit.read(store)
    assert [(e["action"], e["laborer_id"], e["full"]) for e in entries] == [
        ("view_person", person.laborer_id, "1"),
        ("view_person", person.laborer_id, "0"),
    ]
    assert all(e["key_id"] and "rg_" not in e["key_id"] for e in entries)


def test_a_person_of_another_township_is_not_found(client: TestClient, auth: Auth) -> None:
    person = load_people(client, auth)["王德福"]
    for who in ("counselor", "counselor_far", "district_other"):
        answer = client.get(f"/api/v1/laborers/{person.laborer_id}", headers=auth[who])
        assert answer.status_code == 404
        assert "王德福" not in answer.text
    missing = client.get("/api/v1/laborers/0123456789abcdef", headers=auth["counselor"])
    assert missing.status_code == 404
    assert missing.json()["detail"] == answer.json()["detail"]


def test_referrals_come_with_reasons_and_exclusion_counts(client: TestClient, auth: Auth) -> None:
    person = load_people(client, auth)["张建国"]
    load_posts(client, auth)
    answer = client.get(
        f"/api/v1/laborers/{person.laborer_id}/referrals",
        headers=auth["counselor"],
        params={"k": 5},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["reason"] is None
    titles = [r["title"] for r in body["referrals"]]
    assert set(titles) == {"扶贫车间包装工", "物业保洁员"}
    assert all(r["reasons"] and 0 <= r["score"] <= 1 for r in body["referrals"])
    assert isinstance(body["excluded"], dict)


def test_referrals_see_a_new_post_at_once(client: TestClient, auth: Auth) -> None:
    person = load_people(client, auth)["张建国"]
    load_posts(client, auth)
    url = f"/api/v1/laborers/{person.laborer_id}/referrals"
    before = client.get(url, headers=auth["counselor"]).json()["referrals"]
    from tests.service.uploads import csv_bytes, local_post

    client.post(
        "/api/v1/posts/upload",
        headers=auth["district"],
        files={
            "file": (
                "p.csv",
                csv_bytes(
                    [local_post("TZ-009", 岗位名称="村社代工点手工编织", 岗位类型="村社代工点")]
                ),
            )
        },
    )
    after = client.get(url, headers=auth["counselor"]).json()["referrals"]
    assert len(after) == len(before) + 1
    assert "村社代工点手工编织" in {r["title"] for r in after}


def test_a_hire_takes_a_place_off_the_post_and_marks_the_person_employed(
    client: TestClient, auth: Auth
) -> None:
    person = load_people(client, auth)["张建国"]
    posts = load_posts(client, auth)
    post = next(p for p in posts if p["title"] == "扶贫车间包装工")
    answer = client.post(
        f"/api/v1/laborers/{person.laborer_id}/outcomes",
        headers=auth["counselor"],
        json={"post_id": post["post_id"], "outcome": "hired"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["post"]["places_left"] == post["places_left"] - 1
    assert answer.json()["person"]["employment"] == "已就业"
    shown = client.get(f"/api/v1/posts/{post['post_id']}", headers=auth["city"]).json()
    assert shown["places_left"] == post["places_left"] - 1
    referrals = client.get(
        f"/api/v1/laborers/{person.laborer_id}/referrals", headers=auth["counselor"]
    ).json()
    assert referrals["referrals"] == []
    assert referrals["reason"] == "已就业"


def test_a_hire_on_a_filled_post_is_a_conflict(client: TestClient, auth: Auth) -> None:
    people = load_people(client, auth)
    posts = load_posts(client, auth)
    post = next(p for p in posts if p["title"] == "扶贫车间包装工")  # two places
    for name in ("张建国", "李秀英"):
        client.post(
            f"/api/v1/laborers/{people[name].laborer_id}/outcomes",
            headers=auth["district"],
            json={"post_id": post["post_id"], "outcome": "hired"},
        )
    third = client.post(
        f"/api/v1/laborers/{people['王德福'].laborer_id}/outcomes",
        headers=auth["district"],
        json={"post_id": post["post_id"], "outcome": "hired"},
    )
    assert third.status_code == 409


def test_a_declined_post_is_not_referred_again(client: TestClient, auth: Auth) -> None:
    person = load_people(client, auth)["李秀英"]
    posts = load_posts(client, auth)
    post = next(p for p in posts if p["title"] == "物业保洁员")
    url = f"/api/v1/laborers/{person.laborer_id}"
    no_reason = client.post(
        f"{url}/outcomes",
        headers=auth["counselor"],
        json={"post_id": post["post_id"], "outcome": "declined"},
    )
    assert no_reason.status_code == 422
    declined = client.post(
        f"{url}/outcomes",
        headers=auth["counselor"],
        json={"post_id": post["post_id"], "outcome": "declined", "reason": "工资偏低"},
    )
    assert declined.status_code == 200
    shown = client.get(f"{url}/referrals", headers=auth["counselor"]).json()["referrals"]
    assert post["post_id"] not in {r["post_id"] for r in shown}
    outcomes = client.get(f"{url}/outcomes", headers=auth["counselor"]).json()["outcomes"]
    assert [(o["outcome"], o["reason"]) for o in outcomes] == [("declined", "工资偏低")]


def test_the_roster_actions_keep_a_dated_history(client: TestClient, auth: Auth) -> None:
    person = load_people(client, auth)["张建国"]
    url = f"/api/v1/laborers/{person.laborer_id}"
    tier = client.put(
        f"{url}/tier",
        headers=auth["counselor"],
        json={"tier": "special", "reason": "家中有重病老人需照料"},
    )
    assert tier.status_code == 200, tier.text
    assert (tier.json()["tier"], tier.json()["tier_override_reason"]) == (
        "special",
        "家中有重病老人需照料",
    )
    assert (
        client.put(f"{url}/tier", headers=auth["counselor"], json={"tier": "key"}).status_code
        == 422
    )
    reg = client.post(
        f"{url}/registration",
        headers=auth["counselor"],
        json={"kind": "转移就业登记", "certificate": "TZ2026-0001"},
    )
    assert reg.json()["registration"] == "转移就业登记"
    assert (
        client.post(
            f"{url}/difficulty",
            headers=auth["counselor"],
            json={"confirmed": True, "reason": "零就业家庭"},
        ).status_code
        == 403
    )
    diff = client.post(
        f"{url}/difficulty",
        headers=auth["district"],
        json={"confirmed": True, "reason": "零就业家庭"},
    )
    assert diff.json()["difficulty"] is True
    status = client.post(
        f"{url}/status", headers=auth["counselor"], json={"status": "务农", "reason": "回乡种植"}
    )
    assert status.json()["employment"] == "务农"
    not_needed = client.post(f"{url}/confirmation", headers=auth["counselor"], json={})
    assert not_needed.status_code == 422
    history = client.get(url, headers=auth["counselor"]).json()["history"]
    actions = [h.get("action") for h in history]
    assert actions[-4:] == ["tier_override", "registration", "difficulty_confirmed", "status"]
    assert all(h.get("day") for h in history)


def test_partners_city_and_batch_keys_may_not_read_people(client: TestClient, auth: Auth) -> None:
    person = load_people(client, auth)["张建国"]
    for role in ("partner", "city", "batch"):
        assert client.get("/api/v1/laborers", headers=auth[role]).status_code == 403
        answer = client.get(f"/api/v1/laborers/{person.laborer_id}", headers=auth[role])
        assert answer.status_code == 403
        assert "张建国" not in answer.text
