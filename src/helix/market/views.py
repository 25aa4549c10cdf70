"""Needs-and-offers pages: browse, publish and edit, a listing with its matches, an organisation's
complementary organisations, meeting requests, and the staff's "who should meet whom".

Views parse input, ask helix.market.services (and helix.registry.permissions) who may do what, call the
services and render. Every page works without JavaScript; with htmx a view answers with only the
fragment that changed (``request.htmx``), except for htmx's history-restore requests.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from helix.core.matching.engine import Match
from helix.core.matching.fit import NEUTRAL
from helix.core.matching.weights import FEATURES, Weights
from helix.core.workflow import TransitionNotAllowed
from helix.jobs.services import create_job
from helix.market import services, tasks
from helix.market.explain import translated_detail
from helix.market.forms import BrowseFilter, ListingForm, WhoMeetsWhomFilter, initial_of
from helix.market.models import Feedback, Listing, MeetingRequest, MeetingStatus, Side, Verdict
from helix.pagecache import cache_anonymous, remember
from helix.params import object_id
from helix.registry import permissions
from helix.registry.models import Cluster, Organisation
from helix.spreadsheets import write_csv, write_workbook

FACTOR_LABELS = {
    "text": gettext_lazy("similar text"),
    "domain": gettext_lazy("domain"),
    "sector": gettext_lazy("sector"),
    "trl": gettext_lazy("readiness (TRL)"),
    "distance": gettext_lazy("distance"),
    "kind": gettext_lazy("kind of organisation"),
    "category": gettext_lazy("what is asked and offered"),
    "keywords": gettext_lazy("keywords"),
    "budget": gettext_lazy("budget"),
}
REASONS_SHOWN = 4
LEXICAL_WEIGHT = 0.3  # the engine's default share of BM25 in the text feature; sets the score bar's scale
# The columns of the pairs download, named in the reader's language (a people's file, not an import format).
EXPORT_COLUMNS = (
    gettext_lazy("Need ID"),
    gettext_lazy("Need: organisation"),
    gettext_lazy("Need: title"),
    gettext_lazy("Need: language"),
    gettext_lazy("Offer ID"),
    gettext_lazy("Offer: organisation"),
    gettext_lazy("Offer: title"),
    gettext_lazy("Offer: language"),
    gettext_lazy("Score"),
    gettext_lazy("Reasons"),
)


def _wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


# Explanations -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    feature: str
    label: str
    detail: str
    contribution: float

    def __str__(self) -> str:
        return f"{self.label}: {self.detail}"


def reasons_for(match: Match, weights: Weights, shown: int = REASONS_SHOWN) -> list[Reason]:
    """The factors that counted most for ``match``, largest first; neutral (unknown) factors are left out."""
    values = {f.name: f.value for f in match.factors}
    factors = {f.name: f for f in match.factors}
    reasons = []
    for feature, contribution, detail in match.contributions(weights):
        if contribution <= 0 or (feature != "text" and values.get(feature) == NEUTRAL):
            continue
        if feature == "text":
            detail = _("meaning similarity %(value)s") % {"value": f"{match.dense:.2f}"}
        elif feature in factors:
            detail = translated_detail(factors[feature])
        reasons.append(Reason(feature, str(FACTOR_LABELS.get(feature, feature)), detail, contribution))
        if len(reasons) >= shown:
            break
    return reasons


def shown_terms(match: Match) -> list[str]:
    """The shared words, each once whatever its capitals ("Large" and "large" are one word to a reader)."""
    seen: dict[str, str] = {}
    for term in match.terms:
        seen.setdefault(term.casefold(), term)
    return list(seen.values())


def score_ceiling(weights: Weights) -> float:
    """The highest score the weights can give: every factor at 1, text at cosine 1 plus full BM25."""
    return weights.score(dict.fromkeys(FEATURES, 1.0)) + weights.get("text") * LEXICAL_WEIGHT


def score_percent(score: float, ceiling: float) -> int:
    return max(0, min(100, round(100 * score / ceiling))) if ceiling > 0 else 0


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
    template = "market/_browse_fragment.html" if _wants_fragment(request) else "market/browse.html"
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


def _visible_listing(user: Any, pk: int) -> Listing:
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
    listing = _visible_listing(request.user, pk)
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
            current = _visible_listing(request.user, pk)
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


# A listing and its matches ---------------------------------------------------------------------------


def _pair_key(need_id: int, offer_id: int) -> str:
    return f"{need_id}-{offer_id}"


def _feedback_given(user: Any, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], set[str]]:
    given: dict[tuple[int, int], set[str]] = defaultdict(set)
    if not pairs or not getattr(user, "is_authenticated", False):
        return given
    condition = Q()
    for need_id, offer_id in pairs:
        condition |= Q(need_id=need_id, offer_id=offer_id)
    for need_id, offer_id, verdict in Feedback.objects.filter(condition, user=user).values_list(
        "need_id", "offer_id", "verdict"
    ):
        given[(need_id, offer_id)].add(verdict)
    return given


def _meetings_of(
    pairs: list[tuple[int, int]], organisation_ids: set[int]
) -> dict[tuple[int, int], MeetingRequest]:
    """The latest meeting request per pair that involves one of ``organisation_ids``."""
    if not pairs or not organisation_ids:
        return {}
    condition = Q()
    for need_id, offer_id in pairs:
        condition |= Q(need_id=need_id, offer_id=offer_id)
    involved = Q(from_organisation_id__in=organisation_ids) | Q(to_organisation_id__in=organisation_ids)
    found: dict[tuple[int, int], MeetingRequest] = {}
    for meeting in MeetingRequest.objects.filter(condition, involved).select_related("to_organisation"):
        found.setdefault((meeting.need_id, meeting.offer_id), meeting)  # newest first (model ordering)
    return found


def feedback_context(
    listing_id: int, need_id: int, offer_id: int, given: set[str], notice: str = ""
) -> dict[str, Any]:
    return {
        "listing_id": listing_id,
        "need_id": need_id,
        "offer_id": offer_id,
        "key": _pair_key(need_id, offer_id),
        "verdicts": [(value, label, value in given) for value, label in Verdict.choices],
        "notice": notice,
    }


@cache_anonymous
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    listing = _visible_listing(user, pk)
    can_edit = services.can_edit_listing(user, listing)
    own = permissions.own_organisation_id(user)
    # Kept for everyone who may see the same listings, until the data change (a listing linked from a
    # newsletter is opened by many).
    suggestions = remember(
        ("suggestions", listing.pk, permissions.scope_key(user, "view", Listing)),
        lambda: services.suggestions_for(listing, user, limit=10),
    )
    weights = services.current_weights()
    ceiling = score_ceiling(weights)
    pairs = [(s.need.pk, s.offer.pk) for s in suggestions]
    given = _feedback_given(user, pairs)
    acting = ({listing.organisation_id} if can_edit else set()) | ({own} if own else set())
    meetings = _meetings_of(pairs, acting)
    rows = [
        {
            "suggestion": s,
            "other": s.listing,
            "percent": score_percent(s.match.score, ceiling),
            "terms": shown_terms(s.match),
            "reasons": reasons_for(s.match, weights),
            "feedback": feedback_context(listing.pk, s.need.pk, s.offer.pk, given[(s.need.pk, s.offer.pk)]),
            "may_request": user.is_authenticated and (can_edit or s.listing.organisation_id == own),
            "meeting": meetings.get((s.need.pk, s.offer.pk)),
        }
        for s in suggestions
    ]
    context = {
        "listing": listing,
        "can_edit": can_edit,
        "rows": rows,
        "organisation_visible": permissions.can_view_organisation(user, listing.organisation),
        "status_actions": _status_actions(user, listing) if can_edit else [],
    }
    return render(request, "market/listing_detail.html", context)


# The lifecycle's actions in words (helix.core.matching.lifecycle holds the moves and who makes them).
ACTION_LABELS = {
    "publish": gettext_lazy("Publish"),
    "renew": gettext_lazy("Renew for another six months"),
    "fulfil": gettext_lazy("Mark as fulfilled"),
    "withdraw": gettext_lazy("Withdraw"),
    "draft": gettext_lazy("Back to draft"),
}


def _status_actions(user: Any, listing: Listing) -> list[tuple[str, str]]:
    """(action, button label) of the moves ``user`` may make with the listing now."""
    return [(m.action, str(ACTION_LABELS[m.action])) for m in services.listing_moves(user, listing)]


@login_required
@require_POST
def listing_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, renew, withdraw, mark fulfilled or take back to draft (buttons on the listing page)."""
    listing = _visible_listing(request.user, pk)
    if not services.can_edit_listing(request.user, listing):
        raise PermissionDenied
    action = request.POST.get("action", "")
    if action not in ACTION_LABELS:
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


