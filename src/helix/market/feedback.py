"""Feedback on suggested pairs, what became of the pairs acted on, and the ranker weights learned from both.

A verdict is stored with the features the pair was scored on (helix.market.engine.pair_features). What
followed a pair someone judged or asked a meeting about (:func:`pair_outcomes`: meetings, follow-ups,
agreements, projects) is graded by helix.core.matching.outcomes into implicit feedback
(:func:`outcome_samples`). :func:`learn_from_feedback` fits new weights (helix.core.matching.weights) to
both and keeps them only when they order those samples at least as well as the current ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helix.core.matching import outcomes
from helix.core.matching.engine import UnknownListing
from helix.core.matching.outcomes import grade_outcome, merge_outcomes, outcome_sample
from helix.core.matching.weights import (
    OUTCOME_NEGATIVE,
    OUTCOME_POSITIVE,
    Sample,
    learn_weights,
    ranking_accuracy,
)
from helix.core.matchmaking import workflows as meeting_flow
from helix.core.projects import lifecycle as project_flow
from helix.core.symbiosis import synergy as synergy_flow
from helix.market.convert import feedback_sample, with_match_relations
from helix.market.engine import bump_index_seq, current_weights, get_engine, pair_features
from helix.market.models import Feedback, Listing, MeetingRequest, MeetingStatus, RankerWeights, Side, Verdict
from helix.registry.permissions import can

Pair = tuple[int, int]  # (need id, offer id)


@transaction.atomic
def record_feedback(user: Any, need: Listing, offer: Listing, verdict: str) -> Feedback:
    """Store ``user``'s verdict on the (need, offer) suggestion with the features it was scored on."""
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Unknown verdict “%(verdict)s”.") % {"verdict": verdict}})
    if need.side != Side.NEED or offer.side != Side.OFFER:
        raise ValidationError({"need": _("Feedback is given on a need and an offer.")})
    if not (can(user, "feedback", need) and can(user, "feedback", offer)):
        raise PermissionDenied("not visible to you")
    engine = get_engine()
    try:
        features = pair_features(need, offer)
    except UnknownListing:  # never a suggestion: one organisation's own pair, or a listing not matched
        raise ValidationError(
            {"need": _("This need and offer are never suggested together, so they take no feedback.")}
        ) from None
    weights_row = RankerWeights.objects.order_by("-created_at", "-pk").first()
    feedback, _created = Feedback.objects.update_or_create(
        user=user,
        need=need,
        offer=offer,
        verdict=verdict,
        defaults={
            "score": engine.weights.score(features),
            "features": features,
            "weights": weights_row,
        },
    )
    if verdict == Verdict.NOT_RELEVANT:
        Feedback.objects.filter(user=user, need=need, offer=offer, verdict=Verdict.RELEVANT).delete()
    elif verdict == Verdict.RELEVANT:
        Feedback.objects.filter(user=user, need=need, offer=offer, verdict=Verdict.NOT_RELEVANT).delete()
    return feedback


# -- what became of the pairs acted on ---------------------------------------------------------------------
# The records of events, projects and symbiosis as outcome stages (helix.core.matching.outcomes). The
# market reads them through the relations those apps declare on its rows (MeetingRequest.event_requests
# and .projects, Listing.projects and .resource_flow), so it imports none of them; the states are the
# core's workflow constants. A state not in these tables gives no stage.

