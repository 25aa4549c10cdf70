"""Integration: ``helix match reindex``, ``learn``, ``suggest`` and ``pairs`` on the stored listings."""

from __future__ import annotations

import csv
import json
from types import SimpleNamespace

import openpyxl
import pytest
from click.testing import CliRunner

from helix.cli import main
from helix.market.feedback import record_feedback
from helix.market.models import Feedback, Listing, ListingVector, RankerWeights
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_listing,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def world():
    tech = ClusterFactory(slug="tech")
    energy = DomainFactory(cluster=tech, slug="energy", name="Energy")
    city = OrganisationFactory(name="City of Gent", slug="city")
    installer = OrganisationFactory(name="Heat Installers", slug="installer")
    bakery = OrganisationFactory(name="Bakery", slug="bakery")
    for organisation in (city, installer, bakery):
        MembershipFactory(organisation=organisation, cluster=tech)
    return SimpleNamespace(
        tech=tech,
        city=city,
        installer=installer,
        staff=staff_user(tech),
        city_user=member_user(city, "city-user"),
        need=make_listing(
            city,
            "need",
            "Heat pumps for social housing",
            "We renovate social housing and want heat pumps with solar panels.",
            domains=[energy],
        ),
        offer=make_listing(
            installer,
            "offer",
            "Heat pumps installed in social housing",
            "We install heat pumps and solar panels in social housing.",
            domains=[energy],
        ),
        members_offer=make_listing(
            installer,
            "offer",
            "Heat pumps for members only",
            "Heat pumps for social housing, members of our cluster only.",
            visibility="members",
        ),
        bread=make_listing(bakery, "offer", "Bread baking courses", "Learn to bake sourdough bread."),
    )


def helix(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# --- reindex and learn --------------------------------------------------------------------------------


def test_reindex_stores_a_vector_per_listing_and_skips_current_ones(world):
    ListingVector.objects.all().delete()

    first = helix("match", "reindex")
    second = helix("match", "reindex")

    assert first.exit_code == 0, first.output
    assert ListingVector.objects.count() == Listing.objects.count() == 4
    assert first.stdout.startswith("Re-indexed 4 listings in ")
    assert ": embedded 4, 0 already current (encoder hashing" in first.stdout
    assert ": embedded 0, 4 already current (encoder " in second.stdout


def test_learn_keeps_the_weights_without_enough_feedback(world):
    record_feedback(world.city_user, world.need, world.offer, "relevant")

    result = helix("match", "learn")

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Weights unchanged (default weights): 1 positive and 0 negative verdicts, 10 of each are needed.\n"
    )
    assert RankerWeights.objects.count() == 0


def test_learn_fits_new_weights_and_prints_old_new_and_accuracy(world):
    neutral = {"domain": 0.5, "sector": 0.5, "trl": 0.5, "distance": 0.5, "kind": 0.5, "category": 0.5}
    for i in range(12):
        user = UserFactory(username=f"judge{i}")
        for verdict, text, keywords in (("relevant", 0.8, 1.0), ("not_relevant", 0.2, 0.0)):
            features = {"text": text, "keywords": keywords, "budget": 0.5, **neutral}
            Feedback.objects.create(
                user=user, need=world.need, offer=world.offer, verdict=verdict, score=0, features=features
            )

    result = helix("match", "learn")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["feature", "old", "new"]
    assert [line.split()[0] for line in lines[1:10]] == [
        "text", "domain", "sector", "trl", "distance", "kind", "category", "keywords", "budget"
    ]  # fmt: skip
    row = RankerWeights.objects.get()
    assert lines[1].split() == ["text", "1.000", f"{row.values['text']:.3f}"]
    assert lines[10] == (
        "Accuracy on the feedback (share of relevant/not relevant pairs ordered right): 100.0% before, "
        "100.0% after"
    )
    assert lines[11] == "New weights in use: learned from 12 positive and 12 negative verdicts."


# --- suggest ------------------------------------------------------------------------------------------


