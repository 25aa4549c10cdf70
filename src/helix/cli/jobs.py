"""``helix jobs``: look after background jobs (fail those of dead workers, delete expired files)."""

from __future__ import annotations

import click

from helix.cli import setup_django


@click.group()
def jobs() -> None:
    """Background jobs: sweep those whose worker died, purge expired files."""


@jobs.command("sweep")
def sweep_command() -> None:
    """Fail running jobs whose worker stopped (no heartbeat for HELIX_JOB_STALE_SECONDS, or a dead worker
    process on this machine) and remove their temporary files. The worker does this on its own."""
    setup_django()
    from helix.jobs.services import sweep_stale_jobs

    failed = sweep_stale_jobs()
    ids = ", ".join(f"#{pk}" for pk in failed)
    click.echo(f"{len(failed)} job(s) failed because their worker stopped" + (f": {ids}" if ids else ""))


@jobs.command("purge")
def purge_command() -> None:
    """Delete export files and uploads older than HELIX_FILE_RETENTION_DAYS; each job notes that its files
    expired. The worker runs this once a day."""
    setup_django()
    from helix.jobs.worker import run_purge_job

    job = run_purge_job()
    job.refresh_from_db()
    click.echo(job.message)
