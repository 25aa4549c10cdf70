"""The privacy API: a person's data export, their consent history, and their erasure.

Only the person (through their own user account) and the staff responsible for the person's organisation
may call these; anyone else gets 404, with no hint that the person exists. An erasure that would change
a published schedule answers 409 with the code ``published_schedule`` unless ``reschedule`` is true.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from helix.api.auth import WRITE_AUTH, acting_user
from helix.api.errors import ITEM_ERRORS, WRITE_ERRORS
from helix.api.schemas.privacy import ConsentRecordOut, ErasureIn, ErasureOut, ErasureRefusal
from helix.privacy import permissions
from helix.privacy.erasure import erase_person, kept_lines, removal_label
from helix.privacy.export import export_person
from helix.privacy.models import Channel, ConsentRecord
from helix.registry.models import Person

router = Router()
TAGS = ["privacy"]


def _person(user: Any, person_id: int) -> Person:
    person = get_object_or_404(Person.objects.select_related("organisation", "user"), pk=person_id)
    if not permissions.can_see_personal_data(user, person):
        raise Http404
    return person


@router.get(
    "/people/{person_id}/export",
    response={200: dict[str, Any], **ITEM_ERRORS},
    tags=TAGS,
    auth=WRITE_AUTH,
)
def export(request: HttpRequest, person_id: int) -> Any:
    """Everything Helix holds about the person (the same data as the export page and `helix privacy
    export`)."""
    return export_person(_person(acting_user(request), person_id))


@router.get(
    "/people/{person_id}/consents",
    response={200: list[ConsentRecordOut], **ITEM_ERRORS},
    tags=TAGS,
    auth=WRITE_AUTH,
)
def consent_history(request: HttpRequest, person_id: int) -> Any:
    """Every consent given or withdrawn, newest first: who, when and how."""
    person = _person(acting_user(request), person_id)
    return list(ConsentRecord.objects.filter(person=person).select_related("by").order_by("-at", "-pk"))


@router.post(
    "/people/{person_id}/erase",
    response={200: ErasureOut, **WRITE_ERRORS, 409: ErasureRefusal},
    tags=TAGS,
    auth=WRITE_AUTH,
)
def erase(request: HttpRequest, person_id: int, payload: ErasureIn) -> Any:
    """Anonymise the person and say what was removed and what was kept for the counts."""
    user = acting_user(request)
    person = _person(user, person_id)
    try:
        record = erase_person(person, user, how=Channel.API, reschedule=payload.reschedule)
    except DjangoValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages), "code": exc.code or "refused"})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or "Forbidden."})
    return {
        "person_id": record.person_number,
        "removed": [
            {
                "code": item["code"],
                "count": item.get("count"),
                "label": removal_label(item, record.person_number),
            }
            for item in record.removed
        ],
        "kept": record.kept,
        "kept_text": kept_lines(record.kept),
    }
