"""Interactions: contacts with an organisation logged by a relationship manager."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.registry.models.clusters import Cluster
from helix.registry.models.organisations import Organisation
from helix.registry.models.people import Person


class InteractionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    VISIT = "visit", _("Company visit")
    EMAIL = "email", _("E-mail")
    EVENT = "event", _("Event")


class Interaction(models.Model):
    """A contact logged by a relationship manager."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="interactions")
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InteractionKind.choices)
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    people = models.ManyToManyField(Person, blank=True, related_name="interactions")
    summary = models.TextField(_("summary"))
    needs_identified = models.TextField(_("needs identified"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.organisation} on {self.happened_on}"
