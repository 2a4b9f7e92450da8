"""score_all: the batch's candidates agree with refer, block by block; explain; shortages."""

from __future__ import annotations

import numpy as np
import pytest

from features.gazetteer import load_gazetteer
from matcher.bulk import explain, score_all, shortage_reason
from matcher.index import PostIndex
from matcher.refer import refer
from tests.factories import TODAY, make_agreement, make_laborer, make_post

TITLES = (
    "物业保洁员",
    "电焊工",
    "保安员",
    "叉车司机",
    "收银员",
    "绿化养护工",
    "中式烹调师",
    "手工编织",
)
PLACES = (
    ("永乐店镇", "通州区"),
    ("宋庄镇", "通州区"),
    ("斋堂镇", "门头沟区"),
    ("", "朝阳区"),
    ("礼贤镇", "大兴区"),
)


def world() -> tuple[list, PostIndex]:  # type: ignore[type-arg]
    gaz = load_gazetteer()
    agreement = make_agreement()
    posts = []
    for i in range(60):
        township, district = PLACES[i % len(PLACES)]
        kind = ("社会招聘", "扶贫车间", "居家就业", "公益性岗位", "定向招聘")[i % 5]
        extra: dict[str, object] = {}
        if kind == "公益性岗位":
            extra["for_townships"] = (gaz.township("永乐店镇", "通州区").code,)
        if kind == "定向招聘":
            extra.update(uploader="朝阳区", employer_code=agreement.employers[0].code)
        posts.append(
            make_post(
                title=TITLES[i % len(TITLES)],
                kind=kind,
                township=township,
                district=district,
                lodging=i % 3 == 0,
                min_age=18 if i % 4 == 0 else None,
                max_age=50 if i % 4 == 0 else None,
                certificates=("健康证",) if i % 7 == 0 else (),
                salary_min=2500 + 100 * i,
                **extra,
            )
        )
    people = []
    for i in range(40):
        township, district = PLACES[i % 3 if i % 5 else 4]
        people.append(
            make_laborer(
                age=20 + i,
                male=i % 2 == 0,
                township=township or "永乐店镇",
                district=district,
                skills=(TITLES[i % len(TITLES)][:2],),
                desired_jobs=(TITLES[(i + 3) % len(TITLES)],),
                max_commute_min=(None, 30, 60, 120)[i % 4],
                accepts_lodging=i % 3 == 1,
                difficulty=i % 4 == 0,
                certificates=("健康证",) if i % 2 else (),
                employment="已就业" if i % 11 == 10 else "无业",
            )
        )
    return people, PostIndex.build(posts, [agreement], {}, today=TODAY)


@pytest.mark.parametrize("block", [1, 7, 256])
def test_score_all_agrees_with_refer_for_every_person(block: int) -> None:
    people, index = world()
    found = score_all(people, index, k=5, today=TODAY, block=block)
    assert found.rows.shape == (len(people), 5)
    for i, person in enumerate(people):
        result = refer(person, index, k=5, today=TODAY)
        rows = [index.row_of(r.post_id) for r in result.referrals]
        got = [int(r) for r in found.rows[i] if r >= 0]
        assert got == rows, i
        assert found.scores[i, : len(rows)].tolist() == [r.score for r in result.referrals]
        if result.reason is not None:
            assert found.eligible_counts[i] == 0 or not rows


def test_score_all_agrees_with_refer_when_tiers_are_given() -> None:
    people, index = world()
    tiers = {p.laborer_id: ("special", "key", "general")[i % 3] for i, p in enumerate(people)}
    found = score_all(people, index, k=5, today=TODAY, block=7, tiers=tiers)
    plain = score_all(people, index, k=5, today=TODAY, block=7)
    for i, person in enumerate(people):
        result = refer(person, index, k=5, today=TODAY, tier=tiers[person.laborer_id])
        rows = [index.row_of(r.post_id) for r in result.referrals]
        assert [int(r) for r in found.rows[i] if r >= 0] == rows, i
        assert found.scores[i, : len(rows)].tolist() == [r.score for r in result.referrals]
    # the special tier changes some scores: the agreement above is not that of an unused tier
    assert not np.array_equal(found.scores, plain.scores)


def test_candidates_are_padded_and_scores_sorted() -> None:
    people, index = world()
    found = score_all(people, index, k=30, today=TODAY)
    for i in range(len(people)):
        valid = found.rows[i] >= 0
        assert valid.sum() == min(30, found.eligible_counts[i])
        assert np.all(np.diff(found.scores[i][valid]) <= 0)
        assert np.all((found.scores[i] >= 0) & (found.scores[i] <= 1))
        assert not valid[np.argmin(valid)] or valid.all()  # -1 only at the end


def test_exclude_removes_posts_for_that_person_only() -> None:
    people, index = world()
    first = score_all(people[:2], index, k=3, today=TODAY)
    banned = index.posts[int(first.rows[0, 0])].post_id
    again = score_all(people[:2], index, k=3, today=TODAY, exclude={people[0].laborer_id: [banned]})
    assert index.row_of(banned) not in again.rows[0].tolist()
    assert again.rows[1].tolist() == first.rows[1].tolist()


def test_explain_gives_the_same_reasons_as_refer() -> None:
    people, index = world()
    person = people[1]
    result = refer(person, index, k=3, today=TODAY)
    for r in result.referrals:
        assert explain(person, index, index.row_of(r.post_id), today=TODAY) == r.reasons


def test_shortage_reasons_say_why() -> None:
    far = make_post(district="朝阳区", township="")
    young_only = make_post(min_age=18, max_age=30)
    cert = make_post(certificates=("健康证",))
    full = make_post(headcount=1, hires=1)
    zhaitang = make_laborer(township="斋堂镇", district="门头沟区", max_commute_min=30)
    assert (
        shortage_reason(zhaitang, PostIndex.build([far], [], {}, today=TODAY), today=TODAY)
        == "通勤范围内无岗位"
    )
    older = make_laborer(age=45)
    assert (
        shortage_reason(older, PostIndex.build([young_only], [], {}, today=TODAY), today=TODAY)
        == "年龄不符"
    )
    assert (
        shortage_reason(older, PostIndex.build([cert], [], {}, today=TODAY), today=TODAY)
        == "缺少证书"
    )
    assert (
        shortage_reason(older, PostIndex.build([full], [], {}, today=TODAY), today=TODAY)
        == "范围内岗位已满"
    )
    assert (
        shortage_reason(
            make_laborer(employment="已就业"),
            PostIndex.build([far], [], {}, today=TODAY),
            today=TODAY,
        )
        == "已就业"
    )


def test_score_all_checks_its_arguments() -> None:
    people, index = world()
    with pytest.raises(ValueError, match="k must be >= 1"):
        score_all(people, index, k=0, today=TODAY)
    with pytest.raises(ValueError, match="block must be >= 1"):
        score_all(people, index, k=1, today=TODAY, block=0)
