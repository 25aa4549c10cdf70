"""Sign-up pages: the public request for an account (rate-limited, confirmed by e-mail) and the staff's
list of sign-up requests, where they approve or reject one (helix.people.signups).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from helix.accounts import refusal
from helix.core.people.lifecycle import (
    SignupStatus,
)
from helix.people import signups as signup_service
from helix.people.forms import (
    ApproveForm,
    RejectForm,
    SignupForm,
)
from helix.people.models import (
    SIGNUP_STATUS_LABELS,
    SignupRequest,
)
from helix.people.views import PAGE_SIZE, form_error, staff_gate
from helix.ratelimit import client_ip, over_limit
from helix.registry.models import Organisation
from helix.registry.permissions import can

# Sign-up forms sent from one address, and requests for one e-mail address, per HELIX_RATE_LIMIT_MINUTES.
SIGNUPS_PER_ADDRESS = 10
SIGNUPS_PER_EMAIL = 3


# -- sign-up ------------------------------------------------------------------------------------------------


def signup(request: HttpRequest) -> HttpResponse:
    """The public sign-up form. Whatever the address, the answer is the same page ("look in your
    mailbox"); the e-mail says the rest to the mailbox's owner only."""
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        window = 60 * settings.HELIX_RATE_LIMIT_MINUTES
        if over_limit("signup", client_ip(request), limit=SIGNUPS_PER_ADDRESS, window_seconds=window):
            return refusal(request, "signup")
        if form.is_valid():
            data = form.cleaned_data
            if data.get("website"):  # a robot filled in the field people do not see
                return redirect("people:signup_sent")
            email = data["email"].strip().lower()
            if over_limit("signup-email", email, limit=SIGNUPS_PER_EMAIL, window_seconds=window):
                return refusal(request, "signup")
            signup_service.request_signup(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=data["password1"],
                organisation=data["directory_organisation"],
                organisation_name=data["organisation"],
                cluster=data["cluster"],
                message=data["message"],
                language=(request.LANGUAGE_CODE or "en")[:2],
            )
            return redirect("people:signup_sent")
    directory = Organisation.objects.filter(is_published=True).order_by("name").values_list("name", flat=True)
    return render(request, "people/signup.html", {"form": form, "directory": directory[:2000]})


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "people/signup_sent.html")


def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    outcome, signup_request = signup_service.confirm_signup(token)
    status = 200 if outcome in (signup_service.CONFIRMED, signup_service.ALREADY) else 410
    return render(
        request, "people/signup_confirmed.html", {"outcome": outcome, "signup": signup_request}, status=status
    )


# -- staff: sign-up requests --------------------------------------------------------------------------------

SIGNUP_FILTERS = {
    SignupStatus.PENDING.value: SIGNUP_STATUS_LABELS[SignupStatus.PENDING],
    SignupStatus.APPROVED.value: SIGNUP_STATUS_LABELS[SignupStatus.APPROVED],
    SignupStatus.REJECTED.value: SIGNUP_STATUS_LABELS[SignupStatus.REJECTED],
}


@login_required
def signups(request: HttpRequest) -> HttpResponse:
    staff_gate(request, SignupRequest)
    state = request.GET.get("state", SignupStatus.PENDING.value)
    state = state if state in SIGNUP_FILTERS else SignupStatus.PENDING.value
    queryset = signup_service.signups_for(request.user).filter(status=state)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/signups.html",
        {"tab": "signups", "page_obj": page, "state": state, "states": SIGNUP_FILTERS.items()},
    )


@login_required
def signup_decide(request: HttpRequest, pk: int) -> HttpResponse:
    signup_request = get_object_or_404(signup_service.signups_for(request.user), pk=pk)
    if not can(request.user, "decide", signup_request):
        raise PermissionDenied(_("You may not decide this sign-up request."))
    initial = signup_service.approval_defaults(signup_request, request.user)
    decision = request.POST.get("decision") if request.method == "POST" else None
    approve_form = ApproveForm(
        request.POST if decision == "approve" else None, user=request.user, initial=initial
    )
    reject_form = RejectForm(request.POST if decision == "reject" else None)
    if decision == "approve" and approve_form.is_valid():
        try:
            user = signup_service.approve_signup(
                signup_request, by=request.user, **approve_form.organisation_choice()
            )
        except (ValidationError, PermissionDenied) as exc:
            form_error(approve_form, exc)
        else:
            messages.success(
                request,
                _("%(name)s has an account now (user name %(username)s) and was told by e-mail.")
                % {"name": signup_request.full_name, "username": user.get_username()},
            )
            return redirect("people:signups")
    elif decision == "reject" and reject_form.is_valid():
        try:
            signup_service.reject_signup(
                signup_request, by=request.user, reason=reject_form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form_error(reject_form, exc)
        else:
            messages.success(
                request,
                _("The request of %(name)s is rejected; they were told why by e-mail.")
                % {"name": signup_request.full_name},
            )
            return redirect("people:signups")
    status = 400 if decision and request.method == "POST" else 200
    return render(
        request,
        "people/signup_decide.html",
        {
            "tab": "signups",
            "signup": signup_request,
            "approve_form": approve_form,
            "reject_form": reject_form,
            "open": signup_request.status == SignupStatus.PENDING,
        },
        status=status,
    )
