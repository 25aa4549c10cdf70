"""Integration: the organisations endpoints show and change what the pages would, to the same people."""

from __future__ import annotations

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict

from helix.registry.models import Organisation, Sector
from helix.registry.search import DirectoryQuery, search_organisations
from helix.registry.services import refresh_search_text
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
    staff_user,
)
from tests.helpers.queries import counted_get

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = "/api/registry/organisations"
encode = DjangoJSONEncoder().default


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def body_error(field: str, message: str, kind: str = "value_error") -> dict:
    return {"type": kind, "loc": ["body", "payload", field], "msg": message}


# --- reading ------------------------------------------------------------------------------------------


def test_anonymous_callers_see_only_published_organisations(registry, call_as):
    response = call_as(None).get(URL)
    assert slugs(response) == ["acme", "bakery", "cluster-office"]
    assert response.json()["count"] == 3
    assert call_as(None).get(f"{URL}/hidden-works").status_code == 404


def test_a_member_user_also_sees_its_own_unpublished_organisation(registry, call_as):
    hidden_user = UserFactory(username="hidden-user")
    registry.hidden.people.create(first_name="Hanne", last_name="Hidden", user=hidden_user)
    assert slugs(call_as(hidden_user).get(URL)) == ["acme", "bakery", "cluster-office", "hidden-works"]
    assert slugs(call_as(registry.acme_user).get(URL)) == ["acme", "bakery", "cluster-office"]


def test_staff_see_unpublished_organisations(registry, call_as):
    assert slugs(call_as(registry.staff).get(URL)) == ["acme", "bakery", "cluster-office", "hidden-works"]


def test_an_organisation_shows_its_sectors_sites_and_memberships(registry, call_as):
    registry.acme.sectors.set(Sector.objects.filter(code__in=["62.10", "72.10"]))
    registry.acme.keywords.create(name="robotics")
    site = SiteFactory(organisation=registry.acme, name="Head office", city="Gent", street="Dok 1")
    data = call_as(None).get(f"{URL}/acme").json()
    membership = registry.acme.memberships.get()
    assert data == {
        "id": registry.acme.pk,
        "slug": "acme",
        "name": "Acme",
        "kind": "company",
        "helix": "industry",
        "size_class": "sme",
        "government_level": "",
        "identifier_scheme": "be",
        "legal_identifier": registry.acme.legal_identifier,
        "website": "",
        "working_languages": ["nl", "en"],
        "sectors": [
            {"code": "62.10", "label": Sector.objects.get(code="62.10").label},
            {"code": "72.10", "label": Sector.objects.get(code="72.10").label},
        ],
        "keywords": ["robotics"],
        "descriptions": {"en": "Builds things.", "nl": "", "fr": "", "de": ""},
        "is_published": True,
        "is_sample": False,
        "sites": [
            {
                "id": site.pk,
                "name": "Head office",
                "street": "Dok 1",
                "postcode": "9000",
                "city": "Gent",
                "country": "BE",
                "region": "oost-vlaanderen",
                "latitude": 51.05,
                "longitude": 3.72,
                "is_headquarters": True,
            }
        ],
        "memberships": [
            {
                "id": membership.pk,
                "cluster": {"slug": "tech", "name": "Tech Cluster"},
                "level": "member",
                "since": "2020-01-01",
            }
        ],
        "url": "/organisations/acme/",
        "created_at": encode(registry.acme.created_at),
        "updated_at": encode(registry.acme.updated_at),
    }


# --- filters and search -------------------------------------------------------------------------------


@pytest.fixture
def directory():
    """Five published organisations that differ in one facet each."""
    office = OrganisationFactory(
        name="Tech Office", slug="tech-office", kind="cluster_organisation", size_class=""
    )
    tech = ClusterFactory(slug="tech", operator=office)
    domain = tech.domains.create(kind="work_domain", name="Robots", slug="robots")
    software = OrganisationFactory(name="Bits and Bytes", slug="bits", description_en="Software for ports.")
    software.sectors.set(Sector.objects.filter(code="62.10"))
    lab = OrganisationFactory(name="Lab of Light", slug="lab", kind="knowledge_institution", size_class="")
    city = OrganisationFactory(
        name="City of Hasselt", slug="city", kind="government", size_class="", government_level="local"
    )
    SiteFactory(organisation=city, city="Hasselt", region="limburg")
    member = OrganisationFactory(name="Robot Makers", slug="robots")
    membership = MembershipFactory(organisation=member, cluster=tech, level="strategic_partner")
    membership.domains.add(domain)
    MembershipFactory(organisation=lab, cluster=tech, level="interested")
    for organisation in (software, city, member):
        refresh_search_text(organisation)
    return {"tech": tech, "domain": domain}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["bits", "city", "lab", "robots", "tech-office"]),
        ("kind=government&kind=knowledge_institution", ["city", "lab"]),
        ("sector=62", ["bits"]),
        ("sector=62.10", ["bits"]),
        ("cluster=tech", ["lab", "robots"]),
        ("level=strategic_partner", ["robots"]),
        ("region=limburg", ["city"]),
        ("q=ports", ["bits"]),
        ("q=hasselt", ["city"]),
        ("q=robot", ["robots"]),
        ("cluster=tech&level=interested", ["lab"]),
    ],
)
def test_filters_and_search_return_what_the_directory_returns(directory, call_as, query, expected):
    response = call_as(None).get(f"{URL}?{query}")
    assert slugs(response) == expected
    page_query = DirectoryQuery.from_params(QueryDict(query))
    assert slugs(response) == [o.slug for o in search_organisations(None, page_query)]


