"""The filters of the audit trail page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.audit.registration import audited_models
from helix.audit.services import in_cluster
from helix.registry.models import Cluster

ACTIONS = (
    (str(LogEntry.Action.CREATE), _("Created")),
    (str(LogEntry.Action.UPDATE), _("Changed")),
    (str(LogEntry.Action.DELETE), _("Deleted")),
)
SYSTEM = "-"  # the "user" filter value of changes made by no user (tasks, the CLI without --as)


def model_choices() -> list[tuple[str, str]]:
    """Audited models as (app_label.model, "Verbose name plural"), by name."""
    choices = [(m._meta.label_lower, str(m._meta.verbose_name_plural).capitalize()) for m in audited_models()]
    return sorted(choices, key=lambda choice: choice[1])


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("What"), required=False)
    object = forms.CharField(
        label=_("Object"),
        required=False,
        max_length=200,
        help_text=_("Its number, or words of its name."),
    )
    user = forms.CharField(
        label=_("Who"), required=False, max_length=150, help_text=_('A user name; "-" for the system.')
    )
    action = forms.ChoiceField(label=_("Change"), required=False, choices=[("", _("Any change")), *ACTIONS])
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)

    def __init__(self, *args: Any, clusters: QuerySet[Cluster], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("Anything")), *model_choices()]
        self.clusters = {str(c.pk): c for c in clusters.prefetch_related("names")}
        cluster_choices = sorted(
            ((pk, c.current_name) for pk, c in self.clusters.items()), key=lambda c: c[1]
        )
        self.fields["cluster"].choices = [("", _("All my clusters")), *cluster_choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end comes before the start."))
        return data

    def apply(self, entries: QuerySet[LogEntry]) -> QuerySet[LogEntry]:
        """``entries`` narrowed by the valid filters (an invalid one is shown with its error and ignored)."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        if data.get("model"):
            model = apps.get_model(data["model"])
            entries = entries.filter(content_type=ContentType.objects.get_for_model(model))
        text = (data.get("object") or "").strip()
        if text.isdigit():
            entries = entries.filter(object_id=int(text))
        elif text:
            entries = entries.filter(object_repr__icontains=text)
        who = (data.get("user") or "").strip()
        if who == SYSTEM:
            entries = entries.filter(actor__isnull=True)
        elif who:
            entries = entries.filter(actor__username__iexact=who)
        if data.get("action"):
            entries = entries.filter(action=int(data["action"]))
        zone = timezone.get_current_timezone()
        if data.get("since"):
            entries = entries.filter(timestamp__gte=dt.datetime.combine(data["since"], dt.time.min, zone))
        if data.get("until"):
            next_day = data["until"] + dt.timedelta(days=1)
            entries = entries.filter(timestamp__lt=dt.datetime.combine(next_day, dt.time.min, zone))
        if data.get("cluster") in self.clusters:
            entries = in_cluster(entries, int(data["cluster"]))
        return entries

    @property
    def filtered(self) -> bool:
        return any(v not in (None, "") for v in getattr(self, "cleaned_data", {}).values())
