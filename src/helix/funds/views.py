"""Funds pages: the instruments one may see, an instrument's page (its terms for anyone signed in; its
ledger for those who may see it, a beneficiary's own entries for its people) and the staff's booking
form with its check before committing. Views parse, ask the permission tables, call the services and
render; a refusal is said field by field and cap by cap, and nothing is written."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from helix.funds import explain, forms, services
from helix.funds.models import EntryKind, Instrument, LedgerEntry
from helix.registry.models import Organisation
from helix.registry.permissions import can, scope

SEARCH_RESULTS = 20


def _visible(request: HttpRequest, key: str) -> Instrument:
    instrument = (
        scope(
            request.user,
            "view",
            Instrument.objects.select_related("cluster").prefetch_related("cluster__names"),
        )
        .filter(key=key)
        .first()
    )
    if instrument is None:
        raise Http404
    return instrument


def _terms(instrument: Instrument) -> list[str]:
    """The instrument's caps in words: its own, and those of other instruments that count it."""
    caps = services.caps_of(instrument)
    keys = {key for cap in caps for key in cap.instruments}
    names = dict(Instrument.objects.filter(key__in=keys).values_list("key", "name"))
    return [explain.cap_terms(cap, names, instrument.key) for cap in caps]


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    instruments = list(
        scope(
            request.user,
            "view",
            Instrument.objects.select_related("cluster").prefetch_related("cluster__names"),
        ).order_by("name", "key")
    )
    return render(request, "funds/instrument_list.html", {"instruments": instruments, "app": "funds"})


def _balance_rows(user: Any, by_beneficiary: dict[int, Any]) -> list[dict[str, Any]]:
    """One row per beneficiary, by name: the organisation (linked where ``user`` may see its profile)
    and its balance."""
    organisations = Organisation.objects.filter(pk__in=list(by_beneficiary)).only("pk", "name", "slug")
    visible = set(
        scope(user, "view", Organisation.objects.filter(pk__in=list(by_beneficiary))).values_list(
            "pk", flat=True
        )
    )
    return [
        {"organisation": org, "linked": org.pk in visible, "balance": by_beneficiary[org.pk]}
        for org in sorted(organisations, key=lambda o: (o.name.lower(), o.pk))
    ]


@login_required
def instrument_detail(request: HttpRequest, key: str) -> HttpResponse:
    instrument = _visible(request, key)
    user = request.user
    whole = can(user, "view_ledger", instrument)
    entries: QuerySet[LedgerEntry] = scope(user, "view", LedgerEntry.objects.filter(instrument=instrument))
    context: dict[str, Any] = {
        "instrument": instrument,
        "kind_label": explain.instrument_kind_label(instrument.kind),
        "terms": _terms(instrument),
        "whole_ledger": whole,
        "may_book": can(user, "book", instrument),
        "app": "funds",
    }
    if whole:
        summed = services.summary(instrument)
    else:
        # a beneficiary's people: only the entries they may see, and their balances
        summed = services.summary(instrument, among=Q(pk__in=entries.values("pk")))
    if whole or summed.by_beneficiary:
        page = Paginator(
            entries.select_related("beneficiary").order_by("-on", "-pk"), settings.HELIX_PAGE_SIZE
        ).get_page(request.GET.get("page"))
        context.update(
            summary=summed,
            balances=_balance_rows(user, summed.by_beneficiary),
            page_obj=page,
            entries=page.object_list,
        )
    return render(request, "funds/instrument_detail.html", context)


# -- booking -----------------------------------------------------------------------------------------------

BOOK = {
    forms.COMMIT: services.commit,
    forms.DISBURSE: services.disburse,
    forms.REPAY: services.repay,
    forms.LEVERAGE: services.record_leverage,
}

DONE = {
    forms.COMMIT: EntryKind.COMMITTED,
    forms.DISBURSE: EntryKind.DISBURSED,
    forms.REPAY: EntryKind.REPAID,
    forms.LEVERAGE: EntryKind.LEVERAGED,
}


