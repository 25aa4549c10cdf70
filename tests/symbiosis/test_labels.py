"""Integration: flow pages show the words for kinds, periods and regions, not their stored codes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.symbiosis.helpers import world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_flow_list_shows_labels_for_kind_period_and_region() -> None:
    w = world()
    client = Client()
    client.force_login(w.staff)
    html = client.get(reverse("symbiosis:flows")).content.decode()
    assert "<td>Waste or by-product</td>" in html
    assert "<td>Residual heat</td>" in html
    assert "4000 t per year" in html
    assert "250 t per month" in html
    assert "<td>Oost-Vlaanderen</td>" in html
    assert "<td>material</td>" not in html
    assert "<td>heat</td>" not in html
    assert "<td>oost-vlaanderen</td>" not in html
    assert "/month" not in html


def test_flow_page_shows_the_period_in_words() -> None:
    w = world()
    client = Client()
    client.force_login(w.staff)
    html = client.get(reverse("symbiosis:flow", args=[w.slag_want.pk])).content.decode()
    assert "250 t per month" in html
    assert "/ month" not in html
