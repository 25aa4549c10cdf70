"""The forms of a project's parts: a funding source, a milestone or deliverable, a report, a consortium
member, and the budget grid (one amount per member, year and cost category, read by :func:`read_grid`).

The forms check only the shape of what was typed; the rules are the services' (helix.projects.parts,
helix.projects.services), whose refusals :func:`add_refusal` shows on the form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helix.projects import explain
from helix.projects.models import CostCategory, Milestone, ProjectMember, Role, SourceKind
from helix.projects.parts import Cell
from helix.registry.models import Organisation

MAX_AMOUNT = Decimal("999999999999.99")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProjectMember) -> str:
        return obj.organisation.name


class _PartForm(forms.Form):
    def __init__(self, *args: Any, members: QuerySet[ProjectMember] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("member", "lead"):
            if name in self.fields and members is not None:
                chosen = self.fields[name]
                assert isinstance(chosen, forms.ModelChoiceField)
                chosen.queryset = members


def add_refusal(form: forms.Form, refused: Any) -> None:
    """A :class:`helix.projects.services.ProjectRefused` at the top of ``form``: the refusal, then each
    reason."""
    form.add_error(None, explain.say(refused.code, refused.params))
    for problem in refused.problems:
        form.add_error(None, explain.problem_text(problem))


class FundingSourceForm(_PartForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SourceKind.choices)
    instrument = forms.CharField(
        label=gettext_lazy("Instrument"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("The instrument a subsidy, loan or equity comes from."),
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (EUR)"), max_digits=14, decimal_places=2, max_value=MAX_AMOUNT
    )
    member = MemberChoiceField(
        label=gettext_lazy("Partner"),
        queryset=ProjectMember.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole project"),
    )


class MilestoneForm(_PartForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Milestone.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    due_month = forms.IntegerField(
        label=gettext_lazy("Due in month"),
        min_value=0,
        max_value=600,
        help_text=gettext_lazy("Month of the project: 1 is its first."),
    )
    lead = MemberChoiceField(
        label=gettext_lazy("Lead partner"), queryset=ProjectMember.objects.none(), required=False
    )


class ReportForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    period_start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(
        label=gettext_lazy("Report"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        error_messages={"invalid_choice": gettext_lazy("Choose an organisation from the search.")},
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.PARTNER)

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation], roles: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.fields["organisation"]
        assert isinstance(chosen, forms.ModelChoiceField)
        chosen.queryset = organisations
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(value, label) for value, label in Role.choices if value in roles]


# -- the budget grid ----------------------------------------------------------------------------------------

NEW_ROWS = 2  # blank rows under the grid, for a partner's year not shown yet


def cell_name(member: int, year: int, category: str) -> str:
    return f"cell-{member}-{year}-{category}"


@dataclass
class Grid:
    """What the grid posted: its cells, the values as typed (to show them again), and the inputs whose
    value is no amount."""

    cells: list[Cell] = field(default_factory=list)
    typed: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(" ", "").replace("\u202f", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")) or abs(value) > MAX_AMOUNT:
        return None
    return value


def _whole(text: str) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return None
    return value if 1900 <= value <= 2200 else None


def read_grid(data: Mapping[str, Any], members: Sequence[int], years: Sequence[int]) -> Grid:
    """The grid's cells from ``data`` (a POST): one per non-empty input ``cell-<member>-<year>-<category>``
    of the rows shown (``members`` × ``years``), and of the new rows ``new-<i>-member``, ``new-<i>-year``,
    ``new-<i>-<category>``. An amount that is not euros and cents, or a new row's year that is no year,
    is an error under its input."""
    grid = Grid()
    categories = CostCategory.values

    def take(name: str, member: int, year: int, category: str) -> None:
        text = str(data.get(name, "")).strip()
        if not text:
            return
        grid.typed[name] = text
        amount = _amount(text)
        if amount is None:
            grid.errors[name] = _("Give an amount in euros and cents, such as 1250.50.")
        else:
            grid.cells.append(Cell(member, year, category, amount))

    for member in members:
        for year in years:
            for category in categories:
                take(cell_name(member, year, category), member, year, category)
    for i in range(NEW_ROWS):
        prefix = f"new-{i}-"
        for name in ("member", "year", *categories):
            text = str(data.get(prefix + name, "")).strip()
            if text:
                grid.typed[prefix + name] = text
        if not any(grid.typed.get(prefix + c) for c in categories):
            continue
        year = _whole(grid.typed.get(prefix + "year", ""))
        member = _whole_id(grid.typed.get(prefix + "member", ""))
        if year is None:
            grid.errors[prefix + "year"] = _("Give the year, e.g. 2027.")
        if member is None:
            grid.errors[prefix + "member"] = _("Choose a member of the consortium.")
        if year is None or member is None:
            continue
        for category in categories:
            take(prefix + category, member, year, category)
    return grid


def _whole_id(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 else None
