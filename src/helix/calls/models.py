"""Calls for proposals, their applications and their review (docs/decisions/0006).

A :class:`Call` keeps its definition as data: ``definition`` holds the call spec that
:func:`helix.core.calls.definition.load_call` reads (stages with deadlines in time zones, forms, rules,
caps), checked through the core on every save. Its status is a state of the core's call lifecycle
(helix.core.calls.lifecycle), and every move leaves a :class:`CallChange`.

An :class:`Application` is one consortium's proposal to a call: a lead organisation and co-applicants
(:class:`Applicant`), whose people edit the same draft together (``revision`` refuses a save made on a
stale copy instead of overwriting a partner's work), its answers per stage, its attachments, and one
:class:`Submission` per stage submitted: the answers as sent, their digest and a receipt code.

Review: a call's :class:`Reviewer` (a person with expertise), a :class:`DeclaredConflict`, the
:class:`ReviewAssignment` the solver made, and the :class:`Review` with its scores against the call's
rubric. An :class:`Award` records the funding decision of a selected application, the ledger entry
that committed it and the project it became.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helix.core.calls import lifecycle as core
from helix.market.models import Visibility
from helix.private_files import private_storage
from helix.registry.models import Cluster, Organisation, Person


class CallStatus(models.TextChoices):
    DRAFT = core.CallStatus.DRAFT.value, pgettext_lazy("call status", "Draft")
    OPEN = core.CallStatus.OPEN.value, pgettext_lazy("call status", "Open")
    CLOSED = core.CallStatus.CLOSED.value, pgettext_lazy("call status", "Closed")
    REVIEWING = core.CallStatus.REVIEWING.value, pgettext_lazy("call status", "In review")
    DECIDED = core.CallStatus.DECIDED.value, pgettext_lazy("call status", "Decided")
    ARCHIVED = core.CallStatus.ARCHIVED.value, pgettext_lazy("call status", "Archived")


class ApplicationStatus(models.TextChoices):
    DRAFT = core.ApplicationStatus.DRAFT.value, pgettext_lazy("application status", "Draft")
    SUBMITTED = core.ApplicationStatus.SUBMITTED.value, pgettext_lazy("application status", "Submitted")
    ELIGIBLE = core.ApplicationStatus.ELIGIBLE.value, pgettext_lazy("application status", "Eligible")
    INELIGIBLE = core.ApplicationStatus.INELIGIBLE.value, pgettext_lazy("application status", "Not eligible")
    IN_REVIEW = core.ApplicationStatus.IN_REVIEW.value, pgettext_lazy("application status", "In review")
    SELECTED = core.ApplicationStatus.SELECTED.value, pgettext_lazy("application status", "Selected")
    REJECTED = core.ApplicationStatus.REJECTED.value, pgettext_lazy("application status", "Not selected")
    FUNDED = core.ApplicationStatus.FUNDED.value, pgettext_lazy("application status", "Funded")
    WITHDRAWN = core.ApplicationStatus.WITHDRAWN.value, pgettext_lazy("application status", "Withdrawn")


class Call(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="calls")
    key = models.SlugField(_("key"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    definition = models.JSONField(
        _("definition"), help_text=_("The call as data: stages, deadlines, forms, eligibility rules, caps.")
    )
    instrument = models.ForeignKey(
        "funds.Instrument", null=True, blank=True, on_delete=models.PROTECT, related_name="calls"
    )
    budget_eur = models.DecimalField(
        _("budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reviews_per_application = models.PositiveSmallIntegerField(_("reviews per application"), default=3)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "title"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_eur__isnull=True) | Q(budget_eur__gte=0), name="call_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reviews_per_application__gte=1), name="call_reviews_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saved only with a definition and a rubric the core reads (``clean``), whichever path saves."""
        self.full_clean(exclude=["created_by"])
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from helix.calls.validation import validate_call  # the rules are in helix.core.calls

        validate_call(self)