def _candidates(user: Any, instrument: Instrument, query: str, chosen: str) -> list[Organisation]:
    """The organisations to choose the beneficiary from: those ``user`` may see whose name or slug holds
    ``query`` (without one: the beneficiaries of the instrument so far), and the one chosen."""
    visible = scope(user, "view", Organisation.objects.all())
    if query:
        found = visible.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    else:
        found = visible.filter(pk__in=instrument.entries.values("beneficiary_id"))
    rows = list(found.order_by("name", "pk").only("pk", "name", "slug")[:SEARCH_RESULTS])
    if chosen and all(o.slug != chosen for o in rows):
        rows = list(visible.filter(slug=chosen).only("pk", "name", "slug")) + rows
    return rows


def _check(form: forms.BookingForm, instrument: Instrument) -> dict[str, Any]:
    """What the core says of the commitment in ``form``: each cap with its use and headroom, and the
    ledger's problems (nothing is written or locked)."""
    data = form.cleaned_data
    try:
        result = services.check_commitment(
            instrument,
            data["beneficiary"],
            data["amount_eur"],
            data["on"],
            project_ref=data["project_ref"],
            gross_grant_equivalent=data["gross_grant_equivalent_eur"],
        )
    except services.FundsRefused as refused:
        form.add_refusal(refused)
        return {}
    return {
        "allowed": result.allowed,
        "problems": [explain.problem_text(p) for p in result.problems],
        "caps": [
            {
                "cap": o.cap,
                "passed": o.passed,
                "text": explain.problem_text(o),
                "limit": o.params.get("limit_eur"),
                "used": o.params.get("used_eur"),
                "headroom": o.params.get("headroom_eur"),
            }
            for o in result.caps.outcomes
        ],
    }


@login_required
def book(request: HttpRequest, key: str) -> HttpResponse:
    """The booking form (GET), checking a commitment (POST ``check``) or booking (POST)."""
    instrument = _visible(request, key)
    user = request.user
    if not can(user, "book", instrument):
        raise PermissionDenied
    beneficiaries = scope(user, "view", Organisation.objects.all())
    checked: dict[str, Any] = {}
    if request.method == "POST":
        form = forms.BookingForm(request.POST, beneficiaries=beneficiaries)
        if form.is_valid() and "check" in request.POST:
            if form.cleaned_data["action"] == forms.COMMIT:
                checked = _check(form, instrument)
            else:
                form.add_error("action", _("Only a commitment is checked against the caps."))
        elif form.is_valid():
            data = form.cleaned_data
            extra = {}
            if data["action"] == forms.COMMIT:
                extra["gross_grant_equivalent"] = data["gross_grant_equivalent_eur"]
            try:
                entry = BOOK[data["action"]](
                    user,
                    instrument,
                    data["beneficiary"],
                    data["amount_eur"],
                    data["on"],
                    project_ref=data["project_ref"],
                    note=data["note"],
                    **extra,
                )
            except services.FundsRefused as refused:
                form.add_refusal(refused)
            else:
                messages.success(
                    request,
                    _("Booked: %(kind)s, EUR %(amount)s to %(beneficiary)s on %(on)s.")
                    % {
                        "kind": DONE[data["action"]].label,
                        "amount": explain.amount_text(entry.amount_eur),
                        "beneficiary": entry.beneficiary.name,
                        "on": explain.day_text(entry.on),
                    },
                )
                return redirect("funds:instrument", key=instrument.key)
    else:
        # what was typed before a search without scripts (the search button sends the form as a GET)
        initial = {name: request.GET[name] for name in forms.BookingForm.base_fields if request.GET.get(name)}
        form = forms.BookingForm(initial=initial, beneficiaries=beneficiaries)
    query = request.GET.get("q", "").strip()[:100]
    chosen = str(form["beneficiary"].value() or "")
    return render(
        request,
        "funds/book.html",
        {
            "instrument": instrument,
            "form": form,
            "query": query,
            "candidates": _candidates(user, instrument, query, chosen),
            "chosen": chosen,
            "checked": checked,
            "app": "funds",
        },
    )
