"""Integration: importing and exporting the registry as CSV and XLSX."""

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helix.core.registry.records import COLUMN_NAMES
from helix.registry import transfer
from helix.registry.models import (
    Cluster,
    Keyword,
    Membership,
    MembershipChange,
    Organisation,
    Person,
    Site,
)
from helix.registry.services import refresh_search_text
from helix.registry.transfer import export_registry, import_file
from helix.registry.transfer_plan import RowAction
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
    UserFactory,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

FILES = Path(__file__).parent / "files"  # <kind>.csv: a small valid registry; the rest are broken
KINDS = ("organisations", "sites", "people", "memberships")


@pytest.fixture
def cluster():
    cluster = ClusterFactory(slug="blue-energy")
    DomainFactory(cluster=cluster, slug="offshore-wind", name="Offshore wind")
    DomainFactory(cluster=cluster, slug="hydrogen", name="Hydrogen")
    return cluster


def per_kind(organisations=0, sites=0, people=0, memberships=0):
    return {"organisations": organisations, "sites": sites, "people": people, "memberships": memberships}


def registry_counts():
    return {
        "organisations": Organisation.objects.count(),
        "sites": Site.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "history": MembershipChange.objects.count(),
        "keywords": Keyword.objects.count(),
        "sector links": Organisation.sectors.through.objects.count(),
        "keyword links": Organisation.keywords.through.objects.count(),
        "domain links": Membership.domains.through.objects.count(),
    }


def fields_of(instance, skip=("id", "created_at", "updated_at")):
    """Every stored field, with the organisation named by its slug."""
    values = {}
    for f in instance._meta.concrete_fields:
        if f.name in skip:
            continue
        value = getattr(instance, f.name)
        values[f.name] = value.slug if isinstance(value, Organisation | Cluster) else value
    return values


def registry_snapshot():
    """The whole registry, without database ids or timestamps."""
    return {
        "organisations": {
            o.slug: {
                **fields_of(o),
                "sectors": set(o.sectors.values_list("code", flat=True)),
                "keywords": set(o.keywords.values_list("name", flat=True)),
            }
            for o in Organisation.objects.all()
        },
        "sites": sorted(tuple(fields_of(s).items()) for s in Site.objects.all()),
        "people": sorted(tuple(fields_of(p).items()) for p in Person.objects.all()),
        "memberships": {
            (m.organisation.slug, m.cluster.slug): {
                **fields_of(m),
                "domains": set(m.domains.values_list("slug", flat=True)),
            }
            for m in Membership.objects.all()
        },
    }


def csv_to_xlsx(source, target, sheet="organisations"):
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            worksheet.append(row)
    workbook.save(target)
    return target


