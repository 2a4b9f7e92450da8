"""Errors of the features package.

FeaturesError
├── UnknownPlaceError       a district or township the gazetteer does not know
└── TableError              a file that cannot be read as a table at all
"""

from __future__ import annotations


class FeaturesError(Exception):
    """Base of the features package's errors."""


class UnknownPlaceError(FeaturesError, LookupError):
    """A place name or code the gazetteer does not know; carries the closest suggestions."""

    def __init__(self, kind: str, query: str, suggestions: list[str]) -> None:
        self.kind = kind
        self.query = query
        self.suggestions = suggestions
        hint = f"，是否为：{'、'.join(suggestions)}" if suggestions else ""
        super().__init__(f"未知的{kind}“{query}”{hint}")


class TableError(FeaturesError, ValueError):
    """A file that is not a readable table (wrong type, no header, undecodable)."""
