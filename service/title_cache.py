"""Post titles' occupations kept in Redis, so that a process indexes posts without the model.

Normalising titles (:func:`features.titles.normalize_titles`) needs the title model, which a
process fits on first use: several seconds, paid by every ``renggang refer`` and every service
start. The answers depend only on the title and the model, so the first process to normalise a
title keeps the answer in ``{p}:cat:titles:<model fingerprint>`` (hash title →
``code\\x1fname\\x1flevel\\x1fscore``) and later ones read it back. A changed model (code, lexicon
or data) has another fingerprint and starts a fresh hash.
"""

from __future__ import annotations

from collections.abc import Iterable

from features.titles import TitleMatch, model_fingerprint
from matcher.index import remember_titles, title_matches, unknown_titles
from service.catalogue_store import CatalogueStore

_SEP = "\x1f"
_CHUNK = 5_000


def titles_key(catalogue: CatalogueStore) -> str:
    """The hash of this catalogue's normalised titles for the current model."""
    return f"{catalogue.k_posts.removesuffix(':posts')}:titles:{model_fingerprint()}"


def warm_titles(catalogue: CatalogueStore, titles: Iterable[str]) -> int:
    """Make every title's occupation known to this process; how many the model had to compute."""
    missing = unknown_titles(titles)
    if not missing:
        return 0
    key = titles_key(catalogue)
    found: dict[str, TitleMatch] = {}
    todo: list[str] = []
    for i in range(0, len(missing), _CHUNK):
        chunk = missing[i : i + _CHUNK]
        for title, raw in zip(chunk, catalogue.redis.hmget(key, chunk), strict=True):
            if raw is None:
                todo.append(title)
            else:
                text = raw if isinstance(raw, str) else raw.decode("utf-8")
                code, name, level, score = text.split(_SEP)
                found[title] = TitleMatch(code, name, int(level), float(score))
    remember_titles(found)
    if todo:
        computed = title_matches(todo)
        pipe = catalogue.redis.pipeline(transaction=False)
        for i in range(0, len(todo), _CHUNK):
            pipe.hset(
                key,
                mapping={
                    t: f"{m.code}{_SEP}{m.name}{_SEP}{m.level}{_SEP}{m.score!r}"
                    for t, m in zip(todo[i : i + _CHUNK], computed[i : i + _CHUNK], strict=True)
                },
            )
        pipe.execute()
    return len(todo)


__all__ = ["titles_key", "warm_titles"]
