"""``renggang demo --no-serve``: the synthetic world lands in the real store, and again unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from service import keys
from service.catalogue_store import CatalogueStore
from service.cli import main
from service.roster_store import RosterStore
from service.settings import Settings, get_settings

DAY = "2026-11-18"


@pytest.fixture
def demo_env(
    settings: Settings, store: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """The CLI's environment pointing at the test server and a temporary data folder."""
    monkeypatch.setenv("REDIS_URL", settings.redis_url or "")
    monkeypatch.setenv("RENGGANG_SECRET", "test-secret")
    monkeypatch.setenv("RENGGANG_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def _demo(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    argv = ["demo", "--no-serve", "--people", "300", "--today", DAY, "--json", *extra]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_loads_people_posts_and_agreements_and_a_rerun_is_unchanged(
    demo_env: Settings, store: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _demo(capsys)
    roster = first["roster"]
    assert isinstance(roster, dict)
    assert roster["created"] == 300
    assert roster["rejected"] == 0
    posts = first["posts"]
    assert isinstance(posts, dict)
    assert "朝阳区" in posts  # a partner's directed posts
    assert "通州区" in posts  # a district bureau's own posts
    assert sum(r["created"] for r in posts.values()) > 0
    assert first["agreements"] == {"added": 8, "replaced": 0, "unchanged": 0}

    people = RosterStore(store, secret="test-secret").load_all()
    assert len(people) == 300
    catalogue = CatalogueStore(store)
    assert len(catalogue.all_posts()) == sum(r["created"] for r in posts.values())
    assert len(catalogue.agreements()) == 8
    folder = Path(demo_env.data_dir) / "demo"
    assert (folder / "roster.csv").exists()
    assert (folder / "agreements.json").exists()
    assert (folder / "posts-通州区.csv").exists()

    examples = first["examples"]
    assert isinstance(examples, list)
    assert examples
    ids = {p.laborer.laborer_id for p in people}
    assert all(e["laborer_id"] in ids for e in examples)
    text = json.dumps(first, ensure_ascii=False)
    assert not any(
        p.laborer.id_number in text or p.laborer.phone in text for p in people if p.laborer.phone
    )

    version = catalogue.version()
    second = _demo(capsys)
    roster2 = second["roster"]
    assert isinstance(roster2, dict)
    assert (roster2["created"], roster2["updated"], roster2["unchanged"]) == (0, 0, 300)
    posts2 = second["posts"]
    assert isinstance(posts2, dict)
    assert all(r["created"] == 0 and r["updated"] == 0 for r in posts2.values())
    assert sum(r["unchanged"] for r in posts2.values()) == len(catalogue.all_posts())
    assert second["agreements"] == {"added": 0, "replaced": 0, "unchanged": 8}
    assert catalogue.version() == version


def test_demo_keys_work_and_a_rerun_revokes_the_earlier_ones(
    demo_env: Settings, store: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _demo(capsys)
    tokens = first["keys"]
    assert isinstance(tokens, dict)
    assert len(tokens) == 3
    assert all(keys.authenticate(store, t) is not None for t in tokens.values())
    second = _demo(capsys)
    assert all(keys.authenticate(store, t) is None for t in tokens.values())
    fresh = second["keys"]
    assert isinstance(fresh, dict)
    assert all(keys.authenticate(store, t) is not None for t in fresh.values())


def test_demo_text_output_names_examples_and_commands(
    demo_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--no-serve", "--people", "300", "--today", DAY, "--no-keys"]) == 0
    out = capsys.readouterr().out
    assert "名册：新增 300" in out
    assert "renggang roster show " in out
    assert "renggang batch run --month 2026-11" in out
    # The suggested commands work on the example person.
    first = out.split("renggang roster show ", 1)[1].split()[0]
    assert main(["roster", "show", first]) == 0
    assert main(["refer", first, "--today", DAY, "--json"]) == 0
    referred = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert referred["laborer_id"] == first
    assert referred["referrals"]
    assert "示例人员" in out
    assert "访问密钥" not in out


def test_demo_refuses_a_non_positive_size(
    demo_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--no-serve", "--people", "0"]) == 2
    assert "--people" in capsys.readouterr().err
