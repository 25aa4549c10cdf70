"""Matching: the proposed synergies of a region, computed by helix.core.symbiosis.match over the flows
each side may see of the other (helix.symbiosis.permissions.Pairing), refreshed atomically by a run
(queued as a job, or in this process for the CLI); and why a flow has no proposal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from helix.core.symbiosis import Flow, MatchOptions, Proposal, Unmatched, explain_unmatched, match
from helix.jobs.progress import Progress, no_progress
from helix.registry.models import Region
from helix.registry.permissions import may
from helix.symbiosis import notices
from helix.symbiosis.convert import core_flows, proposal_fields
from helix.symbiosis.impact import factors
from helix.symbiosis.market_reading import read_market
from helix.symbiosis.models import FlowStatus, ResourceFlow, Synergy, SynergyState
from helix.symbiosis.permissions import Pairing
from helix.symbiosis.receivers import receiver_model


def region_flows(region: str | None = None) -> QuerySet[ResourceFlow]:
    qs = ResourceFlow.objects.filter(
        status=FlowStatus.ACTIVE, site__latitude__isnull=False, site__longitude__isnull=False
    ).select_related("organisation", "site")
    if region:
        qs = qs.filter(site__region=region)
    return qs


def compute_proposals(
    region: str | None = None, progress: Progress = no_progress
) -> tuple[list[Proposal], list[Flow]]:
    from helix.market.engine import current_encoder

    candidates = list(region_flows(region))
    flows = core_flows(candidates)
    progress(0, max(1, len(flows)), _("learning from documented exchanges"))
    model = receiver_model()
    result = match(
        flows,
        factors=factors(),
        model=model,
        encoder=current_encoder(),
        options=MatchOptions(top_per_have=10),
        progress=lambda done, total: progress(done, total, _("matching offers with needs")),
        pairable=Pairing(candidates),  # each side's organisation may see the other's flow
    )
    return result.proposals, flows


def run_matching(region: str | None = None, progress: Progress = no_progress) -> dict[str, Any]:
    """Refresh the proposed synergies of a region (all regions when ``region`` is empty), atomically.

    Proposals are created or updated; synergies already beyond "proposed" keep their state and their
    figures; proposed ones that no longer come out (and that nobody accepted yet) are removed, and so
    are proposed ones whose flows may no longer be paired (a flow made "staff only"), accepted or not.
    The needs and offers of the market that are resource flows are read first (:func:`read_market`)."""
    read_market()
    proposals, flows = compute_proposals(region, progress)
    scope = ResourceFlow.objects.filter(site__region=region) if region else ResourceFlow.objects.all()
    scope_ids = scope.values("pk")
    with transaction.atomic():
        existing = {
            (s.have_id, s.want_id): s
            for s in Synergy.objects.filter(
                Q(have_id__in=scope_ids) | Q(want_id__in=scope_ids)
            ).select_for_update()
        }
        # by confidentiality alone: an accepted proposal on a flow closed meanwhile stays, as before
        pairing = Pairing(
            ResourceFlow.objects.filter(pk__in={pk for pair in existing for pk in pair}), assume_active=True
        )
        created = updated = 0
        fresh = set()
        new: list[Synergy] = []
        for p in proposals:
            pair = (int(p.have), int(p.want))
            fresh.add(pair)
            fields = proposal_fields(p)
            synergy = existing.get(pair)
            if synergy is None:
                new.append(Synergy.objects.create(have_id=pair[0], want_id=pair[1], **fields))
                created += 1
            elif synergy.state == SynergyState.PROPOSED:
                for k, v in fields.items():
                    setattr(synergy, k, v)
                synergy.save()
                updated += 1
        stale = [
            s.pk
            for pair, s in existing.items()
            if s.state == SynergyState.PROPOSED
            and pair not in fresh
            and (not (s.have_accepted or s.want_accepted) or not pairing.allows(*pair))
        ]
        Synergy.objects.filter(pk__in=stale).delete()
        # both parties of each new proposal are told (helix.symbiosis.notices), with the run's change
        notices.proposed(Synergy.objects.filter(pk__in=[s.pk for s in new]).select_related("have", "want"))
    return {
        "flows": len(flows),
        "proposals": len(proposals),
        "created": created,
        "updated": updated,
        "removed": len(stale),
    }


def region_label(region: str) -> str:
    """A region's name as pages show it ("Oost-Vlaanderen", not its code); every region when empty."""
    if not region:
        return _("all regions")
    return str(Region(region).label) if region in Region.values else region


def flow_changed(flow: ResourceFlow) -> Any:
    """A flow was saved: refresh the proposals in the background (all regions: a counterpart may sit
    across a regional border), so the organisation sees them without waiting for staff. A run that is
    already queued is not queued twice."""
    from helix.jobs.models import Job, JobStatus
    from helix.jobs.services import create_job
    from helix.symbiosis.tasks import match_region

    kind = "symbiosis-match:auto"
    if Job.objects.filter(kind=kind, status=JobStatus.QUEUED).exists():
        return None
    job = create_job(kind, _("Symbiosis matching %(region)s") % {"region": _("all regions")}, None)
    transaction.on_commit(lambda: match_region.enqueue(job.pk, ""))
    return job


def start_matching(user: Any, region: str = "") -> Any:
    from helix.jobs.services import create_job
    from helix.symbiosis.tasks import match_region

    if not may(user, "propose", Synergy):
        raise PermissionDenied
    job = create_job(
        "symbiosis-match", _("Symbiosis matching %(region)s") % {"region": region_label(region)}, user
    )
    transaction.on_commit(lambda: match_region.enqueue(job.pk, region))
    return job


def match_now(user: Any, region: str = "", progress: Progress = no_progress) -> dict[str, Any]:
    """Staff refresh the proposals of a region in this process (the CLI)."""
    if not may(user, "propose", Synergy):
        raise PermissionDenied(_("Only cluster staff run the matching."))
    return run_matching(region or None, progress)


def unmatched_reasons(flow: ResourceFlow) -> list[Unmatched]:
    """Why ``flow`` has no proposal (:func:`helix.core.symbiosis.explain_unmatched`): its counterparts
    among the active flows it may be paired with (each side's owner may see the other's flow; the
    others are left out unsaid), put through the matching's rules."""
    if flow.status != FlowStatus.ACTIVE:
        return [Unmatched("closed", 0)]
    opposite = "want" if flow.direction == "have" else "have"
    candidates = [*region_flows().filter(kind=flow.kind, direction=opposite).exclude(pk=flow.pk), flow]
    flows = core_flows(candidates)
    own = next((f for f in flows if f.id == str(flow.pk)), None)
    if own is None:
        return []  # its figures do not hold together (edited in the admin): the form says what to fix
    return explain_unmatched(own, flows, factors=factors(), pairable=Pairing(candidates))
