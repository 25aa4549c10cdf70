"""An application form declared as data, and the check of a submitted answer dict.

A :class:`Form` has :class:`Section` s of :class:`FormField` s. Each field has a type (text, long text,
number, money in euros, date, choice, multi-choice, yes/no, file attachment, list of organisations), a
required flag, the limits of its type, and a label and help in English with Dutch, French and German
translations. A call has one form per stage (a concept note, then a full proposal:
:class:`StageForm`). :func:`load_form` reads a form from plain data (JSON), naming the path of each
malformed part (:class:`helix.core.specs.SpecError`).

:func:`check_answers` checks answers (a dict of field name to plain value, as a page or the API gives
them) and returns a :class:`FormCheck`: coded problems per field and the completeness (required fields
filled out of all required). A draft may be partial: with ``submit=False`` a missing required field is no
problem (the values given are still checked, so a page can show hints); on submission it is.

Plain values per type: text and long text a ``str``; number and money an ``int``, ``float``, ``Decimal``
or decimal text; date a ``datetime.date`` or ISO text; choice a ``str``; multi-choice and organisations
a list of ``str``; yes/no a ``bool``; a file a mapping ``{"name", "size", "content_type"}`` (the upload
itself stays with the edge).
"""

from __future__ import annotations

import datetime as dt

from helix.core.specs import SpecError, SpecProblem, SpecReader

from .form_answers import check_answers, check_value, is_filled, plain_value
from .form_fields import FieldProblem, FieldType, Form, FormCheck, FormField, Option, Section, StageForm

__all__ = [
    "FieldProblem",
    "FieldType",
    "Form",
    "FormCheck",
    "FormField",
    "Option",
    "Section",
    "StageForm",
    "check_answers",
    "check_value",
    "is_filled",
    "load_form",
]

# ---- reading forms from data -------------------------------------------------------------------------

_LIMITS: dict[FieldType, tuple[str, ...]] = {
    FieldType.TEXT: ("max_chars",),
    FieldType.LONG_TEXT: ("max_chars", "max_words"),
    FieldType.NUMBER: ("minimum", "maximum", "whole"),
    FieldType.MONEY: ("minimum", "maximum"),
    FieldType.DATE: ("earliest", "latest"),
    FieldType.CHOICE: ("options",),
    FieldType.MULTI_CHOICE: ("options", "min_choices", "max_choices"),
    FieldType.YES_NO: (),
    FieldType.FILE: ("file_types", "max_bytes"),
    FieldType.ORGANISATIONS: ("min_items", "max_items"),
}


def _read_date(r: SpecReader, name: str) -> dt.date | None:
    text = r.text(name, required=False)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        r.problem("spec.wrong_type", name, "must be a date (YYYY-MM-DD)", expected="date")
        return None


def _read_options(r: SpecReader) -> tuple[Option, ...]:
    options = []
    for i, item in enumerate(r.objects("options")):
        o = SpecReader(item, f"{r.path}.options[{i}]", r.problems, r.context)
        if not o.ok:
            continue
        value = o.text("value")
        label = o.translations("label")
        o.done()
        if value and label:
            options.append(Option(value, label))
    values = [o.value for o in options]
    if len(set(values)) != len(values):
        r.problem("spec.bad_value", "options", "an option value twice", value=values)
    return tuple(options)


def _read_field(r: SpecReader) -> FormField | None:
    name = r.text("name")
    type_name = r.choice("type", [t.value for t in FieldType])
    label = r.translations("label")
    help_texts = r.translations("help", required=False)
    required = r.boolean("required")
    if not type_name:
        return None
    kind = FieldType(type_name)
    limits: dict[str, object] = {}
    for limit in _LIMITS[kind]:
        if limit in (
            "max_chars",
            "max_words",
            "max_bytes",
            "min_choices",
            "max_choices",
            "min_items",
            "max_items",
        ):
            limits[limit] = r.integer(limit, required=False, minimum=0 if limit.startswith("min") else 1)
        elif limit in ("minimum", "maximum"):
            limits[limit] = r.number(limit, required=False)
        elif limit == "whole":
            limits[limit] = r.boolean(limit)
        elif limit in ("earliest", "latest"):
            limits[limit] = _read_date(r, limit)
        elif limit == "options":
            limits[limit] = _read_options(r)
        elif limit == "file_types":
            types = r.strings(limit, required=False)
            limits[limit] = tuple(t.lower().lstrip(".") for t in types)
    for low, high in (
        ("minimum", "maximum"),
        ("earliest", "latest"),
        ("min_choices", "max_choices"),
        ("min_items", "max_items"),
    ):
        a, b = limits.get(low), limits.get(high)
        if a is not None and b is not None and a > b:  # type: ignore[operator]
            r.problem("spec.bad_value", high, f"is less than {low}", value=plain_value(b))
    r.done()
    if not (name and label):
        return None
    return FormField(name=name, type=kind, label=label, help=help_texts, required=required, **limits)  # type: ignore[arg-type]


def load_form(data: object, path: str = "form") -> Form:
    """A form from plain data: {"name", "label", "sections": [{"name", "label", "help"?, "fields": [...]}]};
    :class:`SpecError` names the path of every malformed part."""
    problems: list[SpecProblem] = []
    r = SpecReader(data, path, problems)
    name = r.text("name")
    label = r.translations("label")
    sections: list[Section] = []
    for i, item in enumerate(r.objects("sections")):
        s = SpecReader(item, f"{path}.sections[{i}]", problems, {"section": i})
        if not s.ok:
            continue
        section_name = s.text("name")
        section_label = s.translations("label")
        section_help = s.translations("help", required=False)
        fields = []
        for j, raw in enumerate(s.objects("fields")):
            fr = SpecReader(raw, f"{s.path}.fields[{j}]", problems, {"section": i, "index": j})
            if fr.ok and (made := _read_field(fr)) is not None:
                fields.append(made)
        s.done()
        sections.append(Section(section_name, section_label, tuple(fields), section_help))
    r.done()
    names = [f.name for s in sections for f in s.fields]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        problems.append(
            SpecProblem(
                "spec.duplicate_field",
                {"path": f"{path}.sections", "value": twice},
                f"{path}: fields named twice: {twice}",
            )
        )
    if not sections and not problems:
        problems.append(
            SpecProblem(
                "spec.missing_field",
                {"path": f"{path}.sections", "field": "sections"},
                f"{path}: a form needs a section",
            )
        )
    if problems:
        raise SpecError(problems)
    return Form(name, label, tuple(sections))
