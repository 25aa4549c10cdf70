"""The check of submitted answers against a form: coded problems per field and completeness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from helix.core.specs import to_decimal

from .form_fields import FieldProblem, FieldType, Form, FormCheck, FormField


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
        {"minimum": plain_value(low), "maximum": plain_value(high), "value": plain_value(value)},
        f"{f.name}: {value} is outside {'...' if low is None else low}..{'...' if high is None else high}",
    )


def plain_value(value: object) -> object:
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


def _decimals(number: Decimal) -> int:
    """How many decimals ``number`` has, trailing zeros left out (12.340 has two); read from its digits,
    so any magnitude works (quantizing 1E+30 to cents exceeds the context's precision)."""
    _sign, digits, exponent = number.as_tuple()
    if not any(digits) or not isinstance(exponent, int):
        return 0
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + zeros))


def _check_number(f: FormField, value: object) -> list[FieldProblem]:
    number = to_decimal(value)
    if number is None:
        return [_wrong_type(f, "money" if f.type is FieldType.MONEY else "number", value)]
    problems = []
    if f.type is FieldType.MONEY and _decimals(number) > 2:
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
