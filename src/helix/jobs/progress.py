"""Progress reporting shared by background tasks and the CLI.

A long operation takes a ``Progress`` callable and calls it as ``progress(done, total, message)``. The
CLI passes one that draws a rich progress bar; a background task passes :class:`JobProgress`, which
writes to the Job row (throttled, so a tight loop does not hammer the database).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from helix.jobs.models import Job

Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str = "") -> None:
    """A progress callback that ignores everything."""


class JobProgress:
    def __init__(self, job: Job, every_seconds: float = 0.5) -> None:
        self.job = job
        self.every = every_seconds
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.every:
            return
        self._last = now
        Job.objects.filter(pk=self.job.pk).update(done=done, total=total, message=message[:300])
