"""A small roster and catalogue loaded through the API, shared by the service's tests."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from fastapi.testclient import TestClient

from features.idcard import laborer_id, make_id_number
from tests.factories import SECRET
from tests.service.uploads import csv_bytes, local_post, roster_row

Auth = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Person:
    """A person of the test roster: name, ID number, phone and laborer id."""

    name: str
    id_number: str
    phone: str
    laborer_id: str
    township: str


def _person(name: str, seq: int, *, male: bool, township: str, phone: str) -> Person:
    number = make_id_number("110112", dt.date(1981, 3, 9), seq, male=male)
    return Person(name, number, phone, laborer_id(number, SECRET), township)


PEOPLE = (
    _person("张建国", 11, male=True, township="永乐店镇", phone="13912345678"),
    _person("李秀英", 12, male=False, township="永乐店镇", phone="13712345679"),
    _person("王德福", 13, male=True, township="宋庄镇", phone="13612345670"),
)


def load_people(client: TestClient, auth: Auth) -> dict[str, Person]:
    """Import the three people (two in 永乐店镇, one in 宋庄镇) as 通州区's bureau."""
    rows = [roster_row(p.name, p.id_number, township=p.township, 联系电话=p.phone) for p in PEOPLE]
    answer = client.post(
        "/api/v1/roster/import",
        headers=auth["district"],
        files={"file": ("核实记录表.csv", csv_bytes(rows, encoding="gbk"))},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["created"] == 3
    return {p.name: p for p in PEOPLE}


def load_posts(client: TestClient, auth: Auth) -> list[dict[str, object]]:
    """Upload two 永乐店镇 posts as 通州区's bureau; return them as the API lists them."""
    rows = [
        local_post("TZ-001", 岗位名称="扶贫车间包装工", 招聘人数="2"),
        local_post("TZ-002", 岗位名称="物业保洁员", 岗位类型="社会招聘", 技能要求="保洁"),
    ]
    answer = client.post(
        "/api/v1/posts/upload",
        headers=auth["district"],
        files={"file": ("岗位.csv", csv_bytes(rows))},
    )
    assert answer.status_code == 200, answer.text
    posts: list[dict[str, object]] = client.get("/api/v1/posts", headers=auth["city"]).json()[
        "posts"
    ]
    return posts


def run_batch(
    client: TestClient, auth: Auth, month: str, role: str = "district"
) -> dict[str, object]:
    """Start the month's batch through the API and wait for it to finish; its status."""
    started = client.post(f"/api/v1/batches/{month}", headers=auth[role])
    assert started.status_code == 202, started.text
    url = started.json()["status_url"]
    assert started.headers["Location"] == url
    for _ in range(1200):  # waits for the background run; not a timing assertion
        status = client.get(url, headers=auth["city"]).json()
        if status["state"] == "done" and not status["running"]:
            return dict(status)
        assert "error" not in status, status
        time.sleep(0.05)
    raise AssertionError(f"the batch of {month} did not finish")
