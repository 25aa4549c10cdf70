"""Unit: the project types shipped as data: each loads, has a coherent lifecycle and the seeds' rules; a
wrong data file is refused with the reason."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from helix.core.projects.budget import FundingRates
from helix.core.projects.consortium import (
    HelixMix,
    Member,
    MinOrganisations,
    NoDuplicates,
    OneCoordinator,
    PublicPrivate,
    Role,
    RoleKind,
    RolesAllowed,
    Severity,
)
from helix.core.projects.lifecycle import CLOSED, IDEA, LIFECYCLES
from helix.core.projects.problems import Problem
from helix.core.projects.types import (
    DATA_FILE,
    ProjectTypeDataError,
    UnknownProjectType,
    country_sets,
    load_project_types,
    project_type,
    project_types,
)

from .helpers import GOVERNMENT, KNOWLEDGE, company, coordinator, government, knowledge, partner

pytestmark = pytest.mark.unit

KEYS = [
    "precluster",
    "flagship",
    "innovation_trajectory",
    "living_lab",
    "working_table",
    "feasibility_study",
    "transformation_study",
    "transformation_business",
    "horizon_collaborative",
]


def test_every_kind_the_seeds_name_is_declared() -> None:
    assert list(project_types()) == KEYS


@pytest.mark.parametrize("key", KEYS)
def test_each_type_has_a_coherent_lifecycle(key: str) -> None:
    workflow = LIFECYCLES[project_type(key).lifecycle]
    moves = {(t.source, t.target) for t in workflow.transitions}
    reached, frontier = {IDEA}, [IDEA]
    while frontier:
        state = frontier.pop()
        for source, target in moves:
            if source == state and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert workflow.initial == IDEA
    assert reached == set(workflow.states)  # every state can be reached
    assert not [t for t in workflow.transitions if t.source == CLOSED]  # closed is the end
    for state in workflow.states:  # and every state can end
        ends, frontier = {state}, [state]
        while frontier:
            here = frontier.pop()
            for source, target in moves:
                if source == here and target not in ends:
                    ends.add(target)
                    frontier.append(target)
        assert CLOSED in ends, state


@pytest.mark.parametrize("key", KEYS)
def test_each_type_has_roles_durations_rates_and_the_common_rules(key: str) -> None:
    t = project_type(key)
    assert Role.COORDINATOR in t.roles
    assert 1 <= t.min_months <= t.max_months
    assert isinstance(t.max_funding_rates, FundingRates)
    assert t.rules[:5] == (
        OneCoordinator(severity=Severity.HARD),
        NoDuplicates(severity=Severity.HARD),
        RoleKind(severity=Severity.HARD, role=Role.CITY_HOST, kinds=frozenset({GOVERNMENT})),
        RoleKind(severity=Severity.HARD, role=Role.KNOWLEDGE_PARTNER, kinds=frozenset({KNOWLEDGE})),
        RolesAllowed(severity=Severity.HARD, roles=t.roles),
    )
    assert all(rule.basis for rule in t.rules)
    assert all([t.name, t.description, t.source, t.months_basis, t.rates_basis])


def test_the_seeds_durations() -> None:
    durations = {key: (t.min_months, t.max_months) for key, t in project_types().items()}
    assert durations["transformation_study"] == (12, 18)  # seed 001: studies of 12 and 18 months
    assert durations["transformation_business"] == (24, 36)  # seed 001: business approaches of 24 and 36


def test_a_flagship_needs_two_organisations_and_favours_a_public_private_partnership() -> None:
    flagship = project_type("flagship")
    assert flagship.rules[5:7] == (
        MinOrganisations(severity=Severity.HARD, min=2),
        PublicPrivate(severity=Severity.ADVISORY),
    )
    alone = flagship.check([coordinator(company(1, country="LU"))])
    assert [o.code for o in alone.failures] == ["consortium.too_few_organisations"]
    pair = flagship.check([coordinator(company(1, country="LU")), partner(company(2, country="LU"))])
    assert (pair.passed, [o.code for o in pair.advice]) == (
        True,
        ["consortium.not_public_private", "consortium.helix_kinds_missing"],
    )


def test_an_innovation_trajectory_needs_a_city_host_and_industry() -> None:
    trajectory = project_type("innovation_trajectory")
    assert (trajectory.expectation(Role.CITY_HOST), trajectory.expectation(Role.KNOWLEDGE_PARTNER)) == (
        Severity.HARD,
        Severity.ADVISORY,
    )
    assert (trajectory.expects_city_host, trajectory.expects_knowledge_partner) == (True, True)
    without_city = trajectory.check([coordinator(company(1)), partner(government(2))])
    assert [o.code for o in without_city.failures] == ["consortium.role_missing"]
    with_city = trajectory.check([coordinator(company(1)), Member(government(2), Role.CITY_HOST)])
    assert with_city.passed


def test_who_expects_a_city_host_or_a_knowledge_partner() -> None:
    expected = {k: (t.expects_city_host, t.expects_knowledge_partner) for k, t in project_types().items()}
    assert expected == {
        "precluster": (False, False),
        "flagship": (False, False),
        "innovation_trajectory": (True, True),
        "living_lab": (True, False),
        "working_table": (False, False),
        "feasibility_study": (False, True),
        "transformation_study": (False, False),
        "transformation_business": (False, False),
        "horizon_collaborative": (False, False),
    }


def test_a_working_table_is_convened_with_industry_and_governments() -> None:
    table = project_type("working_table")
    assert table.lifecycle == "convened"
    assert HelixMix(severity=Severity.HARD, kinds=frozenset({company(1).kind, GOVERNMENT})) in table.rules
    assert table.max_funding_rates == FundingRates(*[Decimal(0)] * 5)  # no subsidy to a working table


def test_a_horizon_project_needs_three_independent_organisations_from_three_countries() -> None:
    horizon = project_type("horizon_collaborative")
    three = [
        coordinator(company(1, country="BE")),
        partner(knowledge(2, country="FR")),
        partner(company(3, country="NO")),
    ]
    assert horizon.check(three).passed
    same_group = [
        coordinator(company(1, country="BE", group="acme")),
        partner(company(2, country="FR", group="acme")),
        partner(company(3, country="NO")),
    ]
    assert [o.code for o in horizon.check(same_group).failures] == [
        "consortium.too_few_organisations",
        "consortium.too_few_countries",
    ]
    outside = [
        coordinator(company(1, country="NO")),
        partner(company(2, country="IS")),
        partner(company(3, country="GB")),
    ]
    assert [o.code for o in horizon.check(outside).failures] == ["consortium.too_few_in_countries"]
    us = [
        coordinator(company(1, country="BE")),
        partner(company(2, country="FR")),
        partner(company(3, country="US")),
    ]
    assert [o.code for o in horizon.check(us).failures] == ["consortium.too_few_countries"]


def test_the_country_sets() -> None:
    sets = country_sets()
    assert len(sets["eu_member_states"]) == 27
    assert (
        sets["horizon_member_or_associated"]
        == sets["eu_member_states"] | sets["horizon_associated_countries"]
    )
    assert {"GR", "LU", "BE"} <= sets["eu_member_states"]
    assert "GB" not in sets["eu_member_states"]


@pytest.mark.parametrize(
    ("months", "problems"),
    [
        (None, (Problem("project.duration_missing", {"months": None, "min": 12, "max": 18},
                        "The project needs a duration (from 12 to 18 months)."),)),
        (11, (Problem("project.duration_too_short", {"months": 11, "min": 12, "max": 18},
                      "A transformation pathway: study lasts from 12 to 18 months; this one 11."),)),
        (12, ()),
        (18, ()),
        (19, (Problem("project.duration_too_long", {"months": 19, "min": 12, "max": 18},
                      "A transformation pathway: study lasts from 12 to 18 months; this one 19."),)),
    ],
)  # fmt: skip
def test_a_duration_within_the_types_bounds(months: int | None, problems: tuple[Problem, ...]) -> None:
    assert project_type("transformation_study").duration_problems(months) == problems


def test_an_unknown_type_is_refused() -> None:
    with pytest.raises(UnknownProjectType):
        project_type("hackathon")


# -- a wrong data file -------------------------------------------------------------------------------------


ZERO_RATES = {"sme": "0", "large": "0", "knowledge_institution": "0", "government": "0", "other": "0"}


def _shipped() -> dict[str, Any]:
    from importlib import resources

    data: dict[str, Any] = json.loads(
        resources.files("helix.core.projects").joinpath(DATA_FILE).read_text("utf-8")
    )
    return data


def _one_type(**changes: object) -> str:
    data = _shipped()
    entry = {**data["types"][1], **changes}
    return json.dumps({**data, "types": [entry]})


def test_the_shipped_file_reads_as_the_loaded_types() -> None:
    assert load_project_types(json.dumps(_shipped())) == project_types()


def test_the_funding_rates_are_read_as_decimals() -> None:
    assert project_type("flagship").max_funding_rates == FundingRates(
        sme=Decimal("0.5"),
        large=Decimal("0.3"),
        knowledge_institution=Decimal(1),
        government=Decimal(1),
        other=Decimal("0.5"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON"),
        (json.dumps({"types": {}}), "types must be a list"),
        (_one_type(lifecycle="eternal"), "unknown lifecycle 'eternal'"),
        (_one_type(roles=["partner"]), "must include the coordinator"),
        (_one_type(roles=["coordinator", "sponsor"]), "'sponsor' is not a valid Role"),
        (_one_type(months={"min": 24, "max": 12, "basis": "x"}), "1 <= min <= max"),
        (_one_type(months={"min": 12, "max": 24}), "'basis' must be a non-empty string"),
        (_one_type(name=""), "'name' must be a non-empty string"),
        (_one_type(max_funding_rates={"sme": "0.5"}), "must give a rate for each of"),
        (_one_type(max_funding_rates={**ZERO_RATES, "sme": "1.5"}),
         "funding rate sme must be a Decimal from 0 to 1"),
        (_one_type(max_funding_rates={**ZERO_RATES, "sme": "half"}), "max_funding_rates"),
        (_one_type(rules=[{"rule": "role_present", "severity": "hard", "role": "city_host"}]),
         "expects a city_host, a role it does not allow"),
        (_one_type(rules=[{"rule": "min_smes", "severity": "hard"}]),
         r"rules\[0\]: rule 'min_smes': 'min' is required"),
        (json.dumps({**_shipped(), "types": [_shipped()["types"][0]] * 2}), "declared twice"),
        (json.dumps({"country_sets": {"x": {"include": ["y"]}}, "types": []}),
         "includes 'y', not declared before"),
        (json.dumps({"country_sets": {"x": {"countries": ["BEL"]}}, "types": []}), "ISO alpha-2"),
    ],
)  # fmt: skip
def test_a_wrong_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(ProjectTypeDataError, match=message):
        load_project_types(text)
