"""No ID number or phone reaches a log line: the redaction filter, and logs of a run of routes."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from service.redact import install_redaction, redact_text
from tests.service.people import PEOPLE, load_people, load_posts

Auth = dict[str, dict[str, str]]
ID = PEOPLE[0].id_number
PHONE = PEOPLE[0].phone


def test_redact_text_masks_id_numbers_and_mobiles_and_nothing_else() -> None:
    text = f"查询 {ID} 电话{PHONE} 编号 0123456789abcdef 金额 12345678901234567890 2026-11-01"
    masked = redact_text(text)
    assert ID not in masked
    assert PHONE not in masked
    assert ID[:6] + "********" + ID[-4:] in masked
    assert PHONE[:3] + "****" + PHONE[-4:] in masked
    assert "0123456789abcdef" in masked
    assert "12345678901234567890" in masked  # a longer run of digits is not an ID number


def test_a_log_record_with_personal_data_in_its_arguments_is_masked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_redaction()
    # A uvicorn started earlier in the process may have quietened its access log and stopped it
    # propagating: listen to it directly, at INFO, for this test.
    access = logging.getLogger("uvicorn.access")
    level, disabled = access.level, access.disabled
    access.setLevel(logging.INFO)
    access.disabled = False
    access.addHandler(caplog.handler)
    with caplog.at_level(logging.INFO):
        logging.getLogger("renggang.anything").info("person %s phone %s", ID, PHONE)
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5000",
            "GET",
            f"/api/v1/laborers?q={ID}",
            "1.1",
            400,
        )
        try:
            raise ValueError(f"bad id {ID}")
        except ValueError:
            logging.getLogger("renggang.x").exception("failed for %s", PHONE)
    access.removeHandler(caplog.handler)
    access.setLevel(level)
    access.disabled = disabled
    assert ID not in caplog.text
    assert PHONE not in caplog.text
    assert "GET /api/v1/laborers?q=110112********" in caplog.text
    assert "bad id 110112" in caplog.text


def test_uvicorns_access_formatter_still_formats_a_redacted_record() -> None:
    from uvicorn.logging import AccessFormatter

    install_redaction()
    record = logging.getLogger("uvicorn.access").makeRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/api/v1/laborers?q={PHONE}", "1.1", 200),
        None,
    )
    line = AccessFormatter(use_colors=False).format(record)
    assert PHONE not in line
    assert "GET /api/v1/laborers?q=139****5678 HTTP/1.1" in line
    assert "200" in line


def test_logs_of_a_run_of_many_routes_hold_no_id_number_or_phone(
    client: TestClient, auth: Auth, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        people = load_people(client, auth)
        posts = load_posts(client, auth)
        person = people["张建国"]
        url = f"/api/v1/laborers/{person.laborer_id}"
        client.get("/api/v1/laborers", headers=auth["counselor"], params={"q": person.id_number})
        client.get("/api/v1/laborers", headers=auth["counselor"], params={"q": person.phone})
        client.post(
            "/api/v1/laborers/lookup",
            headers=auth["counselor"],
            json={"id_number": person.id_number},
        )
        client.get(url, headers=auth["district"], params={"full": "1"})
        client.get(f"{url}/referrals", headers=auth["counselor"])
        client.post(
            f"{url}/outcomes",
            headers=auth["counselor"],
            json={"post_id": posts[0]["post_id"], "outcome": "hired"},
        )
        client.get(f"/api/v1/laborers/{person.id_number}", headers=auth["counselor"])
        client.post(
            "/api/v1/roster/import",
            headers=auth["district"],
            files={"file": ("bad.csv", f"姓名,公民身份号码\n张三,{ID}\n".encode())},
        )
    # httpx logs each request line, so the ID number sent in a query string was logged, masked.
    assert ID[:6] + "********" + ID[-4:] in caplog.text
    for p in PEOPLE:
        assert p.id_number not in caplog.text
        assert p.phone not in caplog.text


def test_an_error_message_never_echoes_an_id_number_or_phone(
    client: TestClient, auth: Auth
) -> None:
    answers = [
        client.get("/api/v1/stats", headers=auth["city"], params={"district": ID}),
        client.get(f"/api/v1/laborers/{ID}", headers=auth["counselor"]),
        client.get("/api/v1/laborers", headers=auth["counselor"], params={"township": PHONE}),
        client.get("/api/v1/laborers", headers=auth["counselor"], params={"q": ID}),
    ]
    assert [a.status_code for a in answers] == [422, 404, 403, 400]
    for answer in answers:
        assert ID not in answer.text
        assert PHONE not in answer.text
