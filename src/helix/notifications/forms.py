from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from helix.notifications.models import Delivery, Kind, NotificationSettings


class PreferencesForm(forms.Form):
    """The language of the mail, and per kind: no e-mail, at once, or in the daily digest."""

    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=settings.LANGUAGES,
        help_text=_("Notifications in Helix follow the language of the page."),
    )

    def __init__(self, *args: Any, current: NotificationSettings, **kwargs: Any) -> None:
        initial = {"language": current.language or settings.LANGUAGE_CODE}
        initial.update({kind.value: current.delivery(kind.value) for kind in Kind})
        super().__init__(*args, initial=initial, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, widget=forms.RadioSelect
            )

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[kind.value] for kind in Kind]

    def deliveries(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[kind.value] for kind in Kind}
