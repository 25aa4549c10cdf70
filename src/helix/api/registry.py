"""The registry API: organisations with their sites and people, clusters, memberships, NACE sectors.

Every handler asks helix.registry.permissions who may see or change what, and searches with
helix.registry.search, so the API shows exactly what the pages show to the same user.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from helix.api.auth import READ, WRITE_AUTH, acting_user
from helix.api.errors import ITEM_ERRORS, READ_ERRORS, WRITE_ERRORS, Message, invalid, refuse_missing
from helix.api.pagination import HelixPagination
from helix.api.schemas.base import PlainText
from helix.api.schemas.registry import (
    ClusterDetail,
    ClusterOut,
    LevelChangeIn,
    MembershipDetail,
    MembershipFilters,
    MembershipIn,
    MembershipOut,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    PersonIn,
    PersonOut,
    PersonPatch,
    SectorFilters,
    SectorOut,
    SiteIn,
    SiteOut,
    SitePatch,
    person_out,
)
from helix.core.registry.ladder import MEMBERSHIP_WORKFLOW
from helix.core.workflow import TransitionNotAllowed
from helix.pagecache import cache_anonymous
from helix.privacy.consents import consent_changes, consent_state, record_consents
from helix.privacy.models import Channel
from helix.registry import edits, services
from helix.registry.models import (
    Cluster,
    Membership,
    MembershipChange,
    Organisation,
    Person,
    Sector,
    Site,
)
from helix.registry.permissions import (
    can_create_organisation,
    can_edit_organisation,
    can_see_contact_data,
    scope,
    visible_organisations,
)
from helix.registry.search import DirectoryQuery, search_organisations

router = Router()

ORGANISATIONS = ["organisations"]
CLUSTERS = ["clusters"]
MEMBERSHIPS = ["memberships"]
SECTORS = ["sectors"]


# --- loading ------------------------------------------------------------------------------------------


def with_relations(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Everything OrganisationOut shows, in a fixed number of queries whatever the page size."""
    return organisations.prefetch_related(
        "sectors",
        "keywords",
        Prefetch("sites", queryset=Site.objects.order_by("-is_headquarters", "name")),
        Prefetch(
            "memberships", queryset=Membership.objects.select_related("cluster").order_by("cluster__slug")
        ),
        "memberships__cluster__names",
    )


def visible_organisation(user: Any, slug: str) -> Organisation:
    return get_object_or_404(with_relations(visible_organisations(user)), slug=slug)


def editable_organisation(user: Any, slug: str) -> Organisation:
    organisation = visible_organisation(user, slug)
    if not can_edit_organisation(user, organisation):
        raise PermissionDenied(f"You may not edit {organisation}.")
    return organisation


# --- organisations ------------------------------------------------------------------------------------


@router.get(
    "/organisations", response={200: list[OrganisationOut], **READ_ERRORS}, tags=ORGANISATIONS, **READ
)
@decorate_view(cache_anonymous)  # the same answer for every anonymous caller: kept
@paginate(HelixPagination)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    """The directory: organisations you may see that match the query, best match first."""
    query = DirectoryQuery.from_params(filters.model_dump(mode="json"))
    return with_relations(search_organisations(acting_user(request), query))