def test_suggest_prints_counterparts_with_their_reasons(world):
    result = helix("match", "suggest", world.need.pk, "--top", "2")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Need #{world.need.pk}: Heat pumps for social housing (City of Gent)"
    assert lines[1].endswith(
        f"offer #{world.offer.pk}  Heat pumps installed in social housing (Heat Installers)"
    )
    assert lines[2].lstrip().startswith("+")
    assert "similar text: meaning similarity" in lines[2]
    assert "shared words: Heat, pumps" in lines[2]
    assert any("domain: same domain: Energy" in line for line in lines[2:5])
    assert f"#{world.members_offer.pk}" not in result.stdout  # the public may not see it
    # Last line only: bm25s logs "Building index from IDs" at DEBUG to the root handler (see the report).
    assert result.stderr.splitlines()[-1] == (
        f"2 suggestion(s) for listing {world.need.pk}, as the public sees them (give --as USERNAME for more)"
    )


def test_suggest_as_a_user_sees_what_they_may_see_as_json(world):
    result = helix("match", "suggest", world.need.pk, "--as", "city-user", "--format", "json")

    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert {s["id"] for s in found} == {world.offer.pk, world.members_offer.pk, world.bread.pk}
    best = found[0]
    assert (best["rank"], best["organisation"], best["side"]) == (1, "installer", "offer")
    assert best["reasons"][0]["feature"] == "text"
    assert best["score"] == pytest.approx(sum(r["contribution"] for r in best["reasons"]), abs=1e-4)
    assert {"Heat", "pumps", "social", "housing"} <= set(best["terms"])


def test_suggest_for_an_unknown_listing_fails(world):
    result = helix("match", "suggest", 9999)
    assert (result.exit_code, result.stderr) == (1, "Error: no listing 9999\n")


# --- pairs --------------------------------------------------------------------------------------------


def test_pairs_writes_a_csv_that_reads_back(world, tmp_path):
    out = tmp_path / "pairs.csv"

    result = helix("match", "pairs", "--cluster", "tech", "--per-need", "2", "--output", out, "--as", "staff")

    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["need_id"], r["offer_id"]) for r in rows] == [(str(world.need.pk), str(world.offer.pk))]
    row = rows[0]
    assert (row["need_organisation"], row["offer_organisation"]) == ("City of Gent", "Heat Installers")
    assert row["shared_words"].startswith("Heat, pumps")
    assert "domain: same domain: Energy" in row["reasons"]
    assert float(row["score"]) > 0
    # Last line only: bm25s logs "Building index from IDs" at DEBUG to the root handler (see the report).
    assert result.stderr.splitlines()[-1] == f"1 pair(s) of organisations that should meet -> {out}"


def test_pairs_writes_a_workbook(world, tmp_path):
    out = tmp_path / "pairs.xlsx"
    result = helix("match", "pairs", "--output", out, "--as", "staff")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "score", "need_id", "need_title", "need_organisation", "offer_id", "offer_title", "offer_organisation"
    )  # fmt: skip
    # Three offers per need; the installer's second offer is left out: one pair per pair of organisations.
    assert [(r[1], r[4]) for r in rows[1:]] == [
        (world.need.pk, world.offer.pk),
        (world.need.pk, world.bread.pk),
    ]


def test_pairs_is_for_cluster_staff(world, tmp_path):
    without = helix("match", "pairs")
    member = helix("match", "pairs", "--as", "city-user")
    wrong_file = helix("match", "pairs", "--output", tmp_path / "pairs.txt", "--as", "staff")
    assert (without.exit_code, member.exit_code, wrong_file.exit_code) == (2, 1, 2)
    assert "pairs is for cluster staff: add --as STAFF_USERNAME." in without.stderr
    assert member.stderr == "Error: city-user is not cluster staff; pairs is for cluster staff\n"
    assert "give a file name ending in .csv or .xlsx" in wrong_file.stderr
    assert "no domain 'nothing'" in helix("match", "pairs", "--domain", "nothing", "--as", "staff").stderr
