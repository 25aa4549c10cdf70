"""Set-up shared by the people tests: the site's address for the links in mails, and the ecosystem of
tests/people/helpers.py."""

from __future__ import annotations

import pytest

from tests.people.helpers import Ecosystem, ecosystem


@pytest.fixture(autouse=True)
def _site_url(settings):  # type: ignore[no-untyped-def]
    settings.HELIX_SITE_URL = "https://helix.example.org"


@pytest.fixture
def eco(db) -> Ecosystem:  # type: ignore[no-untyped-def]
    return ecosystem()