def test_the_domain_filter_takes_domain_ids(directory, call_as):
    assert slugs(call_as(None).get(f"{URL}?domain={directory['domain'].pk}")) == ["robots"]


def test_an_unknown_facet_value_is_a_422_naming_the_parameter(call_as):
    response = call_as(None).get(f"{URL}?kind=spaceship")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", "filters", "kind", 0]]


# --- pagination ---------------------------------------------------------------------------------------


def test_pages_follow_the_site_page_size_and_count_everything(call_as, settings):
    settings.HELIX_PAGE_SIZE = 2
    for n in range(5):
        OrganisationFactory(name=f"Org {n}", slug=f"org-{n}")
    client = call_as(None)
    first, last = client.get(URL).json(), client.get(f"{URL}?page=3").json()
    assert ([o["slug"] for o in first["items"]], first["count"]) == (["org-0", "org-1"], 5)
    assert ([o["slug"] for o in last["items"]], last["count"]) == (["org-4"], 5)
    assert slugs(client.get(f"{URL}?page=2&page_size=3")) == ["org-3", "org-4"]


def test_page_size_is_capped_at_200(call_as):
    Organisation.objects.bulk_create(
        Organisation(name=f"Org {n:03d}", slug=f"org-{n:03d}", kind="company") for n in range(201)
    )
    response = call_as(None).get(f"{URL}?page_size=500")
    assert (len(response.json()["items"]), response.json()["count"]) == (200, 201)


@pytest.mark.parametrize("page", [10**6 + 1, 10**35])
def test_a_page_number_beyond_any_list_is_a_422_naming_it(call_as, page):
    """A page number of 10**35 made a row offset the database refused: a 500."""
    response = call_as(None).get(f"{URL}?page={page}")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", "page"]]


def test_the_last_allowed_page_is_empty(call_as):
    OrganisationFactory(name="Org", slug="org")
    assert call_as(None).get(f"{URL}?page={10**6}").json() == {"items": [], "count": 1}


# --- query counts -------------------------------------------------------------------------------------


def _populate(cluster, n: int) -> None:
    sectors = list(Sector.objects.filter(code__in=["62.10", "72.10"]))
    for i in range(n):
        organisation = OrganisationFactory()
        organisation.sectors.set(sectors)
        organisation.keywords.create(name=f"keyword-{organisation.pk}")
        SiteFactory(organisation=organisation, name="Head office")
        SiteFactory(organisation=organisation, name=f"Plant {i}", is_headquarters=False)
        MembershipFactory(organisation=organisation, cluster=cluster)


def _list_queries(client, query: str = "") -> tuple[int, int]:
    """(queries, organisations listed) for one page of up to 100 organisations."""
    queries, response = counted_get(client, f"{URL}?page_size=100{query}")
    return queries, len(response.json()["items"])


@pytest.mark.parametrize(("who", "cold", "warm"), [("anonymous", 12, 6), ("staff", 15, 7)])
def test_listing_organisations_takes_the_same_queries_for_3_or_30(call_as, who, cold, warm):
    # After a change of the registry (cold): the directory index's five reads (organisations, sites,
    # sectors, memberships, their domains) and the ids the caller may see; then, as for any query
    # (warm): the page, and its sectors, keywords, sites, memberships with clusters, cluster names.
    # Staff add the token, and after a change the permission engine's reading of the caller (their
    # person, none here, and their staff assignments), kept until the registry changes again.
    cluster = ClusterFactory(slug="listing")
    client = call_as(staff_user(cluster) if who == "staff" else None)
    client.get(URL)  # the first use of a token also records when it was used
    _populate(cluster, 3)
    small = _list_queries(client)
    _populate(cluster, 27)
    large = _list_queries(client)
    filtered = _list_queries(client, "&q=organisation&region=oost-vlaanderen&sector=62")
    # The cluster's operator is listed too, but has no site in the region.
    assert (small, large, filtered) == ((cold, 3 + 1), (cold, 30 + 1), (warm, 30))
