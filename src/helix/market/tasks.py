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
    from helix.market.engine import _listing_queryset, store_vectors
    from helix.market.models import Listing

    listing = _listing_queryset(Listing.objects.filter(pk=listing_id)).first()
    if listing is None:
        return {"embedded": 0, "missing": True}
    embedded = store_vectors([listing])
    try:  # new strong matches are told here, in the background, once per pair (helix.market.notices)
        from helix.market.notices import listing_indexed

        listing_indexed(listing_id)
    except Exception:  # the vector is stored; a failure to tell must not fail the indexing
        logger.exception("telling the new matches of listing %s failed", listing_id)
    return {"embedded": embedded}


def reindex(progress: Any = None, batch: int = 256) -> dict[str, Any]:
    """Store current vectors for every listing, in batches, reporting progress."""
    from helix.market.engine import _listing_queryset, current_encoder, encoder_label, store_vectors
    from helix.market.models import Listing
    from helix.market.services import bump_index_seq

    encoder = current_encoder()
    ids = list(Listing.objects.order_by("pk").values_list("pk", flat=True))
    embedded = 0
    for start in range(0, len(ids), batch):
        if progress:
            progress(start, len(ids), f"embedding listings {start + 1}-{min(len(ids), start + batch)}")
        chunk = list(
            _listing_queryset(Listing.objects.filter(pk__in=ids[start : start + batch])).order_by("pk")
        )
        embedded += store_vectors(chunk, encoder)
    bump_index_seq()
    if progress:
        progress(len(ids), len(ids), "updating the match index")
    from helix.market.engine import save_engine_indexes

    save_engine_indexes()
    if progress:
        progress(len(ids), len(ids), "done")
    return {"listings": len(ids), "embedded": embedded, "encoder": encoder_label(encoder)}


@task()
def reindex_listings(job_id: int) -> dict[str, Any]:
    with acting_as(job_actor(job_id), TASK):  # vectors are not audited; anything else it writes is
        return run_job(job_id, lambda progress: reindex(progress))


@task()
def learn_ranker_weights(job_id: int) -> dict[str, Any]:
    from helix.market.services import learn_from_feedback

    def work(progress: Any) -> dict[str, Any]:
        progress(0, 1, "fitting weights to the feedback")
        row = learn_from_feedback()
        if row is None:
            return {"changed": False}
        return {"changed": True, "weights": row.values, "note": row.note}

    with acting_as(job_actor(job_id), TASK):
        return run_job(job_id, work)
