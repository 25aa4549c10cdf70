"""Registry pages: directory, organisation profiles and their editor, clusters, the membership pipeline.

Views parse input, ask helix.registry.permissions, call helix.registry.search and helix.registry.services,
and render. Every page works without JavaScript; with htmx a view answers with only the fragment that
changed (``request.htmx``), except for htmx's history-restore requests, which need the whole page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from helix.core.registry.ladder import LADDER, MEMBERSHIP_WORKFLOW, EngagementLevel, rung
from helix.core.workflow import TransitionNotAllowed
from helix.pagecache import cache_anonymous, remember
from helix.registry import permissions, services
from helix.registry.forms import InteractionForm, OrganisationForm, SiteFormSet, version_token
from helix.registry.models import (
    ENGAGEMENT_LABELS,
    LANGUAGES,
    AdvisorySeat,
    Cluster,
    ClusterName,
    Domain,
    DomainKind,
    Helix,
    IdentifierScheme,
    Interaction,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    engagement_label,
)
from helix.registry.search import DirectoryQuery, FacetValue, directory_facets, search_organisations

FACETS = (
    ("kind", gettext_lazy("Kind")),
    ("sector", gettext_lazy("Sector")),
    ("cluster", gettext_lazy("Cluster")),
    ("domain", gettext_lazy("Domain")),
    ("level", gettext_lazy("Engagement level")),
    ("region", gettext_lazy("Region")),
)

FOLLOW_UP_HORIZON = dt.timedelta(days=7)
LANGUAGE_NAMES = dict(LANGUAGES)


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


# Directory ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetGroup:
    param: str
    title: str
    values: list[FacetValue]

    @property
    def selected_count(self) -> int:
        return sum(1 for v in self.values if v.selected)


def _facet_groups(request: HttpRequest, query: DirectoryQuery) -> list[FacetGroup]:
    """Facets in page order; a ticked value left without results stays listed so it can be unticked.

    The counts are kept for everyone who may see the same organisations (paging through results, the
    next visitor with the same rights), until the registry changes."""
    facets = remember(
        ("directory-facets", permissions.scope_key(request.user, "view", Organisation), _language(), query),
        lambda: directory_facets(request.user, query),
    )
    known_labels: dict[str, dict[str, str]] = {
        "kind": {k: str(v) for k, v in OrganisationKind.choices},
        "region": {k: str(v) for k, v in Region.choices},
        "level": {k.value: str(v) for k, v in ENGAGEMENT_LABELS.items()},
    }
    selected = {
        "kind": query.kinds,
        "sector": query.sectors,
        "cluster": query.clusters,
        "domain": [str(d) for d in query.domains],
        "level": query.levels,
        "region": query.regions,
    }
    groups = []
    for param, title in FACETS:
        values = list(facets.get(param, []))
        if param == "level":
            values = [FacetValue(v.value, engagement_label(v.value), v.count, v.selected) for v in values]
        shown = {v.value for v in values}
        missing = [v for v in selected[param] if v not in shown]
        if param == "domain" and missing:
            names = dict(Domain.objects.filter(pk__in=missing).values_list("pk", "name"))
            known_labels["domain"] = {str(pk): name for pk, name in names.items()}
        values += [
            FacetValue(v, known_labels.get(param, {}).get(v, v), 0, True) for v in dict.fromkeys(missing)
        ]
        groups.append(FacetGroup(param, str(title), values))
    return groups


@vary_on_headers("HX-Request")
@cache_anonymous
def directory(request: HttpRequest) -> HttpResponse:
    """Search and filter the organisations the visitor may see; htmx swaps in only the results.

    The results and the filters are rendered once for everyone who may see the same organisations (the
    permission engine's scope key) and kept until the registry changes; the rest of the page is drawn
    per request."""
    query = DirectoryQuery.from_params(request.GET)
    language = _language()
    facet_lists = (query.kinds, query.sectors, query.clusters, query.domains, query.levels, query.regions)
    selected_filter_count = sum(len(values) for values in facet_lists)
    filtered = bool(query.text) or selected_filter_count > 0
    fragment = _wants_fragment(request)

    def results_and_facets() -> tuple[str, str]:
        results = search_organisations(request.user, query).prefetch_related("sites", "sectors")
        page = Paginator(results, settings.HELIX_PAGE_SIZE).get_page(request.GET.get("page"))
        for organisation in page.object_list:
            organisation.description_shown = organisation.description(language)
        context = {
            "page_obj": page,
            "facets": _facet_groups(request, query),
            "filtered": filtered,
            "oob": fragment,
        }
        return (
            render_to_string("registry/_results.html", context, request),
            render_to_string("registry/_facets.html", context, request),
        )

    results_html, facets_html = remember(
        (
            "directory",
            permissions.scope_key(request.user, "view", Organisation),
            language,
            request.GET.urlencode(),
            fragment,
        ),
        results_and_facets,
    )
    context = {
        "query": query,
        "results_html": mark_safe(results_html),
        "facets_html": mark_safe(facets_html),
        "filtered": filtered,
        "selected_filter_count": selected_filter_count,
    }
    template = "registry/_directory_results.html" if fragment else "registry/directory.html"
    return render(request, template, context)


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
    language = _language()
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
        if _wants_fragment(request):
            context = _interaction_context(request, organisation, None)
            context["notice"] = _("Interaction logged.")
            return render(request, "registry/_interactions.html", context)
        messages.success(request, _("Interaction logged."))
        return redirect(f"{organisation.get_absolute_url()}#interactions")
    if _wants_fragment(request):
        return render(
            request, "registry/_interactions.html", _interaction_context(request, organisation, form)
        )
    return render(request, "registry/organisation_detail.html", _profile_context(request, organisation, form))


# Organisation editor --------------------------------------------------------------------------------------


class _StaleEditError(Exception):
    def __init__(self, current: Organisation) -> None:
        super().__init__("the organisation changed since the form was loaded")
        self.current = current


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
                with transaction.atomic():
                    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
                    if form.is_stale(current):
                        raise _StaleEditError(current)
                    form.save()
                    sites.save()
                    services.refresh_search_text(organisation)
            except _StaleEditError as stale:
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


# Clusters -------------------------------------------------------------------------------------------------


def _clusters() -> QuerySet[Cluster]:
    return Cluster.objects.select_related("operator").prefetch_related(
        Prefetch("names", queryset=ClusterName.objects.order_by("valid_from"))
    )


@cache_anonymous
def cluster_list(request: HttpRequest) -> HttpResponse:
    active = ~Q(memberships__level=EngagementLevel.LEFT)
    clusters = _clusters().annotate(member_count=Count("memberships", filter=active))
    clusters_sorted = sorted(clusters, key=lambda c: c.current_name.casefold())
    return render(request, "registry/cluster_list.html", {"clusters": clusters_sorted})


@dataclass(frozen=True)
class Strand:
    value: str
    label: str
    count: int
    percent: float


def _strands(counts: dict[str, int]) -> list[Strand]:
    total = sum(counts.values())
    labels = dict(Helix.choices)
    return [
        Strand(value, str(labels[value]), n, round(100 * n / total, 1) if total else 0.0)
        for value, n in counts.items()
    ]


@cache_anonymous
def cluster_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    cluster = get_object_or_404(_clusters(), slug=slug)
    visible = permissions.visible_organisations(user)
    active_members = ~Q(memberships__level=EngagementLevel.LEFT)
    domains = cluster.domains.annotate(member_count=Count("memberships", filter=active_members)).order_by(
        "kind", "name"
    )
    domain_kinds = dict(DomainKind.choices)
    domain_groups: dict[str, list[Domain]] = {}
    for domain in domains:
        domain_groups.setdefault(str(domain_kinds.get(domain.kind, domain.kind)), []).append(domain)
    members = (
        cluster.memberships.exclude(level=EngagementLevel.LEFT)
        .filter(organisation__in=visible)
        .select_related("organisation")
        .prefetch_related("domains")
        .order_by("organisation__name")
    )
    by_level: dict[str, list[Membership]] = {}
    for membership in members:
        by_level.setdefault(membership.level, []).append(membership)
    member_groups = [
        (level.value, str(ENGAGEMENT_LABELS[level]), by_level[level.value])
        for level in reversed(LADDER)
        if level.value in by_level
    ]
    groups = cluster.advisory_groups.prefetch_related(
        Prefetch("seats", queryset=AdvisorySeat.objects.select_related("person__organisation"))
    )
    visible_ids = set(
        visible.filter(people__advisory_seats__group__cluster=cluster).values_list("pk", flat=True)
    )
    named_seats = set(
        permissions.scope(user, "view", AdvisorySeat.objects.filter(group__cluster=cluster)).values_list(
            "pk", flat=True
        )
    )
    advisory = [
        {
            "group": group,
            "seats": [
                {
                    "seat": seat,
                    "name": seat.person.full_name if seat.pk in named_seats else "",
                    "organisation": seat.person.organisation
                    if seat.person.organisation_id in visible_ids
                    else None,
                }
                for seat in group.seats.all()
            ],
            "balance": _strands(services.advisory_balance(group)),
        }
        for group in groups
    ]
    composition = _strands(services.triple_helix_composition(cluster))
    context = {
        "cluster": cluster,
        "names": list(cluster.names.all()),
        "operator_visible": permissions.can_view_organisation(user, cluster.operator),
        "domain_groups": domain_groups,
        "member_groups": member_groups,
        "advisory": advisory,
        "composition": composition,
        "composition_total": sum(s.count for s in composition),
        "can_manage": permissions.can_manage_cluster(user, cluster),
    }
    return render(request, "registry/cluster_detail.html", context)


# Membership pipeline --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    target: str
    label: str
    direction: str  # up, down, leave or return


def _moves(user: Any, membership: Membership) -> list[Move]:
    """The ladder moves ``user`` may make on this card, as the workflow table allows for the user's roles."""
    roles = services.workflow_roles(user, membership.organisation, membership.cluster)
    moves = []
    for transition in MEMBERSHIP_WORKFLOW.available(membership.level, roles):
        target, here = transition.target, rung(membership.level)
        label = engagement_label(target)
        if target == EngagementLevel.LEFT:
            moves.append(Move(target, _("Mark as left"), "leave"))
        elif here < 0:
            moves.append(Move(target, _("Re-engage as %(level)s") % {"level": label}, "return"))
        elif rung(target) > here:
            moves.append(Move(target, _("Move up to %(level)s") % {"level": label}, "up"))
        else:
            moves.append(Move(target, _("Move down to %(level)s") % {"level": label}, "down"))
    order = {"up": 0, "down": 1, "return": 2, "leave": 3}
    return sorted(moves, key=lambda m: order[m.direction])


def _board_context(user: Any, cluster: Cluster) -> dict[str, Any]:
    memberships = cluster.memberships.select_related("organisation", "cluster").order_by("organisation__name")
    cards: dict[str, list[dict[str, Any]]] = {}
    for membership in memberships:
        cards.setdefault(membership.level, []).append(
            {"membership": membership, "moves": _moves(user, membership)}
        )
    columns = [
        {"level": level.value, "label": str(ENGAGEMENT_LABELS[level]), "cards": cards.get(level.value, [])}
        for level in LADDER
    ]
    return {"cluster": cluster, "columns": columns, "left": cards.get(EngagementLevel.LEFT, [])}


def _follow_ups_due(cluster: Cluster, today: dt.date) -> QuerySet[Interaction]:
    """Open follow-ups of this cluster's organisations that are overdue or due within a week."""
    return (
        Interaction.objects.filter(
            Q(cluster=cluster) | Q(cluster__isnull=True, organisation__memberships__cluster=cluster),
            follow_up_done=False,
            follow_up_on__lte=today + FOLLOW_UP_HORIZON,
        )
        .select_related("organisation", "logged_by")
        .distinct()
        .order_by("follow_up_on", "organisation__name")
    )


def _managed_cluster(user: Any, slug: str) -> Cluster:
    cluster = get_object_or_404(_clusters(), slug=slug)
    if not permissions.can_manage_cluster(user, cluster):
        raise PermissionDenied
    return cluster


@login_required
def pipeline(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = _managed_cluster(request.user, slug)
    today = timezone.localdate()
    context = _board_context(request.user, cluster)
    context.update({"follow_ups": _follow_ups_due(cluster, today), "today": today})
    return render(request, "registry/pipeline.html", context)


@login_required
@require_POST
def pipeline_move(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    """Move a card one step on the engagement ladder; htmx swaps in the redrawn board, else redirect back."""
    cluster = _managed_cluster(request.user, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"), pk=membership_id, cluster=cluster
    )
    target = request.POST.get("to", "")
    source = membership.level
    names = {
        "organisation": membership.organisation.name,
        "source": engagement_label(source),
        "target": engagement_label(target),
    }
    try:
        services.change_engagement(membership, target, user=request.user)
    except TransitionNotAllowed:
        level = messages.ERROR
        text = (
            _(
                "%(organisation)s cannot move from “%(source)s” to “%(target)s”. "
                "The board shows the moves open to you now."
            )
            % names
        )
    else:
        level = messages.SUCCESS
        text = _("%(organisation)s moved from “%(source)s” to “%(target)s”.") % names
    if _wants_fragment(request):
        context = _board_context(request.user, cluster)
        context["notice"] = {"level": "error" if level == messages.ERROR else "success", "text": text}
        return render(request, "registry/_pipeline_board.html", context)
    messages.add_message(request, level, text)
    return redirect("registry:pipeline", slug=cluster.slug)


@login_required
@require_POST
def follow_up_done(request: HttpRequest, slug: str, interaction_id: int) -> HttpResponse:
    """Close a follow-up from the pipeline page."""
    cluster = _managed_cluster(request.user, slug)
    interaction = get_object_or_404(Interaction.objects.select_related("organisation"), pk=interaction_id)
    services.complete_follow_up(interaction, user=request.user)
    messages.success(
        request, _("Follow-up with %(name)s marked done.") % {"name": interaction.organisation.name}
    )
    return redirect("registry:pipeline", cluster.slug)
