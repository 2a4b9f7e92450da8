"""The counselor's monthly follow-up list: who needs one-to-one guidance, and what is left to do.

The list is the batch's own (``BatchRunner.follow_up``): key and special tier people and every
difficulty person of the township, with the posts pushed to them and the training that fits
their gap. For each person the page works out what is still open: pushed posts with no outcome
recorded yet, a registration to make, a signed confirmation to collect, a training to offer.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from features.verification import verify
from service.catalogue_store import CatalogueStore
from service.deps import sees_person
from service.keys import Principal
from service.outcomes import outcomes_of
from service.pages.common import PageRoute, render, today_of, viewer_in
from service.pages.monthstats import months_with_batches, runner_of
from service.pages.session import Session
from service.roster_store import RosterStore

router = APIRouter(route_class=PageRoute, include_in_schema=False)
FollowUpPage = Annotated[Session, Depends(viewer_in("counselor", "district"))]


def _todo(
    request: Request, who: Principal, entry: dict[str, Any], today: dt.date
) -> dict[str, Any] | None:
    roster: RosterStore = request.app.state.roster
    catalogue: CatalogueStore = request.app.state.catalogue
    record = roster.get(entry["laborer_id"])
    if record is None or not sees_person(who, record.laborer.district, record.laborer.township):
        return None
    lab = record.laborer
    done = {o["post_id"]: o for o in outcomes_of(request.app.state.redis, lab.laborer_id)}
    posts = []
    for post_id in entry["post_ids"]:
        post = catalogue.get(post_id)
        outcome = done.get(post_id)
        posts.append(
            {
                "post_id": post_id,
                "title": post.title if post else post_id,
                "outcome": outcome["outcome_name"] if outcome else "",
            }
        )
    todo = [f"反馈推送岗位“{p['title']}”的结果" for p in posts if not p["outcome"]]
    check = verify(
        lab, today, request.app.state.limits, confirmation_collected=record.confirmation_collected
    )
    if check.registration_needed:
        todo.append(f"办理{check.registration_needed}")
    if check.confirmation_pending:
        todo.append("收回“暂无就业意愿”签字确认")
    todo += [f"培训：{t}" for t in entry.get("training", [])]
    employed = lab.employment == "已就业"
    if not employed:
        todo.append("一对一就业指导")
    return {
        "laborer_id": lab.laborer_id,
        "name": lab.name,
        "village": lab.village,
        "tier": record.tier,
        "difficulty": lab.difficulty,
        "status": record.status,
        "posts": posts,
        "todo": [] if employed else todo,
        "employed": employed,
    }


@router.get("/followups")
def followups(request: Request, session: FollowUpPage, month: str = "") -> Response:
    """The month's follow-up list of the counselor's township (a district sees its district)."""
    who, today = session.principal, today_of(request)
    runner = runner_of(request)
    months = months_with_batches(runner, today)
    chosen = month if month in months else (months[0] if months else "")
    rows = []
    if chosen:
        township = who.township if who.role == "counselor" else None
        for entry in runner.follow_up(chosen, township=township):
            row = _todo(request, who, entry, today)
            if row is not None:
                rows.append(row)
    rows.sort(key=lambda r: (r["employed"], -len(r["todo"]), r["village"], r["name"]))
    return render(
        request,
        "followups.html",
        session,
        title="本月跟进",
        months=months,
        month=chosen,
        rows=rows,
        open_count=sum(1 for r in rows if r["todo"]),
    )


__all__ = ["router"]
