"""The coded refusals and problems of projects in the reader's language: one function every surface
(pages, API, CLI) calls, so each door says the same. The codes come from helix.core.projects (consortium
rules, lifecycle, durations) and from helix.projects.services.

Budget and composer codes are shown with the core's English text until the budget and composer pages
come (issue 14); ``TRANSLATED`` lists the codes said here, and a test checks that every refusal code the
consortium rules and the lifecycle can give is among them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helix.registry.models import OrganisationKind

ROLE_LABELS = {
    "coordinator": lambda: _("Coordinator"),
    "partner": lambda: _("Partner"),
    "subcontractor": lambda: _("Subcontractor"),
    "city_host": lambda: _("City host"),
    "knowledge_partner": lambda: _("Knowledge partner"),
}

STATE_LABELS = {
    "idea": lambda: _("Idea"),
    "consortium_forming": lambda: _("Consortium forming"),
    "submitted": lambda: _("Submitted"),
    "approved": lambda: _("Approved"),
    "rejected": lambda: _("Rejected"),
    "running": lambda: _("Running"),
    "closed": lambda: _("Closed"),
}


def _kinds(kinds: Iterable[object]) -> str:
    labels = dict(OrganisationKind.choices)
    return ", ".join(str(labels.get(str(k), str(k))).lower() for k in kinds)


def _role(role: object) -> str:
    label = ROLE_LABELS.get(str(role))
    return str(label()).lower() if label else str(role)


def _state(state: object) -> str:
    label = STATE_LABELS.get(str(state))
    return str(label()) if label else str(state)


def _count(p: Mapping[str, Any], key: str = "count") -> int:
    return int(p.get(key) or 0)


Sayer = Callable[[Mapping[str, Any]], str]

MESSAGES: dict[str, Sayer] = {
    # the services
    "project.unknown_type": lambda p: _("There is no project type “%(type)s”.") % p,
    "project.role_not_allowed": lambda p: _("This kind of project has no %(roles)s.")
    % {"roles": _role(p["role"])},
    "project.member_twice": lambda p: _("%(organisation)s is already in the consortium.") % p,
    "project.second_coordinator": lambda p: _("The consortium already has a coordinator."),
    # the lifecycle
    "lifecycle.not_yours": lambda p: _("Moving the project from “%(from)s” to “%(to)s” is not yours to do.")
    % {"from": _state(p["from"]), "to": _state(p["to"])},
    "lifecycle.not_from_state": lambda p: _("A project cannot go from “%(from)s” to “%(to)s”.")
    % {"from": _state(p["from"]), "to": _state(p["to"])},
    "lifecycle.requirements_unmet": lambda p: _("The project is not ready to go to “%(to)s” yet:")
    % {"to": _state(p["to"])},
    "lifecycle.start_missing": lambda p: _("The project needs a start date."),
    "lifecycle.deliverables_open": lambda p: ngettext(
        "Every deliverable must be delivered first; %(count)d is still open.",
        "Every deliverable must be delivered first; %(count)d are still open.",
        _count(p),
    )
    % {"count": _count(p)},
    # durations
    "project.duration_missing": lambda p: _("The project needs a duration (from %(min)s to %(max)s months).")
    % p,
    "project.duration_too_short": lambda p: _(
        "This kind of project lasts from %(min)s to %(max)s months; this one %(months)s."
    )
    % p,
    "project.duration_too_long": lambda p: _(
        "This kind of project lasts from %(min)s to %(max)s months; this one %(months)s."
    )
    % p,
    # the consortium rules (failed outcomes)
    "consortium.too_few_organisations": lambda p: ngettext(
        "At least %(min)d independent organisation is needed; the consortium has %(count)d.",
        "At least %(min)d independent organisations are needed; the consortium has %(count)d.",
        _count(p, "min"),
    )
    % {"min": _count(p, "min"), "count": _count(p)},
    "consortium.not_public_private": lambda p: _(
        "A public-private partnership needs a public partner (%(public)s) and a private one (%(private)s)."
    )
    % {"public": _kinds(p["public_kinds"]), "private": _kinds(p["private_kinds"])},
    "consortium.helix_kinds_missing": lambda p: _("The mix still needs: %(kinds)s.")
    % {"kinds": _kinds(p["missing"])},
    "consortium.too_few_smes": lambda p: ngettext(
        "At least %(min)d SME is needed; the consortium has %(count)d.",
        "At least %(min)d SMEs are needed; the consortium has %(count)d.",
        _count(p, "min"),
    )
    % {"min": _count(p, "min"), "count": _count(p)},
    "consortium.too_few_countries": lambda p: ngettext(
        "Members from at least %(min)d country are needed; the consortium has %(count)d.",
        "Members from at least %(min)d different countries are needed; the consortium has %(count)d.",
        _count(p, "min"),
    )
    % {"min": _count(p, "min"), "count": _count(p)},
    "consortium.too_few_in_countries": lambda p: ngettext(
        "At least %(min)d member must be established in %(where)s; the consortium has %(count)d.",
        "At least %(min)d members must be established in %(where)s; the consortium has %(count)d.",
        _count(p, "min"),
    )
    % {"min": _count(p, "min"), "count": _count(p), "where": ", ".join(map(str, p["countries"]))},
    "consortium.no_coordinator": lambda p: _("The consortium needs a coordinator."),
    "consortium.several_coordinators": lambda p: _(
        "A consortium has one coordinator; this one has %(count)d."
    )
    % {"count": len(p["organisations"])},
    "consortium.organisation_twice": lambda p: _("An organisation is in the consortium twice."),
    "consortium.role_kind_mismatch": lambda p: _("A %(role)s must be a %(kinds)s.")
    % {"role": _role(p["role"]), "kinds": _kinds(p["kinds"])},
    "consortium.role_missing": lambda p: ngettext(
        "The consortium needs at least %(min)d %(role)s; it has %(count)d.",
        "The consortium needs at least %(min)d of the role %(role)s; it has %(count)d.",
        _count(p, "min"),
    )
    % {"min": _count(p, "min"), "count": _count(p), "role": _role(p["role"])},
    "consortium.role_not_allowed": lambda p: _("This kind of project has no %(roles)s.")
    % {"roles": ", ".join(_role(r) for r in p["roles"])},
}

TRANSLATED = frozenset(MESSAGES)


def say(code: str, params: Mapping[str, Any], english: str = "") -> str:
    """``code`` with ``params`` in the active language; a code not said here gives ``english`` (the core's
    text) or the code itself."""
    sayer = MESSAGES.get(code)
    if sayer is None:
        return english or code
    return sayer(params)


def problem_text(problem: Any) -> str:
    """A core problem or rule outcome (``code``, ``params``, ``text``) in the active language."""
    return say(problem.code, problem.params, problem.text)


def refusal_text(refused: Any) -> str:
    """A :class:`helix.projects.services.ProjectRefused` as one message: the refusal, then its reasons."""
    head = say(refused.code, refused.params)
    reasons = [problem_text(p) for p in refused.problems]
    return " ".join([head, *reasons]) if reasons else head


__all__ = ["TRANSLATED", "problem_text", "refusal_text", "say"]
