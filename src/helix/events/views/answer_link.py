"""Answering a meeting request from the signed link of an e-mail, without an account or a password.

GET shows the request (who asks, their message, the event's date) and a button; only the POST of that
button answers (mail scanners and link previews follow links: a GET changes nothing). The token says
which request and which registration (helix.events.notices.read_answer_token); a link answered already
shows the answer, an altered, expired or past-event link a page that says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from helix.actions import error_text
from helix.core.workflow import TransitionNotAllowed
from helix.events import meeting_requests, notices
from helix.events.models import RequestStatus

REFUSED_STATUS = {"tampered": 400, "expired": 410, "ended": 410}


@never_cache
@require_http_methods(["GET", "POST"])
def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = notices.read_answer_token(token)
    except notices.LinkRefused as refused:
        return render(
            request,
            "events/answer_link_refused.html",
            {"reason": refused.code, "link_days": notices.LINK_DAYS},
            status=REFUSED_STATUS.get(refused.code, 400),
        )
    meeting = link.request
    if request.method == "POST" and meeting.status == RequestStatus.REQUESTED:
        answer = request.POST.get("answer")
        accept = link.accept if answer not in ("accept", "decline") else answer == "accept"
        try:
            meeting_requests.answer_request_by_link(meeting, accept)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        except (PermissionDenied, TransitionNotAllowed):
            messages.error(request, _("This request can no longer be answered."))
        else:
            done = (
                _("You accepted the meeting. %(organisation)s is told.")
                if accept
                else _("You declined the meeting. %(organisation)s is told.")
            )
            messages.success(request, done % {"organisation": meeting.requester.organisation.name})
        return redirect(request.path)
    deadline = meeting.event.request_deadline
    return render(
        request,
        "events/answer_link.html",
        {
            "meeting": meeting,
            "event": meeting.event,
            "accept": link.accept,
            "open": meeting.status == RequestStatus.REQUESTED,
            "deadline_passed": deadline is not None and timezone.now() > deadline,
        },
    )
