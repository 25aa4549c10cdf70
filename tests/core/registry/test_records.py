"""Unit: import rows are read, cleaned and checked, and every error names its file, row and column."""

import datetime as dt

import pytest

from helix.core.registry.records import (
    OrganisationKey,
    RecordKind,
    RowError,
    Source,
    Table,
    Vocabulary,
    check_organisation,
    detect_kind,
    escape_cell,
    is_formula_like,
    parse_table,
    read_csv,
)

pytestmark = pytest.mark.unit

VOCAB = Vocabulary(
    organisation_kinds=(
        "company",
        "knowledge_institution",
        "government",
        "federation",
        "cluster_organisation",
    ),
    size_classes=("sme", "large"),
    government_levels=("local", "regional", "national"),
    regions=(
        "antwerpen",
        "oost-vlaanderen",
        "west-vlaanderen",
        "brussels",
        "wallonia",
        "luxembourg",
        "other",
    ),
    languages=("nl", "fr", "de", "en"),
)
ORGS = Source("orgs.csv")


def table(header, *rows, source=ORGS):
    return Table(source, tuple(header), tuple((n, tuple(r)) for n, r in enumerate(rows, start=2)))


def errors_of(kind, tbl):
    return [str(e) for e in parse_table(kind, tbl, VOCAB).errors]


# --- formulas and the apostrophe escape ---


@pytest.mark.parametrize(
    "text",
    [
        "=cmd|' /C calc'!A0",
        "@SUM(A1)",
        '+HYPERLINK("http://evil.example")',
        "-2+3+cmd|' /C calc'!A0",
        "\tcmd",
        "\rcmd",
        "-Minus Ltd",
    ],
)
def test_text_a_spreadsheet_would_run_is_formula_like(text):
    assert is_formula_like(text) is True


@pytest.mark.parametrize(
    "text", ["Acme", "-4.5", "+32 9 264 11 11", "+32 (0)9/264.11.11", "-", "", "a=b", "'=SUM(1)"]
)
def test_numbers_phone_numbers_and_plain_text_are_not_formula_like(text):
    assert is_formula_like(text) is False


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+32 9 264 11 11", "'+32 9 264 11 11"),
        ("-4", "'-4"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("'=x", "''=x"),
        ("Acme", "Acme"),
        ("'quoted'", "'quoted'"),
        ("", ""),
    ],
)
def test_escape_prefixes_an_apostrophe_to_formula_starts(text, escaped):
    assert escape_cell(text) == escaped


@pytest.mark.parametrize("text", ["=SUM(A1)", "+32 9 264 11 11", "-4", "'=x", "''@x", "\ttabbed "])
def test_escaped_cells_are_read_back_exactly_without_stripping(text):
    header = ("slug", "name", "kind")
    parsed = parse_table(
        RecordKind.ORGANISATIONS, table(header, ("acme", escape_cell(text), "company")), VOCAB
    )
    assert (parsed.errors, parsed.records[0].values["name"]) == ((), text)


def test_plain_cells_are_stripped_and_keep_their_apostrophes():
    tbl = table(("slug", "name", "kind"), ("acme", " 'Quoted' Ltd ", "company"))
    assert parse_table(RecordKind.ORGANISATIONS, tbl, VOCAB).records[0].values["name"] == "'Quoted' Ltd"


def test_formula_cells_are_errors_naming_row_and_column():
    tbl = table(
        ("slug", "name", "kind", "description_en"),
        ("acme", "Acme", "company", "Fine."),
        ("evil", "=cmd|' /C calc'!A0", "company", '+HYPERLINK("http://evil.example")'),
    )
    assert errors_of(RecordKind.ORGANISATIONS, tbl) == [
        "orgs.csv, row 3, column name: \"=cmd|' /C calc'!A0\" starts like a formula, which is not accepted "
        "(prefix an apostrophe if the text is meant literally)",
        "orgs.csv, row 3, column description_en: '+HYPERLINK(\"http://evil.example\")' starts like a "
        "formula, which is not accepted (prefix an apostrophe if the text is meant literally)",
    ]


# --- reading CSV ---


def test_csv_with_bom_and_semicolons_is_read_with_spreadsheet_row_numbers():
    data = '\ufeffslug;name;kind\r\nacme;Acmé;company\r\n;;\r\nbeta;"Beta; Co";company\r\n'.encode()
    tbl, errors = read_csv(data, ORGS)
    assert errors == []
    assert tbl == Table(
        ORGS,
        ("slug", "name", "kind"),
        ((2, ("acme", "Acmé", "company")), (4, ("beta", "Beta; Co", "company"))),
    )


