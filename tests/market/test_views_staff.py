"""Integration: the staff page "who should meet whom" (filters, CSV and XLSX exports, feedback counts,
weights, the learning and re-indexing jobs) and the admin of needs and offers."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from helix.jobs.models import Job, JobStatus
from helix.market.engine import current_weights
from helix.market.feedback import record_feedback
from helix.market.meeting_requests import request_meeting
from helix.market.models import Feedback, Listing, ListingVector, RankerWeights, Verdict
from helix.market.views.staff import EXPORT_COLUMNS
from helix.registry.models import OrganisationKind, Region
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    make_listing,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PAGE = reverse("market:who_meets_whom")


def company(name, slug, cluster, *, region=Region.OOST_VLAANDEREN, **fields):
    organisation = OrganisationFactory(name=name, slug=slug, **fields)
    SiteFactory(organisation=organisation, region=region)
    MembershipFactory(organisation=organisation, cluster=cluster)
    return organisation


@pytest.fixture
def world():
    energy = ClusterFactory(slug="energy", name="Energy Cluster")
    heat = DomainFactory(cluster=energy, name="Groene warmte")
    mobility = DomainFactory(cluster=energy, name="Slimme mobiliteit")
    elsewhere = ClusterFactory(slug="food", name="Food Cluster")
    city = company(
        "Stad Gent",
        "stad-gent",
        energy,
        kind=OrganisationKind.GOVERNMENT,
        size_class="",
        government_level="local",
    )
    bakery = company("Bakkerij Peeters", "bakkerij", energy, region=Region.LIMBURG)
    heatco = company("Warmte BV", "warmte-bv", energy)
    chargers = company("Laadpalen NV", "laadpalen", energy)
    needs = {
        "heat": make_listing(
            city,
            "need",
            "Heat pump for the district heating network",
            "A large heat pump feeding residual heat into the district heating network.",
            domains=[heat],
        ),
        "charging": make_listing(
            city,
            "need",
            "Charging stations for electric buses",
            "Fast charging stations for the electric bus depot.",
            domains=[mobility],
        ),
        "oven": make_listing(
            bakery,
            "need",
            "Residual heat from our ovens",
            "Recover residual heat from bakery ovens for a heating network.",
            domains=[heat],
        ),
    }
    offers = {
        "heat": make_listing(
            heatco,
            "offer",
            "Large heat pumps for district heating",
            "Heat pump systems for district heating networks using residual heat.",
            domains=[heat],
        ),
        "charging": make_listing(
            chargers,
            "offer",
            "Fast charging stations for electric buses and trucks",
            "Charging stations for electric bus depots and truck fleets.",
            domains=[mobility],
        ),
    }
    return {
        "energy": energy,
        "elsewhere": elsewhere,
        "heat": heat,
        "mobility": mobility,
        "city": city,
        "bakery": bakery,
        "heatco": heatco,
        "needs": needs,
        "offers": offers,
        "staff": staff_user(energy, "energy-staff"),
        "member": member_user(city, "citizen"),
    }


def page_pairs(response):
    return [(row["need"].pk, row["offer"].pk) for row in response.context["rows"]]


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="who-should-meet-whom.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    return rows[1:]


def xlsx_rows(response):
    assert response["Content-Disposition"] == 'attachment; filename="who-should-meet-whom.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    return rows[1:]


# Who may see the page ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_page_and_its_exports_and_jobs_are_403_for_members(client, world):
    client.force_login(world["member"])
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE, {"format": "csv"}).status_code == 403
    assert client.post(reverse("market:learn_weights")).status_code == 403
    assert client.post(reverse("market:reindex")).status_code == 403
    assert Job.objects.count() == 0


# Pairs and filters -------------------------------------------------------------------------------------


def test_staff_see_each_need_with_its_best_offer(client, world):
    client.force_login(world["staff"])
    response = client.get(PAGE)
    assert response.status_code == 200
    needs, offers = world["needs"], world["offers"]
    pairs = set(page_pairs(response))
    assert {
        (needs["heat"].pk, offers["heat"].pk),
        (needs["charging"].pk, offers["charging"].pk),
        (needs["oven"].pk, offers["heat"].pk),
    } <= pairs
    scores = [row["score"] for row in response.context["rows"]]
    assert scores == sorted(scores, reverse=True)
    html = response.content.decode()
    assert "<strong>Stad Gent</strong>" in html
    assert "same domain: Groene warmte" in html


def test_filter_by_domain_keeps_only_needs_of_that_domain(client, world):
    client.force_login(world["staff"])
    response = client.get(PAGE, {"domain": world["mobility"].pk})
    assert {need for need, _ in page_pairs(response)} == {world["needs"]["charging"].pk}
    response = client.get(PAGE, {"domain": world["heat"].pk, "per_need": 1})
    assert sorted(page_pairs(response)) == sorted(
        [
            (world["needs"]["heat"].pk, world["offers"]["heat"].pk),
            (world["needs"]["oven"].pk, world["offers"]["heat"].pk),
        ]
    )


def test_filter_by_kind_region_and_minimum_score(client, world):
    client.force_login(world["staff"])
    assert {n for n, _ in page_pairs(client.get(PAGE, {"kind": "company"}))} == {world["needs"]["oven"].pk}
    assert {n for n, _ in page_pairs(client.get(PAGE, {"region": "limburg"}))} == {world["needs"]["oven"].pk}
    assert page_pairs(client.get(PAGE, {"min_score": "5"})) == []
    html = client.get(PAGE, {"min_score": "5"}).content.decode()
    assert "No pair in this scope." in html


def test_pairs_per_need_is_limited_to_one_to_ten(client, world):
    client.force_login(world["staff"])
    response = client.get(PAGE, {"per_need": "1"})
    needs = [n for n, _ in page_pairs(response)]
    assert sorted(needs) == sorted(set(needs))
    response = client.get(PAGE, {"per_need": "50"})
    assert "per_need" in response.context["form"].errors
    assert response.status_code == 200


def test_cluster_filter_offers_only_the_staffs_own_clusters(client, world):
    client.force_login(world["staff"])
    form = client.get(PAGE).context["form"]
    assert [value for value, _ in form.fields["cluster"].choices] == ["", "energy"]
    domains = [label for label, _ in form.fields["domain"].choices[1:]]
    assert domains == ["Energy Cluster"]


# Exports -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"domain": "heat"}, {"per_need": "1", "kind": "government"}])
def test_csv_and_xlsx_exports_hold_the_pairs_of_the_page(client, world, params):
    if params.get("domain") == "heat":
        params = {**params, "domain": world["heat"].pk}
    client.force_login(world["staff"])
    expected = page_pairs(client.get(PAGE, params))
    assert expected
    from_csv = csv_rows(client.get(PAGE, {**params, "format": "csv"}))
    from_xlsx = xlsx_rows(client.get(PAGE, {**params, "format": "xlsx"}))
    assert [(int(row[0]), int(row[4])) for row in from_csv] == expected
    assert [(row[0], row[4]) for row in from_xlsx] == expected
    need, offer = Listing.objects.get(pk=expected[0][0]), Listing.objects.get(pk=expected[0][1])
    first = from_xlsx[0]
    assert first[1:4] == (need.organisation.name, need.title, need.language)
    assert first[5:8] == (offer.organisation.name, offer.title, offer.language)
    assert isinstance(first[8], float)
    assert from_csv[0][9] == first[9]
    assert "shared words:" in first[9]


def test_exports_escape_text_a_spreadsheet_would_run_as_a_formula(client, world):
    make_listing(
        world["bakery"],
        "offer",
        '=HYPERLINK("http://evil.example","heat pump")',
        "Heat pump for district heating networks and residual heat.",
        domains=[world["heat"]],
    )
    client.force_login(world["staff"])
    titles_csv = {row[6] for row in csv_rows(client.get(PAGE, {"format": "csv", "per_need": 5}))}
    titles_xlsx = {row[6] for row in xlsx_rows(client.get(PAGE, {"format": "xlsx", "per_need": 5}))}
    escaped = '\'=HYPERLINK("http://evil.example","heat pump")'
    assert escaped in titles_csv
    assert escaped in titles_xlsx


# Feedback, weights and jobs ----------------------------------------------------------------------------


def test_page_shows_feedback_counts_and_the_weights_in_use(client, world):
    needs, offers = world["needs"], world["offers"]
    record_feedback(world["member"], needs["heat"], offers["heat"], Verdict.RELEVANT)
    record_feedback(world["member"], needs["charging"], offers["charging"], Verdict.RELEVANT)
    record_feedback(world["member"], needs["charging"], offers["heat"], Verdict.NOT_RELEVANT)
    client.force_login(world["staff"])
    response = client.get(PAGE)
    counts = dict(response.context["feedback_counts"])
    assert (counts["Relevant"], counts["Not relevant"], counts["Agreement reached"]) == (2, 1, 0)
    assert response.context["feedback_total"] == 3
    html = response.content.decode()
    assert "<dt>Relevant</dt><dd>2</dd>" in html
    assert "<dt>Similar text</dt><dd>1.000</dd>" in html
    assert "<dt>Domain</dt><dd>0.120</dd>" in html


def test_learn_weights_button_starts_a_job_and_shows_its_page(client, world):
    needs, offers = world["needs"], world["offers"]
    for n in range(12):
        user = member_user(world["city"], f"rater{n}")
        record_feedback(user, needs["heat"], offers["heat"], Verdict.RELEVANT)
        record_feedback(user, needs["heat"], offers["charging"], Verdict.NOT_RELEVANT)
    client.force_login(world["staff"])
    response = client.post(reverse("market:learn_weights"))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.created_by) == (
        "market.learn_weights",
        JobStatus.SUCCEEDED,
        world["staff"],
    )
    assert Feedback.objects.count() == 24
    assert job.result["changed"] is True
    learned = RankerWeights.objects.get().values
    assert job.result["weights"] == learned == dict(current_weights().values)
    assert client.get(response["Location"]).status_code == 200


def test_reindex_button_starts_a_job_that_stores_every_vector(client, world):
    ListingVector.objects.all().delete()
    client.force_login(world["staff"])
    response = client.post(reverse("market:reindex"))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.result["listings"]) == ("market.reindex", JobStatus.SUCCEEDED, 5)
    assert ListingVector.objects.count() == 5
    assert client.get(PAGE).status_code == 200


def test_jobs_are_started_by_post_only(client, world):
    client.force_login(world["staff"])
    assert client.get(reverse("market:learn_weights")).status_code == 405
    assert client.get(reverse("market:reindex")).status_code == 405


# Admin ---------------------------------------------------------------------------------------------------


def test_admin_lists_and_searches_listings_and_shows_feedback_meetings_and_weights(client, world):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    record_feedback(
        world["member"], world["needs"]["heat"], world["offers"]["heat"], Verdict.RELEVANT
    )
    request_meeting(world["member"], world["needs"]["heat"], world["offers"]["heat"])
    client.force_login(admin)
    response = client.get(reverse("admin:market_listing_changelist"), {"q": "charging"})
    assert response.status_code == 200
    assert sorted(x.title for x in response.context["cl"].result_list) == [
        "Charging stations for electric buses",
        "Fast charging stations for electric buses and trucks",
    ]
    for name in ("feedback", "meetingrequest", "rankerweights"):
        assert client.get(reverse(f"admin:market_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:market_feedback_add")).status_code == 403


def test_admin_saves_a_listing_through_the_services(client, world):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    listing = world["offers"]["heat"]
    url = reverse("admin:market_listing_change", args=[listing.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "title": "Warmtepompen voor warmtenetten",
            "description": "Wij bouwen grote warmtepompen voor de warmtenetten van steden en bedrijven.",
            "organisation": listing.organisation_id,
            "domains": [d.pk for d in listing.domains.all()],
            "sectors": [],
            "keywords": [],
            "site": "",
            "trl": "",
            "budget_min": "",
            "budget_max": "",
            "deadline": "",
            "expires_on": listing.expires_on.isoformat(),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    listing.refresh_from_db()
    assert (listing.title, listing.language, listing.revision) == ("Warmtepompen voor warmtenetten", "nl", 2)
    assert "warmtepompen" in listing.search_text
