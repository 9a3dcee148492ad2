"""Scoring formulas (docs/scoring.md). Pure functions on exact fractions: no rounding until
a number is shown, so ranks never depend on floating-point noise or on criterion order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import isqrt, lcm


@dataclass(frozen=True)
class CriterionSpec:
    max_points: int
    weight: int


def integer_weights(criteria: Sequence[CriterionSpec]) -> tuple[list[int], int]:
    """The sheet total in whole numbers: factors fᵢ = wᵢ · L / maxᵢ (L the least common
    multiple of the maxima) and the denominator D = L · Σ wᵢ, so that a sheet's weighted
    points Σ fᵢ · sᵢ (an integer, summed in SQL by the ranking) give total = 100 · Σ fᵢ · sᵢ / D
    exactly."""
    if not criteria:
        raise ValueError("no criteria")
    common = lcm(*(spec.max_points for spec in criteria))
    factors = [spec.weight * (common // spec.max_points) for spec in criteria]
    return factors, common * sum(spec.weight for spec in criteria)


def sheet_total(criteria: Sequence[CriterionSpec], points: Sequence[int]) -> Fraction:
    """One member's sheet on the 0–100 scale: Σ wᵢ·sᵢ/maxᵢ ÷ Σ wᵢ × 100."""
    if len(criteria) != len(points):
        raise ValueError("one score per criterion")
    if not criteria:
        raise ValueError("no criteria")
    for spec, score in zip(criteria, points, strict=True):
        if not 0 <= score <= spec.max_points:
            raise ValueError(f"score {score} outside 0..{spec.max_points}")
    factors, denominator = integer_weights(criteria)
    weighted = sum(f * score for f, score in zip(factors, points, strict=True))
    return Fraction(100 * weighted, denominator)


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
    values = [Fraction(t) for t in totals]
    if not values:
        return ScoreStats(0, None, None, None, None, False)
    denominator = lcm(*(v.denominator for v in values))
    # each total t is 100 · (t · d) / (100 · d)
    return weighted_stats(
        [int(v * denominator) for v in values], 100 * denominator, dispute_threshold
    )


def weighted_stats(
    weighted: Sequence[int], denominator: int, dispute_threshold: Fraction = Fraction(25)
) -> ScoreStats:
    """`stats` of sheets given as whole numbers over one denominator (each total is
    100 · wᵢ / denominator; `integer_weights`): integer arithmetic, one fraction per figure."""
    values = sorted(weighted)
    n = len(values)
    if n == 0:
        return ScoreStats(0, None, None, None, None, False)
    scale = 100
    total = sum(values)
    mean = weighted_mean(values, denominator)
    middle = n // 2
    if n % 2:
        median = Fraction(scale * values[middle], denominator)
    else:
        median = Fraction(scale * (values[middle - 1] + values[middle]), 2 * denominator)
    if n == 1:
        stdev = 0.0
    else:  # Σ (xᵢ − x̄)² = (n Σ xᵢ² − (Σ xᵢ)²) / n, on the 0–100 scale
        squares = n * sum(v * v for v in values) - total * total
        stdev = _sqrt(Fraction(scale * scale * squares, n * (n - 1) * denominator * denominator))
    spread = Fraction(scale * (values[-1] - values[0]), denominator)
    return ScoreStats(n, mean, median, stdev, spread, spread >= dispute_threshold)


def weighted_mean(weighted: Sequence[int], denominator: int) -> Fraction | None:
    """The mean of sheets given as `weighted_stats` takes them: 100 · Σ wᵢ / (n · D)."""
    if not weighted:
        return None
    return Fraction(100 * sum(weighted), len(weighted) * denominator)


def is_tied(scores: dict, key) -> bool:
    """`rank`'s tie: another item has exactly the same score (an unscored item never ties)."""
    mine = scores.get(key)
    return mine is not None and sum(1 for s in scores.values() if s == mine) > 1


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
    # by key, then (stable) by score, highest first; the float goes first because it is
    # cheap and never out of order (float() is monotonic), the fraction decides when equal
    scored = sorted(((k, s) for k, s in scores.items() if s is not None), key=lambda kv: kv[0])
    scored.sort(key=lambda kv: (float(kv[1]), kv[1]), reverse=True)
    counts: dict[Fraction, int] = {}
    for _, s in scored:  # ties as `is_tied` says: equal scores
        counts[s] = counts.get(s, 0) + 1
    result, position, previous = [], 0, None
    for index, (key, score) in enumerate(scored, 1):
        if score != previous:
            position, previous = index, score
        result.append((key, position, counts[score] > 1))
    result += [(k, 0, False) for k, s in sorted(scores.items()) if s is None]
    return result
