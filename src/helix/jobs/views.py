from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.jobs.models import Job, JobStatus
from helix.jobs.permissions import can_retry_job, can_view_job
from helix.jobs.services import RetryCheck, RetryRefusal, check_retry, retry_job, sweep_job


def _visible_job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if not can_view_job(request.user, job):
        raise Http404  # someone else's job, or a system job: as if it did not exist
    return job


def refusal_text(check: RetryCheck) -> str:
    names = ", ".join(check.missing)
    return {
        RetryRefusal.NOT_FAILED: _("Only a failed job can be retried."),
        RetryRefusal.UNKNOWN_TASK: _("This job cannot be run again: its task is not known."),
        RetryRefusal.INPUT_FILE_GONE: _(
            "This job cannot be run again: its file (%(names)s) was removed. Upload it again."
        ),
        RetryRefusal.INPUT_OBJECT_GONE: _("This job cannot be run again: its %(names)s no longer exists."),
    }[check.refusal] % {"names": names} if check.refusal else ""


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress; htmx polls the progress fragment until the job has finished. A running job
    whose worker died is failed here, so the page never waits for ever."""
    job = _visible_job(request, pk)
    if job.status == JobStatus.RUNNING:
        job = sweep_job(job)
    retry = None
    if job.status == JobStatus.FAILED and can_retry_job(request.user, job):
        retry = check_retry(job)
    context = {"job": job, "retry": retry, "retry_refusal": refusal_text(retry) if retry else ""}
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"
    return render(request, template, context)


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed job again with the same arguments, or say why it cannot be."""
    job = _visible_job(request, pk)
    if not can_retry_job(request.user, job):
        raise Http404
    check = retry_job(request.user, job)
    if check.ok:
        messages.success(request, _("The job was queued again."))
    else:
        messages.error(request, refusal_text(check))
    return redirect("jobs:detail", job.pk)
