"""What became of suggested pairs, read from the records and learned from as implicit feedback."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from helix.core.matching.weights import DEFAULT_WEIGHTS
from helix.jobs.models import JobStatus
from helix.jobs.services import create_job
from helix.market import services, tasks
from helix.market.engine import pair_features
from helix.market.feedback import learning_samples, outcome_samples, pair_outcomes, record_feedback
from helix.market.meeting_requests import answer_meeting, request_meeting
from helix.market.models import Feedback, RankerWeights
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    EventFactory,
    EventMeetingRequestFactory,
    MeetingRatingFactory,
    MeetingRequestFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectMemberFactory,
    RegistrationFactory,
    ResourceFlowFactory,
    SynergyFactory,
    make_listing,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

POSITIVE, NEGATIVE = "outcome_positive", "outcome_negative"


def _answered(need, offer, asker, accept):  # type: ignore[no-untyped-def]
    meeting = request_meeting(asker, need, offer)
    answer_meeting(member_user(offer.organisation, f"answer-{offer.pk}"), meeting, accept=accept)
    return meeting


def outcome_world(tag: str = "") -> SimpleNamespace:
    """A city's need and five suppliers' offers, each pair taken one step further down the funnel: a
    request declined; one accepted; one accepted and met at an event with a follow-up planned; one
    accepted whose need became a running project with the supplier in it; one judged relevant whose
    resource flows agreed a synergy."""
    city = OrganisationFactory(name=f"Stad Gent{tag}", kind="government", size_class="")
    asker = member_user(city, f"asker{tag}")
    need = make_listing(city, "need", title="Heat pumps for schools")
    offers = {
        name: make_listing(OrganisationFactory(name=f"{name.title()}{tag} BV"), title=need.title)
        for name in ("declined", "accepted", "met", "project", "synergy")
    }
    _answered(need, offers["declined"], asker, accept=False)
    _answered(need, offers["accepted"], asker, accept=True)

    met = _answered(need, offers["met"], asker, accept=True)
    event = EventFactory()
    ours = RegistrationFactory(event=event, person__organisation=city, organisation=city)
    theirs_org = offers["met"].organisation
    theirs = RegistrationFactory(event=event, person__organisation=theirs_org, organisation=theirs_org)
    at_event = EventMeetingRequestFactory(
        event=event, requester=ours, requested=theirs, market_request=met, status="accepted", outcome="held"
    )
    MeetingRatingFactory(request=at_event, registration=ours, useful=True, follow_up=True)
    MeetingRatingFactory(request=at_event, registration=theirs, useful=True, follow_up=False)

    _answered(need, offers["project"], asker, accept=True)
    project = ProjectFactory(status="running")
    project.listings.add(need)
    ProjectMemberFactory(project=project, organisation=city)
    ProjectMemberFactory(project=project, organisation=offers["project"].organisation)

    record_feedback(asker, need, offers["synergy"], "relevant")
    SynergyFactory(
        want=ResourceFlowFactory(organisation=city, direction="want", listing=need),
        have=ResourceFlowFactory(organisation=offers["synergy"].organisation, listing=offers["synergy"]),
        state="agreed",
    )
    return SimpleNamespace(city=city, asker=asker, need=need, offers=offers)


def test_each_acted_on_pair_reaches_the_stages_its_records_show() -> None:
    world = outcome_world()
    need, offers = world.need.pk, {name: offer.pk for name, offer in world.offers.items()}

    assert pair_outcomes() == {
        (need, offers["declined"]): {"declined"},
        (need, offers["accepted"]): {"accepted"},
        (need, offers["met"]): {"accepted", "held", "follow_up"},
        (need, offers["project"]): {"accepted", "project"},
        (need, offers["synergy"]): {"agreement"},
    }


def test_each_graded_pair_becomes_a_sample_with_the_features_the_ranker_scores() -> None:
    world = outcome_world()

    samples = outcome_samples(pair_outcomes())

    expected = {
        "declined": (NEGATIVE, 1.0),
        "accepted": (POSITIVE, 1.0),
        "met": (POSITIVE, 2.0),
        "project": (POSITIVE, 3.0),
        "synergy": (POSITIVE, 2.5),
    }
    assert {
        name: (samples[(world.need.pk, offer.pk)].verdict, samples[(world.need.pk, offer.pk)].weight)
        for name, offer in world.offers.items()
    } == expected
    assert len(samples) == 5
    for offer in world.offers.values():
        assert samples[(world.need.pk, offer.pk)].features == pair_features(world.need, offer)


def test_outcomes_replace_the_contacted_verdicts_and_stand_beside_a_relevant_one() -> None:
    outcome_world()
    assert sorted(Feedback.objects.values_list("verdict", flat=True)) == ["contacted"] * 4 + ["relevant"]

    samples, from_outcomes = learning_samples()

    assert sorted((s.verdict, s.weight) for s in samples) == [
        (NEGATIVE, 1.0),  # declined
        (POSITIVE, 1.0),  # accepted
        (POSITIVE, 2.0),  # met, follow-up planned
        (POSITIVE, 2.5),  # synergy agreed, beside the "relevant" verdict
        (POSITIVE, 3.0),  # project running
        ("relevant", 1.0),
    ]
    assert from_outcomes == 5


def test_a_persons_verdict_wins_over_an_outcome_that_contradicts_it() -> None:
    world = outcome_world()
    declined = world.offers["declined"]
    record_feedback(world.asker, world.need, declined, "relevant")  # the asker still finds it relevant

    samples, from_outcomes = learning_samples()

    assert from_outcomes == 4
    assert sorted((s.verdict, s.weight) for s in samples) == [
        (POSITIVE, 1.0),
        (POSITIVE, 2.0),
        (POSITIVE, 2.5),
        (POSITIVE, 3.0),
        ("relevant", 1.0),
        ("relevant", 1.0),
    ]


def test_a_pair_no_longer_scorable_is_left_out() -> None:
    city = OrganisationFactory(name="Stad Gent", kind="government", size_class="")
    asker = member_user(city, "asker")
    need = make_listing(city, "need", title="Heat pumps for schools")
    kept = make_listing(OrganisationFactory(name="Warmte BV"), title="Heat pumps for schools")
    moved = make_listing(OrganisationFactory(name="Pompen NV"), title="Heat pumps for schools")
    _answered(need, kept, asker, accept=True)
    _answered(need, moved, asker, accept=True)
    moved.organisation = city  # the offer passed to the need's own organisation: never suggested to it now
    services.save_listing(moved)

    reached = pair_outcomes()
    samples = outcome_samples(reached)

    assert reached == {(need.pk, kept.pk): {"accepted"}, (need.pk, moved.pk): {"accepted"}}
    assert set(samples) == {(need.pk, kept.pk)}


@pytest.mark.parametrize("worlds", [1, 3])
def test_the_outcomes_are_read_in_five_queries_however_many_pairs(worlds, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for n in range(worlds):
        outcome_world(f" {n}")

    with django_assert_num_queries(5):
        reached = pair_outcomes()

    assert len(reached) == 5 * worlds


def test_learning_from_outcomes_alone_raises_the_factor_the_outcomes_reward() -> None:
    energy = ClusterFactory()
    heat, mobility = DomainFactory(cluster=energy, name="Groene warmte"), DomainFactory(cluster=energy)
    city = OrganisationFactory(name="Stad Gent", kind="government", size_class="")
    need = make_listing(city, "need", title="Heat pumps", domains=[heat])
    # Offers of the need's domain became projects; offers of another domain were declined.
    for n in range(12):
        same = make_listing(OrganisationFactory(), title=f"Heat pumps {n}", domains=[heat])
        project = ProjectFactory(status="running")
        project.meeting_requests.add(MeetingRequestFactory(need=need, offer=same, status="accepted"))
        other = make_listing(OrganisationFactory(), title=f"Heat pumps {n + 12}", domains=[mobility])
        MeetingRequestFactory(need=need, offer=other, status="declined")
    assert not Feedback.objects.exists()
    job = create_job("market.learn_weights", "Learn ranker weights", staff_user(energy))

    tasks.learn_ranker_weights.enqueue(job.pk)

    job.refresh_from_db()
    row = RankerWeights.objects.get()
    assert (job.status, job.result["changed"], job.result["note"]) == (
        JobStatus.SUCCEEDED,
        True,
        "learned from 12 positive and 12 negative verdicts, 24 of them from outcomes",
    )
    assert (row.note, row.trained_on) == (job.result["note"], 24)
    assert row.values["domain"] > DEFAULT_WEIGHTS["domain"]
    assert row.accuracy_after == 1.0
    assert row.accuracy_before is not None
    assert row.accuracy_after >= row.accuracy_before
