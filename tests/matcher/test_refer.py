"""Referrals for one person: order, reasons, exclusion counts, near misses, determinism."""

from __future__ import annotations

import pytest

from matcher.index import PostIndex
from matcher.refer import refer
from matcher.weights import Weights
from tests.factories import TODAY, make_agreement, make_laborer, make_post


def test_referrals_are_best_first_with_scores_in_range_and_at_most_k() -> None:
    posts = [make_post(title=t) for t in ("物业保洁员", "焊工", "保安员", "收银员", "绿化工")]
    index = PostIndex.build(posts, [], {}, today=TODAY)
    result = refer(make_laborer(skills=("电焊",)), index, k=3, today=TODAY)
    scores = [r.score for r in result.referrals]
    assert len(scores) == 3
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_equal_scores_are_ordered_by_post_id() -> None:
    posts = [make_post(title="物业保洁员") for _ in range(6)]
    index = PostIndex.build(posts, [], {}, today=TODAY)
    result = refer(make_laborer(), index, k=4, today=TODAY)
    ids = [r.post_id for r in result.referrals]
    assert ids == sorted(p.post_id for p in posts)[:4]
    assert len({r.score for r in result.referrals}) == 1


def test_reasons_name_skill_commute_pairing_lodging_and_age() -> None:
    agreement = make_agreement()
    post = make_post(
        title="电焊工",
        kind="定向招聘",
        uploader="朝阳区",
        district="朝阳区",
        township="",
        employer_code=agreement.employers[0].code,
        lodging=True,
        min_age=18,
        max_age=55,
        salary_min=6000,
        salary_max=8000,
    )
    index = PostIndex.build([post], [agreement], {}, today=TODAY)
    person = make_laborer(skills=("电气焊",), max_commute_min=150)
    (referral,) = refer(person, index, today=TODAY).referrals
    assert "技能匹配：电焊" in referral.reasons
    assert "定向招聘·朝阳区对接" in referral.reasons
    assert "提供住宿" in referral.reasons
    assert "年龄要求18–55岁" in referral.reasons
    assert "月薪6000–8000元" in referral.reasons
    assert any(r.startswith("通勤约") and r.endswith("分钟") for r in referral.reasons)


def test_public_welfare_reason_and_home_based_reason() -> None:
    from features.gazetteer import load_gazetteer

    code = load_gazetteer().township("永乐店镇", "通州区").code
    welfare = make_post(title="公共设施维护员", kind="公益性岗位", for_townships=(code,))
    home = make_post(title="手工编织", kind="居家就业")
    index = PostIndex.build([welfare, home], [], {}, today=TODAY)
    result = refer(make_laborer(difficulty=True), index, today=TODAY)
    reasons = {r.post_id: r.reasons for r in result.referrals}
    assert "公益性岗位·托底安置" in reasons[welfare.post_id]
    assert "居家就业·无需通勤" in reasons[home.post_id]


def test_special_certificate_post_is_a_near_miss_with_its_training() -> None:
    post = make_post(title="电焊工", skills="电焊", certificates=("特种作业操作证",))
    index = PostIndex.build([post, make_post(title="物业保洁员")], [], {}, today=TODAY)
    result = refer(make_laborer(skills=("电焊",)), index, today=TODAY)
    assert post.post_id not in {r.post_id for r in result.referrals}
    (miss,) = result.near_misses
    assert miss.post_id == post.post_id
    assert miss.missing == "特种作业操作证"
    assert "培训" in miss.training


def test_a_post_needing_one_more_skill_is_a_near_miss_for_someone_who_wants_that_job() -> None:
    post = make_post(title="叉车司机", skills="叉车 仓储")
    index = PostIndex.build([post], [], {}, today=TODAY)
    person = make_laborer(desired_jobs=("仓储",))
    result = refer(person, index, k=1, today=TODAY, near_miss_k=5)
    assert result.referrals  # still referable: a skill is not a hard rule
    # it was shown, so it is not also listed as a near miss
    assert all(m.post_id != post.post_id for m in result.near_misses)
    other = make_post(title="仓库叉车工", skills="叉车 仓储")
    index = PostIndex.build([post, other], [], {}, today=TODAY)
    result = refer(person, index, k=1, today=TODAY)
    shown = result.referrals[0].post_id
    (miss,) = [m for m in result.near_misses if m.post_id != shown]
    assert miss.missing == "叉车"
    assert miss.training


def test_excluded_posts_are_skipped_and_k_must_be_positive() -> None:
    posts = [make_post() for _ in range(3)]
    index = PostIndex.build(posts, [], {}, today=TODAY)
    person = make_laborer()
    skipped = posts[0].post_id
    result = refer(person, index, today=TODAY, exclude={skipped, "not-a-post"})
    assert skipped not in {r.post_id for r in result.referrals}
    assert len(result.referrals) == 2
    with pytest.raises(ValueError, match="k must be >= 1"):
        refer(person, index, k=0, today=TODAY)


def test_an_excluded_post_is_not_offered_as_a_near_miss_either() -> None:
    welder = make_laborer(skills=("电焊",))
    post = make_post(title="电焊工", skills="电焊", certificates=("特种作业操作证",))
    index = PostIndex.build([post, make_post()], [], {}, today=TODAY)
    (miss,) = refer(welder, index, today=TODAY).near_misses
    assert miss.post_id == post.post_id
    # once pushed or declined, the post is neither shown nor suggested with its training
    again = refer(welder, index, today=TODAY, exclude={post.post_id})
    assert again.near_misses == []


def test_weights_change_the_order() -> None:
    near = make_post(title="物业保洁员", salary_min=2500, salary_max=2600)
    far_paid = make_post(title="物业保洁员", township="宋庄镇", salary_min=8000, salary_max=9000)
    index = PostIndex.build([near, far_paid], [], {}, today=TODAY)
    person = make_laborer(max_commute_min=120)
    by_commute = refer(person, index, today=TODAY, weights=Weights(commute=1.0, pay=0.0))
    by_pay = refer(person, index, today=TODAY, weights=Weights(commute=0.0, pay=1.0))
    assert by_commute.referrals[0].post_id == near.post_id
    assert by_pay.referrals[0].post_id == far_paid.post_id


def test_a_person_with_nothing_in_reach_gets_a_reason() -> None:
    post = make_post(min_age=18, max_age=30)
    index = PostIndex.build([post], [], {}, today=TODAY)
    result = refer(make_laborer(age=45), index, today=TODAY)
    assert result.referrals == []
    assert result.reason == "年龄不符"
