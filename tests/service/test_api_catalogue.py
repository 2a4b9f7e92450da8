"""Posts, agreements and employer controls through the HTTP API, with real upload files."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.service.uploads import AGREEMENT, csv_bytes, directed_post, local_post, xlsx_bytes

Auth = dict[str, dict[str, str]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client: TestClient, headers: dict[str, str], name: str, data: bytes, **params: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/posts/upload", headers=headers, params=params, files={"file": (name, data)}
    )


def _file_agreement(client: TestClient, auth: Auth) -> None:
    answer = client.post("/api/v1/agreements", headers=auth["district"], json=AGREEMENT)
    assert answer.status_code == 200, answer.text


def test_a_district_files_its_agreement_and_the_partner_sees_it(
    client: TestClient, auth: Auth
) -> None:
    _file_agreement(client, auth)
    mine = client.get("/api/v1/agreements", headers=auth["partner"]).json()["agreements"]
    assert [a["output_district"] for a in mine] == ["通州区"]
    assert client.get("/api/v1/agreements", headers=auth["partner_other"]).json() == {
        "agreements": []
    }


def test_an_agreement_for_another_output_district_is_forbidden(
    client: TestClient, auth: Auth
) -> None:
    answer = client.post("/api/v1/agreements", headers=auth["district_other"], json=AGREEMENT)
    assert answer.status_code == 403
    assert "通州区" in answer.json()["detail"]


def test_a_broken_agreement_lists_its_problems_in_chinese(client: TestClient, auth: Auth) -> None:
    bad = AGREEMENT | {"employers": [{"name": "某公司", "code": "91110105MA01ABCD1X"}]}
    answer = client.post("/api/v1/agreements", headers=auth["district"], json=bad)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["errors"]


def test_a_partner_uploads_an_xlsx_after_a_dry_run(client: TestClient, auth: Auth) -> None:
    _file_agreement(client, auth)
    data = xlsx_bytes(
        [directed_post("CY-001"), directed_post("CY-002", 岗位名称="普工坐班包吃住300预支")]
    )
    dry = _upload(client, auth["partner"], "岗位.xlsx", data, dry_run="true")
    assert dry.status_code == 200, dry.text
    assert dry.json()["created"] == 2
    assert dry.json()["dry_run"] is True
    assert client.get("/api/v1/posts", headers=auth["partner"]).json()["total"] == 0
    done = _upload(client, auth["partner"], "岗位.xlsx", data)
    assert done.status_code == 200, done.text
    assert done.json()["created"] == 2
    posts = client.get("/api/v1/posts", headers=auth["partner"]).json()["posts"]
    assert sorted(p["title"] for p in posts) == ["普工坐班包吃住300预支", "物业保洁员包吃住"]
    again = _upload(client, auth["partner"], "岗位.xlsx", data)
    assert again.json()["unchanged"] == 2


def test_a_district_uploads_a_gbk_csv_of_its_own_posts(client: TestClient, auth: Auth) -> None:
    data = csv_bytes([local_post("TZ-001"), local_post("TZ-002")], encoding="gbk")
    answer = _upload(client, auth["district"], "岗位.csv", data)
    assert answer.status_code == 200, answer.text
    assert answer.json()["created"] == 2
    posts = client.get("/api/v1/posts", headers=auth["district"], params={"uploader": "通州区"})
    assert {p["township"] for p in posts.json()["posts"]} == {"永乐店镇"}


def test_an_upload_with_errors_writes_nothing_and_names_rows_and_columns(
    client: TestClient, auth: Auth
) -> None:
    rows = [local_post("TZ-001"), local_post("TZ-002", 招聘人数="0"), local_post("TZ-001")]
    answer = _upload(client, auth["district"], "岗位.csv", csv_bytes(rows))
    assert answer.status_code == 422
    body = answer.json()
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert {(e["row"], e["column"]) for e in body["errors"]} >= {(3, "招聘人数"), (4, "岗位编号")}
    assert client.get("/api/v1/posts", headers=auth["district"]).json()["total"] == 0


def test_a_directed_post_of_an_employer_outside_the_agreement_is_refused(
    client: TestClient, auth: Auth
) -> None:
    _file_agreement(client, auth)
    row = directed_post(用人单位="北京某某无协议公司")
    answer = _upload(client, auth["partner_other"], "岗位.csv", csv_bytes([row]))
    assert answer.status_code == 422


def test_a_file_over_the_size_limit_is_refused_with_413(client: TestClient, auth: Auth) -> None:
    limit = client.app.state.settings.upload_max_bytes  # type: ignore[attr-defined]
    answer = _upload(client, auth["district"], "大.csv", b"x" * (limit + 1))
    assert answer.status_code == 413
    assert "MB" in answer.json()["detail"]


def test_partners_see_only_their_own_posts(client: TestClient, auth: Auth) -> None:
    _file_agreement(client, auth)
    _upload(client, auth["partner"], "a.csv", csv_bytes([directed_post()]))
    _upload(client, auth["district"], "b.csv", csv_bytes([local_post()]))
    mine = client.get("/api/v1/posts", headers=auth["partner"]).json()["posts"]
    assert {p["uploader"] for p in mine} == {"朝阳区"}
    assert client.get("/api/v1/posts", headers=auth["partner_other"]).json()["total"] == 0
    theirs = next(
        p
        for p in client.get("/api/v1/posts", headers=auth["city"]).json()["posts"]
        if p["uploader"] == "通州区"
    )
    assert (
        client.get(f"/api/v1/posts/{theirs['post_id']}", headers=auth["partner"]).status_code == 404
    )


def test_an_owner_updates_and_closes_its_post_and_no_one_else_may(
    client: TestClient, auth: Auth
) -> None:
    _upload(client, auth["district"], "b.csv", csv_bytes([local_post()]))
    post = client.get("/api/v1/posts", headers=auth["district"]).json()["posts"][0]
    url = f"/api/v1/posts/{post['post_id']}"
    assert (
        client.patch(url, headers=auth["district_other"], json={"headcount": 5}).status_code == 403
    )
    assert client.patch(url, headers=auth["partner"], json={"headcount": 5}).status_code == 404
    changed = client.patch(url, headers=auth["district"], json={"headcount": 5, "salary_max": 4800})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["headcount"], changed.json()["salary_max"]) == (5, 4800)
    bad = client.patch(url, headers=auth["district"], json={"salary_min": 9000})
    assert bad.status_code == 422
    assert client.post(f"{url}/close", headers=auth["counselor"]).status_code == 403
    closed = client.post(f"{url}/close", headers=auth["district"])
    assert closed.json()["status"] == "closed"


def test_a_district_suspends_and_restores_an_employer(client: TestClient, auth: Auth) -> None:
    url = "/api/v1/employers/91110105MA01ABCD13/control"
    body = {"suspended": True, "reason": "拖欠工资，暂停推送"}
    assert client.put(url, headers=auth["partner"], json=body).status_code == 403
    assert client.put(url, headers=auth["district"], json=body).json()["suspended"] is True
    controls = client.get("/api/v1/employers/controls", headers=auth["city"]).json()["controls"]
    assert controls["91110105MA01ABCD13"]["reason"] == "拖欠工资，暂停推送"
    cleared = client.delete(url, headers=auth["district"], params={"reason": "已整改"})
    assert cleared.status_code == 200
    assert (
        client.delete(url, headers=auth["district"], params={"reason": "再次"}).status_code == 404
    )


def test_the_templates_are_open_to_everyone(client: TestClient) -> None:
    for name in ("roster.xlsx", "posts.xlsx"):
        answer = client.get(f"/api/v1/templates/{name}")
        assert answer.status_code == 200
        assert answer.headers["content-type"] == XLSX
        assert answer.content[:2] == b"PK"
