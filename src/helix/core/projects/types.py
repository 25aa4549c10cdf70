"""The kinds of project the seeds name, declared as data (``data/project_types.json``).

Each :class:`ProjectType` says which roles a consortium may hold, how long a project may last (months),
its consortium rules (the file's common rules, then "every role is one of the allowed ones", then its
own; each hard or advisory, with the source it comes from as ``basis``), the highest funding rate per
kind of partner, and its lifecycle (``funded`` or ``convened``, :mod:`helix.core.projects.lifecycle`).
Whether a city host or a knowledge partner is expected is read from its ``role_present`` rules.

The file also names country sets (EU Member States, Horizon Europe's associated countries) that rules
refer to by name, each with the date it was true on and its source.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

from .budget import FundingRates, RateCategory
from .consortium import (
    ConsortiumCheck,
    Member,
    Role,
    RolePresent,
    RolesAllowed,
    Rule,
    RuleDataError,
    Severity,
    check_consortium,
    normalise_country,
    rule_from_data,
)
from .lifecycle import LIFECYCLES
from .problems import Problem

DATA_FILE = "data/project_types.json"


class ProjectTypeDataError(ValueError):
    """The project types' data file says something that cannot be (an unknown role, min above max...)."""


class UnknownProjectType(KeyError):
    """No project type has this key."""


@dataclass(frozen=True)
class ProjectType:
    key: str
    name: str
    description: str
    source: str  # where the seeds (or the reference notes) name it
    lifecycle: str  # a key of helix.core.projects.lifecycle.LIFECYCLES
    roles: frozenset[Role]  # the roles a consortium of this type may hold
    min_months: int
    max_months: int
    months_basis: str
    rules: tuple[Rule, ...]
    max_funding_rates: FundingRates
    rates_basis: str

    def expectation(self, role: Role) -> Severity | None:
        """How strongly a holder of ``role`` is expected (the strictest ``role_present`` rule), or None."""
        found = {r.severity for r in self.rules if isinstance(r, RolePresent) and r.role is role}
        if Severity.HARD in found:
            return Severity.HARD
        return Severity.ADVISORY if found else None

    @property
    def expects_city_host(self) -> bool:
        return self.expectation(Role.CITY_HOST) is not None

    @property
    def expects_knowledge_partner(self) -> bool:
        return self.expectation(Role.KNOWLEDGE_PARTNER) is not None

    def check(self, members: Sequence[Member]) -> ConsortiumCheck:
        return check_consortium(members, self.rules)

    def duration_problems(self, months: int | None) -> tuple[Problem, ...]:
        """Why ``months`` is not a duration this type allows (empty when it is)."""
        params: dict[str, object] = {"months": months, "min": self.min_months, "max": self.max_months}
        bounds = f"from {self.min_months} to {self.max_months} months"
        if months is None:
            return (Problem("project.duration_missing", params, f"The project needs a duration ({bounds})."),)
        if months < self.min_months:
            text = f"A {self.name.lower()} lasts {bounds}; this one {months}."
            return (Problem("project.duration_too_short", params, text),)
        if months > self.max_months:
            text = f"A {self.name.lower()} lasts {bounds}; this one {months}."
            return (Problem("project.duration_too_long", params, text),)
        return ()


# -- reading the data file ---------------------------------------------------------------------------------


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise ProjectTypeDataError(f"{where} must be an object")
    return value


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise ProjectTypeDataError(f"{where} must be a list")
    return value


def _text(entry: Mapping[str, object], name: str, where: str) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not value:
        raise ProjectTypeDataError(f"{where}: {name!r} must be a non-empty string")
    return value


def _country_sets(data: Mapping[str, object]) -> dict[str, frozenset[str]]:
    """The named country sets; a set may ``include`` sets named before it."""
    sets: dict[str, frozenset[str]] = {}
    for name, raw in _mapping(data.get("country_sets", {}), "country_sets").items():
        entry = _mapping(raw, f"country set {name!r}")
        countries = {normalise_country(str(c)) for c in _list(entry.get("countries", []), name)}
        for other in _list(entry.get("include", []), name):
            if other not in sets:
                raise ProjectTypeDataError(f"country set {name!r} includes {other!r}, not declared before it")
            countries |= sets[str(other)]
        if not countries or any(len(c) != 2 or not c.isalpha() for c in countries):
            raise ProjectTypeDataError(f"country set {name!r} must list ISO alpha-2 codes")
        sets[name] = frozenset(countries)
    return sets


