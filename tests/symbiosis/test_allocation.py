"""Integration: allocation runs (helix.symbiosis.allocation) leave out the pairs their parties dropped, and
refuse a fixed cost that is not a number."""

from __future__ import annotations

import math

import pytest
from django.core.exceptions import ValidationError

from helix.symbiosis import allocation, matching, synergy_workflow
from helix.symbiosis.models import AllocationRun, Synergy
from tests.helpers.clients import messages_of, page_client
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_allocation_leaves_out_pairs_their_parties_dropped() -> None:
    w = world()
    matching.run_matching()
    slag = Synergy.objects.get(have=w.slag, want=w.slag_want)
    run = AllocationRun.objects.create(region="")
    allocation.run_allocation(run.pk)
    run.refresh_from_db()
    pairs = {(a["have"], a["want"]) for a in run.result["optimal"]["assignments"]}
    assert (w.slag.pk, w.slag_want.pk) in pairs
    synergy_workflow.move(w.cement_user, slag, "dropped", "chloride content too high")
    again = AllocationRun.objects.create(region="")
    allocation.run_allocation(again.pk)
    again.refresh_from_db()
    pairs = {(a["have"], a["want"]) for a in again.result["optimal"]["assignments"]}
    assert (w.slag.pk, w.slag_want.pk) not in pairs
    assert (w.heat.pk, w.heat_want.pk) in pairs


def test_an_allocation_run_with_a_fixed_cost_that_is_not_a_number_is_refused():
    w = world()

    response = page_client(w.staff).post("/symbiosis/allocate/", {"fixed_cost_per_link": "nan"}, follow=True)

    assert messages_of(response) == ["The fixed cost per link must be a number of at least zero."]
    assert AllocationRun.objects.count() == 0
    with pytest.raises(ValidationError) as refused:
        allocation.start_allocation(w.staff, "", math.inf)
    assert refused.value.message_dict == {"fixed_cost_per_link": ["Give a number from 0 to 1e+15."]}
