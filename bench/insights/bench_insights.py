"""Insights benchmark: a cluster's indicators, dashboard and annual report on a large ecosystem, on SQLite
and PostgreSQL.

For each database a worker process (its own HELIX_VAR_DIR and DATABASE_URL, migrated from scratch)
generates 20,000 organisations with their memberships and dated ladder history (``helix demo generate``),
then gives the largest cluster five years of activity (2022-2026): contacts logged, events with
registrations and published B2B meetings, market meeting requests, projects with consortia, status
history and funding, synergies with their history and reports, a roadmap. It times, for that cluster
and the year 2026:

- the indicators: ``indicator_values`` (read the ecosystem, compute all indicators);
- each dashboard page, through the test client as its staff (indicators, dashboard, self-assessment):
  the first (cold) call and the median of the calls after it (the dashboard keeps its figures for five
  minutes, so those are warm);
- the annual report: ``reports.build`` and its PDF and HTML (what the background job does).

Targets (issue 16): every dashboard under 1 s, the report under 30 s. The baseline, measured in the same
process, is one full scan of the membership table (a ``count(*)`` with a filter no row passes); figures
are printed beside it as ratios.

    python -m bench --only insights [--quick]
    python -m bench.insights.bench_insights [--quick] [--organisations N] [--databases sqlite,postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.registry.bench_registry import _analyze, _database, _timed, database_server

ROOT = Path(__file__).resolve().parents[2]
FULL_SIZE = 20_000
QUICK_SIZE = 2_000
YEARS = (2022, 2023, 2024, 2025, 2026)
PAGES = ("indicators", "dashboard", "self-assessment")
TARGET_PAGE_S = 1.0
TARGET_REPORT_S = 30.0


def run(
    *,
    quick: bool = False,
    organisations: int | None = None,
    databases: tuple[str, ...] = ("sqlite", "postgres"),
) -> dict[str, Any]:
    size = organisations or (QUICK_SIZE if quick else FULL_SIZE)
    repeats = 2 if quick else 3
    results: dict[str, Any] = {"organisations": size, "repeats": repeats, "databases": {}}
    print(
        f"insights: {size:,} generated organisations, five years of activity in the largest cluster",
        flush=True,
    )
    for database in databases:
        with _database(database) as urls:
            if urls is None:
                print(f"{database}: skipped (not reachable)")
                results["databases"][database] = {"skipped": "not reachable"}
                continue
            figures = _worker(urls[0], size=size, repeats=repeats, quick=quick)
            results["databases"][database] = figures
            _print(database, figures)
    return results


def _worker(env: dict[str, str], **options: Any) -> dict[str, Any]:
    out = Path(env["HELIX_VAR_DIR"], "insights.json")
    command = [sys.executable, "-m", "bench.insights.bench_insights", "--worker", "--out", str(out)]
    for name, value in options.items():
        if value is True:
            command.append(f"--{name}")
        elif value is not False:
            command += [f"--{name}", str(value)]
    environment = {**os.environ, **env, "HELIX_DEBUG": "false", "DJANGO_SETTINGS_MODULE": "helix.settings"}
    if not env["DATABASE_URL"]:
        environment.pop("DATABASE_URL", None)
    subprocess.run(command, cwd=ROOT, env=environment, check=True)  # noqa: S603 (our own module)
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return figures


def _print(database: str, f: dict[str, Any]) -> None:
    scan = f["baseline_scan_ms"]
    head = f"{database} ({f['server']}): cluster {f['cluster']} with {f['members']:,} memberships"
    print(f"{head}, {f['records']}")
    print(f"  baseline: full scan of the memberships {scan:.2f} ms")
    print(f"  {'what':<34}{'first s':>9}{'then s':>9}{'x scan':>9}{'target':>8}{'met (first/then)':>18}")
    for name, row in f["timings"].items():
        target = row.get("target_s")
        first, then = row.get("first_s", row["median_s"]), row["median_s"]
        met = "" if target is None else "/".join("yes" if t <= target else "NO" for t in (first, then))
        shown_target = "" if target is None else f"{target:.0f} s"
        ratio = first * 1000 / scan
        print(f"  {name:<34}{first:>9.3f}{then:>9.3f}{ratio:>9.0f}{shown_target:>8}{met:>18}")


# --- the worker: inside a process whose environment names a fresh database -------------------------------


def _setup() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _activity(cluster: Any, quick: bool) -> dict[str, int]:
    """Five years of a cluster's life, written in bulk."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from helix.events.models import (
        Event,
        EventMeetingRequest,
        Registration,
        Schedule,
        ScheduledMeeting,
        TimeSlot,
    )
    from helix.market.models import Listing, MeetingRequest
    from helix.projects.models import FundingSource, Project, ProjectChange, ProjectMember
    from helix.registry.models import Interaction, Membership, Person, Site
    from helix.roadmaps.models import Participant, Roadmap, RoadmapChange
    from helix.symbiosis.models import ResourceFlow, Synergy, SynergyEvent, SynergyReport

    rng = random.Random(16)
    scale = 0.1 if quick else 1.0
    orgs = list(Membership.objects.filter(cluster=cluster).values_list("organisation_id", flat=True))
    people = dict(Person.objects.filter(organisation_id__in=orgs).values_list("organisation_id", "pk"))
    with_person = [o for o in orgs if o in people]
    user = get_user_model().objects.create(username="bench_staff", is_staff=True)
    from helix.registry.models import StaffAssignment

    StaffAssignment.objects.create(user=user, cluster=cluster)

    def day(year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))

    def moment(on: dt.date, hour: int = 9) -> dt.datetime:
        return dt.datetime.combine(on, dt.time(hour), tzinfo=dt.UTC)

    Interaction.objects.bulk_create(
        [
            Interaction(
                organisation_id=rng.choice(orgs),
                cluster=cluster,
                kind="meeting",
                happened_on=day(y),
                summary="x",
            )
            for y in YEARS
            for _ in range(int(2000 * scale))
        ],
        batch_size=1000,
    )
    events = 0
    meetings = 0
    for y in YEARS:
        for _ in range(max(1, int(12 * scale))):
            on = day(y)
            event = Event.objects.create(cluster=cluster, title=f"Matchmaking {on}", status="closed")
            slots = TimeSlot.objects.bulk_create(
                [
                    TimeSlot(
                        event=event, start=moment(on, 9 + k), end=moment(on, 9 + k) + dt.timedelta(minutes=20)
                    )
                    for k in range(6)
                ]
            )
            chosen = rng.sample(with_person, min(len(with_person), int(60 * scale) + 4))
            regs = Registration.objects.bulk_create(
                [Registration(event=event, person_id=people[o], organisation_id=o) for o in chosen]
            )
            schedule = Schedule.objects.create(event=event, status="succeeded", published=True)
            pairs = [(regs[i], regs[i + 1]) for i in range(0, len(regs) - 1, 2)]
            requests = EventMeetingRequest.objects.bulk_create(
                [
                    EventMeetingRequest(
                        event=event, requester=a, requested=b, status="accepted", outcome="held"
                    )
                    for a, b in pairs
                ]
            )
            ScheduledMeeting.objects.bulk_create(
                [
                    ScheduledMeeting(schedule=schedule, request=r, slot=slots[k % 6], table=k + 1)
                    for k, r in enumerate(requests)
                ]
            )
            events += 1
            meetings += len(requests)
    listings = Listing.objects.bulk_create(
        [
            Listing(
                side=rng.choice(["need", "offer"]),
                category="solution",
                organisation_id=o,
                title=f"Listing of {o}",
                language="en",
                status="published",
                published_on=day(rng.choice(YEARS)),
                expires_on=dt.date(2027, 12, 31),
            )
            for o in rng.sample(orgs, min(len(orgs), int(3000 * scale)))
        ],
        batch_size=1000,
    )
    asks = []
    for _ in range(int(4000 * scale)):
        need, offer = rng.sample(listings, 2)
        asks.append(
            MeetingRequest(
                need=need,
                offer=offer,
                from_organisation_id=need.organisation_id,
                to_organisation_id=offer.organisation_id,
                requested_by=user,
                status=rng.choice(["accepted", "accepted", "declined", "requested"]),
            )
        )
    made = MeetingRequest.objects.bulk_create(asks, batch_size=1000)
    for r in made:
        r.created_at = moment(day(rng.choice(YEARS)))
    MeetingRequest.objects.bulk_update(made, ["created_at"], batch_size=1000)
    projects = []
    for k in range(int(300 * scale) + 3):
        y = rng.choice(YEARS)
        projects.append(
            Project(
                cluster=cluster,
                kind=rng.choice(["flagship", "precluster", "living_lab"]),
                title=f"Project {k}",
                status="running",
                months=24,
            )
        )
    projects = Project.objects.bulk_create(projects)
    changes, members, funding = [], [], []
    for p in projects:
        start = day(rng.choice(YEARS))
        changes += [
            ProjectChange(
                project=p, from_status="", to_status="idea", changed_on=start - dt.timedelta(days=120)
            ),
            ProjectChange(project=p, from_status="idea", to_status="approved", changed_on=start),
            ProjectChange(
                project=p,
                from_status="approved",
                to_status="running",
                changed_on=start + dt.timedelta(days=30),
            ),
        ]
        for o in rng.sample(orgs, min(len(orgs), rng.randint(2, 6))):
            members.append(ProjectMember(project=p, organisation_id=o, joined_on=start))
    ProjectChange.objects.bulk_create(changes, batch_size=1000)
    members = ProjectMember.objects.bulk_create(members, batch_size=1000)
    for m in members:
        funding.append(
            FundingSource(
                project_id=m.project_id,
                member=m,
                kind=rng.choice(["subsidy", "own", "private"]),
                amount=Decimal(rng.randrange(10_000, 200_000)),
            )
        )
    FundingSource.objects.bulk_create(funding, batch_size=1000)
    sites = dict(Site.objects.filter(organisation_id__in=orgs).values_list("organisation_id", "pk"))
    sited = [o for o in orgs if o in sites]
    flows = ResourceFlow.objects.bulk_create(
        [
            ResourceFlow(
                organisation_id=o,
                site_id=sites[o],
                direction=d,
                kind="material",
                title=f"Flow {o} {d}",
                quantity=100,
                unit="t",
                period="year",
            )
            for o in rng.sample(sited, min(len(sited), int(800 * scale) + 4))
            for d in ("have", "want")
        ],
        batch_size=1000,
    )
    haves = [f for f in flows if f.direction == "have"]
    wants = [f for f in flows if f.direction == "want"]
    synergies = Synergy.objects.bulk_create(
        [
            Synergy(have=rng.choice(haves), want=rng.choice(wants), state="realised", quantity=100, unit="t")
            for _ in range(int(400 * scale) + 2)
        ],
        batch_size=1000,
    )
    events_rows, reports = [], []
    for s in synergies:
        on = day(rng.choice(YEARS))
        events_rows += [
            SynergyEvent(synergy=s, from_state="proposed", to_state="agreed"),
            SynergyEvent(synergy=s, from_state="agreed", to_state="realised"),
        ]
        reports.append(
            SynergyReport(
                synergy=s, period_end=dt.date(on.year, 12, 31), quantity=80.0, unit="t", co2e_avoided_t=20.0
            )
        )
    SynergyEvent.objects.bulk_create(events_rows, batch_size=1000)
    SynergyReport.objects.bulk_create(reports, batch_size=1000)
    roadmap = Roadmap.objects.create(
        cluster=cluster, key="bench-roadmap", title="Roadmap", status="adopted", starts_on=dt.date(2024, 1, 1)
    )
    RoadmapChange.objects.create(roadmap=roadmap, to_status="adopted", changed_on=dt.date(2024, 6, 1))
    Participant.objects.bulk_create(
        [Participant(roadmap=roadmap, organisation_id=o) for o in rng.sample(orgs, min(len(orgs), 200))]
    )
    del timezone
    return {
        "contacts": Interaction.objects.filter(cluster=cluster).count(),
        "events": events,
        "meetings": meetings,
        "match_requests": len(made),
        "projects": len(projects),
        "synergies": len(synergies),
    }