def test_latin1_bytes_are_reported_at_each_row_and_column_holding_them():
    data = "slug,name,city\nacme,Acme,Gent\nsoc,Société,Liège\n".encode("latin-1")
    tbl, errors = read_csv(data, Source("sites.csv"))
    assert tbl is None
    assert [str(e) for e in errors] == [
        "sites.csv, row 3, column name: not UTF-8 text (byte 0xE9); save the file as CSV UTF-8",
        "sites.csv, row 3, column city: not UTF-8 text (byte 0xE8); save the file as CSV UTF-8",
    ]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_empty_file_is_an_error(data):
    assert read_csv(data, ORGS) == (
        None,
        [RowError("orgs.csv", 1, None, "the file is empty (expected a header row, then records)")],
    )


def test_utf16_file_is_refused_with_advice():
    assert read_csv("name\nAcme\n".encode("utf-16"), ORGS) == (
        None,
        [RowError("orgs.csv", 1, None, "the file is UTF-16 text; save it as CSV UTF-8")],
    )


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["identifier_scheme", "legal_identifier", "name", "kind"], RecordKind.ORGANISATIONS),
        (["Organisation", "Name", "City", "Latitude"], RecordKind.SITES),
        (["organisation", "first_name", "last_name", "email"], RecordKind.PEOPLE),
        (["organisation", "cluster", "level"], RecordKind.MEMBERSHIPS),
        (["name"], None),
        (["foo", "bar"], None),
    ],
)
def test_kind_is_detected_from_the_header(header, kind):
    assert detect_kind(header) == kind


# --- header ---


def test_missing_required_and_unknown_columns_are_named():
    tbl = table(
        ("identifier_scheme", "legal_identifier", "Name", "colour"), ("be", "0403.170.701", "Acme", "red")
    )
    assert errors_of(RecordKind.ORGANISATIONS, tbl) == [
        "orgs.csv, row 1, column colour: unknown column for organisations (known: slug, identifier_scheme, "
        "legal_identifier, name, kind, size_class, government_level, website, working_languages, sectors, "
        "keywords, description_en, description_nl, description_fr, description_de, is_published, is_sample)",
        "orgs.csv, row 1, column kind: missing required column 'kind'",
    ]


def test_organisations_need_a_key_column_and_a_scheme_beside_identifiers():
    assert errors_of(RecordKind.ORGANISATIONS, table(("name", "kind"), ("Acme", "company"))) == [
        "orgs.csv, row 1, column legal_identifier: missing column: legal_identifier or slug is needed"
    ]
    assert errors_of(RecordKind.ORGANISATIONS, table(("legal_identifier", "name", "kind"))) == [
        "orgs.csv, row 1, column identifier_scheme: missing column 'identifier_scheme'"
    ]


def test_repeated_column_is_an_error():
    tbl = table(("slug", "name", "kind", "name"), ("acme", "Acme", "company", "Acme"))
    assert errors_of(RecordKind.ORGANISATIONS, tbl) == [
        "orgs.csv, row 1, column name: the column 'name' appears twice"
    ]


# --- organisations ---

ORG_HEADER = (
    "identifier_scheme",
    "legal_identifier",
    "slug",
    "name",
    "kind",
    "size_class",
    "government_level",
    "website",
    "working_languages",
    "sectors",
    "keywords",
    "description_en",
    "is_published",
)


def test_valid_organisation_row_is_parsed_into_canonical_values():
    tbl = table(
        ORG_HEADER,
        (
            "BE",
            "BE 0403 170 701",
            "",
            " Noordzee Wind ",
            "Company",
            "LARGE",
            "",
            "https://nw.example",
            "NL; en,nl",
            "3512; d",
            "Offshore  Wind;hydrogen;",
            "Wind at sea.\n",
            "yes",
        ),
    )
    parsed = parse_table(RecordKind.ORGANISATIONS, tbl, VOCAB)
    assert parsed.errors == ()
    (record,) = parsed.records
    assert record.organisation == OrganisationKey("be", "0403.170.701", "")
    assert dict(record.values) == {
        "identifier_scheme": "be",
        "legal_identifier": "0403.170.701",
        "slug": None,
        "name": "Noordzee Wind",
        "kind": "company",
        "size_class": "large",
        "government_level": "",
        "website": "https://nw.example",
        "working_languages": "nl,en",
        "sectors": frozenset({"35.12", "D"}),
        "keywords": frozenset({"offshore wind", "hydrogen"}),
        "description_en": "Wind at sea.\n",
        "is_published": True,
    }


