"""The demo needs and offers (helix.market.demo), loaded by ``helix demo load`` after the registry demo.

The tests at the top read the seed data only; the others load the demo into the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from helix.core.registry.nace import normalise_nace
from helix.demo import load_demo
from helix.market import services
from helix.market.demo import DEMO_LISTINGS, INTENDED_MATCHES, listing_seed, load_demo_listings
from helix.market.engine import current_encoder, encoder_label
from helix.market.models import NEED_CATEGORIES, OFFER_CATEGORIES, Listing, ListingVector
from helix.market.suggestions import suggestions_for
from helix.registry.demo import seeds

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

NEEDS = [s for s in DEMO_LISTINGS if s.side == "need"]
OFFERS = [s for s in DEMO_LISTINGS if s.side == "offer"]
PUBLISHED_NEEDS = {s.key for s in NEEDS if s.status == "published"}
SEC_WORK_DOMAINS = {("smart-energy-cities", d.slug) for d in seeds.SEC_DOMAINS}


def _owner(seed):  # type: ignore[no-untyped-def]
    return seeds.DEMO.organisation(seed.organisation)


def _listing(key: str) -> Listing:
    seed = listing_seed(key)
    return Listing.objects.get(organisation__slug=seed.organisation, title=seed.title)


def _keys() -> dict[int, str]:
    by_title = {(s.organisation, s.title): s.key for s in DEMO_LISTINGS}
    return {
        pk: by_title[slug, title]
        for pk, slug, title in Listing.objects.values_list("pk", "organisation__slug", "title")
    }


# --- the seed data --------------------------------------------------------------------------------


def test_every_published_need_has_an_intended_offer_in_another_language_from_another_owner():
    assert set(INTENDED_MATCHES) == PUBLISHED_NEEDS
    wrong = [
        (need, offer)
        for need, offer in INTENDED_MATCHES.items()
        if listing_seed(offer).side != "offer"
        or listing_seed(offer).status != "published"
        or listing_seed(offer).expires_in is not None
        or listing_seed(offer).language == listing_seed(need).language
        or listing_seed(offer).organisation == listing_seed(need).organisation
    ]
    assert wrong == []


def test_seed_listings_are_unique_and_name_demo_owners_domains_and_valid_nace_codes():
    assert len({s.key for s in DEMO_LISTINGS}) == len(DEMO_LISTINGS)
    assert len({(s.organisation, s.title) for s in DEMO_LISTINGS}) == len(DEMO_LISTINGS)
    domains = {(c.slug, d.slug) for c in seeds.DEMO.clusters for d in c.domains}
    assert [s.key for s in DEMO_LISTINGS if not set(s.domains) <= domains] == []
    assert all(s.sectors for s in DEMO_LISTINGS)
    assert [c for s in DEMO_LISTINGS for c in s.sectors if normalise_nace(c) != c] == []
    assert [s.key for s in NEEDS if s.category not in NEED_CATEGORIES] == []
    assert [s.key for s in OFFERS if s.category not in OFFER_CATEGORIES] == []
    assert [s.key for s in DEMO_LISTINGS if s.trl is not None and not 1 <= s.trl <= 9] == []


def test_owners_post_what_their_kind_would():
    need_kinds = Counter(_owner(s).kind for s in NEEDS)
    offer_kinds = Counter(_owner(s).kind for s in OFFERS)
    assert set(need_kinds) == {"government", "company", "knowledge_institution"}
    assert set(offer_kinds) == {"company", "knowledge_institution"}
    city_needs = [s for s in NEEDS if _owner(s).government_level == "local"]
    assert {s.organisation for s in city_needs} == {c.slug for c in seeds.SEC_CITIES}
    assert [s.key for s in city_needs if not s.domains or not set(s.domains) & SEC_WORK_DOMAINS] == []
    assert {d for s in city_needs for d in s.domains} >= SEC_WORK_DOMAINS  # all four work domains asked


# --- loading --------------------------------------------------------------------------------------


@pytest.fixture
def demo():  # type: ignore[no-untyped-def]
    return load_demo()


def test_demo_load_creates_every_listing_with_its_vector(demo):
    assert demo.listings == {"needs": 26, "offers": 36, "created": 62, "updated": 0, "embedded": 62}
    listings = list(Listing.objects.select_related("organisation", "site"))
    keys = _keys()
    assert len(listings) == 62
    assert all(x.is_sample for x in listings)
    assert [keys[x.pk] for x in listings if x.language != listing_seed(keys[x.pk]).language] == []
    assert {(x.side, x.language) for x in listings} == {
        (side, language) for side in ("need", "offer") for language in ("nl", "fr", "de", "en")
    }
    assert Counter(x.visibility for x in listings) == {"public": 57, "members": 4, "staff": 1}
    assert Counter(x.status for x in listings) == {"published": 61, "draft": 1}
    assert [keys[x.pk] for x in listings if x.is_expired] == ["enervalis-business-park-living-lab"]
    # Each listing sits at its owner's demo site (Actility Benelux has none).
    assert [keys[x.pk] for x in listings if x.site and x.site.organisation_id != x.organisation_id] == []
    assert {x.organisation.slug for x in listings if x.site is None} == {"actility-benelux"}
    label = encoder_label(current_encoder())
    assert list(ListingVector.objects.values_list("encoder", flat=True).distinct()) == [label]
    assert ListingVector.objects.count() == 62


def test_demo_listings_keep_their_sectors_keywords_domains_and_dates(demo):
    today = timezone.localdate()
    facades = _listing("gent-prefab-facades")
    assert sorted(facades.sectors.values_list("code", flat=True)) == ["16.23", "43.23"]
    assert sorted(facades.keywords.values_list("name", flat=True)) == [
        "collective renovation",
        "insulation",
        "prefabrication",
        "terraced houses",
    ]
    assert sorted(facades.domains.values_list("slug", flat=True)) == [
        "collectieve-renovatie",
        "smart-buildings-renovation",
    ]
    assert (facades.site.city, facades.trl, facades.budget_min, facades.budget_max) == (
        "Gent",
        7,
        1_200_000,
        1_800_000,
    )
    assert (facades.published_on, facades.deadline) == (
        today - dt.timedelta(days=9),
        today + dt.timedelta(days=75),
    )
    # The member user's organisation is reminded of its expired offer, and of nothing else.
    expired = _listing("enervalis-business-park-living-lab")
    assert list(services.expiring_soon([expired.organisation_id])) == [expired]
    assert expired.expires_on == today - dt.timedelta(days=20)


def test_loading_the_listings_twice_saves_nothing(demo):
    def state():  # type: ignore[no-untyped-def]
        return (
            sorted(Listing.objects.values_list("pk", "revision", "index_seq", "updated_at")),
            sorted(ListingVector.objects.values_list("listing_id", "text_hash", "updated_at")),
        )

    before = state()
    assert load_demo_listings() == {"needs": 26, "offers": 36, "created": 0, "updated": 0, "embedded": 0}
    assert state() == before


def test_a_changed_seed_updates_its_listing_in_place(demo):
    old = _listing("gent-port-heat")
    changed = [
        dataclasses.replace(s, description=s.description + " Contact: de dienst Klimaat.", trl=6)
        if s.key == "gent-port-heat"
        else s
        for s in DEMO_LISTINGS
    ]
    assert load_demo_listings(changed) == {
        "needs": 26,
        "offers": 36,
        "created": 0,
        "updated": 1,
        "embedded": 1,
    }
    new = _listing("gent-port-heat")
    assert (new.pk, new.trl, new.revision) == (old.pk, 6, old.revision + 1)
    assert new.description.endswith("Contact: de dienst Klimaat.")
    assert new.published_on == old.published_on  # dates are the listing's own after it is created
    assert Listing.objects.count() == 62


def test_who_sees_the_members_staff_draft_and_expired_listings(demo):
    users = get_user_model().objects
    member, staff, admin = (
        users.get(username="member"),
        users.get(username="staff"),
        users.get(username="admin"),
    )
    keys = _keys()

    def seen(user):  # type: ignore[no-untyped-def]
        return {keys[pk] for pk in services.visible_listings(user).values_list("pk", flat=True)}

    hidden = {
        "fluvius-lv-flexibility",  # members of Flux50
        "kempen-second-life-testing",  # members of Flux50
        "clochedor-datacentre-heat",  # members of the ICT cluster
        "fluvius-meter-data",  # members of Flux50
        "environment-ministry-heat-map",  # cluster staff only
        "enervalis-v2g-pilot-draft",  # draft
        "enervalis-business-park-living-lab",  # expired
    }
    everything = set(keys.values())
    assert seen(AnonymousUser()) == everything - hidden
    # The member user works for Enervalis, a strategic partner of Flux50: its own draft and expired
    # listing and the Flux50 members' listings, not the Luxembourg ones.
    assert seen(member) == everything - {"clochedor-datacentre-heat", "environment-ministry-heat-map"}
    assert seen(staff) == seen(admin) == everything


def test_the_expired_offer_can_be_renewed_by_its_owner(demo):
    expired = _listing("enervalis-business-park-living-lab")
    assert not expired.is_active
    renewed = services.renew(expired, user=get_user_model().objects.get(username="member"))
    assert renewed.is_active
    assert renewed.renewals == 1


def test_intended_offers_are_among_the_top_three_with_the_multilingual_model(settings):
    """Slow-ish (about 5 s): loads the real multilingual model, embeds the demo and matches every need."""
    settings.HELIX_TEXT_ENCODER = "use"
    load_demo()  # stores the model's vectors at load time
    assert set(ListingVector.objects.values_list("encoder", flat=True)) == {encoder_label(current_encoder())}
    admin = get_user_model().objects.get(username="admin")
    keys = _keys()
    failures = []
    for need_key, offer_key in INTENDED_MATCHES.items():
        top = suggestions_for(_listing(need_key), admin, limit=3)
        found = [keys[s.listing.pk] for s in top]
        if offer_key not in found:
            got = ", ".join(f"{k} ({s.match.score:.2f})" for k, s in zip(found, top, strict=True))
            failures.append(f"{need_key}: wanted {offer_key}, got {got}")
    hit_rate = 1 - len(failures) / len(INTENDED_MATCHES)
    assert hit_rate >= 0.8, f"top-3 hit rate {hit_rate:.0%}; misses:\n" + "\n".join(failures)
