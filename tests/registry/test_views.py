"""Integration: the directory, organisation profiles, cluster pages and language switching, seen through
the Django test client as an anonymous visitor, a member user and cluster staff."""

import datetime as dt

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from helix.registry import services
from helix.registry.cluster_views import Strand
from helix.registry.models import (
    AdvisoryGroup,
    AdvisorySeat,
    ClusterName,
    Interaction,
    Keyword,
    LetterOfIntent,
    OrganisationKind,
    Region,
    Sector,
)
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
    member_user,
    staff_user,
)
from tests.helpers.queries import count_queries

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HTMX = {"HTTP_HX_REQUEST": "true"}
DIRECTORY = reverse("registry:directory")


def organisation(name, *, city="Gent", region=Region.OOST_VLAANDEREN, sectors=(), keywords=(), **fields):
    """An organisation with a head office, NACE sectors and keywords, its search text refreshed."""
    org = OrganisationFactory(name=name, **fields)
    SiteFactory(organisation=org, city=city, region=region)
    org.sectors.set(Sector.objects.filter(code__in=sectors))
    org.keywords.set([Keyword.objects.get_or_create(name=k)[0] for k in keywords])
    services.refresh_search_text(org)
    return org


def result_names(response):
    return [o.name for o in response.context["page_obj"].object_list]


@pytest.fixture
def world():
    operator = OrganisationFactory(
        name="Materials Cluster Office", kind=OrganisationKind.CLUSTER_ORGANISATION, size_class=""
    )
    cluster = ClusterFactory(slug="materials", name="Materials & Manufacturing", operator=operator)
    coatings = DomainFactory(cluster=cluster, name="Surface engineering")
    acme = organisation(
        "Acme Coatings",
        sectors=["20.30"],
        keywords=["corrosion"],
        description_en="Anti-corrosion coatings for offshore wind.",
        description_nl="Anticorrosiecoatings voor offshore wind.",
    )
    lab = organisation(
        "Ghent Robotics Lab",
        city="Leuven",
        region=Region.VLAAMS_BRABANT,
        sectors=["72.10"],
        kind=OrganisationKind.KNOWLEDGE_INSTITUTION,
        size_class="",
        description_en="Robots that paint bridges.",
    )
    province = organisation(
        "Province of Limburg",
        city="Hasselt",
        region=Region.LIMBURG,
        sectors=["84.11"],
        kind=OrganisationKind.GOVERNMENT,
        size_class="",
        government_level="regional",
    )
    hidden = organisation("Hidden Foundry", sectors=["25.61"], is_published=False)
    MembershipFactory(organisation=acme, cluster=cluster, level="member").domains.add(coatings)
    MembershipFactory(organisation=lab, cluster=cluster, level="interested")
    MembershipFactory(organisation=hidden, cluster=cluster, level="member")
    return {
        "cluster": cluster,
        "domain": coatings,
        "acme": acme,
        "lab": lab,
        "province": province,
        "hidden": hidden,
    }


# Directory --------------------------------------------------------------------------------------------------


def test_directory_lists_published_organisations_by_name(client, world):
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert result_names(response) == [
        "Acme Coatings",
        "Ghent Robotics Lab",
        "Materials Cluster Office",
        "Province of Limburg",
    ]
    assert "Hidden Foundry" not in response.content.decode()


def test_directory_result_shows_kind_place_sectors_and_description_in_the_current_language(client, world):
    html = client.get(DIRECTORY, {"q": "acme"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Anticorrosiecoatings voor offshore wind." in html
    assert "Anti-corrosion coatings" not in html
    assert "Gent, Oost-Vlaanderen" in html
    assert (
        '<li title="Manufacture of paints, varnishes and similar coatings, printing ink and mastics">'
        '<span class="code">20.30</span> Manufacture of paints, varnishes and similar coatings, '
        "printing ink and mastics</li>"
    ) in html
    assert 'class="tag tag--industry">Bedrijf</span>' in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("corrosion", ["Acme Coatings"]),
        ("ROBOT", ["Ghent Robotics Lab"]),
        ("hasselt", ["Province of Limburg"]),
        ("84.11", ["Province of Limburg"]),
        ("paint", ["Ghent Robotics Lab"]),
    ],
)
def test_directory_full_text_search(client, world, text, expected):
    assert result_names(client.get(DIRECTORY, {"q": text})) == expected


