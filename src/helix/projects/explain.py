"""The coded refusals and problems of projects in the reader's language: one function every surface
(pages, API, CLI) calls, so each door says the same. The codes come from helix.core.projects (consortium
rules, lifecycle, durations) and from helix.projects.services.

The budget's codes are said with the organisations and milestones named (helix.projects.parts puts their
names in the params); ``TRANSLATED`` lists the codes said here, and tests check that every refusal code
the consortium rules, the lifecycle and the budget can give is among them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from helix.core.projects.types import UnknownProjectType, project_type
from helix.projects.models import CostCategory, ProjectStatus, Role
from helix.registry.models import OrganisationKind


def _choice(choices: type[models.TextChoices], value: object) -> str | None:
    """The label of ``value`` in ``choices`` in the active language, or None for an unknown value."""
    try:
        return str(choices(str(value)).label)
    except ValueError:
        return None


def _in_sentence(label: str) -> str:
    """A label inside a sentence: lower case, except in German, where nouns keep their capital."""
    return label if (get_language() or "").startswith("de") else label.lower()


def _kinds(kinds: Iterable[object]) -> str:
    labels = dict(OrganisationKind.choices)
    return ", ".join(_in_sentence(str(labels.get(str(k), str(k)))) for k in kinds)


def _role(role: object) -> str:
    label = _choice(Role, role)
    return _in_sentence(label) if label else str(role)


def _state(state: object) -> str:
    return _choice(ProjectStatus, state) or str(state)


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


def _eur(value: object) -> str:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def _percent(value: object) -> str:
    try:
        share = Decimal(str(value)) * 100
    except InvalidOperation:
        return str(value)
    return number_format(share, decimal_pos=0 if share == share.to_integral() else 1, use_l10n=True)


RATE_CATEGORIES = {
    "sme": lambda: _("an SME"),
    "large": lambda: _("a large company"),
    "knowledge_institution": lambda: _("a knowledge institution"),
    "government": lambda: _("a government body"),
    "other": lambda: _("another organisation"),
}


def _category(p: Mapping[str, Any]) -> str:
    return _in_sentence(_choice(CostCategory, p.get("category")) or str(p.get("category")))


MESSAGES.update(
    {
        # a project's parts (helix.projects.parts)
        "project.not_a_member": lambda p: _("Choose a member of the consortium."),
        "budget.refused": lambda p: _("The budget cannot be saved:"),
        "budget.stale": lambda p: _(
            "The budget changed since you opened it: here it is as it is now; enter your changes again."
        ),
        "budget.line_twice": lambda p: _("%(organisation)s has two amounts for %(category)s in %(year)s.")
        % {"organisation": p["organisation"], "category": _category(p), "year": p["year"]},
        "budget.unknown_category": lambda p: _("There is no cost category “%(category)s”.") % p,
        "budget.unknown_source_kind": lambda p: _("There is no kind of funding source “%(kind)s”.") % p,
        "budget.source_refused": lambda p: _("The funding source cannot be added:"),
        "milestone.unknown_kind": lambda p: _("Choose a milestone or a deliverable."),
        "milestone.refused": lambda p: _("“%(title)s” cannot be added:") % p,
        "report.period_reversed": lambda p: _("A report's period ends on or after the day it starts."),
        "report.submitted_already": lambda p: _("The report was submitted already."),
        # the budget's rules (helix.core.projects.budget); organisations and milestones named by parts.py
        "budget.negative_amount": lambda p: (
            _("A budget line of %(organisation)s in %(year)s is below zero: EUR %(amount)s.")
            if p.get("what") == "line"
            else _("A funding source of %(organisation)s is below zero: EUR %(amount)s.")
        )
        % {"organisation": p["organisation"], "year": p["year"], "amount": _eur(p["amount"])},
        "budget.partner_not_in_consortium": lambda p: _(
            "%(organisation)s has budget lines, funding or deliverables but is not in the consortium."
        )
        % p,
        "budget.year_outside_project": lambda p: _(
            "The budget has amounts in %(year)s; the project runs from %(first)s to %(last)s."
        )
        % {"year": p["year"], "first": p["first_year"], "last": p["last_year"]},
        "budget.milestone_due_before_start": lambda p: _(
            "The milestone “%(title)s” is due in month %(month)s; the project's first month is 1."
        )
        % {"title": p["milestone"], "month": p["due_month"]},
        "budget.deliverable_due_before_start": lambda p: _(
            "The deliverable “%(title)s” is due in month %(month)s; the project's first month is 1."
        )
        % {"title": p["deliverable"], "month": p["due_month"]},
        "budget.milestone_after_end": lambda p: _(
            "The milestone “%(title)s” is due in month %(month)s, after the project's %(months)s months."
        )
        % {"title": p["milestone"], "month": p["due_month"], "months": p["duration"]},
        "budget.deliverable_after_end": lambda p: _(
            "The deliverable “%(title)s” is due in month %(month)s, after the project's %(months)s months."
        )
        % {"title": p["deliverable"], "month": p["due_month"], "months": p["duration"]},
        "budget.subsidy_without_instrument": lambda p: _(
            "A subsidy names the instrument it comes from (EUR %(amount)s)."
        )
        % {"amount": _eur(p["amount"])},
        "budget.sources_short": lambda p: _(
            "The costs of %(organisation)s (EUR %(costs)s) have EUR %(sources)s of funding: EUR %(missing)s "
            "short."
        )
        % {
            "organisation": p["organisation"],
            "costs": _eur(p["costs"]),
            "sources": _eur(p["sources"]),
            "missing": _eur(p["missing"]),
        },
        "budget.subsidy_without_costs": lambda p: _(
            "%(organisation)s receives a subsidy of EUR %(subsidy)s but has no costs."
        )
        % {"organisation": p["organisation"], "subsidy": _eur(p["subsidy"])},
        "budget.funding_rate_above_max": lambda p: _(
            "The subsidy of %(organisation)s is %(rate)s%% of its costs; %(category)s may receive at most "
            "%(max)s%%: EUR %(excess)s too much."
        )
        % {
            "organisation": p["organisation"],
            "rate": _percent(p["rate"]),
            "category": RATE_CATEGORIES[str(p["category"])](),
            "max": _percent(p["max"]),
            "excess": _eur(p["excess"]),
        },
    }
)

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


# -- labels and the composer's reasons ----------------------------------------------------------------------

MOVE_LABELS = {
    "form": lambda: _("Start forming the consortium"),
    "submit": lambda: _("Submit"),
    "withdraw": lambda: _("Withdraw the submission"),
    "approve": lambda: _("Approve"),
    "reject": lambda: _("Reject"),
    "revise": lambda: _("Revise to submit again"),
    "start": lambda: _("Start the project"),
    "close": lambda: _("Close"),
    "drop": lambda: _("Drop the project"),
}


def move_label(action: str) -> str:
    label = MOVE_LABELS.get(action)
    return str(label()) if label else action


def state_label(state: str) -> str:
    return _state(state)


def role_label(role: str) -> str:
    return _choice(Role, role) or role


def moved_text(target: str) -> str:
    return _("The project is now “%(state)s”.") % {"state": _state(target)}


def _side(p: Mapping[str, Any]) -> str:
    return str(_("public") if p.get("side") == "public" else _("private"))


REASONS: dict[str, Callable[[Mapping[str, Any], Mapping[str, str]], str]] = {
    # what a candidate closes (helix.core.projects.composer)
    "composer.closes.helix_mix": lambda p, n: _("As a %(kind)s, it adds a kind the mix misses.")
    % {"kind": _kinds([p["kind"]])},
    "composer.closes.public_private": lambda p, n: _(
        "As a %(kind)s, it is the %(side)s partner a public-private partnership needs."
    )
    % {"kind": _kinds([p["kind"]]), "side": _side(p)},
    "composer.closes.role_present": lambda p, n: _(
        "It takes the role of %(role)s, which the project expects."
    )
    % {"role": _role(p["role"])},
    "composer.closes.min_smes": lambda p, n: _("As an SME, it adds to the SMEs the consortium needs."),
    "composer.closes.min_countries": lambda p, n: _("Established in %(country)s, it adds a country.") % p,
    "composer.closes.country_in": lambda p, n: _("Established in %(country)s, as the rule asks.") % p,
    "composer.closes.min_organisations": lambda p, n: _("It adds an independent organisation."),
    # what the recommender saw (helix.core.consortia.recommend)
    "co_participated": lambda p, n: ngettext(
        "Worked with %(partner)s in %(projects)d project or meeting.",
        "Worked with %(partner)s in %(projects)d projects or meetings.",
        int(p["projects"]),
    )
    % {"partner": n.get(str(p["partner"]), str(p["partner"])), "projects": int(p["projects"])},
    "partners_of_partners": lambda p, n: ngettext(
        "Worked with %(count)d organisation that works with the consortium.",
        "Worked with %(count)d organisations that work with the consortium.",
        int(p["organisations"]),
    )
    % {"count": int(p["organisations"])},
    "active_in_programme_part": lambda p, n: ngettext(
        "Took part in %(count)d project of this kind.",
        "Took part in %(count)d projects of this kind.",
        int(p["projects"]),
    )
    % {"count": int(p["projects"])},
    "often_participates": lambda p, n: ngettext(
        "Took part in %(count)d project or meeting, the latest in %(year)s.",
        "Took part in %(count)d projects or meetings, the latest in %(year)s.",
        int(p["projects"]),
    )
    % {"count": int(p["projects"]), "year": p["last_year"]},
    "country": lambda p, n: _("Based in %(country)s.") % p,
    "fills_type_gap": lambda p, n: _("Of a kind this sort of consortium usually holds more of."),
}


def reason_text(reason: Any, names: Mapping[str, str]) -> str:
    """A suggestion's reason in the active language; ``names`` gives organisation names by id."""
    sayer = REASONS.get(reason.code)
    return sayer(reason.params, names) if sayer else reason.text


TYPE_NAMES = {
    "precluster": lambda: _("Precluster project"),
    "flagship": lambda: _("Flagship project"),
    "innovation_trajectory": lambda: _("Innovation trajectory"),
    "living_lab": lambda: _("Living lab"),
    "working_table": lambda: _("Working table"),
    "feasibility_study": lambda: _("Feasibility study"),
    "transformation_study": lambda: _("Transformation pathway: study"),
    "transformation_business": lambda: _("Transformation pathway: business approach"),
    "horizon_collaborative": lambda: _("EU collaborative project"),
}


def type_label(key: str, english: str = "") -> str:
    """A project type's name in the active language (the core's English name for a type added later)."""
    label = TYPE_NAMES.get(key)
    return str(label()) if label else (english or key)


def type_name(kind: str) -> str:
    """A project's type (its key) named in the active language; the key itself for a type no longer
    declared."""
    try:
        return type_label(kind, project_type(kind).name)
    except UnknownProjectType:
        return kind
