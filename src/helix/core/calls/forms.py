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
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from helix.core.calls.lifecycle import Deadline
from helix.core.specs import SpecError, SpecProblem, SpecReader, to_decimal, translated


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"
    FILE = "file"
    ORGANISATIONS = "organisations"


@dataclass(frozen=True)
class Option:
    value: str
    label: Mapping[str, str]


@dataclass(frozen=True)
class FormField:
    name: str
    type: FieldType
    label: Mapping[str, str]  # language -> text; English always present
    help: Mapping[str, str] = field(default_factory=dict)
    required: bool = False
    max_chars: int | None = None  # text, long text
    max_words: int | None = None  # long text
    minimum: Decimal | None = None  # number, money (money: 0 when not given)
    maximum: Decimal | None = None
    whole: bool = False  # number: whole numbers only
    earliest: dt.date | None = None  # date
    latest: dt.date | None = None
    options: tuple[Option, ...] = ()  # choice, multi-choice
    min_choices: int | None = None  # multi-choice
    max_choices: int | None = None
    file_types: tuple[str, ...] = ()  # file: extensions, lower case without the dot ("pdf")
    max_bytes: int | None = None
    min_items: int | None = None  # organisations
    max_items: int | None = None

    def label_in(self, language: str) -> str:
        return translated(self.label, language)

    def help_in(self, language: str) -> str:
        return translated(self.help, language)


