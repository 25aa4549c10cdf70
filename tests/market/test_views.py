"""Integration: the needs-and-offers pages (browse, publish, edit, a listing with its matches, feedback,
meeting requests, an organisation's matches) through the Django test client, as an anonymous visitor,
member users of the same and of another cluster, and cluster staff.

Tests use the "hashing" text encoder (tests/conftest.py): matching is by spelling, so a need and an
offer that should match share words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from helix.core.matching.lexical import tokenize
from helix.market import services
from helix.market.meeting_requests import request_meeting
from helix.market.models import Feedback, Listing, MeetingRequest, MeetingStatus, Status
from helix.registry.models import OrganisationKind, Region
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
    make_listing,
    member_user,
    staff_user,
)
from tests.helpers.queries import count_queries

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HTMX = {"HTTP_HX_REQUEST": "true"}
BROWSE = reverse("market:browse")
CREATE = reverse("market:listing_create")

HEAT_NEED = (
    "Heat pump for the district heating network",
    "The city looks for a large heat pump that feeds residual heat from the harbour into the district "
    "heating network.",
)
HEAT_OFFER = (
    "Large heat pumps for district heating",
    "We build and install large heat pump systems for district heating networks, using residual heat.",
)
ROBOT_OFFER = (
    "Painting robots for steel bridges",
    "Autonomous robots that paint and inspect steel bridges and cranes.",
)


def titles(response):
    return [x.title for x in response.context["page_obj"].object_list]


@pytest.fixture
def world():
    energy = ClusterFactory(slug="energy", name="Energy Cluster")
    heat = DomainFactory(cluster=energy, name="Groene warmte")
    storage = DomainFactory(cluster=energy, name="Energy storage")
    other = ClusterFactory(slug="materials", name="Materials Cluster")
    city = OrganisationFactory(
        name="Stad Gent",
        slug="stad-gent",
        kind=OrganisationKind.GOVERNMENT,
        size_class="",
        government_level="local",
    )
    SiteFactory(organisation=city, city="Gent", region=Region.OOST_VLAANDEREN)
    heatco = OrganisationFactory(name="Warmte BV", slug="warmte-bv")
    SiteFactory(
        organisation=heatco, city="Brugge", region=Region.WEST_VLAANDEREN, latitude=51.21, longitude=3.22
    )
    robots = OrganisationFactory(name="Robot Works", slug="robot-works")
    outsider = OrganisationFactory(name="Outsider NV", slug="outsider")
    for organisation in (city, heatco, robots):
        MembershipFactory(organisation=organisation, cluster=energy)
    MembershipFactory(organisation=outsider, cluster=other)
    need = make_listing(city, "need", *HEAT_NEED, domains=[heat], trl=6)
    offer = make_listing(heatco, "offer", *HEAT_OFFER, domains=[heat], trl=7)
    robot = make_listing(robots, "offer", *ROBOT_OFFER, category="competence")
    return {
        "energy": energy,
        "other": other,
        "heat": heat,
        "storage": storage,
        "city": city,
        "heatco": heatco,
        "robots": robots,
        "outsider": outsider,
        "need": need,
        "offer": offer,
        "robot": robot,
        "city_user": member_user(city, "citizen"),
        "heat_user": member_user(heatco, "heater"),
        "outsider_user": member_user(outsider, "outsider"),
        "staff": staff_user(energy, "energy-staff"),
    }


# Browse -------------------------------------------------------------------------------------------------


def test_browse_lists_active_public_listings_with_side_owner_language_trl_and_expiry(client, world):
    response = client.get(BROWSE)
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted([HEAT_NEED[0], HEAT_OFFER[0], ROBOT_OFFER[0]])
    (card,) = [
        c for c in response.content.decode().split('<li class="card listing-card') if HEAT_OFFER[0] in c
    ]
    assert '<span class="side side--offer">Offer</span>' in card
    assert f'<a href="{world["heatco"].get_absolute_url()}">Warmte BV</a>' in card
    assert "<span>TRL 7</span>" in card
    assert "English" in card
    expiry = world["offer"].expires_on
    assert f"until {expiry:%d/%m/%Y}" in card  # English as read in Belgium: day first
    assert "<li>Groene warmte</li>" in card


def test_browse_hides_drafts_withdrawn_and_expired_listings(client, world):
    make_listing(world["city"], "need", "Draft about heat", "Not yet published.", status=Status.DRAFT)
    make_listing(world["city"], "need", "Withdrawn about heat", "No longer needed.", status=Status.WITHDRAWN)
    old = make_listing(world["city"], "need", "Expired about heat", "Too old.")
    Listing.objects.filter(pk=old.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    assert sorted(titles(client.get(BROWSE))) == sorted([HEAT_NEED[0], HEAT_OFFER[0], ROBOT_OFFER[0]])


@pytest.fixture
def restricted(world):
    """A members-only offer and a staff-only need, both of organisations in the energy cluster."""
    members = make_listing(
        world["heatco"], "offer", "Members-only heat storage", "Heat storage tanks.", visibility="members"
    )
    staff_only = make_listing(
        world["city"], "need", "Staff-only tender preparation", "Confidential.", visibility="staff"
    )
    return members, staff_only


@pytest.mark.parametrize(
    ("who", "sees_members", "sees_staff_only"),
    [
        ("anonymous", False, False),
        ("outsider_user", False, False),  # a member of another cluster
        ("heat_user", True, False),  # a member of the same cluster (owner of the members-only offer)
        ("city_user", True, True),  # the owner of the staff-only need sees its own listing
        ("staff", True, True),
    ],
)
def test_browse_respects_visibility(client, world, restricted, who, sees_members, sees_staff_only):
    if who != "anonymous":
        client.force_login(world[who])
    shown = set(titles(client.get(BROWSE)))
    assert ("Members-only heat storage" in shown, "Staff-only tender preparation" in shown) == (
        sees_members,
        sees_staff_only,
    )


def test_staff_of_another_cluster_do_not_see_members_or_staff_listings(client, world, restricted):
    client.force_login(staff_user(world["other"], "materials-staff"))
    shown = set(titles(client.get(BROWSE)))
    assert shown == {HEAT_NEED[0], HEAT_OFFER[0], ROBOT_OFFER[0]}


def test_restricted_listing_page_is_404_for_those_who_may_not_see_it(client, world, restricted):
    members, staff_only = restricted
    assert client.get(members.get_absolute_url()).status_code == 404
    client.force_login(world["outsider_user"])
    assert client.get(members.get_absolute_url()).status_code == 404
    client.force_login(member_user(world["robots"], "robotist"))  # a member of the same cluster
    assert client.get(members.get_absolute_url()).status_code == 200
    assert client.get(staff_only.get_absolute_url()).status_code == 404
    client.force_login(world["staff"])
    assert client.get(staff_only.get_absolute_url()).status_code == 200


def test_mine_shows_my_organisations_listings_in_every_status(client, world):
    draft = make_listing(
        world["city"], "need", "Draft: cooling for the town hall", "Cooling.", status=Status.DRAFT
    )
    client.force_login(world["city_user"])
    response = client.get(BROWSE, {"mine": "on"})
    assert sorted(titles(response)) == sorted([HEAT_NEED[0], draft.title])
    assert '<span class="badge badge--muted">Draft</span>' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"side": "need"}, [HEAT_NEED[0]]),
        ({"side": "offer"}, [HEAT_OFFER[0], ROBOT_OFFER[0]]),
        ({"category": "competence"}, [ROBOT_OFFER[0]]),
        ({"trl_min": "7"}, [HEAT_OFFER[0]]),
        ({"region": "west-vlaanderen"}, [HEAT_OFFER[0]]),
        ({"region": "oost-vlaanderen"}, [HEAT_NEED[0]]),
        ({"q": "PUMP district"}, [HEAT_NEED[0], HEAT_OFFER[0]]),
        ({"q": "robots bridges"}, [ROBOT_OFFER[0]]),
        ({"q": "warmte bv"}, [HEAT_OFFER[0]]),  # the owner's name is searched too
        ({"q": "zeppelin"}, []),
        ({"side": "offer", "q": "heat"}, [HEAT_OFFER[0]]),
    ],
)
def test_browse_filters(client, world, params, expected):
    assert sorted(titles(client.get(BROWSE, params))) == sorted(expected)


def test_browse_filters_by_domain_cluster_and_language(client, world):
    french = make_listing(
        world["outsider"],
        "offer",
        "Récupération de chaleur résiduelle",
        "Nous installons des échangeurs de chaleur pour les réseaux de chaleur urbains.",
    )
    assert french.language == "fr"
    assert sorted(titles(client.get(BROWSE, {"domain": world["heat"].pk}))) == sorted(
        [HEAT_NEED[0], HEAT_OFFER[0]]
    )
    assert titles(client.get(BROWSE, {"domain": world["storage"].pk})) == []
    assert titles(client.get(BROWSE, {"cluster": "materials"})) == [french.title]
    assert titles(client.get(BROWSE, {"language": "fr"})) == [french.title]
    # Accents are folded: "residuelle" finds "résiduelle", "RECUPERATION" finds "Récupération".
    assert titles(client.get(BROWSE, {"q": "residuelle recuperation"})) == [french.title]


def test_browse_ignores_invalid_filter_values(client, world):
    response = client.get(BROWSE, {"side": "bogus", "trl_min": "eleven", "q": "heat"})
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted([HEAT_NEED[0], HEAT_OFFER[0]])


def test_browse_htmx_request_gets_only_the_results(client, world):
    response = client.get(BROWSE, {"side": "need"}, **HTMX)
    html = response.content.decode()
    names = {t.name for t in response.templates}
    assert "market/_browse_results.html" in names
    assert not names & {"market/browse.html", "base.html"}
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="listing-results"')
    assert titles(response) == [HEAT_NEED[0]]
    assert "HX-Request" in response["Vary"]


def test_browse_paginates(client, world, settings):
    settings.HELIX_PAGE_SIZE = 2
    first = client.get(BROWSE)
    second = client.get(BROWSE, {"page": 2})
    assert len(titles(first)) == 2
    assert len(titles(second)) == 1
    assert set(titles(first)) | set(titles(second)) == {HEAT_NEED[0], HEAT_OFFER[0], ROBOT_OFFER[0]}
    assert 'href="?page=2"' in first.content.decode()


def _populate(organisations, domain, count, start=0):
    for n in range(start, start + count):
        make_listing(
            organisations[n % len(organisations)],
            "offer" if n % 2 else "need",
            f"Listing {n} about heat",
            f"Heat number {n}.",
            domains=[domain],
            trl=5,
        )


@pytest.mark.parametrize("who", ["anonymous", "city_user", "staff"])
def test_browse_query_count_does_not_grow_with_the_number_of_listings(client, world, settings, who):
    settings.HELIX_PAGE_SIZE = 50
    Listing.objects.all().delete()
    if who != "anonymous":
        client.force_login(world[who])
    organisations = [world["city"], world["heatco"], world["robots"]]
    _populate(organisations, world["heat"], 3)
    small = count_queries(client, BROWSE)
    small_filtered = count_queries(
        client, BROWSE, q="heat", region="oost-vlaanderen", cluster="energy", side="need"
    )
    _populate(organisations, world["heat"], 12, start=3)
    assert Listing.objects.count() == 15
    assert count_queries(client, BROWSE) == small
    assert (
        count_queries(client, BROWSE, q="heat", region="oost-vlaanderen", cluster="energy", side="need")
        == small_filtered
    )


@pytest.mark.parametrize("who", ["anonymous", "city_user", "staff"])
def test_browse_query_count_does_not_grow_with_the_number_of_owners(client, world, settings, who):
    # Found by bench/load: each card asked whether its owner may be seen, one or two queries per owner.
    settings.HELIX_PAGE_SIZE = 50
    Listing.objects.all().delete()
    if who != "anonymous":
        client.force_login(world[who])
    _populate([world["city"], world["heatco"], world["robots"]], world["heat"], 3)
    small = count_queries(client, BROWSE)
    owners = [OrganisationFactory() for _ in range(12)]
    _populate(owners, world["heat"], 12, start=3)
    assert count_queries(client, BROWSE) == small
    page = client.get(BROWSE).content.decode()
    assert all(f'href="{owner.get_absolute_url()}"' in page for owner in owners)  # published: linked


# Create and edit ----------------------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "category": "solution",
        "title": "Heat storage for the swimming pool",
        "description": "We need a heat storage buffer for the municipal swimming pool.",
        "sectors": "",
        "keywords": "",
        "visibility": "public",
        "status": "published",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_needs_login(client, world):
    response = client.get(CREATE, {"side": "need"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_create_without_side_offers_the_choice(client, world):
    client.force_login(world["city_user"])
    html = client.get(CREATE).content.decode()
    assert f'href="{CREATE}?side=need"' in html
    assert f'href="{CREATE}?side=offer"' in html


def test_create_is_403_for_a_user_who_acts_for_no_organisation(client, world):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(CREATE, {"side": "need"}).status_code == 403


def test_create_form_preselects_the_only_organisation_and_offers_the_categories_of_the_side(client, world):
    client.force_login(world["city_user"])
    form = client.get(CREATE, {"side": "need"}).context["form"]
    assert form.initial["organisation"] == world["city"].pk
    assert [value for value, _ in form.fields["category"].choices] == [
        "solution",
        "research",
        "partner",
        "infrastructure",
    ]
    assert [s.pk for s in form.fields["site"].queryset] == [world["city"].sites.get().pk]
    offer_form = client.get(CREATE, {"side": "offer"}).context["form"]
    assert [value for value, _ in offer_form.fields["category"].choices] == [
        "solution",
        "competence",
        "infrastructure",
        "test_facility",
    ]
    domains = offer_form.fields["domains"].choices
    assert domains == [
        (
            "Energy Cluster",
            [(str(world["storage"].pk), "Energy storage"), (str(world["heat"].pk), "Groene warmte")],
        )
    ]


def test_member_publishes_a_need_with_domains_sectors_keywords_and_detected_language(client, world):
    client.force_login(world["city_user"])
    data = form_data(
        organisation=world["city"].pk,
        title="Warmtebuffer voor het zwembad",
        description="De stad zoekt een warmtebuffer voor het stedelijk zwembad, gekoppeld aan het warmtenet.",
        domains=[world["heat"].pk],
        sectors="3530, 71.12",
        keywords="Heat Storage, buffer tank",
        trl="6",
        site=world["city"].sites.get().pk,
        budget_min="10000",
        budget_max="50000",
        deadline="2031-03-01",
    )
    response = client.post(f"{CREATE}?side=need", data)
    listing = Listing.objects.get(title="Warmtebuffer voor het zwembad")
    assert response.status_code == 302
    assert response["Location"] == listing.get_absolute_url()
    assert (listing.side, listing.organisation, listing.language, listing.status, listing.trl) == (
        "need",
        world["city"],
        "nl",
        "published",
        6,
    )
    assert (listing.budget_min, listing.budget_max, listing.deadline) == (10000, 50000, dt.date(2031, 3, 1))
    assert [d.name for d in listing.domains.all()] == ["Groene warmte"]
    assert sorted(s.code for s in listing.sectors.all()) == ["35.30", "71.12"]
    assert sorted(k.name for k in listing.keywords.all()) == ["buffer tank", "heat storage"]
    assert listing.created_by == world["city_user"]
    page = client.get(listing.get_absolute_url()).content.decode()
    assert "Saved “Warmtebuffer voor het zwembad”." in page
    assert "<dt>Language (recognised)</dt><dd>Nederlands</dd>" in page


def test_a_bad_nace_code_is_named_and_nothing_is_saved(client, world):
    client.force_login(world["city_user"])
    response = client.post(
        f"{CREATE}?side=need", form_data(organisation=world["city"].pk, sectors="35.30, 99.99x")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["sectors"] == ["“99.99x” is not a NACE Rev. 2.1 code."]
    assert "“99.99x” is not a NACE Rev. 2.1 code." in response.content.decode()
    assert not Listing.objects.filter(title="Heat storage for the swimming pool").exists()


def test_service_rules_land_on_the_fields_they_name(client, world):
    client.force_login(world["city_user"])
    response = client.post(
        f"{CREATE}?side=need",
        form_data(organisation=world["city"].pk, budget_min="9000", budget_max="100", description="   "),
    )
    errors = response.context["form"].errors
    assert errors["description"] == ["This field is required."]
    response = client.post(
        f"{CREATE}?side=need", form_data(organisation=world["city"].pk, budget_min="9000", budget_max="100")
    )
    assert response.context["form"].errors == {"budget_max": ["The upper bound is below the lower bound."]}
    assert not Listing.objects.filter(title="Heat storage for the swimming pool").exists()


def test_a_need_cannot_take_an_offer_category_nor_another_organisations_site(client, world):
    client.force_login(world["city_user"])
    response = client.post(
        f"{CREATE}?side=need",
        form_data(organisation=world["city"].pk, category="competence", site=world["heatco"].sites.get().pk),
    )
    errors = response.context["form"].errors
    assert set(errors) == {"category", "site"}
    assert "competence is not one of the available choices" in errors["category"][0]


def test_member_cannot_post_for_another_organisation(client, world):
    client.force_login(world["city_user"])
    response = client.post(f"{CREATE}?side=offer", form_data(organisation=world["heatco"].pk))
    assert "organisation" in response.context["form"].errors
    assert not Listing.objects.filter(title="Heat storage for the swimming pool").exists()


def test_staff_post_for_organisations_of_their_clusters(client, world):
    client.force_login(world["staff"])
    form = client.get(CREATE, {"side": "offer"}).context["form"]
    # the members of their cluster and the organisation that runs it (the factory's operator)
    operator = world["staff"].staff_assignments.get().cluster.operator.name
    assert {o.name for o in form.fields["organisation"].queryset} == {
        "Stad Gent",
        "Warmte BV",
        "Robot Works",
        operator,
    }
    response = client.post(
        f"{CREATE}?side=offer", form_data(organisation=world["robots"].pk, category="competence")
    )
    assert response.status_code == 302
    assert Listing.objects.get(title="Heat storage for the swimming pool").organisation == world["robots"]


def edit_data(listing, **overrides):
    data = form_data(
        organisation=listing.organisation_id,
        category=listing.category,
        title=listing.title,
        description=listing.description,
        trl=listing.trl or "",
        domains=[d.pk for d in listing.domains.all()],
        visibility=listing.visibility,
        status=listing.status,
        revision=listing.revision,
    )
    data.update(overrides)
    return data


def test_owner_edits_a_listing(client, world):
    need = world["need"]
    client.force_login(world["city_user"])
    url = reverse("market:listing_edit", args=[need.pk])
    form = client.get(url).context["form"]
    assert form.initial["title"] == HEAT_NEED[0]
    assert form.initial["revision"] == need.revision
    response = client.post(url, edit_data(need, title="Heat pump for the harbour network", trl="5"))
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.title, need.trl, need.revision) == ("Heat pump for the harbour network", 5, 2)


@pytest.mark.parametrize("who", ["heat_user", "outsider_user"])
def test_others_may_not_edit(client, world, who):
    client.force_login(world[who])
    url = reverse("market:listing_edit", args=[world["need"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, edit_data(world["need"], title="Hijacked")).status_code == 403
    world["need"].refresh_from_db()
    assert world["need"].title == HEAT_NEED[0]


def test_edit_keeps_the_users_input_when_someone_else_saved_in_between(client, world):
    need = world["need"]
    client.force_login(world["city_user"])
    url = reverse("market:listing_edit", args=[need.pk])
    loaded_revision = client.get(url).context["form"].initial["revision"]
    # A colleague saves first.
    theirs = Listing.objects.get(pk=need.pk)
    theirs.title = "Their newer title"
    services.save_listing(theirs)
    response = client.post(
        url,
        edit_data(
            need, title="My careful title", description="My careful description.", revision=loaded_revision
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this listing while you were editing it." in html
    assert 'value="My careful title"' in html
    assert "My careful description.</textarea>" in html
    assert {"label": "Title", "saved": "Their newer title"} in response.context["differences"]
    assert Listing.objects.get(pk=need.pk).title == "Their newer title"
    # The form now carries the current revision: saving again (after review) goes through.
    form = response.context["form"]
    assert form["revision"].value() == str(loaded_revision + 1)
    again = client.post(url, edit_data(need, title="My careful title", revision=loaded_revision + 1))
    assert again.status_code == 302
    assert Listing.objects.get(pk=need.pk).title == "My careful title"


# Status buttons -----------------------------------------------------------------------------------------


def test_owner_withdraws_renews_publishes_and_marks_fulfilled(client, world):
    need = world["need"]
    url = reverse("market:listing_status", args=[need.pk])
    client.force_login(world["city_user"])
    page = client.get(need.get_absolute_url()).content.decode()
    assert [a for a in ("publish", "renew", "fulfil", "withdraw") if f'value="{a}"' in page] == [
        "renew",
        "fulfil",
        "withdraw",
    ]
    before = need.expires_on
    client.post(url, {"action": "renew"})
    need.refresh_from_db()
    assert (need.expires_on > before, need.renewals) == (True, 1)
    client.post(url, {"action": "withdraw"})
    need.refresh_from_db()
    assert need.status == Status.WITHDRAWN
    assert HEAT_NEED[0] not in titles(client.get(BROWSE))
    client.post(url, {"action": "publish"})
    need.refresh_from_db()
    assert need.status == Status.PUBLISHED
    response = client.post(url, {"action": "fulfil"})
    need.refresh_from_db()
    assert (response.status_code, need.status) == (302, Status.FULFILLED)


def test_status_change_is_403_for_others_and_login_for_anonymous(client, world):
    url = reverse("market:listing_status", args=[world["need"].pk])
    assert client.post(url, {"action": "withdraw"}).status_code == 302  # to the login page
    client.force_login(world["heat_user"])
    assert client.post(url, {"action": "withdraw"}).status_code == 403
    world["need"].refresh_from_db()
    assert world["need"].status == Status.PUBLISHED
    assert 'name="action"' not in client.get(world["need"].get_absolute_url()).content.decode()


# A listing and its matches ------------------------------------------------------------------------------


def _words(text):
    return set(re.findall(r"\w+", text.lower()))


def test_listing_page_shows_matches_with_shared_words_found_in_both_texts(client, world):
    client.force_login(world["city_user"])
    response = client.get(world["need"].get_absolute_url())
    rows = response.context["rows"]
    best = rows[0]
    assert best["other"].title == HEAT_OFFER[0]
    assert best["terms"], "the heat offer shares words with the need"
    # Each shared word is written in the offer, and the need has a word of the same stem ("pumps", "pump").
    need_stems = set(tokenize(" ".join(HEAT_NEED), "en"))
    assert [t for t in best["terms"] if t.lower() not in _words(" ".join(HEAT_OFFER))] == []
    assert [t for t in best["terms"] if tokenize(t, "en")[0] not in need_stems] == []
    assert {"heat", "district", "heating"} <= {t.lower() for t in best["terms"]}
    details = [r.detail for r in best["reasons"]]
    assert "same domain: Groene warmte" in details
    assert "TRL 7 meets the TRL 6 asked" in details
    html = response.content.decode()
    assert '<mark class="term">heat</mark>' in html
    assert "same domain: Groene warmte" in html
    assert 'id="feedback-{}-{}"'.format(world["need"].pk, world["offer"].pk) in html
    assert "Request a meeting" in html


def test_anonymous_visitor_sees_public_matches_but_no_feedback_or_meeting_buttons(client, world, restricted):
    response = client.get(world["need"].get_absolute_url())
    assert response.status_code == 200
    shown = [row["other"].title for row in response.context["rows"]]
    assert HEAT_OFFER[0] in shown
    assert "Members-only heat storage" not in shown
    html = response.content.decode()
    assert "to see the matches open to members" in html
    assert 'name="verdict"' not in html
    assert "Request a meeting" not in html


def test_members_see_members_only_matches_of_their_cluster(client, world, restricted):
    client.force_login(world["city_user"])
    shown = [row["other"].title for row in client.get(world["need"].get_absolute_url()).context["rows"]]
    assert "Members-only heat storage" in shown
    client.force_login(world["outsider_user"])
    shown = [row["other"].title for row in client.get(world["need"].get_absolute_url()).context["rows"]]
    assert "Members-only heat storage" not in shown


def test_feedback_is_stored_and_htmx_gets_the_pairs_feedback_area(client, world):
    need, offer = world["need"], world["offer"]
    client.force_login(world["city_user"])
    url = reverse("market:listing_feedback", args=[need.pk])
    response = client.post(url, {"need": need.pk, "offer": offer.pk, "verdict": "relevant"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith(f'<div class="feedback" id="feedback-{need.pk}-{offer.pk}">')
    assert 'value="relevant" class="move verdict verdict--relevant" aria-pressed="true"' in html
    assert "Thank you: “Relevant” recorded." in html
    assert list(Feedback.objects.values_list("user__username", "need", "offer", "verdict")) == [
        ("citizen", need.pk, offer.pk, "relevant")
    ]
    # Not relevant replaces relevant; without htmx the page is redrawn at the match.
    response = client.post(url, {"need": need.pk, "offer": offer.pk, "verdict": "not_relevant"})
    assert response.status_code == 302
    assert response["Location"] == f"{need.get_absolute_url()}#match-{offer.pk}"
    assert list(Feedback.objects.values_list("verdict", flat=True)) == ["not_relevant"]
    page = client.get(need.get_absolute_url()).content.decode()
    assert 'value="not_relevant" class="move verdict verdict--not_relevant" aria-pressed="true"' in page


def test_feedback_rejects_bad_input(client, world):
    need, offer = world["need"], world["offer"]
    client.force_login(world["city_user"])
    url = reverse("market:listing_feedback", args=[need.pk])
    assert client.post(url, {"need": need.pk, "offer": offer.pk, "verdict": "love"}).status_code == 400
    assert client.post(url, {"need": offer.pk, "offer": need.pk, "verdict": "relevant"}).status_code == 400
    other_url = reverse("market:listing_feedback", args=[world["robot"].pk])
    assert (
        client.post(other_url, {"need": need.pk, "offer": offer.pk, "verdict": "relevant"}).status_code == 400
    )
    client.logout()
    assert client.post(url, {"need": need.pk, "offer": offer.pk, "verdict": "relevant"}).status_code == 302
    assert Feedback.objects.count() == 0


def test_meeting_request_is_made_from_a_match_and_accepted_by_the_other_side(client, world):
    need, offer = world["need"], world["offer"]
    client.force_login(world["city_user"])
    response = client.post(
        reverse("market:listing_meeting", args=[need.pk]),
        {"need": need.pk, "offer": offer.pk, "message": "Shall we meet at the harbour?"},
    )
    assert response["Location"] == f"{need.get_absolute_url()}#match-{offer.pk}"
    meeting = MeetingRequest.objects.get()
    assert (meeting.from_organisation, meeting.to_organisation, meeting.status, meeting.message) == (
        world["city"],
        world["heatco"],
        MeetingStatus.REQUESTED,
        "Shall we meet at the harbour?",
    )
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Meeting request sent to Warmte BV." in page
    assert "Requested" in page
    sent = client.get(reverse("market:meetings"))
    assert list(sent.context["outgoing"]) == [meeting]
    assert list(sent.context["incoming"]) == []

    client.force_login(world["heat_user"])
    received = client.get(reverse("market:meetings"))
    assert list(received.context["incoming"]) == [meeting]
    html = received.content.decode()
    assert "Shall we meet at the harbour?" in html
    assert reverse("market:meeting_answer", args=[meeting.pk]) in html
    response = client.post(reverse("market:meeting_answer", args=[meeting.pk]), {"answer": "accept"})
    assert response["Location"] == reverse("market:meetings")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED
    assert "You accepted to meet Stad Gent." in client.get(reverse("market:meetings")).content.decode()


def test_only_the_asked_organisation_answers_a_meeting_request(client, world):
    meeting = request_meeting(world["city_user"], world["need"], world["offer"])
    url = reverse("market:meeting_answer", args=[meeting.pk])
    client.force_login(world["city_user"])  # the asker
    assert client.post(url, {"answer": "accept"}).status_code == 403
    client.force_login(world["outsider_user"])
    assert client.post(url, {"answer": "accept"}).status_code == 403
    assert client.get(reverse("market:meetings")).context["incoming"].count() == 0
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REQUESTED
    client.force_login(world["heat_user"])
    client.post(url, {"answer": "decline"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DECLINED


def test_meeting_button_only_for_users_acting_for_one_side(client, world):
    client.force_login(world["outsider_user"])
    response = client.get(world["need"].get_absolute_url())
    assert "Request a meeting" not in response.content.decode()
    assert (
        client.post(
            reverse("market:listing_meeting", args=[world["need"].pk]),
            {"need": world["need"].pk, "offer": world["offer"].pk},
        ).status_code
        == 403
    )
    assert MeetingRequest.objects.count() == 0


def test_meetings_page_needs_login(client, world):
    response = client.get(reverse("market:meetings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Organisation matches and the profile block -----------------------------------------------------------


def test_organisation_matches_lists_complementary_organisations_with_their_pairs(client, world):
    response = client.get(reverse("market:organisation_matches", args=["stad-gent"]))
    assert response.status_code == 200
    matches = response.context["matches"]
    assert matches[0]["organisation"] == world["heatco"]
    assert [(p["suggestion"].need, p["suggestion"].offer) for p in matches[0]["pairs"]] == [
        (world["need"], world["offer"])
    ]
    html = response.content.decode()
    assert f'<a href="{world["heatco"].get_absolute_url()}">Warmte BV</a>' in html
    assert HEAT_OFFER[0] in html


def test_organisation_without_active_listing_is_told_to_publish_one(client, world):
    client.force_login(world["outsider_user"])
    response = client.get(reverse("market:organisation_matches", args=["outsider"]))
    html = response.content.decode()
    assert "Outsider NV has no active need or offer, so there is nothing to match yet." in html
    assert f'href="{CREATE}?side=need"' in html
    assert response.context["matches"] == []


def test_organisation_matches_never_show_a_listing_the_visitor_may_not_see(client, world):
    Listing.objects.filter(pk=world["need"].pk).update(visibility="members")
    services.save_listing(Listing.objects.get(pk=world["need"].pk))
    html = client.get(reverse("market:organisation_matches", args=["stad-gent"])).content.decode()
    assert HEAT_NEED[0] not in html
    assert "has no active need or offer" in html


def test_organisation_matches_is_404_for_an_organisation_the_visitor_may_not_see(client, world):
    world["outsider"].is_published = False
    world["outsider"].save()
    url = reverse("market:organisation_matches", args=["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(world["outsider_user"])
    assert client.get(url).status_code == 200


def test_profile_shows_active_needs_and_offers_and_links_to_its_matches(client, world):
    for n in range(6):
        make_listing(world["heatco"], "offer", f"Extra heat offer {n}", "Heat.")
    html = client.get(world["heatco"].get_absolute_url()).content.decode()
    assert reverse("market:organisation_matches", args=["warmte-bv"]) in html
    assert "Matching organisations" in html
    assert len(re.findall(r'<span class="side side--offer">Offer</span> <a href="/needs-offers/', html)) == 5
    assert "All its needs and offers" in html


def test_menu_links_by_role(client, world):
    html = client.get(BROWSE).content.decode()
    assert f'<a href="{BROWSE}" aria-current="page">Needs & offers</a>' in html
    assert reverse("market:meetings") not in html
    client.force_login(world["city_user"])
    html = client.get(BROWSE).content.decode()
    assert reverse("market:meetings") in html
    assert reverse("market:who_meets_whom") not in html
    client.force_login(world["staff"])
    assert reverse("market:who_meets_whom") in client.get(BROWSE).content.decode()


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        (
            "nl",
            ["Behoeften en aanbod", '<label for="id_category">Categorie:</label>', "Behoefte</span>"],
            ["Needs and offers", ">Category:<", "Any language"],
        ),
        (
            "fr",
            ["Besoins et offres", '<label for="id_category">Catégorie\xa0:</label>', "Toutes les langues"],
            ["Needs and offers", ">Category", "Any language"],
        ),
        (
            "de",
            ["Bedarfe und Angebote", '<label for="id_language">Sprache:</label>', "Bedarf</span>"],
            ["Needs and offers", ">Language:<", "Any language"],
        ),
    ],
)
def test_browse_page_speaks_the_visitors_language(client, world, language, shown, hidden):
    html = client.get(BROWSE, headers={"accept-language": language}).content.decode()
    assert [word for word in shown if word not in html] == []
    assert [word for word in hidden if word in html] == []
