from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helix.events.models import Attendance, EventFormat
from helix.registry.models import Cluster


class EventForm(forms.Form):
    """A new event with its day of slots generated: a morning and an afternoon session."""

    cluster = forms.ModelChoiceField(queryset=Cluster.objects.none(), label=_("Cluster"))
    title = forms.CharField(max_length=200, label=_("Title"))
    venue = forms.CharField(max_length=300, required=False, label=_("Venue"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Description")
    )
    format = forms.ChoiceField(choices=EventFormat.choices, label=_("Format"))
    attendance = forms.ChoiceField(choices=Attendance.choices, label=_("On site or online"))
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    first_slot = forms.TimeField(
        label=_("First meeting starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    slot_minutes = forms.IntegerField(min_value=5, max_value=180, initial=20, label=_("Minutes per meeting"))
    gap_minutes = forms.IntegerField(
        min_value=0, max_value=60, initial=5, label=_("Minutes between meetings")
    )
    morning_slots = forms.IntegerField(
        min_value=0, max_value=40, initial=6, label=_("Meetings in the morning")
    )
    lunch_minutes = forms.IntegerField(
        min_value=0, max_value=240, initial=60, label=_("Lunch break (minutes)")
    )
    afternoon_slots = forms.IntegerField(
        min_value=0, max_value=40, initial=6, label=_("Meetings in the afternoon")
    )
    tables = forms.IntegerField(min_value=0, max_value=2000, initial=20, label=_("Meeting tables"))
    request_deadline = forms.DateTimeField(
        required=False,
        label=_("Requests answered by"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Unanswered requests expire then and never take a slot."),
    )
    open_now = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Open for registration now"),
        help_text=_("Unticked, the event stays a draft that only its organisers see until they open it."),
    )

    def __init__(self, *args: Any, clusters: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters if clusters is not None else Cluster.objects.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("morning_slots") or 0) + (data.get("afternoon_slots") or 0) < 1:
            raise forms.ValidationError(_("An event needs at least one meeting slot."))
        return data
