"""The district's roster import through the API: real files, dry run, errors, scope."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.service.people import PEOPLE, load_people
from tests.service.uploads import csv_bytes, roster_row, xlsx_bytes

Auth = dict[str, dict[str, str]]


def _import(client: TestClient, headers: dict[str, str], name: str, data: bytes, **params: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/roster/import", headers=headers, params=params, files={"file": (name, data)}
    )


def _rows() -> list[dict[str, str]]:
    return [roster_row(p.name, p.id_number, township=p.township, 联系电话=p.phone) for p in PEOPLE]


def test_a_district_imports_a_gbk_csv_and_reimporting_changes_nothing(
    client: TestClient, auth: Auth
) -> None:
    load_people(client, auth)
    again = _import(client, auth["district"], "名册.csv", csv_bytes(_rows(), encoding="gbk"))
    assert again.json()["unchanged"] == 3


def test_a_dry_run_of_an_xlsx_writes_nothing(client: TestClient, auth: Auth) -> None:
    dry = _import(client, auth["district"], "名册.xlsx", xlsx_bytes(_rows()), dry_run="true")
    assert dry.status_code == 200, dry.text
    assert (dry.json()["valid"], dry.json()["new"], dry.json()["written"]) == (3, 3, False)
    assert client.get("/api/v1/laborers", headers=auth["district"]).json()["count"] == 0
    done = _import(client, auth["district"], "名册.xlsx", xlsx_bytes(_rows()))
    assert done.json()["created"] == 3


def test_row_errors_come_back_together_and_nothing_is_written(
    client: TestClient, auth: Auth
) -> None:
    rows = _rows()
    rows[1]["公民身份号码"] = rows[1]["公民身份号码"][:17] + (
        "0" if rows[1]["公民身份号码"][17] != "0" else "1"
    )
    rows[2]["乡镇(街道)"] = "永乐殿镇"
    answer = _import(client, auth["district"], "名册.csv", csv_bytes(rows))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    errors = answer.json()["errors"]
    assert {e["row"] for e in errors} == {3, 4}
    assert all(e["message"] for e in errors)
    assert PEOPLE[1].id_number not in answer.text
    assert client.get("/api/v1/laborers", headers=auth["district"]).json()["count"] == 0


def test_keep_valid_writes_the_good_rows(client: TestClient, auth: Auth) -> None:
    rows = _rows()
    rows[2]["就业意愿"] = "也许"
    answer = _import(client, auth["district"], "名册.csv", csv_bytes(rows), keep_valid="true")
    assert answer.status_code == 200, answer.text
    assert (answer.json()["created"], answer.json()["rejected"]) == (2, 1)


def test_a_district_cannot_import_people_of_another_district(
    client: TestClient, auth: Auth
) -> None:
    answer = _import(client, auth["district_other"], "名册.csv", csv_bytes(_rows()))
    assert answer.status_code == 422
    assert {e["column"] for e in answer.json()["errors"]} == {"区"}


def test_only_a_district_imports_a_roster(client: TestClient, auth: Auth) -> None:
    for role in ("counselor", "partner", "city", "batch"):
        answer = _import(client, auth[role], "名册.csv", csv_bytes(_rows()))
        assert answer.status_code == 403


def test_a_file_that_is_not_a_table_is_a_chinese_problem(client: TestClient, auth: Auth) -> None:
    answer = _import(client, auth["district"], "名册.xls", b"\xd0\xcf\x11\xe0 old excel")
    assert answer.status_code in (415, 422)
    assert answer.json()["title"]
