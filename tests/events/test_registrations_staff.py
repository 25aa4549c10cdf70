"""Integration: the organiser registers participants from the event page, without the admin — one by one
(a person of an organisation, or a new person of an organisation they may add people to) and from a CSV
or XLSX file, all rows or none, the errors naming the row and the column."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from helix.events.models import Registration
from helix.registry.models import Person
from helix.spreadsheets import write_workbook
from tests.events.helpers import small_event
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def setup(db):  # type: ignore[no-untyped-def]
    """An open event of Smart Energy Cities with HeatCo registered; Enervalis is a member of the cluster
    (its staff add people to it), Foreign NV is published but in another cluster's care."""
    setup = small_event(["HeatCo"])
    enervalis = OrganisationFactory(name="Enervalis", slug="enervalis")
    MembershipFactory(organisation=enervalis, cluster=setup.event.cluster)
    PersonFactory(
        organisation=enervalis, first_name="Lotte", last_name="Vermeulen", email="lotte@enervalis.example"
    )
    PersonFactory(
        organisation=enervalis, first_name="Pieter", last_name="Claes", email="pieter@enervalis.example"
    )
    foreign = OrganisationFactory(name="Foreign NV", slug="foreign")
    MembershipFactory(organisation=foreign)  # a member of another cluster
    PersonFactory(
        organisation=foreign,
        first_name="Fay",
        last_name="Public",
        email="fay@foreign.example",
        consent_public=True,
    )
    setup.enervalis, setup.foreign = enervalis, foreign  # type: ignore[attr-defined]
    return setup


def test_choosing_an_organisation_offers_its_people(client, setup):
    client.force_login(setup.organiser)
    enervalis = setup.enervalis

    response = client.get(f"/events/{setup.event.pk}/participants/add/?organisation={enervalis.pk}")

    html = response.content.decode()
    people = enervalis.people.order_by("last_name")
    assert [p.last_name for p in response.context["add_form"].fields["person"].queryset] == [
        "Claes",
        "Vermeulen",
    ]
    for person in people:
        assert f'<option value="{person.pk}">{person}</option>' in html
    assert "Fay Public" not in html


def test_the_event_page_holds_the_forms_to_add_and_import(client, setup):
    client.force_login(setup.organiser)
    html = client.get(f"/events/{setup.event.pk}/").content.decode()
    assert 'id="add-participant"' in html
    assert 'id="import-participants"' in html
    assert f'hx-get="/events/{setup.event.pk}/participants/add/"' in html


def test_the_organiser_registers_a_person_of_an_organisation(client, setup):
    client.force_login(setup.organiser)
    lotte = setup.enervalis.people.get(last_name="Vermeulen")

    response = client.post(
        f"/events/{setup.event.pk}/participants/add/",
        {"organisation": setup.enervalis.pk, "person": lotte.pk, "role": "host", "online": "on"},
        follow=True,
    )

    registration = Registration.objects.get(event=setup.event, person=lotte)
    assert (registration.organisation, registration.role, registration.online) == (
        setup.enervalis,
        "host",
        True,
    )
    assert "Lotte Vermeulen (Enervalis) is registered." in response.content.decode()


def test_the_organiser_registers_a_new_person(client, setup):
    client.force_login(setup.organiser)

    client.post(
        f"/events/{setup.event.pk}/participants/add/",
        {
            "organisation": setup.enervalis.pk,
            "first_name": "Noor",
            "last_name": "Peeters",
            "email": "noor@enervalis.example",
            "role": "participant",
        },
    )

    noor = Person.objects.get(email="noor@enervalis.example")
    assert (noor.organisation, noor.full_name) == (setup.enervalis, "Noor Peeters")
    assert Registration.objects.filter(event=setup.event, person=noor).exists()


def test_a_new_person_needs_an_organisation_the_organiser_may_add_people_to(client, setup):
    client.force_login(setup.organiser)

    response = client.post(
        f"/events/{setup.event.pk}/participants/add/",
        {
            "organisation": setup.foreign.pk,
            "first_name": "Noor",
            "last_name": "Peeters",
            "email": "noor@foreign.example",
            "role": "participant",
        },
    )

    assert response.status_code == 200
    assert "You may not add people to Foreign NV" in response.content.decode()
    assert not Person.objects.filter(email="noor@foreign.example").exists()


def test_a_public_person_of_another_cluster_s_organisation_is_registered(client, setup):
    client.force_login(setup.organiser)
    fay = setup.foreign.people.get()
    client.post(
        f"/events/{setup.event.pk}/participants/add/",
        {"organisation": setup.foreign.pk, "person": fay.pk, "role": "participant"},
    )
    assert Registration.objects.filter(event=setup.event, person=fay).exists()


def test_wrong_or_twice(client, setup):
    client.force_login(setup.organiser)
    lotte = setup.enervalis.people.get(last_name="Vermeulen")
    url = f"/events/{setup.event.pk}/participants/add/"

    other_org = client.post(
        url, {"organisation": setup.foreign.pk, "person": lotte.pk, "role": "participant"}
    )
    no_name = client.post(url, {"organisation": setup.enervalis.pk, "role": "participant"})
    client.post(url, {"organisation": setup.enervalis.pk, "person": lotte.pk, "role": "participant"})
    twice = client.post(url, {"organisation": setup.enervalis.pk, "person": lotte.pk, "role": "participant"})

    assert "Select a valid choice" in other_org.content.decode()  # Lotte is not among Foreign NV's people
    assert "Choose a person, or give a new person&#x27;s first and last name." in no_name.content.decode()
    assert "Lotte Vermeulen is already registered." in twice.content.decode()
    assert Registration.objects.filter(person=lotte).count() == 1


