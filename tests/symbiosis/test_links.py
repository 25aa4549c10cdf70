"""Integration: the job page of a matching or an allocation links to its result (helix.symbiosis.links)."""

from __future__ import annotations

import pytest

from helix.jobs.models import Job
from helix.symbiosis.models import AllocationRun
from tests.helpers.clients import page_client
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_after_propose_exchanges_the_job_page_links_to_the_proposals(
    django_capture_on_commit_callbacks,
) -> None:
    w = world()
    client = page_client(w.staff)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/symbiosis/match/", {"region": ""})
    job = Job.objects.get(kind="symbiosis-match")
    assert started.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "succeeded"
    page = client.get(started.url).content.decode()
    assert 'class="button job-result" href="/symbiosis/synergies/?state=proposed"' in page
    assert "See the proposed exchanges" in page


def test_after_an_allocation_the_job_page_links_to_it(django_capture_on_commit_callbacks) -> None:
    w = world()
    client = page_client(w.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/symbiosis/allocate/", {"region": "", "fixed_cost_per_link": "0"})
    run = AllocationRun.objects.get()
    page = client.get(f"/jobs/{run.job_id}/").content.decode()
    assert f'href="/symbiosis/allocations/{run.pk}/"' in page
    assert "See the allocation" in page
