"""统一社会信用代码: the GB 32100 check character."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.credit_code import (
    CHARSET,
    check_character,
    credit_code_problem,
    is_valid_credit_code,
    make_credit_code,
    normalize_credit_code,
)


def test_a_published_example_code_is_valid() -> None:
    # The example printed in GB 32100-2015 explanations (a Fuzhou company).
    assert is_valid_credit_code("91350100M000100Y43")


def test_a_code_with_a_wrong_check_character_is_refused_in_chinese() -> None:
    assert credit_code_problem("91350100M000100Y44") == (
        "统一社会信用代码校验位不正确：请核对营业执照上的代码"
    )


def test_a_check_of_31_becomes_zero() -> None:
    # Σ value × weight ≡ 0 (mod 31) maps to check 0, not to a 32nd character.
    assert check_character("00000000000000000") == "0"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("9111010559236624", "应为18位"),
        ("91110105MA01ABCDIO", "不允许的字符“IO”"),
        ("91AB0105MA01ABCD13", "行政区划代码"),
    ],
)
def test_malformed_codes_say_what_is_wrong(code: str, words: str) -> None:
    problem = credit_code_problem(code)
    assert problem is not None
    assert words in problem


def test_officials_spacing_and_lower_case_are_normalised() -> None:
    assert normalize_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalize_credit_code("9135-0100-M000-100Y43") == "91350100M000100Y43"


@given(st.integers(min_value=0, max_value=31**7 - 1))
def test_every_synthetic_code_is_valid(seq: int) -> None:
    code = make_credit_code(seq)
    assert len(code) == 18
    assert is_valid_credit_code(code)


@given(
    st.integers(min_value=0, max_value=31**7 - 1),
    st.integers(min_value=0, max_value=16),
    st.integers(min_value=1, max_value=30),
)
def test_any_single_changed_character_is_caught(seq: int, position: int, shift: int) -> None:
    # 31 is prime and no weight is 0 mod 31, so one substitution always changes the check.
    code = make_credit_code(seq)
    if 2 <= position < 8:
        return  # the division code must stay digits; covered by the malformed test
    changed = CHARSET[(CHARSET.index(code[position]) + shift) % 31]
    wrong = code[:position] + changed + code[position + 1 :]
    assert not is_valid_credit_code(wrong)


def test_distinct_sequence_numbers_give_distinct_codes() -> None:
    assert len({make_credit_code(i) for i in range(500)}) == 500
