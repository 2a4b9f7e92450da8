"""The Beijing gazetteer: districts, 北京经济技术开发区 and every township and street.

Source: ``features/data/beijing_townships.csv``, a join of Vonng/adcode (2016 statistics codes
with Amap GCJ-02 coordinates, CC BY 4.0) and xiangyuecn/AreaCity-JsSpider-StatsGov (the
2023/24 township list, MIT); see ``../shared/data/SOURCES.md``. Current (2023) units are kept;
their 2016 names and codes are accepted as old names. The 16 current units that have no
coordinate in the source take their district's centre and are marked ``approximate``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process

from features.errors import UnknownPlaceError

# The eight labour-export (outer) districts of the policy, in its order.
OUTER_DISTRICTS: tuple[str, ...] = (
    "通州区",
    "大兴区",
    "门头沟区",
    "房山区",
    "平谷区",
    "怀柔区",
    "密云区",
    "延庆区",
)
DEVELOPMENT_AREA = "北京经济技术开发区"
# 北京经济技术开发区 is a town-level unit of 大兴区 in the statistics codes.
_DEVELOPMENT_AREA_CODE = "110115403000"

_SUFFIXES = re.compile(r"(街道办事处|地区办事处|办事处|街道|地区|镇|乡|区)$")


def short_name(name: str) -> str:
    """The name without its unit suffix: 永乐店镇 → 永乐店, 通州区 → 通州."""
    stripped = _SUFFIXES.sub("", name)
    return stripped or name


@dataclass(frozen=True, slots=True)
class Area:
    """A district, or 北京经济技术开发区, which partner agreements treat like one."""

    code: str  # 12 digits
    name: str
    lng: float
    lat: float
    outer: bool  # one of the eight labour-export districts


@dataclass(frozen=True, slots=True)
class Township:
    """A township-level unit (镇, 乡, 街道, 地区) of a district."""

    code: str  # 12-digit 2023 statistics code
    name: str
    district: str  # the district's name, e.g. 通州区
    district_code: str
    unit_type: str
    lng: float
    lat: float
    approximate: bool  # coordinate borrowed from the district centre
    rural_units: int  # 村委会-like units in 2016, a rough proxy for rural population
    old_code: str = ""
    old_name: str = ""


class Gazetteer:
    """Lookup of areas and townships by name, short name, old name and code."""

    def __init__(self, areas: list[Area], townships: list[Township]) -> None:
        self.areas = areas
        self.townships = townships
        self._area_keys: dict[str, Area] = {}
        for area in areas:
            for k in (area.code, area.code[:6], area.name, short_name(area.name)):
                self._area_keys.setdefault(k, area)
        self._area_keys.setdefault("经开区", self.area(DEVELOPMENT_AREA))
        self._area_keys.setdefault("亦庄", self.area(DEVELOPMENT_AREA))
        self._by_code = {t.code: t for t in townships}
        self._keys: dict[str, dict[str, Township]] = {}
        for t in townships:
            names = {t.code, t.name, short_name(t.name)}
            if t.old_name:
                names |= {t.old_name, short_name(t.old_name)}
            if t.old_code:
                names.add(t.old_code)
            scoped = self._keys.setdefault(t.district_code, {})
            for k in names:
                scoped.setdefault(k, t)

    def area(self, query: str) -> Area:
        """The district (or 北京经济技术开发区) named by ``query``: name, short name or code."""
        q = query.strip()
        found = self._area_keys.get(q)
        if found is None:
            raise UnknownPlaceError("区", q, self.suggest_area(q))
        return found

    def district(self, query: str) -> Area:
        """Like :meth:`area`, but only one of the 16 districts."""
        found = self.area(query)
        if found.name == DEVELOPMENT_AREA:
            raise UnknownPlaceError("区", query, ["大兴区"])
        return found

    def township(self, query: str, district: str | None = None) -> Township:
        """The township named by ``query`` in ``district`` (any district when None)."""
        q = query.strip()
        if q in self._by_code:
            found = self._by_code[q]
            if district is None or found.district_code == self.area(district).code:
                return found
        if district is not None:
            scope = self._keys.get(self.area(district).code, {})
            hit = scope.get(q)
            if hit is not None:
                return hit
        else:
            hits = {t.code: t for s in self._keys.values() if (t := s.get(q)) is not None}
            if len(hits) == 1:
                return next(iter(hits.values()))
        raise UnknownPlaceError("乡镇(街道)", q, self.suggest_township(q, district))

    def townships_of(self, district: str) -> list[Township]:
        """Every township of a district, in code order."""
        code = self.area(district).code
        return [t for t in self.townships if t.district_code == code]

    def by_code(self, code: str) -> Township:
        """The township with this 12-digit code."""
        return self._by_code[code]

    def suggest_area(self, query: str, *, limit: int = 3) -> list[str]:
        """The ``limit`` area names closest to ``query``."""
        choices = [a.name for a in self.areas]
        return [m[0] for m in process.extract(query, choices, scorer=fuzz.WRatio, limit=limit)]

    def suggest_township(
        self, query: str, district: str | None = None, *, limit: int = 3
    ) -> list[str]:
        """The ``limit`` township names closest to ``query``, within ``district`` if given."""
        pool = self.townships
        if district is not None:
            try:
                code = self.area(district).code
                pool = [t for t in pool if t.district_code == code]
            except UnknownPlaceError:
                pass
        choices = [t.name for t in pool]
        return [m[0] for m in process.extract(query, choices, scorer=fuzz.WRatio, limit=limit)]


def _float(text: str) -> float | None:
    return float(text) if text else None


@cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer shipped with the package (read once per process)."""
    source = resources.files("features") / "data" / "beijing_townships.csv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    areas: dict[str, Area] = {}
    for row in rows:
        if row["level"] == "district":
            code = row["code12_2023"]
            areas[code[:6]] = Area(
                code=code,
                name=row["name_2023"],
                lng=float(row["lng"]),
                lat=float(row["lat"]),
                outer=row["outer_labour_export_district"] == "True",
            )
    townships: list[Township] = []
    for row in rows:
        if row["level"] != "town":
            continue
        district = areas[row["district_code6"]]
        if row["code12_2016"] == _DEVELOPMENT_AREA_CODE:
            areas["dev"] = Area(
                code=_DEVELOPMENT_AREA_CODE,
                name=DEVELOPMENT_AREA,
                lng=float(row["lng"]),
                lat=float(row["lat"]),
                outer=False,
            )
            continue
        if not row["name_2023"]:
            continue  # a 2016 unit with no current counterpart
        lng, lat = _float(row["lng"]), _float(row["lat"])
        townships.append(
            Township(
                code=row["code12_2023"],
                name=row["name_2023"],
                district=district.name,
                district_code=district.code,
                unit_type=row["unit_type"],
                lng=lng if lng is not None else district.lng,
                lat=lat if lat is not None else district.lat,
                approximate=lng is None,
                rural_units=int(row["n_rural_units_2016_urcode2xx"] or 0),
                old_code=row["code12_2016"] if row["code12_2016"] != row["code12_2023"] else "",
                old_name=row["name_2016"] if row["name_2016"] != row["name_2023"] else "",
            )
        )
    townships.sort(key=lambda t: t.code)
    return Gazetteer(sorted(areas.values(), key=lambda a: a.code), townships)


__all__ = [
    "DEVELOPMENT_AREA",
    "OUTER_DISTRICTS",
    "Area",
    "Gazetteer",
    "Township",
    "load_gazetteer",
    "short_name",
]
