"""The applying consortium: the lead's people find an organisation by name (suggestions as they type,
with htmx; without JavaScript the application's page runs the same search) and add it as a co-applicant
or remove one; a co-applicant's people may leave."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.calls import explain, partners, services
from helix.calls.views.shared import object_id, visible_application
from helix.registry.permissions import can, own_organisation_id


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("calls:application", kwargs={"pk": pk}) + "#consortium")


def search(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisations whose name holds what was typed (``partner``), each with its "Add" button: the
    fragment htmx swaps in under the search field."""
    application = visible_application(request, pk)
    if not can(request.user, "edit", application):
        raise PermissionDenied
    query = request.GET.get("partner", "").strip()[:100]
    found = partners.find_partners(request.user, application, query) if query else None
    return render(
        request,
        "calls/_partner_suggestions.html",
        {"application": application, "found": found, "partner_query": query},
    )


@login_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application(request, pk)
    if not can(request.user, "edit", application):
        raise PermissionDenied
    chosen = request.POST.get("organisation", "")
    organisation = partners.candidates(request.user, application).filter(pk=object_id(chosen) or 0).first()
    if organisation is None:
        messages.error(request, _("Choose an organisation among those the search found."))
        return _back(application.pk)
    try:
        services.add_co_applicant(request.user, application, organisation)
    except services.CallRefused as refused:
        messages.error(request, explain.refusal_text(refused))
    else:
        messages.success(
            request, _("%(organisation)s now applies with you.") % {"organisation": organisation.name}
        )
    return _back(application.pk)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, organisation: int) -> HttpResponse:
    """The lead removes a co-applicant; a co-applicant's person withdraws their own organisation."""
    application = visible_application(request, pk)
    if not can(request.user, "edit", application):
        raise PermissionDenied
    row = application.applicants.filter(organisation_id=organisation).select_related("organisation").first()
    if row is None:
        messages.error(request, _("This organisation does not apply."))
        return _back(application.pk)
    leaving = row.organisation_id == own_organisation_id(request.user)
    try:
        services.remove_co_applicant(request.user, application, row.organisation)
    except services.CallRefused as refused:
        messages.error(request, explain.refusal_text(refused))
        return _back(application.pk)
    messages.success(
        request, _("%(organisation)s no longer applies.") % {"organisation": row.organisation.name}
    )
    # who left sees the application no more
    return redirect("calls:mine") if leaving else _back(application.pk)
