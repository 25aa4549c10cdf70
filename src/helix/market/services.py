"""Needs and offers: who sees and edits which listing, saving one, and its lifecycle (publish, renew,
fulfil, withdraw, back to draft).

Pages, the API and the CLI call these functions; suggestions are helix.market.suggestions, feedback and
the ranker's weights helix.market.feedback, meeting requests helix.market.meetings. Each save bumps
IndexState.seq (helix.market.engine) and enqueues ``index_listing`` (a background task) that embeds the
listing once and stores its vector (ListingVector); each process's engine follows that counter and
applies only what changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.core.access import Role
from helix.core.matching import lifecycle
from helix.core.matching.language import detect_language
from helix.market.engine import bump_index_seq
from helix.market.models import (
    LISTING_LIFETIME_DAYS,
    NEED_CATEGORIES,
    OFFER_CATEGORIES,
    Listing,
    Side,
    Status,
    Visibility,
)
from helix.pagecache import data_changed_on_commit
from helix.registry.models import Cluster, Membership, Organisation, Site, normalise_search_text
from helix.registry.permissions import (
    actor_for,
    can,
    can_edit_organisation,
    scope,
    subject_for,
)

# -- who sees what ---------------------------------------------------------------------------------


def visible_listings(user: Any) -> QuerySet[Listing]:
    """Listings ``user`` may see (market.permissions): active ones by visibility, every listing of their
    own organisation, and (staff) every listing of their clusters' organisations."""
    return scope(user, "view", Listing.objects.all())


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
    return can(user, "view", listing)


def can_edit_listing(user: Any, listing: Listing) -> bool:
    return can(user, "edit", listing)


def can_create_listing_for(user: Any, organisation: Organisation) -> bool:
    return can_edit_organisation(user, organisation)


def organisations_user_may_post_for(user: Any) -> QuerySet[Organisation]:
    """Organisations ``user`` may post needs and offers for: those they may edit."""
    return scope(user, "edit", Organisation.objects.all())


# -- saving ----------------------------------------------------------------------------------------


def stale_message() -> str:
    return _("Someone else saved this listing while you were editing it. Reload it to see their changes.")


class StaleEdit(ValidationError):
    """The listing changed since the editor loaded it."""


MAX_EUROS = 2_147_483_647  # the most the budget columns hold (PositiveIntegerField on PostgreSQL)


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
    for name in ("budget_min", "budget_max"):
        amount = getattr(listing, name)
        if amount is not None and not 0 <= amount <= MAX_EUROS:  # beyond, the database refuses it (a 500)
            errors.setdefault(name, []).append(
                _("An amount from 0 to %(most)s euros.") % {"most": f"{MAX_EUROS:,}"}
            )
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
    someone else saved in between, and nothing is written (StaleEdit). A status set on a form, an import
    row or the admin is a move of the listing lifecycle ``user`` may make (:func:`check_status_change`);
    ``user`` None is the operator (the CLI without ``--as``, the demo).
    """
    check_listing(listing)
    check_status_change(listing, user=user)
    return _write_listing(
        listing,
        user=user,
        domains=domains,
        sectors=sectors,
        keywords=keywords,
        expected_revision=expected_revision,
    )


def _write_listing(
    listing: Listing,
    *,
    user: Any,
    domains: Iterable[Any] | None = None,
    sectors: Iterable[Any] | None = None,
    keywords: Iterable[str] | None = None,
    expected_revision: int | None = None,
) -> Listing:
    from helix.registry.models import Keyword

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
    data_changed_on_commit()
    listing.search_text = text


def schedule_indexing(listing_id: int) -> None:
    from helix.market.tasks import index_listing

    transaction.on_commit(lambda: index_listing.enqueue(listing_id))


# -- the lifecycle (helix.core.matching.lifecycle) ----------------------------------------------------------


def listing_state(listing: Listing) -> str:
    """The listing's state in the lifecycle: its status, or ``expired`` when published past its date."""
    return lifecycle.listing_state(listing.status, listing.is_expired)


def lifecycle_roles(user: Any) -> Callable[[Listing], frozenset[str]]:
    """A function giving the lifecycle roles (``owner``, ``staff``) ``user`` holds on a listing.

    The roles come from the market's permission table (``transition``: the listing's own organisation
    and the staff of its clusters). A role on a listing depends on its organisation only, so the
    organisations a staff member is staff for are read once (one query), however many listings are
    asked about: the API lists each listing's moves without a query per listing. ``user`` None is the
    operator (the CLI without ``--as``, the demo), who holds both.
    """
    if user is None:
        return lambda listing: lifecycle.EDITORS
    actor = actor_for(user)
    if actor.is_superuser:
        return lambda listing: lifecycle.EDITORS
    subject = subject_for(Listing)
    staff_for: set[int] | None = None

    def roles(listing: Listing) -> frozenset[str]:
        nonlocal staff_for
        held = {Role.ANYONE}
        if actor.signed_in:
            held.add(Role.USER)
        if actor.organisation is not None and actor.organisation == listing.organisation_id:
            held.add(Role.OWNER)
        if actor.staff_of:
            held.add(Role.ANY_STAFF)
            if staff_for is None:
                clusters = Cluster.objects.filter(pk__in=actor.staff_of).order_by()
                operators = clusters.values_list("operator_id", flat=True)
                staff_for = set(
                    Membership.objects.filter(cluster_id__in=actor.staff_of)
                    .order_by()
                    .values_list("organisation_id", flat=True)
                    .union(operators)
                )
            if listing.organisation_id in staff_for:
                held.add(Role.STAFF)
        if not subject.policy.allows("transition", held, subject.true_facts(listing)):
            return frozenset()
        found = set()
        if Role.OWNER in held:
            found.add(lifecycle.OWNER)
        if Role.STAFF in held:
            found.add(lifecycle.STAFF)
        return frozenset(found)

    return roles


