"""Sectoral advisory groups of a cluster and the people who sit on them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from helix.registry.models.clusters import Cluster
from helix.registry.models.people import Person


class AdvisoryGroup(models.Model):
    """A sectoral advisory group: about ten stakeholders from industry, research and public bodies."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="advisory_groups")
    name = models.CharField(_("name"), max_length=150)
    target_size = models.PositiveSmallIntegerField(_("target size"), default=10)

    class Meta:
        ordering = ["cluster", "name"]

    def __str__(self) -> str:
        return self.name


class AdvisorySeat(models.Model):
    group = models.ForeignKey(AdvisoryGroup, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="advisory_seats")
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        ordering = ["group", "-is_chair", "person__last_name"]
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="advisory_seat_once")]

    def __str__(self) -> str:
        return f"{self.person} in {self.group}"
