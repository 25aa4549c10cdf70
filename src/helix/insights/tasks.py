"""Background tasks of insights: a cluster's report (HTML and PDF), with its progress on the job."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django_tasks import task

from helix.audit.context import TASK, acting_as, job_actor
from helix.jobs.services import run_job
from helix.private_files import private_path

JOB_KIND = "insights.report"


def report_path(job_id: int, fmt: str) -> Path:
    """Where a report job writes its file: private storage; only the download view reads it (with its
    permission checks). Deleted after HELIX_FILE_RETENTION_DAYS (jobs.purge)."""
    return private_path("reports", f"job-{job_id}", f"report.{fmt}")


@task()
def build_report(
    job_id: int, cluster_id: int, start: str, end: str, language: str, cycle_id: int | None = None
) -> dict[str, Any]:
    """Build the report of a cluster for a period in one language, as PDF and HTML; with ``cycle_id``,
    the report of that programme cycle (its phases and outputs first)."""
    from helix.core.insights import Period
    from helix.insights import reports
    from helix.registry.models import Cluster

    cluster = Cluster.objects.get(pk=cluster_id)
    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))

    def work(progress: Any) -> dict[str, Any]:
        report = reports.build(cluster, period, language, progress=progress, cycle_id=cycle_id)
        pdf, html = report_path(job_id, "pdf"), report_path(job_id, "html")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(reports.as_pdf(report))
        html.write_text(reports.as_html(report), encoding="utf-8")
        return {"download": True, "cluster": cluster.slug, "title": report.title, "language": language}

    with acting_as(job_actor(job_id), TASK):
        return run_job(
            job_id, work, inputs=[cluster], outputs=[report_path(job_id, "pdf"), report_path(job_id, "html")]
        )


def report_result_link(job: Any) -> Any:
    """The job page of a finished report ends on the download of its PDF."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from helix.jobs.links import ResultLink

    return ResultLink(
        reverse("insights:report_download", args=[job.pk, "pdf"]), _("Download the report (PDF)")
    )
