"""People: search, a person's page, referrals, outcomes and the roster actions (DESIGN §4).

Counselors see the people of their township, districts those of their district; every other
role gets 403. A person outside the caller's scope is a 404, the same as one who does not
exist. ID numbers and phones are masked except on the person's own page with ``?full=1``; each
read of a person's page or referrals is appended to the audit stream. An ID number never goes in
a URL: ``POST /laborers/lookup`` takes it in the body.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, Field

from features.errors import UnknownPlaceError
from features.gazetteer import load_gazetteer
from features.idcard import IdNumberError, parse_id_number
from features.idcard import laborer_id as derive_laborer_id
from matcher.refer import refer
from service import audit
from service.catalogue_store import CatalogueStore, post_json
from service.deps import DistrictCaller, PersonReader, TodayDep, sees_person
from service.keys import Principal
from service.outcomes import OUTCOMES, declined_posts, outcomes_of, record_outcome
from service.problems import Problem, forbidden, not_found
from service.roster_store import STATUS_CHANGES, LaborerRecord, RosterStore, profile_json

router = APIRouter(prefix="/laborers", tags=["people"])
_LID = re.compile(r"^[0-9a-f]{16}$")
_ID_LIKE = re.compile(r"\d{15,17}[\dXx]")


def _roster(request: Request) -> RosterStore:
    store: RosterStore = request.app.state.roster
    return store


def _catalogue(request: Request) -> CatalogueStore:
    store: CatalogueStore = request.app.state.catalogue
    return store


def _prefix(request: Request) -> str:
    prefix: str = request.app.state.settings.key_prefix
    return prefix


def person_in_scope(request: Request, caller: Principal, laborer_id: str) -> LaborerRecord:
    """The caller's person with this id; 404 when absent or outside the caller's scope."""
    if not _LID.match(laborer_id):
        raise not_found("人员")
    record = _roster(request).get(laborer_id)
    if record is None or not sees_person(caller, record.laborer.district, record.laborer.township):
        raise not_found("人员")
    return record


def _rules(request: Request) -> dict[str, Any]:
    return {"limits": request.app.state.limits, "rules": request.app.state.tier_rules}


def _profile(
    request: Request, record: LaborerRecord, today: dt.date, *, full: bool = False
) -> dict[str, Any]:
    return profile_json(record, today, request.app.state.limits, full_id=full)


# -- search -----------------------------------------------------------------------------------


def _township_code(caller: Principal, township: str | None) -> str | None:
    gaz = load_gazetteer()
    if caller.role == "counselor":
        own = gaz.township(caller.township or "", caller.district)
        if township and township not in (own.name, own.code):
            try:
                asked = gaz.township(township, caller.district).code
            except UnknownPlaceError:
                asked = ""
            if asked != own.code:
                raise forbidden("就业指导员只能查询本乡镇的人员。")
        return own.code
    if not township:
        return None
    try:
        return gaz.township(township, caller.district).code
    except UnknownPlaceError:
        if any(township in (t.name, t.code) for t in gaz.townships_of(caller.district or "")):
            raise
        try:
            gaz.township(township)
        except UnknownPlaceError:
            raise  # not a place at all: the suggestions help
        raise forbidden(f"只能查询本区（{caller.district}）的人员。") from None


@router.get("", summary="查询人员（本乡镇 / 本区）")
def search_laborers(
    request: Request,
    caller: PersonReader,
    today: TodayDep,
    township: Annotated[str | None, Query(description="乡镇（街道）名称或代码")] = None,
    village: Annotated[str | None, Query(description="村（社区），须同时给出乡镇")] = None,
    q: Annotated[str | None, Query(description="姓名开头或人员编号", max_length=40)] = None,
    tier: Annotated[Literal["general", "key", "special"] | None, Query()] = None,
    status: Annotated[str | None, Query(description="核实状态，如 待登记", max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """People in the caller's scope, by township, village, name, tier and status (masked)."""
    if q and _ID_LIKE.search(q):
        raise Problem(
            400,
            "请勿在地址中填写公民身份号码",
            "按公民身份号码查人请用 POST /api/v1/laborers/lookup，把号码放在请求正文中。",
        )
    code = _township_code(caller, township)
    records = _roster(request).search(
        district=caller.district,
        township=code,
        village=village if code else None,
        q=q or None,
        tier=tier,
        status=status,
        limit=limit,
        offset=offset,
    )
    people = [
        _profile(request, r, today)
        for r in records
        if sees_person(caller, r.laborer.district, r.laborer.township)
    ]
    return {"laborers": people, "count": len(people), "limit": limit, "offset": offset}


class LookupIn(BaseModel):
    """An ID number, sent in the body so that it never appears in a URL or an access log."""

    id_number: str = Field(min_length=15, max_length=20)


