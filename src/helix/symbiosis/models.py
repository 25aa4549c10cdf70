"""Industrial symbiosis: resource flows (haves and wants), documented exchanges to learn from,
synergies with their workflow and reported quantities, staff-edited impact factors, allocation runs.

The rules live in helix.core.symbiosis; these models keep the data and its history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helix.core.symbiosis import quality as core_quality
from helix.core.symbiosis import synergy as workflow
from helix.core.symbiosis.units import PERIODS, UNITS
from helix.market.models import Listing, Visibility
from helix.registry.models import Organisation, Site


class Direction(models.TextChoices):
    HAVE = "have", _("Offered (have)")
    WANT = "want", _("Wanted (want)")


class Kind(models.TextChoices):
    MATERIAL = "material", _("Waste or by-product")
    HEAT = "heat", _("Residual heat")
    WATER = "water", _("Water")
    CO2 = "co2", _("CO2")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure or test facility")
    LOGISTICS = "logistics", _("Logistics capacity")
    PERSONNEL = "personnel", _("Personnel or skills")


# Who sees a flow: the same three audiences as a need or an offer in the market.
Confidentiality = Visibility


class PhysicalForm(models.TextChoices):
    SOLID = "solid", _("Solid (lumps, pieces, bulk)")
    GRANULAR = "granular", _("Powder, granules or chips")
    SLUDGE = "sludge", _("Sludge, paste or slurry")
    LIQUID = "liquid", _("Liquid")
    GAS = "gas", _("Gas")


assert set(PhysicalForm.values) == {f.value for f in core_quality.PhysicalForm}


class FlowStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


UNIT_CHOICES = [(u.symbol, f"{u.symbol} ({u.label})") for u in UNITS.values()]
PERIOD_CHOICES = [
    ("year", _("per year")),
    ("quarter", _("per quarter")),
    ("month", _("per month")),
    ("week", _("per week")),
    ("day", _("per day")),
    ("hour", _("per hour")),
    ("once", _("once")),
]
assert {p for p, _label in PERIOD_CHOICES} == set(PERIODS)


class ResourceFlow(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="resource_flows")
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="resource_flows", verbose_name=_("site")
    )
    direction = models.CharField(_("offered or wanted"), max_length=4, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("In Dutch, French, German or English.")
    )
    ewc_code = models.CharField(
        _("European List of Waste code"), max_length=12, blank=True, help_text=_("Six digits, e.g. 10 02 02.")
    )
    hazardous = models.BooleanField(
        _("hazardous"),
        default=False,
        help_text=_(
            "Offered: the waste is hazardous. Wanted: the site is permitted to accept hazardous waste."
        ),
    )
    quantity = models.FloatField(
        _("quantity"),
        null=True,
        blank=True,
        help_text=_(
            "Residual heat: an energy per period (MWh, GJ …) or a power (MW, kW) that runs the hours "
            "per year below; matching compares MWh per year (5 MW for 6,000 hours is 30,000 MWh)."
        ),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=UNIT_CHOICES, blank=True)
    period = models.CharField(
        _("period"),
        max_length=10,
        choices=PERIOD_CHOICES,
        default="year",
        help_text=_("Not used for a power (MW, kW): a power is a rate, its hours per year say how long."),
    )
    supply_temperature_c = models.FloatField(_("supply temperature (°C)"), null=True, blank=True)
    return_temperature_c = models.FloatField(_("return temperature (°C)"), null=True, blank=True)
    power_mw = models.FloatField(
        _("thermal power (MW)"),
        null=True,
        blank=True,
        help_text=_(
            "The capacity of the source, or the peak of the demand. With an energy per year as well, "
            "energy ÷ power gives the full-load hours."
        ),
    )
    hours_per_year = models.FloatField(
        _("hours per year"),
        null=True,
        blank=True,
        help_text=_(
            "Operating hours a year (at most 8,760). Without them an energy is spread over the year."
        ),
    )
    quality = models.JSONField(
        _("quality attributes"),
        default=dict,
        blank=True,
        help_text=_(
            'Numbers by name, e.g. {"moisture_pct": 12}; a want states limits as {"moisture_pct_max": 15}.'
        ),
    )
    physical_form = models.CharField(
        _("physical form"),
        max_length=10,
        choices=PhysicalForm.choices,
        blank=True,
        help_text=_("Offered: the form it comes in. Wanted: the only form you can take (empty: any)."),
    )
    listing = models.OneToOneField(
        Listing,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resource_flow",
        verbose_name=_("need or offer"),
        help_text=_("The need or offer under Needs & offers that this flow was read from."),
    )
    listing_read_at = models.DateTimeField(null=True, blank=True, editable=False)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    max_distance_km = models.FloatField(_("maximum road distance (km)"), null=True, blank=True)
    disposal_cost_eur_per_unit = models.FloatField(
        _("present disposal cost (EUR per unit)"), null=True, blank=True
    )
    price_eur_per_unit = models.FloatField(_("present purchase price (EUR per unit)"), null=True, blank=True)
    treatment_cost_eur_per_unit = models.FloatField(
        _("treatment cost before use (EUR per unit)"), null=True, blank=True
    )
    confidentiality = models.CharField(
        _("visible to"), max_length=10, choices=Confidentiality.choices, default=Confidentiality.MEMBERS
    )
    anonymous = models.BooleanField(
        _("hide our name"),
        default=False,
        help_text=_(
            "Other companies see the flow but not who offers or needs it, until you accept a contact."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FlowStatus.choices, default=FlowStatus.ACTIVE
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("resource flow")
        verbose_name_plural = _("resource flows")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0), name="flow_quantity_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gte=models.F("available_from")),
                name="flow_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.title}"

    def clean(self) -> None:
        from helix.symbiosis.validation import validate_flow  # the rules are in helix.core.symbiosis

        validate_flow(self)


class DocumentedExchange(models.Model):
    """One row of a MAESTRI-layout file (or a realised synergy), what the receiver ranking learns from."""

    source = models.CharField(_("source"), max_length=200)
    case = models.CharField(_("case"), max_length=100)
    provider_nace = models.CharField(max_length=60, blank=True)
    provider_name = models.CharField(max_length=300, blank=True)
    waste_description = models.CharField(max_length=500, blank=True)
    waste_detail = models.TextField(blank=True)
    ewc = models.CharField(max_length=60, blank=True)
    ewc_description = models.CharField(max_length=500, blank=True)
    hs = models.CharField(max_length=60, blank=True)
    cpa = models.CharField(max_length=60, blank=True)
    cpa_description = models.CharField(max_length=500, blank=True)
    receiver_nace = models.CharField(max_length=60)
    receiver_name = models.CharField(max_length=300, blank=True)
    reference = models.TextField(blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "id"]
        verbose_name = _("documented exchange")
        verbose_name_plural = _("documented exchanges")

    def __str__(self) -> str:
        return f"{self.waste_description or self.ewc} -> {self.receiver_nace}"


class SynergyState(models.TextChoices):
    PROPOSED = workflow.PROPOSED, _("Proposed")
    CONTACTED = workflow.CONTACTED, _("Contacted")
    UNDER_STUDY = workflow.UNDER_STUDY, _("Under study")
    AGREED = workflow.AGREED, _("Agreed")
    REALISED = workflow.REALISED, _("Realised")
    DROPPED = workflow.DROPPED, _("Dropped")


class Synergy(models.Model):
    have = models.ForeignKey(ResourceFlow, on_delete=models.CASCADE, related_name="synergies_as_have")
    want = models.ForeignKey(ResourceFlow, on_delete=models.CASCADE, related_name="synergies_as_want")
    state = models.CharField(
        _("state"), max_length=12, choices=SynergyState.choices, default=SynergyState.PROPOSED
    )
    score = models.FloatField(default=0)
    compatibility = models.FloatField(default=0)
    quantity = models.FloatField(_("quantity per year"), default=0)
    unit = models.CharField(max_length=10, blank=True)
    road_km = models.FloatField(default=0)
    unit_cost_eur = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    flags = models.JSONField(default=list, blank=True)
    reason_codes = models.JSONField(default=list, blank=True)  # [code, {args}] for other languages
    flag_codes = models.JSONField(default=list, blank=True)
    impact = models.JSONField(default=dict, blank=True)
    heat = models.JSONField(default=dict, blank=True)
    have_accepted = models.BooleanField(_("offering party accepts contact"), default=False)
    want_accepted = models.BooleanField(_("wanting party accepts contact"), default=False)
    dropped_reason = models.TextField(_("reason dropped"), blank=True)
    proposed_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score"]
        verbose_name = _("synergy")
        verbose_name_plural = _("synergies")
        constraints = [
            models.UniqueConstraint(fields=["have", "want"], name="synergy_once_per_pair"),
            models.CheckConstraint(condition=Q(state__in=workflow.STATES), name="synergy_state_known"),
        ]

    def __str__(self) -> str:
        return f"{self.have.title} -> {self.want.title}"


class SynergyEvent(models.Model):
    synergy = models.ForeignKey(Synergy, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"


class SynergyReport(models.Model):
    """Actual quantities of a realised synergy in a period."""

    synergy = models.ForeignKey(Synergy, on_delete=models.CASCADE, related_name="reports")
    period_end = models.DateField(_("period ending"))
    quantity = models.FloatField(_("quantity exchanged"))
    unit = models.CharField(_("unit"), max_length=10, choices=UNIT_CHOICES)
    co2e_avoided_t = models.FloatField(_("CO2e avoided (t)"), default=0)
    money_saved_eur = models.FloatField(_("money saved (EUR)"), default=0)
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="report_quantity_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.period_end}: {self.quantity:g} {self.unit}"

    def clean(self) -> None:
        if self.synergy_id and self.synergy.state != SynergyState.REALISED:
            raise ValidationError(_("Only a realised synergy reports actual quantities."))


class ImpactFactorSetting(models.Model):
    """A staff edit of an impact factor; factors without a row keep Helix's documented default."""

    key = models.CharField(max_length=60, unique=True)
    value = models.FloatField()
    source = models.TextField(_("source of this value"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"


class AllocationRun(models.Model):
    region = models.CharField(_("region"), max_length=20, blank=True)
    fixed_cost_per_link = models.FloatField(default=0)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"allocation {self.region or 'all regions'} {self.created_at:%Y-%m-%d %H:%M}"


class MarketReading(models.Model):
    """Up to when the needs and offers of the market were read for resource flows (a single row):
    each matching run reads only the listings changed since (helix.symbiosis.market_reading.read_market)."""

    read_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"market read until {self.read_until}"
