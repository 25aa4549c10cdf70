"""People pages: invite (one person, a colleague, a file), the invitations, accepting an invitation.

Views parse input, ask helix.registry.permissions (the rules are in helix.people.permissions), call
helix.people.invitations, invitation_lists and joining, and render. The public sign-up and the staff's
sign-up requests are in signup_views.
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

from helix.actions import act, error_text
from helix.core.people.lifecycle import (
    COLLEAGUE_INVITATIONS_PER_DAY,
    INVITATION_WORKFLOW,
    MANAGER,
    InvitationStatus,
)
from helix.core.people.roster import COLUMN_NAMES, MAX_ROWS
from helix.core.registry.records import RowError, Table
from helix.people import invitation_lists, joining
from helix.people import invitations as invitation_service
from helix.people.forms import (
    AcceptForm,
    ColleagueForm,
    InvitationFileForm,
    InviteForm,
)
from helix.people.models import (
    INVITATION_STATUS_LABELS,
    Invitation,
    InvitationKind,
)
from helix.registry.models import Organisation
from helix.registry.permissions import actor_for, may, scope
from helix.spreadsheets import read_table

HOME = "/"
PAGE_SIZE = 50


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def staff_gate(request: HttpRequest, model: type[Any] = Invitation) -> None:
    if not may(request.user, "list", model):
        raise PermissionDenied(_("Only cluster staff invite people and decide sign-up requests."))


def form_error(form: Any, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("You may not do this."))
    elif hasattr(exc, "error_dict") and all(name in form.fields for name in exc.error_dict):
        form.add_error(None, exc)
    else:
        form.add_error(None, error_text(exc))


INVITEE_FIELDS = ("email", "first_name", "last_name", "language", "job_title", "message")


def _invitee(data: dict[str, Any]) -> dict[str, Any]:
    """The person and the letter of an invitation form, as ``invitations.invite`` takes them."""
    return {name: data[name] for name in INVITEE_FIELDS}


# -- staff: invite ------------------------------------------------------------------------------------------


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    staff_gate(request)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("organisation", "")
    if chosen:
        organisation = invitation_service.inviting_organisations(request.user).filter(slug=chosen).first()
        if organisation is not None:
            initial["organisation"] = organisation.pk
    form = InviteForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_service.invite(
                by=request.user, **_invitee(form.cleaned_data), **form.organisation_choice()
            )
        except (ValidationError, PermissionDenied) as exc:
            form_error(form, exc)
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
    staff_gate(request)
    context: dict[str, Any] = {"tab": "file", "columns": COLUMN_NAMES, "max_rows": MAX_ROWS}
    if request.method == "POST" and "plan" in request.POST:
        try:
            planned = invitation_lists.open_plan(request.user, request.POST["plan"])
            language = request.POST.get("language", settings.LANGUAGE_CODE)
            sent = invitation_lists.invite_many(request.user, planned, language=language)
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
        planned: list[invitation_lists.PlannedInvitation] = []
        if table is not None and not errors:
            planned, errors = invitation_lists.plan_invitations(
                request.user, table, language=form.cleaned_data["language"]
            )
        context.update(
            {
                "errors": errors,
                "planned": planned,
                "plan": invitation_lists.seal_plan(request.user, planned) if planned else "",
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
    staff_gate(request)
    state = request.GET.get("state", "")
    state = state if state in STATE_FILTERS else ""
    visible = scope(request.user, "view", Invitation.objects.all())
    queryset = invitation_service.invitations_in_state(visible, state)
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
        lambda: invitation_service.resend(invitation, by=request.user),
        redirect(_back(request, reverse("people:invitations"))),
        done=_("Sent again to %(email)s, with a new link.") % {"email": invitation.email},
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _visible_invitation(request, pk)
    return act(
        request,
        lambda: invitation_service.revoke(invitation, by=request.user),
        redirect(_back(request, reverse("people:invitations"))),
        done=_("The invitation of %(email)s is revoked: its link no longer works.")
        % {"email": invitation.email},
    )


# -- members: invite a colleague ----------------------------------------------------------------------------


@login_required
def colleague(request: HttpRequest) -> HttpResponse:
    if not invitation_service.may_invite_colleagues(request.user):
        raise PermissionDenied(
            _("Colleagues are invited by the people of an organisation. Your account belongs to none.")
        )
    organisation = Organisation.objects.get(pk=actor_for(request.user).organisation)
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_service.invite(
                by=request.user, **_invitee(data), organisation=organisation, kind=InvitationKind.COLLEAGUE
            )
        except (ValidationError, PermissionDenied) as exc:
            form_error(form, exc)
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
            "left": invitation_service.colleague_invitations_left(request.user),
            "per_day": COLLEAGUE_INVITATIONS_PER_DAY,
        },
    )


# -- the invitee --------------------------------------------------------------------------------------------


def _link_problem(request: HttpRequest, invitation: Invitation | None) -> HttpResponse | None:
    if invitation is None:
        return render(request, "people/link_invalid.html", {"problem": "unknown"}, status=404)
    joining.record_expiry(invitation)
    state = invitation.state()
    if state is InvitationStatus.PENDING:
        return None
    context = {"problem": state.value, **invitation_service.invitation_context(invitation)}
    return render(request, "people/link_invalid.html", context, status=410)


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the invitation e-mail: choose a password (or use the account one is logged in with)."""
    invitation = joining.find_invitation(token)
    problem = _link_problem(request, invitation)
    if problem is not None:
        return problem
    assert invitation is not None
    context: dict[str, Any] = invitation_service.invitation_context(invitation)
    if request.user.is_authenticated:
        context["refusal"] = joining.joining_refusal(invitation, request.user)
        if request.method == "POST" and not context["refusal"]:
            try:
                joining.accept_with_account(invitation, request.user)
            except ValidationError as exc:
                context["refusal"] = error_text(exc)
            else:
                messages.success(
                    request,
                    _("Welcome to %(organisation)s.") % {"organisation": context["organisation_name"]},
                )
                return redirect(HOME)
        return render(request, "people/accept_signed_in.html", context)
    if joining.account_exists(invitation.email):
        context["login_url"] = f"{reverse('login')}?next={request.path}"
        return render(request, "people/accept_existing.html", context)
    form = AcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = joining.accept(
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