MEETING_REQUEST_STAGES = {
    MeetingStatus.REQUESTED: outcomes.REQUESTED,
    MeetingStatus.ACCEPTED: outcomes.ACCEPTED,
    MeetingStatus.DECLINED: outcomes.DECLINED,
    MeetingStatus.WITHDRAWN: outcomes.WITHDRAWN,
}
EVENT_REQUEST_STAGES = {  # an event's meeting request brought from a market one
    meeting_flow.REQUESTED: outcomes.REQUESTED,
    meeting_flow.ACCEPTED: outcomes.ACCEPTED,
    meeting_flow.DECLINED: outcomes.DECLINED,
    meeting_flow.EXPIRED: outcomes.EXPIRED,
    meeting_flow.CANCELLED: outcomes.CANCELLED,
}
MEETING_OUTCOME_STAGES = {meeting_flow.HELD: outcomes.HELD, meeting_flow.NO_SHOW: outcomes.NO_SHOW}
PROJECT_STAGES = {  # a project from the pair: prepared together (whatever the funder said), started, closed
    project_flow.IDEA: outcomes.AGREEMENT,
    project_flow.FORMING: outcomes.AGREEMENT,
    project_flow.SUBMITTED: outcomes.AGREEMENT,
    project_flow.REJECTED: outcomes.AGREEMENT,
    project_flow.APPROVED: outcomes.PROJECT,
    project_flow.RUNNING: outcomes.PROJECT,
    project_flow.CLOSED: outcomes.IMPACT,
}
SYNERGY_STAGES = {  # a synergy between the need's wanted flow and the offer's offered flow
    synergy_flow.PROPOSED: outcomes.PROPOSED,
    synergy_flow.CONTACTED: outcomes.PROPOSED,
    synergy_flow.UNDER_STUDY: outcomes.PROPOSED,
    synergy_flow.AGREED: outcomes.AGREEMENT,
    synergy_flow.REALISED: outcomes.IMPACT,
    synergy_flow.DROPPED: outcomes.DROPPED,
}
OUTCOME_LABELS = frozenset({OUTCOME_POSITIVE, OUTCOME_NEGATIVE})
_CHUNK = 500  # pairs whose listings are loaded together


def pair_outcomes() -> dict[Pair, frozenset[str]]:
    """The outcome stages each acted-on (need, offer) pair reached, in five queries however many pairs.

    Acted on: someone gave a verdict on the pair, or asked for a meeting about it. Its stages come from
    the pair's market meeting requests (their status), the event requests brought from them (status,
    the organiser's record of the meeting, the sides' ratings: a rating says the meeting took place, a
    follow-up planned, or that it was not useful when no side found it useful), the synergies between
    the need's and the offer's resource flows, and the projects from the pair: a project linking one of
    its meeting requests, or both listings, or one listing with the other's organisation in its
    consortium.
    """
    stages: dict[Pair, set[str]] = {}
    owners: dict[Pair, tuple[int, int]] = {}
    for need, offer, need_owner, offer_owner in (
        Feedback.objects.order_by()
        .values_list("need_id", "offer_id", "need__organisation_id", "offer__organisation_id")
        .distinct()
    ):
        stages.setdefault((need, offer), set())
        owners[(need, offer)] = (need_owner, offer_owner)

    pair_of_request: dict[int, Pair] = {}
    meetings: dict[int, tuple[Pair, str, list[tuple[bool, bool]]]] = {}
    for (
        request,
        need,
        offer,
        need_owner,
        offer_owner,
        status,
        event_request,
        event_status,
        held,
        useful,
        follow_up,
    ) in MeetingRequest.objects.order_by().values_list(
        "pk",
        "need_id",
        "offer_id",
        "need__organisation_id",
        "offer__organisation_id",
        "status",
        "event_requests__pk",
        "event_requests__status",
        "event_requests__outcome",
        "event_requests__ratings__useful",
        "event_requests__ratings__follow_up",
    ):
        pair = (need, offer)
        reached = stages.setdefault(pair, set())
        owners[pair] = (need_owner, offer_owner)
        pair_of_request[request] = pair
        _add(reached, MEETING_REQUEST_STAGES.get(status))
        if event_request is None:
            continue
        _add(reached, EVENT_REQUEST_STAGES.get(event_status))
        _add(reached, MEETING_OUTCOME_STAGES.get(held))
        ratings = meetings.setdefault(event_request, (pair, held, []))[2]
        if useful is not None:
            ratings.append((useful, follow_up))
    for pair, held, ratings in meetings.values():
        if not ratings or held == meeting_flow.NO_SHOW:
            continue
        stages[pair].add(outcomes.HELD)
        if any(follow for _useful, follow in ratings):
            stages[pair].add(outcomes.FOLLOW_UP)
        if not any(useful for useful, _follow in ratings):
            stages[pair].add(outcomes.NOT_USEFUL)

    project_status: dict[int, str] = {}
    projects_of_listing: dict[int, set[int]] = defaultdict(set)
    consortium: dict[int, set[int]] = defaultdict(set)
    for listing, project, status, member in (
        Listing.objects.filter(projects__isnull=False)
        .order_by()
        .values_list("pk", "projects__pk", "projects__status", "projects__members__organisation_id")
    ):
        project_status[project] = status
        projects_of_listing[listing].add(project)
        if member is not None:
            consortium[project].add(member)
    projects_of_pair: dict[Pair, set[int]] = defaultdict(set)
    for request, project, status in (
        MeetingRequest.objects.filter(projects__isnull=False)
        .order_by()
        .values_list("pk", "projects__pk", "projects__status")
    ):
        project_status[project] = status
        if request in pair_of_request:
            projects_of_pair[pair_of_request[request]].add(project)
    for pair, reached in stages.items():
        need_owner, offer_owner = owners[pair]
        of_need, of_offer = projects_of_listing.get(pair[0], set()), projects_of_listing.get(pair[1], set())
        linked = (
            projects_of_pair.get(pair, set())
            | (of_need & of_offer)
            | {p for p in of_need if offer_owner in consortium.get(p, ())}
            | {p for p in of_offer if need_owner in consortium.get(p, ())}
        )
        for project in linked:
            _add(reached, PROJECT_STAGES.get(project_status[project]))

    for need, offer, state in (
        Listing.objects.filter(side=Side.NEED, resource_flow__synergies_as_want__have__listing__isnull=False)
        .order_by()
        .values_list(
            "pk",
            "resource_flow__synergies_as_want__have__listing_id",
            "resource_flow__synergies_as_want__state",
        )
    ):
        if (need, offer) in stages:
            _add(stages[(need, offer)], SYNERGY_STAGES.get(state))
    return {pair: frozenset(reached) for pair, reached in stages.items()}


