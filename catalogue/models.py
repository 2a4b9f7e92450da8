"""Posts and partner agreements: the catalogue's domain values.

A :class:`Post` is one vacancy (DESIGN §4, 岗位信息表) with its life cycle: ``open`` →
``filled`` (no places left) / ``closed`` (by its owner) / ``expired`` (past 截止日期).
``status`` stores what its owner did (open or closed); :func:`post_state` derives the rest on a
given day, so a post never needs a write to expire.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

POST_KINDS: tuple[str, ...] = (
    "定向招聘",
    "扶贫车间",
    "村社代工点",
    "居家就业",
    "公益性岗位",
    "社会招聘",
)
DIRECTED = "定向招聘"
PUBLIC_WELFARE = "公益性岗位"
HOME_BASED = "居家就业"
SCHEDULES: tuple[str, ...] = ("全职", "兼职", "灵活", "居家")
POST_STATES: tuple[str, ...] = ("open", "filled", "closed", "expired")
POST_STATE_NAMES: dict[str, str] = {
    "open": "招聘中",
    "filled": "已招满",
    "closed": "已关闭",
    "expired": "已过期",
}


def make_post_id(uploader: str, external_id: str) -> str:
    """The stable post id of (uploader, 岗位编号): 12 hex digits of SHA-256."""
    digest = hashlib.sha256(f"{uploader}\x1f{external_id}".encode()).hexdigest()
    return digest[:12]


def make_post_ids(uploader: str, external_ids: Iterable[str]) -> list[str]:
    """:func:`make_post_id` of many 岗位编号 of one uploader (the common prefix hashed once)."""
    base = hashlib.sha256(f"{uploader}\x1f".encode())
    out = []
    for external_id in external_ids:
        digest = base.copy()
        digest.update(external_id.encode())
        out.append(digest.hexdigest()[:12])
    return out


@dataclass(frozen=True, slots=True)
class Post:
    """A vacancy in the catalogue. ``hires`` counts hires recorded against it."""

    post_id: str
    external_id: str  # 岗位编号, unique per uploader
    uploader: str  # the uploading area: a partner area or a district bureau
    title: str
    kind: str  # one of POST_KINDS
    employer: str
    district: str  # the work place's area name (a district or 北京经济技术开发区)
    headcount: int
    employer_code: str = ""  # 统一社会信用代码
    township: str = ""  # work township name, "" when the post names none
    township_code: str = ""
    address: str = ""
    min_age: int | None = None
    max_age: int | None = None
    education: str | None = None  # minimum 文化程度
    skills: str = ""
    certificates: tuple[str, ...] = ()  # each one required
    description: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    lodging: bool = False
    schedule: str | None = None
    closes_on: dt.date | None = None
    for_townships: tuple[str, ...] = ()  # 12-digit codes, for 公益性岗位
    contact: str = ""
    status: str = "open"  # what the owner set: open or closed
    hires: int = 0
    created_on: dt.date | None = None
    updated_on: dt.date | None = None

    @property
    def places_left(self) -> int:
        """Headcount less recorded hires, never below zero."""
        return max(self.headcount - self.hires, 0)


_POST_FIELDS = tuple(f.name for f in fields(Post))
# What an uploader writes of a post (the rest is the catalogue's: id, hires, state, dates).
CONTENT_FIELDS = tuple(
    n for n in _POST_FIELDS if n not in ("post_id", "status", "hires", "created_on", "updated_on")
)


def posts_from_columns(
    n: int, columns: Mapping[str, Sequence[Any]], constants: Mapping[str, Any]
) -> list[Post]:
    """``n`` posts from one sequence of values per field (and fields equal for all).

    The same posts as ``Post(**row)`` row by row, for values already checked, without the
    per-object cost of the frozen constructor: each field is set across all posts at once.
    """
    given = [*columns, *constants]
    if sorted(given) != sorted(_POST_FIELDS) or len(set(given)) != len(given):
        raise ValueError(f"every field of Post exactly once, not {given}")
    if any(len(values) != n for values in columns.values()):
        raise ValueError(f"every column must hold {n} values")
    posts = [object.__new__(Post) for _ in range(n)]
    for name, values in columns.items():
        deque(map(getattr(Post, name).__set__, posts, values), maxlen=0)
    for name, value in constants.items():
        setter = getattr(Post, name).__set__
        for post in posts:
            setter(post, value)
    return posts


def post_state(post: Post, today: dt.date) -> str:
    """The post's life-cycle state on ``today``: open, filled, closed or expired."""
    if post.status == "closed":
        return "closed"
    if post.places_left <= 0:
        return "filled"
    if post.closes_on is not None and post.closes_on < today:
        return "expired"
    return "open"


@dataclass(frozen=True, slots=True)
class Employer:
    """A directed employer named in an agreement."""

    name: str
    code: str  # 统一社会信用代码


@dataclass(frozen=True, slots=True)
class Agreement:
    """A 人-岗对接协作协议 between an outer district and its partner areas for one year."""

    agreement_id: str
    output_district: str
    partners: tuple[str, ...]
    year: int
    employers: tuple[Employer, ...]
    plan_hires: int = 0
    status: str = "生效"  # 生效 or 终止
    output_townships: tuple[str, ...] = ()  # 12-digit codes; empty means the whole district
    partner_townships: tuple[str, ...] = ()  # for a district pairing its own townships

    def active_on(self, day: dt.date) -> bool:
        """Whether the agreement is in force on ``day``: its year, status 生效."""
        return self.status == "生效" and self.year == day.year


__all__ = [
    "CONTENT_FIELDS",
    "DIRECTED",
    "HOME_BASED",
    "POST_KINDS",
    "POST_STATES",
    "POST_STATE_NAMES",
    "PUBLIC_WELFARE",
    "SCHEDULES",
    "Agreement",
    "Employer",
    "Post",
    "make_post_id",
    "make_post_ids",
    "post_state",
    "posts_from_columns",
]