def _rules(raw: object, where: str, country_sets: Mapping[str, frozenset[str]]) -> list[Rule]:
    rules = []
    for i, entry in enumerate(_list(raw, where)):
        try:
            rules.append(rule_from_data(_mapping(entry, f"{where}[{i}]"), country_sets))
        except RuleDataError as error:
            raise ProjectTypeDataError(f"{where}[{i}]: {error}") from None
    return rules


def _rates(raw: object, where: str) -> FundingRates:
    entry = dict(_mapping(raw, where))
    names = [c.value for c in RateCategory]
    if sorted(entry) != sorted(names):
        raise ProjectTypeDataError(f"{where} must give a rate for each of {names}")
    try:
        return FundingRates(**{name: Decimal(str(entry[name])) for name in names})
    except (InvalidOperation, ValueError) as error:
        raise ProjectTypeDataError(f"{where}: {error}") from None


def _project_type(
    entry: Mapping[str, object], common: Sequence[Rule], sets: Mapping[str, frozenset[str]]
) -> ProjectType:
    key = _text(entry, "key", "a project type")
    where = f"project type {key!r}"
    lifecycle = _text(entry, "lifecycle", where)
    if lifecycle not in LIFECYCLES:
        raise ProjectTypeDataError(f"{where}: unknown lifecycle {lifecycle!r} (known: {sorted(LIFECYCLES)})")
    try:
        roles = frozenset(Role(str(r)) for r in _list(entry.get("roles"), f"{where}: roles"))
    except ValueError as error:
        raise ProjectTypeDataError(f"{where}: {error}") from None
    if Role.COORDINATOR not in roles:
        raise ProjectTypeDataError(f"{where}: the roles must include the coordinator")
    months = _mapping(entry.get("months"), f"{where}: months")
    low, high = months.get("min"), months.get("max")
    if not (isinstance(low, int) and isinstance(high, int) and 1 <= low <= high):
        raise ProjectTypeDataError(f"{where}: months must have whole numbers 1 <= min <= max")
    own = _rules(entry.get("rules", []), f"{where}: rules", sets)
    for rule in own:
        if isinstance(rule, RolePresent) and rule.role not in roles:
            raise ProjectTypeDataError(f"{where}: expects a {rule.role.value}, a role it does not allow")
    allowed = RolesAllowed(severity=Severity.HARD, roles=roles, basis="The roles this kind of project has.")
    return ProjectType(
        key=key,
        name=_text(entry, "name", where),
        description=_text(entry, "description", where),
        source=_text(entry, "source", where),
        lifecycle=lifecycle,
        roles=roles,
        min_months=low,
        max_months=high,
        months_basis=_text(months, "basis", f"{where}: months"),
        rules=(*common, allowed, *own),
        max_funding_rates=_rates(entry.get("max_funding_rates"), f"{where}: max_funding_rates"),
        rates_basis=_text(entry, "rates_basis", where),
    )


def load_project_types(text: str) -> dict[str, ProjectType]:
    """The project types a data file declares, by key, in the file's order."""
    try:
        data = _mapping(json.loads(text), "the file")
    except json.JSONDecodeError as error:
        raise ProjectTypeDataError(f"not JSON: {error}") from None
    sets = _country_sets(data)
    common = _rules(data.get("common_rules", []), "common_rules", sets)
    types: dict[str, ProjectType] = {}
    for raw in _list(data.get("types"), "types"):
        project_type = _project_type(_mapping(raw, "a project type"), common, sets)
        if project_type.key in types:
            raise ProjectTypeDataError(f"project type {project_type.key!r} is declared twice")
        types[project_type.key] = project_type
    return types


@cache
def project_types() -> dict[str, ProjectType]:
    """The shipped project types, read once."""
    return load_project_types(resources.files("helix.core.projects").joinpath(DATA_FILE).read_text("utf-8"))


@cache
def country_sets() -> dict[str, frozenset[str]]:
    """The shipped named country sets, read once."""
    text = resources.files("helix.core.projects").joinpath(DATA_FILE).read_text("utf-8")
    return _country_sets(_mapping(json.loads(text), "the file"))


def project_type(key: str) -> ProjectType:
    try:
        return project_types()[key]
    except KeyError:
        raise UnknownProjectType(key) from None
