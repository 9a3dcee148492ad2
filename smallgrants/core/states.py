"""State machines as data. Each aggregate (competition, application, commission stage, score
sheet, grant, report) declares its allowed moves once with `machine()`; its one transition
function asks `check()` first, then runs its guards, writes the state, the audit entry and
the e-mail. `MACHINES` lists them all, so a test walks every (state, move) pair of each."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from smallgrants.core.services import ServiceError


@dataclass(frozen=True)
class Machine:
    name: str
    moves: Mapping[enum.Enum, frozenset]

    def allows(self, current: enum.Enum, to: enum.Enum) -> bool:
        return to in self.moves[current]

    def check(self, current: enum.Enum, to: enum.Enum, error=ServiceError, message=None):
        """Refuse a move the table does not hold (with the machine's own error class)."""
        if not self.allows(current, to):
            raise error(message or _l("This change of state is not allowed."))


MACHINES: dict[str, Machine] = {}


def machine(name: str, moves: Mapping[enum.Enum, set]) -> Machine:
    """Declare an aggregate's moves; every state must be a key (an end state maps to set())."""
    states = set(moves)
    for targets in moves.values():
        if not set(targets) <= states:
            raise ValueError(f"{name}: a move leads to a state without its own row")
    if name in MACHINES:
        raise ValueError(f"two state machines are named {name}")
    MACHINES[name] = Machine(name, {k: frozenset(v) for k, v in moves.items()})
    return MACHINES[name]
