"""Integration: matching and allocation run as background jobs (helix.symbiosis.tasks) and keep their result;
a failed allocation leaves the last good one."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, TestCase

from helix.symbiosis import allocation, matching
from helix.symbiosis.models import AllocationRun
from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class BackgroundRuns(TestCase):
    def test_matching_and_allocation_run_as_jobs_and_keep_their_result(self) -> None:
        w = world()
        with self.captureOnCommitCallbacks(execute=True):
            job = matching.start_matching(w.staff, "")
        job.refresh_from_db()
        assert job.status == "succeeded"
        assert job.result["proposals"] >= 2
        with self.captureOnCommitCallbacks(execute=True):
            run = allocation.start_allocation(w.staff, "")
        run.refresh_from_db()
        best, greedy = run.result["optimal"], run.result["greedy"]
        assert best["optimal"]
        assert best["cost_eur"] <= greedy["cost_eur"] < 0
        assert {(a["have"], a["want"]) for a in best["assignments"]} >= {(w.slag.pk, w.slag_want.pk)}
        c = Client()
        c.force_login(w.staff)
        page = c.get(f"/symbiosis/allocations/{run.pk}/").content.decode()
        assert "Greedy nearest match" in page
        assert "Blast furnace slag" in page
        with pytest.raises(PermissionDenied):
            allocation.start_allocation(w.steel_user, "")

    def test_a_failed_allocation_leaves_the_last_good_one(self) -> None:
        w = world()
        with self.captureOnCommitCallbacks(execute=True):
            good = allocation.start_allocation(w.staff, "")
        good.refresh_from_db()
        from helix.core.symbiosis import AllocationError
        from helix.jobs.services import run_job

        def crashing_solver(*args: object, **kwargs: object) -> None:
            raise AllocationError("solver crashed")

        run = allocation.start_allocation(w.staff, "")  # queued; its job runs here with a solver that fails
        with pytest.raises(AllocationError):
            run_job(run.job_id, lambda progress: allocation.run_allocation(run.pk, progress, crashing_solver))
        failed = AllocationRun.objects.exclude(pk=good.pk).get()
        assert failed.job.status == "failed"
        assert "solver crashed" in failed.job.error
        assert failed.result == {}
        good.refresh_from_db()
        assert good.result["optimal"]["assignments"]
