"""What insights keep: the figures staff enter for the indicators Helix cannot compute, each with its
source; the cluster as the subject of its indicators (a proxy, for the permission table); the stories of
its showcase with the organisations they feature and their approval; links to partner initiatives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helix.core.insights import STAFF_ENTERED, stories
from helix.registry.models import Cluster, Domain, Organisation


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


class StoryKind(models.TextChoices):
    SUCCESS_STORY = stories.SUCCESS_STORY, _("Success story")
    GOOD_PRACTICE = stories.GOOD_PRACTICE, _("Good practice")
    NEWS = stories.NEWS, _("News")


class StoryStatus(models.TextChoices):
    DRAFT = stories.DRAFT, pgettext_lazy("story status", "Draft")
    PUBLISHED = stories.PUBLISHED, pgettext_lazy("story status", "Published")
    WITHDRAWN = stories.WITHDRAWN, pgettext_lazy("story status", "Withdrawn")


class Story(models.Model):
    """A success story, a good practice or a news item of a cluster, for its public showcase once
    published and approved by every organisation it features (helix.core.insights.stories)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="stories")
    kind = models.CharField(
        _("kind"), max_length=20, choices=StoryKind.choices, default=StoryKind.SUCCESS_STORY
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=400, help_text=_("One or two sentences for the list.")
    )
    body = models.TextField(_("story"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch"), ("en", "English")],
    )
    domains = models.ManyToManyField(Domain, blank=True, related_name="stories", verbose_name=_("domains"))
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        verbose_name=_("project"),
    )
    synergy = models.ForeignKey(
        "symbiosis.Synergy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        verbose_name=_("synergy"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=StoryStatus.choices, default=StoryStatus.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return self.title


class FeaturedOrganisation(models.Model):
    """An organisation a story features, and when its people approved showing it."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="featured")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="featured_in")
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["story", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["story", "organisation"], name="featured_once")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.story}"


class PartnerLink(models.Model):
    """A partner initiative the cluster links to from its showcase (a sister cluster, a regional
    programme, an observatory)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="partner_links")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address"))
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["cluster", "name"]
        verbose_name = _("partner initiative")
        verbose_name_plural = _("partner initiatives")

    def __str__(self) -> str:
        return self.name
