"""Errors of the matcher.

::

    MatcherError
     ├── IndexMismatchError   a person or post does not belong to the index given
     └── WeightsError         weights that cannot make a score (negative, unknown, all zero)
"""

from __future__ import annotations


class MatcherError(Exception):
    """Base of the matcher's errors."""


class IndexMismatchError(MatcherError, KeyError):
    """A post id or row is not in the post index."""


class WeightsError(MatcherError, ValueError):
    """Weights that cannot make a score."""


__all__ = ["IndexMismatchError", "MatcherError", "WeightsError"]
