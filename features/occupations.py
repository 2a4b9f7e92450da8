"""The 2022 national occupation classification (《职业分类大典》2022, ``csco22_occupations.csv``).

Codes have four segments, 大类-中类-小类-细类 ("4-09-08-01" 保洁员); a broader unit ends in
zeros ("4-09-08-00" 环境卫生服务人员, "4-00-00-00"). Names carry markers S (digital) and L
(green) that are stripped here. The alias column holds job-board titles for each unit.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from features.lexicon import code_depth, normalize_surface

_MARKERS = re.compile(r"(L/S|S/L|[LS])$")


def display_name(name: str) -> str:
    """A classification name without its S / L markers: "保洁员L" → "保洁员"."""
    return _MARKERS.sub("", name.strip())


def common_code(codes: list[str]) -> str | None:
    """The most specific code that covers all given codes, or None when they differ in 大类."""
    split = [c.split("-") for c in codes]
    if not split or any(s[0] != split[0][0] for s in split):
        return None
    parts = [split[0][0]]
    for level in range(1, 4):
        values = {s[level] for s in split}
        if len(values) != 1:
            break
        parts.append(values.pop())
    parts += ["00"] * (4 - len(parts))
    return "-".join(parts)


@dataclass(frozen=True, slots=True)
class Occupations:
    """Codes → display names, and normalised names and aliases → the code they stand for."""

    names: Mapping[str, str]
    surfaces: Mapping[str, str]

    def exists(self, code: str) -> bool:
        """Whether the code is a unit of the classification."""
        return code in self.names

    def name(self, code: str) -> str:
        """The display name of a code, falling back to its nearest broader unit."""
        if code in self.names:
            return self.names[code]
        parts = code.split("-")
        for depth in range(min(code_depth(code), 4), 0, -1):
            broader = "-".join(parts[:depth] + ["00"] * (4 - depth))
            if broader in self.names:
                return self.names[broader]
        return ""


def parse_occupations(text: str) -> Occupations:
    """Occupations from the CSV text of the classification."""
    names: dict[str, str] = {}
    owners: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["code"]
        names.setdefault(code, display_name(row["name"]))
        for surface in [row["name"], *row.get("alias", "").split(",")]:
            key = normalize_surface(display_name(surface))
            if len(key) >= 2:
                owners.setdefault(key, set()).add(code)
    surfaces: dict[str, str] = {}
    for key, codes in owners.items():
        common = common_code(sorted(codes))
        if common is not None:
            surfaces[key] = common
    return Occupations(names=names, surfaces=surfaces)


@cache
def load_occupations() -> Occupations:
    """The packaged classification (read once)."""
    path = resources.files("features").joinpath("data/csco22_occupations.csv")
    return parse_occupations(path.read_text(encoding="utf-8"))
