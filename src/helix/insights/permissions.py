"""Who sees a cluster's indicators and enters the figures Helix cannot compute.

A cluster's indicators, the records behind each figure and its label self-assessment are its staff's
working tools: the records include contacts, memberships and funding that only staff see, and a figure
without its context misleads. So every action here is for the staff of the cluster (``staff``, through
the cluster itself). What a cluster chooses to publish (the showcase, open data) is decided there, not
here. The figures staff enter (``insights.staffvalue``) are seen and added by the same staff; they are
never edited (a correction is a new entry), so no edit action is declared.
"""

from __future__ import annotations

from helix.core.access import STAFF, Grant, Policy
from helix.insights.models import ClusterInsights, StaffValue
from helix.registry.permissions import Subject, register

INDICATORS = Policy(
    subject="insights.clusterinsights",
    label="Cluster indicators",
    actions={
        "view": "see the cluster's indicators for any period and domain, and the records behind each figure",
        "assess": "see the cluster-excellence label self-assessment",
        "enter_values": "enter the figures Helix cannot compute (staff FTE, press ...) with their source",
        "export": "download the indicators as CSV or JSON",
        "report": "generate and download the cluster's report for a year or period, in any language",
    },
    grants=(
        Grant("view", STAFF),
        Grant("assess", STAFF),
        Grant("enter_values", STAFF),
        Grant("export", STAFF),
        Grant("report", STAFF),
    ),
)

STAFF_VALUE = Policy(
    subject="insights.staffvalue",
    label="Indicator value entered by staff",
    actions={"view": "see the figure, its period, its source and who entered it"},
    grants=(Grant("view", STAFF),),
)

register(
    Subject(INDICATORS, ClusterInsights, cluster="id"),
    Subject(STAFF_VALUE, StaffValue, cluster="cluster_id"),
)
