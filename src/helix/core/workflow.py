"""Workflows declared as data: states, transitions and who may trigger each.

A workflow is a table of :class:`Transition` rows. Code asks the table whether a move is allowed
instead of spreading ``if state == ...`` checks over views and services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class TransitionNotAllowed(ValueError):
    """Raised when a workflow move is not in the table, or the actor's role may not trigger it."""


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    label: str


@dataclass(frozen=True)
class Workflow:
    name: str
    states: tuple[str, ...]
    initial: str
    transitions: tuple[Transition, ...]

    def __post_init__(self) -> None:
        known = set(self.states)
        if self.initial not in known:
            raise ValueError(f"{self.name}: initial state {self.initial!r} is not a state")
        for t in self.transitions:
            if t.source not in known or t.target not in known:
                raise ValueError(
                    f"{self.name}: transition {t.source!r} -> {t.target!r} names an unknown state"
                )

    def available(self, source: str, roles: Iterable[str]) -> list[Transition]:
        """Transitions out of ``source`` that an actor holding any of ``roles`` may trigger."""
        held = set(roles)
        return [t for t in self.transitions if t.source == source and t.roles & held]

    def check(self, source: str, target: str, roles: Iterable[str]) -> Transition:
        """Return the transition ``source -> target`` or raise :class:`TransitionNotAllowed`."""
        held = set(roles)
        for t in self.transitions:
            if t.source == source and t.target == target:
                if t.roles & held:
                    return t
                raise TransitionNotAllowed(
                    f"{self.name}: {source} -> {target} needs one of the roles {sorted(t.roles)}"
                )
        raise TransitionNotAllowed(f"{self.name}: no transition from {source!r} to {target!r}")