def test_participants_do_not_register_others(client, setup):
    client.force_login(setup.users[0])
    assert client.get(f"/events/{setup.event.pk}/participants/add/").status_code == 403
    assert client.get(f"/events/{setup.event.pk}/participants/import/").status_code == 403


# -- from a file ---------------------------------------------------------------------------------------------


def upload(client, setup, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        f"/events/{setup.event.pk}/participants/import/",
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )


GOOD = (
    "organisation,first_name,last_name,email,role,online,online_link\n"
    "enervalis,Lotte,Vermeulen,LOTTE@enervalis.example,host,no,\n"
    "Enervalis,Noor,Peeters,noor@enervalis.example,,yes,https://meet.example/noor\n"
    "foreign,Fay,Public,fay@foreign.example,visitor,,\n"
)


def test_the_organiser_imports_a_csv_file(client, setup):
    client.force_login(setup.organiser)

    response = upload(client, setup, "participants.csv", GOOD.encode())

    assert "participants.csv: 3 registered (1 new people), 0 already registered." in response.content.decode()
    rows = sorted(
        Registration.objects.filter(event=setup.event)
        .exclude(organisation__name="HeatCo")
        .values_list("person__email", "role", "online", "online_link")
    )
    assert rows == [
        ("fay@foreign.example", "visitor", False, ""),
        ("lotte@enervalis.example", "host", False, ""),
        ("noor@enervalis.example", "participant", True, "https://meet.example/noor"),
    ]
    again = upload(client, setup, "participants.csv", GOOD.encode())
    assert "participants.csv: 0 registered (0 new people), 3 already registered." in again.content.decode()


def test_the_organiser_imports_a_workbook(client, setup):
    client.force_login(setup.organiser)
    data = io.BytesIO()
    write_workbook(
        data,
        {
            "people": (
                ["Organisation", "First name", "Last name", "E-mail"],
                [["enervalis", "Lotte", "Vermeulen", "lotte@enervalis.example"]],
            )
        },
    )

    response = upload(client, setup, "participants.xlsx", data.getvalue())

    assert "1 registered" in response.content.decode()
    assert Registration.objects.filter(event=setup.event, person__last_name="Vermeulen").exists()


def test_one_bad_row_and_nothing_is_written(client, setup):
    client.force_login(setup.organiser)
    bad = GOOD + "enervalis,Ben,Weis,not-an-address,,,\nNobody Inc,Ann,Other,ann@nobody.example,,,\n"

    response = upload(client, setup, "participants.csv", bad.encode())

    errors = response.context["errors"]
    assert errors == [
        "Row 5, column email: 'not-an-address' is not an e-mail address",
        "Row 6, column organisation: no organisation you may see is called 'Nobody Inc'",
    ]
    assert 'id="import-errors"' in response.content.decode()
    assert Registration.objects.filter(event=setup.event).count() == 1  # HeatCo's only
    assert not Person.objects.filter(email="noor@enervalis.example").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "organisation,first_name,last_name,email,company_size\nenervalis,A,B,a@b.example,9\n",
            [
                "Row 1: unknown columns company_size; the columns are organisation, first_name, last_name, "
                "email, "
                "role, online, online_link."
            ],
        ),
        ("first_name,last_name,email\nA,B,a@b.example\n", ["Row 1: the column organisation is missing."]),
        (
            "organisation,first_name,last_name,email\nforeign,New,Person,new@foreign.example\n",
            [
                "Row 2, column organisation: you may not add people to Foreign NV; "
                "only its cluster's staff may"
            ],
        ),
        (
            "organisation,first_name,last_name,email\nenervalis,=HYPERLINK(1),B,b@enervalis.example\n",
            ["Row 2, column first_name: it starts like a spreadsheet formula; put an apostrophe before it"],
        ),
        (
            "organisation,first_name,last_name,email,role\nenervalis,Lotte,V,lotte@enervalis.example,boss\n",
            ["Row 2, column role: 'boss' is not one of participant, host, visitor"],
        ),
        (
            "organisation,first_name,last_name,email\nenervalis,Lotte,V,lotte@enervalis.example\n"
            "enervalis,Lotte,V,lotte@enervalis.example\n",
            ["Row 3, column email: the same person as in row 2"],
        ),
        (
            "organisation,first_name,last_name,email\nenervalis,,,newcomer@enervalis.example\n",
            ["Row 2, column first_name: a new person needs a first name, a last name and an e-mail"],
        ),
    ],
    ids=["unknown-column", "no-organisation", "not-theirs", "formula", "role", "twice", "new-without-name"],
)
def test_import_errors_name_the_row_and_the_column(client, setup, text, expected):
    client.force_login(setup.organiser)
    response = upload(client, setup, "participants.csv", text.encode())
    assert response.context["errors"] == expected
    assert Registration.objects.filter(event=setup.event).count() == 1
