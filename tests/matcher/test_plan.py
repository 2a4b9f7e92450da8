"""The month's plan on generated districts: quotas, floors, repeats, declines, caps, shortage."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from matcher.allocation import post_caps
from matcher.index import PostIndex
from matcher.plan import (
    ALREADY_PUSHED,
    FULL,
    month_before,
    parse_month,
    plan_month,
    quota_for,
    shortage_by_township,
)
from tests.factories import TODAY, make_laborer, make_post

TITLES = ["物业保洁员", "绿化养护工", "仓库搬运工", "餐厅服务员", "保安员", "电焊工", "家政服务员"]


def _index(posts):
    return PostIndex.build(list(posts), [], {}, today=TODAY)


def _district(seed: int, people: int = 60, posts: int = 25, places=(1, 3)):
    """People and posts in and around 永乐店镇, 通州区; a few difficulty persons per tier."""
    rng = random.Random(seed)
    laborers = []
    tiers = {}
    for i in range(people):
        lab = make_laborer(
            age=rng.randint(20, 55),
            difficulty=rng.random() < 0.25,
            desired_jobs=(rng.choice(TITLES),),
            wants_training=rng.random() < 0.3,
            village=f"第{i % 4 + 1}村",
        )
        laborers.append(lab)
        tiers[lab.laborer_id] = rng.choice(["general", "general", "key", "special"])
    catalogue = [
        make_post(title=rng.choice(TITLES), headcount=rng.randint(*places)) for _ in range(posts)
    ]
    return laborers, tiers, catalogue


def _plan(laborers, tiers, index, **kw):
    return plan_month(laborers, index, month="2026-11", today=TODAY, tiers=tiers, **kw)


def test_quota_by_tier_and_the_difficulty_floor():
    quotas = {"general": 1, "key": 2, "special": 3}
    assert quota_for("general", False, quotas=quotas, floor=2) == 1
    assert quota_for("general", True, quotas=quotas, floor=2) == 2
    assert quota_for("key", False, quotas=quotas, floor=2) == 2
    assert quota_for("special", True, quotas=quotas, floor=2) == 3


def test_with_room_everyone_gets_their_tier_quota_of_distinct_posts():
    laborers, tiers, catalogue = _district(1, places=(20, 30))
    plan = _plan(laborers, tiers, _index(catalogue))
    assert plan.people == len(laborers)
    assert not plan.shortage
    for lab in laborers:
        mine = plan.pushes_of(lab.laborer_id)
        expected = quota_for(
            tiers[lab.laborer_id],
            lab.difficulty,
            quotas={"general": 1, "key": 2, "special": 3},
            floor=2,
        )
        assert len(mine) == expected
        assert len({p.post_id for p in mine}) == len(mine)
        assert [p.rank for p in mine] == list(range(1, len(mine) + 1))
        assert all(p.reasons for p in mine)
        assert [p.score for p in mine] == sorted((p.score for p in mine), reverse=True)


@pytest.mark.parametrize("seed", [2, 3])
def test_scarce_posts_hold_their_caps_and_difficulty_persons_still_get_two(seed):
    laborers, tiers, catalogue = _district(seed, people=80, posts=10, places=(1, 1))
    index = _index(catalogue)
    plan = _plan(laborers, tiers, index)
    caps = dict(
        zip((p.post_id for p in catalogue), post_caps([1] * len(catalogue), 3.0), strict=True)
    )
    over = Counter(p.post_id for p in plan.pushes if p.overflow)
    for post_id, load in plan.loads.items():
        assert load - over[post_id] <= caps[post_id]
    short = {s.laborer_id for s in plan.shortage}
    assert short  # 80 people, 10 posts of one place: not everyone gets their quota
    for lab in laborers:
        if lab.difficulty:
            assert len(plan.pushes_of(lab.laborer_id)) >= 2
    # Everyone is served once at least: 10 posts × cap 3 = 30 pushes… plus overflows for floors.
    assert all(s.reason == FULL for s in plan.shortage)


def test_no_post_repeats_one_pushed_in_the_previous_months():
    laborers, tiers, catalogue = _district(4, places=(20, 30))
    index = _index(catalogue)
    first = _plan(laborers, tiers, index)
    recent: dict[str, set[str]] = {}
    for push in first.pushes:
        recent.setdefault(push.laborer_id, set()).add(push.post_id)
    second = _plan(laborers, tiers, index, recent=recent)
    for push in second.pushes:
        assert push.post_id not in recent.get(push.laborer_id, set())
    assert len(second.pushes) == len(first.pushes)


def test_a_declined_post_never_returns():
    post_a, post_b = make_post(title="物业保洁员"), make_post(title="物业保洁员")
    person = make_laborer(desired_jobs=("保洁",))
    index = _index([post_a, post_b])
    plain = _plan([person], {}, index)
    best = plain.pushes[0].post_id
    again = _plan([person], {}, index, declined={person.laborer_id: {best}})
    assert [p.post_id for p in again.pushes] == [({post_a.post_id, post_b.post_id} - {best}).pop()]


def test_when_every_post_was_pushed_or_declined_the_shortage_says_so():
    post = make_post()
    person = make_laborer()
    plan = _plan([person], {}, _index([post]), recent={person.laborer_id: {post.post_id}})
    assert plan.pushes == ()
    assert [s.reason for s in plan.shortage] == [ALREADY_PUSHED]


def test_the_shortage_list_names_the_right_reason():
    near = make_post(title="物业保洁员", headcount=1, min_age=18, max_age=40)
    index = _index([near])
    far = make_laborer(district="延庆区", township="千家店镇", max_commute_min=30)
    old = make_laborer(age=50)
    crowd = [make_laborer(age=30) for _ in range(6)]
    plan = _plan([far, old, *crowd], {}, index)
    reasons = {s.laborer_id: s.reason for s in plan.shortage}
    assert reasons[far.laborer_id] == "通勤范围内无岗位"
    assert reasons[old.laborer_id] == "年龄不符"
    # Six people of 30 compete for one place (cap 3): three get it, three are told it is full.
    full = [lab.laborer_id for lab in crowd if reasons.get(lab.laborer_id) == FULL]
    assert len(full) == 3
    grouped = shortage_by_township(plan.shortage)
    assert grouped["千家店镇"] == {"通勤范围内无岗位": 1}
    assert grouped["永乐店镇"] == {"年龄不符": 1, FULL: 3}


def test_a_person_without_the_certificate_is_short_for_certificates():
    index = _index([make_post(title="电工", certificates=("电工证",))])
    person = make_laborer()
    plan = _plan([person], {}, index)
    assert [s.reason for s in plan.shortage] == ["缺少证书"]


def test_people_who_need_no_pushes_are_counted_by_reason_not_planned():
    index = _index([make_post()])
    people = [
        make_laborer(employment="已就业"),
        make_laborer(wants_job=False),
        make_laborer(age=70),
    ]
    plan = _plan(people, {}, index)
    assert plan.people == 0
    assert plan.pushes == ()
    assert plan.not_needed == {"已就业": 1, "暂无就业意愿": 1, "超过劳动年龄": 1}


def test_follow_up_lists_key_special_and_difficulty_persons_with_their_pushes():
    laborers, tiers, catalogue = _district(5, places=(20, 30))
    plan = _plan(laborers, tiers, _index(catalogue))
    listed = {f.laborer_id: f for f in plan.follow_up}
    for lab in laborers:
        due = tiers[lab.laborer_id] in ("key", "special") or lab.difficulty
        assert (lab.laborer_id in listed) == due
        if due:
            assert listed[lab.laborer_id].post_ids == tuple(
                p.post_id for p in plan.pushes_of(lab.laborer_id)
            )


def test_a_person_who_wants_training_gets_the_training_for_a_near_miss():
    index = _index([make_post(title="保洁员", skills="保洁", certificates=("健康证",))])
    keen = make_laborer(
        desired_jobs=("保洁员",), skills=("保洁",), wants_training=True, difficulty=True
    )
    not_keen = make_laborer(desired_jobs=("保洁员",), skills=("保洁",), difficulty=True)
    plan = _plan([keen, not_keen], {}, index)
    listed = {f.laborer_id: f for f in plan.follow_up}
    assert any("健康证" in t for t in listed[keen.laborer_id].training)
    assert listed[not_keen.laborer_id].training == ()
    assert {s.reason for s in plan.shortage} == {"缺少证书"}


def test_the_plan_does_not_depend_on_roster_order():
    laborers, tiers, catalogue = _district(6, people=50, posts=8, places=(1, 2))
    index = _index(catalogue)
    a = _plan(laborers, tiers, index)
    b = _plan(list(reversed(laborers)), tiers, index)
    assert a.pushes == b.pushes
    assert a.shortage == b.shortage


def test_months_count_back_across_years():
    assert month_before("2026-02", 3) == "2025-11"
    assert parse_month("2026-11").day == 1
    with pytest.raises(ValueError, match="month"):
        parse_month("2026-13")


def test_training_suggestions_agree_with_the_near_misses_of_a_referral():
    from matcher.plan import training_suggestions
    from matcher.refer import refer

    posts = [
        make_post(title="保洁员", skills="保洁", certificates=("健康证",)),
        make_post(title="焊工", skills="电焊", certificates=("特种作业操作证",)),
        make_post(title="保洁员", skills="保洁"),
    ]
    index = _index(posts)
    people = [
        make_laborer(desired_jobs=("保洁员",), skills=("保洁",)),
        make_laborer(desired_jobs=("焊工",), skills=("电焊",)),
        make_laborer(desired_jobs=("仓库搬运工",)),
    ]
    for person in people:
        found = refer(person, index, k=3, today=TODAY)
        shown = {index.row_of(r.post_id) for r in found.referrals}
        expected = tuple(dict.fromkeys(m.training for m in found.near_misses if m.training))
        assert training_suggestions([(person, shown)], index, today=TODAY) == [expected]


def test_each_push_has_the_score_a_referral_gives_for_the_persons_tier():
    from matcher.refer import refer

    laborers, tiers, _ = _district(seed=5, people=40)
    kinds = ("社会招聘", "扶贫车间", "居家就业", "村社代工点")
    catalogue = [make_post(title=t, kind=k, headcount=3) for t in TITLES for k in kinds]
    index = _index(catalogue)
    plan = _plan(laborers, tiers, index)
    by_id = {lab.laborer_id: lab for lab in laborers}
    checked = Counter()
    for push in plan.pushes:
        tier = tiers[push.laborer_id]
        found = refer(by_id[push.laborer_id], index, k=len(index), today=TODAY, tier=tier)
        scores = {r.post_id: r.score for r in found.referrals}
        assert push.score == round(scores[push.post_id], 4), push
        checked[tier] += 1
    assert checked["special"] > 0
    assert checked["general"] > 0
