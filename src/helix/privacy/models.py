"""Privacy records: every consent given or withdrawn (who, when, how) and every erasure (what was removed,
never the personal data itself)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helix.registry.models import Person


class Consent(models.TextChoices):
    """The consents a person gives; each is a boolean field ``consent_<value>`` of registry.Person."""

    CONTACT = "contact", _("to be contacted")
    NEWSLETTER = "newsletter", _("to receive the newsletter")
    PUBLIC = "public", _("to appear on the public profile")


class Channel(models.TextChoices):
    """How a consent change or an erasure reached Helix."""

    FORM = "form", _("form (staff)")
    SELF_SERVICE = "self_service", _("self-service (the person)")
    API = "api", _("API")
    IMPORT = "import", _("import")
    CLI = "cli", _("command line")
    ADMIN = "admin", _("admin")
    ERASURE = "erasure", _("erasure")


class ConsentRecord(models.Model):
    """One consent given or withdrawn. Rows are only ever added: the history is the evidence."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consent_records")
    consent = models.CharField(_("consent"), max_length=12, choices=Consent.choices)
    given = models.BooleanField(_("given"), help_text=_("False: withdrawn."))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    how = models.CharField(_("how"), max_length=12, choices=Channel.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["person", "-at", "-pk"]
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        verb = "given" if self.given else "withdrawn"
        return f"{self.person_id}: {self.consent} {verb} ({self.how}, {self.at:%Y-%m-%d %H:%M})"


class ErasureRecord(models.Model):
    """That a person was erased, by whom and when, and what was removed: codes and counts only."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="erasures"
    )
    person_number = models.PositiveIntegerField(_("person number"), help_text=_("The erased person's id."))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    how = models.CharField(_("how"), max_length=12, choices=Channel.choices)
    removed = models.JSONField(
        _("removed"), default=list, help_text=_("What was removed: [{code, count}], no personal data.")
    )
    kept = models.JSONField(
        _("kept"), default=dict, help_text=_("What was kept for the aggregates: {code: count}.")
    )

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"erasure of person #{self.person_number} ({self.at:%Y-%m-%d %H:%M})"