def test_each_facet_filters_the_results(client, world):
    cases = {
        "kind": ("government", ["Province of Limburg"]),
        "sector": ("20", ["Acme Coatings"]),
        "cluster": ("materials", ["Acme Coatings", "Ghent Robotics Lab"]),
        "domain": (str(world["domain"].pk), ["Acme Coatings"]),
        "level": ("interested", ["Ghent Robotics Lab"]),
        "region": ("limburg", ["Province of Limburg"]),
    }
    found = {
        param: result_names(client.get(DIRECTORY, {param: value})) for param, (value, _) in cases.items()
    }
    assert found == {param: expected for param, (_, expected) in cases.items()}


def test_facets_combine_and_show_counts_with_the_ticked_value_checked(client, world):
    response = client.get(DIRECTORY, {"kind": ["company", "government"], "region": "oost-vlaanderen"})
    assert result_names(response) == ["Acme Coatings"]
    kinds = next(g for g in response.context["facets"] if g.param == "kind")
    assert [(v.value, v.label, v.count, v.selected) for v in kinds.values] == [
        ("company", "Company", 1, True),
        ("government", "Government body", 0, True),
    ]
    html = response.content.decode()
    assert 'name="kind" value="company" id="f-kind-company" checked' in html


def test_a_ticked_facet_without_results_stays_listed_so_it_can_be_unticked(client, world):
    response = client.get(DIRECTORY, {"region": "luxembourg"})
    assert result_names(response) == []
    regions = next(g for g in response.context["facets"] if g.param == "region")
    assert [(v.value, v.label, v.count, v.selected) for v in regions.values if v.selected] == [
        ("luxembourg", "Luxembourg", 0, True)
    ]


def test_no_results_message(client, world):
    response = client.get(DIRECTORY, {"q": "zeppelin"})
    assert result_names(response) == []
    html = response.content.decode()
    assert "No organisations match your search." in html
    assert "0 organisations" in html


