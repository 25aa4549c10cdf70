"""Finding the organisations a lead applicant may add as co-applicants: by name, among the organisations
the person may see (the registry holds some 1,450; a page suggests a few as the person types), never
one that applies already. Adding and removing are helix.calls.services' (add_co_applicant,
remove_co_applicant)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from helix.calls.models import Application
from helix.registry.models import Organisation, normalise_search_text
from helix.registry.permissions import scope

MIN_CHARS = 2  # fewer letters match too many names to be a useful suggestion
SCANNED = 200  # names read to rank at most ``limit`` of them


def candidates(user: Any, application: Application) -> QuerySet[Organisation]:
    """The organisations ``user`` may see that do not apply to ``application`` yet."""
    applying = application.applicants.values("organisation_id")
    return scope(user, "view", Organisation.objects.all()).exclude(pk__in=applying)


def find_partners(user: Any, application: Application, text: str, limit: int = 10) -> list[Organisation]:
    """Up to ``limit`` organisations ``user`` may add to ``application`` whose name holds every word of
    ``text`` (case and accents aside); names that start with the text first, then by name."""
    words = normalise_search_text(text).split()
    if len(" ".join(words)) < MIN_CHARS:
        return []
    found = candidates(user, application)
    for word in words:  # a first sieve in the database: the folded search text holds the name
        found = found.filter(Q(search_text__contains=word) | Q(name__icontains=word))
    query = " ".join(words)
    named = [
        (normalise_search_text(o.name), o)
        for o in found.order_by("name").only("pk", "name", "slug", "kind")[:SCANNED]
    ]
    matching = [(name, o) for name, o in named if all(w in name for w in words)]
    matching.sort(key=lambda item: (not item[0].startswith(query), item[0]))
    return [o for _name, o in matching[:limit]]
