"""Organisation pages: the profile (with the staff's interaction notes and letters) and the editor, which
never loses input and never overwrites someone else's newer save (helix.registry.edits)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from helix.core.registry.ladder import EngagementLevel
from helix.pagecache import cache_anonymous
from helix.registry import edits, permissions, profile_sections, services
from helix.registry.forms import InteractionForm, OrganisationForm, SiteFormSet, version_token
from helix.registry.models import (
    LANGUAGES,
    Cluster,
    IdentifierScheme,
    Interaction,
    Membership,
    Organisation,
    engagement_label,
)
from helix.registry.views import page_language, wants_fragment

LANGUAGE_NAMES = dict(LANGUAGES)


# Organisation profile -------------------------------------------------------------------------------------


def _is_staff_for(user: Any, organisation: Organisation) -> bool:
    """Cluster staff responsible for ``organisation`` (it is in one of their clusters): they log
    interactions; which letters and notes they read is the permission table's say, per cluster."""
    return permissions.is_responsible_staff(user, organisation)


def _may_see_contact_data(user: Any, organisation: Organisation) -> bool:
    return permissions.can_see_contact_data(user, organisation)


def _interaction_clusters(user: Any, organisation: Organisation) -> QuerySet[Cluster]:
    """Clusters an interaction may be filed under: those of the organisation that ``user`` manages."""
    clusters = Cluster.objects.filter(memberships__organisation=organisation).prefetch_related("names")
    return permissions.scope(user, "manage", clusters).distinct()


def _descriptions(organisation: Organisation) -> list[dict[str, str]]:
    """Every written description, the one in the current language (or its stand-in) first."""
    language = page_language()
    written = [
        {"code": code, "name": LANGUAGE_NAMES[code], "text": getattr(organisation, f"description_{code}")}
        for code in ("en", "nl", "fr", "de")
        if getattr(organisation, f"description_{code}")
    ]
    first = next((d for d in written if d["code"] == language), None) or (written[0] if written else None)
    return ([first] + [d for d in written if d is not first]) if first else []


def _interaction_list(user: Any, organisation: Organisation) -> QuerySet[Interaction]:
    """The notes on ``organisation`` that ``user`` may read: those filed under their clusters."""
    return (
        permissions.scope(user, "view", organisation.interactions.all())
        .select_related("logged_by", "cluster")
        .prefetch_related("people", "cluster__names")
    )


def _interaction_context(
    request: HttpRequest, organisation: Organisation, form: InteractionForm | None
) -> dict[str, Any]:
    if form is None:
        form = InteractionForm(
            organisation=organisation,
            logged_by=request.user,
            clusters=_interaction_clusters(request.user, organisation),
        )
    return {
        "organisation": organisation,
        "interactions": _interaction_list(request.user, organisation),
        "interaction_form": form,
    }


def _visible_memberships(user: Any, organisation: Organisation) -> QuerySet[Membership]:
    """Current memberships; one that ended (the organisation left) only for staff of that cluster."""
    memberships = organisation.memberships.all()
    actor = permissions.actor_for(user)
    if actor.is_superuser:
        return memberships
    return memberships.filter(~Q(level=EngagementLevel.LEFT) | Q(cluster_id__in=actor.staff_of))


def _profile_context(
    request: HttpRequest, organisation: Organisation, interaction_form: InteractionForm | None = None
) -> dict[str, Any]:
    user = request.user
    staff = _is_staff_for(user, organisation)
    show_contacts = _may_see_contact_data(user, organisation)
    people = organisation.people.all() if show_contacts else organisation.people.filter(consent_public=True)
    memberships = (
        _visible_memberships(user, organisation)
        .select_related("cluster")
        .prefetch_related("cluster__names", "domains")
        .order_by("cluster__slug")
    )
    context: dict[str, Any] = {
        "organisation": organisation,
        "scheme_label": IdentifierScheme(organisation.identifier_scheme).label
        if organisation.identifier_scheme in IdentifierScheme.values
        else "",
        "languages": [LANGUAGE_NAMES.get(code, code) for code in organisation.language_list],
        "descriptions": _descriptions(organisation),
        "memberships": [(m, engagement_label(m.level)) for m in memberships],
        "people": people,
        "show_contacts": show_contacts,
        "is_staff": staff,
        "can_edit": permissions.can_edit_organisation(user, organisation),
        # what other apps show of the organisation (its projects, ...): helix.registry.profile_sections
        "app_sections": profile_sections.render_sections(request, organisation),
    }
    if staff:
        context["letters"] = (
            permissions.scope(user, "view", organisation.letters_of_intent.all())
            .select_related("cluster", "signatory")
            .prefetch_related("cluster__names")
        )
        context.update(_interaction_context(request, organisation, interaction_form))
    return context