def test_htmx_request_gets_only_the_results_fragment_with_the_facets_out_of_band(client, world):
    response = client.get(DIRECTORY, {"q": "corrosion"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    names = {t.name for t in response.templates}
    assert "registry/_directory_results.html" in names
    assert not names & {"registry/directory.html", "base.html"}
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="results"')
    assert '<div id="facets" class="facets" hx-swap-oob="true">' in html
    assert result_names(response) == ["Acme Coatings"]
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, world):
    response = client.get(DIRECTORY, {"q": "corrosion"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in response.content.decode()


def test_directory_search_form_works_with_and_without_htmx(client, world):
    html = client.get(DIRECTORY).content.decode()
    assert f'<form class="directory" method="get" action="{DIRECTORY}" role="search"' in html
    assert f'hx-get="{DIRECTORY}" hx-target="#results" hx-swap="outerHTML" hx-push-url="true"' in html
    assert '<button type="submit" class="button">Search</button>' in html


def test_pages_keep_the_query(client, world, settings):
    settings.HELIX_PAGE_SIZE = 2
    response = client.get(DIRECTORY, {"q": "", "kind": ["company", "government", "knowledge_institution"]})
    assert result_names(response) == ["Acme Coatings", "Ghent Robotics Lab"]
    html = response.content.decode()
    assert 'href="?q=&amp;kind=company&amp;kind=government&amp;kind=knowledge_institution&amp;page=2"' in html
    second = client.get(
        DIRECTORY, {"q": "", "kind": ["company", "government", "knowledge_institution"], "page": 2}
    )
    assert result_names(second) == ["Province of Limburg"]


def test_staff_see_unpublished_organisations_in_the_directory(client, world):
    client.force_login(staff_user(world["cluster"]))
    assert "Hidden Foundry" in result_names(client.get(DIRECTORY))


# Organisation profile ---------------------------------------------------------------------------------------


def test_profile_shows_facts_sectors_sites_clusters_and_public_people_only(client, world):
    acme = world["acme"]
    PersonFactory(
        organisation=acme,
        first_name="Els",
        last_name="Public",
        email="els@acme.example",
        phone="+32 9 123 45 67",
        consent_public=True,
        job_title="CTO",
    )
    PersonFactory(organisation=acme, first_name="Jan", last_name="Private", email="jan@acme.example")
    response = client.get(acme.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Acme Coatings</h1>" in html
    assert acme.legal_identifier in html
    assert "Belgian enterprise number (KBO/BCE)" in html
    assert "Nederlands, English" in html
    assert "Manufacture of paints, varnishes and similar coatings" in html
    assert ">corrosion</a>" in html
    assert "9000 Gent" in html
    assert '<a href="geo:51.05000,3.72000">51.05000, 3.72000</a>' in html
    assert "Materials &amp; Manufacturing</a>" in html
    assert "Surface engineering" in html
    assert "Els Public" in html
    assert "CTO" in html
    assert "Jan Private" not in html
    assert "els@acme.example" not in html
    assert "+32 9 123 45 67" not in html
    assert "Edit</a>" not in html
    assert "Interactions" not in html
    assert "Letters of intent" not in html


def test_profile_shows_the_description_in_the_current_language_first(client, world):
    html = client.get(world["acme"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert html.index("Anticorrosiecoatings") < html.index("Anti-corrosion coatings")
    assert "Beschrijving (English)" in html


def test_unpublished_profile_is_404_for_anonymous_and_other_members(client, world):
    url = world["hidden"].get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(member_user(world["acme"]))
    assert client.get(url).status_code == 404


def test_unpublished_profile_is_visible_to_its_own_member_and_to_staff(client, world):
    url = world["hidden"].get_absolute_url()
    client.force_login(member_user(world["hidden"]))
    assert client.get(url).status_code == 200
    client.force_login(staff_user(world["cluster"]))
    assert client.get(url).status_code == 200


def test_own_member_sees_contact_data_and_an_edit_link(client, world):
    acme = world["acme"]
    PersonFactory(organisation=acme, first_name="Jan", last_name="Private", email="jan@acme.example")
    client.force_login(member_user(acme))
    html = client.get(acme.get_absolute_url()).content.decode()
    assert '<a href="mailto:jan@acme.example">jan@acme.example</a>' in html
    assert f'href="{reverse("registry:organisation_edit", args=[acme.slug])}">Edit</a>' in html
    assert "Interactions" not in html


def test_staff_see_letters_of_intent_interactions_and_the_log_form(client, world):
    acme, cluster = world["acme"], world["cluster"]
    staff = staff_user(cluster)
    LetterOfIntent.objects.create(
        organisation=acme, cluster=cluster, signed_on=dt.date(2016, 6, 3), signatory_name="An Peeters"
    )
    Interaction.objects.create(
        organisation=acme,
        cluster=cluster,
        kind="visit",
        logged_by=staff,
        summary="Toured the paint line.",
        needs_identified="Drying ovens",
    )
    client.force_login(staff)
    html = client.get(acme.get_absolute_url()).content.decode()
    assert "An Peeters" in html
    assert "Toured the paint line." in html
    assert "Drying ovens" in html
    assert f'action="{reverse("registry:interaction_create", args=[acme.slug])}"' in html


def test_unknown_profile_is_404(client, world):
    assert client.get(reverse("registry:organisation", args=["nobody"])).status_code == 404


# Clusters ---------------------------------------------------------------------------------------------------


@pytest.fixture
def surfmat():
    operator = OrganisationFactory(name="Agency", kind=OrganisationKind.CLUSTER_ORGANISATION, size_class="")
    cluster = ClusterFactory(
        slug="surfmat", name="SurfMat", founded_on=dt.date(2001, 3, 1), operator=operator
    )
    ClusterName.objects.create(
        cluster=cluster, name="Materials & Manufacturing", valid_from=dt.date(2021, 1, 1)
    )
    zone = DomainFactory(cluster=cluster, name="Coatings zone")
    companies = [OrganisationFactory(name=f"Company {n}") for n in range(3)]
    companies[2].is_published = False
    companies[2].save()
    university = OrganisationFactory(name="University", kind="knowledge_institution", size_class="")
    city = OrganisationFactory(name="City", kind="government", size_class="", government_level="local")
    gone = OrganisationFactory(name="Gone Ltd")
    for org, level in zip(
        [*companies, university, city],
        ["member", "strategic_partner", "member", "interested", "loi_signed"],
        strict=True,
    ):
        MembershipFactory(organisation=org, cluster=cluster, level=level).domains.add(zone)
    MembershipFactory(organisation=gone, cluster=cluster, level="left").domains.add(zone)
    group = AdvisoryGroup.objects.create(cluster=cluster, name="Coatings advisory group")
    AdvisorySeat.objects.create(
        group=group,
        is_chair=True,
        person=PersonFactory(
            organisation=companies[0], first_name="Els", last_name="Chair", consent_public=True
        ),
    )
    AdvisorySeat.objects.create(
        group=group,
        person=PersonFactory(
            organisation=university, first_name="Jan", last_name="Shy", consent_public=False
        ),
    )
    return cluster


def test_cluster_page_shows_name_history_operator_and_domains_with_member_counts(client, surfmat):
    response = client.get(surfmat.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Materials &amp; Manufacturing</h1>" in html
    assert [(n.name, n.valid_from.year) for n in response.context["names"]] == [
        ("SurfMat", 2001),
        ("Materials & Manufacturing", 2021),
    ]
    assert '<strong>SurfMat</strong> <span class="muted">from 2001</span>' in html
    assert ">Agency</a>" in html
    domains = [
        (d.name, d.member_count) for group in response.context["domain_groups"].values() for d in group
    ]
    assert domains == [("Coatings zone", 5)]


def test_cluster_page_shows_the_triple_helix_composition(client, surfmat):
    response = client.get(surfmat.get_absolute_url())
    assert response.context["composition"] == [
        Strand("industry", "Industry", 3, 60.0),
        Strand("research", "Research", 1, 20.0),
        Strand("public", "Public", 1, 20.0),
        Strand("intermediary", "Intermediary", 0, 0.0),
    ]
    html = response.content.decode()
    assert (
        '<svg class="helix-bar__segment strand--industry" width="60.0%" aria-hidden="true">'
        "<title>Industry: 3</title></svg>"
    ) in html
    assert "5 organisations on the engagement ladder" in html


def test_cluster_page_groups_visible_members_by_level(client, surfmat):
    response = client.get(surfmat.get_absolute_url())
    groups = [
        (label, [m.organisation.name for m in members])
        for _, label, members in response.context["member_groups"]
    ]
    assert groups == [
        ("Strategic partner", ["Company 1"]),
        ("Member", ["Company 0"]),
        ("Letter of intent signed", ["City"]),
        ("Interested", ["University"]),
    ]


def test_cluster_page_shows_advisory_groups_with_balance_and_only_public_names(client, surfmat):
    response = client.get(surfmat.get_absolute_url())
    (item,) = response.context["advisory"]
    assert [(e["name"], e["organisation"].name) for e in item["seats"]] == [
        ("Els Chair", "Company 0"),
        ("", "University"),
    ]
    assert [(s.value, s.count) for s in item["balance"]] == [
        ("industry", 1),
        ("research", 1),
        ("public", 0),
        ("intermediary", 0),
    ]
    html = response.content.decode()
    assert "Jan Shy" not in html
    assert "Name not public" in html


def test_cluster_list_links_every_cluster_with_its_current_name(client, surfmat):
    response = client.get(reverse("registry:cluster_list"))
    html = response.content.decode()
    assert f'<a href="{surfmat.get_absolute_url()}">Materials &amp; Manufacturing</a>' in html
    assert "5 organisations on the ladder" in html


def test_unknown_cluster_is_404(client):
    assert client.get(reverse("registry:cluster", args=["nope"])).status_code == 404


# Languages --------------------------------------------------------------------------------------------------


def test_dutch_pages_by_accept_language(client, world, surfmat):
    for url in (
        DIRECTORY,
        world["acme"].get_absolute_url(),
        surfmat.get_absolute_url(),
        reverse("registry:cluster_list"),
        reverse("login"),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
        assert (url, response.status_code, response["Content-Language"]) == (url, 200, "nl")
        assert '<html lang="nl">' in response.content.decode()


def test_language_switcher_sets_dutch(client, world):
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/clusters/"})
    assert (response.status_code, response["Location"]) == (302, "/clusters/")
    page = client.get("/clusters/")
    assert (page.status_code, page["Content-Language"]) == (200, "nl")


def test_navigation_links(client, world):
    html = client.get(DIRECTORY).content.decode()
    assert f'<a href="{DIRECTORY}" aria-current="page">Directory</a>' in html
    assert f'<a href="{reverse("registry:cluster_list")}">Clusters</a>' in html
    assert f'href="{reverse("login")}?next={DIRECTORY}"' in html
    assert reverse("admin:index") not in html
    client.force_login(staff_user(world["cluster"]))
    html = client.get(DIRECTORY).content.decode()
    assert f'<a href="{reverse("admin:index")}">Admin</a>' in html
    assert f'action="{reverse("logout")}"' in html


def test_the_stylesheet_and_htmx_are_found_by_the_static_files_finders():
    """base.html links them; without a finder for src/helix/static neither loads (nor is collected)."""
    assert [
        finders.find(path) is not None for path in ("helix/helix.css", "helix/vendor/htmx-2.0.11.min.js")
    ] == [
        True,
        True,
    ]


# Query counts -----------------------------------------------------------------------------------------------


def _populate(cluster, domain, start, stop):
    for n in range(start, stop):
        org = organisation(f"Company {n:03d}", sectors=["20.30", "62.10"], keywords=["coatings"])
        SiteFactory(organisation=org, name="Plant", city="Genk", region=Region.LIMBURG, is_headquarters=False)
        MembershipFactory(organisation=org, cluster=cluster, level="member").domains.add(domain)


@pytest.mark.parametrize("as_staff", [False, True])
def test_directory_query_count_does_not_grow_with_the_number_of_organisations(client, settings, as_staff):
    settings.HELIX_PAGE_SIZE = 50
    cluster = ClusterFactory(slug="big")
    domain = DomainFactory(cluster=cluster)
    if as_staff:
        client.force_login(staff_user(cluster))
    _populate(cluster, domain, 0, 3)
    small = count_queries(client, DIRECTORY)
    small_filtered = count_queries(client, DIRECTORY, q="company", region="limburg", cluster="big")
    _populate(cluster, domain, 3, 30)
    assert count_queries(client, DIRECTORY) == small
    assert count_queries(client, DIRECTORY, q="company", region="limburg", cluster="big") == small_filtered


def test_cluster_page_query_count_does_not_grow_with_the_number_of_members(client):
    cluster = ClusterFactory(slug="big")
    domain = DomainFactory(cluster=cluster)
    group = AdvisoryGroup.objects.create(cluster=cluster, name="Advisory")
    _populate(cluster, domain, 0, 3)
    for person in [PersonFactory(organisation=m.organisation) for m in cluster.memberships.all()]:
        AdvisorySeat.objects.create(group=group, person=person)
    small = count_queries(client, cluster.get_absolute_url())
    small_list = count_queries(client, reverse("registry:cluster_list"))
    _populate(cluster, domain, 3, 30)
    for membership in cluster.memberships.all()[3:]:
        AdvisorySeat.objects.create(group=group, person=PersonFactory(organisation=membership.organisation))
    ClusterFactory.create_batch(5)
    assert count_queries(client, cluster.get_absolute_url()) == small
    assert count_queries(client, reverse("registry:cluster_list")) == small_list
