"""Cluster staff: which users edit everything in which clusters."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from helix.registry.models.clusters import Cluster


class StaffAssignment(models.Model):
    """Cluster staff: a user who edits everything in the clusters assigned here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_assignments"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="staff_assignments")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "cluster"], name="staff_assignment_once")]

    def __str__(self) -> str:
        return f"{self.user} staff of {self.cluster}"
