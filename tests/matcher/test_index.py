"""The post index: arrays in post_id order, reach sets, state patches, the text space."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from catalogue.controls import EmployerControl
from features.gazetteer import load_gazetteer
from features.lexicon import load_lexicon
from features.skills import profile_text, small_class
from features.titles import normalize_title
from matcher.errors import IndexMismatchError
from matcher.index import NO_MAX_AGE, NO_TITLE, TITLE_MIN_SCORE, PostIndex, title_matches
from matcher.refer import refer
from matcher.signals import occupation_keys
from tests.factories import TODAY, make_agreement, make_laborer, make_post


def test_posts_are_kept_in_post_id_order_and_found_by_id() -> None:
    posts = [make_post() for _ in range(5)]
    index = PostIndex.build(posts, [], {}, today=TODAY, version=7)
    ids = [p.post_id for p in index.posts]
    assert ids == sorted(ids)
    assert index.version == 7
    for p in posts:
        assert index.posts[index.row_of(p.post_id)] == p
    with pytest.raises(IndexMismatchError):
        index.row_of("nope")


def test_arrays_hold_ages_places_and_certificates() -> None:
    a = make_post(min_age=18, max_age=55, certificates=("健康证",))
    b = make_post(district="朝阳区", township="")
    index = PostIndex.build([a, b], [], {}, today=TODAY)
    ra, rb = index.row_of(a.post_id), index.row_of(b.post_id)
    assert (index.min_age[ra], index.max_age[ra]) == (18, 55)
    assert index.max_age[rb] == NO_MAX_AGE
    assert index.cert_required.shape == (2, len(index.certificates))
    assert index.cert_required[ra].sum() == 1
    assert index.cert_required[rb].sum() == 0
    assert index.places.districts[index.place[rb]] == "朝阳区"
    assert index.minutes.shape == (len(index.places) + 1, 2)
    assert np.isinf(index.minutes[index.places.unknown]).all()
    assert index.post_skills.shape[0] == 2


def test_reach_sets_for_public_welfare_and_directed_posts() -> None:
    gaz = load_gazetteer()
    yongledian = gaz.township("永乐店镇", "通州区").code
    agreement = make_agreement()
    welfare = make_post(kind="公益性岗位", for_townships=(yongledian,))
    directed = make_post(
        kind="定向招聘",
        uploader="朝阳区",
        district="朝阳区",
        township="",
        employer_code=agreement.employers[0].code,
    )
    open_post = make_post()
    index = PostIndex.build([welfare, directed, open_post], [agreement], {}, today=TODAY)
    w, d, o = (index.row_of(p.post_id) for p in (welfare, directed, open_post))
    assert index.reach[:, w].sum() == 1
    assert index.reach[index.township_row(yongledian), w]
    tongzhou = {t.code for t in gaz.townships_of("通州区")}
    reached = {index.places.codes[r] for r in np.flatnonzero(index.reach[:-1, d])}
    assert reached == tongzhou
    assert index.reach[:, o].all()
    assert not index.reach[index.township_row("unknown"), d]


def test_home_based_posts_have_zero_minutes_from_everywhere() -> None:
    post = make_post(kind="居家就业", district="延庆区", township="康庄镇")
    index = PostIndex.build([post], [], {}, today=TODAY)
    assert (index.minutes[:, 0] == 0).all()
    assert index.near_home[:, 0].all()


def test_suspended_and_boosted_employers() -> None:
    bad = make_post(employer="甲公司")
    good = make_post(employer="乙公司")
    controls = {"甲公司": EmployerControl(suspended=True), "乙公司": EmployerControl(boost=3.0)}
    index = PostIndex.build([bad, good], [], controls, today=TODAY)
    assert index.suspended[index.row_of(bad.post_id)]
    assert index.boost[index.row_of(good.post_id)] == 1.0


def test_with_states_patches_hires_and_closing_without_a_rebuild() -> None:
    post = make_post(headcount=2)
    other = make_post()
    index = PostIndex.build([post, other], [], {}, today=TODAY)
    hired = dataclasses.replace(post, hires=2)
    patched = index.with_states([hired])
    row = index.row_of(post.post_id)
    assert patched.places_left[row] == 0
    assert index.places_left[row] == 2  # the original is unchanged
    assert not patched.open_mask(TODAY)[row]
    closed = patched.with_states([dataclasses.replace(other, status="closed")])
    assert closed.closed[index.row_of(other.post_id)]
    assert closed.text_t is index.text_t


def test_person_text_rows_match_the_vectorizer() -> None:
    posts = [make_post(title=t) for t in ("物业保洁员", "电焊工", "叉车司机", "保安员", "收银员")]
    index = PostIndex.build(posts, [], {}, today=TODAY)
    _, _, token_at = index.text.offsets
    for text in ("电气焊 会开车", "保洁", "保安 收银", "什么都会"):
        cols, vals = index.text.row(text)
        tokens = {
            int(c) - token_at: float(v) for c, v in zip(cols, vals, strict=True) if c >= token_at
        }
        expected = index.text.vectorizer.transform([text]).tocoo()
        assert tokens == pytest.approx(
            {int(c): float(v) for c, v in zip(expected.col, expected.data, strict=True)}, abs=1e-6
        )
        assert list(cols) == sorted(cols)


def test_empty_catalogue_builds() -> None:
    index = PostIndex.build([], [], {}, today=TODAY)
    assert len(index) == 0


def test_a_posts_title_gets_its_occupation_from_title_normalisation() -> None:
    title = "普工坐班包吃住300预支"
    post = make_post(title=title)
    index = PostIndex.build([post, make_post(title="物业保洁员")], [], {}, today=TODAY)
    found = index.post_titles[index.row_of(post.post_id)]
    assert found == normalize_title(title)
    assert found.code
    assert title_matches([title, title]) == [found, found]
    plain = PostIndex.build([post], [], {}, today=TODAY, titles=False)
    assert plain.post_titles == (NO_TITLE,)


# Titles the lexicon gives no occupation (小类) that a title model can tell.
UNKNOWN_TO_THE_LEXICON = (
    "物流配送员",
    "维修员",
    "水电维护",
    "机械设备维修",
    "车间操作工",
    "门店护理师",
    "早八晚五 仓库看守380一天可临时工日结兼职",
)


def test_a_title_occupation_gives_related_work_a_partial_match() -> None:
    lexicon_entries = list(load_lexicon().skills())
    for title in UNKNOWN_TO_THE_LEXICON:
        match = normalize_title(title)
        if occupation_keys(profile_text(title).occupations)[1] or match.score < TITLE_MIN_SCORE:
            continue
        small = small_class(match.code)
        # a person who wants work of the same 小类, named the lexicon's way
        wants = [
            e.name
            for e in lexicon_entries
            if small in occupation_keys(profile_text(e.name).occupations)[1]
        ]
        if small.endswith("-00") or not wants:
            continue
        break
    else:
        raise AssertionError("no title the lexicon misses and the title model tells")
    post = make_post(title=title)
    person = make_laborer(desired_jobs=(wants[0],))
    with_titles = PostIndex.build([post], [], {}, today=TODAY)
    without = PostIndex.build([post], [], {}, today=TODAY, titles=False)
    (referral,) = refer(person, with_titles, today=TODAY).referrals
    (plain,) = refer(person, without, today=TODAY).referrals
    assert referral.signals["desired"] > plain.signals["desired"]
    assert referral.score > plain.score
