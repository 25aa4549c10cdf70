"""Factories of the market (needs and offers, their vectors, feedback and meeting requests), and
``make_listing``: a listing saved through the market service, as the pages and the API save one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from helix.market import models
from tests.factories.registry import OrganisationFactory, UserFactory


class ListingFactory(factory.django.DjangoModelFactory):
    """A published offer written straight to the table (no language detection, no indexing): for
    worlds that only need rows; ``make_listing`` when the listing must be searchable and matched."""

    class Meta:
        model = models.Listing

    side = models.Side.OFFER
    category = models.Category.SOLUTION
    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Listing {n}")
    description = "A description."
    language = models.Language.EN
    status = models.Status.PUBLISHED
    published_on = dt.date(2026, 1, 1)
    expires_on = factory.LazyFunction(
        lambda: timezone.localdate() + dt.timedelta(days=models.LISTING_LIFETIME_DAYS)
    )


class ListingVectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ListingVector

    listing = factory.SubFactory(ListingFactory)
    encoder = "hashing:1"
    dim = 2
    text_hash = "0" * 64
    vector = b"\x00" * 8


class IndexStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IndexState

    seq = 1


class RankerWeightsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RankerWeights

    values = factory.LazyFunction(lambda: {"semantic": 1.0})
    trained_on = 0


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Feedback

    user = factory.SubFactory(UserFactory)
    need = factory.SubFactory(ListingFactory, side=models.Side.NEED)
    offer = factory.SubFactory(ListingFactory)
    verdict = models.Verdict.RELEVANT
    score = 0.5
    features = factory.LazyFunction(lambda: {"semantic": 0.5})


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MeetingRequest

    need = factory.SubFactory(ListingFactory, side=models.Side.NEED)
    offer = factory.SubFactory(ListingFactory)
    from_organisation = factory.SelfAttribute("need.organisation")
    to_organisation = factory.SelfAttribute("offer.organisation")
    requested_by = factory.SubFactory(UserFactory)
    message = "Shall we meet?"


def make_listing(
    organisation: Any,
    side: str = "offer",
    title: str | None = None,
    description: str | None = None,
    **fields: Any,
) -> models.Listing:
    """A listing saved through the market service (language detected, search text, indexing).

    Published, category "solution", visible to the public unless ``fields`` say otherwise; ``domains``,
    ``sectors`` and ``keywords`` are set as the service sets them. Without a title it is "<side> of
    <organisation>"; the description is the title given, else "A description.".
    """
    from helix.market import services

    relations = {name: fields.pop(name, None) for name in ("domains", "sectors", "keywords")}
    if title is None:
        title, description = f"{side} of {organisation.name}", description or "A description."
    values: dict[str, Any] = {
        "side": side,
        "category": "solution",
        "title": title,
        "description": description or title,
        "status": "published",
    }
    values.update(fields)
    listing = models.Listing(organisation=organisation, **values)
    return services.save_listing(listing, **relations)