@router.post("/lookup", summary="按公民身份号码查人员编号（号码放在正文中）")
def lookup(request: Request, caller: PersonReader, body: LookupIn) -> dict[str, str]:
    """The laborer_id of an ID number, when the person is in the caller's scope."""
    try:
        number, _, _ = parse_id_number(body.id_number)
    except IdNumberError as exc:
        raise Problem(422, "公民身份号码有误", str(exc)) from None
    lid = derive_laborer_id(number, _roster(request).secret)
    person_in_scope(request, caller, lid)
    return {"laborer_id": lid}


# -- a person's page --------------------------------------------------------------------------


@router.get("/{laborer_id}", summary="人员详情：帮扶级别、原因与状态记录")
def get_laborer(
    request: Request,
    caller: PersonReader,
    today: TodayDep,
    laborer_id: str,
    full: Annotated[bool, Query(description="显示完整身份证号和电话（记入审计）")] = False,
) -> dict[str, Any]:
    """A person's profile, status history and outcomes; ``full=1`` unmasks (audited)."""
    record = person_in_scope(request, caller, laborer_id)
    client = request.app.state.redis
    audit.record(
        client, caller, "view_person", laborer_id=laborer_id, full=full, prefix=_prefix(request)
    )
    body = _profile(request, record, today, full=full)
    body["history"] = _roster(request).history(laborer_id)
    body["outcomes"] = outcomes_of(client, laborer_id, prefix=_prefix(request))
    return body


