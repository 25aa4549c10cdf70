"""Saving changes to an organisation, from the page's editor and from the API, each in one transaction.

The editor saves its bound forms unless someone else saved the organisation since the form was loaded
(:class:`StaleEdit`); the API applies a dict of changes checked against the stored organisation and says
why not with coded :class:`Problem` values (:class:`ChangesRefused`) that the router words. Views and
routers parse, ask helix.registry.permissions, call these and render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

from helix.core.registry.identifiers import InvalidIdentifier, normalise_identifier
from helix.core.registry.records import check_organisation
from helix.registry.models import Organisation, Sector
from helix.registry.services import legal_identifier_taken, refresh_search_text, set_classification

if TYPE_CHECKING:
    from django.forms import BaseInlineFormSet

    from helix.registry.forms import OrganisationForm


class StaleEdit(Exception):
    """The organisation changed since the form was loaded; nothing was saved. ``current`` is the row now."""

    def __init__(self, current: Organisation) -> None:
        super().__init__("the organisation changed since the form was loaded")
        self.current = current


@transaction.atomic
def save_organisation_edit(
    organisation: Organisation, form: OrganisationForm, sites: BaseInlineFormSet
) -> None:
    """Save the editor's valid ``form`` and ``sites`` unless the organisation was saved by someone else
    since the form was loaded (:class:`StaleEdit`); an IntegrityError (a duplicate) propagates."""
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if form.is_stale(current):
        raise StaleEdit(current)
    form.save()
    sites.save()
    refresh_search_text(organisation)


@dataclass(frozen=True)
class Problem:
    """Why a change was refused: the field, a code (the kind rule's column for the kind rules,
    ``scheme_missing``, ``invalid_identifier``, ``identifier_taken``, ``unknown_sector``), its
    parameters, and the position in a list field."""

    field: str
    code: str
    params: dict[str, str] = field(default_factory=dict)
    at: tuple[int, ...] = ()


class ChangesRefused(Exception):
    """Nothing was saved, for these reasons."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


@transaction.atomic
def save_organisation(organisation: Organisation, changes: dict[str, Any]) -> None:
    """Check the changes against the stored organisation, then save them and refresh the search text;
    else :class:`ChangesRefused`. ``sectors`` and ``keywords`` replace the lists when present."""
    sector_codes = changes.pop("sectors", None)
    keywords = changes.pop("keywords", None)
    languages = changes.pop("working_languages", None)
    for name, value in changes.items():
        setattr(organisation, name, value)
    if languages is not None:
        organisation.working_languages = ",".join(languages)

    problems = _organisation_problems(organisation, touched=set(changes))
    sectors = list(Sector.objects.filter(code__in=sector_codes)) if sector_codes else []
    if sector_codes and len(sectors) != len(sector_codes):
        known = {s.code for s in sectors}
        problems += [
            Problem("sectors", "unknown_sector", {"code": code}, at=(i,))
            for i, code in enumerate(sector_codes)
            if code not in known
        ]
    if problems:
        raise ChangesRefused(problems)

    organisation.save()
    set_classification(organisation, sector_codes=sector_codes, keywords=keywords)
    refresh_search_text(organisation)


def _organisation_problems(organisation: Organisation, *, touched: set[str]) -> list[Problem]:
    """The kind rules (helix.core), then the legal identifier when it was changed: it needs its scheme,
    must be valid (it is stored normalised) and must not be another organisation's."""
    problems = [
        Problem(column, column)
        for column, _reason in check_organisation(
            organisation.kind, organisation.size_class, organisation.government_level
        )
    ]
    if touched & {"identifier_scheme", "legal_identifier"} and organisation.legal_identifier:
        if not organisation.identifier_scheme:
            problems.append(Problem("legal_identifier", "scheme_missing"))
            return problems
        try:
            identifier = normalise_identifier(organisation.identifier_scheme, organisation.legal_identifier)
        except InvalidIdentifier as exc:
            problems.append(Problem("legal_identifier", "invalid_identifier", {"reason": str(exc)}))
            return problems
        organisation.legal_identifier = identifier.value
        if legal_identifier_taken(
            organisation.identifier_scheme, identifier.value, exclude_pk=organisation.pk
        ):
            problems.append(Problem("legal_identifier", "identifier_taken", {"value": identifier.value}))
    return problems
