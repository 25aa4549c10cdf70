"""Cluster roadmaps: who achieves what and when, from concept to market (docs/decisions/0007-roadmaps.md).

A :class:`Roadmap` belongs to a cluster (and, for a precluster, to its precluster project). Its content is
live rows, edited while the roadmap is a draft or being revised: participants (organisations with a role,
a commitment backed by their letter of intent, and a capacity), tracks (the cluster's innovator zones or
work domains), items (milestones, deliverables and activities with a phase, a TRL range, an owner,
contributors, dates or durations, effort, budget, funding and the projects and calls that implement
them), dependencies between items and KPIs with targets. Adopting the roadmap freezes its content as a
numbered :class:`RoadmapVersion` (the baseline). Its statuses are the states of the core's lifecycle
(helix.core.roadmaps.lifecycle); analysis and validation live in the core.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helix.market.models import Visibility
from helix.registry.models import Cluster, Domain, LetterOfIntent, Organisation


class RoadmapStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("roadmap status", "Draft")
    CONSULTATION = "consultation", pgettext_lazy("roadmap status", "In consultation")
    ADOPTED = "adopted", pgettext_lazy("roadmap status", "Adopted")
    REVISED = "revised", pgettext_lazy("roadmap status", "Being revised")


class Roadmap(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="roadmaps")
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roadmaps",
        verbose_name=_("precluster project"),
        help_text=_("For a precluster's roadmap: the precluster project it belongs to."),
    )
    key = models.SlugField(_("key"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RoadmapStatus.choices, default=RoadmapStatus.DRAFT
    )
    starts_on = models.DateField(_("starts on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by every change of content: an edit form carries the revision it was read at, and a save
    # over a newer revision is refused instead of losing the other person's change.
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["cluster", "title"]
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:detail", kwargs={"key": self.key})


class RoadmapChange(models.Model):
    """A dated step of the roadmap's lifecycle."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    changed_on = models.DateField(_("changed on"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["roadmap", "pk"]

    def __str__(self) -> str:
        return f"{self.roadmap}: {self.from_status or '–'} → {self.to_status} on {self.changed_on}"


class RoadmapVersion(models.Model):
    """The roadmap's content as adopted: the baseline progress is measured against (JSON of the core's
    roadmap, written by helix.roadmaps.convert.snapshot)."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    adopted_on = models.DateField(_("adopted on"))
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    content = models.JSONField()

    class Meta:
        ordering = ["roadmap", "number"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="roadmap_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.roadmap} v{self.number}"


class ParticipantRole(models.TextChoices):
    LEAD = "lead", pgettext_lazy("roadmap role", "Lead")
    PARTNER = "partner", pgettext_lazy("roadmap role", "Partner")
    KNOWLEDGE_PARTNER = "knowledge_partner", pgettext_lazy("roadmap role", "Knowledge partner")
    CITY = "city", pgettext_lazy("roadmap role", "City or government")
    SUPPLIER = "supplier", pgettext_lazy("roadmap role", "Supplier")
    END_USER = "end_user", pgettext_lazy("roadmap role", "End user")
    FUNDER = "funder", pgettext_lazy("roadmap role", "Funder")


class Participant(models.Model):
    """An organisation taking part in the roadmap: its role, its commitment and its capacity."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="roadmap_roles")
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices, blank=True)
    committed = models.BooleanField(_("committed"), default=False)
    letter_of_intent = models.ForeignKey(
        LetterOfIntent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roadmap_commitments",
        verbose_name=_("letter of intent"),
    )
    capacity_pm_per_month = models.DecimalField(
        _("capacity (person-months per month)"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["roadmap", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "organisation"], name="roadmap_participant_once")
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Track(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="tracks")
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    domain = models.ForeignKey(
        Domain, null=True, blank=True, on_delete=models.SET_NULL, related_name="roadmap_tracks"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["roadmap", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "key"], name="roadmap_track_unique_key")]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    MILESTONE = "milestone", _("Milestone")
    DELIVERABLE = "deliverable", _("Deliverable")
    ACTIVITY = "activity", _("Activity")


class Phase(models.TextChoices):
    CONCEPT = "concept", pgettext_lazy("roadmap phase", "Concept")
    RESEARCH = "research", pgettext_lazy("roadmap phase", "Research")
    DEVELOPMENT = "development", pgettext_lazy("roadmap phase", "Development")
    DEMONSTRATION = "demonstration", pgettext_lazy("roadmap phase", "Demonstration")
    MARKET = "market", pgettext_lazy("roadmap phase", "Market")
    RECYCLING = "recycling", pgettext_lazy("roadmap phase", "Recycling")


class Item(models.Model):
    """A milestone, deliverable or activity: who achieves what and when."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.MILESTONE)
    track = models.ForeignKey(Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, blank=True)
    trl_from = models.PositiveSmallIntegerField(_("TRL from"), null=True, blank=True)
    trl_to = models.PositiveSmallIntegerField(_("TRL to"), null=True, blank=True)
    owner = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_items"
    )
    contributors = models.ManyToManyField(Participant, blank=True, related_name="contributed_items")
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(_("duration in days"), default=0)
    budget = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2, default=0)
    funding_secured = models.DecimalField(
        _("funding secured (EUR)"), max_digits=14, decimal_places=2, default=0
    )
    projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="roadmap_items", verbose_name=_("projects")
    )
    calls = models.ManyToManyField(
        "calls.Call", blank=True, related_name="roadmap_items", verbose_name=_("calls")
    )
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    # The owner's acceptance of the commitment, asked during the consultation.
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["roadmap", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "key"], name="roadmap_item_unique_key")]

    def __str__(self) -> str:
        return self.title


class Effort(models.Model):
    """Person-months a participant puts into an item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="efforts")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="efforts")
    person_months = models.DecimalField(_("person-months"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["item", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "participant"], name="roadmap_effort_once")]

    def __str__(self) -> str:
        return f"{self.participant}: {self.person_months} PM on {self.item}"


class DependencyKind(models.TextChoices):
    FINISH_TO_START = "FS", _("Finish to start")
    START_TO_START = "SS", _("Start to start")


class Dependency(models.Model):
    predecessor = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="predecessor_links")
    kind = models.CharField(
        _("kind"), max_length=2, choices=DependencyKind.choices, default=DependencyKind.FINISH_TO_START
    )
    lag_days = models.IntegerField(_("lag in days"), default=0)

    class Meta:
        ordering = ["successor", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="roadmap_dependency_once")
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.kind} {self.lag_days:+d})"


class Kpi(models.Model):
    """A key performance indicator the roadmap aims at, with its target and the items that move it."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="kpis")
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    current = models.DecimalField(_("current value"), max_digits=16, decimal_places=2, null=True, blank=True)
    items = models.ManyToManyField(Item, blank=True, related_name="kpis")

    class Meta:
        ordering = ["roadmap", "pk"]
        verbose_name = _("KPI")
        constraints = [models.UniqueConstraint(fields=["roadmap", "key"], name="roadmap_kpi_unique_key")]

    def __str__(self) -> str:
        return self.title
