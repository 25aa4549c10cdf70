"""A stage's form as a page draws it, and a posted form read back into answers.

:func:`sections` turns the call's definition (helix.core.calls.form_fields) into what the template
draws: per field its widget, label and help in the reader's language, its limits said in words, the
value shown (the saved answer, or what the person typed when the save was refused), the problems
beside it, and, after a stale save, the partner's saved value. :func:`posted_changes` reads a posted
form back into answers, one plain value per field type as the core checks them; :func:`merge` merges a
stale save with what a partner saved meanwhile; :func:`shown` says an answer in words (receipts, a
partner's value).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helix.calls import explain
from helix.calls.views.shared import language, text_in
from helix.core.calls.form_answers import is_filled
from helix.core.calls.form_fields import FieldProblem, FieldType, FormField, StageForm
from helix.funds import explain as funds_explain
from helix.params import typed_decimal

# The answers a page reads from a posted form; files go through services.attach, the organisations
# field is the applicants.
TYPED = frozenset(FieldType) - {FieldType.FILE, FieldType.ORGANISATIONS}


@dataclass
class FieldView:
    field: FormField
    id: str
    label: str
    help: str
    value: Any
    limits: list[str]
    problems: list[str] = field(default_factory=list)
    options: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""  # the answer in words, for a page that only shows it
    loaded: str = ""  # the digest of the saved answer the form is drawn on (see :func:`merge`)
    partner: str | None = None  # after a stale save: a partner's saved value where both changed it
    updated: bool = False  # after a stale save: a partner changed it, the person did not: theirs is shown
    attachment: Any = None  # a file field's current file
    chars: int = 0
    words: int = 0

    @property
    def type(self) -> str:
        return str(self.field.type)

    @property
    def accept(self) -> str:
        return ",".join(f".{t}" for t in self.field.file_types)


def limits(f: FormField) -> list[str]:
    """The limits of ``f`` said in words, as shown beside the field."""
    said: list[str] = []
    if f.max_chars is not None:
        said.append(
            ngettext("At most %(n)d character.", "At most %(n)d characters.", f.max_chars)
            % {"n": f.max_chars}
        )
    if f.max_words is not None:
        said.append(ngettext("At most %(n)d word.", "At most %(n)d words.", f.max_words) % {"n": f.max_words})
    low = f.minimum
    if f.type is FieldType.MONEY:
        said.append(_("In euros, with at most two decimals."))
    if low is not None and f.maximum is not None:
        said.append(_("From %(min)s to %(max)s.") % {"min": _plain(low), "max": _plain(f.maximum)})
    elif low is not None:
        said.append(_("At least %(min)s.") % {"min": _plain(low)})
    elif f.maximum is not None:
        said.append(_("At most %(max)s.") % {"max": _plain(f.maximum)})
    if f.whole:
        said.append(_("A whole number."))
    if f.earliest is not None and f.latest is not None:
        said.append(
            _("From %(earliest)s to %(latest)s.")
            % {
                "earliest": date_format(f.earliest, "DATE_FORMAT"),
                "latest": date_format(f.latest, "DATE_FORMAT"),
            }
        )
    elif f.earliest is not None:
        said.append(_("On %(earliest)s or later.") % {"earliest": date_format(f.earliest, "DATE_FORMAT")})
    elif f.latest is not None:
        said.append(_("On %(latest)s or earlier.") % {"latest": date_format(f.latest, "DATE_FORMAT")})
    said += _count_limits(f.min_choices, f.max_choices, _("options"))
    said += _count_limits(f.min_items, f.max_items, _("organisations"))
    if f.type is FieldType.FILE:
        if f.file_types:
            said.append(
                _("Files of the types %(types)s.") % {"types": ", ".join(f".{t}" for t in f.file_types)}
            )
        if f.max_bytes is not None:
            said.append(_("At most %(size)s.") % {"size": filesizeformat(f.max_bytes)})
    return said


def _plain(value: object) -> str:
    return explain.number(value)


def _count_limits(low: int | None, high: int | None, what: str) -> list[str]:
    if low is not None and high is not None:
        return [_("From %(min)d to %(max)d %(what)s.") % {"min": low, "max": high, "what": what}]
    if low is not None:
        return [_("At least %(min)d %(what)s.") % {"min": low, "what": what}]
    if high is not None:
        return [_("At most %(max)d %(what)s.") % {"max": high, "what": what}]
    return []


def shown(f: FormField, value: object, names: Mapping[str, str] | None = None) -> str:
    """An answer to ``f`` said in words: options by their labels, amounts and dates in the reader's
    format, a file by its name and size, organisations by their names."""
    if not is_filled(value):
        return _("(no answer)")
    if f.type is FieldType.CHOICE:
        return _option_label(f, value)
    if f.type is FieldType.MULTI_CHOICE and isinstance(value, list | tuple):
        return ", ".join(_option_label(f, v) for v in value)
    if f.type is FieldType.YES_NO:
        return _("Yes") if value is True else _("No") if value is False else str(value)
    if f.type is FieldType.MONEY:
        return f"EUR {explain.eur(value)}"
    if f.type is FieldType.DATE:
        return funds_explain.day_text(value)
    if f.type is FieldType.FILE and isinstance(value, Mapping):
        return f"{value.get('name', '')} ({filesizeformat(value.get('size') or 0)})"
    if f.type is FieldType.ORGANISATIONS and isinstance(value, list | tuple):
        return ", ".join(str((names or {}).get(str(v), v)) for v in value)
    return str(value)


def _option_label(f: FormField, value: object) -> str:
    for option in f.options:
        if option.value == value:
            return text_in(option.label)
    return str(value)


def _widget_value(f: FormField, value: object) -> Any:
    """The answer as the widget holds it (a list for multi-choice, "yes"/"no" for yes/no)."""
    if f.type is FieldType.MULTI_CHOICE:
        return [str(v) for v in value] if isinstance(value, list | tuple) else []
    if f.type is FieldType.YES_NO:
        return "yes" if value is True else "no" if value is False else ""
    if f.type in (FieldType.FILE, FieldType.ORGANISATIONS):
        return value
    return "" if value is None else str(value)


def sections(
    stage: StageForm,
    values: Mapping[str, Any],
    problems: Sequence[FieldProblem] = (),
    *,
    saved: Mapping[str, Any] | None = None,
    merged: Merge | None = None,
    attachments: Mapping[str, Any] | None = None,
    file_problems: Mapping[str, list[str]] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The form's sections with their fields as drawn: ``values`` the answers shown, ``saved`` the
    answers saved now (the form carries their digests, to merge a stale save), ``problems`` the check's,
    ``merged`` a stale save's merge (the partner's value beside each field both changed, a note on each
    field only the partner changed), ``attachments`` the current file of each file field."""
    by_field: dict[str, list[str]] = {}
    for p in problems:
        by_field.setdefault(p.name, []).append(explain.problem_text(p))
    drawn = []
    for section in stage.form.sections:
        fields = []
        for f in section.fields:
            value = values.get(f.name)
            text = value if isinstance(value, str) else ""
            view = FieldView(
                field=f,
                id=f"field-{f.name}",
                label=f.label_in(language()),
                help=f.help_in(language()),
                value=_widget_value(f, value),
                limits=limits(f),
                problems=by_field.get(f.name, []) + list((file_problems or {}).get(f.name, [])),
                options=[
                    {"value": o.value, "label": text_in(o.label), "chosen": _chosen(f, value, o.value)}
                    for o in f.options
                ],
                text=shown(f, value, names),
                attachment=(attachments or {}).get(f.name),
                chars=len(text),
                words=len(text.split()),
            )
            if f.type in TYPED:
                view.loaded = digest(f, (saved if saved is not None else values).get(f.name))
            if merged is not None and saved is not None:
                if f.name in merged.conflicts:
                    view.partner = shown(f, saved.get(f.name), names)
                view.updated = f.name in merged.updated
            fields.append(view)
        drawn.append(
            {
                "name": section.name,
                "label": text_in(section.label),
                "help": text_in(section.help),
                "fields": fields,
            }
        )
    return drawn


