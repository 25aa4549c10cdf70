"""Rows to the core's types: a call's definition, an application's answers as its form reads them, and
the facts its eligibility is judged on (from the registry and the ledgers)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.db.models import Q

from helix.calls.models import Application, Call
from helix.core.calls.definition import CallDefinition, load_call
from helix.core.calls.eligibility_facts import ApplicantFacts, ApplicationFacts
from helix.core.calls.form_fields import FieldType, StageForm
from helix.core.funding.sme import SizeClass
from helix.core.specs import to_decimal
from helix.funds import convert as funds_convert
from helix.funds.models import Instrument
from helix.registry.models import Membership, Organisation

_DEFINITIONS: dict[str, CallDefinition] = {}


def definition(call: Call) -> CallDefinition:
    """The call's definition as the core reads it (validated on save), kept per definition text: a
    changed definition is read anew, whatever else changed with it (a status move bumps the revision, an
    edit of the definition need not; a row id can come back after a delete)."""
    key = hashlib.sha256(
        json.dumps(call.definition, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()
    found = _DEFINITIONS.get(key)
    if found is None:
        found = load_call(call.definition, "definition")
        if len(_DEFINITIONS) > 256:
            _DEFINITIONS.clear()
        _DEFINITIONS[key] = found
    return found


def stage_of(call: Call, name: str) -> StageForm:
    stage = definition(call).stage(name)
    if stage is None:  # a stage the definition no longer has: the first one
        return definition(call).stages[0]
    return stage


def stage_answers(application: Application, stage: StageForm | None = None) -> dict[str, Any]:
    """The answers of ``application`` at ``stage`` (its present one), as the form checks them: an
    organisations field holds the applying organisations (the consortium), whatever was typed."""
    stage = stage or stage_of(application.call, application.stage)
    answers = dict(application.answers.get(stage.name, {}))
    ids = [str(a.organisation_id) for a in application.applicants.all()]
    for f in stage.form.fields:
        if f.type is FieldType.ORGANISATIONS:
            answers[f.name] = ids
    return answers


def money(value: object) -> Decimal | None:
    parsed = to_decimal(value) if value not in (None, "") else None
    return parsed if parsed is not None and parsed.is_finite() else None


# -- eligibility facts ----------------------------------------------------------------------------------


def size_class(organisation: Organisation) -> SizeClass:
    """The registry's declared size: an SME is counted a medium-sized enterprise (the least favourable
    SME class) until its figures are known; a large enterprise is large; anything else unknown."""
    return {"sme": SizeClass.MEDIUM, "large": SizeClass.LARGE}.get(organisation.size_class, SizeClass.UNKNOWN)


def country(organisation: Organisation) -> str:
    sites = list(organisation.sites.all())
    head = next((s for s in sites if s.is_headquarters), sites[0] if sites else None)
    return head.country if head is not None else ""


def cluster_has_roadmap(call: Call) -> bool:
    """Whether the call's cluster has adopted a roadmap."""
    return call.cluster.roadmap_adopted_on is not None


def levels_on(organisations: list[Organisation], on: dt.date) -> dict[int, dict[str, str]]:
    """Each organisation's engagement level per cluster slug on the day ``on``, from the dated history
    of its memberships (a call judged on its own date, not on today's ladder); a membership without
    history counts from its ``since`` date at its present level."""
    levels: dict[int, dict[str, str]] = {}
    memberships = list(
        Membership.objects.filter(organisation__in=organisations)
        .select_related("cluster")
        .prefetch_related("changes")
    )
    for m in memberships:
        steps = sorted((c.changed_on, c.pk, c.to_level) for c in m.changes.all())
        if steps:
            before = [level for day, _pk, level in steps if day <= on]
            level = before[-1] if before else ""
        else:
            level = m.level if m.since <= on else ""
        if level:
            levels.setdefault(m.organisation_id, {})[m.cluster.slug] = level
    return levels


def facts(application: Application, on: dt.date) -> ApplicationFacts:
    """What the call's rules judge ``application`` on at ``on``: each applicant's kind, declared size,
    engagement per cluster on that day, country and share of the request; the cluster's roadmap; the
    ledgers of every instrument for the applicants (caps across instruments and years)."""
    applicants = list(
        application.applicants.select_related("organisation").prefetch_related("organisation__sites")
    )
    orgs = [a.organisation for a in applicants]
    levels = levels_on(orgs, on)
    requested = money(application.requested_eur) or Decimal(0)
    shares = [money(a.requested_eur) for a in applicants]
    split = all(s is None for s in shares)
    people = [
        ApplicantFacts(
            organisation=str(a.organisation_id),
            kind=a.organisation.kind,
            sme=size_class(a.organisation),
            membership=levels.get(a.organisation_id, {}),
            country=country(a.organisation),
            lead=a.lead,
            # without shares the lead receives what is asked (the call pays the lead, who pays on)
            requested_eur=(requested if a.lead else Decimal(0)) if split else (shares[i] or Decimal(0)),
        )
        for i, a in enumerate(applicants)
    ]
    call = application.call
    ledger = None
    instrument_key = ""
    if call.instrument_id is not None:
        instrument_key = call.instrument.key
        ids = [o.pk for o in orgs]
        ledger = funds_convert.ledger(Instrument.objects.all(), Q(beneficiary_id__in=ids))
    return ApplicationFacts(
        on=on,
        applicants=tuple(people),
        cluster=call.cluster.slug,
        cluster_has_roadmap=cluster_has_roadmap(call),
        instrument=instrument_key,
        project=f"application-{application.pk}",
        total_cost_eur=money(application.total_cost_eur),
        ledger=ledger,
        undertaking_of={str(o.pk): str(o.pk) for o in orgs},
    )
