"""A project's consortium and the rules it must (HARD) or should (ADVISORY) keep, declared as data.

A consortium is a list of :class:`Member` rows: an :class:`Organisation` (its id and the facts the rules
read: kind, SME status, country, sectors, domains, competences, positions in the value chain, the group
it belongs to) in a :class:`Role`. The same organisation may appear twice in a draft; the rule
:class:`NoDuplicates` says so, and the counting rules count each organisation once.

Each rule is a frozen dataclass read from the project types' data file (:func:`rule_from_data`); its
``check`` returns a :class:`RuleOutcome`: passed or failed, with a stable code, its params, an English text
and the *shortfall* (how many more organisations, SMEs, countries, helix kinds or role holders it needs;
0 when it passes), which the composer uses to tell how far a candidate brings the draft. A HARD failure
blocks the submission (:mod:`helix.core.projects.lifecycle`); an ADVISORY one is shown as advice ("a
public-private partnership is favoured").

Subcontractors are not consortium members in most programmes: the counting rules count the roles in
:data:`COUNTED_ROLES` unless a rule names its own ``roles``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .members import (
    COUNTED_ROLES,
    COUNTRY_ALIASES,
    KIND_WORDS,
    PRIVATE_KINDS,
    PUBLIC_KINDS,
    ROLE_WORDS,
    TRIPLE_HELIX,
    Member,
    Organisation,
    OrganisationKind,
    Role,
    RuleOutcome,
    Severity,
    normalise_country,
)
from .problems import Problem
from .rules import (
    RULE_KINDS,
    CountryIn,
    HelixMix,
    MinCountries,
    MinOrganisations,
    MinSmes,
    NoDuplicates,
    OneCoordinator,
    PublicPrivate,
    RoleKind,
    RolePresent,
    RolesAllowed,
    Rule,
)
from .rules import _max_matching as _max_matching  # re-exported: the tests check it here

__all__ = [
    "COUNTED_ROLES",
    "COUNTRY_ALIASES",
    "KIND_WORDS",
    "PRIVATE_KINDS",
    "PUBLIC_KINDS",
    "ROLE_WORDS",
    "RULE_KINDS",
    "TRIPLE_HELIX",
    "ConsortiumCheck",
    "CountryIn",
    "HelixMix",
    "Member",
    "MinCountries",
    "MinOrganisations",
    "MinSmes",
    "NoDuplicates",
    "OneCoordinator",
    "Organisation",
    "OrganisationKind",
    "PublicPrivate",
    "Role",
    "RoleKind",
    "RolePresent",
    "RolesAllowed",
    "Rule",
    "RuleDataError",
    "RuleOutcome",
    "Severity",
    "check_consortium",
    "normalise_country",
    "rule_from_data",
]


# -- checking a consortium ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsortiumCheck:
    """Every rule's outcome, in the rules' order."""

    outcomes: tuple[RuleOutcome, ...]

    @property
    def passed(self) -> bool:
        """Every hard rule holds: the consortium may be submitted."""
        return not self.failures

    @property
    def failures(self) -> tuple[RuleOutcome, ...]:
        """The hard rules that fail: they block the submission."""
        return tuple(o for o in self.outcomes if not o.passed and o.severity is Severity.HARD)

    @property
    def advice(self) -> tuple[RuleOutcome, ...]:
        """The advisory rules that fail: shown as advice."""
        return tuple(o for o in self.outcomes if not o.passed and o.severity is Severity.ADVISORY)

    def problems(self) -> tuple[Problem, ...]:
        return tuple(o.problem() for o in self.failures)


def check_consortium(members: Iterable[Member], rules: Iterable[Rule]) -> ConsortiumCheck:
    """Check ``members`` against every rule: one outcome per rule, in order."""
    rows = tuple(members)
    return ConsortiumCheck(tuple(rule.check(rows) for rule in rules))


# -- rules from data ---------------------------------------------------------------------------------------


class RuleDataError(ValueError):
    """A rule in the data file that names an unknown kind, lacks a param or has one too many."""


_MISSING = object()


class _Params:
    """A rule's entry in the data file, read one typed param at a time; :meth:`done` refuses leftovers."""

    def __init__(self, entry: Mapping[str, object], country_sets: Mapping[str, frozenset[str]]) -> None:
        self.entry = dict(entry)
        self.country_sets = country_sets
        self.where = f"rule {entry.get('rule')!r}"

    def _take(
        self, name: str, check: Callable[[object], bool], what: str, default: object = _MISSING
    ) -> object:
        if name not in self.entry:
            if default is _MISSING:
                raise RuleDataError(f"{self.where}: {name!r} is required")
            return default
        value = self.entry.pop(name)
        if not check(value):
            raise RuleDataError(f"{self.where}: {name!r} must be {what}, not {value!r}")
        return value

    def integer(self, name: str, default: int | None = None) -> int:
        value = self._take(
            name,
            lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
            "a whole number >= 0",
            _MISSING if default is None else default,
        )
        assert isinstance(value, int)
        return value

    def flag(self, name: str, default: bool) -> bool:
        return bool(self._take(name, lambda v: isinstance(v, bool), "true or false", default))

    def text(self, name: str, default: str | None = None) -> str:
        value = self._take(
            name, lambda v: isinstance(v, str), "a string", _MISSING if default is None else default
        )
        return str(value)

    def _words(self, name: str, required: bool) -> list[str] | None:
        value = self._take(
            name,
            lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
            "a list of strings",
            _MISSING if required else None,
        )
        if value is None:
            return None
        assert isinstance(value, list)
        return [str(x) for x in value]

    def kinds(
        self, name: str, default: frozenset[OrganisationKind] | None = None
    ) -> frozenset[OrganisationKind]:
        words = self._words(name, required=default is None)
        if words is None:
            assert default is not None
            return default
        try:
            return frozenset(OrganisationKind(w) for w in words)
        except ValueError as error:
            raise RuleDataError(f"{self.where}: {name!r}: {error}") from None

    def roles(self, name: str, default: frozenset[Role] | None = None) -> frozenset[Role]:
        words = self._words(name, required=default is None)
        if words is None:
            assert default is not None
            return default
        try:
            return frozenset(Role(w) for w in words)
        except ValueError as error:
            raise RuleDataError(f"{self.where}: {name!r}: {error}") from None

    def role(self, name: str) -> Role:
        word = self.text(name)
        try:
            return Role(word)
        except ValueError:
            raise RuleDataError(f"{self.where}: {name!r} must be a role, not {word!r}") from None

    def countries(self, name: str, required: bool) -> tuple[frozenset[str] | None, str]:
        """A list of countries, or the name of a country set; and that name ("" for a list)."""
        value = self._take(
            name,
            lambda v: isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)),
            "a list of countries or a country set's name",
            _MISSING if required else None,
        )
        if value is None:
            return None, ""
        if isinstance(value, str):
            if value not in self.country_sets:
                raise RuleDataError(f"{self.where}: no country set {value!r}")
            return self.country_sets[value], value
        assert isinstance(value, list)
        return frozenset(normalise_country(str(c)) for c in value), ""

    def done(self) -> None:
        if self.entry:
            raise RuleDataError(f"{self.where}: unknown params {sorted(self.entry)}")


