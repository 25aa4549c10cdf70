"""Registering an event's participants from a CSV or XLSX file, all or nothing.

One row per person to register:

    organisation,first_name,last_name,email,role,online,online_link
    enervalis,Lotte,Vermeulen,lotte@enervalis.example,participant,no,

``organisation`` is the organisation's address name (its slug) or its exact name, among those the
organiser may see; the person is found in it by e-mail (else by first and last name) or created (a name
and an e-mail, in an organisation the organiser may add people to). ``role`` (participant, host,
visitor), ``online`` (yes/no) and ``online_link`` may be left out. A person already registered is left as
they are. Any bad row and nothing is written: the errors name the row and the column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from helix.core.registry.records import FORMULA_STARTS, is_formula_like
from helix.events.models import Event, Role
from helix.events.registrations import find_person, organisation_choices, person_in
from helix.events.services import register
from helix.registry.models import Organisation, Person
from helix.registry.permissions import can
from helix.spreadsheets import read_table

COLUMNS = ("organisation", "first_name", "last_name", "email", "role", "online", "online_link")
ALIASES = {
    "organization": "organisation",
    "company": "organisation",
    "firstname": "first_name",
    "first": "first_name",
    "lastname": "last_name",
    "last": "last_name",
    "surname": "last_name",
    "e_mail": "email",
    "mail": "email",
    "online_meeting_link": "online_link",
    "link": "online_link",
}
MAX_ROWS = 2000  # a participant list is read while the organiser waits: larger lists go in several files
YES = {"yes", "y", "true", "1", "ja", "oui", "x"}
NO = {"no", "n", "false", "0", "nee", "non", "nein", ""}


class ImportRefused(Exception):
    """The file is not read or a row is bad: nothing was written. ``errors`` name the row and column."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    registered: int
    already: int  # already registered, left as they were
    new_people: int


@dataclass
class _Row:
    number: int
    organisation: Organisation
    person: Person | None
    first_name: str
    last_name: str
    email: str
    role: str
    online: bool
    online_link: str


def _column(name: str) -> str:
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    return ALIASES.get(key, key)


def _clean(text: str) -> str:
    """A cell's text; an apostrophe before a formula sign is the spreadsheet's escape. Text a spreadsheet
    would run as a formula is refused (ValueError)."""
    rest = text.lstrip("'")
    if text.startswith("'") and rest and rest[0] in FORMULA_STARTS:
        return text[1:].strip()
    if is_formula_like(text):
        raise ValueError(_("it starts like a spreadsheet formula; put an apostrophe before it"))
    return text.strip()


