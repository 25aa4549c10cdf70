"""Meeting requests between the owners of a need and an offer: asked by one side, answered by the other.

The request's lifecycle is data (helix.core.matchmaking.workflows); events take open requests from here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.core.matchmaking.workflows import ASKED, MARKET_MEETING_WORKFLOW
from helix.core.workflow import TransitionNotAllowed
from helix.market import notices
from helix.market.feedback import record_feedback
from helix.market.models import Listing, MeetingRequest, MeetingStatus, Side, Verdict
from helix.market.services import can_edit_listing
from helix.registry.permissions import can, can_edit_organisation, own_organisation_id


@transaction.atomic
def request_meeting(user: Any, need: Listing, offer: Listing, *, message: str = "") -> MeetingRequest:
    """Ask that the owners of ``need`` and ``offer`` meet. The asker must own one side (or be staff of
    it); the other side's organisation receives the request. Events take open requests from here."""
    own = own_organisation_id(user)
    if need.side != Side.NEED or offer.side != Side.OFFER:
        raise ValidationError({"need": _("A meeting is requested between a need and an offer.")})
    if not (can(user, "request_meeting", need) and can(user, "request_meeting", offer)):
        raise PermissionDenied("not visible to you")
    if own == need.organisation_id or (own != offer.organisation_id and can_edit_listing(user, need)):
        asking, asked = need.organisation, offer.organisation
    elif own == offer.organisation_id or can_edit_listing(user, offer):
        asking, asked = offer.organisation, need.organisation
    else:
        raise PermissionDenied("you act for neither side")
    if asking.pk == asked.pk:
        raise ValidationError({"offer": _("Both listings belong to the same organisation.")})
    existing = MeetingRequest.objects.filter(
        need=need, offer=offer, from_organisation=asking, status=MeetingStatus.REQUESTED
    ).first()
    if existing:
        return existing
    meeting = MeetingRequest.objects.create(
        need=need,
        offer=offer,
        requested_by=user if getattr(user, "pk", None) else None,
        from_organisation=asking,
        to_organisation=asked,
        message=message,
    )
    record_feedback(user, need, offer, Verdict.CONTACTED)
    notices.meeting_requested(meeting)  # the organisation asked hears of it (helix.market.notices)
    return meeting


@transaction.atomic
def answer_meeting(user: Any, meeting: MeetingRequest, accept: bool) -> MeetingRequest:
    if not (
        user.is_superuser
        or own_organisation_id(user) == meeting.to_organisation_id
        or can_edit_organisation(user, meeting.to_organisation)
    ):
        raise PermissionDenied("only the asked organisation answers")
    # The request's lifecycle is data (helix.core.matchmaking.workflows); the asked side answers an open one.
    meeting.refresh_from_db(fields=["status"])
    target = MeetingStatus.ACCEPTED if accept else MeetingStatus.DECLINED
    try:
        MARKET_MEETING_WORKFLOW.check(meeting.status, target, {ASKED})
    except TransitionNotAllowed:
        raise ValidationError({"status": _("This request was already answered.")}) from None
    meeting.status = target
    meeting.responded_at = timezone.now()
    meeting.save(update_fields=["status", "responded_at"])
    notices.meeting_answered(meeting)  # the asker hears the answer
    return meeting
