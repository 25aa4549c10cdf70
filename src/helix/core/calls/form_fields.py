"""The types of a form's fields, the form, its sections and stages, and the coded result of a check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from helix.core.calls.lifecycle import Deadline
from helix.core.specs import translated


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
