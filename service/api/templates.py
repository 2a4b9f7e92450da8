"""The empty import templates, open to everyone: they hold headers and rules, no data."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from catalogue.columns import POST_COLUMNS
from features.roster import ROSTER_COLUMNS
from service.xlsx import template_xlsx

router = APIRouter(prefix="/templates", tags=["templates"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{filename}"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.get(
    "/roster.xlsx",
    summary="花名册（核实记录表）空白模板",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def roster_template() -> Response:
    """The roster template: Chinese headers and a sheet of rules."""
    return _xlsx(template_xlsx(ROSTER_COLUMNS, sheet="核实记录表"), "roster.xlsx")


@router.get(
    "/posts.xlsx",
    summary="岗位信息表空白模板",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def posts_template() -> Response:
    """The post upload template: Chinese headers and a sheet of rules."""
    return _xlsx(template_xlsx(POST_COLUMNS, sheet="岗位信息表"), "posts.xlsx")
