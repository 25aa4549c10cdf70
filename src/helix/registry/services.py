"""Registry services: load objects, apply a rule from helix.core, save in one transaction.

Views, API handlers, CLI commands and tasks call these; none of them holds business logic. The acting
user is passed explicitly, never the HTTP request.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from helix.core.registry.ladder import MEMBER_USER, MEMBERSHIP_WORKFLOW, STAFF, EngagementLevel
from helix.core.registry.nace import nace_entries
from helix.pagecache import data_changed_on_commit
from helix.registry.models import (
    AdvisoryGroup,
    Cluster,
    Helix,
    Interaction,
    Keyword,
    LetterOfIntent,
    Membership,
    MembershipChange,
    Organisation,
    Person,
    Sector,
    Site,
)
from helix.registry.permissions import (
    can_edit_organisation,
    can_manage_cluster,
    is_responsible_staff,
    own_organisation_id,
)
from helix.uploads import check_pdf_upload


def load_nace_sectors() -> int:
    """Create the NACE Rev. 2.1 sector table (idempotent). Returns the number of sectors created."""
    existing = set(Sector.objects.values_list("code", flat=True))
    created = 0
    by_code: dict[str, Sector] = {s.code: s for s in Sector.objects.all()}
    for entry in nace_entries():
        if entry.code in existing:
            continue
        sector = Sector.objects.create(
            code=entry.code, level=entry.level, label=entry.label, parent=by_code.get(entry.parent or "")
        )
        by_code[entry.code] = sector
        created += 1
    return created


def unique_slug(name: str, model: Any = Organisation, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, n = base, 1
    qs = model.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def refresh_search_text(organisation: Organisation) -> None:
    """Recompute the denormalised search text after the organisation or its relations changed."""
    refresh_search_texts([organisation])


def refresh_search_texts(organisations: Sequence[Organisation]) -> None:
    """Recompute the search text of many organisations in a few queries (imports, generators)."""
    codes: dict[int, list[str]] = defaultdict(list)
    words: dict[int, list[str]] = defaultdict(list)
    places: dict[int, list[str]] = defaultdict(list)
    ids = [o.pk for o in organisations]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        sectors = Organisation.sectors.through.objects.filter(organisation_id__in=chunk)
        for org_id, code in sectors.order_by("sector__code").values_list("organisation_id", "sector__code"):
            codes[org_id].append(code)
        keywords = Organisation.keywords.through.objects.filter(organisation_id__in=chunk)
        for org_id, name in keywords.order_by("keyword__name").values_list(
            "organisation_id", "keyword__name"
        ):
            words[org_id].append(name)
        sites = Site.objects.filter(organisation_id__in=chunk).order_by(
            "organisation_id", "-is_headquarters", "name"
        )
        regions: dict[int, list[str]] = defaultdict(list)
        cities: dict[int, list[str]] = defaultdict(list)
        for org_id, region, city in sites.values_list("organisation_id", "region", "city"):
            if region:
                regions[org_id].append(region)
            cities[org_id].append(city)
        for org_id in chunk:
            places[org_id] = regions[org_id] + cities[org_id]
    for org in organisations:
        org.search_text = org.build_search_text(codes[org.pk], words[org.pk], places[org.pk])
    update_column(Organisation, "search_text", [(org.search_text, org.pk) for org in organisations])


def update_column(model: Any, column: str, rows: Sequence[tuple[Any, int]]) -> None:
    """Set ``column`` to a value per primary key; rows are (value, pk) pairs.

    For tens of thousands of rows bulk_update's CASE WHEN statements cost more than the work itself:
    PostgreSQL gets one UPDATE … FROM (VALUES …) per chunk, other databases an executemany.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for start in range(0, len(rows), 1000):
                chunk = rows[start : start + 1000]
                values = ", ".join(["(%s, %s::bigint)"] * len(chunk))
                sql = (
                    f"UPDATE {table} SET {quote(column)} = v.value "  # noqa: S608 (names, not data)
                    f"FROM (VALUES {values}) AS v(value, id) WHERE {table}.{pk} = v.id"
                )
                cursor.execute(sql, [item for row in chunk for item in row])
            data_changed_on_commit()
            return
        sql = f"UPDATE {table} SET {quote(column)} = %s WHERE {pk} = %s"  # noqa: S608 (names, not data)
        cursor.executemany(sql, rows)
    data_changed_on_commit()  # raw writes send no model signal: the cached pages and index must know


