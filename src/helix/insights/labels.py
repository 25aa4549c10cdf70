"""The indicators' labels and definitions in the reader's language.

The core declares them in English (helix.core.insights.indicators); gettext needs them written here as
literals to find them. tests/insights/test_labels.py checks that the two say the same in English."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helix.core.insights import Area, Indicator, Label, Standing, Unit

TEXTS: dict[str, tuple[Promise, Promise]] = {
    "committed_members": (
        _("Committed members"),
        _("Organisations at a letter of intent or more on the engagement ladder at the end of the period."),
    ),
    "helices_represented": (
        _("Helices represented"),
        _("How many of the three helices (industry, research, public bodies) the committed members cover."),
    ),
    "sme_share": (
        _("SME share"),
        _("Of the committed members that are companies, the share of SMEs."),
    ),
    "international_share": (
        _("International members"),
        _(
            "Of the committed members whose country is known, the share headquartered outside the "
            "cluster's country."
        ),
    ),
    "member_growth": (
        _("Member growth"),
        _("Change in the number of committed members from the eve of the period to its end, in percent."),
    ),
    "new_commitments": (
        _("New commitments"),
        _("Memberships that reached a letter of intent or more during the period."),
    ),
    "departures": (
        _("Departures"),
        _("Memberships recorded as left during the period."),
    ),
    "upgrades": (
        _("Steps up the engagement ladder"),
        _("Moves of a membership to a higher rung during the period."),
    ),
    "retention": (
        _("Retention"),
        _("Of the committed members on the eve of the period, the share still committed at its end."),
    ),
    "staff_fte": (
        _("Management staff"),
        _("Full-time equivalents of the cluster management team (entered by staff)."),
    ),
    "staff_per_hundred_members": (
        _("Staff per 100 members"),
        _("Management staff (FTE) per hundred committed members."),
    ),
    "members_in_decisions": (
        _("Members in decision bodies"),
        _("Member representatives sitting in the cluster's board and steering bodies (entered by staff)."),
    ),
    "management_private_funding": (
        _("Private funding of the management"),
        _(
            "Share of the cluster organisation's own budget paid by private money, fees and services "
            "(entered by staff)."
        ),
    ),
    "contacts_logged": (
        _("Contacts logged"),
        _(
            "Contacts of the cluster management with organisations (meetings, calls, visits, e-mails) "
            "during the period."
        ),
    ),
    "members_contacted": (
        _("Members contacted"),
        _(
            "Of the committed members, the share the management had at least one logged contact with "
            "during the period."
        ),
    ),
    "events_held": (
        _("Events held"),
        _("Events of the cluster whose first day falls within the period."),
    ),
    "event_participation": (
        _("Members at events"),
        _("Of the committed members, the share registered at an event held during the period."),
    ),
    "meetings_held": (
        _("B2B meetings"),
        _("Meetings of published event schedules held during the period (no-shows left out)."),
    ),
    "match_contacts": (
        _("Match contacts"),
        _("Meeting requests made from need-offer matches during the period."),
    ),
    "matches_to_meetings": (
        _("Matches that became meetings"),
        _(
            "Of the meeting requests made from matches during the period (withdrawn ones left out), the "
            "share accepted."
        ),
    ),
    "services_used": (
        _("Members using services"),
        _(
            "Of the committed members, the share that came to an event, had a B2B meeting, published a "
            "need or offer, made or received a match request, or took part in a running project during "
            "the period."
        ),
    ),
    "projects_started": (
        _("Projects started"),
        _("Projects approved (or started without a recorded approval) during the period."),
    ),
    "projects_from_matches": (
        _("Projects from matches"),
        _(
            "Of the projects started during the period, those that came from a need, offer, meeting, "
            "event or synergy."
        ),
    ),
    "funding_raised": (
        _("Funding raised"),
        _(
            "All funding (subsidies, own and private money, loans, equity) of the projects started "
            "during the period."
        ),
    ),
    "private_share": (
        _("Private leverage"),
        _("Of the funding of the projects started during the period, the share that is not a subsidy."),
    ),
    "agreements": (
        _("Symbiosis agreements"),
        _("Industrial-symbiosis synergies agreed during the period."),
    ),
    "synergies_realised": (
        _("Synergies realised"),
        _("Industrial-symbiosis synergies realised during the period."),
    ),
    "tonnes_exchanged": (
        _("Tonnes exchanged"),
        _(
            "Tonnes of material the synergies reported exchanged in reports for periods ending within "
            "this one."
        ),
    ),
    "co2e_avoided": (
        _("CO2e avoided"),
        _(
            "Tonnes of CO2 equivalent the synergies reported avoided in reports for periods ending "
            "within this one."
        ),
    ),
    "press_mentions": (
        _("Press and media mentions"),
        _("Articles and broadcasts about the cluster during the period (entered by staff)."),
    ),
    "roadmap_adopted": (
        _("Adopted roadmap"),
        _("Whether the cluster has an adopted roadmap at the end of the period (1 yes, 0 no)."),
    ),
    "roadmap_coverage": (
        _("Members in the roadmap"),
        _("Of the committed members, the share taking part in an adopted roadmap at the end of the period."),
    ),
    "roadmap_milestones_owned": (
        _("Roadmap milestones with an owner"),
        _("Of the milestones of the adopted roadmaps, the share with an owner."),
    ),
    "strategy_reviewed": (
        _("Strategy reviewed"),
        _(
            "Whether the strategy was reviewed with the members during the period (1 yes, 0 no; entered "
            "by staff)."
        ),
    ),
}

CRITERIA: dict[str, Promise] = {
    "At least 0.5 FTE of management staff": _("At least 0.5 FTE of management staff"),
    "At least 15 committed members": _("At least 15 committed members"),
    "Communication, web presence and press": _("Communication, web presence and press"),
    "Cooperation among members": _("Cooperation among members"),
    "Cooperation among members, working groups": _("Cooperation among members, working groups"),
    "Decision bodies, the members' role": _("Decision bodies, the members' role"),
    "Degree of cooperation": _("Degree of cooperation"),
    "Direct contacts between management and members": _("Direct contacts between management and members"),
    "Direct contacts of the management with members": _("Direct contacts of the management with members"),
    "Engagement and its growth": _("Engagement and its growth"),
    "Engagement, structure and number of participants": _("Engagement, structure and number of participants"),
    "Financing prospects and the share of private funding": _(
        "Financing prospects and the share of private funding"
    ),
    "Geographic concentration": _("Geographic concentration"),
    "Geography of participants": _("Geography of participants"),
    "Goals and performance monitoring": _("Goals and performance monitoring"),
    "Implementation plan shared by the members": _("Implementation plan shared by the members"),
    "Kinds of participants": _("Kinds of participants"),
    "Management staff": _("Management staff"),
    "Members of at least two kinds (triple helix)": _("Members of at least two kinds (triple helix)"),
    "Number of participants": _("Number of participants"),
    "Press, awards, recognition": _("Press, awards, recognition"),
    "Results": _("Results"),
    "Review of the strategy": _("Review of the strategy"),
    "Services and their effectiveness": _("Services and their effectiveness"),
    "Services offered and how much they are used": _("Services offered and how much they are used"),
    "Share of private funding": _("Share of private funding"),
    "Share of private money": _("Share of private money"),
    "Sizes of participants": _("Sizes of participants"),
    "Sources of financing": _("Sources of financing"),
    "Stability of company participation": _("Stability of company participation"),
    "Staff and their stability": _("Staff and their stability"),
    "The members' role in decisions": _("The members' role in decisions"),
    "The strategy process, its documentation and implementation plan": _(
        "The strategy process, its documentation and implementation plan"
    ),
}

UNITS: dict[Unit, Promise] = {
    Unit.COUNT: pgettext_lazy("indicator unit", "count"),
    Unit.PERCENT: pgettext_lazy("indicator unit", "%"),
    Unit.EUR: pgettext_lazy("indicator unit", "EUR"),
    Unit.TONNES: pgettext_lazy("indicator unit", "t"),
    Unit.CO2E: pgettext_lazy("indicator unit", "t CO2e"),
    Unit.FTE: pgettext_lazy("indicator unit", "FTE"),
    Unit.RATIO: pgettext_lazy("indicator unit", "per 100 members"),
    Unit.YES_NO: pgettext_lazy("indicator unit", "yes/no"),
}

AREAS: dict[Area, Promise] = {
    Area.STRUCTURE: _("Structure of the cluster"),
    Area.MANAGEMENT: _("Management and governance"),
    Area.FINANCING: _("Financing"),
    Area.SERVICES: _("Services"),
    Area.INTERACTION: _("Contacts and interaction"),
    Area.ACHIEVEMENTS: _("Achievements and recognition"),
    Area.STRATEGY: _("Strategy"),
}

LABELS: dict[Label, Promise] = {
    Label.ECCP: _("Listing on the European Cluster Collaboration Platform"),
    Label.BRONZE: _("Cluster excellence: bronze label"),
    Label.GOLD: _("Cluster excellence: gold label"),
}

STANDINGS: dict[Standing, Promise] = {
    Standing.MET: _("Met"),
    Standing.NOT_MET: _("Not met"),
    Standing.MISSING: _("Figure missing"),
    Standing.EVIDENCE: _("Needs evidence"),
}

MISSING: dict[str, Promise] = {
    "needs_staff_value": _("Helix does not hold this figure: staff enter it, with its source."),
    "no_base": _("Nothing to compare with in this period."),
}


def label(indicator: Indicator) -> str:
    return str(TEXTS[indicator.code][0])


def definition(indicator: Indicator) -> str:
    return str(TEXTS[indicator.code][1])


OUTCOMES: dict[str, Promise] = {
    "match": _("Match requests"),
    "meeting": _("Meetings"),
    "follow_up": _("Follow-ups planned"),
    "agreement": _("Agreements"),
    "project": _("Projects"),
    "impact": _("Impact"),
}

# The phases of a programme cycle (helix.core.insights.programmes.PHASES), as the cycle's states say them.
PHASES: dict[str, Promise] = {
    "needs_inventory": _("Needs inventory"),
    "deepening": _("Deepening and matchmaking"),
    "trajectories": _("Innovation trajectories and working tables"),
    "dissemination": _("Dissemination"),
    "closed": pgettext_lazy("cycle state", "Closed"),
}

# What each phase is for, in one sentence (seed 003).
PHASE_PURPOSES: dict[str, Promise] = {
    "needs_inventory": _(
        "Local governments and companies say which projects they run and what they need; the work "
        "domains follow from it."
    ),
    "deepening": _(
        "Per work domain, the needs are deepened in workshops, then matched in speed-dating matchmaking "
        "or individual tracks."
    ),
    "trajectories": _(
        "Innovation trajectories and working tables produce concrete results, reusable by other cities "
        "with the same problem."
    ),
    "dissemination": _("The aggregated results are spread to the wider platform of companies and cities."),
}