def _posted_pair(request: HttpRequest, listing: Listing) -> tuple[Listing, Listing] | None:
    """The (need, offer) named by the POST, both visible to the user and one of them ``listing``."""
    need_id, offer_id = object_id(request.POST.get("need")), object_id(request.POST.get("offer"))
    if need_id is None or offer_id is None:
        return None
    if listing.pk not in (need_id, offer_id):
        return None
    found = {
        x.pk: x
        for x in services.visible_listings(request.user)
        .select_related("organisation")
        .filter(pk__in=[need_id, offer_id])
    }
    if need_id not in found or offer_id not in found:
        raise Http404
    need, offer = found[need_id], found[offer_id]
    if need.side != Side.NEED or offer.side != Side.OFFER:
        return None
    return need, offer


@login_required
@require_POST
def listing_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a verdict on a suggested pair; htmx swaps in just that pair's feedback buttons."""
    listing = _visible_listing(request.user, pk)
    pair = _posted_pair(request, listing)
    verdict = request.POST.get("verdict", "")
    if pair is None or verdict not in Verdict.values:
        return HttpResponseBadRequest(_("Choose a need, an offer and a verdict."))
    need, offer = pair
    services.record_feedback(request.user, need, offer, verdict)
    other = offer if listing.pk == need.pk else need
    notice = _("Thank you: “%(verdict)s” recorded.") % {"verdict": Verdict(verdict).label}
    if _wants_fragment(request):
        given = _feedback_given(request.user, [(need.pk, offer.pk)])[(need.pk, offer.pk)]
        return render(
            request, "market/_feedback.html", feedback_context(listing.pk, need.pk, offer.pk, given, notice)
        )
    messages.success(request, notice)
    return redirect(f"{listing.get_absolute_url()}#match-{other.pk}")


