"""The consortium rules, one frozen dataclass per kind, each checking members to a coded outcome."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from .members import (
    COUNTED_ROLES,
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
)
from .problems import OrganisationId, id_key, sorted_ids


def _counted(members: Iterable[Member], roles: frozenset[Role]) -> dict[OrganisationId, Organisation]:
    """The organisations in ``roles``, each once (its first row), by id."""
    out: dict[OrganisationId, Organisation] = {}
    for member in members:
        if member.role in roles:
            out.setdefault(member.id, member.organisation)
    return out


def _unit(organisation: Organisation, by_group: bool) -> tuple[str, str]:
    """The independent unit an organisation belongs to: itself, or its group when groups count once."""
    if by_group and organisation.group:
        return ("group", organisation.group)
    return ("organisation", repr(id_key(organisation.id)))


def _kinds(kinds: Iterable[OrganisationKind]) -> list[str]:
    """Kinds as a param: in the enum's order."""
    wanted = set(kinds)
    return [k.value for k in OrganisationKind if k in wanted]


def _words(kinds: Iterable[str]) -> str:
    return ", ".join(KIND_WORDS[OrganisationKind(k)] for k in kinds)


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A consortium rule; each kind is a subclass with its params as fields."""

    kind: ClassVar[str] = ""
    severity: Severity
    basis: str = field(default="", compare=False)  # where the rule comes from (a seed, a regulation)

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        raise NotImplementedError

    def _passed(self, code: str, text: str, params: Mapping[str, object]) -> RuleOutcome:
        return RuleOutcome(self.kind, self.severity, True, f"consortium.{code}", dict(params), text)

    def _failed(self, code: str, text: str, params: Mapping[str, object], shortfall: int = 0) -> RuleOutcome:
        return RuleOutcome(
            self.kind, self.severity, False, f"consortium.{code}", dict(params), text, shortfall
        )


@dataclass(frozen=True, kw_only=True)
class MinOrganisations(Rule):
    """At least ``min`` independent organisations: distinct ids, and with ``distinct_groups`` the members of
    one group counted once."""

    kind: ClassVar[str] = "min_organisations"
    min: int
    distinct_groups: bool = False
    roles: frozenset[Role] = COUNTED_ROLES

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        counted = _counted(members, self.roles)
        count = len({_unit(o, self.distinct_groups) for o in counted.values()})
        what = "independent organisations" + (" (one per group)" if self.distinct_groups else "")
        params = {"min": self.min, "count": count, "distinct_groups": self.distinct_groups}
        if count >= self.min:
            return self._passed("enough_organisations", f"{count} {what}.", params)
        text = f"At least {self.min} {what} are needed; the consortium has {count}."
        return self._failed("too_few_organisations", text, params, self.min - count)


@dataclass(frozen=True, kw_only=True)
class PublicPrivate(Rule):
    """A public-private partnership: at least one member of a public kind and one of a private kind."""

    kind: ClassVar[str] = "public_private"
    public_kinds: frozenset[OrganisationKind] = PUBLIC_KINDS
    private_kinds: frozenset[OrganisationKind] = PRIVATE_KINDS
    roles: frozenset[Role] = COUNTED_ROLES

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        present = {o.kind for o in _counted(members, self.roles).values()}
        sides = {"public": _kinds(self.public_kinds), "private": _kinds(self.private_kinds)}
        missing = [side for side, kinds in sides.items() if not present & set(kinds)]
        params: dict[str, object] = {"public_kinds": sides["public"], "private_kinds": sides["private"]}
        if not missing:
            return self._passed("public_private", "A public-private partnership.", params)
        wanted = " and ".join(f"a {side} partner ({_words(sides[side])})" for side in missing)
        text = f"A public-private partnership needs {wanted}."
        return self._failed("not_public_private", text, {**params, "missing": missing}, len(missing))


@dataclass(frozen=True, kw_only=True)
class HelixMix(Rule):
    """At least one member of each of ``kinds`` (the triple helix: company, knowledge institution,
    government; or a subset)."""

    kind: ClassVar[str] = "helix_mix"
    kinds: frozenset[OrganisationKind] = TRIPLE_HELIX
    roles: frozenset[Role] = COUNTED_ROLES

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        present = {o.kind for o in _counted(members, self.roles).values()}
        missing = _kinds(self.kinds - present)
        required = _kinds(self.kinds)
        if not missing:
            return self._passed(
                "helix_mix", f"Every kind needed: {_words(required)}.", {"required": required}
            )
        text = "The mix needs a " + _words(missing).replace(", ", " and a ") + " as well."
        return self._failed(
            "helix_kinds_missing", text, {"required": required, "missing": missing}, len(missing)
        )


@dataclass(frozen=True, kw_only=True)
class MinSmes(Rule):
    """At least ``min`` SMEs; an organisation whose SME status is unknown is not counted."""

    kind: ClassVar[str] = "min_smes"
    min: int
    roles: frozenset[Role] = COUNTED_ROLES

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        counted = _counted(members, self.roles).values()
        count = sum(1 for o in counted if o.sme is True)
        unknown = sum(1 for o in counted if o.sme is None and o.kind is OrganisationKind.COMPANY)
        params = {"min": self.min, "count": count, "unknown": unknown}
        if count >= self.min:
            return self._passed("enough_smes", f"{count} SMEs.", params)
        note = f" ({unknown} companies' SME status is unknown)" if unknown else ""
        text = f"At least {self.min} SMEs are needed; the consortium has {count}{note}."
        return self._failed("too_few_smes", text, params, self.min - count)


def _max_matching(options: Sequence[frozenset[str]]) -> int:
    """The most units that can each be given a different country of their own (Kuhn's augmenting paths)."""
    holder: dict[str, int] = {}

    def place(unit: int, seen: set[str]) -> bool:
        for country in sorted(options[unit]):
            if country in seen:
                continue
            seen.add(country)
            if country not in holder or place(holder[country], seen):
                holder[country] = unit
                return True
        return False

    return sum(1 for unit in range(len(options)) if place(unit, set()))


@dataclass(frozen=True, kw_only=True)
class MinCountries(Rule):
    """Members from at least ``min`` distinct countries (only those ``among`` a set, when given).

    With ``independent``, the countries must come from distinct independent organisations (a group counted
    once): Horizon Europe's "three independent legal entities, each established in a different Member State
    or associated country". The count is then the largest number of independent units that can each be
    given a different country of theirs.
    """

    kind: ClassVar[str] = "min_countries"
    min: int
    among: frozenset[str] | None = None
    among_name: str = ""  # the named country set ``among`` was read from
    independent: bool = False
    roles: frozenset[Role] = COUNTED_ROLES

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        counted = _counted(members, self.roles).values()
        unknown = sum(1 for o in counted if not o.country)
        units: dict[tuple[str, str], set[str]] = {}
        for o in counted:
            if o.country and (self.among is None or o.country in self.among):
                units.setdefault(_unit(o, True), set()).add(o.country)
        countries = sorted({c for held in units.values() for c in held})
        count = _max_matching([frozenset(c) for c in units.values()]) if self.independent else len(countries)
        params = {
            "min": self.min,
            "count": count,
            "countries": countries,
            "among": self.among_name,
            "independent": self.independent,
            "unknown": unknown,
        }
        where = f" ({self.among_name.replace('_', ' ')})" if self.among_name else ""
        if count >= self.min:
            return self._passed("enough_countries", f"Members from {count} countries{where}.", params)
        whose = "independent members in " if self.independent else "members in "
        text = (
            f"At least {self.min} {whose}different countries{where} are needed; the consortium has {count}."
        )
        return self._failed("too_few_countries", text, params, self.min - count)


@dataclass(frozen=True, kw_only=True)
class CountryIn(Rule):
    """At least ``min`` organisations established in one of ``countries`` (e.g. an EU Member State)."""

    kind: ClassVar[str] = "country_in"
    countries: frozenset[str]
    countries_name: str = ""  # the named country set, or "" when listed in the rule
    min: int = 1
    roles: frozenset[Role] = COUNTED_ROLES

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        counted = _counted(members, self.roles).values()
        count = sum(1 for o in counted if o.country in self.countries)
        where = self.countries_name.replace("_", " ") or ", ".join(sorted(self.countries))
        params = {"min": self.min, "count": count, "countries": self.countries_name or sorted(self.countries)}
        if count >= self.min:
            return self._passed("in_countries", f"{count} members in {where}.", params)
        text = f"At least {self.min} members must be established in {where}; the consortium has {count}."
        return self._failed("too_few_in_countries", text, params, self.min - count)


@dataclass(frozen=True, kw_only=True)
class OneCoordinator(Rule):
    """Exactly one coordinator."""

    kind: ClassVar[str] = "one_coordinator"

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        coordinators = [m.id for m in members if m.role is Role.COORDINATOR]
        if len(coordinators) == 1:
            return self._passed("one_coordinator", "One coordinator.", {"organisations": coordinators})
        if not coordinators:
            return self._failed(
                "no_coordinator", "The consortium needs a coordinator.", {"organisations": []}, 1
            )
        text = f"A consortium has one coordinator; this one has {len(coordinators)}."
        return self._failed("several_coordinators", text, {"organisations": sorted_ids(coordinators)})


@dataclass(frozen=True, kw_only=True)
class NoDuplicates(Rule):
    """No organisation twice (in one role or in two)."""

    kind: ClassVar[str] = "no_duplicates"

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        seen: set[OrganisationId] = set()
        twice: set[OrganisationId] = set()
        for member in members:
            (twice if member.id in seen else seen).add(member.id)
        if not twice:
            return self._passed("no_organisation_twice", "No organisation twice.", {"organisations": []})
        ids = sorted_ids(twice)
        text = "An organisation takes part once: " + ", ".join(map(str, ids)) + " appear(s) more than once."
        return self._failed("organisation_twice", text, {"organisations": ids})


@dataclass(frozen=True, kw_only=True)
class RoleKind(Rule):
    """Every member in ``role`` is of one of ``kinds`` (a city host is a government)."""

    kind: ClassVar[str] = "role_kind"
    role: Role
    kinds: frozenset[OrganisationKind]

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        wrong = sorted_ids(
            m.id for m in members if m.role is self.role and m.organisation.kind not in self.kinds
        )
        kinds = _kinds(self.kinds)
        params = {"role": self.role.value, "kinds": kinds, "organisations": wrong}
        word = ROLE_WORDS[self.role]
        if not wrong:
            return self._passed("role_kind", f"Every {word} is a fitting kind.", params)
        text = (
            f"A {word} must be a " + _words(kinds).replace(", ", " or a ") + ": " + ", ".join(map(str, wrong))
        )
        return self._failed("role_kind_mismatch", text + " is not.", params)


@dataclass(frozen=True, kw_only=True)
class RolePresent(Rule):
    """At least ``min`` organisations in ``role`` (a city host in a Smart Energy Cities trajectory)."""

    kind: ClassVar[str] = "role_present"
    role: Role
    min: int = 1

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        count = len(_counted(members, frozenset({self.role})))
        params = {"role": self.role.value, "min": self.min, "count": count}
        word = ROLE_WORDS[self.role]
        if count >= self.min:
            return self._passed("role_present", f"{count} {word}(s).", params)
        text = f"The consortium needs at least {self.min} {word}(s); it has {count}."
        return self._failed("role_missing", text, params, self.min - count)


@dataclass(frozen=True, kw_only=True)
class RolesAllowed(Rule):
    """Every member's role is one the project type allows."""

    kind: ClassVar[str] = "roles_allowed"
    roles: frozenset[Role]

    def check(self, members: Sequence[Member]) -> RuleOutcome:
        wrong = [m for m in members if m.role not in self.roles]
        allowed = [r.value for r in Role if r in self.roles]
        if not wrong:
            return self._passed("roles_allowed", "Every role is allowed.", {"allowed": allowed})
        used = [r.value for r in Role if any(m.role is r for m in wrong)]
        text = "This kind of project has no " + ", ".join(ROLE_WORDS[Role(r)] for r in used) + "."
        params = {"allowed": allowed, "roles": used, "organisations": sorted_ids(m.id for m in wrong)}
        return self._failed("role_not_allowed", text, params)


RULE_KINDS: dict[str, type[Rule]] = {
    cls.kind: cls
    for cls in (
        MinOrganisations,
        PublicPrivate,
        HelixMix,
        MinSmes,
        MinCountries,
        CountryIn,
        OneCoordinator,
        NoDuplicates,
        RoleKind,
        RolePresent,
        RolesAllowed,
    )
}
