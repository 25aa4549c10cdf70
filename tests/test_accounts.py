"""Integration: log in, log out and reset a forgotten password by e-mail with Helix's own templates."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_login_and_logout(client):
    UserFactory(username="an")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Forgot your password?" in page.content.decode()
    response = client.post(
        reverse("login"), {"username": "an", "password": "correct horse battery staple", "next": "/clusters/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/clusters/")
    assert "Log out" in client.get("/").content.decode()
    response = client.post(reverse("logout"))
    assert (response.status_code, response["Location"]) == (302, "/")
    assert "Log in" in client.get("/").content.decode()


def test_wrong_password_shows_an_error(client):
    UserFactory(username="an")
    response = client.post(reverse("login"), {"username": "an", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()


def test_password_reset_sends_a_mail_with_a_working_link(client):
    user = UserFactory(username="an", email="an@example.org")
    response = client.post(reverse("password_reset"), {"email": "an@example.org"})
    assert (response.status_code, response["Location"]) == (302, reverse("password_reset_done"))
    assert [(m.to, m.subject) for m in mail.outbox] == [(["an@example.org"], "Choose a new Helix password")]
    (link,) = re.findall(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url,
        {"new_password1": "a fresh long passphrase 42", "new_password2": "a fresh long passphrase 42"},
    )
    assert (response.status_code, response["Location"]) == (302, reverse("password_reset_complete"))
    assert get_user_model().objects.get(pk=user.pk).check_password("a fresh long passphrase 42")
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing_but_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your mailbox" in response.content.decode()
    assert mail.outbox == []


def test_password_change(client):
    user = UserFactory(username="an")
    client.force_login(user)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "another long passphrase 7",
            "new_password2": "another long passphrase 7",
        },
    )
    assert (response.status_code, response["Location"]) == (302, reverse("password_change_done"))
    assert "Your password is changed" in client.get(reverse("password_change_done")).content.decode()
