"""Signs of life of the process running a job.

A job records which process runs it (:func:`process_identity`) and a heartbeat that a thread of that
process writes every few seconds, on its own database connection and outside any transaction of the task:
one short ``UPDATE`` by primary key, so on SQLite it holds the write lock for milliseconds, and a beat
that finds the database locked (the task's own long transaction) is skipped rather than waited for.

A job whose heartbeat is older than ``HELIX_JOB_STALE_SECONDS`` is abandoned. On the same machine the
process itself is checked as well: a dead process abandons its jobs at once, and a live one keeps them
even when its heartbeats could not be written (a long SQLite write transaction of the task itself).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

# How long a heartbeat waits for a locked SQLite database before giving up this beat.
BUSY_TIMEOUT_MS = 1000


def _pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid").removeprefix("pid:").strip("[]")
    except OSError:
        return ""


def _start_time(pid: int) -> str:
    """The start time of process ``pid`` (clock ticks since boot, Linux), so a re-used pid is not it."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return ""
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else ""


def process_identity(pid: int | None = None) -> str:
    """``host/pid-namespace/pid/start-time`` of this process: unique while it runs, never re-used."""
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()}/{_pid_namespace()}/{pid}/{_start_time(pid)}"


def process_state(identity: str) -> bool | None:
    """Whether the process named by ``identity`` is running: True or False when it ran on this machine
    (same host and pid namespace), None when this process cannot tell."""
    try:
        host, namespace, pid_text, started = identity.split("/")
        pid = int(pid_text)
    except ValueError:
        return None
    if host != socket.gethostname() or namespace != _pid_namespace() or pid <= 0:
        return None
    if started:  # Linux: the pid must exist and have started at the same time
        return _start_time(pid) == started
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def quick_to_give_up(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Make this thread's connection give up quickly on a locked SQLite database (no effect elsewhere)."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


class Beat:
    """A daemon thread that calls ``write`` every ``every`` seconds and whenever :meth:`poke` is called,
    on a database connection of its own that it closes when stopped. ``write`` must be one short
    autocommit statement; a database error skips the beat."""

    def __init__(self, write: Callable[[], Any], every: float, name: str = "helix-heartbeat") -> None:
        self.write = write
        self.every = every
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Beat:
        self._thread.start()
        return self

    def poke(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Write once more, then end the thread and wait for it (a few seconds at most)."""
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout=BUSY_TIMEOUT_MS / 1000 + 5)

    def _run(self) -> None:
        try:
            try:
                quick_to_give_up()
            except DatabaseError as exc:
                logger.debug("heartbeat connection not ready: %s", exc)
            while True:
                self._wake.wait(self.every)
                self._wake.clear()
                try:
                    self.write()
                except DatabaseError as exc:  # locked, or the connection dropped: try at the next beat
                    logger.debug("heartbeat skipped: %s", exc)
                    connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
                if self._stopping:
                    return
        except Exception:  # never let a heartbeat take the worker down
            logger.exception("heartbeat thread stopped")
        finally:
            connections.close_all()
