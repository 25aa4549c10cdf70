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
    }
    return str(texts.get(code, code))
