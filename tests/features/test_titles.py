from __future__ import annotations

import pytest

from features.titles import (
    TitleModel,
    TitleRow,
    agrees_at,
    load_title_rows,
    normalize_title,
    title_accuracy,
)

# Real titles of the file with their expected codes.
_KNOWN = {
    "物业保洁员": "4-09-08-01",
    "超市收银员（正东上街店）": "4-01-02-04",
    "百年龙袍招聘面点师": "4-03-02-02",
    "月嫂": "4-10-01-06",
    "淘宝客服": "4-01-06-02",
}


def test_real_titles_are_mapped_right() -> None:
    for title, code in _KNOWN.items():
        match = normalize_title(title)
        assert match.code == code, title
        assert match.level == 4
        assert 0 < match.score <= 1
    assert normalize_title("物业保洁员").name == "保洁员"


def test_titles_the_model_never_saw_are_mapped_to_the_right_small_class() -> None:
    rows = [r for r in load_title_rows() if r.code and r.title not in _KNOWN]
    model = TitleModel().fit([r.title for r in rows], [r.code for r in rows])
    for title, code, match in zip(
        _KNOWN, _KNOWN.values(), model.predict(list(_KNOWN)), strict=True
    ):
        assert agrees_at(match.code, code, 3), (title, match)


def test_a_title_with_nothing_known_gets_no_code() -> None:
    model = TitleModel().fit(["保洁员"], ["4-09-08-01"])
    assert model.predict(["☆☆☆"])[0].code == ""


def test_a_broad_expected_code_counts_at_the_levels_it_specifies() -> None:
    assert agrees_at("6-18-02-04", "6-00-00-00", 4)  # 普工 expected: any production job
    assert agrees_at("6-18-02-04", "6-18-02-04", 3)
    assert not agrees_at("6-18-02-05", "6-18-02-04", 4)
    assert agrees_at("6-18-02-05", "6-18-02-04", 3)
    assert not agrees_at("4-09-08-01", "6-00-00-00", 1)
    assert not agrees_at("6-00-00-00", "6-18-02-04", 3)  # a broad guess is not a 小类
    assert not agrees_at("", "6-18-02-04", 1)


def test_accuracy_is_measured_on_held_out_folds_only() -> None:
    # Each nonsense title is its own code: a model that saw it would get it right every time.
    codes = ["4-09-08-01", "4-07-05-01", "6-18-02-04", "4-03-02-01", "4-10-01-06", "5-01-02-01"]
    titles = ["甲乙丙", "丁戊己", "庚辛壬", "癸子丑", "寅卯辰", "巳午未"]
    rows = [TitleRow(title, code) for title, code in zip(titles, codes, strict=True)]
    rows.append(TitleRow("无代码的标题", ""))
    seen = TitleModel().fit([r.title for r in rows[:-1]], codes).predict([r.title for r in rows])
    assert [m.code for m in seen[:-1]] == codes
    report = title_accuracy(rows, folds=3)
    assert report["scored"] == 6
    assert report["skipped"] == 1
    assert report["fine"]["correct"] == 0


def test_too_few_folds_are_refused() -> None:
    with pytest.raises(ValueError, match="folds"):
        title_accuracy([("保洁员", "4-09-08-01")] * 5, folds=1)


@pytest.mark.slow
def test_cross_validated_accuracy_on_the_titles_file() -> None:
    rows = load_title_rows()
    report = title_accuracy(rows, folds=5)
    assert report["scored"] + report["skipped"] == len(rows)
    assert report["skipped"] == sum(1 for r in rows if not r.code)
    # Measured: 细类 0.569, 小类 0.617, 大类 0.779 (docs/words.md). The aim of 0.70 at 小类
    # is not reached; this floor guards against regressions.
    assert report["small"]["accuracy"] >= 0.58
    assert report["major"]["accuracy"] >= report["small"]["accuracy"] >= report["fine"]["accuracy"]
