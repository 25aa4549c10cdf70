"""Request and response bodies of the registry API.

Input schemas check everything that needs no database: types, lengths, choices, URLs, e-mail addresses,
NACE codes (the types they share are in helix.api.schemas.base). Rules that need the stored object (the
legal identifier under its scheme, uniqueness) are checked after the schema, before anything is saved;
both kinds of error come back as 422 naming the field.

Write schemas come in pairs: ``…Patch`` has every field optional (absent means "leave as it is"; an
explicit null is refused where the field is not nullable) and ``…In`` makes the essential ones required.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from ninja import Field, Schema
from pydantic import StringConstraints, field_validator

from helix.api.schemas.base import ClassifiedOut, Input, finite, nace_codes
from helix.core.registry.ladder import EngagementLevel
from helix.registry.models import (
    LANGUAGE_CODES,
    DomainKind,
    GovernmentLevel,
    IdentifierScheme,
    Organisation,
    OrganisationKind,
    Person,
    Region,
    SizeClass,
)


def _text(max_length: int, min_length: int = 0) -> Any:
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)
    ]


Text12 = _text(12)
Text40 = _text(40)
Text60Required = _text(60, 1)
Text80Required = _text(80, 1)
Text100Required = _text(100, 1)
Text150 = _text(150)
Text200 = _text(200)
Text200Required = _text(200, 1)
Text254 = _text(254)
Text300 = _text(300)
CountryCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2}$")
]
Language = Literal[LANGUAGE_CODES]  # type: ignore[valid-type]
Latitude = finite(ge=-90, le=90)
Longitude = finite(ge=-180, le=180)


# --- reads --------------------------------------------------------------------------------------------


class SectorRef(Schema):
    code: str
    label: str


class SectorOut(Schema):
    code: str
    level: int = Field(description="1 section, 2 division, 3 group, 4 class")
    label: str
    parent: str | None = Field(description="Code of the heading above, none for a section")

    @staticmethod
    def resolve_parent(obj: Any) -> str | None:
        return obj.parent.code if obj.parent_id else None


class Descriptions(Schema):
    en: str
    nl: str
    fr: str
    de: str


class SiteOut(Schema):
    id: int
    name: str
    street: str
    postcode: str
    city: str
    country: str
    region: str
    latitude: float | None
    longitude: float | None
    is_headquarters: bool


class ClusterRef(Schema):
    slug: str
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.current_name)


class OrganisationRef(Schema):
    slug: str
    name: str


class MembershipBrief(Schema):
    id: int
    cluster: ClusterRef
    level: EngagementLevel
    since: dt.date


class OrganisationOut(ClassifiedOut):
    id: int
    slug: str
    name: str
    kind: OrganisationKind
    helix: str = Field(description="Triple-helix strand: industry, research, public or intermediary")
    size_class: str
    government_level: str
    identifier_scheme: str
    legal_identifier: str
    website: str
    working_languages: list[str]
    sectors: list[SectorRef]
    keywords: list[str]
    descriptions: Descriptions
    is_published: bool
    is_sample: bool
    sites: list[SiteOut]
    memberships: list[MembershipBrief]
    url: str = Field(description="The organisation's page")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_working_languages(obj: Organisation) -> list[str]:
        return obj.language_list

    @staticmethod
    def resolve_descriptions(obj: Organisation) -> dict[str, str]:
        return {
            "en": obj.description_en,
            "nl": obj.description_nl,
            "fr": obj.description_fr,
            "de": obj.description_de,
        }

    @staticmethod
    def resolve_sites(obj: Organisation) -> list[Any]:
        return list(obj.sites.all())

    @staticmethod
    def resolve_memberships(obj: Organisation) -> list[Any]:
        return list(obj.memberships.all())

    @staticmethod
    def resolve_url(obj: Organisation) -> str:
        return obj.get_absolute_url()


class PersonOut(Schema):
    """Contact data and consents are null unless the caller is cluster staff or one of the person's
    organisation."""

    id: int
    first_name: str
    last_name: str
    full_name: str
    job_title: str
    roles: list[str]
    email: str | None
    phone: str | None
    consent_contact: bool | None
    consent_newsletter: bool | None
    consent_public: bool | None
    consent_recorded_on: dt.date | None


def person_out(person: Person, *, with_contact: bool) -> dict[str, Any]:
    """A person as the API shows it, with or without the contact data and consents."""
    private = {
        "email": person.email,
        "phone": person.phone,
        "consent_contact": person.consent_contact,
        "consent_newsletter": person.consent_newsletter,
        "consent_public": person.consent_public,
        "consent_recorded_on": person.consent_recorded_on,
    }
    return {
        "id": person.pk,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "full_name": person.full_name,
        "job_title": person.job_title,
        "roles": [r.strip() for r in person.roles.split(",") if r.strip()],
        **(private if with_contact else dict.fromkeys(private)),
    }


class ClusterOut(Schema):
    slug: str
    name: str = Field(description="The name in use today")
    operator: OrganisationRef
    founded_on: dt.date | None
    description: str
    url: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.current_name)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class ClusterNameOut(Schema):
    name: str
    valid_from: dt.date


class DomainOut(Schema):
    id: int
    slug: str
    name: str
    kind: DomainKind
    description: str


class TripleHelix(Schema):
    industry: int
    research: int
    public: int
    intermediary: int


class ClusterDetail(ClusterOut):
    names: list[ClusterNameOut] = Field(description="Every name the cluster has had, oldest first")
    domains: list[DomainOut]
    composition: TripleHelix = Field(description="Organisations with an active membership per strand")

    @staticmethod
    def resolve_names(obj: Any) -> list[Any]:
        return sorted(obj.names.all(), key=lambda n: n.valid_from)

    @staticmethod
    def resolve_domains(obj: Any) -> list[Any]:
        return list(obj.domains.all())

    @staticmethod
    def resolve_composition(obj: Any) -> dict[str, int]:
        return dict(obj.composition)


class DomainRef(Schema):
    id: int
    slug: str
    name: str


class MembershipOut(Schema):
    id: int
    organisation: OrganisationRef
    cluster: ClusterRef
    level: EngagementLevel
    since: dt.date
    domains: list[DomainRef]

    @staticmethod
    def resolve_domains(obj: Any) -> list[Any]:
        return list(obj.domains.all())


class MembershipChangeOut(Schema):
    from_level: str = Field(description="Empty for the step that started the membership")
    to_level: EngagementLevel
    changed_on: dt.date
    note: str


class MembershipDetail(MembershipOut):
    changes: list[MembershipChangeOut] | None = Field(
        description="Dated steps, oldest first; null unless you are staff of the cluster or the organisation"
    )

    @staticmethod
    def resolve_changes(obj: Any) -> list[Any] | None:
        return list(obj.changes.all()) if obj.history_visible else None


# --- filters ------------------------------------------------------------------------------------------


class OrganisationFilters(Input):
    """The directory's facets. Repeat a parameter for several values: ``?kind=company&kind=government``."""

    q: str = Field(
        "", description="Free text: every word must occur (name, descriptions, NACE, keywords, places)"
    )
    kind: list[OrganisationKind] = Field([], description="Kinds of organisation")
    sector: list[str] = Field([], description="NACE codes; a division or group matches its classes")
    cluster: list[str] = Field([], description="Cluster slugs")
    domain: list[int] = Field([], description="Domain ids")
    level: list[EngagementLevel] = Field([], description="Engagement levels in any cluster")
    region: list[Region] = Field([], description="Regions of a site")


