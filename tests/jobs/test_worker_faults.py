"""Integration (fault test): a real ``helix worker`` killed with SIGKILL mid-import and mid-optimisation.

On a file-based SQLite database of its own (``HELIX_VAR_DIR`` in a temporary folder, migrated first), the
test queues a registry import and an event's schedule optimisation, kills the worker in the middle of
each, and finds: the job failed with the reason once swept, nothing half-written (no organisation of the
import: it is one transaction), the event's published schedule in place and unchanged, the uploaded file
removed; then, on a new worker, the schedule retried with the same arguments succeeds, the import's retry
is refused because its upload is gone, and the same file uploaded again imports whole.

It reads the database with the standard sqlite3 module and acts through ``tests/jobs/fault_actions.py``
run in fresh processes, as the web server would. About 20-30 s on an idle machine.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration

PROJECT = Path(__file__).resolve().parents[2]
ROWS = 6000  # organisations in the import: its transaction lasts about 1.5 s on an idle machine
TIME_LIMIT = 3.0  # seconds the optimisation searches (it never proves this instance optimal)
WORKER_LOST = "the worker stopped while running this job"
UPLOAD_GONE = "This job cannot be run again: its file (organisations.csv) was removed. Upload it again."


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


@pytest.fixture
def env(var_dir: Path) -> dict[str, str]:
    values = dict(os.environ)
    values.pop("DATABASE_URL", None)  # SQLite, shared by the worker and the "web" processes
    values.update(
        DJANGO_SETTINGS_MODULE="helix.settings",
        HELIX_ENV="development",
        HELIX_VAR_DIR=str(var_dir),
        HELIX_TASKS_IMMEDIATE="false",
        HELIX_JOB_STALE_SECONDS="3",
        HELIX_TEXT_ENCODER="hashing",
        PYTHONPATH=str(PROJECT),
    )
    return values


@pytest.fixture
def workers(env: dict[str, str]) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "helix.cli", "worker", "--interval", "0.1"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def act(env: dict[str, str], *args: Any) -> Any:
    """Run an action of fault_actions.py in a fresh process; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.jobs.fault_actions", *map(str, args)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


