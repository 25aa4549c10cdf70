"""The coded problems and reasons every rule of a project speaks in.

A rule that says no (a consortium rule, a lifecycle move's requirement, the budget) returns a
:class:`Problem`: a stable ``code`` the Django edge translates with gettext, its ``params`` (plain values:
numbers, strings, organisation ids, sorted lists of them) and an English ``text`` for logs and readers
without a translation, as :class:`helix.core.symbiosis.validation.FlowProblem` does. The composer explains
its suggestions with :class:`Reason` rows of the same shape.

The codes are dotted by the module that says them: ``consortium.*``, ``lifecycle.*``, ``budget.*``,
``composer.*``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# An organisation as the core sees it: the registry's primary key (the Django edge) or another system's id
# (a CORDIS participant), never an object.
OrganisationId = int | str


def id_key(organisation: OrganisationId) -> tuple[int, int, str]:
    """A sort key for ids of either type: numbers in numeric order, then strings in code-point order."""
    if isinstance(organisation, int):
        return (0, organisation, "")
    return (1, 0, organisation)


def sorted_ids(organisations: Iterable[OrganisationId]) -> list[OrganisationId]:
    """``organisations`` sorted by :func:`id_key`, each once: how a param lists ids."""
    return sorted(set(organisations), key=id_key)


@dataclass(frozen=True)
class Problem:
    """Something that blocks a move or needs fixing: a code, its params and an English text."""

    code: str
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""


@dataclass(frozen=True)
class Reason:
    """Why the composer suggests an organisation: a code, its params and an English text."""

    code: str
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""
