"""Clusters, the history of their names, and the domains inside a cluster."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.registry.models.organisations import Organisation


class Cluster(models.Model):
    """A cluster; its name can change over time (see ClusterName)."""

    slug = models.SlugField(max_length=80, unique=True)
    operator = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="operated_clusters",
        verbose_name=_("run by"),
        help_text=_("The cluster organisation or agency that runs it."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The fund's rule "only clusters with an adopted roadmap" (calls' eligibility) reads it; the roadmaps
    # themselves (issue 15) will set it when one is adopted.
    roadmap_adopted_on = models.DateField(_("roadmap adopted on"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.current_name

    def get_absolute_url(self) -> str:
        return reverse("registry:cluster", args=[self.slug])

    def name_on(self, day) -> str:  # type: ignore[no-untyped-def]
        names = list(self.names.all())
        for name in sorted(names, key=lambda n: n.valid_from, reverse=True):
            if name.valid_from <= day:
                return name.name
        return names[0].name if names else self.slug

    @property
    def current_name(self) -> str:
        return self.name_on(timezone.localdate())


class ClusterName(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=150)
    valid_from = models.DateField(_("valid from"))

    class Meta:
        ordering = ["cluster", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "valid_from"], name="cluster_one_name_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (from {self.valid_from})"


class DomainKind(models.TextChoices):
    INNOVATOR_ZONE = "innovator_zone", _("Innovator zone")
    WORK_DOMAIN = "work_domain", _("Work domain")
    THEME = "theme", _("Theme")


class Domain(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="domains")
    kind = models.CharField(_("kind"), max_length=20, choices=DomainKind.choices)
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(max_length=80)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["cluster", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "slug"], name="domain_unique_slug_per_cluster")
        ]

    def __str__(self) -> str:
        return self.name
