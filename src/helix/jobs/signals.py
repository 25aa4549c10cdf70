"""Signals of the jobs app, and the note of which task is running (for retries).

``job_abandoned`` is sent (sender: the Job class, ``job=``) after a job whose worker died was marked
failed; apps whose runs keep a status of their own (an event's schedule run) mark it failed too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

job_abandoned = Signal()


@dataclass(frozen=True)
class RunningTask:
    task_path: str
    args: list[Any]
    kwargs: dict[str, Any]
    task_id: str


_current = threading.local()


def current_task() -> RunningTask | None:
    """The django-tasks task this thread is running, if any (set by the task_started signal)."""
    return getattr(_current, "task", None)


def remember_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _current.task = RunningTask(
        task_result.task.module_path, list(task_result.args), dict(task_result.kwargs), str(task_result.id)
    )


def forget_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _current.task = None
