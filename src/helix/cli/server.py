"""``helix serve``, ``helix worker`` and ``helix manage``."""

from __future__ import annotations

import signal
import subprocess
import sys

import click

from helix.cli import setup_django


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="Do not start the background worker beside the web server.")
def serve(host: str, port: int, threads: int, no_worker: bool) -> None:
    """Serve Helix (waitress WSGI server, static files by whitenoise) and start a background worker."""
    setup_django()
    from waitress import serve as waitress_serve

    from helix.wsgi import application

    worker = None
    if not no_worker:
        worker = subprocess.Popen([sys.executable, "-m", "helix.cli", "worker"])
    click.echo(f"Helix is serving on http://{host}:{port}/  (Ctrl+C to stop)")
    try:
        waitress_serve(application, host=host, port=port, threads=threads, ident="helix")
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=10)


@click.command()
@click.option("--interval", default=1.0, show_default=True, help="Seconds between polls of the task queue.")
def worker(interval: float) -> None:
    """Run background tasks (imports, re-indexing, optimisation, reports) from the database queue.

    Beside them it fails the jobs of workers that died (at start, then every few seconds) and deletes
    files older than HELIX_FILE_RETENTION_DAYS (once a day)."""
    setup_django()
    from helix.jobs.worker import run_worker

    run_worker(interval=interval)


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (migrate, createsuperuser, …)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["helix manage", *args])
