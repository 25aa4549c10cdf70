"""People pages: invite (one person, a colleague, a file), the invitations, accepting an invitation, the
public sign-up and the staff's sign-up requests.

Views parse input, ask helix.registry.permissions (the rules are in helix.people.permissions), call
helix.people.services and render.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from helix.accounts import refusal
from helix.actions import act, error_text
from helix.core.people.lifecycle import (
    COLLEAGUE_INVITATIONS_PER_DAY,
    INVITATION_WORKFLOW,
    MANAGER,
    InvitationStatus,
    SignupStatus,
)
from helix.core.people.roster import COLUMN_NAMES, MAX_ROWS
from helix.core.registry.records import RowError, Table
from helix.people import services
from helix.people.forms import (
    AcceptForm,
    ApproveForm,
    ColleagueForm,
    InvitationFileForm,
    InviteForm,
    RejectForm,
    SignupForm,
)
from helix.people.models import (
    INVITATION_STATUS_LABELS,
    SIGNUP_STATUS_LABELS,
    Invitation,
    InvitationKind,
    SignupRequest,
)
from helix.ratelimit import client_ip, over_limit
from helix.registry.models import Organisation
from helix.registry.permissions import actor_for, can, may, scope
from helix.spreadsheets import read_table

HOME = "/"
PAGE_SIZE = 50
# Sign-up forms sent from one address, and requests for one e-mail address, per HELIX_RATE_LIMIT_MINUTES.
SIGNUPS_PER_ADDRESS = 10
SIGNUPS_PER_EMAIL = 3


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _staff_gate(request: HttpRequest, model: type[Any] = Invitation) -> None:
    if not may(request.user, "list", model):
        raise PermissionDenied(_("Only cluster staff invite people and decide sign-up requests."))


def _form_error(form: Any, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("You may not do this."))
    elif hasattr(exc, "error_dict") and all(name in form.fields for name in exc.error_dict):
        form.add_error(None, exc)
    else:
        form.add_error(None, error_text(exc))


INVITEE_FIELDS = ("email", "first_name", "last_name", "language", "job_title", "message")


def _invitee(data: dict[str, Any]) -> dict[str, Any]:
    """The person and the letter of an invitation form, as ``services.invite`` takes them."""
    return {name: data[name] for name in INVITEE_FIELDS}


# -- staff: invite ------------------------------------------------------------------------------------------


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    _staff_gate(request)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("organisation", "")
    if chosen:
        organisation = services.inviting_organisations(request.user).filter(slug=chosen).first()
        if organisation is not None:
            initial["organisation"] = organisation.pk
    form = InviteForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite(
                by=request.user,
                **_invitee(data),
                organisation=data["organisation"],
                new_organisation=data["new_organisation"],
                organisation_kind=data["organisation_kind"] or "company",
                cluster=data["cluster"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("The invitation is on its way to %(email)s.") % {"email": invitation.email},
            )
            return redirect("people:invitations")
    return render(request, "people/invite.html", {"form": form, "tab": "invite"})


def _read_table(upload: Any) -> tuple[Table | None, list[RowError]]:
    """The uploaded list (checked by the form: a .csv or .xlsx file), read under the name it was sent
    with, so that errors name it."""
    with tempfile.TemporaryDirectory(prefix="invitations-") as folder:
        path = Path(folder) / (get_valid_filename(Path(upload.name).name) or "people.csv")
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return read_table(path)


@login_required
def invite_file(request: HttpRequest) -> HttpResponse:
    """Upload a list, see who would be invited (or every error), confirm: all are invited, or none."""
    _staff_gate(request)
    context: dict[str, Any] = {"tab": "file", "columns": COLUMN_NAMES, "max_rows": MAX_ROWS}
    if request.method == "POST" and "plan" in request.POST:
        try:
            planned = services.open_plan(request.user, request.POST["plan"])
            language = request.POST.get("language", settings.LANGUAGE_CODE)
            sent = services.invite_many(request.user, planned, language=language)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("people:invite_file")
        messages.success(
            request,
            _("%(count)d invitations are on their way.") % {"count": len(sent)},
        )
        return redirect("people:invitations")
    form = InvitationFileForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        table, errors = _read_table(form.cleaned_data["file"])
        planned: list[services.PlannedInvitation] = []
        if table is not None and not errors:
            planned, errors = services.plan_invitations(
                request.user, table, language=form.cleaned_data["language"]
            )
        context.update(
            {
                "errors": errors,
                "planned": planned,
                "plan": services.seal_plan(request.user, planned) if planned else "",
                "language": form.cleaned_data["language"],
                "file_name": Path(form.cleaned_data["file"].name).name,
            }
        )
    return render(request, "people/invite_file.html", context)


STATE_FILTERS = {
    "pending": gettext_lazy("Pending"),
    "accepted": gettext_lazy("Accepted"),
    "expired": gettext_lazy("Expired"),
    "revoked": gettext_lazy("Revoked"),
}


def _invitation_rows(request: HttpRequest, invitations: list[Invitation]) -> list[dict[str, Any]]:
    ids = [i.pk for i in invitations]
    mine = Invitation.objects.filter(pk__in=ids)
    resendable = set(scope(request.user, "resend", mine).values_list("pk", flat=True))
    revocable = set(scope(request.user, "revoke", mine).values_list("pk", flat=True))
    now = timezone.now()
    rows = []
    for invitation in invitations:
        state = invitation.state(now)
        moves = {t.target for t in INVITATION_WORKFLOW.available(state, {MANAGER})}
        rows.append(
            {
                "invitation": invitation,
                "state": state.value,
                "state_label": INVITATION_STATUS_LABELS[state],
                "may_resend": invitation.pk in resendable and InvitationStatus.PENDING in moves,
                "may_revoke": invitation.pk in revocable and InvitationStatus.REVOKED in moves,
            }
        )
    return rows


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    _staff_gate(request)
    state = request.GET.get("state", "")
    state = state if state in STATE_FILTERS else ""
    queryset = services.invitations_in_state(scope(request.user, "view", Invitation.objects.all()), state)
    queryset = queryset.select_related("organisation", "cluster", "invited_by").prefetch_related(
        "cluster__names"
    )
    q = " ".join(request.GET.get("q", "").split())[:100]
    if q:
        queryset = queryset.filter(
            Q(email__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(organisation__name__icontains=q)
            | Q(organisation_name__icontains=q)
        )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/invitations.html",
        {
            "tab": "list",
            "page_obj": page,
            "rows": _invitation_rows(request, list(page.object_list)),
            "state": state,
            "states": STATE_FILTERS.items(),
            "q": q,
        },
    )


def _visible_invitation(request: HttpRequest, pk: int) -> Invitation:
    return get_object_or_404(scope(request.user, "view", Invitation.objects.all()), pk=pk)


@login_required
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _visible_invitation(request, pk)
    return act(
        request,
        lambda: services.resend(invitation, by=request.user),
        redirect(_back(request, reverse("people:invitations"))),
        done=_("Sent again to %(email)s, with a new link.") % {"email": invitation.email},
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _visible_invitation(request, pk)
    return act(
        request,
        lambda: services.revoke(invitation, by=request.user),
        redirect(_back(request, reverse("people:invitations"))),
        done=_("The invitation of %(email)s is revoked: its link no longer works.")
        % {"email": invitation.email},
    )


# -- members: invite a colleague ----------------------------------------------------------------------------


@login_required
def colleague(request: HttpRequest) -> HttpResponse:
    if not services.may_invite_colleagues(request.user):
        raise PermissionDenied(
            _("Colleagues are invited by the people of an organisation. Your account belongs to none.")
        )
    organisation = Organisation.objects.get(pk=actor_for(request.user).organisation)
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite(
                by=request.user, **_invitee(data), organisation=organisation, kind=InvitationKind.COLLEAGUE
            )
        except (ValidationError, PermissionDenied) as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("The invitation is on its way to %(email)s.") % {"email": invitation.email}
            )
            return redirect("people:colleague")
    sent = list(
        scope(request.user, "view", Invitation.objects.filter(invited_by=request.user)).select_related(
            "organisation"
        )[:50]
    )
    return render(
        request,
        "people/colleague.html",
        {
            "form": form,
            "organisation": organisation,
            "rows": _invitation_rows(request, sent),
            "left": services.colleague_invitations_left(request.user),
            "per_day": COLLEAGUE_INVITATIONS_PER_DAY,
        },
    )


# -- the invitee --------------------------------------------------------------------------------------------


def _link_problem(request: HttpRequest, invitation: Invitation | None) -> HttpResponse | None:
    if invitation is None:
        return render(request, "people/link_invalid.html", {"problem": "unknown"}, status=404)
    services.record_expiry(invitation)
    state = invitation.state()
    if state is InvitationStatus.PENDING:
        return None
    context = {"problem": state.value, **services.invitation_context(invitation)}
    return render(request, "people/link_invalid.html", context, status=410)


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the invitation e-mail: choose a password (or use the account one is logged in with)."""
    invitation = services.find_invitation(token)
    problem = _link_problem(request, invitation)
    if problem is not None:
        return problem
    assert invitation is not None
    context: dict[str, Any] = services.invitation_context(invitation)
    if request.user.is_authenticated:
        context["refusal"] = services.joining_refusal(invitation, request.user)
        if request.method == "POST" and not context["refusal"]:
            try:
                services.accept_with_account(invitation, request.user)
            except ValidationError as exc:
                context["refusal"] = error_text(exc)
            else:
                messages.success(
                    request,
                    _("Welcome to %(organisation)s.") % {"organisation": context["organisation_name"]},
                )
                return redirect(HOME)
        return render(request, "people/accept_signed_in.html", context)
    if services.account_exists(invitation.email):
        context["login_url"] = f"{reverse('login')}?next={request.path}"
        return render(request, "people/accept_existing.html", context)
    form = AcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept(
                invitation,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to %(organisation)s. Your user name is %(username)s.")
                % {"organisation": context["organisation_name"], "username": user.get_username()},
            )
            return redirect(HOME)
    context["form"] = form
    return render(request, "people/accept.html", context)


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
            services.request_signup(
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
    outcome, signup_request = services.confirm_signup(token)
    status = 200 if outcome in (services.CONFIRMED, services.ALREADY) else 410
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
    _staff_gate(request, SignupRequest)
    state = request.GET.get("state", SignupStatus.PENDING.value)
    state = state if state in SIGNUP_FILTERS else SignupStatus.PENDING.value
    queryset = services.signups_for(request.user).filter(status=state)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/signups.html",
        {"tab": "signups", "page_obj": page, "state": state, "states": SIGNUP_FILTERS.items()},
    )


