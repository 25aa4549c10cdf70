"""Needs and offers: save, publish, renew, match, feedback and meeting requests.

Pages, the API and the CLI call these functions; the matching itself is helix.core.matching. Each
save enqueues ``index_listing`` (a background task) that embeds the listing once and stores its vector
(ListingVector), then bumps IndexState.seq; each process's engine (helix.market.engine) follows that
counter and applies only what changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.core.matching.engine import Match
from helix.core.matching.fit import Viewer
from helix.core.matching.language import detect_language
from helix.core.matching.weights import Sample, Weights, learn_weights, ranking_accuracy
from helix.core.registry.ladder import EngagementLevel
from helix.market.models import (
    LISTING_LIFETIME_DAYS,
    NEED_CATEGORIES,
    OFFER_CATEGORIES,
    Feedback,
    IndexState,
    Listing,
    MeetingRequest,
    MeetingStatus,
    RankerWeights,
    Side,
    Status,
    Verdict,
    Visibility,
)
from helix.registry.models import Membership, Organisation, Site, normalise_search_text
from helix.registry.permissions import (
    can_edit_organisation,
    is_cluster_staff,
    own_organisation_id,
    staff_cluster_ids,
)

AUDIENCE_LEVELS = (EngagementLevel.LOI_SIGNED, EngagementLevel.MEMBER, EngagementLevel.STRATEGIC_PARTNER)


# -- who sees what ---------------------------------------------------------------------------------


def member_cluster_ids(organisation_id: int | None) -> set[int]:
    """Clusters in which the organisation counts as a member (letter of intent signed or higher)."""
    if organisation_id is None:
        return set()
    return set(
        Membership.objects.filter(organisation_id=organisation_id, level__in=AUDIENCE_LEVELS).values_list(
            "cluster_id", flat=True
        )
    )


def viewer_for(user: Any) -> Viewer:
    """The matcher's view of a user (anonymous visitors see public listings only)."""
    if not getattr(user, "is_authenticated", False):
        return Viewer()
    cached = getattr(user, "_helix_viewer", None)
    if cached is None:
        organisation = own_organisation_id(user)
        cached = Viewer(
            organisation=organisation,
            member_of=frozenset(member_cluster_ids(organisation)),
            staff_of=frozenset(staff_cluster_ids(user)),
            is_superuser=bool(user.is_superuser),
        )
        user._helix_viewer = cached
    return cached


def visible_listings(user: Any, *, include_inactive_own: bool = True) -> QuerySet[Listing]:
    """Listings ``user`` may see: active ones by visibility, plus every listing of their own organisation."""
    viewer = viewer_for(user)
    qs = Listing.objects.all()
    if viewer.is_superuser:
        return qs
    audience_orgs = Membership.objects.filter(level__in=AUDIENCE_LEVELS)
    active = Q(status=Status.PUBLISHED, expires_on__gte=timezone.localdate())
    rule = Q(visibility=Visibility.PUBLIC)
    if viewer.member_of or viewer.staff_of:
        rule |= Q(
            visibility=Visibility.MEMBERS,
            organisation__in=audience_orgs.filter(cluster_id__in=viewer.member_of | viewer.staff_of).values(
                "organisation_id"
            ),
        )
    if viewer.staff_of:
        rule |= Q(
            visibility=Visibility.STAFF,
            organisation__in=audience_orgs.filter(cluster_id__in=viewer.staff_of).values("organisation_id"),
        )
    condition = active & rule
    if include_inactive_own and viewer.organisation is not None:
        condition |= Q(organisation_id=viewer.organisation)
    if viewer.staff_of:
        # Staff follow the drafts and expired listings of the organisations in their clusters too.
        condition |= Q(
            organisation__in=Membership.objects.filter(cluster_id__in=viewer.staff_of).values(
                "organisation_id"
            )
        )
    return qs.filter(condition)


