"""The three partitions of an event's participants the final report needs (BRIEF, section 4):
gender, social status and age. Each is a partition of the same people, so each must sum to
the event's total; a "not specified" bucket is allowed and always shown.

The buckets are columns of `grant_events` (so totals are plain SQL sums); this module names
them once, in the order of the official form, and checks a set of values.
"""

from __future__ import annotations

from dataclasses import dataclass

GENDER = ("men", "women")
SOCIAL = (
    "s_children",
    "s_youth",
    "s_civil_servants",
    "s_budget_employees",
    "s_disabled",
    "s_elderly",
    "s_unemployed",
    "s_ngo",
    "s_business",
    "s_other",
)
AGE = ("a_13_16", "a_17_22", "a_23_27", "a_28_32", "a_33_45", "a_46_58", "a_59_plus")


@dataclass(frozen=True)
class Breakdown:
    key: str  # gender | social | age
    buckets: tuple[str, ...]  # the form's columns, in its order
    unspecified: str  # the "not specified" column

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.buckets, self.unspecified)


BREAKDOWNS = (
    Breakdown("gender", GENDER, "gender_unspecified"),
    Breakdown("social", SOCIAL, "social_unspecified"),
    Breakdown("age", AGE, "age_unspecified"),
)
ALL_COLUMNS = ("total", *(c for b in BREAKDOWNS for c in b.columns))


@dataclass(frozen=True)
class Mismatch:
    breakdown: str
    counted: int  # the sum of its buckets
    total: int

    @property
    def difference(self) -> int:
        """Positive: the buckets count more people than the total; negative: fewer."""
        return self.counted - self.total


def mismatches(values: dict[str, int]) -> list[Mismatch]:
    """The breakdowns whose buckets (missing ones count as 0) do not sum to `total`."""
    total = values.get("total") or 0
    found = []
    for breakdown in BREAKDOWNS:
        counted = sum(values.get(column) or 0 for column in breakdown.columns)
        if counted != total:
            found.append(Mismatch(breakdown.key, counted, total))
    return found


def check_sql(breakdown: Breakdown) -> str:
    """The table's CHECK constraint for one breakdown."""
    return " + ".join(breakdown.columns) + " = total"