@router.get("/{laborer_id}/referrals", summary="推荐岗位：得分、理由、排除统计与差一点的岗位")
def referrals(
    request: Request,
    caller: PersonReader,
    today: TodayDep,
    laborer_id: str,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    """The matching core's top-k posts for the person, on the current catalogue."""
    record = person_in_scope(request, caller, laborer_id)
    state = request.app.state
    index = state.index_cache.current(today)
    declined = declined_posts(state.redis, laborer_id, prefix=_prefix(request))
    result = refer(
        record.laborer,
        index,
        k=k,
        weights=state.weights,
        today=today,
        limits=state.limits,
        tier=record.tier,
        exclude=declined,
    )
    audit.record(state.redis, caller, "referrals", laborer_id=laborer_id, prefix=_prefix(request))

    def post(post_id: str) -> Any:
        return index.posts[index.row_of(post_id)]

    return {
        "laborer_id": laborer_id,
        "reason": result.reason,
        "referrals": [
            post_json(post(r.post_id), today)
            | {
                "score": round(r.score, 4),
                "reasons": list(r.reasons),
                "signals": {name: float(v) for name, v in r.signals.items()},
            }
            for r in result.referrals
        ],
        "excluded": result.excluded,
        "near_misses": [
            {
                "post_id": m.post_id,
                "title": post(m.post_id).title,
                "employer": post(m.post_id).employer,
                "missing": m.missing,
                "training": m.training,
                "score": m.score,
            }
            for m in result.near_misses
        ],
        "catalogue_version": index.version,
    }


# -- outcomes ---------------------------------------------------------------------------------


class OutcomeIn(BaseModel):
    """What happened after a referral."""

    post_id: str = Field(min_length=1, max_length=40)
    outcome: Literal["referred", "interviewed", "hired", "declined", "no_answer"]
    reason: str = Field("", max_length=200, description="婉拒的原因（declined 必填）")


@router.post("/{laborer_id}/outcomes", summary="记录推荐结果（录用即登记就业、扣减岗位名额）")
def add_outcome(
    request: Request,
    caller: PersonReader,
    today: TodayDep,
    laborer_id: str,
    body: OutcomeIn,
) -> dict[str, Any]:
    """Record referred / interviewed / hired / declined / no answer for a post."""
    record = person_in_scope(request, caller, laborer_id)
    catalogue = _catalogue(request)
    post = catalogue.get(body.post_id)
    if post is None:
        raise not_found("岗位")
    if body.outcome == "declined" and not body.reason.strip():
        raise Problem(422, "请填写婉拒原因", "记录“本人婉拒”时请写明原因，如：离家太远、工资偏低。")
    person = record
    if body.outcome == "hired":
        post = catalogue.record_hire(post.post_id, day=today)
        if record.laborer.employment != "已就业":
            person = _roster(request).record_status_change(
                laborer_id,
                status="已就业",
                reason=f"经推荐录用：{post.title}（{post.employer}）",
                actor=caller.key_id,
                day=today,
                **_rules(request),
            )
    entry = record_outcome(
        request.app.state.redis,
        laborer_id,
        post.post_id,
        body.outcome,
        reason=body.reason.strip(),
        actor=caller.key_id,
        day=today,
        prefix=_prefix(request),
    )
    profile = _profile(request, person, today)
    return {
        "outcome": entry,
        "post": post_json(post, today),
        "person": {
            k: profile[k] for k in ("laborer_id", "employment", "status", "no_push_reason", "tier")
        },
    }


@router.get("/{laborer_id}/outcomes", summary="推荐结果记录")
def list_outcomes(request: Request, caller: PersonReader, laborer_id: str) -> dict[str, Any]:
    """The person's recorded outcomes, oldest first."""
    person_in_scope(request, caller, laborer_id)
    return {
        "outcomes": outcomes_of(request.app.state.redis, laborer_id, prefix=_prefix(request)),
        "kinds": OUTCOMES,
    }


# -- roster actions ---------------------------------------------------------------------------


class TierIn(BaseModel):
    """A counselor's tier override (null clears it) and the reason."""

    tier: Literal["general", "key", "special"] | None
    reason: str = Field("", max_length=200)


@router.put("/{laborer_id}/tier", summary="调整帮扶级别（须写明原因）")
def override_tier(
    request: Request, caller: PersonReader, today: TodayDep, laborer_id: str, body: TierIn
) -> dict[str, Any]:
    """Override the computed tier (or clear the override)."""
    person_in_scope(request, caller, laborer_id)
    if body.tier is not None and not body.reason.strip():
        raise Problem(422, "请填写调整原因", "调整帮扶级别须写明原因。")
    record = _roster(request).override_tier(
        laborer_id,
        tier=body.tier,
        reason=body.reason.strip(),
        actor=caller.key_id,
        day=today,
        **_rules(request),
    )
    return _profile(request, record, today)


class RegistrationIn(BaseModel):
    """A 转移就业登记 or 失业登记, its certificate number and date."""

    kind: Literal["转移就业登记", "失业登记"]
    certificate: str = Field("", max_length=40)
    day: dt.date | None = None


@router.post("/{laborer_id}/registration", summary="记录就业登记")
def record_registration(
    request: Request, caller: PersonReader, today: TodayDep, laborer_id: str, body: RegistrationIn
) -> dict[str, Any]:
    """Record a registration."""
    person_in_scope(request, caller, laborer_id)
    record = _roster(request).record_registration(
        laborer_id,
        kind=body.kind,
        certificate=body.certificate.strip(),
        day=body.day or today,
        actor=caller.key_id,
        **_rules(request),
    )
    return _profile(request, record, today)


class DifficultyIn(BaseModel):
    """Confirm or revoke 就业困难人员 status, with the reason."""

    confirmed: bool
    reason: str = Field(min_length=1, max_length=200)


@router.post("/{laborer_id}/difficulty", summary="认定或撤销就业困难人员（区人社局）")
def set_difficulty(
    request: Request, caller: DistrictCaller, today: TodayDep, laborer_id: str, body: DifficultyIn
) -> dict[str, Any]:
    """The district confirms or revokes the difficulty status."""
    person_in_scope(request, caller, laborer_id)
    record = _roster(request).set_difficulty(
        laborer_id,
        confirmed=body.confirmed,
        reason=body.reason.strip(),
        day=today,
        actor=caller.key_id,
        **_rules(request),
    )
    return _profile(request, record, today)


class ConfirmationIn(BaseModel):
    """The day the signed "暂无就业意愿" confirmation was collected."""

    day: dt.date | None = None


@router.post("/{laborer_id}/confirmation", summary="记录已收回“暂无就业意愿”签字确认")
def confirmation_collected(
    request: Request,
    caller: PersonReader,
    today: TodayDep,
    laborer_id: str,
    body: Annotated[ConfirmationIn | None, Body()] = None,
) -> dict[str, Any]:
    """Record that the signed confirmation was collected."""
    person_in_scope(request, caller, laborer_id)
    day = (body.day if body else None) or today
    record = _roster(request).record_confirmation_collected(
        laborer_id, day=day, actor=caller.key_id, **_rules(request)
    )
    return _profile(request, record, today)


class StatusIn(BaseModel):
    """A status change: found work, farming, without work, moved away, unable to work."""

    status: Literal["已就业", "务农", "无业", "迁出", "丧失劳动能力"]
    reason: str = Field("", max_length=200)


@router.post("/{laborer_id}/status", summary="记录状态变化（就业、务农、迁出等）")
def change_status(
    request: Request, caller: PersonReader, today: TodayDep, laborer_id: str, body: StatusIn
) -> dict[str, Any]:
    """Record a change of status with its reason."""
    person_in_scope(request, caller, laborer_id)
    assert body.status in STATUS_CHANGES
    record = _roster(request).record_status_change(
        laborer_id,
        status=body.status,
        reason=body.reason.strip(),
        actor=caller.key_id,
        day=today,
        **_rules(request),
    )
    return _profile(request, record, today)
