"""Describing a flow: for which organisation a user describes it, who may change it, and saving a new
one (its rules: helix.symbiosis.validation; who may: helix.symbiosis.permissions)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from helix.registry.models import Organisation
from helix.registry.permissions import actor_for, can, own_organisation_id
from helix.symbiosis import matching
from helix.symbiosis.models import ResourceFlow
from helix.symbiosis.permissions import new_flow


def flow_owner_for(user: Any, organisation_id: int | None = None) -> Organisation:
    """The organisation ``user`` describes a flow for: their own, or one they may describe flows for
    (the flow's "create": staff for the organisations of their clusters). PermissionDenied saying why
    and what to do otherwise; Organisation.DoesNotExist for an unknown id (to the superuser; others are
    refused, so that ids do not tell which organisations exist)."""
    wanted = organisation_id or own_organisation_id(user)
    if wanted is None:
        raise PermissionDenied(
            _(
                "Your account belongs to no organisation, so Helix cannot tell for which one to describe "
                "the flow. Ask the staff of your cluster to link your account to your organisation, or "
                "to describe the flow for it."
            )
        )
    organisation = Organisation.objects.filter(pk=wanted).first()
    if organisation is None and actor_for(user).is_superuser:
        raise Organisation.DoesNotExist
    if organisation is None or not can(user, "create", new_flow(organisation)):
        raise PermissionDenied(
            _(
                "Only the people of an organisation and the staff of its clusters describe its flows. "
                "Ask one of them, or the staff of your cluster, to describe it."
            )
        )
    return organisation


def flow_edit_refusal() -> str:
    """Why a user may not change a flow, and what to do (the 403 page says it; the owner's name is not
    given: an anonymous flow withholds it)."""
    return _(
        "Only the people of the organisation that describes this flow and the staff of its clusters "
        "change it. Ask them, or the staff of your cluster, to change it."
    )


def create_flow(user: Any, organisation: Organisation, site_id: int, **fields: Any) -> ResourceFlow:
    """Validate and save a new flow (errors under each field's name), then refresh the proposals."""
    if not organisation.sites.filter(pk=site_id).exists():
        raise ValidationError({"site_id": _("The site belongs to another organisation.")})
    flow = ResourceFlow(organisation=organisation, site_id=site_id, created_by=user, **fields)
    flow.full_clean(exclude=["organisation", "created_by"])
    flow.save()
    matching.flow_changed(flow)
    return flow


def can_edit_flow(user: Any, flow: ResourceFlow) -> bool:
    return can(user, "edit", flow)
