"""``helix serve``, ``helix worker`` and ``helix manage``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from helix.cli import setup_django


def _default_workers() -> int:
    from helix.config import setting

    configured = setting("HELIX_WEB_WORKERS").read_int(unset=0)
    # Two per core: a process busy with a long request (a listing's suggestions) holds its interpreter,
    # and the other process on the same core answers meanwhile (bench/load: profile p95 118 -> 93 ms
    # against one per core with 4 threads).
    return configured if configured > 0 else 2 * max(1, os.cpu_count() or 1)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Processes answering requests [default: $HELIX_WEB_WORKERS, else two per CPU core].",
)
@click.option(
    "--threads",
    type=int,
    default=None,
    help="Requests each process answers at once [default: $HELIX_WEB_THREADS, 2].",
)
@click.option("--no-worker", is_flag=True, help="Do not start the background worker beside the web server.")
def serve(host: str, port: int, workers: int | None, threads: int | None, no_worker: bool) -> None:
    """Serve Helix with gunicorn (several processes, static files by whitenoise) and a background worker.

    Ctrl+C (SIGINT/SIGTERM) stops gracefully: requests in progress finish. SIGHUP reloads the code and
    settings with new processes, without dropping a connection."""
    from helix.config import setting

    workers = workers if workers is not None else _default_workers()
    threads = threads if threads is not None else setting("HELIX_WEB_THREADS").read_int(unset=2)
    if workers < 1 or threads < 1:
        raise click.BadParameter("workers and threads must be at least 1")
    if workers > 1 and not setting("HELIX_CACHE_DIR").read().strip():
        # Several processes share the rate-limit counts and the page cache's version through files; the
        # background worker (started below, same environment) too, so its writes end cached pages.
        var_dir = Path(setting("HELIX_VAR_DIR").read())
        os.environ["HELIX_CACHE_DIR"] = str(var_dir / "cache")
    setup_django()
    from helix.wsgi import application

    worker = None
    if not no_worker:
        worker = subprocess.Popen([sys.executable, "-m", "helix.cli", "worker"])
    click.echo(
        f"Helix is serving on http://{host}:{port}/  "
        f"({workers} processes x {threads} threads; Ctrl+C to stop)"
    )
    try:
        _Gunicorn(
            application,
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                # gthread: keep-alive connections, and a process answers `threads` requests at once.
                "worker_class": "gthread",
                "keepalive": 5,
                "timeout": 120,  # a process silent this long (stuck) is replaced
                "graceful_timeout": 30,
                # The application is imported once, before the processes are forked: they start at once
                # and share its memory.
                "preload_app": True,
                "control_socket_disable": True,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "helix",
                "post_worker_init": _warm_up,
            },
        ).run()
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=10)


def _warm_up(_worker: Any) -> None:
    """In each new process, before it takes a request: read the directory index and the match engine,
    so that no visitor waits for them (seconds at 20,000 organisations)."""
    import gc
    import logging

    from django.db import connections

    try:
        from helix.market.engine import get_engine
        from helix.registry.search import directory_index

        directory_index()
        get_engine()
        # What was read lives as long as the process: kept out of the garbage collector's full scans
        # (a third of the matching time at 20,000 organisations went to them).
        gc.freeze()
    except Exception:  # a cold start is slower, not broken: the first request reads them instead
        logging.getLogger("helix").warning("warming up the server process failed", exc_info=True)
    finally:
        connections.close_all()


def _Gunicorn(application: Any, options: dict[str, Any]) -> Any:  # noqa: N802 (builds a class instance)
    """gunicorn run from Python with Helix's WSGI application and options (no gunicorn command line)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    return Server()


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
