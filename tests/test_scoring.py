"""Scoring formulas: exact values and properties (docs/scoring.md)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smallgrants.commission.scoring import (
    CriterionSpec,
    heaviest_criterion_index,
    rank,
    sheet_total,
    stats,
)

SEED = [CriterionSpec(10, 3), CriterionSpec(10, 2), CriterionSpec(5, 1)]


def test_sheet_total_exact_example_from_the_docs():
    assert sheet_total(SEED, [8, 6, 5]) == Fraction(230, 3)  # 76.666…
    assert round(float(sheet_total(SEED, [8, 6, 5])), 2) == 76.67


def test_sheet_total_bounds_and_errors():
    assert sheet_total(SEED, [10, 10, 5]) == 100
    assert sheet_total(SEED, [0, 0, 0]) == 0
    with pytest.raises(ValueError, match=r"outside 0\.\.5"):
        sheet_total(SEED, [10, 10, 6])
    with pytest.raises(ValueError, match="one score per criterion"):
        sheet_total(SEED, [1, 2])


def test_stats_exact_values():
    s = stats([Fraction(60), Fraction(70), Fraction(95)])
    assert (s.n, s.mean, s.median, s.spread, s.disputed) == (
        3,
        Fraction(75),
        Fraction(70),
        Fraction(35),
        True,
    )
    # sample stdev of 60, 70, 95: √((225 + 25 + 400) / 2) = √325
    assert s.stdev == pytest.approx(18.027756377319946, abs=1e-11)
    even = stats([Fraction(80), Fraction(70)])
    assert (even.median, even.spread, even.disputed) == (Fraction(75), Fraction(10), False)
    one = stats([Fraction(50)])
    assert (one.n, one.mean, one.stdev, one.spread) == (1, Fraction(50), 0.0, Fraction(0))
    empty = stats([])
    assert (empty.n, empty.mean, empty.median, empty.disputed) == (0, None, None, False)


def test_rank_marks_ties_and_puts_unscored_last():
    assert rank(
        {"a": Fraction(80), "b": Fraction(90), "c": Fraction(80), "d": None, "e": Fraction(70)}
    ) == [("b", 1, False), ("a", 2, True), ("c", 2, True), ("e", 4, False), ("d", 0, False)]


def test_heaviest_criterion_is_the_first_of_the_largest_weight():
    assert heaviest_criterion_index(SEED) == 0
    assert (
        heaviest_criterion_index([CriterionSpec(5, 1), CriterionSpec(5, 4), CriterionSpec(5, 4)])
        == 1
    )


criteria_and_sheets = st.lists(
    st.tuples(st.integers(1, 20), st.integers(1, 5)), min_size=1, max_size=6
).flatmap(
    lambda specs: st.tuples(
        st.just([CriterionSpec(m, w) for m, w in specs]),
        st.lists(st.tuples(*[st.integers(0, m) for m, _ in specs]), min_size=1, max_size=5),
    )
)


@given(criteria_and_sheets, st.randoms())
def test_totals_do_not_depend_on_criterion_order(data, rnd):
    criteria, sheets = data
    order = list(range(len(criteria)))
    rnd.shuffle(order)
    for points in sheets:
        shuffled = sheet_total([criteria[i] for i in order], [points[i] for i in order])
        assert shuffled == sheet_total(criteria, list(points))
        assert 0 <= shuffled <= 100


@given(criteria_and_sheets)
def test_mean_lies_between_min_and_max(data):
    criteria, sheets = data
    totals = [sheet_total(criteria, list(p)) for p in sheets]
    s = stats(totals)
    assert min(totals) <= s.mean <= max(totals)
    assert s.spread == max(totals) - min(totals)
