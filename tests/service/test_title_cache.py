"""Post titles' occupations kept in Redis: a later process reads them instead of the model."""

from __future__ import annotations

import redis

from features.titles import TitleMatch, normalize_titles
from matcher.index import forget_titles, title_matches, unknown_titles
from service.catalogue_store import CatalogueStore
from service.title_cache import titles_key, warm_titles

TITLES = ["物业保洁员包吃住", "电焊工 月薪8000", "普工坐班包吃住300预支", "电焊工 月薪8000"]


def test_titles_normalised_once_are_read_back_by_a_process_that_never_saw_them(
    store: redis.Redis,
) -> None:
    catalogue = CatalogueStore(store)
    forget_titles()
    assert warm_titles(catalogue, TITLES) == 3  # the distinct titles, computed by the model
    assert store.hlen(titles_key(catalogue)) == 3
    first = title_matches(TITLES)
    assert first == normalize_titles(TITLES)
    # A new process knows nothing; everything comes back from Redis, nothing from the model.
    forget_titles()
    assert unknown_titles(TITLES) == list(dict.fromkeys(TITLES))
    assert warm_titles(catalogue, TITLES) == 0
    assert unknown_titles(TITLES) == []
    assert title_matches(TITLES) == first
    assert warm_titles(catalogue, TITLES) == 0  # known in the process: Redis is not asked


def test_the_stored_answers_belong_to_one_model(store: redis.Redis) -> None:
    catalogue = CatalogueStore(store)
    forget_titles()
    # An answer kept under another model's fingerprint is not read.
    store.hset(f"rg:cat:titles:{'0' * 16}", "保安", "9-99-99-99\x1f假\x1f4\x1f1.0")
    warm_titles(catalogue, ["保安"])
    (match,) = title_matches(["保安"])
    assert match != TitleMatch("9-99-99-99", "假", 4, 1.0)
    assert titles_key(catalogue).startswith("rg:cat:titles:")
    assert titles_key(catalogue) != f"rg:cat:titles:{'0' * 16}"
