"""Integration: the public sign-up, its e-mail confirmation, and the staff's approval or rejection; the
same answer whatever the address; a rate limit."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core import mail

from helix.notifications.models import OutgoingMail
from helix.people import signups
from helix.people.models import SignupRequest
from helix.people.signup_views import SIGNUPS_PER_ADDRESS
from helix.registry.models import Membership, Organisation, Person
from tests.factories import UserFactory
from tests.people.helpers import last_mail_to, link_in

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
User = get_user_model()
PASSWORD = "a sturdy passphrase 42"


def form(**extra):  # type: ignore[no-untyped-def]
    data = {
        "first_name": "Sam",
        "last_name": "Janssens",
        "email": "sam@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation": "Enervalis",
        "cluster": "",
        "message": "I run the energy team.",
        "website": "",
    }
    data.update(extra)
    return data


def sign_up(client, capture, **extra):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        response = client.post("/people/sign-up/", form(**extra))
    return response


def confirmed(client, capture, **extra) -> SignupRequest:  # type: ignore[no-untyped-def]
    response = sign_up(client, capture, **extra)
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(link_in(last_mail_to(extra.get("email", "sam@example.org"))))
    assert page.status_code == 200
    assert "your address is confirmed" in page.content.decode()
    return SignupRequest.objects.get(email=extra.get("email", "sam@example.org"))


def test_a_sign_up_creates_no_account_until_the_address_is_confirmed_and_staff_approve(
    client, eco, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/people/sign-up/sent/"
    request = SignupRequest.objects.get()
    assert (request.status, request.organisation, request.cluster) == ("unconfirmed", eco.enervalis, None)
    assert request.password_hash
    assert PASSWORD not in request.password_hash
    assert not User.objects.filter(email="sam@example.org").exists()
    # Staff see nothing before the confirmation.
    client.force_login(eco.staff)
    assert "sam@example.org" not in client.get("/people/sign-ups/").content.decode()
    client.logout()
    client.get(link_in(last_mail_to("sam@example.org")))
    request.refresh_from_db()
    assert request.status == "pending"
    client.force_login(eco.staff)
    assert "sam@example.org" in client.get("/people/sign-ups/").content.decode()
    page = client.get(f"/people/sign-ups/{request.pk}/")
    assert page.status_code == 200
    assert "I run the energy team." in page.content.decode()
    assert page.context["approve_form"].initial["organisation"] == eco.enervalis.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/people/sign-ups/{request.pk}/",
            {"decision": "approve", "organisation": eco.enervalis.pk, "new_organisation": "", "cluster": ""},
        )
    assert response.status_code == 302
    user = User.objects.get(email="sam@example.org")
    assert authenticate(username=user.username, password=PASSWORD) == user  # the password chosen at sign-up
    assert Person.objects.get(user=user).organisation == eco.enervalis
    request.refresh_from_db()
    assert (request.status, request.password_hash, request.decided_by) == ("approved", "", eco.staff)
    approved = last_mail_to("sam@example.org")
    assert "account is ready" in approved.subject
    assert user.username in approved.body


def test_approval_may_create_the_organisation(client, eco, django_capture_on_commit_callbacks):
    request = confirmed(
        client, django_capture_on_commit_callbacks, organisation="Startco", cluster=eco.alpha.pk
    )
    assert (request.organisation, request.organisation_name, request.cluster) == (None, "Startco", eco.alpha)
    client.force_login(eco.staff)
    page = client.get(f"/people/sign-ups/{request.pk}/")
    assert page.context["approve_form"].initial["new_organisation"] == "Startco"
    client.post(
        f"/people/sign-ups/{request.pk}/",
        {
            "decision": "approve",
            "organisation": "",
            "new_organisation": "Startco",
            "organisation_kind": "company",
            "cluster": eco.alpha.pk,
        },
    )
    startco = Organisation.objects.get(name="Startco")
    assert startco.is_published is False
    assert Membership.objects.get(organisation=startco).cluster == eco.alpha
    assert Person.objects.get(email="sam@example.org").organisation == startco


def test_a_rejection_tells_the_reason_and_keeps_no_password(client, eco, django_capture_on_commit_callbacks):
    request = confirmed(client, django_capture_on_commit_callbacks)
    client.force_login(eco.staff)
    missing = client.post(f"/people/sign-ups/{request.pk}/", {"decision": "reject", "reason": ""})
    assert missing.status_code == 400
    assert missing.context["reject_form"].errors["reason"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/people/sign-ups/{request.pk}/", {"decision": "reject", "reason": "Not a company of ours."}
        )
    request.refresh_from_db()
    assert (request.status, request.password_hash, request.reason) == (
        "rejected",
        "",
        "Not a company of ours.",
    )
    assert "Not a company of ours." in last_mail_to("sam@example.org").body
    assert not User.objects.filter(email="sam@example.org").exists()
    # Decided once: no second decision.
    page = client.get(f"/people/sign-ups/{request.pk}/")
    assert page.context["open"] is False


def test_the_answer_is_the_same_for_an_address_that_has_an_account(
    client, eco, django_capture_on_commit_callbacks
):
    UserFactory(username="known", email="known@example.org")
    fresh = sign_up(client, django_capture_on_commit_callbacks, email="new@example.org")
    known = sign_up(client, django_capture_on_commit_callbacks, email="known@example.org")
    assert (fresh.status_code, fresh["Location"]) == (known.status_code, known["Location"])

    def main(response):  # type: ignore[no-untyped-def]
        return response.content.decode().split("<main", 1)[1].split("</main>")[0]  # no CSRF token there

    assert main(client.get(fresh["Location"])) == main(client.get(known["Location"]))
    assert not SignupRequest.objects.filter(email="known@example.org").exists()
    told = last_mail_to("known@example.org")
    assert "already have a Helix account" in told.subject
    assert "/accounts/password_reset/" in told.body
    assert OutgoingMail.objects.get(to="known@example.org").kind == "signup"


def test_signing_up_again_replaces_the_unconfirmed_request(client, eco, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    first_link = link_in(last_mail_to("sam@example.org"))
    sign_up(client, django_capture_on_commit_callbacks, last_name="Jansen")
    assert SignupRequest.objects.get().last_name == "Jansen"
    assert client.get(first_link).status_code == 410  # the first link died
    assert client.get(link_in(last_mail_to("sam@example.org"))).status_code == 200


def test_a_new_organisation_needs_a_cluster(client, eco):
    response = client.post("/people/sign-up/", form(organisation="Startco"))
    assert response.status_code == 200
    assert response.context["form"].errors["cluster"]
    assert SignupRequest.objects.count() == 0


def test_a_weak_password_is_refused(client, eco):
    response = client.post("/people/sign-up/", form(password1="sam", password2="sam"))
    assert response.context["form"].errors["password1"]


def test_sign_ups_from_one_address_are_limited(client, eco, django_capture_on_commit_callbacks):
    for n in range(SIGNUPS_PER_ADDRESS):
        assert (
            sign_up(client, django_capture_on_commit_callbacks, email=f"s{n}@example.org").status_code == 302
        )
    refused = sign_up(client, django_capture_on_commit_callbacks, email="late@example.org")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert not SignupRequest.objects.filter(email="late@example.org").exists()


def test_a_robot_filling_the_hidden_field_is_answered_but_ignored(
    client, eco, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, website="http://spam.example")
    assert response["Location"] == "/people/sign-up/sent/"
    assert SignupRequest.objects.count() == 0
    assert mail.outbox == []


def test_only_the_staff_of_the_request_s_cluster_see_and_decide_it(
    client, eco, django_capture_on_commit_callbacks
):
    request = confirmed(client, django_capture_on_commit_callbacks)  # Enervalis: cluster alpha
    client.force_login(eco.staff_beta)
    assert "sam@example.org" not in client.get("/people/sign-ups/").content.decode()
    assert client.get(f"/people/sign-ups/{request.pk}/").status_code == 404
    assert list(signups.pending_signups(eco.staff)) == [request]
    assert list(signups.pending_signups(eco.staff_beta)) == []
    client.force_login(eco.member)
    assert client.get("/people/sign-ups/").status_code == 403


def test_staff_may_attach_only_to_an_organisation_of_their_clusters(
    client, eco, django_capture_on_commit_callbacks
):
    request = confirmed(client, django_capture_on_commit_callbacks)
    client.force_login(eco.staff)
    response = client.post(
        f"/people/sign-ups/{request.pk}/", {"decision": "approve", "organisation": eco.niko.pk}
    )
    assert response.status_code == 400
    assert response.context["approve_form"].errors["organisation"]
    assert SignupRequest.objects.get().status == "pending"


def test_an_expired_confirmation_link_asks_to_sign_up_again(client, eco, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    sign_up(client, django_capture_on_commit_callbacks)
    SignupRequest.objects.update(created_at=timezone.now() - dt.timedelta(days=4))
    page = client.get(link_in(last_mail_to("sam@example.org")))
    assert page.status_code == 410
    assert "Sign up again" in page.content.decode()
    assert SignupRequest.objects.get().status == "unconfirmed"
