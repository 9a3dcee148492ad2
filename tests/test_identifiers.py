"""IIN/BIN check digits and structure, with the glossary's worked examples."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smallgrants.core.identifiers import (
    IdError,
    bin_error,
    check_digit,
    has_valid_check_digit,
    iin_birth_date,
    iin_error,
    iin_is_male,
)


@pytest.mark.parametrize(
    ("number", "expected"),
    [("791028302728", 8), ("061211600012", 2), ("940140000385", 5), ("961141000023", 3)],
)
def test_check_digit_glossary_examples(number, expected):
    assert check_digit(number) == expected


def test_second_weights_are_used_when_the_first_pass_gives_ten():
    # 061211600012: pass 1 = 87 mod 11 = 10, pass 2 = 112 mod 11 = 2
    assert sum(int(d) * w for d, w in zip("06121160001", range(1, 12), strict=True)) % 11 == 10
    assert iin_error("061211600012") is None
    assert iin_error("061211600010") is IdError.CHECKSUM


def test_iin_glossary_examples():
    assert iin_error("791028302728") is None
    assert iin_birth_date("791028302728") == date(1979, 10, 28)
    assert iin_is_male("791028302728") is True
    assert iin_birth_date("061211600012") == date(2006, 12, 11)
    assert iin_is_male("061211600012") is False


def test_bin_glossary_examples():
    assert bin_error("940140000385") is None
    assert bin_error("961141000023") is None
    assert bin_error("9401 4000 0385") is None  # spaces people type are ignored


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("79102830272", IdError.FORMAT),
        ("7910283027281", IdError.FORMAT),
        ("79102830272a", IdError.FORMAT),
        ("７９１０２８３０２７２８", IdError.FORMAT),
        ("791028702728", IdError.CENTURY),
        ("791028002728", IdError.CENTURY),
        ("791328302728", IdError.DATE),
        ("790230302728", IdError.DATE),
        ("791028302729", IdError.CHECKSUM),
    ],
)
def test_iin_errors(number, error):
    assert iin_error(number) is error


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("94014000038", IdError.FORMAT),
        ("941340000385", IdError.DATE),
        ("940170000385", IdError.KIND),
        ("940145000385", IdError.KIND),
        ("940140000386", IdError.CHECKSUM),
    ],
)
def test_bin_errors(number, error):
    assert bin_error(number) is error


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_exactly_one_final_digit_is_valid_unless_never_issued(first11):
    valid = [d for d in range(10) if has_valid_check_digit(f"{first11}{d}")]
    c = check_digit(first11)
    assert valid == ([] if c is None else [c])


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.booleans(),
    st.integers(min_value=0, max_value=9999),
)
def test_any_real_birth_date_makes_a_valid_iin(born, male, serial):
    century_digit = (3 if born.year < 2000 else 5) + (0 if male else 1)
    first11 = f"{born:%y%m%d}{century_digit}{serial:04d}"
    c = check_digit(first11)
    if c is None:
        assert all(iin_error(first11 + str(d)) is IdError.CHECKSUM for d in range(10))
        return
    number = first11 + str(c)
    assert iin_error(number) is None
    assert iin_birth_date(number) == born
    assert iin_is_male(number) is male
