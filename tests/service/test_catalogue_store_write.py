"""How an upload is written: one MULTI/EXEC of the posts, the version and the feed."""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson
import pytest
import redis

from catalogue.agreements import parse_agreement
from catalogue.models import CONTENT_FIELDS, make_post_id
from catalogue.upload import parse_posts
from features.tabular import Table
from service.catalogue_store import CatalogueStore, UploadReport
from tests.factories import TODAY
from tests.service.test_catalogue_store import CODE, GAZ, HEADERS, row, snapshot


@pytest.fixture
def cat(store: redis.Redis) -> CatalogueStore:
    catalogue = CatalogueStore(store, prefix="rg")
    agreement = {
        "output_district": "通州区",
        "partners": ["朝阳区"],
        "year": 2026,
        "employers": [{"name": "北京朝阳某物业管理有限公司", "code": CODE}],
    }
    catalogue.add_agreements([parse_agreement(agreement, gazetteer=GAZ)])
    return catalogue


def csv_upload(cat: CatalogueStore, rows: list[dict[str, object]]) -> UploadReport:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8-sig")
    return cat.upload_file(data, "岗位.csv", uploader="朝阳区", today=TODAY, gazetteer=GAZ)


def test_many_rows_alike_but_for_their_number_are_all_created_with_one_entry_each(
    cat: CatalogueStore,
) -> None:
    # Stored values that differ only near their start: a Lua script interning them took
    # quadratic time (20,000 such rows ran past the client's timeout, were sent again and
    # then reported as unchanged).
    n = 3000
    before = cat.version()
    report = csv_upload(cat, [row(f"CY-{i:05d}") for i in range(n)])
    assert (report.created, report.updated, report.unchanged, report.rejected) == (n, 0, 0, 0)
    assert report.version == cat.version() == before + 1
    changes = cat.changes_since(before)
    assert [c.seq for c in changes] == [f"{before + 1}-{i}" for i in range(1, n + 1)]
    assert [c.post_id for c in changes] == [make_post_id("朝阳区", f"CY-{i:05d}") for i in range(n)]
    assert {(c.event, c.uploader, c.day) for c in changes} == {
        ("created", "朝阳区", TODAY.isoformat())
    }
    assert len(cat.all_posts()) == n
    again = csv_upload(cat, [row(f"CY-{i:05d}") for i in range(n)])
    assert (again.created, again.unchanged) == (0, n)


def test_a_stored_post_is_its_dates_and_the_json_of_what_was_uploaded(
    cat: CatalogueStore,
) -> None:
    csv_upload(cat, [row("CY-1", 证书要求="健康证、电工证", 提供住宿="是")])
    raw = cat.redis.hget(cat.k_posts, make_post_id("朝阳区", "CY-1"))
    assert isinstance(raw, bytes)
    day = TODAY.isoformat().encode()
    assert raw.startswith(day + b" " + day + b" {")
    content = orjson.loads(raw[22:])
    assert content["title"] == "普工坐班包吃住300预支"
    assert (content["certificates"], content["lodging"]) == (["健康证", "电工证"], True)
    assert not {"post_id", "hires", "status", "created_on"} & set(content)
    [post] = cat.all_posts()
    assert raw[22:] == orjson.dumps({name: getattr(post, name) for name in CONTENT_FIELDS})


def test_a_feed_ahead_of_the_version_refuses_the_upload_and_writes_nothing(
    cat: CatalogueStore,
) -> None:
    cat.redis.xadd(cat.k_feed, {"event": "created", "post_id": "x"}, id=f"{cat.version() + 5}-1")
    before = snapshot(cat.redis)
    with pytest.raises(RuntimeError, match="past version"):
        csv_upload(cat, [row("CY-1")])
    assert snapshot(cat.redis) == before


def test_a_refused_write_leaves_no_watch_on_the_pooled_connection(
    cat: CatalogueStore, store: redis.Redis
) -> None:
    csv_upload(cat, [row("CY-1")])
    stale = cat.version() - 1
    table = Table(HEADERS, [[str(row("CY-2").get(h, "")) for h in HEADERS]])
    result = parse_posts(
        table, uploader="朝阳区", agreements=cat.agreements(), today=TODAY, gazetteer=GAZ
    )
    assert cat._apply(result, stale, today=TODAY, dry_run=False, keep=False) is None
    # A transaction on the same pool after a version change is not refused by a stale WATCH.
    store.incr(cat.k_version)
    report = cat._apply(result, cat.version(), today=TODAY, dry_run=False, keep=False)
    assert report is not None
    assert report.created == 1


@pytest.mark.parametrize(
    ("which", "make"),
    [
        ("k_posts", lambda r, k: r.set(k, "x")),
        ("k_state", lambda r, k: r.rpush(k, "x")),
        ("k_feed", lambda r, k: r.hset(k, "x", "1")),
        ("k_version", lambda r, k: r.hset(k, "x", "1")),
    ],
)
def test_a_key_of_the_wrong_type_refuses_the_upload_with_its_error_and_writes_nothing(
    cat: CatalogueStore, which: str, make: Any
) -> None:
    # A command failing inside EXEC would not undo the commands before it: a key the write
    # touches holding the wrong type is found before MULTI, and nothing is written.
    cat.redis.delete(getattr(cat, which))
    make(cat.redis, getattr(cat, which))
    before = snapshot(cat.redis)
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        csv_upload(cat, [row("CY-1"), row("CY-2")])
    assert snapshot(cat.redis) == before


def test_a_re_upload_adds_created_and_updated_entries_in_the_order_of_the_rows(
    cat: CatalogueStore,
) -> None:
    csv_upload(cat, [row("CY-1"), row("CY-3")])
    before = cat.version()
    report = csv_upload(cat, [row("CY-1", 招聘人数=9), row("CY-2"), row("CY-3", 招聘人数=7)])
    assert (report.created, report.updated, report.version) == (1, 2, before + 1)
    changes = cat.changes_since(before)
    assert [(c.seq, c.event, c.post_id) for c in changes] == [
        (f"{before + 1}-1", "updated", make_post_id("朝阳区", "CY-1")),
        (f"{before + 1}-2", "created", make_post_id("朝阳区", "CY-2")),
        (f"{before + 1}-3", "updated", make_post_id("朝阳区", "CY-3")),
    ]


def test_one_write_of_posts_of_two_uploaders_numbers_their_entries_in_order(
    cat: CatalogueStore,
) -> None:
    day = TODAY.isoformat()
    writes = [
        ("a1", b"x", "created", False, "朝阳区"),
        ("a2", b"x", "updated", False, "朝阳区"),
        ("b1", b"x", "created", False, "通州区"),
        ("a3", b"x", "created", False, "朝阳区"),
    ]
    version = cat.version()
    assert cat._write(writes, version, day) == version + 1
    changes = cat.changes_since(version)
    assert [(c.seq, c.event, c.post_id, c.uploader, c.day) for c in changes] == [
        (f"{version + 1}-{i}", e, p, u, day) for i, (p, _, e, _, u) in enumerate(writes, 1)
    ]
    assert cat.redis.hmget(cat.k_posts, ["a1", "a2", "b1", "a3"]) == [b"x"] * 4
    assert cat._write(writes, version, day) is None  # a stale version writes nothing more
