"""Projects and their consortia: precluster and flagship projects, innovation trajectories, living labs,
working tables, feasibility studies and transformation pathways (docs/decisions/0006).

Its statuses are the states of the core's lifecycle (helix.core.projects.lifecycle). A project's type is
a key into the types declared as data in helix.core.projects (not a choice list
here: a new type needs no migration). Its lifecycle, consortium rules and budget rules live in the core;
these models keep the data, the dated history and the links to what the project came from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helix.market.models import Listing, MeetingRequest, Visibility
from helix.registry.models import Cluster, Domain, Organisation


class ProjectStatus(models.TextChoices):
    IDEA = "idea", pgettext_lazy("project status", "Idea")
    FORMING = "consortium_forming", pgettext_lazy("project status", "Consortium forming")
    SUBMITTED = "submitted", pgettext_lazy("project status", "Submitted")
    APPROVED = "approved", pgettext_lazy("project status", "Approved")
    REJECTED = "rejected", pgettext_lazy("project status", "Rejected")
    RUNNING = "running", pgettext_lazy("project status", "Running")
    CLOSED = "closed", pgettext_lazy("project status", "Closed")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")
    CITY_HOST = "city_host", _("City host")
    KNOWLEDGE_PARTNER = "knowledge_partner", _("Knowledge partner")


class Project(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="projects")
    kind = models.CharField(
        _("type"), max_length=40, help_text=_("A project type declared in the core's data.")
    )
    title = models.CharField(_("title"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.IDEA
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("duration in months"), null=True, blank=True)
    domains = models.ManyToManyField(Domain, blank=True, related_name="projects", verbose_name=_("domains"))
    # What the project came from: needs and offers, meetings, events, synergies.
    listings = models.ManyToManyField(Listing, blank=True, related_name="projects")
    meeting_requests = models.ManyToManyField(MeetingRequest, blank=True, related_name="projects")
    events = models.ManyToManyField("events.Event", blank=True, related_name="projects")
    synergies = models.ManyToManyField("symbiosis.Synergy", blank=True, related_name="projects")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["cluster", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.acronym or self.title


class ProjectMember(models.Model):
    """An organisation in a project's consortium, with its role."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="project_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    class Meta:
        ordering = ["project", "role", "organisation__name"]
        constraints = [
            # "no partner twice": the database says so too
            models.UniqueConstraint(fields=["project", "organisation"], name="project_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.project} ({self.role})"


class ProjectChange(models.Model):
    """One dated step of a project through its lifecycle (the history)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    changed_on = models.DateField(default=timezone.localdate)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "changed_on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_status or '–'} → {self.to_status} on {self.changed_on}"


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other direct costs")
    INDIRECT = "indirect", _("Indirect costs")


class BudgetLine(models.Model):
    """A partner's planned cost in one year and category, in euros."""

    member = models.ForeignKey(ProjectMember, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["member", "year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "category"], name="budget_line_once"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member.organisation} {self.year} {self.category}: {self.amount}"


class SourceKind(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy")
    OWN = "own", _("Own contribution")
    PRIVATE = "private", _("Private co-financing")
    LOAN = "loan", _("Loan")
    EQUITY = "equity", _("Equity")


class FundingSource(models.Model):
    """Money that pays for the project: a partner's own contribution, a subsidy of an instrument, ..."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_sources")
    member = models.ForeignKey(
        ProjectMember, null=True, blank=True, on_delete=models.CASCADE, related_name="funding_sources"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    instrument = models.CharField(_("instrument"), max_length=120, blank=True)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["project", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="funding_source_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.kind} {self.amount}"


class Milestone(models.Model):
    """A milestone or a deliverable, due in a month of the project (1 = its first month)."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("Milestone")
        DELIVERABLE = "deliverable", _("Deliverable")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MILESTONE)
    title = models.CharField(_("title"), max_length=200)
    due_month = models.PositiveSmallIntegerField(_("due in month"))
    lead = models.ForeignKey(
        ProjectMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "due_month", "title"]

    def __str__(self) -> str:
        return f"{self.project} M{self.due_month}: {self.title}"


class ProjectReport(models.Model):
    """A progress or final report of a project, for a period."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    text = models.TextField(_("report"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "period_start"]

    def __str__(self) -> str:
        return f"{self.project}: {self.title}"


class RecommenderModel(models.Model):
    """The partner recommender's weights learned from every past consortium and accepted meeting
    (helix.projects.recommender, a background job); the newest one whose features are the core's is in
    use. Weights say how much each kind of evidence counts, nothing of any one project."""

    features = models.JSONField()  # the core's feature names, in order
    weights = models.JSONField()
    mean = models.JSONField()
    scale = models.JSONField()
    cases = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"partner recommender of {self.created_at:%Y-%m-%d %H:%M} ({self.cases} cases)"
