"""Integration: the funds API answers as the pages do: instruments and their terms for anyone signed in, the
whole ledger for its staff and a beneficiary's own entries for its people; bookings for staff, refused
as 409 with each reason under its field and nothing written (helix.api.funds)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from helix.funds import services
from helix.funds.models import Instrument, LedgerEntry
from tests.factories.registry import ClusterFactory, OrganisationFactory, member_user, staff_user
from tests.helpers.clients import api_client

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

D = Decimal
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def flux():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(slug="flux", name="Flux")
    staff = staff_user(cluster, "flux_staff")
    heat = OrganisationFactory(name="Smart Heat", slug="smart-heat", is_published=True)
    grid = OrganisationFactory(name="Grid Works", slug="grid-works", is_published=True)
    subsidy = Instrument.objects.create(
        cluster=cluster, key="flux-subsidy", name="Flux subsidy", kind="subsidy", budget_eur=D("100000")
    )
    portfolio = Instrument.objects.create(
        key="sme-portfolio",
        name="SME portfolio",
        kind="voucher",
        de_minimis=True,
        caps=[
            {
                "id": "per-entrepreneur",
                "kind": "per_beneficiary_per_year",
                "limit_eur": 15000,
                "instruments": ["sme-portfolio"],
            }
        ],
    )
    services.commit(staff, subsidy, heat, "40000.00", DAY, project_ref="HEAT-1")
    services.commit(staff, subsidy, grid, "25000.00", DAY, project_ref="GRID-1")
    services.commit(staff, portfolio, heat, "12000.00", DAY)
    return {"staff": staff, "heat": heat, "grid": grid, "heat_person": member_user(heat, "heat_person")}


def _post(client, path, **body):  # type: ignore[no-untyped-def]
    data = {"beneficiary": "smart-heat", "amount_eur": "1000.00", "on": "2026-05-04", **body}
    return client.post(f"/api/funds/instruments/{path}", data, content_type="application/json")


def test_instruments_are_for_those_signed_in(flux):  # type: ignore[no-untyped-def]
    assert api_client().get("/api/funds/instruments").status_code == 401
    listed = api_client(flux["heat_person"]).get("/api/funds/instruments").json()
    assert listed == {
        "items": [
            {
                "key": "flux-subsidy",
                "name": "Flux subsidy",
                "kind": "subsidy",
                "cluster": "flux",
                "budget_eur": "100000.00",
                "de_minimis": False,
            },
            {
                "key": "sme-portfolio",
                "name": "SME portfolio",
                "kind": "voucher",
                "cluster": None,
                "budget_eur": None,
                "de_minimis": True,
            },
        ],
        "count": 2,
    }


def test_an_instrument_says_its_caps_and_shows_its_ledger_to_its_staff_only(flux):  # type: ignore[no-untyped-def]
    mine = api_client(flux["heat_person"]).get("/api/funds/instruments/sme-portfolio").json()
    assert mine["caps"] == [
        {
            "id": "per-entrepreneur",
            "kind": "per_beneficiary_per_year",
            "limit_eur": "15000.00",
            "instruments": ["sme-portfolio"],
            "years": None,
            "text": "At most EUR 15,000.00 a year per beneficiary.",
        },
        {
            "id": "de_minimis",
            "kind": "de_minimis",
            "limit_eur": "300000.00",
            "instruments": [],
            "years": 3,
            "text": "De minimis aid: at most EUR 300,000.00 per single undertaking over any 3 years, across "
            "every de minimis instrument.",
        },
    ]
    assert mine["ledger"] is None
    staff = api_client(flux["staff"]).get("/api/funds/instruments/flux-subsidy").json()
    assert staff["ledger"] == {
        "total": {
            "committed_eur": "65000.00",
            "disbursed_eur": "0.00",
            "repaid_eur": "0.00",
            "leveraged_eur": "0.00",
        },
        "budget_headroom_eur": "35000.00",
        "beneficiaries": [
            {
                "committed_eur": "25000.00",
                "disbursed_eur": "0.00",
                "repaid_eur": "0.00",
                "leveraged_eur": "0.00",
                "organisation": "grid-works",
                "name": "Grid Works",
            },
            {
                "committed_eur": "40000.00",
                "disbursed_eur": "0.00",
                "repaid_eur": "0.00",
                "leveraged_eur": "0.00",
                "organisation": "smart-heat",
                "name": "Smart Heat",
            },
        ],
    }
    assert api_client(flux["staff"]).get("/api/funds/instruments/no-such").status_code == 404


def test_entries_are_every_entry_for_staff_and_the_beneficiarys_own_for_its_people(flux):  # type: ignore[no-untyped-def]
    def beneficiaries(user):  # type: ignore[no-untyped-def]
        items = api_client(user).get("/api/funds/instruments/flux-subsidy/entries").json()["items"]
        return [(e["beneficiary"], e["amount_eur"]) for e in items]

    assert beneficiaries(flux["staff"]) == [("smart-heat", "40000.00"), ("grid-works", "25000.00")]
    assert beneficiaries(flux["heat_person"]) == [("smart-heat", "40000.00")]
    assert beneficiaries(member_user(flux["grid"], "grid_person")) == [("grid-works", "25000.00")]
    outsider = member_user(OrganisationFactory(slug="outsider"), "outsider")
    assert beneficiaries(outsider) == []


def test_staff_commit_and_get_the_entry(flux):  # type: ignore[no-untyped-def]
    answer = _post(api_client(flux["staff"]), "flux-subsidy/commit", project_ref="HEAT-2", note="phase 2")
    assert answer.status_code == 201
    entry = LedgerEntry.objects.order_by("pk").last()
    assert answer.json() == {
        "id": entry.pk,
        "instrument": "flux-subsidy",
        "beneficiary": "smart-heat",
        "beneficiary_name": "Smart Heat",
        "kind": "committed",
        "amount_eur": "1000.00",
        "gross_grant_equivalent_eur": None,
        "on": "2026-05-04",
        "project_ref": "HEAT-2",
        "note": "phase 2",
    }


def test_a_commitment_over_a_cap_is_409_with_each_cap_and_nothing_is_written(flux):  # type: ignore[no-untyped-def]
    before = LedgerEntry.objects.count()
    answer = _post(api_client(flux["staff"]), "sme-portfolio/commit", amount_eur="4000.00")
    assert answer.status_code == 409
    assert answer.json() == {
        "detail": "The commitment of EUR 4,000.00 is refused whole: it would go over a cap.",
        "code": "funds.over_cap",
        "problems": [
            {
                "code": "cap.per_beneficiary_per_year.exceeded",
                "field": None,
                "text": "At most EUR 15,000.00 a year per beneficiary: EUR 12,000.00 is committed in 2026 "
                "already, so EUR 4,000.00 is over the EUR 3,000.00 left.",
            }
        ],
    }
    assert LedgerEntry.objects.count() == before


def test_a_payout_over_the_commitment_is_409_under_the_amount_in_the_callers_language(flux):  # type: ignore[no-untyped-def]
    answer = api_client(flux["staff"]).post(
        "/api/funds/instruments/flux-subsidy/disburse",
        {"beneficiary": "smart-heat", "amount_eur": "50000.00", "on": "2026-05-04", "project_ref": "HEAT-1"},
        content_type="application/json",
        headers={"Accept-Language": "nl"},
    )
    assert answer.status_code == 409
    body = answer.json()
    assert (body["code"], [(p["code"], p["field"]) for p in body["problems"]]) == (
        "funds.entry_refused",
        [("ledger.disbursed_over_committed", "amount_eur")],
    )
    assert body["detail"] == "De boeking kan niet worden verwerkt:"


def test_only_those_who_may_book_book(flux):  # type: ignore[no-untyped-def]
    before = LedgerEntry.objects.count()
    assert _post(api_client(flux["heat_person"]), "flux-subsidy/commit").status_code == 403
    other = staff_user(ClusterFactory(slug="other"), "other_staff")
    assert _post(api_client(other), "flux-subsidy/commit").status_code == 403
    assert _post(api_client(), "flux-subsidy/commit").status_code == 401
    assert LedgerEntry.objects.count() == before


def test_an_unknown_beneficiary_or_an_amount_in_fractions_of_a_cent_is_422(flux):  # type: ignore[no-untyped-def]
    client = api_client(flux["staff"])
    unknown = _post(client, "flux-subsidy/commit", beneficiary="nobody")
    assert (unknown.status_code, unknown.json()["detail"][0]["loc"]) == (
        422,
        ["body", "payload", "beneficiary"],
    )
    cents = _post(client, "flux-subsidy/commit", amount_eur="10.005")
    assert (cents.status_code, cents.json()["detail"][0]["loc"]) == (422, ["body", "payload", "amount_eur"])


def test_checking_a_commitment_says_each_cap_and_writes_nothing(flux):  # type: ignore[no-untyped-def]
    before = LedgerEntry.objects.count()
    answer = _post(api_client(flux["staff"]), "sme-portfolio/check", amount_eur="4000.00")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["allowed"], body["problems"]) == (False, [])
    assert [(c["cap"], c["passed"], c["used_eur"], c["headroom_eur"]) for c in body["caps"]] == [
        ("per-entrepreneur", False, "12000.00", "3000.00"),
        ("de_minimis", True, "12000.00", "288000.00"),
    ]
    assert LedgerEntry.objects.count() == before
