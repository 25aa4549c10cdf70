"""Published schedules never change silently: deleting a person (or the organisation they belong to)
who has meetings in a published schedule is refused, on every path (admin, pages, API, CLI, cascades).

The admin asks ``deletion_blockers`` to show the reason on its confirmation page; every other path meets
the ``pre_delete`` guard, which raises ``PublishedScheduleProtected`` (a ProtectedError) before anything
is deleted. To take such a person out, erase them with re-scheduling (helix.privacy.erasure), or have the
organiser publish a schedule without them first.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from typing import Any

from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _

from helix.registry.models import Organisation, Person

# The last deletion seen in this thread: (its origin, weakly; ids of people with published meetings, read
# once per deletion; the people already checked). Each person of one deletion gets one pre_delete, so a
# person seen again means a new deletion from the same origin, and the ids are read again.
_last = threading.local()


class PublishedScheduleProtected(ProtectedError):
    """Refused: the person has meetings in a published schedule (code ``published_schedule``)."""

    code = "published_schedule"


def published_participant_ids(people: Iterable[int] | None = None) -> set[int]:
    """Ids of people (among ``people``, else all) with a meeting in a published schedule."""
    from helix.events.models import ScheduledMeeting

    meetings = ScheduledMeeting.objects.filter(schedule__published=True)
    if people is not None:
        ids = list(people)
        meetings = meetings.filter(
            Q(request__requester__person_id__in=ids) | Q(request__requested__person_id__in=ids)
        )
        wanted = set(ids)
    rows = meetings.values_list("request__requester__person_id", "request__requested__person_id")
    found = {pid for pair in rows for pid in pair}
    return found & wanted if people is not None else found


def _people_of(objs: Iterable[Any]) -> list[Person]:
    people: list[Person] = []
    for obj in objs:
        if isinstance(obj, Person):
            people.append(obj)
        elif isinstance(obj, Organisation):
            people.extend(obj.people.all())
    return people


def deletion_blockers(objs: Iterable[Any]) -> list[str]:
    """Why deleting ``objs`` (people or organisations) would change a published schedule: one line per
    person concerned, for the admin's "protected" list. Empty when nothing stands in the way."""
    people = _people_of(objs)
    blocked = published_participant_ids(p.pk for p in people)
    return [
        _("%(person)s has meetings in a published event schedule: erase them with re-scheduling instead.")
        % {"person": person}
        for person in people
        if person.pk in blocked
    ]


def refuse_deleting_scheduled_person(
    sender: Any, instance: Person, origin: Any = None, **kwargs: Any
) -> None:
    """pre_delete of Person: raise when the person has meetings in a published schedule."""
    ids = _participant_ids_for(origin, instance.pk)
    if instance.pk in ids:
        raise PublishedScheduleProtected(
            _("%(person)s has meetings in a published event schedule; deleting them would change it.")
            % {"person": instance},
            [instance],
        )


def _participant_ids_for(origin: Any, person_id: int) -> set[int]:
    cached = getattr(_last, "entry", None)
    if cached is not None and origin is not None and cached[0]() is origin and person_id not in cached[2]:
        cached[2].add(person_id)
        return cached[1]
    ids = published_participant_ids()
    try:
        _last.entry = (weakref.ref(origin), ids, {person_id}) if origin is not None else None
    except TypeError:  # an origin that cannot be weakly referenced: read again for each person
        _last.entry = None
    return ids
