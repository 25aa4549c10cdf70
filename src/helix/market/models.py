"""Needs (demand) and offers (supply), their embeddings, feedback on suggestions and meeting requests."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helix.registry.models import Domain, Keyword, Organisation, Sector, Site

LISTING_LIFETIME_DAYS = 180


class Side(models.TextChoices):
    NEED = "need", _("Need")
    OFFER = "offer", _("Offer")


class Category(models.TextChoices):
    # needs
    SOLUTION = "solution", _("Solution")
    RESEARCH = "research", _("Research or development")
    PARTNER = "partner", _("Project partner")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure or equipment")
    # offers only
    COMPETENCE = "competence", _("Competence or expertise")
    TEST_FACILITY = "test_facility", _("Test facility or living lab")


NEED_CATEGORIES = (Category.SOLUTION, Category.RESEARCH, Category.PARTNER, Category.INFRASTRUCTURE)
OFFER_CATEGORIES = (Category.SOLUTION, Category.COMPETENCE, Category.INFRASTRUCTURE, Category.TEST_FACILITY)


class Visibility(models.TextChoices):
    # "Public" as in "anyone may see it", not the government: a context of its own (issue 12)
    PUBLIC = "public", pgettext_lazy("visibility", "Public")
    MEMBERS = "members", _("Members of our clusters")
    STAFF = "staff", _("Cluster staff only")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    FULFILLED = "fulfilled", _("Fulfilled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Language(models.TextChoices):
    NL = "nl", "Nederlands"
    FR = "fr", "Français"
    DE = "de", "Deutsch"
    EN = "en", "English"


class ListingQuerySet(models.QuerySet["Listing"]):
    def active(self, today: dt.date | None = None) -> ListingQuerySet:
        """Published and not expired: what is matched and browsed."""
        today = today or timezone.localdate()
        return self.filter(status=Status.PUBLISHED, expires_on__gte=today)


class Listing(models.Model):
    side = models.CharField(_("need or offer"), max_length=5, choices=Side.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="listings", verbose_name=_("organisation")
    )
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="listings",
        verbose_name=_("site"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, editable=False)
    domains = models.ManyToManyField(Domain, blank=True, related_name="listings", verbose_name=_("domains"))
    sectors = models.ManyToManyField(Sector, blank=True, related_name="listings", verbose_name=_("sectors"))
    keywords = models.ManyToManyField(
        Keyword, blank=True, related_name="listings", verbose_name=_("keywords")
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        help_text=_("Offer: its readiness today. Need: the lowest readiness you can use (1-9)."),
    )
    budget_min = models.PositiveIntegerField(_("budget or price from (EUR)"), null=True, blank=True)
    budget_max = models.PositiveIntegerField(_("budget or price up to (EUR)"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)
    index_seq = models.BigIntegerField(
        default=0, editable=False, db_index=True
    )  # IndexState.seq at last save
    search_text = models.TextField(editable=False, blank=True, default="")
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["side", "status", "expires_on"]),
            models.Index(fields=["organisation", "side"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(trl__isnull=True) | Q(trl__gte=1, trl__lte=9), name="listing_trl_1_9"
            ),
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_min__lte=models.F("budget_max")),
                name="listing_budget_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="listing_visibility_known"
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="listing_status_known"),
            models.CheckConstraint(
                condition=(Q(side="need") & Q(category__in=[c.value for c in NEED_CATEGORIES]))
                | (Q(side="offer") & Q(category__in=[c.value for c in OFFER_CATEGORIES])),
                name="listing_category_fits_side",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:listing", args=[self.pk])

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}".strip()

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()

    @property
    def is_active(self) -> bool:
        return self.status == Status.PUBLISHED and not self.is_expired


class ListingVector(models.Model):
    """A listing's stored embedding, so a restart or another process need not re-embed it."""

    listing = models.OneToOneField(Listing, on_delete=models.CASCADE, primary_key=True, related_name="vector")
    encoder = models.CharField(max_length=80)  # "name:version"
    dim = models.PositiveIntegerField()
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"vector of listing {self.listing_id} ({self.encoder})"


class IndexState(models.Model):
    """One row: a counter bumped by every change the match index must follow."""

    seq = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"index state {self.seq}"


class Verdict(models.TextChoices):
    RELEVANT = "relevant", _("Relevant")
    NOT_RELEVANT = "not_relevant", _("Not relevant")
    CONTACTED = "contacted", _("Contacted")
    MEETING_HELD = "meeting_held", _("Meeting held")
    AGREEMENT = "agreement", _("Agreement reached")


class RankerWeights(models.Model):
    """A set of ranker weights learned from feedback; the newest one is in use."""

    values = models.JSONField()
    trained_on = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)
    accuracy_before = models.FloatField(null=True, blank=True)
    accuracy_after = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"weights of {self.created_at:%Y-%m-%d %H:%M} ({self.trained_on} verdicts)"


class Feedback(models.Model):
    """One person's verdict on one suggested (need, offer) pair, with the features it was shown with."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_feedback"
    )
    need = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=15, choices=Verdict.choices)
    score = models.FloatField()
    features = models.JSONField()
    weights = models.ForeignKey(
        RankerWeights, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "need", "offer", "verdict"], name="feedback_once_per_verdict"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verdict}: need {self.need_id} / offer {self.offer_id}"


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MeetingRequest(models.Model):
    """A request, made from a match, that two organisations meet. Events pick these up."""

    need = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="meeting_requests"
    )
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="meetings_asked"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="meetings_received"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "offer", "from_organisation"],
                condition=Q(status="requested"),
                name="meeting_request_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"meeting {self.from_organisation} → {self.to_organisation} ({self.status})"
