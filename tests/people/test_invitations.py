"""Integration: staff invite one person, the invitee accepts through the e-mailed link; links that no
longer work say why; resend and revoke; a member invites colleagues of its own organisation only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from helix.core.people.lifecycle import COLLEAGUE_INVITATIONS_PER_DAY
from helix.notifications.models import OutgoingMail
from helix.people import invitations
from helix.people.models import Invitation, token_digest
from helix.registry.models import Membership, Organisation, Person
from tests.factories import PersonFactory, UserFactory
from tests.people.helpers import last_mail_to, link_in

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
User = get_user_model()
PASSWORD = "a sturdy passphrase 42"


def invite_form(**extra):  # type: ignore[no-untyped-def]
    data = {
        "email": "ann@example.org",
        "first_name": "Ann",
        "last_name": "Peeters",
        "organisation": "",
        "new_organisation": "",
        "organisation_kind": "company",
        "cluster": "",
        "language": "nl",
        "job_title": "CTO",
        "message": "Welkom bij de cluster!",
    }
    data.update(extra)
    return data


def staff_invites(client, eco, django_capture_on_commit_callbacks, **extra):  # type: ignore[no-untyped-def]
    client.force_login(eco.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/people/invite/", invite_form(**extra))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/people/invitations/"
    client.logout()
    return Invitation.objects.get(email=extra.get("email", "ann@example.org"))


def test_staff_invite_sends_a_link_in_the_invitees_language_and_stores_only_its_digest(
    client, eco, django_capture_on_commit_callbacks
):
    invitation = staff_invites(client, eco, django_capture_on_commit_callbacks, organisation=eco.enervalis.pk)
    sent = last_mail_to("ann@example.org")
    assert "Enervalis" in sent.subject
    assert "Stef Staff" in sent.body
    assert "Alpha Cluster" in sent.body
    assert "Welkom bij de cluster!" in sent.body
    path = link_in(sent)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert invitation.token_hash == token_digest(token)
    assert token not in invitation.token_hash
    assert invitation.status == "pending"
    assert invitation.language == "nl"
    assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=14)
    queued = OutgoingMail.objects.get(to="ann@example.org")
    assert (queued.kind, queued.language) == ("invitation", "nl")  # rendered in the invitee's language


def test_the_invitee_chooses_a_password_is_logged_in_and_belongs_to_the_organisation(
    client, eco, django_capture_on_commit_callbacks
):
    staff_invites(client, eco, django_capture_on_commit_callbacks, organisation=eco.enervalis.pk)
    path = link_in(last_mail_to("ann@example.org"))
    page = client.get(path)
    assert page.status_code == 200
    assert "Stef Staff" in page.content.decode()
    assert "Enervalis" in page.content.decode()
    response = client.post(
        path, {"first_name": "Ann", "last_name": "Peeters", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(email="ann@example.org")
    assert user.check_password(PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk
    person = Person.objects.get(user=user)
    assert (person.organisation, person.job_title) == (eco.enervalis, "CTO")
    invitation = Invitation.objects.get(email="ann@example.org")
    assert (invitation.status, invitation.person, invitation.closed_by) == ("accepted", person, user)
    # The link works once.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "already accepted" in again.content.decode()


def test_an_existing_person_with_that_address_gets_the_account(
    client, eco, django_capture_on_commit_callbacks
):
    known = PersonFactory(
        organisation=eco.enervalis, email="ann@example.org", first_name="Ann", phone="+32 1"
    )
    staff_invites(client, eco, django_capture_on_commit_callbacks, organisation=eco.enervalis.pk)
    path = link_in(last_mail_to("ann@example.org"))
    client.post(path, {"first_name": "Ann", "last_name": "P", "password1": PASSWORD, "password2": PASSWORD})
    known.refresh_from_db()
    assert known.user is not None
    assert known.user.email == "ann@example.org"
    assert Person.objects.filter(organisation=eco.enervalis, email="ann@example.org").count() == 1


def test_a_weak_password_is_refused_and_no_account_is_made(client, eco, django_capture_on_commit_callbacks):
    staff_invites(client, eco, django_capture_on_commit_callbacks, organisation=eco.enervalis.pk)
    path = link_in(last_mail_to("ann@example.org"))
    response = client.post(
        path, {"first_name": "Ann", "last_name": "P", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="ann@example.org").exists()
    assert Invitation.objects.get(email="ann@example.org").status == "pending"


def test_an_expired_link_says_so_and_staff_can_send_a_new_one(
    client, eco, django_capture_on_commit_callbacks
):
    invitation = staff_invites(client, eco, django_capture_on_commit_callbacks, organisation=eco.enervalis.pk)
    old_path = link_in(last_mail_to("ann@example.org"))
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(old_path)
    assert page.status_code == 410
    assert "has expired" in page.content.decode()
    assert "send the invitation again" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "expired"
    client.force_login(eco.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/people/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.status, invitation.times_sent) == ("pending", 2)
    new_path = link_in(last_mail_to("ann@example.org"))
    assert new_path != old_path
    client.logout()
    assert client.get(old_path).status_code == 404  # the old link is dead
    assert client.get(new_path).status_code == 200


def test_a_revoked_link_says_it_was_withdrawn(client, eco, django_capture_on_commit_callbacks):
    invitation = staff_invites(client, eco, django_capture_on_commit_callbacks, organisation=eco.enervalis.pk)
    path = link_in(last_mail_to("ann@example.org"))
    client.force_login(eco.staff)
    assert client.post(f"/people/invitations/{invitation.pk}/revoke/").status_code == 302
    client.logout()
    page = client.get(path)
    assert page.status_code == 410
    assert "withdrawn" in page.content.decode()
    response = client.post(
        path, {"first_name": "A", "last_name": "P", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="ann@example.org").exists()


def test_an_unknown_link_gets_a_page_saying_what_to_do(client, eco):
    page = client.get("/people/invitation/not-a-token/")
    assert page.status_code == 404
    assert "Sign up" in page.content.decode()


def test_a_new_organisation_is_created_on_acceptance_for_everyone_invited_to_it(
    client, eco, django_capture_on_commit_callbacks
):
    for email in ("ann@example.org", "bo@example.org"):
        staff_invites(
            client,
            eco,
            django_capture_on_commit_callbacks,
            email=email,
            new_organisation="Newco",
            cluster=eco.alpha.pk,
        )
    assert not Organisation.objects.filter(name="Newco").exists()  # nothing until someone accepts
    for email in ("ann@example.org", "bo@example.org"):
        client.post(
            link_in(last_mail_to(email)),
            {"first_name": "X", "last_name": "Y", "password1": PASSWORD, "password2": PASSWORD},
        )
        client.logout()
    newco = Organisation.objects.get(name="Newco")
    assert newco.is_published is False
    assert list(Membership.objects.filter(organisation=newco).values_list("cluster__slug", "level")) == [
        ("alpha", "interested")
    ]
    assert sorted(Person.objects.filter(organisation=newco).values_list("email", flat=True)) == [
        "ann@example.org",
        "bo@example.org",
    ]


def test_staff_may_not_invite_to_an_organisation_outside_their_clusters(eco):
    with pytest.raises(PermissionDenied):
        invitations.invite(
            by=eco.staff, email="x@example.org", first_name="X", last_name="Y", organisation=eco.niko
        )
    with pytest.raises(PermissionDenied):
        invitations.invite(
            by=eco.staff,
            email="x@example.org",
            first_name="X",
            last_name="Y",
            new_organisation="Z",
            cluster=eco.beta,
        )
    assert Invitation.objects.count() == 0


def test_the_form_offers_only_the_organisations_and_clusters_of_the_staff_member(client, eco):
    client.force_login(eco.staff)
    form = client.get("/people/invite/").context["form"]
    assert set(form.fields["organisation"].queryset) == {eco.alpha.operator, eco.enervalis}
    assert list(form.fields["cluster"].queryset) == [eco.alpha]
    response = client.post("/people/invite/", invite_form(organisation=eco.niko.pk))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors


def test_a_pending_invitation_is_not_sent_twice(client, eco, django_capture_on_commit_callbacks):
    staff_invites(client, eco, django_capture_on_commit_callbacks, organisation=eco.enervalis.pk)
    client.force_login(eco.staff)
    response = client.post("/people/invite/", invite_form(organisation=eco.enervalis.pk))
    assert response.status_code == 200
    assert "already invited" in str(response.context["form"].errors["email"])
    assert Invitation.objects.count() == 1


def test_someone_with_an_account_logs_in_to_accept(client, eco, django_capture_on_commit_callbacks):
    account = UserFactory(username="ann", email="ann@example.org")
    staff_invites(client, eco, django_capture_on_commit_callbacks, organisation=eco.enervalis.pk)
    path = link_in(last_mail_to("ann@example.org"))
    page = client.get(path)
    assert "already has an account" in page.content.decode()
    assert f"/accounts/login/?next={path}" in page.content.decode()
    client.force_login(account)
    assert "Accept with my account" in client.get(path).content.decode()
    assert client.post(path)["Location"] == "/"
    assert Person.objects.get(user=account).organisation == eco.enervalis
    assert Invitation.objects.get().status == "accepted"


def test_an_account_of_another_organisation_cannot_take_the_invitation(
    client, eco, django_capture_on_commit_callbacks
):
    staff_invites(
        client, eco, django_capture_on_commit_callbacks, organisation=eco.enervalis.pk, email="x@example.org"
    )
    other = UserFactory(username="nina")
    PersonFactory(organisation=eco.niko, user=other)
    client.force_login(other)
    path = link_in(last_mail_to("x@example.org"))
    assert "already belongs to Niko" in client.get(path).content.decode()
    client.post(path)
    assert Invitation.objects.get().status == "pending"


def test_a_member_invites_a_colleague_of_its_own_organisation(
    client, eco, django_capture_on_commit_callbacks
):
    client.force_login(eco.member)
    page = client.get("/people/invite/colleague/")
    assert page.status_code == 200
    assert "Enervalis" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/people/invite/colleague/",
            {"email": "col@example.org", "first_name": "Col", "last_name": "League", "language": "fr"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="col@example.org")
    assert (invitation.organisation, invitation.kind, invitation.cluster) == (
        eco.enervalis,
        "colleague",
        None,
    )
    sent = last_mail_to("col@example.org")
    assert "Mia Mia" in sent.subject
    assert "Enervalis" in sent.subject
    # The member sees it, and may revoke it; not on the staff list page.
    assert "col@example.org" in client.get("/people/invite/colleague/").content.decode()
    assert client.get("/people/invitations/").status_code == 403


def test_a_member_may_not_invite_to_another_organisation(eco):
    with pytest.raises(PermissionDenied):
        invitations.invite(
            by=eco.member,
            email="x@example.org",
            first_name="X",
            last_name="Y",
            organisation=eco.niko,
            kind="colleague",
        )
    with pytest.raises(PermissionDenied):
        invitations.invite(
            by=eco.member, email="x@example.org", first_name="X", last_name="Y", organisation=eco.niko
        )


def test_a_member_invites_a_limited_number_a_day(eco):
    for n in range(COLLEAGUE_INVITATIONS_PER_DAY):
        invitations.invite(
            by=eco.member,
            email=f"c{n}@example.org",
            first_name="C",
            last_name="N",
            organisation=eco.enervalis,
            kind="colleague",
        )
    with pytest.raises(ValidationError, match="most invitations allowed in a day"):
        invitations.invite(
            by=eco.member,
            email="one-more@example.org",
            first_name="C",
            last_name="N",
            organisation=eco.enervalis,
            kind="colleague",
        )
    Invitation.objects.update(sent_at=timezone.now() - dt.timedelta(days=1, minutes=1))
    invitations.invite(
        by=eco.member,
        email="next-day@example.org",
        first_name="C",
        last_name="N",
        organisation=eco.enervalis,
        kind="colleague",
    )


def test_a_member_cannot_send_a_staff_invitation_past_the_daily_limit(eco):
    # The permission table, not the caller, says a member's invitation is a colleague's (with its limit).
    with pytest.raises(PermissionDenied):
        invitations.invite(
            by=eco.member, email="x@example.org", first_name="X", last_name="Y", organisation=eco.enervalis
        )
    assert Invitation.objects.count() == 0


def test_an_account_of_no_organisation_is_told_why_it_cannot_invite_colleagues(client, eco):
    client.force_login(UserFactory(username="loner"))
    response = client.get("/people/invite/colleague/")
    assert response.status_code == 403


def test_staff_of_another_cluster_neither_see_nor_revoke_an_invitation(client, eco):
    invitation = invitations.invite(
        by=eco.staff, email="x@example.org", first_name="X", last_name="Y", organisation=eco.enervalis
    )
    client.force_login(eco.staff_beta)
    assert "x@example.org" not in client.get("/people/invitations/").content.decode()
    assert client.post(f"/people/invitations/{invitation.pk}/revoke/").status_code == 404
    client.force_login(eco.staff)
    listed = client.get("/people/invitations/?state=pending").content.decode()
    assert "x@example.org" in listed
    assert "Revoke" in listed
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_a_revoked_invitation_cannot_be_sent_again(client, eco):
    invitation = invitations.invite(
        by=eco.staff, email="x@example.org", first_name="X", last_name="Y", organisation=eco.enervalis
    )
    invitations.revoke(invitation, by=eco.staff)
    client.force_login(eco.staff)
    response = client.post(f"/people/invitations/{invitation.pk}/resend/", follow=True)
    assert "not possible from the present state" in response.content.decode()
    invitation.refresh_from_db()
    assert (invitation.status, invitation.times_sent) == ("revoked", 1)
    assert OutgoingMail.objects.filter(to="x@example.org").count() == 1  # the first sending only


def test_the_pages_link_to_the_invitation_pages(client, eco):
    assert 'href="/people/sign-up/"' in client.get("/accounts/login/").content.decode()
    client.force_login(eco.staff)
    profile = client.get("/organisations/enervalis/").content.decode()
    assert 'href="/people/invite/"' in profile  # the menu
    assert 'href="/people/invite/?organisation=enervalis"' in profile
    client.force_login(eco.member)
    profile = client.get("/organisations/enervalis/").content.decode()
    assert 'href="/people/invite/colleague/"' in profile
    assert 'href="/people/invite/colleague/"' not in client.get("/organisations/niko/").content.decode()
