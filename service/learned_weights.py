"""Where adopted soft-signal weights live, and which weights the service uses.

Keys (``{p}`` is the prefix):

- ``{p}:weights:adopted``  one JSON object: the weights ``renggang weights fit`` adopted (they
  beat the hand weights on held-out months), with the fit's figures and when and from what;
- ``{p}:weights:history``  a list of every adoption and reset, as JSON, oldest first.

The weights in force (:func:`current_weights`), in order: the settings' overrides
(``RENGGANG_MATCH_WEIGHTS``, an operator's explicit choice), else the adopted weights, else the
hand weights of :mod:`matcher.weights`. The app reads them when it starts (restart it after
an adoption); ``renggang refer`` reads them on every call.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import redis

from matcher.errors import WeightsError
from matcher.weights import Weights
from service.settings import Settings


def adopted_key(prefix: str) -> str:
    """The key of the adopted weights."""
    return f"{prefix}:weights:adopted"


def history_key(prefix: str) -> str:
    """The key of the list of adoptions and resets."""
    return f"{prefix}:weights:history"


def load_adopted(client: redis.Redis, *, prefix: str = "rg") -> dict[str, Any] | None:
    """The adopted weights' record, or None when none were adopted."""
    raw = client.get(adopted_key(prefix))
    if raw is None:
        return None
    record: dict[str, Any] = json.loads(raw)
    return record


def save_adopted(client: redis.Redis, record: dict[str, Any], *, prefix: str = "rg") -> None:
    """Adopt the weights of ``record`` (its ``weights`` mapping), with a history entry."""
    Weights.from_mapping(record["weights"])  # refuse what the service could not use
    text = json.dumps(record, ensure_ascii=False, sort_keys=True)
    pipe = client.pipeline(transaction=True)
    pipe.set(adopted_key(prefix), text)
    pipe.rpush(history_key(prefix), json.dumps({"action": "adopt", **record}, ensure_ascii=False))
    pipe.execute()


def clear_adopted(client: redis.Redis, *, prefix: str = "rg", actor: str = "cli") -> bool:
    """Go back to the hand weights; True when adopted weights were removed."""
    pipe = client.pipeline(transaction=True)
    pipe.delete(adopted_key(prefix))
    pipe.rpush(history_key(prefix), json.dumps({"action": "reset", "actor": actor}))
    removed, _ = pipe.execute()
    return bool(removed)


def current_weights(client: redis.Redis, settings: Settings) -> tuple[Weights, str]:
    """The weights in force and their source: ``settings``, ``learned`` or ``hand``."""
    if settings.match_weights:
        return Weights.from_mapping(settings.match_weights), "settings"
    try:
        record = load_adopted(client, prefix=settings.key_prefix)
        if record is not None:
            return Weights.from_mapping(record["weights"]), "learned"
    except (ValueError, KeyError, TypeError, WeightsError):
        # An unreadable record never stops the service: the hand weights hold.
        logging.getLogger(__name__).warning("adopted weights unreadable; using the hand weights")
    return Weights(), "hand"


__all__ = [
    "adopted_key",
    "clear_adopted",
    "current_weights",
    "history_key",
    "load_adopted",
    "save_adopted",
]
