"""Counting rules of the commission as pure functions: quorum and least-loaded assignment."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Quorum:
    present: int
    total: int
    required: int  # the smallest number present that makes the quorum
    met: bool


def quorum(present: int, total: int, numerator: int = 2, denominator: int = 3) -> Quorum:
    """At least numerator/denominator of the voting members present (default two thirds):
    required = ⌈total × numerator ÷ denominator⌉; nobody to vote means no quorum."""
    required = -(-total * numerator // denominator)
    return Quorum(present, total, required, total > 0 and present >= required)


def least_loaded(
    members: Sequence[int],
    applications: Sequence[int],
    k: int,
    conflicted: Callable[[int, int], bool],
) -> dict[int, list[int]]:
    """For each application in order, the k eligible members with the fewest assignments so
    far (ties: seat order). Conflicted members are never chosen; an application may get
    fewer than k when too many members are conflicted."""
    load = dict.fromkeys(members, 0)
    seat = {m: i for i, m in enumerate(members)}
    plan: dict[int, list[int]] = {}
    for application in applications:
        eligible = [m for m in members if not conflicted(m, application)]
        chosen = sorted(eligible, key=lambda m: (load[m], seat[m]))[:k]
        for m in chosen:
            load[m] += 1
        plan[application] = sorted(chosen, key=seat.__getitem__)
    return plan
