"""Issue 12, item 4: words that mean two things get a context of their own. The visibility "Public"
(anyone may see it) is not the government strand "Public"; the Dutch menu says "Evenementen"; French
reasons do not write "un(e) pouvoir public"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from helix.core.matching.fit import Listing, structured_factors
from helix.market.explain import translated_detail
from helix.market.models import Visibility
from helix.registry.models import Helix
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, member_user

# language: (the visibility "Public", the government "Public" it must not be)
PUBLIC = {
    "nl": ("Openbaar", "Overheid"),
    "fr": ("Public", "Pouvoirs publics"),
    "de": ("Öffentlich", "Öffentliche Hand"),
}


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    yield
    translation.deactivate()


@pytest.mark.unit
@pytest.mark.parametrize("language", sorted(PUBLIC))
def test_visibility_public_and_helix_public_translate_apart(language):
    visible, government = PUBLIC[language]
    with translation.override(language):
        assert str(Visibility.PUBLIC.label) == visible
        assert str(Helix.PUBLIC.label) == government


@pytest.mark.integration
@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(PUBLIC))
def test_listing_form_offers_public_visibility_not_the_government(client, language):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, cluster=ClusterFactory())
    client.force_login(member_user(organisation, "writer"))
    response = client.get(
        reverse("market:listing_create") + "?side=need", headers={"accept-language": language}
    )
    assert response.status_code == 200
    page = response.content.decode()
    option = re.search(r'<option value="public"[^>]*>([^<]*)</option>', page)
    assert option is not None
    visible, government = PUBLIC[language]
    assert option.group(1).strip() == visible
    assert government not in option.group(1)


@pytest.mark.integration
@pytest.mark.django_db
def test_dutch_menu_says_evenementen(client):
    page = client.get(reverse("registry:directory"), headers={"accept-language": "nl"}).content.decode()
    menu = re.search(r'<a href="{}"[^>]*>([^<]*)</a>'.format(re.escape(reverse("events:list"))), page)
    assert menu is not None
    assert menu.group(1) == "Evenementen"


@pytest.mark.unit
def test_french_kind_reasons_read_without_un_e():
    need = Listing(key=1, side="need", owner=1, owner_kind="government", category="solution", title="n")
    offer = Listing(key=2, side="offer", owner=2, owner_kind="government", category="solution", title="o")
    kind = next(f for f in structured_factors(need, offer) if f.name == "kind")
    with translation.override("fr"):
        text = translated_detail(kind)
    assert "un(e)" not in text
    assert "pouvoir public" in text