@router.post(
    "/organisations", response={201: OrganisationOut, **WRITE_ERRORS}, tags=ORGANISATIONS, auth=WRITE_AUTH
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Any:
    """Register an organisation (cluster staff). Its slug is made from the name."""
    user = acting_user(request)
    if not can_create_organisation(user):
        raise PermissionDenied("Only cluster staff may register organisations.")
    organisation = Organisation(slug=services.unique_slug(payload.name))
    try:
        edits.save_organisation(organisation, payload.model_dump())
    except edits.ChangesRefused as exc:
        raise refused(exc) from None
    return Status(201, visible_organisation(user, organisation.slug))


@router.get(
    "/organisations/{slug}", response={200: OrganisationOut, **ITEM_ERRORS}, tags=ORGANISATIONS, **READ
)
def get_organisation(request: HttpRequest, slug: PlainText) -> Any:
    return visible_organisation(acting_user(request), slug)


@router.patch(
    "/organisations/{slug}",
    response={200: OrganisationOut, **WRITE_ERRORS},
    tags=ORGANISATIONS,
    auth=WRITE_AUTH,
)
def update_organisation(request: HttpRequest, slug: PlainText, payload: OrganisationPatch) -> Any:
    """Change the fields you send; the others stay as they are. Lists (sectors, keywords) are replaced."""
    user = acting_user(request)
    organisation = editable_organisation(user, slug)
    try:
        edits.save_organisation(organisation, payload.model_dump(exclude_unset=True))
    except edits.ChangesRefused as exc:
        raise refused(exc) from None
    return visible_organisation(user, slug)


PROBLEM_MESSAGES = {  # helix.registry.edits.Problem codes, as the API words them
    "size_class": "only companies have a size class; send an empty string",
    "government_level": "only government bodies have a level; send an empty string",
    "scheme_missing": "choose the identifier_scheme it belongs to",
    "invalid_identifier": "{reason}",
    "identifier_taken": "{value} is already registered",
    "unknown_sector": "{code!r} is not in the sector table",
}


def refused(exc: edits.ChangesRefused) -> ValidationError:
    """The service's coded refusal as a 422 naming each field."""
    return ValidationError(
        [invalid(p.field, PROBLEM_MESSAGES[p.code].format(**p.params), at=p.at) for p in exc.problems]
    )


# --- sites --------------------------------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/sites", response={200: list[SiteOut], **ITEM_ERRORS}, tags=ORGANISATIONS, **READ
)
def list_sites(request: HttpRequest, slug: PlainText) -> Any:
    """The organisation's sites, headquarters first."""
    return list(visible_organisation(acting_user(request), slug).sites.all())


@router.post(
    "/organisations/{slug}/sites",
    response={201: SiteOut, **WRITE_ERRORS},
    tags=ORGANISATIONS,
    auth=WRITE_AUTH,
)
def create_site(request: HttpRequest, slug: PlainText, payload: SiteIn) -> Any:
    organisation = editable_organisation(acting_user(request), slug)
    site = Site(organisation=organisation)
    save_site(site, payload.model_dump())
    return Status(201, site)


@router.patch(
    "/organisations/{slug}/sites/{site_id}",
    response={200: SiteOut, **WRITE_ERRORS},
    tags=ORGANISATIONS,
    auth=WRITE_AUTH,
)
def update_site(request: HttpRequest, slug: PlainText, site_id: int, payload: SitePatch) -> Any:
    organisation = editable_organisation(acting_user(request), slug)
    site = get_object_or_404(Site, organisation=organisation, pk=site_id)
    save_site(site, payload.model_dump(exclude_unset=True))
    return site


@transaction.atomic
def save_site(site: Site, changes: dict[str, Any]) -> None:
    for field, value in changes.items():
        setattr(site, field, value)
    if Site.objects.filter(organisation=site.organisation, name=site.name).exclude(pk=site.pk).exists():
        raise ValidationError([invalid("name", f"the organisation already has a site called {site.name!r}")])
    site.save()
    services.refresh_search_text(site.organisation)


# --- people -------------------------------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/people", response={200: list[PersonOut], **ITEM_ERRORS}, tags=ORGANISATIONS, **READ
)
def list_people(request: HttpRequest, slug: PlainText) -> Any:
    """The organisation's people. Cluster staff and the organisation's own people see everyone with contact
    data; others see only those who agreed to appear on the public profile, without e-mail and phone."""
    user = acting_user(request)
    organisation = visible_organisation(user, slug)
    people = organisation.people.all()
    with_contact = can_see_contact_data(user, organisation)
    if not with_contact:
        people = people.filter(consent_public=True)
    return [person_out(p, with_contact=with_contact) for p in people]