class SectorFilters(Input):
    q: str = Field("", description="Start of a code (62.1) or words of the label")
    level: int | None = Field(None, ge=1, le=4, description="1 section, 2 division, 3 group, 4 class")


class MembershipFilters(Input):
    cluster: str | None = Field(None, description="Cluster slug")
    organisation: str | None = Field(None, description="Organisation slug")
    level: list[EngagementLevel] = Field([], description="Engagement levels")


# --- writes -------------------------------------------------------------------------------------------


class OrganisationPatch(Input):
    name: Text200Required = None
    kind: OrganisationKind = None
    size_class: SizeClass = Field(None, description="Companies only")
    government_level: GovernmentLevel = Field(None, description="Government bodies only")
    identifier_scheme: IdentifierScheme = None
    legal_identifier: Text40 = Field(None, description="Checked against its scheme (check digits)")
    website: Text200 = None
    working_languages: list[Language] = None
    sectors: list[str] = Field(None, description="NACE Rev. 2.1 codes, e.g. 62.10")
    keywords: list[Text80Required] = None
    description_en: str = None
    description_nl: str = None
    description_fr: str = None
    description_de: str = None
    is_published: bool = Field(None, description="Visible to anonymous visitors")

    @field_validator("website")
    @classmethod
    def _website(cls, value: str) -> str:
        if value:
            try:
                URLValidator()(value)
            except DjangoValidationError:
                raise ValueError("enter a full web address, e.g. https://example.org") from None
        return value

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, value: list[str]) -> list[str]:
        return nace_codes(value)

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(k.lower() for k in value))

    @field_validator("working_languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class OrganisationIn(OrganisationPatch):
    name: Text200Required
    kind: OrganisationKind
    size_class: SizeClass = Field(SizeClass.NONE, description="Companies only")
    government_level: GovernmentLevel = Field(GovernmentLevel.NONE, description="Government bodies only")
    identifier_scheme: IdentifierScheme = IdentifierScheme.NONE
    legal_identifier: Text40 = Field("", description="Checked against its scheme (check digits)")
    website: Text200 = ""
    working_languages: list[Language] = []
    sectors: list[str] = Field([], description="NACE Rev. 2.1 codes, e.g. 62.10")
    keywords: list[Text80Required] = []
    description_en: str = ""
    description_nl: str = ""
    description_fr: str = ""
    description_de: str = ""
    is_published: bool = Field(True, description="Visible to anonymous visitors")


class SitePatch(Input):
    name: Text200Required = None
    street: Text200 = None
    postcode: Text12 = None
    city: Text100Required = None
    country: CountryCode = Field(None, description="ISO 3166 code, e.g. BE")
    region: Region | Literal[""] = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    is_headquarters: bool = None


class SiteIn(SitePatch):
    name: Text200Required
    street: Text200 = ""
    postcode: Text12 = ""
    city: Text100Required
    country: CountryCode = Field("BE", description="ISO 3166 code, e.g. BE")
    region: Region | Literal[""] = ""
    is_headquarters: bool = False


class PersonPatch(Input):
    first_name: Text100Required = None
    last_name: Text100Required = None
    email: Text254 = None
    phone: Text40 = None
    job_title: Text150 = None
    roles: list[Text60Required] = Field(
        None, description="Roles in the ecosystem, e.g. main contact, signatory"
    )
    consent_contact: bool = None
    consent_newsletter: bool = None
    consent_public: bool = Field(None, description="Agrees to appear on the public profile")
    consent_recorded_on: dt.date | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("enter a valid e-mail address") from None
        return value

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        roles = list(dict.fromkeys(value))
        if len(", ".join(roles)) > Person._meta.get_field("roles").max_length:
            raise ValueError("too many roles")
        if any("," in r for r in roles):
            raise ValueError("a role may not contain a comma")
        return roles


class PersonIn(PersonPatch):
    first_name: Text100Required
    last_name: Text100Required
    email: Text254 = ""
    phone: Text40 = ""
    job_title: Text150 = ""
    roles: list[Text60Required] = Field(
        [], description="Roles in the ecosystem, e.g. main contact, signatory"
    )
    consent_contact: bool = False
    consent_newsletter: bool = False
    consent_public: bool = Field(False, description="Agrees to appear on the public profile")


class MembershipIn(Input):
    organisation: str = Field(description="Organisation slug")
    cluster: str = Field(description="Cluster slug")
    level: EngagementLevel = Field(
        EngagementLevel.INTERESTED, description="Only cluster staff may start higher"
    )
    note: Text300 = ""


class LevelChangeIn(Input):
    level: EngagementLevel
    note: Text300 = ""
