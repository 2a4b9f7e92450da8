"""The service's post index follows the catalogue: patched for hires, rebuilt for new posts."""

from __future__ import annotations

import datetime as dt

import redis

from features.gazetteer import load_gazetteer
from service.catalogue_store import CatalogueStore
from service.post_index import IndexCache
from tests.factories import TODAY
from tests.service.uploads import csv_bytes, local_post


def upload(store: CatalogueStore, *rows: dict[str, str]) -> None:
    report = store.upload_file(
        csv_bytes(list(rows)),
        "岗位.csv",
        uploader="通州区",
        today=TODAY,
        gazetteer=load_gazetteer(),
    )
    assert report.written


def test_index_is_cached_patched_for_hires_and_rebuilt_for_new_posts(store: redis.Redis) -> None:
    catalogue = CatalogueStore(store)
    upload(catalogue, local_post("TZ-001", 招聘人数="2"), local_post("TZ-002"))
    cache = IndexCache(catalogue)
    first = cache.current(TODAY)
    assert len(first) == 2
    assert cache.current(TODAY) is first
    post_id = first.posts[0].post_id
    catalogue.record_hire(post_id, day=TODAY)
    patched = cache.current(TODAY)
    assert cache.builds == 1
    assert cache.patches == 1
    assert patched.places_left[patched.row_of(post_id)] == first.places_left[0] - 1
    assert patched.version == catalogue.version()
    upload(catalogue, local_post("TZ-003"))
    rebuilt = cache.current(TODAY)
    assert cache.builds == 2
    assert len(rebuilt) == 3
    cache.current(TODAY + dt.timedelta(days=1))
    assert cache.builds == 3
