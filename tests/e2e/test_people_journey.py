"""E2E: staff invite a company contact by e-mail; the invitee opens the link, chooses a password and
lands logged in on the home page as a person of the company. A visitor signs up, confirms the address
and staff approve the request; the new member logs in with the password chosen at sign-up."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from helix.notifications.models import OutgoingMail
from helix.registry.models import Person
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, staff_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "violet harbour lantern 77"


def log_in(page, username, password=PASSWORD):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def link_sent_to(address: str) -> str:
    mail = OutgoingMail.objects.filter(to=address).latest("created_at")
    return re.search(r"https?://[^/\s]+(/people/[^\s]+/)", mail.body).group(1)


@pytest.fixture
def cluster():  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(name="Flux50")
    company = OrganisationFactory(name="HeatCo", slug="heatco")
    MembershipFactory(organisation=company, cluster=cluster)
    staff_user(cluster, "manager")
    return cluster


def test_staff_invites_a_contact_who_joins_through_the_link(page, cluster):  # type: ignore[no-untyped-def]
    log_in(page, "manager")
    page.get_by_role("link", name="Invite people").first.click()
    page.wait_for_url("**/people/invite/")
    page.fill("input[name=email]", "ines@heatco.example")
    page.fill("input[name=first_name]", "Ines")
    page.fill("input[name=last_name]", "Claes")
    page.select_option("select[name=organisation]", label="HeatCo")
    page.fill("textarea[name=message]", "Welcome to Flux50!")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url("**/people/invitations/")
    assert "ines@heatco.example" in page.locator("table.invitations").inner_text()

    path = link_sent_to("ines@heatco.example")
    page.context.clear_cookies()
    page.goto(path)
    assert "HeatCo" in page.locator("main").inner_text()
    assert "Welcome to Flux50!" in page.locator("main").inner_text()
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")  # the home page
    assert "Log out" in page.locator("header.site-header").inner_text()
    person = Person.objects.select_related("user", "organisation").get(email="ines@heatco.example")
    assert person.organisation.name == "HeatCo"
    assert person.user is not None
    assert person.user.check_password(NEW_PASSWORD)

    # The link works once.
    page.context.clear_cookies()
    page.goto(path)
    assert "already accepted" in page.locator("main").inner_text()


def test_a_visitor_signs_up_and_staff_approve(page, cluster):  # type: ignore[no-untyped-def]
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.wait_for_url("**/people/sign-up/")
    page.fill("input[name=first_name]", "Sam")
    page.fill("input[name=last_name]", "Janssens")
    page.fill("input[name=email]", "sam@heatco.example")
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.fill("input[name=organisation]", "HeatCo")
    page.get_by_role("button", name="Ask for an account").click()
    page.wait_for_url("**/people/sign-up/sent/")

    page.goto(link_sent_to("sam@heatco.example"))
    assert "confirmed" in page.locator("main").inner_text()

    log_in(page, "manager")
    page.goto("/people/sign-ups/")
    page.get_by_role("link", name="Decide").click()
    assert page.locator("select[name=organisation] option:checked").inner_text() == "HeatCo"
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/people/sign-ups/")
    assert "has an account now" in page.locator(".messages").inner_text()

    username = Person.objects.get(email="sam@heatco.example").user.username
    log_in(page, username, NEW_PASSWORD)
    assert "Log out" in page.locator("header.site-header").inner_text()
