"""The gazetteer finds places by name, short name, old name and code, and suggests the rest."""

from __future__ import annotations

import pytest

from features.errors import UnknownPlaceError
from features.gazetteer import OUTER_DISTRICTS, load_gazetteer


def test_township_is_found_by_short_name_within_its_district() -> None:
    found = load_gazetteer().township("永乐店", "通州区")
    assert (found.code, found.name, found.district) == ("110112117000", "永乐店镇", "通州区")


def test_district_is_found_by_short_name_and_by_code() -> None:
    gaz = load_gazetteer()
    assert gaz.area("通州").name == "通州区"
    assert gaz.area("110109").name == "门头沟区"


def test_old_name_of_2016_maps_to_the_current_unit() -> None:
    assert load_gazetteer().township("将台地区办事处", "朝阳区").name == "将台乡"


def test_misspelled_township_gets_three_suggestions_with_the_right_one_first() -> None:
    with pytest.raises(UnknownPlaceError) as info:
        load_gazetteer().township("永乐点镇", "通州区")
    assert info.value.suggestions[0] == "永乐店镇"
    assert len(info.value.suggestions) == 3
    assert "永乐店镇" in str(info.value)


def test_eight_outer_districts_are_marked_and_the_development_area_is_an_area() -> None:
    gaz = load_gazetteer()
    assert {a.name for a in gaz.areas if a.outer} == set(OUTER_DISTRICTS)
    assert gaz.area("北京经济技术开发区").code == "110115403000"
    assert len([a for a in gaz.areas if a.name.endswith("区") and a.code.endswith("000000")]) == 16


def test_every_current_township_has_a_coordinate_in_beijing() -> None:
    for t in load_gazetteer().townships:
        assert 115.4 < t.lng < 117.6
        assert 39.4 < t.lat < 41.1
