"""E2E page audit: every page of the demo, for each role, at 1366 and 390 px, in en, nl, fr and de.

The routes come from the URL configuration; their ids are filled from the demo ecosystem
(``helix demo load``). Each page must answer without a server error (status < 500), fit its width (no
horizontal overflow), show no message that the compiled catalogue of its language lacks, and pass
axe-core (vendored under tests/e2e/vendor/axe-core, MPL-2.0) with no serious or critical violation.

Routes left out by hand are in ``EXCLUDED`` with their reason; routes the audit leaves out on its own
(POST-only, files, htmx fragments, ids the demo has no object for) are printed in its summary. Known
violations that cannot be fixed yet are in ``ALLOWED``, with the route and the reason.

Speed (240 s measured on two cores shared with other work): the demo is loaded once; a live server
renders one page at a time while four browser pages lay out and check others; each browser page walks a
lane of visits (Chromium starts a process per new page); each page is loaded once per role and language
and checked at both widths by resizing; axe runs once per distinct page structure and width (the same
markup in another language, or for another role, gives the same axe result). English goes first: a
route that redirects the role (to the log-in page, audited as a route of its own), or refuses it once
its refusal page has been checked, is not loaded in the other languages.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from time import monotonic
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.e2e.conftest import CHROMIUM
from tests.test_translations import LANGUAGES as TRANSLATED
from tests.test_translations import _messages_of, catalogue, catalogue_key, load_mo, used_messages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (1366, 390)
LANGUAGES = ("en", *TRANSLATED)
ROLES = {"anonymous": None, "member": "member", "staff": "staff", "superuser": "admin"}  # demo logins
PARALLEL_PAGES = 4  # browser pages at work at once
LANE = 12  # visits one browser page makes in a row
SERIOUS = {"serious", "critical"}
SEPARATE = ("admin/", "api/", "static/", "media/")  # Django's admin and the API docs are not Helix pages

EXCLUDED: dict[str, str] = {
    "password_reset_confirm": "needs a token sent by e-mail (tests/test_accounts)",
    "people:accept": "needs an invitation's token sent by e-mail (tests/people)",
    "people:signup_confirm": "needs a token sent by e-mail (tests/people)",
    "events:answer_link": "needs a meeting request's token sent by e-mail (tests/events)",
}

# (route name, axe rule id or "overflow" or "untranslated") -> why it is allowed for now. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {}


# --- the routes and their ids ----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]

    def segment_before(self, param: str) -> str:
        """The path segment before ``param`` ("organisations" for organisations/<slug:slug>/)."""
        head = re.split(rf"<(?:\w+:)?{param}>|\(\?P<{param}>", self.pattern)[0]
        words = re.findall(r"[A-Za-z][\w-]*", head)
        return words[-1] if words else ""


def page_routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for item in patterns:
            if isinstance(item, URLResolver):
                inner = ":".join(x for x in (namespace, item.namespace) if x) or None
                walk(item.url_patterns, prefix + str(item.pattern), inner)
            elif isinstance(item, URLPattern) and item.name:
                pattern = prefix + str(item.pattern)
                if pattern.lstrip("^").startswith(SEPARATE):
                    continue
                name = f"{namespace}:{item.name}" if namespace else item.name
                params = tuple(item.pattern.regex.groupindex)
                found.append(Route(name, pattern, params))

    walk(get_resolver().url_patterns, "", None)
    return sorted(found, key=lambda r: r.name)


def demo_ids() -> dict[tuple[str, str], Callable[[], Any]]:
    """(the path segment before an id, the id's name) -> the demo object's id, or None when the demo has
    none. Objects of the member's organisation (Enervalis) come first, so the member sees real pages."""
    from helix.calls.models import (
        Applicant,
        Application,
        Attachment,
        Call,
        ReviewAssignment,
        Reviewer,
        Submission,
    )
    from helix.events.models import Event, EventMeetingRequest, EventSignup, Registration, Schedule
    from helix.funds.models import Instrument
    from helix.insights.models import Cycle, Output, PartnerLink, PhaseLink, Programme, Story
    from helix.jobs.models import Job
    from helix.market.models import Listing, MeetingRequest
    from helix.notifications.models import Notification
    from helix.people.models import Invitation, SignupRequest
    from helix.projects.models import Project
    from helix.registry.models import Cluster, Interaction, LetterOfIntent, Membership, Person
    from helix.roadmaps.models import Item as RoadmapItem
    from helix.roadmaps.models import Roadmap
    from helix.symbiosis.models import AllocationRun, ResourceFlow, Synergy

    member = get_user_model().objects.get(username="member")
    person = Person.objects.filter(user=member).first()
    own = person.organisation if person else None

    funded = {"application__status": "funded"}

    def first(queryset: Any, preferred: dict[str, Any] | None = None, field_name: str = "pk") -> Any:
        chosen = (queryset.filter(**preferred).first() if preferred else None) or queryset.first()
        return getattr(chosen, field_name) if chosen else None

    return {
        ("organisations", "slug"): lambda: own.slug if own else None,
        ("clusters", "slug"): lambda: first(Cluster.objects.order_by("pk"), {"slug": "flux50"}, "slug"),
        ("needs-offers", "pk"): lambda: first(Listing.objects.order_by("pk"), {"organisation": own}),
        ("events", "pk"): lambda: first(Event.objects.order_by("pk")),
        ("projects", "pk"): lambda: first(Project.objects.order_by("pk"), {"visibility": "public"}),
        ("registrations", "pk"): lambda: first(Registration.objects.order_by("pk"), {"person": person}),
        ("requests", "pk"): lambda: first(EventMeetingRequest.objects.order_by("pk")),
        ("schedules", "pk"): lambda: first(Schedule.objects.order_by("pk")),
        ("flows", "pk"): lambda: first(ResourceFlow.objects.order_by("pk"), {"organisation": own}),
        ("synergies", "pk"): lambda: first(Synergy.objects.order_by("pk")),
        ("allocations", "pk"): lambda: first(AllocationRun.objects.order_by("pk")),
        ("people", "person_id"): lambda: person.pk if person else None,
        ("jobs", "pk"): lambda: first(Job.objects.order_by("pk")),
        ("export", "job_id"): lambda: first(Job.objects.order_by("pk")),
        ("letters-of-intent", "pk"): lambda: first(LetterOfIntent.objects.order_by("pk")),
        ("follow-ups", "interaction_id"): lambda: first(Interaction.objects.order_by("pk")),
        ("pipeline", "membership_id"): lambda: first(Membership.objects.order_by("pk")),
        ("grid", "fmt"): lambda: "csv",
        ("signups", "pk"): lambda: first(EventSignup.objects.order_by("pk")),
        ("meetings", "pk"): lambda: first(MeetingRequest.objects.order_by("pk"), {"to_organisation": own}),
        ("notifications", "pk"): lambda: first(Notification.objects.order_by("pk"), {"recipient": member}),
        ("invitations", "pk"): lambda: first(Invitation.objects.order_by("pk")),
        ("sign-ups", "pk"): lambda: first(SignupRequest.objects.order_by("pk")),
        # calls: the open call to apply to; the decided one, whose funded application has everything
        # (receipts, files, reviews, an award and its letter)
        ("calls", "pk"): lambda: first(Call.objects.order_by("pk"), {"status": "open"}),
        ("calls", "key"): lambda: first(Call.objects.order_by("pk"), {"status": "decided"}, "key"),
        ("applications", "pk"): lambda: first(Application.objects.order_by("pk"), {"status": "funded"}),
        ("partners", "organisation"): lambda: first(
            Applicant.objects.order_by("pk"), {**funded, "lead": False}, "organisation_id"
        ),
        ("receipts", "pk"): lambda: first(Submission.objects.order_by("pk"), funded),
        ("attachments", "pk"): lambda: first(Attachment.objects.order_by("pk"), funded),
        ("attachments", "attachment"): lambda: first(Attachment.objects.order_by("pk"), funded),
        ("assignments", "pk"): lambda: first(ReviewAssignment.objects.order_by("pk"), funded),
        ("reviews", "pk"): lambda: first(ReviewAssignment.objects.order_by("pk"), funded),
        ("files", "attachment"): lambda: first(Attachment.objects.order_by("pk"), funded),
        ("reviewers", "pk"): lambda: first(Reviewer.objects.order_by("pk")),
        ("funds", "key"): lambda: first(
            Instrument.objects.order_by("pk"), {"cluster__slug": "flux50"}, "key"
        ),
        # roadmaps: Flux50's, in which the member's organisation owns an item
        ("roadmaps", "key"): lambda: first(
            Roadmap.objects.order_by("pk"), {"cluster__slug": "flux50"}, "key"
        ),
        ("items", "item"): lambda: first(
            RoadmapItem.objects.order_by("pk"),
            {"roadmap__cluster__slug": "flux50", "owner__organisation": own},
            "key",
        ),
        ("export", "fmt"): lambda: "csv",
        # insights: Flux50's indicators; the demo's stories (the success story is public)
        ("insights", "slug"): lambda: "flux50",
        ("slug", "code"): lambda: "committed_members",
        ("indicators", "fmt"): lambda: "csv",
        ("stories", "pk"): lambda: first(Story.objects.order_by("pk")),
        ("showcase", "pk"): lambda: first(Story.objects.order_by("pk"), {"status": "published"}),
        ("reports", "job_id"): lambda: first(
            Job.objects.order_by("pk"), {"kind__startswith": "insights.report"}
        ),
        ("job_id", "fmt"): lambda: "pdf",
        ("open-data", "name"): lambda: "organisations",
        ("partners", "pk"): lambda: first(PartnerLink.objects.order_by("pk")),
        ("name", "fmt"): lambda: "csv",
        # programme cycles: Smart Energy Cities, its closed first cycle (phases, links, an output)
        ("new", "slug"): lambda: "smart-energy-cities",
        ("programmes", "pk"): lambda: first(Programme.objects.order_by("pk")),
        ("cycles", "pk"): lambda: first(Cycle.objects.order_by("pk")),
        ("links", "pk"): lambda: first(PhaseLink.objects.order_by("pk")),
        ("outputs", "pk"): lambda: first(Output.objects.order_by("pk")),
    }


def add_what_the_demo_lacks() -> None:
    """The demo has no event and no job yet (README): add an open Flux50 event (slots, a room, the member
    and another Flux50 person registered, an accepted meeting request on a published schedule, a visitor's
    sign-up), as tests/permissions/world.py does, and a finished export job of ``staff``, so that their
    pages are audited too. Does nothing for what the demo already has."""
    from helix.events.models import (
        Event,
        EventMeetingRequest,
        EventSignup,
        Registration,
        Room,
        Schedule,
        ScheduledMeeting,
        TimeSlot,
    )
    from helix.jobs.models import Job
    from helix.jobs.services import create_job
    from helix.registry.models import Cluster, Person

    users = get_user_model().objects
    if not Job.objects.exists():
        job = create_job("registry_export", "Export of the registry", user=users.get(username="staff"))
        Job.objects.filter(pk=job.pk).update(status="succeeded", done=1, total=1)
    if Event.objects.exists():
        return
    flux50 = Cluster.objects.get(slug="flux50")
    member = Person.objects.get(user__username="member")
    other = (
        Person.objects.filter(organisation__memberships__cluster=flux50)
        .exclude(organisation=member.organisation)
        .order_by("pk")
        .first()
    )
    zone = ZoneInfo("Europe/Brussels")
    start = datetime.combine(timezone.localdate() + timedelta(days=60), time(9), tzinfo=zone)
    event = Event.objects.create(cluster=flux50, title="Flux50 energy brokerage", venue="Genk", status="open")
    for k in range(3):
        TimeSlot.objects.create(
            event=event, start=start + timedelta(minutes=30 * k), end=start + timedelta(minutes=30 * k + 25)
        )
    Room.objects.create(event=event, name="Hall", tables=4)
    registrations = [
        Registration.objects.create(event=event, person=p, organisation=p.organisation)
        for p in (member, other)
    ]
    request = EventMeetingRequest.objects.create(
        event=event, requester=registrations[0], requested=registrations[1], status="accepted"
    )
    run = Schedule.objects.create(
        event=event, status="succeeded", published=True, published_at=timezone.now()
    )
    ScheduledMeeting.objects.create(
        schedule=run, request=request, slot=event.slots.order_by("start").first(), table=1
    )
    EventSignup.objects.create(
        event=event, first_name="Sam", last_name="Visitor", email="sam@example.org", organisation_name="Loose"
    )


# --- what the audit finds -------------------------------------------------------------------------


@dataclass
class Findings:
    # (route, check, what was found) -> where: "role language" (and the width, for layout checks)
    problems: dict[tuple[str, str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    skipped: dict[str, str] = field(default_factory=dict)  # route -> why the audit left it out
    pages: int = 0
    axe_runs: int = 0
    audited: set[str] = field(default_factory=set)

    def add(self, route: str, check: str, detail: str, where: str = "") -> None:
        if (route, check) not in ALLOWED:
            self.problems[route, check, detail].add(where)

    def report(self) -> str:
        """The problems by route; untranslated messages once each, with the routes that show them."""
        lines, last = [], None
        untranslated: dict[str, set[str]] = defaultdict(set)
        for (route, check, detail), where in sorted(self.problems.items()):
            if check == "untranslated":
                untranslated[f"{detail} ({', '.join(sorted(where))})"].add(route)
                continue
            if route != last:
                lines.append(f"{route}:")
                last = route
            places = sorted(w for w in where if w)
            shown = ", ".join(places[:4]) + (f" and {len(places) - 4} more" if len(places) > 4 else "")
            lines.append(f"  [{check}] {detail}" + (f" ({shown})" if shown else ""))
        if untranslated:
            lines.append("untranslated: the compiled catalogue lacks these messages (run `make messages`):")
        for text, routes in sorted(untranslated.items()):
            lines.append(f"  {text} on {', '.join(sorted(routes)[:3])}" + (" …" if len(routes) > 3 else ""))
        return "\n".join(lines)


# Runs in the page: what sticks out to the right of the viewport, the page's structure (for axe's
# de-duplication), and the texts a visitor reads or hears (for the untranslated check).
OVERFLOW = """() => {
  const root = document.documentElement, limit = root.clientWidth + 1;
  if (root.scrollWidth <= limit) return null;
  const classes = (e) =>
    typeof e.className === 'string' ? e.className.trim().split(/\\s+/).filter(Boolean) : [];
  const name = (e) => [e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''), ...classes(e)].join('.');
  const wide = [...document.body.querySelectorAll('*')]
    .filter((e) => e.getBoundingClientRect().right > limit)
    .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= limit);
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest: wide.slice(0, 3).map(name)};
}"""

SKELETON = """() => {
  const keep = ['id', 'for', 'class', 'role', 'type', 'headers', 'scope', 'tabindex', 'aria-labelledby',
                'aria-describedby', 'aria-hidden', 'hidden', 'disabled', 'open'];
  const out = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) { if (child.textContent.trim()) out.push('T'); continue; }
      if (child.nodeType !== 1) continue;
      const attrs = [...child.attributes].filter((a) => a.name !== 'selected')
        .filter((a) => !(child === document.documentElement && a.name === 'lang'))
        .map((a) => keep.includes(a.name) ? a.name + '=' + a.value : a.name + (a.value.trim() ? '+' : '-'));
      out.push('<' + child.tagName + ' ' + attrs.sort().join(' '));
      walk(child);
      out.push('>');
    }
  };
  walk(document);
  return out.join('');
}"""

TEXTS = """() => {
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !parent.closest('script, style, template')) texts.push(walker.currentNode.textContent);
  }
  const labelled = '[aria-label], [title], [placeholder], [alt], input[type=submit]';
  for (const e of document.querySelectorAll(labelled)) {
    for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'value']) {
      if (e.hasAttribute(a) && (a !== 'value' || e.type === 'submit')) texts.push(e.getAttribute(a));
    }
  }
  return texts.map((t) => t.replace(/\\s+/g, ' ').trim()).filter(Boolean);
}"""

AXE_RUN = """() => axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations
  .filter((v) => ['serious', 'critical'].includes(v.impact))
  .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')), count: v.nodes.length})))"""


# --- a live server that answers one request at a time ---------------------------------------------


class OneRequestAtATime:
    """A WSGI application that lets one request in at a time. The server still reads each connection in
    a thread of its own (Chromium opens connections it sends nothing on, which would block a server
    without threads), but the in-memory SQLite connection the test shares with the server is never used
    by two requests at once. Chromium's pages still lay out and run axe side by side."""

    def __init__(self, application: Any) -> None:
        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self.lock:
            return list(self.application(environ, start_response))


@pytest.fixture
def serial_server(settings):  # type: ignore[no-untyped-def]
    shared = {
        c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()
    }  # fmt: skip
    for connection in shared.values():
        connection.inc_thread_sharing()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    server = LiveServerThread(
        "localhost", lambda app: OneRequestAtATime(_StaticFilesHandler(app)), connections_override=shared
    )
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://localhost:{server.port}"
    server.terminate()
    for connection in shared.values():
        connection.dec_thread_sharing()


# --- the audit ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    route: str
    url: str
    role: str


def _sessions() -> dict[str, dict[str, str]]:
    """The browser cookies of each role: the session of its demo login."""
    cookies: dict[str, dict[str, str]] = {}
    for role, username in ROLES.items():
        if username is None:
            cookies[role] = {}
            continue
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookies[role] = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    return cookies


def _plan(findings: Findings, cookies: dict[str, dict[str, str]]) -> list[Visit]:
    """The page visits, after sorting out with Django's test client the routes a browser cannot audit:
    POST-only routes (405 to a GET), files (no HTML) and htmx fragments (no <html> document)."""
    fillers = demo_ids()
    visits: list[Visit] = []
    clients = {}
    for role, session in cookies.items():
        clients[role] = Client()
        for name, value in session.items():
            clients[role].cookies[name] = value
    for route in page_routes():
        if route.name in EXCLUDED:
            continue
        kwargs: dict[str, Any] = {}
        for param in route.params:
            filler = fillers.get((route.segment_before(param), param))
            if filler is None:
                findings.add(
                    route.name, "route", f"no demo id for <{param}>: add it to demo_ids() or EXCLUDED"
                )
                break
            kwargs[param] = filler()
            if kwargs[param] is None:
                findings.skipped[route.name] = f"the demo has no object for <{param}>"
                break
        else:
            url = reverse(route.name, kwargs=kwargs)
            probe = clients["superuser"].get(url)
            if probe.status_code == 405:
                findings.skipped[route.name] = "POST only"
                continue
            html = probe.get("Content-Type", "").startswith("text/html")
            if html and probe.status_code == 200 and b"<html" not in probe.content[:400].lower():
                findings.skipped[route.name] = "an htmx fragment (checked within its page)"
                continue
            if not html and probe.status_code != 302:
                findings.skipped[route.name] = (
                    f"a file ({probe.get('Content-Type', '?')}): status checked only"
                )
                for role in ROLES:
                    for language in LANGUAGES:
                        clients[role].cookies[settings.LANGUAGE_COOKIE_NAME] = language
                        status = clients[role].get(url).status_code
                        if status >= 500:
                            findings.add(route.name, "status", f"{status}", f"{role} {language}")
                continue
            findings.audited.add(route.name)
            visits += [Visit(route.name, url, role) for role in ROLES]
    return visits


def _untranslated() -> dict[str, set[str]]:
    """Per language: the messages the source uses that its compiled catalogue does not translate."""
    import tempfile

    with tempfile.TemporaryDirectory() as workdir:
        used = used_messages(Path(workdir))
    missing: dict[str, set[str]] = {"en": set()}
    for language in TRANSLATED:
        catalog = _messages_of(load_mo(catalogue(language).with_suffix(".mo")))
        missing[language] = {e.msgid for e in used if not catalog.get(catalogue_key(e))}
    return missing


async def _audit(
    base_url: str, visits: list[Visit], cookies: dict[str, dict[str, str]], findings: Findings
) -> None:
    """Each visit loads its page in English first. A page the role is redirected from (to the log-in
    page, audited as a route of its own) stops there; so does a refusal (403, 404) once the role's
    refusal page has been audited. Otherwise the page is loaded again in each other language."""
    from playwright.async_api import async_playwright

    untranslated = _untranslated()
    axe_seen: set[tuple[str, int]] = set()
    refusals_seen: set[tuple[str, int]] = set()  # (role, status)
    host = urlsplit(base_url).hostname
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        contexts = {}
        for role in ROLES:
            for language in LANGUAGES:
                context = await browser.new_context(
                    base_url=base_url,
                    viewport={"width": WIDTHS[0], "height": 900},
                    bypass_csp=True,  # axe is injected as an inline script, which Helix's policy refuses
                    reduced_motion="reduce",
                )
                jar = {**cookies[role], settings.LANGUAGE_COOKIE_NAME: language}
                await context.add_cookies(
                    [{"name": k, "value": v, "domain": host, "path": "/"} for k, v in jar.items()]
                )
                contexts[role, language] = context
        limit = asyncio.Semaphore(PARALLEL_PAGES)

        async def walk(role: str, language: str, lane: list[Visit]) -> list[Visit]:
            """One browser page walks a lane of visits (a page kept, not one per visit: Chromium starts
            a process for each new page); returns the visits worth loading in the other languages."""
            kept = []
            async with limit:
                page = await contexts[role, language].new_page()
                try:
                    for visit in lane:
                        await page.set_viewport_size({"width": WIDTHS[0], "height": 900})
                        try:
                            if await check(page, visit, language):
                                kept.append(visit)
                        except Exception as exc:  # a page that fails to load is a finding
                            findings.add(visit.route, "load", str(exc).splitlines()[0], f"{role} {language}")
                            await page.close()
                            page = await contexts[role, language].new_page()
                finally:
                    await page.close()
            return kept

        async def check(page: Any, visit: Visit, language: str) -> bool:
            """Check the page; False when the other languages need no visit."""
            where = f"{visit.role} {language}"
            response = await page.goto(visit.url, wait_until="load", timeout=30_000)
            status = response.status if response else 0
            if status >= 500 or status == 0:
                findings.add(visit.route, "status", f"{status} at {visit.url}", where)
                return False
            if urlsplit(page.url).path != urlsplit(visit.url).path:
                return False  # redirected: the page it leads to is a route of its own
            if status in (403, 404) and language == LANGUAGES[0]:
                if (visit.role, status) in refusals_seen:
                    return False
                refusals_seen.add((visit.role, status))
            findings.pages += 1
            skeleton = hashlib.sha256((await page.evaluate(SKELETON)).encode()).hexdigest()
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    await page.set_viewport_size({"width": width, "height": 844})
                wide = await page.evaluate(OVERFLOW)
                if wide:
                    findings.add(visit.route, "overflow", json.dumps(wide), f"{width}px {where}")
                if (skeleton, width) in axe_seen:
                    continue
                axe_seen.add((skeleton, width))
                findings.axe_runs += 1
                if not await page.evaluate("typeof axe !== 'undefined'"):
                    await page.add_script_tag(path=str(AXE))
                for v in await page.evaluate(AXE_RUN):
                    detail = f"{v['impact']}: {v['help']} ({v['count']}x, e.g. {v['targets']})"
                    findings.add(visit.route, v["id"], detail, f"{width}px {where} (status {status})")
            shown = set(await page.evaluate(TEXTS)) if untranslated[language] else set()
            for text in sorted(shown & untranslated[language]):
                findings.add(visit.route, "untranslated", repr(text), language)
            return True

        def lanes(some: list[Visit]) -> list[list[Visit]]:
            return [some[i : i + LANE] for i in range(0, len(some), LANE)]

        first, others = LANGUAGES[0], LANGUAGES[1:]
        by_role = {role: [v for v in visits if v.role == role] for role in ROLES}
        kept_lanes = await asyncio.gather(
            *(walk(role, first, lane) for role in ROLES for lane in lanes(by_role[role]))
        )
        kept = [v for lane in kept_lanes for v in lane]
        await asyncio.gather(
            *(
                walk(role, language, lane)
                for language in others
                for role in ROLES
                for lane in lanes([v for v in kept if v.role == role])
            )
        )

        await browser.close()


def _run_in_thread(coroutine: Any) -> None:
    """Run the async audit in a thread of its own: the test thread may hold Playwright's sync loop."""
    error: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if error:
        raise error[0]


def test_every_demo_page_for_every_role_width_and_language(serial_server, settings):  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium); CI installs it")
    pytest.importorskip("playwright")
    from helix.demo import load_demo

    started = monotonic()
    load_demo()
    add_what_the_demo_lacks()
    findings = Findings()
    cookies = _sessions()
    visits = _plan(findings, cookies)
    planned = monotonic()
    request_log = logging.getLogger("django.request")
    level, request_log.level = request_log.level, logging.ERROR  # refusals (403, 404) are expected
    try:
        _run_in_thread(_audit(serial_server, visits, cookies, findings))
    finally:
        request_log.setLevel(level)

    summary = (
        f"Page audit: {len(findings.audited)} routes x {len(ROLES)} roles x {len(WIDTHS)} widths x "
        f"{len(LANGUAGES)} languages; {findings.pages} pages checked, {findings.axe_runs} axe runs; "
        f"{monotonic() - started:.0f} s, of which {planned - started:.0f} s to load the demo and sort the "
        "routes.\n"
        + "".join(
            f"  left out {name}: {why}\n" for name, why in sorted({**EXCLUDED, **findings.skipped}.items())
        )
    )
    print(summary)
    if findings.problems:
        pytest.fail(f"{summary}\n{findings.report()}", pytrace=False)