@login_required
@require_POST
def listing_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask that the owners of a suggested pair meet (the asker acts for one of the two)."""
    listing = _visible_listing(request.user, pk)
    pair = _posted_pair(request, listing)
    if pair is None:
        return HttpResponseBadRequest(_("Choose a need and an offer."))
    need, offer = pair
    other = offer if listing.pk == need.pk else need
    message = request.POST.get("message", "").strip()[:2000]
    try:
        meeting = services.request_meeting(request.user, need, offer, message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Meeting request sent to %(name)s.") % {"name": meeting.to_organisation.name}
        )
    return redirect(f"{listing.get_absolute_url()}#match-{other.pk}")


# Organisations that complement one another ---------------------------------------------------------


def organisation_matches(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_view_organisation(user, organisation):
        raise Http404
    own_active = list(
        services.visible_listings(user).active().filter(organisation=organisation).order_by("side", "title")
    )
    # Every pair's two listings are ones the visitor may see (the service asks the database for both).
    found = services.organisation_suggestions(organisation, user) if own_active else []
    weights = services.current_weights()
    ceiling = score_ceiling(weights)
    matches = []
    for item in found:
        pairs = [
            {
                "suggestion": s,
                "terms": shown_terms(s.match),
                "reasons": reasons_for(s.match, weights, shown=3),
            }
            for s in item["suggestions"]
        ]
        if pairs:
            matches.append(
                {
                    "organisation": item["organisation"],
                    "organisation_visible": permissions.can_view_organisation(user, item["organisation"]),
                    "percent": score_percent(item["score"], ceiling),
                    "score": item["score"],
                    "pairs": pairs,
                }
            )
    context = {
        "organisation": organisation,
        "own_active": own_active,
        "matches": matches,
        "may_post": services.can_create_listing_for(user, organisation),
    }
    return render(request, "market/organisation_matches.html", context)


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
        services.answer_meeting(request.user, meeting, accept=answer == "accept")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = (
            _("You accepted to meet %(name)s.") if answer == "accept" else _("You declined to meet %(name)s.")
        )
        messages.success(request, text % {"name": meeting.from_organisation.name})
    return redirect("market:meetings")


# Staff: who should meet whom ---------------------------------------------------------------------


def _staff_clusters(user: Any) -> QuerySet[Cluster]:
    return permissions.scope(user, "manage", Cluster.objects.all())


def _require_cluster_staff(user: Any) -> None:
    if not permissions.may(user, "pair", Listing):
        raise PermissionDenied


def pair_row(suggestion: services.Suggestion, weights: Weights, ceiling: float) -> dict[str, Any]:
    return {
        "need": suggestion.need,
        "offer": suggestion.offer,
        "score": suggestion.match.score,
        "percent": score_percent(suggestion.match.score, ceiling),
        "terms": shown_terms(suggestion.match),
        "reasons": reasons_for(suggestion.match, weights, shown=3),
    }


def _export_values(row: dict[str, Any]) -> list[Any]:
    need, offer = row["need"], row["offer"]
    reasons = [str(r) for r in row["reasons"]]
    if row["terms"]:
        reasons.insert(0, _("shared words: %(words)s") % {"words": ", ".join(row["terms"][:8])})
    return [
        need.pk,
        need.organisation.name,
        need.title,
        need.language,
        offer.pk,
        offer.organisation.name,
        offer.title,
        offer.language,
        round(row["score"], 4),
        " | ".join(reasons),
    ]


def _csv_response(rows: list[dict[str, Any]]) -> HttpResponse:
    buffer = io.StringIO()
    write_csv(buffer, EXPORT_COLUMNS, (_export_values(row) for row in rows))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="who-should-meet-whom.csv"'
    return response


def _xlsx_response(rows: list[dict[str, Any]]) -> HttpResponse:
    buffer = io.BytesIO()
    write_workbook(buffer, {"pairs": (EXPORT_COLUMNS, (_export_values(row) for row in rows))})
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="who-should-meet-whom.xlsx"'
    return response


@login_required
def who_meets_whom(request: HttpRequest) -> HttpResponse:
    """Staff: for every active need in scope its best offers, one pair per two organisations; export."""
    _require_cluster_staff(request.user)
    form = WhoMeetsWhomFilter(request.GET or None, clusters=_staff_clusters(request.user))
    suggestions = services.who_should_meet_whom(request.user, **form.values())
    weights = services.current_weights()
    ceiling = score_ceiling(weights)
    rows = [pair_row(s, weights, ceiling) for s in suggestions]
    export = request.GET.get("format", "")
    if export == "csv":
        return _csv_response(rows)
    if export == "xlsx":
        return _xlsx_response(rows)
    counts = dict(Feedback.objects.values_list("verdict").annotate(n=Count("pk")).values_list("verdict", "n"))
    context = {
        "form": form,
        "rows": rows,
        "feedback_counts": [(label, counts.get(value, 0)) for value, label in Verdict.choices],
        "feedback_total": sum(counts.values()),
        "weights": weights,
        "weight_rows": [(FACTOR_LABELS[f], weights.get(f)) for f in FEATURES],
    }
    return render(request, "market/who_meets_whom.html", context)


@login_required
@require_POST
def learn_weights(request: HttpRequest) -> HttpResponse:
    _require_cluster_staff(request.user)
    job = create_job("market.learn_weights", _("Learn ranker weights from feedback"), request.user)
    tasks.learn_ranker_weights.enqueue(job.pk)
    return redirect("jobs:detail", job.pk)


@login_required
@require_POST
def reindex(request: HttpRequest) -> HttpResponse:
    _require_cluster_staff(request.user)
    job = create_job("market.reindex", _("Re-index all needs and offers"), request.user)
    tasks.reindex_listings.enqueue(job.pk)
    return redirect("jobs:detail", job.pk)
