"""Unit: the consortium rules, each passing and failing with its coded reason; the rules read from data."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helix.core.projects.consortium import (
    TRIPLE_HELIX,
    ConsortiumCheck,
    CountryIn,
    HelixMix,
    Member,
    MinCountries,
    MinOrganisations,
    MinSmes,
    NoDuplicates,
    OneCoordinator,
    Organisation,
    PublicPrivate,
    Role,
    RoleKind,
    RolePresent,
    RolesAllowed,
    RuleDataError,
    RuleOutcome,
    Severity,
    _max_matching,
    check_consortium,
    rule_from_data,
)
from helix.core.projects.problems import Problem

from .helpers import COMPANY, GOVERNMENT, KNOWLEDGE, company, coordinator, government, knowledge, partner

pytestmark = pytest.mark.unit

HARD, ADVISORY = Severity.HARD, Severity.ADVISORY


def outcome(
    rule: str,
    passed: bool,
    code: str,
    params: dict[str, object],
    text: str,
    shortfall: int = 0,
    severity=HARD,
) -> RuleOutcome:
    return RuleOutcome(rule, severity, passed, f"consortium.{code}", params, text, shortfall)


# -- organisations and members -----------------------------------------------------------------------------


def test_an_organisation_reads_its_country_as_iso_alpha_2() -> None:
    assert [company(1, country=c).country for c in (" be", "EL", "uk", "")] == ["BE", "GR", "GB", ""]


def test_kinds_and_roles_may_be_given_as_their_words() -> None:
    member = Member(Organisation(1, "government"), "city_host")  # type: ignore[arg-type]
    assert (member.organisation.kind, member.role, member.id) == (GOVERNMENT, Role.CITY_HOST, 1)


# -- minimum organisations ---------------------------------------------------------------------------------


def test_min_organisations_passes_with_enough_independent_organisations() -> None:
    rule = MinOrganisations(severity=HARD, min=2)
    assert rule.check([coordinator(company(1)), partner(company(2))]) == outcome(
        "min_organisations",
        True,
        "enough_organisations",
        {"min": 2, "count": 2, "distinct_groups": False},
        "2 independent organisations.",
    )


def test_min_organisations_fails_with_the_shortfall() -> None:
    rule = MinOrganisations(severity=HARD, min=3)
    assert rule.check([coordinator(company(1))]) == outcome(
        "min_organisations",
        False,
        "too_few_organisations",
        {"min": 3, "count": 1, "distinct_groups": False},
        "At least 3 independent organisations are needed; the consortium has 1.",
        2,
    )


def test_min_organisations_counts_an_organisation_twice_once_and_no_subcontractor() -> None:
    rule = MinOrganisations(severity=HARD, min=2)
    members = [coordinator(company(1)), partner(company(1)), Member(company(2), Role.SUBCONTRACTOR)]
    assert rule.check(members).params == {"min": 2, "count": 1, "distinct_groups": False}


def test_min_organisations_may_count_a_group_once() -> None:
    members = [
        coordinator(company(1, group="acme")),
        partner(company(2, group="acme")),
        partner(knowledge(3)),
    ]
    assert MinOrganisations(severity=HARD, min=3).check(members).passed
    assert MinOrganisations(severity=HARD, min=3, distinct_groups=True).check(members) == outcome(
        "min_organisations",
        False,
        "too_few_organisations",
        {"min": 3, "count": 2, "distinct_groups": True},
        "At least 3 independent organisations (one per group) are needed; the consortium has 2.",
        1,
    )


def test_min_organisations_may_count_other_roles() -> None:
    rule = MinOrganisations(severity=HARD, min=2, roles=frozenset(Role))
    assert rule.check([coordinator(company(1)), Member(company(2), Role.SUBCONTRACTOR)]).passed


# -- public-private partnership ----------------------------------------------------------------------------


def test_public_private_passes_with_a_company_and_a_public_partner() -> None:
    rule = PublicPrivate(severity=ADVISORY)
    assert rule.check([coordinator(company(1)), partner(knowledge(2))]) == outcome(
        "public_private",
        True,
        "public_private",
        {"public_kinds": ["knowledge_institution", "government"], "private_kinds": ["company"]},
        "A public-private partnership.",
        severity=ADVISORY,
    )


def test_public_private_fails_naming_the_missing_side() -> None:
    rule = PublicPrivate(severity=ADVISORY)
    assert rule.check([coordinator(company(1)), partner(company(2))]) == outcome(
        "public_private",
        False,
        "not_public_private",
        {
            "public_kinds": ["knowledge_institution", "government"],
            "private_kinds": ["company"],
            "missing": ["public"],
        },
        "A public-private partnership needs a public partner (knowledge institution, government body).",
        1,
        ADVISORY,
    )


def test_public_private_of_nobody_misses_both_sides() -> None:
    rule = PublicPrivate(severity=HARD, public_kinds=frozenset({GOVERNMENT}))
    assert rule.check([]) == outcome(
        "public_private",
        False,
        "not_public_private",
        {"public_kinds": ["government"], "private_kinds": ["company"], "missing": ["public", "private"]},
        "A public-private partnership needs a public partner (government body) and a private partner "
        "(company).",
        2,
    )


def test_a_subcontractor_is_no_side_of_a_partnership() -> None:
    rule = PublicPrivate(severity=HARD)
    assert not rule.check([coordinator(company(1)), Member(government(2), Role.SUBCONTRACTOR)]).passed


# -- triple helix ------------------------------------------------------------------------------------------


def test_helix_mix_passes_with_each_kind() -> None:
    rule = HelixMix(severity=ADVISORY)
    members = [coordinator(company(1)), partner(knowledge(2)), Member(government(3), Role.CITY_HOST)]
    assert rule.check(members) == outcome(
        "helix_mix",
        True,
        "helix_mix",
        {"required": ["company", "knowledge_institution", "government"]},
        "Every kind needed: company, knowledge institution, government body.",
        severity=ADVISORY,
    )


def test_helix_mix_fails_naming_the_kinds_missing() -> None:
    rule = HelixMix(severity=ADVISORY)
    assert rule.check([coordinator(company(1)), partner(company(2))]) == outcome(
        "helix_mix",
        False,
        "helix_kinds_missing",
        {
            "required": ["company", "knowledge_institution", "government"],
            "missing": ["knowledge_institution", "government"],
        },
        "The mix needs a knowledge institution and a government body as well.",
        2,
        ADVISORY,
    )


def test_helix_mix_of_a_subset_asks_only_for_it() -> None:
    rule = HelixMix(severity=HARD, kinds=frozenset({COMPANY, GOVERNMENT}))
    assert rule.check([coordinator(company(1)), partner(government(2))]).passed
    assert rule.check([coordinator(company(1)), partner(knowledge(2))]) == outcome(
        "helix_mix",
        False,
        "helix_kinds_missing",
        {"required": ["company", "government"], "missing": ["government"]},
        "The mix needs a government body as well.",
        1,
    )


# -- SMEs --------------------------------------------------------------------------------------------------


def test_min_smes_passes_with_enough_smes() -> None:
    rule = MinSmes(severity=HARD, min=1)
    assert rule.check([coordinator(company(1, sme=True))]) == outcome(
        "min_smes", True, "enough_smes", {"min": 1, "count": 1, "unknown": 0}, "1 SMEs."
    )


def test_min_smes_does_not_count_an_unknown_status_and_says_so() -> None:
    rule = MinSmes(severity=ADVISORY, min=2)
    members = [
        coordinator(company(1, sme=True)),
        partner(company(2, sme=None)),
        partner(company(3, sme=False)),
    ]
    assert rule.check(members) == outcome(
        "min_smes",
        False,
        "too_few_smes",
        {"min": 2, "count": 1, "unknown": 1},
        "At least 2 SMEs are needed; the consortium has 1 (1 companies' SME status is unknown).",
        1,
        ADVISORY,
    )


# -- countries ---------------------------------------------------------------------------------------------


def test_min_countries_passes_with_enough_distinct_countries() -> None:
    rule = MinCountries(severity=HARD, min=2)
    members = [
        coordinator(company(1, country="BE")),
        partner(company(2, country="FR")),
        partner(knowledge(3)),
    ]
    assert rule.check(members) == outcome(
        "min_countries",
        True,
        "enough_countries",
        {"min": 2, "count": 2, "countries": ["BE", "FR"], "among": "", "independent": False, "unknown": 0},
        "Members from 2 countries.",
    )


def test_min_countries_fails_counting_only_the_countries_of_the_set() -> None:
    rule = MinCountries(
        severity=HARD, min=3, among=frozenset({"BE", "FR", "DE"}), among_name="eu_member_states"
    )
    members = [
        coordinator(company(1, country="BE")),
        partner(company(2, country="US")),
        partner(company(3, country="")),
    ]
    assert rule.check(members) == outcome(
        "min_countries",
        False,
        "too_few_countries",
        {
            "min": 3,
            "count": 1,
            "countries": ["BE"],
            "among": "eu_member_states",
            "independent": False,
            "unknown": 1,
        },
        "At least 3 members in different countries (eu member states) are needed; the consortium has 1.",
        2,
    )


def test_min_countries_of_independent_members_counts_a_group_in_two_countries_once() -> None:
    members = [
        coordinator(company(1, country="BE", group="acme")),
        partner(company(2, country="FR", group="acme")),
        partner(knowledge(3, country="BE")),
    ]
    assert MinCountries(severity=HARD, min=2).check(members).params["count"] == 2
    independent = MinCountries(severity=HARD, min=3, independent=True)
    assert independent.check(members) == outcome(
        "min_countries",
        False,
        "too_few_countries",
        {"min": 3, "count": 2, "countries": ["BE", "FR"], "among": "", "independent": True, "unknown": 0},
        "At least 3 independent members in different countries are needed; the consortium has 2.",
        1,
    )


def test_min_countries_of_independent_members_finds_the_best_assignment() -> None:
    # acme is in BE and FR, the university in BE only: acme takes FR, the university BE.
    members = [
        coordinator(company(1, country="BE", group="acme")),
        partner(company(2, country="FR", group="acme")),
        partner(knowledge(3, country="BE")),
    ]
    assert MinCountries(severity=HARD, min=2, independent=True).check(members).passed


@given(st.lists(st.frozensets(st.sampled_from("ABCD"), min_size=1, max_size=3), max_size=5))
def test_the_country_assignment_equals_brute_force(options: list[frozenset[str]]) -> None:
    best = 0
    for picks in itertools.product(*[[None, *sorted(o)] for o in options]):
        chosen = [c for c in picks if c is not None]
        if len(chosen) == len(set(chosen)):
            best = max(best, len(chosen))
    assert _max_matching(options) == best


def test_country_in_passes_with_a_member_in_the_set() -> None:
    rule = CountryIn(severity=ADVISORY, countries=frozenset({"LU"}))
    assert rule.check([coordinator(company(1, country="LU"))]) == outcome(
        "country_in", True, "in_countries", {"min": 1, "count": 1, "countries": ["LU"]}, "1 members in LU.",
        severity=ADVISORY,
    )  # fmt: skip


def test_country_in_fails_naming_the_set() -> None:
    rule = CountryIn(severity=HARD, countries=frozenset({"BE", "FR"}), countries_name="eu_member_states")
    assert rule.check([coordinator(company(1, country="NO"))]) == outcome(
        "country_in",
        False,
        "too_few_in_countries",
        {"min": 1, "count": 0, "countries": "eu_member_states"},
        "At least 1 members must be established in eu member states; the consortium has 0.",
        1,
    )


# -- coordinator, duplicates, roles ------------------------------------------------------------------------


def test_one_coordinator_passes() -> None:
    assert OneCoordinator(severity=HARD).check([coordinator(company(1)), partner(company(2))]) == outcome(
        "one_coordinator", True, "one_coordinator", {"organisations": [1]}, "One coordinator."
    )


def test_a_consortium_without_a_coordinator_fails() -> None:
    assert OneCoordinator(severity=HARD).check([partner(company(1))]) == outcome(
        "one_coordinator",
        False,
        "no_coordinator",
        {"organisations": []},
        "The consortium needs a coordinator.",
        1,
    )


def test_a_consortium_with_two_coordinators_fails() -> None:
    members = [coordinator(company(2)), coordinator(company(1)), partner(company(3))]
    assert OneCoordinator(severity=HARD).check(members) == outcome(
        "one_coordinator",
        False,
        "several_coordinators",
        {"organisations": [1, 2]},
        "A consortium has one coordinator; this one has 2.",
    )


def test_no_duplicates_passes_and_fails_naming_the_organisations() -> None:
    rule = NoDuplicates(severity=HARD)
    assert rule.check([coordinator(company(1)), partner(company(2))]) == outcome(
        "no_duplicates", True, "no_organisation_twice", {"organisations": []}, "No organisation twice."
    )
    members = [
        coordinator(company(1)),
        partner(company(2)),
        partner(company(1)),
        Member(company(2), Role.SUBCONTRACTOR),
    ]
    assert rule.check(members) == outcome(
        "no_duplicates",
        False,
        "organisation_twice",
        {"organisations": [1, 2]},
        "An organisation takes part once: 1, 2 appear(s) more than once.",
    )


def test_a_city_host_must_be_a_government() -> None:
    rule = RoleKind(severity=HARD, role=Role.CITY_HOST, kinds=frozenset({GOVERNMENT}))
    assert rule.check([Member(government(1), Role.CITY_HOST), partner(company(2))]) == outcome(
        "role_kind",
        True,
        "role_kind",
        {"role": "city_host", "kinds": ["government"], "organisations": []},
        "Every city host is a fitting kind.",
    )
    assert rule.check([Member(company(2), Role.CITY_HOST)]) == outcome(
        "role_kind",
        False,
        "role_kind_mismatch",
        {"role": "city_host", "kinds": ["government"], "organisations": [2]},
        "A city host must be a government body: 2 is not.",
    )


def test_role_present_passes_and_fails_with_the_shortfall() -> None:
    rule = RolePresent(severity=HARD, role=Role.CITY_HOST)
    assert rule.check([Member(government(1), Role.CITY_HOST)]) == outcome(
        "role_present", True, "role_present", {"role": "city_host", "min": 1, "count": 1}, "1 city host(s)."
    )
    assert rule.check([coordinator(government(1))]) == outcome(
        "role_present",
        False,
        "role_missing",
        {"role": "city_host", "min": 1, "count": 0},
        "The consortium needs at least 1 city host(s); it has 0.",
        1,
    )


def test_roles_allowed_passes_and_fails_naming_the_roles() -> None:
    rule = RolesAllowed(severity=HARD, roles=frozenset({Role.COORDINATOR, Role.PARTNER}))
    assert rule.check([coordinator(company(1))]) == outcome(
        "roles_allowed",
        True,
        "roles_allowed",
        {"allowed": ["coordinator", "partner"]},
        "Every role is allowed.",
    )
    members = [
        coordinator(company(1)),
        Member(government(3), Role.CITY_HOST),
        Member(company(2), Role.SUBCONTRACTOR),
    ]
    assert rule.check(members) == outcome(
        "roles_allowed",
        False,
        "role_not_allowed",
        {
            "allowed": ["coordinator", "partner"],
            "roles": ["subcontractor", "city_host"],
            "organisations": [2, 3],
        },
        "This kind of project has no subcontractor, city host.",
    )


# -- a whole check -----------------------------------------------------------------------------------------


def test_a_check_tells_hard_failures_from_advice() -> None:
    rules = [
        MinOrganisations(severity=HARD, min=2),
        HelixMix(severity=ADVISORY),
        OneCoordinator(severity=HARD),
    ]
    check = check_consortium([coordinator(company(1))], rules)
    assert check == ConsortiumCheck(tuple(rule.check([coordinator(company(1))]) for rule in rules))
    assert [o.rule for o in check.failures] == ["min_organisations"]
    assert [o.rule for o in check.advice] == ["helix_mix"]
    assert check.passed is False
    assert check.problems() == (
        Problem(
            "consortium.too_few_organisations",
            {"min": 2, "count": 1, "distinct_groups": False},
            "At least 2 independent organisations are needed; the consortium has 1.",
        ),
    )


def test_a_check_with_only_advice_failing_passes() -> None:
    check = check_consortium(
        [coordinator(company(1))], [HelixMix(severity=ADVISORY), OneCoordinator(severity=HARD)]
    )
    assert (check.passed, check.problems(), len(check.advice)) == (True, (), 1)


# -- rules from data ---------------------------------------------------------------------------------------

SETS = {"eu": frozenset({"BE", "FR", "GR"})}


@pytest.mark.parametrize(
    ("entry", "rule"),
    [
        ({"rule": "min_organisations", "severity": "hard", "min": 3, "distinct_groups": True},
         MinOrganisations(severity=HARD, min=3, distinct_groups=True)),
        ({"rule": "public_private", "severity": "advisory", "public_kinds": ["government"]},
         PublicPrivate(severity=ADVISORY, public_kinds=frozenset({GOVERNMENT}))),
        ({"rule": "helix_mix", "severity": "advisory"}, HelixMix(severity=ADVISORY, kinds=TRIPLE_HELIX)),
        ({"rule": "min_smes", "severity": "hard", "min": 2, "roles": ["coordinator", "partner"]},
         MinSmes(severity=HARD, min=2, roles=frozenset({Role.COORDINATOR, Role.PARTNER}))),
        ({"rule": "min_countries", "severity": "hard", "min": 3, "among": "eu", "independent": True},
         MinCountries(severity=HARD, min=3, among=SETS["eu"], among_name="eu", independent=True)),
        ({"rule": "country_in", "severity": "hard", "countries": ["lu", "EL"]},
         CountryIn(severity=HARD, countries=frozenset({"LU", "GR"}))),
        ({"rule": "country_in", "severity": "hard", "countries": "eu", "min": 2},
         CountryIn(severity=HARD, countries=SETS["eu"], countries_name="eu", min=2)),
        ({"rule": "one_coordinator", "severity": "hard", "basis": "why"}, OneCoordinator(severity=HARD)),
        ({"rule": "no_duplicates", "severity": "hard"}, NoDuplicates(severity=HARD)),
        ({"rule": "role_kind", "severity": "hard", "role": "knowledge_partner",
          "kinds": ["knowledge_institution"]},
         RoleKind(severity=HARD, role=Role.KNOWLEDGE_PARTNER, kinds=frozenset({KNOWLEDGE}))),
        ({"rule": "role_present", "severity": "advisory", "role": "city_host", "min": 2},
         RolePresent(severity=ADVISORY, role=Role.CITY_HOST, min=2)),
        ({"rule": "roles_allowed", "severity": "hard", "roles": ["coordinator"]},
         RolesAllowed(severity=HARD, roles=frozenset({Role.COORDINATOR}))),
    ],
)  # fmt: skip
def test_a_rule_is_read_from_its_entry(entry: dict[str, object], rule: object) -> None:
    assert rule_from_data(entry, SETS) == rule


def test_a_rule_keeps_its_basis() -> None:
    rule = rule_from_data({"rule": "no_duplicates", "severity": "hard", "basis": "issue 14"}, SETS)
    assert rule.basis == "issue 14"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"rule": "max_organisations", "severity": "hard"}, "unknown rule kind 'max_organisations'"),
        ({"rule": "min_smes", "severity": "blocking", "min": 1}, "severity must be hard or advisory"),
        ({"rule": "min_smes", "severity": "hard"}, "'min' is required"),
        ({"rule": "min_smes", "severity": "hard", "min": -1}, "'min' must be a whole number >= 0"),
        ({"rule": "min_smes", "severity": "hard", "min": True}, "'min' must be a whole number >= 0"),
        ({"rule": "min_smes", "severity": "hard", "min": 1, "max": 3}, "unknown params ['max']"),
        ({"rule": "min_organisations", "severity": "hard", "min": 1, "distinct_groups": "yes"},
         "'distinct_groups' must be true or false"),
        ({"rule": "helix_mix", "severity": "hard", "kinds": ["company", "federation"]}, "'kinds'"),
        ({"rule": "helix_mix", "severity": "hard", "kinds": "company"}, "'kinds' must be a list of strings"),
        ({"rule": "helix_mix", "severity": "hard", "roles": ["sponsor"]}, "'roles'"),
        ({"rule": "role_present", "severity": "hard", "role": "sponsor"}, "'role' must be a role"),
        ({"rule": "country_in", "severity": "hard", "countries": "asean"}, "no country set 'asean'"),
        ({"rule": "country_in", "severity": "hard"}, "'countries' is required"),
        ({"rule": "min_countries", "severity": "hard", "min": 2, "among": 3}, "'among' must be a list"),
        ({"rule": "one_coordinator", "severity": "hard", "roles": ["partner"]}, "unknown params ['roles']"),
    ],
)  # fmt: skip
def test_a_wrong_entry_is_refused(entry: dict[str, object], message: str) -> None:
    with pytest.raises(RuleDataError, match=message.replace("[", r"\[").replace("]", r"\]")):
        rule_from_data(entry, SETS)
