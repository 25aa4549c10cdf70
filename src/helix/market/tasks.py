"""Background tasks of needs and offers: embed changed listings, re-index everything, learn weights."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from helix.audit.context import TASK, acting_as, job_actor
from helix.jobs.services import run_job

logger = logging.getLogger(__name__)


@task()
def index_listing(listing_id: int) -> dict[str, Any]:
    """Embed one saved listing and store its vector (nothing to do when its text did not change)."""
    from helix.market.engine import store_listing_vector

    embedded = store_listing_vector(listing_id)
    if embedded is None:
        return {"embedded": 0, "missing": True}
    try:  # new strong matches are told here, in the background, once per pair (helix.market.notices)
        from helix.market.notices import listing_indexed

        listing_indexed(listing_id)
    except Exception:  # the vector is stored; a failure to tell must not fail the indexing
        logger.exception("telling the new matches of listing %s failed", listing_id)
    return {"embedded": embedded}


@task()
def reindex_listings(job_id: int) -> dict[str, Any]:
    """Re-embed every listing and refresh the match index (helix.market.engine.reindex), as a job."""
    from helix.market.engine import reindex

    with acting_as(job_actor(job_id), TASK):  # vectors are not audited; anything else it writes is
        return run_job(job_id, lambda progress: reindex(progress))


@task()
def learn_ranker_weights(job_id: int) -> dict[str, Any]:
    """Fit the ranker's weights to the verdicts and to what became of the pairs acted on
    (helix.market.feedback.learn_from_feedback); the stored note says how many samples were outcomes."""
    from helix.market.feedback import learn_from_feedback

    def work(progress: Any) -> dict[str, Any]:
        progress(0, 1, "fitting weights to the feedback and the outcomes of suggested pairs")
        row = learn_from_feedback()
        if row is None:
            return {"changed": False}
        return {"changed": True, "weights": row.values, "note": row.note}

    with acting_as(job_actor(job_id), TASK):
        return run_job(job_id, work)
