"""The housekeeping that ``helix worker`` does beside running tasks: fail the jobs of dead workers (when it
starts, then every few seconds), delete expired files (once a day), and run the other apps' rounds listed
in ``HELIX_HOUSEKEEPING`` (e-mail retries, the daily digest, reminders; each decides itself how often it
does real work).

It runs in a thread of its own with its own database connection, so it goes on while a long task runs,
and each of its writes is a short statement: on SQLite it never holds the write lock for long, and it
skips a round rather than wait for the lock of a task's transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone
from django.utils.module_loading import import_string

from helix.jobs.heartbeat import quick_to_give_up
from helix.jobs.models import Job, JobStatus
from helix.jobs.services import create_job, purge_expired_files, sweep_stale_jobs

logger = logging.getLogger(__name__)

PURGE_KIND = "jobs.purge"
PURGE_EVERY = dt.timedelta(days=1)


def sweep_seconds() -> float:
    """Seconds between sweeps: half the stale limit, at most a minute."""
    return max(0.5, min(60.0, settings.HELIX_JOB_STALE_SECONDS / 2))


def purge_due(now: dt.datetime | None = None) -> bool:
    """True when no purge ran in the last day (any worker's: the last one is a Job row)."""
    now = now or timezone.now()
    return not Job.objects.filter(kind=PURGE_KIND, created_at__gte=now - PURGE_EVERY).exists()


def run_purge_job() -> Job:
    """Delete expired files, recorded as a system job (visible to superusers, with its summary)."""
    job = create_job(PURGE_KIND, "Delete expired files")
    report = purge_expired_files()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED,
        done=report.files,
        total=report.files,
        message=report.summary()[:300],
        result={"jobs": report.jobs, "files": report.files, "uploads": report.uploads},
    )
    return job


def housekeeping_round() -> None:
    """One round: sweep stale jobs, purge expired files when a day has passed since the last purge, then
    each of ``HELIX_HOUSEKEEPING`` (one failing is logged and does not stop the others)."""
    failed = sweep_stale_jobs()
    if failed:
        logger.warning("failed %d job(s) whose worker stopped: %s", len(failed), failed)
    if purge_due():
        job = run_purge_job()
        logger.info("purge: %s", Job.objects.get(pk=job.pk).message)
    for path in settings.HELIX_HOUSEKEEPING:  # other apps' rounds: due e-mail retries, the daily digest
        try:
            import_string(path)()
        except DatabaseError:
            raise
        except Exception:
            logger.exception("housekeeping %s failed", path)


class Housekeeper:
    """A daemon thread running :func:`housekeeping_round` every :func:`sweep_seconds`."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="helix-housekeeping", daemon=True)

    def start(self) -> Housekeeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(sweep_seconds()):
                try:
                    close_old_connections()  # a dropped or expired connection is replaced
                    quick_to_give_up()
                    housekeeping_round()
                except DatabaseError as exc:  # locked by a task's transaction: next round
                    logger.debug("housekeeping skipped: %s", exc)
                    connections.close_all()
                except Exception:
                    logger.exception("housekeeping round failed")
        finally:
            connections.close_all()


def run_worker(interval: float = 1.0) -> None:
    """Sweep once, start the housekeeping thread, then run the django-tasks database worker."""
    from django.core.management import call_command

    try:
        housekeeping_round()
    except DatabaseError as exc:  # the database is busy: the housekeeping thread tries again shortly
        logger.warning("housekeeping at start skipped: %s", exc)
    connections.close_all()
    housekeeper = Housekeeper().start()
    try:
        call_command("db_worker", interval=interval)
    finally:
        housekeeper.stop()