def listing_moves(
    user: Any, listing: Listing, roles: Callable[[Listing], frozenset[str]] | None = None
) -> list[lifecycle.Move]:
    """The moves ``user`` may make with ``listing`` now (what the page's buttons and the API offer).
    ``roles``: a :func:`lifecycle_roles` reader to share across many listings."""
    held = (roles or lifecycle_roles(user))(listing)
    return lifecycle.available_moves(listing_state(listing), held)


def status_choices(user: Any, listing: Listing) -> list[str]:
    """Statuses an editor may pick for ``listing`` on its form: the present one and those the lifecycle's
    moves open to ``user`` lead to."""
    found = [listing.status]
    for move in listing_moves(user, listing):
        if not move.renewal and move.target not in found:
            found.append(move.target)
    return found


@transaction.atomic
def move_listing(listing: Listing, action: str, *, user: Any = None) -> Listing:
    """Make the lifecycle move ``action`` (publish, renew, fulfil, withdraw, draft) with ``listing``.

    The one way a listing's status moves on a button, the API and the CLI. The listing is reloaded
    under a lock; a move the table has not from its present state raises
    :class:`~helix.core.matching.lifecycle.ListingMoveRefused` (code ``not_from_state``), one that is not
    ``user``'s to make PermissionDenied. The caller's ``listing`` is updated.
    """
    listing.refresh_from_db(from_queryset=Listing.objects.select_for_update())
    try:
        move = lifecycle.check_move(listing_state(listing), action, lifecycle_roles(user)(listing))
    except lifecycle.ListingMoveRefused as exc:
        if exc.code == lifecycle.NOT_YOURS:
            raise PermissionDenied(str(exc)) from None
        raise
    today = timezone.localdate()
    lifetime = dt.timedelta(days=LISTING_LIFETIME_DAYS)
    listing.status = move.target
    if move.renewal:
        listing.expires_on = max(today, listing.expires_on) + lifetime
        listing.renewals += 1
    elif move.target == Status.PUBLISHED and listing.is_expired:
        listing.expires_on = today + lifetime
    if move.target == Status.PUBLISHED:
        listing.published_on = listing.published_on or today
    return _write_listing(listing, user=user)


def check_status_change(listing: Listing, *, user: Any, stored: tuple[str, dt.date] | None = None) -> None:
    """A listing's status set directly (a form, an import row, the admin) must be a move of its lifecycle
    that ``user`` may make; a new listing starts as a draft or published. ValidationError on ``status``.

    ``stored``: the (status, expiry) the listing has in the database, when the caller read them already.
    ``user`` None is the operator: anything goes (the demo, fixtures, a restore).
    """
    if user is None:
        return
    if listing.pk is None:
        if listing.status not in lifecycle.INITIAL_STATES:
            raise ValidationError({"status": _("A new listing is a draft or published.")})
        return
    if stored is None:
        stored = Listing.objects.filter(pk=listing.pk).values_list("status", "expires_on").first()
    if stored is None or stored[0] == listing.status:
        return
    state = lifecycle.listing_state(stored[0], stored[1] < timezone.localdate())
    action = lifecycle.action_to(state, listing.status)
    if action is None:
        raise ValidationError(
            {
                "status": _("A listing cannot go from “%(source)s” to “%(target)s”.")
                % {"source": state, "target": listing.status}
            }
        )
    try:
        lifecycle.check_move(state, action, lifecycle_roles(user)(listing))
    except lifecycle.ListingMoveRefused:
        raise ValidationError({"status": _("You may not change the status of this listing.")}) from None


def set_status(listing: Listing, status: str, *, user: Any = None) -> Listing:
    """Move ``listing`` to ``status`` by the lifecycle move that leads there (see :func:`move_listing`)."""
    action = lifecycle.action_to(listing_state(listing), status)
    if action is None:
        raise lifecycle.ListingMoveRefused(listing_state(listing), status, lifecycle.NOT_FROM_STATE)
    return move_listing(listing, action, user=user)


def renew(listing: Listing, *, user: Any = None) -> Listing:
    """Keep a listing another lifetime from today (or from its current expiry, if later)."""
    return move_listing(listing, lifecycle.RENEW, user=user)


def restamp_listings_of(organisation_ids: Iterable[int | None]) -> int:
    """Stamp every listing of these organisations with a new index counter, so that each process's match
    engine reloads them: their memberships changed, and with them the clusters a "members of our
    clusters" listing reaches (the engine stores them when it indexes). Returns how many were stamped."""
    ids = sorted({i for i in organisation_ids if i is not None})
    seq: int | None = None
    stamped = 0
    for start in range(0, len(ids), 500):  # SQLite bounds the variables of one statement
        listings = Listing.objects.filter(organisation_id__in=ids[start : start + 500])
        if not listings.exists():
            continue
        seq = seq or bump_index_seq()  # only when some listing needs it: the engines reload nothing else
        stamped += listings.update(index_seq=seq)
        data_changed_on_commit()
    return stamped


def expiring_soon(organisation_ids: Sequence[int], within_days: int = 14) -> QuerySet[Listing]:
    today = timezone.localdate()
    return Listing.objects.filter(
        organisation_id__in=organisation_ids,
        status=Status.PUBLISHED,
        expires_on__lte=today + dt.timedelta(days=within_days),
    )
