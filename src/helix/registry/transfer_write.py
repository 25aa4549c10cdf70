"""Writing an import's plan (helix.registry.transfer_plan) in bulk: rows, many-to-many sets, consent
records, membership history and the audit trail, then the search text of what changed.

Plain executemany: for tens of thousands of narrow rows, building model objects (bulk_create) and
CASE WHEN statements (bulk_update) costs more than the database work itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from helix.core.registry.records import (
    RecordKind,
)
from helix.pagecache import data_changed_on_commit
from helix.privacy.consents import CONSENT_FIELDS, record_many
from helix.privacy.models import Channel
from helix.registry import services
from helix.registry.convert import ORGANISATION_FIELDS, PERSON_FIELDS, SITE_FIELDS
from helix.registry.models import (
    Keyword,
    Membership,
    MembershipChange,
    Organisation,
    Person,
    Site,
)
from helix.registry.signals import memberships_changed
from helix.registry.transfer_plan import ImportPlan, Planned


def write_plan(plan: ImportPlan, *, offset: int) -> None:
    """Write what ``plan`` checked; progress counts on from ``offset``."""
    PlanWriter(plan).write(offset)


class PlanWriter:
    """Writes a checked plan: creates, updates, sets and history, logged in bulk to the plan's audit."""

    def __init__(self, plan: ImportPlan) -> None:
        self.planned = plan.planned
        self.user = plan.user
        self.audit = plan.audit
        self.notify = plan.notify

    def write(self, offset: int) -> None:
        done = offset
        organisations = self.planned[RecordKind.ORGANISATIONS]
        self._write_rows(Organisation, organisations, ORGANISATION_FIELDS, touch="updated_at")
        self._write_organisation_sets(organisations)
        done += len(organisations)
        self.notify(done, "writing sites and people")
        self._write_rows(Site, self.planned[RecordKind.SITES], SITE_FIELDS)
        self._write_rows(Person, self.planned[RecordKind.PEOPLE], PERSON_FIELDS)
        self._record_consents(self.planned[RecordKind.PEOPLE])
        done += len(self.planned[RecordKind.SITES]) + len(self.planned[RecordKind.PEOPLE])
        self.notify(done, "writing memberships")
        self._write_memberships(self.planned[RecordKind.MEMBERSHIPS])
        done += len(self.planned[RecordKind.MEMBERSHIPS])
        self.notify(done, "refreshing search text")
        touched = {item.instance.pk: item.instance for item in organisations if item.action != "unchanged"}
        for item in self.planned[RecordKind.SITES]:
            if item.action != "unchanged":
                touched.setdefault(item.owner.pk, item.owner)
        services.refresh_search_texts(list(touched.values()))
        self.audit.flush()  # last: an organisation's entries carry the clusters this file gave it

    def _write_rows(
        self, model: Any, items: Sequence[Planned], fields: Sequence[str], touch: str = ""
    ) -> None:
        new = [item.instance for item in items if item.action == "create"]
        changed = [item for item in items if item.action == "update"]
        if new:
            self.audit.created(model.objects.bulk_create(new, batch_size=500))
            data_changed_on_commit()
        columns = sorted({f for item in changed for f in item.changes if f in fields})
        instances = [item.instance for item in changed if touch or set(item.changes) & set(columns)]
        if touch:
            now = timezone.now()
            for instance in instances:
                setattr(instance, touch, now)
            columns.append(touch)
        if instances and columns:
            self.audit.updating(model, instances, columns)
            model.objects.bulk_update(instances, columns, batch_size=500)
            data_changed_on_commit()

    def _record_consents(self, items: Sequence[Planned]) -> None:
        """One consent record per consent an imported row gives (new person) or changes (who: the importing
        user; how: import)."""
        rows = []
        for item in items:
            fields = [f for f in CONSENT_FIELDS.values() if item.action == "update" and f in item.changes]
            if item.action == "create":
                fields = [f for f in CONSENT_FIELDS.values() if getattr(item.instance, f)]
            if fields:
                rows.append((item.instance.pk, {f: getattr(item.instance, f) for f in fields}))
        record_many(rows, actor=self.user, how=Channel.IMPORT)

    def _write_organisation_sets(self, items: list[Planned]) -> None:
        wanted = {name for item in items if item.keywords for name in item.keywords}
        known = dict(Keyword.objects.values_list("name", "id")) if wanted else {}
        missing = wanted - set(known)
        if missing:
            new = [Keyword(name=name) for name in sorted(missing)]
            self.audit.created(Keyword.objects.bulk_create(new, batch_size=500))
            known = dict(Keyword.objects.values_list("name", "id"))
        for item in items:
            if item.keywords is not None:
                item.sets["keywords"] = {known[name] for name in item.keywords}
        self._sync_sets(Organisation.sectors.through, "organisation_id", "sector_id", "sectors", items)
        self._sync_sets(Organisation.keywords.through, "organisation_id", "keyword_id", "keywords", items)

    def _sync_sets(self, through: Any, owner: str, target: str, name: str, items: list[Planned]) -> None:
        """Make each many-to-many set what the file says, in bulk."""
        items = [i for i in items if name in i.sets and (i.action == "create" or name in i.changes)]
        updated = [i.instance.pk for i in items if i.action == "update"]
        current: dict[int, dict[int, int]] = defaultdict(dict)
        for start in range(0, len(updated), 500):
            rows = through.objects.filter(**{f"{owner}__in": updated[start : start + 500]})
            for row_id, owner_id, target_id in rows.values_list("id", owner, target):
                current[owner_id][target_id] = row_id
        stale: list[int] = []
        fresh: list[tuple[int, int]] = []
        for item in items:
            have = current.get(item.instance.pk, {})
            stale.extend(row_id for target_id, row_id in have.items() if target_id not in item.sets[name])
            fresh.extend((item.instance.pk, t) for t in sorted(item.sets[name] - set(have)))
        for start in range(0, len(stale), 500):
            through.objects.filter(id__in=stale[start : start + 500]).delete()
        services.insert_rows(through, (owner, target), fresh)
        self._log_sets(through, target, name, items, current)

    def _log_sets(
        self, through: Any, target: str, name: str, items: list[Planned], current: dict[int, dict[int, int]]
    ) -> None:
        """Audit entries for the many-to-many changes just written (one query for the related names)."""
        changed = [(i, set(current.get(i.instance.pk, {})), i.sets[name]) for i in items]
        related = through._meta.get_field(target).related_model
        wanted = {t for _i, have, want in changed for t in have ^ want}
        objects = related.objects.in_bulk(sorted(wanted)) if wanted else {}
        for item, have, want in changed:
            added = [objects[t] for t in sorted(want - have) if t in objects]
            removed = [objects[t] for t in sorted(have - want) if t in objects]
            self.audit.m2m_changed(item.instance, name, added=added, removed=removed)

    def _write_memberships(self, items: list[Planned]) -> None:
        self._write_rows(Membership, items, ("level", "since"))
        self._sync_sets(Membership.domains.through, "membership_id", "domain_id", "domains", items)
        history = [
            MembershipChange(
                membership=item.instance,
                from_level=item.level_change[0],
                to_level=item.level_change[1],
                changed_on=item.instance.since,
                changed_by=self.user,
                note="import",
            )
            for item in items
            if item.level_change
        ]
        MembershipChange.objects.bulk_create(history, batch_size=500)
        written = {i.instance.organisation_id for i in items if i.action == "create" or i.level_change}
        if written:  # bulk writes send no post_save: say so, so the match engine re-reads their reach
            memberships_changed.send(sender=Membership, organisation_ids=written)
