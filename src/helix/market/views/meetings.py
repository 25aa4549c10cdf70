"""Needs-and-offers pages of meeting requests: ask the owners of a suggested pair to meet, see the requests
of one's organisations, accept or decline one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.market import meeting_requests, services
from helix.market.models import MeetingRequest, MeetingStatus
from helix.market.views.listings import visible_listing
from helix.market.views.matches import posted_pair
from helix.registry import permissions
from helix.registry.models import Organisation


@login_required
@require_POST
def listing_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask that the owners of a suggested pair meet (the asker acts for one of the two)."""
    listing = visible_listing(request.user, pk)
    pair = posted_pair(request, listing)
    if pair is None:
        return HttpResponseBadRequest(_("Choose a need and an offer."))
    need, offer = pair
    other = offer if listing.pk == need.pk else need
    message = request.POST.get("message", "").strip()[:2000]
    try:
        meeting = meeting_requests.request_meeting(request.user, need, offer, message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Meeting request sent to %(name)s.") % {"name": meeting.to_organisation.name}
        )
    return redirect(f"{listing.get_absolute_url()}#match-{other.pk}")


# Meetings -----------------------------------------------------------------------------------------


def _acting_organisations(user: Any) -> Any:
    own = permissions.own_organisation_id(user)
    if own is not None:
        return Organisation.objects.filter(pk=own).values("pk")
    return services.organisations_user_may_post_for(user).values("pk")


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    organisations = _acting_organisations(request.user)
    requests = MeetingRequest.objects.select_related(
        "need", "offer", "from_organisation", "to_organisation", "requested_by"
    )
    context = {
        "incoming": requests.filter(to_organisation__in=organisations),
        "outgoing": requests.filter(from_organisation__in=organisations),
        "requested": MeetingStatus.REQUESTED,
    }
    return render(request, "market/meetings.html", context)


@login_required
@require_POST
def meeting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        MeetingRequest.objects.select_related("from_organisation", "to_organisation"), pk=pk
    )
    answer = request.POST.get("answer", "")
    if answer not in ("accept", "decline"):
        return HttpResponseBadRequest(_("Answer accept or decline."))
    try:
        meeting_requests.answer_meeting(request.user, meeting, accept=answer == "accept")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = (
            _("You accepted to meet %(name)s.") if answer == "accept" else _("You declined to meet %(name)s.")
        )
        messages.success(request, text % {"name": meeting.from_organisation.name})
    return redirect("market:meetings")
