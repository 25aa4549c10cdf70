"""Forms of the registry pages: the organisation editor (with its sites) and the interaction log.

Forms check what the user typed and turn it into model values; the rules themselves (legal identifiers,
NACE codes) live in helix.core.registry.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from helix.core.registry.identifiers import InvalidIdentifier, normalise_identifier
from helix.core.registry.nace import normalise_nace_codes
from helix.core.registry.records import check_organisation
from helix.registry.models import (
    LANGUAGES,
    Cluster,
    IdentifierScheme,
    Interaction,
    Keyword,
    Organisation,
    Person,
    Sector,
    Site,
)
from helix.registry.services import legal_identifier_taken, set_classification

_LIST_SEPARATORS = re.compile(r"[,;\n]+")
_KEYWORD_MAX_LENGTH = Keyword._meta.get_field("name").max_length or 80


def split_list(text: str) -> list[str]:
    """Items of a comma- or semicolon-separated list, stripped, empty ones dropped, first occurrence kept."""
    seen: dict[str, None] = {}
    for item in _LIST_SEPARATORS.split(text or ""):
        item = " ".join(item.split())
        if item:
            seen.setdefault(item, None)
    return list(seen)


def version_token(updated_at: dt.datetime | None) -> str:
    """The optimistic-concurrency token of an organisation: its last save time, to the microsecond, in UTC."""
    return updated_at.astimezone(dt.UTC).isoformat() if updated_at else ""


def sectors_field(example: str, help_text: Any) -> forms.CharField:
    """A form's sectors, typed as NACE codes in one line (``example`` is the placeholder); cleaned by
    ClassificationMixin.clean_sectors."""
    return forms.CharField(
        label=_("Sectors (NACE codes)"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": example, "autocomplete": "off"}),
        help_text=help_text,
    )


def keywords_field(help_text: Any) -> forms.CharField:
    """A form's technology keywords, typed as a comma-separated list; cleaned by
    ClassificationMixin.clean_keywords."""
    return forms.CharField(
        label=_("Technology keywords"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=help_text,
    )


class ClassificationMixin:
    """The cleaning of a form's ``sectors`` (sectors_field) and ``keywords`` (keywords_field), shared by the
    organisation editor and the listing editor: the text stays as the cleaned value, and the sectors found
    and the keywords (lower case, without repeats) are kept in ``_sectors`` and ``_keywords`` for saving."""

    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sectors: list[Sector] = []
        self._keywords: list[str] = []

    def clean_sectors(self) -> str:
        codes, unknown = normalise_nace_codes(split_list(self.cleaned_data["sectors"]))
        if unknown:
            raise forms.ValidationError(
                [
                    forms.ValidationError(
                        _("“%(code)s” is not a NACE Rev. 2.1 code."),
                        code="unknown_nace",
                        params={"code": raw},
                    )
                    for raw in unknown
                ]
            )
        by_code = {s.code: s for s in Sector.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in by_code]
        if missing:
            raise forms.ValidationError(
                _("The sector table lacks %(codes)s; ask an administrator to load NACE."),
                code="sector_not_loaded",
                params={"codes": ", ".join(missing)},
            )
        self._sectors = [by_code[code] for code in codes]
        return ", ".join(codes)

    def clean_keywords(self) -> str:
        keywords = list(dict.fromkeys(k.lower() for k in split_list(self.cleaned_data["keywords"])))
        too_long = [k for k in keywords if len(k) > _KEYWORD_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("“%(keyword)s” is longer than %(limit)d characters."),
                code="keyword_too_long",
                params={"keyword": too_long[0], "limit": _KEYWORD_MAX_LENGTH},
            )
        self._keywords = keywords
        return ", ".join(keywords)


KIND_RULE_MESSAGES = {
    "size_class": _("Only companies have a size class."),
    "government_level": _("Only government bodies have a government level."),
}


class OrganisationForm(ClassificationMixin, forms.ModelForm):
    """The organisation's own fields, its sectors as NACE codes and its keywords as plain text."""

    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, required=False
    )
    sectors = sectors_field(
        "62.10, 72.19", _("NACE Rev. 2.1 codes separated by commas or semicolons, e.g. 62.10, 72.19")
    )
    keywords = keywords_field(_("Separated by commas, e.g. additive manufacturing, coatings"))
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "size_class",
            "government_level",
            "identifier_scheme",
            "legal_identifier",
            "website",
            "working_languages",
            "description_en",
            "description_nl",
            "description_fr",
            "description_de",
            "is_published",
        ]
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 4, "lang": "en"}),
            "description_nl": forms.Textarea(attrs={"rows": 4, "lang": "nl"}),
            "description_fr": forms.Textarea(attrs={"rows": 4, "lang": "fr"}),
            "description_de": forms.Textarea(attrs={"rows": 4, "lang": "de"}),
        }

    field_order = [
        "name",
        "kind",
        "size_class",
        "government_level",
        "identifier_scheme",
        "legal_identifier",
        "website",
        "working_languages",
        "sectors",
        "keywords",
        "description_en",
        "description_nl",
        "description_fr",
        "description_de",
        "is_published",
        "version",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.instance
        self.initial["working_languages"] = organisation.language_list
        self.initial["version"] = version_token(organisation.updated_at)
        if organisation.pk:
            self.initial["sectors"] = ", ".join(s.code for s in organisation.sectors.all())
            self.initial["keywords"] = ", ".join(k.name for k in organisation.keywords.all())

    def clean_working_languages(self) -> str:
        chosen = set(self.cleaned_data["working_languages"])
        return ",".join(code for code, _label in LANGUAGES if code in chosen)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        problems = check_organisation(
            data.get("kind") or "", data.get("size_class") or "", data.get("government_level") or ""
        )
        for column, _reason in problems:  # the rule is core's; the wording is the page's
            self.add_error(column, KIND_RULE_MESSAGES[column])
        self._clean_legal_identifier(data)
        return data

    def _clean_legal_identifier(self, data: dict[str, Any]) -> None:
        if "legal_identifier" not in data or "identifier_scheme" not in data:
            return
        scheme, raw = data["identifier_scheme"], data["legal_identifier"].strip()
        if not raw:
            data["legal_identifier"] = ""
            return
        if not scheme:
            self.add_error(
                "legal_identifier", _("Choose the identifier scheme this legal identifier belongs to.")
            )
            return
        try:
            identifier = normalise_identifier(scheme, raw)
        except InvalidIdentifier:
            self.add_error(
                "legal_identifier",
                forms.ValidationError(
                    _("“%(value)s” is not a valid %(scheme)s: check the number and its check digits."),
                    code="invalid_identifier",
                    params={"value": raw, "scheme": IdentifierScheme(scheme).label},
                ),
            )
            return
        if legal_identifier_taken(scheme, identifier.value, exclude_pk=self.instance.pk):
            self.add_error("legal_identifier", _("Another organisation in the registry has this identifier."))
            return
        data["legal_identifier"] = identifier.value

    def is_stale(self, current: Organisation) -> bool:
        """True when ``current`` (the row as saved now) is not the version this form was loaded from."""
        return self.cleaned_data.get("version", "") != version_token(current.updated_at)

    def save(self, commit: bool = True) -> Organisation:
        organisation: Organisation = super().save(commit=commit)
        if commit:
            set_classification(
                organisation, sector_codes=[s.code for s in self._sectors], keywords=self._keywords
            )
        return organisation


class SiteForm(forms.ModelForm):
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    class Meta:
        model = Site
        fields = [
            "name",
            "street",
            "postcode",
            "city",
            "country",
            "region",
            "latitude",
            "longitude",
            "is_headquarters",
        ]
        widgets = {
            "country": forms.TextInput(attrs={"size": 2, "maxlength": 2, "autocapitalize": "characters"}),
        }

    def clean_country(self) -> str:
        country = str(self.cleaned_data["country"]).strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise forms.ValidationError(
                _("Use the two-letter ISO country code, e.g. BE or LU."), code="country"
            )
        return country


SiteFormSet = inlineformset_factory(Organisation, Site, form=SiteForm, extra=1, can_delete=True)


class InteractionForm(forms.ModelForm):
    """A contact with an organisation, logged by cluster staff on its profile."""

    class Meta:
        model = Interaction
        fields = ["kind", "happened_on", "cluster", "people", "summary", "needs_identified", "follow_up_on"]
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "needs_identified": forms.Textarea(attrs={"rows": 2}),
            "people": forms.CheckboxSelectMultiple,
        }
        labels = {"cluster": _("Cluster"), "people": _("People met")}

    def __init__(
        self, *args: Any, organisation: Organisation, logged_by: Any, clusters: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.instance.logged_by = logged_by if getattr(logged_by, "is_authenticated", False) else None
        self.fields["people"].queryset = Person.objects.filter(organisation=organisation)
        self.fields["cluster"].queryset = clusters if clusters is not None else Cluster.objects.none()
        self.fields["cluster"].label_from_instance = lambda cluster: cluster.current_name
        if not self.fields["people"].queryset.exists():
            del self.fields["people"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        happened, follow_up = data.get("happened_on"), data.get("follow_up_on")
        if happened and follow_up and follow_up < happened:
            self.add_error("follow_up_on", _("The follow-up date cannot be before the interaction."))
        return data
