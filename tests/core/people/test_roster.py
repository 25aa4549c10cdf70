"""Unit: reading a list of people to invite; every error names its row and column, and one error means
nobody."""

from __future__ import annotations

import pytest

from helix.core.people.roster import MAX_ROWS, Invitee, check_header, read_invitees, read_row
from helix.core.registry.records import (
    Column,
    RowError,
    Source,
    Table,
    Vocabulary,
    choice,
    email,
    escape_cell,
    read_csv,
)

pytestmark = pytest.mark.unit

LANGUAGES = ("nl", "fr", "de", "en")
VOCAB = Vocabulary((), (), (), (), LANGUAGES)


def table(text: str) -> Table:
    read, errors = read_csv(text.encode(), Source("people.csv"))
    assert errors == []
    assert read is not None
    return read


def test_rows_become_invitees_with_their_row_numbers():
    invitees, errors = read_invitees(
        table(
            "E-mail;First name;Last name;Organisation;Language;Role\n"
            "ann@example.org;Ann;Peeters;enervalis;nl;CTO\n"
            "bo@example.org;Bo;Maes;be:0403.170.701;;\n"
        ),
        LANGUAGES,
    )
    assert errors == []
    assert invitees == [
        Invitee(
            2, "ann@example.org", "Ann", "Peeters", organisation="enervalis", language="nl", job_title="CTO"
        ),
        Invitee(3, "bo@example.org", "Bo", "Maes", organisation="be:0403.170.701"),
    ]


def test_a_new_organisation_with_its_cluster():
    invitees, errors = read_invitees(
        table(
            "email,first_name,last_name,new_organisation,cluster\ncy@example.org,Cy,Dewit,Newco BV,flux50\n"
        ),
        LANGUAGES,
    )
    assert errors == []
    assert invitees == [
        Invitee(2, "cy@example.org", "Cy", "Dewit", new_organisation="Newco BV", cluster="flux50")
    ]


def test_one_bad_row_returns_no_invitee_and_names_row_and_column():
    invitees, errors = read_invitees(
        table(
            "email,first_name,last_name,organisation,language\n"
            "ann@example.org,Ann,Peeters,enervalis,nl\n"
            "not-an-address,Bo,Maes,enervalis,nl\n"
            "cy@example.org,,Dewit,enervalis,es\n"
        ),
        LANGUAGES,
    )
    assert invitees == []
    assert errors == [
        RowError("people.csv", 3, "email", "'not-an-address' is not an e-mail address"),
        RowError("people.csv", 4, "first_name", "required, but empty"),
        RowError("people.csv", 4, "language", "'es' is not one of: nl, fr, de, en"),
    ]


def test_each_row_names_exactly_one_organisation():
    _invitees, errors = read_invitees(
        table(
            "email,first_name,last_name,organisation,new_organisation\n"
            "ann@example.org,Ann,Peeters,enervalis,Newco\n"
            "bo@example.org,Bo,Maes,,\n"
        ),
        LANGUAGES,
    )
    assert [(e.row, e.column) for e in errors] == [(2, "organisation"), (3, "organisation")]
    assert "not both" in errors[0].message
    assert "required" in errors[1].message


def test_the_same_address_twice_is_refused_at_its_second_row():
    _invitees, errors = read_invitees(
        table(
            "email,first_name,last_name,organisation\n"
            "ann@example.org,Ann,Peeters,enervalis\n"
            "ANN@example.org,Ann,Peeters,niko\n"
        ),
        LANGUAGES,
    )
    assert errors == [RowError("people.csv", 3, "email", "ANN@example.org is already invited in row 2")]


def test_a_formula_is_refused_unless_escaped():
    _invitees, errors = read_invitees(
        table(
            "email,first_name,last_name,organisation,message\n"
            'ann@example.org,Ann,Peeters,enervalis,"=HYPERLINK(""http://x"")"\n'
            "bo@example.org,Bo,Maes,enervalis,'=literally\n"
        ),
        LANGUAGES,
    )
    assert [(e.row, e.column) for e in errors] == [(2, "message")]
    assert "formula" in errors[0].message


def test_header_problems_are_reported_before_any_row():
    _invitees, errors = read_invitees(table("email,first_name,colour\nann@example.org,Ann,red\n"), LANGUAGES)
    assert [(e.row, e.column) for e in errors] == [(1, "colour"), (1, "last_name"), (1, "organisation")]


def test_a_list_longer_than_the_limit_is_refused_whole():
    rows = "".join(f"p{n}@example.org,P,N,enervalis\n" for n in range(MAX_ROWS + 1))
    invitees, errors = read_invitees(table("email,first_name,last_name,organisation\n" + rows), LANGUAGES)
    assert invitees == []
    assert len(errors) == 1
    assert f"at most {MAX_ROWS}" in errors[0].message


def test_an_escaped_cell_reads_back_as_the_registry_import_reads_it():
    # The registry export writes '=x as ''=x (escape_cell); every import drops exactly one apostrophe.
    escaped = escape_cell("'=not a formula")
    invitees, errors = read_invitees(
        table(f"email,first_name,last_name,organisation,message\nann@example.org,Ann,Peeters,X,{escaped}\n"),
        LANGUAGES,
    )
    assert errors == []
    assert [i.message for i in invitees] == ["'=not a formula"]


def test_the_header_and_row_readers_serve_any_list_of_people():
    columns = (Column("email", email, required=True), Column("role", choice(lambda v: ("host", "guest"))))
    read = table("Email,Function\nann@example.org,HOST,extra\n")
    positions, header_errors = check_header(read, columns, {"function": "role"})
    assert (positions, header_errors) == ({"email": 0, "role": 1}, [])
    values, row_errors = read_row(read, 2, read.rows[0][1], columns, positions, VOCAB)
    assert values == {"email": "ann@example.org", "role": "host"}
    assert row_errors == [RowError("people.csv", 2, "#3", "a value in a column without a name")]
