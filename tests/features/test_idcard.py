"""ID numbers: the GB 11643 check digit, birth date and sex, and the keyed laborer id."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from features.idcard import (
    IdNumberError,
    laborer_id,
    make_id_number,
    mask_id_number,
    parse_id_number,
)


def test_published_sample_number_is_valid_and_gives_birth_and_sex() -> None:
    # The GB 11643 worked example.
    number, birth, sex = parse_id_number("11010519491231002x")
    assert (number, birth, sex) == ("11010519491231002X", dt.date(1949, 12, 31), "女")


def test_wrong_check_digit_is_refused_with_the_expected_one() -> None:
    with pytest.raises(IdNumberError, match="末位应为 X"):
        parse_id_number("110105194912310021")


def test_synthetic_numbers_are_valid_and_carry_the_sex() -> None:
    for male in (True, False):
        number = make_id_number("110112", dt.date(1980, 2, 29), 7, male=male)
        assert parse_id_number(number)[2] == ("男" if male else "女")


def test_laborer_id_is_the_keyed_hash_of_the_upper_cased_number() -> None:
    expected = hmac.new(b"k", b"11010519491231002X", hashlib.sha256).hexdigest()[:16]
    assert laborer_id("11010519491231002x", "k") == expected


def test_masked_number_keeps_region_and_last_four() -> None:
    assert mask_id_number("110112198001011234") == "110112********1234"