def insert_rows(model: Any, fields: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert plain rows without building a model instance per row (imports, generators): COPY on
    PostgreSQL, multi-row INSERTs elsewhere. For rows whose primary keys are not needed (sites, people,
    link tables). ``fields`` are field names or attnames (``organisation`` or ``organisation_id``)."""
    if not rows:
        return
    data_changed_on_commit()  # raw writes send no model signal: the cached pages and index must know
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        row_sql = f"({', '.join(['%s'] * len(fields))})"
        per_statement = max(1, min(500, 30_000 // len(fields)))  # SQLite allows 32,766 parameters
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([row_sql] * len(chunk))
            sql = f"INSERT INTO {table} ({columns}) VALUES {values}"  # noqa: S608 (names from the model)
            cursor.execute(sql, [value for row in chunk for value in row])


def set_classification(
    organisation: Organisation, *, sector_codes: Sequence[str] | None, keywords: Sequence[str] | None
) -> None:
    """Replace the organisation's NACE sectors and technology keywords (None leaves one as it is).

    Codes must be normalised NACE Rev. 2.1 codes (helix.core.registry.nace.normalise_nace); keywords are
    stored in lower case and created when new.
    """
    if sector_codes is not None:
        sectors = list(Sector.objects.filter(code__in=list(sector_codes)))
        missing = sorted(set(sector_codes) - {s.code for s in sectors})
        if missing:
            raise ValueError(f"not in the sector table: {', '.join(missing)}")
        organisation.sectors.set(sectors)
    if keywords is not None:
        names = list(dict.fromkeys(k.strip().lower() for k in keywords if k.strip()))
        existing = {k.name: k for k in Keyword.objects.filter(name__in=names)}
        organisation.keywords.set([existing.get(n) or Keyword.objects.create(name=n) for n in names])


def legal_identifier_taken(scheme: str, value: str, *, exclude_pk: int | None = None) -> bool:
    """True when another organisation already holds this (normalised) legal identifier."""
    return (
        Organisation.objects.filter(identifier_scheme=scheme, legal_identifier=value)
        .exclude(pk=exclude_pk)
        .exists()
    )


def workflow_roles(user: Any, organisation: Organisation, cluster: Cluster) -> set[str]:
    roles: set[str] = set()
    if can_manage_cluster(user, cluster):
        roles.add(STAFF)
    if own_organisation_id(user) == organisation.pk:
        roles.add(MEMBER_USER)
    return roles


@transaction.atomic
def join_cluster(
    organisation: Organisation,
    cluster: Cluster,
    *,
    user: Any,
    level: str = EngagementLevel.INTERESTED,
    on: dt.date | None = None,
    note: str = "",
) -> Membership:
    """Record that ``organisation`` enters ``cluster``'s ladder at ``level`` (staff only above interested)."""
    roles = workflow_roles(user, organisation, cluster)
    if not roles or (level != EngagementLevel.INTERESTED and STAFF not in roles):
        raise PermissionDenied("only cluster staff may add an organisation to this cluster at that level")
    day = on or timezone.localdate()
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, cluster=cluster, defaults={"level": level, "since": day}
    )
    if not created:
        raise ValueError(f"{organisation} already has a membership in {cluster}")
    MembershipChange.objects.create(
        membership=membership,
        from_level="",
        to_level=level,
        changed_on=day,
        changed_by=_user_or_none(user),
        note=note,
    )
    return membership


