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

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from .problems import OrganisationId, Problem, id_key, sorted_ids


class OrganisationKind(StrEnum):
    """What an organisation is, as the consortium rules see it (the registry's federations and cluster
    organisations are ``other``)."""

    COMPANY = "company"
    KNOWLEDGE_INSTITUTION = "knowledge_institution"
    GOVERNMENT = "government"
    OTHER = "other"


KIND_WORDS: dict[OrganisationKind, str] = {
    OrganisationKind.COMPANY: "company",
    OrganisationKind.KNOWLEDGE_INSTITUTION: "knowledge institution",
    OrganisationKind.GOVERNMENT: "government body",
    OrganisationKind.OTHER: "other organisation",
}

TRIPLE_HELIX = frozenset(
    {OrganisationKind.COMPANY, OrganisationKind.KNOWLEDGE_INSTITUTION, OrganisationKind.GOVERNMENT}
)


# Knowledge institutions count as public in a public-private partnership unless a rule says otherwise.
PUBLIC_KINDS = frozenset({OrganisationKind.GOVERNMENT, OrganisationKind.KNOWLEDGE_INSTITUTION})
PRIVATE_KINDS = frozenset({OrganisationKind.COMPANY})


class Role(StrEnum):
    COORDINATOR = "coordinator"
    PARTNER = "partner"
    SUBCONTRACTOR = "subcontractor"
    CITY_HOST = "city_host"
    KNOWLEDGE_PARTNER = "knowledge_partner"


ROLE_WORDS: dict[Role, str] = {
    Role.COORDINATOR: "coordinator",
    Role.PARTNER: "partner",
    Role.SUBCONTRACTOR: "subcontractor",
    Role.CITY_HOST: "city host",
    Role.KNOWLEDGE_PARTNER: "knowledge partner",
}

COUNTED_ROLES = frozenset(Role) - {Role.SUBCONTRACTOR}


class Severity(StrEnum):
    HARD = "hard"  # blocks the submission
    ADVISORY = "advisory"  # favoured: shown as advice


# Codes some sources use for a country instead of ISO 3166 alpha-2 (CORDIS and the EU's own lists).
COUNTRY_ALIASES = {"EL": "GR", "UK": "GB"}


def normalise_country(code: str) -> str:
    """ISO 3166 alpha-2 in capitals (``el`` -> ``GR``, ``UK`` -> ``GB``); "" stays unknown."""
    code = code.strip().upper()
    return COUNTRY_ALIASES.get(code, code)


@dataclass(frozen=True)
class Organisation:
    """An organisation as the rules and the composer read it: plain values, no ORM object."""

    id: OrganisationId
    kind: OrganisationKind
    sme: bool | None = None  # None: unknown
    country: str = ""  # ISO alpha-2; "" unknown
    sectors: frozenset[str] = frozenset()  # NACE codes
    domains: frozenset[str] = frozenset()
    competences: frozenset[str] = frozenset()
    value_chain: frozenset[str] = frozenset()  # the positions it holds in the value chain
    group: str = ""  # the corporate group it belongs to ("" none): one group counts once where asked
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", OrganisationKind(self.kind))
        object.__setattr__(self, "country", normalise_country(self.country))


@dataclass(frozen=True)
class Member:
    organisation: Organisation
    role: Role

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))

    @property
    def id(self) -> OrganisationId:
        return self.organisation.id


@dataclass(frozen=True)
class RuleOutcome:
    rule: str  # the rule's kind (``min_organisations``)
    severity: Severity
    passed: bool
    code: str
    params: dict[str, object]
    text: str
    shortfall: int = 0  # how many more it needs (organisations, SMEs, countries, kinds, holders)

    def problem(self) -> Problem:
        return Problem(self.code, self.params, self.text)


# -- the rules ---------------------------------------------------------------------------------------------


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
