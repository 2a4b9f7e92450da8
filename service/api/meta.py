"""Who am I: the caller's role and scope, for clients to show and check."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from service.deps import Caller
from service.keys import ROLE_NAMES

router = APIRouter(tags=["meta"])


class Me(BaseModel):
    """The caller's key: id, role and scope (never the token)."""

    key_id: str
    role: str
    role_name: str
    district: str | None
    township: str | None
    partner: str | None


@router.get("/me", summary="当前密钥的角色与范围")
def me(caller: Caller) -> Me:
    """The caller's role and scope."""
    return Me(
        key_id=caller.key_id,
        role=caller.role,
        role_name=ROLE_NAMES[caller.role],
        district=caller.district,
        township=caller.township,
        partner=caller.partner,
    )
