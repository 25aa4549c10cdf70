"""Registry data model. Models hold data and small invariants; rules live in helix.core.registry and
the work of changing several objects at once lives in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from unidecode import unidecode

from helix.core.registry.ladder import EngagementLevel, rung
from helix.private_files import private_storage

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


class Cluster(models.Model):
    """A cluster; its name can change over time (see ClusterName)."""

    slug = models.SlugField(max_length=80, unique=True)
    operator = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="operated_clusters",
        verbose_name=_("run by"),
        help_text=_("The cluster organisation or agency that runs it."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.current_name

    def get_absolute_url(self) -> str:
        return reverse("registry:cluster", args=[self.slug])

    def name_on(self, day) -> str:  # type: ignore[no-untyped-def]
        names = list(self.names.all())
        for name in sorted(names, key=lambda n: n.valid_from, reverse=True):
            if name.valid_from <= day:
                return name.name
        return names[0].name if names else self.slug

    @property
    def current_name(self) -> str:
        return self.name_on(timezone.localdate())


class ClusterName(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=150)
    valid_from = models.DateField(_("valid from"))

    class Meta:
        ordering = ["cluster", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "valid_from"], name="cluster_one_name_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (from {self.valid_from})"


class DomainKind(models.TextChoices):
    INNOVATOR_ZONE = "innovator_zone", _("Innovator zone")
    WORK_DOMAIN = "work_domain", _("Work domain")
    THEME = "theme", _("Theme")


class Domain(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="domains")
    kind = models.CharField(_("kind"), max_length=20, choices=DomainKind.choices)
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(max_length=80)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["cluster", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "slug"], name="domain_unique_slug_per_cluster")
        ]

    def __str__(self) -> str:
        return self.name


ENGAGEMENT_LABELS = {
    EngagementLevel.INTERESTED: _("Interested"),
    EngagementLevel.LOI_SIGNED: _("Letter of intent signed"),
    EngagementLevel.MEMBER: _("Member"),
    EngagementLevel.STRATEGIC_PARTNER: _("Strategic partner"),
    EngagementLevel.LEFT: _("Left"),
}


def engagement_label(level: str) -> str:
    """The engagement level in the reader's language; unknown values are shown as they are."""
    try:
        return str(ENGAGEMENT_LABELS[EngagementLevel(level)])
    except ValueError:
        return level


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    level = models.CharField(
        _("engagement level"),
        max_length=20,
        choices=[(level.value, label) for level, label in ENGAGEMENT_LABELS.items()],
        default=EngagementLevel.INTERESTED,
    )
    since = models.DateField(_("at this level since"), default=timezone.localdate)
    domains = models.ManyToManyField(Domain, blank=True, related_name="memberships")
    relationship_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_memberships",
    )

    class Meta:
        ordering = ["cluster", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "cluster"], name="membership_one_per_cluster"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.cluster} ({self.level})"

    @property
    def rung(self) -> int:
        return rung(self.level)


class MembershipChange(models.Model):
    """One dated step of a membership on the engagement ladder (the history)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="changes")
    from_level = models.CharField(max_length=20, blank=True)
    to_level = models.CharField(max_length=20)
    changed_on = models.DateField(default=timezone.localdate)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["membership", "changed_on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.membership}: {self.from_level or '–'} → {self.to_level} on {self.changed_on}"


class LetterOfIntent(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="letters_of_intent")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="letters_of_intent")
    signed_on = models.DateField(_("signed on"))
    signatory = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="signed_letters"
    )
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    # Private: sent only by registry.documents.letter_document, after its permission check.
    document = models.FileField(
        _("document"), upload_to="letters-of-intent/%Y/", storage=private_storage, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("letter of intent")
        verbose_name_plural = _("letters of intent")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.cluster} ({self.signed_on})"

    @property
    def signed_by(self) -> str:
        return self.signatory.full_name if self.signatory else self.signatory_name


class InteractionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    VISIT = "visit", _("Company visit")
    EMAIL = "email", _("E-mail")
    EVENT = "event", _("Event")


class Interaction(models.Model):
    """A contact logged by a relationship manager."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="interactions")
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InteractionKind.choices)
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    people = models.ManyToManyField(Person, blank=True, related_name="interactions")
    summary = models.TextField(_("summary"))
    needs_identified = models.TextField(_("needs identified"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.organisation} on {self.happened_on}"


class AdvisoryGroup(models.Model):
    """A sectoral advisory group: about ten stakeholders from industry, research and public bodies."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="advisory_groups")
    name = models.CharField(_("name"), max_length=150)
    target_size = models.PositiveSmallIntegerField(_("target size"), default=10)

    class Meta:
        ordering = ["cluster", "name"]

    def __str__(self) -> str:
        return self.name


class AdvisorySeat(models.Model):
    group = models.ForeignKey(AdvisoryGroup, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="advisory_seats")
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        ordering = ["group", "-is_chair", "person__last_name"]
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="advisory_seat_once")]

    def __str__(self) -> str:
        return f"{self.person} in {self.group}"


class StaffAssignment(models.Model):
    """Cluster staff: a user who edits everything in the clusters assigned here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_assignments"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="staff_assignments")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "cluster"], name="staff_assignment_once")]

    def __str__(self) -> str:
        return f"{self.user} staff of {self.cluster}"
