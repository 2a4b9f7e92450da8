from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from features.lexicon import load_lexicon
from features.skills import (
    TextVectorizer,
    certificates_in,
    clean_text,
    match_skills,
    profile_text,
    small_class,
    training_for,
)


def test_welder_words_all_mean_welding() -> None:
    for text in ("焊工", "电焊", "电气焊", "招聘电焊工", "氩弧焊工若干"):
        assert profile_text(text).skills == {"电焊"}, text
    assert profile_text("焊工").occupations == {"6-18-02-04"}


def test_cleaner_and_cleaning_staff_match() -> None:
    assert profile_text("保洁").skills == profile_text("保洁员").skills == {"保洁"}
    assert profile_text("物业保洁员包吃住").skills == {"保洁"}
    assert profile_text("物业保洁员包吃住").occupations == {"4-09-08-01"}


def test_pay_and_perk_noise_is_stripped() -> None:
    profile = profile_text("普工坐班包吃住300预支")
    assert profile.skills == {"普工"}
    assert not {"包吃", "住", "300", "预支"} & set(profile.tokens)
    assert "月入" not in clean_text("月入过万 五险一金 双休")
    assert profile_text("月入过万 五险一金 双休 急招快递员").skills == {"快递员"}


def test_a_person_who_drives_and_welds() -> None:
    assert profile_text("会开车，电气焊都干过").skills == {"驾驶C1", "电焊"}


def test_longest_surface_wins() -> None:
    assert profile_text("叉车司机").skills == {"叉车"}
    assert profile_text("货车司机").skills == {"驾驶B2"}
    assert profile_text("养老护理员").skills == {"养老护理"}


def test_words_inside_longer_words_do_not_count() -> None:
    # 土木工程 contains 木工 but is not carpentry.
    assert "木工" not in profile_text("土木工程师").skills


def test_near_spellings_are_taken() -> None:
    assert profile_text("电悍工").skills == {"电焊"}  # 悍 sounds like 焊
    assert profile_text("招聘钢筯工").skills == {"钢筋工"}  # 筯, a variant of 筋


def test_an_ambiguous_near_spelling_gives_nothing() -> None:
    # 保吉员 is one character from both 保洁员 and 保安员.
    assert profile_text("保吉员").skills == frozenset()


def test_related_occupations_in_the_same_small_class_are_a_partial_match() -> None:
    cook, pastry = profile_text("厨师"), profile_text("面点师")
    assert small_class(next(iter(cook.occupations))) == small_class(next(iter(pastry.occupations)))
    match = match_skills(cook, pastry)
    assert match.score == 0.5
    assert match.related == ("中式烹调",)
    assert match_skills(profile_text("电气焊"), profile_text("焊工")).score == 1.0
    assert match_skills(profile_text("电气焊"), profile_text("保洁员")).score == 0.0


def test_certificates_are_found_with_what_they_include() -> None:
    assert certificates_in("持焊工证上岗") == {"焊工证", "特种作业操作证"}
    assert certificates_in("需持特种作业操作证（低压电工）") >= {"电工证", "特种作业操作证"}
    assert certificates_in("B2驾照，开过大车") == {"驾驶证B2", "驾驶证C1"}
    assert certificates_in("叉车司机（需叉车证）") == {"叉车证", "特种设备作业人员证"}
    assert "健康证" in certificates_in("餐厅服务员 需健康证")


def test_a_certificate_that_is_not_required_is_not_found() -> None:
    assert certificates_in("洗碗工，无需健康证") == frozenset()


def test_a_certificate_gives_its_skill() -> None:
    assert "电工" in profile_text("有电工证").skills


def test_without_lexicon_words_the_classification_gives_the_occupation() -> None:
    profile = profile_text("供应链专员（五险一金）")
    assert profile.skills == frozenset()
    assert profile.occupations == {"4-02-06-05"}


def test_training_suggestions() -> None:
    expected = "参加焊工特种作业操作证培训（区职业技能培训机构，补贴性培训）"
    assert training_for("焊工证") == expected
    assert training_for("电焊") == expected  # the certificate that attests the skill
    assert training_for("保洁").startswith("参加保洁职业技能培训")
    assert "驾驶" in training_for("驾驶证B2")


def test_profiles_are_cached() -> None:
    assert profile_text("物业保洁员") is profile_text("物业保洁员")


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("保洁焊工电气司机包吃住300，（）CcB2 证叉车悍"), max_size=30)
)
def test_any_text_gives_known_canonicals(text: str) -> None:
    lexicon = load_lexicon()
    profile = profile_text(text)
    assert all(not lexicon.entry(s).certificate for s in profile.skills)
    assert all(lexicon.entry(c).certificate for c in certificates_in(text))


def test_vectorizer_rows_are_unit_length_and_share_skill_features() -> None:
    texts = ["焊工", "电气焊 包吃住", "保洁员", "物业保洁", "叉车司机"]
    vectorizer = TextVectorizer().fit(texts)
    matrix = vectorizer.transform(texts)
    assert matrix.shape == (5, vectorizer.vocabulary_size)
    assert matrix.dtype == np.float32
    np.testing.assert_allclose(np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1, 1.0, rtol=1e-5)
    similarity = (matrix @ matrix.T).toarray()
    assert similarity[0, 1] > 0  # 焊工 and 电气焊 share the feature #电焊
    assert similarity[0, 2] == 0
    assert similarity[2, 3] > similarity[2, 4]
