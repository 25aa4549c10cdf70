"""Organisations and what describes them: their kinds (and the helix strand of each), legal identifier
schemes, working languages, sectors, technology keywords, regions and sites."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from unidecode import unidecode

LANGUAGES = (("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch"), ("en", "English"))
LANGUAGE_CODES = tuple(code for code, _label in LANGUAGES)


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    KNOWLEDGE_INSTITUTION = "knowledge_institution", _("Knowledge institution")
    GOVERNMENT = "government", _("Government body")
    FEDERATION = "federation", _("Federation or association")
    CLUSTER_ORGANISATION = "cluster_organisation", _("Cluster organisation")


class SizeClass(models.TextChoices):
    NONE = "", _("Not applicable")
    SME = "sme", _("SME")
    LARGE = "large", _("Large enterprise")


class GovernmentLevel(models.TextChoices):
    NONE = "", _("Not applicable")
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


class Helix(models.TextChoices):
    """The three strands of the triple helix (plus the intermediaries that bind them)."""

    INDUSTRY = "industry", _("Industry")
    RESEARCH = "research", _("Research")
    # "Public" as in the government strand, not the visibility: a context of its own (issue 12)
    PUBLIC = "public", pgettext_lazy("helix", "Public")
    INTERMEDIARY = "intermediary", _("Intermediary")


HELIX_OF_KIND = {
    OrganisationKind.COMPANY: Helix.INDUSTRY,
    OrganisationKind.KNOWLEDGE_INSTITUTION: Helix.RESEARCH,
    OrganisationKind.GOVERNMENT: Helix.PUBLIC,
    OrganisationKind.FEDERATION: Helix.INTERMEDIARY,
    OrganisationKind.CLUSTER_ORGANISATION: Helix.INTERMEDIARY,
}


class IdentifierScheme(models.TextChoices):
    NONE = "", _("None")
    BE_ENTERPRISE = "be", _("Belgian enterprise number (KBO/BCE)")
    LU_RCS = "lu_rcs", _("Luxembourg RCS number")
    EU_VAT = "eu_vat", _("EU VAT number")


class Sector(models.Model):
    """A NACE Rev. 2.1 heading (section, division, group or class)."""

    code = models.CharField(max_length=6, unique=True)
    level = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=300)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector (NACE)")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Keyword(models.Model):
    """A technology keyword, stored in lower case."""

    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices, blank=True)
    government_level = models.CharField(
        _("government level"), max_length=10, choices=GovernmentLevel.choices, blank=True
    )
    identifier_scheme = models.CharField(
        _("identifier scheme"), max_length=10, choices=IdentifierScheme.choices, blank=True
    )
    legal_identifier = models.CharField(_("legal identifier"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    working_languages = models.CharField(
        _("working languages"), max_length=20, blank=True, help_text=_("Comma-separated: nl,fr,de,en")
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="organisations", verbose_name=_("sectors")
    )
    keywords = models.ManyToManyField(Keyword, blank=True, related_name="organisations")
    description_en = models.TextField(_("description (English)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    is_published = models.BooleanField(
        _("public profile"), default=True, help_text=_("Visible to anonymous visitors of the directory.")
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Invented demo data, not a real record.")
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_scheme", "legal_identifier"],
                condition=~Q(legal_identifier=""),
                name="organisation_unique_legal_identifier",
            ),
            models.CheckConstraint(
                condition=Q(size_class="") | Q(kind="company"), name="organisation_size_only_for_companies"
            ),
            models.CheckConstraint(
                condition=Q(government_level="") | Q(kind="government"),
                name="organisation_level_only_for_governments",
            ),
        ]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["is_published", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation", args=[self.slug])

    @property
    def helix(self) -> str:
        return HELIX_OF_KIND[OrganisationKind(self.kind)]

    @property
    def language_list(self) -> list[str]:
        return [c for c in self.working_languages.split(",") if c]

    def description(self, language: str) -> str:
        """The description in ``language``, else the first one written."""
        own = getattr(self, f"description_{language}", "")
        if own:
            return str(own)
        for code in ("en", "nl", "fr", "de"):
            text = getattr(self, f"description_{code}")
            if text:
                return str(text)
        return ""

    def build_search_text(self, sector_codes: list[str], keywords: list[str], regions: list[str]) -> str:
        parts = [
            self.name,
            self.legal_identifier,
            self.description_en,
            self.description_nl,
            self.description_fr,
            self.description_de,
            " ".join(sector_codes),
            " ".join(keywords),
            " ".join(regions),
        ]
        return normalise_search_text(" ".join(p for p in parts if p))


def normalise_search_text(text: str) -> str:
    """Lower case, accents folded (é → e), whitespace collapsed: the form search compares."""
    return " ".join(unidecode(text).lower().split())


class Region(models.TextChoices):
    ANTWERPEN = "antwerpen", "Antwerpen"
    LIMBURG = "limburg", "Limburg"
    OOST_VLAANDEREN = "oost-vlaanderen", "Oost-Vlaanderen"
    VLAAMS_BRABANT = "vlaams-brabant", "Vlaams-Brabant"
    WEST_VLAANDEREN = "west-vlaanderen", "West-Vlaanderen"
    BRUSSELS = "brussels", _("Brussels")
    WALLONIA = "wallonia", _("Wallonia")
    LUXEMBOURG = "luxembourg", _("Luxembourg")
    OTHER = "other", _("Other")


class Site(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("site name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(
        _("country"), max_length=2, default="BE", help_text=_("ISO 3166 code, e.g. BE, LU")
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_headquarters = models.BooleanField(_("headquarters"), default=False)

    class Meta:
        ordering = ["organisation__name", "-is_headquarters", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="site_unique_name_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="site_latitude",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="site_longitude",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.name}"