class Database:
    """Read-only looks at the SQLite file, and a probe of its write lock."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def job(self, pk: int) -> dict[str, Any]:
        with sqlite3.connect(self.path, timeout=5) as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM jobs_job WHERE id = ?", (pk,)).fetchone()
        return dict(row)

    def task_status(self, task_id: str) -> str:
        with sqlite3.connect(self.path, timeout=5) as db:
            # django-tasks-db stores the UUID as 32 hex digits on SQLite
            row = db.execute(
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
                (task_id.replace("-", ""),),
            ).fetchone()
        return row[0]

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.path, timeout=5) as db:
            return db.execute(sql, params).fetchall()

    def schedules(self, event: int) -> dict[int, tuple[str, bool, int]]:
        """Each run of the event: status, published, meetings written."""
        rows = self.rows(
            "SELECT s.id, s.status, s.published, COUNT(m.id) FROM events_schedule s "
            "LEFT JOIN events_scheduledmeeting m ON m.schedule_id = s.id WHERE s.event_id = ? GROUP BY s.id",
            event,
        )
        return {pk: (status, bool(published), n) for pk, status, published, n in rows}

    def meetings(self, schedule: int) -> list[list[Any]]:
        rows = self.rows(
            'SELECT request_id, slot_id, "table" FROM events_scheduledmeeting WHERE schedule_id = ? '
            "ORDER BY request_id",
            schedule,
        )
        return [list(row) for row in rows]

    def imported(self) -> int:
        return self.rows("SELECT COUNT(*) FROM registry_organisation WHERE name LIKE 'Fault Test %'")[0][0]

    def write_wait(self, busy_ms: int = 5000) -> float:
        """Seconds a one-row write transaction (as a page would make) waited for the write lock."""
        db = sqlite3.connect(self.path, timeout=busy_ms / 1000, isolation_level=None)
        try:
            started = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            waited = time.perf_counter() - started
            db.execute("UPDATE jobs_job SET title = title WHERE id = -1")
            db.execute("COMMIT")
            return waited
        finally:
            db.close()

    def held_write_lock(self, probes: int = 3) -> bool:
        """The write lock is held across ``probes`` looks 50 ms apart: a transaction, not a heartbeat (a
        heartbeat holds it for about a millisecond)."""
        for k in range(probes):
            if k:
                time.sleep(0.05)
            if not self.write_locked():
                return False
        return True

    def write_locked(self) -> bool:
        db = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            db.close()


class Clock:
    """Phase times, printed with -s."""

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()
        self.laps: list[str] = []

    def lap(self, what: str) -> None:
        now = time.monotonic()
        self.laps.append(f"{now - self.last:5.1f} s  {what}")
        self.last = now

    def __str__(self) -> str:
        return "\n".join([*self.laps, f"{time.monotonic() - self.started:5.1f} s  in all"])


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def test_a_worker_killed_mid_import_and_mid_optimisation_leaves_failed_jobs_and_nothing_half_written(
    env, var_dir, workers
):
    clock = Clock()
    world = act(env, "seed", ROWS, TIME_LIMIT)  # migrates first
    db = Database(var_dir / "helix.sqlite3")
    upload = Path(world["upload"])
    import_job, schedule_job = world["import_job"], world["schedule_job"]
    published, run = world["published"], world["schedule"]
    assert upload.is_file()
    assert db.schedules(world["event"]) == {
        published: ("succeeded", True, len(world["published_meetings"])),
        run: ("queued", False, 0),
    }
    clock.lap("migrated and seeded")

    # 1. Kill the worker inside the import's transaction (it holds SQLite's write lock while it writes).
    first = workers()
    wait_for(lambda: db.job(import_job)["status"] == "running" and db.held_write_lock(), 60, "the import")
    kill(first)
    clock.lap("worker 1 killed mid-import")

    # 2. A new worker fails the dead worker's job when it starts, then runs the optimisation: kill it
    #    while CP-SAT searches. Meanwhile the heartbeats never keep a page's write waiting.
    second = workers()
    wait_for(lambda: db.job(import_job)["status"] == "failed", 30, "the sweep at the worker's start")
    wait_for(lambda: db.job(schedule_job)["total"] > 0, 30, "the optimisation's first progress")
    beats = {db.job(schedule_job)["heartbeat_at"]}
    waits = []
    for _ in range(10):
        waits.append(db.write_wait())
        beats.add(db.job(schedule_job)["heartbeat_at"])
        time.sleep(0.1)
    assert db.job(schedule_job)["status"] == "running"
    kill(second)
    clock.lap(f"worker 2 killed mid-optimisation (page write waits: max {max(waits) * 1000:.0f} ms)")
    assert len(beats) >= 2  # the heartbeat went on while the solver computed (every 0.75 s here)
    assert max(waits) < 1.0, waits

    # 3. Swept (here by `helix jobs sweep`; the job page and the worker do the same): both jobs failed,
    #    the upload is gone, nothing of the import exists and the published schedule is as it was.
    swept = subprocess.run(
        [sys.executable, "-m", "helix.cli", "jobs", "sweep"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert swept.stdout.strip() == f"1 job(s) failed because their worker stopped: #{schedule_job}"
    for pk in (import_job, schedule_job):
        job = db.job(pk)
        assert (job["status"], job["failure"], job["error"]) == ("failed", "worker_lost", WORKER_LOST)
        assert db.task_status(job["task_id"]) == "FAILED"
    assert (upload.exists(), upload.parent.exists()) == (False, False)
    assert db.imported() == 0
    assert db.schedules(world["event"]) == {
        published: ("succeeded", True, len(world["published_meetings"])),
        run: ("failed", False, 0),
    }
    assert db.meetings(published) == world["published_meetings"]
    clock.lap("swept")

    # 4. Retries on a new worker: the optimisation runs again and succeeds; the import cannot (its
    #    upload was removed with the failed job), and the file uploaded again imports whole.
    answers = act(env, "retry", world["user"], schedule_job, import_job, ROWS)
    assert {k: answers[k] for k in ("schedule", "import")} == {
        "schedule": {"ok": True, "refusal": ""},
        "import": {"ok": False, "refusal": UPLOAD_GONE},
    }
    third = workers()
    jobs = (schedule_job, answers["again"])
    wait_for(lambda: {db.job(pk)["status"] for pk in jobs} == {"succeeded"}, 90, "the retries")
    third.send_signal(signal.SIGTERM)
    third.wait(timeout=10)
    clock.lap("retried on worker 3")
    retried = db.job(schedule_job)
    assert (retried["attempts"], retried["failure"], retried["error"]) == (2, "", "")
    assert json.loads(db.job(answers["again"])["result"])["created"]["organisations"] == ROWS
    assert db.imported() == ROWS
    schedules = db.schedules(world["event"])
    assert schedules[published] == ("succeeded", True, len(world["published_meetings"]))
    assert schedules[run][:2] == ("succeeded", False)
    assert db.meetings(published) == world["published_meetings"]
    print(clock)
