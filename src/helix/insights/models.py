"""What insights keep: the figures staff enter for the indicators Helix cannot compute, each with its
source; the cluster as the subject of its indicators (a proxy, for the permission table); the stories of
its showcase with the organisations they feature and their approval; links to partner initiatives."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helix.core.insights import STAFF_ENTERED, programmes, stories
from helix.market.models import Visibility
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


# ---- programme cycles (helix.core.insights.programmes) ---------------------------------------------


class Programme(models.Model):
    """A programme that runs in cycles of four phases (Smart Energy Cities: cities and industry around
    work domains), organised by a cluster with partner organisations."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisers = models.ManyToManyField(
        Organisation, blank=True, related_name="programmes_organised", verbose_name=_("organisers")
    )
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cluster", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class CycleState(models.TextChoices):
    PLANNED = programmes.PLANNED, pgettext_lazy("cycle state", "Planned")
    NEEDS_INVENTORY = programmes.NEEDS_INVENTORY, _("Needs inventory")
    DEEPENING = programmes.DEEPENING, _("Deepening and matchmaking")
    TRAJECTORIES = programmes.TRAJECTORIES, _("Innovation trajectories and working tables")
    DISSEMINATION = programmes.DISSEMINATION, _("Dissemination")
    CLOSED = programmes.CLOSED, pgettext_lazy("cycle state", "Closed")


class Cycle(models.Model):
    """One cycle of a programme: its work domains, chosen from the needs of the moment, and the phase
    it is in (helix.core.insights.programmes.CYCLE_WORKFLOW), with its dated steps."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField(_("cycle"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(
        _("phase"), max_length=20, choices=CycleState.choices, default=CycleState.PLANNED
    )
    work_domains = models.ManyToManyField(
        Domain, blank=True, related_name="programme_cycles", verbose_name=_("work domains")
    )
    domains_note = models.CharField(
        _("why these work domains"),
        max_length=400,
        blank=True,
        help_text=_("What the needs of the moment asked for."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("programme cycle")
        verbose_name_plural = _("programme cycles")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="cycle_number_once"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cycle_period"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.number}"


class CycleStep(models.Model):
    """A dated move of a cycle into a phase."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="steps")
    state = models.CharField(max_length=20, choices=CycleState.choices)
    on = models.DateField(default=timezone.localdate)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.cycle} {self.state} on {self.on}"


class OutputKind(models.TextChoices):
    GUIDE = "guide", _("Guide or handbook")
    SPECIFICATION = "specification", _("Specification or tender document")
    BUSINESS_MODEL = "business_model", _("Business model")
    TOOL = "tool", _("Tool or template")
    DATASET = "dataset", _("Dataset")
    REPORT = "report", _("Report")


class Output(models.Model):
    """What a phase produced (a working table's tender template, a trajectory's business model), for
    other cities with the same problem to reuse."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="outputs")
    phase = models.CharField(
        _("phase"),
        max_length=20,
        choices=[(s, label) for s, label in CycleState.choices if s in programmes.PHASE_CODES],
        default=programmes.TRAJECTORIES,
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outputs",
        verbose_name=_("working table or trajectory"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OutputKind.choices, default=OutputKind.GUIDE)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what it is and who can use it"))
    url = models.URLField(_("where to find it"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch"), ("en", "English")],
    )
    domains = models.ManyToManyField(Domain, blank=True, related_name="outputs", verbose_name=_("domains"))
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    published_on = models.DateField(_("published on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")

    def __str__(self) -> str:
        return self.title


class PhaseLink(models.Model):
    """A need, event or project a phase of a cycle inventoried, held or ran (exactly one of them)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="links")
    phase = models.CharField(
        max_length=20, choices=[(s, label) for s, label in CycleState.choices if s in programmes.PHASE_CODES]
    )
    need = models.ForeignKey(
        "market.Listing", null=True, blank=True, on_delete=models.CASCADE, related_name="phase_links"
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="phase_links"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="phase_links"
    )
    added_on = models.DateField(default=timezone.localdate)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "phase", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(need__isnull=False, event__isnull=True, project__isnull=True)
                    | Q(need__isnull=True, event__isnull=False, project__isnull=True)
                    | Q(need__isnull=True, event__isnull=True, project__isnull=False)
                ),
                name="phaselink_one_record",
            ),
            models.UniqueConstraint(fields=["cycle", "phase", "need"], name="phaselink_need_once"),
            models.UniqueConstraint(fields=["cycle", "phase", "event"], name="phaselink_event_once"),
            models.UniqueConstraint(fields=["cycle", "phase", "project"], name="phaselink_project_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.phase}: {self.kind} {self.need_id or self.event_id or self.project_id}"

    @property
    def kind(self) -> str:
        if self.need_id:
            return programmes.NEED
        return programmes.EVENT if self.event_id else programmes.PROJECT

    @property
    def record(self) -> Any:
        return self.need or self.event or self.project


class OutputReuse(models.Model):
    """An organisation (another city) that reuses an output, and what for."""

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="reuses")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="outputs_reused")
    note = models.CharField(_("what for"), max_length=300, blank=True)
    on = models.DateField(default=timezone.localdate)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["output", "-on", "pk"]
        constraints = [models.UniqueConstraint(fields=["output", "organisation"], name="reuse_once")]

    def __str__(self) -> str:
        return f"{self.organisation} reuses {self.output}"
