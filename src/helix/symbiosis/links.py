"""Where the job page of a matching or an allocation run leads once it has succeeded (helix.jobs.links):
the proposed exchanges, or the allocation the run computed."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from helix.jobs.links import ResultLink


def matching_result_link(job: Any) -> ResultLink:
    """A matching run ends on the proposed exchanges."""
    return ResultLink(f"{reverse('symbiosis:synergies')}?state=proposed", _("See the proposed exchanges"))


def allocation_result_link(job: Any) -> ResultLink | None:
    """An allocation run ends on its allocation."""
    from helix.symbiosis.models import AllocationRun

    run = AllocationRun.objects.filter(job=job).only("pk").first()
    if run is None:
        return None
    return ResultLink(reverse("symbiosis:allocation", args=[run.pk]), _("See the allocation"))