def filter_listings(
    listings: QuerySet[Listing],
    *,
    sides: Sequence[str] = (),
    categories: Sequence[str] = (),
    cluster: Any = None,
    domains: Sequence[Any] = (),
    languages: Sequence[str] = (),
    regions: Sequence[str] = (),
    kinds: Sequence[str] = (),
    trl_min: int | None = None,
    q: str = "",
) -> QuerySet[Listing]:
    """``listings`` narrowed by the browse filters the pages, the API and the staff pairs share.

    ``cluster``: a Cluster or its slug; a listing belongs to it by a domain of that cluster or by its
    owner's membership. ``domains``: Domain objects or ids. ``regions``: a listing's site's region, or,
    without a site, any of its owner's sites. ``q``: every word must occur in the accent-folded search text.
    """
    if sides:
        listings = listings.filter(side__in=sides)
    if categories:
        listings = listings.filter(category__in=categories)
    if cluster is not None and cluster != "":
        key = "slug" if isinstance(cluster, str) else "pk"
        value = cluster if isinstance(cluster, str) else cluster.pk
        in_domain = Listing.domains.through.objects.filter(**{f"domain__cluster__{key}": value})
        members = Membership.objects.filter(**{f"cluster__{key}": value})
        listings = listings.filter(
            Q(pk__in=in_domain.values("listing_id")) | Q(organisation__in=members.values("organisation_id"))
        )
    if domains:
        chosen = Listing.domains.through.objects.filter(domain__in=list(domains))
        listings = listings.filter(pk__in=chosen.values("listing_id"))
    if languages:
        listings = listings.filter(language__in=languages)
    if regions:
        sited = Site.objects.filter(region__in=regions).values("organisation_id")
        listings = listings.filter(Q(site__region__in=regions) | Q(site__isnull=True, organisation__in=sited))
    if kinds:
        listings = listings.filter(organisation__kind__in=kinds)
    if trl_min is not None:
        listings = listings.filter(trl__gte=trl_min)
    for word in normalise_search_text(q or "").split():
        listings = listings.filter(search_text__contains=word)
    return listings


def can_view_listing(user: Any, listing: Listing) -> bool:
    return visible_listings(user).filter(pk=listing.pk).exists()


def can_edit_listing(user: Any, listing: Listing) -> bool:
    return can_edit_organisation(user, listing.organisation)


def can_create_listing_for(user: Any, organisation: Organisation) -> bool:
    return can_edit_organisation(user, organisation)


def organisations_user_may_post_for(user: Any) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    own = own_organisation_id(user)
    staff = staff_cluster_ids(user)
    condition = Q(pk=own) if own else Q(pk__in=[])
    if staff:
        condition |= Q(memberships__cluster_id__in=staff)
    return Organisation.objects.filter(condition).distinct()


# -- saving ----------------------------------------------------------------------------------------


def stale_message() -> str:
    return _("Someone else saved this listing while you were editing it. Reload it to see their changes.")


class StaleEdit(ValidationError):
    """The listing changed since the editor loaded it."""


