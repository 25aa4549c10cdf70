"""The needs and offers API: listings, their suggested counterparts, feedback and meeting requests.

Every handler goes through helix.market.services: ``visible_listings`` says who sees what (as the pages
do), ``save_listing`` / ``move_listing`` write, ``suggestions_for`` and friends match. The
router itself only parses input, resolves references and turns service errors into HTTP answers:
ValidationError -> 422 naming each field, StaleEdit -> 409, PermissionDenied -> 403.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from helix.api.auth import READ, WRITE_AUTH, acting_user
from helix.api.errors import (
    ITEM_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    Message,
    MoveRefusal,
    invalid,
    query_error,
    refuse_missing,
    service_errors,
)
from helix.api.pagination import HelixPagination
from helix.api.schemas.base import PlainText
from helix.api.schemas.market import (
    AnswerIn,
    FeedbackIn,
    FeedbackOut,
    ListingFilters,
    ListingIn,
    ListingOut,
    ListingPatch,
    MeetingFilters,
    MeetingIn,
    MeetingOut,
    OrganisationMatchOut,
    PairFilters,
    PairOut,
    StatusIn,
    SuggestionOut,
    pair_out,
    scored,
)
from helix.core.matching.lifecycle import ListingMoveRefused
from helix.market import meeting_requests, services
from helix.market.engine import current_weights
from helix.market.feedback import record_feedback
from helix.market.models import Listing, MeetingRequest, Side
from helix.market.suggestions import organisation_suggestions, suggestions_for, who_should_meet_whom
from helix.pagecache import cache_anonymous
from helix.registry.models import Cluster, Domain, Keyword, Sector, Site
from helix.registry.permissions import may, own_organisation_id, visible_organisations

router = Router()

LISTINGS = ["listings"]
MATCHES = ["matches"]
MEETINGS = ["meeting requests"]


# --- loading ------------------------------------------------------------------------------------------


def with_relations(listings: QuerySet[Listing]) -> QuerySet[Listing]:
    """Everything ListingOut shows, in a fixed number of queries whatever the page size."""
    return listings.select_related("organisation", "site").prefetch_related(
        Prefetch(
            "domains", queryset=Domain.objects.select_related("cluster").order_by("cluster__slug", "slug")
        ),
        Prefetch("sectors", queryset=Sector.objects.order_by("code")),
        Prefetch("keywords", queryset=Keyword.objects.order_by("name")),
    )


def visible_listing(user: Any, listing_id: int) -> Listing:
    return get_object_or_404(with_relations(services.visible_listings(user)), pk=listing_id)


def editable_listing(user: Any, listing_id: int) -> Listing:
    listing = visible_listing(user, listing_id)
    if not services.can_edit_listing(user, listing):
        raise PermissionDenied(f"You may not change the listings of {listing.organisation}.")
    return listing


def reloaded(listing: Listing) -> Listing:
    """The listing as just written, with its relations (the writer may edit what they cannot browse)."""
    return with_relations(Listing.objects.all()).get(pk=listing.pk)


def summaries(listings: QuerySet[Listing]) -> QuerySet[Listing]:
    return listings.select_related("organisation")


# --- listings -----------------------------------------------------------------------------------------


def filter_listings(listings: QuerySet[Listing], filters: ListingFilters, user: Any) -> QuerySet[Listing]:
    domains: list[Any] = []
    if filters.domain:
        found = Domain.objects.filter(slug=filters.domain)
        if filters.cluster:
            found = found.filter(cluster__slug=filters.cluster)
        domains = list(found)
        if not domains:
            return listings.none()  # an unknown domain matches nothing
    listings = services.filter_listings(
        listings,
        sides=[filters.side] if filters.side else (),
        categories=filters.category or (),
        cluster=filters.cluster or None,
        domains=domains,
        languages=filters.language or (),
        regions=filters.region or (),
        trl_min=filters.trl_min,
        q=filters.q or "",
    )
    if filters.organisation:
        listings = listings.filter(organisation__slug=filters.organisation)
    if filters.status:
        listings = listings.filter(status__in=filters.status)
    if filters.mine:
        if not getattr(user, "is_authenticated", False):
            return listings.none()
        own = own_organisation_id(user)
        listings = listings.filter(Q(created_by=user) | Q(organisation_id=own) if own else Q(created_by=user))
    return listings


@router.get("/listings", response={200: list[ListingOut], **READ_ERRORS}, tags=LISTINGS, **READ)
@decorate_view(cache_anonymous)  # the same answer for every anonymous caller: kept
@paginate(HelixPagination)
def list_listings(request: HttpRequest, filters: Query[ListingFilters]) -> Any:
    """Needs and offers you may see, most recently changed first: published ones by their visibility
    (public, members of the owner's clusters, cluster staff), and every listing of your own organisation."""
    user = acting_user(request)
    return with_relations(filter_listings(services.visible_listings(user), filters, user))


@router.get("/listings/{listing_id}", response={200: ListingOut, **ITEM_ERRORS}, tags=LISTINGS, **READ)
def get_listing(request: HttpRequest, listing_id: int) -> Any:
    return visible_listing(acting_user(request), listing_id)


@router.post(
    "/listings", response={201: ListingOut, 409: Message, **WRITE_ERRORS}, tags=LISTINGS, auth=WRITE_AUTH
)
def create_listing(request: HttpRequest, payload: ListingIn) -> Any:
    """Post a need or an offer for an organisation you act for (your own; staff: those of their clusters).
    Its language is detected from the text. A draft is seen by its organisation and cluster staff only."""
    user = acting_user(request)
    organisation = visible_organisations(user).filter(slug=payload.organisation).first()
    refuse_missing(("organisation", organisation, f"no organisation {payload.organisation!r}"))
    if not services.can_create_listing_for(user, organisation):
        raise PermissionDenied(f"You may not post needs or offers for {organisation}.")
    changes = payload.model_dump(exclude={"organisation"})
    listing = Listing(organisation=organisation)
    save(listing, changes, user=user)
    return Status(201, reloaded(listing))


@router.patch(
    "/listings/{listing_id}",
    response={200: ListingOut, 409: Message, **WRITE_ERRORS},
    tags=LISTINGS,
    auth=WRITE_AUTH,
)
def update_listing(request: HttpRequest, listing_id: int, payload: ListingPatch) -> Any:
    """Change the fields you send; lists (domains, sectors, keywords) are replaced. Send the ``revision``
    you loaded: if someone saved in between, nothing changes and the answer is 409. Status changes go
    through ``POST /listings/{id}/status``."""
    user = acting_user(request)
    listing = editable_listing(user, listing_id)
    changes = payload.model_dump(exclude_unset=True)
    revision = changes.pop("revision", None)
    save(listing, changes, user=user, expected_revision=revision)
    return reloaded(listing)


def save(
    listing: Listing, changes: dict[str, Any], *, user: Any, expected_revision: int | None = None
) -> None:
    """Resolve the references in ``changes``, check the whole listing, then save it through the service."""
    domain_keys = changes.pop("domains", None)
    sector_codes = changes.pop("sectors", None)
    keywords = changes.pop("keywords", None)
    site_id = changes.pop("site", listing.site_id)
    for field, value in changes.items():
        setattr(listing, field, value)

    errors: list[dict[str, Any]] = []
    domains = resolve_domains(domain_keys, errors) if domain_keys is not None else None
    sectors = resolve_sectors(sector_codes, errors) if sector_codes is not None else None
    if site_id is None:
        listing.site = None
    elif site_id != listing.site_id or listing.site is None:
        site = Site.objects.filter(pk=site_id).first()
        if site is None:
            errors.append(invalid("site", f"no site {site_id}"))
        else:
            listing.site = site
    try:
        services.check_listing(listing)
    except DjangoValidationError as exc:
        errors += service_errors(exc)
    if errors:
        raise ValidationError(errors)
    try:
        services.save_listing(
            listing,
            user=user,
            domains=domains,
            sectors=sectors,
            keywords=keywords,
            expected_revision=expected_revision,
        )
    except services.StaleEdit as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    except DjangoValidationError as exc:
        raise ValidationError(service_errors(exc)) from None


def resolve_domains(keys: Sequence[dict[str, str]], errors: list[dict[str, Any]]) -> list[Domain]:
    if not keys:
        return []
    wanted = Q()
    for key in keys:
        wanted |= Q(cluster__slug=key["cluster"], slug=key["slug"])
    found = {(d.cluster.slug, d.slug): d for d in Domain.objects.select_related("cluster").filter(wanted)}
    domains = []
    for i, key in enumerate(keys):
        domain = found.get((key["cluster"], key["slug"]))
        if domain is None:
            errors.append(
                invalid("domains", f"no domain {key['slug']!r} in cluster {key['cluster']!r}", at=(i,))
            )
        elif domain not in domains:
            domains.append(domain)
    return domains


def resolve_sectors(codes: Sequence[str], errors: list[dict[str, Any]]) -> list[Sector]:
    found = {s.code: s for s in Sector.objects.filter(code__in=codes)}
    for i, code in enumerate(codes):
        if code not in found:
            errors.append(invalid("sectors", f"{code!r} is not in the sector table", at=(i,)))
    return [found[c] for c in codes if c in found]


@router.post(
    "/listings/{listing_id}/status",
    response={200: ListingOut, 409: MoveRefusal, **WRITE_ERRORS},
    tags=LISTINGS,
    auth=WRITE_AUTH,
)
def change_status(request: HttpRequest, listing_id: int, payload: StatusIn) -> Any:
    """Make a move of the listing's lifecycle: publish (after expiry: a new lifetime), renew (another 180
    days from today or from its expiry, whichever is later), fulfil, withdraw, or take it back to draft.
    Each listing names the ``moves`` you may make now; any other is 409 with the code ``not_from_state``
    (a draft is never fulfilled), or 403 when it is not yours to make."""
    user = acting_user(request)
    listing = editable_listing(user, listing_id)
    try:
        services.move_listing(listing, payload.action, user=user)
    except ListingMoveRefused as exc:
        return Status(409, {"detail": str(exc), "code": exc.code})
    except DjangoValidationError as exc:
        raise ValidationError(service_errors(exc)) from None
    return reloaded(listing)


# --- matches ------------------------------------------------------------------------------------------


@router.get(
    "/listings/{listing_id}/matches",
    response={200: list[SuggestionOut], **ITEM_ERRORS},
    tags=MATCHES,
    **READ,
)
def listing_matches(
    request: HttpRequest, listing_id: int, top: int = Query(10, ge=1, le=50, description="How many")
) -> Any:
    """The best counterparts of a listing that you may see (offers for a need, needs for an offer), with
    why: shared words, the factors and what each contributed. Listings of the same organisation are never
    suggested."""
    user = acting_user(request)
    listing = visible_listing(user, listing_id)
    weights = current_weights()
    return [
        {**scored(s.match, weights), "listing": s.listing, "need": s.match.need, "offer": s.match.offer}
        for s in suggestions_for(listing, user, limit=top)
    ]


@router.get(
    "/organisations/{slug}/matches",
    response={200: list[OrganisationMatchOut], **ITEM_ERRORS},
    tags=MATCHES,
    **READ,
)
def organisation_matches(
    request: HttpRequest,
    slug: PlainText,
    limit: int = Query(10, ge=1, le=50, description="How many organisations"),
) -> Any:
    """Organisations that complement this one: whose offers meet its needs, or whose needs its offers meet,
    with the best listing pairs behind each. Empty while the organisation has no published listing."""
    user = acting_user(request)
    organisation = get_object_or_404(visible_organisations(user), slug=slug)
    # Each pair's two listings are ones the caller may see: the service asks the database for both.
    found = organisation_suggestions(organisation, user, limit=limit)
    weights = current_weights()
    out = []
    for entry in found:
        pairs = [pair_out(s, weights) for s in entry["suggestions"]]
        out.append({"organisation": entry["organisation"], "score": pairs[0]["score"], "pairs": pairs})
    out.sort(key=lambda e: (-e["score"], e["organisation"].slug))
    return out


@router.get(
    "/who-meets-whom",
    response={200: list[PairOut], 403: Message, **READ_ERRORS},
    tags=MATCHES,
    auth=WRITE_AUTH,
)
def who_meets_whom(request: HttpRequest, filters: Query[PairFilters]) -> Any:
    """For cluster staff: for each published need in scope, its best offers; pairs best first, one pair
    per (need organisation, offer organisation)."""
    user = acting_user(request)
    if not may(user, "pair", Listing):
        raise PermissionDenied("Only cluster staff see who should meet whom.")
    errors: list[dict[str, Any]] = []
    cluster = domain = None
    if filters.cluster:
        cluster = Cluster.objects.filter(slug=filters.cluster).first()
        if cluster is None:
            errors.append(query_error("cluster", f"no cluster {filters.cluster!r}"))
    if filters.domain:
        domains = Domain.objects.filter(slug=filters.domain)
        if filters.cluster:
            domains = domains.filter(cluster__slug=filters.cluster)
        found = list(domains[:2])
        if not found:
            errors.append(query_error("domain", f"no domain {filters.domain!r}"))
        elif len(found) > 1:
            errors.append(
                query_error("domain", f"several clusters have a domain {filters.domain!r}; give cluster")
            )
        else:
            domain = found[0]
    if errors:
        raise ValidationError(errors)
    suggestions = who_should_meet_whom(
        user,
        cluster=cluster,
        domain=domain,
        region=filters.region or "",
        kind=filters.kind or "",
        per_need=filters.per_need,
        min_score=filters.min_score,
        limit=filters.limit,
    )
    weights = current_weights()
    return [pair_out(s, weights) for s in suggestions]


# --- feedback -----------------------------------------------------------------------------------------


@router.post(
    "/listings/{listing_id}/feedback",
    response={201: FeedbackOut, **WRITE_ERRORS},
    tags=MATCHES,
    auth=WRITE_AUTH,
)
def give_feedback(request: HttpRequest, listing_id: int, payload: FeedbackIn) -> Any:
    """Say whether a suggested pair was relevant (or led to contact, a meeting, an agreement). The ranker
    learns its weights from these verdicts."""
    user = acting_user(request)
    listing = visible_listing(user, listing_id)
    other_side = Side.OFFER if listing.side == Side.NEED else Side.NEED
    other_id = payload.offer if other_side == Side.OFFER else payload.need
    if other_id is None:
        raise ValidationError([invalid(other_side, f"name the {other_side} of the pair")])
    other = services.visible_listings(user).filter(pk=other_id, side=other_side).first()
    refuse_missing((other_side, other, f"no {other_side} {other_id} that you may see"))
    need, offer = (listing, other) if listing.side == Side.NEED else (other, listing)
    try:
        feedback = record_feedback(user, need, offer, payload.verdict)
    except DjangoValidationError as exc:
        raise ValidationError(service_errors(exc)) from None
    return Status(201, feedback)


# --- meeting requests ---------------------------------------------------------------------------------


def my_meetings(user: Any) -> QuerySet[MeetingRequest]:
    """Requests asked by or of an organisation the user acts for."""
    organisations = services.organisations_user_may_post_for(user).values("pk")
    return MeetingRequest.objects.filter(
        Q(from_organisation__in=organisations) | Q(to_organisation__in=organisations)
    ).select_related("need__organisation", "offer__organisation", "from_organisation", "to_organisation")


@router.get(
    "/meeting-requests", response={200: list[MeetingOut], **READ_ERRORS}, tags=MEETINGS, auth=WRITE_AUTH
)
@paginate(HelixPagination)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilters]) -> Any:
    """Meeting requests asked by or of the organisations you act for, newest first."""
    user = acting_user(request)
    meetings = my_meetings(user)
    if filters.direction:
        organisations = services.organisations_user_may_post_for(user).values("pk")
        side = "to_organisation" if filters.direction == "incoming" else "from_organisation"
        meetings = meetings.filter(**{f"{side}__in": organisations})
    if filters.status:
        meetings = meetings.filter(status__in=filters.status)
    return meetings.order_by("-created_at", "-pk")


