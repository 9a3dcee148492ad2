"""Kazakhstan phone numbers: typed any usual way, stored E.164, shown `+7 (7XX) XXX-XX-XX`."""

from __future__ import annotations

import re

# National significant numbers (10 digits). Mobile prefixes per libphonenumber's KZ
# metadata; fixed lines are area codes 71x and 72x (e.g. Taldykorgan 7282).
_MOBILE = re.compile(r"7(?:0[0-25-8]|47|6[0-4]|7[15-8]|85)\d{7}")
_FIXED = re.compile(r"7[12]\d{8}")


def normalize_phone(raw: str) -> str | None:
    """`8 (701) 234-56-78`, `+7 701 234 5678`, `7012345678` → `+77012345678`; else None."""
    digits = re.sub(r"\D", "", raw or "")
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10:
        return None
    if not (_MOBILE.fullmatch(digits) or _FIXED.fullmatch(digits)):
        return None
    return "+7" + digits


def format_phone(e164: str | None) -> str:
    if not e164:
        return ""
    d = e164[2:]
    return f"+7 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}"