def _worker_main(size: int, repeats: int, quick: bool, out: Path) -> None:
    _setup()
    from django.db import connection
    from django.test import Client

    from helix.core.insights import Period
    from helix.demo import generate_into_database
    from helix.insights import reports
    from helix.insights.services import indicator_values
    from helix.registry.models import Cluster, Membership, Organisation

    generate_into_database(size - Organisation.objects.count(), seed=1)
    cluster = max(Cluster.objects.all(), key=lambda c: c.memberships.count())
    records = _activity(cluster, quick)
    _analyze()
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username="bench_staff")
    table = Membership._meta.db_table
    with connection.cursor() as cursor:

        def scan() -> None:
            cursor.execute(f"SELECT count(*) FROM {table} WHERE level = %s", ["no-such-level"])  # noqa: S608
            cursor.fetchone()

        scan()
        scan_ms = statistics.median(_timed(scan) for _ in range(9))
    year = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    timings: dict[str, dict[str, Any]] = {}

    def measure(name: str, work: Any, target: float | None) -> None:
        # the first call is the cold one (the dashboard's figures are then kept for five minutes: the
        # calls after it are warm); both are reported
        first = _timed(work) / 1000
        runs = [_timed(work) / 1000 for _ in range(repeats)]
        timings[name] = {
            "first_s": first,
            "median_s": statistics.median(runs),
            "runs_s": runs,
            "target_s": target,
        }

    measure("indicators (all, one year)", lambda: indicator_values(staff, cluster, year), None)
    client = Client()
    client.force_login(staff)
    query = "?from=2026-01-01&to=2026-12-31"
    for page in PAGES:
        path = f"/insights/{cluster.slug}/{'' if page == 'indicators' else page + '/'}{query}"

        def get(path: str = path) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        measure(f"page: {page}", get, TARGET_PAGE_S)

    def report() -> None:
        built = reports.build(cluster, year, "nl")
        reports.as_pdf(built)
        reports.as_html(built)

    measure("annual report (build, PDF, HTML)", report, TARGET_REPORT_S)
    figures = {
        "server": database_server(),
        "cluster": cluster.slug,
        "members": cluster.memberships.count(),
        "records": records,
        "baseline_scan_ms": scan_ms,
        "timings": timings,
    }
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.insights.bench_insights", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--organisations", type=int)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker_main(args.size, args.repeats, args.quick, args.out)
        return 0
    results = run(
        quick=args.quick, organisations=args.organisations, databases=tuple(args.databases.split(","))
    )
    print(json.dumps(results, indent=2, default=str)[:2000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
