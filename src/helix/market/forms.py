"""Forms of the needs-and-offers pages: the listing editor and the filters of the browse and staff pages.

Forms check what the user typed and turn it into model values; the rules a listing must keep live in
helix.market.services (``check_listing``), which ``save_listing`` applies whatever the entry point.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from helix.market.models import NEED_CATEGORIES, OFFER_CATEGORIES, Language, Listing, Side, Status, Visibility
from helix.market.services import MAX_EUROS
from helix.registry.forms import ClassificationMixin, keywords_field, sectors_field
from helix.registry.models import (
    Cluster,
    Domain,
    Organisation,
    OrganisationKind,
    Region,
    Site,
)

EDITABLE_STATUSES = (Status.DRAFT, Status.PUBLISHED)


def _label(name: str) -> Any:
    """The model field's verbose name, capitalised like the registry's form labels (still lazy: it is
    translated when a page shows it, in the reader's language)."""
    return capfirst(Listing._meta.get_field(name).verbose_name)


def _help(name: str) -> Any:
    return Listing._meta.get_field(name).help_text


def categories_for(side: str) -> list[tuple[str, str]]:
    allowed = NEED_CATEGORIES if side == Side.NEED else OFFER_CATEGORIES
    return [(c.value, c.label) for c in allowed]


def domain_choices(domains: QuerySet[Domain] | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Domains grouped by their cluster's current name, clusters and domains in alphabetical order."""
    domains = domains if domains is not None else Domain.objects.all()
    groups: dict[str, list[tuple[str, str]]] = {}
    for domain in domains.select_related("cluster").prefetch_related("cluster__names"):
        groups.setdefault(domain.cluster.current_name, []).append((str(domain.pk), domain.name))
    return [
        (cluster, sorted(items, key=lambda item: item[1].casefold()))
        for cluster, items in sorted(groups.items(), key=lambda group: group[0].casefold())
    ]


class ListingForm(ClassificationMixin, forms.Form):
    """A need or an offer. Its side is fixed by the page; everything else is the user's to fill in."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    category = forms.ChoiceField(label=_label("category"))
    title = forms.CharField(label=_label("title"), max_length=200)
    description = forms.CharField(
        label=_label("description"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Write in Dutch, French, German or English; the language is recognised."),
    )
    domains = forms.MultipleChoiceField(
        label=_label("domains"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sectors = sectors_field("35.30, 71.12", _("NACE Rev. 2.1 codes separated by commas, e.g. 35.30, 71.12"))
    keywords = keywords_field(_("Separated by commas, e.g. heat pump, district heating"))
    trl = forms.IntegerField(
        label=_label("trl"),
        required=False,
        min_value=1,
        max_value=9,
        help_text=_help("trl"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    site = forms.ModelChoiceField(
        label=_label("site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("— the organisation as a whole —"),
    )
    budget_min = forms.IntegerField(
        label=_label("budget_min"),
        required=False,
        min_value=0,
        max_value=MAX_EUROS,
        widget=forms.NumberInput(attrs={"step": 100}),
    )
    budget_max = forms.IntegerField(
        label=_label("budget_max"),
        required=False,
        min_value=0,
        max_value=MAX_EUROS,
        widget=forms.NumberInput(attrs={"step": 100}),
    )
    deadline = forms.DateField(
        label=_label("deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    visibility = forms.ChoiceField(label=_label("visibility"), choices=Visibility.choices)
    status = forms.ChoiceField(
        label=_label("status"),
        help_text=_("A draft is seen by your organisation and its cluster staff only, and is not matched."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        side: str,
        organisations: QuerySet[Organisation],
        listing: Listing | None = None,
        statuses: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``statuses``: those the editor may pick (services.status_choices: the present one and the
        lifecycle's moves open to them); a new listing is a draft or published."""
        self.listing = listing
        self.side = side
        initial = kwargs.pop("initial", None) or {}
        if listing is not None and listing.pk:
            initial = {**initial_of(listing), **initial}
        super().__init__(*args, initial=initial, **kwargs)
        organisations = organisations.order_by("name")
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1 and "organisation" not in self.initial:
            self.initial["organisation"] = organisations[0].pk
        self.fields["category"].choices = categories_for(side)
        self.fields["domains"].choices = domain_choices()
        sites = Site.objects.filter(organisation__in=organisations).select_related("organisation")
        self.fields["site"].queryset = sites
        if len(organisations) > 1:
            self.fields["site"].label_from_instance = lambda site: f"{site.organisation.name} – {site.name}"
        else:
            self.fields["site"].label_from_instance = lambda site: f"{site.name} ({site.city})"
        if statuses is None:
            statuses = list(EDITABLE_STATUSES)
            if listing is not None and listing.status not in statuses:
                statuses.append(Status(listing.status))
        self.fields["status"].choices = [(Status(s).value, Status(s).label) for s in statuses]
        self._domains: list[Domain] = []

    def clean_domains(self) -> list[str]:
        ids = [int(pk) for pk in self.cleaned_data["domains"]]
        self._domains = list(Domain.objects.filter(pk__in=ids))
        return self.cleaned_data["domains"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        organisation, site = data.get("organisation"), data.get("site")
        if organisation is not None and site is not None and site.organisation_id != organisation.pk:
            self.add_error("site", _("Choose a site of %(name)s.") % {"name": organisation.name})
        return data

    def apply(self, listing: Listing) -> Listing:
        """Copy the cleaned values onto ``listing`` (not saved)."""
        data = self.cleaned_data
        listing.side = self.side
        for name in (
            "organisation",
            "category",
            "title",
            "description",
            "trl",
            "site",
            "budget_min",
            "budget_max",
            "deadline",
            "visibility",
            "status",
        ):
            setattr(listing, name, data[name])
        return listing

    @property
    def relations(self) -> dict[str, Any]:
        """The many-to-many values, as services.save_listing takes them."""
        return {"domains": self._domains, "sectors": self._sectors, "keywords": self._keywords}

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the errors of services.save_listing on the fields they name (the rest above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else NON_FIELD_ERRORS, errors)


def initial_of(listing: Listing) -> dict[str, Any]:
    return {
        "organisation": listing.organisation_id,
        "category": listing.category,
        "title": listing.title,
        "description": listing.description,
        "domains": [str(d.pk) for d in listing.domains.all()],
        "sectors": ", ".join(s.code for s in listing.sectors.all()),
        "keywords": ", ".join(k.name for k in listing.keywords.all()),
        "trl": listing.trl,
        "site": listing.site_id,
        "budget_min": listing.budget_min,
        "budget_max": listing.budget_max,
        "deadline": listing.deadline,
        "visibility": listing.visibility,
        "status": listing.status,
        "revision": listing.revision,
    }


# Filters ----------------------------------------------------------------------------------------------


def _cluster_choices(clusters: QuerySet[Cluster]) -> list[tuple[str, str]]:
    named = [(c.slug, c.current_name) for c in clusters.prefetch_related("names")]
    return sorted(named, key=lambda item: item[1].casefold())


class BrowseFilter(forms.Form):
    """The filters of the needs-and-offers page; unknown values are ignored rather than refused."""

    q = forms.CharField(label=_("Search needs and offers"), required=False)
    side = forms.ChoiceField(
        label=_("Needs or offers"),
        required=False,
        choices=[("", _("Needs and offers")), ("need", _("Needs")), ("offer", _("Offers"))],
    )
    category = forms.ChoiceField(label=_label("category"), required=False)
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    language = forms.ChoiceField(
        label=_label("language"), required=False, choices=[("", _("Any language")), *Language.choices]
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any region")), *Region.choices]
    )
    trl_min = forms.IntegerField(label=_("TRL at least"), required=False, min_value=1, max_value=9)
    mine = forms.BooleanField(label=_("Only my organisation's, drafts included"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from helix.market.models import Category

        self.fields["category"].choices = [("", _("Any category")), *Category.choices]
        self.fields["cluster"].choices = [("", _("Any cluster")), *_cluster_choices(Cluster.objects.all())]
        self.fields["domain"].choices = [("", _("Any domain")), *domain_choices()]

    def values(self) -> dict[str, Any]:
        """The valid filters (an invalid one counts as not given)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if name not in self.errors}


class WhoMeetsWhomFilter(forms.Form):
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    region = forms.ChoiceField(
        label=_("Region of the need"), required=False, choices=[("", _("Any region")), *Region.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation with the need"),
        required=False,
        choices=[("", _("Any kind")), *OrganisationKind.choices],
    )
    min_score = forms.FloatField(label=_("Minimum score"), required=False, min_value=0)
    per_need = forms.IntegerField(
        label=_("Pairs per need"), required=False, min_value=1, max_value=10, initial=3
    )

    def __init__(self, *args: Any, clusters: QuerySet[Cluster], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clusters = {c.slug: c for c in clusters.prefetch_related("names")}
        self.fields["cluster"].choices = [("", _("Any cluster")), *_cluster_choices(clusters)]
        self.domains = Domain.objects.filter(cluster__in=clusters)
        self.fields["domain"].choices = [("", _("Any domain")), *domain_choices(self.domains)]

    def values(self) -> dict[str, Any]:
        """Keyword arguments for suggestions.who_should_meet_whom (invalid filters count as not given)."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        domain = None
        if data.get("domain"):
            domain = self.domains.filter(pk=int(data["domain"])).first()
        return {
            "cluster": self.clusters.get(data.get("cluster") or ""),
            "domain": domain,
            "region": data.get("region") or "",
            "kind": data.get("kind") or "",
            "min_score": data.get("min_score"),
            "per_need": data.get("per_need") or 3,
        }