# The rules that count members, and so take a ``roles`` param (which roles count; subcontractors do not).
_COUNTING = frozenset(
    {"min_organisations", "public_private", "helix_mix", "min_smes", "min_countries", "country_in"}
)


def rule_from_data(entry: Mapping[str, object], country_sets: Mapping[str, frozenset[str]]) -> Rule:
    """The rule an entry of the data file declares: ``{"rule": kind, "severity": "hard"|"advisory",
    "basis": "...", ...its params}``; a param missing, unknown or of the wrong type is refused."""
    p = _Params(entry, country_sets)
    kind = p.text("rule")
    if kind not in RULE_KINDS:
        raise RuleDataError(f"unknown rule kind {kind!r}")
    severity_word = p.text("severity")
    if severity_word not in {s.value for s in Severity}:
        raise RuleDataError(f"{p.where}: severity must be hard or advisory, not {severity_word!r}")
    severity, basis = Severity(severity_word), p.text("basis", "")
    counted = p.roles("roles", COUNTED_ROLES) if kind in _COUNTING else COUNTED_ROLES
    rule: Rule
    if kind == "min_organisations":
        distinct_groups = p.flag("distinct_groups", False)
        rule = MinOrganisations(
            severity=severity,
            basis=basis,
            min=p.integer("min"),
            distinct_groups=distinct_groups,
            roles=counted,
        )
    elif kind == "public_private":
        public, private = p.kinds("public_kinds", PUBLIC_KINDS), p.kinds("private_kinds", PRIVATE_KINDS)
        rule = PublicPrivate(
            severity=severity, basis=basis, public_kinds=public, private_kinds=private, roles=counted
        )
    elif kind == "helix_mix":
        rule = HelixMix(severity=severity, basis=basis, kinds=p.kinds("kinds", TRIPLE_HELIX), roles=counted)
    elif kind == "min_smes":
        rule = MinSmes(severity=severity, basis=basis, min=p.integer("min"), roles=counted)
    elif kind == "min_countries":
        among, among_name = p.countries("among", required=False)
        independent = p.flag("independent", False)
        rule = MinCountries(
            severity=severity,
            basis=basis,
            min=p.integer("min"),
            among=among,
            among_name=among_name,
            independent=independent,
            roles=counted,
        )
    elif kind == "country_in":
        countries, name = p.countries("countries", required=True)
        assert countries is not None
        rule = CountryIn(
            severity=severity, basis=basis, countries=countries, countries_name=name, min=p.integer("min", 1),
            roles=counted,
        )  # fmt: skip
    elif kind == "one_coordinator":
        rule = OneCoordinator(severity=severity, basis=basis)
    elif kind == "no_duplicates":
        rule = NoDuplicates(severity=severity, basis=basis)
    elif kind == "role_kind":
        rule = RoleKind(severity=severity, basis=basis, role=p.role("role"), kinds=p.kinds("kinds"))
    elif kind == "role_present":
        rule = RolePresent(severity=severity, basis=basis, role=p.role("role"), min=p.integer("min", 1))
    else:  # roles_allowed: a type's allowed roles declare it; an entry may still name one
        rule = RolesAllowed(severity=severity, basis=basis, roles=p.roles("roles"))
    p.done()
    return rule
