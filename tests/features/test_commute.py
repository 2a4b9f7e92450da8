"""Commute minutes: the distance bands, the detour factors and the place table."""

from __future__ import annotations

import numpy as np
import pytest

from features.commute import (
    DETOUR_MOUNTAIN,
    DETOUR_PLAIN,
    MIN_KM,
    commute_matrix,
    commute_minutes,
    mode_of,
    places_of,
    road_minutes,
)
from features.gazetteer import load_gazetteer


def test_road_minutes_follow_the_bands_and_never_decrease_with_distance() -> None:
    km = np.linspace(0.0, 120.0, 24001)
    minutes = road_minutes(km)
    assert np.all(np.diff(minutes) >= -1e-9)
    assert road_minutes([1.0, 5.0, 20.0]).tolist() == pytest.approx([12.0, 28.0, 66.0])
    assert mode_of(0.8) == "步行"
    assert mode_of(3.0) == "电动车"
    assert mode_of(12.0) == "公交"
    assert mode_of(40.0) == "公交+地铁"


def test_a_trip_inside_one_township_counts_the_minimum_distance() -> None:
    here = commute_minutes(116.6, 39.7, 116.6, 39.7)
    assert here == pytest.approx(float(road_minutes(MIN_KM * DETOUR_PLAIN)))
    assert 10 < here < 25


def test_the_mountain_detour_makes_the_same_distance_longer() -> None:
    plain = commute_minutes(116.0, 40.0, 116.2, 40.0)
    mountain = commute_minutes(116.0, 40.0, 116.2, 40.0, detour=DETOUR_MOUNTAIN)
    assert mountain > plain


def test_commute_matrix_agrees_with_commute_minutes_and_takes_the_larger_detour() -> None:
    origins = np.array([[116.65, 39.90], [115.70, 39.97]])
    targets = np.array([[116.44, 39.92], [116.65, 39.90], [116.10, 39.94]])
    matrix = commute_matrix(origins, targets)
    assert matrix.shape == (2, 3)
    assert matrix.dtype == np.float32
    for i, (a_lng, a_lat) in enumerate(origins):
        for j, (b_lng, b_lat) in enumerate(targets):
            assert matrix[i, j] == pytest.approx(commute_minutes(a_lng, a_lat, b_lng, b_lat))
    mixed = commute_matrix(
        origins, targets, origin_detour=[DETOUR_PLAIN, DETOUR_MOUNTAIN], target_detour=None
    )
    assert mixed[1, 0] == pytest.approx(
        commute_minutes(115.70, 39.97, 116.44, 39.92, detour=DETOUR_MOUNTAIN)
    )


def test_zhaitang_to_chaoyang_is_far_beyond_an_hour_but_home_township_is_near() -> None:
    gaz = load_gazetteer()
    places = places_of(gaz)
    zhaitang = places.index_of("门头沟区", gaz.township("斋堂镇", "门头沟区").code)
    chaoyang = places.index_of("朝阳区")
    assert places.minutes[zhaitang, chaoyang] > 120
    assert places.minutes[zhaitang, zhaitang] < 30
    assert places.minutes.shape == (len(places), len(places))


def test_a_post_with_no_township_takes_its_district_centre() -> None:
    gaz = load_gazetteer()
    places = places_of(gaz)
    row = places.index_of("朝阳区", "")
    assert places.coords[row].tolist() == pytest.approx(
        [gaz.area("朝阳区").lng, gaz.area("朝阳区").lat]
    )
    assert places.index_of("北京经济技术开发区") != places.index_of("大兴区")
    assert places.index_of("没有这个区") == places.unknown
