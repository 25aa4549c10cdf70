"""The Helix REST API: one router per app, an OpenAPI 3 schema at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from helix.api import (
    calls,
    docs,
    events,
    funds,
    market,
    notifications,
    privacy,
    projects,
    registry,
    roadmaps,
    symbiosis,
)

api = NinjaAPI(
    title="Helix API",
    version="1",
    description=(
        "The Helix registry: organisations, people, sites, clusters and memberships.\n\n"
        "Needs and offers (under /market/): organisations post what they seek and what they provide, in "
        "Dutch, French, German or English; each listing gets suggested counterparts with the reasons for "
        "them, and leads to feedback and meeting requests.\n\n"
        "Reads need no credentials and show what the public pages show. To see more, or to change data, "
        "send `Authorization: Bearer <token>` (create one with `helix api token create USERNAME`), or use "
        "the session of a logged-in browser, which must send the CSRF token with writes.\n\n"
        "Industrial symbiosis (under /symbiosis/): resource flows offered and wanted (waste with its "
        "European List of Waste code, residual heat, water, CO2, infrastructure, logistics, people), "
        "proposed exchanges with their explanation and impact, their workflow, and network allocation.\n\n"
        "Projects (under /projects/): precluster and flagship projects, innovation trajectories, living "
        "labs, working tables and studies with their consortia, and their lifecycle.\n\n"
        "Calls for proposals (under /calls/): calls with their stages, deadlines in time zones, forms and "
        "eligibility rules; applications drafted together by co-applicants, attachments, submission with a "
        "receipt, eligibility with a reason per rule, and the staff's moves.\n\n"
        "Funds (under /funds/): funding instruments (subsidies, loans, equity, vouchers) with their caps, "
        "for anyone signed in; their ledgers for staff (a beneficiary sees its own entries); booking on a "
        "ledger for staff, a refusal being 409 with each reason.\n\n"
        "Roadmaps (under /roadmaps/): cluster roadmaps with their participants, tracks, milestones, "
        "deliverables and activities, the forecast of each (dates, slack, critical path, where it stands "
        "and why), what a slip would move, and their lifecycle from draft to adopted versions; the "
        "owners accept their milestones and report progress.\n\n"
        "Your notifications (under /me/): what Helix told you, newest first, and marking it read."
    ),
    docs=docs.LocalSwagger(),
    docs_url="/docs",
)
api.add_router("/registry/", registry.router)
api.add_router("/market/", market.router)
api.add_router("/events/", events.router)
api.add_router("/symbiosis/", symbiosis.router)
api.add_router("/projects/", projects.router)
api.add_router("/calls/", calls.router)
api.add_router("/funds/", funds.router)
api.add_router("/roadmaps/", roadmaps.router)
api.add_router("/privacy/", privacy.router)
api.add_router("/me/", notifications.router)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=exc.status_code)
    response["WWW-Authenticate"] = 'Bearer realm="helix"'
    return response


@api.get("/docs/assets/{name}", include_in_schema=False, url_name="docs_asset", auth=None)
def docs_file(request: HttpRequest, name: str) -> FileResponse:
    """A file of the docs page; not part of the API, so not in the schema."""
    return docs.docs_asset(request, name)
