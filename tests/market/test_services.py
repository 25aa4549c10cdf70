"""Market services: saving rules, the index following changes, visibility, feedback, learning, meetings."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from helix.market import engine as market_engine
from helix.market import services
from helix.market.engine import bump_index_seq, current_weights, reindex
from helix.market.feedback import learn_from_feedback, record_feedback
from helix.market.meeting_requests import answer_meeting, request_meeting
from helix.market.models import Feedback, Listing, ListingVector, MeetingRequest, RankerWeights, Status
from helix.market.suggestions import organisation_suggestions, suggestions_for, who_should_meet_whom
from helix.market.tasks import index_listing
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
    make_listing,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def city():  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Stad Gent", kind="government", size_class="")


@pytest.fixture
def supplier():  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Facade Works", kind="company")


def test_save_detects_language_sets_expiry_and_search_text(city) -> None:  # type: ignore[no-untyped-def]
    need = make_listing(
        city,
        "need",
        title="Collectieve renovatie van rijwoningen",
        description="De stad zoekt een aanpak om 400 woningen uit de jaren dertig samen te renoveren.",
        keywords=["Renovatie", " isolatie "],
    )
    assert need.language == "nl"
    assert need.expires_on == timezone.localdate() + dt.timedelta(days=180)
    assert need.published_on == timezone.localdate()
    assert "rijwoningen" in need.search_text
    assert "stad gent" in need.search_text
    assert sorted(need.keywords.values_list("name", flat=True)) == ["isolatie", "renovatie"]


def test_rules_name_the_field(city) -> None:  # type: ignore[no-untyped-def]
    other_site = SiteFactory()
    cases = {
        "category": {"side": "need", "category": "test_facility"},
        "trl": {"trl": 12},
        "budget_max": {"budget_min": 10, "budget_max": 5},
        "site": {"site": other_site},
        "description": {"description": "  "},
    }
    for field, values in cases.items():
        with pytest.raises(ValidationError) as error:
            make_listing(city, **values)
        assert field in error.value.message_dict, (field, error.value.message_dict)
    assert not Listing.objects.exists()


def test_stale_edit_writes_nothing(city) -> None:  # type: ignore[no-untyped-def]
    listing = make_listing(city, title="Original")
    seen = listing.revision
    listing.title = "First editor"
    services.save_listing(listing, expected_revision=seen)
    late = Listing.objects.get(pk=listing.pk)
    late.title = "Second editor"
    with pytest.raises(services.StaleEdit):
        services.save_listing(late, expected_revision=seen)
    assert Listing.objects.get(pk=listing.pk).title == "First editor"


def test_index_task_stores_a_vector_once_per_text(city, settings) -> None:  # type: ignore[no-untyped-def]
    listing = make_listing(city, title="Heat network for the harbour")
    index_listing.call(listing.pk)
    row = ListingVector.objects.get(listing=listing)
    encoder = market_engine.current_encoder()
    assert row.dim == encoder.dim
    stored = market_engine.vector_from_bytes(row.vector, row.dim)
    assert np.allclose(stored, encoder.encode([listing.text])[0], atol=1e-6)
    assert index_listing.call(listing.pk) == {"embedded": 0}
    listing.description = "Now with seasonal storage."
    services.save_listing(listing)
    assert index_listing.call(listing.pk) == {"embedded": 1}
    assert index_listing.call(10**9) == {"embedded": 0, "missing": True}


def test_reindex_reports_progress_and_counts(city) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        make_listing(city, title=f"Listing {n}")
    seen: list[tuple[int, int]] = []
    result = reindex(lambda done, total, message="": seen.append((done, total)), batch=2)
    assert result["listings"] == 3
    assert result["embedded"] == 3
    assert seen[-1] == (3, 3)
    assert ListingVector.objects.count() == 3
    assert reindex()["embedded"] == 0


def test_engine_follows_edits_withdrawals_and_new_listings(city, supplier) -> None:  # type: ignore[no-untyped-def]
    need = make_listing(
        city, "need", title="Public lighting with LED lanterns", description="Dimmable at night."
    )
    lamps = make_listing(supplier, title="LED lanterns for public lighting", description="Dimmable, smart.")
    other = make_listing(OrganisationFactory(), title="Insulation of row houses", description="Facades.")
    user = UserFactory(is_superuser=True)

    def suggested() -> list[int]:
        return [s.listing.pk for s in suggestions_for(need, user)]

    assert suggested()[0] == lamps.pk
    first_engine = market_engine.get_engine()
    lamps.title, lamps.description = "Insulation panels", "Mineral wool for attics."
    services.save_listing(lamps)
    assert market_engine.get_engine() is first_engine  # caught up in place, not rebuilt
    other.title = "Public lighting with LED lanterns, dimmable"
    services.save_listing(other)
    assert suggested()[0] == other.pk
    services.set_status(other, Status.WITHDRAWN)
    assert other.pk not in suggested()
    fresh = make_listing(
        OrganisationFactory(), title="LED lanterns: public lighting", description="Dimmable."
    )
    assert suggested()[0] == fresh.pk
    Listing.objects.filter(pk=fresh.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    bump_index_seq()
    assert fresh.pk not in suggested()


def test_owner_and_visibility_in_suggestions(city, supplier) -> None:  # type: ignore[no-untyped-def]
    cluster = ClusterFactory()
    MembershipFactory(organisation=supplier, cluster=cluster, level="member")
    need = make_listing(city, "need", title="Smart street lighting", description="LED and dimming")
    make_listing(city, title="Smart street lighting by the city", description="LED and dimming")  # own
    members_only = make_listing(supplier, title="Smart street lighting", visibility="members")
    staff_only = make_listing(supplier, title="Smart street lighting LED", visibility="staff")
    public = make_listing(OrganisationFactory(), title="Street lighting poles")

    def seen(user) -> set[int]:  # type: ignore[no-untyped-def]
        return {s.listing.pk for s in suggestions_for(need, user, limit=20)}

    city_user = member_user(city, "city")
    assert seen(city_user) == {public.pk}
    member_org = OrganisationFactory()
    MembershipFactory(organisation=member_org, cluster=cluster, level="member")
    # The members-only offer reaches members of the supplier's cluster asking about the city's need.
    assert seen(member_user(member_org, "peer")) == {public.pk, members_only.pk}
    assert seen(staff_user(cluster, "staff")) == {public.pk, members_only.pk, staff_only.pk}
    visible_to_anonymous = set(services.visible_listings(AnonymousUser()).values_list("pk", flat=True))
    assert members_only.pk not in visible_to_anonymous
    assert staff_only.pk not in visible_to_anonymous


def test_organisation_suggestions_group_counterparts(city, supplier) -> None:  # type: ignore[no-untyped-def]
    make_listing(city, "need", title="Heat pumps for schools", description="Replacing gas boilers.")
    make_listing(supplier, title="Heat pumps for schools and offices", description="Gas boilers out.")
    make_listing(supplier, title="Heat pumps, maintenance", description="For schools.")
    found = organisation_suggestions(city, UserFactory(is_superuser=True))
    assert [row["organisation"] for row in found] == [supplier]
    assert len(found[0]["suggestions"]) == 2
    assert organisation_suggestions(OrganisationFactory(), UserFactory(is_superuser=True)) == []


def test_who_should_meet_whom_is_for_staff_and_scoped(city, supplier) -> None:  # type: ignore[no-untyped-def]
    cluster = ClusterFactory()
    heat, light = DomainFactory(cluster=cluster, name="Heat"), DomainFactory(cluster=cluster, name="Light")
    for org in (city, supplier):
        MembershipFactory(organisation=org, cluster=cluster)
    make_listing(city, "need", title="Heat network", description="District heat", domains=[heat])
    make_listing(city, "need", title="Street lights", description="LED", domains=[light])
    make_listing(supplier, title="District heat network", description="Heat", domains=[heat])
    make_listing(supplier, title="Heat network pipes", description="District heat", domains=[heat])
    staff = staff_user(cluster)
    with pytest.raises(PermissionDenied):
        who_should_meet_whom(member_user(city))
    pairs = who_should_meet_whom(staff, domain=heat)
    assert [(s.need.title, s.offer.organisation) for s in pairs] == [
        ("Heat network", supplier)
    ]  # one per org pair
    lights = OrganisationFactory(name="Lights Ltd")
    MembershipFactory(organisation=lights, cluster=cluster)
    make_listing(lights, title="Street lights", description="LED", domains=[light])
    pairs = who_should_meet_whom(staff, cluster=cluster, per_need=2)
    assert {(s.need.organisation, s.offer.organisation) for s in pairs} == {(city, supplier), (city, lights)}
    assert len(pairs) == 2


def test_feedback_is_stored_with_features_and_learning_needs_enough(city, supplier) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(is_superuser=True)
    need = make_listing(city, "need", title="Heat pumps for schools")
    offer = make_listing(supplier, title="Heat pumps for schools and offices")
    feedback = record_feedback(user, need, offer, "relevant")
    assert set(feedback.features) >= {"text", "domain", "distance", "kind"}
    assert feedback.features["text"] > 0.3
    record_feedback(user, need, offer, "not_relevant")
    assert list(Feedback.objects.values_list("verdict", flat=True)) == ["not_relevant"]
    with pytest.raises(ValidationError):
        record_feedback(user, need, offer, "brilliant")
    assert learn_from_feedback() is None
    assert not RankerWeights.objects.exists()


def test_learning_from_feedback_changes_the_weights_in_use(city) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(is_superuser=True)
    need = make_listing(city, "need", title="Heat pumps")
    # Verdicts that reward nearby offers: a distance-loving cluster.
    for n in range(24):
        offer = make_listing(OrganisationFactory(), title=f"Heat pumps {n}")
        near = n % 2 == 0
        Feedback.objects.create(
            user=user,
            need=need,
            offer=offer,
            verdict="meeting_held" if near else "not_relevant",
            score=0.0,
            features={"text": 0.6, "distance": 0.9 if near else 0.1},
        )
    before = current_weights()
    row = learn_from_feedback()
    assert row is not None
    assert row.accuracy_after >= row.accuracy_before
    assert current_weights().get("distance") > before.get("distance")
    assert market_engine.get_engine().weights.get("distance") == current_weights().get("distance")


def test_request_meeting_and_answer(city, supplier) -> None:  # type: ignore[no-untyped-def]
    need = make_listing(city, "need", title="Heat pumps for schools")
    offer = make_listing(supplier, title="Heat pumps for schools and offices")
    asker = member_user(city, "asker")
    meeting = request_meeting(asker, need, offer, message="Shall we meet?")
    assert (meeting.from_organisation, meeting.to_organisation) == (city, supplier)
    assert request_meeting(asker, need, offer) == meeting  # no duplicate open request
    assert Feedback.objects.filter(verdict="contacted", need=need, offer=offer).exists()
    with pytest.raises(PermissionDenied):
        request_meeting(member_user(OrganisationFactory(), "stranger"), need, offer)
    with pytest.raises(PermissionDenied):
        answer_meeting(asker, meeting, accept=True)
    answer_meeting(member_user(supplier, "supplier"), meeting, accept=True)
    assert MeetingRequest.objects.get().status == "accepted"
    with pytest.raises(ValidationError):
        answer_meeting(member_user(supplier, "supplier2"), meeting, accept=False)


def test_renew_extends_from_the_later_of_today_and_expiry(city) -> None:  # type: ignore[no-untyped-def]
    listing = make_listing(city)
    expiry = listing.expires_on
    services.renew(listing)
    assert listing.expires_on == expiry + dt.timedelta(days=180)
    assert listing.renewals == 1
    Listing.objects.filter(pk=listing.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=3))
    listing.refresh_from_db()
    assert not listing.is_active
    services.renew(listing)
    assert listing.expires_on == timezone.localdate() + dt.timedelta(days=180)
    assert listing.is_active


def test_organisation_suggestions_do_not_leak_hidden_listings(city, supplier) -> None:  # type: ignore[no-untyped-def]
    cluster = ClusterFactory()
    MembershipFactory(organisation=city, cluster=cluster)
    make_listing(city, "need", title="Heat pumps for schools", visibility="staff")
    make_listing(supplier, title="Heat pumps for schools and offices")
    assert organisation_suggestions(city, AnonymousUser()) == []
    assert organisation_suggestions(city, member_user(supplier, "supplier")) == []
    found = organisation_suggestions(city, staff_user(cluster))
    assert [row["organisation"] for row in found] == [supplier]


def test_unknown_choice_values_are_refused(city) -> None:  # type: ignore[no-untyped-def]
    for field, value in (("visibility", "everyone"), ("status", "live")):
        with pytest.raises(ValidationError) as error:
            make_listing(city, **{field: value})
        assert field in error.value.message_dict
