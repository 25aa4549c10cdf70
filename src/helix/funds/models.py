"""Funding instruments and their ledgers (docs/decisions/0006).

An :class:`Instrument` is a subsidy, a loan, an equity fund or vouchers of a portfolio, of one cluster or
programme-wide (no cluster). Its caps are data: ``caps`` holds cap specs as
:func:`helix.core.funding.caps.load_caps` reads them, checked on every save through the core
(helix.funds.validation); its budget and its de minimis flag add the caps they imply
(helix.funds.convert).

A :class:`LedgerEntry` records money committed, disbursed, repaid or leveraged for one beneficiary. The
ledger is append-only: an entry is never changed or deleted (a correction is a new entry), and balances
are computed from the entries by helix.core.funding, never stored. Writes go through helix.funds.services,
which checks the core's ledger rules and caps under a row lock.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helix.core.funding import ledger as core
from helix.registry.models import Cluster, Organisation


class InstrumentKind(models.TextChoices):
    """The core's :class:`helix.core.funding.ledger.InstrumentKind`, with labels."""

    SUBSIDY = core.InstrumentKind.SUBSIDY.value, _("Subsidy")
    LOAN = core.InstrumentKind.LOAN.value, _("Loan")
    EQUITY = core.InstrumentKind.EQUITY.value, _("Equity")
    VOUCHER = core.InstrumentKind.VOUCHER.value, _("Vouchers")


class EntryKind(models.TextChoices):
    """The core's :class:`helix.core.funding.ledger.EntryKind`, with labels."""

    COMMITTED = core.EntryKind.COMMITTED.value, _("Committed")
    RELEASED = core.EntryKind.RELEASED.value, _("Released")
    DISBURSED = core.EntryKind.DISBURSED.value, _("Disbursed")
    REPAID = core.EntryKind.REPAID.value, _("Repaid")
    LEVERAGED = core.EntryKind.LEVERAGED.value, _("Leveraged")


class Instrument(models.Model):
    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instruments",
        help_text=_("Empty for a programme-wide instrument."),
    )
    key = models.SlugField(
        _("key"),
        max_length=60,
        unique=True,
        help_text=_("A stable name; caps name the instruments they count by it."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=InstrumentKind.choices)
    budget_eur = models.DecimalField(
        _("budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    de_minimis = models.BooleanField(
        _("de minimis aid"),
        default=False,
        help_text=_("Its commitments count towards each beneficiary's de minimis ceiling."),
    )
    caps = models.JSONField(
        _("caps"),
        default=list,
        blank=True,
        help_text=_("Cap specs: a list of {id, kind, limit_eur, instruments, years}."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_eur__isnull=True) | Q(budget_eur__gte=0),
                name="instrument_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.key

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saved only when valid: a known kind, a slug key, caps the core reads and the app accepts
        (``clean``); a ValidationError otherwise, whichever path saves it."""
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from helix.funds.validation import validate_instrument  # the rules are in helix.core.funding

        validate_instrument(self)


class AppendOnly(Exception):
    """A ledger entry was to be changed or deleted: book a new entry instead."""


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("ledger entries are never changed; book a correcting entry")

    def delete(self) -> NoReturn:
        raise AppendOnly("ledger entries are never deleted; book a correcting entry")


class LedgerEntry(models.Model):
    """Money committed, disbursed, repaid or leveraged by an instrument for one beneficiary on a date."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="entries")
    beneficiary = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ledger_entries")
    # Funds knows nothing of projects (docs/decisions/0006): a project's reference until calls link them.
    project_ref = models.CharField(_("project"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    amount_eur = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2)
    gross_grant_equivalent_eur = models.DecimalField(
        _("gross grant equivalent (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What a commitment counts for under de minimis (a loan's is less than its amount)."),
    )
    on = models.DateField(_("on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["instrument", "on", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["instrument", "beneficiary", "on"], name="ledger_instrument_beneficiary"),
            models.Index(fields=["beneficiary", "kind", "on"], name="ledger_beneficiary_kind"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_eur__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(
                condition=Q(gross_grant_equivalent_eur__isnull=True)
                | (Q(kind=EntryKind.COMMITTED) & Q(gross_grant_equivalent_eur__gte=0)),
                name="ledger_equivalent_of_a_commitment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument}: {self.kind} {self.amount_eur} to {self.beneficiary} on {self.on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("ledger entries are never changed; book a correcting entry")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("ledger entries are never deleted; book a correcting entry")
