"""The coded refusals and problems of roadmaps in the reader's language: one function every surface
(pages, API, CLI) calls, so each door says the same. The codes come from helix.core.roadmaps
(validation, lifecycle, import) and from helix.roadmaps.services; ``TRANSLATED`` lists the codes said
here, and tests check that every code the core can give is among them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helix.roadmaps.models import Phase, RoadmapStatus


def _choice(choices: type[models.TextChoices], value: object) -> str | None:
    try:
        return str(choices(str(value)).label)
    except ValueError:
        return None


def state_label(state: object) -> str:
    return _choice(RoadmapStatus, state) or str(state)


def phase_label(phase: object) -> str:
    return _choice(Phase, phase) or str(phase or "")


def _day(value: object) -> str:
    """A date param (ISO text, a date, or days from the start given as ``{"date": ...}``) as the reader
    writes dates."""
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, str):
        try:
            return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


def _count(p: Mapping[str, Any], key: str = "count") -> int:
    return int(p.get(key) or 0)


def _keys(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return " → ".join(str(v) for v in value)
    return str(value)


Sayer = Callable[[Mapping[str, Any]], str]

MESSAGES: dict[str, Sayer] = {
    # the services
    "roadmap.key_taken": lambda p: _("A roadmap with the key “%(key)s” exists already.") % p,
    "roadmap.not_editable": lambda p: (
        _("A roadmap that is “%(state)s” cannot be changed: take it back to draft, or revise it, first.")
        % {"state": state_label(p.get("status"))}
    ),
    "roadmap.stale": lambda p: _(
        "The roadmap changed since you opened it: here it is as it is now; enter your change again."
    ),
    "roadmap.participant_twice": lambda p: _("%(organisation)s takes part in the roadmap already.") % p,
    "roadmap.track_twice": lambda p: _("The roadmap has a track “%(key)s” already.") % p,
    "roadmap.item_twice": lambda p: _("The roadmap has an item “%(key)s” already.") % p,
    "roadmap.not_a_participant": lambda p: _("%(organisation)s does not take part in this roadmap.") % p,
    "roadmap.track_elsewhere": lambda p: _("The track “%(key)s” is not this roadmap's.") % p,
    "roadmap.link_elsewhere": lambda p: _("“%(title)s” is not of this roadmap's cluster.") % p,
    "roadmap.unknown_item": lambda p: _("Both items must be of this roadmap."),
    "roadmap.self_dependency": lambda p: _("“%(item)s” cannot depend on itself.") % p,
    "roadmap.dependency_twice": lambda p: _("“%(to)s” depends on “%(from)s” already.") % p,
    "roadmap.accepted": lambda p: _("You accepted “%(item)s”.") % p,
    "roadmap.progress_saved": lambda p: _("The progress of “%(item)s” is saved.") % p,
    "roadmap.saved": lambda p: _("“%(item)s” is saved.") % p,
    "roadmap.created": lambda p: _("The roadmap “%(title)s” is started as a draft.") % p,
    "roadmap.imported": lambda p: (
        ngettext("%(count)d item imported.", "%(count)d items imported.", _count(p)) % {"count": _count(p)}
    ),
    "import.refused": lambda p: _("The file cannot be imported:"),
    "import.unknown_organisations": lambda p: _("No organisation of the registry is %(names)s.") % p,
    "level.no_capacity": lambda p: _(
        "No participant has a capacity yet: give each the person-months a month it can put in."
    ),
    "level.running": lambda p: _("The roadmap is being levelled already."),
    "progress.percent_out_of_range": lambda p: _("Progress is a percentage from 0 to 100."),
    "progress.finish_before_start": lambda p: (
        _("It cannot finish (%(finish)s) before it starts (%(start)s).")
        % {"finish": _day(p["finish"]), "start": _day(p["start"])}
    ),
    "progress.finish_without_start": lambda p: _("Say when it started as well as when it finished."),
    # the lifecycle
    "lifecycle.not_yours": lambda p: (
        _("Moving the roadmap from “%(from)s” to “%(to)s” is not yours to do.")
        % {"from": state_label(p["from"]), "to": state_label(p["to"])}
    ),
    "lifecycle.not_from_state": lambda p: (
        _("A roadmap cannot go from “%(from)s” to “%(to)s”.")
        % {"from": state_label(p["from"]), "to": state_label(p["to"])}
    ),
    "lifecycle.requirements_unmet": lambda p: (
        _("The roadmap is not ready to be “%(to)s” yet:") % {"to": state_label(p["to"])}
    ),
}


# The core's validation (helix.core.roadmaps.validation): ``item`` is the title of the item the problem is
# about and ``participant`` a participant's name, put in by :func:`problem_text`.
MESSAGES.update(
    {
        "roadmap.duplicate_item": lambda p: _("Two or more items have the key “%(key)s”.") % p,
        "roadmap.duplicate_participant": lambda p: (
            _("%(participant)s is listed twice among the participants.") % p
        ),
        "roadmap.unknown_track": lambda p: _("“%(item)s” is on a track the roadmap does not list.") % p,
        "roadmap.committed_without_role": lambda p: (
            _("%(participant)s has committed to the roadmap but has no role in it.") % p
        ),
        "roadmap.committed_without_items": lambda p: (
            _("%(participant)s has committed to the roadmap but owns or contributes to nothing in it.") % p
        ),
        "roadmap.owner_missing": lambda p: (
            _("“%(item)s” has no owner: say which participant must achieve it.") % p
        ),
        "roadmap.owner_not_participant": lambda p: (
            _("“%(item)s” is owned by %(participant)s, who does not take part in the roadmap.") % p
        ),
        "roadmap.contributor_not_participant": lambda p: (
            _("%(participant)s contributes to “%(item)s” but does not take part in the roadmap.") % p
        ),
        "roadmap.effort_not_participant": lambda p: (
            _("%(participant)s has effort on “%(item)s” but does not take part in the roadmap.") % p
        ),
        "roadmap.effort_not_positive": lambda p: (
            _("The effort of %(participant)s on “%(item)s” is not above zero.") % p
        ),
        "roadmap.budget_negative": lambda p: _("The budget of “%(item)s” is below zero.") % p,
        "roadmap.funding_negative": lambda p: _("The funding secured for “%(item)s” is below zero.") % p,
        "roadmap.funding_above_budget": lambda p: (
            _("The funding secured for “%(item)s” is above its budget.") % p
        ),
        "roadmap.duration_negative": lambda p: _("“%(item)s” has a duration below zero.") % p,
        "roadmap.milestone_with_duration": lambda p: (
            _("The milestone “%(item)s” lasts %(duration)s days; a milestone is a moment.") % p
        ),
        "roadmap.trl_out_of_range": lambda p: _("The TRL of “%(item)s” (%(trl)s) is outside 1 to 9.") % p,
        "roadmap.trl_inverted": lambda p: (
            _("“%(item)s” goes from TRL %(trl_from)s down to TRL %(trl_to)s.") % p
        ),
        "roadmap.trl_falls": lambda p: (
            _(
                "On its track, “%(item)s” reaches TRL %(reached)s after “%(before)s” already reached "
                "TRL %(top)s."
            )
            % {**p, "reached": _last(p.get("trl")), "top": _last(p.get("before_trl"))}
        ),
        "roadmap.valley_unowned": lambda p: (
            _(
                "“%(item)s” (TRL %(trl_from)s–%(trl_to)s) crosses the valley of death, but no participant "
                "owns it."
            )
            % p
        ),
        "roadmap.valley_unfunded": lambda p: (
            _(
                "“%(item)s” (TRL %(trl_from)s–%(trl_to)s) crosses the valley of death with no funding "
                "secured, call or project."
            )
            % p
        ),
        "roadmap.valley_gap": lambda p: (
            _("The track “%(track)s” has items below and above the valley of death (TRL 4–7) but none in it.")
            % p
        ),
        "roadmap.actual_finish_before_start": lambda p: (
            _("“%(item)s” is recorded as finished before it started.") % p
        ),
        "roadmap.actual_in_future": lambda p: (
            _("“%(item)s” has an actual date (%(date)s) after today.") % {**p, "date": _day(p.get("date"))}
        ),
        "roadmap.percent_out_of_range": lambda p: (
            _("“%(item)s” is %(percent)s %% complete; say 0 to 100.") % p
        ),
        "roadmap.dependency_unknown_item": lambda p: (
            _("A dependency names “%(missing)s”, which is not an item.") % p
        ),
        "roadmap.duplicate_dependency": lambda p: (
            _("A dependency of “%(item)s” is given more than once.") % p
        ),
        "roadmap.cycle": lambda p: (
            _("The dependencies go round in a circle: %(cycle)s.")
            % {
                "cycle": " → ".join(
                    [*map(str, p.get("names") or p["keys"]), str((p.get("names") or p["keys"])[0])]
                )
            }
        ),
        "roadmap.starts_before_dependency": lambda p: (
            _(
                "“%(item)s” is planned to start on %(stated)s, but “%(before)s” lets it start on "
                "%(earliest)s at the earliest."
            )
            % {**p, "stated": _day(p["stated"]), "earliest": _day(p["earliest"])}
        ),
        "roadmap.project_ends_late": lambda p: (
            _("The project “%(project)s” ends on %(end)s, after “%(item)s” is due (%(finish)s).")
            % {**p, "end": _day(p["end"]), "finish": _day(p["finish"])}
        ),
        "roadmap.project_starts_late": lambda p: (
            _("The project “%(project)s” starts on %(start)s, after “%(item)s” is due (%(finish)s).")
            % {**p, "start": _day(p["start"]), "finish": _day(p["finish"])}
        ),
    }
)

# Where an item stands against its baseline (helix.core.roadmaps.progress): the reasons it is late or at
# risk. ``item`` is its title; ``predecessors`` the titles of the late items before it.
MESSAGES.update(
    {
        "progress.late": lambda p: ngettext(
            "Due on %(date)s and not done: %(days)d day late.",
            "Due on %(date)s and not done: %(days)d days late.",
            _count(p, "days"),
        )
        % {"date": _day(p["planned_finish"]), "days": _count(p, "days")},
        "progress.started_late": lambda p: _("Started on %(actual)s; it was planned to start on %(planned)s.")
        % {"actual": _day(p["actual_start"]), "planned": _day(p["planned_start"])},
        "progress.start_overdue": lambda p: _("Should have started on %(date)s and has not.")
        % {"date": _day(p["planned_start"])},
        "progress.behind": lambda p: _("%(done)s %% complete where %(expected)s %% was expected by now.")
        % {"done": _whole(p["percent_complete"]), "expected": _whole(p["expected_percent"])},
        "progress.critical_slipping": lambda p: _(
            "On the critical path, forecast to finish on %(forecast)s instead of %(planned)s: the roadmap's "
            "end moves with it."
        )
        % {"forecast": _day(p["forecast_finish"]), "planned": _day(p["planned_finish"])},
        "progress.predecessor_late": lambda p: _(
            "Waits for late work (%(items)s): forecast to finish on %(forecast)s, its slack used up."
        )
        % {"items": ", ".join(map(str, p.get("predecessors") or ())), "forecast": _day(p["forecast_finish"])},
    }
)


def _whole(value: object) -> str:
    try:
        return f"{float(str(value)):.0f}"
    except ValueError:
        return str(value)


def _last(value: object) -> object:
    return value[-1] if isinstance(value, (list, tuple)) and value else value


def say(code: str, params: Mapping[str, Any]) -> str:
    """The message of ``code`` with ``params`` in the active language (the code itself when unknown)."""
    sayer = MESSAGES.get(code)
    if sayer is None:
        return code
    try:
        return sayer(params)
    except (KeyError, TypeError, ValueError):
        return code


def problem_text(
    problem: Any, titles: Mapping[str, str] | None = None, names: Mapping[Any, str] | None = None
) -> str:
    """A core problem (helix.core.roadmaps.model.Problem) in the reader's language, its item named by
    ``titles`` (key -> title) and its participants by ``names`` (id -> name); the core's English text
    for a code not translated here."""
    if problem.code not in MESSAGES:
        return str(problem.text or problem.code)
    titles, names = titles or {}, names or {}
    params = dict(problem.params)
    if problem.item is not None:
        params.setdefault("item", titles.get(problem.item, problem.item))
    for key in ("participant",):
        if key in params:
            params[key] = names.get(params[key], str(params[key]))
    for key in ("before", "predecessor"):
        if key in params:
            params[key] = titles.get(str(params[key]), str(params[key]))
    if "predecessor" in params:
        params.setdefault("before", params["predecessor"])
    if "predecessors" in params:  # a progress reason: the late items before it, by title
        params.setdefault("before", ", ".join(titles.get(str(k), str(k)) for k in params["predecessors"]))
    if "keys" in params:
        params["names"] = [titles.get(str(k), str(k)) for k in params["keys"]]
    if "predecessors" in params:
        params["predecessors"] = [titles.get(str(k), str(k)) for k in params["predecessors"]]
    if "project" in params:
        params["project"] = names.get(("project", params["project"]), str(params["project"]))
    text = say(problem.code, params)
    return str(problem.text or problem.code) if text == problem.code else text


def refusal_text(refused: Any, titles: Mapping[str, str] | None = None) -> str:
    """A :class:`helix.roadmaps.services.RoadmapRefused` as one message: the refusal, then its reasons (their
    items named by ``titles``, key -> title)."""
    head = say(refused.code, refused.params)
    reasons = [problem_text(p, titles) for p in refused.problems]
    return " ".join([head, *reasons]) if reasons else head


MOVE_LABELS = {
    "consultation": lambda: _("Open the consultation"),
    "draft": lambda: _("Back to draft"),
    "adopted": lambda: _("Adopt"),
    "revised": lambda: _("Revise"),
}


def move_label(target: str) -> str:
    label = MOVE_LABELS.get(target)
    return str(label()) if label else target


def moved_text(target: str) -> str:
    return _("The roadmap is now “%(state)s”.") % {"state": state_label(target)}


def count_text(count: int) -> str:
    return ngettext("%(count)d item", "%(count)d items", count) % {"count": count}


TRANSLATED = frozenset(MESSAGES)
__all__ = ["TRANSLATED", "move_label", "problem_text", "refusal_text", "say", "state_label"]
