"""The service's post index, kept current from the catalogue's version and change feed.

:meth:`IndexCache.current` returns the index of the catalogue as it is now, on ``today``:

- same version and day: the cached index;
- a new day, or any change the feed cannot replay cheaply (a post created or updated, an
  agreement or employer control changed — these bump the version with no feed entry of their
  own): a full :meth:`PostIndex.build`;
- only hires, fills, closes and expiries since the cached version: the changed posts are read
  back and patched into a copy of the index (:meth:`PostIndex.with_states`), without rebuilding
  the text space.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

from matcher.index import PostIndex
from service.catalogue_store import CatalogueStore
from service.title_cache import warm_titles

STATE_EVENTS: frozenset[str] = frozenset({"hired", "filled", "closed", "expired"})


class IndexCache:
    """One :class:`PostIndex` for a catalogue store; thread-safe, one build at a time."""

    def __init__(self, catalogue: CatalogueStore) -> None:
        self.catalogue = catalogue
        self._lock = threading.Lock()
        self._entry: tuple[int, dt.date, PostIndex] | None = None
        self.builds = 0
        self.patches = 0

    def current(self, today: dt.date) -> PostIndex:
        """The index for the catalogue as it is now, on ``today``."""
        entry = self._entry
        version = self.catalogue.version()
        if entry is not None and entry[0] == version and entry[1] == today:
            return entry[2]
        with self._lock:
            version = self.catalogue.version()
            entry = self._entry
            if entry is not None and entry[1] == today:
                if entry[0] == version:
                    return entry[2]
                patched = self._patch(entry[2], entry[0], version)
                if patched is not None:
                    self._entry = (version, today, patched)
                    self.patches += 1
                    return patched
            # Read the version before the data: a change landing meanwhile leaves the label
            # older than the data, so the next call refreshes; the label never runs ahead.
            posts = self.catalogue.all_posts()
            warm_titles(self.catalogue, (p.title for p in posts))
            index = PostIndex.build(
                posts,
                self.catalogue.agreements(),
                self.catalogue.employer_controls(),
                today=today,
                version=version,
            )
            self._entry = (version, today, index)
            self.builds += 1
            return index

    def _patch(self, index: PostIndex, since: int, version: int) -> PostIndex | None:
        """The index patched with the feed's state changes, or None when a build is needed."""
        changes = [c for c in self.catalogue.changes_since(since) if c.version <= version]
        covered = {c.version for c in changes}
        if covered != set(range(since + 1, version + 1)):
            return None  # a change with no feed entry: agreements or employer controls
        if any(c.event not in STATE_EVENTS or not index.has(c.post_id) for c in changes):
            return None
        posts = []
        for post_id in sorted({c.post_id for c in changes}):
            post = self.catalogue.get(post_id)
            if post is None:
                return None
            posts.append(post)
        return dataclasses.replace(index.with_states(posts), version=version)


__all__ = ["STATE_EVENTS", "IndexCache"]
