"""Scoring formulas (docs/scoring.md). Pure functions on exact fractions: no rounding until
a number is shown, so ranks never depend on floating-point noise or on criterion order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import isqrt


@dataclass(frozen=True)
class CriterionSpec:
    max_points: int
    weight: int


def sheet_total(criteria: Sequence[CriterionSpec], points: Sequence[int]) -> Fraction:
    """One member's sheet on the 0–100 scale: Σ wᵢ·sᵢ/maxᵢ ÷ Σ wᵢ × 100."""
    if len(criteria) != len(points):
        raise ValueError("one score per criterion")
    if not criteria:
        raise ValueError("no criteria")
    for spec, score in zip(criteria, points, strict=True):
        if not 0 <= score <= spec.max_points:
            raise ValueError(f"score {score} outside 0..{spec.max_points}")
    weighted = sum(
        Fraction(spec.weight * score, spec.max_points)
        for spec, score in zip(criteria, points, strict=True)
    )
    return weighted / sum(spec.weight for spec in criteria) * 100


@dataclass(frozen=True)
class ScoreStats:
    n: int
    mean: Fraction | None
    median: Fraction | None
    stdev: float | None  # sample standard deviation (n − 1); 0 for a single sheet
    spread: Fraction | None  # max − min
    disputed: bool  # spread at or above the threshold: discuss at the meeting


def stats(totals: Iterable[Fraction], dispute_threshold: Fraction = Fraction(25)) -> ScoreStats:
    """Statistics of the submitted sheets of one application (conflicted members have none)."""
    values = sorted(Fraction(t) for t in totals)
    n = len(values)
    if n == 0:
        return ScoreStats(0, None, None, None, None, False)
    mean = sum(values) / n
    middle = n // 2
    median = values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2
    if n == 1:
        stdev = 0.0
    else:
        variance = sum((v - mean) ** 2 for v in values) / (n - 1)
        stdev = _sqrt(variance)
    spread = values[-1] - values[0]
    return ScoreStats(n, mean, median, stdev, spread, spread >= dispute_threshold)


def _sqrt(value: Fraction) -> float:
    """√ of a fraction to 12 significant digits without going through float early."""
    scale = 10**12
    return isqrt(value.numerator * scale**2 // value.denominator) / scale


def heaviest_criterion_index(criteria: Sequence[CriterionSpec]) -> int:
    """The tie-break rule "higher score on the heaviest criterion": the first of the heaviest."""
    return max(range(len(criteria)), key=lambda i: (criteria[i].weight, -i))


def rank(scores: dict[str, Fraction | None]) -> list[tuple[str, int, bool]]:
    """(key, rank, tied) by score, highest first; equal scores share a rank and are marked
    tied, never ordered silently. Unscored items come last, unranked (rank 0)."""
    scored = sorted(
        ((k, s) for k, s in scores.items() if s is not None), key=lambda item: (-item[1], item[0])
    )
    counts: dict[Fraction, int] = {}
    for _, s in scored:
        counts[s] = counts.get(s, 0) + 1
    result, position, previous = [], 0, None
    for index, (key, score) in enumerate(scored, 1):
        if score != previous:
            position, previous = index, score
        result.append((key, position, counts[score] > 1))
    result += [(k, 0, False) for k, s in sorted(scores.items()) if s is None]
    return result
