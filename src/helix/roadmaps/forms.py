"""The forms of a roadmap: the roadmap itself, an item (milestone, deliverable, activity), a participant, a
dependency, a progress report, a what-if question and an import. They check only the shape of what was
typed; the rules are the services' (helix.roadmaps.services) and the core's validation, whose refusals
:func:`add_refusal` shows on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from helix.calls.models import Call
from helix.market.models import Visibility
from helix.projects.models import Project
from helix.registry.models import Cluster, Organisation
from helix.roadmaps import explain
from helix.roadmaps.models import (
    DependencyKind,
    Item,
    ItemKind,
    Kpi,
    Participant,
    ParticipantRole,
    Phase,
    Track,
)

MAX_AMOUNT = 999_999_999_999
MAX_DAYS = 36_500  # a hundred years: longer is a typing error
TRL = [(n, str(n)) for n in range(1, 10)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_refusal(form: forms.Form, refused: Any) -> None:
    """A :class:`helix.roadmaps.services.RoadmapRefused` at the top of ``form``, then each reason."""
    form.add_error(None, explain.say(refused.code, refused.params))
    for problem in refused.problems:
        form.add_error(None, explain.problem_text(problem))


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        return obj.organisation.name


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        return obj.organisation.name


class RoadmapForm(forms.Form):
    cluster = forms.ModelChoiceField(label=gettext_lazy("Cluster"), queryset=Cluster.objects.none())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    key = forms.SlugField(
        label=gettext_lazy("Key"),
        max_length=80,
        help_text=gettext_lazy("A short name for addresses and files, e.g. flux50-2017."),
    )
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DateInput())
    visibility = forms.ChoiceField(
        label=gettext_lazy("Visible to"), choices=Visibility.choices, initial=Visibility.MEMBERS
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, clusters: QuerySet[Cluster] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.fields["cluster"]
        assert isinstance(chosen, forms.ModelChoiceField)
        chosen.queryset = clusters if clusters is not None else Cluster.objects.none()


class ItemForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    key = forms.SlugField(
        label=gettext_lazy("Key"),
        max_length=80,
        help_text=gettext_lazy("A short code, unique in the roadmap, e.g. M3 or d-pilot."),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ItemKind.choices)
    track = forms.ModelChoiceField(label=gettext_lazy("Track"), queryset=Track.objects.none(), required=False)
    phase = forms.ChoiceField(
        label=gettext_lazy("Phase"), choices=[("", "—"), *Phase.choices], required=False
    )
    trl_from = forms.TypedChoiceField(
        label=gettext_lazy("TRL from"),
        choices=[("", "—"), *TRL],
        coerce=int,
        empty_value=None,
        required=False,
    )
    trl_to = forms.TypedChoiceField(
        label=gettext_lazy("TRL to"), choices=[("", "—"), *TRL], coerce=int, empty_value=None, required=False
    )
    owner = ParticipantChoiceField(
        label=gettext_lazy("Owner"),
        queryset=Participant.objects.none(),
        required=False,
        help_text=gettext_lazy("The participant who must achieve it."),
    )
    contributors = ParticipantsField(
        label=gettext_lazy("Contributors"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    planned_start = forms.DateField(
        label=gettext_lazy("Planned start"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Leave empty to start as soon as what it depends on allows."),
    )
    duration_days = forms.IntegerField(
        label=gettext_lazy("Duration in days"),
        min_value=0,
        max_value=MAX_DAYS,
        initial=0,
        help_text=gettext_lazy("0 for a milestone: a moment, not a period."),
    )
    budget = forms.DecimalField(
        label=gettext_lazy("Budget (EUR)"), min_value=0, max_value=MAX_AMOUNT, decimal_places=2, initial=0
    )
    funding_secured = forms.DecimalField(
        label=gettext_lazy("Funding secured (EUR)"),
        min_value=0,
        max_value=MAX_AMOUNT,
        decimal_places=2,
        initial=0,
    )
    projects = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Projects that implement it"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    calls = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Calls that fund it"),
        queryset=Call.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kpis = forms.ModelMultipleChoiceField(
        label=gettext_lazy("KPIs it moves"),
        queryset=Kpi.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, roadmap: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roadmap is not None:
            links = {
                "projects": Project.objects.filter(cluster=roadmap.cluster).order_by("title"),
                "calls": Call.objects.filter(cluster=roadmap.cluster).order_by("title"),
                "kpis": roadmap.kpis.order_by("pk"),
            }
            for name, queryset in links.items():
                field = self.fields[name]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = queryset
            participants = roadmap.participants.select_related("organisation").order_by("organisation__name")
            for name in ("owner", "contributors"):
                field = self.fields[name]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = participants
            track = self.fields["track"]
            assert isinstance(track, forms.ModelChoiceField)
            track.queryset = roadmap.tracks.order_by("order", "pk")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("trl_from"), data.get("trl_to")
        if low is not None and high is not None and low > high:
            self.add_error("trl_to", gettext_lazy("The TRL reached is at least the TRL it starts from."))
        if data.get("kind") == ItemKind.MILESTONE and data.get("duration_days"):
            self.add_error("duration_days", gettext_lazy("A milestone is a moment: its duration is 0 days."))
        return data


class ParticipantForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=[("", "—"), *ParticipantRole.choices], required=False
    )
    capacity = forms.DecimalField(
        label=gettext_lazy("Capacity (person-months per month)"),
        min_value=0,
        max_value=9999,
        decimal_places=2,
        required=False,
        help_text=gettext_lazy("What it can give to the roadmap each month; used by the levelled plan."),
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations if organisations is not None else Organisation.objects.none()


class KpiForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("KPI"), max_length=200)
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=40, required=False)
    baseline = forms.DecimalField(
        label=gettext_lazy("Baseline"), max_digits=16, decimal_places=2, required=False
    )
    target = forms.DecimalField(label=gettext_lazy("Target"), max_digits=16, decimal_places=2)
    target_on = forms.DateField(label=gettext_lazy("Target date"), required=False, widget=DateInput())
    current = forms.DecimalField(
        label=gettext_lazy("Current value"), max_digits=16, decimal_places=2, required=False
    )


class DependencyForm(forms.Form):
    predecessor = forms.ModelChoiceField(label=gettext_lazy("After"), queryset=Item.objects.none())
    successor = forms.ModelChoiceField(label=gettext_lazy("Comes"), queryset=Item.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Link"), choices=DependencyKind.choices)
    lag_days = forms.IntegerField(
        label=gettext_lazy("Lag in days"),
        initial=0,
        min_value=-MAX_DAYS,
        max_value=MAX_DAYS,
        help_text=gettext_lazy("Days to wait after the link; below zero to overlap."),
    )

    def __init__(self, *args: Any, roadmap: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roadmap is not None:
            for name in ("predecessor", "successor"):
                field = self.fields[name]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = roadmap.items.order_by("order", "pk")


class ProgressForm(forms.Form):
    actual_start = forms.DateField(label=gettext_lazy("Started on"), required=False, widget=DateInput())
    actual_finish = forms.DateField(label=gettext_lazy("Finished on"), required=False, widget=DateInput())
    percent_complete = forms.IntegerField(label=gettext_lazy("Percent complete"), min_value=0, max_value=100)


class WhatIfForm(forms.Form):
    item = forms.ChoiceField(label=gettext_lazy("If"), choices=())
    # a slip is never negative (helix.core.roadmaps.whatif): a negative one made the page fail (500)
    months = forms.IntegerField(
        label=gettext_lazy("slips by (months)"), min_value=0, max_value=120, initial=3, required=False
    )
    days = forms.IntegerField(label=gettext_lazy("or by (days)"), min_value=0, max_value=3650, required=False)

    def __init__(self, *args: Any, items: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(items)

    def slip_days(self) -> int:
        """The slip asked for, in days: the days when given, else the months at 30.44 days each."""
        data = self.cleaned_data
        if data.get("days") is not None:
            return int(data["days"])
        return round((data.get("months") or 0) * 30.44)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A spreadsheet (XLSX or CSV) with one row per item, or MS Project XML."),
    )