class CallChange(models.Model):
    """One dated step of a call through its lifecycle."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["call", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.call}: {self.from_status or '–'} → {self.to_status}"


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    stage = models.CharField(_("stage"), max_length=60, help_text=_("The stage of the call it is at."))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    answers = models.JSONField(
        _("answers"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )  # stage -> {field: value}
    language = models.CharField(
        _("language of correspondence"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    requested_eur = models.DecimalField(
        _("requested (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_cost_eur = models.DecimalField(
        _("total cost (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    eligibility = models.JSONField(
        default=list, blank=True, editable=False, encoder=DjangoJSONEncoder
    )  # the last judgement's outcomes
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["call", "title", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.title

    @property
    def lead(self) -> Organisation | None:
        for applicant in self.applicants.all():
            if applicant.lead:
                return applicant.organisation
        return None


class Applicant(models.Model):
    """An organisation applying: the lead (who submits) or a co-applicant (who edits the draft too)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="applicants")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications")
    lead = models.BooleanField(_("lead applicant"), default=False)
    requested_eur = models.DecimalField(
        _("requested (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "-lead", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "organisation"], name="applicant_once"),
            models.UniqueConstraint(
                fields=["application"], condition=Q(lead=True), name="application_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({'lead' if self.lead else 'co-applicant'})"


class ApplicationChange(models.Model):
    """One dated step of an application through its lifecycle."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["application", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status or '–'} → {self.to_status}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"calls/{instance.application.call_id}/{instance.application_id}/{filename}"


class Attachment(models.Model):
    """A file answering a file field of the form (a stage's), kept privately."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    stage = models.CharField(max_length=60)
    field = models.CharField(max_length=60)
    file = models.FileField(storage=private_storage, upload_to=_attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "stage", "field", "-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """A stage submitted: the answers as sent, their digest, and the receipt's code."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="submissions")
    stage = models.CharField(max_length=60)
    receipt = models.CharField(_("receipt"), max_length=40, unique=True)
    answers = models.JSONField(encoder=DjangoJSONEncoder, blank=True)
    attachments = models.JSONField(default=list, blank=True)  # [{field, name, size, sha256}]
    digest = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["application", "submitted_at", "pk"]

    def __str__(self) -> str:
        return self.receipt


class Reviewer(models.Model):
    """A person who reviews applications to a call, with the expertise the assignment fits on."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reviewers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="review_roles")
    expertise = models.CharField(
        _("expertise"), max_length=500, blank=True, help_text=_("Keywords, separated by commas.")
    )
    max_reviews = models.PositiveSmallIntegerField(_("at most this many reviews"), null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["call", "person__last_name", "person__first_name"]
        constraints = [models.UniqueConstraint(fields=["call", "person"], name="reviewer_once")]

    def __str__(self) -> str:
        return f"{self.person} ({self.call})"


class DeclaredConflict(models.Model):
    """A conflict of interest a reviewer (or staff) declared with an application."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="declared_conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="declared_conflicts")
    note = models.CharField(_("why"), max_length=300, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "application"], name="declared_conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer.person} declared a conflict with {self.application}"


class ReviewAssignment(models.Model):
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    fit = models.FloatField(default=0.0)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "reviewer"]
        constraints = [models.UniqueConstraint(fields=["reviewer", "application"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.reviewer.person} reviews {self.application}"


class Review(models.Model):
    """A reviewer's scores (criterion id -> score) and comments; submitted once complete."""

    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    comment = models.TextField(_("comments for the applicants"), blank=True)
    staff_note = models.TextField(_("note for the staff"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Review of {self.assignment.application} by {self.assignment.reviewer.person}"


class Award(models.Model):
    """The funding decision on an application: the amount, the ledger entry that committed it, and the
    project it became."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    amount_eur = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2)
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=10, default="rank")  # rank | optimal | manual
    ledger_entries = models.ManyToManyField("funds.LedgerEntry", blank=True, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount_eur__gte=0), name="award_not_negative")]

    def __str__(self) -> str:
        return f"{self.application}: {self.amount_eur}"
