"""The post model's bulk helpers: ids of many 岗位编号, posts built a field at a time."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from catalogue.models import Post, make_post_id, make_post_ids, posts_from_columns
from tests.factories import make_post


def test_many_post_ids_are_the_ids_of_each() -> None:
    numbers = ["CY-1", "CY-2", "", "普工-3", "CY-1"]
    assert make_post_ids("朝阳区", numbers) == [make_post_id("朝阳区", n) for n in numbers]


def test_posts_built_a_field_at_a_time_equal_posts_built_one_by_one() -> None:
    posts = [
        make_post(title="普工坐班包吃住300预支", certificates=("健康证",), min_age=18),
        make_post(closes_on=dt.date(2026, 12, 31), lodging=True, hires=2, status="closed"),
    ]
    names = [f.name for f in dataclasses.fields(Post)]
    columns = {n: [getattr(p, n) for p in posts] for n in names if n != "uploader"}
    built = posts_from_columns(2, columns, {"uploader": "通州区"})
    assert built == posts
    assert [hash(p) for p in built] == [hash(p) for p in posts]
    with pytest.raises(dataclasses.FrozenInstanceError):
        built[0].title = "改"  # type: ignore[misc]


def test_posts_from_columns_want_every_field_once_and_full_columns() -> None:
    post = make_post()
    names = [f.name for f in dataclasses.fields(Post)]
    columns = {n: [getattr(post, n)] for n in names}
    with pytest.raises(ValueError, match="every field"):
        posts_from_columns(1, {k: v for k, v in columns.items() if k != "hires"}, {})
    with pytest.raises(ValueError, match="every field"):
        posts_from_columns(1, columns, {"hires": 0})
    with pytest.raises(ValueError, match="2 values"):
        posts_from_columns(2, columns, {})