@dataclass(frozen=True)
class Section:
    name: str
    label: Mapping[str, str]
    fields: tuple[FormField, ...]
    help: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Form:
    name: str
    label: Mapping[str, str]
    sections: tuple[Section, ...]

    @property
    def fields(self) -> tuple[FormField, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class StageForm:
    """One stage of a call (concept note, full proposal), the form applicants fill in at it and its
    deadline (None: open until the call closes)."""

    name: str
    label: Mapping[str, str]
    form: Form
    deadline: Deadline | None = None


@dataclass(frozen=True)
class FieldProblem:
    name: str  # the field's
    code: str
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""  # English, for readers without a translation of ``code``


@dataclass(frozen=True)
class FormCheck:
    problems: tuple[FieldProblem, ...]
    required_filled: int
    required_total: int

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def completeness(self) -> Fraction:
        """Required fields filled out of all required (1 when none is required)."""
        if self.required_total == 0:
            return Fraction(1)
        return Fraction(self.required_filled, self.required_total)

    def by_field(self) -> dict[str, list[FieldProblem]]:
        grouped: dict[str, list[FieldProblem]] = {}
        for p in self.problems:
            grouped.setdefault(p.name, []).append(p)
        return grouped


# ---- checking answers --------------------------------------------------------------------------------


def is_filled(value: object) -> bool:
    """An answer counts as given unless it is None, blank text or an empty list (False is an answer)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return bool(value)
    return True


def _range_problem(f: FormField, value: object, low: object, high: object) -> FieldProblem:
    return FieldProblem(
        f.name,
        "form.out_of_range",
        {"minimum": _plain(low), "maximum": _plain(high), "value": _plain(value)},
        f"{f.name}: {value} is outside {'...' if low is None else low}..{'...' if high is None else high}",
    )


def _plain(value: object) -> object:
    if isinstance(value, Decimal | dt.date):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def _wrong_type(f: FormField, expected: str, value: object) -> FieldProblem:
    return FieldProblem(
        f.name,
        "form.wrong_type",
        {"expected": expected, "got": type(value).__name__},
        f"{f.name}: expected {expected}",
    )


def _check_text(f: FormField, value: object) -> list[FieldProblem]:
    if not isinstance(value, str):
        return [_wrong_type(f, "text", value)]
    problems = []
    if f.type is FieldType.TEXT and "\n" in value.strip():
        problems.append(FieldProblem(f.name, "form.one_line", {}, f"{f.name}: one line only"))
    if f.max_chars is not None and len(value) > f.max_chars:
        problems.append(
            FieldProblem(
                f.name,
                "form.too_long",
                {"max_chars": f.max_chars, "chars": len(value)},
                f"{f.name}: {len(value)} characters, at most {f.max_chars}",
            )
        )
    words = len(value.split())
    if f.max_words is not None and words > f.max_words:
        problems.append(
            FieldProblem(
                f.name,
                "form.too_many_words",
                {"max_words": f.max_words, "words": words},
                f"{f.name}: {words} words, at most {f.max_words}",
            )
        )
    return problems


def _check_number(f: FormField, value: object) -> list[FieldProblem]:
    number = to_decimal(value)
    if number is None:
        return [_wrong_type(f, "money" if f.type is FieldType.MONEY else "number", value)]
    problems = []
    if f.type is FieldType.MONEY and number != number.quantize(Decimal("0.01")):
        problems.append(
            FieldProblem(
                f.name, "form.cents", {"value": str(number)}, f"{f.name}: euros have two decimals at most"
            )
        )
    if f.whole and number != number.to_integral_value():
        problems.append(
            FieldProblem(f.name, "form.not_whole", {"value": str(number)}, f"{f.name}: a whole number")
        )
    low = f.minimum if f.minimum is not None or f.type is not FieldType.MONEY else Decimal(0)
    if (low is not None and number < low) or (f.maximum is not None and number > f.maximum):
        problems.append(_range_problem(f, number, low, f.maximum))
    return problems


def _check_date(f: FormField, value: object) -> list[FieldProblem]:
    day: dt.date | None = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        return [_wrong_type(f, "date", value)]
    if (f.earliest is not None and day < f.earliest) or (f.latest is not None and day > f.latest):
        return [_range_problem(f, day, f.earliest, f.latest)]
    return []


def _check_choices(f: FormField, value: object) -> list[FieldProblem]:
    allowed = [o.value for o in f.options]
    if f.type is FieldType.CHOICE:
        if not isinstance(value, str):
            return [_wrong_type(f, "choice", value)]
        chosen = [value]
    else:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            return [_wrong_type(f, "list of choices", value)]
        chosen = list(value)
    problems = []
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        problems.append(
            FieldProblem(
                f.name,
                "form.unknown_choice",
                {"values": unknown, "allowed": allowed},
                f"{f.name}: no option {unknown}",
            )
        )
    if len(set(chosen)) != len(chosen):
        problems.append(
            FieldProblem(f.name, "form.duplicate", {"values": chosen}, f"{f.name}: an option twice")
        )
    if f.type is FieldType.MULTI_CHOICE:
        problems += _count_problems(f, len(chosen), f.min_choices, f.max_choices, "choices")
    return problems


def _count_problems(
    f: FormField, count: int, low: int | None, high: int | None, what: str
) -> list[FieldProblem]:
    if low is not None and count < low:
        return [
            FieldProblem(
                f.name,
                f"form.too_few_{what}",
                {"minimum": low, "count": count},
                f"{f.name}: {count} {what}, at least {low}",
            )
        ]
    if high is not None and count > high:
        return [
            FieldProblem(
                f.name,
                f"form.too_many_{what}",
                {"maximum": high, "count": count},
                f"{f.name}: {count} {what}, at most {high}",
            )
        ]
    return []


def _check_file(f: FormField, value: object) -> list[FieldProblem]:
    if not isinstance(value, Mapping):
        return [_wrong_type(f, "file", value)]
    name, size = value.get("name"), value.get("size")
    if (
        not isinstance(name, str)
        or not name
        or isinstance(size, bool)
        or not isinstance(size, int)
        or size < 0
    ):
        return [_wrong_type(f, "file", value)]
    problems = []
    extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
    if f.file_types and extension not in f.file_types:
        problems.append(
            FieldProblem(
                f.name,
                "form.file_type",
                {"allowed": list(f.file_types), "type": extension},
                f"{f.name}: .{extension} is not one of {', '.join(f.file_types)}",
            )
        )
    if f.max_bytes is not None and size > f.max_bytes:
        problems.append(
            FieldProblem(
                f.name,
                "form.file_too_large",
                {"max_bytes": f.max_bytes, "size": size},
                f"{f.name}: {size} bytes, at most {f.max_bytes}",
            )
        )
    return problems


def _check_organisations(f: FormField, value: object) -> list[FieldProblem]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v for v in value):
        return [_wrong_type(f, "list of organisations", value)]
    problems = []
    if len(set(value)) != len(value):
        problems.append(
            FieldProblem(
                f.name, "form.duplicate", {"values": list(value)}, f"{f.name}: an organisation twice"
            )
        )
    return problems + _count_problems(f, len(value), f.min_items, f.max_items, "items")


def check_value(f: FormField, value: object) -> list[FieldProblem]:
    """The problems of one given (filled) answer."""
    if f.type in (FieldType.TEXT, FieldType.LONG_TEXT):
        return _check_text(f, value)
    if f.type in (FieldType.NUMBER, FieldType.MONEY):
        return _check_number(f, value)
    if f.type is FieldType.DATE:
        return _check_date(f, value)
    if f.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        return _check_choices(f, value)
    if f.type is FieldType.YES_NO:
        return [] if isinstance(value, bool) else [_wrong_type(f, "yes or no", value)]
    if f.type is FieldType.FILE:
        return _check_file(f, value)
    return _check_organisations(f, value)


def check_answers(form: Form, answers: Mapping[str, object], *, submit: bool) -> FormCheck:
    """Coded problems per field and the completeness of ``answers``; missing required fields are
    problems only when ``submit`` (a draft may be partial)."""
    problems: list[FieldProblem] = []
    known = {f.name for f in form.fields}
    for name in sorted(set(answers) - known):
        problems.append(FieldProblem(name, "form.unknown_field", {}, f"{name}: not a field of {form.name}"))
    filled = total = 0
    for f in form.fields:
        value = answers.get(f.name)
        given = is_filled(value)
        if f.required:
            total += 1
            filled += given
        if given:
            problems += check_value(f, value)
        elif f.required and submit:
            problems.append(FieldProblem(f.name, "form.required", {}, f"{f.name}: required"))
    return FormCheck(tuple(problems), filled, total)


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
            r.problem("spec.bad_value", high, f"is less than {low}", value=_plain(b))
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
