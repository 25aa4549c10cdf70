"""The staff's booking form: what to book on an instrument's ledger, for whom, how much and when.

The form checks only the shape of what was typed (a known action, an organisation one may see, an amount
in euros and cents, a date); whether the entry may be booked is the services' say (helix.funds.services,
the core's ledger rules and caps), and their refusal is shown field by field
(helix.funds.explain.refusal_by_field) by :meth:`BookingForm.add_refusal`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.funds import explain
from helix.registry.models import Organisation

COMMIT, DISBURSE, REPAY, LEVERAGE = "commit", "disburse", "repay", "leverage"
ACTIONS = (
    (COMMIT, _("Commit")),
    (DISBURSE, _("Pay out")),
    (REPAY, _("Record a repayment")),
    (LEVERAGE, _("Record private money leveraged")),
)


class BookingForm(forms.Form):
    action = forms.ChoiceField(label=_("What to book"), choices=ACTIONS, initial=COMMIT)
    beneficiary = forms.ModelChoiceField(
        label=_("Beneficiary"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        error_messages={"invalid_choice": _("Choose an organisation from the search.")},
    )
    amount_eur = forms.DecimalField(label=_("Amount (EUR)"), max_digits=14, decimal_places=2)
    on = forms.DateField(
        label=_("On"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a commitment, the day the right to the aid is given."),
    )
    project_ref = forms.CharField(
        label=_("Project"),
        max_length=60,
        required=False,
        help_text=_("The project the money is for, as the call or the contract names it."),
    )
    gross_grant_equivalent_eur = forms.DecimalField(
        label=_("Gross grant equivalent (EUR)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Commitments of a loan or equity under de minimis only: what the aid counts for."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, beneficiaries: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["beneficiary"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = beneficiaries

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") != COMMIT and data.get("gross_grant_equivalent_eur") is not None:
            self.add_error("gross_grant_equivalent_eur", _("Only a commitment has a gross grant equivalent."))
        return data

    def add_refusal(self, refused: Any) -> None:
        """Show a :class:`helix.funds.services.FundsRefused`: each reason under its field, the refusal
        and the caps it would go over above the form."""
        for field, texts in explain.refusal_by_field(refused).items():
            name = field if field in self.fields else None
            for text in texts:
                self.add_error(name, text)
