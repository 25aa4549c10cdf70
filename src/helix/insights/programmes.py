"""Programme cycles as services: start a programme and its cycles (work domains proposed from the open
needs), move a cycle through its phases with dated steps, link a phase's needs, events and projects, add
its outputs, and record that another organisation reuses an output. Every rule is the core's
(helix.core.insights.programmes); who may act is insights/permissions.py; a refusal is an
:class:`~helix.insights.services.InsightsError` with a code, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from helix.core.insights import programmes as core
from helix.events.models import Event
from helix.insights.models import Cycle, CycleStep, Output, OutputReuse, PhaseLink, Programme
from helix.insights.services import InsightsError
from helix.market.models import Listing, Side
from helix.projects.models import Project
from helix.registry.models import Cluster, Domain
from helix.registry.models.organisations import OrganisationKind
from helix.registry.permissions import can, own_organisation_id, scope

# ---- programmes and cycles --------------------------------------------------------------------------


def start_programme(user: Any, cluster: Cluster, data: dict[str, Any]) -> Programme:
    """A new programme of ``cluster`` from cleaned form data (name, description, visibility,
    organisers)."""
    if not can(user, "create", Programme(cluster=cluster)):
        raise InsightsError("programme_not_allowed", action="create")
    with transaction.atomic():
        programme = Programme.objects.create(
            cluster=cluster,
            name=data["name"],
            description=data.get("description", ""),
            visibility=data.get("visibility") or "public",
        )
        programme.organisers.set(data.get("organisers") or [])
    return programme


def _open_needs(cluster: Cluster, today: dt.date) -> Any:
    """The cluster's open needs: published, not expired, in one of its domains."""
    return (
        Listing.objects.active(today)
        .filter(side=Side.NEED, domains__cluster=cluster)
        .distinct()
        .select_related("organisation")
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.only("pk", "cluster_id")))
    )


@dataclass(frozen=True)
class Proposal:
    """A proposed work domain with the core's reasons (the needs behind it)."""

    domain: Domain
    found: core.DomainProposal


def propose_domains(programme: Programme, today: dt.date | None = None, count: int = 4) -> list[Proposal]:
    """Work domains for the programme's next cycle, from the cluster's open needs now (the core's
    :func:`~helix.core.insights.programmes.propose_work_domains`); a domain of the latest cycle is
    marked as such."""
    today = today or timezone.localdate()
    domains = {d.pk: d for d in Domain.objects.filter(cluster=programme.cluster)}
    signals = [
        core.NeedSignal(
            id=n.pk,
            organisation=n.organisation_id,
            public_body=n.organisation.kind == OrganisationKind.GOVERNMENT,
            published_on=n.published_on or today,
            domains=frozenset(d.pk for d in n.domains.all()),
        )
        for n in _open_needs(programme.cluster, today)
    ]
    latest = programme.cycles.order_by("-number").first()
    previous = latest.work_domains.values_list("pk", flat=True) if latest else []
    found = core.propose_work_domains(signals, domains, today, previous, count)
    return [Proposal(domains[f.domain], f) for f in found]


def start_cycle(user: Any, programme: Programme, data: dict[str, Any]) -> Cycle:
    """The programme's next cycle (numbered after the last) from cleaned form data: ``starts_on``,
    ``ends_on``, ``work_domains`` (of the programme's cluster), ``domains_note``. It starts planned."""
    if not can(user, "edit", programme):
        raise InsightsError("programme_not_allowed", action="edit")
    domains = list(data.get("work_domains") or [])
    if any(d.cluster_id != programme.cluster_id for d in domains):
        raise InsightsError("domain_of_another_cluster", field="work_domains")
    if data["ends_on"] < data["starts_on"]:
        raise InsightsError("period_reversed", field="ends_on")
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        number = (programme.cycles.aggregate(n=Max("number"))["n"] or 0) + 1
        cycle = Cycle.objects.create(
            programme=programme,
            number=number,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            domains_note=data.get("domains_note", ""),
        )
        cycle.work_domains.set(domains)
        CycleStep.objects.create(cycle=cycle, state=core.PLANNED, by=_account(user))
    return cycle


