"""The insights' coded errors in the reader's language (helix.insights.services.InsightsError)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def explain(error: Any) -> str:
    code = getattr(error, "code", "")
    params = getattr(error, "params", {})
    texts = {
        "not_allowed": _("Only the cluster's staff see and enter its indicators."),
        "domain_of_another_cluster": _("That domain belongs to another cluster."),
        "bad_date": _("“%(value)s” is not a date: write it as YYYY-MM-DD.")
        % {"value": params.get("value", "")},
        "period_reversed": _("The period ends before it starts."),
        "bad_year": _("Choose a year (four digits) for the report."),
        "not_a_staff_indicator": _(
            "Helix computes this indicator itself; only figures it cannot compute are entered."
        ),
        "bad_number": _("“%(value)s” is not a number of zero or more.") % {"value": params.get("value", "")},
        "percent_over_100": _("A share is at most 100%."),
        "yes_no": _("Enter 1 for yes or 0 for no."),
        "source_required": _("Say where the figure comes from."),
        "project_of_another_cluster": _("That project belongs to another cluster."),
        "not_a_member": _("Only organisations on the cluster's ladder can be featured."),
        "bad_move": _("A story cannot go from “%(source)s” to “%(target)s”.")
        % {"source": params.get("source", ""), "target": params.get("target", "")},
        "not_published": _("Not published."),
        "awaiting_approval": _("Published, but waiting for every organisation it features to approve it."),
        # programme cycles (helix.core.insights.programmes)
        "programme_not_allowed": _("Only the cluster's staff run its programmes and their cycles."),
        "reuse_not_allowed": _("You may not record a reuse of this output."),
        "cycle_move_unknown": _("A cycle moves only to its next phase."),
        "cycle_move_not_yours": _("Only the cluster's staff move a cycle through its phases."),
        "cycle_needs_missing": _("Link at least one need the inventory found before moving on."),
        "cycle_domains_missing": _("Choose the cycle's work domains before moving on."),
        "cycle_event_missing": _(
            "Link the workshop or matchmaking event held, or an individual track (a project), before "
            "moving on."
        ),
        "cycle_trajectory_missing": _(
            "Link at least one innovation trajectory, working table or living lab before moving on."
        ),
        "cycle_output_missing": _("Add at least one public output to disseminate before closing the cycle."),
        "cycle_phase_unknown": _("There is no such phase."),
        "cycle_link_kind": _("This phase does not link that kind of record."),
        "cycle_phase_not_started": _("The cycle has not reached that phase yet."),
        "cycle_closed": _("The cycle is closed: its phases no longer change."),
        "no_such_record": _("There is no such record you may see."),
        "record_of_another_cluster": _(
            "That record belongs to another cluster (or a need outside its domains)."
        ),
        "linked_already": _("That record is linked to this phase already."),
        "project_not_in_cycle": _("Link the working table or trajectory to the cycle first."),
        "no_organisation": _("Only a person of an organisation can record that it reuses an output."),
        "own_output": _("Your organisation made this output: it is yours, not reused."),
    }
    return str(texts.get(code, code))
