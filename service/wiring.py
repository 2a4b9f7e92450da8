"""Making what the app and its routes share, from one Redis client and the settings.

:class:`PostIndexCache` keeps the matcher's post index for the catalogue version and day it was
built for; any change to a post, an agreement or an employer control bumps the catalogue
version, so a referral is never computed against a stale index. One build runs at a time; the
other requests of that moment wait for it rather than build the same index again.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING, Any

import redis

from service.catalogue_store import CatalogueStore
from service.settings import Settings

if TYPE_CHECKING:
    from features.eligibility import AgeLimits
    from matcher.index import PostIndex


class PostIndexCache:
    """The post index of the current catalogue version, rebuilt when the version changes."""

    def __init__(self, catalogue: CatalogueStore) -> None:
        self.catalogue = catalogue
        self._lock = threading.Lock()
        # One tuple, swapped whole, so a reader never pairs one build's key with another's index.
        self._entry: tuple[tuple[int, dt.date], PostIndex] | None = None
        self.builds = 0

    def get(self, today: dt.date) -> PostIndex:
        """The index for the catalogue as it is now, on ``today``."""
        key = (self.catalogue.version(), today)
        entry = self._entry
        if entry is not None and entry[0] == key:
            return entry[1]
        with self._lock:
            version = self.catalogue.version()
            key = (version, today)
            entry = self._entry
            if entry is not None and entry[0] == key:
                return entry[1]
            # The version is read before the data: a change landing meanwhile makes the data
            # newer than its label, so the next request rebuilds; the label never runs ahead.
            from matcher.index import PostIndex

            index = PostIndex.build(
                self.catalogue.all_posts(),
                self.catalogue.agreements(),
                self.catalogue.employer_controls(),
                today=today,
                version=version,
            )
            self._entry = (key, index)
            self.builds += 1
            return index


def age_limits(settings: Settings) -> AgeLimits:
    """The working-age limits of the settings."""
    from features.eligibility import AgeLimits

    return AgeLimits(
        min_age=settings.min_age,
        max_age_men=settings.max_age_men,
        max_age_women=settings.max_age_women,
    )


def build_stores(client: redis.Redis, settings: Settings) -> dict[str, Any]:
    """The objects kept on ``app.state``: the stores, the post-index cache, rules and weights."""
    prefix = settings.key_prefix
    catalogue = CatalogueStore(client, prefix=prefix)
    state: dict[str, Any] = {
        "catalogue": catalogue,
        "index_cache": PostIndexCache(catalogue),
    }
    try:
        from features.tiers import load_tier_rules
        from matcher.weights import Weights
        from service.roster_store import RosterStore
    except ModuleNotFoundError as exc:
        if exc.name not in ("service.roster_store", "features.skills", "features.tiers"):
            raise
        return state
    state["limits"] = age_limits(settings)
    state["tier_rules"] = load_tier_rules(settings.tier_rules)
    state["weights"] = Weights()
    state["roster"] = RosterStore(client, prefix=prefix, secret=settings.resolved_secret())
    return state


__all__ = ["PostIndexCache", "age_limits", "build_stores"]
