"""Synergies: who sees which, the roles a user holds on one, the workflow's moves (helix.core.symbiosis.
synergy declares the states, transitions and who may trigger each), the reports of realised synergies
and their totals over time."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from helix.core.symbiosis import Quantity, UnitError
from helix.core.symbiosis import synergy as workflow
from helix.core.symbiosis.impact import reported_impact
from helix.core.workflow import TransitionNotAllowed
from helix.params import LARGEST
from helix.registry.permissions import can, own_organisation_id, scope
from helix.symbiosis import notices
from helix.symbiosis.convert import core_report
from helix.symbiosis.models import Synergy, SynergyEvent, SynergyReport, SynergyState
from helix.symbiosis.permissions import staff_sides
from helix.symbiosis.receivers import reset_model
from helix.symbiosis.validation import in_range, number_range_text


def visible_synergies(user: Any) -> QuerySet[Synergy]:
    """Synergies ``user`` may see: their organisation's, and (staff) those with a side in their clusters."""
    qs = Synergy.objects.select_related(
        "have__organisation", "have__site", "want__organisation", "want__site"
    )
    return scope(user, "view", qs)


def roles_on(user: Any, synergy: Synergy) -> set[str]:
    """The workflow roles ``user`` holds on ``synergy`` (helix.core.symbiosis.synergy): a party (a person
    of either organisation), staff (of either side's clusters), and, for making contact, staff of every
    side whose anonymous owner has not accepted contact."""
    roles = set()
    own = own_organisation_id(user)
    if own is not None and own in (synergy.have.organisation_id, synergy.want.organisation_id):
        roles.add(workflow.PARTY)  # the synergy's "owner" role
    sides = staff_sides(user, synergy)
    if sides:
        roles.add(workflow.STAFF)
    hidden = {
        side
        for side, flow, accepted in (
            (workflow.HAVE_SIDE, synergy.have, synergy.have_accepted),
            (workflow.WANT_SIDE, synergy.want, synergy.want_accepted),
        )
        if flow.anonymous and not accepted
    }
    return roles | workflow.contact_roles(sides, hidden)


def _record(synergy: Synergy, source: str, target: str, user: Any, note: str = "") -> None:
    SynergyEvent.objects.create(
        synergy=synergy,
        from_state=source,
        to_state=target,
        note=note,
        by=user if getattr(user, "pk", None) else None,
    )


@transaction.atomic
def accept_contact(user: Any, synergy: Synergy) -> Synergy:
    """A party accepts contact; when both have, the synergy moves to "contacted" and names are shown."""
    synergy = (
        Synergy.objects.select_for_update(of=("self",))
        .select_related("have", "want").get(pk=synergy.pk)
    )
    if not can(user, "accept", synergy):
        raise PermissionDenied
    own = own_organisation_id(user)
    if synergy.state != SynergyState.PROPOSED:
        raise ValidationError(_("Contact can be accepted on a proposed synergy only."))
    if own == synergy.have.organisation_id:
        synergy.have_accepted = True
    elif own == synergy.want.organisation_id:
        synergy.want_accepted = True
    else:
        raise PermissionDenied
    synergy.save(update_fields=["have_accepted", "want_accepted", "updated_at"])
    if synergy.have_accepted and synergy.want_accepted:
        workflow.SYNERGY_WORKFLOW.check(synergy.state, workflow.CONTACTED, {workflow.BOTH_PARTIES})
        _record(synergy, synergy.state, workflow.CONTACTED, user, _("both parties accepted contact"))
        synergy.state = SynergyState.CONTACTED
        synergy.save(update_fields=["state", "updated_at"])
        notices.moved(synergy, SynergyState.CONTACTED, user)
    else:
        notices.contact_accepted(synergy, own)
    return synergy


@transaction.atomic
def move(user: Any, synergy: Synergy, target: str, note: str = "") -> Synergy:
    synergy = (
        Synergy.objects.select_for_update(of=("self",))
        .select_related("have", "want").get(pk=synergy.pk)
    )
    if not can(user, "transition", synergy):
        raise PermissionDenied
    roles = roles_on(user, synergy)
    try:
        workflow.SYNERGY_WORKFLOW.check(synergy.state, target, roles)
    except TransitionNotAllowed as exc:
        raise ValidationError(str(exc)) from None
    if target in workflow.NEEDS_REASON and not note.strip():
        raise ValidationError({"note": _("Say why the synergy is dropped.")})
    _record(synergy, synergy.state, target, user, note)
    synergy.state = target
    if target == workflow.DROPPED:
        synergy.dropped_reason = note
    if target == workflow.PROPOSED:
        synergy.dropped_reason = ""
        synergy.have_accepted = synergy.want_accepted = False
    synergy.save()
    notices.moved(synergy, target, user)  # both parties but the mover (helix.symbiosis.notices)
    if target == workflow.REALISED:
        reset_model()  # realised synergies teach the receiver ranking
    return synergy


@transaction.atomic
def report(
    user: Any,
    synergy: Synergy,
    *,
    period_end: date,
    quantity: float,
    unit: str,
    co2e_avoided_t: float | None = None,
    money_saved_eur: float | None = None,
    note: str = "",
) -> SynergyReport:
    """Actual quantities of a realised synergy, converted to the synergy's unit (and refused across
    dimensions: tonnes are not reported against a heat synergy)."""
    if not can(user, "report", synergy):
        raise PermissionDenied
    if synergy.state != SynergyState.REALISED:
        raise ValidationError(_("Only a realised synergy reports actual quantities."))
    numbers = {"quantity": (quantity, 0.0), "co2e_avoided_t": (co2e_avoided_t, -LARGEST)}
    numbers["money_saved_eur"] = (money_saved_eur, -LARGEST)
    wrong = {
        field: number_range_text(low)
        for field, (value, low) in numbers.items()
        if (value is not None or field == "quantity") and not in_range(value, low)
    }
    if wrong:  # NaN, Infinity, a negative quantity or a magnitude beyond LARGEST would poison the totals
        raise ValidationError(wrong)
    try:
        q = Quantity(quantity, unit, "once")
        in_unit = q.to(synergy.unit, "once") if synergy.unit else quantity
    except UnitError as exc:
        raise ValidationError({"unit": str(exc)}) from None
    co2e, money = reported_impact(
        in_unit, synergy.quantity, synergy.impact or {}, co2e_avoided_t, money_saved_eur
    )
    r = SynergyReport.objects.create(
        synergy=synergy,
        period_end=period_end,
        quantity=in_unit,
        unit=synergy.unit or unit,
        co2e_avoided_t=co2e,
        money_saved_eur=money,
        note=note,
        reported_by=user,
    )
    return r


def totals(user: Any, period: str = "quarter") -> list[dict[str, Any]]:
    reports = scope(user, "view", SynergyReport.objects.all())
    rows = workflow.totals_over_time((core_report(r) for r in reports), period)
    return [asdict(r) for r in rows]


def pipeline_counts(user: Any) -> dict[str, int]:
    counts = dict.fromkeys(workflow.STATES, 0)
    for state in visible_synergies(user).values_list("state", flat=True):
        counts[state] += 1
    return counts