def write_csv(path, header, *rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


# --- importing ---


def test_folder_of_csv_files_creates_organisations_sites_people_and_memberships(cluster):
    report = import_file(FILES)

    assert (report.ok, report.written, report.errors) == (True, True, [])
    assert (report.created, report.updated) == (per_kind(3, 2, 2, 2), per_kind())
    noordzee = Organisation.objects.get(legal_identifier="0403.170.701")
    assert fields_of(noordzee, skip=("id", "created_at", "updated_at", "search_text")) == {
        "name": "Noordzee Wind",
        "slug": "noordzee-wind",
        "kind": "company",
        "size_class": "large",
        "government_level": "",
        "identifier_scheme": "be",
        "legal_identifier": "0403.170.701",
        "website": "https://noordzeewind.example",
        "working_languages": "nl,en",
        "description_en": "Builds wind farms at sea.",
        "description_nl": "Bouwt windparken op zee.",
        "description_fr": "",
        "description_de": "",
        "is_published": True,
        "is_sample": False,
    }
    assert set(noordzee.sectors.values_list("code", flat=True)) == {"35.12", "D"}
    assert set(noordzee.keywords.values_list("name", flat=True)) == {"offshore wind", "hydrogen"}
    lab = Organisation.objects.get(slug="ghent-materials-lab")
    assert (lab.legal_identifier, lab.kind, lab.working_languages, lab.description_fr) == (
        "0417.497.106",
        "knowledge_institution",
        "nl,en,fr",
        "Laboratoire des matériaux, à Gand.",
    )
    havenstad = Organisation.objects.get(slug="havenstad")
    assert (
        havenstad.identifier_scheme,
        havenstad.kind,
        havenstad.government_level,
        havenstad.is_published,
    ) == (
        "",
        "government",
        "local",
        False,
    )
    assert list(
        Site.objects.order_by("city").values_list(
            "organisation__slug",
            "name",
            "city",
            "country",
            "region",
            "latitude",
            "longitude",
            "is_headquarters",
        )
    ) == [
        ("ghent-materials-lab", "Campus Zwijnaarde", "Gent", "BE", "oost-vlaanderen", 51.02, 3.71, True),
        ("noordzee-wind", "Head office", "Oostende", "BE", "west-vlaanderen", 51.23, 2.92, True),
    ]
    assert list(
        Person.objects.order_by("last_name").values_list(
            "organisation__slug",
            "first_name",
            "last_name",
            "email",
            "phone",
            "roles",
            "consent_contact",
            "consent_newsletter",
            "consent_public",
            "consent_recorded_on",
        )
    ) == [
        ("havenstad", "Jan", "Janssens", "", "", "", False, False, False, None),
        (
            "noordzee-wind",
            "An",
            "Peeters",
            "an.peeters@noordzeewind.example",
            "+32 59 12 34 56",
            "main contact, signatory",
            True,
            False,
            True,
            dt.date(2024, 3, 1),
        ),
    ]
    membership = Membership.objects.get(organisation=noordzee, cluster=cluster)
    assert (membership.level, membership.since) == ("member", dt.date(2020, 1, 1))
    assert set(membership.domains.values_list("slug", flat=True)) == {"offshore-wind", "hydrogen"}
    assert list(
        MembershipChange.objects.order_by("to_level").values_list(
            "membership__organisation__slug", "from_level", "to_level", "changed_on", "note"
        )
    ) == [
        ("havenstad", "", "interested", dt.date(2021, 6, 15), "import"),
        ("noordzee-wind", "", "member", dt.date(2020, 1, 1), "import"),
    ]


def test_search_text_after_import_is_what_the_registry_service_computes(cluster):
    import_file(FILES)
    imported = dict(Organisation.objects.values_list("slug", "search_text"))
    for organisation in Organisation.objects.all():
        refresh_search_text(organisation)

    assert dict(Organisation.objects.values_list("slug", "search_text")) == imported
    assert imported["noordzee-wind"] == (
        "noordzee wind 0403.170.701 builds wind farms at sea. bouwt windparken op zee. 35.12 d hydrogen "
        "offshore wind west-vlaanderen oostende"
    )


def test_importing_the_same_files_twice_changes_nothing_the_second_time(cluster):
    import_file(FILES)
    counts = registry_counts()
    stamps = dict(Organisation.objects.values_list("slug", "updated_at"))

    again = import_file(FILES)

    assert (again.ok, again.created, again.updated, again.unchanged) == (
        True,
        per_kind(),
        per_kind(),
        per_kind(3, 2, 2, 2),
    )
    assert {a.action for a in again.rows} == {"unchanged"}
    assert registry_counts() == counts
    assert dict(Organisation.objects.values_list("slug", "updated_at")) == stamps


def test_dry_run_previews_each_row_and_writes_nothing(cluster):
    OrganisationFactory(
        name="Noordzee Wind NV", slug="noordzee", legal_identifier="0403.170.701", size_class="sme"
    )
    counts = registry_counts()

    report = import_file(FILES / "organisations.csv", dry_run=True)

    assert (report.ok, report.dry_run, report.written) == (True, True, False)
    assert report.rows == [
        RowAction(
            "organisations",
            "organisations.csv",
            2,
            "be:0403.170.701 (Noordzee Wind)",
            "update",
            ("name", "size_class", "website", "description_en", "description_nl", "sectors", "keywords"),
        ),
        RowAction("organisations", "organisations.csv", 3, "be:0417.497.106 (Ghent Materials Lab)", "create"),
        RowAction("organisations", "organisations.csv", 4, "havenstad (Havenstad)", "create"),
    ]
    assert (report.created, report.updated, report.unchanged) == (per_kind(2), per_kind(1), per_kind())
    assert report.summary() == (
        "Dry run of organisations.csv: would create 2, update 1, leave 0 unchanged; nothing was written"
    )
    assert registry_counts() == counts
    assert Organisation.objects.get(slug="noordzee").name == "Noordzee Wind NV"


def test_columns_left_out_of_the_file_keep_their_values(cluster, tmp_path):
    org = OrganisationFactory(
        legal_identifier="0403.170.701", description_en="Keeps this.", website="https://a.example"
    )
    path = write_csv(
        tmp_path / "names.csv",
        ["identifier_scheme", "legal_identifier", "name", "kind"],
        ["be", "0403170701", "New Name", "company"],
    )

    report = import_file(path)

    org.refresh_from_db()
    assert (report.updated, report.rows[0].changes) == (per_kind(1), ("name",))
    assert (org.name, org.description_en, org.website, org.size_class, org.slug) == (
        "New Name",
        "Keeps this.",
        "https://a.example",
        "sme",
        org.slug,
    )


def test_organisation_without_slug_gets_one_from_its_name_and_a_taken_slug_is_refused(cluster, tmp_path):
    OrganisationFactory(name="Taken", slug="taken", legal_identifier="0202.239.951")
    OrganisationFactory(name="Acme", slug="acme", legal_identifier="")
    path = write_csv(
        tmp_path / "orgs.csv",
        ["identifier_scheme", "legal_identifier", "slug", "name", "kind"],
        ["be", "0403.170.701", "taken", "Wants a taken slug", "company"],
        ["be", "0248.015.142", "", "Acme", "company"],
    )
    assert [str(e) for e in import_file(path).errors] == [
        "orgs.csv, row 2, column slug: slug 'taken' belongs to another organisation (be:0202.239.951)"
    ]

    write_csv(
        path,
        ["identifier_scheme", "legal_identifier", "slug", "name", "kind"],
        ["be", "0248.015.142", "", "Acme", "company"],
    )
    report = import_file(path)

    assert report.created == per_kind(1)
    assert Organisation.objects.get(legal_identifier="0248.015.142").slug == "acme-2"


def test_slug_key_finds_the_organisation_and_adds_its_legal_identifier(cluster, tmp_path):
    org = OrganisationFactory(slug="acme", legal_identifier="", identifier_scheme="")
    path = write_csv(
        tmp_path / "orgs.csv",
        ["identifier_scheme", "legal_identifier", "slug", "name", "kind"],
        ["be", "0403.170.701", "acme", "Acme", "company"],
    )

    report = import_file(path)

    org.refresh_from_db()
    assert (report.created, report.updated) == (per_kind(), per_kind(1))
    assert (org.identifier_scheme, org.legal_identifier, org.name) == ("be", "0403.170.701", "Acme")


def test_membership_level_change_is_recorded_in_the_history(cluster, tmp_path):
    import_file(FILES)
    path = write_csv(
        tmp_path / "memberships.csv",
        ["organisation", "cluster", "level", "since", "domains"],
        ["be:0403.170.701", "blue-energy", "strategic_partner", "2024-05-01", "hydrogen"],
        ["havenstad", "blue-energy", "loi_signed", "", ""],
    )
    user = UserFactory(is_superuser=True)

    report = import_file(path, user=user)

    assert report.updated == per_kind(memberships=2)
    assert [a.changes for a in report.rows] == [("level", "since", "domains"), ("level", "since")]
    today = timezone.localdate()
    assert list(
        Membership.objects.order_by("organisation__slug").values_list("organisation__slug", "level", "since")
    ) == [
        ("havenstad", "loi_signed", today),
        ("noordzee-wind", "strategic_partner", dt.date(2024, 5, 1)),
    ]
    assert list(
        MembershipChange.objects.filter(note="import", changed_by=user)
        .values_list("membership__organisation__slug", "from_level", "to_level", "changed_on")
        .order_by("membership__organisation__slug")
    ) == [
        ("havenstad", "interested", "loi_signed", today),
        ("noordzee-wind", "member", "strategic_partner", dt.date(2024, 5, 1)),
    ]
    assert list(Membership.objects.get(level="strategic_partner").domains.values_list("slug", flat=True)) == [
        "hydrogen"
    ]


# --- broken files: every error with file, row and column; nothing written ---

BROKEN = {
    "bad_check_digit.csv": [
        "bad_check_digit.csv, row 4, column legal_identifier: '0403.170.702': check digits do not match "
        "(mod 97)"
    ],
    "unknown_nace.csv": ["unknown_nace.csv, row 3, column sectors: '62.01' is not a NACE Rev. 2.1 code"],
    "duplicate_key.csv": [
        "duplicate_key.csv, row 4, column legal_identifier: duplicate key: row 2 has the same legal "
        "identifier"
    ],
    "missing_column.csv": ["missing_column.csv, row 1, column kind: missing required column 'kind'"],
    "latin1.csv": ["latin1.csv, row 3, column name: not UTF-8 text (byte 0xE9); save the file as CSV UTF-8"],
    "empty.csv": ["empty.csv, row 1: the file is empty (expected a header row, then records)"],
    "formula.csv": [
        "formula.csv, row 3, column name: \"=cmd|' /C calc'!A0\" starts like a formula, which is not "
        "accepted "
        "(prefix an apostrophe if the text is meant literally)",
        "formula.csv, row 3, column description_en: '+HYPERLINK(\"http://evil.example\")' starts like a "
        "formula, which is not accepted (prefix an apostrophe if the text is meant literally)",
        "formula.csv, row 4, column description_en: '-40 degrees is cold' starts like a formula, which is "
        "not "
        "accepted (prefix an apostrophe if the text is meant literally)",
    ],
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_csv_file_reports_each_error_and_writes_nothing(cluster, name):
    OrganisationFactory(legal_identifier="0202.239.951", name="Proximus")
    counts = registry_counts()

    report = import_file(FILES / name)

    assert [str(e) for e in report.errors] == BROKEN[name]
    assert (report.ok, report.written) == (False, False)
    assert report.summary() == f"{name}: {len(BROKEN[name])} error(s); nothing was written"
    assert registry_counts() == counts
    assert Organisation.objects.get(legal_identifier="0202.239.951").name == "Proximus"


@pytest.mark.parametrize(
    "name",
    ["bad_check_digit.csv", "unknown_nace.csv", "duplicate_key.csv", "missing_column.csv", "formula.csv"],
)
def test_broken_xlsx_workbook_reports_each_error_with_its_sheet_and_writes_nothing(cluster, name, tmp_path):
    workbook = csv_to_xlsx(FILES / name, tmp_path / "registry.xlsx")
    counts = registry_counts()

    report = import_file(workbook)

    expected = [e.replace(f"{name}, ", "registry.xlsx, sheet organisations, ") for e in BROKEN[name]]
    assert [str(e) for e in report.errors] == expected
    assert registry_counts() == counts


def test_formula_cell_of_a_workbook_is_refused(cluster, tmp_path):
    path = csv_to_xlsx(FILES / "formula.csv", tmp_path / "formula.xlsx")
    assert openpyxl.load_workbook(path)["organisations"]["C3"].data_type == "f"

    report = import_file(path)

    assert str(report.errors[0]).startswith(
        "formula.xlsx, sheet organisations, row 3, column name: \"=cmd|' /C calc'!A0\" starts like a formula"
    )


def test_errors_in_references_and_rules_are_all_collected_across_files(cluster, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    write_csv(
        folder / "organisations.csv",
        ["identifier_scheme", "legal_identifier", "slug", "name", "kind", "size_class", "government_level"],
        ["", "", "city-hall", "City Hall", "government", "sme", ""],
        ["be", "0403.170.701", "", "Noordzee Wind", "company", "large", "regional"],
        ["", "", "lab", "Lab", "knowledge_institution", "", ""],
    )
    write_csv(
        folder / "sites.csv",
        ["organisation", "name", "city"],
        ["be:0202.239.951", "HQ", "Brussel"],
        ["lab", "Campus", "Gent"],
    )
    write_csv(
        folder / "memberships.csv",
        ["organisation", "cluster", "level", "domains"],
        ["lab", "green-chemistry", "member", ""],
        ["lab", "blue-energy", "member", "hydrogen;solar"],
        ["ghost", "blue-energy", "member", ""],
    )
    counts = registry_counts()

    report = import_file(folder)

    assert [str(e) for e in report.errors] == [
        "organisations.csv, row 2, column size_class: a size class applies only to companies, not to kind "
        "'government'",
        "organisations.csv, row 3, column government_level: a government level applies only to kind "
        "'government', not 'company'",
        "sites.csv, row 2, column organisation: no organisation be:0202.239.951 in this import or in the "
        "registry",
        "memberships.csv, row 2, column cluster: no cluster 'green-chemistry' in the registry",
        "memberships.csv, row 3, column domains: no domain solar in cluster 'blue-energy'",
        "memberships.csv, row 4, column organisation: no organisation ghost in this import or in the "
        "registry",
    ]
    assert registry_counts() == counts


def test_a_person_named_by_slug_or_identifier_is_one_key(cluster, tmp_path):
    OrganisationFactory(slug="acme", legal_identifier="0403.170.701")
    path = write_csv(
        tmp_path / "people.csv",
        ["organisation", "first_name", "last_name", "email"],
        ["acme", "An", "Peeters", "an@acme.example"],
        ["be:0403.170.701", "An", "Peeters", "an@acme.example"],
    )

    report = import_file(path)

    assert [str(e) for e in report.errors] == [
        "people.csv, row 3, column organisation: duplicate key: row 2 names the same record"
    ]


def test_csv_kind_can_be_given_when_the_header_does_not_tell(cluster, tmp_path):
    OrganisationFactory(slug="acme")
    path = write_csv(tmp_path / "export.csv", ["organisation", "name"], ["acme", "Depot"])

    assert [str(e) for e in import_file(path).errors] == [
        "export.csv, row 1, column city: missing required column 'city'"
    ]
    path = write_csv(tmp_path / "export.csv", ["name"], ["Depot"])
    assert [str(e) for e in import_file(path).errors] == [
        "export.csv, row 1: cannot tell which records this holds; give the kind (organisations, sites, "
        "people, "
        "memberships)"
    ]
    assert [str(e) for e in import_file(path, kind="people").errors] == [
        "export.csv, row 1, column name: unknown column for people (known: organisation, first_name, "
        "last_name, "
        "email, phone, job_title, roles, consent_contact, consent_newsletter, consent_public, "
        "consent_recorded_on, is_sample)",
        "export.csv, row 1, column organisation: missing required column 'organisation'",
        "export.csv, row 1, column first_name: missing required column 'first_name'",
        "export.csv, row 1, column last_name: missing required column 'last_name'",
    ]


def test_progress_is_reported_from_zero_to_total(cluster):
    calls = []

    report = import_file(FILES, progress=lambda done, total, message: calls.append((done, total, message)))

    assert calls[0] == (0, 18, "checking")
    assert calls[-1] == (18, 18, report.summary())
    assert [done for done, _total, _message in calls] == sorted(done for done, _total, _message in calls)


def test_import_and_export_need_cluster_staff(cluster, tmp_path):
    outsider = UserFactory(username="outsider")
    with pytest.raises(PermissionDenied):
        import_file(FILES, user=outsider)
    with pytest.raises(PermissionDenied):
        export_registry(tmp_path / "registry.xlsx", user=outsider)

    report = import_file(FILES, user=staff_user(cluster))
    assert report.created == per_kind(3, 2, 2, 2)


def test_import_queries_do_not_grow_with_the_number_of_rows(cluster, tmp_path):
    def import_generated(n, offset):
        folder = tmp_path / f"n{n}"
        folder.mkdir()
        slugs = [f"org-{offset + i}" for i in range(n)]
        write_csv(
            folder / "organisations.csv",
            ["slug", "name", "kind", "sectors", "keywords"],
            *([s, s.title(), "company", "62.10;J", f"kw-{s};shared"] for s in slugs),
        )
        write_csv(
            folder / "sites.csv",
            ["organisation", "name", "city", "region"],
            *([s, "HQ", "Gent", "oost-vlaanderen"] for s in slugs),
        )
        write_csv(
            folder / "people.csv",
            ["organisation", "first_name", "last_name", "email"],
            *([s, "An", "Peeters", f"an@{s}.example"] for s in slugs),
        )
        write_csv(
            folder / "memberships.csv",
            ["organisation", "cluster", "level", "domains"],
            *([s, "blue-energy", "member", "hydrogen"] for s in slugs),
        )
        with CaptureQueriesContext(connection) as queries:
            report = import_file(folder)
        assert report.created == per_kind(n, n, n, n)
        return len(queries)

    assert import_generated(5, 0) == import_generated(50, 100)


# --- exporting ---


@pytest.fixture
def awkward_registry(cluster):
    """Values a spreadsheet would run, or that are easily mangled on the way out and back."""
    org = OrganisationFactory(
        name="=SUM(1+1)*cmd|' /C calc'!A0",
        slug="evil",
        legal_identifier="",
        identifier_scheme="",
        description_en="@risk\nsecond line",
        description_nl="\tindented",
        description_fr="'quoted' et « guillemets »",
        description_de="-minus",
        website="https://evil.example/?q=1",
    )
    PersonFactory(
        organisation=org,
        first_name="+Plus",
        last_name="'=Apostrophe",
        email="",
        phone="+32 9 264 11 11",
        job_title="-lead-",
        roles="#N/A",
    )
    SiteFactory(organisation=org, name="Zuid-Pool", city="-", latitude=-77.85, longitude=166.67, region="")
    MembershipFactory(organisation=org, cluster=cluster, level="left", since=dt.date(2019, 2, 28))
    return org


def test_exported_workbook_cells_are_never_formulas(awkward_registry, tmp_path):
    path = tmp_path / "registry.xlsx"

    report = export_registry(path)

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == list(KINDS)
    assert report.counts == {"organisations": 2, "sites": 1, "people": 1, "memberships": 1}
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    name = workbook["organisations"]["D2"]
    assert (name.value, name.data_type) == ("'=SUM(1+1)*cmd|' /C calc'!A0", "s")
    people = {h.value: c for h, c in zip(workbook["people"][1], workbook["people"][2], strict=True)}
    assert {
        k: (people[k].value, people[k].data_type) for k in ("first_name", "last_name", "phone", "roles")
    } == {
        "first_name": ("'+Plus", "s"),
        "last_name": ("''=Apostrophe", "s"),
        "phone": ("'+32 9 264 11 11", "s"),
        "roles": ("#N/A", "s"),
    }


def test_exported_csv_cells_never_start_like_a_formula(awkward_registry, tmp_path):
    report = export_registry(tmp_path / "export", fmt="csv")

    assert [p.name for p in report.paths] == [f"{kind}.csv" for kind in KINDS]
    cells = []
    for path in report.paths:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == list(COLUMN_NAMES[transfer.RecordKind(path.stem)])
        cells.extend(cell for row in rows[1:] for cell in row)
    assert [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")] == []
    assert [c for c in cells if c.startswith("-")] == ["-77.85"]  # a number, not text
    assert "'=SUM(1+1)*cmd|' /C calc'!A0" in cells


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_into_an_empty_registry_gives_the_same_registry(
    awkward_registry, cluster, fmt, tmp_path
):
    import_file(FILES)
    OrganisationFactory(
        slug="lux",
        identifier_scheme="lu_rcs",
        legal_identifier="B12345",
        kind="federation",
        size_class="",
        working_languages="fr,de,en",
        is_sample=True,
    )
    OrganisationFactory(slug="vat", identifier_scheme="eu_vat", legal_identifier="LU15027442", website="")
    PersonFactory(
        organisation=Organisation.objects.get(slug="lux"),
        consent_public=True,
        is_sample=True,
        consent_recorded_on=dt.date(2023, 12, 31),
        job_title="Directrice générale",
    )
    SiteFactory(
        organisation=Organisation.objects.get(slug="lux"),
        name="Siège",
        country="LU",
        region="luxembourg",
        latitude=None,
        longitude=None,
        postcode="L-1855",
        street="",
    )
    for organisation in Organisation.objects.all():
        refresh_search_text(organisation)
    before = registry_snapshot()
    target = tmp_path / ("registry.xlsx" if fmt == "xlsx" else "registry")
    export_registry(target, fmt=fmt)

    # Empty the registry; a stand-in keeps the cluster's operator identifier so the cluster can stay.
    operator = cluster.operator
    stand_in = Organisation.objects.create(name="Stand-in", slug="stand-in", kind="federation")
    Cluster.objects.update(operator=stand_in)
    Organisation.objects.exclude(pk=stand_in.pk).delete()
    Keyword.objects.all().delete()
    Organisation.objects.filter(pk=stand_in.pk).update(
        identifier_scheme=operator.identifier_scheme, legal_identifier=operator.legal_identifier
    )
    assert registry_counts() == {**dict.fromkeys(registry_counts(), 0), "organisations": 1}

    report = import_file(target)

    assert (report.errors, report.created, report.updated) == ([], per_kind(6, 4, 4, 3), per_kind(1))
    assert registry_snapshot() == before


def test_column_documentation_names_every_column():
    documented = transfer.__doc__
    assert [c for kind in COLUMN_NAMES.values() for c in kind if c not in documented] == []


def test_an_organisation_named_by_identifier_and_by_slug_in_two_rows_is_a_duplicate(cluster, tmp_path):
    OrganisationFactory(slug="acme", legal_identifier="0403.170.701")
    path = write_csv(
        tmp_path / "orgs.csv",
        ["identifier_scheme", "legal_identifier", "slug", "name", "kind"],
        ["be", "0403.170.701", "", "Acme", "company"],
        ["", "", "acme", "Acme again", "company"],
    )

    assert [str(e) for e in import_file(path).errors] == [
        "orgs.csv, row 3, column slug: duplicate key: row 2 names the same organisation"
    ]


def test_workbook_sheets_are_found_by_name_or_header_and_need_a_header_in_row_1(cluster, tmp_path):
    OrganisationFactory(slug="acme")
    workbook = openpyxl.Workbook()
    workbook.active.title = "Contacts"
    workbook.active.append(["organisation", "first_name", "last_name", "email", "consent_contact"])
    workbook.active.append(["acme", "An", "Peeters", "an@acme.example", True])
    late = workbook.create_sheet("Sites")
    late.append([])
    late.append(["organisation", "name", "city"])
    workbook.create_sheet("Notes")
    workbook.save(tmp_path / "mixed.xlsx")

    report = import_file(tmp_path / "mixed.xlsx")

    assert [str(e) for e in report.errors] == [
        "mixed.xlsx, sheet Sites, row 1: the header must be in row 1, not in row 2",
        "mixed.xlsx, sheet Notes, row 1: the sheet is empty (expected a header row, then records)",
    ]
    assert report.rows == [RowAction("people", "mixed.xlsx:Contacts", 2, "acme / An Peeters", "create")]