def _chosen(f: FormField, value: object, option: str) -> bool:
    if f.type is FieldType.MULTI_CHOICE:
        return isinstance(value, list | tuple) and option in value
    return value == option


def _normal(f: FormField, value: object) -> object:
    if not is_filled(value):
        return None
    if f.type is FieldType.MULTI_CHOICE and isinstance(value, list | tuple):
        return sorted(str(v) for v in value)
    if isinstance(value, str):
        return value.strip()
    return value


def digest(f: FormField, value: object) -> str:
    """A short digest of an answer as the form holds it: the page sends the saved answers' digests with
    the form, so that a stale save can tell which fields the person changed."""
    plain = json.dumps(_normal(f, value), sort_keys=True, default=str)
    return hashlib.sha256(plain.encode()).hexdigest()[:16]


LOADED = "_loaded_"  # the prefix of the hidden inputs that carry the digests


@dataclass(frozen=True)
class Merge:
    """A stale save merged with what a partner saved meanwhile: ``answers`` to show (what the person
    changed, else what the partner saved), ``conflicts`` the fields both changed differently (the
    partner's value is shown beside the person's), ``updated`` the fields only the partner changed."""

    answers: dict[str, Any]
    conflicts: frozenset[str]
    updated: frozenset[str]


def merge(stage: StageForm, typed: Mapping[str, Any], saved: Mapping[str, Any], data: QueryDict) -> Merge:
    """Merge the answers ``typed`` on a stale copy with those ``saved`` now, field by field, by the
    digests of the answers the form was drawn on (``data``: the posted form). A field without its
    digest counts as changed by the person: their text is never dropped."""
    answers, conflicts, updated = dict(typed), set(), set()
    for f in stage.form.fields:
        if f.name not in typed:
            continue
        loaded = data.get(LOADED + f.name)
        mine = loaded is None or digest(f, typed[f.name]) != loaded
        theirs = loaded is None or digest(f, saved.get(f.name)) != loaded
        if not mine:
            answers[f.name] = saved.get(f.name)
            if theirs:
                updated.add(f.name)
        elif theirs and _normal(f, typed[f.name]) != _normal(f, saved.get(f.name)):
            conflicts.add(f.name)
    return Merge(answers, frozenset(conflicts), frozenset(updated))


