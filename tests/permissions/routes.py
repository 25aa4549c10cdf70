"""Every route of the site and what it is about, for the permission matrix (tests/permissions/test_matrix.py).

A route is either about one object of the test world (``On``: the page asks the object's permission
table for ``action``), open to a set of roles without an object (``Gate``), or exempt with a reason
(``Exempt``: login, logout, static helpers). A route missing here fails the matrix test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from helix.core.access import ANY_STAFF, ANYONE, SIGNED_IN, Role


@dataclass(frozen=True)
class On:
    """A route about one object: ``things`` is the world key prefix ("org", "listing" ...)."""

    things: str
    action: str
    kwargs: Callable[[Any], Mapping[str, Any]]
    method: str = "GET"
    ok: frozenset[int] = frozenset({200})
    only: tuple[str, ...] = ()  # these world objects only (the others have nothing to show: a 404 for all)


@dataclass(frozen=True)
class Gate:
    """A route about no single object, open to ``roles`` (the superuser always)."""

    roles: frozenset[Role]
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    method: str = "GET"
    ok: frozenset[int] = frozenset({200})


@dataclass(frozen=True)
class Exempt:
    reason: str


def slug(thing: Any) -> dict[str, Any]:
    return {"slug": thing.slug}


def pk(thing: Any) -> dict[str, Any]:
    return {"pk": thing.pk}


def call_key(thing: Any) -> dict[str, Any]:
    return {"key": thing.key}


def key(thing: Any) -> dict[str, Any]:
    return {"key": thing.key}


def roadmap_item(thing: Any) -> dict[str, Any]:
    return {"key": thing.key, "item": thing.items.order_by("pk").first().key}


def person(thing: Any) -> dict[str, Any]:
    return {"person_id": thing.pk}


REDIRECT = frozenset({302})
POSTED = frozenset({200, 302, 400})  # a form again with its errors, a redirect, or a refusal of bad input

ROUTES: dict[str, On | Gate | Exempt] = {
    # the home page (what each role sees on it: tests/home/test_views.py)
    "home:home": Gate(ANYONE),
    # registry
    "registry:directory": Gate(ANYONE),
    "registry:organisation": On("org", "view", slug),
    "registry:organisation_edit": On("org", "edit", slug),
    "registry:interaction_create": On("org", "log_interaction", slug, method="POST", ok=POSTED),
    "registry:import": Gate(ANY_STAFF),
    "registry:export": Gate(ANY_STAFF),
    "registry:export_download": Exempt("a job's file: tests/jobs check it is its creator's only"),
    "registry:letter_document": On("letter", "download", pk, ok=frozenset({404})),  # no file in the world
    "registry:cluster_list": Gate(ANYONE),
    "registry:cluster": On("cluster", "view", slug),
    "registry:pipeline": On("cluster", "manage", slug),
    "registry:follow_up_done": Exempt(
        "POST on a cluster's interaction: tests/registry/test_cluster_views_pipeline"
    ),
    "registry:pipeline_move": Exempt(
        "POST on a membership of a cluster: tests/registry/test_cluster_views_pipeline"
    ),
    # market
    "market:browse": Gate(ANYONE),
    "market:listing_create": Gate(SIGNED_IN, ok=frozenset({200, 403})),
    "market:listing": On("listing", "view", pk),
    "market:listing_edit": On("listing", "edit", pk),
    "market:listing_status": On("listing", "transition", pk, method="POST", ok=POSTED),
    "market:listing_feedback": On("listing", "feedback", pk, method="POST", ok=POSTED),
    "market:listing_meeting": On("listing", "request_meeting", pk, method="POST", ok=POSTED),
    "market:organisation_matches": On("org", "view", slug),
    "market:meetings": Gate(SIGNED_IN),
    "market:meeting_answer": Exempt("POST on a meeting request: tests/market/test_services answer rules"),
    "market:who_meets_whom": Gate(ANY_STAFF),
    "market:learn_weights": Gate(ANY_STAFF, method="POST", ok=POSTED),
    "market:reindex": Gate(ANY_STAFF, method="POST", ok=POSTED),
    # events
    "events:list": Gate(ANYONE),
    "events:create": Gate(ANY_STAFF),
    "events:detail": On("event", "view", pk),
    "events:register": On("event", "register", pk, method="POST", ok=POSTED),
    "events:status": On("event", "change_status", pk, method="POST", ok=POSTED),
    "events:request": Exempt("POST as a participant: tests/events/test_permissions asks page and API alike"),
    "events:request_from_match": Exempt("POST as a participant: tests/events/test_permissions"),
    "events:run_schedule": On("event", "schedule", pk, method="POST", ok=POSTED),
    "events:grid": On("event", "view_schedules", pk),
    "events:grid_export": On(
        "event", "view_schedules", lambda e: {"pk": e.pk, "fmt": "csv"}, only=("event:alpha-open",)
    ),
    "events:table_cards": On("event", "view_schedules", pk, only=("event:alpha-open",)),
    "events:agenda_pdf": On("registration", "download_agenda", pk),
    "events:answer": On("eventrequest", "answer", pk, method="POST", ok=POSTED),
    "events:cancel_request": On("eventrequest", "cancel", pk, method="POST", ok=POSTED),
    "events:update_request": On("eventrequest", "edit", pk, method="POST", ok=POSTED),
    "events:availability": On("registration", "act_for", pk, method="POST", ok=POSTED),
    "events:schedule_status": On("schedule", "view", pk),
    "events:publish": On("schedule", "publish", pk, method="POST", ok=POSTED),
    "events:cancel": On("schedule", "cancel", pk, method="POST", ok=POSTED),
    "events:agenda": On("registration", "view_agenda", pk),
    "events:agenda_ics": On("registration", "download_agenda", pk),
    "events:signup": On("event", "sign_up", pk, method="POST", ok=POSTED),
    "events:decide_signup": On("signup", "decide", pk, method="POST", ok=POSTED),
    "events:add_participant": On("event", "register_others", pk),
    "events:import_participants": On("event", "register_others", pk),
    "events:bulk_registrations": On("event", "check_in", pk, method="POST", ok=POSTED),
    "events:bulk_requests": On("event", "manage_requests", pk, method="POST", ok=POSTED),
    "events:statistics": On("event", "view_statistics", pk),
    "events:participant": On("registration", "view", pk),
    "events:participant_edit": On("registration", "act_for", pk, method="POST", ok=POSTED),
    "events:check_in": On("registration", "check_in", pk, method="POST", ok=POSTED),
    "events:outcome": On("eventrequest", "record_outcome", pk, method="POST", ok=POSTED),
    "events:rate": On("eventrequest", "rate", pk, method="POST", ok=POSTED),
    # open to anyone holding a valid signed token (the e-mail's link); a bad token is refused alike for all
    "events:answer_link": Gate(ANYONE, kwargs={"token": "not-a-signed-token"}, ok=frozenset({400})),
    # symbiosis
    "projects:list": Gate(ANYONE),
    "projects:detail": On("project", "view", pk),
    "projects:move": On("project", "transition", pk, method="POST", ok=POSTED),
    # calls: applicants' pages, files, and the staff who run a call
    "calls:list": Gate(ANYONE),
    "calls:create": Gate(ANY_STAFF),
    "calls:detail": On("call", "view", pk),
    "calls:apply": On("call", "apply", pk, method="POST", ok=POSTED),
    "calls:mine": Gate(SIGNED_IN),
    "calls:application": On("application", "view", pk),
    "calls:save": On("application", "edit", pk, method="POST", ok=POSTED),  # 400 without its revision
    "calls:eligibility": On("application", "view", pk),
    "calls:submit": On("application", "transition", pk),
    "calls:application_move": On("application", "transition", pk, method="POST", ok=POSTED),
    "calls:receipt": On("application-submission", "view", pk),
    "calls:partner_search": On("application", "edit", pk),
    "calls:partner_add": On("application", "edit", pk, method="POST", ok=POSTED),
    "calls:partner_remove": On(
        "application",
        "edit",
        lambda a: {"pk": a.pk, "organisation": a.applicants.get(lead=True).organisation_id},
        method="POST",
        ok=POSTED,
    ),
    "calls:attachment": On("application-attachment", "view", pk),
    # a reviewer downloads through an assignment (none once they declared a conflict)
    "calls:assignment_attachment": On(
        "assignment", "view", lambda a: {"pk": a.pk, "attachment": a.application.attachments.get().pk}
    ),
    "calls:manage": On("call", "view_applications", pk),
    "calls:call_move": On("call", "transition", pk, method="POST", ok=POSTED),
    "calls:judge": On("application", "transition", pk, method="POST", ok=POSTED),
    # a project's parts: their pages (and forms) are its editors'
    "projects:budget": On("project", "edit", pk),
    "projects:funding": On("project", "edit", pk),
    "projects:milestones": On("project", "edit", pk),
    "projects:reports": On("project", "edit", pk),
    "projects:consortium": On("project", "edit", pk),
    # funds: instruments for anyone signed in, the booking form for those who book on it
    "funds:list": Gate(SIGNED_IN),
    "funds:instrument": On("instrument", "view", key),
    "funds:book": On("instrument", "book", key),
    # programme cycles (helix.insights.programme_views)
    "programmes:list": Gate(ANYONE),
    "programmes:new": On("insights", "view", slug),  # the programme's create grant: the cluster's staff
    "programmes:programme": On("programme", "view", pk),
    "programmes:cycle_new": On("programme", "edit", pk),
    "programmes:cycle": On("cycle", "view", pk),
    "programmes:cycle_move": On("cycle", "move", pk, method="POST", ok=REDIRECT),
    "programmes:cycle_link": On("cycle", "link", pk, method="POST", ok=REDIRECT),
    "programmes:output_new": On("cycle", "link", pk),
    "programmes:cycle_report": On("cycle", "report", pk, method="POST", ok=REDIRECT),
    "programmes:link_remove": Exempt(
        "a POST that deletes the link (the next role would find none): tests/insights/test_programmes.py"
    ),
    "programmes:output": On("output", "view", pk),
    "programmes:output_reuse": On("output", "reuse", pk, method="POST", ok=REDIRECT),
    # insights: a cluster's indicators, for its staff
    "insights:clusters": Gate(ANY_STAFF),
    "insights:indicators": On("insights", "view", slug),
    "insights:assessment": On("insights", "assess", slug),
    "insights:dashboard": On("insights", "view", slug),
    "insights:report": On("insights", "report", slug, method="POST", ok=REDIRECT),
    "insights:stories": On("insights", "view", slug),
    "insights:story_new": On("insights", "view", slug),
    "insights:story": On("story", "view", pk),
    "insights:story_edit": On("story", "edit", pk),
    "insights:story_move": On("story", "publish", pk, method="POST", ok=REDIRECT),
    "insights:story_approve": On("story", "approve", pk, method="POST", ok=REDIRECT),
    "insights:partner_add": On("insights", "view", slug, method="POST", ok=REDIRECT),
    "insights:partner_remove": Exempt(
        "a POST that deletes the link (the next role would find none): tests/insights/test_stories.py"
    ),
    # the public showcase and agenda (what an anonymous visitor may see, the same for everyone)
    "showcase:index": Gate(ANYONE),
    "showcase:feed": Gate(ANYONE),
    "showcase:story": On("story", "view", pk),
    "showcase:agenda": Gate(ANYONE),
    "showcase:agenda_feed": Gate(ANYONE),
    "showcase:agenda_ics": Gate(ANYONE),
    # open data: what anyone may see, as files with their schema and a DCAT-AP catalogue
    "opendata:index": Gate(ANYONE),
    "opendata:catalog": Gate(ANYONE),
    "opendata:dataset": Gate(ANYONE, kwargs={"name": "organisations", "fmt": "csv"}),
    "insights:report_download": Exempt(
        "a finished report job's file, for its creator among the cluster's staff: tests/insights/test_report"
    ),
    "insights:export": On("insights", "export", lambda c: {"slug": c.slug, "fmt": "csv"}),
    "insights:indicator": On("insights", "view", lambda c: {"slug": c.slug, "code": "committed_members"}),
    "insights:enter": On(
        "insights",
        "enter_values",
        lambda c: {"slug": c.slug, "code": "press_mentions"},
        method="POST",
        ok=POSTED,
    ),
    # calls: the review and the decision (helix.calls.review_urls)
    "calls:my_reviews": Gate(SIGNED_IN),
    "calls:review": On("assignment", "view", pk),
    "calls:review_save": On("assignment", "review", pk, method="POST", ok=POSTED),
    # without the tick the declaration is refused (a redirect with the reason): the world stays as it is
    "calls:review_conflict": On("assignment", "declare_conflict", pk, method="POST", ok=POSTED),
    "calls:review_attachment": On(
        "assignment", "view", lambda a: {"pk": a.pk, "attachment": a.application.attachments.get().pk}
    ),
    "calls:reviewers": On("call", "edit", call_key),
    "calls:reviewer_add": On("call", "edit", call_key, method="POST", ok=POSTED),
    # without an action (save or remove) nothing changes: a redirect with the reason
    "calls:reviewer_edit": On("reviewer", "edit", pk, method="POST", ok=POSTED),
    "calls:assignments": On("call", "view_applications", call_key),
    "calls:assign": On("call", "edit", call_key, method="POST", ok=POSTED),
    "calls:ranking": On("call", "view_applications", call_key),
    "calls:decision": On("call", "decide", call_key),
    "calls:decision_confirm": On("call", "decide", call_key, method="POST", ok=POSTED),
    "calls:award": On("call", "decide", call_key, method="POST", ok=POSTED),
    # a letter exists once the application is decided: the world's decided one (the others: 404 for all)
    "calls:letter": On("application", "view_letter", pk, only=("application:a1-decided",)),
    # roadmaps: anyone they reach; their content and levelling for the cluster's staff
    "roadmaps:list": Gate(ANYONE),
    "roadmaps:new": Gate(ANY_STAFF),
    "roadmaps:detail": On("roadmap", "view", key),
    "roadmaps:move": On("roadmap", "transition", key, method="POST", ok=POSTED),
    "roadmaps:whatif": On("roadmap", "view", key),
    "roadmaps:gantt": On("roadmap", "view", key),
    "roadmaps:trl": On("roadmap", "view", key),
    "roadmaps:interplay": On("roadmap", "view", key),
    "roadmaps:export": On("roadmap", "export", lambda r: {"key": r.key, "fmt": "csv"}),
    "roadmaps:item_new": On("roadmap", "edit", key),
    "roadmaps:item_edit": On("roadmap", "edit", roadmap_item),
    "roadmaps:item_delete": Exempt("POST deleting the item: tests/roadmaps/test_permissions asks each role"),
    "roadmaps:participants": On("roadmap", "edit", key),
    "roadmaps:dependencies": On("roadmap", "edit", key),
    "roadmaps:import": On("roadmap", "edit", key),
    "roadmaps:level": On("roadmap", "level", key),
    "roadmaps:accept": Exempt("the item's owner only: tests/roadmaps/test_permissions asks each role"),
    "roadmaps:progress": Exempt("the item's owner or staff: tests/roadmaps/test_permissions asks each role"),
    "symbiosis:flows": Gate(ANYONE),
    "symbiosis:flows_csv": Gate(SIGNED_IN),
    "symbiosis:flow_create": Gate(SIGNED_IN, ok=frozenset({200, 403})),
    "symbiosis:flow": On("flow", "view", pk),
    "symbiosis:flow_edit": On("flow", "edit", pk),
    "symbiosis:ewc": Gate(ANYONE),
    "symbiosis:ewc_suggest": Gate(ANYONE),
    "symbiosis:map": Gate(ANYONE),
    "symbiosis:synergies": Gate(SIGNED_IN),
    "symbiosis:synergy": On("synergy", "view", pk),
    "symbiosis:synergy_accept": On("synergy", "accept", pk, method="POST", ok=POSTED),
    "symbiosis:synergy_move": On("synergy", "transition", pk, method="POST", ok=POSTED),
    "symbiosis:synergy_report": On("synergy", "report", pk, method="POST", ok=POSTED),
    "symbiosis:dashboard": Gate(SIGNED_IN),
    "symbiosis:factors": Gate(SIGNED_IN),
    "symbiosis:run_matching": Gate(ANY_STAFF, method="POST", ok=POSTED),
    "symbiosis:run_allocation": Gate(ANY_STAFF, method="POST", ok=POSTED),
    "symbiosis:allocation": Exempt("an allocation run's page: tests/symbiosis/test_permissions"),
    # people: invitations and sign-ups
    "people:invite": Gate(ANY_STAFF),
    "people:invite_file": Gate(ANY_STAFF),
    "people:invitations": Gate(ANY_STAFF),
    "people:invitation_resend": On("invitation", "resend", pk, method="POST", ok=POSTED),
    "people:invitation_revoke": On("invitation", "revoke", pk, method="POST", ok=POSTED),
    "people:colleague": Gate(SIGNED_IN, ok=frozenset({200, 403})),  # 403 for an account of no organisation
    "people:accept": Exempt("needs a token sent by mail: tests/people/test_invitations"),
    "people:signup": Gate(ANYONE),
    "people:signup_sent": Gate(ANYONE),
    "people:signup_confirm": Exempt("needs a token sent by mail: tests/people/test_signups"),
    "people:signups": Gate(ANY_STAFF),
    "people:signup_decide": On("signuprequest", "decide", pk),
    # privacy
    "privacy:mine": Gate(SIGNED_IN, ok=frozenset({200, 302})),  # to one's own page, or "no record"
    "privacy:person": On("person", "view_personal_data", person),
    "privacy:consents": On("person", "change_consents", person, method="POST", ok=POSTED),
    "privacy:export": On("person", "export_data", person),
    "privacy:export_json": On("person", "export_data", person),
    "privacy:erase": On("person", "erase", person),
    # jobs and the audit trail
    "jobs:detail": Exempt("a job is its creator's: tests/jobs/test_services"),
    "jobs:retry": Exempt("a job is its creator's: tests/jobs/test_services_stale"),
    "audit:entries": Gate(ANY_STAFF),
    # notifications: each person's own inbox and preferences
    "notifications:inbox": Gate(SIGNED_IN),
    "notifications:preferences": Gate(SIGNED_IN),
    "notifications:read_all": Gate(SIGNED_IN, method="POST", ok=REDIRECT),
    "notifications:open": Exempt("a notification is its recipient's: tests/notifications/test_views"),
    "notifications:read": Exempt("a notification is its recipient's: tests/notifications/test_views"),
    # accounts, languages, the API's own pages
    "login": Gate(ANYONE),
    "logout": Exempt("POST only; signs out whoever calls it"),
    "password_change": Gate(SIGNED_IN),
    "password_change_done": Gate(SIGNED_IN),
    "password_reset": Gate(ANYONE),
    "password_reset_done": Gate(ANYONE),
    "password_reset_confirm": Exempt("needs a token sent by mail: tests/test_accounts"),
    "password_reset_complete": Gate(ANYONE),
    "set_language": Exempt("POST only; sets the visitor's own language"),
}
