"""Integration: the directory (helix.registry.views) and what every registry page shares — language
switching, navigation, static files — seen through the Django test client as an anonymous visitor, a
member user and cluster staff."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import (
    ClusterFactory,
    DomainFactory,
    staff_user,
)
from tests.helpers.queries import count_queries
from tests.registry.helpers import populate

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


HTMX = {"HTTP_HX_REQUEST": "true"}


DIRECTORY = reverse("registry:directory")


def result_names(response):
    return [o.name for o in response.context["page_obj"].object_list]


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


@pytest.mark.parametrize("as_staff", [False, True])
def test_directory_query_count_does_not_grow_with_the_number_of_organisations(client, settings, as_staff):
    settings.HELIX_PAGE_SIZE = 50
    cluster = ClusterFactory(slug="big")
    domain = DomainFactory(cluster=cluster)
    if as_staff:
        client.force_login(staff_user(cluster))
    populate(cluster, domain, 0, 3)
    small = count_queries(client, DIRECTORY)
    small_filtered = count_queries(client, DIRECTORY, q="company", region="limburg", cluster="big")
    populate(cluster, domain, 3, 30)
    assert count_queries(client, DIRECTORY) == small
    assert count_queries(client, DIRECTORY, q="company", region="limburg", cluster="big") == small_filtered