def posted_changes(stage: StageForm, data: QueryDict) -> dict[str, Any]:
    """The answers of a posted form, one per typed field of ``stage`` (an empty one removes the answer):
    text as typed (line ends as ``\\n``), numbers and amounts as typed in the reader's language made
    dot-decimal (:func:`helix.params.typed_decimal`), dates as their text, a choice's value, a
    list of chosen values, True or False (None when neither is chosen)."""
    changes: dict[str, Any] = {}
    for f in stage.form.fields:
        if f.type not in TYPED:
            continue
        if f.type is FieldType.MULTI_CHOICE:
            changes[f.name] = [v for v in data.getlist(f.name) if v]
        elif f.type is FieldType.YES_NO:
            raw = data.get(f.name, "")
            changes[f.name] = True if raw == "yes" else False if raw == "no" else None
        elif f.type is FieldType.LONG_TEXT:
            changes[f.name] = data.get(f.name, "").replace("\r\n", "\n")
        elif f.type in (FieldType.NUMBER, FieldType.MONEY):
            raw = data.get(f.name, "").strip()
            changes[f.name] = typed_decimal(raw) if raw else ""
        elif f.type in (FieldType.DATE, FieldType.TEXT, FieldType.CHOICE):
            changes[f.name] = (
                data.get(f.name, "").strip() if f.type is not FieldType.TEXT else data.get(f.name, "")
            )
    return changes


def answers_shown(
    stage: StageForm, answers: Mapping[str, Any], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Every field of ``stage`` with the answer as words, section by section (a receipt)."""
    return [
        {
            "label": text_in(section.label),
            "answers": [
                {"label": f.label_in(language()), "text": shown(f, answers.get(f.name), names)}
                for f in section.fields
            ],
        }
        for section in stage.form.sections
    ]
