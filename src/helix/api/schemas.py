"""Request and response bodies of the registry API.

Input schemas check everything that needs no database: types, lengths, choices, URLs, e-mail addresses,
NACE codes. Rules that need the stored object (the legal identifier under its scheme, uniqueness) are
checked by the router before anything is saved; both kinds of error come back as 422 naming the field.

Write schemas come in pairs: ``…Patch`` has every field optional (absent means "leave as it is"; an
explicit null is refused where the field is not nullable) and ``…In`` makes the essential ones required.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, field_validator
from pydantic import Field as Constraints

from helix.core.registry.ladder import EngagementLevel
from helix.core.registry.nace import normalise_nace_codes
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


def nace_codes(value: list[str]) -> list[str]:
    """A schema field's NACE codes, normalised and without repeats; ValueError names the first bad one."""
    codes, unknown = normalise_nace_codes(value)
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not a NACE Rev. 2.1 code")
    return codes


# --- numbers ------------------------------------------------------------------------------------------
# A float that an input schema accepts is finite: Python's json reads the NaN and Infinity tokens, and
# pydantic reads strings such as "nan" or "-inf" as floats, so each would otherwise reach the database and
# every estimate computed from it. Out of range or not finite -> 422 naming the field.


def finite(
    *, ge: float | None = None, gt: float | None = None, le: float | None = None, lt: float | None = None
) -> Any:
    """A finite float, within the bounds given."""
    return Annotated[float, Constraints(allow_inf_nan=False, ge=ge, gt=gt, le=le, lt=lt)]


FiniteFloat = finite()
Latitude = finite(ge=-90, le=90)
Longitude = finite(ge=-180, le=180)


# --- text ---------------------------------------------------------------------------------------------
# PostgreSQL refuses the NUL character in text (a 500 where SQLite stored it): no input string has one.


def has_nul(value: Any) -> bool:
    """Whether a string anywhere in ``value`` (lists, dict keys and values, nested schemas) has a NUL."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(has_nul(v) for v in value)
    if isinstance(value, BaseModel):
        return any(has_nul(v) for v in vars(value).values())
    return False


def refuse_nul(value: Any) -> Any:
    if has_nul(value):
        raise ValueError("may not contain the NUL character (\\u0000)")
    return value


# A path or query parameter given as a plain string (input schemas check all their strings themselves).
PlainText = Annotated[str, AfterValidator(refuse_nul)]


class Input(Schema):
    """Base of every request body and query filter: no float field, however declared, takes NaN or
    Infinity (nested ones included, e.g. the values of a dict of numbers), and no string has a NUL."""

    model_config = ConfigDict(allow_inf_nan=False)

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return refuse_nul(value)


# --- errors -------------------------------------------------------------------------------------------


class Message(Schema):
    detail: str


class MoveRefusal(Schema):
    """409: the lifecycle has no such move from the object's present state (listings, events, requests,
    schedules)."""

    detail: str
    code: str = Field(description="not_from_state")


class FieldError(Schema):
    type: str = Field(description="What kind of error, e.g. missing, finite_number, value_error")
    loc: list[str | int] = Field(description="Where: body, query or path, then the field (and list index)")
    msg: str


class ValidationErrors(Schema):
    """422: every problem with the request, each naming its field."""

    detail: list[FieldError]


# Answers an operation may give besides its success, declared in the schema. READ_ERRORS: a token that is
# wrong or revoked gets 401 even on reads; bad query or path parameters get 422. WRITE_ERRORS: a body that
# is not JSON gets 400.
READ_ERRORS: dict[int, Any] = {401: Message, 422: ValidationErrors}
ITEM_ERRORS: dict[int, Any] = {**READ_ERRORS, 404: Message}
WRITE_ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 422: ValidationErrors}


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


class OrganisationOut(Schema):
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
    def resolve_sectors(obj: Organisation) -> list[Any]:
        return list(obj.sectors.all())

    @staticmethod
    def resolve_keywords(obj: Organisation) -> list[str]:
        return [k.name for k in obj.keywords.all()]

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
