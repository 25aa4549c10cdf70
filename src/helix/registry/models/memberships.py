"""An organisation's place in a cluster on the engagement ladder: memberships, their dated history and
letters of intent. The ladder's rules live in :mod:`helix.core.registry.ladder`; here are its labels."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.core.registry.ladder import EngagementLevel, rung
from helix.private_files import private_storage
from helix.registry.models.clusters import Cluster, Domain
from helix.registry.models.organisations import Organisation
from helix.registry.models.people import Person

ENGAGEMENT_LABELS = {
    EngagementLevel.INTERESTED: _("Interested"),
    EngagementLevel.LOI_SIGNED: _("Letter of intent signed"),
    EngagementLevel.MEMBER: _("Member"),
    EngagementLevel.STRATEGIC_PARTNER: _("Strategic partner"),
    EngagementLevel.LEFT: _("Left"),
}


def engagement_label(level: str) -> str:
    """The engagement level in the reader's language; unknown values are shown as they are."""
    try:
        return str(ENGAGEMENT_LABELS[EngagementLevel(level)])
    except ValueError:
        return level


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    level = models.CharField(
        _("engagement level"),
        max_length=20,
        choices=[(level.value, label) for level, label in ENGAGEMENT_LABELS.items()],
        default=EngagementLevel.INTERESTED,
    )
    since = models.DateField(_("at this level since"), default=timezone.localdate)
    domains = models.ManyToManyField(Domain, blank=True, related_name="memberships")
    relationship_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_memberships",
    )

    class Meta:
        ordering = ["cluster", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "cluster"], name="membership_one_per_cluster"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.cluster} ({self.level})"

    @property
    def rung(self) -> int:
        return rung(self.level)


class MembershipChange(models.Model):
    """One dated step of a membership on the engagement ladder (the history)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="changes")
    from_level = models.CharField(max_length=20, blank=True)
    to_level = models.CharField(max_length=20)
    changed_on = models.DateField(default=timezone.localdate)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["membership", "changed_on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.membership}: {self.from_level or '–'} → {self.to_level} on {self.changed_on}"


class LetterOfIntent(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="letters_of_intent")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="letters_of_intent")
    signed_on = models.DateField(_("signed on"))
    signatory = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="signed_letters"
    )
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    # Private: sent only by registry.documents.letter_document, after its permission check.
    document = models.FileField(
        _("document"), upload_to="letters-of-intent/%Y/", storage=private_storage, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("letter of intent")
        verbose_name_plural = _("letters of intent")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.cluster} ({self.signed_on})"

    @property
    def signed_by(self) -> str:
        return self.signatory.full_name if self.signatory else self.signatory_name