@router.post(
    "/organisations/{slug}/people",
    response={201: PersonOut, **WRITE_ERRORS},
    tags=ORGANISATIONS,
    auth=WRITE_AUTH,
)
def create_person(request: HttpRequest, slug: PlainText, payload: PersonIn) -> Any:
    user = acting_user(request)
    organisation = editable_organisation(user, slug)
    person = Person(organisation=organisation)
    save_person(person, payload.model_dump(), user=user)
    return Status(201, person_out(person, with_contact=can_see_contact_data(user, organisation)))


@router.patch(
    "/organisations/{slug}/people/{person_id}",
    response={200: PersonOut, **WRITE_ERRORS},
    tags=ORGANISATIONS,
    auth=WRITE_AUTH,
)
def update_person(request: HttpRequest, slug: PlainText, person_id: int, payload: PersonPatch) -> Any:
    user = acting_user(request)
    organisation = editable_organisation(user, slug)
    person = get_object_or_404(Person, organisation=organisation, pk=person_id)
    save_person(person, payload.model_dump(exclude_unset=True), user=user)
    return person_out(person, with_contact=can_see_contact_data(user, organisation))


@transaction.atomic  # the person and the record of their consents, or neither
def save_person(person: Person, changes: dict[str, Any], *, user: Any = None) -> None:
    before = consent_state(person) if person.pk else {}
    roles = changes.pop("roles", None)
    for field, value in changes.items():
        setattr(person, field, value)
    if roles is not None:
        person.roles = ", ".join(roles)
    if (
        person.email
        and Person.objects.filter(organisation=person.organisation, email__iexact=person.email)
        .exclude(pk=person.pk)
        .exists()
    ):
        raise ValidationError([invalid("email", f"someone at this organisation already uses {person.email}")])
    person.save()
    record_consents(person, consent_changes(before, person), actor=user, how=Channel.API)


# --- clusters -----------------------------------------------------------------------------------------


@router.get("/clusters", response={200: list[ClusterOut], **READ_ERRORS}, tags=CLUSTERS, **READ)
@paginate(HelixPagination)
def list_clusters(request: HttpRequest) -> Any:
    return Cluster.objects.select_related("operator").prefetch_related("names").order_by("slug")


@router.get("/clusters/{slug}", response={200: ClusterDetail, **ITEM_ERRORS}, tags=CLUSTERS, **READ)
def get_cluster(request: HttpRequest, slug: PlainText) -> Any:
    """A cluster with its names over time, its domains and its triple-helix composition."""
    cluster = get_object_or_404(
        Cluster.objects.select_related("operator").prefetch_related("names", "domains"), slug=slug
    )
    cluster.composition = services.triple_helix_composition(cluster)  # type: ignore[attr-defined]
    return cluster


# --- memberships --------------------------------------------------------------------------------------


def visible_memberships(user: Any) -> QuerySet[Membership]:
    """Memberships ``user`` may see (registry.permissions): of published members, of their own
    organisation, and (staff) in their clusters."""
    return (
        scope(user, "view", Membership.objects.all())
        .select_related("organisation", "cluster")
        .prefetch_related("cluster__names", "domains")
    )


@router.get("/memberships", response={200: list[MembershipOut], **READ_ERRORS}, tags=MEMBERSHIPS, **READ)
@paginate(HelixPagination)
def list_memberships(request: HttpRequest, filters: Query[MembershipFilters]) -> Any:
    """Memberships of the organisations you may see, by cluster then organisation."""
    memberships = visible_memberships(acting_user(request))
    if filters.cluster:
        memberships = memberships.filter(cluster__slug=filters.cluster)
    if filters.organisation:
        memberships = memberships.filter(organisation__slug=filters.organisation)
    if filters.level:
        memberships = memberships.filter(level__in=filters.level)
    return memberships.order_by("cluster__slug", "organisation__name", "pk")