@transaction.atomic
def change_engagement(
    membership: Membership, target: str, *, user: Any, on: dt.date | None = None, note: str = ""
) -> Membership:
    """Move a membership along the engagement ladder, as the workflow table allows, and log the step."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    roles = workflow_roles(user, membership.organisation, membership.cluster)
    MEMBERSHIP_WORKFLOW.check(membership.level, target, roles)
    day = on or timezone.localdate()
    MembershipChange.objects.create(
        membership=membership,
        from_level=membership.level,
        to_level=target,
        changed_on=day,
        changed_by=_user_or_none(user),
        note=note,
    )
    membership.level = target
    membership.since = day
    membership.save(update_fields=["level", "since"])
    return membership


@transaction.atomic
def record_letter_of_intent(
    organisation: Organisation,
    cluster: Cluster,
    *,
    user: Any,
    signed_on: dt.date,
    signatory: Person | None = None,
    signatory_name: str = "",
    document: Any = None,
) -> LetterOfIntent:
    """Store a signed letter of intent and move the membership to 'letter of intent signed' if lower."""
    if not (can_manage_cluster(user, cluster) or can_edit_organisation(user, organisation)):
        raise PermissionDenied("you may not record a letter of intent for this organisation")
    letter = LetterOfIntent(
        organisation=organisation,
        cluster=cluster,
        signed_on=signed_on,
        signatory=signatory,
        signatory_name=signatory_name or (signatory.full_name if signatory else ""),
    )
    if document is not None:
        letter.document = check_pdf_upload(document)  # a PDF within HELIX_UPLOAD_MAX_BYTES, or refused
    letter.save()
    membership = Membership.objects.filter(organisation=organisation, cluster=cluster).first()
    if membership is None:
        membership = join_cluster(organisation, cluster, user=user, on=signed_on, note="letter of intent")
    if membership.level in (EngagementLevel.INTERESTED, EngagementLevel.LEFT):
        if membership.level == EngagementLevel.LEFT:
            change_engagement(membership, EngagementLevel.INTERESTED, user=user, on=signed_on)
        change_engagement(
            membership, EngagementLevel.LOI_SIGNED, user=user, on=signed_on, note="letter of intent signed"
        )
    return letter


def complete_follow_up(interaction: Interaction, *, user: Any) -> Interaction:
    """Record that the follow-up of an interaction is done (staff responsible for the organisation)."""
    if not is_responsible_staff(user, interaction.organisation):
        raise PermissionDenied(
            "only cluster staff responsible for this organisation may close its follow-ups"
        )
    interaction.follow_up_done = True
    interaction.save(update_fields=["follow_up_done"])  # a save, so the audit trail records it
    return interaction


def advisory_balance(group: AdvisoryGroup) -> dict[str, int]:
    """Seats per triple-helix strand (industry / research / public / intermediary).

    Uses the group's prefetched seats when the caller prefetched them (with person__organisation).
    """
    prefetched = getattr(group, "_prefetched_objects_cache", {}).get("seats")
    seats = prefetched if prefetched is not None else group.seats.select_related("person__organisation")
    counts = Counter(seat.person.organisation.helix for seat in seats)
    return {strand.value: counts.get(strand.value, 0) for strand in Helix}


def triple_helix_composition(cluster: Cluster) -> dict[str, int]:
    """Organisations with an active membership of ``cluster`` per triple-helix strand."""
    counts = Counter(
        m.organisation.helix
        for m in cluster.memberships.exclude(level=EngagementLevel.LEFT).select_related("organisation")
    )
    return {strand.value: counts.get(strand.value, 0) for strand in Helix}


def check_can_edit(user: Any, organisation: Organisation) -> None:
    if not can_edit_organisation(user, organisation):
        raise PermissionDenied(f"you may not edit {organisation}")


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


CLUSTER_STAFF_GROUP = "Cluster staff"
# What cluster staff may do in the admin (rows are further limited to their clusters by the admin).
CLUSTER_STAFF_PERMISSIONS = {
    "registry": {
        "organisation": ("add", "change", "view"),
        "site": ("add", "change", "delete", "view"),
        "person": ("add", "change", "delete", "view"),
        "membership": ("add", "change", "view"),
        "membershipchange": ("view",),
        "letterofintent": ("add", "change", "view"),
        "interaction": ("add", "change", "delete", "view"),
        "advisorygroup": ("add", "change", "view"),
        "advisoryseat": ("add", "change", "delete", "view"),
        "cluster": ("change", "view"),
        "clustername": ("add", "change", "view"),
        "domain": ("add", "change", "view"),
        "keyword": ("add", "view"),
        "sector": ("view",),
    },
    "jobs": {"job": ("view",)},
    # The other apps' admins (each scoped by its app's permission table; see their admin.py).
    "market": {"listing": ("add", "change", "view"), "meetingrequest": ("view",), "feedback": ("view",)},
    "events": {
        "event": ("add", "change", "view"),
        "timeslot": ("add", "change", "delete", "view"),
        "room": ("add", "change", "delete", "view"),
        "registration": ("add", "change", "view"),
        "eventmeetingrequest": ("add", "change", "view"),
        "schedule": ("view",),
    },
    "symbiosis": {
        "resourceflow": ("add", "change", "view"),
        "documentedexchange": ("view",),
        "impactfactorsetting": ("view",),
    },
    "privacy": {"consentrecord": ("view",)},
}


def cluster_staff_group() -> Any:
    """The permission group of cluster staff, created (or completed) on first use."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=CLUSTER_STAFF_GROUP)
    wanted = [
        f"{action}_{model}"
        for models_ in CLUSTER_STAFF_PERMISSIONS.values()
        for model, actions in models_.items()
        for action in actions
    ]
    perms = Permission.objects.filter(
        content_type__app_label__in=list(CLUSTER_STAFF_PERMISSIONS), codename__in=wanted
    )
    group.permissions.add(*perms)
    return group


@transaction.atomic
def assign_cluster_staff(user: Any, cluster: Cluster) -> None:
    """Make ``user`` staff of ``cluster``: edit everything about it in the pages, the API and the admin."""
    from helix.registry.models import StaffAssignment

    StaffAssignment.objects.get_or_create(user=user, cluster=cluster)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(cluster_staff_group())
