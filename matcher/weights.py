"""The weights of the soft signals: one object, overridable from the settings.

The score of a (person, post) pair is the weighted mean of the signals, each in [0, 1]::

    score = Σ weight_i · signal_i / Σ weight_i        (so the score is in [0, 1])

The defaults sum to 1.0: what the person can do (skill 0.30) and wants to do (desired job
0.20) weigh most; then the daily commute (0.20), how the kind of post suits the person (0.12),
pay (0.08), freshness (0.05) and the district's employer boost (0.05).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from matcher.errors import WeightsError


@dataclass(frozen=True, slots=True)
class Weights:
    """Non-negative weight of each soft signal; ``total`` normalises the score."""

    skill: float = 0.30
    desired: float = 0.20
    commute: float = 0.20
    kind: float = 0.12
    pay: float = 0.08
    freshness: float = 0.05
    boost: float = 0.05

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not value >= 0.0:
                raise WeightsError(f"weight {f.name} must be >= 0, got {value}")
        if self.total <= 0.0:
            raise WeightsError("at least one weight must be > 0")

    @property
    def total(self) -> float:
        """The sum of the weights."""
        return float(sum(getattr(self, f.name) for f in dataclasses.fields(self)))

    def normalized(self) -> Weights:
        """The same weights scaled to sum to 1."""
        return _normalized(self)

    @classmethod
    def from_mapping(cls, values: Mapping[str, float] | None) -> Weights:
        """Defaults overridden by ``values`` (e.g. from settings); unknown names are an error."""
        if not values:
            return cls()
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise WeightsError(f"unknown weights: {', '.join(unknown)}; known: {sorted(names)}")
        return cls(**{k: float(v) for k, v in values.items()})


@cache
def _normalized(weights: Weights) -> Weights:
    t = weights.total
    names = (f.name for f in dataclasses.fields(weights))
    return Weights(**{name: getattr(weights, name) / t for name in names})


DEFAULT_WEIGHTS = Weights()

__all__ = ["DEFAULT_WEIGHTS", "Weights"]