@router.post(
    "/meeting-requests",
    response={200: MeetingOut, 201: MeetingOut, **WRITE_ERRORS},
    tags=MEETINGS,
    auth=WRITE_AUTH,
)
def request_meeting(request: HttpRequest, payload: MeetingIn) -> Any:
    """Ask that the organisations of a need and an offer meet; you act for one of them and the other
    answers. Asking again while a request is open returns that request (200) instead of a new one (201)."""
    user = acting_user(request)
    visible = summaries(services.visible_listings(user))
    need = visible.filter(pk=payload.need, side=Side.NEED).first()
    offer = visible.filter(pk=payload.offer, side=Side.OFFER).first()
    refuse_missing(
        ("need", need, f"no need {payload.need} that you may see"),
        ("offer", offer, f"no offer {payload.offer} that you may see"),
    )
    open_before = set(
        MeetingRequest.objects.filter(need=need, offer=offer, status="requested").values_list("pk", flat=True)
    )
    try:
        meeting = meeting_requests.request_meeting(user, need, offer, message=payload.message)
    except DjangoValidationError as exc:
        raise ValidationError(service_errors(exc)) from None
    return Status(200 if meeting.pk in open_before else 201, my_meetings(user).get(pk=meeting.pk))


@router.post(
    "/meeting-requests/{meeting_id}/answer",
    response={200: MeetingOut, 409: Message, **WRITE_ERRORS},
    tags=MEETINGS,
    auth=WRITE_AUTH,
)
def answer_meeting(request: HttpRequest, meeting_id: int, payload: AnswerIn) -> Any:
    """Accept or decline a request asked of your organisation. 409 when it was already answered."""
    user = acting_user(request)
    meeting = get_object_or_404(my_meetings(user), pk=meeting_id)
    try:
        meeting_requests.answer_meeting(user, meeting, payload.accept)
    except PermissionDenied:
        raise PermissionDenied(f"Only {meeting.to_organisation} answers this request.") from None
    except DjangoValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return my_meetings(user).get(pk=meeting.pk)
