"""Counselor and district pages of people: search the township's people, a person's page.

A counselor sees the people of its own township, a district bureau those of its district (the
same scope rule as the API, :func:`service.deps.sees_person`); anyone else gets a 404 page with
no hint that the person exists. The ID number is masked everywhere; the full number shows only
after the explicit "显示完整身份证号" button (a POST, so it is never in a URL), and that read is
written to the audit stream.
"""

from __future__ import annotations

import re
from typing import Annotated

import pydantic
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from catalogue.errors import CatalogueError
from features.gazetteer import load_gazetteer
from features.laborer import TIER_NAMES, TIERS
from features.verification import STATUSES
from service.api import laborers
from service.catalogue_store import CatalogueStore
from service.deps import sees_person
from service.keys import Principal
from service.outcomes import OUTCOMES
from service.pages.common import PageRoute, Poster, flash, render, today_of, viewer_in
from service.pages.history import ACTION_NAMES, RULE_NAMES, push_history
from service.pages.session import Session
from service.problems import Problem
from service.roster_store import STATUS_CHANGES, RosterError, RosterStore

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PersonPage = Annotated[Session, Depends(viewer_in("counselor", "district"))]
SEARCH_LIMIT = 50
_ID_LIKE = re.compile(r"\d{15,17}[\dXx]")


def roster_of(request: Request) -> RosterStore:
    """The app's roster store."""
    store: RosterStore = request.app.state.roster
    return store


def _townships(who: Principal) -> list[tuple[str, str]]:
    """(code, name) of the townships ``who`` may search: its own, or its district's."""
    gaz = load_gazetteer()
    assert who.district is not None
    if who.role == "counselor":
        assert who.township is not None
        town = gaz.township(who.township, who.district)
        return [(town.code, town.name)]
    return [(t.code, t.name) for t in gaz.townships_of(who.district)]


def _search(
    request: Request,
    session: Session,
    *,
    township: str = "",
    village: str = "",
    q: str = "",
    tier: str = "",
    status: str = "",
) -> Response:
    who = session.principal
    towns = _townships(who)
    codes = {code for code, _ in towns}
    if who.role == "counselor":
        township = towns[0][0]
    elif township and township not in codes:
        township = ""
    found = roster_of(request).search(
        district=who.district,
        township=township or None,
        village=(village.strip() or None) if township else None,
        q=q.strip() or None,
        tier=tier if tier in TIERS else None,
        status=status if status in STATUSES else None,
        limit=SEARCH_LIMIT + 1,
    )
    found = [r for r in found if sees_person(who, r.laborer.district, r.laborer.township)]
    return render(
        request,
        "people.html",
        session,
        title="人员查询",
        townships=towns,
        tiers=[(t, TIER_NAMES[t]) for t in TIERS],
        statuses=STATUSES,
        # An ID number typed into the search box is not echoed back into the page.
        form={
            "township": township,
            "village": village,
            "q": "" if _ID_LIKE.search(q) else q,
            "tier": tier,
            "status": status,
        },
        people=found[:SEARCH_LIMIT],
        more=len(found) > SEARCH_LIMIT,
        limit=SEARCH_LIMIT,
    )


@router.get("/people")
def people(request: Request, session: PersonPage) -> Response:
    """The search form and the first people of the township (or district)."""
    return _search(request, session)