def _add(stages: set[str], stage: str | None) -> None:
    if stage is not None:
        stages.add(stage)


def outcome_samples(reached: Mapping[Pair, Iterable[str]]) -> dict[Pair, Sample]:
    """Each graded pair (helix.core.matching.outcomes.grade_outcome) as a sample with the features the
    ranker scores it on now (:func:`~helix.market.engine.pair_features`), in pair order. A pair that is no
    longer scorable (its two listings now of one organisation, as :func:`record_feedback` refuses) is
    left out, and so is a pair with nothing graded. Listings are read in a fixed number of queries per
    500 pairs."""
    graded = sorted((pair, grade) for pair, stages in reached.items() if (grade := grade_outcome(stages)))
    samples: dict[Pair, Sample] = {}
    for start in range(0, len(graded), _CHUNK):
        chunk = graded[start : start + _CHUNK]
        ids = {pk for pair, _grade in chunk for pk in pair}
        listings = {x.pk: x for x in with_match_relations(Listing.objects.filter(pk__in=ids))}
        for (need, offer), grade in chunk:
            try:
                features = pair_features(listings[need], listings[offer])
            except UnknownListing:
                continue
            samples[(need, offer)] = outcome_sample(features, grade)
    return samples


def learning_samples() -> tuple[list[Sample], int]:
    """What the ranker learns from: every explicit verdict, and the outcome of each acted-on pair beside
    them as helix.core.matching.outcomes.merge_outcomes sets it (in place of the pair's "contacted"
    verdicts; left out when a verdict on the pair contradicts it); and how many of the samples are
    outcomes."""
    verdicts: dict[Pair, list[Sample]] = defaultdict(list)
    for feedback in Feedback.objects.only("need", "offer", "features", "verdict"):
        verdicts[(feedback.need_id, feedback.offer_id)].append(feedback_sample(feedback))
    samples = merge_outcomes(verdicts, outcome_samples(pair_outcomes()))
    return samples, sum(1 for s in samples if s.verdict in OUTCOME_LABELS)


def learn_from_feedback() -> RankerWeights | None:
    """Fit new ranker weights to all feedback and the outcomes of the pairs acted on
    (:func:`learning_samples`); stored (and used) only when enough samples exist and they order the
    samples at least as well as the current weights. The stored note says how many came from outcomes."""
    samples, from_outcomes = learning_samples()
    prior = current_weights()
    learned = learn_weights(samples, prior)
    if learned.trained_on == prior.trained_on and learned.values == prior.values:
        return None
    before = ranking_accuracy(samples, prior)
    after = ranking_accuracy(samples, learned)
    if before is not None and after is not None and after < before:
        return None
    note = learned.note
    if from_outcomes:
        note = f"{note}, {from_outcomes} of them from outcomes"
    row = RankerWeights.objects.create(
        values=dict(learned.values),
        trained_on=learned.trained_on,
        note=note,
        accuracy_before=before,
        accuracy_after=after,
    )
    bump_index_seq()
    return row
