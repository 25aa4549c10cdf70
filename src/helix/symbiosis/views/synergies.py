"""Synergy pages: the list by state, the detail (explanation, impact, workflow, reports) and the
workflow's moves (accept contact, move, report)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from helix.actions import act
from helix.core.symbiosis import synergy as workflow
from helix.registry.permissions import own_organisation_id
from helix.symbiosis import synergy_workflow, visibility
from helix.symbiosis.explain import translated
from helix.symbiosis.forms import ReportForm
from helix.symbiosis.models import (
    Synergy,
    SynergyState,
)
from helix.symbiosis.views import APP

# The workflow's transition labels (helix.core.symbiosis.synergy), so that makemessages finds them.
TRANSITION_LABELS = (
    gettext_noop("Contact made"),
    gettext_noop("Start the study"),
    gettext_noop("Agreed"),
    gettext_noop("Realised"),
    gettext_noop("Drop"),
    gettext_noop("Reopen"),
)


def _synergy_row(user: Any, s: Synergy, viewable: set[int] | None = None) -> dict[str, Any]:
    """A synergy with each flow shown only as far as ``user`` may view it."""
    have, want = visibility.synergy_sides(user, s, viewable)
    return {"synergy": s, "have": have, "want": want, "withheld": have["withheld"] or want["withheld"]}


def synergy_rows(user: Any, synergies: Any) -> list[dict[str, Any]]:
    synergies = list(synergies)
    viewable = visibility.viewable_flow_ids(user, {pk for s in synergies for pk in (s.have_id, s.want_id)})
    return [_synergy_row(user, s, viewable) for s in synergies]


@login_required
def synergy_list(request: HttpRequest) -> HttpResponse:
    synergies = synergy_workflow.visible_synergies(request.user)
    state = request.GET.get("state", "")
    if state in SynergyState.values:
        synergies = synergies.filter(state=state)
    rows = synergy_rows(request.user, synergies.order_by("-score")[:300])
    return render(
        request,
        "symbiosis/synergy_list.html",
        {
            "rows": rows,
            "states": SynergyState.choices,
            "state": state,
            "app": APP,
            "counts": synergy_workflow.pipeline_counts(request.user),
        },
    )


@login_required
def synergy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    synergy = synergy_workflow.visible_synergies(request.user).filter(pk=pk).first()
    if synergy is None:
        raise Http404
    roles = synergy_workflow.roles_on(request.user, synergy)
    own = own_organisation_id(request.user)
    states = dict(SynergyState.choices)
    available = workflow.SYNERGY_WORKFLOW.available(synergy.state, roles)
    transitions = [t for t in available if t.target != workflow.CONTACTED]
    can_accept = synergy.state == SynergyState.PROPOSED and (
        (own == synergy.have.organisation_id and not synergy.have_accepted)
        or (own == synergy.want.organisation_id and not synergy.want_accepted)
    )
    row = _synergy_row(request.user, synergy)
    return render(
        request,
        "symbiosis/synergy_detail.html",
        {
            **row,
            "roles": roles,
            "transitions": transitions,
            "can_accept": can_accept,
            "report_form": ReportForm(initial={"unit": synergy.unit}),
            "reports": synergy.reports.all(),
            "events": [
                {
                    "at": e.at,
                    "note": e.note,
                    "source": states.get(e.from_state, e.from_state),
                    "target": states.get(e.to_state, e.to_state),
                }
                for e in synergy.events.all()
            ],
            "app": APP,
            # staff make contact only where no anonymous owner is revealed against its will
            "staff_contact": any(t.target == workflow.CONTACTED for t in available),
            # reasons and flags describe both flows: none where one of them is withheld
            "reasons": [] if row["withheld"] else translated(synergy.reason_codes, synergy.reasons),
            "flags": [] if row["withheld"] else translated(synergy.flag_codes, synergy.flags),
        },
    )


def _act(request: HttpRequest, pk: int, call: Callable[[], object], done: str) -> HttpResponse:
    return act(request, call, redirect("symbiosis:synergy", pk=pk), done=done)


def _synergy_for(request: HttpRequest, pk: int) -> Synergy:
    synergy = synergy_workflow.visible_synergies(request.user).filter(pk=pk).first()
    if synergy is None:
        raise Http404
    return synergy


@login_required
@require_POST
def synergy_accept(request: HttpRequest, pk: int) -> HttpResponse:
    synergy = _synergy_for(request, pk)
    return _act(
        request,
        pk,
        lambda: synergy_workflow.accept_contact(request.user, synergy),
        _("You accepted the contact."),
    )


@login_required
@require_POST
def synergy_move(request: HttpRequest, pk: int) -> HttpResponse:
    synergy = _synergy_for(request, pk)
    target = request.POST.get("target", "")
    note = request.POST.get("note", "")
    return _act(
        request, pk, lambda: synergy_workflow.move(request.user, synergy, target, note), _("Synergy updated.")
    )


@login_required
@require_POST
def synergy_report(request: HttpRequest, pk: int) -> HttpResponse:
    synergy = _synergy_for(request, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("symbiosis:synergy", pk=pk)
    data = form.cleaned_data
    return _act(
        request,
        pk,
        lambda: synergy_workflow.report(
            request.user,
            synergy,
            period_end=data["period_end"],
            quantity=data["quantity"],
            unit=data["unit"],
            co2e_avoided_t=data.get("co2e_avoided_t"),
            money_saved_eur=data.get("money_saved_eur"),
            note=data.get("note", ""),
        ),
        _("Quantities reported."),
    )
