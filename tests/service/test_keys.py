"""API keys: made with a role and scope, stored only as hashes, revocable, brute force slowed."""

from __future__ import annotations

import pytest
import redis
from fastapi.testclient import TestClient

from features.errors import UnknownPlaceError
from service import keys
from service.cli import main


def test_a_key_authenticates_as_its_role_and_scope(store: redis.Redis) -> None:
    token = keys.create_key(store, "counselor", district="通州", township="永乐店")
    who = keys.authenticate(store, token)
    assert who is not None
    assert (who.role, who.district, who.township, who.partner) == (
        "counselor",
        "通州区",
        "永乐店镇",
        None,
    )


def test_the_token_itself_is_never_stored(store: redis.Redis) -> None:
    token = keys.create_key(store, "district", district="通州区")
    secret_part = token.split("_", 2)[2].encode()
    for name in store.keys("*"):
        kind = store.type(name)
        if kind == b"hash":
            blob = b"".join(k + v for k, v in store.hgetall(name).items())
        else:
            blob = repr(store.dump(name)).encode()
        assert token.encode() not in blob + name
        assert secret_part not in blob + name
    assert store.exists(f"rg:apikey:{keys.hash_token(token)}")


def test_a_revoked_key_no_longer_authenticates(store: redis.Redis) -> None:
    token = keys.create_key(store, "partner", partner="朝阳区")
    who = keys.authenticate(store, token)
    assert who is not None
    assert keys.revoke(store, who.key_id)
    assert keys.authenticate(store, token) is None
    assert not keys.revoke(store, who.key_id)


def test_a_wrong_token_does_not_authenticate(store: redis.Redis) -> None:
    keys.create_key(store, "city")
    assert keys.authenticate(store, "rg_00000000_nothing") is None
    assert keys.authenticate(store, "") is None


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("counselor", {"district": "通州区"}),
        ("district", {}),
        ("district", {"district": "通州区", "township": "永乐店镇"}),
        ("partner", {}),
        ("city", {"district": "通州区"}),
        ("mayor", {}),
    ],
)
def test_a_key_with_the_wrong_scope_for_its_role_is_refused(
    store: redis.Redis, role: str, scope: dict[str, str]
) -> None:
    with pytest.raises(keys.KeyScopeError):
        keys.create_key(store, role, **scope)


def test_an_unknown_township_is_refused_with_suggestions(store: redis.Redis) -> None:
    with pytest.raises(UnknownPlaceError) as info:
        keys.create_key(store, "counselor", district="通州区", township="永乐殿镇")
    assert "永乐店镇" in info.value.suggestions


def test_the_cli_prints_a_key_once_lists_and_revokes_it(
    store: redis.Redis,
    settings: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REDIS_URL", settings.redis_url)  # type: ignore[attr-defined]
    monkeypatch.setenv("RENGGANG_SECRET", "test-secret")
    from service.settings import get_settings

    get_settings.cache_clear()
    try:
        assert (
            main(
                [
                    "keys",
                    "create",
                    "--role",
                    "counselor",
                    "--district",
                    "通州区",
                    "--township",
                    "永乐店镇",
                    "--json",
                ]
            )
            == 0
        )
        import json

        token = json.loads(capsys.readouterr().out)["key"]
        who = keys.authenticate(store, token)
        assert who is not None
        assert who.township == "永乐店镇"
        assert main(["keys", "list", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)["keys"]
        assert [k["key_id"] for k in listed] == [who.key_id]
        assert token not in json.dumps(listed)
        assert main(["keys", "revoke", who.key_id]) == 0
        assert keys.authenticate(store, token) is None
        assert main(["keys", "create", "--role", "counselor"]) == 2
    finally:
        get_settings.cache_clear()


def test_requests_without_a_valid_key_get_401_as_problem_details(client: TestClient) -> None:
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["title"] == "需要有效的访问密钥"
    answer = client.get("/api/v1/me", headers={"Authorization": "Bearer rg_x_wrong"})
    assert answer.status_code == 401


def test_a_valid_key_reads_its_own_role(
    client: TestClient, auth: dict[str, dict[str, str]]
) -> None:
    answer = client.get("/api/v1/me", headers=auth["counselor"])
    assert answer.status_code == 200
    assert answer.json()["role"] == "counselor"
    assert answer.json()["township"] == "永乐店镇"


def test_repeated_failures_from_one_client_are_refused_for_a_while(
    client: TestClient, auth: dict[str, dict[str, str]]
) -> None:
    for n in range(keys.FAIL_LIMIT):
        answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer rg_guess_{n}"})
        assert answer.status_code == 401
    blocked = client.get("/api/v1/me", headers={"Authorization": "Bearer rg_guess_last"})
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    # Even a right key from that client waits out the window, so guesses learn nothing.
    assert client.get("/api/v1/me", headers=auth["city"]).status_code == 429
