"""Integration: the API's docs page (helix.api.docs) loads nothing from other sites."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_docs_page_loads_only_files_of_this_site():
    response = Client().get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r"https?://", html) == []
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert [a.split("?")[0] for a in assets] == [
        "/api/docs/assets/swagger-ui.css",
        "/api/docs/assets/favicon.svg",
        "/api/docs/assets/favicon.png",
        "/api/docs/assets/swagger-ui-bundle.js",
        "/api/docs/assets/swagger-ui-init.js",
    ]
    assert '"validatorUrl": null' in html  # else Swagger UI fetches a badge from validator.swagger.io
    for asset in assets:
        served = Client().get(asset)
        assert served.status_code == 200, asset
        assert b"".join(served.streaming_content)


def test_only_the_docs_files_are_served():
    assert Client().get("/api/docs/assets/swagger-ui-bundle.js.map").status_code == 404
    assert Client().get("/api/docs/assets/..%2F..%2F__init__.py").status_code == 404
