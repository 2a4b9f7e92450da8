"""The curated lexicon of skills, trades and certificates (``features/data/lexicon.toml``).

Each entry has a canonical ``name`` (电焊, 保洁, 驾驶C1, 焊工证 …), the ``code`` of its occupation in
the 2022 classification (细类 where one fits, a broader level otherwise), its ``synonyms`` (the
surface forms that mean it, near spellings included), and for certificates the skill it attests,
the certificates it includes (a B2 licence includes C1) and the training that obtains it.
Related skills are those whose codes share a 小类 (the first three segments of the code).
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

PUNCTUATION = frozenset("()（）[]【】/、,，.。·:：;；!！?？-—_ 　'\"“”‘’<>《》|+&~～*#")


def normalize_surface(text: str) -> str:
    """The form texts and surfaces are compared in: NFKC, ASCII upper case, no punctuation."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(ch for ch in folded if ch not in PUNCTUATION and not ch.isspace())


def small_class(code: str) -> str:
    """The 小类 of a classification code: "6-25-01-02" → "6-25-01"."""
    parts = code.split("-")
    if len(parts) != 4:
        raise ValueError(f"code must look like 6-25-01-02, got {code!r}")
    return "-".join(parts[:3])


def code_depth(code: str) -> int:
    """How many levels a code specifies: 1 大类 … 4 细类 ("6-00-00-00" → 1, "4-03-02-00" → 3)."""
    parts = code.split("-")
    depth = 1
    for part in parts[1:]:
        if part.strip("0") == "":
            break
        depth += 1
    return depth


@dataclass(frozen=True, slots=True)
class Entry:
    """One canonical skill or certificate."""

    name: str
    code: str
    synonyms: tuple[str, ...]
    certificate: bool = False
    skill: str | None = None  # for a certificate: the skill it attests
    implies: tuple[str, ...] = ()  # for a certificate: the certificates it includes
    training: str | None = None


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Entries by canonical name, and every normalised surface form → canonical name."""

    entries: Mapping[str, Entry]
    surfaces: Mapping[str, str]

    def canonical(self, term: str) -> str | None:
        """The canonical name a term stands for exactly (after normalisation), else None."""
        return self.surfaces.get(normalize_surface(term))

    def entry(self, name: str) -> Entry:
        """The entry of a canonical name (KeyError when unknown)."""
        return self.entries[name]

    def skills(self) -> list[Entry]:
        """Entries that are skills (not certificates), in file order."""
        return [e for e in self.entries.values() if not e.certificate]

    def certificates(self) -> list[Entry]:
        """Entries that are certificates, in file order."""
        return [e for e in self.entries.values() if e.certificate]

    def related(self, name: str) -> frozenset[str]:
        """Other skills whose occupation is in the same 小类 as this one's."""
        target = small_class(self.entries[name].code)
        return frozenset(
            e.name
            for e in self.entries.values()
            if not e.certificate and e.name != name and small_class(e.code) == target
        )

    def implied_certificates(self, names: Iterable[str]) -> frozenset[str]:
        """The certificates named plus every one they include, transitively."""
        found: set[str] = set()
        stack = list(names)
        while stack:
            name = stack.pop()
            if name in found:
                continue
            found.add(name)
            stack.extend(self.entries[name].implies)
        return frozenset(found)


def _entry(raw: Mapping[str, object]) -> Entry:
    def strings(key: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"lexicon entry {raw.get('name')!r}: {key} must be a list of strings")
        return tuple(value)

    name, code = raw.get("name"), raw.get("code")
    if not isinstance(name, str) or not isinstance(code, str):
        raise ValueError(f"lexicon entry needs a name and a code, got {raw!r}")
    skill, training = raw.get("skill"), raw.get("training")
    return Entry(
        name=name,
        code=code,
        synonyms=strings("synonyms"),
        certificate=bool(raw.get("certificate", False)),
        skill=skill if isinstance(skill, str) else None,
        implies=strings("implies"),
        training=training if isinstance(training, str) else None,
    )


def parse_lexicon(text: str) -> Lexicon:
    """A lexicon from TOML text; raises ValueError on duplicate names or clashing synonyms."""
    data = tomllib.loads(text)
    entries: dict[str, Entry] = {}
    surfaces: dict[str, str] = {}
    for raw in data.get("entry", []):
        entry = _entry(raw)
        if entry.name in entries:
            raise ValueError(f"lexicon: {entry.name!r} is defined twice")
        entries[entry.name] = entry
        for surface in (entry.name, *entry.synonyms):
            key = normalize_surface(surface)
            if not key:
                continue
            owner = surfaces.setdefault(key, entry.name)
            if owner != entry.name:
                raise ValueError(f"lexicon: {surface!r} means both {owner!r} and {entry.name!r}")
    for entry in entries.values():
        for ref in (entry.skill, *entry.implies):
            if ref is not None and ref not in entries:
                raise ValueError(f"lexicon: {entry.name!r} refers to unknown {ref!r}")
    return Lexicon(entries=entries, surfaces=surfaces)


@cache
def load_lexicon() -> Lexicon:
    """The packaged lexicon (read once)."""
    text = resources.files("features").joinpath("data/lexicon.toml").read_text(encoding="utf-8")
    return parse_lexicon(text)
