"""Integration: the fund's rule "only clusters with an adopted roadmap" (the call definition's
``cluster_has_roadmap`` rule, helix.calls.convert.cluster_has_roadmap) fails for an application to a call of
a cluster whose roadmap is not adopted yet and passes once the roadmap is adopted through the services;
revising the roadmap keeps the adoption."""

from __future__ import annotations

import datetime as dt

import pytest

from helix.calls import convert
from helix.calls import services as calls
from helix.calls.models import Application, CallStatus
from helix.core.calls.eligibility import RuleKind
from tests.factories.calls import seed_definition
from tests.roadmaps.conftest import build_roadmap, move_through

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ON = dt.date(2027, 3, 1)


def _roadmap_rule(application):  # type: ignore[no-untyped-def]
    judged = calls.eligibility_of(Application.objects.get(pk=application.pk), ON)  # read afresh
    (outcome,) = [o for o in judged.outcomes if o.kind is RuleKind.CLUSTER_HAS_ROADMAP]
    return judged.eligible, outcome.passed, outcome.code


def test_the_cluster_has_roadmap_rule_passes_once_the_roadmap_is_adopted(rw):  # type: ignore[no-untyped-def]
    definition = seed_definition(key="h2-fund")
    definition["rules"] = [
        {"kind": "cluster_has_roadmap"},
        {"kind": "membership_level", "at_least": "member", "who": "lead"},
    ]
    call = calls.create_call(rw.users["staff"], rw.cluster, definition)
    call = calls.move_call(rw.users["staff"], call, CallStatus.OPEN)
    application = calls.start_application(rw.users["acme"], call, rw.orgs["acme"], "Electrolysers at scale")
    roadmap = build_roadmap(rw, starts_on=dt.date(2027, 1, 1))

    assert (convert.cluster_has_roadmap(call), _roadmap_rule(application)) == (
        False,
        (False, False, "eligibility.cluster_has_roadmap.failed"),
    )
    move_through(rw, roadmap, "consultation")  # in consultation: not adopted yet
    assert _roadmap_rule(application) == (False, False, "eligibility.cluster_has_roadmap.failed")

    move_through(rw, roadmap, "adopted")

    call.cluster.refresh_from_db()
    assert (convert.cluster_has_roadmap(call), _roadmap_rule(application)) == (
        True,
        (True, True, "eligibility.cluster_has_roadmap.passed"),
    )
    move_through(rw, roadmap, "revised")  # a revision keeps the adopted roadmap
    assert _roadmap_rule(application) == (True, True, "eligibility.cluster_has_roadmap.passed")