@router.get(
    "/memberships/{membership_id}", response={200: MembershipDetail, **ITEM_ERRORS}, tags=MEMBERSHIPS, **READ
)
def get_membership(request: HttpRequest, membership_id: int) -> Any:
    """A membership with every dated step on the engagement ladder (the steps and their notes are for the
    cluster's staff and the organisation's own people)."""
    user = acting_user(request)
    changes = Prefetch(
        "changes", queryset=MembershipChange.objects.order_by("changed_on", "recorded_at", "pk")
    )
    membership = get_object_or_404(visible_memberships(user).prefetch_related(changes), pk=membership_id)
    roles = services.workflow_roles(user, membership.organisation, membership.cluster)
    membership.history_visible = bool(roles)  # type: ignore[attr-defined]
    return membership


@router.post(
    "/memberships",
    response={201: MembershipOut, 409: Message, **WRITE_ERRORS},
    tags=MEMBERSHIPS,
    auth=WRITE_AUTH,
)
def create_membership(request: HttpRequest, payload: MembershipIn) -> Any:
    """Put an organisation on a cluster's engagement ladder. An organisation's own people may register
    interest; only the cluster's staff may start it higher up."""
    user = acting_user(request)
    organisation = visible_organisations(user).filter(slug=payload.organisation).first()
    cluster = Cluster.objects.filter(slug=payload.cluster).first()
    refuse_missing(
        ("organisation", organisation, f"no organisation {payload.organisation!r}"),
        ("cluster", cluster, f"no cluster {payload.cluster!r}"),
    )
    try:
        membership = services.join_cluster(
            organisation, cluster, user=user, level=payload.level, note=payload.note
        )
    except ValueError as exc:
        raise HttpError(409, str(exc)) from None
    return Status(201, visible_memberships(user).get(pk=membership.pk))


@router.post(
    "/memberships/{membership_id}/level",
    response={200: MembershipOut, 409: Message, **WRITE_ERRORS},
    tags=MEMBERSHIPS,
    auth=WRITE_AUTH,
)
def change_level(request: HttpRequest, membership_id: int, payload: LevelChangeIn) -> Any:
    """Move a membership along the engagement ladder. 409 when the ladder has no such step (e.g. interested
    straight to member); 403 when the step exists but is not yours to take (only staff move members)."""
    user = acting_user(request)
    membership = get_object_or_404(visible_memberships(user), pk=membership_id)
    if not services.workflow_roles(user, membership.organisation, membership.cluster):
        raise PermissionDenied(f"You may not change the engagement of {membership.organisation}.")
    try:
        services.change_engagement(membership, payload.level, user=user, note=payload.note)
    except TransitionNotAllowed as exc:
        step_exists = any(
            t.source == membership.level and t.target == payload.level
            for t in MEMBERSHIP_WORKFLOW.transitions
        )
        if step_exists:
            raise PermissionDenied(
                f"Only cluster staff may move {membership.organisation} to {payload.level}."
            ) from exc
        raise HttpError(
            409, f"The engagement ladder has no step from {membership.level} to {payload.level}."
        ) from exc
    return visible_memberships(user).get(pk=membership.pk)


# --- sectors ------------------------------------------------------------------------------------------


@router.get("/sectors", response={200: list[SectorOut], **READ_ERRORS}, tags=SECTORS, **READ)
@paginate(HelixPagination)
def list_sectors(request: HttpRequest, filters: Query[SectorFilters]) -> Any:
    """NACE Rev. 2.1 headings, in code order."""
    sectors = Sector.objects.select_related("parent")
    text = filters.q.strip()
    if text:
        sectors = sectors.filter(Q(code__istartswith=text) | Q(label__icontains=text))
    if filters.level:
        sectors = sectors.filter(level=filters.level)
    return sectors.order_by("code")