def test_every_error_of_every_row_is_collected():
    tbl = table(
        ORG_HEADER,
        ("be", "0403.170.702", "", "Typo", "company", "", "", "", "", "", "", "", ""),
        ("xx", "123", "", "Bad scheme", "company", "", "", "", "", "", "", "", ""),
        (
            "",
            "",
            "",
            "No key",
            "firm",
            "medium",
            "",
            "www.example.be",
            "nl,es",
            "62.01;J;99.99",
            "",
            "",
            "maybe",
        ),
        ("", "", "ok-slug", "", "company", "", "", "", "", "", "x" * 81, "", ""),
    )
    assert errors_of(RecordKind.ORGANISATIONS, tbl) == [
        "orgs.csv, row 2, column legal_identifier: '0403.170.702': check digits do not match (mod 97)",
        "orgs.csv, row 3, column identifier_scheme: 'xx' is not one of: be, lu_rcs, eu_vat",
        "orgs.csv, row 4, column kind: 'firm' is not one of: company, knowledge_institution, government, "
        "federation, cluster_organisation",
        "orgs.csv, row 4, column size_class: 'medium' is not one of: sme, large",
        "orgs.csv, row 4, column website: 'www.example.be' is not a web address starting with http:// or https://",
        "orgs.csv, row 4, column working_languages: unknown language 'es' (use nl, fr, de, en)",
        "orgs.csv, row 4, column sectors: '62.01' is not a NACE Rev. 2.1 code; "
        "'99.99' is not a NACE Rev. 2.1 code",
        "orgs.csv, row 4, column is_published: 'maybe' is not a yes/no value (use true or false)",
        "orgs.csv, row 4, column legal_identifier: an organisation needs a legal_identifier or a slug",
        "orgs.csv, row 5, column name: required, but empty",
        f"orgs.csv, row 5, column keywords: keyword {'x' * 81!r} is longer than 80 characters",
    ]


def test_identifier_without_scheme_is_an_error():
    tbl = table(
        ("identifier_scheme", "legal_identifier", "name", "kind"), ("", "0403.170.701", "Acme", "company")
    )
    assert errors_of(RecordKind.ORGANISATIONS, tbl) == [
        "orgs.csv, row 2, column identifier_scheme: required when legal_identifier is given"
    ]


def test_duplicate_keys_in_a_file_are_errors_and_only_the_first_row_is_kept():
    tbl = table(
        ("identifier_scheme", "legal_identifier", "slug", "name", "kind"),
        ("be", "0403.170.701", "", "Acme", "company"),
        ("be", "BE0403170701", "", "Acme again", "company"),
        ("", "", "beta", "Beta", "company"),
        ("", "", "beta", "Beta again", "company"),
    )
    parsed = parse_table(RecordKind.ORGANISATIONS, tbl, VOCAB)
    assert [str(e) for e in parsed.errors] == [
        "orgs.csv, row 3, column legal_identifier: duplicate key: row 2 has the same legal identifier",
        "orgs.csv, row 5, column slug: duplicate key: row 4 has the same slug",
    ]
    assert [r.row for r in parsed.records] == [2, 4]


@pytest.mark.parametrize(
    ("kind", "size", "level", "problems"),
    [
        ("company", "sme", "", []),
        ("government", "", "regional", []),
        (
            "government",
            "sme",
            "",
            [("size_class", "a size class applies only to companies, not to kind 'government'")],
        ),
        (
            "company",
            "",
            "local",
            [("government_level", "a government level applies only to kind 'government', not 'company'")],
        ),
    ],
)
def test_size_only_for_companies_and_level_only_for_governments(kind, size, level, problems):
    assert check_organisation(kind, size, level) == problems


# --- sites, people, memberships ---


