"""Needs-and-offers pages of the listings themselves: browse, publish and edit, and the lifecycle's buttons.

Views parse input, ask helix.market.services (and helix.registry.permissions) who may do what, call the
services and render. Every page works without JavaScript; with htmx a view answers with only the
fragment that changed (``request.htmx``), except for htmx's history-restore requests.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from helix.core.matching import lifecycle
from helix.core.workflow import TransitionNotAllowed
from helix.market import services
from helix.market.forms import BrowseFilter, ListingForm, initial_of
from helix.market.models import Listing, Side
from helix.pagecache import cache_anonymous, remember
from helix.registry import permissions
from helix.registry.models import Organisation


def wants_fragment(request: HttpRequest) -> bool:
    """Whether htmx asked for the fragment that changed (not for a history restore: the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


# Browse -----------------------------------------------------------------------------------------------


def _my_organisation_ids(user: Any) -> list[int] | QuerySet[Organisation]:
    own = permissions.own_organisation_id(user)
    if own is not None:
        return [own]
    return services.organisations_user_may_post_for(user).values("pk")


def browse_queryset(user: Any, filters: dict[str, Any]) -> QuerySet[Listing]:
    """The listings ``user`` may see that pass ``filters`` (see BrowseFilter), ready for the cards."""
    listings = services.visible_listings(user)
    if filters.get("mine") and getattr(user, "is_authenticated", False):
        listings = listings.filter(organisation__in=_my_organisation_ids(user))
    else:
        listings = listings.active()

    def chosen(name: str) -> list[Any]:
        return [filters[name]] if filters.get(name) else []

    listings = services.filter_listings(
        listings,
        sides=chosen("side"),
        categories=chosen("category"),
        cluster=filters.get("cluster") or None,
        domains=[int(filters["domain"])] if filters.get("domain") else (),
        languages=chosen("language"),
        regions=chosen("region"),
        trl_min=filters.get("trl_min") or None,
        q=filters.get("q") or "",
    )
    return listings.select_related("organisation").prefetch_related("domains")


@vary_on_headers("HX-Request")
@cache_anonymous
def browse(request: HttpRequest) -> HttpResponse:
    """Needs and offers the visitor may see, filtered; htmx swaps in only the results.

    The results are rendered once for everyone who may see the same listings and organisations (the
    permission engine's scope keys) and kept until the data changes."""
    form = BrowseFilter(request.GET or None)
    filters = form.values()
    filtered = any(value for value in filters.values())

    def results() -> str:
        page = Paginator(browse_queryset(request.user, filters), settings.HELIX_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        listings = list(page.object_list)
        # One query for the page's owners, not one or two per card (found by bench/load).
        visible = set(
            permissions.visible_organisations(request.user)
            .filter(pk__in={listing.organisation_id for listing in listings})
            .values_list("pk", flat=True)
        )
        for listing in listings:
            listing.organisation_visible = listing.organisation_id in visible
        page.object_list = listings
        context = {"page_obj": page, "filtered": filtered}
        return render_to_string("market/_browse_results.html", context, request)

    key: tuple[Any, ...] = (
        "needs-offers",
        permissions.scope_key(request.user, "view", Listing),
        permissions.scope_key(request.user, "view", Organisation),
        # "Mine": the organisations the user posts for.
        permissions.scope_key(request.user, "edit", Organisation) if filters.get("mine") else None,
        get_language(),
        request.GET.urlencode(),
    )
    context = {
        "form": form,
        "results_html": mark_safe(remember(key, results)),
        "filtered": filtered,
        "may_post": services.organisations_user_may_post_for(request.user).exists(),
    }
    template = "market/_browse_fragment.html" if wants_fragment(request) else "market/browse.html"
    return render(request, template, context)


# Create and edit ------------------------------------------------------------------------------------


LISTING_FIELDSETS = (
    (gettext_lazy("What"), ("organisation", "category", "title", "description")),
    (gettext_lazy("Fields and technology"), ("domains", "sectors", "keywords", "trl")),
    (gettext_lazy("Where, when and how much"), ("site", "deadline", "budget_min", "budget_max")),
    (gettext_lazy("Publication"), ("visibility", "status")),
)


def _form_context(form: ListingForm, **extra: Any) -> dict[str, Any]:
    fieldsets = [(str(title), [form[name] for name in names]) for title, names in LISTING_FIELDSETS]
    return {"form": form, "fieldsets": fieldsets, **extra}


def visible_listing(user: Any, pk: int) -> Listing:
    """The listing, or 404 when it does not exist or ``user`` may not see it (no hint that it exists)."""
    return get_object_or_404(
        services.visible_listings(user)
        .select_related("organisation", "site")
        .prefetch_related(
            "domains",
            "sectors",
            "keywords",
            "organisation__sites",
            "organisation__sectors",
            "organisation__memberships",
        ),
        pk=pk,
    )


@login_required
def listing_create(request: HttpRequest) -> HttpResponse:
    side = request.GET.get("side", "")
    if side not in Side.values:
        return render(request, "market/listing_choose_side.html")
    organisations = services.organisations_user_may_post_for(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = ListingForm(request.POST or None, side=side, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        if not services.can_create_listing_for(request.user, organisation):
            raise PermissionDenied
        listing = form.apply(Listing())
        try:
            services.save_listing(listing, user=request.user, **form.relations)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": listing.title})
            return redirect(listing)
    if request.method == "POST" and form.errors:
        messages.error(request, _("Nothing was saved yet: please correct the fields marked below."))
    return render(request, "market/listing_form.html", _form_context(form, side=side, listing=None))


def _differences(form: ListingForm, current: Listing) -> list[dict[str, str]]:
    """Fields whose value as saved now differs from what the user typed, with the saved value in words."""
    saved = initial_of(current)
    out = []
    for name, field in form.fields.items():
        if name == "revision" or name not in form.cleaned_data:
            continue
        mine, theirs = _comparable(form.cleaned_data[name]), _comparable(saved.get(name))
        if mine == theirs:
            continue
        if name == "domains":
            shown = ", ".join(d.name for d in current.domains.all())
        elif name in ("organisation", "site"):
            shown = str(getattr(current, name) or "")
        elif getattr(field, "choices", None) and name != "domains":
            shown = str(dict(field.choices).get(saved.get(name), saved.get(name)))
        else:
            shown = str(saved.get(name) if saved.get(name) is not None else "")
        out.append({"label": str(field.label), "saved": shown or "—"})
    return out


def _comparable(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return ",".join(sorted(str(v) for v in value))
    return str(value)


@login_required
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a need or an offer; never lose input, never overwrite someone else's newer save."""
    listing = visible_listing(request.user, pk)
    if not services.can_edit_listing(request.user, listing):
        raise PermissionDenied
    organisations = Organisation.objects.filter(
        Q(pk__in=services.organisations_user_may_post_for(request.user).values("pk"))
        | Q(pk=listing.organisation_id)
    )
    statuses = services.status_choices(request.user, listing)
    form = ListingForm(
        request.POST or None,
        side=listing.side,
        organisations=organisations,
        listing=listing,
        statuses=statuses,
    )
    differences: list[dict[str, str]] | None = None
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        if organisation.pk != listing.organisation_id and not services.can_create_listing_for(
            request.user, organisation
        ):
            raise PermissionDenied
        try:
            services.save_listing(
                form.apply(listing),
                user=request.user,
                expected_revision=form.cleaned_data["revision"],
                **form.relations,
            )
        except services.StaleEdit as stale:
            current = visible_listing(request.user, pk)
            differences = _differences(form, current)
            data = request.POST.copy()
            data["revision"] = str(current.revision)
            form = ListingForm(
                data,
                side=current.side,
                organisations=organisations,
                listing=current,
                statuses=services.status_choices(request.user, current),
            )
            form.is_valid()
            form.add_error(None, stale)
            listing = current
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": listing.title})
            return redirect(listing)
    if request.method == "POST" and form.errors and differences is None:
        messages.error(request, _("Nothing was saved yet: please correct the fields marked below."))
    context = _form_context(form, side=listing.side, listing=listing, differences=differences)
    return render(request, "market/listing_form.html", context)


# The lifecycle's actions in words (helix.core.matching.lifecycle holds the moves and who makes them).
ACTION_LABELS = {
    "publish": gettext_lazy("Publish"),
    "renew": gettext_lazy("Renew for another six months"),
    "fulfil": gettext_lazy("Mark as fulfilled"),
    "withdraw": gettext_lazy("Withdraw"),
    "draft": gettext_lazy("Back to draft"),
}


def status_actions(user: Any, listing: Listing) -> list[tuple[str, str]]:
    """(action, button label) of the moves ``user`` may make with the listing now."""
    return [(m.action, str(ACTION_LABELS[m.action])) for m in services.listing_moves(user, listing)]


@login_required
@require_POST
def listing_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, renew, withdraw, mark fulfilled or take back to draft (buttons on the listing page)."""
    listing = visible_listing(request.user, pk)
    if not services.can_edit_listing(request.user, listing):
        raise PermissionDenied
    action = request.POST.get("action", "")
    if action not in lifecycle.ACTIONS:
        return HttpResponseBadRequest(_("Choose one of the buttons."))
    try:
        services.move_listing(listing, action, user=request.user)
    except TransitionNotAllowed:
        messages.error(request, _("That change is not open for this listing now."))
        return redirect(listing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(listing)
    texts = {
        "publish": _("Published until %(date)s."),
        "renew": _("Renewed until %(date)s."),
        "withdraw": _("Withdrawn: it is no longer shown or matched."),
        "fulfil": _("Marked as fulfilled: it is no longer shown or matched."),
        "draft": _("Back to draft: only your organisation and its cluster staff see it."),
    }
    messages.success(request, texts[action] % {"date": date_format(listing.expires_on, "DATE_FORMAT")})
    return redirect(listing)
