"""People: someone working for an organisation, with roles, contact data, consent flags and possibly
a user account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helix.registry.models.organisations import Organisation


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    roles = models.CharField(
        _("roles"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated roles in the ecosystem, e.g. main contact, signatory, advisory group"),
    )
    consent_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    consent_newsletter = models.BooleanField(_("agrees to receive the newsletter"), default=False)
    consent_public = models.BooleanField(_("agrees to appear on the public profile"), default=False)
    consent_recorded_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=~Q(email=""),
                name="person_unique_email_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
