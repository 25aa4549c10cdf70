"""Feedback on suggested pairs, and the ranker weights learned from it.

A verdict is stored with the features the pair was scored on (helix.market.engine.pair_features);
:func:`learn_from_feedback` fits new weights (helix.core.matching.weights) and keeps them only when they
order the feedback at least as well as the current ones.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helix.core.matching.engine import UnknownListing
from helix.core.matching.weights import learn_weights, ranking_accuracy
from helix.market.convert import feedback_sample
from helix.market.engine import bump_index_seq, current_weights, get_engine, pair_features
from helix.market.models import Feedback, Listing, RankerWeights, Side, Verdict
from helix.registry.permissions import can


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


def learn_from_feedback() -> RankerWeights | None:
    """Fit new ranker weights to all feedback; stored (and used) only when enough verdicts exist and
    they order the feedback at least as well as the current weights."""
    samples = [feedback_sample(f) for f in Feedback.objects.only("features", "verdict")]
    prior = current_weights()
    learned = learn_weights(samples, prior)
    if learned.trained_on == prior.trained_on and learned.values == prior.values:
        return None
    before = ranking_accuracy(samples, prior)
    after = ranking_accuracy(samples, learned)
    if before is not None and after is not None and after < before:
        return None
    row = RankerWeights.objects.create(
        values=dict(learned.values),
        trained_on=learned.trained_on,
        note=learned.note,
        accuracy_before=before,
        accuracy_after=after,
    )
    bump_index_seq()
    return row