def _organisation_for(user: Any, slug: str) -> Organisation:
    """The organisation, or 404 if it does not exist or ``user`` may not see it (no hint that it exists)."""
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related("sectors", "keywords", "sites"), slug=slug
    )
    if not permissions.can_view_organisation(user, organisation):
        raise Http404
    return organisation


@cache_anonymous
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for(request.user, slug)
    return render(request, "registry/organisation_detail.html", _profile_context(request, organisation))


@login_required
@require_POST
def interaction_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff log a meeting, call or visit on the profile; htmx swaps in the updated interaction list."""
    organisation = _organisation_for(request.user, slug)
    if not permissions.can(request.user, "log_interaction", organisation):
        raise PermissionDenied
    form = InteractionForm(
        request.POST,
        organisation=organisation,
        logged_by=request.user,
        clusters=_interaction_clusters(request.user, organisation),
    )
    if form.is_valid():
        form.save()
        if wants_fragment(request):
            context = _interaction_context(request, organisation, None)
            context["notice"] = _("Interaction logged.")
            return render(request, "registry/_interactions.html", context)
        messages.success(request, _("Interaction logged."))
        return redirect(f"{organisation.get_absolute_url()}#interactions")
    if wants_fragment(request):
        return render(
            request, "registry/_interactions.html", _interaction_context(request, organisation, form)
        )
    return render(request, "registry/organisation_detail.html", _profile_context(request, organisation, form))


# Organisation editor --------------------------------------------------------------------------------------


EDIT_FIELDSETS = (
    (gettext_lazy("Identity"), ("name", "kind", "size_class", "government_level")),
    (gettext_lazy("Legal identifier and website"), ("identifier_scheme", "legal_identifier", "website")),
    (gettext_lazy("Activities"), ("working_languages", "sectors", "keywords")),
    (gettext_lazy("Descriptions"), ("description_en", "description_nl", "description_fr", "description_de")),
    (gettext_lazy("Visibility"), ("is_published",)),
)


def _saved_value(form: OrganisationForm, name: str) -> str:
    """Field ``name`` as saved now, in words, to show beside the user's input after a conflict."""
    field, value = form.fields[name], form.initial.get(name, "")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        choices = dict(getattr(field, "choices", ()))
        return ", ".join(str(choices.get(v, v)) for v in value) or "—"
    choices = dict(getattr(field, "choices", ()) or ())
    return str(choices.get(value, value)) if value not in ("", None) else "—"


def _review_after_conflict(
    request: HttpRequest, current: Organisation
) -> tuple[OrganisationForm, Any, list[dict[str, str]]]:
    """Re-bind the user's input to the organisation as saved now, with the new version token."""
    data = request.POST.copy()
    data["version"] = version_token(current.updated_at)
    form = OrganisationForm(data, instance=current)
    sites = SiteFormSet(data, instance=current, prefix="sites")
    differences = [
        {"label": str(form.fields[name].label), "saved": _saved_value(form, name)}
        for name in form.changed_data
        if name != "version"
    ]
    form.is_valid()
    sites.is_valid()
    return form, sites, differences


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit an organisation and its sites; never lose input, never overwrite someone else's newer save."""
    organisation = _organisation_for(request.user, slug)
    services.check_can_edit(request.user, organisation)
    differences: list[dict[str, str]] | None = None
    if request.method == "POST":
        form = OrganisationForm(request.POST, instance=organisation)
        sites = SiteFormSet(request.POST, instance=organisation, prefix="sites")
        if form.is_valid() and sites.is_valid():
            try:
                edits.save_organisation_edit(organisation, form, sites)
            except edits.StaleEdit as stale:
                form, sites, differences = _review_after_conflict(request, stale.current)
                messages.warning(
                    request,
                    _(
                        "Someone else saved this organisation while you were editing it, so nothing was "
                        "saved. Your input is kept below: review it against the saved values listed, then "
                        "save again."
                    ),
                )
            except IntegrityError:
                messages.error(
                    request,
                    _(
                        "Nothing was saved: the changes clash with another record (a duplicate site name or "
                        "identifier). Your input is kept below."
                    ),
                )
            else:
                messages.success(request, _("Saved %(name)s.") % {"name": organisation.name})
                return redirect(organisation)
        else:
            messages.error(request, _("Nothing was saved yet: please correct the fields marked below."))
    else:
        form = OrganisationForm(instance=organisation)
        sites = SiteFormSet(instance=organisation, prefix="sites")
    fieldsets = [(str(title), [form[name] for name in names]) for title, names in EDIT_FIELDSETS]
    context = {
        "organisation": organisation,
        "form": form,
        "fieldsets": fieldsets,
        "sites": sites,
        "differences": differences,
    }
    return render(request, "registry/organisation_edit.html", context)