def check_listing(listing: Listing) -> None:
    """The rules a listing must keep, whatever the entry point; ValidationError names the field."""
    errors: dict[str, list[str]] = {}
    for name, choices in (("side", Side), ("visibility", Visibility), ("status", Status)):
        value = getattr(listing, name)
        if value not in choices.values:
            errors.setdefault(name, []).append(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)}
            )
    allowed = NEED_CATEGORIES if listing.side == Side.NEED else OFFER_CATEGORIES
    if listing.category not in allowed:
        errors.setdefault("category", []).append(
            _("“%(category)s” is not a category of a %(side)s.")
            % {"category": listing.category, "side": listing.get_side_display().lower()}
        )
    if listing.trl is not None and not 1 <= listing.trl <= 9:
        errors.setdefault("trl", []).append(_("The technology readiness level runs from 1 to 9."))
    if (
        listing.budget_min is not None
        and listing.budget_max is not None
        and listing.budget_min > listing.budget_max
    ):
        errors.setdefault("budget_max", []).append(_("The upper bound is below the lower bound."))
    if (
        listing.site_id is not None
        and listing.site
        and listing.site.organisation_id != listing.organisation_id
    ):
        errors.setdefault("site", []).append(_("The site belongs to another organisation."))
    if not listing.title.strip():
        errors.setdefault("title", []).append(_("A title is required."))
    if not listing.description.strip():
        errors.setdefault("description", []).append(_("A description is required."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_listing(
    listing: Listing,
    *,
    user: Any = None,
    domains: Iterable[Any] | None = None,
    sectors: Iterable[Any] | None = None,
    keywords: Iterable[str] | None = None,
    expected_revision: int | None = None,
) -> Listing:
    """Validate and save ``listing`` (new or changed) with its relations, then schedule its indexing.

    ``expected_revision``: the revision the editor started from; a newer one in the database means
    someone else saved in between, and nothing is written (StaleEdit).
    """
    from helix.registry.models import Keyword

    check_listing(listing)
    listing.index_seq = bump_index_seq()
    listing.language = detect_language(listing.text)
    if listing.expires_on is None:
        listing.expires_on = timezone.localdate() + dt.timedelta(days=LISTING_LIFETIME_DAYS)
    if listing.status == Status.PUBLISHED and listing.published_on is None:
        listing.published_on = timezone.localdate()
    if listing.pk is None:
        listing.created_by = user if getattr(user, "pk", None) else None
        listing.save()
    else:
        current = (
            Listing.objects.select_for_update()
            .filter(pk=listing.pk)
            .values_list("revision", flat=True)
            .first()
        )
        if expected_revision is not None and current is not None and current != expected_revision:
            raise StaleEdit(stale_message())
        listing.revision = (current or listing.revision) + 1
        listing.save()
    if domains is not None:
        listing.domains.set(domains)
    if sectors is not None:
        listing.sectors.set(sectors)
    if keywords is not None:
        names = sorted({k.strip().lower() for k in keywords if k.strip()})
        listing.keywords.set([Keyword.objects.get_or_create(name=name)[0] for name in names])
    refresh_listing_search_text(listing)
    schedule_indexing(listing.pk)
    return listing


def refresh_listing_search_text(listing: Listing) -> None:
    parts = [listing.title, listing.description, listing.organisation.name]
    parts += list(listing.keywords.values_list("name", flat=True))
    parts += list(listing.domains.values_list("name", flat=True))
    text = normalise_search_text(" ".join(parts))
    Listing.objects.filter(pk=listing.pk).update(search_text=text)
    listing.search_text = text


def schedule_indexing(listing_id: int) -> None:
    from helix.market.tasks import index_listing

    transaction.on_commit(lambda: index_listing.enqueue(listing_id))


def bump_index_seq() -> int:
    """Advance the index counter (creating its one row) and return the new value."""
    state, _created = IndexState.objects.get_or_create(pk=1)
    IndexState.objects.filter(pk=1).update(seq=F("seq") + 1)
    state.refresh_from_db()
    return state.seq


def set_status(listing: Listing, status: str, *, user: Any = None) -> Listing:
    listing.status = status
    if status == Status.PUBLISHED:
        listing.published_on = listing.published_on or timezone.localdate()
        if listing.is_expired:
            listing.expires_on = timezone.localdate() + dt.timedelta(days=LISTING_LIFETIME_DAYS)
    return save_listing(listing, user=user)


def renew(listing: Listing, *, user: Any = None, days: int = LISTING_LIFETIME_DAYS) -> Listing:
    """Keep a listing for another ``days`` from today (or from its current expiry, if later)."""
    start = max(timezone.localdate(), listing.expires_on)
    listing.expires_on = start + dt.timedelta(days=days)
    listing.renewals += 1
    return save_listing(listing, user=user)


def expiring_soon(organisation_ids: Sequence[int], within_days: int = 14) -> QuerySet[Listing]:
    today = timezone.localdate()
    return Listing.objects.filter(
        organisation_id__in=organisation_ids,
        status=Status.PUBLISHED,
        expires_on__lte=today + dt.timedelta(days=within_days),
    )


# -- matching --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A match with the listing it suggests, ready for a page or the API."""

    match: Match
    listing: Listing  # the suggested counterpart
    need: Listing
    offer: Listing


def suggestions_for(listing: Listing, user: Any, *, limit: int = 10) -> list[Suggestion]:
    """The counterparts ``user`` may see for ``listing``, best first, with explanations."""
    from helix.market.engine import core_listing, get_engine

    engine = get_engine()
    matches = engine.matches(core_listing(listing), viewer_for(user), limit=limit)
    return _attach(matches, listing)


def _attach(matches: Sequence[Match], query: Listing | None) -> list[Suggestion]:
    keys = {m.candidate for m in matches} | {m.need for m in matches} | {m.offer for m in matches}
    rows = {
        row.pk: row
        for row in Listing.objects.filter(pk__in=keys)
        .select_related("organisation", "site")
        .prefetch_related("domains")
    }
    if query is not None:
        rows[query.pk] = query
    out = []
    for m in matches:
        if m.candidate in rows and m.need in rows and m.offer in rows:
            out.append(Suggestion(m, rows[m.candidate], rows[m.need], rows[m.offer]))
    return out


def organisation_suggestions(organisation: Organisation, user: Any, *, limit: int = 10) -> list[Any]:
    """Organisations complementing ``organisation``: whose offers meet its needs or whose needs its offers
    meet. Without listings of its own, nothing is suggested (the page says to publish one)."""
    from helix.market.engine import core_listing, get_engine

    # Only the organisation's listings this user may see stand in for it: a members-only or staff-only
    # need must not show through the pairs it produces.
    own = list(
        visible_listings(user)
        .filter(organisation=organisation, status=Status.PUBLISHED, expires_on__gte=timezone.localdate())
        .prefetch_related("domains")
    )
    if not own:
        return []
    engine = get_engine()
    found = engine.organisation_matches([core_listing(x) for x in own], viewer_for(user), limit=limit)
    orgs = Organisation.objects.in_bulk([om.organisation for om in found])
    pairs = _attach([m for om in found for m in om.matches], None)
    by_pair = {(s.match.need, s.match.offer): s for s in pairs}
    return [
        {
            "organisation": orgs[om.organisation],
            "score": om.score,
            "suggestions": [by_pair[(m.need, m.offer)] for m in om.matches if (m.need, m.offer) in by_pair],
        }
        for om in found
        if om.organisation in orgs
    ]


def who_should_meet_whom(
    user: Any,
    *,
    cluster: Any = None,
    domain: Any = None,
    region: str = "",
    kind: str = "",
    per_need: int = 3,
    min_score: float | None = None,
    limit: int = 500,
) -> list[Suggestion]:
    """Staff view: for every active need in scope, its best offers; pairs best first, one per org pair."""
    from helix.market.engine import get_engine

    if not is_cluster_staff(user):
        raise PermissionDenied("cluster staff only")
    needs = visible_listings(user).filter(
        side=Side.NEED, status=Status.PUBLISHED, expires_on__gte=timezone.localdate()
    )
    needs = filter_listings(
        needs,
        cluster=None if domain is not None else cluster,
        domains=[domain] if domain is not None else (),
        regions=[region] if region else (),
        kinds=[kind] if kind else (),
    )
    engine = get_engine()
    matches = engine.pairs(
        sorted(set(needs.values_list("pk", flat=True))),
        viewer_for(user),
        per_need=per_need,
        min_score=min_score,
    )
    seen: set[tuple[int, int]] = set()
    chosen = []
    for m in matches:
        need_owner = engine.get(m.need).owner
        offer_owner = engine.get(m.offer).owner
        if (need_owner, offer_owner) in seen:
            continue
        seen.add((need_owner, offer_owner))
        chosen.append(m)
        if len(chosen) >= limit:
            break
    return _attach(chosen, None)


# -- feedback and learning -------------------------------------------------------------------------


@transaction.atomic
def record_feedback(user: Any, need: Listing, offer: Listing, verdict: str) -> Feedback:
    """Store ``user``'s verdict on the (need, offer) suggestion with the features it was scored on."""
    from helix.market.engine import get_engine, pair_features

    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Unknown verdict “%(verdict)s”.") % {"verdict": verdict}})
    if need.side != Side.NEED or offer.side != Side.OFFER:
        raise ValidationError({"need": _("Feedback is given on a need and an offer.")})
    if not (can_view_listing(user, need) and can_view_listing(user, offer)):
        raise PermissionDenied("not visible to you")
    engine = get_engine()
    features = pair_features(need, offer)
    weights_row = RankerWeights.objects.order_by("-created_at", "-pk").first()
    feedback, _created = Feedback.objects.update_or_create(
        user=user,
        need=need,
        offer=offer,
        verdict=verdict,
        defaults={
            "score": engine.weights.score(features),
            "features": features,
            "weights": weights_row,
        },
    )
    if verdict == Verdict.NOT_RELEVANT:
        Feedback.objects.filter(user=user, need=need, offer=offer, verdict=Verdict.RELEVANT).delete()
    elif verdict == Verdict.RELEVANT:
        Feedback.objects.filter(user=user, need=need, offer=offer, verdict=Verdict.NOT_RELEVANT).delete()
    return feedback


def current_weights() -> Weights:
    row = RankerWeights.objects.order_by("-created_at", "-pk").first()
    if row is None:
        return Weights()
    return Weights(row.values, row.trained_on, row.note)


def learn_from_feedback() -> RankerWeights | None:
    """Fit new ranker weights to all feedback; stored (and used) only when enough verdicts exist and
    they order the feedback at least as well as the current weights."""
    samples = [Sample(f.features, f.verdict) for f in Feedback.objects.only("features", "verdict")]
    prior = current_weights()
    learned = learn_weights(samples, prior)
    if learned.trained_on == prior.trained_on and learned.values == prior.values:
        return None
    before = ranking_accuracy(samples, prior)
    after = ranking_accuracy(samples, learned)
    if before is not None and after is not None and after < before:
        return None
    row = RankerWeights.objects.create(
        values=dict(learned.values),
        trained_on=learned.trained_on,
        note=learned.note,
        accuracy_before=before,
        accuracy_after=after,
    )
    bump_index_seq()
    return row


# -- meetings --------------------------------------------------------------------------------------


@transaction.atomic
def request_meeting(user: Any, need: Listing, offer: Listing, *, message: str = "") -> MeetingRequest:
    """Ask that the owners of ``need`` and ``offer`` meet. The asker must own one side (or be staff of
    it); the other side's organisation receives the request. Events take open requests from here."""
    own = own_organisation_id(user)
    if need.side != Side.NEED or offer.side != Side.OFFER:
        raise ValidationError({"need": _("A meeting is requested between a need and an offer.")})
    if not (can_view_listing(user, need) and can_view_listing(user, offer)):
        raise PermissionDenied("not visible to you")
    if own == need.organisation_id or (own != offer.organisation_id and can_edit_listing(user, need)):
        asking, asked = need.organisation, offer.organisation
    elif own == offer.organisation_id or can_edit_listing(user, offer):
        asking, asked = offer.organisation, need.organisation
    else:
        raise PermissionDenied("you act for neither side")
    if asking.pk == asked.pk:
        raise ValidationError({"offer": _("Both listings belong to the same organisation.")})
    existing = MeetingRequest.objects.filter(
        need=need, offer=offer, from_organisation=asking, status=MeetingStatus.REQUESTED
    ).first()
    if existing:
        return existing
    meeting = MeetingRequest.objects.create(
        need=need,
        offer=offer,
        requested_by=user if getattr(user, "pk", None) else None,
        from_organisation=asking,
        to_organisation=asked,
        message=message,
    )
    record_feedback(user, need, offer, Verdict.CONTACTED)
    return meeting


@transaction.atomic
def answer_meeting(user: Any, meeting: MeetingRequest, accept: bool) -> MeetingRequest:
    if not (
        user.is_superuser
        or own_organisation_id(user) == meeting.to_organisation_id
        or can_edit_organisation(user, meeting.to_organisation)
    ):
        raise PermissionDenied("only the asked organisation answers")
    if meeting.status != MeetingStatus.REQUESTED:
        raise ValidationError({"status": _("This request was already answered.")})
    meeting.status = MeetingStatus.ACCEPTED if accept else MeetingStatus.DECLINED
    meeting.responded_at = timezone.now()
    meeting.save(update_fields=["status", "responded_at"])
    return meeting
