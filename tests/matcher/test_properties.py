"""Properties over generated people and posts: no referral ever breaks a hard rule (checked
against a slow, per-post reference written here from DESIGN §5), scores are in [0, 1] and
sorted, and the batch's top-k is the referral's top-k."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.models import Agreement, Post, post_state
from features.commute import commute_minutes, detour_of
from features.eligibility import AgeLimits, no_push_reason
from features.gazetteer import load_gazetteer
from features.laborer import Laborer
from features.skills import certificates_in
from matcher.bulk import score_all
from matcher.index import PostIndex
from matcher.refer import refer
from tests.factories import TODAY, make_agreement, make_laborer, make_post

GAZ = load_gazetteer()
PLACES = [
    ("永乐店镇", "通州区"),
    ("宋庄镇", "通州区"),
    ("斋堂镇", "门头沟区"),
    ("礼贤镇", "大兴区"),
    ("康庄镇", "延庆区"),
    ("", "朝阳区"),
    ("", "北京经济技术开发区"),
]
HOMES = [p for p in PLACES if p[0]]
CERTS = ["健康证", "特种作业操作证", "电工证", "驾驶证C1"]
WORDS = ["电焊", "保洁", "保安", "叉车", "开车", "收银", "养老护理", "手工编织", "绿化"]
TITLES = [
    "电焊工",
    "物业保洁员",
    "保安员",
    "叉车司机",
    "收银员",
    "养老护理员",
    "手工编织",
    "绿化工",
]
KINDS = ["定向招聘", "扶贫车间", "村社代工点", "居家就业", "公益性岗位", "社会招聘"]
AGREEMENTS = [
    make_agreement(),
    make_agreement(
        agreement_id="dx-jk",
        output_district="大兴区",
        partners=("北京经济技术开发区",),
        output_townships=(GAZ.township("礼贤镇", "大兴区").code,),
    ),
]
CODE = AGREEMENTS[0].employers[0].code


@st.composite
def posts(draw: st.DrawFn) -> Post:
    township, district = draw(st.sampled_from(PLACES))
    kind = draw(st.sampled_from(KINDS))
    lo = draw(st.none() | st.integers(16, 50))
    hi = draw(st.none() | st.integers(30, 65))
    extra: dict[str, object] = {}
    if kind == "公益性岗位":
        served = draw(st.lists(st.sampled_from(HOMES), min_size=1, max_size=2))
        extra["for_townships"] = tuple(GAZ.township(t, d).code for t, d in served)
    if kind == "定向招聘":
        extra["uploader"] = draw(st.sampled_from(["朝阳区", "北京经济技术开发区", "通州区"]))
        extra["employer_code"] = draw(st.sampled_from([CODE, ""]))
    headcount = draw(st.integers(1, 3))
    return make_post(
        title=draw(st.sampled_from(TITLES)),
        kind=kind,
        township=township,
        district=district,
        min_age=lo,
        max_age=hi,
        lodging=draw(st.booleans()),
        certificates=tuple(draw(st.lists(st.sampled_from(CERTS), max_size=2, unique=True))),
        headcount=headcount,
        hires=draw(st.integers(0, headcount)),
        status=draw(st.sampled_from(["open", "open", "closed"])),
        closes_on=draw(
            st.none() | st.dates(TODAY - dt.timedelta(days=5), TODAY + dt.timedelta(days=5))
        ),
        salary_min=draw(st.none() | st.integers(2000, 9000)),
        **extra,
    )


@st.composite
def people(draw: st.DrawFn) -> Laborer:
    township, district = draw(st.sampled_from(HOMES))
    return make_laborer(
        age=draw(st.integers(14, 64)),
        male=draw(st.booleans()),
        township=township,
        district=district,
        employment=draw(st.sampled_from(["无业", "无业", "务农", "已就业"])),
        wants_job=draw(st.booleans() | st.just(True)),
        difficulty=draw(st.booleans()),
        accepts_lodging=draw(st.booleans()),
        max_commute_min=draw(st.none() | st.integers(10, 240)),
        certificates=tuple(draw(st.lists(st.sampled_from(CERTS), max_size=2, unique=True))),
        skills=tuple(draw(st.lists(st.sampled_from(WORDS), max_size=2))),
        desired_jobs=tuple(draw(st.lists(st.sampled_from(WORDS), max_size=2))),
    )


def _point(district: str, township_code: str) -> tuple[float, float]:
    if township_code:
        t = GAZ.by_code(township_code)
        return t.lng, t.lat
    area = GAZ.area(district)
    return area.lng, area.lat


def _held(names: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for n in names:
        out |= certificates_in(n) or {n}
    return out


def breaks_a_rule(
    person: Laborer, post: Post, agreements: list[Agreement], day: dt.date
) -> str | None:
    """The slow reference: the first rule of DESIGN §5 the pair breaks, or None."""
    if no_push_reason(person, day, AgeLimits()) is not None:
        return "person"
    if post_state(post, day) != "open":
        return "closed"
    age = person.age_on(day)
    if (post.min_age is not None and age < post.min_age) or (
        post.max_age is not None and age > post.max_age
    ):
        return "age"
    if post.kind == "公益性岗位" and not (
        person.difficulty and person.township_code in post.for_townships
    ):
        return "reserved_public_welfare"
    if post.kind == "定向招聘":
        paired = any(
            a.active_on(day)
            and post.uploader in a.partners
            and post.employer_code
            and any(e.code == post.employer_code for e in a.employers)
            and (
                person.township_code in a.output_townships
                if a.output_townships
                else person.district == a.output_district
            )
            for a in agreements
        )
        if not paired:
            return "directed_pairing"
    if post.kind != "居家就业" and not (post.lodging and person.accepts_lodging):
        a_lng, a_lat = _point(person.district, person.township_code)
        b_lng, b_lat = _point(post.district, post.township_code)
        detour = max(detour_of(person.district), detour_of(post.district))
        minutes = commute_minutes(a_lng, a_lat, b_lng, b_lat, detour=detour)
        if minutes > (person.max_commute_min or 60) + 1e-3:
            return "commute"
    required: set[str] = set()
    for c in post.certificates:
        required |= certificates_in(c) or {c}
    if not required <= _held(person.certificates):
        return "certificate"
    return None


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    catalogue=st.lists(posts(), min_size=1, max_size=25),
    roster=st.lists(people(), min_size=1, max_size=6),
    k=st.integers(1, 8),
)
def test_no_referral_breaks_a_hard_rule_and_scores_are_sorted(
    catalogue: list[Post], roster: list[Laborer], k: int
) -> None:
    index = PostIndex.build(catalogue, AGREEMENTS, {}, today=TODAY)
    batch = score_all(roster, index, k=k, today=TODAY)
    for i, person in enumerate(roster):
        result = refer(person, index, k=k, today=TODAY)
        scores = [r.score for r in result.referrals]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
        for r in result.referrals:
            post = index.posts[index.row_of(r.post_id)]
            assert breaks_a_rule(person, post, AGREEMENTS, TODAY) is None, (post, person)
        # the batch gives the same top-k
        assert [int(x) for x in batch.rows[i] if x >= 0] == [
            index.row_of(r.post_id) for r in result.referrals
        ]
        # and exactly the posts the reference allows are eligible
        allowed = sum(breaks_a_rule(person, p, AGREEMENTS, TODAY) is None for p in index.posts)
        assert batch.eligible_counts[i] == allowed
        assert len(result.referrals) == min(k, allowed)
