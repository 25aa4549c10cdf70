"""The funds API: the instruments the caller may see with their terms, an instrument's ledger entries (all
of them for its staff, a beneficiary's own for its people), and booking on a ledger (commit, disburse,
repay, record leverage) with a check before committing, for those who may book.

Every operation needs a signed-in caller: an instrument's terms are for anyone signed in, its ledger for
staff and beneficiaries (helix.funds.permissions). An instrument the caller may not see is 404; booking
on one they see but may not book on is 403. A booking the ledger's rules or a cap refuse is 409 with its
code and each reason, under the field it is about, said as the pages say it (helix.funds.explain);
nothing is written.

No ``from __future__ import annotations`` here: ninja's pagination reads the list's query annotation at
run time.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from helix.api.auth import WRITE_AUTH, acting_user
from helix.api.errors import ITEM_ERRORS, READ_ERRORS, WRITE_ERRORS, refuse_missing
from helix.api.pagination import HelixPagination
from helix.api.schemas.base import PlainText
from helix.api.schemas.funds import (
    BalanceOut,
    BookingIn,
    CheckOut,
    CommitIn,
    EntryFilters,
    EntryOut,
    FundsRefusal,
    InstrumentDetailOut,
    InstrumentOut,
    cents,
)
from helix.funds import explain, services
from helix.funds.models import Instrument, LedgerEntry
from helix.registry.models import Organisation
from helix.registry.permissions import can, scope

router = Router()
TAGS = ["funds"]
BOOKED = {201: EntryOut, 409: FundsRefusal, **WRITE_ERRORS}


def _visible(request: HttpRequest) -> Any:
    return scope(
        acting_user(request), "view", Instrument.objects.select_related("cluster").order_by("name", "key")
    )


def _problems(problems: Any) -> list[dict[str, Any]]:
    return [
        {"code": p.code, "field": explain.problem_field(p), "text": explain.problem_text(p)} for p in problems
    ]


def _refusal(refused: services.FundsRefused) -> Status:
    return Status(
        409,
        {
            "detail": explain.say(refused.code, refused.params),
            "code": refused.code,
            "problems": _problems(refused.problems),
        },
    )


@router.get("/instruments", response={200: list[InstrumentOut], **READ_ERRORS}, tags=TAGS, auth=WRITE_AUTH)
@paginate(HelixPagination)
def list_instruments(request: HttpRequest) -> Any:
    """The instruments you may see (anyone signed in sees every instrument's terms), by name."""
    return _visible(request)


@router.get(
    "/instruments/{key}", response={200: InstrumentDetailOut, **ITEM_ERRORS}, tags=TAGS, auth=WRITE_AUTH
)
def get_instrument(request: HttpRequest, key: PlainText) -> Any:
    """An instrument's terms (every cap a commitment must pass, in words) and, for those who may see its
    whole ledger, its balances in all and per beneficiary and what its budget has left."""
    instrument = get_object_or_404(_visible(request), key=key)
    user = acting_user(request)
    caps = services.caps_of(instrument)
    keys = {k for cap in caps for k in cap.instruments}
    names = dict(Instrument.objects.filter(key__in=keys).values_list("key", "name"))
    ledger = None
    if can(user, "view_ledger", instrument):
        summed = services.summary(instrument)
        organisations = Organisation.objects.filter(pk__in=list(summed.by_beneficiary)).order_by("slug")
        ledger = {
            "total": BalanceOut.of(summed.total),
            "budget_headroom_eur": cents(summed.budget_headroom),
            "beneficiaries": [
                {"organisation": o.slug, "name": o.name, **BalanceOut.of(summed.by_beneficiary[o.pk])}
                for o in organisations
            ],
        }
    return {
        "key": instrument.key,
        "name": instrument.name,
        "kind": instrument.kind,
        "cluster": instrument.cluster.slug if instrument.cluster_id is not None else None,
        "budget_eur": instrument.budget_eur,
        "de_minimis": instrument.de_minimis,
        "caps": [
            {
                "id": cap.id,
                "kind": str(cap.kind),
                "limit_eur": cents(cap.limit_eur),
                "instruments": list(cap.instruments),
                "years": cap.years if cap.kind == "de_minimis" else None,
                "text": explain.cap_terms(cap, names, instrument.key),
            }
            for cap in caps
        ],
        "ledger": ledger,
    }


@router.get(
    "/instruments/{key}/entries", response={200: list[EntryOut], **ITEM_ERRORS}, tags=TAGS, auth=WRITE_AUTH
)
@paginate(HelixPagination)
def list_entries(request: HttpRequest, key: PlainText, filters: Query[EntryFilters]) -> Any:
    """The instrument's ledger entries you may see, by date: every entry for its staff, a beneficiary's
    own for its people, none for others. ``beneficiary`` (a slug) narrows them."""
    instrument = get_object_or_404(_visible(request), key=key)
    entries = scope(
        acting_user(request),
        "view",
        LedgerEntry.objects.filter(instrument=instrument).select_related("instrument", "beneficiary"),
    )
    if filters.beneficiary:
        entries = entries.filter(beneficiary__slug=filters.beneficiary)
    return entries.order_by("on", "pk")


# -- booking -----------------------------------------------------------------------------------------------


def _booking(request: HttpRequest, key: str, payload: BookingIn) -> tuple[Any, Instrument, Organisation]:
    """The caller, the instrument (404 unseen, 403 when they may not book on it) and the beneficiary
    (422 when they may not see it)."""
    user = acting_user(request)
    instrument = get_object_or_404(_visible(request), key=key)
    if not can(user, "book", instrument):
        raise PermissionDenied
    beneficiary = scope(user, "view", Organisation.objects.all()).filter(Q(slug=payload.beneficiary)).first()
    refuse_missing(("beneficiary", beneficiary, f"no organisation {payload.beneficiary!r}"))
    return user, instrument, beneficiary


def _book(request: HttpRequest, key: str, payload: BookingIn, write: Callable[..., Any], **extra: Any) -> Any:
    user, instrument, beneficiary = _booking(request, key, payload)
    try:
        entry = write(
            user,
            instrument,
            beneficiary,
            payload.amount_eur,
            payload.on,
            project_ref=payload.project_ref,
            note=payload.note,
            **extra,
        )
    except services.FundsRefused as refused:
        return _refusal(refused)
    return Status(201, entry)


@router.post("/instruments/{key}/commit", response=BOOKED, tags=TAGS, auth=WRITE_AUTH)
def commit(request: HttpRequest, key: PlainText, payload: CommitIn) -> Any:
    """Commit money of the instrument to a beneficiary: every cap passed, or refused whole (409)."""
    return _book(
        request, key, payload, services.commit, gross_grant_equivalent=payload.gross_grant_equivalent_eur
    )


@router.post("/instruments/{key}/disburse", response=BOOKED, tags=TAGS, auth=WRITE_AUTH)
def disburse(request: HttpRequest, key: PlainText, payload: BookingIn) -> Any:
    """Pay out what was committed (never more than the commitments up to its day)."""
    return _book(request, key, payload, services.disburse)


@router.post("/instruments/{key}/repay", response=BOOKED, tags=TAGS, auth=WRITE_AUTH)
def repay(request: HttpRequest, key: PlainText, payload: BookingIn) -> Any:
    """Record a repayment of a loan (never more than was paid out)."""
    return _book(request, key, payload, services.repay)


@router.post("/instruments/{key}/leverage", response=BOOKED, tags=TAGS, auth=WRITE_AUTH)
def leverage(request: HttpRequest, key: PlainText, payload: BookingIn) -> Any:
    """Record private money the instrument's aid brought in for the beneficiary."""
    return _book(request, key, payload, services.record_leverage)


@router.post(
    "/instruments/{key}/check",
    response={200: CheckOut, 409: FundsRefusal, **WRITE_ERRORS},
    tags=TAGS,
    auth=WRITE_AUTH,
)
def check(request: HttpRequest, key: PlainText, payload: CommitIn) -> Any:
    """Would this commitment be booked? Each cap that applies with what is used and left; nothing is
    written. For those who may book on the instrument (the answer tells what the beneficiary received)."""
    _user, instrument, beneficiary = _booking(request, key, payload)
    try:
        result = services.check_commitment(
            instrument,
            beneficiary,
            payload.amount_eur,
            payload.on,
            project_ref=payload.project_ref,
            gross_grant_equivalent=payload.gross_grant_equivalent_eur,
        )
    except services.FundsRefused as refused:
        return _refusal(refused)
    return {
        "allowed": result.allowed,
        "problems": _problems(result.problems),
        "caps": [
            {
                "cap": o.cap,
                "kind": str(o.kind),
                "passed": o.passed,
                "code": o.code,
                "text": explain.problem_text(o),
                **{
                    f"{name}_eur": cents(Decimal(str(o.params[f"{name}_eur"])))
                    if f"{name}_eur" in o.params
                    else None
                    for name in ("limit", "used", "headroom")
                },
            }
            for o in result.caps.outcomes
        ],
    }
