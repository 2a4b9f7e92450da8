"""Making what the app and its routes share, from one Redis client and the settings.

The post index lives in :class:`service.post_index.IndexCache`, keyed on the catalogue version
and the day: any change to a post, an agreement or an employer control bumps the version, so a
referral is never computed against a stale index; the person's record is read fresh on every
request.
"""

from __future__ import annotations

from typing import Any

import redis

from features.eligibility import AgeLimits
from features.tiers import load_tier_rules
from service.catalogue_store import CatalogueStore
from service.learned_weights import current_weights
from service.post_index import IndexCache
from service.roster_store import RosterStore
from service.settings import Settings


def age_limits(settings: Settings) -> AgeLimits:
    """The working-age limits of the settings."""
    return AgeLimits(
        min_age=settings.min_age,
        max_age_men=settings.max_age_men,
        max_age_women=settings.max_age_women,
    )


def build_stores(client: redis.Redis, settings: Settings) -> dict[str, Any]:
    """The objects kept on ``app.state``: the stores, the post-index cache, rules and weights."""
    prefix = settings.key_prefix
    catalogue = CatalogueStore(client, prefix=prefix)
    return {
        "catalogue": catalogue,
        "roster": RosterStore(client, prefix=prefix, secret=settings.resolved_secret()),
        "index_cache": IndexCache(catalogue),
        "limits": age_limits(settings),
        "tier_rules": load_tier_rules(settings.tier_rules),
        # The settings' overrides, else weights adopted by `renggang weights fit`, else the hand
        # weights (service/learned_weights.py).
        "weights": current_weights(client, settings)[0],
    }


__all__ = ["age_limits", "build_stores"]
