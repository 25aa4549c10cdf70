"""Integration: every calls page renders in Dutch, French and German (its texts in English until the
catalogues are filled; the call's own texts in the reader's language from its definition)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from helix.calls import services

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_every_page_renders_in_each_language(calls_world, language):
    application = calls_world.application()
    services.save_answers(
        calls_world.users["robo"],
        application,
        {"sectors": ["manufacturing", "digital"], "synergies": "Gedeelde lascellen.", "requested": "150000"},
    )
    submission = services.submit(calls_world.users["robo"], application)
    services.judge_eligibility(calls_world.users["staff"], application)
    pages = {
        "robo": [
            reverse("calls:list"),
            reverse("calls:detail", args=[calls_world.call.pk]),
            reverse("calls:mine"),
            reverse("calls:application", args=[application.pk]),
            reverse("calls:eligibility", args=[application.pk]),
            reverse("calls:submit", args=[application.pk]),
            reverse("calls:receipt", args=[submission.pk]),
        ],
        "staff": [reverse("calls:manage", args=[calls_world.call.pk]), reverse("calls:create")],
    }
    for who, urls in pages.items():
        client = calls_world.client(who)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert (url, response.status_code, response["Content-Language"]) == (url, 200, language)
    title = {"nl": "De Fabriek van de Toekomst", "fr": "L'Usine du Futur", "de": "Die Fabrik der Zukunft"}
    page = (
        calls_world.client("robo").get(reverse("calls:list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    )
    assert title[language].replace("'", "&#x27;") in page or title[language] in page
