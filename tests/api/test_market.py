"""Integration: the needs and offers API shows, changes and matches listings as the pages would, to the
same people, through helix.market.services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helix.market import meeting_requests
from helix.market.models import Feedback, Listing, MeetingRequest
from helix.registry.models import Organisation, Sector
from tests.factories import (
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    make_listing,
    member_user,
)
from tests.helpers.queries import counted_get

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = "/api/market"


def post(client: Client, path: str, body: dict):
    return client.post(f"{URL}{path}", body, content_type="application/json")


def patch(client: Client, path: str, body: dict):
    return client.patch(f"{URL}{path}", body, content_type="application/json")


def errors(response) -> list[tuple[list, str]]:
    assert response.status_code == 422, response.content
    return [(e["loc"], e["msg"]) for e in response.json()["detail"]]


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


@dataclass
class Market:
    registry: Any
    beta: Organisation  # member of tech, like acme
    beta_user: Any
    energy: Any  # domain of tech
    public_need: Listing  # acme, public
    members_need: Listing  # acme, members only
    staff_need: Listing  # acme, staff only
    draft_need: Listing  # acme, draft
    beta_offer: Listing  # public offer that answers acme's public need
    acme_offer: Listing  # acme's own offer on the same subject: never suggested to acme
    bakery_offer: Listing  # public offer on something else


@pytest.fixture
def market(registry) -> Market:
    beta = OrganisationFactory(name="Beta Heat", slug="beta")
    MembershipFactory(organisation=beta, cluster=registry.tech, level="member")
    energy = DomainFactory(cluster=registry.tech, slug="energy", name="Energy")
    acme = registry.acme
    need_text = "We renovate social housing and look for heat pumps with solar panels for each building."
    return Market(
        registry=registry,
        beta=beta,
        beta_user=member_user(beta, "beta-user"),
        energy=energy,
        public_need=make_listing(acme, "need", "Heat pumps for social housing", need_text, domains=[energy]),
        members_need=make_listing(acme, "need", "Members need", visibility="members"),
        staff_need=make_listing(acme, "need", "Staff need", visibility="staff"),
        draft_need=make_listing(acme, "need", "Draft need", status="draft"),
        beta_offer=make_listing(
            beta,
            "offer",
            "Heat pumps installed in social housing",
            "We install heat pumps and solar panels in social housing, building by building.",
            domains=[energy],
        ),
        acme_offer=make_listing(acme, "offer", "Our own heat pumps for social housing"),
        bakery_offer=make_listing(
            registry.bakery, "offer", "Bread baking courses", "Learn to bake sourdough."
        ),
    )


# --- reading ------------------------------------------------------------------------------------------


def test_each_caller_sees_listings_by_their_visibility(market, call_as):
    r = market.registry
    public = [
        "Bread baking courses",
        "Heat pumps for social housing",
        "Heat pumps installed in social housing",
    ]
    public = sorted([*public, "Our own heat pumps for social housing"])
    assert titles(call_as(None).get(f"{URL}/listings")) == public
    assert titles(call_as(r.bakery_user).get(f"{URL}/listings")) == public  # member of another cluster
    assert titles(call_as(market.beta_user).get(f"{URL}/listings")) == sorted([*public, "Members need"])
    assert titles(call_as(r.staff).get(f"{URL}/listings")) == sorted(
        [*public, "Draft need", "Members need", "Staff need"]
    )
    assert titles(call_as(r.acme_user).get(f"{URL}/listings")) == sorted(
        [*public, "Draft need", "Members need", "Staff need"]
    )


def test_a_listing_you_may_not_see_is_not_found(market, call_as):
    path = f"{URL}/listings/{market.members_need.pk}"
    assert call_as(None).get(path).status_code == 404
    assert call_as(market.registry.bakery_user).get(path).status_code == 404
    assert call_as(market.beta_user).get(path).status_code == 200
    assert call_as(market.beta_user).get(f"{URL}/listings/{market.draft_need.pk}").status_code == 404
    assert call_as(market.registry.acme_user).get(f"{URL}/listings/{market.draft_need.pk}").status_code == 200


def test_a_listing_shows_its_fields(market, call_as):
    data = call_as(None).get(f"{URL}/listings/{market.public_need.pk}").json()
    listing = market.public_need
    assert {
        k: data[k] for k in ("id", "side", "category", "organisation", "language", "status", "is_active")
    } == {
        "id": listing.pk,
        "side": "need",
        "category": "solution",
        "organisation": {"slug": "acme", "name": "Acme"},
        "language": "en",
        "status": "published",
        "is_active": True,
    }
    assert data["domains"] == [
        {"cluster": "tech", "slug": "energy", "id": market.energy.pk, "name": "Energy"}
    ]
    assert (data["revision"], data["expires_on"]) == (1, listing.expires_on.isoformat())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "side=offer",
            ["Bread baking courses", "Heat pumps installed in social housing", "Our own heat pumps"],
        ),
        ("organisation=beta", ["Heat pumps installed in social housing"]),
        ("domain=energy", ["Heat pumps for social housing", "Heat pumps installed in social housing"]),
        ("cluster=food", ["Bread baking courses"]),
        ("q=sourdough", ["Bread baking courses"]),
        ("q=heat social&side=need", ["Heat pumps for social housing"]),
        ("trl_min=5", ["Heat pumps installed in social housing"]),
        ("region=limburg", ["Bread baking courses"]),
        ("status=draft", ["Draft need"]),
        ("mine=true&side=offer", ["Our own heat pumps"]),
    ],
)
def test_filters(market, call_as, query, expected):
    Listing.objects.filter(pk=market.beta_offer.pk).update(trl=7)
    SiteFactory(organisation=market.registry.bakery, region="limburg")
    found = titles(call_as(market.registry.acme_user).get(f"{URL}/listings?{query}"))
    assert [t.removesuffix(" for social housing") for t in found] == [
        t.removesuffix(" for social housing") for t in expected
    ]


def test_an_unknown_filter_value_is_a_422_naming_the_parameter(call_as):
    response = call_as(None).get(f"{URL}/listings?side=demand&category=solution&category=cake")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [
        ["query", "side"],
        ["query", "filters", "category", 1],
    ]


# --- creating and changing ----------------------------------------------------------------------------


def new_listing(**changes: Any) -> dict:
    return {
        "organisation": "acme",
        "side": "need",
        "category": "research",
        "title": "Wij zoeken onderzoek naar warmtepompen",
        "description": "Wij willen weten hoe een warmtepomp het best werkt in een oude woning van de stad.",
        **changes,
    }


def test_a_member_creates_a_listing_whose_language_is_detected(market, call_as):
    body = new_listing(
        domains=[{"cluster": "tech", "slug": "energy"}],
        sectors=["4322", "43.22"],
        keywords=["Warmtepomp", " renovatie "],
        trl=4,
        budget_min=10000,
        budget_max=50000,
        deadline="2030-01-31",
        status="published",
    )
    response = post(call_as(market.registry.acme_user), "/listings", body)
    assert response.status_code == 201, response.content
    data = response.json()
    label = Sector.objects.get(code="43.22").label
    assert (data["language"], data["status"], data["is_active"], data["visibility"]) == (
        "nl",
        "published",
        True,
        "public",
    )
    assert (data["sectors"], data["keywords"], data["trl"], data["budget_max"], data["deadline"]) == (
        [{"code": "43.22", "label": label}],
        ["renovatie", "warmtepomp"],
        4,
        50000,
        "2030-01-31",
    )
    assert [d["slug"] for d in data["domains"]] == ["energy"]
    listing = Listing.objects.get(pk=data["id"])
    assert (listing.organisation, listing.created_by, listing.language) == (
        market.registry.acme,
        market.registry.acme_user,
        "nl",
    )


def test_staff_create_listings_for_organisations_of_their_cluster(market, call_as):
    response = post(call_as(market.registry.staff), "/listings", new_listing(organisation="beta"))
    assert (response.status_code, response.json()["organisation"]["slug"], response.json()["status"]) == (
        201,
        "beta",
        "draft",
    )


def test_posting_for_another_organisation_is_forbidden(market, call_as):
    response = post(call_as(market.registry.bakery_user), "/listings", new_listing())
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You may not post needs or offers for Acme."},
    )
    assert not Listing.objects.filter(title=new_listing()["title"]).exists()


def test_a_bad_token_is_401_on_reads_and_writes(market):
    client = Client(headers={"Authorization": "Bearer hx_not-a-real-token"})
    read = client.get(f"{URL}/listings")
    write = post(client, "/listings", new_listing())
    assert (read.status_code, write.status_code) == (401, 401)
    assert write.json() == {"detail": "Invalid or revoked API token."}
    assert post(Client(), "/listings", new_listing()).status_code == 401


def test_out_of_range_values_and_unknown_codes_are_422_naming_each_field(market, call_as):
    response = post(call_as(market.registry.acme_user), "/listings", new_listing(trl=12, sectors=["99.99"]))
    assert errors(response) == [
        (["body", "payload", "sectors"], "Value error, '99.99' is not a NACE Rev. 2.1 code"),
        (["body", "payload", "trl"], "Input should be less than or equal to 9"),
    ]


def test_rules_between_fields_are_422_naming_each_field_and_nothing_is_saved(market, call_as):
    other_site = SiteFactory(organisation=market.registry.bakery)
    body = new_listing(
        category="competence",
        site=other_site.pk,
        budget_min=5000,
        budget_max=1000,
        domains=[{"cluster": "tech", "slug": "energy"}, {"cluster": "food", "slug": "energy"}],
    )
    response = post(call_as(market.registry.acme_user), "/listings", body)
    assert errors(response) == [
        (["body", "payload", "domains", 1], "no domain 'energy' in cluster 'food'"),
        (["body", "payload", "category"], "“competence” is not a category of a need."),
        (["body", "payload", "budget_max"], "The upper bound is below the lower bound."),
        (["body", "payload", "site"], "The site belongs to another organisation."),
    ]
    assert not Listing.objects.filter(title=body["title"]).exists()


def test_an_unknown_organisation_is_422(market, call_as):
    response = post(call_as(market.registry.staff), "/listings", new_listing(organisation="nobody"))
    assert errors(response) == [(["body", "payload", "organisation"], "no organisation 'nobody'")]


def test_patch_changes_what_is_sent_and_bumps_the_revision(market, call_as):
    client = call_as(market.registry.acme_user)
    path = f"/listings/{market.public_need.pk}"
    response = patch(
        client, path, {"title": "Heat pumps for 300 social homes", "revision": 1, "keywords": ["hp"]}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["title"], data["revision"], data["keywords"], data["description"]) == (
        "Heat pumps for 300 social homes",
        2,
        ["hp"],
        market.public_need.description,
    )
    assert [d["slug"] for d in data["domains"]] == ["energy"]  # not sent: kept


def test_patch_from_a_stale_revision_is_409_and_changes_nothing(market, call_as):
    client = call_as(market.registry.acme_user)
    path = f"/listings/{market.public_need.pk}"
    assert patch(client, path, {"title": "First edit", "revision": 1}).status_code == 200
    stale = patch(client, path, {"title": "Second edit from the old page", "revision": 1})
    assert stale.status_code == 409
    assert stale.json() == {
        "detail": "Someone else saved this listing while you were editing it. Reload it to see their changes."
    }
    assert Listing.objects.get(pk=market.public_need.pk).title == "First edit"


def test_only_those_who_act_for_the_organisation_may_patch(market, call_as):
    path = f"/listings/{market.public_need.pk}"
    response = patch(call_as(market.beta_user), path, {"title": "Taken over"})
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You may not change the listings of Acme."},
    )
    assert patch(call_as(None), path, {"title": "X"}).status_code == 401


def test_status_actions_publish_withdraw_and_renew(market, call_as):
    client = call_as(market.registry.acme_user)
    draft = f"/listings/{market.draft_need.pk}/status"
    assert client.get(f"{URL}/listings/{market.draft_need.pk}").json()["moves"] == ["publish", "withdraw"]
    published = post(call_as(market.registry.staff), draft, {"action": "publish"}).json()
    assert (published["status"], published["is_active"], published["published_on"] is not None) == (
        "published",
        True,
        True,
    )
    assert published["moves"] == ["renew", "fulfil", "withdraw", "draft"]
    again = post(client, draft, {"action": "publish"})  # published already: not a move of the lifecycle
    assert (again.status_code, again.json()["code"]) == (409, "not_from_state")
    assert call_as(None).get(f"{URL}/listings/{market.draft_need.pk}").status_code == 200
    renewed = post(client, draft, {"action": "renew"}).json()
    assert (renewed["renewals"], renewed["expires_on"] > published["expires_on"]) == (1, True)
    withdrawn = post(client, draft, {"action": "withdraw"}).json()
    assert withdrawn["status"] == "withdrawn"
    assert call_as(None).get(f"{URL}/listings/{market.draft_need.pk}").status_code == 404
    assert post(
        call_as(market.beta_user), f"/listings/{market.public_need.pk}/status", {"action": "fulfil"}
    ).json() == {"detail": "You may not change the listings of Acme."}


# --- matches ------------------------------------------------------------------------------------------


def test_matches_leave_out_the_own_organisation_and_explain_themselves(market, call_as):
    response = call_as(market.registry.acme_user).get(f"{URL}/listings/{market.public_need.pk}/matches?top=5")
    assert response.status_code == 200, response.content
    found = response.json()
    owners = [m["listing"]["organisation"]["slug"] for m in found]
    assert "acme" not in owners
    best = found[0]
    assert (best["listing"]["id"], best["need"], best["offer"]) == (
        market.beta_offer.pk,
        market.public_need.pk,
        market.beta_offer.pk,
    )
    need_text = market.public_need.text.lower()
    offer_text = market.beta_offer.text.lower()
    assert best["terms"]
    assert all(term.lower() in need_text and term.lower() in offer_text for term in best["terms"])
    assert {"heat", "pumps", "social", "housing"} <= {t.lower() for t in best["terms"]}
    factors = {f["name"]: f for f in best["factors"]}
    assert factors["domain"] == {"name": "domain", "value": 1.0, "detail": "same domain: Energy"}
    assert best["reasons"][0]["feature"] == "text"
    assert best["score"] == pytest.approx(sum(r["contribution"] for r in best["reasons"]), abs=1e-4)


def test_matches_show_only_listings_the_caller_may_see(market, call_as):
    hidden_offer = make_listing(
        market.beta, "offer", "Heat pumps for social housing, members only", visibility="members"
    )
    path = f"{URL}/listings/{market.public_need.pk}/matches"
    public_ids = [m["listing"]["id"] for m in call_as(None).get(path).json()]
    member_ids = [m["listing"]["id"] for m in call_as(market.registry.acme_user).get(path).json()]
    assert hidden_offer.pk not in public_ids
    assert hidden_offer.pk in member_ids
    assert call_as(None).get(f"{URL}/listings/{market.members_need.pk}/matches").status_code == 404
    assert call_as(None).get(f"{path}?top=0").status_code == 422


def test_organisation_matches_name_complementary_organisations_with_their_pairs(market, call_as):
    found = call_as(None).get(f"{URL}/organisations/acme/matches").json()
    assert found[0]["organisation"] == {"slug": "beta", "name": "Beta Heat"}
    pair = found[0]["pairs"][0]
    assert (pair["need"]["id"], pair["offer"]["id"]) == (market.public_need.pk, market.beta_offer.pk)
    assert "acme" not in [entry["organisation"]["slug"] for entry in found]
    assert call_as(None).get(f"{URL}/organisations/hidden-works/matches").status_code == 404


def test_organisation_matches_do_not_reveal_listings_the_caller_may_not_see(market, call_as):
    def acme_needs(caller) -> set[int]:
        found = call_as(caller).get(f"{URL}/organisations/acme/matches").json()
        return {pair["need"]["id"] for entry in found for pair in entry["pairs"]}

    assert market.members_need.pk not in acme_needs(None)
    assert market.members_need.pk not in acme_needs(market.registry.bakery_user)
    assert market.members_need.pk in acme_needs(market.registry.staff)


def test_who_meets_whom_is_for_staff(market, call_as):
    assert call_as(None).get(f"{URL}/who-meets-whom").status_code == 401
    refused = call_as(market.registry.acme_user).get(f"{URL}/who-meets-whom")
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "Only cluster staff see who should meet whom."},
    )
    response = call_as(market.registry.staff).get(
        f"{URL}/who-meets-whom?cluster=tech&domain=energy&per_need=1"
    )
    assert response.status_code == 200, response.content
    pairs = [(p["need"]["id"], p["offer"]["id"]) for p in response.json()]
    assert pairs == [(market.public_need.pk, market.beta_offer.pk)]
    unknown = call_as(market.registry.staff).get(f"{URL}/who-meets-whom?domain=nothing")
    assert errors(unknown) == [(["query", "domain"], "no domain 'nothing'")]


@pytest.mark.parametrize("score", ["nan", "NaN", "inf", "-Infinity"])
def test_who_meets_whom_refuses_a_minimum_score_that_is_not_finite(market, call_as, score):
    """NaN was taken, and left out every pair without saying why (no score is >= NaN)."""
    response = call_as(market.registry.staff).get(f"{URL}/who-meets-whom?min_score={score}")
    assert response.status_code == 422
    assert [(e["loc"], e["type"]) for e in response.json()["detail"]] == [
        (["query", "min_score"], "finite_number")
    ]


# --- feedback and meetings ----------------------------------------------------------------------------


def test_feedback_is_stored_for_the_pair_named_by_path_and_body(market, call_as):
    client = call_as(market.registry.acme_user)
    response = post(
        client,
        f"/listings/{market.public_need.pk}/feedback",
        {"offer": market.beta_offer.pk, "verdict": "relevant"},
    )
    assert response.status_code == 201, response.content
    feedback = Feedback.objects.get()
    assert (feedback.user, feedback.need, feedback.offer, feedback.verdict) == (
        market.registry.acme_user,
        market.public_need,
        market.beta_offer,
        "relevant",
    )
    assert response.json()["id"] == feedback.pk
    assert set(feedback.features) >= {"text", "domain", "keywords"}
    from_offer = post(
        client,
        f"/listings/{market.beta_offer.pk}/feedback",
        {"need": market.public_need.pk, "verdict": "contacted"},
    )
    assert from_offer.status_code == 201
    missing = post(client, f"/listings/{market.public_need.pk}/feedback", {"verdict": "relevant"})
    assert errors(missing) == [(["body", "payload", "offer"], "name the offer of the pair")]


def test_a_meeting_request_is_answered_by_the_other_side(market, call_as):
    acme, beta = call_as(market.registry.acme_user), call_as(market.beta_user)
    body = {"need": market.public_need.pk, "offer": market.beta_offer.pk, "message": "Shall we meet?"}
    asked = post(acme, "/meeting-requests", body)
    assert asked.status_code == 201, asked.content
    meeting = asked.json()
    assert (meeting["from_organisation"]["slug"], meeting["to_organisation"]["slug"], meeting["status"]) == (
        "acme",
        "beta",
        "requested",
    )
    assert post(acme, "/meeting-requests", body).status_code == 200  # asked again: the same request
    assert MeetingRequest.objects.count() == 1
    incoming = beta.get(f"{URL}/meeting-requests?direction=incoming").json()
    outgoing = beta.get(f"{URL}/meeting-requests?direction=outgoing").json()
    assert ([m["id"] for m in incoming["items"]], outgoing["count"]) == ([meeting["id"]], 0)
    answer = f"/meeting-requests/{meeting['id']}/answer"
    refused = post(acme, answer, {"accept": True})
    assert (refused.status_code, refused.json()) == (403, {"detail": "Only Beta Heat answers this request."})
    accepted = post(beta, answer, {"accept": True})
    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted")
    assert post(beta, answer, {"accept": False}).status_code == 409
    assert call_as(market.registry.bakery_user).get(f"{URL}/meeting-requests").json()["count"] == 0
    assert Feedback.objects.filter(verdict="contacted", need=market.public_need).count() == 1


def test_a_meeting_request_between_listings_you_may_not_see_names_the_field(market, call_as):
    body = {"need": market.staff_need.pk, "offer": market.bakery_offer.pk}
    response = post(call_as(market.beta_user), "/meeting-requests", body)
    assert errors(response) == [
        (["body", "payload", "need"], f"no need {market.staff_need.pk} that you may see")
    ]


# --- query counts -------------------------------------------------------------------------------------


def _populate(organisation, domain, n: int) -> None:
    sectors = list(Sector.objects.filter(code__in=["43.22", "72.10"]))
    site = SiteFactory(organisation=organisation, name=f"Site {Listing.objects.count()}")
    for i in range(n):
        make_listing(
            organisation,
            "offer",
            f"Offer {organisation.pk}-{i}",
            site=site,
            domains=[domain],
            sectors=sectors,
            keywords=[f"kw{i}", "shared"],
        )


def _list_queries(client) -> tuple[int, int]:
    queries, response = counted_get(client, f"{URL}/listings?page_size=100")
    return queries, len(response.json()["items"])


@pytest.mark.parametrize(("who", "queries"), [("anonymous", 5), ("staff", 9)])
def test_listing_listings_takes_the_same_queries_for_3_or_15(registry, call_as, who, queries):
    # anonymous: count, page, domains with their clusters, sectors, keywords; staff add the token, their
    # staff assignments and their own organisation (who they are to visible_listings), and the
    # organisations they are staff for (one query, for the lifecycle moves each listing names).
    domain = DomainFactory(cluster=registry.tech, slug="energy")
    client = call_as(registry.staff if who == "staff" else None)
    client.get(f"{URL}/listings")  # the first use of a token also records when it was used
    _populate(registry.acme, domain, 3)
    small = _list_queries(client)
    _populate(registry.acme, domain, 12)
    large = _list_queries(client)
    assert (small, large) == ((queries, 3), (queries, 15))


def test_listing_meeting_requests_takes_the_same_queries_for_1_or_4(market, call_as):
    client = call_as(market.beta_user)
    client.get(f"{URL}/meeting-requests")  # the first use of a token also records when it was used

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{URL}/meeting-requests")
        return len(captured), response.json()["count"]

    meeting_requests.request_meeting(market.registry.acme_user, market.public_need, market.beta_offer)
    small = count()
    for i in range(3):
        need = make_listing(market.registry.acme, "need", f"Another heat need {i}")
        meeting_requests.request_meeting(market.registry.acme_user, need, market.beta_offer)
    large = count()
    assert (small[1], large[1], small[0]) == (1, 4, large[0])


# --- schema -------------------------------------------------------------------------------------------


def test_every_market_operation_is_in_the_schema():
    schema = Client().get("/api/openapi.json").json()
    found = {
        (method, path): operation["tags"]
        for path, item in schema["paths"].items()
        if path.startswith("/api/market/")
        for method, operation in item.items()
    }
    assert found == {
        ("get", "/api/market/listings"): ["listings"],
        ("post", "/api/market/listings"): ["listings"],
        ("get", "/api/market/listings/{listing_id}"): ["listings"],
        ("patch", "/api/market/listings/{listing_id}"): ["listings"],
        ("post", "/api/market/listings/{listing_id}/status"): ["listings"],
        ("get", "/api/market/listings/{listing_id}/matches"): ["matches"],
        ("post", "/api/market/listings/{listing_id}/feedback"): ["matches"],
        ("get", "/api/market/organisations/{slug}/matches"): ["matches"],
        ("get", "/api/market/who-meets-whom"): ["matches"],
        ("get", "/api/market/meeting-requests"): ["meeting requests"],
        ("post", "/api/market/meeting-requests"): ["meeting requests"],
        ("post", "/api/market/meeting-requests/{meeting_id}/answer"): ["meeting requests"],
    }
    assert "ListingOut" in schema["components"]["schemas"]
