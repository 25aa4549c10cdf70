"""The receiver ranking's model (helix.core.symbiosis.receiver_selection.learn_receiver_ranking: the
model nested leave-one-case-out chose, docs/decisions/0005): what it learns from (documented
exchanges and the cluster's realised synergies), cached per process until that changes, and the import
of documented exchanges."""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max

from helix.audit.bulk import BulkLog
from helix.core.symbiosis import FlowKind
from helix.core.symbiosis.exchanges import Exchange, read_exchanges
from helix.core.symbiosis.receiver_counts import CountReceiverModel
from helix.core.symbiosis.receiver_selection import learn_receiver_ranking
from helix.pagecache import data_changed_on_commit
from helix.symbiosis.convert import documented_exchange, exchange_row, realised_exchange
from helix.symbiosis.models import DocumentedExchange, Synergy, SynergyState

_model_lock = threading.Lock()
_model_cache: dict[str, CountReceiverModel | None] = {}


def learning_exchanges() -> list[Exchange]:
    """Documented exchanges plus the cluster's own realised synergies (provider -> receiver industry)."""
    out: list[Exchange] = [documented_exchange(row) for row in DocumentedExchange.objects.all().iterator()]
    realised = Synergy.objects.filter(state=SynergyState.REALISED, have__kind=FlowKind.MATERIAL.value)
    for s in realised.select_related("have__organisation", "want__organisation"):
        exchange = realised_exchange(s)
        if exchange is not None:
            out.append(exchange)
    return [e for e in out if e.receiver]


def receiver_model() -> CountReceiverModel | None:
    """The model learned from the documented exchanges, cached until they change; None if there are none."""
    from helix.market.engine import current_encoder, encoder_label

    encoder = current_encoder()
    # What the model learns from, summed up in two cheap queries: rebuilt only when it changed, in
    # whichever process asks (a page, the worker), without reading every exchange on each call.
    documented = DocumentedExchange.objects.aggregate(n=Count("pk"), last=Max("pk"))
    realised = Synergy.objects.filter(state=SynergyState.REALISED).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    key = f"{documented}:{realised}:{encoder_label(encoder)}"
    with _model_lock:
        if key in _model_cache:
            return _model_cache[key]
        exchanges = learning_exchanges()
        model = learn_receiver_ranking(exchanges, encoder=encoder) if exchanges else None
        _model_cache.clear()
        _model_cache[key] = model
    return model


def reset_model() -> None:
    with _model_lock:
        _model_cache.clear()


@transaction.atomic
def import_exchanges(text: str, source: str, *, replace: bool = True) -> int:
    """Rows of a MAESTRI-layout CSV become documented exchanges; all or nothing (errors name the line).
    A file beyond HELIX_IMPORT_MAX_ROWS rows or HELIX_IMPORT_MAX_COLUMNS columns is refused."""
    try:
        exchanges = read_exchanges(
            text,
            source=source,
            max_rows=settings.HELIX_IMPORT_MAX_ROWS,
            max_columns=settings.HELIX_IMPORT_MAX_COLUMNS,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if replace:
        DocumentedExchange.objects.filter(source=source).delete()
    created = [exchange_row(e, source) for e in exchanges]
    audit = BulkLog()  # bulk_create bypasses model signals: the audit trail is written in bulk
    audit.created(DocumentedExchange.objects.bulk_create(created))
    data_changed_on_commit()
    audit.flush()
    reset_model()
    return len(created)