def import_participants(user: Any, event: Event, path: Path) -> ImportResult:
    """Register the people of the file at ``event``: every row or none (:class:`ImportRefused`)."""
    if not can(user, "register_others", event):
        raise PermissionDenied("only the organiser registers others")
    table, problems = read_table(path)
    if table is None:
        raise ImportRefused(
            [str(p) for p in problems] or [_("%(file)s: the file holds no table.") % {"file": path.name}]
        )
    header = [_column(h) for h in table.header]
    errors: list[str] = []
    unknown = [table.header[i] for i, h in enumerate(header) if h and h not in COLUMNS]
    if unknown:
        errors.append(
            _("Row 1: unknown columns %(unknown)s; the columns are %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(COLUMNS)}
        )
    if "organisation" not in header:
        errors.append(_("Row 1: the column organisation is missing."))
    if "email" not in header and not {"first_name", "last_name"} <= set(header):
        errors.append(_("Row 1: give each person's email, or first_name and last_name."))
    if len(table.rows) > MAX_ROWS:
        errors.append(
            _("The file has %(n)d rows; import at most %(max)d at once.")
            % {"n": len(table.rows), "max": MAX_ROWS}
        )
    if errors:
        raise ImportRefused(errors)
    if not table.rows:
        raise ImportRefused([_("The file has a header but no row.")])

    where = header.index("organisation")
    names = {cells[where].strip() for _n, cells in table.rows if where < len(cells)}
    organisations = _organisation_index(user, names)
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        row_errors: list[str] = []

        def say(column: str, message: str, number: int = number, row_errors: list[str] = row_errors) -> None:
            row_errors.append(
                _("Row %(row)d, column %(column)s: %(message)s")
                % {"row": number, "column": column, "message": message}
            )

        values: dict[str, str] = {}
        for index, column in enumerate(header):
            if column not in COLUMNS:
                continue
            text = cells[index] if index < len(cells) else ""
            try:
                values[column] = _clean(text)
            except ValueError as exc:
                say(column, str(exc))
                values[column] = text  # the row is refused already: no second error for this cell
        row = _parse_row(user, number, values, organisations, say)
        if row is not None and not row_errors:
            key = f"{row.organisation.pk}:{(row.email or row.first_name + ' ' + row.last_name).lower()}"
            if key in seen:
                say("email", _("the same person as in row %(row)d") % {"row": seen[key]})
            else:
                seen[key] = number
                rows.append(row)
        errors.extend(row_errors)
    if errors:
        raise ImportRefused(errors)
    return _write(user, event, rows)


def _organisation_index(user: Any, names: set[str]) -> dict[str, list[Organisation]]:
    """The organisations the user may see whose slug or name (any case) is among ``names``, by slug and
    by lower-case name (one query)."""
    from django.db.models import Q
    from django.db.models.functions import Lower

    keys = {n.lower() for n in names if n}
    index: dict[str, list[Organisation]] = {}
    candidates = (
        organisation_choices(user)
        .annotate(lower_name=Lower("name"))
        .filter(Q(slug__in=keys | names) | Q(name__in=names) | Q(lower_name__in=keys))
    )
    for organisation in candidates:
        index.setdefault(organisation.slug, []).append(organisation)
        name = organisation.name.strip().lower()
        if name != organisation.slug:
            index.setdefault(name, []).append(organisation)
    return index


def _parse_row(
    user: Any, number: int, values: dict[str, str], organisations: dict[str, list[Organisation]], say: Any
) -> _Row | None:
    name = values.get("organisation", "")
    found = organisations.get(name, []) or organisations.get(name.lower(), [])
    organisation = None
    if not name:
        say("organisation", _("required"))
    elif len(found) > 1:
        say("organisation", _("%(name)r names several organisations; give its slug") % {"name": name})
    elif not found:
        say("organisation", _("no organisation you may see is called %(name)r") % {"name": name})
    else:
        organisation = found[0]
    email = values.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            say("email", _("%(value)r is not an e-mail address") % {"value": email})
    role = values.get("role", "").lower() or Role.PARTICIPANT
    if role not in Role.values:
        say("role", _("%(value)r is not one of %(roles)s") % {"value": role, "roles": ", ".join(Role.values)})
    online_text = values.get("online", "").lower()
    if online_text not in YES | NO:
        say("online", _("%(value)r is not yes or no") % {"value": values.get("online", "")})
    link = values.get("online_link", "")
    if link:
        try:
            URLValidator(schemes=["https"])(link)
        except ValidationError:
            say("online_link", _("%(value)r is not a web address starting with https://") % {"value": link})
    first, last = values.get("first_name", ""), values.get("last_name", "")
    for column, text in (("first_name", first), ("last_name", last)):
        if len(text) > 100:
            say(column, _("at most %(n)d characters") % {"n": 100})
    if organisation is None:
        return None
    person = find_person(organisation, first_name=first, last_name=last, email=email)
    if person is None:
        if not (first and last and email):
            missing = [c for c, v in (("first_name", first), ("last_name", last), ("email", email)) if not v]
            say(missing[0], _("a new person needs a first name, a last name and an e-mail"))
        elif not can(user, "edit", organisation):
            say(
                "organisation",
                _("you may not add people to %(organisation)s; only its cluster's staff may")
                % {"organisation": organisation.name},
            )
    elif not can(user, "view", person):
        say(
            "email",
            _("no person you may see has this e-mail in %(organisation)s")
            % {"organisation": organisation.name},
        )
    return _Row(number, organisation, person, first, last, email, role, online_text in YES, link)


@transaction.atomic
def _write(user: Any, event: Event, rows: list[_Row]) -> ImportResult:
    registered = already = new_people = 0
    taken = set(event.registrations.values_list("person_id", flat=True))
    for row in rows:
        person = row.person
        if person is None:
            person, created = person_in(
                user, row.organisation, first_name=row.first_name, last_name=row.last_name, email=row.email
            )
            new_people += created
        elif person.pk in taken:  # two rows may name one person (by e-mail, and by name)
            already += 1
            continue
        register(user, event, person=person, role=row.role, online=row.online, online_link=row.online_link)
        taken.add(person.pk)
        registered += 1
    return ImportResult(registered, already, new_people)
