from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from features.titles import load_title_rows
from features.tokens import cut, tokenize, tokenizer


def test_domain_terms_stay_whole() -> None:
    assert "电气焊" in tokenize("会开车，电气焊都干过")
    assert "养老护理员" in tokenize("招聘养老护理员")
    assert "叉车证" in tokenize("持叉车证优先")


def test_punctuation_and_spaces_are_dropped() -> None:
    assert tokenize("保洁员，（包吃住）  保安") == ["保洁员", "包吃", "住", "保安"]


def test_spaces_are_kept_as_one_token_when_asked() -> None:
    assert tokenize("保洁员  保安", keep_spaces=True) == ["保洁员", " ", "保安"]


def test_latin_letters_and_digits_are_upper_cased_and_kept_together() -> None:
    assert tokenize("有c1驾照") == ["有", "C1驾照"]  # a lexicon surface form
    assert tokenize("会maya建模") == ["会", "MAYA", "建模"]


def test_full_width_forms_are_folded() -> None:
    assert tokenize("Ｂ２驾照") == ["B2驾照"]


def test_unknown_characters_come_out_one_by_one() -> None:
    # No HMM guessing: a typo stays visible as single characters for the near-spelling search.
    assert tokenize("电悍工") == ["电", "悍", "工"]


def test_the_tokenizer_is_built_once() -> None:
    assert tokenizer() is tokenizer()


def test_the_fast_cut_is_exactly_jiebas_on_real_titles() -> None:
    jieba = tokenizer()
    for row in load_title_rows():
        assert cut(row.title) == jieba.lcut(row.title, HMM=False), row.title


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            "保洁员电气焊工司机开车叉车证包吃住招聘北京市长江大桥C1b2 ，、（）\n-._"
        ),
        max_size=40,
    )
)
def test_the_fast_cut_is_exactly_jiebas_on_any_text(text: str) -> None:
    assert cut(text) == tokenizer().lcut(text, HMM=False)
