"""Making the stores the app and its routes share, from one Redis client and the settings."""

from __future__ import annotations

from typing import Any

import redis

from service.settings import Settings


def build_stores(client: redis.Redis, settings: Settings) -> dict[str, Any]:
    """The objects kept on ``app.state``: the stores and the post-index cache."""
    return {}


__all__ = ["build_stores"]