@login_required
def signup_decide(request: HttpRequest, pk: int) -> HttpResponse:
    signup_request = get_object_or_404(services.signups_for(request.user), pk=pk)
    if not can(request.user, "decide", signup_request):
        raise PermissionDenied(_("You may not decide this sign-up request."))
    initial = services.approval_defaults(signup_request, request.user)
    decision = request.POST.get("decision") if request.method == "POST" else None
    approve_form = ApproveForm(
        request.POST if decision == "approve" else None, user=request.user, initial=initial
    )
    reject_form = RejectForm(request.POST if decision == "reject" else None)
    if decision == "approve" and approve_form.is_valid():
        data = approve_form.cleaned_data
        try:
            user = services.approve_signup(
                signup_request,
                by=request.user,
                organisation=data["organisation"],
                new_organisation=data["new_organisation"],
                organisation_kind=data["organisation_kind"] or "company",
                cluster=data["cluster"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _form_error(approve_form, exc)
        else:
            messages.success(
                request,
                _("%(name)s has an account now (user name %(username)s) and was told by e-mail.")
                % {"name": signup_request.full_name, "username": user.get_username()},
            )
            return redirect("people:signups")
    elif decision == "reject" and reject_form.is_valid():
        try:
            services.reject_signup(signup_request, by=request.user, reason=reject_form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            _form_error(reject_form, exc)
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
