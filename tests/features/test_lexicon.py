from __future__ import annotations

import pytest

from features.lexicon import code_depth, load_lexicon, normalize_surface, parse_lexicon, small_class
from features.occupations import common_code, display_name, load_occupations


def test_lexicon_has_at_least_150_canonical_skills() -> None:
    lexicon = load_lexicon()
    assert len(lexicon.skills()) >= 150
    assert len(lexicon.certificates()) >= 20


def test_every_code_exists_in_the_classification() -> None:
    occupations = load_occupations()
    missing = [
        (e.name, e.code) for e in load_lexicon().entries.values() if not occupations.exists(e.code)
    ]
    assert missing == []


def test_no_surface_form_means_two_canonicals() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for entry in load_lexicon().entries.values():
        for surface in {normalize_surface(s) for s in (entry.name, *entry.synonyms)}:
            if seen.setdefault(surface, entry.name) != entry.name:
                clashes.append((surface, seen[surface], entry.name))
    assert clashes == []


def test_a_clashing_synonym_is_refused() -> None:
    text = """
[[entry]]
name = "电焊"
code = "6-18-02-04"
synonyms = ["焊工"]

[[entry]]
name = "焊接"
code = "6-18-02-04"
synonyms = ["焊工"]
"""
    with pytest.raises(ValueError, match="焊工"):
        parse_lexicon(text)


def test_a_reference_to_an_unknown_certificate_is_refused() -> None:
    text = """
[[entry]]
name = "焊工证"
code = "6-18-02-04"
certificate = true
implies = ["不存在的证"]
synonyms = []
"""
    with pytest.raises(ValueError, match="不存在的证"):
        parse_lexicon(text)


def test_welding_words_share_one_canonical() -> None:
    lexicon = load_lexicon()
    assert {lexicon.canonical(w) for w in ("焊工", "电焊", "电气焊", "电焊工", "氩弧焊")} == {
        "电焊"
    }


def test_certificates_name_the_skill_they_attest_and_have_training() -> None:
    lexicon = load_lexicon()
    for cert in lexicon.certificates():
        assert cert.training, cert.name
        assert cert.skill is None or not lexicon.entry(cert.skill).certificate
    assert lexicon.entry("焊工证").skill == "电焊"
    assert lexicon.entry("焊工证").implies == ("特种作业操作证",)


def test_licences_include_the_smaller_ones() -> None:
    lexicon = load_lexicon()
    assert lexicon.implied_certificates(["驾驶证A2"]) == {"驾驶证A2", "驾驶证B2", "驾驶证C1"}


def test_related_skills_share_a_small_class() -> None:
    lexicon = load_lexicon()
    assert "面点" in lexicon.related("中式烹调")  # 4-03-02 餐饮服务人员
    assert "砌筑" in lexicon.related("瓦工")
    assert "电焊" not in lexicon.related("中式烹调")


def test_small_class_and_depth_of_codes() -> None:
    assert small_class("6-25-01-02") == "6-25-01"
    assert code_depth("4-09-08-01") == 4
    assert code_depth("4-03-02-00") == 3
    assert code_depth("6-00-00-00") == 1
    with pytest.raises(ValueError, match="code"):
        small_class("6-25")


def test_classification_names_lose_their_markers() -> None:
    assert display_name("保洁员L") == "保洁员"
    assert display_name("物流工程技术人员L/S") == "物流工程技术人员"
    assert load_occupations().name("4-09-08-01") == "保洁员"


def test_an_alias_of_several_codes_means_what_they_share() -> None:
    assert common_code(["6-30-05-01", "6-30-05-05"]) == "6-30-05-00"
    assert common_code(["4-02-02-01", "6-30-05-01"]) is None
