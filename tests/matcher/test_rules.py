"""The hard rules, one by one, with concrete cases from the outer districts."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from catalogue.controls import EmployerControl
from features.gazetteer import load_gazetteer
from features.laborer import Laborer
from matcher.index import PostIndex
from matcher.person import DEFAULT_MAX_COMMUTE_MIN, seeker_arrays, seeker_of
from matcher.refer import refer
from matcher.rules import (
    RULES,
    eligible,
    exclusion_counts,
    missing_certificates,
    passes_all,
    person_rules,
    rule_masks,
)
from tests.factories import TODAY, make_agreement, make_laborer, make_post


def build(*posts, agreements=(), controls=None) -> PostIndex:  # type: ignore[no-untyped-def]
    return PostIndex.build(list(posts), list(agreements), controls or {}, today=TODAY)


def referred(laborer, index: PostIndex, **kw) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.post_id for r in refer(laborer, index, k=50, today=TODAY, **kw).referrals}


def test_woman_of_51_gets_nothing_while_man_of_58_does() -> None:
    index = build(make_post(title="物业保洁员"), make_post(title="绿化养护工"))
    woman = refer(make_laborer(age=51, male=False), index, today=TODAY)
    assert woman.referrals == []
    assert woman.reason == "超过劳动年龄"
    man = refer(make_laborer(age=58, male=True), index, today=TODAY)
    assert len(man.referrals) == 2
    assert man.reason is None


def test_employed_or_unwilling_people_get_a_reason_not_posts() -> None:
    index = build(make_post())
    assert refer(make_laborer(employment="已就业"), index, today=TODAY).reason == "已就业"
    assert refer(make_laborer(wants_job=False), index, today=TODAY).reason == "暂无就业意愿"
    assert refer(make_laborer(exclusion="在校学生"), index, today=TODAY).reason == "在校学生"


def test_post_age_range_is_inclusive_and_counted_under_age() -> None:
    post = make_post(min_age=18, max_age=55)
    index = build(post)
    assert referred(make_laborer(age=55), index) == {post.post_id}
    result = refer(make_laborer(age=56), index, today=TODAY)
    assert result.referrals == []
    assert result.excluded["age"] == 1


def test_public_welfare_post_reaches_only_difficulty_persons_of_the_townships_it_serves() -> None:
    gaz = load_gazetteer()
    yongledian = gaz.township("永乐店镇", "通州区").code
    post = make_post(title="公共设施维护员", kind="公益性岗位", for_townships=(yongledian,))
    index = build(post)
    assert referred(make_laborer(difficulty=True), index) == {post.post_id}
    not_difficulty = refer(make_laborer(difficulty=False), index, today=TODAY)
    assert not_difficulty.referrals == []
    assert not_difficulty.excluded["reserved_public_welfare"] == 1
    elsewhere = make_laborer(difficulty=True, township="于家务回族乡", max_commute_min=120)
    assert referred(elsewhere, index) == set()
    # the caller may pass a district's confirmation not yet on the roster row
    assert referred(make_laborer(difficulty=False), index, difficulty=True) == {post.post_id}


def test_directed_post_reaches_only_the_paired_district() -> None:
    agreement = make_agreement()
    employer = agreement.employers[0]
    post = make_post(
        kind="定向招聘",
        uploader="朝阳区",
        district="朝阳区",
        township="",
        employer=employer.name,
        employer_code=employer.code,
        lodging=True,
    )
    index = build(post, agreements=[agreement])
    tongzhou = make_laborer(accepts_lodging=True)
    daxing = make_laborer(township="礼贤镇", district="大兴区", accepts_lodging=True)
    assert referred(tongzhou, index) == {post.post_id}
    result = refer(daxing, index, today=TODAY)
    assert result.referrals == []
    assert result.excluded["directed_pairing"] == 1


def test_directed_post_without_an_active_agreement_reaches_no_one() -> None:
    agreement = make_agreement(status="终止")
    employer = agreement.employers[0]
    post = make_post(
        kind="定向招聘",
        uploader="朝阳区",
        district="朝阳区",
        township="",
        employer=employer.name,
        employer_code=employer.code,
        lodging=True,
    )
    index = build(post, agreements=[agreement])
    assert referred(make_laborer(accepts_lodging=True), index) == set()


def test_directed_post_of_an_agreement_with_output_townships_reaches_only_them() -> None:
    gaz = load_gazetteer()
    agreement = make_agreement(output_townships=(gaz.township("永乐店镇", "通州区").code,))
    employer = agreement.employers[0]
    post = make_post(
        kind="定向招聘",
        uploader="朝阳区",
        district="朝阳区",
        township="",
        employer_code=employer.code,
        lodging=True,
    )
    index = build(post, agreements=[agreement])
    assert referred(make_laborer(accepts_lodging=True), index) == {post.post_id}
    other = make_laborer(township="西集镇", accepts_lodging=True)
    assert referred(other, index) == set()


def test_zhaitang_with_30_minutes_gets_no_chaoyang_post_unless_lodging_is_offered_and_accepted() -> (
    None
):
    plain = make_post(uploader="朝阳区", district="朝阳区", township="", title="物业保洁员")
    lodging = make_post(
        uploader="朝阳区", district="朝阳区", township="", title="宾馆客房服务员", lodging=True
    )
    index = build(plain, lodging)
    stays = make_laborer(township="斋堂镇", district="门头沟区", max_commute_min=30)
    moves = dataclasses.replace(stays, accepts_lodging=True)
    result = refer(stays, index, today=TODAY)
    assert result.referrals == []
    assert result.excluded["commute"] == 2
    assert result.reason == "通勤范围内无岗位"
    assert referred(moves, index) == {lodging.post_id}


def test_home_based_work_has_no_commute() -> None:
    post = make_post(
        uploader="朝阳区", district="朝阳区", township="", kind="居家就业", title="手工编织"
    )
    index = build(post)
    person = make_laborer(township="斋堂镇", district="门头沟区", max_commute_min=15)
    assert referred(person, index) == {post.post_id}


def test_unstated_tolerance_defaults_to_an_hour() -> None:
    index = build(make_post())
    seeker = seeker_of(make_laborer(max_commute_min=None), index, today=TODAY)
    assert seeker.tolerance == DEFAULT_MAX_COMMUTE_MIN == 60


def test_required_certificate_must_be_held() -> None:
    post = make_post(title="电焊工", skills="电焊", certificates=("特种作业操作证",))
    index = build(post)
    without = make_laborer(skills=("电焊",))
    result = refer(without, index, today=TODAY)
    assert result.referrals == []
    assert result.excluded["certificate"] == 1
    holder = make_laborer(skills=("电焊",), certificates=("特种作业操作证",))
    assert referred(holder, index) == {post.post_id}


def test_closed_filled_expired_and_suspended_posts_are_never_referred() -> None:
    closed = make_post(status="closed")
    filled = make_post(headcount=2, hires=2)
    expired = make_post(closes_on=TODAY - dt.timedelta(days=1))
    still_open = make_post(closes_on=TODAY)
    suspended = make_post(employer="北京某劣迹劳务派遣有限公司")
    controls = {"北京某劣迹劳务派遣有限公司": EmployerControl(suspended=True, reason="欠薪")}
    index = build(closed, filled, expired, still_open, suspended, controls=controls)
    result = refer(make_laborer(), index, today=TODAY, k=10)
    assert [r.post_id for r in result.referrals] == [still_open.post_id]
    assert result.excluded["closed"] == 3
    assert result.excluded["suspended_employer"] == 1


def test_exclusion_counts_add_up_to_the_posts_excluded_and_name_every_rule() -> None:
    posts = [make_post(min_age=18, max_age=30), make_post(status="closed"), make_post()]
    index = build(*posts)
    result = refer(make_laborer(age=45), index, today=TODAY)
    assert set(result.excluded) == set(RULES)
    assert sum(result.excluded.values()) + len(result.referrals) == len(posts)


def _mixed_world() -> tuple[PostIndex, list[Laborer]]:
    """Posts that each fail one rule for someone, and people that each meet different ones."""
    gaz = load_gazetteer()
    agreement = make_agreement()
    code = agreement.employers[0].code
    posts = [
        make_post(kind="公益性岗位", for_townships=(gaz.township("永乐店镇", "通州区").code,)),
        make_post(
            kind="定向招聘", uploader="朝阳区", district="朝阳区", township="", employer_code=code
        ),
        make_post(min_age=50),
        make_post(certificates=("健康证",)),
        make_post(certificates=("健康证", "电工证")),
        make_post(lodging=True, district="延庆区", township="康庄镇"),
        make_post(status="closed"),
        make_post(employer="停用公司"),
    ]
    controls = {"停用公司": EmployerControl(suspended=True)}
    index = build(*posts, agreements=[agreement], controls=controls)
    people = [
        make_laborer(),
        make_laborer(difficulty=True, age=52, certificates=("健康证",)),
        make_laborer(accepts_lodging=True, township="斋堂镇", district="门头沟区"),
        make_laborer(max_commute_min=200, age=20, male=False, certificates=("电工证",)),
        dataclasses.replace(make_laborer(), district="不存在区", township_code=""),
    ]
    return index, people


def test_lean_eligible_mask_equals_the_and_of_every_rule() -> None:
    index, people = _mixed_world()
    arrays = seeker_arrays([seeker_of(p, index, today=TODAY) for p in people], index)
    lean = eligible(arrays, index, today=TODAY)
    assert np.array_equal(lean, passes_all(rule_masks(arrays, index, today=TODAY)))
    assert lean.any()


def test_one_persons_rules_equal_the_vectorised_masks_and_their_counts() -> None:
    index, people = _mixed_world()
    for person in people:
        seeker = seeker_of(person, index, today=TODAY)
        arrays = seeker_arrays([seeker], index)
        masks = rule_masks(arrays, index, today=TODAY)
        found = person_rules(seeker, index, today=TODAY)
        for rule in RULES:
            assert np.array_equal(found.masks[rule], masks[rule][0]), rule
        assert np.array_equal(found.ok, passes_all(masks)[0])
        assert found.excluded == exclusion_counts(masks)
        others = np.logical_and.reduce([masks[r][0] for r in RULES if r != "certificate"])
        assert np.array_equal(found.others, others)
        rows = np.arange(len(index))
        one = missing_certificates(arrays, index)[0] == 1
        assert np.array_equal(found.one_short(rows), np.flatnonzero(one))


def test_a_hire_that_fills_a_post_is_seen_by_the_next_referral_on_the_patched_index() -> None:
    post = make_post(headcount=1)
    index = build(post, make_post())
    assert post.post_id in referred(make_laborer(), index)  # the open mask is memoised now
    patched = index.with_states([dataclasses.replace(post, hires=1)])
    assert post.post_id not in referred(make_laborer(), patched)
    assert post.post_id in referred(make_laborer(), index)


def test_a_person_whose_place_is_unknown_reaches_only_home_based_work() -> None:
    home = make_post(kind="居家就业", title="手工编织")
    near = make_post()
    index = build(home, near)
    person = dataclasses.replace(make_laborer(), district="不存在区", township_code="")
    assert referred(person, index) == {home.post_id}