@router.post("/people")
def search_people(
    request: Request,
    session: Poster,
    township: Annotated[str, Form(max_length=20)] = "",
    village: Annotated[str, Form(max_length=50)] = "",
    q: Annotated[str, Form(max_length=40)] = "",
    tier: Annotated[str, Form(max_length=10)] = "",
    status: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Search by name, ID number, village, tier and status (a POST: a name or ID number typed
    here never lands in a URL or an access log)."""
    if session.principal.role not in ("counselor", "district"):
        raise Problem(403, "无权查看此页面", "您的账号角色不能查询人员。")
    return _search(
        request, session, township=township, village=village, q=q, tier=tier, status=status
    )


__all__ = ["roster_of", "router"]


# -- a person's page ----------------------------------------------------------------------------


def _person_page(
    request: Request, session: Session, laborer_id: str, *, full: bool = False
) -> Response:
    """The person's page; the API's own functions read (and audit) the profile and referrals."""
    who, today = session.principal, today_of(request)
    profile = laborers.get_laborer(request, who, today, laborer_id, full=full)
    found = laborers.referrals(request, who, today, laborer_id, k=10)
    catalogue: CatalogueStore = request.app.state.catalogue
    outcomes = []
    for entry in reversed(profile["outcomes"]):
        post = catalogue.get(entry["post_id"])
        outcomes.append({**entry, "post": post})
    return render(
        request,
        "person.html",
        session,
        title=profile["name"],
        p=profile,
        full=full,
        history=list(reversed(profile["history"])),
        outcomes=outcomes,
        referrals=found["referrals"],
        excluded=sorted(((k, n) for k, n in found["excluded"].items() if n), key=lambda kv: -kv[1]),
        rule_names=RULE_NAMES,
        action_names=ACTION_NAMES,
        near_misses=found["near_misses"],
        no_referral_reason=found["reason"],
        outcome_kinds=OUTCOMES,
        tiers=[(t, TIER_NAMES[t]) for t in TIERS],
        pushes=push_history(request, laborer_id),
        status_changes=list(STATUS_CHANGES),
    )


@router.get("/people/{laborer_id}")
def person(request: Request, session: PersonPage, laborer_id: str) -> Response:
    """A person's page: profile (ID masked), tier, history, referrals, near misses, pushes."""
    return _person_page(request, session, laborer_id)


@router.post("/people/{laborer_id}/full")
def person_full(request: Request, session: Poster, laborer_id: str) -> Response:
    """The same page with the full ID number and phone, on the explicit button (audited)."""
    return _person_page(request, session, laborer_id, full=True)


def _back(laborer_id: str) -> Response:
    return RedirectResponse(f"/people/{laborer_id}", status_code=303)


@router.post("/people/{laborer_id}/outcomes")
def add_outcome(
    request: Request,
    session: Poster,
    laborer_id: str,
    post_id: Annotated[str, Form(max_length=40)],
    outcome: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record what happened with a referral; a hire takes a place off the post."""
    who, today = session.principal, today_of(request)
    if outcome not in OUTCOMES:
        raise Problem(
            422, "填写有误", "请选择一种结果：已推荐、已面试、已录用、本人婉拒或未联系上。"
        )
    before = request.app.state.catalogue.get(post_id)
    try:
        body = laborers.OutcomeIn(post_id=post_id, outcome=outcome, reason=reason)  # type: ignore[arg-type]
        answer = laborers.add_outcome(request, who, today, laborer_id, body)
    except Problem as exc:
        if exc.status == 404:
            raise
        flash(request, f"未记录：{exc.detail}")
        return _back(laborer_id)
    except (RosterError, CatalogueError) as exc:
        flash(request, f"未记录：{exc}")
        return _back(laborer_id)
    post = answer["post"]
    text = f"已记录：{OUTCOMES[outcome]} · {post['title']}（{post['employer']}）。"
    if outcome == "hired" and before is not None:
        text += f"该岗位剩余名额由 {before.places_left} 个减为 {post['places_left']} 个；此人已登记为已就业，不再推送。"
    flash(request, text)
    return _back(laborer_id)


@router.post("/people/{laborer_id}/tier")
def override_tier(
    request: Request,
    session: Poster,
    laborer_id: str,
    tier: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Override the computed tier with a reason (an empty choice restores the computed one)."""
    who, today = session.principal, today_of(request)
    chosen = tier if tier in TIERS else None
    try:
        body = laborers.TierIn(tier=chosen, reason=reason)  # type: ignore[arg-type]
        laborers.override_tier(request, who, today, laborer_id, body)
    except Problem as exc:
        if exc.status == 404:
            raise
        flash(request, f"未调整：{exc.detail}")
        return _back(laborer_id)
    except RosterError as exc:
        flash(request, f"未调整：{exc}")
        return _back(laborer_id)
    done = f"帮扶级别已调整为{TIER_NAMES[chosen]}。" if chosen else "已恢复按规则计算的帮扶级别。"
    flash(request, done)
    return _back(laborer_id)


# -- roster actions ------------------------------------------------------------------------------


_ACTION_DONE = {
    "registration": "已记录就业登记。",
    "status": "已记录状态变化。",
    "confirmation": "已记录收回“暂无就业意愿”签字确认。",
    "difficulty": "已更新就业困难人员认定。",
}


@router.post("/people/{laborer_id}/actions/{action}")
def roster_action(
    request: Request,
    session: Poster,
    laborer_id: str,
    action: str,
    kind: Annotated[str, Form(max_length=10)] = "",
    certificate: Annotated[str, Form(max_length=40)] = "",
    status: Annotated[str, Form(max_length=10)] = "",
    confirmed: Annotated[str, Form(max_length=3)] = "",
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The roster actions of DESIGN §4 through the API's own functions: a registration, a
    status change, the signed confirmation collected, and (a district) a difficulty decision."""
    who, today = session.principal, today_of(request)
    if action not in _ACTION_DONE:
        raise Problem(404, "未找到", "没有这个办理事项。")
    if action == "difficulty" and who.role != "district":
        raise Problem(403, "无权办理", "就业困难人员由区人社局认定或撤销。")
    try:
        if action == "registration":
            body = laborers.RegistrationIn(kind=kind, certificate=certificate)  # type: ignore[arg-type]
            laborers.record_registration(request, who, today, laborer_id, body)
        elif action == "status":
            change = laborers.StatusIn(status=status, reason=reason)  # type: ignore[arg-type]
            laborers.change_status(request, who, today, laborer_id, change)
        elif action == "confirmation":
            laborers.confirmation_collected(request, who, today, laborer_id, None)
        else:
            decision = laborers.DifficultyIn(confirmed=confirmed == "yes", reason=reason)
            laborers.set_difficulty(request, who, today, laborer_id, decision)
    except Problem as exc:
        if exc.status == 404:
            raise
        flash(request, f"未办理：{exc.detail}")
        return _back(laborer_id)
    except RosterError as exc:
        flash(request, f"未办理：{exc}")
        return _back(laborer_id)
    except pydantic.ValidationError:
        flash(request, "未办理：请选择办理类型并填写原因后再提交。")
        return _back(laborer_id)
    flash(request, _ACTION_DONE[action])
    return _back(laborer_id)
