from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from helix.core.symbiosis.quality import QUALITY_ATTRIBUTES, Limit, QualityAttribute
from helix.registry.models import Site
from helix.symbiosis.explain import quality_label
from helix.symbiosis.models import ResourceFlow, SynergyReport


def _quality_field(attribute: QualityAttribute) -> forms.FloatField:
    help_text = (
        _("Offered: its value. Wanted: the most you accept.")
        if attribute.limit is Limit.MAX
        else _("Offered: its value. Wanted: the least you need.")
    )
    return forms.FloatField(
        label=f"{quality_label(attribute.name)} ({attribute.unit})",
        required=False,
        min_value=attribute.low,
        max_value=attribute.high,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


QUALITY_FIELDS = {f"quality_{a.name}": a for a in QUALITY_ATTRIBUTES}


class FlowForm(forms.ModelForm):
    """A flow, field by field. The quality attributes are fields of their own (helix.core.symbiosis.
    quality): a have states its value, a want its limit; they are stored as before, numbers by name
    (``moisture_pct``, ``moisture_pct_max``), and attributes stated otherwise (the API) are kept."""

    # (legend, field names): the sections of the form
    SECTIONS = (
        (_("What"), ("direction", "kind", "title", "description", "site", "ewc_code", "hazardous")),
        (_("How much"), ("quantity", "unit", "period")),
        (
            _("Residual heat"),
            ("supply_temperature_c", "return_temperature_c", "power_mw", "hours_per_year"),
        ),
        (_("Quality"), (*QUALITY_FIELDS, "physical_form")),
        (
            _("When, how far, at what cost"),
            (
                "available_from",
                "available_until",
                "max_distance_km",
                "disposal_cost_eur_per_unit",
                "price_eur_per_unit",
                "treatment_cost_eur_per_unit",
            ),
        ),
        (_("Who sees it"), ("confidentiality", "anonymous", "status")),
    )

    class Meta:
        model = ResourceFlow
        fields = [
            "direction",
            "kind",
            "title",
            "description",
            "site",
            "ewc_code",
            "hazardous",
            "quantity",
            "unit",
            "period",
            "supply_temperature_c",
            "return_temperature_c",
            "power_mw",
            "hours_per_year",
            "physical_form",
            "available_from",
            "available_until",
            "max_distance_km",
            "disposal_cost_eur_per_unit",
            "price_eur_per_unit",
            "treatment_cost_eur_per_unit",
            "confidentiality",
            "anonymous",
            "status",
        ]
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}),
            "available_until": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, attribute in QUALITY_FIELDS.items():
            self.fields[name] = _quality_field(attribute)
        form = self.fields["physical_form"]
        form.choices = [("", _("Not stated (wanted: any form)")), *[c for c in form.choices if c[0]]]
        self.instance.organisation = organisation
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation)
        self.fields["ewc_code"].widget.attrs.update({"autocomplete": "off", "placeholder": "10 02 02"})
        # Typing the description asks for code suggestions (htmx; without JavaScript: the code browser).
        self.fields["description"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("symbiosis:ewc_suggest"),
                "hx-trigger": "keyup changed delay:500ms",
                "hx-target": "#ewc-suggestions",
            }
        )
        stored = self.instance.quality if isinstance(self.instance.quality, dict) else {}
        wants = self.instance.direction == "want"
        for name, attribute in QUALITY_FIELDS.items():
            key = attribute.want_key if wants else attribute.name
            if key in stored:
                self.initial[name] = stored[key]

    def sections(self) -> list[tuple[str, list[Any]]]:
        """The form's fields in its sections, as the template draws them."""
        return [
            (legend, [self[name] for name in names if name in self.fields]) for legend, names in self.SECTIONS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        wants = data.get("direction") == "want"
        catalogued = {a.name for a in QUALITY_ATTRIBUTES} | {a.want_key for a in QUALITY_ATTRIBUTES}
        stored = self.instance.quality if isinstance(self.instance.quality, dict) else {}
        quality = {k: v for k, v in stored.items() if k not in catalogued}  # stated otherwise: kept
        for name, attribute in QUALITY_FIELDS.items():
            value = data.get(name)
            if value is not None:
                quality[attribute.want_key if wants else attribute.name] = value
        self.instance.quality = quality
        return data

    def _update_errors(self, errors: ValidationError) -> None:
        """The model's errors on the stored attributes go to the form's first quality field (the form has
        no field "quality"; a value stated through the API may be out of range)."""
        if hasattr(errors, "error_dict") and "quality" in errors.error_dict:
            moved = errors.error_dict.pop("quality")
            errors.error_dict.setdefault(next(iter(QUALITY_FIELDS)), []).extend(moved)
        super()._update_errors(errors)


class ReportForm(forms.ModelForm):
    class Meta:
        model = SynergyReport
        fields = ["period_end", "quantity", "unit", "co2e_avoided_t", "money_saved_eur", "note"]
        widgets = {
            "period_end": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("co2e_avoided_t", "money_saved_eur"):
            field = self.fields[name]
            field.required = False
            field.initial = None  # not the model's default 0: empty means "estimate", 0 means 0
            field.help_text = _("Leave empty to estimate from the proposal.")
