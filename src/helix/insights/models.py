"""What insights keep: the figures staff enter for the indicators Helix cannot compute, each with its
source; and the cluster as the subject of its indicators (a proxy, for the permission table)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.core.insights import STAFF_ENTERED
from helix.registry.models import Cluster


class ClusterInsights(Cluster):
    """A cluster seen through its indicators: the object the insights permission table is about."""

    class Meta:
        proxy = True
        verbose_name = _("cluster indicators")
        verbose_name_plural = _("cluster indicators")


class StaffValue(models.Model):
    """A figure staff entered for an indicator (the management's FTE, press mentions ...), valid for a
    period, with where it comes from. Never edited: a corrected figure is a new entry, and the latest
    entry covering a period is the one used, so the earlier ones stay as the record of what was said."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="indicator_values")
    code = models.CharField(_("indicator"), max_length=40, choices=[(c, c) for c in STAFF_ENTERED])
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    period_start = models.DateField(_("valid from"))
    period_end = models.DateField(_("valid until"))
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the figure comes from: a document, a count, a register."),
    )
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    entered_on = models.DateField(_("entered on"), default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cluster", "code", "-period_end", "-entered_on", "-pk"]
        verbose_name = _("indicator value entered by staff")
        verbose_name_plural = _("indicator values entered by staff")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="staffvalue_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster.slug} {self.code} = {self.value} ({self.period_start}/{self.period_end})"
