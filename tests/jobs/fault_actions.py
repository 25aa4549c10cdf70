"""Actions the worker fault test (test_worker_faults.py) runs in a fresh process on the test's own SQLite
database: ``python -m tests.jobs.fault_actions <action> [args]``; each prints one JSON line."""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helix.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # test users: fast


def organisations_csv(rows: int) -> str:
    """``rows`` new organisations, each with a valid Belgian enterprise number."""
    from helix.core.registry.identifiers import belgian_enterprise_number

    lines = [
        "identifier_scheme,legal_identifier,name,kind,size_class,working_languages,keywords,description_en"
    ]
    for k in range(rows):
        number = belgian_enterprise_number(900_000 + k)
        lines.append(
            f"be,{number},Fault Test {k:06d},company,sme,nl;en,fault test;kw{k % 50},Makes thing {k}."
        )
    return "\n".join(lines) + "\n"


def upload(rows: int) -> Path:
    """The file as the import page stores it: in a folder of its own under the private uploads folder."""
    from helix.jobs.services import uploads_folder

    uploads_folder().mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="import-", dir=uploads_folder()))
    path = folder / "organisations.csv"
    path.write_text(organisations_csv(rows), encoding="utf-8")
    return path


def enqueue_import(user: Any, rows: int) -> dict[str, Any]:
    from helix.jobs.services import create_job
    from helix.registry.tasks import import_registry_file

    path = upload(rows)
    job = create_job("registry.import", f"Import of {path.name}", user)
    import_registry_file.enqueue(job.pk, str(path), user.pk, False, "organisations")
    return {"import_job": job.pk, "upload": str(path)}


def seed(rows: int, time_limit: float) -> dict[str, Any]:
    """An event with a published schedule, a schedule run and a registry import queued, both by the
    organiser (cluster staff)."""
    from helix.events import schedules
    from helix.events.models import EventMeetingRequest, Registration, RequestStatus, Schedule, TimeSlot
    from tests.events.helpers import small_event

    world = small_event([f"Participant {k}" for k in range(30)], slots=10, tables=6)
    event, registrations = world.event, world.registrations
    rng = random.Random(11)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 110:
        a, b = rng.sample(range(len(registrations)), 2)
        pairs.add((min(a, b), max(a, b)))
    # The published schedule holds the first 25 requests; 85 were accepted since. Re-scheduling them
    # keeps CP-SAT searching until its time limit (measured: it never proves this one optimal).
    EventMeetingRequest.objects.bulk_create(
        [
            EventMeetingRequest(
                event=event,
                requester=registrations[a],
                requested=registrations[b],
                status=RequestStatus.ACCEPTED if k < 25 else RequestStatus.REQUESTED,
                priority=rng.choice((1, 1, 2, 3)),
            )
            for k, (a, b) in enumerate(sorted(pairs))
        ]
    )
    slots = list(TimeSlot.objects.filter(event=event).order_by("start"))
    for k, registration in enumerate(registrations):
        registration.unavailable.add(slots[k % len(slots)])
    assert Registration.objects.filter(event=event).count() == 30
    first = Schedule.objects.create(event=event, mode="max", time_limit=1.0, created_by=world.organiser)
    schedules.run_schedule(first.pk)  # here, not queued: the worker's queue holds only the two jobs below
    first.refresh_from_db()
    schedules.publish_schedule(world.organiser, first)
    EventMeetingRequest.objects.filter(event=event).update(status=RequestStatus.ACCEPTED)
    queued = enqueue_import(world.organiser, rows)  # first in the queue
    run = schedules.start_schedule(world.organiser, event, mode="max", time_limit=time_limit)
    return {
        "user": world.organiser.pk,
        "event": event.pk,
        "published": first.pk,
        "published_meetings": published_meetings(first.pk),
        "schedule": run.pk,
        "schedule_job": run.job_id,
        **queued,
    }


def published_meetings(schedule_id: int) -> list[list[int | None]]:
    from helix.events.models import ScheduledMeeting

    rows = ScheduledMeeting.objects.filter(schedule_id=schedule_id).order_by("request_id")
    return [list(row) for row in rows.values_list("request_id", "slot_id", "table")]


def retry_and_upload_again(user_id: int, schedule_job: int, import_job: int, rows: int) -> dict[str, Any]:
    """What the organiser does after the crash: retry both jobs (as the retry button does), and, the
    import's upload being gone, upload the file again."""
    from django.contrib.auth import get_user_model

    from helix.jobs.models import Job
    from helix.jobs.services import retry_job
    from helix.jobs.views import refusal_text

    user = get_user_model().objects.get(pk=user_id)
    answers = {}
    for name, pk in (("schedule", schedule_job), ("import", import_job)):
        check = retry_job(user, Job.objects.get(pk=pk))
        answers[name] = {"ok": check.ok, "refusal": refusal_text(check)}
    return {**answers, "again": enqueue_import(user, rows)["import_job"]}


def main(argv: list[str]) -> None:
    setup()
    action, *args = argv
    if action == "seed":
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        out = seed(int(args[0]), float(args[1]))
    elif action == "retry":
        out = retry_and_upload_again(*map(int, args))
    else:
        raise SystemExit(f"unknown action {action!r}")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
