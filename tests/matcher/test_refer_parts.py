"""The parts of a referral's fast path agree with the plain computations they stand for."""

from __future__ import annotations

import datetime as dt

import numpy as np
import scipy.sparse as sp

from matcher.index import PostIndex
from matcher.person import seeker_of, text_row
from matcher.refer import refer, signals_for
from matcher.score import accumulate_row, top_k_all, top_k_row
from matcher.weights import DEFAULT_WEIGHTS, Weights
from tests.factories import TODAY, make_laborer, make_post

TITLES = ("物业保洁员", "电焊工", "保安员", "叉车司机", "收银员", "绿化养护工", "中式烹调师")


def world() -> PostIndex:
    posts = [
        make_post(
            title=TITLES[i % len(TITLES)],
            skills=("电焊 叉车", "保洁", "", "仓储 叉车", "收银")[i % 5],
            certificates=("特种作业操作证",) if i % 6 == 0 else (),
            lodging=i % 4 == 0,
            salary_min=2600 + 50 * i,
        )
        for i in range(40)
    ]
    return PostIndex.build(posts, [], {}, today=TODAY)


PEOPLE = [
    make_laborer(skills=("电焊", "开过叉车"), desired_jobs=("仓储",)),
    make_laborer(skills=("保洁",), desired_jobs=("物业保洁", "收银员")),
    make_laborer(skills=(), desired_jobs=("厨师",), accepts_lodging=True),
    make_laborer(skills=("会开车，电气焊都干过",), desired_jobs=()),
]


def test_one_persons_text_scores_equal_scipys_sparse_product_to_the_last_bit() -> None:
    index = world()
    for person in PEOPLE:
        for weights in (DEFAULT_WEIGHTS, Weights(skill=0.7, desired=0.1)):
            cols, vals = text_row(seeker_of(person, index, today=TODAY), index, weights)
            row = sp.csr_matrix(
                (vals, cols, [0, len(cols)]), shape=(1, index.text.size), dtype=np.float32
            )
            product = np.asarray((row @ index.text_t).toarray()[0], np.float32)
            found = accumulate_row((cols, vals), index)
            assert found.dtype == np.float32
            assert np.array_equal(found.view(np.uint32), product.view(np.uint32))


def test_top_k_of_a_row_where_every_entry_is_eligible_equals_top_k_row() -> None:
    rng = np.random.default_rng(3)
    for n, k in ((0, 3), (5, 10), (50, 7), (400, 10)):
        row = np.round(rng.random(n), 1).astype(np.float32)  # many ties
        expected = top_k_row(row, np.ones(n, dtype=bool), k)
        assert top_k_all(row, k).tolist() == expected.tolist()


def test_signals_of_referred_posts_equal_signals_for_those_posts() -> None:
    index = world()
    for person in PEOPLE:
        result = refer(person, index, k=8, today=TODAY)
        rows = np.array([index.row_of(r.post_id) for r in result.referrals], np.intp)
        expected = signals_for(seeker_of(person, index, today=TODAY), index, rows)
        assert [r.signals for r in result.referrals] == expected


def test_near_misses_do_not_change_the_referrals_and_never_repeat_a_shown_post() -> None:
    index = world()
    for person in PEOPLE:
        full = refer(person, index, k=3, today=TODAY)
        bare = refer(person, index, k=3, today=TODAY, near_miss_k=0)
        assert bare.near_misses == []
        assert bare.referrals == full.referrals
        assert bare.excluded == full.excluded
        shown = {r.post_id for r in full.referrals}
        assert not shown & {m.post_id for m in full.near_misses}
        dropped = {m.post_id for m in full.near_misses} | {full.referrals[0].post_id}
        again = refer(person, index, k=3, today=TODAY, exclude=dropped)
        assert not dropped & {r.post_id for r in again.referrals}
        assert not {r.post_id for r in again.referrals} & {m.post_id for m in again.near_misses}


def test_the_rules_that_do_not_depend_on_the_person_are_decided_per_day() -> None:
    closing = make_post(closes_on=TODAY)
    index = PostIndex.build([closing, make_post()], [], {}, today=TODAY)
    today = refer(make_laborer(), index, today=TODAY)
    tomorrow = refer(make_laborer(), index, today=TODAY + dt.timedelta(days=1))
    assert today.excluded["closed"] == 0
    assert closing.post_id in {r.post_id for r in today.referrals}
    assert tomorrow.excluded["closed"] == 1
    assert closing.post_id not in {r.post_id for r in tomorrow.referrals}
