"""Integration: ``helix listings`` lists, shows, creates, imports, renews and withdraws needs and offers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from types import SimpleNamespace

import openpyxl
import pytest
from click.testing import CliRunner

from helix.cli import main
from helix.market.models import Listing
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    make_listing,
    member_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEADER = (
    "organisation,side,category,title,description,domains,sectors,keywords,trl,budget_min,budget_max,"
    "deadline,visibility,status"
)
GOOD = f"""{HEADER}
acme,need,research,Onderzoek naar warmtepompen,"Wij zoeken een partner die de warmtepompen van de stad \
onderzoekt.",tech/energy,43.22;7210,Warmtepomp; renovatie,4,,50000,2030-06-30,members,published
acme,offer,competence,Thermal modelling of buildings,We model the heat demand of buildings and districts.,,,\
modelling,7,1000,5000,,,
"""


@pytest.fixture
def world():
    tech = ClusterFactory(slug="tech")
    energy = DomainFactory(cluster=tech, slug="energy", name="Energy")
    acme = OrganisationFactory(name="Acme", slug="acme")
    beta = OrganisationFactory(name="Beta", slug="beta")
    MembershipFactory(organisation=acme, cluster=tech)
    MembershipFactory(organisation=beta, cluster=tech)
    return SimpleNamespace(
        tech=tech,
        energy=energy,
        acme=acme,
        beta=beta,
        acme_user=member_user(acme, "acme-user"),
        beta_user=member_user(beta, "beta-user"),
    )


def helix(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# --- list and show ------------------------------------------------------------------------------------


def test_list_prints_a_table_filtered_by_side_organisation_and_status(world):
    need = make_listing(world.acme, "need", "Heat pumps wanted")
    make_listing(world.beta, "offer", "Heat pumps installed")
    make_listing(world.acme, "need", "A draft need", status="draft")

    result = helix("listings", "list", "--side", "need", "--status", "published")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "id",
        "side",
        "category",
        "status",
        "lang",
        "expires",
        "organisation",
        "title",
    ]
    expires = need.expires_on.isoformat()
    assert [line.split() for line in lines[1:]] == [
        [str(need.pk), "need", "solution", "published", "en", expires, "acme", "Heat", "pumps", "wanted"]
    ]
    assert result.stderr == "1 listing(s)\n"


def test_list_as_a_user_shows_what_that_user_may_see(world):
    make_listing(world.acme, "need", "A draft need", status="draft")
    as_beta = helix("listings", "list", "--format", "json", "--as", "beta-user")
    as_acme = helix("listings", "list", "--format", "json", "--as", "acme-user")
    assert (json.loads(as_beta.stdout), [x["title"] for x in json.loads(as_acme.stdout)]) == (
        [],
        ["A draft need"],
    )
    assert "no user 'nobody'" in helix("listings", "list", "--as", "nobody").output


def test_list_as_csv_writes_the_import_layout(world, tmp_path):
    listing = make_listing(world.acme, "need", "Heat pumps wanted", trl=5)
    listing.domains.set([world.energy])

    result = helix("listings", "list", "--format", "csv")

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == [
        {
            "id": str(listing.pk),
            "organisation": "acme",
            "side": "need",
            "category": "solution",
            "title": "Heat pumps wanted",
            "description": "Heat pumps wanted",
            "domains": "tech/energy",
            "sectors": "",
            "keywords": "",
            "trl": "5",
            "budget_min": "",
            "budget_max": "",
            "deadline": "",
            "visibility": "public",
            "status": "published",
        }
    ]


def test_show_prints_every_field(world):
    listing = make_listing(world.acme, "offer", "Thermal modelling", category="competence", trl=7)
    result = helix("listings", "show", listing.pk)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Offer #{listing.pk}: Thermal modelling"
    assert "  organisation:      acme" in lines
    assert "  language:          en" in lines
    assert "  trl:               7" in lines
    assert "  deadline:" in lines
    assert f"  expires_on:        {listing.expires_on.isoformat()}" in lines
    missing = helix("listings", "show", 9999)
    assert (missing.exit_code, missing.stderr) == (1, "Error: no listing 9999\n")


# --- create, renew, withdraw --------------------------------------------------------------------------


def test_create_acts_as_the_user_and_detects_the_language(world):
    result = helix(
        "listings", "create", "--organisation", "acme", "--side", "need", "--category", "research",
        "--title", "Recherche sur les pompes à chaleur",
        "--description", "Nous cherchons un laboratoire pour tester des pompes à chaleur dans les écoles.",
        "--domain", "tech/energy", "--sector", "7210", "--keyword", "Pompe à chaleur", "--trl", "3",
        "--publish", "--as", "acme-user",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    listing = Listing.objects.get()
    assert (listing.language, listing.status, listing.trl, listing.created_by.username) == (
        "fr",
        "published",
        3,
        "acme-user",
    )
    assert [d.slug for d in listing.domains.all()] == ["energy"]
    assert [s.code for s in listing.sectors.all()] == ["72.10"]
    assert [k.name for k in listing.keywords.all()] == ["pompe à chaleur"]
    assert result.stdout.startswith(
        f"Created need #{listing.pk} for Acme: Recherche sur les pompes à chaleur ("
    )


def test_create_without_as_refuses(world):
    result = helix(
        "listings", "create", "--organisation", "acme", "--side", "need", "--category", "research",
        "--title", "T", "--description", "D",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "create changes data, so it acts as a user: add --as USERNAME" in result.stderr
    assert Listing.objects.count() == 0


def test_create_names_each_wrong_option_and_writes_nothing(world):
    result = helix(
        "listings", "create", "--organisation", "acme", "--side", "need", "--category", "competence",
        "--title", "T", "--description", "D", "--budget-min", "500", "--budget-max", "100",
        "--domain", "tech/nothing", "--sector", "99.99", "--as", "acme-user",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: the listing was not created:",
        "  --domain: no domain 'nothing' in cluster 'tech'",
        "  --sector: '99.99' is not a NACE Rev. 2.1 code",
        "  --category: “competence” is not a category of a need.",
        "  --budget-max: The upper bound is below the lower bound.",
    ]
    assert Listing.objects.count() == 0


def test_create_for_another_organisation_is_refused(world):
    result = helix(
        "listings", "create", "--organisation", "beta", "--side", "need", "--category", "research",
        "--title", "T", "--description", "D", "--as", "acme-user",
    )  # fmt: skip
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: acme-user may not post needs or offers for Beta\n",
    )


def test_renew_and_withdraw(world):
    listing = make_listing(world.acme, "need", "Heat pumps wanted")
    expires = listing.expires_on

    renewed = helix("listings", "renew", listing.pk, "--as", "acme-user")
    refused = helix("listings", "withdraw", listing.pk, "--as", "beta-user")
    withdrawn = helix("listings", "withdraw", listing.pk, "--as", "acme-user")

    listing.refresh_from_db()
    assert renewed.exit_code == 0, renewed.output
    assert (listing.renewals, listing.expires_on, listing.status) == (
        1,
        expires + dt.timedelta(days=180),
        "withdrawn",
    )
    assert renewed.stdout == f"Renewed need #{listing.pk} until {listing.expires_on}: Heat pumps wanted\n"
    assert (refused.exit_code, refused.stderr) == (
        1,
        "Error: beta-user may not change the listings of Acme\n",
    )
    assert withdrawn.stdout == f"Withdrew need #{listing.pk}: Heat pumps wanted\n"
    assert helix("listings", "renew", listing.pk).exit_code == 2


# --- import -------------------------------------------------------------------------------------------


def test_import_creates_every_row_with_its_relations(world, tmp_path):
    path = tmp_path / "listings.csv"
    path.write_text(GOOD, encoding="utf-8")

    result = helix("listings", "import", path, "--as", "acme-user")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Imported listings.csv: created 2, updated 0, unchanged 0"
    need, offer = Listing.objects.order_by("side")
    assert (need.title, need.language, need.trl, need.budget_max, need.deadline) == (
        "Onderzoek naar warmtepompen",
        "nl",
        4,
        50000,
        dt.date(2030, 6, 30),
    )
    assert (need.visibility, need.status, need.published_on is not None) == ("members", "published", True)
    assert [d.slug for d in need.domains.all()] == ["energy"]
    assert sorted(s.code for s in need.sectors.all()) == ["43.22", "72.10"]
    assert sorted(k.name for k in need.keywords.all()) == ["renovatie", "warmtepomp"]
    assert (offer.language, offer.visibility, offer.status, offer.budget_min) == (
        "en",
        "public",
        "draft",
        1000,
    )


def test_import_reads_the_first_sheet_of_a_workbook(world, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "needs"
    sheet.append(HEADER.split(","))
    sheet.append(
        ["acme", "need", "solution", "Zonnepanelen voor de school", "Wij zoeken zonnepanelen voor het dak.",
         "tech/energy", "", "", 6, None, 20000, dt.date(2031, 1, 15), "public", "published"]
    )  # fmt: skip
    path = tmp_path / "needs.xlsx"
    workbook.save(path)

    result = helix("listings", "import", path, "--as", "acme-user")

    assert result.exit_code == 0, result.output
    listing = Listing.objects.get()
    assert (listing.trl, listing.budget_max, listing.deadline, listing.language) == (
        6,
        20000,
        dt.date(2031, 1, 15),
        "nl",
    )


def test_a_dry_run_says_what_would_happen_and_writes_nothing(world, tmp_path):
    path = tmp_path / "listings.csv"
    path.write_text(GOOD, encoding="utf-8")

    result = helix("listings", "import", path, "--dry-run", "--as", "acme-user")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "row 2: would create need 'Onderzoek naar warmtepompen'",
        "row 3: would create offer 'Thermal modelling of buildings'",
        "Dry run of listings.csv: would create 2, update 0, leave 0 unchanged; nothing was written",
    ]
    assert Listing.objects.count() == 0


def test_a_bad_file_names_every_row_and_column_and_writes_nothing(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        f"""{HEADER}
acme,need,research,Good row,A fine description.,,,,,,,,,
acme,demand,research,Wrong side,Text.,,,,,,,,,
acme,need,research,Wrong numbers,Text.,,99.99,,12,,,2030-02-30,,
nobody,need,research,Unknown organisation,Text.,,,,,,,,,
acme,need,competence,Category of an offer,Text.,,,,,,,,,
acme,need,research,Unknown domain,Text.,tech/nothing,,,,,,,,
acme,need,research,Budget upside down,Text.,,,,,5000,100,,,
beta,need,research,Not my organisation,Text.,,,,,,,,,
acme,need,research,=HYPERLINK("http://evil.example"),Text.,,,,,,,,,
acme,need,research,Good row,Twice in the file.,,,,,,,,,
""",
        encoding="utf-8",
    )

    result = helix("listings", "import", path, "--as", "acme-user")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "bad.csv, row 3, column side: 'demand' is not one of: need, offer",
        "bad.csv, row 4, column sectors: '99.99' is not a NACE Rev. 2.1 code",
        "bad.csv, row 4, column trl: 12 is not between 1 and 9",
        "bad.csv, row 4, column deadline: '2030-02-30' is not a date written YYYY-MM-DD",
        "bad.csv, row 5, column organisation: no organisation 'nobody'",
        "bad.csv, row 6, column category: “competence” is not a category of a need.",
        "bad.csv, row 7, column domains: no domain tech/nothing",
        "bad.csv, row 8, column budget_max: The upper bound is below the lower bound.",
        "bad.csv, row 9, column organisation: acme-user may not post for Beta",
        "bad.csv, row 10, column title: '=HYPERLINK(\"http://evil.example\")' starts like a formula, which "
        "is not accepted (prefix an apostrophe if the text is meant literally)",
        "bad.csv, row 11, column title: row 2 has the same organisation, side and title",
    ]
    assert result.stdout == "bad.csv: 11 error(s); nothing was written\n"
    assert Listing.objects.count() == 0


def test_a_header_with_unknown_or_missing_columns_is_refused(world, tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("organisation,side,title,colour\nacme,need,T,red\n", encoding="utf-8")
    result = helix("listings", "import", path, "--as", "acme-user")
    assert result.stderr.splitlines() == [
        "header.csv, row 1, column colour: unknown column (known: id, organisation, side, category, title, "
        "description, domains, sectors, keywords, trl, budget_min, budget_max, deadline, visibility, status)",
        "header.csv, row 1, column category: missing required column 'category'",
        "header.csv, row 1, column description: missing required column 'description'",
    ]


def test_a_listed_file_imports_back_unchanged_and_an_edited_one_updates_by_id(world, tmp_path):
    path = tmp_path / "listings.csv"
    path.write_text(GOOD, encoding="utf-8")
    helix("listings", "import", path, "--as", "acme-user")
    listed = helix("listings", "list", "--format", "csv").stdout
    exported = tmp_path / "exported.csv"
    exported.write_text(listed, encoding="utf-8")

    again = helix("listings", "import", exported, "--as", "acme-user")
    edited = tmp_path / "edited.csv"
    edited.write_text(listed.replace("Thermal modelling of buildings", "Thermal modelling of districts"))
    changed = helix("listings", "import", edited, "--as", "acme-user")
    rerun = helix("listings", "import", path, "--as", "acme-user")

    assert again.stdout.splitlines()[-1] == "Imported exported.csv: created 0, updated 0, unchanged 2"
    assert changed.stdout.splitlines()[-1] == "Imported edited.csv: created 0, updated 1, unchanged 1"
    offer = Listing.objects.get(side="offer")
    assert (offer.title, offer.revision) == ("Thermal modelling of districts", 2)
    assert rerun.exit_code == 1
    assert rerun.stderr.splitlines()[0] == (
        f"listings.csv, row 2, column title: acme already has this need "
        f"(listing {Listing.objects.get(side='need').pk}); give its id to update it"
    )


def test_import_without_as_refuses(world, tmp_path):
    path = tmp_path / "listings.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = helix("listings", "import", path)
    assert result.exit_code == 2
    assert "import changes data, so it acts as a user: add --as USERNAME" in result.stderr
