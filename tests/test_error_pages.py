"""The error pages: a 403 says why and what to do, a 404 helps to find the way (templates/403.html, 404.html).

The routes below are added to Helix's own for these tests only: one refuses with a reason, one without.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse
from django.utils import translation

from tests.factories import OrganisationFactory, UserFactory, member_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.urls("tests.test_error_pages")]


def refuse_with_reason(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Only the staff of Flux50 plan its events.")


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [
    path("test-refusal/reason/", refuse_with_reason),
    path("test-refusal/", refuse),
    path("", include("helix.urls")),
]


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    yield
    translation.deactivate()


def test_a_refusal_with_a_reason_shows_it(client):
    client.force_login(UserFactory(username="mia"))
    response = client.get("/test-refusal/reason/")
    page = response.content.decode()
    assert response.status_code == 403
    assert '<p class="error-page__reason">Only the staff of Flux50 plan its events.</p>' in page
    assert "If you think you should have access, contact the staff of your cluster" in page
    assert f'href="{reverse("registry:cluster_list")}"' in page
    assert "/accounts/login/?next=" not in page  # signed in already: no log-in offer


def test_a_refusal_without_a_reason_gives_the_general_one(client):
    client.force_login(member_user(OrganisationFactory(), username="mia"))
    response = client.get("/test-refusal/")
    assert response.status_code == 403
    assert "Your account may not do this." in response.content.decode()


def test_an_anonymous_visitor_refused_is_offered_to_log_in_and_come_back(client):
    response = client.get("/test-refusal/?tab=2")
    page = response.content.decode()
    assert response.status_code == 403
    assert "This page is only for people who are logged in" in page
    assert '<a class="button" href="/accounts/login/?next=/test-refusal/%3Ftab%3D2">Log in</a>' in page


def test_a_refusal_speaks_the_visitors_language(client):
    response = client.get("/test-refusal/", headers={"accept-language": "nl"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert ">Aanmelden</a>" in page  # the log-in offer, in Dutch
    assert ">Log in</a>" not in page


def test_a_missing_page_is_a_404_with_a_directory_search_and_the_main_sections(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert f'<form method="get" action="{reverse("registry:directory")}" role="search"' in page
    assert 'name="q"' in page
    for name in ("home:home", "registry:directory", "registry:cluster_list", "market:browse", "events:list"):
        assert f'href="{reverse(name)}"' in page, name


def test_a_missing_organisation_is_a_404_page_too(client):
    response = client.get(reverse("registry:organisation", kwargs={"slug": "nobody"}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# --- a form's errors name their field (templates/_form_errors.html) -------------------------------


def test_form_errors_are_listed_above_the_form_each_naming_and_linking_its_field(client):
    user = UserFactory(username="mia")
    user.set_password("correct horse battery staple")
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a long new passphrase",
            "new_password2": "a long new passphrase",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<div class="form-errors" role="alert">' in page
    assert (
        '<li><a href="#id_old_password">Old password</a>: Your old password was entered incorrectly.' in page
    )
