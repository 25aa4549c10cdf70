from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helix.events.models import Attendance, EventFormat, Role
from helix.registry.models import Cluster, Organisation, Person

# The time zones of the clusters Helix serves first, then their neighbours'.
TIME_ZONES = (
    "Europe/Brussels",
    "Europe/Luxembourg",
    "Europe/Amsterdam",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/London",
    "UTC",
)


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
    time_zone = forms.ChoiceField(
        choices=[(zone, zone) for zone in TIME_ZONES],
        initial="Europe/Brussels",
        label=_("Time zone"),
        help_text=_("The day and hours below are in this time zone; participants read them in it."),
    )
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


class SignupForm(forms.Form):
    """A visitor without a person record in Helix asks to take part; the organisers confirm."""

    first_name = forms.CharField(max_length=100, label=_("First name"))
    last_name = forms.CharField(max_length=100, label=_("Last name"))
    email = forms.EmailField(label=_("E-mail"))
    organisation_name = forms.CharField(max_length=200, label=_("Organisation"))
    message = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Message to the organisers"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AddParticipantForm(forms.Form):
    """The organiser registers a person of an organisation: one of its people, or a new one."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Person"),
        empty_label=_("A new person (below)"),
    )
    first_name = forms.CharField(max_length=100, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=100, required=False, label=_("Last name"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    role = forms.ChoiceField(choices=Role.choices, initial=Role.PARTICIPANT, label=_("Role"))
    online = forms.BooleanField(required=False, label=_("Attends online"))

    def __init__(self, *args: Any, organisations: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["person"].queryset = people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person") is None and not (data.get("first_name") and data.get("last_name")):
            raise forms.ValidationError(_("Choose a person, or give a new person's first and last name."))
        if data.get("person") is None and not data.get("email"):
            self.add_error("email", _("A new person needs an e-mail address."))
        return data


class ImportParticipantsForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "One row per person, columns: organisation (its slug or exact name), first_name, last_name, "
            "email, and optionally role (participant, host, visitor), online (yes/no), online_link."
        ),
    )

    def clean_file(self) -> Any:
        from helix.uploads import check_table_upload

        return check_table_upload(self.cleaned_data["file"])


class ProfileForm(forms.Form):
    """What a participant offers and seeks at the event, and where it meets online."""

    offers = forms.CharField(
        required=False,
        max_length=2000,
        label=_("What we offer at this event"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seeks = forms.CharField(
        required=False,
        max_length=2000,
        label=_("What we seek at this event"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    online = forms.BooleanField(required=False, label=_("We meet online"))
    online_link = forms.URLField(
        required=False,
        assume_scheme="https",
        label=_("Online meeting link"),
        help_text=_("Your video meeting room (https://…): shown to the participants you meet online."),
    )
