"""Request and response bodies of the needs and offers API (``/api/market/``).

As in the registry API, input schemas check what needs no database (types, lengths, choices, ranges,
NACE codes); the router then resolves references (organisation, domains, sectors, site) and asks
``helix.market.services.check_listing`` for the rules between fields. Both kinds of error come back as
422 naming the field.

A domain is named by its cluster and its slug, ``{"cluster": "flux50", "slug": "smart-grids"}``: domain
slugs are unique within a cluster only. Listings show their domains in that form too (with id and name),
so what a GET returns can be sent back.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints, field_validator

from helix.api.schemas.base import ClassifiedOut, FiniteFloat, Input, nace_codes
from helix.api.schemas.registry import OrganisationRef, SectorRef
from helix.core.matching.engine import Match
from helix.core.matching.lifecycle import ListingAction
from helix.core.matching.weights import Weights
from helix.market.models import Category, Language, MeetingStatus, Side, Status, Verdict, Visibility
from helix.registry.models import OrganisationKind, Region

if TYPE_CHECKING:
    from helix.market.suggestions import Suggestion

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)]
KeywordText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
ReadinessLevel = Annotated[int, Field(ge=1, le=9)]
Euros = Annotated[int, Field(ge=0, le=2_147_483_647)]


# --- reads --------------------------------------------------------------------------------------------


class DomainKey(Schema):
    cluster: str = Field(description="Cluster slug")
    slug: str = Field(description="Domain slug (unique within its cluster)")


class ListingDomain(DomainKey):
    id: int
    name: str

    @staticmethod
    def resolve_cluster(obj: Any) -> str:
        return str(obj.cluster.slug)


class ListingSite(Schema):
    id: int
    name: str
    city: str
    region: str


class ListingOut(ClassifiedOut):
    id: int
    side: Side
    category: Category
    organisation: OrganisationRef
    site: ListingSite | None
    title: str
    description: str
    language: Language = Field(description="Detected from the title and description, not asked")
    domains: list[ListingDomain]
    sectors: list[SectorRef]
    keywords: list[str]
    trl: int | None = Field(description="Offer: its readiness today. Need: the lowest readiness it can use")
    budget_min: int | None = Field(description="Budget (need) or price (offer) from, in euro")
    budget_max: int | None = Field(description="Budget (need) or price (offer) up to, in euro")
    deadline: dt.date | None
    visibility: Visibility
    status: Status
    is_active: bool = Field(description="Published and not expired: matched and browsed")
    published_on: dt.date | None
    expires_on: dt.date
    renewals: int
    revision: int = Field(description="Send it back with a PATCH to refuse the change if someone saved since")
    created_at: dt.datetime
    updated_at: dt.datetime
    moves: list[str] = Field(
        [],
        description="Lifecycle actions you may take now (POST /listings/{id}/status): publish, renew, "
        "fulfil, withdraw, draft",
    )

    @staticmethod
    def resolve_moves(obj: Any, context: Any) -> list[str]:
        from helix.api.auth import acting_user
        from helix.market import services

        request = context["request"]
        roles = getattr(request, "_helix_listing_roles", None)
        if roles is None:  # one reader per request: staff's organisations are read once for the whole page
            roles = request._helix_listing_roles = services.lifecycle_roles(acting_user(request))
        return [m.action for m in services.listing_moves(None, obj, roles)]

    @staticmethod
    def resolve_domains(obj: Any) -> list[Any]:
        return list(obj.domains.all())


class ListingSummary(Schema):
    """A listing named in a suggestion, a pair or a meeting request."""

    id: int
    side: Side
    category: Category
    title: str
    language: Language
    organisation: OrganisationRef
    trl: int | None
    expires_on: dt.date


class FactorOut(Schema):
    name: str = Field(description="domain, sector, trl, distance, kind, category, keywords or budget")
    value: float = Field(description="0 (poor fit) to 1 (good fit); 0.5 when data is missing on one side")
    detail: str


class ReasonOut(Schema):
    feature: str = Field(description="text or the name of a factor")
    contribution: float = Field(description="Its weight times its value: its part of the score")
    detail: str


class Scored(Schema):
    score: float = Field(description="Weighted sum of text similarity and the factors")
    dense: float = Field(description="Meaning similarity of the two texts (cosine of their embeddings)")
    lexical: float = Field(description="BM25 of the words they share, relative to the best hit (0..1)")
    text: float = Field(description="dense + lexical weight x lexical")
    terms: list[str] = Field(description="Words of the suggested text whose stems the other text shares")
    factors: list[FactorOut]
    reasons: list[ReasonOut] = Field(description="What made the score, largest contribution first")


class SuggestionOut(Scored):
    listing: ListingSummary = Field(description="The suggested counterpart")
    need: int = Field(description="Id of the need of the pair")
    offer: int = Field(description="Id of the offer of the pair")


class PairOut(Scored):
    need: ListingSummary
    offer: ListingSummary


class OrganisationMatchOut(Schema):
    organisation: OrganisationRef
    score: float = Field(description="The score of its best pair")
    pairs: list[PairOut] = Field(description="The best listing pairs behind it, best first")


def scored(match: Match, weights: Weights) -> dict[str, Any]:
    """The fields of ``Scored`` for a match: its score, its parts and why."""
    return {
        "score": match.score,
        "dense": match.dense,
        "lexical": match.lexical,
        "text": match.text,
        "terms": list(match.terms),
        "factors": [{"name": f.name, "value": f.value, "detail": f.detail} for f in match.factors],
        "reasons": [
            {"feature": feature, "contribution": round(value, 6), "detail": detail}
            for feature, value, detail in match.contributions(weights)
        ],
    }


def pair_out(suggestion: Suggestion, weights: Weights) -> dict[str, Any]:
    """A suggested need and offer as ``PairOut``."""
    return {**scored(suggestion.match, weights), "need": suggestion.need, "offer": suggestion.offer}


class FeedbackOut(Schema):
    id: int
    need: int
    offer: int
    verdict: Verdict
    score: float = Field(description="The pair's score when the verdict was given")
    created_at: dt.datetime

    @staticmethod
    def resolve_need(obj: Any) -> int:
        return int(obj.need_id)

    @staticmethod
    def resolve_offer(obj: Any) -> int:
        return int(obj.offer_id)


class MeetingOut(Schema):
    id: int
    need: ListingSummary
    offer: ListingSummary
    from_organisation: OrganisationRef = Field(description="The organisation that asks")
    to_organisation: OrganisationRef = Field(description="The organisation that answers")
    message: str
    status: MeetingStatus
    created_at: dt.datetime
    responded_at: dt.datetime | None


# --- filters ------------------------------------------------------------------------------------------


class ListingFilters(Input):
    """Repeat a list parameter for several values: ``?category=solution&category=research``."""

    side: Side | None = Field(None, description="need or offer")
    category: list[Category] = Field([], description="Categories")
    cluster: str | None = Field(
        None, description="Cluster slug: listings in one of its domains, or of one of its organisations"
    )
    domain: str | None = Field(
        None, description="Domain slug; with cluster, the domain of that cluster, else of any cluster"
    )
    language: list[Language] = Field([], description="Detected languages")
    region: list[Region] = Field([], description="Region of the listing's site (else of its organisation)")
    trl_min: int | None = Field(None, ge=1, le=9, description="Technology readiness level at least")
    q: str = Field("", description="Free text: every word must occur (title, description, keywords, domains)")
    organisation: str | None = Field(None, description="Organisation slug")
    status: list[Status] = Field([], description="Statuses (others than published: your own listings)")
    mine: bool = Field(False, description="Only listings of your organisation or created by you")


class MeetingFilters(Input):
    direction: Literal["incoming", "outgoing"] | None = Field(
        None, description="incoming: asked of your organisations; outgoing: asked by them; default both"
    )
    status: list[MeetingStatus] = Field([], description="Statuses")


class PairFilters(Input):
    cluster: str | None = Field(None, description="Cluster slug")
    domain: str | None = Field(None, description="Domain slug (with cluster when several clusters use it)")
    region: Region | None = Field(None, description="Region of the need")
    kind: OrganisationKind | None = Field(None, description="Kind of the organisation with the need")
    per_need: int = Field(3, ge=1, le=20, description="Offers kept per need")
    min_score: FiniteFloat | None = Field(None, description="Leave out pairs scoring below this")
    limit: int = Field(100, ge=1, le=500, description="At most this many pairs, one per organisation pair")


# --- writes -------------------------------------------------------------------------------------------


class ListingFields(Input):
    """Every field optional: absent means "leave as it is"; lists are replaced, not merged."""

    side: Side = None
    category: Category = Field(
        None,
        description="Need: solution, research, partner, infrastructure. "
        "Offer: solution, competence, infrastructure, test_facility",
    )
    title: Title = None
    description: Description = None
    domains: list[DomainKey] = Field(None, description="Domains, each named by cluster slug and domain slug")
    sectors: list[str] = Field(None, description="NACE Rev. 2.1 codes, e.g. 62.10")
    keywords: list[KeywordText] = None
    trl: ReadinessLevel | None = Field(
        None, description="Technology readiness level 1-9 (offer: reached; need: the lowest it can use)"
    )
    site: int | None = Field(None, description="Id of a site of the listing's organisation")
    budget_min: Euros | None = None
    budget_max: Euros | None = None
    deadline: dt.date | None = None
    visibility: Visibility = None

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, value: list[str]) -> list[str]:
        return nace_codes(value)

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(" ".join(k.lower().split()) for k in value))


class ListingPatch(ListingFields):
    revision: int | None = Field(
        None,
        description="The revision you started from; when someone saved since, nothing changes (409)",
    )


class ListingIn(ListingFields):
    organisation: str = Field(description="Slug of the organisation the listing is for")
    side: Side
    category: Category = Field(
        description="Need: solution, research, partner, infrastructure. "
        "Offer: solution, competence, infrastructure, test_facility"
    )
    title: Title
    description: Description
    domains: list[DomainKey] = Field([], description="Domains, each named by cluster slug and domain slug")
    sectors: list[str] = Field([], description="NACE Rev. 2.1 codes, e.g. 62.10")
    keywords: list[KeywordText] = []
    visibility: Visibility = Visibility.PUBLIC
    status: Literal["draft", "published"] = Field("draft", description="Publish now, or keep as a draft")


class StatusIn(Input):
    action: ListingAction = Field(
        description="publish (also after expiry), withdraw, fulfil (done: found what it sought), "
        "renew (keep it another 180 days), draft (back to draft); the listing's ``moves`` say which "
        "you may take now"
    )


class FeedbackIn(Input):
    """The listing in the path is one side of the pair; name the other: an offer for a need, a need for an
    offer."""

    need: int | None = Field(None, description="Id of the need (when the listing in the path is an offer)")
    offer: int | None = Field(None, description="Id of the offer (when the listing in the path is a need)")
    verdict: Verdict


class MeetingIn(Input):
    need: int = Field(description="Id of the need")
    offer: int = Field(description="Id of the offer; you act for the organisation of one of the two")
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""


class AnswerIn(Input):
    accept: bool
