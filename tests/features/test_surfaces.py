from __future__ import annotations

from features.surfaces import near_spelling, scan, unknown_runs, vocabulary


def test_the_longest_run_of_words_wins() -> None:
    assert scan(["叉车", "司机"], "lexicon") == [(0, "叉车")]
    assert scan(["想", "开车", "电气焊"], "lexicon") == [(1, "驾驶C1"), (2, "电焊")]


def test_a_surface_split_by_jieba_is_found_across_words() -> None:
    assert scan(["特种作业操作证", "低压电工"], "lexicon") == [(0, "电工证")]


def test_classification_names_and_aliases_give_codes() -> None:
    assert scan(["供应链", "专员"], "occupations") == [(0, "4-02-06-05")]


def test_only_runs_of_three_single_characters_are_unknown() -> None:
    assert unknown_runs(["要", "电", "悍", "工", "包吃"]) == ["要电悍工"]
    assert unknown_runs(["电", "悍", "焊工"]) == []


def test_a_homophone_wins_then_a_unique_nearest_spelling() -> None:
    vocab = vocabulary()
    assert near_spelling("电悍工", vocab) == "电焊"  # same pinyin as 电焊工
    assert near_spelling("钢筯工", vocab) == "钢筋工"  # one character from 钢筋工 only
    assert near_spelling("保吉员", vocab) is None  # as near to 保洁员 as to 保安员
    assert near_spelling("甲乙丙", vocab) is None
