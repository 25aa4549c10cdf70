"""Integration (issue 12, symbiosis): heat stated in MW, market needs read as flows, the reasons a flow has
no proposal, staff describing flows for a company, quality attributes as fields, labels not codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from helix.jobs.models import Job
from helix.market.models import Listing
from helix.registry.models import Region
from helix.symbiosis import market_reading, matching, visibility
from helix.symbiosis.models import AllocationRun, ResourceFlow, Synergy
from tests.factories import UserFactory, make_listing, staff_user
from tests.symbiosis.helpers import flow, organisation, world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def heat_fields(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "direction": "have",
        "kind": "heat",
        "title": "Furnace cooling heat",
        "supply_temperature_c": 90,
        "confidentiality": "members",
    }
    fields.update(overrides)
    return fields


# -- 1. heat in MW ---------------------------------------------------------------------------------------


def test_waste_heat_described_in_megawatts_is_accepted_and_counted_in_mwh_a_year() -> None:
    w = world()
    megawatts = flow(w.steel, **heat_fields(quantity=5, unit="MW", hours_per_year=6000))
    shown = visibility.flow_public_dict(w.steel_user, megawatts)
    assert (shown["per_year"], shown["base_unit"]) == (30_000.0, "MWh")
    kilowatts = flow(w.cement, **heat_fields(quantity=800, unit="kW", hours_per_year=5000))
    assert visibility.flow_public_dict(w.cement_user, kilowatts)["per_year"] == pytest.approx(4_000.0)
    energy = flow(w.grower, **heat_fields(quantity=2.5, unit="GWh", period="month"))
    assert visibility.flow_public_dict(w.staff, energy)["per_year"] == pytest.approx(30_000.0)


def test_heat_figures_that_contradict_each_other_are_refused_under_the_right_field() -> None:
    w = world()
    too_much = ResourceFlow(
        organisation=w.steel,
        site=w.steel.sites.first(),
        **heat_fields(quantity=50_000, unit="MWh", power_mw=5, hours_per_year=6000),
    )
    with pytest.raises(ValidationError) as info:
        too_much.full_clean()
    assert info.value.message_dict == {
        "quantity": [
            "50,000 MWh a year is more than 5 MW deliver in 6,000 hours (30,000 MWh): check the quantity, "
            "the power or the hours."
        ]
    }
    without_hours = ResourceFlow(
        organisation=w.steel, site=w.steel.sites.first(), **heat_fields(quantity=5, unit="MW")
    )
    with pytest.raises(ValidationError) as info:
        without_hours.full_clean()
    assert list(info.value.message_dict) == ["hours_per_year"]


def test_the_form_takes_megawatts_and_the_page_shows_the_energy(django_capture_on_commit_callbacks) -> None:
    w = world()
    client = logged_in(w.steel_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/symbiosis/flows/new/",
            {
                "direction": "have",
                "kind": "heat",
                "title": "Slag pit heat",
                "site": w.steel.sites.first().pk,
                "quantity": "5",
                "unit": "MW",
                "period": "year",
                "hours_per_year": "6000",
                "supply_temperature_c": "90",
                "confidentiality": "members",
                "status": "active",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = ResourceFlow.objects.get(title="Slag pit heat")
    page = client.get(f"/symbiosis/flows/{created.pk}/").content.decode()
    assert re.search(r'id="per-year">30[.,\u202f ]?000 MWh', page)
    assert "5 MW" in page
    assert "5 MW per year" not in page  # a power is a rate: no period


# -- 2. market needs and offers as flows -------------------------------------------------------------------


def test_a_city_heat_need_posted_in_the_market_is_matched_to_a_company_waste_heat() -> None:
    w = world()
    city = organisation("Stad Gent", "84.11", "Gent", 51.06, 3.73, Region.OOST_VLAANDEREN, w.cluster)
    need = make_listing(
        city,
        side="need",
        category="partner",
        title="Restwarmte gezocht voor ons warmtenet",
        description="De stad zoekt restwarmte op 70 °C voor een warmtenet in de Kanaalzone.",
        visibility="members",
    )

    matching.run_matching()

    derived = ResourceFlow.objects.get(listing=need)
    assert (derived.organisation, derived.direction, derived.kind, derived.supply_temperature_c) == (
        city,
        "want",
        "heat",
        70.0,
    )
    assert (derived.confidentiality, derived.status) == ("members", "active")
    synergy = Synergy.objects.get(have=w.heat, want=derived)
    assert "flag.from_market" in [code for code, _args in synergy.flag_codes]
    # the city sees the proposal on its flow; the page says where the flow comes from
    page = (
        logged_in(staff_user(w.cluster, "officer2")).get(f"/symbiosis/flows/{derived.pk}/").content.decode()
    )
    assert 'id="from-listing"' in page
    assert need.title in page


def test_a_listing_no_longer_published_closes_its_flow_and_offers_selling_the_means_are_not_flows() -> None:
    w = world()
    city = organisation("Stad Gent", "84.11", "Gent", 51.06, 3.73, Region.OOST_VLAANDEREN, w.cluster)
    need = make_listing(
        city, side="need", category="partner", title="Restwarmte gezocht", description="Voor ons warmtenet."
    )
    seller = make_listing(
        w.steel,
        side="offer",
        category="solution",
        title="Warmtepompen op restwarmte",
        description="Wij verkopen warmtepompen.",
    )
    market_reading.read_market()
    assert ResourceFlow.objects.filter(listing=need, status="active").count() == 1
    assert not ResourceFlow.objects.filter(listing=seller).exists()

    Listing.objects.filter(pk=need.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    market_reading.read_market()

    assert ResourceFlow.objects.get(listing=need).status == "closed"


# -- 3. why no proposal ------------------------------------------------------------------------------------


def test_the_flow_page_tells_its_owner_why_there_is_no_proposal() -> None:
    w = world()
    near_only = flow(
        w.cement,
        direction="want",
        kind="material",
        title="Slag, local only",
        ewc_code="100202",
        quantity=100,
        unit="t",
        max_distance_km=10,
        confidentiality="public",
    )
    lonely = flow(
        w.cement,
        direction="want",
        kind="co2",
        title="CO2 for curing",
        quantity=100,
        unit="t",
        confidentiality="public",
    )
    owner = logged_in(w.cement_user)

    far = owner.get(f"/symbiosis/flows/{near_only.pk}/").content.decode()
    nobody = owner.get(f"/symbiosis/flows/{lonely.pk}/").content.decode()
    outsider = logged_in(w.outsider_user).get(f"/symbiosis/flows/{near_only.pk}/").content.decode()

    assert 'id="why-no-proposal"' in far
    assert "1 counterpart is too far" in far
    assert "beyond the 10 km limit" in far
    assert 'data-code="no_counterpart"' in nobody
    assert 'id="why-no-proposal"' not in outsider  # the reasons are for its owner and its staff


# -- 4. staff describe flows for a company; a refusal says why ------------------------------------------


def test_cluster_staff_describe_a_flow_on_behalf_of_a_company(django_capture_on_commit_callbacks) -> None:
    w = world()
    client = logged_in(w.staff)

    chooser = client.get("/symbiosis/flows/new/")
    assert chooser.status_code == 200
    names = [o.name for o in chooser.context["organisations"]]
    assert "Staalwerk Gent" in names
    assert "Buiten BV" not in names  # not in the officer's cluster
    assert "Describe a flow" in client.get("/symbiosis/").content.decode()
    form = client.get(f"/symbiosis/flows/new/?organisation={w.steel.pk}")
    assert form.status_code == 200
    assert "For Staalwerk Gent" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(
            "/symbiosis/flows/new/",
            {
                "organisation_id": w.steel.pk,
                "direction": "have",
                "kind": "water",
                "title": "Cooling water return",
                "site": w.steel.sites.first().pk,
                "quantity": "300",
                "unit": "m3",
                "period": "day",
                "confidentiality": "members",
                "status": "active",
            },
        )
    assert saved.status_code == 302
    created = ResourceFlow.objects.get(title="Cooling water return")
    assert (created.organisation, created.created_by) == (w.steel, w.staff)
    assert client.get(f"/symbiosis/flows/{created.pk}/edit/").status_code == 200


def test_a_refused_user_is_told_why_and_what_to_do() -> None:
    w = world()
    staff = logged_in(w.staff)
    outside = staff.get(f"/symbiosis/flows/new/?organisation={w.outsider.pk}")
    assert outside.status_code == 403
    assert "Only the people of an organisation and the staff of its clusters describe its flows" in (
        outside.content.decode()
    )
    edit = logged_in(w.steel_user).get(f"/symbiosis/flows/{w.slag_want.pk}/edit/")
    assert edit.status_code == 403
    assert "Only the people of the organisation that describes this flow and the staff of its clusters" in (
        edit.content.decode()
    )
    loner = logged_in(UserFactory(username="loner")).get("/symbiosis/flows/new/")
    assert loner.status_code == 403
    assert "Your account belongs to no organisation" in loner.content.decode()


# -- 5. quality attributes as fields -----------------------------------------------------------------------


def test_quality_attributes_are_form_fields_stored_as_before_and_others_are_kept() -> None:
    w = world()
    pellets = flow(
        w.cement,
        direction="want",
        kind="material",
        title="Sawdust for pellets",
        ewc_code="030105",
        quantity=100,
        unit="t",
        quality={"moisture_pct_max": 15, "ash_pct_max": 2},
    )
    client = logged_in(w.cement_user)
    form = client.get(f"/symbiosis/flows/{pellets.pk}/edit/").context["form"]
    assert form.initial["quality_moisture_pct"] == 15
    fields = {
        "direction": "want",
        "kind": "material",
        "title": "Sawdust for pellets",
        "site": w.cement.sites.first().pk,
        "ewc_code": "030105",
        "quantity": "100",
        "unit": "t",
        "period": "year",
        "confidentiality": "members",
        "status": "active",
        "quality_moisture_pct": "12",
        "quality_purity_pct": "95",
        "physical_form": "granular",
    }
    assert client.post(f"/symbiosis/flows/{pellets.pk}/edit/", fields).status_code == 302
    pellets.refresh_from_db()
    assert pellets.quality == {"ash_pct_max": 2, "moisture_pct_max": 12.0, "purity_pct_min": 95.0}
    assert pellets.physical_form == "granular"

    refused = client.post(f"/symbiosis/flows/{pellets.pk}/edit/", {**fields, "quality_purity_pct": "150"})
    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["quality_purity_pct"]
    assert "Purity (%)" in refused.content.decode()  # the summary names the field


# -- 8. labels, not codes ----------------------------------------------------------------------------------


def test_pages_show_quality_and_region_labels_not_codes() -> None:
    w = world()
    pellets = flow(
        w.cement,
        direction="want",
        kind="material",
        title="Sawdust for pellets",
        ewc_code="030105",
        quantity=100,
        unit="t",
        quality={"moisture_pct_max": 15},
        physical_form="granular",
        confidentiality="public",
    )
    page = logged_in(w.cement_user).get(f"/symbiosis/flows/{pellets.pk}/").content.decode()
    assert "<dt>Moisture</dt><dd>at most 15 %</dd>" in page
    assert "Powder, granules or chips" in page
    assert "moisture_pct_max" not in page
    AllocationRun.objects.create(region=Region.OOST_VLAANDEREN, created_by=w.staff)
    dashboard = logged_in(w.staff).get("/symbiosis/dashboard/").content.decode()
    [run_link] = re.findall(r'href="/symbiosis/allocations/\d+/">([^<]*)</a>', dashboard)
    assert run_link.strip().endswith("Oost-Vlaanderen")
    job = matching.start_matching(w.staff, Region.OOST_VLAANDEREN)
    assert job.title == "Symbiosis matching Oost-Vlaanderen"


# -- 6. the job page links to the result -----------------------------------------------------------------


def test_after_propose_exchanges_the_job_page_links_to_the_proposals(
    django_capture_on_commit_callbacks,
) -> None:
    w = world()
    client = logged_in(w.staff)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/symbiosis/match/", {"region": ""})
    job = Job.objects.get(kind="symbiosis-match")
    assert started.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "succeeded"
    page = client.get(started.url).content.decode()
    assert 'class="button job-result" href="/symbiosis/synergies/?state=proposed"' in page
    assert "See the proposed exchanges" in page


def test_after_an_allocation_the_job_page_links_to_it(django_capture_on_commit_callbacks) -> None:
    w = world()
    client = logged_in(w.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/symbiosis/allocate/", {"region": "", "fixed_cost_per_link": "0"})
    run = AllocationRun.objects.get()
    page = client.get(f"/jobs/{run.job_id}/").content.decode()
    assert f'href="/symbiosis/allocations/{run.pk}/"' in page
    assert "See the allocation" in page
