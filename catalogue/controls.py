"""Employer controls: a district boosts or suspends an employer's posts, with a reason.

Public employment services do this for employers that treat applicants well or badly. The
matcher multiplies a post's score by ``boost`` and never shows posts of a suspended employer.
Controls are keyed by 统一社会信用代码, or by the employer's name when its posts carry no code.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.models import Post

BOOST_MIN = 0.1
BOOST_MAX = 3.0


@dataclass(frozen=True, slots=True)
class EmployerControl:
    """How the matcher treats one employer's posts: ``boost`` multiplies the score (1.0 none)."""

    boost: float = 1.0
    suspended: bool = False
    reason: str = ""

    def __post_init__(self) -> None:
        if not BOOST_MIN <= self.boost <= BOOST_MAX:
            raise ValueError(f"boost must be in [{BOOST_MIN}, {BOOST_MAX}], got {self.boost}")


def employer_key(post: Post) -> str:
    """The key of a post's employer in the controls: its code, else its name."""
    return post.employer_code or post.employer


def control_for(post: Post, controls: dict[str, EmployerControl]) -> EmployerControl | None:
    """The control that applies to a post, if any (by code first, then by name)."""
    found = controls.get(post.employer_code) if post.employer_code else None
    return found if found is not None else controls.get(post.employer)


__all__ = ["BOOST_MAX", "BOOST_MIN", "EmployerControl", "control_for", "employer_key"]
