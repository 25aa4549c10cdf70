"""Progress reporting shared by background tasks and the CLI.

A long operation takes a ``Progress`` callable and calls it as ``progress(done, total, message)``. The
CLI passes one that draws a rich progress bar; a background task passes :class:`JobProgress`, which
writes to the Job row (throttled, so a tight loop does not hammer the database) together with the
job's heartbeat.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from helix.jobs.heartbeat import Beat
from helix.jobs.models import Job

Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str = "") -> None:
    """A progress callback that ignores everything."""


def heartbeat_seconds() -> float:
    """Seconds between heartbeats: a quarter of the stale limit, at most 10 s."""
    return max(0.2, min(10.0, settings.HELIX_JOB_STALE_SECONDS / 4))


class JobProgress:
    """Progress of a job, written with its heartbeat.

    Inside :meth:`beating`, the writes go through a heartbeat thread with a database connection of its
    own, so they are seen at once even while the task holds a transaction open (and they never become
    part of it), and the heartbeat goes on while the task computes without reporting. Outside it (a task
    run inside the caller's transaction: tests, the immediate backend), they are written directly.
    """

    def __init__(self, job: Job, every_seconds: float = 0.5) -> None:
        self.job = job
        self.every = every_seconds
        self._last = 0.0
        self._pending: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._beat: Beat | None = None

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.every:
            return
        self._last = now
        with self._lock:
            self._pending = {"done": done, "total": total, "message": message[:300]}
        if self._beat is not None:
            self._beat.poke()
        else:
            self._write()

    def _write(self) -> None:
        """Write the heartbeat and the latest progress; progress that failed to be written (a locked
        database) stays pending for the next beat."""
        with self._lock:
            fields = self._pending
        Job.objects.filter(pk=self.job.pk).update(heartbeat_at=timezone.now(), **fields)
        with self._lock:
            if self._pending is fields:
                self._pending = {}

    @contextmanager
    def beating(self) -> Iterator[JobProgress]:
        """Keep the heartbeat going while the block runs (only outside a transaction: a thread's writes
        to a row the caller's open transaction created would wait for it)."""
        if transaction.get_connection().in_atomic_block:
            yield self
            return
        self._beat = Beat(self._write, heartbeat_seconds()).start()
        try:
            yield self
        finally:
            beat, self._beat = self._beat, None
            beat.stop()
