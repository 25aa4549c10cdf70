"""The rules of an instrument's fields at the app's edge: its caps are read by the core
(:func:`helix.core.funding.caps.load_caps`), and the app adds what only the database knows (the
instruments a cap names exist; what is fixed once the ledger has entries). ``Instrument.clean`` and
``Instrument.save`` call :func:`validate_instrument`: this module imports no service and no model of
the app.

Each problem is coded (a :class:`helix.core.specs.SpecProblem`), filed under its field's name, and said
in the reader's language by helix.funds.explain; a ValidationError carries the code.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from helix.core.funding.caps import CapKind, load_caps
from helix.core.specs import SpecError, SpecProblem
from helix.funds import explain

# The ids of the caps an instrument's own fields imply (helix.funds.convert): a spec may not take them.
BUDGET_CAP = "budget"
DE_MINIMIS_CAP = "de_minimis"
RESERVED_CAP_IDS = (BUDGET_CAP, DE_MINIMIS_CAP)

# What the entries of an instrument were booked under; changing it would change what they mean.
FIXED_ONCE_BOOKED = ("key", "kind", "de_minimis")


def instrument_problems(instrument: Any) -> dict[str, list[SpecProblem]]:
    """Every problem of ``instrument``'s fields, by field name; empty when it may be saved."""
    problems: dict[str, list[SpecProblem]] = {}
    cap_problems = _cap_problems(instrument)
    if cap_problems:
        problems["caps"] = cap_problems
    for name in _fixed_fields_changed(instrument):
        problems.setdefault(name, []).append(
            SpecProblem(
                "funds.fixed_once_booked",
                {"field": name},
                f"{name} cannot change: the instrument's ledger has entries",
            )
        )
    return problems


def validate_instrument(instrument: Any) -> None:
    """Raise a ValidationError (each message coded, under its field) unless ``instrument`` may be saved."""
    problems = instrument_problems(instrument)
    if problems:
        raise ValidationError(
            {
                name: [ValidationError(explain.problem_text(p), code=p.code) for p in found]
                for name, found in problems.items()
            }
        )


def _cap_problems(instrument: Any) -> list[SpecProblem]:
    try:
        caps = load_caps(instrument.caps, "caps")
    except SpecError as error:
        return list(error.problems)
    problems: list[SpecProblem] = []
    named = {key for cap in caps for key in cap.instruments} - {instrument.key}
    known = set(type(instrument)._default_manager.filter(key__in=named).values_list("key", flat=True))
    for i, cap in enumerate(caps):
        path = f"caps[{i}]"
        context = {"index": i, "cap": cap.id}
        if cap.id in RESERVED_CAP_IDS:
            problems.append(
                SpecProblem(
                    "funds.cap_id_reserved",
                    {**context, "path": f"{path}.id", "field": "id", "value": cap.id},
                    f"{path}.id: {cap.id!r} is the name of a cap the instrument's own fields imply",
                )
            )
        if cap.kind is CapKind.DE_MINIMIS and not instrument.de_minimis:
            problems.append(
                SpecProblem(
                    "funds.de_minimis_cap_not_de_minimis",
                    {**context, "path": f"{path}.kind", "field": "kind"},
                    f"{path}: a de minimis cap on an instrument that is not de minimis aid",
                )
            )
        if cap.instruments and instrument.key not in cap.instruments:
            problems.append(
                SpecProblem(
                    "funds.cap_not_this_instrument",
                    {**context, "path": f"{path}.instruments", "field": "instruments", "key": instrument.key},
                    f"{path}.instruments: must name this instrument ({instrument.key})",
                )
            )
        unknown = sorted(set(cap.instruments) - known - {instrument.key})
        if unknown:
            problems.append(
                SpecProblem(
                    "funds.cap_unknown_instruments",
                    {**context, "path": f"{path}.instruments", "field": "instruments", "value": unknown},
                    f"{path}.instruments: no instrument {', '.join(unknown)}",
                )
            )
    return problems


def _fixed_fields_changed(instrument: Any) -> list[str]:
    if instrument.pk is None:
        return []
    model = type(instrument)
    saved = model._default_manager.filter(pk=instrument.pk).values(*FIXED_ONCE_BOOKED).first()
    if saved is None:
        return []
    changed = [name for name in FIXED_ONCE_BOOKED if saved[name] != getattr(instrument, name)]
    if changed and instrument.entries.exists():
        return changed
    return []
