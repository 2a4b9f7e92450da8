"""Commute minutes between places of Beijing, from township coordinates.

The model (documented in ``docs/matching.md``), for a trip between two points:

1. straight-line (great-circle) distance between the GCJ-02 coordinates of the two townships
   (GCJ-02 is shifted from WGS-84 by at most a few hundred metres, which does not matter at the
   scale of distance bands); a trip within one township counts at least ``MIN_KM`` (1.5 km), the
   typical distance from a village to the township seat;
2. × a road-detour factor: ``DETOUR_PLAIN`` (1.35) on the plain, ``DETOUR_MOUNTAIN`` (1.6) when
   either end lies in a mountain district (门头沟 房山 怀柔 密云 延庆 平谷), whose roads follow the
   valleys;
3. a mode by road distance, each with a door-to-door speed and a fixed time for walking to the
   stop, waiting and transfers (the fixed times make the curve continuous at the band edges):

   ========  ==================  ===========  ==========
   road km   mode                speed km/h   fixed min
   ========  ==================  ===========  ==========
   0–1       walk                5            0
   1–5       e-bike              15           8
   5–20      bus / rural minibus 24           16
   > 20      bus + subway        32           28.5
   ========  ==================  ===========  ==========

居家就业 (home-based work) has no commute at all: the matcher gives it zero minutes.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

from features.gazetteer import Gazetteer

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
MIN_KM = 1.5  # a trip inside one township: village to township seat
DETOUR_PLAIN = 1.35
DETOUR_MOUNTAIN = 1.6
MOUNTAIN_DISTRICTS: frozenset[str] = frozenset(
    {"门头沟区", "房山区", "怀柔区", "密云区", "延庆区", "平谷区"}
)
# (upper edge of the band in road km, speed km/h, fixed minutes), in order.
BANDS: tuple[tuple[float, float, float], ...] = (
    (1.0, 5.0, 0.0),  # walk
    (5.0, 15.0, 8.0),  # e-bike
    (20.0, 24.0, 16.0),  # bus / rural minibus, with walking to the stop and waiting
    (float("inf"), 32.0, 28.5),  # bus + subway, with one or two transfers
)
MODE_NAMES: tuple[str, ...] = ("步行", "电动车", "公交", "公交+地铁")


def great_circle_km(
    a_lng: npt.ArrayLike, a_lat: npt.ArrayLike, b_lng: npt.ArrayLike, b_lat: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Haversine distance in km between points given in degrees (broadcasting)."""
    lng1, lat1, lng2, lat2 = (
        np.radians(np.asarray(v, dtype=np.float64)) for v in (a_lng, a_lat, b_lng, b_lat)
    )
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    )
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def road_minutes(road_km: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Door-to-door minutes for road distances in km, by the mode of each distance band."""
    km = np.asarray(road_km, dtype=np.float64)
    minutes = np.empty_like(km)
    lower = -np.inf
    for upper, speed, fixed in BANDS:
        inside = (km > lower) & (km <= upper)
        minutes[inside] = fixed + km[inside] / speed * 60.0
        lower = upper
    return minutes


def mode_of(road_km: float) -> str:
    """The mode (Chinese) the model assumes for a road distance."""
    for (upper, _, _), name in zip(BANDS, MODE_NAMES, strict=True):
        if road_km <= upper:
            return name
    return MODE_NAMES[-1]


def commute_minutes(
    a_lng: float,
    a_lat: float,
    b_lng: float,
    b_lat: float,
    *,
    detour: float = DETOUR_PLAIN,
) -> float:
    """Estimated one-way commute in minutes between two points."""
    km = max(float(great_circle_km(a_lng, a_lat, b_lng, b_lat)), MIN_KM)
    return float(road_minutes(km * detour))


def commute_matrix(
    origins: npt.ArrayLike,
    targets: npt.ArrayLike,
    *,
    origin_detour: npt.ArrayLike | None = None,
    target_detour: npt.ArrayLike | None = None,
) -> npt.NDArray[np.float32]:
    """Commute minutes from every origin to every target.

    Parameters
    ----------
    origins : array (n, 2)
        Longitude and latitude (degrees, GCJ-02) of the origins.
    targets : array (m, 2)
        Longitude and latitude of the targets.
    origin_detour, target_detour : array (n,) and (m,), optional
        Road-detour factor of each end; a trip takes the larger of its two ends'
        (default ``DETOUR_PLAIN``).

    Returns
    -------
    NDArray[float32] (n, m)
        Minutes, >= the time of ``MIN_KM`` on the road.
    """
    a = np.asarray(origins, dtype=np.float64).reshape(-1, 2)
    b = np.asarray(targets, dtype=np.float64).reshape(-1, 2)
    km = great_circle_km(a[:, None, 0], a[:, None, 1], b[None, :, 0], b[None, :, 1])
    da = np.full(len(a), DETOUR_PLAIN) if origin_detour is None else np.asarray(origin_detour)
    db = np.full(len(b), DETOUR_PLAIN) if target_detour is None else np.asarray(target_detour)
    detour = np.maximum(da[:, None], db[None, :])
    return road_minutes(np.maximum(km, MIN_KM) * detour).astype(np.float32)


def detour_of(district: str) -> float:
    """The road-detour factor of a district: higher in the mountain districts."""
    return DETOUR_MOUNTAIN if district in MOUNTAIN_DISTRICTS else DETOUR_PLAIN


class Places:
    """Every place a person lives or a post is: each township, then each area's centre.

    ``index_of(district, township_code)`` gives the row of a township, or of the district's
    centre when the township is unknown or empty; ``minutes`` is the (P, P) commute matrix.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.codes: list[str] = [t.code for t in gazetteer.townships]
        self.districts: list[str] = [t.district for t in gazetteer.townships]
        coords = [(t.lng, t.lat) for t in gazetteer.townships]
        self._township_row = {code: i for i, code in enumerate(self.codes)}
        self._area_row: dict[str, int] = {}
        for area in gazetteer.areas:
            self._area_row[area.name] = len(self.codes)
            self.codes.append(area.code)
            self.districts.append(area.name)
            coords.append((area.lng, area.lat))
        self.n_townships = len(gazetteer.townships)
        self.coords = np.asarray(coords, dtype=np.float64)
        detour = np.array([detour_of(d) for d in self.districts])
        self.minutes = commute_matrix(
            self.coords, self.coords, origin_detour=detour, target_detour=detour
        )
        self.unknown = len(self.codes)  # a row index meaning "nowhere known"

    def __len__(self) -> int:
        return len(self.codes)

    def township_row(self, code: str) -> int | None:
        """The row of a township code, or None."""
        return self._township_row.get(code)

    def index_of(self, district: str, township_code: str = "") -> int:
        """The row of a township, else of its district's centre, else ``unknown``."""
        row = self._township_row.get(township_code)
        if row is not None:
            return row
        return self._area_row.get(district, self.unknown)


@cache
def places_of(gazetteer: Gazetteer) -> Places:
    """The places and their commute matrix for a gazetteer (computed once)."""
    return Places(gazetteer)


__all__ = [
    "BANDS",
    "DETOUR_MOUNTAIN",
    "DETOUR_PLAIN",
    "MIN_KM",
    "MOUNTAIN_DISTRICTS",
    "Places",
    "commute_matrix",
    "commute_minutes",
    "detour_of",
    "great_circle_km",
    "mode_of",
    "places_of",
    "road_minutes",
]