def holdings(cycle: Cycle, phase: str) -> core.PhaseHoldings:
    """What ``phase`` of ``cycle`` holds, for the core's exit rules (counted over every record, not
    only those the asking user may see: a rule about the cycle does not depend on who asks)."""
    links = list(cycle.links.filter(phase=phase).select_related("project"))
    outputs = list(cycle.outputs.filter(phase=phase).values_list("visibility", flat=True))
    return core.PhaseHoldings(
        needs=sum(1 for link in links if link.need_id),
        events=sum(1 for link in links if link.event_id),
        projects=sum(1 for link in links if link.project_id),
        project_kinds=frozenset(link.project.kind for link in links if link.project_id and link.project),
        outputs=len(outputs),
        public_outputs=sum(1 for visibility in outputs if visibility == "public"),
    )


def move_refusals(user: Any, cycle: Cycle, target: str) -> list[core.Refusal]:
    """Why ``cycle`` cannot move to ``target`` for ``user`` now (empty when it can)."""
    roles = {core.STAFF} if can(user, "move", cycle) else set()
    return core.move_refusals(
        cycle.state, target, holdings(cycle, cycle.state), cycle.work_domains.count(), roles
    )


def move_cycle(user: Any, cycle: Cycle, target: str) -> Cycle:
    """Move ``cycle`` to ``target`` (its next phase) with a dated step, or refuse with every reason."""
    if not can(user, "move", cycle):
        raise InsightsError("programme_not_allowed", action="move")
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        refusals = move_refusals(user, cycle, target)
        if refusals:
            raise InsightsError(refusals[0].code, field="target", refusals=refusals)
        cycle.state = target
        cycle.save(update_fields=["state"])
        CycleStep.objects.create(cycle=cycle, state=target, by=_account(user))
    return cycle


def phase_dates(cycle: Cycle) -> dict[str, tuple[dt.date, dt.date | None]]:
    """When each phase the cycle reached began and ended (None while it runs), from its steps."""
    steps = [s for s in cycle.steps.all() if s.state != core.PLANNED]
    out: dict[str, tuple[dt.date, dt.date | None]] = {}
    for i, step in enumerate(steps):
        if step.state in core.PHASE_BY_CODE:
            out[step.state] = (step.on, steps[i + 1].on if i + 1 < len(steps) else None)
    return out


# ---- a phase's links and outputs -------------------------------------------------------------------

_LINK_MODELS: dict[str, type[Any]] = {core.NEED: Listing, core.EVENT: Event, core.PROJECT: Project}


def _belongs(cluster: Cluster, kind: str, record: Any) -> bool:
    if kind == core.NEED:
        return bool(record.side == Side.NEED and record.domains.filter(cluster=cluster).exists())
    return bool(record.cluster_id == cluster.pk)


def link(user: Any, cycle: Cycle, phase: str, kind: str, record_id: int) -> PhaseLink:
    """Link a need (one of the cluster's domains), an event or a project (of the cluster) that ``user``
    may see to ``phase`` of ``cycle``; refused when the phase does not link that kind, has not begun,
    or the cycle is closed."""
    if not can(user, "link", cycle):
        raise InsightsError("programme_not_allowed", action="link")
    refusal = core.link_refusal(cycle.state, phase, kind)
    if refusal is not None:
        raise InsightsError(refusal.code, field="kind", phase=phase)
    model = _LINK_MODELS.get(kind)
    record = model.objects.filter(pk=record_id).first() if model else None
    if record is None or not can(user, "view", record):
        raise InsightsError("no_such_record", field="record", kind=kind, id=record_id)
    cluster = cycle.programme.cluster
    if not _belongs(cluster, kind, record):
        raise InsightsError("record_of_another_cluster", field="record", kind=kind)
    with transaction.atomic():
        found, created = PhaseLink.objects.get_or_create(
            cycle=cycle, phase=phase, **{kind: record}, defaults={"added_by": _account(user)}
        )
    if not created:
        raise InsightsError("linked_already", field="record")
    return found


def unlink(user: Any, phase_link: PhaseLink) -> None:
    if not can(user, "remove", phase_link):
        raise InsightsError("programme_not_allowed", action="remove")
    if phase_link.cycle.state == core.CLOSED:
        raise InsightsError("cycle_closed")
    phase_link.delete()


