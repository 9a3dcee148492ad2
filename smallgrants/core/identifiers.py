"""IIN (people) and BIN (organisations): 12 digits, a date part and a check digit.

Rules from ../shared/GLOSSARY.md: c = Σ d[i]·i (i = 1..11) mod 11; when c == 10, recompute
with weights 3..11, 1, 2; when it is 10 again the number is never issued; otherwise valid
when c equals the 12th digit.
"""

from __future__ import annotations

import enum
from datetime import date

W1 = tuple(range(1, 12))
W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}  # IIN digit 7


class IdError(enum.StrEnum):
    FORMAT = "format"  # not 12 digits
    DATE = "date"  # impossible birth date / registration month
    CENTURY = "century"  # IIN digit 7 not 1..6
    KIND = "kind"  # BIN digit 5 not 4, 5 or 6; digit 6 not 0..3
    CHECKSUM = "checksum"


def check_digit(digits: str) -> int | None:
    """The check digit for the first 11 digits, or None when no number can carry them."""
    d = [int(ch) for ch in digits[:11]]
    c = sum(x * w for x, w in zip(d, W1, strict=True)) % 11
    if c == 10:
        c = sum(x * w for x, w in zip(d, W2, strict=True)) % 11
        if c == 10:
            return None
    return c


def has_valid_check_digit(number: str) -> bool:
    c = check_digit(number)
    return c is not None and c == int(number[11])


def clean(raw: str) -> str:
    return "".join(ch for ch in (raw or "") if not ch.isspace())


def iin_error(raw: str) -> IdError | None:
    number = clean(raw)
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        return IdError.FORMAT
    century_digit = int(number[6])
    if not 1 <= century_digit <= 6:
        return IdError.CENTURY
    try:
        iin_birth_date(number)
    except ValueError:
        return IdError.DATE
    if not has_valid_check_digit(number):
        return IdError.CHECKSUM
    return None


def bin_error(raw: str) -> IdError | None:
    number = clean(raw)
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        return IdError.FORMAT
    if not 1 <= int(number[2:4]) <= 12:
        return IdError.DATE
    if number[4] not in "456" or number[5] not in "0123":
        return IdError.KIND
    if not has_valid_check_digit(number):
        return IdError.CHECKSUM
    return None


def iin_birth_date(raw: str) -> date:
    number = clean(raw)
    century = CENTURY[int(number[6])]
    return date(century + int(number[0:2]), int(number[2:4]), int(number[4:6]))


def iin_is_male(raw: str) -> bool:
    return int(clean(raw)[6]) % 2 == 1
