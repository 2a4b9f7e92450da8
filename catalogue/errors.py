"""Errors of the catalogue package.

CatalogueError
├── AgreementError          an agreement file that breaks the rules (carries every problem)
├── UnknownPostError        a post id the catalogue does not hold
└── PostStateError          an action the post's state does not allow (a hire on a closed post)
"""

from __future__ import annotations


class CatalogueError(Exception):
    """Base of the catalogue package's errors."""


class AgreementError(CatalogueError, ValueError):
    """An agreement that cannot be filed; ``problems`` lists every one, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(self.problems))


class UnknownPostError(CatalogueError, LookupError):
    """No post with this id."""

    def __init__(self, post_id: str) -> None:
        self.post_id = post_id
        super().__init__(f"没有编号为“{post_id}”的岗位：请用 renggang posts list 查看岗位编号")


class PostStateError(CatalogueError):
    """The post's state does not allow the action (its message says what to do, in Chinese)."""


__all__ = ["AgreementError", "CatalogueError", "PostStateError", "UnknownPostError"]