def test_site_rows_check_coordinates_country_region_and_booleans():
    sites = Source("sites.csv")
    tbl = table(
        ("organisation", "name", "city", "country", "region", "latitude", "longitude", "is_headquarters"),
        ("be:0403.170.701", "HQ", "Gent", "be", "oost-vlaanderen", "51,05", "3.72", "1"),
        ("acme", "Depot", "Liège", "Belgium", "walloon", "91", "east", "sometimes"),
        ("be:0403.170.702", "Lab", "", "", "", "", "", ""),
        source=sites,
    )
    parsed = parse_table(RecordKind.SITES, tbl, VOCAB)
    assert [str(e) for e in parsed.errors] == [
        "sites.csv, row 3, column country: 'Belgium' is not a two-letter ISO 3166 country code",
        "sites.csv, row 3, column region: 'walloon' is not one of: antwerpen, oost-vlaanderen, "
        "west-vlaanderen, brussels, wallonia, luxembourg, other",
        "sites.csv, row 3, column latitude: '91' is out of range (-90 to 90)",
        "sites.csv, row 3, column longitude: 'east' is not a number",
        "sites.csv, row 3, column is_headquarters: 'sometimes' is not a yes/no value (use true or false)",
        "sites.csv, row 4, column organisation: '0403.170.702': check digits do not match (mod 97)",
        "sites.csv, row 4, column city: required, but empty",
    ]
    (record,) = parsed.records
    assert dict(record.values) == {
        "organisation": OrganisationKey("be", "0403.170.701"),
        "name": "HQ",
        "city": "Gent",
        "country": "BE",
        "region": "oost-vlaanderen",
        "latitude": 51.05,
        "longitude": 3.72,
        "is_headquarters": True,
    }


def test_people_rows_check_email_and_iso_dates_and_key_on_email():
    people = Source("people.csv")
    tbl = table(
        ("organisation", "first_name", "last_name", "email", "consent_recorded_on"),
        ("acme", "An", "Peeters", "an@acme.example", "2024-03-01"),
        ("acme", "Bo", "Claes", "bo(at)acme", "01/03/2024"),
        ("acme", "Ann", "Peeters", "an@acme.example", "2024-02-30"),
        ("acme", "Jan", "Janssens", "", ""),
        ("acme", "Jan", "Janssens", "", ""),
        source=people,
    )
    parsed = parse_table(RecordKind.PEOPLE, tbl, VOCAB)
    assert [str(e) for e in parsed.errors] == [
        "people.csv, row 3, column email: 'bo(at)acme' is not an e-mail address",
        "people.csv, row 3, column consent_recorded_on: '01/03/2024' is not a date written YYYY-MM-DD",
        "people.csv, row 4, column consent_recorded_on: '2024-02-30' is not a date that exists",
        "people.csv, row 6, column last_name: duplicate key: row 5 has the same organisation and name "
        "(and no e-mail)",
    ]
    assert [(r.row, r.values["consent_recorded_on"]) for r in parsed.records] == [
        (2, dt.date(2024, 3, 1)),
        (5, None),
    ]


def test_membership_rows_check_level_and_list_domains():
    memberships = Source("members.xlsx", "memberships")
    tbl = table(
        ("organisation", "cluster", "level", "since", "domains"),
        ("acme", "blue-energy", "Member", "2020-01-01", "offshore-wind; hydrogen"),
        ("acme", "blue-energy", "interested", "", ""),
        ("beta", "blue energy", "boss", "", "not a slug"),
        source=memberships,
    )
    parsed = parse_table(RecordKind.MEMBERSHIPS, tbl, VOCAB)
    assert [str(e) for e in parsed.errors] == [
        "members.xlsx, sheet memberships, row 3, column cluster: duplicate key: row 2 has the same "
        "organisation and cluster",
        "members.xlsx, sheet memberships, row 4, column cluster: 'blue energy' is not a slug "
        "(letters, digits, - and _, at most 220)",
        "members.xlsx, sheet memberships, row 4, column level: 'boss' is not one of: interested, loi_signed, "
        "member, strategic_partner, left",
        "members.xlsx, sheet memberships, row 4, column domains: 'not a slug' is not a slug "
        "(letters, digits, - and _, at most 220)",
    ]
    (record,) = parsed.records
    assert dict(record.values) == {
        "organisation": OrganisationKey(slug="acme"),
        "cluster": "blue-energy",
        "level": "member",
        "since": dt.date(2020, 1, 1),
        "domains": frozenset({"offshore-wind", "hydrogen"}),
    }


def test_a_value_under_a_column_without_name_is_an_error():
    tbl = table(
        ("slug", "name", "kind", ""), ("acme", "Acme", "company", "stray"), ("beta", "Beta", "company", "")
    )
    assert errors_of(RecordKind.ORGANISATIONS, tbl) == [
        "orgs.csv, row 2, column #4: a value in a column without a name"
    ]