def add_output(user: Any, cycle: Cycle, data: dict[str, Any]) -> Output:
    """An output of a phase from cleaned form data; its working table or trajectory, when named, is a
    project of the cluster linked to the cycle."""
    if not can(user, "link", cycle):
        raise InsightsError("programme_not_allowed", action="link")
    phase = data.get("phase") or core.TRAJECTORIES
    refusal = core.link_refusal(cycle.state, phase, core.OUTPUT)
    if refusal is not None:
        raise InsightsError(refusal.code, field="phase", phase=phase)
    project = data.get("project")
    if project is not None and not cycle.links.filter(project=project).exists():
        raise InsightsError("project_not_in_cycle", field="project")
    domains = list(data.get("domains") or [])
    if any(d.cluster_id != cycle.programme.cluster_id for d in domains):
        raise InsightsError("domain_of_another_cluster", field="domains")
    with transaction.atomic():
        output = Output.objects.create(
            cycle=cycle,
            phase=phase,
            project=project,
            kind=data["kind"],
            title=data["title"],
            summary=data["summary"],
            url=data.get("url", ""),
            language=data["language"],
            visibility=data.get("visibility") or "public",
            created_by=_account(user),
        )
        output.domains.set(domains)
    return output


def _makers(output: Output) -> frozenset[int]:
    if output.project_id is None:
        return frozenset()
    return frozenset(m.organisation_id for m in output.project.members.all())


def record_reuse(user: Any, output: Output, note: str = "") -> OutputReuse:
    """Record that the user's own organisation reuses ``output`` (once; a second time changes the
    note). An organisation that made it does not reuse it."""
    own = own_organisation_id(user)
    if own is None:
        raise InsightsError("no_organisation")
    if not can(user, "reuse", output):
        raise InsightsError("reuse_not_allowed")
    if own in _makers(output):
        raise InsightsError("own_output")
    with transaction.atomic():
        reuse, _created = OutputReuse.objects.update_or_create(
            output=output,
            organisation_id=own,
            defaults={"note": note[:300], "by": _account(user), "on": timezone.localdate()},
        )
    return reuse


def _output_record(output: Output) -> core.OutputRecord:
    return core.OutputRecord(
        id=output.pk,
        text=f"{output.title}. {output.summary}",
        domains=frozenset(d.pk for d in output.domains.all()),
        makers=_makers(output),
    )


def _need_record(need: Listing) -> core.NeedRecord:
    return core.NeedRecord(
        id=need.pk,
        text=f"{need.title}. {need.description}",
        domains=frozenset(d.pk for d in need.domains.all()),
        organisation=need.organisation_id,
    )


def needs_for_output(user: Any, output: Output, limit: int = 10) -> list[tuple[Listing, core.Reuse]]:
    """Open needs ``user`` may see that ``output`` answers (other cities with the same problem), best
    first, with the core's reasons."""
    needs = {
        n.pk: n
        for n in scope(user, "view", _open_needs(output.cycle.programme.cluster, timezone.localdate()))
        .select_related("organisation")
        .prefetch_related("domains")
    }
    found = core.needs_for_output(_output_record(output), [_need_record(n) for n in needs.values()], limit)
    return [(needs[r.need], r) for r in found]


def outputs_for_need(user: Any, need: Listing, limit: int = 10) -> list[tuple[Output, core.Reuse]]:
    """Outputs ``user`` may see, of any programme, that answer ``need``, best first."""
    outputs = {
        o.pk: o
        for o in scope(user, "view", Output.objects.all())
        .select_related("project", "cycle__programme")
        .prefetch_related("domains", "project__members")
    }
    found = core.reusable_outputs(_need_record(need), [_output_record(o) for o in outputs.values()], limit)
    return [(outputs[r.output], r) for r in found]


def linked_records(user: Any, cycle: Cycle) -> dict[str, dict[str, list[Any]]]:
    """Per phase, per kind, the linked records ``user`` may see, and the phase's outputs ``user`` may
    see: ``{phase: {"need": [link...], ..., "output": [output...]}}``. What may be seen is asked of the
    permission tables once per kind (a query each), not per record."""
    out: dict[str, dict[str, list[Any]]] = {p: {k: [] for k in core.LINK_KINDS} for p in core.PHASE_CODES}
    links = list(cycle.links.select_related("need__organisation", "event", "project"))
    visible: dict[str, set[int]] = {}
    for kind, model in _LINK_MODELS.items():
        ids = {getattr(link, f"{kind}_id") for link in links if getattr(link, f"{kind}_id")}
        visible[kind] = (
            set(scope(user, "view", model.objects.filter(pk__in=ids)).values_list("pk", flat=True))
            if ids
            else set()
        )
    for phase_link in links:
        kind = phase_link.kind
        if getattr(phase_link, f"{kind}_id") in visible[kind]:
            out[phase_link.phase][kind].append(phase_link)
    for output in scope(user, "view", cycle.outputs.all()).select_related("project"):
        out[output.phase][core.OUTPUT].append(output)
    return out


def _account(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None
