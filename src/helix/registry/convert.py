"""The registry's models as the records of helix.core.registry.records, and back.

The model fields an import row of each kind writes, the model choices as the core's Vocabulary (what an
import row may say), and the rows an export writes, in the columns of each kind (COLUMN_NAMES).
helix.registry.transfer reads and writes the files; this module only maps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from helix.core.registry.records import (
    COLUMN_NAMES,
    RecordKind,
    Vocabulary,
)
from helix.registry.models import (
    LANGUAGE_CODES,
    GovernmentLevel,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Region,
    Site,
    SizeClass,
)

ORGANISATION_FIELDS = (
    "slug",
    "identifier_scheme",
    "legal_identifier",
    "name",
    "kind",
    "size_class",
    "government_level",
    "website",
    "working_languages",
    "description_en",
    "description_nl",
    "description_fr",
    "description_de",
    "is_published",
    "is_sample",
)
SITE_FIELDS = (
    "name",
    "street",
    "postcode",
    "city",
    "country",
    "region",
    "latitude",
    "longitude",
    "is_headquarters",
)
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "roles",
    "consent_contact",
    "consent_newsletter",
    "consent_public",
    "consent_recorded_on",
    "is_sample",
)


def vocabulary() -> Vocabulary:
    """The registry's model choices, for checking import rows."""
    return Vocabulary(
        organisation_kinds=tuple(OrganisationKind.values),
        size_classes=tuple(v for v in SizeClass.values if v),
        government_levels=tuple(v for v in GovernmentLevel.values if v),
        regions=tuple(Region.values),
        languages=LANGUAGE_CODES,
    )


def _join(values: Iterable[str]) -> str:
    return ";".join(sorted(values))


def export_rows(
    kind: RecordKind, keys: dict[int, str], wanted: Any, memberships: Any
) -> Iterable[tuple[Any, ...]]:
    """The rows of one kind, as values in the order of its columns: the organisations ``wanted`` (a
    subquery of ids; ``keys`` names them), their sites and people, and the rows of ``memberships``
    among them."""
    if kind is RecordKind.ORGANISATIONS:
        sectors, keywords = defaultdict(list), defaultdict(list)
        for org_id, code in Organisation.sectors.through.objects.values_list(
            "organisation_id", "sector__code"
        ):
            sectors[org_id].append(code)
        for org_id, name in Organisation.keywords.through.objects.values_list(
            "organisation_id", "keyword__name"
        ):
            keywords[org_id].append(name)
        for org in (
            Organisation.objects.filter(pk__in=wanted).order_by("slug").values("pk", *ORGANISATION_FIELDS)
        ):
            by_column = {**org, "sectors": _join(sectors[org["pk"]]), "keywords": _join(keywords[org["pk"]])}
            yield tuple(by_column[name] for name in COLUMN_NAMES[kind])
    elif kind is RecordKind.SITES:
        sites = Site.objects.filter(organisation_id__in=wanted)
        for site in sites.order_by("organisation__slug", "name").values("organisation_id", *SITE_FIELDS):
            yield (keys[site["organisation_id"]], *(site[name] for name in COLUMN_NAMES[kind][1:]))
    elif kind is RecordKind.PEOPLE:
        people = Person.objects.filter(organisation_id__in=wanted).order_by(
            "organisation__slug", "last_name", "first_name", "email", "pk"
        )
        for person in people.values("organisation_id", *PERSON_FIELDS):
            yield (keys[person["organisation_id"]], *(person[name] for name in COLUMN_NAMES[kind][1:]))
    else:
        domains = defaultdict(list)
        for membership_id, slug in Membership.domains.through.objects.values_list(
            "membership_id", "domain__slug"
        ):
            domains[membership_id].append(slug)
        rows = memberships.filter(organisation_id__in=wanted).order_by("organisation__slug", "cluster__slug")
        for m in rows.values("pk", "organisation_id", "cluster__slug", "level", "since"):
            yield (
                keys[m["organisation_id"]],
                m["cluster__slug"],
                m["level"],
                m["since"].isoformat(),
                _join(domains[m["pk"]]),
            )
