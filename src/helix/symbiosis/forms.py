from __future__ import annotations

import json
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from helix.registry.models import Site
from helix.symbiosis.models import ResourceFlow, SynergyReport


class FlowForm(forms.ModelForm):
    quality = forms.CharField(
        label=_("Quality attributes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=ResourceFlow._meta.get_field("quality").help_text,
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
            "quality",
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
        if self.instance.pk:
            self.initial["quality"] = json.dumps(self.instance.quality) if self.instance.quality else ""

    def clean_quality(self) -> dict[str, float]:
        text = (self.cleaned_data.get("quality") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc.msg}) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Give numbers by name, e.g. {"moisture_pct": 12}.'))
        return value


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
